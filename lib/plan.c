/* plan — what-if and goal-seek; see include/flinkmem/plan.h.
 * Goal-seek keeps the change set small: first the keys the goals name
 * directly (only for goals not already met), then, when Flink rejects
 * that, one balancing key (managed size, so network keeps its size),
 * every candidate re-derived. Sizes are proposed in whole MiB. */
#include "flinkmem/plan.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/memsize.h"

#define MIB (INT64_C(1) << 20)

int fm_goal_parse(const char *s, fm_goal *g, char **why)
{
	static const char *names[] = {"task-heap", "managed", "network", "metaspace", "jm-heap", "framework-heap",
				      "framework-off-heap", "task-off-heap", "overhead", "jm-metaspace", "jm-off-heap"};
	*why = NULL;
	const char *op = strpbrk(s, "<>=");
	if (!op) {
		if (asprintf(why, "goal '%s' needs an operator: component>=size, component=size or component<=size", s) < 0)
			*why = NULL;
		return -1;
	}
	size_t nl = (size_t)(op - s);
	g->component = NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strlen(names[i]) == nl && strncmp(names[i], s, nl) == 0)
			g->component = names[i];
	if (!g->component) {
		if (asprintf(why, "unknown component '%.*s' (task-heap, managed, network, metaspace, jm-heap, framework-heap, "
				  "framework-off-heap, task-off-heap, overhead, jm-metaspace, jm-off-heap)", (int)nl, s) < 0)
			*why = NULL;
		return -1;
	}
	const char *v;
	if (op[0] == '>' && op[1] == '=') {
		g->op = FM_GOAL_GE;
		v = op + 2;
	} else if (op[0] == '<' && op[1] == '=') {
		g->op = FM_GOAL_LE;
		v = op + 2;
	} else if (op[0] == '=') {
		g->op = FM_GOAL_EQ;
		v = op + 1;
	} else {
		if (asprintf(why, "goal '%s': use >=, <= or =", s) < 0)
			*why = NULL;
		return -1;
	}
	fm_jexc je = {0};
	if (fm_size_parse(v, strlen(v), &g->bytes, &je) != 0) {
		if (asprintf(why, "goal '%s': %s", s, je.msg ? je.msg : "bad size") < 0)
			*why = NULL;
		fm_jexc_release(&je);
		return -1;
	}
	return 0;
}

int64_t fm_component_bytes(const char *c, const fm_tm_layout *tm, const fm_jm_layout *jm)
{
	if (!strcmp(c, "task-heap")) return tm ? tm->task_heap : -1;
	if (!strcmp(c, "managed")) return tm ? tm->managed : -1;
	if (!strcmp(c, "network")) return tm ? tm->network : -1;
	if (!strcmp(c, "metaspace")) return tm ? tm->metaspace : -1;
	if (!strcmp(c, "framework-heap")) return tm ? tm->framework_heap : -1;
	if (!strcmp(c, "framework-off-heap")) return tm ? tm->framework_off_heap : -1;
	if (!strcmp(c, "task-off-heap")) return tm ? tm->task_off_heap : -1;
	if (!strcmp(c, "overhead")) return tm ? tm->overhead : -1;
	if (!strcmp(c, "jm-heap")) return jm ? jm->jvm_heap : -1;
	if (!strcmp(c, "jm-metaspace")) return jm ? jm->metaspace : -1;
	if (!strcmp(c, "jm-off-heap")) return jm ? jm->off_heap : -1;
	return -1;
}

static bool goal_met(const fm_goal *g, int64_t v)
{
	if (v < 0)
		return false;
	return g->op == FM_GOAL_EQ ? v == g->bytes : g->op == FM_GOAL_GE ? v >= g->bytes : v <= g->bytes;
}

static bool is_jm_goal(const fm_goal *g)
{
	return strncmp(g->component, "jm-", 3) == 0;
}

/* ---- plan bookkeeping ---------------------------------------------------- */

