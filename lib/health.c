/* health — floors per component and the re-check of proposals; see
 * include/flinkmem/health.h and docs/health.md for the numbers' reasons. */
#include "flinkmem/health.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "flinkmem/lint.h"
#include "flinkmem/logconf.h"
#include "flinkmem/memsize.h"
#include "flinkmem/netbuf.h"

static const char *value_of(const fm_conf *c, const char *k)
{
	const fm_entry *e = fm_conf_find(c, k);
	return e ? e->text : NULL;
}

static bool is_false(const char *v)
{
	return v && !strcasecmp(v, "false");
}

static int32_t slots_of(const fm_conf *c)
{
	const char *v = value_of(c, "taskmanager.numberOfTaskSlots");
	if (!v)
		return 1;
	char *end;
	long n = strtol(v, &end, 10);
	return end != v && *end == '\0' && n >= 1 && n <= 65536 ? (int32_t)n : 1;
}

bool fm_health_rocksdb(const fm_conf *c)
{
	const char *sb = value_of(c, "state.backend.type");
	if (!sb)
		sb = value_of(c, "state.backend");
	return sb && (!strcasecmp(sb, "rocksdb") || strstr(sb, "RocksDB"));
}

bool fm_health_forst(const fm_conf *c)
{
	const char *sb = value_of(c, "state.backend.type");
	if (!sb)
		sb = value_of(c, "state.backend");
	return sb && (!strcasecmp(sb, "forst") || strstr(sb, "ForStStateBackend"));
}

const char *fm_health_state_memory(const fm_conf *c)
{
	return fm_health_rocksdb(c) ? "state.backend.rocksdb.memory." : fm_health_forst(c) ? "state.backend.forst.memory." : NULL;
}

/* the entry of the state backend's memory option with this suffix ("fixed-per-slot"), NULL when unset */
static const fm_entry *state_memory_key(const fm_conf *c, const char *suffix)
{
	const char *pre = fm_health_state_memory(c);
	char key[64];
	if (!pre || snprintf(key, sizeof key, "%s%s", pre, suffix) >= (int)sizeof key)
		return NULL;
	return fm_conf_find(c, key);
}

static int64_t state_memory_bytes(const fm_conf *c, const char *suffix)
{
	const fm_entry *e = state_memory_key(c, suffix);
	return e ? fm_conf_bytes(c, e->key) : 0;
}

int64_t fm_health_rocksdb_fixed(const fm_conf *c)
{
	int64_t per = state_memory_bytes(c, "fixed-per-slot");
	if (per <= 0)
		return 0;
	int64_t slots = slots_of(c);
	return per > INT64_MAX / slots ? INT64_MAX : per * slots;
}

bool fm_health_has_fixed_tm(const fm_profile *p)
{
	return p && p->order >= 1180; /* the 1.17-1.18 profile and newer */
}

int64_t fm_health_rocksdb_fixed_tm(const fm_conf *c, const fm_profile *p)
{
	int64_t tm = state_memory_bytes(c, "fixed-per-tm");
	if (!fm_health_has_fixed_tm(p) || tm <= 0 || state_memory_key(c, "fixed-per-slot"))
		return 0;
	const fm_entry *m = state_memory_key(c, "managed");
	return m && is_false(m->text) ? tm : 0;
}

bool fm_health_managed_off(const fm_conf *c)
{
	const fm_entry *mf = fm_conf_find(c, "taskmanager.memory.managed.fraction");
	return mf && strtod(mf->text, NULL) == 0 && !fm_conf_has(c, "taskmanager.memory.managed.size");
}

/* The managed-memory consumers c shows (health.h): RocksDB only when it
 * runs inside managed memory (the default; not with memory.managed: false
 * or a fixed-per-slot budget); batch operators in batch runtime mode;
 * Python UDFs when any python.* key says the job has them and their
 * workers use managed memory (the default). An unset state backend is
 * Flink's heap backend unless the job picks one in code, which a config
 * cannot tell: no consumer then. */
