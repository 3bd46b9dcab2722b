/*
 * header.c - the header of a notice, however the lines above its body are
 * laid out: a web portal's metadata block (索 引 号：…  标　　题：…), the
 * 版头 of GB/T 9704-2012 (份号, 密级, 紧急程度, a letter-spaced masthead, a
 * rule, 发文字号 and 签发人), the issuing organ alone above a title that
 * wraps over several lines, the 主送机关 (perhaps over two lines), and the
 * 成文日期 with the organ's signature above it. A line it does not know
 * does not stop it: it is passed over while the title is still ahead.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/dates.h"
#include "notice/layout.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* How many lines of the top may come before the title. */
#define HEAD_LINES 16
/* A title line is short; a longer line is body text. */
#define TITLE_LINE_CHARS 60

struct head_state {
	struct layout *L;
	int docno, signer, issuer, title, recipients, date;
	size_t title_from, title_to; /* the title's pieces */
	char *glued_docno;           /* a 发文字号 written right before the title, or NULL */
	int title_about;             /* it holds 关于: no later line replaces it */
	int meta_title;              /* the portal's metadata gave the title */
	struct buf sq;               /* squeezed text of the piece at hand */
};

/* Every space removed; map[i] is the normalised offset of squeezed byte i. */
static void squeeze_map(const struct piece *p, struct buf *out, size_t **map)
{
	const char *s = buf_str(&p->t.norm);
	size_t n = p->t.norm.len, k = 0;
	buf_reset(out);
	*map = nm_xrealloc(*map, (n + 1) * sizeof **map);
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ') {
			(*map)[k++] = i;
			buf_addc(out, s[i]);
		}
	(*map)[k] = n;
	if (!out->s)
		buf_grow(out, 0);
}

static int squeezed_match(struct head_state *h, const char *rule, const struct piece *p,
			  struct match *m)
{
	layout_squeezed(p, &h->sq);
	return rules_match(h->L->rs, rule, h->sq.s, h->sq.len, m) > 0;
}

/* The value of a named group of a match on the piece's normalised text, as written. */
static void head_from(struct piece *p, const char *key, const struct match *m, const char *group)
{
	size_t len;
	const char *v = match_group(m, group, &len);
	if (!v) {
		layout_set_head(p, key, "", 0);
		return;
	}
	size_t a = (size_t)(v - p->t.norm.s);
	struct buf orig = BUF_INIT;
	ntext_orig(&p->t, a, a + len, &orig);
	size_t olen = orig.len;
	const char *t = str_trim(buf_str(&orig), &olen);
	layout_set_head(p, key, t, olen);
	buf_free(&orig);
}

static void head_whole(struct piece *p, const char *key)
{
	layout_set_head(p, key, buf_str(&p->t.orig), p->t.orig.len);
}

/* An organ's name as a head value: a letter-spaced one (霁 川 市 人 民 政 府) closed up. */
static void organ_head(struct head_state *h, struct piece *p, const char *key)
{
	size_t spaces = 0, chars = utf8_chars(p->t.norm.s, p->t.norm.len);
	for (const char *s = buf_str(&p->t.norm); *s; s++)
		spaces += *s == ' ';
	if (spaces * 3 >= chars) {
		layout_squeezed(p, &h->sq);
		layout_set_head(p, key, h->sq.s, h->sq.len);
	} else {
		head_whole(p, key);
	}
}

/* ---- The metadata block of a web portal ---- */

static const char *const META_KINDS[] = {"meta.docno", "meta.issuer",  "meta.title",
					 "meta.date",  "meta.pubdate", "meta.recipients",
					 "meta.other"};
static const char *const META_KEYS[] = {"docno",   "issuer",     "title", "date",
					"pubdate", "recipients", NULL};
#define META_OTHER 6

struct meta_hit {
	size_t a, b; /* the label in squeezed bytes */
	int kind;
};

/*
 * Labels in the squeezed text that a separator (：, :, |) or the line's end
 * follows, or a space in the normalised text norm (map: squeeze_map) where a
 * page sets label and value apart by spaces (发布机构 区政府办公室 文 号 …).
 */
