/*
 * layout.c - from the lines of a notice to its records: pieces, page
 * numbers, the header, tables, paragraphs joined again, and the outline.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "notice/layout.h"
#include "stream/err.h"
#include "stream/rec.h"
#include "stream/utf8.h"

const struct rule_need LAYOUT_NEEDS[] = {
	{"heading.l1", "num,text", 1},
	{"heading.l2", "num,text", 1},
	{"heading.l3", "num,text", 1},
	{"heading.l4", "num,text", 1},
	{"heading.l5", "num,text", 1},
	{"heading.item", "text", 1},
	{"inline.item", "num", 1},
	{"layout.split", NULL, 0},
	{"layout.page", NULL, 1},
	{"layout.rule", NULL, 1},
	{"layout.label", NULL, 1},
	{"header.docno", "docno", 1},
	{"header.docno_lead", "docno", 1},
	{"header.signer", "signer", 1},
	{"header.issuer_mark", "issuer", 1},
	{"header.issuer", "issuer", 1},
	{"header.title", "title", 1},
	{"header.title_end", NULL, 1},
	{"header.recipients", "to", 1},
	{"header.date", "y,m", 1},
	{"header.date_noyear", "m,d", 1},
	{"header.copyno", NULL, 1},
	{"tail.attachment", NULL, 1},
	{"tail.cc", NULL, 1},
	{"tail.printed", "date", 1},
	{"tail.note", NULL, 1},
	{NULL, NULL, 0},
};

/* A line longer than this (display columns) may hold several paragraphs;
 * longer than the second, it is a whole notice saved without line breaks. */
#define RUN_TOGETHER_COLUMNS 160
#define WHOLE_NOTICE_COLUMNS 600
/* How near the width a text is cut at a line must come to be cut there. */
#define WRAP_SLACK 4

void layout_init(struct layout *L, struct rules *rs)
{
	memset(L, 0, sizeof *L);
	L->rs = rs;
}

static void clear(struct layout *L)
{
	for (size_t i = 0; i < L->n; i++) {
		ntext_free(&L->p[i].t);
		free(L->p[i].value);
	}
	for (size_t i = 0; i < L->nrows; i++) {
		free(L->rows[i].text);
		for (size_t c = 0; c < sizeof L->rows[i].cell / sizeof *L->rows[i].cell; c++)
			free(L->rows[i].cell[c]);
	}
	L->n = L->nrows = 0;
	L->body = L->wrap = 0;
	L->indents = 0;
}

void layout_free(struct layout *L)
{
	clear(L);
	free(L->p);
	free(L->rows);
	memset(L, 0, sizeof *L);
}

int layout_match(struct layout *L, const char *rule, const struct piece *p, struct match *m)
{
	return rules_match(L->rs, rule, p->t.norm.s ? p->t.norm.s : "", p->t.norm.len, m) > 0;
}

void layout_squeezed(const struct piece *p, struct buf *out)
{
	buf_reset(out);
	for (const char *s = buf_str(&p->t.norm); *s; s++)
		if (*s != ' ')
			buf_addc(out, *s);
	if (!out->s)
		buf_grow(out, 0);
}

void layout_set_head(struct piece *p, const char *key, const char *value, size_t n)
{
	p->kind = P_HEAD;
	p->key = key;
	free(p->value);
	p->value = nm_xstrndup(value, n);
}

/* Is c a space of any kind? */
static int is_space(uint32_t c) { return c == ' ' || c == '\t' || c == 0x3000 || c == 0xA0; }

/* Columns of the text's leading space, and the byte where its text starts. */
static size_t leading_space(const char *s, size_t n, size_t *cols)
{
	size_t i = 0;
	uint32_t c;
	*cols = 0;
	while (i < n) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (!len || !is_space(c))
			break;
		*cols += c == 0x3000 ? 2 : c == '\t' ? 4 : 1;
		i += len;
	}
	return i;
}

/* Bytes of s[0..n) without its trailing space. */
static size_t without_trailing_space(const char *s, size_t n)
{
	while (n > 0) {
		size_t k = n - 1;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--;
		uint32_t c;
		if (!utf8_decode(s + k, n - k, &c) || !is_space(c))
			break;
		n = k;
	}
	return n;
}

