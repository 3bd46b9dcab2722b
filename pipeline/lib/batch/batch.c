/*
 * batch.c - a run: plan, the chains and what they send back, the record of
 * the run. Setting up (rules, output directory, program identity) is in
 * setup.c; the chains themselves in chain.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch/batch.h"
#include "batch/chain.h"
#include "batch/names.h"
#include "batch/plan.h"
#include "batch/report.h"
#include "batch/run.h"
#include "front/convert.h"
#include "stream/err.h"
#include "stream/rec.h"

#define WINDOW_NOTICES 4
#define WINDOW_BYTES (16ULL << 20)
#define CUT_MESSAGE "the record stream ended inside the notice"

static volatile sig_atomic_t got_signal;
static int wake[2] = {-1, -1};

static void on_signal(int sig)
{
	int e = errno;
	got_signal = sig;
	if (wake[1] >= 0 && write(wake[1], "x", 1) < 0) {
		/* the loop wakes on its timeout instead */
	}
	errno = e;
}

long long run_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void catch_signals(void)
{
	if (pipe2(wake, O_CLOEXEC | O_NONBLOCK) < 0)
		wake[0] = wake[1] = -1;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

/* The time a chain may spend on input idx before the watchdog stops it. */
static long long budget_ms(const struct run *b, size_t idx)
{
	const char *dot = strrchr(b->in.v[idx].path, '.');
	long long s = b->o->time_limit;
	if (dot && (strcasecmp(dot, ".doc") == 0 || strcasecmp(dot, ".wps") == 0 ||
		    strcasecmp(dot, ".pdf") == 0))
		s += CONVERT_TIMEOUT_S;
	return s * 1000;
}

/* Keeps a converted notice's document (without its report) for later summaries. */
static void save_stream(struct run *b, size_t idx, const struct buf *group)
{
	struct result *r = &b->r[idx];
	if (b->streams < 0 || !r->output_hash[0])
		return;
	char name[IDENT_HEX + 8];
	plan_stream_name(name, sizeof name, r->output_hash);
	struct outfile f;
	struct buf why = BUF_INIT;
	if (outfile_create_at(b->streams, name, name, &f, &why) == 0) {
		size_t off = 0;
		while (off < group->len) {
			ssize_t n = write(f.fd, group->s + off, group->len - off);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				break;
			off += (size_t)n;
		}
		if (off == group->len && outfile_commit(&f, 0, &why) == 0)
			r->saved = 1;
		else
			outfile_abort(&f);
	}
	if (!r->saved)
		nm_warn("%s: kept stream not saved (%s); later summaries lack it until it converts again",
			b->in.v[idx].path, why.len ? buf_str(&why) : strerror(errno));
	buf_free(&why);
}

/* The manifest entry of input idx as it stands now. */
static void entry_of(const struct run *b, size_t idx, struct entry *e)
{
	const struct input *x = &b->in.v[idx];
	const struct result *r = &b->r[idx];
	memset(e, 0, sizeof *e);
	e->name = x->name;
	e->path = x->abs;
	e->st = x->st;
	memcpy(e->input, r->input, IDENT_HEX);
	memcpy(e->config, b->config, IDENT_HEX);
	memcpy(e->program, b->program, IDENT_HEX);
	e->output = r->output;
	memcpy(e->output_hash, r->output_hash, IDENT_HEX);
	/* What the program wrote at the name itself is its own; a workbook beside an
	 * edited one leaves the edited one as it was: not the program's. */
	memcpy(e->owned, strcmp(r->output, x->name) == 0 ? r->output_hash : r->owned, IDENT_HEX);
	e->tasks = r->tasks;
	e->findings = r->findings;
	e->encoding = r->encoding;
	e->status = r->warned ? "warn" : "ok";
	e->message = "";
}

static void record(struct run *b, const struct entry *e)
{
	struct buf why = BUF_INIT;
	manifest_put(&b->m, e);
	if (manifest_journal(&b->m, &b->od, e, &why) < 0 && !b->journal_warned) {
		nm_warn("%s (a run killed now would convert this batch again)", buf_str(&why));
		b->journal_warned = 1;
	}
	buf_free(&why);
}

/* A document came back from a chain: its report decides the notice's outcome. */
static void on_doc(void *ctx, struct chain *c, size_t idx, const struct buf *group,
		   const struct buf *report)
{
	struct run *b = ctx;
	struct result *r = &b->r[idx];
	struct rec rec = REC_INIT;
	struct rec_report rep;
	memset(&rep, 0, sizeof rep);
	FILE *m = report->len ? fmemopen(report->s, report->len, "r") : NULL;
	int have = m && rec_read(&rec, m) > 0 && rec_is(&rec, "report");
	if (m)
		fclose(m);
	r->state = PLAN_DONE;
	b->prog.done++;
	if (!have) {
		result_set(r, "failed", 0, 0, "", "", "no report from nm-xlsx for this notice", "");
	} else {
		rec_get_report(&rec, &rep);
		result_set(r, rep.status, rep.tasks, rep.findings, rep.encoding, rep.output,
			   rep.message, rep.output_hash);
		if (strcmp(rep.status, "failed") == 0 && strcmp(rep.message, CUT_MESSAGE) == 0)
			b->slot_suspect[c - b->chains] = idx + 1; /* a stage died inside it */
	}
	rec_free(&rec);
	if (strcmp(r->status, "ok") == 0 || strcmp(r->status, "warn") == 0) {
		r->warned = strcmp(r->status, "warn") == 0;
		save_stream(b, idx, group);
		if (r->saved) {
			struct entry e;
			entry_of(b, idx, &e);
			record(b, &e);
		}
		if (b->o->strict && r->warned) {
			char why[64];
			snprintf(why, sizeof why, "strict: %ld findings", r->findings);
			free(r->message);
			r->message = nm_xstrdup(why);
			snprintf(r->status, sizeof r->status, "failed");
		}
	}
	if (strcmp(r->status, "failed") == 0)
		b->prog.failed++;
}

/* Input idx stopped its chain: it fails with why and stays out of later runs. */
static void quarantine(struct run *b, size_t idx, const char *why)
{
	struct result *r = &b->r[idx];
	struct buf msg = BUF_INIT;
	buf_printf(&msg, "%s while converting this notice", why);
	if (r->state != PLAN_DONE) {
		b->prog.done++;
		b->prog.failed++;
	}
	r->state = PLAN_DONE;
	r->killed = 1;
	result_set(r, "failed", 0, 0, "", "", buf_str(&msg), "");
	plan_hash_input(&b->in.v[idx], r);
	const struct entry *old = manifest_by_name(&b->m, b->in.v[idx].name);
	struct entry e;
	entry_of(b, idx, &e);
	e.status = "killed";
	e.message = (char *)why;
	e.output = old ? old->output : "";
	memcpy(e.output_hash, old ? old->output_hash : "", old ? IDENT_HEX : 1);
	memcpy(e.owned, r->owned, IDENT_HEX);
	record(b, &e);
	buf_free(&msg);
}

/* Puts input idx back in front of what is still to convert. */
static void again(struct run *b, size_t idx)
{
	b->todo[--b->next] = idx;
}

/* A chain's output ended: normally, or because a stage died or was stopped. */
static void chain_ended(struct run *b, int slot)
{
	struct chain *c = &b->chains[slot];
	size_t suspect = b->slot_suspect[slot];
	if (c->qlen == 0 && !suspect && !b->slot_timeout[slot].len) {
		chain_close_input(c);
		chain_reap(c, 1);
	} else {
		chain_kill(c, SIGKILL);
		chain_reap(c, 1);
		if (got_signal || chain_interrupted(c)) {
			b->interrupted = got_signal ? got_signal : SIGTERM;
		} else {
			struct buf why = BUF_INIT;
			if (b->slot_timeout[slot].len)
				buf_add(&why, b->slot_timeout[slot].s, b->slot_timeout[slot].len);
			else
				chain_death(c, &why);
			if (!why.len)
				buf_adds(&why, "the chain of stages ended early");
			size_t culprit = suspect ? suspect - 1 : chain_head(c);
			size_t first = suspect ? 0 : 1;
			/* Everything after the culprit goes to the next chain, in order. */
			for (size_t k = c->qlen; k-- > first;)
				again(b, c->queue[c->qhead + k]);
			quarantine(b, culprit, buf_str(&why));
			buf_free(&why);
		}
	}
	chain_free(c);
	b->live[slot] = 0;
	b->slot_suspect[slot] = 0;
	buf_reset(&b->slot_timeout[slot]);
}

/* The file record of input idx, queued for chain c. */
static void dispatch_one(struct run *b, struct chain *c, size_t idx, long long now)
{
	struct result *r = &b->r[idx];
	const struct input *x = &b->in.v[idx];
	plan_hash_input(x, r); /* before the chain reads it: the manifest's record of its bytes */
	char *text = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&text, &len);
	if (!m)
		nm_die(NM_EUSAGE, "out of memory");
	rec_put_file(m, "file", &(struct rec_file){x->path, x->name, r->owned});
	fclose(m);
	chain_send(c, idx, text, len, x->st.size, now);
	free(text);
}

