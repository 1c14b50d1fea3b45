/* live — judgement over REST samples (include/flinkmem/live.h): the
 * cluster's config re-derived and compared with what each TaskManager
 * reports, used vs configured per pool, trends across samples, fixes
 * re-derived by plan. Thresholds are stated with each finding.
 *
 * Why these limits and not others: a heap sample is taken at a random
 * point between collections, so one sample near -Xmx says little; what
 * predicts "Java heap space" is the floor after collections rising, which
 * needs several samples. Direct and metaspace usage do not drop between
 * collections the same way, so one sample near the limit is already a
 * warning. The JVM's direct limit is not in the REST metrics (directMax is
 * the pool's capacity), so it comes from our own derivation. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/live.h"
#include "flinkmem/memsize.h"
#include "flinkmem/plan.h"
#include "flinkmem/render.h"

#define MIB ((int64_t)1 << 20)

static int add_finding(fm_live_report *r, enum fm_live_sev sev, const char *code, const char *process,
		       char *fix, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int add_finding(fm_live_report *r, enum fm_live_sev sev, const char *code, const char *process,
		       char *fix, const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	fm_live_finding *nf = msg ? realloc(r->f, (r->nf + 1) * sizeof(*nf)) : NULL;
	char *proc = nf ? strdup(process) : NULL;
	if (nf)
		r->f = nf;
	if (!proc) {
		free(msg);
		free(fix);
		return FM_ENOMEM;
	}
	r->f[r->nf++] = (fm_live_finding){sev, code, proc, msg, fix};
	return FM_OK;
}

static double pct(int64_t a, int64_t b)
{
	return b > 0 ? 100.0 * (double)a / (double)b : 0;
}

static const char *mib(char *out, size_t cap, int64_t bytes)
{
	if (bytes == FM_LIVE_NA)
		snprintf(out, cap, "-");
	else if (bytes >= 10 * ((int64_t)1 << 30))
		snprintf(out, cap, "%.1f GiB", (double)bytes / (double)((int64_t)1 << 30));
	else
		snprintf(out, cap, "%.1f MiB", (double)bytes / (double)MIB);
	return out;
}

/* A fix from plan's goal-seek (free mode: the process grows so that no
 * other component shrinks), as "key: value" lines; NULL when plan finds
 * none (the finding then stands without one). */
static char *fix_for(const fm_live_snap *s, const fm_profile *p, const char *component, int64_t at_least)
{
	if (!s->conf)
		return NULL;
	fm_goal g = {component, FM_GOAL_GE, at_least};
	fm_plan pl;
	if (fm_plan_goals(s->conf, p, NULL, &g, 1, 0, &pl) != FM_OK)
		return NULL;
	char *out = NULL;
	if (pl.feasible && pl.nchanges) {
		fm_buf b;
		fm_buf_init(&b, 0);
		int rc = 0;
		for (size_t i = 0; i < pl.nchanges && !rc; i++)
			rc = pl.changes[i].to ? fm_buf_addf(&b, "%s%s: %s", i ? "\n" : "", pl.changes[i].key,
							    pl.changes[i].to)
					      : fm_buf_addf(&b, "%s(remove) %s", i ? "\n" : "", pl.changes[i].key);
		out = rc ? NULL : fm_buf_detach(&b, NULL);
		fm_buf_release(&b);
	}
	fm_plan_release(&pl);
	return out;
}

/* Round up to a whole 64 MiB step, the granularity people configure. */
static int64_t round64m(double bytes)
{
	int64_t step = 64 * MIB;
	if (bytes <= 0)
		return step;
	double q = bytes / (double)step;
	if (!(q <= 1e9))
		return INT64_MAX / 2;
	int64_t k = (int64_t)q; /* ceil, without libm */
	return (k + ((double)k < q)) * step;
}

/* Least-squares slope of y over x, or NAN with fewer than two distinct x. */
static double slope(const double *x, const double *y, size_t n)
{
	double sx = 0, sy = 0, sxx = 0, sxy = 0;
	for (size_t i = 0; i < n; i++) {
		sx += x[i];
		sy += y[i];
		sxx += x[i] * x[i];
		sxy += x[i] * y[i];
	}
	double den = (double)n * sxx - sx * sx;
	if (n < 2 || fabs(den) < 1e-12)
		return NAN;
	return ((double)n * sxy - sx * sy) / den;
}

