/*
 * chain.h - one chain of stage processes (nm-decode | … | nm-xlsx),
 * started with posix_spawn and joined by pipes, no shell.
 *
 * The driver writes file records to the chain's standard input and reads
 * its report stream: each document (doc … end) comes back in the order
 * its file record went in, so the oldest notice sent and not yet back is
 * the one the chain is working on. A chain that dies is reaped and asked
 * which of its stages died and how (chain_death()).
 *
 * A struct chain owns its processes' descriptors and buffers until
 * chain_free(); the spec it was started from must outlive it.
 */
#ifndef NM_CHAIN_H
#define NM_CHAIN_H

#include <stddef.h>
#include <sys/types.h>

#include "stream/buf.h"

#define CHAIN_MAX 12

struct chain_spec {
	char **argv[CHAIN_MAX];       /* the programs, upstream first */
	const char *label[CHAIN_MAX]; /* for messages: nm-decode, … */
	int n;
};

struct chain {
	const struct chain_spec *spec;
	pid_t pid[CHAIN_MAX];
	int status[CHAIN_MAX], reaped[CHAIN_MAX];
	int ours[CHAIN_MAX]; /* the driver signalled it */
	int in, out;         /* the driver's ends: the chain's stdin and stdout */
	struct buf pending;  /* bytes to write to in */
	size_t pending_off;
	struct buf line;   /* a line of output read in part */
	struct buf group;  /* the document being read back, without its report */
	struct buf report; /* its report record as read */
	int in_doc;
	size_t *queue; /* inputs sent and not back, oldest first */
	size_t qhead, qlen, qcap;
	unsigned long long queued_bytes;
	long long head_since;                /* ms: when the chain started on its oldest notice */
	unsigned long long ticks[CHAIN_MAX]; /* CPU ticks of each stage at the last look */
	int eof;                             /* its output ended */
};

/* Starts the processes of spec. Returns 0, or -1 with the reason in why. */
int chain_start(struct chain *c, const struct chain_spec *spec, struct buf *why);

/* Queues the record (bytes) of input idx, of size bytes, for the chain. */
void chain_send(struct chain *c, size_t idx, const char *rec, size_t len, unsigned long long bytes,
		long long now_ms);
/* Writes what is queued as far as the pipe takes it. Returns -1 when the chain is gone. */
int chain_flush(struct chain *c);
/* No more input: closes its standard input once everything queued is written. */
void chain_close_input(struct chain *c);

/*
 * Called for each document read back: the input it belongs to, the
 * document's records without its report, and the report record (raw, ""
 * when the document had none).
 */
typedef void chain_doc_fn(void *ctx, struct chain *c, size_t idx, const struct buf *group,
			  const struct buf *report);
/* Reads what the chain has written. Returns 1 at the end of its output, 0 otherwise. */
int chain_read(struct chain *c, chain_doc_fn *fn, void *ctx, long long now_ms);

/* Sends sig to every stage still running (and remembers the driver did it). */
void chain_kill(struct chain *c, int sig);
/* Reaps its stages; block waits for all of them. Returns 1 when all are reaped. */
int chain_reap(struct chain *c, int block);
/*
 * After the chain's output ended early: reaps for up to ms milliseconds,
 * until a stage is found that died of its own accord or every stage has
 * ended. A stage's pipes close before its exit can be reaped; killing the
 * rest at once would take that stage's death for the driver's own kill.
 */
void chain_settle(struct chain *c, int ms);
/*
 * After an abnormal end: which stage died and how, as "stage nm-X killed
 * by signal 9" or "stage nm-X exited with status 2"; "" when every stage
 * ended normally. Stages that died of SIGPIPE (a later stage had died)
 * or of the driver's own kill are not taken for the cause.
 */
void chain_death(const struct chain *c, struct buf *why);
/* The stage that used the most CPU since the last call (or NULL); remembers the counts. */
const char *chain_busiest(struct chain *c);
/* Whether a stage was stopped by SIGINT, SIGTERM or SIGHUP from outside. */
int chain_interrupted(const struct chain *c);

/* The oldest input not back yet; the chain must have one. */
size_t chain_head(const struct chain *c);
void chain_free(struct chain *c);

#endif
