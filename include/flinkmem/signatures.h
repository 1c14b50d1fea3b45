/* signatures — the data-driven table of what a log line means for Flink
 * memory: for each signature the scanner pattern, the failure kind it
 * signals, which process it points at, its role (a root-cause candidate,
 * a secondary symptom, layout/context information, or a look-alike that is
 * NOT a memory failure) and the config keys that fix it. Covers
 * shared/knowledge/signatures.tsv plus JDK variants and look-alikes.
 * Static data; thread-safe. */
#ifndef FLINKMEM_SIGNATURES_H
#define FLINKMEM_SIGNATURES_H

#include <stdbool.h>
#include <stddef.h>

#include "flinkmem/scan.h"

/* Failure kinds: DESIGN §4 vocabulary (fm_failure_name gives the JSON name). */
typedef enum fm_failure {
	FM_F_NONE = 0,
	FM_F_HEAP,
	FM_F_GC_OVERHEAD,
	FM_F_DIRECT,
	FM_F_METASPACE,
	FM_F_NETWORK,
	FM_F_MANAGED,
	FM_F_ROCKSDB,
	FM_F_NATIVE_THREAD,
	FM_F_K8S,
	FM_F_YARN,
	FM_F_CONFIG,
	FM_F_NATIVE_MEMORY, /* the JVM's own malloc/mmap failures, hs_err (kept last: order is output order) */
	FM_F_COUNT
} fm_failure;

/* What a matching line is. */
typedef enum fm_sig_role {
	FM_ROLE_PRIMARY = 0, /* a memory failure: a root-cause candidate */
	FM_ROLE_FATAL,       /* the process exits (wrapper/exit code): follows a cause */
	FM_ROLE_SECONDARY,   /* a symptom of a peer's death or a stall */
	FM_ROLE_INFO,        /* context: restarts, leak hints, RocksDB budget */
	FM_ROLE_LAYOUT,      /* the effective memory layout (logconf) */
	FM_ROLE_CONTEXT,     /* which process / pod / version this input is */
	FM_ROLE_NEGATIVE,    /* a look-alike that is not a memory failure */
} fm_sig_role;

/* Which process the line points at. */
typedef enum fm_proc_hint {
	FM_PH_ANY = 0, /* the process whose log it is (header, thread names) */
	FM_PH_TM,      /* always a TaskManager */
	FM_PH_JM,      /* always the JobManager */
	FM_PH_PEER,    /* another process named in the line (a TM pod / container) */
	/* processes outside the cluster (DESIGN §3): never a TM/JM root cause */
	FM_PH_CLIENT,      /* CliFrontend, RestClusterClient, SQL client, PyFlink driver */
	FM_PH_SQL_GATEWAY, /* the SQL gateway */
	FM_PH_HISTORY,     /* the history server */
	FM_PH_JOB_SERVER,  /* Beam's Flink job server */
	FM_PH_OPERATOR,    /* the Flink Kubernetes operator */
	FM_PH_SUBMITTER,   /* a job-submitter pod or job */
	FM_PH_OTHER,       /* another system's process (Spark, Kafka broker, ...): not Flink */
} fm_proc_hint;

typedef struct fm_sig {
	const char *id;
	const char *expr;     /* scanner expression (see scan.h) */
	bool regex;
	bool icase;
	fm_failure failure;   /* FM_F_NONE for non-failure roles */
	fm_sig_role role;
	fm_proc_hint proc;
	const char *anchor;   /* numbers are read after this text (NULL: none) */
	const char *fix_keys; /* comma-separated keys, or a parenthesised hint */
	const char *what;     /* one line, our words */
} fm_sig;

/* The table, and the scanner patterns in the same order (static). */
const fm_sig *fm_signatures(size_t *n);
const fm_pattern *fm_signature_patterns(size_t *n);
/* Index of a signature id, or -1. */
int fm_signature_find(const char *id);
const char *fm_failure_name(fm_failure f);
#endif
