/*
 * checks_counts.c - a stated count (三大工程, 四项行动, 重点抓好三项工作)
 * against the items it introduces.
 *
 * A count introduces, whichever the notice writes: a list in brackets
 * right after it (三大攻坚战（A、B、C）); after a colon, the 一是/二是 items
 * of the same text, or else a 、 list up to the end of the clause, or, when
 * the colon ends the text, the items that follow (the next level's
 * headings, —— items or 一是 items, whichever comes first); at the end of a
 * heading's label, the items under the heading; or a 、 list right before
 * it (A、B、C三大工程). A count that introduces nothing is a name (一网通办,
 * 两不愁三保障, 三公经费), and so is every term of rules/checks.words,
 * kind count.idiom: those are never checked.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "notice/cn.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* Items of a list before a count are short: 生态修复, not a clause. */
#define MAX_ITEM_CHARS 10
/* A heading's label ending with a count introduces the items under it when
 * its noun is short (实施三大工程), not a clause (围绕三大产业开展精准招商). */
#define MAX_HEADING_NOUN 6
/* The items a count introduces are looked for this many records on. */
#define MAX_FOLLOWING 400
/* A count's noun: this many characters at most. */
#define MAX_NOUN_CHARS 10

/* What a count introduces, and how many of them there are. */
struct intro {
	int items;
	int open;        /* the list ends in 等: it may name fewer */
	int joined;      /* its last item holds 和/及/与: it may hold two */
	const char *how; /* 其后所列, 之前所列, 括注所列 */
	struct buf what; /* the items, shortly: the list, or the markers */
};

static int is_han(uint32_t c) { return c >= 0x4E00 && c <= 0x9FFF; }

/* The end of the noun after a count's classifier: Han characters. */
static size_t noun_end(const char *s, size_t n, size_t at)
{
	uint32_t c;
	size_t len;
	for (int k = 0; k < MAX_NOUN_CHARS && at < n && (len = utf8_decode(s + at, n - at, &c)) &&
			is_han(c) && c != 0x7684 /* 的 */;
	     k++)
		at += len;
	return at;
}

/* The end of a count phrase whose classifier ends at b: its noun, and for a
 * quoted count the noun after the quote (“四个一”工作机制). */
static size_t phrase_end(const char *s, size_t n, size_t b, int quoted)
{
	size_t ne = noun_end(s, n, b);
	if (ne < n && quoted && str_starts(s + ne, "”"))
		ne = noun_end(s, n, ne + strlen("”"));
	return ne;
}

/* The start of the clause holding byte at: after the last clause mark. */
static size_t clause_before(struct checks *C, const char *s, size_t at)
{
	struct match m;
	size_t from = 0;
	for (size_t k = 0; k < at && rules_scan(C->rs, "count.clause_start", s, at, k, &m) > 0;) {
		size_t a = match_start(&m), b = match_end(&m);
		from = b;
		k = checks_past(s, at, a, b);
	}
	return from;
}

/* The end of the clause from at: the next , ; 。 or the text's end. */
static size_t clause_after(const char *s, size_t n, size_t at)
{
	int depth = 0;
	for (; at < n; at++) {
		if (s[at] == '(')
			depth++;
		else if (s[at] == ')' && depth > 0)
			depth--;
		else if (depth == 0 && (s[at] == ',' || s[at] == ';' || str_starts(s + at, "。")))
			break;
	}
	return at;
}

/* The list [a, b) of t's normalised text as an introduction; 0 when it is none. */
static int list_intro(const struct ntext *t, size_t a, size_t b, int before, struct intro *in)
{
	const char *s = buf_str(&t->norm);
	const size_t dun = strlen("、");
	size_t longest;
	while (b > a && s[b - 1] == ' ')
		b--;
	int items = checks_list_items(s + a, b - a, &longest);
	if (items < 2 || (before && longest > MAX_ITEM_CHARS))
		return 0;
	in->items = items;
	size_t last = b; /* the last item */
	while (last >= a + dun && !str_starts(s + last - dun, "、"))
		last--;
	char *tail = nm_xstrndup(s + last, b - last);
	in->open = str_ends(tail, "等") || str_ends(tail, "等等");
	in->joined = strstr(tail, "和") || strstr(tail, "及") || strstr(tail, "与");
	free(tail);
	ntext_orig(t, a, b, &in->what); /* as written */
	return 1;
}

