/*
 * resp.c - reading responsibility markings by unit names and role words.
 *
 * Three passes over a text: bracket groups that hold nothing but a marking;
 * labels (牵头单位：…, 【配合单位】…) and the values after them; sentences
 * and clauses whose words are unit lists next to role words. A clause is
 * cut at ，；, a sentence at 。. Inside a clause the unit list is found
 * between the words around it: fillers and prepositions before (此项工作,
 * 由, 会同), a role word after (牵头, 配合, 按职责分工负责), fillers after that
 * (组织实施, 年内持续推进).
 */
#include <stdlib.h>
#include <string.h>

#include "notice/dates.h"
#include "notice/resp.h"
#include "stream/err.h"
#include "stream/utf8.h"

#define MAX_UNIT_CHARS 40
#define MAX_CLAUSE_BYTES 600

void resp_init(struct resp *R, struct rules *rs)
{
	memset(R, 0, sizeof *R);
	R->rs = rs;
	const char *s = rules_setting(rs, "first_listed_leads");
	R->setting = !s || strcmp(s, "auto") == 0 ? -1 : strcmp(s, "yes") == 0;
}

void resp_reset(struct resp *R)
{
	strmap_free(&R->known);
	strlist_clear(&R->store);
	R->first_leads = 0;
}

void resp_free(struct resp *R) { resp_reset(R); }

void resp_learn(struct resp *R, const char *s, size_t n)
{
	if (n == 0 || strmap_get(&R->known, s, n) != STRMAP_NONE)
		return;
	/* The map keeps pointers into the store, which must not move: one
	 * allocation per name. */
	strlist_add(&R->store, s, n);
	strmap_put(&R->known, R->store.v[R->store.n - 1], n, 1);
}

void roles_free(struct roles *r)
{
	strlist_clear(&r->leaders);
	strlist_clear(&r->lead);
	strlist_clear(&r->coop);
	strlist_clear(&r->resp);
	strlist_clear(&r->deadlines);
	strlist_clear(&r->lead_marked);
	strlist_clear(&r->coop_marked);
	r->units = 0;
}

int roles_any(const struct roles *r)
{
	return r->leaders.n || r->lead.n || r->coop.n || r->resp.n || r->deadlines.n;
}

/* ---- Small helpers on normalised text ---- */

static int is_ws(char c) { return c == ' '; }

static void trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && is_ws(s[*a]))
		(*a)++;
	while (*b > *a && is_ws(s[*b - 1]))
		(*b)--;
}

/* (The first byte is compared before the rest: these run at every character.) */
static inline int at(const char *s, size_t i, size_t end, const char *w)
{
	if (i >= end || s[i] != w[0])
		return 0;
	size_t n = strlen(w);
	return i + n <= end && memcmp(s + i, w, n) == 0;
}

static inline int ends_with(const char *s, size_t a, size_t b, const char *w)
{
	size_t n = strlen(w);
	return b - a >= n && s[b - n] == w[0] && memcmp(s + b - n, w, n) == 0;
}

