/* units.c - splitting unit and leader lists. */
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "notice/units.h"
#include "stream/utf8.h"

void strlist_add(struct strlist *l, const char *s, size_t n)
{
	l->v = nm_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = nm_xstrndup(s, n);
}

int strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return 1;
	return 0;
}

void strlist_add_unique(struct strlist *l, const char *s)
{
	if (!strlist_has(l, s))
		strlist_add(l, s, strlen(s));
}

char *strlist_join(const struct strlist *l, const char *sep)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < l->n; i++) {
		if (i)
			buf_adds(&b, sep);
		buf_adds(&b, l->v[i]);
	}
	return b.s ? b.s : nm_xstrdup("");
}

void strlist_clear(struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/* How much of a name's end unit.trail sees: a pattern anchored at the end
 * would otherwise be tried from every position of a long run. */
#define TRAIL_WINDOW 96

/* Cuts what rules call unit.trail (。 等 ; and the like) off the end. */
static size_t cut_trail(struct rules *rs, const char *s, size_t n)
{
	struct match m;
	size_t len = n;
	const char *t = str_trim(s, &len);
	size_t from = len > TRAIL_WINDOW ? len - TRAIL_WINDOW : 0;
	while (from > 0 && (t[from] & 0xC0) == 0x80)
		from--; /* start on a character */
	if (rules_match(rs, "unit.trail", t + from, len - from, &m) > 0)
		len = from + match_start(&m);
	return (size_t)(t - s) + len;
}

static void add_name(struct rules *rs, const char *s, size_t n, struct strlist *out)
{
	n = cut_trail(rs, s, n);
	const char *t = str_trim(s, &n);
	if (n > 0)
		strlist_add(out, t, n);
}

void units_split(struct rules *rs, const char *s, size_t n, struct strlist *out)
{
	struct match m;
	size_t from = 0, at = 0;
	while (at < n && rules_scan(rs, "unit.separator", s, n, at, &m) > 0) {
		size_t sep = match_start(&m), next = match_end(&m);
		add_name(rs, s + from, sep - from, out); /* reuses the match data */
		from = at = next;
		if (next == sep)
			at++;
	}
	add_name(rs, s + from, n - from, out);
}

/* Removes what leader.note matches (李明(副县长) → 李明), in place. */
static void drop_notes(struct rules *rs, char *name)
{
	struct match m;
	size_t n = strlen(name);
	while (n && rules_match(rs, "leader.note", name, n, &m) > 0 && match_end(&m) > match_start(&m)) {
		size_t a = match_start(&m), b = match_end(&m);
		memmove(name + a, name + b, n - b + 1);
		n -= b - a;
	}
}

void leaders_split(struct rules *rs, const char *s, size_t n, struct strlist *out)
{
	size_t first = out->n;
	struct match m;
	size_t from = 0;
	while (from < n && rules_scan(rs, "leader.separator", s, n, from, &m) > 0 &&
	       match_end(&m) > match_start(&m)) {
		size_t sep = match_start(&m), next = match_end(&m);
		add_name(rs, s + from, sep - from, out);
		from = next;
	}
	add_name(rs, s + from, n - from, out);
	for (size_t i = first; i < out->n; i++) {
		drop_notes(rs, out->v[i]);
		str_squeeze_spaces(out->v[i]);
	}
}
