/* strmap.c - open addressing, FNV-1a, doubling at half full. */
#include <stdlib.h>
#include <string.h>

#include "stream/err.h"
#include "stream/strmap.h"

uint64_t strmap_hash(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t slot_of(const struct strmap *m, const char *key, size_t len)
{
	size_t i = (size_t)strmap_hash(key, len) & (m->cap - 1);
	while (m->key[i] && !(m->len[i] == len && memcmp(m->key[i], key, len) == 0))
		i = (i + 1) & (m->cap - 1);
	return i;
}

static void grow(struct strmap *m)
{
	struct strmap old = *m;
	m->cap = old.cap ? 2 * old.cap : 64;
	m->key = calloc(m->cap, sizeof *m->key);
	m->len = nm_xmalloc(m->cap * sizeof *m->len);
	m->val = nm_xmalloc(m->cap * sizeof *m->val);
	if (!m->key)
		nm_die(NM_ENOMEM, "out of memory");
	m->n = 0;
	for (size_t i = 0; i < old.cap; i++)
		if (old.key[i])
			strmap_put(m, old.key[i], old.len[i], old.val[i]);
	free(old.key);
	free(old.len);
	free(old.val);
}

void strmap_put(struct strmap *m, const char *key, size_t len, size_t v)
{
	if (2 * (m->n + 1) > m->cap)
		grow(m);
	size_t i = slot_of(m, key, len);
	if (!m->key[i]) {
		m->key[i] = key;
		m->len[i] = len;
		m->n++;
	}
	m->val[i] = v;
}

size_t strmap_get(const struct strmap *m, const char *key, size_t len)
{
	if (!m->cap)
		return STRMAP_NONE;
	size_t i = slot_of(m, key, len);
	return m->key[i] ? m->val[i] : STRMAP_NONE;
}

void strmap_free(struct strmap *m)
{
	free(m->key);
	free(m->len);
	free(m->val);
	memset(m, 0, sizeof *m);
}
