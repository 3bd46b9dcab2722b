/*
 * docx.h - the text of a Word .docx notice.
 *
 * The zip archive is read from memory (minizip) and word/document.xml
 * parsed with libxml2 (no network, no DTD, no entity expansion). Each
 * paragraph becomes a line; Word's automatic numbering (word/numbering.xml,
 * also through paragraph styles in word/styles.xml) is written out as the
 * visible text it shows (一、 （一） 1. （1）); tables go through
 * table_render() (table.h), so a 分工表 becomes task blocks. Tracked
 * deletions, hidden text and field codes are left out; text boxes follow
 * the paragraph that anchors them.
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
 * ...".
 */
int docx_text(const char *data, size_t n, struct buf *text, struct buf *why);

#endif
