/* html.c - notice pages: charset, article body, text with its line breaks. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "front/guard.h"
#include "front/html.h"
#include "front/table.h"
#include "stream/err.h"
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
static int choose_charset(const char *data, size_t n, const char *force, struct decoded *d,
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
			buf_printf(note,
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

static const struct name {
	const char *name;
	unsigned char kind, block, drop, pre;
} NAMES[] = {
	/* sorted by name, for bsearch */
	{"address", K_OTHER, 1, 0, 0},  {"article", K_OTHER, 1, 0, 0},
	{"aside", K_OTHER, 0, 1, 0},    {"audio", K_OTHER, 0, 1, 0},
	{"blockquote", K_OTHER, 1, 0, 0}, {"body", K_BODY, 1, 0, 0},
	{"br", K_BR, 0, 0, 0},          {"button", K_OTHER, 0, 1, 0},
	{"canvas", K_OTHER, 0, 1, 0},   {"caption", K_OTHER, 1, 0, 0},
	{"center", K_OTHER, 1, 0, 0},   {"dd", K_OTHER, 1, 0, 0},
	{"details", K_OTHER, 1, 0, 0},  {"dir", K_OTHER, 1, 0, 0},
	{"div", K_OTHER, 1, 0, 0},      {"dl", K_OTHER, 1, 0, 0},
	{"dt", K_OTHER, 1, 0, 0},       {"embed", K_OTHER, 0, 1, 0},
	{"fieldset", K_OTHER, 1, 0, 0}, {"figcaption", K_OTHER, 1, 0, 0},
	{"figure", K_OTHER, 1, 0, 0},   {"footer", K_OTHER, 0, 1, 0},
	{"form", K_OTHER, 1, 0, 0},     {"frame", K_OTHER, 0, 1, 0},
	{"h1", K_HEADING, 1, 0, 0},     {"h2", K_HEADING, 1, 0, 0},
	{"h3", K_HEADING, 1, 0, 0},     {"h4", K_OTHER, 1, 0, 0},
	{"h5", K_OTHER, 1, 0, 0},       {"h6", K_OTHER, 1, 0, 0},
	{"head", K_OTHER, 0, 1, 0},     {"header", K_OTHER, 0, 1, 0},
	{"hr", K_OTHER, 1, 0, 0},       {"html", K_OTHER, 1, 0, 0},
	{"iframe", K_OTHER, 0, 1, 0},   {"input", K_OTHER, 0, 1, 0},
	{"legend", K_OTHER, 1, 0, 0},   {"li", K_OTHER, 1, 0, 0},
	{"listing", K_OTHER, 1, 0, 1},  {"main", K_OTHER, 1, 0, 0},
	{"map", K_OTHER, 0, 1, 0},      {"math", K_OTHER, 0, 1, 0},
	{"menu", K_OTHER, 1, 0, 0},     {"nav", K_OTHER, 0, 1, 0},
	{"noscript", K_OTHER, 0, 1, 0}, {"object", K_OTHER, 0, 1, 0},
	{"ol", K_OTHER, 1, 0, 0},       {"option", K_OTHER, 0, 1, 0},
	{"p", K_OTHER, 1, 0, 0},        {"plaintext", K_OTHER, 1, 0, 1},
	{"pre", K_OTHER, 1, 0, 1},      {"script", K_OTHER, 0, 1, 0},
	{"section", K_OTHER, 1, 0, 0},  {"select", K_OTHER, 0, 1, 0},
	{"style", K_OTHER, 0, 1, 0},    {"summary", K_OTHER, 1, 0, 0},
	{"svg", K_OTHER, 0, 1, 0},      {"table", K_TABLE, 1, 0, 0},
	{"tbody", K_SECTION, 1, 0, 0},  {"td", K_CELL, 1, 0, 0},
	{"template", K_OTHER, 0, 1, 0}, {"textarea", K_OTHER, 0, 1, 0},
	{"tfoot", K_SECTION, 1, 0, 0},  {"th", K_CELL, 1, 0, 0},
	{"thead", K_SECTION, 1, 0, 0},  {"tr", K_TR, 1, 0, 0},
	{"ul", K_OTHER, 1, 0, 0},       {"video", K_OTHER, 0, 1, 0},
	{"xmp", K_OTHER, 1, 0, 1},
};

static int name_cmp(const void *key, const void *entry)
{
	return strcmp(key, ((const struct name *)entry)->name);
}

/* An attribute's value ("" for one without), or NULL; names compared as HTML does. */
static const char *attr(const xmlChar **atts, const char *name)
{
	for (size_t i = 0; atts && atts[i]; i += 2)
		if (strcasecmp((const char *)atts[i], name) == 0)
			return atts[i + 1] ? (const char *)atts[i + 1] : "";
	return NULL;
}

