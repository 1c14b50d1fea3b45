/* options — the memory-related Flink config options (key, type, default,
 * fallback keys) and the behaviour profiles of the Flink releases we
 * reproduce. A profile is a set of switches, one per behaviour change
 * (see docs/profiles.md); option defaults that changed between releases
 * are resolved through the profile. Static data, thread-safe. */
#ifndef FLINKMEM_OPTIONS_H
#define FLINKMEM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

typedef struct fm_profile {
	const char *name;     /* "1.20", "2.2", "1.12.1" (vector file's version) */
	const char *releases; /* human range, e.g. "1.19.0-1.20.x" */
	int order;            /* higher = newer */
	bool metaspace_96m;   /* 1.10.0: TM metaspace default 96m */
	bool has_jm;          /* 1.11+: the JobManager is computed in Java */
	bool tm_legacy_msgs;  /* 1.10: old "nothing configured" text, no process >= flink check */
	bool overhead_info_no_default; /* 1.10: "the configured JVM Overhead fraction" */
	bool jm_flink_offheap_bug;     /* 1.11.0-1.11.1 (FLINK-18993) */
	bool wrap_errors;     /* 1.11.3+: "TaskManager memory configuration failed: " */
	bool jm_wrap_errors;  /* JM prefix: 1.11.3-1.20 (gone in 2.x) */
	bool jm_dynamic;      /* 1.12+: JM prints a dynamic-config line */
	bool tm_dyn_trailing_space; /* 1.10-1.11 */
	bool dyn_jvm_keys;    /* 1.12.2+: metaspace + overhead min/max in TM -D */
	bool dyn_slots_ext;   /* 1.13+: slots and external resources in TM -D, numSlots in spec */
	bool cpu_round8;      /* 1.14+: cpu cores rounded down to 8 decimals */
	bool ext_quoted;      /* 1.15+: external-resources list in double quotes */
	bool overhead_typo;   /* <= 1.15: "JVM OVerhead size" */
	bool network_max_1g;  /* <= 1.16: network max default 1g */
	bool flat_warn_quoted;/* <= 1.16: malformed-line WARN quotes the line */
	bool yaml_fallback;   /* 1.19-1.20: config.yaml when flink-conf.yaml is absent */
	bool yaml_only;       /* 2.x: only config.yaml */
	bool legacy_heap;     /* 1.x: taskmanager.heap.size & co., FLINK_TM_HEAP */
	bool legacy_netbufs;  /* 1.x: taskmanager.network.numberOfBuffers */
	const char *shipped_tm_process; /* shipped config's TM process size */
	const char *shipped_jm;         /* shipped config's JM line "key: value" */
} fm_profile;

/* Every profile, newest first; NULL-terminated. */
extern const fm_profile *const fm_profiles[];

/* Profile for a release string: "1.16", "1.12.1", "2.2.1", "1.20.0".
 * NULL when the release is unknown (before 1.10, malformed). */
const fm_profile *fm_profile_for(const char *release);
const fm_profile *fm_profile_newest(void);

typedef enum fm_otype { FM_T_SIZE, FM_T_FLOAT, FM_T_INT, FM_T_LONG, FM_T_BOOL, FM_T_DOUBLE, FM_T_STRING } fm_otype;

typedef struct fm_option {
	const char *key;
	fm_otype type;
	const char *def;        /* default as Flink's toString prints it; NULL = none */
	const char *fallback[2];/* deprecated fallback keys */
} fm_option;

/* Options by identity (the memory model's keys). */
enum fm_opt_id {
	FM_O_TM_PROCESS, FM_O_TM_FLINK, FM_O_TM_FW_HEAP, FM_O_TM_TASK_HEAP, FM_O_TM_FW_OFFHEAP,
	FM_O_TM_TASK_OFFHEAP, FM_O_TM_MANAGED_SIZE, FM_O_TM_MANAGED_FRACTION, FM_O_TM_NET_MIN,
	FM_O_TM_NET_MAX, FM_O_TM_NET_FRACTION, FM_O_TM_METASPACE, FM_O_TM_OVH_MIN, FM_O_TM_OVH_MAX,
	FM_O_TM_OVH_FRACTION, FM_O_TM_SEGMENT, FM_O_TM_NUM_BUFFERS, FM_O_TM_SLOTS, FM_O_TM_CPU,
	FM_O_TM_LEGACY_HEAP, FM_O_TM_LEGACY_HEAP_MB, FM_O_EXT_RESOURCES,
	FM_O_JM_PROCESS, FM_O_JM_FLINK, FM_O_JM_HEAP, FM_O_JM_OFFHEAP, FM_O_JM_METASPACE,
	FM_O_JM_OVH_MIN, FM_O_JM_OVH_MAX, FM_O_JM_OVH_FRACTION, FM_O_JM_DIRECT_LIMIT,
	FM_O_JM_LEGACY_HEAP, FM_O_JM_LEGACY_HEAP_MB,
	FM_O_COUNT
};

/* The option as the profile defines it (defaults differ by release; the
 * key and fallback keys are the same in every profile, which derive's
 * once-built key table relies on). */
fm_option fm_option_get(const fm_profile *p, enum fm_opt_id id);

#endif
