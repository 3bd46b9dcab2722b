/*
 * texttable_lines.c - a table with one cell to a line, as a web page's table
 * copied as text gives it: the header's names on lines of their own (blank
 * lines between, or each ending in a bar), then each row as many cells as
 * there are columns; a numbered row may name its units one a line.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/dates.h"
#include "notice/resp.h"
#include "notice/resp_impl.h"
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
 * A numbered row whose cells need not be one a line: a web page drops empty
 * cells, writes units one a line, or puts two matters in one row under one
 * unit. The row's cells (its lines, or with bars the lines up to each bar)
 * are aligned with the columns by what each looks like - a number, a
 * sentence, unit names, a person, a deadline - at the least cost: a column
 * may stay empty or take several cells, and after the last column a further
 * matter may start a second row that shares the cells it leaves out.
 */
enum { INF = 1 << 20, MAX_ATOMS = 4 * MAX_COLS + 8 };

struct atom {
	size_t first, last; /* its pieces */
	struct buf text;    /* as written, the bar taken off */
	int look;           /* what it looks like (LOOK_*) */
};

enum { LOOK_EMPTY, LOOK_NUMBER, LOOK_UNITS, LOOK_PERSON, LOOK_DEADLINE, LOOK_TEXT };

/* A list of units (、，/ or spaces between), each a unit by its shape. */
static int units_only(struct resp *R, const char *s)
{
	size_t n = strlen(s), a = 0, names = 0;
	while (a < n) {
		size_t b = a;
		int depth = 0;
		while (b < n) {
			if (s[b] == '(')
				depth++;
			else if (s[b] == ')' && depth)
				depth--;
			else if (!depth && (s[b] == ' ' || s[b] == '/' || str_starts(s + b, "、") ||
					    str_starts(s + b, "，") || str_starts(s + b, "；")))
				break;
			b++;
		}
		size_t e = b;
		strip_etc(s, a, &e);
		if (e > a) {
			if (!resp_is_unit(R, s + a, e - a))
				return 0;
			names++;
		}
		a = b < n ? b + (s[b] == ' ' || s[b] == '/' ? 1 : 3) : n;
	}
	return names > 0;
}

static int look_of(struct layout *L, struct resp *R, const char *sq)
{
	static const char *const EMPTY[] = {"", "/", "／", "—", "——", "-", "无", "\\"};
	for (size_t i = 0; i < sizeof EMPTY / sizeof *EMPTY; i++)
		if (strcmp(sq, EMPTY[i]) == 0)
			return LOOK_EMPTY;
	if (is_number(sq))
		return LOOK_NUMBER;
	size_t n = strlen(sq); /* a cell of names may end in a full stop */
	while (n >= 3 && (str_starts(sq + n - 3, "。") || str_starts(sq + n - 3, "；")))
		n -= 3;
	char *names = nm_xstrndup(sq, n);
	int units = units_only(R, names);
	free(names);
	if (units)
		return LOOK_UNITS;
	struct match m;
	struct piece p = {0};
	p.t.norm.s = (char *)sq, p.t.norm.len = strlen(sq);
	if (layout_match(L, "leader.person", &p, &m))
		return LOOK_PERSON;
	size_t chars = utf8_chars(sq, strlen(sq));
	struct ymd issue = {2000, 1, 1}, due;
	if (chars <= 20 && !strstr(sq, "。") && dates_deadline(L->rs, sq, &issue, 1, &due))
		return LOOK_DEADLINE;
	if (chars >= 2 && chars <= 8 && !strstr(sq, "，") && !strpbrk(sq, "0123456789")) {
		/* names of two to four characters: 张伟、李明华 */
		size_t a = 0;
		int person = 1;
		n = strlen(sq);
		while (a < n && person) {
			const char *e = strstr(sq + a, "、");
			size_t b = e ? (size_t)(e - sq) : n;
			size_t c = utf8_chars(sq + a, b - a);
			person = c >= 2 && c <= 4;
			a = e ? b + 3 : n;
		}
		if (person && !strstr(sq, "。"))
			return LOOK_PERSON;
	}
	return LOOK_TEXT;
}

