/*
 * docx.c - Word .docx notices to text: paragraphs, automatic numbering, tables.
 *
 * Each part is unpacked in chunks straight into libxml2's push parser, whose
 * SAX callbacks do the reading: no tree is built, so memory follows the
 * text and not the markup, and nesting costs no recursion. styles.xml and
 * numbering.xml fill tables of definitions indexed by id; document.xml is
 * then read with a stack of frames, one per open element, each saying what
 * its children mean (blocks, the runs of a paragraph, the rows of a table).
 * Everything read is charged to a guard (guard.h): unpacked bytes, held
 * text and definitions, work and time.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <unzip.h>

#include "front/docx.h"
#include "front/guard.h"
#include "front/table.h"
#include "stream/err.h"
#include "stream/utf8.h"

#define NLEVELS 9
/* Links between styles (basedOn, numStyleLink) are followed this far. */
#define MAX_STYLE_CHAIN 16
/* Bytes unpacked and given to the parser at a time. */
#define CHUNK 65536

static const char *const W_NS[] = {
	"http://schemas.openxmlformats.org/wordprocessingml/2006/main",
	"http://purl.oclc.org/ooxml/wordprocessingml/main",
	NULL,
};
static const char MC_NS[] = "http://schemas.openxmlformats.org/markup-compatibility/2006";

/* ---- the zip archive, read from memory ---- */

struct mem {
	const char *data;
	size_t n, pos;
};

static voidpf ZCALLBACK mem_open(voidpf opaque, const void *name, int mode)
{
	(void)name;
	(void)mode;
	struct mem *m = opaque;
	m->pos = 0;
	return m;
}

static uLong ZCALLBACK mem_read(voidpf opaque, voidpf stream, void *out, uLong size)
{
	(void)opaque;
	struct mem *m = stream;
	size_t left = m->n - m->pos, k = size < left ? size : left;
	memcpy(out, m->data + m->pos, k);
	m->pos += k;
	return (uLong)k;
}

static uLong ZCALLBACK mem_write(voidpf opaque, voidpf stream, const void *in, uLong size)
{
	(void)opaque;
	(void)stream;
	(void)in;
	(void)size;
	return 0;
}

static ZPOS64_T ZCALLBACK mem_tell(voidpf opaque, voidpf stream)
{
	(void)opaque;
	return ((struct mem *)stream)->pos;
}

static long ZCALLBACK mem_seek(voidpf opaque, voidpf stream, ZPOS64_T off, int origin)
{
	(void)opaque;
	struct mem *m = stream;
	ZPOS64_T base = origin == ZLIB_FILEFUNC_SEEK_SET   ? 0
			: origin == ZLIB_FILEFUNC_SEEK_CUR ? m->pos
							   : m->n;
	if (off > m->n || base + off > m->n)
		return -1;
	m->pos = (size_t)(base + off);
	return 0;
}