/* Lower-cased attribute value without spaces, for matching. */
static void lowered(const char *s, char *out, size_t size)
{
	size_t k = 0;
	for (; s && *s && k + 1 < size; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			out[k++] = (char)tolower((unsigned char)*s);
	out[k] = '\0';
}

static int hidden(const xmlChar **atts)
{
	char style[256];
	if (attr(atts, "hidden"))
		return 1;
	lowered(attr(atts, "style"), style, sizeof style);
	return strstr(style, "display:none") || strstr(style, "visibility:hidden");
}

/* Site furniture named by class or id: a menu, a footer, a share bar. */
static int furniture(const char *cls, const char *id)
{
	static const char *const PREFIXES[] = {
		"nav",       "menu",    "breadcrumb", "crumb",   "footer", "header", "share",
		"copyright", "sidebar", "topbar",     "toolbar", "foot",   "bottom", NULL};
	const char *which[] = {cls, id};
	for (int w = 0; w < 2; w++) {
		for (size_t i = 0; PREFIXES[i]; i++)
			if (str_starts(which[w], PREFIXES[i]))
				return 1;
	}
	return 0;
}

/*
 * How surely an element holds the article: 2 for the names content
 * systems give the article body (TRS_Editor, zoom ...), 1 for looser ones
 * (content, article, detail, an <article>), else 0.
 */
static int article_mark(const char *name, const char *cls, const char *id)
{
	static const char *const STRONG[] = {"trs_editor",
					     "custom_unionstyle",
					     "zoom",
					     "ucap-content",
					     "ucapcontent",
					     "zhengwen",
					     "article-content",
					     "article_content",
					     "articlecontent",
					     "pages_content",
					     "maintext",
					     "main-text",
					     "con_txt",
					     "wzcon",
					     NULL};
	static const char *const WEAK[] = {"content", "article", "detail", NULL};
	const char *which[] = {cls, id};
	int mark = strcasecmp(name, "article") == 0;
	for (int w = 0; w < 2; w++) {
		for (size_t i = 0; STRONG[i]; i++)
			if (strstr(which[w], STRONG[i]))
				return 2;
		for (size_t i = 0; WEAK[i]; i++)
			if (strstr(which[w], WEAK[i]))
				mark = 1;
	}
	return mark;
}

static size_t span_attr(const xmlChar **atts, const char *name)
{
	const char *v = attr(atts, name);
	long k = v ? strtol(v, NULL, 10) : 1;
	return k < 1 ? 1 : (size_t)k;
}

/* What an element is by its name alone. */
static void el_named(const xmlChar *tag, struct el *e, char *name, size_t size)
{
	lowered((const char *)tag, name, size);
	const struct name *n = strlen((const char *)tag) < size - 1
				       ? bsearch(name, NAMES, sizeof NAMES / sizeof *NAMES,
						 sizeof *NAMES, name_cmp)
				       : NULL;
	memset(e, 0, sizeof *e);
	e->colspan = e->rowspan = 1;
	if (n) {
		e->kind = n->kind;
		e->block = n->block;
		e->drop = n->drop;
		e->pre = n->pre;
	}
}

static void el_of(const xmlChar *tag, const xmlChar **atts, struct el *e)
{
	char name[16], cls[256], id[256];
	el_named(tag, e, name, sizeof name);
	if (!atts) {
		e->mark = strcmp(name, "article") == 0;
		e->titled = e->kind == K_HEADING;
		return;
	}
	lowered(attr(atts, "class"), cls, sizeof cls);
	lowered(attr(atts, "id"), id, sizeof id);
	e->drop |= (unsigned char)hidden(atts);
	if (cls[0] || id[0]) {
		e->furniture = (unsigned char)furniture(cls, id);
		e->mark = (unsigned char)article_mark(name, cls, id);
	} else {
		e->mark = strcmp(name, "article") == 0;
	}
	cls[127] = '\0'; /* as the title is looked for in the first 127 bytes */
	e->titled = e->kind == K_HEADING || (cls[0] && strstr(cls, "title"));
	if (e->kind == K_CELL) {
		e->colspan = span_attr(atts, "colspan");
		e->rowspan = span_attr(atts, "rowspan");
	}
}

static int dropped(const struct el *e, int with_furniture)
{
	return e->drop || (with_furniture && e->furniture);
}

/* ---- text as a browser shows it ---- */

struct sink {
	struct buf *out;
	size_t line_start;
	int space, newline_in_space, pre;
	uint32_t last;
};

static int wide(uint32_t c) { return c >= 0x2E80; }

static void sink_break(struct sink *s)
{
	if (s->out->len > s->line_start) {
		buf_addc(s->out, '\n');
		s->line_start = s->out->len;
	}
	s->space = s->newline_in_space = 0;
	s->last = 0;
}

static void sink_newline(struct sink *s)
{
	buf_addc(s->out, '\n');
	s->line_start = s->out->len;
	s->space = s->newline_in_space = 0;
	s->last = 0;
}

/*
 * Appends text with white space collapsed as a browser shows it; a line
 * break in the source between two Chinese characters vanishes.
 */
static void sink_text(struct sink *s, const char *t, size_t n)
{
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(t + i, n - i, &c);
		if (!len) {
			buf_adds(s->out, UTF8_REPLACEMENT);
			i++;
			continue;
		}
		if (s->pre) {
			if (c == '\n')
				sink_newline(s);
			else if (c != '\r')
				buf_add(s->out, t + i, len);
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			s->space = 1;
			s->newline_in_space |= c == '\n' || c == '\r';
		} else {
			if (s->space && s->out->len > s->line_start &&
			    !(s->newline_in_space && wide(s->last) && wide(c)))
				buf_addc(s->out, ' ');
			s->space = s->newline_in_space = 0;
			buf_add(s->out, t + i, len);
			s->last = c;
		}
		i += len;
	}
}