/* The level of the heading that holds record i (a heading's own), or 0. */
static int level_at(const struct checks *C, size_t i)
{
	for (size_t k = i + 1; k-- > 0 && i - k <= MAX_FOLLOWING;)
		if (C->r[k].kind == CK_HEADING && C->r[k].level > 0)
			return C->r[k].level;
	return 0;
}

/* Names item q in the list of what a count introduced: its marker and the start of its label. */
static void add_marker(struct buf *what, const struct chk_rec *q)
{
	if (what->len)
		buf_adds(what, "、");
	const char *s = buf_str(&q->t.orig);
	size_t n = q->t.orig.len, from = 0, k = 0;
	while (from < n && (s[from] == ' ' || s[from] == '\t'))
		from++;
	while (str_starts(s + from, "　"))
		from += strlen("　");
	uint32_t c;
	for (int chars = 0; chars < 8 && from + k < n; chars++) {
		size_t len = utf8_decode(s + from + k, n - from - k, &c);
		if (!len || c == 0x3002 || c == 0xFF0C || c == ',' || c == 0xFF1B || c == ';')
			break;
		k += len;
	}
	buf_add(what, s + from, k);
}

/* The number of a paragraph that is an item of a list one to a line (二是…), or 0. */
static long para_item(struct checks *C, const struct chk_rec *q)
{
	struct match m;
	size_t len;
	const char *s = buf_str(&q->t.norm);
	if (rules_match(C->rs, "count.item", s, q->t.norm.len, &m) <= 0)
		return 0;
	const char *n = match_group(&m, "n", &len);
	return n ? cn_number(n, len) : 0;
}

/* Whether paragraph q is a line of fields after an item (牵头单位：…). */
static int field_line(struct checks *C, const struct chk_rec *q)
{
	struct match m;
	return rules_match(C->rs, "count.field_line", buf_str(&q->t.norm), q->t.norm.len, &m) > 0;
}

/*
 * The items after record i that a count ending its text introduces: the
 * headings of the next level under it, its —— items, or its 一是 items on
 * the lines after it, whichever comes first.
 */
static int following(struct checks *C, size_t i, struct intro *in)
{
	int base = level_at(C, i), child = 0;
	enum chk_kind kind = CK_PARA;
	int count = 0;
	long num = 0;
	for (size_t k = i + 1; k < C->nr && k - i <= MAX_FOLLOWING; k++) {
		const struct chk_rec *q = &C->r[k];
		if (q->kind == CK_HEAD || q->kind == CK_TAIL || q->kind == CK_ROW)
			break;
		if (q->kind == CK_HEADING) {
			if (q->level <= base || q->level == 0 ||
			    (kind != CK_PARA && kind != CK_HEADING))
				break;
			if (kind == CK_PARA)
				kind = CK_HEADING, child = q->level;
			if (q->level == child)
				count++, add_marker(&in->what, q);
		} else if (q->kind == CK_ITEM) {
			if (kind == CK_PARA)
				kind = CK_ITEM;
			if (kind == CK_ITEM)
				count++, add_marker(&in->what, q);
		} else if (q->kind == CK_PARA && count > 0 && kind != CK_HEADING &&
			   para_item(C, q) == 0 && !field_line(C, q)) {
			break; /* a paragraph of its own ends a run of —— or 一是 items */
		} else if (q->kind == CK_INLINE ||
			   (q->kind == CK_PARA && (num = para_item(C, q)) > 0)) {
			if (kind == CK_PARA)
				kind = CK_INLINE;
			if (kind != CK_INLINE)
				continue;
			if ((q->kind == CK_INLINE ? q->num : num) != count + 1)
				break;
			count++, add_marker(&in->what, q);
		}
	}
	if (count == 0)
		return 0;
	in->items = count;
	in->how = "其后所列";
	return 1;
}

