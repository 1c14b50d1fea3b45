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

#include "flinkmem/health.h"
#include "flinkmem/lint.h"
#include "flinkmem/memsize.h"

#define MIB (INT64_C(1) << 20)

int fm_goal_parse(const char *s, fm_goal *g, char **why)
{
	static const char *names[] = {"task-heap", "managed", "network", "metaspace", "jm-heap", "framework-heap",
				      "framework-off-heap", "task-off-heap", "overhead", "jm-metaspace", "jm-off-heap", "jm-overhead"};
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
				  "framework-off-heap, task-off-heap, overhead, jm-metaspace, jm-off-heap, jm-overhead)", (int)nl, s) < 0)
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
	if (!strcmp(c, "jm-overhead")) return jm ? jm->overhead : -1;
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
	fm_change ch = {strdup(key), e ? strdup(e->text) : NULL, dup_or_null(value), NULL};
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

/* One process's components that moved (and where the bytes came from):
 * "the process size stays X, so A came out of B", or "Who: up; down;
 * process +D". */
typedef struct moved {
	const char *name;
	int64_t d;
} moved;

static int explain_side(fm_plan *pl, const char *who, const moved *comp, size_t n, int64_t before, int64_t after)
{
	fm_buf up = FM_BUF_INIT, down = FM_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		if (!comp[i].d)
			continue;
		char h[FM_SIZE_HUMAN_MAX];
		int64_t mag = comp[i].d < 0 ? -comp[i].d : comp[i].d;
		fm_size_human_c(h, mag);
		char *paren = strstr(h, " (");
		if (paren)
			*paren = '\0';
		fm_buf *t = comp[i].d > 0 ? &up : &down;
		if (fm_buf_addf(t, "%s%s %c%s", t->len ? ", " : "", comp[i].name, comp[i].d > 0 ? '+' : '-', h)) {
			fm_buf_release(&up);
			fm_buf_release(&down);
			return FM_ENOMEM;
		}
	}
	/* sizes in Flink's units like the component deltas before them (a note
	 * is text; the bytes are in the layouts) */
	int rc = FM_OK;
	int64_t dp = after - before;
	char ph[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(ph, before == after ? after : dp < 0 ? -dp : dp);
	char *pp = strstr(ph, " (");
	if (pp)
		*pp = '\0';
	if (before == after && up.len && down.len)
		rc = note(pl, "the process size stays %s, so %s came out of %s", ph, up.data, down.data);
	else if (up.len || down.len)
		rc = note(pl, "%s: %s%s%s; process %s%s", who, up.len ? up.data : "", up.len && down.len ? "; " : "",
			  down.len ? down.data : "", dp == 0 ? "unchanged" : dp > 0 ? "+" : "-", dp == 0 ? "" : ph);
	fm_buf_release(&up);
	fm_buf_release(&down);
	return rc;
}

/* Explains which components moved, the TaskManager's and, when it moved,
 * the JobManager's (a JobManager's pinned fix takes its heap). */
static int explain_moves(fm_plan *pl)
{
	if (pl->before_tm.outcome == FM_DERIVED && pl->after_tm.outcome == FM_DERIVED) {
		const fm_tm_layout *a = &pl->before_tm.l, *b = &pl->after_tm.l;
		const moved comp[] = {
			{"framework heap", b->framework_heap - a->framework_heap}, {"task heap", b->task_heap - a->task_heap},
			{"framework off-heap", b->framework_off_heap - a->framework_off_heap},
			{"task off-heap", b->task_off_heap - a->task_off_heap}, {"network", b->network - a->network},
			{"managed", b->managed - a->managed}, {"JVM metaspace", b->metaspace - a->metaspace},
			{"JVM overhead", b->overhead - a->overhead},
		};
		int rc = explain_side(pl, "TaskManager", comp, sizeof comp / sizeof comp[0], a->total_process,
				      b->total_process);
		if (rc)
			return rc;
	}
	if (pl->before_jm.outcome == FM_DERIVED && pl->after_jm.outcome == FM_DERIVED) {
		const fm_jm_layout *a = &pl->before_jm.l, *b = &pl->after_jm.l;
		const moved comp[] = {
			{"JVM heap", b->jvm_heap - a->jvm_heap}, {"off-heap", b->off_heap - a->off_heap},
			{"JVM metaspace", b->metaspace - a->metaspace}, {"JVM overhead", b->overhead - a->overhead},
		};
		return explain_side(pl, "JobManager", comp, sizeof comp / sizeof comp[0], a->total_process,
				    b->total_process);
	}
	return FM_OK;
}

static int tidy(fm_plan *pl, const fm_profile *p, const char *const *pinned, size_t npinned);

int fm_plan_whatif(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const char *const *keys,
		   const char *const *values, size_t n, fm_plan *out)
{
	return fm_plan_whatif_pinned(c, p, env, keys, values, n, NULL, 0, out);
}