static size_t meta_labels(struct layout *L, const char *s, size_t n, const char *norm,
			  const size_t *map, struct meta_hit *hit, size_t max)
{
	size_t k = 0;
	for (size_t at = 0; at < n && k < max;) {
		size_t best_a = n, best_b = n;
		int best = -1;
		for (int kind = 0; kind <= META_OTHER; kind++) {
			size_t a, b, from = at;
			while (rules_words_scan(L->rs, META_KINDS[kind], s, n, from, 0, &a, &b)) {
				int sep = b == n || s[b] == ':' || s[b] == '|' ||
					  str_starts(s + b, "】") ||
					  (map[b] > 0 && norm[map[b] - 1] == ' ' &&
					   map[b] > map[b - 1] + 1);
				int starts = a == 0 || s[a - 1] == '|' || s[a - 1] == ':' ||
					     str_starts(s + a - (a >= 3 ? 3 : 0), "【") ||
					     str_starts(s + a - (a >= 3 ? 3 : 0), "】") || k > 0;
				if (sep && starts) {
					if (a < best_a || (a == best_a && b > best_b))
						best_a = a, best_b = b, best = kind;
					break;
				}
				from = b;
			}
		}
		if (best < 0)
			break;
		hit[k++] = (struct meta_hit){best_a, best_b, best};
		at = best_b;
	}
	return k;
}

struct meta_value {
	long no;
	int kind;
	char *value;
};

/* The written text of squeezed [a, b) of piece p: separators and bars trimmed off. */
static char *meta_text(const struct piece *p, const size_t *map, size_t a, size_t b)
{
	const char *s = buf_str(&p->t.norm);
	size_t na = map[a], nb = map[b];
	while (na < nb &&
	       (s[na] == ':' || s[na] == '|' || s[na] == ' ' || str_starts(s + na, "】")))
		na += str_starts(s + na, "】") ? strlen("】") : 1;
	while (nb > na && (s[nb - 1] == '|' || s[nb - 1] == ' '))
		nb--;
	if (nb > na && str_ends(s + na, "【") && (size_t)(strlen(s + na)) == nb - na)
		nb -= strlen("【");
	struct buf o = BUF_INIT;
	ntext_orig(&p->t, na, nb, &o);
	size_t len = o.len;
	const char *t = str_trim(buf_str(&o), &len);
	char *v = nm_xstrndup(t, len);
	buf_free(&o);
	return v;
}

/*
 * Reads the metadata block at the top, if there is one: lines of labelled
 * values, several to a line, in a table of bars or not, a value on the line
 * under its label. Its lines become P_SKIP; what it says is returned.
 */
static size_t read_meta(struct layout *L, size_t i, struct meta_value **out, size_t *nout)
{
	struct buf sq = BUF_INIT;
	size_t *map = NULL;
	struct meta_hit hit[16];
	int pending = -1; /* a label whose value is on the next line */
	size_t lines = 0;
	for (; i < L->n; i++) {
		struct piece *p = &L->p[i];
		if (p->kind == P_BLANK)
			continue;
		if (p->kind != P_TEXT)
			break;
		squeeze_map(p, &sq, &map);
		size_t k = meta_labels(L, sq.s, sq.len, buf_str(&p->t.norm), map, hit, 16);
		if (k == 0 && pending >= 0) {
			*out = nm_xrealloc(*out, (*nout + 1) * sizeof **out);
			(*out)[(*nout)++] = (struct meta_value){p->no, pending,
								meta_text(p, map, 0, sq.len)};
			p->kind = P_SKIP;
			pending = -1;
			continue;
		}
		if (k == 0 || (hit[0].a > 3 && sq.s[0] != '|'))
			break;
		lines++;
		p->kind = P_SKIP;
		pending = -1;
		for (size_t j = 0; j < k; j++) {
			size_t end = j + 1 < k ? hit[j + 1].a : sq.len;
			char *v = meta_text(p, map, hit[j].b, end);
			if (!*v && j + 1 == k) {
				pending = hit[j].kind;
				free(v);
				continue;
			}
			*out = nm_xrealloc(*out, (*nout + 1) * sizeof **out);
			(*out)[(*nout)++] = (struct meta_value){p->no, hit[j].kind, v};
		}
	}
	buf_free(&sq);
	free(map);
	return lines;
}

/* ---- The 版头, the title and the 主送机关 ---- */

static int is_skip_line(struct head_state *h, const struct piece *p)
{
	struct match m;
	layout_squeezed(p, &h->sq);
	const char *s = h->sq.s;
	size_t n = h->sq.len;
	const char *star = strstr(s, "★");
	if (star)
		n = (size_t)(star - s); /* 秘密★1年 */
	return rules_words_is(h->L->rs, "header.skip", s, n) ||
	       rules_match(h->L->rs, "header.copyno", s, h->sq.len, &m) > 0 ||
	       rules_match(h->L->rs, "layout.rule", s, h->sq.len, &m) > 0;
}

