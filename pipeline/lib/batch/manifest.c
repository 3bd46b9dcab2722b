/* manifest.c - the manifest and the journal of the output directory. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/manifest.h"
#include "stream/err.h"
#include "stream/rec.h"

void manifest_init(struct manifest *m)
{
	memset(m, 0, sizeof *m);
	m->journal = -1;
}

static void entry_free(struct entry *e)
{
	free(e->name);
	free(e->path);
	free(e->output);
	free(e->encoding);
	free(e->status);
	free(e->message);
}

void manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		entry_free(&m->v[i]);
	free(m->v);
	free(m->by_name);
	free(m->by_path);
	ident_parts_free(&m->parts);
	if (m->journal >= 0)
		close(m->journal);
	manifest_init(m);
}

static size_t slot_of(const struct manifest *m, const size_t *table, const char *key,
		      size_t key_off)
{
	size_t i = ident_fnv1a(IDENT_FNV_BASIS, key, strlen(key)) & (m->slots - 1);
	while (table[i]) {
		const struct entry *e = &m->v[table[i] - 1];
		if (strcmp(*(char *const *)((const char *)e + key_off), key) == 0)
			break;
		i = (i + 1) & (m->slots - 1);
	}
	return i;
}

#define NAME_OFF offsetof(struct entry, name)
#define PATH_OFF offsetof(struct entry, path)

static void reindex(struct manifest *m)
{
	free(m->by_name);
	free(m->by_path);
	m->slots = 64;
	while (m->slots < 2 * m->cap)
		m->slots *= 2;
	m->by_name = calloc(m->slots, sizeof *m->by_name);
	m->by_path = calloc(m->slots, sizeof *m->by_path);
	if (!m->by_name || !m->by_path)
		nm_die(NM_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n; i++) {
		m->by_name[slot_of(m, m->by_name, m->v[i].name, NAME_OFF)] = i + 1;
		m->by_path[slot_of(m, m->by_path, m->v[i].path, PATH_OFF)] = i + 1;
	}
}

struct entry *manifest_by_name(const struct manifest *m, const char *name)
{
	if (!m->slots)
		return NULL;
	size_t i = m->by_name[slot_of(m, m->by_name, name, NAME_OFF)];
	return i ? &m->v[i - 1] : NULL;
}

struct entry *manifest_by_path(const struct manifest *m, const char *path)
{
	if (!m->slots)
		return NULL;
	size_t i = m->by_path[slot_of(m, m->by_path, path, PATH_OFF)];
	return i ? &m->v[i - 1] : NULL;
}

static char *dup_or_empty(const char *s) { return nm_xstrdup(s ? s : ""); }

static void copy_entry(struct entry *d, const struct entry *e)
{
	*d = *e;
	d->name = dup_or_empty(e->name);
	d->path = dup_or_empty(e->path);
	d->output = dup_or_empty(e->output);
	d->encoding = dup_or_empty(e->encoding);
	d->status = dup_or_empty(e->status);
	d->message = dup_or_empty(e->message);
}

void manifest_put(struct manifest *m, const struct entry *e)
{
	struct entry *old = manifest_by_name(m, e->name);
	if (old) {
		struct entry copy;
		copy_entry(&copy, e);
		int same_path = strcmp(old->path, copy.path) == 0;
		entry_free(old);
		*old = copy;
		if (!same_path) /* the path index holds stale keys: rebuild it */
			reindex(m);
		return;
	}
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 256;
		m->v = nm_xrealloc(m->v, m->cap * sizeof *m->v);
		copy_entry(&m->v[m->n++], e);
		reindex(m);
		return;
	}
	copy_entry(&m->v[m->n++], e);
	m->by_name[slot_of(m, m->by_name, e->name, NAME_OFF)] = m->n;
	size_t ps = slot_of(m, m->by_path, e->path, PATH_OFF);
	if (!m->by_path[ps])
		m->by_path[ps] = m->n;
}

static unsigned long long num(const char *s) { return strtoull(s, NULL, 10); }

