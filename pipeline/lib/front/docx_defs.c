/*
 * docx_defs.c - the definitions of a .docx: word/styles.xml and
 * word/numbering.xml read into tables of paragraph styles, lists and their
 * levels, each indexed by id once read; lists of one definition share
 * their counters.
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "front/docx_impl.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* ---- definitions ---- */

static enum fmt fmt_of(const char *name)
{
	static const struct {
		const char *name;
		enum fmt f;
	} FMTS[] = {
		{"none", F_NONE},
		{"bullet", F_BULLET},
		{"chineseCounting", F_COUNTING},
		{"chineseCountingThousand", F_COUNTING},
		{"japaneseCounting", F_COUNTING},
		{"taiwaneseCounting", F_COUNTING},
		{"taiwaneseCountingThousand", F_COUNTING},
		{"koreanCounting", F_COUNTING},
		{"ideographDigital", F_DIGITAL},
		{"taiwaneseDigital", F_DIGITAL},
		{"japaneseDigitalTenThousand", F_DIGITAL},
		{"koreanDigital", F_DIGITAL},
		{"chineseLegalSimplified", F_LEGAL},
		{"ideographTraditional", F_TIANGAN},
		{"ideographZodiac", F_DIZHI},
		{"upperRoman", F_UROMAN},
		{"lowerRoman", F_LROMAN},
		{"upperLetter", F_ULETTER},
		{"lowerLetter", F_LLETTER},
		{"decimalEnclosedCircle", F_CIRCLE},
		{"decimalEnclosedCircleChinese", F_CIRCLE},
		{"decimalEnclosedParen", F_PAREN},
		{"decimalEnclosedFullstop", F_FULLSTOP},
		{"ideographEnclosedCircle", F_IDEO_CIRCLE},
		{"decimalZero", F_ZERO},
	};
	for (size_t i = 0; name && i < sizeof FMTS / sizeof *FMTS; i++)
		if (strcmp(name, FMTS[i].name) == 0)
			return FMTS[i].f;
	return F_DECIMAL;
}

static void lvl_free(struct lvl *l)
{
	if (!l)
		return;
	free(l->text);
	free(l->pstyle);
	free(l);
}

/* Starts (again) the level at *slot: Word's later definition of a level wins. */
static struct lvl *lvl_begin(struct docx *dx, struct lvl **slot)
{
	if (!*slot)
		docx_hold(dx, sizeof **slot);
	lvl_free(*slot);
	struct lvl *l = nm_xmalloc(sizeof *l);
	memset(l, 0, sizeof *l);
	l->fmt = F_DECIMAL;
	l->start = 1;
	l->restart = -1;
	*slot = l;
	return l;
}

/* lvlText longer than this is cut: real ones are a few characters. */
#define MAX_LVL_TEXT 256

static char *lvl_text(struct docx *dx, const struct attrs *at)
{
	char *s = docx_keep_attr(dx, at, "val");
	size_t n = s ? strlen(s) : 0;
	if (n > MAX_LVL_TEXT) {
		n = MAX_LVL_TEXT;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
		s[n] = '\0';
	}
	return s;
}

/* A numFmt inside an mc:AlternateContent alternative: Word 2010 puts custom
 * formats there ("一, 二, 三, ..."). 1 when it gave a format. */
static int alt_fmt(struct lvl *l, const struct attrs *at)
{
	char *v = docx_attr_dup(at, "val"), *fmt = docx_attr_dup(at, "format");
	int ok = v != NULL;
	if (v && strcmp(v, "custom") == 0 && fmt) {
		if (str_starts(fmt, "一"))
			l->fmt = F_COUNTING;
		else if (str_starts(fmt, "壹"))
			l->fmt = F_LEGAL;
		else if (fmt[0] == '0') {
			size_t pad = strspn(fmt, "0123456789");
			l->fmt = F_DECIMAL;
			l->pad = (unsigned char)(pad < 10 ? pad : 0);
		} else
			ok = 0;
	} else if (v) {
		l->fmt = (unsigned char)fmt_of(v);
	}
	free(v);
	free(fmt);
	return ok;
}

