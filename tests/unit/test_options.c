/* test_options.c - the driver's options and their values (lib/batch/options.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "batch/options.h"

static enum opts_result parse(struct batch_opts *o, struct buf *why, const char *const *args)
{
	char *argv[32] = {"nm-run"};
	int argc = 1;
	for (; args[argc - 1]; argc++)
		argv[argc] = (char *)args[argc - 1];
	buf_reset(why);
	return batch_opts_parse(o, argc, argv, why);
}

static void test_defaults_without_options(void **state)
{
	(void)state;
	struct batch_opts o;
	struct buf why = BUF_INIT;
	const char *args[] = {NULL};
	assert_int_equal(parse(&o, &why, args), OPTS_RUN);
	assert_string_equal(o.outdir, "out");
	assert_true(o.jobs >= 1);
	assert_int_equal(o.max_size, 64ULL << 20);
	assert_int_equal(o.time_limit, 120);
	assert_int_equal(o.ninputs, 0);
	batch_opts_free(&o);
	buf_free(&why);
}

static void test_values_are_taken_and_inputs_kept_in_order(void **state)
{
	(void)state;
	struct batch_opts o;
	struct buf why = BUF_INIT;
	const char *args[] = {"-o",
			      "/srv/out",
			      "-j",
			      "3",
			      "--max-size",
			      "1000",
			      "--as-of",
			      "2024-02-29",
			      "--extra-rules",
			      "city",
			      "--extra-rules",
			      "town",
			      "--force",
			      "a.txt",
			      "--",
			      "-dir",
			      NULL};
	assert_int_equal(parse(&o, &why, args), OPTS_RUN);
	assert_string_equal(o.outdir, "/srv/out");
	assert_int_equal(o.jobs, 3);
	assert_int_equal(o.max_size, 1000);
	assert_string_equal(o.as_of, "2024-02-29");
	assert_int_equal(o.nextra, 2);
	assert_string_equal(o.extra_rules[1], "town");
	assert_true(o.force);
	assert_int_equal(o.ninputs, 2);
	assert_string_equal(o.inputs[0], "a.txt");
	assert_string_equal(o.inputs[1], "-dir");
	batch_opts_free(&o);
	buf_free(&why);
}

static void test_bad_values_are_usage_errors_that_say_why(void **state)
{
	(void)state;
	static const char *const bad[][3] = {
		{"--max-size", "abc", "--max-size needs a number of bytes"},
		{"--max-size", "12k", "--max-size needs a number of bytes"},
		{"-j", "0", "-j needs a number of jobs"},
		{"-j", "-1", "-j needs a number of jobs"},
		{"-j", "65", "-j needs a number of jobs"},
		{"--time-limit", "0", "--time-limit needs"},
		{"--as-of", "2023-02-29", "--as-of needs a date"},
		{"--as-of", "2023-1-5", "--as-of needs a date"},
		{"-o", "", "-o needs a directory"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		struct batch_opts o;
		struct buf why = BUF_INIT;
		const char *args[] = {bad[i][0], bad[i][1], NULL};
		assert_int_equal(parse(&o, &why, args), OPTS_USAGE);
		assert_non_null(strstr(buf_str(&why), bad[i][2]));
		batch_opts_free(&o);
		buf_free(&why);
	}
}

static void test_a_missing_value_and_an_unknown_option_are_usage_errors(void **state)
{
	(void)state;
	struct batch_opts o;
	struct buf why = BUF_INIT;
	const char *missing[] = {"samples", "-j", NULL};
	assert_int_equal(parse(&o, &why, missing), OPTS_USAGE);
	assert_non_null(strstr(buf_str(&why), "needs a value"));
	batch_opts_free(&o);
	const char *unknown[] = {"--frobnicate", NULL};
	assert_int_equal(parse(&o, &why, unknown), OPTS_USAGE);
	assert_non_null(strstr(buf_str(&why), "unknown option --frobnicate"));
	batch_opts_free(&o);
	const char *help[] = {"x", "--help", NULL};
	assert_int_equal(parse(&o, &why, help), OPTS_HELP);
	batch_opts_free(&o);
	buf_free(&why);
}

static void test_as_of_today_is_a_date(void **state)
{
	(void)state;
	struct batch_opts o;
	struct buf why = BUF_INIT;
	const char *args[] = {"--as-of", "today", NULL};
	assert_int_equal(parse(&o, &why, args), OPTS_RUN);
	assert_int_equal(strlen(o.as_of), 10);
	assert_int_equal(o.as_of[4], '-');
	batch_opts_free(&o);
	buf_free(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_without_options),
		cmocka_unit_test(test_values_are_taken_and_inputs_kept_in_order),
		cmocka_unit_test(test_bad_values_are_usage_errors_that_say_why),
		cmocka_unit_test(test_a_missing_value_and_an_unknown_option_are_usage_errors),
		cmocka_unit_test(test_as_of_today_is_a_date),
	};
	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