static const fm_live_tm *tm_in(const fm_live_snap *s, const char *id)
{
	for (size_t i = 0; i < s->ntm; i++)
		if (s->tms[i].id && strcmp(s->tms[i].id, id) == 0)
			return &s->tms[i];
	return NULL;
}

static int64_t gc_time(const fm_live_jvm *j)
{
	int64_t t = 0;
	for (size_t i = 0; i < j->ngc; i++) {
		if (j->gc[i].time_ms < 0)
			return FM_LIVE_NA;
		t += j->gc[i].time_ms;
	}
	return j->ngc ? t : FM_LIVE_NA;
}

static bool rocksdb(const fm_conf *c)
{
	static const char *const keys[] = {"state.backend.type", "state.backend"};
	for (size_t i = 0; c && i < 2; i++) {
		const fm_entry *e = fm_conf_find(c, keys[i]);
		if (e)
			return strstr(e->text, "rocksdb") != NULL || strstr(e->text, "RocksDB") != NULL;
	}
	return false;
}

static bool batch_or_python(const fm_conf *c)
{
	const fm_entry *e = c ? fm_conf_find(c, "execution.runtime-mode") : NULL;
	if (e && strcmp(e->text, "STREAMING") != 0)
		return true;
	return c && (fm_conf_find(c, "python.executable") || fm_conf_find(c, "python.files") ||
		     fm_conf_find(c, "python.client.executable"));
}

/* Metaspace growth per job submission across samples (class loaders that
 * are never freed grow it with every submission of a session cluster). */
static int trend_metaspace(fm_live_report *r, const fm_live_snap *const *v, size_t n, const char *proc,
			   const fm_live_jvm *const *jv, int64_t limit, const fm_live_snap *last, const char *comp)
{
	double *x = calloc(n, sizeof(double)), *y = calloc(n, sizeof(double));
	size_t k = 0;
	int rc = (x && y) ? FM_OK : FM_ENOMEM;
	for (size_t i = 0; i < n && !rc; i++) {
		if (!jv[i] || jv[i]->meta_used < 0 || v[i]->jobs_submitted < 0)
			continue;
		x[k] = (double)v[i]->jobs_submitted;
		y[k++] = (double)jv[i]->meta_used;
	}
	double sl = rc ? NAN : slope(x, y, k);
	if (!rc && isfinite(sl) && sl >= (double)MIB && limit > 0 && k >= 2) {
		double left = ((double)limit - y[k - 1]) / sl;
		/* left >= 0: truncation is floor (no libm: see docs/perf.md) */
		int64_t more = left < 0 ? 0 : left >= 9.2e18 ? INT64_MAX : (int64_t)left;
		/* room for ten more submissions, at most twice today's limit: a
		 * leak is fixed in the job, the size only buys time */
		double want = y[k - 1] + sl * 10;
		if (want > 2.0 * (double)limit)
			want = 2.0 * (double)limit;
		if (want < 1.25 * (double)limit)
			want = 1.25 * (double)limit;
		char *fix = fix_for(last, r->profile, comp, round64m(want));
		rc = add_finding(r, more <= 20 ? FM_LIVE_WARNING : FM_LIVE_NOTE, "metaspace-trend", proc, fix,
				 "metaspace +%.1f MiB per job submission: %lld more submission%s until "
				 "OutOfMemoryError: Metaspace (a class loader leak in the job or a library "
				 "keeps each job's classes)",
				 sl / (double)MIB, (long long)more, more == 1 ? "" : "s");
	}
	free(x);
	free(y);
	return rc;
}

/* The heap floor over time: the lowest sample between consecutive
 * collections rises when live data grows (a leak, or state on the heap). */
