/*
 * tasks.h - the tasks of a notice and who is responsible for them (the
 * extract stage's logic).
 *
 * tasks_add() takes the records segment writes for one notice (head,
 * heading, item, para, row, tail); tasks_write() reads them as a whole and
 * writes a task record per task and the findings about units, then
 * forgets the notice. A task is an item of the outline (a heading, a ——
 * or 一是 item, a paragraph, a table row) that a marking makes someone
 * responsible for (resp.h). A marking belongs to the item it stands in or
 * under; a heading's marking applies to the items below it that are tasks
 * themselves. Unit names stay as the notice writes them; variants of one
 * unit within the notice are merged under the fullest form it writes.
 */
#ifndef NM_TASKS_H
#define NM_TASKS_H

#include <stdio.h>

#include "notice/dates.h"
#include "notice/resp.h"
#include "rules/rules.h"
#include "stream/rec.h"
#include "stream/stage.h"

extern const struct rule_need TASKS_NEEDS[];

struct node;

struct tasks {
	struct rules *rs;
	struct resp resp;
	struct node *v;
	size_t n, cap;
	int heading_at[6]; /* the open heading of each level, or -1 */
	int after_tail;    /* a closing part came: fields attach to nothing before it */
	struct ntext recipients;
	char *issue_date, *docno;
	long date_line;
	struct buf place; /* issuer and title: where renames apply */
	struct ymd as_of; /* --as-of: units as named that day; y == 0: as written */
};

void tasks_init(struct tasks *T, struct rules *rs);
/* Takes one record of the notice. */
void tasks_add(struct tasks *T, const struct rec *r);
/* Writes the notice's task and finding records; empties T. */
void tasks_write(struct tasks *T, FILE *out);
void tasks_free(struct tasks *T);
/* The extract stage over the stage loop: every record is read and passed
 * on; the tasks go before each end record. */
struct stage tasks_stage(struct tasks *T);

#endif
