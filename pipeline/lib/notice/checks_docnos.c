/*
 * checks_docnos.c - document numbers written against GB/T 9704 7.2.5:
 * 机关代字〔年份〕序号号, a four-digit year in 六角括号 〔〕, no 第, no
 * leading 0. The notice's own 发文字号 is checked however it is written;
 * in the body only what is surely a citation (brackets and 号).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "stream/err.h"
#include "stream/utf8.h"

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

static int is(const char *s, size_t n, const char *what)
{
	return s && n == strlen(what) && memcmp(s, what, n) == 0;
}

static void check_docno(struct checks *C, const struct chk_rec *r, const struct match *m, int own)
{
	const char *text = buf_str(&r->t.norm);
	size_t plen = docno_prefix(text, match_start(m)), olen, ylen, clen, dlen, nlen, hlen;
	size_t a = match_start(m) - plen, b = match_end(m);
	const char *prefix = text + a;
	const char *open = match_group(m, "open", &olen), *close = match_group(m, "close", &clen);
	const char *year = match_group(m, "year", &ylen), *num = match_group(m, "num", &nlen);
	const char *di = match_group(m, "di", &dlen), *hao = match_group(m, "hao", &hlen);
	if (!own && ((!open && !close) || !hao))
		return; /* in the body only what is surely a citation */
	if (plen == 0 && !own)
		return;
	struct buf y = BUF_INIT, n = BUF_INIT, why = BUF_INIT;
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
	if (!open || !close)
		buf_printf(&why, "缺“%s”", !open && !close ? "〔〕" : !open ? "〔" : "〕");
	else if (!is(open, olen, "〔") || !is(close, clen, "〕"))
		buf_adds(&why, "年份应用六角括号“〔〕”");
	else if (ylen != 4)
		buf_adds(&why, "年份应写全四位");
	else if (di)
		buf_adds(&why, "序号前不加“第”");
	else if (digits != buf_str(&n))
		buf_adds(&why, "序号不加“0”");
	else if (!hao)
		buf_adds(&why, "缺“号”字");
	if (why.len) {
		char *written = ntext_dup(&r->t, a, b);
		checks_add_finding(C, r->line, "警告", "docno.malformed", &r->t, a, b,
				   "第%ld行%s“%s”不规范（%s），应为“%.*s〔%s〕%s号”，请核实后改正",
				   r->line, own ? "发文字号" : "引用的文号", written, buf_str(&why),
				   (int)plen, prefix, buf_str(&y), digits);
		free(written);
	}
	buf_free(&y);
	buf_free(&n);
	buf_free(&why);
}

void checks_docnos(struct checks *C)
{
	struct match m;
	for (size_t i = 0; i < C->nr; i++) {
		const struct chk_rec *r = &C->r[i];
		int own = r->kind == CK_HEAD && strcmp(r->key, "docno") == 0;
		if (r->kind == CK_INLINE)
			continue;
		/* Two head records of one line (issuer and title) are read once. */
		if (i > 0 && C->r[i - 1].line == r->line && r->kind == CK_HEAD &&
		    strcmp(buf_str(&C->r[i - 1].t.orig), buf_str(&r->t.orig)) == 0)
			continue;
		const char *s = buf_str(&r->t.norm);
		size_t n = r->t.norm.len;
		for (size_t at = 0; at < n && rules_scan(C->rs, "docno.any", s, n, at, &m) > 0;) {
			size_t a = match_start(&m), b = match_end(&m);
			check_docno(C, r, &m, own);
			at = checks_past(s, n, a, b);
			if (own)
				break; /* the notice's own number once */
		}
	}
}
