/* plan_net — network buffers and presets for `flinkmem plan`; see plan_net.h. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan_net.h"
#include "flinkmem/memsize.h"
#include "flinkmem/netbuf.h"
#include "flinkmem/presets.h"

const char plan_net_usage[] =
	"  --job-plan FILE        network buffers: demand of a job plan (Flink's REST /jobs/:id/plan JSON,\n"
	"                         or the format of docs/job-plan.md) vs the TaskManager's network memory\n"
	"  --parallelism P        without a plan: a chain at parallelism P ...\n"
	"  --all-to-all-edges K   ... with K all-to-all exchanges (default 1)\n"
	"  --exchange KIND        kind of those exchanges: pipelined (default), blocking, hybrid\n"
	"  --slots N              slots per TaskManager (default: taskmanager.numberOfTaskSlots)\n"
	"  --no-slot-sharing      one subtask per slot (default: slot sharing, one of each vertex)\n"
	"  --preset NAME          streaming-rocksdb, batch, containerized, standalone (docs/presets.md),\n"
	"                         computed for --container SIZE\n";

bool plan_net_option(plan_net_opts *o, int c, const char *arg)
{
	switch (c) {
	case PN_JOB_PLAN: o->job_plan = arg; return true;
	case PN_SLOTS: o->slots = arg; return true;
	case PN_PARALLELISM: o->parallelism = arg; return true;
	case PN_EDGES: o->edges = arg; return true;
	case PN_EXCHANGE: o->exchange = arg; return true;
	case PN_PRESET: o->preset = arg; return true;
	case PN_NO_SHARING: o->no_slot_sharing = true; return true;
	default: return false;
	}
}

bool plan_net_wanted(const plan_net_opts *o)
{
	return o->job_plan || o->parallelism || o->edges || o->preset;
}

/* A positive int option (strict digits). */
static int int_opt(const char *name, const char *s, long lo, long hi, int32_t *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi) {
		cli_err("plan: %s %s: expected a whole number from %ld to %ld", name, s, lo, hi);
		return 2;
	}
	*out = (int32_t)v;
	return 0;
}

static void json_num_or_null(fm_buf *b, int64_t v, bool present)
{
	if (present)
		fm_json_int(b, v);
	else
		fm_buf_adds(b, "null");
}

