/* test_units.c - string lists and the unit and leader splitting of units.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "notice/units.h"

static int setup(void **state)
{
	static struct rules rs;
	struct buf err = BUF_INIT;
	memset(&rs, 0, sizeof rs);
	int problems = rules_load(&rs, "rules", &err);
	if (problems)
		print_error("rules: %s", buf_str(&err));
	buf_free(&err);
	*state = &rs;
	return problems ? -1 : 0;
}

static int teardown(void **state)
{
	rules_free(*state);
	return 0;
}

/* Splits s and checks the names against the NULL-terminated want. */
static void assert_split(void **state, int leaders, const char *s, const char *const *want)
{
	struct strlist l = {0};
	if (leaders)
		leaders_split(*state, s, strlen(s), &l);
	else
		units_split(*state, s, strlen(s), &l);
	char *got = strlist_join(&l, "|");
	size_t n = 0;
	while (want[n])
		n++;
	if (l.n != n)
		fail_msg("\"%s\" split into %zu names [%s], expected %zu", s, l.n, got, n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(l.v[i], want[i]) != 0)
			fail_msg("\"%s\": name %zu is \"%s\" [%s], expected \"%s\"", s, i, l.v[i], got,
				 want[i]);
	free(got);
	strlist_clear(&l);
}

#define UNITS(s, ...) assert_split(state, 0, s, (const char *const[]){__VA_ARGS__, NULL})
#define LEADERS(s, ...) assert_split(state, 1, s, (const char *const[]){__VA_ARGS__, NULL})

static void test_strlist_add_copies_the_given_bytes(void **state)
{
	(void)state;
	struct strlist l = {0};
	char name[] = "市财政局和";
	strlist_add(&l, name, strlen("市财政局"));
	name[0] = 'X';
	assert_int_equal(l.n, 1);
	assert_string_equal(l.v[0], "市财政局");
	strlist_clear(&l);
	assert_int_equal(l.n, 0);
	assert_null(l.v);
}

static void test_strlist_add_unique_skips_equal_strings(void **state)
{
	(void)state;
	struct strlist l = {0};
	strlist_add_unique(&l, "市财政局");
	strlist_add_unique(&l, "市审计局");
	strlist_add_unique(&l, "市财政局");
	strlist_add_unique(&l, "市财政局 ");
	assert_int_equal(l.n, 3);
	assert_true(strlist_has(&l, "市审计局"));
	assert_true(strlist_has(&l, "市财政局 "));
	assert_false(strlist_has(&l, "市水务局"));
	strlist_clear(&l);
}

static void test_strlist_join_puts_separator_between_names(void **state)
{
	(void)state;
	struct strlist l = {0};
	strlist_add_unique(&l, "市财政局");
	strlist_add_unique(&l, "市审计局");
	strlist_add_unique(&l, "市水务局");
	char *s = strlist_join(&l, "、");
	assert_string_equal(s, "市财政局、市审计局、市水务局");
	free(s);
	strlist_clear(&l);
}

static void test_strlist_join_of_one_name_has_no_separator(void **state)
{
	(void)state;
	struct strlist l = {0};
	strlist_add_unique(&l, "市财政局");
	char *s = strlist_join(&l, "、");
	assert_string_equal(s, "市财政局");
	free(s);
	strlist_clear(&l);
}

static void test_strlist_join_of_empty_list_is_empty_string(void **state)
{
	(void)state;
	struct strlist l = {0};
	char *s = strlist_join(&l, "、");
	assert_non_null(s);
	assert_string_equal(s, "");
	free(s);
	assert_false(strlist_has(&l, ""));
	strlist_clear(&l);
}

static void test_units_split_reads_comma_and_dunhao_lists_and_drops_final_stop(void **state)
{
	UNITS("各县区人民政府,海东工业园区管委会,市发展改革委、市财政局。", "各县区人民政府",
	      "海东工业园区管委会", "市发展改革委", "市财政局");
}

static void test_units_split_splits_he_between_two_full_unit_names(void **state)
{
	UNITS("市财政局和市审计局", "市财政局", "市审计局");
	UNITS("市委组织部及市人力资源社会保障局", "市委组织部", "市人力资源社会保障局");
	UNITS("市住建局、市水务局和各县区人民政府", "市住建局", "市水务局", "各县区人民政府");
}

