/*
 * html.c - notice pages: the page read twice as a stream, once to find the
 * article and its title, once to render them into lines.
 *
 * The file is converted to UTF-8 a piece at a time as libxml2's HTML
 * parser reads it, and the parser's SAX events are taken as they come:
 * pass 1 measures the elements that may hold the article and notes the
 * titles and the tables holding a table; pass 2 renders the article, or
 * the body without the site's furniture, and the title (html_render.c).
 * What is held is charged to a guard (guard.h), with the work and time.
 * html_impl.h says which file holds the rest.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>

#include "front/guard.h"
#include "front/html.h"
#include "front/html_impl.h"
#include "stream/err.h"
#include "stream/utf8.h"

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
	uint32_t seq, end; /* its number in document order, and its last descendant's */
	uint32_t title;    /* the last title that ended before it started (0: none) */
	uint32_t depth;
	size_t len; /* visible text bytes (not space) under it */
	int mark;
};

/* Pass 1: an open element. */
struct mframe {
	size_t len;
	size_t outer; /* a title element: the title element it is in (index + 1) */
	uint32_t seq, title, tstart, depth;
	unsigned char measured; /* counts toward the article (not furniture) */
	unsigned char titled;   /* a title element whose text is being kept */
	unsigned char mark;
};

struct page {
	struct guard g;
	htmlParserCtxtPtr ctxt;
	int pass;
	uint32_t seq; /* elements started so far */
	size_t depth; /* elements open */
	size_t skip;  /* pass 1: elements open inside a dropped one */
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
		      html_flow_bytes(&p->flow) + (p->out ? p->out->cap : 0) + p->title_text.cap +
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
			if (p->tspace && !(p->tspace == 3 && html_wide(p->tlast) && html_wide(c)))
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
		html_flow_start(&p->flow, e);
		return;
	}
	if (p->seq == p->target || p->seq == p->title) {
		p->in_flow = p->seq == p->target ? 1 : 2;
		p->target_depth = p->depth;
		html_flow_init(&p->flow, p->in_flow == 1 ? p->out : &p->title_text,
			       p->in_flow == 1 && p->furniture);
	}
}

static void render_end(struct page *p)
{
	if (!p->in_flow)
		return;
	if (p->depth == p->target_depth) {
		if (p->in_flow == 1 && p->furniture)
			html_sink_break(&p->flow.s);
		html_flow_free(&p->flow);
		p->in_flow = 0;
		return;
	}
	size_t room = p->g.max_held > p->g.held ? p->g.max_held - p->g.held : 1;
	html_flow_end(&p->flow, room, &p->cut);
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
	html_el_of(name, atts, &e);
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
		html_el_named(name, &e, lower, sizeof lower);
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
		html_flow_text(&p->flow, (const char *)t, (size_t)len);
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
	xmlParserInputBufferPtr in = p->ctxt ? xmlParserInputBufferCreateIO(read_piece, close_piece,
									    p,
									    XML_CHAR_ENCODING_UTF8)
					     : NULL;
	xmlParserInputPtr input = in ? xmlNewIOInputStream(p->ctxt, in, XML_CHAR_ENCODING_UTF8)
				     : NULL;
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
	if (html_choose_charset(data, n, force, d, note, why) < 0)
		return -1;
	struct page p;
	memset(&p, 0, sizeof p);
	guard_init(&p.g, "HTML page", n);
	struct buf text = BUF_INIT;
	int rc = page_text(&p, data, n, d, &text, why);
	html_flow_free(&p.flow);
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
