/* html.c - notice pages: charset, article body, text with its line breaks. */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "stream/err.h"
#include "front/html.h"
#include "front/table.h"
#include "stream/utf8.h"

/* The declaration is looked for this far into the page. */
#define PRESCAN 8192
/* An article element holds at least this much text (bytes). */
#define MIN_ARTICLE 100
/* Elements nested deeper than this are not read (the parser sets no limit). */
#define MAX_DEPTH 256
/* An inner article element is preferred when it holds this share of the text. */
#define INNER_SHARE 0.8

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

/*
 * Converts the page to UTF-8 in the declared (or forced) charset, or by
 * detection where there is none or the bytes do not fit it.
 */
static int decode_bytes(const char *data, size_t n, const char *force, struct decoded *d,
			struct buf *note, struct buf *why)
{
	char label[64] = "";
	int western = 0;
	const char *enc = force;
	if (!enc && !(n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) &&
	    html_declared_charset(data, n, label, sizeof label)) {
		enc = charset_canonical(label, &western);
		if (!enc && !western)
			buf_printf(note, "declared charset '%s' is not read; ", label);
		else if (western && has_high_bytes(data, n))
			buf_printf(note, "declared charset '%s' cannot hold Chinese text; ", label);
		else if (enc && strcmp(enc, "UTF-8") != 0 && plainly_utf8(data, n)) {
			buf_printf(
				note,
				"declared charset '%s' does not fit the bytes (they are UTF-8); ",
				label);
			enc = NULL;
		}
	}
	if (!enc) {
		if (detect_decode(data, n, NULL, d, why) < 0)
			return -1;
		if (note->len)
			buf_printf(note, "read as %s by detection", d->encoding);
		return 0;
	}
	struct buf first_why = BUF_INIT;
	int rc = detect_decode(data, n, enc, d, force ? why : &first_why);
	if (rc < 0 && !force) {
		/* So many bytes do not fit that they looked like binary data. */
		decoded_free(d);
		buf_free(&first_why);
		if (detect_decode(data, n, NULL, d, why) < 0)
			return -1;
		buf_printf(note,
			   "declared charset '%s' does not fit the bytes; read as %s by detection",
			   label, d->encoding);
		return 0;
	}
	buf_free(&first_why);
	if (rc < 0)
		return -1;
	if (!d->invalid || force)
		return 0;
	struct decoded alt;
	struct buf alt_why = BUF_INIT;
	if (detect_decode(data, n, NULL, &alt, &alt_why) == 0 && alt.invalid < d->invalid) {
		buf_printf(note,
			   "declared charset '%s' does not fit the bytes (invalid at byte %zu); "
			   "read as %s by detection",
			   label, d->first_invalid, alt.encoding);
		decoded_free(d);
		*d = alt;
	} else {
		decoded_free(&alt);
	}
	buf_free(&alt_why);
	return 0;
}

/* ---- the DOM ---- */

static int name_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && n->name &&
	       strcasecmp((const char *)n->name, name) == 0;
}

static int name_in(const xmlNode *n, const char *const *names)
{
	for (; *names; names++)
		if (name_is(n, *names))
			return 1;
	return 0;
}

static const char *attr(const xmlNode *n, const char *name)
{
	for (const xmlAttr *a = n->properties; a; a = a->next)
		if (a->name && strcasecmp((const char *)a->name, name) == 0)
			return a->children && a->children->content
				       ? (const char *)a->children->content
				       : "";
	return NULL;
}

static const char *const DROPPED[] = {
	"script", "style",    "noscript", "template", "head",  "nav",  "header", "footer", "aside",
	"iframe", "frame",    "object",   "embed",    "svg",   "math", "select", "option", "button",
	"input",  "textarea", "canvas",   "audio",    "video", "map",  NULL,
};

static const char *const BLOCKS[] = {
	"p",       "div",       "section",    "article",    "main",  "h1",       "h2",
	"h3",      "h4",        "h5",         "h6",         "ul",    "ol",       "li",
	"dl",      "dt",        "dd",         "blockquote", "pre",   "center",   "address",
	"hr",      "figure",    "figcaption", "caption",    "form",  "fieldset", "legend",
	"details", "summary",   "body",       "html",       "table", "tr",       "td",
	"th",      "thead",     "tbody",      "tfoot",      "dir",   "menu",     "listing",
	"xmp",     "plaintext", NULL,
};

