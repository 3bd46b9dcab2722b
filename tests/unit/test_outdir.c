/* test_outdir.c - the output directory written without following links (outdir.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "stream/outdir.h"

struct fx {
	char dir[64], victim[96];
	struct outdir o;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/nm-outdir.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->victim, sizeof f->victim, "%s.victim", f->dir);
	FILE *v = fopen(f->victim, "w");
	fputs("precious", v);
	fclose(v);
	struct buf why = BUF_INIT;
	if (outdir_open(&f->o, f->dir, 0, &why) < 0)
		return -1;
	buf_free(&why);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[256];
	outdir_close(&f->o);
	snprintf(cmd, sizeof cmd, "rm -rf '%s' '%s'", f->dir, f->victim);
	if (system(cmd) != 0)
		return -1;
	free(f);
	return 0;
}

static void plant(const struct fx *f, const char *name, const char *target)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", f->dir, name);
	assert_int_equal(symlink(target, p), 0);
}

static void assert_victim_intact(const struct fx *f)
{
	char text[32] = "";
	FILE *v = fopen(f->victim, "r");
	assert_non_null(v);
	assert_non_null(fgets(text, sizeof text, v));
	fclose(v);
	assert_string_equal(text, "precious");
}

static int is_link(const struct fx *f, const char *name)
{
	char p[256];
	struct stat st;
	snprintf(p, sizeof p, "%s/%s", f->dir, name);
	return lstat(p, &st) == 0 && S_ISLNK(st.st_mode);
}

static void test_outfile_commit_replaces_a_planted_link_not_its_target(void **state)
{
	struct fx *f = *state;
	plant(f, "report.tsv", f->victim);
	struct outfile of;
	struct buf why = BUF_INIT;
	assert_int_equal(outfile_create(&f->o, "report.tsv", &of, &why), 0);
	assert_int_equal(write(of.fd, "new", 3), 3);
	assert_int_equal(outfile_commit(&of, 0, &why), 0);
	assert_false(is_link(f, "report.tsv"));
	assert_victim_intact(f);
	buf_free(&why);
}

static void test_outfile_create_refuses_a_folder_that_is_a_link(void **state)
{
	struct fx *f = *state;
	plant(f, "sub", "/tmp");
	struct outfile of;
	struct buf why = BUF_INIT;
	assert_int_equal(outfile_create(&f->o, "sub/x.xlsx", &of, &why), -1);
	assert_non_null(strstr(buf_str(&why), "symbolic link"));
	buf_free(&why);
}

static void test_outfile_create_refuses_dot_dot(void **state)
{
	struct fx *f = *state;
	struct outfile of;
	struct buf why = BUF_INIT;
	assert_int_equal(outfile_create(&f->o, "../escape.xlsx", &of, &why), -1);
	assert_non_null(strstr(buf_str(&why), ".."));
	buf_free(&why);
}

static void test_outfile_temp_name_is_of_the_program_pattern(void **state)
{
	struct fx *f = *state;
	struct outfile of;
	struct buf why = BUF_INIT;
	assert_int_equal(outfile_create(&f->o, "a/b/c.xlsx", &of, &why), 0);
	assert_true(outdir_is_temp(of.temp));
	outfile_abort(&of);
	assert_int_equal(outdir_remove_stale(&f->o, ""), 0); /* abort removed it */
	buf_free(&why);
}

static void test_outfile_create_at_writes_in_an_open_folder(void **state)
{
	struct fx *f = *state;
	struct buf why = BUF_INIT;
	int dfd = outdir_state_folder(&f->o, ".state", &why);
	assert_true(dfd >= 0);
	struct outfile of;
	assert_int_equal(outfile_create_at(dfd, "x.stream", ".state/x.stream", &of, &why), 0);
	assert_int_equal(write(of.fd, "doc\n", 4), 4);
	assert_int_equal(outfile_commit(&of, 0, &why), 0);
	assert_int_equal(faccessat(dfd, "x.stream", F_OK, AT_SYMLINK_NOFOLLOW), 0);
	assert_int_equal(outfile_create_at(dfd, "a/b", "a/b", &of, &why), -1);
	close(dfd);
	buf_free(&why);
}

static void test_outdir_state_folder_refuses_a_link(void **state)
{
	struct fx *f = *state;
	plant(f, ".state", "/tmp");
	struct buf why = BUF_INIT;
	assert_int_equal(outdir_state_folder(&f->o, ".state", &why), -1);
	assert_non_null(strstr(buf_str(&why), "symbolic link"));
	buf_free(&why);
}

static void test_outdir_lock_refuses_a_link_and_excludes_a_second_holder(void **state)
{
	struct fx *f = *state;
	plant(f, "lock", f->victim);
	struct buf why = BUF_INIT;
	assert_int_equal(outdir_lock(&f->o, "lock", &why), -1);
	assert_int_equal(errno, ELOOP);
	assert_victim_intact(f);
	assert_int_equal(outdir_drop_link(&f->o, "lock"), 1);
	int fd = outdir_lock(&f->o, "lock", &why);
	assert_true(fd >= 0);
	struct outdir again;
	assert_int_equal(outdir_open(&again, f->dir, 0, &why), 0);
	/* a separate open file: flock conflicts */
	assert_int_equal(outdir_lock(&again, "lock", &why), -1);
	assert_int_equal(errno, EWOULDBLOCK);
	outdir_close(&again);
	close(fd);
	buf_free(&why);
}