static int has_sentence(const struct piece *p) { return strstr(buf_str(&p->t.norm), "。") != NULL; }

static size_t next_text(const struct layout *L, size_t i)
{
	while (i < L->n && L->p[i].kind == P_BLANK)
		i++;
	return i;
}

/* Whether the title gathered so far is whole: it ends in a word titles end
 * in (通知, 意见, 方案 …) with its brackets closed. */
static int title_complete(struct head_state *h, const struct buf *title)
{
	struct match m;
	struct buf sq = BUF_INIT;
	for (const char *s = buf_str(title); *s; s++)
		if (*s != ' ')
			buf_addc(&sq, *s);
	int done = rules_match(h->L->rs, "header.title_end", buf_str(&sq), sq.len, &m) > 0;
	buf_free(&sq);
	return done;
}

/* Whether the line at i still belongs to a title that reads whole already:
 * "…工作报告" then "重点工作责任分工的通知", "…方案（2023—2025年）" then "的通知". */
static int title_goes_on(struct head_state *h, size_t i)
{
	struct layout *L = h->L;
	struct match m;
	if (i >= L->n || L->p[i].kind != P_TEXT || has_sentence(&L->p[i]) ||
	    (i > 0 && L->p[i - 1].kind == P_BLANK))
		return 0;
	const struct piece *p = &L->p[i];
	struct buf sq = BUF_INIT;
	layout_squeezed(p, &sq);
	int goes_on = utf8_chars(sq.s, sq.len) <= 30 &&
		      rules_match(L->rs, "header.title_end", sq.s, sq.len, &m) > 0 &&
		      !layout_match(L, "header.recipients", p, &m) &&
		      !layout_match(L, "header.date", p, &m);
	buf_free(&sq);
	return goes_on;
}

/*
 * A line of the title as a head value: without a bracketed site prefix
 * (【市政府重点工作及责任分解】…) or a 发文字号 glued before it, and when the
 * line is the whole title, without the book-title marks around it.
 */
static void title_line(struct head_state *h, struct piece *p, int first)
{
	struct layout *L = h->L;
	struct match m;
	const char *s = buf_str(&p->t.norm);
	size_t from = 0;
	if (first && str_starts(s, "【")) {
		const char *close = strstr(s, "】");
		if (close && strstr(close, "关于"))
			from = (size_t)(close - s) + strlen("】");
	}
	if (first &&
	    rules_match(L->rs, "header.docno_lead", s + from, p->t.norm.len - from, &m) > 0) {
		size_t len;
		const char *d = match_group(&m, "docno", &len);
		if (d && !h->docno) {
			struct buf o = BUF_INIT;
			ntext_orig(&p->t, (size_t)(d - s), (size_t)(d - s) + len, &o);
			h->docno = 1; /* a head record of its own follows, on this line */
			h->glued_docno = o.s;
		}
		from += match_end(&m);
	}
	struct buf o = BUF_INIT;
	ntext_orig(&p->t, from, p->t.norm.len, &o);
	size_t len = o.len;
	const char *t = str_trim(buf_str(&o), &len);
	if (str_starts(t, "《") && str_ends(t, "》") && strstr(t, "关于")) {
		t += strlen("《");
		len -= strlen("《") + strlen("》");
	}
	layout_set_head(p, "title", t, len);
	buf_free(&o);
}

