/* convert.c - running antiword, catdoc and pdftotext without a shell. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "front/convert.h"
#include "stream/err.h"
#include "stream/utf8.h"

/* Standard error kept for the message. */
#define MAX_STDERR 4096

int convert_find(const char *prog, struct buf *path)
{
	struct stat st;
	buf_reset(path);
	if (strchr(prog, '/')) {
		buf_adds(path, prog);
		return access(prog, X_OK) == 0 && stat(prog, &st) == 0 && S_ISREG(st.st_mode);
	}
	const char *dirs = getenv("PATH");
	if (!dirs)
		dirs = "/usr/local/bin:/usr/bin:/bin";
	for (const char *d = dirs;; d++) {
		const char *end = strchr(d, ':');
		size_t len = end ? (size_t)(end - d) : strlen(d);
		buf_reset(path);
		buf_add(path, len ? d : ".", len ? len : 1);
		buf_addc(path, '/');
		buf_adds(path, prog);
		if (access(path->s, X_OK) == 0 && stat(path->s, &st) == 0 && S_ISREG(st.st_mode))
			return 1;
		if (!end)
			break;
		d = end;
	}
	buf_reset(path);
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The child: stdin from /dev/null, stdout and stderr into the pipes. */
static _Noreturn void child(const char *path, char *const argv[], int out, int err, int report)
{
	int null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
		int e = errno;
		(void)!write(report, &e, sizeof e);
		_exit(127);
	}
	signal(SIGPIPE, SIG_DFL);
	execv(path, argv);
	int e = errno;
	(void)!write(report, &e, sizeof e);
	_exit(127);
}

/* The first line of what the program wrote on standard error, scrubbed. */
static void first_line(const struct buf *err, struct buf *why)
{
	size_t len = err->len;
	const char *s = str_trim(buf_str(err), &len);
	size_t k = 0;
	while (k < len && s[k] != '\n' && s[k] != '\r')
		k++;
	if (!k)
		return;
	char *line = nm_xstrndup(s, k);
	buf_adds(why, ": ");
	utf8_scrub(why, line);
	free(line);
}

static int pipe_cloexec(int fd[2]) { return pipe2(fd, O_CLOEXEC); }

/* Reads what is ready on fd into b (up to cap bytes kept); 0 at end of file. */
static int drain(int fd, struct buf *b, size_t cap, size_t *total)
{
	char chunk[65536];
	ssize_t n = read(fd, chunk, sizeof chunk);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 1 : 0;
	if (n == 0)
		return 0;
	*total += (size_t)n;
	if (b->len < cap)
		buf_add(b, chunk, (size_t)n < cap - b->len ? (size_t)n : cap - b->len);
	return 1;
}

