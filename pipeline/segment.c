/*
 * segment - the second stage: the header, the outline and the closing
 * parts of each notice (lib/notice/layout.h does the work).
 *
 * Reads the line records of a document, holds them until its end record
 * (the 成文日期 may stand anywhere after the 主送机关, and the width a PDF
 * copy was cut at shows only over many lines), and writes head, heading,
 * item, para, row and tail records in line order (pipeline/FORMAT.md).
 * The line records themselves are not passed on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/layout.h"
#include "stream/err.h"
#include "stream/stage.h"

static void usage(FILE *to, int status)
{
	fputs("usage: nm-segment [--rules DIR]... < stream > stream\n"
	      "Finds the header, headings, items, tables and closing parts of each notice.\n",
	      to);
	exit(status);
}

int main(int argc, char **argv)
{
	static struct rules rules;
	static struct layout layout;
	struct buf err = BUF_INIT;
	nm_setprog(argv[0]);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(argv[i], "--rules") != 0 || ++i == argc)
			usage(stderr, NM_EUSAGE);
	}
	if (rules_from_args(&rules, argc, argv, LAYOUT_NEEDS, &err))
		nm_die(NM_ERULES, "bad rules:\n%s", buf_str(&err));
	layout_init(&layout, &rules);
	struct stage st = layout_stage(&layout);
	int status = stage_run(&st);
	layout_free(&layout);
	rules_free(&rules);
	return status;
}
