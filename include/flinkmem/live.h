/* live — a running Flink cluster through its REST API: the responses read
 * into plain structs (the field names of every release 1.10-2.2), the
 * configured layout re-derived by our engine from the cluster's own config
 * and compared with what the cluster reports, used vs configured per pool,
 * findings, and trends over several samples (--watch).
 *
 * This module is pure: it parses response bodies and analyses samples. The
 * HTTP transport is include/flinkmem/live_http.h. Never prints. Sizes are
 * bytes; a value the cluster did not report is FM_LIVE_NA. */
#ifndef FLINKMEM_LIVE_H
#define FLINKMEM_LIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/buf.h"
#include "flinkmem/conf.h"
#include "flinkmem/derive.h"
#include "flinkmem/diag.h"
#include "flinkmem/options.h"

#define FM_LIVE_NA ((int64_t)-1)
/* One sample reads at most this many TaskManagers (two requests each). */
#define FM_LIVE_MAX_TMS 5000

/* TaskExecutorMemoryConfiguration (REST, 1.12+), in this order. */
enum fm_live_cfg {
	FM_LC_FRAMEWORK_HEAP, FM_LC_TASK_HEAP, FM_LC_FRAMEWORK_OFFHEAP, FM_LC_TASK_OFFHEAP,
	FM_LC_NETWORK, FM_LC_MANAGED, FM_LC_METASPACE, FM_LC_OVERHEAD, FM_LC_TOTAL_FLINK,
	FM_LC_TOTAL_PROCESS, FM_LC_COUNT
};
/* The REST field name of each (frameworkHeap, ...). */
extern const char *const fm_live_cfg_names[FM_LC_COUNT];

typedef struct fm_live_gc {
	char *name;
	int64_t count, time_ms;
} fm_live_gc;

/* JVM pools as the metric system reports them (Status.JVM.Memory.*). */
typedef struct fm_live_jvm {
	int64_t heap_used, heap_committed, heap_max;
	int64_t nonheap_used, nonheap_max;
	int64_t meta_used, meta_max;              /* 1.12+ */
	int64_t direct_count, direct_used, direct_capacity;
	int64_t mapped_used;
	fm_live_gc *gc;
	size_t ngc;
} fm_live_jvm;

typedef struct fm_live_tm {
	char *id, *path;
	int64_t slots, free_slots;
	int64_t cpu_cores, phys_mem, free_mem;    /* hardware */
	bool has_cfg;                             /* memoryConfiguration given (1.12+) */
	int64_t cfg[FM_LC_COUNT];
	fm_live_jvm jvm;
	int64_t net_avail, net_used, net_total;  /* shuffle memory, bytes (1.12+) */
	int64_t seg_avail, seg_used, seg_total;  /* network memory segments */
	int64_t managed_used, managed_total;      /* Status.Flink.Memory.Managed (1.12+) */
	char *error;                              /* what could not be read (NULL = all) */
} fm_live_tm;

/* One sample of the whole cluster. */
typedef struct fm_live_snap {
	double t;                    /* seconds (any epoch; only differences count) */
	char *flink_version;         /* "1.17.1" from /config or /overview, NULL if unknown */
	int64_t taskmanagers, slots_total, slots_free;
	int64_t jobs_running, jobs_submitted; /* submitted: running+finished+cancelled+failed */
	fm_conf *conf;               /* /jobmanager/config (owned; NULL if unread) */
	fm_live_jvm jm;
	bool jm_read;
	fm_live_tm *tms;
	size_t ntm;
	char **missing;              /* one line per endpoint that could not be read */
	size_t nmissing;
	char **exceptions;           /* raw /jobs/:id/exceptions bodies, for diagnose */
	char **exception_jobs;       /* their job ids */
	size_t nexceptions;
} fm_live_snap;

