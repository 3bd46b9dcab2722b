/* names.c - workbook names that stay with their notice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch/ident.h"
#include "batch/names.h"
#include "stream/err.h"
#include "stream/outdir.h"

/* Whether the first component of rel is one the program keeps: its state
 * (.notice-matrix.*) or the 单位/ folder of --split-by-unit. */
static int reserved_prefix(const char *rel)
{
	const char *slash = strchr(rel, '/');
	size_t first = slash ? (size_t)(slash - rel) : strlen(rel);
	if (strncmp(rel, ".notice-matrix", 14) == 0)
		return 1;
	return slash && first == strlen("单位") && strncmp(rel, "单位", first) == 0;
}

int names_reserved(const char *rel)
{
	const char *base = strrchr(rel, '/');
	base = base ? base + 1 : rel;
	if (base == rel && (strcmp(rel, "summary.xlsx") == 0 || strcmp(rel, "report.tsv") == 0))
		return 1;
	return reserved_prefix(rel) || outdir_is_temp(base);
}

/* Where the base name of rel starts, and where its extension starts (or its end). */
static void split(const char *rel, const char **base, const char **ext)
{
	const char *b = strrchr(rel, '/');
	*base = b ? b + 1 : rel;
	const char *dot = strrchr(*base, '.');
	*ext = dot && dot > *base ? dot : *base + strlen(*base);
}

/* stem + tag + ".xlsx", the stem cut on a character boundary so that its base fits. */
static char *make(const char *rel, size_t stem_len, const char *tag)
{
	const char *base, *ext;
	split(rel, &base, &ext);
	size_t dir = (size_t)(base - rel), stem = stem_len - dir;
	struct buf b = BUF_INIT;
	if (stem + strlen(tag) > NAMES_MAX) {
		char hex[IDENT_HEX];
		ident_hex(ident_fnv1a(IDENT_FNV_BASIS, rel, strlen(rel)), hex);
		size_t keep = NAMES_MAX - 17 - strlen(tag);
		while (keep && ((unsigned char)base[keep] & 0xC0) == 0x80)
			keep--;
		buf_add(&b, rel, dir + keep);
		buf_printf(&b, "-%s%s.xlsx", hex, tag);
		return b.s;
	}
	buf_add(&b, rel, stem_len);
	buf_printf(&b, "%s.xlsx", tag);
	return b.s;
}

char *names_preferred(const char *rel)
{
	const char *base, *ext;
	split(rel, &base, &ext);
	return make(rel, (size_t)(ext - rel), "");
}

/* The high half of the hash of an input's absolute path: HASH in its names. */
static unsigned long long path_tag(const struct input *x)
{
	return ident_fnv1a(IDENT_FNV_BASIS, x->abs, strlen(x->abs)) >> 32;
}

/* The candidates of an input, best first: x.xlsx, x.EXT.xlsx, x-HASH.xlsx. */
static char *candidate(const struct input *x, int k)
{
	const char *base, *ext;
	split(x->rel, &base, &ext);
	if (k == 0)
		return names_preferred(x->rel);
	if (k == 1)
		return *ext ? make(x->rel, strlen(x->rel), "") : NULL;
	char tag[12];
	snprintf(tag, sizeof tag, "-%08llx", path_tag(x));
	return make(x->rel, (size_t)(ext - x->rel), tag);
}

#define NCAND 3

#define set names_set

static size_t find(const struct set *s, const char *name)
{
	size_t i = ident_fnv1a(IDENT_FNV_BASIS, name, strlen(name)) & (s->cap - 1);
	while (s->slot[i] && strcmp(s->slot[i], name) != 0)
		i = (i + 1) & (s->cap - 1);
	return i;
}

static int taken(const struct set *s, const char *name) { return s->slot[find(s, name)] != NULL; }

static void take(struct set *s, const char *name) { s->slot[find(s, name)] = name; }

/* Gives x its candidate k when free; returns whether it did. */
static int claim(struct set *s, struct input *x, char *name)
{
	if (!name || names_reserved(name) || taken(s, name)) {
		free(name);
		return 0;
	}
	x->name = name;
	take(s, name);
	return 1;
}

void names_set_init(struct names_set *s, size_t n)
{
	s->cap = 16;
	while (s->cap < 2 * n + 16)
		s->cap *= 2;
	s->slot = calloc(s->cap, sizeof *s->slot);
	if (!s->slot)
		nm_die(NM_ENOMEM, "out of memory");
}

void names_set_add(struct names_set *s, const char *name) { take(s, name); }
int names_set_has(const struct names_set *s, const char *name) { return taken(s, name); }
void names_set_free(struct names_set *s)
{
	free(s->slot);
	s->slot = NULL;
}

void names_assign(struct inputs *in, names_known_fn *known, void *ctx)
{
	struct set s;
	names_set_init(&s, in->n);
	for (size_t i = 0; i < in->n; i++) { /* 单位/x.txt becomes _单位/x.xlsx */
		struct input *x = &in->v[i];
		if (reserved_prefix(x->rel)) {
			char *r = nm_xmalloc(strlen(x->rel) + 2);
			r[0] = '_';
			strcpy(r + 1, x->rel);
			free(x->rel);
			x->rel = r;
		}
	}
	/* First the names the manifest knows, when still one of the notice's own. */
	for (size_t i = 0; known && i < in->n; i++) {
		struct input *x = &in->v[i];
		const char *had = known(ctx, x->abs);
		for (int k = 0; had && k < NCAND && !x->name; k++) {
			char *c = candidate(x, k);
			if (c && strcmp(c, had) == 0)
				claim(&s, x, c);
			else
				free(c);
		}
	}
	for (size_t i = 0; i < in->n; i++) {
		struct input *x = &in->v[i];
		for (int k = 0; k < NCAND && !x->name; k++)
			claim(&s, x, candidate(x, k));
		if (!x->name) { /* every candidate taken: the hash of its position among equals */
			for (unsigned n = 2; !x->name; n++) {
				char tag[24];
				snprintf(tag, sizeof tag, "-%08llx-%u", path_tag(x), n);
				const char *base, *ext;
				split(x->rel, &base, &ext);
				claim(&s, x, make(x->rel, (size_t)(ext - x->rel), tag));
			}
		}
	}
	names_set_free(&s);
}
