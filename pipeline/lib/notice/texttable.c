/*
 * texttable.c - a 分工表 typed as text: cells cut by TABs, by bars (|), by
 * runs of spaces that line up with the header's columns (a CJK character
 * two columns wide), or one cell to a line. The header row is found by its
 * column names (rules/tables.words); rows that only continue the row above
 * (empty 序号 and 牵头单位: a long task or unit list on the next line) are
 * merged into it; a row with one cell is a group row (一、…) whose text the
 * rows under it carry. Each row becomes a row record for extract.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/texttable_impl.h"
#include "stream/err.h"
#include "stream/utf8.h"

static void cells_free(struct cells *cs)
{
	for (size_t i = 0; i < cs->n; i++) {
		free(cs->c[i].text);
		free(cs->c[i].norm);
	}
	cs->n = 0;
}

static char *squeeze(const char *s)
{
	char *out = nm_xmalloc(strlen(s) + 1), *w = out;
	for (; *s; s++)
		if (*s != ' ')
			*w++ = *s;
	*w = '\0';
	return out;
}

static void cell_add(struct cells *cs, const struct ntext *t, size_t a, size_t b, size_t col)
{
	if (cs->n >= MAX_COLS + 4)
		return;
	struct buf o = BUF_INIT, nb = BUF_INIT;
	ntext_orig(t, a, b, &o);
	size_t len = o.len;
	const char *tr = str_trim(buf_str(&o), &len);
	struct cell *c = &cs->c[cs->n++];
	c->col = col;
	c->text = nm_xstrndup(tr, len);
	buf_add(&nb, t->norm.s + a, b - a);
	c->norm = squeeze(buf_str(&nb));
	buf_free(&o);
	buf_free(&nb);
}

/* Cells cut at a separator byte (TAB or |). The orig has the TABs; the
 * normalised text has spaces for them, so TABs are found in the orig. */
static void split_at(const struct piece *p, char sep, struct cells *cs)
{
	const struct ntext *t = &p->t;
	size_t from = 0, n = t->norm.len;
	for (size_t i = 0; i <= n; i++) {
		int cut = i == n;
		if (!cut) {
			size_t oa, ob;
			ntext_span(t, i, i + 1, &oa, &ob);
			cut = sep == '\t' ? t->orig.s[oa] == '\t' : t->norm.s[i] == '|';
		}
		if (!cut)
			continue;
		cell_add(cs, t, from, i, 0);
		from = i + 1;
	}
	if (sep == '|') { /* the bars at either end make empty cells there */
		if (cs->n && !*cs->c[0].norm && str_starts(buf_str(&t->norm), "|")) {
			free(cs->c[0].text);
			free(cs->c[0].norm);
			memmove(cs->c, cs->c + 1, --cs->n * sizeof *cs->c);
		}
		if (cs->n && !*cs->c[cs->n - 1].norm && str_ends(buf_str(&t->norm), "|")) {
			cs->n--;
			free(cs->c[cs->n].text);
			free(cs->c[cs->n].norm);
		}
	}
}

/* Display columns of the normalised text's first n bytes, after the piece's indent. */
static size_t cols_to(const struct piece *p, size_t n)
{
	size_t w = p->indent, oa, ob;
	ntext_span(&p->t, 0, n, &oa, &ob);
	uint32_t c;
	for (size_t i = 0; i < ob;) {
		size_t len = utf8_decode(p->t.orig.s + i, ob - i, &c);
		w += !len ? 1 : utf8_char_width(c);
		i += len ? len : 1;
	}
	return w;
}

/* Cells cut at runs of two spaces or more (in the normalised text, where an
 * ideographic space is one space: a run of one counts when it was one). */
static void split_spaces(const struct piece *p, struct cells *cs)
{
	const struct ntext *t = &p->t;
	const char *s = t->norm.s ? t->norm.s : "";
	size_t n = t->norm.len, from = 0, i = 0;
	while (i < n) {
		if (s[i] != ' ') {
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && s[j] == ' ')
			j++;
		size_t oa, ob;
		ntext_span(t, i, j, &oa, &ob);
		int wide = ob - oa >= 3 && (unsigned char)t->orig.s[oa] == 0xE3; /* U+3000 */
		if (j - i >= 2 || wide) {
			cell_add(cs, t, from, i, cols_to(p, from));
			from = j;
		}
		i = j;
	}
	if (from < n)
		cell_add(cs, t, from, n, cols_to(p, from));
}

