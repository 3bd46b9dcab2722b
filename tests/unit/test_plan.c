/* test_plan.c - chunks of equal work, and what is up to date (lib/batch/plan.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "batch/plan.h"
#include "stream/err.h"

static void test_chunks_of_equal_notices_alternate_over_the_jobs(void **state)
{
	(void)state;
	unsigned long long cost[6] = {10, 10, 10, 10, 10, 10};
	unsigned chunk[6];
	plan_chunks(cost, 6, 2, chunk);
	int n0 = 0;
	for (int i = 0; i < 6; i++)
		n0 += chunk[i] == 0;
	assert_int_equal(n0, 3);
}

static void test_new_files_sorted_last_spread_over_all_jobs(void **state)
{
	(void)state;
	/* A nightly run: only the four new files (sorted last among all inputs) convert. */
	unsigned long long cost[4] = {5000, 5000, 5000, 5000};
	unsigned chunk[4];
	plan_chunks(cost, 4, 4, chunk);
	int seen[4] = {0};
	for (int i = 0; i < 4; i++)
		seen[chunk[i]]++;
	for (int j = 0; j < 4; j++)
		assert_int_equal(seen[j], 1);
}

static void test_one_big_notice_gets_a_chunk_of_its_own(void **state)
{
	(void)state;
	unsigned long long cost[5] = {100, 100, 20000000, 100, 100};
	unsigned chunk[5];
	plan_chunks(cost, 5, 2, chunk);
	for (int i = 0; i < 5; i++)
		if (i != 2)
			assert_int_not_equal(chunk[i], chunk[2]);
}

static void test_chunks_with_more_jobs_than_notices(void **state)
{
	(void)state;
	unsigned long long cost[2] = {1, 2};
	unsigned chunk[2];
	plan_chunks(cost, 2, 8, chunk);
	assert_int_not_equal(chunk[0], chunk[1]);
	assert_true(chunk[0] < 8 && chunk[1] < 8);
}

/* plan_decide over a real output directory and notice. */
struct fx {
	char dir[64];
	struct outdir o;
	struct manifest m;
	struct input x;
	int streams;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/nm-plan.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char p[128];
	snprintf(p, sizeof p, "%s/notice.txt", f->dir);
	FILE *n = fopen(p, "w");
	fputs("一、任务\n", n);
	fclose(n);
	snprintf(p, sizeof p, "%s/out", f->dir);
	struct buf why = BUF_INIT;
	if (outdir_open(&f->o, p, 1, &why) < 0)
		return -1;
	f->streams = outdir_state_folder(&f->o, ".notice-matrix.streams", &why);
	buf_free(&why);
	manifest_init(&f->m);
	snprintf(p, sizeof p, "%s/notice.txt", f->dir);
	f->x.path = nm_xstrdup(p);
	f->x.abs = nm_xstrdup(p);
	f->x.name = nm_xstrdup("notice.xlsx");
	struct stat st;
	stat(p, &st);
	ident_from_stat(&st, &f->x.st);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	outdir_close(&f->o);
	close(f->streams);
	manifest_free(&f->m);
	free(f->x.path), free(f->x.abs), free(f->x.name);
	free(f);
	return system(cmd) == 0 ? 0 : -1;
}

static void put_file(const struct fx *f, const char *rel)
{
	struct outfile of;
	assert_int_equal(outfile_create(&f->o, rel, &of, NULL), 0);
	assert_int_equal(outfile_commit(&of, 0, NULL), 0);
}

/* An entry as a run that converted the notice would leave it. */
static void converted(struct fx *f)
{
	struct result r = {0};
	assert_int_equal(plan_hash_input(&f->x, &r), 0);
	struct entry e = {.name = "notice.xlsx",
			  .path = f->x.abs,
			  .st = f->x.st,
			  .output = "notice.xlsx",
			  .tasks = 3,
			  .encoding = "UTF-8",
			  .status = "ok",
			  .message = ""};
	memcpy(e.input, r.input, IDENT_HEX);
	strcpy(e.config, "c0c0c0c0c0c0c0c0");
	strcpy(e.program, "p0p0p0p0p0p0p0p0");
	strcpy(e.output_hash, "0123456789abcdef");
	strcpy(e.owned, "0123456789abcdef");
	manifest_put(&f->m, &e);
	put_file(f, "notice.xlsx");
	put_file(f, ".notice-matrix.streams/0123456789abcdef.stream");
}

static struct result decide(struct fx *f, int force)
{
	struct plan_ctx p = {&f->m, &f->o,  f->streams, "c0c0c0c0c0c0c0c0", "p0p0p0p0p0p0p0p0",
			     force, 1 << 20};
	struct result r;
	memset(&r, 0, sizeof r);
	plan_decide(&p, &f->x, &r);
	return r;
}

static void test_a_notice_never_converted_is_converted(void **state)
{
	struct result r = decide(*state, 0);
	assert_int_equal(r.state, PLAN_CONVERT);
	assert_string_equal(r.owned, "");
	result_free(&r);
}