int fm_plan_whatif_pinned(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const char *const *keys,
			  const char *const *values, size_t n, const char *const *pinned, size_t npinned,
			  fm_plan *out)
{
	*out = (fm_plan){0};
	out->after = fm_conf_dup(c);
	if (!out->after || derive_both(c, p, env, &out->before_tm, &out->before_jm))
		goto oom;
	for (size_t i = 0; i < n; i++)
		if (apply(out, out->after, keys[i], values[i]))
			goto oom;
	/* keys the edits make redundant go in the same change set */
	if (tidy(out, p, pinned, npinned) || derive_both(out->after, p, env, &out->after_tm, &out->after_jm))
		goto oom;
	/* a key set to the value it has (a caller's pin) is no change */
	size_t kept = 0;
	for (size_t i = 0; i < out->nchanges; i++) {
		fm_change *ch = &out->changes[i];
		if (ch->from && ch->to && !strcmp(ch->from, ch->to)) {
			free(ch->key);
			free(ch->from);
			free(ch->to);
		} else {
			out->changes[kept++] = *ch;
		}
	}
	out->nchanges = kept;
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
	} else if (!strcmp(c, "jm-overhead")) {
		*k1 = "jobmanager.memory.jvm-overhead.min";
		*k2 = "jobmanager.memory.jvm-overhead.max";
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

static bool valid(const fm_tm_result *tm, const fm_jm_result *jm, bool jm_off)
{
	return tm->outcome == FM_DERIVED && (jm_off || jm->outcome != FM_FLINK_ERROR);
}

/* Derives c with key set to value (NULL removes) on a copy; numbers only:
 * the callers read sizes and the outcome. */
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
	int rc = fm_derive_tm_numbers(t, p, env, tr);
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
	int64_t best = -1;
	bool net_rest = false;
	char mv[32];
	/* Second pass when Flink's own overhead share does not fit with a
	 * fixed task heap: the network, as what the pinned process leaves, may
	 * still hold (the fine-grained rule): the largest managed size Flink
	 * accepts that way. */
	for (int pass = 0; pass < 2 && best < 0 && (pass == 0 || heap_fixed); pass++) {
		if (pass) {
			heap_fixed = false;
			net_rest = true;
		}
		int64_t a = fm_size_ceil_mib(lower) / MIB, b = proc / MIB;
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
		    : net_rest ? "with a fixed task heap, the network is what the process leaves"
			       : "the task heap takes the rest");
}

/* ---- health floors and the size search ------------------------------------ */

/* What one goal-seek keeps at hand: the goals, the floors of the config
 * and the goal components (exempt from their floors: the user chose). */
typedef struct gctx {
	const fm_profile *p;
	const fm_derive_env *env;
	const fm_goal *goals;
	size_t n;
	fm_floors fl;
	const char *skip[16];
	size_t nskip;
	unsigned derivations;
	/* Flink rejects the config's JobManager already and no goal names it:
	 * the JobManager is not this plan's business (its rejection must not
	 * steer a TaskManager goal-seek) */
	bool jm_off;
	/* No pin: a goal's bytes come from a larger total, not from the other
	 * components (as diagnose's fixes grow the process): the layouts every
	 * component the goals do not name stays at least as large as (NULL:
	 * the side did not derive, or a pin lets the goals take from them) */
	const fm_tm_layout *keep_tm;
	const fm_jm_layout *keep_jm;
} gctx;

static bool side_met(const gctx *g, bool jm, const fm_tm_layout *tl, const fm_jm_layout *jl)
{
	for (size_t i = 0; i < g->n; i++)
		if (is_jm_goal(&g->goals[i]) == jm &&
		    !goal_met(&g->goals[i], fm_component_bytes(g->goals[i].component, tl, jl)))
			return false;
	return true;
}

/* No component the goals leave alone is smaller than in keep_tm/keep_jm. */
static bool kept(const gctx *g, const fm_tm_layout *tl, const fm_jm_layout *jl)
{
	static const char *const tm_parts[] = {"task-heap",     "managed",   "network",       "metaspace",
					       "framework-heap", "framework-off-heap", "task-off-heap", "overhead"};
	static const char *const jm_parts[] = {"jm-heap", "jm-metaspace", "jm-off-heap", "jm-overhead"};
	for (int side = 0; side < 2; side++) {
		bool jm = side == 1;
		if (jm ? !(jl && g->keep_jm) : !(tl && g->keep_tm))
			continue;
		const char *const *parts = jm ? jm_parts : tm_parts;
		size_t np = jm ? sizeof jm_parts / sizeof jm_parts[0] : sizeof tm_parts / sizeof tm_parts[0];
		for (size_t k = 0; k < np; k++) {
			bool named = false;
			for (size_t i = 0; i < g->n && !named; i++)
				named = !strcmp(g->goals[i].component, parts[k]);
			/* (the JVM overhead within a MiB: the search steps in whole MiB,
			 * and the overhead as the remainder of fixed parts, held at its
			 * max, may have no whole-MiB total that gives it back to the
			 * byte) */
			int64_t slack = strstr(parts[k], "overhead") ? MIB - 1 : 0;
			if (!named && fm_component_bytes(parts[k], tl, jl) + slack <
					      fm_component_bytes(parts[k], jm ? NULL : g->keep_tm, jm ? g->keep_jm : NULL))
				return false;
		}
	}
	return true;
}

static bool healthy(const gctx *g, const fm_tm_layout *tl, const fm_jm_layout *jl)
{
	return !fm_health_violation(&g->fl, tl, jl, g->skip, g->nskip, NULL) && kept(g, tl, jl);
}

static bool plan_ok(const gctx *g, const fm_plan *pl)
{
	const fm_tm_layout *tl = pl->after_tm.outcome == FM_DERIVED ? &pl->after_tm.l : NULL;
	const fm_jm_layout *jl = pl->after_jm.outcome == FM_DERIVED ? &pl->after_jm.l : NULL;
	return valid(&pl->after_tm, &pl->after_jm, g->jm_off) && all_met(g->goals, g->n, &pl->after_tm, &pl->after_jm) &&
	       healthy(g, tl, jl);
}

static int rederive(fm_plan *out, const gctx *g)
{
	fm_tm_result_release(&out->after_tm);
	fm_jm_result_release(&out->after_jm);
	return derive_both(out->after, g->p, g->env, &out->after_tm, &out->after_jm);
}

static const char *total_key(const fm_conf *c, bool jm)
{
	const char *pk = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
	const char *fk = jm ? "jobmanager.memory.flink.size" : "taskmanager.memory.flink.size";
	return fm_conf_has(c, pk) ? pk : fm_conf_has(c, fk) ? fk : NULL;
}

/* A >= goal on a component the derivation makes the remainder of a total
 * the config sets (task heap, JobManager heap): without a pin, growing the
 * total meets it and keeps every other setting as it is. */
static bool remainder_goal(const fm_conf *c, const fm_goal *g)
{
	if (g->op != FM_GOAL_GE)
		return false;
	if (!strcmp(g->component, "task-heap"))
		return !fm_conf_has(c, "taskmanager.memory.task.heap.size") && total_key(c, false);
	if (!strcmp(g->component, "jm-heap"))
		return !fm_conf_has(c, "jobmanager.memory.heap.size") && total_key(c, true);
	return false;
}