static void hex_field(char out[IDENT_HEX], const char *s)
{
	size_t n = strlen(s);
	if (n >= IDENT_HEX)
		n = 0; /* not one of ours: matches nothing */
	memcpy(out, s, n);
	out[n] = '\0';
}

static int get_entry(const struct rec *r, struct entry *e)
{
	if (r->nf < 18 || !*rec_field(r, 1) || !*rec_field(r, 2))
		return -1;
	memset(e, 0, sizeof *e);
	e->name = (char *)rec_field(r, 1);
	e->path = (char *)rec_field(r, 2);
	e->st.dev = num(rec_field(r, 3));
	e->st.ino = num(rec_field(r, 4));
	e->st.size = num(rec_field(r, 5));
	e->st.mtime_ns = strtoll(rec_field(r, 6), NULL, 10);
	hex_field(e->input, rec_field(r, 7));
	hex_field(e->config, rec_field(r, 8));
	hex_field(e->program, rec_field(r, 9));
	e->output = (char *)rec_field(r, 10);
	hex_field(e->output_hash, rec_field(r, 11));
	hex_field(e->owned, rec_field(r, 12));
	e->tasks = strtol(rec_field(r, 13), NULL, 10);
	e->findings = strtol(rec_field(r, 14), NULL, 10);
	e->encoding = (char *)rec_field(r, 15);
	e->status = (char *)rec_field(r, 16);
	e->message = (char *)rec_field(r, 17);
	return 0;
}

static void fmt_ull(char *s, size_t n, unsigned long long v) { snprintf(s, n, "%llu", v); }

void manifest_put_entry(FILE *out, const struct entry *e)
{
	char dev[24], ino[24], size[24], mtime[24], tasks[24], findings[24];
	fmt_ull(dev, sizeof dev, e->st.dev);
	fmt_ull(ino, sizeof ino, e->st.ino);
	fmt_ull(size, sizeof size, e->st.size);
	snprintf(mtime, sizeof mtime, "%lld", e->st.mtime_ns);
	snprintf(tasks, sizeof tasks, "%ld", e->tasks);
	snprintf(findings, sizeof findings, "%ld", e->findings);
	rec_put(out, "entry", e->name, e->path, dev, ino, size, mtime, e->input, e->config,
		e->program, e->output ? e->output : "", e->output_hash, e->owned, tasks, findings,
		e->encoding ? e->encoding : "", e->status ? e->status : "",
		e->message ? e->message : "", NULL);
}

/* Whether the workbook a journal entry claims is on disk with its hash. */
static int journal_entry_holds(const struct outdir *o, const struct entry *e)
{
	if (strcmp(e->status, "killed") == 0)
		return 1;
	int fd = outdir_open_read(o, e->output);
	if (fd < 0)
		return 0;
	char hex[IDENT_HEX];
	int ok = ident_fnv_fd(fd, hex) == 0 && strcmp(hex, e->output_hash) == 0;
	close(fd);
	return ok;
}

/* Reads the records of one file (manifest or journal) into m. */
static int read_file(struct manifest *m, const struct outdir *o, const char *rel, int journaled,
		     struct buf *why)
{
	int fd = outdir_open_read(o, rel);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		buf_printf(why, "cannot read %s: %s", rel,
			   errno == ELOOP ? "a symbolic link" : strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		buf_printf(why, "refused %s: not a regular file", rel);
		return -1;
	}
	fcntl(fd, F_SETFL, 0); /* opened O_NONBLOCK against a FIFO; a file reads as usual */
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		buf_printf(why, "cannot read %s: %s", rel, strerror(errno));
		return -1;
	}
	struct rec r = REC_INIT;
	int rc;
	while ((rc = rec_read(&r, f)) > 0) {
		struct entry e;
		if (rec_is(&r, "entry") && get_entry(&r, &e) == 0) {
			e.journaled = journaled;
			if (!journaled || journal_entry_holds(o, &e))
				manifest_put(m, &e);
		} else if (rec_is(&r, "summary") && !journaled) {
			hex_field(m->summary, rec_field(&r, 1));
		} else if (rec_is(&r, "prog") && !journaled && r.nf >= 7) {
			struct ident_stat id = {num(rec_field(&r, 2)), num(rec_field(&r, 3)),
						num(rec_field(&r, 4)),
						strtoll(rec_field(&r, 5), NULL, 10)};
			ident_parts_add(&m->parts, rec_field(&r, 1), &id, rec_field(&r, 6));
		}
	}
	rec_free(&r);
	fclose(f);
	if (rc < 0) {
		buf_printf(why, "cannot read %s", rel);
		return -1;
	}
	return 0;
}

