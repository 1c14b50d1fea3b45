/* live_rest — reads Flink REST responses into the structs of
 * include/flinkmem/live.h. Field names follow the REST handlers of every
 * release 1.10-2.2 (TaskManagerDetailsInfo, TaskManagerMetricsInfo,
 * TaskExecutorMemoryConfiguration, ClusterOverviewWithVersion, the metric
 * handlers' [{"id","value"}] lists); where a name changed, both are read.
 * Only shapes are checked: a field of another type counts as missing. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/live.h"

const char *const fm_live_cfg_names[FM_LC_COUNT] = {
	"frameworkHeap", "taskHeap", "frameworkOffHeap", "taskOffHeap", "networkMemory",
	"managedMemory", "jvmMetaspace", "jvmOverhead", "totalFlinkMemory", "totalProcessMemory",
};

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *r = malloc(n);
	if (r)
		memcpy(r, s, n);
	return r;
}

static void jvm_init(fm_live_jvm *j)
{
	*j = (fm_live_jvm){FM_LIVE_NA, FM_LIVE_NA, FM_LIVE_NA, FM_LIVE_NA, FM_LIVE_NA, FM_LIVE_NA,
			   FM_LIVE_NA, FM_LIVE_NA, FM_LIVE_NA, FM_LIVE_NA, FM_LIVE_NA, NULL, 0};
}

static void jvm_release(fm_live_jvm *j)
{
	for (size_t i = 0; i < j->ngc; i++)
		free(j->gc[i].name);
	free(j->gc);
	jvm_init(j);
}

static void tm_init(fm_live_tm *t)
{
	memset(t, 0, sizeof(*t));
	t->slots = t->free_slots = t->cpu_cores = t->phys_mem = t->free_mem = FM_LIVE_NA;
	for (int i = 0; i < FM_LC_COUNT; i++)
		t->cfg[i] = FM_LIVE_NA;
	jvm_init(&t->jvm);
	t->net_avail = t->net_used = t->net_total = FM_LIVE_NA;
	t->seg_avail = t->seg_used = t->seg_total = FM_LIVE_NA;
	t->managed_used = t->managed_total = FM_LIVE_NA;
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void fm_live_snap_init(fm_live_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->taskmanagers = s->slots_total = s->slots_free = FM_LIVE_NA;
	s->jobs_running = s->jobs_submitted = FM_LIVE_NA;
	jvm_init(&s->jm);
}

static void tms_free(fm_live_tm *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].path);
		free(v[i].error);
		jvm_release(&v[i].jvm);
	}
	free(v);
}

void fm_live_snap_truncate_tms(fm_live_snap *s, size_t n)
{
	if (n >= s->ntm)
		return;
	fm_live_tm *rest = s->tms + n;
	for (size_t i = 0; i < s->ntm - n; i++) {
		free(rest[i].id);
		free(rest[i].path);
		free(rest[i].error);
		jvm_release(&rest[i].jvm);
	}
	s->ntm = n;
}

void fm_live_snap_release(fm_live_snap *s)
{
	if (!s)
		return;
	free(s->flink_version);
	fm_conf_free(s->conf);
	jvm_release(&s->jm);
	tms_free(s->tms, s->ntm);
	strv_free(s->missing, s->nmissing);
	strv_free(s->exceptions, s->nexceptions);
	strv_free(s->exception_jobs, s->nexceptions);
	fm_live_snap_init(s);
}

static int strv_push(char ***v, size_t *n, char *s)
{
	if (!s)
		return FM_ENOMEM;
	char **nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv) {
		free(s);
		return FM_ENOMEM;
	}
	nv[(*n)++] = s;
	*v = nv;
	return FM_OK;
}

int fm_live_snap_missing(fm_live_snap *s, const char *fmt, ...)
{
	va_list ap;
	char *m = NULL;
	va_start(ap, fmt);
	if (vasprintf(&m, fmt, ap) < 0)
		m = NULL;
	va_end(ap);
	return strv_push(&s->missing, &s->nmissing, m);
}

/* ---- JSON helpers ---- */

