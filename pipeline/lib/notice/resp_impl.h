/*
 * resp_impl.h - what the files of the recognizer share: small helpers on
 * normalised text (inline: they run at every character) and the units
 * reader (resp_units.c) that the clause reader (resp.c) calls. Private to
 * lib/notice.
 */
#ifndef NM_RESP_IMPL_H
#define NM_RESP_IMPL_H

#include <string.h>

#include "notice/resp.h"

#define MAX_UNIT_CHARS 40
#define MAX_CLAUSE_BYTES 600

/* ---- Small helpers on normalised text ---- */

static inline int is_ws(char c) { return c == ' '; }

static inline void trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_ws(s[*a]))
		(*a)++;
	while (*b > *a && is_ws(s[*b - 1]))
		(*b)--;
}

/* (The first byte is compared before the rest: these run at every character.) */
static inline int at(const char *s, size_t i, size_t end, const char *w)
{
	if (i >= end || s[i] != w[0])
		return 0;
	size_t n = strlen(w);
	return i + n <= end && memcmp(s + i, w, n) == 0;
}

static inline int ends_with(const char *s, size_t a, size_t b, const char *w)
{
	size_t n = strlen(w);
	return b - a >= n && s[b - n] == w[0] && memcmp(s + b - n, w, n) == 0;
}

/* Bytes of the UTF-8 character at s[i]. */
static inline size_t char_len(const char *s, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static const char *const OPENS[] = {"(", "[", "【", "〔", "〈", "{", "《", "“"};
static const char *const CLOSES[] = {")", "]", "】", "〕", "〉", "}", "》", "”"};
#define NBRACKETS (sizeof OPENS / sizeof *OPENS)

static inline int open_at(const char *s, size_t i, size_t end, size_t *len)
{
	for (size_t k = 0; k < NBRACKETS; k++)
		if (at(s, i, end, OPENS[k])) {
			*len = strlen(OPENS[k]);
			return (int)k;
		}
	return -1;
}

static inline int close_at(const char *s, size_t i, size_t end, size_t *len)
{
	for (size_t k = 0; k < NBRACKETS; k++)
		if (at(s, i, end, CLOSES[k])) {
			*len = strlen(CLOSES[k]);
			return (int)k;
		}
	return -1;
}

/* The end of the bracket group opened at i (after its closing bracket), or 0. */
static inline size_t group_end(const char *s, size_t i, size_t end)
{
	int depth = 0;
	size_t len;
	while (i < end) {
		if (open_at(s, i, end, &len) >= 0) {
			depth++;
			i += len;
		} else if (close_at(s, i, end, &len) >= 0) {
			i += len;
			if (--depth == 0)
				return i;
		} else {
			i += char_len(s, i);
		}
	}
	return 0;
}

/* The next separator at bracket depth 0 among seps, from i; end when none. */
static inline size_t next_sep(const char *s, size_t i, size_t end, const char *const *seps,
			      size_t nseps, size_t *seplen)
{
	int depth = 0;
	size_t len;
	while (i < end) {
		if (open_at(s, i, end, &len) >= 0) {
			depth++;
			i += len;
			continue;
		}
		if (close_at(s, i, end, &len) >= 0) {
			depth -= depth > 0;
			i += len;
			continue;
		}
		if (depth == 0)
			for (size_t k = 0; k < nseps; k++)
				if (at(s, i, end, seps[k])) {
					*seplen = strlen(seps[k]);
					return i;
				}
		i += char_len(s, i);
	}
	*seplen = 0;
	return end;
}

struct unit_span {
	size_t a, b;
	int mark; /* 1 marked (牵头), 2 marked (配合) */
};

#define MAX_UNITS 64

/* resp_units.c */
/* Whether a unit name may end at e (a head, a collective, or the last
 * character of a name the notice uses), looking no further back than a. */
int resp_name_may_end(struct resp *R, const char *s, size_t a, size_t e);
size_t unit_list(struct resp *R, const char *s, size_t a, size_t b, struct unit_span *u, size_t max,
		 int marks);
void strip_etc(const char *s, size_t a, size_t *b);
void add_name(struct strlist *l, const struct ntext *t, size_t a, size_t b);
void add_units(struct resp *R, const struct ntext *t, const struct unit_span *u, size_t k,
	       struct strlist *to, struct roles *r);
void add_leaders(struct resp *R, const struct ntext *t, size_t a, size_t b, struct roles *r);
void add_deadline(const struct ntext *t, size_t a, size_t b, struct roles *r);
void roles_merge(struct roles *into, const struct roles *from, int with_deadlines);

#endif