static void test_units_split_keeps_he_inside_a_unit_name(void **state)
{
	UNITS("市人力资源和社会保障局", "市人力资源和社会保障局");
	UNITS("市工业和信息化委", "市工业和信息化委");
	UNITS("市文化和旅游局、市住房和城乡建设局", "市文化和旅游局", "市住房和城乡建设局");
}

static void test_units_split_drops_deng_at_the_end(void **state)
{
	UNITS("市水务局等", "市水务局");
	UNITS("市财政局、市水务局等单位。", "市财政局", "市水务局");
	UNITS("市财政局等有关单位", "市财政局");
}

static void test_units_split_reads_semicolon_lists(void **state)
{
	UNITS("市财政局;市审计局", "市财政局", "市审计局");
	UNITS("市财政局 ; 市审计局;", "市财政局", "市审计局");
}

static void test_units_split_trims_spaces_and_skips_empty_names(void **state)
{
	UNITS("  市财政局 、、 市审计局 ", "市财政局", "市审计局");
}

static void test_units_split_of_blank_text_gives_no_name(void **state)
{
	struct strlist l = {0};
	units_split(*state, "", 0, &l);
	units_split(*state, "  。", strlen("  。"), &l);
	assert_int_equal(l.n, 0);
	strlist_clear(&l);
}

static void test_units_split_appends_to_the_list(void **state)
{
	struct strlist l = {0};
	strlist_add_unique(&l, "市政府办公室");
	const char *s = "市财政局、市审计局";
	units_split(*state, s, strlen(s), &l);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "市政府办公室");
	assert_string_equal(l.v[2], "市审计局");
	strlist_clear(&l);
}

static void test_units_split_respects_the_given_length(void **state)
{
	struct strlist l = {0};
	const char *s = "市财政局、市审计局、市水务局";
	units_split(*state, s, strlen("市财政局、市审计局"), &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[1], "市审计局");
	strlist_clear(&l);
}

static void test_leaders_split_removes_the_space_inside_a_name(void **state)
{
	LEADERS("马 杰", "马杰");
}

static void test_leaders_split_splits_at_dunhao_and_squeezes_each_name(void **state)
{
	LEADERS("王  强、赵 蕾", "王强", "赵蕾");
	LEADERS("王强,赵蕾;李明/张华", "王强", "赵蕾", "李明", "张华");
}

static void test_leaders_split_drops_trailing_punctuation(void **state)
{
	LEADERS("马 杰、王 强。", "马杰", "王强");
}

static void test_leaders_split_leaves_earlier_list_entries_alone(void **state)
{
	struct strlist l = {0};
	strlist_add(&l, "a b", 3);
	leaders_split(*state, "马 杰", strlen("马 杰"), &l);
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "a b");
	assert_string_equal(l.v[1], "马杰");
	strlist_clear(&l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strlist_add_copies_the_given_bytes),
		cmocka_unit_test(test_strlist_add_unique_skips_equal_strings),
		cmocka_unit_test(test_strlist_join_puts_separator_between_names),
		cmocka_unit_test(test_strlist_join_of_one_name_has_no_separator),
		cmocka_unit_test(test_strlist_join_of_empty_list_is_empty_string),
		cmocka_unit_test(test_units_split_reads_comma_and_dunhao_lists_and_drops_final_stop),
		cmocka_unit_test(test_units_split_splits_he_between_two_full_unit_names),
		cmocka_unit_test(test_units_split_keeps_he_inside_a_unit_name),
		cmocka_unit_test(test_units_split_drops_deng_at_the_end),
		cmocka_unit_test(test_units_split_reads_semicolon_lists),
		cmocka_unit_test(test_units_split_trims_spaces_and_skips_empty_names),
		cmocka_unit_test(test_units_split_of_blank_text_gives_no_name),
		cmocka_unit_test(test_units_split_appends_to_the_list),
		cmocka_unit_test(test_units_split_respects_the_given_length),
		cmocka_unit_test(test_leaders_split_removes_the_space_inside_a_name),
		cmocka_unit_test(test_leaders_split_splits_at_dunhao_and_squeezes_each_name),
		cmocka_unit_test(test_leaders_split_drops_trailing_punctuation),
		cmocka_unit_test(test_leaders_split_leaves_earlier_list_entries_alone),
	};
	return cmocka_run_group_tests_name("units", tests, setup, teardown);
}
