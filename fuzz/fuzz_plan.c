/* fuzz_plan — `plan` end to end on arbitrary configs and goals. Header
 * bytes: [0] format (legacy flink-conf.yaml or config.yaml) and what to
 * run, [1] the release profile, [2] a container pin, [3] the number of
 * goals, then three bytes per goal (component, comparison, size; sizes
 * from a byte up past 1 TiB to Long.MAX_VALUE and beyond, built as text
 * and read by fm_goal_parse like --want), then two what-if edits (key,
 * value) of two bytes each; the rest is the file.
 *
 * Invariants (abort on violation; UBSan aborts on signed overflow):
 *  - fm_plan_goals: a plan reported feasible re-derives (TM, and the JM
 *    unless the release does not compute it or Flink rejected it before
 *    and no goal names it) to layouts that meet every
 *    goal, keep every health floor the goals do not exempt, and pass our
 *    own check with no error or warning new against the input config;
 *    an infeasible plan says why (a note);
 *  - fm_plan_whatif: the plan's after layouts are what the changed config
 *    derives to; fm_plan_heal on it: a feasible result derives, keeps the
 *    floors of every component it does not set by key and passes check
 *    with no error or warning new against the input;
 *  - everything is freed (LeakSanitizer). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/conf_flat.h"
#include "flinkmem/derive.h"
#include "flinkmem/health.h"
#include "flinkmem/lint.h"
#include "flinkmem/plan.h"
#include "flinkmem/sources.h"


#define HDR 4
#define NGOAL_MAX 3

static const char *const COMPONENTS[] = {"task-heap", "managed", "network", "metaspace", "jm-heap", "framework-heap",
					 "framework-off-heap", "task-off-heap", "overhead", "jm-metaspace",
					 "jm-off-heap", "jm-overhead", "heap", ""};
static const char *const OPS[] = {">=", "<=", "=", ">", "=="};
static const char *const UNITS[] = {"b", "k", "m", "g", "t", "mb", "gb", "tb", "kb", "", "p", "Gi"};
/* sizes past the everyday ones: 1 TiB and up to and past Long.MAX_VALUE */
static const char *const HUGE[] = {"1t", "1025g", "8191t", "9223372036854775807b", "9223372036854775808",
				   "8388607t", "18446744073709551615", "0", "-1m", "1e3m", "0.5g", "4096p"};

/* A size as text from one byte: mostly 1..64 of a unit, sometimes huge. */
static void size_text(char *out, size_t cap, uint8_t b)
{
	if (b >= 224)
		snprintf(out, cap, "%s", HUGE[(b - 224) % (sizeof HUGE / sizeof HUGE[0])]);
	else
		snprintf(out, cap, "%u%s", (unsigned)(b % 32) * ((b & 32) ? 64u : 1u) + 1u,
			 UNITS[(b >> 6) + (b & 3) * 3 < 12 ? (b >> 6) + (b & 3) * 3 : 2]);
}

static const char *const EDIT_KEYS[] = {
	"taskmanager.memory.process.size", "taskmanager.memory.flink.size", "taskmanager.memory.task.heap.size",
	"taskmanager.memory.managed.size", "taskmanager.memory.managed.fraction", "taskmanager.memory.network.min",
	"taskmanager.memory.network.max", "taskmanager.memory.jvm-overhead.min", "taskmanager.memory.jvm-metaspace.size",
	"jobmanager.memory.process.size", "jobmanager.memory.heap.size", "taskmanager.numberOfTaskSlots",
	"state.backend.type", "jobmanager.memory.flink.size", "taskmanager.memory.task.off-heap.size",
	"taskmanager.memory.framework.heap.size"};

static bool derived_tm(const fm_plan *pl)
{
	return pl->after_tm.outcome == FM_DERIVED;
}

