/* doc.c - what the xlsx stage keeps of one document: facts, tasks, findings. */
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "stream/err.h"
#include "workbook/wb.h"

void *wb_grow(void *v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return v;
	*cap = *cap ? 2 * *cap : 16;
	return nm_xrealloc(v, *cap * size);
}

void wb_doc_init(struct wb_doc *d, const char *path, const char *outname, const char *owned_hash)
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

static void add_end(struct wb_doc *d, long line)
{
	d->ends = wb_grow(d->ends, &d->endcap, d->nends, sizeof *d->ends);
	d->ends[d->nends++] = line;
}

static void add_meta(struct wb_doc *d, const struct rec *r)
{
	struct rec_meta m;
	rec_get_meta(r, &m);
	if (strcmp(m.key, "encoding") == 0)
		take_once(&d->encoding, m.value);
	else if (strcmp(m.key, "issue_date") == 0)
		take_once(&d->issue_date, m.value);
	else if (strcmp(m.key, "as_of") == 0)
		take_once(&d->as_of, m.value);
	else if (strcmp(m.key, "format") == 0)
		take_once(&d->format, m.value);
	else if (strcmp(m.key, "converter") == 0)
		take_once(&d->converter, m.value);
	else if (strcmp(m.key, "note") == 0)
		take_once(&d->note, m.value);
	else if (strcmp(m.key, "bytes") == 0)
		d->bytes = atoll(m.value);
	else if (strcmp(m.key, "invalid") == 0)
		d->invalid = atoll(m.value);
}

static void add_head(struct wb_doc *d, const struct rec *r)
{
	struct rec_head h;
	rec_get_head(r, &h);
	add_end(d, h.line);
	if (strcmp(h.key, "docno") == 0) {
		take_once(&d->docno, h.value);
	} else if (strcmp(h.key, "issuer") == 0) {
		take_once(&d->issuer, h.value);
	} else if (strcmp(h.key, "recipients") == 0) {
		take_once(&d->recipients, h.value);
	} else if (strcmp(h.key, "date") == 0) {
		take_once(&d->date_text, h.value);
	} else if (strcmp(h.key, "title") == 0) {
		d->title = nm_xrealloc(d->title, (d->ntitle + 1) * sizeof *d->title);
		d->title[d->ntitle++] = (struct wb_title_line){h.line, nm_xstrdup(h.value)};
	}
}

/* "牵头:X;配合:Y" as the notice wrote them, when that is not what is shown. */
static char *written_units(const char *lead_w, const char *coop_w, const char *lead,
			   const char *coop)
{
	if (strcmp(lead_w, lead) == 0 && strcmp(coop_w, coop) == 0)
		return NULL;
	struct buf b = BUF_INIT;
	buf_printf(&b, "牵头:%s;配合:%s", lead_w, coop_w);
	for (char *p = b.s; *p; p++)
		if (*p == REC_LIST_SEP)
			*p = ','; /* one line in the cell; 、 may be part of a name */
	return b.s;
}

void wb_doc_add_task(struct wb_doc *d, const struct rec_task *t)
{
	d->tasks = wb_grow(d->tasks, &d->taskcap, d->ntasks, sizeof *d->tasks);
	d->tasks[d->ntasks++] = (struct wb_task){
		t->line,
		t->seq,
		nm_xstrdup(t->l1),
		nm_xstrdup(t->l2),
		nm_xstrdup(t->content),
		nm_xstrdup(t->leaders),
		nm_xstrdup(t->lead),
		nm_xstrdup(t->coop),
		nm_xstrdup(t->deadline),
		nm_xstrdup(t->metrics),
		written_units(t->lead_written, t->coop_written, t->lead, t->coop),
		NULL,
		NULL,
		nm_xstrdup(t->num),
		nm_xstrdup(t->deadline_text),
		nm_xstrdup(t->lead_key),
		nm_xstrdup(t->coop_key),
		NULL,
		NULL,
	};
}

void findings_add(struct wb_doc *d, long line, const char *level, const char *rule,
		  const char *message, long seq)
{
	d->findings = wb_grow(d->findings, &d->findcap, d->nfindings, sizeof *d->findings);
	d->findings[d->nfindings++] = (struct wb_finding){
		line, nm_xstrdup(level), nm_xstrdup(rule), nm_xstrdup(message), nm_xstrdup(""),
		seq,  nm_xstrdup(""),    nm_xstrdup(""),
	};
}

static void add_finding(struct wb_doc *d, const struct rec *r)
{
	struct rec_finding f;
	rec_get_finding(r, &f);
	d->findings = wb_grow(d->findings, &d->findcap, d->nfindings, sizeof *d->findings);
	d->findings[d->nfindings++] = (struct wb_finding){
		f.line,
		nm_xstrdup(f.level),
		nm_xstrdup(f.rule),
		nm_xstrdup(f.message),
		nm_xstrdup(f.text),
		f.seq,
		nm_xstrdup(f.name),
		nm_xstrdup(f.advice),
	};
}

