/*
 * tasks.c - 任务分工: one row per task under a merged title, the columns of
 * the contract, then those shown where they apply.
 *
 * Laid out for print before anything is written: every column the reader
 * needs on paper gets the width its text wants within its bounds, 任务内容
 * about 40% of the page, and the body font is the largest of 12, 11 and
 * 10.5 points at which that fits one A4 page wide without shrinking.
 * 原文行号, 一级标题 when one value holds for every task (it goes into the
 * subtitle) and a column no task fills stay in the sheet but hidden, so
 * they do not print.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/wb.h"

static const struct tcol {
	const char *head;
	double min, max; /* characters of the body font */
} COLS[T_NCOLS] = {
	[T_SEQ] = {"序号", 2, 3},
	[T_L1] = {"一级标题", 4, 8},
	[T_L2] = {"二级标题", 4, 9},
	[T_CONTENT] = {"任务内容", 12, 60},
	[T_LEADERS] = {"牵头领导", 3.4, 5},
	[T_LEAD] = {"牵头单位", 4, 9},
	[T_COOP] = {"配合单位", 4.4, 12},
	[T_DEADLINE] = {"完成时限", 7.8, 9},
	[T_METRICS] = {"量化指标", 3.4, 8},
	[T_LINE] = {"原文行号", 3, 4},
	[T_STATE] = {"完成状态", 3.4, 3.4},
	[T_PROGRESS] = {"进展情况", 4, 7},
	[T_TIMING] = {"时限状态", 3.4, 5.6},
	[T_ROLE] = {"角色", 2.4, 2.4},
	[T_NUM] = {"原文编号", 3, 5},
	[T_DEADTEXT] = {"时限原文", 4, 7},
	[T_WRITTEN] = {"原文单位", 5, 10},
	[T_SOURCE] = {"来源文件", 5, 10},
	[T_DOCNO] = {"发文字号", 5, 9.4},
};

/* 任务内容's share of the page: what it gets before the font shrinks. */
#define CONTENT_SHARE 0.40

struct plan {
	int shown[T_NCOLS], hidden[T_NCOLS];
	double want[T_NCOLS];  /* widest text, in characters */
	double chars[T_NCOLS]; /* the width chosen, in characters */
	double size;
	const char *l1; /* the one 一级标题 of every task, or NULL */
};

static int any(const struct wb_doc *d, const struct task_view *v, size_t off)
{
	for (size_t i = 0; i < v->n; i++) {
		const char *s = *(char *const *)((const char *)&d->tasks[v->tasks[i]] + off);
		if (s && *s)
			return 1;
	}
	return 0;
}

static double list_width(const char *s)
{
	struct buf j = BUF_INIT;
	for (const char *p = s ? s : ""; *p; p++) {
		if (*p == REC_LIST_SEP)
			buf_adds(&j, "、");
		else
			buf_addc(&j, *p);
	}
	double w = text_width(buf_str(&j));
	buf_free(&j);
	return w;
}

static void want(struct plan *p, int c, double w) { p->want[c] = w > p->want[c] ? w : p->want[c]; }

/* Whether the notice's own numbers tell the reader more than 序号: some
 * task's number is not its 序号 (一, （三）, 7 for the 6th). */
static int numbers_tell(const struct wb_doc *d, const struct task_view *v)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct wb_task *t = &d->tasks[v->tasks[i]];
		char seq[24];
		snprintf(seq, sizeof seq, "%ld", t->seq);
		if (t->num && *t->num && strcmp(t->num, seq) != 0)
			return 1;
	}
	return 0;
}

