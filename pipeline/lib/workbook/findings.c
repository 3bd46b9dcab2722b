/*
 * findings.c - 校验结果 as a list of things to do: the contract's five
 * columns, then 规则名称, 任务序号, 处理建议 and an empty 处理结果 for staff.
 * What decides whom to chase comes first: errors before warnings before
 * hints, then by the order of rules in the setting finding.order (a task
 * without a lead unit first), then by task and line. The quote is cut to
 * about 30 characters around what the finding is about.
 *
 * A finding record carries its task, name and advice once the validate
 * stage fills them; until then the task is found by line and the name and
 * advice come from the settings finding.name.RULE and finding.advice.RULE
 * (rules/workbook.rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/wb.h"

#define QUOTE_CHARS 30
#define QUOTE_KEEP 40 /* a quote up to this long is kept whole */

enum { F_LEVEL, F_RULE, F_LINE, F_MESSAGE, F_TEXT, F_NAME, F_SEQ, F_ADVICE, F_DONE, F_NCOLS };

static const struct column COLS[F_NCOLS] = {
	{"级别", 2.4, 2.4},     {"规则", 6, 9},      {"行号", 2.6, 3},
	{"说明", 8, 12},        {"原文", 8, 11},     {"规则名称", 4, 6},
	{"任务序号", 2.6, 2.6}, {"处理建议", 8, 12}, {"处理结果", 7, 7},
};

/* Used when the rules say nothing (finding.order). */
static const char DEFAULT_ORDER[] =
	"task.missing_field unit.renamed date.deadline_before_issue date.invalid date.malformed "
	"date.range_suspicious count.mismatch layout.row_limit task.none task.unread numbering.gap "
	"numbering.duplicate header.missing docno.malformed docno.year_mismatch leader.variant "
	"encoding.invalid_bytes rules.match_limit unit.alias";

static const char *setting(const struct wb_options *o, const char *kind, const char *rule)
{
	if (!o || !o->rules)
		return NULL;
	char key[160];
	snprintf(key, sizeof key, "finding.%s.%s", kind, rule);
	return rules_setting(o->rules, key);
}

const char *finding_name(const struct wb_options *o, const struct wb_finding *f)
{
	const char *s = f->name && *f->name ? f->name : setting(o, "name", f->rule);
	return s ? s : "";
}

const char *finding_advice(const struct wb_options *o, const struct wb_finding *f)
{
	const char *s = f->advice && *f->advice ? f->advice : setting(o, "advice", f->rule);
	return s ? s : "";
}

/* The place of rule in the order: its position among the words, or past them all. */
static size_t rule_rank(const char *order, const char *rule)
{
	size_t rank = 0, n = strlen(rule);
	for (const char *p = order; *p;) {
		p += strspn(p, " \t");
		size_t w = strcspn(p, " \t");
		if (!w)
			break;
		if (w == n && strncmp(p, rule, n) == 0)
			return rank;
		rank++;
		p += w;
	}
	return rank + 1;
}

struct ranked {
	size_t index, rank;
	int level;
	long seq, line;
};

static int by_priority(const void *pa, const void *pb)
{
	const struct ranked *a = pa, *b = pb;
	int c = a->level - b->level;
	if (!c)
		c = wb_cmp_size(a->rank, b->rank);
	if (!c)
		c = wb_cmp_long(a->seq ? a->seq : 1L << 40, b->seq ? b->seq : 1L << 40);
	if (!c)
		c = wb_cmp_long(a->line, b->line);
	return c ? c : wb_cmp_size(a->index, b->index);
}

/* The longest piece of the message (between punctuation) that the text holds. */
static const char *hit_in(const char *text, const char *message, size_t *len)
{
	static const char *const MARKS[] = {"，", "。", "：", "；", "、", "“",  "”",
					    "‘",  "’",  "（", "）", "《", "》", "「",
					    "」", "〔", "〕", "…",  NULL};
	const char *best = NULL;
	size_t best_n = 0;
	for (const char *p = message; *p;) {
		size_t n = 0;
		for (;;) {
			const char *q = p + n;
			int mark = !*q ||
				   (*q > 0 && *q < 0x7F && strchr(" \t\n,.:;()\"'[]/=<>", *q));
			for (size_t i = 0; !mark && MARKS[i]; i++)
				mark = str_starts(q, MARKS[i]);
			if (mark)
				break;
			n++;
		}
		if (n > best_n && n >= 4) {
			char *piece = nm_xstrndup(p, n);
			const char *at = strstr(text, piece);
			free(piece);
			if (at)
				best = at, best_n = n;
		}
		p += n;
		if (*p) { /* past the mark */
			size_t k = 1;
			while (((unsigned char)p[k] & 0xC0) == 0x80)
				k++;
			p += k;
		}
	}
	*len = best_n;
	return best;
}

