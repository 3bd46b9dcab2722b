/* unitnames.c - variants of one unit within a notice, keys across notices. */
#include <stdlib.h>
#include <string.h>

#include "notice/unitnames.h"
#include "stream/err.h"
#include "stream/rec.h"
#include "stream/utf8.h"

void unitnames_add(struct unitnames *U, const char *name, long line)
{
	if (!*name || strmap_get(&U->index, name, strlen(name)) != STRMAP_NONE)
		return;
	strlist_add(&U->written, name, strlen(name));
	U->line = nm_xrealloc(U->line, U->written.n * sizeof *U->line);
	U->line[U->written.n - 1] = line;
	/* The index keeps pointers into the list's strings, which stay put. */
	const char *stored = U->written.v[U->written.n - 1];
	strmap_put(&U->index, stored, strlen(stored), U->written.n - 1);
}

void unitnames_declare(struct unitnames *U, const char *full, const char *shortname)
{
	if (!strlist_has(&U->decl_short, shortname)) {
		strlist_add(&U->decl_short, shortname, strlen(shortname));
		strlist_add(&U->decl_full, full, strlen(full));
	}
}

/* Every full form of units.abbrev shortened, and 和/及/与 dropped; also what
 * units.aliases says a name stands for. */
char *unit_key(struct rules *rs, const char *name)
{
	const char *canon = rules_alias(rs, name);
	struct buf key = BUF_INIT;
	buf_adds(&key, canon ? canon : name);
	/* longest full forms first, so 发展和改革委员会 goes before 委员会 */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < rs->nrows[T_ABBREV]; i++) {
			const char *full = rs->rows[T_ABBREV][i].col[0],
				   *s = rs->rows[T_ABBREV][i].col[1];
			if ((pass == 0) != (utf8_chars(full, strlen(full)) > 3))
				continue;
			const char *hit = strstr(buf_str(&key), full);
			if (!hit)
				continue;
			struct buf next = BUF_INIT;
			buf_add(&next, key.s, (size_t)(hit - key.s));
			buf_adds(&next, s);
			buf_adds(&next, hit + strlen(full));
			buf_free(&key);
			key = next;
		}
	struct buf out = BUF_INIT;
	for (const char *p = buf_str(&key); *p;) {
		if (str_starts(p, "和") || str_starts(p, "及") || str_starts(p, "与"))
			p += strlen("和");
		else
			buf_addc(&out, *p++);
	}
	buf_free(&key);
	return out.s ? out.s : nm_xstrdup("");
}

const char *unitnames_key(struct unitnames *U, struct rules *rs, const char *name)
{
	size_t n = strlen(name), i = strmap_get(&U->key_of, name, n);
	if (i == STRMAP_NONE) {
		char *key = unit_key(rs, name);
		i = U->keys.n;
		strlist_add(&U->keys, key, strlen(key));
		strmap_put(&U->key_of, name, n, i);
		free(key);
	}
	return U->keys.v[i];
}

void unitnames_settle(struct unitnames *U, struct rules *rs)
{
	size_t n = U->written.n;
	char **keys = nm_xmalloc((n ? n : 1) * sizeof *keys);
	for (size_t i = 0; i < n; i++)
		keys[i] = unit_key(rs, U->written.v[i]);
	strlist_clear(&U->kept);
	strlist_clear(&U->why);
	for (size_t i = 0; i < n; i++) {
		const char *w = U->written.v[i], *kept = w, *why = "";
		/* A declared short form: its declared full name. */
		for (size_t d = 0; d < U->decl_short.n; d++)
			if (strcmp(U->decl_short.v[d], w) == 0 &&
			    strcmp(U->decl_full.v[d], w) != 0) {
				kept = U->decl_full.v[d];
				why = "declared";
			}
		/* Else the longest form of the same unit the notice writes. */
		if (!*why)
			for (size_t j = 0; j < n; j++) {
				if (j == i || strcmp(keys[i], keys[j]) != 0)
					continue;
				const char *other = U->written.v[j];
				size_t lo = strlen(other), lk = strlen(kept);
				if (lo > lk || (lo == lk && strcmp(other, kept) < 0 && kept != w)) {
					kept = other;
					why = "tables";
				}
			}
		strlist_add(&U->kept, kept, strlen(kept));
		strlist_add(&U->why, why, strlen(why));
	}
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

const char *unitnames_kept(const struct unitnames *U, const char *name)
{
	size_t i = strmap_get(&U->index, name, strlen(name));
	return i == STRMAP_NONE || i >= U->kept.n ? name : U->kept.v[i];
}

void unitnames_put_findings(const struct unitnames *U, struct rules *rs, FILE *out)
{
	for (size_t i = 0; i < U->kept.n; i++) {
		const char *w = U->written.v[i], *k = U->kept.v[i];
		struct buf msg = BUF_INIT, advice = BUF_INIT;
		if (strcmp(w, k) != 0) {
			if (strcmp(U->why.v[i], "declared") == 0)
				buf_printf(&msg, "“%s”是本文件声明的简称，已统一写作全称“%s”", w,
					   k);
			else
				buf_printf(&msg, "“%s”与本文件中的“%s”为同一单位，已统一写作“%s”",
					   w, k, k);
			buf_printf(&advice,
				   "如二者并非同一单位，请核对原文并在 rules/units.abbrev 中调整");
			rec_put_finding(out, &(struct rec_finding){U->line[i], "提示", "unit.alias",
								   msg.s, w, 0, "单位名称合并",
								   advice.s});
		} else {
			/* A short form alone: the tables may know its full name. */
			const char *canon = rules_alias(rs, w);
			if (canon && strcmp(canon, w) != 0 &&
			    utf8_chars(canon, strlen(canon)) > utf8_chars(w, strlen(w))) {
				buf_printf(&msg,
					   "“%s”可能是“%s”的简称；本文件未写出全称，按原文保留", w,
					   canon);
				rec_put_finding(
					out, &(struct rec_finding){
						     U->line[i], "提示", "unit.alias", msg.s, w, 0,
						     "单位名称合并",
						     "无需处理；如需统一，请与发文单位核实全称"});
			}
		}
		buf_free(&msg);
		buf_free(&advice);
	}
}

void unitnames_free(struct unitnames *U)
{
	strlist_clear(&U->written);
	strlist_clear(&U->kept);
	strlist_clear(&U->why);
	strlist_clear(&U->decl_short);
	strlist_clear(&U->decl_full);
	free(U->line);
	strmap_free(&U->index);
	strlist_clear(&U->keys);
	strmap_free(&U->key_of);
	memset(U, 0, sizeof *U);
}
