/*
 * guard.h - the bounds the built-in readers (.docx, HTML) work within.
 *
 * A reader is given a struct guard for one notice file. It charges what it
 * holds to the guard (text, table cells, numbering definitions), bytes it
 * unpacks from a zip archive, and every unit of work it does (a parser
 * event, a chunk of input); the guard says when to stop:
 *
 *   - held bytes over GUARD_HELD_RATIO times the file plus GUARD_HELD_BASE,
 *     so that a reader's memory stays about 4 times the file plus a
 *     constant (the caller holds the file itself);
 *   - unpacked bytes over GUARD_UNPACK_RATIO times the file plus
 *     GUARD_UNPACK_BASE (a zip bomb);
 *   - the time limit (front_time_limit(), as long as an external
 *     converter may run), checked every GUARD_CLOCK_EVERY units of work.
 *
 * Once stopped, guard_reason() says why in one line. The guard also
 * installs handlers that keep libxml2 from printing anything (guard_quiet).
 */
#ifndef NM_GUARD_H
#define NM_GUARD_H

#include <stddef.h>
#include <time.h>

#include "stream/buf.h"

#define GUARD_HELD_RATIO 3
#define GUARD_HELD_BASE (32UL << 20)
#define GUARD_UNPACK_RATIO 200
#define GUARD_UNPACK_BASE (16UL << 20)
#define GUARD_CLOCK_EVERY 1024

enum guard_stop {
	GUARD_GO = 0,
	GUARD_HELD,   /* the text grew past what the file can honestly hold */
	GUARD_UNPACK, /* the archive unpacks to too much */
	GUARD_TIME,   /* the time limit passed */
};

struct guard {
	const char *what;      /* the reader, for messages: ".docx", "HTML page" */
	size_t file;           /* bytes of the notice file */
	size_t held, max_held; /* bytes held now, and the most allowed */
	size_t unpacked, max_unpacked;
	unsigned long work; /* units of work since the start */
	unsigned long next_clock;
	struct timespec deadline;
	int limit_s;
	enum guard_stop stop;
};

/*
 * The time limit of the built-in readers in seconds, per notice file:
 * CONVERT_TIMEOUT_S (convert.h) unless set. A negative value restores
 * that; 0 stops a reader at its first look at the clock (for tests). A
 * notice that runs over fails with the reason; the next one gets the full
 * time again.
 */
void front_set_time_limit(int seconds);
int front_time_limit(void);

/* Starts a guard for a file of size bytes read by what. */
void guard_init(struct guard *g, const char *what, size_t size);

/* Charges (or with a negative delta, releases) held bytes; returns g->stop. */
enum guard_stop guard_hold(struct guard *g, long long delta);
/* Charges unpacked bytes; returns g->stop. */
enum guard_stop guard_unpack(struct guard *g, size_t n);
/* Counts work and looks at the clock now and then; returns g->stop. */
enum guard_stop guard_work(struct guard *g, unsigned long units);

/* Why the guard stopped the reader, one line (the reader's name first). */
void guard_reason(const struct guard *g, struct buf *why);

/*
 * Installs error handlers so that libxml2 prints nothing on stderr (its
 * generic and structured handlers, for errors outside a parser context);
 * the last such message is kept for guard_libxml_message(). Idempotent.
 */
void guard_quiet(void);
/* The last message libxml2 gave outside a parser context ("" for none). */
const char *guard_libxml_message(void);
void guard_libxml_clear(void);

#endif
