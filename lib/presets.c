/* presets — named setups from Flink's memory tuning guide; see
 * include/flinkmem/presets.h and docs/presets.md. Each preset is a small
 * list of key changes computed from the container size and the derived
 * layout; the plan then re-derives the result, so a preset is never shown
 * with numbers Flink would not produce. */
#include "flinkmem/presets.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/health.h"
#include "flinkmem/lint.h"
#include "flinkmem/memsize.h"
#include "flinkmem/netbuf.h"

#define MIB (INT64_C(1) << 20)

static const fm_preset_info presets[] = {
	{"streaming-rocksdb", "streaming job with the RocksDB state backend: state lives in managed memory", false},
	{"batch", "batch job with sorts, joins and blocking shuffles: managed memory and network for sort-shuffle", false},
	{"containerized", "Kubernetes / YARN / Docker: the container size is the total process memory", true},
	{"standalone", "standalone cluster: declare total Flink memory that fits the machine budget", true},
};

const fm_preset_info *fm_presets(size_t *n)
{
	*n = sizeof presets / sizeof presets[0];
	return presets;
}

typedef struct edits {
	const char *k[12];
	char *v[12];
	size_t n;
	char *why[12];
	size_t nwhy;
} edits;

static int put(edits *e, const char *k, const char *v)
{
	return fm_kv_put(e->k, e->v, &e->n, sizeof e->k / sizeof e->k[0], k, v);
}

static int why(edits *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int why(edits *e, const char *fmt, ...)
{
	if (e->nwhy == sizeof e->why / sizeof e->why[0])
		return FM_OK;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&e->why[e->nwhy], fmt, ap);
	va_end(ap);
	if (r < 0)
		return FM_ENOMEM;
	e->nwhy++;
	return FM_OK;
}

static void edits_release(edits *e)
{
	for (size_t i = 0; i < e->n; i++)
		free(e->v[i]);
	for (size_t i = 0; i < e->nwhy; i++)
		free(e->why[i]);
	*e = (edits){0};
}

/* Derives c with the edits applied; FM_OK with *res filled (caller releases). */
static int derive_with(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const edits *e, fm_tm_result *res)
{
	fm_conf *t = fm_conf_dup(c);
	if (!t)
		return FM_ENOMEM;
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	for (size_t i = 0; i < e->n; i++) {
		if (e->v[i]) {
			if (fm_conf_set_str(t, e->k[i], e->v[i], &at) != FM_OK) {
				fm_conf_free(t);
				return FM_ENOMEM;
			}
		} else {
			fm_conf_remove(t, e->k[i]);
		}
	}
	int rc = fm_derive_tm(t, p, env, res);
	fm_conf_free(t);
	return rc;
}

static int32_t slots_of(const fm_conf *c)
{
	const fm_entry *e = fm_conf_find(c, "taskmanager.numberOfTaskSlots");
	if (!e)
		return 1;
	char *end;
	long v = strtol(e->text, &end, 10);
	return end != e->text && *end == '\0' && v >= 1 && v <= (1 << 20) ? (int32_t)v : 1;
}

/* Pins the TaskManager process size to the container. */
static int pin_process(edits *e, const fm_conf *c, int64_t container)
{
	char v[32];
	fm_size_text(v, sizeof v, container);
	int rc = put(e, "taskmanager.memory.process.size", v);
	if (!rc && fm_conf_has(c, "taskmanager.memory.flink.size"))
		rc = put(e, "taskmanager.memory.flink.size", NULL);
	/* legacy heap keys would be remapped onto flink.size by 1.x */
	if (!rc && fm_conf_has(c, "taskmanager.heap.size"))
		rc = put(e, "taskmanager.heap.size", NULL);
	if (!rc && fm_conf_has(c, "taskmanager.heap.mb"))
		rc = put(e, "taskmanager.heap.mb", NULL);
	if (!rc)
		rc = why(e, "taskmanager.memory.process.size = the container (%s): the container limit is what the whole JVM "
			    "process may use", v);
	return rc;
}

