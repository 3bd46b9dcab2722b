/*
 * fuzz_validate - the validate stage's logic (lib/notice/checks.h) run by
 * the stage loop, as nm-validate runs it.
 *
 * Its input is the output of segment and extract: an input starting with
 * "doc<TAB>" is such a stream and is fed as it is (invalid UTF-8 replaced:
 * fz_raw_stream); any other input is turned into head, heading, item,
 * para, tail, task and meta records line by line (fz_typed_stream in
 * fuzz_stream.h describes how the first byte of a line chooses).
 *
 * Checks: no sanitizer report; the output is valid UTF-8 when the input
 * was; every input record but the findings (which validate writes again,
 * in line order, at the end of their notice) is passed on unchanged, in
 * order.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/checks.h"
#include "stream/stage.h"

#include "fuzz_stream.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rules rules;
static struct checks checks;

static int on_record(void *state, const struct rec *r, FILE *out)
{
	(void)out;
	return checks_add(state, r);
}

static void on_end(void *state, FILE *out, int complete) { checks_write(state, out, complete); }

static int filter(FILE *in, FILE *out)
{
	return stage_loop(in, out, &(struct stage){&checks, on_record, on_end});
}

/* Finding records inside a notice are written again at its end, sorted. */
static int consumed(const char *s, size_t n)
{
	return n >= strlen("finding\t") && memcmp(s, "finding\t", strlen("finding\t")) == 0;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	char *dir = getenv("NM_FUZZ_RULES");
	char *args[] = {"nm-validate", "--rules", dir ? dir : "rules", NULL};
	struct buf err = BUF_INIT;
	nm_setprog(args[0]);
	if (rules_from_args(&rules, 3, args, CHECKS_NEEDS, &err))
		nm_die(NM_EUSAGE, "bad rules:\n%s", buf_str(&err));
	buf_free(&err);
	checks_init(&checks, &rules);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf stream = BUF_INIT, fixed = BUF_INIT;
	const char *s;
	size_t n;
	if (fz_is_stream(data, size)) {
		s = fz_raw_stream(data, size, &fixed, &n);
	} else {
		fz_typed_stream(&rules, data, size, &stream);
		s = stream.s, n = stream.len;
	}
	fz_run(filter, s, n, consumed);
	checks_reset(&checks); /* a stream ending outside a notice keeps nothing */
	buf_free(&stream);
	buf_free(&fixed);
	return 0;
}
