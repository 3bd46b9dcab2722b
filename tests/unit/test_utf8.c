/* test_utf8.c - decoding, validation, width and normalisation of utf8.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "stream/utf8.h"

/* utf8_decode of a string literal of n bytes. */
static size_t decode(const char *s, size_t n, uint32_t *cp)
{
	*cp = 0xDEADBEEF;
	return utf8_decode(s, n, cp);
}

/* The normalised form of s (n bytes) and the count of dropped characters. */
static size_t normalise(struct buf *out, const char *s, size_t n)
{
	buf_reset(out);
	return utf8_normalise(out, s, n);
}

static void test_utf8_decode_reads_one_to_four_byte_sequences(void **state)
{
	(void)state;
	uint32_t c;
	assert_int_equal(decode("A", 1, &c), 1);
	assert_int_equal(c, 'A');
	assert_int_equal(decode("\xC2\xA0", 2, &c), 2);
	assert_int_equal(c, 0xA0);
	assert_int_equal(decode("中", 3, &c), 3);
	assert_int_equal(c, 0x4E2D);
	assert_int_equal(decode("\xF0\xA0\x80\x80", 4, &c), 4);
	assert_int_equal(c, 0x20000);
	assert_int_equal(decode("\xF4\x8F\xBF\xBF", 4, &c), 4);
	assert_int_equal(c, 0x10FFFF);
	assert_int_equal(decode("\xEF\xBB\xBF", 3, &c), 3);
	assert_int_equal(c, 0xFEFF);
}

static void test_utf8_decode_reads_only_the_first_of_several_characters(void **state)
{
	(void)state;
	uint32_t c;
	assert_int_equal(decode("马杰", 6, &c), 3);
	assert_int_equal(c, 0x9A6C);
}

static void test_utf8_decode_of_empty_input_is_invalid(void **state)
{
	(void)state;
	uint32_t c;
	assert_int_equal(decode("", 0, &c), 0);
}

static void test_utf8_decode_rejects_overlong_forms(void **state)
{
	(void)state;
	uint32_t c;
	assert_int_equal(decode("\xC0\xAF", 2, &c), 0); /* '/' in two bytes */
	assert_int_equal(decode("\xC1\xBF", 2, &c), 0);
	assert_int_equal(decode("\xE0\x80\xAF", 3, &c), 0);     /* '/' in three */
	assert_int_equal(decode("\xE0\x9F\xBF", 3, &c), 0);     /* U+07FF in three */
	assert_int_equal(decode("\xF0\x80\x80\xAF", 4, &c), 0); /* '/' in four */
	assert_int_equal(decode("\xF0\x8F\xBF\xBF", 4, &c), 0); /* U+FFFF in four */
}

static void test_utf8_decode_rejects_surrogates(void **state)
{
	(void)state;
	uint32_t c;
	assert_int_equal(decode("\xED\xA0\x80", 3, &c), 0); /* U+D800 */
	assert_int_equal(decode("\xED\xBF\xBF", 3, &c), 0); /* U+DFFF */
	assert_int_equal(decode("\xED\x9F\xBF", 3, &c), 3); /* U+D7FF is fine */
	assert_int_equal(c, 0xD7FF);
	assert_int_equal(decode("\xEE\x80\x80", 3, &c), 3); /* U+E000 is fine */
	assert_int_equal(c, 0xE000);
}

static void test_utf8_decode_rejects_code_points_above_10FFFF(void **state)
{
	(void)state;
	uint32_t c;
	assert_int_equal(decode("\xF4\x90\x80\x80", 4, &c), 0); /* U+110000 */
	assert_int_equal(decode("\xF5\x80\x80\x80", 4, &c), 0);
	assert_int_equal(decode("\xF7\xBF\xBF\xBF", 4, &c), 0);
	assert_int_equal(decode("\xF8\x88\x80\x80\x80", 5, &c), 0);
	assert_int_equal(decode("\xFF", 1, &c), 0);
}

static void test_utf8_decode_rejects_truncated_sequences(void **state)
{
	(void)state;
	uint32_t c;
	assert_int_equal(decode("\xE4\xB8", 2, &c), 0);
	assert_int_equal(decode("\xE4", 1, &c), 0);
	assert_int_equal(decode("\xF0\xA0\x80", 3, &c), 0);
	assert_int_equal(decode("\xC2", 1, &c), 0);
	/* A length smaller than the sequence cuts it, whatever follows. */
	assert_int_equal(decode("中", 2, &c), 0);
	/* A lead byte followed by a non-continuation byte. */
	/* Adjacent literals end a \x escape: clang-format 14 would break them apart. */
	/* clang-format off */
	assert_int_equal(decode("\xE4\xB8" "A", 3, &c), 0);
	assert_int_equal(decode("\xC2" "A", 2, &c), 0);
	/* clang-format on */
}

