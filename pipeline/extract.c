/*
 * extract - the third stage: tasks and who is responsible for them.
 *
 * Reads segmented documents, passes every record on, and before each end
 * record writes one task record per task in line order, plus a unit.alias
 * finding for each unit name the alias table changed (pipeline/FORMAT.md).
 *
 * A task is a heading, —— item or paragraph followed by responsibility
 * fields: on lines of their own (牵头单位:…) or at the end of its text
 * ("(牵头单位:…;配合单位:…)", "(X牵头,Y配合)", "责任单位:X(牵头)、Y").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "notice/dates.h"
#include "stream/err.h"
#include "stream/rec.h"
#include "rules/rules.h"
#include "notice/units.h"
#include "stream/utf8.h"

enum { F_LEADER, F_LEAD, F_RESP, F_COOP, F_DEADLINE, NFIELDS };

/* "X牵头" names a few units; longer pieces are not tried as such. */
#define MAX_MARKED_PIECE 600

static const char *const FIELD_RULE[NFIELDS] = {
	"field.leader", "field.lead", "field.resp", "field.coop", "field.deadline",
};

static const char *const REQUIRED[] = {
	"field.leader", "field.lead", "field.resp", "field.coop", "field.deadline", "field.cut",
	"field.inline", "part.lead", "part.coop", "part.cut", "unit.lead_mark", "unit.coop_mark",
	"unit.separator", "unit.trail", "leader.separator", "leader.note", "deadline", "deadline.bare", "metric",
	"header.date", NULL,
};

/* A heading, item or paragraph that may become a task. */
struct node {
	long line;
	int level;           /* 1-4 headings, 5 —— item, 6 paragraph */
	int parent;          /* index of the enclosing heading node, or -1 */
	char *l1, *l2;       /* labels of the enclosing level-1 and level-2 headings */
	struct buf content;
	struct strlist field[NFIELDS];
	long field_line;     /* first line holding a field */
	long line_of[NFIELDS]; /* first line holding each field */
	int has_fields, absorbed;
};

struct doc {
	struct node *v;
	size_t n, cap;
	int cur;            /* node that field lines attach to, or -1 */
	int last_field;     /* field the last line set, for continuation lines */
	int block_open;     /* the last line held fields */
	int continues;      /* ... and ended in a list separator */
	int heading_at[5];  /* latest node per heading level */
	char *issue_date;
	struct buf place;       /* issuer and title: where renames apply */
	struct strlist aliased; /* "written\tcanonical\tline" already reported */
};

static struct rules rules;
static struct ymd as_of; /* --as-of: name units as on this day; y == 0: as written */

static int match(const char *name, const char *s, size_t n, struct match *m)
{
	int rc = rules_match(&rules, name, s, n, m);
	return rc > 0; /* a limit error is counted and reported per notice */
}

/* The label of the open heading of level 1 or 2, or "". */
static const char *label_of(const struct doc *d, int level)
{
	int k = d->heading_at[level];
	if (k < 0)
		return "";
	return level == 1 ? d->v[k].l1 : d->v[k].l2;
}

static struct node *node_new(struct doc *d, long line, int level)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 64;
		d->v = nm_xrealloc(d->v, d->cap * sizeof *d->v);
	}
	int parent = -1;
	for (int k = (level <= 4 ? level - 1 : 4); k >= 1 && parent < 0; k--)
		parent = d->heading_at[k];
	struct node *n = &d->v[d->n];
	memset(n, 0, sizeof *n);
	n->line = line;
	n->level = level;
	n->parent = parent;
	n->l1 = nm_xstrdup(label_of(d, 1));
	n->l2 = nm_xstrdup(level == 1 ? "" : label_of(d, 2));
	d->cur = (int)d->n++;
	d->block_open = 0;
	return n;
}

static void add_text(struct node *n, const char *s, size_t len)
{
	s = str_trim(s, &len);
	if (len == 0)
		return;
	if (n->content.len)
		buf_addc(&n->content, '\n');
	buf_add(&n->content, s, len);
}

