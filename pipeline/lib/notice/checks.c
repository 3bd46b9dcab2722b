/*
 * checks.c - the records a notice's checks read, the findings they make
 * and how those are written: the 序号 of the task a finding concerns, the
 * rule's name and advice, about 30 characters of the notice around the
 * hit. The header, the tasks' fields and the encoding are checked here.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "notice/cn.h"
#include "stream/err.h"
#include "stream/utf8.h"

const struct rule_need CHECKS_NEEDS[] = {
	{"date.any", "y,m", 1},
	{"date.range", "a,b", 1},
	{"date.year", "y", 1},
	{"docno.any", "year,num", 1},
	{"count.phrase", "n,word", 1},
	{"count.total", "n", 1},
	{"count.clause_start", NULL, 1},
	{"count.item", "n", 1},
	{"count.field_line", NULL, 1},
	{"numbering.title", NULL, 1},
	{"leader.title_before", NULL, 1},
	{"leader.title_after", NULL, 1},
	{"header.date", "y,m", 1},
	{"header.date_noyear", "m,d", 1},
	{"deadline", NULL, 1},
	{NULL, NULL, 0},
};

#define EXCERPT_CHARS 30
#define EXCERPT_BEFORE 10

void checks_init(struct checks *C, struct rules *rs)
{
	memset(C, 0, sizeof *C);
	C->rs = rs;
	C->docno = C->date = -1;
}

void checks_reset(struct checks *C)
{
	for (size_t i = 0; i < C->nr; i++) {
		ntext_free(&C->r[i].t);
		free(C->r[i].num_text);
		free(C->r[i].key);
		free(C->r[i].value);
	}
	for (size_t i = 0; i < C->nt; i++) {
		struct chk_task *t = &C->t[i];
		free(t->content);
		free(t->lead);
		free(t->coop);
		free(t->leaders);
		free(t->deadline);
		free(t->deadline_text);
	}
	for (size_t i = 0; i < C->nf; i++) {
		struct chk_finding *f = &C->f[i];
		free(f->rule);
		free(f->message);
		free(f->text);
		free(f->name);
		free(f->advice);
	}
	C->nr = C->nt = C->nf = 0;
	C->indexed_r = C->indexed_t = (size_t)-1;
	C->docno = C->date = -1;
	C->have_title = 0;
	C->issue = (struct ymd){0};
	C->issue_whole = 0;
	C->issue_form = ISSUE_NONE;
	C->invalid = C->dropped = 0;
	C->open = 0;
}

void checks_free(struct checks *C)
{
	checks_reset(C);
	free(C->r);
	free(C->t);
	free(C->f);
	free(C->by_line);
	free(C->task_end);
	free(C->task_by_line);
	memset(C, 0, sizeof *C);
}

size_t checks_past(const char *s, size_t n, size_t a, size_t b)
{
	if (b > a)
		return b;
	size_t k = a + 1;
	while (k < n && ((unsigned char)s[k] & 0xC0) == 0x80)
		k++;
	return k;
}

/* ---- Numbers ---- */

long checks_number(const char *s, size_t n)
{
	uint32_t c;
	size_t len;
	/* Marks around the number: (十六) 【任务一】 第一项 16. */
	while (n && (len = utf8_decode(s, n, &c)) &&
	       (c == '(' || c == 0xFF08 || c == 0x3010 || c == 0x7B2C || c == ' '))
		s += len, n -= len;
	if (n >= strlen("任务") && memcmp(s, "任务", strlen("任务")) == 0)
		s += strlen("任务"), n -= strlen("任务");
	if (n && (len = utf8_decode(s, n, &c)) == n) {
		if (c >= 0x2460 && c <= 0x2473) /* ① to ⑳ */
			return (long)(c - 0x2460 + 1);
		if (c >= 0x2474 && c <= 0x2487) /* ⑴ to ⒇ */
			return (long)(c - 0x2474 + 1);
		if (c >= 0x2776 && c <= 0x277F) /* ❶ to ❿ */
			return (long)(c - 0x2776 + 1);
	}
	size_t k = 0;
	while (k < n && (len = utf8_decode(s + k, n - k, &c)) &&
	       ((c >= '0' && c <= '9') || (c >= 0xFF10 && c <= 0xFF19) || c == 0x4E00 ||
		c == 0x4E8C || c == 0x4E24 || c == 0x4E09 || c == 0x56DB || c == 0x4E94 ||
		c == 0x516D || c == 0x4E03 || c == 0x516B || c == 0x4E5D || c == 0x5341 ||
		c == 0x767E || c == 0x96F6 || c == 0x3007))
		k += len;
	return k ? cn_number(s, k) : -1;
}

