/*
 * docx_impl.h - what the files of the .docx reader share; not for the stages
 * (they use docx.h).
 *
 * docx.c          the zip archive read from memory, each part unpacked
 *                 through libxml2's push parser, the SAX callbacks, the
 *                 bounds every file charges (guard.h); docx_text()
 * docx_xml.c      WordprocessingML element names and attributes
 * docx_defs.c     word/styles.xml and word/numbering.xml: the definitions
 * docx_numbers.c  automatic numbering: the number a paragraph shows
 * docx_document.c word/document.xml: paragraphs, runs, text boxes, tables
 *
 * One struct docx holds a reading: the frames of the open elements, the
 * definitions and the document's open paragraphs and tables. What it holds
 * is charged to its guard through docx_hold() and the functions built on
 * it; docx_text() releases it all.
 */
#ifndef NM_DOCX_IMPL_H
#define NM_DOCX_IMPL_H

#include <stddef.h>
#include <stdint.h>

#include <libxml/parser.h>

#include "front/guard.h"
#include "front/table.h"
#include "stream/buf.h"

#define NLEVELS 9
/* Links between styles (basedOn, numStyleLink) are followed this far. */
#define MAX_STYLE_CHAIN 16

/* ---- element names ---- */

// clang-format off (a packed table)
enum el {
	E_OTHER,
	/* w: */
	E_ABSTRACTNUM,
	E_ABSTRACTNUMID,
	E_BASEDON,
	E_BDO,
	E_BODY,
	E_BR,
	E_CR,
	E_CUSTOMXML,
	E_DIR,
	E_DOCUMENT,
	E_DRAWING,
	E_FLDSIMPLE,
	E_GRIDBEFORE,
	E_GRIDSPAN,
	E_HYPERLINK,
	E_ILVL,
	E_INS,
	E_ISLGL,
	E_LVL,
	E_LVLOVERRIDE,
	E_LVLRESTART,
	E_LVLTEXT,
	E_MOVETO,
	E_NOBREAKHYPHEN,
	E_NUM,
	E_NUMFMT,
	E_NUMID,
	E_NUMPR,
	E_NUMSTYLELINK,
	E_OBJECT,
	E_P,
	E_PPR,
	E_PSTYLE,
	E_PICT,
	E_PTAB,
	E_R,
	E_RPR,
	E_RUBY,
	E_RUBYBASE,
	E_SDT,
	E_SDTCONTENT,
	E_SMARTTAG,
	E_START,
	E_STARTOVERRIDE,
	E_STYLE,
	E_SUFF,
	E_T,
	E_TAB,
	E_TBL,
	E_TC,
	E_TCPR,
	E_TR,
	E_TRPR,
	E_TXBXCONTENT,
	E_VMERGE,
	E_VANISH,
	/* mc: */
	E_ALTERNATE,
	E_CHOICE,
	E_FALLBACK,
	E_COUNT
};
// clang-format on
_Static_assert(E_COUNT <= 64, "a frame notes the kinds of children it met in 64 bits");

/* ---- attributes as SAX2 gives them: name, prefix, URI, value, end ---- */

struct attrs {
	int n;
	const xmlChar **a;
};

/* ---- the reader ---- */

/* What the children of an open element mean: one context per frame. */
enum ctx {
	SKIP, /* nothing inside is read */
	/* styles.xml */
	S_ROOT,
	S_TOP,
	S_STYLE,
	S_PPR,
	S_NUMPR,
	/* numbering.xml */
	N_ROOT,
	N_TOP,
	N_ABS,
	N_LVL,
	N_LVL_ALT,
	N_LVL_ALT_ONE,
	N_NUM,
	N_OVR,
	/* document.xml */
	D_ROOT,
	D_DOC,
	D_BLOCKS,
	D_ALT_BLOCKS,
	D_P,
	D_PARA,
	D_SDT_PARA,
	D_ALT_PARA,
	D_PPR,
	D_NUMPR,
	D_RUN,
	D_ALT_RUN,
	D_RPR,
	D_TEXT,
	D_DRAWING,
	D_ALT_DRAWING,
	D_RUBY,
	D_RUBYBASE,
	D_TABLE,
	D_ROW,
	D_ROW_SDT,
	D_TRPR,
	D_CELL,
	D_TCPR,
};

