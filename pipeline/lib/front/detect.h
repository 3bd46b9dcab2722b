/*
 * detect.h - from the bytes of a notice file to UTF-8 text.
 *
 * detect_decode() recognises the encoding (or takes the one forced), converts
 * with iconv and replaces every undecodable sequence with U+FFFD, counting
 * it. A file that is not text at all (an image, an archive, binary data, no
 * text) is refused with a reason. The struct decoded owns its text.
 */
#ifndef NM_DETECT_H
#define NM_DETECT_H

#include <stddef.h>

#include "stream/buf.h"

struct decoded {
	struct buf text;      /* UTF-8, line ends as in the file */
	const char *encoding; /* UTF-8, GB18030, UTF-16LE, UTF-16BE, BIG5 or as forced */
	size_t invalid;       /* sequences replaced by U+FFFD */
	size_t first_invalid; /* byte offset in the file of the first one */
	int has_bom;
};

/*
 * Returns 0 on success; otherwise -1 with the reason in why (one line,
 * no file name).
 */
int detect_decode(const char *data, size_t n, const char *force, struct decoded *d,
		  struct buf *why);
void decoded_free(struct decoded *d);

/*
 * detect_decode() without keeping the text: d gets the encoding, has_bom,
 * invalid and first_invalid (its text stays empty), and a file that is not
 * text is refused as detect_decode() refuses it, except that a file with
 * no visible character is not (that is known only from the text). A reader
 * then converts the file piece by piece with detect_append().
 */
int detect_check(const char *data, size_t n, const char *force, struct decoded *d, struct buf *why);

/*
 * Converts data[0..n) from enc, as detect_decode() does, appending to
 * d->text and counting replacements in d->invalid (offsets from base). A
 * piece must end where no character is cut (before an ASCII '<' or line
 * end, for the encodings detection names).
 */
void detect_append(const char *data, size_t n, size_t base, const char *enc, struct decoded *d);

/* The encoding detect_decode() would read data in, without converting it. */
const char *detect_encoding(const char *data, size_t n);

/*
 * The sequences of data that are not enc, as detect_decode() forced to enc
 * would count them, without keeping the text; *first (when not NULL) the
 * byte offset of the first. (size_t)-1 when iconv does not know enc.
 */
size_t detect_invalid(const char *data, size_t n, const char *enc, size_t *first);

/*
 * Which of GB18030 and BIG5 the Chinese text of data reads as: the one in
 * which it has clearly more of the characters frequent in notices (a
 * sample of 16 KB from the first byte that is not ASCII). NULL when the
 * sample has too few Chinese characters, or reads about as well in both.
 */
const char *detect_legacy(const char *data, size_t n);
/*
 * Appends a file name for people to read: as it is when it is UTF-8, else
 * read as GB18030 (names from Windows archives), else with U+FFFD for the
 * bytes neither explains.
 */
void detect_name(struct buf *out, const char *name);

#endif