static struct piece *piece_add(struct layout *L, long no, const char *s, size_t n, size_t width,
			       int first)
{
	if (L->n == L->cap) {
		L->cap = L->cap ? 2 * L->cap : 256;
		L->p = nm_xrealloc(L->p, L->cap * sizeof *L->p);
	}
	struct piece *p = &L->p[L->n++];
	memset(p, 0, sizeof *p);
	p->no = no;
	p->first = first;
	p->width = width;
	size_t start = leading_space(s, n, &p->indent);
	for (size_t i = 0; i < start; i++)
		p->tabs += s[i] == '\t';
	size_t end = without_trailing_space(s, n);
	ntext_set(&p->t, s + start, end > start ? end - start : 0);
	p->kind = p->t.norm.len ? P_TEXT : P_BLANK;
	p->row = -1;
	return p;
}

/* A run of space inside a long line that separates paragraphs: an
 * ideographic space, or three spaces or more. Returns its byte length. */
static size_t separator_at(const char *s, size_t n, size_t i, int single)
{
	uint32_t c;
	size_t j = i, ascii = 0, wide = 0;
	while (j < n) {
		size_t len = utf8_decode(s + j, n - j, &c);
		if (!len || !is_space(c))
			break;
		if (c == 0x3000)
			wide++;
		else
			ascii++;
		j += len;
	}
	/* In a whole notice saved on one line, one space between two Han
	 * characters (or punctuation) parts paragraphs too. */
	int between = single && ascii == 1 && !wide && i > 0 && j < n &&
		      (unsigned char)s[i - 1] >= 0x80 && (unsigned char)s[j] >= 0x80;
	return (wide || ascii >= 3 || between) ? j - i : 0;
}

/*
 * A line far longer than a paragraph's line may hold a whole notice (a
 * page saved without line breaks): its paragraphs are cut at the runs of
 * space between them, then at the item numbers that follow a sentence's
 * end (layout.split).
 */
static void add_split(struct layout *L, long no, const char *s, size_t n, size_t width)
{
	int single = width > WHOLE_NOTICE_COLUMNS;
	size_t from = 0, cols;
	int first = 1;
	leading_space(s, n, &cols);
	size_t i = leading_space(s, n, &cols);
	while (i < n) {
		size_t sep = separator_at(s, n, i, single);
		if (sep && i > from) {
			piece_add(L, no, s + from, i - from, width, first);
			first = 0;
			from = i + sep;
			i = from;
			continue;
		}
		i += sep ? sep : 1;
	}
	if (from < n)
		piece_add(L, no, s + from, n - from, width, first);
}

/* Cuts a piece before every layout.split match (item numbers after a sentence's end). */
static void split_items(struct layout *L, size_t k)
{
	struct match m;
	struct piece *p = &L->p[k];
	const char *norm = buf_str(&p->t.norm);
	size_t n = p->t.norm.len, at = 0;
	size_t cuts[512], ncut = 0;
	while (at < n && ncut < sizeof cuts / sizeof *cuts &&
	       rules_scan(L->rs, "layout.split", norm, n, at, &m) > 0) {
		size_t c = match_end(&m);
		if (c > 0 && c < n && (ncut == 0 || c > cuts[ncut - 1]))
			cuts[ncut++] = c;
		at = c > at ? c : at + 1;
	}
	if (!ncut)
		return;
	/* The pieces after the cuts go in after k, in order. */
	struct ntext whole = p->t;
	long no = p->no;
	size_t width = p->width, indent = p->indent;
	int first = p->first;
	memset(&p->t, 0, sizeof p->t);
	size_t tail_n = L->n - k - 1;
	struct piece *tail = NULL;
	if (tail_n) {
		tail = nm_xmalloc(tail_n * sizeof *tail);
		memcpy(tail, &L->p[k + 1], tail_n * sizeof *tail);
	}
	L->n = k;
	for (size_t c = 0; c <= ncut; c++) {
		size_t a = c ? cuts[c - 1] : 0, b = c < ncut ? cuts[c] : n, oa, ob;
		ntext_span(&whole, a, b, &oa, &ob);
		struct piece *q = piece_add(L, no, whole.orig.s + oa, ob - oa, width,
					    first && c == 0);
		if (c == 0)
			q->indent = indent;
	}
	for (size_t i = 0; i < tail_n; i++) {
		if (L->n == L->cap) {
			L->cap *= 2;
			L->p = nm_xrealloc(L->p, L->cap * sizeof *L->p);
		}
		L->p[L->n++] = tail[i];
	}
	free(tail);
	ntext_free(&whole);
}

