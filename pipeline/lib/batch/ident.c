/* ident.c - hashes of inputs, workbooks and the program's own binaries. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "batch/ident.h"
#include "stream/err.h"

#define K1 0x9E3779B185EBCA87ULL
#define K2 0xC2B2AE3D27D4EB4FULL

static uint64_t rotl(uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

static uint64_t fmix(uint64_t h)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	return h;
}

uint64_t ident_hash(uint64_t seed, const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ (n * K1), a = 0, b = 0;
	size_t i = 0;
	for (; i + 16 <= n; i += 16) { /* two lanes: the multiplies overlap */
		uint64_t w1, w2;
		memcpy(&w1, s + i, 8);
		memcpy(&w2, s + i + 8, 8);
		a = rotl(a ^ (w1 * K1), 31) * K2;
		b = rotl(b ^ (w2 * K2), 29) * K1;
	}
	if (i + 8 <= n) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		a = rotl(a ^ (w * K2), 23) * K1;
		i += 8;
	}
	uint64_t tail = 0;
	memcpy(&tail, s + i, n - i);
	return fmix(h ^ fmix(a) ^ rotl(fmix(b), 17) ^ fmix(tail + K2));
}

uint64_t ident_fnv1a(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}

void ident_hex(uint64_t h, char hex[IDENT_HEX])
{
	snprintf(hex, IDENT_HEX, "%016llx", (unsigned long long)h);
}

/* Reads fd from its start in blocks, folding each into *h with fold. The
 * content hash runs over the whole file as one sequence: blocks are
 * hashed one after the other, chained through the seed. */
static int read_all(int fd, uint64_t *h, int fnv)
{
	static char block[1 << 16];
	off_t at = 0;
	for (;;) {
		ssize_t n = pread(fd, block, sizeof block, at);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			return 0;
		*h = fnv ? ident_fnv1a(*h, block, (size_t)n) : ident_hash(*h, block, (size_t)n);
		at += n;
	}
}

int ident_hash_fd(int fd, char hex[IDENT_HEX])
{
	uint64_t h = 0x6e6f746963652d6dULL;
	if (read_all(fd, &h, 0) < 0)
		return -1;
	ident_hex(h, hex);
	return 0;
}

int ident_fnv_fd(int fd, char hex[IDENT_HEX])
{
	uint64_t h = IDENT_FNV_BASIS;
	if (read_all(fd, &h, 1) < 0)
		return -1;
	ident_hex(h, hex);
	return 0;
}

void ident_from_stat(const struct stat *st, struct ident_stat *id)
{
	id->dev = (unsigned long long)st->st_dev;
	id->ino = (unsigned long long)st->st_ino;
	id->size = (unsigned long long)st->st_size;
	id->mtime_ns = (long long)st->st_mtim.tv_sec * 1000000000LL + st->st_mtim.tv_nsec;
}

int ident_stat_equal(const struct ident_stat *a, const struct ident_stat *b)
{
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       a->mtime_ns == b->mtime_ns;
}

void ident_parts_add(struct ident_parts *p, const char *path, const struct ident_stat *st,
		     const char *hash)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 8;
		p->v = nm_xrealloc(p->v, p->cap * sizeof *p->v);
	}
	struct ident_part *x = &p->v[p->n++];
	x->path = nm_xstrdup(path);
	x->st = *st;
	snprintf(x->hash, sizeof x->hash, "%s", hash);
}

void ident_parts_free(struct ident_parts *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i].path);
	free(p->v);
	memset(p, 0, sizeof *p);
}

static const struct ident_part *cached(const struct ident_parts *cache, const char *path,
				       const struct ident_stat *st)
{
	for (size_t i = 0; cache && i < cache->n; i++)
		if (strcmp(cache->v[i].path, path) == 0 && ident_stat_equal(&cache->v[i].st, st))
			return &cache->v[i];
	return NULL;
}

int ident_program(const char *const *paths, size_t n, const struct ident_parts *cache,
		  struct ident_parts *fresh, char hex[IDENT_HEX], size_t *bad)
{
	uint64_t h = IDENT_FNV_BASIS;
	for (size_t i = 0; i < n; i++) {
		int fd = open(paths[i], O_RDONLY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) < 0) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			*bad = i;
			errno = e;
			return -1;
		}
		struct ident_stat id;
		ident_from_stat(&st, &id);
		const struct ident_part *c = cached(cache, paths[i], &id);
		char one[IDENT_HEX];
		if (c) {
			memcpy(one, c->hash, IDENT_HEX);
		} else if (ident_hash_fd(fd, one) < 0) {
			int e = errno;
			close(fd);
			*bad = i;
			errno = e;
			return -1;
		}
		close(fd);
		ident_parts_add(fresh, paths[i], &id, one);
		h = ident_fnv1a(h, one, IDENT_HEX);
	}
	ident_hex(h, hex);
	return 0;
}
