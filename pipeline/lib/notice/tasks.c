/*
 * tasks.c - from the outline of a notice to its tasks: the records read
 * into nodes, what the notice teaches first (its units, its declarations),
 * which nodes are tasks and what headings pass down, unit names settled,
 * and the task records written. Where markings belong is tasks_mark.c; the
 * fields of one task, tasks_put.c.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "notice/resp_impl.h"
#include "notice/tasks_impl.h"
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
	{"leader.person", NULL, 1},
	{"leader.name_title", "name", 1},
	{"inline.item", "num", 1},
	{NULL, NULL, 0},
};

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
		roles_free(&n->grouproles);
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

static struct node *node_new(struct tasks *T, long line, enum nkind kind, int level,
			     const char *text)
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

/* A group row that names a leader or units (一、…（牵头领导：程坤、王骏）):
 * they pass to its rows, and the row's 一级标题 is the group without them. */
static void group_marking(struct tasks *T, struct node *n)
{
	struct node g;
	memset(&g, 0, sizeof g);
	g.t = (struct ntext)NTEXT_INIT;
	ntext_set(&g.t, n->group, strlen(n->group));
	if (resp_scan(&T->resp, &g.t, 0, g.t.norm.len, &g.roles, &g.cuts) == RESP_MARKING) {
		struct buf rest = BUF_INIT;
		content_of(&g, 0, g.t.norm.len, &rest);
		if (rest.len) {
			free(n->group);
			n->group = nm_xstrdup(buf_str(&rest));
		}
		buf_free(&rest);
		n->grouproles = g.roles;
		memset(&g.roles, 0, sizeof g.roles);
	}
	roles_free(&g.roles);
	ntext_free(&g.t);
}

