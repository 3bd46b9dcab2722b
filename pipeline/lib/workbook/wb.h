/*
 * wb.h - what the files of lib/workbook share; not for the stages.
 *
 * model.c   names (units, leaders) and the model: tasks in the orders the
 *           sheets use, who leads and who co-operates
 * book.c    a workbook being written: formats, cells, widths, row heights,
 *           page set-up
 * tasks.c   任务分工 (and its layout for print)
 * matrix.c  责任矩阵
 * findings.c 校验结果, the findings the writer adds itself, rule names
 * people.c  按领导 and 按单位
 * info.c    文件信息 and 统计
 * writer.c  the atomic writer: temporary file, guard, rename, signals
 * convert.c the workbooks of one notice
 * batch.c   summary.xlsx and 单位/UNIT.xlsx; xlsxread.c reads status back
 *
 * Ownership: a struct model points into the document it was built from and
 * owns its arrays until model_free(). A struct book owns its libxlsxwriter
 * workbook until writer_close() or writer_abort().
 */
#ifndef NM_WB_H
#define NM_WB_H

#include <stdint.h>

#include <xlsxwriter.h>

#include "stream/outdir.h"
#include "workbook/workbook.h"

#define FONT_BODY "仿宋_GB2312"
#define FONT_HEAD "黑体"
#define DATE_FORMAT "yyyy\"年\"m\"月\"d\"日\""
#define NOBODY "(未注明)"
#define TASK_SHEET "任务分工"
#define STATS_SHEET "统计"
/* Excel keeps 32,767 characters in a cell; stay clear of surrogate pairs. */
#define CELL_CHARS 32000
/* Excel's highest row. */
#define ROW_MAX_PT 409.0
#define NWIDTH 24
#define FNV_BASIS 14695981039346656037ULL

void *wb_grow(void *v, size_t *cap, size_t n, size_t size);
uint64_t wb_fnv1a(uint64_t h, const void *p, size_t n);
/* qsort() that accepts an empty array. */
void wb_sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *));
int wb_cmp_size(size_t a, size_t b);
int wb_cmp_long(long a, long b);
size_t *wb_index_array(size_t n);
size_t *wb_zeroes(size_t n);
int wb_level_index(const char *level);

/* ---- Names: each string given a number once ---- */

struct names {
	char **v;
	size_t n, cap;
	size_t *slot; /* 1 + index into v; 0 is a free slot */
	size_t nslot;
};

size_t names_intern(struct names *t, const char *s, size_t n);
/* The number of s, or (size_t)-1. */
size_t names_find(const struct names *t, const char *s);
void names_free(struct names *t);
/* The next name of a list (REC_LIST_SEP between names); 0 at the end. */
int next_name(const char **s, const char **name, size_t *len);

/* ---- The model ---- */

struct link {
	size_t task, who; /* who: a unit or a leader */
	int lead;
};

struct links {
	struct link *v;
	size_t n, cap;
};

struct model {
	const struct wb_doc *d;
	size_t *order;  /* task indexes by SEQ (the order of 任务分工) */
	size_t *rank;   /* task index -> position in order */
	size_t *byline; /* task indexes by LINE */
	long *ends;     /* d->ends, sorted */
	struct names units, leaders;
	struct links ul, ll;     /* unit and leader links, sorted for 按单位 and 按领导 */
	size_t *ulead, *ucoop;   /* per unit: tasks it leads, co-operates on */
	size_t *uorder, *urank;  /* units in the order the notice names them first */
	size_t *tunits;          /* per task: units involved */
	size_t *tleaders;        /* per task: leaders named */
	size_t *lcount, *lorder; /* per leader: tasks led; leaders by that count */
	size_t no_lead, no_leader;
	int by_key; /* units by their canonical key (a summary across notices) */
};

void model_build(struct model *m, const struct wb_doc *d, int by_key);
void model_free(struct model *m);
/* The task whose text holds line; 0 when none does. */
int model_task_at(const struct model *m, long line, size_t *task);
/* The units of a task as the model counts them (keys in a summary). */
const char *model_lead(const struct model *m, const struct wb_task *t);
const char *model_coop(const struct model *m, const struct wb_task *t);

/* ---- A workbook being written ---- */

struct fmts {
	lxw_format *title, *head, *head_rot, *note, *key, *total, *mark, *plain, *count;
	lxw_format *text[2], *mid[2], *date[2], *state[2]; /* body cells; [1] banded */
	lxw_format *ltext[4], *lmid[4], *llink[4];         /* findings by level */
	lxw_format *late, *soon, *done, *behind;           /* conditional formats */
	lxw_format *title_big, *title_small;               /* rich title runs */
};

/* A wrapped cell's text, for the height of its row. */
struct para {
	lxw_row_t row;
	lxw_col_t col;
	char *text; /* owned */
};

struct column {
	const char *head;
	double min, max; /* in characters of the body font (CJK: one each) */
};