/* ---- rendering: elements in, lines out ---- */

/*
 * A flow renders the elements it is given into a sink: white space
 * collapsed, blocks on lines of their own, hidden and dropped parts left
 * out, tables through table_render(). It keeps two bytes per open element.
 * Whether a table holds a table is known from the first reading of the
 * page (struct el layout): such a layout table is read through as the
 * blocks it holds; any other is read as rows and cells (a 分工表 becomes
 * tasks).
 */
enum what { F_PLAIN, F_BLOCK, F_TRANSPARENT, F_LAYOUT, F_TABLE };

struct fel {
	unsigned char what, pre;
};

struct tab;

struct flow {
	struct sink s;
	int furniture;   /* site furniture is dropped */
	struct fel *st;  /* elements open in the flow */
	size_t n, cap;
	size_t skip;     /* elements open inside a dropped one */
	struct tab *tab; /* the data table being read */
};

/* An element's part in a data table. */
enum role { R_SECTION, R_ROW, R_CELL, R_IN_CELL, R_NONE };

struct tab {
	struct table t;
	struct buf cell_text;
	struct flow cell; /* the cell being read */
	size_t colspan, rowspan;
	unsigned char *role; /* per element open inside the table */
	size_t n, cap;
};

static void flow_init(struct flow *f, struct buf *out, int with_furniture)
{
	memset(f, 0, sizeof *f);
	f->s.out = out;
	f->s.line_start = out->len;
	f->furniture = with_furniture;
}

static void flow_push(struct flow *f, int what, int pre)
{
	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 64;
		f->st = nm_xrealloc(f->st, f->cap * sizeof *f->st);
	}
	f->st[f->n++] = (struct fel){(unsigned char)what, (unsigned char)pre};
}

static void tab_free(struct tab *t)
{
	if (!t)
		return;
	table_free(&t->t);
	buf_free(&t->cell_text);
	free(t->cell.st);
	free(t->role);
	free(t);
}

static void flow_free(struct flow *f)
{
	tab_free(f->tab);
	free(f->st);
	memset(f, 0, sizeof *f);
}

/* Memory a flow holds besides its output, for the guard. */
static size_t flow_bytes(const struct flow *f)
{
	size_t b = f->cap * sizeof *f->st;
	if (f->tab)
		b += f->tab->t.bytes + f->tab->cell_text.cap + f->tab->cap +
		     f->tab->cell.cap * sizeof(struct fel);
	return b;
}

static void flow_start(struct flow *f, const struct el *e);
static void flow_end(struct flow *f, size_t max_out, int *cut);
static void flow_text(struct flow *f, const char *t, size_t n);

static void tab_start(struct flow *f, const struct el *e)
{
	struct tab *t = f->tab;
	int parent = t->n ? t->role[t->n - 1] : R_SECTION, role = R_NONE;
	switch (parent) {
	case R_SECTION:
		if (e->kind == K_SECTION) {
			role = R_SECTION;
		} else if (e->kind == K_TR && !dropped(e, f->furniture)) {
			table_row(&t->t);
			role = R_ROW;
		}
		break;
	case R_ROW:
		if (e->kind == K_CELL && !dropped(e, f->furniture)) {
			role = R_CELL;
			free(t->cell.st);
			buf_reset(&t->cell_text);
			flow_init(&t->cell, &t->cell_text, f->furniture);
			t->colspan = e->colspan;
			t->rowspan = e->rowspan;
		}
		break;
	case R_CELL:
	case R_IN_CELL:
		role = R_IN_CELL;
		flow_start(&t->cell, e);
		break;
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->role = nm_xrealloc(t->role, t->cap);
	}
	t->role[t->n++] = (unsigned char)role;
}

