/* presets — named memory setups from Flink's sizing advice (streaming with
 * RocksDB, batch with sorts and joins, containerized, standalone), turned
 * into key changes computed for a container size and checked by running
 * the derivation on the result (a what-if plan). Reasoning and sources:
 * docs/presets.md. Pure; thread-safe. */
#ifndef FLINKMEM_PRESETS_H
#define FLINKMEM_PRESETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/conf.h"
#include "flinkmem/derive.h"
#include "flinkmem/diag.h"
#include "flinkmem/options.h"
#include "flinkmem/plan.h"

typedef struct fm_preset_info {
	const char *name;
	const char *summary;
	bool needs_container;  /* the size is what the preset is computed from */
} fm_preset_info;

/* The presets, in a stable order. */
const fm_preset_info *fm_presets(size_t *n);

/* Plans preset `name` on config c: container_bytes > 0 is the container /
 * machine budget (required where needs_container). The plan's notes say
 * why each key is set. FM_OK (out filled; out->feasible says whether Flink
 * accepts the result), FM_EUSAGE (unknown preset or missing size, d
 * filled) or FM_ENOMEM. */
int fm_preset_plan(const char *name, const fm_conf *c, const fm_profile *p, const fm_derive_env *env,
		   int64_t container_bytes, fm_plan *out, fm_diag *d);

#endif
