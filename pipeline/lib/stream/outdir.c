/* outdir.c - creating, replacing and removing files below the output directory
 * without ever following a link planted there. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream/err.h"
#include "stream/outdir.h"

#define TEMP_SUFFIX ".nmtmp"
#define TEMP_RANDOM 6
#define NAME_MAX_BYTES 255

static int why_errno(struct buf *why, const char *what, const char *name)
{
	if (why)
		buf_printf(why, "%s %s: %s", what, name, strerror(errno));
	return -1;
}

/* mkdir -p of the parents of path and path itself; links among them are the user's. */
static int make_dirs(const char *path)
{
	char *p = nm_xstrdup(path);
	int rc = 0;
	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			rc = -1;
		*s = c;
		if (!c)
			break;
	}
	free(p);
	return rc;
}

int outdir_open(struct outdir *o, const char *path, int create, struct buf *why)
{
	o->fd = -1;
	o->path = nm_xstrdup(path);
	if (create)
		make_dirs(path);
	o->fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (o->fd < 0) {
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
			buf_printf(why, "output directory %s is a symbolic link", path);
		else
			why_errno(why, "cannot open output directory", path);
		outdir_close(o);
		return -1;
	}
	return 0;
}

void outdir_close(struct outdir *o)
{
	if (o->fd >= 0)
		close(o->fd);
	free(o->path);
	o->fd = -1;
	o->path = NULL;
}

/* One folder below dfd: a real folder (not a link), owned by us when owned is set. */
static int enter(int dfd, const char *name, int create, int owned, struct buf *why, const char *rel)
{
	int fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT && create) {
		if (mkdirat(dfd, name, 0777) < 0 && errno != EEXIST)
			return why_errno(why, "cannot create folder", rel);
		fd = openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	}
	if (fd < 0) {
		if (errno == ELOOP || errno == ENOTDIR) {
			if (why)
				buf_printf(why, "refused %s: a symbolic link or not a folder", rel);
			return -1;
		}
		return why_errno(why, "cannot open folder", rel);
	}
	struct stat st;
	if (owned && (fstat(fd, &st) < 0 || st.st_uid != geteuid())) {
		close(fd);
		if (why)
			buf_printf(why, "refused %s: owned by another user", rel);
		return -1;
	}
	return fd;
}

/* Walks rel's folders (all of it, or all but the last component when last
 * is given, which then points at that component). */
static int walk(const struct outdir *o, const char *rel, int create, int owned, const char **last,
		struct buf *why)
{
	int fd = dup(o->fd);
	if (fd < 0)
		return why_errno(why, "cannot open", o->path);
	char *copy = nm_xstrdup(rel);
	char *s = copy, *slash;
	while ((slash = strchr(s, '/')) || (!last && *s)) {
		if (slash)
			*slash = '\0';
		if (*s && strcmp(s, ".") != 0) {
			if (strcmp(s, "..") == 0) {
				close(fd);
				free(copy);
				if (why)
					buf_printf(why, "refused %s: a path with ..", rel);
				return -1;
			}
			int next = enter(fd, s, create, owned, why, rel);
			close(fd);
			if (next < 0) {
				free(copy);
				return -1;
			}
			fd = next;
		}
		if (!slash)
			break;
		s = slash + 1;
	}
	if (last)
		*last = rel + (s - copy);
	free(copy);
	return fd;
}

int outdir_folder(const struct outdir *o, const char *rel, int create, struct buf *why)
{
	return walk(o, rel, create, 0, NULL, why);
}

int outdir_state_folder(const struct outdir *o, const char *rel, struct buf *why)
{
	return walk(o, rel, 1, 1, NULL, why);
}

static void random_tag(char out[TEMP_RANDOM + 1])
{
	static const char ALNUM[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[TEMP_RANDOM];
	if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r) {
		unsigned long x = (unsigned long)getpid() * 2654435761UL ^ (unsigned long)&r;
		for (size_t i = 0; i < sizeof r; i++, x = x * 6364136223846793005UL + 1)
			r[i] = (unsigned char)(x >> 33);
	}
	for (size_t i = 0; i < TEMP_RANDOM; i++)
		out[i] = ALNUM[r[i] % (sizeof ALNUM - 1)];
	out[TEMP_RANDOM] = '\0';
}