/* An element inside the table ends; 1 when it was the table itself. */
static int tab_end(struct flow *f, size_t max_out, int *cut)
{
	struct tab *t = f->tab;
	if (!t->n) {
		f->tab = NULL;
		t->t.max_out = max_out;
		table_render(&t->t, f->s.out);
		*cut |= t->t.cut;
		f->s.line_start = f->s.out->len;
		tab_free(t);
		return 1;
	}
	int role = t->role[--t->n];
	if (role == R_IN_CELL) {
		flow_end(&t->cell, max_out, cut);
	} else if (role == R_CELL) {
		struct buf *c = &t->cell_text;
		while (c->len && c->s[c->len - 1] == '\n')
			c->s[--c->len] = '\0';
		table_cell(&t->t, buf_str(c), t->colspan, t->rowspan);
	}
	return 0;
}

static void flow_start(struct flow *f, const struct el *e)
{
	if (f->tab) {
		tab_start(f, e);
		return;
	}
	if (f->skip) {
		f->skip++;
		return;
	}
	if (f->n && f->st[f->n - 1].what == F_LAYOUT) {
		/* A layout table's own children are read through. */
		flow_push(f, F_TRANSPARENT, 0);
		return;
	}
	if (dropped(e, f->furniture)) {
		f->skip = 1;
		return;
	}
	if (e->kind == K_BR) {
		sink_newline(&f->s);
		flow_push(f, F_PLAIN, 0);
	} else if (e->kind == K_TABLE) {
		sink_break(&f->s);
		flow_push(f, e->layout ? F_LAYOUT : F_TABLE, f->s.pre);
		if (!e->layout) {
			f->tab = nm_xmalloc(sizeof *f->tab);
			memset(f->tab, 0, sizeof *f->tab);
		}
	} else if (e->block) {
		flow_push(f, F_BLOCK, f->s.pre);
		sink_break(&f->s);
		f->s.pre |= e->pre;
	} else {
		flow_push(f, F_PLAIN, 0);
	}
}

static void flow_end(struct flow *f, size_t max_out, int *cut)
{
	if (f->tab) {
		if (tab_end(f, max_out, cut))
			f->n--; /* the table's F_TABLE */
		return;
	}
	if (f->skip) {
		f->skip--;
		return;
	}
	if (!f->n)
		return;
	struct fel el = f->st[--f->n];
	if (el.what == F_BLOCK) {
		f->s.pre = el.pre;
		sink_break(&f->s);
	} else if (el.what == F_LAYOUT) {
		sink_break(&f->s);
	}
}

static void flow_text(struct flow *f, const char *t, size_t n)
{
	if (f->tab) {
		struct tab *tb = f->tab;
		if (tb->n && (tb->role[tb->n - 1] == R_CELL || tb->role[tb->n - 1] == R_IN_CELL))
			flow_text(&tb->cell, t, n);
		return;
	}
	/* A layout table's own text (between its rows) is not shown. */
	if (f->skip || (f->n && f->st[f->n - 1].what == F_LAYOUT))
		return;
	sink_text(&f->s, t, n);
}

/* ---- the page, read twice ---- */

/* An article element holds at least this much text (bytes). */
#define MIN_ARTICLE 100
/* An inner article element is preferred when it holds this share of the text. */
#define INNER_SHARE 0.8
/* Elements nested deeper than this: the page is refused. Since libxml2
 * looks for the element an end tag closes through all those open, its work
 * grows with the depth. */
#define MAX_DEPTH 1024
/* Characters a title has at most. */
#define MAX_TITLE 100
/* Bytes of text between two looks at what the page holds. */
#define CHUNK 16384

/* An element that may hold the article. */
struct candidate {
	uint32_t seq, end;  /* its number in document order, and its last descendant's */
	uint32_t title;     /* the last title that ended before it started (0: none) */
	uint32_t depth;
	size_t len;         /* visible text bytes (not space) under it */
	int mark;
};

/* Pass 1: an open element. */
struct mframe {
	size_t len;
	size_t outer;           /* a title element: the title element it is in (index + 1) */
	uint32_t seq, title, tstart, depth;
	unsigned char measured; /* counts toward the article (not furniture) */
	unsigned char titled;   /* a title element whose text is being kept */
	unsigned char mark;
};

