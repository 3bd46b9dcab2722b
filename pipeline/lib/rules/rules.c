/* rules.c - loading, compiling and matching the rules directory. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "stream/err.h"
#include "stream/rec.h"
#include "rules/rules.h"
#include "stream/ntext.h"
#include "stream/utf8.h"

#define MATCH_LIMIT 200000
#define DEPTH_LIMIT 5000
#define HEAP_LIMIT_KIB 20000
#define MAX_RULE_LINE 4000

struct define {
	char *name, *text;
};

struct loader {
	struct rules *rs;
	struct buf *errors;
	int problems;
	struct define *defs;
	size_t ndefs;
	const char *path;
	int line;
	size_t first_new;  /* patterns loaded by this call start here */
	size_t file_first; /* ... and by the current file */
};

static void problem(struct loader *ld, const char *fmt, const char *a, const char *b)
{
	buf_printf(ld->errors, "%s:%d: ", ld->path, ld->line);
	buf_printf(ld->errors, fmt, a, b);
	buf_addc(ld->errors, '\n');
	ld->problems++;
}

static void hash_bytes(uint64_t *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		*h ^= (unsigned char)s[i];
		*h *= 0x100000001b3ULL;
	}
}

static const char *find_define(const struct loader *ld, const char *name, size_t n)
{
	for (size_t i = ld->ndefs; i-- > 0;)
		if (strlen(ld->defs[i].name) == n && memcmp(ld->defs[i].name, name, n) == 0)
			return ld->defs[i].text;
	return NULL;
}

/* Replaces each ${NAME} by the (?:text) of its define. */
static int expand(struct loader *ld, const char *pat, struct buf *out)
{
	for (const char *p = pat; *p;) {
		const char *close;
		if (p[0] == '$' && p[1] == '{' && (close = strchr(p, '}'))) {
			const char *text = find_define(ld, p + 2, (size_t)(close - p - 2));
			if (!text) {
				char name[128];
				snprintf(name, sizeof name, "%.*s", (int)(close - p - 2), p + 2);
				problem(ld, "undefined name ${%s}%s", name, "");
				return -1;
			}
			buf_adds(out, "(?:");
			buf_adds(out, text);
			buf_adds(out, ")");
			p = close + 1;
		} else {
			buf_addc(out, *p++);
		}
	}
	return 0;
}

/* expanded says whether ${...} names were replaced: the position then
 * counts in the pattern as expanded. */
/* The byte of the pattern as written that expanded byte off comes from: an
 * error inside an expansion points at its ${NAME}. */
static size_t original_offset(const struct loader *ld, const char *pat, size_t off)
{
	size_t e = 0;
	const char *p = pat, *close;
	while (*p) {
		const char *text;
		if (p[0] == '$' && p[1] == '{' && (close = strchr(p, '}')) &&
		    (text = find_define(ld, p + 2, (size_t)(close - p - 2)))) {
			size_t len = strlen(text) + strlen("(?:)");
			if (off < e + len)
				break;
			e += len;
			p = close + 1;
		} else {
			if (e++ == off)
				break;
			p++;
		}
	}
	return (size_t)(p - pat);
}

static pcre2_code *compile(struct loader *ld, const char *pattern, const char *written)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
				       PCRE2_UTF | PCRE2_UCP, &code, &off, NULL);
	if (!re) {
		char msg[256], where[64];
		pcre2_get_error_message(code, (PCRE2_UCHAR *)msg, sizeof msg);
		snprintf(where, sizeof where, "%zu",
			 utf8_chars(written, original_offset(ld, written, off)) + 1);
		problem(ld, "pattern error at character %s: %s", where, msg);
		return NULL;
	}
	/* Without JIT the interpreter runs it; NM_NO_JIT=1 asks for that, for
	 * valgrind, which cannot follow JIT code. */
	if (!getenv("NM_NO_JIT"))
		pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
	return re;
}

