/*
 * batch.c - a run's notices together: summary.xlsx (every task with its
 * 来源文件 and 发文字号, and the 批处理报告 sheet) and, with --split-by-unit,
 * 单位/UNIT.xlsx, each unit's tasks across the run, merged by the tables'
 * canonical form of its name.
 *
 * Staff type 完成状态 and 进展情况 into summary.xlsx or into a notice's own
 * workbook; both are read back before summary.xlsx is written, keyed by
 * 发文字号 and the notice's 序号, and the newest value typed wins. A
 * summary whose bytes would not change is not written again.
 */
#include <stdlib.h>
#include <string.h>

#include "front/detect.h"
#include "stream/err.h"
#include "workbook/wb.h"

#define SUMMARY "summary.xlsx"

void wb_batch_init(struct wb_batch *b)
{
	memset(b, 0, sizeof *b);
	wb_doc_init(&b->all, "", "单位.xlsx", "");
	b->path = nm_xstrdup("");
	b->docno = nm_xstrdup("");
}

static void batch_task(struct wb_batch *b, const struct rec *r)
{
	struct rec_task t;
	rec_get_task(r, &t);
	wb_doc_add_task(&b->all, &t);
	struct wb_task *task = &b->all.tasks[b->all.ntasks - 1];
	struct buf source = BUF_INIT;
	detect_name(&source, b->path);
	task->source = source.s ? source.s : nm_xstrdup("");
	task->docno = nm_xstrdup(b->docno);
	/* the units as each notice wrote them, beside the canonical forms */
	if (!task->written && ((*t.lead_key && strcmp(t.lead_key, t.lead) != 0) ||
			       (*t.coop_key && strcmp(t.coop_key, t.coop) != 0))) {
		struct buf w = BUF_INIT;
		buf_printf(&w, "牵头:%s;配合:%s", t.lead_written, t.coop_written);
		for (char *p = w.s; *p; p++)
			if (*p == REC_LIST_SEP)
				*p = ',';
		task->written = w.s;
	}
}

void wb_batch_add(struct wb_batch *b, const struct rec *r)
{
	switch (rec_kind(r)) {
	case REC_DOC: {
		struct rec_file f;
		rec_get_file(r, &f);
		free(b->path), free(b->docno);
		b->path = nm_xstrdup(f.path);
		b->docno = nm_xstrdup("");
		break;
	}
	case REC_HEAD: {
		struct rec_head h;
		rec_get_head(r, &h);
		if (strcmp(h.key, "docno") == 0 && !*b->docno) {
			free(b->docno);
			b->docno = nm_xstrdup(h.value);
		}
		break;
	}
	case REC_META:
		if (strcmp(rec_field(r, 1), "as_of") == 0 && !b->all.as_of)
			b->all.as_of = nm_xstrdup(rec_field(r, 2));
		break;
	case REC_TASK:
		batch_task(b, r);
		break;
	case REC_REPORT: {
		struct rec_report p;
		char num[2][32];
		rec_get_report(r, &p);
		snprintf(num[0], sizeof num[0], "%ld", p.tasks);
		snprintf(num[1], sizeof num[1], "%ld", p.findings);
		const char *v[7] = {p.path,     p.status, num[0],   num[1],
				    p.encoding, p.output, p.message};
		b->rows = wb_grow(b->rows, &b->rowcap, b->nrows, sizeof *b->rows);
		struct wb_report_row *row = &b->rows[b->nrows++];
		for (size_t i = 0; i < 7; i++)
			row->field[i] = nm_xstrdup(v[i]);
		row->outname = nm_xstrdup(p.outname);
		row->docno = nm_xstrdup(b->docno);
		break;
	}
	default:
		break;
	}
}

static const struct column REPORT_COLS[] = {
	{"文件", 8, 20}, {"状态", 3, 5},  {"任务数", 2.4, 3}, {"发现数", 2.4, 3},
	{"编码", 4, 5},  {"输出", 8, 16}, {"说明", 8, 26},
};

static const char *status_text(const char *s)
{
	return strcmp(s, "ok") == 0        ? "成功"
	       : strcmp(s, "warn") == 0    ? "成功(有警告)"
	       : strcmp(s, "skipped") == 0 ? "未变,跳过"
	       : strcmp(s, "failed") == 0  ? "失败"
					   : s;
}

