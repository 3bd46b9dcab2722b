/*
 * html_render.c - the elements of a page rendered into lines: what an
 * element is (block, dropped, furniture, article, title, cell), white
 * space as a browser shows it, and tables: a layout table read through as
 * its blocks, a data table through table_render() (table.h).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/HTMLparser.h>

#include "front/html_impl.h"
#include "front/table.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* ---- elements ---- */

// clang-format off (a packed table)
static const struct name {
	const char *name;
	unsigned char kind, block, drop, pre;
} NAMES[] = {
	/* sorted by name, for bsearch */
	{"address", K_OTHER, 1, 0, 0},
	{"article", K_OTHER, 1, 0, 0},
	{"aside", K_OTHER, 0, 1, 0},
	{"audio", K_OTHER, 0, 1, 0},
	{"blockquote", K_OTHER, 1, 0, 0},
	{"body", K_BODY, 1, 0, 0},
	{"br", K_BR, 0, 0, 0},
	{"button", K_OTHER, 0, 1, 0},
	{"canvas", K_OTHER, 0, 1, 0},
	{"caption", K_OTHER, 1, 0, 0},
	{"center", K_OTHER, 1, 0, 0},
	{"dd", K_OTHER, 1, 0, 0},
	{"details", K_OTHER, 1, 0, 0},
	{"dir", K_OTHER, 1, 0, 0},
	{"div", K_OTHER, 1, 0, 0},
	{"dl", K_OTHER, 1, 0, 0},
	{"dt", K_OTHER, 1, 0, 0},
	{"embed", K_OTHER, 0, 1, 0},
	{"fieldset", K_OTHER, 1, 0, 0},
	{"figcaption", K_OTHER, 1, 0, 0},
	{"figure", K_OTHER, 1, 0, 0},
	{"footer", K_OTHER, 0, 1, 0},
	{"form", K_OTHER, 1, 0, 0},
	{"frame", K_OTHER, 0, 1, 0},
	{"h1", K_HEADING, 1, 0, 0},
	{"h2", K_HEADING, 1, 0, 0},
	{"h3", K_HEADING, 1, 0, 0},
	{"h4", K_OTHER, 1, 0, 0},
	{"h5", K_OTHER, 1, 0, 0},
	{"h6", K_OTHER, 1, 0, 0},
	{"head", K_OTHER, 0, 1, 0},
	{"header", K_OTHER, 0, 1, 0},
	{"hr", K_OTHER, 1, 0, 0},
	{"html", K_OTHER, 1, 0, 0},
	{"iframe", K_OTHER, 0, 1, 0},
	{"input", K_OTHER, 0, 1, 0},
	{"legend", K_OTHER, 1, 0, 0},
	{"li", K_OTHER, 1, 0, 0},
	{"listing", K_OTHER, 1, 0, 1},
	{"main", K_OTHER, 1, 0, 0},
	{"map", K_OTHER, 0, 1, 0},
	{"math", K_OTHER, 0, 1, 0},
	{"menu", K_OTHER, 1, 0, 0},
	{"nav", K_OTHER, 0, 1, 0},
	{"noscript", K_OTHER, 0, 1, 0},
	{"object", K_OTHER, 0, 1, 0},
	{"ol", K_OTHER, 1, 0, 0},
	{"option", K_OTHER, 0, 1, 0},
	{"p", K_OTHER, 1, 0, 0},
	{"plaintext", K_OTHER, 1, 0, 1},
	{"pre", K_OTHER, 1, 0, 1},
	{"script", K_OTHER, 0, 1, 0},
	{"section", K_OTHER, 1, 0, 0},
	{"select", K_OTHER, 0, 1, 0},
	{"style", K_OTHER, 0, 1, 0},
	{"summary", K_OTHER, 1, 0, 0},
	{"svg", K_OTHER, 0, 1, 0},
	{"table", K_TABLE, 1, 0, 0},
	{"tbody", K_SECTION, 1, 0, 0},
	{"td", K_CELL, 1, 0, 0},
	{"template", K_OTHER, 0, 1, 0},
	{"textarea", K_OTHER, 0, 1, 0},
	{"tfoot", K_SECTION, 1, 0, 0},
	{"th", K_CELL, 1, 0, 0},
	{"thead", K_SECTION, 1, 0, 0},
	{"tr", K_TR, 1, 0, 0},
	{"ul", K_OTHER, 1, 0, 0},
	{"video", K_OTHER, 0, 1, 0},
	{"xmp", K_OTHER, 1, 0, 1},
};
// clang-format on

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
void html_el_named(const xmlChar *tag, struct el *e, char *name, size_t size)
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

void html_el_of(const xmlChar *tag, const xmlChar **atts, struct el *e)
{
	char name[16], cls[256], id[256];
	html_el_named(tag, e, name, sizeof name);
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

int html_wide(uint32_t c) { return c >= 0x2E80; }

void html_sink_break(struct sink *s)
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
			    !(s->newline_in_space && html_wide(s->last) && html_wide(c)))
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

void html_flow_init(struct flow *f, struct buf *out, int with_furniture)
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

void html_flow_free(struct flow *f)
{
	tab_free(f->tab);
	free(f->st);
	memset(f, 0, sizeof *f);
}

/* Memory a flow holds besides its output, for the guard. */
size_t html_flow_bytes(const struct flow *f)
{
	size_t b = f->cap * sizeof *f->st;
	if (f->tab)
		b += f->tab->t.bytes + f->tab->cell_text.cap + f->tab->cap +
		     f->tab->cell.cap * sizeof(struct fel);
	return b;
}

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
			html_flow_init(&t->cell, &t->cell_text, f->furniture);
			t->colspan = e->colspan;
			t->rowspan = e->rowspan;
		}
		break;
	case R_CELL:
	case R_IN_CELL:
		role = R_IN_CELL;
		html_flow_start(&t->cell, e);
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
		html_flow_end(&t->cell, max_out, cut);
	} else if (role == R_CELL) {
		struct buf *c = &t->cell_text;
		while (c->len && c->s[c->len - 1] == '\n')
			c->s[--c->len] = '\0';
		table_cell(&t->t, buf_str(c), t->colspan, t->rowspan);
	}
	return 0;
}

void html_flow_start(struct flow *f, const struct el *e)
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
		html_sink_break(&f->s);
		flow_push(f, e->layout ? F_LAYOUT : F_TABLE, f->s.pre);
		if (!e->layout) {
			f->tab = nm_xmalloc(sizeof *f->tab);
			memset(f->tab, 0, sizeof *f->tab);
		}
	} else if (e->block) {
		flow_push(f, F_BLOCK, f->s.pre);
		html_sink_break(&f->s);
		f->s.pre |= e->pre;
	} else {
		flow_push(f, F_PLAIN, 0);
	}
}

void html_flow_end(struct flow *f, size_t max_out, int *cut)
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
		html_sink_break(&f->s);
	} else if (el.what == F_LAYOUT) {
		html_sink_break(&f->s);
	}
}

void html_flow_text(struct flow *f, const char *t, size_t n)
{
	if (f->tab) {
		struct tab *tb = f->tab;
		if (tb->n && (tb->role[tb->n - 1] == R_CELL || tb->role[tb->n - 1] == R_IN_CELL))
			html_flow_text(&tb->cell, t, n);
		return;
	}
	/* A layout table's own text (between its rows) is not shown. */
	if (f->skip || (f->n && f->st[f->n - 1].what == F_LAYOUT))
		return;
	sink_text(&f->s, t, n);
}
