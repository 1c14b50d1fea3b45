/* conf — ordered key -> value store with provenance; see conf.h.
 * Entries live in an array in first-insertion order; an open-addressing
 * index (FNV-1a) maps keys to array slots so lookups stay O(1) on the
 * large configs operators accumulate. */
#include "flinkmem/conf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/buf.h"

struct fm_conf {
	fm_entry *e;
	size_t n, cap;
	size_t *idx;     /* slot -> entry index + 1; 0 = empty */
	size_t idx_cap;  /* power of two */
	char **files;
	size_t nfiles;
	fm_entry *sh;    /* replaced by a later line of the same file */
	size_t nsh, shcap;
};

static uint64_t hash_key(const char *k, size_t n)
{
	/* Every byte counts (a file could hold many keys that differ in one
	 * place only), eight bytes a step: option keys are long and looked up
	 * often. */
	uint64_t h = 1469598103934665603ULL ^ n;
	while (n >= 8) {
		uint64_t w;
		memcpy(&w, k, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
		h ^= h >> 29;
		k += 8, n -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, k, n);
	h = (h ^ w) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 32);
}

fm_conf *fm_conf_new(void)
{
	return calloc(1, sizeof(fm_conf));
}

static void entry_free(fm_entry *e)
{
	free(e->key);
	free(e->text);
}

void fm_conf_free(fm_conf *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		entry_free(&c->e[i]);
	for (size_t i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	for (size_t i = 0; i < c->nsh; i++)
		entry_free(&c->sh[i]);
	free(c->sh);
	free(c->files);
	free(c->e);
	free(c->idx);
	free(c);
}

const char *fm_conf_intern(fm_conf *c, const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < c->nfiles; i++)
		if (strcmp(c->files[i], name) == 0)
			return c->files[i];
	char **nf = realloc(c->files, (c->nfiles + 1) * sizeof(*nf));
	if (!nf)
		return NULL;
	c->files = nf;
	char *s = strdup(name);
	if (!s)
		return NULL;
	c->files[c->nfiles++] = s;
	return s;
}

static int rebuild_index(fm_conf *c, size_t want)
{
	size_t cap = 16;
	while (cap < want * 2)
		cap *= 2;
	size_t *idx = calloc(cap, sizeof(*idx));
	if (!idx)
		return FM_ENOMEM;
	for (size_t i = 0; i < c->n; i++) {
		size_t s = hash_key(c->e[i].key, c->e[i].key_len) & (cap - 1);
		while (idx[s])
			s = (s + 1) & (cap - 1);
		idx[s] = i + 1;
	}
	free(c->idx);
	c->idx = idx;
	c->idx_cap = cap;
	return FM_OK;
}

/* Slot of key (hashed to h) in the index: its entry, or the empty slot
 * where it would go. */
static size_t find_slot_h(const fm_conf *c, const char *key, size_t klen, uint64_t h)
{
	size_t s = h & (c->idx_cap - 1);
	while (c->idx[s]) {
		const fm_entry *e = &c->e[c->idx[s] - 1];
		if (e->key_len == klen && memcmp(e->key, key, klen) == 0)
			break;
		s = (s + 1) & (c->idx_cap - 1);
	}
	return s;
}

static size_t find_slot(const fm_conf *c, const char *key, size_t klen)
{
	return find_slot_h(c, key, klen, hash_key(key, klen));
}

static char *dupn(const char *s, size_t n)
{
	char *r = malloc(n + 1);
	if (!r)
		return NULL;
	if (n)
		memcpy(r, s, n);
	r[n] = '\0';
	return r;
}

/* A value at `at` replacing e is one written twice in one file (not a
 * -D, an environment variable or a second file laid over the first). */
static bool shadows(const fm_entry *e, const fm_origin *at)
{
	return e->at.file && e->at.file == at->file && e->at.src == at->src &&
	       (at->src == FM_SRC_FLAT || at->src == FM_SRC_YAML) && e->at.line && at->line && e->at.line != at->line;
}

/* Keeps a copy of e before a later line replaces it. */
static int keep_shadow(fm_conf *c, const fm_entry *e)
{
	if (fm_grow(&c->sh, c->nsh, &c->shcap, sizeof *c->sh, 4) != FM_OK)
		return FM_ENOMEM;
	fm_entry k = *e;
	k.key = dupn(e->key, e->key_len);
	k.text = k.key ? dupn(e->text, e->text_len) : NULL;
	if (!k.text) {
		free(k.key);
		return FM_ENOMEM;
	}
	c->sh[c->nsh++] = k;
	return FM_OK;
}

int fm_conf_put_at(fm_conf *c, const char *key, size_t klen, const char *text, size_t tlen,
		   fm_vtype type, double num, const fm_origin *val_at, uint32_t key_line,
		   uint32_t key_col)
{
	if (c->idx_cap == 0 || (c->n + 1) * 2 > c->idx_cap) {
		if (rebuild_index(c, c->n + 1) != FM_OK)
			return FM_ENOMEM;
	}
	char *t = dupn(text, tlen);
	if (!t)
		return FM_ENOMEM;
	fm_origin at = val_at ? *val_at : (fm_origin){NULL, 0, 0, FM_SRC_BUILTIN};
	size_t s = find_slot(c, key, klen);
	if (c->idx[s]) {
		fm_entry *e = &c->e[c->idx[s] - 1];
		if (shadows(e, &at) && keep_shadow(c, e) != FM_OK) {
			free(t);
			return FM_ENOMEM;
		}
		free(e->text);
		e->text = t;
		e->text_len = tlen;
		e->type = type;
		e->num = num;
		e->at = at;
		e->key_line = key_line;
		e->key_col = key_col;
		return FM_OK;
	}
	if (c->n == c->cap) {
		size_t ncap = c->cap ? c->cap * 2 : 16;
		fm_entry *ne = realloc(c->e, ncap * sizeof(*ne));
		if (!ne) {
			free(t);
			return FM_ENOMEM;
		}
		c->e = ne;
		c->cap = ncap;
	}
	char *k = dupn(key, klen);
	if (!k) {
		free(t);
		return FM_ENOMEM;
	}
	c->e[c->n] = (fm_entry){k, t, tlen, type, num, at, key_line, key_col, klen};
	c->n++;
	c->idx[s] = c->n;
	return FM_OK;
}