static int note(fm_plan *pl, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(fm_plan *pl, const char *fmt, ...)
{
	char **nv = realloc(pl->notes, (pl->nnotes + 1) * sizeof(*nv));
	if (!nv)
		return FM_ENOMEM;
	pl->notes = nv;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&pl->notes[pl->nnotes], fmt, ap);
	va_end(ap);
	if (r < 0)
		return FM_ENOMEM;
	pl->nnotes++;
	return FM_OK;
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* Applies key=value to conf c (value NULL removes) and records the change. */
static int apply(fm_plan *pl, fm_conf *c, const char *key, const char *value)
{
	const fm_entry *e = fm_conf_find(c, key);
	fm_change ch = {strdup(key), e ? strdup(e->text) : NULL, dup_or_null(value)};
	if (!ch.key || (e && !ch.from) || (value && !ch.to)) {
		free(ch.key);
		free(ch.from);
		free(ch.to);
		return FM_ENOMEM;
	}
	/* replace an earlier change of the same key */
	for (size_t i = 0; i < pl->nchanges; i++)
		if (!strcmp(pl->changes[i].key, key)) {
			free(pl->changes[i].to);
			pl->changes[i].to = ch.to;
			free(ch.key);
			free(ch.from);
			goto set;
		}
	fm_change *nv = realloc(pl->changes, (pl->nchanges + 1) * sizeof(*nv));
	if (!nv) {
		free(ch.key);
		free(ch.from);
		free(ch.to);
		return FM_ENOMEM;
	}
	pl->changes = nv;
	pl->changes[pl->nchanges++] = ch;
set:
	if (value) {
		fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
		if (fm_conf_set_str(c, key, value, &at) != FM_OK)
			return FM_ENOMEM;
	} else {
		fm_conf_remove(c, key);
	}
	return FM_OK;
}

static int derive_both(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, fm_tm_result *tm, fm_jm_result *jm)
{
	if (fm_derive_tm(c, p, env, tm) != FM_OK)
		return FM_ENOMEM;
	if (fm_derive_jm(c, p, env, jm) != FM_OK) {
		fm_tm_result_release(tm);
		return FM_ENOMEM;
	}
	return FM_OK;
}

/* Explains which TM components moved (and where the bytes came from). */
static int explain_moves(fm_plan *pl)
{
	if (pl->before_tm.outcome != FM_DERIVED || pl->after_tm.outcome != FM_DERIVED)
		return FM_OK;
	const fm_tm_layout *a = &pl->before_tm.l, *b = &pl->after_tm.l;
	struct {
		const char *name;
		int64_t d;
	} comp[] = {
		{"framework heap", b->framework_heap - a->framework_heap}, {"task heap", b->task_heap - a->task_heap},
		{"framework off-heap", b->framework_off_heap - a->framework_off_heap},
		{"task off-heap", b->task_off_heap - a->task_off_heap}, {"network", b->network - a->network},
		{"managed", b->managed - a->managed}, {"JVM metaspace", b->metaspace - a->metaspace},
		{"JVM overhead", b->overhead - a->overhead},
	};
	fm_buf up = FM_BUF_INIT, down = FM_BUF_INIT;
	for (size_t i = 0; i < sizeof comp / sizeof comp[0]; i++) {
		if (!comp[i].d)
			continue;
		char h[FM_SIZE_HUMAN_MAX];
		int64_t mag = comp[i].d < 0 ? -comp[i].d : comp[i].d;
		fm_size_human_c(h, mag);
		char *paren = strstr(h, " (");
		if (paren)
			*paren = '\0';
		fm_buf *t = comp[i].d > 0 ? &up : &down;
		if (fm_buf_addf(t, "%s%s %c%s", t->len ? ", " : "", comp[i].name, comp[i].d > 0 ? '+' : '-', h))
			goto oom;
	}
	int rc = FM_OK;
	if (a->total_process == b->total_process && up.len && down.len)
		rc = note(pl, "the process size stays %lld bytes, so %s came out of %s", (long long)b->total_process, up.data,
			  down.data);
	else if (up.len || down.len)
		rc = note(pl, "TaskManager: %s%s%s; process %+lld bytes", up.len ? up.data : "", up.len && down.len ? "; " : "",
			  down.len ? down.data : "", (long long)(b->total_process - a->total_process));
	fm_buf_release(&up);
	fm_buf_release(&down);
	return rc;
oom:
	fm_buf_release(&up);
	fm_buf_release(&down);
	return FM_ENOMEM;
}

int fm_plan_whatif(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const char *const *keys,
		   const char *const *values, size_t n, fm_plan *out)
{
	*out = (fm_plan){0};
	out->after = fm_conf_dup(c);
	if (!out->after || derive_both(c, p, env, &out->before_tm, &out->before_jm))
		goto oom;
	for (size_t i = 0; i < n; i++)
		if (apply(out, out->after, keys[i], values[i]))
			goto oom;
	if (derive_both(out->after, p, env, &out->after_tm, &out->after_jm))
		goto oom;
	out->feasible = out->after_tm.outcome != FM_FLINK_ERROR && out->after_jm.outcome != FM_FLINK_ERROR;
	if (explain_moves(out))
		goto oom;
	return FM_OK;
oom:
	fm_plan_release(out);
	return FM_ENOMEM;
}

/* The keys that set a component directly, for a goal. */
static int goal_keys(const fm_goal *g, const char **k1, const char **k2)
{
	*k2 = NULL;
	const char *c = g->component;
	if (!strcmp(c, "task-heap")) *k1 = "taskmanager.memory.task.heap.size";
	else if (!strcmp(c, "managed")) *k1 = "taskmanager.memory.managed.size";
	else if (!strcmp(c, "metaspace")) *k1 = "taskmanager.memory.jvm-metaspace.size";
	else if (!strcmp(c, "framework-heap")) *k1 = "taskmanager.memory.framework.heap.size";
	else if (!strcmp(c, "framework-off-heap")) *k1 = "taskmanager.memory.framework.off-heap.size";
	else if (!strcmp(c, "task-off-heap")) *k1 = "taskmanager.memory.task.off-heap.size";
	else if (!strcmp(c, "jm-heap")) *k1 = "jobmanager.memory.heap.size";
	else if (!strcmp(c, "jm-metaspace")) *k1 = "jobmanager.memory.jvm-metaspace.size";
	else if (!strcmp(c, "jm-off-heap")) *k1 = "jobmanager.memory.off-heap.size";
	else if (!strcmp(c, "network")) {
		*k1 = "taskmanager.memory.network.min";
		*k2 = "taskmanager.memory.network.max";
	} else if (!strcmp(c, "overhead")) {
		*k1 = "taskmanager.memory.jvm-overhead.min";
		*k2 = "taskmanager.memory.jvm-overhead.max";
	} else
		return -1;
	return 0;
}

/* Sets the keys that realise goal g at `bytes` (min/max pairs: both for =,
 * the bound that matters otherwise). */
static int set_goal(fm_plan *pl, fm_conf *c, const fm_profile *p, const fm_goal *g, int64_t bytes)
{
	const char *k1, *k2;
	if (goal_keys(g, &k1, &k2))
		return FM_EINVAL;
	char v[32];
	fm_size_text(v, sizeof v, bytes);
	if (!k2)
		return apply(pl, c, k1, v);
	if (g->op == FM_GOAL_EQ) {
		int rc = apply(pl, c, k1, v);
		return rc ? rc : apply(pl, c, k2, v);
	}
	/* A lower bound above the max (configured, or the 1g default of
	 * network up to 1.16 and of JVM overhead) would be rejected as
	 * inconsistent: lift the max with it; likewise the min for <=. */
	const char *other = g->op == FM_GOAL_GE ? k2 : k1;
	const fm_entry *oe = fm_conf_find(c, other);
	int64_t ob = -1;
	if (oe) {
		fm_jexc je = {0};
		if (fm_size_parse(oe->text, oe->text_len, &ob, &je) != 0)
			ob = -1;
		fm_jexc_release(&je);
	} else if (g->op == FM_GOAL_GE) {
		bool net = !strcmp(g->component, "network");
		ob = !net || p->network_max_1g ? (INT64_C(1) << 30) : -1;
	} else {
		ob = !strcmp(g->component, "network") ? (INT64_C(64) << 20) : (INT64_C(192) << 20);
	}
	int rc = apply(pl, c, g->op == FM_GOAL_GE ? k1 : k2, v);
	if (!rc && ob >= 0 && (g->op == FM_GOAL_GE ? ob < bytes : ob > bytes))
		rc = apply(pl, c, other, v);
	return rc;
}

static bool all_met(const fm_goal *goals, size_t n, const fm_tm_result *tm, const fm_jm_result *jm)
{
	for (size_t i = 0; i < n; i++) {
		const fm_tm_layout *tl = tm->outcome == FM_DERIVED ? &tm->l : NULL;
		const fm_jm_layout *jl = jm->outcome == FM_DERIVED ? &jm->l : NULL;
		if (!goal_met(&goals[i], fm_component_bytes(goals[i].component, tl, jl)))
			return false;
	}
	return true;
}

static bool valid(const fm_tm_result *tm, const fm_jm_result *jm)
{
	return tm->outcome == FM_DERIVED && jm->outcome != FM_FLINK_ERROR;
}

/* Derives c with key set to value (NULL removes) on a copy. */
static int derive_variant(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const char *const *keys,
			  const char *const *values, size_t n, fm_tm_result *tr)
{
	fm_conf *t = fm_conf_dup(c);
	if (!t)
		return FM_ENOMEM;
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	for (size_t i = 0; i < n; i++) {
		if (values[i]) {
			if (fm_conf_set_str(t, keys[i], values[i], &at) != FM_OK) {
				fm_conf_free(t);
				return FM_ENOMEM;
			}
		} else {
			fm_conf_remove(t, keys[i]);
		}
	}
	int rc = fm_derive_tm(t, p, env, tr);
	fm_conf_free(t);
	return rc;
}

/* Managed memory as the free variable under a pinned process size P.
 * With a fixed task heap the managed size makes the layout fine-grained:
 * total Flink memory is then the sum of the parts and JVM overhead is what
 * P leaves, so the largest managed size (whole MiB) that leaves Flink's own
 * overhead for P is taken. Without a fixed task heap the heap is the
 * remainder, so the largest managed size Flink accepts is taken. Sizes
 * start at `lower` (a managed >= goal). Each
 * candidate is derived; the search relies on both quantities moving
 * monotonically with the managed size. */
static int balance_managed(fm_plan *out, const fm_profile *p, const fm_derive_env *env, int64_t lower)
{
	const fm_entry *pe = fm_conf_find(out->after, "taskmanager.memory.process.size");
	int64_t proc = -1;
	fm_jexc je = {0};
	if (fm_size_parse(pe->text, pe->text_len, &proc, &je) != 0 || proc <= 0) {
		fm_jexc_release(&je);
		return FM_OK;
	}
	bool heap_fixed = fm_conf_has(out->after, "taskmanager.memory.task.heap.size");
	/* Flink's overhead for a process of size P (no fine-grained keys) */
	int64_t ovh = -1;
	fm_tm_result tr;
	{
		const char *k[] = {"taskmanager.memory.task.heap.size", "taskmanager.memory.managed.size"};
		const char *v[] = {NULL, NULL};
		if (derive_variant(out->after, p, env, k, v, 2, &tr) != FM_OK)
			return FM_ENOMEM;
		if (tr.outcome == FM_DERIVED)
			ovh = tr.l.overhead;
		fm_tm_result_release(&tr);
	}
	if (heap_fixed && ovh < 0)
		return FM_OK;
	/* The remainder overshoots the target by up to ~1.12 MiB per MiB step
	 * (network grows with the rest by the inverse fraction): keep the
	 * target 2 MiB under the overhead max. */
	const fm_entry *xe = fm_conf_find(out->after, "taskmanager.memory.jvm-overhead.max");
	int64_t ovh_max = -1;
	const char *xt = xe ? xe->text : fm_option_get(p, FM_O_TM_OVH_MAX).def;
	if (xt && fm_size_parse(xt, strlen(xt), &ovh_max, &je) == 0 && ovh > ovh_max - 2 * MIB)
		ovh = ovh_max - 2 * MIB;
	fm_jexc_release(&je);
	int64_t best = -1, a = (lower + MIB - 1) / MIB, b = proc / MIB;
	char mv[32];
	while (a <= b) {
		int64_t mid = a + (b - a) / 2;
		fm_size_text(mv, sizeof mv, mid * MIB);
		bool ok;
		if (heap_fixed) {
			const char *k[] = {"taskmanager.memory.process.size", "taskmanager.memory.flink.size",
					   "taskmanager.memory.managed.size"};
			const char *v[] = {NULL, NULL, mid ? mv : "0"};
			if (derive_variant(out->after, p, env, k, v, 3, &tr) != FM_OK)
				return FM_ENOMEM;
			ok = tr.outcome == FM_DERIVED && tr.l.total_flink + tr.l.metaspace + ovh <= proc;
		} else {
			const char *k[] = {"taskmanager.memory.managed.size"};
			const char *v[] = {mid ? mv : "0"};
			if (derive_variant(out->after, p, env, k, v, 1, &tr) != FM_OK)
				return FM_ENOMEM;
			ok = tr.outcome == FM_DERIVED;
		}
		fm_tm_result_release(&tr);
		if (ok) {
			best = mid;
			a = mid + 1;
		} else {
			b = mid - 1;
		}
	}
	if (best < 0)
		return FM_OK;
	fm_size_text(mv, sizeof mv, best * MIB);
	if (apply(out, out->after, "taskmanager.memory.managed.size", best ? mv : "0"))
		return FM_ENOMEM;
	fm_tm_result_release(&out->after_tm);
	fm_jm_result_release(&out->after_jm);
	if (derive_both(out->after, p, env, &out->after_tm, &out->after_jm))
		return FM_ENOMEM;
	return note(out, "taskmanager.memory.managed.size %s balances the fixed process size (%s)", best ? mv : "0",
		    heap_fixed ? "with a fixed task heap, JVM overhead is what the process leaves"
			       : "the task heap takes the rest");
}

/* 1 when the config with key = mib MiB derives on both sides and meets
 * every goal, 0 when not, -1 out of memory. */
static bool keeps_others(const fm_plan *out, const fm_goal *goals, size_t n, const fm_tm_result *tm,
			 const fm_jm_result *jm)
{
	static const char *const names[] = {"task-heap", "managed", "network", "metaspace", "framework-heap",
					    "framework-off-heap", "task-off-heap", "overhead", "jm-heap",
					    "jm-metaspace", "jm-off-heap"};
	const fm_tm_layout *bt = out->before_tm.outcome == FM_DERIVED ? &out->before_tm.l : NULL;
	const fm_jm_layout *bj = out->before_jm.outcome == FM_DERIVED ? &out->before_jm.l : NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		bool named = false;
		for (size_t g = 0; g < n; g++)
			named |= !strcmp(goals[g].component, names[i]);
		int64_t before = fm_component_bytes(names[i], bt, bj);
		int64_t after = fm_component_bytes(names[i], &tm->l, &jm->l);
		if (!named && before >= 0 && after >= 0 && after < before)
			return false;
	}
	return true;
}

