/*
 * segment - the second stage: the header, the section tree and the closing
 * parts of each notice.
 *
 * Reads the line records of a document, classifies every non-blank line as
 * head, heading, item, para or tail, and writes them in line order
 * (pipeline/FORMAT.md). A document is held until its end record because
 * the 成文日期 may stand anywhere after the 主送机关.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "stream/rec.h"
#include "rules/rules.h"
#include "stream/utf8.h"

enum kind { K_BLANK, K_PARA, K_HEAD, K_HEADING, K_ITEM, K_TAIL };

struct line {
	long no;
	char *text; /* trimmed */
	enum kind kind;
	const char *key; /* head key or tail kind */
	char *value;     /* head value */
	int level;       /* heading level 1-4 */
};

struct doc {
	struct line *v;
	size_t n, cap;
	int have_docno, have_issuer, have_title, have_recipients, have_signer;
};

static const char *const REQUIRED[] = {
	"heading.l1", "heading.l2", "heading.l3", "heading.l4", "heading.item", "header.docno",
	"header.signer", "header.issuer_mark", "header.issuer", "header.title",
	"header.recipients", "header.date", "tail.attachment", "tail.cc", "tail.printed",
	"tail.note", NULL,
};

static const char *const HEADINGS[] = {"heading.l1", "heading.l2", "heading.l3", "heading.l4"};

static struct rules rules;

static int match(const char *name, const struct line *l, struct match *m)
{
	int rc = rules_match(&rules, name, l->text, strlen(l->text), m);
	return rc > 0; /* a limit error is counted and reported per notice */
}

static void set_head(struct line *l, const char *key, const char *v, size_t n)
{
	l->kind = K_HEAD;
	l->key = key;
	free(l->value);
	l->value = nm_xstrndup(v ? v : "", v ? n : 0);
}

static int group_into(struct line *l, const struct match *m, const char *group, const char *key)
{
	size_t n;
	const char *v = match_group(m, group, &n);
	if (v)
		set_head(l, key, v, n);
	return v != NULL;
}

/* Title lines follow each other with no blank line, no sentence and no colon. */
static size_t title_lines(struct doc *d, size_t i)
{
	struct match m;
	set_head(&d->v[i], "title", d->v[i].text, strlen(d->v[i].text));
	size_t j = i + 1;
	for (; j < d->n && d->v[j].kind != K_BLANK; j++) {
		const struct line *l = &d->v[j];
		if (strstr(l->text, "。") || match("header.recipients", l, &m) ||
		    match("header.date", l, &m) || utf8_chars(l->text, strlen(l->text)) > 40)
			break;
		set_head(&d->v[j], "title", l->text, strlen(l->text));
	}
	d->have_title = 1;
	return j;
}

/* One line of the top of the notice; returns 0 where the body begins. */
static int header_line(struct doc *d, size_t *i)
{
	struct line *l = &d->v[*i];
	struct match m;
	if (!d->have_docno && match("header.docno", l, &m)) {
		group_into(l, &m, "docno", "docno");
		d->have_docno = 1;
		d->have_signer |= match_group(&m, "signer", &(size_t){0}) != NULL;
	} else if (!d->have_signer && match("header.signer", l, &m)) {
		group_into(l, &m, "signer", "signer");
		d->have_signer = 1;
	} else if (!d->have_issuer && !d->have_title && match("header.issuer_mark", l, &m)) {
		d->have_issuer = group_into(l, &m, "issuer", "issuer");
	} else if (!d->have_title && !d->have_recipients && match("header.title", l, &m) &&
		   (str_starts(l->text, "关于") || *i < 8)) {
		*i = title_lines(d, *i);
		return 1;
	} else if (!d->have_issuer && !d->have_title && match("header.issuer", l, &m)) {
		d->have_issuer = group_into(l, &m, "issuer", "issuer");
	} else if (!d->have_recipients && (d->have_title || d->have_docno) &&
		   match("header.recipients", l, &m)) {
		group_into(l, &m, "to", "recipients");
		d->have_recipients = 1;
	} else {
		return 0;
	}
	(*i)++;
	return 1;
}

static int is_heading(const struct line *l)
{
	struct match m;
	for (size_t k = 0; k < 4; k++)
		if (match(HEADINGS[k], l, &m))
			return 1;
	return 0;
}

/* The 成文日期: the first line that is only a date; the line above it may
 * be the issuer's signature. */
static void find_date(struct doc *d, size_t from)
{
	struct match m;
	for (size_t i = from; i < d->n; i++) {
		struct line *l = &d->v[i];
		if (l->kind != K_BLANK && l->kind != K_HEAD && match("header.date", l, &m)) {
			set_head(l, "date", l->text, strlen(l->text));
			size_t k = i;
			while (k > from && d->v[k - 1].kind == K_BLANK)
				k--;
			struct line *sig = k > from ? &d->v[k - 1] : NULL;
			if (sig && sig->kind == K_PARA && match("header.issuer", sig, &m))
				group_into(sig, &m, "issuer", d->have_issuer ? "signature" : "issuer");
			return;
		}
	}
}

static void classify_tail(struct doc *d, size_t i, const char *kind)
{
	d->v[i].kind = K_TAIL;
	d->v[i].key = kind;
}

