/*
 * xlsxread.c - reading back what staff typed into a workbook: 完成状态 and
 * 进展情况 of each task in 任务分工, keyed by 发文字号 and 序号.
 *
 * A workbook in the output directory may come from anyone who can write
 * there, so it is read as hostile: opened without following a link, at
 * most XLSX_MAX_FILE bytes, each part at most XLSX_MAX_PART bytes
 * uncompressed (checked against the archive's claim and while inflating),
 * XML with a DTD refused, no entity substituted, nothing fetched from the
 * network, libxml2's messages kept off stderr. Only the shared strings and
 * the one sheet are read, as streams.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/xmlreader.h>
#include <unzip.h>

#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/wb.h"

#define XLSX_MAX_FILE (256LL << 20)
#define XLSX_MAX_PART (64UL << 20)
#define XLSX_MAX_STRINGS 4000000
#define XLSX_MAX_CELL 32767 * 4
/* The namespace of r:id, which names a sheet's part in workbook.xml. */
#define NS_RELATIONSHIPS "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

void wb_task_key(struct buf *out, const char *docno, const char *source, long seq)
{
	if (docno && *docno)
		buf_printf(out, "%s#%ld", docno, seq);
	else
		buf_printf(out, "文件:%s#%ld", source ? source : "", seq);
}

