/* netbuf — network buffer demand of a job (from a job plan) against the
 * supply of a TaskManager layout, per Flink release, and the smallest
 * network setting that makes the demand fit (re-derived by the engine).
 *
 * Owns: the job-plan reader (Flink's REST /jobs/:id/plan JSON and the small
 * format of docs/job-plan.md, via jansson), the per-release "required
 * buffers" rules of the input gates and result partitions, the worst-case
 * co-location of subtasks on one TaskManager, and the network solver.
 * Does not own: the memory derivation (derive), the plan bookkeeping and
 * rendering (plan, cmd_plan). Pure; thread-safe. Units: buffers (memory
 * segments) and bytes. */
#ifndef FLINKMEM_NETBUF_H
#define FLINKMEM_NETBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/buf.h"
#include "flinkmem/conf.h"
#include "flinkmem/derive.h"
#include "flinkmem/diag.h"
#include "flinkmem/options.h"
#include "flinkmem/plan.h"

/* Exchange kind of an edge (Flink's ResultPartitionType families). */
typedef enum fm_nb_kind {
	FM_NB_PIPELINED = 0, /* PIPELINED, PIPELINED_BOUNDED, PIPELINED_APPROXIMATE (streaming) */
	FM_NB_BLOCKING,      /* BLOCKING, BLOCKING_PERSISTENT (batch) */
	FM_NB_HYBRID,        /* HYBRID_FULL, HYBRID_SELECTIVE (1.16+) */
} fm_nb_kind;

typedef struct fm_nb_vertex {
	char *id;
	char *name;          /* operator description; may equal id */
	int32_t parallelism; /* 1..32768 */
} fm_nb_vertex;

typedef struct fm_nb_edge {
	size_t from, to;     /* vertex indexes: producer -> consumer */
	fm_nb_kind kind;
	bool all_to_all;     /* false: POINTWISE (FORWARD, RESCALE) */
} fm_nb_edge;

typedef struct fm_job_plan {
	char *name;          /* job name or NULL */
	fm_nb_vertex *v;
	size_t nv;
	fm_nb_edge *e;
	size_t ne;
	bool rest_format;    /* read from Flink's REST plan JSON */
} fm_job_plan;

/* Caps that keep a hostile plan from exhausting memory. */
#define FM_NB_MAX_INPUT ((size_t)64 << 20)
#define FM_NB_MAX_VERTICES 65536
#define FM_NB_MAX_EDGES 262144
#define FM_NB_MAX_PARALLELISM 32768

/* Reads a job plan from data[0..len) (file names the input in errors).
 * FM_OK, or FM_ESYNTAX (not JSON), FM_EINVAL (JSON of the wrong shape),
 * FM_ETOOBIG, FM_ENOMEM, with d filled (line/col of the offending value,
 * key = the field). out is released and reset on failure. */
int fm_job_plan_parse(const char *data, size_t len, const char *file, fm_job_plan *out, fm_diag *d);

/* A synthetic plan for --parallelism P --all-to-all-edges K: a chain of
 * K + 1 vertices at parallelism P joined by K all-to-all edges of kind. */
int fm_job_plan_synthetic(int32_t parallelism, int32_t edges, fm_nb_kind kind, fm_job_plan *out);

void fm_job_plan_release(fm_job_plan *jp);

/* The buffer rules in force for a release and a config. */
typedef enum fm_nb_era {
	FM_NB_ERA_110,       /* 1.10: partition S, gate floating min 0 */
	FM_NB_ERA_111,       /* 1.11: partition S + 1, gate floating min 0 */
	FM_NB_ERA_112,       /* 1.12-1.16: gate floating min 1, sort-shuffle exists */
	FM_NB_ERA_117,       /* 1.17-1.20: required/expected per gate */
	FM_NB_ERA_2X,        /* 2.x: constants, hybrid minimums */
} fm_nb_era;

typedef struct fm_nb_rules {
	fm_nb_era era;
	int32_t buffers_per_channel;    /* exclusive per channel (2) */
	int32_t floating_per_gate;      /* 8 */
	int32_t required_per_gate_max;  /* 0 = unset (kind default) */
	int32_t sort_min_buffers;       /* 64 (1.12-1.14), 512 (1.15+) */
	int32_t sort_min_parallelism;   /* INT32_MAX (1.12-1.14), 1 (1.15+) */
	bool hybrid_exists;             /* 1.16+ */
	bool hybrid_tiered;             /* 1.19+ new mode (tiered storage) */
	int64_t segment;                /* taskmanager.memory.segment-size bytes */
} fm_nb_rules;