static void test_utf8_decode_rejects_lone_continuation_bytes(void **state)
{
	(void)state;
	uint32_t c;
	assert_int_equal(decode("\x80", 1, &c), 0);
	assert_int_equal(decode("\xBF\xBF", 2, &c), 0);
}

static void test_utf8_encode_roundtrips_with_decode(void **state)
{
	(void)state;
	const uint32_t cps[] = {0x41,   0x7F,   0x80,   0x7FF,   0x800,
				0x4E2D, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF};
	const size_t lens[] = {1, 1, 2, 2, 3, 3, 3, 3, 4, 4};
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
		char out[4];
		uint32_t c;
		size_t n = utf8_encode(cps[i], out);
		assert_int_equal(n, lens[i]);
		assert_int_equal(utf8_decode(out, n, &c), n);
		assert_int_equal(c, cps[i]);
	}
	char out[4];
	assert_int_equal(utf8_encode(0x4E2D, out), 3);
	assert_memory_equal(out, "中", 3);
}

static void test_utf8_valid_accepts_ascii_and_chinese(void **state)
{
	(void)state;
	const char *s = "关于印发 plan 的通知(2021)";
	size_t bad = 12345;
	assert_true(utf8_valid(s, strlen(s), &bad));
	assert_int_equal(bad, 12345); /* untouched */
	assert_true(utf8_valid("", 0, NULL));
}

static void test_utf8_valid_reports_the_offset_of_the_first_bad_byte(void **state)
{
	(void)state;
	size_t bad = 0;
	const char s1[] = "ab中\xFF"
			  "cd\x80";
	assert_false(utf8_valid(s1, sizeof s1 - 1, &bad));
	assert_int_equal(bad, 5);
	const char s2[] = "\xC0\xAF";
	assert_false(utf8_valid(s2, 2, &bad));
	assert_int_equal(bad, 0);
	const char s3[] = "通知\xE4\xB8";
	assert_false(utf8_valid(s3, sizeof s3 - 1, &bad));
	assert_int_equal(bad, 6);
	assert_false(utf8_valid(s3, sizeof s3 - 1, NULL));
}

static void test_utf8_valid_stops_at_the_given_length(void **state)
{
	(void)state;
	const char s[] = "中文\xFF";
	assert_true(utf8_valid(s, 6, NULL));
	assert_false(utf8_valid(s, 5, NULL));
}

static void test_utf8_chars_counts_code_points(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars("", 0), 0);
	assert_int_equal(utf8_chars("abc", 3), 3);
	assert_int_equal(utf8_chars("马杰", 6), 2);
	assert_int_equal(utf8_chars("a中\xF0\xA0\x80\x80z", 9), 4);
	/* Only the first n bytes count. */
	assert_int_equal(utf8_chars("马杰", 3), 1);
}

static void test_utf8_chars_counts_each_invalid_byte_once(void **state)
{
	(void)state;
	assert_int_equal(utf8_chars("\xFF\xFE", 2), 2);
	assert_int_equal(utf8_chars("中\xE4\xB8", 5), 3);
	/* Adjacent literals end a \x escape: clang-format 14 would break them apart. */
	/* clang-format off */
	assert_int_equal(utf8_chars("a\x80" "b", 3), 3);
	/* clang-format on */
}

static void test_utf8_width_counts_cjk_as_two_and_ascii_as_one(void **state)
{
	(void)state;
	assert_int_equal(utf8_width(""), 0);
	assert_int_equal(utf8_width("abc"), 3);
	assert_int_equal(utf8_width("市财政局"), 8);
	assert_int_equal(utf8_width("2021年6月"), 9);
	assert_int_equal(utf8_width("，。"), 4); /* full-width comma, ideographic stop */
	assert_int_equal(utf8_width("——"), 4);   /* em dashes, as Chinese text sets them */
	assert_int_equal(utf8_width("한"), 2);   /* Hangul */
	assert_int_equal(utf8_width("\xF0\xA0\x80\x80"), 2); /* CJK extension B */
	assert_int_equal(utf8_width("é"), 1);
}

