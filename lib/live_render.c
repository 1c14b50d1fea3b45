/* live_render — `flinkmem live` output (include/flinkmem/live.h): a table
 * that fits 80 columns (one row per process: used/limit per pool) and the
 * findings with their fixes; or one JSON document (docs/live.md). Every
 * string that came over the network is escaped before it reaches a
 * terminal, and written as a JSON string otherwise. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "flinkmem/events.h"
#include "flinkmem/live.h"
#include "flinkmem/render.h"

#define MIB ((int64_t)1 << 20)

/* "412M", "1.5G", "-" : short enough for a 9-column cell pair. */
static void short_size(char *out, size_t cap, int64_t v)
{
	if (v < 0)
		snprintf(out, cap, "-");
	else if (v < 1000 * MIB)
		snprintf(out, cap, "%lldM", (long long)((v + MIB / 2) / MIB));
	else
		snprintf(out, cap, "%.1fG", (double)v / (double)(1024 * MIB));
}

static int cell(fm_buf *b, int64_t used, int64_t limit)
{
	char u[24], l[24], c[64];
	if (used < 0 && limit < 0)
		return fm_buf_addf(b, " %-11s", "-");
	short_size(u, sizeof u, used);
	short_size(l, sizeof l, limit);
	snprintf(c, sizeof c, "%s/%s", u, l);
	return fm_buf_addf(b, " %-11s", c);
}

/* Ends a table row: no trailing blanks from the fixed-width cells. */
static int end_row(fm_buf *b)
{
	while (b->len && b->data[b->len - 1] == ' ')
		b->data[--b->len] = '\0';
	return fm_buf_adds(b, "\n");
}

static int esc(fm_buf *b, const char *s, size_t cap)
{
	return s ? fm_escape_line(b, s, strlen(s), cap) : fm_buf_adds(b, "?");
}

/* The process column: at most 22 visible bytes of an escaped name; a long
 * id keeps its tail, where TaskManager ids differ (host:port-suffix,
 * pod names ending in -N). */
static int name_col(fm_buf *b, const char *prefix, const char *id)
{
	fm_buf t;
	fm_buf_init(&t, 0);
	int rc = id ? esc(&t, id, 4096) : 0;
	const char *shown = t.data ? t.data : "";
	size_t room = 22 - strlen(prefix), len = t.len;
	bool cut = len > room;
	if (cut)
		shown += len - (room - 1);
	if (!rc)
		rc = fm_buf_addf(b, "%s%s%-*s", prefix, cut ? "~" : "", (int)(cut ? room - 1 : room), shown);
	fm_buf_release(&t);
	return rc;
}

/* Appends text (already escaped) word-wrapped to 80 columns: the first
 * line continues at column col, the others start with indent spaces. */
static int wrap(fm_buf *b, const char *text, size_t col, size_t indent)
{
	const size_t width = 80;
	int rc = 0;
	const char *p = text;
	while (*p && !rc) {
		size_t room = col < width ? width - col : 0;
		size_t n = strlen(p);
		size_t cut = n;
		if (n > room) {
			cut = 0;
			for (size_t i = 0; i <= room && i < n; i++)
				if (p[i] == ' ')
					cut = i;
			if (cut == 0) { /* one long word: break after it */
				const char *sp = strchr(p, ' ');
				cut = sp ? (size_t)(sp - p) : n;
			}
		}
		rc = fm_buf_add(b, p, cut);
		p += cut;
		while (*p == ' ')
			p++;
		if (*p && !rc) {
			rc = fm_buf_addf(b, "\n%*s", (int)indent, "");
			col = indent;
		}
	}
	return rc;
}

static const char *sev_name(enum fm_live_sev s)
{
	return s == FM_LIVE_ERROR ? "error" : s == FM_LIVE_WARNING ? "warning" : "note";
}

/* The release the output names: the one asked for, else the cluster's when
 * it chose the profile; NULL: the profile's name stands in. */
static const char *live_release(const fm_live_snap *s, const fm_live_report *r)
{
	if (!r->release && r->profile && s->flink_version && fm_profile_for(s->flink_version) == r->profile)
		return s->flink_version;
	return r->release;
}

