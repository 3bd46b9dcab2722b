/* test_walk.c - the inputs of a run, walked in order (lib/batch/walk.c) and hashed (ident.c). */
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

#include "batch/walk.h"

struct fx {
	char dir[64];
};

static void touch(const struct fx *f, const char *rel, const char *text)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", f->dir, rel);
	FILE *t = fopen(p, "w");
	assert_non_null(t);
	fputs(text, t);
	fclose(t);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/nm-walk.XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	char p[256];
	const char *dirs[] = {"in", "in/a", "in/out", "in/a b"};
	for (int i = 0; i < 4; i++) {
		snprintf(p, sizeof p, "%s/%s", f->dir, dirs[i]);
		mkdir(p, 0755);
	}
	touch(f, "in/a.txt", "x");
	touch(f, "in/a/z.txt", "y");
	touch(f, "in/a b/m.txt", "z");
	touch(f, "in/out/report.tsv", "own");
	touch(f, "in/-n.txt", "w");
	snprintf(p, sizeof p, "%s/in/fifo", f->dir);
	mkfifo(p, 0644);
	snprintf(p, sizeof p, "%s/in/dangling", f->dir);
	symlink("/nonexistent/x", p);
	snprintf(p, sizeof p, "%s/in/to-dir", f->dir);
	symlink("/tmp", p);
	snprintf(p, sizeof p, "%s/in/to-file", f->dir);
	symlink("a.txt", p);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	free(f);
	return system(cmd) == 0 ? 0 : -1;
}

static const struct input *find(const struct inputs *in, const char *rel)
{
	for (size_t i = 0; i < in->n; i++)
		if (strcmp(in->v[i].rel, rel) == 0)
			return &in->v[i];
	return NULL;
}

static void test_a_directory_is_walked_sorted_by_path_without_the_output_directory(void **state)
{
	struct fx *f = *state;
	char in_dir[128], out_dir[128];
	snprintf(in_dir, sizeof in_dir, "%s/in", f->dir);
	snprintf(out_dir, sizeof out_dir, "%s/in/out", f->dir);
	struct stat st;
	stat(out_dir, &st);
	struct walk_skip skip = {(unsigned long long)st.st_dev, (unsigned long long)st.st_ino};
	struct inputs in = {0};
	struct buf why = BUF_INIT;
	assert_int_equal(walk_input(&in, in_dir, 0, "/", &skip, &why), 0);
	const char *order[] = {"-n.txt",   "a b/m.txt", "a.txt",  "a/z.txt",
			       "dangling", "fifo",      "to-dir", "to-file"};
	assert_int_equal(in.n, 8);
	for (size_t i = 0; i < in.n; i++)
		assert_string_equal(in.v[i].rel, order[i]);
	assert_null(find(&in, "out/report.tsv"));
	assert_string_equal(find(&in, "fifo")->fail, "not a regular file");
	assert_string_equal(find(&in, "dangling")->fail, "a broken symbolic link");
	assert_non_null(strstr(find(&in, "to-dir")->fail, "folder"));
	assert_null(find(&in, "to-file")->fail);
	assert_int_equal(find(&in, "to-file")->st.size, 1); /* the target's, followed */
	inputs_free(&in);
	buf_free(&why);
}

static void test_the_output_directory_as_input_is_refused(void **state)
{
	struct fx *f = *state;
	char in_dir[128];
	snprintf(in_dir, sizeof in_dir, "%s/in", f->dir);
	struct stat st;
	stat(in_dir, &st);
	struct walk_skip skip = {(unsigned long long)st.st_dev, (unsigned long long)st.st_ino};
	struct inputs in = {0};
	struct buf why = BUF_INIT;
	assert_int_equal(walk_input(&in, in_dir, 0, "/", &skip, &why), -1);
	assert_non_null(strstr(buf_str(&why), "output directory is this input directory"));
	inputs_free(&in);
	buf_free(&why);
}

