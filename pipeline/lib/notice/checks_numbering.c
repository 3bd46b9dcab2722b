/*
 * checks_numbering.c - heading and table numbers that skip or repeat.
 *
 * Numbers are read per level (一、 （一） 1. （1） ①, and the 序号 of table
 * rows) in groups: the headings of one level under one parent. A level
 * skipped on purpose (一、 followed by 1., （一） with no 一、 above) is no
 * gap: a heading's parent is the nearest heading of any higher level. The
 * notice itself says whether a level runs on across parents (（一） holds
 * 1.–4., （二） starts at 5.) or starts again under each: how the first
 * item under each new parent is numbered decides, by majority; either way
 * a group starting at 1 or right after the previous group is in order. A
 * gap is a number missing from a run; a duplicate a number written again.
 * The 成文日期 and each 附件 start a new part, numbered anew.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "stream/err.h"
#include "stream/utf8.h"

#define ROW_LEVEL 6
#define MAX_NUM 500

struct entry {
	size_t rec; /* index into C->r */
	long num;   /* -1: unknown */
	int group;  /* entries of one level with one parent share it */
};

/* How a number is written: 0 Arabic, 1 Chinese numerals, 2 circled. */
static int style_of(const char *num)
{
	uint32_t c;
	if (!*num || !utf8_decode(num, strlen(num), &c))
		return 0;
	if (c >= 0x2460 && c <= 0x2473)
		return 2;
	return c >= 0x80 && !(c >= 0xFF10 && c <= 0xFF19);
}

/* The marker of record r written with the number v: （三） for （四）, 3. for 4., ③. */
static void marker(const struct chk_rec *r, long v, struct buf *out)
{
	struct buf num = BUF_INIT;
	int style = style_of(r->num_text);
	if (style == 2 && v >= 1 && v <= 20) {
		char enc[4];
		size_t k = utf8_encode((uint32_t)(0x2460 + v - 1), enc);
		buf_add(&num, enc, k);
	} else {
		checks_format_number(&num, v, style == 1);
	}
	if (r->kind == CK_ROW) {
		buf_printf(out, "序号%s", buf_str(&num));
		buf_free(&num);
		return;
	}
	const char *s = buf_str(&r->t.orig);
	size_t n = r->t.orig.len, from = 0;
	while (from < n && (s[from] == ' ' || s[from] == '\t'))
		from++;
	while (str_starts(s + from, "　"))
		from += strlen("　");
	const char *at = *r->num_text ? strstr(s + from, r->num_text) : NULL;
	if (!at || at - (s + from) > 12) {
		buf_add(out, buf_str(&num), num.len);
		buf_free(&num);
		return;
	}
	buf_add(out, s + from, (size_t)(at - (s + from)));
	buf_add(out, buf_str(&num), num.len);
	const char *after = at + strlen(r->num_text);
	uint32_t c;
	size_t len = *after ? utf8_decode(after, strlen(after), &c) : 0;
	if (len && (c < 0x4E00 || c > 0x9FFF || c == 0x9879 || c == 0x6761) && c != ' ' &&
	    !(c >= '0' && c <= '9') && !(c >= 'A' && c <= 'z'))
		buf_add(out, after, len); /* 、 ） . 项 条 】 */
	buf_free(&num);
}

int checks_in_attachment_list(const struct checks *C, size_t i)
{
	const struct chk_rec *r = &C->r[i];
	if (r->kind != CK_HEADING || strstr(buf_str(&r->t.norm), "。"))
		return 0;
	for (size_t k = i; k-- > 0 && i - k <= 50;) {
		const struct chk_rec *p = &C->r[k];
		if (p->kind == CK_TAIL)
			return strcmp(p->key, "attachment") == 0 && r->line - p->line <= 20;
		if (p->kind != CK_HEADING || p->level != r->level ||
		    strstr(buf_str(&p->t.norm), "。"))
			return 0;
	}
	return 0;
}

/* A finding about record r; msg says what is wrong after "第N行". */
static void say(struct checks *C, const struct chk_rec *r, const char *rule, const struct buf *msg)
{
	size_t end = r->kind == CK_HEADING && r->label < r->t.norm.len ? r->label : r->t.norm.len;
	checks_add_finding(C, r->line, "警告", rule, &r->t, 0, end, "第%ld行%s", r->line,
			   buf_str(msg));
}

