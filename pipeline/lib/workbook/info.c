/*
 * info.c - 文件信息 (where the notice came from, what was found) and 统计, a
 * live table over 任务分工: tasks per lead unit by 完成状态 (COUNTIFS) and
 * how many are overdue, with one chart of it on a page of its own.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front/detect.h"
#include "notice/cn.h"
#include "stream/err.h"
#include "workbook/wb.h"

static const struct column INFO_COLS[] = {{"项目", 6, 8}, {"内容", 20, 50}};

static void info_text(struct book *b, lxw_worksheet *ws, lxw_row_t *r, const char *key,
		      const char *value)
{
	put_text(b, ws, *r, 0, key, b->f.key);
	put_text(b, ws, (*r)++, 1, value ? value : "", b->f.text[0]);
}

static void info_num(struct book *b, lxw_worksheet *ws, lxw_row_t *r, const char *key, double v)
{
	put_text(b, ws, *r, 0, key, b->f.key);
	put_num(b, ws, (*r)++, 1, v, b->f.count);
}

static void findings_summary(const struct wb_doc *d, struct buf *out)
{
	size_t n[4] = {0};
	for (size_t i = 0; i < d->nfindings; i++)
		n[wb_level_index(d->findings[i].level)]++;
	buf_printf(out, "错误 %zu 条,警告 %zu 条,提示 %zu 条", n[0], n[1], n[2]);
}

void sheet_info(struct book *b, const struct wb_doc *d, const struct wb_options *o,
		lxw_worksheet *ws, const char *title)
{
	int y, mo, dd;
	lxw_row_t r = 1;
	struct buf summary = BUF_INIT, path = BUF_INIT;
	sheet_begin(b, "文件信息");
	if (!ws)
		return;
	put_header(b, ws, 0, INFO_COLS, 2);
	info_text(b, ws, &r, "发文字号", d->docno);
	info_text(b, ws, &r, "发文机关", d->issuer);
	info_text(b, ws, &r, "标题", title);
	info_text(b, ws, &r, "主送机关", d->recipients);
	info_text(b, ws, &r, "成文日期",
		  d->issue_date && date_from_iso(d->issue_date, &y, &mo, &dd) ? d->issue_date : "");
	detect_name(&path, d->path);
	info_text(b, ws, &r, "源文件", buf_str(&path));
	buf_free(&path);
	info_text(b, ws, &r, "源编码", d->encoding);
	info_num(b, ws, &r, "任务数", (double)d->ntasks);
	info_text(b, ws, &r, "源格式", d->format ? d->format : "text");
	info_text(b, ws, &r, "转换程序", d->converter ? d->converter : "notice-matrix (iconv)");
	if (d->note)
		info_text(b, ws, &r, "转换说明", d->note);
	info_num(b, ws, &r, "文件大小", (double)d->bytes);
	info_num(b, ws, &r, "无法解码的字节", (double)d->invalid);
	info_text(b, ws, &r, "规则哈希", o->rules_hash);
	info_text(b, ws, &r, "程序版本", o->program_version);
	findings_summary(d, &summary);
	info_text(b, ws, &r, "校验结果", buf_str(&summary));
	buf_free(&summary);
	set_widths(b, ws, INFO_COLS, 2);
	fit_rows(b, ws);
	page_setup(b, ws, 0, 0, 0, 1, NULL);
}

/* ---- 统计 ---- */

enum { S_UNIT, S_TASKS, S_STATES, S_BLANK = S_STATES + 4, S_LATE, S_NCOLS };

static const char *const STATES[4] = {"已完成", "推进中", "滞后", "未启动"};

/* More bars than this make no chart anyone reads; the table has them all. */
#define CHART_BARS 24
#define STAT_FIRST 2 /* title row, header row */

/* Whether COUNTIFS with "*NAME*" counts exactly name's tasks: no wildcard in
 * it, and no other lead unit whose name holds it. */
static int wildcard_safe(const struct model *m, size_t u)
{
	const char *name = m->units.v[u];
	if (strpbrk(name, "*?~"))
		return 0;
	for (size_t v = 0; v < m->units.n; v++)
		if (v != u && m->ulead[v] && strstr(m->units.v[v], name))
			return 0;
	return 1;
}

struct ranges {
	char lead[64], state[64], timing[64];
};

