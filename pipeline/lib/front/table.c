/* table.c - tables of Word and HTML notices as lines; 分工表 rows as tasks. */
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "front/table.h"
#include "stream/utf8.h"

/* Column kinds of a 分工表 header. */
enum col { C_OTHER, C_SEQ, C_TASK, C_EXTRA, C_LEAD, C_RESP, C_COOP, C_DEADLINE, C_LEADER };

/* Spans larger than this are cut: they cost memory and mean nothing. */
#define MAX_SPAN_COLS 64
#define MAX_SPAN_ROWS 10000
/* The header is looked for among the first rows (a title row may come first). */
#define HEADER_ROWS 3
/* A second header row ("牵头 | 配合" under "责任单位") has short cells. */
#define SUBHEADER_CHARS 12

static void row_add(struct table *t, struct table_row *r, const char *text, int from)
{
	if (r->n == r->cap) {
		t->bytes += (r->cap ? r->cap : 8) * sizeof *r->c;
		r->cap = r->cap ? 2 * r->cap : 8;
		r->c = nm_xrealloc(r->c, r->cap * sizeof *r->c);
	}
	char *copy = text && *text ? nm_xstrdup(text) : NULL;
	t->bytes += copy ? strlen(copy) + 1 : 0;
	r->c[r->n++] = (struct table_cell){copy, NULL, from};
}

/* Fills the columns that rowspans of earlier rows still cover, up to col. */
static void cover_pending(struct table *t, struct table_row *r, size_t upto)
{
	while (r->n < t->npending && r->n < upto && t->pending[r->n] > 0) {
		t->pending[r->n]--;
		row_add(t, r, NULL, 'v');
	}
}

/* Completes the last row with the cells rowspans cover beyond its end. */
static void row_finish(struct table *t)
{
	if (!t->n)
		return;
	struct table_row *r = &t->r[t->n - 1];
	size_t last = 0;
	for (size_t c = 0; c < t->npending; c++)
		if (t->pending[c] > 0)
			last = c + 1;
	while (r->n < last) {
		if (t->pending[r->n] > 0) {
			t->pending[r->n]--;
			row_add(t, r, NULL, 'v');
		} else {
			row_add(t, r, NULL, 0);
		}
	}
}

void table_row(struct table *t)
{
	row_finish(t);
	if (t->n) {
		/* The last row is complete: its cells keep no room to spare. */
		struct table_row *r = &t->r[t->n - 1];
		if (r->n && r->n < r->cap) {
			t->bytes -= (r->cap - r->n) * sizeof *r->c;
			r->c = nm_xrealloc(r->c, r->n * sizeof *r->c);
			r->cap = r->n;
		}
	}
	if (t->n == t->cap) {
		t->bytes += (t->cap ? t->cap : 16) * sizeof *t->r;
		t->cap = t->cap ? 2 * t->cap : 16;
		t->r = nm_xrealloc(t->r, t->cap * sizeof *t->r);
	}
	t->r[t->n++] = (struct table_row){NULL, 0, 0};
}

void table_cell(struct table *t, const char *text, size_t cols, size_t rows)
{
	if (!t->n)
		table_row(t);
	struct table_row *r = &t->r[t->n - 1];
	cover_pending(t, r, (size_t)-1);
	cols = cols < 1 ? 1 : cols > MAX_SPAN_COLS ? MAX_SPAN_COLS : cols;
	rows = rows > MAX_SPAN_ROWS ? MAX_SPAN_ROWS : rows;
	size_t at = r->n;
	if (rows == TABLE_CONTINUE)
		row_add(t, r, NULL, 'v');
	else
		row_add(t, r, text, 0);
	for (size_t k = 1; k < cols; k++)
		row_add(t, r, NULL, 'h');
	if (rows > 1) {
		if (at + cols > t->npending) {
			t->bytes += (at + cols - t->npending) * sizeof *t->pending;
			t->pending = nm_xrealloc(t->pending, (at + cols) * sizeof *t->pending);
			memset(t->pending + t->npending, 0,
			       (at + cols - t->npending) * sizeof *t->pending);
			t->npending = at + cols;
		}
		for (size_t k = 0; k < cols; k++)
			t->pending[at + k] = rows - 1;
	}
}