/* "“3.”" or "“3.”至“5.”": the numbers from a to b as r writes them. */
static void span(const struct chk_rec *r, long a, long b, struct buf *out)
{
	buf_adds(out, "“");
	marker(r, a, out);
	if (b > a) {
		buf_adds(out, "”至“");
		marker(r, b, out);
	}
	buf_adds(out, "”");
}

/* How many numbers of a level are out of order, whatever the level's habit. */
static size_t irregular(const struct entry *e, size_t n, int rows)
{
	size_t odd = 0;
	for (size_t i = rows ? 1 : 0; i < n; i++) {
		long v = e[i].num, prev = i > 0 ? e[i - 1].num : 0;
		int first = i == 0 || e[i].group != e[i - 1].group;
		if (v <= 0 || (!first && prev <= 0))
			continue;
		odd += first ? v != 1 && v != prev + 1 : v != prev + 1;
	}
	return odd;
}

/*
 * Whether the numbers a to b of the level of entry i are written, each
 * before a Han character, in the text between the entry before it (its
 * own text included) and it: items a copy ran together into one
 * paragraph are there, only not read as headings.
 */
static int written_between(const struct checks *C, const struct entry *e, size_t i, long a, long b)
{
	const struct chk_rec *r = &C->r[e[i].rec];
	size_t from = i > 0 ? e[i - 1].rec : 0;
	struct buf mk = BUF_INIT;
	struct ntext t = NTEXT_INIT;
	int all = 1;
	for (long v = a; v <= b && all; v++) {
		buf_reset(&mk);
		marker(r, v, &mk);
		ntext_set(&t, buf_str(&mk), mk.len);
		int found = 0;
		for (size_t k = from; k < e[i].rec && !found; k++) {
			const char *s = buf_str(&C->r[k].t.norm), *p = s;
			while (!found && (p = strstr(p, buf_str(&t.norm)))) {
				uint32_t c = 0;
				const char *after = p + t.norm.len;
				size_t len = *after ? utf8_decode(after, strlen(after), &c) : 0;
				int starts = p == s || p[-1] == ' ' || strchr("。;:)", p[-1]) ||
					     (p - s >= 3 && str_starts(p - 3, "。"));
				found = starts && len && c >= 0x4E00 && c <= 0x9FFF;
				p += t.norm.len;
			}
		}
		all = found;
	}
	buf_free(&mk);
	ntext_free(&t);
	return all;
}

/* The numbers of one level in one part: first the runs, then the groups' starts. */
static void check_level(struct checks *C, const struct entry *e, size_t n, int rows)
{
	if (n == 0)
		return;
	/* Restart or run on: how does each group after the first start? */
	int restart = 0, runon = 0;
	for (size_t i = 1; i < n; i++)
		if (e[i].group != e[i - 1].group && e[i].num > 0 && e[i - 1].num > 0) {
			if (e[i].num == 1)
				restart++;
			else if (e[i].num == e[i - 1].num + 1)
				runon++;
		}
	int runs_on = runon > restart; /* the level's habit, by majority */
	if (irregular(e, n, rows) * 3 >= n && irregular(e, n, rows) >= 2)
		return; /* numbers that refer elsewhere (rows picked from a longer list), not a run */
	struct buf m = BUF_INIT, x = BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		const struct chk_rec *r = &C->r[e[i].rec];
		const struct chk_rec *p = i > 0 ? &C->r[e[i - 1].rec] : NULL;
		long v = e[i].num, prev = i > 0 ? e[i - 1].num : 0;
		int first = i == 0 || e[i].group != e[i - 1].group;
		if (v <= 0 || (!first && prev <= 0))
			continue;
		if (first && (v == 1 || (prev > 0 && v == prev + 1)))
			continue;
		if (rows && i == 0)
			continue; /* a table's rows from 13 on: a part of a longer list (督查通报) */
		if (!first && v == prev + 1)
			continue;
		buf_reset(&m);
		buf_reset(&x);
		marker(r, v, &x);
		/* With no majority, a group's start is read the way that needs fewer
		 * numbers missing or repeated: 4. after 4. repeats one, not three lost. */
		int run = runon == restart ? labs(v - (prev + 1)) < v - 1 : runs_on;
		long want = !first ? prev + 1 : run && prev > 0 ? prev + 1 : 1;
		if (v > want && written_between(C, e, i, want, v - 1))
			continue; /* the numbers are there, in a text read as one paragraph */
		if (v > want) {
			buf_printf(&m, "编号“%s”之前缺少", buf_str(&x));
			span(r, want, v - 1, &m);
			if (first)
				buf_adds(&m, run && want > 1
						     ? "（本文件这一级跨上级标题连续编号）"
						     : "（本文件这一级在每个上级标题下从头编号）");
			buf_adds(&m, "，请核对原文是否漏项或编号有误");
			say(C, r, "numbering.gap", &m);
		} else {
			buf_printf(&m, "编号“%s”", buf_str(&x));
			buf_adds(&m, v == prev ? "与上一个同级编号“" : "排在同级编号“");
			marker(p, prev, &m);
			buf_printf(&m, "”（第%ld行）%s，请核对原文编号", p->line,
				   v == prev ? "重复" : "之后，编号重复或倒序");
			say(C, r, "numbering.duplicate", &m);
		}
	}
	buf_free(&m);
	buf_free(&x);
}

