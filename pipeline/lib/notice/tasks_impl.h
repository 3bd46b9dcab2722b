/*
 * tasks_impl.h - what the files of the task logic share (tasks.c reads the
 * records and writes the tasks, tasks_mark.c attaches markings, tasks_put.c
 * makes each task's fields). Private to lib/notice.
 */
#ifndef NM_TASKS_IMPL_H
#define NM_TASKS_IMPL_H

#include <stdio.h>

#include "notice/tasks.h"
#include "notice/unitnames.h"

enum nkind { N_HEADING, N_ITEM, N_INLINE, N_PARA, N_ROW };

struct node {
	long line;
	enum nkind kind;
	int level;      /* headings 1-5; other nodes 6 */
	int parent;     /* the enclosing node, or -1 */
	struct ntext t; /* the node's text as its record has it */
	size_t body;    /* headings: where the body starts (after the label's 。) */
	size_t label;   /* headings: where the label ends */
	char *num;
	struct roles roles;
	struct cuts cuts;
	enum resp_found found;
	int fields;      /* field blocks attached to it */
	int block;       /* a paragraph that is only a field block (attached elsewhere) */
	int absorbed;    /* a sub-item whose text went to its parent */
	int task, scope; /* is a task; is a heading whose marking passes down */
	int inline_tail; /* its items' text follows its own with no line between */
	int blank, same; /* rows: cells left empty, cells saying 同上 (bits of ROW_KINDS) */
	long deadline_line;
	struct buf extra;        /* text of sub-items absorbed into it */
	char *whole;             /* inline items: the item with its 一是 */
	char *group;             /* rows: the group row above (一、…) */
	struct roles grouproles; /* rows: what the group row names */
	struct segment *segs;    /* several tasks in one paragraph, each closed by its marking */
	size_t nseg;
	size_t seg_a, seg_b; /* a copy of the node for one segment: its text is [seg_a, seg_b) */
};

struct segment {
	size_t a, b;
	struct roles roles;
};

/* tasks_mark.c */
int has_content(const struct node *n, size_t a, size_t b);
size_t number_end(const struct node *n);
/* Node i is a unit's name alone on a line above numbered items: their lead. */
int unit_heading(struct tasks *T, size_t i);
void merge_roles(struct roles *into, const struct roles *from);
void read_markings(struct tasks *T);
void close_paragraphs(struct tasks *T);
void same_as_above(struct tasks *T);

/* tasks_put.c */
void content_of(const struct node *n, size_t a, size_t b, struct buf *out);
void task_content(struct tasks *T, const struct node *n, struct buf *out);
void headings_of(struct tasks *T, const struct node *n, char **l1, char **l2);
struct ymd issue_of(struct tasks *T);
void deadline_of(struct tasks *T, const struct node *n, const char *content, char iso[16],
		 const char **phrase_from, long *line);
char *metrics_of(struct tasks *T, const char *content);
const char *name_as_of(struct tasks *T, FILE *out, struct strlist *said, const char *unit,
		       const char *content, long line, long seq);

#endif
