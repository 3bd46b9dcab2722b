/*
 * test_workbook.c - the workbook writer's failure paths, by fault
 * injection, and reading staff status back.
 *
 * fsync, renameat and fwrite are interposed: this executable's definitions
 * come first for every caller, libxlsxwriter and minizip included, and
 * pass through to the real ones unless a test asks them to fail.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xlsxwriter.h>
#include <zip.h>

#include "stream/outdir.h"
#include "workbook/wb.h"

static int fail_fsync, fail_rename, fail_write, fsyncs;

int fsync(int fd)
{
	static int (*real)(int);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fsync");
	fsyncs++;
	if (fail_fsync) {
		errno = EIO;
		return -1;
	}
	return real(fd);
}

int renameat(int a, const char *from, int b, const char *to)
{
	static int (*real)(int, const char *, int, const char *);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "renameat");
	if (fail_rename) {
		errno = EACCES;
		return -1;
	}
	return real(a, from, b, to);
}

/* A disk that fills up: once fail_write is set, writes to files (not the
 * standard streams) succeed for 8 KB more, then fail. (Failing the very
 * first write makes minizip leak the entry it was opening.) */
static size_t room;
size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	static size_t (*real)(const void *, size_t, size_t, FILE *);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "fwrite");
	if (fail_write && f != stdout && f != stderr) {
		if (room < size * n) {
			errno = ENOSPC;
			return 0;
		}
		room -= size * n;
	}
	return real(p, size, n, f);
}

static const char STREAM[] =
	"doc\tn.txt\tn.xlsx\t\n"
	"head\t1\t东政办〔2018〕108号\tdocno\t东政办〔2018〕108号\n"
	"head\t3\t关于印发海东市补短板实施方案的通知\ttitle\t关于印发海东市补短板实施方案的通知\n"
	"meta\tissue_date\t2018-05-29\n"
	"task\t20\t1\t一、主要任务\t(一)生态\t推进生态环境保护。\t马杰\t市环境保护局\t市水务局\\n各县（市、区）人民政府\t2020-12-31\t\t市环境保护局\t市水务局\\n各县（市、区）人民政府\t0\t2020年底前\t\t\t\n"
	"task\t30\t2\t一、主要任务\t(二)脱贫\t深入实施脱贫攻坚工程。\t李青川\t市扶贫开发局\t\t\t\t市扶贫开发局\t\t0\t\t\t\t\n"
	"finding\t30\t警告\ttask.missing_field\t缺少牵头领导\t深入实施脱贫攻坚工程。\t0\t\t\n"
	"end\n";

struct env {
	char dir[64];
	struct outdir out;
	struct wb_options o;
	struct wb_doc d;
};

static void load(struct wb_doc *d)
{
	FILE *in = fmemopen((void *)STREAM, strlen(STREAM), "r");
	struct rec r = REC_INIT;
	assert_non_null(in);
	while (rec_read(&r, in) > 0) {
		if (rec_kind(&r) == REC_DOC) {
			struct rec_file f;
			rec_get_file(&r, &f);
			wb_doc_init(d, f.path, f.outname, f.owned_hash);
		} else if (rec_kind(&r) != REC_END) {
			wb_doc_add(d, &r);
		}
	}
	d->complete = 1;
	rec_free(&r);
	fclose(in);
}

static int setup(void **state)
{
	struct env *e = calloc(1, sizeof *e);
	struct buf why = BUF_INIT;
	strcpy(e->dir, "/tmp/nm-test-wb.XXXXXX");
	assert_non_null(mkdtemp(e->dir));
	assert_int_equal(outdir_open(&e->out, e->dir, 0, &why), 0);
	e->o.outdir = e->dir;
	e->o.dir = &e->out;
	load(&e->d);
	fail_fsync = fail_rename = fail_write = fsyncs = 0;
	buf_free(&why);
	*state = e;
	return 0;
}

