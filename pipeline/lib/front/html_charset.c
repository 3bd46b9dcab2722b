/*
 * html_charset.c - whether a file is an HTML page, the charset it
 * declares, and the charset it is read in: the declared one where the
 * bytes fit it, else detection's (detect.h), with a note saying why.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "front/detect.h"
#include "front/html.h"
#include "front/html_impl.h"
#include "stream/utf8.h"

/* The declaration is looked for this far into the page. */
#define PRESCAN 8192

/* ---- sniffing and the declared charset ---- */

static const char *find_ci(const char *s, size_t n, const char *what)
{
	size_t k = strlen(what);
	for (size_t i = 0; i + k <= n; i++)
		if (strncasecmp(s + i, what, k) == 0)
			return s + i;
	return NULL;
}

int html_sniff(const char *data, size_t n)
{
	size_t i = 0, lim = n < 1024 ? n : 1024;
	if (lim >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < lim && isspace((unsigned char)data[i]))
		i++;
	if (i >= lim || data[i] != '<')
		return 0;
	const char *meta;
	return find_ci(data, lim, "<!doctype html") || find_ci(data, lim, "<html") ||
	       ((meta = find_ci(data, lim, "<meta")) &&
		find_ci(meta, lim - (size_t)(meta - data), "charset"));
}

/* Copies the charset name that follows "charset" (or "encoding") at p. */
static const char *charset_value(const char *p, const char *end, char *name, size_t size)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	if (p >= end || *p != '=')
		return NULL;
	p++;
	while (p < end && (*p == ' ' || *p == '"' || *p == '\'' || *p == '\t'))
		p++;
	size_t k = 0;
	while (p + k < end && (isalnum((unsigned char)p[k]) || strchr("-_.:", p[k])) &&
	       k + 1 < size)
		k++;
	if (!k)
		return NULL;
	memcpy(name, p, k);
	name[k] = '\0';
	return name;
}

const char *html_declared_charset(const char *data, size_t n, char *name, size_t size)
{
	size_t lim = n < PRESCAN ? n : PRESCAN;
	const char *end = data + lim, *p = data;
	if (lim > 5 && strncmp(data, "<?xml", 5) == 0) {
		const char *close = memchr(data, '>', lim);
		const char *enc = close ? find_ci(data, (size_t)(close - data), "encoding") : NULL;
		if (enc && charset_value(enc + 8, close, name, size))
			return name;
	}
	while ((p = find_ci(p, (size_t)(end - p), "<meta"))) {
		const char *close = memchr(p, '>', (size_t)(end - p));
		if (!close)
			break;
		for (const char *c = p; (c = find_ci(c, (size_t)(close - c), "charset")); c += 7)
			if (charset_value(c + 7, close, name, size))
				return name;
		p = close;
	}
	return NULL;
}

/* What a declared charset is read as; NULL for a label we do not read. */
static const char *charset_canonical(const char *label, int *western)
{
	static const struct {
		const char *label, *enc;
	} NAMES[] = {
		{"utf-8", "UTF-8"},
		{"utf8", "UTF-8"},
		{"unicode-1-1-utf-8", "UTF-8"},
		{"gb2312", "GB18030"},
		{"gbk", "GB18030"},
		{"gb18030", "GB18030"},
		{"x-gbk", "GB18030"},
		{"cp936", "GB18030"},
		{"ms936", "GB18030"},
		{"windows-936", "GB18030"},
		{"euc-cn", "GB18030"},
		{"x-euc-cn", "GB18030"},
		{"csgb2312", "GB18030"},
		{"gb_2312-80", "GB18030"},
		{"gb_2312", "GB18030"},
		{"chinese", "GB18030"},
		{"iso-ir-58", "GB18030"},
		{"csiso58gb231280", "GB18030"},
		{"big5", "BIG5"},
		{"cn-big5", "BIG5"},
		{"csbig5", "BIG5"},
		{"x-x-big5", "BIG5"},
		{"big5-hkscs", "BIG5-HKSCS"},
	};
	static const char *const WESTERN[] = {"iso-8859-1",   "iso8859-1", "latin1",   "l1",
					      "windows-1252", "cp1252",    "us-ascii", "ascii",
					      "iso-8859-15",  NULL};
	*western = 0;
	for (size_t i = 0; i < sizeof NAMES / sizeof *NAMES; i++)
		if (strcasecmp(label, NAMES[i].label) == 0)
			return NAMES[i].enc;
	for (size_t i = 0; WESTERN[i]; i++)
		if (strcasecmp(label, WESTERN[i]) == 0)
			*western = 1;
	return NULL;
}

