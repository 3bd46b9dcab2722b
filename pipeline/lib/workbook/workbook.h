/*
 * workbook.h - the responsibility workbook of one notice (CONTRACT.md).
 *
 * A struct wb_doc collects what the xlsx stage keeps of one document: its
 * meta and head facts, its tasks and its findings, never its lines. It owns
 * every string it holds until wb_doc_free(). wb_convert() writes the
 * workbook (and, when asked, one workbook per unit) atomically and says
 * how it went in a struct wb_result, which the caller frees with
 * wb_result_free().
 *
 * A workbook found at OUTDIR/OUTNAME whose bytes are not those the last run
 * wrote there (the doc record's OWNED_HASH) has been edited by staff: it is
 * kept, and the new one goes beside it as NAME.YYYYMMDD-HHMMSS.xlsx.
 */
#ifndef NM_WORKBOOK_H
#define NM_WORKBOOK_H

#include <stddef.h>

#include "stream/buf.h"
#include "stream/outdir.h"
#include "stream/rec.h"

struct rules;

struct wb_task {
	long line, seq;
	char *l1, *l2, *content, *leaders, *lead, *coop, *deadline, *metrics;
	char *written;             /* the units as the notice names them, when renamed; or NULL */
	char *source, *docno;      /* the notice it comes from, in a summary; or NULL */
	char *num;                 /* the notice's own number of the item, or "" */
	char *deadline_text;       /* the deadline as written (2020年底前), or "" */
	char *lead_key, *coop_key; /* canonical forms across notices, or "" */
	char *state, *progress;    /* status carried over into a summary, or NULL */
};

struct wb_finding {
	long line;
	char *level, *rule, *message, *text;
	long seq;            /* the task it concerns, or 0 */
	char *name, *advice; /* 规则名称 and 处理建议, or "" */
};

struct wb_title_line {
	long line;
	char *text;
};

struct wb_doc {
	char *path, *outname;
	char *owned_hash; /* hash of the workbook the last run wrote, or "" */
	char *encoding, *issue_date, *docno, *issuer, *recipients;
	char *as_of;                     /* units named as on this day (meta as_of), or NULL */
	char *format, *converter, *note; /* how the file became text (meta), or NULL */
	char *date_text;                 /* the 成文日期 as written (head date), or NULL */
	long long bytes, invalid;
	struct wb_title_line *title;
	size_t ntitle;
	struct wb_task *tasks;
	size_t ntasks, taskcap;
	struct wb_finding *findings;
	size_t nfindings, findcap;
	long *ends; /* lines that end the last task's text: level-1 headings, head, tail */
	size_t nends, endcap;
	char *fail;   /* the reason of a fail record */
	int complete; /* its end record was read */
};

struct wb_options {
	const char *outdir;
	struct outdir *dir; /* the output directory, opened once by main() */
	int split_by_unit;
	int no_fsync; /* leave syncing to the caller (the driver syncs once) */
	const char *rules_hash, *program_version;
	const struct rules *rules; /* settings (fill_note, finding names), or NULL */
};

enum wb_status { WB_OK, WB_WARN, WB_FAILED };

struct wb_result {
	enum wb_status status;
	struct buf output;  /* the workbook written, relative to OUTDIR; empty if none */
	char hash[17];      /* its FNV-1a hash in hex; empty if none */
	struct buf message; /* why it failed, or that an edited workbook was kept */
};

void wb_doc_init(struct wb_doc *d, const char *path, const char *outname, const char *owned_hash);
/*
 * Takes what the workbook needs from one record of the document. Returns 1
 * when the record is to be passed on, 0 for the line-level records (line,
 * para, heading, item, tail) that the stage drops.
 */
int wb_doc_add(struct wb_doc *d, const struct rec *r);
/* Adds a task record's fields (copied). */
void wb_doc_add_task(struct wb_doc *d, const struct rec_task *t);
void wb_doc_free(struct wb_doc *d);

/*
 * Writes the workbook(s) of d unless it failed earlier; fills res. The
 * writer may add findings of its own to d (a row taller than Excel allows).
 */
void wb_convert(struct wb_doc *d, const struct wb_options *o, struct wb_result *res);
const char *wb_status_name(enum wb_status s);
void wb_result_free(struct wb_result *res);

/*
 * A run's notices together. A struct wb_batch takes the report streams of
 * the run (doc, head, task, report records) and owns what it keeps until
 * wb_batch_free(). wb_batch_write() writes OUTDIR/summary.xlsx (every task
 * with 来源文件 and 发文字号, and the 批处理报告 sheet) and, with
 * split_by_unit, OUTDIR/单位/UNIT.xlsx: each unit's tasks across the run.
 */
struct wb_report_row {
	char *field[7]; /* file status tasks findings encoding output message */
	char *outname;  /* the notice's workbook, where staff type status */
	char *docno;
};

struct wb_batch {
	struct wb_doc all; /* every task of the run */
	struct wb_report_row *rows;
	size_t nrows, rowcap;
	char *path, *docno; /* of the notice being read */
};

void wb_batch_init(struct wb_batch *b);
void wb_batch_add(struct wb_batch *b, const struct rec *r);
/*
 * Carries 完成状态/进展情况 over from the previous summary.xlsx and from each
 * notice's workbook, then writes summary.xlsx unless its bytes would be the
 * same. Returns 0, or -1 with the reason in why; notes (a workbook that
 * could not be read for its status, summary.xlsx left as it was) go to
 * notes, one a line.
 */
int wb_batch_write(struct wb_batch *b, const struct wb_options *o, struct buf *why,
		   struct buf *notes);
void wb_batch_free(struct wb_batch *b);

/*
 * Loads the settings of every "--rules DIR" in argv into rs (zeroed
 * first), or, with none, those of the rules/ directory of the tree the
 * program belongs to (BINDIR/../../rules) when there is one. Returns 0, or
 * -1 with the problems in why. rules_free() releases rs either way.
 */
int wb_load_settings(struct rules *rs, int argc, char **argv, struct buf *why);

/*
 * Keeps freed memory in the process instead of handing it back after each
 * workbook: libxlsxwriter allocates and frees so much per workbook that
 * glibc's trimming costs more page faults than the writing itself.
 */
void wb_keep_heap(void);

/*
 * Makes SIGINT, SIGTERM, SIGHUP and SIGPIPE remove the temporary file of a
 * workbook being written before the process dies.
 */
void wb_remove_temp_on_signal(void);

#endif