/* The lines of a title from piece i on; returns the piece after it. */
static size_t read_title(struct head_state *h, size_t i, size_t organ)
{
	struct layout *L = h->L;
	struct buf norm = BUF_INIT;
	struct match m;
	if (organ != (size_t)-1) { /* the organ alone above: part of the title */
		struct piece *o = &L->p[organ];
		organ_head(h, o, "issuer");
		o->key = "issuer+title";
		h->issuer = 1;
	}
	size_t last = i;
	for (size_t j = i; j < L->n; j = next_text(L, j + 1)) {
		struct piece *p = &L->p[j];
		if (p->kind != P_TEXT)
			break;
		if (j > i && (has_sentence(p) || layout_match(L, "header.recipients", p, &m) ||
			      layout_match(L, "header.docno", p, &m) ||
			      layout_match(L, "header.date", p, &m) ||
			      utf8_chars(p->t.norm.s, p->t.norm.len) > TITLE_LINE_CHARS))
			break;
		if (j > i && j > last + 1 && L->p[j - 1].kind == P_BLANK &&
		    title_complete(h, &norm))
			break; /* a blank line after a whole title ends it */
		title_line(h, p, j == i);
		buf_add(&norm, p->t.norm.s, p->t.norm.len);
		last = j;
		if (title_complete(h, &norm) && !title_goes_on(h, next_text(L, j + 1)))
			break;
	}
	/* A title wrapped in book-title marks: 《…的通知》 */
	struct piece *first = &L->p[i], *end = &L->p[last];
	if (str_starts(first->value, "《") && str_ends(end->value, "》") && first != end) {
		memmove(first->value, first->value + strlen("《"),
			strlen(first->value) - strlen("《") + 1);
		end->value[strlen(end->value) - strlen("》")] = '\0';
	}
	h->title_about = strstr(buf_str(&norm), "关于") != NULL;
	buf_free(&norm);
	h->title = 1;
	h->title_from = i;
	h->title_to = last + 1;
	return last + 1;
}

/* The 主送机关: one line ending in a colon, or two when the first ends in a comma. */
static int read_recipients(struct head_state *h, size_t i)
{
	struct layout *L = h->L;
	struct match m;
	struct piece *p = &L->p[i];
	if (layout_match(L, "header.recipients", p, &m)) {
		head_from(p, "recipients", &m, "to");
		h->recipients = 1;
		return 1;
	}
	size_t j = next_text(L, i + 1);
	const char *s = buf_str(&p->t.norm);
	/* ... or over two lines: the first a list cut anywhere (a PDF copy), the second ending in the colon */
	if (j < L->n && L->p[j].kind == P_TEXT && !has_sentence(p) &&
	    (strchr(s, ',') || strstr(s, "、")) && utf8_chars(s, strlen(s)) <= 60 &&
	    layout_match(L, "header.recipients", &L->p[j], &m)) {
		head_whole(p, "recipients");
		head_from(&L->p[j], "recipients", &m, "to");
		h->recipients = 1;
		return 2;
	}
	return 0;
}

static int looks_like_organ(struct head_state *h, const struct piece *p, struct match *m)
{
	return !has_sentence(p) && squeezed_match(h, "header.issuer", p, m);
}

/* The top of the notice down to its 主送机关 (or its first body line). */
static void read_top(struct head_state *h, size_t i)
{
	struct layout *L = h->L;
	struct match m;
	size_t organ = (size_t)-1, seen = 0;
	int unknown = 0; /* lines passed over after the title */
	L->body = i;
	for (i = next_text(L, i); i < L->n; i = next_text(L, i)) {
		struct piece *p = &L->p[i];
		if (p->kind != P_TEXT) {
			i++;
			continue;
		}
		if (seen++ > HEAD_LINES && !h->title)
			break;
		if (is_skip_line(h, p)) {
			p->kind = P_SKIP;
			i++;
			continue;
		}
		if (!h->docno && layout_match(L, "header.docno", p, &m)) {
			head_from(p, "docno", &m, "docno");
			h->docno = 1;
			size_t slen = 0;
			h->signer |= match_group(&m, "signer", &slen) != NULL && slen > 0;
			organ = (size_t)-1; /* an organ above the 文号 is not part of the title below */
			i++;
			continue;
		}
		if (!h->signer && layout_match(L, "header.signer", p, &m)) {
			head_from(p, "signer", &m, "signer");
			h->signer = 1;
			i++;
			continue;
		}
		if (!h->issuer && !h->title && squeezed_match(h, "header.issuer_mark", p, &m)) {
			size_t len;
			const char *v = match_group(&m, "issuer", &len);
			layout_set_head(p, "issuer", v ? v : "", v ? len : 0);
			h->issuer = 1;
			i++;
			continue;
		}
		if (h->title && !h->title_about && !h->recipients && !has_sentence(p) &&
		    strstr(buf_str(&p->t.norm), "关于") && layout_match(L, "header.title", p, &m)) {
			/* "数字岚溪建设2023年工作要点" above "…关于印发…的通知": the notice's title is the latter */
			for (size_t j = h->title_from; j < h->title_to; j++)
				if (L->p[j].kind == P_HEAD && strcmp(L->p[j].key, "title") == 0)
					L->p[j].kind = P_SKIP;
			h->title = 0;
		}
		if (!h->title && !has_sentence(p) && layout_match(L, "header.title", p, &m)) {
			int starts_about = str_starts(buf_str(&p->t.norm), "关于");
			i = read_title(h, i,
				       starts_about && organ != (size_t)-1 && organ + 3 > i
					       ? organ
					       : (size_t)-1);
			organ = (size_t)-1;
			continue;
		}
		if (!h->title && organ == (size_t)-1 && looks_like_organ(h, p, &m)) {
			organ = i;
			if (!h->issuer) {
				organ_head(h, p, "issuer");
				h->issuer = 1;
			} else {
				p->kind = P_SKIP;
			}
			i++;
			continue;
		}
		if (!h->recipients && (h->title || h->docno || h->meta_title)) {
			int k = read_recipients(h, i);
			if (k) {
				i = next_text(L, i + 1);
				if (k == 2)
					i = next_text(L, i + 1);
				L->body = i;
				return;
			}
		}
		if (has_sentence(p) || utf8_chars(p->t.norm.s, p->t.norm.len) > 60 ||
		    layout_match(L, "heading.l1", p, &m) || layout_match(L, "heading.l2", p, &m) ||
		    layout_match(L, "heading.l3", p, &m))
			break; /* the body begins */
		if (h->title && ++unknown > 4)
			break;
		i++; /* a line of the top the header does not know: passed over */
	}
	L->body = i < L->n ? i : L->n;
}