static void on_row(struct tasks *T, const struct rec *r)
{
	struct rec_row row;
	rec_get_row(r, &row);
	struct node *n = node_new(T, row.line, N_ROW, 6, row.task);
	free(n->num);
	n->num = nm_xstrdup(row.num);
	n->group = *row.group ? nm_xstrdup(row.group) : NULL;
	if (n->group)
		group_marking(T, n);
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
	roles_inherit(&n->roles, &n->grouproles);
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
	if (strcmp(h.key, "issuer") == 0 || strcmp(h.key, "title") == 0 ||
	    strcmp(h.key, "docno") == 0)
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
		size_t sep = i == n                    ? 1
			     : s[i] == ','             ? 1
			     : str_starts(s + i, "、") ? strlen("、")
						       : 0;
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
		for (size_t at = 0;
		     at < len && rules_scan(T->rs, "unit.declare", s, len, at, &m) > 0;) {
			size_t open = match_start(&m), slen;
			const char *sh = match_group(&m, "short", &slen);
			at = match_end(&m) > at ? match_end(&m) : at + 1;
			if (!sh || !resp_is_unit(&T->resp, sh, slen))
				continue;
			for (size_t a = open > 120 ? open - 120 : 0; a < open; a++) {
				size_t wa;
				if ((s[a] & 0xC0) == 0x80)
					continue;
				/* the name begins at a boundary, or after a word no name
				 * begins with (结合, 由): not inside a word */
				if (a > 0 && !strchr(" ,;:()", s[a - 1]) &&
				    !(a >= 3 && (s[a - 3] & 0xF0) == 0xE0 &&
				      (strncmp(s + a - 3, "。", 3) == 0 ||
				       strncmp(s + a - 3, "、", 3) == 0)) &&
				    !rules_words_before(T->rs, "unit.not_start", s, a, &wa))
					continue;
				if (resp_is_unit(&T->resp, s + a, open - a)) {
					char *full = ntext_dup(t, a, open),
					     *shortname = ntext_dup(t, (size_t)(sh - s),
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

/*
 * A unit's name alone on a line, and numbered items under it that name no
 * one: the unit leads them (考核目标 by unit: "凤溪县政府" / "1.…" / "2.…"
 * / "市发展改革委" / "1.…"). The group ends at the next such line or a
 * 一、/（一） heading.
 */
/*
 * A numbered item whose sentence has a unit for its subject: "1.县应急管理局负
 * 责危险化学品…的隐患排查治理工作。" The unit leads; the text stays whole.
 */
static int subject_leads(struct tasks *T, struct node *n)
{
	if (n->found != RESP_SENTENCE || (!n->roles.lead.n && !n->roles.resp.n))
		return 0;
	const char *s = buf_str(&n->t.norm);
	size_t a = number_end(n), wa, wb;
	struct unit_span u[MAX_UNITS];
	if (!rules_words_scan(T->rs, "role.lead", s, n->t.norm.len, a, 0, &wa, &wb) ||
	    unit_list(&T->resp, s, a, wa, u, MAX_UNITS, 0) == 0)
		return 0;
	n->fields++;
	return 1;
}

static void unit_lines(struct tasks *T)
{
	struct unit_span u[MAX_UNITS];
	int owner = -1;
	for (size_t i = 0; i < T->n; i++) {
		struct node *n = &T->v[i];
		if (n->kind == N_HEADING && n->level <= 2) {
			owner = -1;
			continue;
		}
		if (unit_heading(T, i)) {
			owner = (int)i;
			continue;
		}
		if (!(n->kind == N_ITEM || (n->kind == N_HEADING && n->level >= 3)) || marked(n))
			continue;
		if (subject_leads(T, n) || owner < 0)
			continue;
		const struct node *o = &T->v[owner];
		size_t k = unit_list(&T->resp, buf_str(&o->t.norm), 0, o->t.norm.len, u, MAX_UNITS,
				     0);
		add_units(&T->resp, &o->t, u, k, &n->roles.lead, &n->roles);
		n->fields++;
	}
}

/* The label a node's text starts with before its colon (第一件实事), or 0. */
static size_t label_key(const struct node *n)
{
	const char *s = buf_str(&n->t.norm), *colon = strchr(s, ':');
	if (!colon || colon == s || utf8_chars(s, (size_t)(colon - s)) > 10)
		return 0;
	for (const char *p = s; p < colon; p++)
		if (strchr(",;.()", *p))
			return 0;
	return (size_t)(colon - s);
}

/*
 * A section that assigns the items of an earlier one by their labels:
 * "一、实事内容 / 第一件实事：全市新增就业… / 二、工作分工 / 第一件实事：责任单位X，
 * 协办单位Y". A marking with nothing but the label besides it goes to the
 * earlier item of that label that names no one, and is no task itself.
 */
static void assign_by_label(struct tasks *T)
{
	for (size_t i = 0; i < T->n; i++) {
		struct node *n = &T->v[i];
		size_t key = label_key(n);
		if (!key || !marked(n) || has_content(n, key, n->t.norm.len))
			continue;
		for (size_t j = 0; j < i; j++) {
			struct node *o = &T->v[j];
			if (label_key(o) != key || memcmp(o->t.norm.s, n->t.norm.s, key) != 0 ||
			    marked(o) || o->block || o->absorbed ||
			    !has_content(o, key, o->t.norm.len))
				continue;
			merge_roles(&o->roles, &n->roles);
			o->fields++;
			n->block = 1;
			break;
		}
	}
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
		int marked_below = 0, marked_items = 0, below = 0;
		for (size_t j = i + 1; j < T->n && is_descendant(T, j, i); j++) {
			below += T->v[j].kind != N_PARA;
			marked_below |= marked(&T->v[j]);
			marked_items |= marked(&T->v[j]) && T->v[j].kind != N_PARA;
		}
		int has_body = has_content(n, n->body, n->t.norm.len);
		int units = n->roles.lead.n || n->roles.coop.n || n->roles.resp.n;
		/* A numbered item with its own marking, a paragraph after it with
		 * its own: two tasks, not a heading over one. */
		if (n->level >= 3 && !marked_items)
			marked_below = 0;
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

static char *joined(const struct strlist *l) { return strlist_join(l, "\n"); }

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
	char *lw = joined(&lead), *cw = joined(&coop), *lk = joined(&lead_key),
	     *ck = joined(&coop_key);
	rec_put_task(out, &(struct rec_task){n->line, seq, l1, l2, text, leaders, ls, cs, iso,
					     metrics, lw, cw, dline, phrase, lk, ck,
					     n->kind == N_HEADING
						     ? ""
						     : n->num}); /* a heading's is in its title */
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
	return rules_scan(T->rs, "marking.suspect", n->t.norm.s ? n->t.norm.s : "", n->t.norm.len,
			  0, &m) > 0;
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
	unit_lines(T);
	assign_by_label(T);
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
			put_unread(
				T, out, n,
				"此段写有责任单位和职责用语，但未能确定为一项任务，未列入任务分工");
		else if (n->found == RESP_NONE && suspect(T, n))
			put_unread(T, out, n,
				   "此段似有责任标注，但未能读出责任单位，未列入任务分工");
	}
	unitnames_put_findings(&U, T->rs, out);
	unitnames_free(&U);
	strlist_clear(&said);
	clear(T);
}

static int tasks_on_record(void *state, const struct rec *r, FILE *out)
{
	(void)out;
	tasks_add(state, r);
	return 1;
}

static void tasks_on_end(void *state, FILE *out, int complete)
{
	(void)complete;
	struct tasks *T = state;
	tasks_write(T, out);
	rules_put_limit_finding(T->rs, out, "extract");
}

struct stage tasks_stage(struct tasks *T)
{
	return (struct stage){T, tasks_on_record, tasks_on_end};
}
