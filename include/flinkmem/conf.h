/* conf — the configuration as Flink sees it: an ordered key -> value store
 * where every value remembers where it came from (file, line, column and
 * the kind of source). Values keep the type the source gave them, because
 * Flink's conversions differ by type (a YAML int 0x40000000 is a size of
 * 1 GiB; the string "0x40000000" is not a size at all).
 * Owns all its strings. Not thread-safe per object. */
#ifndef FLINKMEM_CONF_H
#define FLINKMEM_CONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "flinkmem/diag.h"

typedef enum fm_src {
	FM_SRC_BUILTIN = 0, /* flinkmem's own fallback (Flink's shipped config) */
	FM_SRC_FLAT,        /* legacy flink-conf.yaml line */
	FM_SRC_YAML,        /* config.yaml */
	FM_SRC_DYNAMIC,     /* -D key=value */
	FM_SRC_ENV,         /* FLINK_PROPERTIES, FLINK_TM_HEAP, ... */
	FM_SRC_K8S,         /* FlinkDeployment / pod spec */
} fm_src;

/* Java type of the stored object (what Flink's Configuration map holds). */
typedef enum fm_vtype {
	FM_V_STR = 0, /* java.lang.String */
	FM_V_INT,     /* Integer/Long/BigInteger: text is the decimal digits */
	FM_V_FLOAT,   /* Double: num is the value, text is Double.toString */
	FM_V_BOOL,    /* Boolean: text is "true" or "false" */
	FM_V_LIST,    /* List: text is Java's List.toString, e.g. "[2g]" */
} fm_vtype;

typedef struct fm_origin {
	const char *file; /* interned in the conf; NULL for -D and env */
	uint32_t line;    /* 1-based; 0 when not from a file */
	uint32_t col;     /* 1-based column of the value's first byte */
	fm_src src;
} fm_origin;

typedef struct fm_entry {
	char *key;
	char *text;      /* Java toString of the value (NUL-terminated) */
	size_t text_len;
	fm_vtype type;
	double num;      /* FM_V_FLOAT only */
	fm_origin at;
	uint32_t key_line, key_col; /* where the key itself is written */
	size_t key_len;  /* bytes in key (a YAML key may hold NUL) */
} fm_entry;

/* Whether e's key is whole as a C string. A key holding a NUL byte (a
 * damaged file; YAML allows "\0") is no key Flink reads, and its C-string
 * prefix must not pass for the key it begins with: code that reads keys
 * as C strings (per-entry rules, prefix checks) skips such an entry. */
static inline bool fm_entry_key_whole(const fm_entry *e)
{
	return strlen(e->key) == e->key_len;
}

typedef struct fm_conf fm_conf;

fm_conf *fm_conf_new(void);
void fm_conf_free(fm_conf *c);           /* accepts NULL */
fm_conf *fm_conf_dup(const fm_conf *c);  /* NULL on ENOMEM */

/* Stable copy of a file name, owned by c; NULL on ENOMEM. */
const char *fm_conf_intern(fm_conf *c, const char *name);

/* Sets key (last write wins; the entry keeps its first position in the
 * order). at->file must be NULL or a string from fm_conf_intern(c, ...).
 * key_line/key_col of the entry are taken from at (line, col of the key);
 * use fm_conf_put_at for a distinct value position.
 * Returns FM_OK or FM_ENOMEM. */
int fm_conf_put(fm_conf *c, const char *key, size_t klen, const char *text, size_t tlen,
		fm_vtype type, double num, const fm_origin *at);
int fm_conf_put_at(fm_conf *c, const char *key, size_t klen, const char *text, size_t tlen,
		   fm_vtype type, double num, const fm_origin *val_at, uint32_t key_line,
		   uint32_t key_col);
/* Convenience: a string value from a NUL-terminated key and value. */
int fm_conf_set_str(fm_conf *c, const char *key, const char *val, const fm_origin *at);

const fm_entry *fm_conf_find(const fm_conf *c, const char *key); /* NULL if absent */
/* The same lookup with the key's hash computed beforehand (by
 * fm_conf_key_hash, which depends on nothing but the key): for callers that
 * look the same constant keys up again and again. */
uint64_t fm_conf_key_hash(const char *key, size_t klen);
const fm_entry *fm_conf_find_hashed(const fm_conf *c, const char *key, size_t klen, uint64_t h);
bool fm_conf_has(const fm_conf *c, const char *key);
int fm_conf_remove(fm_conf *c, const char *key); /* 1 removed, 0 absent */
size_t fm_conf_len(const fm_conf *c);
const fm_entry *fm_conf_at(const fm_conf *c, size_t i); /* insertion order */

/* Values a later line of the same file replaced (Flink keeps the last one
 * silently, in flink-conf.yaml and in config.yaml's flattened keys alike):
 * the earlier entry as it was, in the order they were replaced. */
size_t fm_conf_shadowed_len(const fm_conf *c);
const fm_entry *fm_conf_shadowed_at(const fm_conf *c, size_t i);
/* For a loader that resolves the replacement itself (config.yaml's
 * flattening): records a value a later one of the same key replaced. */
int fm_conf_add_shadow(fm_conf *c, const char *key, size_t klen, const char *text, size_t tlen,
		       const fm_origin *at, uint32_t key_line, uint32_t key_col);

/* A growable list of log lines "LEVEL message", as Flink would log them
 * while loading and deriving (INFO/WARN/ERROR). */
typedef struct fm_logs {
	char **v;
	size_t n, cap;
} fm_logs;
#define FM_LOGS_INIT {NULL, 0, 0}
int fm_logs_add(fm_logs *l, const char *level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void fm_logs_release(fm_logs *l);

#endif
