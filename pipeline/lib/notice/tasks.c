/*
 * tasks.c - from the outline of a notice to its tasks: markings read,
 * attached to the item they belong to, headings' markings passed down,
 * content, deadline and quantitative targets of each task, unit names
 * settled, renames under --as-of.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "notice/tasks.h"
#include "notice/unitnames.h"
#include "stream/err.h"
#include "stream/utf8.h"

const struct rule_need TASKS_NEEDS[] = {
	{"deadline", NULL, 1},
	{"deadline.bare", "y", 1},
	{"deadline.nodate", NULL, 1},
	{"metric", NULL, 1},
	{"header.date", "y,m", 1},
	{"heading.l1", "num,text", 1},
	{"heading.l2", "num,text", 1},
	{"notice.first_leads", NULL, 1},
	{"unit.declare", "short", 1},
	{"marking.range", NULL, 1},
	{"marking.all_above", NULL, 1},
	{"marking.suspect", NULL, 1},
	{"table.blank_same", NULL, 1},
	{NULL, NULL, 0},
};

enum nkind { N_HEADING, N_ITEM, N_INLINE, N_PARA, N_ROW };

struct node {
	long line;
	enum nkind kind;
	int level;        /* headings 1-5; other nodes 6 */
	int parent;       /* the enclosing node, or -1 */
	struct ntext t;   /* the node's text as its record has it */
	size_t body;      /* headings: where the body starts (after the label's 。) */
	size_t label;     /* headings: where the label ends */
	char *num;
	struct roles roles;
	struct cuts cuts;
	enum resp_found found;
	int fields;       /* field blocks attached to it */
	int block;        /* a paragraph that is only a field block (attached elsewhere) */
	int absorbed;     /* a sub-item whose text went to its parent */
	int task, scope;  /* is a task; is a heading whose marking passes down */
	int inline_tail;  /* its items' text follows its own with no line between */
	int blank, same;  /* rows: cells left empty, cells saying 同上 (bits of ROW_KINDS) */
	long deadline_line;
	struct buf extra; /* text of sub-items absorbed into it */
	char *whole;      /* inline items: the item with its 一是 */
	char *group;      /* rows: the group row above (一、…) */
	struct segment *segs; /* several tasks in one paragraph, each closed by its marking */
	size_t nseg;
	size_t seg_a, seg_b;  /* a copy of the node for one segment: its text is [seg_a, seg_b) */
};

struct segment {
	size_t a, b;
	struct roles roles;
};

static void content_of(const struct node *n, size_t a, size_t b, struct buf *out);

void tasks_init(struct tasks *T, struct rules *rs)
{
	memset(T, 0, sizeof *T);
	T->rs = rs;
	resp_init(&T->resp, rs);
	for (int k = 0; k < 6; k++)
		T->heading_at[k] = -1;
}

static void clear(struct tasks *T)
{
	for (size_t i = 0; i < T->n; i++) {
		struct node *n = &T->v[i];
		ntext_free(&n->t);
		free(n->num);
		free(n->group);
		free(n->whole);
		roles_free(&n->roles);
		for (size_t k = 0; k < n->nseg; k++)
			roles_free(&n->segs[k].roles);
		free(n->segs);
		buf_free(&n->extra);
	}
	T->n = 0;
	for (int k = 0; k < 6; k++)
		T->heading_at[k] = -1;
	T->after_tail = 0;
	ntext_free(&T->recipients);
	free(T->issue_date);
	free(T->docno);
	T->issue_date = T->docno = NULL;
	T->date_line = 0;
	buf_reset(&T->place);
	resp_reset(&T->resp);
}

void tasks_free(struct tasks *T)
{
	clear(T);
	free(T->v);
	buf_free(&T->place);
	resp_free(&T->resp);
	memset(T, 0, sizeof *T);
}

static struct node *node_new(struct tasks *T, long line, enum nkind kind, int level, const char *text)
{
	if (T->n == T->cap) {
		T->cap = T->cap ? 2 * T->cap : 64;
		T->v = nm_xrealloc(T->v, T->cap * sizeof *T->v);
	}
	struct node *n = &T->v[T->n];
	memset(n, 0, sizeof *n);
	n->line = line;
	n->kind = kind;
	n->level = level;
	n->parent = -1;
	for (int k = (level <= 5 ? level - 1 : 5); k >= 1 && n->parent < 0; k--)
		n->parent = T->heading_at[k];
	ntext_set(&n->t, text, strlen(text));
	n->num = nm_xstrdup("");
	T->n++;
	T->after_tail = 0;
	return n;
}

static void on_heading(struct tasks *T, const struct rec *r)
{
	struct rec_heading h;
	rec_get_heading(r, &h);
	int level = (int)h.level;
	if (level < 1 || level > 5)
		return;
	for (int k = level; k <= 5; k++)
		T->heading_at[k] = -1;
	struct node *n = node_new(T, h.line, N_HEADING, level, h.text);
	free(n->num);
	n->num = nm_xstrdup(h.num);
	const char *s = buf_str(&n->t.norm), *stop = strstr(s, "。");
	n->label = stop ? (size_t)(stop - s) : n->t.norm.len;
	n->body = stop ? n->label + strlen("。") : n->t.norm.len;
	T->heading_at[level] = (int)(T->n - 1);
}

/* The node an inline item (一是…) belongs to: the paragraph or item it stands in. */
static int inline_parent(const struct tasks *T)
{
	for (size_t i = T->n; i-- > 0;)
		if (T->v[i].kind != N_INLINE)
			return (int)i;
	return -1;
}

static void on_item(struct tasks *T, const struct rec *r)
{
	struct rec_item it;
	rec_get_item(r, &it);
	if (strcmp(it.kind, "inline") == 0) {
		int parent = inline_parent(T);
		struct node *n = node_new(T, it.line, N_INLINE, 6, it.body);
		n->parent = parent;
		n->whole = nm_xstrdup(it.text);
		free(n->num);
		n->num = nm_xstrdup(it.num);
	} else {
		node_new(T, it.line, N_ITEM, 6, it.body);
	}
}

static const char *const ROW_KINDS[] = {"leader", "lead", "coop", "resp", "deadline"};

static void on_row(struct tasks *T, const struct rec *r)
{
	struct rec_row row;
	rec_get_row(r, &row);
	struct node *n = node_new(T, row.line, N_ROW, 6, row.task);
	free(n->num);
	n->num = nm_xstrdup(row.num);
	n->group = *row.group ? nm_xstrdup(row.group) : NULL;
	const char *cells[] = {row.leaders, row.lead, row.coop, row.resp, row.deadline};
	struct ntext cell = NTEXT_INIT;
	for (size_t k = 0; k < 5; k++) {
		if (!*cells[k]) {
			n->blank |= 1 << k;
			continue;
		}
		ntext_set(&cell, cells[k], strlen(cells[k]));
		if (rules_words_is(T->rs, "table.same", cell.norm.s, cell.norm.len)) {
			n->same |= 1 << k; /* 同上: the row above's */
			continue;
		}
		resp_value(&T->resp, &cell, 0, cell.norm.len, ROW_KINDS[k], &n->roles);
		n->fields++;
	}
	ntext_free(&cell);
	n->found = RESP_MARKING;
}