static int is_unit_col(int k) { return k == C_LEAD || k == C_COOP || k == C_RESP; }

/* The cost of an atom as the first cell of a column of kind k. */
static int fit(int look, int k)
{
	if (k == C_SEQ)
		return look == LOOK_NUMBER ? 0 : INF;
	if (look == LOOK_EMPTY)
		return k == C_TASK ? 6 : 0;
	if (k == C_TASK)
		return look == LOOK_TEXT ? 0 : 6;
	if (is_unit_col(k))
		return look == LOOK_UNITS ? 0 : 8;
	if (k == C_LEADER)
		return look == LOOK_PERSON ? 0 : look == LOOK_UNITS ? 6 : 8;
	if (k == C_DEADLINE)
		return look == LOOK_DEADLINE ? 0 : 8;
	return 2; /* a note, a group: anything */
}

/* ... as a further cell of a column that has one already. */
static int fit_more(int look, int k)
{
	/* names one a line: more likely the co-operating units than the lead */
	if (is_unit_col(k))
		return look != LOOK_UNITS ? INF : k == C_LEAD ? 3 : 1;
	if (k == C_LEADER)
		return look == LOOK_PERSON ? 2 : INF;
	if (k == C_SEQ)
		return INF;
	if (k == C_TASK)
		return 5;
	if (k == C_DEADLINE)
		return 8;
	return look == LOOK_DEADLINE ? 5 : 2;
}

/* ... of a column left empty; in a second matter of a row, a cell it shares. */
static int fit_none(int k, int shared)
{
	if (k == C_SEQ)
		return INF;
	if (k == C_TASK)
		return 10;
	return shared ? 0 : k == C_NOTE || k == C_GROUP ? 1 : 5;
}

#define WRAP_COST 3
#define DROP_COST 3

/* A step of the alignment: how a state was reached. */
enum { ST_NONE, ST_SKIP, ST_TAKE, ST_WRAP, ST_DROP };

/*
 * Aligns atoms a[0..m) with the columns; col[i] gets atom i's column, sub[i]
 * its row within the numbered row, or -1 when it is left to the text after
 * the table (the table's last row only). Returns 0 when nothing fits.
 */
static int align(const struct ttable *t, const struct atom *a, size_t m, int last, int *col,
		 int *sub)
{
	size_t n = t->ncols, task = n;
	for (size_t c = 0; c < n && task == n; c++)
		if (t->kind[c] == C_TASK)
			task = c;
	if (task == n)
		return 0;
	/* state (i, c, o, w): i atoms placed, column c next or open (o: it holds
	 * one), w: in a second matter of the row */
	size_t W = (n + 1) * 4, N = (m + 1) * W;
	int *cost = nm_xmalloc(N * sizeof *cost);
	size_t *prev = nm_xmalloc(N * sizeof *prev);
	unsigned char *how = nm_xmalloc(N);
	for (size_t x = 0; x < N; x++)
		cost[x] = INF, how[x] = ST_NONE, prev[x] = 0;
#define AT(i, c, o, w) (((i)*W) + (c)*4 + (o)*2 + (w))
#define RELAX(from, to, v, h)                                            \
	do {                                                             \
		int v_ = (v);                                            \
		if (v_ < cost[to])                                       \
			cost[to] = v_, how[to] = (h), prev[to] = (from); \
	} while (0)
	cost[AT(0, 0, 0, 0)] = 0;
	int best = INF;
	size_t best_at = 0, best_i = m;
	for (size_t i = 0; i <= m; i++)
		for (size_t c = 0; c <= n; c++)
			for (int ow = 0; ow < 4; ow++) {
				int o = ow >> 1, w = ow & 1;
				size_t at = AT(i, c, o, w);
				int v = cost[at];
				if (v >= INF)
					continue;
				if (c < n) {
					int f = o ? 0 : fit_none(t->kind[c], w);
					if (f < INF)
						RELAX(at, AT(i, c + 1, 0, w), v + f, ST_SKIP);
					if (i < m) {
						int g = o ? fit_more(a[i].look, t->kind[c])
							  : fit(a[i].look, t->kind[c]);
						if (g < INF)
							RELAX(at, AT(i + 1, c, 1, w), v + g,
							      ST_TAKE);
					}
					continue;
				}
				if (i < m)
					RELAX(at, AT(i + 1, task, 1, 1),
					      v + WRAP_COST + fit(a[i].look, C_TASK), ST_WRAP);
				int end = v +
					  (last ? DROP_COST * (int)(m - i) : (i == m ? 0 : INF));
				if (end < best)
					best = end, best_at = at, best_i = i;
			}
	int ok = best < INF;
	if (ok) {
		for (size_t i = best_i; i < m; i++)
			col[i] = -1, sub[i] = -1;
		int rows = 0;
		for (size_t at = best_at; at != AT(0, 0, 0, 0); at = prev[at]) {
			size_t i = at / W, c = (at % W) / 4;
			if (how[at] == ST_TAKE || how[at] == ST_WRAP) {
				col[i - 1] = (int)c;
				sub[i - 1] = rows; /* counted from the end, turned round below */
				if (how[at] == ST_WRAP)
					rows++;
			}
		}
		for (size_t k = 0; k < best_i; k++)
			sub[k] = rows - sub[k];
	}
#undef RELAX
#undef AT
	free(cost);
	free(prev);
	free(how);
	return ok;
}