void layout_add_line(struct layout *L, long no, const char *s, size_t n)
{
	size_t width = 0;
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		width += !len ? 1 : c == '\t' ? 4 : utf8_char_width(c);
		i += len ? len : 1;
	}
	size_t first = L->n;
	if (width > RUN_TOGETHER_COLUMNS && !memchr(s, '\t', n))
		add_split(L, no, s, n, width);
	else
		piece_add(L, no, s, n, width, 1);
	for (size_t k = first; k < L->n; k++)
		if (L->p[k].kind == P_TEXT && L->p[k].t.norm.len > 60)
			split_items(L, k);
}

static int ends_paragraph(const char *s);

/* ---- Page numbers, and the width a copied text was cut at ---- */

static void drop_page_numbers(struct layout *L)
{
	struct match m;
	for (size_t i = 0; i < L->n; i++) {
		if (L->p[i].kind != P_TEXT)
			continue;
		if (layout_match(L, "layout.page", &L->p[i], &m))
			L->p[i].kind = P_PAGE;
		else if (layout_match(L, "layout.rule", &L->p[i], &m))
			L->p[i].kind =
				P_BLANK; /* a rule across the page parts what is above and below */
	}
}

/*
 * A text copied out of a PDF or typed to a fixed width has most of its
 * lines about as wide as each other: the width with most lines within a
 * few columns of it, when that holds at least two in five of the longer
 * lines. A line that wide was cut; a shorter one ended its paragraph.
 */
static void find_wrap(struct layout *L)
{
	enum { MAXW = 400 };
	size_t hist[MAXW + 1] = {0}, lines = 0, indented = 0;
	for (size_t i = L->body; i < L->n; i++) {
		const struct piece *p = &L->p[i];
		if (p->kind != P_TEXT || !p->first || p->width < 30 || p->width > MAXW)
			continue;
		hist[p->width]++;
		lines++;
		indented += p->indent >= 2;
	}
	size_t best = 0, best_n = 0;
	for (size_t w = 30; w <= MAXW; w++) {
		size_t count = 0;
		for (size_t k = w >= 2 ? w - 2 : 0; k <= w + 2 && k <= MAXW; k++)
			count += hist[k];
		if (count > best_n || (count == best_n && w > best))
			best = w, best_n = count;
	}
	/* Lines cut at a width end in the middle of a sentence; most lines that
	 * merely happen to be as wide end theirs. */
	size_t open_ends = 0;
	for (size_t i = L->body; i < L->n; i++) {
		const struct piece *p = &L->p[i];
		if (p->kind == P_TEXT && p->first && p->width + 2 >= best && p->width <= best + 2 &&
		    !ends_paragraph(buf_str(&p->t.norm)))
			open_ends++;
	}
	if (lines >= 6 && best_n * 5 >= lines * 2 && open_ends * 2 >= best_n) {
		L->wrap = best + 2;
		L->indents = indented * 5 >= lines;
	}
}

/* ---- Paragraphs joined again ---- */

/* Brackets opened and not closed in the text. */
static int open_brackets(const char *s)
{
	int depth = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '(' || *p == '[' || *p == '{')
			depth++;
		else if (*p == ')' || *p == ']' || *p == '}')
			depth -= depth > 0;
		else if (*p == 0xE3 && p[1] == 0x80) { /* 〈〉《》【】〔〕: U+3008-3015 */
			unsigned c = p[2];
			if (c == 0x88 || c == 0x8A || c == 0x90 || c == 0x94)
				depth++;
			else if (c == 0x89 || c == 0x8B || c == 0x91 || c == 0x95)
				depth -= depth > 0;
		}
	}
	return depth;
}

static int ends_paragraph(const char *s)
{
	static const char *const ENDS[] = {"。", "!", "?", "！", "？", ";", ":", "。”", "！”"};
	for (size_t k = 0; k < sizeof ENDS / sizeof *ENDS; k++)
		if (str_ends(s, ENDS[k]))
			return 1;
	/* A closing bracket after a sentence's end: "…。(牵头单位:…)" */
	return str_ends(s, ")") && !open_brackets(s);
}