void fm_live_snap_init(fm_live_snap *s);
void fm_live_snap_release(fm_live_snap *s);
/* Keeps the first n TaskManagers. */
void fm_live_snap_truncate_tms(fm_live_snap *s, size_t n);
int fm_live_snap_missing(fm_live_snap *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Response readers: body[0..n) of each endpoint into the snapshot. Each
 * returns FM_OK, or FM_ESYNTAX with d naming what is wrong (not JSON, not
 * the expected shape), FM_ENOMEM. Unknown fields are ignored; missing ones
 * stay FM_LIVE_NA. */
int fm_live_read_config(fm_live_snap *s, const char *body, size_t n, fm_diag *d);   /* /config */
int fm_live_read_overview(fm_live_snap *s, const char *body, size_t n, fm_diag *d); /* /overview */
int fm_live_read_jm_config(fm_live_snap *s, const char *body, size_t n, fm_diag *d);/* /jobmanager/config */
/* /taskmanagers: allocates s->tms with the ids (and what the list gives). */
int fm_live_read_tm_list(fm_live_snap *s, const char *body, size_t n, fm_diag *d);
int fm_live_read_tm_details(fm_live_tm *tm, const char *body, size_t n, fm_diag *d); /* /taskmanagers/:id */
/* /taskmanagers/:id/metrics?get=... and /jobmanager/metrics?get=... */
int fm_live_read_tm_metrics(fm_live_tm *tm, const char *body, size_t n, fm_diag *d);
int fm_live_read_jm_metrics(fm_live_snap *s, const char *body, size_t n, fm_diag *d);
/* /jobs/overview (or /jobs): the ids of jobs worth asking for exceptions
 * (failed, failing, restarting, or running with restarts), at most max. */
int fm_live_read_jobs(const char *body, size_t n, size_t max, char ***ids, size_t *nids, fm_diag *d);

/* The metric names asked for with ?get= (comma-separated, static). */
const char *fm_live_tm_metric_query(void);
const char *fm_live_jm_metric_query(void);

/* ---- collecting a sample over HTTP (lib/live_collect.c) ---- */

struct fm_http_opts;
/* Reads one sample: /config, /overview, /jobmanager/config, /taskmanagers,
 * the JobManager's metrics and /jobs/overview at once, then every
 * TaskManager's details and metrics (only tm_filter when given) and the
 * exception history of at most max_jobs jobs that failed or restarted.
 * Without /overview or /taskmanagers there is no sample: FM_EIO with d
 * naming the endpoint and why (connection refused, HTTP 404, not JSON,
 * ...). Any other endpoint that fails becomes a line in out->missing (or
 * the TaskManager's error) and the rest is still read. t is the sample's
 * time in seconds. */
int fm_live_collect(const struct fm_http_opts *o, const char *tm_filter, size_t max_jobs, double t,
		    fm_live_snap *out, fm_diag *d);

/* ---- analysis ---- */

enum fm_live_sev { FM_LIVE_NOTE, FM_LIVE_WARNING, FM_LIVE_ERROR };

typedef struct fm_live_finding {
	enum fm_live_sev sev;
	const char *code;       /* stable id: "heap-high", "metaspace-trend", ... */
	char *process;          /* "jobmanager" or "taskmanager <id>" */
	char *message;
	char *fix;              /* "key: value" lines re-derived by the engine, or NULL */
} fm_live_finding;

typedef struct fm_live_report {
	const fm_profile *profile;
	char *profile_reason;
	bool derived;              /* tm/jm below hold a derivation of the cluster config */
	fm_tm_result tm;
	fm_jm_result jm;
	fm_live_finding *f;
	size_t nf;
	size_t nsamples;
	const char *release;       /* the caller's: --flink-version as given (not owned);
				      NULL: the cluster's when it chose the profile */
} fm_live_report;

typedef struct fm_live_opts {
	const fm_profile *profile; /* NULL: from the cluster's version, else newest */
	const char *profile_reason;
	const char *tm_filter;     /* only this TaskManager id (NULL = all) */
} fm_live_opts;

/* Analyses samples[0..n) (oldest first; n >= 1; the last is the current
 * state, the others give trends). FM_OK or FM_ENOMEM. */
int fm_live_analyze(const fm_live_snap *const *samples, size_t n, const fm_live_opts *o,
		    fm_live_report *out);
void fm_live_report_release(fm_live_report *r);
/* 1 when a finding is a warning or an error, else 0. */
int fm_live_exit_status(const fm_live_report *r);

/* Renderers for the last sample with its report: a table per process and
 * the findings (text, escaped), or one JSON document (docs/live.md). */
int fm_live_render_text(fm_buf *b, const fm_live_snap *s, const fm_live_report *r, const char *url);
int fm_live_render_json(fm_buf *b, const fm_live_snap *s, const fm_live_report *r, const char *url);

#endif