struct frame {
	unsigned char ctx, el;
	unsigned char taken;      /* AlternateContent: an alternative was read */
	unsigned char hidden;     /* a run marked vanish */
	int k;                    /* lvlOverride: its level */
	uint64_t seen;            /* kinds of children met: the first of a kind counts */
	struct buf *sink;         /* blocks: where paragraphs and tables go */
	size_t line_at, extra_at; /* a run: the paragraph's lengths when it started */
};

/* Number formats, by how they are written out (format_number). */
enum fmt {
	F_DECIMAL, /* decimal, and every format not named here */
	F_NONE,
	F_BULLET,
	F_COUNTING,
	F_DIGITAL,
	F_LEGAL,
	F_TIANGAN,
	F_DIZHI,
	F_UROMAN,
	F_LROMAN,
	F_ULETTER,
	F_LLETTER,
	F_CIRCLE,
	F_PAREN,
	F_FULLSTOP,
	F_IDEO_CIRCLE,
	F_ZERO,
};

/* A level of a list definition; kept small, as a file may define 100,000. */
struct lvl {
	unsigned char fmt;          /* enum fmt */
	unsigned char pad;          /* digits of a zero-padded custom format ("01, 02, ...") */
	unsigned char legal;        /* isLgl: every number decimal */
	unsigned char suff_nothing; /* suff nothing: no tab or space after the number */
	signed char alt_fmt;        /* 1 fmt came from an mc:AlternateContent, -1 a numFmt */
	long start;
	long restart; /* lvlRestart; -1 when absent */
	char *text;   /* lvlText, e.g. "%1、" */
	char *pstyle; /* the paragraph style that uses this level */
};

struct abstract {
	char *id;
	char *style_link; /* numStyleLink: the definition is in that style's list */
	struct lvl *lvl[NLEVELS];
};

struct num {
	char *id, *abs_id;
	long abs; /* index into abstracts, or -1 */
	size_t set;
	struct lvl **ovr; /* NLEVELS lvlOverride/lvl, or NULL */
	long *start_ovr;  /* NLEVELS lvlOverride/startOverride (LONG_MIN: none), or NULL */
};

struct counters {
	long v[NLEVELS];
	unsigned short started; /* a bit per level */
};

struct style {
	char *id, *based_on, *num_id;
	long ilvl; /* -1 when the style's numPr names none */
};

/* An index of definitions by id: one entry per id, sorted. */
struct idx {
	const char *key;
	size_t at;
};

struct para {
	struct buf line, extra;
	char *style, *num_id; /* of its pPr: pStyle, numPr/numId */
	long ilvl;            /* numPr/ilvl, or -1 */
	int numbered;
	struct buf *sink;
};

struct tbl {
	struct table t;
	struct buf cell;
	long span;
	int vmerge, cont;
	size_t charged; /* t.bytes charged to the guard */
	struct buf *sink;
};

enum part { P_STYLES, P_NUMBERING, P_DOCUMENT };

struct docx {
	struct guard g;
	xmlParserCtxtPtr ctxt;
	enum part part;
	struct frame *f;
	size_t nf, capf;
	size_t skip;    /* elements open inside a SKIP frame */
	int doctype;    /* the part declares a DTD */
	int too_deep;   /* elements nest deeper than xmlParserMaxDepth */
	struct buf err; /* the last XML error of the part */
	int err_line;
	/* definitions */
	struct abstract *a;
	size_t na, capa;
	struct num *num;
	size_t nnum, capnum;
	struct counters *set;
	size_t nset;
	struct style *st;
	size_t nst, capst;
	struct idx *a_ix, *num_ix, *st_ix;
	size_t na_ix, nnum_ix, nst_ix;
	const char *default_style;
	struct lvl *lvl; /* the level being read */
	/* the document */
	struct buf *out;
	struct para **p;
	size_t np, capp;
	struct tbl **t;
	size_t nt, capt;
	int saw_document, saw_body;
	struct buf scratch;
};