static int trend_heap(fm_live_report *r, const fm_live_snap *const *v, size_t n, const char *proc,
		      const fm_live_jvm *const *jv, const fm_live_snap *last, const char *comp)
{
	double *x = calloc(n, sizeof(double)), *y = calloc(n, sizeof(double));
	size_t k = 0;
	int rc = (x && y) ? FM_OK : FM_ENOMEM;
	int64_t max = FM_LIVE_NA;
	for (size_t i = 0; i < n && !rc; i++) {
		if (!jv[i] || jv[i]->heap_used < 0 || jv[i]->heap_max <= 0)
			continue;
		x[k] = v[i]->t / 3600.0;
		y[k++] = (double)jv[i]->heap_used;
		max = jv[i]->heap_max;
	}
	double sl = rc ? NAN : slope(x, y, k);
	if (!rc && k >= 3 && isfinite(sl) && sl > 0 && max > 0) {
		double hours = ((double)max - y[k - 1]) / sl;
		double per_h = 100.0 * sl / (double)max;
		if (per_h >= 0.5 && hours < 7 * 24) {
			/* half the heap again on top of the configured component */
			bool tm = strcmp(comp, "task-heap") == 0;
			int64_t cur = !r->derived ? FM_LIVE_NA
				      : tm ? (r->tm.outcome == FM_DERIVED ? r->tm.l.task_heap : FM_LIVE_NA)
					   : (r->jm.outcome == FM_DERIVED ? r->jm.l.jvm_heap : FM_LIVE_NA);
			char *fix = cur < 0 ? NULL
					    : fix_for(last, r->profile, comp, round64m((double)cur + (double)max * 0.5));
			rc = add_finding(r, hours < 24 ? FM_LIVE_WARNING : FM_LIVE_NOTE, "heap-trend", proc, fix,
					 "heap in use +%.1f%%/h of the maximum over %zu samples: the limit in ~%.0f h "
					 "(OutOfMemoryError: Java heap space, or GC overhead before it)",
					 per_h, k, hours < 0 ? 0 : hours);
		}
	}
	free(x);
	free(y);
	return rc;
}

static int gc_share(fm_live_report *r, const fm_live_snap *a, const fm_live_snap *b, const char *proc,
		    const fm_live_jvm *ja, const fm_live_jvm *jb)
{
	int64_t ta = gc_time(ja), tb = gc_time(jb);
	double wall = (b->t - a->t) * 1000.0;
	if (ta < 0 || tb < 0 || tb < ta || wall <= 0)
		return FM_OK;
	double share = (double)(tb - ta) / wall;
	if (share < 0.1)
		return FM_OK;
	return add_finding(r, share >= 0.3 ? FM_LIVE_WARNING : FM_LIVE_NOTE, "gc-time", proc, NULL,
			   "garbage collection took %.0f%% of the last %.0f s (above 10%% the heap is too small "
			   "for the live data; above 98%% the JVM throws GC overhead limit exceeded)",
			   100.0 * share, wall / 1000.0);
}

/* Compares what a TaskManager reports with our derivation of the cluster
 * config: a TM started with other settings (its own config, dynamic
 * properties of a resource manager, a different release) shows up here. */
static int compare_cfg(fm_live_report *r, const fm_live_tm *t, const char *proc)
{
	if (!t->has_cfg || !r->derived || r->tm.outcome != FM_DERIVED)
		return FM_OK;
	const fm_tm_layout *l = &r->tm.l;
	const int64_t want[FM_LC_COUNT] = {l->framework_heap, l->task_heap, l->framework_off_heap,
					   l->task_off_heap, l->network, l->managed,
					   l->metaspace, l->overhead, l->total_flink, l->total_process};
	fm_buf b;
	fm_buf_init(&b, 0);
	int rc = 0, diff = 0;
	for (int i = 0; i < FM_LC_COUNT && !rc; i++) {
		if (t->cfg[i] == want[i])
			continue;
		rc = fm_buf_addf(&b, "%s%s %lld (derived %lld)", diff++ ? ", " : "", fm_live_cfg_names[i],
				 (long long)t->cfg[i], (long long)want[i]);
	}
	if (!rc && diff)
		rc = add_finding(r, FM_LIVE_NOTE, "layout-differs", proc, NULL,
				 "runs with a layout other than the cluster config gives: %s (the TaskManager "
				 "has its own config or dynamic properties; fixes below start from the cluster "
				 "config)",
				 b.data);
	fm_buf_release(&b);
	return rc;
}

