/*
 * reader.c - one notice file to its record document (reader.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "front/detect.h"
#include "front/front.h"
#include "front/reader.h"
#include "stream/err.h"
#include "stream/rec.h"
#include "stream/utf8.h"

/* Reads the whole regular file; returns -1 with a reason otherwise. */
static int slurp(const char *path, unsigned long long max, struct buf *data, struct buf *why)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		buf_printf(why, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		buf_adds(why, S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file");
		return -1;
	}
	if ((unsigned long long)st.st_size > max) {
		buf_printf(why, "too large: %lld bytes, over --max-size %llu",
			   (long long)st.st_size, max);
		return -1;
	}
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		buf_printf(why, "cannot read: %s", fd < 0 ? strerror(errno) : "not a regular file");
		if (fd >= 0)
			close(fd);
		return -1;
	}
	buf_reset(data);
	buf_grow(data, (size_t)st.st_size + 1);
	for (;;) {
		buf_grow(data, 65536);
		ssize_t n = read(fd, data->s + data->len, data->cap - data->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			if (n < 0) {
				buf_printf(why, "read error: %s", strerror(errno));
				return -1;
			}
			break;
		}
		data->len += (size_t)n;
		if (data->len > max) {
			close(fd);
			buf_printf(why, "too large: over --max-size %llu", max);
			return -1;
		}
	}
	data->s[data->len] = '\0';
	return 0;
}

/* Splits at LF, CRLF or CR and writes one line record each, as written. */
static void emit_lines(FILE *out, const struct buf *text, size_t *dropped)
{
	struct buf line = BUF_INIT;
	const char *s = buf_str(text), *end = s + text->len;
	long no = 0;
	while (s < end) {
		const char *eol = s;
		while (eol < end && *eol != '\n' && *eol != '\r')
			eol++;
		buf_reset(&line);
		*dropped += utf8_clean(&line, s, (size_t)(eol - s));
		fprintf(out, "line\t%ld", ++no);
		rec_put_fieldn(out, buf_str(&line), line.len);
		rec_end(out);
		s = eol + (eol < end);
		if (eol < end && *eol == '\r' && s < end && *s == '\n')
			s++;
	}
	buf_free(&line);
}

/* The facts decode knows about a notice it converted. */
static void put_meta(FILE *out, const struct decoded *d, size_t bytes, const char *format,
		     const char *converter, const char *note)
{
	char n[32];
	rec_put(out, "meta", "encoding", d->encoding, NULL);
	snprintf(n, sizeof n, "%zu", bytes);
	rec_put(out, "meta", "bytes", n, NULL);
	rec_put(out, "meta", "format", format, NULL);
	if (converter)
		rec_put(out, "meta", "converter", converter, NULL);
	if (note && *note)
		rec_put(out, "meta", "note", note, NULL);
}

static void put_counts(FILE *out, const struct decoded *d, size_t dropped)
{
	char count[32], first[32];
	snprintf(count, sizeof count, "%zu", d->invalid);
	snprintf(first, sizeof first, "%zu", d->first_invalid);
	if (d->invalid)
		rec_put(out, "meta", "invalid", count, first, NULL);
	snprintf(count, sizeof count, "%zu", dropped);
	if (dropped)
		rec_put(out, "meta", "dropped", count, NULL);
}

/*
 * Word files, web pages and PDF go through the front end (front.h); plain
 * text through detection. Returns 0, or -1 with the reason in why; note is
 * what the front end had to say about a notice it converted.
 */
static int read_notice(const char *path, const struct front_options *opt, struct buf *data,
		       struct decoded *d, const char **format, const char **converter,
		       struct buf *note, struct buf *why)
{
	if (slurp(path, opt->max_size, data, why) < 0)
		return -1;
	int front = front_decode(path, buf_str(data), data->len, opt->from, d, format, converter,
				 note);
	if (front < 0) {
		buf_adds(why, buf_str(note));
		return -1;
	}
	return front > 0 ? 0 : detect_decode(buf_str(data), data->len, opt->from, d, why);
}

void front_decode_file(FILE *out, const struct rec *r, const struct front_options *opt,
		       struct buf *data)
{
	const char *path = rec_field(r, 1), *format = "text", *converter = NULL;
	struct buf why = BUF_INIT, note = BUF_INIT;
	struct decoded d = {0};
	if (*rec_field(r, 3))
		rec_put(out, "doc", path, rec_field(r, 2), rec_field(r, 3), NULL);
	else
		rec_put(out, "doc", path, rec_field(r, 2), NULL);
	if (read_notice(path, opt, data, &d, &format, &converter, &note, &why) < 0) {
		rec_put(out, "fail", buf_str(&why), NULL);
	} else {
		size_t dropped = 0;
		put_meta(out, &d, data->len, format, converter, buf_str(&note));
		emit_lines(out, &d.text, &dropped);
		put_counts(out, &d, dropped);
	}
	decoded_free(&d);
	rec_put(out, "end", NULL);
	fflush(out); /* a document at a time: the next stage need not wait for a full buffer */
	buf_free(&why);
	buf_free(&note);
}
