/*
 * docx.h - the text of a Word .docx notice.
 *
 * The zip archive is read from memory (minizip); each part is unpacked in
 * chunks into libxml2's push parser and read by SAX callbacks, as a stream
 * (no network; no DTD: a part declaring one is refused; no entity
 * expanded). Work and memory are bounded (guard.h): the parts may unpack to
 * 200 times the file plus 16 MB, the text and definitions held stay within
 * 3 times the file plus 32 MB, elements nest at most 256 deep, and the
 * reading stops at the time limit.
 *
 * Each paragraph becomes a line; Word's automatic numbering
 * (word/numbering.xml, also through paragraph styles in word/styles.xml) is
 * written out as the visible text it shows (一、 （一） 1. （1）); tables go
 * through table_render() (table.h), so a 分工表 becomes task blocks.
 * Tracked deletions, hidden text and field codes are left out; text boxes
 * follow the paragraph that anchors them.
 */
#ifndef NM_DOCX_H
#define NM_DOCX_H

#include <stddef.h>

#include "stream/buf.h"

/* A zip entry larger than this, unpacked, is refused. */
#define DOCX_MAX_ENTRY (64UL << 20)

/*
 * Appends the text of the .docx in data[0..n) to text as UTF-8, one line
 * per paragraph, each ending in \n. Returns 0; or -1 with the reason in
 * why (one line, no file name), e.g. "damaged .docx: truncated or corrupt
 * zip archive (no central directory)" or "damaged .docx: no
 * word/document.xml in the zip archive". A zip archive that is no Word
 * document at all (an .xlsx, an .odt) is refused with "not a text notice:
 * ...". A file over a bound is refused with the bound it broke ("zip bomb:
 * the .docx of 87 KB unpacks to over 33.4 MB ...", "the .docx reader ran
 * over 120 seconds and was stopped"). libxml2 prints nothing: its messages
 * become the reason.
 */
int docx_text(const char *data, size_t n, struct buf *text, struct buf *why);

#endif