static int preset_rocksdb(edits *e, const fm_conf *c, const fm_profile *p, const fm_derive_env *env, int64_t container)
{
	int rc;
	if (container > 0 && (rc = pin_process(e, c, container)))
		return rc;
	const char *backend_key = p->order >= 1170 ? "state.backend.type" : "state.backend";
	if ((rc = put(e, backend_key, "rocksdb")) || (rc = put(e, "state.backend.rocksdb.memory.managed", "true")) ||
	    (rc = why(e, "%s = rocksdb and state.backend.rocksdb.memory.managed = true: RocksDB keeps its block cache and "
			 "write buffers inside managed memory, so the container is not exceeded", backend_key)))
		return rc;
	/* RocksDB lives in managed memory: an explicit managed size of 0 (a
	 * heap-backend setting) would starve it; fall back to the fraction. */
	const fm_entry *ms = fm_conf_find(c, "taskmanager.memory.managed.size");
	if (ms) {
		int64_t b = -1;
		fm_jexc je = {0};
		fm_size_parse(ms->text, ms->text_len, &b, &je);
		fm_jexc_release(&je);
		if (b == 0 && ((rc = put(e, "taskmanager.memory.managed.size", NULL)) ||
			       (rc = why(e, "taskmanager.memory.managed.size removed: 0 leaves RocksDB no memory; the managed "
					    "fraction (default 0.4 of total Flink memory) applies"))))
			return rc;
	}
	fm_tm_result tr;
	if ((rc = derive_with(c, p, env, e, &tr)))
		return rc;
	if (tr.outcome == FM_DERIVED) {
		int32_t slots = tr.l.has_num_slots && tr.l.num_slots > 0 ? tr.l.num_slots : slots_of(c);
		char h[FM_SIZE_HUMAN_MAX];
		fm_size_human_c(h, tr.l.managed / slots);
		rc = why(e, "RocksDB shares managed memory per slot: %d slot(s) get %s each", (int)slots, h);
	}
	fm_tm_result_release(&tr);
	return rc;
}

static int preset_batch(edits *e, const fm_conf *c, const fm_profile *p, const fm_derive_env *env, int64_t container)
{
	int rc;
	if (container > 0 && (rc = pin_process(e, c, container)))
		return rc;
	if (fm_conf_has(c, "taskmanager.memory.managed.size") &&
	    ((rc = put(e, "taskmanager.memory.managed.size", NULL)) ||
	     (rc = why(e, "taskmanager.memory.managed.size removed so the managed fraction scales with the container: "
			  "sorts, hash joins and aggregations run in managed memory and spill when it is full"))))
		return rc;
	if (fm_conf_has(c, "taskmanager.memory.network.min") && (rc = put(e, "taskmanager.memory.network.min", NULL)))
		return rc;
	if ((rc = put(e, "taskmanager.memory.network.fraction", "0.2")) ||
	    (rc = why(e, "taskmanager.memory.network.fraction = 0.2: Flink's blocking-shuffle guide asks for at least "
			 "0.2 for large batch jobs (sort-shuffle write buffers come from network memory)")))
		return rc;
	/* Up to 1.16 the network max defaults to 1g and would cap the fraction. */
	fm_tm_result tr;
	if ((rc = derive_with(c, p, env, e, &tr)))
		return rc;
	if (tr.outcome == FM_DERIVED) {
		int64_t want = 0;
		fm_jexc je = {0};
		fm_size_mul(tr.l.total_flink, 0.2, &want, &je);
		fm_jexc_release(&je);
		if (want > tr.l.network) {
			char v[32];
			fm_size_text(v, sizeof v, fm_size_ceil_mib(want));
			if ((rc = put(e, "taskmanager.memory.network.max", v)) ||
			    (rc = why(e, "taskmanager.memory.network.max = %s so the fraction is not capped by the max", v))) {
				fm_tm_result_release(&tr);
				return rc;
			}
			fm_tm_result_release(&tr);
			if ((rc = derive_with(c, p, env, e, &tr)))
				return rc;
		}
	}
	if (tr.outcome == FM_DERIVED && p->order >= 1120) {
		/* The guide suggests sort-shuffle.min-buffers >= 2048 in production;
		 * only when each slot can afford one such partition plus a gate of
		 * the default batch threshold (1000 buffers). */
		int32_t slots = tr.l.has_num_slots && tr.l.num_slots > 0 ? tr.l.num_slots : slots_of(c);
		fm_nb_rules r;
		if (fm_nb_rules_for(c, p, &r, NULL) == FM_OK) {
			int64_t per_slot = fm_nb_supply(&tr.l, r.segment) / slots;
			if (per_slot >= 2048 + 1000)
				rc = put(e, "taskmanager.network.sort-shuffle.min-buffers", "2048");
			if (!rc)
				rc = why(e, per_slot >= 2048 + 1000
					     ? "taskmanager.network.sort-shuffle.min-buffers = 2048 (the guide's production value): "
					       "%lld network buffers per slot leave room for it"
					     : "taskmanager.network.sort-shuffle.min-buffers stays at its default: %lld buffers per "
					       "slot are too few for 2048 (needs 3048 with one input gate)",
					 (long long)per_slot);
		}
	}
	fm_tm_result_release(&tr);
	return rc;
}