enum convert_status convert_run(char *const argv[], int timeout_s, size_t max_out, struct buf *out,
				struct buf *why)
{
	struct buf path = BUF_INIT, err = BUF_INIT;
	if (!convert_find(argv[0], &path)) {
		buf_printf(why, "%s is not installed", argv[0]);
		buf_free(&path);
		return CONVERT_MISSING;
	}
	int po[2] = {-1, -1}, pe[2] = {-1, -1}, pr[2] = {-1, -1};
	if (pipe_cloexec(po) < 0 || pipe_cloexec(pe) < 0 || pipe_cloexec(pr) < 0) {
		buf_printf(why, "cannot run %s: %s", argv[0], strerror(errno));
		for (int i = 0; i < 2; i++) {
			if (po[i] >= 0)
				close(po[i]);
			if (pe[i] >= 0)
				close(pe[i]);
			if (pr[i] >= 0)
				close(pr[i]);
		}
		buf_free(&path);
		return CONVERT_SYSTEM;
	}
	pid_t pid = fork();
	if (pid == 0)
		child(path.s, argv, po[1], pe[1], pr[1]);
	close(po[1]);
	close(pe[1]);
	close(pr[1]);
	enum convert_status st = CONVERT_OK;
	int exec_errno = 0;
	if (pid < 0) {
		buf_printf(why, "cannot run %s: %s", argv[0], strerror(errno));
		st = CONVERT_SYSTEM;
	} else {
		ssize_t k;
		while ((k = read(pr[0], &exec_errno, sizeof exec_errno)) < 0 && errno == EINTR)
			;
		if (k == (ssize_t)sizeof exec_errno) {
			buf_printf(why, "cannot run %s: %s", argv[0], strerror(exec_errno));
			st = exec_errno == ENOENT ? CONVERT_MISSING : CONVERT_SYSTEM;
		}
	}
	size_t start = out->len, total = 0, err_total = 0;
	long long deadline = now_ms() + (long long)timeout_s * 1000;
	struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
	int open_fds = st == CONVERT_OK ? 2 : 0;
	while (open_fds > 0) {
		long long left = deadline - now_ms();
		if (left <= 0) {
			st = CONVERT_TIMEOUT;
			break;
		}
		int rc = poll(fds, 2, left > 60000 ? 60000 : (int)left);
		if (rc < 0 && errno == EINTR)
			continue;
		if (rc < 0) {
			buf_printf(why, "%s: poll: %s", argv[0], strerror(errno));
			st = CONVERT_SYSTEM;
			break;
		}
		for (int i = 0; i < 2; i++) {
			if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			int more = i == 0 ? drain(fds[i].fd, out, start + max_out + 1, &total)
					  : drain(fds[i].fd, &err, MAX_STDERR, &err_total);
			if (!more) {
				fds[i].fd = -1;
				open_fds--;
			}
		}
		if (total > max_out) {
			st = CONVERT_TOO_LARGE;
			break;
		}
	}
	if (pid > 0) {
		int status = 0;
		if (open_fds > 0)
			kill(pid, SIGKILL);
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		if (st == CONVERT_TIMEOUT) {
			buf_printf(why, "%s ran over %d seconds and was stopped", argv[0],
				   timeout_s);
		} else if (st == CONVERT_TOO_LARGE) {
			buf_printf(why, "%s wrote over %zu MB and was stopped", argv[0],
				   max_out >> 20);
		} else if (st == CONVERT_OK && WIFSIGNALED(status)) {
			buf_printf(why, "%s was killed by signal %d", argv[0], WTERMSIG(status));
			st = CONVERT_FAILED;
		} else if (st == CONVERT_OK && WEXITSTATUS(status) != 0) {
			buf_printf(why, "%s failed (exit %d)", argv[0], WEXITSTATUS(status));
			first_line(&err, why);
			st = CONVERT_FAILED;
		}
	}
	close(po[0]);
	close(pe[0]);
	close(pr[0]);
	if (st != CONVERT_OK) {
		out->len = start;
		if (out->s)
			out->s[start] = '\0';
	}
	buf_free(&path);
	buf_free(&err);
	return st;
}

/* A path a program cannot take for an option. */
static char *safe_path(const char *path)
{
	struct buf b = BUF_INIT;
	if (path[0] == '-')
		buf_adds(&b, "./");
	buf_adds(&b, path);
	return b.s;
}

/* Whether b holds more than white space from byte start on. */
static int has_text(const struct buf *b, size_t start)
{
	for (size_t i = start; i < b->len; i++)
		if (!strchr(" \t\r\n\f\v", b->s[i]))
			return 1;
	return 0;
}

int convert_ole(const char *path, const char *kind, struct buf *out, const char **converter,
		struct buf *why)
{
	struct buf found = BUF_INIT, failures = BUF_INIT;
	char *file = safe_path(path);
	char *antiword[] = {"antiword", "-m", "UTF-8.txt", "-w", "0", file, NULL};
	char *catdoc[] = {"catdoc", "-d", "utf-8", "-w", file, NULL};
	char **tries[] = {antiword, catdoc};
	int have = 0, rc = -1;
	for (size_t i = 0; i < 2 && rc < 0; i++) {
		if (!convert_find(tries[i][0], &found))
			continue;
		have = 1;
		size_t start = out->len;
		struct buf one = BUF_INIT;
		enum convert_status st = convert_run(tries[i], CONVERT_TIMEOUT_S,
						     CONVERT_MAX_OUTPUT, out, &one);
		if (st == CONVERT_OK && has_text(out, start)) {
			/* antiword starts with an empty line the document does not have */
			size_t blank = start;
			while (blank < out->len && out->s[blank] == '\n')
				blank++;
			memmove(out->s + start, out->s + blank, out->len - blank + 1);
			out->len -= blank - start;
			*converter = tries[i][0];
			rc = 0;
		} else {
			if (st == CONVERT_OK)
				buf_printf(&one, "%s found no text", tries[i][0]);
			buf_printf(&failures, "%s%s", failures.len ? "; " : "", buf_str(&one));
			out->len = start;
			if (out->s)
				out->s[start] = '\0';
		}
		buf_free(&one);
	}
	if (!have)
		buf_printf(
			why,
			"a .%s notice needs antiword or catdoc (Debian packages antiword, catdoc)",
			kind);
	else if (rc < 0)
		buf_printf(why, "cannot read the .%s notice: %s", kind, buf_str(&failures));
	free(file);
	buf_free(&found);
	buf_free(&failures);
	return rc;
}

/* ---- PDF text: printed lines back to paragraphs ---- */