/* Adds a value to a field: units and leaders are split into names. */
static void field_add(struct node *n, int f, const char *v, size_t len, long line)
{
	if (f == F_LEADER) {
		leaders_split(&rules, v, len, &n->field[f]);
	} else if (f == F_DEADLINE) {
		struct buf entry = BUF_INIT; /* "LINE<TAB>TEXT": the line goes to findings */
		buf_printf(&entry, "%ld\t%.*s", line, (int)len, v);
		strlist_add(&n->field[f], entry.s, entry.len);
		buf_free(&entry);
	}
	else
		units_split(&rules, v, len, &n->field[f]);
	if (!n->has_fields)
		n->field_line = line;
	if (!n->line_of[f])
		n->line_of[f] = line;
	n->has_fields = 1;
}

static int labelled_field(const char *s, size_t len, int *f, const char **v, size_t *vlen)
{
	struct match m;
	for (int k = 0; k < NFIELDS; k++) {
		if (match(FIELD_RULE[k], s, len, &m)) {
			*f = k;
			*v = match_group(&m, "value", vlen);
			return *v != NULL;
		}
	}
	return 0;
}

/* One comma-separated piece: "牵头单位:X", "X牵头", "Y配合", or more of the
 * field before it. */
static void field_piece(struct doc *d, struct node *n, const char *s, size_t len, long line)
{
	struct match m;
	int f;
	const char *v;
	size_t vlen;
	if (labelled_field(s, len, &f, &v, &vlen))
		field_add(n, d->last_field = f, v, vlen, line);
	else if (len > MAX_MARKED_PIECE && d->last_field >= 0)
		field_add(n, d->last_field, s, len, line);
	else if (match("part.coop", s, len, &m) && (v = match_group(&m, "value", &vlen)))
		field_add(n, d->last_field = F_COOP, v, vlen, line);
	else if (match("part.lead", s, len, &m) && (v = match_group(&m, "value", &vlen)))
		field_add(n, d->last_field = F_LEAD, v, vlen, line);
	else if (d->last_field >= 0)
		field_add(n, d->last_field, s, len, line);
}

/* Cuts s at every match of the rule called cut and hands each piece on. */
static void each_piece(struct doc *d, struct node *n, const char *s, size_t len, long line,
		       const char *cut,
		       void (*piece)(struct doc *, struct node *, const char *, size_t, long))
{
	struct match m;
	size_t at = 0;
	while (at <= len) {
		size_t end = len, next = len + 1;
		if (rules_scan(&rules, cut, s, len, at, &m) > 0 && match_end(&m) > match_start(&m))
			end = match_start(&m), next = match_end(&m);
		piece(d, n, s + at, end - at, line);
		at = next;
	}
}

static void field_part(struct doc *d, struct node *n, const char *s, size_t len, long line)
{
	each_piece(d, n, s, len, line, "part.cut", field_piece);
}

/* Fields cut at field.cut (";"), then at part.cut (","):
 * "牵头单位:X;配合单位:Y,Z", "X牵头,Y配合". */
static void parse_fields(struct doc *d, struct node *n, const char *s, size_t len, long line)
{
	d->last_field = -1;
	each_piece(d, n, s, len, line, "field.cut", field_part);
}

static int is_field_line(const char *s)
{
	int f;
	const char *v;
	size_t vlen;
	return labelled_field(s, strlen(s), &f, &v, &vlen);
}

/* Cuts inline fields off the end of text; returns the length left. */
static size_t inline_fields(struct doc *d, struct node *n, const char *s, long line)
{
	struct match m;
	size_t len = strlen(s), ilen;
	if (!match("field.inline", s, len, &m))
		return len;
	const char *inner = match_group(&m, "inner", &ilen);
	if (!inner)
		return len;
	size_t keep = match_start(&m);
	char *copy = nm_xstrndup(inner, ilen);
	parse_fields(d, n, copy, ilen, line);
	free(copy);
	return keep;
}

/*
 * Where a block of fields belongs: to the node before it, unless that node
 * is one of several sub-items of a heading none of which has fields; then
 * the block is the heading's.
 */