unsigned fm_health_consumers(const fm_conf *c)
{
	unsigned m = 0;
	if (fm_health_rocksdb(c) && !is_false(value_of(c, "state.backend.rocksdb.memory.managed")) &&
	    !fm_conf_has(c, "state.backend.rocksdb.memory.fixed-per-slot"))
		m |= FM_CONSUMER_ROCKSDB;
	/* ForSt (2.x) takes the same STATE_BACKEND share by the same rules
	 * (ForStSharedResourcesFactory.from mirrors RocksDB's) */
	if (fm_health_forst(c) && !is_false(value_of(c, "state.backend.forst.memory.managed")) &&
	    !fm_conf_has(c, "state.backend.forst.memory.fixed-per-slot"))
		m |= FM_CONSUMER_ROCKSDB;
	for (size_t i = 0; i < fm_conf_len(c); i++)
		if (!strncmp(fm_conf_at(c, i)->key, "python.", 7) && fm_entry_key_whole(fm_conf_at(c, i)) &&
		    !is_false(value_of(c, "python.fn-execution.memory.managed"))) {
			m |= FM_CONSUMER_PYTHON;
			break;
		}
	const char *mode = value_of(c, "execution.runtime-mode");
	if (mode && !strcasecmp(mode, "batch"))
		m |= FM_CONSUMER_BATCH;
	return m;
}

/* Which consumer needs managed memory, and how much per slot: the largest
 * need of those c shows. */
static const char *managed_consumer(const fm_conf *c, int64_t *per_slot)
{
	*per_slot = 0;
	const char *why = NULL;
	unsigned m = fm_health_consumers(c);
	if (m & FM_CONSUMER_ROCKSDB) {
		*per_slot = FM_HEALTH_MANAGED_ROCKSDB;
		why = fm_health_forst(c) ? "ForSt" : "RocksDB";
	}
	if ((m & FM_CONSUMER_PYTHON) && FM_HEALTH_MANAGED_PYTHON > *per_slot) {
		*per_slot = FM_HEALTH_MANAGED_PYTHON;
		why = why ? why : "Python UDFs";
	}
	if ((m & FM_CONSUMER_BATCH) && FM_HEALTH_MANAGED_BATCH > *per_slot) {
		*per_slot = FM_HEALTH_MANAGED_BATCH;
		why = "batch operators";
	}
	return why;
}

/* Buffers a TaskManager needs when every slot runs one subtask of a job
 * with a single all-to-all exchange at parallelism = slots (all channels
 * local), by the release's own rules (netbuf); never below lint's FM065
 * minimum of 5 buffers per slot. */
static int64_t network_floor(const fm_conf *c, const fm_profile *p, int32_t slots)
{
	fm_nb_rules r;
	int64_t seg = 32768, per_subtask = 5;
	if (fm_nb_rules_for(c, p, &r, NULL) == FM_OK) {
		const char *mode = value_of(c, "execution.runtime-mode");
		fm_nb_kind k = mode && !strcasecmp(mode, "batch") ? FM_NB_BLOCKING : FM_NB_PIPELINED;
		int64_t s = slots > FM_NB_MAX_PARALLELISM ? FM_NB_MAX_PARALLELISM : slots;
		int64_t need;
		if (__builtin_add_overflow(fm_nb_gate_required(&r, k, s, true), fm_nb_partition_required(&r, k, s), &need))
			need = INT64_MAX;
		if (need > per_subtask)
			per_subtask = need;
		seg = r.segment;
	}
	/* buffers per subtask and the segment size are read from the config:
	 * their product saturates (a floor nothing meets) */
	return fm_size_mul_sat(fm_size_mul_sat(per_subtask, slots), seg);
}