/* The organ's signature right above the 成文日期 at piece i. */
static void signature_above(struct head_state *h, size_t i)
{
	struct layout *L = h->L;
	struct match m;
	size_t k = i;
	while (k > L->body && L->p[k - 1].kind == P_BLANK)
		k--;
	if (!(k > L->body && L->p[k - 1].kind == P_TEXT && looks_like_organ(h, &L->p[k - 1], &m)))
		return;
	/* organs that sign together stand one above the other: 中共X委办公厅 / X人民政府办公厅 */
	size_t top = k - 1, n = 1;
	for (size_t j = top; j > L->body && n < 4;) {
		size_t q = j;
		while (q > L->body && L->p[q - 1].kind == P_BLANK)
			q--;
		if (!(q > L->body && L->p[q - 1].kind == P_TEXT && !has_sentence(&L->p[q - 1]) &&
		      looks_like_organ(h, &L->p[q - 1], &m)))
			break;
		top = j = q - 1;
		n++;
	}
	const char *key = h->issuer ? "signature" : "issuer";
	if (n == 1) {
		organ_head(h, &L->p[k - 1], key);
		return;
	}
	struct buf all = BUF_INIT;
	for (size_t j = top; j < k; j++) {
		if (L->p[j].kind != P_TEXT)
			continue;
		organ_head(h, &L->p[j], key);
		if (all.len)
			buf_addc(&all, ' ');
		buf_adds(&all, L->p[j].value);
		if (j != top)
			L->p[j].kind = P_SKIP;
	}
	layout_set_head(&L->p[top], key, all.s, all.len);
	buf_free(&all);
}

/* The 成文日期: the first line after the top that is only a date; the
 * organ's signature may stand right above it. A date without its year
 * (5月6日) is taken when there is no whole one. */
static void read_date(struct head_state *h, const struct meta_value *meta, size_t nmeta)
{
	struct layout *L = h->L;
	struct match m;
	size_t noyear = (size_t)-1;
	for (size_t i = L->body; i < L->n; i++) {
		struct piece *p = &L->p[i];
		if (p->kind != P_TEXT)
			continue;
		int full = squeezed_match(h, "header.date", p, &m);
		if (!full && noyear == (size_t)-1 && squeezed_match(h, "header.date_noyear", p, &m))
			noyear = i;
		if (!full)
			continue;
		head_whole(p, "date");
		h->date = 1;
		signature_above(h, i);
		return;
	}
	for (size_t j = 0; j < nmeta; j++)
		if (meta[j].kind == 3 || meta[j].kind == 4)
			return; /* the portal gives the date */
	if (noyear != (size_t)-1) {
		head_whole(&L->p[noyear], "date");
		h->date = 1;
		signature_above(h, noyear);
	}
}

/* A new piece right after piece i, of the same line, for one more head record. */
static struct piece *head_after(struct layout *L, size_t i);

