/*
 * result.h - what became of each input of a run: the plan (convert, skip
 * as up to date, fail without converting) and then the outcome, which
 * report.tsv, the stderr lines, the manifest and the summary are made of.
 *
 * A struct result owns its strings until result_free().
 */
#ifndef NM_RESULT_H
#define NM_RESULT_H

#include "batch/ident.h"

enum plan_state {
	PLAN_CONVERT, /* to send through a chain */
	PLAN_SKIP,    /* up to date: reported as skipped, its kept stream goes to the summary */
	PLAN_FAIL,    /* failed before any chain: not a file, too large, kept out */
	PLAN_DONE,    /* a chain sent its report (or died on it) */
};

struct result {
	enum plan_state state;
	char status[8]; /* ok, warn, failed, skipped */
	long tasks, findings;
	char *encoding, *output, *message;
	char output_hash[IDENT_HEX];
	char input[IDENT_HEX]; /* hash of the notice's bytes, "" until needed */
	char owned[IDENT_HEX]; /* hash of the workbook the program last wrote at its name */
	int killed;            /* it stopped its chain (quarantined until it changes) */
	int saved;             /* its document is kept for the summary */
	int warned;            /* converted with 警告 or 错误 findings */
};

/* Sets the outcome; strings are copied (NULL as ""). */
void result_set(struct result *r, const char *status, long tasks, long findings,
		const char *encoding, const char *output, const char *message, const char *hash);
void result_free(struct result *r);

#endif
