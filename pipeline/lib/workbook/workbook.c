/*
 * workbook.c - the responsibility workbook of one notice.
 *
 * Seven sheets, in the order and with the headers of CONTRACT.md, written
 * with libxlsxwriter into a temporary file beside the final one, which is
 * synced and renamed into place. A workbook keeps the first libxlsxwriter
 * error it meets (struct book) and goes on; a workbook with an error is
 * freed without being written, so no broken file is left behind.
 *
 * Every string handed to libxlsxwriter goes through utf8_scrub(), and
 * nothing depends on the clock: the same stream gives the same bytes.
 */
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "notice/cn.h"
#include <zip.h>

#include "front/detect.h"
#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/workbook.h"

#define FONT_BODY "仿宋_GB2312"
#define FONT_HEAD "黑体"
#define DATE_FORMAT "yyyy\"年\"m\"月\"d\"日\""
#define NOBODY "(未注明)"
#define TASK_SHEET "任务分工"
#define STATS_SHEET "统计"
/* Excel keeps 32,767 characters in a cell; stay clear of surrogate pairs. */
#define CELL_CHARS 32000
#define SHORT_CHARS 60
/* Columns: 16,384 in all, the unit column and the two totals aside. */
#define MATRIX_MAX_TASKS 16380
/* Blank bordered cells make the matrix a grid; past this many, marks only. */
#define GRID_CELLS 250000
/* libxlsxwriter 1.1.4 aborts on a longer inline drop-down list. */
#ifndef WB_INLINE_LIST_MAX
#define WB_INLINE_LIST_MAX 255
#endif
#define NWIDTH 16
#define FILE_NAME_BYTES 200

/* ---- Collecting a document ---- */

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 16;
	return nm_xrealloc(v, *cap * size);
}

void wb_doc_init(struct wb_doc *d, const char *path, const char *outname,
		 const char *owned_hash)
{
	memset(d, 0, sizeof *d);
	d->path = nm_xstrdup(path);
	d->outname = nm_xstrdup(outname);
	d->owned_hash = nm_xstrdup(owned_hash);
}

static void take_once(char **slot, const char *v)
{
	if (!*slot)
		*slot = nm_xstrdup(v);
}

static void add_end(struct wb_doc *d, const char *line)
{
	d->ends = grow(d->ends, &d->endcap, d->nends, sizeof *d->ends);
	d->ends[d->nends++] = atol(line);
}

static void add_meta(struct wb_doc *d, const struct rec *r)
{
	const char *key = rec_field(r, 1), *v = rec_field(r, 2);
	if (strcmp(key, "encoding") == 0)
		take_once(&d->encoding, v);
	else if (strcmp(key, "issue_date") == 0)
		take_once(&d->issue_date, v);
	else if (strcmp(key, "as_of") == 0)
		take_once(&d->as_of, v);
	else if (strcmp(key, "format") == 0)
		take_once(&d->format, v);
	else if (strcmp(key, "converter") == 0)
		take_once(&d->converter, v);
	else if (strcmp(key, "note") == 0)
		take_once(&d->note, v);
	else if (strcmp(key, "bytes") == 0)
		d->bytes = atoll(v);
	else if (strcmp(key, "invalid") == 0)
		d->invalid = atoll(v);
}

static void add_head(struct wb_doc *d, const struct rec *r)
{
	const char *key = rec_field(r, 3), *v = rec_field(r, 4);
	add_end(d, rec_field(r, 1));
	if (strcmp(key, "docno") == 0) {
		take_once(&d->docno, v);
	} else if (strcmp(key, "issuer") == 0) {
		take_once(&d->issuer, v);
	} else if (strcmp(key, "recipients") == 0) {
		take_once(&d->recipients, v);
	} else if (strcmp(key, "title") == 0) {
		d->title = nm_xrealloc(d->title, (d->ntitle + 1) * sizeof *d->title);
		d->title[d->ntitle++] = (struct wb_title_line){atol(rec_field(r, 1)), nm_xstrdup(v)};
	}
}

/* "牵头:X;配合:Y" as the notice wrote them, when that is not what is shown. */
static char *written_units(const struct rec_task *t)
{
	if (strcmp(t->lead_written, t->lead) == 0 && strcmp(t->coop_written, t->coop) == 0)
		return NULL;
	struct buf b = BUF_INIT;
	buf_printf(&b, "牵头:%s;配合:%s", t->lead_written, t->coop_written);
	for (char *p = b.s; *p; p++)
		if (*p == REC_LIST_SEP)
			*p = ','; /* one line in the cell; 、 may be part of a name */
	return b.s;
}

static void add_task(struct wb_doc *d, const struct rec *r)
{
	struct rec_task t;
	rec_get_task(r, &t);
	d->tasks = grow(d->tasks, &d->taskcap, d->ntasks, sizeof *d->tasks);
	d->tasks[d->ntasks++] = (struct wb_task){
		t.line, t.seq, nm_xstrdup(t.l1), nm_xstrdup(t.l2), nm_xstrdup(t.content),
		nm_xstrdup(t.leaders), nm_xstrdup(t.lead), nm_xstrdup(t.coop),
		nm_xstrdup(t.deadline), nm_xstrdup(t.metrics), written_units(&t), NULL, NULL,
	};
}

static void add_finding(struct wb_doc *d, const struct rec *r)
{
	struct rec_finding f;
	rec_get_finding(r, &f);
	d->findings = grow(d->findings, &d->findcap, d->nfindings, sizeof *d->findings);
	d->findings[d->nfindings++] = (struct wb_finding){
		f.line, nm_xstrdup(f.level), nm_xstrdup(f.rule), nm_xstrdup(f.message),
		nm_xstrdup(f.text),
	};
}

int wb_doc_add(struct wb_doc *d, const struct rec *r)
{
	if (rec_is(r, "meta")) {
		add_meta(d, r);
	} else if (rec_is(r, "head")) {
		add_head(d, r);
	} else if (rec_is(r, "task")) {
		add_task(d, r);
	} else if (rec_is(r, "finding")) {
		add_finding(d, r);
	} else if (rec_is(r, "fail")) {
		take_once(&d->fail, rec_field(r, 1));
	} else if (rec_is(r, "heading")) {
		if (strcmp(rec_field(r, 3), "1") == 0)
			add_end(d, rec_field(r, 1));
		return 0;
	} else if (rec_is(r, "tail")) {
		add_end(d, rec_field(r, 1));
		return 0;
	} else if (rec_is(r, "line") || rec_is(r, "para") || rec_is(r, "item")) {
		return 0;
	}
	return 1;
}

void wb_doc_free(struct wb_doc *d)
{
	for (size_t i = 0; i < d->ntasks; i++) {
		struct wb_task *t = &d->tasks[i];
		free(t->l1), free(t->l2), free(t->content), free(t->leaders);
		free(t->lead), free(t->coop), free(t->deadline), free(t->metrics);
		free(t->written), free(t->source), free(t->docno);
	}
	for (size_t i = 0; i < d->nfindings; i++) {
		struct wb_finding *f = &d->findings[i];
		free(f->level), free(f->rule), free(f->message), free(f->text);
	}
	for (size_t i = 0; i < d->ntitle; i++)
		free(d->title[i].text);
	free(d->path), free(d->outname), free(d->owned_hash), free(d->encoding), free(d->issue_date);
	free(d->docno), free(d->issuer), free(d->recipients), free(d->fail), free(d->as_of);
	free(d->format), free(d->converter), free(d->note);
	free(d->title), free(d->tasks), free(d->findings), free(d->ends);
	memset(d, 0, sizeof *d);
}

/* ---- Names: units and leaders, each given a number once ---- */

struct names {
	char **v;
	size_t n, cap;
	size_t *slot; /* 1 + index into v; 0 is a free slot */
	size_t nslot;
};

#define FNV_BASIS 14695981039346656037ULL

/* FNV-1a, 64 bits: h goes on over the n bytes at p. */
static uint64_t fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

/* The slot holding s, or the free slot where it belongs. */
static size_t names_slot(const struct names *t, const char *s, size_t n)
{
	size_t i = fnv1a(FNV_BASIS, s, n) & (t->nslot - 1);
	while (t->slot[i]) {
		const char *v = t->v[t->slot[i] - 1];
		if (strncmp(v, s, n) == 0 && v[n] == '\0')
			break;
		i = (i + 1) & (t->nslot - 1);
	}
	return i;
}

static void names_rehash(struct names *t)
{
	free(t->slot);
	t->nslot = t->nslot ? 2 * t->nslot : 64;
	t->slot = nm_xmalloc(t->nslot * sizeof *t->slot);
	memset(t->slot, 0, t->nslot * sizeof *t->slot);
	for (size_t i = 0; i < t->n; i++)
		t->slot[names_slot(t, t->v[i], strlen(t->v[i]))] = i + 1;
}

static size_t names_intern(struct names *t, const char *s, size_t n)
{
	if (2 * (t->n + 1) > t->nslot)
		names_rehash(t);
	size_t i = names_slot(t, s, n);
	if (!t->slot[i]) {
		t->v = grow(t->v, &t->cap, t->n, sizeof *t->v);
		t->v[t->n++] = nm_xstrndup(s, n);
		t->slot[i] = t->n;
	}
	return t->slot[i] - 1;
}

static void names_free(struct names *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->slot);
}

/* The next name of a list (REC_LIST_SEP between names); *s moves past it.
 * 0 at the end. */
static int next_name(const char **s, const char **name, size_t *len)
{
	while (**s) {
		const char *p = *s, *sep = strchr(p, REC_LIST_SEP);
		*len = sep ? (size_t)(sep - p) : strlen(p);
		*s = sep ? sep + 1 : p + *len;
		*name = str_trim(p, len);
		if (*len)
			return 1;
	}
	return 0;
}

/* ---- The model: tasks, units and leaders in the orders the sheets use ---- */

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
	size_t *order;  /* task indexes by SEQ */
	size_t *rank;   /* task index -> position in order */
	size_t *byline; /* task indexes by LINE */
	long *ends;     /* d->ends, sorted */
	struct names units, leaders;
	struct links ul, ll;     /* unit and leader links, sorted for 按单位 and 按领导 */
	size_t *ulead, *ucoop;   /* per unit: tasks it leads, co-operates on */
	size_t *uorder, *urank;  /* units in matrix order; unit -> position */
	size_t *tunits;          /* per task: units involved */
	size_t *tleaders;        /* per task: leaders named */
	size_t *lcount, *lorder; /* per leader: tasks led; leaders by that count */
	size_t no_lead, no_leader;
};

