/*
 * strmap.h - a hash map from strings to numbers (an index into the
 * caller's array), for lookups that must stay linear however large a
 * table grows. The map copies no key: keys must outlive it. It owns its
 * slots until strmap_free(); a zeroed struct is an empty map.
 */
#ifndef NM_STRMAP_H
#define NM_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#define STRMAP_NONE ((size_t)-1)

struct strmap {
	const char **key;
	size_t *len;
	size_t *val;
	size_t cap, n;
};

/* Sets key[0..len) to v, replacing what it held. */
void strmap_put(struct strmap *m, const char *key, size_t len, size_t v);
/* The value of key[0..len), or STRMAP_NONE. */
size_t strmap_get(const struct strmap *m, const char *key, size_t len);
void strmap_free(struct strmap *m);
uint64_t strmap_hash(const char *s, size_t n);

#endif