/* One process's pools in the newest sample. */
static int judge_pools(fm_live_report *r, const fm_live_snap *s, const fm_live_jvm *j, const char *proc,
		       bool is_tm, int64_t direct_limit, int64_t meta_limit)
{
	char a[32], b2[32];
	int rc = FM_OK;
	int64_t mmax = j->meta_max > 0 ? j->meta_max : meta_limit;
	if (!rc && j->meta_used >= 0 && mmax > 0 && pct(j->meta_used, mmax) >= 90) {
		char *fix = fix_for(s, r->profile, is_tm ? "metaspace" : "jm-metaspace",
				    round64m((double)j->meta_used * 1.5));
		rc = add_finding(r, FM_LIVE_WARNING, "metaspace-high", proc, fix,
				 "metaspace %s of %s (%.0f%%): the next classes loaded fail with "
				 "OutOfMemoryError: Metaspace",
				 mib(a, sizeof a, j->meta_used), mib(b2, sizeof b2, mmax), pct(j->meta_used, mmax));
	}
	if (!rc && j->direct_used >= 0 && direct_limit > 0 && pct(j->direct_used, direct_limit) >= 90) {
		char *fix = is_tm ? fix_for(s, r->profile, "task-off-heap",
					    round64m((double)j->direct_used * 0.5 + (double)(128 * MIB)))
				  : NULL;
		rc = add_finding(r, FM_LIVE_WARNING, "direct-high", proc, fix,
				 "direct buffers %s of the %s limit (-XX:MaxDirectMemorySize, %.0f%%): the next "
				 "allocation fails with OutOfMemoryError: Direct buffer memory",
				 mib(a, sizeof a, j->direct_used), mib(b2, sizeof b2, direct_limit),
				 pct(j->direct_used, direct_limit));
	}
	if (!rc && j->heap_used >= 0 && j->heap_max > 0 && pct(j->heap_used, j->heap_max) >= 95)
		rc = add_finding(r, FM_LIVE_NOTE, "heap-high", proc, NULL,
				 "heap %s of %s (%.0f%%) in this sample; one sample is taken between "
				 "collections, so watch it (--watch) before acting",
				 mib(a, sizeof a, j->heap_used), mib(b2, sizeof b2, j->heap_max),
				 pct(j->heap_used, j->heap_max));
	return rc;
}