static int cjk(uint32_t c) { return c >= 0x2E80 && c != 0xFF0C && c < 0xFFF0; }

static int alnum_ascii(uint32_t c)
{
	return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') || c == '%';
}

/* The line without the spaces pdftotext puts between Chinese and Latin
 * letters or digits ("到 2023 年" → "到2023年"). */
static void close_gaps(struct buf *out, const char *s, size_t n)
{
	uint32_t prev = 0, c, next;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_decode(s + i, n - i, &c);
		if (!len) {
			buf_addc(out, s[i++]);
			prev = 0;
			continue;
		}
		if (c == ' ' && i + 1 < n && utf8_decode(s + i + 1, n - i - 1, &next) &&
		    ((cjk(prev) && alnum_ascii(next)) || (alnum_ascii(prev) && cjk(next)))) {
			i++;
			continue;
		}
		buf_add(out, s + i, len);
		prev = c;
		i += len;
	}
}

static int ends_sentence(const char *s)
{
	static const char *const ENDS[] = {"。", "！", "？", "；", "：", "”",
					   ".",  "!",  "?",  ";",  ":",  NULL};
	for (size_t i = 0; ENDS[i]; i++)
		if (str_ends(s, ENDS[i]))
			return 1;
	return 0;
}

/* A line that starts something of its own: a heading, an item, a field. */
static int starts_block(const char *s)
{
	static const char *const STARTS[] = {"——",   "（",   "(",    "一、", "二、",
					     "三、", "四、", "五、", "六、", "七、",
					     "八、", "九、", "十",   "附件", NULL};
	for (size_t i = 0; STARTS[i]; i++)
		if (str_starts(s, STARTS[i]))
			return 1;
	size_t d = strspn(s, "0123456789");
	if (d && d <= 2 && (s[d] == '.' || str_starts(s + d, "、") || str_starts(s + d, "．")))
		return 1;
	const char *colon = strstr(s, "：");
	return colon && utf8_chars(s, (size_t)(colon - s)) <= 8;
}

void convert_pdf_tidy(struct buf *text)
{
	struct buf out = BUF_INIT, line = BUF_INIT;
	char **lines = NULL;
	size_t n = 0, cap = 0, maxw = 0;
	const char *s = buf_str(text), *end = s + text->len;
	while (s < end) {
		const char *eol = memchr(s, '\n', (size_t)(end - s));
		size_t len = eol ? (size_t)(eol - s) : (size_t)(end - s);
		buf_reset(&line);
		close_gaps(&line, s, len);
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			lines = nm_xrealloc(lines, cap * sizeof *lines);
		}
		lines[n] = nm_xstrdup(buf_str(&line));
		size_t w = utf8_width(lines[n]);
		maxw = w > maxw ? w : maxw;
		n++;
		s = eol ? eol + 1 : end;
	}
	for (size_t i = 0; i < n; i++) {
		buf_adds(&out, lines[i]);
		size_t w = utf8_width(lines[i]);
		int full = maxw >= 40 && w + 8 >= maxw;
		if (!(full && !ends_sentence(lines[i]) && i + 1 < n && *lines[i + 1] &&
		      !starts_block(lines[i + 1])))
			buf_addc(&out, '\n');
		free(lines[i]);
	}
	free(lines);
	buf_free(&line);
	buf_free(text);
	*text = out;
}

int convert_pdf(const char *path, struct buf *out, const char **converter, struct buf *why)
{
	struct buf found = BUF_INIT, one = BUF_INIT;
	char *file = safe_path(path);
	char *argv[] = {"pdftotext", "-enc", "UTF-8", "-nopgbrk", "-q", file, "-", NULL};
	int rc = -1;
	size_t start = out->len;
	if (!convert_find("pdftotext", &found)) {
		buf_adds(why, "a PDF notice needs pdftotext (Debian package poppler-utils)");
	} else if (convert_run(argv, CONVERT_TIMEOUT_S, CONVERT_MAX_OUTPUT, out, &one) !=
		   CONVERT_OK) {
		buf_printf(why, "cannot read the PDF: %s", buf_str(&one));
	} else if (!has_text(out, start)) {
		buf_adds(why, "no text layer in the PDF (a scanned image? it needs OCR first)");
	} else {
		struct buf text = BUF_INIT;
		buf_add(&text, out->s + start, out->len - start);
		convert_pdf_tidy(&text);
		out->len = start;
		buf_add(out, buf_str(&text), text.len);
		buf_free(&text);
		*converter = "pdftotext";
		rc = 0;
	}
	free(file);
	buf_free(&found);
	buf_free(&one);
	return rc;
}
