/* logconf — recovers the memory layout a Flink process really ran with from
 * its own log, so diagnose needs no config: the "Final TaskExecutor/Master
 * Memory configuration" block, the JVM Options (a user flag after Flink's
 * wins: the last occurrence is effective), the -D program arguments /
 * dynamic_configs, "Loading configuration property" lines, the network
 * pool line and the resource manager's worker spec. The result is an
 * fm_conf per side that fm_derive_* turns back into the same layout, plus
 * notes about JVM flags that override Flink's computed ones.
 * Not thread-safe per object; memory is bounded by the number of keys. */
#ifndef FLINKMEM_LOGCONF_H
#define FLINKMEM_LOGCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/conf.h"
#include "flinkmem/derive.h"
#include "flinkmem/events.h"
#include "flinkmem/options.h"
#include "flinkmem/signatures.h"

typedef struct fm_logconf fm_logconf;
fm_logconf *fm_logconf_new(void);
void fm_logconf_free(fm_logconf *lc); /* accepts NULL */

/* Feeds one layout/info line of input `input` whose process is `proc` as
 * far as known (FM_PROC_UNKNOWN: decided later by fm_logconf_result's
 * procs argument). Lines of one input in order. FM_OK or FM_ENOMEM. */
int fm_logconf_feed(fm_logconf *lc, uint32_t input, const char *input_name, const fm_sig *s, const char *text,
		    size_t len, uint64_t line);

typedef struct fm_recovered {
	fm_conf *tm, *jm;          /* NULL when nothing was recovered for that side */
	/* the side's memory keys as the process loaded them from its config
	 * ("Loading configuration property"), NULL when none: fixes start from
	 * these when they give the same layout as tm/jm (the user's own keys,
	 * not the derived pins) */
	fm_conf *tm_loaded, *jm_loaded;
	char *tm_loaded_from, *jm_loaded_from;
	char *tm_from, *jm_from;   /* "file:line (what)" */
	/* effective JVM flags when a later flag overrides Flink's: -1 none */
	int64_t tm_xmx_override, tm_direct_override, tm_meta_override;
	int64_t tm_flink_xmx, tm_flink_direct, tm_flink_meta;
	int64_t jm_xmx;            /* a JobManager's effective -Xmx (its last one); -1 */
	int64_t net_pool_bytes;    /* "Allocated N MB for network buffer pool": segments x size; -1 */
	int64_t segment_size;      /* -1 unknown */
	bool rocksdb_backend;      /* state.backend(.type) rocksdb (or forst) loaded */
	bool forst_backend;        /* ... forst (Flink 2.x): its keys are state.backend.forst.* */
	bool rocksdb_unmanaged;    /* the backend's memory.managed: false loaded */
	char **notes;
	size_t nnotes;
} fm_recovered;

/* Builds the result; procs[i] is the process of input i (from incidents). */
int fm_logconf_result(fm_logconf *lc, const fm_process *procs, size_t nprocs, fm_recovered *out);
void fm_recovered_release(fm_recovered *r);

/* Parses a JVM size flag value ("536870902", "512m", "1g"); -1 if bad. */
int64_t fm_jvm_size(const char *s, size_t n);
/* The size key holds in c, in bytes by Flink's grammar; -1 when absent or
 * not a size. */
int64_t fm_conf_bytes(const fm_conf *c, const char *key);

#endif