static json_t *load(const char *body, size_t n, const char *what, fm_diag *d)
{
	json_error_t e;
	json_t *j = json_loadb(body, n, JSON_DECODE_ANY, &e);
	if (!j)
		fm_diag_set(d, FM_ESYNTAX, NULL, (uint32_t)e.line, (uint32_t)e.column, NULL,
			    "%s: not JSON: %s", what, e.text);
	return j;
}

static int shape(json_t *j, const char *what, const char *want, fm_diag *d)
{
	json_decref(j);
	return fm_diag_set(d, FM_ESYNTAX, NULL, 0, 0, NULL, "%s: expected %s", what, want);
}

/* A number the REST API wrote as an integer, a real or a string (metric
 * values are strings: "12345", "1.2E9"); FM_LIVE_NA for anything else or
 * a negative value. */
static int64_t num(const json_t *v)
{
	double x;
	if (json_is_integer(v)) {
		json_int_t i = json_integer_value(v);
		return i < 0 ? FM_LIVE_NA : (int64_t)i;
	}
	if (json_is_real(v)) {
		x = json_real_value(v);
	} else if (json_is_string(v)) {
		const char *s = json_string_value(v);
		char *end;
		long long i = strtoll(s, &end, 10);
		if (end != s && *end == '\0')
			return i < 0 ? FM_LIVE_NA : (int64_t)i;
		x = strtod(s, &end);
		if (end == s || *end != '\0')
			return FM_LIVE_NA;
	} else {
		return FM_LIVE_NA;
	}
	if (!isfinite(x) || x < 0 || x >= 9.2e18)
		return FM_LIVE_NA;
	/* llround for 0 <= x < 2^63 without libm (docs/perf.md: one shared
	 * library less at every start): from 2^52 on x is whole */
	int64_t t = (int64_t)x;
	return x - (double)t >= 0.5 ? t + 1 : t;
}

static int64_t field(const json_t *o, const char *k)
{
	return num(json_object_get(o, k));
}

static int set_str(char **dst, const json_t *v)
{
	if (!json_is_string(v))
		return FM_OK;
	char *s = xstrdup(json_string_value(v));
	if (!s)
		return FM_ENOMEM;
	free(*dst);
	*dst = s;
	return FM_OK;
}

/* ---- endpoints ---- */

int fm_live_read_config(fm_live_snap *s, const char *body, size_t n, fm_diag *d)
{
	json_t *j = load(body, n, "/config", d);
	if (!j)
		return FM_ESYNTAX;
	if (!json_is_object(j))
		return shape(j, "/config", "an object", d);
	int rc = set_str(&s->flink_version, json_object_get(j, "flink-version"));
	json_decref(j);
	return rc;
}

int fm_live_read_overview(fm_live_snap *s, const char *body, size_t n, fm_diag *d)
{
	json_t *j = load(body, n, "/overview", d);
	if (!j)
		return FM_ESYNTAX;
	if (!json_is_object(j) || !json_object_get(j, "taskmanagers"))
		return shape(j, "/overview", "an object with \"taskmanagers\"", d);
	int rc = s->flink_version ? FM_OK : set_str(&s->flink_version, json_object_get(j, "flink-version"));
	s->taskmanagers = field(j, "taskmanagers");
	s->slots_total = field(j, "slots-total");
	s->slots_free = field(j, "slots-available");
	s->jobs_running = field(j, "jobs-running");
	int64_t sum = 0;
	static const char *const states[] = {"jobs-running", "jobs-finished", "jobs-cancelled", "jobs-failed"};
	for (size_t i = 0; i < 4 && sum >= 0; i++) {
		int64_t v = field(j, states[i]);
		sum = v < 0 ? FM_LIVE_NA : sum + v;
	}
	s->jobs_submitted = sum;
	json_decref(j);
	return rc;
}

