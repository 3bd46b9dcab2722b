/*
 * run - the batch driver: run.sh's work in C (README.md, "Options").
 *
 * Walks the inputs, decides what is up to date, converts the rest through
 * -j chains of stage processes (nm-decode | … | nm-xlsx) and writes
 * report.tsv, the manifest and summary.xlsx. Everything is in lib/batch/.
 */
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/batch.h"
#include "stream/err.h"

/* Standard input, output and error open, so that no pipe of a chain lands on them. */
static void hold_std_fds(void)
{
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", fd ? O_WRONLY : O_RDONLY) < 0)
			exit(NM_EUSAGE);
}

int main(int argc, char **argv)
{
	nm_progname = "notice-matrix";
	hold_std_fds();
	struct batch_opts o;
	struct buf why = BUF_INIT;
	switch (batch_opts_parse(&o, argc, argv, &why)) {
	case OPTS_HELP:
		fputs(batch_usage(), stdout);
		batch_opts_free(&o);
		nm_close_stdout();
		return 0;
	case OPTS_USAGE:
		nm_warn("%s", buf_str(&why));
		fputs("Try 'run.sh --help'.\n", stderr);
		batch_opts_free(&o);
		buf_free(&why);
		return NM_EUSAGE;
	case OPTS_RUN:
		break;
	}
	static char self[4096], home[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
	self[n > 0 ? n : 0] = '\0';
	struct batch_paths p;
	p.bindir = getenv("NM_BIN") && *getenv("NM_BIN") ? getenv("NM_BIN") : dirname(self);
	if (getenv("NM_HOME") && *getenv("NM_HOME"))
		p.home = getenv("NM_HOME");
	else
		snprintf(home, sizeof home, "%s/../..", p.bindir), p.home = home;
	int rc = batch_run(&o, &p);
	batch_opts_free(&o);
	return rc;
}
