/*
 * rules.h - the user-editable rules directory (format: README.md, "Rules").
 *
 * rules_load() reads every *.rules file and table (*.aliases, *.abbrev,
 * *.renames, *.words) of a directory in name order; it may be called again
 * with a second directory, whose patterns are tried before those already
 * loaded under the same name and whose settings and table rows win. Every pattern is compiled once (UTF, UCP, JIT) and all
 * matching shares one match-data block. The struct rules owns everything it
 * holds; rules_free() releases it.
 */
#ifndef NM_RULES_H
#define NM_RULES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "stream/buf.h"
#include "stream/strmap.h"

struct example {
	int line;
	char sign; /* '+' must match, '-' must not */
	char *text;
};

struct rule {
	char *name;
	char *source; /* "rules/FILE:LINE" */
	char *pattern;
	pcre2_code *re;
	struct example *ex;
	size_t nex;
};

/* Tables: TAB-separated columns, one row a line. */
enum table {
	T_ALIAS,  /* *.aliases: name as written, canonical name */
	T_ABBREV, /* *.abbrev: full form, short form (for alias suggestions) */
	T_RENAME, /* *.renames: old name, new name, date, place, note */
	T_WORDS,  /* *.words: kind, word (vocabulary: role words, labels, unit heads ...) */
	T_FOLD,   /* *.fold: a character as written, the one it is matched as (繁 -> 简) */
	NTABLES
};

#define ROW_MAX_COLS 6

struct row {
	char *col[ROW_MAX_COLS];
	size_t ncol;
	char *source; /* "rules/FILE:LINE" */
};

struct rules {
	struct rule *v;
	size_t n;
	struct row *rows[NTABLES];
	size_t nrows[NTABLES];
	char **set_key, **set_val;
	size_t nset;
	uint64_t hash;
	pcre2_match_data *md;
	pcre2_match_context *mctx;
	pcre2_jit_stack *jit;
	int broken;             /* a pattern failed to compile */
	size_t limit_hits;      /* matches stopped by the match or depth limit */
	const char *limit_rule; /* the first pattern that was */
	size_t *next_same;      /* index of the next pattern with the same name, or -1 */
	size_t indexed;         /* patterns next_same and names cover */
	struct strmap names;    /* pattern name -> its first pattern */
	struct strmap alias;    /* T_ALIAS: name as written -> row */
	struct words *words;    /* word lists by kind, compiled on first use */
	size_t nwords;
	struct { /* rules_scan: where each pattern matches next */
		const char *name, *s;
		size_t n, cap;
		size_t *next;
		unsigned char *known;
	} scan;
};

/* A successful match: valid until the next match on the same rules. */
struct match {
	const struct rule *rule;
	const char *subject;
	PCRE2_SIZE *ov;
	uint32_t n;
};

/*
 * What a program reads of the patterns called name: the named groups it
 * takes (comma-separated, or NULL), and whether a match must hold text (a
 * pattern that can match the empty string would make a scan stand still
 * or cut a name into bytes).
 */
struct rule_need {
	const char *name;
	const char *groups;
	int nonempty;
};

/* Returns 0, or the number of problems, each appended to errors as a line. */
int rules_load(struct rules *rs, const char *dir, struct buf *errors);
/*
 * Loads the directory of every "--rules DIR" in argv, in order (rules/ when
 * there is none), and checks what the program needs (an array ended by an
 * entry whose name is NULL). Other arguments are the caller's. Returns the
 * number of problems, each a line of errors ("rules/FILE:LINE: ...").
 */
int rules_from_args(struct rules *rs, int argc, char **argv, const struct rule_need *need,
		    struct buf *errors);
/*
 * Checks every need: the name has a pattern; each of its patterns has the
 * groups and, where asked, cannot match the empty string.
 */
int rules_require(const struct rules *rs, const struct rule_need *need, struct buf *errors);
void rules_free(struct rules *rs);

/*
 * Tries the patterns called name at offset 0 of s (and later offsets for
 * unanchored ones). Returns 1 on a match, 0 on none, and a negative PCRE2
 * error code (match or depth limit) which must not be read as "no match".
 */
int rules_match(struct rules *rs, const char *name, const char *s, size_t n, struct match *m);
/*
 * Like rules_match from byte offset start; the earliest match of all the
 * patterns called name wins. Successive calls on one subject must move
 * forward; a call with start 0 begins a new scan.
 */
int rules_scan(struct rules *rs, const char *name, const char *s, size_t n, size_t start,
	       struct match *m);
/* Tries one compiled rule. */
int rules_match_one(struct rules *rs, const struct rule *r, const char *s, size_t n, size_t start,
		    struct match *m);
/* A named group of a match: its start and length, or NULL when unset. */
const char *match_group(const struct match *m, const char *group, size_t *len);
/* Start and end byte offsets of the whole match. */
size_t match_start(const struct match *m);
size_t match_end(const struct match *m);

/*
 * Writes a rules.match_limit finding for the notice when matches were
 * stopped by PCRE2's limits since the last call, and forgets them.
 */
void rules_put_limit_finding(struct rules *rs, FILE *out, const char *stage);

const char *rules_setting(const struct rules *rs, const char *key);
/* The canonical name of a unit alias, or NULL. */
const char *rules_alias(const struct rules *rs, const char *unit);

/*
 * Word lists (*.words: KIND<TAB>WORD). rules_words_scan() finds the
 * earliest word of kind in s[start..n) (the longest where several start
 * there): 1 with its span in *a, *b, 0 when there is none. With anchored,
 * only a word starting at start counts. Words are literal text, matched
 * after normalisation like patterns are. A kind ending in '*' stands for
 * every kind it begins ("role.*": the words of every role.… kind); kinds
 * joined by '|' stand for all of them.
 */
int rules_words_scan(struct rules *rs, const char *kind, const char *s, size_t n, size_t start,
		     int anchored, size_t *a, size_t *b);
/* A word of kind ending exactly at byte end of s (the longest): 1 with its start in *a. */
int rules_words_before(struct rules *rs, const char *kind, const char *s, size_t end, size_t *a);
/* Whether s[0..n) is itself a word of kind. */
int rules_words_is(struct rules *rs, const char *kind, const char *s, size_t n);
/* The number of words of kind. */
size_t rules_words_count(struct rules *rs, const char *kind);
/* Forget the compiled word lists (the tables changed); free them. */
void rules_words_reset(struct rules *rs);
void rules_words_free(struct rules *rs);
const char *rules_strerror(int pcre2_code, char *buf, size_t n);

#endif