static int teardown(void **state)
{
	struct env *e = *state;
	char cmd[128];
	fail_fsync = fail_rename = fail_write = 0;
	wb_doc_free(&e->d);
	outdir_close(&e->out);
	snprintf(cmd, sizeof cmd, "rm -rf %s", e->dir);
	assert_int_equal(system(cmd), 0);
	free(e);
	return 0;
}

/* The names in the output directory, other than . and .. */
static int entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *x;
	int n = 0;
	assert_non_null(d);
	while ((x = readdir(d)))
		n += strcmp(x->d_name, ".") != 0 && strcmp(x->d_name, "..") != 0;
	closedir(d);
	return n;
}

static void convert_fails(struct env *e, const char *why)
{
	struct wb_result res;
	wb_convert(&e->d, &e->o, &res);
	assert_int_equal(res.status, WB_FAILED);
	assert_non_null(strstr(buf_str(&res.message), why));
	assert_string_equal(buf_str(&res.output), "");
	assert_int_equal(entries(e->dir), 0); /* no workbook, no temporary file */
	wb_result_free(&res);
}

static void test_failed_fsync_leaves_no_file(void **state)
{
	fail_fsync = 1;
	convert_fails(*state, "Input/output error");
}

static void test_failed_rename_leaves_no_file(void **state)
{
	fail_rename = 1;
	convert_fails(*state, "Permission denied");
}

static void test_full_disk_leaves_no_file(void **state)
{
	fail_write = 1;
	room = 8192;
	convert_fails(*state, "No space left on device");
}

static void test_each_workbook_is_synced_unless_no_fsync(void **state)
{
	struct env *e = *state;
	struct wb_result res;
	wb_convert(&e->d, &e->o, &res);
	assert_int_equal(res.status, WB_WARN);
	assert_true(fsyncs >= 1);
	wb_result_free(&res);
	fsyncs = 0;
	e->o.no_fsync = 1;
	wb_convert(&e->d, &e->o, &res);
	assert_int_equal(fsyncs, 0);
	assert_string_equal(buf_str(&res.output), "n.xlsx");
	wb_result_free(&res);
}

static void test_a_link_at_the_name_is_kept_and_not_followed(void **state)
{
	struct env *e = *state;
	char path[128], victim[] = "/tmp/nm-test-victim.XXXXXX";
	int fd = mkstemp(victim);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "keep", 4), 4);
	close(fd);
	snprintf(path, sizeof path, "%s/n.xlsx", e->dir);
	assert_int_equal(symlink(victim, path), 0);
	e->d.owned_hash[0] = '\0';
	struct wb_result res;
	wb_convert(&e->d, &e->o, &res);
	assert_int_equal(res.status, WB_WARN);
	assert_non_null(strstr(buf_str(&res.output), "n."));
	assert_string_not_equal(buf_str(&res.output), "n.xlsx");
	struct stat st;
	assert_int_equal(stat(victim, &st), 0);
	assert_int_equal(st.st_size, 4); /* what the link points to is untouched */
	unlink(victim);
	wb_result_free(&res);
}

/* A workbook as staff leave it: status typed into 任务分工. */
static void typed_workbook(const char *path)
{
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "任务分工");
	worksheet_write_string(ws, 0, 0, "标题", NULL);
	const char *head[] = {"序号", "任务内容", "完成状态", "进展情况"};
	for (int c = 0; c < 4; c++)
		worksheet_write_string(ws, 1, (lxw_col_t)c, head[c], NULL);
	worksheet_write_number(ws, 2, 0, 1, NULL);
	worksheet_write_string(ws, 2, 2, "已完成", NULL);
	worksheet_write_string(ws, 2, 3, "6月已验收", NULL);
	worksheet_write_number(ws, 3, 0, 2, NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
}