void checks_format_number(struct buf *out, long v, int chinese)
{
	static const char *const D[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
	if (!chinese || v < 1 || v > 999) {
		buf_printf(out, "%ld", v);
		return;
	}
	long h = v / 100, t = v / 10 % 10, u = v % 10;
	if (h)
		buf_printf(out, "%s百", D[h]);
	if (t)
		buf_printf(out, "%s十", t == 1 && !h ? "" : D[t]);
	else if (h && u)
		buf_adds(out, "零");
	if (u)
		buf_adds(out, D[u]);
}

/* ---- Lists ---- */

int checks_list_items(const char *s, size_t n, size_t *longest)
{
	int items = 1, depth = 0;
	size_t item = 0, max = 0;
	const size_t dun = strlen("、");
	for (size_t i = 0; i < n;) {
		uint32_t c;
		size_t len = utf8_decode(s + i, n - i, &c);
		if (!len)
			len = 1;
		if (c == '(' || c == 0xFF08 || c == 0x3010 || c == 0x300A || c == 0x201C ||
		    c == '[' || c == 0x3014)
			depth++;
		else if ((c == ')' || c == 0xFF09 || c == 0x3011 || c == 0x300B || c == 0x201D ||
			  c == ']' || c == 0x3015) &&
			 depth > 0)
			depth--;
		else if (depth == 0 && len == dun && memcmp(s + i, "、", dun) == 0) {
			if (i == item)
				return 0; /* an empty item: the list is not all here */
			if (items > 1) {
				size_t chars = utf8_chars(s + item, i - item);
				max = chars > max ? chars : max;
			}
			items++;
			item = i + len;
		}
		i += len;
	}
	if (items > 1) {
		size_t chars = utf8_chars(s + item, n - item);
		if (chars == 0)
			return 0;
		max = chars > max ? chars : max;
	}
	if (longest)
		*longest = max;
	return items > 1 ? items : 0;
}

/* ---- The records ---- */

static struct chk_rec *rec_new(struct checks *C, enum chk_kind kind, long line, const char *text)
{
	if (C->nr == C->rcap) {
		C->rcap = C->rcap ? 2 * C->rcap : 128;
		C->r = nm_xrealloc(C->r, C->rcap * sizeof *C->r);
	}
	struct chk_rec *r = &C->r[C->nr++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->line = line;
	r->num = -1;
	ntext_set(&r->t, text, strlen(text));
	r->num_text = nm_xstrdup("");
	r->key = nm_xstrdup("");
	r->value = nm_xstrdup("");
	return r;
}

static void set_num(struct chk_rec *r, const char *num)
{
	free(r->num_text);
	r->num_text = nm_xstrdup(num);
	r->num = *num ? checks_number(num, strlen(num)) : -1;
}

static void set_key(struct chk_rec *r, const char *key)
{
	free(r->key);
	r->key = nm_xstrdup(key);
}

static void add_task(struct checks *C, const struct rec *rr)
{
	struct rec_task v;
	rec_get_task(rr, &v);
	if (C->nt == C->tcap) {
		C->tcap = C->tcap ? 2 * C->tcap : 64;
		C->t = nm_xrealloc(C->t, C->tcap * sizeof *C->t);
	}
	C->t[C->nt++] = (struct chk_task){v.line,
					  v.seq,
					  v.deadline_line,
					  nm_xstrdup(v.content),
					  nm_xstrdup(v.lead),
					  nm_xstrdup(v.coop),
					  nm_xstrdup(v.leaders),
					  nm_xstrdup(v.deadline),
					  nm_xstrdup(v.deadline_text)};
}

static struct chk_finding *finding_new(struct checks *C)
{
	if (C->nf == C->fcap) {
		C->fcap = C->fcap ? 2 * C->fcap : 32;
		C->f = nm_xrealloc(C->f, C->fcap * sizeof *C->f);
	}
	struct chk_finding *f = &C->f[C->nf++];
	memset(f, 0, sizeof *f);
	return f;
}

static void keep_finding(struct checks *C, const struct rec *rr)
{
	struct rec_finding v;
	rec_get_finding(rr, &v);
	struct chk_finding *f = finding_new(C);
	f->line = v.line;
	f->level = *v.level ? v.level : "提示";
	/* The level is one of three words; anything else is kept as 提示. */
	if (strcmp(f->level, "错误") == 0)
		f->level = "错误";
	else if (strcmp(f->level, "警告") == 0)
		f->level = "警告";
	else
		f->level = "提示";
	f->rule = nm_xstrdup(v.rule);
	f->message = nm_xstrdup(v.message);
	f->text = nm_xstrdup(v.text);
	f->seq = v.seq;
	f->name = nm_xstrdup(v.name);
	f->advice = nm_xstrdup(v.advice);
}

int checks_add(struct checks *C, const struct rec *rr)
{
	switch (rec_kind(rr)) {
	case REC_DOC:
		checks_reset(C);
		C->open = 1;
		return 1;
	case REC_META: {
		struct rec_meta m;
		rec_get_meta(rr, &m);
		if (strcmp(m.key, "invalid") == 0)
			C->invalid = strtoul(m.value, NULL, 10);
		else if (strcmp(m.key, "dropped") == 0)
			C->dropped = strtoul(m.value, NULL, 10);
		return 1;
	}
	case REC_HEAD: {
		struct rec_head h;
		rec_get_head(rr, &h);
		struct chk_rec *r = rec_new(C, CK_HEAD, h.line, h.text);
		set_key(r, h.key);
		free(r->value);
		r->value = nm_xstrdup(h.value);
		if (strcmp(h.key, "docno") == 0) {
			ntext_set(&r->t, h.value, strlen(h.value)); /* the number itself */
			if (C->docno < 0)
				C->docno = (long)C->nr - 1;
		} else if (strcmp(h.key, "date") == 0 && C->date < 0) {
			C->date = (long)C->nr - 1;
		} else if (strcmp(h.key, "title") == 0) {
			C->have_title = 1;
		}
		return 1;
	}
	case REC_HEADING: {
		struct rec_heading h;
		rec_get_heading(rr, &h);
		struct chk_rec *r = rec_new(C, CK_HEADING, h.line, h.text);
		r->level = h.level >= 1 && h.level <= 5 ? (int)h.level : 0;
		set_num(r, h.num);
		const char *s = buf_str(&r->t.norm), *stop = strstr(s, "。");
		r->label = stop ? (size_t)(stop - s) : r->t.norm.len;
		return 1;
	}
	case REC_ITEM: {
		struct rec_item it;
		rec_get_item(rr, &it);
		int inl = strcmp(it.kind, "inline") == 0;
		struct chk_rec *r = rec_new(C, inl ? CK_INLINE : CK_ITEM, it.line, it.text);
		set_num(r, it.num);
		set_key(r, it.kind);
		return 1;
	}
	case REC_ROW: {
		struct rec_row w;
		rec_get_row(rr, &w);
		struct chk_rec *r = rec_new(C, CK_ROW, w.line, w.text);
		set_num(r, w.num);
		set_key(r, w.group);
		return 1;
	}
	case REC_PARA: {
		struct rec_para p;
		rec_get_para(rr, &p);
		rec_new(C, CK_PARA, p.line, p.text);
		return 1;
	}
	case REC_TAIL: {
		struct rec_tail t;
		rec_get_tail(rr, &t);
		set_key(rec_new(C, CK_TAIL, t.line, t.text), t.kind);
		return 1;
	}
	case REC_TASK:
		add_task(C, rr);
		return 1;
	case REC_FINDING:
		if (!C->open)
			return 1; /* outside a notice: nothing to write it with */
		keep_finding(C, rr);
		return 0;
	default:
		return 1;
	}
}

/* ---- Findings ---- */

/* The start of the character before byte i of s. */
static size_t char_back(const char *s, size_t i)
{
	if (i == 0)
		return 0;
	i--;
	while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80)
		i--;
	return i;
}

static size_t char_fwd(const char *s, size_t n, size_t i)
{
	if (i >= n)
		return n;
	i++;
	while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
		i++;
	return i;
}

static int is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

char *checks_excerpt(const struct ntext *t, size_t a, size_t b)
{
	const char *s = buf_str(&t->orig);
	size_t n = t->orig.len, oa, ob;
	ntext_span(t, a, b, &oa, &ob);
	if (oa > n)
		oa = n;
	if (ob > n || ob < oa)
		ob = oa;
	/* The line of the text that holds the hit: an excerpt never crosses a line end. */
	size_t lo = oa, hi = ob;
	while (lo > 0 && s[lo - 1] != '\n')
		lo--;
	const char *nl = memchr(s + oa, '\n', n - oa);
	size_t end = nl ? (size_t)(nl - s) : n;
	if (hi > end)
		hi = end;
	size_t from = oa, to = oa, chars = 0;
	while (to < hi && chars < EXCERPT_CHARS)
		to = char_fwd(s, end, to), chars++;
	for (int k = 0; k < EXCERPT_BEFORE && from > lo && chars < EXCERPT_CHARS; k++)
		from = char_back(s, from), chars++;
	while (chars < EXCERPT_CHARS && (to < end || from > lo)) {
		if (to < end)
			to = char_fwd(s, end, to), chars++;
		else
			from = char_back(s, from), chars++;
	}
	/* Not from inside a number or a Latin word: 2023年, not 023年. */
	for (int k = 0;
	     k < 8 && from > lo && from < end && is_alnum(s[from - 1]) && is_alnum(s[from]); k++)
		from--;
	size_t len = to - from;
	const char *x = str_trim(s + from, &len);
	for (size_t skip; len && (skip = x[0] == '\t'          ? 1
					 : str_starts(x, "　") ? strlen("　")
							       : 0);)
		x += skip, len -= skip; /* indentation */
	return nm_xstrndup(x, len);
}

void checks_add_finding(struct checks *C, long line, const char *level, const char *rule,
			const struct ntext *t, size_t a, size_t b, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&msg, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(msg.s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	msg.len = (size_t)n;
	struct chk_finding *f = finding_new(C);
	f->line = line;
	f->level = level;
	f->rule = nm_xstrdup(rule);
	f->message = msg.s;
	f->text = t ? checks_excerpt(t, a, b) : nm_xstrdup("");
	f->name = nm_xstrdup("");
	f->advice = nm_xstrdup("");
}

size_t checks_find(const struct chk_rec *r, const char *s, size_t *end)
{
	struct ntext x = NTEXT_INIT;
	ntext_set(&x, s, strlen(s));
	const char *at = x.norm.len ? strstr(buf_str(&r->t.norm), buf_str(&x.norm)) : NULL;
	size_t a = at ? (size_t)(at - buf_str(&r->t.norm)) : 0;
	*end = at ? a + x.norm.len : 0;
	ntext_free(&x);
	return a;
}

/* The row of rules/findings.words for rule: finding RULE NAME ADVICE (the last one wins). */
static const struct row *rule_row(const struct rules *rs, const char *rule)
{
	const struct row *found = NULL;
	for (size_t i = 0; i < rs->nrows[T_WORDS]; i++) {
		const struct row *w = &rs->rows[T_WORDS][i];
		if (w->ncol >= 3 && strcmp(w->col[0], "finding") == 0 &&
		    strcmp(w->col[1], rule) == 0)
			found = w;
	}
	return found;
}

const char *checks_rule_name(const struct rules *rs, const char *rule)
{
	const struct row *w = rule_row(rs, rule);
	return w ? w->col[2] : NULL;
}

const char *checks_rule_advice(const struct rules *rs, const char *rule)
{
	const struct row *w = rule_row(rs, rule);
	return w && w->ncol >= 4 ? w->col[3] : NULL;
}

/* Whether a record starts something of its own: no task's lines run past it. */
static int is_boundary(const struct chk_rec *r)
{
	return r->kind == CK_HEADING || r->kind == CK_ITEM || r->kind == CK_ROW ||
	       r->kind == CK_TAIL || r->kind == CK_HEAD;
}

static long newlines(const char *s)
{
	long n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static const struct checks *sort_ctx; /* qsort has no context argument */

static int rec_by_line(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long lx = sort_ctx->r[x].line, ly = sort_ctx->r[y].line;
	return lx != ly ? (lx > ly) - (lx < ly) : (x > y) - (x < y);
}

static int task_by_line(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long lx = sort_ctx->t[x].line, ly = sort_ctx->t[y].line;
	return lx != ly ? (lx > ly) - (lx < ly) : (x > y) - (x < y);
}

/* The first position in by_line whose record's line is greater than line (after 1) or at least line. */
static size_t bound(const struct checks *C, long line, int after)
{
	size_t lo = 0, hi = C->nr;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		long l = C->r[C->by_line[mid]].line;
		if (after ? l <= line : l < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Orders records and tasks by line, and finds where each task's lines end:
 * at the last line of its content or of its deadline, or on over the lines
 * after it (its fields, its continuation) up to the next heading, item,
 * row or closing part, or the next task.
 */
static void checks_index(struct checks *C)
{
	if (C->by_line && C->indexed_r == C->nr && C->indexed_t == C->nt)
		return;
	sort_ctx = C;
	C->by_line = nm_xrealloc(C->by_line, (C->nr ? C->nr : 1) * sizeof *C->by_line);
	for (size_t i = 0; i < C->nr; i++)
		C->by_line[i] = i;
	qsort(C->by_line, C->nr, sizeof *C->by_line, rec_by_line);
	C->task_by_line = nm_xrealloc(C->task_by_line,
				      (C->nt ? C->nt : 1) * sizeof *C->task_by_line);
	for (size_t i = 0; i < C->nt; i++)
		C->task_by_line[i] = i;
	qsort(C->task_by_line, C->nt, sizeof *C->task_by_line, task_by_line);
	/* The line of the first boundary at or after each position of by_line. */
	long *next = nm_xmalloc((C->nr + 1) * sizeof *next);
	next[C->nr] = -1;
	for (size_t k = C->nr; k-- > 0;) {
		const struct chk_rec *r = &C->r[C->by_line[k]];
		next[k] = is_boundary(r) ? r->line : next[k + 1];
	}
	C->task_end = nm_xrealloc(C->task_end, (C->nt ? C->nt : 1) * sizeof *C->task_end);
	for (size_t k = 0; k < C->nt; k++) {
		const struct chk_task *t = &C->t[C->task_by_line[k]];
		long end = t->line + newlines(t->content), stop = next[bound(C, t->line, 1)];
		if (t->deadline_line > end)
			end = t->deadline_line;
		for (size_t j = k + 1; j < C->nt; j++)
			if (C->t[C->task_by_line[j]].line > t->line) {
				long l = C->t[C->task_by_line[j]].line;
				stop = stop < 0 || l < stop ? l : stop;
				break;
			}
		if (stop < 0)
			end = LONG_MAX;
		else if (stop - 1 > end)
			end = stop - 1;
		C->task_end[C->task_by_line[k]] = end;
	}
	free(next);
	C->indexed_r = C->nr;
	C->indexed_t = C->nt;
}

size_t checks_line_range(struct checks *C, long line, size_t *end)
{
	checks_index(C);
	*end = bound(C, line, 1);
	return bound(C, line, 0);
}

const struct chk_rec *checks_rec_at(struct checks *C, long line)
{
	size_t end, k = checks_line_range(C, line, &end);
	for (; k < end; k++)
		if (C->r[C->by_line[k]].kind != CK_INLINE)
			return &C->r[C->by_line[k]];
	return NULL;
}

/* The task with the greatest first line not after line whose lines hold it
 * (several on that line: the first); tasks further back are tried a few. */
long checks_task_at(struct checks *C, long line)
{
	if (line <= 0 || C->nt == 0)
		return 0;
	checks_index(C);
	size_t lo = 0, hi = C->nt;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (C->t[C->task_by_line[mid]].line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo, tries = 0; k-- > 0 && tries < 32; tries++) {
		size_t i = C->task_by_line[k];
		while (k > 0 && C->t[C->task_by_line[k - 1]].line == C->t[i].line)
			i = C->task_by_line[--k]; /* the first of its line */
		if (line <= C->task_end[i])
			return C->t[i].seq;
	}
	return 0;
}

static void check_encoding(struct checks *C)
{
	if (C->invalid)
		checks_add_finding(C, 0, "警告", "encoding.invalid_bytes", NULL, 0, 0,
				   "有%zu处字节无法按源编码解码，已替换为“\xEF\xBF\xBD”，"
				   "请对照原件核对这些位置的文字",
				   C->invalid);
	if (C->dropped)
		checks_add_finding(C, 0, "警告", "encoding.invalid_bytes", NULL, 0, 0,
				   "删除了%zu个控制字符（如NUL），请对照原件核对文字是否完整",
				   C->dropped);
}

void checks_run(struct checks *C, int complete)
{
	checks_issue_date(C);
	checks_dates(C);
	checks_docnos(C);
	checks_numbering(C);
	checks_counts(C);
	checks_header(C, complete);
	checks_tasks(C, complete);
	check_encoding(C);
	if (C->rs->limit_hits) { /* patterns stopped by PCRE2's limits read as not matching */
		checks_add_finding(
			C, 0, "警告", "rules.match_limit", NULL, 0, 0,
			"validate 阶段有%zu处匹配超出 PCRE2 的回溯或深度限制（首个为 %s 的规则），"
			"这些文字按未匹配处理，请人工核对",
			C->rs->limit_hits, C->rs->limit_rule);
		C->rs->limit_hits = 0;
	}
}

/* Sorts by line, keeping the order of findings on one line (insertion sort: stable). */
static void sort_findings(struct checks *C)
{
	for (size_t i = 1; i < C->nf; i++)
		for (size_t j = i; j > 0 && C->f[j - 1].line > C->f[j].line; j--) {
			struct chk_finding t = C->f[j];
			C->f[j] = C->f[j - 1];
			C->f[j - 1] = t;
		}
}

void checks_write(struct checks *C, FILE *out, int complete)
{
	checks_run(C, complete);
	if (C->issue_whole) {
		char iso[16];
		snprintf(iso, sizeof iso, "%04d-%02d-%02d", C->issue.y, C->issue.m, C->issue.d);
		rec_put(out, "meta", "issue_date", iso, NULL);
	}
	sort_findings(C);
	for (size_t i = 0; i < C->nf; i++) {
		struct chk_finding *f = &C->f[i];
		const char *name = checks_rule_name(C->rs, f->rule);
		const char *advice = checks_rule_advice(C->rs, f->rule);
		if (f->seq == 0)
			f->seq = checks_task_at(C, f->line);
		rec_put_finding(out, &(struct rec_finding){f->line, f->level, f->rule, f->message,
							   f->text, f->seq,
							   *f->name ? f->name
							   : name   ? name
								    : "",
							   *f->advice ? f->advice
							   : advice   ? advice
								      : ""});
	}
	checks_reset(C);
}