static void on_head(struct tasks *T, const struct rec *r)
{
	struct rec_head h;
	rec_get_head(r, &h);
	if (strcmp(h.key, "date") == 0 && !T->issue_date) {
		T->issue_date = nm_xstrdup(h.value);
		T->date_line = h.line;
		for (int k = 0; k < 6; k++) /* the covering letter's headings end here */
			T->heading_at[k] = -1;
	} else if (strcmp(h.key, "docno") == 0 && !T->docno) {
		T->docno = nm_xstrdup(h.value);
	} else if (strcmp(h.key, "recipients") == 0) {
		ntext_add(&T->recipients, h.value, strlen(h.value));
		ntext_add(&T->recipients, "，", strlen("，"));
	}
	if (strcmp(h.key, "issuer") == 0 || strcmp(h.key, "title") == 0 || strcmp(h.key, "docno") == 0)
		buf_adds(&T->place, h.value);
}

void tasks_add(struct tasks *T, const struct rec *r)
{
	switch (rec_kind(r)) {
	case REC_HEADING:
		on_heading(T, r);
		break;
	case REC_ITEM:
		on_item(T, r);
		break;
	case REC_PARA: {
		struct rec_para p;
		rec_get_para(r, &p);
		struct node *n = node_new(T, p.line, N_PARA, 6, p.text);
		n->block = T->after_tail; /* marks a paragraph after a closing part */
		break;
	}
	case REC_ROW:
		on_row(T, r);
		break;
	case REC_TAIL: {
		T->after_tail = 1;
		struct rec_tail tl;
		rec_get_tail(r, &tl);
		if (strcmp(tl.kind, "attachment") == 0) /* an attachment numbers anew */
			for (int k = 0; k < 6; k++)
				T->heading_at[k] = -1;
		break;
	}
	case REC_HEAD:
		on_head(T, r);
		break;
	default:
		break;
	}
}

/* ---- What the notice teaches first: its units, its declarations ---- */

static void learn_recipients(struct tasks *T)
{
	const char *s = buf_str(&T->recipients.norm);
	size_t n = T->recipients.norm.len, from = 0;
	for (size_t i = 0; i <= n;) {
		size_t sep = i == n ? 1 : s[i] == ',' ? 1 : str_starts(s + i, "、") ? strlen("、") : 0;
		if (!sep) {
			i++;
			continue;
		}
		size_t a = from, b = i;
		while (a < b && s[a] == ' ')
			a++;
		if (b > a && utf8_chars(s + a, b - a) <= 30)
			resp_learn(&T->resp, s + a, b - a);
		i += sep;
		from = i;
	}
}

/* Declarations: X（以下简称“Y”）: Y is the unit X, X the longest name ending there. */
static void learn_declarations(struct tasks *T, struct unitnames *U)
{
	struct match m;
	for (size_t i = 0; i < T->n; i++) {
		const struct ntext *t = &T->v[i].t;
		const char *s = buf_str(&t->norm);
		size_t len = t->norm.len;
		for (size_t at = 0; at < len && rules_scan(T->rs, "unit.declare", s, len, at, &m) > 0;) {
			size_t open = match_start(&m), slen;
			const char *sh = match_group(&m, "short", &slen);
			at = match_end(&m) > at ? match_end(&m) : at + 1;
			if (!sh || !resp_is_unit(&T->resp, sh, slen))
				continue;
			for (size_t a = open > 120 ? open - 120 : 0; a < open; a++) {
				if ((s[a] & 0xC0) == 0x80)
					continue;
				if (resp_is_unit(&T->resp, s + a, open - a)) {
					char *full = ntext_dup(t, a, open), *shortname = ntext_dup(t, (size_t)(sh - s),
												  (size_t)(sh - s) + slen);
					unitnames_declare(U, full, shortname);
					resp_learn(&T->resp, s + a, open - a);
					resp_learn(&T->resp, sh, slen);
					free(full);
					free(shortname);
					break;
				}
			}
		}
	}
}

/* ---- Markings and where they belong ---- */

/* Whether [a, b) of the text holds something besides cut markings and punctuation. */
static int has_content(const struct node *n, size_t a, size_t b)
{
	const char *s = buf_str(&n->t.norm);
	for (size_t i = a; i < b;) {
		int cut = 0;
		for (size_t k = 0; k < n->cuts.n; k++)
			if (i >= n->cuts.a[k] && i < n->cuts.b[k]) {
				i = n->cuts.b[k];
				cut = 1;
				break;
			}
		if (cut)
			continue;
		if (!strchr(" ,;.:", s[i]) && !str_starts(s + i, "。") && !str_starts(s + i, "；") &&
		    !str_starts(s + i, "，") && !str_starts(s + i, "、"))
			return 1;
		i += (unsigned char)s[i] >= 0x80 ? 3 : 1;
	}
	return 0;
}

/* The node a block of fields after node k belongs to: k, unless k is one of
 * several sub-items none of which has fields; then their parent (whose text
 * takes theirs). */
static int block_owner(struct tasks *T, int k)
{
	if (k < 0 || T->v[k].found || T->v[k].fields || T->v[k].level <= 2)
		return k;
	int parent = T->v[k].parent, siblings = 0;
	for (int j = parent + 1; j < k; j++) {
		if (T->v[j].found || T->v[j].fields)
			return k; /* a sibling, or an item below one, has fields of its own */
		if (T->v[j].parent == parent && T->v[j].kind == T->v[k].kind)
			siblings++; /* items like it: a paragraph (分工表如下) is none */
	}
	if (parent < 0 || siblings == 0 || T->v[parent].found || T->v[parent].fields)
		return k;
	/* A parent that is only a title (1.完善应急预案体系): the fields are
	 * its, and pass down to each of its items, each a task. */
	if (T->v[parent].kind == N_HEADING &&
	    !has_content(&T->v[parent], T->v[parent].body, T->v[parent].t.norm.len))
		return parent;
	for (int j = parent + 1; j <= k; j++)
		if (T->v[j].parent == parent) {
			if (T->v[parent].extra.len) /* the first goes on the line after the text: task_content */
				buf_addc(&T->v[parent].extra, '\n');
			buf_add(&T->v[parent].extra, T->v[j].t.orig.s, T->v[j].t.orig.len);
			T->v[j].absorbed = 1;
		}
	return parent;
}

