/* incidents — grouping, process attribution, root vs aftermath; see
 * include/flinkmem/incidents.h. */
#include "flinkmem/incidents.h"
#include "flinkmem/podfacts.h"

#include "flinkmem/buf.h"
#include "flinkmem/codelit.h"
#include "flinkmem/derive.h"
#include "flinkmem/jchain.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define EPERM_MAX 32 /* also the config-file read failures kept (unreadable) */
#define LATE_CUE_WINDOW 60 /* frames below an error line name its process */
/* lines after another system's log line whose error is its: the line
 * itself (a JSON record with its trace) and the trace's first line below
 * it; a later line may be another process's (only lines with a match say
 * where a new log line began) */
#define OTHER_CUE_WINDOW 1
#define TASK_FAIL_WINDOW 400 /* lines after a task failure that belong to its stack trace */
#define TAIL_WINDOW 120      /* lines a YARN diagnostics' 4096-byte stderr tail spans at most */
#define TAIL_PEER_WINDOW 12  /* lines from the container's id to its stderr tail */
#define EPERM_WINDOW 60
#define CAUSE_WINDOW 200 /* a "Caused by:" this close below a wrapper belongs to its trace */

/* where a look-alike's cue was seen: input and line */
typedef struct mark {
	uint32_t input;
	uint64_t line;
	bool threads; /* (EPERM marks) the JVM's GC threads refused at start-up, not a permission text */
} mark;

typedef struct group {
	fm_incident inc;
	fm_sig_role role;
	size_t sig;           /* non-primary roles group by signature */
	uint32_t last_input;  /* where the group's latest event is */
	uint64_t last_line;
	fm_process late_proc; /* named by frames below an assumed-process error */
	bool soft;            /* process taken from an outside input or cue: frames may override */
	size_t carried;       /* events that only wrap a deeper memory cause of another kind */
	uint32_t key_input;   /* primary: the only input it takes events from (ANY_INPUT: all) */
} group;

#define ANY_INPUT UINT32_MAX
#define SETTLED_INPUT (UINT32_MAX - 1) /* per-input groups once their input is read */

struct fm_collector {
	group *g;
	size_t ng, capg;
	fm_input_info *in;
	size_t nin, capin;
	mark eperm[EPERM_MAX], unreadable[EPERM_MAX];
	size_t neperm, nunreadable;
	mark probe_kill; /* the first kubelet kill for a failed probe (line 0: none) */
	bool probe_explained; /* ... and an exit 137 it explains was dropped */
	size_t restarts, submissions, leak_hints, legacy_keys;
	int64_t yarn_max_mb;
	int rocksdb;
	bool forst;
	bool local;
	bool net_high;
	uint64_t *seen;       /* open-addressing set of (group, instance) hashes, 0 = free */
	size_t nseen, capseen;
	struct gslot { uint64_t key; size_t ix; } *gmap; /* group lookup: key -> index + 1 (0 = free) */
	size_t ngmap, capgmap;
	size_t recent[8];     /* primary groups whose process is not known yet, latest first */
	size_t nrecent;
	size_t *open;         /* per-input groups of the input being read */
	size_t nopen, capopen;
	uint32_t open_input;
};

fm_collector *fm_collector_new(void)
{
	fm_collector *c = calloc(1, sizeof *c);
	if (c)
		c->rocksdb = -1;
	return c;
}

static void inc_release(fm_incident *i)
{
	for (size_t k = 0; k < i->nev; k++)
		free(i->ev[k].text);
	free(i->ev);
	free(i->instance);
	for (size_t k = 0; k < i->ninst; k++)
		free(i->inst[k].name);
	free(i->inst);
	*i = (fm_incident){0};
}

static void input_release(fm_input_info *in)
{
	free(in->name);
	free(in->instance);
	free(in->version);
	free(in->literal);
}

void fm_collector_free(fm_collector *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->ng; i++)
		inc_release(&c->g[i].inc);
	free(c->g);
	for (size_t i = 0; i < c->nin; i++)
		input_release(&c->in[i]);
	free(c->in);
	free(c->seen);
	free(c->gmap);
	free(c->open);
	free(c);
}

static bool contains(const char *s, const char *needle)
{
	return s && strstr(s, needle) != NULL;
}

/* Pod, container, file and header names of processes outside the cluster. */
static fm_process outside_from_name(const char *s)
{
	if (!s)
		return FM_PROC_UNKNOWN;
	if (contains(s, "submitter"))
		return FM_PROC_SUBMITTER;
	if (contains(s, "flink-kubernetes-operator") || contains(s, "flink-operator") || contains(s, "Kubernetes Operator"))
		return FM_PROC_OPERATOR;
	if (contains(s, "historyserver") || contains(s, "history-server") || contains(s, "HistoryServer"))
		return FM_PROC_HISTORY;
	if (contains(s, "sql-gateway") || contains(s, "SqlGateway") || contains(s, "SQL Gateway"))
		return FM_PROC_SQL_GATEWAY;
	if (contains(s, "job-server") || contains(s, "jobserver") || contains(s, "JobServer"))
		return FM_PROC_JOB_SERVER;
	if (contains(s, "-client-") || contains(s, "sql-client") || contains(s, "Command Line Client") ||
	    contains(s, "SQL Client"))
		return FM_PROC_CLIENT;
	return FM_PROC_UNKNOWN;
}

/* The cluster's own words win: "shop-client-taskmanager-1-1" is a
 * TaskManager pod; only names without them can be an outside process. */
static fm_process proc_from_name(const char *s)
{
	if (!s)
		return FM_PROC_UNKNOWN;
	if (contains(s, "taskmanager") || contains(s, "taskexecutor") || contains(s, "TaskManager") ||
	    contains(s, "TaskExecutor") || contains(s, "Task Manager"))
		return FM_PROC_TM;
	if (contains(s, "jobmanager") || contains(s, "JobManager") || contains(s, "entrypoint") ||
	    contains(s, "Entrypoint") || contains(s, "Job Manager") || contains(s, "standalonesession") ||
	    contains(s, "standalonejob"))
		return FM_PROC_JM;
	return outside_from_name(s);
}

/* Last resort before assuming: a described failure ("the JobManager
 * container was killed") that names exactly one side in words. Words only:
 * host and pod names ("flink-jobmanager-1") say where a line was logged,
 * not whose memory failed. */
static fm_process prose_process(const char *s)
{
	bool tm = contains(s, "TaskManager") || contains(s, "Task Manager") || contains(s, "TaskExecutor") ||
		  contains(s, "task executor") || contains(s, "task manager");
	bool jm = contains(s, "JobManager") || contains(s, "Job Manager") || contains(s, "ApplicationMaster") ||
		  contains(s, "job manager");
	/* the Flink Kubernetes operator named as the subject, and no cluster
	 * process: its own pod (it runs as the flink-kubernetes-operator
	 * Deployment, outside every Flink cluster) */
	if (!tm && !jm && (contains(s, "Kubernetes Operator") || contains(s, "kubernetes operator") ||
			   contains(s, "flink-kubernetes-operator")))
		return FM_PROC_OPERATOR;
	if (tm == jm)
		return FM_PROC_UNKNOWN;
	return tm ? FM_PROC_TM : FM_PROC_JM;
}

static char *escaped(const char *s)
{
	fm_buf b = FM_BUF_INIT;
	if (fm_escape_line(&b, s, strlen(s), 4096)) {
		fm_buf_release(&b);
		return NULL;
	}
	return fm_buf_detach(&b, NULL);
}

void fm_collector_input_default(fm_collector *c, uint32_t idx)
{
	if (idx < c->nin)
		c->in[idx].proc_default = true;
}

/* line ranges an input was given (past max, the rest are dropped) and
 * whether a line lies in one */
static void add_ranges(fm_line_range *v, size_t *nv, size_t max, const uint64_t (*from_to)[2], size_t n)
{
	for (size_t i = 0; i < n && *nv < max; i++, ++*nv) {
		v[*nv].from = from_to[i][0];
		v[*nv].to = from_to[i][1];
	}
}

static bool in_ranges(const fm_line_range *v, size_t nv, uint64_t line)
{
	for (size_t i = 0; i < nv; i++)
		if (line >= v[i].from && line <= v[i].to)
			return true;
	return false;
}

void fm_collector_input_sidecars(fm_collector *c, uint32_t idx, const uint64_t (*from_to)[2], size_t n)
{
	if (idx < c->nin)
		add_ranges(c->in[idx].sidecar, &c->in[idx].nsidecar, FM_SIDECARS_MAX, from_to, n);
}

int fm_collector_input_literals(fm_collector *c, uint32_t idx, const uint64_t (*from_to)[2], size_t n)
{
	if (idx >= c->nin || !n)
		return FM_OK;
	fm_input_info *in = &c->in[idx];
	if (n > FM_LITERALS_MAX - in->nliteral)
		n = FM_LITERALS_MAX - in->nliteral;
	fm_line_range *v = realloc(in->literal, (in->nliteral + n) * sizeof *v);
	if (!v)
		return FM_ENOMEM;
	in->literal = v;
	add_ranges(in->literal, &in->nliteral, FM_LITERALS_MAX, from_to, n);
	return FM_OK;
}

int fm_collector_input(fm_collector *c, const char *name, fm_process proc, fm_platform platform,
		       const char *instance, uint32_t *idx)
{
	if (fm_grow(&c->in, c->nin, &c->capin, sizeof *c->in, 8) != FM_OK)
		return FM_ENOMEM;
	fm_input_info *in = &c->in[c->nin];
	*in = (fm_input_info){0};
	/* names end up in the output: a file or pod name cannot smuggle escapes */
	in->name = escaped(name ? name : "-");
	in->instance = instance ? escaped(instance) : NULL;
	if (!in->name || (instance && !in->instance)) {
		input_release(in);
		return FM_ENOMEM;
	}
	in->proc = proc;
	in->platform = platform;
	if (in->proc == FM_PROC_UNKNOWN) {
		/* a job-submitter pod, the operator's pod, a client log file */
		const char *base = strrchr(in->name, '/');
		in->proc = outside_from_name(base ? base + 1 : in->name);
		if (in->proc == FM_PROC_UNKNOWN)
			in->proc = outside_from_name(in->instance);
	}
	in->flink_seen = proc == FM_PROC_TM || proc == FM_PROC_JM;
	*idx = (uint32_t)c->nin++;
	return FM_OK;
}

static group *new_group(fm_collector *c)
{
	if (fm_grow(&c->g, c->ng, &c->capg, sizeof *c->g, 16) != FM_OK)
		return NULL;
	group *g = &c->g[c->ng++];
	*g = (group){0};
	g->inc.time_ms = -1;
	return g;
}

/* Keeps the event's text as evidence while there is room (takes ownership). */
static bool ev_before(uint32_t ai, uint64_t al, uint32_t bi, uint64_t bl)
{
	return ai < bi || (ai == bi && al < bl);
}

static int add_evidence(fm_incident *inc, uint32_t input, fm_event *ev)
{
	if (inc->nev >= FM_EVIDENCE_MAX) {
		/* full: replace the last kept line if this one comes earlier */
		size_t worst = 0;
		for (size_t k = 1; k < inc->nev; k++)
			if (ev_before(inc->ev[worst].input, inc->ev[worst].line, inc->ev[k].input, inc->ev[k].line))
				worst = k;
		fm_evidence *w = &inc->ev[worst];
		if (ev_before(input, ev->line, w->input, w->line)) {
			free(w->text);
			w->input = input;
			w->line = ev->line;
			memcpy(w->time, ev->time, sizeof w->time);
			w->sig = ev->s->id;
			w->text = ev->text;
			ev->text = NULL;
		}
		fm_event_release(ev);
		return FM_OK;
	}
	if (!inc->ev && !(inc->ev = calloc(FM_EVIDENCE_MAX, sizeof *inc->ev))) {
		fm_event_release(ev);
		return FM_ENOMEM;
	}
	fm_evidence *e = &inc->ev[inc->nev++];
	e->input = input;
	e->line = ev->line;
	memcpy(e->time, ev->time, sizeof e->time);
	e->sig = ev->s->id;
	e->text = ev->text;
	ev->text = NULL;
	return FM_OK;
}

/* Config rows that only say "Flink rejected something": the start
 * script's "Could not get JVM parameters" (BashJavaUtils' exception
 * follows it) and the catch-all over IllegalConfigurationException. */
static bool config_catch_all(const fm_sig *s)
{
	return s && (!strcmp(s->id, "SCRIPT_PARAMS_FAIL") || !strcmp(s->id, "CFG_ILLEGAL_MEMORY_ANY"));
}

static void first_seen(fm_incident *inc, uint32_t input, const fm_event *ev)
{
	/* the cause Flink names beats the wrapper that reports it: a specific
	 * row later in the same rejection describes the incident (its numbers
	 * and keys), while the first line keeps saying where it started */
	if (inc->count && config_catch_all(inc->sig) && ev->s->failure == FM_F_CONFIG && !config_catch_all(ev->s)) {
		inc->sig = ev->s;
		if (ev->nnum) {
			memcpy(inc->num, ev->num, sizeof inc->num);
			inc->nnum = ev->nnum;
		}
	}
	/* the smallest (input, line): the same whatever order parallel scans report in */
	if (inc->count == 0 || input < inc->input || (input == inc->input && ev->line < inc->line)) {
		inc->input = input;
		inc->line = ev->line;
		if (!inc->count || !config_catch_all(ev->s) || config_catch_all(inc->sig))
			inc->sig = ev->s;
		if (ev->nnum) {
			memcpy(inc->num, ev->num, sizeof inc->num);
			inc->nnum = ev->nnum;
		}
	}
	if (ev->time_ms >= 0 && (inc->time_ms < 0 || ev->time_ms < inc->time_ms)) {
		inc->time_ms = ev->time_ms;
		memcpy(inc->time, ev->time, sizeof inc->time);
	}
	if (!inc->nnum && ev->nnum) {
		memcpy(inc->num, ev->num, sizeof inc->num);
		inc->nnum = ev->nnum;
	}
	if (!inc->container_limit)
		inc->container_limit = ev->container_limit;
	if (!inc->evict_request && ev->evict_request) {
		inc->evict_request = ev->evict_request;
		inc->evict_usage = ev->evict_usage;
	}
	if (!inc->victim_rss)
		inc->victim_rss = ev->victim_rss;
	if (!inc->victim[0])
		memcpy(inc->victim, ev->victim, sizeof inc->victim);
	inc->count++;
}

static fm_process peer_process(const char *peer)
{
	size_t n = strlen(peer);
	/* the first YARN container of an application is its master (the JM),
	 * and an application attempt is the master's */
	if ((!strncmp(peer, "container_", 10) && n > 7 && !strcmp(peer + n - 7, "_000001")) ||
	    !strncmp(peer, "appattempt_", 11))
		return FM_PROC_JM;
	fm_process p = proc_from_name(peer);
	return p == FM_PROC_UNKNOWN ? FM_PROC_TM : p;
}

/* KubernetesPod's termination diagnostics ("NAME(exitCode=137, reason=...,
 * message=...)") are written only by the resource manager's driver about
 * its worker pods (onWorkerTerminated): a line that names no pod still
 * reports a TaskManager, whoever's log holds it. */
