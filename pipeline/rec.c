/* rec.c - reading and writing the escaped, TAB-separated record stream. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "err.h"
#include "rec.h"
#include "utf8.h"

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
 * Windows archive); in every other record the text must be UTF-8, which
 * the stages' patterns take for granted (PCRE2_NO_UTF_CHECK). */
static int may_hold_raw_bytes(const char *line)
{
	return str_starts(line, "file\t") || str_starts(line, "doc\t") ||
	       str_starts(line, "report\t");
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

const char *rec_field(const struct rec *r, size_t i)
{
	return i < r->nf ? r->f[i] : "";
}

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
		const char *esc = *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : *p == '\r' ? "\\r"
			: *p == '\\' ? "\\\\" : NULL;
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

void rec_put_finding(FILE *out, long line, const char *level, const char *rule,
		     const char *message, const char *text)
{
	fprintf(out, "finding\t%ld", line);
	rec_put_field(out, level);
	rec_put_field(out, rule);
	rec_put_field(out, message);
	rec_put_field(out, text);
	rec_end(out);
}

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
