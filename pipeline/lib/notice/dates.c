/* dates.c - issue dates and deadlines. */
#include <string.h>

#include "notice/cn.h"
#include "notice/dates.h"
#include "stream/ntext.h"

static int group_number(const struct match *m, const char *name)
{
	size_t n;
	const char *s = match_group(m, name, &n);
	return s ? (int)cn_number(s, n) : 0;
}

int dates_issue(struct rules *rs, const char *written, struct ymd *out)
{
	struct match m;
	struct ntext t = NTEXT_INIT; /* matched as normalised: ２０２５年 is 2025年 */
	ntext_set(&t, written, strlen(written));
	int ok = rules_match(rs, "header.date", t.norm.s, t.norm.len, &m) > 0;
	if (ok)
		*out = (struct ymd){group_number(&m, "y"), group_number(&m, "m"),
				    group_number(&m, "d")};
	ntext_free(&t);
	return ok && out->y > 0;
}

int ymd_cmp(const struct ymd *a, const struct ymd *b)
{
	long x = date_serial(a->y, a->m, a->d), y = date_serial(b->y, b->m, b->d);
	return (x > y) - (x < y);
}

/* The last day of the period a deadline match names. */
static int period_end(const struct match *m, const struct ymd *issue, struct ymd *out)
{
	size_t n;
	const char *plan = match_group(m, "plan", &n);
	if (plan) {
		/* 十三五 is 2016-2020: the Nth plan ends in 1955 + 5N. */
		long k = cn_number(plan + strlen("十"), strlen("一")) + 10;
		*out = (struct ymd){(int)(1955 + 5 * k), 12, 31};
		return 1;
	}
	/* No year written: the year of the notice (its 成文日期). */
	int y = match_group(m, "y", &n) ? group_number(m, "y") : issue->y;
	if (!match_group(m, "y", &n) && match_group(m, "nextyear", &n) && y > 0)
		y++; /* 次年3月底前, 明年6月底前: the year after the notice's */
	int mo = group_number(m, "m"), d = group_number(m, "d");
	int q = group_number(m, "q");
	size_t hn, xn;
	const char *h = match_group(m, "h", &hn), *xun = match_group(m, "xun", &xn);
	if (match_group(m, "thisquarter", &n) && issue->m >= 1)
		q = (issue->m - 1) / 3 + 1;
	if (y <= 0)
		return 0;
	if (q >= 1 && q <= 4)
		mo = 3 * q;
	else if (h)
		mo = strncmp(h, "上", hn) == 0 ? 6 : 12;
	if (mo == 0)
		mo = 12;
	if (xun && mo >= 1 && mo <= 12)
		d = strncmp(xun, "上", xn) == 0 ? 10 : strncmp(xun, "中", xn) == 0 ? 20 : 0;
	if (d == 0 && mo >= 1 && mo <= 12)
		d = date_days_in_month(y, mo);
	*out = (struct ymd){y, mo, d};
	return date_valid(y, mo, d);
}

int dates_deadline(struct rules *rs, const char *written, const struct ymd *issue, int bare,
		   struct ymd *out)
{
	struct match m;
	struct ymd best = {0}, cur;
	struct ntext t = NTEXT_INIT; /* matched as normalised: １０月底前 is 10月底前 */
	ntext_set(&t, written, strlen(written));
	const char *s = t.norm.s;
	size_t n = t.norm.len, at = 0;
	int found = 0, bare_found = 0;
	while (at < n && rules_scan(rs, "deadline", s, n, at, &m) > 0) {
		at = match_end(&m) > at ? match_end(&m) : at + 1;
		if (period_end(&m, issue, &cur) && (!found || ymd_cmp(&cur, &best) > 0)) {
			best = cur;
			found = 1;
		}
	}
	/* A bare "2021年12月" counts only where no deadline phrase was found;
	 * of several (2025年3月开工，2026年6月竣工) the last day is the deadline. */
	for (at = 0;
	     !found && bare && at < n && rules_scan(rs, "deadline.bare", s, n, at, &m) > 0;) {
		at = match_end(&m) > at ? match_end(&m) : at + 1;
		if (period_end(&m, issue, &cur) && (!bare_found || ymd_cmp(&cur, &best) > 0))
			best = cur, bare_found = 1;
	}
	found |= bare_found;
	if (found)
		*out = best;
	ntext_free(&t);
	return found;
}