/* Gives each chain work while it has room, starting chains as needed. */
static int dispatch(struct run *b, long long now)
{
	for (unsigned s = 0; s < b->njobs; s++) {
		if (b->next >= b->ntodo || b->interrupted)
			break;
		if (!b->live[s]) {
			struct buf why = BUF_INIT;
			if (chain_start(&b->chains[s], &b->spec, &why) < 0) {
				nm_warn("%s", buf_str(&why));
				buf_free(&why);
				return -1;
			}
			b->live[s] = 1;
		}
		struct chain *c = &b->chains[s];
		while (b->next < b->ntodo &&
		       (c->qlen == 0 || (c->qlen < WINDOW_NOTICES && c->queued_bytes < WINDOW_BYTES)))
			dispatch_one(b, c, b->todo[b->next++], now);
		chain_flush(c);
	}
	if (b->next >= b->ntodo) /* nothing left to send: the chains finish and stop */
		for (unsigned s = 0; s < b->njobs; s++)
			if (b->live[s] && b->chains[s].in >= 0 && b->chains[s].pending.len == 0)
				chain_close_input(&b->chains[s]);
	return 0;
}

/* Stops a chain that spends longer than its budget on its oldest notice. */
static void watchdog(struct run *b, long long now)
{
	int tick = now - b->last_tick >= 1000;
	if (tick)
		b->last_tick = now;
	for (unsigned s = 0; s < b->njobs; s++) {
		struct chain *c = &b->chains[s];
		if (!b->live[s] || c->qlen == 0 || b->slot_timeout[s].len)
			continue;
		long long limit = budget_ms(b, chain_head(c));
		if (now - c->head_since > limit) {
			const char *busy = chain_busiest(c);
			buf_printf(&b->slot_timeout[s], "took longer than %lld s (--time-limit)", limit / 1000);
			if (busy)
				buf_printf(&b->slot_timeout[s], " in stage %s", busy);
			chain_kill(c, SIGKILL);
		} else if (tick) {
			chain_busiest(c);
		}
	}
}