/* qsort() of nothing: a notice may have no leader, no finding. qsort's
 * array may not be NULL even then. */
static void sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

/* qsort() has no context argument; the model being sorted is here. */
static const struct model *sorting;

static int cmp_size(size_t a, size_t b) { return (a > b) - (a < b); }
static int cmp_long(long a, long b) { return (a > b) - (a < b); }

static int by_seq(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = cmp_long(sorting->d->tasks[a].seq, sorting->d->tasks[b].seq);
	return c ? c : cmp_size(a, b);
}

static int by_line(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = cmp_long(sorting->d->tasks[a].line, sorting->d->tasks[b].line);
	return c ? c : cmp_size(sorting->rank[a], sorting->rank[b]);
}

static int by_value(const void *pa, const void *pb)
{
	return cmp_long(*(const long *)pa, *(const long *)pb);
}

/* Units lead most first, then co-operate most, then by name. */
static int by_unit(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = cmp_size(sorting->ulead[b], sorting->ulead[a]);
	if (!c)
		c = cmp_size(sorting->ucoop[b], sorting->ucoop[a]);
	return c ? c : strcmp(sorting->units.v[a], sorting->units.v[b]);
}

static int by_leader(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = cmp_size(sorting->lcount[b], sorting->lcount[a]);
	return c ? c : cmp_size(a, b);
}

static int by_unit_link(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;
	int c = cmp_size(sorting->urank[a->who], sorting->urank[b->who]);
	if (!c)
		c = b->lead - a->lead;
	return c ? c : cmp_size(sorting->rank[a->task], sorting->rank[b->task]);
}

static int by_leader_link(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;
	int c = cmp_size(a->who, b->who);
	return c ? c : cmp_size(sorting->rank[a->task], sorting->rank[b->task]);
}

static size_t *index_array(size_t n)
{
	size_t *v = nm_xmalloc(n * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = i;
	return v;
}

static size_t *zeroes(size_t n)
{
	size_t *v = nm_xmalloc(n * sizeof *v);
	memset(v, 0, n * sizeof *v);
	return v;
}

/* Adds who to the links of one task (those from first on) unless there;
 * leading wins over co-operating. */
static void add_link(struct links *l, size_t first, size_t task, size_t who, int lead)
{
	for (size_t i = first; i < l->n; i++) {
		if (l->v[i].who == who) {
			l->v[i].lead |= lead;
			return;
		}
	}
	l->v = grow(l->v, &l->cap, l->n, sizeof *l->v);
	l->v[l->n++] = (struct link){task, who, lead};
}

static void model_task(struct model *m, size_t t)
{
	const struct wb_task *task = &m->d->tasks[t];
	const char *s, *name;
	size_t len, first = m->ul.n;
	for (s = task->lead; next_name(&s, &name, &len);)
		add_link(&m->ul, first, t, names_intern(&m->units, name, len), 1);
	m->no_lead += m->ul.n == first;
	for (s = task->coop; next_name(&s, &name, &len);)
		add_link(&m->ul, first, t, names_intern(&m->units, name, len), 0);
	m->tunits[t] = m->ul.n - first;
	first = m->ll.n;
	for (s = task->leaders; next_name(&s, &name, &len);)
		add_link(&m->ll, first, t, names_intern(&m->leaders, name, len), 1);
	m->tleaders[t] = m->ll.n - first;
	m->no_leader += m->ll.n == first;
}

static void model_units(struct model *m)
{
	size_t nu = m->units.n, nl = m->leaders.n;
	m->ulead = zeroes(nu), m->ucoop = zeroes(nu), m->urank = zeroes(nu);
	for (size_t i = 0; i < m->ul.n; i++)
		(m->ul.v[i].lead ? m->ulead : m->ucoop)[m->ul.v[i].who]++;
	m->uorder = index_array(nu);
	sort(m->uorder, nu, sizeof *m->uorder, by_unit);
	for (size_t i = 0; i < nu; i++)
		m->urank[m->uorder[i]] = i;
	sort(m->ul.v, m->ul.n, sizeof *m->ul.v, by_unit_link);
	m->lcount = zeroes(nl);
	for (size_t i = 0; i < m->ll.n; i++)
		m->lcount[m->ll.v[i].who]++;
	m->lorder = index_array(nl);
	sort(m->lorder, nl, sizeof *m->lorder, by_leader);
	sort(m->ll.v, m->ll.n, sizeof *m->ll.v, by_leader_link);
}

static void model_build(struct model *m, const struct wb_doc *d)
{
	size_t n = d->ntasks;
	memset(m, 0, sizeof *m);
	m->d = d;
	sorting = m;
	m->order = index_array(n);
	sort(m->order, n, sizeof *m->order, by_seq);
	m->rank = zeroes(n);
	for (size_t i = 0; i < n; i++)
		m->rank[m->order[i]] = i;
	m->byline = index_array(n);
	sort(m->byline, n, sizeof *m->byline, by_line);
	m->ends = nm_xmalloc(d->nends * sizeof *m->ends);
	if (d->nends)
		memcpy(m->ends, d->ends, d->nends * sizeof *m->ends);
	sort(m->ends, d->nends, sizeof *m->ends, by_value);
	m->tunits = zeroes(n), m->tleaders = zeroes(n);
	for (size_t i = 0; i < n; i++)
		model_task(m, m->order[i]);
	model_units(m);
	sorting = NULL;
}

static void model_free(struct model *m)
{
	free(m->order), free(m->rank), free(m->byline), free(m->ends);
	names_free(&m->units), names_free(&m->leaders);
	free(m->ul.v), free(m->ll.v);
	free(m->ulead), free(m->ucoop), free(m->uorder), free(m->urank);
	free(m->tunits), free(m->tleaders), free(m->lcount), free(m->lorder);
}

/* The first of the sorted v[0..n) greater than x, or none. */
static long first_after(const long *v, size_t n, long x, long none)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid] <= x)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n ? v[lo] : none;
}

/*
 * The task whose text holds line: the last task starting at or before it,
 * when no other task, level-1 heading or closing part starts in between.
 */
static int task_at(const struct model *m, long line, size_t *task)
{
	const struct wb_task *t = m->d->tasks;
	size_t lo = 0, hi = m->d->ntasks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t[m->byline[mid]].line <= line)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return 0;
	size_t i = lo - 1;
	long start = t[m->byline[i]].line;
	while (i > 0 && t[m->byline[i - 1]].line == start)
		i--;
	if (line >= first_after(m->ends, m->d->nends, start, line + 1))
		return 0;
	*task = m->byline[i];
	return 1;
}

/* ---- A workbook being written ---- */

struct fmts {
	lxw_format *title, *head, *head_tall, *note, *key, *total, *mark, *plain, *count;
	lxw_format *text[2], *mid[2], *date[2]; /* body cells; [1] banded */
	lxw_format *ltext[4], *lmid[4], *llink[4]; /* findings by level */
	lxw_format *late, *soon; /* conditional formats */
};

/* A paragraph of wrapped text in a cell, for the height of its row. */
struct para {
	lxw_row_t row;
	lxw_col_t col;
	size_t width;
};

struct column {
	const char *head;
	double min, max; /* in characters of the default font */
};

struct book {
	lxw_workbook *wb;
	lxw_error err;
	const char *sheet, *err_sheet;
	struct buf text, shortened;
	size_t width[NWIDTH]; /* display width of the widest line per column */
	double colw[NWIDTH];  /* the widths set, in characters */
	struct para *paras;   /* of the sheet being written */
	size_t npara, paracap;
	lxw_worksheet *lists; /* hidden sheet of long drop-down lists */
	lxw_col_t task_col[NWIDTH]; /* where each task column goes (task_columns) */
	struct column task_cols[NWIDTH];
	size_t task_ncols;
	lxw_row_t nlist;
	struct fmts f;
};

static void ok(struct book *b, lxw_error e)
{
	if (e != LXW_NO_ERROR && b->err == LXW_NO_ERROR) {
		b->err = e;
		b->err_sheet = b->sheet;
	}
}

static void *need(struct book *b, void *p)
{
	if (!p)
		ok(b, LXW_ERROR_MEMORY_MALLOC_FAILED);
	return p;
}

static lxw_format *fmt_font(struct book *b, const char *font, double size, int bold)
{
	lxw_format *f = workbook_add_format(b->wb);
	if (!f)
		nm_die(NM_EUSAGE, "out of memory");
	format_set_font_name(f, font);
	format_set_font_family(f, 3);    /* modern: how Excel tags CJK fonts */
	format_set_font_charset(f, 134); /* GB2312_CHARSET */
	format_set_font_size(f, size);
	if (bold)
		format_set_bold(f);
	return f;
}

/* A bordered table cell: bold in 黑体, else in 仿宋; fill 0 is none. */
static lxw_format *fmt_cell(struct book *b, int bold, lxw_color_t fill, uint8_t align, int wrap)
{
	lxw_format *f = fmt_font(b, bold ? FONT_HEAD : FONT_BODY, 11, bold);
	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (align)
		format_set_align(f, align);
	if (wrap)
		format_set_text_wrap(f);
	if (fill) {
		format_set_pattern(f, LXW_PATTERN_SOLID);
		format_set_bg_color(f, fill);
	}
	return f;
}

static void fmts_levels(struct book *b)
{
	static const lxw_color_t FILL[4] = {0xFFC7CE, 0xFFEB9C, 0xDDEBF7, 0};
	for (int i = 0; i < 4; i++) {
		b->f.ltext[i] = fmt_cell(b, 0, FILL[i], 0, 1);
		b->f.lmid[i] = fmt_cell(b, 0, FILL[i], LXW_ALIGN_CENTER, 1);
		b->f.llink[i] = fmt_cell(b, 0, FILL[i], LXW_ALIGN_CENTER, 0);
		format_set_font_color(b->f.llink[i], 0x0563C1);
		format_set_underline(b->f.llink[i], LXW_UNDERLINE_SINGLE);
	}
}

