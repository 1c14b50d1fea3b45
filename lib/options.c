/* options — memory options and release behaviour profiles; see options.h
 * and docs/profiles.md for what each switch reproduces. */
#include "flinkmem/options.h"

/* Profiles are written as "the group's macro, then what differs": a later
 * designated initializer overriding an earlier one is the point here. */
#pragma GCC diagnostic ignored "-Woverride-init"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each profile is the previous (newer) one with the switches its release
 * group changed; written out in full so a profile reads on its own. */
#define P_2X                                                                          \
	.has_jm = true, .wrap_errors = true, .jm_wrap_errors = false, .jm_dynamic = true, \
	.dyn_jvm_keys = true, .dyn_slots_ext = true, .cpu_round8 = true, .ext_quoted = true, \
	.yaml_only = true, .shipped_tm_process = "1728m",                                \
	.shipped_jm = "jobmanager.memory.process.size: 1600m"

static const fm_profile p_2_2 = {.name = "2.2", .releases = "2.0.0-2.2.x", .order = 2200, P_2X};

#define P_1_20                                                                        \
	.has_jm = true, .wrap_errors = true, .jm_wrap_errors = true, .jm_dynamic = true,  \
	.dyn_jvm_keys = true, .dyn_slots_ext = true, .cpu_round8 = true, .ext_quoted = true, \
	.legacy_heap = true, .legacy_netbufs = true, .shipped_tm_process = "1728m",      \
	.shipped_jm = "jobmanager.memory.process.size: 1600m"

static const fm_profile p_1_20 = {.name = "1.20", .releases = "1.19.0-1.20.x", .order = 1200,
				  P_1_20, .yaml_fallback = true};
static const fm_profile p_1_18 = {.name = "1.18", .releases = "1.17.0-1.18.x", .order = 1180, P_1_20};
static const fm_profile p_1_16 = {.name = "1.16", .releases = "1.16.0-1.16.3", .order = 1160, P_1_20,
				  .network_max_1g = true, .flat_warn_quoted = true};
static const fm_profile p_1_15 = {.name = "1.15", .releases = "1.15.0-1.15.4", .order = 1150, P_1_20,
				  .network_max_1g = true, .flat_warn_quoted = true,
				  .overhead_typo = true};
#define P_1_14                                                                        \
	.has_jm = true, .wrap_errors = true, .jm_wrap_errors = true, .jm_dynamic = true,  \
	.dyn_jvm_keys = true, .legacy_heap = true, .legacy_netbufs = true,               \
	.shipped_tm_process = "1728m", .shipped_jm = "jobmanager.memory.process.size: 1600m", \
	.network_max_1g = true, .flat_warn_quoted = true, .overhead_typo = true
static const fm_profile p_1_14 = {.name = "1.14", .releases = "1.14.0-1.14.6", .order = 1140, P_1_14,
				  .dyn_slots_ext = true, .cpu_round8 = true};
static const fm_profile p_1_13 = {.name = "1.13", .releases = "1.13.0-1.13.6", .order = 1130, P_1_14,
				  .dyn_slots_ext = true};
static const fm_profile p_1_12_7 = {.name = "1.12.7", .releases = "1.12.2-1.12.7", .order = 1127,
				    P_1_14};
static const fm_profile p_1_12_1 = {.name = "1.12.1", .releases = "1.12.0-1.12.1", .order = 1121,
				    P_1_14, .dyn_jvm_keys = false};
static const fm_profile p_1_11_6 = {.name = "1.11.6", .releases = "1.11.3-1.11.6", .order = 1116,
				    P_1_14, .dyn_jvm_keys = false, .jm_dynamic = false,
				    .tm_dyn_trailing_space = true};
static const fm_profile p_1_11_2 = {.name = "1.11.2", .releases = "1.11.2", .order = 1112, P_1_14,
				    .dyn_jvm_keys = false, .jm_dynamic = false,
				    .tm_dyn_trailing_space = true, .wrap_errors = false,
				    .jm_wrap_errors = false};
static const fm_profile p_1_11_1 = {.name = "1.11.1", .releases = "1.11.0-1.11.1", .order = 1111,
				    P_1_14, .dyn_jvm_keys = false, .jm_dynamic = false,
				    .tm_dyn_trailing_space = true, .wrap_errors = false,
				    .jm_wrap_errors = false, .jm_flink_offheap_bug = true};
