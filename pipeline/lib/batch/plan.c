/* plan.c - what is up to date, and what each input becomes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/plan.h"
#include "stream/err.h"

void result_set(struct result *r, const char *status, long tasks, long findings,
		const char *encoding, const char *output, const char *message, const char *hash)
{
	snprintf(r->status, sizeof r->status, "%s", status);
	/* a notice that failed has no workbook: what validate said of the
	 * nothing it got (task.none) is no finding of the notice */
	int failed = strcmp(status, "failed") == 0;
	r->tasks = failed ? 0 : tasks;
	r->findings = failed ? 0 : findings;
	free(r->encoding), free(r->output), free(r->message);
	r->encoding = nm_xstrdup(encoding ? encoding : "");
	r->output = nm_xstrdup(output ? output : "");
	r->message = nm_xstrdup(message ? message : "");
	snprintf(r->output_hash, sizeof r->output_hash, "%s", hash ? hash : "");
}

void result_free(struct result *r)
{
	free(r->encoding), free(r->output), free(r->message);
	r->encoding = r->output = r->message = NULL;
}

void plan_stream_name(char *out, size_t n, const char *hash)
{
	snprintf(out, n, "%s.stream", hash);
}

int plan_hash_input(const struct input *x, struct result *r)
{
	if (r->input[0])
		return 0;
	int fd = open(x->path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	int rc = ident_hash_fd(fd, r->input);
	close(fd);
	return rc;
}

static int exists_in(const struct outdir *od, const char *rel)
{
	int fd = outdir_open_read(od, rel);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

/* Whether the file is the one the entry describes: by stat, else by content. */
static int same_bytes(const struct input *x, const struct entry *e, struct result *r)
{
	if (ident_stat_equal(&x->st, &e->st))
		return 1;
	if (x->st.size != e->st.size)
		return 0;
	return plan_hash_input(x, r) == 0 && strcmp(r->input, e->input) == 0;
}

void plan_decide(const struct plan_ctx *p, const struct input *x, struct result *r)
{
	if (x->fail) {
		r->state = PLAN_FAIL;
		result_set(r, "failed", 0, 0, "", "", x->fail, "");
		return;
	}
	if (x->st.size > p->max_size) {
		char why[128];
		snprintf(why, sizeof why, "too large: %llu bytes, over --max-size %llu", x->st.size,
			 p->max_size);
		r->state = PLAN_FAIL;
		result_set(r, "failed", 0, 0, "", "", why, "");
		return;
	}
	r->state = PLAN_CONVERT;
	const struct entry *e = manifest_by_name(p->m, x->name);
	if (!e)
		return;
	if (strcmp(e->path, x->abs) != 0) {
		/* Another notice had this name: the same bytes moved, or a different one
		 * whose workbook is not this notice's to replace. */
		if (e->st.size == x->st.size && plan_hash_input(x, r) == 0 &&
		    strcmp(r->input, e->input) == 0)
			memcpy(r->owned, e->owned, IDENT_HEX);
		return;
	}
	memcpy(r->owned, e->owned, IDENT_HEX);
	int same = same_bytes(x, e, r);
	if (same && !r->input[0])
		memcpy(r->input, e->input, IDENT_HEX);
	if (p->force || !same)
		return;
	if (strcmp(e->status, "killed") == 0) {
		struct buf why = BUF_INIT;
		buf_printf(
			&why,
			"kept out: %s in an earlier run; it is tried again when it changes, or with --force",
			e->message);
		r->state = PLAN_FAIL;
		r->killed = 1;
		result_set(r, "failed", 0, 0, "", "", buf_str(&why), "");
		buf_free(&why);
		return;
	}
	char stream[IDENT_HEX + 8];
	plan_stream_name(stream, sizeof stream, e->output_hash);
	if (strcmp(e->config, p->config) != 0 || strcmp(e->program, p->program) != 0 ||
	    !*e->output || !exists_in(p->od, e->output) || p->streams < 0 ||
	    faccessat(p->streams, stream, F_OK, AT_SYMLINK_NOFOLLOW) != 0)
		return;
	r->state = PLAN_SKIP;
	result_set(r, "skipped", e->tasks, e->findings, e->encoding, e->output, "up to date",
		   e->output_hash);
}

static const unsigned long long *sort_cost;

static int heavier_first(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (sort_cost[x] != sort_cost[y])
		return sort_cost[x] > sort_cost[y] ? -1 : 1;
	return x < y ? -1 : x > y;
}

void plan_chunks(const unsigned long long *cost, size_t n, unsigned jobs, unsigned *chunk_of)
{
	if (jobs < 1)
		jobs = 1;
	size_t *order = nm_xmalloc((n ? n : 1) * sizeof *order);
	unsigned long long *load = calloc(jobs, sizeof *load);
	if (!load)
		nm_die(NM_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	sort_cost = cost;
	qsort(order, n, sizeof *order, heavier_first);
	for (size_t k = 0; k < n; k++) {
		unsigned best = 0;
		for (unsigned j = 1; j < jobs; j++)
			if (load[j] < load[best])
				best = j;
		chunk_of[order[k]] = best;
		load[best] += cost[order[k]];
	}
	free(order);
	free(load);
}
