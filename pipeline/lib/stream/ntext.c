/* ntext.c - written and normalised forms of a text, and the map between them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "stream/ntext.h"
#include "stream/utf8.h"

/* The Han folds: a bit per code point below 0xA000 says "look it up". */
static uint8_t fold_bit[0xA000 / 8];
static uint32_t *fold_from, *fold_to;
static size_t fold_n;

static int by_from(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

void ntext_set_folds(const uint32_t *from, const uint32_t *to, size_t n)
{
	memset(fold_bit, 0, sizeof fold_bit);
	free(fold_from);
	free(fold_to);
	fold_from = fold_to = NULL;
	fold_n = 0;
	if (!n)
		return;
	/* sorted pairs: from in [2k], to in [2k+1] */
	uint32_t *pair = nm_xmalloc(2 * n * sizeof *pair);
	for (size_t i = 0; i < n; i++)
		pair[2 * i] = from[i], pair[2 * i + 1] = to[i];
	qsort(pair, n, 2 * sizeof *pair, by_from);
	fold_from = nm_xmalloc(n * sizeof *fold_from);
	fold_to = nm_xmalloc(n * sizeof *fold_to);
	for (size_t i = 0; i < n; i++) {
		if (pair[2 * i] >= 0xA000 || pair[2 * i + 1] >= 0xA000 ||
		    (fold_n && fold_from[fold_n - 1] == pair[2 * i]))
			continue; /* out of the block, or said twice: the first stays */
		fold_from[fold_n] = pair[2 * i], fold_to[fold_n++] = pair[2 * i + 1];
		fold_bit[pair[2 * i] >> 3] |= (uint8_t)(1u << (pair[2 * i] & 7));
	}
	free(pair);
}

/* The character a Han character c is matched as (c itself when none). */
static uint32_t han_fold(uint32_t c)
{
	if (c >= 0xA000 || !(fold_bit[c >> 3] & (1u << (c & 7))))
		return c;
	size_t lo = 0, hi = fold_n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (fold_from[mid] < c)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < fold_n && fold_from[lo] == c ? fold_to[lo] : c;
}

unsigned long ntext_fold(unsigned long c)
{
	if (c == ' ' || c == '\t' || c == '\f' || c == '\v' || c == 0xA0 || c == 0x3000 ||
	    (c >= 0x2000 && c <= 0x200A) || c == 0x202F || c == 0x205F)
		return ' ';
	if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0xFEFF || c == 0x200B ||
	    c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xAD)
		return 0;
	if (c >= 0xFF01 && c <= 0xFF5E)
		return c - 0xFEE0;
	if (c == 0x2502 || c == 0x2503 || c == 0x2551)
		return '|'; /* a box-drawing frame's upright: a bar between cells */
	return c;
}

/* From here on, norm byte n stands for orig byte o (and so on byte for byte). */
static void point(struct ntext *t, size_t n, size_t o)
{
	if (t->npt && t->pt[t->npt - 1].norm == n) {
		t->pt[t->npt - 1].orig = (uint32_t)o;
		return;
	}
	if (t->npt == t->ptcap) {
		t->ptcap = t->ptcap ? 2 * t->ptcap : 16;
		t->pt = nm_xrealloc(t->pt, t->ptcap * sizeof *t->pt);
	}
	t->pt[t->npt++] = (struct ntext_point){(uint32_t)n, (uint32_t)o};
}

/* Whether the character at s (len bytes) stays as it is: most do. */
static int stays(const unsigned char *s, size_t len)
{
	if (len == 1)
		return s[0] >= 0x20 && s[0] != 0x7F;
	if (len == 3 && s[0] != 0xE2 && s[0] != 0xE3 && s[0] != 0xEF)
		return 1; /* CJK and most else; the folds live under E2, E3 and EF */
	return 0;
}