static void test_utf8_width_counts_invalid_bytes_as_one_each(void **state)
{
	(void)state;
	/* Adjacent literals end a \x escape: clang-format 14 would break them apart. */
	/* clang-format off */
	assert_int_equal(utf8_width("a\xFF\xFE" "b"), 4);
	/* clang-format on */
}

static void test_utf8_normalise_turns_full_width_punctuation_into_ascii(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *s = "牵头单位：市财政局，市审计局；（一）ＡＢ１２！～";
	assert_int_equal(normalise(&b, s, strlen(s)), 0);
	assert_string_equal(buf_str(&b), "牵头单位:市财政局,市审计局;(一)AB12!~");
	buf_free(&b);
}

static void test_utf8_normalise_keeps_chinese_punctuation_without_ascii_form(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *s = "一、任务。“通知”〔2021〕";
	normalise(&b, s, strlen(s));
	assert_string_equal(buf_str(&b), s);
	buf_free(&b);
}

static void test_utf8_normalise_turns_ideographic_space_and_nbsp_into_spaces(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *s = "马\u3000杰\xC2\xA0王\tA\u2003B\u202FC";
	assert_int_equal(normalise(&b, s, strlen(s)), 0);
	assert_string_equal(buf_str(&b), "马 杰 王 A B C");
	buf_free(&b);
}

static void test_utf8_normalise_drops_nul_and_counts_it(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char s[] = "a\0b\0c";
	assert_int_equal(normalise(&b, s, sizeof s - 1), 2);
	assert_string_equal(buf_str(&b), "abc");
	assert_int_equal(b.len, 3);
	buf_free(&b);
}

static void test_utf8_normalise_drops_and_counts_control_characters(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char s[] = "a\x01"
			 "b\x1B"
			 "c\x7F"
			 "d\xC2\x85"
			 "e\r";
	assert_int_equal(normalise(&b, s, sizeof s - 1), 5);
	assert_string_equal(buf_str(&b), "abcde");
	buf_free(&b);
}

static void test_utf8_normalise_drops_zero_width_marks_and_bom_without_counting(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *s = "\xEF\xBB\xBF关\u200B于\u200C印\u200D发\u2060通\xC2\xAD知";
	assert_int_equal(normalise(&b, s, strlen(s)), 0);
	assert_string_equal(buf_str(&b), "关于印发通知");
	buf_free(&b);
}

static void test_utf8_normalise_trims_trailing_spaces(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *s = "市财政局  \u3000\t\xC2\xA0";
	normalise(&b, s, strlen(s));
	assert_string_equal(buf_str(&b), "市财政局");
	assert_int_equal(b.len, strlen("市财政局"));
	buf_free(&b);
}

static void test_utf8_normalise_trims_spaces_before_dropped_controls(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char s[] = "abc \x01 \r";
	assert_int_equal(normalise(&b, s, sizeof s - 1), 2);
	assert_string_equal(buf_str(&b), "abc");
	buf_free(&b);
}

static void test_utf8_normalise_keeps_leading_indentation(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *s = "\u3000\u3000一、总体要求";
	normalise(&b, s, strlen(s));
	assert_string_equal(buf_str(&b), "  一、总体要求");
	buf_free(&b);
}

static void test_utf8_normalise_of_blank_line_is_empty(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *s = " \u3000 \t";
	normalise(&b, s, strlen(s));
	assert_string_equal(buf_str(&b), "");
	assert_int_equal(b.len, 0);
	assert_int_equal(normalise(&b, "", 0), 0);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
}

static void test_utf8_normalise_replaces_invalid_bytes_by_fffd(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char s[] = "a\xFF"
			 "b\xC0\xAF"
			 "c";
	assert_int_equal(normalise(&b, s, sizeof s - 1), 0);
	assert_string_equal(buf_str(&b),
			    "a" UTF8_REPLACEMENT "b" UTF8_REPLACEMENT UTF8_REPLACEMENT "c");
	buf_free(&b);
}

static void test_utf8_normalise_keeps_fffd_at_end_of_line(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char s[] = "通知\xE4";
	normalise(&b, s, sizeof s - 1);
	assert_string_equal(buf_str(&b), "通知" UTF8_REPLACEMENT);
	buf_free(&b);
}

static void test_utf8_normalise_appends_to_existing_text(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "前:");
	const char *s = "后  ";
	utf8_normalise(&b, s, strlen(s));
	assert_string_equal(buf_str(&b), "前:后");
	/* A blank line appended leaves what was there, spaces included. */
	buf_reset(&b);
	buf_adds(&b, "x ");
	utf8_normalise(&b, "   ", 3);
	assert_string_equal(buf_str(&b), "x ");
	buf_free(&b);
}

