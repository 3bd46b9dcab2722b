/* chain.c - a chain of stage processes joined by pipes. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "batch/chain.h"
#include "stream/err.h"

extern char **environ;

static void close_fd(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

int chain_start(struct chain *c, const struct chain_spec *spec, struct buf *why)
{
	memset(c, 0, sizeof *c);
	c->spec = spec;
	c->in = c->out = -1;
	int p[CHAIN_MAX + 1][2];
	for (int i = 0; i <= spec->n; i++)
		p[i][0] = p[i][1] = -1;
	for (int i = 0; i <= spec->n; i++)
		if (pipe2(p[i], O_CLOEXEC) < 0) {
			buf_printf(why, "cannot start a chain: %s", strerror(errno));
			goto fail;
		}
	posix_spawnattr_t attr;
	posix_spawnattr_init(&attr);
	sigset_t def, none;
	sigemptyset(&def);
	sigemptyset(&none);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGHUP);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	int started = 0;
	for (int i = 0; i < spec->n; i++) {
		posix_spawn_file_actions_t fa;
		posix_spawn_file_actions_init(&fa);
		posix_spawn_file_actions_adddup2(&fa, p[i][0], 0);
		posix_spawn_file_actions_adddup2(&fa, p[i + 1][1], 1);
		int rc = posix_spawn(&c->pid[i], spec->argv[i][0], &fa, &attr, spec->argv[i],
				     environ);
		posix_spawn_file_actions_destroy(&fa);
		if (rc != 0) {
			buf_printf(why, "cannot start %s: %s", spec->argv[i][0], strerror(rc));
			c->pid[i] = 0;
			break;
		}
		started++;
	}
	posix_spawnattr_destroy(&attr);
	c->in = p[0][1];
	c->out = p[spec->n][0];
	p[0][1] = p[spec->n][0] = -1;
	for (int i = 0; i <= spec->n; i++)
		close_fd(&p[i][0]), close_fd(&p[i][1]);
	if (started < spec->n) {
		chain_kill(c, SIGKILL);
		chain_reap(c, 1);
		close_fd(&c->in);
		close_fd(&c->out);
		return -1;
	}
	fcntl(c->in, F_SETFL, O_NONBLOCK);
	fcntl(c->out, F_SETFL, O_NONBLOCK);
	return 0;
fail:
	for (int i = 0; i <= spec->n; i++)
		close_fd(&p[i][0]), close_fd(&p[i][1]);
	return -1;
}

void chain_send(struct chain *c, size_t idx, const char *rec, size_t len, unsigned long long bytes,
		long long now_ms)
{
	if (c->qlen == 0)
		c->head_since = now_ms;
	if (c->qhead + c->qlen == c->qcap) {
		if (c->qhead > 0) {
			memmove(c->queue, c->queue + c->qhead, c->qlen * sizeof *c->queue);
			c->qhead = 0;
		} else {
			c->qcap = c->qcap ? 2 * c->qcap : 16;
			c->queue = nm_xrealloc(c->queue, c->qcap * sizeof *c->queue);
		}
	}
	c->queue[c->qhead + c->qlen++] = idx;
	c->queued_bytes += bytes;
	buf_add(&c->pending, rec, len);
}

int chain_flush(struct chain *c)
{
	while (c->in >= 0 && c->pending_off < c->pending.len) {
		ssize_t n = write(c->in, c->pending.s + c->pending_off,
				  c->pending.len - c->pending_off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n < 0) { /* EPIPE: the first stage is gone */
			close_fd(&c->in);
			return -1;
		}
		c->pending_off += (size_t)n;
	}
	if (c->pending_off == c->pending.len) {
		buf_reset(&c->pending);
		c->pending_off = 0;
	}
	return 0;
}

void chain_close_input(struct chain *c)
{
	if (c->pending_off == c->pending.len)
		close_fd(&c->in);
}

size_t chain_head(const struct chain *c) { return c->queue[c->qhead]; }

/* One line of the chain's output (without its newline). */
static void take_line(struct chain *c, const char *s, size_t n, chain_doc_fn *fn, void *ctx,
		      long long now_ms)
{
	if (n >= 4 && memcmp(s, "doc\t", 4) == 0) {
		buf_reset(&c->group);
		buf_reset(&c->report);
		c->in_doc = 1;
	}
	if (!c->in_doc)
		return; /* nothing outside a document is the driver's */
	if (n >= 7 && memcmp(s, "report\t", 7) == 0) {
		buf_reset(&c->report);
		buf_add(&c->report, s, n);
		return;
	}
	buf_add(&c->group, s, n);
	buf_addc(&c->group, '\n');
	if (n == 3 && memcmp(s, "end", 3) == 0) {
		c->in_doc = 0;
		if (c->qlen == 0)
			return;
		size_t idx = c->queue[c->qhead++];
		c->qlen--;
		if (c->qlen == 0)
			c->qhead = 0;
		c->head_since = now_ms;
		fn(ctx, c, idx, &c->group, &c->report);
	}
}

