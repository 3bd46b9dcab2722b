/*
 * fuzz_stream.h - helpers the stage fuzz targets share: building a record
 * stream (pipeline/FORMAT.md) from fuzz bytes, running a stage's filter()
 * on it in memory, and checking what the stage wrote.
 *
 * Included by fuzz_segment.c, fuzz_extract.c and fuzz_validate.c after the
 * stage file, so everything here is static.
 */
#ifndef NM_FUZZ_STREAM_H
#define NM_FUZZ_STREAM_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/buf.h"
#include "stream/err.h"
#include "stream/rec.h"
#include "rules/rules.h"
#include "stream/utf8.h"

#define FZ_UNUSED __attribute__((unused))

/* Appends one field, TAB first, escaped as rec.c's writer does. */
static void fz_field(struct buf *b, const char *s, size_t n)
{
	buf_addc(b, '\t');
	for (size_t i = 0; i < n; i++) {
		switch (s[i]) {
		case '\t':
			buf_adds(b, "\\t");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		default:
			buf_addc(b, s[i]);
		}
	}
}

FZ_UNUSED static void fz_fields(struct buf *b, const char *s) { fz_field(b, s, strlen(s)); }

FZ_UNUSED static void fz_num(struct buf *b, long v) { buf_printf(b, "\t%ld", v); }

/*
 * Calls fn(line, len, ctx) for each line of data, split at LF, CRLF or CR
 * as decode's emit_lines does.
 */
static void fz_lines(const uint8_t *data, size_t size, void (*fn)(const char *, size_t, void *),
		     void *ctx)
{
	const char *s = (const char *)data, *end = s + size;
	while (s < end) {
		const char *eol = s;
		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		fn(s, (size_t)(eol - s), ctx);
		s = eol + (eol < end);
		if (eol < end && *eol == '\r' && s < end && *s == '\n')
			s++;
	}
}

/* True when the stream is already records: it starts with a doc record. */
static int fz_is_stream(const uint8_t *data, size_t size)
{
	return size >= 4 && memcmp(data, "doc\t", 4) == 0;
}

static int fz_stream_utf8(const char *s, size_t n) { return utf8_valid(s, n, NULL); }

/*
 * A record stream is UTF-8 (FORMAT.md) and the stages match it with
 * PCRE2_NO_UTF_CHECK, so invalid UTF-8 in a raw stream makes PCRE2 read out
 * of bounds (regressions/fuzz_extract/crash-21553cc4). Until the stages guard
 * against it, raw streams get every invalid byte replaced by U+FFFD, which
 * keeps TAB, newline and backslash where they were. Build with
 * -DFUZZ_RAW_BYTES to feed them unrepaired.
 */
static const char *fz_raw_stream(const uint8_t *data, size_t size, struct buf *fixed, size_t *n)
{
	*n = size;
#ifdef FUZZ_RAW_BYTES
	(void)fixed;
	return (const char *)data;
#else
	const char *s = (const char *)data;
	if (utf8_valid(s, size, NULL))
		return s;
	uint32_t c;
	for (size_t i = 0; i < size;) {
		size_t len = utf8_decode(s + i, size - i, &c);
		if (len)
			buf_add(fixed, s + i, len);
		else
			buf_adds(fixed, UTF8_REPLACEMENT);
		i += len ? len : 1;
	}
	*n = fixed->len;
	return fixed->s;
#endif
}

/* The rules directory: $NM_FUZZ_RULES, or "rules" (run from the top). */
FZ_UNUSED static void fz_load_rules(void (*load)(int, char **), char *prog)
{
	char *dir = getenv("NM_FUZZ_RULES");
	char *args[] = {prog, "--rules", dir ? dir : "rules", NULL};
	nm_setprog(prog);
	load(3, args);
}

/*
 * Heading records made consistent as segment writes them: LABEL is TEXT up
 * to the first 。 and BODY what follows it. extract cuts LABEL's length off
 * TEXT, so a LABEL that is not a prefix of TEXT cuts a character in two
 * (regressions/fuzz_extract/crash-ce751ce4); streams from segment never have
 * one. Build with -DFUZZ_RAW_RECORDS to feed headings as they are.
 */