static int fits_total(const fm_plan *out, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals,
		      size_t n, const char *key, int64_t mib, bool keep)
{
	fm_conf *c = fm_conf_dup(out->after);
	char v[32];
	snprintf(v, sizeof v, "%lldm", (long long)mib);
	if (!c || fm_conf_set_str(c, key, v, NULL) != FM_OK) {
		fm_conf_free(c);
		return -1;
	}
	fm_tm_result tm;
	fm_jm_result jm;
	int drc = derive_both(c, p, env, &tm, &jm);
	int ok = !drc && valid(&tm, &jm) && all_met(goals, n, &tm, &jm) &&
		 (!keep || keeps_others(out, goals, n, &tm, &jm));
	fm_tm_result_release(&tm);
	fm_jm_result_release(&jm);
	fm_conf_free(c);
	return drc ? -1 : ok;
}

/* Free mode (no --container): when the goals do not fit in the total size
 * the config sets, that size grows to the smallest whole MiB that holds
 * them with every other key as set (the pin was the user's old choice, not
 * a limit they asked for). 0 done or nothing to do, -1 out of memory. */
static int grow_total(fm_plan *out, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals, size_t n,
		      bool jm)
{
	const char *key = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
	if (!fm_conf_has(out->after, key))
		key = jm ? "jobmanager.memory.flink.size" : "taskmanager.memory.flink.size";
	if (!fm_conf_has(out->after, key))
		return 0;
	int64_t cur = jm ? (out->before_jm.outcome == FM_DERIVED ? out->before_jm.l.total_process : 0)
			 : (out->before_tm.outcome == FM_DERIVED ? out->before_tm.l.total_process : 0);
	/* Fits are not monotone in the size: with a fixed task heap the network
	 * is the remainder and must stay inside its min/max, so there is a
	 * window. Walk up in 4 MiB steps (a derivation costs microseconds),
	 * then take the smallest MiB inside the first window found. */
	int64_t start = (cur >> 20) + 1, limit = start * 16 > ((int64_t)64 << 10) ? start * 16 : (int64_t)64 << 10;
	/* First choice: no component the goals do not name shrinks; else any fit. */
	int64_t hi = -1;
	for (int keep = 1; keep >= 0 && hi < 0; keep--) {
		for (int64_t m = start; m <= limit && hi < 0; m += 4) {
			int ok = fits_total(out, p, env, goals, n, key, m, keep);
			if (ok < 0)
				return -1;
			if (ok) {
				hi = m;
				for (int64_t k = m - 1; k >= start && k > m - 4; k--) {
					ok = fits_total(out, p, env, goals, n, key, k, keep);
					if (ok < 0)
						return -1;
					if (!ok)
						break;
					hi = k;
				}
			}
		}
	}
	if (hi < 0)
		return 0; /* other keys are the problem, not the size */
	char v[32];
	snprintf(v, sizeof v, "%lldm", (long long)hi);
	if (apply(out, out->after, key, v))
		return -1;
	fm_tm_result_release(&out->after_tm);
	fm_jm_result_release(&out->after_jm);
	if (derive_both(out->after, p, env, &out->after_tm, &out->after_jm) ||
	    note(out, "no --container given: %s grows to %s, the smallest size that holds the goals with your other "
		      "settings (pin a size with --container to take it from other components instead)", key, v))
		return -1;
	return 0;
}

