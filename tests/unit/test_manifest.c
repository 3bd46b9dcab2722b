/* test_manifest.c - the manifest and its journal (lib/batch/manifest.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/manifest.h"

struct fx {
	char dir[64];
	struct outdir o;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	snprintf(f->dir, sizeof f->dir, "/tmp/nm-manifest.XXXXXX");
	if (!mkdtemp(f->dir) || outdir_open(&f->o, f->dir, 0, NULL) < 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
	outdir_close(&f->o);
	free(f);
	return system(cmd) == 0 ? 0 : -1;
}

/* Writes rel with text and returns the FNV-1a hash the workbook stage would give it. */
static void workbook(const struct fx *f, const char *rel, const char *text, char hex[IDENT_HEX])
{
	struct outfile of;
	assert_int_equal(outfile_create(&f->o, rel, &of, NULL), 0);
	assert_int_equal(write(of.fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(outfile_commit(&of, 0, NULL), 0);
	ident_hex(ident_fnv1a(IDENT_FNV_BASIS, text, strlen(text)), hex);
}

static struct entry entry(const char *name, const char *path, const char *hash)
{
	struct entry e = {.name = (char *)name,
			  .path = (char *)path,
			  .output = (char *)name,
			  .tasks = 2,
			  .findings = 1,
			  .encoding = "GB18030",
			  .status = "ok",
			  .message = ""};
	e.st.size = 10;
	e.st.mtime_ns = 1234567890123456789LL;
	strcpy(e.input, "aaaaaaaaaaaaaaaa");
	strcpy(e.output_hash, hash);
	strcpy(e.owned, hash);
	return e;
}

static void test_put_replaces_by_name_and_finds_by_path(void **state)
{
	(void)state;
	struct manifest m;
	manifest_init(&m);
	for (int i = 0; i < 1000; i++) {
		char name[32], path[32];
		snprintf(name, sizeof name, "n%d.xlsx", i);
		snprintf(path, sizeof path, "/in/n%d.txt", i);
		struct entry e = entry(name, path, "0000000000000000");
		manifest_put(&m, &e);
	}
	struct entry e = entry("n7.xlsx", "/moved/n7.txt", "1111111111111111");
	manifest_put(&m, &e);
	assert_int_equal(m.n, 1000);
	assert_string_equal(manifest_by_name(&m, "n7.xlsx")->path, "/moved/n7.txt");
	assert_string_equal(manifest_by_path(&m, "/moved/n7.txt")->name, "n7.xlsx");
	assert_null(manifest_by_path(&m, "/in/n7.txt"));
	assert_string_equal(manifest_by_path(&m, "/in/n999.txt")->name, "n999.xlsx");
	manifest_free(&m);
}

static void test_write_then_load_gives_the_same_entries_and_drops_the_journal(void **state)
{
	struct fx *f = *state;
	struct manifest m;
	char hex[IDENT_HEX];
	manifest_init(&m);
	workbook(f, "a.xlsx", "A", hex);
	/* GB18030 bytes, a TAB */
	struct entry e = entry("a.xlsx", "/in/\xbb\xe1\xd2\xe9 a\tb.txt", hex);
	assert_int_equal(manifest_journal(&m, &f->o, &e, NULL), 0);
	manifest_put(&m, &e);
	struct ident_stat st = {1, 2, 3, 4};
	ident_parts_add(&m.parts, "/bin/nm-decode", &st, "cccccccccccccccc");
	struct buf why = BUF_INIT;
	assert_int_equal(manifest_write(&m, &f->o, &why), 0);
	manifest_free(&m);
	assert_int_equal(outdir_open_read(&f->o, JOURNAL_FILE), -1);
	manifest_init(&m);
	assert_int_equal(manifest_load(&m, &f->o, &why), 0);
	struct entry *got = manifest_by_name(&m, "a.xlsx");
	assert_non_null(got);
	assert_string_equal(got->path, "/in/\xbb\xe1\xd2\xe9 a\tb.txt");
	assert_int_equal(got->st.mtime_ns, 1234567890123456789LL);
	assert_string_equal(got->output_hash, hex);
	assert_int_equal(got->tasks, 2);
	assert_string_equal(got->encoding, "GB18030");
	assert_int_equal(m.parts.n, 1);
	assert_string_equal(m.parts.v[0].hash, "cccccccccccccccc");
	manifest_free(&m);
	buf_free(&why);
}

static void test_a_journal_entry_counts_only_when_its_workbook_is_on_disk(void **state)
{
	struct fx *f = *state;
	struct manifest m;
	char good[IDENT_HEX], bad[IDENT_HEX];
	manifest_init(&m);
	workbook(f, "good.xlsx", "written", good);
	workbook(f, "cut.xlsx", "cut sho", bad);
	struct entry e1 = entry("good.xlsx", "/in/good.txt", good);
	/* not what is there */
	struct entry e2 = entry("cut.xlsx", "/in/cut.txt", "ffffffffffffffff");
	struct entry e3 = entry("gone.xlsx", "/in/gone.txt", good);
	assert_int_equal(manifest_journal(&m, &f->o, &e1, NULL), 0);
	assert_int_equal(manifest_journal(&m, &f->o, &e2, NULL), 0);
	assert_int_equal(manifest_journal(&m, &f->o, &e3, NULL), 0);
	manifest_free(&m); /* killed: no manifest_write */
	manifest_init(&m);
	assert_int_equal(manifest_load(&m, &f->o, NULL), 0);
	assert_non_null(manifest_by_name(&m, "good.xlsx"));
	assert_true(manifest_by_name(&m, "good.xlsx")->journaled);
	assert_null(manifest_by_name(&m, "cut.xlsx"));
	assert_null(manifest_by_name(&m, "gone.xlsx"));
	manifest_free(&m);
}

static void test_a_journal_cut_inside_a_line_loses_only_that_line(void **state)
{
	struct fx *f = *state;
	struct manifest m;
	char hex[IDENT_HEX];
	manifest_init(&m);
	workbook(f, "a.xlsx", "A", hex);
	struct entry e = entry("a.xlsx", "/in/a.txt", hex);
	assert_int_equal(manifest_journal(&m, &f->o, &e, NULL), 0);
	int fd = outdir_open_append(&f->o, JOURNAL_FILE, NULL);
	assert_int_equal(write(fd, "entry\tb.xlsx\t/in/b", 18), 18);
	close(fd);
	manifest_free(&m);
	manifest_init(&m);
	assert_int_equal(manifest_load(&m, &f->o, NULL), 0);
	assert_int_equal(m.n, 1);
	manifest_free(&m);
}

static void test_write_leaves_out_entries_whose_workbook_is_gone(void **state)
{
	struct fx *f = *state;
	struct manifest m;
	char hex[IDENT_HEX];
	manifest_init(&m);
	workbook(f, "kept.xlsx", "K", hex);
	struct entry a = entry("kept.xlsx", "/in/kept.txt", hex);
	struct entry b = entry("deleted.xlsx", "/in/deleted.txt", hex);
	manifest_put(&m, &a);
	manifest_put(&m, &b);
	assert_int_equal(manifest_write(&m, &f->o, NULL), 0);
	manifest_free(&m);
	manifest_init(&m);
	assert_int_equal(manifest_load(&m, &f->o, NULL), 0);
	assert_int_equal(m.n, 1);
	assert_non_null(manifest_by_name(&m, "kept.xlsx"));
	manifest_free(&m);
}

static void test_a_manifest_that_is_a_link_is_not_read(void **state)
{
	struct fx *f = *state;
	char p[128];
	snprintf(p, sizeof p, "%s/%s", f->dir, MANIFEST_FILE);
	assert_int_equal(symlink("/etc/passwd", p), 0);
	struct manifest m;
	struct buf why = BUF_INIT;
	manifest_init(&m);
	assert_int_equal(manifest_load(&m, &f->o, &why), -1);
	assert_non_null(strstr(buf_str(&why), "symbolic link"));
	manifest_free(&m);
	buf_free(&why);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_put_replaces_by_name_and_finds_by_path),
		T(test_write_then_load_gives_the_same_entries_and_drops_the_journal),
		T(test_a_journal_entry_counts_only_when_its_workbook_is_on_disk),
		T(test_a_journal_cut_inside_a_line_loses_only_that_line),
		T(test_write_leaves_out_entries_whose_workbook_is_gone),
		T(test_a_manifest_that_is_a_link_is_not_read),
	};
	return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