int wb_doc_add(struct wb_doc *d, const struct rec *r)
{
	struct rec_task t;
	switch (rec_kind(r)) {
	case REC_META:
		add_meta(d, r);
		break;
	case REC_HEAD:
		add_head(d, r);
		break;
	case REC_TASK:
		rec_get_task(r, &t);
		wb_doc_add_task(d, &t);
		break;
	case REC_FINDING:
		add_finding(d, r);
		break;
	case REC_FAIL:
		take_once(&d->fail, rec_field(r, 1));
		break;
	case REC_HEADING: {
		struct rec_heading h;
		rec_get_heading(r, &h);
		if (h.level == 1)
			add_end(d, h.line);
		return 0;
	}
	case REC_TAIL: {
		struct rec_tail tl;
		rec_get_tail(r, &tl);
		add_end(d, tl.line);
		return 0;
	}
	case REC_LINE:
	case REC_PARA:
	case REC_ITEM:
		return 0;
	default:
		break;
	}
	return 1;
}

void wb_doc_free(struct wb_doc *d)
{
	for (size_t i = 0; i < d->ntasks; i++) {
		struct wb_task *t = &d->tasks[i];
		free(t->l1), free(t->l2), free(t->content), free(t->leaders);
		free(t->lead), free(t->coop), free(t->deadline), free(t->metrics);
		free(t->written), free(t->source), free(t->docno), free(t->num);
		free(t->deadline_text), free(t->lead_key), free(t->coop_key);
		free(t->state), free(t->progress);
	}
	for (size_t i = 0; i < d->nfindings; i++) {
		struct wb_finding *f = &d->findings[i];
		free(f->level), free(f->rule), free(f->message), free(f->text);
		free(f->name), free(f->advice);
	}
	for (size_t i = 0; i < d->ntitle; i++)
		free(d->title[i].text);
	free(d->path), free(d->outname), free(d->owned_hash), free(d->encoding),
		free(d->issue_date);
	free(d->docno), free(d->issuer), free(d->recipients), free(d->fail), free(d->as_of);
	free(d->format), free(d->converter), free(d->note), free(d->date_text);
	free(d->title), free(d->tasks), free(d->findings), free(d->ends);
	memset(d, 0, sizeof *d);
}

/* ---- What the workbooks say about the notice ---- */

static int by_title_line(const void *pa, const void *pb)
{
	const struct wb_title_line *a = *(const struct wb_title_line *const *)pa;
	const struct wb_title_line *b = *(const struct wb_title_line *const *)pb;
	int c = wb_cmp_long(a->line, b->line);
	return c ? c : (a > b) - (a < b);
}

void doc_title(const struct wb_doc *d, struct buf *out)
{
	const struct wb_title_line **v = nm_xmalloc((d->ntitle ? d->ntitle : 1) * sizeof *v);
	for (size_t i = 0; i < d->ntitle; i++)
		v[i] = &d->title[i];
	wb_sort(v, d->ntitle, sizeof *v, by_title_line);
	for (size_t i = 0; i < d->ntitle; i++)
		buf_adds(out, v[i]->text);
	free(v);
}

/* The text between the first open and the close after it, or NULL. */
static const char *between(const char *s, const char *open, const char *close, size_t *len)
{
	const char *a = strstr(s, open);
	if (!a)
		return NULL;
	a += strlen(open);
	const char *b = strstr(a, close);
	if (!b || b == a)
		return NULL;
	*len = (size_t)(b - a);
	return a;
}

void doc_scheme(const struct wb_doc *d, struct buf *out)
{
	struct buf title = BUF_INIT;
	const char *s;
	size_t n;
	doc_title(d, &title);
	const char *t = buf_str(&title);
	if ((s = between(t, "《", "》", &n))) {
		buf_adds(out, "《");
		buf_add(out, s, n);
		buf_adds(out, "》");
	} else if ((s = between(t, "印发", "的通知", &n)) ||
		   (s = between(t, "转发", "的通知", &n))) {
		buf_adds(out, "《");
		buf_add(out, s, n);
		buf_adds(out, "》");
	} else if (*t) {
		buf_printf(out, "《%s》", t);
	}
	buf_free(&title);
}

/* 2018-05-29 as 2018年5月29日; other text as it is. */
static void cn_date(struct buf *out, const char *iso)
{
	int y, m, dd;
	if (iso && date_from_iso(iso, &y, &m, &dd))
		buf_printf(out, "%d年%d月%d日", y, m, dd);
	else if (iso)
		buf_adds(out, iso);
}

void doc_ident(const struct wb_doc *d, struct buf *out)
{
	if (d->docno && *d->docno)
		buf_adds(out, d->docno);
	if (d->issue_date && *d->issue_date) {
		if (out->len)
			buf_adds(out, "　");
		cn_date(out, d->issue_date);
	} else if (d->date_text && *d->date_text) {
		if (out->len)
			buf_adds(out, "　");
		buf_adds(out, d->date_text);
	}
}

/* Excel's header codes start with &: a literal one is doubled. At most
 * max_bytes of s, cut between characters. */
static void add_escaped(struct buf *out, const char *s, size_t max_bytes)
{
	size_t n = strlen(s);
	if (n > max_bytes) {
		n = max_bytes;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '&')
			buf_addc(out, '&');
		if (s[i] != '\n' && s[i] != '\r')
			buf_addc(out, s[i]);
	}
}

void doc_page_header(const struct wb_doc *d, struct buf *out)
{
	struct buf date = BUF_INIT;
	if (d->issue_date && *d->issue_date)
		cn_date(&date, d->issue_date);
	else if (d->date_text)
		buf_adds(&date, d->date_text);
	buf_adds(out, "&L");
	add_escaped(out, d->docno ? d->docno : "", 80);
	buf_adds(out, "&R");
	add_escaped(out, buf_str(&date), 60);
	buf_free(&date);
}
