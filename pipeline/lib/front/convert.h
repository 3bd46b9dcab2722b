/*
 * convert.h - external converters for .doc, .wps and PDF notices.
 *
 * A converter runs with fork and exec (no shell), standard input from
 * /dev/null, its standard output collected through a pipe; it is killed
 * when it runs too long or writes too much. Messages go into a struct buf
 * the caller owns, one line each, without the file name.
 */
#ifndef NM_CONVERT_H
#define NM_CONVERT_H

#include <stddef.h>

#include "stream/buf.h"

enum convert_status {
	CONVERT_OK = 0,
	CONVERT_MISSING,   /* the program is not installed */
	CONVERT_FAILED,    /* it exited non-zero or was killed by a signal */
	CONVERT_TIMEOUT,   /* it ran longer than allowed and was killed */
	CONVERT_TOO_LARGE, /* it wrote more than allowed and was killed */
	CONVERT_SYSTEM,    /* pipe, fork or poll failed */
};

/* Converters may run this long and write this much. */
#define CONVERT_TIMEOUT_S 120
#define CONVERT_MAX_OUTPUT (64UL << 20)

/* The full path of prog found in PATH, into path; 1 when found and executable. */
int convert_find(const char *prog, struct buf *path);

/*
 * Runs argv[0] (looked up in PATH) with the arguments argv[1..], appending
 * its standard output to out. On a status other than CONVERT_OK, why says
 * what went wrong, with the first line of the program's standard error.
 */
enum convert_status convert_run(char *const argv[], int timeout_s, size_t max_out, struct buf *out,
				struct buf *why);

/*
 * The text of an OLE document (.doc or .wps, as named by kind) at path,
 * as UTF-8: antiword, else catdoc; empty lines before the first text are
 * left out. *converter is set to the program that gave the text. Returns
 * 0; or -1 with the reason in why, e.g. "a .doc notice needs antiword or
 * catdoc (Debian packages antiword, catdoc)".
 */
int convert_ole(const char *path, const char *kind, struct buf *out, const char **converter,
		struct buf *why);

/*
 * The text layer of the PDF at path as UTF-8 (pdftotext, poppler-utils),
 * tidied by convert_pdf_tidy(). Returns 0; or -1 with the reason in why.
 */
int convert_pdf(const char *path, struct buf *out, const char **converter, struct buf *why);

/*
 * Joins the printed lines of a PDF's text back into paragraphs: a line
 * that fills the measure (within four Chinese characters of the widest
 * line) and ends no sentence goes on in the next line, unless that one
 * starts a heading, an item or a field. Drops the spaces pdftotext puts
 * between Chinese characters and Latin letters or digits.
 */
void convert_pdf_tidy(struct buf *text);

#endif
