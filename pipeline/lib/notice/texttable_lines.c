/*
 * texttable_lines.c - a table with one cell to a line, as a web page's table
 * copied as text gives it: the header's names on lines of their own (blank
 * lines between, or each ending in a bar), then each row as many cells as
 * there are columns; a numbered row may name its units one a line.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/texttable_impl.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* The text of a cell line without the bar that ends a cell (" |"). */
static int cell_line(const struct piece *p, struct buf *sq, int *closed)
{
	layout_squeezed(p, sq);
	*closed = sq->len && sq->s[sq->len - 1] == '|';
	if (*closed)
		sq->s[--sq->len] = '\0';
	return sq->len > 0;
}

/*
 * How many lines each cell of the numbered row at piece j takes: the text
 * lines up to the line holding the next number; lines beyond one a cell go
 * to the first unit column (units written one a line). 0 when the row has
 * no more lines than cells.
 */
static int row_spans(struct layout *L, const struct ttable *t, size_t j, long num, struct buf *sq,
		     size_t *spans)
{
	size_t lines = 0;
	int closed;
	for (size_t k = j; k < L->n && lines <= 4 * MAX_COLS; k++) {
		if (L->p[k].kind == P_BLANK)
			continue;
		if (k > j && L->p[k].kind != P_TEXT)
			break; /* (the row's first line is already its row) */
		cell_line(&L->p[k], sq, &closed);
		if (k > j && is_number(sq->s) && atol(sq->s) == num + 1)
			break;
		lines++;
	}
	if (lines <= t->ncols)
		return 0;
	size_t unit = t->ncols;
	for (size_t c = 0; c < t->ncols && unit == t->ncols; c++)
		if (t->kind[c] == C_LEAD || t->kind[c] == C_RESP || t->kind[c] == C_COOP)
			unit = c;
	if (unit == t->ncols)
		return 0;
	for (size_t c = 0; c < t->ncols; c++)
		spans[c] = 1;
	/* the last row may run on into the text after the table: no more than
	 * a few units */
	size_t extra = lines - t->ncols;
	if (extra > 8)
		return 0;
	spans[unit] += extra;
	/* the unit cell's lines read as names: no digit, no full stop */
	size_t line = 0;
	for (size_t k = j; k < L->n && line < unit + spans[unit]; k++) {
		if (L->p[k].kind == P_BLANK)
			continue;
		if (line++ < unit)
			continue;
		const char *x = buf_str(&L->p[k].t.norm);
		if (strpbrk(x, "0123456789") || strstr(x, "。"))
			return 0;
	}
	return 1;
}

/*
 * A table with one cell to a line (a web page's table copied as text): the
 * header's names on lines of their own, then each row as many cells as
 * there are columns. Blank lines between the header's names separate cells
 * everywhere; a cell may end in a bar and then span lines up to it.
 */