/*
 * The kind of a column by its name: a name of tables.words, or else by the
 * key words it holds (colkey.*: 攻坚任务 is a task, 协同单位 co-operates).
 */

/* The name without what brackets hold and without spaces: 总投资(万元) → 总投资. */
static void bare_name(const char *name, struct buf *out)
{
	int depth = 0;
	buf_reset(out);
	for (const char *p = name; *p; p++) {
		if (*p == '(' || *p == '[')
			depth++;
		else if ((*p == ')' || *p == ']') && depth)
			depth--;
		else if (!depth && *p != ' ')
			buf_addc(out, *p);
	}
	if (!out->s)
		buf_adds(out, "");
}

/* Whether a bare name is of Han characters only (digits and dashes where allowed). */
static int han_name(const char *s, int digits)
{
	size_t n = strlen(s);
	uint32_t c;
	int han = 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (!len)
			return 0;
		if (c >= 0x4E00 && c <= 0x9FFF)
			han = 1;
		else if (!digits || !((c >= '0' && c <= '9') || c == '-' || c == '~' ||
				      c == 0x2014 || c == 0x2013))
			return 0;
		i += len;
	}
	return han;
}

int column_kind_of(struct layout *L, const char *name, int *exact)
{
	static const int ORDER[] = {C_SEQ,  C_LEADER, C_DEADLINE, C_COOP, C_LEAD,
				    C_RESP, C_GROUP,  C_NOTE,     C_TASK};
	static const char *const KEY[] = {"colkey.seq",    "colkey.group",    "colkey.task",
					  "colkey.leader", "colkey.lead",     "colkey.coop",
					  "colkey.resp",   "colkey.deadline", "colkey.note"};
	size_t n = strlen(name), a, b;
	*exact = 1;
	for (int k = 0; k < C_NONE; k++)
		if (rules_words_is(L->rs, COL_KIND[k], name, n))
			return k;
	struct buf bare = BUF_INIT;
	bare_name(name, &bare);
	int kind = C_NONE;
	for (int k = 0; k < C_NONE && kind == C_NONE; k++)
		if (bare.len && bare.len < n &&
		    rules_words_is(L->rs, COL_KIND[k], bare.s, bare.len))
			kind = k;
	*exact = kind != C_NONE;
	if (kind == C_NONE && bare.len && utf8_chars(bare.s, bare.len) <= 12 && han_name(bare.s, 0))
		for (size_t i = 0; i < sizeof ORDER / sizeof *ORDER && kind == C_NONE; i++)
			if (rules_words_scan(L->rs, KEY[ORDER[i]], bare.s, bare.len, 0, 0, &a, &b))
				kind = ORDER[i];
	buf_free(&bare);
	return kind;
}

/* A column's name of its own: up to 12 characters, Han with digits
 * (1-10月推进情况), what brackets hold aside. */
int short_name(const char *name)
{
	struct buf bare = BUF_INIT;
	bare_name(name, &bare);
	int yes = bare.len && utf8_chars(bare.s, bare.len) <= 12 && han_name(bare.s, 1);
	buf_free(&bare);
	return yes;
}

/*
 * No column called a task: a single one of its own name holds the matter
 * (民生实事 | 责任单位 | 完成时限). Two task columns: one named so exactly
 * beside one only holding a task's word (主要任务 | 全年目标任务) is the
 * task, the other shown nowhere; both exact, the first names the area.
 */
void settle_kinds(struct ttable *t, size_t n, const int *exact, int *task, int *known, int *unknown,
		  size_t own)
{
	if (!*task && *unknown == 1) {
		t->kind[own] = C_TASK;
		*task = 1, *unknown = 0, ++*known;
	}
	/* no task column but one named by a note's key word (考核目标): the task */
	size_t notes = 0, note = n;
	for (size_t i = 0; !*task && i < n; i++)
		if (t->kind[i] == C_NOTE && !exact[i] && i != own)
			notes++, note = i;
	if (!*task && notes == 1) {
		t->kind[note] = C_TASK;
		*task = 1;
	}
	size_t first = n;
	for (size_t i = 0; i < n; i++) {
		if (t->kind[i] != C_TASK)
			continue;
		if (first == n) {
			first = i;
			continue;
		}
		if (exact[first] && !exact[i])
			t->kind[i] = C_NOTE;
		else if (!exact[first] && exact[i])
			t->kind[first] = C_NOTE, first = i;
		else
			t->kind[first] = C_GROUP, first = i;
	}
}

/* Whether the cells name the columns of a 分工表: a task column, a unit
 * column, three known columns at least, and no cell that is not a name. */
