/* report.c - report.tsv, the stderr lines and the progress line. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/report.h"
#include "stream/err.h"

void report_count(const struct inputs *in, const struct result *r, struct report_counts *c)
{
	memset(c, 0, sizeof *c);
	for (size_t i = 0; i < in->n; i++) {
		if (strcmp(r[i].status, "failed") == 0)
			c->failed++;
		else if (strcmp(r[i].status, "skipped") == 0)
			c->skipped++;
		else
			c->converted++;
		c->tasks += r[i].tasks;
		c->findings += r[i].findings;
	}
}

/* A field of report.tsv: TAB, newline, CR and backslash escaped as in the stream. */
static void tsv_field(FILE *out, const char *s, int last)
{
	for (; *s; s++) {
		const char *esc = *s == '\t'   ? "\\t"
				  : *s == '\n' ? "\\n"
				  : *s == '\r' ? "\\r"
				  : *s == '\\' ? "\\\\"
					       : NULL;
		if (esc)
			fputs(esc, out);
		else
			putc(*s, out);
	}
	putc(last ? '\n' : '\t', out);
}

int report_write(const struct outdir *o, const struct inputs *in, const struct result *r,
		 struct buf *why)
{
	struct outfile f;
	if (outfile_create(o, "report.tsv", &f, why) < 0)
		return -1;
	int dupfd = dup(f.fd);
	FILE *out = dupfd >= 0 ? fdopen(dupfd, "w") : NULL;
	if (!out) {
		if (dupfd >= 0)
			close(dupfd);
		buf_printf(why, "cannot write report.tsv: %s", strerror(errno));
		outfile_abort(&f);
		return -1;
	}
	fputs("file\tstatus\ttasks\tfindings\tencoding\toutput\tmessage\n", out);
	for (size_t i = 0; i < in->n; i++) {
		char n[24];
		tsv_field(out, in->v[i].path, 0);
		tsv_field(out, r[i].status, 0);
		snprintf(n, sizeof n, "%ld", r[i].tasks);
		tsv_field(out, n, 0);
		snprintf(n, sizeof n, "%ld", r[i].findings);
		tsv_field(out, n, 0);
		tsv_field(out, r[i].encoding ? r[i].encoding : "", 0);
		tsv_field(out, r[i].output ? r[i].output : "", 0);
		tsv_field(out, r[i].message ? r[i].message : "", 1);
	}
	int failed = fflush(out) != 0 || ferror(out);
	int e = errno;
	if (fclose(out) != 0)
		failed = 1;
	if (failed) {
		buf_printf(why, "cannot write report.tsv: %s", strerror(e ? e : EIO));
		outfile_abort(&f);
		return -1;
	}
	return outfile_commit(&f, 0, why);
}

void report_failures(FILE *to, const struct inputs *in, const struct result *r)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(r[i].status, "failed") == 0)
			fprintf(to, "%s: %s\n", in->v[i].path,
				r[i].message ? r[i].message : "failed");
}

void report_line(FILE *to, const struct report_counts *c, long seconds)
{
	fprintf(to,
		"notice-matrix: converted %zu, skipped %zu, failed %zu, tasks %ld, findings %ld, %ld s\n",
		c->converted, c->skipped, c->failed, c->tasks, c->findings, seconds);
}

void progress_show(struct progress *p, long long now_ms, int force)
{
	if (!p->on || (!force && now_ms - p->shown_ms < 500))
		return;
	p->shown_ms = now_ms;
	double secs = (double)(now_ms - p->started_ms) / 1000.0;
	double rate = secs > 0 ? (double)p->done / secs : 0;
	long eta = rate > 0 ? (long)((double)(p->total - p->done) / rate) : 0;
	fprintf(stderr, "\r%zu/%zu done, %zu failed, %.1f/s, ETA %lds   ", p->done, p->total,
		p->failed, rate, eta);
	fflush(stderr);
}

void progress_end(struct progress *p)
{
	if (p->on)
		fputs("\r\033[K", stderr);
}
