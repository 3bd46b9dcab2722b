/*
 * walk.h - the inputs of a run: each INPUT argument, a notice file or a
 * directory walked recursively (fts, physical), its files sorted by path.
 *
 * Every file found becomes one struct input, including those that cannot
 * be notices (a FIFO, a device, a link to a folder, a broken link): they
 * carry the reason they fail, so that none is skipped silently. Symbolic
 * links are followed only to regular files. A folder that is the output
 * directory (same device and inode) is not entered.
 *
 * struct inputs owns every input and its strings until inputs_free().
 */
#ifndef NM_WALK_H
#define NM_WALK_H

#include <stddef.h>

#include "batch/ident.h"
#include "stream/buf.h"

struct input {
	char *path;           /* as walked: the INPUT argument, then the path below it */
	char *rel;            /* relative to its INPUT argument (a file argument: its base name) */
	char *abs;            /* absolute and tidied: the notice's identity in the manifest */
	char *name;           /* the workbook, relative to the output directory (names.h) */
	const char *fail;     /* why the driver fails it without converting, or NULL */
	struct ident_stat st; /* of the file the path names, links followed */
	unsigned arg;         /* index of its INPUT argument */
};

struct inputs {
	struct input *v;
	size_t n, cap;
};

struct walk_skip {
	unsigned long long dev, ino; /* a folder never entered: the output directory */
};

/*
 * Appends the inputs of one INPUT argument (index arg) to in, sorted by
 * path. cwd makes relative paths absolute for the manifest. Returns 0, or
 * -1 when the argument names a folder that is the output directory itself
 * (why says so).
 */
int walk_input(struct inputs *in, const char *arg, unsigned argi, const char *cwd,
	       const struct walk_skip *skip, struct buf *why);
void inputs_free(struct inputs *in);

/* path made absolute against cwd, with "//", "/./" and a leading "./" tidied. */
char *walk_absolute(const char *cwd, const char *path);

#endif
