/*
 * table.h - a table of a notice (a Word or HTML table) as lines of text.
 *
 * The .docx and HTML readers (docx_document.c, html_render.c) fill a struct
 * table row by row; table_render() writes it as the lines a text notice
 * would have. A 分工表 (a header row naming a task column and a 牵头单位 or
 * 责任单位 column) becomes one block per row that the extract stage reads
 * as a task:
 *
 *     ——the task text
 *     牵头单位：…        (责任单位：… where the column says so)
 *     配合单位：…
 *     完成时限：…
 *     牵头领导：…
 *     (blank line)
 *
 * Empty fields are left out. The task line is written as a —— item so
 * that each row is a task of its own: extract joins a plain paragraph that
 * follows a heading to the heading. A row with a task but no unit, leader
 * or deadline is a group row: its text alone (a bare 一 in the 序号 column
 * becomes 一、). Rows before the header (a title row) stay plain lines, and
 * a header row repeated on a later page is left out.
 *
 * Any other table gives one line per row, its cells joined with two
 * spaces. A struct table owns the texts given to it; table_free() releases
 * them and accepts a zeroed table. bytes counts the memory the table holds
 * (for the reader's guard.h budget); table_render() writes at most max_out
 * bytes more than a row (0: no limit) and sets cut when it stopped there.
 */
#ifndef NM_TABLE_H
#define NM_TABLE_H

#include <stddef.h>

#include "stream/buf.h"

/* table_cell() rowspan: the cell continues the one above it (Word's vMerge). */
#define TABLE_CONTINUE 0

struct table_cell {
	char *text;        /* UTF-8, lines separated by \n; NULL when empty */
	const char *shown; /* what the cell shows (its text, or the one it continues) */
	int from;          /* 0 its own text, 'v' continues the cell above, 'h' the one left */
};

struct table_row {
	struct table_cell *c;
	size_t n, cap;
};

struct table {
	struct table_row *r;
	size_t n, cap;
	size_t *pending; /* per column: rows an HTML rowspan still covers */
	size_t npending;
	size_t bytes;   /* memory held by rows, cells and texts */
	size_t max_out; /* table_render() stops past this many bytes; 0: no limit */
	int cut;        /* table_render() stopped at max_out */
};

/* Starts a new row. */
void table_row(struct table *t);
/*
 * Appends a cell to the current row at the first column no rowspan
 * covers: text (copied; NULL or "" for an empty cell) spanning cols
 * columns and rows rows (1 for an ordinary cell, TABLE_CONTINUE for a cell
 * that continues the one above).
 */
void table_cell(struct table *t, const char *text, size_t cols, size_t rows);
/* Appends the table's lines to out, each ending in \n. */
void table_render(struct table *t, struct buf *out);
void table_free(struct table *t);

#endif