void ntext_add(struct ntext *t, const char *s, size_t n)
{
	size_t base = t->orig.len;
	if (base > UINT32_MAX - n)
		nm_die(NM_EINPUT, "a text over 4 GB");
	buf_add(&t->orig, s, n);
	buf_grow(&t->norm, n);
	if (t->npt == 0 || t->norm.len - t->pt[t->npt - 1].norm != base - t->pt[t->npt - 1].orig)
		point(t, t->norm.len, base);
	uint32_t c;
	for (size_t i = 0; i < n;) {
		const unsigned char *u = (const unsigned char *)s + i;
		size_t len = u[0] < 0x80    ? 1
			     : u[0] >= 0xF0 ? 4
			     : u[0] >= 0xE0 ? 3
			     : u[0] >= 0xC0 ? 2
					    : 1;
		if (i + len <= n && stays(u, len) &&
		    (len == 1 || utf8_decode(s + i, len, &c) == len)) {
			if (len == 3 && fold_n && (c = han_fold(c)) >= 0x800) {
				/* a folded character keeps its three bytes: offsets hold */
				char enc[4];
				utf8_encode(c, enc);
				memcpy(t->norm.s + t->norm.len, enc, 3);
			} else {
				memcpy(t->norm.s + t->norm.len, s + i, len);
			}
			t->norm.len += len;
			i += len;
			continue;
		}
		len = utf8_decode(s + i, n - i, &c);
		if (len == 0) { /* not UTF-8: kept as the replacement character */
			buf_adds(&t->norm, UTF8_REPLACEMENT);
			i++;
			point(t, t->norm.len, base + i);
			continue;
		}
		unsigned long f = ntext_fold(c);
		if (f == c) {
			memcpy(t->norm.s + t->norm.len, s + i, len);
			t->norm.len += len;
		} else {
			if (f) {
				char enc[4];
				size_t k = utf8_encode((uint32_t)f, enc);
				buf_add(&t->norm, enc, k);
			}
			point(t, t->norm.len, base + i + len);
		}
		i += len;
	}
	t->norm.s[t->norm.len] = '\0';
	if (!t->norm.s)
		buf_grow(&t->norm, 0);
}

void ntext_set(struct ntext *t, const char *s, size_t n)
{
	buf_reset(&t->orig);
	buf_reset(&t->norm);
	t->npt = 0;
	ntext_add(t, s, n);
}

void ntext_free(struct ntext *t)
{
	buf_free(&t->orig);
	buf_free(&t->norm);
	free(t->pt);
	memset(t, 0, sizeof *t);
}

/* The orig offset of norm offset a (the start of the character there). */
static size_t to_orig(const struct ntext *t, size_t a)
{
	size_t lo = 0, hi = t->npt;
	while (lo < hi) { /* the last point at or before a */
		size_t mid = lo + (hi - lo) / 2;
		if (t->pt[mid].norm <= a)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return a;
	const struct ntext_point *p = &t->pt[lo - 1];
	size_t o = p->orig + (a - p->norm);
	return o <= t->orig.len ? o : t->orig.len;
}

void ntext_span(const struct ntext *t, size_t a, size_t b, size_t *oa, size_t *ob)
{
	if (b > t->norm.len)
		b = t->norm.len;
	if (a > b)
		a = b;
	*oa = to_orig(t, a);
	/* The end: where the character after the span starts (or the text's end). */
	*ob = b == t->norm.len ? t->orig.len : to_orig(t, b);
	if (*ob < *oa)
		*ob = *oa;
}

void ntext_orig(const struct ntext *t, size_t a, size_t b, struct buf *out)
{
	size_t oa, ob;
	ntext_span(t, a, b, &oa, &ob);
	buf_add(out, t->orig.s ? t->orig.s + oa : "", ob - oa);
}

char *ntext_dup(const struct ntext *t, size_t a, size_t b)
{
	struct buf out = BUF_INIT;
	ntext_orig(t, a, b, &out);
	return out.s ? out.s : nm_xstrdup("");
}