/* Removes the keys the change set made redundant (health.h), except the
 * pinned ones. */
static int tidy(fm_plan *pl, const fm_profile *p, const char *const *pinned, size_t npinned)
{
	const char *set[64];
	size_t n = 0;
	for (size_t i = 0; i < pl->nchanges && n < 64; i++)
		if (pl->changes[i].to)
			set[n++] = pl->changes[i].key;
	const char *red[16];
	size_t m = fm_health_redundant(pl->after, p, set, n, red, 16);
	for (size_t i = 0; i < m; i++) {
		bool pin = false;
		for (size_t j = 0; j < npinned && !pin; j++)
			pin = !strcmp(red[i], pinned[j]);
		if (pin)
			continue;
		/* red[] may point into the conf's strings: copy before removing */
		char k[256];
		snprintf(k, sizeof k, "%s", red[i]);
		if (apply(pl, pl->after, k, NULL))
			return FM_ENOMEM;
	}
	return FM_OK;
}

static double conf_fraction(const fm_conf *c, const fm_profile *p, enum fm_opt_id id)
{
	fm_option o = fm_option_get(p, id);
	const fm_entry *e = fm_conf_find(c, o.key);
	const char *t = e ? e->text : o.def;
	double f = t ? strtod(t, NULL) : 0;
	return f > 0 && f < 1 ? f : 0;
}

/* FIT when the side of c with `key` at mib MiB derives, meets the side's
 * goals and keeps its floors; SHORT when it derives but does not; REJECTED
 * when Flink rejects it; -1 out of memory. c is edited in
 * place (no copy per candidate); the derivation is the numbers-only one
 * (sizes and outcome are all a candidate is judged by, and the JVM flag
 * and dynamic-config strings were half the cost of each step). */
enum { SHORT = 0, FIT = 1, REJECTED = 2 };
static int fits_at(gctx *g, fm_conf *c, bool jm, const char *key, int64_t mib)
{
	char v[32];
	snprintf(v, sizeof v, "%lldm", (long long)mib);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	if (fm_conf_set_str(c, key, v, &at) != FM_OK)
		return -1;
	g->derivations++;
	int ok;
	if (jm) {
		fm_jm_result r;
		if (fm_derive_jm_numbers(c, g->p, g->env, &r) != FM_OK)
			return -1;
		ok = r.outcome != FM_DERIVED ? REJECTED
		     : side_met(g, true, NULL, &r.l) && healthy(g, NULL, &r.l) ? FIT : SHORT;
		fm_jm_result_release(&r);
	} else {
		fm_tm_result r;
		if (fm_derive_tm_numbers(c, g->p, g->env, &r) != FM_OK)
			return -1;
		ok = r.outcome != FM_DERIVED ? REJECTED
		     : side_met(g, false, &r.l, NULL) && healthy(g, &r.l, NULL) ? FIT : SHORT;
		fm_tm_result_release(&r);
	}
	return ok;
}

/* Narrows [*lo, *hi] (fits_at says `want` at *hi and not at *lo) to
 * adjacent MiB: *hi is then the smallest size that says `want`. 0, or -1
 * out of memory. */
static int bisect(gctx *g, fm_conf *c, bool jm, const char *key, int64_t *lo, int64_t *hi, int want)
{
	while (*hi - *lo > 1) {
		int64_t mid = *lo + (*hi - *lo) / 2;
		int r = fits_at(g, c, jm, key, mid);
		if (r < 0)
			return -1;
		if (r == want)
			*hi = mid;
		else
			*lo = mid;
	}
	return 0;
}

/* An upper bound for the search, from the goals: every goal and floor of
 * the side, Flink's fixed parts, the whole scaled by the share the
 * fractions leave, doubled; never below twice the current size. */
static int64_t upper_mib(const gctx *g, const fm_conf *c, bool jm, int64_t cur_mib, int64_t *guess)
{
	int64_t need = 0;
	for (size_t i = 0; i < g->n; i++)
		if (is_jm_goal(&g->goals[i]) == jm && g->goals[i].op != FM_GOAL_LE)
			need += g->goals[i].bytes / MIB + 1;
	for (int i = 0; i < FM_H_COUNT; i++)
		if (!strncmp(g->fl.v[i].component, "jm-", 3) == jm)
			need += g->fl.v[i].bytes / MIB + 1;
	need += 1024; /* framework heap and off-heap, metaspace defaults */
	double frac = jm ? conf_fraction(c, g->p, FM_O_JM_OVH_FRACTION)
			 : conf_fraction(c, g->p, FM_O_TM_OVH_FRACTION) + conf_fraction(c, g->p, FM_O_TM_NET_FRACTION) +
				   (fm_conf_has(c, "taskmanager.memory.managed.size")
					    ? 0
					    : conf_fraction(c, g->p, FM_O_TM_MANAGED_FRACTION));
	if (frac > 0.95)
		frac = 0.95;
	double est = (double)need / (1 - frac);
	if (est > 9.0e12)
		est = 9.0e12;
	*guess = (int64_t)est;
	int64_t u = 2 * (int64_t)est;
	return u > 2 * cur_mib + 1024 ? u : 2 * cur_mib + 1024;
}

/* Without a pin: the smallest whole MiB of the side's total key (above
 * the current one) at which goals and floors hold, every other key as set.
 * Gallop from a guess, doubling the step, then bisect. The predicate is
 * monotone in the total except where the network is the remainder of a
 * fixed task heap (it must stay under its max): the search then lifts the
 * max, and afterwards sets it to what the answer needs. 0 done (see the
 * plan), -1 out of memory. */
