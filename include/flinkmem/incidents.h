/* incidents — from a stream of events to incidents: groups events by
 * failure kind, process (TaskManager vs JobManager, from the log header,
 * hint texts, thread/task names, pod labels and names) and instance (pod,
 * container, input), picks the root cause by time and separates the
 * aftermath (heartbeat timeouts, lost peers, fatal exits) from it. Drops
 * look-alikes (a native "insufficient memory" caused by a permission
 * error) and turns secondary symptoms without memory evidence into
 * "not a memory failure" notes. Memory stays bounded: per group only the
 * first FM_EVIDENCE_MAX lines are kept, the rest are counted.
 * Incidents are grouped by failure kind and process, not by instance: a
 * log of 20,000 killed YARN containers is one incident whose instances
 * (containers, pods, input files) are listed compactly (the first
 * FM_INSTANCES_MAX by where they were first seen, each with its count and
 * first/last line) and counted, so one fix serves them all.
 * Not thread-safe per object. */
#ifndef FLINKMEM_INCIDENTS_H
#define FLINKMEM_INCIDENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/events.h"

#define FM_EVIDENCE_MAX 6
#define FM_INSTANCES_MAX 32          /* instances listed per incident */
#define FM_INSTANCES_COUNT_MAX 262144 /* distinct instances counted, in all (then "at least") */

#define FM_SIDECARS_MAX 8
#define FM_LITERALS_MAX 64

typedef enum fm_platform { FM_PLAT_UNKNOWN = 0, FM_PLAT_K8S, FM_PLAT_YARN } fm_platform;

typedef struct fm_evidence {
	uint32_t input;   /* index into fm_analysis.inputs */
	uint64_t line;
	char time[24];
	const char *sig;  /* signature id (static) */
	char *text;       /* escaped line text */
} fm_evidence;

/* One instance of an incident: a pod, container or input file. */
typedef struct fm_instance {
	char *name;
	size_t count;        /* matching lines */
	uint32_t first_input, last_input;
	uint64_t first_line, last_line;
	char first_time[24], last_time[24];
} fm_instance;

typedef struct fm_incident {
	fm_failure failure;
	fm_process proc;
	bool proc_assumed;   /* no evidence said which process: TaskManager assumed */
	bool aftermath;      /* follows the root cause */
	char *instance;      /* the first instance's name (pod / container / input) */
	fm_instance *inst;   /* up to FM_INSTANCES_MAX, by where first seen */
	size_t ninst;
	size_t inst_total;   /* distinct instances */
	bool inst_capped;    /* more than FM_INSTANCES_COUNT_MAX: inst_total is a lower bound */
	uint32_t input;      /* where it was first seen */
	uint64_t line;
	int64_t time_ms;     /* -1 unknown */
	char time[24];
	size_t count;        /* matching lines */
	fm_evidence *ev;
	size_t nev;
	const fm_sig *sig;   /* first signature */
	int64_t num[FM_EVENT_NUMS]; /* numbers of the first event that carried some */
	size_t nnum;
	bool netty_shaded;   /* Flink's shaded Netty in the evidence */
	bool array_limit;    /* "Requested array size exceeds VM limit" */
	bool vmem;           /* YARN virtual-memory kill */
	int64_t container_limit; /* the limit a YARN kill or a memory-cgroup OOM kill
				  * names, bytes; 0 unknown */
	int64_t evict_request, evict_usage; /* an eviction's request and usage, bytes; 0 unknown */
	int64_t victim_rss;  /* a kernel OOM kill's victim's resident size, bytes; 0 unknown */
	char victim[16];     /* a kernel OOM kill's victim command; "" unknown */
	bool node_level;     /* node OOM / eviction, not the container limit */
	bool evicted;        /* a kubelet eviction (node low on memory), not a cgroup OOM kill */
	bool outside;        /* a process outside the cluster or not Flink's: never the root cause */
	bool sidecar;        /* ... a sidecar container of a Flink pod (its own block in the description) */
	bool from_peer_view; /* seen only in another process's log */
	const char *secondary_sig; /* aftermath: what the symptom is */
} fm_incident;

/* source lines from..to of an input, inclusive */
typedef struct fm_line_range {
	uint64_t from, to;
} fm_line_range;