/* Which columns show and print, and how wide their text is. */
static void plan_columns(struct plan *p, const struct wb_doc *d, const struct task_view *v)
{
	memset(p, 0, sizeof *p);
	int summary = v->n && d->tasks[v->tasks[0]].source;
	for (int c = 0; c <= T_TIMING; c++)
		p->shown[c] = 1;
	p->shown[T_ROLE] = v->roles != NULL;
	p->shown[T_NUM] = numbers_tell(d, v);
	p->shown[T_DEADTEXT] = any(d, v, offsetof(struct wb_task, deadline_text));
	p->shown[T_WRITTEN] = d->as_of != NULL;
	p->shown[T_SOURCE] = p->shown[T_DOCNO] = summary;
	p->hidden[T_LINE] = 1;
	if (v->n && !summary) {
		p->l1 = d->tasks[v->tasks[0]].l1;
		for (size_t i = 1; i < v->n && p->l1; i++)
			if (strcmp(d->tasks[v->tasks[i]].l1, p->l1) != 0)
				p->l1 = NULL;
		p->hidden[T_L1] = p->l1 != NULL;
	}
	if (summary)
		p->hidden[T_L1] = 1; /* each notice's own headings; 二级标题 tells enough */
	/* a column no task fills tells the reader nothing on paper */
	p->hidden[T_L2] |= !any(d, v, offsetof(struct wb_task, l2));
	p->hidden[T_LEADERS] |= !any(d, v, offsetof(struct wb_task, leaders));
	p->hidden[T_COOP] |= !any(d, v, offsetof(struct wb_task, coop));
	p->hidden[T_METRICS] |= !any(d, v, offsetof(struct wb_task, metrics));
	for (int c = 0; c < T_NCOLS; c++)
		p->want[c] = text_width(COLS[c].head) / 2 + 0.6; /* headers wrap onto two lines */
	for (size_t i = 0; i < v->n; i++) {
		const struct wb_task *t = &d->tasks[v->tasks[i]];
		want(p, T_L1, text_width(t->l1));
		want(p, T_L2, text_width(t->l2));
		want(p, T_CONTENT, text_width(t->content));
		want(p, T_LEADERS, list_width(t->leaders));
		want(p, T_LEAD, list_width(t->lead));
		want(p, T_COOP, list_width(t->coop));
		want(p, T_DEADLINE, *t->deadline ? 7.8 : 0);
		want(p, T_METRICS, text_width(t->metrics));
		want(p, T_PROGRESS, t->progress ? text_width(t->progress) : 0);
		want(p, T_NUM, text_width(t->num));
		want(p, T_DEADTEXT, text_width(t->deadline_text));
		want(p, T_WRITTEN, t->written ? text_width(t->written) : 0);
		want(p, T_SOURCE, t->source ? text_width(t->source) : 0);
		want(p, T_DOCNO, t->docno ? text_width(t->docno) : 0);
	}
}

static double px(double chars, double size)
{
	return (double)(int)((chars * size * 96.0 / 72.0 + 6 - 5) / 7.0 * 7.0 + 5);
}

/* Widths at size; returns the share of the page 任务内容 gets. */
static double plan_widths(struct plan *p, double size, double squeeze)
{
	double page = page_units() * 7.0, others = 0;
	p->size = size;
	for (int c = 0; c < T_NCOLS; c++) {
		if (!p->shown[c] || c == T_CONTENT)
			continue;
		double w = p->want[c] + 0.4;
		double hi = COLS[c].min + (COLS[c].max - COLS[c].min) * squeeze;
		w = w < COLS[c].min ? COLS[c].min : w > hi ? hi : w;
		p->chars[c] = w;
		if (!p->hidden[c])
			others += px(w, size);
	}
	double room = page - others;
	double content = (room - 6) / (size * 96.0 / 72.0);
	double need = p->want[T_CONTENT] + 0.4;
	p->chars[T_CONTENT] = need < content
				      ? (need > COLS[T_CONTENT].min ? need : COLS[T_CONTENT].min)
				      : content;
	if (p->chars[T_CONTENT] < COLS[T_CONTENT].min)
		p->chars[T_CONTENT] = COLS[T_CONTENT].min;
	/* room 任务内容 does not need goes to the columns whose text wraps most */
	static const int MORE[] = {T_METRICS,  T_COOP,    T_LEAD,    T_L2,
				   T_DEADTEXT, T_WRITTEN, T_PROGRESS};
	double spare = content - p->chars[T_CONTENT];
	for (size_t i = 0; i < sizeof MORE / sizeof *MORE && spare > 0.5; i++) {
		int c = MORE[i];
		if (!p->shown[c] || p->hidden[c] || p->want[c] + 0.4 <= p->chars[c])
			continue;
		double add = p->want[c] + 0.4 - p->chars[c];
		add = add < spare ? add : spare;
		p->chars[c] += add;
		spare -= add;
	}
	if (need <= content)
		return 1; /* all of it fits on a line: as good as any share */
	return room / page;
}

