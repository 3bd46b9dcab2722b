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
#include <sys/resource.h>
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
	/* The journal first: e may point into the entry manifest_put() replaces. */
	if (manifest_journal(&b->m, &b->od, e, &why) < 0 && !b->journal_warned) {
		nm_warn("%s (a run killed now would convert this batch again)", buf_str(&why));
		b->journal_warned = 1;
	}
	manifest_put(&b->m, e);
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
			/* a stage died inside it (c is its slot's first member) */
			((struct slot *)c)->cut = idx + 1;
	}
	rec_free(&rec);
	if (strcmp(r->status, "ok") == 0 || strcmp(r->status, "warn") == 0) {
		r->warned = strcmp(r->status, "warn") == 0;
		save_stream(b, idx, group);
		/* Recorded even without its kept stream (the next run then converts it
		 * again): the workbook at its name is the program's own now. */
		struct entry e;
		entry_of(b, idx, &e);
		record(b, &e);
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

static void list_push(struct run_list *l, size_t idx)
{
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 16;
		l->v = nm_xrealloc(l->v, l->cap * sizeof *l->v);
	}
	l->v[l->n++] = idx;
}

/* Puts the unconsumed part of from (in order) in front of what to has left. */
static void list_prepend_rest(struct run_list *to, struct run_list *from)
{
	struct run_list l = {0};
	for (size_t i = from->next; i < from->n; i++)
		list_push(&l, from->v[i]);
	for (size_t i = to->next; i < to->n; i++)
		list_push(&l, to->v[i]);
	free(to->v);
	*to = l;
	from->n = from->next = 0;
}

/* Takes back the outcome of a notice that came back cut short: it is a suspect. */
static void undo(struct run *b, size_t idx)
{
	struct result *r = &b->r[idx];
	if (r->state != PLAN_DONE)
		return;
	b->prog.done--;
	if (strcmp(r->status, "failed") == 0)
		b->prog.failed--;
	r->state = PLAN_CONVERT;
}

#define ISOLATE_MAX 8

/*
 * A chain's output ended. When it ended early (a stage died, or the
 * watchdog stopped it), the notices it had not sent back are suspects:
 * stages hold some documents in their buffers, so the first of them need
 * not be the one that killed it. Each suspect then goes through a chain
 * of its own, alone; the one whose chain dies again is the culprit and
 * fails with the reason, the others convert. After ISOLATE_MAX suspects
 * tried alone the rest go back to a normal chain.
 */
static void chain_ended(struct run *b, struct slot *sl)
{
	struct chain *c = &sl->c;
	int early = c->qlen > 0 || sl->cut || sl->timeout.len;
	if (!early) {
		chain_close_input(c);
		chain_reap(c, 1);
	} else {
		/* the stage that died first, before the driver stops the rest */
		if (sl->timeout.len)
			chain_reap(c, 0);
		else
			chain_settle(c, 500);
		chain_kill(c, SIGKILL);
		chain_reap(c, 1);
	}
	if (early && (got_signal || chain_interrupted(c))) {
		b->interrupted = got_signal ? got_signal : SIGTERM;
	} else if (early && sl->isolating) {
		struct buf why = BUF_INIT;
		if (sl->timeout.len)
			buf_add(&why, sl->timeout.s, sl->timeout.len);
		else
			chain_death(c, &why);
		if (!why.len)
			buf_adds(&why, "the chain of stages ended early");
		quarantine(b, sl->cut ? sl->cut - 1 : chain_head(c), buf_str(&why));
		buf_free(&why);
		/* the culprit found: the rest as usual */
		list_prepend_rest(&sl->work, &sl->suspects);
		sl->isolating = 0;
	} else if (early) {
		struct run_list sus = {0};
		if (sl->cut) {
			undo(b, sl->cut - 1);
			list_push(&sus, sl->cut - 1);
		}
		for (size_t k = 0; k < c->qlen; k++)
			list_push(&sus, c->queue[c->qhead + k]);
		list_prepend_rest(&sus, &sl->suspects);
		free(sl->suspects.v);
		sl->suspects = sus;
		sl->tries = 0;
	} else if (sl->isolating) { /* the suspect converted alone: not the culprit */
		sl->isolating = 0;
		if (++sl->tries >= ISOLATE_MAX)
			list_prepend_rest(&sl->work, &sl->suspects);
	}
	chain_free(c);
	sl->live = 0;
	sl->cut = 0;
	buf_reset(&sl->timeout);
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
		nm_die(NM_ENOMEM, "out of memory");
	rec_put_file(m, "file", &(struct rec_file){x->path, x->name, r->owned});
	fclose(m);
	chain_send(c, idx, text, len, x->st.size, now);
	free(text);
}