int fm_live_read_jm_config(fm_live_snap *s, const char *body, size_t n, fm_diag *d)
{
	json_t *j = load(body, n, "/jobmanager/config", d);
	if (!j)
		return FM_ESYNTAX;
	if (!json_is_array(j))
		return shape(j, "/jobmanager/config", "an array of {key, value}", d);
	fm_conf *c = fm_conf_new();
	int rc = c ? FM_OK : FM_ENOMEM;
	size_t i;
	json_t *e;
	fm_origin at = {"/jobmanager/config", 0, 0, FM_SRC_DYNAMIC};
	json_array_foreach(j, i, e)
	{
		const json_t *k = json_object_get(e, "key"), *v = json_object_get(e, "value");
		if (rc || !json_is_string(k) || !json_is_string(v))
			continue;
		rc = fm_conf_set_str(c, json_string_value(k), json_string_value(v), &at);
	}
	json_decref(j);
	if (rc) {
		fm_conf_free(c);
		return fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory");
	}
	fm_conf_free(s->conf);
	s->conf = c;
	return FM_OK;
}

int fm_live_read_tm_list(fm_live_snap *s, const char *body, size_t n, fm_diag *d)
{
	json_t *j = load(body, n, "/taskmanagers", d);
	if (!j)
		return FM_ESYNTAX;
	json_t *a = json_object_get(j, "taskmanagers");
	if (!json_is_array(a))
		return shape(j, "/taskmanagers", "an object with a \"taskmanagers\" array", d);
	size_t cnt = json_array_size(a), k = 0;
	if (cnt > FM_LIVE_MAX_TMS) {
		json_decref(j);
		return fm_diag_set(d, FM_ETOOBIG, NULL, 0, 0, NULL,
				   "/taskmanagers: %zu TaskManagers, more than the %d one sample reads (use --tm)",
				   cnt, FM_LIVE_MAX_TMS);
	}
	fm_live_tm *v = calloc(cnt ? cnt : 1, sizeof(*v));
	int rc = v ? FM_OK : FM_ENOMEM;
	for (size_t i = 0; i < cnt && !rc; i++) {
		json_t *t = json_array_get(a, i);
		if (!json_is_string(json_object_get(t, "id")))
			continue;
		fm_live_tm *tm = &v[k++];
		tm_init(tm);
		rc = set_str(&tm->id, json_object_get(t, "id"));
		if (!rc)
			rc = set_str(&tm->path, json_object_get(t, "path"));
		tm->slots = field(t, "slotsNumber");
		tm->free_slots = field(t, "freeSlots");
	}
	json_decref(j);
	if (rc) {
		tms_free(v, k);
		return fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory");
	}
	tms_free(s->tms, s->ntm); /* replaces an earlier list */
	s->tms = v;
	s->ntm = k;
	return FM_OK;
}

static int read_gcs(fm_live_jvm *jv, const json_t *a)
{
	if (!json_is_array(a))
		return FM_OK;
	size_t i;
	json_t *g;
	json_array_foreach(a, i, g)
	{
		if (!json_is_string(json_object_get(g, "name")))
			continue;
		fm_live_gc *ng = realloc(jv->gc, (jv->ngc + 1) * sizeof(*ng));
		if (!ng)
			return FM_ENOMEM;
		jv->gc = ng;
		fm_live_gc *x = &jv->gc[jv->ngc];
		x->name = xstrdup(json_string_value(json_object_get(g, "name")));
		if (!x->name)
			return FM_ENOMEM;
		x->count = field(g, "count");
		x->time_ms = field(g, "time");
		jv->ngc++;
	}
	return FM_OK;
}

/* A value only when the response has it: the details handler answers 0
 * for metrics it has not fetched yet, so 0 maxima mean "not yet known". */
static void keep(int64_t *dst, int64_t v)
{
	if (v != FM_LIVE_NA)
		*dst = v;
}

