/*
 * err.h - the kinds of error, exit statuses and messages shared by every
 * stage and the driver.
 *
 * Messages read "program: where: what". Library code returns -1 or an
 * nm_status and lets its caller decide; nm_die() is for main() and for
 * what nothing can go on after (out of memory).
 */
#ifndef NM_ERR_H
#define NM_ERR_H

/*
 * What went wrong, one kind for the whole program. A process exits with
 * nm_exit_status() of its kind: 0 for NM_OK, 1 for NM_EDATA (a notice
 * failed, the others went on), 2 for the rest (it could not go on; for the
 * driver, nothing was converted: README.md, "Options"). NM_OK, NM_EDATA and
 * NM_EUSAGE are their own exit statuses, so main() may return them.
 */
enum nm_status {
	NM_OK = 0,
	NM_EDATA = 1,  /* a notice could not be converted; the others go on (exit 1) */
	NM_EUSAGE = 2, /* a bad option or option value (exit 2, as all below) */
	NM_ERULES,     /* the rules cannot be read, or one of them is wrong */
	NM_EINPUT,     /* the input cannot be read, or is beyond what is handled */
	NM_EOUTPUT,    /* the output cannot be written */
	NM_ENOMEM,     /* out of memory */
	NM_EINTERNAL,  /* the program itself: its stages cannot be read, a case never met */
	NM_NSTATUS
};

/* What code says, for messages: "usage error", "bad rules", …; "unknown error"
 * for a value that is no nm_status. */
const char *nm_strerror(int code);
/* The exit status for code: 0, 1, or 2 for the rest (a value that is no
 * nm_status too). */
int nm_exit_status(int code);

extern const char *nm_progname;

void nm_setprog(const char *argv0);
void nm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Says "program: fmt..." on stderr and exits with nm_exit_status(code). */
_Noreturn void nm_die(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *nm_xmalloc(size_t n);
void *nm_xrealloc(void *p, size_t n);
char *nm_xstrdup(const char *s);
char *nm_xstrndup(const char *s, size_t n);
/* Flush and close stdout; a full disk becomes a non-zero exit. */
void nm_close_stdout(void);

#endif