static void plan(struct plan *p, const struct wb_doc *d, const struct task_view *v, double size)
{
	static const double SIZES[] = {12, 11, 10.5};
	plan_columns(p, d, v);
	if (size > 0) { /* the size chosen for the workbook: squeeze to give 任务内容 its share */
		for (double sq = 1; sq >= 0; sq -= 0.125)
			if (plan_widths(p, size, sq) >= CONTENT_SHARE)
				return;
		plan_widths(p, size, 0);
		return;
	}
	for (size_t i = 0; i < sizeof SIZES / sizeof *SIZES; i++)
		if (plan_widths(p, SIZES[i], 1) >= CONTENT_SHARE)
			return;
	/* At 10.5 points the other columns give up width, down to their least,
	 * until 任务内容 has its share; failing that, what it can get. */
	for (double sq = 1; sq >= 0; sq -= 0.125)
		if (plan_widths(p, 10.5, sq) >= CONTENT_SHARE)
			return;
	plan_widths(p, 10.5, 0);
}

double tasks_font_size(const struct wb_doc *d, const struct task_view *v)
{
	struct plan p;
	plan(&p, d, v, 0);
	return p.size;
}

void task_cell(const struct task_layout *lay, int c, size_t k, char *out, size_t cap)
{
	char col[8];
	lxw_col_to_name(col, (lxw_col_t)(lay->col[c] < 0 ? 0 : lay->col[c]), 1);
	snprintf(out, cap, "'%s'!%s$%zu", TASK_SHEET, col, k + TASK_FIRST_ROW + 1);
}

static void task_row(struct book *b, lxw_worksheet *ws, const struct task_layout *lay, lxw_row_t r,
		     const struct wb_task *t, int band, const char *role)
{
	const struct fmts *f = &b->f;
	const int *col = lay->col;
	char h[8], k[8], formula[512];
	put_num(b, ws, r, (lxw_col_t)col[T_SEQ], (double)t->seq, f->mid[band]);
	put_text(b, ws, r, (lxw_col_t)col[T_L1], t->l1, f->text[band]);
	put_text(b, ws, r, (lxw_col_t)col[T_L2], t->l2, f->text[band]);
	put_text(b, ws, r, (lxw_col_t)col[T_CONTENT], t->content, f->text[band]);
	put_list(b, ws, r, (lxw_col_t)col[T_LEADERS], t->leaders, f->text[band]);
	put_list(b, ws, r, (lxw_col_t)col[T_LEAD], t->lead, f->text[band]);
	put_list(b, ws, r, (lxw_col_t)col[T_COOP], t->coop, f->text[band]);
	put_date(b, ws, r, (lxw_col_t)col[T_DEADLINE], t->deadline, f->date[band], f->mid[band]);
	put_text(b, ws, r, (lxw_col_t)col[T_METRICS], t->metrics, f->text[band]);
	put_num(b, ws, r, (lxw_col_t)col[T_LINE], (double)t->line, f->mid[band]);
	if (t->state && *t->state)
		put_text(b, ws, r, (lxw_col_t)col[T_STATE], t->state, f->state[band]);
	else
		put_blank(b, ws, r, (lxw_col_t)col[T_STATE], f->state[band]);
	if (t->progress && *t->progress)
		put_text(b, ws, r, (lxw_col_t)col[T_PROGRESS], t->progress, f->text[band]);
	else
		put_blank(b, ws, r, (lxw_col_t)col[T_PROGRESS], f->text[band]);
	lxw_col_to_name(h, (lxw_col_t)col[T_DEADLINE], 1);
	lxw_col_to_name(k, (lxw_col_t)col[T_STATE], 1);
	unsigned n = (unsigned)r + 1;
	snprintf(
		formula, sizeof formula,
		"=IF(%s%u=\"已完成\",\"已完成\",IF(NOT(ISNUMBER(%s%u)),\"未明确时限\","
		"IF(%s%u<TODAY(),\"逾期\"&(TODAY()-%s%u)&\"天\",IF(%s%u-TODAY()<=30,\"30天内到期\",\"\"))))",
		k, n, h, n, h, n, h, n, h, n);
	put_formula(b, ws, r, (lxw_col_t)col[T_TIMING], formula, "", f->mid[band]);
	if (col[T_ROLE] >= 0)
		put_text(b, ws, r, (lxw_col_t)col[T_ROLE], role ? role : "", f->mid[band]);
	if (col[T_NUM] >= 0)
		put_text(b, ws, r, (lxw_col_t)col[T_NUM], t->num, f->mid[band]);
	if (col[T_DEADTEXT] >= 0)
		put_text(b, ws, r, (lxw_col_t)col[T_DEADTEXT], t->deadline_text, f->text[band]);
	if (col[T_WRITTEN] >= 0)
		put_text(b, ws, r, (lxw_col_t)col[T_WRITTEN], t->written ? t->written : "",
			 f->text[band]);
	if (col[T_SOURCE] >= 0) {
		put_text(b, ws, r, (lxw_col_t)col[T_SOURCE], t->source, f->text[band]);
		put_text(b, ws, r, (lxw_col_t)col[T_DOCNO], t->docno, f->text[band]);
	}
}