/* Fails what a slot has left when no chain can be started for it. */
static void cannot_start(struct run *b, struct slot *sl, const char *why)
{
	struct run_list *lists[] = {&sl->suspects, &sl->work};
	for (int k = 0; k < 2; k++)
		for (; lists[k]->next < lists[k]->n; lists[k]->next++) {
			struct result *r = &b->r[lists[k]->v[lists[k]->next]];
			r->state = PLAN_DONE;
			b->prog.done++, b->prog.failed++;
			result_set(r, "failed", 0, 0, "", "", why, "");
		}
}

/* Starts a chain for each slot with work: a suspect alone, or the rest of its chunk. */
static void dispatch(struct run *b, long long now)
{
	for (unsigned s = 0; s < b->njobs && !b->interrupted; s++) {
		struct slot *sl = &b->slots[s];
		int has_sus = sl->suspects.next < sl->suspects.n;
		if (sl->live || (!has_sus && sl->work.next >= sl->work.n))
			continue;
		struct buf why = BUF_INIT;
		if (chain_start(&sl->c, &b->spec, &why) < 0) {
			nm_warn("%s", buf_str(&why));
			struct buf msg = BUF_INIT;
			buf_printf(&msg, "not converted: %s", buf_str(&why));
			cannot_start(b, sl, buf_str(&msg));
			buf_free(&msg);
			buf_free(&why);
			continue;
		}
		buf_free(&why);
		sl->live = 1;
		if (has_sus) {
			sl->isolating = 1;
			dispatch_one(b, &sl->c, sl->suspects.v[sl->suspects.next++], now);
		} else {
			while (sl->work.next < sl->work.n)
				dispatch_one(b, &sl->c, sl->work.v[sl->work.next++], now);
		}
		chain_flush(&sl->c);
		chain_close_input(&sl->c);
	}
}

