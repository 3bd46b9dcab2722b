/*
 * docx.c - Word .docx notices to text: the zip archive, its parts, the bounds.
 *
 * Each part is unpacked in chunks straight into libxml2's push parser, whose
 * SAX callbacks do the reading: no tree is built, so memory follows the
 * text and not the markup, and nesting costs no recursion. styles.xml and
 * numbering.xml fill tables of definitions indexed by id; document.xml is
 * then read with a stack of frames, one per open element, each saying what
 * its children mean (blocks, the runs of a paragraph, the rows of a table).
 * Everything read is charged to a guard (guard.h): unpacked bytes, held
 * text and definitions, work and time.
 *
 * Here: the archive read from memory, the charging every file of the
 * reader does, the SAX callbacks that give each element to its part's
 * reader, and docx_text(). docx_impl.h says which file holds the rest.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <unzip.h>

#include "front/docx.h"
#include "front/docx_impl.h"
#include "front/guard.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* Bytes unpacked and given to the parser at a time. */
#define CHUNK 65536

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

/* ---- bounds: what is read and held is charged to the guard ---- */

void docx_stop(struct docx *dx)
{
	if (dx->ctxt)
		xmlStopParser(dx->ctxt);
}

/* Charges held bytes (released when negative); stops the parser past the budget. */
void docx_hold(struct docx *dx, long long delta)
{
	if (guard_hold(&dx->g, delta))
		docx_stop(dx);
}

void docx_work(struct docx *dx, unsigned long units)
{
	if (guard_work(&dx->g, units))
		docx_stop(dx);
}

void docx_add(struct docx *dx, struct buf *b, const char *s, size_t n)
{
	buf_add(b, s, n);
	docx_hold(dx, (long long)n);
}

/* Cuts b back to len, releasing what is cut. */
void docx_cut(struct docx *dx, struct buf *b, size_t len)
{
	if (b->len <= len)
		return;
	docx_hold(dx, -(long long)(b->len - len));
	b->len = len;
	b->s[len] = '\0';
}

/* A copy of attribute NAME charged to the guard, or NULL. */
char *docx_keep_attr(struct docx *dx, const struct attrs *at, const char *name)
{
	char *s = docx_attr_dup(at, name);
	if (s)
		docx_hold(dx, (long long)strlen(s) + 1);
	return s;
}

/* Grows an array of *cap elements of size each to hold one more; charged. */
void *docx_grow(struct docx *dx, void *v, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	size_t more = *cap ? *cap : 16;
	docx_hold(dx, (long long)(more * size));
	*cap += more;
	return nm_xrealloc(v, *cap * size);
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
	docx_work(dx, 1);
	/* libxml2's push parser sets no depth limit of its own; its pull parser's
	 * is kept, so that its stacks stay small. */
	if (dx->nf + dx->skip >= xmlParserMaxDepth) {
		dx->too_deep = 1;
		docx_stop(dx);
	}
	if (dx->skip || (dx->nf && dx->f[dx->nf - 1].ctx == SKIP) || dx->g.stop) {
		dx->skip++;
		return;
	}
	enum el el = docx_el_of(name, uri);
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
		root.ctx = dx->part == P_STYLES      ? S_ROOT
			   : dx->part == P_NUMBERING ? N_ROOT
						     : D_ROOT;
	}
	c.ctx = (unsigned char)(dx->part == P_STYLES ? docx_styles_child(dx, f, el, first, &at)
				: dx->part == P_NUMBERING
					? docx_numbering_child(dx, f, el, first, &at, &c)
					: docx_document_child(dx, f, el, first, &at, &c));
	dx->f = docx_grow(dx, dx->f, dx->nf, &dx->capf, sizeof *dx->f);
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
		docx_para_close(dx);
		break;
	case D_RUN:
		if (f.hidden) {
			struct para *p = docx_para_top(dx);
			docx_cut(dx, &p->line, f.line_at);
			docx_cut(dx, &p->extra, f.extra_at);
		}
		break;
	case D_CELL:
		docx_cell_close(dx);
		break;
	case D_TABLE:
		docx_tbl_close(dx);
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
	docx_work(dx, 1);
	if (!dx->skip && dx->nf && dx->f[dx->nf - 1].ctx == D_TEXT && len > 0)
		docx_add(dx, &docx_para_top(dx)->line, (const char *)s, (size_t)len);
}

static void on_doctype(void *ctx, const xmlChar *name, const xmlChar *external_id,
		       const xmlChar *system_id)
{
	(void)name;
	(void)external_id;
	(void)system_id;
	struct docx *dx = ctx;
	dx->doctype = 1;
	docx_stop(dx);
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

/* Why an unpacking error happened, for people. */
static const char *zip_error(int rc)
{
	return rc == UNZ_CRCERROR   ? "CRC error"
	       : rc == Z_DATA_ERROR ? "corrupt compressed data"
				    : "truncated or corrupt";
}

/*
 * Unpacks the current entry of zf, name, through the parser as part.
 * Returns 0, or -1 with the reason in why.
 */
static int parse_part(struct docx *dx, unzFile zf, const char *name, enum part part, char *chunk,
		      struct buf *why)
{
	unz_file_info64 info;
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
			   dx->err_line      ? dx->err_line
			   : dx->ctxt->input ? dx->ctxt->input->line
					     : 0,
			   dx->err.len               ? buf_str(&dx->err)
			   : *guard_libxml_message() ? guard_libxml_message()
						     : "not well-formed");
	else
		result = 0;
	xmlFreeParserCtxt(dx->ctxt);
	dx->ctxt = NULL;
	return result;
}

/* Reads an optional part (styles, numbering) when the archive has it. */
static int read_optional(struct docx *dx, unzFile zf, const char *name, enum part part, char *chunk,
			 struct buf *why)
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
		docx_styles_resolve(&dx);
		if (read_optional(&dx, zf, "word/numbering.xml", P_NUMBERING, chunk, why) == 0) {
			docx_numbering_resolve(&dx);
			size_t start = text->len;
			dx.out = text;
			if (!zip_locate(zf, "word/document.xml")) {
				buf_adds(why,
					 "damaged .docx: no word/document.xml in the zip archive");
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
	docx_doc_clear(&dx);
	docx_definitions_free(&dx);
	free(dx.f);
	buf_free(&dx.err);
	buf_free(&dx.scratch);
	free(chunk);
	unzClose(zf);
	return rc;
}
