/*
 * options.h - the driver's command line (README.md, "Options"), parsed and
 * checked before anything runs: a bad value is a usage error (exit 2).
 *
 * struct batch_opts points into argv and into storage it owns (the
 * --extra-rules list, the date of --as-of today) until batch_opts_free().
 */
#ifndef NM_OPTIONS_H
#define NM_OPTIONS_H

#include <stddef.h>

#include "stream/buf.h"

struct batch_opts {
	const char *outdir;
	unsigned jobs;
	const char *from;
	const char *rules; /* NULL: HOME/rules */
	const char **extra_rules;
	size_t nextra;
	int force, strict, split, keep, quiet;
	int dry_run;    /* --dry-run: print the plan, write nothing */
	char as_of[11]; /* YYYY-MM-DD or "" */
	unsigned long long max_size;
	unsigned time_limit; /* seconds a chain may spend on one notice */
	char **inputs;
	size_t ninputs;
};

enum opts_result { OPTS_RUN, OPTS_HELP, OPTS_USAGE };

/* Parses argv; on OPTS_USAGE why says what is wrong. */
enum opts_result batch_opts_parse(struct batch_opts *o, int argc, char **argv, struct buf *why);
void batch_opts_free(struct batch_opts *o);
/* The text of --help. */
const char *batch_usage(void);

#endif