static lxw_format *fmt_highlight(struct book *b, lxw_color_t fill, lxw_color_t font)
{
	lxw_format *f = workbook_add_format(b->wb);
	if (!f)
		nm_die(NM_EUSAGE, "out of memory");
	format_set_bg_color(f, fill);
	format_set_font_color(f, font);
	return f;
}

/* Every format of a workbook, made once. */
static void fmts_init(struct book *b)
{
	static const lxw_color_t HEAD_FILL = 0xD9E1F2, BAND = 0xF2F2F2;
	struct fmts *f = &b->f;
	f->title = fmt_font(b, FONT_HEAD, 16, 1);
	format_set_align(f->title, LXW_ALIGN_CENTER);
	format_set_align(f->title, LXW_ALIGN_VERTICAL_CENTER);
	format_set_text_wrap(f->title);
	f->head = fmt_cell(b, 1, HEAD_FILL, LXW_ALIGN_CENTER, 1);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	f->head_tall = fmt_cell(b, 1, HEAD_FILL, LXW_ALIGN_CENTER, 0);
	format_set_rotation(f->head_tall, 270);
	f->note = fmt_font(b, FONT_BODY, 11, 0);
	f->key = fmt_cell(b, 1, 0, 0, 1);
	f->total = fmt_cell(b, 1, HEAD_FILL, LXW_ALIGN_CENTER, 0);
	f->mark = fmt_cell(b, 0, 0, LXW_ALIGN_CENTER, 0);
	format_set_align(f->mark, LXW_ALIGN_VERTICAL_CENTER);
	f->plain = fmt_cell(b, 0, 0, 0, 0);
	f->count = fmt_cell(b, 0, 0, LXW_ALIGN_LEFT, 0);
	format_set_num_format(f->count, "#,##0");
	for (int band = 0; band < 2; band++) {
		lxw_color_t fill = band ? BAND : 0;
		f->text[band] = fmt_cell(b, 0, fill, 0, 1);
		f->mid[band] = fmt_cell(b, 0, fill, LXW_ALIGN_CENTER, 1);
		f->date[band] = fmt_cell(b, 0, fill, LXW_ALIGN_CENTER, 1);
		format_set_num_format(f->date[band], DATE_FORMAT);
	}
	fmts_levels(b);
	f->late = fmt_highlight(b, 0xFFC7CE, 0x9C0006);
	f->soon = fmt_highlight(b, 0xFFEB9C, 0x9C5700);
}

/* Removes U+FFFE and U+FFFF, which XML does not allow, from valid UTF-8. */
static void drop_nonchars(struct buf *t)
{
	size_t w = 0;
	for (size_t i = 0; i < t->len; i++) {
		if ((unsigned char)t->s[i] == 0xEF && i + 2 < t->len &&
		    (unsigned char)t->s[i + 1] == 0xBF && ((unsigned char)t->s[i + 2] & 0xFE) == 0xBE) {
			i += 2;
			continue;
		}
		t->s[w++] = t->s[i];
	}
	t->len = w;
	t->s[w] = '\0';
}

