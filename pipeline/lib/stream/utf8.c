/* utf8.c - decoding, width and normalisation of UTF-8 text. */
#include <string.h>

#include "stream/utf8.h"

size_t utf8_decode(const char *str, size_t n, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len = s[0] >= 0xF0 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC0 ? 2 : 0;
	if (len == 0 || s[0] > 0xF4 || len > n)
		return 0;
	uint32_t c = s[0] & (0x3F >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	static const uint32_t min[] = {0, 0, 0x80, 0x800, 0x10000};
	if (c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_encode(uint32_t c, char out[4])
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | c >> 6);
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | c >> 12);
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | c >> 18);
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

int utf8_valid(const char *s, size_t n, size_t *bad)
{
	uint32_t c;
	for (size_t i = 0; i < n;) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len == 0) {
			if (bad)
				*bad = i;
			return 0;
		}
		i += len;
	}
	return 1;
}

size_t utf8_chars(const char *s, size_t n)
{
	size_t count = 0;
	uint32_t c;
	for (size_t i = 0; i < n; count++) {
		size_t len = utf8_decode(s + i, n - i, &c);
		i += len ? len : 1;
	}
	return count;
}

static int is_wide(uint32_t c)
{
	return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) ||
	       (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) ||
	       (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
	       (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD) || c == 0x2014 ||
	       c == 0x2026 || c == 0x201C || c == 0x201D || c == 0x2018 || c == 0x2019 ||
	       c == 0x3000 || c == 0x2015;
}

int utf8_char_width(uint32_t c) { return is_wide(c) ? 2 : 1; }

size_t utf8_width(const char *s)
{
	size_t w = 0, n = strlen(s);
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len == 0) {
			i++;
			w++;
			continue;
		}
		i += len;
		w += is_wide(c) ? 2 : 1;
	}
	return w;
}

static int is_space(uint32_t c)
{
	return c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == 0xA0 || c == 0x3000 ||
	       (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F;
}

static int is_invisible(uint32_t c)
{
	return c == 0xFEFF || c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xAD;
}

size_t utf8_normalise(struct buf *out, const char *s, size_t n)
{
	size_t start = out->len, keep = out->len, dropped = 0;
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len == 0) {
			buf_adds(out, UTF8_REPLACEMENT);
			keep = out->len;
			i++;
			continue;
		}
		i += len;
		if (is_space(c)) {
			buf_addc(out, ' ');
			continue;
		}
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
			dropped++;
			continue;
		}
		if (is_invisible(c))
			continue;
		if (c >= 0xFF01 && c <= 0xFF5E)
			c -= 0xFEE0;
		char enc[4];
		buf_add(out, enc, utf8_encode(c, enc));
		keep = out->len;
	}
	out->len = keep > start ? keep : start;
	if (out->s)
		out->s[out->len] = '\0';
	return dropped;
}

size_t utf8_clean(struct buf *out, const char *s, size_t n)
{
	size_t start = out->len, keep = out->len, dropped = 0;
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len == 0) {
			buf_adds(out, UTF8_REPLACEMENT);
			keep = out->len;
			i++;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
			/* A page break, a vertical tab or a stray CR is layout, not a
			 * character lost: dropped without counting. */
			if (c != '\f' && c != '\v' && c != '\r')
				dropped++;
			i += len;
			continue;
		}
		if (!is_invisible(c)) {
			buf_add(out, s + i, len);
			if (!is_space(c))
				keep = out->len;
		}
		i += len;
	}
	out->len = keep > start ? keep : start;
	if (out->s)
		out->s[out->len] = '\0';
	return dropped;
}

void utf8_scrub(struct buf *out, const char *s)
{
	size_t n = strlen(s);
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len == 0)
			buf_adds(out, UTF8_REPLACEMENT);
		else if ((c >= 0x20 && c != 0x7F && (c < 0x80 || c >= 0xA0)) || c == '\n' ||
			 c == '\t')
			buf_add(out, s + i, len);
		i += len ? len : 1;
	}
	if (!out->s)
		buf_grow(out, 0);
}

void str_squeeze_spaces(char *s)
{
	char *w = s;
	for (; *s; s++)
		if (*s != ' ')
			*w++ = *s;
	*w = '\0';
}

const char *str_trim(const char *s, size_t *len)
{
	while (*len && *s == ' ') {
		s++;
		(*len)--;
	}
	while (*len && s[*len - 1] == ' ')
		(*len)--;
	return s;
}

int str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

int str_ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && memcmp(s + n - m, suffix, m) == 0;
}