static int grow_side(gctx *g, fm_plan *out, bool jm)
{
	const char *key = total_key(out->after, jm);
	if (!key)
		return 0;
	fm_conf *c = out->after;
	const fm_entry *ke = fm_conf_find(c, key);
	int64_t cur = -1;
	fm_jexc je = {0};
	if (fm_size_parse(ke->text, ke->text_len, &cur, &je) != 0)
		cur = 0;
	fm_jexc_release(&je);
	char keyc[64], orig[64], omax[64] = "";
	snprintf(keyc, sizeof keyc, "%s", key);
	snprintf(orig, sizeof orig, "%s", ke->text);
	const char *nmax = "taskmanager.memory.network.max";
	bool relax = !jm && fm_conf_has(c, "taskmanager.memory.task.heap.size");
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	if (relax) {
		const fm_entry *me = fm_conf_find(c, nmax);
		if (me)
			snprintf(omax, sizeof omax, "%s", me->text);
		if (fm_conf_set_str(c, nmax, "1048576t", &at) != FM_OK)
			return -1;
	}
	int64_t lo = cur / MIB, guess, hi;
	int64_t top = upper_mib(g, c, jm, lo, &guess);
	hi = guess > lo ? guess : lo + 64;
	if (hi > top)
		hi = top;
	int64_t step = hi - lo > 64 ? (hi - lo) / 2 : 64, found = -1;
	/* the keys the search set (or the lifted max) may make the current
	 * size do already */
	int64_t short_at = -1; /* the largest size tried that derived short */
	bool sampled = false;  /* the window between two rejections was sampled */
	if (cur > 0 && cur % MIB == 0) {
		int ok = fits_at(g, c, jm, keyc, lo);
		if (ok < 0)
			return -1;
		if (ok == FIT)
			found = lo;
		else if (ok == SHORT)
			short_at = lo;
	}
	for (; found < 0;) {
		int ok = fits_at(g, c, jm, keyc, hi);
		if (ok < 0)
			return -1;
		if (ok == FIT) {
			found = hi;
			break;
		}
		if (ok == REJECTED && short_at >= 0) {
			/* Flink rejects a larger size than one that derived short: a
			 * part that is the remainder of fixed ones (the JVM overhead of
			 * a fixed task heap and managed memory) left its range. What
			 * fits lies in between, up to the largest size Flink takes */
			int64_t a = short_at, b = hi;
			if (bisect(g, c, jm, keyc, &a, &b, REJECTED))
				return -1;
			int r = a > short_at ? fits_at(g, c, jm, keyc, a) : SHORT;
			if (r < 0)
				return -1;
			if (r == FIT) {
				found = a;
				lo = short_at;
			}
			break;
		}
		if (ok == REJECTED && short_at < 0 && !sampled) {
			/* rejected at both ends so far (a fixed heap above a small
			 * total, an overhead remainder above its max at a large one):
			 * what fits lies in a window between; sample it, once */
			sampled = true;
			int64_t prev = lo;
			for (int k = 1; k < 16 && found < 0; k++) {
				int64_t m = lo + (hi - lo) / 16 * k;
				if (m <= prev)
					continue;
				int r = fits_at(g, c, jm, keyc, m);
				if (r < 0)
					return -1;
				if (r == FIT) {
					found = m;
					lo = prev;
				} else {
					prev = m;
				}
			}
			if (found >= 0)
				break;
		}
		if (ok == SHORT)
			short_at = hi;
		if (hi >= top)
			break;
		lo = hi;
		hi = top - lo > step ? lo + step : top;
		step *= 2;
	}
	if (found > 0 && bisect(g, c, jm, keyc, &lo, &found, FIT))
		return -1;
	/* put back what the search touched; the answer goes in as a change */
	if (fm_conf_set_str(c, keyc, orig, &at) != FM_OK)
		return -1;
	if (relax && (omax[0] ? fm_conf_set_str(c, nmax, omax, &at) != FM_OK : (fm_conf_remove(c, nmax), false)))
		return -1;
	out->search_derivations += g->derivations;
	g->derivations = 0;
	if (found < 0)
		return 0; /* other keys are the problem, not the size */
	char v[32];
	snprintf(v, sizeof v, "%lldm", (long long)found);
	bool grew = found * MIB != cur;
	if ((grew && apply(out, c, keyc, v)) || rederive(out, g))
		return -1;
	if (relax && out->after_tm.outcome != FM_DERIVED) {
		/* the network remainder at the answer is above the max: lift it */
		fm_tm_result r;
		if (fm_conf_set_str(c, nmax, "1048576t", &at) != FM_OK ||
		    fm_derive_tm_numbers(c, g->p, g->env, &r) != FM_OK)
			return -1;
		int64_t net = r.outcome == FM_DERIVED ? r.l.network : -1;
		fm_tm_result_release(&r);
		if (omax[0] ? fm_conf_set_str(c, nmax, omax, &at) != FM_OK : (fm_conf_remove(c, nmax), false))
			return -1;
		if (net > 0) {
			char mv[32];
			fm_size_text(mv, sizeof mv, fm_size_ceil_mib(net));
			if (apply(out, c, nmax, mv) || rederive(out, g) ||
			    note(out, "%s %s: with the task heap fixed the network is what the process leaves, so its "
				      "maximum grows with the process", nmax, mv))
				return -1;
		}
	}
	if (!grew)
		return 0;
	return note(out, "no --container given: %s grows to %s, the smallest whole MiB that meets the goals and leaves "
		    "every other component at least where it was (and at or above its health floor) with your other "
		    "settings (pin a size with --container to take from other components instead)", keyc, v);
}

/* Floors a key sets below: raise the key (a >= goal at the floor). Without
 * a pin, components the total feeds (a derived task heap, managed or
 * network memory from fractions, the JobManager heap) are left to the size
 * search; under a pin a task heap below its floor first takes from managed
 * memory above the managed floor. 0 or -1 out of memory. */
