/* test_rec.c - the escaped, TAB-separated record stream of rec.c. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/rec.h"

/* The bytes a writer produced; the caller frees *text. */
struct sink {
	FILE *f;
	char *text;
	size_t len;
};

static void sink_open(struct sink *s)
{
	s->text = NULL;
	s->len = 0;
	s->f = open_memstream(&s->text, &s->len);
	assert_non_null(s->f);
}

static void sink_close(struct sink *s)
{
	assert_int_equal(fclose(s->f), 0);
	s->f = NULL;
}

/* A stream reading the n bytes of text; text must outlive it. */
static FILE *source(const char *text, size_t n)
{
	FILE *f = fmemopen((void *)text, n, "r");
	assert_non_null(f);
	return f;
}

static void test_rec_put_writes_type_and_tab_separated_fields(void **state)
{
	(void)state;
	struct sink s;
	sink_open(&s);
	rec_put(s.f, "line", "12", "一、总体要求", NULL);
	sink_close(&s);
	assert_string_equal(s.text, "line\t12\t一、总体要求\n");
	free(s.text);
}

static void test_rec_put_escapes_tab_newline_cr_and_backslash(void **state)
{
	(void)state;
	struct sink s;
	sink_open(&s);
	rec_put(s.f, "x", "a\tb\nc\rd\\e", NULL);
	sink_close(&s);
	assert_string_equal(s.text, "x\ta\\tb\\nc\\rd\\\\e\n");
	free(s.text);
}

static void test_rec_roundtrips_tab_newline_cr_and_backslash(void **state)
{
	(void)state;
	const char *fields[] = {"a\tb", "第一行\n第二行", "cr\r\nlf", "C:\\dir\\n", "\\\\t",
				"",     "\t\n\r\\"};
	struct sink s;
	sink_open(&s);
	rec_put(s.f, "task", fields[0], fields[1], fields[2], fields[3], fields[4], fields[5],
		fields[6], NULL);
	sink_close(&s);

	FILE *in = source(s.text, s.len);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_int_equal(r.nf, 8);
	assert_true(rec_is(&r, "task"));
	for (size_t i = 0; i < 7; i++)
		assert_string_equal(rec_field(&r, i + 1), fields[i]);
	assert_int_equal(rec_read(&r, in), 0);
	fclose(in);
	rec_free(&r);
	free(s.text);
}

static void test_rec_put_fieldn_and_long_build_a_record(void **state)
{
	(void)state;
	struct sink s;
	sink_open(&s);
	fputs("meta", s.f);
	rec_put_fieldn(s.f, "encodingXXX", 8);
	rec_put_long(s.f, -42);
	rec_put_field(s.f, "a\tb");
	rec_end(s.f);
	sink_close(&s);
	assert_string_equal(s.text, "meta\tencoding\t-42\ta\\tb\n");

	FILE *in = source(s.text, s.len);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_int_equal(r.nf, 4);
	assert_string_equal(rec_field(&r, 1), "encoding");
	assert_string_equal(rec_field(&r, 2), "-42");
	assert_string_equal(rec_field(&r, 3), "a\tb");
	fclose(in);
	rec_free(&r);
	free(s.text);
}

static void test_rec_field_beyond_the_end_is_empty_string(void **state)
{
	(void)state;
	const char text[] = "doc\tsamples/a.txt\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_int_equal(r.nf, 2);
	assert_string_equal(rec_field(&r, 1), "samples/a.txt");
	assert_string_equal(rec_field(&r, 2), "");
	assert_string_equal(rec_field(&r, 1000), "");
	fclose(in);
	rec_free(&r);
}

static void test_rec_read_replaces_bytes_that_are_not_utf8_in_text_records(void **state)
{
	(void)state;
	const char text[] = "para\t3\tab\xff\xe5\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_string_equal(rec_field(&r, 2), "ab\xEF\xBF\xBD\xEF\xBF\xBD");
	assert_string_equal(buf_str(&r.raw), "para\t3\tab\xEF\xBF\xBD\xEF\xBF\xBD");
	fclose(in);
	rec_free(&r);
}

static void test_rec_read_keeps_the_bytes_of_a_file_name(void **state)
{
	(void)state;
	const char text[] = "doc\t\xbb\xe1.txt\tx.xlsx\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_string_equal(rec_field(&r, 1), "\xbb\xe1.txt");
	fclose(in);
	rec_free(&r);
}

static void test_rec_field_of_fresh_record_is_empty_string(void **state)
{
	(void)state;
	struct rec r = REC_INIT;
	assert_string_equal(rec_field(&r, 0), "");
	assert_false(rec_is(&r, ""));
	rec_free(&r);
}

static void test_rec_pass_reproduces_the_raw_line(void **state)
{
	(void)state;
	const char text[] = "heading\t20\t(一)加快\\t建设\t2\t一\t\ttrailing\\\\\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_string_equal(rec_field(&r, 2), "(一)加快\t建设");
	struct sink s;
	sink_open(&s);
	rec_pass(s.f, &r);
	sink_close(&s);
	assert_string_equal(s.text, text);
	fclose(in);
	rec_free(&r);
	free(s.text);
}

