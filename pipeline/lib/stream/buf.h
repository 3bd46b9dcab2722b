/*
 * buf.h - a growable byte string, always NUL-terminated.
 *
 * A struct buf starts zeroed (BUF_INIT) and owns its storage until
 * buf_free(); buf_reset() keeps the storage for reuse.
 */
#ifndef NM_BUF_H
#define NM_BUF_H

#include <stddef.h>

struct buf {
	char *s;
	size_t len, cap;
};

/* clang-format 14 takes a braced initializer in a macro for a block. */
/* clang-format off */
#define BUF_INIT {NULL, 0, 0}
/* clang-format on */

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const char *s, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
void buf_free(struct buf *b);
/* The contents as a C string; "" for an empty, never-grown buffer. */
const char *buf_str(const struct buf *b);

#endif