void fm_health_floors(const fm_conf *c, const fm_profile *p, fm_floors *out)
{
	*out = (fm_floors){0};
	out->slots = slots_of(c);
	int64_t per_slot;
	out->managed_consumer = managed_consumer(c, &per_slot);
	out->v[FM_H_TASK_HEAP] = (fm_health_floor){"task-heap", FM_HEALTH_TASK_HEAP,
		"user code, records and heap state live in the task heap: below 128 MiB (Flink's own minimum for a "
		"JobManager heap and the framework heap it keeps for itself) Java heap space errors are likely"};
	out->v[FM_H_MANAGED] = (fm_health_floor){"managed", per_slot * out->slots,
		per_slot == FM_HEALTH_MANAGED_ROCKSDB ? "RocksDB takes its memtables and block cache from the slot's managed "
							"memory: 128 MiB per slot holds one default 64 MiB memtable at "
							"Flink's write-buffer ratio of 0.5"
		: per_slot == FM_HEALTH_MANAGED_BATCH ? "batch sort and hash operators take their buffers from the slot's "
							"managed memory and spill to disk without it: 64 MiB per slot"
						      : "Python UDF workers run inside the slot's managed memory: 128 MiB per "
							"slot for the interpreter, the Beam harness and Arrow batches"};
	out->v[FM_H_NETWORK] = (fm_health_floor){"network", network_floor(c, p, out->slots),
		"every slot's tasks need their required network buffers (one all-to-all exchange at parallelism = "
		"slots, by this release's rules), else jobs fail with 'Insufficient number of network buffers'"};
	out->v[FM_H_OVERHEAD] = (fm_health_floor){"overhead", FM_HEALTH_OVERHEAD,
		"thread stacks, code cache, GC structures and native libraries live in the JVM overhead: Flink's default "
		"minimum is 192 MiB, and containers below it get killed for exceeding their limit"};
	out->v[FM_H_METASPACE] = (fm_health_floor){"metaspace", FM_HEALTH_METASPACE,
		"Flink's own classes fill most of 96 MiB of metaspace (1.10's default, raised to 256 MiB in 1.11 after "
		"metaspace errors): below it the TaskManager fails with OutOfMemoryError: Metaspace"};
	out->v[FM_H_JM_HEAP] = (fm_health_floor){"jm-heap", FM_HEALTH_JM_HEAP,
		"Flink logs a WARN for a JobManager heap under 128 MiB, its recommended minimum"};
	out->v[FM_H_JM_METASPACE] = (fm_health_floor){"jm-metaspace", FM_HEALTH_METASPACE,
		"the JobManager loads Flink's classes and the jobs' too: below 96 MiB it fails with Metaspace errors"};
	out->v[FM_H_JM_OVERHEAD] = (fm_health_floor){"jm-overhead", FM_HEALTH_OVERHEAD,
		"native memory of the JobManager JVM: Flink's default minimum is 192 MiB"};
}

static int64_t comp_bytes(enum fm_health_comp i, const fm_tm_layout *tm, const fm_jm_layout *jm)
{
	switch (i) {
	case FM_H_TASK_HEAP: return tm ? tm->task_heap : -1;
	case FM_H_MANAGED: return tm ? tm->managed : -1;
	case FM_H_NETWORK: return tm ? tm->network : -1;
	case FM_H_OVERHEAD: return tm ? tm->overhead : -1;
	case FM_H_METASPACE: return tm ? tm->metaspace : -1;
	case FM_H_JM_HEAP: return jm ? jm->jvm_heap : -1;
	case FM_H_JM_METASPACE: return jm ? jm->metaspace : -1;
	case FM_H_JM_OVERHEAD: return jm ? jm->overhead : -1;
	default: return -1;
	}
}