static void silent(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

/* Reads one part whole into out. 1 read, 0 absent, -1 with why. */
static int read_part(unzFile zf, const char *name, struct buf *out, struct buf *why)
{
	unz_file_info64 info;
	if (unzLocateFile(zf, name, 1) != UNZ_OK)
		return 0;
	if (unzGetCurrentFileInfo64(zf, &info, NULL, 0, NULL, 0, NULL, 0) != UNZ_OK ||
	    unzOpenCurrentFile(zf) != UNZ_OK) {
		buf_printf(why, "%s: damaged", name);
		return -1;
	}
	if (info.uncompressed_size > XLSX_MAX_PART) {
		unzCloseCurrentFile(zf);
		buf_printf(why, "%s: %llu bytes, over the limit of %lu MB", name,
			   (unsigned long long)info.uncompressed_size, XLSX_MAX_PART >> 20);
		return -1;
	}
	int rc;
	for (;;) {
		buf_grow(out, 65536);
		rc = unzReadCurrentFile(zf, out->s + out->len, 65536);
		if (rc <= 0)
			break;
		out->len += (size_t)rc;
		if (out->len > XLSX_MAX_PART) { /* the archive lied about the size */
			rc = -1;
			break;
		}
	}
	out->s[out->len] = '\0';
	if (unzCloseCurrentFile(zf) != UNZ_OK || rc < 0) {
		buf_printf(why, "%s: damaged or over the limit of %lu MB", name,
			   XLSX_MAX_PART >> 20);
		return -1;
	}
	return 1;
}

static xmlTextReaderPtr reader(const struct buf *xml, const char *name, struct buf *why)
{
	if (memmem(xml->s, xml->len, "<!DOCTYPE", 9) || memmem(xml->s, xml->len, "<!ENTITY", 8)) {
		buf_printf(why, "%s declares a DTD (refused)", name);
		return NULL;
	}
	xmlTextReaderPtr r = xmlReaderForMemory(xml->s, (int)xml->len, name, NULL,
						XML_PARSE_NONET | XML_PARSE_NOERROR |
							XML_PARSE_NOWARNING | XML_PARSE_COMPACT);
	if (!r)
		buf_printf(why, "%s: not XML", name);
	else
		xmlTextReaderSetErrorHandler(r, NULL, NULL);
	return r;
}

static int is(xmlTextReaderPtr r, int type, const char *name)
{
	const xmlChar *n = xmlTextReaderConstLocalName(r);
	return xmlTextReaderNodeType(r) == type && n && strcmp((const char *)n, name) == 0;
}

static char *attr(xmlTextReaderPtr r, const char *name)
{
	return (char *)xmlTextReaderGetAttribute(r, (const xmlChar *)name);
}

/* The text of every <t> inside the current element (not inside <rPh>), appended. */
static int gather_text(xmlTextReaderPtr r, const char *end, struct buf *out)
{
	int depth = xmlTextReaderDepth(r), in_t = 0, in_ph = 0, rc;
	if (xmlTextReaderIsEmptyElement(r))
		return 1;
	while ((rc = xmlTextReaderRead(r)) == 1) {
		int type = xmlTextReaderNodeType(r);
		if (type == XML_READER_TYPE_END_ELEMENT && xmlTextReaderDepth(r) == depth &&
		    is(r, type, end))
			return 1;
		if (is(r, XML_READER_TYPE_ELEMENT, "rPh"))
			in_ph = !xmlTextReaderIsEmptyElement(r);
		else if (is(r, XML_READER_TYPE_END_ELEMENT, "rPh"))
			in_ph = 0;
		else if (is(r, XML_READER_TYPE_ELEMENT, "t"))
			in_t = !xmlTextReaderIsEmptyElement(r);
		else if (is(r, XML_READER_TYPE_END_ELEMENT, "t"))
			in_t = 0;
		else if ((type == XML_READER_TYPE_TEXT ||
			  type == XML_READER_TYPE_SIGNIFICANT_WHITESPACE) &&
			 in_t && !in_ph && out->len < XLSX_MAX_CELL) {
			const xmlChar *v = xmlTextReaderConstValue(r);
			if (v)
				buf_adds(out, (const char *)v);
		}
	}
	return rc;
}

struct strings {
	char **v;
	size_t n, cap;
};

static void strings_free(struct strings *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
}

static int read_strings(const struct buf *xml, struct strings *s, struct buf *why)
{
	xmlTextReaderPtr r = reader(xml, "sharedStrings.xml", why);
	if (!r)
		return -1;
	int rc;
	struct buf t = BUF_INIT;
	while ((rc = xmlTextReaderRead(r)) == 1) {
		if (!is(r, XML_READER_TYPE_ELEMENT, "si"))
			continue;
		if (s->n >= XLSX_MAX_STRINGS) {
			buf_printf(why, "sharedStrings.xml: over %d strings", XLSX_MAX_STRINGS);
			rc = -1;
			break;
		}
		buf_reset(&t);
		if (gather_text(r, "si", &t) < 0) {
			rc = -1;
			break;
		}
		s->v = wb_grow(s->v, &s->cap, s->n, sizeof *s->v);
		s->v[s->n++] = nm_xstrdup(buf_str(&t));
	}
	buf_free(&t);
	xmlFreeTextReader(r);
	if (rc < 0 && !why->len)
		buf_adds(why, "sharedStrings.xml: not well-formed");
	return rc < 0 ? -1 : 0;
}

/* The part of the sheet called name: workbook.xml gives its relation, the rels its target. */
static int sheet_part(unzFile zf, const char *name, struct buf *part, struct buf *why)
{
	struct buf wb = BUF_INIT, rels = BUF_INIT;
	char *rid = NULL;
	int rc = read_part(zf, "xl/workbook.xml", &wb, why);
	if (rc <= 0) {
		if (rc == 0)
			buf_adds(why, "not a workbook (no xl/workbook.xml)");
		goto out;
	}
	xmlTextReaderPtr r = reader(&wb, "workbook.xml", why);
	rc = -1;
	if (!r)
		goto out;
	while (!rid && xmlTextReaderRead(r) == 1) {
		if (!is(r, XML_READER_TYPE_ELEMENT, "sheet"))
			continue;
		char *n = attr(r, "name");
		if (n && strcmp(n, name) == 0)
			rid = (char *)xmlTextReaderGetAttributeNs(
				r, (const xmlChar *)"id", (const xmlChar *)NS_RELATIONSHIPS);
		xmlFree(n);
	}
	xmlFreeTextReader(r);
	if (!rid) {
		rc = 0; /* no such sheet */
		goto out;
	}
	if (read_part(zf, "xl/_rels/workbook.xml.rels", &rels, why) <= 0 ||
	    !(r = reader(&rels, "workbook.xml.rels", why))) {
		if (!why->len)
			buf_adds(why, "no xl/_rels/workbook.xml.rels");
		goto out;
	}
	while (xmlTextReaderRead(r) == 1) {
		if (!is(r, XML_READER_TYPE_ELEMENT, "Relationship"))
			continue;
		char *id = attr(r, "Id"), *target = attr(r, "Target");
		if (id && target && strcmp(id, rid) == 0 && !strstr(target, "..")) {
			buf_reset(part);
			if (target[0] == '/')
				buf_adds(part, target + 1);
			else
				buf_printf(part, "xl/%s", target);
			rc = 1;
		}
		xmlFree(id), xmlFree(target);
	}
	xmlFreeTextReader(r);
	if (rc < 0)
		buf_printf(why, "no part for sheet %s", name);
out:
	xmlFree(rid);
	buf_free(&wb), buf_free(&rels);
	return rc;
}

enum { K_SEQ, K_DOCNO, K_SOURCE, K_STATE, K_PROGRESS, K_NKEYS };

static const char *const KEY_HEADS[K_NKEYS] = {"序号", "发文字号", "来源文件", "完成状态",
					       "进展情况"};

struct sheet_read {
	const struct strings *ss;
	long col[K_NKEYS]; /* column (0-based) of each, or -1 */
	int header_found;
	char *cell[K_NKEYS];
	struct wb_statuses *out;
	const char *docno, *source; /* the notice's, or NULL: the sheet's columns */
	long long mtime;
	long rows;
};

/* Column number of an A1 reference ("AB12" -> 27). */
static long ref_col(const char *ref)
{
	long c = 0;
	for (; *ref >= 'A' && *ref <= 'Z'; ref++)
		c = c * 26 + (*ref - 'A' + 1);
	return c - 1;
}

static void status_put(struct wb_statuses *s, const char *key, const char *state,
		       const char *progress, long long mtime)
{
	size_t before = s->keys.n;
	size_t i = names_intern(&s->keys, key, strlen(key));
	if (i == before) {
		s->v = wb_grow(s->v, &s->cap, s->n, sizeof *s->v);
		s->v[s->n++] = (struct wb_status_row){nm_xstrdup(key), nm_xstrdup(""),
						      nm_xstrdup(""), 0};
	}
	struct wb_status_row *row = &s->v[i];
	/* a newer value wins, and any value wins over none */
	if (*state && (!*row->state || mtime >= row->mtime)) {
		free(row->state);
		row->state = nm_xstrdup(state);
	}
	if (*progress && (!*row->progress || mtime >= row->mtime)) {
		free(row->progress);
		row->progress = nm_xstrdup(progress);
	}
	if ((*state || *progress) && mtime > row->mtime)
		row->mtime = mtime;
}

static void row_done(struct sheet_read *sr)
{
	const char *c[K_NKEYS];
	for (int k = 0; k < K_NKEYS; k++)
		c[k] = sr->cell[k] ? sr->cell[k] : "";
	if (!sr->header_found) {
		if (strcmp(c[K_SEQ], "序号") == 0)
			sr->header_found = 1; /* the header row was read by column below */
	} else if (*c[K_SEQ] && (*c[K_STATE] || *c[K_PROGRESS])) {
		char *end;
		double seq = strtod(c[K_SEQ], &end);
		if (*end == '\0' && seq >= 1 && seq < 1e9) {
			struct buf key = BUF_INIT;
			int fixed = sr->docno || sr->source;
			wb_task_key(&key, fixed ? sr->docno : c[K_DOCNO],
				    fixed ? sr->source : c[K_SOURCE], (long)seq);
			status_put(sr->out, key.s, c[K_STATE], c[K_PROGRESS], sr->mtime);
			buf_free(&key);
			sr->rows++;
		}
	}
	for (int k = 0; k < K_NKEYS; k++) {
		free(sr->cell[k]);
		sr->cell[k] = NULL;
	}
}

/* One cell: its text, and, before the header is found, whether it names a column. */
static void cell_done(struct sheet_read *sr, long col, const char *text)
{
	if (!sr->header_found) {
		for (int k = 0; k < K_NKEYS; k++)
			if (strcmp(text, KEY_HEADS[k]) == 0 && sr->col[k] < 0)
				sr->col[k] = col;
		if (strcmp(text, "序号") == 0 && col == sr->col[K_SEQ]) {
			free(sr->cell[K_SEQ]);
			sr->cell[K_SEQ] = nm_xstrdup(text);
		}
		return;
	}
	for (int k = 0; k < K_NKEYS; k++) {
		if (sr->col[k] == col) {
			free(sr->cell[k]);
			sr->cell[k] = nm_xstrdup(text);
		}
	}
}

static int read_sheet(const struct buf *xml, struct sheet_read *sr, struct buf *why)
{
	xmlTextReaderPtr r = reader(xml, "sheet", why);
	if (!r)
		return -1;
	int rc;
	struct buf text = BUF_INIT;
	while ((rc = xmlTextReaderRead(r)) == 1) {
		if (is(r, XML_READER_TYPE_END_ELEMENT, "row") ||
		    (is(r, XML_READER_TYPE_ELEMENT, "row") && xmlTextReaderIsEmptyElement(r))) {
			row_done(sr);
			continue;
		}
		if (!is(r, XML_READER_TYPE_ELEMENT, "c"))
			continue;
		char *ref = attr(r, "r"), *type = attr(r, "t");
		long col = ref ? ref_col(ref) : -1;
		buf_reset(&text);
		if (!xmlTextReaderIsEmptyElement(r)) {
			int depth = xmlTextReaderDepth(r);
			while ((rc = xmlTextReaderRead(r)) == 1) {
				if (xmlTextReaderNodeType(r) == XML_READER_TYPE_END_ELEMENT &&
				    xmlTextReaderDepth(r) == depth)
					break;
				if (is(r, XML_READER_TYPE_ELEMENT, "v")) {
					xmlChar *v = xmlTextReaderReadString(r);
					if (v && strlen((char *)v) < XLSX_MAX_CELL)
						buf_adds(&text, (char *)v);
					xmlFree(v);
				} else if (is(r, XML_READER_TYPE_ELEMENT, "is")) {
					gather_text(r, "is", &text);
				}
			}
		}
		if (type && strcmp(type, "s") == 0) {
			char *end;
			unsigned long i = strtoul(buf_str(&text), &end, 10);
			const char *s = *end == '\0' && i < sr->ss->n ? sr->ss->v[i] : "";
			buf_reset(&text);
			buf_adds(&text, s);
		}
		if (col >= 0) {
			struct buf clean = BUF_INIT;
			utf8_scrub(&clean, buf_str(&text));
			cell_done(sr, col, buf_str(&clean));
			buf_free(&clean);
		}
		xmlFree(ref), xmlFree(type);
		if (rc != 1)
			break;
	}
	buf_free(&text);
	xmlFreeTextReader(r);
	if (rc < 0) {
		if (!why->len)
			buf_adds(why, "sheet: not well-formed");
		return -1;
	}
	return 0;
}

long wb_statuses_read(struct wb_statuses *s, const struct outdir *dir, const char *rel,
		      const char *docno, const char *source, struct buf *why)
{
	static int quiet;
	if (!quiet) {
		xmlSetGenericErrorFunc(NULL, silent);
		quiet = 1;
	}
	int fd = outdir_open_read(dir, rel);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		buf_printf(why, "%s: %s", rel,
			   errno == ELOOP ? "a symbolic link (not read)" : strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > XLSX_MAX_FILE) {
		buf_printf(why, "%s: not a regular file, or over %lld MB", rel,
			   XLSX_MAX_FILE >> 20);
		close(fd);
		return -1;
	}
	char proc[40];
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
	unzFile zf = unzOpen64(proc);
	long rows = -1;
	struct strings ss = {0};
	struct buf part = BUF_INIT, xml = BUF_INIT, err = BUF_INIT;
	long long mtime = (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
	struct sheet_read sr = {&ss, {-1, -1, -1, -1, -1}, 0, {0}, s, docno, source, mtime, 0};
	if (!zf) {
		buf_adds(&err, "not a zip archive");
		goto out;
	}
	int found = sheet_part(zf, TASK_SHEET, &part, &err);
	if (found <= 0) {
		if (found == 0)
			rows = 0; /* a workbook without 任务分工: nothing typed there */
		goto out;
	}
	if (read_part(zf, "xl/sharedStrings.xml", &xml, &err) < 0 ||
	    (xml.len && read_strings(&xml, &ss, &err) < 0))
		goto out;
	buf_reset(&xml);
	if (read_part(zf, part.s, &xml, &err) <= 0) {
		if (!err.len)
			buf_printf(&err, "no %s", part.s);
		goto out;
	}
	if (read_sheet(&xml, &sr, &err) == 0)
		rows = sr.rows;
out:
	if (rows < 0)
		buf_printf(why, "%s: cannot read staff status: %s", rel, buf_str(&err));
	for (int k = 0; k < K_NKEYS; k++)
		free(sr.cell[k]);
	if (zf)
		unzClose(zf);
	close(fd);
	strings_free(&ss);
	buf_free(&part), buf_free(&xml), buf_free(&err);
	return rows;
}

const struct wb_status_row *wb_statuses_get(const struct wb_statuses *s, const char *key)
{
	size_t i = names_find(&s->keys, key);
	return i == (size_t)-1 ? NULL : &s->v[i];
}

void wb_statuses_free(struct wb_statuses *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].key), free(s->v[i].state), free(s->v[i].progress);
	free(s->v);
	names_free(&s->keys);
	memset(s, 0, sizeof *s);
}