FZ_UNUSED static void fz_consistent(const char *s, size_t n, struct buf *fixed)
{
	buf_reset(fixed);
#ifdef FUZZ_RAW_RECORDS
	buf_add(fixed, s, n);
#else
	FILE *in = fmemopen((void *)s, n, "r");
	char *out = NULL;
	size_t outlen = 0;
	FILE *o = open_memstream(&out, &outlen);
	if (!in || !o)
		abort();
	struct rec r = REC_INIT;
	while (rec_read(&r, in) > 0) {
		if (!rec_is(&r, "heading") || r.nf < 3) {
			rec_pass(o, &r);
			continue;
		}
		const char *text = r.f[2], *stop = strstr(text, "。");
		fputs("heading", o);
		for (size_t i = 1; i < 5; i++)
			rec_put_field(o, rec_field(&r, i));
		rec_put_fieldn(o, text, stop ? (size_t)(stop - text) : strlen(text));
		rec_put_field(o, stop ? stop + strlen("。") : "");
		for (size_t i = 7; i < r.nf; i++)
			rec_put_field(o, r.f[i]);
		rec_end(o);
	}
	rec_free(&r);
	fclose(in);
	fclose(o);
	buf_add(fixed, out, outlen);
	free(out);
#endif
}

/* Whether a stage consumes (does not pass on) the input line s[0..n). */
typedef int (*fz_consumed_fn)(const char *s, size_t n);

/*
 * Every input record not consumed comes out again, unchanged and in
 * order (FORMAT.md: "A stage passes on every record it does not consume").
 * Lines are compared byte for byte; an unterminated last input line comes
 * out with a newline.
 */
static void fz_check_passed(const char *in, size_t inlen, const char *out, size_t outlen,
			    fz_consumed_fn consumed)
{
	const char *p = in, *end = in + inlen, *o = out, *oend = out + outlen;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!consumed || !consumed(p, n)) {
			int found = 0;
			while (o < oend) {
				const char *onl = memchr(o, '\n', (size_t)(oend - o));
				size_t on = onl ? (size_t)(onl - o) : (size_t)(oend - o);
				const char *line = o;
				o = onl ? onl + 1 : oend;
				if (on == n && memcmp(line, p, n) == 0) {
					found = 1;
					break;
				}
			}
			if (!found) {
				fprintf(stderr, "fuzz: input record not passed on in order: %.*s\n",
					(int)(n > 200 ? 200 : n), p);
				abort();
			}
		}
		p = nl ? nl + 1 : end;
	}
}

/*
 * Runs filter over the stream s[0..n) and checks the output: valid UTF-8
 * when the input was, and every unconsumed record passed on in order.
 */
static void fz_run(int (*filter_fn)(FILE *, FILE *), const char *s, size_t n,
		   fz_consumed_fn consumed)
{
	if (n == 0)
		return;
	FILE *in = fmemopen((void *)s, n, "r");
	if (!in)
		abort();
	char *out = NULL;
	size_t outlen = 0;
	FILE *o = open_memstream(&out, &outlen);
	if (!o)
		abort();
	if (filter_fn(in, o) < 0) {
		fprintf(stderr, "fuzz: filter reported a read error on a memory stream\n");
		abort();
	}
	fclose(in);
	fclose(o);
	if (fz_stream_utf8(s, n) && !fz_stream_utf8(out, outlen)) {
		size_t bad = 0;
		utf8_valid(out, outlen, &bad);
		size_t from = bad > 60 ? bad - 60 : 0;
		fprintf(stderr, "fuzz: stage wrote invalid UTF-8 at byte %zu: ...%.*s...\n", bad,
			(int)(bad + 20 < outlen ? bad + 20 - from : outlen - from), out + from);
		abort();
	}
	fz_check_passed(s, n, out, outlen, consumed);
	free(out);
}

/*
 * Records as segment writes them, from lines of fuzz bytes, for the stages
 * after it. The first byte of a line chooses the record; the rest, after
 * normalisation (valid UTF-8, no controls), is its text:
 *
 *   hLTEXT   heading of level L (a digit; 0 and 5-9 test the bounds)
 *   pTEXT    para       iTEXT  item
 *   aKTEXT   tail of kind K (0-3: attachment cc printed note)
 *   dKTEXT   head of key K (0-6: docno signer issuer title recipients
 *            date signature)
 *            (other characters as L, K: their code point modulo the count)
 *   tA;B;... task: LINE, SEQ, then L1 L2 CONTENT LEADERS LEAD COOP DEADLINE
 *            METRICS LEAD_WRITTEN COOP_WRITTEN DEADLINE_LINE split at ';'
 *   mKTEXT   meta: K 'i' invalid COUNT FIRST, 'd' dropped COUNT, else
 *            encoding TEXT
 *   D        ends the document and starts another
 *
 * With a '|' in the text the fields after the type are exactly the pieces
 * between the bars, unescaped as a reader does (so \n in them is a
 * newline). Any other line is classified with the rules as segment would
 * (heading.l1-l4, heading.item, header.docno, header.date, header.title in
 * the first lines), else it is a para.
 */
