/*
 * checks_dates.c - dates written incompletely, irregularly or impossibly;
 * year ranges glued or reversed; years too far ahead; deadlines before
 * the notice was issued.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "notice/cn.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* A year this many years after the issue year is questioned. */
#define MAX_YEARS_AHEAD 20

static int group_num(const struct match *m, const char *name)
{
	size_t len;
	const char *s = match_group(m, name, &len);
	return s ? (int)cn_number(s, len) : -1;
}

/* What the checks call a date in the record: the 成文日期, or a date. */
static const char *what(const struct chk_rec *r)
{
	return r->kind == CK_HEAD && strcmp(r->key, "date") == 0 ? "成文日期" : "日期";
}

/* A clock time after byte at (2023年06月07日 17:35): a page's timestamp, not the notice's text. */
static int clock_after(const char *s, size_t n, size_t at)
{
	while (at < n && s[at] == ' ')
		at++;
	size_t d = at;
	while (d < n && d - at < 2 && s[d] >= '0' && s[d] <= '9')
		d++;
	return d > at && d + 2 < n + 1 && s[d] == ':' && s[d + 1] >= '0' && s[d + 1] <= '9';
}

/*
 * Whether the 日 of a date ending at byte at stands further on: after a
 * list of days (29、30日) or a range into another month (5月29—6月2日).
 */
static int day_follows(const char *s, size_t n, size_t at)
{
	for (int k = 0; k < 12 && at < n; k++) {
		if (str_starts(s + at, "日") || str_starts(s + at, "号") ||
		    str_starts(s + at, "月"))
			return 1;
		if ((s[at] >= '0' && s[at] <= '9') || strchr(" ,-~", s[at]))
			at++;
		else if (str_starts(s + at, "、") || str_starts(s + at, "—") ||
			 str_starts(s + at, "至") || str_starts(s + at, "到") ||
			 str_starts(s + at, "和") || str_starts(s + at, "及"))
			at += strlen("、"); /* each of them three bytes */
		else
			return 0;
	}
	return 0;
}

/* One written date: impossible, dotted, without 日, or zero-padded. */
static void check_date(struct checks *C, const struct chk_rec *r, const struct match *m)
{
	const char *s = buf_str(&r->t.norm);
	size_t ylen, mlen, dlen, daylen, a = match_start(m), b = match_end(m);
	int y = group_num(m, "y"), mo = group_num(m, "m"), day = group_num(m, "d");
	const char *ms = match_group(m, "m", &mlen), *ds = match_group(m, "d", &dlen);
	match_group(m, "y", &ylen);
	int has_dayword = match_group(m, "day", &daylen) != NULL;
	int dotted = memchr(s + a, '.', b - a) != NULL;
	int padded = (mlen > 1 && ms[0] == '0') || (ds && dlen > 1 && ds[0] == '0');
	char *written = ntext_dup(&r->t, a, b);
	if (ylen != 4 || mo < 1 || mo > 12 || (day >= 0 && !date_valid(y, mo, day)))
		checks_add_finding(C, r->line, "错误", "date.invalid", &r->t, a, b,
				   "第%ld行%s“%s”不存在（%s），请与发文单位核实正确日期", r->line,
				   what(r), written,
				   ylen != 4           ? "年份不是四位数"
				   : mo < 1 || mo > 12 ? "月份应在1至12之间"
						       : "该月没有这一天");
	else if (dotted)
		checks_add_finding(
			C, r->line, "警告", "date.malformed", &r->t, a, b,
			"第%ld行%s“%s”写法不规范，公文应写作“%d年%d月%d日”，请核实后改正", r->line,
			what(r), written, y, mo, day);
	else if (day >= 0 && !has_dayword && !day_follows(s, r->t.norm.len, b))
		checks_add_finding(C, r->line, "警告", "date.malformed", &r->t, a, b,
				   "第%ld行%s“%s”缺“日”字，应为“%s日”，请与发文单位核实后补全",
				   r->line, what(r), written, written);
	else if (padded && !clock_after(s, r->t.norm.len, b))
		checks_add_finding(C, r->line, "警告", "date.malformed", &r->t, a, b,
				   "第%ld行%s“%s”的月、日不应补零，应写作“%d年%d月%d日”", r->line,
				   what(r), written, y, mo, day > 0 ? day : 1);
	free(written);
}

/* Glued (20182019年) or reversed (2020-2018年) year ranges. */
static void check_range(struct checks *C, const struct chk_rec *r, const struct match *m)
{
	size_t len, a = match_start(m), b = match_end(m);
	int y1 = group_num(m, "a"), y2 = group_num(m, "b");
	const char *sep = match_group(m, "sep", &len);
	if (sep && y1 <= y2)
		return;
	char *written = ntext_dup(&r->t, a, b);
	if (!sep)
		checks_add_finding(C, r->line, "警告", "date.range_suspicious", &r->t, a, b,
				   "第%ld行年份范围“%s年”两个年份连写，应为“%d—%d年”，请核实后改正",
				   r->line, written, y1, y2);
	else
		checks_add_finding(C, r->line, "警告", "date.range_suspicious", &r->t, a, b,
				   "第%ld行年份范围“%s年”起止颠倒，应为“%d—%d年”，请与发文单位核实",
				   r->line, written, y2, y1);
	free(written);
}

/*
 * A year far ahead of the issue year (2053 in a notice of 2019: 2035?).
 * Years before the issue year describe the past (2000年底前建成的小区) and
 * are not questioned; the long-range targets notices name (2035, 2050,
 * 2060: rules/checks.words, year.milestone) are not either.
 */