static int ends_in_list(const char *s)
{
	return str_ends(s, "、") || str_ends(s, ",") || str_ends(s, "，");
}

static int starts_closing(const char *s)
{
	static const char *const C[] = {"。", ",", ";", ":", ")", "]", "、", "】", "〕", "”", "》"};
	for (size_t k = 0; k < sizeof C / sizeof *C; k++)
		if (str_starts(s, C[k]))
			return 1;
	return 0;
}

/* Does the piece start something of its own: a heading, an item, a field label, a closing part? */
static int starts_structure(struct layout *L, const struct piece *p)
{
	static const char *const RULES[] = {
		"heading.l1", "heading.l2",   "heading.l3",   "heading.l4",
		"heading.l5", "heading.item", "layout.label", "tail.attachment",
		"tail.cc",    "tail.printed", "tail.note",    "header.date",
	};
	struct match m;
	for (size_t k = 0; k < sizeof RULES / sizeof *RULES; k++)
		if (layout_match(L, RULES[k], p, &m))
			return 1;
	return 0;
}

/* Whether piece i continues the paragraph of piece j (the text piece before it). */
static int continues(struct layout *L, size_t j, size_t i, int blank_between, int page_between)
{
	const struct piece *prev = &L->p[j], *cur = &L->p[i];
	const char *ptext = buf_str(&prev->t.norm), *ctext = buf_str(&cur->t.norm);
	if (prev->no == cur->no && !cur->first)
		return 0; /* pieces cut from one line were cut on purpose */
	if (memchr(prev->t.orig.s ? prev->t.orig.s : "", '\t', prev->t.orig.len) ||
	    memchr(cur->t.orig.s ? cur->t.orig.s : "", '\t', cur->t.orig.len))
		return 0; /* cells typed with TABs: a row of a table, never a cut line */
	int open = open_brackets(ptext) > 0;
	if (starts_closing(ctext))
		return 1;
	if (open && !blank_between)
		return 1;
	if (blank_between || starts_structure(L, cur))
		return 0;
	if (ends_in_list(ptext))
		return 1;
	/* a sentence cut by a page number (…覆盖率达到 / -2- / 100%。) */
	if (page_between && !ends_paragraph(ptext))
		return 1;
	if (!L->wrap || ends_paragraph(ptext))
		return 0;
	if (L->indents && cur->indent >= 2)
		return 0;
	return prev->width + WRAP_SLACK >= L->wrap;
}

/* Marks every text piece of the body that continues the paragraph before it. */
static void join_paragraphs(struct layout *L)
{
	size_t last = (size_t)-1;
	int blank = 0, page = 0;
	for (size_t i = L->body; i < L->n; i++) {
		struct piece *p = &L->p[i];
		if (p->kind == P_PAGE) {
			page = 1;
			continue; /* a page break is no paragraph break */
		}
		if (p->kind == P_BLANK) {
			/* A blank line beside a page number belongs to the page break. */
			int by_page = (i > 0 && L->p[i - 1].kind == P_PAGE) ||
				      (i + 1 < L->n && L->p[i + 1].kind == P_PAGE);
			blank |= !by_page;
			continue;
		}
		if (p->kind != P_TEXT) {
			last = (size_t)-1;
			blank = page = 0;
			continue;
		}
		if (last != (size_t)-1 && continues(L, last, i, blank, page))
			p->join = 1;
		last = i;
		blank = page = 0;
	}
}

/* ---- The outline ---- */

enum block_kind { B_PARA, B_HEADING, B_ITEM, B_TAIL };

struct block {
	long line;
	struct ntext t;
	enum block_kind kind;
	int level;
	const char *tail;
};

static const char *const HEADINGS[] = {"heading.l1", "heading.l2", "heading.l3", "heading.l4",
				       "heading.l5"};

