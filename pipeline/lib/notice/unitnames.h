/*
 * unitnames.h - one name per unit within a notice, and one key per unit
 * across notices.
 *
 * Within a notice, variants of one unit are merged under the fullest form
 * the notice itself writes: a declared short form (（以下简称“X”）) under its
 * declared full name; a short form of the tables (rules/units.abbrev,
 * units.aliases) or a form differing only by 和/及/与 under the longer form
 * the notice also writes. A name the notice writes is never replaced by one
 * it does not write. Across notices, unit_key() reads every full form
 * shortened and 和/及/与 dropped, so that 市发展和改革委员会 and 市发改委
 * share a key.
 *
 * A struct unitnames owns its strings until unitnames_free().
 */
#ifndef NM_UNITNAMES_H
#define NM_UNITNAMES_H

#include <stdio.h>

#include "stream/strlist.h"
#include "rules/rules.h"
#include "stream/strmap.h"

struct unitnames {
	struct strlist written;               /* every name, in the order first written */
	struct strlist kept;                  /* kept[i]: what written[i] is shown as */
	struct strlist why;                   /* why[i]: "declared" or "tables", or "" */
	struct strlist decl_short, decl_full; /* declarations of the notice */
	long *line;                           /* line where written[i] was first seen */
	struct strmap index;                  /* written name -> i */
	struct strlist keys;                  /* unit_key() of names asked for, cached */
	struct strmap key_of;                 /* name -> its index in keys */
};

/* Adds a name as written on line (once). */
void unitnames_add(struct unitnames *U, const char *name, long line);
/* A declaration: short stands for full. */
void unitnames_declare(struct unitnames *U, const char *full, const char *shortname);
/* Decides what each name is shown as. */
void unitnames_settle(struct unitnames *U, struct rules *rs);
/* What name is shown as (name itself when it was not added). */
const char *unitnames_kept(const struct unitnames *U, const char *name);
/* A unit.alias finding for each merge. */
void unitnames_put_findings(const struct unitnames *U, struct rules *rs, FILE *out);
void unitnames_free(struct unitnames *U);

/* The key of a unit across notices (a new string). */
char *unit_key(struct rules *rs, const char *name);
/* The same, computed once per name and kept in U. */
const char *unitnames_key(struct unitnames *U, struct rules *rs, const char *name);

#endif