struct page {
	struct guard g;
	htmlParserCtxtPtr ctxt;
	int pass;
	uint32_t seq;   /* elements started so far */
	size_t depth;   /* elements open */
	size_t skip;    /* pass 1: elements open inside a dropped one */
	int too_deep;
	/* pass 1: measuring */
	struct mframe *m;
	size_t nm, capm;
	uint32_t root, root_end, body, body_end;
	struct candidate *c;
	size_t nc, capc;
	uint32_t last_title; /* the last title-like element that ended */
	size_t inner;        /* the innermost open title element (index + 1), or 0 */
	struct buf tt;       /* the text of the open title elements */
	size_t tbase;        /* tt's first byte in the text of the page */
	int tspace;          /* white space pending in tt */
	uint32_t tlast;
	/* pass 2: rendering */
	uint32_t target, title; /* the element whose content is rendered; the title's */
	size_t target_depth;
	int furniture;
	struct flow flow;
	int in_flow, cut;
	struct buf *out, title_text;
	/* tables: those open (pass 1), those holding a table, in document order */
	uint32_t *open, *layout;
	size_t nopen, capopen, nlayout, caplayout, next_layout;
	struct buf piece; /* the page's text, a piece at a time */
	size_t given;     /* bytes of the piece given to the parser */
	const char *data; /* the file, */
	size_t n, at;     /* its size and the next byte to convert */
	const struct decoded *dec;
	unsigned long events;
};

static void page_stop(struct page *p)
{
	if (p->ctxt)
		xmlStopParser(p->ctxt);
}

/* Charges what the page holds now to the guard; stops the parser past it. */
static void page_charge(struct page *p)
{
	size_t held = p->capm * sizeof *p->m + p->capc * sizeof *p->c + p->tt.cap +
		      flow_bytes(&p->flow) + (p->out ? p->out->cap : 0) + p->title_text.cap +
		      (p->capopen + p->caplayout) * sizeof *p->open + p->piece.cap;
	if (guard_hold(&p->g, (long long)held - (long long)p->g.held) || p->cut) {
		if (p->cut && !p->g.stop)
			p->g.stop = GUARD_HELD;
		page_stop(p);
	}
}

static void page_work(struct page *p)
{
	if (guard_work(&p->g, 1))
		page_stop(p);
	if (++p->events % 1024 == 0)
		page_charge(p);
}

static int title_like(const char *t, size_t n)
{
	static const char *const GENRES[] = {"通知", "意见", "方案", "决定", "办法", "规定", "通报",
					     "批复", "报告", "函",   "纲要", "计划", "规划", "细则",
					     "要点", "公告", "通告", "清单", NULL};
	if (memmem(t, n, "关于", strlen("关于")))
		return 1;
	for (size_t i = 0; GENRES[i]; i++) {
		size_t k = strlen(GENRES[i]);
		if (n >= k && memcmp(t + n - k, GENRES[i], k) == 0)
			return 1;
	}
	return 0;
}

/* Text of the open title elements, white space collapsed; a block boundary is a space. */
static void title_text(struct page *p, const char *t, size_t n, int boundary)
{
	if (boundary) {
		p->tspace = 2;
		return;
	}
	uint32_t c;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(t + i, n - i, &c);
		if (!len) {
			i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			p->tspace = p->tspace == 2 ? 2 : (c == '\n' || c == '\r') ? 3 : 1;
		} else {
			if (p->tspace && !(p->tspace == 3 && wide(p->tlast) && wide(c)))
				buf_addc(&p->tt, ' ');
			p->tspace = 0;
			buf_add(&p->tt, t + i, len);
			p->tlast = c;
		}
		i += len;
	}
}

/* The open title elements: is any still short enough to be a title? (The
 * innermost started last, so it is the shortest.) */
static int titles_open(const struct page *p)
{
	return p->inner && p->tbase + p->tt.len - p->m[p->inner - 1].tstart <= 4 * MAX_TITLE;
}

static void measure_start(struct page *p, const struct el *e)
{
	const struct mframe *parent = p->nm ? &p->m[p->nm - 1] : NULL;
	int in_measured = parent && parent->measured; /* read now: p->m may move */
	int container = p->depth == 1 || (p->depth == 2 && e->kind == K_BODY && !p->body &&
					  parent && parent->seq == p->root);
	if (p->skip || (!container && e->drop)) {
		p->skip++;
		return;
	}
	if (p->depth == 1 && !p->root)
		p->root = p->seq;
	if (container && p->depth == 2)
		p->body = p->seq;
	if (p->nm == p->capm) {
		p->capm = p->capm ? 2 * p->capm : 64;
		p->m = nm_xrealloc(p->m, p->capm * sizeof *p->m);
	}
	struct mframe *m = &p->m[p->nm++];
	memset(m, 0, sizeof *m);
	m->seq = p->seq;
	m->depth = (uint32_t)p->depth;
	m->title = p->last_title;
	m->measured = (unsigned char)(container || (in_measured && !e->furniture));
	m->mark = m->measured ? e->mark : 0;
	/* title_before(): title elements under the body, not inside furniture */
	m->titled = (unsigned char)(!container && in_measured && !e->furniture && e->titled &&
				    (p->depth > 2 || !p->body));
	if (m->titled) {
		if (!titles_open(p)) {
			p->tbase += p->tt.len;
			buf_reset(&p->tt);
			p->tspace = 0;
		}
		m->tstart = (uint32_t)(p->tbase + p->tt.len);
		m->outer = p->inner;
		p->inner = p->nm;
	}
	if (e->block || e->kind == K_BR)
		title_text(p, NULL, 0, 1);
}