int chain_read(struct chain *c, chain_doc_fn *fn, void *ctx, long long now_ms)
{
	char block[1 << 16];
	for (;;) {
		ssize_t n = read(c->out, block, sizeof block);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		if (n <= 0) {
			c->eof = 1;
			return 1;
		}
		const char *s = block, *end = block + n;
		while (s < end) {
			const char *nl = memchr(s, '\n', (size_t)(end - s));
			if (!nl) {
				buf_add(&c->line, s, (size_t)(end - s));
				break;
			}
			if (c->line.len) {
				buf_add(&c->line, s, (size_t)(nl - s));
				take_line(c, c->line.s, c->line.len, fn, ctx, now_ms);
				buf_reset(&c->line);
			} else {
				take_line(c, s, (size_t)(nl - s), fn, ctx, now_ms);
			}
			s = nl + 1;
		}
	}
}

void chain_kill(struct chain *c, int sig)
{
	for (int i = 0; i < c->spec->n; i++)
		if (c->pid[i] > 0 && !c->reaped[i]) {
			c->ours[i] = 1;
			kill(c->pid[i], sig);
		}
}

int chain_reap(struct chain *c, int block)
{
	int all = 1;
	for (int i = 0; i < c->spec->n; i++) {
		if (c->pid[i] <= 0 || c->reaped[i])
			continue;
		pid_t r;
		do
			r = waitpid(c->pid[i], &c->status[i], block ? 0 : WNOHANG);
		while (r < 0 && errno == EINTR);
		if (r == c->pid[i] || (r < 0 && errno == ECHILD))
			c->reaped[i] = 1;
		else
			all = 0;
	}
	return all;
}

/* A reaped stage that ended by itself, abnormally (not of a later stage's death). */
static int died_by_itself(const struct chain *c, int i)
{
	int st = c->status[i];
	if (c->pid[i] <= 0 || !c->reaped[i])
		return 0;
	if (WIFSIGNALED(st))
		return WTERMSIG(st) != SIGPIPE &&
		       !(c->ours[i] && (WTERMSIG(st) == SIGKILL || WTERMSIG(st) == SIGTERM));
	return WIFEXITED(st) && WEXITSTATUS(st) != 0;
}

void chain_settle(struct chain *c, int ms)
{
	for (int waited = 0;; waited += 2) {
		if (chain_reap(c, 0))
			return;
		for (int i = 0; i < c->spec->n; i++)
			if (died_by_itself(c, i))
				return;
		if (waited >= ms)
			return;
		struct timespec t = {0, 2000000};
		nanosleep(&t, NULL);
	}
}

void chain_death(const struct chain *c, struct buf *why)
{
	for (int i = c->spec->n; i-- > 0;) { /* the latest stage that died is the cause */
		if (!died_by_itself(c, i))
			continue;
		int st = c->status[i];
		if (WIFSIGNALED(st))
			buf_printf(why, "stage %s killed by signal %d", c->spec->label[i],
				   WTERMSIG(st));
		else
			buf_printf(why, "stage %s exited with status %d", c->spec->label[i],
				   WEXITSTATUS(st));
		return;
	}
}

int chain_interrupted(const struct chain *c)
{
	for (int i = 0; i < c->spec->n; i++) {
		int st = c->status[i];
		if (c->reaped[i] && !c->ours[i] && WIFSIGNALED(st) &&
		    (WTERMSIG(st) == SIGINT || WTERMSIG(st) == SIGTERM || WTERMSIG(st) == SIGHUP))
			return 1;
	}
	return 0;
}

/* utime + stime of a process, in clock ticks (0 when it cannot be read). */
static unsigned long long cpu_ticks(pid_t pid)
{
	char path[64], text[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return 0;
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	const char *s = strrchr(text, ')'); /* the command may hold spaces */
	unsigned long long ut = 0, st = 0;
	if (s &&
	    sscanf(s + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) == 2)
		return ut + st;
	return 0;
}

const char *chain_busiest(struct chain *c)
{
	const char *best = NULL;
	unsigned long long most = 0;
	for (int i = 0; i < c->spec->n; i++) {
		if (c->pid[i] <= 0 || c->reaped[i])
			continue;
		unsigned long long t = cpu_ticks(c->pid[i]);
		if (t > c->ticks[i] && t - c->ticks[i] > most) {
			most = t - c->ticks[i];
			best = c->spec->label[i];
		}
		c->ticks[i] = t;
	}
	return best;
}

void chain_free(struct chain *c)
{
	close_fd(&c->in);
	close_fd(&c->out);
	buf_free(&c->pending);
	buf_free(&c->line);
	buf_free(&c->group);
	buf_free(&c->report);
	free(c->queue);
	memset(c, 0, sizeof *c);
	c->in = c->out = -1;
}
