/*
 * fuzz_segment - the segment stage (pipeline/segment.c) on its own.
 *
 * The stage file is compiled into the target (its main renamed), so its
 * static filter() and rules are reachable. Each input is a notice as
 * decoded text: every line is normalised as decode does and becomes a
 * line record of one doc ... end group. An input that starts with
 * "doc<TAB>" is taken as a record stream and fed as it is (invalid UTF-8
 * replaced: fz_raw_stream in fuzz_stream.h), with an end record added.
 *
 * Checks: no sanitizer report; the output is valid UTF-8 when the input
 * was; every record but line records is passed on unchanged, in order.
 */
#define main segment_main
#include "../../pipeline/segment.c"
#undef main

#include "fuzz_stream.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fz_load_rules(load_rules, "nm-segment");
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
	utf8_normalise(&b->line, s, n);
	buf_printf(&b->stream, "line\t%ld", ++b->no);
	fz_field(&b->stream, buf_str(&b->line), b->line.len);
	buf_addc(&b->stream, '\n');
}

/* segment consumes exactly the records whose type is "line". */
static int consumed(const char *s, size_t n)
{
	return n >= 4 && memcmp(s, "line", 4) == 0 && (n == 4 || s[4] == '\t' || s[4] == '\0');
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (fz_is_stream(data, size)) {
		struct buf fixed = BUF_INIT, stream = BUF_INIT;
		size_t n;
		const char *s = fz_raw_stream(data, size, &fixed, &n);
		buf_add(&stream, s, n);
#ifndef FUZZ_RAW_TAIL
		/* filter() keeps the lines of a document until its end record and
		 * neither writes nor frees them when the input stops before one
		 * (regressions/fuzz_segment/crash-6f4fe0ba): every stream gets an end. */
		if (n && s[n - 1] != '\n')
			buf_addc(&stream, '\n');
		buf_adds(&stream, "end\n");
#endif
		fz_run(filter, stream.s, stream.len, consumed);
		buf_free(&fixed);
		buf_free(&stream);
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
