/* dates.c - issue dates and deadlines. */
#include <string.h>

#include "notice/cn.h"
#include "notice/dates.h"

static int group_number(const struct match *m, const char *name)
{
	size_t n;
	const char *s = match_group(m, name, &n);
	return s ? (int)cn_number(s, n) : 0;
}

int dates_issue(struct rules *rs, const char *s, struct ymd *out)
{
	struct match m;
	if (rules_match(rs, "header.date", s, strlen(s), &m) <= 0)
		return 0;
	*out = (struct ymd){group_number(&m, "y"), group_number(&m, "m"), group_number(&m, "d")};
	return out->y > 0;
}

int ymd_cmp(const struct ymd *a, const struct ymd *b)
{
	long x = date_serial(a->y, a->m, a->d), y = date_serial(b->y, b->m, b->d);
	return (x > y) - (x < y);
}

/* The last day of the period a deadline match names. */
static int period_end(const struct match *m, int thisyear, struct ymd *out)
{
	size_t n;
	const char *plan = match_group(m, "plan", &n);
	if (plan) {
		/* 十三五 is 2016-2020: the Nth plan ends in 1955 + 5N. */
		long k = cn_number(plan + strlen("十"), strlen("一")) + 10;
		*out = (struct ymd){(int)(1955 + 5 * k), 12, 31};
		return 1;
	}
	int y = match_group(m, "thisyear", &n) ? thisyear : group_number(m, "y");
	int mo = group_number(m, "m"), d = group_number(m, "d");
	int q = group_number(m, "q");
	const char *h = match_group(m, "h", &n);
	if (y <= 0)
		return 0;
	if (q >= 1 && q <= 4)
		mo = 3 * q;
	else if (h)
		mo = strncmp(h, "上", n) == 0 ? 6 : 12;
	if (mo == 0)
		mo = 12;
	if (d == 0)
		d = date_days_in_month(y, mo);
	*out = (struct ymd){y, mo, d};
	return date_valid(y, mo, d);
}

int dates_deadline(struct rules *rs, const char *s, int thisyear, int bare, struct ymd *out)
{
	struct match m;
	struct ymd best = {0}, cur;
	size_t n = strlen(s), at = 0;
	int found = 0;
	while (at < n && rules_scan(rs, "deadline", s, n, at, &m) > 0) {
		at = match_end(&m) > at ? match_end(&m) : at + 1;
		if (period_end(&m, thisyear, &cur) && (!found || ymd_cmp(&cur, &best) > 0)) {
			best = cur;
			found = 1;
		}
	}
	/* A bare "2021年12月" counts only where no deadline phrase was found. */
	if (!found && bare && rules_match(rs, "deadline.bare", s, n, &m) > 0)
		found = period_end(&m, thisyear, &best);
	if (found)
		*out = best;
	return found;
}