static void test_outdir_drop_link_leaves_files_alone(void **state)
{
	struct fx *f = *state;
	struct outfile of;
	struct buf why = BUF_INIT;
	assert_int_equal(outfile_create(&f->o, "real", &of, &why), 0);
	assert_int_equal(outfile_commit(&of, 0, &why), 0);
	assert_int_equal(outdir_drop_link(&f->o, "real"), 0);
	assert_int_equal(outdir_drop_link(&f->o, "absent"), 0);
	int fd = outdir_open_read(&f->o, "real");
	assert_true(fd >= 0);
	close(fd);
	buf_free(&why);
}

static void test_outdir_open_append_refuses_a_link_and_appends_to_a_file(void **state)
{
	struct fx *f = *state;
	plant(f, "journal", f->victim);
	struct buf why = BUF_INIT;
	assert_int_equal(outdir_open_append(&f->o, "journal", &why), -1);
	assert_victim_intact(f);
	int fd = outdir_open_append(&f->o, "log", &why);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "a\n", 2), 2);
	close(fd);
	fd = outdir_open_append(&f->o, "log", &why);
	assert_int_equal(write(fd, "b\n", 2), 2);
	close(fd);
	char text[8] = "";
	fd = outdir_open_read(&f->o, "log");
	assert_int_equal(read(fd, text, sizeof text), 4);
	close(fd);
	assert_memory_equal(text, "a\nb\n", 4);
	buf_free(&why);
}

static void test_remove_stale_removes_only_the_program_pattern(void **state)
{
	struct fx *f = *state;
	char p[256];
	const char *names[] = {".x.xlsx.Ab12Cd.nmtmp", ".notes.tmp",         "x.nmtmp",
			       ".y.AbCd.nmtmp",        ".a b.xlsx.4242.tmp", ".a.txt.4242.tmp",
			       ".a.xlsx.42x.tmp"};
	for (int i = 0; i < 7; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
		FILE *t = fopen(p, "w");
		fclose(t);
	}
	assert_int_equal(outdir_remove_stale(&f->o, ""), 2);
	snprintf(p, sizeof p, "%s/.a.txt.4242.tmp", f->dir);
	assert_int_equal(access(p, F_OK), 0);
	snprintf(p, sizeof p, "%s/.notes.tmp", f->dir);
	assert_int_equal(access(p, F_OK), 0);
	snprintf(p, sizeof p, "%s/.x.xlsx.Ab12Cd.nmtmp", f->dir);
	assert_int_equal(access(p, F_OK), -1);
}

/* The output directory's descriptor was read to its end before (the driver
 * lists it): a second sweep still sees every entry. */
static void test_remove_stale_twice_sees_new_temporaries(void **state)
{
	struct fx *f = *state;
	char p[256];
	snprintf(p, sizeof p, "%s/.a.xlsx.Ab12Cd.nmtmp", f->dir);
	fclose(fopen(p, "w"));
	assert_int_equal(outdir_remove_stale(&f->o, ""), 1);
	snprintf(p, sizeof p, "%s/.b.xlsx.Zz99Yy.nmtmp", f->dir);
	fclose(fopen(p, "w"));
	assert_int_equal(outdir_remove_stale(&f->o, ""), 1);
	assert_int_equal(access(p, F_OK), -1);
}

static void test_outdir_open_refuses_an_output_directory_that_is_a_link(void **state)
{
	struct fx *f = *state;
	plant(f, "out", "/tmp");
	char p[256];
	snprintf(p, sizeof p, "%s/out", f->dir);
	struct outdir o;
	struct buf why = BUF_INIT;
	assert_int_equal(outdir_open(&o, p, 0, &why), -1);
	assert_non_null(strstr(buf_str(&why), "symbolic link"));
	buf_free(&why);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_outfile_commit_replaces_a_planted_link_not_its_target),
		T(test_outfile_create_refuses_a_folder_that_is_a_link),
		T(test_outfile_create_refuses_dot_dot),
		T(test_outfile_temp_name_is_of_the_program_pattern),
		T(test_outfile_create_at_writes_in_an_open_folder),
		T(test_outdir_state_folder_refuses_a_link),
		T(test_outdir_lock_refuses_a_link_and_excludes_a_second_holder),
		T(test_outdir_drop_link_leaves_files_alone),
		T(test_outdir_open_append_refuses_a_link_and_appends_to_a_file),
		T(test_remove_stale_removes_only_the_program_pattern),
		T(test_remove_stale_twice_sees_new_temporaries),
		T(test_outdir_open_refuses_an_output_directory_that_is_a_link),
	};
	return cmocka_run_group_tests_name("outdir", tests, NULL, NULL);
}