static void add_rule(struct loader *ld, const char *name, size_t nlen, const char *pat)
{
	struct buf expanded = BUF_INIT;
	if (expand(ld, pat, &expanded) < 0) {
		buf_free(&expanded);
		return;
	}
	pcre2_code *re = compile(ld, buf_str(&expanded), pat);
	if (!re) {
		ld->rs->broken = 1;
		buf_free(&expanded);
		return;
	}
	struct rules *rs = ld->rs;
	rs->v = nm_xrealloc(rs->v, (rs->n + 1) * sizeof *rs->v);
	struct rule *r = &rs->v[rs->n++];
	memset(r, 0, sizeof *r);
	r->name = nm_xstrndup(name, nlen);
	r->pattern = nm_xstrdup(buf_str(&expanded));
	r->re = re;
	struct buf src = BUF_INIT;
	buf_printf(&src, "%s:%d", ld->path, ld->line);
	r->source = src.s;
	buf_free(&expanded);
}

static void add_example(struct loader *ld, char sign, const char *text)
{
	struct rules *rs = ld->rs;
	if (rs->n == ld->file_first) {
		problem(ld, "example %s before any pattern%s", sign == '+' ? "+" : "-", "");
		return;
	}
	struct rule *r = &rs->v[rs->n - 1];
	r->ex = nm_xrealloc(r->ex, (r->nex + 1) * sizeof *r->ex);
	r->ex[r->nex++] = (struct example){ld->line, sign, nm_xstrdup(text)};
}

static void add_setting(struct rules *rs, const char *key, size_t klen, const char *val)
{
	rs->set_key = nm_xrealloc(rs->set_key, (rs->nset + 1) * sizeof *rs->set_key);
	rs->set_val = nm_xrealloc(rs->set_val, (rs->nset + 1) * sizeof *rs->set_val);
	rs->set_key[rs->nset] = nm_xstrndup(key, klen);
	rs->set_val[rs->nset++] = nm_xstrdup(val);
}

static int expand(struct loader *ld, const char *pat, struct buf *out);

/* A define may use earlier ones: they are expanded now. */
static void add_define(struct loader *ld, const char *name, size_t nlen, const char *text)
{
	struct buf expanded = BUF_INIT;
	if (expand(ld, text, &expanded) < 0) {
		buf_free(&expanded);
		return;
	}
	ld->defs = nm_xrealloc(ld->defs, (ld->ndefs + 1) * sizeof *ld->defs);
	ld->defs[ld->ndefs++] = (struct define){nm_xstrndup(name, nlen),
						nm_xstrdup(buf_str(&expanded))};
	buf_free(&expanded);
}

/* Splits "WORD REST" after the first word. REST starts after the TABs that
 * follow the word or, with no TAB there, after its spaces: so a pattern
 * after a TAB may itself start with a space. */
static const char *split_word(const char *s, size_t *wlen)
{
	size_t n = strcspn(s, " \t");
	*wlen = n;
	return s + n + strspn(s + n, s[n] == '\t' ? "\t" : " ");
}

static void rules_line(struct loader *ld, char *line)
{
	if (line[0] == '+' || line[0] == '-') {
		const char *text = line + 1 + (line[1] == ' ' || line[1] == '\t');
		add_example(ld, line[0], text);
		return;
	}
	size_t wlen, nlen;
	const char *rest = split_word(line, &wlen);
	if (wlen == 3 && strncmp(line, "set", 3) == 0) {
		const char *val = split_word(rest, &nlen);
		add_setting(ld->rs, rest, nlen, val);
	} else if (wlen == 6 && strncmp(line, "define", 6) == 0) {
		const char *text = split_word(rest, &nlen);
		add_define(ld, rest, nlen, text);
	} else if (*rest == '\0') {
		problem(ld, "'%s' has no pattern%s", line, "");
	} else {
		add_rule(ld, line, wlen, rest);
	}
}