/* COUNTIFS over the lead units of 任务分工 matching the unit in $A{row}, and one more condition. */
static void count_formula(char *out, size_t cap, const struct ranges *g, unsigned row, int safe,
			  int nobody, const char *range2, const char *crit2)
{
	char who[160];
	if (nobody)
		snprintf(who, sizeof who, "%s,\"\"", g->lead);
	else
		snprintf(who, sizeof who, "%s,\"*\"&$A%u&\"*\"", g->lead, row);
	if (safe || nobody) {
		if (range2)
			snprintf(out, cap, "=COUNTIFS(%s,%s,%s)", who, range2, crit2);
		else
			snprintf(out, cap, "=COUNTIFS(%s)", who);
		return;
	}
	/* a name inside another's: match it between 、 marks */
	if (range2)
		snprintf(out, cap,
			 "=SUMPRODUCT(ISNUMBER(FIND(\"、\"&$A%u&\"、\",\"、\"&%s&\"、\"))*(%s=%s))",
			 row, g->lead, range2, crit2);
	else
		snprintf(out, cap,
			 "=SUMPRODUCT(--ISNUMBER(FIND(\"、\"&$A%u&\"、\",\"、\"&%s&\"、\")))", row,
			 g->lead);
}

static void stat_row(struct book *b, lxw_worksheet *ws, const struct ranges *g, lxw_row_t r,
		     const char *name, size_t tasks, int safe, int nobody)
{
	char formula[600], shown[32], crit[32];
	unsigned row = (unsigned)r + 1;
	put_text(b, ws, r, S_UNIT, name, b->f.plain);
	snprintf(shown, sizeof shown, "%zu", tasks);
	count_formula(formula, sizeof formula, g, row, safe, nobody, NULL, NULL);
	put_formula(b, ws, r, S_TASKS, formula, shown, b->f.mark);
	for (int s = 0; s < 4; s++) {
		snprintf(crit, sizeof crit, "\"%s\"", STATES[s]);
		count_formula(formula, sizeof formula, g, row, safe, nobody, g->state, crit);
		put_formula(b, ws, r, (lxw_col_t)(S_STATES + s), formula, "0", b->f.mark);
	}
	count_formula(formula, sizeof formula, g, row, safe, nobody, g->state, "\"\"");
	put_formula(b, ws, r, S_BLANK, formula, shown, b->f.mark);
	count_formula(formula, sizeof formula, g, row, safe, nobody, g->timing, "\"逾期*\"");
	put_formula(b, ws, r, S_LATE, formula, "0", b->f.mark);
}

static void range_of(char *out, size_t cap, const struct task_layout *lay, int c, size_t n)
{
	char col[8];
	lxw_col_to_name(col, (lxw_col_t)lay->col[c], 1);
	snprintf(out, cap, "'%s'!$%s$%d:$%s$%zu", TASK_SHEET, col, TASK_FIRST_ROW + 1, col,
		 n + TASK_FIRST_ROW + (n ? 0 : 1));
}

