/* test_err.c - the kinds of error of err.c: their messages and exit statuses. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stream/buf.h"
#include "stream/err.h"

static void test_every_kind_has_its_own_message(void **state)
{
	(void)state;
	for (int i = NM_OK; i < NM_NSTATUS; i++) {
		const char *s = nm_strerror(i);
		assert_non_null(s);
		assert_true(strlen(s) > 0);
		assert_string_not_equal(s, "unknown error");
		for (int j = NM_OK; j < i; j++)
			assert_string_not_equal(s, nm_strerror(j));
	}
}

static void test_messages_say_what_went_wrong(void **state)
{
	(void)state;
	assert_string_equal(nm_strerror(NM_OK), "success");
	assert_string_equal(nm_strerror(NM_EUSAGE), "usage error");
	assert_string_equal(nm_strerror(NM_ERULES), "bad rules");
	assert_string_equal(nm_strerror(NM_ENOMEM), "out of memory");
}

static void test_a_value_that_is_no_kind_is_an_unknown_error(void **state)
{
	(void)state;
	assert_string_equal(nm_strerror(-1), "unknown error");
	assert_string_equal(nm_strerror(NM_NSTATUS), "unknown error");
	assert_string_equal(nm_strerror(128 + 15), "unknown error");
}

static void test_exit_status_is_0_1_or_2(void **state)
{
	(void)state;
	assert_int_equal(nm_exit_status(NM_OK), 0);
	assert_int_equal(nm_exit_status(NM_EDATA), 1);
	for (int i = NM_EUSAGE; i < NM_NSTATUS; i++)
		assert_int_equal(nm_exit_status(i), 2);
	assert_int_equal(nm_exit_status(-1), 2);
	assert_int_equal(nm_exit_status(NM_NSTATUS), 2);
}

/* main() may return these three as they are: their values are their exit statuses. */
static void test_ok_data_and_usage_are_their_own_exit_statuses(void **state)
{
	(void)state;
	assert_int_equal(nm_exit_status(NM_OK), NM_OK);
	assert_int_equal(nm_exit_status(NM_EDATA), NM_EDATA);
	assert_int_equal(nm_exit_status(NM_EUSAGE), NM_EUSAGE);
}

/* Runs nm_die(code, "...") as program nm-demo in a child; its stderr into err. */
static int die_in_child(int code, struct buf *err)
{
	int fd[2];
	assert_int_equal(pipe(fd), 0);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		nm_setprog("/usr/lib/notice-matrix/nm-demo");
		nm_die(code, "cannot go on: %s %d", "code", code);
	}
	close(fd[1]);
	char chunk[256];
	ssize_t n;
	while ((n = read(fd[0], chunk, sizeof chunk)) > 0)
		buf_add(err, chunk, (size_t)n);
	close(fd[0]);
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

static void test_nm_die_names_the_program_and_exits_by_its_kind(void **state)
{
	(void)state;
	struct buf err = BUF_INIT;
	assert_int_equal(die_in_child(NM_ERULES, &err), 2);
	assert_string_equal(buf_str(&err), "demo: cannot go on: code 3\n");
	buf_reset(&err);
	assert_int_equal(die_in_child(NM_ENOMEM, &err), 2);
	buf_reset(&err);
	assert_int_equal(die_in_child(NM_EDATA, &err), 1);
	assert_string_equal(buf_str(&err), "demo: cannot go on: code 1\n");
	buf_free(&err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind_has_its_own_message),
		cmocka_unit_test(test_messages_say_what_went_wrong),
		cmocka_unit_test(test_a_value_that_is_no_kind_is_an_unknown_error),
		cmocka_unit_test(test_exit_status_is_0_1_or_2),
		cmocka_unit_test(test_ok_data_and_usage_are_their_own_exit_statuses),
		cmocka_unit_test(test_nm_die_names_the_program_and_exits_by_its_kind),
	};
	return cmocka_run_group_tests_name("err", tests, NULL, NULL);
}