struct fz_gen {
	struct rules *rs;
	struct buf out, text;
	long no, seq;
	int body; /* a heading has been seen */
};

static const char *const FZ_HEAD_KEYS[] = {"docno",      "signer", "issuer",   "title",
					   "recipients", "date",   "signature"};
static const char *const FZ_TAIL_KINDS[] = {"attachment", "cc", "printed", "note"};
static const char *const FZ_HEADINGS[] = {"heading.l1", "heading.l2", "heading.l3", "heading.l4"};

static void fz_start(struct fz_gen *g, const char *type)
{
	buf_adds(&g->out, type);
	buf_printf(&g->out, "\t%ld", g->no);
}

static void fz_heading(struct fz_gen *g, const char *t, size_t n, int level, struct match *m)
{
	size_t numlen = 0;
	const char *num = m ? match_group(m, "num", &numlen) : NULL;
	char digits[8];
	if (!num) { /* the leading digits or numerals of the text */
		size_t k = 0;
		while (k < n && k < sizeof digits - 1 && t[k] >= '0' && t[k] <= '9')
			digits[k] = t[k], k++;
		digits[k] = '\0';
		num = digits, numlen = k;
	}
	char *num_copy = strndup(num, numlen);
	const char *stop = strstr(t, "。");
	size_t label = stop ? (size_t)(stop - t) : n;
	fz_start(g, "heading");
	fz_field(&g->out, t, n);
	fz_num(&g->out, level);
	fz_field(&g->out, num_copy, numlen);
	fz_field(&g->out, t, label);
	fz_fields(&g->out, stop ? stop + strlen("。") : "");
	free(num_copy);
	g->body = 1;
}

static void fz_item(struct fz_gen *g, const char *t, size_t n, struct match *m)
{
	size_t blen = n;
	const char *body = t;
	if (m && !(body = match_group(m, "text", &blen)))
		body = "", blen = 0;
	else if (!m)
		for (uint32_t c; blen && *body != '\0';) { /* leading dashes and spaces */
			size_t k = utf8_decode(body, blen, &c);
			if (!k ||
			    (c != '-' && c != ' ' && c != 0x2014 && c != 0x2015 && c != 0x2500))
				break;
			body += k, blen -= k;
		}
	char *copy = strndup(body, blen);
	fz_start(g, "item");
	fz_field(&g->out, t, n);
	fz_field(&g->out, copy, blen);
	free(copy);
}

static void fz_head(struct fz_gen *g, const char *t, size_t n, const char *key, const char *v,
		    size_t vn)
{
	char *copy = strndup(v, vn);
	fz_start(g, "head");
	fz_field(&g->out, t, n);
	fz_fields(&g->out, key);
	fz_fields(&g->out, copy);
	free(copy);
}

/* A line with no selector: classified as segment would, roughly. */
static void fz_auto(struct fz_gen *g, const char *t, size_t n)
{
	struct match m;
	size_t vn;
	const char *v;
	for (int k = 0; k < 4; k++)
		if (rules_match(g->rs, FZ_HEADINGS[k], t, n, &m) > 0) {
			fz_heading(g, t, n, k + 1, &m);
			return;
		}
	if (rules_match(g->rs, "heading.item", t, n, &m) > 0) {
		fz_item(g, t, n, &m);
		return;
	}
	if (rules_match(g->rs, "header.date", t, n, &m) > 0) {
		fz_head(g, t, n, "date", t, n);
		return;
	}
	if (!g->body && rules_match(g->rs, "header.docno", t, n, &m) > 0) {
		if (!(v = match_group(&m, "docno", &vn)))
			v = t, vn = n;
		fz_head(g, t, n, "docno", v, vn);
		return;
	}
	if (!g->body && g->no < 8 && rules_match(g->rs, "header.title", t, n, &m) > 0) {
		fz_head(g, t, n, "title", t, n);
		return;
	}
	fz_start(g, "para");
	fz_field(&g->out, t, n);
}

