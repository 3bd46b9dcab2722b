/* err.c - the kinds of error, messages, checked allocation, a checked close of stdout. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"

const char *nm_progname = "notice-matrix";

static const char *const STATUS_TEXT[NM_NSTATUS] = {
	[NM_OK] = "success",
	[NM_EDATA] = "a notice could not be converted",
	[NM_EUSAGE] = "usage error",
	[NM_ERULES] = "bad rules",
	[NM_EINPUT] = "cannot read the input",
	[NM_EOUTPUT] = "cannot write the output",
	[NM_ENOMEM] = "out of memory",
	[NM_EINTERNAL] = "internal error",
};

const char *nm_strerror(int code)
{
	return code >= 0 && code < NM_NSTATUS ? STATUS_TEXT[code] : "unknown error";
}

int nm_exit_status(int code) { return code == NM_OK ? 0 : code == NM_EDATA ? 1 : 2; }

void nm_setprog(const char *argv0)
{
	const char *slash = strrchr(argv0, '/');
	nm_progname = slash ? slash + 1 : argv0;
	if (strncmp(nm_progname, "nm-", 3) == 0)
		nm_progname += 3;
}

static void vwarn(const char *fmt, va_list ap)
{
	fprintf(stderr, "%s: ", nm_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void nm_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

void nm_die(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	exit(nm_exit_status(code));
}

void *nm_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		nm_die(NM_ENOMEM, "out of memory (%zu bytes)", n);
	return q;
}

void *nm_xmalloc(size_t n) { return nm_xrealloc(NULL, n); }

char *nm_xstrndup(const char *s, size_t n)
{
	char *d = nm_xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *nm_xstrdup(const char *s) { return nm_xstrndup(s, strlen(s)); }

void nm_close_stdout(void)
{
	int failed = ferror(stdout);
	if (fclose(stdout) != 0 || failed)
		nm_die(NM_EOUTPUT, "write error on standard output: %s",
		       strerror(errno ? errno : EIO));
}