static void merge_roles(struct roles *into, const struct roles *from)
{
	const struct strlist *src[] = {&from->leaders, &from->lead, &from->coop, &from->resp,
				       &from->deadlines, &from->lead_marked, &from->coop_marked};
	struct strlist *dst[] = {&into->leaders, &into->lead, &into->coop, &into->resp,
				 &into->deadlines, &into->lead_marked, &into->coop_marked};
	for (size_t k = 0; k < 7; k++)
		for (size_t i = 0; i < src[k]->n; i++)
			strlist_add_unique(dst[k], src[k]->v[i]);
	into->units |= from->units;
}

/* The numbers a range names: "第1—3项", "第5、6项", "第8至10项". */
static size_t range_numbers(const char *s, size_t n, long *v, size_t max)
{
	size_t k = 0;
	long last = -1;
	int dash = 0;
	for (size_t i = 0; i < n && k < max;) {
		if (s[i] >= '0' && s[i] <= '9') {
			long x = strtol(s + i, NULL, 10);
			while (i < n && s[i] >= '0' && s[i] <= '9')
				i++;
			if (dash && last >= 0 && x > last && x - last < 100)
				for (long y = last + 1; y <= x && k < max; y++)
					v[k++] = y;
			else
				v[k++] = x;
			last = x;
			dash = 0;
		} else {
			dash |= s[i] == '-' || s[i] == '~' || str_starts(s + i, "—") || str_starts(s + i, "至") ||
				str_starts(s + i, "到") || str_starts(s + i, "–");
			i += (unsigned char)s[i] >= 0x80 ? 3 : 1;
		}
	}
	return k;
}

/*
 * A paragraph that gives the responsibility of items by their numbers:
 * "以上第1—3项任务由X牵头，Y配合。", "第5、6项由X负责。" Its roles go to
 * those items (the nearest before it so numbered); 1 when it was one.
 */
/* "以上任务由区住建局牵头，…配合。": the items before it in its section that
 * have no marking of their own take it. */
static int all_above_marking(struct tasks *T, size_t i)
{
	struct node *n = &T->v[i];
	struct match m;
	const char *s = buf_str(&n->t.norm);
	if (rules_match(T->rs, "marking.all_above", s, n->t.norm.len, &m) <= 0)
		return 0;
	struct roles r = {0};
	struct cuts c = {.n = 0};
	if (resp_scan(&T->resp, &n->t, match_end(&m), n->t.norm.len, &r, &c) != RESP_MARKING ||
	    !r.units) {
		roles_free(&r);
		return 0;
	}
	int hits = 0, sec = n->parent; /* its section: the heading of level 1 or 2 above */
	while (sec >= 0 && T->v[sec].kind == N_HEADING && T->v[sec].level > 2)
		sec = T->v[sec].parent;
	for (size_t j = i; j-- > 0 && (int)j != sec;) {
		struct node *t = &T->v[j];
		if (t->parent != sec || t->kind == N_ROW || t->block || t->absorbed ||
		    t->found == RESP_MARKING || t->fields)
			continue;
		merge_roles(&t->roles, &r);
		t->fields++;
		if (!t->deadline_line && r.deadlines.n)
			t->deadline_line = n->line;
		hits++;
	}
	roles_free(&r);
	if (hits)
		n->block = 1;
	return hits > 0;
}

static int range_marking(struct tasks *T, size_t i)
{
	struct node *n = &T->v[i];
	struct match m;
	const char *s = buf_str(&n->t.norm);
	if (rules_match(T->rs, "marking.range", s, n->t.norm.len, &m) <= 0)
		return all_above_marking(T, i);
	long nums[200];
	size_t k = range_numbers(s + match_start(&m), match_end(&m) - match_start(&m), nums, 200);
	struct roles r = {0};
	struct cuts c = {.n = 0};
	if (!k || resp_scan(&T->resp, &n->t, match_end(&m), n->t.norm.len, &r, &c) != RESP_MARKING) {
		roles_free(&r);
		return 0;
	}
	int hits = 0;
	for (size_t want = 0; want < k; want++)
		for (size_t j = i; j-- > 0;) {
			struct node *t = &T->v[j];
			if (t->kind == N_PARA || t->kind == N_ROW || !*t->num)
				continue;
			if (cn_number(t->num, strlen(t->num)) == nums[want] && t->level >= 3) {
				merge_roles(&t->roles, &r);
				t->fields++;
				if (!t->deadline_line && r.deadlines.n)
					t->deadline_line = n->line;
				hits++;
				break;
			}
		}
	roles_free(&r);
	if (hits)
		n->block = 1;
	return hits > 0;
}

static int by_start(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;
	return (a[0] > b[0]) - (a[0] < b[0]);
}

/*
 * A paragraph that holds several tasks, each closed by its own marking:
 * "…政策体系（省科技厅牵头）。在高端装备…（省科技厅、省财政厅等负责），建设一批
 * 众创空间（省科技厅牵头）。" A marking with no text before it joins the
 * segment before it (a deadline in brackets of its own).
 */
static void find_segments(struct tasks *T, struct node *n)
{
	if (n->cuts.n < 2)
		return;
	size_t cut[RESP_MAX_CUTS][2], k = n->cuts.n;
	for (size_t c = 0; c < k; c++)
		cut[c][0] = n->cuts.a[c], cut[c][1] = n->cuts.b[c];
	qsort(cut, k, sizeof *cut, by_start);
	size_t a = n->kind == N_HEADING ? n->body : 0, nseg = 0;
	struct segment seg[RESP_MAX_CUTS];
	for (size_t c = 0; c < k; c++) {
		if (cut[c][0] < a)
			continue;
		if (has_content(n, a, cut[c][0])) {
			seg[nseg].a = a;
			seg[nseg++].b = cut[c][1];
		} else if (nseg) {
			seg[nseg - 1].b = cut[c][1];
		}
		a = cut[c][1];
	}
	if (nseg < 2)
		return;
	if (has_content(n, a, n->t.norm.len))
		seg[nseg - 1].b = n->t.norm.len; /* text after the last marking stays with it */
	n->segs = nm_xmalloc(nseg * sizeof *n->segs);
	int units = 1;
	for (size_t j = 0; j < nseg; j++) {
		struct cuts none = {.n = 0};
		memset(&n->segs[j], 0, sizeof n->segs[j]);
		n->segs[j].a = seg[j].a;
		n->segs[j].b = seg[j].b;
		resp_scan(&T->resp, &n->t, seg[j].a, seg[j].b, &n->segs[j].roles, &none);
		units &= n->segs[j].roles.units;
	}
	n->nseg = nseg;
	if (!units) { /* not each with its units: one task after all */
		for (size_t j = 0; j < nseg; j++)
			roles_free(&n->segs[j].roles);
		free(n->segs);
		n->segs = NULL;
		n->nseg = 0;
	}
}