struct book {
	lxw_workbook *wb;
	lxw_error err;
	const char *sheet, *err_sheet;
	double size; /* the body font, in points */
	struct buf text, shortened;
	double width[NWIDTH];         /* widest line per column, in characters of the body font */
	double colw[NWIDTH];          /* the widths set, in Excel's units */
	unsigned char hidden[NWIDTH]; /* hidden columns do not set row heights */
	struct para *paras;           /* of the sheet being written */
	size_t npara, paracap;
	lxw_worksheet *lists; /* hidden sheet of long drop-down lists */
	lxw_row_t nlist;
	struct fmts f;
	/* Rows whose text is taller than a row may be: (sheet, row) for a finding. */
	void (*too_tall)(void *ctx, const char *sheet, lxw_row_t row, double need);
	void *too_tall_ctx;
	struct outfile out;    /* the temporary file it goes to */
	char created_from[11]; /* YYYY-MM-DD, the document's date */
};

void book_ok(struct book *b, lxw_error e);
void *book_need(struct book *b, void *p);
void book_formats(struct book *b, double size);
/* s as a cell's text (valid UTF-8, no control characters, not too long), in b->text. */
const char *book_safe(struct book *b, const char *s);
void put_text(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	      lxw_format *f);
/* A list of the stream (REC_LIST_SEP between names) joined with 、. */
void put_list(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	      lxw_format *f);
void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v, lxw_format *f);
void put_blank(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_format *f);
/* A YYYY-MM-DD date as a date cell; other text as it is. */
void put_date(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *iso,
	      lxw_format *date, lxw_format *text);
/* The start of s on one line, at most chars characters. */
void put_short(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
	       size_t chars, lxw_format *f);
/* A formula with the value it shows before any recalculation. */
void put_formula(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *formula,
		 const char *shown, lxw_format *f);
void put_header(struct book *b, lxw_worksheet *ws, lxw_row_t r, const struct column *cols,
		size_t n);
/* Width in characters of the body font of s's widest line (ASCII counts 0.6). */
double text_width(const char *s);
/* Lines s takes in a column w characters of the body font wide. */
size_t text_lines(const char *s, double w);
/* Excel's column units for w characters of the body font, and back. */
double book_units(const struct book *b, double chars);
double book_chars(const struct book *b, double units);
void set_width(struct book *b, lxw_worksheet *ws, lxw_col_t c, double units);
/* Sets each column from the text written to it; returns the total in units. */
double set_widths(struct book *b, lxw_worksheet *ws, const struct column *cols, size_t n);
/* The height a row of this many lines of the body font needs, in points. */
double book_row_height(const struct book *b, size_t lines);
/* Gives rows of wrapped text the height their tallest cell needs. */
void fit_rows(struct book *b, lxw_worksheet *ws);
/*
 * A4 landscape, pages_wide pages wide, rows first..last repeated (first <
 * 0: none), the first column repeated when repeat_col, page numbers in the
 * footer, header text (may be NULL) on every page.
 */
void page_setup(struct book *b, lxw_worksheet *ws, int first, int last, int repeat_col,
		uint16_t pages_wide, const char *header);
/* The printable width of a page, in Excel's column units. */
double page_units(void);
lxw_worksheet *sheet_add(struct book *b, const char *name);
void sheet_begin(struct book *b, const char *name);
/* A merged title over columns 0..last of row r, with an optional smaller second part. */
void title_cell(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t last, const char *title,
		const char *sub, double width_units);
/* Conditional formats of task rows first..last over columns 0..lastcol,
 * from the deadline in column dcol and the status in scol. */
void status_colours(struct book *b, lxw_worksheet *ws, lxw_row_t first, lxw_row_t last,
		    lxw_col_t lastcol, lxw_col_t dcol, lxw_col_t scol);
/* The drop-down of 完成状态 over rows first..last of column c. */
void state_list(struct book *b, lxw_worksheet *ws, lxw_row_t first, lxw_row_t last, lxw_col_t c);

/* ---- What a notice's workbooks say about it ---- */

/* 《方案名》: the document the notice issues, or its own title; "" without a title. */
void doc_scheme(const struct wb_doc *d, struct buf *out);
/* The title lines joined in line order. */
void doc_title(const struct wb_doc *d, struct buf *out);
/* "东政办〔2018〕108号　2018年5月29日", what is known of them. */
void doc_ident(const struct wb_doc *d, struct buf *out);
/* The page header: &L文号 &R成文日期, escaped for Excel. */
void doc_page_header(const struct wb_doc *d, struct buf *out);

/* ---- Sheets ---- */

struct task_view {
	const size_t *tasks; /* task indexes in the order shown */
	size_t n;
	const char *title, *sub;
	const char *const *roles; /* a unit's workbook: 牵头 or 配合 per task shown; or NULL */
	const char *docno;        /* the notice, for the page header; or NULL */
	const char *header;       /* the page header, or NULL */
};