static void measure_end(struct page *p, const struct el *e)
{
	if (p->skip) {
		p->skip--;
		return;
	}
	struct mframe m = p->m[--p->nm];
	if (m.seq == p->root)
		p->root_end = p->seq;
	if (m.seq == p->body)
		p->body_end = p->seq;
	if (e && (e->block || e->kind == K_BR))
		title_text(p, NULL, 0, 1);
	if (m.titled) {
		p->inner = m.outer;
	}
	if (m.titled && m.tstart >= p->tbase) {
		size_t from = m.tstart - p->tbase, len = p->tt.len - from;
		const char *t = p->tt.s ? p->tt.s + from : "";
		while (len && *t == ' ')
			t++, len--;
		while (len && t[len - 1] == ' ')
			len--;
		if (len <= 4 * MAX_TITLE && utf8_chars(t, len) <= MAX_TITLE && title_like(t, len))
			p->last_title = m.seq;
	}
	if (m.mark && m.len >= MIN_ARTICLE * INNER_SHARE) {
		if (p->nc == p->capc) {
			p->capc = p->capc ? 2 * p->capc : 16;
			p->c = nm_xrealloc(p->c, p->capc * sizeof *p->c);
		}
		p->c[p->nc++] = (struct candidate){m.seq, p->seq, m.title, m.depth, m.len, m.mark};
	}
	if (p->nm && m.measured && p->m[p->nm - 1].measured)
		p->m[p->nm - 1].len += m.len;
}

static void measure_text(struct page *p, const char *t, size_t n)
{
	if (p->skip || !p->nm)
		return;
	struct mframe *m = &p->m[p->nm - 1];
	if (m->measured)
		for (size_t i = 0; i < n; i++)
			m->len += !isspace((unsigned char)t[i]);
	if (titles_open(p))
		title_text(p, t, n, 0);
}

/* Pass 2: only the target's content (and the title's) flows. */
static void render_start(struct page *p, const struct el *e)
{
	if (p->in_flow) {
		flow_start(&p->flow, e);
		return;
	}
	if (p->seq == p->target || p->seq == p->title) {
		p->in_flow = p->seq == p->target ? 1 : 2;
		p->target_depth = p->depth;
		flow_init(&p->flow, p->in_flow == 1 ? p->out : &p->title_text,
			  p->in_flow == 1 && p->furniture);
	}
}

static void render_end(struct page *p)
{
	if (!p->in_flow)
		return;
	if (p->depth == p->target_depth) {
		if (p->in_flow == 1 && p->furniture)
			sink_break(&p->flow.s);
		flow_free(&p->flow);
		p->in_flow = 0;
		return;
	}
	size_t room = p->g.max_held > p->g.held ? p->g.max_held - p->g.held : 1;
	flow_end(&p->flow, room, &p->cut);
	if (p->cut)
		page_charge(p);
}

static void push_seq(uint32_t **v, size_t *n, size_t *cap, uint32_t seq)
{
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = nm_xrealloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = seq;
}

/*
 * Pass 1 notes the tables that hold a table, wherever it is (also in a
 * part not shown, as has_table_inside() did): a table starting marks the
 * innermost open one. They are marked in document order.
 */
static void table_start(struct page *p)
{
	if (p->nopen && !(p->open[p->nopen - 1] & 0x80000000u)) {
		push_seq(&p->layout, &p->nlayout, &p->caplayout, p->open[p->nopen - 1]);
		p->open[p->nopen - 1] |= 0x80000000u;
	}
	push_seq(&p->open, &p->nopen, &p->capopen, p->seq);
}

static void on_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
	struct page *p = ctx;
	page_work(p);
	p->seq++;
	p->depth++;
	if (p->depth > MAX_DEPTH || p->seq >= 0x80000000u) {
		p->too_deep = 1;
		page_stop(p);
		return;
	}
	struct el e;
	el_of(name, atts, &e);
	if (p->pass == 1) {
		if (e.kind == K_TABLE)
			table_start(p);
		measure_start(p, &e);
	} else {
		while (p->next_layout < p->nlayout && p->layout[p->next_layout] < p->seq)
			p->next_layout++;
		e.layout = p->next_layout < p->nlayout && p->layout[p->next_layout] == p->seq;
		render_start(p, &e);
	}
}

