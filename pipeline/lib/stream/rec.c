/* rec.c - reading and writing the escaped, TAB-separated record stream. */
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "stream/err.h"
#include "stream/rec.h"
#include "stream/utf8.h"

static void split_fields(struct rec *r)
{
	r->nf = 0;
	char *p = r->line, *w = p;
	for (;;) {
		if (r->nf == r->fcap) {
			r->fcap = r->fcap ? 2 * r->fcap : 16;
			r->f = nm_xrealloc(r->f, r->fcap * sizeof *r->f);
		}
		r->f[r->nf++] = w;
		for (; *p && *p != '\t'; p++) {
			if (*p == '\\' && p[1] && strchr("tnr\\", p[1])) {
				p++;
				*w++ = *p == 't' ? '\t' : *p == 'n' ? '\n' : *p == 'r' ? '\r' : *p;
			} else {
				*w++ = *p;
			}
		}
		int more = *p == '\t';
		*w = '\0';
		if (!more)
			return;
		w = ++p;
	}
}

/* Records naming files may hold a name's bytes as they are (GB18030 from a
 * Windows archive): file, doc, report, and the driver's manifest entries;
 * in every other record the text must be UTF-8, which the stages' patterns
 * take for granted (PCRE2_NO_UTF_CHECK). */
static int may_hold_raw_bytes(const char *line)
{
	return str_starts(line, "file\t") || str_starts(line, "doc\t") ||
	       str_starts(line, "report\t") || str_starts(line, "entry\t");
}

int rec_read(struct rec *r, FILE *in)
{
	ssize_t n = getline(&r->line, &r->linecap, in);
	if (n < 0)
		return ferror(in) ? -1 : 0;
	if (n > 0 && r->line[n - 1] == '\n')
		r->line[--n] = '\0';
	buf_reset(&r->raw);
	if (!utf8_valid(r->line, (size_t)n, NULL) && !may_hold_raw_bytes(r->line)) {
		utf8_scrub(&r->raw, r->line); /* a damaged stream: U+FFFD for what is not UTF-8 */
		if (r->raw.len + 1 > r->linecap) {
			r->linecap = r->raw.len + 1;
			r->line = nm_xrealloc(r->line, r->linecap);
		}
		memcpy(r->line, r->raw.s, r->raw.len + 1);
		n = (ssize_t)r->raw.len;
	} else {
		buf_add(&r->raw, r->line, (size_t)n);
	}
	r->lineno++;
	split_fields(r);
	return 1;
}

const char *rec_field(const struct rec *r, size_t i) { return i < r->nf ? r->f[i] : ""; }

int rec_is(const struct rec *r, const char *type)
{
	return r->nf > 0 && strcmp(r->f[0], type) == 0;
}

void rec_free(struct rec *r)
{
	free(r->line);
	free(r->f);
	buf_free(&r->raw);
	*r = (struct rec)REC_INIT;
}

void rec_pass(FILE *out, const struct rec *r)
{
	fwrite(buf_str(&r->raw), 1, r->raw.len, out);
	putc('\n', out);
}

void rec_put_fieldn(FILE *out, const char *s, size_t n)
{
	putc('\t', out);
	const char *run = s, *end = s + n;
	for (const char *p = s; p < end; p++) {
		const char *esc = *p == '\t'   ? "\\t"
				  : *p == '\n' ? "\\n"
				  : *p == '\r' ? "\\r"
				  : *p == '\\' ? "\\\\"
					       : NULL;
		if (!esc)
			continue;
		fwrite(run, 1, (size_t)(p - run), out);
		fputs(esc, out);
		run = p + 1;
	}
	fwrite(run, 1, (size_t)(end - run), out);
}

void rec_put_field(FILE *out, const char *s) { rec_put_fieldn(out, s, strlen(s)); }

void rec_put_long(FILE *out, long v) { fprintf(out, "\t%ld", v); }

void rec_end(FILE *out) { putc('\n', out); }

void rec_put(FILE *out, const char *type, ...)
{
	fputs(type, out);
	va_list ap;
	va_start(ap, type);
	for (const char *s; (s = va_arg(ap, const char *));)
		rec_put_field(out, s);
	va_end(ap);
	putc('\n', out);
}

/* ---- The schema: every field of every record kind, in stream order ---- */

struct slot {
	size_t off;
	char kind; /* 's' a string, 'l' a number */
};

/* clang-format 14 takes a braced initializer in a macro for a block. */
/* clang-format off */
#define S(type, name) {offsetof(struct type, name), 's'}
#define L(type, name) {offsetof(struct type, name), 'l'}
/* clang-format on */
#define N(a) (sizeof(a) / sizeof *(a))