size_t read_lines_table(struct layout *L, size_t i)
{
	struct ttable t = {.style = S_LINES};
	size_t j = i;
	int task = 0, unit = 0, blanks = 0, bars = 0, closed, known = 0, unknown = 0;
	int exact[MAX_COLS];
	size_t own = 0, last_known = 0, after_known = 0;
	struct buf sq = BUF_INIT;
	while (j < L->n && t.ncols < MAX_COLS) {
		struct piece *p = &L->p[j];
		if (p->kind == P_BLANK && t.ncols && j + 1 < L->n && L->p[j + 1].kind == P_TEXT) {
			blanks = 1;
			j++;
			continue;
		}
		if (p->kind != P_TEXT || !cell_line(p, &sq, &closed))
			break;
		int k = column_kind_of(L, sq.s, &exact[t.ncols]);
		if (k == C_NONE && !short_name(sq.s))
			break;
		bars += closed;
		if (k == C_NONE) {
			if (unknown++ == 0)
				own = t.ncols;
			k = C_NOTE;
		} else {
			last_known = t.ncols, after_known = j + 1, known++;
		}
		t.kind[t.ncols++] = k;
		task |= k == C_TASK;
		unit |= k == C_LEAD || k == C_RESP || k == C_COOP;
		j++;
	}
	/* Names of its own after the last known one: the first row's cells,
	 * unless a number (the first row's 序号) follows them. */
	int numbered = j < L->n && L->p[j].kind == P_TEXT && cell_line(&L->p[j], &sq, &closed) &&
		       is_number(sq.s) && t.kind[0] == C_SEQ;
	if (unknown && after_known && !numbered && last_known + 1 < t.ncols) {
		t.ncols = last_known + 1;
		j = after_known;
		unknown = 0;
		for (size_t c = 0; c < t.ncols; c++)
			if (t.kind[c] == C_NOTE && !exact[c]) {
				if (unknown++ == 0)
					own = c;
			}
	}
	settle_kinds(&t, t.ncols, exact, &task, &known, &unknown, own);
	if (!(task && unit && t.ncols >= 3 && known >= 3 && unknown < known)) {
		buf_free(&sq);
		return 0;
	}
	int by_bars = bars * 2 >= (int)t.ncols; /* cells end in a bar */
	for (size_t h = i; h < j; h++)
		if (L->p[h].kind == P_TEXT)
			L->p[h].kind = P_TABLE;
	int seq_first = t.kind[0] == C_SEQ;
	while (j < L->n) {
		while (j < L->n && L->p[j].kind == P_BLANK)
			j++;
		if (j >= L->n || L->p[j].kind != P_TEXT)
			break;
		struct piece *first = &L->p[j];
		cell_line(first, &sq, &closed);
		if (seq_first && !is_number(sq.s)) {
			struct match m;
			if (!layout_match(L, "heading.l1", first, &m) &&
			    !layout_match(L, "heading.l2", first, &m))
				break;
			free(t.group); /* a group row: 一、… on its own line */
			t.group = nm_xstrdup(buf_str(&first->t.orig));
			first->kind = P_TABLE;
			j++;
			continue;
		}
		struct row_cells *r = row_new(L, first->no, "");
		r->cell[1] = t.group ? nm_xstrdup(t.group) : NULL;
		first->kind = P_ROW;
		first->row = (int)(r - L->rows);
		/* Numbered rows whose cells may take several lines (a unit a line):
		 * the lines up to the next number, the extra ones the unit cell's. */
		size_t spans[MAX_COLS];
		int spanned = seq_first && blanks && !by_bars &&
			      row_spans(L, &t, j, atol(sq.s), &sq, spans);
		struct buf text = BUF_INIT;
		for (size_t c = 0; c < t.ncols && j < L->n; c++) {
			if (spanned) {
				struct buf cell = BUF_INIT;
				for (size_t k = 0; k < spans[c]; k++) {
					while (j < L->n && L->p[j].kind == P_BLANK)
						j++;
					struct piece *p = &L->p[j];
					if (p != first)
						p->kind = P_TABLE;
					if (cell.len)
						buf_addc(&cell, '\n');
					buf_add(&cell, buf_str(&p->t.orig), p->t.orig.len);
					j++;
				}
				if (c)
					buf_adds(&text, "  ");
				buf_add(&text, buf_str(&cell), cell.len);
				if (CELL_OF[t.kind[c]] >= 0 && cell.len)
					cell_append(&r->cell[CELL_OF[t.kind[c]]], buf_str(&cell));
				buf_free(&cell);
				continue;
			}
			if (blanks || by_bars)
				while (j < L->n && L->p[j].kind == P_BLANK)
					j++;
			else if (L->p[j].kind == P_BLANK) { /* an empty cell */
				j++;
				continue;
			}
			if (j >= L->n || (L->p[j].kind != P_TEXT && &L->p[j] != first))
				break;
			/* The cell: one line, or with bars every line up to the one that ends in one. */
			struct buf cell = BUF_INIT;
			do {
				struct piece *p = &L->p[j];
				if (p != first)
					p->kind = P_TABLE;
				cell_line(p, &sq, &closed);
				const char *o = p->t.orig.s ? p->t.orig.s : "";
				size_t on = p->t.orig.len;
				while (on && (o[on - 1] == '|' || o[on - 1] == ' '))
					on--;
				if (on >= 3 && memcmp(o + on - 3, "｜", 3) == 0)
					on -= 3;
				if (cell.len && by_bars)
					buf_addc(&cell, '\n');
				buf_add(&cell, o, on);
				j++;
			} while (by_bars && !closed && j < L->n && L->p[j].kind == P_TEXT);
			if (c)
				buf_adds(&text, "  ");
			buf_add(&text, buf_str(&cell), cell.len);
			if (CELL_OF[t.kind[c]] >= 0)
				cell_append(&r->cell[CELL_OF[t.kind[c]]], buf_str(&cell));
			buf_free(&cell);
		}
		free(r->text);
		r->text = text.s ? text.s : nm_xstrdup("");
	}
	buf_free(&sq);
	free(t.group);
	return 1;
}
