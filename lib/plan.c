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

static void size_text(char *out, size_t cap, int64_t b)
{
	static const char *u[] = {"t", "g", "m", "k"};
	for (int i = 0; i < 4; i++) {
		int64_t m = INT64_C(1) << (10 * (4 - i));
		if (b >= m && b % m == 0) {
			snprintf(out, cap, "%lld%s", (long long)(b / m), u[i]);
			return;
		}
	}
	snprintf(out, cap, "%lldb", (long long)b);
}

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
static int set_goal(fm_plan *pl, fm_conf *c, const fm_goal *g, int64_t bytes)
{
	const char *k1, *k2;
	if (goal_keys(g, &k1, &k2))
		return FM_EINVAL;
	char v[32];
	size_text(v, sizeof v, bytes);
	if (!k2)
		return apply(pl, c, k1, v);
	if (g->op == FM_GOAL_EQ) {
		int rc = apply(pl, c, k1, v);
		return rc ? rc : apply(pl, c, k2, v);
	}
	return apply(pl, c, g->op == FM_GOAL_GE ? k1 : k2, v);
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
		size_text(v, sizeof v, container_bytes);
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
	/* Goals not met by the (possibly re-pinned) config get their keys. */
	fm_tm_result tm;
	fm_jm_result jm;
	if (derive_both(out->after, p, env, &tm, &jm))
		goto oom;
	for (size_t i = 0; i < n; i++) {
		const fm_tm_layout *tl = tm.outcome == FM_DERIVED ? &tm.l : NULL;
		const fm_jm_layout *jl = jm.outcome == FM_DERIVED ? &jm.l : NULL;
		if (!goal_met(&goals[i], fm_component_bytes(goals[i].component, tl, jl)) &&
		    set_goal(out, out->after, &goals[i], goals[i].bytes)) {
			fm_tm_result_release(&tm);
			fm_jm_result_release(&jm);
			goto oom;
		}
	}
	fm_tm_result_release(&tm);
	fm_jm_result_release(&jm);
	if (derive_both(out->after, p, env, &out->after_tm, &out->after_jm))
		goto oom;
	/* A fine-grained TM size under a fixed total makes network the
	 * remainder: when Flink rejects that, balance with managed memory so
	 * network keeps its earlier size. */
	if (!valid(&out->after_tm, &out->after_jm) && any_tm && out->before_tm.outcome == FM_DERIVED &&
	    fm_conf_has(out->after, "taskmanager.memory.task.heap.size") &&
	    !fm_conf_has(out->after, "taskmanager.memory.managed.size")) {
		fm_conf *probe = fm_conf_dup(out->after);
		fm_tm_result t2;
		/* the Flink size under the pin, from a layout without the task heap key */
		if (!probe)
			goto oom;
		fm_conf_remove(probe, "taskmanager.memory.task.heap.size");
		if (fm_derive_tm(probe, p, env, &t2) != FM_OK) {
			fm_conf_free(probe);
			goto oom;
		}
		fm_conf_free(probe);
		if (t2.outcome == FM_DERIVED) {
			const fm_entry *th = fm_conf_find(out->after, "taskmanager.memory.task.heap.size");
			int64_t task = 0;
			fm_jexc je = {0};
			fm_size_parse(th->text, th->text_len, &task, &je);
			fm_jexc_release(&je);
			int64_t managed = t2.l.total_flink - t2.l.framework_heap - t2.l.framework_off_heap - t2.l.task_off_heap -
					  task - out->before_tm.l.network;
			managed = managed / MIB * MIB;
			if (managed >= 0) {
				char v[32];
				size_text(v, sizeof v, managed);
				if (apply(out, out->after, "taskmanager.memory.managed.size", v))
					goto oom;
				fm_tm_result_release(&out->after_tm);
				fm_jm_result_release(&out->after_jm);
				if (derive_both(out->after, p, env, &out->after_tm, &out->after_jm))
					goto oom;
				if (note(out, "taskmanager.memory.managed.size balances the fixed total so network keeps %lld bytes",
					 (long long)out->before_tm.l.network))
					goto oom;
			}
		}
		fm_tm_result_release(&t2);
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