/* The 一是/二是 items of record i's own line written after byte at of its text: their run from 一. */
static int inline_after(const struct checks *C, size_t i, size_t at, struct intro *in)
{
	const struct chk_rec *r = &C->r[i];
	const char *s = buf_str(&r->t.norm);
	size_t pos = at;
	int count = 0;
	for (size_t k = i + 1; k < C->nr && C->r[k].line == r->line; k++) {
		const struct chk_rec *q = &C->r[k];
		if (q->kind != CK_INLINE)
			break;
		const char *found = strstr(s + pos, buf_str(&q->t.norm));
		if (!found || q->t.norm.len == 0)
			continue; /* not in this text, or before the count */
		pos = (size_t)(found - s) + q->t.norm.len;
		if (q->num != count + 1)
			break;
		count++, add_marker(&in->what, q);
	}
	if (count == 0)
		return 0;
	in->items = count;
	in->how = "其后所列";
	return 1;
}

/* What the count at [a, b) of record i introduces: 1 with in filled, 0 for nothing. */
static int introduced(struct checks *C, size_t i, size_t a, size_t b, int quoted, struct intro *in)
{
	const struct chk_rec *r = &C->r[i];
	const char *s = buf_str(&r->t.norm);
	size_t n = r->t.norm.len, ne = phrase_end(s, n, b, quoted);
	if (ne < n && s[ne] == '(') { /* 三大攻坚战(A、B、C) */
		size_t close = ne + 1;
		int depth = 1;
		for (; close < n && depth > 0; close++)
			depth += s[close] == '(' ? 1 : s[close] == ')' ? -1 : 0;
		if (depth == 0 && list_intro(&r->t, ne + 1, close - 1, 0, in)) {
			in->how = "括注所列";
			return 1;
		}
		return 0;
	}
	if (ne < n && s[ne] == ':') {
		size_t after = ne + 1;
		while (after < n && s[after] == ' ')
			after++;
		if (after >= n)
			return following(C, i, in);
		if (inline_after(C, i, after, in))
			return 1;
		if (list_intro(&r->t, after, clause_after(s, n, after), 0, in)) {
			in->how = "其后所列";
			return 1;
		}
		return 0;
	}
	/* A heading's label that ends with the count and a short noun: the items under it. */
	if (r->kind == CK_HEADING && !quoted && ne >= r->label &&
	    (ne == n || str_starts(s + ne, "。")) && utf8_chars(s + b, ne - b) <= MAX_HEADING_NOUN)
		return following(C, i, in);
	/* A short list right before: A、B、C三大工程 (a count after 、 is itself an item). */
	if (!(a >= strlen("、") && str_starts(s + a - strlen("、"), "、")) &&
	    list_intro(&r->t, clause_before(C, s, a), a, 1, in)) {
		in->how = "之前所列";
		return 1;
	}
	return 0;
}

/* Idioms in record r's text: their spans, as [a0, b0, a1, b1, ...]. */
static size_t idioms(struct checks *C, const struct chk_rec *r, size_t **spans)
{
	const char *s = buf_str(&r->t.norm);
	size_t n = r->t.norm.len, count = 0, a, b;
	*spans = NULL;
	for (size_t at = 0;
	     at < n && rules_words_scan(C->rs, "count.idiom", s, n, at, 0, &a, &b);) {
		*spans = nm_xrealloc(*spans, (count + 1) * 2 * sizeof **spans);
		(*spans)[2 * count] = a;
		(*spans)[2 * count + 1] = b;
		count++;
		at = checks_past(s, n, a, b);
	}
	return count;
}

