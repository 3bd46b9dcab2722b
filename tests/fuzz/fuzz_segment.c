/*
 * fuzz_segment - the segment stage's logic (lib/notice/layout.h) run by the
 * stage loop, as nm-segment runs it.
 *
 * Each input is a notice as decoded text: every line is cleaned as decode
 * does (utf8_clean) and becomes a line record of one doc ... end group. An
 * input that starts with "doc<TAB>" is taken as a record stream and fed as
 * it is (invalid UTF-8 replaced: fz_raw_stream in fuzz_stream.h); with
 * FUZZ_RAW_TAIL it may stop inside a notice, as a killed decode's does.
 *
 * Checks: no sanitizer report; the output is valid UTF-8 when the input
 * was; every record but line records is passed on unchanged, in order.
 */
#include <stdlib.h>
#include <string.h>

#include "notice/layout.h"
#include "stream/stage.h"
#include "stream/utf8.h"

#include "fuzz_stream.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct rules rules;
static struct layout layout;

static int filter(FILE *in, FILE *out)
{
	struct stage st = layout_stage(&layout);
	return stage_loop(in, out, &st);
}

/* segment consumes exactly the records whose type is "line". */
static int consumed(const char *s, size_t n)
{
	return n >= 4 && memcmp(s, "line", 4) == 0 && (n == 4 || s[4] == '\t' || s[4] == '\0');
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	char *dir = getenv("NM_FUZZ_RULES");
	char *args[] = {"nm-segment", "--rules", dir ? dir : "rules", NULL};
	struct buf err = BUF_INIT;
	nm_setprog(args[0]);
	if (rules_from_args(&rules, 3, args, LAYOUT_NEEDS, &err))
		nm_die(NM_EUSAGE, "bad rules:\n%s", buf_str(&err));
	buf_free(&err);
	layout_init(&layout, &rules);
	return 0;
}

struct build {
	struct buf stream, line;
	long no;
};

static void add_line(const char *s, size_t n, void *ctx)
{
	struct build *b = ctx;
	buf_reset(&b->line);
	utf8_clean(&b->line, s, n);
	buf_printf(&b->stream, "line\t%ld", ++b->no);
	fz_field(&b->stream, buf_str(&b->line), b->line.len);
	buf_addc(&b->stream, '\n');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fz_is_stream(data, size)) {
		struct buf fixed = BUF_INIT;
		size_t n;
		const char *s = fz_raw_stream(data, size, &fixed, &n);
		fz_run(filter, s, n, consumed);
		buf_free(&fixed);
		return 0;
	}
	struct build b = {BUF_INIT, BUF_INIT, 0};
	buf_adds(&b.stream, "doc\tfuzz\tx.xlsx\n");
	fz_lines(data, size, add_line, &b);
	buf_adds(&b.stream, "end\n");
	fz_run(filter, b.stream.s, b.stream.len, consumed);
	buf_free(&b.stream);
	buf_free(&b.line);
	return 0;
}
