/* match.c - matching the rules' patterns: one pattern, the patterns of a
 * name in order, and forward scans that stay linear. */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "stream/err.h"
#include "stream/rec.h"

#define NONE ((size_t)-1)

int rules_match_one(struct rules *rs, const struct rule *r, const char *s, size_t n, size_t start,
		    struct match *m)
{
	int rc = pcre2_match(r->re, (PCRE2_SPTR)s, n, start, PCRE2_NO_UTF_CHECK, rs->md, rs->mctx);
	if (rc == PCRE2_ERROR_NOMATCH)
		return 0;
	if (rc < 0) {
		if (rs->limit_hits++ == 0)
			rs->limit_rule = r->source;
		return rc;
	}
	*m = (struct match){r, s, pcre2_get_ovector_pointer(rs->md),
			    pcre2_get_ovector_count(rs->md)};
	return 1;
}

/*
 * Where each pattern of the scanned name matches next. A scan moves forward,
 * so a pattern whose next match lies ahead need not run again: each pattern
 * passes over the subject about once, and the scan stays linear however many
 * patterns share the name. A scan from offset 0 starts afresh.
 */
static void scan_reset(struct rules *rs, const char *name, const char *s, size_t n)
{
	if (rs->scan.cap < rs->n) {
		rs->scan.next = nm_xrealloc(rs->scan.next, rs->n * sizeof *rs->scan.next);
		rs->scan.known = nm_xrealloc(rs->scan.known, rs->n);
		rs->scan.cap = rs->n;
	}
	memset(rs->scan.known, 0, rs->n);
	rs->scan.name = name;
	rs->scan.s = s;
	rs->scan.n = n;
}

/* Links each pattern to the next of its name, and indexes the first of
 * each name, once after loading: linear in the number of patterns. */
static void index_names(struct rules *rs)
{
	rs->next_same = nm_xrealloc(rs->next_same, (rs->n ? rs->n : 1) * sizeof *rs->next_same);
	strmap_free(&rs->names);
	for (size_t i = rs->n; i-- > 0;) {
		const char *name = rs->v[i].name;
		rs->next_same[i] = strmap_get(&rs->names, name, strlen(name));
		strmap_put(&rs->names, name, strlen(name), i);
	}
	rs->indexed = rs->n;
}

/* The first pattern called name, or NONE. */
static size_t first_named(struct rules *rs, const char *name)
{
	if (rs->indexed != rs->n || !rs->next_same)
		index_names(rs);
	return strmap_get(&rs->names, name, strlen(name));
}

int rules_scan(struct rules *rs, const char *name, const char *s, size_t n, size_t start,
	       struct match *m)
{
	if (start == 0 || rs->scan.s != s || rs->scan.n != n || rs->scan.name != name)
		scan_reset(rs, name, s, n);
	const struct rule *best = NULL;
	size_t best_at = 0;
	for (size_t i = first_named(rs, name); i != NONE; i = rs->next_same[i]) {
		if (!rs->scan.known[i] || (rs->scan.next[i] != NONE && rs->scan.next[i] < start)) {
			int rc = rules_match_one(rs, &rs->v[i], s, n, start, m);
			if (rc < 0)
				return rc;
			rs->scan.next[i] = rc ? m->ov[0] : NONE;
			rs->scan.known[i] = 1;
		}
		if (rs->scan.next[i] != NONE && (!best || rs->scan.next[i] < best_at)) {
			best = &rs->v[i];
			best_at = rs->scan.next[i];
		}
	}
	if (!best)
		return 0;
	/* The shared match data may hold another pattern's result: redo the best. */
	return rules_match_one(rs, best, s, n, best_at, m);
}

int rules_match(struct rules *rs, const char *name, const char *s, size_t n, struct match *m)
{
	for (size_t i = first_named(rs, name); i != NONE; i = rs->next_same[i]) {
		int rc = rules_match_one(rs, &rs->v[i], s, n, 0, m);
		if (rc != 0)
			return rc;
	}
	return 0;
}

const char *match_group(const struct match *m, const char *group, size_t *len)
{
	int k = pcre2_substring_number_from_name(m->rule->re, (PCRE2_SPTR)group);
	if (k < 0 || (uint32_t)k >= m->n || m->ov[2 * k] == PCRE2_UNSET) {
		*len = 0;
		return NULL;
	}
	*len = m->ov[2 * k + 1] - m->ov[2 * k];
	return m->subject + m->ov[2 * k];
}

size_t match_start(const struct match *m) { return m->ov[0]; }
size_t match_end(const struct match *m) { return m->ov[1]; }

void rules_put_limit_finding(struct rules *rs, FILE *out, const char *stage)
{
	if (!rs->limit_hits)
		return;
	struct buf msg = BUF_INIT;
	buf_printf(&msg,
		   "%s 阶段有%zu处匹配超出 PCRE2 的回溯或深度限制(首个为 %s 的规则),"
		   "这些文字按未匹配处理,请人工核对",
		   stage, rs->limit_hits, rs->limit_rule);
	rec_put_finding(
		out, &(struct rec_finding){0, "警告", "rules.match_limit", msg.s, "", 0, "", ""});
	buf_free(&msg);
	rs->limit_hits = 0;
}

const char *rules_strerror(int code, char *buf, size_t n)
{
	pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, n);
	return buf;
}
