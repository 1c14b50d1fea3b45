/* remedy — the fix for one incident, computed on a layout (the given
 * config, else the layout recovered from the log, else Flink's shipped
 * defaults): which keys to change and to what, the before/after layouts
 * re-derived by the engine (fm_plan_whatif), what shrinks instead when the
 * process size must stay as it is, and the failure most likely to come
 * next. Nothing is proposed that Flink would reject: a change that fails
 * derivation is reported as such. Pure; thread-safe. */
#ifndef FLINKMEM_REMEDY_H
#define FLINKMEM_REMEDY_H

#include <stdbool.h>
#include <stddef.h>

#include "flinkmem/conf.h"
#include "flinkmem/incidents.h"
#include "flinkmem/logconf.h"
#include "flinkmem/options.h"
#include "flinkmem/plan.h"

typedef struct fm_remedy {
	char *explanation;      /* what happened and why, with the numbers */
	bool has_fix;
	fm_plan fix;            /* proposed change (grows the process where needed) */
	bool has_pinned;
	fm_plan pinned;         /* the same need met inside the current process size */
	bool jm;                /* the layouts are the JobManager's */
	bool fix_ok, pinned_ok; /* Flink accepts the changed config (the side that matters) */
	bool from_empty;        /* config-invalid: the fix starts from an empty config */
	char **changes_extra;   /* non-Flink or non-derivable advice "key: value (where)" */
	size_t nextra;
	char **notes;           /* caveats, what comes next */
	size_t nnotes;
} fm_remedy;

/* base: the config the layout comes from (never NULL; see above); user: the
 * config the user gave (-c), NULL when none (config-invalid runs the check
 * rules on it). */
int fm_remedy_for(const fm_incident *inc, const fm_analysis *a, const fm_recovered *rec, const fm_conf *base,
		  const fm_conf *user, const fm_profile *p, fm_remedy *out);
void fm_remedy_release(fm_remedy *r);
#endif
