/*
 * xlsx - the last stage: the responsibility workbook of each notice.
 *
 * Reads each document (doc ... end), keeps its meta, head, task and finding
 * records, writes OUTDIR/OUTNAME (lib/workbook), and passes on every record
 * but the line-level ones (line, para, heading, item, tail), putting a
 * report record before the document's end record (pipeline/FORMAT.md). A
 * notice that cannot be written is reported as failed; the others go on. A
 * workbook staff have edited is kept and the new one written beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"
#include "stream/err.h"
#include "stream/stage.h"
#include "workbook/workbook.h"

struct xlsx {
	struct wb_options opt;
	struct wb_doc doc;
	int open;
};

static void usage(FILE *to, int status)
{
	fputs("usage: nm-xlsx -o OUTDIR [--split-by-unit] [--no-fsync] [--rules DIR]...\n"
	      "               [--rules-hash HEX] [--program-version V] < stream > stream\n"
	      "Writes OUTDIR/OUTNAME, the 重点任务责任分工表 of each notice, and a report\n"
	      "record for it (pipeline/FORMAT.md). --split-by-unit also writes\n"
	      "OUTDIR/NAME/UNIT.xlsx, the tasks of each unit. Each workbook is synced\n"
	      "before it is renamed into place unless --no-fsync (the caller syncs).\n"
	      "--rules DIR: settings (fill_note, finding names); default: the rules/\n"
	      "of the tree the program belongs to.\n",
	      to);
	exit(status);
}

static void parse_args(int argc, char **argv, struct wb_options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(a, "-o") == 0 && i + 1 < argc && *argv[i + 1])
			o->outdir = argv[++i];
		else if (strcmp(a, "--split-by-unit") == 0)
			o->split_by_unit = 1;
		else if (strcmp(a, "--no-fsync") == 0)
			o->no_fsync = 1;
		else if (strcmp(a, "--rules") == 0 && i + 1 < argc)
			i++; /* wb_load_settings */
		else if (strcmp(a, "--rules-hash") == 0 && i + 1 < argc)
			o->rules_hash = argv[++i];
		else if (strcmp(a, "--program-version") == 0 && i + 1 < argc)
			o->program_version = argv[++i];
		else
			usage(stderr, NM_EUSAGE);
	}
	if (!o->outdir)
		usage(stderr, NM_EUSAGE);
}

static int on_record(void *state, const struct rec *r, FILE *out)
{
	struct xlsx *x = state;
	(void)out;
	if (rec_kind(r) == REC_DOC) {
		struct rec_file f;
		rec_get_file(r, &f);
		wb_doc_init(&x->doc, f.path, f.outname, f.owned_hash);
		x->open = 1;
		return 1;
	}
	return !x->open || rec_kind(r) == REC_END || wb_doc_add(&x->doc, r);
}

/* Writes the workbook of the document and its report record. */
static void on_end(void *state, FILE *out, int complete)
{
	struct xlsx *x = state;
	struct wb_result res;
	if (!x->open)
		return;
	x->doc.complete = complete;
	wb_convert(&x->doc, &x->opt, &res);
	rec_put_report(out, &(struct rec_report){x->doc.path, wb_status_name(res.status),
						 (long)x->doc.ntasks, (long)x->doc.nfindings,
						 x->doc.encoding ? x->doc.encoding : "",
						 buf_str(&res.output), buf_str(&res.message),
						 x->doc.outname, res.hash});
	wb_result_free(&res);
	wb_doc_free(&x->doc);
	x->open = 0;
}

int main(int argc, char **argv)
{
	static struct xlsx x;
	static struct rules rules;
	struct outdir dir;
	struct buf why = BUF_INIT;
	nm_setprog(argv[0]);
	parse_args(argc, argv, &x.opt);
	if (wb_load_settings(&rules, argc, argv, &why) < 0)
		nm_die(NM_ERULES, "%s", buf_str(&why));
	if (outdir_open(&dir, x.opt.outdir, 1, &why) < 0)
		nm_die(NM_EOUTPUT, "%s", buf_str(&why));
	x.opt.rules = &rules;
	x.opt.dir = &dir;
	wb_keep_heap();
	wb_remove_temp_on_signal();
	int rc = stage_run(&(struct stage){&x, on_record, on_end});
	outdir_close(&dir);
	rules_free(&rules);
	buf_free(&why);
	return rc;
}