/* Whether a paragraph after node o continues its text: o is a numbered
 * item (1., （1）, ——, 一是) with text of its own beyond its title. */
static int continues_item(const struct node *o)
{
	if (o->kind == N_ITEM || o->kind == N_INLINE)
		return 1;
	return o->kind == N_HEADING && o->level >= 3 && has_content(o, o->body, o->t.norm.len);
}

/* The nodes between owner and i that went elsewhere (absorbed, blocks). */
static size_t skipped_since(const struct tasks *T, int owner, size_t i)
{
	size_t k = 0;
	for (size_t j = (size_t)owner + 1; j < i; j++)
		k += T->v[j].absorbed || T->v[j].block;
	return k;
}

/* Where a heading's or item's own number (一、 （二） 3. ①) ends in its text. */
static size_t number_end(const struct node *n)
{
	const char *s = buf_str(&n->t.norm);
	size_t len = strlen(n->num ? n->num : "");
	if (!len || (n->kind != N_HEADING && n->kind != N_ITEM))
		return 0;
	size_t i = 0;
	while (s[i] == ' ')
		i++;
	int paren = s[i] == '(';
	i += paren;
	if (strncmp(s + i, n->num, len) != 0)
		return 0;
	i += len;
	if (paren && s[i] == ')')
		return i + 1;
	if (str_starts(s + i, "、") || str_starts(s + i, "．"))
		return i + strlen("、");
	if (s[i] == '.' || s[i] == ' ')
		return i + 1;
	return 0;
}

/* Whether node j, not yet read, is a paragraph of fields only (1), an item
 * with no marking (0), or else (-1). */
static int peek(struct tasks *T, size_t j)
{
	if (j >= T->n)
		return -1;
	struct node tmp = T->v[j];
	memset(&tmp.roles, 0, sizeof tmp.roles);
	tmp.cuts.n = 0;
	enum resp_found f = resp_scan(&T->resp, &tmp.t, number_end(&tmp), tmp.t.norm.len, &tmp.roles, &tmp.cuts);
	int kind = -1;
	if (f == RESP_MARKING && (tmp.kind == N_PARA || tmp.kind == N_ITEM) &&
	    !has_content(&tmp, 0, tmp.t.norm.len))
		kind = 1;
	else if (f != RESP_MARKING && (tmp.kind == N_ITEM || (tmp.kind == N_HEADING && tmp.level >= 3)))
		kind = 0;
	roles_free(&tmp.roles);
	return kind;
}

/*
 * "【牵头单位】X　【配合单位】Y" above each item: a block of fields right
 * under a section's heading, then an item, then another block, then an
 * item... Each block is the item's below it. Once seen, the section keeps it.
 */
static int fields_before_items(struct tasks *T, size_t i, int owner, int *forward)
{
	if (*forward)
		return peek(T, i + 1) == 0;
	const struct node *o = owner >= 0 ? &T->v[owner] : NULL;
	if (!o || o->kind != N_HEADING || o->level > 2 || o->found || o->fields)
		return 0;
	if (peek(T, i + 1) != 0 || peek(T, i + 2) != 1)
		return 0;
	/* ... and the section's last item has no block after it (else each
	 * block closes the item above it, and the first is the section's) */
	size_t last = i + 1;
	for (size_t j = i + 1; j < T->n; j++) {
		const struct node *x = &T->v[j];
		if (x->kind == N_HEADING && x->level <= 2)
			break;
		if (x->kind == N_ITEM || (x->kind == N_HEADING && x->level >= 3))
			last = j;
	}
	if (peek(T, last + 1) == 1)
		return 0;
	return *forward = 1;
}

static void read_markings(struct tasks *T)
{
	int owner = -1, block_to = -1; /* block_to: where the field lines just read went */
	int forward = 0; /* this section writes each item's fields above it */
	for (size_t i = 0; i < T->n; i++) {
		struct node *n = &T->v[i];
		if (n->kind == N_HEADING && n->level <= 2)
			forward = 0;
		if (n->kind == N_ROW) {
			owner = (int)i;
			block_to = -1;
			continue;
		}
		int after_tail = n->kind == N_PARA && n->block;
		n->block = 0;
		if (n->kind == N_PARA && range_marking(T, i))
			continue;
		n->found = resp_scan(&T->resp, &n->t, number_end(n), n->t.norm.len, &n->roles, &n->cuts);
		if (n->found == RESP_MARKING && (n->kind == N_PARA || n->kind == N_ITEM) &&
		    !has_content(n, 0, n->t.norm.len)) {
			/* A paragraph (or a —— line) that is only fields: it belongs to the
			 * item above, as the field lines before it did. */
			int k = after_tail ? -1 : block_to >= 0 ? block_to : block_owner(T, owner);
			if (!after_tail && fields_before_items(T, i, owner, &forward)) {
				/* the fields stand above their item: it takes them */
				struct node *next = &T->v[i + 1];
				merge_roles(&next->roles, &n->roles);
				next->fields++;
				if (n->roles.deadlines.n)
					next->deadline_line = n->line;
				n->block = 1;
				block_to = -1;
				continue;
			}
			if (k >= 0) {
				block_to = k;
				merge_roles(&T->v[k].roles, &n->roles);
				T->v[k].fields++;
				if (!T->v[k].deadline_line && n->roles.deadlines.n)
					T->v[k].deadline_line = n->line;
				n->block = 1;
				continue;
			}
		}
		/* A paragraph right after an item that has no marking yet goes on with
		 * that item's text: a marking at its end, or a block of fields after
		 * them both, is the item's. (Not after a heading that is only a title:
		 * there the paragraph is the section's first item.) */
		if (n->kind == N_PARA && owner >= 0 && !after_tail && T->v[owner].kind != N_ROW &&
		    !T->v[owner].found && !T->v[owner].fields &&
		    (size_t)owner + 1 + skipped_since(T, owner, i) == i &&
		    (n->found == RESP_NONE || continues_item(&T->v[owner]))) {
			struct node *o = &T->v[owner];
			struct buf text = BUF_INIT;
			content_of(n, 0, n->t.norm.len, &text);
			buf_addc(&o->extra, '\n');
			buf_add(&o->extra, buf_str(&text), text.len);
			buf_free(&text);
			if (n->found == RESP_MARKING) {
				merge_roles(&o->roles, &n->roles);
				o->fields++;
				if (n->roles.deadlines.n)
					o->deadline_line = n->line;
			}
			n->absorbed = 1;
			continue;
		}
		if (n->roles.deadlines.n)
			n->deadline_line = n->line;
		if (n->found == RESP_MARKING)
			find_segments(T, n);
		owner = (int)i;
		block_to = -1;
	}
}