static int raise_floors(gctx *g, fm_plan *out, bool pinned)
{
	for (int round = 0; round < FM_H_COUNT; round++) {
		const fm_tm_layout *tl = out->after_tm.outcome == FM_DERIVED ? &out->after_tm.l : NULL;
		const fm_jm_layout *jl = out->after_jm.outcome == FM_DERIVED ? &out->after_jm.l : NULL;
		int64_t have = 0;
		const fm_health_floor *f = fm_health_violation(&g->fl, tl, jl, g->skip, g->nskip, &have);
		if (!f)
			return 0;
		const char *k = f->component;
		const fm_conf *c = out->after;
		bool keyed;
		if (!strcmp(k, "task-heap"))
			keyed = fm_conf_has(c, "taskmanager.memory.task.heap.size");
		else if (!strcmp(k, "managed"))
			keyed = fm_conf_has(c, "taskmanager.memory.managed.size") ||
				conf_fraction(c, g->p, FM_O_TM_MANAGED_FRACTION) == 0;
		else if (!strcmp(k, "network"))
			keyed = fm_conf_has(c, "taskmanager.memory.network.min") ||
				fm_conf_has(c, "taskmanager.memory.network.max");
		else if (!strcmp(k, "jm-heap"))
			keyed = fm_conf_has(c, "jobmanager.memory.heap.size");
		else
			keyed = true; /* metaspace and overhead do not grow with the total */
		if (!keyed && !pinned)
			return 0;
		int64_t floor_b = fm_size_ceil_mib(f->bytes); /* floors saturate (health.h) */
		bool took = false;
		if (pinned && !keyed && !strcmp(k, "task-heap") && tl) {
			/* the remainder takes managed bytes above the managed floor */
			bool managed_goal = false;
			for (size_t i = 0; i < g->n; i++)
				managed_goal |= !strcmp(g->goals[i].component, "managed");
			int64_t m = (tl->managed - (floor_b - have)) / MIB * MIB;
			if (!managed_goal && m >= g->fl.v[FM_H_MANAGED].bytes) {
				char mv[32];
				fm_size_text(mv, sizeof mv, m);
				if (apply(out, out->after, "taskmanager.memory.managed.size", m ? mv : "0") ||
				    note(out, "taskmanager.memory.managed.size %s: the task heap takes managed memory up to its "
					      "floor (%s)", m ? mv : "0", f->why))
					return -1;
				took = true;
			}
		}
		if (!took) {
			fm_goal fg = {k, FM_GOAL_GE, floor_b};
			if (!strcmp(k, "jm-overhead"))
				fg.component = "jm-overhead";
			char h[32];
			fm_size_text(h, sizeof h, floor_b);
			if (set_goal(out, out->after, g->p, &fg, floor_b) ||
			    note(out, "%s kept at its floor of %s: %s", k, h, f->why))
				return -1;
		}
		if (rederive(out, g))
			return -1;
	}
	return 0;
}

static int plan_goals(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals, size_t n,
		      int64_t container_bytes, int depth, bool take, fm_plan *out);

/* The fix snippets of check's findings on the proposal ("key: value" and
 * "# remove key" lines), taken when the result still meets the goals,
 * keeps every floor and the pinned size. 1 taken, 0 not, -1 out of memory. */
static int take_check_fixes(gctx *g, fm_plan *out, const fm_findings *bad, int64_t container_bytes)
{
	char *keys[32], *vals[32];
	size_t n = 0;
	int rc = 0;
	for (size_t i = 0; i < bad->n; i++) {
		/* a fix that would undo a key the plan itself changes (the change
		 * asked for, or the fix of a failure that proves its need) is not
		 * check's to take back */
		bool undoes = false;
		for (const char *s = bad->v[i].fix; s && *s && !undoes;) {
			size_t len = strcspn(s, "\n"), kl, vl;
			const char *kp, *vp;
			if (fm_lint_fix_line(s, len, &kp, &kl, &vp, &vl))
				for (size_t c = 0; c < out->nchanges && !undoes; c++)
					undoes = strlen(out->changes[c].key) == kl && !memcmp(out->changes[c].key, kp, kl);
			s += len + (s[len] == '\n');
		}
		if (undoes)
			continue;
		for (const char *s = bad->v[i].fix; s && *s && n < 32 && !rc;) {
			size_t len = strcspn(s, "\n"), kl, vl;
			const char *kp, *vp;
			if (fm_lint_fix_line(s, len, &kp, &kl, &vp, &vl)) {
				char *k = strndup(kp, kl), *v = vp ? strndup(vp, vl) : NULL;
				if (!k || (vp && !v)) {
					free(k);
					free(v);
					rc = -1;
				} else {
					keys[n] = k;
					vals[n++] = v;
				}
			}
			s += len + (s[len] == '\n');
		}
	}
	fm_conf *t = rc ? NULL : fm_conf_dup(out->after);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	bool ok = t != NULL && n > 0;
	for (size_t i = 0; ok && i < n; i++)
		if (vals[i] ? fm_conf_set_str(t, keys[i], vals[i], &at) != FM_OK : (fm_conf_remove(t, keys[i]), false))
			rc = -1, ok = false;
	if (!t && !rc)
		rc = -1;
	if (ok) {
		fm_tm_result tm;
		fm_jm_result jm;
		if (derive_both(t, g->p, g->env, &tm, &jm)) {
			rc = -1;
			ok = false;
		} else {
			ok = valid(&tm, &jm, g->jm_off) && all_met(g->goals, g->n, &tm, &jm) &&
			     healthy(g, tm.outcome == FM_DERIVED ? &tm.l : NULL, jm.outcome == FM_DERIVED ? &jm.l : NULL) &&
			     (container_bytes <= 0 || tm.l.total_process == container_bytes);
			fm_tm_result_release(&tm);
			fm_jm_result_release(&jm);
		}
	}
	for (size_t i = 0; ok && i < n && !rc; i++)
		if (apply(out, out->after, keys[i], vals[i]))
			rc = -1;
	if (ok && !rc) {
		rc = rederive(out, g) || tidy(out, g->p, NULL, 0) || rederive(out, g) ||
		     note(out, "check's own fix applied to the plan: %s", bad->v[0].rule->id) ? -1 : 1;
	}
	fm_conf_free(t);
	for (size_t i = 0; i < n; i++) {
		free(keys[i]);
		free(vals[i]);
	}
	return rc;
}