/* Runs the chains until every input to convert has its outcome. */
static void convert(struct run *b)
{
	b->prog.started_ms = run_now_ms();
	for (;;) {
		long long now = run_now_ms();
		if (got_signal)
			b->interrupted = got_signal;
		if (!b->interrupted && dispatch(b, now) < 0) {
			for (; b->next < b->ntodo; b->next++) {
				struct result *r = &b->r[b->todo[b->next]];
				r->state = PLAN_DONE;
				result_set(r, "failed", 0, 0, "", "", "not converted: a chain of stages could not be started", "");
			}
		}
		struct pollfd pfd[2 * 64 + 1];
		int slot_of[2 * 64 + 1], np = 0, live = 0;
		pfd[np] = (struct pollfd){wake[0], POLLIN, 0};
		slot_of[np++] = -1;
		for (unsigned s = 0; s < b->njobs; s++) {
			if (!b->live[s])
				continue;
			live++;
			struct chain *c = &b->chains[s];
			pfd[np] = (struct pollfd){c->out, POLLIN, 0};
			slot_of[np++] = (int)s;
			if (c->in >= 0 && c->pending.len > c->pending_off) {
				pfd[np] = (struct pollfd){c->in, POLLOUT, 0};
				slot_of[np++] = (int)s;
			}
		}
		if (!live || b->interrupted)
			break;
		poll(pfd, (nfds_t)np, 250);
		now = run_now_ms();
		if (pfd[0].revents) {
			char drain[64];
			while (read(wake[0], drain, sizeof drain) > 0) {
			}
		}
		for (int i = 1; i < np; i++) {
			int s = slot_of[i];
			if (!pfd[i].revents || !b->live[s])
				continue;
			struct chain *c = &b->chains[s];
			if (pfd[i].fd == c->in) {
				chain_flush(c);
				if (b->next >= b->ntodo)
					chain_close_input(c);
			} else if (chain_read(c, on_doc, b, now)) {
				chain_ended(b, s);
			}
		}
		watchdog(b, now);
		progress_show(&b->prog, now, 0);
	}
	if (b->interrupted) {
		for (unsigned s = 0; s < b->njobs; s++)
			if (b->live[s])
				chain_kill(&b->chains[s], SIGTERM);
		for (unsigned s = 0; s < b->njobs; s++)
			if (b->live[s]) {
				chain_reap(&b->chains[s], 1);
				chain_free(&b->chains[s]);
				b->live[s] = 0;
			}
	}
	progress_end(&b->prog);
}