/* Bytes of the UTF-8 character at s[i]. */
static size_t char_len(const char *s, size_t i)
{
	unsigned char c = (unsigned char)s[i];
	return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

static const char *const OPENS[] = {"(", "[", "【", "〔", "〈", "{", "《", "“"};
static const char *const CLOSES[] = {")", "]", "】", "〕", "〉", "}", "》", "”"};
#define NBRACKETS (sizeof OPENS / sizeof *OPENS)

static int open_at(const char *s, size_t i, size_t end, size_t *len)
{
	for (size_t k = 0; k < NBRACKETS; k++)
		if (at(s, i, end, OPENS[k])) {
			*len = strlen(OPENS[k]);
			return (int)k;
		}
	return -1;
}

static int close_at(const char *s, size_t i, size_t end, size_t *len)
{
	for (size_t k = 0; k < NBRACKETS; k++)
		if (at(s, i, end, CLOSES[k])) {
			*len = strlen(CLOSES[k]);
			return (int)k;
		}
	return -1;
}

/* The end of the bracket group opened at i (after its closing bracket), or 0. */
static size_t group_end(const char *s, size_t i, size_t end)
{
	int depth = 0;
	size_t len;
	while (i < end) {
		if (open_at(s, i, end, &len) >= 0) {
			depth++;
			i += len;
		} else if (close_at(s, i, end, &len) >= 0) {
			i += len;
			if (--depth == 0)
				return i;
		} else {
			i += char_len(s, i);
		}
	}
	return 0;
}

/* The next separator at bracket depth 0 among seps, from i; end when none. */
static size_t next_sep(const char *s, size_t i, size_t end, const char *const *seps, size_t nseps,
		       size_t *seplen)
{
	int depth = 0;
	size_t len;
	while (i < end) {
		if (open_at(s, i, end, &len) >= 0) {
			depth++;
			i += len;
			continue;
		}
		if (close_at(s, i, end, &len) >= 0) {
			depth -= depth > 0;
			i += len;
			continue;
		}
		if (depth == 0)
			for (size_t k = 0; k < nseps; k++)
				if (at(s, i, end, seps[k])) {
					*seplen = strlen(seps[k]);
					return i;
				}
		i += char_len(s, i);
	}
	*seplen = 0;
	return end;
}

/* ---- Units ---- */

static int has_stop_word(struct resp *R, const char *s, size_t n)
{
	size_t a, b;
	return rules_words_scan(R->rs, "unit.stop", s, n, 0, 0, &a, &b);
}

int resp_is_unit(struct resp *R, const char *s, size_t n)
{
	size_t chars = utf8_chars(s, n), a;
	if (chars < 2 || chars > MAX_UNIT_CHARS)
		return 0;
	if (strmap_get(&R->known, s, n) != STRMAP_NONE || rules_words_is(R->rs, "unit.collective", s, n))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (strchr(",;:!?\"", s[i]) || (unsigned char)s[i] < 0x20)
			return 0;
	if (memmem(s, n, "。", strlen("。")) || memmem(s, n, "，", strlen("，")))
		return 0;
	int depth = 0;
	for (size_t i = 0; i < n; i++) { /* a list is no name: 、 only inside brackets (各县(市、区)) */
		depth += s[i] == '(' ? 1 : s[i] == ')' && depth ? -1 : 0;
		if (depth == 0 && str_starts(s + i, "、"))
			return 0;
	}
	if (has_stop_word(R, s, n))
		return 0;
	size_t wa, wb;
	if (rules_words_scan(R->rs, "unit.not_start", s, n, 0, 1, &wa, &wb))
		return 0;
	/* It ends in a unit's head word, perhaps with a second name in brackets. */
	size_t end = n;
	if (s[end - 1] == ')') {
		size_t k = end;
		while (k > 0 && s[k - 1] != '(')
			k--;
		if (k > 0 && k - 1 >= 2 * 3)
			end = k - 1;
	}
	if (rules_words_before(R->rs, "unit.head", s, end, &a) && a > 0)
		return 1;
	char *z = nm_xstrndup(s, n);
	int aliased = rules_alias(R->rs, z) != NULL;
	free(z);
	return aliased;
}

/* Strips what may close a unit list but is no unit: 等, 等部门, 等有关单位. */
static void strip_etc(const char *s, size_t a, size_t *b)
{
	static const char *const ETC[] = {"等有关单位", "等相关单位", "等有关部门", "等相关部门",
					  "等单位", "等部门", "等", "。", ";", "；"};
	for (int again = 1; again;) {
		again = 0;
		trim(s, &a, b);
		for (size_t k = 0; k < sizeof ETC / sizeof *ETC; k++)
			if (ends_with(s, a, *b, ETC[k]) && *b - a > strlen(ETC[k])) {
				*b -= strlen(ETC[k]);
				again = 1;
				break;
			}
	}
}

struct unit_span {
	size_t a, b;
	int mark; /* 1 marked (牵头), 2 marked (配合) */
};

#define MAX_UNITS 64

/*
 * Reads [a, b) as a list of units: names between 、，, (and 和/及/与 where
 * both sides are whole names), brackets kept inside names. Returns the
 * number of names, 0 when any piece is no unit.
 */
static size_t unit_list(struct resp *R, const char *s, size_t a, size_t b, struct unit_span *u,
			size_t max, int marks)
{
	static const char *const SEPS[] = {"、", ",", "，", ";", "；", "/", "|"};
	size_t k = 0, seplen;
	strip_etc(s, a, &b);
	trim(s, &a, &b);
	if (a >= b)
		return 0;
	for (size_t i = a; i < b && k < max;) {
		size_t e = next_sep(s, i, b, SEPS, sizeof SEPS / sizeof *SEPS, &seplen);
		size_t pa = i, pb = e;
		strip_etc(s, pa, &pb);
		trim(s, &pa, &pb);
		int mark = 0;
		if (marks && pb > pa) {
			static const char *const LEAD[] = {"(牵头)", "牵头"}, *const COOP[] = {"(配合)"};
			for (size_t m = 0; m < 2 && !mark; m++)
				if (ends_with(s, pa, pb, LEAD[m]) && pb - pa > strlen(LEAD[m]) + 3)
					pb -= strlen(LEAD[m]), mark = 1;
			if (!mark && ends_with(s, pa, pb, COOP[0]))
				pb -= strlen(COOP[0]), mark = 2;
			trim(s, &pa, &pb);
		}
		if (pb > pa) {
			/* A declaration after the name, 市医疗保障局(简称市医保局): not part of it. */
			struct match dm;
			if (s[pb - 1] == ')' && rules_scan(R->rs, "unit.declare", s, pb, pa, &dm) > 0 &&
			    match_end(&dm) == pb && match_start(&dm) > pa)
				pb = match_start(&dm);
			/* 和/及/与 between two whole names: 市财政局和市审计局 */
			static const char *const AND[] = {"以及", "和", "及", "与"};
			size_t got = 0;
			for (size_t j = pa; j < pb && !got; j += char_len(s, j))
				for (size_t w = 0; w < 4; w++)
					if (at(s, j, pb, AND[w]) && j > pa && resp_is_unit(R, s + pa, j - pa) &&
					    resp_is_unit(R, s + j + strlen(AND[w]), pb - j - strlen(AND[w])) &&
					    k + 2 <= max) {
						u[k++] = (struct unit_span){pa, j, mark};
						u[k++] = (struct unit_span){j + strlen(AND[w]), pb, mark};
						got = 1;
						break;
					}
			if (!got) {
				if (!resp_is_unit(R, s + pa, pb - pa))
					return 0;
				u[k++] = (struct unit_span){pa, pb, mark};
			}
		}
		i = e + seplen;
	}
	return k;
}

/* ---- Collecting what is found ---- */

static void add_name(struct strlist *l, const struct ntext *t, size_t a, size_t b)
{
	char *name = ntext_dup(t, a, b);
	size_t n = strlen(name);
	const char *tr = str_trim(name, &n);
	char *clean = nm_xstrndup(tr, n);
	strlist_add_unique(l, clean);
	free(clean);
	free(name);
}

static void add_units(struct resp *R, const struct ntext *t, const struct unit_span *u, size_t k,
		      struct strlist *to, struct roles *r)
{
	for (size_t i = 0; i < k; i++) {
		add_name(to, t, u[i].a, u[i].b);
		resp_learn(R, t->norm.s + u[i].a, u[i].b - u[i].a);
		if (u[i].mark == 1)
			add_name(&r->lead_marked, t, u[i].a, u[i].b);
		else if (u[i].mark == 2)
			add_name(&r->coop_marked, t, u[i].a, u[i].b);
	}
	r->units |= k > 0;
}

/* Leader names: cut at 、，/; spaces inside a name go, a note in brackets goes. */
/* Whether [a, b) is a title alone (党组书记, 副局长): no space, a title's end. */
static int title_only(const char *s, size_t a, size_t b)
{
	static const char *const ENDS[] = {"书记", "长", "主任", "委员", "成员", "主席", "常委", "专员"};
	if (utf8_chars(s + a, b - a) > 10)
		return 0;
	for (size_t j = a; j < b; j++)
		if (s[j] == ' ')
			return 0;
	for (size_t k = 0; k < sizeof ENDS / sizeof *ENDS; k++)
		if (ends_with(s, a, b, ENDS[k]))
			return 1;
	return 0;
}

static int has_space(const char *s, size_t a, size_t b)
{
	while (a < b && s[a] == ' ')
		a++;
	while (b > a && s[b - 1] == ' ')
		b--;
	return memchr(s + a, ' ', b - a) != NULL;
}

static void add_leaders(const struct ntext *t, size_t a, size_t b, struct roles *r)
{
	static const char *const SEPS[] = {"、", ",", "，", ";", "；", "/", "|"};
	const char *s = t->norm.s;
	size_t seplen;
	strip_etc(s, a, &b);
	size_t from = (size_t)-1; /* where a title said before its person's began */
	for (size_t i = a; i < b;) {
		size_t e = next_sep(s, i, b, SEPS, 7, &seplen), pa = i, pb = e;
		trim(s, &pa, &pb);
		/* "党组书记、局长 韩立群": titles, then a title and a name apart by a
		 * space, are one person */
		if (pb > pa && e < b && s[e] != ';' && title_only(s, pa, pb) &&
		    has_space(s, e + seplen, next_sep(s, e + seplen, b, SEPS, 7, &(size_t){0}))) {
			if (from == (size_t)-1)
				from = pa;
			i = e + seplen;
			continue;
		}
		if (from != (size_t)-1)
			pa = from, from = (size_t)-1;
		/* a note in brackets after the name: 李明(副县长) */
		for (size_t j = pa; j < pb; j += char_len(s, j))
			if (s[j] == '(') {
				pb = j;
				break;
			}
		if (pb > pa) {
			char *name = ntext_dup(t, pa, pb);
			struct buf sq = BUF_INIT;
			uint32_t c;
			for (size_t k = 0, n = strlen(name); k < n;) {
				size_t len = utf8_decode(name + k, n - k, &c);
				if (!len)
					len = 1;
				else if (c != ' ' && c != 0x3000 && c != '\t')
					buf_add(&sq, name + k, len);
				k += len;
			}
			if (sq.len)
				strlist_add_unique(&r->leaders, sq.s);
			buf_free(&sq);
			free(name);
		}
		i = e + seplen;
	}
}

static void add_deadline(const struct ntext *t, size_t a, size_t b, struct roles *r)
{
	trim(t->norm.s, &a, &b);
	strip_etc(t->norm.s, a, &b);
	if (b > a)
		add_name(&r->deadlines, t, a, b);
}

static void list_merge(struct strlist *into, const struct strlist *from)
{
	for (size_t i = 0; i < from->n; i++)
		strlist_add_unique(into, from->v[i]);
}

/* Adds what from says to into; its deadlines only when with_deadlines. */
static void roles_merge(struct roles *into, const struct roles *from, int with_deadlines)
{
	list_merge(&into->leaders, &from->leaders);
	list_merge(&into->lead, &from->lead);
	list_merge(&into->coop, &from->coop);
	list_merge(&into->resp, &from->resp);
	list_merge(&into->lead_marked, &from->lead_marked);
	list_merge(&into->coop_marked, &from->coop_marked);
	if (with_deadlines)
		list_merge(&into->deadlines, &from->deadlines);
	into->units |= from->units;
}

/* ---- Clauses ---- */

/* Skips fillers and prepositions at a clause's start; says which preposition. */
static size_t skip_leading(struct resp *R, const char *s, size_t a, size_t b, int *before)
{
	size_t wa, wb;
	*before = 0;
	for (int again = 1; again;) {
		again = 0;
		trim(s, &a, &b);
		if (rules_words_scan(R->rs, "role.lead_before", s, b, a, 1, &wa, &wb)) {
			*before = 1;
			a = wb;
			again = 1;
		} else if (rules_words_scan(R->rs, "role.coop_before", s, b, a, 1, &wa, &wb)) {
			*before = 2;
			a = wb;
			again = 1;
		} else if (rules_words_scan(R->rs, "role.filler", s, b, a, 1, &wa, &wb) &&
			   !rules_words_scan(R->rs, "role.lead", s, b, a, 1, &wa, &wb)) {
			rules_words_scan(R->rs, "role.filler", s, b, a, 1, &wa, &wb);
			a = wb;
			again = 1;
		}
	}
	return a;
}

/* Whether [a, b) holds nothing but fillers and deadline phrases (which go to r). */
static int only_filler(struct resp *R, const struct ntext *t, size_t a, size_t b, struct roles *r)
{
	const char *s = t->norm.s;
	size_t wa, wb;
	struct match m;
	while (1) {
		trim(s, &a, &b);
		if (a >= b)
			return 1;
		if (rules_words_scan(R->rs, "role.filler", s, b, a, 1, &wa, &wb)) {
			a = wb;
			continue;
		}
		/* a deadline phrase right here */
		if (rules_scan(R->rs, "deadline", s, b, a, &m) > 0 && match_start(&m) == a &&
		    match_end(&m) > a) {
			if (r)
				add_deadline(t, a, match_end(&m), r);
			a = match_end(&m);
			continue;
		}
		if (rules_scan(R->rs, "deadline.nodate", s, b, a, &m) > 0 && match_start(&m) == a &&
		    match_end(&m) > a) {
			a = match_end(&m);
			continue;
		}
		return 0;
	}
}

static int first_leads_statement(struct resp *R, const char *s, size_t a, size_t b)
{
	struct match m;
	return rules_scan(R->rs, "notice.first_leads", s, b, a, &m) > 0;
}

/* A unit list, then a role word, then fillers: "X、Y牵头", "Z按职责分工负责". */
static int clause_suffix(struct resp *R, const struct ntext *t, size_t a, size_t b, struct roles *r,
			 int *pure)
{
	const char *s = t->norm.s;
	struct unit_span u[MAX_UNITS];
	for (int kind = 0; kind < 2; kind++)
		for (size_t from = a; from < b;) {
			size_t wa, wb;
			const char *words = kind == 0 ? "role.coop" : "role.lead";
			if (!rules_words_scan(R->rs, words, s, b, from, 0, &wa, &wb))
				break;
			size_t na, nb;
			if (rules_words_scan(R->rs, "role.noun_after", s, b, wb, 1, &na, &nb)) {
				from = wb; /* 负责人: a noun, not a role */
				continue;
			}
			size_t k = wa > a ? unit_list(R, s, a, wa, u, MAX_UNITS, 0) : 0;
			if (k) {
				struct roles tail = {0};
				int rest_ok = only_filler(R, t, wb, b, &tail);
				if (rest_ok || kind == 1) {
					/* "X、Y等负责": a list of the responsible, like 责任单位:
					 * who leads among them is settled by roles_resolve. */
					int resp = kind == 1 && k > 1 &&
						   rules_words_is(R->rs, "role.resp", s + wa, wb - wa);
					add_units(R, t, u, k, kind == 0 ? &r->coop : resp ? &r->resp : &r->lead, r);
					for (size_t i = 0; i < tail.deadlines.n; i++)
						strlist_add_unique(&r->deadlines, tail.deadlines.v[i]);
					*pure = rest_ok;
					roles_free(&tail);
					return 1;
				}
				roles_free(&tail);
			}
			from = wb;
		}
	return 0;
}

/* A clause of notes: a note word (下同), or role words with no unit named. */
/* Whether [a, b) only counts: 5项, 共12项, 3个. */
static int count_note(const char *s, size_t a, size_t b)
{
	static const char *const W[] = {"共", "计", "项", "个", "条", "件", "类"};
	int digit = 0;
	for (size_t i = a; i < b;) {
		if (s[i] >= '0' && s[i] <= '9') {
			digit = 1, i++;
			continue;
		}
		size_t k;
		for (k = 0; k < sizeof W / sizeof *W; k++)
			if (str_starts(s + i, W[k]))
				break;
		if (k == sizeof W / sizeof *W)
			return 0;
		i += strlen(W[k]);
	}
	return digit;
}

static int is_note(struct resp *R, const char *s, size_t a, size_t b)
{
	size_t wa, wb;
	if (rules_words_scan(R->rs, "role.note", s, b, a, 0, &wa, &wb))
		return 1;
	if (!rules_words_scan(R->rs, "role.lead", s, b, a, 0, &wa, &wb) &&
	    !rules_words_scan(R->rs, "role.coop", s, b, a, 0, &wa, &wb))
		return 0;
	for (size_t i = a; i < b; i += char_len(s, i))
		for (size_t e = i + 1; e <= b && e - i <= 3 * MAX_UNIT_CHARS; e++)
			if ((e == b || (s[e] & 0xC0) != 0x80) && resp_is_unit(R, s + i, e - i))
				return 0;
	return 1;
}

/* "X会同Y、Z负责", "由X会同Y组织实施": X leads, Y and Z co-operate. */
static int with_partner(struct resp *R, const struct ntext *t, size_t a, size_t b,
			struct roles *r, int *pure)
{
	const char *s = t->norm.s;
	struct unit_span u[MAX_UNITS], v[MAX_UNITS];
	size_t wa, wb;
	for (size_t from = a; from < b && rules_words_scan(R->rs, "role.coop_before", s, b, from, 0, &wa, &wb);
	     from = wb) {
		size_t k = wa > a ? unit_list(R, s, a, wa, u, MAX_UNITS, 0) : 0;
		if (!k)
			continue;
		struct roles tail = {0};
		size_t ra, rb, end = b;
		/* the partners end before a role word or the fillers */
		if (rules_words_scan(R->rs, "role.lead", s, b, wb, 0, &ra, &rb))
			end = ra;
		for (size_t e = end; e > wb; e--) {
			if (e < end && (s[e] & 0xC0) == 0x80)
				continue;
			size_t m = unit_list(R, s, wb, e, v, MAX_UNITS, 0);
			if (m && only_filler(R, t, e == end && end < b ? rb : e, b, &tail)) {
				add_units(R, t, u, k, &r->lead, r);
				add_units(R, t, v, m, &r->coop, r);
				for (size_t i = 0; i < tail.deadlines.n; i++)
					strlist_add_unique(&r->deadlines, tail.deadlines.v[i]);
				roles_free(&tail);
				*pure = 1;
				return 1;
			}
		}
		roles_free(&tail);
	}
	return 0;
}

/*
 * One clause of a marking. Returns 1 when it says something (roles,
 * deadline, a statement), with *pure 0 when it also holds task content.
 */
static int clause(struct resp *R, const struct ntext *t, size_t a, size_t b, int bracket,
		  struct roles *r, int *pure)
{
	const char *s = t->norm.s;
	int before;
	struct unit_span u[MAX_UNITS];
	*pure = 1;
	trim(s, &a, &b);
	if (a >= b)
		return 0;
	if (first_leads_statement(R, s, a, b)) {
		R->first_leads = 1;
		return 1;
	}
	size_t c = skip_leading(R, s, a, b, &before);
	if (c >= b)
		return before == 0 && a < b; /* fillers only */
	if (with_partner(R, t, c, b, r, pure))
		return 1;
	if (clause_suffix(R, t, c, b, r, pure))
		return 1;
	/* "会同Y、Z组织实施", "由X组织实施": the preposition says the role. */
	if (before) {
		for (size_t e = b; e > c; e -= 1) {
			if (e < b && (s[e] & 0xC0) == 0x80)
				continue; /* not a character's start */
			size_t k = unit_list(R, s, c, e, u, MAX_UNITS, 0);
			if (k && only_filler(R, t, e, b, r)) {
				add_units(R, t, u, k, before == 2 ? &r->coop : &r->lead, r);
				return 1;
			}
		}
	}
	/* A bracket of bare names: "（X、Y）". */
	if (bracket && !before) {
		size_t k = unit_list(R, s, c, b, u, MAX_UNITS, 1);
		if (k) {
			add_units(R, t, u, k, &r->resp, r);
			return 1;
		}
	}
	if (only_filler(R, t, c, b, r))
		return before == 0;
	/* A short clause led by a deadline: "10月底前完成建设任务", "2024年9月底前建成". */
	struct match dm;
	if (!before && rules_scan(R->rs, "deadline", s, b, c, &dm) > 0 && match_start(&dm) == c &&
	    match_end(&dm) > c && utf8_chars(s + c, b - c) <= 16) {
		add_deadline(t, c, match_end(&dm), r);
		return 1;
	}
	/* A note inside a marking's brackets: "下同", "其他部门按职责分工负责",
	 * "明确牵头部门的": it names no unit and gives no task content. */
	if (bracket && is_note(R, s, c, b))
		return 1;
	*pure = 0;
	return 0;
}

static const char *const LABEL_KINDS[] = {"role.lead_label", "role.coop_label", "role.resp_label",
					  "role.leader_label", "role.deadline_label",
					  "role.split_label"};
static const char *const VALUE_KINDS[] = {"lead", "coop", "resp", "leader", "deadline", "split"};

/*
 * The kind of a label word (an index into LABEL_KINDS), or -1: the words of
 * roles.words first; else a label by its shape, a short word ending in
 * 单位, 部门, 领导, 时限 … (role.label_end), whose kind its key words say
 * (role.key_leader, role.key_deadline, role.key_coop, role.key_lead,
 * role.key_resp, tried in that order): 参与部门, 协同配合部门, 负责单位.
 */
int resp_label_kind(struct resp *R, const char *s, size_t n)
{
	static const char *const KEYS[] = {"role.key_leader", "role.key_deadline", "role.key_coop",
					   "role.key_lead", "role.key_resp"};
	static const int KIND[] = {3, 4, 1, 0, 2};
	size_t a, b;
	for (size_t k = 0; k < sizeof LABEL_KINDS / sizeof *LABEL_KINDS; k++)
		if (rules_words_is(R->rs, LABEL_KINDS[k], s, n))
			return (int)k;
	/* A role word alone before its colon is a label: 主责：X／协同：Y */
	static const char *const ROLES[] = {"role.lead", "role.coop", "role.resp"};
	for (int k = 0; k < 3; k++)
		if (rules_words_is(R->rs, ROLES[k], s, n))
			return k;
	if (n == 0 || utf8_chars(s, n) > 10 || !rules_words_before(R->rs, "role.label_end", s, n, &a))
		return -1;
	uint32_t c;
	for (size_t i = 0; i < n;) { /* Han characters only (and brackets: 责任(配合)单位) */
		size_t len = utf8_decode(s + i, n - i, &c);
		if (!len || ((c < 0x4E00 || c > 0x9FFF) && c != '(' && c != ')'))
			return -1;
		i += len;
	}
	for (size_t k = 0; k < sizeof KEYS / sizeof *KEYS; k++)
		if (rules_words_scan(R->rs, KEYS[k], s, n, 0, 0, &a, &b))
			return KIND[k];
	return -1;
}

/* The label word at la: its kind, and its end in *wb. */
static int label_word(struct resp *R, const char *s, size_t la, size_t end, size_t *wb)
{
	size_t wa, b, best = 0;
	int kind = -1;
	for (size_t k = 0; k < sizeof LABEL_KINDS / sizeof *LABEL_KINDS; k++) /* the longest word */
		if (rules_words_scan(R->rs, LABEL_KINDS[k], s, end, la, 1, &wa, &b) && b > best)
			best = b, kind = (int)k;
	size_t after = best;
	while (kind >= 0 && after < end && s[after] == ' ')
		after++;
	if (kind >= 0 && (after >= end || s[after] == ':' || s[after] == ']' || at(s, after, end, "】") ||
			  at(s, after, end, "〕") || after > best || kind <= 2)) {
		*wb = best;
		return kind;
	}
	/* By shape: up to 10 characters before a colon or a closing bracket. */
	for (size_t j = la, chars = 0; j < end && chars <= 10; j += char_len(s, j), chars++) {
		if (s[j] == ':' || s[j] == ']' || at(s, j, end, "】") || at(s, j, end, "〕")) {
			size_t e = j;
			while (e > la && s[e - 1] == ' ')
				e--;
			int k = resp_label_kind(R, s + la, e - la);
			if (k >= 0)
				*wb = e;
			return k;
		}
		if (strchr(",;。(", s[j]) || at(s, j, end, "，") || at(s, j, end, "。"))
			break;
	}
	return -1;
}

/* A label at i: its kind and the byte after it (and its colon or 】). -1 when none. */
static int label_at(struct resp *R, const char *s, size_t i, size_t end, size_t *after)
{
	size_t wb, la = i;
	int bracketed = at(s, i, end, "【") || at(s, i, end, "[") || at(s, i, end, "〔");
	if (bracketed)
		la += at(s, i, end, "[") ? 1 : strlen("【");
	int k = label_word(R, s, la, end, &wb);
	if (k < 0)
		return -1;
	size_t j = wb;
	while (j < end && s[j] == ' ')
		j++;
	if (bracketed ? (at(s, j, end, "】") || at(s, j, end, "]") || at(s, j, end, "〕"))
		      : at(s, j, end, ":")) {
		j += at(s, j, end, "]") || at(s, j, end, ":") ? 1 : strlen("】");
		while (j < end && s[j] == ' ')
			j++;
		*after = j;
		return k;
	}
	if (bracketed)
		return -1;
	/* A label at a line's start with only space after it: "牵头单位　县医保局". */
	if (i == 0 && j > wb && j < end) {
		*after = j;
		return k;
	}
	/* A label glued to its value: "牵头单位县教师发展中心，配合单位各学校". */
	if (j == wb && k <= 2) {
		static const char *const SEPS[] = {",", "，", ";", "；", "。", "|"};
		size_t seplen, e = next_sep(s, wb, end, SEPS, 6, &seplen);
		struct unit_span u[MAX_UNITS];
		if (e > wb && unit_list(R, s, wb, e, u, MAX_UNITS, 1)) {
			*after = wb;
			return k;
		}
	}
	return -1;
}

/* Whether i starts a clause: the text's start, or after 。；，: a space or a bracket. */
static int clause_start(const char *s, size_t from, size_t i)
{
	if (i == from || str_starts(s + i, "【") || str_starts(s + i, "〔"))
		return 1; /* a label in its own brackets starts a clause wherever it stands */
	static const char *const B[] = {"。", ";", "；", ",", "，", " ", ")", "】", "(", "、", ":", "|",
					"/", "／"};
	for (size_t k = 0; k < sizeof B / sizeof *B; k++) {
		size_t n = strlen(B[k]);
		if (i >= from + n && s[i - n] == B[k][0] && memcmp(s + i - n, B[k], n) == 0)
			return 1;
	}
	return 0;
}

void resp_value(struct resp *R, const struct ntext *t, size_t a, size_t b, const char *kind,
		struct roles *r)
{
	const char *s = t->norm.s;
	struct unit_span u[MAX_UNITS];
	trim(s, &a, &b);
	if (a >= b)
		return;
	if (strcmp(kind, "leader") == 0) {
		add_leaders(t, a, b, r);
	} else if (strcmp(kind, "deadline") == 0) {
		add_deadline(t, a, b, r);
	} else if (strcmp(kind, "split") == 0) {
		struct cuts none = {.n = 0};
		resp_scan(R, t, a, b, r, &none);
	} else {
		int marks = strcmp(kind, "resp") == 0 || strcmp(kind, "lead") == 0;
		size_t k = unit_list(R, s, a, b, u, MAX_UNITS, marks);
		if (!k) {
			/* A value with role words in it: "X牵头，Y配合". */
			struct roles sub = {0};
			struct cuts none = {.n = 0};
			if (resp_scan(R, t, a, b, &sub, &none) == RESP_MARKING && sub.units) {
				roles_merge(r, &sub, 1);
				roles_free(&sub);
				return;
			}
			roles_free(&sub);
			/* Names the shape check does not know: taken as the label says, cut
			 * at the separators (a label vouches for them). */
			static const char *const SEPS[] = {"、", ",", "，", ";", "；"};
			size_t seplen;
			strip_etc(s, a, &b);
			for (size_t i = a; i < b && k < MAX_UNITS;) {
				size_t e = next_sep(s, i, b, SEPS, 5, &seplen), pa = i, pb = e;
				strip_etc(s, pa, &pb);
				trim(s, &pa, &pb);
				if (pb > pa && utf8_chars(s + pa, pb - pa) <= MAX_UNIT_CHARS)
					u[k++] = (struct unit_span){pa, pb, 0};
				i = e + seplen;
			}
		}
		struct strlist *to = kind[0] == 'l' ? &r->lead : kind[0] == 'c' ? &r->coop : &r->resp;
		add_units(R, t, u, k, to, r);
	}
}

/* Labels and their values from i: returns the end of the last value. */
static size_t label_chain(struct resp *R, const struct ntext *t, size_t i, size_t end,
			  struct roles *r)
{
	const char *s = t->norm.s;
	size_t after;
	int k = label_at(R, s, i, end, &after);
	while (k >= 0) {
		/* The value runs to the next label, or to the end of its sentence. */
		size_t j = after, next_after = 0;
		int next = -1;
		int depth = 0;
		size_t len;
		while (j < end) {
			if (open_at(s, j, end, &len) >= 0 && label_at(R, s, j, end, &next_after) < 0) {
				depth++;
				j += len;
				continue;
			}
			if (close_at(s, j, end, &len) >= 0) {
				if (depth == 0)
					break; /* the end of the group the chain stands in */
				depth--;
				j += len;
				continue;
			}
			if (depth == 0 && clause_start(s, after, j) &&
			    (next = label_at(R, s, j, end, &next_after)) >= 0)
				break;
			if (depth == 0 && at(s, j, end, "。"))
				break;
			j += char_len(s, j);
		}
		size_t ve = j;
		/* a separator between this value and the next label */
		while (ve > after && (s[ve - 1] == ' ' || s[ve - 1] == ';' || s[ve - 1] == ',' ||
				      s[ve - 1] == '|' || s[ve - 1] == '/'))
			ve--;
		if (ends_with(s, after, ve, "；") || ends_with(s, after, ve, "，") ||
		    ends_with(s, after, ve, "／"))
			ve -= 3;
		resp_value(R, t, after, ve, VALUE_KINDS[k], r);
		if (next < 0) {
			if (at(s, j, end, "。"))
				j += strlen("。");
			return j;
		}
		k = next;
		after = next_after;
	}
	return i;
}

static void cut_add(struct cuts *c, size_t a, size_t b)
{
	if (c->n < RESP_MAX_CUTS && b > a) {
		c->a[c->n] = a;
		c->b[c->n++] = b;
	}
}

static int in_cut(const struct cuts *c, size_t first, size_t i)
{
	for (size_t k = first; k < c->n; k++)
		if (i >= c->a[k] && i < c->b[k])
			return (int)k;
	return -1;
}

/* Parses [a, b) as clauses of a marking; pure when nothing else is there. */
static int marking(struct resp *R, const struct ntext *t, size_t a, size_t b, int bracket,
		   struct roles *r, int *pure)
{
	static const char *const SEPS[] = {",", "，", ";", "；", "。", "|"};
	const char *s = t->norm.s;
	size_t seplen, said = 0;
	*pure = 1;
	for (size_t i = a; i < b;) {
		size_t e = next_sep(s, i, b, SEPS, 6, &seplen), after;
		/* "X牵头、Y配合": a 、 right after a role word also ends a clause. */
		static const char *const ENUM[] = {"、"};
		for (size_t j = i, l; (j = next_sep(s, j, e, ENUM, 1, &l)) < e; j += l) {
			size_t wa;
			if (rules_words_before(R->rs, "role.lead", s, j, &wa) ||
			    rules_words_before(R->rs, "role.coop", s, j, &wa)) {
				e = j;
				seplen = l;
				break;
			}
		}
		int p = 1;
		size_t ci = i;
		trim(s, &ci, &e);
		if (ci < e && label_at(R, s, ci, e, &after) >= 0) {
			/* a label inside: the chain runs to the marking's end */
			size_t end = label_chain(R, t, ci, b, r);
			said++;
			if (end < b) {
				struct roles rest = {0};
				int rp;
				marking(R, t, end, b, bracket, r, &rp);
				roles_free(&rest);
				*pure &= rp;
			}
			return said > 0;
		}
		if (e - i > MAX_CLAUSE_BYTES)
			p = 0;
		else if (clause(R, t, i, e, bracket, r, &p))
			said++;
		*pure &= p;
		i = e + seplen;
	}
	return said > 0 && (r->units || r->leaders.n || r->deadlines.n || R->first_leads);
}

/*
 * Where the words of roles.words start in [from, to): a marking holds one
 * at least (a lead or co-operate word, a label, a preposition), so text
 * without any is passed over at once. Only bracket groups of bare names
 * ("（X局、Y局）") hold none; they are tried when they hold a unit's head.
 */
struct triggers {
	size_t *at;
	size_t n, cap;
};

/* Role and label words, and the words labels known by their shape end in; not the fillers. */
static const char TRIGGERS[] = "role.lead|role.coop|role.resp|role.lead_label|role.coop_label|"
			       "role.resp_label|role.leader_label|role.deadline_label|role.split_label|"
			       "role.coop_before|role.label_end";

static void triggers_find(struct resp *R, const char *s, size_t from, size_t to, struct triggers *tg)
{
	size_t a, b;
	tg->n = 0;
	for (size_t i = from; i < to && rules_words_scan(R->rs, TRIGGERS, s, to, i, 0, &a, &b); i = b) {
		if (tg->n == tg->cap) {
			tg->cap = tg->cap ? 2 * tg->cap : 64;
			tg->at = nm_xrealloc(tg->at, tg->cap * sizeof *tg->at);
		}
		tg->at[tg->n++] = a;
		if (b <= i)
			b = i + 1;
	}
}

/* Whether a trigger starts in [a, b). */
static int triggered(const struct triggers *tg, size_t a, size_t b)
{
	size_t lo = 0, hi = tg->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (tg->at[mid] < a)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tg->n && tg->at[lo] < b;
}

/* A group of bare names may hold no role word: one short enough, with a unit's head in it. */
static int may_hold_names(struct resp *R, const char *s, size_t a, size_t b)
{
	size_t ha, hb;
	return b - a <= 3 * 80 && rules_words_scan(R->rs, "unit.head", s, b, a, 0, &ha, &hb);
}

/* Whether the text at i begins with a word that gives a duty: 负责, 牵头, 主责. */
static int duty_after(struct resp *R, const char *s, size_t i, size_t to)
{
	while (i < to && s[i] == ' ')
		i++;
	size_t a, b;
	if (rules_words_scan(R->rs, "role.lead", s, to, i, 1, &a, &b) && a == i)
		return 1;
	/* "旗住建局、旗交通运输局：按照职责做好…": a duty of some length */
	return utf8_chars(s + i, to - i) >= 8;
}

enum resp_found resp_scan(struct resp *R, const struct ntext *t, size_t from, size_t to,
			  struct roles *r, struct cuts *cut)
{
	const char *s = t->norm.s ? t->norm.s : "";
	size_t first = cut->n, len;
	enum resp_found found = RESP_NONE;
	struct triggers tg = {NULL, 0, 0};
	triggers_find(R, s, from, to, &tg);
	/* 0. A marking that heads the text, closed by a colon: "区经信局负责：…". */
	static const char *const COLON[] = {":", "。"};
	size_t colon_len, colon = next_sep(s, from, to < from + 160 ? to : from + 160, COLON, 2,
					  &colon_len);
	size_t label_after;
	if (colon_len && s[colon] == ':' && triggered(&tg, from, colon) &&
	    label_at(R, s, from, to, &label_after) < 0) {
		struct roles g = {0};
		int pure;
		if (marking(R, t, from, colon, 0, &g, &pure) && pure && g.units) {
			cut_add(cut, from, colon + 1);
			roles_merge(r, &g, 1);
			found = RESP_MARKING;
		}
		roles_free(&g);
	} else if (colon_len && s[colon] == ':' && colon > from && found == RESP_NONE &&
		   label_at(R, s, from, to, &label_after) < 0 && duty_after(R, s, colon + 1, to)) {
		/* "县水利局：负责水情监测…": units alone before the colon, the duty
		 * after it begins with a lead word; the duty is the content. */
		struct unit_span u[MAX_UNITS];
		size_t k = unit_list(R, s, from, colon, u, MAX_UNITS, 1);
		if (k) {
			add_units(R, t, u, k, &r->resp, r);
			cut_add(cut, from, colon + 1);
			found = RESP_MARKING;
		}
	}
	/* 0b. "由镇公路站负责的农村道路硬化项目，…": the marking opens the text. */
	if (found == RESP_NONE && at(s, from, to, "由")) {
		size_t a = from + strlen("由"), wa, wb;
		size_t lim = to < a + 180 ? to : a + 180;
		if (rules_words_scan(R->rs, "role.lead|role.coop", s, lim, a, 0, &wa, &wb) && wa > a &&
		    at(s, wb, to, "的")) {
			struct roles g = {0};
			int pure;
			if (marking(R, t, a, wb, 0, &g, &pure) && pure && g.units) {
				cut_add(cut, from, wb + strlen("的"));
				roles_merge(r, &g, 1);
				found = RESP_MARKING;
			}
			roles_free(&g);
		}
	}
	/* 1. Bracket groups that hold nothing but a marking. */
	for (size_t i = from; i < to;) {
		int k = open_at(s, i, to, &len);
		if (k < 0 || k >= 6) { /* 《》 and quotes hold titles, not markings */
			i += k >= 0 ? len : char_len(s, i);
			continue;
		}
		size_t e = group_end(s, i, to);
		if (!e) {
			i += len;
			continue;
		}
		size_t after;
		if ((k == 1 || k == 2 || k == 3) && label_at(R, s, i, to, &after) >= 0) {
			i = e; /* 【牵头单位】X: a label, read below */
			continue;
		}
		size_t close = e;
		while (close > i + len && ((s[close - 1] & 0xC0) == 0x80))
			close--;
		close--; /* the closing bracket's first byte */
		if (!triggered(&tg, i, e) && !may_hold_names(R, s, i + len, close)) {
			i = e;
			continue;
		}
		struct roles g = {0};
		int pure;
		if (marking(R, t, i + len, close, 1, &g, &pure) && pure) {
			cut_add(cut, i, e);
			roles_merge(r, &g, 1);
			found = RESP_MARKING;
		}
		roles_free(&g);
		i = e;
	}
	/* 2. Labels outside those groups, and 3. sentences. A sentence with
	 * other words in it ("X负责…") counts only where nothing else does. */
	struct roles imp = {0};
	size_t sent = from;
	for (size_t i = from; i <= to;) {
		int c = in_cut(cut, first, i);
		if (i < to && c >= 0) {
			i = cut->b[c];
			continue;
		}
		size_t after;
		if (i < to && triggered(&tg, i, i + 4) && clause_start(s, from, i) &&
		    label_at(R, s, i, to, &after) >= 0) {
			size_t e = label_chain(R, t, i, to, r);
			/* the label's sentence begins at the label */
			cut_add(cut, i, e);
			found = RESP_MARKING;
			i = sent = e;
			continue;
		}
		int end_sentence = i == to || at(s, i, to, "。") || at(s, i, to, ";") ||
				   at(s, i, to, "；");
		if (end_sentence) {
			size_t e = i < to ? i + char_len(s, i) : i;
			size_t sa = sent, sb = i;
			trim(s, &sa, &sb);
			if (sb > sa) {
				struct roles g = {0};
				int pure;
				size_t stop = sb;
				/* a sentence with a cut group inside it is not one to read here */
				int clean = 1;
				for (size_t k = first; k < cut->n; k++)
					if (cut->a[k] >= sa && cut->a[k] < sb)
						clean = 0, stop = cut->a[k] < stop ? cut->a[k] : stop;
				/* a count closing it: 县示范区管委会牵头工作（5项） */
				if (clean && stop > sa && s[stop - 1] == ')') {
					size_t o = stop - 1;
					while (o > sa && s[o] != '(')
						o--;
					if (s[o] == '(' && o > sa && count_note(s, o + 1, stop - 1))
						stop = o;
				}
				if (clean && triggered(&tg, sa, stop) && marking(R, t, sa, stop, 0, &g, &pure) &&
				    g.units) {
					if (pure) {
						cut_add(cut, sa, e);
						found = RESP_MARKING;
						roles_merge(r, &g, 1);
					} else {
						roles_merge(&imp, &g, 0);
					}
				}
				roles_free(&g);
			}
			sent = e;
			if (i == to)
				break;
			i = e;
			continue;
		}
		i += char_len(s, i);
	}
	if (found == RESP_NONE && imp.units) {
		roles_merge(r, &imp, 0);
		found = RESP_SENTENCE;
	}
	roles_free(&imp);
	free(tg.at);
	return found;
}

void resp_learn_text(struct resp *R, const struct ntext *t)
{
	struct roles r = {0};
	struct cuts c = {.n = 0};
	resp_scan(R, t, 0, t->norm.len, &r, &c);
	roles_free(&r);
}

void roles_resolve(struct resp *R, struct roles *r)
{
	if (!r->resp.n)
		return;
	struct strlist *resp = &r->resp;
	if (r->lead.n) { /* 责任单位 beside a lead: the co-operating units */
		for (size_t i = 0; i < resp->n; i++)
			if (!strlist_has(&r->lead, resp->v[i]))
				strlist_add_unique(&r->coop, resp->v[i]);
	} else if (r->lead_marked.n || r->coop_marked.n) {
		for (size_t i = 0; i < resp->n; i++) {
			int lead = r->lead_marked.n ? strlist_has(&r->lead_marked, resp->v[i])
						    : !strlist_has(&r->coop_marked, resp->v[i]);
			strlist_add_unique(lead ? &r->lead : &r->coop, resp->v[i]);
		}
	} else if (r->coop.n) { /* 责任单位 beside a co-operate label: the lead */
		for (size_t i = 0; i < resp->n; i++)
			strlist_add_unique(&r->lead, resp->v[i]);
	} else {
		int first = R->setting >= 0 ? R->setting : R->first_leads;
		for (size_t i = 0; i < resp->n; i++)
			strlist_add_unique(first && i > 0 ? &r->coop : &r->lead, resp->v[i]);
	}
	strlist_clear(resp);
	/* a unit both leading and co-operating leads */
	struct strlist keep = {0};
	for (size_t i = 0; i < r->coop.n; i++)
		if (!strlist_has(&r->lead, r->coop.v[i]))
			strlist_add(&keep, r->coop.v[i], strlen(r->coop.v[i]));
	strlist_clear(&r->coop);
	r->coop = keep;
}

void roles_inherit(struct roles *into, const struct roles *from)
{
	if (!into->leaders.n)
		for (size_t i = 0; i < from->leaders.n; i++)
			strlist_add_unique(&into->leaders, from->leaders.v[i]);
	if (!into->lead.n && !into->resp.n) {
		for (size_t i = 0; i < from->lead.n; i++)
			strlist_add_unique(&into->lead, from->lead.v[i]);
		if (!into->coop.n)
			for (size_t i = 0; i < from->coop.n; i++)
				strlist_add_unique(&into->coop, from->coop.v[i]);
		for (size_t i = 0; i < from->resp.n; i++)
			strlist_add_unique(&into->resp, from->resp.v[i]);
	}
	if (!into->deadlines.n)
		for (size_t i = 0; i < from->deadlines.n; i++)
			strlist_add_unique(&into->deadlines, from->deadlines.v[i]);
}
