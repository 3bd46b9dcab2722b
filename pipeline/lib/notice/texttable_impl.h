/*
 * texttable_impl.h - what the readers of tables typed as text share
 * (texttable.c: TABs, bars, spaces, words; texttable_lines.c: one cell to a
 * line). Private to lib/notice.
 */
#ifndef NM_TEXTTABLE_IMPL_H
#define NM_TEXTTABLE_IMPL_H

#include "notice/layout.h"

enum col { C_SEQ, C_GROUP, C_TASK, C_LEADER, C_LEAD, C_COOP, C_RESP, C_DEADLINE, C_NOTE, C_NONE };

/* Where each column kind goes in a row (struct row_cells: num group task leaders lead coop resp deadline). */
static const int CELL_OF[] = {0, 1, 2, 3, 4, 5, 6, 7, -1, -1};
static const char *const COL_KIND[] = {"col.seq",    "col.group",    "col.task",
				       "col.leader", "col.lead",     "col.coop",
				       "col.resp",   "col.deadline", "col.note"};

#define MAX_COLS 12

enum style { S_TAB, S_BAR, S_SPACE, S_LINES, S_WORDS };

struct cell {
	size_t col; /* display column where it starts (S_SPACE) */
	char *text; /* as written */
	char *norm; /* normalised, spaces removed */
};

struct cells {
	struct cell c[MAX_COLS + 4];
	size_t n;
};

struct ttable {
	enum style style;
	size_t ncols;
	int kind[MAX_COLS];
	size_t start[MAX_COLS]; /* S_SPACE: the display column each starts at */
	char *group;            /* the text of the group row above */
};

/* texttable.c */
int column_kind_of(struct layout *L, const char *name, int *exact);
int short_name(const char *name);
void settle_kinds(struct ttable *t, size_t n, const int *exact, int *task, int *known, int *unknown,
		  size_t own);
int is_number(const char *s);
struct row_cells *row_new(struct layout *L, long line, const char *text);
void cell_append(char **slot, const char *text);

/* texttable_lines.c */
size_t read_lines_table(struct layout *L, size_t i);

#endif
