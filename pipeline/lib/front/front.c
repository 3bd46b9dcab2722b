/* front.c - the formats decode reads besides plain text, chosen by magic bytes. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "front/convert.h"
#include "front/docx.h"
#include "stream/err.h"
#include "front/front.h"
#include "front/html.h"
#include "stream/utf8.h"

static const char OLE_MAGIC[] = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/* The extension of path, lower case, without the dot ("" for none). */
static void extension(const char *path, char *ext, size_t size)
{
	const char *slash = path ? strrchr(path, '/') : NULL;
	const char *dot = path ? strrchr(slash ? slash : path, '.') : NULL;
	size_t k = 0;
	for (const char *p = dot ? dot + 1 : ""; *p && k + 1 < size; p++)
		ext[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	ext[k] = '\0';
}

const char *front_sniff(const char *path, const char *data, size_t n)
{
	char ext[16];
	if (n >= 4 && memcmp(data, "PK\x03\x04", 4) == 0)
		return "docx";
	if (n >= 8 && memcmp(data, OLE_MAGIC, 8) == 0) {
		extension(path, ext, sizeof ext);
		return strcmp(ext, "wps") == 0 ? "wps" : "doc";
	}
	if (n >= 5 && memcmp(data, "%PDF-", 5) == 0)
		return "pdf";
	if (html_sniff(data, n))
		return "html";
	return "text";
}

/* 1 when text needs none of take_text()'s changes. */
static int clean(const struct buf *text)
{
	const char *s = buf_str(text);
	for (size_t i = 0; i < text->len; i++)
		if (s[i] == '\0' || s[i] == '\f' || s[i] == '\v')
			return 0;
	return utf8_valid(s, text->len, NULL);
}

/*
 * Moves text into d as valid UTF-8: invalid sequences become U+FFFD and
 * are counted (first_invalid is then an offset in the converter's output),
 * NUL bytes go, form feeds and vertical tabs become line ends. Clean text
 * (the usual case) is moved as it is, not copied: text is left empty.
 */
static void take_text(struct decoded *d, struct buf *text)
{
	if (clean(text)) {
		buf_free(&d->text);
		d->text = *text;
		*text = (struct buf)BUF_INIT;
		buf_grow(&d->text, 0);
		return;
	}
	const char *s = buf_str(text);
	uint32_t c;
	buf_grow(&d->text, text->len);
	for (size_t i = 0; i < text->len;) {
		unsigned char b = (unsigned char)s[i];
		if (b < 0x80) {
			if (b == '\f' || b == '\v')
				buf_addc(&d->text, '\n');
			else if (b)
				buf_addc(&d->text, (char)b);
			i++;
			continue;
		}
		size_t len = utf8_decode(s + i, text->len - i, &c);
		if (len) {
			buf_add(&d->text, s + i, len);
			i += len;
		} else {
			if (d->invalid++ == 0)
				d->first_invalid = i;
			buf_adds(&d->text, UTF8_REPLACEMENT);
			i++;
		}
	}
}

static int visible(const struct buf *b)
{
	uint32_t c;
	const char *s = buf_str(b);
	for (size_t i = 0; i < b->len;) {
		size_t len = utf8_decode(s + i, b->len - i, &c);
		if (len && c > ' ' && c != 0xFEFF && c != 0xFFFD && c != 0x3000 && c != 0xA0)
			return 1;
		i += len ? len : 1;
	}
	return 0;
}

/* Runs a converter on path, or on a temporary copy of data when path is NULL. */
static int on_file(const char *path, const char *data, size_t n, const char *kind, struct buf *out,
		   const char **converter, struct buf *why)
{
	char tmp[4096];
	int fd = -1;
	if (!path) {
		const char *dir = getenv("TMPDIR");
		snprintf(tmp, sizeof tmp, "%s/nm-front-XXXXXX", dir && *dir ? dir : "/tmp");
		fd = mkstemp(tmp);
		size_t done = 0;
		while (fd >= 0 && done < n) {
			ssize_t k = write(fd, data + done, n - done);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			done += (size_t)k;
		}
		if (fd < 0 || done < n) {
			buf_printf(why, "cannot write a temporary copy for the converter: %s",
				   strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			return -1;
		}
		close(fd);
		path = tmp;
	}
	int rc = strcmp(kind, "pdf") == 0 ? convert_pdf(path, out, converter, why)
					  : convert_ole(path, kind, out, converter, why);
	if (fd >= 0)
		unlink(tmp);
	return rc;
}

/*
 * A web page saved in UTF-16 (Notepad's "Unicode"): its markup shows only
 * once it is UTF-8. 1 with d holding the page's text, 0 when data is no
 * such page, -1 on failure (why).
 */
static int utf16_page(const char *data, size_t n, const char *force_enc, struct decoded *d,
		      struct buf *why)
{
	const char *enc = force_enc ? force_enc : detect_encoding(data, n < 4096 ? n : 4096);
	if (!enc || strncasecmp(enc, "UTF-16", 6) != 0)
		return 0;
	struct decoded u;
	memset(&u, 0, sizeof u);
	struct buf ignore = BUF_INIT;
	int page = detect_decode(data, n, enc, &u, &ignore) == 0 &&
		   html_sniff(u.text.s, u.text.len);
	buf_free(&ignore);
	if (!page) {
		decoded_free(&u);
		return 0;
	}
	struct buf note = BUF_INIT;
	int rc = html_decode(u.text.s, u.text.len, "UTF-8", d, &note, why);
	buf_free(&note);
	if (rc == 0) {
		d->encoding = u.encoding;
		d->invalid += u.invalid;
		d->has_bom = u.has_bom;
	}
	decoded_free(&u);
	return rc < 0 ? -1 : 1;
}

int front_decode(const char *path, const char *data, size_t n, const char *force_enc,
		 struct decoded *d, const char **format, const char **converter, struct buf *why)
{
	*format = front_sniff(path, data, n);
	*converter = NULL;
	if (strcmp(*format, "text") == 0) {
		int page = utf16_page(data, n, force_enc, d, why);
		if (page) {
			*format = "html";
			*converter = "notice-matrix (libxml2, iconv)";
			if (page > 0 && !visible(&d->text)) {
				buf_adds(why, "no text in the page");
				decoded_free(d);
				page = -1;
			}
			return page < 0 ? -1 : 1;
		}
	}
	if (strcmp(*format, "text") == 0)
		return 0;
	memset(d, 0, sizeof *d);
	if (strcmp(*format, "html") == 0) {
		*converter = "notice-matrix (libxml2, iconv)";
		struct buf note = BUF_INIT;
		int rc = html_decode(data, n, force_enc, d, &note, why);
		if (rc == 0 && !visible(&d->text)) {
			buf_adds(why, "no text in the page");
			rc = -1;
		}
		if (rc == 0)
			buf_add(why, buf_str(&note), note.len);
		else
			decoded_free(d);
		buf_free(&note);
		return rc < 0 ? -1 : 1;
	}
	char ext[16];
	extension(path, ext, sizeof ext);
	if ((strcmp(*format, "doc") == 0) && (strcmp(ext, "xls") == 0 || strcmp(ext, "et") == 0 ||
					      strcmp(ext, "ppt") == 0 || strcmp(ext, "dps") == 0)) {
		buf_printf(why, "not a text notice: a spreadsheet or presentation (.%s)", ext);
		return -1;
	}
	struct buf text = BUF_INIT;
	int rc;
	if (strcmp(*format, "docx") == 0) {
		*converter = "notice-matrix (minizip, libxml2)";
		rc = docx_text(data, n, &text, why);
	} else {
		rc = on_file(path, data, n, *format, &text, converter, why);
	}
	if (rc == 0) {
		take_text(d, &text);
		d->encoding = "UTF-8";
		if (!visible(&d->text)) {
			buf_adds(why, "no text in the notice");
			rc = -1;
		}
	}
	if (rc < 0)
		decoded_free(d);
	buf_free(&text);
	return rc < 0 ? -1 : 1;
}