static int plan_goals(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals, size_t n,
		      int64_t container_bytes, bool closest, fm_plan *out)
{
	*out = (fm_plan){0};
	out->after = fm_conf_dup(c);
	if (!out->after || derive_both(c, p, env, &out->before_tm, &out->before_jm))
		goto oom;
	bool any_tm = false, any_jm = false;
	for (size_t i = 0; i < n; i++) {
		if (is_jm_goal(&goals[i]))
			any_jm = true;
		else
			any_tm = true;
	}
	if (container_bytes > 0) {
		char v[32];
		fm_size_text(v, sizeof v, container_bytes);
		if (any_tm || !any_jm) {
			if (apply(out, out->after, "taskmanager.memory.process.size", v))
				goto oom;
			if (fm_conf_has(out->after, "taskmanager.memory.flink.size") &&
			    apply(out, out->after, "taskmanager.memory.flink.size", NULL))
				goto oom;
		}
		if (any_jm) {
			if (apply(out, out->after, "jobmanager.memory.process.size", v))
				goto oom;
			if (fm_conf_has(out->after, "jobmanager.memory.flink.size") &&
			    apply(out, out->after, "jobmanager.memory.flink.size", NULL))
				goto oom;
		}
	}
	/* Goals not met by the (possibly re-pinned) config get their keys;
	 * setting one can push another below its goal (a larger off-heap
	 * shrinks a derived task heap), so repeat while that happens. */
	for (size_t round = 0; round <= n; round++) {
		fm_tm_result tm;
		fm_jm_result jm;
		if (derive_both(out->after, p, env, &tm, &jm))
			goto oom;
		bool changed = false;
		for (size_t i = 0; i < n; i++) {
			const fm_tm_layout *tl = tm.outcome == FM_DERIVED ? &tm.l : NULL;
			const fm_jm_layout *jl = jm.outcome == FM_DERIVED ? &jm.l : NULL;
			if (goal_met(&goals[i], fm_component_bytes(goals[i].component, tl, jl)))
				continue;
			/* a rejected layout meets nothing: set only what the goal needs once */
			if (round > 0 && !tl && !jl)
				continue;
			if (set_goal(out, out->after, p, &goals[i], goals[i].bytes)) {
				fm_tm_result_release(&tm);
				fm_jm_result_release(&jm);
				goto oom;
			}
			changed = true;
		}
		fm_tm_result_release(&tm);
		fm_jm_result_release(&jm);
		if (!changed)
			break;
	}
	if (derive_both(out->after, p, env, &out->after_tm, &out->after_jm))
		goto oom;
	/* Under a fixed process size the fixed parts may not add up (Flink
	 * rejects it): managed memory, unless a goal names it, absorbs the
	 * difference. */
	int64_t managed_lb = 0;  /* -1: a goal fixes managed memory */
	bool heap_goal = false;  /* a goal fixes the task heap (= or <=) */
	for (size_t i = 0; i < n; i++) {
		if (!strcmp(goals[i].component, "managed"))
			managed_lb = goals[i].op == FM_GOAL_GE ? goals[i].bytes : -1;
		if (!strcmp(goals[i].component, "task-heap"))
			heap_goal = goals[i].op != FM_GOAL_GE;
	}
	if (!valid(&out->after_tm, &out->after_jm) && any_tm && container_bytes <= 0 && managed_lb < 0 && heap_goal &&
	    (fm_conf_has(out->after, "taskmanager.memory.process.size") ||
	     fm_conf_has(out->after, "taskmanager.memory.flink.size"))) {
		/* Task heap and managed memory both fixed and no size pinned:
		 * let Flink derive the total from the parts. */
		if ((fm_conf_has(out->after, "taskmanager.memory.process.size") &&
		     apply(out, out->after, "taskmanager.memory.process.size", NULL)) ||
		    (fm_conf_has(out->after, "taskmanager.memory.flink.size") &&
		     apply(out, out->after, "taskmanager.memory.flink.size", NULL)))
			goto oom;
		fm_tm_result_release(&out->after_tm);
		fm_jm_result_release(&out->after_jm);
		if (derive_both(out->after, p, env, &out->after_tm, &out->after_jm) ||
		    note(out, "the configured total size is removed: with task heap and managed memory fixed, Flink "
			      "derives the process size from the parts"))
			goto oom;
	} else if (!valid(&out->after_tm, &out->after_jm) && any_tm &&
		   fm_conf_has(out->after, "taskmanager.memory.process.size")) {
		if (managed_lb >= 0) {
			if (balance_managed(out, p, env, managed_lb))
				goto oom;
		} else if (!heap_goal && fm_conf_has(out->after, "taskmanager.memory.task.heap.size")) {
			/* managed memory is fixed by a goal: the task heap takes the rest */
			if (apply(out, out->after, "taskmanager.memory.task.heap.size", NULL))
				goto oom;
			fm_tm_result_release(&out->after_tm);
			fm_jm_result_release(&out->after_jm);
			if (derive_both(out->after, p, env, &out->after_tm, &out->after_jm) ||
			    note(out, "taskmanager.memory.task.heap.size removed: with managed memory fixed by the goal and "
				      "the process size pinned, the task heap takes the rest"))
				goto oom;
		}
	}
	if (container_bytes <= 0 && !(valid(&out->after_tm, &out->after_jm) &&
				      all_met(goals, n, &out->after_tm, &out->after_jm))) {
		if ((any_tm && grow_total(out, p, env, goals, n, false)) ||
		    (any_jm && grow_total(out, p, env, goals, n, true)))
			goto oom;
	}
	out->feasible = valid(&out->after_tm, &out->after_jm) && all_met(goals, n, &out->after_tm, &out->after_jm);
	if (!out->feasible && closest) {
		const fm_jchain *err = out->after_tm.outcome == FM_FLINK_ERROR ? &out->after_tm.err
				       : out->after_jm.outcome == FM_FLINK_ERROR ? &out->after_jm.err : NULL;
		if (err && note(out, "impossible as asked: Flink rejects the result: %s", err->v[0].msg))
			goto oom;
		/* closest achievable for each >= goal under the same pins */
		for (size_t i = 0; i < n; i++) {
			if (goals[i].op != FM_GOAL_GE)
				continue;
			int64_t lo = 0, hi = goals[i].bytes / MIB;
			while (lo < hi) {
				int64_t mid = lo + (hi - lo + 1) / 2;
				fm_plan tmp = {0};
				fm_goal g = goals[i];
				g.bytes = mid * MIB;
				fm_conf *cc = fm_conf_dup(c);
				if (!cc)
					goto oom;
				/* re-run the same search with the smaller goal */
				int rc = plan_goals(cc, p, env, &g, 1, container_bytes, false, &tmp);
				bool ok = rc == FM_OK && tmp.feasible;
				fm_plan_release(&tmp);
				fm_conf_free(cc);
				if (rc != FM_OK)
					goto oom;
				if (ok)
					lo = mid;
				else
					hi = mid - 1;
			}
			if (note(out, "closest achievable: %s = %lld MiB (%lld bytes) with the same pins", goals[i].component,
				 (long long)lo, (long long)(lo * MIB)))
				goto oom;
		}
	}
	if (explain_moves(out))
		goto oom;
	return FM_OK;
oom:
	fm_plan_release(out);
	return FM_ENOMEM;
}

