/* test_rules.c - loading, reporting and matching of rules.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "notice/layout.h"
#include "notice/tasks.h"
#include "rules/rules.h"
#include "stream/ntext.h"

/* A temporary rules directory, removed with everything in it. */
struct tmpdir {
	char path[64];
};

static void tmpdir_make(struct tmpdir *t)
{
	snprintf(t->path, sizeof t->path, "/tmp/nm-test-rules.XXXXXX");
	assert_non_null(mkdtemp(t->path));
}

static void tmpdir_write(const struct tmpdir *t, const char *name, const char *text)
{
	char path[256];
	snprintf(path, sizeof path, "%s/%s", t->path, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static void tmpdir_remove(struct tmpdir *t)
{
	DIR *d = opendir(t->path);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "%s/%s", t->path, e->d_name);
		assert_int_equal(unlink(path), 0);
	}
	closedir(d);
	assert_int_equal(rmdir(t->path), 0);
}

/* Loads a directory holding one file; returns the number of problems. */
static int load_one(struct rules *rs, struct buf *err, const char *name, const char *text)
{
	struct tmpdir t;
	tmpdir_make(&t);
	tmpdir_write(&t, name, text);
	int problems = rules_load(rs, t.path, err);
	/* Messages name the directory: make them comparable. */
	struct buf fixed = BUF_INIT;
	const char *s = buf_str(err);
	size_t plen = strlen(t.path);
	for (const char *hit; (hit = strstr(s, t.path));) {
		buf_add(&fixed, s, (size_t)(hit - s));
		buf_adds(&fixed, "DIR");
		s = hit + plen;
	}
	buf_adds(&fixed, s);
	buf_reset(err);
	buf_adds(err, buf_str(&fixed));
	buf_free(&fixed);
	tmpdir_remove(&t);
	return problems;
}

static int str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static const struct rule *find_rule(const struct rules *rs, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (strcmp(rs->v[i].name, name) == 0)
			return &rs->v[i];
	return NULL;
}

/* The named group as a new string ("(unset)" when unset); caller frees. */
static char *group(const struct match *m, const char *name)
{
	size_t n;
	const char *s = match_group(m, name, &n);
	return strndup(s ? s : "(unset)", s ? n : 7);
}

static void assert_group(const struct match *m, const char *name, const char *want)
{
	char *got = group(m, name);
	assert_string_equal(got, want);
	free(got);
}

