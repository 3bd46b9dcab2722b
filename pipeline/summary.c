/*
 * summary - after a run: OUTDIR/summary.xlsx, every task of every notice
 * of the run with its 来源文件 and 发文字号, and the 批处理报告 sheet; with
 * --split-by-unit also OUTDIR/单位/UNIT.xlsx, each unit's tasks across the
 * run. Reads the streams the xlsx stage wrote (doc, head, task, report).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "stream/rec.h"
#include "workbook/workbook.h"

static void usage(FILE *to, int status)
{
	fputs("usage: nm-summary -o OUTDIR [--split-by-unit] < reports\n"
	      "Writes OUTDIR/summary.xlsx from the report streams of a run; with\n"
	      "--split-by-unit also OUTDIR/单位/UNIT.xlsx for each unit.\n", to);
	exit(status);
}

static void parse_args(int argc, char **argv, struct wb_options *o)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc && *argv[i + 1])
			o->outdir = argv[++i];
		else if (strcmp(argv[i], "--split-by-unit") == 0)
			o->split_by_unit = 1;
		else
			usage(stderr, NM_EUSAGE);
	}
	if (!o->outdir)
		usage(stderr, NM_EUSAGE);
}

int main(int argc, char **argv)
{
	struct wb_options opt = {0};
	nm_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	wb_keep_heap();
	wb_remove_temp_on_signal();
	struct wb_batch batch;
	struct rec r = REC_INIT;
	struct buf why = BUF_INIT;
	int rc;
	wb_batch_init(&batch);
	while ((rc = rec_read(&r, stdin)) > 0)
		wb_batch_add(&batch, &r);
	if (rc < 0)
		nm_die(NM_EUSAGE, "read error on standard input");
	int failed = wb_batch_write(&batch, &opt, &why) < 0;
	if (failed)
		nm_warn("%s", buf_str(&why));
	wb_batch_free(&batch);
	rec_free(&r);
	buf_free(&why);
	return failed ? NM_EDATA : 0;
}