void table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t k = 0; k < t->r[i].n; k++)
			free(t->r[i].c[k].text);
		free(t->r[i].c);
	}
	free(t->r);
	free(t->pending);
	memset(t, 0, sizeof *t);
}

/* ---- reading cells ---- */

/* Sets what each cell shows: its own text, or for a vertical continuation
 * the text of the cell it continues (none past a shorter row), row by row. */
static void resolve_cells(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		for (size_t col = 0; col < t->r[i].n; col++) {
			struct table_cell *c = &t->r[i].c[col];
			if (c->from != 'v')
				c->shown = c->from ? NULL : c->text;
			else
				c->shown = i > 0 && col < t->r[i - 1].n ? t->r[i - 1].c[col].shown
									: NULL;
		}
	}
}

static const char *cell_value(const struct table *t, size_t row, size_t col)
{
	return col < t->r[row].n ? t->r[row].c[col].shown : NULL;
}

/* The text without any kind of space or line break, for matching headers. */
static char *squeeze(const char *s)
{
	struct buf b = BUF_INIT;
	uint32_t c;
	size_t n = s ? strlen(s) : 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (!len)
			len = 1;
		else if (c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != 0xA0 &&
			 c != 0x3000)
			buf_add(&b, s + i, len);
		i += len;
	}
	buf_grow(&b, 0);
	return b.s;
}

static int has(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (strstr(s, *words))
			return 1;
	return 0;
}

static enum col classify(const char *header)
{
	static const char *const LEADER[] = {"领导", NULL};
	static const char *const COOP[] = {"配合", "协办", "协助", "参与", "协同", NULL};
	static const char *const LEAD[] = {"牵头", "主责", "主办", NULL};
	static const char *const RESP[] = {"责任单位", "责任部门", "实施单位", "承办单位",
					   "责任主体", "落实单位", "责任处室", NULL};
	static const char *const DEADLINE[] = {"时限", "时间", "期限", "节点", "进度", NULL};
	static const char *const SEQ[] = {"序号", "编号", NULL};
	static const char *const TASK[] = {"任务", "措施", "内容", "事项",
					   "工作", "举措", "项目", NULL};
	static const char *const EXTRA[] = {"目标", "指标", "要求", "标准", "成效", NULL};
	char *s = squeeze(header);
	enum col k = !*s                      ? C_OTHER
		     : has(s, LEADER)         ? C_LEADER
		     : has(s, COOP)           ? C_COOP
		     : has(s, LEAD)           ? C_LEAD
		     : has(s, RESP)           ? C_RESP
		     : has(s, DEADLINE)       ? C_DEADLINE
		     : has(s, SEQ)            ? C_SEQ
		     : strcmp(s, "单位") == 0 ? C_RESP
		     : has(s, TASK)           ? C_TASK
		     : has(s, EXTRA)          ? C_EXTRA
					      : C_OTHER;
	free(s);
	return k;
}

/* Kinds of the columns of row i; 'h' cells take the kind of their left neighbour. */
static enum col *row_kinds(const struct table *t, size_t i, size_t ncols)
{
	enum col *k = nm_xmalloc((ncols ? ncols : 1) * sizeof *k);
	const struct table_row *r = &t->r[i];
	for (size_t c = 0; c < ncols; c++) {
		if (c >= r->n)
			k[c] = C_OTHER;
		else if (r->c[c].from == 'h' && c > 0)
			k[c] = k[c - 1];
		else
			k[c] = classify(cell_value(t, i, c));
	}
	return k;
}

static int kinds_have(const enum col *k, size_t n, enum col want)
{
	for (size_t c = 0; c < n; c++)
		if (k[c] == want)
			return 1;
	return 0;
}

/*
 * A second header row refines the first where every cell of it is a short
 * unit, leader or deadline heading ("牵头" and "配合" under "责任单位").
 */
