/* plan — what-if and goal-seek over the derivation engine. Every layout a
 * plan shows comes from fm_derive_* on the changed config, so no plan is
 * ever proposed that Flink would reject. Pure; thread-safe. */
#ifndef FLINKMEM_PLAN_H
#define FLINKMEM_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/conf.h"
#include "flinkmem/derive.h"
#include "flinkmem/options.h"

typedef struct fm_change {
	char *key;
	char *from; /* NULL: was not set */
	char *to;   /* NULL: removed */
	const char *where; /* static; NULL: the key itself, else where the value is written
			      instead (a FlinkDeployment's spec.taskManager.resource.memory) */
} fm_change;

/* A goal: component OP bytes, e.g. task-heap>=2g. */
typedef enum fm_goal_op { FM_GOAL_EQ, FM_GOAL_GE, FM_GOAL_LE } fm_goal_op;
typedef struct fm_goal {
	const char *component; /* task-heap managed network metaspace jm-heap framework-heap
				  framework-off-heap task-off-heap overhead jm-metaspace jm-off-heap */
	fm_goal_op op;
	int64_t bytes;
} fm_goal;

/* Parses "task-heap>=2g" / "managed=1g" / "network<=512m". 0 or -1 (*why set). */
int fm_goal_parse(const char *s, fm_goal *g, char **why);

typedef struct fm_plan {
	fm_tm_result before_tm, after_tm;
	fm_jm_result before_jm, after_jm;
	fm_change *changes;
	size_t nchanges;
	char **notes;        /* why components moved, what comes next */
	size_t nnotes;
	bool feasible;       /* goal-seek: all goals met by a config Flink accepts,
				every component's health floor kept (health.h) and
				no new error or warning from `check` */
	fm_conf *after;      /* the changed config (owned) */
	int64_t smallest_process; /* pinned and infeasible: the smallest TM process
				     size meeting the goals and every floor (0: none) */
	unsigned search_derivations; /* derivations the size search took */
} fm_plan;

/* What-if: apply key=value edits (value NULL = remove). */
int fm_plan_whatif(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const char *const *keys,
		   const char *const *values, size_t n, fm_plan *out);

/* The same, where the npinned keys in pinned stay as c has them unless an
 * edit names them: a FlinkDeployment's process sizes, which the operator
 * sets from spec.*.resource.memory whatever else the config says, are
 * never dropped as made redundant by the other total. */
int fm_plan_whatif_pinned(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const char *const *keys,
			  const char *const *values, size_t n, const char *const *pinned, size_t npinned,
			  fm_plan *out);

/* Goal-seek: the smallest change set meeting every goal and keeping every
 * component the goals do not name at or above its health floor;
 * container_bytes > 0 pins the process sizes (TM; JM when a jm-* goal is
 * given too). Without a pin, a total size the config sets grows to the
 * smallest whole MiB that meets goals and floors (gallop, then bisect; the
 * upper bound comes from the goals). Keys the change makes redundant are
 * removed in the same change set. */
int fm_plan_goals(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_goal *goals, size_t n,
		  int64_t container_bytes, fm_plan *out);

/* Brings a plan's result (a fix computed elsewhere) up to the health
 * floors without touching the components it sets by key: removes keys the
 * change made redundant, grows the total size the config sets to the
 * smallest whole MiB that keeps every floor (grow; otherwise the size
 * stays), and takes `check`'s own fixes for new findings when they keep
 * that. before: the config the plan started from (for "new" findings).
 * pl->feasible says whether the result is healthy and check-clean.
 * FM_OK or FM_ENOMEM. */
int fm_plan_heal(fm_plan *pl, const fm_conf *before, const fm_profile *p, const fm_derive_env *env, bool grow);

/* A plan of first's changes followed by second's, re-derived against c
 * (so every key is listed against the original config); the notes that say
 * why a key is set are kept from both. FM_OK or FM_ENOMEM. */
int fm_plan_combine(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_plan *first,
		    const fm_plan *second, fm_plan *out);

void fm_plan_release(fm_plan *pl);

/* Bytes of a named component in a layout; -1 when unknown name. */
int64_t fm_component_bytes(const char *component, const fm_tm_layout *tm, const fm_jm_layout *jm);

/* A small change list kept in caller-owned parallel arrays (keys static,
 * values owned; NULL value = remove the key): sets k to a copy of v,
 * replacing an earlier entry for k. FM_OK, FM_ENOMEM, or FM_EINVAL when
 * all cap slots are taken. Shared by the network-buffer solver and the
 * presets. */
int fm_kv_put(const char **keys, char **vals, size_t *n, size_t cap, const char *k, const char *v);

#endif