/* About QUOTE_CHARS characters of text around what message speaks of. */
static void quote(const char *text, const char *message, struct buf *out)
{
	size_t chars = utf8_chars(text, strlen(text));
	if (chars <= QUOTE_KEEP) {
		buf_adds(out, text);
		return;
	}
	size_t hlen = 0, from = 0;
	const char *hit = hit_in(text, message, &hlen);
	if (hit) {
		size_t at = utf8_chars(text, (size_t)(hit - text)), hc = utf8_chars(hit, hlen);
		size_t pad = hc < QUOTE_CHARS ? (QUOTE_CHARS - hc) / 2 : 0;
		from = at > pad ? at - pad : 0;
		if (from + QUOTE_CHARS > chars)
			from = chars > QUOTE_CHARS ? chars - QUOTE_CHARS : 0;
	}
	size_t i = 0, c = 0;
	while (text[i] && c < from)
		c += ((unsigned char)text[++i] & 0xC0) != 0x80;
	size_t j = i;
	for (c = 0; text[j] && c < QUOTE_CHARS;)
		c += ((unsigned char)text[++j] & 0xC0) != 0x80;
	if (i > 0)
		buf_adds(out, "…");
	buf_add(out, text + i, j - i);
	if (text[j])
		buf_adds(out, "…");
}

/* 行号: a link to the task row holding the line, where there is one. */
static void finding_line(struct book *b, const struct model *m, lxw_worksheet *ws, lxw_row_t r,
			 long line, int lv, size_t *links)
{
	size_t t;
	if (line <= 0) {
		put_blank(b, ws, r, F_LINE, b->f.lmid[lv]); /* the whole notice */
	} else if (*links < LXW_MAX_NUMBER_URLS && model_task_at(m, line, &t)) {
		char url[64], tip[64], shown[32];
		snprintf(url, sizeof url, "internal:'" TASK_SHEET "'!A%zu",
			 m->rank[t] + TASK_FIRST_ROW + 1);
		snprintf(tip, sizeof tip, "转到任务 %ld", m->d->tasks[t].seq);
		snprintf(shown, sizeof shown, "%ld", line);
		book_ok(b, worksheet_write_url_opt(ws, r, F_LINE, url, b->f.llink[lv], shown, tip));
		put_num(b, ws, r, F_LINE, (double)line, b->f.llink[lv]);
		(*links)++;
	} else {
		put_num(b, ws, r, F_LINE, (double)line, b->f.lmid[lv]);
	}
}

/* The 序号 of the task a finding concerns: its own, or the task holding its line. */
static long finding_seq(const struct model *m, const struct wb_finding *f)
{
	size_t t;
	if (f->seq > 0)
		return f->seq;
	if (f->line > 0 && model_task_at(m, f->line, &t))
		return m->d->tasks[t].seq;
	return 0;
}

void sheet_findings(struct book *b, const struct model *m, lxw_worksheet *ws,
		    const struct wb_options *o)
{
	const struct wb_doc *d = m->d;
	sheet_begin(b, "校验结果");
	if (!ws)
		return;
	const char *order = o && o->rules ? rules_setting(o->rules, "finding.order") : NULL;
	struct ranked *v = nm_xmalloc((d->nfindings ? d->nfindings : 1) * sizeof *v);
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct wb_finding *f = &d->findings[i];
		v[i] = (struct ranked){i, rule_rank(order ? order : DEFAULT_ORDER, f->rule),
				       wb_level_index(f->level), finding_seq(m, f), f->line};
	}
	wb_sort(v, d->nfindings, sizeof *v, by_priority);
	put_header(b, ws, 0, COLS, F_NCOLS);
	struct buf q = BUF_INIT;
	size_t links = 0;
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct wb_finding *f = &d->findings[v[i].index];
		lxw_row_t r = (lxw_row_t)(i + 1);
		int lv = v[i].level;
		put_text(b, ws, r, F_LEVEL, f->level, b->f.lmid[lv]);
		put_text(b, ws, r, F_RULE, f->rule, b->f.ltext[lv]);
		finding_line(b, m, ws, r, f->line, lv, &links);
		put_text(b, ws, r, F_MESSAGE, f->message, b->f.ltext[lv]);
		buf_reset(&q);
		quote(f->text, f->message, &q);
		put_text(b, ws, r, F_TEXT, buf_str(&q), b->f.ltext[lv]);
		put_text(b, ws, r, F_NAME, finding_name(o, f), b->f.ltext[lv]);
		if (v[i].seq > 0)
			put_num(b, ws, r, F_SEQ, (double)v[i].seq, b->f.lmid[lv]);
		else
			put_blank(b, ws, r, F_SEQ, b->f.lmid[lv]);
		put_text(b, ws, r, F_ADVICE, finding_advice(o, f), b->f.ltext[lv]);
		put_blank(b, ws, r, F_DONE, b->f.text[0]);
	}
	if (!d->nfindings) {
		for (lxw_col_t c = 0; c < F_NCOLS; c++)
			put_blank(b, ws, 1, c, b->f.text[0]);
		put_text(b, ws, 1, F_MESSAGE, "未发现问题", b->f.text[0]);
	}
	buf_free(&q);
	free(v);
	set_widths(b, ws, COLS, F_NCOLS);
	fit_rows(b, ws);
	worksheet_freeze_panes(ws, 1, 0);
	book_ok(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(d->nfindings ? d->nfindings : 1),
					F_NCOLS - 1));
	page_setup(b, ws, 0, 0, 0, 1, NULL);
}
