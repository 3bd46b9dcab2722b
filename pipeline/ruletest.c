/*
 * ruletest - checks the examples written in the rules files, in the spirit
 * of pcre2test: every "+" line must match the pattern above it, every "-"
 * line must not. Each example is echoed with what it yielded, so a diff
 * against an expected file explains itself.
 *
 * With --echo NAME, matches each line of standard input against the
 * patterns called NAME instead.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "rules/rules.h"

static struct rules rules;

/* Prints the named groups of a match as " name=value". */
static void print_groups(FILE *out, const struct match *m)
{
	uint32_t count, size;
	PCRE2_SPTR table;
	pcre2_pattern_info(m->rule->re, PCRE2_INFO_NAMECOUNT, &count);
	pcre2_pattern_info(m->rule->re, PCRE2_INFO_NAMEENTRYSIZE, &size);
	pcre2_pattern_info(m->rule->re, PCRE2_INFO_NAMETABLE, &table);
	for (uint32_t i = 0; i < count; i++) {
		const char *name = (const char *)table + i * size + 2;
		size_t len;
		const char *v = match_group(m, name, &len);
		if (v)
			fprintf(out, " %s=%.*s", name, (int)len, v);
	}
}

/* Returns 1 when the example behaved as its sign says. */
static int run_example(FILE *out, const struct rule *r, const struct example *ex)
{
	struct match m;
	int rc = rules_match_one(&rules, r, ex->text, strlen(ex->text), 0, &m);
	int ok = ex->sign == '+' ? rc == 1 : rc == 0;
	fprintf(out, "%s %c %s =>", r->name, ex->sign, ex->text);
	if (rc == 1) {
		fprintf(out, " [%.*s]", (int)(match_end(&m) - match_start(&m)),
			ex->text + match_start(&m));
		print_groups(out, &m);
	} else {
		fputs(rc == 0 ? " no match" : " match error", out);
	}
	fputs(ok ? "\n" : "  <-- FAIL\n", out);
	if (!ok)
		nm_warn("%s: example line %d %s", r->source, ex->line,
			ex->sign == '+' ? "does not match" : "matches but must not");
	return ok;
}

static int check_examples(void)
{
	int failed = 0;
	for (size_t i = 0; i < rules.n; i++)
		for (size_t j = 0; j < rules.v[i].nex; j++)
			failed += !run_example(stdout, &rules.v[i], &rules.v[i].ex[j]);
	return failed;
}

static void echo(const char *name)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	struct match m;
	while ((n = getline(&line, &cap, stdin)) >= 0) {
		if (n && line[n - 1] == '\n')
			line[--n] = '\0';
		printf("%s =>", line);
		int rc = rules_match(&rules, name, line, (size_t)n, &m);
		if (rc == 1) {
			printf(" [%.*s]", (int)(match_end(&m) - match_start(&m)),
			       line + match_start(&m));
			print_groups(stdout, &m);
		}
		puts(rc == 1 ? "" : rc == 0 ? " no match" : " match error");
	}
	free(line);
}

static void usage(FILE *to, int status)
{
	fputs("usage: nm-ruletest [--rules DIR]... [--echo NAME]\n"
	      "Checks the + and - examples of every pattern, or matches standard input\n"
	      "against the patterns called NAME.\n",
	      to);
	exit(status);
}

int main(int argc, char **argv)
{
	nm_setprog(argv[0]);
	struct buf err = BUF_INIT;
	const char *echo_name = NULL;
	static const struct rule_need nothing[] = {{NULL, NULL, 0}};
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			usage(stdout, 0);
		else if (strcmp(argv[i], "--echo") == 0 && i + 1 < argc)
			echo_name = argv[++i];
		else if (strcmp(argv[i], "--rules") != 0 || ++i == argc)
			usage(stderr, NM_EUSAGE);
	}
	if (rules_from_args(&rules, argc, argv, nothing, &err))
		nm_die(NM_ERULES, "bad rules:\n%s", buf_str(&err));
	int failed = 0;
	if (echo_name)
		echo(echo_name);
	else
		failed = check_examples();
	rules_free(&rules);
	buf_free(&err);
	nm_close_stdout();
	return failed ? NM_EDATA : 0;
}
