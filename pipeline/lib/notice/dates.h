/*
 * dates.h - reading dates out of text with the patterns of rules/.
 */
#ifndef NM_DATES_H
#define NM_DATES_H

#include "rules/rules.h"

struct ymd {
	int y, m, d; /* m and d are 0 when the text did not state them */
};

/*
 * The 成文日期 written in s (header.date): 1 when found, with the parts
 * stated; the caller checks validity and completeness.
 */
int dates_issue(struct rules *rs, const char *s, struct ymd *out);
/*
 * The latest deadline stated in s (rules "deadline"; with bare set and no
 * such phrase, "deadline.bare" at the start): the end of the stated period.
 * issue is the notice's 成文日期: a phrase without a year (年底前, 5月底前,
 * 本季度末) refers to it (y == 0: unknown, such phrases are skipped).
 * Returns 1 when a valid date was found.
 */
int dates_deadline(struct rules *rs, const char *s, const struct ymd *issue, int bare,
		   struct ymd *out);
int ymd_cmp(const struct ymd *a, const struct ymd *b);

#endif