int fm_live_read_tm_details(fm_live_tm *tm, const char *body, size_t n, fm_diag *d)
{
	json_t *j = load(body, n, "/taskmanagers/:id", d);
	if (!j)
		return FM_ESYNTAX;
	if (!json_is_object(j) || !json_is_string(json_object_get(j, "id")))
		return shape(j, "/taskmanagers/:id", "an object with \"id\"", d);
	int rc = set_str(&tm->path, json_object_get(j, "path"));
	keep(&tm->slots, field(j, "slotsNumber"));
	keep(&tm->free_slots, field(j, "freeSlots"));
	const json_t *hw = json_object_get(j, "hardware");
	tm->cpu_cores = field(hw, "cpuCores");
	tm->phys_mem = field(hw, "physicalMemory");
	tm->free_mem = field(hw, "freeMemory");
	const json_t *mc = json_object_get(j, "memoryConfiguration");
	if (json_is_object(mc)) {
		tm->has_cfg = true;
		for (int i = 0; i < FM_LC_COUNT; i++) {
			tm->cfg[i] = field(mc, fm_live_cfg_names[i]);
			tm->has_cfg = tm->has_cfg && tm->cfg[i] != FM_LIVE_NA;
		}
	}
	const json_t *m = json_object_get(j, "metrics");
	if (json_is_object(m)) {
		fm_live_jvm *jv = &tm->jvm;
		keep(&jv->heap_used, field(m, "heapUsed"));
		keep(&jv->heap_committed, field(m, "heapCommitted"));
		keep(&jv->heap_max, field(m, "heapMax"));
		keep(&jv->nonheap_used, field(m, "nonHeapUsed"));
		keep(&jv->nonheap_max, field(m, "nonHeapMax"));
		keep(&jv->direct_count, field(m, "directCount"));
		keep(&jv->direct_used, field(m, "directUsed"));
		keep(&jv->direct_capacity, field(m, "directMax"));
		keep(&jv->mapped_used, field(m, "mappedUsed"));
		/* 1.10-1.11 memorySegments*, 1.12+ nettyShuffleMemory*; 2.x dropped
		 * the segment counts */
		keep(&tm->seg_avail, field(m, "memorySegmentsAvailable"));
		keep(&tm->seg_total, field(m, "memorySegmentsTotal"));
		keep(&tm->seg_avail, field(m, "nettyShuffleMemorySegmentsAvailable"));
		keep(&tm->seg_used, field(m, "nettyShuffleMemorySegmentsUsed"));
		keep(&tm->seg_total, field(m, "nettyShuffleMemorySegmentsTotal"));
		keep(&tm->net_avail, field(m, "nettyShuffleMemoryAvailable"));
		keep(&tm->net_used, field(m, "nettyShuffleMemoryUsed"));
		keep(&tm->net_total, field(m, "nettyShuffleMemoryTotal"));
		if (!rc && !tm->jvm.ngc)
			rc = read_gcs(jv, json_object_get(m, "garbageCollectors"));
	}
	json_decref(j);
	return rc ? fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory") : FM_OK;
}

/* The metrics asked for with ?get=. Metaspace and managed memory are
 * 1.12+ (older releases answer without them). */
static const char tm_query[] = "Status.JVM.Memory.Metaspace.Used,Status.JVM.Memory.Metaspace.Max,"
			       "Status.Flink.Memory.Managed.Used,Status.Flink.Memory.Managed.Total";
static const char jm_query[] = "Status.JVM.Memory.Heap.Used,Status.JVM.Memory.Heap.Committed,"
			       "Status.JVM.Memory.Heap.Max,Status.JVM.Memory.NonHeap.Used,"
			       "Status.JVM.Memory.NonHeap.Max,Status.JVM.Memory.Metaspace.Used,"
			       "Status.JVM.Memory.Metaspace.Max,Status.JVM.Memory.Direct.Count,"
			       "Status.JVM.Memory.Direct.MemoryUsed,Status.JVM.Memory.Direct.TotalCapacity,"
			       "Status.JVM.Memory.Mapped.MemoryUsed";

const char *fm_live_tm_metric_query(void)
{
	return tm_query;
}

const char *fm_live_jm_metric_query(void)
{
	return jm_query;
}

typedef struct metric_slot {
	const char *id;
	int64_t *dst;
} metric_slot;