static int idx_cmp(const void *a, const void *b)
{
	const struct idx *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : x->at < y->at ? -1 : x->at > y->at;
}

/*
 * Indexes n definitions of size bytes each by the id at offset key_off:
 * one entry per id, the first definition of it (or the last, when last).
 */
static struct idx *idx_build(struct docx *dx, const void *defs, size_t n, size_t size,
			     size_t key_off, int last, size_t *nix)
{
	struct idx *ix = nm_xmalloc((n ? n : 1) * sizeof *ix);
	docx_hold(dx, (long long)((n ? n : 1) * sizeof *ix));
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		const char *key = *(char *const *)((const char *)defs + i * size + key_off);
		if (key)
			ix[k++] = (struct idx){key, i};
	}
	qsort(ix, k, sizeof *ix, idx_cmp);
	size_t m = 0;
	for (size_t i = 0; i < k; i++) {
		if (m && strcmp(ix[m - 1].key, ix[i].key) == 0) {
			if (last)
				ix[m - 1] = ix[i];
			continue;
		}
		ix[m++] = ix[i];
	}
	*nix = m;
	return ix;
}

static long idx_find(const struct idx *ix, size_t n, const char *key)
{
	size_t lo = 0, hi = n;
	while (key && lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(ix[mid].key, key);
		if (c == 0)
			return (long)ix[mid].at;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const struct style *docx_find_style(const struct docx *dx, const char *id)
{
	long i = idx_find(dx->st_ix, dx->nst_ix, id);
	return i < 0 ? NULL : &dx->st[i];
}

struct num *docx_find_num(struct docx *dx, const char *id)
{
	long i = idx_find(dx->num_ix, dx->nnum_ix, id);
	return i < 0 ? NULL : &dx->num[i];
}

static int restarts(const struct num *u)
{
	for (int k = 0; u->start_ovr && k < NLEVELS; k++)
		if (u->start_ovr[k] != LONG_MIN)
			return 1;
	return 0;
}

/*
 * After numbering.xml: each list finds its abstract definition (the last
 * of that id, as Word reads them), and lists of one definition continue
 * each other, as in Word, unless a startOverride makes one count on its own.
 */
void docx_numbering_resolve(struct docx *dx)
{
	dx->a_ix = idx_build(dx, dx->a, dx->na, sizeof *dx->a, offsetof(struct abstract, id), 1,
			     &dx->na_ix);
	dx->num_ix = idx_build(dx, dx->num, dx->nnum, sizeof *dx->num, offsetof(struct num, id), 0,
			       &dx->nnum_ix);
	size_t *first = nm_xmalloc((dx->na + 1) * sizeof *first); /* per abstract, and none */
	for (size_t i = 0; i <= dx->na; i++)
		first[i] = SIZE_MAX;
	docx_hold(dx, (long long)((dx->na + 1) * sizeof *first));
	for (size_t i = 0; i < dx->nnum; i++) {
		struct num *u = &dx->num[i];
		u->abs = idx_find(dx->a_ix, dx->na_ix, u->abs_id);
		size_t *slot = &first[u->abs < 0 ? dx->na : (size_t)u->abs];
		int own = restarts(u);
		if (!own && *slot != SIZE_MAX) {
			u->set = *slot;
			continue;
		}
		u->set = dx->nset++;
		if (!own)
			*slot = u->set;
	}
	docx_hold(dx, -(long long)((dx->na + 1) * sizeof *first));
	free(first);
	dx->set = nm_xmalloc((dx->nset ? dx->nset : 1) * sizeof *dx->set);
	memset(dx->set, 0, (dx->nset ? dx->nset : 1) * sizeof *dx->set);
	docx_hold(dx, (long long)((dx->nset ? dx->nset : 1) * sizeof *dx->set));
}

void docx_styles_resolve(struct docx *dx)
{
	dx->st_ix = idx_build(dx, dx->st, dx->nst, sizeof *dx->st, offsetof(struct style, id), 0,
			      &dx->nst_ix);
}

void docx_definitions_free(struct docx *dx)
{
	for (size_t i = 0; i < dx->na; i++) {
		free(dx->a[i].id);
		free(dx->a[i].style_link);
		for (int k = 0; k < NLEVELS; k++)
			lvl_free(dx->a[i].lvl[k]);
	}
	for (size_t i = 0; i < dx->nnum; i++) {
		free(dx->num[i].id);
		free(dx->num[i].abs_id);
		for (int k = 0; dx->num[i].ovr && k < NLEVELS; k++)
			lvl_free(dx->num[i].ovr[k]);
		free(dx->num[i].ovr);
		free(dx->num[i].start_ovr);
	}
	for (size_t i = 0; i < dx->nst; i++) {
		free(dx->st[i].id);
		free(dx->st[i].based_on);
		free(dx->st[i].num_id);
	}
	free(dx->a);
	free(dx->num);
	free(dx->set);
	free(dx->st);
	free(dx->a_ix);
	free(dx->num_ix);
	free(dx->st_ix);
}

/* ---- styles.xml and numbering.xml ---- */

/* The context of a child el of frame f in styles.xml; first: the first of its kind. */
int docx_styles_child(struct docx *dx, const struct frame *f, enum el el, int first,
		      const struct attrs *at)
{
	struct style *s = dx->nst ? &dx->st[dx->nst - 1] : NULL;
	switch (f->ctx) {
	case S_ROOT:
		return S_TOP;
	case S_TOP:
		if (el != E_STYLE ||
		    !(!docx_has_attr(at, "type") || docx_attr_is(at, "type", "paragraph") ||
		      docx_attr_is(at, "type", "numbering")))
			return SKIP;
		dx->st = docx_grow(dx, dx->st, dx->nst, &dx->capst, sizeof *dx->st);
		s = &dx->st[dx->nst++];
		memset(s, 0, sizeof *s);
		s->id = docx_keep_attr(dx, at, "styleId");
		s->ilvl = -1;
		if (!dx->default_style && s->id && !docx_attr_is(at, "type", "numbering") &&
		    (docx_attr_is(at, "default", "1") || docx_attr_is(at, "default", "true") ||
		     docx_attr_is(at, "default", "on")))
			dx->default_style = s->id;
		return S_STYLE;
	case S_STYLE:
		if (el == E_BASEDON && first)
			s->based_on = docx_keep_attr(dx, at, "val");
		return el == E_PPR && first ? S_PPR : SKIP;
	case S_PPR:
		return el == E_NUMPR && first ? S_NUMPR : SKIP;
	case S_NUMPR:
		if (el == E_NUMID && first)
			s->num_id = docx_keep_attr(dx, at, "val");
		else if (el == E_ILVL && first)
			s->ilvl = docx_attr_long(at, "val", -1);
		return SKIP;
	}
	return SKIP;
}

int docx_numbering_child(struct docx *dx, struct frame *f, enum el el, int first,
			 const struct attrs *at, struct frame *c)
{
	struct abstract *a = dx->na ? &dx->a[dx->na - 1] : NULL;
	struct num *u = dx->nnum ? &dx->num[dx->nnum - 1] : NULL;
	struct lvl *l = dx->lvl;
	switch (f->ctx) {
	case N_ROOT:
		return N_TOP;
	case N_TOP:
		if (el == E_ABSTRACTNUM) {
			dx->a = docx_grow(dx, dx->a, dx->na, &dx->capa, sizeof *dx->a);
			a = &dx->a[dx->na++];
			memset(a, 0, sizeof *a);
			a->id = docx_keep_attr(dx, at, "abstractNumId");
			return N_ABS;
		}
		if (el == E_NUM) {
			dx->num = docx_grow(dx, dx->num, dx->nnum, &dx->capnum, sizeof *dx->num);
			u = &dx->num[dx->nnum++];
			memset(u, 0, sizeof *u);
			u->id = docx_keep_attr(dx, at, "numId");
			u->abs = -1;
			return N_NUM;
		}
		return SKIP;
	case N_ABS:
		if (el == E_NUMSTYLELINK && first) {
			a->style_link = docx_keep_attr(dx, at, "val");
		} else if (el == E_LVL) {
			long lk = docx_attr_long(at, "ilvl", -1);
			if (lk >= 0 && lk < NLEVELS) {
				dx->lvl = lvl_begin(dx, &a->lvl[lk]);
				return N_LVL;
			}
		}
		return SKIP;
	case N_NUM:
		if (el == E_ABSTRACTNUMID && first) {
			u->abs_id = docx_keep_attr(dx, at, "val");
		} else if (el == E_LVLOVERRIDE) {
			long lk = docx_attr_long(at, "ilvl", -1);
			c->k = (int)lk;
			if (lk >= 0 && lk < NLEVELS)
				return N_OVR;
		}
		return SKIP;
	case N_OVR:
		if (el == E_STARTOVERRIDE && first) {
			if (!u->start_ovr) {
				u->start_ovr = nm_xmalloc(NLEVELS * sizeof *u->start_ovr);
				docx_hold(dx, NLEVELS * sizeof *u->start_ovr);
				for (int j = 0; j < NLEVELS; j++)
					u->start_ovr[j] = LONG_MIN;
			}
			u->start_ovr[f->k] = docx_attr_long(at, "val", 1);
		} else if (el == E_LVL && first) {
			if (!u->ovr) {
				u->ovr = nm_xmalloc(NLEVELS * sizeof *u->ovr);
				memset(u->ovr, 0, NLEVELS * sizeof *u->ovr);
				docx_hold(dx, NLEVELS * sizeof *u->ovr);
			}
			dx->lvl = lvl_begin(dx, &u->ovr[f->k]);
			return N_LVL;
		}
		return SKIP;
	case N_LVL:
		if (!first && el != E_ALTERNATE)
			return SKIP;
		switch (el) {
		case E_START:
			l->start = docx_attr_long(at, "val", 1);
			break;
		case E_NUMFMT: {
			char *v = docx_attr_dup(at, "val");
			l->fmt = (unsigned char)fmt_of(v);
			l->pad = 0;
			l->alt_fmt = -1; /* a numFmt of its own wins over alternatives */
			free(v);
			break;
		}
		case E_LVLTEXT:
			l->text = lvl_text(dx, at);
			break;
		case E_LVLRESTART:
			l->restart = docx_attr_long(at, "val", -1);
			break;
		case E_ISLGL:
			l->legal = docx_attr_on(at);
			break;
		case E_SUFF:
			l->suff_nothing = docx_attr_is(at, "val", "nothing");
			break;
		case E_PSTYLE:
			l->pstyle = docx_keep_attr(dx, at, "val");
			break;
		case E_ALTERNATE:
			return N_LVL_ALT;
		default:
			break;
		}
		return SKIP;
	case N_LVL_ALT:
		return N_LVL_ALT_ONE;
	case N_LVL_ALT_ONE:
		/* The first alternative whose numFmt gives a format, unless the
		 * level has a numFmt of its own. */
		if (el == E_NUMFMT && first && !l->alt_fmt) {
			struct lvl try = *l;
			if (alt_fmt(&try, at)) {
				l->fmt = try.fmt;
				l->pad = try.pad;
				l->alt_fmt = 1;
			}
		}
		return SKIP;
	}
	return SKIP;
}