/* Rules for profile p with the config's overrides. FM_OK or FM_EINVAL
 * (d: the bad key's position). */
int fm_nb_rules_for(const fm_conf *c, const fm_profile *p, fm_nb_rules *r, fm_diag *d);

/* Required buffers of one input gate with `channels` channels; local: all
 * channels local to the TaskManager (no exclusive buffers where the
 * release takes them from the global pool only for remote channels). */
int64_t fm_nb_gate_required(const fm_nb_rules *r, fm_nb_kind kind, int64_t channels, bool local);
/* Required buffers of one result partition with `subpartitions`. */
int64_t fm_nb_partition_required(const fm_nb_rules *r, fm_nb_kind kind, int64_t subpartitions);

typedef struct fm_nb_vertex_demand {
	int64_t inputs, outputs;  /* required buffers per subtask */
	int64_t on_tm;            /* subtasks of this vertex on the worst TaskManager */
} fm_nb_vertex_demand;

typedef struct fm_nb_demand {
	int64_t per_tm;           /* required buffers on the worst TaskManager */
	int64_t taskmanagers;     /* TaskManagers the job occupies */
	int32_t slots;
	bool slot_sharing;
	bool local_only;          /* one TaskManager: every channel is local */
	fm_nb_vertex_demand *v;   /* per vertex, same order as the plan */
	size_t nv;
} fm_nb_demand;

/* Worst-case demand on one TaskManager with `slots` slots. With slot
 * sharing a slot holds one subtask of every vertex (min(slots, P) per
 * vertex per TaskManager); without it, the `slots` most demanding subtasks. */
int fm_nb_demand_compute(const fm_job_plan *jp, const fm_nb_rules *r, int32_t slots, bool slot_sharing,
			 fm_nb_demand *out);
void fm_nb_demand_release(fm_nb_demand *d);

/* Buffers a layout provides: floor(network / segment). */
int64_t fm_nb_supply(const fm_tm_layout *l, int64_t segment);

typedef struct fm_nb_result {
	fm_nb_rules rules;
	fm_nb_demand demand;
	int64_t supply_before;    /* -1 when Flink rejects the config */
	int64_t supply_after;     /* -1 when Flink rejects the planned config */
	int64_t need_bytes;       /* demand x segment */
	fm_plan plan;             /* before/after, changes (network min/max), notes */
	char fraction[24];        /* smallest network fraction that fits ("" none) */
	int64_t fraction_network; /* network bytes under that fraction */
	int64_t container_needed; /* > 0: process size the demand needs when the pin is too small */
	bool fits_before, feasible;
	bool grew_process;        /* no pin: the plan raised the process size to container_needed */
} fm_nb_result;

/* Demand vs supply and the smallest network.min (and .max when needed)
 * that makes the demand fit; container_bytes > 0 pins the process size,
 * otherwise a process too small for the demand is grown to the smallest
 * size that holds it (MiB steps, each candidate re-derived).
 * slots <= 0: from the config (taskmanager.numberOfTaskSlots, default 1).
 * FM_OK (see out->feasible), FM_EINVAL (bad network keys, d filled) or
 * FM_ENOMEM. */
int fm_nb_solve(const fm_conf *c, const fm_profile *p, const fm_derive_env *env, const fm_job_plan *jp, int32_t slots,
		bool slot_sharing, int64_t container_bytes, fm_nb_result *out, fm_diag *d);
void fm_nb_result_release(fm_nb_result *r);

/* The report of a solve: a text section (appended to t) and a JSON member
 * `,"networkBuffers":{...}` to splice into the plan object (appended to
 * j). source names the job in the text; preset: the layout came from a
 * preset (wording). FM_OK or FM_ENOMEM. */
int fm_nb_render(const fm_nb_result *r, const fm_job_plan *jp, const char *source, const fm_profile *p, bool preset,
		 fm_buf *t, fm_buf *j);

const char *fm_nb_kind_name(fm_nb_kind k);
const char *fm_nb_era_name(fm_nb_era e);

#endif
