/*
 * rec.h - the record stream between stages (format: pipeline/FORMAT.md).
 *
 * A record is one line: fields separated by TAB, the first field its type.
 * rec_read() fills a struct rec whose fields point into storage the struct
 * owns; they stay valid until the next rec_read() or rec_free().
 */
#ifndef NM_REC_H
#define NM_REC_H

#include <stdio.h>

#include "buf.h"

struct rec {
	char *line;     /* the line as read, unescaped in place */
	size_t linecap;
	char **f;       /* f[0] is the type */
	size_t nf, fcap;
	struct buf raw; /* the line as read, for passing it on unchanged */
	unsigned long lineno;
};

#define REC_INIT {NULL, 0, NULL, 0, 0, BUF_INIT, 0}

/* Returns 1 for a record, 0 at end of input, -1 on a read error. */
int rec_read(struct rec *r, FILE *in);
/* Field i, or "" when the record is shorter. */
const char *rec_field(const struct rec *r, size_t i);
int rec_is(const struct rec *r, const char *type);
void rec_free(struct rec *r);

/* Writes the record exactly as it was read. */
void rec_pass(FILE *out, const struct rec *r);
/* Writes a record of the given fields, ending the list with NULL. */
void rec_put(FILE *out, const char *type, ...) __attribute__((sentinel));
/* Writes one escaped field, preceded by a TAB. */
void rec_put_field(FILE *out, const char *s);
void rec_put_fieldn(FILE *out, const char *s, size_t n);
void rec_put_long(FILE *out, long v);
void rec_end(FILE *out);
/* Writes a finding record: LINE LEVEL RULE MESSAGE TEXT. */
void rec_put_finding(FILE *out, long line, const char *level, const char *rule,
		     const char *message, const char *text);

#endif
