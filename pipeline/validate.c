/*
 * validate - the fourth stage: findings about counts, dates, document
 * numbers, numbering and missing fields.
 *
 * Passes every record on; before each end record it writes the issue date
 * (meta issue_date) and the notice's findings in line order. Validation
 * never stops a notice: it only reports.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "notice/dates.h"
#include "stream/err.h"
#include "stream/rec.h"
#include "rules/rules.h"
#include "stream/strlist.h"
#include "stream/utf8.h"

#define WARN "警告"
#define ERROR "错误"
#define MAX_YEAR_DISTANCE 20

static const struct rule_need REQUIRED[] = {
	{"date.any", "y,m", 1}, {"date.range", "a,b", 1}, {"date.year", "y", 1},
	{"docno.any", "year,num", 1}, {"count.phrase", "n", 1}, {"count.total", "n", 1},
	{"leader.title_before", NULL, 1}, {"leader.title_after", NULL, 1},
	{"count.clause_start", NULL, 1}, {"header.date", "y,m", 1}, {"header.docno", "docno", 1},
	{NULL, NULL, 0},
};

struct finding {
	long line;
	const char *level, *rule;
	char *message, *text;
};

struct year_seen {
	long line;
	int year;
	char *text;
};

struct kept_line {
	long line;
	char *text;
};

struct doc {
	struct finding *f;
	size_t nf;
	struct year_seen *years;
	size_t nyears;
	char *docno, *date_text;
	long docno_line, date_line;
	int have_title, tasks, any_leader;
	long last_num[5]; /* last heading number per level under its parent */
	int open_level;   /* deepest heading level seen since its parent */
	long stated_total, total_line;
	char *total_text;
	struct strlist leaders; /* as written, each once */
	long *leader_line;      /* the task line each was first seen on */
	struct kept_line *lines; /* text of each line seen, in line order */
	size_t nlines, linecap;
	struct strlist missing; /* "LINE\tTEXT" of tasks without a leader */
	size_t invalid, dropped;
};

static struct rules rules;