/* The after config of pl re-derives to pl's after layouts. */
static void check_rederive(const fm_plan *pl, const fm_profile *p, const fm_derive_env *env)
{
	fm_tm_result tm;
	fm_jm_result jm;
	if (fm_derive_tm(pl->after, p, env, &tm) != FM_OK)
		return;
	if (fm_derive_jm(pl->after, p, env, &jm) != FM_OK) {
		fm_tm_result_release(&tm);
		return;
	}
	CHECK(tm.outcome == pl->after_tm.outcome && jm.outcome == pl->after_jm.outcome);
	if (tm.outcome == FM_DERIVED)
		CHECK(tm.l.total_process == pl->after_tm.l.total_process && tm.l.task_heap == pl->after_tm.l.task_heap &&
		      tm.l.managed == pl->after_tm.l.managed && tm.l.network == pl->after_tm.l.network);
	if (jm.outcome == FM_DERIVED)
		CHECK(jm.l.total_process == pl->after_jm.l.total_process && jm.l.jvm_heap == pl->after_jm.l.jvm_heap);
	fm_tm_result_release(&tm);
	fm_jm_result_release(&jm);
}

/* No error or warning of check on after is new against before. */
static void check_clean(const fm_conf *after, const fm_conf *before, const fm_profile *p, const fm_derive_env *env)
{
	fm_findings bad;
	if (fm_health_lint(after, before, p, env, 0, &bad) != FM_OK)
		return;
	CHECK(bad.n == 0);
	fm_findings_release(&bad);
}

static const fm_tm_layout *tm_of(const fm_plan *pl)
{
	return pl->after_tm.outcome == FM_DERIVED ? &pl->after_tm.l : NULL;
}

static const fm_jm_layout *jm_of(const fm_plan *pl)
{
	return pl->after_jm.outcome == FM_DERIVED ? &pl->after_jm.l : NULL;
}

static void check_goals_plan(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals,
			     size_t n, int64_t pin)
{
	fm_plan pl;
	if (fm_plan_goals(c, p, env, goals, n, pin, &pl) != FM_OK)
		return;
	check_rederive(&pl, p, env);
	if (pl.feasible) {
		/* a JobManager Flink rejected before stays the user's business
		 * when no goal names it */
		bool any_jm = false;
		for (size_t i = 0; i < n; i++)
			any_jm = any_jm || strncmp(goals[i].component, "jm-", 3) == 0;
		CHECK(derived_tm(&pl) && (pl.after_jm.outcome != FM_FLINK_ERROR ||
					  (!any_jm && pl.before_jm.outcome == FM_FLINK_ERROR)));
		for (size_t i = 0; i < n; i++) {
			int64_t have = fm_component_bytes(goals[i].component, tm_of(&pl), jm_of(&pl));
			CHECK(have >= 0);
			CHECK(goals[i].op == FM_GOAL_GE ? have >= goals[i].bytes
			      : goals[i].op == FM_GOAL_LE ? have <= goals[i].bytes
							 : have == goals[i].bytes);
		}
		bool any_tm = false;
		for (size_t i = 0; i < n; i++)
			any_tm = any_tm || strncmp(goals[i].component, "jm-", 3) != 0;
		if (pin > 0 && any_tm)
			CHECK(pl.after_tm.l.total_process == pin);
		/* the floors plan keeps: the input config's, = and <= goals exempt */
		fm_floors fl;
		fm_health_floors(c, p, &fl);
		const char *skip[NGOAL_MAX];
		size_t nskip = 0;
		for (size_t i = 0; i < n; i++)
			if (goals[i].op != FM_GOAL_GE)
				skip[nskip++] = goals[i].component;
		CHECK(!fm_health_violation(&fl, tm_of(&pl), jm_of(&pl), skip, nskip, NULL));
		check_clean(pl.after, c, p, env);
	} else {
		CHECK(pl.nnotes > 0);
	}
	fm_plan_release(&pl);
}

