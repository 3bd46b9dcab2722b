/*
 * convert.c - the workbooks of one notice: NAME.xlsx with the seven sheets
 * of the contract and, with --split-by-unit, NAME/UNIT.xlsx for each unit:
 * its tasks, its role in each, the notice they come from and a line that
 * tells it what to fill in.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/wb.h"

#define FILE_NAME_BYTES 200
#define FILL_NOTE \
	"请在“完成状态”栏选择推进状态、在“进展情况”栏填写进展和存在的问题，按督查通知的时间报送。"

/* What the task sheet's rows map back to, for a row too tall to show. */
struct tall {
	struct wb_doc *d;
	const struct model *m;
};

static void too_tall(void *ctx, const char *sheet, lxw_row_t row, double need)
{
	struct tall *t = ctx;
	if (strcmp(sheet, TASK_SHEET) != 0 || row < TASK_FIRST_ROW ||
	    row - TASK_FIRST_ROW >= t->m->d->ntasks)
		return;
	const struct wb_task *task = &t->d->tasks[t->m->order[row - TASK_FIRST_ROW]];
	struct buf msg = BUF_INIT;
	buf_printf(
		&msg,
		"第%ld项任务的文字约需%.0f磅行高,超过Excel单行上限409磅,表格和打印只显示前一部分;"
		"全文在单元格中,见编辑栏或原文第%ld行",
		task->seq, need, task->line);
	findings_add(t->d, task->line, "警告", "layout.row_limit", buf_str(&msg), task->seq);
	buf_free(&msg);
}

static void titles(const struct wb_doc *d, struct buf *title, struct buf *sub, struct buf *header)
{
	if (d->ntasks && d->tasks[0].source) { /* a summary across notices */
		buf_adds(title, "重点任务责任分工汇总表");
		return;
	}
	doc_scheme(d, title);
	buf_adds(title, "重点任务责任分工表");
	doc_ident(d, sub);
	doc_page_header(d, header);
}

/* The notice's workbook at OUTNAME, or beside an edited one there. */
static int write_main(struct wb_doc *d, const struct model *m, const struct wb_options *o,
		      struct wb_result *res)
{
	static const char *const SHEETS[] = {TASK_SHEET, "责任矩阵", "校验结果", "文件信息",
					     "按领导",   "按单位",   STATS_SHEET};
	struct buf title = BUF_INIT, sub = BUF_INIT, header = BUF_INIT, doc = BUF_INIT;
	struct book b;
	struct task_layout lay;
	struct tall tall = {d, m};
	titles(d, &title, &sub, &header);
	doc_title(d, &doc);
	struct task_view v = {m->order, d->ntasks, buf_str(&title), buf_str(&sub),
			      NULL,     d->docno,  buf_str(&header)};
	int rc = -1;
	if (writer_open(&b, o, d->outname, buf_str(&title), d->issue_date, &res->message) == 0) {
		book_formats(&b, tasks_font_size(d, &v));
		b.too_tall = too_tall;
		b.too_tall_ctx = &tall;
		lxw_worksheet *ws[7];
		for (size_t i = 0; i < 7; i++)
			ws[i] = sheet_add(&b, SHEETS[i]);
		sheet_tasks(&b, d, ws[0], &v, &lay);
		b.too_tall = NULL;
		sheet_matrix(&b, m, ws[1], "责任矩阵");
		sheet_findings(&b, m, ws[2], o);
		sheet_info(&b, d, o, ws[3], buf_str(&doc));
		sheet_leaders(&b, m, ws[4], &lay);
		sheet_units(&b, m, ws[5], &lay);
		sheet_stats(&b, m, ws[6], &lay);
		struct buf note = BUF_INIT;
		rc = writer_close(&b, o, d->owned_hash, res->hash, &res->output, &note, NULL,
				  &res->message);
		buf_adds(&res->message, buf_str(&note));
		buf_free(&note);
	}
	buf_free(&title), buf_free(&sub), buf_free(&header), buf_free(&doc);
	return rc;
}

/* A unit's name as a file name: no '/' nor what Windows refuses in a name
 * (staff open the folder over a share), no leading '.', not too long, not
 * one already used for another unit. */
static void unit_file(const char *unit, struct names *used, struct buf *out)
{
	struct buf name = BUF_INIT;
	if (*unit == '.' || !*unit)
		buf_addc(&name, '_');
	utf8_scrub(&name, *unit == '.' ? unit + 1 : unit);
	for (size_t i = 0; i < name.len; i++)
		if (strchr("/\\:*?\"<>|\n\t", name.s[i]) || (unsigned char)name.s[i] < 0x20)
			name.s[i] = '_';
	while (name.len > FILE_NAME_BYTES || ((unsigned char)name.s[name.len] & 0xC0) == 0x80)
		name.s[--name.len] = '\0';
	buf_reset(out);
	buf_adds(out, name.s);
	for (int k = 2;; k++) {
		size_t before = used->n;
		names_intern(used, out->s, out->len);
		if (used->n > before)
			break;
		buf_reset(out);
		buf_printf(out, "%s-%d", name.s, k);
	}
	buf_adds(out, ".xlsx");
	buf_free(&name);
}

static int by_position(const void *pa, const void *pb)
{
	const size_t *a = pa, *b = pb;
	return wb_cmp_size(a[0], b[0]);
}