static void add(struct doc *d, long line, const char *level, const char *rule,
		const char *text, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static void add(struct doc *d, long line, const char *level, const char *rule,
		const char *text, const char *fmt, ...)
{
	struct buf msg = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&msg, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(msg.s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	msg.len = (size_t)n;
	d->f = nm_xrealloc(d->f, (d->nf + 1) * sizeof *d->f);
	d->f[d->nf++] = (struct finding){line, level, rule, msg.s, nm_xstrdup(text)};
}

static int scan(const char *name, const char *s, size_t n, size_t at, struct match *m)
{
	int rc = rules_scan(&rules, name, s, n, at, m);
	return rc > 0; /* a limit error is counted and reported per notice */
}

static int group_num(const struct match *m, const char *name, size_t *len)
{
	const char *s = match_group(m, name, len);
	return s ? (int)cn_number(s, *len) : -1;
}

/* One written date: incomplete, zero-padded, dotted or impossible. */
static void check_date(struct doc *d, long line, const char *text, const struct match *m)
{
	size_t ylen, mlen, dlen, daylen;
	int y = group_num(m, "y", &ylen), mo = group_num(m, "m", &mlen);
	int day = group_num(m, "d", &dlen);
	const char *ms = match_group(m, "m", &mlen), *ds = match_group(m, "d", &dlen);
	int has_dayword = match_group(m, "day", &daylen) != NULL;
	size_t a = match_start(m);
	char *written = nm_xstrndup(text + a, match_end(m) - a);
	int padded = (mlen > 1 && ms[0] == '0') || (ds && dlen > 1 && ds[0] == '0');
	if (ylen != 4 || mo < 1 || mo > 12 || (day >= 0 && !date_valid(y, mo, day)))
		add(d, line, ERROR, "date.invalid", text, "日期“%s”不存在:%s", written,
		    ylen != 4 ? "年份不是四位数" : mo < 1 || mo > 12 ? "月份应在1至12之间"
		    : "该月没有这一天");
	else if (strchr(written, '.'))
		add(d, line, WARN, "date.malformed", text, "日期“%s”写法不规范,应为“%d年%d月%d日”",
		    written, y, mo, day);
	else if (day >= 0 && !has_dayword)
		add(d, line, WARN, "date.malformed", text, "日期“%s”缺少“日”,应为“%s日”", written,
		    written);
	else if (padded)
		add(d, line, WARN, "date.malformed", text,
		    "日期“%s”的月、日不应补零,应为“%d年%d月%d日”", written, y, mo, day);
	free(written);
}

static void scan_dates(struct doc *d, long line, const char *text, size_t n)
{
	struct match m;
	for (size_t at = 0; at < n && scan("date.any", text, n, at, &m);) {
		at = match_end(&m);
		check_date(d, line, text, &m);
	}
}

static void scan_ranges(struct doc *d, long line, const char *text, size_t n)
{
	struct match m;
	size_t len;
	for (size_t at = 0; at < n && scan("date.range", text, n, at, &m);) {
		at = match_end(&m);
		int a = group_num(&m, "a", &len), b = group_num(&m, "b", &len);
		const char *sep = match_group(&m, "sep", &len);
		char *written = nm_xstrndup(text + match_start(&m), match_end(&m) - match_start(&m));
		if (!sep)
			add(d, line, WARN, "date.range_suspicious", text,
			    "年份范围“%s年”两个年份连写,应为“%d—%d年”", written, a, b);
		else if (a > b)
			add(d, line, WARN, "date.range_suspicious", text,
			    "年份范围“%s年”起止颠倒,应为“%d—%d年”", written, b, a);
		free(written);
	}
}

/* Years far from the issue year are checked at the end of the notice. */
static void scan_years(struct doc *d, long line, const char *text, size_t n)
{
	struct match m;
	size_t len;
	for (size_t at = 0; at < n && scan("date.year", text, n, at, &m);) {
		at = match_end(&m);
		d->years = nm_xrealloc(d->years, (d->nyears + 1) * sizeof *d->years);
		d->years[d->nyears++] = (struct year_seen){line, group_num(&m, "y", &len),
							   nm_xstrdup(text)};
	}
}

/* The 机关代字 before byte offset at: up to 12 Han characters or letters. */
static size_t docno_prefix(const char *text, size_t at)
{
	size_t from = at;
	for (int chars = 0; chars < 12 && from > 0; chars++) {
		size_t k = from - 1;
		while (k > 0 && ((unsigned char)text[k] & 0xC0) == 0x80)
			k--;
		uint32_t c;
		if (!utf8_decode(text + k, from - k, &c) ||
		    !((c >= 0x4E00 && c <= 0x9FFF) || (c < 0x80 && isalpha((int)c))))
			break;
		from = k;
	}
	return at - from;
}

/* GB/T 9704 7.2.5: 机关代字〔年份〕序号号, four-digit year, no 第, no leading 0. */
static void check_docno(struct doc *d, long line, const char *text, const struct match *m,
			int in_header)
{
	size_t plen = docno_prefix(text, match_start(m)), olen, ylen, clen, dlen, nlen, hlen;
	const char *prefix = text + match_start(m) - plen;
	const char *open = match_group(m, "open", &olen), *close = match_group(m, "close", &clen);
	const char *year = match_group(m, "year", &ylen), *num = match_group(m, "num", &nlen);
	const char *di = match_group(m, "di", &dlen), *hao = match_group(m, "hao", &hlen);
	if (!in_header && ((!open && !close) || !hao))
		return; /* in the body only what is surely a citation */
	struct buf y = BUF_INIT, n = BUF_INIT;
	if (ylen == 2)
		buf_adds(&y, "20"); /* 〔19〕: the century is missing */
	buf_add(&y, year, ylen);
	if (!close && ylen > 4) { /* 〔201779号: year and number run together */
		buf_add(&n, year + 4, ylen - 4);
		y.len = 4;
		y.s[4] = '\0';
	}
	buf_add(&n, num, nlen);
	const char *digits = buf_str(&n);
	while (digits[0] == '0' && digits[1])
		digits++;
	int ok = open && close && olen == strlen("〔") && memcmp(open, "〔", olen) == 0 &&
		 memcmp(close, "〕", clen) == 0 && ylen == 4 && !di && digits == buf_str(&n) && hao;
	if (!ok) {
		char *written = nm_xstrndup(prefix, text + match_end(m) - prefix);
		add(d, line, WARN, "docno.malformed", text, "发文字号“%s”不规范,应为“%.*s〔%s〕%s号”",
		    written, (int)plen, prefix, buf_str(&y), digits);
		free(written);
	}
	buf_free(&y);
	buf_free(&n);
}

static void scan_docnos(struct doc *d, long line, const char *text, size_t n, int in_header)
{
	struct match m;
	for (size_t at = 0; at < n && scan("docno.any", text, n, at, &m);) {
		at = match_end(&m);
		check_docno(d, line, text, &m, in_header);
	}
}

/* Items of the 、-separated list in s; 0 when it is no list (one item, or
 * an empty one: the list goes on beyond s). */
static int list_items(const char *s, size_t n)
{
	int items = 1;
	const char *p = s, *end = s + n, *item = s;
	while ((p = memmem(p, (size_t)(end - p), "、", strlen("、")))) {
		if (p == item)
			return 0;
		items++;
		p += strlen("、");
		item = p;
	}
	return items > 1 && item < end ? items : 0;
}

/* The clause just before byte offset at: from the last clause start. */
static size_t clause_before(const char *text, size_t at)
{
	struct match m;
	size_t from = 0;
	for (size_t k = 0; k < at && scan("count.clause_start", text, at, k, &m);)
		from = k = match_end(&m) > k ? match_end(&m) : k + 1;
	return from;
}

/* A list right after the counted noun: "三大任务:A、B、C". */
static int list_after(const char *text, size_t n, size_t at, size_t *from, size_t *to)
{
	uint32_t c;
	size_t len;
	while (at < n && (len = utf8_decode(text + at, n - at, &c)) && c >= 0x4E00 && c <= 0x9FFF)
		at += len;
	if (at >= n || (text[at] != ':' && text[at] != '('))
		return 0;
	*from = at + 1;
	*to = *from;
	while (*to < n && text[*to] != ')' && !str_starts(text + *to, "。") && text[*to] != ';')
		(*to)++;
	return 1;
}

/* A count phrase at [start, end) stating want items, against the list
 * just before it or right after its noun. */
static void check_count(struct doc *d, long line, const char *text, size_t n, size_t start,
			size_t end, long want)
{
	if (start >= strlen("、") && str_starts(text + start - strlen("、"), "、"))
		return; /* the phrase is itself an item of a list */
	size_t from = clause_before(text, start), to = start;
	int items = list_items(text + from, to - from);
	if (!items && list_after(text, n, end, &from, &to))
		items = list_items(text + from, to - from);
	if (!items || want <= 0)
		return;
	char *clause = nm_xstrndup(text + from, to - from);
	int open_ended = str_ends(clause, "等");
	int joined = strstr(clause, "和") || strstr(clause, "及") || strstr(clause, "与");
	if (items != want && !(joined && items + 1 == want) && !(open_ended && items < want)) {
		char *phrase = nm_xstrndup(text + start, end - start);
		add(d, line, WARN, "count.mismatch", text, "“%s”前后列举了%d项(%s),与所述数量%ld不符",
		    phrase, items, clause, want);
		free(phrase);
	}
	free(clause);
}

static void scan_counts(struct doc *d, long line, const char *text, size_t n)
{
	struct match m;
	size_t len;
	for (size_t at = 0; at < n && scan("count.phrase", text, n, at, &m);) {
		size_t start = match_start(&m), end = match_end(&m);
		const char *num = match_group(&m, "n", &len);
		long want = cn_number(num, len);
		check_count(d, line, text, n, start, end, want); /* reuses the match data */
		at = end > start ? end : start + 1;
	}
	if (scan("count.total", text, n, 0, &m)) {
		const char *num = match_group(&m, "n", &len);
		d->stated_total = cn_number(num, len);
		d->total_line = line;
		free(d->total_text);
		d->total_text = nm_xstrdup(text);
	}
}

/* Keeps the text of a line, for the 原文 of findings made at the end. */
static void keep_text(struct doc *d, long line, const char *text)
{
	if (d->nlines && d->lines[d->nlines - 1].line >= line)
		return; /* lines come in order; a stream out of order keeps the first */
	if (d->nlines == d->linecap) {
		d->linecap = d->linecap ? 2 * d->linecap : 256;
		d->lines = nm_xrealloc(d->lines, d->linecap * sizeof *d->lines);
	}
	d->lines[d->nlines++] = (struct kept_line){line, nm_xstrdup(text)};
}

static const char *text_of(const struct doc *d, long line, const char *otherwise)
{
	size_t lo = 0, hi = d->nlines;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (d->lines[mid].line < line)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < d->nlines && d->lines[lo].line == line ? d->lines[lo].text : otherwise;
}

static void on_text(struct doc *d, long line, const char *text, int in_header)
{
	size_t n = strlen(text);
	keep_text(d, line, text);
	scan_dates(d, line, text, n);
	scan_ranges(d, line, text, n);
	scan_years(d, line, text, n);
	scan_docnos(d, line, text, n, in_header);
	scan_counts(d, line, text, n);
}

/* Numbering per level under its parent: gaps, repeats and skipped levels. */
static void on_heading(struct doc *d, long line, const char *text, int level, const char *num)
{
	long n = cn_number(num, strlen(num));
	if (level < 1 || level > 4 || n < 0)
		return;
	if (level > d->open_level + 1 && d->last_num[level] == 0)
		add(d, line, WARN, "numbering.gap", text, "标题层级跳过:上一级之后直接出现第%d级标题", level);
	long last = d->last_num[level];
	if (n == last || (n < last && n > 0))
		add(d, line, WARN, "numbering.duplicate", text, "编号“%s”与前面的同级编号重复或倒序(前一个为%ld)",
		    num, last);
	else if (n > last + 1)
		add(d, line, WARN, "numbering.gap", text, "编号不连续:%ld之后应为%ld,这里是%ld", last,
		    last + 1, n);
	d->last_num[level] = n;
	for (int k = level + 1; k <= 4; k++)
		d->last_num[k] = 0;
	d->open_level = level;
}

static void on_task(struct doc *d, const struct rec *r)
{
	long line = atol(rec_field(r, 1));
	const char *leaders = rec_field(r, 6), *lead = rec_field(r, 7), *content = rec_field(r, 5);
	d->tasks++;
	if (!*lead)
		add(d, line, WARN, "task.missing_field", text_of(d, line, content),
		    "第%s项任务没有牵头单位", rec_field(r, 2));
	if (*leaders) {
		d->any_leader = 1;
		struct strlist names = {0};
		for (const char *p = leaders, *e; *p; p = *e ? e + 1 : e) {
			e = strchr(p, REC_LIST_SEP);
			e = e ? e : p + strlen(p);
			if (e > p)
				strlist_add(&names, p, (size_t)(e - p));
		}
		for (size_t i = 0; i < names.n; i++) {
			if (strlist_has(&d->leaders, names.v[i]))
				continue;
			d->leader_line = nm_xrealloc(d->leader_line, (d->leaders.n + 1) * sizeof(long));
			d->leader_line[d->leaders.n] = line;
			strlist_add(&d->leaders, names.v[i], strlen(names.v[i]));
		}
		strlist_clear(&names);
	} else {
		struct buf b = BUF_INIT;
		buf_printf(&b, "%ld\t%s\t%s", line, rec_field(r, 2), content);
		strlist_add(&d->missing, b.s, b.len);
		buf_free(&b);
	}
	int y, m, day;
	struct ymd issue;
	if (d->date_text && dates_issue(&rules, d->date_text, &issue) && issue.d > 0 &&
	    date_from_iso(rec_field(r, 9), &y, &m, &day) &&
	    date_serial(y, m, day) < date_serial(issue.y, issue.m, issue.d))
		add(d, atol(rec_field(r, 13)), WARN, "date.deadline_before_issue",
		    text_of(d, atol(rec_field(r, 13)), content),
		    "第%s项任务的完成时限%s早于成文日期%04d-%02d-%02d", rec_field(r, 2), rec_field(r, 9),
		    issue.y, issue.m, issue.d);
}

static void finish_header(struct doc *d, struct ymd *issue, int *have_issue)
{
	*have_issue = d->date_text && dates_issue(&rules, d->date_text, issue) && issue->m >= 1 &&
		      issue->d >= 1 && date_valid(issue->y, issue->m, issue->d);
	struct buf missing = BUF_INIT;
	if (!d->docno)
		buf_adds(&missing, "发文字号、");
	if (!d->have_title)
		buf_adds(&missing, "标题、");
	if (!*have_issue)
		buf_adds(&missing, "成文日期、");
	if (missing.len) {
		missing.len -= strlen("、");
		missing.s[missing.len] = '\0';
		add(d, 0, WARN, "header.missing", "", "未找到%s", missing.s);
	}
	buf_free(&missing);
	struct match m;
	size_t len;
	if (d->docno && *have_issue &&
	    rules_match(&rules, "header.docno", d->docno, strlen(d->docno), &m) > 0 &&
	    scan("docno.any", d->docno, strlen(d->docno), 0, &m)) {
		const char *y = match_group(&m, "year", &len);
		long year = y && len >= 4 ? cn_number(y, 4) : -1;
		if (year > 0 && year != issue->y)
			add(d, d->docno_line, WARN, "docno.year_mismatch", d->docno,
			    "发文字号年份%ld与成文日期年份%d不一致", year, issue->y);
	}
}

/* A leader's name without the titles around it: 邵文博副市长 → 邵文博. */
static const char *name_part(const char *name, size_t *len)
{
	struct match m;
	size_t n = strlen(name), from = 0;
	if (scan("leader.title_before", name, n, 0, &m))
		from = match_end(&m);
	if (scan("leader.title_after", name, n, from, &m))
		n = match_start(&m);
	*len = n > from ? n - from : 0;
	return name + from;
}

/* One person written two ways: the same name before different titles. */
static void check_leader_variants(struct doc *d)
{
	for (size_t i = 0; i < d->leaders.n; i++) {
		const char *a = d->leaders.v[i], *an, *bn;
		size_t alen, blen;
		an = name_part(a, &alen);
		for (size_t j = i + 1; alen >= strlen("马杰") && j < d->leaders.n; j++) {
			const char *b = d->leaders.v[j];
			bn = name_part(b, &blen);
			if (blen != alen || memcmp(an, bn, alen) != 0)
				continue;
			long line = d->leader_line[j];
			add(d, line, WARN, "leader.variant", text_of(d, line, b),
			    "牵头领导“%s”与“%s”疑为同一人的两种写法,请统一", a, b);
		}
	}
}

static void finish_tasks(struct doc *d, const struct ymd *issue, int have_issue)
{
	if (d->any_leader)
		for (size_t i = 0; i < d->missing.n; i++) {
			char *line = d->missing.v[i], *seq = strchr(line, '\t') + 1;
			char *content = strchr(seq, '\t');
			*content++ = '\0';
			add(d, atol(line), WARN, "task.missing_field", text_of(d, atol(line), content),
			    "第%s项任务没有牵头领导(本文件其他任务都写明了牵头领导)", seq);
		}
	check_leader_variants(d);
	if (d->tasks == 0)
		add(d, 0, WARN, "task.none", "", "未找到任何任务:没有牵头单位、配合单位等责任字段,"
						  "请核对文件是否为任务分工类公文");
	if (d->stated_total > 0 && d->stated_total != d->tasks)
		add(d, d->total_line, WARN, "count.mismatch", d->total_text,
		    "文中写明共%ld项任务,实际找到%d项", d->stated_total, d->tasks);
	for (size_t i = 0; have_issue && i < d->nyears; i++) {
		int gap = abs(d->years[i].year - issue->y);
		if (gap > MAX_YEAR_DISTANCE)
			add(d, d->years[i].line, WARN, "date.range_suspicious", d->years[i].text,
			    "年份%d与成文年份%d相差%d年,请核对", d->years[i].year, issue->y, gap);
	}
}

static void finish_encoding(struct doc *d)
{
	if (d->invalid)
		add(d, 0, WARN, "encoding.invalid_bytes", "",
		    "有%zu处字节无法按源编码解码,已替换为“\xEF\xBF\xBD”", d->invalid);
	if (d->dropped)
		add(d, 0, WARN, "encoding.invalid_bytes", "", "删除了%zu个控制字符(如NUL)", d->dropped);
}

static void finish(FILE *out, struct doc *d)
{
	struct ymd issue = {0};
	int have_issue;
	finish_header(d, &issue, &have_issue);
	finish_tasks(d, &issue, have_issue);
	finish_encoding(d);
	if (have_issue) {
		char iso[16];
		snprintf(iso, sizeof iso, "%04d-%02d-%02d", issue.y, issue.m, issue.d);
		rec_put(out, "meta", "issue_date", iso, NULL);
	}
	for (size_t i = 1; i < d->nf; i++) /* insertion sort: stable, nearly sorted */
		for (size_t j = i; j > 0 && d->f[j - 1].line > d->f[j].line; j--) {
			struct finding t = d->f[j];
			d->f[j] = d->f[j - 1];
			d->f[j - 1] = t;
		}
	for (size_t i = 0; i < d->nf; i++) {
		rec_put_finding(out, &(struct rec_finding){d->f[i].line, d->f[i].level, d->f[i].rule,
							    d->f[i].message, d->f[i].text, 0, "", ""});
	}
}

static void doc_reset(struct doc *d)
{
	for (size_t i = 0; i < d->nf; i++) {
		free(d->f[i].message);
		free(d->f[i].text);
	}
	for (size_t i = 0; i < d->nyears; i++)
		free(d->years[i].text);
	free(d->f);
	free(d->years);
	free(d->docno);
	free(d->date_text);
	free(d->total_text);
	strlist_clear(&d->leaders);
	free(d->leader_line);
	for (size_t i = 0; i < d->nlines; i++)
		free(d->lines[i].text);
	free(d->lines);
	strlist_clear(&d->missing);
	memset(d, 0, sizeof *d);
}

static void on_head(struct doc *d, const struct rec *r)
{
	long line = atol(rec_field(r, 1));
	const char *key = rec_field(r, 3), *value = rec_field(r, 4);
	if (strcmp(key, "docno") == 0 && !d->docno) {
		d->docno = nm_xstrdup(value);
		d->docno_line = line;
	} else if (strcmp(key, "date") == 0 && !d->date_text) {
		d->date_text = nm_xstrdup(value);
		d->date_line = line;
		memset(d->last_num, 0, sizeof d->last_num); /* an attachment may number anew */
		d->open_level = 0;
	} else if (strcmp(key, "title") == 0) {
		d->have_title = 1;
	}
	on_text(d, line, rec_field(r, 2), strcmp(key, "docno") == 0);
}

static void on_record(FILE *out, struct doc *d, const struct rec *r)
{
	long line = atol(rec_field(r, 1));
	if (rec_is(r, "head"))
		on_head(d, r);
	else if (rec_is(r, "heading")) {
		on_heading(d, line, rec_field(r, 2), atoi(rec_field(r, 3)), rec_field(r, 4));
		on_text(d, line, rec_field(r, 2), 0);
	} else if (rec_is(r, "item") || rec_is(r, "para") || rec_is(r, "tail"))
		on_text(d, line, rec_field(r, 2), 0);
	else if (rec_is(r, "task"))
		on_task(d, r);
	else if (rec_is(r, "meta") && strcmp(rec_field(r, 1), "invalid") == 0)
		d->invalid = strtoul(rec_field(r, 2), NULL, 10);
	else if (rec_is(r, "meta") && strcmp(rec_field(r, 1), "dropped") == 0)
		d->dropped = strtoul(rec_field(r, 2), NULL, 10);
	else if (rec_is(r, "end") || rec_is(r, "doc")) {
		if (rec_is(r, "end")) {
			finish(out, d);
			rules_put_limit_finding(&rules, out, "validate");
		}
		doc_reset(d);
	}
}

static void usage(FILE *to, int status)
{
	fputs("usage: nm-validate [--rules DIR]... < stream > stream\n"
	      "Checks counts, dates, document numbers, numbering and fields of each notice.\n",
	      to);
	exit(status);
}

static void load_rules(int argc, char **argv)
{
	struct buf err = BUF_INIT;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(argv[i], "--rules") != 0 || ++i == argc)
			usage(stderr, NM_EUSAGE);
	}
	if (rules_from_args(&rules, argc, argv, REQUIRED, &err))
		nm_die(NM_EUSAGE, "bad rules:\n%s", buf_str(&err));
}

/* Reads records from in and writes them, transformed, to out. Returns -1
 * on a read error. (A function of its own so the fuzz targets can call it.) */
static int filter(FILE *in, FILE *out)
{
	struct rec r = REC_INIT;
	struct doc d;
	memset(&d, 0, sizeof d);
	int rc;
	while ((rc = rec_read(&r, in)) > 0) {
		on_record(out, &d, &r);
		rec_pass(out, &r);
	}
	rec_free(&r);
	doc_reset(&d);
	return rc < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	nm_setprog(argv[0]);
	load_rules(argc, argv);
	if (filter(stdin, stdout) < 0)
		nm_die(NM_EUSAGE, "read error on standard input");
	rules_free(&rules);
	nm_close_stdout();
	return 0;
}
