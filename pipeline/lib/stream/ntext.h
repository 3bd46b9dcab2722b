/*
 * ntext.h - a text as written and its normalised form for matching.
 *
 * Cells carry the notice's own characters; patterns see the normalised
 * form: full-width ASCII forms (，：；（）１Ａ) as ASCII, every kind of
 * space as ' ', zero-width marks and control characters gone. A struct
 * ntext keeps both and maps every byte offset of the normalised form back
 * to the written one, so that whatever a pattern finds can be cut out of
 * the text as written. It owns its buffers until ntext_free().
 */
#ifndef NM_NTEXT_H
#define NM_NTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "stream/buf.h"

/*
 * The map is sparse: where normalising changed a character's length, a
 * point (norm offset, orig offset) holds from there on; between points the
 * two run byte for byte. Its size is a small fraction of the text's.
 */
struct ntext_point {
	uint32_t norm, orig;
};

struct ntext {
	struct buf orig; /* as written */
	struct buf norm; /* normalised, NUL-terminated */
	struct ntext_point *pt;
	size_t npt, ptcap;
};

/* clang-format 14 takes a braced initializer in a macro for a block. */
/* clang-format off */
#define NTEXT_INIT {BUF_INIT, BUF_INIT, NULL, 0, 0}
/* clang-format on */

/* Sets t to s[0..n) (valid UTF-8) and its normalised form. */
void ntext_set(struct ntext *t, const char *s, size_t n);
/* Appends s[0..n) to t: the forms are those of t's text followed by s. */
void ntext_add(struct ntext *t, const char *s, size_t n);
void ntext_free(struct ntext *t);

/* The written span of the normalised span [a, b). */
void ntext_span(const struct ntext *t, size_t a, size_t b, size_t *oa, size_t *ob);
/* Appends the written text of the normalised span [a, b) to out. */
void ntext_orig(const struct ntext *t, size_t a, size_t b, struct buf *out);
/* The written text of [a, b) as a new string the caller frees. */
char *ntext_dup(const struct ntext *t, size_t a, size_t b);

/*
 * The normalised form of one character c: 0 when it goes (zero-width,
 * control), ' ' for every space, ASCII for a full-width ASCII form, else c.
 */
unsigned long ntext_fold(unsigned long c);

/*
 * Han characters matched as others (a traditional character as its
 * simplified one: 牽 as 牵), from the rules' *.fold tables; both of each
 * pair in U+3400-U+9FFF, so the normalised text keeps its length. The
 * table replaces the one before; n 0 clears it.
 */
void ntext_set_folds(const uint32_t *from, const uint32_t *to, size_t n);

#endif