/*
 * Items inside a paragraph (一是…；二是…；三是…（X牵头）) of which only the
 * last holds a marking, at its end: the marking closes the paragraph, and
 * the paragraph with all its items is one task.
 */
static void close_paragraphs(struct tasks *T)
{
	for (size_t i = 0; i < T->n; i++) {
		struct node *p = &T->v[i];
		if (p->kind == N_INLINE || p->found == RESP_MARKING || p->fields)
			continue;
		size_t first = i + 1, last = i;
		int marked_items = 0;
		while (last + 1 < T->n && T->v[last + 1].kind == N_INLINE && T->v[last + 1].parent == (int)i)
			marked_items += T->v[++last].found == RESP_MARKING || T->v[last].fields;
		if (last == i || marked_items != 1)
			continue;
		struct node *end = &T->v[last];
		if (end->found != RESP_MARKING || !end->cuts.n ||
		    has_content(end, end->cuts.b[end->cuts.n - 1], end->t.norm.len))
			continue;
		for (size_t j = first; j <= last; j++) {
			struct node *c = &T->v[j];
			if (j < last) {
				buf_adds(&p->extra, c->whole);
			} else { /* its 一是, then its text without the marking */
				size_t wl = strlen(c->whole), bl = c->t.orig.len;
				buf_add(&p->extra, c->whole, wl >= bl ? wl - bl : 0);
				struct buf b = BUF_INIT;
				content_of(c, 0, c->t.norm.len, &b);
				buf_add(&p->extra, b.s ? b.s : "", b.len);
				buf_free(&b);
			}
			c->absorbed = 1;
		}
		merge_roles(&p->roles, &end->roles);
		p->found = RESP_MARKING;
		p->inline_tail = 1;
	}
}

/* ---- Cells the row above fills ---- */

static struct strlist *row_list(struct roles *r, int k)
{
	struct strlist *L[] = {&r->leaders, &r->lead, &r->coop, &r->resp, &r->deadlines};
	return L[k];
}

/*
 * A cell saying 同上, and, where the notice says so (栏空白的，同上), an
 * empty leader or unit cell: the row above's names. A table exported from
 * Word writes a merged cell once.
 */
static void same_as_above(struct tasks *T)
{
	int blanks_same = 0;
	for (size_t i = 0; i < T->n && !blanks_same; i++) {
		struct match m;
		const struct node *n = &T->v[i];
		blanks_same = n->kind != N_ROW &&
			      rules_scan(T->rs, "table.blank_same", buf_str(&n->t.norm), n->t.norm.len, 0, &m) > 0;
	}
	const struct node *above = NULL;
	for (size_t i = 0; i < T->n; i++) {
		struct node *n = &T->v[i];
		if (n->kind != N_ROW) {
			above = NULL;
			continue;
		}
		int unit_blank = (n->blank & 2) && (n->blank & 8);
		for (int k = 0; above && k < 5; k++) {
			int take = (n->same >> k) & 1;
			if (blanks_same && k == 0 && (n->blank & 1))
				take = 1;
			if (blanks_same && (k == 1 || k == 3) && unit_blank)
				take = 1;
			if (!take)
				continue;
			const struct strlist *from = row_list((struct roles *)&above->roles, k);
			for (size_t j = 0; j < from->n; j++)
				strlist_add_unique(row_list(&n->roles, k), from->v[j]);
			n->roles.units |= (k >= 1 && k <= 3) && from->n;
			n->fields += from->n > 0;
		}
		above = n;
	}
}

/* ---- Which nodes are tasks ---- */

static int is_descendant(const struct tasks *T, size_t j, size_t of)
{
	for (int p = T->v[j].parent; p >= 0; p = T->v[p].parent)
		if ((size_t)p == of)
			return 1;
	return 0;
}

static int marked(const struct node *n)
{
	return !n->block && !n->absorbed && (n->found == RESP_MARKING || n->fields) &&
	       (n->roles.units || n->roles.leaders.n || n->roles.lead.n || n->roles.resp.n);
}

static void decide_tasks(struct tasks *T)
{
	for (size_t i = 0; i < T->n; i++) {
		struct node *n = &T->v[i];
		if (!marked(n))
			continue; /* "X负责…" inside a sentence is said (task.unread), not guessed */
		if (n->kind != N_HEADING) {
			n->task = 1;
			continue;
		}
		int marked_below = 0, below = 0;
		for (size_t j = i + 1; j < T->n && is_descendant(T, j, i); j++) {
			below += T->v[j].kind != N_PARA;
			marked_below |= marked(&T->v[j]);
		}
		int has_body = has_content(n, n->body, n->t.norm.len);
		int units = n->roles.lead.n || n->roles.coop.n || n->roles.resp.n;
		if (marked_below || (!has_body && below && units))
			n->scope = 1;
		else
			n->task = 1;
	}
	/* What a scope heading states passes down to the tasks below it. */
	for (size_t i = 0; i < T->n; i++) {
		struct node *n = &T->v[i];
		if (!n->scope)
			continue;
		int units = n->roles.lead.n || n->roles.coop.n || n->roles.resp.n;
		for (size_t j = i + 1; j < T->n && is_descendant(T, j, i); j++) {
			struct node *d = &T->v[j];
			if (!d->task && !d->scope && units && !marked(d) && d->kind != N_PARA &&
			    !d->absorbed && !d->block) {
				int child_of_child = 0;
				for (size_t k = j + 1; k < T->n && is_descendant(T, k, j); k++)
					child_of_child |= T->v[k].kind != N_PARA;
				d->task = !child_of_child;
			}
			if (d->task || d->scope)
				roles_inherit(&d->roles, &n->roles);
		}
	}
	/* The covering letter before the 成文日期 holds no task when the body after it does. */
	int after = 0;
	for (size_t i = 0; i < T->n; i++)
		after |= T->v[i].task && T->v[i].line > T->date_line;
	if (after && T->date_line)
		for (size_t i = 0; i < T->n; i++)
			if (T->v[i].line < T->date_line && T->v[i].kind == N_PARA)
				T->v[i].task = 0;
}

/* ---- Writing a task ---- */