static void check_count(struct checks *C, size_t i, size_t a, size_t b, long want, int quoted)
{
	const struct chk_rec *r = &C->r[i];
	struct intro in = {0, 0, 0, "", BUF_INIT};
	if (introduced(C, i, a, b, quoted, &in) && in.items != want &&
	    !(in.open && in.items < want) && !(in.joined && in.items + 1 == want)) {
		const char *s = buf_str(&r->t.norm);
		size_t n = r->t.norm.len, ne = phrase_end(s, n, b, quoted);
		char *phrase = ntext_dup(&r->t, a, ne);
		if (utf8_chars(buf_str(&in.what), in.what.len) > 40) {
			size_t k = 0;
			uint32_t c;
			for (int chars = 0; chars < 38; chars++)
				k += utf8_decode(in.what.s + k, in.what.len - k, &c);
			in.what.len = k;
			buf_adds(&in.what, "…");
		}
		int q = strstr(phrase, "“") != NULL; /* “四个一”工作机制 is quoted already */
		checks_add_finding(
			C, r->line, "警告", "count.mismatch", &r->t, a, ne,
			"第%ld行%s%s%s写明%ld项，%s的%s%d项（%s），请核对是否%s或数量写错", r->line,
			q ? "" : "“", phrase, q ? "" : "”", want, in.how,
			in.items < want ? "只有" : "却有", in.items, buf_str(&in.what),
			in.items < want ? "漏列" : "多列");
		free(phrase);
	}
	buf_free(&in.what);
}

/* A count phrase found in a text, checked once the scan is over. */
struct count {
	size_t a, b;
	long want;
	int quoted;
};

/* A stated total of tasks: 共12项重点任务. */
static void check_total(struct checks *C)
{
	struct match m;
	size_t len;
	for (size_t i = 0; i < C->nr; i++) {
		const struct chk_rec *r = &C->r[i];
		if (r->kind == CK_INLINE)
			continue;
		const char *s = buf_str(&r->t.norm);
		if (rules_scan(C->rs, "count.total", s, r->t.norm.len, 0, &m) <= 0)
			continue;
		const char *num = match_group(&m, "n", &len);
		long want = cn_number(num, len);
		if (want > 0 && C->nt > 0 && want != (long)C->nt)
			checks_add_finding(
				C, r->line, "警告", "count.mismatch", &r->t, match_start(&m),
				match_end(&m),
				"第%ld行写明共%ld项任务，实际识别出%zu项，请核对是否漏项或总数有误",
				r->line, want, C->nt);
		return; /* the first stated total only */
	}
}

void checks_counts(struct checks *C)
{
	struct match m;
	size_t len;
	for (size_t i = 0; i < C->nr; i++) {
		const struct chk_rec *r = &C->r[i];
		if (r->kind == CK_INLINE || r->kind == CK_HEAD || r->kind == CK_TAIL)
			continue;
		const char *s = buf_str(&r->t.norm);
		size_t n = r->t.norm.len, *spans = NULL;
		size_t nspans = idioms(C, r, &spans);
		struct count found[32];
		size_t nfound = 0;
		/* The matches first: checking one runs other patterns. */
		for (size_t at = 0;
		     at < n && rules_scan(C->rs, "count.phrase", s, n, at, &m) > 0;) {
			size_t a = match_start(&m), b = match_end(&m);
			at = checks_past(s, n, a, b);
			const char *num = match_group(&m, "n", &len);
			long want = num ? cn_number(num, len) : -1;
			int quoted = match_group(&m, "quote", &len) != NULL;
			int idiom = 0;
			for (size_t k = 0; k < nspans; k++)
				idiom |= spans[2 * k] < b && a < spans[2 * k + 1];
			if (want >= 2 && want <= 30 && !idiom &&
			    nfound < sizeof found / sizeof *found)
				found[nfound++] = (struct count){a, b, want, quoted};
		}
		free(spans);
		for (size_t k = 0; k < nfound; k++)
			check_count(C, i, found[k].a, found[k].b, found[k].want, found[k].quoted);
	}
	check_total(C);
}