/* Cuts t after max characters, marking the cut with …. */
static void cut_chars(struct buf *t, size_t max)
{
	size_t chars = 0;
	for (size_t i = 0; i < t->len; i++) {
		if (((unsigned char)t->s[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == max) {
			t->len = i;
			t->s[i] = '\0';
			buf_adds(t, "…");
			return;
		}
	}
}

/* s as a cell's text: valid UTF-8, no control characters, not too long. */
static const char *safe(struct book *b, const char *s)
{
	buf_reset(&b->text);
	utf8_scrub(&b->text, s);
	drop_nonchars(&b->text);
	cut_chars(&b->text, CELL_CHARS);
	return buf_str(&b->text);
}

/*
 * Measures the lines of b->text (taking it apart): the widest goes into
 * the column's width; when the cell wraps, each is kept for its row.
 */
static void measure(struct book *b, lxw_row_t r, lxw_col_t c, int wraps)
{
	for (char *s = b->text.s; s;) {
		char *nl = strchr(s, '\n');
		if (nl)
			*nl = '\0';
		size_t w = utf8_width(s);
		b->width[c] = w > b->width[c] ? w : b->width[c];
		if (wraps) {
			b->paras = grow(b->paras, &b->paracap, b->npara, sizeof *b->paras);
			b->paras[b->npara++] = (struct para){r, c, w};
		}
		s = nl ? nl + 1 : NULL;
	}
}

static void put_text(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		     lxw_format *f)
{
	ok(b, worksheet_write_string(ws, r, c, safe(b, s), f));
	if (c < NWIDTH && b->text.s)
		measure(b, r, c, f && f->text_wrap);
}

/* A list of the stream (REC_LIST_SEP between names) as the cell shows it: joined with 、. */
static void put_list(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		     lxw_format *f)
{
	struct buf joined = BUF_INIT;
	for (const char *p = s; *p; p++) {
		if (*p == REC_LIST_SEP)
			buf_adds(&joined, "、");
		else
			buf_addc(&joined, *p);
	}
	put_text(b, ws, r, c, buf_str(&joined), f);
	buf_free(&joined);
}

static void put_num(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, double v,
		    lxw_format *f)
{
	ok(b, worksheet_write_number(ws, r, c, v, f));
	if (c < NWIDTH && b->width[c] < 6)
		b->width[c] = 6;
}

static void put_blank(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, lxw_format *f)
{
	ok(b, worksheet_write_blank(ws, r, c, f));
}

/* A YYYY-MM-DD date as a date cell; other text as it is. */
static void put_date(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *iso,
		     lxw_format *date, lxw_format *text)
{
	int y, m, d;
	if (!*iso) {
		put_blank(b, ws, r, c, date);
	} else if (date_from_iso(iso, &y, &m, &d) && y >= 1900 && y <= 9999) {
		lxw_datetime dt = {y, m, d, 0, 0, 0};
		ok(b, worksheet_write_datetime(ws, r, c, &dt, date));
		if (b->width[c] < 14)
			b->width[c] = 14;
	} else {
		put_text(b, ws, r, c, iso, text);
	}
}

/* The first SHORT_CHARS characters of s on one line. */
static void put_short(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *s,
		      lxw_format *f)
{
	size_t at = 0, chars = 0;
	while (s[at] && chars <= SHORT_CHARS) /* only the start is read: content may be long */
		chars += ((unsigned char)s[at++] & 0xC0) != 0x80;
	buf_reset(&b->shortened);
	buf_add(&b->shortened, s, at);
	for (size_t i = 0; i < b->shortened.len; i++)
		if (b->shortened.s[i] == '\n' || b->shortened.s[i] == '\t')
			b->shortened.s[i] = ' ';
	cut_chars(&b->shortened, SHORT_CHARS);
	put_text(b, ws, r, c, buf_str(&b->shortened), f);
}

static void put_header(struct book *b, lxw_worksheet *ws, lxw_row_t r, const struct column *cols,
		       size_t n)
{
	for (size_t c = 0; c < n; c++)
		put_text(b, ws, r, (lxw_col_t)c, cols[c].head, b->f.head);
}

static void set_width(struct book *b, lxw_worksheet *ws, lxw_col_t c, double w)
{
	ok(b, worksheet_set_column(ws, c, c, w, NULL));
	if (c < NWIDTH)
		b->colw[c] = w;
}

/* Sets each column from the text written to it; returns the total width. */
static double set_widths(struct book *b, lxw_worksheet *ws, const struct column *cols, size_t n)
{
	double total = 0;
	for (size_t c = 0; c < n; c++) {
		double w = b->width[c] * 1.1 + 2;
		w = w < cols[c].min ? cols[c].min : w > cols[c].max ? cols[c].max : w;
		set_width(b, ws, (lxw_col_t)c, w);
		total += w;
	}
	return total;
}

static int by_row(const void *pa, const void *pb)
{
	const struct para *a = pa, *b = pb;
	int c = (a->row > b->row) - (a->row < b->row);
	return c ? c : (a->col > b->col) - (a->col < b->col);
}

/*
 * Gives rows of wrapped text the height their longest cell needs in the
 * widths set: Excel keeps row heights as written and LibreOffice does not
 * recompute them, so text would hide below one line otherwise.
 */
static void fit_rows(struct book *b, lxw_worksheet *ws)
{
	sort(b->paras, b->npara, sizeof *b->paras, by_row);
	for (size_t i = 0; i < b->npara;) {
		lxw_row_t r = b->paras[i].row;
		size_t lines[NWIDTH] = {0}, most = 1;
		for (; i < b->npara && b->paras[i].row == r; i++) {
			const struct para *p = &b->paras[i];
			double fit = b->colw[p->col] * 7.0 / 7.4 - 1;
			size_t per = fit < 2 ? 2 : (size_t)fit;
			lines[p->col] += p->width ? (p->width + per - 1) / per : 1;
			most = lines[p->col] > most ? lines[p->col] : most;
		}
		if (most > 1)
			ok(b, worksheet_set_row(ws, r, most > 27 ? 409 : most * 14.5 + 4, NULL));
	}
}

/* A4 landscape, pages_wide pages wide, rows first..last repeated, page numbers. */
static void page_setup(struct book *b, lxw_worksheet *ws, int first, int last, int repeat_col,
		       uint16_t pages_wide)
{
	lxw_header_footer_options footer = {.margin = 0.3};
	worksheet_set_paper(ws, 9);
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, pages_wide, 0);
	worksheet_set_margins(ws, 0.4, 0.4, 0.5, 0.6);
	worksheet_center_horizontally(ws);
	ok(b, worksheet_set_footer_opt(ws, "&C第 &P 页 共 &N 页", &footer));
	if (first >= 0)
		ok(b, worksheet_repeat_rows(ws, (lxw_row_t)first, (lxw_row_t)last));
	if (repeat_col)
		ok(b, worksheet_repeat_columns(ws, 0, 0));
}

static lxw_worksheet *sheet_add(struct book *b, const char *name)
{
	b->sheet = name;
	return need(b, workbook_add_worksheet(b->wb, name));
}

static void sheet_begin(struct book *b, const char *name)
{
	b->sheet = name;
	memset(b->width, 0, sizeof b->width);
	memset(b->colw, 0, sizeof b->colw);
	b->npara = 0;
}

/* ---- 任务分工 ---- */

/* The columns of the contract, then those shown only where they apply:
 * 原文单位 under --as-of, 来源文件 and 发文字号 in a summary. */
enum {
	T_SEQ, T_L1, T_L2, T_CONTENT, T_LEADERS, T_LEAD, T_COOP, T_DEADLINE, T_METRICS, T_LINE,
	T_STATE, T_PROGRESS, T_WRITTEN, T_SOURCE, T_DOCNO, T_NCOLS
};

static const struct column TASK_COLS[T_NCOLS] = {
	{"序号", 5, 6}, {"一级标题", 8, 12}, {"二级标题", 10, 16}, {"任务内容", 24, 46},
	{"牵头领导", 8, 9}, {"牵头单位", 10, 14}, {"配合单位", 10, 22}, {"完成时限", 16, 16},
	{"量化指标", 10, 18}, {"原文行号", 6, 6}, {"完成状态", 9, 9}, {"进展情况", 14, 14},
	{"原文单位", 12, 24}, {"来源文件", 12, 28}, {"发文字号", 10, 18},
};

/* Chooses the task sheet's columns; their number goes to b->task_ncols. */
static void task_columns(struct book *b, const struct wb_doc *d)
{
	size_t n = 0;
	for (int c = 0; c < T_NCOLS; c++) {
		int shown = c < T_WRITTEN || (c == T_WRITTEN && d->as_of) ||
			    (c >= T_SOURCE && d->ntasks && d->tasks[0].source);
		b->task_col[c] = shown ? (lxw_col_t)n : 0;
		if (shown)
			b->task_cols[n++] = TASK_COLS[c];
	}
	b->task_ncols = n;
}

static char *STATES[] = {"未启动", "推进中", "已完成", "滞后", NULL};

static void task_row(struct book *b, lxw_worksheet *ws, lxw_row_t r, const struct wb_task *t,
		     int band)
{
	const struct fmts *f = &b->f;
	put_num(b, ws, r, T_SEQ, (double)t->seq, f->mid[band]);
	put_text(b, ws, r, T_L1, t->l1, f->text[band]);
	put_text(b, ws, r, T_L2, t->l2, f->text[band]);
	put_text(b, ws, r, T_CONTENT, t->content, f->text[band]);
	put_list(b, ws, r, T_LEADERS, t->leaders, f->text[band]);
	put_list(b, ws, r, T_LEAD, t->lead, f->text[band]);
	put_list(b, ws, r, T_COOP, t->coop, f->text[band]);
	put_date(b, ws, r, T_DEADLINE, t->deadline, f->date[band], f->mid[band]);
	put_text(b, ws, r, T_METRICS, t->metrics, f->text[band]);
	put_num(b, ws, r, T_LINE, (double)t->line, f->mid[band]);
	put_blank(b, ws, r, T_STATE, f->mid[band]);
	put_blank(b, ws, r, T_PROGRESS, f->text[band]);
	if (b->task_col[T_WRITTEN])
		put_text(b, ws, r, b->task_col[T_WRITTEN], t->written ? t->written : "", f->text[band]);
	if (b->task_col[T_SOURCE]) {
		put_text(b, ws, r, b->task_col[T_SOURCE], t->source, f->text[band]);
		put_text(b, ws, r, b->task_col[T_DOCNO], t->docno, f->text[band]);
	}
}

/* Points dv at items: inline when short enough, else on the hidden sheet. */
static void list_source(struct book *b, lxw_data_validation *dv, char **items, char *formula,
			size_t cap)
{
	size_t len = 0, n = 0;
	for (; items[n]; n++)
		len += strlen(items[n]) + (n > 0);
	if (len <= WB_INLINE_LIST_MAX) {
		dv->validate = LXW_VALIDATION_TYPE_LIST;
		dv->value_list = items;
		return;
	}
	const char *sheet = b->sheet;
	if (!b->lists && (b->lists = sheet_add(b, "下拉列表")))
		worksheet_hide(b->lists);
	b->sheet = sheet;
	if (!b->lists)
		return;
	for (size_t i = 0; i < n; i++)
		ok(b, worksheet_write_string(b->lists, b->nlist + (lxw_row_t)i, 0, safe(b, items[i]),
					     NULL));
	snprintf(formula, cap, "='下拉列表'!$A$%u:$A$%u", (unsigned)b->nlist + 1,
		 (unsigned)(b->nlist + n));
	b->nlist += (lxw_row_t)n;
	dv->validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
	dv->value_formula = formula;
}

static void state_list(struct book *b, lxw_worksheet *ws, lxw_row_t first, lxw_row_t last)
{
	char formula[128];
	lxw_data_validation dv = {0};
	list_source(b, &dv, STATES, formula, sizeof formula);
	dv.input_title = "完成状态";
	dv.input_message = "请从下拉列表选择:未启动、推进中、已完成、滞后";
	dv.error_title = "完成状态";
	dv.error_message = "请从下拉列表选择:未启动、推进中、已完成、滞后";
	if (dv.validate)
		ok(b, worksheet_data_validation_range(ws, first, T_STATE, last, T_STATE, &dv));
}

/* Rows overdue (red) or due within 30 days (yellow) and not 已完成, live via TODAY(). */
static void deadline_colours(struct book *b, lxw_worksheet *ws, lxw_row_t first, lxw_row_t last)
{
	char h[8], k[8], late[256], soon[256];
	unsigned r = (unsigned)first + 1;
	lxw_col_to_name(h, T_DEADLINE, 1);
	lxw_col_to_name(k, T_STATE, 1);
	snprintf(late, sizeof late, "=AND(%s%u<>\"\",%s%u<TODAY(),%s%u<>\"已完成\")", h, r, h, r, k,
		 r);
	snprintf(soon, sizeof soon,
		 "=AND(%s%u<>\"\",%s%u>=TODAY(),%s%u<=TODAY()+30,%s%u<>\"已完成\")", h, r, h, r, h,
		 r, k, r);
	lxw_conditional_format cf = {0};
	cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
	cf.value_string = late;
	cf.format = b->f.late;
	ok(b, worksheet_conditional_format_range(ws, first, 0, last, b->task_ncols - 1, &cf));
	cf.value_string = soon;
	cf.format = b->f.soon;
	ok(b, worksheet_conditional_format_range(ws, first, 0, last, b->task_ncols - 1, &cf));
}

/* The merged title row, tall enough for the title at 16 points. */
static void title_row(struct book *b, lxw_worksheet *ws, const char *title, double width)
{
	ok(b, worksheet_merge_range(ws, 0, 0, 0, b->task_ncols - 1, safe(b, title), b->f.title));
	double need_w = utf8_width(buf_str(&b->text)) * 16.0 / 11.0 * 1.05;
	int lines = 1 + (int)(need_w / (width > 1 ? width : 1));
	ok(b, worksheet_set_row(ws, 0, 24.0 * lines + 12, NULL));
}

static int several_l1(const struct wb_doc *d, const size_t *tasks, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (strcmp(d->tasks[tasks[i]].l1, d->tasks[tasks[0]].l1) != 0)
			return 1;
	return 0;
}

/*
 * The 任务分工 sheet of the tasks listed (indexes in SEQ order). Rows are
 * banded by 一级标题, or by 二级标题 when all tasks share one 一级标题.
 */
static void sheet_tasks(struct book *b, const struct wb_doc *d, lxw_worksheet *ws,
			const size_t *tasks, size_t n, const char *title)
{
	sheet_begin(b, TASK_SHEET);
	if (!ws)
		return;
	task_columns(b, d);
	put_header(b, ws, 1, b->task_cols, b->task_ncols);
	int band = 0, by_l2 = !several_l1(d, tasks, n);
	for (size_t i = 0; i < n; i++) {
		const struct wb_task *t = &d->tasks[tasks[i]], *prev = &d->tasks[tasks[i ? i - 1 : 0]];
		if (strcmp(t->l1, prev->l1) != 0 || (by_l2 && strcmp(t->l2, prev->l2) != 0))
			band = !band;
		task_row(b, ws, (lxw_row_t)(i + 2), t, band);
	}
	double width = set_widths(b, ws, b->task_cols, b->task_ncols);
	fit_rows(b, ws);
	title_row(b, ws, title, width);
	worksheet_freeze_panes(ws, 2, 0);
	ok(b, worksheet_autofilter(ws, 1, 0, (lxw_row_t)(n + 1), b->task_ncols - 1));
	if (n) {
		state_list(b, ws, 2, (lxw_row_t)(n + 1));
		deadline_colours(b, ws, 2, (lxw_row_t)(n + 1));
	}
	page_setup(b, ws, 1, 1, 0, 1);
}

/* ---- 责任矩阵 ---- */

/* Pages across for a sheet this many pixels wide: one, unless that would
 * print it below 60% of its size. */
static uint16_t pages_across(double px)
{
	const double page = (11.69 - 0.8) * 96;
	if (px * 0.6 <= page)
		return 1;
	double pages = px * 0.75 / page;
	return pages > 60000 ? 60000 : (uint16_t)pages + 1;
}

static double task_col_width(const struct model *m)
{
	long max = 1;
	for (size_t i = 0; i < m->d->ntasks; i++)
		max = labs(m->d->tasks[i].seq) > max ? labs(m->d->tasks[i].seq) : max;
	int digits = snprintf(NULL, 0, "%ld", max);
	return digits < 3 ? 3.5 : digits + 1.5;
}

static void matrix_grid(struct book *b, lxw_worksheet *ws, size_t rows, size_t cols,
			lxw_row_t r0)
{
	if (rows * cols > GRID_CELLS)
		return;
	for (size_t r = 0; r < rows; r++)
		for (size_t c = 0; c < cols; c++)
			put_blank(b, ws, r0 + (lxw_row_t)r, (lxw_col_t)(c + 1), b->f.mark);
}

static void matrix_wide(struct book *b, const struct model *m, lxw_worksheet *ws)
{
	size_t n = m->d->ntasks, nu = m->units.n;
	lxw_col_t lead = (lxw_col_t)(n + 1), coop = (lxw_col_t)(n + 2);
	lxw_row_t sum = (lxw_row_t)(nu + 1);
	const struct fmts *f = &b->f;
	put_text(b, ws, 0, 0, "单位", f->head);
	for (size_t k = 0; k < n; k++) {
		put_num(b, ws, 0, (lxw_col_t)(k + 1), (double)m->d->tasks[m->order[k]].seq, f->head);
		put_num(b, ws, sum, (lxw_col_t)(k + 1), (double)m->tunits[m->order[k]], f->total);
	}
	put_text(b, ws, 0, lead, "牵头数", f->head);
	put_text(b, ws, 0, coop, "配合数", f->head);
	matrix_grid(b, ws, nu, n, 1);
	for (size_t i = 0; i < nu; i++) {
		size_t u = m->uorder[i];
		put_text(b, ws, (lxw_row_t)(i + 1), 0, m->units.v[u], f->text[0]);
		put_num(b, ws, (lxw_row_t)(i + 1), lead, (double)m->ulead[u], f->mark);
		put_num(b, ws, (lxw_row_t)(i + 1), coop, (double)m->ucoop[u], f->mark);
	}
	for (size_t i = 0; i < m->ul.n; i++) {
		const struct link *l = &m->ul.v[i];
		put_text(b, ws, (lxw_row_t)(m->urank[l->who] + 1), (lxw_col_t)(m->rank[l->task] + 1),
			 l->lead ? "●" : "○", f->mark);
	}
	size_t leads = 0, coops = 0;
	for (size_t u = 0; u < nu; u++)
		leads += m->ulead[u], coops += m->ucoop[u];
	put_text(b, ws, sum, 0, "合计", f->total);
	put_num(b, ws, sum, lead, (double)leads, f->total);
	put_num(b, ws, sum, coop, (double)coops, f->total);
	double w0 = b->width[0] * 1.1 + 2, tw = task_col_width(m);
	w0 = w0 < 10 ? 10 : w0 > 30 ? 30 : w0;
	set_width(b, ws, 0, w0);
	fit_rows(b, ws);
	if (n)
		ok(b, worksheet_set_column(ws, 1, (lxw_col_t)n, tw, NULL));
	ok(b, worksheet_set_column(ws, lead, coop, 7, NULL));
	worksheet_freeze_panes(ws, 1, 1);
	page_setup(b, ws, 0, 0, 1, pages_across((w0 + 14) * 7 + n * (tw * 7 + 5) + 30));
}

/* More tasks than Excel has columns: a row per task, a column per unit. */
static void matrix_tall(struct book *b, const struct model *m, lxw_worksheet *ws)
{
	size_t n = m->d->ntasks, nu = m->units.n;
	size_t shown = nu < LXW_COL_MAX - 2 ? nu : LXW_COL_MAX - 2;
	lxw_col_t count = (lxw_col_t)(shown + 1);
	const struct fmts *f = &b->f;
	struct buf note = BUF_INIT;
	buf_printf(&note, "任务共 %zu 项,超过 Excel 的列数上限,矩阵已转置:每行一项任务,每列一个单位。", n);
	if (shown < nu)
		buf_printf(&note, "单位共 %zu 个,只列出前 %zu 个。", nu, shown);
	put_text(b, ws, 0, 0, buf_str(&note), f->note);
	buf_free(&note);
	put_text(b, ws, 1, 0, "序号", f->head);
	size_t tallest = 2;
	for (size_t i = 0; i < shown; i++) {
		const char *name = m->units.v[m->uorder[i]];
		size_t chars = utf8_chars(name, strlen(name));
		tallest = chars > tallest ? chars : tallest;
		put_text(b, ws, 1, (lxw_col_t)(i + 1), name, f->head_tall);
		put_num(b, ws, (lxw_row_t)(n + 2), (lxw_col_t)(i + 1), (double)m->ulead[m->uorder[i]],
			f->total);
		put_num(b, ws, (lxw_row_t)(n + 3), (lxw_col_t)(i + 1), (double)m->ucoop[m->uorder[i]],
			f->total);
	}
	put_text(b, ws, 1, count, "单位数", f->head);
	matrix_grid(b, ws, n, shown, 2);
	for (size_t k = 0; k < n; k++) {
		put_num(b, ws, (lxw_row_t)(k + 2), 0, (double)m->d->tasks[m->order[k]].seq, f->mark);
		put_num(b, ws, (lxw_row_t)(k + 2), count, (double)m->tunits[m->order[k]], f->mark);
	}
	for (size_t i = 0; i < m->ul.n; i++) {
		const struct link *l = &m->ul.v[i];
		if (m->urank[l->who] < shown)
			put_text(b, ws, (lxw_row_t)(m->rank[l->task] + 2),
				 (lxw_col_t)(m->urank[l->who] + 1), l->lead ? "●" : "○", f->mark);
	}
	put_text(b, ws, (lxw_row_t)(n + 2), 0, "牵头数", f->total);
	put_text(b, ws, (lxw_row_t)(n + 3), 0, "配合数", f->total);
	ok(b, worksheet_set_row(ws, 1, tallest * 14.0 + 12 > 409 ? 409 : tallest * 14.0 + 12, NULL));
	ok(b, worksheet_set_column(ws, 0, 0, 8, NULL));
	if (shown)
		ok(b, worksheet_set_column(ws, 1, (lxw_col_t)shown, 3.5, NULL));
	ok(b, worksheet_set_column(ws, count, count, 7, NULL));
	worksheet_freeze_panes(ws, 2, 1);
	page_setup(b, ws, 1, 1, 1, pages_across(130 + shown * 30.0));
}

static void sheet_matrix(struct book *b, const struct model *m, lxw_worksheet *ws)
{
	sheet_begin(b, "责任矩阵");
	if (!ws)
		return;
	if (m->d->ntasks > MATRIX_MAX_TASKS)
		matrix_tall(b, m, ws);
	else
		matrix_wide(b, m, ws);
}

/* ---- 校验结果 ---- */

enum { F_LEVEL, F_RULE, F_LINE, F_MESSAGE, F_TEXT, F_NCOLS };

static const struct column FINDING_COLS[F_NCOLS] = {
	{"级别", 6, 6}, {"规则", 12, 28}, {"行号", 7, 8}, {"说明", 20, 50}, {"原文", 20, 50},
};

static int level_index(const char *level)
{
	static const char *const LEVELS[] = {"错误", "警告", "提示"};
	for (int i = 0; i < 3; i++)
		if (strcmp(level, LEVELS[i]) == 0)
			return i;
	return 3;
}

static const struct wb_doc *sorting_doc;

static int by_finding(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	const struct wb_finding *fa = &sorting_doc->findings[a], *fb = &sorting_doc->findings[b];
	int c = cmp_long(fa->line, fb->line);
	if (!c)
		c = level_index(fa->level) - level_index(fb->level);
	return c ? c : cmp_size(a, b);
}

/* 行号: a link to the task row holding the line, where there is one. */
static void finding_line(struct book *b, const struct model *m, lxw_worksheet *ws, lxw_row_t r,
			 long line, int lv, size_t *links)
{
	size_t t;
	if (line <= 0) {
		put_blank(b, ws, r, F_LINE, b->f.lmid[lv]); /* the whole notice */
	} else if (*links < LXW_MAX_NUMBER_URLS && task_at(m, line, &t)) {
		char url[64], tip[64], shown[32];
		snprintf(url, sizeof url, "internal:'" TASK_SHEET "'!A%zu", m->rank[t] + 3);
		snprintf(tip, sizeof tip, "转到任务 %ld", m->d->tasks[t].seq);
		snprintf(shown, sizeof shown, "%ld", line);
		ok(b, worksheet_write_url_opt(ws, r, F_LINE, url, b->f.llink[lv], shown, tip));
		put_num(b, ws, r, F_LINE, (double)line, b->f.llink[lv]);
		(*links)++;
	} else {
		put_num(b, ws, r, F_LINE, (double)line, b->f.lmid[lv]);
	}
}

static void sheet_findings(struct book *b, const struct model *m, lxw_worksheet *ws)
{
	const struct wb_doc *d = m->d;
	sheet_begin(b, "校验结果");
	if (!ws)
		return;
	size_t *order = index_array(d->nfindings), links = 0;
	sorting_doc = d;
	sort(order, d->nfindings, sizeof *order, by_finding);
	put_header(b, ws, 0, FINDING_COLS, F_NCOLS);
	for (size_t i = 0; i < d->nfindings; i++) {
		const struct wb_finding *f = &d->findings[order[i]];
		lxw_row_t r = (lxw_row_t)(i + 1);
		int lv = level_index(f->level);
		put_text(b, ws, r, F_LEVEL, f->level, b->f.lmid[lv]);
		put_text(b, ws, r, F_RULE, f->rule, b->f.ltext[lv]);
		finding_line(b, m, ws, r, f->line, lv, &links);
		put_text(b, ws, r, F_MESSAGE, f->message, b->f.ltext[lv]);
		put_text(b, ws, r, F_TEXT, f->text, b->f.ltext[lv]);
	}
	free(order);
	set_widths(b, ws, FINDING_COLS, F_NCOLS);
	fit_rows(b, ws);
	worksheet_freeze_panes(ws, 1, 0);
	ok(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)d->nfindings, F_NCOLS - 1));
	page_setup(b, ws, 0, 0, 0, 1);
}