static int ZCALLBACK mem_close(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

static int ZCALLBACK mem_error(voidpf opaque, voidpf stream)
{
	(void)opaque;
	(void)stream;
	return 0;
}

static unzFile zip_open(struct mem *m)
{
	zlib_filefunc64_def io = {mem_open, mem_read,  mem_write, mem_tell,
				  mem_seek, mem_close, mem_error, m};
	return unzOpen2_64("notice.docx", &io);
}

static int zip_locate(unzFile zf, const char *name)
{
	return unzLocateFile(zf, name, 1) == UNZ_OK || unzLocateFile(zf, name, 2) == UNZ_OK;
}

static int zip_has(unzFile zf, const char *name) { return unzLocateFile(zf, name, 2) == UNZ_OK; }

/* ---- element names ---- */

enum el {
	E_OTHER,
	/* w: */
	E_ABSTRACTNUM, E_ABSTRACTNUMID, E_BASEDON, E_BDO, E_BODY, E_BR, E_CR, E_CUSTOMXML,
	E_DIR, E_DOCUMENT, E_DRAWING, E_FLDSIMPLE, E_GRIDBEFORE, E_GRIDSPAN, E_HYPERLINK,
	E_ILVL, E_INS, E_ISLGL, E_LVL, E_LVLOVERRIDE, E_LVLRESTART, E_LVLTEXT, E_MOVETO,
	E_NOBREAKHYPHEN, E_NUM, E_NUMFMT, E_NUMID, E_NUMPR, E_NUMSTYLELINK, E_OBJECT, E_P,
	E_PPR, E_PSTYLE, E_PICT, E_PTAB, E_R, E_RPR, E_RUBY, E_RUBYBASE, E_SDT, E_SDTCONTENT,
	E_SMARTTAG, E_START, E_STARTOVERRIDE, E_STYLE, E_SUFF, E_T, E_TAB, E_TBL, E_TC,
	E_TCPR, E_TR, E_TRPR, E_TXBXCONTENT, E_VMERGE, E_VANISH,
	/* mc: */
	E_ALTERNATE, E_CHOICE, E_FALLBACK,
	E_COUNT
};
_Static_assert(E_COUNT <= 64, "a frame notes the kinds of children it met in 64 bits");

static struct w_name {
	const char *name;
	enum el el;
} W_NAMES[] = {
	{"abstractNum", E_ABSTRACTNUM}, {"abstractNumId", E_ABSTRACTNUMID},
	{"basedOn", E_BASEDON},         {"bdo", E_BDO},
	{"body", E_BODY},               {"br", E_BR},
	{"cr", E_CR},                   {"customXml", E_CUSTOMXML},
	{"dir", E_DIR},                 {"document", E_DOCUMENT},
	{"drawing", E_DRAWING},         {"fldSimple", E_FLDSIMPLE},
	{"gridBefore", E_GRIDBEFORE},   {"gridSpan", E_GRIDSPAN},
	{"hyperlink", E_HYPERLINK},     {"ilvl", E_ILVL},
	{"ins", E_INS},                 {"isLgl", E_ISLGL},
	{"lvl", E_LVL},                 {"lvlOverride", E_LVLOVERRIDE},
	{"lvlRestart", E_LVLRESTART},   {"lvlText", E_LVLTEXT},
	{"moveTo", E_MOVETO},           {"noBreakHyphen", E_NOBREAKHYPHEN},
	{"num", E_NUM},                 {"numFmt", E_NUMFMT},
	{"numId", E_NUMID},             {"numPr", E_NUMPR},
	{"numStyleLink", E_NUMSTYLELINK}, {"object", E_OBJECT},
	{"p", E_P},                     {"pPr", E_PPR},
	{"pStyle", E_PSTYLE},           {"pict", E_PICT},
	{"ptab", E_PTAB},               {"r", E_R},
	{"rPr", E_RPR},                 {"ruby", E_RUBY},
	{"rubyBase", E_RUBYBASE},       {"sdt", E_SDT},
	{"sdtContent", E_SDTCONTENT},   {"smartTag", E_SMARTTAG},
	{"start", E_START},             {"startOverride", E_STARTOVERRIDE},
	{"style", E_STYLE},             {"suff", E_SUFF},
	{"t", E_T},                     {"tab", E_TAB},
	{"tbl", E_TBL},                 {"tc", E_TC},
	{"tcPr", E_TCPR},               {"tr", E_TR},
	{"trPr", E_TRPR},               {"txbxContent", E_TXBXCONTENT},
	{"vMerge", E_VMERGE},           {"vanish", E_VANISH},
};

static int w_name_cmp(const void *a, const void *b)
{
	return strcmp(((const struct w_name *)a)->name, ((const struct w_name *)b)->name);
}

static int is_w_ns(const xmlChar *uri)
{
	for (size_t i = 0; uri && W_NS[i]; i++)
		if (strcmp((const char *)uri, W_NS[i]) == 0)
			return 1;
	return 0;
}

/* What an element is, by its namespace and local name. */
static enum el el_of(const xmlChar *name, const xmlChar *uri)
{
	static int sorted;
	if (!sorted) {
		qsort(W_NAMES, sizeof W_NAMES / sizeof *W_NAMES, sizeof *W_NAMES, w_name_cmp);
		sorted = 1;
	}
	if (is_w_ns(uri)) {
		struct w_name key = {(const char *)name, E_OTHER};
		const struct w_name *w = bsearch(&key, W_NAMES, sizeof W_NAMES / sizeof *W_NAMES,
						 sizeof *W_NAMES, w_name_cmp);
		return w ? w->el : E_OTHER;
	}
	if (uri && strcmp((const char *)uri, MC_NS) == 0) {
		if (strcmp((const char *)name, "AlternateContent") == 0)
			return E_ALTERNATE;
		if (strcmp((const char *)name, "Choice") == 0)
			return E_CHOICE;
		if (strcmp((const char *)name, "Fallback") == 0)
			return E_FALLBACK;
	}
	return E_OTHER;
}

/* ---- attributes as SAX2 gives them: name, prefix, URI, value, end ---- */

struct attrs {
	int n;
	const xmlChar **a;
};

/*
 * Attribute w:NAME (or NAME without a namespace): 1 with its value, else
 * 0. An attribute whose prefix is bound to no namespace is named
 * "prefix:NAME", as in a tree: it is not NAME.
 */
static int attr(const struct attrs *at, const char *name, const char **v, size_t *len)
{
	for (int i = 0; i < at->n; i++) {
		const xmlChar **a = at->a + 5 * i;
		if (strcmp((const char *)a[0], name) != 0 || (a[2] && !is_w_ns(a[2])) ||
		    (a[1] && !a[2]))
			continue;
		*v = (const char *)a[3];
		*len = (size_t)(a[4] - a[3]);
		return 1;
	}
	return 0;
}

/* The attribute's value as a string the caller frees, or NULL. */
static char *attr_dup(const struct attrs *at, const char *name)
{
	const char *v;
	size_t len;
	return attr(at, name, &v, &len) ? nm_xstrndup(v, len) : NULL;
}

static int has_attr(const struct attrs *at, const char *name)
{
	const char *v;
	size_t len;
	return attr(at, name, &v, &len);
}

static int attr_is(const struct attrs *at, const char *name, const char *want)
{
	const char *v;
	size_t len;
	return attr(at, name, &v, &len) && len == strlen(want) && memcmp(v, want, len) == 0;
}

static long to_long(const char *s, long dflt)
{
	if (!s || !*s)
		return dflt;
	char *end;
	long v = strtol(s, &end, 10);
	return *end ? dflt : v;
}

/* The attribute as a number: dflt when absent or not a number. */
static long attr_long(const struct attrs *at, const char *name, long dflt)
{
	char *s = attr_dup(at, name);
	long v = to_long(s, dflt);
	free(s);
	return v;
}

/* An on/off property: w:val absent, or not 0/false/off. */
static int attr_on(const struct attrs *at)
{
	const char *v;
	size_t len;
	if (!attr(at, "val", &v, &len))
		return 1;
	return !((len == 1 && *v == '0') || (len == 5 && memcmp(v, "false", 5) == 0) ||
		 (len == 3 && memcmp(v, "off", 3) == 0));
}

/* ---- the reader ---- */

/* What the children of an open element mean: one context per frame. */
enum ctx {
	SKIP, /* nothing inside is read */
	/* styles.xml */
	S_ROOT, S_TOP, S_STYLE, S_PPR, S_NUMPR,
	/* numbering.xml */
	N_ROOT, N_TOP, N_ABS, N_LVL, N_LVL_ALT, N_LVL_ALT_ONE, N_NUM, N_OVR,
	/* document.xml */
	D_ROOT, D_DOC, D_BLOCKS, D_ALT_BLOCKS, D_P, D_PARA, D_SDT_PARA, D_ALT_PARA, D_PPR,
	D_NUMPR, D_RUN, D_ALT_RUN, D_RPR, D_TEXT, D_DRAWING, D_ALT_DRAWING, D_RUBY,
	D_RUBYBASE, D_TABLE, D_ROW, D_ROW_SDT, D_TRPR, D_CELL, D_TCPR,
};

struct frame {
	unsigned char ctx, el;
	unsigned char taken;  /* AlternateContent: an alternative was read */
	unsigned char hidden; /* a run marked vanish */
	int k;                /* lvlOverride: its level */
	uint64_t seen;        /* kinds of children met: the first of a kind counts */
	struct buf *sink;     /* blocks: where paragraphs and tables go */
	size_t line_at, extra_at; /* a run: the paragraph's lengths when it started */
};

/* Number formats, by how they are written out (format_number). */
enum fmt {
	F_DECIMAL, /* decimal, and every format not named here */
	F_NONE, F_BULLET, F_COUNTING, F_DIGITAL, F_LEGAL, F_TIANGAN, F_DIZHI, F_UROMAN,
	F_LROMAN, F_ULETTER, F_LLETTER, F_CIRCLE, F_PAREN, F_FULLSTOP, F_IDEO_CIRCLE, F_ZERO,
};

static enum fmt fmt_of(const char *name)
{
	static const struct {
		const char *name;
		enum fmt f;
	} FMTS[] = {
		{"none", F_NONE},
		{"bullet", F_BULLET},
		{"chineseCounting", F_COUNTING},
		{"chineseCountingThousand", F_COUNTING},
		{"japaneseCounting", F_COUNTING},
		{"taiwaneseCounting", F_COUNTING},
		{"taiwaneseCountingThousand", F_COUNTING},
		{"koreanCounting", F_COUNTING},
		{"ideographDigital", F_DIGITAL},
		{"taiwaneseDigital", F_DIGITAL},
		{"japaneseDigitalTenThousand", F_DIGITAL},
		{"koreanDigital", F_DIGITAL},
		{"chineseLegalSimplified", F_LEGAL},
		{"ideographTraditional", F_TIANGAN},
		{"ideographZodiac", F_DIZHI},
		{"upperRoman", F_UROMAN},
		{"lowerRoman", F_LROMAN},
		{"upperLetter", F_ULETTER},
		{"lowerLetter", F_LLETTER},
		{"decimalEnclosedCircle", F_CIRCLE},
		{"decimalEnclosedCircleChinese", F_CIRCLE},
		{"decimalEnclosedParen", F_PAREN},
		{"decimalEnclosedFullstop", F_FULLSTOP},
		{"ideographEnclosedCircle", F_IDEO_CIRCLE},
		{"decimalZero", F_ZERO},
	};
	for (size_t i = 0; name && i < sizeof FMTS / sizeof *FMTS; i++)
		if (strcmp(name, FMTS[i].name) == 0)
			return FMTS[i].f;
	return F_DECIMAL;
}

/* A level of a list definition; kept small, as a file may define 100,000. */
struct lvl {
	unsigned char fmt;          /* enum fmt */
	unsigned char pad;          /* digits of a zero-padded custom format ("01, 02, ...") */
	unsigned char legal;        /* isLgl: every number decimal */
	unsigned char suff_nothing; /* suff nothing: no tab or space after the number */
	signed char alt_fmt;        /* 1 fmt came from an mc:AlternateContent, -1 a numFmt */
	long start;
	long restart;     /* lvlRestart; -1 when absent */
	char *text;       /* lvlText, e.g. "%1、" */
	char *pstyle;     /* the paragraph style that uses this level */
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
	size_t skip;         /* elements open inside a SKIP frame */
	int doctype;         /* the part declares a DTD */
	int too_deep;        /* elements nest deeper than xmlParserMaxDepth */
	struct buf err;      /* the last XML error of the part */
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

static void stop(struct docx *dx)
{
	if (dx->ctxt)
		xmlStopParser(dx->ctxt);
}

/* Charges held bytes (released when negative); stops the parser past the budget. */
static void hold(struct docx *dx, long long delta)
{
	if (guard_hold(&dx->g, delta))
		stop(dx);
}

static void work(struct docx *dx, unsigned long units)
{
	if (guard_work(&dx->g, units))
		stop(dx);
}

static void add(struct docx *dx, struct buf *b, const char *s, size_t n)
{
	buf_add(b, s, n);
	hold(dx, (long long)n);
}

/* Cuts b back to len, releasing what is cut. */
static void cut(struct docx *dx, struct buf *b, size_t len)
{
	if (b->len <= len)
		return;
	hold(dx, -(long long)(b->len - len));
	b->len = len;
	b->s[len] = '\0';
}

/* A copy of attribute NAME charged to the guard, or NULL. */
static char *keep_attr(struct docx *dx, const struct attrs *at, const char *name)
{
	char *s = attr_dup(at, name);
	if (s)
		hold(dx, (long long)strlen(s) + 1);
	return s;
}

/* Grows an array of *cap elements of size each to hold one more; charged. */
static void *grow(struct docx *dx, void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t more = *cap ? *cap : 16;
	hold(dx, (long long)(more * size));
	*cap += more;
	return nm_xrealloc(v, *cap * size);
}

/* ---- definitions ---- */

static void lvl_free(struct lvl *l)
{
	if (!l)
		return;
	free(l->text);
	free(l->pstyle);
	free(l);
}

/* Starts (again) the level at *slot: Word's later definition of a level wins. */
static struct lvl *lvl_begin(struct docx *dx, struct lvl **slot)
{
	if (!*slot)
		hold(dx, sizeof **slot);
	lvl_free(*slot);
	struct lvl *l = nm_xmalloc(sizeof *l);
	memset(l, 0, sizeof *l);
	l->fmt = F_DECIMAL;
	l->start = 1;
	l->restart = -1;
	*slot = l;
	return l;
}

/* lvlText longer than this is cut: real ones are a few characters. */
#define MAX_LVL_TEXT 256

static char *lvl_text(struct docx *dx, const struct attrs *at)
{
	char *s = keep_attr(dx, at, "val");
	size_t n = s ? strlen(s) : 0;
	if (n > MAX_LVL_TEXT) {
		n = MAX_LVL_TEXT;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		s[n] = '\0';
	}
	return s;
}

/* A numFmt inside an mc:AlternateContent alternative: Word 2010 puts custom
 * formats there ("一, 二, 三, ..."). 1 when it gave a format. */
static int alt_fmt(struct lvl *l, const struct attrs *at)
{
	char *v = attr_dup(at, "val"), *fmt = attr_dup(at, "format");
	int ok = v != NULL;
	if (v && strcmp(v, "custom") == 0 && fmt) {
		if (str_starts(fmt, "一"))
			l->fmt = F_COUNTING;
		else if (str_starts(fmt, "壹"))
			l->fmt = F_LEGAL;
		else if (fmt[0] == '0') {
			size_t pad = strspn(fmt, "0123456789");
			l->fmt = F_DECIMAL;
			l->pad = (unsigned char)(pad < 10 ? pad : 0);
		} else
			ok = 0;
	} else if (v) {
		l->fmt = (unsigned char)fmt_of(v);
	}
	free(v);
	free(fmt);
	return ok;
}

static int idx_cmp(const void *a, const void *b)
{
	const struct idx *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Indexes n definitions of size bytes each by the id at offset key_off:
 * one entry per id, the first definition of it (or the last, when last).
 */
static struct idx *idx_build(struct docx *dx, const void *defs, size_t n, size_t size,
			     size_t key_off, int last, size_t *nix)
{
	struct idx *ix = nm_xmalloc((n ? n : 1) * sizeof *ix);
	hold(dx, (long long)((n ? n : 1) * sizeof *ix));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *key = *(char *const *)((const char *)defs + i * size + key_off);
		if (key)
			ix[k++] = (struct idx){key, i};
	}
	qsort(ix, k, sizeof *ix, idx_cmp);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (m && strcmp(ix[m - 1].key, ix[i].key) == 0) {
			if (last)
				ix[m - 1] = ix[i];
			continue;
		}
		ix[m++] = ix[i];
	}
	*nix = m;
	return ix;
}

static long idx_find(const struct idx *ix, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (key && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix[mid].key, key);
		if (c == 0)
			return (long)ix[mid].at;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static const struct style *find_style(const struct docx *dx, const char *id)
{
	long i = idx_find(dx->st_ix, dx->nst_ix, id);
	return i < 0 ? NULL : &dx->st[i];
}

static struct num *find_num(struct docx *dx, const char *id)
{
	long i = idx_find(dx->num_ix, dx->nnum_ix, id);
	return i < 0 ? NULL : &dx->num[i];
}

static int restarts(const struct num *u)
{
	for (int k = 0; u->start_ovr && k < NLEVELS; k++)
		if (u->start_ovr[k] != LONG_MIN)
			return 1;
	return 0;
}

/*
 * After numbering.xml: each list finds its abstract definition (the last
 * of that id, as Word reads them), and lists of one definition continue
 * each other, as in Word, unless a startOverride makes one count on its own.
 */
static void numbering_resolve(struct docx *dx)
{
	dx->a_ix = idx_build(dx, dx->a, dx->na, sizeof *dx->a, offsetof(struct abstract, id), 1,
			     &dx->na_ix);
	dx->num_ix = idx_build(dx, dx->num, dx->nnum, sizeof *dx->num, offsetof(struct num, id),
			       0, &dx->nnum_ix);
	size_t *first = nm_xmalloc((dx->na + 1) * sizeof *first); /* per abstract, and none */
	for (size_t i = 0; i <= dx->na; i++)
		first[i] = SIZE_MAX;
	hold(dx, (long long)((dx->na + 1) * sizeof *first));
	for (size_t i = 0; i < dx->nnum; i++) {
		struct num *u = &dx->num[i];
		u->abs = idx_find(dx->a_ix, dx->na_ix, u->abs_id);
		size_t *slot = &first[u->abs < 0 ? dx->na : (size_t)u->abs];
		int own = restarts(u);
		if (!own && *slot != SIZE_MAX) {
			u->set = *slot;
			continue;
		}
		u->set = dx->nset++;
		if (!own)
			*slot = u->set;
	}
	hold(dx, -(long long)((dx->na + 1) * sizeof *first));
	free(first);
	dx->set = nm_xmalloc((dx->nset ? dx->nset : 1) * sizeof *dx->set);
	memset(dx->set, 0, (dx->nset ? dx->nset : 1) * sizeof *dx->set);
	hold(dx, (long long)((dx->nset ? dx->nset : 1) * sizeof *dx->set));
}

static void styles_resolve(struct docx *dx)
{
	dx->st_ix = idx_build(dx, dx->st, dx->nst, sizeof *dx->st, offsetof(struct style, id), 0,
			      &dx->nst_ix);
}

static void definitions_free(struct docx *dx)
{
	for (size_t i = 0; i < dx->na; i++) {
		free(dx->a[i].id);
		free(dx->a[i].style_link);
		for (int k = 0; k < NLEVELS; k++)
			lvl_free(dx->a[i].lvl[k]);
	}
	for (size_t i = 0; i < dx->nnum; i++) {
		free(dx->num[i].id);
		free(dx->num[i].abs_id);
		for (int k = 0; dx->num[i].ovr && k < NLEVELS; k++)
			lvl_free(dx->num[i].ovr[k]);
		free(dx->num[i].ovr);
		free(dx->num[i].start_ovr);
	}
	for (size_t i = 0; i < dx->nst; i++) {
		free(dx->st[i].id);
		free(dx->st[i].based_on);
		free(dx->st[i].num_id);
	}
	free(dx->a);
	free(dx->num);
	free(dx->set);
	free(dx->st);
	free(dx->a_ix);
	free(dx->num_ix);
	free(dx->st_ix);
}
/* ---- numbers as Word shows them ---- */

static const char *const CN_DIGIT[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* 1 一, 10 十, 11 十一, 20 二十, 105 一百零五, 1010 一千零一十. */
static void cn_count(struct buf *b, long v)
{
	static const char *const UNIT[] = {"千", "百", "十", ""};
	static const long POW[] = {1000, 100, 10, 1};
	if (v <= 0 || v > 9999) {
		buf_printf(b, "%ld", v);
		return;
	}
	int zero = 0, any = 0;
	for (int k = 0; k < 4; k++) {
		long d = v / POW[k] % 10;
		if (!d) {
			zero = any;
			continue;
		}
		if (zero)
			buf_adds(b, "零");
		zero = 0;
		if (!(k == 2 && d == 1 && !any))
			buf_adds(b, CN_DIGIT[d]);
		buf_adds(b, UNIT[k]);
		any = 1;
	}
}

static void roman(struct buf *b, long v, int upper)
{
	static const struct {
		long v;
		const char *s;
	} R[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
		 {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
		 {5, "v"},    {4, "iv"},   {1, "i"}};
	if (v <= 0 || v >= 4000) {
		buf_printf(b, "%ld", v);
		return;
	}
	for (size_t i = 0; i < sizeof R / sizeof *R; i++)
		for (; v >= R[i].v; v -= R[i].v)
			for (const char *p = R[i].s; *p; p++)
				buf_addc(b, upper ? (char)(*p - 'a' + 'A') : *p);
}

/* Appends code point base + v - 1 where v is within 1..count, else digits. */
static void from_series(struct buf *b, long v, uint32_t base, long count)
{
	char enc[4];
	if (v >= 1 && v <= count)
		buf_add(b, enc, utf8_encode(base + (uint32_t)(v - 1), enc));
	else
		buf_printf(b, "%ld", v);
}

static void from_list(struct buf *b, long v, const char *const *list, long count)
{
	if (v >= 1 && v <= count)
		buf_adds(b, list[v - 1]);
	else
		buf_printf(b, "%ld", v);
}

static void format_number(struct buf *b, long v, const struct lvl *l, int legal)
{
	static const char *const TIANGAN[] = {"甲", "乙", "丙", "丁", "戊",
					      "己", "庚", "辛", "壬", "癸"};
	static const char *const DIZHI[] = {"子", "丑", "寅", "卯", "辰", "巳",
					    "午", "未", "申", "酉", "戌", "亥"};
	static const char *const LEGAL[] = {"零", "壹", "贰", "叁", "肆",
					    "伍", "陆", "柒", "捌", "玖"};
	enum fmt f = legal ? F_DECIMAL : (enum fmt)l->fmt;
	switch (f) {
	case F_NONE:
	case F_BULLET:
		break;
	case F_COUNTING:
		cn_count(b, v);
		break;
	case F_DIGITAL: {
		char digits[24];
		snprintf(digits, sizeof digits, "%lu",
			 v < 0 ? 0UL - (unsigned long)v : (unsigned long)v);
		for (const char *p = digits; *p; p++)
			buf_adds(b, CN_DIGIT[*p - '0']);
		break;
	}
	case F_LEGAL:
		if (v >= 1 && v <= 9)
			buf_adds(b, LEGAL[v]);
		else if (v >= 10 && v <= 99)
			buf_printf(b, "%s拾%s", v / 10 > 1 ? LEGAL[v / 10] : "壹",
				   v % 10 ? LEGAL[v % 10] : "");
		else
			buf_printf(b, "%ld", v);
		break;
	case F_TIANGAN:
		from_list(b, v, TIANGAN, 10);
		break;
	case F_DIZHI:
		from_list(b, v, DIZHI, 12);
		break;
	case F_UROMAN:
	case F_LROMAN:
		roman(b, v, f == F_UROMAN);
		break;
	case F_ULETTER:
	case F_LLETTER:
		if (v <= 0) {
			buf_printf(b, "%ld", v);
		} else {
			for (long k = 0; k <= (v - 1) / 26 && k < 100; k++)
				buf_addc(b, (char)((f == F_ULETTER ? 'A' : 'a') + (v - 1) % 26));
		}
		break;
	case F_CIRCLE:
		from_series(b, v, 0x2460, 20); /* ① */
		break;
	case F_PAREN:
		from_series(b, v, 0x2474, 20); /* ⑴ */
		break;
	case F_FULLSTOP:
		from_series(b, v, 0x2488, 20); /* ⒈ */
		break;
	case F_IDEO_CIRCLE:
		from_series(b, v, 0x3220, 10); /* ㈠ */
		break;
	case F_ZERO:
		buf_printf(b, "%02ld", v);
		break;
	case F_DECIMAL:
		/* decimal, decimalFullWidth (the stream makes it ASCII), ordinal... */
		buf_printf(b, "%0*ld", l->pad > 0 && l->pad < 10 ? l->pad : 1, v);
		break;
	}
}

/* The level definition a list uses: its override, else the abstract one; NULL: none. */
static const struct lvl *level_of(const struct docx *dx, const struct num *u, int k)
{
	if (u->ovr && u->ovr[k])
		return u->ovr[k];
	return u->abs >= 0 ? dx->a[u->abs].lvl[k] : NULL;
}

/* A list whose abstract definition only links to a numbering style. */
static struct num *follow_style_link(struct docx *dx, struct num *u)
{
	for (int hop = 0; u && hop < MAX_STYLE_CHAIN; hop++) {
		if (u->abs < 0 || !dx->a[u->abs].style_link)
			return u;
		const struct style *s = find_style(dx, dx->a[u->abs].style_link);
		struct num *next = s ? find_num(dx, s->num_id) : NULL;
		if (!next || next == u)
			return u;
		u = next;
	}
	return u;
}

/* The numbering of a paragraph: its own numPr, else its style's. */
static struct num *para_num(struct docx *dx, const struct para *p, int *ilvl)
{
	const char *num_id = p->num_id;
	long k = p->ilvl;
	const char *sid = p->style ? p->style : dx->default_style;
	const struct style *s = find_style(dx, sid);
	for (int hop = 0; s && !num_id && hop < MAX_STYLE_CHAIN; hop++) {
		if (s->num_id) {
			num_id = s->num_id;
			if (k < 0)
				k = s->ilvl;
		} else {
			s = find_style(dx, s->based_on);
		}
	}
	if (!num_id || strcmp(num_id, "0") == 0)
		return NULL;
	struct num *u = follow_style_link(dx, find_num(dx, num_id));
	if (!u)
		return NULL;
	for (int i = 0; k < 0 && sid && i < NLEVELS; i++) {
		const struct lvl *l = level_of(dx, u, i);
		if (l && l->pstyle && strcmp(l->pstyle, sid) == 0)
			k = i;
	}
	*ilvl = k < 0 ? 0 : k >= NLEVELS ? NLEVELS - 1 : (int)k;
	return u;
}

static long start_of(const struct docx *dx, const struct num *u, int k)
{
	if (u->start_ovr && u->start_ovr[k] != LONG_MIN)
		return u->start_ovr[k];
	const struct lvl *l = level_of(dx, u, k);
	return l ? l->start : 1;
}

static int ends_in_punctuation(const struct buf *b)
{
	if (!b->len)
		return 1;
	size_t i = b->len - 1;
	while (i > 0 && ((unsigned char)b->s[i] & 0xC0) == 0x80)
		i--;
	uint32_t c;
	if (!utf8_decode(b->s + i, b->len - i, &c))
		return 1;
	return (c < 0x80 && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) ||
	       (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF65) ||
	       (c >= 0x2460 && c <= 0x24FF) || (c >= 0x3220 && c <= 0x325F);
}

/* Advances the list's counters and appends the number the paragraph shows. */
static void numbering(struct docx *dx, struct para *p)
{
	int k;
	p->numbered = 1;
	struct num *u = para_num(dx, p, &k);
	const struct lvl *l = u ? level_of(dx, u, k) : NULL;
	if (!l)
		return;
	struct counters *c = &dx->set[u->set];
	if (!(c->started >> k & 1))
		c->v[k] = start_of(dx, u, k);
	else if (c->v[k] < LONG_MAX)
		c->v[k]++;
	c->started |= (unsigned short)(1u << k);
	for (int j = k + 1; j < NLEVELS; j++) {
		const struct lvl *lj = level_of(dx, u, j);
		long restart = lj && lj->restart >= 0 ? lj->restart : j;
		if (k < restart)
			c->started &= (unsigned short)~(1u << j);
	}
	if (!l->text)
		return;
	struct buf *num = &dx->scratch;
	buf_reset(num);
	if (l->fmt == F_BULLET) {
		/* Symbol-font bullets are private-use characters: left out. */
		uint32_t cp;
		size_t n = strlen(l->text);
		for (size_t i = 0; i < n;) {
			size_t len = utf8_decode(l->text + i, n - i, &cp);
			if (len && !(cp >= 0xE000 && cp <= 0xF8FF))
				buf_add(num, l->text + i, len);
			i += len ? len : 1;
		}
	} else {
		for (const char *q = l->text; *q; q++) {
			if (q[0] == '%' && q[1] >= '1' && q[1] <= '9') {
				int j = q[1] - '1';
				const struct lvl *lj = level_of(dx, u, j);
				long v = c->started >> j & 1 ? c->v[j] : start_of(dx, u, j);
				if (lj)
					format_number(num, v, lj, l->legal);
				else
					buf_printf(num, "%ld", v);
				q++;
			} else {
				buf_addc(num, *q);
			}
		}
	}
	add(dx, &p->line, buf_str(num), num->len);
	if (num->len && !l->suff_nothing && !ends_in_punctuation(num))
		add(dx, &p->line, " ", 1);
}

/* ---- styles.xml and numbering.xml ---- */

/* The context of a child el of frame f in styles.xml; first: the first of its kind. */
static int styles_child(struct docx *dx, const struct frame *f, enum el el, int first,
			const struct attrs *at)
{
	struct style *s = dx->nst ? &dx->st[dx->nst - 1] : NULL;
	switch (f->ctx) {
	case S_ROOT:
		return S_TOP;
	case S_TOP:
		if (el != E_STYLE || !(!has_attr(at, "type") || attr_is(at, "type", "paragraph") ||
				       attr_is(at, "type", "numbering")))
			return SKIP;
		dx->st = grow(dx, dx->st, dx->nst, &dx->capst, sizeof *dx->st);
		s = &dx->st[dx->nst++];
		memset(s, 0, sizeof *s);
		s->id = keep_attr(dx, at, "styleId");
		s->ilvl = -1;
		if (!dx->default_style && s->id && !attr_is(at, "type", "numbering") &&
		    (attr_is(at, "default", "1") || attr_is(at, "default", "true") ||
		     attr_is(at, "default", "on")))
			dx->default_style = s->id;
		return S_STYLE;
	case S_STYLE:
		if (el == E_BASEDON && first)
			s->based_on = keep_attr(dx, at, "val");
		return el == E_PPR && first ? S_PPR : SKIP;
	case S_PPR:
		return el == E_NUMPR && first ? S_NUMPR : SKIP;
	case S_NUMPR:
		if (el == E_NUMID && first)
			s->num_id = keep_attr(dx, at, "val");
		else if (el == E_ILVL && first)
			s->ilvl = attr_long(at, "val", -1);
		return SKIP;
	}
	return SKIP;
}

static int numbering_child(struct docx *dx, struct frame *f, enum el el, int first,
			   const struct attrs *at, struct frame *c)
{
	struct abstract *a = dx->na ? &dx->a[dx->na - 1] : NULL;
	struct num *u = dx->nnum ? &dx->num[dx->nnum - 1] : NULL;
	struct lvl *l = dx->lvl;
	switch (f->ctx) {
	case N_ROOT:
		return N_TOP;
	case N_TOP:
		if (el == E_ABSTRACTNUM) {
			dx->a = grow(dx, dx->a, dx->na, &dx->capa, sizeof *dx->a);
			a = &dx->a[dx->na++];
			memset(a, 0, sizeof *a);
			a->id = keep_attr(dx, at, "abstractNumId");
			return N_ABS;
		}
		if (el == E_NUM) {
			dx->num = grow(dx, dx->num, dx->nnum, &dx->capnum, sizeof *dx->num);
			u = &dx->num[dx->nnum++];
			memset(u, 0, sizeof *u);
			u->id = keep_attr(dx, at, "numId");
			u->abs = -1;
			return N_NUM;
		}
		return SKIP;
	case N_ABS:
		if (el == E_NUMSTYLELINK && first) {
			a->style_link = keep_attr(dx, at, "val");
		} else if (el == E_LVL) {
			long lk = attr_long(at, "ilvl", -1);
			if (lk >= 0 && lk < NLEVELS) {
				dx->lvl = lvl_begin(dx, &a->lvl[lk]);
				return N_LVL;
			}
		}
		return SKIP;
	case N_NUM:
		if (el == E_ABSTRACTNUMID && first) {
			u->abs_id = keep_attr(dx, at, "val");
		} else if (el == E_LVLOVERRIDE) {
			long lk = attr_long(at, "ilvl", -1);
			c->k = (int)lk;
			if (lk >= 0 && lk < NLEVELS)
				return N_OVR;
		}
		return SKIP;
	case N_OVR:
		if (el == E_STARTOVERRIDE && first) {
			if (!u->start_ovr) {
				u->start_ovr = nm_xmalloc(NLEVELS * sizeof *u->start_ovr);
				hold(dx, NLEVELS * sizeof *u->start_ovr);
				for (int j = 0; j < NLEVELS; j++)
					u->start_ovr[j] = LONG_MIN;
			}
			u->start_ovr[f->k] = attr_long(at, "val", 1);
		} else if (el == E_LVL && first) {
			if (!u->ovr) {
				u->ovr = nm_xmalloc(NLEVELS * sizeof *u->ovr);
				memset(u->ovr, 0, NLEVELS * sizeof *u->ovr);
				hold(dx, NLEVELS * sizeof *u->ovr);
			}
			dx->lvl = lvl_begin(dx, &u->ovr[f->k]);
			return N_LVL;
		}
		return SKIP;
	case N_LVL:
		if (!first && el != E_ALTERNATE)
			return SKIP;
		switch (el) {
		case E_START:
			l->start = attr_long(at, "val", 1);
			break;
		case E_NUMFMT: {
			char *v = attr_dup(at, "val");
			l->fmt = (unsigned char)fmt_of(v);
			l->pad = 0;
			l->alt_fmt = -1; /* a numFmt of its own wins over alternatives */
			free(v);
			break;
		}
		case E_LVLTEXT:
			l->text = lvl_text(dx, at);
			break;
		case E_LVLRESTART:
			l->restart = attr_long(at, "val", -1);
			break;
		case E_ISLGL:
			l->legal = attr_on(at);
			break;
		case E_SUFF:
			l->suff_nothing = attr_is(at, "val", "nothing");
			break;
		case E_PSTYLE:
			l->pstyle = keep_attr(dx, at, "val");
			break;
		case E_ALTERNATE:
			return N_LVL_ALT;
		default:
			break;
		}
		return SKIP;
	case N_LVL_ALT:
		return N_LVL_ALT_ONE;
	case N_LVL_ALT_ONE:
		/* The first alternative whose numFmt gives a format, unless the
		 * level has a numFmt of its own. */
		if (el == E_NUMFMT && first && !l->alt_fmt) {
			struct lvl try = *l;
			if (alt_fmt(&try, at)) {
				l->fmt = try.fmt;
				l->pad = try.pad;
				l->alt_fmt = 1;
			}
		}
		return SKIP;
	}
	return SKIP;
}

/* ---- document.xml ---- */

static struct para *para_top(struct docx *dx) { return dx->np ? dx->p[dx->np - 1] : NULL; }
static struct tbl *tbl_top(struct docx *dx) { return dx->nt ? dx->t[dx->nt - 1] : NULL; }

static void para_open(struct docx *dx, struct buf *sink)
{
	if (dx->np == dx->capp) {
		dx->p = grow(dx, dx->p, dx->np, &dx->capp, sizeof *dx->p);
		for (size_t i = dx->np; i < dx->capp; i++)
			dx->p[i] = NULL;
	}
	if (!dx->p[dx->np]) {
		dx->p[dx->np] = nm_xmalloc(sizeof **dx->p);
		memset(dx->p[dx->np], 0, sizeof **dx->p);
		hold(dx, sizeof **dx->p);
	}
	struct para *p = dx->p[dx->np++];
	p->ilvl = -1;
	p->numbered = 0;
	p->sink = sink;
}

/* Releases what a paragraph holds; its buffers are kept for the next one. */
static void para_clear(struct docx *dx, struct para *p)
{
	cut(dx, &p->line, 0);
	cut(dx, &p->extra, 0);
	if (p->style)
		hold(dx, -(long long)strlen(p->style) - 1);
	if (p->num_id)
		hold(dx, -(long long)strlen(p->num_id) - 1);
	free(p->style);
	free(p->num_id);
	p->style = p->num_id = NULL;
}

/* A paragraph ends: its line, then the text boxes it anchors. */
static void para_close(struct docx *dx)
{
	struct para *p = para_top(dx);
	if (!p->numbered)
		numbering(dx, p);
	add(dx, p->sink, buf_str(&p->line), p->line.len);
	add(dx, p->sink, "\n", 1);
	add(dx, p->sink, buf_str(&p->extra), p->extra.len);
	para_clear(dx, p);
	dx->np--;
}

static void tbl_open(struct docx *dx, struct buf *sink)
{
	if (dx->nt == dx->capt) {
		dx->t = grow(dx, dx->t, dx->nt, &dx->capt, sizeof *dx->t);
		for (size_t i = dx->nt; i < dx->capt; i++)
			dx->t[i] = NULL;
	}
	if (!dx->t[dx->nt]) {
		dx->t[dx->nt] = nm_xmalloc(sizeof **dx->t);
		memset(dx->t[dx->nt], 0, sizeof **dx->t);
		hold(dx, sizeof **dx->t);
	}
	struct tbl *t = dx->t[dx->nt++];
	t->sink = sink;
}

/* Charges what the table grew by since the last look. */
static void tbl_charge(struct docx *dx, struct tbl *t)
{
	hold(dx, (long long)t->t.bytes - (long long)t->charged);
	t->charged = t->t.bytes;
}

static void tbl_clear(struct docx *dx, struct tbl *t)
{
	hold(dx, -(long long)t->charged);
	t->charged = 0;
	table_free(&t->t);
	cut(dx, &t->cell, 0);
}

static void tbl_close(struct docx *dx)
{
	struct tbl *t = tbl_top(dx);
	size_t before = t->sink->len;
	size_t room = dx->g.max_held > dx->g.held ? dx->g.max_held - dx->g.held : 0;
	t->t.max_out = room ? room : 1;
	table_render(&t->t, t->sink);
	hold(dx, (long long)(t->sink->len - before));
	if (t->t.cut && !dx->g.stop) {
		dx->g.stop = GUARD_HELD;
		stop(dx);
	}
	tbl_clear(dx, t);
	dx->nt--;
}

static void cell_close(struct docx *dx)
{
	struct tbl *t = tbl_top(dx);
	while (t->cell.len && t->cell.s[t->cell.len - 1] == '\n')
		cut(dx, &t->cell, t->cell.len - 1);
	table_cell(&t->t, buf_str(&t->cell), t->span > 0 ? (size_t)t->span : 1,
		   t->vmerge && t->cont ? TABLE_CONTINUE : 1);
	tbl_charge(dx, t);
	cut(dx, &t->cell, 0);
}

/* A child of blocks (the body, a cell, a text box, a content control). */
static int block_child(struct docx *dx, const struct frame *f, enum el el, struct frame *c)
{
	c->sink = f->sink;
	switch (el) {
	case E_P:
		para_open(dx, f->sink);
		return D_P;
	case E_TBL:
		tbl_open(dx, f->sink);
		return D_TABLE;
	case E_SDT:
	case E_CUSTOMXML:
	case E_INS:
	case E_MOVETO:
		return D_BLOCKS;
	case E_SDTCONTENT:
		return f->el == E_SDT ? D_BLOCKS : SKIP;
	case E_ALTERNATE:
		return D_ALT_BLOCKS;
	default:
		return SKIP;
	}
}

/* A child of the runs of a paragraph (or of a hyperlink, insertion, field ...). */
static int para_child(struct docx *dx, const struct frame *f, enum el el, int first,
		      struct frame *c)
{
	struct para *p = para_top(dx);
	if (el == E_PPR && f->ctx == D_P && first)
		return D_PPR;
	if (!p->numbered)
		numbering(dx, p);
	switch (el) {
	case E_R:
		c->line_at = p->line.len;
		c->extra_at = p->extra.len;
		return D_RUN;
	case E_HYPERLINK:
	case E_INS:
	case E_MOVETO:
	case E_SMARTTAG:
	case E_CUSTOMXML:
	case E_FLDSIMPLE:
	case E_DIR:
	case E_BDO:
	case E_SDTCONTENT:
		return D_PARA;
	case E_SDT:
		return D_SDT_PARA;
	case E_ALTERNATE:
		return D_ALT_PARA;
	default:
		return SKIP;
	}
}

static int run_child(struct docx *dx, struct frame *f, enum el el, int first,
		     const struct attrs *at, struct frame *c)
{
	struct para *p = para_top(dx);
	if (f->hidden)
		return SKIP;
	switch (el) {
	case E_RPR:
		return first ? D_RPR : SKIP;
	case E_T:
		return D_TEXT;
	case E_TAB:
	case E_PTAB:
		add(dx, &p->line, "\t", 1);
		break;
	case E_BR:
		if (!has_attr(at, "type") || attr_is(at, "type", "textWrapping"))
			add(dx, &p->line, "\n", 1);
		break;
	case E_CR:
		add(dx, &p->line, "\n", 1);
		break;
	case E_NOBREAKHYPHEN:
		add(dx, &p->line, "-", 1);
		break;
	case E_DRAWING:
	case E_PICT:
	case E_OBJECT:
		return D_DRAWING;
	case E_ALTERNATE:
		return D_ALT_RUN;
	case E_RUBY:
		return D_RUBY;
	default:
		break;
	}
	(void)c;
	return SKIP;
}

static int document_child(struct docx *dx, struct frame *f, enum el el, int first,
			  const struct attrs *at, struct frame *c)
{
	struct para *p = para_top(dx);
	struct tbl *t = tbl_top(dx);
	c->sink = f->sink;
	switch (f->ctx) {
	case D_ROOT:
		dx->saw_document = el == E_DOCUMENT;
		return dx->saw_document ? D_DOC : SKIP;
	case D_DOC:
		if (el != E_BODY || !first)
			return SKIP;
		dx->saw_body = 1;
		c->sink = dx->out;
		return D_BLOCKS;
	case D_BLOCKS:
		return block_child(dx, f, el, c);
	case D_ALT_BLOCKS:
	case D_ALT_PARA:
	case D_ALT_RUN:
		/* The first mc:Choice stands for the whole alternative. */
		if (el != E_CHOICE || f->taken)
			return SKIP;
		f->taken = 1;
		if (f->ctx == D_ALT_RUN) {
			c->line_at = p->line.len;
			c->extra_at = p->extra.len;
			return D_RUN;
		}
		return f->ctx == D_ALT_BLOCKS ? D_BLOCKS : D_PARA;
	case D_P:
	case D_PARA:
		return para_child(dx, f, el, first, c);
	case D_SDT_PARA:
		return el == E_SDTCONTENT && first ? D_PARA : SKIP;
	case D_PPR:
		if (el == E_PSTYLE && first && !p->style)
			p->style = keep_attr(dx, at, "val");
		return el == E_NUMPR && first ? D_NUMPR : SKIP;
	case D_NUMPR:
		if (el == E_NUMID && first)
			p->num_id = keep_attr(dx, at, "val");
		else if (el == E_ILVL && first)
			p->ilvl = attr_long(at, "val", -1);
		return SKIP;
	case D_RUN:
		return run_child(dx, f, el, first, at, c);
	case D_RPR:
		if (el == E_VANISH && first && attr_on(at))
			dx->f[dx->nf - 2].hidden = 1; /* the run */
		return SKIP;
	case D_TEXT:
		return SKIP;
	case D_DRAWING:
		/* Text boxes: their paragraphs follow the anchoring one. */
		if (el == E_TXBXCONTENT) {
			c->sink = &p->extra;
			return D_BLOCKS;
		}
		return el == E_FALLBACK ? SKIP : el == E_ALTERNATE ? D_ALT_DRAWING : D_DRAWING;
	case D_ALT_DRAWING:
		if (f->taken)
			return SKIP;
		f->taken = 1;
		return D_DRAWING;
	case D_RUBY:
		return el == E_RUBYBASE && first ? D_RUBYBASE : SKIP;
	case D_RUBYBASE:
		if (el != E_R)
			return SKIP;
		c->line_at = p->line.len;
		c->extra_at = p->extra.len;
		return D_RUN;
	case D_TABLE:
		if (el != E_TR)
			return SKIP;
		table_row(&t->t);
		tbl_charge(dx, t);
		return D_ROW;
	case D_ROW:
		if (el == E_TRPR && first)
			return D_TRPR;
		/* fall through */
	case D_ROW_SDT:
		if (el == E_TC) {
			t->span = 1;
			t->vmerge = t->cont = 0;
			return D_CELL;
		}
		return el == E_SDT || el == E_CUSTOMXML || el == E_SDTCONTENT ? D_ROW_SDT : SKIP;
	case D_TRPR:
		if (el == E_GRIDBEFORE && first) {
			long before = attr_long(at, "val", 0);
			if (before > 0) {
				table_cell(&t->t, NULL, (size_t)before, 1);
				tbl_charge(dx, t);
			}
		}
		return SKIP;
	case D_CELL:
		if (el == E_TCPR && first)
			return D_TCPR;
		c->sink = &t->cell;
		{
			struct frame cf = *f;
			cf.sink = &t->cell;
			return block_child(dx, &cf, el, c);
		}
	case D_TCPR:
		if (el == E_VMERGE && first) {
			const char *v;
			size_t len;
			t->vmerge = 1;
			t->cont = !attr(at, "val", &v, &len) || attr_is(at, "val", "continue");
		} else if (el == E_GRIDSPAN && first) {
			t->span = attr_long(at, "val", 1);
		}
		return SKIP;
	}
	return SKIP;
}

/* ---- SAX callbacks ---- */

static void on_start(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri,
		     int nns, const xmlChar **ns, int nattr, int ndefaulted, const xmlChar **attrs)
{
	(void)prefix;
	(void)nns;
	(void)ns;
	(void)ndefaulted;
	struct docx *dx = ctx;
	work(dx, 1);
	/* libxml2's push parser sets no depth limit of its own; its pull parser's
	 * is kept, so that its stacks stay small. */
	if (dx->nf + dx->skip >= xmlParserMaxDepth) {
		dx->too_deep = 1;
		stop(dx);
	}
	if (dx->skip || (dx->nf && dx->f[dx->nf - 1].ctx == SKIP) || dx->g.stop) {
		dx->skip++;
		return;
	}
	enum el el = el_of(name, uri);
	struct attrs at = {nattr, attrs};
	struct frame c;
	memset(&c, 0, sizeof c);
	c.el = (unsigned char)el;
	c.ctx = SKIP;
	struct frame root = {0}, *f = &root;
	int first = 1;
	if (dx->nf) {
		f = &dx->f[dx->nf - 1];
		uint64_t bit = (uint64_t)1 << el;
		first = !(f->seen & bit);
		f->seen |= bit;
	} else {
		root.ctx = dx->part == P_STYLES ? S_ROOT : dx->part == P_NUMBERING ? N_ROOT : D_ROOT;
	}
	c.ctx = (unsigned char)(dx->part == P_STYLES	  ? styles_child(dx, f, el, first, &at)
				: dx->part == P_NUMBERING ? numbering_child(dx, f, el, first, &at, &c)
							  : document_child(dx, f, el, first, &at, &c));
	dx->f = grow(dx, dx->f, dx->nf, &dx->capf, sizeof *dx->f);
	dx->f[dx->nf++] = c;
}

static void on_end(void *ctx, const xmlChar *name, const xmlChar *prefix, const xmlChar *uri)
{
	(void)name;
	(void)prefix;
	(void)uri;
	struct docx *dx = ctx;
	if (dx->skip) {
		dx->skip--;
		return;
	}
	if (!dx->nf)
		return;
	struct frame f = dx->f[--dx->nf];
	switch (f.ctx) {
	case D_P:
		para_close(dx);
		break;
	case D_RUN:
		if (f.hidden) {
			struct para *p = para_top(dx);
			cut(dx, &p->line, f.line_at);
			cut(dx, &p->extra, f.extra_at);
		}
		break;
	case D_CELL:
		cell_close(dx);
		break;
	case D_TABLE:
		tbl_close(dx);
		break;
	case N_LVL:
		dx->lvl = NULL;
		break;
	default:
		break;
	}
}

static void on_text(void *ctx, const xmlChar *s, int len)
{
	struct docx *dx = ctx;
	work(dx, 1);
	if (!dx->skip && dx->nf && dx->f[dx->nf - 1].ctx == D_TEXT && len > 0)
		add(dx, &para_top(dx)->line, (const char *)s, (size_t)len);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	(void)name;
	(void)external_id;
	(void)system_id;
	struct docx *dx = ctx;
	dx->doctype = 1;
	stop(dx);
}

/* Keeps libxml2's last error, as xmlGetLastError() would: the one that
 * stopped the parser comes after those it went on from. */
static void on_error(void *ctx, xmlErrorPtr e)
{
	struct docx *dx = ctx;
	if (!e || e->level < XML_ERR_ERROR || !e->message)
		return;
	buf_reset(&dx->err);
	size_t len = strlen(e->message);
	const char *t = str_trim(e->message, &len);
	size_t nl = strcspn(t, "\n");
	char *one = nm_xstrndup(t, nl < len ? nl : len);
	utf8_scrub(&dx->err, one);
	free(one);
	dx->err_line = e->line;
}

/* ---- the parts ---- */

static void doc_clear(struct docx *dx)
{
	while (dx->np)
		para_clear(dx, dx->p[--dx->np]);
	for (size_t i = 0; i < dx->capp && dx->p; i++) {
		if (dx->p[i]) {
			buf_free(&dx->p[i]->line);
			buf_free(&dx->p[i]->extra);
			free(dx->p[i]);
		}
	}
	while (dx->nt)
		tbl_clear(dx, dx->t[--dx->nt]);
	for (size_t i = 0; i < dx->capt && dx->t; i++) {
		if (dx->t[i]) {
			buf_free(&dx->t[i]->cell);
			free(dx->t[i]);
		}
	}
	free(dx->p);
	free(dx->t);
	dx->p = NULL;
	dx->t = NULL;
	dx->capp = dx->capt = 0;
}

/* Why an unpacking error happened, for people. */
static const char *zip_error(int rc)
{
	return rc == UNZ_CRCERROR ? "CRC error"
	       : rc == Z_DATA_ERROR ? "corrupt compressed data"
				    : "truncated or corrupt";
}

/*
 * Unpacks the current entry of zf, name, through the parser as part.
 * Returns 0, or -1 with the reason in why.
 */
static int parse_part(struct docx *dx, unzFile zf, const char *name, enum part part,
		      char *chunk, struct buf *why)
{
	unz_file_info64 info;
	if (unzGetCurrentFileInfo64(zf, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
		buf_printf(why, "damaged .docx: %s: bad zip directory entry", name);
		return -1;
	}
	if (info.uncompressed_size > DOCX_MAX_ENTRY) {
		buf_printf(why, "%s is %llu bytes unpacked, over the limit of %lu MB: refused", name,
			   (unsigned long long)info.uncompressed_size, DOCX_MAX_ENTRY >> 20);
		return -1;
	}
	if (info.flag & 1) {
		buf_printf(why, "an encrypted .docx: %s is password-protected", name);
		return -1;
	}
	if (info.uncompressed_size > dx->g.max_unpacked - dx->g.unpacked) {
		guard_unpack(&dx->g, (size_t)info.uncompressed_size);
		guard_reason(&dx->g, why);
		return -1;
	}
	if (unzOpenCurrentFile(zf) != UNZ_OK) {
		buf_printf(why, "damaged .docx: %s cannot be unpacked", name);
		return -1;
	}
	xmlSAXHandler sax;
	memset(&sax, 0, sizeof sax);
	sax.initialized = XML_SAX2_MAGIC;
	sax.startElementNs = on_start;
	sax.endElementNs = on_end;
	sax.characters = on_text;
	sax.ignorableWhitespace = on_text;
	sax.internalSubset = on_doctype;
	sax.serror = on_error;
	dx->part = part;
	dx->nf = dx->skip = 0;
	dx->doctype = dx->too_deep = 0;
	buf_reset(&dx->err);
	dx->err_line = 0;
	guard_libxml_clear();
	/* No network, no DTD loaded, no entity expanded, libxml2's size and
	 * depth limits kept (no XML_PARSE_HUGE). */
	dx->ctxt = xmlCreatePushParserCtxt(&sax, dx, NULL, 0, name);
	if (!dx->ctxt) {
		unzCloseCurrentFile(zf);
		buf_printf(why, "%s: out of memory", name);
		return -1;
	}
	xmlCtxtUseOptions(dx->ctxt, XML_PARSE_NONET | XML_PARSE_NOCDATA);
	size_t part_bytes = 0;
	int rc = 0, over = 0;
	for (;;) {
		rc = unzReadCurrentFile(zf, chunk, CHUNK);
		if (rc <= 0)
			break;
		part_bytes += (size_t)rc;
		if (part_bytes > DOCX_MAX_ENTRY) {
			over = 1;
			break;
		}
		if (guard_unpack(&dx->g, (size_t)rc) || guard_work(&dx->g, 1))
			break;
		xmlParseChunk(dx->ctxt, chunk, rc, 0);
		if (dx->doctype || dx->too_deep || dx->g.stop || !dx->ctxt->wellFormed ||
		    dx->ctxt->disableSAX)
			break;
	}
	/* libxml2 halts without an error of its own when the bytes do not fit
	 * the declared encoding: disableSAX then tells. */
	int done = rc == 0 && !over && !dx->doctype && !dx->too_deep && !dx->g.stop &&
		   dx->ctxt->wellFormed && !dx->ctxt->disableSAX;
	if (done)
		xmlParseChunk(dx->ctxt, NULL, 0, 1);
	int close = unzCloseCurrentFile(zf);
	int result = -1;
	if (dx->doctype)
		buf_printf(why, "damaged .docx: %s declares a DTD (refused)", name);
	else if (dx->g.stop)
		guard_reason(&dx->g, why);
	else if (dx->too_deep)
		buf_printf(why, "damaged .docx: %s nests elements deeper than %u levels (refused)",
			   name, xmlParserMaxDepth);
	else if (over)
		buf_printf(why, "%s is over the limit of %lu MB unpacked: refused", name,
			   DOCX_MAX_ENTRY >> 20);
	else if (rc < 0 || (done && close != UNZ_OK))
		buf_printf(why, "damaged .docx: %s cannot be unpacked (%s)", name,
			   zip_error(rc < 0 ? rc : close));
	else if (!dx->ctxt->wellFormed || dx->ctxt->disableSAX || !done)
		buf_printf(why, "damaged .docx: %s: XML error at line %d: %s", name,
			   dx->err_line		  ? dx->err_line
			   : dx->ctxt->input ? dx->ctxt->input->line
					     : 0,
			   dx->err.len		       ? buf_str(&dx->err)
			   : *guard_libxml_message() ? guard_libxml_message()
						     : "not well-formed");
	else
		result = 0;
	xmlFreeParserCtxt(dx->ctxt);
	dx->ctxt = NULL;
	return result;
}

/* Reads an optional part (styles, numbering) when the archive has it. */
static int read_optional(struct docx *dx, unzFile zf, const char *name, enum part part,
			 char *chunk, struct buf *why)
{
	if (!zip_locate(zf, name))
		return 0;
	return parse_part(dx, zf, name, part, chunk, why);
}

static int mentions(const char *data, size_t n, const char *what)
{
	return memmem(data, n, what, strlen(what)) != NULL;
}

/* What a zip archive without word/document.xml is, for the message. */
static void not_a_docx(unzFile zf, struct buf *why)
{
	if (zip_has(zf, "[Content_Types].xml") && zip_has(zf, "word/_rels/document.xml.rels"))
		buf_adds(why, "damaged .docx: no word/document.xml in the zip archive");
	else if (zip_has(zf, "xl/workbook.xml"))
		buf_adds(why, "not a text notice: an Excel workbook (.xlsx)");
	else if (zip_has(zf, "ppt/presentation.xml"))
		buf_adds(why, "not a text notice: a PowerPoint presentation (.pptx)");
	else if (zip_has(zf, "mimetype") && zip_has(zf, "content.xml"))
		buf_adds(why, "an OpenDocument file (.odt) is not read: save it as .docx");
	else if (zip_has(zf, "[Content_Types].xml"))
		buf_adds(why, "damaged .docx: no word/document.xml in the zip archive");
	else
		buf_adds(why, "not a text notice: zip archive without word/document.xml");
}

int docx_text(const char *data, size_t n, struct buf *text, struct buf *why)
{
	struct mem m = {data, n, 0};
	unzFile zf = zip_open(&m);
	if (!zf) {
		size_t head = n < 65536 ? n : 65536;
		if (mentions(data, head, "word/") || mentions(data, head, "[Content_Types].xml"))
			buf_adds(why, "damaged .docx: truncated or corrupt zip archive (no central "
				      "directory)");
		else
			buf_adds(
				why,
				"damaged zip archive: truncated or corrupt (no central directory)");
		return -1;
	}
	struct docx dx;
	memset(&dx, 0, sizeof dx);
	guard_init(&dx.g, ".docx", n);
	char *chunk = nm_xmalloc(CHUNK);
	int rc = -1;
	if (!zip_locate(zf, "word/document.xml")) {
		not_a_docx(zf, why);
	} else if (read_optional(&dx, zf, "word/styles.xml", P_STYLES, chunk, why) == 0) {
		styles_resolve(&dx);
		if (read_optional(&dx, zf, "word/numbering.xml", P_NUMBERING, chunk, why) == 0) {
			numbering_resolve(&dx);
			size_t start = text->len;
			dx.out = text;
			if (!zip_locate(zf, "word/document.xml")) {
				buf_adds(why, "damaged .docx: no word/document.xml in the zip archive");
			} else if (parse_part(&dx, zf, "word/document.xml", P_DOCUMENT, chunk,
					      why) == 0) {
				if (!dx.saw_document || !dx.saw_body)
					buf_adds(why, "damaged .docx: word/document.xml has no "
						      "w:document/w:body");
				else
					rc = 0;
			}
			if (rc < 0) {
				text->len = start;
				if (text->s)
					text->s[start] = '\0';
			}
		}
	}
	doc_clear(&dx);
	definitions_free(&dx);
	free(dx.f);
	buf_free(&dx.err);
	buf_free(&dx.scratch);
	free(chunk);
	unzClose(zf);
	return rc;
}
