/*
 * keep.h - --keep-intermediate: a filter that passes a stage's stream on
 * unchanged and keeps each document of it in
 * OUTDIR/NAME.stages/LABEL.stream (NAME the workbook name without .xlsx),
 * written atomically through outdir.h.
 */
#ifndef NM_KEEP_H
#define NM_KEEP_H

#include <stdio.h>

#include "stream/buf.h"
#include "stream/outdir.h"

/* Copies in to out. Returns 0, or -1 on a read or write error (why says which). */
int keep_stream(FILE *in, FILE *out, const struct outdir *od, const char *label, struct buf *why);

#endif