static void on_end(void *ctx, const xmlChar *name)
{
	struct page *p = ctx;
	if (!p->depth)
		return;
	if (p->pass == 1) {
		struct el e;
		char lower[16];
		el_named(name, &e, lower, sizeof lower);
		if (e.kind == K_TABLE && p->nopen)
			p->nopen--;
		measure_end(p, &e);
	} else {
		render_end(p);
	}
	p->depth--;
}

static void on_text(void *ctx, const xmlChar *t, int len)
{
	struct page *p = ctx;
	page_work(p);
	if (len <= 0 || !p->depth)
		return;
	if (p->pass == 1)
		measure_text(p, (const char *)t, (size_t)len);
	else if (p->in_flow)
		flow_text(&p->flow, (const char *)t, (size_t)len);
}

static void on_error(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e; /* pages are seldom valid HTML: the parser recovers */
}

/*
 * The end of the piece of the page starting at `at`: some CHUNK bytes on,
 * before a '<' or a line end, where no character of the encodings
 * detection names is cut (every other byte for UTF-16).
 */
static size_t piece_end(const char *data, size_t n, size_t at, const char *enc)
{
	if (n - at <= CHUNK)
		return n;
	size_t end = at + CHUNK;
	if (strncmp(enc, "UTF-16", 6) == 0)
		return end - (end - at) % 2;
	while (end < n && data[end] != '<' && data[end] != '\n')
		end++;
	return end;
}

/* libxml2 reads the page's text from here: the file converted a piece at a time. */
static int read_piece(void *ctx, char *buffer, int len)
{
	struct page *p = ctx;
	if (p->g.stop || p->too_deep)
		return -1;
	while (p->given >= p->piece.len && p->at < p->n) {
		struct decoded piece = {0};
		size_t end = piece_end(p->data, p->n, p->at, p->dec->encoding);
		piece.text = p->piece;
		buf_reset(&piece.text);
		detect_append(p->data + p->at, end - p->at, p->at, p->dec->encoding, &piece);
		p->piece = piece.text;
		p->given = 0;
		p->at = end;
		if (guard_work(&p->g, 1))
			return -1;
		page_charge(p);
	}
	size_t k = p->piece.len - p->given;
	k = k < (size_t)len ? k : (size_t)len;
	if (!k)
		return 0; /* the end; the piece may never have been allocated */
	memcpy(buffer, p->piece.s + p->given, k);
	p->given += k;
	return (int)k;
}

static int close_piece(void *ctx)
{
	(void)ctx;
	return 0;
}

/*
 * Parses the page once, as pass, reading it through read_piece(): the same
 * parser as htmlReadMemory(), with SAX callbacks instead of a tree. 0, or
 * -1 with why.
 */