static void sheet_report(struct book *b, const struct wb_batch *batch, lxw_worksheet *ws)
{
	sheet_begin(b, "批处理报告");
	if (!ws)
		return;
	put_header(b, ws, 0, REPORT_COLS, 7);
	for (size_t i = 0; i < batch->nrows; i++) {
		char *const *f = batch->rows[i].field;
		lxw_row_t r = (lxw_row_t)(i + 1);
		int failed = strcmp(f[1], "failed") == 0;
		for (size_t c = 0; c < 7; c++) {
			lxw_format *fmt = failed ? b->f.ltext[0] : b->f.text[0];
			if (c == 2 || c == 3)
				put_num(b, ws, r, (lxw_col_t)c, atof(f[c]), b->f.mid[0]);
			else
				put_text(b, ws, r, (lxw_col_t)c, c == 1 ? status_text(f[c]) : f[c],
					 fmt);
		}
	}
	set_widths(b, ws, REPORT_COLS, 7);
	fit_rows(b, ws);
	worksheet_freeze_panes(ws, 1, 0);
	book_ok(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)(batch->nrows ? batch->nrows : 1), 6));
	page_setup(b, ws, 0, 0, 0, 1, NULL);
}

/* Reads what staff typed: the previous summary, then each notice's workbook(s). */
static void gather_status(const struct wb_batch *batch, const struct wb_options *o,
			  struct wb_statuses *s, struct buf *notes)
{
	struct buf why = BUF_INIT, source = BUF_INIT;
	if (wb_statuses_read(s, o->dir, SUMMARY, NULL, NULL, &why) < 0)
		buf_printf(notes, "%s\n", why.s);
	for (size_t i = 0; i < batch->nrows; i++) {
		const struct wb_report_row *row = &batch->rows[i];
		const char *rel[2] = {row->outname, row->field[5]};
		buf_reset(&source);
		detect_name(&source, row->field[0]);
		for (int k = 0; k < 2; k++) {
			if (!rel[k] || !*rel[k] || (k == 1 && strcmp(rel[1], rel[0]) == 0))
				continue;
			buf_reset(&why);
			if (wb_statuses_read(s, o->dir, rel[k], row->docno, buf_str(&source),
					     &why) < 0)
				buf_printf(notes, "%s\n", why.s);
		}
	}
	buf_free(&why), buf_free(&source);
}

static void carry_status(struct wb_doc *d, const struct wb_statuses *s)
{
	struct buf key = BUF_INIT;
	for (size_t i = 0; i < d->ntasks; i++) {
		struct wb_task *t = &d->tasks[i];
		buf_reset(&key);
		wb_task_key(&key, t->docno, t->source, t->seq);
		const struct wb_status_row *row = wb_statuses_get(s, key.s);
		if (!row)
			continue;
		free(t->state), free(t->progress);
		t->state = nm_xstrdup(row->state);
		t->progress = nm_xstrdup(row->progress);
	}
	buf_free(&key);
}

int wb_batch_write(struct wb_batch *batch, const struct wb_options *o, struct buf *why,
		   struct buf *notes)
{
	struct wb_doc *d = &batch->all;
	struct wb_statuses s = {0};
	struct book b;
	struct task_layout lay;
	struct buf title = BUF_INIT, final = BUF_INIT, note = BUF_INIT;
	char hash[17];
	int rc = -1, unchanged = 0; /* the same bytes: left as it is */
	gather_status(batch, o, &s, notes);
	carry_status(d, &s);
	wb_statuses_free(&s);
	/* the run's order: each notice's tasks together, as they came */
	size_t *order = wb_index_array(d->ntasks);
	buf_printf(&title, "%zu件通知重点任务责任分工汇总表", batch->nrows);
	struct task_view v = {order, d->ntasks, title.s, "", NULL, NULL, NULL};
	if (writer_open(&b, o, SUMMARY, title.s, NULL, why) == 0) {
		book_formats(&b, tasks_font_size(d, &v));
		lxw_worksheet *tasks = sheet_add(&b, TASK_SHEET),
			      *report = sheet_add(&b, "批处理报告");
		sheet_tasks(&b, d, tasks, &v, &lay);
		sheet_report(&b, batch, report);
		rc = writer_close(&b, o, NULL, hash, &final, &note, &unchanged, why);
	}
	free(order);
	if (rc == 0 && o->split_by_unit) {
		struct model m;
		model_build(&m, d, 1);
		if (wb_write_units(d, &m, o, "单位", why) > 0)
			rc = -1;
		model_free(&m);
	}
	buf_free(&title), buf_free(&final), buf_free(&note);
	return rc;
}

void wb_batch_free(struct wb_batch *b)
{
	for (size_t i = 0; i < b->nrows; i++) {
		for (size_t c = 0; c < 7; c++)
			free(b->rows[i].field[c]);
		free(b->rows[i].outname), free(b->rows[i].docno);
	}
	free(b->rows);
	free(b->path), free(b->docno);
	wb_doc_free(&b->all);
}