/* 附件 lines (with the numbered list right under them), 抄送, 印发 lines. */
static void find_tail(struct doc *d, size_t from)
{
	static const struct {
		const char *rule, *kind;
	} TAILS[] = {
		{"tail.attachment", "attachment"},
		{"tail.cc", "cc"},
		{"tail.printed", "printed"},
		{"tail.note", "note"},
	};
	struct match m;
	for (size_t i = from; i < d->n; i++) {
		if (d->v[i].kind != K_PARA)
			continue;
		for (size_t t = 0; t < sizeof TAILS / sizeof *TAILS; t++) {
			if (!match(TAILS[t].rule, &d->v[i], &m))
				continue;
			classify_tail(d, i, TAILS[t].kind);
			if (strcmp(TAILS[t].kind, "attachment") == 0)
				while (i + 1 < d->n && d->v[i + 1].kind == K_PARA &&
				       match("heading.l3", &d->v[i + 1], &m))
					classify_tail(d, ++i, "attachment");
			break;
		}
	}
}

static void classify_body(struct doc *d, size_t from)
{
	struct match m;
	for (size_t i = from; i < d->n; i++) {
		struct line *l = &d->v[i];
		if (l->kind != K_PARA)
			continue;
		for (int k = 0; k < 4; k++) {
			if (match(HEADINGS[k], l, &m)) {
				l->kind = K_HEADING;
				l->level = k + 1;
				break;
			}
		}
		if (l->kind == K_PARA && match("heading.item", l, &m))
			l->kind = K_ITEM;
	}
}

static void segment(struct doc *d)
{
	size_t i = 0;
	while (i < d->n && d->v[i].kind == K_BLANK)
		i++;
	while (i < d->n) {
		if (d->v[i].kind == K_BLANK) {
			i++;
			continue;
		}
		if (is_heading(&d->v[i]) || !header_line(d, &i))
			break;
	}
	find_date(d, i);
	find_tail(d, i);
	classify_body(d, i);
}

static void put_line_start(FILE *out, const char *type, const struct line *l)
{
	fprintf(out, "%s\t%ld", type, l->no);
	rec_put_field(out, l->text);
}

/* A heading's label is its text up to the first 。; the rest is its body. */
static void put_heading(FILE *out, const struct line *l)
{
	struct match m;
	size_t n;
	match(HEADINGS[l->level - 1], l, &m);
	const char *num = match_group(&m, "num", &n);
	const char *stop = strstr(l->text, "。");
	size_t label = stop ? (size_t)(stop - l->text) : strlen(l->text);
	put_line_start(out, "heading", l);
	rec_put_long(out, l->level);
	rec_put_fieldn(out, num ? num : "", n);
	rec_put_fieldn(out, l->text, label);
	rec_put_field(out, stop ? stop + strlen("。") : "");
	rec_end(out);
}

static void put_item(FILE *out, const struct line *l)
{
	struct match m;
	size_t n;
	match("heading.item", l, &m);
	const char *body = match_group(&m, "text", &n);
	put_line_start(out, "item", l);
	rec_put_fieldn(out, body ? body : "", n);
	rec_end(out);
}

static void emit(FILE *out, const struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct line *l = &d->v[i];
		switch (l->kind) {
		case K_BLANK:
			break;
		case K_PARA:
			put_line_start(out, "para", l);
			rec_end(out);
			break;
		case K_HEAD:
			put_line_start(out, "head", l);
			rec_put_field(out, l->key);
			rec_put_field(out, l->value);
			rec_end(out);
			break;
		case K_HEADING:
			put_heading(out, l);
			break;
		case K_ITEM:
			put_item(out, l);
			break;
		case K_TAIL:
			put_line_start(out, "tail", l);
			rec_put_field(out, l->key);
			rec_end(out);
			break;
		}
	}
}

static void doc_add(struct doc *d, const struct rec *r)
{
	if (d->n == d->cap) {
		d->cap = d->cap ? 2 * d->cap : 256;
		d->v = nm_xrealloc(d->v, d->cap * sizeof *d->v);
	}
	size_t len = strlen(rec_field(r, 2));
	const char *t = str_trim(rec_field(r, 2), &len);
	d->v[d->n++] = (struct line){atol(rec_field(r, 1)), nm_xstrndup(t, len),
				     len ? K_PARA : K_BLANK, NULL, NULL, 0};
}

static void doc_clear(struct doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].text);
		free(d->v[i].value);
	}
	free(d->v);
	memset(d, 0, sizeof *d);
}

static void usage(FILE *to, int status)
{
	fputs("usage: nm-segment [--rules DIR]... < stream > stream\n"
	      "Classifies each line of each notice as head, heading, item, para or tail.\n", to);
	exit(status);
}

static void load_rules(int argc, char **argv)
{
	struct buf err = BUF_INIT;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(argv[i], "--rules") != 0 || ++i == argc)
			usage(stderr, NM_EUSAGE);
	}
	if (rules_from_args(&rules, argc, argv, REQUIRED, &err))
		nm_die(NM_EUSAGE, "bad rules:\n%s", buf_str(&err));
}

/* Reads records from in and writes them, transformed, to out. Returns -1
 * on a read error. (A function of its own so the fuzz targets can call it.) */
static int filter(FILE *in, FILE *out)
{
	struct rec r = REC_INIT;
	struct doc d = {0};
	int rc;
	while ((rc = rec_read(&r, in)) > 0) {
		if (rec_is(&r, "line")) {
			doc_add(&d, &r);
			continue;
		}
		if (rec_is(&r, "end")) {
			segment(&d);
			emit(out, &d);
			rules_put_limit_finding(&rules, out, "segment");
			doc_clear(&d);
		}
		rec_pass(out, &r);
	}
	if (d.n) { /* a stream cut before its end record: what came is passed on */
		segment(&d);
		emit(out, &d);
		doc_clear(&d);
	}
	rec_free(&r);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	nm_setprog(argv[0]);
	load_rules(argc, argv);
	if (filter(stdin, stdout) < 0)
		nm_die(NM_EUSAGE, "read error on standard input");
	rules_free(&rules);
	nm_close_stdout();
	return 0;
}
