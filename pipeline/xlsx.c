/*
 * xlsx - the last stage: the responsibility workbook of each notice.
 *
 * Reads each document (doc ... end), keeps its meta, head, task and finding
 * records, writes OUTDIR/OUTNAME (pipeline/workbook.c), and passes on every
 * record but the line-level ones (line, para, heading, item, tail), ending
 * the document with a report record (pipeline/FORMAT.md). A notice that
 * cannot be written is reported as failed; the others go on. A workbook
 * staff have edited is kept and the new one written beside it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "rec.h"
#include "workbook.h"

static void usage(FILE *to, int status)
{
	fputs("usage: nm-xlsx -o OUTDIR [--split-by-unit] [--rules-hash HEX] [--program-version V]\n"
	      "               < stream > stream\n"
	      "Writes OUTDIR/OUTNAME, the 重点任务责任分工表 of each notice, and a report\n"
	      "record for it (pipeline/FORMAT.md). --split-by-unit also writes\n"
	      "OUTDIR/NAME/UNIT.xlsx, the tasks of each unit.\n", to);
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

/* Writes the workbook of d, its report record and its end record. */
static void finish(FILE *out, struct wb_doc *d, const struct wb_options *o)
{
	struct wb_result res;
	char tasks[32], findings[32];
	wb_convert(d, o, &res);
	snprintf(tasks, sizeof tasks, "%zu", d->ntasks);
	snprintf(findings, sizeof findings, "%zu", d->nfindings);
	rec_put(out, "report", d->path, wb_status_name(res.status), tasks, findings,
		d->encoding ? d->encoding : "", buf_str(&res.output), buf_str(&res.message),
		d->outname, res.hash, NULL);
	rec_put(out, "end", NULL);
	fflush(out);
	wb_result_free(&res);
	wb_doc_free(d);
}

int main(int argc, char **argv)
{
	struct wb_options opt = {0};
	nm_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	wb_keep_heap();
	wb_remove_temp_on_signal();
	struct rec r = REC_INIT;
	struct wb_doc d;
	int open = 0, rc;
	while ((rc = rec_read(&r, stdin)) > 0) {
		if (rec_is(&r, "doc")) {
			if (open)
				finish(stdout, &d, &opt);
			wb_doc_init(&d, rec_field(&r, 1), rec_field(&r, 2), rec_field(&r, 3));
			open = 1;
			rec_pass(stdout, &r);
		} else if (open && rec_is(&r, "end")) {
			d.complete = 1;
			finish(stdout, &d, &opt);
			open = 0;
		} else if (!open || wb_doc_add(&d, &r)) {
			rec_pass(stdout, &r);
		}
	}
	if (rc < 0)
		nm_die(NM_EUSAGE, "read error on standard input");
	if (open)
		finish(stdout, &d, &opt);
	rec_free(&r);
	nm_close_stdout();
	return 0;
}