/* The workbook stage's own temporary names from before it wrote through
 * this file: ".NAME.xlsx.PID.tmp". Still this program's, still removed. */
static int is_workbook_temp(const char *name, size_t n)
{
	static const char SUFFIX[] = ".tmp", XLSX[] = ".xlsx.";
	size_t sl = sizeof SUFFIX - 1, xl = sizeof XLSX - 1;
	if (n < 1 + xl + 1 + sl || name[0] != '.' || strcmp(name + n - sl, SUFFIX) != 0)
		return 0;
	size_t d = n - sl;
	while (d > 0 && name[d - 1] >= '0' && name[d - 1] <= '9')
		d--;
	return d < n - sl && d > xl && memcmp(name + d - xl, XLSX, xl) == 0;
}

int outdir_is_temp(const char *name)
{
	size_t n = strlen(name), sl = strlen(TEMP_SUFFIX);
	if (is_workbook_temp(name, n))
		return 1;
	if (n < 1 + 1 + TEMP_RANDOM + sl || name[0] != '.' ||
	    strcmp(name + n - sl, TEMP_SUFFIX) != 0)
		return 0;
	const char *tag = name + n - sl - TEMP_RANDOM;
	if (tag[-1] != '.')
		return 0;
	for (size_t i = 0; i < TEMP_RANDOM; i++)
		if (!((tag[i] >= 'A' && tag[i] <= 'Z') || (tag[i] >= 'a' && tag[i] <= 'z') ||
		      (tag[i] >= '0' && tag[i] <= '9')))
			return 0;
	return 1;
}

int outfile_create_at(int dirfd, const char *name, const char *rel, struct outfile *f,
		      struct buf *why)
{
	memset(f, 0, sizeof *f);
	f->fd = -1;
	f->rel = nm_xstrdup(rel);
	f->dirfd = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
	if (f->dirfd < 0) {
		why_errno(why, "cannot write", rel);
		outfile_abort(f);
		return -1;
	}
	if (!*name || strcmp(name, ".") == 0 || strcmp(name, "..") == 0 || strchr(name, '/')) {
		if (why)
			buf_printf(why, "cannot write %s: not a file name", rel);
		outfile_abort(f);
		return -1;
	}
	f->name = nm_xstrdup(name);
	size_t keep = strlen(name), room = NAME_MAX_BYTES - 2 - TEMP_RANDOM - strlen(TEMP_SUFFIX);
	while (keep > room || (keep && ((unsigned char)name[keep] & 0xC0) == 0x80))
		keep--; /* a long name is cut on a character boundary */
	for (int tries = 0; tries < 100; tries++) {
		char tag[TEMP_RANDOM + 1];
		struct buf t = BUF_INIT;
		random_tag(tag);
		buf_printf(&t, ".%.*s.%s%s", (int)keep, name, tag, TEMP_SUFFIX);
		f->fd = openat(f->dirfd, t.s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			       0666);
		if (f->fd >= 0) {
			f->temp = t.s;
			snprintf(f->proc, sizeof f->proc, "/proc/self/fd/%d", f->fd);
			return 0;
		}
		buf_free(&t);
		if (errno != EEXIST)
			break;
	}
	why_errno(why, "cannot write", rel);
	outfile_abort(f);
	return -1;
}

int outfile_create(const struct outdir *o, const char *rel, struct outfile *f, struct buf *why)
{
	const char *base;
	memset(f, 0, sizeof *f);
	f->fd = f->dirfd = -1;
	int dfd = walk(o, rel, 1, 0, &base, why);
	if (dfd < 0)
		return -1;
	int rc = outfile_create_at(dfd, base, rel, f, why);
	close(dfd);
	return rc;
}

