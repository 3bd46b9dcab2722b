/*
 * fuzz_decode - encoding detection and line normalisation (detect.c,
 * utf8.c): the path of decode's decode_one and emit_lines.
 *
 * Each input is decoded as detected, then forced as GB18030 and as
 * UTF-16LE. Every normalised line must be valid UTF-8 without NUL or
 * other control characters and without trailing spaces. The bytes are
 * also given to detect_name as a file name, which must come out UTF-8.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front/detect.h"
#include "stream/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const struct buf *line, const char *enc)
{
	fprintf(stderr, "fuzz_decode: %s (encoding %s, line of %zu bytes)\n", what, enc ? enc : "?",
		line ? line->len : 0);
	abort();
}

static void check_line(const struct buf *line, const char *enc)
{
	const char *s = buf_str(line);
	if (strlen(s) != line->len)
		fail("NUL in a normalised line", line, enc);
	if (!utf8_valid(s, line->len, NULL))
		fail("invalid UTF-8 in a normalised line", line, enc);
	uint32_t c;
	for (size_t i = 0; i < line->len;) {
		size_t len = utf8_decode(s + i, line->len - i, &c);
		if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0))
			fail("control character in a normalised line", line, enc);
		i += len;
	}
	if (line->len && s[line->len - 1] == ' ')
		fail("trailing space in a normalised line", line, enc);
}

/* As lib/front/reader.c's emit_lines: split at LF, CRLF or CR and normalise. */
static void emit_lines(const struct buf *text, const char *enc)
{
	struct buf line = BUF_INIT;
	const char *s = buf_str(text), *end = s + text->len;
	while (s < end) {
		const char *eol = s;
		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		buf_reset(&line);
		utf8_normalise(&line, s, (size_t)(eol - s));
		check_line(&line, enc);
		s = eol + (eol < end);
		if (eol < end && *eol == '\r' && s < end && *s == '\n')
			s++;
	}
	buf_free(&line);
}

static void one(const uint8_t *data, size_t size, const char *force)
{
	struct decoded d;
	struct buf why = BUF_INIT;
	if (detect_decode((const char *)data, size, force, &d, &why) == 0) {
		if (!d.encoding)
			fail("no encoding named", NULL, force);
		if (force && strcmp(d.encoding, force) != 0)
			fail("forced encoding not used", NULL, force);
		if (strlen(buf_str(&d.text)) > d.text.len)
			fail("text longer than its length", NULL, d.encoding);
		if (!utf8_valid(buf_str(&d.text), d.text.len, NULL))
			fail("decoded text is not valid UTF-8", &d.text, d.encoding);
		if (d.invalid && d.first_invalid >= size)
			fail("first invalid byte past the end", NULL, d.encoding);
		emit_lines(&d.text, d.encoding);
	} else if (!why.len || memchr(buf_str(&why), '\n', why.len)) {
		fail("refusal without a one-line reason", NULL, force);
	}
	decoded_free(&d);
	buf_free(&why);
}

/* detect_name: a file name (up to its first NUL) made readable UTF-8. */
static void name(const uint8_t *data, size_t size)
{
	char *s = strndup((const char *)data, size);
	struct buf out = BUF_INIT;
	detect_name(&out, s);
	if (!utf8_valid(buf_str(&out), out.len, NULL))
		fail("detect_name wrote invalid UTF-8", &out, NULL);
	buf_free(&out);
	free(s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, NULL);
	one(data, size, "GB18030");
	one(data, size, "UTF-16LE");
	name(data, size);
	return 0;
}