/* Lower-cased attribute value without spaces, for matching. */
static void lowered(const char *s, char *out, size_t size)
{
	size_t k = 0;
	for (; s && *s && k + 1 < size; s++)
		if (*s != ' ' && *s != '\t' && *s != '\n')
			out[k++] = (char)tolower((unsigned char)*s);
	out[k] = '\0';
}

static int hidden(const xmlNode *n)
{
	char style[256];
	if (attr(n, "hidden"))
		return 1;
	lowered(attr(n, "style"), style, sizeof style);
	return strstr(style, "display:none") || strstr(style, "visibility:hidden");
}

/* Site furniture named by class or id: a menu, a footer, a share bar. */
static int furniture(const xmlNode *n)
{
	static const char *const PREFIXES[] = {
		"nav",       "menu",    "breadcrumb", "crumb",   "footer", "header", "share",
		"copyright", "sidebar", "topbar",     "toolbar", "foot",   "bottom", NULL};
	const char *which[] = {attr(n, "class"), attr(n, "id")};
	for (int w = 0; w < 2; w++) {
		char v[256];
		lowered(which[w], v, sizeof v);
		for (size_t i = 0; PREFIXES[i]; i++)
			if (str_starts(v, PREFIXES[i]))
				return 1;
	}
	return 0;
}

/*
 * How surely an element holds the article: 2 for the names content
 * systems give the article body (TRS_Editor, zoom ...), 1 for looser ones
 * (content, article, detail, an <article>), else 0.
 */
static int article_mark(const xmlNode *n)
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
	const char *which[] = {attr(n, "class"), attr(n, "id")};
	int mark = name_is(n, "article");
	for (int w = 0; w < 2; w++) {
		char v[256];
		lowered(which[w], v, sizeof v);
		for (size_t i = 0; STRONG[i]; i++)
			if (strstr(v, STRONG[i]))
				return 2;
		for (size_t i = 0; WEAK[i]; i++)
			if (strstr(v, WEAK[i]))
				mark = 1;
	}
	return mark;
}

static int dropped(const xmlNode *n, int with_furniture)
{
	return name_in(n, DROPPED) || hidden(n) || (with_furniture && furniture(n));
}

struct candidate {
	const xmlNode *node;
	size_t len;
	int depth, mark;
};

struct candidates {
	struct candidate *v;
	size_t n, cap;
};

/* Visible text bytes under n; article-marked elements are recorded on the way. */
static size_t measure(const xmlNode *n, int depth, struct candidates *c)
{
	size_t len = 0;
	for (const xmlNode *k = n->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE && k->content) {
			for (const char *p = (const char *)k->content; *p; p++)
				len += !isspace((unsigned char)*p);
		} else if (k->type == XML_ELEMENT_NODE && !dropped(k, 1) && depth < MAX_DEPTH) {
			len += measure(k, depth + 1, c);
		}
	}
	int mark = n->type == XML_ELEMENT_NODE ? article_mark(n) : 0;
	if (mark) {
		if (c->n == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 16;
			c->v = nm_xrealloc(c->v, c->cap * sizeof *c->v);
		}
		c->v[c->n++] = (struct candidate){n, len, depth, mark};
	}
	return len;
}

static int inside(const xmlNode *n, const xmlNode *ancestor)
{
	for (; n; n = n->parent)
		if (n == ancestor)
			return 1;
	return 0;
}

/*
 * The element holding the article: the fullest of those surely marked,
 * else the fullest loosely marked; then an inner marked one that holds
 * nearly all of its text. NULL: none.
 */
