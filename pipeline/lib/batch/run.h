/*
 * run.h - the state of one run, shared by batch.c (planning and the
 * chains) and setup.c (what comes before and after them). Not for other
 * users: batch.h is the interface.
 */
#ifndef NM_RUN_H
#define NM_RUN_H

#include "batch/batch.h"
#include "batch/chain.h"
#include "batch/manifest.h"
#include "batch/report.h"
#include "batch/result.h"
#include "batch/walk.h"
#include "stream/outdir.h"

#define RUN_MAX_JOBS 64

/* A list of inputs (indexes), consumed from next. */
struct run_list {
	size_t *v;
	size_t n, next, cap;
};

struct run {
	const struct batch_opts *o;
	const struct batch_paths *paths;
	struct outdir od;
	int lock, streams;      /* descriptors: the lock file, the streams folder */
	const char *unwritable; /* why nothing can be written in OUTDIR, or NULL */
	struct buf unwritable_why;
	struct manifest m;
	struct inputs in;
	struct result *r;
	char rules_hash[IDENT_HEX], config[IDENT_HEX], program[IDENT_HEX];
	char version[64];
	/* The chains: one slot per job, each with its chunk of the inputs to convert. */
	struct chain_spec spec;
	char **spec_args[CHAIN_MAX];
	struct slot {
		struct chain c;
		int live;
		struct run_list work;     /* its chunk: inputs to send, in order */
		struct run_list suspects; /* after a chain died: tried one at a time */
		int isolating;            /* the chain holds one suspect alone */
		unsigned tries;           /* suspects tried alone since the last death */
		size_t cut;               /* input + 1 that came back cut short, or 0 */
		struct buf timeout;       /* why the watchdog stopped the chain */
	} slots[RUN_MAX_JOBS];
	unsigned njobs;
	size_t ntodo;
	struct progress prog;
	long long last_tick;
	int interrupted; /* the signal that stopped the run, or 0 */
	int journal_warned;
};

long long run_now_ms(void);
/* Everything before planning. Returns -1 to go on, or what stops the run (an nm_status). */
int run_setup(struct run *b);
/* summary.xlsx, the sync, the manifest, report.tsv and the closing lines. */
int run_finish(struct run *b, long seconds);
void run_free(struct run *b);
/* NM_TIMING: one line on stderr with the time since t0 and the driver's peak memory. */
void run_timing(const struct run *b, const char *what, long long t0);

#endif