static void classify(struct layout *L, struct block *b)
{
	static const struct {
		const char *rule, *kind;
	} TAILS[] = {
		{"tail.attachment", "attachment"},
		{"tail.cc", "cc"},
		{"tail.printed", "printed"},
		{"tail.note", "note"},
	};
	struct match m;
	const char *s = buf_str(&b->t.norm);
	size_t n = b->t.norm.len;
	b->kind = B_PARA;
	for (size_t k = 0; k < sizeof TAILS / sizeof *TAILS; k++)
		if (rules_match(L->rs, TAILS[k].rule, s, n, &m) > 0) {
			b->kind = B_TAIL;
			b->tail = TAILS[k].kind;
			return;
		}
	for (int k = 0; k < 5; k++)
		if (rules_match(L->rs, HEADINGS[k], s, n, &m) > 0) {
			b->kind = B_HEADING;
			b->level = k + 1;
			return;
		}
	if (rules_match(L->rs, "heading.item", s, n, &m) > 0)
		b->kind = B_ITEM;
}

/* The items of a paragraph: 一是…；二是…. Fills starts (normalised byte
 * offsets of each item's number) and returns how many, 0 unless there are
 * two or more numbered from 一 on. */
static size_t inline_items(struct layout *L, const struct ntext *t, size_t from, size_t *starts,
			   size_t max, size_t *nums)
{
	struct match m;
	const char *s = buf_str(&t->norm);
	size_t n = t->norm.len, at = from, k = 0, len;
	long want = 1;
	while (k < max && at < n && rules_scan(L->rs, "inline.item", s, n, at, &m) > 0) {
		const char *num = match_group(&m, "num", &len);
		long v = num ? cn_number(num, len) : -1;
		if (v == want) {
			starts[k] = match_start(&m);
			nums[k++] = (size_t)v;
			want++;
		}
		at = match_end(&m) > at ? match_end(&m) : at + 1;
	}
	return k >= 2 ? k : 0;
}

static void put_text_fields(FILE *out, const struct ntext *t, size_t a, size_t b)
{
	struct buf s = BUF_INIT;
	ntext_orig(t, a, b, &s);
	size_t len = s.len;
	const char *trimmed = str_trim(buf_str(&s), &len);
	rec_put_fieldn(out, trimmed, len);
	buf_free(&s);
}

/* The heading's label (its text up to the first 。) and body, as written. */
static size_t label_end(const struct ntext *t)
{
	const char *s = buf_str(&t->norm);
	const char *stop = strstr(s, "。");
	return stop ? (size_t)(stop - s) : t->norm.len;
}

static void put_inline_items(FILE *out, long line, const struct ntext *t, const size_t *starts,
			     const size_t *nums, size_t k)
{
	static const char *const CN[] = {"",   "一", "二", "三", "四", "五",
					 "六", "七", "八", "九", "十"};
	for (size_t i = 0; i < k; i++) {
		size_t a = starts[i], b = i + 1 < k ? starts[i + 1] : t->norm.len;
		const char *s = buf_str(&t->norm) + a;
		size_t skip = 0; /* 一是 / 一要 and what follows it */
		while (a + skip < b && ((unsigned char)s[skip] >= 0x80 || s[skip] == ' ') &&
		       skip < 12 && !str_starts(s + skip, "是") && !str_starts(s + skip, "要"))
			skip++;
		skip += (str_starts(s + skip, "是") || str_starts(s + skip, "要")) ? strlen("是")
										   : 0;
		fprintf(out, "item\t%ld", line);
		put_text_fields(out, t, a, b);
		put_text_fields(out, t, a + skip, b);
		rec_put_field(out, "inline");
		rec_put_field(out, nums[i] < 11 ? CN[nums[i]] : "");
		rec_end(out);
	}
}

