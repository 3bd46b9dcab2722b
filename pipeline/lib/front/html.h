/*
 * html.h - the text of a notice page saved from a government website.
 *
 * The charset the page declares (<meta charset>, <meta http-equiv
 * content-type>, <?xml encoding>) is honoured and checked: GB2312 and GBK
 * are read as GB18030 (pipeline CONTRACT), and a declaration the bytes do
 * not fit (UTF-8 bytes, Big5 text declared GB2312 or GB18030 text declared
 * Big5, more undecodable bytes than detection finds) gives way to
 * detection (detect.h), with a note saying so. The page is parsed with
 * libxml2's HTML parser (no network) as a stream of SAX events, twice:
 * once to find the article and its title, once to render it; the file is
 * converted to UTF-8 a piece at a time as the parser reads it, so memory
 * follows the text, not the markup (guard.h bounds it, with the time).
 * Scripts, styles, navigation, headers and footers are dropped; the
 * article body is preferred where an element marks it (id or class with
 * content, article, zoom, TRS_Editor, Custom_UnionStyle ...). Block
 * elements (p, div, li, tr, h1-h6) end lines, <br> breaks them; tables go
 * through table_render() (table.h). Elements nest at most 1024 deep.
 */
#ifndef NM_HTML_H
#define NM_HTML_H

#include <stddef.h>

#include "stream/buf.h"
#include "front/detect.h"

/* 1 when the first KB of data looks like an HTML page. */
int html_sniff(const char *data, size_t n);

/*
 * The charset data declares, as the page writes it, copied into name
 * (at most size bytes with the NUL); returns name, or NULL when none is
 * declared in the first 8 KB.
 */
const char *html_declared_charset(const char *data, size_t n, char *name, size_t size);

/*
 * Decodes the page in data[0..n) into d: d->text the page's text as UTF-8
 * lines, d->encoding the charset the bytes were read in (UTF-8, GB18030,
 * BIG5, or force), d->invalid and d->first_invalid as detect_decode()
 * counts them. force, when not NULL, replaces the declared charset.
 * Returns 0, with a one-line note appended to note where the declaration
 * was not used; or -1 with the reason in why (a bound broken: "the HTML
 * page reader ran over 120 seconds and was stopped"). The caller frees d
 * with decoded_free() either way. libxml2 prints nothing.
 */
int html_decode(const char *data, size_t n, const char *force, struct decoded *d, struct buf *note,
		struct buf *why);

#endif
