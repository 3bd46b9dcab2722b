/*
 * matrix.c - 责任矩阵: one row per unit, one column per task; ● where the
 * unit leads, ○ where it co-operates. Units in the order the notice names
 * them first, their totals beside their names (so they print on the first
 * page however many tasks follow), a short name of each task above its
 * number, a filter on the header.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/wb.h"

/* Columns: 16,384 in all, the unit column and the two totals aside. */
#define MATRIX_MAX_TASKS 16380
/* Blank bordered cells make the matrix a grid; past this many, marks only. */
#define GRID_CELLS 250000
#define SHORT_NAME 10
#define LEGEND "● 牵头　○ 配合"

/* Pages across for a sheet this many units wide: one, unless that would
 * print it below 90% of its size. */
static uint16_t pages_across(double units)
{
	double page = page_units();
	if (units * 0.9 <= page)
		return 1;
	double pages = units / page;
	return pages > 60000 ? 60000 : (uint16_t)pages + 1;
}

static double seq_width(const struct model *m)
{
	long max = 1;
	for (size_t i = 0; i < m->d->ntasks; i++)
		max = labs(m->d->tasks[i].seq) > max ? labs(m->d->tasks[i].seq) : max;
	int digits = snprintf(NULL, 0, "%ld", max);
	return digits < 2 ? 2.2 : digits * 0.6 + 1;
}

/* A task's short name: its text up to the first pause, at most SHORT_NAME characters. */
static void short_name(const char *s, struct buf *out)
{
	static const char *const SKIP[] = {"——", "—", "-", " ", NULL};
	static const char *const STOP[] = {"，", "。", "；", "：", ",", ";", ":", "\n", NULL};
	for (int again = 1; again;) {
		again = 0;
		for (size_t i = 0; SKIP[i]; i++)
			if (str_starts(s, SKIP[i]))
				s += strlen(SKIP[i]), again = 1;
	}
	size_t chars = 0, at = 0;
	while (s[at] && chars < SHORT_NAME) {
		int stop = 0;
		for (size_t i = 0; STOP[i]; i++)
			if (str_starts(s + at, STOP[i]))
				stop = 1;
		if (stop)
			break;
		at++;
		while (((unsigned char)s[at] & 0xC0) == 0x80)
			at++;
		chars++;
	}
	buf_add(out, s, at);
}

static void matrix_grid(struct book *b, lxw_worksheet *ws, size_t rows, size_t cols, lxw_row_t r0,
			lxw_col_t c0)
{
	if (rows * cols > GRID_CELLS)
		return;
	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < cols; c++)
			put_blank(b, ws, r0 + (lxw_row_t)r, c0 + (lxw_col_t)c, b->f.mark);
}

enum { M_TITLE, M_NAMES, M_HEAD, M_FIRST };

static void matrix_wide(struct book *b, const struct model *m, lxw_worksheet *ws, const char *title)
{
	size_t n = m->d->ntasks, nu = m->units.n;
	const lxw_col_t first = 3;
	lxw_row_t sum = (lxw_row_t)(nu + M_FIRST);
	const struct fmts *f = &b->f;
	struct buf name = BUF_INIT;
	size_t tallest = 2;
	put_text(b, ws, M_HEAD, 0, "单位", f->head);
	put_text(b, ws, M_HEAD, 1, "牵头数", f->head);
	put_text(b, ws, M_HEAD, 2, "配合数", f->head);
	put_text(b, ws, M_NAMES, 0, "任务简称", f->head);
	put_blank(b, ws, M_NAMES, 1, f->head);
	put_blank(b, ws, M_NAMES, 2, f->head);
	for (size_t k = 0; k < n; k++) {
		const struct wb_task *t = &m->d->tasks[m->order[k]];
		lxw_col_t c = (lxw_col_t)(k + first);
		put_num(b, ws, M_HEAD, c, (double)t->seq, f->head);
		buf_reset(&name);
		short_name(t->content, &name);
		size_t chars = utf8_chars(name.s ? name.s : "", name.len);
		tallest = chars > tallest ? chars : tallest;
		put_text(b, ws, M_NAMES, c, buf_str(&name), f->head_rot);
		put_num(b, ws, sum, c, (double)m->tunits[m->order[k]], f->total);
	}
	buf_free(&name);
	matrix_grid(b, ws, nu, n, M_FIRST, first);
	size_t leads = 0, coops = 0;
	for (size_t i = 0; i < nu; i++) {
		size_t u = m->uorder[i];
		lxw_row_t r = (lxw_row_t)(i + M_FIRST);
		put_text(b, ws, r, 0, m->units.v[u], f->text[0]);
		put_num(b, ws, r, 1, (double)m->ulead[u], f->mark);
		put_num(b, ws, r, 2, (double)m->ucoop[u], f->mark);
		leads += m->ulead[u], coops += m->ucoop[u];
	}
	for (size_t i = 0; i < m->ul.n; i++) {
		const struct link *l = &m->ul.v[i];
		put_text(b, ws, (lxw_row_t)(m->urank[l->who] + M_FIRST),
			 (lxw_col_t)(m->rank[l->task] + first), l->lead ? "●" : "○", f->mark);
	}
	put_text(b, ws, sum, 0, "合计(单位数)", f->total);
	put_num(b, ws, sum, 1, (double)leads, f->total);
	put_num(b, ws, sum, 2, (double)coops, f->total);
	double w0 = b->width[0] + 0.5;
	w0 = w0 < 6 ? 6 : w0 > 14 ? 14 : w0;
	double u0 = book_units(b, w0), ut = book_units(b, seq_width(m)), un = book_units(b, 3.6);
	set_width(b, ws, 0, u0);
	book_ok(b, worksheet_set_column(ws, 1, 2, un, NULL));
	b->colw[1] = b->colw[2] = un;
	if (n)
		book_ok(b, worksheet_set_column(ws, first, (lxw_col_t)(first + n - 1), ut, NULL));
	fit_rows(b, ws);
	double names_h = (double)tallest * b->size * 1.1 + 8;
	book_ok(b,
		worksheet_set_row(ws, M_NAMES, names_h > ROW_MAX_PT ? ROW_MAX_PT : names_h, NULL));
	double width = u0 + 2 * un + (double)n * ut;
	double page = page_units();
	title_cell(b, ws, M_TITLE, (lxw_col_t)(first + (n ? n : 1) - 1), title, LEGEND,
		   width < page ? width : page);
	book_ok(b,
		worksheet_autofilter(ws, M_HEAD, 0, sum - 1, (lxw_col_t)(first + (n ? n : 1) - 1)));
	worksheet_freeze_panes(ws, M_FIRST, first);
	page_setup(b, ws, M_NAMES, M_HEAD, 0, pages_across(width), NULL);
	book_ok(b, worksheet_repeat_columns(ws, 0, 2));
}