static int header_of(struct layout *L, const struct cells *cs, struct ttable *t)
{
	int task = 0, unit = 0, known = 0, unknown = 0, exact[MAX_COLS];
	size_t own = 0; /* the column of its own name */
	if (cs->n < 3 || cs->n > MAX_COLS)
		return 0;
	for (size_t i = 0; i < cs->n; i++) {
		int k = column_kind_of(L, cs->c[i].norm, &exact[i]);
		t->kind[i] = k;
		t->start[i] = cs->c[i].col;
		if (k == C_NONE && *cs->c[i].norm) {
			/* a column of its own name (反馈问题, 1-10月推进情况): shown
			 * nowhere, while the rest name a 分工表 */
			if (!short_name(cs->c[i].norm))
				return 0;
			t->kind[i] = C_NOTE;
			if (unknown++ == 0)
				own = i;
			continue;
		}
		known += k != C_NONE;
		task |= k == C_TASK;
		unit |= k == C_LEAD || k == C_RESP || k == C_COOP;
	}
	settle_kinds(t, cs->n, exact, &task, &known, &unknown, own);
	t->ncols = cs->n;
	return task && unit && known >= 3 && unknown < known;
}

int is_number(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return 0;
	return 1;
}

struct row_cells *row_new(struct layout *L, long line, const char *text)
{
	if (L->nrows == L->rowcap) {
		L->rowcap = L->rowcap ? 2 * L->rowcap : 32;
		L->rows = nm_xrealloc(L->rows, L->rowcap * sizeof *L->rows);
	}
	struct row_cells *r = &L->rows[L->nrows++];
	memset(r, 0, sizeof *r);
	r->line = line;
	r->text = nm_xstrdup(text);
	return r;
}

void cell_append(char **slot, const char *text)
{
	if (!*text)
		return;
	if (!*slot) {
		*slot = nm_xstrdup(text);
		return;
	}
	struct buf b = BUF_INIT;
	buf_adds(&b, *slot);
	buf_adds(&b, text);
	free(*slot);
	*slot = b.s;
}

/* The column of a cell: by position for S_SPACE, by order otherwise. */
static size_t column_of(const struct ttable *t, const struct cells *cs, size_t i)
{
	if (t->style != S_SPACE)
		return i;
	size_t best = 0;
	for (size_t k = 0; k < t->ncols; k++)
		if (t->start[k] <= cs->c[i].col + 2)
			best = k;
	return best;
}

/* The filled columns of a row, by kind. */
static void row_kinds(const struct ttable *t, const struct cells *cs, const char **by_kind)
{
	for (int k = 0; k < C_NONE; k++)
		by_kind[k] = NULL;
	for (size_t i = 0; i < cs->n; i++) {
		size_t col = column_of(t, cs, i);
		if (col < t->ncols && *cs->c[i].norm && !by_kind[t->kind[col]])
			by_kind[t->kind[col]] = cs->c[i].text;
	}
}