/*
 * Whether record i starts a new part of the notice: the 成文日期, a 附件,
 * or the title of another document the notice carries when the headings
 * after it start again at 1.
 */
static int starts_part(struct checks *C, size_t i)
{
	const struct chk_rec *r = &C->r[i];
	if ((r->kind == CK_HEAD && strcmp(r->key, "date") == 0) ||
	    (r->kind == CK_TAIL && strcmp(r->key, "attachment") == 0))
		return 1;
	struct match m;
	if (r->kind != CK_PARA ||
	    rules_match(C->rs, "numbering.title", buf_str(&r->t.norm), r->t.norm.len, &m) <= 0)
		return 0;
	for (size_t k = i + 1; k < C->nr && k - i <= 50; k++)
		if (C->r[k].kind == CK_HEADING)
			return C->r[k].num == 1;
	return 0;
}

/* Checks the part C->r[from, to). */
static void check_part(struct checks *C, size_t from, size_t to, struct entry *e)
{
	long open[ROW_LEVEL + 1];
	for (int k = 0; k <= ROW_LEVEL; k++)
		open[k] = -1;
	int group[ROW_LEVEL + 1] = {0};
	long parent_of[ROW_LEVEL + 1];
	for (int k = 0; k <= ROW_LEVEL; k++)
		parent_of[k] = -2;
	const char *row_group = NULL;
	/* a short line of text between items (a unit's name over its targets):
	 * a list that starts again at 1 after it is a new list */
	int text_since[ROW_LEVEL + 1] = {0};
	/* entries by level, each level's list in e[level * cap ...] */
	size_t cap = to - from, count[ROW_LEVEL + 1] = {0};
	for (size_t i = from; i < to; i++) {
		const struct chk_rec *r = &C->r[i];
		int level;
		long parent;
		if (r->kind == CK_PARA && utf8_chars(r->t.norm.s, r->t.norm.len) <= 24) {
			for (int k = 0; k <= ROW_LEVEL; k++)
				text_since[k] = 1;
			continue;
		}
		if (r->kind == CK_HEADING && r->level >= 1 && r->level <= 5 &&
		    !checks_in_attachment_list(C, i)) {
			level = r->level;
			parent = -1;
			for (int k = level - 1; k >= 1 && parent < 0; k--)
				parent = open[k];
			open[level] = (long)i;
			for (int k = level + 1; k <= 5; k++)
				open[k] = -1;
		} else if (r->kind == CK_ROW && *r->num_text) {
			level = ROW_LEVEL;
			parent = row_group && strcmp(row_group, r->key) == 0 ? parent_of[ROW_LEVEL]
									     : (long)i;
			row_group = r->key;
		} else {
			continue;
		}
		if (parent != parent_of[level] || (text_since[level] && r->num == 1)) {
			group[level]++;
			parent_of[level] = parent;
		}
		text_since[level] = 0;
		long v = r->num > 0 && r->num <= MAX_NUM ? r->num : -1;
		e[(size_t)(level - 1) * cap + count[level]++] = (struct entry){i, v, group[level]};
	}
	for (int level = 1; level <= ROW_LEVEL; level++)
		check_level(C, e + (size_t)(level - 1) * cap, count[level], level == ROW_LEVEL);
}

void checks_numbering(struct checks *C)
{
	if (C->nr == 0)
		return;
	struct entry *e = nm_xmalloc(ROW_LEVEL * C->nr * sizeof *e);
	size_t from = 0;
	for (size_t i = 0; i <= C->nr; i++)
		if (i == C->nr || starts_part(C, i)) {
			if (i > from)
				check_part(C, from, i, e);
			from = i;
		}
	free(e);
}