/* Stops a chain that spends longer than its budget on its oldest notice. */
static void watchdog(struct run *b, long long now)
{
	int tick = now - b->last_tick >= 1000;
	if (tick)
		b->last_tick = now;
	for (unsigned s = 0; s < b->njobs; s++) {
		struct slot *sl = &b->slots[s];
		struct chain *c = &sl->c;
		if (!sl->live || c->qlen == 0 || sl->timeout.len)
			continue;
		long long limit = budget_ms(b, chain_head(c));
		if (now - c->head_since > limit) {
			const char *busy = chain_busiest(c);
			buf_printf(&sl->timeout, "took longer than %lld s (--time-limit)",
				   limit / 1000);
			if (busy)
				buf_printf(&sl->timeout, " in stage %s", busy);
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
		dispatch(b, now);
		struct pollfd pfd[2 * RUN_MAX_JOBS + 1];
		int slot_of[2 * RUN_MAX_JOBS + 1], np = 0, live = 0;
		pfd[np] = (struct pollfd){wake[0], POLLIN, 0};
		slot_of[np++] = -1;
		for (unsigned s = 0; s < b->njobs; s++) {
			struct slot *sl = &b->slots[s];
			if (!sl->live)
				continue;
			live++;
			pfd[np] = (struct pollfd){sl->c.out, POLLIN, 0};
			slot_of[np++] = (int)s;
			if (sl->c.in >= 0 && sl->c.pending.len > sl->c.pending_off) {
				pfd[np] = (struct pollfd){sl->c.in, POLLOUT, 0};
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
			struct slot *sl = &b->slots[slot_of[i]];
			if (!pfd[i].revents || !sl->live)
				continue;
			if (pfd[i].fd == sl->c.in) {
				chain_flush(&sl->c);
				chain_close_input(&sl->c);
			} else if (chain_read(&sl->c, on_doc, b, now)) {
				chain_ended(b, sl);
			}
		}
		watchdog(b, now);
		progress_show(&b->prog, now, 0);
	}
	/* SIGTERM lets nm-xlsx remove its temporary file; 3 s, then SIGKILL */
	if (b->interrupted) {
		for (unsigned s = 0; s < b->njobs; s++)
			if (b->slots[s].live)
				chain_kill(&b->slots[s].c, SIGTERM);
		long long until = run_now_ms() + 3000;
		for (int all = 0; !all && run_now_ms() < until;) {
			all = 1;
			for (unsigned s = 0; s < b->njobs; s++)
				if (b->slots[s].live && !chain_reap(&b->slots[s].c, 0))
					all = 0;
			if (!all)
				poll(NULL, 0, 20);
		}
		for (unsigned s = 0; s < b->njobs; s++)
			if (b->slots[s].live) {
				chain_kill(&b->slots[s].c, SIGKILL);
				chain_reap(&b->slots[s].c, 1);
				chain_free(&b->slots[s].c);
				b->slots[s].live = 0;
			}
	}
	progress_end(&b->prog);
}

/* Splits the inputs to convert (todo) into one balanced chunk per job. */
static void make_chunks(struct run *b, const size_t *todo, size_t n)
{
	b->njobs = b->o->jobs < n ? b->o->jobs : (unsigned)(n ? n : 1);
	unsigned long long *cost = nm_xmalloc((n ? n : 1) * sizeof *cost);
	unsigned *chunk = nm_xmalloc((n ? n : 1) * sizeof *chunk);
	for (size_t k = 0; k < n; k++)
		cost[k] = b->in.v[todo[k]].st.size + PLAN_NOTICE_COST;
	plan_chunks(cost, n, b->njobs, chunk);
	for (size_t k = 0; k < n; k++)
		list_push(&b->slots[chunk[k]].work, todo[k]);
	free(cost);
	free(chunk);
}

/* NM_TIMING: how long the run took to reach this point, and the driver's memory. */
void run_timing(const struct run *b, const char *what, long long t0)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	fprintf(stderr,
		"notice-matrix: timing: %s %zu inputs in %lld ms, driver peak RSS %ld KiB\n", what,
		b->in.n, run_now_ms() - t0, ru.ru_maxrss);
}

int batch_run(const struct batch_opts *o, const struct batch_paths *p)
{
	static struct run b;
	memset(&b, 0, sizeof b);
	b.o = o;
	b.paths = p;
	b.lock = b.streams = b.od.fd = -1;
	manifest_init(&b.m);
	catch_signals();
	long long t0 = run_now_ms();
	int rc = run_setup(&b);
	if (rc >= 0) {
		rc = nm_exit_status(rc);
		goto done;
	}
	/* What each input becomes. */
	b.r = calloc(b.in.n ? b.in.n : 1, sizeof *b.r);
	size_t *todo = nm_xmalloc((b.in.n ? b.in.n : 1) * sizeof *todo);
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
			todo[b.ntodo++] = i;
		} else if (r->state == PLAN_SKIP && o->strict) {
			const struct entry *e = manifest_by_name(&b.m, b.in.v[i].name);
			if (e && strcmp(e->status, "warn") == 0) {
				char why[64];
				snprintf(why, sizeof why, "strict: %ld findings (up to date)",
					 r->findings);
				free(r->message);
				r->message = nm_xstrdup(why);
				snprintf(r->status, sizeof r->status, "failed");
			}
		}
	}
	if (o->dry_run) {
		static const char *const what[] = {"convert", "skip", "fail", "done"};
		for (size_t i = 0; i < b.in.n; i++)
			printf("%s\t%s\t%s\t%s\n", what[b.r[i].state], b.in.v[i].path,
			       b.in.v[i].name, b.r[i].message ? b.r[i].message : "");
		if (getenv("NM_TIMING"))
			run_timing(&b, "planned", t0);
		free(todo);
		rc = 0;
		goto done;
	}
	make_chunks(&b, todo, b.ntodo);
	free(todo);
	b.prog.on = !o->quiet && isatty(2) && b.ntodo > 0;
	b.prog.total = b.ntodo;
	if (getenv("NM_TIMING"))
		run_timing(&b, "planned", t0);
	if (b.ntodo)
		convert(&b);
	if (getenv("NM_TIMING"))
		run_timing(&b, "converted", t0);
	if (b.interrupted) {
		nm_warn("interrupted; workbooks already written are complete and recorded, the rest are not converted");
		rc = 128 + b.interrupted;
		/* The chains are dead: a workbook a stage was writing when it was
		 * killed (SIGKILL gives it no chance) leaves no temporary file. */
		outdir_remove_stale(&b.od, "");
		goto done;
	}
	rc = run_finish(&b, (run_now_ms() - t0 + 500) / 1000);
done:
	run_free(&b);
	return rc;
}
