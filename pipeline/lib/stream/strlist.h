/*
 * strlist.h - a list of strings, each owned by the list until
 * strlist_clear(). A zeroed struct is an empty list. Lookups compare one by
 * one: for short lists (the units of a task, the leaders of a notice); use
 * strmap.h where a list may grow large.
 */
#ifndef NM_STRLIST_H
#define NM_STRLIST_H

#include <stddef.h>

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

#endif
