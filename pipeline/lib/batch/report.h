/*
 * report.h - what a run tells: report.tsv (one line per input, written
 * atomically through outdir.h), a line on stderr for each failed notice,
 * the closing summary line, and the progress line on a terminal.
 */
#ifndef NM_REPORT_H
#define NM_REPORT_H

#include <stdio.h>

#include "batch/result.h"
#include "batch/walk.h"
#include "stream/buf.h"
#include "stream/outdir.h"

struct report_counts {
	size_t converted, skipped, failed;
	long tasks, findings;
};

void report_count(const struct inputs *in, const struct result *r, struct report_counts *c);
/* Writes OUTDIR/report.tsv. Returns 0, or -1 with the reason in why. */
int report_write(const struct outdir *o, const struct inputs *in, const struct result *r,
		 struct buf *why);
/* "FILE: what went wrong" for each failed input. */
void report_failures(FILE *to, const struct inputs *in, const struct result *r);
/* notice-matrix: converted N, skipped N, failed N, tasks N, findings N, N s */
void report_line(FILE *to, const struct report_counts *c, long seconds);

struct progress {
	int on;
	size_t total, done, failed;
	long long started_ms, shown_ms;
};

/* Shows "done/total done, N failed, rate/s, ETA" at most twice a second. */
void progress_show(struct progress *p, long long now_ms, int force);
/* Clears the line. */
void progress_end(struct progress *p);

#endif
