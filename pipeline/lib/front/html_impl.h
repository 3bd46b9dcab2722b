/*
 * html_impl.h - what the files of the HTML page reader share; not for the
 * stages (they use html.h).
 *
 * html.c         the page read twice as a stream of SAX events, converted
 *                a piece at a time: pass 1 finds the article and its
 *                title, pass 2 renders them; html_decode()
 * html_charset.c sniffing, the declared charset and whether the bytes fit it
 * html_render.c  what an element is, and a flow rendering elements into
 *                lines: white space, blocks, layout and data tables
 */
#ifndef NM_HTML_IMPL_H
#define NM_HTML_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/HTMLparser.h>

#include "front/detect.h"
#include "stream/buf.h"

/* ---- elements ---- */

/* What reading needs of an element, from its name and attributes. */
enum kind { K_OTHER, K_BR, K_TABLE, K_TR, K_CELL, K_SECTION, K_BODY, K_HEADING };

struct el {
	unsigned char kind;
	unsigned char block;     /* ends lines before and after (BLOCKS) */
	unsigned char pre;       /* keeps its white space */
	unsigned char drop;      /* never shown: script, style ... (DROPPED), or hidden */
	unsigned char furniture; /* site furniture by class or id: dropped around an article */
	unsigned char mark;      /* how surely it holds the article (article_mark) */
	unsigned char titled;    /* h1-h3 or of class "title": may hold the page's title */
	unsigned char layout;    /* a table holding a table (known from the first reading) */
	size_t colspan, rowspan;
};

/* ---- text as a browser shows it ---- */

struct sink {
	struct buf *out;
	size_t line_start;
	int space, newline_in_space, pre;
	uint32_t last;
};

/* ---- rendering: elements in, lines out (html_render.c) ---- */

struct fel;
struct tab;

/* A flow renders the elements it is given into its sink. */
struct flow {
	struct sink s;
	int furniture;  /* site furniture is dropped */
	struct fel *st; /* elements open in the flow */
	size_t n, cap;
	size_t skip;     /* elements open inside a dropped one */
	struct tab *tab; /* the data table being read */
};

/* ---- html_charset.c ---- */

/*
 * Chooses the charset the page is read in: the declared (or forced) one, or
 * detection's where there is none or the bytes do not fit it. d gets the
 * encoding, not the text; note says where the declaration was not used.
 * 0, or -1 with why.
 */
int html_choose_charset(const char *data, size_t n, const char *force, struct decoded *d,
			struct buf *note, struct buf *why);

/* ---- html_render.c ---- */

/* What an element is by its name alone; name gets the name lower-cased. */
void html_el_named(const xmlChar *tag, struct el *e, char *name, size_t size);
/* What an element is by its name and attributes. */
void html_el_of(const xmlChar *tag, const xmlChar **atts, struct el *e);
/* A CJK character (U+2E80 on): a line break between two of them vanishes. */
int html_wide(uint32_t c);
/* Ends the sink's line, if it has begun one. */
void html_sink_break(struct sink *s);
/* Starts a flow writing to out; with_furniture: site furniture is dropped. */
void html_flow_init(struct flow *f, struct buf *out, int with_furniture);
void html_flow_free(struct flow *f);
/* Memory a flow holds besides its output, for the guard. */
size_t html_flow_bytes(const struct flow *f);
/* An element starts, ends, holds text; max_out bounds a table's text, *cut says it was cut. */
void html_flow_start(struct flow *f, const struct el *e);
void html_flow_end(struct flow *f, size_t max_out, int *cut);
void html_flow_text(struct flow *f, const char *t, size_t n);

#endif
