/*
 * people.c - 按领导 and 按单位: what each leader leads, what each unit is
 * sent (and, for a task it co-operates on, who leads it). 完成状态,
 * 进展情况 and 时限状态 are formulas over the task's row in 任务分工, so staff
 * type status once and see it everywhere; the rows take the same colours.
 */
#include <stdio.h>
#include <string.h>

#include "stream/err.h"
#include "workbook/wb.h"

#define SHORT_CHARS 60

enum { P_STATE, P_PROGRESS, P_TIMING, P_NSTATUS };

/* The three status columns of a row, by formula over 任务分工. */
static void status_cells(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c,
			 const struct task_layout *lay, size_t k, int band)
{
	static const int FROM[P_NSTATUS] = {T_STATE, T_PROGRESS, T_TIMING};
	for (int i = 0; i < P_NSTATUS; i++) {
		char cell[64], formula[200];
		task_cell(lay, FROM[i], k, cell, sizeof cell);
		snprintf(formula, sizeof formula, "=IF(%s=\"\",\"\",%s)", cell, cell);
		put_formula(b, ws, r, (lxw_col_t)(c + i), formula, "",
			    i == P_PROGRESS ? b->f.text[band] : b->f.mid[band]);
	}
}

/* Widths for print: each column its text within bounds, col content the rest of the page. */
static void print_widths(struct book *b, lxw_worksheet *ws, const struct column *cols, size_t n,
			 size_t content)
{
	double others = 0;
	for (size_t c = 0; c < n; c++) {
		if (c == content)
			continue;
		double w = b->width[c] + 0.4;
		w = w < cols[c].min ? cols[c].min : w > cols[c].max ? cols[c].max : w;
		double u = book_units(b, w);
		set_width(b, ws, (lxw_col_t)c, u);
		others += u * 7 + 5;
	}
	double room = (page_units() * 7 - others) * 0.93 - 5; /* more columns, more rounding */
	double w = book_chars(b, room / 7.0);
	double need = b->width[content] + 0.4;
	w = need < w ? need : w;
	w = w < cols[content].min ? cols[content].min : w;
	set_width(b, ws, (lxw_col_t)content, book_units(b, w));
}

static void finish(struct book *b, lxw_worksheet *ws, lxw_row_t rows, size_t ncols, lxw_col_t dcol,
		   lxw_col_t scol)
{
	fit_rows(b, ws);
	worksheet_freeze_panes(ws, 1, 0);
	book_ok(b, worksheet_autofilter(ws, 0, 0, rows ? rows : 1, (lxw_col_t)(ncols - 1)));
	if (rows)
		status_colours(b, ws, 1, rows, (lxw_col_t)(ncols - 1), dcol, scol);
	page_setup(b, ws, 0, 0, 0, 1, NULL);
}

enum { L_LEADER, L_SEQ, L_CONTENT, L_LEAD, L_COOP, L_DEADLINE, L_STATUS, L_NCOLS = L_STATUS + 3 };

static const struct column LEADER_COLS[L_NCOLS] = {
	{"牵头领导", 3.4, 4},   {"序号", 2.2, 3},   {"任务内容", 12, 40},
	{"牵头单位", 5, 8},     {"配合单位", 5, 8}, {"完成时限", 7.8, 7.8},
	{"完成状态", 3.4, 3.4}, {"进展情况", 5, 6}, {"时限状态", 3.4, 3.4},
};

static void leader_row(struct book *b, lxw_worksheet *ws, lxw_row_t r, const char *leader,
		       const struct model *m, size_t t, const struct task_layout *lay, int band)
{
	const struct fmts *f = &b->f;
	const struct wb_task *task = &m->d->tasks[t];
	put_text(b, ws, r, L_LEADER, leader, f->text[band]);
	put_num(b, ws, r, L_SEQ, (double)task->seq, f->mid[band]);
	put_short(b, ws, r, L_CONTENT, task->content, SHORT_CHARS, f->text[band]);
	put_list(b, ws, r, L_LEAD, task->lead, f->text[band]);
	put_list(b, ws, r, L_COOP, task->coop, f->text[band]);
	put_date(b, ws, r, L_DEADLINE, task->deadline, f->date[band], f->mid[band]);
	status_cells(b, ws, r, L_STATUS, lay, m->rank[t], band);
}