static void test_rules_real_directory_loads_without_problems(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	assert_string_equal(buf_str(&err), "");
	assert_int_equal(rs.broken, 0);
	assert_true(rs.n > 20);
	assert_non_null(rules_alias(&rs, "市发改委"));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_shipped_satisfy_every_stage(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	assert_int_equal(rules_require(&rs, LAYOUT_NEEDS, &err), 0);
	assert_int_equal(rules_require(&rs, TASKS_NEEDS, &err), 0);
	assert_string_equal(buf_str(&err), "");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_require_reports_each_missing_name(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	static const struct rule_need need[] = {
		{"heading.l1", NULL, 0},
		{"no.such", NULL, 0},
		{"heading.l9", NULL, 0},
		{NULL, NULL, 0},
	};
	assert_int_equal(rules_require(&rs, need, &err), 2);
	assert_string_equal(buf_str(&err), "rules: no pattern named 'no.such'\n"
					   "rules: no pattern named 'heading.l9'\n");
	rules_free(&rs);
	buf_free(&err);
}

/* A user's pattern that names a group the program does not read fails at
 * load, at its own file and line, instead of silently finding nothing. */
static void test_rules_require_reports_a_missing_group_at_its_line(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(load_one(&rs, &err, "x.rules", "# a comment\nfield.x\t^(?<val>.*)$\n"), 0);
	static const struct rule_need need[] = {{"field.x", "value", 0}, {NULL, NULL, 0}};
	assert_int_equal(rules_require(&rs, need, &err), 1);
	assert_non_null(
		strstr(buf_str(&err), "x.rules:2: pattern field.x has no group (?<value>...)"));
	rules_free(&rs);
	buf_free(&err);
}

/* A pattern that can match nothing at all would make a scan stand still. */
static void test_rules_require_refuses_an_empty_match_where_text_is_needed(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(load_one(&rs, &err, "x.rules", "date.x\t(?<y>[0-9]*)\n"), 0);
	static const struct rule_need need[] = {{"date.x", "y", 1}, {NULL, NULL, 0}};
	assert_int_equal(rules_require(&rs, need, &err), 1);
	assert_non_null(
		strstr(buf_str(&err), "x.rules:1: pattern date.x can match the empty string"));
	static const struct rule_need lenient[] = {{"date.x", "y", 0}, {NULL, NULL, 0}};
	buf_reset(&err);
	assert_int_equal(rules_require(&rs, lenient, &err), 0);
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_words_scan_finds_the_longest_word_first(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(
		load_one(&rs, &err, "x.words", "role\t牵头\nrole\t牵头负责\nother\t配合\n"), 0);
	const char *s = "由市教育局牵头负责实施";
	size_t a, b;
	assert_true(rules_words_scan(&rs, "role", s, strlen(s), 0, 0, &a, &b));
	assert_int_equal(b - a, strlen("牵头负责"));
	assert_false(rules_words_scan(&rs, "role", s, strlen(s), 0, 1, &a, &b)); /* not at 0 */
	assert_true(rules_words_is(&rs, "other", "配合", strlen("配合")));
	assert_false(rules_words_is(&rs, "other", "牵头", strlen("牵头")));
	assert_true(rules_words_before(&rs, "role", s, strlen("由市教育局牵头负责"), &a));
	assert_int_equal(a, strlen("由市教育局"));
	assert_int_equal(rules_words_count(&rs, "role"), 2);
	assert_int_equal(rules_words_count(&rs, "none"), 0);
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_words_are_literal_not_patterns(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(load_one(&rs, &err, "x.words", "unit\t责任(配合)单位\n"), 0);
	const char *s = "责任(配合)单位:市财政局";
	size_t a, b;
	assert_true(rules_words_scan(&rs, "unit", s, strlen(s), 0, 1, &a, &b));
	assert_int_equal(b, strlen("责任(配合)单位"));
	rules_free(&rs);
	buf_free(&err);
}

/* Later rows of an alias table win, and a lookup does not scan the table. */
static void test_rules_alias_later_rows_win(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(load_one(&rs, &err, "x.aliases", "市甲局\t市乙局\n市甲局\t市丙局\n"), 0);
	assert_string_equal(rules_alias(&rs, "市甲局"), "市丙局");
	assert_null(rules_alias(&rs, "市丁局"));
	rules_free(&rs);
	buf_free(&err);
}

/* A *.fold table: characters matched as others, the written text kept; a
 * row that is not one Han character a column is reported at its line. */
static void test_rules_fold_matches_traditional_as_simplified(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(load_one(&rs, &err, "x.fold", "# pairs\n牽\t牵\n頭\t头\n單\t单\n"), 0);
	struct ntext t = NTEXT_INIT;
	ntext_set(&t, "牽頭單位：市財政局", strlen("牽頭單位：市財政局"));
	assert_string_equal(t.norm.s, "牵头单位:市財政局");
	assert_string_equal(t.orig.s, "牽頭單位：市財政局");
	char *w = ntext_dup(&t, 0, strlen("牵头单位"));
	assert_string_equal(w, "牽頭單位");
	free(w);
	rules_free(&rs); /* the table goes with the rules */
	ntext_set(&t, "牽頭", strlen("牽頭"));
	assert_string_equal(t.norm.s, "牽頭");
	ntext_free(&t);
	assert_int_equal(load_one(&rs, &err, "y.fold", "牽頭\t牵头\n"), 1);
	assert_string_equal(buf_str(&err), "DIR/y.fold:1: expected one Han character in each "
					   "column, got '牽頭\t牵头'\n");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_pattern_error_gives_file_line_and_character_position(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	/* 关于印发(通知: 7 characters, 19 bytes; the error is at its end. */
	int problems = load_one(&rs, &err, "bad.rules", "# a comment\ntitle\t关于印发(通知\n");
	assert_int_equal(problems, 1);
	assert_string_equal(
		buf_str(&err),
		"DIR/bad.rules:2: pattern error at character 8: missing closing parenthesis\n");
	assert_int_equal(rs.broken, 1);
	assert_null(find_rule(&rs, "title"));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_pattern_error_position_counts_characters_not_bytes(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	/* The stray ) is the 3rd character, but starts at byte 6. */
	int problems = load_one(&rs, &err, "bad.rules", "x\t关于)x\n");
	assert_int_equal(problems, 1);
	assert_string_equal(buf_str(&err), "DIR/bad.rules:1: pattern error at character 3: "
					   "unmatched closing parenthesis\n");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_every_bad_line_is_reported_not_only_the_first(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "two.rules",
				"a\t(unclosed\n"
				"good\tfine\n"
				"b\t[unclosed\n");
	assert_int_equal(problems, 2);
	const char *e = buf_str(&err);
	assert_non_null(strstr(e, "DIR/two.rules:1: pattern error at character 10: "
				  "missing closing parenthesis\n"));
	assert_non_null(strstr(e, "DIR/two.rules:3: pattern error at character "));
	assert_non_null(strstr(e, "missing terminating ] for character class\n"));
	assert_non_null(find_rule(&rs, "good"));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_problems_in_several_files_are_all_reported(void **state)
{
	(void)state;
	struct tmpdir t;
	tmpdir_make(&t);
	tmpdir_write(&t, "a.rules", "x\t(\n");
	tmpdir_write(&t, "b.rules", "y\t${NOPE}\n");
	tmpdir_write(&t, "c.aliases", "no tab here\n");
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = rules_load(&rs, t.path, &err);
	tmpdir_remove(&t);
	assert_int_equal(problems, 3);
	assert_non_null(strstr(buf_str(&err), "/a.rules:1: pattern error"));
	assert_non_null(strstr(buf_str(&err), "/b.rules:1: undefined name ${NOPE}"));
	assert_non_null(strstr(buf_str(&err),
			       "/c.aliases:1: expected ALIAS<TAB>CANONICAL, got 'no tab here'"));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_undefined_name_is_reported(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "u.rules", "define A abc\nx\t${A}${MISSING}\n");
	assert_int_equal(problems, 1);
	assert_string_equal(buf_str(&err), "DIR/u.rules:2: undefined name ${MISSING}\n");
	assert_null(find_rule(&rs, "x"));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_undefined_name_inside_a_define_is_reported(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "u.rules", "define A ${LATER}x\ndefine LATER y\n");
	assert_int_equal(problems, 1);
	assert_string_equal(buf_str(&err), "DIR/u.rules:1: undefined name ${LATER}\n");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_example_before_any_pattern_is_reported(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "e.rules",
				"# examples first\n+ 一、总体要求\n- 二是\nx\tabc\n+ abc\n");
	assert_int_equal(problems, 2);
	assert_string_equal(buf_str(&err), "DIR/e.rules:2: example + before any pattern\n"
					   "DIR/e.rules:3: example - before any pattern\n");
	const struct rule *r = find_rule(&rs, "x");
	assert_non_null(r);
	assert_int_equal(r->nex, 1);
	rules_free(&rs);
	buf_free(&err);
}

/*
 * BUG: an example at the top of a second file is attached to the last
 * pattern of the previous file instead of being reported: with a.rules
 * "x<TAB>abc" and b.rules "+ orphan<NL>y<TAB>def", rules_load returns 0 and
 * "orphan" becomes an example of x (loaded from a.rules), so nm-ruletest
 * blames a.rules. Expected: 1 problem "DIR/b.rules:1: example + before any
 * pattern". Remove the skip() when rules.c is fixed.
 */
static void test_rules_example_at_top_of_second_file_is_reported(void **state)
{
	(void)state;
	struct tmpdir t;
	tmpdir_make(&t);
	tmpdir_write(&t, "a.rules", "x\tabc\n");
	tmpdir_write(&t, "b.rules", "+ orphan\ny\tdef\n");
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = rules_load(&rs, t.path, &err);
	tmpdir_remove(&t);
	assert_int_equal(problems, 1);
	assert_non_null(strstr(buf_str(&err), "/b.rules:1: example + before any pattern"));
	assert_int_equal(find_rule(&rs, "x")->nex, 0);
	rules_free(&rs);
	buf_free(&err);
}

/*
 * BUG: the character position of a pattern error counts characters of the
 * pattern after ${NAME} expansion, which the author never sees: with
 * "define A 一二三" and "x<TAB>${A}a)b" the stray ) is character 6 of the
 * written pattern, but the message says "character 9" (its place in
 * "(?:一二三)a)b"). Remove the skip() when rules.c maps the offset back.
 */
static void test_rules_error_position_refers_to_the_written_pattern(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "p.rules", "define A 一二三\nx\t${A}a)b\n");
	assert_int_equal(problems, 1);
	assert_string_equal(buf_str(&err), "DIR/p.rules:2: pattern error at character 6: "
					   "unmatched closing parenthesis\n");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_name_without_pattern_is_reported(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "n.rules", "lonely\n");
	assert_int_equal(problems, 1);
	assert_string_equal(buf_str(&err), "DIR/n.rules:1: 'lonely' has no pattern\n");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_invalid_utf8_line_is_reported(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "g.rules", "ok\tabc\nbad\t\xB9\xD8\xD3\xDA\n");
	assert_int_equal(problems, 1);
	assert_string_equal(buf_str(&err), "DIR/g.rules:2: not valid UTF-8\n");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_missing_directory_is_reported(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "/nonexistent/nm-rules", &err), 1);
	assert_string_equal(buf_str(&err), "/nonexistent/nm-rules: cannot open rules directory: "
					   "No such file or directory\n");
	assert_int_equal(rs.n, 0);
	rules_free(&rs);
	buf_free(&err);
}

/*
 * BUG: for a directory without rules files, list_dir() calls
 * qsort(NULL, 0, ...), undefined behaviour that UBSan stops at
 * (pipeline/rules.c list_dir: "null pointer passed as argument 1, which is
 * declared to never be null"), so make san fails here. In the plain build
 * the problem is reported as it should be. Remove the skip() once list_dir
 * sorts only a non-empty list.
 */
static void test_rules_directory_without_rules_files_is_reported(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "notes.txt", "x\tabc\n");
	assert_int_equal(problems, 1);
	assert_true(str_starts_with(buf_str(&err), "DIR: no rules files"));
	assert_int_equal(rs.n, 0);
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_comments_blank_lines_and_crlf_are_accepted(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "c.rules", "# comment\r\n\r\n\nx\t^abc$\r\n+ abc\r\n");
	assert_int_equal(problems, 0);
	const struct rule *r = find_rule(&rs, "x");
	assert_non_null(r);
	assert_string_equal(r->pattern, "^abc$");
	assert_int_equal(r->nex, 1);
	assert_string_equal(r->ex[0].text, "abc");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_pattern_after_a_tab_may_start_with_a_space(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "s.rules", "cut\t +(?=x)\nword  abc\n");
	assert_int_equal(problems, 0);
	assert_string_equal(find_rule(&rs, "cut")->pattern, " +(?=x)");
	assert_string_equal(find_rule(&rs, "word")->pattern, "abc");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_alias_row_without_canonical_name_is_reported(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "a.aliases", "市发改委\t\n市交通局\t市交通运输局\n");
	assert_int_equal(problems, 1);
	assert_string_equal(buf_str(&err),
			    "DIR/a.aliases:1: expected ALIAS<TAB>CANONICAL, got '市发改委\t'\n");
	assert_null(rules_alias(&rs, "市发改委"));
	assert_string_equal(rules_alias(&rs, "市交通局"), "市交通运输局");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_examples_are_attached_with_sign_and_line(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "x.rules", "x\t^一\n+ 一、总体要求\n-\t二、\ny\tz\n");
	assert_int_equal(problems, 0);
	const struct rule *r = find_rule(&rs, "x");
	assert_int_equal(r->nex, 2);
	assert_int_equal(r->ex[0].sign, '+');
	assert_int_equal(r->ex[0].line, 2);
	assert_string_equal(r->ex[0].text, "一、总体要求");
	assert_int_equal(r->ex[1].sign, '-');
	assert_int_equal(r->ex[1].line, 3);
	assert_string_equal(r->ex[1].text, "二、");
	assert_int_equal(find_rule(&rs, "y")->nex, 0);
	assert_non_null(strstr(r->source, "/x.rules:1"));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_define_is_expanded_as_a_group(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "d.rules",
				"define A a|b\ndefine AB ${A}x\nx\t^${AB}c$\n");
	assert_int_equal(problems, 0);
	const struct rule *r = find_rule(&rs, "x");
	assert_string_equal(r->pattern, "^(?:(?:a|b)x)c$");
	struct match m;
	assert_int_equal(rules_match(&rs, "x", "bxc", 3, &m), 1);
	assert_int_equal(rules_match(&rs, "x", "ax", 2, &m), 0);
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_match_returns_named_groups(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	struct match m;
	const char *s = "  2018年5月29日";
	assert_int_equal(rules_match(&rs, "header.date", s, strlen(s), &m), 1);
	assert_string_equal(m.rule->name, "header.date");
	assert_group(&m, "y", "2018");
	assert_group(&m, "m", "5");
	assert_group(&m, "d", "29");
	assert_group(&m, "no_such_group", "(unset)");
	assert_int_equal(match_start(&m), 0);
	assert_int_equal(match_end(&m), strlen(s));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_match_group_of_unset_group_is_null(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	struct match m;
	const char *s = "2021年3月";
	assert_int_equal(rules_match(&rs, "header.date", s, strlen(s), &m), 1);
	size_t len = 99;
	assert_null(match_group(&m, "d", &len));
	assert_int_equal(len, 0);
	assert_group(&m, "m", "3");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_match_without_match_returns_zero(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	struct match m;
	const char *s = "一是加强组织领导";
	assert_int_equal(rules_match(&rs, "heading.l1", s, strlen(s), &m), 0);
	assert_int_equal(rules_match(&rs, "no.such.name", s, strlen(s), &m), 0);
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_match_reads_a_heading_of_the_real_rules(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	struct match m;
	const char *s = "(十二)发展新产业培育新动能";
	assert_int_equal(rules_match(&rs, "heading.l2", s, strlen(s), &m), 1);
	assert_group(&m, "num", "十二");
	assert_group(&m, "text", "发展新产业培育新动能");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_match_reports_a_match_limit_error_as_negative(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	/* Catastrophic backtracking; the match limit stops it. */
	int problems = load_one(&rs, &err, "slow.rules", "slow\t^(?:a+)+$\n");
	assert_int_equal(problems, 0);
	char s[64];
	memset(s, 'a', 40);
	s[40] = 'b';
	s[41] = '\0';
	struct match m;
	int rc = rules_match(&rs, "slow", s, strlen(s), &m);
	assert_true(rc < 0);
	char msg[128];
	assert_true(strlen(rules_strerror(rc, msg, sizeof msg)) > 0);
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_scan_finds_the_earliest_match_of_several_patterns(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "w.rules", "word\tdef\nword\t(?<w>abc)\n");
	assert_int_equal(problems, 0);
	const char *s = "abc def abc";
	struct match m;
	/* rules_match takes the first pattern that matches at all ... */
	assert_int_equal(rules_match(&rs, "word", s, strlen(s), &m), 1);
	assert_string_equal(m.rule->pattern, "def");
	/* ... rules_scan the pattern that matches earliest. */
	assert_int_equal(rules_scan(&rs, "word", s, strlen(s), 0, &m), 1);
	assert_string_equal(m.rule->pattern, "(?<w>abc)");
	assert_int_equal(match_start(&m), 0);
	assert_int_equal(match_end(&m), 3);
	assert_group(&m, "w", "abc");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_scan_respects_the_start_offset(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "w.rules", "word\tdef\nword\tabc\n");
	assert_int_equal(problems, 0);
	const char *s = "abc def abc";
	struct match m;
	assert_int_equal(rules_scan(&rs, "word", s, strlen(s), 1, &m), 1);
	assert_string_equal(m.rule->pattern, "def");
	assert_int_equal(match_start(&m), 4);
	assert_int_equal(rules_scan(&rs, "word", s, strlen(s), 5, &m), 1);
	assert_string_equal(m.rule->pattern, "abc");
	assert_int_equal(match_start(&m), 8);
	assert_int_equal(rules_scan(&rs, "word", s, strlen(s), 9, &m), 0);
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_scan_keeps_the_look_behind_context_before_start(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	/* A deadline without year must not follow a digit or 年: that lies before start. */
	const char *s = "2023年5月底前";
	struct match m;
	size_t start = strlen("2023年");
	assert_int_equal(rules_scan(&rs, "deadline", s, strlen(s), start, &m), 0);
	s = "于5月底前";
	assert_int_equal(rules_scan(&rs, "deadline", s, strlen(s), strlen("于"), &m), 1);
	assert_int_equal(match_start(&m), strlen("于"));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_second_directory_is_tried_first(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	size_t before = rs.n;
	int problems = load_one(&rs, &err, "local.rules",
				"heading.l1\t^(?<num>一)、(?<text>基本)\n");
	assert_int_equal(problems, 0);
	assert_int_equal(rs.n, before + 1);
	struct match m;
	const char *s = "一、基本原则";
	assert_int_equal(rules_match(&rs, "heading.l1", s, strlen(s), &m), 1);
	assert_non_null(strstr(m.rule->source, "/local.rules:1"));
	assert_group(&m, "text", "基本");
	/* The patterns of the first directory still apply. */
	s = "二、主要任务";
	assert_int_equal(rules_match(&rs, "heading.l1", s, strlen(s), &m), 1);
	assert_true(str_starts_with(m.rule->source, "rules/headings.rules:"));
	assert_group(&m, "text", "主要任务");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_alias_of_second_directory_wins(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	assert_string_equal(rules_alias(&rs, "市发改委"), "市发展改革委");
	int problems = load_one(
		&rs, &err, "local.aliases",
		"# local names\n市发改委\t市发展和改革委员会\n 市规划局 \t 市自然资源局 \n");
	assert_int_equal(problems, 0);
	assert_string_equal(rules_alias(&rs, "市发改委"), "市发展和改革委员会");
	assert_string_equal(rules_alias(&rs, "市规划局"), "市自然资源局");
	assert_string_equal(rules_alias(&rs, "市住建局"), "市住房城乡建设局");
	assert_null(rules_alias(&rs, "市财政局"));
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_setting_of_second_directory_wins(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	assert_int_equal(rules_load(&rs, "rules", &err), 0);
	assert_string_equal(rules_setting(&rs, "first_listed_leads"), "auto");
	assert_null(rules_setting(&rs, "no_such_setting"));
	int problems = load_one(&rs, &err, "local.rules",
				"set first_listed_leads no\nset note 两个 词\n");
	assert_int_equal(problems, 0);
	assert_string_equal(rules_setting(&rs, "first_listed_leads"), "no");
	assert_string_equal(rules_setting(&rs, "note"), "两个 词");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_later_setting_in_one_file_wins(void **state)
{
	(void)state;
	struct rules rs = {0};
	struct buf err = BUF_INIT;
	int problems = load_one(&rs, &err, "s.rules", "set k one\nset k two\nx\ty\n");
	assert_int_equal(problems, 0);
	assert_string_equal(rules_setting(&rs, "k"), "two");
	rules_free(&rs);
	buf_free(&err);
}

static void test_rules_hash_changes_when_a_rules_file_changes(void **state)
{
	(void)state;
	struct tmpdir t;
	tmpdir_make(&t);
	struct buf err = BUF_INIT;
	uint64_t h[4];
	int problems = 0;
	/* The third is the second changed; the fourth the same under another name. */
	const char *names[] = {"a.rules", "a.rules", "a.rules", "b.rules"};
	const char *texts[] = {"x\tabc\n", "x\tabc\n", "x\tabd\n", "x\tabd\n"};
	for (int i = 0; i < 4; i++) {
		struct rules rs = {0};
		char path[256];
		snprintf(path, sizeof path, "%s/a.rules", t.path);
		unlink(path);
		tmpdir_write(&t, names[i], texts[i]);
		problems += rules_load(&rs, t.path, &err);
		h[i] = rs.hash;
		rules_free(&rs);
	}
	tmpdir_remove(&t);
	assert_int_equal(problems, 0);
	assert_true(h[0] == h[1]);
	assert_true(h[0] != h[2]);
	assert_true(h[2] != h[3]);
	assert_true(h[0] != 0);
	buf_free(&err);
}

static void test_rules_hash_of_real_directory_is_stable(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	struct rules a = {0}, b = {0};
	assert_int_equal(rules_load(&a, "rules", &err), 0);
	assert_int_equal(rules_load(&b, "rules", &err), 0);
	assert_true(a.hash == b.hash);
	rules_free(&a);
	rules_free(&b);
	buf_free(&err);
}

static void test_rules_free_of_zeroed_rules_is_harmless(void **state)
{
	(void)state;
	struct rules rs = {0};
	rules_free(&rs);
	rules_free(&rs);
	assert_int_equal(rs.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_real_directory_loads_without_problems),
		cmocka_unit_test(test_rules_shipped_satisfy_every_stage),
		cmocka_unit_test(test_rules_require_reports_each_missing_name),
		cmocka_unit_test(test_rules_require_reports_a_missing_group_at_its_line),
		cmocka_unit_test(test_rules_require_refuses_an_empty_match_where_text_is_needed),
		cmocka_unit_test(test_rules_words_scan_finds_the_longest_word_first),
		cmocka_unit_test(test_rules_words_are_literal_not_patterns),
		cmocka_unit_test(test_rules_alias_later_rows_win),
		cmocka_unit_test(test_rules_fold_matches_traditional_as_simplified),
		cmocka_unit_test(test_rules_pattern_error_gives_file_line_and_character_position),
		cmocka_unit_test(test_rules_pattern_error_position_counts_characters_not_bytes),
		cmocka_unit_test(test_rules_every_bad_line_is_reported_not_only_the_first),
		cmocka_unit_test(test_rules_problems_in_several_files_are_all_reported),
		cmocka_unit_test(test_rules_undefined_name_is_reported),
		cmocka_unit_test(test_rules_undefined_name_inside_a_define_is_reported),
		cmocka_unit_test(test_rules_example_before_any_pattern_is_reported),
		cmocka_unit_test(test_rules_example_at_top_of_second_file_is_reported),
		cmocka_unit_test(test_rules_error_position_refers_to_the_written_pattern),
		cmocka_unit_test(test_rules_name_without_pattern_is_reported),
		cmocka_unit_test(test_rules_invalid_utf8_line_is_reported),
		cmocka_unit_test(test_rules_missing_directory_is_reported),
		cmocka_unit_test(test_rules_directory_without_rules_files_is_reported),
		cmocka_unit_test(test_rules_comments_blank_lines_and_crlf_are_accepted),
		cmocka_unit_test(test_rules_pattern_after_a_tab_may_start_with_a_space),
		cmocka_unit_test(test_rules_alias_row_without_canonical_name_is_reported),
		cmocka_unit_test(test_rules_examples_are_attached_with_sign_and_line),
		cmocka_unit_test(test_rules_define_is_expanded_as_a_group),
		cmocka_unit_test(test_rules_match_returns_named_groups),
		cmocka_unit_test(test_rules_match_group_of_unset_group_is_null),
		cmocka_unit_test(test_rules_match_without_match_returns_zero),
		cmocka_unit_test(test_rules_match_reads_a_heading_of_the_real_rules),
		cmocka_unit_test(test_rules_match_reports_a_match_limit_error_as_negative),
		cmocka_unit_test(test_rules_scan_finds_the_earliest_match_of_several_patterns),
		cmocka_unit_test(test_rules_scan_respects_the_start_offset),
		cmocka_unit_test(test_rules_scan_keeps_the_look_behind_context_before_start),
		cmocka_unit_test(test_rules_second_directory_is_tried_first),
		cmocka_unit_test(test_rules_alias_of_second_directory_wins),
		cmocka_unit_test(test_rules_setting_of_second_directory_wins),
		cmocka_unit_test(test_rules_later_setting_in_one_file_wins),
		cmocka_unit_test(test_rules_hash_changes_when_a_rules_file_changes),
		cmocka_unit_test(test_rules_hash_of_real_directory_is_stable),
		cmocka_unit_test(test_rules_free_of_zeroed_rules_is_harmless),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