static void fz_task(struct fz_gen *g, const char *t, size_t n)
{
	fz_start(g, "task");
	fz_num(&g->out, ++g->seq);
	const char *p = t, *end = t + n;
	for (int k = 0; k < 11; k++) {
		const char *semi = p < end ? memchr(p, ';', (size_t)(end - p)) : NULL;
		const char *stop = semi ? semi : end;
		if (p < end)
			fz_field(&g->out, p, (size_t)(stop - p));
		else
			fz_field(&g->out, "", 0);
		p = semi ? semi + 1 : end;
	}
}

static void fz_gen_line(const char *s, size_t n, void *ctx)
{
	struct fz_gen *g = ctx;
	g->no++;
	buf_reset(&g->text);
	utf8_normalise(&g->text, s, n);
	const char *t = buf_str(&g->text);
	size_t len = g->text.len;
	char sel = len ? t[0] : '\0';
	if (strchr("hpiadtmD", sel) && sel && len >= 1) {
		const char *rest = t + 1;
		size_t rn = len - 1;
		/* The parameter (level, key, kind) is a whole character. */
		uint32_t pc = 0;
		size_t pl = rn ? utf8_decode(rest, rn, &pc) : 0;
		if (rn && !pl)
			pl = 1;
		const char *ptext = rest + pl;
		size_t pn = rn - pl;
		const char *bar = memchr(rest, '|', rn);
		if (sel == 'D') {
			buf_adds(&g->out, "end\ndoc\tfuzz\tx.xlsx");
			g->body = 0, g->seq = 0;
		} else if (bar) { /* explicit fields */
			static const char SELS[] = "hpiadtm";
			static const char *const TYPES[] = {"heading", "para", "item", "tail",
							    "head",    "task", "meta"};
			buf_adds(&g->out, TYPES[strchr(SELS, sel) - SELS]);
			for (const char *p = rest, *end = rest + rn; p <= end;) {
				const char *q = memchr(p, '|', (size_t)(end - p));
				if (!q)
					q = end;
				buf_addc(&g->out, '\t');
				buf_add(&g->out, p, (size_t)(q - p));
				p = q + 1;
			}
		} else if (sel == 'h') {
			int level = !rn                      ? 1
				    : pc >= '0' && pc <= '9' ? (int)(pc - '0')
							     : (int)(pc % 4) + 1;
			fz_heading(g, ptext, pn, level, NULL);
		} else if (sel == 'p') {
			fz_start(g, "para");
			fz_field(&g->out, rest, rn);
		} else if (sel == 'i') {
			fz_item(g, rest, rn, NULL);
		} else if (sel == 'a') {
			fz_start(g, "tail");
			fz_field(&g->out, ptext, pn);
			fz_fields(&g->out,
				  FZ_TAIL_KINDS[pc >= '0' && pc <= '3' ? pc - '0' : pc % 4]);
		} else if (sel == 'd') {
			fz_head(g, ptext, pn,
				FZ_HEAD_KEYS[pc >= '0' && pc <= '6' ? pc - '0' : pc % 7], ptext,
				pn);
		} else if (sel == 't') {
			fz_task(g, rest, rn);
		} else if (sel == 'm') {
			buf_adds(&g->out, "meta");
			if (pc == 'i') {
				fz_fields(&g->out, "invalid");
				fz_num(&g->out, atol(ptext));
				fz_num(&g->out, (long)pn);
			} else if (pc == 'd') {
				fz_fields(&g->out, "dropped");
				fz_num(&g->out, atol(ptext));
			} else {
				fz_fields(&g->out, "encoding");
				fz_field(&g->out, ptext, pn);
			}
		}
	} else if (len == 0) {
		return; /* segment writes nothing for a blank line */
	} else {
		fz_auto(g, t, len);
	}
	buf_addc(&g->out, '\n');
}

/* The stream for the stages after segment: doc, the records, end. */
FZ_UNUSED static void fz_typed_stream(struct rules *rs, const uint8_t *data, size_t size,
				      struct buf *out)
{
	struct fz_gen g = {rs, BUF_INIT, BUF_INIT, 0, 0, 0};
	buf_adds(&g.out, "doc\tfuzz\tx.xlsx\n");
	fz_lines(data, size, fz_gen_line, &g);
	buf_adds(&g.out, "end\n");
	buf_free(&g.text);
	rs->limit_hits = 0; /* the stage's own limit hits are what it reports */
	rs->limit_rule = NULL;
	*out = g.out;
}

#endif