int fm_plan_goals(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals, size_t n,
		  int64_t container_bytes, fm_plan *out)
{
	return plan_goals(c, p, env, goals, n, container_bytes, true, out);
}

void fm_plan_release(fm_plan *pl)
{
	if (!pl)
		return;
	fm_tm_result_release(&pl->before_tm);
	fm_tm_result_release(&pl->after_tm);
	fm_jm_result_release(&pl->before_jm);
	fm_jm_result_release(&pl->after_jm);
	for (size_t i = 0; i < pl->nchanges; i++) {
		free(pl->changes[i].key);
		free(pl->changes[i].from);
		free(pl->changes[i].to);
	}
	free(pl->changes);
	for (size_t i = 0; i < pl->nnotes; i++)
		free(pl->notes[i]);
	free(pl->notes);
	fm_conf_free(pl->after);
	*pl = (fm_plan){0};
}

int fm_kv_put(const char **keys, char **vals, size_t *n, size_t cap, const char *k, const char *v)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp(keys[i], k)) {
			free(vals[i]);
			vals[i] = v ? strdup(v) : NULL;
			return v && !vals[i] ? FM_ENOMEM : FM_OK;
		}
	if (*n == cap)
		return FM_EINVAL;
	keys[*n] = k;
	vals[*n] = v ? strdup(v) : NULL;
	if (v && !vals[*n])
		return FM_ENOMEM;
	(*n)++;
	return FM_OK;
}