int fm_live_render_text(fm_buf *b, const fm_live_snap *s, const fm_live_report *r, const char *url)
{
	int rc = fm_buf_adds(b, "flinkmem live ");
	if (!rc)
		rc = esc(b, url, 2000);
	if (!rc)
		rc = fm_buf_addc(b, '\n') ||
		     (r->profile ? fm_text_release(b, r->profile, live_release(s, r)) : fm_buf_adds(b, "Flink ?"));
	if (!rc)
		rc = fm_buf_adds(b, ", ") || esc(b, r->profile_reason, 400);
	if (!rc)
		rc = fm_buf_adds(b, "\n");
	if (!rc)
		rc = fm_buf_addf(b, "%lld TaskManager%s, %lld slots (%lld free), %lld job%s running",
				 (long long)s->taskmanagers, s->taskmanagers == 1 ? "" : "s", (long long)s->slots_total,
				 (long long)s->slots_free, (long long)s->jobs_running, s->jobs_running == 1 ? "" : "s");
	if (!rc && r->nsamples > 1)
		rc = fm_buf_addf(b, ", %zu samples", r->nsamples);
	if (!rc)
		rc = fm_buf_addf(b, "\n\n%-22s %-11s %-11s %-11s %s\n", "process  (used/limit)", "heap",
				 "metaspace", "direct", "managed");
	if (!rc && s->jm_read) {
		const fm_live_jvm *j = &s->jm;
		int64_t dl = r->derived && r->jm.outcome == FM_DERIVED && r->jm.l.direct_limit ? r->jm.l.off_heap
											: FM_LIVE_NA;
		int64_t ml = j->meta_max > 0 ? j->meta_max
			     : (r->derived && r->jm.outcome == FM_DERIVED) ? r->jm.l.metaspace : FM_LIVE_NA;
		rc = name_col(b, "jobmanager", NULL);
		if (!rc)
			rc = cell(b, j->heap_used, j->heap_max);
		if (!rc)
			rc = cell(b, j->meta_used, ml);
		if (!rc)
			rc = cell(b, j->direct_used, dl);
		if (!rc)
			rc = fm_buf_adds(b, " -");
		if (!rc)
			rc = end_row(b);
	}
	for (size_t i = 0; i < s->ntm && !rc; i++) {
		const fm_live_tm *t = &s->tms[i];
		int64_t ml = t->jvm.meta_max > 0 ? t->jvm.meta_max : t->has_cfg ? t->cfg[FM_LC_METASPACE] : FM_LIVE_NA;
		int64_t dl = t->has_cfg ? t->cfg[FM_LC_FRAMEWORK_OFFHEAP] + t->cfg[FM_LC_TASK_OFFHEAP] +
						t->cfg[FM_LC_NETWORK]
				     : (r->derived && r->tm.outcome == FM_DERIVED) ? r->tm.l.jvm_direct : FM_LIVE_NA;
		rc = name_col(b, "tm ", t->id);
		if (!rc && t->error)
			rc = fm_buf_adds(b, " (not read)\n");
		else {
			if (!rc)
				rc = cell(b, t->jvm.heap_used, t->jvm.heap_max);
			if (!rc)
				rc = cell(b, t->jvm.meta_used, ml);
			if (!rc)
				rc = cell(b, t->jvm.direct_used, dl);
			if (!rc)
				rc = cell(b, t->managed_used, t->managed_total);
			if (!rc)
				rc = end_row(b);
		}
	}
	for (size_t i = 0; i < s->nmissing && !rc; i++) {
		rc = fm_buf_adds(b, i ? "" : "\nnot read:\n");
		if (!rc)
			rc = fm_buf_adds(b, "  ");
		if (!rc)
			rc = esc(b, s->missing[i], 2000);
		if (!rc)
			rc = fm_buf_adds(b, "\n");
	}
	if (!rc)
		rc = fm_buf_adds(b, r->nf ? "\nfindings:\n" : "\nno memory findings\n");
	for (size_t i = 0; i < r->nf && !rc; i++) {
		const fm_live_finding *f = &r->f[i];
		fm_buf t;
		fm_buf_init(&t, 0);
		rc = esc(&t, f->process, 2000);
		if (!rc)
			rc = fm_buf_adds(&t, ": ");
		if (!rc)
			rc = esc(&t, f->message, 4000);
		if (!rc)
			rc = fm_buf_addf(&t, " [%s]", f->code);
		if (!rc)
			rc = fm_buf_addf(b, "%-7s ", sev_name(f->sev));
		if (!rc)
			rc = wrap(b, t.data, 8, 8);
		fm_buf_release(&t);
		if (!rc)
			rc = fm_buf_adds(b, "\n");
		for (const char *p = f->fix; p && *p && !rc;) {
			const char *nl = strchr(p, '\n');
			size_t n = nl ? (size_t)(nl - p) : strlen(p);
			rc = fm_buf_adds(b, p == f->fix ? "        fix: " : "             ");
			if (!rc)
				rc = fm_escape_line(b, p, n, 2000);
			if (!rc)
				rc = fm_buf_adds(b, "\n");
			p += n + (nl ? 1 : 0);
		}
	}
	return rc;
}

