/*
 * fuzz_rec - the record reader (pipeline/rec.c).
 *
 * Feeds the bytes to rec_read() through fmemopen, reads every field of
 * every record, passes each on with rec_pass() and checks that the writer
 * and the reader agree: fields written with rec_put_field() read back the
 * same, and rec_pass() writes the line exactly as it was read.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/rec.h"
#include "stream/utf8.h"

static FILE *devnull;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc, (void)argv;
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	return 0;
}

/* Writes the fields of r, each escaped after a TAB, and reads them back:
 * the record read has an empty type and then the same fields. (A record that
 * was not UTF-8 reads back with U+FFFD for its bad bytes, by design.) */
static void round_trip(const struct rec *r)
{
	if (!utf8_valid(buf_str(&r->raw), r->raw.len, NULL))
		return;
	char *out = NULL;
	size_t outlen = 0;
	FILE *o = open_memstream(&out, &outlen);
	if (!o)
		abort();
	for (size_t i = 0; i < r->nf; i++)
		rec_put_field(o, r->f[i]);
	rec_end(o);
	fclose(o);
	FILE *in = fmemopen(out, outlen, "r");
	if (!in)
		abort();
	struct rec back = REC_INIT;
	if (rec_read(&back, in) != 1 || back.nf != r->nf + 1 || *back.f[0]) {
		fprintf(stderr, "fuzz_rec: round trip gave %zu fields for %zu\n", back.nf, r->nf);
		abort();
	}
	for (size_t i = 0; i < r->nf; i++)
		if (strcmp(back.f[i + 1], r->f[i]) != 0) {
			fprintf(stderr, "fuzz_rec: field %zu changed in the round trip\n", i);
			abort();
		}
	if (rec_read(&back, in) != 0)
		abort(); /* one line written, one record read */
	rec_free(&back);
	fclose(in);
	free(out);
}

/* rec_pass writes the line as read: its bytes then a newline. */
static void check_pass(const struct rec *r)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *o = open_memstream(&out, &outlen);
	if (!o)
		abort();
	rec_pass(o, r);
	fclose(o);
	if (outlen != r->raw.len + 1 || memcmp(out, buf_str(&r->raw), r->raw.len) != 0 ||
	    out[r->raw.len] != '\n')
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	FILE *in = fmemopen((void *)data, size, "r");
	if (!in)
		abort();
	struct rec r = REC_INIT;
	size_t total = 0, records = 0, lines = 0;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	lines += data[size - 1] != '\n';
	int rc;
	while ((rc = rec_read(&r, in)) > 0) {
		records++;
		if (r.nf == 0 || r.lineno != records)
			abort();
		for (size_t i = 0; i < r.nf; i++) {
			const char *f = rec_field(&r, i);
			if (f != r.f[i])
				abort();
			total += strlen(f);
		}
		if (*rec_field(&r, r.nf) != '\0' || *rec_field(&r, r.nf + 7) != '\0')
			abort();
		if (!rec_is(&r, r.f[0]))
			abort();
		rec_pass(devnull, &r);
		check_pass(&r);
		round_trip(&r);
	}
	if (rc < 0 || records != lines)
		abort();
	rec_free(&r);
	fclose(in);
	fflush(devnull);
	return total == (size_t)-1; /* keep total alive */
}
