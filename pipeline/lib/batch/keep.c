/* keep.c - each document of a stream kept in OUTDIR/NAME.stages/. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/keep.h"
#include "stream/err.h"
#include "stream/rec.h"

/* Starts the file of the document whose doc record is line. */
static int begin(const struct outdir *od, const char *label, const char *line, size_t n,
		 struct outfile *f, FILE **to)
{
	FILE *m = fmemopen((void *)line, n, "r");
	struct rec r = REC_INIT;
	struct buf rel = BUF_INIT;
	int rc = -1;
	if (m && rec_read(&r, m) > 0) {
		struct rec_file d;
		rec_get_file(&r, &d);
		size_t len = strlen(d.outname);
		if (len > 5 && strcmp(d.outname + len - 5, ".xlsx") == 0)
			len -= 5;
		buf_add(&rel, d.outname, len);
		buf_printf(&rel, ".stages/%s.stream", label);
		if (len && outfile_create(od, rel.s, f, NULL) == 0) {
			int fd = dup(f->fd);
			*to = fd >= 0 ? fdopen(fd, "w") : NULL;
			if (!*to) {
				if (fd >= 0)
					close(fd);
				outfile_abort(f);
			} else {
				rc = 0;
			}
		}
	}
	if (m)
		fclose(m);
	rec_free(&r);
	buf_free(&rel);
	return rc;
}

static void finish(struct outfile *f, FILE **to)
{
	if (!*to)
		return;
	int bad = fflush(*to) != 0 || ferror(*to);
	if (fclose(*to) != 0 || bad)
		outfile_abort(f);
	else
		outfile_commit(f, 0, NULL);
	*to = NULL;
}

int keep_stream(FILE *in, FILE *out, const struct outdir *od, const char *label, struct buf *why)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct outfile f;
	FILE *to = NULL;
	memset(&f, 0, sizeof f);
	while ((n = getline(&line, &cap, in)) > 0) {
		if (n > 4 && memcmp(line, "doc\t", 4) == 0) {
			finish(&f, &to);
			begin(od, label, line, (size_t)n, &f, &to);
		}
		fwrite(line, 1, (size_t)n, out);
		if (to)
			fwrite(line, 1, (size_t)n, to);
		if (n == 4 && memcmp(line, "end\n", 4) == 0) {
			finish(&f, &to);
			fflush(out); /* a document at a time, as the stages do */
		}
	}
	finish(&f, &to);
	free(line);
	if (ferror(in)) {
		buf_adds(why, "read error on standard input");
		return -1;
	}
	return 0;
}