static const struct table_kind {
	const char *suffix;
	size_t min_cols;
	const char *shape;
} TABLES[NTABLES] = {
	[T_ALIAS] = {".aliases", 2, "ALIAS<TAB>CANONICAL"},
	[T_ABBREV] = {".abbrev", 2, "FULL<TAB>SHORT"},
	[T_RENAME] = {".renames", 3, "OLD<TAB>NEW<TAB>DATE[<TAB>PLACE<TAB>NOTE]"},
	[T_WORDS] = {".words", 2, "KIND<TAB>WORD"},
	[T_FOLD] = {".fold", 2, "WRITTEN<TAB>MATCHED (one Han character each)"},
};

static int table_of(const char *file)
{
	for (int t = 0; t < NTABLES; t++)
		if (str_ends(file, TABLES[t].suffix))
			return t;
	return -1;
}

/* One character of the CJK block (three bytes of UTF-8): what a fold maps. */
static int fold_char(const char *s)
{
	uint32_t c;
	size_t n = strlen(s);
	return n == 3 && utf8_decode(s, n, &c) == 3 && c >= 0x3400 && c <= 0x9FFF;
}

/* Hands the characters of the *.fold tables to the normaliser (ntext.h). */
static void set_folds(const struct rules *rs)
{
	size_t n = rs->nrows[T_FOLD];
	uint32_t *from = nm_xmalloc((n + 1) * sizeof *from), *to = nm_xmalloc((n + 1) * sizeof *to);
	for (size_t i = 0; i < n; i++) {
		utf8_decode(rs->rows[T_FOLD][i].col[0], 3, &from[i]);
		utf8_decode(rs->rows[T_FOLD][i].col[1], 3, &to[i]);
	}
	ntext_set_folds(from, to, n);
	free(from);
	free(to);
}

static void table_line(struct loader *ld, int t, char *line)
{
	struct row row = {.ncol = 0};
	for (char *p = line; p && row.ncol < ROW_MAX_COLS;) {
		char *tab = strchr(p, '\t');
		size_t len = tab ? (size_t)(tab - p) : strlen(p);
		const char *v = str_trim(p, &len);
		row.col[row.ncol++] = nm_xstrndup(v, len);
		p = tab ? tab + 1 : NULL;
	}
	if (row.ncol < TABLES[t].min_cols || !*row.col[0] || !*row.col[1]) {
		problem(ld, "expected %s, got '%s'", TABLES[t].shape, line);
		for (size_t i = 0; i < row.ncol; i++)
			free(row.col[i]);
		return;
	}
	if (t == T_FOLD && !(fold_char(row.col[0]) && fold_char(row.col[1]))) {
		problem(ld, "expected one Han character in each column, got '%s'%s", line, "");
		for (size_t i = 0; i < row.ncol; i++)
			free(row.col[i]);
		return;
	}
	int y, m, d;
	if (t == T_RENAME && !date_from_iso(row.col[2], &y, &m, &d))
		problem(ld, "date '%s' is not a day YYYY-MM-DD%s", row.col[2], "");
	struct buf src = BUF_INIT;
	buf_printf(&src, "%s:%d", ld->path, ld->line);
	row.source = src.s;
	struct rules *rs = ld->rs;
	rs->rows[t] = nm_xrealloc(rs->rows[t], (rs->nrows[t] + 1) * sizeof *rs->rows[t]);
	rs->rows[t][rs->nrows[t]++] = row;
}

static void load_file(struct loader *ld, const char *dir, const char *name, int table)
{
	struct buf path = BUF_INIT;
	buf_printf(&path, "%s/%s", dir, name);
	ld->path = buf_str(&path);
	ld->line = 0;
	ld->file_first = ld->rs->n;
	FILE *f = fopen(ld->path, "r");
	if (!f) {
		problem(ld, "cannot read: %s%s", strerror(errno), "");
		buf_free(&path);
		return;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) >= 0) {
		ld->line++;
		hash_bytes(&ld->rs->hash, line, (size_t)n);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n > MAX_RULE_LINE)
			problem(ld, "line longer than %s bytes%s", "4000", "");
		else if (!utf8_valid(line, (size_t)n, NULL))
			problem(ld, "not valid UTF-8%s%s", "", "");
		else if (n == 0 || line[0] == '#')
			continue;
		else if (table >= 0)
			table_line(ld, table, line);
		else
			rules_line(ld, line);
	}
	free(line);
	fclose(f);
	buf_free(&path);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The new directory's patterns go first, so they are tried first. */
