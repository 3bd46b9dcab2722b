/*
 * docx_numbers.c - Word's automatic numbering written out as the text it
 * shows: the list and level of a paragraph (its own numPr, else its
 * style's), the list's counters, and each number in its level's format
 * (一、 （一） 1. （1） ①).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "front/docx_impl.h"
#include "stream/utf8.h"

/* ---- numbers as Word shows them ---- */

static const char *const CN_DIGIT[] = {"〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* 1 一, 10 十, 11 十一, 20 二十, 105 一百零五, 1010 一千零一十. */
static void cn_count(struct buf *b, long v)
{
	static const char *const UNIT[] = {"千", "百", "十", ""};
	static const long POW[] = {1000, 100, 10, 1};
	if (v <= 0 || v > 9999) {
		buf_printf(b, "%ld", v);
		return;
	}
	int zero = 0, any = 0;
	for (int k = 0; k < 4; k++) {
		long d = v / POW[k] % 10;
		if (!d) {
			zero = any;
			continue;
		}
		if (zero)
			buf_adds(b, "零");
		zero = 0;
		if (!(k == 2 && d == 1 && !any))
			buf_adds(b, CN_DIGIT[d]);
		buf_adds(b, UNIT[k]);
		any = 1;
	}
}

static void roman(struct buf *b, long v, int upper)
{
	static const struct {
		long v;
		const char *s;
	} R[] = {{1000, "m"}, {900, "cm"}, {500, "d"}, {400, "cd"}, {100, "c"},
		 {90, "xc"},  {50, "l"},   {40, "xl"}, {10, "x"},   {9, "ix"},
		 {5, "v"},    {4, "iv"},   {1, "i"}};
	if (v <= 0 || v >= 4000) {
		buf_printf(b, "%ld", v);
		return;
	}
	for (size_t i = 0; i < sizeof R / sizeof *R; i++)
		for (; v >= R[i].v; v -= R[i].v)
			for (const char *p = R[i].s; *p; p++)
				buf_addc(b, upper ? (char)(*p - 'a' + 'A') : *p);
}

/* Appends code point base + v - 1 where v is within 1..count, else digits. */
static void from_series(struct buf *b, long v, uint32_t base, long count)
{
	char enc[4];
	if (v >= 1 && v <= count)
		buf_add(b, enc, utf8_encode(base + (uint32_t)(v - 1), enc));
	else
		buf_printf(b, "%ld", v);
}

static void from_list(struct buf *b, long v, const char *const *list, long count)
{
	if (v >= 1 && v <= count)
		buf_adds(b, list[v - 1]);
	else
		buf_printf(b, "%ld", v);
}

static void format_number(struct buf *b, long v, const struct lvl *l, int legal)
{
	static const char *const TIANGAN[] = {"甲", "乙", "丙", "丁", "戊",
					      "己", "庚", "辛", "壬", "癸"};
	static const char *const DIZHI[] = {"子", "丑", "寅", "卯", "辰", "巳",
					    "午", "未", "申", "酉", "戌", "亥"};
	static const char *const LEGAL[] = {"零", "壹", "贰", "叁", "肆",
					    "伍", "陆", "柒", "捌", "玖"};
	enum fmt f = legal ? F_DECIMAL : (enum fmt)l->fmt;
	switch (f) {
	case F_NONE:
	case F_BULLET:
		break;
	case F_COUNTING:
		cn_count(b, v);
		break;
	case F_DIGITAL: {
		char digits[24];
		snprintf(digits, sizeof digits, "%lu",
			 v < 0 ? 0UL - (unsigned long)v : (unsigned long)v);
		for (const char *p = digits; *p; p++)
			buf_adds(b, CN_DIGIT[*p - '0']);
		break;
	}
	case F_LEGAL:
		if (v >= 1 && v <= 9)
			buf_adds(b, LEGAL[v]);
		else if (v >= 10 && v <= 99)
			buf_printf(b, "%s拾%s", v / 10 > 1 ? LEGAL[v / 10] : "壹",
				   v % 10 ? LEGAL[v % 10] : "");
		else
			buf_printf(b, "%ld", v);
		break;
	case F_TIANGAN:
		from_list(b, v, TIANGAN, 10);
		break;
	case F_DIZHI:
		from_list(b, v, DIZHI, 12);
		break;
	case F_UROMAN:
	case F_LROMAN:
		roman(b, v, f == F_UROMAN);
		break;
	case F_ULETTER:
	case F_LLETTER:
		if (v <= 0) {
			buf_printf(b, "%ld", v);
		} else {
			for (long k = 0; k <= (v - 1) / 26 && k < 100; k++)
				buf_addc(b, (char)((f == F_ULETTER ? 'A' : 'a') + (v - 1) % 26));
		}
		break;
	case F_CIRCLE:
		from_series(b, v, 0x2460, 20); /* ① */
		break;
	case F_PAREN:
		from_series(b, v, 0x2474, 20); /* ⑴ */
		break;
	case F_FULLSTOP:
		from_series(b, v, 0x2488, 20); /* ⒈ */
		break;
	case F_IDEO_CIRCLE:
		from_series(b, v, 0x3220, 10); /* ㈠ */
		break;
	case F_ZERO:
		buf_printf(b, "%02ld", v);
		break;
	case F_DECIMAL:
		/* decimal, decimalFullWidth (the stream makes it ASCII), ordinal... */
		buf_printf(b, "%0*ld", l->pad > 0 && l->pad < 10 ? l->pad : 1, v);
		break;
	}
}

/* The level definition a list uses: its override, else the abstract one; NULL: none. */
static const struct lvl *level_of(const struct docx *dx, const struct num *u, int k)
{
	if (u->ovr && u->ovr[k])
		return u->ovr[k];
	return u->abs >= 0 ? dx->a[u->abs].lvl[k] : NULL;
}

/* A list whose abstract definition only links to a numbering style. */
static struct num *follow_style_link(struct docx *dx, struct num *u)
{
	for (int hop = 0; u && hop < MAX_STYLE_CHAIN; hop++) {
		if (u->abs < 0 || !dx->a[u->abs].style_link)
			return u;
		const struct style *s = docx_find_style(dx, dx->a[u->abs].style_link);
		struct num *next = s ? docx_find_num(dx, s->num_id) : NULL;
		if (!next || next == u)
			return u;
		u = next;
	}
	return u;
}

/* The numbering of a paragraph: its own numPr, else its style's. */
static struct num *para_num(struct docx *dx, const struct para *p, int *ilvl)
{
	const char *num_id = p->num_id;
	long k = p->ilvl;
	const char *sid = p->style ? p->style : dx->default_style;
	const struct style *s = docx_find_style(dx, sid);
	for (int hop = 0; s && !num_id && hop < MAX_STYLE_CHAIN; hop++) {
		if (s->num_id) {
			num_id = s->num_id;
			if (k < 0)
				k = s->ilvl;
		} else {
			s = docx_find_style(dx, s->based_on);
		}
	}
	if (!num_id || strcmp(num_id, "0") == 0)
		return NULL;
	struct num *u = follow_style_link(dx, docx_find_num(dx, num_id));
	if (!u)
		return NULL;
	for (int i = 0; k < 0 && sid && i < NLEVELS; i++) {
		const struct lvl *l = level_of(dx, u, i);
		if (l && l->pstyle && strcmp(l->pstyle, sid) == 0)
			k = i;
	}
	*ilvl = k < 0 ? 0 : k >= NLEVELS ? NLEVELS - 1 : (int)k;
	return u;
}

static long start_of(const struct docx *dx, const struct num *u, int k)
{
	if (u->start_ovr && u->start_ovr[k] != LONG_MIN)
		return u->start_ovr[k];
	const struct lvl *l = level_of(dx, u, k);
	return l ? l->start : 1;
}

static int ends_in_punctuation(const struct buf *b)
{
	if (!b->len)
		return 1;
	size_t i = b->len - 1;
	while (i > 0 && ((unsigned char)b->s[i] & 0xC0) == 0x80)
		i--;
	uint32_t c;
	if (!utf8_decode(b->s + i, b->len - i, &c))
		return 1;
	return (c < 0x80 && !(c >= '0' && c <= '9') && !((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) ||
	       (c >= 0x3000 && c <= 0x303F) || (c >= 0xFF00 && c <= 0xFF65) ||
	       (c >= 0x2460 && c <= 0x24FF) || (c >= 0x3220 && c <= 0x325F);
}

/* Advances the list's counters and appends the number the paragraph shows. */
void docx_numbering(struct docx *dx, struct para *p)
{
	int k;
	p->numbered = 1;
	struct num *u = para_num(dx, p, &k);
	const struct lvl *l = u ? level_of(dx, u, k) : NULL;
	if (!l)
		return;
	struct counters *c = &dx->set[u->set];
	if (!(c->started >> k & 1))
		c->v[k] = start_of(dx, u, k);
	else if (c->v[k] < LONG_MAX)
		c->v[k]++;
	c->started |= (unsigned short)(1u << k);
	for (int j = k + 1; j < NLEVELS; j++) {
		const struct lvl *lj = level_of(dx, u, j);
		long restart = lj && lj->restart >= 0 ? lj->restart : j;
		if (k < restart)
			c->started &= (unsigned short)~(1u << j);
	}
	if (!l->text)
		return;
	struct buf *num = &dx->scratch;
	buf_reset(num);
	if (l->fmt == F_BULLET) {
		/* Symbol-font bullets are private-use characters: left out. */
		uint32_t cp;
		size_t n = strlen(l->text);
		for (size_t i = 0; i < n;) {
			size_t len = utf8_decode(l->text + i, n - i, &cp);
			if (len && !(cp >= 0xE000 && cp <= 0xF8FF))
				buf_add(num, l->text + i, len);
			i += len ? len : 1;
		}
	} else {
		for (const char *q = l->text; *q; q++) {
			if (q[0] == '%' && q[1] >= '1' && q[1] <= '9') {
				int j = q[1] - '1';
				const struct lvl *lj = level_of(dx, u, j);
				long v = c->started >> j & 1 ? c->v[j] : start_of(dx, u, j);
				if (lj)
					format_number(num, v, lj, l->legal);
				else
					buf_printf(num, "%ld", v);
				q++;
			} else {
				buf_addc(num, *q);
			}
		}
	}
	docx_add(dx, &p->line, buf_str(num), num->len);
	if (num->len && !l->suff_nothing && !ends_in_punctuation(num))
		docx_add(dx, &p->line, " ", 1);
}