static void check_year(struct checks *C, const struct chk_rec *r, const struct match *m)
{
	size_t len, a = match_start(m), b = match_end(m);
	const char *ys = match_group(m, "y", &len);
	int y = group_num(m, "y");
	if (C->issue.y <= 0 || y - C->issue.y <= MAX_YEARS_AHEAD ||
	    rules_words_is(C->rs, "year.milestone", ys, len))
		return;
	char *written = ntext_dup(&r->t, a, b);
	checks_add_finding(C, r->line, "警告", "date.range_suspicious", &r->t, a, b,
			   "第%ld行年份“%s”比成文年份%d年晚%d年，疑为笔误，请与发文单位核实",
			   r->line, written, C->issue.y, y - C->issue.y);
	free(written);
}

/* Whether record i's text is scanned: inline items stand in their paragraph's
 * text, and a line written as two head records (issuer and title) once. */
static int scanned(const struct checks *C, size_t i)
{
	const struct chk_rec *r = &C->r[i];
	if (r->kind == CK_INLINE || (r->kind == CK_HEAD && strcmp(r->key, "docno") == 0))
		return 0;
	for (size_t k = i; k-- > 0 && C->r[k].line == r->line;)
		if (strcmp(buf_str(&C->r[k].t.orig), buf_str(&r->t.orig)) == 0)
			return 0;
	return 1;
}

typedef void (*check_fn)(struct checks *, const struct chk_rec *, const struct match *);

/* Calls fn for every match of the patterns called name in r's text. */
static void scan(struct checks *C, const struct chk_rec *r, const char *name, check_fn fn)
{
	struct match m;
	const char *s = buf_str(&r->t.norm);
	size_t n = r->t.norm.len;
	for (size_t at = 0; at < n && rules_scan(C->rs, name, s, n, at, &m) > 0;) {
		size_t a = match_start(&m), b = match_end(&m);
		fn(C, r, &m);
		at = checks_past(s, n, a, b);
	}
}

/* The deadline phrase of a task in r's text: the one whose period ends on the task's deadline. */
static int deadline_span(struct checks *C, const struct chk_rec *r, const struct chk_task *t,
			 size_t *a, size_t *b)
{
	if (*t->deadline_text) {
		struct ntext x = NTEXT_INIT;
		ntext_set(&x, t->deadline_text, strlen(t->deadline_text));
		const char *at = strstr(buf_str(&r->t.norm), buf_str(&x.norm));
		if (at) {
			*a = (size_t)(at - buf_str(&r->t.norm));
			*b = *a + x.norm.len;
		}
		ntext_free(&x);
		if (at)
			return 1;
	}
	struct match m;
	const char *s = buf_str(&r->t.norm);
	size_t n = r->t.norm.len;
	for (size_t at = 0; at < n && rules_scan(C->rs, "deadline", s, n, at, &m) > 0;) {
		size_t ma = match_start(&m), mb = match_end(&m);
		at = checks_past(s, n, ma, mb);
		char *phrase = nm_xstrndup(s + ma, mb - ma);
		struct ymd d;
		char iso[16] = "";
		if (dates_deadline(C->rs, phrase, &C->issue, 0, &d))
			snprintf(iso, sizeof iso, "%04d-%02d-%02d", d.y, d.m, d.d);
		free(phrase);
		if (strcmp(iso, t->deadline) == 0) {
			*a = ma, *b = mb;
			return 1;
		}
	}
	return 0;
}

/* A task's deadline (extract read it: a deadline phrase, not a year that
 * qualifies a noun) earlier than the 成文日期. */
static void check_deadlines(struct checks *C)
{
	if (!C->issue_whole)
		return;
	long issued = date_serial(C->issue.y, C->issue.m, C->issue.d);
	for (size_t i = 0; i < C->nt; i++) {
		const struct chk_task *t = &C->t[i];
		int y, m, d;
		if (!date_from_iso(t->deadline, &y, &m, &d) || date_serial(y, m, d) >= issued)
			continue;
		long line = t->deadline_line > 0 ? t->deadline_line : t->line;
		const struct chk_rec *r = NULL;
		size_t a = 0, b = 0, end, k = checks_line_range(C, line, &end);
		for (; k < end && !r; k++) {
			const struct chk_rec *q = &C->r[C->by_line[k]];
			if (q->kind != CK_INLINE && deadline_span(C, q, t, &a, &b))
				r = q;
		}
		if (!r)
			r = checks_rec_at(C, line), a = b = 0;
		char *phrase = r && b > a ? ntext_dup(&r->t, a, b) : nm_xstrdup(t->deadline_text);
		struct buf said = BUF_INIT;
		if (*phrase)
			buf_printf(&said, "“%s”（%d年%d月%d日）", phrase, y, m, d);
		else
			buf_printf(&said, "%d年%d月%d日", y, m, d);
		checks_add_finding(C, line, "警告", "date.deadline_before_issue", r ? &r->t : NULL,
				   a, b,
				   "第%ld项任务的完成时限%s早于成文日期%d年%d月%d日，"
				   "请与发文单位核实时限是否写错",
				   t->seq, buf_str(&said), C->issue.y, C->issue.m, C->issue.d);
		buf_free(&said);
		free(phrase);
	}
}

void checks_dates(struct checks *C)
{
	for (size_t i = 0; i < C->nr; i++) {
		if (!scanned(C, i))
			continue;
		const struct chk_rec *r = &C->r[i];
		scan(C, r, "date.any", check_date);
		scan(C, r, "date.range", check_range);
		scan(C, r, "date.year", check_year);
	}
	check_deadlines(C);
}