/* One stacked bar chart of the table, from row at on, on a page of its own. */
static void stat_chart(struct book *b, lxw_worksheet *ws, size_t bars, lxw_row_t at)
{
	lxw_chart *c = book_need(b, workbook_add_chart(b->wb, LXW_CHART_BAR_STACKED));
	if (!c)
		return;
	lxw_chart_font title_font = {.name = FONT_HEAD, .size = 12, .bold = 1, .charset = 134};
	lxw_chart_font label_font = {.name = FONT_BODY, .size = 10, .charset = 134};
	static const lxw_col_t SERIES[] = {S_STATES, S_STATES + 1, S_STATES + 2, S_STATES + 3,
					   S_BLANK};
	static const lxw_color_t COLOURS[] = {0xA9D18E, 0x9DC3E6, 0xF4B183, 0xD9D9D9, 0xEDEDED};
	if (bars > CHART_BARS)
		bars = CHART_BARS;
	for (size_t i = 0; i < sizeof SERIES / sizeof *SERIES; i++) {
		lxw_chart_series *s = book_need(b, chart_add_series(c, NULL, NULL));
		if (!s)
			return;
		chart_series_set_categories(s, STATS_SHEET, STAT_FIRST, S_UNIT,
					    (lxw_row_t)(STAT_FIRST + bars - 1), S_UNIT);
		chart_series_set_values(s, STATS_SHEET, STAT_FIRST, SERIES[i],
					(lxw_row_t)(STAT_FIRST + bars - 1), SERIES[i]);
		chart_series_set_name_range(s, STATS_SHEET, 1, SERIES[i]);
		lxw_chart_fill fill = {.color = COLOURS[i]};
		chart_series_set_fill(s, &fill);
	}
	chart_title_set_name(c, bars == CHART_BARS ? "各牵头单位任务完成状态(前24个单位)"
						   : "各牵头单位任务完成状态");
	chart_title_set_name_font(c, &title_font);
	chart_legend_set_position(c, LXW_CHART_LEGEND_BOTTOM);
	chart_legend_set_font(c, &label_font);
	chart_axis_set_reverse(c->y_axis);
	chart_axis_set_num_font(c->y_axis, &label_font);
	chart_axis_set_num_font(c->x_axis, &label_font);
	chart_axis_set_min(c->x_axis, 0);
	chart_axis_set_num_format(c->x_axis, "0");
	double h = 110.0 + 22.0 * (double)bars; /* pixels; a page holds about 680 */
	lxw_chart_options opt = {.x_scale = 900.0 / 480,
				 .y_scale = h / 288.0,
				 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
	book_ok(b, worksheet_insert_chart_opt(ws, at, S_UNIT, c, &opt));
	static lxw_row_t breaks[2];
	breaks[0] = at;
	breaks[1] = 0;
	book_ok(b, worksheet_set_h_pagebreaks(ws, breaks));
}

void sheet_stats(struct book *b, const struct model *m, lxw_worksheet *ws,
		 const struct task_layout *lay)
{
	static const struct column COLS[S_NCOLS] = {
		{"牵头单位", 6, 14},  {"牵头任务数", 3.2, 3.2}, {"已完成", 3.2, 3.2},
		{"推进中", 3.2, 3.2}, {"滞后", 3.2, 3.2},       {"未启动", 3.2, 3.2},
		{"未填写", 3.2, 3.2}, {"逾期", 3.2, 3.2},
	};
	size_t n = m->d->ntasks, rows = 0;
	struct ranges g;
	sheet_begin(b, STATS_SHEET);
	if (!ws)
		return;
	range_of(g.lead, sizeof g.lead, lay, T_LEAD, n);
	range_of(g.state, sizeof g.state, lay, T_STATE, n);
	range_of(g.timing, sizeof g.timing, lay, T_TIMING, n);
	put_header(b, ws, 1, COLS, S_NCOLS);
	for (size_t i = 0; i < m->units.n; i++) {
		size_t u = m->uorder[i];
		if (!m->ulead[u])
			continue;
		stat_row(b, ws, &g, (lxw_row_t)(STAT_FIRST + rows++), m->units.v[u], m->ulead[u],
			 wildcard_safe(m, u), 0);
	}
	if (m->no_lead)
		stat_row(b, ws, &g, (lxw_row_t)(STAT_FIRST + rows++), NOBODY, m->no_lead, 1, 1);
	/* every task once, however many units lead it */
	lxw_row_t t = (lxw_row_t)(STAT_FIRST + rows);
	char formula[200], shown[32];
	put_text(b, ws, t, S_UNIT, "全部任务", b->f.total);
	snprintf(shown, sizeof shown, "%zu", n);
	char seq[64];
	range_of(seq, sizeof seq, lay, T_SEQ, n);
	snprintf(formula, sizeof formula, "=COUNT(%s)", seq);
	put_formula(b, ws, t, S_TASKS, formula, shown, b->f.total);
	for (int s = 0; s < 4; s++) {
		snprintf(formula, sizeof formula, "=COUNTIFS(%s,\"%s\")", g.state, STATES[s]);
		put_formula(b, ws, t, (lxw_col_t)(S_STATES + s), formula, "0", b->f.total);
	}
	snprintf(formula, sizeof formula, "=COUNT(%s)-COUNTIFS(%s,\"?*\")", seq, g.state);
	put_formula(b, ws, t, S_BLANK, formula, shown, b->f.total);
	snprintf(formula, sizeof formula, "=COUNTIFS(%s,\"逾期*\")", g.timing);
	put_formula(b, ws, t, S_LATE, formula, "0", b->f.total);
	set_widths(b, ws, COLS, S_NCOLS);
	fit_rows(b, ws);
	double width = 0;
	for (int c = 0; c < S_NCOLS; c++)
		width += b->colw[c];
	title_cell(b, ws, 0, S_NCOLS - 1, "任务完成情况统计",
		   "随任务分工表中填写的完成状态自动更新;逾期按今天的日期计算", width);
	worksheet_freeze_panes(ws, STAT_FIRST, 1);
	if (rows)
		stat_chart(b, ws, rows, (lxw_row_t)(t + 2));
	page_setup(b, ws, 1, 1, 0, 1, NULL);
}