/* The workbook of the unit of the links l[0..n), its tasks in the order of 任务分工. */
static int write_unit(const struct wb_doc *d, const struct model *m, const struct wb_options *o,
		      const struct link *l, size_t n, const char *rel, const char *title,
		      const char *ident, const char *header, struct buf *why)
{
	struct book b;
	struct task_layout lay;
	struct buf sub = BUF_INIT;
	size_t *pairs = nm_xmalloc((n ? n : 1) * 2 * sizeof *pairs),
	       *tasks = nm_xmalloc((n ? n : 1) * sizeof *tasks);
	const char **roles = nm_xmalloc((n ? n : 1) * sizeof *roles);
	size_t leads = 0;
	for (size_t i = 0; i < n; i++)
		pairs[2 * i] = m->rank[l[i].task], pairs[2 * i + 1] = i, leads += l[i].lead != 0;
	wb_sort(pairs, n, 2 * sizeof *pairs, by_position);
	for (size_t i = 0; i < n; i++) {
		tasks[i] = l[pairs[2 * i + 1]].task;
		roles[i] = l[pairs[2 * i + 1]].lead ? "牵头" : "配合";
	}
	const char *note = o->rules ? rules_setting(o->rules, "fill_note") : NULL;
	buf_printf(&sub, "%s%s%s:牵头 %zu 项、配合 %zu 项\n填报说明:%s", ident, *ident ? "\n" : "",
		   m->units.v[l->who], leads, n - leads, note && *note ? note : FILL_NOTE);
	struct task_view v = {tasks, n, title, sub.s, roles, d->docno, header};
	int rc = -1;
	char hash[17];
	struct buf final = BUF_INIT, msg = BUF_INIT;
	if (writer_open(&b, o, rel, title, d->issue_date, why) == 0) {
		book_formats(&b, tasks_font_size(d, &v));
		sheet_tasks(&b, d, sheet_add(&b, TASK_SHEET), &v, &lay);
		rc = writer_close(&b, o, NULL, hash, &final, &msg, NULL, why);
	}
	buf_free(&sub), buf_free(&final), buf_free(&msg);
	free(pairs), free(tasks), free(roles);
	return rc;
}

size_t wb_write_units(const struct wb_doc *d, const struct model *m, const struct wb_options *o,
		      const char *folder, struct buf *why)
{
	struct names used = {0};
	struct buf file = BUF_INIT, rel = BUF_INIT, err = BUF_INIT;
	struct buf title = BUF_INIT, ident = BUF_INIT, header = BUF_INIT;
	size_t failed = 0;
	titles(d, &title, &ident, &header);
	for (size_t i = 0, n; i < m->ul.n; i += n) {
		const struct link *l = &m->ul.v[i];
		for (n = 1; i + n < m->ul.n && l[n].who == l->who; n++)
			;
		unit_file(m->units.v[l->who], &used, &file);
		buf_reset(&rel);
		buf_printf(&rel, "%s/%s", folder, file.s);
		buf_reset(&err);
		if (write_unit(d, m, o, l, n, rel.s, buf_str(&title), buf_str(&ident),
			       buf_str(&header), &err) < 0 &&
		    failed++ == 0)
			buf_adds(why, buf_str(&err));
	}
	if (failed > 1)
		buf_printf(why, " (%zu unit workbooks failed)", failed);
	names_free(&used);
	buf_free(&file), buf_free(&rel), buf_free(&err);
	buf_free(&title), buf_free(&ident), buf_free(&header);
	return failed;
}

static int has_warnings(const struct wb_doc *d)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (wb_level_index(d->findings[i].level) < 2)
			return 1;
	return 0;
}

/* The workbooks of a notice that reached its end record; 0 when all were written. */
static int convert(struct wb_doc *d, const struct wb_options *o, struct wb_result *res)
{
	struct model m;
	int failed = 1;
	model_build(&m, d, 0);
	if (write_main(d, &m, o, res) == 0) {
		if (o->split_by_unit) {
			struct buf why = BUF_INIT, stem = BUF_INIT;
			buf_adds(&stem, d->outname);
			if (str_ends(stem.s, ".xlsx"))
				stem.s[stem.len -= 5] = '\0';
			failed = wb_write_units(d, &m, o, stem.s, &why) > 0;
			buf_printf(&res->message, "%s%s", res->message.len && why.len ? "; " : "",
				   buf_str(&why));
			buf_free(&why), buf_free(&stem);
		} else {
			failed = 0;
		}
	} else {
		res->hash[0] = '\0';
	}
	model_free(&m);
	return failed ? -1 : 0;
}

void wb_convert(struct wb_doc *d, const struct wb_options *o, struct wb_result *res)
{
	int failed = 1;
	memset(res, 0, sizeof *res);
	if (d->fail)
		buf_adds(&res->message, *d->fail ? d->fail : "not converted");
	else if (!d->complete)
		buf_adds(&res->message, "the record stream ended inside the notice");
	else
		failed = convert(d, o, res) < 0;
	res->status = failed ? WB_FAILED : has_warnings(d) ? WB_WARN : WB_OK;
}

const char *wb_status_name(enum wb_status s)
{
	static const char *const NAMES[] = {"ok", "warn", "failed"};
	return NAMES[s];
}

void wb_result_free(struct wb_result *res)
{
	buf_free(&res->output);
	buf_free(&res->message);
}
