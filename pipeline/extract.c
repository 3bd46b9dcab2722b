/*
 * extract - the third stage: the tasks of each notice and who is
 * responsible for them (lib/notice/tasks.h does the work).
 *
 * Passes every record on; before each end record it writes one task record
 * per task in the notice's order and the unit findings (pipeline/FORMAT.md).
 * With --as-of, units are named as on that day (the renames tables), the
 * notice's own names kept beside.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/cn.h"
#include "notice/tasks.h"
#include "stream/err.h"
#include "stream/stage.h"

static void usage(FILE *to, int status)
{
	fputs("usage: nm-extract [--rules DIR]... [--as-of YYYY-MM-DD] < stream > stream\n"
	      "Finds the tasks of each notice and their leaders, units and deadlines;\n"
	      "with --as-of, units are named as on that day (rules/*.renames).\n",
	      to);
	exit(status);
}

int main(int argc, char **argv)
{
	static struct rules rules;
	static struct tasks tasks;
	struct ymd as_of = {0};
	struct buf err = BUF_INIT;
	nm_setprog(argv[0]);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(argv[i], "--as-of") == 0 && i + 1 < argc) {
			const char *s = argv[++i];
			if (strlen(s) != 10 || !date_from_iso(s, &as_of.y, &as_of.m, &as_of.d))
				nm_die(NM_EUSAGE, "--as-of needs a date YYYY-MM-DD, not '%s'", s);
		} else if (strcmp(argv[i], "--rules") != 0 || ++i == argc)
			usage(stderr, NM_EUSAGE);
	}
	if (rules_from_args(&rules, argc, argv, TASKS_NEEDS, &err))
		nm_die(NM_ERULES, "bad rules:\n%s", buf_str(&err));
	tasks_init(&tasks, &rules);
	tasks.as_of = as_of;
	struct stage st = tasks_stage(&tasks);
	int status = stage_run(&st);
	tasks_free(&tasks);
	rules_free(&rules);
	return status;
}
