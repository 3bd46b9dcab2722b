/*
 * resp.h - responsibility markings: who leads a task, who co-operates, who
 * is its leader and by when it is due, however the notice writes it.
 *
 * A marking is unit names next to lead and co-operate words, in any order,
 * in a bracket group, behind labels or in a sentence: "（X牵头，Y配合）",
 * "牵头单位：X；配合单位：Y", "【牵头单位】X【配合单位】Y", "由X牵头，会同Y组织
 * 实施", "（Y配合，X牵头）", "X、Z共同牵头", "（各区人民政府分别负责，年内持续推
 * 进）". The words are data (rules/roles.words); a unit is known by its
 * shape (rules/units.words: it ends in 局, 委, 办, 中心 …) or because the
 * notice names it elsewhere (resp_learn). Everything found is the text as
 * written; matching runs on the normalised form (ntext.h).
 *
 * A struct resp holds what one notice teaches (its units, whether its
 * first-listed unit leads); resp_reset() forgets it. struct roles owns the
 * strings it collects until roles_free().
 */
#ifndef NM_RESP_H
#define NM_RESP_H

#include <stddef.h>

#include "stream/strlist.h"
#include "rules/rules.h"
#include "stream/ntext.h"
#include "stream/strmap.h"

struct resp {
	struct rules *rs;
	struct strmap known;     /* normalised unit names the notice uses */
	struct strlist store;    /* their storage */
	struct strmap known_end; /* the last character of each (where a name may end) */
	int first_leads;         /* the notice says its first-listed unit leads */
	int setting;             /* rules: -1 auto, 0 every listed unit leads, 1 the first */
};

/* What markings say. Units and leaders as written, in order, each once. */
struct roles {
	struct strlist leaders, lead, coop, resp;
	struct strlist deadlines;                /* deadline phrases as written */
	struct strlist lead_marked, coop_marked; /* resp units marked (牵头) / (配合) */
	int units;                               /* a unit was named with a role */
};

/* Spans of the normalised text that are markings, to leave out of the content. */
#define RESP_MAX_CUTS 64
struct cuts {
	size_t a[RESP_MAX_CUTS], b[RESP_MAX_CUTS];
	size_t n;
};

enum resp_found {
	RESP_NONE = 0, /* no marking */
	RESP_MARKING,  /* markings, cut out of the content */
	RESP_SENTENCE, /* a sentence whose subject is a unit with a lead word ("X负责…"): kept */
};

void resp_init(struct resp *R, struct rules *rs);
void resp_reset(struct resp *R);
void resp_free(struct resp *R);
/* Remembers s[0..n) (normalised) as a unit of the notice. */
void resp_learn(struct resp *R, const char *s, size_t n);
/* Whether the normalised s[0..n) reads as one unit's name. */
int resp_is_unit(struct resp *R, const char *s, size_t n);

/*
 * Reads the markings of the normalised span [from, to) of t into r and the
 * spans to cut from the content into cut (which it appends to). Returns the
 * strongest kind found.
 */
enum resp_found resp_scan(struct resp *R, const struct ntext *t, size_t from, size_t to,
			  struct roles *r, struct cuts *cut);
/*
 * Reads a label's value (a cell of a table: units, leaders or a deadline)
 * as the label kind says: "lead", "coop", "resp", "leader", "deadline".
 */
void resp_value(struct resp *R, const struct ntext *t, size_t from, size_t to, const char *kind,
		struct roles *r);
/*
 * The kind of a label (牵头单位, 参与部门, 责任领导 …): 0 lead, 1 co-operate,
 * 2 责任单位, 3 leader, 4 deadline, 5 a sentence of roles (部门分工); -1 when
 * s[0..n) (normalised, no spaces) is no label. Table headers use it too.
 */
int resp_label_kind(struct resp *R, const char *s, size_t n);
/* Learns the units of every labelled list and bracket group in t. */
void resp_learn_text(struct resp *R, const struct ntext *t);

/* Settles who leads among the units of a 责任单位 list (see roles.words). */
void roles_resolve(struct resp *R, struct roles *r);
/* Adds what from says that into lacks (inherited from a heading). */
void roles_inherit(struct roles *into, const struct roles *from);
int roles_any(const struct roles *r);
void roles_free(struct roles *r);

#endif
