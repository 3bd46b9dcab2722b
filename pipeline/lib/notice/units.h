/*
 * units.h - lists of responsible units and leader names.
 */
#ifndef NM_UNITS_H
#define NM_UNITS_H

#include <stddef.h>

#include "rules/rules.h"

struct strlist {
	char **v;
	size_t n;
};

void strlist_add(struct strlist *l, const char *s, size_t n);
/* Adds s unless an equal string is already there. */
void strlist_add_unique(struct strlist *l, const char *s);
int strlist_has(const struct strlist *l, const char *s);
/* Joins with sep into a new string the caller frees. */
char *strlist_join(const struct strlist *l, const char *sep);
void strlist_clear(struct strlist *l);

/*
 * Splits a written list of units ("市财政局、市水务局和市林业局等。") into
 * names, using the separators and joiners of rules/units.rules; trailing
 * punctuation and 等 are dropped. Appends to out.
 */
void units_split(struct rules *rs, const char *s, size_t n, struct strlist *out);
/* Splits a list of leaders and removes the spaces inside each name. */
void leaders_split(struct rules *rs, const char *s, size_t n, struct strlist *out);

#endif