int batch_run(const struct batch_opts *o, const struct batch_paths *p)
{
	static struct run b;
	memset(&b, 0, sizeof b);
	b.o = o;
	b.paths = p;
	b.lock = b.streams = -1;
	manifest_init(&b.m);
	catch_signals();
	long long t0 = run_now_ms();
	int rc = run_setup(&b);
	if (rc >= 0)
		goto done;
	/* What each input becomes. */
	b.r = calloc(b.in.n ? b.in.n : 1, sizeof *b.r);
	b.todo = nm_xmalloc((b.in.n ? b.in.n : 1) * sizeof *b.todo);
	struct plan_ctx pc = {&b.m, &b.od, b.streams, b.config, b.program, o->force, o->max_size};
	for (size_t i = 0; i < b.in.n; i++) {
		struct result *r = &b.r[i];
		if (b.unwritable) {
			r->state = PLAN_FAIL;
			result_set(r, "failed", 0, 0, "", "", b.unwritable, "");
			continue;
		}
		plan_decide(&pc, &b.in.v[i], r);
		if (r->state == PLAN_CONVERT) {
			b.todo[b.ntodo++] = i;
		} else if (r->state == PLAN_SKIP && o->strict) {
			const struct entry *e = manifest_by_name(&b.m, b.in.v[i].name);
			if (e && strcmp(e->status, "warn") == 0) {
				char why[64];
				snprintf(why, sizeof why, "strict: %ld findings (up to date)", r->findings);
				free(r->message);
				r->message = nm_xstrdup(why);
				snprintf(r->status, sizeof r->status, "failed");
			}
		}
	}
	b.njobs = o->jobs < b.ntodo ? o->jobs : (unsigned)(b.ntodo ? b.ntodo : 1);
	b.prog.on = !o->quiet && isatty(2) && b.ntodo > 0;
	b.prog.total = b.ntodo;
	if (b.ntodo)
		convert(&b);
	if (b.interrupted) {
		nm_warn("interrupted; workbooks already written are complete and recorded, the rest are not converted");
		rc = 128 + b.interrupted;
		goto done;
	}
	rc = run_finish(&b, (run_now_ms() - t0 + 500) / 1000);
done:
	run_free(&b);
	return rc;
}
