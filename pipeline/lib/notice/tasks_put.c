/*
 * tasks_put.c - the fields of one task: its content as written (markings
 * cut out), the headings it stands under, its deadline and quantitative
 * targets, and its units' renames (unit.renamed, --as-of).
 */
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "notice/tasks_impl.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* ---- Writing a task ---- */

/* The written text of [a, b) of the node, markings cut out, ends tidied. */
void content_of(const struct node *n, size_t a, size_t b, struct buf *out)
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

void task_content(struct tasks *T, const struct node *n, struct buf *out)
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
			const char *text = rules_match(T->rs,
						       n->level == 1 ? "heading.l1" : "heading.l2",
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
		/* a paragraph's own 一是 (inline.item at its start) is its number,
		 * no part of its text */
		size_t from = 0;
		if (n->kind == N_PARA &&
		    rules_scan(T->rs, "inline.item", n->t.norm.s, n->t.norm.len, 0, &m) > 0 &&
		    match_start(&m) == 0)
			from = match_end(&m);
		content_of(n, from, n->t.norm.len, out);
		/* an item inside a paragraph ends where the next begins: its 。 or ； is the paragraph's */
		while (n->kind == N_INLINE &&
		       (str_ends(buf_str(out), "。") || str_ends(buf_str(out), "；"))) {
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
void headings_of(struct tasks *T, const struct node *n, char **l1, char **l2)
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
		int is_l2 = !is_l1 &&
			    rules_match(T->rs, "heading.l2", g.norm.s, g.norm.len, &m) > 0;
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

struct ymd issue_of(struct tasks *T)
{
	struct ymd d = {0};
	if (T->issue_date && dates_issue(T->rs, T->issue_date, &d))
		return d;
	/* A 成文日期 without its year (5月6日): the year of the 发文字号. */
	struct match m;
	if (T->docno && rules_scan(T->rs, "header.date", T->docno, strlen(T->docno), 0, &m) <= 0) {
		const char *s = T->docno;
		for (const char *p = s; *p; p++)
			if ((p[0] == '1' || p[0] == '2') && p[1] >= '0' && p[1] <= '9' &&
			    p[2] >= '0' && p[2] <= '9' && p[3] >= '0' && p[3] <= '9') {
				d.y = (int)strtol(p, NULL, 10);
				d.y = d.y >= 1950 && d.y <= 2100 ? d.y : 0;
				break;
			}
	}
	return d;
}

/* The latest deadline the fields and the content state. */
void deadline_of(struct tasks *T, const struct node *n, const char *content, char iso[16],
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
	if (dates_deadline(T->rs, c.norm.s, &issue, 0, &cur) &&
	    (!found || ymd_cmp(&cur, &best) > 0)) {
		best = cur, found = 1;
		*phrase_from = "";
		*line = n->line;
	}
	ntext_free(&c);
	if (found)
		snprintf(iso, 16, "%04d-%02d-%02d", best.y, best.m, best.d);
}

/* Clauses of the content that state a quantity, joined with ；. */
char *metrics_of(struct tasks *T, const char *content)
{
	struct ntext c = NTEXT_INIT;
	struct match m;
	struct strlist found = {0};
	ntext_set(&c, content, strlen(content));
	const char *s = c.norm.s ? c.norm.s : "";
	size_t n = c.norm.len, at = 0;
	while (at < n && rules_scan(T->rs, "metric", s, n, at, &m) > 0) {
		size_t a = match_start(&m), b = match_end(&m);
		while (a > 0 && !strchr(",;:\n", s[a - 1]) &&
		       !(a >= 3 && str_starts(s + a - 3, "。")))
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
		buf_printf(&msg, "“%s”自%s起分设为多个单位，本任务由哪一单位承接需人工确定", unit,
			   r->col[2]);
	else if (rn->rows > 1)
		buf_printf(&msg, "“%s”自%s起分设，按任务内容本任务由“%s”承接", unit, r->col[2],
			   r->col[1]);
	else
		buf_printf(&msg, "“%s”自%s起更名为“%s”", unit, r->col[2], r->col[1]);
	if (late)
		buf_printf(&msg, "；本文件成文于更名之后，仍使用旧名称");
	rec_put_finding(out, &(struct rec_finding){line, late ? "警告" : "提示", "unit.renamed",
						   msg.s, unit, seq, "单位已更名",
						   late ? "请与发文单位核实应由哪个单位承接" : ""});
	buf_free(&key);
	buf_free(&msg);
}

const char *name_as_of(struct tasks *T, FILE *out, struct strlist *said, const char *unit,
		       const char *content, long line, long seq)
{
	struct rename rn = rename_of(T, unit, content);
	if (rn.rows)
		report_rename(T, out, said, unit, &rn, line, seq);
	/* Without --as-of the name stays as written; the finding tells. */
	for (int hops = 0;
	     T->as_of.y && hops < 8 && rn.row && date_reached(&T->as_of, rn.row->col[2]); hops++) {
		unit = rn.row->col[1];
		rn = rename_of(T, unit, content);
	}
	return unit;
}