static int judge_tm(fm_live_report *r, const fm_live_snap *const *v, size_t n, const fm_live_tm *t)
{
	const fm_live_snap *s = v[n - 1];
	char proc[512];
	snprintf(proc, sizeof proc, "taskmanager %s", t->id ? t->id : "?");
	if (t->error)
		return add_finding(r, FM_LIVE_ERROR, "unreadable", proc, NULL, "%s", t->error);
	int rc = compare_cfg(r, t, proc);
	bool ok = r->derived && r->tm.outcome == FM_DERIVED;
	int64_t direct = ok ? r->tm.l.jvm_direct : FM_LIVE_NA;
	int64_t meta = t->has_cfg ? t->cfg[FM_LC_METASPACE] : ok ? r->tm.l.metaspace : FM_LIVE_NA;
	if (t->has_cfg)
		direct = t->cfg[FM_LC_FRAMEWORK_OFFHEAP] + t->cfg[FM_LC_TASK_OFFHEAP] + t->cfg[FM_LC_NETWORK];
	if (!rc)
		rc = judge_pools(r, s, &t->jvm, proc, true, direct, meta);
	char a[32], b[32];
	int64_t avail = t->net_avail >= 0 ? t->net_avail : t->seg_avail;
	int64_t total = t->net_total >= 0 ? t->net_total : t->seg_total;
	if (!rc && avail == 0 && total > 0)
		rc = add_finding(r, FM_LIVE_NOTE, "network-exhausted", proc, NULL,
				 "every network buffer is in use (%s): the tasks are back-pressured or "
				 "the pool is small for the slots' channels; sustained, it shows as "
				 "'Insufficient number of network buffers' on the next deployment",
				 t->net_total >= 0 ? mib(a, sizeof a, total) : "all segments");
	if (!rc && t->managed_total > 0 && t->managed_used == 0 && s->jobs_running > 0 &&
	    t->free_slots >= 0 && t->slots > 0 && t->free_slots < t->slots && !rocksdb(s->conf) &&
	    !batch_or_python(s->conf))
		rc = add_finding(r, FM_LIVE_NOTE, "managed-unused", proc, NULL,
				 "managed memory %s reserved and unused while jobs run: with the hashmap "
				 "state backend a streaming job does not use it (RocksDB, batch operators and "
				 "Python UDFs do); lowering taskmanager.memory.managed.fraction gives it to the "
				 "task heap",
				 mib(b, sizeof b, t->managed_total));
	/* trends over the samples that saw this TaskManager */
	const fm_live_jvm **jv = calloc(n, sizeof(*jv));
	if (!jv)
		return FM_ENOMEM;
	for (size_t i = 0; i < n; i++) {
		const fm_live_tm *ti = t->id ? tm_in(v[i], t->id) : NULL;
		jv[i] = ti ? &ti->jvm : NULL;
	}
	if (!rc)
		rc = trend_metaspace(r, v, n, proc, jv, meta, s, "metaspace");
	if (!rc)
		rc = trend_heap(r, v, n, proc, jv, s, "task-heap");
	if (!rc && n >= 2 && jv[n - 2])
		rc = gc_share(r, v[n - 2], s, proc, jv[n - 2], &t->jvm);
	free(jv);
	return rc;
}

static int judge_jm(fm_live_report *r, const fm_live_snap *const *v, size_t n)
{
	const fm_live_snap *s = v[n - 1];
	if (!s->jm_read)
		return FM_OK;
	bool ok = r->derived && r->jm.outcome == FM_DERIVED;
	int64_t direct = ok && r->jm.l.direct_limit ? r->jm.l.off_heap : FM_LIVE_NA;
	int rc = judge_pools(r, s, &s->jm, "jobmanager", false, direct, ok ? r->jm.l.metaspace : FM_LIVE_NA);
	const fm_live_jvm **jv = calloc(n, sizeof(*jv));
	if (!jv)
		return FM_ENOMEM;
	for (size_t i = 0; i < n; i++)
		jv[i] = v[i]->jm_read ? &v[i]->jm : NULL;
	if (!rc)
		rc = trend_metaspace(r, v, n, "jobmanager", jv, ok ? r->jm.l.metaspace : s->jm.meta_max, s,
				     "jm-metaspace");
	if (!rc)
		rc = trend_heap(r, v, n, "jobmanager", jv, s, "jm-heap");
	free(jv);
	return rc;
}

/* The same finding on many TaskManagers (same code, same text, same fix)
 * is one finding naming them: a cluster of hundreds stays readable. */
static int group_findings(fm_live_report *r)
{
	const size_t show = 3;
	bool *gone = calloc(r->nf ? r->nf : 1, sizeof(bool));
	if (!gone)
		return FM_ENOMEM;
	int rc = FM_OK;
	for (size_t i = 0; i < r->nf && !rc; i++) {
		fm_live_finding *a = &r->f[i];
		if (gone[i] || strncmp(a->process, "taskmanager ", 12) != 0)
			continue;
		size_t same = 0;
		fm_buf names;
		fm_buf_init(&names, 0);
		for (size_t j = i + 1; j < r->nf && !rc; j++) {
			fm_live_finding *b = &r->f[j];
			if (gone[j] || strcmp(a->code, b->code) != 0 || strcmp(a->message, b->message) != 0 ||
			    (a->fix == NULL) != (b->fix == NULL) || (a->fix && strcmp(a->fix, b->fix) != 0) ||
			    strncmp(b->process, "taskmanager ", 12) != 0)
				continue;
			gone[j] = true;
			if (++same < show)
				rc = fm_buf_addf(&names, ", %s", b->process + 12);
		}
		if (!rc && same) {
			fm_buf p;
			fm_buf_init(&p, 0);
			rc = fm_buf_addf(&p, "%zu taskmanagers (%s%s", same + 1, a->process + 12, names.data);
			if (!rc)
				rc = same + 1 > show ? fm_buf_addf(&p, ", +%zu more)", same + 1 - show) : fm_buf_adds(&p, ")");
			char *np = rc ? NULL : fm_buf_detach(&p, NULL);
			fm_buf_release(&p);
			if (np) {
				free(a->process);
				a->process = np;
			} else {
				rc = FM_ENOMEM;
			}
		}
		fm_buf_release(&names);
	}
	size_t k = 0;
	for (size_t i = 0; i < r->nf; i++) {
		if (gone[i]) {
			free(r->f[i].process);
			free(r->f[i].message);
			free(r->f[i].fix);
		} else {
			r->f[k++] = r->f[i];
		}
	}
	r->nf = k;
	free(gone);
	return rc;
}

