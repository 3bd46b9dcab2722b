/*
 * words.c - the word lists of *.words tables: every word of a kind
 * compiled into one alternation, longest first, on first use.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "stream/err.h"

struct words {
	char *kind;
	pcre2_code *re;     /* (?:w1|w2|...), longest first; NULL when the kind has no word */
	struct strmap set;  /* word -> 1 */
	const char **list;  /* the words, longest first */
	size_t n;
};

static int longer_first(const void *a, const void *b)
{
	size_t x = strlen(*(const char *const *)a), y = strlen(*(const char *const *)b);
	return (x < y) - (x > y);
}

static void quote(struct buf *out, const char *w)
{
	for (; *w; w++) {
		if (strchr("\\^$.|?*+()[]{}", *w))
			buf_addc(out, '\\');
		buf_addc(out, *w);
	}
}

static struct words *compile_kind(struct rules *rs, const char *kind)
{
	rs->words = nm_xrealloc(rs->words, (rs->nwords + 1) * sizeof *rs->words);
	struct words *w = &rs->words[rs->nwords++];
	memset(w, 0, sizeof *w);
	w->kind = nm_xstrdup(kind);
	for (size_t i = 0; i < rs->nrows[T_WORDS]; i++) {
		const struct row *r = &rs->rows[T_WORDS][i];
		if (strcmp(r->col[0], kind) != 0 || !*r->col[1] ||
		    strmap_get(&w->set, r->col[1], strlen(r->col[1])) != STRMAP_NONE)
			continue;
		strmap_put(&w->set, r->col[1], strlen(r->col[1]), 1);
		w->list = nm_xrealloc(w->list, (w->n + 1) * sizeof *w->list);
		w->list[w->n++] = r->col[1];
	}
	if (w->n == 0)
		return w;
	qsort(w->list, w->n, sizeof *w->list, longer_first);
	struct buf pat = BUF_INIT;
	buf_adds(&pat, "(?:");
	for (size_t i = 0; i < w->n; i++) {
		if (i)
			buf_addc(&pat, '|');
		quote(&pat, w->list[i]);
	}
	buf_adds(&pat, ")");
	int code;
	PCRE2_SIZE off;
	w->re = pcre2_compile((PCRE2_SPTR)pat.s, pat.len, PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (w->re && !getenv("NM_NO_JIT"))
		pcre2_jit_compile(w->re, PCRE2_JIT_COMPLETE);
	buf_free(&pat);
	return w;
}

static struct words *words_of(struct rules *rs, const char *kind)
{
	for (size_t i = 0; i < rs->nwords; i++)
		if (strcmp(rs->words[i].kind, kind) == 0)
			return &rs->words[i];
	return compile_kind(rs, kind);
}

int rules_words_scan(struct rules *rs, const char *kind, const char *s, size_t n, size_t start,
		     int anchored, size_t *a, size_t *b)
{
	struct words *w = words_of(rs, kind);
	if (!w->re || start > n)
		return 0;
	int rc = pcre2_match(w->re, (PCRE2_SPTR)s, n, start,
			     PCRE2_NO_UTF_CHECK | (anchored ? PCRE2_ANCHORED : 0), rs->md, rs->mctx);
	if (rc <= 0)
		return 0;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rs->md);
	*a = ov[0];
	*b = ov[1];
	return *b > *a;
}

int rules_words_before(struct rules *rs, const char *kind, const char *s, size_t end, size_t *a)
{
	struct words *w = words_of(rs, kind);
	for (size_t i = 0; i < w->n; i++) { /* longest first */
		size_t len = strlen(w->list[i]);
		if (len <= end && memcmp(s + end - len, w->list[i], len) == 0) {
			*a = end - len;
			return 1;
		}
	}
	return 0;
}

int rules_words_is(struct rules *rs, const char *kind, const char *s, size_t n)
{
	struct words *w = words_of(rs, kind);
	return n > 0 && strmap_get(&w->set, s, n) != STRMAP_NONE;
}

size_t rules_words_count(struct rules *rs, const char *kind)
{
	return words_of(rs, kind)->n;
}

void rules_words_free(struct rules *rs)
{
	for (size_t i = 0; i < rs->nwords; i++) {
		free(rs->words[i].kind);
		pcre2_code_free(rs->words[i].re);
		strmap_free(&rs->words[i].set);
		free(rs->words[i].list);
	}
	free(rs->words);
	rs->words = NULL;
	rs->nwords = 0;
}

void rules_words_reset(struct rules *rs) { rules_words_free(rs); }
