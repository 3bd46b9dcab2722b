/*
 * names.h - the workbook name of each input, derived from its path
 * relative to its INPUT argument and never from its position.
 *
 * a/b/c.txt under INPUT d/ is a/b/c.xlsx. Names the program writes itself
 * (summary.xlsx, report.tsv, .notice-matrix.*, the 单位/ folder of
 * --split-by-unit, temporary names) are reserved. A name kept by the
 * manifest stays with its notice. When two inputs want one name, the one
 * that had it keeps it (else the first by path); the other keeps its
 * extension (x.doc.xlsx) or, when that is taken too, gets a stable hash of
 * its path (x-1f2e3d4c.xlsx). A name longer than NAMES_MAX bytes is cut on
 * a character boundary and given the hash of the whole name, so that every
 * name derived from it (NAME.YYYYMMDD-HHMMSS.xlsx beside an edited
 * workbook) stays within 250 bytes.
 */
#ifndef NM_NAMES_H
#define NM_NAMES_H

#include <stddef.h>

#include "batch/walk.h"

/* The longest stem (name without .xlsx): 250 bytes less ".YYYYMMDD-HHMMSS.xlsx". */
#define NAMES_MAX 229

/* Returns the name a notice at path abs had in the last runs, or NULL. */
typedef const char *names_known_fn(void *ctx, const char *abs);

/* Sets in->v[i].name for every input. known may be NULL. */
void names_assign(struct inputs *in, names_known_fn *known, void *ctx);

/* A set of strings (not owned): open addressing over their hashes. */
struct names_set {
	const char **slot;
	size_t cap;
};

void names_set_init(struct names_set *s, size_t n);
void names_set_add(struct names_set *s, const char *name);
int names_set_has(const struct names_set *s, const char *name);
void names_set_free(struct names_set *s);

/* Whether rel is one of the names the program keeps for itself. */
int names_reserved(const char *rel);

/* The preferred name of rel: its extension replaced by .xlsx, shortened when long. */
char *names_preferred(const char *rel);

#endif
