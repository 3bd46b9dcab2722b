/*
 * validate - the fourth stage: findings about numbering, stated counts,
 * dates, document numbers, the header and the tasks' fields
 * (lib/notice/checks.h does the work).
 *
 * Passes every record on but the findings of earlier stages; before each
 * end record it writes the issue date (meta issue_date) and every finding
 * of the notice in line order, each with the task's 序号, the rule's name
 * and what staff should do (pipeline/FORMAT.md). Validation never stops a
 * notice: it only reports.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "stream/err.h"
#include "stream/stage.h"

static void usage(FILE *to, int status)
{
	fputs("usage: nm-validate [--rules DIR]... < stream > stream\n"
	      "Checks the numbering, stated counts, dates, document numbers and fields\n"
	      "of each notice; rules/findings.words names each rule and what to do.\n",
	      to);
	exit(status);
}

static int on_record(void *state, const struct rec *r, FILE *out)
{
	(void)out;
	return checks_add(state, r);
}

static void on_end(void *state, FILE *out, int complete) { checks_write(state, out, complete); }

int main(int argc, char **argv)
{
	static struct rules rules;
	static struct checks checks;
	struct buf err = BUF_INIT;
	nm_setprog(argv[0]);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(argv[i], "--rules") != 0 || ++i == argc)
			usage(stderr, NM_EUSAGE);
	}
	if (rules_from_args(&rules, argc, argv, CHECKS_NEEDS, &err))
		nm_die(NM_ERULES, "bad rules:\n%s", buf_str(&err));
	checks_init(&checks, &rules);
	int status = stage_run(&(struct stage){&checks, on_record, on_end});
	checks_free(&checks);
	rules_free(&rules);
	return status;
}