/* No 成文日期 anywhere: the day the 版记 says it was printed (X办公室 2025年3月13日印发). */
static void printed_date(struct head_state *h)
{
	struct layout *L = h->L;
	struct match m;
	for (size_t i = L->n; i-- > L->body;) {
		struct piece *p = &L->p[i];
		if (p->kind != P_TEXT || !layout_match(L, "tail.printed", p, &m))
			continue;
		size_t len;
		const char *d = match_group(&m, "date", &len);
		struct ymd day;
		char *v = d ? nm_xstrndup(d, len) : NULL;
		if (v && dates_issue(L->rs, v, &day)) {
			struct piece *q = head_after(L, i);
			layout_set_head(q, "date", v, strlen(v));
			h->date = 1;
		}
		free(v);
		return;
	}
}

/* No organ on a line of its own nor above the date: the one the title
 * names before its 关于 (白水县人民政府办公室关于…的通知). */
static void issuer_of_title(struct head_state *h)
{
	struct layout *L = h->L;
	size_t i = h->title_from;
	if (i >= L->n || L->p[i].kind != P_HEAD)
		return;
	const char *s0 = buf_str(&L->p[i].t.norm), *s = s0, *about = strstr(s, "关于");
	struct match m;
	if (str_starts(s, "【") && strstr(s, "】") && strstr(s, "】") < about) /* 【专题】X关于… */
		s = strstr(s, "】") + strlen("】");
	/* 金河县人民政府常务会议纪要: the organ before the meeting's name */
	size_t ma, slen = strlen(s);
	if (!about && rules_words_before(L->rs, "header.meeting", s, slen, &ma))
		about = s + ma;
	if (!about || about == s ||
	    rules_match(L->rs, "header.issuer", s, (size_t)(about - s), &m) <= 0)
		return;
	char *organ = ntext_dup(&L->p[i].t, (size_t)(s - s0), (size_t)(about - s0));
	struct piece *q = head_after(L, i);
	layout_set_head(q, "issuer", organ, strlen(organ));
	free(organ);
	h->issuer = 1;
}

static struct piece *head_after(struct layout *L, size_t i)
{
	if (L->n == L->cap) {
		L->cap *= 2;
		L->p = nm_xrealloc(L->p, L->cap * sizeof *L->p);
	}
	memmove(&L->p[i + 2], &L->p[i + 1], (L->n - i - 1) * sizeof *L->p);
	L->n++;
	if (i + 1 <= L->body)
		L->body++;
	struct piece *p = &L->p[i], *q = &L->p[i + 1];
	memset(q, 0, sizeof *q);
	q->no = p->no;
	q->row = -1;
	ntext_set(&q->t, p->t.orig.s ? p->t.orig.s : "", p->t.orig.len);
	q->kind = P_SKIP;
	return q;
}

/* Head records for what the metadata block says (the first of each kind). */
static void meta_heads(struct layout *L, struct meta_value *meta, size_t nmeta,
		       struct head_state *h)
{
	int have[META_OTHER + 1] = {0};
	for (size_t j = 0; j < nmeta; j++) {
		int kind = meta[j].kind;
		if (kind >= META_OTHER || have[kind] || !*meta[j].value ||
		    strcmp(meta[j].value, "无") == 0)
			continue;
		if ((kind == 5 && h->recipients) || (kind == 1 && h->issuer))
			continue; /* the notice's own lines say it as written */
		if (kind == 0 && !strpbrk(meta[j].value, "0123456789"))
			continue; /* 字号：【大 中 小】, a page's font sizes */
		if (kind == 4 && (have[3] || h->date))
			continue; /* 发布日期 only when nothing says when it was written */
		have[kind] = 1;
		for (size_t i = 0; i < L->n; i++) {
			struct piece *p = &L->p[i];
			if (p->no != meta[j].no || (p->kind != P_SKIP && p->kind != P_HEAD))
				continue;
			if (p->kind == P_HEAD) /* a line with several values: one piece per value */
				p = head_after(L, i);
			layout_set_head(p, META_KEYS[kind] && kind == 4 ? "date" : META_KEYS[kind],
					meta[j].value, strlen(meta[j].value));
			break;
		}
	}
	h->docno |= have[0];
	h->issuer |= have[1];
	h->title |= have[2];
	h->date |= have[3] || have[4];
	h->recipients |= have[5];
}