/*
 * The cells of the numbered row at piece j, up to the line holding the
 * next number: *last when no such line follows (the table's last row).
 */
static size_t row_atoms(struct layout *L, struct resp *R, size_t j, long num, int by_bars,
			struct atom *a, int *last)
{
	size_t m = 0;
	struct buf sq = BUF_INIT;
	int closed;
	*last = 1;
	for (size_t k = j; k < L->n && m < MAX_ATOMS; k++) {
		if (L->p[k].kind == P_BLANK)
			continue;
		if (k > j && L->p[k].kind != P_TEXT)
			break;
		cell_line(&L->p[k], &sq, &closed);
		/* the next row's number: the next one, or one further on where the
		 * table lists a choice of rows (3, 21, 47 …) */
		if (k > j && m >= 2 && is_number(sq.s) && atol(sq.s) > num &&
		    atol(sq.s) <= num + 30) {
			*last = 0;
			break;
		}
		/* a group row (二、…) ends the row before it; a closing part (抄送,
		 * 注) ends the table */
		static const char *const ENDS[] = {"heading.l1", "heading.l2", "tail.cc",
						   "tail.printed", "tail.note"};
		struct match hm;
		int ends = 0;
		for (size_t e = 0; k > j && m >= 2 && e < sizeof ENDS / sizeof *ENDS && !ends; e++)
			ends = layout_match(L, ENDS[e], &L->p[k], &hm);
		if (ends) {
			*last = 0;
			break;
		}
		struct atom *x = &a[m++];
		x->first = k;
		x->text = (struct buf)BUF_INIT;
		struct buf norm = BUF_INIT;
		for (;;) {
			const char *o = L->p[k].t.orig.s ? L->p[k].t.orig.s : "";
			size_t on = L->p[k].t.orig.len;
			while (on && (o[on - 1] == '|' || o[on - 1] == ' '))
				on--;
			if (on >= 3 && memcmp(o + on - 3, "｜", 3) == 0)
				on -= 3;
			if (x->text.len)
				buf_addc(&x->text, '\n');
			buf_add(&x->text, o, on);
			buf_add(&norm, sq.s, sq.len);
			x->last = k;
			if (!by_bars || closed || k + 1 >= L->n || L->p[k + 1].kind != P_TEXT)
				break;
			cell_line(&L->p[++k], &sq, &closed);
		}
		while (norm.len && norm.s[norm.len - 1] == '|')
			norm.s[--norm.len] = '\0';
		x->look = look_of(L, R, buf_str(&norm));
		buf_free(&norm);
	}
	buf_free(&sq);
	return m;
}

/*
 * Reads the numbered row at piece j by alignment; returns the piece after
 * it, or 0 when its cells fit no reading (the caller then reads them one a
 * column).
 */
