/*
 * checks_header.c - the 发文字号, 标题 and 成文日期: one missing, a 成文日期
 * written incompletely (without year or day) or impossibly, a 发文字号 whose
 * year is not the 成文日期's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "notice/cn.h"
#include "stream/err.h"
#include "stream/utf8.h"

static const struct chk_rec *head_rec(const struct checks *C, long i)
{
	return i >= 0 ? &C->r[i] : NULL;
}

/* Whether a finding of rule (or of any date.* rule, rule "date.") is at line. */
static int reported(const struct checks *C, long line, const char *rule)
{
	for (size_t i = 0; i < C->nf; i++)
		if (C->f[i].line == line && str_starts(C->f[i].rule, rule))
			return 1;
	return 0;
}

/* The four digits of the year in a 发文字号, or 0. */
static int docno_year(const char *s)
{
	for (const char *p = s; *p; p++)
		if (p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
		    p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && (p[4] < '0' || p[4] > '9') &&
		    (p == s || p[-1] < '0' || p[-1] > '9')) {
			int y = (int)strtol(p, NULL, 10);
			return y >= 1950 && y <= 2100 ? y : 0;
		}
	return 0;
}

/* Reads the 成文日期 (a date without its year takes the 发文字号's). */
void checks_issue_date(struct checks *C)
{
	const struct chk_rec *d = head_rec(C, C->date), *no = head_rec(C, C->docno);
	C->issue = (struct ymd){0};
	C->issue_whole = 0;
	C->issue_form = ISSUE_NONE;
	if (!d)
		return;
	struct ntext v = NTEXT_INIT;
	ntext_set(&v, d->value, strlen(d->value));
	const char *s = buf_str(&v.norm);
	struct match m;
	struct ymd is = {0};
	enum chk_issue form = ISSUE_NONE;
	if (dates_issue(C->rs, s, &is)) {
		C->issue = is;
		C->issue_whole = is.m >= 1 && is.d >= 1 && date_valid(is.y, is.m, is.d);
		form = C->issue_whole                         ? ISSUE_WHOLE
		       : is.m >= 1 && is.m <= 12 && is.d == 0 ? ISSUE_NODAY
							      : ISSUE_INVALID;
	} else if (rules_match(C->rs, "header.date_noyear", s, v.norm.len, &m) > 0) {
		size_t ml, dl;
		const char *ms = match_group(&m, "m", &ml), *ds = match_group(&m, "d", &dl);
		int y = no ? docno_year(buf_str(&no->t.norm)) : 0;
		C->issue = (struct ymd){y, (int)cn_number(ms, ml), (int)cn_number(ds, dl)};
		C->issue_whole = y > 0 && date_valid(C->issue.y, C->issue.m, C->issue.d);
		form = ISSUE_NOYEAR;
	}
	ntext_free(&v);
	C->issue_form = form;
}

/* The 成文日期 reported where it is incomplete or impossible (and the scan of
 * the text has not said so already). */
static void check_issue(struct checks *C, enum chk_issue form)
{
	const struct chk_rec *d = head_rec(C, C->date);
	if (!d || form == ISSUE_NONE || form == ISSUE_WHOLE || reported(C, d->line, "date."))
		return;
	size_t a = 0, b = d->t.norm.len;
	a = checks_find(d, d->value, &b);
	if (b == 0)
		b = d->t.norm.len;
	char *written = ntext_dup(&d->t, a, b);
	const struct ymd *is = &C->issue;
	if (form == ISSUE_NODAY)
		checks_add_finding(C, d->line, "警告", "date.malformed", &d->t, a, b,
				   "第%ld行成文日期“%s”只写到月，缺“日”，请与发文单位核实后补全",
				   d->line, written);
	else if (form == ISSUE_INVALID)
		checks_add_finding(
			C, d->line, "错误", "date.invalid", &d->t, a, b,
			"第%ld行成文日期“%s”不存在（%d年%d月没有%d日），请与发文单位核实", d->line,
			written, is->y, is->m, is->d);
	else if (is->y > 0)
		checks_add_finding(C, d->line, "警告", "date.malformed", &d->t, a, b,
				   "第%ld行成文日期“%s”缺年份，已按发文字号的年份读作%d年%d月%d日，"
				   "请与发文单位核实后补全",
				   d->line, written, is->y, is->m, is->d);
	else
		checks_add_finding(C, d->line, "警告", "date.malformed", &d->t, a, b,
				   "第%ld行成文日期“%s”缺年份，请与发文单位核实后补全", d->line,
				   written);
	free(written);
}

void checks_header(struct checks *C, int complete)
{
	enum chk_issue form = C->issue_form;
	check_issue(C, form);
	const struct chk_rec *no = head_rec(C, C->docno);
	struct buf missing = BUF_INIT;
	if (!no)
		buf_adds(&missing, "发文字号、");
	if (!C->have_title)
		buf_adds(&missing, "标题、");
	if (form == ISSUE_NONE)
		buf_adds(&missing, "成文日期、");
	if (missing.len && complete) {
		missing.len -= strlen("、");
		missing.s[missing.len] = '\0';
		checks_add_finding(C, 0, "警告", "header.missing", NULL, 0, 0,
				   "文件中未找到%s，请对照原件核实：原件确无的，在文件信息中注明；"
				   "原件有而未识别的，请手工补录",
				   missing.s);
	}
	buf_free(&missing);
	const struct chk_rec *d = head_rec(C, C->date);
	int year = no ? docno_year(buf_str(&no->t.norm)) : 0;
	/* A 成文日期 that took its year from the 发文字号 cannot disagree with it. */
	if (no && d && year > 0 && C->issue_whole && form != ISSUE_NOYEAR && year != C->issue.y) {
		const char *s = buf_str(&no->t.norm);
		char y4[16];
		snprintf(y4, sizeof y4, "%d", year);
		const char *at = strstr(s, y4);
		size_t a = at ? (size_t)(at - s) : 0;
		checks_add_finding(C, no->line, "警告", "docno.year_mismatch", &no->t, a, a + 4,
				   "第%ld行发文字号“%s”的年份%d与成文日期%d年%d月%d日的年份不一致，"
				   "请与发文单位核实哪一个有误",
				   no->line, buf_str(&no->t.orig), year, C->issue.y, C->issue.m,
				   C->issue.d);
	}
}
