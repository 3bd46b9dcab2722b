/* cn.c - numerals and dates. */
#include <stdio.h>
#include <string.h>

#include "notice/cn.h"
#include "stream/utf8.h"

static int digit_of(unsigned c)
{
	static const struct {
		unsigned c;
		int v;
	} map[] = {
		{0x3007, 0}, {0x96F6, 0}, {0x4E00, 1}, {0x4E8C, 2}, {0x4E24, 2}, {0x4E09, 3},
		{0x56DB, 4}, {0x4E94, 5}, {0x516D, 6}, {0x4E03, 7}, {0x516B, 8}, {0x4E5D, 9},
		{0xFF10, 0}, {0x25CB, 0}, {0x039F, 0}, {0x004F, 0},
	};
	if (c >= '0' && c <= '9')
		return (int)(c - '0');
	for (size_t i = 0; i < sizeof map / sizeof *map; i++)
		if (map[i].c == c)
			return map[i].v;
	return -1;
}

static int unit_of(unsigned c)
{
	return c == 0x5341 ? 10 : c == 0x767E ? 100 : c == 0x5343 ? 1000 : 0;
}

long cn_number(const char *s, size_t n)
{
	uint32_t c;
	long total = 0, digits = 0, pending = -1;
	int positional = 1, any = 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len == 0)
			return -1;
		i += len;
		int d = digit_of(c), u = unit_of(c);
		if (d >= 0) {
			digits = digits * 10 + d;
			pending = d;
			if (digits > 100000000)
				return -1;
		} else if (u) {
			positional = 0;
			total += (pending < 0 ? 1 : pending) * u;
			pending = -1;
			digits = 0;
		} else {
			return -1;
		}
		any = 1;
	}
	if (!any)
		return -1;
	if (positional)
		return digits;
	return total + (pending < 0 ? 0 : pending);
}

int date_days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12)
		return 0;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return days[m - 1] + (m == 2 && leap);
}

int date_valid(int y, int m, int d)
{
	return y >= 1900 && y <= 2199 && d >= 1 && d <= date_days_in_month(y, m);
}

long date_serial(int y, int m, int d)
{
	if (m <= 2) {
		y--;
		m += 12;
	}
	return 365L * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 1;
}

int date_from_iso(const char *s, int *y, int *m, int *d)
{
	static const char shape[] = "dddd-dd-dd";
	for (size_t i = 0; i < sizeof shape - 1; i++)
		if (shape[i] == 'd' ? s[i] < '0' || s[i] > '9' : s[i] != shape[i])
			return 0;
	return s[10] == '\0' && sscanf(s, "%4d-%2d-%2d", y, m, d) == 3 && date_valid(*y, *m, *d);
}