/* Pinned and infeasible: the smallest process size that meets the goals
 * and every floor (the same search without the pin, started at the pin). */
static int smallest_size(const fm_conf *c, const gctx *g, int64_t container_bytes, fm_plan *out)
{
	fm_conf *cc = fm_conf_dup(c);
	if (!cc)
		return -1;
	char v[32];
	fm_size_text(v, sizeof v, container_bytes);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	fm_conf_remove(cc, "taskmanager.memory.flink.size");
	if (fm_conf_set_str(cc, "taskmanager.memory.process.size", v, &at) != FM_OK) {
		fm_conf_free(cc);
		return -1;
	}
	fm_plan free_pl;
	/* (the user pinned a size: the smallest that works may take from the
	 * other components, as the pin would) */
	int rc = plan_goals(cc, g->p, g->env, g->goals, g->n, 0, 1, true, &free_pl);
	fm_conf_free(cc);
	if (rc != FM_OK)
		return -1;
	out->search_derivations += free_pl.search_derivations;
	/* a size is named only for a result our own check takes: a goal that
	 * check refuses at any size (an exact task heap under its floor) has no
	 * smallest size, and the pinned plan's refusal says why */
	char refused[256] = "";
	if (free_pl.feasible) {
		fm_findings bad;
		if (fm_health_lint(free_pl.after, c, g->p, g->env, 0, &bad)) {
			fm_plan_release(&free_pl);
			return -1;
		}
		if (bad.n) {
			free_pl.feasible = false;
			snprintf(refused, sizeof refused, "%s: %s", bad.v[0].rule->id, bad.v[0].message);
		}
		fm_findings_release(&bad);
	}
	char h[32];
	if (free_pl.feasible && free_pl.after_tm.outcome == FM_DERIVED &&
	    free_pl.after_tm.l.total_process == container_bytes) {
		/* the pin holds the goals when nothing else grows: take that plan,
		 * with the pin itself as a change */
		const char *keys[72];
		const char *vals[72];
		size_t k = 0;
		keys[k] = "taskmanager.memory.process.size";
		vals[k++] = v;
		if (fm_conf_has(c, "taskmanager.memory.flink.size")) {
			keys[k] = "taskmanager.memory.flink.size";
			vals[k++] = NULL;
		}
		for (size_t i = 0; i < free_pl.nchanges && k < 72; i++) {
			keys[k] = free_pl.changes[i].key;
			vals[k++] = free_pl.changes[i].to;
		}
		fm_plan adopted;
		unsigned sd = out->search_derivations;
		rc = fm_plan_whatif(c, g->p, g->env, keys, vals, k, &adopted);
		fm_plan_release(&free_pl);
		if (rc != FM_OK)
			return -1;
		fm_plan_release(out);
		*out = adopted;
		out->search_derivations = sd;
		out->feasible = plan_ok(g, out);
		return note(out, "the goals fit the pinned %s with the task heap as the remainder", v) ? -1 : 0;
	}
	if (free_pl.feasible && free_pl.after_tm.outcome == FM_DERIVED &&
	    free_pl.after_tm.l.total_process < container_bytes) {
		fm_size_text(h, sizeof h, free_pl.after_tm.l.total_process);
		rc = note(out, "impossible inside the pinned %s: these goals fix the parts, and Flink derives the process "
			  "size from them (%s) when no total size is set", v, h);
	} else if (free_pl.feasible && free_pl.after_tm.outcome == FM_DERIVED) {
		out->smallest_process = free_pl.after_tm.l.total_process;
		fm_size_text(h, sizeof h, out->smallest_process);
		rc = note(out, "impossible inside the pinned %s: the smallest process size that meets the goals and keeps "
			  "every component at or above its health floor is %s (taskmanager.memory.process.size: %s)", v, h, h);
	} else if (refused[0]) {
		rc = note(out, "impossible inside the pinned %s, and at any size `check` refuses what these goals ask (%s)",
			  v, refused);
	} else {
		rc = note(out, "impossible inside the pinned %s, and no larger process size meets the goals with the other "
			  "settings either", v);
	}
	fm_plan_release(&free_pl);
	return rc ? -1 : 0;
}

/* take: the goals may take from the other components even without a pin
 * (the smallest-size search behind a pin the user gave). */