/* ---- 文件信息 ---- */

static const struct column INFO_COLS[] = {{"项目", 14, 16}, {"内容", 30, 80}};

static int by_title_line(const void *pa, const void *pb)
{
	const struct wb_title_line *a = *(const struct wb_title_line *const *)pa;
	const struct wb_title_line *b = *(const struct wb_title_line *const *)pb;
	int c = cmp_long(a->line, b->line);
	return c ? c : (a > b) - (a < b);
}

/* The title lines joined in line order. */
static void doc_title(const struct wb_doc *d, struct buf *out)
{
	const struct wb_title_line **v = nm_xmalloc(d->ntitle * sizeof *v);
	for (size_t i = 0; i < d->ntitle; i++)
		v[i] = &d->title[i];
	sort(v, d->ntitle, sizeof *v, by_title_line);
	for (size_t i = 0; i < d->ntitle; i++)
		buf_adds(out, v[i]->text);
	free(v);
}

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
		n[level_index(d->findings[i].level)]++;
	buf_printf(out, "错误 %zu 条,警告 %zu 条,提示 %zu 条", n[0], n[1], n[2]);
}

static void sheet_info(struct book *b, const struct wb_doc *d, const struct wb_options *o,
		       lxw_worksheet *ws, const char *title)
{
	int y, mo, dd;
	lxw_row_t r = 1;
	struct buf summary = BUF_INIT;
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
	struct buf path = BUF_INIT;
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
	page_setup(b, ws, 0, 0, 0, 1);
}