static int block_owner(struct doc *d)
{
	int k = d->cur;
	if (k < 0 || d->v[k].has_fields || d->v[k].level <= 2)
		return k;
	int parent = d->v[k].parent, siblings = 0;
	for (int j = parent + 1; j < k; j++) {
		if (d->v[j].parent != parent)
			continue;
		if (d->v[j].has_fields)
			return k;
		siblings++;
	}
	if (parent < 0 || siblings == 0 || d->v[parent].has_fields)
		return k;
	for (int j = parent + 1; j <= k; j++) {
		if (d->v[j].parent == parent) {
			add_text(&d->v[parent], d->v[j].content.s, d->v[j].content.len);
			d->v[j].absorbed = 1;
		}
	}
	return parent;
}

static void on_heading(struct doc *d, const struct rec *r)
{
	int level = atoi(rec_field(r, 3));
	if (level < 1 || level > 4)
		return;
	for (int k = level; k <= 4; k++)
		d->heading_at[k] = -1;
	struct node *n = node_new(d, atol(rec_field(r, 1)), level);
	d->heading_at[level] = d->cur;
	const char *label = rec_field(r, 5);
	if (level == 1) {
		free(n->l1);
		n->l1 = nm_xstrdup(label);
	} else if (level == 2) {
		free(n->l2);
		n->l2 = nm_xstrdup(label);
	}
	const char *text = rec_field(r, 2);
	size_t keep = inline_fields(d, n, text, n->line);
	size_t skip = level <= 2 && str_starts(text, label) ? strlen(label) : 0;
	if (skip && str_starts(text + skip, "。"))
		skip += strlen("。");
	add_text(n, text + skip, keep > skip ? keep - skip : 0);
}

static void on_item(struct doc *d, const struct rec *r)
{
	struct node *n = node_new(d, atol(rec_field(r, 1)), 5);
	const char *body = rec_field(r, 3);
	size_t keep = inline_fields(d, n, body, n->line);
	add_text(n, body, keep);
}

/* A field line cut after a separator goes on in the next line. */
static int ends_in_separator(const char *s)
{
	return str_ends(s, "、") || str_ends(s, ",") || str_ends(s, ";");
}

static void on_para(struct doc *d, const struct rec *r)
{
	const char *text = rec_field(r, 2);
	long line = atol(rec_field(r, 1));
	if (is_field_line(text)) {
		int owner = block_owner(d);
		if (owner < 0)
			owner = (int)(node_new(d, line, 6) - d->v);
		parse_fields(d, &d->v[owner], text, strlen(text), line);
		d->cur = owner;
		d->block_open = 1;
		d->continues = ends_in_separator(text);
		return;
	}
	if (d->block_open && d->continues && d->last_field >= 0) {
		field_add(&d->v[d->cur], d->last_field, text, strlen(text), line);
		d->continues = ends_in_separator(text);
		return;
	}
	if (d->cur < 0 || d->block_open || d->v[d->cur].has_fields)
		node_new(d, line, 6);
	struct node *n = &d->v[d->cur];
	size_t keep = inline_fields(d, n, text, line);
	add_text(n, text, keep);
}

static void doc_reset(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		struct node *n = &d->v[i];
		free(n->l1);
		free(n->l2);
		buf_free(&n->content);
		for (int f = 0; f < NFIELDS; f++)
			strlist_clear(&n->field[f]);
	}
	free(d->v);
	free(d->issue_date);
	buf_free(&d->place);
	strlist_clear(&d->aliased);
	memset(d, 0, sizeof *d);
	d->cur = d->last_field = -1;
	for (int k = 0; k < 5; k++)
		d->heading_at[k] = -1;
}

/* Sorts a 责任单位 list into lead and co-operating units. */
static void resolve_resp(struct node *n)
{
	struct strlist *resp = &n->field[F_RESP];
	struct match m;
	int marked = 0;
	for (size_t i = 0; i < resp->n; i++)
		marked |= match("unit.lead_mark", resp->v[i], strlen(resp->v[i]), &m);
	const char *setting = rules_setting(&rules, "first_listed_leads");
	int first_leads = !setting || strcmp(setting, "yes") == 0;
	for (size_t i = 0; i < resp->n; i++) {
		char *u = resp->v[i];
		size_t len = strlen(u);
		int lead;
		if (match("unit.lead_mark", u, len, &m))
			lead = 1, u[match_start(&m)] = '\0';
		else if (match("unit.coop_mark", u, len, &m))
			lead = 0, u[match_start(&m)] = '\0';
		else
			lead = marked ? 0 : first_leads ? (i == 0 && n->field[F_LEAD].n == 0) : 1;
		size_t ulen = strlen(u);
		const char *t = str_trim(u, &ulen);
		strlist_add(&n->field[lead ? F_LEAD : F_COOP], t, ulen);
		if (!n->line_of[lead ? F_LEAD : F_COOP])
			n->line_of[lead ? F_LEAD : F_COOP] = n->line_of[F_RESP];
	}
}

