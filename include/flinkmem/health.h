/* health — what a layout must keep whatever else was asked of it: a floor
 * per component (task heap, managed memory per slot when a consumer uses
 * it, the network buffers the slots need, JVM overhead and metaspace, the
 * JobManager heap), each with its reason (docs/health.md argues the
 * numbers), and the re-check that a proposed config passes `check` with
 * no error or warning. Shared by plan (goal-seek searches inside the
 * floors), lint (fixes) and remedy (diagnose fixes).
 *
 * Owns: the floor numbers, the managed-memory consumer detection (RocksDB,
 * batch runtime mode, Python UDFs), and the list of keys a change makes
 * redundant. Does not own: the derivation (derive), the rules (lint), the
 * search (plan). Pure; thread-safe. Units: bytes. */
#ifndef FLINKMEM_HEALTH_H
#define FLINKMEM_HEALTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/conf.h"
#include "flinkmem/derive.h"
#include "flinkmem/lint.h"
#include "flinkmem/options.h"

/* The floors, one per component (names as fm_goal's components). */
enum fm_health_comp {
	FM_H_TASK_HEAP = 0, FM_H_MANAGED, FM_H_NETWORK, FM_H_OVERHEAD, FM_H_METASPACE,
	FM_H_JM_HEAP, FM_H_JM_METASPACE, FM_H_JM_OVERHEAD,
	FM_H_COUNT
};

/* Task heap: Flink's own recommended JobManager heap minimum (it logs a
 * WARN below it), the size of the framework heap Flink reserves for its
 * own objects; user code and records need at least as much. */
#define FM_HEALTH_TASK_HEAP (INT64_C(128) << 20)
/* Managed memory per slot by consumer (reasons in docs/health.md). */
#define FM_HEALTH_MANAGED_ROCKSDB (INT64_C(128) << 20)
#define FM_HEALTH_MANAGED_PYTHON (INT64_C(128) << 20)
#define FM_HEALTH_MANAGED_BATCH (INT64_C(64) << 20)
/* JVM overhead: Flink's default jvm-overhead.min. */
#define FM_HEALTH_OVERHEAD (INT64_C(192) << 20)
/* Metaspace: the smallest default Flink ever shipped (1.10's 96m). */
#define FM_HEALTH_METASPACE (INT64_C(96) << 20)
/* JobManager heap: the minimum Flink itself recommends (WARN below). */
#define FM_HEALTH_JM_HEAP (INT64_C(128) << 20)

typedef struct fm_health_floor {
	const char *component; /* "task-heap", "managed", ... (fm_goal names) */
	int64_t bytes;         /* 0: no floor for this config */
	const char *why;       /* one line, static */
} fm_health_floor;

typedef struct fm_floors {
	fm_health_floor v[FM_H_COUNT];
	int32_t slots;                /* taskmanager.numberOfTaskSlots (1 when unset or bad) */
	const char *managed_consumer; /* "RocksDB", "Python UDFs", "batch operators" or NULL */
} fm_floors;

/* The state backend c names is RocksDB ("rocksdb" or its class name). */
bool fm_health_rocksdb(const fm_conf *c);
/* The state backend c names is ForSt (2.x's "forst"), an embedded RocksDB
 * fork with RocksDB's memory rules under state.backend.forst.memory.*: it
 * counts as FM_CONSUMER_ROCKSDB (the STATE_BACKEND share). */
bool fm_health_forst(const fm_conf *c);
/* The prefix of the memory options of the RocksDB-like state backend c
 * runs: "state.backend.rocksdb.memory." or, for ForSt, "state.backend.
 * forst.memory." (ForStOptions and ForStSharedResourcesFactory mirror
 * RocksDB's managed, fixed-per-slot and fixed-per-tm); NULL for neither. */
const char *fm_health_state_memory(const fm_conf *c);
/* Slots x the backend's memory.fixed-per-slot when c runs RocksDB or ForSt
 * on that budget: native memory outside every Flink component (FM068);
 * 0 otherwise. Saturates. */
int64_t fm_health_rocksdb_fixed(const fm_conf *c);
/* The release under p reads state.backend.rocksdb.memory.fixed-per-tm
 * (1.17+, FLINK-29928; ForSt's from its first release, 2.0). */
bool fm_health_has_fixed_tm(const fm_profile *p);
/* The backend's memory.fixed-per-tm when RocksDB or ForSt takes it under p
 * (managed written false, no fixed-per-slot): native memory the whole
 * TaskManager's instances share outside every Flink component (FM070); 0
 * otherwise. */
int64_t fm_health_rocksdb_fixed_tm(const fm_conf *c, const fm_profile *p);
/* managed.fraction: 0 written out, and no managed.size: the user switched
 * managed memory off, which no total makes grow (its floor is theirs). */
bool fm_health_managed_off(const fm_conf *c);

/* Managed-memory consumers a config shows (fm_health_consumers). */
enum { FM_CONSUMER_ROCKSDB = 1u, FM_CONSUMER_PYTHON = 2u, FM_CONSUMER_BATCH = 4u };
unsigned fm_health_consumers(const fm_conf *c);

/* The floors for config c under profile p. Never fails: a key that does
 * not parse is taken at Flink's default (the derivation reports it). */
void fm_health_floors(const fm_conf *c, const fm_profile *p, fm_floors *out);

/* The first floor a layout breaks, skipping components named in skip[0..n)
 * (the user's own goals); NULL when healthy. tm/jm may be NULL (side not
 * derived: nothing to check). *have gets the component's size. */
const fm_health_floor *fm_health_violation(const fm_floors *f, const fm_tm_layout *tm, const fm_jm_layout *jm,
					   const char *const *skip, size_t nskip, int64_t *have);

/* The components c fixes by an explicit size key (task heap, managed,
 * network min and max, metaspace, overhead min and max, JobManager heap,
 * metaspace, overhead): a total size does not move them, so their floors
 * are the user's business (check reports them, fixes leave them).
 * Appends up to cap component names to out; returns how many. */
size_t fm_health_user_set(const fm_conf *c, const char **out, size_t cap);

/* The keys that change set (keys[i] set, or removed when set[i] is false)
 * makes redundant in c: a fraction next to a size now set (FM040), the
 * other total when one total is set (FM041), deprecated fallbacks of a key
 * now set. Appends up to cap static key names to out; returns how many. */
size_t fm_health_redundant(const fm_conf *c, const fm_profile *p, const char *const *keys, size_t n, const char **out,
			   size_t cap);

/* Runs `check` on c and keeps its error and warning findings (notes are
 * fine) in *bad; with base non-NULL, a finding base has too (same rule
 * and key) is left out: a fix answers for what it changes, not for an
 * unrelated typo elsewhere in the user's file. tm_limit: the container
 * limit, 0 unknown. Release *bad with fm_findings_release. FM_OK or
 * FM_ENOMEM. */
int fm_health_lint(const fm_conf *c, const fm_conf *base, const fm_profile *p, const fm_derive_env *env,
		   int64_t tm_limit, fm_findings *bad);

#endif