static int has_high_bytes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 1;
	return 0;
}

/* Valid UTF-8 holding non-ASCII text: no legacy encoding gives that by chance. */
static int plainly_utf8(const char *s, size_t n)
{
	size_t bad;
	return has_high_bytes(s, n) && utf8_valid(s, n, &bad);
}

/* The families of legacy Chinese encodings: a page declared GBK read as GB18030 fits. */
static const char *family(const char *enc)
{
	return strcmp(enc, "GB18030") == 0 ? "GB" : strncmp(enc, "BIG5", 4) == 0 ? "BIG5" : NULL;
}

/*
 * Chooses the charset the page is read in: the declared (or forced) one, or
 * detection's where there is none or the bytes do not fit it: a legacy
 * declaration on UTF-8 bytes, GB18030 declared on Big5 text or the other
 * way round (which decodes with few errors, into garbage), a declaration
 * with more undecodable bytes than detection finds. d gets the encoding
 * and the count of bytes that do not fit, not the text (detect_check());
 * note says where the declaration was not used.
 */
int html_choose_charset(const char *data, size_t n, const char *force, struct decoded *d,
			struct buf *note, struct buf *why)
{
	char label[64] = "";
	int western = 0;
	const char *enc = force, *other, *fallback = NULL;
	if (!enc && !(n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) &&
	    html_declared_charset(data, n, label, sizeof label)) {
		enc = charset_canonical(label, &western);
		if (!enc && !western) {
			buf_printf(note, "declared charset '%s' is not read; ", label);
		} else if (western && has_high_bytes(data, n)) {
			buf_printf(note, "declared charset '%s' cannot hold Chinese text; ", label);
		} else if (enc && strcmp(enc, "UTF-8") != 0 && plainly_utf8(data, n)) {
			buf_printf(
				note,
				"declared charset '%s' does not fit the bytes (they are UTF-8); ",
				label);
			enc = NULL;
		} else if (enc && family(enc) && (other = detect_legacy(data, n)) &&
			   strcmp(family(other), family(enc)) != 0) {
			buf_printf(
				note,
				"declared charset '%s' does not fit the bytes (they read as %s); ",
				label, other);
			enc = NULL;
		} else if (enc) {
			size_t at = 0, bad = detect_invalid(data, n, enc, &at);
			if (bad && bad != (size_t)-1) {
				const char *det = detect_encoding(data, n);
				if (detect_invalid(data, n, det, NULL) < bad) {
					buf_printf(note,
						   "declared charset '%s' does not fit the bytes "
						   "(invalid at byte %zu); ",
						   label, at);
					fallback = enc;
					enc = NULL;
				}
			}
		}
	}
	if (!enc) {
		if (detect_check(data, n, NULL, d, why) < 0) {
			if (!fallback)
				return -1;
			/* Detection found the page binary: the declaration, then. */
			buf_reset(note);
			buf_reset(why);
			return detect_check(data, n, fallback, d, why) < 0 ? -1 : 0;
		}
		if (note->len)
			buf_printf(note, "read as %s by detection", d->encoding);
		return 0;
	}
	struct buf first_why = BUF_INIT;
	int rc = detect_check(data, n, enc, d, force ? why : &first_why);
	buf_free(&first_why);
	if (rc < 0 && !force) {
		/* So many bytes do not fit that they looked like binary data. */
		if (detect_check(data, n, NULL, d, why) < 0)
			return -1;
		buf_printf(note,
			   "declared charset '%s' does not fit the bytes; read as %s by detection",
			   label, d->encoding);
	}
	return rc < 0 && force ? -1 : 0;
}
