/*
 * writer.c - a workbook written atomically below the output directory.
 *
 * The file is created by outfile_create() (lib/stream/outdir.h): a
 * temporary name nobody can guess, O_EXCL|O_NOFOLLOW, in a folder reached
 * without following a link. libxlsxwriter is handed /proc/self/fd/N, the
 * open file itself, so it never opens a name in the output directory. The
 * finished file is synced (unless the caller syncs the file system once),
 * hashed, and renamed over its name; a signal on the way removes it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <zip.h>

#include "notice/cn.h"
#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/wb.h"

/* The temporary file being written, for the signal handler: its folder and name. */
static volatile sig_atomic_t temp_active;
static int temp_dirfd = -1;
static char temp_name[256];

static void on_signal(int sig)
{
	if (temp_active)
		unlinkat(temp_dirfd, temp_name, 0);
	signal(sig, SIG_DFL);
	raise(sig);
}

void wb_remove_temp_on_signal(void)
{
	static const int SIGS[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof SIGS / sizeof *SIGS; i++)
		sigaction(SIGS[i], &sa, NULL);
}

static void temp_set(const struct outfile *f)
{
	temp_active = 0;
	if (f && f->temp && strlen(f->temp) < sizeof temp_name) {
		temp_dirfd = f->dirfd;
		strcpy(temp_name, f->temp);
		temp_active = 1;
	}
}

/*
 * libxlsxwriter has every part of a workbook compressed at zlib's default
 * level, and that compression was a third of the time of writing one. The
 * parts are XML that the fastest level still shrinks to about a fifth; this
 * definition, found before minizip's by the dynamic linker, asks for it.
 */
int zipOpenNewFileInZip4_64(zipFile file, const char *name, const zip_fileinfo *info,
			    const void *local, uInt nlocal, const void *global, uInt nglobal,
			    const char *comment, int method, int level, int raw, int window_bits,
			    int mem_level, int strategy, const char *password, uLong crc,
			    uLong made_by, uLong flags, int zip64)
{
	static int (*minizip)(zipFile, const char *, const zip_fileinfo *, const void *, uInt,
			      const void *, uInt, const char *, int, int, int, int, int, int,
			      const char *, uLong, uLong, uLong, int);
	if (!minizip)
		*(void **)&minizip = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
	if (!minizip)
		return ZIP_INTERNALERROR;
	if (level == Z_DEFAULT_COMPRESSION)
		level = Z_BEST_SPEED;
	return minizip(file, name, info, local, nlocal, global, nglobal, comment, method, level,
		       raw, window_bits, mem_level, strategy, password, crc, made_by, flags, zip64);
}

void wb_keep_heap(void)
{
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
}

/* Seconds since 1970 of the issue date's midnight, or of 1980-01-01. */
static time_t created_time(const char *iso)
{
	int y, m, d;
	long days = 0;
	if (iso && date_from_iso(iso, &y, &m, &d))
		days = date_serial(y, m, d) - date_serial(1970, 1, 1);
	if (days <= 0)
		days = date_serial(1980, 1, 1) - date_serial(1970, 1, 1);
	return (time_t)days * 86400;
}

/*
 * Where libxlsxwriter keeps the parts of a workbook while writing them: a
 * memory file system with room to spare when there is one, else the
 * system's temporary folder (never the output directory).
 */
static const char *scratch_dir(void)
{
	static int known;
	static const char *dir;
	struct statvfs fs;
	if (!known) {
		known = 1;
		if (access("/dev/shm", W_OK | X_OK) == 0 && statvfs("/dev/shm", &fs) == 0 &&
		    (double)fs.f_bavail * fs.f_frsize > 2e9)
			dir = "/dev/shm";
	}
	return dir;
}

int writer_open(struct book *b, const struct wb_options *o, const char *rel, const char *title,
		const char *created_iso, struct buf *why)
{
	memset(b, 0, sizeof *b);
	b->out.fd = b->out.dirfd = -1;
	if (outfile_create(o->dir, rel, &b->out, why) < 0)
		return -1;
	lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)scratch_dir()};
	b->wb = workbook_new_opt(b->out.proc, &opt);
	if (!b->wb) {
		buf_printf(why, "cannot write %s: %s", rel, strerror(errno ? errno : ENOMEM));
		outfile_abort(&b->out);
		return -1;
	}
	struct buf t = BUF_INIT;
	utf8_scrub(&t, title);
	lxw_doc_properties p = {.title = t.s,
				.subject = "重点任务责任分工表",
				.created = created_time(created_iso)};
	book_ok(b, workbook_set_properties(b->wb, &p));
	buf_free(&t);
	return 0;
}

static void book_release(struct book *b)
{
	buf_free(&b->text), buf_free(&b->shortened);
	for (size_t i = 0; i < b->npara; i++)
		free(b->paras[i].text);
	free(b->paras);
	b->paras = NULL;
	b->npara = b->paracap = 0;
}

void writer_abort(struct book *b)
{
	book_release(b);
	if (b->wb)
		lxw_workbook_free(b->wb);
	b->wb = NULL;
	outfile_abort(&b->out);
}