/* ---- docx.c: the bounds ---- */

/* Stops the parser: nothing more of the part is read. */
void docx_stop(struct docx *dx);
/* Charges held bytes (released when negative); stops the parser past the budget. */
void docx_hold(struct docx *dx, long long delta);
void docx_work(struct docx *dx, unsigned long units);
/* Appends s[0..n) to b, charged. */
void docx_add(struct docx *dx, struct buf *b, const char *s, size_t n);
/* Cuts b back to len, releasing what is cut. */
void docx_cut(struct docx *dx, struct buf *b, size_t len);
/* A copy of attribute NAME charged to the guard, or NULL. */
char *docx_keep_attr(struct docx *dx, const struct attrs *at, const char *name);
/* Grows an array of *cap elements of size each to hold one more; charged. */
void *docx_grow(struct docx *dx, void *v, size_t n, size_t *cap, size_t size);

/* ---- docx_xml.c: names and attributes ---- */

/* What an element is, by its namespace and local name. */
enum el docx_el_of(const xmlChar *name, const xmlChar *uri);
/* Attribute w:NAME (or NAME without a namespace): 1 with its value, else 0. */
int docx_attr(const struct attrs *at, const char *name, const char **v, size_t *len);
/* The attribute's value as a string the caller frees, or NULL. */
char *docx_attr_dup(const struct attrs *at, const char *name);
int docx_has_attr(const struct attrs *at, const char *name);
int docx_attr_is(const struct attrs *at, const char *name, const char *want);
/* The attribute as a number: dflt when absent or not a number. */
long docx_attr_long(const struct attrs *at, const char *name, long dflt);
/* An on/off property: w:val absent, or not 0/false/off. */
int docx_attr_on(const struct attrs *at);

/* ---- docx_defs.c: styles.xml and numbering.xml ---- */

/* The context of a child el of frame f in styles.xml; first: the first of its kind. */
int docx_styles_child(struct docx *dx, const struct frame *f, enum el el, int first,
		      const struct attrs *at);
/* The same in numbering.xml; c is the child's frame. */
int docx_numbering_child(struct docx *dx, struct frame *f, enum el el, int first,
			 const struct attrs *at, struct frame *c);
/* Indexes the styles, once styles.xml is read. */
void docx_styles_resolve(struct docx *dx);
/* Indexes the lists and gives each its counters, once numbering.xml is read. */
void docx_numbering_resolve(struct docx *dx);
const struct style *docx_find_style(const struct docx *dx, const char *id);
struct num *docx_find_num(struct docx *dx, const char *id);
void docx_definitions_free(struct docx *dx);

/* ---- docx_numbers.c: numbers as Word shows them ---- */

/* Advances the list's counters and appends the number the paragraph shows. */
void docx_numbering(struct docx *dx, struct para *p);

/* ---- docx_document.c: document.xml ---- */

/* The context of a child el of frame f in document.xml; c is the child's frame. */
int docx_document_child(struct docx *dx, struct frame *f, enum el el, int first,
			const struct attrs *at, struct frame *c);
/* The innermost open paragraph, or NULL. */
struct para *docx_para_top(struct docx *dx);
/* A paragraph ends: its line, then the text boxes it anchors. */
void docx_para_close(struct docx *dx);
/* A cell ends: its text goes into the table. */
void docx_cell_close(struct docx *dx);
/* A table ends: rendered into where it stands. */
void docx_tbl_close(struct docx *dx);
/* Releases the paragraphs and tables, open or kept for the next ones. */
void docx_doc_clear(struct docx *dx);

#endif