int manifest_load(struct manifest *m, const struct outdir *o, struct buf *why)
{
	if (read_file(m, o, MANIFEST_FILE, 0, why) < 0)
		return -1;
	return read_file(m, o, JOURNAL_FILE, 1, why);
}

int manifest_journal(struct manifest *m, const struct outdir *o, const struct entry *e,
		     struct buf *why)
{
	if (m->journal < 0 && (m->journal = outdir_open_append(o, JOURNAL_FILE, why)) < 0)
		return -1;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	if (!mem)
		nm_die(NM_ENOMEM, "out of memory");
	manifest_put_entry(mem, e);
	fclose(mem);
	/* One write per record, O_APPEND: a kill leaves whole lines, or one cut last line. */
	ssize_t n = write(m->journal, text, len);
	free(text);
	if (n != (ssize_t)len) {
		buf_printf(why, "cannot write %s: %s", JOURNAL_FILE,
			   n < 0 ? strerror(errno) : "short write");
		return -1;
	}
	return 0;
}

/* Whether an entry still describes something in the output directory. */
static int still_there(const struct outdir *o, const struct entry *e)
{
	struct stat st;
	if (strcmp(e->status, "killed") == 0)
		return lstat(e->path, &st) == 0;
	int fd = outdir_open_read(o, e->output);
	if (fd < 0)
		return 0;
	close(fd);
	return 1;
}

int manifest_write(struct manifest *m, const struct outdir *o, struct buf *why)
{
	struct outfile f;
	if (outfile_create(o, MANIFEST_FILE, &f, why) < 0)
		return -1;
	int dupfd = dup(f.fd);
	FILE *out = dupfd >= 0 ? fdopen(dupfd, "w") : NULL;
	if (!out) {
		if (dupfd >= 0)
			close(dupfd);
		buf_printf(why, "cannot write %s: %s", MANIFEST_FILE, strerror(errno));
		outfile_abort(&f);
		return -1;
	}
	fputs("manifest\t2\n", out);
	for (size_t i = 0; i < m->parts.n; i++) {
		const struct ident_part *p = &m->parts.v[i];
		char dev[24], ino[24], size[24], mtime[24];
		fmt_ull(dev, sizeof dev, p->st.dev);
		fmt_ull(ino, sizeof ino, p->st.ino);
		fmt_ull(size, sizeof size, p->st.size);
		snprintf(mtime, sizeof mtime, "%lld", p->st.mtime_ns);
		rec_put(out, "prog", p->path, dev, ino, size, mtime, p->hash, NULL);
	}
	if (m->summary[0])
		rec_put(out, "summary", m->summary, NULL);
	for (size_t i = 0; i < m->n; i++)
		if (still_there(o, &m->v[i]))
			manifest_put_entry(out, &m->v[i]);
	int failed = fflush(out) != 0 || ferror(out);
	int e = errno;
	if (fclose(out) != 0)
		failed = 1;
	if (failed) {
		buf_printf(why, "cannot write %s: %s", MANIFEST_FILE, strerror(e ? e : EIO));
		outfile_abort(&f);
		return -1;
	}
	if (outfile_commit(&f, 1, why) < 0)
		return -1;
	if (m->journal >= 0) {
		close(m->journal);
		m->journal = -1;
	}
	if (outdir_unlink(o, JOURNAL_FILE) < 0 && errno != ENOENT) {
		buf_printf(why, "cannot remove %s: %s", JOURNAL_FILE, strerror(errno));
		return -1;
	}
	return 0;
}