static bool worker_diagnostics(const fm_sig *s)
{
	return s->proc == FM_PH_PEER && s->failure == FM_F_K8S && !strncmp(s->id, "FLINK_POD_", 10);
}

static bool jm_deployment_pod(const fm_input_info *in, const char *line);

/* A stack frame's line ("\tat pkg.Class.method(File.java:1)"), not a log
 * line that names a class. */
static bool is_frame_line(const char *t)
{
	if (!t)
		return false;
	while (*t == ' ' || *t == '\t')
		t++;
	return !strncmp(t, "at ", 3);
}

static void set_cue(fm_input_info *in, fm_process p, uint64_t line)
{
	in->cue_proc = p;
	in->cue_line = line;
}

/* Frames just below an error whose process nothing named yet, or that an
 * outside input only presumed (a client log also prints the cluster's
 * failures: their frames say TaskManager). */
static void late_cue(fm_collector *c, fm_input_info *in, const fm_event *ev)
{
	uint32_t idx = (uint32_t)(in - c->in);
	for (size_t r = 0; r < c->nrecent; r++) {
		group *g = &c->g[c->recent[r]];
		if (g->role == FM_ROLE_PRIMARY && (g->inc.proc_assumed || g->inc.proc == FM_PROC_UNKNOWN || g->soft) &&
		    g->late_proc == FM_PROC_UNKNOWN && g->last_input == idx && ev->line >= g->last_line &&
		    ev->line <= g->last_line + LATE_CUE_WINDOW)
			g->late_proc = ev->proc;
	}
}