static void put_finding(FILE *out, long line, const char *level, const char *rule,
			const char *message, const char *text)
{
	rec_put_finding(out, &(struct rec_finding){line, level, rule, message, text, 0, "", ""});
}

static void report_alias(FILE *out, struct doc *d, const char *written, const char *canon, long line)
{
	struct buf key = BUF_INIT;
	buf_printf(&key, "%s\t%s", written, canon);
	if (!strlist_has(&d->aliased, key.s)) {
		strlist_add_unique(&d->aliased, key.s);
		struct buf msg = BUF_INIT;
		buf_printf(&msg, "单位名称“%s”按别名表规范为“%s”", written, canon);
		put_finding(out, line, "提示", "unit.alias", msg.s, written);
		buf_free(&msg);
	}
	buf_free(&key);
}

static int row_applies(const struct doc *d, const struct row *r)
{
	const char *place = r->ncol > 3 ? r->col[3] : "*";
	return !*place || strcmp(place, "*") == 0 || strstr(buf_str(&d->place), place);
}

static int kind_matches(const struct row *r, const char *content)
{
	if (r->ncol < 5 || !*r->col[4])
		return 0;
	struct strlist words = {0};
	leaders_split(&rules, r->col[4], strlen(r->col[4]), &words);
	int hit = 0;
	for (size_t i = 0; i < words.n && !hit; i++)
		hit = *words.v[i] && strstr(content, words.v[i]) != NULL;
	strlist_clear(&words);
	return hit;
}

struct rename {
	const struct row *row; /* the row that applies, or NULL */
	int rows;              /* rows for the unit: more than one is a split */
	const struct row *first;
};