static void put_block(struct layout *L, FILE *out, struct block *b)
{
	struct match m;
	const char *s = buf_str(&b->t.norm);
	size_t n = b->t.norm.len, len;
	size_t starts[64], nums[64], k = 0;
	switch (b->kind) {
	case B_TAIL:
		fprintf(out, "tail\t%ld", b->line);
		put_text_fields(out, &b->t, 0, n);
		rec_put_field(out, b->tail);
		rec_end(out);
		return;
	case B_HEADING: {
		rules_match(L->rs, HEADINGS[b->level - 1], s, n, &m);
		const char *num = match_group(&m, "num", &len);
		char *numc = nm_xstrndup(num ? num : "", num ? len : 0);
		size_t lab = label_end(&b->t), body = lab < n ? lab + strlen("。") : n;
		k = inline_items(L, &b->t, body, starts, 64, nums);
		size_t body_end = k ? starts[0] : n;
		fprintf(out, "heading\t%ld", b->line);
		put_text_fields(out, &b->t, 0, k ? starts[0] : n);
		rec_put_long(out, b->level);
		rec_put_field(out, numc);
		put_text_fields(out, &b->t, 0, lab);
		put_text_fields(out, &b->t, body, body_end > body ? body_end : body);
		rec_end(out);
		free(numc);
		break;
	}
	case B_ITEM: {
		rules_match(L->rs, "heading.item", s, n, &m);
		size_t a = m.ov[0], tb;
		const char *text = match_group(&m, "text", &len);
		tb = text ? (size_t)(text - s) : a;
		k = inline_items(L, &b->t, tb, starts, 64, nums);
		fprintf(out, "item\t%ld", b->line);
		put_text_fields(out, &b->t, 0, k ? starts[0] : n);
		put_text_fields(out, &b->t, tb, k ? starts[0] : n);
		rec_put_field(out, "dash");
		rec_put_field(out, "");
		rec_end(out);
		break;
	}
	case B_PARA:
		k = inline_items(L, &b->t, 0, starts, 64, nums);
		if (!k || starts[0] > 0) {
			fprintf(out, "para\t%ld", b->line);
			put_text_fields(out, &b->t, 0, k ? starts[0] : n);
			rec_end(out);
		}
		break;
	}
	if (k)
		put_inline_items(out, b->line, &b->t, starts, nums, k);
}

static void put_head(FILE *out, const struct piece *p)
{
	/* The organ alone above a 关于… title is the issuer and the title's start. */
	int both = strcmp(p->key, "issuer+title") == 0;
	for (int k = 0; k <= both; k++) {
		fprintf(out, "head\t%ld", p->no);
		rec_put_fieldn(out, buf_str(&p->t.orig), p->t.orig.len);
		rec_put_field(out, both ? (k ? "title" : "issuer") : p->key);
		rec_put_field(out, p->value ? p->value : "");
		rec_end(out);
	}
}

static void put_row(FILE *out, const struct row_cells *r)
{
	rec_put_row(out,
		    &(struct rec_row){r->line, r->text, r->cell[0], r->cell[1], r->cell[2],
				      r->cell[3], r->cell[4], r->cell[5], r->cell[6], r->cell[7]});
}

/*
 * A notice forwarded by e-mail: most of its lines quoted with "> ". The
 * marks are the mail's, not the notice's: taken off before anything else.
 */
static void unquote(struct layout *L)
{
	size_t lines = 0, quoted = 0;
	for (size_t i = 0; i < L->n; i++) {
		const struct piece *p = &L->p[i];
		if (p->kind == P_BLANK)
			continue;
		lines++;
		quoted += p->t.norm.len && p->t.norm.s[0] == '>';
	}
	if (quoted < 5 || quoted * 2 < lines)
		return;
	for (size_t i = 0; i < L->n; i++) {
		struct piece *p = &L->p[i];
		const char *o = p->t.orig.s ? p->t.orig.s : "";
		size_t k = 0;
		while (k < p->t.orig.len && (o[k] == '>' || o[k] == ' '))
			k++;
		if (!p->t.norm.len || p->t.norm.s[0] != '>')
			continue;
		char *rest = nm_xstrndup(o + k, p->t.orig.len - k);
		ntext_set(&p->t, rest, strlen(rest));
		free(rest);
		if (!p->t.norm.len)
			p->kind = P_BLANK;
	}
}

/*
 * A notice exported as Markdown (# headings, **bold**, "- " bullets): the
 * marks are formatting, not the notice's text, and are taken off.
 */
static void unmarkdown(struct layout *L)
{
	size_t heads = 0, bold = 0;
	for (size_t i = 0; i < L->n; i++) {
		const char *o = L->p[i].t.orig.s ? L->p[i].t.orig.s : "";
		heads += o[0] == '#' && (o[1] == ' ' || o[1] == '#');
		bold += strstr(o, "**") != NULL;
	}
	if (heads < 2 && bold < 3)
		return;
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < L->n; i++) {
		struct piece *p = &L->p[i];
		const char *o = p->t.orig.s ? p->t.orig.s : "";
		size_t n = p->t.orig.len, k = 0;
		if (o[0] == '#') {
			while (k < n && o[k] == '#')
				k++;
		}
		while (k < n && o[k] == ' ')
			k++;
		if (k + 1 < n && (o[k] == '-' || o[k] == '*' || o[k] == '+') && o[k + 1] == ' ')
			k += 2;
		buf_reset(&b);
		for (size_t j = k; j < n; j++)
			if (!(o[j] == '*' && j + 1 < n && o[j + 1] == '*'))
				buf_addc(&b, o[j]);
			else
				j++;
		if (b.len == n)
			continue;
		ntext_set(&p->t, buf_str(&b), b.len);
		if (!p->t.norm.len)
			p->kind = P_BLANK;
	}
	buf_free(&b);
}

