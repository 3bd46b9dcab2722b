/* walk.c - the inputs of a run, found with fts(3) in sorted order. */
#include <errno.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "batch/walk.h"
#include "stream/err.h"

static struct input *add(struct inputs *in, const char *path, const char *rel, unsigned argi,
			 const char *cwd)
{
	if (in->n == in->cap) {
		in->cap = in->cap ? 2 * in->cap : 64;
		in->v = nm_xrealloc(in->v, in->cap * sizeof *in->v);
	}
	struct input *x = &in->v[in->n++];
	memset(x, 0, sizeof *x);
	x->path = nm_xstrdup(path);
	x->rel = nm_xstrdup(rel);
	x->abs = walk_absolute(cwd, path);
	x->arg = argi;
	return x;
}

char *walk_absolute(const char *cwd, const char *path)
{
	struct buf b = BUF_INIT;
	if (path[0] != '/')
		buf_adds(&b, cwd);
	const char *p = path;
	while (*p) {
		while (*p == '/')
			p++;
		const char *e = strchr(p, '/');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		if (n && !(n == 1 && p[0] == '.')) {
			if (!b.len || b.s[b.len - 1] != '/')
				buf_addc(&b, '/');
			buf_add(&b, p, n);
		}
		p += n;
	}
	if (!b.len)
		buf_addc(&b, '/');
	return b.s;
}

/* Sets what the driver knows of an entry that is not a plain file. */
static void classify_link(struct input *x, const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		x->fail = errno == ENOENT ? "a broken symbolic link"
					  : "cannot read: a symbolic link that cannot be followed";
	else if (S_ISDIR(st.st_mode))
		x->fail = "a symbolic link to a folder (not followed)";
	else if (!S_ISREG(st.st_mode))
		x->fail = "not a regular file";
	else
		ident_from_stat(&st, &x->st);
}

static int by_rel(const void *a, const void *b)
{
	return strcmp(((const struct input *)a)->rel, ((const struct input *)b)->rel);
}

static int is_skipped(const struct stat *st, const struct walk_skip *skip)
{
	return skip && (unsigned long long)st->st_dev == skip->dev &&
	       (unsigned long long)st->st_ino == skip->ino;
}

/* A directory argument: every entry below it but folders. */
static int walk_dir(struct inputs *in, const char *arg, unsigned argi, const char *cwd,
		    const struct walk_skip *skip)
{
	char *roots[] = {(char *)arg, NULL};
	size_t first = in->n, skip_len = strlen(arg);
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_COMFOLLOW | FTS_NOCHDIR, NULL);
	if (!fts)
		return -1;
	for (FTSENT *e; (e = fts_read(fts));) {
		if (e->fts_level == 0)
			continue;
		const char *rel = e->fts_path + skip_len;
		while (*rel == '/')
			rel++;
		switch (e->fts_info) {
		case FTS_D:
			if (is_skipped(e->fts_statp, skip))
				fts_set(fts, e, FTS_SKIP);
			continue;
		case FTS_DP:
		case FTS_DOT:
			continue;
		case FTS_F:
			ident_from_stat(e->fts_statp, &add(in, e->fts_path, rel, argi, cwd)->st);
			break;
		case FTS_SL:
		case FTS_SLNONE:
			classify_link(add(in, e->fts_path, rel, argi, cwd), e->fts_path);
			break;
		case FTS_DNR:
			add(in, e->fts_path, rel, argi, cwd)->fail = "cannot read the folder";
			break;
		case FTS_DC:
			add(in, e->fts_path, rel, argi, cwd)->fail =
				"a folder inside itself (a loop)";
			break;
		case FTS_NS:
		case FTS_ERR:
			add(in, e->fts_path, rel, argi, cwd)->fail = "cannot read";
			break;
		default: /* FIFOs, devices, sockets */
			add(in, e->fts_path, rel, argi, cwd)->fail = "not a regular file";
			break;
		}
	}
	int e = errno;
	fts_close(fts);
	qsort(in->v + first, in->n - first, sizeof *in->v, by_rel);
	errno = e;
	return 0;
}

static const char *base_name(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *s = path + n;
	while (s > path && s[-1] != '/')
		s--;
	return s;
}

int walk_input(struct inputs *in, const char *arg, unsigned argi, const char *cwd,
	       const struct walk_skip *skip, struct buf *why)
{
	struct stat st;
	if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (is_skipped(&st, skip)) {
			buf_printf(
				why,
				"%s: the output directory is this input directory; give -o another folder",
				arg);
			return -1;
		}
		if (walk_dir(in, arg, argi, cwd, skip) < 0)
			add(in, arg, base_name(arg), argi, cwd)->fail = "cannot read the folder";
		return 0;
	}
	struct input *x = add(in, arg, base_name(arg), argi, cwd);
	struct stat lst;
	if (lstat(arg, &lst) < 0)
		x->fail = errno == ENOENT ? "no such file or directory" : "cannot read";
	else if (S_ISLNK(lst.st_mode))
		classify_link(x, arg);
	else if (!S_ISREG(lst.st_mode))
		x->fail = "not a regular file";
	else
		ident_from_stat(&lst, &x->st);
	return 0;
}

void inputs_free(struct inputs *in)
{
	for (size_t i = 0; i < in->n; i++) {
		free(in->v[i].path);
		free(in->v[i].rel);
		free(in->v[i].abs);
		free(in->v[i].name);
	}
	free(in->v);
	memset(in, 0, sizeof *in);
}
