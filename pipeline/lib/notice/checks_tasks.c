/*
 * checks_tasks.c - the tasks' fields: a task without a lead unit, or
 * without a leader where the notice names leaders; one leader written two
 * ways; a notice without any task.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "stream/err.h"
#include "stream/strlist.h"
/* A leader's name without the titles around it: 邵文博副市长 → 邵文博. */
static const char *name_part(struct rules *rs, const char *name, size_t *len)
{
	struct match m;
	size_t n = strlen(name), from = 0;
	if (rules_match(rs, "leader.title_before", name, n, &m) > 0)
		from = match_end(&m);
	if (rules_scan(rs, "leader.title_after", name, n, from, &m) > 0)
		n = match_start(&m) > from ? match_start(&m) : n;
	*len = n > from ? n - from : 0;
	return name + from;
}

static void check_leaders(struct checks *C)
{
	struct strlist seen = {0};
	long *line = NULL;
	for (size_t i = 0; i < C->nt; i++) {
		struct strlist names = {0};
		for (const char *p = C->t[i].leaders, *e; *p; p = *e ? e + 1 : e) {
			e = strchr(p, REC_LIST_SEP);
			e = e ? e : p + strlen(p);
			if (e > p)
				strlist_add(&names, p, (size_t)(e - p));
		}
		for (size_t k = 0; k < names.n; k++) {
			if (strlist_has(&seen, names.v[k]))
				continue;
			line = nm_xrealloc(line, (seen.n + 1) * sizeof *line);
			line[seen.n] = C->t[i].line;
			strlist_add(&seen, names.v[k], strlen(names.v[k]));
		}
		strlist_clear(&names);
	}
	/* One person written two ways: the same name with different titles. */
	for (size_t i = 0; i < seen.n; i++) {
		size_t alen, blen;
		const char *an = name_part(C->rs, seen.v[i], &alen);
		for (size_t j = i + 1; alen >= strlen("马杰") && j < seen.n; j++) {
			const char *bn = name_part(C->rs, seen.v[j], &blen);
			if (blen != alen || memcmp(an, bn, alen) != 0)
				continue;
			const struct chk_rec *r = checks_rec_at(C, line[j]);
			size_t a = 0, b = 0;
			if (r)
				a = checks_find(r, bn, &b);
			checks_add_finding(
				C, line[j], "警告", "leader.variant", r ? &r->t : NULL, a, b,
				"牵头领导“%s”与“%s”疑为同一人的两种写法，请与发文单位核实后统一",
				seen.v[i], seen.v[j]);
		}
	}
	strlist_clear(&seen);
	free(line);
}

/* A list field (names separated by newlines) joined with 、. */
static char *list_joined(const char *list)
{
	struct buf b = BUF_INIT;
	for (const char *p = list; *p; p++) {
		if (*p == REC_LIST_SEP)
			buf_adds(&b, "、");
		else
			buf_addc(&b, *p);
	}
	return b.s ? b.s : nm_xstrdup("");
}

void checks_tasks(struct checks *C, int complete)
{
	size_t with_leader = 0;
	for (size_t i = 0; i < C->nt; i++)
		with_leader += *C->t[i].leaders != '\0';
	for (size_t i = 0; i < C->nt; i++) {
		const struct chk_task *t = &C->t[i];
		const struct chk_rec *r = checks_rec_at(C, t->line);
		size_t n = r ? r->t.norm.len : 0;
		if (!*t->lead && *t->coop) {
			char *coop = list_joined(t->coop);
			checks_add_finding(
				C, t->line, "警告", "task.missing_field", r ? &r->t : NULL, 0, n,
				"第%ld项任务（第%ld行）只写明配合或按职责分工负责的单位（%s），"
				"没有写明牵头单位，请与发文单位核实由哪个单位牵头",
				t->seq, t->line, coop);
			free(coop);
		} else if (!*t->lead) {
			checks_add_finding(
				C, t->line, "警告", "task.missing_field", r ? &r->t : NULL, 0, n,
				"第%ld项任务（第%ld行）没有写明牵头单位，请与发文单位核实"
				"由哪个单位牵头",
				t->seq, t->line);
		}
		if (with_leader && !*t->leaders)
			checks_add_finding(
				C, t->line, "警告", "task.missing_field", r ? &r->t : NULL, 0, n,
				"第%ld项任务（第%ld行）没有写明牵头领导（本文件%zu项任务中有%zu项写明了），"
				"请与发文单位核实由哪位领导牵头",
				t->seq, t->line, C->nt, with_leader);
	}
	check_leaders(C);
	if (C->nt == 0 && complete)
		checks_add_finding(C, 0, "警告", "task.none", NULL, 0, 0,
				   "未找到任何任务：文中没有识别出牵头单位、配合单位等责任字段，"
				   "请核对文件是否为任务分工类公文");
}