const fm_health_floor *fm_health_violation(const fm_floors *f, const fm_tm_layout *tm, const fm_jm_layout *jm,
					   const char *const *skip, size_t nskip, int64_t *have)
{
	for (int i = 0; i < FM_H_COUNT; i++) {
		const fm_health_floor *fl = &f->v[i];
		bool skipped = false;
		for (size_t k = 0; k < nskip; k++)
			skipped |= !strcmp(skip[k], fl->component);
		int64_t v = comp_bytes((enum fm_health_comp)i, tm, jm);
		if (skipped || v < 0 || v >= fl->bytes)
			continue;
		if (have)
			*have = v;
		return fl;
	}
	return NULL;
}

size_t fm_health_user_set(const fm_conf *c, const char **out, size_t cap)
{
	static const char *const keyed[][3] = {
		{"task-heap", "taskmanager.memory.task.heap.size", NULL},
		{"managed", "taskmanager.memory.managed.size", NULL},
		{"network", "taskmanager.memory.network.min", "taskmanager.memory.network.max"},
		{"metaspace", "taskmanager.memory.jvm-metaspace.size", NULL},
		{"overhead", "taskmanager.memory.jvm-overhead.min", "taskmanager.memory.jvm-overhead.max"},
		{"jm-heap", "jobmanager.memory.heap.size", NULL},
		{"jm-metaspace", "jobmanager.memory.jvm-metaspace.size", NULL},
		{"jm-overhead", "jobmanager.memory.jvm-overhead.min", "jobmanager.memory.jvm-overhead.max"},
	};
	size_t n = 0;
	for (size_t i = 0; i < sizeof keyed / sizeof keyed[0] && n < cap; i++)
		if (fm_conf_has(c, keyed[i][1]) && (!keyed[i][2] || fm_conf_has(c, keyed[i][2])))
			out[n++] = keyed[i][0];
	/* managed.fraction: 0 written out is a choice too (no total makes it grow) */
	if (fm_health_managed_off(c) && n < cap)
		out[n++] = "managed";
	return n;
}

static bool in_list(const char *const *v, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] && !strcmp(v[i], k))
			return true;
	return false;
}

static size_t push(const char **out, size_t n, size_t cap, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(out[i], k))
			return n;
	if (n < cap)
		out[n++] = k;
	return n;
}

size_t fm_health_redundant(const fm_conf *c, const fm_profile *p, const char *const *keys, size_t n, const char **out,
			   size_t cap)
{
	size_t m = 0;
	/* a size set by the change makes its fraction unused (FM040) */
	static const char *const size_fraction[][2] = {
		{"taskmanager.memory.managed.size", "taskmanager.memory.managed.fraction"},
	};
	for (size_t i = 0; i < sizeof size_fraction / sizeof size_fraction[0]; i++)
		if (in_list(keys, n, size_fraction[i][0]) && fm_conf_has(c, size_fraction[i][0]) &&
		    fm_conf_has(c, size_fraction[i][1]))
			m = push(out, m, cap, size_fraction[i][1]);
	/* network min == max fixes the size: the fraction is unused (FM040) */
	const fm_entry *mn = fm_conf_find(c, "taskmanager.memory.network.min");
	const fm_entry *mx = fm_conf_find(c, "taskmanager.memory.network.max");
	if (mn && mx && (in_list(keys, n, mn->key) || in_list(keys, n, mx->key)) &&
	    fm_conf_has(c, "taskmanager.memory.network.fraction")) {
		int64_t a = -1, b = -2;
		fm_jexc je = {0};
		if (fm_size_parse(mn->text, mn->text_len, &a, &je) == 0 && fm_size_parse(mx->text, mx->text_len, &b, &je) == 0 &&
		    a == b)
			m = push(out, m, cap, "taskmanager.memory.network.fraction");
		fm_jexc_release(&je);
	}
	/* one total set by the change: the other total goes (FM041) */
	static const char *const totals[][2] = {
		{"taskmanager.memory.process.size", "taskmanager.memory.flink.size"},
		{"jobmanager.memory.process.size", "jobmanager.memory.flink.size"},
	};
	for (size_t i = 0; i < 2; i++)
		for (int w = 0; w < 2; w++)
			if (in_list(keys, n, totals[i][w]) && fm_conf_has(c, totals[i][w]) && fm_conf_has(c, totals[i][!w]) &&
			    !in_list(keys, n, totals[i][!w]))
				m = push(out, m, cap, totals[i][!w]);
	/* a total set by the change: the legacy heap keys would replace the
	 * Flink size under it (FM032) */
	static const char *const legacy[][3] = {
		{"taskmanager.memory.process.size", "taskmanager.heap.size", "taskmanager.heap.mb"},
		{"taskmanager.memory.flink.size", "taskmanager.heap.size", "taskmanager.heap.mb"},
		{"jobmanager.memory.process.size", "jobmanager.heap.size", "jobmanager.heap.mb"},
	};
	for (size_t i = 0; p->legacy_heap && i < 3; i++)
		for (int k = 1; k < 3; k++)
			if (in_list(keys, n, legacy[i][0]) && fm_conf_has(c, legacy[i][0]) && fm_conf_has(c, legacy[i][k]))
				m = push(out, m, cap, legacy[i][k]);
	/* deprecated fallbacks of a key the change sets (FM030): the new key
	 * wins, so the old one only misleads */
	for (int id = 0; id < FM_O_COUNT; id++) {
		fm_option o = fm_option_get(p, (enum fm_opt_id)id);
		if (!in_list(keys, n, o.key) || !fm_conf_has(c, o.key))
			continue;
		for (int f = 0; f < 2 && o.fallback[f]; f++)
			if (fm_conf_has(c, o.fallback[f]))
				m = push(out, m, cap, o.fallback[f]);
	}
	return m;
}