/* ---- 按领导, 按单位 ---- */

enum { L_LEADER, L_SEQ, L_CONTENT, L_LEAD, L_COOP, L_DEADLINE, L_NCOLS };

static const struct column LEADER_COLS[L_NCOLS] = {
	{"牵头领导", 8, 10}, {"序号", 5, 6}, {"任务内容", 24, 66},
	{"牵头单位", 10, 16}, {"配合单位", 10, 26}, {"完成时限", 16, 16},
};

static void leader_row(struct book *b, lxw_worksheet *ws, lxw_row_t r, const char *leader,
		       const struct wb_task *t, int band)
{
	const struct fmts *f = &b->f;
	put_text(b, ws, r, L_LEADER, leader, f->text[band]);
	put_num(b, ws, r, L_SEQ, (double)t->seq, f->mid[band]);
	put_short(b, ws, r, L_CONTENT, t->content, f->text[band]);
	put_list(b, ws, r, L_LEAD, t->lead, f->text[band]);
	put_list(b, ws, r, L_COOP, t->coop, f->text[band]);
	put_date(b, ws, r, L_DEADLINE, t->deadline, f->date[band], f->mid[band]);
}

static void sheet_leaders(struct book *b, const struct model *m, lxw_worksheet *ws)
{
	const struct wb_doc *d = m->d;
	sheet_begin(b, "按领导");
	if (!ws)
		return;
	put_header(b, ws, 0, LEADER_COLS, L_NCOLS);
	lxw_row_t r = 1;
	int band = 1;
	for (size_t i = 0; i < m->ll.n; i++) {
		const struct link *l = &m->ll.v[i];
		band ^= i == 0 || l->who != m->ll.v[i - 1].who;
		leader_row(b, ws, r++, m->leaders.v[l->who], &d->tasks[l->task], band);
	}
	band ^= 1;
	for (size_t k = 0; k < d->ntasks; k++)
		if (!m->tleaders[m->order[k]])
			leader_row(b, ws, r++, NOBODY, &d->tasks[m->order[k]], band);
	set_widths(b, ws, LEADER_COLS, L_NCOLS);
	fit_rows(b, ws);
	worksheet_freeze_panes(ws, 1, 0);
	ok(b, worksheet_autofilter(ws, 0, 0, r - 1, L_NCOLS - 1));
	page_setup(b, ws, 0, 0, 0, 1);
}

enum { U_UNIT, U_ROLE, U_SEQ, U_CONTENT, U_LEADERS, U_DEADLINE, U_NCOLS };

static const struct column UNIT_COLS[U_NCOLS] = {
	{"单位", 10, 24}, {"角色", 6, 6}, {"序号", 5, 6},
	{"任务内容", 24, 66}, {"牵头领导", 8, 14}, {"完成时限", 16, 16},
};

static void sheet_units(struct book *b, const struct model *m, lxw_worksheet *ws)
{
	const struct wb_doc *d = m->d;
	const struct fmts *f = &b->f;
	sheet_begin(b, "按单位");
	if (!ws)
		return;
	put_header(b, ws, 0, UNIT_COLS, U_NCOLS);
	int band = 1;
	for (size_t i = 0; i < m->ul.n; i++) {
		const struct link *l = &m->ul.v[i];
		const struct wb_task *t = &d->tasks[l->task];
		lxw_row_t r = (lxw_row_t)(i + 1);
		band ^= i == 0 || l->who != m->ul.v[i - 1].who;
		put_text(b, ws, r, U_UNIT, m->units.v[l->who], f->text[band]);
		put_text(b, ws, r, U_ROLE, l->lead ? "牵头" : "配合", f->mid[band]);
		put_num(b, ws, r, U_SEQ, (double)t->seq, f->mid[band]);
		put_short(b, ws, r, U_CONTENT, t->content, f->text[band]);
		put_list(b, ws, r, U_LEADERS, t->leaders, f->text[band]);
		put_date(b, ws, r, U_DEADLINE, t->deadline, f->date[band], f->mid[band]);
	}
	set_widths(b, ws, UNIT_COLS, U_NCOLS);
	fit_rows(b, ws);
	worksheet_freeze_panes(ws, 1, 0);
	ok(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)m->ul.n, U_NCOLS - 1));
	page_setup(b, ws, 0, 0, 0, 1);
}

/* ---- 统计 ---- */

#define CHART_COL 6
/* More bars than this make no chart anyone reads; the table has them all. */
#define CHART_BARS 60

/* A bar chart of the table in columns col, col+1, rows 1..n; returns its
 * height in rows of 20 pixels. */
static lxw_row_t bar_chart(struct book *b, lxw_worksheet *ws, const char *title, lxw_col_t col,
			   size_t n, size_t max, lxw_row_t at)
{
	lxw_chart *c = need(b, workbook_add_chart(b->wb, LXW_CHART_BAR));
	lxw_chart_series *s = c ? need(b, chart_add_series(c, NULL, NULL)) : NULL;
	if (!s)
		return 0;
	lxw_chart_font title_font = {.name = FONT_HEAD, .size = 12, .bold = 1, .charset = 134};
	lxw_chart_font label_font = {.name = FONT_BODY, .size = 10, .charset = 134};
	char name[128];
	if (n > CHART_BARS) {
		snprintf(name, sizeof name, "%s(前 %d 名)", title, CHART_BARS);
		n = CHART_BARS;
	} else {
		snprintf(name, sizeof name, "%s", title);
	}
	chart_series_set_categories(s, STATS_SHEET, 1, col, (lxw_row_t)n, col);
	chart_series_set_values(s, STATS_SHEET, 1, col + 1, (lxw_row_t)n, col + 1);
	chart_series_set_labels(s);
	chart_series_set_labels_font(s, &label_font);
	chart_title_set_name(c, name);
	chart_title_set_name_font(c, &title_font);
	chart_legend_set_position(c, LXW_CHART_LEGEND_NONE);
	chart_set_series_gap(c, 60);
	/* In a bar chart libxlsxwriter's y_axis is the (vertical) category axis. */
	chart_axis_set_reverse(c->y_axis);
	chart_axis_set_crossing_max(c->y_axis);
	chart_axis_set_interval_unit(c->y_axis, 1);
	chart_axis_set_num_font(c->y_axis, &label_font);
	chart_axis_set_num_font(c->x_axis, &label_font);
	chart_axis_set_min(c->x_axis, 0);
	chart_axis_set_major_unit(c->x_axis, max > 10 ? (double)((max + 9) / 10) : 1);
	chart_axis_set_num_format(c->x_axis, "0");
	double px = 90.0 + 24.0 * (double)n;
	px = px < 288 ? 288 : px;
	lxw_chart_options opt = {.x_scale = 1.5, .y_scale = px / 288.0,
				 .object_position = LXW_OBJECT_MOVE_DONT_SIZE};
	ok(b, worksheet_insert_chart_opt(ws, at, CHART_COL, c, &opt));
	return (lxw_row_t)(px / 20.0) + 2;
}

static void stat_row(struct book *b, lxw_worksheet *ws, lxw_row_t r, lxw_col_t c, const char *name,
		     size_t n)
{
	put_text(b, ws, r, c, name, b->f.plain);
	put_num(b, ws, r, c + 1, (double)n, b->f.mark);
}

static void stat_columns(struct book *b, lxw_worksheet *ws)
{
	for (lxw_col_t c = 0; c < 6; c += 3) {
		double w = b->width[c] * 1.1 + 2;
		ok(b, worksheet_set_column(ws, c, c, w < 10 ? 10 : w > 40 ? 40 : w, NULL));
		ok(b, worksheet_set_column(ws, c + 1, c + 1, 10, NULL));
		ok(b, worksheet_set_column(ws, c + 2, c + 2, 2, NULL));
	}
}

static void sheet_stats(struct book *b, const struct model *m, lxw_worksheet *ws)
{
	size_t nu = 0, nl = 0, maxu = 0, maxl = 0;
	sheet_begin(b, STATS_SHEET);
	if (!ws)
		return;
	put_text(b, ws, 0, 0, "牵头单位", b->f.head);
	put_text(b, ws, 0, 1, "牵头任务数", b->f.head);
	put_text(b, ws, 0, 3, "牵头领导", b->f.head);
	put_text(b, ws, 0, 4, "牵头任务数", b->f.head);
	for (size_t i = 0; i < m->units.n && m->ulead[m->uorder[i]]; i++, nu++) {
		size_t u = m->uorder[i];
		stat_row(b, ws, (lxw_row_t)(nu + 1), 0, m->units.v[u], m->ulead[u]);
		maxu = m->ulead[u] > maxu ? m->ulead[u] : maxu;
	}
	if (m->no_lead)
		stat_row(b, ws, (lxw_row_t)(++nu), 0, NOBODY, m->no_lead);
	for (size_t i = 0; i < m->leaders.n; i++, nl++) {
		size_t l = m->lorder[i];
		stat_row(b, ws, (lxw_row_t)(nl + 1), 3, m->leaders.v[l], m->lcount[l]);
		maxl = m->lcount[l] > maxl ? m->lcount[l] : maxl;
	}
	if (m->no_leader)
		stat_row(b, ws, (lxw_row_t)(++nl), 3, NOBODY, m->no_leader);
	maxu = m->no_lead > maxu ? m->no_lead : maxu;
	maxl = m->no_leader > maxl ? m->no_leader : maxl;
	stat_columns(b, ws);
	lxw_row_t at = 0;
	if (nu)
		at = bar_chart(b, ws, "各牵头单位牵头任务数", 0, nu, maxu, 0);
	if (nl)
		bar_chart(b, ws, "各牵头领导牵头任务数", 3, nl, maxl, at);
	page_setup(b, ws, 0, 0, 0, 1);
}

/* ---- Writing a file atomically ---- */

static char temp_path[4096];
static volatile sig_atomic_t temp_active;

static void on_signal(int sig)
{
	if (temp_active)
		unlink(temp_path);
	signal(sig, SIG_DFL);
	raise(sig);
}