static int read_metrics(const char *body, size_t n, const char *what, const metric_slot *slots, size_t ns,
			fm_diag *d)
{
	json_t *j = load(body, n, what, d);
	if (!j)
		return FM_ESYNTAX;
	if (!json_is_array(j))
		return shape(j, what, "an array of {id, value}", d);
	size_t i;
	json_t *e;
	json_array_foreach(j, i, e)
	{
		const json_t *id = json_object_get(e, "id");
		if (!json_is_string(id))
			continue;
		for (size_t k = 0; k < ns; k++)
			if (strcmp(json_string_value(id), slots[k].id) == 0)
				keep(slots[k].dst, num(json_object_get(e, "value")));
	}
	json_decref(j);
	return FM_OK;
}

int fm_live_read_tm_metrics(fm_live_tm *tm, const char *body, size_t n, fm_diag *d)
{
	const metric_slot slots[] = {
		{"Status.JVM.Memory.Metaspace.Used", &tm->jvm.meta_used},
		{"Status.JVM.Memory.Metaspace.Max", &tm->jvm.meta_max},
		{"Status.Flink.Memory.Managed.Used", &tm->managed_used},
		{"Status.Flink.Memory.Managed.Total", &tm->managed_total},
	};
	return read_metrics(body, n, "/taskmanagers/:id/metrics", slots, sizeof slots / sizeof slots[0], d);
}

int fm_live_read_jm_metrics(fm_live_snap *s, const char *body, size_t n, fm_diag *d)
{
	fm_live_jvm *j = &s->jm;
	const metric_slot slots[] = {
		{"Status.JVM.Memory.Heap.Used", &j->heap_used},
		{"Status.JVM.Memory.Heap.Committed", &j->heap_committed},
		{"Status.JVM.Memory.Heap.Max", &j->heap_max},
		{"Status.JVM.Memory.NonHeap.Used", &j->nonheap_used},
		{"Status.JVM.Memory.NonHeap.Max", &j->nonheap_max},
		{"Status.JVM.Memory.Metaspace.Used", &j->meta_used},
		{"Status.JVM.Memory.Metaspace.Max", &j->meta_max},
		{"Status.JVM.Memory.Direct.Count", &j->direct_count},
		{"Status.JVM.Memory.Direct.MemoryUsed", &j->direct_used},
		{"Status.JVM.Memory.Direct.TotalCapacity", &j->direct_capacity},
		{"Status.JVM.Memory.Mapped.MemoryUsed", &j->mapped_used},
	};
	int rc = read_metrics(body, n, "/jobmanager/metrics", slots, sizeof slots / sizeof slots[0], d);
	if (!rc)
		s->jm_read = true;
	return rc;
}

int fm_live_read_jobs(const char *body, size_t n, size_t max, char ***ids, size_t *nids, fm_diag *d)
{
	*ids = NULL;
	*nids = 0;
	json_t *j = load(body, n, "/jobs/overview", d);
	if (!j)
		return FM_ESYNTAX;
	json_t *a = json_object_get(j, "jobs");
	if (!json_is_array(a))
		return shape(j, "/jobs/overview", "an object with a \"jobs\" array", d);
	int rc = FM_OK;
	size_t i;
	json_t *e;
	json_array_foreach(a, i, e)
	{
		const json_t *id = json_object_get(e, "jid");
		if (!json_is_string(id))
			id = json_object_get(e, "id"); /* /jobs lists {id, status} */
		const json_t *st = json_object_get(e, "state");
		if (!json_is_string(st))
			st = json_object_get(e, "status");
		if (!json_is_string(id) || *nids >= max || rc)
			continue;
		const char *state = json_is_string(st) ? json_string_value(st) : "";
		/* a job that never failed has no exception to read */
		if (strcmp(state, "FINISHED") == 0 || strcmp(state, "CANCELED") == 0 ||
		    strcmp(state, "CREATED") == 0 || strcmp(state, "INITIALIZING") == 0)
			continue;
		rc = strv_push(ids, nids, xstrdup(json_string_value(id)));
	}
	json_decref(j);
	if (rc) {
		strv_free(*ids, *nids);
		*ids = NULL;
		*nids = 0;
		return fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory");
	}
	return FM_OK;
}