/* The FNV-1a hash of what fd holds, in 16 hex digits; -1 when unreadable. */
static int hash_fd(int fd, char hex[17])
{
	char chunk[65536];
	uint64_t h = FNV_BASIS;
	off_t at = 0;
	ssize_t n;
	while ((n = pread(fd, chunk, sizeof chunk, at)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		h = wb_fnv1a(h, chunk, (size_t)n);
		at += n;
	}
	snprintf(hex, 17, "%016llx", (unsigned long long)h);
	return 0;
}

/* The hash of the file rel below the output directory, read without following a link. */
static int hash_existing(const struct outdir *dir, const char *rel, char hex[17], int *regular)
{
	int fd = outdir_open_read(dir, rel);
	struct stat st;
	*regular = 0;
	if (fd < 0)
		return -1;
	int rc = -1;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		*regular = 1;
		rc = hash_fd(fd, hex);
	}
	close(fd);
	return rc;
}

/*
 * libxlsxwriter prints its own line on stderr when it cannot write a file;
 * the report record says it once, for the whole pipeline, instead.
 */
static int quiet_stderr(void)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return saved;
}

static void restore_stderr(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* REL without .xlsx, then .YYYYMMDD-HHMMSS (and -2, -3... if taken), as a base name. */
static void beside_name(const struct outfile *f, struct buf *base)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	struct buf stem = BUF_INIT;
	struct stat st;
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	buf_adds(&stem, f->name);
	if (str_ends(stem.s, ".xlsx"))
		stem.s[stem.len -= 5] = '\0';
	for (int k = 1;; k++) {
		buf_reset(base);
		buf_printf(base, "%s.%s", stem.s, stamp);
		if (k > 1)
			buf_printf(base, "-%d", k);
		buf_adds(base, ".xlsx");
		if (fstatat(f->dirfd, base->s, &st, AT_SYMLINK_NOFOLLOW) < 0 || k > 999)
			break;
	}
	buf_free(&stem);
}

/* The path relative to the output directory of base beside f's file. */
static void beside_rel(const struct outfile *f, const char *base, struct buf *rel)
{
	const char *slash = strrchr(f->rel, '/');
	if (slash)
		buf_add(rel, f->rel, (size_t)(slash - f->rel) + 1);
	buf_adds(rel, base);
}

int writer_close(struct book *b, const struct wb_options *o, const char *guard, char hash[17],
		 struct buf *final, struct buf *note, int *unchanged, struct buf *why)
{
	const char *rel = b->out.rel;
	book_release(b);
	if (unchanged)
		*unchanged = 0;
	if (b->err) {
		buf_printf(why, "cannot write %s: %s: %s", rel,
			   b->err_sheet ? b->err_sheet : "workbook", lxw_strerror(b->err));
		writer_abort(b);
		return -1;
	}
	temp_set(&b->out);
	int err_fd = quiet_stderr();
	errno = 0;
	lxw_error e = workbook_close(b->wb);
	int saved = errno;
	restore_stderr(err_fd);
	b->wb = NULL;
	if (e != LXW_NO_ERROR) {
		buf_printf(why, "cannot write %s: %s", rel,
			   saved ? strerror(saved) : lxw_strerror(e));
		goto fail;
	}
	int rfd = open(b->out.proc, O_RDONLY | O_CLOEXEC);
	int hashed = rfd >= 0 ? hash_fd(rfd, hash) : -1;
	if (rfd >= 0)
		close(rfd);
	if (hashed < 0) {
		buf_printf(why, "cannot write %s: %s", rel, strerror(errno));
		goto fail;
	}
	char old[17] = "";
	int regular;
	int there = hash_existing(o->dir, rel, old, &regular) == 0;
	if (unchanged && there && strcasecmp(old, hash) == 0) {
		*unchanged = 1; /* the same bytes are there already */
		buf_adds(final, rel);
		temp_active = 0;
		outfile_abort(&b->out);
		return 0;
	}
	/* A guarded file there that is neither what the last run wrote nor these
	 * very bytes (a run killed before it could record them) was edited; so
	 * is anything there that is not a plain file (a link is not followed). */
	int exists = there;
	if (guard && !there) {
		int fd = outdir_open_read(o->dir, rel);
		exists = fd >= 0 || errno != ENOENT;
		if (fd >= 0)
			close(fd);
	}
	if (guard && exists &&
	    !(there && (strcasecmp(old, guard) == 0 || strcasecmp(old, hash) == 0))) {
		struct buf base = BUF_INIT, brel = BUF_INIT;
		beside_name(&b->out, &base);
		beside_rel(&b->out, base.s, &brel);
		buf_printf(note, "%s was edited since it was written: kept, the new workbook is %s",
			   rel, brel.s);
		free(b->out.name);
		b->out.name = nm_xstrdup(base.s);
		buf_adds(final, brel.s);
		buf_free(&base), buf_free(&brel);
	} else {
		buf_adds(final, rel);
	}
	int sync = !o->no_fsync;
	int dirfd = sync ? dup(b->out.dirfd) : -1;
	struct buf err = BUF_INIT;
	int rc = outfile_commit(&b->out, sync, &err);
	temp_active = 0;
	if (rc < 0) {
		buf_reset(final);
		buf_adds(why, buf_str(&err));
	} else if (dirfd >= 0) {
		fsync(dirfd); /* the rename itself; a folder that cannot be synced is no error */
	}
	if (dirfd >= 0)
		close(dirfd);
	buf_free(&err);
	return rc;
fail:
	temp_active = 0;
	outfile_abort(&b->out);
	return -1;
}
