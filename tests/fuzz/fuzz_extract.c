/*
 * fuzz_extract - the extract stage's logic (lib/notice/tasks.h) run by the
 * stage loop, as nm-extract runs it.
 *
 * Its input is segment's output: an input starting with "doc<TAB>" is such
 * a stream and is fed as it is (invalid UTF-8 replaced: fz_raw_stream); any
 * other input is turned into head, heading, item, para, tail, task and meta
 * records line by line (fz_typed_stream in fuzz_stream.h describes how the
 * first byte of a line chooses). Either way the LABEL and BODY of headings
 * are made what segment writes (fz_consistent).
 *
 * Checks: no sanitizer report; the output is valid UTF-8 when the input
 * was; every input record is passed on unchanged, in order.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/tasks.h"
#include "stream/stage.h"

#include "fuzz_stream.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rules rules;
static struct tasks tasks;

static int filter(FILE *in, FILE *out)
{
	struct stage st = tasks_stage(&tasks);
	return stage_loop(in, out, &st);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	char *dir = getenv("NM_FUZZ_RULES");
	char *args[] = {"nm-extract", "--rules", dir ? dir : "rules", NULL};
	struct buf err = BUF_INIT;
	nm_setprog(args[0]);
	if (rules_from_args(&rules, 3, args, TASKS_NEEDS, &err))
		nm_die(NM_EUSAGE, "bad rules:\n%s", buf_str(&err));
	buf_free(&err);
	tasks_init(&tasks, &rules);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf stream = BUF_INIT, fixed = BUF_INIT, heads = BUF_INIT;
	if (fz_is_stream(data, size)) {
		size_t n;
		const char *s = fz_raw_stream(data, size, &fixed, &n);
		fz_consistent(s, n, &heads);
	} else {
		fz_typed_stream(&rules, data, size, &stream);
		fz_consistent(stream.s, stream.len, &heads);
	}
	fz_run(filter, buf_str(&heads), heads.len, NULL);
	buf_free(&stream);
	buf_free(&fixed);
	buf_free(&heads);
	return 0;
}
