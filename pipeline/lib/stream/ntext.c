/* ntext.c - written and normalised forms of a text, and the map between them. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "stream/ntext.h"
#include "stream/utf8.h"

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
	return c;
}

static void map_push(struct ntext *t, size_t orig_off)
{
	if (t->norm.len + 1 >= t->mapcap) {
		t->mapcap = t->mapcap ? 2 * t->mapcap : 64;
		while (t->mapcap <= t->norm.len + 1)
			t->mapcap *= 2;
		t->map = nm_xrealloc(t->map, t->mapcap * sizeof *t->map);
	}
	t->map[t->norm.len] = orig_off;
}

void ntext_add(struct ntext *t, const char *s, size_t n)
{
	size_t base = t->orig.len;
	buf_add(&t->orig, s, n);
	buf_grow(&t->norm, n);
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (len == 0) { /* not UTF-8: kept as the replacement character */
			for (const char *r = UTF8_REPLACEMENT; *r; r++) {
				map_push(t, base + i);
				buf_addc(&t->norm, *r);
			}
			i++;
			continue;
		}
		unsigned long f = ntext_fold(c);
		if (f) {
			char enc[4];
			size_t k = utf8_encode((uint32_t)f, enc);
			for (size_t j = 0; j < k; j++) {
				map_push(t, base + i);
				buf_addc(&t->norm, enc[j]);
			}
		}
		i += len;
	}
	map_push(t, t->orig.len);
	if (!t->norm.s)
		buf_grow(&t->norm, 0);
}

void ntext_set(struct ntext *t, const char *s, size_t n)
{
	buf_reset(&t->orig);
	buf_reset(&t->norm);
	ntext_add(t, s, n);
}

void ntext_free(struct ntext *t)
{
	buf_free(&t->orig);
	buf_free(&t->norm);
	free(t->map);
	memset(t, 0, sizeof *t);
}

void ntext_span(const struct ntext *t, size_t a, size_t b, size_t *oa, size_t *ob)
{
	if (!t->map) {
		*oa = *ob = 0;
		return;
	}
	if (b > t->norm.len)
		b = t->norm.len;
	if (a > b)
		a = b;
	*oa = t->map[a];
	/* The end: the start of the character after the span, or the text's end. */
	*ob = t->map[b];
	/* A span ending at a dropped character (a zero-width mark) keeps it out. */
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
