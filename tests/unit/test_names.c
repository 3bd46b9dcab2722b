/* test_names.c - workbook names that stay with their notice (lib/batch/names.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "batch/names.h"
#include "stream/err.h"

static void add(struct inputs *in, const char *rel, const char *abs)
{
	in->v = realloc(in->v, (in->n + 1) * sizeof *in->v);
	struct input *x = &in->v[in->n++];
	memset(x, 0, sizeof *x);
	x->path = nm_xstrdup(abs);
	x->rel = nm_xstrdup(rel);
	x->abs = nm_xstrdup(abs);
}

static void test_names_keep_folders_and_replace_the_extension(void **state)
{
	(void)state;
	struct inputs in = {0};
	add(&in, "a/b/c.txt", "/in/a/b/c.txt");
	add(&in, "通知 (1).doc", "/in/通知 (1).doc");
	add(&in, ".hidden", "/in/.hidden");
	add(&in, "archive.tar.gz", "/in/archive.tar.gz");
	names_assign(&in, NULL, NULL);
	assert_string_equal(in.v[0].name, "a/b/c.xlsx");
	assert_string_equal(in.v[1].name, "通知 (1).xlsx");
	assert_string_equal(in.v[2].name, ".hidden.xlsx");
	assert_string_equal(in.v[3].name, "archive.tar.xlsx");
	inputs_free(&in);
}

static void test_the_program_names_are_reserved(void **state)
{
	(void)state;
	struct inputs in = {0};
	add(&in, "summary.txt", "/in/summary.txt");
	add(&in, "单位/x.txt", "/in/单位/x.txt");
	add(&in, ".notice-matrix.manifest.txt", "/in/.notice-matrix.manifest.txt");
	add(&in, "summary", "/in/summary");
	add(&in, "sub/summary.txt", "/in/sub/summary.txt");
	names_assign(&in, NULL, NULL);
	assert_string_equal(in.v[0].name, "summary.txt.xlsx");
	assert_string_equal(in.v[1].name, "_单位/x.xlsx");
	assert_string_equal(in.v[2].name, "_.notice-matrix.manifest.xlsx");
	assert_non_null(strstr(in.v[3].name, "summary-"));
	/* only the top-level name is the summary's */
	assert_string_equal(in.v[4].name, "sub/summary.xlsx");
	assert_true(names_reserved("report.tsv"));
	assert_true(names_reserved(".notice-matrix.lock"));
	assert_true(names_reserved(".a.xlsx.Ab12Cd.nmtmp"));
	assert_false(names_reserved("x/report.tsv"));
	inputs_free(&in);
}

static void test_a_clash_keeps_the_first_by_path_and_names_the_other_by_its_extension(void **state)
{
	(void)state;
	struct inputs in = {0};
	add(&in, "x.doc", "/in/x.doc");
	add(&in, "x.txt", "/in/x.txt");
	names_assign(&in, NULL, NULL);
	assert_string_equal(in.v[0].name, "x.xlsx");
	assert_string_equal(in.v[1].name, "x.txt.xlsx");
	inputs_free(&in);
}

static const char *known_txt(void *ctx, const char *abs)
{
	(void)ctx;
	return strcmp(abs, "/in/x.txt") == 0 ? "x.xlsx" : NULL;
}

static void test_a_name_the_manifest_knows_stays_with_its_notice(void **state)
{
	(void)state;
	struct inputs in = {0};
	add(&in, "x.doc", "/in/x.doc"); /* new, sorts first */
	add(&in, "x.txt", "/in/x.txt"); /* had x.xlsx */
	names_assign(&in, known_txt, NULL);
	assert_string_equal(in.v[1].name, "x.xlsx");
	assert_string_equal(in.v[0].name, "x.doc.xlsx");
	inputs_free(&in);
}

static void test_same_file_names_from_two_arguments_get_distinct_stable_names(void **state)
{
	(void)state;
	struct inputs a = {0}, b = {0};
	add(&a, "x.txt", "/one/x.txt");
	add(&a, "x.txt", "/two/x.txt");
	add(&a, "x.txt", "/three/x.txt");
	add(&b, "x.txt", "/one/x.txt");
	add(&b, "x.txt", "/two/x.txt");
	add(&b, "x.txt", "/three/x.txt");
	names_assign(&a, NULL, NULL);
	names_assign(&b, NULL, NULL);
	assert_string_equal(a.v[0].name, "x.xlsx");
	assert_string_equal(a.v[1].name, "x.txt.xlsx");
	assert_non_null(strstr(a.v[2].name, "x-"));
	assert_string_equal(a.v[2].name, b.v[2].name);
	assert_string_not_equal(a.v[1].name, a.v[2].name);
	inputs_free(&a);
	inputs_free(&b);
}

static void test_a_long_name_is_cut_on_a_character_and_given_a_stable_hash(void **state)
{
	(void)state;
	char rel[300] = "dir/";
	for (int i = 0; i < 80; i++)
		strcat(rel, "通"); /* 240 bytes */
	strcat(rel, ".txt");
	char *a = names_preferred(rel), *b = names_preferred(rel);
	const char *base = strrchr(a, '/') + 1;
	assert_true(strlen(base) - 5 <= NAMES_MAX);
	assert_string_equal(a, b);
	assert_int_equal(strncmp(a, "dir/", 4), 0);
	assert_non_null(strstr(a, "-"));
	/* Cut between characters: the stem before the hash is whole 3-byte characters. */
	size_t stem = (size_t)(strrchr(base, '-') - base);
	assert_int_equal(stem % 3, 0);
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names_keep_folders_and_replace_the_extension),
		cmocka_unit_test(test_the_program_names_are_reserved),
		cmocka_unit_test(
			test_a_clash_keeps_the_first_by_path_and_names_the_other_by_its_extension),
		cmocka_unit_test(test_a_name_the_manifest_knows_stays_with_its_notice),
		cmocka_unit_test(test_same_file_names_from_two_arguments_get_distinct_stable_names),
		cmocka_unit_test(test_a_long_name_is_cut_on_a_character_and_given_a_stable_hash),
	};
	return cmocka_run_group_tests_name("names", tests, NULL, NULL);
}
