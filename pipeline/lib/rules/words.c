/*
 * words.c - the word lists of *.words tables: every word of a kind
 * compiled into one alternation, longest first, on first use.
 */
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "stream/err.h"
#include "stream/utf8.h"

struct words {
	char *kind;
	uint32_t *first;   /* the first characters of the words: a set, open addressing */
	size_t nfirst;     /* slots, a power of two */
	pcre2_code *re;    /* (?:w1|w2|...), longest first, anchored; NULL: the kind has none */
	struct strmap set; /* word -> 1 */
	const char **list; /* the words, longest first */
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

/*
 * Whether a row of kind row belongs to the kind asked for: the same name;
 * "role.*", every kind it begins; "a|b", either.
 */
static int kind_has(const char *asked, const char *row)
{
	for (const char *p = asked; *p;) {
		size_t n = strcspn(p, "|");
		if (n && p[n - 1] == '*' ? strncmp(row, p, n - 1) == 0
					 : strlen(row) == n && strncmp(row, p, n) == 0)
			return 1;
		p += n + (p[n] == '|');
	}
	return 0;
}

static struct words *compile_kind(struct rules *rs, const char *kind)
{
	rs->words = nm_xrealloc(rs->words, (rs->nwords + 1) * sizeof *rs->words);
	struct words *w = &rs->words[rs->nwords++];
	memset(w, 0, sizeof *w);
	w->kind = nm_xstrdup(kind);
	for (size_t i = 0; i < rs->nrows[T_WORDS]; i++) {
		const struct row *r = &rs->rows[T_WORDS][i];
		if (!kind_has(kind, r->col[0]) || !*r->col[1] ||
		    strmap_get(&w->set, r->col[1], strlen(r->col[1])) != STRMAP_NONE)
			continue;
		strmap_put(&w->set, r->col[1], strlen(r->col[1]), 1);
		w->list = nm_xrealloc(w->list, (w->n + 1) * sizeof *w->list);
		w->list[w->n++] = r->col[1];
	}
	if (w->n == 0)
		return w;
	qsort(w->list, w->n, sizeof *w->list, longer_first);
	w->nfirst = 16;
	while (w->nfirst < 4 * w->n)
		w->nfirst *= 2;
	w->first = calloc(w->nfirst, sizeof *w->first);
	if (!w->first)
		nm_die(NM_ENOMEM, "out of memory");
	for (size_t i = 0; i < w->n; i++) {
		uint32_t c;
		if (!utf8_decode(w->list[i], strlen(w->list[i]), &c) || c == 0)
			continue;
		size_t h = (c * 2654435761u) & (w->nfirst - 1);
		while (w->first[h] && w->first[h] != c)
			h = (h + 1) & (w->nfirst - 1);
		w->first[h] = c;
	}
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
	/* Anchored when compiled: JIT code does not take PCRE2_ANCHORED at match time. */
	w->re = pcre2_compile((PCRE2_SPTR)pat.s, pat.len, PCRE2_UTF | PCRE2_UCP | PCRE2_ANCHORED,
			      &code, &off, NULL);
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

static int first_char(const struct words *w, uint32_t c)
{
	size_t h = (c * 2654435761u) & (w->nfirst - 1);
	while (w->first[h]) {
		if (w->first[h] == c)
			return 1;
		h = (h + 1) & (w->nfirst - 1);
	}
	return 0;
}

/*
 * The words are tried only where a character one of them starts with
 * stands: a pass over the text's characters with a set lookup each, instead
 * of the alternation at every byte (PCRE2 cannot tell CJK first characters
 * apart by their first byte).
 */
int rules_words_scan(struct rules *rs, const char *kind, const char *s, size_t n, size_t start,
		     int anchored, size_t *a, size_t *b)
{
	struct words *w = words_of(rs, kind);
	if (!w->re || start > n)
		return 0;
	for (size_t i = start; i < n;) {
		uint32_t c;
		size_t len = utf8_decode(s + i, n - i, &c);
		if (!len)
			len = 1;
		else if (first_char(w, c)) {
			int rc = pcre2_match(w->re, (PCRE2_SPTR)s, n, i, PCRE2_NO_UTF_CHECK, rs->md,
					     rs->mctx);
			if (rc > 0) {
				PCRE2_SIZE *ov = pcre2_get_ovector_pointer(rs->md);
				*a = ov[0];
				*b = ov[1];
				return *b > *a;
			}
		}
		if (anchored)
			return 0;
		i += len;
	}
	return 0;
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

size_t rules_words_count(struct rules *rs, const char *kind) { return words_of(rs, kind)->n; }

void rules_words_free(struct rules *rs)
{
	for (size_t i = 0; i < rs->nwords; i++) {
		free(rs->words[i].kind);
		pcre2_code_free(rs->words[i].re);
		free(rs->words[i].first);
		strmap_free(&rs->words[i].set);
		free(rs->words[i].list);
	}
	free(rs->words);
	rs->words = NULL;
	rs->nwords = 0;
}

void rules_words_reset(struct rules *rs) { rules_words_free(rs); }