static int jkey(fm_buf *b, const char *k, int64_t v, bool comma)
{
	int rc = fm_buf_addf(b, "%s\"%s\":", comma ? "," : "", k);
	if (!rc)
		rc = v < 0 ? fm_buf_adds(b, "null") : fm_json_int(b, v);
	return rc;
}

static int jvm_json(fm_buf *b, const fm_live_jvm *j)
{
	int rc = jkey(b, "heapUsed", j->heap_used, false);
	if (!rc)
		rc = jkey(b, "heapCommitted", j->heap_committed, true);
	if (!rc)
		rc = jkey(b, "heapMax", j->heap_max, true);
	if (!rc)
		rc = jkey(b, "nonHeapUsed", j->nonheap_used, true);
	if (!rc)
		rc = jkey(b, "metaspaceUsed", j->meta_used, true);
	if (!rc)
		rc = jkey(b, "metaspaceMax", j->meta_max, true);
	if (!rc)
		rc = jkey(b, "directCount", j->direct_count, true);
	if (!rc)
		rc = jkey(b, "directUsed", j->direct_used, true);
	if (!rc)
		rc = jkey(b, "directCapacity", j->direct_capacity, true);
	if (!rc)
		rc = jkey(b, "mappedUsed", j->mapped_used, true);
	if (!rc)
		rc = fm_buf_adds(b, ",\"garbageCollectors\":[");
	for (size_t i = 0; i < j->ngc && !rc; i++) {
		rc = fm_buf_adds(b, i ? ",{\"name\":" : "{\"name\":");
		if (!rc)
			rc = fm_json_str(b, j->gc[i].name);
		if (!rc)
			rc = jkey(b, "count", j->gc[i].count, true);
		if (!rc)
			rc = jkey(b, "time", j->gc[i].time_ms, true);
		if (!rc)
			rc = fm_buf_adds(b, "}");
	}
	return rc ? rc : fm_buf_adds(b, "]");
}

static int str_array(fm_buf *b, char *const *v, size_t n)
{
	int rc = fm_buf_adds(b, "[");
	for (size_t i = 0; i < n && !rc; i++) {
		rc = i ? fm_buf_adds(b, ",") : 0;
		if (!rc)
			rc = fm_json_str(b, v[i]);
	}
	return rc ? rc : fm_buf_adds(b, "]");
}