static int refine_header(const struct table *t, size_t i, enum col *kinds, size_t ncols)
{
	if (i >= t->n)
		return 0;
	const struct table_row *r = &t->r[i];
	int any = 0;
	for (size_t c = 0; c < r->n && c < ncols; c++) {
		const char *s = r->c[c].from ? NULL : r->c[c].text;
		if (!s || !*s)
			continue;
		enum col k = classify(s);
		if (utf8_chars(s, strlen(s)) > SUBHEADER_CHARS ||
		    (k != C_LEAD && k != C_COOP && k != C_RESP && k != C_LEADER && k != C_DEADLINE))
			return 0;
		any = 1;
	}
	if (!any)
		return 0;
	for (size_t c = 0; c < r->n && c < ncols; c++)
		if (!r->c[c].from && r->c[c].text && *r->c[c].text)
			kinds[c] = classify(r->c[c].text);
	return 1;
}

/* ---- writing lines ---- */

static int ends_with_any(const char *s, size_t n, const char *const *tails)
{
	for (; *tails; tails++) {
		size_t k = strlen(*tails);
		if (n >= k && memcmp(s + n - k, *tails, k) == 0)
			return 1;
	}
	return 0;
}

/*
 * Appends the lines of a cell to out as one line: list cells (units,
 * leaders) joined with 、, text cells directly where Chinese meets Chinese
 * and with a space between Latin words.
 */
static void join_cell(struct buf *out, const char *text, int list)
{
	static const char *const SEPARATORS[] = {"、", "，", ",", "；", ";", NULL};
	const char *s = text ? text : "";
	while (*s) {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		const char *line = str_trim(s, &len);
		if (len) {
			if (out->len && list && !ends_with_any(out->s, out->len, SEPARATORS))
				buf_adds(out, "、");
			else if (out->len && !list && (unsigned char)out->s[out->len - 1] < 0x80 &&
				 (unsigned char)line[0] < 0x80)
				buf_addc(out, ' ');
			buf_add(out, line, len);
		}
		s += eol ? (size_t)(eol - s) + 1 : strlen(s);
	}
}

static int is_cn_numeral(const char *s)
{
	static const char DIGITS[] = "一二三四五六七八九十百〇零";
	uint32_t c;
	size_t n = strlen(s);
	if (!n)
		return 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		char enc[5] = {0};
		if (!len || len != utf8_encode(c, enc) || !strstr(DIGITS, enc))
			return 0;
		i += len;
	}
	return 1;
}

/* A row as a text notice would write it: cells joined with two spaces, or
 * each cell's lines on their own where a cell holds several lines. */
static void plain_row(const struct table_row *r, struct buf *out)
{
	int multi = 0, any = 0;
	for (size_t c = 0; c < r->n; c++) {
		const char *s = r->c[c].from ? NULL : r->c[c].text;
		if (s && *s) {
			any = 1;
			multi |= strchr(s, '\n') != NULL;
		}
	}
	if (!any)
		return;
	int first = 1;
	for (size_t c = 0; c < r->n; c++) {
		const char *s = r->c[c].from ? NULL : r->c[c].text;
		if (!s || !*s)
			continue;
		if (multi) {
			buf_adds(out, s);
			buf_addc(out, '\n');
		} else {
			if (!first)
				buf_adds(out, "  ");
			buf_adds(out, s);
		}
		first = 0;
	}
	if (!multi)
		buf_addc(out, '\n');
}

struct task_row {
	struct buf f[C_LEADER + 1];
};

static void field_line(struct buf *out, const char *label, const struct buf *v)
{
	if (!v->len)
		return;
	buf_adds(out, label);
	buf_adds(out, "：");
	buf_add(out, v->s, v->len);
	buf_addc(out, '\n');
}