/*
 * libxlsxwriter has every part of a workbook compressed at zlib's default
 * level, and that compression was a third of the time of writing one. The
 * parts are XML that the fastest level still shrinks to about a fifth; this
 * definition, found before minizip's by the dynamic linker, asks for it.
 */
int zipOpenNewFileInZip4_64(zipFile file, const char *name, const zip_fileinfo *info,
			    const void *local, uInt nlocal, const void *global, uInt nglobal,
			    const char *comment, int method, int level, int raw, int window_bits,
			    int mem_level, int strategy, const char *password, uLong crc,
			    uLong made_by, uLong flags, int zip64)
{
	static int (*minizip)(zipFile, const char *, const zip_fileinfo *, const void *, uInt,
			      const void *, uInt, const char *, int, int, int, int, int, int,
			      const char *, uLong, uLong, uLong, int);
	if (!minizip)
		*(void **)&minizip = dlsym(RTLD_NEXT, "zipOpenNewFileInZip4_64");
	if (!minizip)
		return ZIP_INTERNALERROR;
	if (level == Z_DEFAULT_COMPRESSION)
		level = Z_BEST_SPEED;
	return minizip(file, name, info, local, nlocal, global, nglobal, comment, method, level,
		       raw, window_bits, mem_level, strategy, password, crc, made_by, flags, zip64);
}

void wb_keep_heap(void)
{
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TOP_PAD, 16 << 20);
}

void wb_remove_temp_on_signal(void)
{
	static const int SIGS[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof SIGS / sizeof *SIGS; i++)
		sigaction(SIGS[i], &sa, NULL);
}

struct target {
	struct buf path, temp, dir;
	const char *outdir, *rel;
	const char *owned; /* guard the notice's workbook: the hash the last run wrote, or "" */
	struct buf note;   /* why the workbook went beside the one there */
	struct buf final;  /* where it went, relative to outdir */
};

static void target_free(struct target *t)
{
	buf_free(&t->path), buf_free(&t->temp), buf_free(&t->dir);
	buf_free(&t->note), buf_free(&t->final);
}

/* A name relative to the output directory, without . or .. parts. */
static int name_ok(const char *rel)
{
	if (!*rel || *rel == '/')
		return 0;
	for (const char *p = rel; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		p += n + (p[n] == '/');
	}
	return rel[strlen(rel) - 1] != '/';
}

/* mkdir -p of every directory above path. */
static int make_parents(const char *path, struct buf *why)
{
	char *p = nm_xstrdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			buf_printf(why, "cannot create directory %s: %s", p, strerror(errno));
			free(p);
			return -1;
		}
		*s = '/';
	}
	free(p);
	return 0;
}

/* OUTDIR/rel, its directory and its temporary name; creates the directories. */
/* OUTDIR/rel, without a doubled slash. */
static void join_path(struct buf *out, const char *outdir, const char *rel)
{
	size_t n = strlen(outdir);
	while (n > 1 && outdir[n - 1] == '/')
		n--;
	buf_add(out, outdir, n);
	buf_printf(out, "/%s", rel);
}

static int target_init(struct target *t, const char *outdir, const char *rel, struct buf *why)
{
	memset(t, 0, sizeof *t);
	t->outdir = outdir;
	t->rel = rel;
	buf_adds(&t->final, rel);
	join_path(&t->path, outdir, rel);
	if (!name_ok(rel)) {
		buf_printf(why, "cannot write %s: bad output name", buf_str(&t->path));
		return -1;
	}
	if (make_parents(buf_str(&t->path), why) < 0)
		return -1;
	const char *slash = strrchr(buf_str(&t->path), '/');
	const char *base = slash + 1;
	buf_add(&t->dir, t->path.s, (size_t)(slash - t->path.s));
	size_t bn = strlen(base);
	while (bn > FILE_NAME_BYTES || (bn && ((unsigned char)base[bn] & 0xC0) == 0x80))
		bn--;
	buf_printf(&t->temp, "%s/.%.*s.%ld.tmp", buf_str(&t->dir), (int)bn, base, (long)getpid());
	return 0;
}

/* Seconds since 1970 of the issue date's midnight, or of 1980-01-01. */
static time_t created_time(const char *iso)
{
	int y, m, d;
	long days = 0;
	if (iso && date_from_iso(iso, &y, &m, &d))
		days = date_serial(y, m, d) - date_serial(1970, 1, 1);
	if (days <= 0)
		days = date_serial(1980, 1, 1) - date_serial(1970, 1, 1);
	return (time_t)days * 86400;
}

/*
 * Where libxlsxwriter keeps the parts of a workbook while writing it: a
 * memory file system with room to spare when there is one (a file created
 * on disk costs more than the part written to it), else the output
 * directory.
 */
static const char *scratch_dir(const char *outdir)
{
	static const char *dir;
	struct statvfs fs;
	if (!dir)
		dir = access("/dev/shm", W_OK | X_OK) == 0 && statvfs("/dev/shm", &fs) == 0 &&
				      (double)fs.f_bavail * fs.f_frsize > 2e9
			      ? "/dev/shm"
			      : outdir;
	return dir;
}

static int book_open(struct book *b, const struct target *t, const struct wb_options *o,
		     const struct wb_doc *d, const char *title, struct buf *why)
{
	memset(b, 0, sizeof *b);
	lxw_workbook_options opt = {.constant_memory = 0, .tmpdir = (char *)scratch_dir(o->outdir)};
	b->wb = workbook_new_opt(buf_str(&t->temp), &opt);
	if (!b->wb) {
		buf_printf(why, "cannot write %s: %s", buf_str(&t->path),
			   strerror(errno ? errno : ENOMEM));
		return -1;
	}
	struct buf title_text = BUF_INIT;
	utf8_scrub(&title_text, title);
	drop_nonchars(&title_text);
	lxw_doc_properties p = {.title = title_text.s, .subject = "重点任务责任分工表",
				.created = created_time(d->issue_date)};
	ok(b, workbook_set_properties(b->wb, &p));
	buf_free(&title_text);
	fmts_init(b);
	return 0;
}

/* The FNV-1a hash of a file's bytes in 16 hex digits; -1 when unreadable. */
static int hash_file(const char *path, char hex[17])
{
	char chunk[65536];
	uint64_t h = FNV_BASIS;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno != EINTR)
			break;
		if (n > 0)
			h = fnv1a(h, chunk, (size_t)n);
	}
	int e = errno;
	close(fd);
	errno = e;
	if (n < 0)
		return -1;
	snprintf(hex, 17, "%016llx", (unsigned long long)h);
	return 0;
}

static int sync_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* Makes the rename durable; a directory that cannot be synced is no error. */
static void sync_dir(const char *dir)
{
	int fd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
}

static void temp_set(const char *path)
{
	temp_active = 0;
	if (strlen(path) < sizeof temp_path) {
		strcpy(temp_path, path);
		temp_active = 1;
	}
}

/*
 * libxlsxwriter prints its own line on stderr when it cannot write a file;
 * the report record says it once, for the whole pipeline, instead.
 */
static int quiet_stderr(void)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (saved >= 0 && null >= 0)
		dup2(null, STDERR_FILENO);
	if (null >= 0)
		close(null);
	return saved;
}

static void restore_stderr(int saved)
{
	if (saved < 0)
		return;
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
}

/* OUTNAME without .xlsx, then .YYYYMMDD-HHMMSS (and -2, -3... if taken). */
static void beside_name(const char *outdir, const char *outname, struct buf *rel)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;
	struct buf stem = BUF_INIT, path = BUF_INIT;
	struct stat st;
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", localtime_r(&now, &tm));
	buf_adds(&stem, outname);
	if (str_ends(stem.s, ".xlsx"))
		stem.s[stem.len -= 5] = '\0';
	for (int k = 1;; k++) {
		buf_reset(rel);
		buf_printf(rel, "%s.%s", stem.s, stamp);
		if (k > 1)
			buf_printf(rel, "-%d", k);
		buf_adds(rel, ".xlsx");
		buf_reset(&path);
		join_path(&path, outdir, rel->s);
		if (lstat(path.s, &st) < 0)
			break;
	}
	buf_free(&stem), buf_free(&path);
}

/*
 * A guarded target already there that is neither what the last run wrote
 * nor the same bytes as the new workbook has been edited by staff: the new
 * one goes beside it. (Same bytes: a run killed before it could record the
 * workbook wrote it, and it is the program's own.)
 */
static void guard(struct target *t, const char *hash)
{
	struct stat st;
	char old[17];
	const char *path = buf_str(&t->path);
	if (!t->owned || lstat(path, &st) < 0)
		return;
	if (S_ISREG(st.st_mode) && hash_file(path, old) == 0 &&
	    (strcasecmp(old, t->owned) == 0 || strcasecmp(old, hash) == 0))
		return;
	struct buf rel = BUF_INIT;
	beside_name(t->outdir, t->rel, &rel);
	buf_printf(&t->note, "%s was edited since it was written: kept, the new workbook is %s",
		   t->rel, rel.s);
	buf_reset(&t->path);
	join_path(&t->path, t->outdir, rel.s);
	buf_reset(&t->final);
	buf_adds(&t->final, rel.s);
	buf_free(&rel);
}

/* Writes the workbook under its temporary name, syncs and hashes it,
 * renames it into place (beside an edited one, see guard); on any failure
 * removes the temporary file and says why. */
static int book_close(struct book *b, struct target *t, char hash[17], struct buf *why)
{
	const char *temp = buf_str(&t->temp), *path = buf_str(&t->path);
	int rc = -1;
	buf_free(&b->text), buf_free(&b->shortened);
	free(b->paras);
	if (b->err) {
		buf_printf(why, "cannot write %s: %s: %s", path, b->err_sheet ? b->err_sheet : "workbook",
			   lxw_strerror(b->err));
		lxw_workbook_free(b->wb);
		return -1;
	}
	temp_set(temp);
	int err_fd = quiet_stderr();
	errno = 0;
	lxw_error e = workbook_close(b->wb);
	int saved = errno;
	restore_stderr(err_fd);
	if (e != LXW_NO_ERROR)
		buf_printf(why, "cannot write %s: %s", path,
			   saved ? strerror(saved) : lxw_strerror(e));
	else if (sync_file(temp) < 0 || hash_file(temp, hash) < 0)
		buf_printf(why, "cannot write %s: %s", path, strerror(errno));
	else if ((guard(t, hash), path = buf_str(&t->path), rename(temp, path) < 0))
		buf_printf(why, "cannot write %s: %s", path, strerror(errno));
	else
		rc = 0;
	if (rc < 0)
		unlink(temp);
	else
		sync_dir(buf_str(&t->dir));
	temp_active = 0;
	return rc;
}