static void on_context(fm_collector *c, fm_input_info *in, const fm_event *ev)
{
	const char *id = ev->s->id;
	const char *t = ev->text;
	if (!strcmp(id, "CTX_STARTING") || !strcmp(id, "CTX_STARTING_OLD")) {
		if (in->proc == FM_PROC_UNKNOWN || !in->version) {
			const char *st = strstr(t, "Starting ");
			fm_process p = proc_from_name(st);
			if (p != FM_PROC_UNKNOWN && (!in->version || in->proc == FM_PROC_UNKNOWN))
				in->proc = p;
		}
		const char *v = strstr(t, "(Version: ");
		if (v && !in->version) {
			v += 10;
			size_t k = 0;
			while (v[k] && v[k] != ',' && v[k] != ')' && v[k] != ' ' && k < 32)
				k++;
			if (k && (in->version = malloc(k + 1))) {
				memcpy(in->version, v, k);
				in->version[k] = '\0';
			}
		}
	} else if (!strcmp(id, "CTX_POD_NAME")) {
		if (strncmp(t, "Name:", 5))
			return; /* "Name:" must start the line (describe output) */
		in->platform = FM_PLAT_K8S;
		const char *p = strstr(t, "Name:");
		if (p && !in->instance) {
			p += 5;
			for (;;) {
				if (*p == ' ')
					p++;
				else if (p[0] == '\\' && p[1] == 't')
					p += 2;
				else
					break;
			}
			size_t k = 0;
			while (p[k] && p[k] != ' ' && p[k] != '\\')
				k++;
			if (k)
				in->instance = strndup(p, k);
		}
		if (in->proc == FM_PROC_UNKNOWN)
			in->proc = proc_from_name(in->instance);
	} else if (!strcmp(id, "CTX_COMPONENT")) {
		in->platform = FM_PLAT_K8S;
		in->proc = contains(t, "taskmanager") ? FM_PROC_TM : FM_PROC_JM;
	} else if (!strcmp(id, "CTX_CONTAINER_ID")) {
		if (in->platform == FM_PLAT_UNKNOWN)
			in->platform = FM_PLAT_YARN;
	} else if (!strcmp(id, "CTX_TASK_FAILED") || !strcmp(id, "CTX_JOB_FAILED")) {
		set_cue(in, FM_PROC_TM, ev->line);
	} else if (!strcmp(id, "CTX_AM_CONTAINER")) {
		set_cue(in, FM_PROC_JM, ev->line);
	} else if (!strcmp(id, "CTX_YARN_STDERR_TAIL")) {
		/* whose stderr: the container the diagnostics named a few lines up */
		const char *peer = ev->peer[0] ? ev->peer
				   : in->last_peer_line && ev->line - in->last_peer_line <= TAIL_PEER_WINDOW ? in->last_peer
													   : NULL;
		if (peer) {
			in->tail_proc = peer_process(peer);
			in->tail_line = ev->line;
			in->tail_time_line = in->last_time_line;
		}
	} else if (!strcmp(id, "CTX_PY4J") || !strcmp(id, "CTX_REST_SERVER_SIDE")) {
		set_cue(in, ev->proc, ev->line);
	} else if (ev->s->proc == FM_PH_OTHER) {
		in->other_seen = true;
		if (in->proc == FM_PROC_UNKNOWN)
			in->proc = FM_PROC_OTHER;
		/* its log line (not a frame of a trace): in input that mixes
		 * processes (a shipper's output, a node's logs) the error it
		 * logs is that system's, not the input's Flink process's */
		if (!is_frame_line(t)) {
			in->other_line = ev->line;
			in->other_time_line = in->last_time_line;
		}
	} else if (fm_process_outside(ev->proc) && ev->s->proc != FM_PH_ANY) {
		/* an outside process's logger or frame: the input is its log, and
		 * frames just below an error say where it happened */
		if (in->proc == FM_PROC_UNKNOWN || in->proc == FM_PROC_OTHER)
			in->proc = ev->proc;
		late_cue(c, in, ev);
	} else if (!strcmp(id, "CTX_JM_FRAME") || !strcmp(id, "CTX_TM_FRAME")) {
		late_cue(c, in, ev);
		/* a Java exception chain lives in one JVM: the wrapper's frames
		 * above a "Caused by:" name the process of the cause below */
		in->frame_proc = ev->proc;
		in->frame_line = ev->line;
		in->frame_time_line = in->last_time_line;
	}
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool oomkilled_false(const char *t)
{
	const char *p = t ? strstr(t, "OOMKilled") : NULL;
	if (!p)
		return false;
	p += 9;
	while (*p == '"' || *p == ':' || *p == ' ' || (p[0] == '\\' && p[1] == 't' && ++p))
		p++;
	return !strncmp(p, "false", 5);
}

/* Past the blanks that open an event's text [t, e): spaces, tabs and the
 * "\t" the escaping wrote for a tab (escape.h: a backslash itself is
 * "\\", so "\t" is always a tab). */
static const char *lead_blank(const char *t, const char *e)
{
	while (t < e && (*t == ' ' || *t == '\t' || (e - t >= 2 && t[0] == '\\' && t[1] == 't')))
		t += *t == '\\' ? 2 : 1;
	return t;
}

/* "Caused by: X" on a line whose text starts the cause of the trace above */
static bool caused_by_line(const char *t)
{
	t = lead_blank(t, t + strlen(t));
	return !strncmp(t, "Caused by: ", 11);
}

/* The deepest memory cause of a chain is the root: a memory error of
 * another kind whose "Caused by:" follows it in the same trace (no new log
 * line in between) only carries that cause. */
static void deeper_cause(fm_collector *c, fm_input_info *in, size_t gi, const fm_event *ev)
{
	if (in->wrap_line && ev->line > in->wrap_line && ev->line - in->wrap_line <= CAUSE_WINDOW &&
	    in->wrap_time_line == in->last_time_line && in->wrap_group < c->ng && in->wrap_group != gi &&
	    c->g[in->wrap_group].inc.failure != c->g[gi].inc.failure && caused_by_line(ev->text)) {
		c->g[in->wrap_group].carried++;
		in->wrap_line = 0; /* the wrapper line counts once */
	}
	/* a wrapper is a trace line (an exception header without a timestamp of
	 * its own), not a log line: log lines start new traces */
	if (in->last_time_line == ev->line) {
		in->wrap_line = 0;
	} else if (ev->line != in->wrap_line || in->wrap_group != gi) {
		in->wrap_line = ev->line;
		in->wrap_time_line = in->last_time_line;
		in->wrap_group = gi;
	}
}

/* ---- grouping by failure and process -------------------------------------- */

/* A memory failure groups by failure kind and process; its instances are
 * listed and counted (track_instance). Only events whose process was
 * assumed or is unknown stay per input until finish: frames below them
 * may still name the process of that one input (late_proc). */
/* Groups are found by key in a hash map, not by walking them all: a
 * directory of 10,000 logs makes 10,000 per-input groups. The key holds
 * every field exactly: role (4 bits), failure or signature (24),
 * process (4), input (32). */
static uint64_t gkey(unsigned role, size_t what, unsigned proc, uint32_t input)
{
	return ((uint64_t)(role & 0xf) << 60) | ((uint64_t)(what & 0xffffff) << 36) | ((uint64_t)(proc & 0xf) << 32) |
	       input;
}

static size_t gslot_at(const fm_collector *c, uint64_t key)
{
	uint64_t h = key * 0x9e3779b97f4a7c15ull;
	size_t k = (size_t)(h >> 20) & (c->capgmap - 1);
	while (c->gmap[k].ix && c->gmap[k].key != key)
		k = (k + 1) & (c->capgmap - 1);
	return k;
}

static group *gmap_get(const fm_collector *c, uint64_t key)
{
	if (!c->capgmap)
		return NULL;
	size_t k = gslot_at(c, key);
	return c->gmap[k].ix ? &c->g[c->gmap[k].ix - 1] : NULL;
}

static int gmap_put(fm_collector *c, uint64_t key, size_t ix)
{
	if (2 * (c->ngmap + 1) > c->capgmap) {
		size_t oc = c->capgmap, nc = oc ? oc * 2 : 64;
		struct gslot *old = c->gmap, *nv = calloc(nc, sizeof *nv);
		if (!nv)
			return FM_ENOMEM;
		c->gmap = nv;
		c->capgmap = nc;
		for (size_t i = 0; i < oc; i++)
			if (old[i].ix)
				c->gmap[gslot_at(c, old[i].key)] = old[i];
		free(old);
	}
	c->gmap[gslot_at(c, key)] = (struct gslot){key, ix + 1};
	c->ngmap++;
	return FM_OK;
}

static uint64_t primary_key(fm_failure f, fm_process p, uint32_t key_input)
{
	return gkey(FM_ROLE_PRIMARY, (size_t)f, (unsigned)p, key_input);
}

static group *find_primary(fm_collector *c, fm_failure f, fm_process p, uint32_t key_input)
{
	group *g = gmap_get(c, primary_key(f, p, key_input));
	return g && g->role == FM_ROLE_PRIMARY ? g : NULL; /* not one that joined another */
}

/* Frames below an error name its process: only the groups still waiting
 * for that are looked at (the latest few). */
static void note_recent(fm_collector *c, size_t ix)
{
	size_t n = c->nrecent, k = 0;
	while (k < n && c->recent[k] != ix)
		k++;
	if (k == n && n < sizeof c->recent / sizeof *c->recent)
		c->nrecent++;
	else if (k == n)
		k = n - 1;
	memmove(c->recent + 1, c->recent, k * sizeof *c->recent);
	c->recent[0] = ix;
}

static uint64_t inst_hash(size_t group_ix, const char *name)
{
	uint64_t h = 1469598103934665603ull ^ ((uint64_t)group_ix * 0x9e3779b97f4a7c15ull);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 1099511628211ull;
	return h ? h : 1;
}

/* 1: newly added, 0: already there, -1: the set is full (not counted),
 * FM_ENOMEM. */
static int seen_add(fm_collector *c, uint64_t h)
{
	if (c->nseen >= FM_INSTANCES_COUNT_MAX)
		return -1;
	if (2 * (c->nseen + 1) > c->capseen) {
		size_t nc = c->capseen ? c->capseen * 2 : 1024;
		uint64_t *nv = calloc(nc, sizeof *nv);
		if (!nv)
			return FM_ENOMEM;
		for (size_t i = 0; i < c->capseen; i++)
			if (c->seen[i])
				for (size_t k = c->seen[i] & (nc - 1);; k = (k + 1) & (nc - 1))
					if (!nv[k]) {
						nv[k] = c->seen[i];
						break;
					}
		free(c->seen);
		c->seen = nv;
		c->capseen = nc;
	}
	for (size_t k = h & (c->capseen - 1);; k = (k + 1) & (c->capseen - 1)) {
		if (c->seen[k] == h)
			return 0;
		if (!c->seen[k]) {
			c->seen[k] = h;
			c->nseen++;
			return 1;
		}
	}
}

/* Room for one more listed instance: the list grows by doubling (most
 * groups have one instance; a per-input group always has). */
static int inst_room(fm_incident *inc)
{
	size_t n = inc->ninst;
	if (n && (n & (n - 1)))
		return FM_OK; /* not a power of two: there is room */
	size_t nc = n ? 2 * n : 1;
	fm_instance *nv = realloc(inc->inst, (nc < FM_INSTANCES_MAX ? nc : FM_INSTANCES_MAX) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	inc->inst = nv;
	return FM_OK;
}

static void inst_at(fm_instance *x, bool first, uint32_t input, const fm_event *ev)
{
	if (first) {
		x->first_input = input;
		x->first_line = ev->line;
		memcpy(x->first_time, ev->time, sizeof x->first_time);
	} else {
		x->last_input = input;
		x->last_line = ev->line;
		memcpy(x->last_time, ev->time, sizeof x->last_time);
	}
}

/* Counts the event against its instance: listed instances keep their
 * count and first/last line; only the FM_INSTANCES_MAX first seen (by
 * input, line: the same whatever order parallel scans report in) are
 * listed, the others are counted once each. */
static int track_instance(fm_collector *c, group *g, const char *name, uint32_t input, const fm_event *ev)
{
	fm_incident *inc = &g->inc;
	int fresh = seen_add(c, inst_hash((size_t)(g - c->g), name));
	if (fresh == FM_ENOMEM)
		return FM_ENOMEM;
	if (fresh < 0)
		inc->inst_capped = true;
	if (fresh == 1)
		inc->inst_total++;
	if (fresh != 1) {
		for (size_t k = 0; k < inc->ninst; k++) {
			fm_instance *x = &inc->inst[k];
			if (strcmp(x->name, name))
				continue;
			x->count++;
			if (ev_before(input, ev->line, x->first_input, x->first_line))
				inst_at(x, true, input, ev);
			if (ev_before(x->last_input, x->last_line, input, ev->line))
				inst_at(x, false, input, ev);
			return FM_OK;
		}
		return FM_OK; /* counted, not listed (or past the counting cap: a lower bound) */
	}
	fm_instance *slot = NULL;
	if (inc->ninst < FM_INSTANCES_MAX) {
		if (inst_room(inc))
			return FM_ENOMEM;
		slot = &inc->inst[inc->ninst];
	} else {
		/* full: this one replaces the latest listed if it comes earlier */
		size_t worst = 0;
		for (size_t k = 1; k < inc->ninst; k++)
			if (ev_before(inc->inst[worst].first_input, inc->inst[worst].first_line, inc->inst[k].first_input,
				      inc->inst[k].first_line))
				worst = k;
		if (!ev_before(input, ev->line, inc->inst[worst].first_input, inc->inst[worst].first_line))
			return FM_OK;
		slot = &inc->inst[worst];
	}
	char *nm = strdup(name);
	if (!nm)
		return FM_ENOMEM;
	if (slot == &inc->inst[inc->ninst])
		inc->ninst++;
	else
		free(slot->name);
	*slot = (fm_instance){.name = nm, .count = 1};
	inst_at(slot, true, input, ev);
	inst_at(slot, false, input, ev);
	return FM_OK;
}

static int cmp_inst(const void *x, const void *y)
{
	const fm_instance *a = x, *b = y;
	if (a->first_input != b->first_input)
		return a->first_input < b->first_input ? -1 : 1;
	if (a->first_line != b->first_line)
		return a->first_line < b->first_line ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Moves src's instances into dst (dst keeps the FM_INSTANCES_MAX first
 * seen); the total is exact as long as the lists held every instance. */
static int merge_instances(fm_incident *dst, fm_incident *src)
{
	size_t overlap = 0;
	for (size_t k = 0; k < src->ninst; k++) {
		fm_instance *s = &src->inst[k];
		fm_instance *d = NULL;
		for (size_t j = 0; j < dst->ninst && !d; j++)
			if (!strcmp(dst->inst[j].name, s->name))
				d = &dst->inst[j];
		if (d) {
			overlap++;
			d->count += s->count;
			if (ev_before(s->first_input, s->first_line, d->first_input, d->first_line)) {
				d->first_input = s->first_input;
				d->first_line = s->first_line;
				memcpy(d->first_time, s->first_time, sizeof d->first_time);
			}
			if (ev_before(d->last_input, d->last_line, s->last_input, s->last_line)) {
				d->last_input = s->last_input;
				d->last_line = s->last_line;
				memcpy(d->last_time, s->last_time, sizeof d->last_time);
			}
			continue;
		}
		if (dst->ninst < FM_INSTANCES_MAX) {
			if (inst_room(dst))
				return FM_ENOMEM;
			dst->inst[dst->ninst++] = *s;
			s->name = NULL;
		}
	}
	dst->inst_total += src->inst_total - (overlap < src->inst_total ? overlap : src->inst_total);
	dst->inst_capped |= src->inst_capped;
	if (dst->ninst > 1)
		qsort(dst->inst, dst->ninst, sizeof *dst->inst, cmp_inst);
	return FM_OK;
}

/* Whether two incidents share an instance (the aftermath of a failure is
 * in the same pod, container or log). */
static bool shares_instance(const fm_incident *a, const fm_incident *b)
{
	if (!a->ninst || !b->ninst)
		return same_str(a->instance, b->instance);
	for (size_t i = 0; i < a->ninst; i++)
		for (size_t j = 0; j < b->ninst; j++)
			if (!strcmp(a->inst[i].name, b->inst[j].name))
				return true;
	return false;
}

/* Whether an incident was seen in input idx. */
static bool seen_in(const fm_incident *x, uint32_t idx)
{
	if (x->input == idx)
		return true;
	for (size_t k = 0; k < x->ninst; k++)
		if (x->inst[k].first_input == idx || x->inst[k].last_input == idx)
			return true;
	return false;
}

static int settle_inputs(fm_collector *c, uint32_t idx);

static int add_primary(fm_collector *c, uint32_t idx, fm_event *ev)
{
	fm_input_info *in = &c->in[idx];
	fm_failure f = ev->s->failure;
	const char *id = ev->s->id;
	/* docker inspect prints "OOMKilled": false for every container */
	if ((!strcmp(id, "K8S_OOMKILLED_ANY") || !strcmp(id, "K8S_OOMKILLED_REASON")) && oomkilled_false(ev->text)) {
		fm_event_release(ev);
		return FM_OK;
	}
	/* Exit 137 is a kill on either platform: the input tells which. */
	if (f == FM_F_K8S || f == FM_F_YARN) {
		bool generic = !strcmp(id, "K8S_EXIT_137") || !strcmp(id, "YARN_EXIT_137") ||
			       !strcmp(id, "K8S_EXITCODE_137");
		if (generic && in->platform == FM_PLAT_YARN)
			f = FM_F_YARN;
		else if (generic && in->platform == FM_PLAT_K8S)
			f = FM_F_K8S;
		/* the kernel's kill of a YARN container's memory cgroup */
		if (!strncmp(id, "KERNEL_", 7) && in->yarn_memcg[0] && !ev->peer[0] && ev->proc != FM_PROC_OTHER) {
			f = FM_F_YARN;
			snprintf(ev->peer, sizeof ev->peer, "%s", in->yarn_memcg);
		}
	}
	/* one event per line and failure kind: the first (most specific) wins;
	 * the two platform kills count as one kind */
	unsigned bit = 1u << (f == FM_F_YARN ? FM_F_K8S : f);
	if (in->dedupe_line == ev->line) {
		if (in->dedupe_mask & bit) {
			fm_event_release(ev);
			return FM_OK;
		}
		in->dedupe_mask |= bit;
	} else {
		in->dedupe_line = ev->line;
		in->dedupe_mask = bit;
	}
	/* which process */
	fm_process p = ev->proc;
	bool assumed = false;
	const char *instance = NULL;
	if ((ev->s->proc == FM_PH_PEER || (f == FM_F_YARN && !strncmp(id, "KERNEL_", 7))) && ev->peer[0]) {
		p = peer_process(ev->peer);
		instance = ev->peer;
	} else if (worker_diagnostics(ev->s)) {
		p = FM_PROC_TM;
	}
	if (p == FM_PROC_UNKNOWN && ev->subtask)
		p = FM_PROC_TM;
	/* the operator's relay of the job's exception: a task's, unless frames
	 * below it name the JobManager */
	bool relayed = p == FM_PROC_UNKNOWN && ev->relayed_job;
	if (relayed)
		p = FM_PROC_TM;
	/* a kill in a sidecar's block of a Flink pod's description */
	bool sidecar = f == FM_F_K8S && in_ranges(in->sidecar, in->nsidecar, ev->line);
	if (sidecar)
		p = FM_PROC_OTHER;
	/* a line of a failed container's stderr tail: no log line since */
	if (p == FM_PROC_UNKNOWN && in->tail_line && ev->line > in->tail_line && ev->line - in->tail_line <= TAIL_WINDOW &&
	    in->last_time_line == in->tail_time_line)
		p = in->tail_proc;
	bool soft = relayed;
	if (p == FM_PROC_UNKNOWN && in->cue_line && ev->line >= in->cue_line && ev->line - in->cue_line <= TASK_FAIL_WINDOW) {
		p = in->cue_proc;
		soft = fm_process_outside(p);
	}
	if (p == FM_PROC_UNKNOWN && in->frame_line && ev->line > in->frame_line &&
	    ev->line - in->frame_line <= LATE_CUE_WINDOW && in->frame_time_line == in->last_time_line)
		p = in->frame_proc;
	if (p == FM_PROC_UNKNOWN && in->other_line && ev->line >= in->other_line &&
	    ev->line - in->other_line <= OTHER_CUE_WINDOW && in->other_time_line == in->last_time_line) {
		p = FM_PROC_OTHER;
		soft = true; /* Flink's frames below may still say otherwise */
	}
	if (p == FM_PROC_UNKNOWN) {
		p = in->proc;
		soft = fm_process_outside(p) || in->proc_default;
	}
	if (p == FM_PROC_UNKNOWN)
		p = prose_process(ev->text);
	/* A process outside the cluster reports the kills of the cluster's pods
	 * and containers (the operator watches them; it cannot log its own kill):
	 * a kill line that names a TaskManager or JobManager pod is theirs, as is
	 * one no other evidence placed (kubectl get pods' OOMKilled row). */
	if ((fm_process_outside(p) || p == FM_PROC_UNKNOWN) && (f == FM_F_K8S || f == FM_F_YARN)) {
		fm_process q = proc_from_name(ev->text);
		if (q == FM_PROC_UNKNOWN && f == FM_F_K8S && ev->text && jm_deployment_pod(in, ev->text))
			q = FM_PROC_JM; /* a row of `kubectl get pods` naming the JobManager's pod */
		if (q == FM_PROC_TM || q == FM_PROC_JM) {
			p = q;
			soft = false;
		}
	}
	if (p == FM_PROC_UNKNOWN && f != FM_F_CONFIG) {
		p = FM_PROC_TM;
		assumed = true;
	}
	if (!instance)
		instance = in->instance ? in->instance : in->name;
	uint32_t key_input = assumed || p == FM_PROC_UNKNOWN ? idx : ANY_INPUT;
	if (settle_inputs(c, idx)) {
		fm_event_release(ev);
		return FM_ENOMEM;
	}
	group *g = find_primary(c, f, p, key_input);
	if (!g) {
		if (!(g = new_group(c))) {
			fm_event_release(ev);
			return FM_ENOMEM;
		}
		g->role = FM_ROLE_PRIMARY;
		g->sig = ev->sig;
		g->inc.failure = f;
		g->inc.proc = p;
		g->inc.proc_assumed = assumed;
		g->inc.sidecar = sidecar;
		g->soft = soft;
		g->inc.from_peer_view = in->proc != FM_PROC_UNKNOWN && in->proc != p && !fm_process_outside(in->proc);
		g->key_input = key_input;
		if (!(g->inc.instance = strdup(instance)) || gmap_put(c, primary_key(f, p, key_input), (size_t)(g - c->g))) {
			fm_event_release(ev);
			return FM_ENOMEM;
		}
	}
	if (key_input != ANY_INPUT || soft) /* frames below may still name (or correct) its process */
		note_recent(c, (size_t)(g - c->g));
	if (key_input != ANY_INPUT && g->inc.count == 0) {
		if (fm_grow(&c->open, c->nopen, &c->capopen, sizeof *c->open, 16) != FM_OK) {
			fm_event_release(ev);
			return FM_ENOMEM;
		}
		c->open[c->nopen++] = (size_t)(g - c->g);
	}
	fm_incident *inc = &g->inc;
	if (!assumed)
		inc->proc_assumed = false;
	if (!(in->proc != FM_PROC_UNKNOWN && in->proc != p))
		inc->from_peer_view = false; /* seen in the process's own log too */
	if (track_instance(c, g, instance, idx, ev)) {
		fm_event_release(ev);
		return FM_ENOMEM;
	}
	g->last_input = idx;
	g->last_line = ev->line;
	deeper_cause(c, in, (size_t)(g - c->g), ev);
	first_seen(inc, idx, ev);
	if (ev->netty_shaded)
		inc->netty_shaded = true;
	if (!strcmp(id, "OOM_ARRAY_LIMIT"))
		inc->array_limit = true;
	if (!strcmp(id, "YARN_VMEM_KILL") || !strcmp(id, "YARN_EXIT_VMEM") || ev->yarn_vmem)
		inc->vmem = true;
	if (!strcmp(id, "NODE_SYSTEM_OOM") || !strcmp(id, "KERNEL_OOM_SYSTEM") || !strcmp(id, "SYSTEMD_OOMD_KILL") ||
	    !strcmp(id, "EARLYOOM_KILL") || !strcmp(id, "YARN_ELASTIC_OOM"))
		inc->node_level = true;
	if (!strcmp(id, "K8S_EVICTED_MEMORY") || !strcmp(id, "K8S_EVICTED_CONTAINER") || !strcmp(id, "K8S_MEMORY_PRESSURE") ||
	    ev->evicted)
		inc->node_level = inc->evicted = true;
	return add_evidence(inc, idx, ev);
}

/* Secondary, fatal and negative lines: grouped by signature (fatal ones
 * also by input, to tie them to a cause in the same log). */
static int add_other(fm_collector *c, uint32_t idx, fm_event *ev)
{
	fm_sig_role role = ev->s->role;
	/* a symptom or exit line that is itself a memory failure's line adds nothing */
	if ((role == FM_ROLE_SECONDARY || role == FM_ROLE_FATAL) && c->in[idx].dedupe_line == ev->line &&
	    c->in[idx].dedupe_mask) {
		fm_event_release(ev);
		return FM_OK;
	}
	const char *inst = ev->peer[0] ? ev->peer : c->in[idx].instance ? c->in[idx].instance : c->in[idx].name;
	uint64_t key = gkey(role, ev->sig, 0xf, role == FM_ROLE_FATAL ? idx : ANY_INPUT);
	group *g = gmap_get(c, key);
	if (!g) {
		if (!(g = new_group(c))) {
			fm_event_release(ev);
			return FM_ENOMEM;
		}
		g->role = role;
		g->sig = ev->sig;
		if (gmap_put(c, key, (size_t)(g - c->g))) {
			fm_event_release(ev);
			return FM_ENOMEM;
		}
		fm_process p = ev->proc;
		if (ev->s->proc == FM_PH_PEER)
			p = ev->peer[0] ? peer_process(ev->peer) : FM_PROC_TM;
		if (p == FM_PROC_UNKNOWN)
			p = c->in[idx].proc;
		g->inc.proc = p;
		if (!(g->inc.instance = strdup(inst))) {
			fm_event_release(ev);
			return FM_ENOMEM;
		}
	}
	first_seen(&g->inc, idx, ev);
	if (track_instance(c, g, inst, idx, ev)) {
		fm_event_release(ev);
		return FM_ENOMEM;
	}
	return add_evidence(&g->inc, idx, ev);
}


/* A text only Flink prints shows the input is Flink's: its memory
 * configuration checks (not the JVM's own argument checks, the JVM_ rows:
 * every Java program prints those), and the rows named for Flink's own
 * messages (FLINK_, its resource manager's RM_; producer "flink" in
 * data/messages.tsv), e.g. YarnResourceManagerDriver's "Container <id>
 * marked as failed." (Spark's allocator words it "Container marked as
 * failed: <id>"). */
static bool flink_own_text(const fm_sig *s)
{
	if (s->failure == FM_F_CONFIG && s->role == FM_ROLE_PRIMARY)
		return strncmp(s->id, "JVM_", 4) != 0;
	return !strncmp(s->id, "FLINK_", 6) || !strncmp(s->id, "RM_", 3);
}

static bool quoted_in_prose(const char *t, size_t n);
static bool only_bare_oom(const char *t, size_t n);
static bool invented_oom_sentence(const char *t, size_t n);
static bool net_phrase_printed(const char *t, size_t n);
static bool oomkilled_printed(const char *t, size_t n);
static bool has_placeholder(const char *t, size_t n);
static bool md_table_row(const char *t, size_t n);
static bool tree_row(const char *t, size_t n);

/* A matched failure text in a shape its producer never prints: a bare
 * "OutOfMemoryError:", an OutOfMemoryError that goes on with a sentence
 * no JVM or Flink writes, or NetworkBufferPool's phrase without its colon. */
static bool unprinted_failure(const fm_event *ev, const char *t, size_t tl)
{
	return only_bare_oom(t, tl) || invented_oom_sentence(t, tl) ||
	       (!strcmp(ev->s->id, "NET_INSUFFICIENT_WRAPPED") && !net_phrase_printed(t, tl));
}

/* A line of Java or Scala source (a quoted method, a source-reading
 * article): it starts with a keyword whose next word is a type name in the
 * language's grammar (`throws`, `catch (`, `import`, `throw new`, a
 * declaration's modifier), which no JVM, logger or shell starts a printed
 * line with. A class named there is declared or handled, not thrown. A
 * unified diff's line marker ("+" added, "-" removed; "+++"/"---" are its
 * headers) in front of such a line keeps it source (a pull request's
 * diff hunk quoted in a review thread). So are a call handed a string
 * literal and a literal continuing a call (codelit.h's
 * fm_code_hands_literal), in any language. */
static bool source_line(const char *t, size_t n)
{
	static const char *const lead[] = {"throws ", "catch (", "} catch (", "import ", "throw new ", "public ",
					   "private ", "protected ", "try {", NULL};
	const char *e = t + n, *p = lead_blank(t, e); /* a paste may indent the hunk */
	if (e - p >= 2 && (*p == '+' || *p == '-') && p[1] != *p)
		p++;
	p = lead_blank(p, e);
	for (size_t i = 0; lead[i]; i++)
		if ((size_t)(e - p) >= strlen(lead[i]) && !memcmp(p, lead[i], strlen(lead[i])))
			return true;
	return fm_code_hands_literal(p, e);
}

/* The matched text on this line is a person's: quoted in a sentence, a
 * bare "OutOfMemoryError:", NetworkBufferPool's phrase without its colon,
 * a row of a drawn tree, "OOMKilled" outside a field or kubectl's STATUS
 * column. Such a line does
 * not make the input program output (a failure it names may still stand
 * beside real program output: "the pod gets OOMKilled" under a log). */
static bool persons_line(const fm_event *ev, const char *t)
{
	if (!t)
		return false;
	size_t tl = strlen(t);
	return quoted_in_prose(t, tl) || unprinted_failure(ev, t, tl) || tree_row(t, tl) || source_line(t, tl) ||
	       (!strcmp(ev->s->id, "K8S_OOMKILLED_ANY") && !oomkilled_printed(t, tl));
}

static int collector_add(fm_collector *c, uint32_t idx, fm_event *ev, const char *line);

/* The person's-line tests read the whole line (ev->whole when the
 * evidence's text is capped); nothing keeps it past this call. */
int fm_collector_add(fm_collector *c, uint32_t idx, fm_event *ev)
{
	char *whole = ev->whole;
	ev->whole = NULL;
	int rc = collector_add(c, idx, ev, whole ? whole : ev->text);
	free(whole);
	return rc;
}

static int collector_add(fm_collector *c, uint32_t idx, fm_event *ev, const char *line)
{
	if (idx >= c->nin) {
		fm_event_release(ev);
		return FM_EUSAGE;
	}
	fm_input_info *in = &c->in[idx];
	if (ev->line > in->lines_seen)
		in->lines_seen = ev->line;
	/* a test's fixture or a prompt's example inside pasted code: data, and
	 * no sign of program output either */
	if (in->nliteral && ev->s->role != FM_ROLE_LAYOUT && in_ranges(in->literal, in->nliteral, ev->line)) {
		fm_event_release(ev);
		return FM_OK;
	}
	/* a program's text matched: the input is not only a description —
	 * unless the line quotes it in a sentence or a heading */
	if (in->prose_only && ev->s->role != FM_ROLE_CONTEXT && ev->s->role != FM_ROLE_INFO &&
	    ev->s->role != FM_ROLE_LAYOUT && strcmp(ev->s->id, "YARN_KILL_PROSE") && !persons_line(ev, line))
		in->prose_only = false; /* (checked only while still undecided: once per line at most) */
	/* Flink's own texts and process cues say the input is Flink's; YARN's
	 * "AM Container for appattempt_..." (RMAppAttemptImpl's diagnostics)
	 * names the application master of every framework, not Flink's */
	if ((ev->proc == FM_PROC_TM || ev->proc == FM_PROC_JM || ev->s->proc == FM_PH_TM || ev->s->proc == FM_PH_JM ||
	     (ev->s->role == FM_ROLE_CONTEXT && ev->s->proc != FM_PH_OTHER && ev->s->proc != FM_PH_ANY) ||
	     flink_own_text(ev->s)) &&
	    !(ev->text && strstr(ev->text, "AM Container for")))
		in->flink_seen = true;
	/* a line that names no peer continues the one a few lines above */
	if (ev->s->proc == FM_PH_PEER || ev->s->role == FM_ROLE_CONTEXT) {
		if (ev->peer[0]) {
			memcpy(in->last_peer, ev->peer, sizeof in->last_peer);
			in->last_peer_line = ev->line;
		} else if (in->last_peer_line && ev->line >= in->last_peer_line && ev->line - in->last_peer_line <= 4) {
			memcpy(ev->peer, in->last_peer, sizeof ev->peer);
		}
	}
	/* a stack-trace line has no timestamp: it belongs to the log line above
	 * that the same container wrote (a log gutter names it: interleaved
	 * compose or kubectl --prefix output; where a line was logged still
	 * does not say whose memory failed) */
	if (ev->time_ms >= 0) {
		in->last_time_ms = ev->time_ms;
		in->last_time_line = ev->line;
		memcpy(in->last_time, ev->time, sizeof in->last_time);
		memcpy(in->last_time_src, ev->src, sizeof in->last_time_src);
	} else if (in->last_time_line && ev->line >= in->last_time_line &&
		   ev->line - in->last_time_line <= TASK_FAIL_WINDOW &&
		   (!ev->src[0] || !strcmp(ev->src, in->last_time_src))) {
		ev->time_ms = in->last_time_ms;
		memcpy(ev->time, in->last_time, sizeof ev->time);
	}
	const char *id = ev->s->id;
	switch (ev->s->role) {
	case FM_ROLE_PRIMARY: {
		/* a guide's template of the message (or a script's source), its table,
		 * a tree a person drew or its shorthand,
		 * not the message */
		size_t tl = line ? strlen(line) : 0;
		if (line && (has_placeholder(line, tl) || md_table_row(line, tl) || tree_row(line, tl) ||
			     unprinted_failure(ev, line, tl)))
			break;
		/* a text only releases before 1.10 print: the fix also speaks their keys */
		if (!strcmp(id, "MM_LESS_THAN_ONE_PAGE") || !strncmp(id, "CFG_LEGACY_SCRIPT_", 18))
			c->legacy_keys++;
		return add_primary(c, idx, ev);
	}
	case FM_ROLE_CONTEXT:
		on_context(c, in, ev);
		break;
	case FM_ROLE_INFO:
		if (!strcmp(id, "JOB_RESTARTING")) {
			c->restarts++;
			set_cue(in, FM_PROC_TM, ev->line);
		} else if (!strcmp(id, "JOB_SUBMITTED"))
			c->submissions++;
		else if (!strcmp(id, "CLASSLOADER_CLOSED"))
			c->leak_hints++;
		else if (!strcmp(id, "LOCAL_MINICLUSTER"))
			c->local = true;
		else if (!strcmp(id, "LEGACY_MODEL_KEY") || !strcmp(id, "LEGACY_RELEASE") ||
			 !strcmp(id, "LEGACY_TM_LAUNCH") || !strcmp(id, "LEGACY_STATE_CHANGE"))
			c->legacy_keys++;
		else if (ev->rocksdb_managed >= 0) {
			c->rocksdb = c->rocksdb == 0 ? 0 : ev->rocksdb_managed;
			c->forst |= ev->text && strstr(ev->text, "for ForSt");
		}
		else if (!strcmp(id, "NET_USAGE_HIGH"))
			c->net_high = true;
		else if (!strcmp(id, "KERNEL_MEMCG_LIMIT") && ev->container_limit > 0 && in->memcg_limit >= 0)
			/* a node's log may hold several containers' kills: one limit or none */
			in->memcg_limit = !in->memcg_limit || in->memcg_limit == ev->container_limit ? ev->container_limit : -1;
		else if (!strcmp(id, "YARN_MAX_ALLOCATION") && ev->text) {
			const char *m = strstr(ev->text, "Maximum Memory: ");
			int64_t v = 0;
			for (m = m ? m + 16 : ""; *m >= '0' && *m <= '9' && v >= 0; m++)
				v = v < INT64_MAX / 10 / 1048576 ? v * 10 + (*m - '0') : -1; /* past any memory: not a size */
			if (v > 0)
				c->yarn_max_mb = v;
		}
		break;
	case FM_ROLE_NEGATIVE:
		if ((!strcmp(id, "NEG_EPERM") || !strcmp(id, "NEG_JVM_START_THREADS")) && c->neperm < EPERM_MAX) {
			c->eperm[c->neperm].input = idx;
			c->eperm[c->neperm].line = ev->line;
			c->eperm[c->neperm].threads = !strcmp(id, "NEG_JVM_START_THREADS");
			c->neperm++;
		} else if ((!strcmp(id, "NEG_EVICTED_STORAGE") || !strcmp(id, "NEG_K8S_STATUS_UNKNOWN")) &&
			   !in->nonmem_end_line) {
			in->nonmem_end_line = ev->line;
			in->nonmem_end_what = ev->s->what;
		} else if (!strcmp(id, "NEG_K8S_PROBE_KILL") && !c->probe_kill.line) {
			c->probe_kill.input = idx;
			c->probe_kill.line = ev->line;
		} else if ((!strcmp(id, "NEG_CONF_UNREADABLE") || !strcmp(id, "CFG_FILE_MISSING") ||
			    !strcmp(id, "NEG_SCRIPT_SHELL_ERROR")) &&
			   c->nunreadable < EPERM_MAX) {
			c->unreadable[c->nunreadable].input = idx;
			c->unreadable[c->nunreadable].line = ev->line;
			c->nunreadable++;
		}
		return add_other(c, idx, ev);
	case FM_ROLE_FATAL:
		if (ev->proc != FM_PROC_UNKNOWN)
			set_cue(in, ev->proc, ev->line);
		return add_other(c, idx, ev);
	case FM_ROLE_SECONDARY:
		return add_other(c, idx, ev);
	case FM_ROLE_LAYOUT:
		break;
	}
	fm_event_release(ev);
	return FM_OK;
}

/* ---- what the caller saw of an input ---------------------------------------- */

/* needle where no letter comes right before it */
/* needle (m bytes, lower case) at t[i], any case, not after a letter */
static bool icase_word_at(const char *t, size_t i, const char *needle, size_t m)
{
	if (i > 0 && (unsigned)((t[i - 1] | 0x20) - 'a') < 26u)
		return false;
	size_t k = 0;
	while (k < m && (t[i + k] | 0x20) == (needle[k] | 0x20))
		k++;
	return k == m;
}

static bool icase_word(const char *t, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (icase_word_at(t, i, needle, m))
			return true;
	return false;
}

static bool ident_char(char ch)
{
	return (unsigned)((ch | 0x20) - 'a') < 26u || (ch >= '0' && ch <= '9') || ch == '_' || ch == '$' || ch == '.';
}

/* needle (a Flink process word) as a word's start, except as a class (or
 * a frame's source file) of another program's package: Elasticsearch has its own
 * org.elasticsearch.tasks.TaskManager, and its tests a TaskManagerTestCase.
 * A class is a capitalised word right after a '.' in a dotted name; one in
 * Flink's packages (org.apache.flink, o.a.f, any segment "flink") counts.
 * Config keys (kubernetes.taskmanager.cpu) are lower case and count. */
static bool flink_process_word(const char *t, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++) {
		if (!icase_word_at(t, i, needle, m))
			continue;
		/* a class after its package, or a frame's file after the frame's
		 * method: "at a.b.TaskManager.run(TaskManager.java:9)" */
		if (i == 0 || (t[i - 1] != '.' && t[i - 1] != '(') || !(t[i] >= 'A' && t[i] <= 'Z'))
			return true;
		size_t e = t[i - 1] == '(' ? i - 1 : i, b = e;
		while (b > 0 && ident_char(t[b - 1]))
			b--;
		if (icase_word(t + b, e - b, "flink") || (e - b >= 6 && !memcmp(t + b, "o.a.f.", 6)))
			return true;
	}
	return false;
}

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* An exception class as a program prints it: at a line's start (after
 * blanks), or after a log prefix's ": ", "- ", "] ", "Caused by: " or a
 * thread name. Quoted in a sentence ("错误信息:java.lang.OutOfMemoryError",
 * "# java.lang.OutOfMemoryError" as a heading) it is a person's text.
 * [t, end) is the text, not NUL-terminated. */