static const fm_profile p_1_10_3 = {.name = "1.10.3", .releases = "1.10.1-1.10.3", .order = 1103,
				    P_1_14, .dyn_jvm_keys = false, .jm_dynamic = false,
				    .tm_dyn_trailing_space = true, .wrap_errors = false,
				    .jm_wrap_errors = false, .has_jm = false, .tm_legacy_msgs = true,
				    .overhead_info_no_default = true,
				    .shipped_jm = "jobmanager.heap.size: 1024m"};
static const fm_profile p_1_10_0 = {.name = "1.10.0", .releases = "1.10.0", .order = 1100, P_1_14,
				    .dyn_jvm_keys = false, .jm_dynamic = false,
				    .tm_dyn_trailing_space = true, .wrap_errors = false,
				    .jm_wrap_errors = false, .has_jm = false, .tm_legacy_msgs = true,
				    .overhead_info_no_default = true, .metaspace_96m = true,
				    .shipped_tm_process = "1568m",
				    .shipped_jm = "jobmanager.heap.size: 1024m"};

const fm_profile *const fm_profiles[] = {
	&p_2_2, &p_1_20, &p_1_18, &p_1_16, &p_1_15, &p_1_14, &p_1_13, &p_1_12_7, &p_1_12_1,
	&p_1_11_6, &p_1_11_2, &p_1_11_1, &p_1_10_3, &p_1_10_0, NULL,
};

const fm_profile *fm_profile_newest(void)
{
	return &p_2_2;
}

/* Parses "X.Y[.Z]" with optional suffix like "-SNAPSHOT" or "rc1". */
static int parse_release(const char *s, int *maj, int *min, int *pat)
{
	char *end;
	long a = strtol(s, &end, 10);
	if (end == s || *end != '.')
		return -1;
	const char *q = end + 1;
	long b = strtol(q, &end, 10);
	if (end == q)
		return -1;
	long c = -1;
	if (*end == '.') {
		q = end + 1;
		c = strtol(q, &end, 10);
		if (end == q)
			return -1;
	}
	if (*end && *end != '-' && *end != '_' && *end != ' ' && *end != 'r')
		return -1;
	if (a < 0 || a > 99 || b < 0 || b > 99 || c > 999)
		return -1;
	*maj = (int)a;
	*min = (int)b;
	*pat = (int)c;
	return 0;
}

const fm_profile *fm_profile_for(const char *release)
{
	int a, b, c;
	if (!release || parse_release(release, &a, &b, &c) != 0)
		return NULL;
	if (a >= 2)
		return &p_2_2;
	if (a != 1 || b < 10)
		return NULL;
	/* A release line without a patch means its newest patch release. */
	switch (b) {
	case 10:
		return c == 0 ? &p_1_10_0 : &p_1_10_3;
	case 11:
		if (c >= 0 && c <= 1)
			return &p_1_11_1;
		if (c == 2)
			return &p_1_11_2;
		return &p_1_11_6;
	case 12:
		return (c >= 0 && c <= 1) ? &p_1_12_1 : &p_1_12_7;
	case 13: return &p_1_13;
	case 14: return &p_1_14;
	case 15: return &p_1_15;
	case 16: return &p_1_16;
	case 17:
	case 18: return &p_1_18;
	default: return &p_1_20; /* 1.19, 1.20 and later 1.x */
	}
}

#define NO_FB {NULL, NULL}

