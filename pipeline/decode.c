/*
 * decode - the first stage: notice files to UTF-8 lines as written.
 *
 * Reads "file" records (a path and the output name), writes for each a
 * document: doc, meta, line..., end; or doc, fail, end when the file cannot
 * be read as a notice (lib/front/reader.h does the work). See FORMAT.md.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "front/reader.h"
#include "stream/err.h"
#include "stream/rec.h"

static void usage(FILE *to, int status)
{
	fputs("usage: nm-decode [--from ENC] [--max-size BYTES] < files > stream\n"
	      "Reads 'file PATH OUTNAME' records and writes each notice as normalised\n"
	      "UTF-8 lines (pipeline/FORMAT.md).\n",
	      to);
	exit(status);
}

/* A whole number of bytes; anything else is a usage error. */
static unsigned long long parse_size(const char *s)
{
	char *end;
	errno = 0;
	unsigned long long n = strtoull(s, &end, 10);
	if (!*s || *end || errno || s[strspn(s, "0123456789")] != '\0')
		nm_die(NM_EUSAGE, "--max-size needs a number of bytes, not '%s'", s);
	return n;
}

static void parse_args(int argc, char **argv, struct front_options *opt)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(a, "--from") == 0 && i + 1 < argc)
			opt->from = argv[++i];
		else if (strcmp(a, "--max-size") == 0 && i + 1 < argc)
			opt->max_size = parse_size(argv[++i]);
		else
			usage(stderr, NM_EUSAGE);
	}
}

int main(int argc, char **argv)
{
	struct front_options opt = {NULL, 64ULL << 20};
	nm_setprog(argv[0]);
	parse_args(argc, argv, &opt);
	struct rec r = REC_INIT;
	struct buf data = BUF_INIT;
	int rc;
	while ((rc = rec_read(&r, stdin)) > 0) {
		if (rec_is(&r, "file"))
			front_decode_file(stdout, &r, &opt, &data);
		else
			rec_pass(stdout, &r);
	}
	if (rc < 0)
		nm_die(NM_EINPUT, "read error on standard input");
	rec_free(&r);
	buf_free(&data);
	nm_close_stdout();
	return 0;
}