static int banded_by_l2(const struct wb_doc *d, const struct task_view *v)
{
	for (size_t i = 1; i < v->n; i++)
		if (strcmp(d->tasks[v->tasks[i]].l1, d->tasks[v->tasks[0]].l1) != 0)
			return 0;
	return 1;
}

/*
 * The 任务分工 sheet of the tasks of v. Rows are banded by 一级标题, or by
 * 二级标题 when all tasks share one 一级标题. lay says where each column went.
 */
void sheet_tasks(struct book *b, const struct wb_doc *d, lxw_worksheet *ws,
		 const struct task_view *v, struct task_layout *lay)
{
	struct plan p;
	sheet_begin(b, TASK_SHEET);
	plan(&p, d, v, b->size);
	lay->ncols = 0;
	for (int c = 0; c < T_NCOLS; c++)
		lay->col[c] = p.shown[c] ? (int)lay->ncols++ : -1;
	if (!ws)
		return;
	double width = 0;
	for (int c = 0; c < T_NCOLS; c++) {
		if (lay->col[c] < 0)
			continue;
		lxw_col_t x = (lxw_col_t)lay->col[c];
		double u = book_units(b, p.chars[c]);
		lxw_row_col_options hide = {.hidden = 1};
		book_ok(b, worksheet_set_column_opt(ws, x, x, u, NULL, p.hidden[c] ? &hide : NULL));
		if (x < NWIDTH) {
			b->colw[x] = u;
			b->hidden[x] = (unsigned char)p.hidden[c];
		}
		if (!p.hidden[c])
			width += u;
		put_text(b, ws, TASK_HEAD_ROW, x, COLS[c].head, b->f.head);
	}
	int band = 0, by_l2 = banded_by_l2(d, v);
	for (size_t i = 0; i < v->n; i++) {
		const struct wb_task *t = &d->tasks[v->tasks[i]];
		const struct wb_task *prev = &d->tasks[v->tasks[i ? i - 1 : 0]];
		if (strcmp(t->l1, prev->l1) != 0 || (by_l2 && strcmp(t->l2, prev->l2) != 0))
			band = !band;
		task_row(b, ws, lay, (lxw_row_t)(i + TASK_FIRST_ROW), t, band,
			 v->roles ? v->roles[i] : NULL);
	}
	fit_rows(b, ws);
	struct buf sub = BUF_INIT;
	buf_adds(&sub, v->sub ? v->sub : "");
	if (p.l1 && *p.l1)
		buf_printf(&sub, "%s%s", sub.len ? "　" : "", p.l1);
	title_cell(b, ws, 0, (lxw_col_t)(lay->ncols - 1), v->title, buf_str(&sub), width);
	buf_free(&sub);
	worksheet_freeze_panes(ws, TASK_FIRST_ROW, 0);
	lxw_row_t last = (lxw_row_t)(v->n + TASK_FIRST_ROW - 1);
	book_ok(b, worksheet_autofilter(ws, TASK_HEAD_ROW, 0, v->n ? last : TASK_HEAD_ROW,
					(lxw_col_t)(lay->ncols - 1)));
	if (v->n) {
		state_list(b, ws, TASK_FIRST_ROW, last, (lxw_col_t)lay->col[T_STATE]);
		status_colours(b, ws, TASK_FIRST_ROW, last, (lxw_col_t)(lay->ncols - 1),
			       (lxw_col_t)lay->col[T_DEADLINE], (lxw_col_t)lay->col[T_STATE]);
	}
	page_setup(b, ws, TASK_HEAD_ROW, TASK_HEAD_ROW, 0, 1, v->header);
}