fm_option fm_option_get(const fm_profile *p, enum fm_opt_id id)
{
	switch (id) {
	case FM_O_TM_PROCESS: return (fm_option){"taskmanager.memory.process.size", FM_T_SIZE, NULL, NO_FB};
	case FM_O_TM_FLINK: return (fm_option){"taskmanager.memory.flink.size", FM_T_SIZE, NULL, NO_FB};
	case FM_O_TM_FW_HEAP: return (fm_option){"taskmanager.memory.framework.heap.size", FM_T_SIZE, "128m", NO_FB};
	case FM_O_TM_TASK_HEAP: return (fm_option){"taskmanager.memory.task.heap.size", FM_T_SIZE, NULL, NO_FB};
	case FM_O_TM_FW_OFFHEAP: return (fm_option){"taskmanager.memory.framework.off-heap.size", FM_T_SIZE, "128m", NO_FB};
	case FM_O_TM_TASK_OFFHEAP: return (fm_option){"taskmanager.memory.task.off-heap.size", FM_T_SIZE, "0b", NO_FB};
	case FM_O_TM_MANAGED_SIZE:
		return (fm_option){"taskmanager.memory.managed.size", FM_T_SIZE, NULL, {"taskmanager.memory.size", NULL}};
	case FM_O_TM_MANAGED_FRACTION: return (fm_option){"taskmanager.memory.managed.fraction", FM_T_FLOAT, "0.4", NO_FB};
	case FM_O_TM_NET_MIN:
		return (fm_option){"taskmanager.memory.network.min", FM_T_SIZE, "64m", {"taskmanager.network.memory.min", NULL}};
	case FM_O_TM_NET_MAX:
		return (fm_option){"taskmanager.memory.network.max", FM_T_SIZE,
				   p->network_max_1g ? "1g" : "9223372036854775807",
				   {"taskmanager.network.memory.max", NULL}};
	case FM_O_TM_NET_FRACTION:
		return (fm_option){"taskmanager.memory.network.fraction", FM_T_FLOAT, "0.1",
				   {"taskmanager.network.memory.fraction", NULL}};
	case FM_O_TM_METASPACE:
		return (fm_option){"taskmanager.memory.jvm-metaspace.size", FM_T_SIZE, p->metaspace_96m ? "96m" : "256m", NO_FB};
	case FM_O_TM_OVH_MIN: return (fm_option){"taskmanager.memory.jvm-overhead.min", FM_T_SIZE, "192m", NO_FB};
	case FM_O_TM_OVH_MAX: return (fm_option){"taskmanager.memory.jvm-overhead.max", FM_T_SIZE, "1g", NO_FB};
	case FM_O_TM_OVH_FRACTION: return (fm_option){"taskmanager.memory.jvm-overhead.fraction", FM_T_FLOAT, "0.1", NO_FB};
	case FM_O_TM_SEGMENT: return (fm_option){"taskmanager.memory.segment-size", FM_T_SIZE, "32kb", NO_FB};
	case FM_O_TM_NUM_BUFFERS: return (fm_option){"taskmanager.network.numberOfBuffers", FM_T_INT, "2048", NO_FB};
	case FM_O_TM_SLOTS: return (fm_option){"taskmanager.numberOfTaskSlots", FM_T_INT, "1", NO_FB};
	case FM_O_TM_CPU: return (fm_option){"taskmanager.cpu.cores", FM_T_DOUBLE, NULL, NO_FB};
	case FM_O_TM_LEGACY_HEAP: return (fm_option){"taskmanager.heap.size", FM_T_SIZE, NULL, NO_FB};
	case FM_O_TM_LEGACY_HEAP_MB: return (fm_option){"taskmanager.heap.mb", FM_T_INT, NULL, NO_FB};
	case FM_O_EXT_RESOURCES: return (fm_option){"external-resources", FM_T_STRING, "none", NO_FB};
	case FM_O_JM_PROCESS: return (fm_option){"jobmanager.memory.process.size", FM_T_SIZE, NULL, NO_FB};
	case FM_O_JM_FLINK: return (fm_option){"jobmanager.memory.flink.size", FM_T_SIZE, NULL, NO_FB};
	case FM_O_JM_HEAP: return (fm_option){"jobmanager.memory.heap.size", FM_T_SIZE, NULL, NO_FB};
	case FM_O_JM_OFFHEAP: return (fm_option){"jobmanager.memory.off-heap.size", FM_T_SIZE, "128m", NO_FB};
	case FM_O_JM_METASPACE: return (fm_option){"jobmanager.memory.jvm-metaspace.size", FM_T_SIZE, "256m", NO_FB};
	case FM_O_JM_OVH_MIN: return (fm_option){"jobmanager.memory.jvm-overhead.min", FM_T_SIZE, "192m", NO_FB};
	case FM_O_JM_OVH_MAX: return (fm_option){"jobmanager.memory.jvm-overhead.max", FM_T_SIZE, "1g", NO_FB};
	case FM_O_JM_OVH_FRACTION: return (fm_option){"jobmanager.memory.jvm-overhead.fraction", FM_T_FLOAT, "0.1", NO_FB};
	case FM_O_JM_DIRECT_LIMIT: return (fm_option){"jobmanager.memory.enable-jvm-direct-memory-limit", FM_T_BOOL, "false", NO_FB};
	case FM_O_JM_LEGACY_HEAP: return (fm_option){"jobmanager.heap.size", FM_T_SIZE, NULL, NO_FB};
	case FM_O_JM_LEGACY_HEAP_MB: return (fm_option){"jobmanager.heap.mb", FM_T_INT, NULL, NO_FB};
	case FM_O_COUNT: break;
	}
	return (fm_option){NULL, FM_T_STRING, NULL, NO_FB};
}