static void buffers_text(fm_buf *b, const char *label, int64_t n, int64_t seg)
{
	if (n < 0) {
		fm_buf_addf(b, "  %-28s Flink rejects the config\n", label);
		return;
	}
	char h[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(h, n < INT64_MAX / seg ? n * seg : INT64_MAX);
	fm_buf_addf(b, "  %-28s %lld buffers (%s)\n", label, (long long)n, h);
}

static void render_net(const fm_nb_result *r, const fm_job_plan *jp, const char *source, const fm_profile *p,
		       bool preset, fm_buf *t, fm_buf *j)
{
	const fm_nb_demand *d = &r->demand;
	int64_t seg = r->rules.segment;
	fm_buf_addf(t, "\nNetwork buffers (Flink %s, %s; segment %lld bytes)\n", p->name, fm_nb_era_name(r->rules.era),
		    (long long)seg);
	fm_buf_addf(t, "  job: %s: %zu vertices, %zu network edges; %d slot(s) per TaskManager, slot sharing %s; "
		       "the job spans %lld TaskManager(s)%s\n",
		    source, jp->nv, jp->ne, (int)d->slots, d->slot_sharing ? "on" : "off", (long long)d->taskmanagers,
		    d->local_only ? " (all channels local)" : "");
	fm_buf_addf(t, "  %-32s %11s %8s %9s %9s %10s\n", "vertex", "parallelism", "on TM", "in/task", "out/task", "buffers");
	for (size_t i = 0; i < jp->nv; i++) {
		const fm_nb_vertex_demand *v = &d->v[i];
		if (!v->on_tm)
			continue;
		char nm[33];
		snprintf(nm, sizeof nm, "%s", jp->v[i].name);
		for (char *q = nm; *q; q++)
			if (*q == '\n' || *q == '\r' || *q == '\t')
				*q = ' ';
		int64_t tot = v->on_tm * (v->inputs + v->outputs);
		fm_buf_addf(t, "  %-32s %11d %8lld %9lld %9lld %10lld\n", nm, (int)jp->v[i].parallelism, (long long)v->on_tm,
			    (long long)v->inputs, (long long)v->outputs, (long long)tot);
	}
	buffers_text(t, "required per TaskManager:", d->per_tm, seg);
	buffers_text(t, preset ? "available with the preset:" : "available before:", r->supply_before, seg);
	buffers_text(t, "available after:", r->supply_after, seg);
	fm_buf_addf(t, "  verdict: %s\n", r->fits_before && r->plan.nchanges == 0
					  ? (preset ? "the demand fits the preset's layout" : "the demand fits as configured")
				  : r->feasible ? "fits with the changes above"
						: "does not fit at this size");
	if (r->fraction[0]) {
		char h[FM_SIZE_HUMAN_MAX];
		fm_size_human_c(h, r->fraction_network);
		fm_buf_addf(t, "  alternative: taskmanager.memory.network.fraction: %s (network %s), scales with the process size\n",
			    r->fraction, h);
	}
	if (r->grew_process) {
		char h[FM_SIZE_HUMAN_MAX];
		fm_size_human_c(h, r->container_needed);
		fm_buf_addf(t, "  the process was too small for this network: taskmanager.memory.process.size grows to %s, the "
			       "smallest size that holds it with the task heap kept\n", h);
	}
	if (!r->feasible) {
		if (r->container_needed > 0) {
			char h[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(h, r->container_needed);
			fm_buf_addf(t, "  impossible at this size: the demand (with the task heap kept) needs a TaskManager process of at least %s "
				       "(taskmanager.memory.process.size: %lldm), or fewer slots / lower parallelism\n",
				    h, (long long)(r->container_needed >> 20));
		} else {
			fm_buf_adds(t, "  impossible: no TaskManager up to 1 TiB holds this demand; lower the parallelism or the "
				       "slots per TaskManager\n");
		}
	}
	/* JSON member */
	fm_buf_adds(j, ",\"networkBuffers\":{\"rules\":");
	fm_json_str(j, fm_nb_era_name(r->rules.era));
	fm_buf_adds(j, ",\"segmentSize\":");
	fm_json_int(j, seg);
	fm_buf_adds(j, ",\"slots\":");
	fm_json_int(j, d->slots);
	fm_buf_addf(j, ",\"slotSharing\":%s,\"taskManagers\":", d->slot_sharing ? "true" : "false");
	fm_json_int(j, d->taskmanagers);
	fm_buf_addf(j, ",\"allChannelsLocal\":%s,\"requiredPerTaskManager\":", d->local_only ? "true" : "false");
	fm_json_int(j, d->per_tm);
	fm_buf_adds(j, ",\"requiredBytes\":");
	fm_json_int(j, r->need_bytes);
	fm_buf_adds(j, ",\"availableBefore\":");
	json_num_or_null(j, r->supply_before, r->supply_before >= 0);
	fm_buf_adds(j, ",\"availableAfter\":");
	json_num_or_null(j, r->supply_after, r->supply_after >= 0);
	fm_buf_addf(j, ",\"fitsBefore\":%s,\"fits\":%s,\"fraction\":", r->fits_before ? "true" : "false",
		    r->feasible ? "true" : "false");
	fm_json_str(j, r->fraction[0] ? r->fraction : NULL);
	fm_buf_adds(j, ",\"fractionNetwork\":");
	json_num_or_null(j, r->fraction_network, r->fraction[0] != '\0');
	fm_buf_adds(j, ",\"processSizeNeeded\":");
	json_num_or_null(j, r->container_needed, r->container_needed > 0);
	fm_buf_addf(j, ",\"processGrown\":%s", r->grew_process ? "true" : "false");
	fm_buf_adds(j, ",\"vertices\":[");
	for (size_t i = 0; i < jp->nv; i++) {
		fm_buf_adds(j, i ? ",{\"id\":" : "{\"id\":");
		fm_json_str(j, jp->v[i].id);
		fm_buf_adds(j, ",\"name\":");
		fm_json_str(j, jp->v[i].name);
		fm_buf_addf(j, ",\"parallelism\":%d,\"onTaskManager\":", (int)jp->v[i].parallelism);
		fm_json_int(j, d->v[i].on_tm);
		fm_buf_adds(j, ",\"inputBuffers\":");
		fm_json_int(j, d->v[i].inputs);
		fm_buf_adds(j, ",\"outputBuffers\":");
		fm_json_int(j, d->v[i].outputs);
		fm_buf_addc(j, '}');
	}
	fm_buf_adds(j, "]}");
}

static int load_plan(const plan_net_opts *o, fm_job_plan *jp, char **source)
{
	if (o->job_plan) {
		size_t len;
		char *data = cli_read_file(o->job_plan, &len);
		if (!data) {
			cli_read_err(o->job_plan);
			return 2;
		}
		fm_diag d = FM_DIAG_INIT;
		int rc = fm_job_plan_parse(data, len, o->job_plan, jp, &d);
		free(data);
		if (rc == FM_ENOMEM) {
			fm_diag_release(&d);
			return -1;
		}
		if (rc) {
			if (d.key)
				cli_err("%s:%u:%u: %s (%s)", o->job_plan, d.line, d.col, d.msg ? d.msg : fm_strerror(rc), d.key);
			else
				cli_err("%s:%u:%u: %s", o->job_plan, d.line, d.col, d.msg ? d.msg : fm_strerror(rc));
			fm_diag_release(&d);
			return 2;
		}
		if (asprintf(source, "%s%s%s%s", o->job_plan, jp->name ? " (" : "", jp->name ? jp->name : "",
			     jp->name ? ")" : "") < 0)
			return -1;
		return 0;
	}
	int32_t par = 0, k = 1;
	if (!o->parallelism) {
		cli_err("plan: --all-to-all-edges needs --parallelism P (or give --job-plan FILE)");
		return 2;
	}
	if (int_opt("--parallelism", o->parallelism, 1, FM_NB_MAX_PARALLELISM, &par) ||
	    (o->edges && int_opt("--all-to-all-edges", o->edges, 0, FM_NB_MAX_VERTICES - 1, &k)))
		return 2;
	fm_nb_kind kind = FM_NB_PIPELINED;
	if (o->exchange) {
		if (!strcmp(o->exchange, "pipelined"))
			kind = FM_NB_PIPELINED;
		else if (!strcmp(o->exchange, "blocking"))
			kind = FM_NB_BLOCKING;
		else if (!strcmp(o->exchange, "hybrid"))
			kind = FM_NB_HYBRID;
		else {
			cli_err("plan: --exchange %s: use pipelined, blocking or hybrid", o->exchange);
			return 2;
		}
	}
	if (fm_job_plan_synthetic(par, k, kind, jp))
		return -1;
	if (asprintf(source, "chain at parallelism %d with %d %s all-to-all edge(s)", (int)par, (int)k,
		     fm_nb_kind_name(kind)) < 0)
		return -1;
	return 0;
}

/* Re-plans c with the preset's changes followed by the network changes,
 * so the final plan lists every key against the original config. */
static int combine(cli_conf *cc, const fm_plan *first, const fm_plan *second, fm_plan *out)
{
	size_t n = first->nchanges + second->nchanges;
	const char **k = calloc(n ? n : 1, sizeof(*k)), **v = calloc(n ? n : 1, sizeof(*v));
	int rc = FM_ENOMEM;
	if (k && v) {
		size_t m = 0;
		for (size_t i = 0; i < first->nchanges; i++, m++) {
			k[m] = first->changes[i].key;
			v[m] = first->changes[i].to;
		}
		for (size_t i = 0; i < second->nchanges; i++, m++) {
			k[m] = second->changes[i].key;
			v[m] = second->changes[i].to;
		}
		rc = fm_plan_whatif(cc->conf, cc->profile, &cc->env, k, v, n, out);
	}
	free(k);
	free(v);
	if (rc)
		return rc;
	/* the combined what-if explains the moves itself: keep only the
	 * notes that say why a key is set */
	const fm_plan *src[2] = {first, second};
	for (size_t s = 0; s < 2; s++)
		for (size_t i = 0; i < src[s]->nnotes; i++) {
			if (!strncmp(src[s]->notes[i], "TaskManager: ", 13) ||
			    !strncmp(src[s]->notes[i], "the process size stays ", 23))
				continue;
			char **nv = realloc(out->notes, (out->nnotes + 1) * sizeof(*nv));
			if (!nv)
				return FM_ENOMEM;
			out->notes = nv;
			if (!(out->notes[out->nnotes] = strdup(src[s]->notes[i])))
				return FM_ENOMEM;
			out->nnotes++;
		}
	return FM_OK;
}

int plan_net_build(cli_conf *cc, const plan_net_opts *o, const char *container, fm_plan *pl, fm_buf *text,
		   fm_buf *json, char *title, size_t tcap)
{
	int64_t cb = 0;
	int32_t slots = 0;
	if (container) {
		fm_jexc je = {0};
		if (fm_size_parse(container, strlen(container), &cb, &je) != 0 || cb <= 0) {
			cli_err("plan: --container %s: %s", container, je.msg ? je.msg : "must be a positive size");
			fm_jexc_release(&je);
			return 2;
		}
	}
	if (o->slots && int_opt("--slots", o->slots, 1, 1 << 20, &slots))
		return 2;
	fm_plan preset = {0};
	const fm_conf *base = cc->conf;
	if (o->preset) {
		fm_diag d = FM_DIAG_INIT;
		int rc = fm_preset_plan(o->preset, cc->conf, cc->profile, &cc->env, cb, &preset, &d);
		if (rc == FM_ENOMEM)
			return -1;
		if (rc) {
			cli_err("plan: %s", d.msg ? d.msg : fm_strerror(rc));
			fm_diag_release(&d);
			return 2;
		}
		base = preset.after;
		cb = 0; /* the preset already placed the size */
		snprintf(title, tcap, "Preset %s for Flink %s (%s)%s%s", o->preset, cc->profile->name, cc->profile->releases,
			 container ? ", container " : "", container ? container : "");
	}
	if (!o->job_plan && !o->parallelism && !o->edges) {
		*pl = preset;
		return 0;
	}
	fm_job_plan jp = {0};
	char *source = NULL;
	int rc = load_plan(o, &jp, &source);
	if (rc) {
		fm_plan_release(&preset);
		return rc;
	}
	fm_nb_result r;
	fm_diag d = FM_DIAG_INIT;
	rc = fm_nb_solve(base, cc->profile, &cc->env, &jp, slots, !o->no_slot_sharing, cb, &r, &d);
	if (rc) {
		if (rc != FM_ENOMEM)
			cli_err("%s:%u:%u: %s (%s)", d.file ? d.file : "-D", d.line, d.col, d.msg ? d.msg : fm_strerror(rc),
				d.key ? d.key : "");
		fm_diag_release(&d);
		fm_job_plan_release(&jp);
		free(source);
		fm_plan_release(&preset);
		return rc == FM_ENOMEM ? -1 : 2;
	}
	render_net(&r, &jp, source, cc->profile, o->preset != NULL, text, json);
	if (o->preset) {
		rc = combine(cc, &preset, &r.plan, pl);
		if (!rc)
			pl->feasible = r.feasible && pl->feasible;
	} else {
		*pl = r.plan;
		r.plan = (fm_plan){0};
		snprintf(title, tcap, "Network buffers for Flink %s (%s)%s%s", cc->profile->name, cc->profile->releases,
			 container ? ", process size pinned to " : "", container ? container : "");
	}
	fm_nb_result_release(&r);
	fm_job_plan_release(&jp);
	free(source);
	fm_plan_release(&preset);
	return rc ? -1 : 0;
}