static void test_rec_empty_line_is_a_record_with_one_empty_field(void **state)
{
	(void)state;
	const char text[] = "\nend\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_int_equal(r.nf, 1);
	assert_string_equal(rec_field(&r, 0), "");
	assert_true(rec_is(&r, ""));
	assert_false(rec_is(&r, "end"));
	assert_int_equal(rec_read(&r, in), 1);
	assert_true(rec_is(&r, "end"));
	assert_int_equal(r.nf, 1);
	assert_int_equal(rec_read(&r, in), 0);
	fclose(in);
	rec_free(&r);
}

static void test_rec_trailing_tab_gives_a_last_empty_field(void **state)
{
	(void)state;
	const char text[] = "task\ta\t\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_int_equal(r.nf, 3);
	assert_string_equal(rec_field(&r, 1), "a");
	assert_string_equal(rec_field(&r, 2), "");
	fclose(in);
	rec_free(&r);
}

static void test_rec_read_accepts_last_line_without_newline(void **state)
{
	(void)state;
	const char text[] = "line\t1\tabc\nend";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_int_equal(rec_read(&r, in), 1);
	assert_true(rec_is(&r, "end"));
	assert_int_equal(r.raw.len, 3);
	assert_int_equal(rec_read(&r, in), 0);
	fclose(in);
	rec_free(&r);
}

static void test_rec_read_counts_lines(void **state)
{
	(void)state;
	const char text[] = "a\nb\nc\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	for (unsigned long i = 1; i <= 3; i++) {
		assert_int_equal(rec_read(&r, in), 1);
		assert_int_equal(r.lineno, i);
	}
	assert_int_equal(rec_read(&r, in), 0);
	fclose(in);
	rec_free(&r);
}

static void test_rec_read_of_many_fields_keeps_all(void **state)
{
	(void)state;
	struct sink s;
	sink_open(&s);
	fputs("many", s.f);
	for (long i = 0; i < 100; i++)
		rec_put_long(s.f, i);
	rec_end(s.f);
	sink_close(&s);
	FILE *in = source(s.text, s.len);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_int_equal(r.nf, 101);
	assert_string_equal(rec_field(&r, 1), "0");
	assert_string_equal(rec_field(&r, 100), "99");
	fclose(in);
	rec_free(&r);
	free(s.text);
}

static void test_rec_read_keeps_a_lone_trailing_backslash(void **state)
{
	(void)state;
	const char text[] = "x\tend\\\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_string_equal(rec_field(&r, 1), "end\\");
	fclose(in);
	rec_free(&r);
}

/*
 * BUG: FORMAT.md says a reader unescapes exactly \t \n \r \\; rec_read
 * also unescapes any other "\X" into "X" (input "x\ta\qb" gives field
 * "aqb", expected "a\qb"). Remove the skip() when rec.c is fixed.
 */
static void test_rec_read_leaves_unknown_escape_as_written(void **state)
{
	(void)state;
	const char text[] = "x\ta\\qb\n";
	FILE *in = source(text, sizeof text - 1);
	struct rec r = REC_INIT;
	assert_int_equal(rec_read(&r, in), 1);
	assert_string_equal(rec_field(&r, 1), "a\\qb");
	fclose(in);
	rec_free(&r);
}

static void test_rec_free_accepts_unused_record(void **state)
{
	(void)state;
	struct rec r = REC_INIT;
	rec_free(&r);
	rec_free(&r);
	assert_null(r.line);
	assert_null(r.f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rec_put_writes_type_and_tab_separated_fields),
		cmocka_unit_test(test_rec_read_replaces_bytes_that_are_not_utf8_in_text_records),
		cmocka_unit_test(test_rec_read_keeps_the_bytes_of_a_file_name),
		cmocka_unit_test(test_rec_put_escapes_tab_newline_cr_and_backslash),
		cmocka_unit_test(test_rec_roundtrips_tab_newline_cr_and_backslash),
		cmocka_unit_test(test_rec_put_fieldn_and_long_build_a_record),
		cmocka_unit_test(test_rec_field_beyond_the_end_is_empty_string),
		cmocka_unit_test(test_rec_field_of_fresh_record_is_empty_string),
		cmocka_unit_test(test_rec_pass_reproduces_the_raw_line),
		cmocka_unit_test(test_rec_empty_line_is_a_record_with_one_empty_field),
		cmocka_unit_test(test_rec_trailing_tab_gives_a_last_empty_field),
		cmocka_unit_test(test_rec_read_accepts_last_line_without_newline),
		cmocka_unit_test(test_rec_read_counts_lines),
		cmocka_unit_test(test_rec_read_of_many_fields_keeps_all),
		cmocka_unit_test(test_rec_read_keeps_a_lone_trailing_backslash),
		cmocka_unit_test(test_rec_read_leaves_unknown_escape_as_written),
		cmocka_unit_test(test_rec_free_accepts_unused_record),
	};
	return cmocka_run_group_tests_name("rec", tests, NULL, NULL);
}