/* The written text of [a, b) of the node, markings cut out, ends tidied. */
static void content_of(const struct node *n, size_t a, size_t b, struct buf *out)
{
	const char *s = buf_str(&n->t.norm);
	size_t i = a, from = a;
	struct buf raw = BUF_INIT;
	while (i < b) {
		int k = -1;
		for (size_t c = 0; c < n->cuts.n; c++)
			if (i >= n->cuts.a[c] && i < n->cuts.b[c])
				k = (int)c;
		if (k < 0) {
			i++;
			continue;
		}
		ntext_orig(&n->t, from, i, &raw);
		i = from = n->cuts.b[k] > i ? n->cuts.b[k] : i + 1;
	}
	if (from < b)
		ntext_orig(&n->t, from, b, &raw);
	(void)s;
	/* Leading and trailing spaces and separators left where a marking was. */
	const char *p = buf_str(&raw);
	size_t len = raw.len;
	static const char *const TRAIL[] = {"；", "，", ";", ",", " ", "　", "、", ":", "："};
	for (int again = 1; again;) {
		again = 0;
		for (size_t k = 0; k < sizeof TRAIL / sizeof *TRAIL; k++) {
			size_t tl = strlen(TRAIL[k]);
			if (len >= tl && memcmp(p + len - tl, TRAIL[k], tl) == 0) {
				len -= tl;
				again = 1;
			}
			if (len >= tl && memcmp(p, TRAIL[k], tl) == 0) {
				p += tl;
				len -= tl;
				again = 1;
			}
		}
	}
	buf_add(out, p, len);
	buf_free(&raw);
}

/* A heading's label as written: its number kept, a marking in it cut out. */
static size_t number_end(const struct node *n);

/* A heading's title as 一级/二级标题: without a marking it holds, but whole
 * where the marking is all it says (一、县示范区管委会牵头工作（5项）). */
static char *label_of(const struct node *n)
{
	struct buf b = BUF_INIT;
	if (n->label > number_end(n) && !has_content(n, number_end(n), n->label))
		ntext_orig(&n->t, 0, n->label, &b);
	else
		content_of(n, 0, n->label, &b);
	return b.s ? b.s : nm_xstrdup("");
}

static void task_content(struct tasks *T, const struct node *n, struct buf *out)
{
	static const char *const RULE[] = {"heading.l1", "heading.l2", "heading.l3", "heading.l4",
					   "heading.l5"};
	struct match m;
	size_t len;
	if (n->seg_b) { /* one of several tasks of a paragraph */
		content_of(n, n->seg_a, n->seg_b, out);
		while (str_starts(buf_str(out), "。")) {
			memmove(out->s, out->s + strlen("。"), out->len - strlen("。") + 1);
			out->len -= strlen("。");
		}
		return;
	}
	if (n->inline_tail && n->kind == N_PARA) { /* a lead-in and its items: as written */
		buf_add(out, n->t.orig.s, n->t.orig.len);
		buf_add(out, n->extra.s, n->extra.len);
		return;
	}
	if (n->kind == N_HEADING && n->level <= 2) {
		if (n->inline_tail) {
			ntext_orig(&n->t, n->body, n->t.norm.len, out);
		} else if (has_content(n, n->body, n->t.norm.len)) {
			content_of(n, n->body, n->t.norm.len, out);
		} else { /* only its label: the label's text, without its number */
			struct match lm;
			size_t ll;
			const char *text = rules_match(T->rs, n->level == 1 ? "heading.l1" : "heading.l2",
						       n->t.norm.s, n->t.norm.len, &lm) > 0
						   ? match_group(&lm, "text", &ll)
						   : NULL;
			content_of(n, text ? (size_t)(text - n->t.norm.s) : 0, n->t.norm.len, out);
		}
	} else if (n->kind == N_HEADING &&
		   rules_match(T->rs, RULE[n->level - 1], n->t.norm.s, n->t.norm.len, &m) > 0 &&
		   match_group(&m, "text", &len)) {
		const char *text = match_group(&m, "text", &len);
		content_of(n, (size_t)(text - n->t.norm.s), n->t.norm.len, out);
	} else {
		content_of(n, 0, n->t.norm.len, out);
		/* an item inside a paragraph ends where the next begins: its 。 or ； is the paragraph's */
		while (n->kind == N_INLINE && (str_ends(buf_str(out), "。") || str_ends(buf_str(out), "；"))) {
			out->len -= strlen("。");
			out->s[out->len] = '\0';
		}
	}
	if (n->extra.len) {
		if (out->len && !n->inline_tail)
			buf_addc(out, '\n');
		buf_add(out, n->extra.s, n->extra.len);
	}
}

/* The labels of the 一、 and （一） headings a node stands under. */
static void headings_of(struct tasks *T, const struct node *n, char **l1, char **l2)
{
	*l1 = *l2 = NULL;
	/* A heading with text after its label shows the label as its 一级/二级标题;
	 * one that is only its label ("（一）地区生产总值增长7.5%。") is the task's content. */
	int own = n->kind == N_HEADING && has_content(n, n->body, n->t.norm.len);
	if (own && n->level == 1)
		*l1 = label_of(n);
	if (own && n->level == 2)
		*l2 = label_of(n);
	for (int p = n->parent; p >= 0; p = T->v[p].parent) {
		const struct node *h = &T->v[p];
		if (h->kind != N_HEADING)
			continue;
		if (h->level == 1 && !*l1)
			*l1 = label_of(h);
		if (h->level == 2 && !*l2 && n->level > 2)
			*l2 = label_of(h);
	}
	if (n->kind == N_ROW && n->group) { /* a group row of its table */
		struct ntext g = NTEXT_INIT;
		struct match m;
		ntext_set(&g, n->group, strlen(n->group));
		int is_l1 = rules_match(T->rs, "heading.l1", g.norm.s, g.norm.len, &m) > 0;
		int is_l2 = !is_l1 && rules_match(T->rs, "heading.l2", g.norm.s, g.norm.len, &m) > 0;
		char **slot = is_l1 || (!is_l2 && !*l1) ? l1 : l2;
		free(*slot);
		*slot = nm_xstrdup(n->group);
		if (is_l1) {
			free(*l2);
			*l2 = NULL;
		}
		ntext_free(&g);
	}
	if (!*l1)
		*l1 = nm_xstrdup("");
	if (!*l2)
		*l2 = nm_xstrdup("");
}

static struct ymd issue_of(struct tasks *T)
{
	struct ymd d = {0};
	if (T->issue_date && dates_issue(T->rs, T->issue_date, &d))
		return d;
	/* A 成文日期 without its year (5月6日): the year of the 发文字号. */
	struct match m;
	if (T->docno && rules_scan(T->rs, "header.date", T->docno, strlen(T->docno), 0, &m) <= 0) {
		const char *s = T->docno;
		for (const char *p = s; *p; p++)
			if ((p[0] == '1' || p[0] == '2') && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
			    p[2] <= '9' && p[3] >= '0' && p[3] <= '9') {
				d.y = (int)strtol(p, NULL, 10);
				d.y = d.y >= 1950 && d.y <= 2100 ? d.y : 0;
				break;
			}
	}
	return d;
}

