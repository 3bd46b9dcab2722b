/*
 * layout.h - the layout of a notice: its header, the outline of its body,
 * its tables and its closing parts. This is the segment stage's logic.
 *
 * Lines go in as written (layout_add_line); layout_write() reads them as a
 * whole and writes the notice's records (pipeline/FORMAT.md: head,
 * heading, item, para, row, tail) in line order, then forgets them. On the
 * way it drops page numbers, joins lines a PDF or a copy cut at a fixed
 * width, cuts apart items run together on one line, finds tables typed as
 * text, and reads the header however the lines above the body are laid
 * out (GB/T 9704 版头, or a web portal's metadata block). Every text
 * written is the notice's own; the normalised form is used for matching
 * only. A struct layout owns its lines until layout_free().
 */
#ifndef NM_LAYOUT_H
#define NM_LAYOUT_H

#include <stdio.h>

#include "stream/stage.h"

#include "rules/rules.h"
#include "stream/ntext.h"

/* What the layout reads of the rules. */
extern const struct rule_need LAYOUT_NEEDS[];

enum piece_kind {
	P_BLANK, /* nothing but spaces */
	P_PAGE,  /* a page number of a PDF copy: dropped */
	P_SKIP,  /* a header line that says nothing the workbook needs (密级, 份号, a rule) */
	P_TEXT,  /* body text, not yet classified */
	P_HEAD,  /* a header part: key, value */
	P_ROW,   /* a row of a table typed as text (or its header) */
	P_TABLE, /* a line that belongs to a table but is no row of its own */
};

/* One piece of a line: a line, or a part of a line that holds several paragraphs. */
struct piece {
	long no;
	struct ntext t; /* the piece, trimmed */
	size_t indent;  /* display columns of space before it on its line */
	size_t tabs;    /* TABs among that space: empty cells of a TAB-separated row */
	size_t width;   /* display columns of the whole line */
	int first;      /* the first piece of its line */
	enum piece_kind kind;
	const char
		*key; /* P_HEAD: docno, issuer, title, recipients, date, signer, signature, meta */
	char *value;  /* P_HEAD: the value as written */
	int join;     /* continues the paragraph of the piece before it */
	int row;      /* P_ROW: index of its row in the layout's rows */
};

struct row_cells {
	long line;
	char *text;
	char *cell[10]; /* num group task leaders lead coop resp deadline: see texttable.c */
};

struct layout {
	struct rules *rs;
	struct piece *p;
	size_t n, cap;
	struct row_cells *rows;
	size_t nrows, rowcap;
	size_t body; /* the first piece of the body */
	size_t wrap; /* the width text is cut at, 0 when it is not cut */
	int indents; /* paragraphs start indented, continuation lines do not */
};

void layout_init(struct layout *L, struct rules *rs);
/* Adds line no (text as written, valid UTF-8, no line end). */
void layout_add_line(struct layout *L, long no, const char *text, size_t len);
/* Writes the records of the notice and empties L for the next one. */
void layout_write(struct layout *L, FILE *out);
/* The segment stage over the stage loop (stream/stage.h): line records go in,
 * every other record is passed on; state is a struct layout. */
struct stage layout_stage(struct layout *L);
void layout_free(struct layout *L);

/* For layout.c, header.c and texttable.c. */
void layout_find_header(struct layout *L);
void layout_find_tables(struct layout *L);
int layout_match(struct layout *L, const char *rule, const struct piece *p, struct match *m);
/* The piece's normalised text with every space removed (letter-spaced headers). */
void layout_squeezed(const struct piece *p, struct buf *out);
void layout_set_head(struct piece *p, const char *key, const char *value, size_t n);

#endif