static int plan_goals(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals, size_t n,
		      int64_t container_bytes, int depth, bool take, fm_plan *out)
{
	*out = (fm_plan){0};
	gctx g = {.p = p, .env = env, .goals = goals, .n = n};
	fm_health_floors(c, p, &g.fl);
	/* a >= goal is a lower bound like the floor: both hold; = and <= goals
	 * are the user's exact choice and exempt their component */
	for (size_t i = 0; i < n && g.nskip < 16; i++)
		if (goals[i].op != FM_GOAL_GE)
			g.skip[g.nskip++] = goals[i].component;
	/* managed.fraction: 0 written out switches managed memory off: no total
	 * makes it grow, so its floor is the user's business (as in check) */
	if (fm_health_managed_off(c) && g.nskip < 16)
		g.skip[g.nskip++] = "managed";
	bool pinned = container_bytes > 0;
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
	g.jm_off = !any_jm && out->before_jm.outcome == FM_FLINK_ERROR;
	/* (a side without a total key has none to grow: its derived parts
	 * follow the parts the goals set) */
	if (!pinned && !take) {
		g.keep_tm = out->before_tm.outcome == FM_DERIVED && total_key(c, false) ? &out->before_tm.l : NULL;
		g.keep_jm = out->before_jm.outcome == FM_DERIVED && total_key(c, true) ? &out->before_jm.l : NULL;
	}
	if (pinned) {
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
	 * shrinks a derived task heap), so repeat while that happens. Without
	 * a pin a remainder's >= goal is left to the size search. */
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
			if (!pinned && remainder_goal(out->after, &goals[i]))
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
	if (tidy(out, p, NULL, 0) || derive_both(out->after, p, env, &out->after_tm, &out->after_jm))
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
	if (managed_lb >= 0 && managed_lb < g.fl.v[FM_H_MANAGED].bytes)
		managed_lb = g.fl.v[FM_H_MANAGED].bytes;
	bool parts_fixed = fm_conf_has(out->after, "taskmanager.memory.task.heap.size") &&
			   fm_conf_has(out->after, "taskmanager.memory.managed.size");
	if (!valid(&out->after_tm, &out->after_jm, g.jm_off) && any_tm && !pinned &&
	    ((managed_lb < 0 && heap_goal) || parts_fixed) &&
	    (fm_conf_has(out->after, "taskmanager.memory.process.size") ||
	     fm_conf_has(out->after, "taskmanager.memory.flink.size"))) {
		/* Task heap and managed memory both fixed and no size pinned:
		 * let Flink derive the total from the parts. */
		if ((fm_conf_has(out->after, "taskmanager.memory.process.size") &&
		     apply(out, out->after, "taskmanager.memory.process.size", NULL)) ||
		    (fm_conf_has(out->after, "taskmanager.memory.flink.size") &&
		     apply(out, out->after, "taskmanager.memory.flink.size", NULL)))
			goto oom;
		/* no total left to grow: the parts the goals fix decide the rest */
		g.keep_tm = NULL;
		if (rederive(out, &g) ||
		    note(out, "the configured total size is removed: with task heap and managed memory fixed, Flink "
			      "derives the process size from the parts"))
			goto oom;
	} else if (pinned && !valid(&out->after_tm, &out->after_jm, g.jm_off) && any_tm &&
		   fm_conf_has(out->after, "taskmanager.memory.process.size")) {
		if (managed_lb >= 0) {
			if (balance_managed(out, p, env, managed_lb))
				goto oom;
		} else if (!heap_goal && fm_conf_has(out->after, "taskmanager.memory.task.heap.size")) {
			/* managed memory is fixed by a goal: the task heap takes the rest */
			if (apply(out, out->after, "taskmanager.memory.task.heap.size", NULL))
				goto oom;
			if (rederive(out, &g) ||
			    note(out, "taskmanager.memory.task.heap.size removed: with managed memory fixed by the goal and "
				      "the process size pinned, the task heap takes the rest"))
				goto oom;
		}
	}
	if (raise_floors(&g, out, pinned) || tidy(out, p, NULL, 0) || rederive(out, &g))
		goto oom;
	if (!pinned && !plan_ok(&g, out)) {
		/* Every goal the size does not grow by itself gets its key now, so
		 * that what the search sees does not depend on where it starts. */
		for (size_t i = 0; i < n; i++)
			if (!remainder_goal(out->after, &goals[i]) && set_goal(out, out->after, p, &goals[i], goals[i].bytes))
				goto oom;
		if (tidy(out, p, NULL, 0) || rederive(out, &g) || raise_floors(&g, out, false) || tidy(out, p, NULL, 0) || rederive(out, &g))
			goto oom;
	}
	if (!pinned && !plan_ok(&g, out)) {
		const fm_tm_layout *tl = out->after_tm.outcome == FM_DERIVED ? &out->after_tm.l : NULL;
		const fm_jm_layout *jl = out->after_jm.outcome == FM_DERIVED ? &out->after_jm.l : NULL;
		bool tm_bad = !tl || !side_met(&g, false, tl, NULL) || !healthy(&g, tl, NULL);
		bool jm_bad = (out->after_jm.outcome == FM_FLINK_ERROR && !g.jm_off) || (jl && (!side_met(&g, true, NULL, jl) ||
										   !healthy(&g, NULL, jl)));
		if ((tm_bad && grow_side(&g, out, false)) || (jm_bad && grow_side(&g, out, true)))
			goto oom;
		if (raise_floors(&g, out, false) || tidy(out, p, NULL, 0) || rederive(out, &g))
			goto oom;
	}
	out->feasible = plan_ok(&g, out);
	if (!out->feasible && valid(&out->after_tm, &out->after_jm, g.jm_off) &&
	    all_met(goals, n, &out->after_tm, &out->after_jm)) {
		int64_t have = 0;
		const fm_health_floor *f =
			fm_health_violation(&g.fl, out->after_tm.outcome == FM_DERIVED ? &out->after_tm.l : NULL,
					    out->after_jm.outcome == FM_DERIVED ? &out->after_jm.l : NULL, g.skip, g.nskip,
					    &have);
		char h1[32], h2[32];
		fm_size_text(h1, sizeof h1, have);
		fm_size_text(h2, sizeof h2, f ? f->bytes : 0);
		if (f && note(out, "unhealthy: the goals leave %s at %s, under its floor of %s: %s", f->component, h1, h2,
			      f->why))
			goto oom;
	}
	if (!out->feasible && pinned && any_tm && depth == 0) {
		if (smallest_size(c, &g, container_bytes, out))
			goto oom;
	}
	if (out->feasible && depth == 0) {
		/* the proposal passes our own checks (taking check's own fixes
		 * when they keep goals, floors and the pin), or it is refused */
		fm_findings bad;
		int taken = 0;
		for (int round = 0; round < 3; round++) {
			if (fm_health_lint(out->after, c, p, env, 0, &bad))
				goto oom;
			if (!bad.n || round == 2)
				break;
			taken = take_check_fixes(&g, out, &bad, container_bytes);
			if (taken <= 0) {
				if (taken < 0) {
					fm_findings_release(&bad);
					goto oom;
				}
				break;
			}
			fm_findings_release(&bad);
		}
		if (bad.n) {
			out->feasible = false;
			int rc = note(out, "refused: `check` finds %zu new problem%s in the planned configuration (%s: %s)",
				      bad.n, bad.n == 1 ? "" : "s", bad.v[0].rule->id, bad.v[0].message);
			fm_findings_release(&bad);
			if (rc)
				goto oom;
		} else {
			fm_findings_release(&bad);
		}
	}
	if (!out->feasible && depth == 0) {
		const fm_jchain *err = out->after_tm.outcome == FM_FLINK_ERROR                 ? &out->after_tm.err
				       : out->after_jm.outcome == FM_FLINK_ERROR && !g.jm_off ? &out->after_jm.err
										: NULL;
		if (err && note(out, "impossible as asked: Flink rejects the result: %s", err->v[0].msg))
			goto oom;
		/* closest achievable for each >= goal under the same pins */
		for (size_t i = 0; i < n && !out->smallest_process; i++) {
			if (goals[i].op != FM_GOAL_GE)
				continue;
			int64_t lo = 0, hi = goals[i].bytes / MIB;
			while (lo < hi) {
				int64_t mid = lo + (hi - lo + 1) / 2;
				fm_plan tmp = {0};
				fm_goal gg = goals[i];
				gg.bytes = mid * MIB;
				/* re-run the same search with the smaller goal */
				int rc = plan_goals(c, p, env, &gg, 1, container_bytes, 1, take, &tmp);
				bool ok = rc == FM_OK && tmp.feasible;
				fm_plan_release(&tmp);
				if (rc != FM_OK)
					goto oom;
				if (ok)
					lo = mid;
				else
					hi = mid - 1;
			}
			/* no smaller goal was met either: there is no "closest" value */
			bool rejected = is_jm_goal(&goals[i]) ? out->before_jm.outcome == FM_FLINK_ERROR
							       : out->before_tm.outcome == FM_FLINK_ERROR;
			if (lo > 0 ? note(out, "closest achievable: %s = %lld MiB (%lld bytes) with the same pins",
					  goals[i].component, (long long)lo, (long long)(lo * MIB))
				   : note(out, "no %s can be reached by this goal alone%s", goals[i].component,
					  rejected ? ": Flink rejects the configuration before any change; `flinkmem "
						     "check` names the keys it needs (e.g. a total size)"
						   : " with the same pins"))
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

int fm_plan_heal(fm_plan *pl, const fm_conf *before, const fm_profile *p, const fm_derive_env *env, bool grow)
{
	gctx g = {.p = p, .env = env, .jm_off = pl->before_jm.outcome == FM_FLINK_ERROR};
	fm_health_floors(pl->after, p, &g.fl);
	g.nskip = fm_health_user_set(pl->after, g.skip, 16);
	if (tidy(pl, p, NULL, 0) || rederive(pl, &g))
		return FM_ENOMEM;
	int64_t pin = !grow && pl->after_tm.outcome == FM_DERIVED ? pl->after_tm.l.total_process : 0;
	if (grow && !plan_ok(&g, pl)) {
		const fm_tm_layout *tl = pl->after_tm.outcome == FM_DERIVED ? &pl->after_tm.l : NULL;
		const fm_jm_layout *jl = pl->after_jm.outcome == FM_DERIVED ? &pl->after_jm.l : NULL;
		if ((tl && !healthy(&g, tl, NULL) && grow_side(&g, pl, false)) ||
		    (jl && !healthy(&g, NULL, jl) && grow_side(&g, pl, true)))
			return FM_ENOMEM;
		if (tidy(pl, p, NULL, 0) || rederive(pl, &g))
			return FM_ENOMEM;
	}
	fm_findings bad = {0};
	for (int round = 0; round < 3; round++) {
		if (fm_health_lint(pl->after, before, p, env, 0, &bad))
			return FM_ENOMEM;
		if (!bad.n || round == 2)
			break;
		int taken = take_check_fixes(&g, pl, &bad, pin);
		fm_findings_release(&bad);
		if (taken < 0)
			return FM_ENOMEM;
		if (!taken) {
			if (fm_health_lint(pl->after, before, p, env, 0, &bad))
				return FM_ENOMEM;
			break;
		}
	}
	/* a side that did not derive before is not the fix's business */
	const fm_tm_layout *tl = pl->after_tm.outcome == FM_DERIVED ? &pl->after_tm.l : NULL;
	const fm_jm_layout *jl = pl->after_jm.outcome == FM_DERIVED ? &pl->after_jm.l : NULL;
	pl->feasible = healthy(&g, tl, jl) && !bad.n && (tl || pl->before_tm.outcome != FM_DERIVED) &&
		       (pl->after_jm.outcome != FM_FLINK_ERROR || pl->before_jm.outcome == FM_FLINK_ERROR);
	fm_findings_release(&bad);
	return FM_OK;
}

int fm_plan_goals(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals, size_t n,
		  int64_t container_bytes, fm_plan *out)
{
	return plan_goals(c, p, env, goals, n, container_bytes, 0, false, out);
}

/* Re-plans c with the preset's changes followed by the network changes,
 * so the final plan lists every key against the original config. */
int fm_plan_combine(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_plan *first,
		    const fm_plan *second, fm_plan *out)
{
	size_t n = first->nchanges + second->nchanges;
	const char **k = calloc(n ? n : 1, sizeof(*k)), **v = calloc(n ? n : 1, sizeof(*v));
	int rc = FM_ENOMEM;
	if (k && v) {
		size_t m = 0;
		for (size_t i = 0; i < first->nchanges; i++, m++) {
			k[m] = first->changes[i].key;
			v[m] = first->changes[i].to;
		}
		for (size_t i = 0; i < second->nchanges; i++, m++) {
			k[m] = second->changes[i].key;
			v[m] = second->changes[i].to;
		}
		rc = fm_plan_whatif(c, p, env, k, v, n, out);
	}
	free(k);
	free(v);
	if (rc)
		return rc;
	/* the combined what-if explains the moves itself: keep only the
	 * notes that say why a key is set */
	const fm_plan *src[2] = {first, second};
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < src[s]->nnotes; i++) {
			if (!strncmp(src[s]->notes[i], "TaskManager: ", 13) ||
			    !strncmp(src[s]->notes[i], "the process size stays ", 23))
				continue;
			char **nv = realloc(out->notes, (out->nnotes + 1) * sizeof(*nv));
			if (!nv)
				return FM_ENOMEM;
			out->notes = nv;
			if (!(out->notes[out->nnotes] = strdup(src[s]->notes[i])))
				return FM_ENOMEM;
			out->nnotes++;
		}
	return FM_OK;
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
