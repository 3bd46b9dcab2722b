/*
 * model.c - the tasks of a document in the orders the sheets use: units
 * and leaders numbered once, who leads and who co-operates on what.
 */
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "stream/utf8.h"
#include "workbook/wb.h"

/* FNV-1a, 64 bits: h goes on over the n bytes at p. */
uint64_t wb_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

void wb_sort(void *v, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(v, n, size, cmp);
}

int wb_cmp_size(size_t a, size_t b) { return (a > b) - (a < b); }
int wb_cmp_long(long a, long b) { return (a > b) - (a < b); }

size_t *wb_index_array(size_t n)
{
	size_t *v = nm_xmalloc((n ? n : 1) * sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = i;
	return v;
}

size_t *wb_zeroes(size_t n)
{
	size_t *v = nm_xmalloc((n ? n : 1) * sizeof *v);
	memset(v, 0, (n ? n : 1) * sizeof *v);
	return v;
}

int wb_level_index(const char *level)
{
	static const char *const LEVELS[] = {"错误", "警告", "提示"};
	for (int i = 0; i < 3; i++)
		if (strcmp(level, LEVELS[i]) == 0)
			return i;
	return 3;
}

/* ---- Names ---- */

/* The slot holding s, or the free slot where it belongs. */
static size_t names_slot(const struct names *t, const char *s, size_t n)
{
	size_t i = wb_fnv1a(FNV_BASIS, s, n) & (t->nslot - 1);
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
	t->slot = wb_zeroes(t->nslot);
	for (size_t i = 0; i < t->n; i++)
		t->slot[names_slot(t, t->v[i], strlen(t->v[i]))] = i + 1;
}

size_t names_intern(struct names *t, const char *s, size_t n)
{
	if (2 * (t->n + 1) > t->nslot)
		names_rehash(t);
	size_t i = names_slot(t, s, n);
	if (!t->slot[i]) {
		t->v = wb_grow(t->v, &t->cap, t->n, sizeof *t->v);
		t->v[t->n++] = nm_xstrndup(s, n);
		t->slot[i] = t->n;
	}
	return t->slot[i] - 1;
}

size_t names_find(const struct names *t, const char *s)
{
	if (!t->nslot)
		return (size_t)-1;
	size_t i = names_slot(t, s, strlen(s));
	return t->slot[i] ? t->slot[i] - 1 : (size_t)-1;
}

void names_free(struct names *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof *t);
}

int next_name(const char **s, const char **name, size_t *len)
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

/* ---- The model ---- */

/* qsort() has no context argument; the model being sorted is here. */
static const struct model *sorting;

static int by_seq(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = wb_cmp_long(sorting->d->tasks[a].seq, sorting->d->tasks[b].seq);
	return c ? c : wb_cmp_size(a, b);
}

static int by_line(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = wb_cmp_long(sorting->d->tasks[a].line, sorting->d->tasks[b].line);
	return c ? c : wb_cmp_size(sorting->rank[a], sorting->rank[b]);
}

static int by_value(const void *pa, const void *pb)
{
	return wb_cmp_long(*(const long *)pa, *(const long *)pb);
}

static int by_leader(const void *pa, const void *pb)
{
	size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
	int c = wb_cmp_size(sorting->lcount[b], sorting->lcount[a]);
	return c ? c : wb_cmp_size(a, b);
}

/* 按单位: units in their order, what they lead first, then by task. */
static int by_unit_link(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;
	int c = wb_cmp_size(sorting->urank[a->who], sorting->urank[b->who]);
	if (!c)
		c = b->lead - a->lead;
	return c ? c : wb_cmp_size(sorting->rank[a->task], sorting->rank[b->task]);
}

static int by_leader_link(const void *pa, const void *pb)
{
	const struct link *a = pa, *b = pb;
	int c = wb_cmp_size(a->who, b->who);
	return c ? c : wb_cmp_size(sorting->rank[a->task], sorting->rank[b->task]);
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
	l->v = wb_grow(l->v, &l->cap, l->n, sizeof *l->v);
	l->v[l->n++] = (struct link){task, who, lead};
}

