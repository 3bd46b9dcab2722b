/*
 * fuzz_docx - the .docx reader (docx*.c, through front_decode in front.c).
 *
 * An input that starts with "PK" is a zip archive and is read as it is.
 * Any other input holds the parts of a .docx, separated by NUL bytes:
 * word/document.xml, then word/numbering.xml, then word/styles.xml; the
 * harness stores them in a zip archive (no compression, CRCs right), so
 * that the fuzzer works on the XML rather than on the zip format.
 *
 * Checks: no sanitizer report; a .docx read gives valid UTF-8 ending in a
 * line end, and front_decode() gives it without NUL; a refusal has a
 * one-line reason; nothing is printed on stderr by libxml2 (it would go
 * to the fuzzer's log: the guard's handlers are checked to be installed).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/globals.h>
#include <libxml/xmlerror.h>

#include "front/docx.h"
#include "front/front.h"
#include "stream/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail(const char *what, const struct buf *b)
{
	fprintf(stderr, "fuzz_docx: %s (%zu bytes: %.200s)\n", what, b ? b->len : 0,
		b ? buf_str(b) : "");
	abort();
}

static uint32_t crc32_of(const char *s, size_t n)
{
	static uint32_t table[256];
	if (!table[1])
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;
			for (int k = 0; k < 8; k++)
				c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++)
		c = table[(c ^ (unsigned char)s[i]) & 0xFF] ^ (c >> 8);
	return c ^ 0xFFFFFFFFu;
}

static void le16(struct buf *b, unsigned v)
{
	buf_addc(b, (char)(v & 0xFF));
	buf_addc(b, (char)(v >> 8 & 0xFF));
}

static void le32(struct buf *b, uint32_t v)
{
	le16(b, v & 0xFFFF);
	le16(b, v >> 16);
}

struct part {
	const char *name;
	const char *s;
	size_t n;
};

/* A zip archive of the parts, stored (method 0). */
static void store(struct buf *zip, const struct part *parts, size_t count)
{
	struct buf dir = BUF_INIT;
	for (size_t i = 0; i < count; i++) {
		uint32_t crc = crc32_of(parts[i].s, parts[i].n), at = (uint32_t)zip->len;
		size_t name = strlen(parts[i].name);
		le32(zip, 0x04034b50);
		le16(zip, 20), le16(zip, 0), le16(zip, 0), le16(zip, 0), le16(zip, 0);
		le32(zip, crc), le32(zip, (uint32_t)parts[i].n), le32(zip, (uint32_t)parts[i].n);
		le16(zip, (unsigned)name), le16(zip, 0);
		buf_add(zip, parts[i].name, name);
		buf_add(zip, parts[i].s, parts[i].n);
		le32(&dir, 0x02014b50);
		le16(&dir, 20), le16(&dir, 20), le16(&dir, 0), le16(&dir, 0), le16(&dir, 0),
			le16(&dir, 0);
		le32(&dir, crc), le32(&dir, (uint32_t)parts[i].n), le32(&dir, (uint32_t)parts[i].n);
		le16(&dir, (unsigned)name), le16(&dir, 0), le16(&dir, 0), le16(&dir, 0),
			le16(&dir, 0);
		le32(&dir, 0), le32(&dir, at);
		buf_add(&dir, parts[i].name, name);
	}
	uint32_t dir_at = (uint32_t)zip->len;
	buf_add(zip, buf_str(&dir), dir.len);
	le32(zip, 0x06054b50);
	le16(zip, 0), le16(zip, 0), le16(zip, (unsigned)count), le16(zip, (unsigned)count);
	le32(zip, (uint32_t)dir.len), le32(zip, dir_at), le16(zip, 0);
	buf_free(&dir);
}

static void check_one_line(const struct buf *why)
{
	if (!why->len || memchr(buf_str(why), '\n', why->len))
		fail("refusal without a one-line reason", why);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	struct buf zip = BUF_INIT, text = BUF_INIT, why = BUF_INIT;
	if (size >= 2 && in[0] == 'P' && in[1] == 'K') {
		buf_add(&zip, in, size);
	} else {
		static const char *const NAMES[] = {"word/document.xml", "word/numbering.xml",
						    "word/styles.xml"};
		struct part parts[4] = {{"[Content_Types].xml", "<Types/>", 8}};
		size_t count = 1;
		for (size_t at = 0;;) {
			const char *nul = memchr(in + at, '\0', size - at);
			size_t end = nul ? (size_t)(nul - in) : size;
			parts[count] = (struct part){NAMES[count - 1], in + at, end - at};
			count++;
			if (!nul || count == 4)
				break;
			at = end + 1;
		}
		store(&zip, parts, count);
	}
	if (docx_text(buf_str(&zip), zip.len, &text, &why) == 0) {
		if (!utf8_valid(buf_str(&text), text.len, NULL))
			fail("text is not valid UTF-8", &text);
		if (text.len && text.s[text.len - 1] != '\n')
			fail("text does not end in a line end", &text);
	} else {
		check_one_line(&why);
		if (text.len)
			fail("text left behind by a refusal", &text);
	}
	struct decoded d = {0};
	const char *format, *converter;
	buf_reset(&why);
	int rc = front_decode(NULL, buf_str(&zip), zip.len, NULL, &d, &format, &converter, &why);
	if (rc == 1 && (!utf8_valid(buf_str(&d.text), d.text.len, NULL) ||
			memchr(buf_str(&d.text), '\0', d.text.len)))
		fail("front_decode text is not clean UTF-8", &d.text);
	if (rc < 0)
		check_one_line(&why);
	if (xmlStructuredError == NULL)
		fail("libxml2 would print on stderr", NULL);
	decoded_free(&d);
	buf_free(&zip);
	buf_free(&text);
	buf_free(&why);
	return 0;
}