static void test_status_is_read_back_by_docno_and_seq(void **state)
{
	struct env *e = *state;
	char path[128];
	struct wb_statuses s = {0};
	struct buf why = BUF_INIT;
	snprintf(path, sizeof path, "%s/typed.xlsx", e->dir);
	typed_workbook(path);
	assert_int_equal(
		wb_statuses_read(&s, &e->out, "typed.xlsx", "东政办〔2018〕108号", "n.txt", &why),
		1);
	const struct wb_status_row *row = wb_statuses_get(&s, "东政办〔2018〕108号#1");
	assert_non_null(row);
	assert_string_equal(row->state, "已完成");
	assert_string_equal(row->progress, "6月已验收");
	assert_null(wb_statuses_get(&s, "东政办〔2018〕108号#2"));
	assert_int_equal(wb_statuses_read(&s, &e->out, "absent.xlsx", "x", "y", &why), 0);
	wb_statuses_free(&s);
	buf_free(&why);
}

/* A zip holding one part. */
static void zip_with(const char *path, const char *name, const char *text)
{
	zipFile z = zipOpen64(path, 0);
	assert_non_null(z);
	assert_int_equal(zipOpenNewFileInZip64(z, name, NULL, NULL, 0, NULL, 0, NULL, Z_DEFLATED,
					       Z_DEFAULT_COMPRESSION, 0),
			 ZIP_OK);
	assert_int_equal(zipWriteInFileInZip(z, text, (unsigned)strlen(text)), ZIP_OK);
	zipCloseFileInZip(z);
	zipClose(z, NULL);
}

static void test_hostile_workbooks_are_refused_with_a_reason(void **state)
{
	struct env *e = *state;
	char path[128];
	struct wb_statuses s = {0};
	struct buf why = BUF_INIT;
	snprintf(path, sizeof path, "%s/dtd.xlsx", e->dir);
	zip_with(
		path, "xl/workbook.xml",
		"<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><workbook>&b;</workbook>");
	assert_int_equal(wb_statuses_read(&s, &e->out, "dtd.xlsx", "x", "y", &why), -1);
	assert_non_null(strstr(buf_str(&why), "DTD"));
	buf_reset(&why);
	snprintf(path, sizeof path, "%s/junk.xlsx", e->dir);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs("not a zip", f);
	fclose(f);
	assert_int_equal(wb_statuses_read(&s, &e->out, "junk.xlsx", "x", "y", &why), -1);
	assert_non_null(strstr(buf_str(&why), "not a zip"));
	buf_reset(&why);
	snprintf(path, sizeof path, "%s/link.xlsx", e->dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(wb_statuses_read(&s, &e->out, "link.xlsx", "x", "y", &why), -1);
	assert_non_null(strstr(buf_str(&why), "link"));
	assert_int_equal(s.n, 0);
	wb_statuses_free(&s);
	buf_free(&why);
}

static void test_latin_runs_are_not_broken_across_lines(void **state)
{
	(void)state;
	assert_int_equal(text_lines("一二三四", 4.4), 1);
	assert_int_equal(text_lines("一二三四五", 4.4), 2);
	/* 12345678 (4.8 ems) cannot start after 一 on a 6-em line */
	assert_int_equal(text_lines("一二12345678", 6), 2);
	assert_int_equal(text_lines("一\n二", 10), 2);
	/* a closing mark stays with the character before it */
	assert_int_equal(text_lines("一二三四，", 4.4), 2);
}

static void test_the_scheme_comes_from_the_title(void **state)
{
	struct env *e = *state;
	struct buf s = BUF_INIT;
	doc_scheme(&e->d, &s);
	assert_string_equal(buf_str(&s), "《海东市补短板实施方案》");
	buf_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failed_fsync_leaves_no_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_rename_leaves_no_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_disk_leaves_no_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_each_workbook_is_synced_unless_no_fsync, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_a_link_at_the_name_is_kept_and_not_followed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_is_read_back_by_docno_and_seq, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_hostile_workbooks_are_refused_with_a_reason,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_latin_runs_are_not_broken_across_lines, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_the_scheme_comes_from_the_title, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
