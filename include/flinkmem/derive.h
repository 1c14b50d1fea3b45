/* derive — the TaskManager and JobManager memory derivation, byte for byte
 * as Flink's BashJavaUtils computes it (GET_TM_RESOURCE_PARAMS /
 * GET_JM_RESOURCE_PARAMS) for a given behaviour profile: every component,
 * the JVM flags, the dynamic-config string, the INFO/WARN lines Flink logs,
 * or the exception Flink throws (class, message and cause chain).
 * Reads only the fm_conf and the values passed in; thread-safe. */
#ifndef FLINKMEM_DERIVE_H
#define FLINKMEM_DERIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "flinkmem/conf.h"
#include "flinkmem/memsize.h"
#include "flinkmem/options.h"

/* A Java exception and its causes, outermost first. */
typedef struct fm_jchain {
	fm_jexc *v;
	size_t n;
} fm_jchain;

void fm_jchain_release(fm_jchain *c);

typedef struct fm_tm_layout {
	int64_t framework_heap, task_heap, framework_off_heap, task_off_heap;
	int64_t network, managed, total_flink, metaspace, overhead, total_process;
	int64_t jvm_heap, jvm_direct;  /* -Xmx, -XX:MaxDirectMemorySize */
	char cpu_cores[40];            /* as placed in the dynamic configs */
	int32_t num_slots;
	bool has_num_slots;            /* 1.13+: slots are part of the spec */
	char *jvm_args;                /* BashJavaUtils' first result line */
	char *dynamic_configs;         /* second result line */
} fm_tm_layout;

typedef struct fm_jm_layout {
	int64_t jvm_heap, off_heap, total_flink, metaspace, overhead, total_process;
	bool direct_limit;             /* -XX:MaxDirectMemorySize emitted */
	char *jvm_args;
	char *dynamic_configs;         /* NULL where the release prints none (1.11) */
} fm_jm_layout;

enum fm_outcome { FM_DERIVED = 0, FM_FLINK_ERROR = 1, FM_UNSUPPORTED = 2 };

typedef struct fm_tm_result {
	enum fm_outcome outcome;
	fm_tm_layout l;
	fm_jchain err;         /* FM_FLINK_ERROR */
	fm_logs logs;          /* what Flink logs on the way (INFO/WARN) */
} fm_tm_result;

typedef struct fm_jm_result {
	enum fm_outcome outcome;
	fm_jm_layout l;
	fm_jchain err;
	const char *unsupported; /* FM_UNSUPPORTED: why (static) */
	fm_logs logs;
} fm_jm_result;

/* What the derivation reads besides the config: the legacy heap
 * environment variables (NULL = unset). The library never reads the
 * process environment itself. */
typedef struct fm_derive_env {
	const char *flink_tm_heap;
	const char *flink_jm_heap;
} fm_derive_env;

/* Derive; out is overwritten (release it with the matching release).
 * Returns FM_OK (see out->outcome) or FM_ENOMEM. */
int fm_derive_tm(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_tm_result *out);
int fm_derive_jm(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_jm_result *out);
/* A rejection whose JVM overhead is the remainder of set parts and a set
 * total, outside its range ("Derived JVM Overhead size (X (N bytes)) is not
 * in configured JVM Overhead range [MIN (A bytes), MAX (B bytes)]"): true
 * with *derived = N, *min = A, *max = B; false for another rejection. */
bool fm_derive_overhead_out_of_range(const fm_jchain *err, int64_t *derived, int64_t *min, int64_t *max);
/* The same, numbers first: the layout's sizes, cpu_cores, slots, the
 * outcome and Flink's exception exactly as above, but jvm_args and
 * dynamic_configs stay NULL and no log lines are kept. For callers that
 * evaluate many configs and read only sizes (goal searches); the strings
 * are most of a derivation's cost. */
int fm_derive_tm_numbers(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_tm_result *out);
int fm_derive_jm_numbers(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_jm_result *out);
void fm_tm_result_release(fm_tm_result *r);
void fm_jm_result_release(fm_jm_result *r);

/* Java HashMap iteration order of n string keys inserted in the given
 * order: fills order[] with indexes into keys. Exposed for tests. */
void fm_java_hashmap_order(const char *const *keys, size_t n, size_t *order);
/* java.lang.String.hashCode of a UTF-8 key (over its UTF-16 units). */
int32_t fm_java_string_hash(const char *s);
/* The human size a derivation writes into its log lines, from its own
 * fast path: must be fm_size_human_c's text exactly (out holds
 * FM_SIZE_HUMAN_MAX bytes). Exposed for tests. */
void fm_derive_size_human(char *out, int64_t bytes);

#endif