/* Whether piece p starts with a label of the metadata block (or is a row of bars holding one). */
static int meta_line(struct layout *L, const struct piece *p)
{
	struct buf sq = BUF_INIT;
	size_t *map = NULL;
	struct meta_hit hit[2];
	squeeze_map(p, &sq, &map);
	size_t k = meta_labels(L, sq.s, sq.len, buf_str(&p->t.norm), map, hit, 2);
	int yes = k > 0 && (hit[0].a <= 3 || sq.s[0] == '|');
	buf_free(&sq);
	free(map);
	return yes;
}

/*
 * Reads every metadata block of the top of the page: a portal may put it
 * above the notice, or between the title and the text, after lines of the
 * page (无障碍, 您现在所在的位置) that say nothing.
 */
static void read_metas(struct layout *L, struct meta_value **meta, size_t *nmeta)
{
	size_t seen = 0;
	for (size_t i = next_text(L, 0); i < L->n && seen < 30; i = next_text(L, i + 1), seen++) {
		struct piece *p = &L->p[i];
		if (p->kind != P_TEXT)
			continue;
		if (meta_line(L, p)) {
			read_meta(L, i, meta, nmeta);
			continue;
		}
		if (has_sentence(p) && utf8_chars(p->t.norm.s, p->t.norm.len) > 40)
			break; /* the text has begun */
	}
}

/*
 * A title that names its organ without the place (区人民政府办公室关于…)
 * above a signature that names it whole (柏泉区人民政府办公室): the issuer
 * is the whole name.
 */
static void fuller_issuer(struct layout *L)
{
	struct piece *first = NULL;
	for (size_t i = 0; i < L->n; i++) {
		struct piece *p = &L->p[i];
		if (p->kind != P_HEAD || !p->value ||
		    (strcmp(p->key, "issuer") != 0 && strcmp(p->key, "signature") != 0))
			continue;
		if (!first) {
			if (strcmp(p->key, "issuer") == 0)
				first = p;
			continue;
		}
		size_t a = strlen(first->value), b = strlen(p->value);
		if (b > a && strcmp(p->value + b - a, first->value) == 0) {
			free(first->value);
			first->value = nm_xstrdup(p->value);
		}
	}
}

void layout_find_header(struct layout *L)
{
	struct head_state h = {.L = L};
	struct meta_value *meta = NULL;
	size_t nmeta = 0, i = next_text(L, 0);
	read_metas(L, &meta, &nmeta);
	int meta_title = 0, meta_docno = 0;
	for (size_t j = 0; j < nmeta; j++) {
		meta_title |= meta[j].kind == 2 && *meta[j].value;
		meta_docno |= meta[j].kind == 0 && *meta[j].value &&
			      strcmp(meta[j].value, "无") != 0;
	}
	while (i < L->n && (L->p[i].kind == P_SKIP || L->p[i].kind == P_BLANK))
		i++;
	for (size_t j = 0; j < nmeta; j++) { /* what the portal says counts as found */
		h.meta_title |= meta[j].kind == 2 && *meta[j].value;
		h.docno |= meta[j].kind == 0 && *meta[j].value;
	}
	read_top(&h, i);
	/* The body's own header lines stay header lines (never tasks) but say
	 * nothing where the portal said it already. */
	for (size_t j = i; j < L->body; j++) {
		struct piece *p = &L->p[j];
		if (p->kind != P_HEAD)
			continue;
		if ((meta_title &&
		     (strcmp(p->key, "title") == 0 || strcmp(p->key, "issuer+title") == 0)) ||
		    (meta_docno && strcmp(p->key, "docno") == 0))
			p->kind = P_SKIP;
	}
	read_date(&h, meta, nmeta);
	if (!h.date)
		printed_date(&h);
	if (h.glued_docno) { /* 昭政办〔2022〕1号《…关于…》 */
		struct piece *q = head_after(L, h.title_from);
		layout_set_head(q, "docno", h.glued_docno, strlen(h.glued_docno));
		free(h.glued_docno);
	}
	/* The organ the notice names itself (版头, title, signature) before the
	 * portal's 发布机构, often the office that put it on the web. */
	if (!h.issuer && h.title)
		issuer_of_title(&h);
	meta_heads(L, meta, nmeta, &h);
	fuller_issuer(L);
	for (size_t j = 0; j < nmeta; j++)
		free(meta[j].value);
	free(meta);
	buf_free(&h.sq);
}
