/*
 * fuzz_validate - the validate stage (pipeline/validate.c) on its own.
 *
 * The stage file is compiled into the target (its main renamed). Its input
 * is the output of segment and extract: an input starting with "doc<TAB>"
 * is such a stream and is fed as it is (invalid UTF-8 replaced:
 * fz_raw_stream); any other input is turned into head, heading, item,
 * para, tail, task and meta records line by line (fz_typed_stream in
 * fuzz_stream.h describes how the first byte of a line chooses).
 *
 * Checks: no sanitizer report; the output is valid UTF-8 when the input
 * was; every input record is passed on unchanged, in order.
 */
#define main validate_main
#include "../../pipeline/validate.c"
#undef main

#include "fuzz_stream.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	fz_load_rules(load_rules, "nm-validate");
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
	fz_run(filter, s, n, NULL);
	buf_free(&stream);
	buf_free(&fixed);
	return 0;
}
