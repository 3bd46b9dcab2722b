/*
 * tasks_mark.c - where each marking belongs: fields after an item or above
 * it, a title-only parent's fields passed to its items, ranges (以上第1—3项)
 * and whole sections (以上任务由…), several tasks in one paragraph, 一是
 * items closed by the paragraph's last marking, cells the row above fills.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "notice/resp_impl.h"
#include "notice/tasks_impl.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* ---- Markings and where they belong ---- */

/* Whether [a, b) of the text holds something besides cut markings and punctuation. */
int has_content(const struct node *n, size_t a, size_t b)
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
		if (!strchr(" ,;.:", s[i]) && !str_starts(s + i, "。") &&
		    !str_starts(s + i, "；") && !str_starts(s + i, "，") &&
		    !str_starts(s + i, "、"))
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
			if (T->v[parent]
				    .extra
				    .len) /* the first goes on the line after the text: task_content */
				buf_addc(&T->v[parent].extra, '\n');
			buf_add(&T->v[parent].extra, T->v[j].t.orig.s, T->v[j].t.orig.len);
			T->v[j].absorbed = 1;
		}
	return parent;
}

void merge_roles(struct roles *into, const struct roles *from)
{
	const struct strlist *src[] = {&from->leaders,    &from->lead,      &from->coop,
				       &from->resp,       &from->deadlines, &from->lead_marked,
				       &from->coop_marked};
	struct strlist *dst[] = {&into->leaders,    &into->lead,      &into->coop,
				 &into->resp,       &into->deadlines, &into->lead_marked,
				 &into->coop_marked};
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
			dash |= s[i] == '-' || s[i] == '~' || str_starts(s + i, "—") ||
				str_starts(s + i, "至") || str_starts(s + i, "到") ||
				str_starts(s + i, "–");
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
	if (!k ||
	    resp_scan(&T->resp, &n->t, match_end(&m), n->t.norm.len, &r, &c) != RESP_MARKING) {
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
	/* a 一、 or （一） heading's label is no task's text; an item's is */
	size_t a = n->kind == N_HEADING && n->level <= 2 ? n->body : number_end(n), nseg = 0;
	struct segment seg[RESP_MAX_CUTS];
	for (size_t c = 0; c < k; c++) {
		if (cut[c][0] < a)
			continue;
		/* the sentence's end after its marking is the sentence's: "…（X）。" */
		size_t end = cut[c][1];
		const char *s = buf_str(&n->t.norm);
		if (str_starts(s + end, "。") || str_starts(s + end, "；"))
			end += strlen("。");
		else if (s[end] == ';')
			end++;
		if (has_content(n, a, cut[c][0])) {
			seg[nseg].a = a;
			seg[nseg++].b = end;
		} else if (nseg) {
			seg[nseg - 1].b = end;
		}
		a = end;
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

int unit_heading(struct tasks *T, size_t i)
{
	const struct node *n = &T->v[i];
	const char *s = buf_str(&n->t.norm);
	struct unit_span u[MAX_UNITS];
	if (n->kind != N_PARA || n->found || n->fields || utf8_chars(s, n->t.norm.len) > 24 ||
	    strpbrk(s, ",;:.") || strstr(s, "。"))
		return 0;
	/* numbered items next, or after a line or two that introduce them
	 * (2024年度食品安全工作责任清单 / 主要承担以下工作：) */
	size_t j = i + 1;
	while (j < T->n && j <= i + 2 && T->v[j].kind == N_PARA && T->v[j].found != RESP_MARKING &&
	       !T->v[j].fields)
		j++;
	if (j >= T->n ||
	    !(T->v[j].kind == N_ITEM || (T->v[j].kind == N_HEADING && T->v[j].level >= 3)))
		return 0;
	return unit_list(&T->resp, s, 0, n->t.norm.len, u, MAX_UNITS, 0) > 0;
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
size_t number_end(const struct node *n)
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
	enum resp_found f = resp_scan(&T->resp, &tmp.t, number_end(&tmp), tmp.t.norm.len,
				      &tmp.roles, &tmp.cuts);
	int kind = -1;
	if (f == RESP_MARKING && (tmp.kind == N_PARA || tmp.kind == N_ITEM) &&
	    !has_content(&tmp, 0, tmp.t.norm.len))
		kind = 1;
	else if (f != RESP_MARKING &&
		 (tmp.kind == N_ITEM || (tmp.kind == N_HEADING && tmp.level >= 3)))
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

void read_markings(struct tasks *T)
{
	int owner = -1, block_to = -1; /* block_to: where the field lines just read went */
	int forward = 0;               /* this section writes each item's fields above it */
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
		n->found = resp_scan(&T->resp, &n->t, number_end(n), n->t.norm.len, &n->roles,
				     &n->cuts);
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
		    !unit_heading(T, i) && !T->v[owner].found && !T->v[owner].fields &&
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
void close_paragraphs(struct tasks *T)
{
	for (size_t i = 0; i < T->n; i++) {
		struct node *p = &T->v[i];
		if (p->kind == N_INLINE || p->found == RESP_MARKING || p->fields)
			continue;
		size_t first = i + 1, last = i;
		int marked_items = 0;
		while (last + 1 < T->n && T->v[last + 1].kind == N_INLINE &&
		       T->v[last + 1].parent == (int)i)
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

static int same_group(const struct node *a, const struct node *b)
{
	return (!a->group && !b->group) ||
	       (a->group && b->group && strcmp(a->group, b->group) == 0);
}

/*
 * A cell saying 同上; an empty leader cell in the group of the row above
 * (a leader written once for the rows it leads); and, where the notice says
 * so (栏空白的，同上), an empty unit cell: the row above's names. A table
 * exported from Word writes a merged cell once.
 */
void same_as_above(struct tasks *T)
{
	int blanks_same = 0;
	for (size_t i = 0; i < T->n && !blanks_same; i++) {
		struct match m;
		const struct node *n = &T->v[i];
		blanks_same = n->kind != N_ROW &&
			      rules_scan(T->rs, "table.blank_same", buf_str(&n->t.norm),
					 n->t.norm.len, 0, &m) > 0;
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
			/* A leader is written once for the rows that follow it (a merged
			 * cell copied as text): an empty leader cell is the row above's. */
			if (k == 0 && (n->blank & 1) && same_group(n, above))
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