static bool printed_exception(const char *t, const char *end, const char *at)
{
	const char *ls = at;
	while (ls > t && ls[-1] != '\n')
		ls--;
	while (ls < at && (*ls == ' ' || *ls == '\t'))
		ls++;
	if (*ls == '#' || *ls == '>')
		return false; /* a Markdown heading or quote */
	if (at == ls)
		return true;
	const char *le = memchr(at, '\n', (size_t)(end - at));
	if (fm_code_hands_literal(ls, le ? le : end))
		return false; /* the text a program's source will print */
	/* HotSpot's own lead-ins (-XX:+ExitOnOutOfMemoryError and
	 * +CrashOnOutOfMemoryError, utilities/debug.cpp) */
	static const char *const jvm_leads[] = {"Terminating due to ", "Aborting due to ", NULL};
	for (size_t i = 0; jvm_leads[i]; i++)
		if ((size_t)(at - ls) == strlen(jvm_leads[i]) && !memcmp(ls, jvm_leads[i], (size_t)(at - ls)))
			return true;
	unsigned char before = (unsigned char)at[-1];
	if (before == ' ' || before == '\t')
		return at[-2] && strchr(":-]\"')|", at[-2]) != NULL; /* '|': docker compose's "tm_1  | " */
	return before == '"' || before == '\'' || before == '(' || before == '[';
}

/* "OutOfMemoryError:" with no package before it (C0..P is the name before
 * CLS): the JVM prints a Throwable with its package (Throwable.toString:
 * getClass().getName()), so this is a person's shorthand. (Short names of
 * other classes are printed too: commons-lang's getRootCauseMessage.) */
static bool bare_oom(const char *c0, const char *p, const char *cls)
{
	return p - c0 == 11 && !memcmp(c0, "OutOfMemory", 11) && !strncmp(cls, "Error", 5);
}

/* A line whose every "OutOfMemoryError:" lacks its package: the JVM, its
 * loggers and Flink print the Throwable as java.lang.OutOfMemoryError
 * (Throwable.toString), so such a line is a person's list or sentence,
 * even in an input that holds program output elsewhere. */
/* A string literal in code or data that holds a JVM's OutOfMemoryError
 * detail and then a sentence of its author's: the JVM ends these details
 * there ("Metaspace", "Java heap space", ...), and the only sentences
 * that follow one in a real log are Flink's own hints (TaskManager- and
 * ClusterEntryPointExceptionUtils: "The metaspace out-of-memory error has
 * occurred.", "The direct ...", "A heap space-related ..."). A mock
 * message ("...: Metaspace. The Metaspace memory pool is full.") is not
 * a run's output. */
