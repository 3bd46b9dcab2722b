/*
 * resp_units.c - what a marking names: units by their shape and by what
 * the notice itself names (主送, lists, declarations, table columns),
 * leaders, deadlines; the life of a struct resp and how roles are settled
 * (责任单位 beside a lead, the first listed, what a heading passes down).
 */
#include <stdlib.h>
#include <string.h>

#include "notice/dates.h"
#include "notice/resp_impl.h"
#include "stream/err.h"
#include "stream/utf8.h"

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
	strmap_free(&R->known_end);
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
	const char *kept = R->store.v[R->store.n - 1];
	strmap_put(&R->known, kept, n, 1);
	size_t last = n - 1;
	while (last > 0 && (kept[last] & 0xC0) == 0x80)
		last--;
	strmap_put(&R->known_end, kept + last, n - last, 1);
}

int resp_name_may_end(struct resp *R, const char *s, size_t a, size_t e)
{
	size_t x, last = e - 1;
	if (e <= a)
		return 0;
	if (rules_words_before(R->rs, "unit.head|unit.collective", s, e, &x))
		return 1;
	while (last > a && (s[last] & 0xC0) == 0x80)
		last--;
	return strmap_get(&R->known_end, s + last, e - last) != STRMAP_NONE;
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
	if (strmap_get(&R->known, s, n) != STRMAP_NONE ||
	    rules_words_is(R->rs, "unit.collective", s, n))
		return 1;
	for (size_t i = 0; i < n; i++)
		if (strchr(",;:!?\"", s[i]) || (unsigned char)s[i] < 0x20)
			return 0;
	if (memmem(s, n, "。", strlen("。")) || memmem(s, n, "，", strlen("，")))
		return 0;
	int depth = 0;
	for (size_t i = 0; i < n;
	     i++) { /* a list is no name: 、 only inside brackets (各县(市、区)) */
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
void strip_etc(const char *s, size_t a, size_t *b)
{
	static const char *const ETC[] = {"等有关单位", "等相关单位", "等有关部门", "等相关部门",
					  "等单位",     "等部门",     "等",         "。",
					  ";",          "；"};
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

/*
 * Reads [a, b) as a list of units: names between 、，, (and 和/及/与 where
 * both sides are whole names), brackets kept inside names. Returns the
 * number of names, 0 when any piece is no unit.
 */
size_t unit_list(struct resp *R, const char *s, size_t a, size_t b, struct unit_span *u, size_t max,
		 int marks)
{
	static const char *const SEPS[] = {"、", ",", "，", ";", "；", "/", "|"};
	size_t k = 0, seplen;
	int enum_after[MAX_UNITS] = {0}; /* the name before u[i] ends in 、 */
	strip_etc(s, a, &b);
	trim(s, &a, &b);
	if (a >= b)
		return 0;
	for (size_t i = a; i < b && k < max;) {
		size_t e = next_sep(s, i, b, SEPS, sizeof SEPS / sizeof *SEPS, &seplen);
		size_t pa = i, pb = e;
		strip_etc(s, pa, &pb);
		trim(s, &pa, &pb);
		int mark = 0, worded = 0; /* worded: 牵头/配合 said after the name, not bracketed */
		if (marks && pb > pa) {
			static const char *const LEAD[] = {"(牵头)", "牵头"}, *const COOP[] = {
										      "(配合)"};
			for (size_t m = 0; m < 2 && !mark; m++)
				if (ends_with(s, pa, pb, LEAD[m]) && pb - pa > strlen(LEAD[m]) + 3)
					pb -= strlen(LEAD[m]), mark = 1, worded = m == 1;
			if (!mark && ends_with(s, pa, pb, COOP[0]))
				pb -= strlen(COOP[0]), mark = 2;
			/* 各区县人民政府按职责分工负责: the unit, co-operating */
			size_t wa;
			if (!mark && rules_words_before(R->rs, "role.coop", s, pb, &wa) &&
			    wa > pa && resp_is_unit(R, s + pa, wa - pa))
				pb = wa, mark = 2, worded = 1;
			trim(s, &pa, &pb);
		}
		/* A note in brackets after the name, 市财政局(第一责任单位为牵头单位,下同):
		 * not part of it; what it says of the first-listed unit holds */
		if (pb > pa && s[pb - 1] == ')') {
			size_t o = pb - 1;
			while (o > pa && s[o] != '(')
				o--;
			struct match fm;
			size_t na, nb;
			if (s[o] == '(' && o > pa) {
				int first = rules_scan(R->rs, "notice.first_leads", s, pb, o, &fm) >
					    0;
				if (first ||
				    rules_words_scan(R->rs, "role.note", s, pb, o, 0, &na, &nb)) {
					if (first)
						R->first_leads = 1;
					pb = o;
					trim(s, &pa, &pb);
				}
			}
		}
		if (pb > pa) {
			/* A declaration after the name, 市医疗保障局(简称市医保局): not part of it. */
			struct match dm;
			if (s[pb - 1] == ')' &&
			    rules_scan(R->rs, "unit.declare", s, pb, pa, &dm) > 0 &&
			    match_end(&dm) == pb && match_start(&dm) > pa)
				pb = match_start(&dm);
			/* 和/及/与 between two whole names: 市财政局和市审计局 */
			static const char *const AND[] = {"以及", "和", "及", "与"};
			size_t got = 0;
			for (size_t j = pa; j < pb && !got; j += char_len(s, j))
				for (size_t w = 0; w < 4; w++)
					if (at(s, j, pb, AND[w]) && j > pa &&
					    resp_is_unit(R, s + pa, j - pa) &&
					    resp_is_unit(R, s + j + strlen(AND[w]),
							 pb - j - strlen(AND[w])) &&
					    k + 2 <= max) {
						u[k++] = (struct unit_span){pa, j, mark};
						u[k++] = (struct unit_span){j + strlen(AND[w]), pb,
									    mark};
						got = 1;
						break;
					}
			if (!got && memchr(s + pa, ' ', pb - pa)) {
				/* names set apart by spaces only: 县住建局 县发改局 */
				size_t k0 = k;
				for (size_t x = pa; x < pb && k < max;) {
					size_t y = x;
					while (y < pb && s[y] != ' ')
						y++;
					if (!resp_is_unit(R, s + x, y - x)) {
						k = k0;
						break;
					}
					u[k++] = (struct unit_span){x, y, mark};
					while (y < pb && s[y] == ' ')
						y++;
					x = y;
				}
				got = k - k0 >= 2;
				if (!got)
					k = k0;
			}
			if (!got) {
				if (!resp_is_unit(R, s + pa, pb - pa))
					return 0;
				u[k++] = (struct unit_span){pa, pb, mark};
			}
		}
		if (k && worded)
			enum_after[k - 1] |= 2; /* u[k-1]'s role is worded */
		if (k && k < MAX_UNITS && e < b && str_starts(s + e, "、"))
			enum_after[k] |= 1;
		i = e + seplen;
	}
	/* "市水利局、市林业局牵头，…": a role said after names joined by 、 is
	 * theirs all */
	for (size_t j = k; marks && j-- > 1;)
		if (u[j].mark && !u[j - 1].mark && j < MAX_UNITS && (enum_after[j] & 1) &&
		    (enum_after[j] & 2))
			u[j - 1].mark = u[j].mark;
	return k;
}

/* ---- Collecting what is found ---- */

void add_name(struct strlist *l, const struct ntext *t, size_t a, size_t b)
{
	char *name = ntext_dup(t, a, b);
	size_t n = strlen(name);
	const char *tr = str_trim(name, &n);
	char *clean = nm_xstrndup(tr, n);
	strlist_add_unique(l, clean);
	free(clean);
	free(name);
}

void add_units(struct resp *R, const struct ntext *t, const struct unit_span *u, size_t k,
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
static int title_only(struct resp *R, const char *s, size_t a, size_t b)
{
	size_t x;
	if (utf8_chars(s + a, b - a) > 10)
		return 0;
	for (size_t j = a; j < b; j++)
		if (s[j] == ' ')
			return 0;
	return rules_words_before(R->rs, "leader.title_end", s + a, b - a, &x);
}

static int has_space(const char *s, size_t a, size_t b)
{
	while (a < b && s[a] == ' ')
		a++;
	while (b > a && s[b - 1] == ' ')
		b--;
	return memchr(s + a, ' ', b - a) != NULL;
}

void add_leaders(struct resp *R, const struct ntext *t, size_t a, size_t b, struct roles *r)
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
		if (pb > pa && e < b && s[e] != ';' && title_only(R, s, pa, pb) &&
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
		/* a name with its title after it: 杜鸿市长 */
		struct match nm;
		size_t nl;
		if (pb > pa && rules_match(R->rs, "leader.name_title", s + pa, pb - pa, &nm) > 0 &&
		    match_group(&nm, "name", &nl)) {
			size_t na = pa + (size_t)(match_group(&nm, "name", &nl) - (s + pa));
			pa = na, pb = na + nl;
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

void add_deadline(const struct ntext *t, size_t a, size_t b, struct roles *r)
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
void roles_merge(struct roles *into, const struct roles *from, int with_deadlines)
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
