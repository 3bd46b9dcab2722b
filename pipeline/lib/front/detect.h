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
 * Appends a file name for people to read: as it is when it is UTF-8, else
 * read as GB18030 (names from Windows archives), else with U+FFFD for the
 * bytes neither explains.
 */
void detect_name(struct buf *out, const char *name);

#endif