static bool invented_oom_sentence(const char *t, size_t n)
{
	static const char *const details[] = {"Java heap space. ", "Metaspace. ", "Direct buffer memory. ",
					      "GC overhead limit exceeded. ", "Compressed class space. ", NULL};
	static const char *const hints[] = {"A heap space-related out-of-memory error",
					    "The metaspace out-of-memory error", "The direct out-of-memory error", NULL};
	const char *e = t + n;
	for (const char *p = t; (p = memmem(p, (size_t)(e - p), "OutOfMemoryError: ", 18)) != NULL; p += 18) {
		const char *b = p; /* the class name's start: a quote opens the literal */
		while (b > t && (isalnum((unsigned char)b[-1]) || b[-1] == '.' || b[-1] == '_' || b[-1] == '$'))
			b--;
		if (b == t || (b[-1] != '"' && b[-1] != '\''))
			continue;
		const char q = b[-1], *d = p + 18;
		for (size_t i = 0; details[i]; i++) {
			size_t k = strlen(details[i]);
			if ((size_t)(e - d) <= k || memcmp(d, details[i], k) || !isupper((unsigned char)d[k]))
				continue;
			bool hint = false;
			for (size_t h = 0; hints[h] && !hint; h++)
				hint = (size_t)(e - d - k) >= strlen(hints[h]) && !memcmp(d + k, hints[h], strlen(hints[h]));
			if (!hint && memchr(d + k, q, (size_t)(e - d - k)))
				return true;
		}
	}
	return false;
}

static bool only_bare_oom(const char *t, size_t n)
{
	bool any = false;
	for (const char *p = t; (p = memmem(p, (size_t)(t + n - p), "OutOfMemoryError:", 17)) != NULL; p += 17) {
		if (p > t && (p[-1] == '.' || p[-1] == '$'))
			return false; /* java.lang.OutOfMemoryError */
		any = true;
	}
	return any;
}

/* NetworkBufferPool's text is "Insufficient number of network buffers:
 * required N, ..." in every release, thrown as an IOException: the phrase
 * meets its colon, or a wrap cut it from its numbers right after the
 * exception's class. Followed by other words (" - Container ...", "问题")
 * it is a person's list or sentence; alone, a title or a guide's
 * shorthand. */