/* One row of a 分工表: a task block, a group heading line or a plain line. */
static void division_row(const struct table *t, size_t i, const enum col *kinds, size_t ncols,
			 struct buf *out)
{
	struct task_row tr;
	memset(&tr, 0, sizeof tr);
	for (size_t c = 0; c < ncols && c < t->r[i].n; c++) {
		if (t->r[i].c[c].from == 'h' || kinds[c] == C_OTHER)
			continue;
		const char *v = cell_value(t, i, c);
		if (!v || !*v)
			continue;
		struct buf *f = &tr.f[kinds[c] == C_EXTRA ? C_TASK : kinds[c]];
		if (f->len && kinds[c] != C_LEAD && kinds[c] != C_RESP && kinds[c] != C_COOP &&
		    kinds[c] != C_LEADER) {
			static const char *const STOPS[] = {"。", "；", "：", ";", ":", NULL};
			if (!ends_with_any(f->s, f->len, STOPS))
				buf_adds(f, "：");
		}
		join_cell(f, v, kinds[c] >= C_LEAD && kinds[c] != C_DEADLINE);
	}
	int fields = tr.f[C_LEAD].len || tr.f[C_RESP].len || tr.f[C_COOP].len ||
		     tr.f[C_DEADLINE].len || tr.f[C_LEADER].len;
	if (!tr.f[C_TASK].len) {
		plain_row(&t->r[i], out);
	} else if (!fields) {
		if (is_cn_numeral(buf_str(&tr.f[C_SEQ])))
			buf_printf(out, "%s、", tr.f[C_SEQ].s);
		buf_add(out, tr.f[C_TASK].s, tr.f[C_TASK].len);
		buf_adds(out, "\n\n");
	} else {
		/* A —— item, so that extract gives each row a task of its own (a
		 * plain paragraph right after a heading would join the heading). */
		buf_adds(out, "——");
		buf_add(out, tr.f[C_TASK].s, tr.f[C_TASK].len);
		buf_addc(out, '\n');
		field_line(out, "牵头单位", &tr.f[C_LEAD]);
		field_line(out, "责任单位", &tr.f[C_RESP]);
		field_line(out, "配合单位", &tr.f[C_COOP]);
		field_line(out, "完成时限", &tr.f[C_DEADLINE]);
		field_line(out, "牵头领导", &tr.f[C_LEADER]);
		buf_addc(out, '\n');
	}
	for (size_t k = 0; k <= C_LEADER; k++)
		buf_free(&tr.f[k]);
}

static int same_row(const struct table_row *a, const struct table_row *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t c = 0; c < a->n; c++)
		if (a->c[c].from != b->c[c].from ||
		    strcmp(a->c[c].text ? a->c[c].text : "", b->c[c].text ? b->c[c].text : ""))
			return 0;
	return 1;
}

/* 1 when the rows written since start reach max_out: the table is cut there. */
static int over(struct table *t, const struct buf *out, size_t start)
{
	if (t->max_out && out->len - start > t->max_out)
		t->cut = 1;
	return t->cut;
}

void table_render(struct table *t, struct buf *out)
{
	size_t start = out->len;
	t->cut = 0;
	row_finish(t); /* rowspans reaching past the last row started */
	resolve_cells(t);
	size_t ncols = 0;
	for (size_t i = 0; i < t->n; i++)
		ncols = t->r[i].n > ncols ? t->r[i].n : ncols;
	size_t head = t->n;
	enum col *kinds = NULL;
	for (size_t i = 0; i < t->n && i < HEADER_ROWS && ncols; i++) {
		kinds = row_kinds(t, i, ncols);
		if (kinds_have(kinds, ncols, C_TASK) &&
		    (kinds_have(kinds, ncols, C_LEAD) || kinds_have(kinds, ncols, C_RESP))) {
			head = i;
			break;
		}
		free(kinds);
		kinds = NULL;
	}
	if (!kinds) {
		for (size_t i = 0; i < t->n && !over(t, out, start); i++)
			plain_row(&t->r[i], out);
		return;
	}
	size_t before = out->len;
	for (size_t i = 0; i < head && !over(t, out, start); i++)
		plain_row(&t->r[i], out);
	if (out->len > before)
		buf_addc(out, '\n'); /* a title row is no part of the first task */
	size_t body = head + 1 + (size_t)refine_header(t, head + 1, kinds, ncols);
	for (size_t i = body; i < t->n && !over(t, out, start); i++)
		if (!same_row(&t->r[i], &t->r[head]))
			division_row(t, i, kinds, ncols, out);
	free(kinds);
}