/* The length of a key without its sizing suffix: a component's size,
 * fraction, min and max are one component (a finding moves between them
 * when a change sets another of them, as FM060 names the key that counts). */
static size_t component_len(const char *k)
{
	static const char *const sfx[] = {".size", ".fraction", ".min", ".max", NULL};
	size_t n = strlen(k);
	for (size_t i = 0; sfx[i]; i++) {
		size_t m = strlen(sfx[i]);
		if (n > m && !strcmp(k + n - m, sfx[i]))
			return n - m;
	}
	return n;
}

static bool same_finding(const fm_finding *a, const fm_finding *b)
{
	if (a->rule != b->rule)
		return false;
	if (!a->key || !b->key)
		return a->key == b->key;
	size_t la = component_len(a->key), lb = component_len(b->key);
	return la == lb && !memcmp(a->key, b->key, la);
}

int fm_health_lint(const fm_conf *c, const fm_conf *base, const fm_profile *p, const fm_derive_env *env,
		   int64_t tm_limit, fm_findings *bad)
{
	*bad = (fm_findings){0};
	fm_lint_input in = {.conf = c, .profile = p, .env = env, .tm_container_limit = tm_limit};
	fm_findings f, b = {0};
	if (fm_lint(&in, &f) != FM_OK)
		return FM_ENOMEM;
	in.conf = base;
	if (base && fm_lint(&in, &b) != FM_OK) {
		fm_findings_release(&f);
		return FM_ENOMEM;
	}
	/* keep the new ones: moved into *bad, f's slots emptied */
	for (size_t i = 0; i < f.n; i++) {
		bool old = f.v[i].severity == FM_SEV_NOTE;
		for (size_t k = 0; k < b.n && !old; k++)
			old = same_finding(&f.v[i], &b.v[k]);
		if (!old) {
			f.v[bad->n++] = f.v[i];
			if (bad->n - 1 != i)
				f.v[i] = (fm_finding){0};
		} else {
			free(f.v[i].key);
			free(f.v[i].message);
			free(f.v[i].detail);
			free(f.v[i].fix);
			f.v[i] = (fm_finding){0};
		}
	}
	bad->v = f.v;
	bad->cap = f.cap;
	fm_findings_release(&b);
	return FM_OK;
}
