/* events — turns one scanner match into a typed event: the signature, the
 * time from the line's own timestamp, the numbers the message carries
 * (required/available buffers, bytes, limits), the process the line itself
 * points at, a named peer (pod, container, resource id) and the line text
 * made safe to print (control bytes and escape sequences escaped, capped).
 * Pure functions; thread-safe. */
#ifndef FLINKMEM_EVENTS_H
#define FLINKMEM_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/buf.h"
#include "flinkmem/signatures.h"

/* TM and JM are the cluster; the others run outside it (DESIGN §3/§4).
 * FM_PROC_OTHER is internal: input of another system (never printed as
 * such: its name is "unknown"). */
typedef enum fm_process {
	FM_PROC_UNKNOWN = 0,
	FM_PROC_TM,
	FM_PROC_JM,
	FM_PROC_CLIENT,
	FM_PROC_SQL_GATEWAY,
	FM_PROC_HISTORY,
	FM_PROC_JOB_SERVER,
	FM_PROC_OPERATOR,
	FM_PROC_SUBMITTER,
	FM_PROC_OTHER,
} fm_process;
/* "taskmanager", "jobmanager", "client", "sql-gateway", "history-server",
 * "job-server", "operator", "submitter", "unknown" */
const char *fm_process_name(fm_process p);
/* A process outside the Flink cluster (or not Flink's at all). */
bool fm_process_outside(fm_process p);
/* The process a signature's hint names (FM_PROC_UNKNOWN for ANY/PEER). */
fm_process fm_process_of_hint(fm_proc_hint h);

#define FM_EVENT_NUMS 6
#define FM_EVENT_TEXT_MAX 400 /* bytes of line text kept per event (before escaping) */
#define FM_EVENT_JUDGE_MAX 65536 /* bytes of a longer line kept to judge whose words it holds */
#define FM_PEER_MAX 128

typedef struct fm_event {
	size_t sig;              /* index into fm_signatures() */
	const fm_sig *s;
	uint64_t line;
	int64_t time_ms;         /* milliseconds since 1970 as written (no zone), -1 unknown */
	char time[24];           /* "2024-01-15T10:23:45.123", "" when unknown */
	fm_process proc;         /* what the line alone says; UNKNOWN: ask the input */
	bool subtask;            /* the line names a subtask "(1/4)" or a task failure */
	bool relayed_job;        /* the operator's log relays the job's exception (its
				  * JobException event): the cluster's, not the operator's */
	char peer[FM_PEER_MAX];  /* another process named in the line, "" when none */
	char src[FM_PEER_MAX];   /* the container a log gutter names ("jobmanager_1  | ",
				  * "[pod/NAME/container] "): "" when none */
	int64_t num[FM_EVENT_NUMS];
	size_t nnum;
	bool netty_shaded;       /* Flink's own (shaded) Netty named on the line */
	int64_t container_limit; /* a YARN kill's physical limit ("of 4 GB physical
				  * memory used") or the kernel's memory cgroup
				  * limit (KERNEL_MEMCG_LIMIT), bytes; 0 when none */
	int64_t evict_request;   /* a kubelet eviction's "was using U, request is R": */
	int64_t evict_usage;     /* R and U in bytes, 0 when not printed */
	int64_t victim_rss;      /* a kernel OOM kill's victim's resident size, bytes; 0 unknown */
	char victim[16];         /* a kernel OOM kill's victim command ("java", "python3"): the
				  * kernel's comm is at most 15 bytes; "" unknown */
	bool yarn_vmem;          /* YARN_KILL_USAGE: physical usage under the limit (a
				  * virtual-memory kill) */
	bool evicted;            /* a kill's line says the kubelet evicted the pod for
				  * memory ("The node was low on resource: memory.") */
	bool not_memory;         /* a bare exit-137 line says why, and it is not memory: an
				  * eviction for disk or pids, a container the kubelet lost
				  * (reason ContainerStatusUnknown): no memory event */
	int rocksdb_managed;     /* ROCKSDB_SCOPE_INFO: 1 managed=true, 0 false, -1 n/a */
	char *text;              /* escaped, capped line text (owned) */
	char *whole;             /* a line longer than FM_EVENT_TEXT_MAX: escaped up to
				  * FM_EVENT_JUDGE_MAX, so a sentence's words past the
				  * evidence's cap still say a person wrote it (a CJK
				  * paragraph reaches 400 bytes in 130 characters);
				  * NULL otherwise. Owned; the collector frees it. */
} fm_event;

/* Builds ev from a matching line. FM_OK or FM_ENOMEM. */
int fm_event_make(const fm_sig *sigs, size_t sig, const char *text, size_t len, uint64_t line, fm_event *ev);
void fm_event_release(fm_event *ev);

/* Finds a "YYYY-MM-DD[ T]HH:MM:SS[,.fff]" timestamp in the first 64 bytes.
 * Returns true and fills *ms and out (>= 24 bytes) when found. */
bool fm_log_time(const char *s, size_t n, int64_t *ms, char *out);

/* Appends s[0..n) escaped by fm_esc_text (escape.h), at most cap input
 * bytes; "..." marks a cut. Terminal escape sequences thus never pass raw. */
int fm_escape_line(fm_buf *b, const char *s, size_t n, size_t cap);

/* Up to max integers found in s[0..n) (digit runs; a run followed by '.'
 * and digits keeps only its integer part; a leading '-' is kept). */
size_t fm_numbers(const char *s, size_t n, int64_t *out, size_t max);
#endif