static int parse(struct page *p, const char *data, size_t n, const struct decoded *d, int pass,
		 struct buf *why)
{
	p->pass = pass;
	p->seq = 0;
	p->depth = p->skip = 0;
	p->events = 0;
	p->data = data;
	p->n = n;
	p->dec = d;
	p->at = !d->has_bom ? 0 : strncmp(d->encoding, "UTF-16", 6) == 0 ? 2 : 3;
	p->given = 0;
	buf_reset(&p->piece);
	guard_libxml_clear();
	p->ctxt = htmlNewParserCtxt();
	xmlParserInputBufferPtr in =
		p->ctxt ? xmlParserInputBufferCreateIO(read_piece, close_piece, p,
						       XML_CHAR_ENCODING_UTF8)
			: NULL;
	xmlParserInputPtr input = in ? xmlNewIOInputStream(p->ctxt, in, XML_CHAR_ENCODING_UTF8) : NULL;
	if (!input) {
		if (in)
			xmlFreeParserInputBuffer(in);
		htmlFreeParserCtxt(p->ctxt);
		p->ctxt = NULL;
		buf_adds(why, "the HTML page cannot be parsed (out of memory)");
		return -1;
	}
	inputPush(p->ctxt, input);
	htmlSAXHandler *sax = p->ctxt->sax;
	memset(sax, 0, sizeof *sax);
	sax->initialized = XML_SAX2_MAGIC;
	sax->startElement = on_start;
	sax->endElement = on_end;
	sax->characters = on_text;
	sax->cdataBlock = on_text;
	sax->serror = on_error;
	p->ctxt->userData = p;
	htmlCtxtUseOptions(p->ctxt, HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_IGNORE_ENC |
					    HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
	htmlParseDocument(p->ctxt);
	htmlFreeParserCtxt(p->ctxt);
	p->ctxt = NULL;
	page_charge(p);
	if (p->g.stop) {
		guard_reason(&p->g, why);
		return -1;
	}
	if (p->too_deep) {
		buf_printf(why, "the HTML page nests elements deeper than %d levels (refused)",
			   MAX_DEPTH);
		return -1;
	}
	return 0;
}

/*
 * The element holding the article: the fullest of those surely marked,
 * else the fullest loosely marked; then an inner marked one that holds
 * nearly all of its text. NULL: none.
 */
static const struct candidate *find_article(const struct page *p)
{
	uint32_t from = p->body ? p->body : p->root, to = p->body ? p->body_end : p->root_end;
	const struct candidate *best = NULL;
	for (int mark = 2; mark >= 1 && !best; mark--)
		for (size_t i = 0; i < p->nc; i++)
			if (p->c[i].seq >= from && p->c[i].seq <= to && p->c[i].mark == mark &&
			    p->c[i].len >= MIN_ARTICLE && (!best || p->c[i].len > best->len))
				best = &p->c[i];
	const struct candidate *inner = best;
	for (size_t i = 0; best && i < p->nc; i++)
		if (p->c[i].depth > inner->depth && p->c[i].seq >= best->seq &&
		    p->c[i].end <= best->end &&
		    (double)p->c[i].len >= INNER_SHARE * (double)best->len)
			inner = &p->c[i];
	return inner;
}

/*
 * Whether text holds title once white space is taken out of both, without
 * copying text (Knuth-Morris-Pratt over the bytes that are not space).
 */
static int holds_squeezed(const char *text, size_t n, const char *title)
{
	struct buf t = BUF_INIT;
	for (const char *c = title; *c; c++)
		if (!isspace((unsigned char)*c))
			buf_addc(&t, *c);
	size_t m = t.len, k = 0, *next = nm_xmalloc((m + 1) * sizeof *next);
	int found = m == 0;
	if (m) {
		next[0] = 0;
		for (size_t i = 1; i < m; i++) {
			while (k && t.s[i] != t.s[k])
				k = next[k - 1];
			k += t.s[i] == t.s[k];
			next[i] = k;
		}
		k = 0;
		for (size_t i = 0; i < n && !found; i++) {
			if (isspace((unsigned char)text[i]))
				continue;
			while (k && text[i] != t.s[k])
				k = next[k - 1];
			k += text[i] == t.s[k];
			found = k == m;
		}
	}
	free(next);
	buf_free(&t);
	return found;
}

/* The title as one line: its lines joined with spaces, trimmed. */
static char *title_line(struct buf *t)
{
	for (size_t i = 0; i < t->len; i++)
		if (t->s[i] == '\n')
			t->s[i] = ' ';
	size_t len = t->len;
	const char *s = str_trim(buf_str(t), &len);
	return nm_xstrndup(s, len);
}

/* Reads the page: the article (with its title) or the body, into out. */
static int page_text(struct page *p, const char *data, size_t n, const struct decoded *d,
		     struct buf *out, struct buf *why)
{
	if (parse(p, data, n, d, 1, why) < 0)
		return -1;
	const struct candidate *article = find_article(p);
	p->out = out;
	p->target = article ? article->seq : p->body ? p->body : p->root;
	p->title = article ? article->title : 0;
	p->furniture = !article;
	if (!p->target)
		return 0;
	int rc = parse(p, data, n, d, 2, why);
	if (rc == 0 && article) {
		/* The article's title goes first where it lies outside it. */
		char *title = p->title ? title_line(&p->title_text) : NULL;
		if (title && *title && !holds_squeezed(buf_str(out), out->len, title)) {
			size_t k = strlen(title) + 2;
			buf_grow(out, k);
			memmove(out->s + k, out->s, out->len + 1);
			memcpy(out->s, title, k - 2);
			memcpy(out->s + k - 2, "\n\n", 2);
			out->len += k;
		}
		if (out->len && out->s[out->len - 1] != '\n')
			buf_addc(out, '\n');
		free(title);
	}
	p->out = NULL;
	return rc;
}

int html_decode(const char *data, size_t n, const char *force, struct decoded *d, struct buf *note,
		struct buf *why)
{
	memset(d, 0, sizeof *d);
	if (choose_charset(data, n, force, d, note, why) < 0)
		return -1;
	struct page p;
	memset(&p, 0, sizeof p);
	guard_init(&p.g, "HTML page", n);
	struct buf text = BUF_INIT;
	int rc = page_text(&p, data, n, d, &text, why);
	flow_free(&p.flow);
	free(p.m);
	free(p.c);
	free(p.open);
	free(p.layout);
	buf_free(&p.tt);
	buf_free(&p.title_text);
	buf_free(&p.piece);
	if (rc < 0) {
		buf_free(&text);
		return -1;
	}
	buf_free(&d->text);
	d->text = text;
	buf_grow(&d->text, 0);
	return 0;
}