static void test_utf8_scrub_keeps_newline_and_tab(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	utf8_scrub(&b, "第一行\n\t第二行");
	assert_string_equal(buf_str(&b), "第一行\n\t第二行");
	buf_free(&b);
}

static void test_utf8_scrub_drops_other_control_characters(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	utf8_scrub(&b, "a\x01"
		       "b\rc\x1F"
		       "d\x0B");
	assert_string_equal(buf_str(&b), "abcd");
	buf_free(&b);
}

/*
 * BUG (minor): utf8.h says utf8_scrub drops "NUL and other control
 * characters", but it keeps DEL (0x7F) and the C1 controls U+0080-U+009F:
 * input "a\x7F" "b\xC2\x85" "c" gives "a\x7F" "b\xC2\x85" "c", expected "abc"
 * (utf8_normalise does drop them). Remove the skip() when fixed.
 */
static void test_utf8_scrub_drops_del_and_c1_controls(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	utf8_scrub(&b, "a\x7F"
		       "b\xC2\x85"
		       "c");
	assert_string_equal(buf_str(&b), "abc");
	buf_free(&b);
}

static void test_utf8_scrub_stops_at_nul(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char s[] = "ab\0cd";
	utf8_scrub(&b, s);
	assert_string_equal(buf_str(&b), "ab");
	assert_int_equal(b.len, 2);
	buf_free(&b);
}

static void test_utf8_scrub_appends_to_existing_text(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_adds(&b, "A:");
	utf8_scrub(&b, "");
	assert_string_equal(buf_str(&b), "A:");
	utf8_scrub(&b, "b\x01"
		       "c");
	assert_string_equal(buf_str(&b), "A:bc");
	buf_free(&b);
}

static void test_utf8_scrub_replaces_invalid_bytes_by_fffd(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	utf8_scrub(&b, "通\xFF知\xE4\xB8");
	assert_string_equal(buf_str(&b),
			    "通" UTF8_REPLACEMENT "知" UTF8_REPLACEMENT UTF8_REPLACEMENT);
	buf_free(&b);
}

/*
 * BUG: utf8_scrub(&b, "") on a never-grown buffer calls buf_grow(out, 0),
 * which allocates without writing the terminating NUL: b.s then points to
 * uninitialised bytes (seen: "]" where "" was expected), and buf_str(&b)
 * returns them. Remove the skip() when utf8.c (or buf_grow) is fixed.
 */
static void test_utf8_scrub_of_empty_string_allocates_an_empty_string(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	utf8_scrub(&b, "");
	assert_non_null(b.s);
	assert_string_equal(b.s, "");
	buf_free(&b);
}

static void test_str_squeeze_spaces_removes_every_ascii_space(void **state)
{
	(void)state;
	char a[] = "马 杰";
	str_squeeze_spaces(a);
	assert_string_equal(a, "马杰");
	char b[] = "  王  强 ";
	str_squeeze_spaces(b);
	assert_string_equal(b, "王强");
	char c[] = "";
	str_squeeze_spaces(c);
	assert_string_equal(c, "");
	char d[] = "赵\u3000蕾";
	str_squeeze_spaces(d);
	assert_string_equal(d, "赵\u3000蕾"); /* only ASCII spaces */
}

static void test_str_trim_cuts_leading_and_trailing_spaces(void **state)
{
	(void)state;
	const char *s = "  市财政局   ";
	size_t n = strlen(s);
	const char *t = str_trim(s, &n);
	assert_ptr_equal(t, s + 2);
	assert_int_equal(n, strlen("市财政局"));
	assert_memory_equal(t, "市财政局", n);
}

static void test_str_trim_respects_the_given_length(void **state)
{
	(void)state;
	const char *s = " ab  cd";
	size_t n = 5; /* " ab  " */
	const char *t = str_trim(s, &n);
	assert_ptr_equal(t, s + 1);
	assert_int_equal(n, 2);
}

static void test_str_trim_of_only_spaces_gives_length_zero(void **state)
{
	(void)state;
	const char *s = "    ";
	size_t n = 4;
	str_trim(s, &n);
	assert_int_equal(n, 0);
	const char *empty = "";
	n = 0;
	assert_ptr_equal(str_trim(empty, &n), empty);
	assert_int_equal(n, 0);
}

static void test_str_trim_leaves_tabs(void **state)
{
	(void)state;
	const char *s = "\tx\t";
	size_t n = 3;
	assert_ptr_equal(str_trim(s, &n), s);
	assert_int_equal(n, 3);
}