/* The latest deadline the fields and the content state. */
static void deadline_of(struct tasks *T, const struct node *n, const char *content, char iso[16],
			const char **phrase_from, long *line)
{
	struct ymd issue = issue_of(T), best = {0}, cur;
	int found = 0;
	*phrase_from = "";
	*line = n->line;
	iso[0] = '\0';
	for (size_t i = 0; i < n->roles.deadlines.n; i++)
		if (dates_deadline(T->rs, n->roles.deadlines.v[i], &issue, 1, &cur) &&
		    (!found || ymd_cmp(&cur, &best) > 0)) {
			best = cur, found = 1;
			*phrase_from = n->roles.deadlines.v[i];
			*line = n->deadline_line ? n->deadline_line : n->line;
		}
	struct ntext c = NTEXT_INIT;
	ntext_set(&c, content, strlen(content));
	if (dates_deadline(T->rs, c.norm.s, &issue, 0, &cur) && (!found || ymd_cmp(&cur, &best) > 0)) {
		best = cur, found = 1;
		*phrase_from = "";
		*line = n->line;
	}
	ntext_free(&c);
	if (found)
		snprintf(iso, 16, "%04d-%02d-%02d", best.y, best.m, best.d);
}

/* Clauses of the content that state a quantity, joined with ；. */
static char *metrics_of(struct tasks *T, const char *content)
{
	struct ntext c = NTEXT_INIT;
	struct match m;
	struct strlist found = {0};
	ntext_set(&c, content, strlen(content));
	const char *s = c.norm.s ? c.norm.s : "";
	size_t n = c.norm.len, at = 0;
	while (at < n && rules_scan(T->rs, "metric", s, n, at, &m) > 0) {
		size_t a = match_start(&m), b = match_end(&m);
		while (a > 0 && !strchr(",;:\n", s[a - 1]) && !(a >= 3 && str_starts(s + a - 3, "。")))
			a--;
		while (b < n && !strchr(",;:\n", s[b]) && !str_starts(s + b, "。"))
			b++;
		char *clause = ntext_dup(&c, a, b);
		size_t len = strlen(clause);
		const char *tr = str_trim(clause, &len);
		char *t = nm_xstrndup(tr, len);
		strlist_add_unique(&found, t);
		free(t);
		free(clause);
		at = b > at ? b : at + 1;
	}
	char *joined = strlist_join(&found, "；");
	strlist_clear(&found);
	ntext_free(&c);
	return joined;
}

/* ---- Renames under --as-of ---- */

static int row_applies(const struct tasks *T, const struct row *r)
{
	const char *place = r->ncol > 3 ? r->col[3] : "*";
	return !*place || strcmp(place, "*") == 0 || strstr(buf_str(&T->place), place);
}

static int kind_matches(const struct row *r, const char *content)
{
	if (r->ncol < 5 || !*r->col[4])
		return 0;
	for (const char *p = r->col[4]; *p;) {
		const char *sep = strstr(p, "、");
		size_t len = sep ? (size_t)(sep - p) : strlen(p);
		char *w = nm_xstrndup(p, len);
		int hit = *w && strstr(content, w);
		free(w);
		if (hit)
			return 1;
		p += len + (sep ? strlen("、") : 0);
	}
	return 0;
}

struct rename {
	const struct row *row, *first;
	int rows;
};

static struct rename rename_of(struct tasks *T, const char *unit, const char *content)
{
	struct rename rn = {NULL, NULL, 0};
	const struct row *by_kind = NULL;
	int kinds = 0;
	for (size_t i = 0; i < T->rs->nrows[T_RENAME]; i++) {
		const struct row *r = &T->rs->rows[T_RENAME][i];
		if (strcmp(r->col[0], unit) != 0 || !row_applies(T, r))
			continue;
		if (rn.rows++ == 0)
			rn.first = r;
		if (kind_matches(r, content))
			by_kind = r, kinds++;
	}
	rn.row = rn.rows == 1 ? rn.first : kinds == 1 ? by_kind : NULL;
	return rn;
}

static int date_reached(const struct ymd *day, const char *iso)
{
	struct ymd when;
	return date_from_iso(iso, &when.y, &when.m, &when.d) && day->y && ymd_cmp(day, &when) >= 0;
}

static void report_rename(struct tasks *T, FILE *out, struct strlist *said, const char *unit,
			  const struct rename *rn, long line, long seq)
{
	struct ymd issue = {0};
	int dated = T->issue_date && dates_issue(T->rs, T->issue_date, &issue) && issue.d > 0;
	const struct row *r = rn->row ? rn->row : rn->first;
	int late = dated && date_reached(&issue, r->col[2]);
	struct buf key = BUF_INIT, msg = BUF_INIT;
	buf_printf(&key, "%s\t%s", unit, rn->row ? rn->row->col[1] : "?");
	if (strlist_has(said, key.s) && rn->row) {
		buf_free(&key);
		return;
	}
	strlist_add_unique(said, key.s);
	if (!rn->row)
		buf_printf(&msg, "“%s”自%s起分设为多个单位，本任务由哪一单位承接需人工确定", unit, r->col[2]);
	else if (rn->rows > 1)
		buf_printf(&msg, "“%s”自%s起分设，按任务内容本任务由“%s”承接", unit, r->col[2], r->col[1]);
	else
		buf_printf(&msg, "“%s”自%s起更名为“%s”", unit, r->col[2], r->col[1]);
	if (late)
		buf_printf(&msg, "；本文件成文于更名之后，仍使用旧名称");
	rec_put_finding(out, &(struct rec_finding){line, late ? "警告" : "提示", "unit.renamed", msg.s,
						   unit, seq, "单位已更名",
						   late ? "请与发文单位核实应由哪个单位承接" : ""});
	buf_free(&key);
	buf_free(&msg);
}

static const char *name_as_of(struct tasks *T, FILE *out, struct strlist *said, const char *unit,
			      const char *content, long line, long seq)
{
	struct rename rn = rename_of(T, unit, content);
	if (rn.rows)
		report_rename(T, out, said, unit, &rn, line, seq);
	/* Without --as-of the name stays as written; the finding tells. */
	for (int hops = 0; T->as_of.y && hops < 8 && rn.row && date_reached(&T->as_of, rn.row->col[2]); hops++) {
		unit = rn.row->col[1];
		rn = rename_of(T, unit, content);
	}
	return unit;
}

/* ---- The whole notice ---- */

/* The names of a list as settled, each once; the keys beside them. */
static void settle_list(struct tasks *T, struct unitnames *U, const struct strlist *in,
			struct strlist *kept, struct strlist *keys)
{
	for (size_t i = 0; i < in->n; i++) {
		const char *k = unitnames_kept(U, in->v[i]);
		if (strlist_has(kept, k))
			continue;
		strlist_add(kept, k, strlen(k));
		const char *key = unitnames_key(U, T->rs, k);
		strlist_add(keys, key, strlen(key));
	}
}

