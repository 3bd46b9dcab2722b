/*
 * fuzz_html - the HTML page reader (html*.c, through front_decode in front.c).
 *
 * Each input is a page: read with its declared charset (or detection),
 * then with GB18030 forced; front_decode() reads it when it sniffs as a
 * page. The first byte also chooses whether the input is prefixed with a
 * page head, so that mutations of bodies are read as pages too.
 *
 * Checks: no sanitizer report; the text is valid UTF-8, and without NUL
 * from front_decode(); a note and a refusal are one line; the encoding is
 * named (the forced one when forced); libxml2's error handlers are the
 * guard's, so nothing reaches stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

#include "front/front.h"
#include "front/html.h"
#include "stream/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const struct buf *b)
{
	fprintf(stderr, "fuzz_html: %s (%zu bytes: %.200s)\n", what, b ? b->len : 0,
		b ? buf_str(b) : "");
	abort();
}

static void one_line(const struct buf *b, const char *what)
{
	if (memchr(buf_str(b), '\n', b->len))
		fail(what, b);
}

static void one(const char *page, size_t n, const char *force)
{
	struct decoded d;
	struct buf note = BUF_INIT, why = BUF_INIT;
	if (html_decode(page, n, force, &d, &note, &why) == 0) {
		if (!utf8_valid(buf_str(&d.text), d.text.len, NULL))
			fail("text is not valid UTF-8", &d.text);
		if (!d.encoding || (force && strcmp(d.encoding, force) != 0))
			fail("encoding not named, or not the forced one", &d.text);
		one_line(&note, "note of more than one line");
	} else {
		if (!why.len)
			fail("refusal without a reason", &why);
		one_line(&why, "reason of more than one line");
	}
	decoded_free(&d);
	buf_free(&note);
	buf_free(&why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf page = BUF_INIT;
	if (size && data[0] == 0x01)
		buf_adds(&page, "<html><head><meta charset=\"gbk\"></head><body><div id=\"zoom\">");
	buf_add(&page, (const char *)data, size);
	one(buf_str(&page), page.len, NULL);
	one(buf_str(&page), page.len, "GB18030");
	struct decoded d = {0};
	const char *format, *converter;
	struct buf why = BUF_INIT;
	int rc = front_decode(NULL, buf_str(&page), page.len, NULL, &d, &format, &converter, &why);
	if (rc == 1 && (!utf8_valid(buf_str(&d.text), d.text.len, NULL) ||
			memchr(buf_str(&d.text), '\0', d.text.len)))
		fail("front_decode text is not clean UTF-8", &d.text);
	if (rc != 0)
		one_line(&why, "front_decode reason or note of more than one line");
	if (strcmp(format, "html") == 0 && xmlStructuredError == NULL)
		fail("libxml2 would print on stderr", NULL);
	decoded_free(&d);
	buf_free(&why);
	buf_free(&page);
	return 0;
}