/* ---- The workbooks of a notice ---- */

/* The notice's workbook at OUTNAME, or beside an edited one there; fills
 * res with where it went, its hash and any note. */
static int write_main(const struct wb_doc *d, const struct model *m, const struct wb_options *o,
		      struct wb_result *res)
{
	static const char *const SHEETS[] = {TASK_SHEET, "责任矩阵", "校验结果", "文件信息",
					     "按领导", "按单位", STATS_SHEET};
	struct target t;
	struct book b;
	struct buf title = BUF_INIT, heading = BUF_INIT;
	int rc = -1;
	doc_title(d, &title);
	buf_printf(&heading, "%s重点任务责任分工表", buf_str(&title));
	if (target_init(&t, o->outdir, d->outname, &res->message) == 0 &&
	    book_open(&b, &t, o, d, buf_str(&heading), &res->message) == 0) {
		t.owned = d->owned_hash;
		lxw_worksheet *ws[7];
		for (size_t i = 0; i < 7; i++)
			ws[i] = sheet_add(&b, SHEETS[i]);
		sheet_tasks(&b, d, ws[0], m->order, d->ntasks, buf_str(&heading));
		sheet_matrix(&b, m, ws[1]);
		sheet_findings(&b, m, ws[2]);
		sheet_info(&b, d, o, ws[3], buf_str(&title));
		sheet_leaders(&b, m, ws[4]);
		sheet_units(&b, m, ws[5]);
		sheet_stats(&b, m, ws[6]);
		rc = book_close(&b, &t, res->hash, &res->message);
		if (rc == 0) {
			buf_adds(&res->output, buf_str(&t.final));
			buf_adds(&res->message, buf_str(&t.note));
		}
	}
	target_free(&t);
	buf_free(&title), buf_free(&heading);
	return rc;
}

/* A unit's name as a file name: no '/', no leading '.', not too long,
 * not one already used for another unit. */
static void unit_file(const char *unit, struct names *used, struct buf *out)
{
	struct buf name = BUF_INIT;
	if (*unit == '.' || !*unit)
		buf_addc(&name, '_');
	utf8_scrub(&name, *unit == '.' ? unit + 1 : unit);
	for (size_t i = 0; i < name.len; i++)
		if (name.s[i] == '/' || name.s[i] == '\n' || name.s[i] == '\t')
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

/* The workbook of the unit of the links l[0..n), its tasks in SEQ order. */
static int write_unit(const struct wb_doc *d, const struct model *m, const struct wb_options *o,
		      const struct link *l, size_t n, const char *rel, struct buf *why)
{
	struct target t;
	struct book b;
	struct buf heading = BUF_INIT;
	size_t *tasks = nm_xmalloc((n ? n : 1) * sizeof *tasks);
	for (size_t i = 0; i < n; i++)
		tasks[i] = l[i].task;
	sorting = m;
	sort(tasks, n, sizeof *tasks, by_seq);
	sorting = NULL;
	buf_printf(&heading, "%s 重点任务责任分工表", m->units.v[l->who]);
	int rc = -1;
	char hash[17];
	if (target_init(&t, o->outdir, rel, why) == 0 &&
	    book_open(&b, &t, o, d, buf_str(&heading), why) == 0) {
		sheet_tasks(&b, d, sheet_add(&b, TASK_SHEET), tasks, n, buf_str(&heading));
		rc = book_close(&b, &t, hash, why);
	}
	target_free(&t);
	buf_free(&heading);
	free(tasks);
	return rc;
}

/* OUTDIR/NAME/UNIT.xlsx for each unit; the first failure is reported.
 * Returns the number of failures. */
static size_t write_units(const struct wb_doc *d, const struct model *m,
			  const struct wb_options *o, struct buf *why)
{
	struct names used = {0};
	struct buf stem = BUF_INIT, file = BUF_INIT, rel = BUF_INIT, err = BUF_INIT;
	size_t failed = 0;
	buf_adds(&stem, d->outname);
	if (str_ends(stem.s, ".xlsx"))
		stem.s[stem.len -= 5] = '\0';
	for (size_t i = 0, n; i < m->ul.n; i += n) {
		const struct link *l = &m->ul.v[i];
		for (n = 1; i + n < m->ul.n && l[n].who == l->who; n++)
			;
		unit_file(m->units.v[l->who], &used, &file);
		buf_reset(&rel);
		buf_printf(&rel, "%s/%s", stem.s, file.s);
		buf_reset(&err);
		if (write_unit(d, m, o, l, n, rel.s, &err) < 0 && failed++ == 0)
			buf_adds(why, buf_str(&err));
	}
	if (failed > 1)
		buf_printf(why, " (%zu unit workbooks failed)", failed);
	names_free(&used);
	buf_free(&stem), buf_free(&file), buf_free(&rel), buf_free(&err);
	return failed;
}

static int has_warnings(const struct wb_doc *d)
{
	for (size_t i = 0; i < d->nfindings; i++)
		if (level_index(d->findings[i].level) < 2)
			return 1;
	return 0;
}

/* The workbooks of a notice that reached its end record; 0 when all were written. */
static int convert(const struct wb_doc *d, const struct wb_options *o, struct wb_result *res)
{
	struct model m;
	int failed = 1;
	model_build(&m, d);
	if (write_main(d, &m, o, res) == 0) {
		if (o->split_by_unit) {
			struct buf why = BUF_INIT;
			failed = write_units(d, &m, o, &why) > 0;
			buf_printf(&res->message, "%s%s", res->message.len && why.len ? "; " : "",
				   buf_str(&why));
			buf_free(&why);
		} else {
			failed = 0;
		}
	} else {
		res->hash[0] = '\0';
	}
	model_free(&m);
	return failed ? -1 : 0;
}

void wb_convert(const struct wb_doc *d, const struct wb_options *o, struct wb_result *res)
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

/* ---- A run's notices together ---- */

void wb_batch_init(struct wb_batch *b)
{
	memset(b, 0, sizeof *b);
	wb_doc_init(&b->all, "", "单位.xlsx", "");
	b->path = nm_xstrdup("");
	b->docno = nm_xstrdup("");
}

static void batch_task(struct wb_batch *b, const struct rec *r)
{
	add_task(&b->all, r);
	struct wb_task *t = &b->all.tasks[b->all.ntasks - 1];
	t->seq = (long)b->all.ntasks; /* numbered across the run */
	struct buf source = BUF_INIT;
	detect_name(&source, b->path);
	t->source = source.s ? source.s : nm_xstrdup("");
	t->docno = nm_xstrdup(b->docno);
}

void wb_batch_add(struct wb_batch *b, const struct rec *r)
{
	if (rec_is(r, "doc")) {
		free(b->path), free(b->docno);
		b->path = nm_xstrdup(rec_field(r, 1));
		b->docno = nm_xstrdup("");
	} else if (rec_is(r, "head") && strcmp(rec_field(r, 3), "docno") == 0 && !*b->docno) {
		free(b->docno);
		b->docno = nm_xstrdup(rec_field(r, 4));
	} else if (rec_is(r, "meta") && strcmp(rec_field(r, 1), "as_of") == 0) {
		take_once(&b->all.as_of, rec_field(r, 2));
	} else if (rec_is(r, "task")) {
		batch_task(b, r);
	} else if (rec_is(r, "report")) {
		b->rows = grow(b->rows, &b->rowcap, b->nrows, sizeof *b->rows);
		struct wb_report_row *row = &b->rows[b->nrows++];
		for (size_t i = 0; i < 7; i++)
			row->field[i] = nm_xstrdup(rec_field(r, i + 1));
	}
}

static const struct column REPORT_COLS[] = {
	{"文件", 16, 40}, {"状态", 6, 8}, {"任务数", 6, 8}, {"发现数", 6, 8},
	{"编码", 8, 10}, {"输出", 14, 30}, {"说明", 14, 50},
};

static const char *status_text(const char *s)
{
	return strcmp(s, "ok") == 0 ? "成功" : strcmp(s, "warn") == 0 ? "成功(有警告)"
		: strcmp(s, "skipped") == 0 ? "未变,跳过" : strcmp(s, "failed") == 0 ? "失败" : s;
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
				put_text(b, ws, r, (lxw_col_t)c, c == 1 ? status_text(f[c]) : f[c], fmt);
		}
	}
	set_widths(b, ws, REPORT_COLS, 7);
	fit_rows(b, ws);
	worksheet_freeze_panes(ws, 1, 0);
	ok(b, worksheet_autofilter(ws, 0, 0, (lxw_row_t)batch->nrows, 6));
	page_setup(b, ws, 0, 0, 0, 1);
}

int wb_batch_write(const struct wb_batch *batch, const struct wb_options *o, struct buf *why)
{
	const struct wb_doc *d = &batch->all;
	struct model m;
	struct target t;
	struct book b;
	struct buf heading = BUF_INIT;
	char hash[17];
	int rc = -1;
	model_build(&m, d);
	buf_printf(&heading, "%zu件通知重点任务责任分工汇总表", batch->nrows);
	if (target_init(&t, o->outdir, "summary.xlsx", why) == 0 &&
	    book_open(&b, &t, o, d, buf_str(&heading), why) == 0) {
		lxw_worksheet *tasks = sheet_add(&b, TASK_SHEET), *report = sheet_add(&b, "批处理报告");
		sheet_tasks(&b, d, tasks, m.order, d->ntasks, buf_str(&heading));
		sheet_report(&b, batch, report);
		rc = book_close(&b, &t, hash, why);
	}
	target_free(&t);
	if (rc == 0 && o->split_by_unit && write_units(d, &m, o, why) > 0)
		rc = -1;
	model_free(&m);
	buf_free(&heading);
	return rc;
}

void wb_batch_free(struct wb_batch *b)
{
	for (size_t i = 0; i < b->nrows; i++)
		for (size_t c = 0; c < 7; c++)
			free(b->rows[i].field[c]);
	free(b->rows);
	free(b->path), free(b->docno);
	wb_doc_free(&b->all);
}
