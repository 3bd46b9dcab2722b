/*
 * batch.h - one run of the driver: the inputs walked and named, what is
 * up to date decided, the rest converted by -j chains of stage processes,
 * the report records collected into report.tsv, the manifest and
 * summary.xlsx. README.md ("Options", "Batch runs", "Reliability") says
 * what it promises.
 */
#ifndef NM_BATCH_H
#define NM_BATCH_H

#include "batch/options.h"

#define NM_VERSION "0.2.0"

/*
 * Where the program lives: bindir holds the stages (NM_BIN, else the
 * driver's own folder), home the rules/ and samples/ (NM_HOME, else
 * bindir/../..).
 */
struct batch_paths {
	const char *bindir, *home;
};

/* Runs the batch; returns the exit status of the contract (0, 1, 2, or 128+signal). */
int batch_run(const struct batch_opts *o, const struct batch_paths *p);

#endif
