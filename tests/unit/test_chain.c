/* test_chain.c - a chain of processes joined by pipes (lib/batch/chain.c), with
 * /bin/cat and small shell scripts standing in for the stages. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch/chain.h"

static char *CAT[] = {"/bin/cat", NULL};
/* Passes its input on, and kills itself with signal 9 when a record holds DIE. */
static char *DIES[] = {"/bin/sh", "-c",
		       "while IFS= read -r l; do case $l in *DIE*) kill -9 $$;; esac; "
		       "printf '%s\\n' \"$l\"; done",
		       NULL};
static char *FAILS[] = {"/bin/sh", "-c", "cat >/dev/null; exit 3", NULL};

struct seen {
	size_t idx[16], n;
	char report[16][64];
};

static void on_doc(void *ctx, struct chain *c, size_t idx, const struct buf *group,
		   const struct buf *report)
{
	struct seen *s = ctx;
	(void)c;
	assert_non_null(strstr(buf_str(group), "doc\t"));
	assert_null(strstr(buf_str(group), "report\t"));
	s->idx[s->n] = idx;
	snprintf(s->report[s->n++], 64, "%s", buf_str(report));
}

/* Sends each document and reads until the chain's output ends. */
static void run(struct chain *c, const char *const *docs, size_t n, struct seen *s)
{
	for (size_t i = 0; i < n; i++)
		chain_send(c, 10 + i, docs[i], strlen(docs[i]), strlen(docs[i]), 0);
	chain_flush(c);
	chain_close_input(c);
	for (int spins = 0; spins < 5000; spins++) {
		struct pollfd p[2] = {{c->out, POLLIN, 0}, {c->in, POLLOUT, 0}};
		poll(p, c->in >= 0 ? 2 : 1, 100);
		if (c->in >= 0) {
			chain_flush(c);
			chain_close_input(c);
		}
		if (chain_read(c, on_doc, s, 0))
			return;
	}
	fail_msg("the chain's output did not end");
}

static const char *const DOCS[] = {
	"doc\ta.txt\ta.xlsx\nline\t1\tx\nreport\ta.txt\tok\nend\n",
	"doc\tb.txt\tb.xlsx\nline\t1\tDIE\nreport\tb.txt\tok\nend\n",
	"doc\tc.txt\tc.xlsx\nreport\tc.txt\tok\nend\n",
};

static void test_documents_come_back_in_order_with_their_reports(void **state)
{
	(void)state;
	struct chain_spec spec = {{CAT, CAT, CAT}, {"nm-one", "nm-two", "nm-three"}, 3};
	struct chain c;
	struct buf why = BUF_INIT;
	assert_int_equal(chain_start(&c, &spec, &why), 0);
	struct seen s = {0};
	const char *const docs[] = {DOCS[0], DOCS[2]};
	run(&c, docs, 2, &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.idx[0], 10);
	assert_int_equal(s.idx[1], 11);
	assert_string_equal(s.report[1], "report\tc.txt\tok");
	assert_int_equal(c.qlen, 0);
	assert_int_equal(chain_reap(&c, 1), 1);
	chain_death(&c, &why);
	assert_string_equal(buf_str(&why), ""); /* all ended well */
	chain_free(&c);
	buf_free(&why);
}

static void test_a_stage_killed_by_a_signal_is_named_and_the_rest_stays_queued(void **state)
{
	(void)state;
	struct chain_spec spec = {{CAT, DIES, CAT}, {"nm-decode", "nm-validate", "nm-xlsx"}, 3};
	struct chain c;
	struct buf why = BUF_INIT;
	assert_int_equal(chain_start(&c, &spec, &why), 0);
	struct seen s = {0};
	run(&c, DOCS, 3, &s);
	assert_int_equal(s.n, 1); /* a.txt came back; b.txt killed the stage */
	assert_int_equal(c.qlen, 2);
	assert_int_equal(chain_head(&c), 11);
	chain_settle(&c, 5000);
	chain_kill(&c, SIGKILL); /* what the driver does to the rest */
	chain_reap(&c, 1);
	chain_death(&c, &why);
	assert_string_equal(buf_str(&why), "stage nm-validate killed by signal 9");
	assert_false(chain_interrupted(&c));
	chain_free(&c);
	buf_free(&why);
}

static void test_a_stage_that_exits_with_an_error_is_named(void **state)
{
	(void)state;
	struct chain_spec spec = {{CAT, FAILS}, {"nm-decode", "nm-segment"}, 2};
	struct chain c;
	struct buf why = BUF_INIT;
	assert_int_equal(chain_start(&c, &spec, &why), 0);
	struct seen s = {0};
	run(&c, DOCS, 1, &s);
	assert_int_equal(s.n, 0);
	chain_reap(&c, 1);
	chain_death(&c, &why);
	assert_string_equal(buf_str(&why), "stage nm-segment exited with status 3");
	chain_free(&c);
	buf_free(&why);
}

static void test_a_program_that_cannot_start_is_an_error(void **state)
{
	(void)state;
	static char *missing[] = {"/nonexistent/nm-decode", NULL};
	struct chain_spec spec = {{CAT, missing}, {"nm-x", "nm-decode"}, 2};
	struct chain c;
	struct buf why = BUF_INIT;
	if (chain_start(&c, &spec, &why) == 0) {
		/* Where posix_spawn cannot report a failed exec (under valgrind it forks
		 * and execs), the stage dies at once with status 127 instead. */
		chain_close_input(&c);
		chain_reap(&c, 1);
		chain_death(&c, &why);
		assert_string_equal(buf_str(&why), "stage nm-decode exited with status 127");
		chain_free(&c);
	} else {
		assert_non_null(strstr(buf_str(&why), "cannot start /nonexistent/nm-decode"));
	}
	buf_free(&why);
}

static void test_killed_by_the_driver_is_not_taken_for_the_cause(void **state)
{
	(void)state;
	struct chain_spec spec = {{CAT, CAT}, {"nm-a", "nm-b"}, 2};
	struct chain c;
	struct buf why = BUF_INIT;
	assert_int_equal(chain_start(&c, &spec, &why), 0);
	chain_kill(&c, SIGKILL);
	chain_reap(&c, 1);
	chain_death(&c, &why);
	assert_string_equal(buf_str(&why), "");
	chain_free(&c);
	buf_free(&why);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_documents_come_back_in_order_with_their_reports),
		cmocka_unit_test(
			test_a_stage_killed_by_a_signal_is_named_and_the_rest_stays_queued),
		cmocka_unit_test(test_a_stage_that_exits_with_an_error_is_named),
		cmocka_unit_test(test_a_program_that_cannot_start_is_an_error),
		cmocka_unit_test(test_killed_by_the_driver_is_not_taken_for_the_cause),
	};
	return cmocka_run_group_tests_name("chain", tests, NULL, NULL);
}