const char *model_lead(const struct model *m, const struct wb_task *t)
{
	return m->by_key && t->lead_key && *t->lead_key ? t->lead_key : t->lead;
}

const char *model_coop(const struct model *m, const struct wb_task *t)
{
	return m->by_key && t->coop_key && *t->coop_key ? t->coop_key : t->coop;
}

static void model_task(struct model *m, size_t t)
{
	const struct wb_task *task = &m->d->tasks[t];
	const char *s, *name;
	size_t len, first = m->ul.n;
	for (s = model_lead(m, task); next_name(&s, &name, &len);)
		add_link(&m->ul, first, t, names_intern(&m->units, name, len), 1);
	m->no_lead += m->ul.n == first;
	for (s = model_coop(m, task); next_name(&s, &name, &len);)
		add_link(&m->ul, first, t, names_intern(&m->units, name, len), 0);
	m->tunits[t] = m->ul.n - first;
	first = m->ll.n;
	for (s = task->leaders; next_name(&s, &name, &len);)
		add_link(&m->ll, first, t, names_intern(&m->leaders, name, len), 1);
	m->tleaders[t] = m->ll.n - first;
	m->no_leader += m->ll.n == first;
}

/* Units keep the order in which the notice first names them: the same
 * order on every sheet and every run. */
static void model_units(struct model *m)
{
	size_t nu = m->units.n, nl = m->leaders.n;
	m->ulead = wb_zeroes(nu), m->ucoop = wb_zeroes(nu);
	for (size_t i = 0; i < m->ul.n; i++)
		(m->ul.v[i].lead ? m->ulead : m->ucoop)[m->ul.v[i].who]++;
	m->uorder = wb_index_array(nu);
	m->urank = wb_index_array(nu);
	wb_sort(m->ul.v, m->ul.n, sizeof *m->ul.v, by_unit_link);
	m->lcount = wb_zeroes(nl);
	for (size_t i = 0; i < m->ll.n; i++)
		m->lcount[m->ll.v[i].who]++;
	m->lorder = wb_index_array(nl);
	wb_sort(m->lorder, nl, sizeof *m->lorder, by_leader);
	wb_sort(m->ll.v, m->ll.n, sizeof *m->ll.v, by_leader_link);
}

void model_build(struct model *m, const struct wb_doc *d, int by_key)
{
	size_t n = d->ntasks;
	memset(m, 0, sizeof *m);
	m->d = d;
	m->by_key = by_key;
	sorting = m;
	m->order = wb_index_array(n);
	wb_sort(m->order, n, sizeof *m->order, by_seq);
	m->rank = wb_zeroes(n);
	for (size_t i = 0; i < n; i++)
		m->rank[m->order[i]] = i;
	m->byline = wb_index_array(n);
	wb_sort(m->byline, n, sizeof *m->byline, by_line);
	m->ends = nm_xmalloc((d->nends ? d->nends : 1) * sizeof *m->ends);
	if (d->nends)
		memcpy(m->ends, d->ends, d->nends * sizeof *m->ends);
	wb_sort(m->ends, d->nends, sizeof *m->ends, by_value);
	m->tunits = wb_zeroes(n), m->tleaders = wb_zeroes(n);
	for (size_t i = 0; i < n; i++)
		model_task(m, m->order[i]);
	model_units(m);
	sorting = NULL;
}

void model_free(struct model *m)
{
	free(m->order), free(m->rank), free(m->byline), free(m->ends);
	names_free(&m->units), names_free(&m->leaders);
	free(m->ul.v), free(m->ll.v);
	free(m->ulead), free(m->ucoop), free(m->uorder), free(m->urank);
	free(m->tunits), free(m->tleaders), free(m->lcount), free(m->lorder);
	memset(m, 0, sizeof *m);
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
int model_task_at(const struct model *m, long line, size_t *task)
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