static bool net_phrase_printed(const char *t, size_t n)
{
	static const char ph[] = "Insufficient number of network buffers";
	for (const char *p = t; (p = memmem(p, (size_t)(t + n - p), ph, sizeof ph - 1)) != NULL; p += sizeof ph - 1) {
		const char *q = p + sizeof ph - 1;
		while (q < t + n && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		/* a colon, an escaped newline ("\n" in a JSON string), or the end
		 * of a line that shows the exception carrying the message */
		bool thrown = p - t >= 11 && !memcmp(p - 11, "Exception: ", 11);
		if ((q == t + n && thrown) ||
		    (q < t + n && (*q == ':' || *q == '\n' || (q[0] == '\\' && q + 1 < t + n && q[1] == 'n'))))
			return true;
	}
	return false;
}

/* A line a logger wrote without a timestamp (log4j's "%-5p %c - %m"):
 * a level word at the line's start, then blanks and a dotted logger name
 * ("ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner"). */
static bool level_led_record(const char *t, size_t n)
{
	static const char *const levels[] = {"ERROR", "WARN", "INFO", "DEBUG", "TRACE", "FATAL", NULL};
	for (const char *p = t; p < t + n;) {
		const char *nl = memchr(p, '\n', (size_t)(t + n - p)), *e = nl ? nl : t + n;
		for (size_t i = 0; levels[i]; i++) {
			size_t k = strlen(levels[i]);
			if ((size_t)(e - p) <= k || memcmp(p, levels[i], k) || (p[k] != ' ' && p[k] != '\t'))
				continue;
			const char *q = p + k, *dot = NULL;
			while (q < e && (*q == ' ' || *q == '\t'))
				q++;
			const char *w = q;
			while (q < e && (*q == '.' || *q == '_' || *q == '$' || is_digit(*q) ||
					 (unsigned)((*q | 0x20) - 'a') < 26u))
				if (*q++ == '.')
					dot = q;
			if (dot && dot > w + 1 && dot < q && (q == e || *q == ' ' || *q == ':'))
				return true;
		}
		p = e + 1;
	}
	return false;
}

/* "OOMKilled" where a program put it: the container runtime's reason as a
 * field ("reason": "OOMKilled", reason=OOMKilled in Flink's pod
 * diagnostics, "OOMKilled": true in docker inspect) or kubectl's STATUS
 * column after READY ("0/1   OOMKilled"). The bare word in a sentence or a
 * list ("gets OOMKilled", "Exceeded/ OOMKilled") is a person's. */
static bool oomkilled_printed(const char *t, size_t n)
{
	for (const char *p = t; (p = memmem(p, (size_t)(t + n - p), "OOMKilled", 9)) != NULL; p += 9) {
		if (p > t && p[-1] == '=')
			return true;
		/* quoted as JSON writes it: a value after its key's ':' or a key
		 * before its ':' (escaped inside a string too); a quoted word in a
		 * sentence ("an "OOMKilled" event") is a person's */
		if (p > t && p[-1] == '"') {
			const char *b = p - 1;
			if (b > t && b[-1] == '\\')
				b--;
			while (b > t && (b[-1] == ' ' || b[-1] == '\t'))
				b--;
			const char *a = p + 9;
			if (a < t + n && *a == '\\')
				a++;
			a += a < t + n && *a == '"';
			while (a < t + n && (*a == ' ' || *a == '\t'))
				a++;
			if ((b > t && b[-1] == ':') || (a > p + 9 && a < t + n && *a == ':'))
				return true;
		}
		const char *q = p;
		while (q > t && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q == p)
			continue;
		if (q - t >= 7 && !strncasecmp(q - 7, "reason:", 7))
			return true;
		/* READY: digits '/' digits, a blank before it */
		const char *d = q;
		while (d > t && is_digit(d[-1]))
			d--;
		if (d < q && d > t && d[-1] == '/') {
			const char *e = d - 1;
			while (e > t && is_digit(e[-1]))
				e--;
			if (e < d - 1 && (e == t || e[-1] == ' ' || e[-1] == '\t'))
				return true;
		}
	}
	return false;
}

/* A stack frame's line as printStackTrace indents it: blanks holding a
 * tab, then "at " (a terminal or a paste may put spaces around the tab).
 * A tab and the word "at" apart ("\t\tthrow new X(\"... at least \"") are
 * source code, not a frame. */
static bool tab_led_frame(const char *t, size_t n)
{
	for (const char *p = t, *e = t + n; p < e;) {
		const char *nl = memchr(p, '\n', (size_t)(e - p));
		const char *le = nl ? nl : e, *q = p;
		bool tab = false;
		while (q < le && (*q == ' ' || *q == '\t'))
			tab |= *q++ == '\t';
		if (tab && le - q >= 3 && !memcmp(q, "at ", 3))
			return true;
		p = le + 1;
	}
	return false;
}

/* Marks a program wrote: a clock time, a log level, a stack frame, an
 * exception class printed by a program, an exit code as its printers label
 * it (kubectl's "Exit Code:", YARN's "Exit code:", JSON's exitCode; a
 * sentence's "Exit Code 137 (OOMKilled)" is a person's), kubectl/YARN/kernel
 * report words. */
static bool program_output_marks(const char *t, size_t n)
{
	static const char *marks[] = {"\tat ", "    at ", "Caused by:", " INFO ", " WARN ", " ERROR ",
				      " DEBUG ", "[INFO]", "[WARN]", "[ERROR]", "Exit Code:", "exitCode", "Exit code:",
				      "Killed process", "Container [pid=", "Traceback (most recent",
				      "Exception in thread", "Name:", "Reason:", "apiVersion", NULL};
	for (size_t i = 0; marks[i]; i++)
		if (memmem(t, n, marks[i], strlen(marks[i])))
			return true;
	if (oomkilled_printed(t, n))
		return true;
	if (tab_led_frame(t, n))
		return true;
	if (level_led_record(t, n))
		return true;
	for (size_t i = 0; i + 8 <= n; i++)
		if (is_digit(t[i]) && is_digit(t[i + 1]) && t[i + 2] == ':' && is_digit(t[i + 3]) && is_digit(t[i + 4]) &&
		    t[i + 5] == ':' && is_digit(t[i + 6]) && is_digit(t[i + 7]))
			return true;
	return false;
}

static bool program_output(const char *t, size_t n)
{
	if (program_output_marks(t, n))
		return true;
	/* the Kubernetes operator's status.error: FlinkResourceException as
	 * JSON ({"type":"<exception class>","message":"..."}), written by a
	 * program wherever it is pasted */
	if (memmem(t, n, "{\"type\":\"", 9) && memmem(t, n, "\",\"message\":\"", 13))
		return true;
	/* "Error:" / "Exception:" count only where a program put them */
	static const char *const cls[] = {"Error: ", "Exception: ", "Error:\n", "Exception:\n", NULL};
	for (size_t k = 0; cls[k]; k++) {
		for (const char *p = t; (p = memmem(p, (size_t)(t + n - p), cls[k], strlen(cls[k]))) != NULL; p++) {
			const char *c0 = p; /* back to the start of the dotted class name */
			while (c0 > t && (c0[-1] == '.' || c0[-1] == '_' || c0[-1] == '$' || (unsigned)((c0[-1] | 0x20) - 'a') < 26u ||
					  is_digit(c0[-1])))
				c0--;
			if (c0 < p && !bare_oom(c0, p, cls[k]) && printed_exception(t, t + n, c0))
				return true;
		}
	}
	return false;
}

/* The direct-memory limit Flink sets for the TaskManager of its shipped
 * config (taskmanager.memory.process.size: 1728m: framework off-heap +
 * task off-heap + network = 268435458 bytes in every release): a JVM error
 * quoting that limit ("limit: 268435458", "max: 268435458") comes from a
 * Flink TaskManager whatever the frames show. Derived, not written down. */
static pthread_once_t default_once = PTHREAD_ONCE_INIT;
static int64_t default_tm_direct = -1;

static void derive_default(void)
{
	fm_conf *c = fm_conf_new();
	fm_tm_result r;
	if (c && fm_conf_set_str(c, "taskmanager.memory.process.size", "1728m", NULL) == FM_OK &&
	    fm_derive_tm(c, fm_profile_newest(), NULL, &r) == FM_OK) {
		if (r.outcome == FM_DERIVED)
			default_tm_direct = r.l.jvm_direct;
		fm_tm_result_release(&r);
	}
	fm_conf_free(c);
}

static bool quotes_flink_limit(const char *t, size_t n)
{
	pthread_once(&default_once, derive_default);
	if (default_tm_direct <= 0)
		return false;
	static const char *const keys[] = {"limit: ", "max: ", NULL};
	for (size_t k = 0; keys[k]; k++)
		for (const char *p = t; (p = memmem(p, (size_t)(t + n - p), keys[k], strlen(keys[k]))) != NULL;) {
			p += strlen(keys[k]);
			int64_t v = 0;
			while (p < t + n && is_digit(*p) && v < INT64_MAX / 10)
				v = v * 10 + (*p++ - '0');
			if (v == default_tm_direct)
				return true;
		}
	return false;
}

/* "<pod-name>", "<memory-limit>", "<YOUR_CLUSTER>": a word pair in angle
 * brackets stands where a value goes, in a guide's template of a message;
 * no program prints one (a frame's "<init>" and describe's "<none>" are
 * single words) */
static bool has_placeholder(const char *t, size_t n)
{
	for (const char *p = t; (p = memchr(p, '<', (size_t)(t + n - p))) != NULL; p++) {
		const char *q = p + 1;
		bool joint = false, letter = false;
		for (; q < t + n; q++) {
			if ((unsigned)((*q | 0x20) - 'a') < 26u)
				letter = true;
			else if ((*q == '-' || *q == '_') && letter && q[-1] != '-' && q[-1] != '_')
				joint = true;
			else
				break;
		}
		if (q < t + n && *q == '>' && joint && q[-1] != '-' && q[-1] != '_')
			return true;
	}
	/* a shell variable, "${KEY_JOBM_MEM_SIZE}": a script's source quoted
	 * (the script expands it before anything is printed) */
	for (const char *p = t; (p = memmem(p, (size_t)(t + n - p), "${", 2)) != NULL; p += 2) {
		const char *q = p + 2;
		while (q < t + n && (isalnum((unsigned char)*q) || *q == '_'))
			q++;
		if (q > p + 2 && q < t + n && *q == '}')
			return true;
	}
	return false;
}

/* A row of a tree a person drew ("├── heap → java.lang.OutOfMemoryError:
 * Java heap space", "│   └── ..."): box-drawing branches before the text;
 * no JVM, kubelet or YARN prints one before a failure */
static bool tree_row(const char *t, size_t n)
{
	static const char *const branch[] = {"\xe2\x94\x9c\xe2\x94\x80", "\xe2\x94\x94\xe2\x94\x80"}; /* ├─ └─ */
	const char *q = lead_blank(t, t + n);
	while (t + n - q >= 3 && !memcmp(q, "\xe2\x94\x82", 3)) /* │ */
		q = lead_blank(q + 3, t + n);
	for (size_t i = 0; i < 2; i++)
		if (t + n - q >= 6 && !memcmp(q, branch[i], 6))
			return true;
	return false;
}

/* A Markdown table row ("| problem | fix |"): a guide's or a person's
 * table, not YARN's process-tree dump ("|- 9721 9719 ...", one bar), nor
 * a log tool's export of records as a table (CloudWatch Logs Insights,
 * Grafana, Kibana: "| 2024-05-14 09:12:33.481 | stream | <log line> |"),
 * whose first cell is the record's date and clock time and which quotes
 * nothing in backticks as a person does. */
static bool md_table_row(const char *t, size_t n)
{
	const char *q = lead_blank(t, t + n);
	if (q == t + n || q[0] != '|' || (q + 1 < t + n && q[1] == '-'))
		return false;
	size_t bars = 0;
	for (const char *b = q; b < t + n; b++)
		bars += *b == '|';
	if (bars < 2)
		return false;
	/* the first cell, the one a record's time would be in */
	const char *c = q + 1, *end = memchr(c, '|', (size_t)(t + n - c));
	int64_t ms;
	char when[24];
	return !fm_log_time(c, (size_t)(end - c), &ms, when) || memchr(q, '`', (size_t)(t + n - q)) != NULL;
}

/* A short class name (C0..P, no package, which Throwable.toString never
 * prints) opened by inline code in the middle of a sentence that goes on
 * after the code closes ("... and causes `IllegalConfigurationException:
 * JobManager memory configuration failed`. Use ..."): a mention. A span
 * that ends the line ("Symptom: `...`") may be the pasted symptom. */
static bool inline_code_mention(const char *t, size_t n, const char *c0, const char *p)
{
	if (c0 >= p || c0 <= t || c0[-1] != '`')
		return false;
	const char *e = t + n, *close = memchr(p, '`', (size_t)(e - p));
	if (!close)
		return false;
	for (const char *q = close + 1; q < e && *q != '\n'; q++)
		if (isalpha((unsigned char)*q) || (unsigned char)*q >= 0x80)
			return true;
	return false;
}

/* A line that names an exception only inside a person's sentence, a
 * heading, a table or a template: a class with "Error:"/"Exception:" that
 * no program printed there (printed_exception), and no clock time or log
 * level on the line. */
static bool quoted_in_prose(const char *t, size_t n)
{
	if (has_placeholder(t, n))
		return true;
	if (program_output_marks(t, n))
		return false;
	/* a Markdown heading below the title ("## ..."): HotSpot's fatal
	 * error report marks its lines with one '#', never two */
	const char *q = lead_blank(t, t + n);
	if (t + n - q >= 3 && q[0] == '#' && q[1] == '#')
		return true;
	if (md_table_row(t, n))
		return true;
	bool seen = false;
	static const char *const cls[] = {"Error: ", "Exception: ", "Error:", "Exception:", NULL};
	for (size_t k = 0; cls[k]; k++)
		for (const char *p = t; (p = memmem(p, (size_t)(t + n - p), cls[k], strlen(cls[k]))) != NULL; p++) {
			/* "IOException:Insufficient ...": every Java printer puts
			 * ": " between a Throwable's class and its message */
			const char *after = p + strlen(cls[k]);
			if (after < t + n && after[-1] == ':' && *after != ' ' && *after != '\t' && *after != '\r' &&
			    *after != '\n')
				seen = true;
			const char *c0 = p;
			while (c0 > t && (c0[-1] == '.' || c0[-1] == '_' || c0[-1] == '$' ||
					  (unsigned)((c0[-1] | 0x20) - 'a') < 26u || is_digit(c0[-1])))
				c0--;
			if (c0 == p || !memchr(c0, '.', (size_t)(p - c0))) {
				if (bare_oom(c0, p, cls[k]) || inline_code_mention(t, n, c0, p))
					seen = true;
				continue; /* not a dotted class name */
			}
			if (printed_exception(t, t + n, c0))
				return false;
			seen = true;
		}
	return seen;
}

/* Java frames ("\tat a.b.C.m(...)") and whether one is Flink's: a trace of
 * three or more frames none of which is Flink's is another JVM program's
 * unless something else in the input says Flink (DESIGN §3). */
static void frames_seen(const char *t, size_t n, size_t *frames, bool *flink)
{
	*frames = 0;
	*flink = false;
	for (const char *p = t; p < t + n;) {
		const char *nl = memchr(p, '\n', (size_t)(t + n - p));
		const char *e = nl ? nl : t + n;
		const char *q = p;
		while (q < e && (*q == ' ' || *q == '\t'))
			q++;
		if (e - q > 3 && memcmp(q, "at ", 3) == 0 && (q > p || fm_jframe_shape(q + 3, e))) {
			++*frames;
			if (memmem(q, (size_t)(e - q), "org.apache.flink.", 17))
				*flink = true;
		}
		p = e + 1;
	}
}

/* What fm_collector_input_text learns from a text: a function of the
 * text alone, so it can be remembered. */
typedef struct text_facts {
	bool names_flink;  /* "flink", "taskmanager", "jobmanager", "taskexecutor", any case */
	bool foreign_main; /* an hs_err's java_command names another program's main class */
	fm_process main_proc; /* ... or a Flink TaskManager's or JobManager's (else UNKNOWN) */
	bool program;      /* program_output() */
	size_t frames;     /* Java frames (frames_seen) */
	bool flink_frame;  /* one of them Flink's */
	bool flink_limit;  /* quotes the direct-memory limit of Flink's shipped config */
	bool pod_object;   /* apiVersion, "Containers:" or containerStatuses */
} text_facts;

/* label at a line's start, after blanks or a quote's '>' (a pasted block
 * is often indented or quoted): where it starts, or NULL */
static const char *line_label(const char *t, size_t n, const char *label)
{
	size_t m = strlen(label);
	for (const char *p = t; (p = memmem(p, (size_t)(t + n - p), label, m)) != NULL; p += m) {
		const char *q = p;
		while (q > t && (q[-1] == ' ' || q[-1] == '\t' || q[-1] == '>'))
			q--;
		if (q == t || q[-1] == '\n')
			return p;
	}
	return NULL;
}

/* HotSpot's fatal-error log names the crashed JVM in its "VM Arguments"
 * block (Arguments::print_on: "jvm_args: ...", "java_command: MAIN ARGS",
 * "java_class_path (initial): ..."). Flink starts its TaskManagers with a
 * TaskExecutor runner and its JobManagers with a cluster entrypoint; any
 * other main class is another program (a platform's launcher, a server)
 * or a user's program running Flink embedded, which the JVM's threads then
 * show ("flink-akka", "flink-pekko", task threads). [*b, *e) spans the
 * block's argument lines: words there ("-Dflink.home", "engineType=flink")
 * are the launcher's arguments, not Flink running in that JVM. */
static fm_process hs_err_main(const char *t, size_t n, size_t *b, size_t *e, bool *foreign)
{
	*foreign = false;
	*b = *e = 0;
	const char *jc = line_label(t, n, "java_command: ");
	const char *cls, *end = t + n;
	if (jc) {
		cls = jc + 14;
	} else {
		/* JDK 9+'s summary, also when a report is cut before its PROCESS
		 * section: "Command Line: <JVM options> <main class> <args>"
		 * (Arguments::print_summary_on) */
		jc = line_label(t, n, "Command Line: ");
		if (!jc)
			return FM_PROC_UNKNOWN;
		cls = jc + 14;
		for (;;) {
			while (cls < end && *cls == ' ')
				cls++;
			if (cls >= end || *cls != '-')
				break;
			bool path = (end - cls > 3 && !memcmp(cls, "-cp ", 4)) || (end - cls > 10 && !memcmp(cls, "-classpath ", 11));
			for (int tok = path ? 2 : 1; tok > 0; tok--) {
				while (cls < end && *cls != ' ' && *cls != '\n')
					cls++;
				while (tok > 1 && cls < end && *cls == ' ')
					cls++;
			}
		}
	}
	size_t k = 0;
	while (cls + k < end && cls[k] != ' ' && cls[k] != '\n' && cls[k] != '\r')
		k++;
	const char *ja = line_label(t, (size_t)(jc - t), "jvm_args: ");
	const char *stop = memchr(jc, '\n', (size_t)(end - jc));
	const char *cp = stop ? line_label(stop, (size_t)(end - stop), "java_class_path") : NULL;
	if (cp && memchr(stop + 1, '\n', (size_t)(cp - stop - 1)) == NULL)
		stop = memchr(cp, '\n', (size_t)(end - cp));
	*b = (size_t)((ja && jc - ja < 65536 ? ja : jc) - t);
	*e = stop ? (size_t)(stop - t) : n;
	static const char *const tm[] = {"TaskManagerRunner", "TaskExecutorRunner"};
	bool flink = k > 17 && !memcmp(cls, "org.apache.flink.", 17);
	for (size_t i = 0; flink && i < sizeof tm / sizeof tm[0]; i++)
		if (memmem(cls, k, tm[i], strlen(tm[i])))
			return FM_PROC_TM;
	if (flink && (memmem(cls, k, "ClusterEntrypoint", 17) || memmem(cls, k, "ClusterEntryPoint", 17)))
		return FM_PROC_JM;
	/* HotSpot prints "<unknown>" when it has no command */
	*foreign = !flink && k > 0 && !(k == 9 && !memcmp(cls, "<unknown>", 9));
	return FM_PROC_UNKNOWN;
}

static bool names_flink_in(const char *t, size_t n)
{
	/* as a word's start: "ThreadPerTaskExecutor" is the JDK's, not Flink's */
	return icase_word(t, n, "flink") || flink_process_word(t, n, "taskmanager") ||
	       flink_process_word(t, n, "jobmanager") || flink_process_word(t, n, "taskexecutor");
}

static void text_facts_of(const char *t, size_t n, text_facts *f)
{
	*f = (text_facts){0};
	if (n == 0)
		return; /* nothing in it, and t may be NULL */
	size_t ab, ae;
	f->main_proc = hs_err_main(t, n, &ab, &ae, &f->foreign_main);
	if (f->foreign_main)
		f->names_flink = names_flink_in(t, ab) || names_flink_in(t + ae, n - ae);
	else
		f->names_flink = names_flink_in(t, n);
	frames_seen(t, n, &f->frames, &f->flink_frame);
	/* two frames, indented or not (pages strip the tab), are a trace */
	f->program = f->frames >= 2 || program_output(t, n);
	f->flink_limit = quotes_flink_limit(t, n);
	f->pod_object = memmem(t, n, "apiVersion", 10) || memmem(t, n, "Containers:", 11) ||
			memmem(t, n, "containerStatuses", 17);
}

/* The last text read and its facts. Every document of a structured input
 * registers as an input of its own and passes the same first 64 KiB of the
 * whole input: without this each of 32,768 documents re-read those bytes
 * with a dozen searches (200,000 one-line YAML documents took a minute);
 * now a repeat costs one memcmp. The copy is compared byte for byte, not
 * by address, so a buffer freed and reused for another text is never
 * mistaken for the one remembered. A mutex: inputs may be read by several
 * threads; a longer text is not remembered. */
#define FACTS_MEMO_MAX 65536
static struct {
	pthread_mutex_t mu;
	bool valid;
	size_t len;
	text_facts f;
	char text[FACTS_MEMO_MAX];
} facts_memo = {.mu = PTHREAD_MUTEX_INITIALIZER};

static void text_facts_memo(const char *t, size_t n, text_facts *f)
{
	bool fits = n > 0 && n <= FACTS_MEMO_MAX, hit = false;
	if (fits && pthread_mutex_lock(&facts_memo.mu) == 0) {
		hit = facts_memo.valid && facts_memo.len == n && memcmp(facts_memo.text, t, n) == 0;
		if (hit)
			*f = facts_memo.f;
		pthread_mutex_unlock(&facts_memo.mu);
	}
	if (hit)
		return;
	text_facts_of(t, n, f);
	if (fits && pthread_mutex_lock(&facts_memo.mu) == 0) {
		memcpy(facts_memo.text, t, n);
		facts_memo.len = n;
		facts_memo.f = *f;
		facts_memo.valid = true;
		pthread_mutex_unlock(&facts_memo.mu);
	}
}

/* A pod description's container blocks ("Containers:" / "Init
 * Containers:", then "  NAME:" two spaces in): where the containers that
 * are not Flink's sit, when one is (Flink names its own
 * flink-main-container; standalone manifests name theirs after the
 * process). A kill inside a sidecar's block (istio-proxy, a log shipper)
 * is that sidecar's, not the Flink process's. */
static void sidecar_blocks(fm_input_info *in, const char *t, size_t n)
{
	in->nsidecar = 0;
	bool flink_seen = false;
	size_t open = SIZE_MAX; /* the sidecar block being read */
	uint64_t line = 0;
	fm_describe_walk w = {0};
	for (const char *p = t; p < t + n && in->nsidecar < FM_SIDECARS_MAX;) {
		const char *nl = memchr(p, '\n', (size_t)(t + n - p));
		const char *e = nl ? nl : t + n;
		line++;
		fm_describe_line h = fm_describe_walk_line(&w, p, e);
		if (h != FM_DL_BODY && open != SIZE_MAX) {
			in->sidecar[open].to = line - 1;
			open = SIZE_MAX;
		}
		flink_seen |= h == FM_DL_FLINK;
		if (h == FM_DL_OTHER) {
			open = in->nsidecar++;
			in->sidecar[open].from = line;
			in->sidecar[open].to = UINT64_MAX;
		}
		p = nl ? nl + 1 : t + n;
	}
	if (!flink_seen)
		in->nsidecar = 0; /* no Flink container named: whose pod is not told here */
}

/* The first YARN container a kernel OOM report's memory cgroup names
 * (mm/oom_kill.c's summary "oom_memcg=PATH"; YARN's cgroups handler puts
 * a container's processes under "<hierarchy>/container_..."): the kill is
 * that container's, a YARN kill. */
static void yarn_memcg_of(fm_input_info *in, const char *t, size_t n)
{
	const char *p = memmem(t, n, "oom_memcg=", 10);
	while (p && !in->yarn_memcg[0]) {
		const char *e = p + 10;
		while (e < t + n && *e != ',' && *e != ' ' && *e != '\n')
			e++;
		const char *c = memmem(p, (size_t)(e - p), "/container_", 11);
		if (c) {
			size_t k = (size_t)(e - c - 1);
			if (k < sizeof in->yarn_memcg) {
				memcpy(in->yarn_memcg, c + 1, k);
				in->yarn_memcg[k] = 0;
			}
		}
		p = memmem(e, (size_t)(t + n - e), "oom_memcg=", 10);
	}
}

/* Flink names its TaskManager pods "<cluster-id>-taskmanager-<attempt>-<n>"
 * (KubernetesTaskManagerFactory, native mode and the operator): the first
 * such name in the input gives the cluster id. */
static void cluster_id_of(fm_input_info *in, const char *t, size_t n)
{
	const char *p = memmem(t, n, "-taskmanager-", 13);
	if (!p || in->cluster_id[0])
		return;
	const char *b = p;
	while (b > t && (isalnum((unsigned char)b[-1]) || b[-1] == '-' || b[-1] == '.'))
		b--;
	if (p > b && (size_t)(p - b) < sizeof in->cluster_id) {
		memcpy(in->cluster_id, b, (size_t)(p - b));
		in->cluster_id[p - b] = 0;
	}
}

/* A pod name of the cluster's JobManager Deployment: "<cluster-id>-" then
 * the ReplicaSet's hash and the pod's suffix ("5d9c7b8f6d-xq2lp"). */
static bool jm_deployment_pod(const fm_input_info *in, const char *line)
{
	size_t k = strlen(in->cluster_id);
	while (*line == ' ' || *line == '\t')
		line++;
	if (!k || strncmp(line, in->cluster_id, k) || line[k] != '-')
		return false;
	const char *q = line + k + 1;
	size_t a = 0, b = 0;
	while (isalnum((unsigned char)q[a]))
		a++;
	if (q[a] != '-')
		return false;
	while (isalnum((unsigned char)q[a + 1 + b]))
		b++;
	return a >= 6 && a <= 10 && b == 5 && (q[a + 1 + b] == ' ' || q[a + 1 + b] == '\t' || !q[a + 1 + b]);
}

void fm_collector_input_text(fm_collector *c, uint32_t idx, const char *text, size_t len, bool structured)
{
	if (idx >= c->nin)
		return;
	fm_input_info *in = &c->in[idx];
	text_facts f;
	text_facts_memo(text, len, &f);
	if (f.names_flink)
		in->flink_seen = true;
	/* an hs_err's main class names the crashed JVM */
	if (f.main_proc != FM_PROC_UNKNOWN && in->proc == FM_PROC_UNKNOWN)
		in->proc = f.main_proc;
	if (f.foreign_main && !f.names_flink)
		in->other_seen = true;
	in->prose_only = !structured && len > 0 && !f.program;
	if (structured && len > 0 && memmem(text, len, "Containers:", 11))
		sidecar_blocks(in, text, len);
	yarn_memcg_of(in, text, len);
	cluster_id_of(in, text, len);
	if (f.flink_frame || f.flink_limit)
		in->flink_seen = true;
	/* a whole pod description or object (name, labels, containers, image)
	 * that never says Flink describes another workload's pod */
	if (structured && len > 0 && !in->flink_seen && f.pod_object)
		in->other_seen = true;
	else if (f.frames >= 3 && !in->flink_seen)
		in->other_seen = true; /* a JVM program's trace that shows nothing of Flink */
}

const char *fm_collect_advice(void)
{
	return "Collect: (1) the TaskManager and JobManager logs around the failure (log/flink-*-taskexecutor-*.log "
	       "and flink-*-standalonesession-*.log, or `kubectl logs <pod> --previous` for the container that died, or "
	       "`yarn logs -applicationId <id>`); (2) on Kubernetes `kubectl describe pod <pod>` (Last State, Reason "
	       "OOMKilled or Evicted, Exit Code) and `kubectl get events`; on YARN the container's diagnostics "
	       "(NodeManager log: 'is running beyond physical memory limits'); (3) on the node `dmesg -T | grep -i -E "
	       "'killed process|out of memory'` for kernel OOM kills; (4) a GC log (env.java.opts.taskmanager: "
	       "-Xlog:gc*:file=/tmp/gc.log, or -verbose:gc on Java 8) and the hs_err_pid*.log file if the JVM crashed; "
	       "(5) the Flink configuration (config.yaml or flink-conf.yaml) and the Flink version.";
}

/* ---- finishing ------------------------------------------------------------ */

static int note(fm_analysis *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(fm_analysis *a, const char *fmt, ...)
{
	char **nv = realloc(a->notes, (a->nnotes + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	a->notes = nv;
	va_list ap;
	va_start(ap, fmt);
	int r = vasprintf(&a->notes[a->nnotes], fmt, ap);
	va_end(ap);
	if (r < 0)
		return FM_ENOMEM;
	a->nnotes++;
	return FM_OK;
}

static int cmp_group(const void *x, const void *y)
{
	const group *a = x, *b = y;
	if (a->inc.input != b->inc.input)
		return a->inc.input < b->inc.input ? -1 : 1;
	if (a->inc.line != b->inc.line)
		return a->inc.line < b->inc.line ? -1 : 1;
	if (a->role != b->role)
		return a->role < b->role ? -1 : 1;
	if (a->sig != b->sig)
		return a->sig < b->sig ? -1 : 1;
	if (a->inc.failure != b->inc.failure)
		return a->inc.failure < b->inc.failure ? -1 : 1;
	return strcmp(a->inc.instance ? a->inc.instance : "", b->inc.instance ? b->inc.instance : "");
}

/* Whether an evidence line of inc is within EPERM_WINDOW lines of one of
 * the n marks (same input). */
static bool near_mark(const fm_incident *inc, const mark *m, size_t n)
{
	for (size_t k = 0; k < inc->nev; k++)
		for (size_t e = 0; e < n; e++) {
			uint64_t a = inc->ev[k].line, b = m[e].line;
			if (m[e].input == inc->ev[k].input && (a > b ? a - b : b - a) <= EPERM_WINDOW)
				return true;
		}
	return false;
}

static bool near_eperm(const fm_collector *c, const fm_incident *inc)
{
	return near_mark(inc, c->eperm, c->neperm);
}

/* ... and whether every such mark is a start-up thread refusal */
static bool eperm_threads_only(const fm_collector *c)
{
	bool any = false;
	for (size_t e = 0; e < c->neperm; e++) {
		if (!c->eperm[e].threads)
			return false;
		any = true;
	}
	return any;
}

/* The start script's "Could not get JVM parameters" prints BashJavaUtils'
 * raw output below it: when that says the config file could not be read
 * (YAML syntax, a duplicate key, no file) or the shell could not run Java,
 * no memory was computed at all */
static bool near_unreadable(const fm_collector *c, const fm_incident *inc)
{
	return near_mark(inc, c->unreadable, c->nunreadable);
}

/* Every evidence line of inc (of kind f) matched one of the signatures ids. */
static bool evidence_only(const fm_incident *inc, fm_failure f, const char *const *ids)
{
	if (inc->failure != f || !inc->nev)
		return false;
	for (size_t k = 0; k < inc->nev; k++) {
		bool in = false;
		for (size_t i = 0; ids[i] && !in; i++)
			in = inc->ev[k].sig && !strcmp(inc->ev[k].sig, ids[i]);
		if (!in)
			return false;
	}
	return true;
}

/* A kernel OOM report seen only by its first lines (the allocating task's
 * "invoked oom-killer", the memory cgroup's usage): the victim line of
 * the same report says whose kill it is. */
static bool kernel_preamble(const fm_incident *inc)
{
	static const char *const ids[] = {"KERNEL_OOM_INVOKED", NULL};
	return evidence_only(inc, FM_F_K8S, ids);
}

/* The input holds a kernel OOM kill whose victim is another program. */
static bool other_victim_in(const fm_collector *c, uint32_t input)
{
	for (size_t j = 0; j < c->ng; j++) {
		const fm_incident *y = &c->g[j].inc;
		if (y->input == input && y->failure == FM_F_K8S && y->proc == FM_PROC_OTHER && y->victim[0])
			return true;
	}
	return false;
}

/* A Kubernetes kill seen only as exit 137 (no OOMKilled reason): SIGKILL
 * from whoever sent it. */
static bool bare_137(const fm_incident *inc)
{
	static const char *const ids[] = {"K8S_EXIT_137", "K8S_EXITCODE_137", "FLINK_POD_EXIT_137", NULL};
	return evidence_only(inc, FM_F_K8S, ids);
}

/* A native-memory incident whose lines are only hs_err's generic header
 * ("There is insufficient memory for the Java Runtime Environment", "Out
 * of Memory Error (file:line)"): the line below it tells what failed. */
static bool generic_native(const fm_incident *inc)
{
	static const char *const ids[] = {"JVM_NATIVE_OOM", "HS_ERR_OOM", NULL};
	return evidence_only(inc, FM_F_NATIVE_MEMORY, ids);
}

/* ... next to a thread-creation failure of the same input: that is the
 * report's reason */
static bool thread_reason_near(const fm_collector *c, const fm_incident *inc)
{
	for (size_t j = 0; j < c->ng; j++) {
		const fm_incident *y = &c->g[j].inc;
		if (c->g[j].role != FM_ROLE_PRIMARY || y->failure != FM_F_NATIVE_THREAD)
			continue;
		for (size_t a = 0; a < inc->nev; a++)
			for (size_t b = 0; b < y->nev; b++) {
				uint64_t x = inc->ev[a].line, z = y->ev[b].line;
				if (inc->ev[a].input == y->ev[b].input && (x > z ? x - z : z - x) <= EPERM_WINDOW)
					return true;
			}
	}
	return false;
}

static int rank(fm_failure f)
{
	return f == FM_F_CONFIG ? 0 : (f == FM_F_K8S || f == FM_F_YARN) ? 2 : 1;
}

/* a before b as a root-cause candidate */
static bool earlier(const fm_incident *a, const fm_incident *b)
{
	if (a->time_ms >= 0 && b->time_ms >= 0 && a->time_ms != b->time_ms)
		return a->time_ms < b->time_ms;
	if ((a->time_ms >= 0) != (b->time_ms >= 0))
		return a->time_ms >= 0;
	if (rank(a->failure) != rank(b->failure))
		return rank(a->failure) < rank(b->failure);
	if (a->input != b->input)
		return a->input < b->input;
	return a->line < b->line;
}

static void merge_into(fm_incident *dst, fm_incident *src)
{
	dst->count += src->count;
	if (src->time_ms >= 0 && (dst->time_ms < 0 || src->time_ms < dst->time_ms)) {
		dst->time_ms = src->time_ms;
		memcpy(dst->time, src->time, sizeof dst->time);
	}
	if (!dst->nnum && src->nnum) {
		memcpy(dst->num, src->num, sizeof dst->num);
		dst->nnum = src->nnum;
	}
	dst->netty_shaded |= src->netty_shaded;
	dst->array_limit |= src->array_limit;
	if (!dst->container_limit)
		dst->container_limit = src->container_limit;
	if (!dst->evict_request && src->evict_request) {
		dst->evict_request = src->evict_request;
		dst->evict_usage = src->evict_usage;
	}
	if (!dst->victim_rss)
		dst->victim_rss = src->victim_rss;
	if (!dst->victim[0])
		memcpy(dst->victim, src->victim, sizeof dst->victim);
	for (size_t k = 0; k < src->nev; k++) {
		if (dst->nev < FM_EVIDENCE_MAX && dst->ev) {
			dst->ev[dst->nev++] = src->ev[k];
			src->ev[k].text = NULL;
		}
	}
	inc_release(src);
}

static int cmp_ev(const void *x, const void *y)
{
	const fm_evidence *a = x, *b = y;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line ? 1 : 0;
}

static int cmp_inc(const void *x, const void *y)
{
	const fm_incident *a = x, *b = y;
	if (a->aftermath != b->aftermath)
		return a->aftermath ? 1 : -1;
	if (a->input != b->input)
		return a->input < b->input ? -1 : 1;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->failure != b->failure)
		return a->failure < b->failure ? -1 : 1;
	return strcmp(a->secondary_sig ? a->secondary_sig : "", b->secondary_sig ? b->secondary_sig : "");
}

static int push(fm_analysis *a, fm_incident *inc)
{
	if (inc->nev > 1)
		qsort(inc->ev, inc->nev, sizeof *inc->ev, cmp_ev);
	fm_incident *nv = realloc(a->v, (a->n + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	a->v = nv;
	a->v[a->n++] = *inc;
	*inc = (fm_incident){0};
	return FM_OK;
}

static const char *in_name(const fm_collector *c, uint32_t i)
{
	return i < c->nin ? c->in[i].name : "-";
}

/* Keeps the FM_EVIDENCE_MAX earliest lines of both (y's are moved or freed). */
static int merge_evidence(fm_incident *x, fm_incident *y)
{
	if (!y->nev)
		return FM_OK;
	if (!x->ev && !(x->ev = calloc(FM_EVIDENCE_MAX, sizeof *x->ev)))
		return FM_ENOMEM;
	fm_evidence all[2 * FM_EVIDENCE_MAX];
	size_t n = 0;
	for (size_t k = 0; k < x->nev; k++)
		all[n++] = x->ev[k];
	for (size_t k = 0; k < y->nev; k++)
		all[n++] = y->ev[k];
	qsort(all, n, sizeof *all, cmp_ev);
	x->nev = n < FM_EVIDENCE_MAX ? n : FM_EVIDENCE_MAX;
	memcpy(x->ev, all, x->nev * sizeof *all);
	for (size_t k = x->nev; k < n; k++)
		free(all[k].text);
	y->nev = 0;
	return FM_OK;
}

/* y joins x (same failure kind and process): instances, flags, the first
 * line and its numbers, the earliest evidence; y is released. */
static int absorb(fm_incident *x, fm_incident *y)
{
	if (merge_instances(x, y))
		return FM_ENOMEM;
	x->proc_assumed &= y->proc_assumed;
	x->from_peer_view &= y->from_peer_view;
	x->vmem |= y->vmem;
	x->node_level |= y->node_level;
	bool y_cause = config_catch_all(x->sig) && y->sig && !config_catch_all(y->sig) && y->sig->failure == FM_F_CONFIG;
	bool x_cause = config_catch_all(y->sig) && x->sig && !config_catch_all(x->sig) && x->sig->failure == FM_F_CONFIG;
	if (ev_before(y->input, y->line, x->input, x->line)) {
		x->input = y->input;
		x->line = y->line;
		if (!x_cause) {
			x->sig = y->sig;
			if (y->nnum) {
				memcpy(x->num, y->num, sizeof x->num);
				x->nnum = y->nnum;
			}
		}
	} else if (y_cause) { /* as in first_seen: the named cause describes it */
		x->sig = y->sig;
		if (y->nnum) {
			memcpy(x->num, y->num, sizeof x->num);
			x->nnum = y->nnum;
		}
	}
	if (merge_evidence(x, y))
		return FM_ENOMEM;
	merge_into(x, y); /* count, time, numbers, flags; releases y */
	return FM_OK;
}

/* Each input's events come together (files one after the other, ranges
 * of one file in order). So when another input's event arrives, the
 * per-input groups of the last one have had all their frame cues: they
 * join their (failure, process) group now, and memory stays bounded by the
 * failure kinds, not by the number of inputs (300,000 one-line YAML
 * documents each with an OOM). */
static int settle_inputs(fm_collector *c, uint32_t idx)
{
	if (c->open_input == idx)
		return FM_OK;
	c->open_input = idx;
	size_t keep = 0;
	for (size_t i = 0; i < c->nopen; i++) {
		group *g = &c->g[c->open[i]];
		if (g->role != FM_ROLE_PRIMARY)
			continue;
		if (g->key_input == idx) {
			c->open[keep++] = c->open[i];
			continue;
		}
		fm_incident *x = &g->inc;
		if ((x->proc_assumed || x->proc == FM_PROC_UNKNOWN) && g->late_proc != FM_PROC_UNKNOWN) {
			x->proc = g->late_proc;
			x->proc_assumed = false;
		}
		g->late_proc = FM_PROC_UNKNOWN;
		uint64_t key = primary_key(x->failure, x->proc, SETTLED_INPUT);
		group *h = gmap_get(c, key);
		if (h) {
			if (absorb(&h->inc, x))
				return FM_ENOMEM;
			g->role = FM_ROLE_INFO;
		} else {
			g->key_input = SETTLED_INPUT;
			if (gmap_put(c, key, c->open[i]))
				return FM_ENOMEM;
		}
	}
	c->nopen = keep;
	return FM_OK;
}

/* After the per-input groups learnt their process: one group per failure
 * kind and process (groups are sorted, so the first seen absorbs the rest). */
static int merge_groups(fm_collector *c)
{
	size_t *heads = NULL, nheads = 0; /* the first group of each (failure, process) */
	for (size_t j = 0; j < c->ng; j++) {
		group *h = &c->g[j], *g = NULL;
		if (h->role != FM_ROLE_PRIMARY)
			continue;
		for (size_t k = 0; k < nheads && !g; k++)
			if (c->g[heads[k]].inc.failure == h->inc.failure && c->g[heads[k]].inc.proc == h->inc.proc)
				g = &c->g[heads[k]];
		if (!g) {
			size_t *nv = realloc(heads, (nheads + 1) * sizeof *nv);
			if (!nv) {
				free(heads);
				return FM_ENOMEM;
			}
			heads = nv;
			heads[nheads++] = j;
			continue;
		}
		if (absorb(&g->inc, &h->inc)) {
			free(heads);
			return FM_ENOMEM;
		}
		h->role = FM_ROLE_INFO;
	}
	free(heads);
	/* the incident's instance is the first one seen */
	for (size_t i = 0; i < c->ng; i++) {
		fm_incident *x = &c->g[i].inc;
		if (c->g[i].role == FM_ROLE_INFO || !x->ninst)
			continue;
		if (x->ninst > 1)
			qsort(x->inst, x->ninst, sizeof *x->inst, cmp_inst);
		char *nm = strdup(x->inst[0].name);
		if (!nm)
			return FM_ENOMEM;
		free(x->instance);
		x->instance = nm;
	}
	return FM_OK;
}

int fm_collector_finish(fm_collector *c, fm_analysis *out)
{
	*out = (fm_analysis){0};
	out->root = -1;
	out->restarts = c->restarts;
	out->submissions = c->submissions;
	out->leak_hints = c->leak_hints;
	out->legacy_keys = c->legacy_keys;
	out->yarn_max_mb = c->yarn_max_mb;
	out->rocksdb_managed = c->rocksdb;
	out->forst = c->forst;
	out->local_cluster = c->local;
	out->net_usage_high = c->net_high;
	int rc = FM_OK;
	/* groups in a stable order (parallel scans report in any order) */
	if (c->ng > 1)
		qsort(c->g, c->ng, sizeof *c->g, cmp_group);
	/* a container kill in an input whose kernel log printed its memory
	 * cgroup's limit: that limit is the container's (an eviction or a
	 * node-wide OOM is not about the limit) */
	for (size_t i = 0; i < c->ng; i++) {
		fm_incident *x = &c->g[i].inc;
		if (c->g[i].role == FM_ROLE_PRIMARY && (x->failure == FM_F_K8S || x->failure == FM_F_YARN) &&
		    !x->container_limit && !x->node_level &&
		    !x->evicted && x->input < c->nin && c->in[x->input].memcg_limit > 0)
			x->container_limit = c->in[x->input].memcg_limit;
	}
	/* 1. look-alikes: a native "insufficient memory" next to a permission error */
	for (size_t i = 0; i < c->ng && !rc; i++) {
		group *g = &c->g[i];
		bool script = g->inc.sig && !strcmp(g->inc.sig->id, "SCRIPT_PARAMS_FAIL");
		if (g->role == FM_ROLE_PRIMARY && script && near_unreadable(c, &g->inc)) {
			/* (the look-alike's own note says why) */
			inc_release(&g->inc);
			g->role = FM_ROLE_INFO; /* dropped */
			continue;
		}
		if (g->role == FM_ROLE_PRIMARY && (g->inc.failure == FM_F_NATIVE_THREAD || g->inc.failure == FM_F_NATIVE_MEMORY || script) &&
		    near_eperm(c, &g->inc)) {
			rc = eperm_threads_only(c)
				     ? note(out, "not a memory failure: %s:%llu says the JVM lacks memory, but it could not start "
					    "its GC threads at start-up: the OS refused threads (a pids or process limit, or an "
					    "old container runtime's seccomp; a newer Docker/containerd or the pids limit fixes "
					    "it), not memory",
					    in_name(c, g->inc.input), (unsigned long long)g->inc.line)
				     : note(out, "not a memory failure: %s:%llu says the JVM lacks memory, but the OS refused "
					    "with a permission error (EPERM) next to it; fix the container's security settings, "
					    "not memory",
					    in_name(c, g->inc.input), (unsigned long long)g->inc.line);
			inc_release(&g->inc);
			g->role = FM_ROLE_INFO; /* dropped */
		} else if (g->role == FM_ROLE_PRIMARY && generic_native(&g->inc) && thread_reason_near(c, &g->inc)) {
			inc_release(&g->inc); /* the thread failure below it says what failed */
			g->role = FM_ROLE_INFO;
		} else if (g->role == FM_ROLE_PRIMARY && kernel_preamble(&g->inc) &&
			   other_victim_in(c, g->inc.input)) {
			/* the report's own victim line names another program */
			inc_release(&g->inc);
			g->role = FM_ROLE_INFO; /* dropped */
		} else if (g->role == FM_ROLE_PRIMARY && bare_137(&g->inc) && !g->inc.evicted && g->inc.input < c->nin &&
			   c->in[g->inc.input].nonmem_end_line) {
			/* the same input says why the pod ended, and it was not memory
			 * (a pod description's Reason/Message above its Exit Code) */
			fm_input_info *in = &c->in[g->inc.input];
			rc = note(out, "not a memory failure: exit 137 at %s:%llu: %s (%s:%llu)", in_name(c, g->inc.input),
				  (unsigned long long)g->inc.line, in->nonmem_end_what, in_name(c, g->inc.input),
				  (unsigned long long)in->nonmem_end_line);
			in->nonmem_explained = true;
			inc_release(&g->inc);
			g->role = FM_ROLE_INFO; /* dropped */
		} else if (g->role == FM_ROLE_PRIMARY && c->probe_kill.line && bare_137(&g->inc)) {
			/* the kubelet kills a container whose liveness or startup probe
			 * failed with SIGKILL after the grace period: exit 137 with
			 * reason Error, where a memory-limit kill says OOMKilled */
			rc = note(out, "not a memory failure: exit 137 at %s:%llu is the kubelet's kill after a failed probe "
				  "(%s:%llu), not a memory limit; find why the probe failed (a stalled JVM, long GC pauses, "
				  "a probe timeout shorter than the start)",
				  in_name(c, g->inc.input), (unsigned long long)g->inc.line,
				  in_name(c, c->probe_kill.input), (unsigned long long)c->probe_kill.line);
			inc_release(&g->inc);
			g->role = FM_ROLE_INFO; /* dropped */
			c->probe_explained = true;
		}
	}
	/* 1b. no line named the process: frames just below the error may have */
	for (size_t i = 0; i < c->ng; i++) {
		fm_incident *x = &c->g[i].inc;
		if (c->g[i].role == FM_ROLE_PRIMARY && (x->proc_assumed || x->proc == FM_PROC_UNKNOWN || c->g[i].soft) &&
		    c->g[i].late_proc != FM_PROC_UNKNOWN) {
			x->proc = c->g[i].late_proc;
			x->proc_assumed = false;
		}
	}
	/* 1b'. a config error no line attributed (the start script's "could not
	 * get JVM parameters") belongs to the process whose derivation error
	 * the same input shows */
	for (size_t i = 0; i < c->ng; i++) {
		fm_incident *x = &c->g[i].inc;
		if (c->g[i].role != FM_ROLE_PRIMARY || x->failure != FM_F_CONFIG || x->proc != FM_PROC_UNKNOWN)
			continue;
		for (size_t j = 0; j < c->ng; j++) {
			const fm_incident *y = &c->g[j].inc;
			if (j != i && c->g[j].role == FM_ROLE_PRIMARY && y->failure == FM_F_CONFIG && y->input == x->input &&
			    (y->proc == FM_PROC_TM || y->proc == FM_PROC_JM)) {
				x->proc = y->proc;
				break;
			}
		}
	}
	/* 1c. outside the cluster: an outside process, or an assumed process in
	 * inputs that show another system and nothing of Flink (DESIGN §3) */
	bool any_flink = false, any_other = false, all_prose = c->nin > 0;
	for (size_t i = 0; i < c->nin; i++) {
		any_flink |= c->in[i].flink_seen;
		any_other |= c->in[i].other_seen || c->in[i].proc == FM_PROC_OTHER;
		all_prose &= c->in[i].prose_only;
	}
	size_t nprimary = 0;
	for (size_t i = 0; i < c->ng; i++) {
		fm_incident *x = &c->g[i].inc;
		if (c->g[i].role != FM_ROLE_PRIMARY)
			continue;
		if (all_prose && !(x->sig && !strcmp(x->sig->id, "YARN_KILL_PROSE"))) {
			/* texts quoted by a person: no failure is guessed (a kill the
			 * resource manager is said to have made stays, see events) */
			c->g[i].role = FM_ROLE_INFO;
			continue;
		}
		nprimary++;
		/* input that shows another system and nothing of Flink: whatever
		 * named a TaskManager or JobManager was generic (YARN names every
		 * framework's application master "AM Container", a task's
		 * "(3/8)"), so every failure in it is that system's. Input that
		 * shows nothing of Flink at all (no Flink logger, class,
		 * entrypoint, pod label, container or file name) is not blamed on
		 * a TaskManager either: every JVM prints the same OutOfMemoryError
		 * texts and Kubernetes and YARN kill every workload's containers
		 * the same way (a container's number or a pod's role names a
		 * TaskManager only in a Flink application); an assumed process
		 * is a last resort for input that is Flink's (DESIGN §3) */
		bool generic = x->proc_assumed || x->proc == FM_PROC_UNKNOWN || x->failure == FM_F_YARN ||
			       x->failure == FM_F_K8S;
		if (!any_flink && (any_other || (generic && !fm_process_outside(x->proc)))) {
			x->proc = FM_PROC_OTHER;
			x->proc_assumed = false;
		}
		x->outside = fm_process_outside(x->proc);
	}
	if (!nprimary && all_prose && !rc)
		rc = note(out, "no program output found: the input reads as a description, so no failure kind is guessed. "
			  "%s", fm_collect_advice());
	/* 1c. one incident per failure kind and process */
	if (!rc)
		rc = merge_groups(c);
	/* 2. an incident seen from another process's log joins the process's own */
	for (size_t i = 0; i < c->ng; i++) {
		group *g = &c->g[i];
		if (g->role != FM_ROLE_PRIMARY || !g->inc.from_peer_view)
			continue;
		for (size_t j = 0; j < c->ng; j++) {
			group *h = &c->g[j];
			if (j != i && h->role == FM_ROLE_PRIMARY && !h->inc.from_peer_view && h->inc.failure == g->inc.failure &&
			    h->inc.proc == g->inc.proc) {
				merge_into(&h->inc, &g->inc);
				g->role = FM_ROLE_INFO;
				break;
			}
		}
	}
	/* 3. the root cause: the earliest memory failure that is not only a
	 * wrapper of a deeper one */
	group *root = NULL;
	for (size_t i = 0; i < c->ng; i++) {
		group *g = &c->g[i];
		if (g->role == FM_ROLE_PRIMARY && !g->inc.outside && g->carried < g->inc.count &&
		    (!root || earlier(&g->inc, &root->inc)))
			root = g;
	}
	/* 4. fatal exits join a memory failure of the same input (the memory
	 * failures are few once grouped: listed once, not looked for per exit) */
	size_t *prim = rc ? NULL : malloc((c->ng ? c->ng : 1) * sizeof *prim), nprim = 0;
	if (!rc && !prim)
		rc = FM_ENOMEM;
	for (size_t j = 0; prim && j < c->ng; j++)
		if (c->g[j].role == FM_ROLE_PRIMARY)
			prim[nprim++] = j;
	for (size_t i = 0; i < c->ng && !rc; i++) {
		group *g = &c->g[i];
		if (g->role != FM_ROLE_FATAL)
			continue;
		group *host = NULL;
		for (size_t j = 0; j < nprim; j++) {
			group *h = &c->g[prim[j]];
			if (!seen_in(&h->inc, g->inc.input) || host == root)
				continue;
			if (!host || h == root || h->inc.line < host->inc.line)
				host = h;
		}
		if (host) {
			for (size_t k = 0; k < g->inc.nev && host->inc.nev < FM_EVIDENCE_MAX; k++) {
				host->inc.ev[host->inc.nev++] = g->inc.ev[k];
				g->inc.ev[k].text = NULL;
			}
		} else if (!root) {
			rc = note(out, "%s:%llu: %s, but no memory error is in the inputs (%zu line%s); look for the cause "
				  "in the full log before this line",
				  in_name(c, g->inc.input), (unsigned long long)g->inc.line, g->inc.sig->what, g->inc.count,
				  g->inc.count == 1 ? "" : "s");
		}
	}
	free(prim);
	/* 5. incidents: root cause first, other roots, then aftermath */
	if (root && !rc) {
		rc = push(out, &root->inc);
		root->role = FM_ROLE_INFO;
		out->root = 0;
	}
	for (size_t i = 0; i < c->ng && !rc; i++) {
		group *g = &c->g[i];
		if (g->role != FM_ROLE_PRIMARY)
			continue;
		fm_incident *inc = &g->inc;
		/* out->v moves as it grows: look the root cause up each time */
		const fm_incident *r = out->root == 0 ? &out->v[0] : NULL;
		if (r && inc->failure != r->failure && inc->proc == r->proc && shares_instance(inc, r) &&
		    (inc->time_ms < 0 || r->time_ms < 0 || inc->time_ms >= r->time_ms)) {
			inc->aftermath = true;
			/* Flink's own metaspace hint: classes loaded per job (re)start
			 * that are never freed fill it; a restart loop that the root
			 * cause set off is the usual way there */
			if (inc->failure == FM_F_METASPACE)
				rc = note(out, "%s:%llu: metaspace filled after the %s failure: each restart loads the "
					  "job's classes again, and classes a library or user code keeps reachable are "
					  "never freed (a class-loading leak). Fix the root cause first; if metaspace "
					  "still fills over restarts, find the leak (a heap dump's ChildFirstClassLoader "
					  "instances) before raising %s.memory.jvm-metaspace.size",
					  in_name(c, inc->input), (unsigned long long)inc->line, fm_failure_name(r->failure),
					  inc->proc == FM_PROC_JM ? "jobmanager" : "taskmanager");
		}
		if (rc)
			break;
		rc = push(out, inc);
		g->role = FM_ROLE_INFO;
	}
	for (size_t i = 0; i < c->ng && !rc; i++) {
		group *g = &c->g[i];
		if (g->role == FM_ROLE_SECONDARY) {
			if (out->root >= 0) {
				g->inc.failure = out->v[0].failure;
				g->inc.aftermath = true;
				g->inc.secondary_sig = g->inc.sig->id;
				rc = push(out, &g->inc);
				g->role = FM_ROLE_INFO;
			} else {
				rc = note(out, "not a memory failure: %s (%zu line%s, first at %s:%llu) with no memory error in "
					  "the inputs%s",
					  g->inc.sig->what, g->inc.count, g->inc.count == 1 ? "" : "s", in_name(c, g->inc.input),
					  (unsigned long long)g->inc.line,
					  strstr(g->inc.sig->id, "HB_") ? "; a heartbeat timeout alone points at the network or a "
									   "stalled peer"
									 : "");
			}
		} else if (g->role == FM_ROLE_NEGATIVE && out->root < 0 && strcmp(g->inc.sig->id, "NEG_EPERM") &&
			   !(c->probe_explained && !strcmp(g->inc.sig->id, "NEG_K8S_PROBE_KILL")) &&
			   !(g->inc.input < c->nin && c->in[g->inc.input].nonmem_explained &&
			     g->inc.sig->what == c->in[g->inc.input].nonmem_end_what)) {
			rc = note(out, "not a memory failure: %s (%s:%llu)", g->inc.sig->what, in_name(c, g->inc.input),
				  (unsigned long long)g->inc.line);
		}
	}
	/* a stable order whatever order the scan reported in: after the root
	 * cause, other roots then aftermath, each by where they were first seen */
	if (!rc && out->n > 2)
		qsort(out->v + 1, out->n - 1, sizeof *out->v, cmp_inc);
	/* inputs move over */
	if (!rc) {
		out->inputs = c->in;
		out->ninputs = c->nin;
		c->in = NULL;
		c->nin = c->capin = 0;
		for (size_t i = 0; i < out->ninputs; i++)
			if (out->inputs[i].version) {
				out->flink_version = out->inputs[i].version;
				break;
			}
	}
	for (size_t i = 0; i < c->ng; i++)
		inc_release(&c->g[i].inc);
	c->ng = 0;
	/* the lookups refer to groups by index: empty them too */
	free(c->gmap);
	free(c->seen);
	c->gmap = NULL;
	c->seen = NULL;
	c->ngmap = c->capgmap = c->nseen = c->capseen = c->nrecent = c->nopen = 0;
	c->open_input = 0;
	if (rc)
		fm_analysis_release(out);
	return rc;
}

void fm_analysis_release(fm_analysis *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->n; i++)
		inc_release(&a->v[i]);
	free(a->v);
	for (size_t i = 0; i < a->nnotes; i++)
		free(a->notes[i]);
	free(a->notes);
	for (size_t i = 0; i < a->ninputs; i++)
		input_release(&a->inputs[i]);
	free(a->inputs);
	*a = (fm_analysis){0};
	a->root = -1;
}
