/*
 * reader.h - one notice file to its record document: read whole (up to a
 * size), through the front end for Word, web pages and PDF, detected and
 * converted to UTF-8, its lines passed on as written (FORMAT.md: doc, meta,
 * line..., end; or doc, fail, end with the reason).
 */
#ifndef NM_READER_H
#define NM_READER_H

#include <stdio.h>

#include "stream/buf.h"
#include "stream/rec.h"

struct front_options {
	const char *from;            /* an encoding to use instead of detecting, or NULL */
	unsigned long long max_size; /* a larger file is refused */
};

/* Writes the document of the file record r ("file PATH OUTNAME [SOURCE]")
 * to out; data is a buffer reused between files. */
void front_decode_file(FILE *out, const struct rec *r, const struct front_options *opt,
		       struct buf *data);

#endif
