/*
 * stage.h - the loop every stage runs: records in, records out, one
 * document (doc … end) at a time.
 *
 * A stage is a struct stage: a record callback that sees every record in
 * order and says whether it goes on unchanged, and an end callback called
 * at each end record, before the end record itself is passed on, so that
 * what the stage made of the document lands inside it. A stream cut short
 * (no end record after a doc: an earlier stage died) is closed by the loop:
 * the record callback gets a fail record ("the record stream ended inside
 * the notice"), the end callback is called with complete 0, and an end
 * record follows, so every later stage sees a whole document marked as
 * failed. The callbacks own nothing of a record: it is valid during the
 * call only.
 */
#ifndef NM_STAGE_H
#define NM_STAGE_H

#include <stdio.h>

#include "stream/rec.h"

struct stage {
	void *state;
	/* Returns 1 when r goes on to out unchanged, 0 when the stage consumed it. */
	int (*record)(void *state, const struct rec *r, FILE *out);
	/* The document ends (complete 0: the stream was cut inside it): write
	 * what the stage made of it. May be NULL. */
	void (*end)(void *state, FILE *out, int complete);
};

/* Runs st over in until its end. Returns 0, or -1 on a read error. */
int stage_loop(FILE *in, FILE *out, const struct stage *st);

/*
 * The last steps of a stage's main(): the loop over standard input and
 * output, a read error reported and fatal, standard output closed with a
 * check (a full disk is an error, not a short stream). Returns the exit
 * status.
 */
int stage_run(const struct stage *st);

#endif
