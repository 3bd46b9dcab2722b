/*
 * err.h - exit codes and messages shared by every stage.
 *
 * Messages read "program: where: what". Only main() calls nm_die(); library
 * code returns an nm_status and lets its caller decide.
 */
#ifndef NM_ERR_H
#define NM_ERR_H

enum nm_status {
	NM_OK = 0,
	NM_EDATA = 1,  /* a notice could not be converted; others go on */
	NM_EUSAGE = 2, /* bad option, bad rules file or I/O failure */
};

extern const char *nm_progname;

void nm_setprog(const char *argv0);
void nm_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void nm_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void *nm_xmalloc(size_t n);
void *nm_xrealloc(void *p, size_t n);
char *nm_xstrdup(const char *s);
char *nm_xstrndup(const char *s, size_t n);
/* Flush and close stdout; a full disk becomes a non-zero exit. */
void nm_close_stdout(void);

#endif
