/*
 * rec.h - the record stream between stages (format: pipeline/FORMAT.md).
 *
 * A record is one line: fields separated by TAB, the first field its type.
 * rec_read() fills a struct rec whose fields point into storage the struct
 * owns; they stay valid until the next rec_read() or rec_free().
 */
#ifndef NM_REC_H
#define NM_REC_H

#include <stdio.h>

#include "stream/buf.h"

struct rec {
	char *line; /* the line as read, unescaped in place */
	size_t linecap;
	char **f; /* f[0] is the type */
	size_t nf, fcap;
	struct buf raw; /* the line as read, for passing it on unchanged */
	unsigned long lineno;
};

/* clang-format 14 takes a braced initializer in a macro for a block. */
/* clang-format off */
#define REC_INIT {NULL, 0, NULL, 0, 0, BUF_INIT, 0}
/* clang-format on */

/* Returns 1 for a record, 0 at end of input, -1 on a read error. */
int rec_read(struct rec *r, FILE *in);
/* Field i, or "" when the record is shorter. */
const char *rec_field(const struct rec *r, size_t i);
int rec_is(const struct rec *r, const char *type);
void rec_free(struct rec *r);

/* Writes the record exactly as it was read. */
void rec_pass(FILE *out, const struct rec *r);
/* Writes a record of the given fields, ending the list with NULL. */
void rec_put(FILE *out, const char *type, ...) __attribute__((sentinel));
/* Writes one escaped field, preceded by a TAB. */
void rec_put_field(FILE *out, const char *s);
void rec_put_fieldn(FILE *out, const char *s, size_t n);
void rec_put_long(FILE *out, long v);
void rec_end(FILE *out);

/*
 * The record kinds and their fields, named once (pipeline/FORMAT.md has the
 * same names). rec_get_KIND() fills the struct from a record just read: its
 * strings point into the record and live as long as it does; a missing
 * field reads as "" or 0. rec_put_KIND() writes one record of that kind;
 * NULL strings are written empty.
 *
 * Lists inside a field (units, leaders) are separated by a newline; the
 * workbook shows them joined with 、 (a unit name may hold a 、 of its own:
 * 各县（市、区）人民政府).
 */
#define REC_LIST_SEP '\n'

enum rec_kind {
	REC_OTHER,
	REC_FILE,
	REC_DOC,
	REC_META,
	REC_FAIL,
	REC_LINE,
	REC_HEAD,
	REC_HEADING,
	REC_ITEM,
	REC_PARA,
	REC_TAIL,
	REC_TASK,
	REC_FINDING,
	REC_END,
	REC_REPORT,
	REC_ROW,
};

enum rec_kind rec_kind(const struct rec *r);

/* file and doc: a notice to convert, and where a document begins. */
struct rec_file {
	const char *path;       /* the notice as given (bytes as the file system has them) */
	const char *outname;    /* the workbook, relative to the output directory */
	const char *owned_hash; /* hash of the workbook the last run wrote there, or "" */
};

/* meta: a fact about the notice (FORMAT.md lists the keys). */
struct rec_meta {
	const char *key, *value, *value2;
};

/* line: one line of the notice as written (decoded, line end removed). */
struct rec_line {
	long line;
	const char *text;
};

/* head: a header part. */
struct rec_head {
	long line;
	const char *text, *key, *value;
};

/* heading: 一、 (level 1) to (1) (level 4). */
struct rec_heading {
	long line;
	const char *text;
	long level;
	const char *num, *label, *body;
};

/* item: a —— item, or an item inside a paragraph (一是…, (1)…, ①…). */
struct rec_item {
	long line;
	const char *text, *body;
	const char *kind; /* "dash" (——), "inline" (一是 … inside a paragraph) */
	const char *num;  /* the item's number as written (一, 2), or "" */
};

/* row: a row of a 分工表 typed as text, its cells by the column they stand in. */
struct rec_row {
	long line;
	const char *text; /* the row as written */
	const char *num, *group, *task, *leaders, *lead, *coop, *resp, *deadline;
};

/* para: any other line of the body. */
struct rec_para {
	long line;
	const char *text;
};

/* tail: a closing part (附件, 抄送, 印发, a note). */
struct rec_tail {
	long line;
	const char *text, *kind;
};

/* task: one row of 任务分工. */
struct rec_task {
	long line;                 /* line of the task's first text */
	long seq;                  /* 序号: 1, 2, … in the notice's order */
	const char *l1, *l2;       /* labels of the enclosing 一、 and （一） headings */
	const char *content;       /* as written; may hold newlines */
	const char *leaders;       /* list */
	const char *lead, *coop;   /* lists: as shown (under --as-of, the names on that day) */
	const char *deadline;      /* YYYY-MM-DD, the end of the latest period stated, or "" */
	const char *metrics;       /* quantitative targets joined with ； */
	const char *lead_written;  /* list: lead as the notice writes it */
	const char *coop_written;  /* list: coop as the notice writes it */
	long deadline_line;        /* the line stating the deadline */
	const char *deadline_text; /* the deadline phrase as written (2020年底前), or "" */
	const char *lead_key;      /* list: lead in the tables' canonical forms, across notices */
	const char *coop_key;      /* list: coop in those forms */
	const char *num;           /* the notice's own number of the item (3, （二）), or "" */
};

/* finding: one row of 校验结果. */
struct rec_finding {
	long line; /* 0: the whole notice */
	const char *level, *rule, *message, *text;
	long seq;           /* the 序号 of the task it concerns, or 0 */
	const char *name;   /* 规则名称: the rule's name in Chinese, or "" */
	const char *advice; /* 处理建议: what staff should do, or "" */
};

/* report: the outcome for one notice. */
struct rec_report {
	const char *path, *status; /* ok, warn, failed, skipped */
	long tasks, findings;
	const char *encoding, *output, *message, *outname, *output_hash;
};

void rec_get_file(const struct rec *r, struct rec_file *v);
void rec_get_meta(const struct rec *r, struct rec_meta *v);
void rec_get_line(const struct rec *r, struct rec_line *v);
void rec_get_head(const struct rec *r, struct rec_head *v);
void rec_get_heading(const struct rec *r, struct rec_heading *v);
void rec_get_item(const struct rec *r, struct rec_item *v);
void rec_get_para(const struct rec *r, struct rec_para *v);
void rec_get_tail(const struct rec *r, struct rec_tail *v);
void rec_get_row(const struct rec *r, struct rec_row *v);
void rec_get_task(const struct rec *r, struct rec_task *v);
void rec_get_finding(const struct rec *r, struct rec_finding *v);
void rec_get_report(const struct rec *r, struct rec_report *v);

/* type is "file" or "doc". */
void rec_put_file(FILE *out, const char *type, const struct rec_file *v);
void rec_put_meta(FILE *out, const struct rec_meta *v);
void rec_put_line(FILE *out, const struct rec_line *v);
void rec_put_head(FILE *out, const struct rec_head *v);
void rec_put_heading(FILE *out, const struct rec_heading *v);
void rec_put_item(FILE *out, const struct rec_item *v);
void rec_put_para(FILE *out, const struct rec_para *v);
void rec_put_tail(FILE *out, const struct rec_tail *v);
void rec_put_row(FILE *out, const struct rec_row *v);
void rec_put_task(FILE *out, const struct rec_task *v);
void rec_put_finding(FILE *out, const struct rec_finding *v);
void rec_put_report(FILE *out, const struct rec_report *v);

#endif