/* The rename of unit for this task: a split is settled by KIND words or not at all. */
static struct rename rename_of(const struct doc *d, const char *unit, const char *content)
{
	struct rename rn = {NULL, 0, NULL};
	const struct row *by_kind = NULL;
	int kinds = 0;
	for (size_t i = 0; i < rules.nrows[T_RENAME]; i++) {
		const struct row *r = &rules.rows[T_RENAME][i];
		if (strcmp(r->col[0], unit) != 0 || !row_applies(d, r))
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

/* unit.renamed: 提示, or 警告 when the notice was written after the rename. */
static void report_rename(FILE *out, struct doc *d, const char *unit, const struct rename *rn,
			  long line)
{
	struct ymd issue = {0};
	int dated = d->issue_date && dates_issue(&rules, d->issue_date, &issue) && issue.d > 0;
	const struct row *r = rn->row ? rn->row : rn->first;
	int late = dated && date_reached(&issue, r->col[2]);
	struct buf key = BUF_INIT, msg = BUF_INIT;
	buf_printf(&key, "renamed\t%s\t%s", unit, rn->row ? rn->row->col[1] : "?");
	if (strlist_has(&d->aliased, key.s) && rn->row) {
		buf_free(&key);
		return;
	}
	strlist_add_unique(&d->aliased, key.s);
	if (!rn->row)
		buf_printf(&msg, "“%s”自%s起分设为多个单位,本任务由哪一单位承接需人工确定", unit, r->col[2]);
	else if (rn->rows > 1)
		buf_printf(&msg, "“%s”自%s起分设,按任务内容本任务由“%s”承接", unit, r->col[2], r->col[1]);
	else
		buf_printf(&msg, "“%s”自%s起更名为“%s”", unit, r->col[2], r->col[1]);
	if (late)
		buf_printf(&msg, ";本文件成文于更名之后,仍使用旧名称");
	put_finding(out, line, late ? "警告" : "提示", "unit.renamed", msg.s, unit);
	buf_free(&key);
	buf_free(&msg);
}

/* The unit's name on the --as-of day, following renames one after another. */
static const char *name_as_of(FILE *out, struct doc *d, const char *unit, const struct node *n,
			      long line)
{
	struct buf text = BUF_INIT; /* what KIND words are looked for in: title and content */
	buf_printf(&text, "%s\n%s", n->l2, buf_str(&n->content));
	const char *content = text.s;
	struct rename rn = rename_of(d, unit, content);
	if (rn.rows)
		report_rename(out, d, unit, &rn, line);
	for (int hops = 0; hops < 8 && rn.row && date_reached(&as_of, rn.row->col[2]); hops++) {
		unit = rn.row->col[1];
		rn = rename_of(d, unit, content);
	}
	buf_free(&text);
	return unit;
}

/* Canonical names joined with 、; the names as written go to written. */
static char *canonical_units(FILE *out, struct doc *d, const struct node *n, int f,
			     struct strlist *written)
{
	struct strlist canon = {0};
	for (size_t i = 0; i < n->field[f].n; i++) {
		const char *u = n->field[f].v[i];
		const char *c = rules_alias(&rules, u);
		if (c)
			report_alias(out, d, u, c, n->line_of[f]);
		strlist_add_unique(&canon, name_as_of(out, d, c ? c : u, n, n->line_of[f]));
		strlist_add_unique(written, u);
	}
	char *s = strlist_join(&canon, "\n");
	strlist_clear(&canon);
	return s;
}

static int issue_year(const struct doc *d)
{
	struct ymd date;
	return d->issue_date && dates_issue(&rules, d->issue_date, &date) ? date.y : 0;
}

/* The latest deadline of the 完成时限 fields and the content, and the
 * line that states it. */
static long deadline_of(const struct doc *d, const struct node *n, char out[16])
{
	struct ymd best = {0}, cur;
	int found = 0, year = issue_year(d);
	long line = n->line;
	for (size_t i = 0; i < n->field[F_DEADLINE].n; i++) {
		const char *entry = n->field[F_DEADLINE].v[i];
		if (dates_deadline(&rules, strchr(entry, '\t') + 1, year, 1, &cur) &&
		    (!found || ymd_cmp(&cur, &best) > 0))
			best = cur, found = 1, line = atol(entry);
	}
	if (n->content.s && dates_deadline(&rules, n->content.s, year, 0, &cur) &&
	    (!found || ymd_cmp(&cur, &best) > 0))
		best = cur, found = 1, line = n->line;
	out[0] = '\0';
	if (found)
		snprintf(out, 16, "%04d-%02d-%02d", best.y, best.m, best.d);
	return line;
}

/* Clauses of the content that state a number with a unit. */
static char *metrics_of(const char *s)
{
	struct strlist found = {0};
	struct match m;
	size_t len = strlen(s), at = 0;
	while (at < len && rules_scan(&rules, "metric", s, len, at, &m) > 0) {
		size_t a = match_start(&m), b = match_end(&m);
		while (a > 0 && !strchr(",;:\n", s[a - 1]) && !str_starts(s + a - (a >= 3 ? 3 : 0), "。"))
			a--;
		while (b < len && !strchr(",;:\n", s[b]) && !str_starts(s + b, "。"))
			b++;
		char *clause = nm_xstrndup(s + a, b - a);
		strlist_add_unique(&found, clause);
		free(clause);
		at = b > at ? b : at + 1;
	}
	char *joined = strlist_join(&found, ";");
	strlist_clear(&found);
	return joined;
}

/* A spreadsheet cell holds 32,767 characters: longer content is cut here,
 * before it travels through the later stages, and ends in …. */
#define CELL_CHARS 32000

static const char *cell_sized(const char *s, struct buf *cut)
{
	size_t bytes = strlen(s);
	if (bytes <= CELL_CHARS || utf8_chars(s, bytes) <= CELL_CHARS)
		return s;
	size_t at = 0, chars = 0;
	uint32_t c;
	while (chars < CELL_CHARS - 1 && at < bytes) {
		size_t len = utf8_decode(s + at, bytes - at, &c);
		at += len ? len : 1;
		chars++;
	}
	buf_add(cut, s, at);
	buf_adds(cut, "…");
	return cut->s;
}

static void put_task(FILE *out, struct doc *d, const struct node *n, long seq)
{
	struct strlist written_lead = {0}, written_coop = {0};
	char *leaders = strlist_join(&n->field[F_LEADER], "\n");
	char *lead = canonical_units(out, d, n, F_LEAD, &written_lead);
	char *coop = canonical_units(out, d, n, F_COOP, &written_coop);
	char *wl = strlist_join(&written_lead, "\n"), *wc = strlist_join(&written_coop, "\n");

	char deadline[16], deadline_line[24];
	snprintf(deadline_line, sizeof deadline_line, "%ld", deadline_of(d, n, deadline));
	fprintf(out, "task\t%ld\t%ld", n->line, seq);
	/* A heading with no text of its own states the task in its title. */
	const char *content = n->content.len ? n->content.s : n->level == 1 ? n->l1 : n->l2;
	char *metrics = metrics_of(content);
	struct buf cut = BUF_INIT;
	content = cell_sized(content, &cut);
	const char *fields[] = {n->l1, n->l2, content, leaders, lead, coop,
				deadline, metrics, wl, wc, deadline_line};
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
		rec_put_field(out, fields[i]);
	rec_end(out);
	free(leaders), free(lead), free(coop), free(wl), free(wc), free(metrics);
	buf_free(&cut);
	strlist_clear(&written_lead);
	strlist_clear(&written_coop);
}

/* A unit name read with every full form shortened and 和/及/与 dropped. */
static char *unit_key(const char *name)
{
	struct buf key = BUF_INIT;
	buf_adds(&key, name);
	for (size_t i = 0; i < rules.nrows[T_ABBREV]; i++) {
		const char *full = rules.rows[T_ABBREV][i].col[0], *s = rules.rows[T_ABBREV][i].col[1];
		struct buf next = BUF_INIT;
		for (const char *p = buf_str(&key), *hit; *p; p = hit + strlen(full)) {
			if (!(hit = strstr(p, full))) {
				buf_adds(&next, p);
				break;
			}
			buf_add(&next, p, (size_t)(hit - p));
			buf_adds(&next, s);
		}
		buf_free(&key);
		key = next;
	}
	struct buf out = BUF_INIT;
	for (const char *p = buf_str(&key); *p;) {
		if (str_starts(p, "和") || str_starts(p, "及") || str_starts(p, "与"))
			p += strlen("和");
		else
			buf_addc(&out, *p++);
	}
	buf_free(&key);
	return out.s ? out.s : nm_xstrdup("");
}

static void suggest(FILE *out, struct doc *d, const char *written, const char *other, long line)
{
	struct buf key = BUF_INIT, msg = BUF_INIT;
	buf_printf(&key, "%s\t%s", written, other);
	if (!strlist_has(&d->aliased, key.s)) {
		strlist_add(&d->aliased, key.s, key.len);
		buf_printf(&msg, "单位名称“%s”与“%s”疑为同一单位的不同写法;如确认,请在 rules/units.aliases "
				 "中加入一行“%s<TAB>%s”", written, other, written, other);
		put_finding(out, line, "提示", "unit.alias", msg.s, written);
	}
	buf_free(&key);
	buf_free(&msg);
}

/*
 * Unit names the alias table does not know that read like another name of
 * the notice or a canonical name of the table: suggested as aliases, the
 * shorter name to the longer or to the table's.
 */
static void suggest_aliases(FILE *out, struct doc *d)
{
	struct strlist names = {0}, keys = {0};
	struct strlist lines = {0};
	for (size_t i = 0; i < rules.nrows[T_ALIAS]; i++)
		strlist_add_unique(&names, rules.rows[T_ALIAS][i].col[1]);
	size_t known = names.n;
	for (size_t i = 0; i < d->n; i++)
		for (int f = F_LEAD; f <= F_COOP; f++)
			for (size_t k = 0; k < d->v[i].field[f].n; k++)
				if (!rules_alias(&rules, d->v[i].field[f].v[k]) &&
				    !strlist_has(&names, d->v[i].field[f].v[k])) {
					char no[24];
					snprintf(no, sizeof no, "%ld", d->v[i].field_line);
					strlist_add(&names, d->v[i].field[f].v[k], strlen(d->v[i].field[f].v[k]));
					strlist_add(&lines, no, strlen(no));
				}
	for (size_t i = 0; i < names.n; i++) {
		char *k = unit_key(names.v[i]);
		strlist_add(&keys, k, strlen(k));
		free(k);
	}
	for (size_t i = known; i < names.n; i++)
		for (size_t j = 0; j < names.n; j++) {
			if (i == j || strcmp(keys.v[i], keys.v[j]) != 0)
				continue;
			int to_other = j < known || strlen(names.v[j]) > strlen(names.v[i]);
			if (to_other)
				suggest(out, d, names.v[i], names.v[j], atol(lines.v[i - known]));
		}
	strlist_clear(&names);
	strlist_clear(&keys);
	strlist_clear(&lines);
}

static void put_tasks(FILE *out, struct doc *d)
{
	long seq = 0;
	if (as_of.y) {
		char day[16];
		snprintf(day, sizeof day, "%04d-%02d-%02d", as_of.y, as_of.m, as_of.d);
		rec_put(out, "meta", "as_of", day, NULL);
	}
	for (size_t i = 0; i < d->n; i++) {
		struct node *n = &d->v[i];
		if (!n->has_fields)
			continue;
		resolve_resp(n);
		put_task(out, d, n, ++seq);
	}
	suggest_aliases(out, d);
}

static void on_head(struct doc *d, const struct rec *r)
{
	const char *key = rec_field(r, 3);
	if (strcmp(key, "date") == 0 && !d->issue_date)
		d->issue_date = nm_xstrdup(rec_field(r, 4));
	else if (strcmp(key, "issuer") == 0 || strcmp(key, "title") == 0 || strcmp(key, "docno") == 0)
		buf_adds(&d->place, rec_field(r, 4));
}

static void usage(FILE *to, int status)
{
	fputs("usage: nm-extract [--rules DIR]... [--as-of YYYY-MM-DD] < stream > stream\n"
	      "Finds the tasks of each notice and their leaders, units and deadlines;\n"
	      "with --as-of, units are named as on that day (rules/*.renames).\n", to);
	exit(status);
}

static void parse_as_of(const char *s)
{
	if (!date_from_iso(s, &as_of.y, &as_of.m, &as_of.d) || strlen(s) != 10)
		nm_die(NM_EUSAGE, "--as-of needs a date YYYY-MM-DD, not '%s'", s);
}

static void load_rules(int argc, char **argv)
{
	struct buf err = BUF_INIT;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc)
			parse_as_of(argv[++i]);
		else if (strcmp(argv[i], "--rules") != 0 || ++i == argc)
			usage(stderr, NM_EUSAGE);
	}
	if (rules_from_args(&rules, argc, argv, REQUIRED, &err))
		nm_die(NM_EUSAGE, "bad rules:\n%s", buf_str(&err));
}

/* Reads records from in and writes them, transformed, to out. Returns -1
 * on a read error. (A function of its own so the fuzz targets can call it.) */
static int filter(FILE *in, FILE *out)
{
	struct rec r = REC_INIT;
	struct doc d;
	memset(&d, 0, sizeof d);
	doc_reset(&d);
	int rc;
	while ((rc = rec_read(&r, in)) > 0) {
		if (rec_is(&r, "heading"))
			on_heading(&d, &r);
		else if (rec_is(&r, "item"))
			on_item(&d, &r);
		else if (rec_is(&r, "para"))
			on_para(&d, &r);
		else if (rec_is(&r, "head"))
			on_head(&d, &r);
		else if (rec_is(&r, "end")) {
			put_tasks(out, &d);
			rules_put_limit_finding(&rules, out, "extract");
			doc_reset(&d);
		}
		rec_pass(out, &r);
	}
	rec_free(&r);
	doc_reset(&d);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	nm_setprog(argv[0]);
	load_rules(argc, argv);
	if (filter(stdin, stdout) < 0)
		nm_die(NM_EUSAGE, "read error on standard input");
	rules_free(&rules);
	nm_close_stdout();
	return 0;
}
