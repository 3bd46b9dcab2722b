/*
 * utf8.h - UTF-8 helpers: decoding, validation, display width and the
 * normalisation every decoded line goes through.
 */
#ifndef NM_UTF8_H
#define NM_UTF8_H

#include <stddef.h>
#include <stdint.h>

#include "stream/buf.h"

#define UTF8_REPLACEMENT "\xEF\xBF\xBD"

/* Decodes one code point; returns its length, or 0 for an invalid sequence. */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);
size_t utf8_encode(uint32_t cp, char out[4]);
/* Returns 1 when s[0..n) is valid UTF-8; otherwise 0 and the bad offset. */
int utf8_valid(const char *s, size_t n, size_t *bad);
/* Number of code points in the first n bytes (invalid bytes count one each). */
size_t utf8_chars(const char *s, size_t n);
/* Columns one character takes: 2 for a wide (CJK) one, else 1. */
int utf8_char_width(uint32_t c);
/* Columns a spreadsheet needs: wide (CJK) characters count two. */
size_t utf8_width(const char *s);
/*
 * Appends the normalised form of one decoded line to out: full-width ASCII
 * forms become ASCII, every kind of space becomes ' ', control characters
 * and zero-width marks go, trailing spaces are cut. Returns the number of
 * characters dropped because they cannot appear in a notice (NUL, C0).
 */
size_t utf8_normalise(struct buf *out, const char *s, size_t n);
/*
 * Appends one decoded line as written, made safe: invalid bytes become
 * U+FFFD, control characters (but TAB) and zero-width marks go, trailing
 * spaces are cut; full-width forms and every other character stay. Returns
 * the number of control characters dropped.
 */
size_t utf8_clean(struct buf *out, const char *s, size_t n);
/*
 * Appends s as safe cell text: invalid bytes become U+FFFD, NUL and other
 * control characters go, but newline and TAB stay.
 */
void utf8_scrub(struct buf *out, const char *s);
/* Removes every ASCII space from s in place (leader names: "马 杰"). */
void str_squeeze_spaces(char *s);
/* Pointer past leading spaces; *len shortened by trailing spaces. */
const char *str_trim(const char *s, size_t *len);
int str_starts(const char *s, const char *prefix);
int str_ends(const char *s, const char *suffix);

#endif