static void test_a_file_argument_is_named_by_its_base_name_and_a_missing_one_fails(void **state)
{
	struct fx *f = *state;
	char p[128];
	snprintf(p, sizeof p, "%s/in/a/z.txt", f->dir);
	struct inputs in = {0};
	assert_int_equal(walk_input(&in, p, 0, "/", NULL, NULL), 0);
	assert_int_equal(walk_input(&in, "no/such.txt", 1, "/work", NULL, NULL), 0);
	assert_string_equal(in.v[0].rel, "z.txt");
	assert_null(in.v[0].fail);
	assert_string_equal(in.v[1].fail, "no such file or directory");
	assert_string_equal(in.v[1].abs, "/work/no/such.txt");
	assert_int_equal(in.v[1].arg, 1);
	inputs_free(&in);
}

static void test_absolute_paths_are_tidied(void **state)
{
	(void)state;
	char *a = walk_absolute("/home/me", "./in//x/./y.txt");
	assert_string_equal(a, "/home/me/in/x/y.txt");
	free(a);
	a = walk_absolute("/ignored", "/srv//公文/./a.txt");
	assert_string_equal(a, "/srv/公文/a.txt");
	free(a);
}

static void test_content_hash_tells_bytes_apart_and_fnv_matches_the_workbook_stage(void **state)
{
	(void)state;
	char a[IDENT_HEX], b[IDENT_HEX];
	ident_hex(ident_hash(1, "abcdefghijklmnopqrstuvwxyz", 26), a);
	ident_hex(ident_hash(1, "abcdefghijklmnopqrstuvwxyZ", 26), b);
	assert_string_not_equal(a, b);
	ident_hex(ident_hash(1, "", 0), a);
	ident_hex(ident_hash(1, "\0", 1), b);
	assert_string_not_equal(a, b);
	/* FNV-1a 64 of "a" is af63dc4c8601ec8c (the published test vector). */
	ident_hex(ident_fnv1a(IDENT_FNV_BASIS, "a", 1), a);
	assert_string_equal(a, "af63dc4c8601ec8c");
}

static void test_program_identity_is_cached_by_stat_and_changes_with_bytes(void **state)
{
	struct fx *f = *state;
	touch(f, "in/a.txt", "stage one");
	char p[128];
	snprintf(p, sizeof p, "%s/in/a.txt", f->dir);
	const char *paths[] = {p};
	struct ident_parts none = {0}, first = {0}, second = {0}, third = {0};
	char h1[IDENT_HEX], h2[IDENT_HEX], h3[IDENT_HEX];
	size_t bad;
	assert_int_equal(ident_program(paths, 1, &none, &first, h1, &bad), 0);
	strcpy(first.v[0].hash, "0000000000000000"); /* a cache hit is used as it is */
	assert_int_equal(ident_program(paths, 1, &first, &second, h2, &bad), 0);
	assert_string_not_equal(h1, h2);
	touch(f, "in/a.txt", "stage two");
	assert_int_equal(ident_program(paths, 1, &second, &third, h3, &bad), 0);
	assert_string_not_equal(h3, h2);
	const char *missing[] = {"/nonexistent/nm-decode"};
	assert_int_equal(ident_program(missing, 1, &none, &third, h3, &bad), -1);
	ident_parts_free(&first);
	ident_parts_free(&second);
	ident_parts_free(&third);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_a_directory_is_walked_sorted_by_path_without_the_output_directory),
		T(test_the_output_directory_as_input_is_refused),
		T(test_a_file_argument_is_named_by_its_base_name_and_a_missing_one_fails),
		cmocka_unit_test(test_absolute_paths_are_tidied),
		cmocka_unit_test(
			test_content_hash_tells_bytes_apart_and_fnv_matches_the_workbook_stage),
		T(test_program_identity_is_cached_by_stat_and_changes_with_bytes),
	};
	return cmocka_run_group_tests_name("walk", tests, NULL, NULL);
}