int fm_live_analyze(const fm_live_snap *const *v, size_t n, const fm_live_opts *o, fm_live_report *out)
{
	memset(out, 0, sizeof(*out));
	if (n == 0)
		return FM_EUSAGE;
	const fm_live_snap *s = v[n - 1];
	out->nsamples = n;
	fm_buf why;
	fm_buf_init(&why, 0);
	int rc = FM_OK;
	if (o && o->profile) {
		out->profile = o->profile;
		rc = fm_buf_adds(&why, o->profile_reason ? o->profile_reason : "given");
	} else if (s->flink_version && fm_profile_for(s->flink_version)) {
		out->profile = fm_profile_for(s->flink_version);
		rc = fm_buf_addf(&why, "the cluster reports Flink %s", s->flink_version);
	} else {
		out->profile = fm_profile_newest();
		rc = fm_buf_adds(&why, s->flink_version ? "unknown release reported; newest profile"
							: "the cluster reports no version; newest profile");
	}
	out->profile_reason = rc ? NULL : fm_buf_detach(&why, NULL);
	fm_buf_release(&why);
	if (!out->profile_reason)
		return FM_ENOMEM;
	if (s->conf) {
		rc = fm_derive_tm(s->conf, out->profile, NULL, &out->tm);
		if (!rc && (rc = fm_derive_jm(s->conf, out->profile, NULL, &out->jm)) != FM_OK)
			fm_tm_result_release(&out->tm);
		out->derived = rc == FM_OK;
		if (rc)
			return rc;
		if (out->tm.outcome == FM_FLINK_ERROR)
			rc = add_finding(out, FM_LIVE_NOTE, "config-rejected", "taskmanager", NULL,
					 "the cluster config as the JobManager reports it does not derive a "
					 "TaskManager layout (%s: %s); TaskManagers were started with other settings",
					 out->tm.err.n ? out->tm.err.v[0].cls : "?",
					 out->tm.err.n && out->tm.err.v[0].msg ? out->tm.err.v[0].msg : "");
	}
	for (size_t i = 0; i < s->ntm && !rc; i++) {
		if (o && o->tm_filter && (!s->tms[i].id || strcmp(o->tm_filter, s->tms[i].id) != 0))
			continue;
		rc = judge_tm(out, v, n, &s->tms[i]);
	}
	if (!rc && !(o && o->tm_filter))
		rc = judge_jm(out, v, n);
	if (!rc)
		rc = group_findings(out);
	return rc;
}

void fm_live_report_release(fm_live_report *r)
{
	if (!r)
		return;
	free(r->profile_reason);
	if (r->derived) {
		fm_tm_result_release(&r->tm);
		fm_jm_result_release(&r->jm);
	}
	for (size_t i = 0; i < r->nf; i++) {
		free(r->f[i].process);
		free(r->f[i].message);
		free(r->f[i].fix);
	}
	free(r->f);
	memset(r, 0, sizeof(*r));
}

int fm_live_exit_status(const fm_live_report *r)
{
	for (size_t i = 0; i < r->nf; i++)
		if (r->f[i].sev != FM_LIVE_NOTE)
			return 1;
	return 0;
}
