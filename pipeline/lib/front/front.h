/*
 * front.h - notice files that are not plain text, chosen by their content.
 *
 * front_decode() looks at the first bytes of a notice file: a zip archive
 * (PK\3\4) is read as a Word .docx (docx.h), an OLE document (D0 CF 11 E0)
 * as .doc or .wps through antiword or catdoc, a PDF (%PDF) through
 * pdftotext (convert.h), an HTML page (<!DOCTYPE html, <html, or <meta ...
 * charset in the first KB) by html.h. Anything else is left to
 * detect_decode(). The text comes out as detect_decode() gives it: UTF-8,
 * valid, without NUL, paragraphs on lines of their own, for decode to
 * normalise and number.
 */
#ifndef NM_FRONT_H
#define NM_FRONT_H

#include <stddef.h>

#include "stream/buf.h"
#include "front/detect.h"

/*
 * The format of a notice file by its content: "docx" (any zip archive),
 * "doc" or "wps" (an OLE document; the name ends in .wps), "pdf", "html"
 * or "text". path may be NULL.
 */
const char *front_sniff(const char *path, const char *data, size_t n);

/*
 * Decodes a notice file that is not plain text. path is the file (a
 * converter reads it; NULL: a temporary copy of data is made), data[0..n)
 * its bytes, force_enc the encoding named with --from or NULL (used for
 * HTML only).
 *
 * Returns 1 when the file was handled: d holds the text (the caller frees
 * it with decoded_free()), *format one of "docx", "doc", "wps", "pdf",
 * "html", *converter what turned it into text: "antiword", "catdoc",
 * "pdftotext", or "notice-matrix (minizip, libxml2)" and "notice-matrix
 * (libxml2, iconv)" for the built-in readers. d->encoding is "UTF-8"
 * except for HTML, where it names the charset of the page. On 1, why may
 * hold a note of one line for a "meta note" record (an HTML page whose
 * declared charset did not fit its bytes), else it is left empty.
 *
 * Returns 0 when the file is plain text for detect_decode(): *format is
 * "text", *converter NULL, d untouched.
 *
 * Returns -1 with the reason in why (one line, no file name): a damaged
 * .docx, a missing converter ("a .doc notice needs antiword or catdoc
 * (Debian packages antiword, catdoc)"), a PDF without a text layer. *format
 * still names the format, so the failure can be reported with it.
 */
int front_decode(const char *path, const char *data, size_t n, const char *force_enc,
		 struct decoded *d, const char **format, const char **converter, struct buf *why);

#endif