static void check_whatif_heal(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const char *const *keys,
			      const char *const *vals, size_t n, bool grow)
{
	fm_plan pl;
	if (fm_plan_whatif(c, p, env, keys, vals, n, &pl) != FM_OK)
		return;
	check_rederive(&pl, p, env);
	if (fm_plan_heal(&pl, c, p, env, grow) == FM_OK) {
		check_rederive(&pl, p, env);
		if (pl.feasible) {
			CHECK(derived_tm(&pl) || pl.before_tm.outcome != FM_DERIVED);
			fm_floors fl;
			fm_health_floors(pl.after, p, &fl);
			const char *skip[16];
			size_t nskip = fm_health_user_set(pl.after, skip, 16);
			CHECK(!fm_health_violation(&fl, tm_of(&pl), jm_of(&pl), skip, nskip, NULL));
			check_clean(pl.after, c, p, env);
		}
	}
	fm_plan_release(&pl);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < HDR)
		return 0;
	size_t np = 0;
	while (fm_profiles[np])
		np++;
	int fmt = data[0] & 1;
	int mode = (data[0] >> 1) % 3; /* 0 goals, 1 what-if + heal, 2 both */
	const fm_profile *p = fm_profiles[data[1] % np];
	char pin_text[48] = "";
	int64_t pin = 0;
	if (data[2] & 1) {
		size_text(pin_text, sizeof pin_text, data[2]);
		fm_jexc je = {NULL, NULL};
		if (fm_size_parse(pin_text, strlen(pin_text), &pin, &je) != 0)
			pin = 0;
		fm_jexc_release(&je);
	}
	size_t ngoals = data[3] % (NGOAL_MAX + 1);
	size_t off = HDR;
	if (size < off + 3 * ngoals + 4)
		return 0;
	fm_goal goals[NGOAL_MAX];
	size_t n = 0;
	for (size_t i = 0; i < ngoals; i++, off += 3) {
		char s[96], sz[48];
		size_text(sz, sizeof sz, data[off + 2]);
		snprintf(s, sizeof s, "%s%s%s", COMPONENTS[data[off] % (sizeof COMPONENTS / sizeof COMPONENTS[0])],
			 OPS[data[off + 1] % (sizeof OPS / sizeof OPS[0])], sz);
		char *why = NULL;
		if (fm_goal_parse(s, &goals[n], &why) == 0) {
			CHECK(why == NULL && goals[n].bytes >= 0);
			n++;
		} else {
			CHECK(why != NULL);
			free(why);
		}
	}
	const char *keys[2];
	char vbuf[2][48];
	const char *vals[2];
	for (size_t i = 0; i < 2; i++, off += 2) {
		keys[i] = EDIT_KEYS[data[off] % (sizeof EDIT_KEYS / sizeof EDIT_KEYS[0])];
		size_text(vbuf[i], sizeof vbuf[i], data[off + 1]);
		vals[i] = data[off + 1] == 0 ? NULL : vbuf[i];
	}
	/* an exact-size copy: no terminator the readers could lean on */
	size_t len = size - off;
	char *text = malloc(len ? len : 1);
	if (!text)
		return 0;
	if (len)
		memcpy(text, data + off, len);
	fm_diag d = FM_DIAG_INIT;
	fm_conf *c = fm_conf_new();
	int rc = !c ? FM_ENOMEM
	     : fmt == 0 ? fm_conf_load_flat(c, "fuzz.yaml", text, len, p, NULL, &d)
			: fm_conf_load_text(c, FM_FMT_YAML, "fuzz.yaml", text, len, p, NULL, &d);
	if (rc == FM_OK) {
		static const fm_derive_env env = {NULL, NULL};
		if (mode != 1)
			check_goals_plan(c, p, &env, goals, n, pin);
		if (mode != 0)
			check_whatif_heal(c, p, &env, keys, vals, 2, (data[0] >> 3) & 1);
	}
	fm_conf_free(c);
	fm_diag_release(&d);
	free(text);
	return 0;
}
