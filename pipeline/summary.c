/*
 * summary - after a run: OUTDIR/summary.xlsx, every task of every notice
 * of the run with its 来源文件 and 发文字号, the status staff typed carried
 * over, and the 批处理报告 sheet; with --split-by-unit also
 * OUTDIR/单位/UNIT.xlsx, each unit's tasks across the run. Reads the
 * streams the xlsx stage wrote (doc, head, task, report).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "stream/err.h"
#include "stream/rec.h"
#include "workbook/workbook.h"

static void usage(FILE *to, int status)
{
	fputs("usage: nm-summary -o OUTDIR [--split-by-unit] [--no-fsync] [--rules DIR]... < reports\n"
	      "Writes OUTDIR/summary.xlsx from the report streams of a run (unless its\n"
	      "content is unchanged), carrying over the 完成状态 and 进展情况 staff typed\n"
	      "into it or into the notices' workbooks; with --split-by-unit also\n"
	      "OUTDIR/单位/UNIT.xlsx for each unit.\n",
	      to);
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
		else if (strcmp(argv[i], "--no-fsync") == 0)
			o->no_fsync = 1;
		else if (strcmp(argv[i], "--rules") == 0 && i + 1 < argc)
			i++; /* wb_load_settings */
		else
			usage(stderr, NM_EUSAGE);
	}
	if (!o->outdir)
		usage(stderr, NM_EUSAGE);
}

int main(int argc, char **argv)
{
	static struct rules rules;
	struct wb_options opt = {0};
	struct outdir dir;
	struct wb_batch batch;
	struct rec r = REC_INIT;
	struct buf why = BUF_INIT, notes = BUF_INIT;
	int rc;
	nm_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	if (wb_load_settings(&rules, argc, argv, &why) < 0)
		nm_die(NM_ERULES, "%s", buf_str(&why));
	if (outdir_open(&dir, opt.outdir, 1, &why) < 0)
		nm_die(NM_EOUTPUT, "%s", buf_str(&why));
	opt.rules = &rules;
	opt.dir = &dir;
	wb_keep_heap();
	wb_remove_temp_on_signal();
	wb_batch_init(&batch);
	while ((rc = rec_read(&r, stdin)) > 0)
		wb_batch_add(&batch, &r);
	if (rc < 0)
		nm_die(NM_EINPUT, "read error on standard input");
	int failed = wb_batch_write(&batch, &opt, &why, &notes) < 0;
	for (char *line = notes.s, *nl; line && *line; line = nl + 1) {
		nl = strchr(line, '\n');
		if (!nl)
			break;
		*nl = '\0';
		nm_warn("%s", line);
	}
	if (failed)
		nm_warn("%s", buf_str(&why));
	wb_batch_free(&batch);
	rec_free(&r);
	outdir_close(&dir);
	rules_free(&rules);
	buf_free(&why), buf_free(&notes);
	return failed ? NM_EDATA : 0;
}
