/*
 * ident.h - what a run compares to decide what is up to date: the hash of
 * an input's bytes, the FNV-1a hash the xlsx stage gives a workbook, and
 * the identity of the program (the bytes of its stage binaries).
 *
 * Hashes travel as 16 lower-case hex digits in a char[17].
 */
#ifndef NM_IDENT_H
#define NM_IDENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#define IDENT_HEX 17

/* A fast 64-bit hash of bytes (not cryptographic: it tells changed content). */
uint64_t ident_hash(uint64_t seed, const void *p, size_t n);
/* FNV-1a, 64 bits, as the workbook stage hashes what it writes. */
uint64_t ident_fnv1a(uint64_t h, const void *p, size_t n);
#define IDENT_FNV_BASIS 14695981039346656037ULL
void ident_hex(uint64_t h, char hex[IDENT_HEX]);

/*
 * The content hash of the open file fd (ident_hash of all its bytes, read
 * from the start) into hex. Returns 0, or -1 with errno set.
 */
int ident_hash_fd(int fd, char hex[IDENT_HEX]);
/* The FNV-1a hash of the file fd, as the workbook stage computes it. */
int ident_fnv_fd(int fd, char hex[IDENT_HEX]);

/* What stat says of a file, as the manifest records it. */
struct ident_stat {
	unsigned long long dev, ino, size;
	long long mtime_ns;
};

void ident_from_stat(const struct stat *st, struct ident_stat *id);
int ident_stat_equal(const struct ident_stat *a, const struct ident_stat *b);

/*
 * A file the program is made of, with the hash of its bytes: the cache
 * that spares hashing the binaries on every run (kept in the manifest).
 */
struct ident_part {
	char *path;
	struct ident_stat st;
	char hash[IDENT_HEX];
};

struct ident_parts {
	struct ident_part *v;
	size_t n, cap;
};

/* Adds (a copy of) one part; the caller knows its stat and hash. */
void ident_parts_add(struct ident_parts *p, const char *path, const struct ident_stat *st,
		     const char *hash);
void ident_parts_free(struct ident_parts *p);

/*
 * The identity of the program made of the files paths[0..n): each file's
 * hash taken from cache when its stat is unchanged, else computed; fresh
 * receives every part as now known. Returns 0, or -1 with the unreadable
 * file's index in *bad and errno set.
 */
int ident_program(const char *const *paths, size_t n, const struct ident_parts *cache,
		  struct ident_parts *fresh, char hex[IDENT_HEX], size_t *bad);

#endif
