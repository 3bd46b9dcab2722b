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
#include "notice/resp_impl.h"
#include "stream/err.h"
#include "stream/utf8.h"

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
					int said_resp = rules_words_is(R->rs, "role.resp", s + wa,
								       wb - wa);
					int resp = kind == 1 && k > 1 && said_resp;
					/* "X牵头，各区人民政府负责": beside a unit that leads,
					 * the ones that (only) 负责 carry it out with it */
					int beside = kind == 1 && said_resp && r->lead.n;
					add_units(R, t, u, k,
						  kind == 0 || beside ? &r->coop
						  : resp              ? &r->resp
								      : &r->lead,
						  r);
					for (size_t i = 0; i < tail.deadlines.n; i++)
						strlist_add_unique(&r->deadlines,
								   tail.deadlines.v[i]);
					*pure = rest_ok;
					roles_free(&tail);
					return 1;
				}
				roles_free(&tail);
			}
			/* "由市政府副市长 王振东牵头": a person, by a title before the name */
			struct match pm;
			if (kind == 1 && wa > a &&
			    rules_match(R->rs, "leader.person", s + a, wa - a, &pm) > 0) {
				struct roles tail = {0};
				int rest_ok = only_filler(R, t, wb, b, &tail);
				roles_free(&tail);
				if (rest_ok) {
					add_leaders(R, t, a, wa, r);
					return 1;
				}
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
static int with_partner(struct resp *R, const struct ntext *t, size_t a, size_t b, struct roles *r,
			int *pure)
{
	const char *s = t->norm.s;
	struct unit_span u[MAX_UNITS], v[MAX_UNITS];
	size_t wa, wb;
	for (size_t from = a;
	     from < b && rules_words_scan(R->rs, "role.coop_before", s, b, from, 0, &wa, &wb);
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
			if (!resp_name_may_end(R, s, c, e))
				continue; /* no name ends here */
			size_t k = unit_list(R, s, c, e, u, MAX_UNITS, 0);
			if (k && only_filler(R, t, e, b, r)) {
				add_units(R, t, u, k, before == 2 ? &r->coop : &r->lead, r);
				return 1;
			}
		}
	}
	/* A leader by his title beside the units: "（市长吴振邦，市发改委牵头）". */
	struct match pm;
	if (bracket && !before && rules_match(R->rs, "leader.person", s + c, b - c, &pm) > 0) {
		add_leaders(R, t, c, b, r);
		return 1;
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

static const char *const LABEL_KINDS[] = {
	"role.lead_label",     "role.coop_label",  "role.resp_label", "role.leader_label",
	"role.deadline_label", "role.split_label", "role.other_label"};
/* other: a label whose value is no role (督办单位: who checks, not who does) */
static const char *const VALUE_KINDS[] = {"lead",     "coop",  "resp", "leader",
					  "deadline", "split", "other"};

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
	static const char *const ROLES[] = {"role.lead", "role.coop", "role.resp|role.resp_alone"};
	for (int k = 0; k < 3; k++)
		if (rules_words_is(R->rs, ROLES[k], s, n))
			return k;
	if (n == 0 || utf8_chars(s, n) > 10 ||
	    !rules_words_before(R->rs, "role.label_end", s, n, &a))
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

/* A label by its shape: up to 10 characters before a colon or a closing bracket. */
static int label_by_shape(struct resp *R, const char *s, size_t la, size_t end, size_t *wb)
{
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
	int closed = after >= end || s[after] == ':' || s[after] == ']' ||
		     at(s, after, end, "】") || at(s, after, end, "〕") || after > best;
	if (kind >= 0 && !closed && kind <= 2) {
		/* 配合 glued to its value (配合市财政局), unless a longer label by its
		 * shape closes at a colon (配合处室：) */
		size_t sb;
		int k = label_by_shape(R, s, la, end, &sb);
		if (k >= 0 && sb > best) {
			*wb = sb;
			return k;
		}
	}
	if (kind >= 0 && (closed || kind <= 2)) {
		*wb = best;
		return kind;
	}
	return label_by_shape(R, s, la, end, wb);
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
	static const char *const B[] = {"。", ";", "；", ",", "，", " ", ")",
					"】", "(", "、", ":", "|",  "/", "／"};
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
	if (strcmp(kind, "other") == 0) {
		return;
	} else if (strcmp(kind, "leader") == 0) {
		add_leaders(R, t, a, b, r);
	} else if (strcmp(kind, "deadline") == 0) {
		add_deadline(t, a, b, r);
	} else if (strcmp(kind, "split") == 0) {
		struct cuts none = {.n = 0};
		resp_scan(R, t, a, b, r, &none);
	} else {
		int marks = 1; /* 牵头 or 按职责分工负责 after a name in any list */
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
				/* the value may end in its deadline or a filler: 6月底完成, 长期坚持 */
				struct match dm;
				struct roles fill = {0};
				if (pb > pa && rules_scan(R->rs, "deadline", s, pb, pa, &dm) > 0 &&
				    match_start(&dm) == pa && utf8_chars(s + pa, pb - pa) <= 16)
					add_deadline(t, pa, match_end(&dm), r);
				else if (pb > pa && only_filler(R, t, pa, pb, &fill))
					;
				else if (pb > pa && utf8_chars(s + pa, pb - pa) <= MAX_UNIT_CHARS)
					u[k++] = (struct unit_span){pa, pb, 0};
				roles_free(&fill);
				i = e + seplen;
			}
		}
		struct strlist *to = kind[0] == 'l'   ? &r->lead
				     : kind[0] == 'c' ? &r->coop
						      : &r->resp;
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
			if (open_at(s, j, end, &len) >= 0 &&
			    label_at(R, s, j, end, &next_after) < 0) {
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
static const char TRIGGERS[] =
	"role.lead|role.coop|role.resp|role.lead_label|role.coop_label|"
	"role.resp_label|role.leader_label|role.deadline_label|role.split_label|role.other_label|"
	"role.coop_before|role.lead_before|role.label_end";

static void triggers_find(struct resp *R, const char *s, size_t from, size_t to,
			  struct triggers *tg)
{
	size_t a, b;
	tg->n = 0;
	for (size_t i = from; i < to && rules_words_scan(R->rs, TRIGGERS, s, to, i, 0, &a, &b);
	     i = b) {
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

/* Whether the sentence from a (to its 。) is a marking and nothing else. */
static int whole_marking(struct resp *R, const struct ntext *t, size_t a, size_t to)
{
	const char *s = t->norm.s;
	size_t e = a;
	while (e < to && !at(s, e, to, "。"))
		e += char_len(s, e);
	struct roles g = {0};
	int pure = 0, yes = marking(R, t, a, e, 0, &g, &pure) && pure;
	roles_free(&g);
	return yes;
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
	size_t colon_len,
		colon = next_sep(s, from, to < from + 160 ? to : from + 160, COLON, 2, &colon_len);
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
		size_t a = from + strlen("由"), wa = 0, wb = 0;
		size_t lim = to < a + 180 ? to : a + 180;
		int word = rules_words_scan(R->rs, "role.lead|role.coop", s, lim, a, 0, &wa, &wb) &&
			   wa > a;
		int de = word && at(s, wb, to, "的");
		/* "由市城市管理局负责，对人行道违规停车开展整治": the marking opens a
		 * sentence that is no marking as a whole */
		int comma = word && !de && at(s, wb, to, ",") && !whole_marking(R, t, from, to);
		if (de || comma) {
			struct roles g = {0};
			int pure;
			if (marking(R, t, a, wb, 0, &g, &pure) && pure && g.units) {
				size_t end = wb + (de ? strlen("的") : 1);
				/* and the clauses of roles right after it: "由X负责，Y、Z配合，…" */
				for (int more = comma; more;) {
					static const char *const COMMA[] = {","};
					size_t cl, c = next_sep(s, end, to, COMMA, 1, &cl);
					struct roles g2 = {0};
					int pure2;
					more = cl && c > end && c - end <= 120 &&
					       marking(R, t, end, c, 0, &g2, &pure2) && pure2 &&
					       g2.units;
					if (more) {
						roles_merge(&g, &g2, 1);
						end = c + cl;
					}
					roles_free(&g2);
				}
				cut_add(cut, from, end);
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
						clean = 0,
						stop = cut->a[k] < stop ? cut->a[k] : stop;
				/* a count closing it: 县示范区管委会牵头工作（5项） */
				if (clean && stop > sa && s[stop - 1] == ')') {
					size_t o = stop - 1;
					while (o > sa && s[o] != '(')
						o--;
					if (s[o] == '(' && o > sa && count_note(s, o + 1, stop - 1))
						stop = o;
				}
				/* a sentence that is all marking may name a leader only:
				 * 郑怀远省长负责的工作, 由副市长王振东负责 */
				if (clean && triggered(&tg, sa, stop) &&
				    marking(R, t, sa, stop, 0, &g, &pure) &&
				    (g.units || (pure && g.leaders.n))) {
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
