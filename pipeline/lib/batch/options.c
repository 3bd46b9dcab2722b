/* options.c - the driver's options and their values, checked. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "batch/options.h"
#include "stream/err.h"

const char *batch_usage(void)
{
	return "usage: run.sh [OPTIONS] [INPUT...]\n"
	       "Converts each notice (a file, or every file under a directory) into\n"
	       "OUTDIR/NAME.xlsx, the 重点任务责任分工表 of the notice. No INPUT: samples/.\n"
	       "\n"
	       "  -o DIR               output directory (default: out/)\n"
	       "  -j N                 notices converted in parallel (default: number of cores)\n"
	       "  --from ENC           decode every input as ENC (any iconv name) instead of detecting\n"
	       "  --rules DIR          rules directory instead of rules/\n"
	       "  --extra-rules DIR    more rules on top (a city's aliases, patterns); repeatable\n"
	       "  --force              convert even what is up to date\n"
	       "  --strict             a notice with 警告 or 错误 findings counts as failed\n"
	       "  --split-by-unit      also write NAME/UNIT.xlsx, one workbook per unit\n"
	       "  --as-of DATE         name units as on DATE (YYYY-MM-DD or today) per rules/*.renames;\n"
	       "                       the names as written stay beside them\n"
	       "  --max-size BYTES     refuse larger notices (default: 67108864, 64 MB)\n"
	       "  --time-limit SECONDS a notice the stages work on longer fails (default: 120;\n"
	       "                       .doc, .wps and .pdf get the converter's 120 more)\n"
	       "  --keep-intermediate  keep each stage's stream in OUTDIR/NAME.stages/\n"
	       "  --dry-run            print what each input would become (convert, skip, fail)\n"
	       "                       and write nothing\n"
	       "  -q                   no progress line\n"
	       "  -h, --help           this help\n"
	       "\n"
	       "Exit status: 0 all converted (findings allowed), 1 some notices failed,\n"
	       "2 usage error, bad rules, or another run writing to OUTDIR (nothing\n"
	       "converted), 128+N stopped by signal N (what was converted is kept).\n";
}

/* A whole decimal number in [min, max]. */
static int number(const char *s, unsigned long long min, unsigned long long max,
		  unsigned long long *v)
{
	if (!*s)
		return -1;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	errno = 0;
	unsigned long long n = strtoull(s, NULL, 10);
	if (errno || n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

static int valid_date(const char *s)
{
	int y, m, d;
	char tail;
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-' ||
	    sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
		return 0;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return 0;
	static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
		return 0;
	return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)));
}

static long default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 64 ? 64 : n;
}

enum opts_result batch_opts_parse(struct batch_opts *o, int argc, char **argv, struct buf *why)
{
	memset(o, 0, sizeof *o);
	o->outdir = "out";
	o->jobs = (unsigned)default_jobs();
	o->max_size = 64ULL << 20;
	o->time_limit = 120;
	o->inputs = nm_xmalloc((size_t)argc * sizeof *o->inputs);
	o->extra_rules = nm_xmalloc((size_t)argc * sizeof *o->extra_rules);
	int i = 1;
	for (; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			o->inputs[o->ninputs++] = argv[i];
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0)
			return OPTS_HELP;
		if (strcmp(a, "--force") == 0)
			o->force = 1;
		else if (strcmp(a, "--strict") == 0)
			o->strict = 1;
		else if (strcmp(a, "--split-by-unit") == 0)
			o->split = 1;
		else if (strcmp(a, "--keep-intermediate") == 0)
			o->keep = 1;
		else if (strcmp(a, "-q") == 0)
			o->quiet = 1;
		else if (strcmp(a, "--dry-run") == 0)
			o->dry_run = 1;
		else if (strcmp(a, "-o") == 0 || strcmp(a, "-j") == 0 || strcmp(a, "--from") == 0 ||
			 strcmp(a, "--rules") == 0 || strcmp(a, "--extra-rules") == 0 ||
			 strcmp(a, "--max-size") == 0 || strcmp(a, "--as-of") == 0 ||
			 strcmp(a, "--time-limit") == 0) {
			if (i + 1 >= argc) {
				buf_printf(why, "option %s needs a value", a);
				return OPTS_USAGE;
			}
			const char *v = argv[++i];
			unsigned long long n;
			if (strcmp(a, "-o") == 0) {
				if (!*v) {
					buf_printf(why, "-o needs a directory, not an empty name");
					return OPTS_USAGE;
				}
				o->outdir = v;
			} else if (strcmp(a, "-j") == 0) {
				if (number(v, 1, 64, &n) < 0) {
					buf_printf(
						why,
						"-j needs a number of jobs from 1 to 64, not '%s'",
						v);
					return OPTS_USAGE;
				}
				o->jobs = (unsigned)n;
			} else if (strcmp(a, "--from") == 0) {
				o->from = v;
			} else if (strcmp(a, "--rules") == 0) {
				o->rules = v;
			} else if (strcmp(a, "--extra-rules") == 0) {
				o->extra_rules[o->nextra++] = v;
			} else if (strcmp(a, "--max-size") == 0) {
				if (number(v, 1, 1ULL << 40, &n) < 0) {
					buf_printf(why,
						   "--max-size needs a number of bytes, not '%s'",
						   v);
					return OPTS_USAGE;
				}
				o->max_size = n;
			} else if (strcmp(a, "--time-limit") == 0) {
				if (number(v, 1, 86400, &n) < 0) {
					buf_printf(
						why,
						"--time-limit needs a number of seconds from 1 to 86400, not '%s'",
						v);
					return OPTS_USAGE;
				}
				o->time_limit = (unsigned)n;
			} else if (strcmp(v, "today") == 0) {
				time_t now = time(NULL);
				struct tm tm;
				localtime_r(&now, &tm);
				strftime(o->as_of, sizeof o->as_of, "%Y-%m-%d", &tm);
			} else if (valid_date(v)) {
				memcpy(o->as_of, v, 11);
			} else {
				buf_printf(why,
					   "--as-of needs a date YYYY-MM-DD or 'today', not '%s'",
					   v);
				return OPTS_USAGE;
			}
		} else {
			buf_printf(why, "unknown option %s", a);
			return OPTS_USAGE;
		}
	}
	for (; i < argc; i++)
		o->inputs[o->ninputs++] = argv[i];
	return OPTS_RUN;
}

void batch_opts_free(struct batch_opts *o)
{
	free(o->inputs);
	free(o->extra_rules);
	o->inputs = NULL;
	o->extra_rules = NULL;
}
