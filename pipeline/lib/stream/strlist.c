/* strlist.c - a list of strings. */
#include <stdlib.h>
#include <string.h>

#include "stream/buf.h"
#include "stream/err.h"
#include "stream/strlist.h"

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