/* One line of the table: a new row, a continuation of the last, or a group row. */
static void take_line(struct layout *L, struct ttable *t, struct piece *p, const struct cells *cs,
		      struct row_cells **last)
{
	const char *k[C_NONE + 1];
	row_kinds(t, cs, k);
	size_t filled = 0, rules = 0;
	for (size_t i = 0; i < cs->n; i++) {
		filled += *cs->c[i].norm != 0;
		rules += *cs->c[i].norm && strspn(cs->c[i].norm, "-:=—") == strlen(cs->c[i].norm);
	}
	p->kind = P_TABLE;
	if (filled == 0 || rules == filled)
		return; /* an empty row, or a rule under the header (|---|---|) */
	int has_seq = 0;
	for (size_t c = 0; c < t->ncols; c++)
		has_seq |= t->kind[c] == C_SEQ;
	int unit = k[C_LEAD] || k[C_RESP] || k[C_COOP];
	if (filled == 1 && !unit && (!has_seq || !k[C_SEQ] || !is_number(cs->c[0].norm))) {
		/* A group row: 一、… alone in its row. */
		const char *g = NULL;
		size_t at = 0;
		for (size_t i = 0; i < cs->n && !g; i++)
			if (*cs->c[i].norm)
				g = cs->c[i].text, at = i;
		if (*last &&
		    ((t->style == S_SPACE && !k[C_SEQ]) || (t->style != S_SPACE && at > 0))) {
			/* ... unless it only continues a cell of the row above: its text
			 * stands in a later column, after empty ones */
		} else {
			free(t->group);
			t->group = nm_xstrdup(g);
			*last = NULL;
			return;
		}
	}
	int continuation = *last && !k[C_SEQ] && !k[C_LEAD] && !(k[C_RESP] && !has_seq) &&
			   (has_seq || t->style == S_SPACE);
	/* A row of its own task and unit under merged cells (序号, 问题, 领导
	 * written once for several measures): a task of its own, the merged
	 * cells' text its too. */
	const struct row_cells *above = *last;
	int has_deadline = 0;
	for (size_t c = 0; c < t->ncols; c++)
		has_deadline |= t->kind[c] == C_DEADLINE;
	/* (a wrapped row goes on in some cells and leaves the 时限 empty) */
	int merged = continuation && t->style != S_SPACE && k[C_TASK] && (k[C_RESP] || k[C_LEAD]) &&
		     (!has_deadline || k[C_DEADLINE]);
	if (!continuation || merged) {
		*last = row_new(L, p->no, buf_str(&p->t.orig));
		(*last)->cell[1] = t->group ? nm_xstrdup(t->group) : NULL;
		p->kind = P_ROW;
		p->row = (int)(*last - L->rows);
		if (merged) {
			above = &L->rows[p->row - 1]; /* row_new may have moved the rows */
			for (int c = 0; c < C_NONE; c++)
				if ((c == C_SEQ || c == C_GROUP || c == C_LEADER) && !k[c] &&
				    CELL_OF[c] >= 0 && above->cell[CELL_OF[c]] &&
				    !(*last)->cell[CELL_OF[c]])
					(*last)->cell[CELL_OF[c]] = nm_xstrdup(
						above->cell[CELL_OF[c]]);
		}
	} else {
		cell_append(&(*last)->text, buf_str(&p->t.orig));
	}
	for (size_t i = 0; i < cs->n; i++) {
		size_t col = column_of(t, cs, i);
		if (col >= t->ncols || CELL_OF[t->kind[col]] < 0)
			continue;
		cell_append(&(*last)->cell[CELL_OF[t->kind[col]]], cs->c[i].text);
	}
}

/* The cells of piece p in the table's style; 0 when p is no line of it. */
static int cells_of(const struct piece *p, enum style style, struct cells *cs)
{
	switch (style) {
	case S_TAB:
		/* Cells left empty at the row's start were TABs before its text; a row
		 * whose later cells are empty has lost their TABs with its trailing space. */
		for (size_t k = 0; k < p->tabs && cs->n < MAX_COLS; k++)
			cell_add(cs, &p->t, 0, 0, 0);
		split_at(p, '\t', cs);
		return 1;
	case S_BAR:
		split_at(p, '|', cs); /* a line without bars is one cell: a group row */
		return 1;
	case S_SPACE:
		split_spaces(p, cs);
		return 1;
	case S_LINES:
	case S_WORDS:
		break;
	}
	return 0;
}

/* Whether a line with one cell still belongs to the table: a group row
 * (一、… or short), or the rest of a cell of the row above (aligned text). */
static int one_cell_row(struct layout *L, const struct ttable *t, const struct piece *p,
			const struct cells *cs)
{
	struct match m;
	if (t->style == S_SPACE && cs->c[0].col >= 4)
		return 1;
	return layout_match(L, "heading.l1", p, &m) || layout_match(L, "heading.l2", p, &m) ||
	       utf8_chars(cs->c[0].norm, strlen(cs->c[0].norm)) <= 20;
}

static void read_rows(struct layout *L, struct ttable *t, size_t from)
{
	struct row_cells *last = NULL;
	struct cells cs = {.n = 0};
	int blanks = 0;
	for (size_t i = from; i < L->n; i++) {
		struct piece *p = &L->p[i];
		if (p->kind == P_BLANK || p->kind == P_PAGE) {
			blanks += p->kind == P_BLANK;
			if (blanks > 1)
				break;
			continue;
		}
		if (p->kind != P_TEXT)
			break;
		if (!cells_of(p, t->style, &cs))
			break;
		if (cs.n == 1 && !one_cell_row(L, t, p, &cs)) {
			cells_free(&cs);
			break; /* a line of prose under the table ends it */
		}
		blanks = 0;
		take_line(L, t, p, &cs, &last);
		cells_free(&cs);
	}
	cells_free(&cs);
}

/*
 * A header whose names are cut by single spaces, or letter-spaced (序号 工 作
 * 任 务 牵头负责部门): its text with spaces removed read as column names one
 * after the other. Fills t; 1 when it is a 分工表's header.
 */
