/* docx.c - Word .docx notices to text: paragraphs, automatic numbering, tables. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <unzip.h>

#include "front/docx.h"
#include "stream/err.h"
#include "front/table.h"
#include "stream/utf8.h"

#define NLEVELS 9
/* Links between styles (basedOn, numStyleLink) are followed this far. */
#define MAX_STYLE_CHAIN 16

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

/*
 * Reads one entry whole into out. Returns 1, 0 when the archive has no
 * such entry, -1 with the reason in why.
 */
static int zip_entry(unzFile zf, const char *name, struct buf *out, struct buf *why)
{
	unz_file_info64 info;
	if (unzLocateFile(zf, name, 1) != UNZ_OK && unzLocateFile(zf, name, 2) != UNZ_OK)
		return 0;
	if (unzGetCurrentFileInfo64(zf, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK) {
		buf_printf(why, "damaged .docx: %s: bad zip directory entry", name);
		return -1;
	}
	if (info.uncompressed_size > DOCX_MAX_ENTRY) {
		buf_printf(why, "%s is %llu bytes unpacked, over the limit of %lu MB: refused",
			   name, (unsigned long long)info.uncompressed_size, DOCX_MAX_ENTRY >> 20);
		return -1;
	}
	if (info.flag & 1) {
		buf_printf(why, "an encrypted .docx: %s is password-protected", name);
		return -1;
	}
	if (unzOpenCurrentFile(zf) != UNZ_OK) {
		buf_printf(why, "damaged .docx: %s cannot be unpacked", name);
		return -1;
	}
	buf_reset(out);
	int rc;
	for (;;) {
		buf_grow(out, 65536);
		rc = unzReadCurrentFile(zf, out->s + out->len, 65536);
		if (rc <= 0)
			break;
		out->len += (size_t)rc;
		if (out->len > DOCX_MAX_ENTRY) {
			unzCloseCurrentFile(zf);
			buf_printf(why, "%s is over the limit of %lu MB unpacked: refused", name,
				   DOCX_MAX_ENTRY >> 20);
			return -1;
		}
	}
	out->s[out->len] = '\0';
	int close = unzCloseCurrentFile(zf);
	if (rc < 0 || close != UNZ_OK) {
		buf_printf(why, "damaged .docx: %s cannot be unpacked (%s)", name,
			   rc == UNZ_CRCERROR || close == UNZ_CRCERROR ? "CRC error"
			   : rc == Z_DATA_ERROR                        ? "corrupt compressed data"
								       : "truncated or corrupt");
		return -1;
	}
	return 1;
}

static int zip_has(unzFile zf, const char *name) { return unzLocateFile(zf, name, 2) == UNZ_OK; }

/* ---- XML helpers ---- */

static int is_w_ns(const xmlNs *ns)
{
	if (!ns || !ns->href)
		return 0;
	for (size_t i = 0; W_NS[i]; i++)
		if (strcmp((const char *)ns->href, W_NS[i]) == 0)
			return 1;
	return 0;
}

static int is_w(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && is_w_ns(n->ns) &&
	       strcmp((const char *)n->name, name) == 0;
}

static int is_mc(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
	       strcmp((const char *)n->ns->href, MC_NS) == 0 &&
	       strcmp((const char *)n->name, name) == 0;
}

static xmlNode *w_child(const xmlNode *n, const char *name)
{
	for (xmlNode *c = n ? n->children : NULL; c; c = c->next)
		if (is_w(c, name))
			return c;
	return NULL;
}

/* The value of attribute w:NAME (or NAME without a namespace), or NULL. */
static const char *w_attr(const xmlNode *n, const char *name)
{
	for (xmlAttr *a = n ? n->properties : NULL; a; a = a->next) {
		if (strcmp((const char *)a->name, name) != 0 || (a->ns && !is_w_ns(a->ns)))
			continue;
		if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
			return (const char *)a->children->content;
		return "";
	}
	return NULL;
}

static const char *w_val(const xmlNode *n) { return w_attr(n, "val"); }

/* An on/off property: present without w:val, or w:val true/1/on. */
static int w_on(const xmlNode *n)
{
	if (!n)
		return 0;
	const char *v = w_val(n);
	return !v || (strcmp(v, "0") != 0 && strcmp(v, "false") != 0 && strcmp(v, "off") != 0);
}

static long to_long(const char *s, long dflt)
{
	if (!s || !*s)
		return dflt;
	char *end;
	long v = strtol(s, &end, 10);
	return *end ? dflt : v;
}

/* Parses a part of the archive; NULL with the reason in why. */
static xmlDoc *parse_part(const struct buf *xml, const char *name, struct buf *why)
{
	size_t lim = xml->len < 4096 ? xml->len : 4096;
	const char *s = buf_str(xml);
	for (size_t i = 0; i + 9 <= lim; i++) {
		if (s[i] == '<' &&
		    (memcmp(s + i, "<!DOCTYPE", 9) == 0 || memcmp(s + i, "<!ENTITY", 8) == 0)) {
			buf_printf(why, "damaged .docx: %s declares a DTD (refused)", name);
			return NULL;
		}
	}
	if (xml->len > (size_t)INT32_MAX) {
		buf_printf(why, "%s is too large", name);
		return NULL;
	}
	xmlResetLastError();
	xmlDoc *doc = xmlReadMemory(s, (int)xml->len, name, NULL,
				    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
					    XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
	if (!doc || !xmlDocGetRootElement(doc)) {
		const xmlError *e = xmlGetLastError();
		struct buf msg = BUF_INIT;
		if (e && e->message) {
			size_t len = strlen(e->message);
			const char *t = str_trim(e->message, &len);
			char *one = nm_xstrndup(t, strcspn(t, "\n") < len ? strcspn(t, "\n") : len);
			utf8_scrub(&msg, one);
			free(one);
		}
		buf_printf(why, "damaged .docx: %s: XML error at line %d: %s", name,
			   e ? e->line : 0, msg.len ? buf_str(&msg) : "not well-formed");
		buf_free(&msg);
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/* ---- numbering ---- */

struct lvl {
	int defined;
	long start;
	char fmt[40];
	int pad;          /* digits of a zero-padded custom format ("01, 02, ...") */
	char *text;       /* lvlText, e.g. "%1、" */
	long restart;     /* lvlRestart; -1 when absent */
	int legal;        /* isLgl: every number decimal */
	int suff_nothing; /* suff nothing: no tab or space after the number */
	char *pstyle;     /* the paragraph style that uses this level */
};

struct abstract {
	char *id;
	char *style_link; /* numStyleLink: the definition is in that style's list */
	struct lvl lvl[NLEVELS];
};

struct num {
	char *id;
	long abs; /* index into abstracts, or -1 */
	size_t set;
	struct lvl ovr[NLEVELS]; /* lvlOverride/lvl */
	long start_ovr[NLEVELS]; /* lvlOverride/startOverride, or LONG_MIN */
};

struct counters {
	long v[NLEVELS];
	int started[NLEVELS];
};

struct style {
	char *id, *based_on, *num_id;
	long ilvl; /* -1 when the style's numPr names none */
};

struct docx {
	struct abstract *a;
	size_t na;
	struct num *num;
	size_t nnum;
	struct counters *set;
	size_t nset;
	struct style *st;
	size_t nst;
	const char *default_style;
	int depth; /* nesting of tables and text boxes */
};

static char *dup_or_null(const char *s) { return s ? nm_xstrdup(s) : NULL; }

static void lvl_free(struct lvl *l)
{
	free(l->text);
	free(l->pstyle);
}

/* A numFmt, or the fallback of the mc:AlternateContent Word 2010 wraps
 * custom formats in ("一, 二, 三, ..."). */
static void read_fmt(const xmlNode *lvl, struct lvl *l)
{
	const xmlNode *f = w_child(lvl, "numFmt");
	for (const xmlNode *c = lvl->children; !f && c; c = c->next) {
		if (!is_mc(c, "AlternateContent"))
			continue;
		for (const xmlNode *alt = c->children; alt; alt = alt->next) {
			const xmlNode *g = w_child(alt, "numFmt");
			const char *v = g ? w_val(g) : NULL, *fmt = g ? w_attr(g, "format") : NULL;
			if (!v)
				continue;
			if (strcmp(v, "custom") == 0 && fmt) {
				if (str_starts(fmt, "一"))
					snprintf(l->fmt, sizeof l->fmt, "chineseCounting");
				else if (str_starts(fmt, "壹"))
					snprintf(l->fmt, sizeof l->fmt, "chineseLegalSimplified");
				else if (fmt[0] == '0') {
					snprintf(l->fmt, sizeof l->fmt, "decimal");
					l->pad = (int)strspn(fmt, "0123456789");
				} else
					continue;
				return;
			}
			snprintf(l->fmt, sizeof l->fmt, "%s", v);
			return;
		}
	}
	const char *v = f ? w_val(f) : NULL;
	snprintf(l->fmt, sizeof l->fmt, "%s", v ? v : "decimal");
}

static void read_lvl(const xmlNode *n, struct lvl *l)
{
	lvl_free(l);
	memset(l, 0, sizeof *l);
	l->defined = 1;
	l->start = to_long(w_val(w_child(n, "start")), 1);
	read_fmt(n, l);
	const xmlNode *t = w_child(n, "lvlText");
	l->text = dup_or_null(t ? w_val(t) : NULL);
	l->restart = to_long(w_val(w_child(n, "lvlRestart")), -1);
	l->legal = w_on(w_child(n, "isLgl"));
	const char *suff = w_val(w_child(n, "suff"));
	l->suff_nothing = suff && strcmp(suff, "nothing") == 0;
	l->pstyle = dup_or_null(w_val(w_child(n, "pStyle")));
}

static int restarts(const struct num *u)
{
	for (int k = 0; k < NLEVELS; k++)
		if (u->start_ovr[k] != LONG_MIN)
			return 1;
	return 0;
}

static void read_numbering(struct docx *dx, const xmlNode *root)
{
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (is_w(n, "abstractNum")) {
			dx->a = nm_xrealloc(dx->a, (dx->na + 1) * sizeof *dx->a);
			struct abstract *a = &dx->a[dx->na++];
			memset(a, 0, sizeof *a);
			a->id = dup_or_null(w_attr(n, "abstractNumId"));
			a->style_link = dup_or_null(w_val(w_child(n, "numStyleLink")));
			for (const xmlNode *l = n->children; l; l = l->next) {
				long k = to_long(w_attr(l, "ilvl"), -1);
				if (is_w(l, "lvl") && k >= 0 && k < NLEVELS)
					read_lvl(l, &a->lvl[k]);
			}
		}
	}
	for (const xmlNode *n = root->children; n; n = n->next) {
		if (!is_w(n, "num"))
			continue;
		dx->num = nm_xrealloc(dx->num, (dx->nnum + 1) * sizeof *dx->num);
		struct num *u = &dx->num[dx->nnum++];
		memset(u, 0, sizeof *u);
		u->id = dup_or_null(w_attr(n, "numId"));
		u->abs = -1;
		const char *aid = w_val(w_child(n, "abstractNumId"));
		for (size_t i = 0; aid && i < dx->na; i++)
			if (dx->a[i].id && strcmp(dx->a[i].id, aid) == 0)
				u->abs = (long)i;
		for (int k = 0; k < NLEVELS; k++)
			u->start_ovr[k] = LONG_MIN;
		for (const xmlNode *o = n->children; o; o = o->next) {
			long k = to_long(w_attr(o, "ilvl"), -1);
			if (!is_w(o, "lvlOverride") || k < 0 || k >= NLEVELS)
				continue;
			const xmlNode *s = w_child(o, "startOverride"), *l = w_child(o, "lvl");
			if (s)
				u->start_ovr[k] = to_long(w_val(s), 1);
			if (l)
				read_lvl(l, &u->ovr[k]);
		}
		/* Lists of one abstract definition continue each other, as in
		 * Word; a list with a startOverride counts on its own. */
		size_t set = dx->nset;
		for (size_t i = 0; !restarts(u) && i + 1 < dx->nnum; i++)
			if (dx->num[i].abs == u->abs && !restarts(&dx->num[i])) {
				set = dx->num[i].set;
				break;
			}
		if (set == dx->nset) {
			dx->set = nm_xrealloc(dx->set, (dx->nset + 1) * sizeof *dx->set);
			memset(&dx->set[dx->nset++], 0, sizeof *dx->set);
		}
		u->set = set;
	}
}

static void read_styles(struct docx *dx, const xmlNode *root)
{
	for (const xmlNode *n = root->children; n; n = n->next) {
		const char *type = w_attr(n, "type");
		if (!is_w(n, "style") ||
		    (type && strcmp(type, "paragraph") != 0 && strcmp(type, "numbering") != 0))
			continue;
		dx->st = nm_xrealloc(dx->st, (dx->nst + 1) * sizeof *dx->st);
		struct style *s = &dx->st[dx->nst++];
		memset(s, 0, sizeof *s);
		s->id = dup_or_null(w_attr(n, "styleId"));
		s->based_on = dup_or_null(w_val(w_child(n, "basedOn")));
		const xmlNode *np = w_child(w_child(n, "pPr"), "numPr");
		s->num_id = dup_or_null(w_val(w_child(np, "numId")));
		s->ilvl = to_long(w_val(w_child(np, "ilvl")), -1);
		const char *def = w_attr(n, "default");
		if (def &&
		    (strcmp(def, "1") == 0 || strcmp(def, "true") == 0 || strcmp(def, "on") == 0) &&
		    (!type || strcmp(type, "paragraph") == 0) && !dx->default_style)
			dx->default_style = s->id;
	}
}

static const struct style *find_style(const struct docx *dx, const char *id)
{
	for (size_t i = 0; id && i < dx->nst; i++)
		if (dx->st[i].id && strcmp(dx->st[i].id, id) == 0)
			return &dx->st[i];
	return NULL;
}

static struct num *find_num(struct docx *dx, const char *id)
{
	for (size_t i = 0; id && i < dx->nnum; i++)
		if (dx->num[i].id && strcmp(dx->num[i].id, id) == 0)
			return &dx->num[i];
	return NULL;
}

static void docx_free(struct docx *dx)
{
	for (size_t i = 0; i < dx->na; i++) {
		free(dx->a[i].id);
		free(dx->a[i].style_link);
		for (int k = 0; k < NLEVELS; k++)
			lvl_free(&dx->a[i].lvl[k]);
	}
	for (size_t i = 0; i < dx->nnum; i++) {
		free(dx->num[i].id);
		for (int k = 0; k < NLEVELS; k++)
			lvl_free(&dx->num[i].ovr[k]);
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
	memset(dx, 0, sizeof *dx);
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
	const char *f = legal ? "decimal" : l->fmt;
	if (strcmp(f, "none") == 0) {
		return;
	} else if (strcmp(f, "chineseCounting") == 0 || strcmp(f, "chineseCountingThousand") == 0 ||
		   strcmp(f, "japaneseCounting") == 0 || strcmp(f, "taiwaneseCounting") == 0 ||
		   strcmp(f, "taiwaneseCountingThousand") == 0 ||
		   strcmp(f, "koreanCounting") == 0) {
		cn_count(b, v);
	} else if (strcmp(f, "ideographDigital") == 0 || strcmp(f, "taiwaneseDigital") == 0 ||
		   strcmp(f, "japaneseDigitalTenThousand") == 0 ||
		   strcmp(f, "koreanDigital") == 0) {
		char digits[24];
		snprintf(digits, sizeof digits, "%ld", v < 0 ? -v : v);
		for (const char *p = digits; *p; p++)
			buf_adds(b, CN_DIGIT[*p - '0']);
	} else if (strcmp(f, "chineseLegalSimplified") == 0) {
		if (v >= 1 && v <= 9)
			buf_adds(b, LEGAL[v]);
		else if (v >= 10 && v <= 99)
			buf_printf(b, "%s拾%s", v / 10 > 1 ? LEGAL[v / 10] : "壹",
				   v % 10 ? LEGAL[v % 10] : "");
		else
			buf_printf(b, "%ld", v);
	} else if (strcmp(f, "ideographTraditional") == 0) {
		from_list(b, v, TIANGAN, 10);
	} else if (strcmp(f, "ideographZodiac") == 0) {
		from_list(b, v, DIZHI, 12);
	} else if (strcmp(f, "upperRoman") == 0 || strcmp(f, "lowerRoman") == 0) {
		roman(b, v, f[0] == 'u');
	} else if (strcmp(f, "upperLetter") == 0 || strcmp(f, "lowerLetter") == 0) {
		if (v <= 0) {
			buf_printf(b, "%ld", v);
		} else {
			for (long k = 0; k <= (v - 1) / 26 && k < 100; k++)
				buf_addc(b, (char)((f[0] == 'u' ? 'A' : 'a') + (v - 1) % 26));
		}
	} else if (strcmp(f, "decimalEnclosedCircle") == 0 ||
		   strcmp(f, "decimalEnclosedCircleChinese") == 0) {
		from_series(b, v, 0x2460, 20); /* ① */
	} else if (strcmp(f, "decimalEnclosedParen") == 0) {
		from_series(b, v, 0x2474, 20); /* ⑴ */
	} else if (strcmp(f, "decimalEnclosedFullstop") == 0) {
		from_series(b, v, 0x2488, 20); /* ⒈ */
	} else if (strcmp(f, "ideographEnclosedCircle") == 0) {
		from_series(b, v, 0x3220, 10); /* ㈠ */
	} else if (strcmp(f, "decimalZero") == 0) {
		buf_printf(b, "%02ld", v);
	} else {
		/* decimal, decimalFullWidth (the stream makes it ASCII), ordinal... */
		buf_printf(b, "%0*ld", l->pad > 0 && l->pad < 10 ? l->pad : 1, v);
	}
}

/* The level definition a list uses: its override, else the abstract one. */
static const struct lvl *level_of(const struct docx *dx, const struct num *u, int k)
{
	if (u->ovr[k].defined)
		return &u->ovr[k];
	return u->abs >= 0 ? &dx->a[u->abs].lvl[k] : NULL;
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
static struct num *para_num(struct docx *dx, const xmlNode *ppr, int *ilvl)
{
	const xmlNode *np = w_child(ppr, "numPr");
	const char *num_id = w_val(w_child(np, "numId"));
	long k = to_long(w_val(w_child(np, "ilvl")), -1);
	const char *sid = w_val(w_child(ppr, "pStyle"));
	if (!sid)
		sid = dx->default_style;
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
	if (u->start_ovr[k] != LONG_MIN)
		return u->start_ovr[k];
	const struct lvl *l = level_of(dx, u, k);
	return l && l->defined ? l->start : 1;
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
static void numbering(struct docx *dx, const xmlNode *ppr, struct buf *out)
{
	int k;
	struct num *u = para_num(dx, ppr, &k);
	const struct lvl *l = u ? level_of(dx, u, k) : NULL;
	if (!l || !l->defined)
		return;
	struct counters *c = &dx->set[u->set];
	c->v[k] = c->started[k] ? c->v[k] + 1 : start_of(dx, u, k);
	c->started[k] = 1;
	for (int j = k + 1; j < NLEVELS; j++) {
		const struct lvl *lj = level_of(dx, u, j);
		long restart = lj && lj->defined && lj->restart >= 0 ? lj->restart : j;
		if (k < restart)
			c->started[j] = 0;
	}
	if (!l->text)
		return;
	struct buf num = BUF_INIT;
	if (strcmp(l->fmt, "bullet") == 0) {
		/* Symbol-font bullets are private-use characters: left out. */
		uint32_t cp;
		size_t n = strlen(l->text);
		for (size_t i = 0; i < n;) {
			size_t len = utf8_decode(l->text + i, n - i, &cp);
			if (len && !(cp >= 0xE000 && cp <= 0xF8FF))
				buf_add(&num, l->text + i, len);
			i += len ? len : 1;
		}
	} else {
		for (const char *p = l->text; *p; p++) {
			if (p[0] == '%' && p[1] >= '1' && p[1] <= '9') {
				int j = p[1] - '1';
				const struct lvl *lj = level_of(dx, u, j);
				long v = c->started[j] ? c->v[j] : start_of(dx, u, j);
				if (lj && lj->defined)
					format_number(&num, v, lj, l->legal);
				else
					buf_printf(&num, "%ld", v);
				p++;
			} else {
				buf_addc(&num, *p);
			}
		}
	}
	buf_add(out, num.s ? num.s : "", num.len);
	if (num.len && !l->suff_nothing && !ends_in_punctuation(&num))
		buf_addc(out, ' ');
	buf_free(&num);
}

/* ---- the document ---- */

static void blocks(struct docx *dx, const xmlNode *parent, struct buf *out);

/* Text boxes in a drawing: their paragraphs, as lines of their own. */
static void text_boxes(struct docx *dx, const xmlNode *n, struct buf *extra)
{
	for (const xmlNode *c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_w(c, "txbxContent"))
			blocks(dx, c, extra);
		else if (is_mc(c, "AlternateContent"))
			text_boxes(dx, w_child(c, "Choice") ? w_child(c, "Choice") : c->children,
				   extra);
		else if (!is_mc(c, "Fallback"))
			text_boxes(dx, c, extra);
	}
}

/* The first mc:Choice: its content stands for the whole alternative. */
static const xmlNode *choice_of(const xmlNode *alt)
{
	for (const xmlNode *c = alt->children; c; c = c->next)
		if (is_mc(c, "Choice"))
			return c;
	return NULL;
}

static void add_text_nodes(const xmlNode *t, struct buf *line)
{
	for (const xmlNode *c = t->children; c; c = c->next)
		if ((c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) && c->content)
			buf_adds(line, (const char *)c->content);
}

/* The content of a run: text, tabs, breaks; drawings' text boxes go to extra. */
static void run(struct docx *dx, const xmlNode *r, struct buf *line, struct buf *extra)
{
	if (w_on(w_child(w_child(r, "rPr"), "vanish")))
		return;
	for (const xmlNode *c = r->children; c; c = c->next) {
		if (is_w(c, "t")) {
			add_text_nodes(c, line);
		} else if (is_w(c, "tab") || is_w(c, "ptab")) {
			buf_addc(line, '\t');
		} else if (is_w(c, "br")) {
			const char *type = w_attr(c, "type");
			if (!type || strcmp(type, "textWrapping") == 0)
				buf_addc(line, '\n');
		} else if (is_w(c, "cr")) {
			buf_addc(line, '\n');
		} else if (is_w(c, "noBreakHyphen")) {
			buf_addc(line, '-');
		} else if (is_w(c, "drawing") || is_w(c, "pict") || is_w(c, "object")) {
			text_boxes(dx, c, extra);
		} else if (is_mc(c, "AlternateContent")) {
			const xmlNode *ch = choice_of(c);
			if (ch)
				run(dx, ch, line, extra);
		} else if (is_w(c, "ruby")) {
			const xmlNode *base = w_child(c, "rubyBase");
			for (const xmlNode *rr = base ? base->children : NULL; rr; rr = rr->next)
				if (is_w(rr, "r"))
					run(dx, rr, line, extra);
		}
	}
}

/* Runs inside a paragraph, through hyperlinks, insertions, fields and
 * content controls; deletions and moved-away text are skipped. */
static void inline_content(struct docx *dx, const xmlNode *p, struct buf *line, struct buf *extra)
{
	for (const xmlNode *c = p->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is_w(c, "r")) {
			run(dx, c, line, extra);
		} else if (is_w(c, "hyperlink") || is_w(c, "ins") || is_w(c, "moveTo") ||
			   is_w(c, "smartTag") || is_w(c, "customXml") || is_w(c, "fldSimple") ||
			   is_w(c, "dir") || is_w(c, "bdo") || is_w(c, "sdtContent")) {
			inline_content(dx, c, line, extra);
		} else if (is_w(c, "sdt")) {
			const xmlNode *sc = w_child(c, "sdtContent");
			if (sc)
				inline_content(dx, sc, line, extra);
		} else if (is_mc(c, "AlternateContent")) {
			const xmlNode *ch = choice_of(c);
			if (ch)
				inline_content(dx, ch, line, extra);
		}
	}
}

static void paragraph(struct docx *dx, const xmlNode *p, struct buf *out)
{
	struct buf line = BUF_INIT, extra = BUF_INIT;
	numbering(dx, w_child(p, "pPr"), &line);
	inline_content(dx, p, &line, &extra);
	buf_add(out, buf_str(&line), line.len);
	buf_addc(out, '\n');
	buf_add(out, buf_str(&extra), extra.len);
	buf_free(&line);
	buf_free(&extra);
}

/* The cells of a row, also those inside content controls. */
static void row_cells(struct docx *dx, const xmlNode *parent, struct table *t, struct buf *cell)
{
	for (const xmlNode *tc = parent->children; tc; tc = tc->next) {
		if (is_w(tc, "sdt") || is_w(tc, "customXml")) {
			const xmlNode *sc = w_child(tc, "sdtContent");
			row_cells(dx, sc ? sc : tc, t, cell);
			continue;
		}
		if (!is_w(tc, "tc"))
			continue;
		const xmlNode *pr = w_child(tc, "tcPr"), *vm = w_child(pr, "vMerge");
		const char *vmv = vm ? w_val(vm) : NULL;
		long span = to_long(w_val(w_child(pr, "gridSpan")), 1);
		buf_reset(cell);
		blocks(dx, tc, cell);
		while (cell->len && cell->s[cell->len - 1] == '\n')
			cell->s[--cell->len] = '\0';
		int cont = vm && (!vmv || strcmp(vmv, "continue") == 0);
		table_cell(t, buf_str(cell), span > 0 ? (size_t)span : 1,
			   cont ? TABLE_CONTINUE : 1);
	}
}

static void table(struct docx *dx, const xmlNode *tbl, struct buf *out)
{
	struct table t = {0};
	struct buf cell = BUF_INIT;
	for (const xmlNode *tr = tbl->children; tr; tr = tr->next) {
		if (!is_w(tr, "tr"))
			continue;
		table_row(&t);
		long before = to_long(w_val(w_child(w_child(tr, "trPr"), "gridBefore")), 0);
		if (before > 0)
			table_cell(&t, NULL, (size_t)before, 1);
		row_cells(dx, tr, &t, &cell);
	}
	table_render(&t, out);
	table_free(&t);
	buf_free(&cell);
}

/* Paragraphs and tables of the body, a cell, a text box or a content control. */
static void blocks(struct docx *dx, const xmlNode *parent, struct buf *out)
{
	if (++dx->depth > 64) {
		dx->depth--;
		return;
	}
	for (const xmlNode *c = parent->children; c; c = c->next) {
		if (is_w(c, "p"))
			paragraph(dx, c, out);
		else if (is_w(c, "tbl"))
			table(dx, c, out);
		else if (is_w(c, "sdt"))
			blocks(dx, w_child(c, "sdtContent") ? w_child(c, "sdtContent") : c, out);
		else if (is_w(c, "customXml") || is_w(c, "ins") || is_w(c, "moveTo"))
			blocks(dx, c, out);
		else if (is_mc(c, "AlternateContent") && choice_of(c))
			blocks(dx, choice_of(c), out);
	}
	dx->depth--;
}

/* ---- the archive ---- */

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

static int read_optional(unzFile zf, const char *name, struct docx *dx,
			 void (*reader)(struct docx *, const xmlNode *), struct buf *why)
{
	struct buf xml = BUF_INIT;
	int rc = zip_entry(zf, name, &xml, why);
	if (rc > 0) {
		xmlDoc *doc = parse_part(&xml, name, why);
		if (!doc)
			rc = -1;
		else
			reader(dx, xmlDocGetRootElement(doc));
		xmlFreeDoc(doc);
	}
	buf_free(&xml);
	return rc < 0 ? -1 : 0;
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
	struct docx dx = {0};
	struct buf xml = BUF_INIT;
	int rc = zip_entry(zf, "word/document.xml", &xml, why);
	if (rc == 0)
		not_a_docx(zf, why);
	if (rc > 0 && (read_optional(zf, "word/styles.xml", &dx, read_styles, why) < 0 ||
		       read_optional(zf, "word/numbering.xml", &dx, read_numbering, why) < 0))
		rc = -1;
	xmlDoc *doc = rc > 0 ? parse_part(&xml, "word/document.xml", why) : NULL;
	if (doc) {
		const xmlNode *root = xmlDocGetRootElement(doc);
		const xmlNode *body = w_child(root, "body");
		if (!is_w(root, "document") || !body) {
			buf_adds(why, "damaged .docx: word/document.xml has no w:document/w:body");
			rc = -1;
		} else {
			blocks(&dx, body, text);
		}
	} else {
		rc = -1;
	}
	xmlFreeDoc(doc);
	buf_free(&xml);
	docx_free(&dx);
	unzClose(zf);
	return rc > 0 ? 0 : -1;
}
