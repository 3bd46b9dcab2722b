/*
 * checks.h - what is wrong with a notice: the validate stage's logic.
 *
 * checks_add() takes the records of one notice as segment and extract
 * wrote them (head, heading, item, row, para, tail, task, finding, meta);
 * checks_write() reads them as a whole, writes the issue date (meta
 * issue_date) and every finding in line order, then forgets the notice.
 * Findings name the rule (rules/findings.words gives its Chinese name and
 * what staff should do about it), say in one sentence what is wrong and how
 * to put it right, quote about 30 characters of the notice as written
 * around the hit, and carry the 序号 of the task whose lines hold it.
 *
 * The checks, one file each: numbering (checks_numbering.c), stated counts
 * against the items they introduce (checks_counts.c), dates, year ranges
 * and deadlines (checks_dates.c), document numbers (checks_docnos.c), the
 * header (checks_header.c), the tasks' fields (checks_tasks.c); the
 * records, the findings and the encoding are here (checks.c).
 *
 * A struct checks owns everything it holds; checks_free() releases it.
 * Texts are kept as written (struct ntext): patterns see the normalised
 * form, findings quote the written one.
 */
#ifndef NM_CHECKS_H
#define NM_CHECKS_H

#include <stdio.h>

#include "notice/dates.h"
#include "rules/rules.h"
#include "stream/ntext.h"
#include "stream/rec.h"

/* The patterns the checks read (rules/checks.rules, rules/header.rules). */
extern const struct rule_need CHECKS_NEEDS[];

enum chk_kind { CK_HEAD, CK_HEADING, CK_ITEM, CK_INLINE, CK_ROW, CK_PARA, CK_TAIL };

/* How the 成文日期 is written. */
enum chk_issue { ISSUE_NONE, ISSUE_WHOLE, ISSUE_NODAY, ISSUE_INVALID, ISSUE_NOYEAR };

/* One record of the notice's text, in stream order. */
struct chk_rec {
	enum chk_kind kind;
	long line;
	struct ntext t; /* the record's text */
	int level;      /* headings: 1 (一、) to 5 (①); others 0 */
	long num;       /* headings, items, rows: the value of the number, or -1 */
	char *num_text; /* the number as written (四, 16), or "" */
	char *key;      /* head: its key; tail: its kind; row: its group; else "" */
	char *value;    /* head: its value (the date, the number); else "" */
	size_t label;   /* headings: where the label ends in t.norm (its first 。) */
};

/* One task record, as far as the checks read it. */
struct chk_task {
	long line, seq, deadline_line;
	char *content, *lead, *coop, *leaders, *deadline, *deadline_text;
};

struct chk_finding {
	long line;
	const char *level; /* 错误, 警告, 提示: static strings */
	char *rule, *message, *text, *name, *advice;
	long seq;
};

struct checks {
	struct rules *rs;
	struct chk_rec *r;
	size_t nr, rcap;
	struct chk_task *t;
	size_t nt, tcap;
	struct chk_finding *f;
	size_t nf, fcap;
	long docno, date; /* the head records of the 发文字号 and 成文日期, or -1 */
	int have_title;
	struct ymd issue; /* the 成文日期 (y 0: none; m, d 0: not stated) */
	int issue_whole;  /* the 成文日期 is a whole valid date */
	enum chk_issue issue_form;
	size_t invalid, dropped; /* bytes decode replaced; control characters it dropped */
	int open;                /* inside a doc … end group: findings are kept */
	/* Lookups by line, built when first needed (checks_index). */
	size_t *by_line;             /* indices of r, ordered by line */
	long *task_end;              /* the last line of each task */
	size_t *task_by_line;        /* indices of t, ordered by line */
	size_t indexed_r, indexed_t; /* the counts the index was built for */
};

void checks_init(struct checks *C, struct rules *rs);
/*
 * Takes one record of the notice. Returns 1 when the record goes on
 * unchanged, 0 when the checks keep it: findings of earlier stages are
 * written again, in line order among the others, with the task's 序号,
 * the rule's name and advice filled in where they were empty.
 */
int checks_add(struct checks *C, const struct rec *r);
/*
 * Runs every check on the notice taken so far, appending to C->f
 * (checks_write does this). complete 0: the stream was cut inside the
 * notice; only what the text shows is checked, not what the notice lacks.
 */
void checks_run(struct checks *C, int complete);
/* Runs the checks, writes meta issue_date and the findings sorted by line,
 * then forgets the notice. */
void checks_write(struct checks *C, FILE *out, int complete);
/* Forgets the notice. */
void checks_reset(struct checks *C);
void checks_free(struct checks *C);

/* ---- Shared by the checks_*.c files, and reachable from the tests ---- */

/*
 * The checks by purpose, in the order checks_run calls them; each appends
 * findings to C. checks_issue_date reads the 成文日期 (C->issue) the others
 * read; checks_header reports it after checks_dates has read every date.
 */
void checks_issue_date(struct checks *C);
void checks_dates(struct checks *C);
void checks_docnos(struct checks *C);
void checks_numbering(struct checks *C);
void checks_counts(struct checks *C);
void checks_header(struct checks *C, int complete);
void checks_tasks(struct checks *C, int complete);

/*
 * Adds a finding at line about the normalised span [a, b) of t (t NULL:
 * no text). The message is formatted; the text is about 30 characters of t
 * as written around the span.
 */
void checks_add_finding(struct checks *C, long line, const char *level, const char *rule,
			const struct ntext *t, size_t a, size_t b, const char *fmt, ...)
	__attribute__((format(printf, 8, 9)));
/* Where s (as written; normalised here) occurs in r's normalised text: its
 * start, and its end in *end (0 when it does not occur). */
size_t checks_find(const struct chk_rec *r, const char *s, size_t *end);
/* About 30 characters of t as written around the normalised span [a, b). */
char *checks_excerpt(const struct ntext *t, size_t a, size_t b);
/* The rule's name and advice from rules/findings.words, or NULL. */
const char *checks_rule_name(const struct rules *rs, const char *rule);
const char *checks_rule_advice(const struct rules *rs, const char *rule);
/* The 序号 of the task whose lines hold line, or 0. */
long checks_task_at(struct checks *C, long line);
/* The first record at line that is not an inline item, or NULL. */
const struct chk_rec *checks_rec_at(struct checks *C, long line);
/* Where the records of line start in C->by_line, and where they end (*end). */
size_t checks_line_range(struct checks *C, long line, size_t *end);

/*
 * Where a scan of s[0..n) goes on after a match [a, b): at b, or past the
 * character at a when the match is empty (a scan never stands still, and
 * never starts inside a character).
 */
size_t checks_past(const char *s, size_t n, size_t a, size_t b);
/* The value of a heading or item number: 16, 十六, （十六） without marks, ⑯. -1 if none. */
long checks_number(const char *s, size_t n);
/* Writes v as the notice writes its numbers: Chinese numerals (chinese), circled or Arabic. */
void checks_format_number(struct buf *out, long v, int chinese);
/*
 * The items of a list written with 、 in s[0..n) (a 、 inside brackets
 * belongs to its item); 0 when s holds no 、 outside brackets, or an empty
 * item (the list goes on beyond s). The length
 * in characters of the longest item but the first goes to *longest.
 */
int checks_list_items(const char *s, size_t n, size_t *longest);
/* Whether the record at i is a heading (or row) that the numbering check
 * passes over: an attachment list going on after 附件：1.… */
int checks_in_attachment_list(const struct checks *C, size_t i);

#endif
