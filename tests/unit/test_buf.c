/* test_buf.c - the growable string of buf.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "stream/buf.h"

static void test_buf_str_of_empty_buffer_is_empty_string(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_non_null(buf_str(&b));
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_buf_add_appends_bytes_and_terminates(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add(&b, "abcdef", 3);
	buf_adds(&b, "马杰");
	buf_addc(&b, '!');
	assert_string_equal(buf_str(&b), "abc马杰!");
	assert_int_equal(b.len, strlen("abc马杰!"));
	assert_true(b.cap > b.len);
	assert_int_equal(b.s[b.len], '\0');
	buf_free(&b);
}

static void test_buf_add_keeps_embedded_nul_in_length(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.s, "a\0b", 4);
	buf_free(&b);
}

static void test_buf_grows_past_many_doublings(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_addc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10000);
	assert_true(b.cap >= 10001);
	assert_int_equal(b.s[0], 'a');
	assert_int_equal(b.s[9999], 'a' + 9999 % 26);
	assert_int_equal(b.s[10000], '\0');
	buf_free(&b);
}

static void test_buf_printf_appends_formatted_text(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "x=");
	buf_printf(&b, "%d;%s;%zu", 42, "牵头", (size_t)7);
	assert_string_equal(buf_str(&b), "x=42;牵头;7");
	assert_int_equal(b.len, strlen("x=42;牵头;7"));
	buf_free(&b);
}

static void test_buf_printf_of_long_text_grows_buffer(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	char big[1000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_printf(&b, "[%s]", big);
	assert_int_equal(b.len, 1001);
	assert_int_equal(b.s[0], '[');
	assert_int_equal(b.s[1000], ']');
	assert_int_equal(b.s[1001], '\0');
	buf_free(&b);
}

static void test_buf_printf_of_empty_format_gives_empty_string(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%s", "");
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.len, 0);
	buf_free(&b);
}

static void test_buf_reset_empties_but_keeps_storage(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "some text");
	char *storage = b.s;
	size_t cap = b.cap;
	buf_reset(&b);
	assert_int_equal(b.len, 0);
	assert_string_equal(buf_str(&b), "");
	assert_ptr_equal(b.s, storage);
	assert_int_equal(b.cap, cap);
	buf_adds(&b, "new");
	assert_string_equal(buf_str(&b), "new");
	buf_free(&b);
}

static void test_buf_reset_of_never_grown_buffer_is_harmless(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_reset(&b);
	assert_null(b.s);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void test_buf_grow_reserves_room_without_changing_contents(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "abc");
	buf_grow(&b, 1000);
	assert_true(b.cap >= b.len + 1000 + 1);
	assert_int_equal(b.len, 3);
	assert_string_equal(buf_str(&b), "abc");
	buf_free(&b);
}

/*
 * BUG: buf.h promises a string "always NUL-terminated", but buf_grow() on a
 * never-grown buffer allocates without writing the NUL, so buf_str() then
 * returns uninitialised bytes (expected ""). utf8_scrub(&b, "") hits this.
 * Remove the skip() when buf_grow is fixed.
 */
static void test_buf_grow_of_never_grown_buffer_leaves_empty_string(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_grow(&b, 10);
	assert_non_null(b.s);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void test_buf_free_leaves_a_reusable_empty_buffer(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "abc");
	buf_free(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
	buf_adds(&b, "again");
	assert_string_equal(buf_str(&b), "again");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_buf_str_of_empty_buffer_is_empty_string),
		cmocka_unit_test(test_buf_add_appends_bytes_and_terminates),
		cmocka_unit_test(test_buf_add_keeps_embedded_nul_in_length),
		cmocka_unit_test(test_buf_grows_past_many_doublings),
		cmocka_unit_test(test_buf_printf_appends_formatted_text),
		cmocka_unit_test(test_buf_printf_of_long_text_grows_buffer),
		cmocka_unit_test(test_buf_printf_of_empty_format_gives_empty_string),
		cmocka_unit_test(test_buf_reset_empties_but_keeps_storage),
		cmocka_unit_test(test_buf_reset_of_never_grown_buffer_is_harmless),
		cmocka_unit_test(test_buf_grow_reserves_room_without_changing_contents),
		cmocka_unit_test(test_buf_grow_of_never_grown_buffer_leaves_empty_string),
		cmocka_unit_test(test_buf_free_leaves_a_reusable_empty_buffer),
	};
	return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