static int preset_standalone(edits *e, const fm_conf *c, const fm_profile *p, const fm_derive_env *env, int64_t budget)
{
	/* Total Flink memory that keeps the whole process inside the budget:
	 * start from the layout of a process of that size, then step down a
	 * MiB at a time if the overhead derived from flink.size pushes the
	 * process over (bounded: overhead differs by a few MiB at most). */
	edits probe = {0};
	int rc = pin_process(&probe, c, budget);
	fm_tm_result tr;
	if (!rc)
		rc = derive_with(c, p, env, &probe, &tr);
	edits_release(&probe);
	if (rc)
		return rc;
	if (tr.outcome != FM_DERIVED) {
		fm_tm_result_release(&tr);
		return why(e, "a process of that size is rejected by Flink; no standalone size could be computed");
	}
	int64_t flink = tr.l.total_flink / MIB * MIB;
	fm_tm_result_release(&tr);
	char v[32];
	if (fm_conf_has(c, "taskmanager.memory.process.size") && (rc = put(e, "taskmanager.memory.process.size", NULL)))
		return rc;
	for (int step = 0; step < 64 && flink > 0; step++, flink -= MIB) {
		fm_size_text(v, sizeof v, flink);
		if ((rc = put(e, "taskmanager.memory.flink.size", v)) || (rc = derive_with(c, p, env, e, &tr)))
			return rc;
		bool fits = tr.outcome == FM_DERIVED && tr.l.total_process <= budget;
		fm_tm_result_release(&tr);
		if (fits)
			break;
	}
	char b[32];
	fm_size_text(b, sizeof b, budget);
	return why(e, "taskmanager.memory.flink.size = %s: the guide recommends declaring total Flink memory for standalone "
		      "clusters; with JVM metaspace and overhead the process stays within %s", v, b);
}

static int preset_containerized(edits *e, const fm_conf *c, int64_t container)
{
	int rc = pin_process(e, c, container);
	if (!rc)
		rc = why(e, "JVM overhead (fraction 0.1, 192m..1g) is the headroom for native memory Flink does not track; "
			    "raise it if the container is OOM-killed without a Java OutOfMemoryError");
	return rc;
}

static int add_note(fm_plan *pl, char *s)
{
	char **nv = realloc(pl->notes, (pl->nnotes + 1) * sizeof(*nv));
	if (!nv) {
		free(s);
		return FM_ENOMEM;
	}
	pl->notes = nv;
	pl->notes[pl->nnotes++] = s;
	return FM_OK;
}