/* Rows of 任务分工: the title, the header, the first task. */
#define TASK_HEAD_ROW 1
#define TASK_FIRST_ROW 2

enum task_col {
	T_SEQ,
	T_L1,
	T_L2,
	T_CONTENT,
	T_LEADERS,
	T_LEAD,
	T_COOP,
	T_DEADLINE,
	T_METRICS,
	T_LINE,
	T_STATE,
	T_PROGRESS,
	T_TIMING,
	T_ROLE,
	T_NUM,
	T_DEADTEXT,
	T_WRITTEN,
	T_SOURCE,
	T_DOCNO,
	T_NCOLS
};

/* Where each column of 任务分工 goes in the workbook being written, or -1. */
struct task_layout {
	int col[T_NCOLS];
	size_t ncols;
};

void sheet_tasks(struct book *b, const struct wb_doc *d, lxw_worksheet *ws,
		 const struct task_view *v, struct task_layout *lay);
void sheet_matrix(struct book *b, const struct model *m, lxw_worksheet *ws, const char *title);
void sheet_findings(struct book *b, const struct model *m, lxw_worksheet *ws,
		    const struct wb_options *o);
void sheet_info(struct book *b, const struct wb_doc *d, const struct wb_options *o,
		lxw_worksheet *ws, const char *title);
void sheet_leaders(struct book *b, const struct model *m, lxw_worksheet *ws,
		   const struct task_layout *lay);
void sheet_units(struct book *b, const struct model *m, lxw_worksheet *ws,
		 const struct task_layout *lay);
void sheet_stats(struct book *b, const struct model *m, lxw_worksheet *ws,
		 const struct task_layout *lay);
/* The body font size 任务分工 can print at (12, 11 or 10.5 points). */
double tasks_font_size(const struct wb_doc *d, const struct task_view *v);
/* The cell of column c (a task_col) for the task at position k, as A1. */
void task_cell(const struct task_layout *lay, int c, size_t k, char *out, size_t cap);

/* Findings the writer adds (a row taller than Excel allows). Owned by d. */
void findings_add(struct wb_doc *d, long line, const char *level, const char *rule,
		  const char *message, long seq);
/* The rule's Chinese name and default advice, from the rules or the built-in table. */
const char *finding_name(const struct wb_options *o, const struct wb_finding *f);
const char *finding_advice(const struct wb_options *o, const struct wb_finding *f);

/* FOLDER/UNIT.xlsx for each unit of m; the first failure goes to why.
 * Returns the number of failures. */
size_t wb_write_units(const struct wb_doc *d, const struct model *m, const struct wb_options *o,
		      const char *folder, struct buf *why);

/* ---- The atomic writer ---- */

/*
 * Starts the workbook rel (relative to the output directory) in a fresh
 * temporary file beside it. Returns 0, or -1 with the reason in why.
 */
int writer_open(struct book *b, const struct wb_options *o, const char *rel, const char *title,
		const char *created_iso, struct buf *why);
/*
 * Finishes the workbook: writes it, syncs it (unless o->no_fsync), hashes
 * it into hash and renames it over rel. With guard non-NULL (the hash the
 * last run wrote there, or ""), a file at rel with other bytes has been
 * edited and is kept: the workbook goes beside it, final says where and
 * note why. With unchanged set, a file at rel with the very same bytes is
 * left as it is (*unchanged becomes 1). Returns 0, or -1 with the reason.
 */
int writer_close(struct book *b, const struct wb_options *o, const char *guard, char hash[17],
		 struct buf *final, struct buf *note, int *unchanged, struct buf *why);
/* Drops the workbook and its temporary file. */
void writer_abort(struct book *b);

/* ---- Reading status back (xlsxread.c) ---- */

/* 完成状态 and 进展情况 of one task, as staff typed them. */
struct wb_status_row {
	char *key; /* 发文字号 (or the source file) + "#" + 序号 */
	char *state, *progress;
	long long mtime; /* of the workbook it was read from */
};

struct wb_statuses {
	struct wb_status_row *v;
	size_t n, cap;
	struct names keys; /* key -> index into v */
};

/*
 * Reads 任务分工 of the workbook rel below the output directory (no link
 * followed) and adds the status typed there: with docno and source NULL
 * the key columns 发文字号/来源文件 come from the sheet (a summary), else
 * every row is of that notice (wb_task_key). A newer non-empty value wins
 * over an older one. Returns the number of rows read, 0 when there is no
 * such workbook, -1 with why when it cannot be read (too large, not a
 * workbook, a DTD).
 */
long wb_statuses_read(struct wb_statuses *s, const struct outdir *dir, const char *rel,
		      const char *docno, const char *source, struct buf *why);
const struct wb_status_row *wb_statuses_get(const struct wb_statuses *s, const char *key);
void wb_statuses_free(struct wb_statuses *s);
/* The key of a task: the notice's 发文字号 (else its file) and 序号. */
void wb_task_key(struct buf *out, const char *docno, const char *source, long seq);

#endif