int fm_live_render_json(fm_buf *b, const fm_live_snap *s, const fm_live_report *r, const char *url)
{
	int rc = fm_buf_addc(b, '{') || fm_json_envelope(b, "live", r->profile, live_release(s, r));
	if (!rc && !r->profile)
		rc = fm_buf_adds(b, ",\"flinkVersion\":null,\"profile\":null");
	if (!rc && r->profile)
		rc = fm_buf_adds(b, ",\"profileReleases\":") || fm_json_str(b, r->profile->releases);
	if (!rc)
		rc = fm_buf_adds(b, ",\"profileReason\":");
	if (!rc)
		rc = fm_json_str(b, r->profile_reason);
	if (!rc)
		rc = fm_buf_adds(b, ",\"url\":");
	if (!rc)
		rc = fm_json_str(b, url);
	if (!rc)
		rc = fm_buf_adds(b, ",\"clusterVersion\":");
	if (!rc)
		rc = fm_json_str(b, s->flink_version);
	if (!rc)
		rc = fm_buf_addf(b, ",\"samples\":%zu,\"overview\":{", r->nsamples);
	if (!rc)
		rc = jkey(b, "taskmanagers", s->taskmanagers, false);
	if (!rc)
		rc = jkey(b, "slotsTotal", s->slots_total, true);
	if (!rc)
		rc = jkey(b, "slotsFree", s->slots_free, true);
	if (!rc)
		rc = jkey(b, "jobsRunning", s->jobs_running, true);
	if (!rc)
		rc = jkey(b, "jobsSubmitted", s->jobs_submitted, true);
	if (!rc)
		rc = fm_buf_adds(b, "},\"configured\":");
	if (!rc && r->derived) {
		rc = fm_buf_adds(b, "{\"taskmanager\":");
		if (!rc)
			rc = fm_render_tm_json(b, &r->tm);
		if (!rc)
			rc = fm_buf_adds(b, ",\"jobmanager\":");
		if (!rc)
			rc = fm_render_jm_json(b, &r->jm);
		if (!rc)
			rc = fm_buf_adds(b, "}");
	} else if (!rc) {
		rc = fm_buf_adds(b, "null");
	}
	if (!rc)
		rc = fm_buf_adds(b, ",\"jobmanager\":");
	if (!rc && s->jm_read) {
		rc = fm_buf_adds(b, "{");
		if (!rc)
			rc = jvm_json(b, &s->jm);
		if (!rc)
			rc = fm_buf_adds(b, "}");
	} else if (!rc) {
		rc = fm_buf_adds(b, "null");
	}
	if (!rc)
		rc = fm_buf_adds(b, ",\"taskmanagers\":[");
	for (size_t i = 0; i < s->ntm && !rc; i++) {
		const fm_live_tm *t = &s->tms[i];
		rc = fm_buf_adds(b, i ? ",{\"id\":" : "{\"id\":");
		if (!rc)
			rc = fm_json_str(b, t->id);
		if (!rc)
			rc = fm_buf_adds(b, ",\"path\":");
		if (!rc)
			rc = fm_json_str(b, t->path);
		if (!rc)
			rc = fm_buf_adds(b, ",\"error\":");
		if (!rc)
			rc = fm_json_str(b, t->error);
		if (!rc)
			rc = jkey(b, "slots", t->slots, true);
		if (!rc)
			rc = jkey(b, "freeSlots", t->free_slots, true);
		if (!rc)
			rc = fm_buf_adds(b, ",\"memoryConfiguration\":");
		if (!rc && t->has_cfg) {
			for (int k = 0; k < FM_LC_COUNT && !rc; k++)
				rc = fm_buf_addf(b, "%s\"%s\":%lld", k ? "," : "{", fm_live_cfg_names[k],
						 (long long)t->cfg[k]);
			if (!rc)
				rc = fm_buf_adds(b, "}");
		} else if (!rc) {
			rc = fm_buf_adds(b, "null");
		}
		if (!rc)
			rc = fm_buf_adds(b, ",");
		if (!rc)
			rc = jvm_json(b, &t->jvm);
		if (!rc)
			rc = jkey(b, "managedUsed", t->managed_used, true);
		if (!rc)
			rc = jkey(b, "managedTotal", t->managed_total, true);
		if (!rc)
			rc = jkey(b, "networkAvailable", t->net_avail, true);
		if (!rc)
			rc = jkey(b, "networkUsed", t->net_used, true);
		if (!rc)
			rc = jkey(b, "networkTotal", t->net_total, true);
		if (!rc)
			rc = jkey(b, "segmentsAvailable", t->seg_avail, true);
		if (!rc)
			rc = jkey(b, "segmentsTotal", t->seg_total, true);
		if (!rc)
			rc = fm_buf_adds(b, "}");
	}
	if (!rc)
		rc = fm_buf_adds(b, "],\"missing\":");
	if (!rc)
		rc = str_array(b, s->missing, s->nmissing);
	if (!rc)
		rc = fm_buf_adds(b, ",\"findings\":[");
	for (size_t i = 0; i < r->nf && !rc; i++) {
		const fm_live_finding *f = &r->f[i];
		rc = fm_buf_addf(b, "%s{\"severity\":\"%s\",\"code\":\"%s\",\"process\":", i ? "," : "",
				 sev_name(f->sev), f->code);
		if (!rc)
			rc = fm_json_str(b, f->process);
		if (!rc)
			rc = fm_buf_adds(b, ",\"message\":");
		if (!rc)
			rc = fm_json_str(b, f->message);
		if (!rc)
			rc = fm_buf_adds(b, ",\"fix\":");
		if (!rc)
			rc = fm_json_str(b, f->fix);
		if (!rc)
			rc = fm_buf_adds(b, "}");
	}
	return rc ? rc : fm_buf_adds(b, "]}");
}