/* More tasks than Excel has columns: a row per task, a column per unit. */
static void matrix_tall(struct book *b, const struct model *m, lxw_worksheet *ws)
{
	size_t n = m->d->ntasks, nu = m->units.n;
	size_t shown = nu < LXW_COL_MAX - 2 ? nu : LXW_COL_MAX - 2;
	lxw_col_t count = (lxw_col_t)(shown + 1);
	const struct fmts *f = &b->f;
	struct buf note = BUF_INIT;
	buf_printf(
		&note,
		"任务共 %zu 项,超过 Excel 的列数上限,矩阵已转置:每行一项任务,每列一个单位。" LEGEND,
		n);
	if (shown < nu)
		buf_printf(&note, "单位共 %zu 个,只列出前 %zu 个。", nu, shown);
	put_text(b, ws, 0, 0, buf_str(&note), f->note);
	buf_free(&note);
	put_text(b, ws, 1, 0, "序号", f->head);
	size_t tallest = 2;
	for (size_t i = 0; i < shown; i++) {
		const char *name = m->units.v[m->uorder[i]];
		size_t chars = utf8_chars(name, strlen(name));
		tallest = chars > tallest ? chars : tallest;
		put_text(b, ws, 1, (lxw_col_t)(i + 1), name, f->head_rot);
		put_num(b, ws, (lxw_row_t)(n + 2), (lxw_col_t)(i + 1),
			(double)m->ulead[m->uorder[i]], f->total);
		put_num(b, ws, (lxw_row_t)(n + 3), (lxw_col_t)(i + 1),
			(double)m->ucoop[m->uorder[i]], f->total);
	}
	put_text(b, ws, 1, count, "单位数", f->head);
	matrix_grid(b, ws, n, shown, 2, 1);
	for (size_t k = 0; k < n; k++) {
		put_num(b, ws, (lxw_row_t)(k + 2), 0, (double)m->d->tasks[m->order[k]].seq,
			f->mark);
		put_num(b, ws, (lxw_row_t)(k + 2), count, (double)m->tunits[m->order[k]], f->mark);
	}
	for (size_t i = 0; i < m->ul.n; i++) {
		const struct link *l = &m->ul.v[i];
		if (m->urank[l->who] < shown)
			put_text(b, ws, (lxw_row_t)(m->rank[l->task] + 2),
				 (lxw_col_t)(m->urank[l->who] + 1), l->lead ? "●" : "○", f->mark);
	}
	put_text(b, ws, (lxw_row_t)(n + 2), 0, "牵头数", f->total);
	put_text(b, ws, (lxw_row_t)(n + 3), 0, "配合数", f->total);
	double h = (double)tallest * b->size * 1.1 + 8;
	book_ok(b, worksheet_set_row(ws, 1, h > ROW_MAX_PT ? ROW_MAX_PT : h, NULL));
	book_ok(b, worksheet_set_column(ws, 0, 0, 8, NULL));
	if (shown)
		book_ok(b, worksheet_set_column(ws, 1, (lxw_col_t)shown, 3.5, NULL));
	book_ok(b, worksheet_set_column(ws, count, count, 7, NULL));
	worksheet_freeze_panes(ws, 2, 1);
	page_setup(b, ws, 1, 1, 1, pages_across(12 + (double)shown * 3.5), NULL);
}

void sheet_matrix(struct book *b, const struct model *m, lxw_worksheet *ws, const char *title)
{
	sheet_begin(b, "责任矩阵");
	if (!ws)
		return;
	if (m->d->ntasks > MATRIX_MAX_TASKS)
		matrix_tall(b, m, ws);
	else
		matrix_wide(b, m, ws, title);
}
