/* live_collect — one sample of a cluster over HTTP (fm_live_collect in
 * include/flinkmem/live.h): two rounds of parallel GETs, the cluster-wide
 * endpoints first, then the per-TaskManager and per-job ones they name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/buf.h"
#include "flinkmem/live.h"
#include "flinkmem/live_http.h"

/* An id from the server as a path segment: anything but unreserved and a
 * few harmless characters is percent-encoded, so a hostile id cannot
 * change the path or the host. */
static char *seg(const char *prefix, const char *id, const char *suffix)
{
	static const char hex[] = "0123456789ABCDEF";
	fm_buf b;
	fm_buf_init(&b, 0);
	int rc = fm_buf_adds(&b, prefix);
	for (const unsigned char *p = (const unsigned char *)id; *p && !rc; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~:@", *p)) {
			rc = fm_buf_addc(&b, (char)*p);
		} else {
			char e[3] = {'%', hex[*p >> 4], hex[*p & 15]};
			rc = fm_buf_add(&b, e, 3);
		}
	}
	if (!rc)
		rc = fm_buf_adds(&b, suffix);
	char *r = rc ? NULL : fm_buf_detach(&b, NULL);
	fm_buf_release(&b);
	return r;
}

typedef int (*reader)(fm_live_snap *, const char *, size_t, fm_diag *);

/* A body read into s, or a "missing" line: "GET URL: why". */
static int take(fm_live_snap *s, const fm_http_req *r, reader rd, const char *base, fm_diag *out_err)
{
	if (r->error) {
		if (out_err)
			return fm_diag_set(out_err, FM_EIO, NULL, 0, 0, NULL, "%s", r->error);
		return fm_live_snap_missing(s, "%s", r->error);
	}
	fm_diag d = FM_DIAG_INIT;
	int rc = rd(s, r->body, r->len, &d);
	if (rc == FM_ENOMEM) {
		fm_diag_release(&d);
		return FM_ENOMEM;
	}
	if (rc && out_err)
		rc = fm_diag_set(out_err, FM_EIO, NULL, 0, 0, NULL, "GET %s%s: %s", base, r->path,
				 d.msg ? d.msg : "unreadable");
	else if (rc)
		rc = fm_live_snap_missing(s, "GET %s%s: %s", base, r->path, d.msg ? d.msg : "unreadable");
	fm_diag_release(&d);
	return rc;
}