static size_t read_aligned_row(struct layout *L, struct resp *R, const struct ttable *t, size_t j,
			       long num, int by_bars)
{
	struct atom a[MAX_ATOMS];
	int col[MAX_ATOMS], sub[MAX_ATOMS], last;
	size_t m = row_atoms(L, R, j, num, by_bars, a, &last);
	size_t next = 0;
	if (m && align(t, a, m, last, col, sub)) {
		int rows = 0;
		for (size_t i = 0; i < m; i++)
			if (sub[i] + 1 > rows)
				rows = sub[i] + 1;
		size_t first_row = L->nrows;
		for (int s = 0; s < rows; s++) {
			size_t head = m;
			for (size_t i = 0; i < m && head == m; i++)
				if (sub[i] == s)
					head = i;
			struct row_cells *r = row_new(L, L->p[a[head].first].no, "");
			size_t ri = (size_t)(r - L->rows);
			r->cell[1] = t->group ? nm_xstrdup(t->group) : NULL;
			L->p[a[head].first].kind = P_ROW;
			L->p[a[head].first].row = (int)ri;
			struct buf text = BUF_INIT;
			int filled[MAX_COLS] = {0};
			for (size_t i = 0; i < m; i++) {
				if (sub[i] != s)
					continue;
				for (size_t k = a[i].first; k <= a[i].last; k++)
					if (k != a[head].first)
						L->p[k].kind = P_TABLE;
				if (text.len)
					buf_adds(&text, "  ");
				buf_add(&text, buf_str(&a[i].text), a[i].text.len);
				int k = t->kind[col[i]], slot = CELL_OF[k];
				if (slot < 0 || !a[i].text.len)
					continue;
				if (filled[col[i]]++ && k != C_TASK)
					cell_append(&r->cell[slot], "\n");
				cell_append(&r->cell[slot], buf_str(&a[i].text));
			}
			/* a second matter of the row shares the cells it leaves out */
			for (size_t c = 0; s && c < t->ncols; c++) {
				int slot = CELL_OF[t->kind[c]];
				struct row_cells *r0 = &L->rows[first_row];
				if (slot >= 0 && !filled[c] && t->kind[c] != C_TASK &&
				    r0->cell[slot] && !L->rows[ri].cell[slot])
					L->rows[ri].cell[slot] = nm_xstrdup(r0->cell[slot]);
			}
			free(L->rows[ri].text);
			L->rows[ri].text = text.s ? text.s : nm_xstrdup("");
		}
		next = a[m - 1].last + 1;
		for (size_t i = 0; i < m; i++)
			if (col[i] < 0) {
				next = a[i].first;
				break;
			}
	}
	for (size_t i = 0; i < m; i++)
		buf_free(&a[i].text);
	return next;
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
	struct resp R;
	resp_init(&R, L->rs);
	while (j < L->n) {
		while (j < L->n && L->p[j].kind == P_BLANK)
			j++;
		if (j >= L->n || L->p[j].kind != P_TEXT)
			break;
		struct piece *first = &L->p[j];
		cell_line(first, &sq, &closed);
		struct match m;
		int group = layout_match(L, "heading.l1", first, &m) ||
			    layout_match(L, "heading.l2", first, &m);
		if ((seq_first && !is_number(sq.s)) || group) {
			if (!group)
				break;
			free(t.group); /* a group row: 一、… on its own line */
			t.group = nm_xstrdup(buf_str(&first->t.orig));
			first->kind = P_TABLE;
			j++;
			continue;
		}
		if (seq_first && (blanks || by_bars)) {
			size_t next = read_aligned_row(L, &R, &t, j, atol(sq.s), by_bars);
			if (next) {
				j = next;
				continue;
			}
		}
		struct row_cells *r = row_new(L, first->no, "");
		r->cell[1] = t.group ? nm_xstrdup(t.group) : NULL;
		first->kind = P_ROW;
		first->row = (int)(r - L->rows);
		struct buf text = BUF_INIT;
		for (size_t c = 0; c < t.ncols && j < L->n; c++) {
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
	resp_free(&R);
	free(t.group);
	return 1;
}