int outfile_commit(struct outfile *f, int sync, struct buf *why)
{
	int rc = 0;
	if (sync && fsync(f->fd) < 0)
		rc = why_errno(why, "cannot write", f->rel);
	if (close(f->fd) < 0 && rc == 0)
		rc = why_errno(why, "cannot write", f->rel);
	f->fd = -1;
	if (rc == 0 && renameat(f->dirfd, f->temp, f->dirfd, f->name) < 0)
		rc = why_errno(why, "cannot write", f->rel);
	if (rc < 0) {
		outfile_abort(f);
		return -1;
	}
	free(f->temp);
	f->temp = NULL;
	outfile_abort(f); /* releases the rest; nothing left to remove */
	return 0;
}

void outfile_abort(struct outfile *f)
{
	if (f->fd >= 0)
		close(f->fd);
	if (f->temp && f->dirfd >= 0)
		unlinkat(f->dirfd, f->temp, 0);
	if (f->dirfd >= 0)
		close(f->dirfd);
	free(f->temp);
	free(f->name);
	free(f->rel);
	memset(f, 0, sizeof *f);
	f->fd = f->dirfd = -1;
}

int outdir_open_read(const struct outdir *o, const char *rel)
{
	const char *base;
	int dfd = walk(o, rel, 0, 0, &base, NULL);
	if (dfd < 0)
		return -1;
	int fd = openat(dfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	int saved = errno;
	close(dfd);
	errno = saved;
	return fd;
}

int outdir_drop_link(const struct outdir *o, const char *name)
{
	struct stat st;
	if (fstatat(o->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode) &&
	    unlinkat(o->fd, name, 0) == 0)
		return 1;
	return 0;
}

int outdir_unlink(const struct outdir *o, const char *rel)
{
	const char *base;
	int dfd = walk(o, rel, 0, 0, &base, NULL);
	if (dfd < 0)
		return -1;
	int rc = unlinkat(dfd, base, 0);
	int saved = errno;
	close(dfd);
	errno = saved;
	return rc;
}

/* Removes our temporary files in the folder dfd (which it closes) and below. */
static size_t remove_stale_in(int dfd, int depth)
{
	size_t removed = 0;
	DIR *dir = fdopendir(dfd);
	if (!dir) {
		close(dfd);
		return 0;
	}
	rewinddir(dir); /* a dup of the output directory shares its offset: read it all */
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		struct stat st;
		if (fstatat(dirfd(dir), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0)
			continue;
		if (S_ISDIR(st.st_mode) && depth < 32) {
			int sub = openat(dirfd(dir), e->d_name,
					 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (sub >= 0)
				removed += remove_stale_in(sub, depth + 1);
		} else if ((S_ISREG(st.st_mode) || S_ISLNK(st.st_mode)) &&
			   outdir_is_temp(e->d_name) && unlinkat(dirfd(dir), e->d_name, 0) == 0) {
			removed++;
		}
	}
	closedir(dir);
	return removed;
}

size_t outdir_remove_stale(const struct outdir *o, const char *rel)
{
	int fd = outdir_folder(o, rel, 0, NULL);
	return fd < 0 ? 0 : remove_stale_in(fd, 0);
}

int outdir_lock(const struct outdir *o, const char *name, struct buf *why)
{
	int fd = openat(o->fd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
	if (fd < 0) {
		if (errno == ELOOP) {
			if (why)
				buf_printf(why, "refused %s: a symbolic link", name);
			errno = ELOOP;
			return -1;
		}
		return why_errno(why, "cannot create", name);
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		if (why)
			buf_printf(why, "refused %s: not a regular file", name);
		errno = EINVAL;
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		why_errno(why, "cannot lock", name);
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

int outdir_open_append(const struct outdir *o, const char *rel, struct buf *why)
{
	const char *base;
	int dfd = walk(o, rel, 0, 0, &base, why);
	if (dfd < 0)
		return -1;
	int fd = openat(dfd, base,
			O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
	int e = errno;
	close(dfd);
	if (fd < 0) {
		errno = e;
		if (e == ELOOP && why) {
			buf_printf(why, "refused %s: a symbolic link", rel);
			return -1;
		}
		return why_errno(why, "cannot write", rel);
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != geteuid()) {
		close(fd);
		if (why)
			buf_printf(why, "refused %s: not a regular file of this user", rel);
		errno = EPERM;
		return -1;
	}
	return fd;
}

int outdir_sync(const struct outdir *o) { return syncfs(o->fd); }