static const xmlNode *find_article(const xmlNode *body)
{
	struct candidates c = {0};
	measure(body, 0, &c);
	const struct candidate *best = NULL;
	for (int mark = 2; mark >= 1 && !best; mark--)
		for (size_t i = 0; i < c.n; i++)
			if (c.v[i].mark == mark && c.v[i].len >= MIN_ARTICLE &&
			    (!best || c.v[i].len > best->len))
				best = &c.v[i];
	const struct candidate *inner = best;
	for (size_t i = 0; best && i < c.n; i++)
		if (c.v[i].depth > inner->depth && inside(c.v[i].node, best->node) &&
		    (double)c.v[i].len >= INNER_SHARE * (double)best->len)
			inner = &c.v[i];
	const xmlNode *found = inner ? inner->node : NULL;
	free(c.v);
	return found;
}

/* ---- text ---- */

struct sink {
	struct buf *out;
	size_t line_start;
	int space, newline_in_space, pre, furniture;
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
static void sink_text(struct sink *s, const char *t)
{
	size_t n = strlen(t);
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

static void render(struct sink *s, const xmlNode *n, int depth);

static int has_table_inside(const xmlNode *n, int depth)
{
	if (depth > MAX_DEPTH)
		return 0;
	for (const xmlNode *k = n->children; k; k = k->next)
		if (name_is(k, "table") ||
		    (k->type == XML_ELEMENT_NODE && has_table_inside(k, depth + 1)))
			return 1;
	return 0;
}

static size_t span_attr(const xmlNode *n, const char *name)
{
	const char *v = attr(n, name);
	long k = v ? strtol(v, NULL, 10) : 1;
	return k < 1 ? 1 : (size_t)k;
}

static void table_rows(struct sink *s, const xmlNode *n, struct table *t, int depth)
{
	for (const xmlNode *k = n->children; k; k = k->next) {
		if (name_is(k, "thead") || name_is(k, "tbody") || name_is(k, "tfoot")) {
			table_rows(s, k, t, depth);
		} else if (name_is(k, "tr") && !dropped(k, s->furniture)) {
			table_row(t);
			for (const xmlNode *c = k->children; c; c = c->next) {
				if (!(name_is(c, "td") || name_is(c, "th")) ||
				    dropped(c, s->furniture))
					continue;
				struct buf text = BUF_INIT;
				struct sink cs = {&text, 0, 0, 0, 0, s->furniture, 0};
				render(&cs, c, depth + 1);
				while (text.len && text.s[text.len - 1] == '\n')
					text.s[--text.len] = '\0';
				table_cell(t, buf_str(&text), span_attr(c, "colspan"),
					   span_attr(c, "rowspan"));
				buf_free(&text);
			}
		}
	}
}

/* A data table through table_render(); a layout table (one holding
 * tables) as the blocks it holds. */
static void html_table(struct sink *s, const xmlNode *n, int depth)
{
	if (has_table_inside(n, 0)) {
		sink_break(s);
		for (const xmlNode *k = n->children; k; k = k->next)
			render(s, k, depth + 1);
		sink_break(s);
		return;
	}
	struct table t = {0};
	table_rows(s, n, &t, depth);
	sink_break(s);
	table_render(&t, s->out);
	s->line_start = s->out->len;
	table_free(&t);
}

static void render(struct sink *s, const xmlNode *n, int depth)
{
	if (depth > MAX_DEPTH)
		return;
	for (const xmlNode *k = n->children; k; k = k->next) {
		if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
			if (k->content)
				sink_text(s, (const char *)k->content);
			continue;
		}
		if (k->type != XML_ELEMENT_NODE || dropped(k, s->furniture))
			continue;
		if (name_is(k, "br")) {
			sink_newline(s);
		} else if (name_is(k, "table")) {
			html_table(s, k, depth);
		} else if (name_in(k, BLOCKS)) {
			int pre = s->pre;
			sink_break(s);
			s->pre |= name_is(k, "pre") || name_is(k, "listing") || name_is(k, "xmp") ||
				  name_is(k, "plaintext");
			render(s, k, depth + 1);
			s->pre = pre;
			sink_break(s);
		} else {
			render(s, k, depth + 1);
		}
	}
}

/* The text of one element on one line. */
static char *line_of(const xmlNode *n)
{
	struct buf b = BUF_INIT;
	struct sink s = {&b, 0, 0, 0, 0, 0, 0};
	render(&s, n, 0);
	for (size_t i = 0; i < b.len; i++)
		if (b.s[i] == '\n')
			b.s[i] = ' ';
	size_t len = b.len;
	const char *t = str_trim(buf_str(&b), &len);
	char *line = nm_xstrndup(t, len);
	buf_free(&b);
	return line;
}

static int title_like(const char *t)
{
	static const char *const GENRES[] = {"通知", "意见", "方案", "决定", "办法", "规定", "通报",
					     "批复", "报告", "函",   "纲要", "计划", "规划", "细则",
					     "要点", "公告", "通告", "清单", NULL};
	if (strstr(t, "关于"))
		return 1;
	for (size_t i = 0; GENRES[i]; i++)
		if (str_ends(t, GENRES[i]))
			return 1;
	return 0;
}

/* The page's title where the article does not hold it: the last title-like
 * h1-h3 (or element of class "title") before the article. */
static void title_before(const xmlNode *n, const xmlNode *article, char **title, int *done,
			 int depth)
{
	if (depth > MAX_DEPTH)
		return;
	for (const xmlNode *k = n->children; k && !*done; k = k->next) {
		if (k == article) {
			*done = 1;
			return;
		}
		if (k->type != XML_ELEMENT_NODE || dropped(k, 1))
			continue;
		char cls[128];
		lowered(attr(k, "class"), cls, sizeof cls);
		if (name_is(k, "h1") || name_is(k, "h2") || name_is(k, "h3") ||
		    strstr(cls, "title")) {
			char *t = line_of(k);
			if (title_like(t) && utf8_chars(t, strlen(t)) <= 100) {
				free(*title);
				*title = t;
				continue;
			}
			free(t);
		}
		title_before(k, article, title, done, depth + 1);
	}
}

static void squeeze_into(struct buf *b, const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			buf_addc(b, *s);
}

/* Renders the article (or the body) into out. */
static void page_text(xmlDoc *doc, struct buf *out)
{
	const xmlNode *root = xmlDocGetRootElement(doc), *body = NULL;
	for (const xmlNode *k = root ? root->children : NULL; k && !body; k = k->next)
		if (name_is(k, "body"))
			body = k;
	if (!body)
		body = root;
	if (!body)
		return;
	const xmlNode *article = find_article(body);
	struct sink s = {out, out->len, 0, 0, 0, !article, 0};
	if (article) {
		char *title = NULL;
		int done = 0;
		title_before(body, article, &title, &done, 0);
		struct buf text = BUF_INIT, flat = BUF_INIT, flat_title = BUF_INIT;
		struct sink as = {&text, 0, 0, 0, 0, 0, 0};
		render(&as, article, 0);
		squeeze_into(&flat, buf_str(&text));
		if (title)
			squeeze_into(&flat_title, title);
		if (title && !strstr(buf_str(&flat), buf_str(&flat_title))) {
			buf_adds(out, title);
			buf_adds(out, "\n\n");
		}
		buf_add(out, buf_str(&text), text.len);
		if (text.len && text.s[text.len - 1] != '\n')
			buf_addc(out, '\n');
		free(title);
		buf_free(&text);
		buf_free(&flat);
		buf_free(&flat_title);
	} else {
		render(&s, body, 0);
		sink_break(&s);
	}
}

int html_decode(const char *data, size_t n, const char *force, struct decoded *d, struct buf *note,
		struct buf *why)
{
	memset(d, 0, sizeof *d);
	if (decode_bytes(data, n, force, d, note, why) < 0)
		return -1;
	if (d->text.len > (size_t)INT32_MAX) {
		buf_adds(why, "page too large");
		return -1;
	}
	htmlDocPtr doc = htmlReadMemory(buf_str(&d->text), (int)d->text.len, NULL, "UTF-8",
					HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
						HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
						HTML_PARSE_COMPACT | HTML_PARSE_IGNORE_ENC);
	if (!doc) {
		buf_adds(why, "the HTML page cannot be parsed");
		return -1;
	}
	struct buf text = BUF_INIT;
	page_text(doc, &text);
	xmlFreeDoc(doc);
	buf_free(&d->text);
	d->text = text;
	buf_grow(&d->text, 0);
	return 0;
}
