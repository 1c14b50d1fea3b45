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
	"  --job-plan FILE        network buffers: demand of a job plan (Flink's REST\n"
	"                         /jobs/:id/plan JSON, or the format of\n"
	"                         docs/job-plan.md) vs the TaskManager's network memory\n"
	"  --parallelism P        without a plan: a chain at parallelism P ...\n"
	"  --all-to-all-edges K   ... with K all-to-all exchanges (default 1)\n"
	"  --exchange KIND        kind of those exchanges: pipelined (default),\n"
	"                         blocking, hybrid\n"
	"  --slots N              slots per TaskManager (default:\n"
	"                         taskmanager.numberOfTaskSlots)\n"
	"  --no-slot-sharing      one subtask per slot (default: slot sharing, one of\n"
	"                         each vertex)\n"
	"  --preset NAME          streaming-rocksdb, batch, containerized, standalone\n"
	"                         (docs/presets.md), computed for --container SIZE\n";

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
		/* --slots is the TaskManager's slot count the preset plans for: its
		 * per-slot shares (RocksDB's managed memory, network buffers) are
		 * of that many slots, and the config snippet sets it */
		fm_plan with_slots = {0};
		if (slots) {
			char v[16];
			snprintf(v, sizeof v, "%d", (int)slots);
			const char *k[] = {"taskmanager.numberOfTaskSlots"}, *vv[] = {v};
			if (fm_plan_whatif(cc->conf, cc->profile, &cc->env, k, vv, 1, &with_slots))
				return -1;
		}
		fm_plan only = {0};
		int rc = fm_preset_plan(o->preset, slots ? with_slots.after : cc->conf, cc->profile, &cc->env, cb,
					slots ? &only : &preset, &d);
		if (!rc && slots) {
			rc = fm_plan_combine(cc->conf, cc->profile, &cc->env, &with_slots, &only, &preset);
			if (!rc)
				preset.feasible = only.feasible && preset.feasible;
		}
		fm_plan_release(&only);
		fm_plan_release(&with_slots);
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
	if (fm_nb_render(&r, &jp, source, cc->profile, o->preset != NULL, text, json))
		rc = FM_ENOMEM;
	if (!rc && o->preset) {
		rc = fm_plan_combine(cc->conf, cc->profile, &cc->env, &preset, &r.plan, pl);
		if (!rc)
			pl->feasible = r.feasible && pl->feasible;
	} else if (!rc) {
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