/* The preset's result breaks a health floor or a check rule inside the
 * size given: say which (check's own words) and the smallest size that
 * would be healthy (the same edits, the size grown to the floors), so the
 * answer says what would work. */
static int unhealthy_note(fm_plan *out, const fm_conf *c, const fm_profile *p, const fm_derive_env *env,
			  const edits *e)
{
	fm_findings bad = {0};
	int rc = fm_health_lint(out->after, c, p, env, 0, &bad);
	for (size_t i = 0; !rc && i < bad.n && i < 3; i++) {
		char *s = NULL;
		rc = asprintf(&s, "not healthy: %s [%s]", bad.v[i].message, bad.v[i].rule ? bad.v[i].rule->id : "check") < 0
			     ? FM_ENOMEM
			     : add_note(out, s);
	}
	fm_findings_release(&bad);
	if (rc || out->after_tm.outcome != FM_DERIVED)
		return rc;
	fm_plan grown = {0};
	rc = fm_plan_whatif(c, p, env, e->k, (const char *const *)e->v, e->n, &grown);
	if (!rc)
		rc = fm_plan_heal(&grown, c, p, env, true);
	if (!rc && grown.feasible && grown.after_tm.outcome == FM_DERIVED &&
	    grown.after_tm.l.total_process > out->after_tm.l.total_process) {
		char v[32], *s = NULL;
		fm_size_text(v, sizeof v, grown.after_tm.l.total_process);
		rc = asprintf(&s, "the smallest process size this preset keeps healthy is %s: give --container %s or more", v,
			      v) < 0 ? FM_ENOMEM : add_note(out, s);
	} else if (!rc) {
		char *s = strdup("no size found that keeps this preset healthy: see check's findings on the snippet");
		rc = s ? add_note(out, s) : FM_ENOMEM;
	}
	fm_plan_release(&grown);
	return rc;
}

int fm_preset_plan(const char *name, const fm_conf *c, const fm_profile *p, const fm_derive_env *env,
		   int64_t container_bytes, fm_plan *out, fm_diag *d)
{
	*out = (fm_plan){0};
	const fm_preset_info *pi = NULL;
	for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++)
		if (!strcmp(presets[i].name, name))
			pi = &presets[i];
	if (!pi)
		return fm_diag_set(d, FM_EUSAGE, NULL, 0, 0, NULL,
				   "unknown preset '%s' (streaming-rocksdb, batch, containerized, standalone)", name);
	if (pi->needs_container && container_bytes <= 0)
		return fm_diag_set(d, FM_EUSAGE, NULL, 0, 0, NULL, "preset '%s' is computed from a size: give --container SIZE",
				   name);
	edits e = {0};
	int rc;
	if (!strcmp(name, "streaming-rocksdb"))
		rc = preset_rocksdb(&e, c, p, env, container_bytes);
	else if (!strcmp(name, "batch"))
		rc = preset_batch(&e, c, p, env, container_bytes);
	else if (!strcmp(name, "containerized"))
		rc = preset_containerized(&e, c, container_bytes);
	else
		rc = preset_standalone(&e, c, p, env, container_bytes);
	if (!rc)
		rc = fm_plan_whatif(c, p, env, e.k, (const char *const *)e.v, e.n, out);
	/* the preset's sizes meet the health floors too, inside the size the
	 * user gave (never grown): check's own fixes for what the preset left
	 * below a floor, or feasible false when nothing healthy fits */
	if (!rc)
		rc = fm_plan_heal(out, c, p, env, false);
	for (size_t i = 0; !rc && i < e.nwhy; i++) {
		rc = add_note(out, e.why[i]);
		e.why[i] = NULL;
	}
	if (!rc && !out->feasible)
		rc = unhealthy_note(out, c, p, env, &e);
	edits_release(&e);
	if (rc == FM_EINVAL)
		rc = FM_ENOMEM; /* edit table full: cannot happen with these presets */
	if (rc)
		fm_plan_release(out);
	return rc;
}