void sheet_leaders(struct book *b, const struct model *m, lxw_worksheet *ws,
		   const struct task_layout *lay)
{
	const struct wb_doc *d = m->d;
	sheet_begin(b, "按领导");
	if (!ws)
		return;
	put_header(b, ws, 0, LEADER_COLS, L_NCOLS);
	lxw_row_t r = 1;
	int band = 1;
	for (size_t i = 0; i < m->ll.n; i++) {
		const struct link *l = &m->ll.v[i];
		band ^= i == 0 || l->who != m->ll.v[i - 1].who;
		leader_row(b, ws, r++, m->leaders.v[l->who], m, l->task, lay, band);
	}
	band ^= 1;
	for (size_t k = 0; k < d->ntasks; k++)
		if (!m->tleaders[m->order[k]])
			leader_row(b, ws, r++, NOBODY, m, m->order[k], lay, band);
	print_widths(b, ws, LEADER_COLS, L_NCOLS, L_CONTENT);
	finish(b, ws, r - 1, L_NCOLS, L_DEADLINE, L_STATUS);
}

enum {
	U_UNIT,
	U_ROLE,
	U_SEQ,
	U_CONTENT,
	U_LEAD,
	U_LEADERS,
	U_DEADLINE,
	U_STATUS,
	U_NCOLS = U_STATUS + 3
};

static const struct column UNIT_COLS[U_NCOLS] = {
	{"单位", 5, 8},     {"角色", 2.4, 2.4},     {"序号", 2.2, 3},       {"任务内容", 12, 40},
	{"牵头单位", 5, 8}, {"牵头领导", 3.4, 4},   {"完成时限", 7.8, 7.8}, {"完成状态", 3.4, 3.4},
	{"进展情况", 5, 6}, {"时限状态", 3.4, 3.4},
};

void sheet_units(struct book *b, const struct model *m, lxw_worksheet *ws,
		 const struct task_layout *lay)
{
	const struct wb_doc *d = m->d;
	const struct fmts *f = &b->f;
	sheet_begin(b, "按单位");
	if (!ws)
		return;
	put_header(b, ws, 0, UNIT_COLS, U_NCOLS);
	int band = 1;
	for (size_t i = 0; i < m->ul.n; i++) {
		const struct link *l = &m->ul.v[i];
		const struct wb_task *t = &d->tasks[l->task];
		lxw_row_t r = (lxw_row_t)(i + 1);
		band ^= i == 0 || l->who != m->ul.v[i - 1].who;
		put_text(b, ws, r, U_UNIT, m->units.v[l->who], f->text[band]);
		put_text(b, ws, r, U_ROLE, l->lead ? "牵头" : "配合", f->mid[band]);
		put_num(b, ws, r, U_SEQ, (double)t->seq, f->mid[band]);
		put_short(b, ws, r, U_CONTENT, t->content, SHORT_CHARS, f->text[band]);
		put_list(b, ws, r, U_LEAD, model_lead(m, t), f->text[band]);
		put_list(b, ws, r, U_LEADERS, t->leaders, f->text[band]);
		put_date(b, ws, r, U_DEADLINE, t->deadline, f->date[band], f->mid[band]);
		status_cells(b, ws, r, U_STATUS, lay, m->rank[l->task], band);
	}
	print_widths(b, ws, UNIT_COLS, U_NCOLS, U_CONTENT);
	finish(b, ws, (lxw_row_t)m->ul.n, U_NCOLS, U_DEADLINE, U_STATUS);
}
