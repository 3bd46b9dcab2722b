/*
 * plan.h - what is up to date. A notice is skipped when the manifest holds
 * an entry for its workbook name and its path, and its file is the same
 * (size, mtime, inode and device; its content hash only when those
 * changed), the rules and options are the same (config), the program is
 * the same, and its workbook and kept stream are still there. A notice
 * that killed a stage in an earlier run stays out until it changes or
 * --force.
 */
#ifndef NM_PLAN_H
#define NM_PLAN_H

#include "batch/manifest.h"
#include "batch/result.h"
#include "batch/walk.h"
#include "stream/outdir.h"

struct plan_ctx {
	struct manifest *m;
	const struct outdir *od;
	int streams; /* the streams folder, or -1 */
	const char *config, *program;
	int force;
	unsigned long long max_size;
};

/* Decides x's fate into r (zeroed by the caller). */
void plan_decide(const struct plan_ctx *p, const struct input *x, struct result *r);
/* Fills r->input with the hash of x's bytes unless done. Returns 0 or -1. */
int plan_hash_input(const struct input *x, struct result *r);
/*
 * Splits the n inputs to convert (cost[i]: its size plus a per-notice
 * constant) into jobs chunks of about equal cost: the largest first, each
 * to the chunk with the least so far. chunk_of[i] receives the chunk of
 * input i. Inputs with equal cost go round the chunks, so a run's new
 * files spread over every job wherever they sort.
 */
void plan_chunks(const unsigned long long *cost, size_t n, unsigned jobs, unsigned *chunk_of);
/* What a notice costs a chain beyond its bytes, in bytes. */
#define PLAN_NOTICE_COST 16384ULL

/* The name of the kept stream of a workbook hash: HASH.stream. */
void plan_stream_name(char *out, size_t n, const char *hash);

#endif