typedef struct fm_input_info {
	char *name;
	fm_process proc;
	bool proc_default;   /* proc is only the document's default (REST job exceptions are
			      * task failures): frames below an error may name another */
	fm_platform platform;
	char *instance;      /* pod name from describe/pod JSON; NULL */
	char *version;       /* Flink version from the header; NULL */
	fm_process cue_proc;  /* internal: the process a recent line named (task failure, */
	uint64_t cue_line;    /* AM container, fatal thread): the stack trace below is its */
	fm_process frame_proc;   /* internal: a process-only frame and its line: the */
	uint64_t frame_line;     /* "Caused by:" below it in the trace ran there too */
	uint64_t frame_time_line;
	uint64_t other_line;      /* internal: another system's log line (its logger): an */
	uint64_t other_time_line; /* error on it or below it, before the next timestamp, is its */
	fm_process tail_proc;    /* internal: a YARN container's stderr tail quoted in its */
	uint64_t tail_line;      /* diagnostics: untimestamped lines below it are that */
	uint64_t tail_time_line; /* container's output */
	uint64_t lines_seen; /* highest line number reported */
	uint64_t dedupe_line;/* internal: one event per (line, failure kind) */
	bool flink_seen;     /* something in this input is Flink's (logger, class, header, label) */
	bool other_seen;     /* another system's process (Spark, Kafka broker, ...) */
	bool prose_only;     /* no program output at all: a person's description */
	int64_t last_time_ms;/* internal: the latest timestamp seen and its line */
	uint64_t last_time_line;
	char last_time[24];
	char last_time_src[FM_PEER_MAX]; /* internal: its log gutter's container */
	char last_peer[FM_PEER_MAX]; /* internal: YARN prints a container's exit code */
	uint64_t last_peer_line;     /* and diagnostics on the lines after its id */
	uint64_t wrap_line;          /* internal: the latest memory error line, its */
	uint64_t wrap_time_line;     /* log line (timestamp) and group: a "Caused by:" */
	size_t wrap_group;           /* below it in the same trace is deeper */
	unsigned dedupe_mask;
	int64_t memcg_limit;         /* internal: the memory cgroup limit the kernel
				      * printed at an OOM kill; -1 when two differ */
	/* internal: the first line saying why a pod ended and that it was not
	 * memory (a disk eviction, a container the kubelet lost), and its
	 * words; 0/NULL: none */
	uint64_t nonmem_end_line;
	const char *nonmem_end_what;
	bool nonmem_explained;       /* internal: an exit 137 it explains was dropped */
	/* internal: the YARN container whose memory cgroup the kernel's OOM
	 * report names (Hadoop's strict cgroups memory enforcement:
	 * "oom_memcg=/hadoop-yarn/CONTAINER"), "" when none */
	char yarn_memcg[FM_PEER_MAX];
	/* internal: a Flink cluster id the input's TaskManager pod names show
	 * ("<id>-taskmanager-<attempt>-<n>"): its JobManager's pods are the
	 * Deployment's "<id>-<hash>-<hash>"; "" when none */
	char cluster_id[FM_PEER_MAX];
	/* internal: a pod description's containers not Flink's (sidecars), as
	 * line ranges, when one of its containers is Flink's */
	fm_line_range sidecar[FM_SIDECARS_MAX];
	size_t nsidecar;
	/* internal: source lines inside string literals of pasted code
	 * (codelit.h): data the code carries, never a run's output */
	fm_line_range *literal; /* (allocated: most inputs have none) */
	size_t nliteral;
} fm_input_info;

typedef struct fm_analysis {
	fm_incident *v;      /* roots first (root cause at [root]), then aftermath */
	size_t n;
	int root;            /* index of the root cause, -1 when none */
	char **notes;        /* "not a memory failure" and other remarks */
	size_t nnotes;
	fm_input_info *inputs;
	size_t ninputs;
	const char *flink_version; /* first header version (points into inputs) */
	size_t restarts, submissions, leak_hints;
	int rocksdb_managed; /* -1 not seen, 0 managed=false, 1 managed */
	bool forst;          /* ... said by ForSt (Flink 2.x), RocksDB's fork: its own keys */
	bool local_cluster;  /* a local MiniCluster ran the job in the user's own JVM */
	bool net_usage_high;
	size_t legacy_keys;  /* lines naming keys of the memory model before 1.10 */
	int64_t yarn_max_mb; /* YARN's largest container from a refusal, 0 when unknown */
} fm_analysis;

typedef struct fm_collector fm_collector;
fm_collector *fm_collector_new(void);
void fm_collector_free(fm_collector *c); /* accepts NULL */

/* Registers an input (path, "-" or a label) before its events. proc,
 * platform and instance are what the caller already knows (structured
 * inputs); FM_PROC_UNKNOWN / FM_PLAT_UNKNOWN / NULL when nothing. */
/* Marks input idx's process as the document's default only (see
 * fm_input_info.proc_default). */
void fm_collector_input_default(fm_collector *c, uint32_t idx);
/* Input idx's source line ranges that are a Flink pod's other containers
 * (a structured pod's container statuses): a kill there is a sidecar's. */
void fm_collector_input_sidecars(fm_collector *c, uint32_t idx, const uint64_t (*from_to)[2], size_t n);
/* Input idx's source line ranges inside string literals of pasted code
 * (codelit.h): a failure text there is a fixture's, not an incident. */
int fm_collector_input_literals(fm_collector *c, uint32_t idx, const uint64_t (*from_to)[2], size_t n); /* FM_OK, FM_ENOMEM */
int fm_collector_input(fm_collector *c, const char *name, fm_process proc, fm_platform platform,
		       const char *instance, uint32_t *idx);
/* What the caller saw of input idx's text before scanning (its first
 * bytes, or all of it): whether Flink shows in it and whether it holds any
 * program output (timestamps, log levels, stack frames, exception classes,
 * structured documents) or is only a person's description. */
void fm_collector_input_text(fm_collector *c, uint32_t idx, const char *text, size_t len, bool structured);
/* The words to tell a user who gave only a description: what to collect. */
const char *fm_collect_advice(void);
/* Adds one event of input idx (events of one input in line order). The
 * event is consumed (its text moves into the collector or is freed). */
int fm_collector_add(fm_collector *c, uint32_t idx, fm_event *ev);
/* Builds the analysis; the collector is then empty. FM_OK or FM_ENOMEM. */
int fm_collector_finish(fm_collector *c, fm_analysis *out);
void fm_analysis_release(fm_analysis *a);
#endif
