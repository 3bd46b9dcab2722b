/* guard.c - memory, unpacking and time bounds of the built-in readers; libxml2 kept quiet. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlerror.h>

#include "front/convert.h"
#include "front/guard.h"

static int time_limit = -1;

void front_set_time_limit(int seconds) { time_limit = seconds < 0 ? -1 : seconds; }

int front_time_limit(void) { return time_limit < 0 ? CONVERT_TIMEOUT_S : time_limit; }

static void now(struct timespec *t) { clock_gettime(CLOCK_MONOTONIC, t); }

static int passed(const struct timespec *deadline)
{
	struct timespec t;
	now(&t);
	return t.tv_sec > deadline->tv_sec ||
	       (t.tv_sec == deadline->tv_sec && t.tv_nsec >= deadline->tv_nsec);
}

void guard_init(struct guard *g, const char *what, size_t size)
{
	memset(g, 0, sizeof *g);
	g->what = what;
	g->file = size;
	g->max_held = GUARD_HELD_RATIO * size + GUARD_HELD_BASE;
	g->max_unpacked = GUARD_UNPACK_RATIO * size + GUARD_UNPACK_BASE;
	g->limit_s = front_time_limit();
	now(&g->deadline);
	g->deadline.tv_sec += g->limit_s;
	guard_quiet();
}

enum guard_stop guard_hold(struct guard *g, long long delta)
{
	if (delta < 0)
		g->held = (size_t)-delta > g->held ? 0 : g->held - (size_t)-delta;
	else
		g->held += (size_t)delta;
	if (!g->stop && g->held > g->max_held)
		g->stop = GUARD_HELD;
	return g->stop;
}

enum guard_stop guard_unpack(struct guard *g, size_t n)
{
	g->unpacked += n;
	if (!g->stop && g->unpacked > g->max_unpacked)
		g->stop = GUARD_UNPACK;
	return g->stop;
}

enum guard_stop guard_work(struct guard *g, unsigned long units)
{
	g->work += units;
	if (!g->stop && g->work >= g->next_clock) {
		g->next_clock = g->work + GUARD_CLOCK_EVERY;
		if (passed(&g->deadline))
			g->stop = GUARD_TIME;
	}
	return g->stop;
}

/* 88 KB, 33.6 MB. */
static void size_text(struct buf *b, size_t n)
{
	if (n < (1UL << 20))
		buf_printf(b, "%zu KB", (n + 1023) >> 10);
	else
		buf_printf(b, "%.1f MB", (double)n / (1 << 20));
}

void guard_reason(const struct guard *g, struct buf *why)
{
	switch (g->stop) {
	case GUARD_GO:
		break;
	case GUARD_HELD:
		buf_printf(why, "the %s gives more text than a file of ", g->what);
		size_text(why, g->file);
		buf_printf(why, " can hold (over %d times its size plus %lu MB): refused",
			   GUARD_HELD_RATIO, GUARD_HELD_BASE >> 20);
		break;
	case GUARD_UNPACK:
		buf_printf(why, "zip bomb: the %s of ", g->what);
		size_text(why, g->file);
		buf_printf(why, " unpacks to over ");
		size_text(why, g->max_unpacked);
		buf_printf(why, " (%d times its size plus %lu MB): refused", GUARD_UNPACK_RATIO,
			   GUARD_UNPACK_BASE >> 20);
		break;
	case GUARD_TIME:
		buf_printf(why, "the %s reader ran over %d seconds and was stopped", g->what,
			   g->limit_s);
		break;
	}
}

/* ---- libxml2's messages ---- */

/* The first line libxml2 gave since the last clear; complete once it has its newline. */
static char last_message[256];
static int complete;

/* Appends a piece of a message: libxml2 prints one in several calls. */
static void keep(const char *piece)
{
	size_t k = strlen(last_message);
	for (const char *p = piece; !complete && p && *p; p++) {
		if (*p == '\n')
			complete = 1;
		else if (k + 1 < sizeof last_message)
			last_message[k++] = *p;
	}
	last_message[k] = '\0';
}

static void generic_error(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	keep(msg);
}

static void structured_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	if (e && e->message && !complete) {
		last_message[0] = '\0';
		keep(e->message);
		complete = 1;
	}
}

void guard_quiet(void)
{
	xmlSetGenericErrorFunc(NULL, generic_error);
	xmlSetStructuredErrorFunc(NULL, structured_error);
}

const char *guard_libxml_message(void) { return last_message; }

void guard_libxml_clear(void)
{
	last_message[0] = '\0';
	complete = 0;
}