static void test_an_unchanged_notice_is_skipped_with_what_the_manifest_says(void **state)
{
	struct fx *f = *state;
	converted(f);
	struct result r = decide(f, 0);
	assert_int_equal(r.state, PLAN_SKIP);
	assert_string_equal(r.status, "skipped");
	assert_int_equal(r.tasks, 3);
	assert_string_equal(r.output, "notice.xlsx");
	result_free(&r);
	r = decide(f, 1);
	assert_int_equal(r.state, PLAN_CONVERT);
	assert_string_equal(r.owned, "0123456789abcdef"); /* the program may replace its own */
	result_free(&r);
}

static void test_a_touched_notice_with_the_same_bytes_is_skipped(void **state)
{
	struct fx *f = *state;
	converted(f);
	f->x.st.mtime_ns += 1000000000LL;
	struct result r = decide(f, 0);
	assert_int_equal(r.state, PLAN_SKIP);
	result_free(&r);
}

static void test_changed_bytes_of_the_same_size_convert(void **state)
{
	struct fx *f = *state;
	converted(f);
	FILE *n = fopen(f->x.path, "r+");
	fputs("二", n); /* three bytes over three bytes: the size stays */
	fclose(n);
	struct stat st;
	stat(f->x.path, &st);
	ident_from_stat(&st, &f->x.st);
	f->x.st.mtime_ns += 1; /* a coarse clock must not hide the change */
	struct result r = decide(f, 0);
	assert_int_equal(r.state, PLAN_CONVERT);
	result_free(&r);
}

static void test_a_deleted_workbook_or_kept_stream_converts_again(void **state)
{
	struct fx *f = *state;
	converted(f);
	outdir_unlink(&f->o, ".notice-matrix.streams/0123456789abcdef.stream");
	struct result r = decide(f, 0);
	assert_int_equal(r.state, PLAN_CONVERT);
	result_free(&r);
	converted(f);
	outdir_unlink(&f->o, "notice.xlsx");
	r = decide(f, 0);
	assert_int_equal(r.state, PLAN_CONVERT);
	result_free(&r);
}

static void test_other_rules_or_program_convert_again(void **state)
{
	struct fx *f = *state;
	converted(f);
	struct plan_ctx p = {&f->m, &f->o,  f->streams, "c1c1c1c1c1c1c1c1", "p0p0p0p0p0p0p0p0",
			     0,     1 << 20};
	struct result r = {0};
	plan_decide(&p, &f->x, &r);
	assert_int_equal(r.state, PLAN_CONVERT);
	result_free(&r);
	p.config = "c0c0c0c0c0c0c0c0";
	p.program = "p1p1p1p1p1p1p1p1";
	memset(&r, 0, sizeof r);
	plan_decide(&p, &f->x, &r);
	assert_int_equal(r.state, PLAN_CONVERT);
	result_free(&r);
}

static void test_a_notice_that_killed_a_stage_is_kept_out_until_forced(void **state)
{
	struct fx *f = *state;
	converted(f);
	struct entry *e = manifest_by_name(&f->m, "notice.xlsx");
	free(e->status);
	e->status = nm_xstrdup("killed");
	free(e->message);
	e->message = nm_xstrdup("stage nm-validate killed by signal 9");
	struct result r = decide(f, 0);
	assert_int_equal(r.state, PLAN_FAIL);
	assert_non_null(strstr(r.message, "kept out: stage nm-validate killed by signal 9"));
	result_free(&r);
	r = decide(f, 1);
	assert_int_equal(r.state, PLAN_CONVERT);
	result_free(&r);
}

static void test_another_notice_under_the_name_does_not_own_its_workbook(void **state)
{
	struct fx *f = *state;
	converted(f);
	free(f->x.abs);
	f->x.abs = nm_xstrdup("/elsewhere/notice.txt");
	f->x.st.size += 1; /* other bytes */
	struct result r = decide(f, 0);
	assert_int_equal(r.state, PLAN_CONVERT);
	assert_string_equal(r.owned, "");
	result_free(&r);
}

static void test_too_large_and_special_files_fail_before_any_chain(void **state)
{
	struct fx *f = *state;
	f->x.st.size = 2 << 20;
	struct result r = decide(f, 0);
	assert_int_equal(r.state, PLAN_FAIL);
	assert_non_null(strstr(r.message, "too large: 2097152 bytes, over --max-size 1048576"));
	result_free(&r);
	f->x.fail = "not a regular file";
	r = decide(f, 0);
	assert_string_equal(r.message, "not a regular file");
	result_free(&r);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chunks_of_equal_notices_alternate_over_the_jobs),
		cmocka_unit_test(test_new_files_sorted_last_spread_over_all_jobs),
		cmocka_unit_test(test_one_big_notice_gets_a_chunk_of_its_own),
		cmocka_unit_test(test_chunks_with_more_jobs_than_notices),
		T(test_a_notice_never_converted_is_converted),
		T(test_an_unchanged_notice_is_skipped_with_what_the_manifest_says),
		T(test_a_touched_notice_with_the_same_bytes_is_skipped),
		T(test_changed_bytes_of_the_same_size_convert),
		T(test_a_deleted_workbook_or_kept_stream_converts_again),
		T(test_other_rules_or_program_convert_again),
		T(test_a_notice_that_killed_a_stage_is_kept_out_until_forced),
		T(test_another_notice_under_the_name_does_not_own_its_workbook),
		T(test_too_large_and_special_files_fail_before_any_chain),
	};
	return cmocka_run_group_tests_name("plan", tests, NULL, NULL);
}
