/*
 * manifest.h - what the output directory holds and how it was made: one
 * entry per workbook name, in OUTDIR/.notice-matrix.manifest, and the
 * entries of the run in progress appended one by one to
 * OUTDIR/.notice-matrix.journal, so that a run killed with -9 does not
 * redo its batch. Both are record streams (rec.h):
 *
 *   manifest 2
 *   prog PATH DEV INO SIZE MTIME_NS HASH        one per stage binary (a cache)
 *   summary KEY                                 what summary.xlsx was last made of
 *   entry NAME PATH DEV INO SIZE MTIME_NS INPUT CONFIG PROGRAM OUTPUT
 *         OUTPUT_HASH OWNED TASKS FINDINGS ENCODING STATUS MESSAGE
 *
 * manifest_load() reads the manifest, then the journal over it; a
 * journal entry is kept only when its workbook is on disk with the hash it
 * records (the journal is written before the batch is synced).
 * manifest_write() writes the whole manifest atomically (synced) and then
 * removes the journal. Everything goes through outdir.h.
 *
 * A struct manifest owns its entries and their strings until
 * manifest_free(); a struct entry handed to manifest_put() is copied.
 */
#ifndef NM_MANIFEST_H
#define NM_MANIFEST_H

#include <stddef.h>
#include <stdio.h>

#include "batch/ident.h"
#include "stream/buf.h"
#include "stream/outdir.h"

#define MANIFEST_FILE ".notice-matrix.manifest"
#define JOURNAL_FILE ".notice-matrix.journal"

struct entry {
	char *name;                  /* the workbook, relative to OUTDIR: the key */
	char *path;                  /* the notice, absolute */
	struct ident_stat st;        /* the notice when it was converted */
	char input[IDENT_HEX];       /* hash of its bytes */
	char config[IDENT_HEX];      /* of the rules and the options that shape a workbook */
	char program[IDENT_HEX];     /* of the stage binaries */
	char *output;                /* the workbook written: name, or a name beside it */
	char output_hash[IDENT_HEX]; /* its FNV-1a hash */
	char owned[IDENT_HEX];       /* hash of what the program last wrote at name, or "" */
	long tasks, findings;
	char *encoding;
	char *status;  /* ok, warn, or killed: it stopped its chain */
	char *message; /* killed: the reason */
	int journaled; /* read from the journal */
};

struct manifest {
	struct entry *v;
	size_t n, cap;
	size_t *by_name, *by_path; /* index + 1 of an entry, by the hash of its key */
	size_t slots;
	struct ident_parts parts; /* the program's binaries as last hashed */
	char summary[IDENT_HEX];  /* the key of what summary.xlsx was written from, or "" */
	int journal;              /* descriptor of the journal being appended to, or -1 */
};

void manifest_init(struct manifest *m);
void manifest_free(struct manifest *m);

/*
 * Reads the manifest and the journal of OUTDIR. A missing manifest is an
 * empty one; lines it cannot read are ignored (their notices convert
 * again). Returns 0, or -1 with the reason in why (a link, or a read error).
 */
int manifest_load(struct manifest *m, const struct outdir *o, struct buf *why);

struct entry *manifest_by_name(const struct manifest *m, const char *name);
struct entry *manifest_by_path(const struct manifest *m, const char *path);
/* Adds e, replacing the entry of the same name. */
void manifest_put(struct manifest *m, const struct entry *e);

/*
 * Appends e to the journal (opening it on first use). Returns 0, or -1
 * with the reason in why; the run goes on without it.
 */
int manifest_journal(struct manifest *m, const struct outdir *o, const struct entry *e,
		     struct buf *why);

/*
 * Writes the manifest (entries whose workbook is gone are left out; a
 * killed notice's entry stays while its file exists) atomically and
 * synced, then removes the journal. Returns 0, or -1 with the reason.
 */
int manifest_write(struct manifest *m, const struct outdir *o, struct buf *why);

/* Writes e as an entry record. */
void manifest_put_entry(FILE *out, const struct entry *e);

#endif