static const struct slot FILE_SLOTS[] = {
	S(rec_file, path),
	S(rec_file, outname),
	S(rec_file, owned_hash),
};
static const struct slot META_SLOTS[] = {
	S(rec_meta, key),
	S(rec_meta, value),
	S(rec_meta, value2),
};
static const struct slot LINE_SLOTS[] = {L(rec_line, line), S(rec_line, text)};
static const struct slot HEAD_SLOTS[] = {
	L(rec_head, line),
	S(rec_head, text),
	S(rec_head, key),
	S(rec_head, value),
};
static const struct slot HEADING_SLOTS[] = {
	L(rec_heading, line), S(rec_heading, text),  L(rec_heading, level),
	S(rec_heading, num),  S(rec_heading, label), S(rec_heading, body),
};
static const struct slot ITEM_SLOTS[] = {
	L(rec_item, line), S(rec_item, text), S(rec_item, body),
	S(rec_item, kind), S(rec_item, num),
};
static const struct slot ROW_SLOTS[] = {
	L(rec_row, line), S(rec_row, text),     S(rec_row, num),  S(rec_row, group),
	S(rec_row, task), S(rec_row, leaders),  S(rec_row, lead), S(rec_row, coop),
	S(rec_row, resp), S(rec_row, deadline),
};
static const struct slot PARA_SLOTS[] = {L(rec_para, line), S(rec_para, text)};
static const struct slot TAIL_SLOTS[] = {L(rec_tail, line), S(rec_tail, text), S(rec_tail, kind)};
static const struct slot TASK_SLOTS[] = {
	L(rec_task, line),
	L(rec_task, seq),
	S(rec_task, l1),
	S(rec_task, l2),
	S(rec_task, content),
	S(rec_task, leaders),
	S(rec_task, lead),
	S(rec_task, coop),
	S(rec_task, deadline),
	S(rec_task, metrics),
	S(rec_task, lead_written),
	S(rec_task, coop_written),
	L(rec_task, deadline_line),
	S(rec_task, deadline_text),
	S(rec_task, lead_key),
	S(rec_task, coop_key),
	S(rec_task, num),
};
static const struct slot FINDING_SLOTS[] = {
	L(rec_finding, line), S(rec_finding, level), S(rec_finding, rule), S(rec_finding, message),
	S(rec_finding, text), L(rec_finding, seq),   S(rec_finding, name), S(rec_finding, advice),
};
static const struct slot REPORT_SLOTS[] = {
	S(rec_report, path),     S(rec_report, status),   L(rec_report, tasks),
	L(rec_report, findings), S(rec_report, encoding), S(rec_report, output),
	S(rec_report, message),  S(rec_report, outname),  S(rec_report, output_hash),
};

static void get(const struct rec *r, void *v, const struct slot *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *at = (char *)v + s[i].off;
		const char *f = rec_field(r, i + 1);
		if (s[i].kind == 'l')
			*(long *)at = strtol(f, NULL, 10);
		else
			*(const char **)at = f;
	}
}

static void put(FILE *out, const char *type, const void *v, const struct slot *s, size_t n)
{
	fputs(type, out);
	for (size_t i = 0; i < n; i++) {
		const char *at = (const char *)v + s[i].off;
		if (s[i].kind == 'l') {
			rec_put_long(out, *(const long *)at);
		} else {
			const char *str = *(const char *const *)at;
			rec_put_field(out, str ? str : "");
		}
	}
	rec_end(out);
}

static const struct {
	const char *name;
	enum rec_kind kind;
} KINDS[] = {
	{"line", REC_LINE}, {"para", REC_PARA},       {"heading", REC_HEADING},
	{"item", REC_ITEM}, {"head", REC_HEAD},       {"tail", REC_TAIL},
	{"task", REC_TASK}, {"finding", REC_FINDING}, {"meta", REC_META},
	{"doc", REC_DOC},   {"end", REC_END},         {"file", REC_FILE},
	{"fail", REC_FAIL}, {"report", REC_REPORT},   {"row", REC_ROW},
};

enum rec_kind rec_kind(const struct rec *r)
{
	if (r->nf == 0)
		return REC_OTHER;
	for (size_t i = 0; i < N(KINDS); i++)
		if (strcmp(r->f[0], KINDS[i].name) == 0)
			return KINDS[i].kind;
	return REC_OTHER;
}

#define SCHEMA(kind, type, slots)                                                                \
	void rec_get_##kind(const struct rec *r, struct type *v) { get(r, v, slots, N(slots)); } \
	void rec_put_##kind(FILE *out, const struct type *v)                                     \
	{                                                                                        \
		put(out, #kind, v, slots, N(slots));                                             \
	}

SCHEMA(meta, rec_meta, META_SLOTS)
SCHEMA(line, rec_line, LINE_SLOTS)
SCHEMA(head, rec_head, HEAD_SLOTS)
SCHEMA(heading, rec_heading, HEADING_SLOTS)
SCHEMA(item, rec_item, ITEM_SLOTS)
SCHEMA(para, rec_para, PARA_SLOTS)
SCHEMA(tail, rec_tail, TAIL_SLOTS)
SCHEMA(row, rec_row, ROW_SLOTS)
SCHEMA(task, rec_task, TASK_SLOTS)
SCHEMA(finding, rec_finding, FINDING_SLOTS)
SCHEMA(report, rec_report, REPORT_SLOTS)

void rec_get_file(const struct rec *r, struct rec_file *v) { get(r, v, FILE_SLOTS, N(FILE_SLOTS)); }

void rec_put_file(FILE *out, const char *type, const struct rec_file *v)
{
	put(out, type, v, FILE_SLOTS, N(FILE_SLOTS));
}
