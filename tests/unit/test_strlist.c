/* test_strlist.c - the string list of lib/stream/strlist.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "stream/strlist.h"

static void test_strlist_keeps_order_and_copies(void **state)
{
	(void)state;
	struct strlist l = {0};
	char name[] = "市财政局";
	strlist_add(&l, name, strlen(name));
	name[0] = 'X'; /* the list owns its copy */
	strlist_add(&l, "市审计局xyz", strlen("市审计局"));
	char *j = strlist_join(&l, "|");
	assert_string_equal(j, "市财政局|市审计局");
	free(j);
	strlist_clear(&l);
	assert_int_equal(l.n, 0);
}

static void test_strlist_add_unique_adds_each_string_once(void **state)
{
	(void)state;
	struct strlist l = {0};
	strlist_add_unique(&l, "甲");
	strlist_add_unique(&l, "乙");
	strlist_add_unique(&l, "甲");
	assert_int_equal(l.n, 2);
	assert_true(strlist_has(&l, "乙"));
	assert_false(strlist_has(&l, "丙"));
	strlist_clear(&l);
}

static void test_strlist_join_of_nothing_is_an_empty_string(void **state)
{
	(void)state;
	struct strlist l = {0};
	char *j = strlist_join(&l, "、");
	assert_string_equal(j, "");
	free(j);
	strlist_clear(&l); /* clearing an empty list is allowed */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strlist_keeps_order_and_copies),
		cmocka_unit_test(test_strlist_add_unique_adds_each_string_once),
		cmocka_unit_test(test_strlist_join_of_nothing_is_an_empty_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