static void test_str_starts_and_str_ends_compare_bytes(void **state)
{
	(void)state;
	assert_true(str_starts("关于印发方案的通知", "关于"));
	assert_true(str_starts("abc", ""));
	assert_true(str_starts("abc", "abc"));
	assert_false(str_starts("abc", "abcd"));
	assert_false(str_starts("关于", "印发"));
	assert_true(str_ends("headings.rules", ".rules"));
	assert_true(str_ends("abc", ""));
	assert_true(str_ends("通知", "通知"));
	assert_false(str_ends("rules", ".rules"));
	assert_false(str_ends("units.aliases", ".rules"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_decode_reads_one_to_four_byte_sequences),
		cmocka_unit_test(test_utf8_decode_reads_only_the_first_of_several_characters),
		cmocka_unit_test(test_utf8_decode_of_empty_input_is_invalid),
		cmocka_unit_test(test_utf8_decode_rejects_overlong_forms),
		cmocka_unit_test(test_utf8_decode_rejects_surrogates),
		cmocka_unit_test(test_utf8_decode_rejects_code_points_above_10FFFF),
		cmocka_unit_test(test_utf8_decode_rejects_truncated_sequences),
		cmocka_unit_test(test_utf8_decode_rejects_lone_continuation_bytes),
		cmocka_unit_test(test_utf8_encode_roundtrips_with_decode),
		cmocka_unit_test(test_utf8_valid_accepts_ascii_and_chinese),
		cmocka_unit_test(test_utf8_valid_reports_the_offset_of_the_first_bad_byte),
		cmocka_unit_test(test_utf8_valid_stops_at_the_given_length),
		cmocka_unit_test(test_utf8_chars_counts_code_points),
		cmocka_unit_test(test_utf8_chars_counts_each_invalid_byte_once),
		cmocka_unit_test(test_utf8_width_counts_cjk_as_two_and_ascii_as_one),
		cmocka_unit_test(test_utf8_width_counts_invalid_bytes_as_one_each),
		cmocka_unit_test(test_utf8_normalise_turns_full_width_punctuation_into_ascii),
		cmocka_unit_test(test_utf8_normalise_keeps_chinese_punctuation_without_ascii_form),
		cmocka_unit_test(test_utf8_normalise_turns_ideographic_space_and_nbsp_into_spaces),
		cmocka_unit_test(test_utf8_normalise_drops_nul_and_counts_it),
		cmocka_unit_test(test_utf8_normalise_drops_and_counts_control_characters),
		cmocka_unit_test(
			test_utf8_normalise_drops_zero_width_marks_and_bom_without_counting),
		cmocka_unit_test(test_utf8_normalise_trims_trailing_spaces),
		cmocka_unit_test(test_utf8_normalise_trims_spaces_before_dropped_controls),
		cmocka_unit_test(test_utf8_normalise_keeps_leading_indentation),
		cmocka_unit_test(test_utf8_normalise_of_blank_line_is_empty),
		cmocka_unit_test(test_utf8_normalise_replaces_invalid_bytes_by_fffd),
		cmocka_unit_test(test_utf8_normalise_keeps_fffd_at_end_of_line),
		cmocka_unit_test(test_utf8_normalise_appends_to_existing_text),
		cmocka_unit_test(test_utf8_scrub_keeps_newline_and_tab),
		cmocka_unit_test(test_utf8_scrub_drops_other_control_characters),
		cmocka_unit_test(test_utf8_scrub_drops_del_and_c1_controls),
		cmocka_unit_test(test_utf8_scrub_stops_at_nul),
		cmocka_unit_test(test_utf8_scrub_appends_to_existing_text),
		cmocka_unit_test(test_utf8_scrub_replaces_invalid_bytes_by_fffd),
		cmocka_unit_test(test_utf8_scrub_of_empty_string_allocates_an_empty_string),
		cmocka_unit_test(test_str_squeeze_spaces_removes_every_ascii_space),
		cmocka_unit_test(test_str_trim_cuts_leading_and_trailing_spaces),
		cmocka_unit_test(test_str_trim_respects_the_given_length),
		cmocka_unit_test(test_str_trim_of_only_spaces_gives_length_zero),
		cmocka_unit_test(test_str_trim_leaves_tabs),
		cmocka_unit_test(test_str_starts_and_str_ends_compare_bytes),
	};
	return cmocka_run_group_tests_name("utf8", tests, NULL, NULL);
}
