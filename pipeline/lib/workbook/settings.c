/*
 * settings.c - the rules a workbook stage reads: settings only (fill_note,
 * finding.order, finding.name.RULE, finding.advice.RULE; rules/workbook.rules).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rules/rules.h"
#include "stream/err.h"
#include "workbook/workbook.h"

/* BINDIR/../../rules: the rules/ of the tree the program was built or installed in. */
static int own_rules(char *out, size_t cap)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = '\0';
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			return -1;
		*slash = '\0';
	}
	struct stat st;
	if ((size_t)snprintf(out, cap, "%s/rules", exe) >= cap || stat(out, &st) < 0 ||
	    !S_ISDIR(st.st_mode))
		return -1;
	return 0;
}

int wb_load_settings(struct rules *rs, int argc, char **argv, struct buf *why)
{
	int dirs = 0, problems = 0;
	memset(rs, 0, sizeof *rs);
	for (int i = 1; i + 1 < argc; i++)
		if (strcmp(argv[i], "--rules") == 0)
			dirs++, problems += rules_load(rs, argv[++i], why);
	char dir[PATH_MAX + 8];
	if (!dirs && own_rules(dir, sizeof dir) == 0)
		problems += rules_load(rs, dir, why);
	while (why->len && why->s[why->len - 1] == '\n')
		why->s[--why->len] = '\0';
	return problems ? -1 : 0;
}