static char *joined(const struct strlist *l)
{
	return strlist_join(l, "\n");
}

/* The line that writes UNIT for the task at node I: the task's own line or
 * one of the field lines that follow it before the next task. */
static long unit_line(const struct tasks *T, size_t i, const char *unit)
{
	for (size_t j = i; j < T->n && j < i + 16; j++) {
		if (j > i && T->v[j].task)
			break;
		if (strstr(buf_str(&T->v[j].t.orig), unit))
			return T->v[j].line;
	}
	return T->v[i].line;
}

static void put_task(struct tasks *T, FILE *out, const struct node *n, size_t at, long seq,
		     struct unitnames *U, struct strlist *said)
{
	struct buf content = BUF_INIT;
	task_content(T, n, &content);
	char *l1, *l2;
	headings_of(T, n, &l1, &l2);
	struct strlist lead = {0}, coop = {0}, lead_key = {0}, coop_key = {0};
	settle_list(T, U, &n->roles.lead, &lead, &lead_key);
	settle_list(T, U, &n->roles.coop, &coop, &coop_key);
	struct strlist lead_now = {0}, coop_now = {0};
	const char *text = buf_str(&content);
	/* What the task is about, for a split unit's kinds: its headings too */
	struct buf about = BUF_INIT;
	buf_printf(&about, "%s\n%s\n%s", l1 ? l1 : "", l2 ? l2 : "", text);
	for (size_t i = 0; i < lead.n; i++)
		strlist_add_unique(&lead_now, name_as_of(T, out, said, lead.v[i], about.s,
							 unit_line(T, at, lead.v[i]), seq));
	for (size_t i = 0; i < coop.n; i++)
		strlist_add_unique(&coop_now, name_as_of(T, out, said, coop.v[i], about.s,
							 unit_line(T, at, coop.v[i]), seq));
	buf_free(&about);
	char iso[16];
	const char *phrase;
	long dline;
	deadline_of(T, n, text, iso, &phrase, &dline);
	char *metrics = metrics_of(T, text);
	char *leaders = joined(&n->roles.leaders), *ls = joined(&lead_now), *cs = joined(&coop_now);
	char *lw = joined(&lead), *cw = joined(&coop), *lk = joined(&lead_key), *ck = joined(&coop_key);
	rec_put_task(out, &(struct rec_task){n->line, seq, l1, l2, text, leaders, ls, cs, iso, metrics,
					     lw, cw, dline, phrase, lk, ck,
					     n->kind == N_HEADING ? "" : n->num}); /* a heading's is in its title */
	free(leaders), free(ls), free(cs), free(lw), free(cw), free(lk), free(ck), free(metrics);
	free(l1), free(l2);
	strlist_clear(&lead), strlist_clear(&coop), strlist_clear(&lead_key);
	strlist_clear(&coop_key), strlist_clear(&lead_now), strlist_clear(&coop_now);
	buf_free(&content);
}

/* A marking the recognizer could not read: role words in brackets or after a label. */
static int suspect(struct tasks *T, const struct node *n)
{
	struct match m;
	return rules_scan(T->rs, "marking.suspect", n->t.norm.s ? n->t.norm.s : "", n->t.norm.len, 0,
			  &m) > 0;
}

/* A paragraph with a unit next to a role word, or a marking whose units
 * could not be read, that gave no task: said, not dropped. */
static void put_unread(struct tasks *T, FILE *out, const struct node *n, const char *message)
{
	char *text = ntext_dup(&n->t, 0, n->t.norm.len);
	size_t chars = utf8_chars(text, strlen(text));
	if (chars > 30) { /* about 30 characters of context */
		const char *p = text;
		uint32_t c;
		for (size_t k = 0; k < 30 && *p; k++) {
			size_t len = utf8_decode(p, strlen(p), &c);
			p += len ? len : 1;
		}
		text[p - text] = '\0';
	}
	rec_put_finding(out, &(struct rec_finding){n->line, "提示", "task.unread", message, text, 0,
						   "责任表述未识别",
						   "请核对原文：如为任务，请补录到任务分工表"});
	free(text);
	(void)T;
}

void tasks_write(struct tasks *T, FILE *out)
{
	struct unitnames U = {0};
	struct strlist said = {0};
	learn_recipients(T);
	for (size_t i = 0; i < T->n; i++)
		resp_learn_text(&T->resp, &T->v[i].t);
	learn_declarations(T, &U);
	same_as_above(T);
	read_markings(T);
	close_paragraphs(T);
	decide_tasks(T);
	for (size_t i = 0; i < T->n; i++) {
		struct node *n = &T->v[i];
		if (!n->task)
			continue;
		for (size_t g = 0; g <= n->nseg; g++) {
			struct roles *r = g < n->nseg ? &n->segs[g].roles : &n->roles;
			if (g == n->nseg && n->nseg)
				break;
			if (r != &n->roles)
				roles_inherit(r, &n->roles); /* a leader named for the paragraph */
			roles_resolve(&T->resp, r);
			for (size_t k = 0; k < r->lead.n; k++)
				unitnames_add(&U, r->lead.v[k], unit_line(T, i, r->lead.v[k]));
			for (size_t k = 0; k < r->coop.n; k++)
				unitnames_add(&U, r->coop.v[k], unit_line(T, i, r->coop.v[k]));
		}
	}
	unitnames_settle(&U, T->rs);
	if (T->as_of.y) {
		char day[16];
		snprintf(day, sizeof day, "%04d-%02d-%02d", T->as_of.y, T->as_of.m, T->as_of.d);
		rec_put(out, "meta", "as_of", day, NULL);
	}
	long seq = 0;
	for (size_t i = 0; i < T->n; i++) {
		const struct node *n = &T->v[i];
		if (n->task && n->nseg) {
			for (size_t g = 0; g < n->nseg; g++) {
				struct node part = *n;
				part.roles = n->segs[g].roles;
				part.seg_a = n->segs[g].a;
				part.seg_b = n->segs[g].b;
				part.extra = (struct buf)BUF_INIT; /* a copy: it owns nothing */
				put_task(T, out, &part, i, ++seq, &U, &said);
			}
		} else if (n->task)
			put_task(T, out, n, i, ++seq, &U, &said);
		else if (n->block || n->absorbed || n->scope || n->line <= T->date_line)
			continue;
		else if (n->found == RESP_SENTENCE)
			put_unread(T, out, n, "此段写有责任单位和职责用语，但未能确定为一项任务，未列入任务分工");
		else if (n->found == RESP_NONE && suspect(T, n))
			put_unread(T, out, n, "此段似有责任标注，但未能读出责任单位，未列入任务分工");
	}
	unitnames_put_findings(&U, T->rs, out);
	unitnames_free(&U);
	strlist_clear(&said);
	clear(T);
}
