/*
 * keep - passes a record stream on unchanged and keeps each document of it
 * in OUTDIR/NAME.stages/LABEL.stream (run.sh --keep-intermediate puts one
 * after each stage).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "batch/keep.h"
#include "stream/err.h"

static void usage(FILE *to, int status)
{
	fputs("usage: nm-keep -o OUTDIR LABEL < stream > stream\n"
	      "Passes the stream on and keeps each document in OUTDIR/NAME.stages/LABEL.stream.\n",
	      to);
	exit(status);
}

int main(int argc, char **argv)
{
	nm_setprog(argv[0]);
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))
		usage(stdout, 0);
	if (argc != 4 || strcmp(argv[1], "-o") != 0 || !*argv[2] || !*argv[3] ||
	    strchr(argv[3], '/'))
		usage(stderr, NM_EUSAGE);
	struct outdir od;
	struct buf why = BUF_INIT;
	if (outdir_open(&od, argv[2], 1, &why) < 0)
		nm_die(NM_EOUTPUT, "%s", buf_str(&why));
	if (keep_stream(stdin, stdout, &od, argv[3], &why) < 0)
		nm_die(NM_EINPUT, "%s", buf_str(&why));
	outdir_close(&od);
	buf_free(&why);
	nm_close_stdout();
	return 0;
}