int fm_live_collect(const fm_http_opts *o, const char *tm_filter, size_t max_jobs, double t,
		    fm_live_snap *out, fm_diag *d)
{
	fm_live_snap_init(out);
	out->t = t;
	fm_buf q;
	fm_buf_init(&q, 0);
	int rc = fm_buf_addf(&q, "/jobmanager/metrics?get=%s", fm_live_jm_metric_query());
	enum { R_CONFIG, R_OVERVIEW, R_JMCONF, R_TMS, R_JMMET, R_JOBS, R_N };
	fm_http_req r1[R_N] = {{"/config", 0, NULL, 0, NULL}, {"/overview", 0, NULL, 0, NULL},
			       {"/jobmanager/config", 0, NULL, 0, NULL}, {"/taskmanagers", 0, NULL, 0, NULL},
			       {q.data, 0, NULL, 0, NULL}, {"/jobs/overview", 0, NULL, 0, NULL}};
	if (rc) {
		fm_buf_release(&q);
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	}
	fm_http_get_many(o, r1, R_N);
	/* The two the sample cannot do without; /config only adds the version */
	rc = take(out, &r1[R_OVERVIEW], fm_live_read_overview, o->base, d);
	if (!rc)
		rc = take(out, &r1[R_TMS], fm_live_read_tm_list, o->base, d);
	if (!rc && !r1[R_CONFIG].error)
		rc = take(out, &r1[R_CONFIG], fm_live_read_config, o->base, NULL);
	if (!rc)
		rc = take(out, &r1[R_JMCONF], fm_live_read_jm_config, o->base, NULL);
	if (!rc)
		rc = take(out, &r1[R_JMMET], fm_live_read_jm_metrics, o->base, NULL);
	char **jobs = NULL;
	size_t njobs = 0;
	if (!rc && max_jobs && !r1[R_JOBS].error) {
		fm_diag jd = FM_DIAG_INIT;
		if (fm_live_read_jobs(r1[R_JOBS].body, r1[R_JOBS].len, max_jobs, &jobs, &njobs, &jd) != FM_OK)
			rc = fm_live_snap_missing(out, "GET %s/jobs/overview: %s", o->base, jd.msg ? jd.msg : "?");
		fm_diag_release(&jd);
	} else if (!rc && max_jobs) {
		rc = fm_live_snap_missing(out, "%s", r1[R_JOBS].error);
	}
	for (size_t i = 0; i < R_N; i++)
		fm_http_req_release(&r1[i]);
	fm_buf_release(&q);
	if (rc) {
		for (size_t i = 0; i < njobs; i++)
			free(jobs[i]);
		free(jobs);
		if (rc == FM_ENOMEM)
			fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory");
		return rc;
	}

	/* round two: per TaskManager and per job */
	size_t ntm = out->ntm, n2 = 2 * ntm + njobs;
	fm_http_req *r2 = calloc(n2 ? n2 : 1, sizeof(*r2));
	char **paths = calloc(n2 ? n2 : 1, sizeof(*paths));
	rc = (r2 && paths) ? FM_OK : FM_ENOMEM;
	for (size_t i = 0; i < ntm && !rc; i++) {
		const char *id = out->tms[i].id;
		if (tm_filter && strcmp(id, tm_filter) != 0)
			continue;
		paths[2 * i] = seg("/taskmanagers/", id, "");
		fm_buf mq;
		fm_buf_init(&mq, 0);
		if (fm_buf_addf(&mq, "/metrics?get=%s", fm_live_tm_metric_query()) == FM_OK)
			paths[2 * i + 1] = seg("/taskmanagers/", id, mq.data);
		fm_buf_release(&mq);
		if (!paths[2 * i] || !paths[2 * i + 1])
			rc = FM_ENOMEM;
	}
	for (size_t k = 0; k < njobs && !rc; k++)
		if (!(paths[2 * ntm + k] = seg("/jobs/", jobs[k], "/exceptions")))
			rc = FM_ENOMEM;
	/* compact the requests that are asked for */
	size_t *map = rc ? NULL : calloc(n2 ? n2 : 1, sizeof(*map));
	size_t m = 0;
	if (!rc && !map)
		rc = FM_ENOMEM;
	for (size_t i = 0; i < n2 && !rc; i++)
		if (paths[i]) {
			r2[m].path = paths[i];
			map[m++] = i;
		}
	if (!rc)
		fm_http_get_many(o, r2, m);
	for (size_t k = 0; k < m && !rc; k++) {
		size_t i = map[k];
		fm_http_req *r = &r2[k];
		if (i < 2 * ntm) {
			fm_live_tm *tm = &out->tms[i / 2];
			if (r->error) {
				if (i % 2 == 0 && !(tm->error = strdup(r->error)))
					rc = FM_ENOMEM;
				else if (i % 2 == 1)
					rc = fm_live_snap_missing(out, "%s", r->error);
				continue;
			}
			fm_diag pd = FM_DIAG_INIT;
			int prc = i % 2 == 0 ? fm_live_read_tm_details(tm, r->body, r->len, &pd)
					     : fm_live_read_tm_metrics(tm, r->body, r->len, &pd);
			if (prc == FM_ENOMEM)
				rc = prc;
			else if (prc)
				rc = fm_live_snap_missing(out, "GET %s%s: %s", o->base, r->path, pd.msg ? pd.msg : "?");
			fm_diag_release(&pd);
		} else if (r->error) {
			rc = fm_live_snap_missing(out, "%s", r->error);
		} else {
			size_t j = i - 2 * ntm;
			char **ne = realloc(out->exceptions, (out->nexceptions + 1) * sizeof(*ne));
			char **nj = ne ? realloc(out->exception_jobs, (out->nexceptions + 1) * sizeof(*nj)) : NULL;
			if (ne)
				out->exceptions = ne;
			if (nj)
				out->exception_jobs = nj;
			if (!ne || !nj) {
				rc = FM_ENOMEM;
				continue;
			}
			out->exceptions[out->nexceptions] = r->body;
			out->exception_jobs[out->nexceptions++] = jobs[j];
			r->body = NULL;
			jobs[j] = NULL;
		}
	}
	/* with a filter, only that TaskManager stays in the sample */
	if (!rc && tm_filter) {
		size_t k = 0;
		for (size_t i = 0; i < out->ntm; i++) {
			if (strcmp(out->tms[i].id, tm_filter) == 0) {
				fm_live_tm tmp = out->tms[k];
				out->tms[k++] = out->tms[i];
				out->tms[i] = tmp;
			}
		}
		if (k == 0)
			rc = fm_diag_set(d, FM_EIO, NULL, 0, 0, NULL, "GET %s/taskmanagers: no TaskManager '%s'",
					 o->base, tm_filter);
		else
			fm_live_snap_truncate_tms(out, k);
	}
	for (size_t k = 0; k < m; k++)
		fm_http_req_release(&r2[k]);
	for (size_t i = 0; i < n2; i++)
		free(paths ? paths[i] : NULL);
	for (size_t i = 0; i < njobs; i++)
		free(jobs[i]);
	free(jobs);
	free(paths);
	free(map);
	free(r2);
	if (rc == FM_ENOMEM)
		fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory");
	return rc;
}