int fm_conf_put(fm_conf *c, const char *key, size_t klen, const char *text, size_t tlen,
		fm_vtype type, double num, const fm_origin *at)
{
	uint32_t line = at ? at->line : 0, col = at ? at->col : 0;
	return fm_conf_put_at(c, key, klen, text, tlen, type, num, at, line, col);
}

int fm_conf_set_str(fm_conf *c, const char *key, const char *val, const fm_origin *at)
{
	return fm_conf_put(c, key, strlen(key), val, strlen(val), FM_V_STR, 0, at);
}

const fm_entry *fm_conf_find(const fm_conf *c, const char *key)
{
	if (!c || c->idx_cap == 0)
		return NULL;
	size_t s = find_slot(c, key, strlen(key));
	return c->idx[s] ? &c->e[c->idx[s] - 1] : NULL;
}

uint64_t fm_conf_key_hash(const char *key, size_t klen)
{
	return hash_key(key, klen);
}

const fm_entry *fm_conf_find_hashed(const fm_conf *c, const char *key, size_t klen, uint64_t h)
{
	if (!c || c->idx_cap == 0)
		return NULL;
	size_t s = find_slot_h(c, key, klen, h);
	return c->idx[s] ? &c->e[c->idx[s] - 1] : NULL;
}

bool fm_conf_has(const fm_conf *c, const char *key)
{
	return fm_conf_find(c, key) != NULL;
}

int fm_conf_remove(fm_conf *c, const char *key)
{
	if (c->idx_cap == 0)
		return 0;
	size_t s = find_slot(c, key, strlen(key));
	if (!c->idx[s])
		return 0;
	size_t i = c->idx[s] - 1;
	entry_free(&c->e[i]);
	memmove(&c->e[i], &c->e[i + 1], (c->n - i - 1) * sizeof(*c->e));
	c->n--;
	/* Same size: cannot fail for lack of a larger table, only of memory;
	 * on failure the old index is stale, so fall back to an empty one. */
	if (rebuild_index(c, c->n ? c->n : 1) != FM_OK) {
		free(c->idx);
		c->idx = NULL;
		c->idx_cap = 0;
		return -1;
	}
	return 1;
}

size_t fm_conf_len(const fm_conf *c)
{
	return c ? c->n : 0;
}

const fm_entry *fm_conf_at(const fm_conf *c, size_t i)
{
	return i < c->n ? &c->e[i] : NULL;
}

int fm_conf_add_shadow(fm_conf *c, const char *key, size_t klen, const char *text, size_t tlen,
		       const fm_origin *at, uint32_t key_line, uint32_t key_col)
{
	fm_entry e = {(char *)key, (char *)text, tlen, FM_V_STR, 0, *at, key_line, key_col, klen};
	return keep_shadow(c, &e);
}

size_t fm_conf_shadowed_len(const fm_conf *c)
{
	return c ? c->nsh : 0;
}

const fm_entry *fm_conf_shadowed_at(const fm_conf *c, size_t i)
{
	return i < c->nsh ? &c->sh[i] : NULL;
}

fm_conf *fm_conf_dup(const fm_conf *c)
{
	fm_conf *r = fm_conf_new();
	if (!r)
		return NULL;
	for (size_t i = 0; i < c->nfiles; i++)
		if (!fm_conf_intern(r, c->files[i]))
			goto fail;
	for (size_t i = 0; i < c->n; i++) {
		const fm_entry *e = &c->e[i];
		fm_origin at = e->at;
		at.file = e->at.file ? fm_conf_intern(r, e->at.file) : NULL;
		if (fm_conf_put_at(r, e->key, e->key_len, e->text, e->text_len, e->type,
				   e->num, &at, e->key_line, e->key_col) != FM_OK)
			goto fail;
	}
	for (size_t i = 0; i < c->nsh; i++) {
		fm_entry e = c->sh[i];
		e.at.file = e.at.file ? fm_conf_intern(r, e.at.file) : NULL;
		if (keep_shadow(r, &e) != FM_OK)
			goto fail;
	}
	return r;
fail:
	fm_conf_free(r);
	return NULL;
}

int fm_logs_add(fm_logs *l, const char *level, const char *fmt, ...)
{
	if (!l)
		return FM_OK;
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 8;
		char **nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv)
			return FM_ENOMEM;
		l->v = nv;
		l->cap = ncap;
	}
	char *body = NULL, *line = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&body, fmt, ap);
	va_end(ap);
	if (n < 0)
		return FM_ENOMEM;
	if (asprintf(&line, "%s %s", level, body) < 0) {
		free(body);
		return FM_ENOMEM;
	}
	free(body);
	l->v[l->n++] = line;
	return FM_OK;
}

void fm_logs_release(fm_logs *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	*l = (fm_logs)FM_LOGS_INIT;
}
