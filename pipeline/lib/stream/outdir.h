/*
 * outdir.h - the output directory, written the careful way.
 *
 * The output directory may be shared with people who can write to it (the
 * nightly job runs as root over a folder staff fill in), so nothing here
 * ever follows a symbolic link planted inside it. The directory is opened
 * once; every create, rename and delete is relative to that descriptor
 * (openat, renameat, unlinkat) with O_NOFOLLOW; folders below it are
 * entered one component at a time, refusing links and folders owned by
 * another user; temporary files get unpredictable names created with
 * O_EXCL, and only names of that pattern are ever removed as stale.
 *
 * A struct outdir owns its descriptor until outdir_close(). A struct
 * outfile is one file being written: outfile_commit() moves it into place
 * atomically, outfile_abort() removes it; either releases it.
 */
#ifndef NM_OUTDIR_H
#define NM_OUTDIR_H

#include <stddef.h>
#include <sys/types.h>

#include "stream/buf.h"

struct outdir {
	int fd;
	char *path; /* as given, for messages */
};

struct outfile {
	int dirfd;     /* the folder the file goes into (owned; may be the outdir's) */
	int fd;        /* the temporary file, open for writing */
	char *temp;    /* its name in that folder */
	char *name;    /* the final name in that folder */
	char *rel;     /* the path relative to the output directory, for messages */
	char proc[40]; /* /proc/self/fd/N: the temporary file by a path that names no link */
};

/*
 * Opens (with create, creating missing parents) the output directory.
 * Refuses a path whose last component is a symbolic link. Returns 0, or -1
 * with the reason in why.
 */
int outdir_open(struct outdir *o, const char *path, int create, struct buf *why);
void outdir_close(struct outdir *o);

/*
 * Opens the folder rel ("" or "." for the directory itself; "a/b" below
 * it) relative to the output directory, creating missing folders when
 * create is set. Each component must be a real folder, not a link.
 * Returns a descriptor the caller closes, or -1 with
 * the reason in why.
 */
int outdir_folder(const struct outdir *o, const char *rel, int create, struct buf *why);
/*
 * Like outdir_folder() with create, for the program's own state (the
 * streams kept for the summary, the journal): every component must also
 * be owned by the running user.
 */
int outdir_state_folder(const struct outdir *o, const char *rel, struct buf *why);

/*
 * Starts writing rel (a path relative to the output directory, without
 * "..": its folders are created as by outdir_folder()). The file is
 * created as ".NAME.XXXXXX.nmtmp" beside its final name, mode 0644 less
 * the umask, O_EXCL|O_NOFOLLOW. Returns 0, or -1 with the reason in why.
 */
int outfile_create(const struct outdir *o, const char *rel, struct outfile *f, struct buf *why);
/*
 * Closes the file (after fsync when sync is set) and renames it over its
 * final name (renameat replaces a link at that name, never what the link
 * points to). Returns 0, or -1 with the reason in why; the temporary file
 * is removed on failure.
 */
int outfile_commit(struct outfile *f, int sync, struct buf *why);
/* Removes the temporary file and releases f. Accepts a zeroed struct. */
void outfile_abort(struct outfile *f);
/*
 * Like outfile_create() for the file name in a folder already open (dirfd,
 * e.g. from outdir_state_folder(); the caller keeps it, f holds a copy);
 * rel names the file in messages.
 */
int outfile_create_at(int dirfd, const char *name, const char *rel, struct outfile *f,
		      struct buf *why);

/*
 * Opens (creating it when missing, never truncating) the lock file name in
 * the output directory and takes an exclusive flock(2) on it without
 * waiting. A link, or anything but a regular file, is refused. Returns the
 * descriptor (close it to release the lock), or -1 with the reason in why
 * and errno set: EWOULDBLOCK when another process holds the lock.
 */
int outdir_lock(const struct outdir *o, const char *name, struct buf *why);
/*
 * Opens rel for appending, creating it (mode 0644 less the umask) when
 * missing. Refuses a link, a file that is not regular and a file owned by
 * another user. Returns the descriptor or -1 with the reason in why.
 */
int outdir_open_append(const struct outdir *o, const char *rel, struct buf *why);

/*
 * Opens an existing file below the output directory for reading, without
 * following a link at any component. Returns a descriptor or -1 (errno set).
 */
int outdir_open_read(const struct outdir *o, const char *rel);
/*
 * Removes name (in the output directory itself) when it is a symbolic
 * link, so that the program's own state can be created there; the link's
 * target is not touched. Returns 1 when a link was removed, 0 otherwise.
 */
int outdir_drop_link(const struct outdir *o, const char *name);
/* Removes rel when it is a file (not a folder); a link is removed, not followed. */
int outdir_unlink(const struct outdir *o, const char *rel);
/*
 * Removes the temporary files this program leaves behind when it is killed
 * (outdir_is_temp()) in the folder rel and its subfolders, and nothing
 * else. Call it only while holding the output directory's lock. Returns
 * the number removed.
 */
size_t outdir_remove_stale(const struct outdir *o, const char *rel);
/* Writes everything written below the output directory to the disk (syncfs). */
int outdir_sync(const struct outdir *o);

/* Whether name (a base name) is one of this program's temporary files:
 * ".NAME.XXXXXX.nmtmp", or the workbook stage's ".NAME.xlsx.PID.tmp". */
int outdir_is_temp(const char *name);

#endif