static int words_header(struct layout *L, const struct piece *p, struct ttable *t)
{
	struct buf sq = BUF_INIT;
	layout_squeezed(p, &sq);
	size_t n = sq.len, at = 0;
	int task = 0, unit = 0;
	t->ncols = 0;
	while (at < n && t->ncols < MAX_COLS) {
		size_t best = 0;
		int kind = C_NONE;
		for (int k = 0; k < C_NONE; k++) {
			size_t a, b;
			if (rules_words_scan(L->rs, COL_KIND[k], sq.s, n, at, 1, &a, &b) &&
			    b - a > best)
				best = b - a, kind = k;
		}
		if (kind == C_NONE)
			break;
		t->kind[t->ncols++] = kind;
		task |= kind == C_TASK;
		unit |= kind == C_LEAD || kind == C_RESP || kind == C_COOP;
		at += best;
	}
	buf_free(&sq);
	return at == n && task && unit && t->ncols >= 3;
}

/* Rows under a words_header: cells cut at spaces; the task cell takes what is left over. */
static void read_word_rows(struct layout *L, struct ttable *t, size_t from)
{
	size_t task_col = 0;
	for (size_t c = 0; c < t->ncols; c++)
		if (t->kind[c] == C_TASK)
			task_col = c;
	for (size_t i = from; i < L->n; i++) {
		struct piece *p = &L->p[i];
		if (p->kind == P_BLANK)
			break;
		if (p->kind != P_TEXT)
			continue;
		const char *s = buf_str(&p->t.norm);
		/* words cut at spaces */
		size_t starts[64], ends[64], k = 0, len = p->t.norm.len;
		for (size_t a = 0; a < len && k < 64;) {
			while (a < len && s[a] == ' ')
				a++;
			size_t b = a;
			while (b < len && s[b] != ' ')
				b++;
			if (b > a)
				starts[k] = a, ends[k++] = b;
			a = b;
		}
		struct match m;
		if (k <= 1) {
			if (!layout_match(L, "heading.l1", p, &m) &&
			    !layout_match(L, "heading.l2", p, &m))
				break;
			free(t->group);
			t->group = nm_xstrdup(buf_str(&p->t.orig));
			p->kind = P_TABLE;
			continue;
		}
		struct row_cells *r = row_new(L, p->no, buf_str(&p->t.orig));
		r->cell[1] = t->group ? nm_xstrdup(t->group) : NULL;
		p->kind = P_ROW;
		p->row = (int)(r - L->rows);
		size_t extra = k > t->ncols ? k - t->ncols : 0;
		for (size_t w = 0, c = 0; w < k && c < t->ncols; c++) {
			size_t last = w + (c == task_col ? extra : 0);
			char *cell = ntext_dup(&p->t, starts[w], ends[last]);
			if (CELL_OF[t->kind[c]] >= 0)
				cell_append(&r->cell[CELL_OF[t->kind[c]]], cell);
			free(cell);
			w = last + 1;
		}
	}
}

/* Whether the piece could be a header row: short, holding a column's name. */
static int may_be_header(struct layout *L, const struct piece *p)
{
	size_t a, b;
	return p->t.norm.len <= 3 * 120 &&
	       rules_words_scan(L->rs,
				"col.seq|col.task|col.lead|col.resp|col.coop|col.leader|colkey.*",
				p->t.norm.s, p->t.norm.len, 0, 0, &a, &b);
}

void layout_find_tables(struct layout *L)
{
	struct cells cs = {.n = 0};
	for (size_t i = 0; i < L->n;
	     i++) { /* a table may stand above what the header parser took for the body */
		struct piece *p = &L->p[i];
		if (p->kind != P_TEXT || !may_be_header(L, p))
			continue;
		if (read_lines_table(L, i))
			continue;
		static const enum style STYLES[] = {S_TAB, S_BAR, S_SPACE};
		for (size_t s = 0; s < 3; s++) {
			struct ttable t = {.style = STYLES[s]};
			if (!cells_of(p, t.style, &cs))
				continue;
			int is_header = header_of(L, &cs, &t);
			cells_free(&cs);
			if (!is_header)
				continue;
			p->kind = P_TABLE;
			read_rows(L, &t, i + 1);
			free(t.group);
			break;
		}
		struct ttable wt = {.style = S_WORDS};
		if (p->kind == P_TEXT && words_header(L, p, &wt)) {
			p->kind = P_TABLE;
			read_word_rows(L, &wt, i + 1);
			free(wt.group);
		}
	}
	cells_free(&cs);
}