/* The fields of a line of CSV (RFC 4180 quotes) joined by TABs into out;
 * the number of fields, 0 when the line is no such row (a quote left open,
 * a TAB in it). */
static size_t csv_fields(const char *s, size_t n, struct buf *out)
{
	size_t fields = 1;
	int quoted = 0;
	buf_reset(out);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\t')
			return 0;
		if (quoted) {
			if (c == '"' && i + 1 < n && s[i + 1] == '"')
				buf_addc(out, '"'), i++;
			else if (c == '"')
				quoted = 0;
			else
				buf_addc(out, c);
		} else if (c == '"') {
			quoted = 1;
		} else if (c == ',') {
			buf_addc(out, '\t');
			fields++;
		} else {
			buf_addc(out, c);
		}
	}
	if (!out->s)
		buf_grow(out, 0);
	return quoted ? 0 : fields;
}

/*
 * A table saved as CSV (序号,重点任务,牵头单位,… then rows, cells with a comma
 * in quotes): three lines or more in a row with the same number of fields,
 * four at least, become rows typed with TABs.
 */
static void uncsv(struct layout *L)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < L->n;) {
		size_t f = L->p[i].t.orig.s ? csv_fields(L->p[i].t.orig.s, L->p[i].t.orig.len, &b)
					    : 0;
		size_t j = i + 1;
		while (f >= 4 && j < L->n && L->p[j].t.orig.s &&
		       csv_fields(L->p[j].t.orig.s, L->p[j].t.orig.len, &b) == f)
			j++;
		if (f < 4 || j - i < 3) {
			i++;
			continue;
		}
		for (size_t k = i; k < j; k++) {
			csv_fields(L->p[k].t.orig.s, L->p[k].t.orig.len, &b);
			ntext_set(&L->p[k].t, buf_str(&b), b.len);
		}
		i = j;
	}
	buf_free(&b);
}

void layout_write(struct layout *L, FILE *out)
{
	unquote(L);
	unmarkdown(L);
	uncsv(L);
	drop_page_numbers(L);
	layout_find_tables(L); /* first: a table's lines are never the header's */
	layout_find_header(L);
	find_wrap(L);
	join_paragraphs(L);
	struct block b = {0};
	int open = 0;
	for (size_t i = 0; i < L->n; i++) {
		struct piece *p = &L->p[i];
		if (p->kind == P_TEXT && p->join && open) {
			ntext_add(&b.t, p->t.orig.s, p->t.orig.len);
			continue;
		}
		if (p->kind == P_PAGE || (p->kind == P_BLANK))
			continue;
		if (open) {
			classify(L, &b);
			put_block(L, out, &b);
			open = 0;
		}
		if (p->kind == P_HEAD)
			put_head(out, p);
		else if (p->kind == P_ROW && p->row >= 0)
			put_row(out, &L->rows[p->row]);
		else if (p->kind == P_TEXT) {
			b.line = p->no;
			ntext_set(&b.t, p->t.orig.s ? p->t.orig.s : "", p->t.orig.len);
			open = 1;
		}
	}
	if (open) {
		classify(L, &b);
		put_block(L, out, &b);
	}
	ntext_free(&b.t);
	clear(L);
}

static int layout_on_record(void *state, const struct rec *r, FILE *out)
{
	(void)out;
	if (rec_kind(r) != REC_LINE)
		return 1;
	struct rec_line l;
	rec_get_line(r, &l);
	layout_add_line(state, l.line, l.text, strlen(l.text));
	return 0;
}

static void layout_on_end(void *state, FILE *out, int complete)
{
	(void)complete;
	layout_write(state, out);
}

struct stage layout_stage(struct layout *L)
{
	return (struct stage){L, layout_on_record, layout_on_end};
}