static void put_new_first(struct rules *rs, size_t first_new)
{
	size_t nnew = rs->n - first_new;
	if (first_new == 0 || nnew == 0)
		return;
	struct rule *v = nm_xmalloc(rs->n * sizeof *v);
	memcpy(v, rs->v + first_new, nnew * sizeof *v);
	memcpy(v + nnew, rs->v, first_new * sizeof *v);
	free(rs->v);
	rs->v = v;
}

static void list_dir(struct loader *ld, const char *dir, char ***names, size_t *n)
{
	DIR *d = opendir(dir);
	if (!d) {
		ld->path = dir;
		ld->line = 0;
		buf_printf(ld->errors, "%s: cannot open rules directory: %s\n", dir,
			   strerror(errno));
		ld->problems++;
		return;
	}
	for (struct dirent *e; (e = readdir(d));) {
		if (str_ends(e->d_name, ".rules") || table_of(e->d_name) >= 0) {
			*names = nm_xrealloc(*names, (*n + 1) * sizeof **names);
			(*names)[(*n)++] = nm_xstrdup(e->d_name);
		}
	}
	closedir(d);
	if (*n > 1)
		qsort(*names, *n, sizeof **names, by_name);
}

static void setup_matching(struct rules *rs)
{
	if (rs->md)
		return;
	rs->md = pcre2_match_data_create(64, NULL);
	rs->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(rs->mctx, MATCH_LIMIT);
	pcre2_set_depth_limit(rs->mctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(rs->mctx, HEAP_LIMIT_KIB);
	rs->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
	if (rs->jit)
		pcre2_jit_stack_assign(rs->mctx, NULL, rs->jit);
}

int rules_load(struct rules *rs, const char *dir, struct buf *errors)
{
	struct loader ld = {.rs = rs, .errors = errors, .first_new = rs->n};
	if (rs->hash == 0)
		rs->hash = 0xcbf29ce484222325ULL;
	char **names = NULL;
	size_t n = 0;
	list_dir(&ld, dir, &names, &n);
	if (n == 0 && ld.problems == 0) {
		buf_printf(errors,
			   "%s: no rules files (*.rules, *.aliases, ...) in the rules directory\n",
			   dir);
		ld.problems++;
	}
	for (size_t i = 0; i < n; i++) {
		hash_bytes(&rs->hash, names[i], strlen(names[i]) + 1);
		load_file(&ld, dir, names[i], table_of(names[i]));
		free(names[i]);
	}
	free(names);
	for (size_t i = 0; i < ld.ndefs; i++) {
		free(ld.defs[i].name);
		free(ld.defs[i].text);
	}
	free(ld.defs);
	put_new_first(rs, ld.first_new);
	setup_matching(rs);
	strmap_free(&rs->alias); /* later rows win: the last one put stays */
	for (size_t i = 0; i < rs->nrows[T_ALIAS]; i++)
		strmap_put(&rs->alias, rs->rows[T_ALIAS][i].col[0],
			   strlen(rs->rows[T_ALIAS][i].col[0]), i);
	rs->indexed = (size_t)-1; /* patterns changed: the name index is built anew */
	set_folds(rs);
	rules_words_reset(rs);
	return ld.problems;
}

int rules_from_args(struct rules *rs, int argc, char **argv, const struct rule_need *need,
		    struct buf *errors)
{
	int dirs = 0, problems = 0;
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--rules") == 0)
			dirs++, problems += rules_load(rs, argv[++i], errors);
	if (!dirs)
		problems += rules_load(rs, "rules", errors);
	return problems ? problems : rules_require(rs, need, errors); /* no cascade */
}

/* Whether the pattern has a group called name[0..n). */
static int has_group(const pcre2_code *re, const char *name, size_t n)
{
	char group[64];
	if (n == 0 || n >= sizeof group)
		return 0;
	memcpy(group, name, n);
	group[n] = '\0';
	return pcre2_substring_number_from_name(re, (PCRE2_SPTR)group) > 0;
}

/* One pattern against what its reader needs; a problem is reported at the
 * pattern's own file and line. */
static int check_need(const struct rule *r, const struct rule_need *need, struct buf *errors)
{
	int problems = 0;
	for (const char *g = need->groups; g && *g;) {
		size_t n = strcspn(g, ",");
		if (!has_group(r->re, g, n)) {
			buf_printf(
				errors,
				"%s: pattern %s has no group (?<%.*s>...), which the program reads\n",
				r->source, r->name, (int)n, g);
			problems++;
		}
		g += n + (g[n] == ',');
	}
	uint32_t min = 1;
	if (need->nonempty && pcre2_pattern_info(r->re, PCRE2_INFO_MINLENGTH, &min) == 0 &&
	    min == 0) {
		buf_printf(errors,
			   "%s: pattern %s can match the empty string; it must match some text\n",
			   r->source, r->name);
		problems++;
	}
	return problems;
}

int rules_require(const struct rules *rs, const struct rule_need *need, struct buf *errors)
{
	int problems = 0;
	for (; need && need->name; need++) {
		int found = 0;
		for (size_t i = 0; i < rs->n; i++) {
			if (strcmp(rs->v[i].name, need->name) != 0)
				continue;
			found = 1;
			problems += check_need(&rs->v[i], need, errors);
		}
		if (!found) {
			buf_printf(errors, "rules: no pattern named '%s'\n", need->name);
			problems++;
		}
	}
	return problems;
}

void rules_free(struct rules *rs)
{
	if (rs->nrows[T_FOLD])
		ntext_set_folds(NULL, NULL, 0);
	for (size_t i = 0; i < rs->n; i++) {
		struct rule *r = &rs->v[i];
		free(r->name);
		free(r->source);
		free(r->pattern);
		pcre2_code_free(r->re);
		for (size_t j = 0; j < r->nex; j++)
			free(r->ex[j].text);
		free(r->ex);
	}
	for (int t = 0; t < NTABLES; t++) {
		for (size_t i = 0; i < rs->nrows[t]; i++) {
			for (size_t c = 0; c < rs->rows[t][i].ncol; c++)
				free(rs->rows[t][i].col[c]);
			free(rs->rows[t][i].source);
		}
		free(rs->rows[t]);
	}
	for (size_t i = 0; i < rs->nset; i++) {
		free(rs->set_key[i]);
		free(rs->set_val[i]);
	}
	free(rs->v);
	free(rs->set_key);
	free(rs->set_val);
	free(rs->next_same);
	strmap_free(&rs->names);
	strmap_free(&rs->alias);
	rules_words_free(rs);
	free(rs->scan.next);
	free(rs->scan.known);
	pcre2_match_data_free(rs->md);
	pcre2_match_context_free(rs->mctx);
	pcre2_jit_stack_free(rs->jit);
	memset(rs, 0, sizeof *rs);
}

const char *rules_setting(const struct rules *rs, const char *key)
{
	for (size_t i = rs->nset; i-- > 0;)
		if (strcmp(rs->set_key[i], key) == 0)
			return rs->set_val[i];
	return NULL;
}

const char *rules_alias(const struct rules *rs, const char *unit)
{
	size_t i = strmap_get(&rs->alias, unit, strlen(unit));
	return i == STRMAP_NONE ? NULL : rs->rows[T_ALIAS][i].col[1];
}
