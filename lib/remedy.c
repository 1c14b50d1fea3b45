/* remedy — one fix per failure kind; see include/flinkmem/remedy.h.
 * Sizes are proposed in whole MiB (64 MiB steps for growth), every layout
 * shown comes from fm_plan_whatif, i.e. from the derivation engine. */
#include "flinkmem/remedy.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/derive.h"
#include "flinkmem/health.h"
#include "flinkmem/lint.h"
#include "flinkmem/logconf.h"
#include "flinkmem/memsize.h"

#define MIB (INT64_C(1) << 20)
#define STEP (64 * MIB)

/* v rounded up to a multiple of step; down when up would overflow (sizes
 * near INT64_MAX come from input). */
static int64_t round_up(int64_t v, int64_t step)
{
	int64_t r;
	if (__builtin_add_overflow(v, step - 1, &r))
		return v / step * step;
	return r / step * step;
}

static int heal(fm_remedy *r, const fm_conf *base, const fm_profile *p);

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

static void human(char *out, int64_t b)
{
	fm_size_human_c(out, b);
	char *p = strstr(out, " (");
	if (p)
		*p = '\0';
}

static int addv(char ***v, size_t *n, const char *fmt, va_list ap)
{
	char **nv = realloc(*v, (*n + 1) * sizeof *nv);
	if (!nv)
		return FM_ENOMEM;
	*v = nv;
	if (vasprintf(&nv[*n], fmt, ap) < 0)
		return FM_ENOMEM;
	(*n)++;
	return FM_OK;
}

static int note(fm_remedy *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int note(fm_remedy *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = addv(&r->notes, &r->nnotes, fmt, ap);
	va_end(ap);
	return rc;
}

static int extra(fm_remedy *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int extra(fm_remedy *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = addv(&r->changes_extra, &r->nextra, fmt, ap);
	va_end(ap);
	return rc;
}

static int explain(fm_remedy *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int explain(fm_remedy *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = NULL;
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return FM_ENOMEM;
	free(r->explanation);
	r->explanation = s;
	return FM_OK;
}

/* A component change: key(s) set to `to`; the process (or Flink) size grows
 * by `delta` so nothing else shrinks. `inside_flink`: the component is part
 * of total Flink memory (so a flink.size-only config grows that instead). */
typedef struct change {
	const char *keys[3];
	int64_t to[3];
	size_t n;
	int64_t delta;
	bool inside_flink;
	bool jm;
	const char *goal; /* the component (fm_goal name) keys[0] sizes; NULL: none */
} change;

static int run(const fm_conf *base, const fm_profile *p, const change *ch, bool grow, int64_t process_before,
	       fm_plan *out)
{
	const char *keys[4];
	char vals[4][32];
	const char *vp[4];
	size_t n = 0, total_at = SIZE_MAX; /* the total this run adds, if any */
	for (size_t i = 0; i < ch->n; i++) {
		keys[n] = ch->keys[i];
		fm_size_text(vals[n], sizeof vals[n], fm_size_add_sat(ch->to[i], MIB / 2) / MIB * MIB); /* nearest whole MiB */
		vp[n] = vals[n];
		n++;
	}
	if (grow && ch->delta > 0) {
		const char *pk = ch->jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
		const char *fk = ch->jm ? "jobmanager.memory.flink.size" : "taskmanager.memory.flink.size";
		if (fm_conf_has(base, pk)) {
			keys[n] = pk;
			fm_size_text(vals[n], sizeof vals[n], round_up(fm_size_add_sat(process_before, ch->delta), MIB));
			vp[n] = vals[n];
			n++;
		} else if (!fm_conf_has(base, fk) && process_before > 0) {
			/* a layout recovered from the process (-D sizes, a
			 * WorkerResourceSpec, -Xmx) sets no total: the fix names the
			 * total its parts now make, or a config that sets the process
			 * size (the usual one) would take the growth from the other
			 * parts. A whole MiB when the overhead takes up the rounding,
			 * else (parts pinned to the byte) the exact bytes. */
			total_at = n;
			keys[n] = pk;
			fm_size_text(vals[n], sizeof vals[n], round_up(fm_size_add_sat(process_before, ch->delta), MIB));
			vp[n] = vals[n];
			n++;
		}
		/* a set Flink size must grow too when the component lives inside it */
		if (fm_conf_has(base, fk) && ch->inside_flink) {
			fm_tm_result t;
			fm_jm_result j;
			if (fm_derive_tm(base, p, NULL, &t) != FM_OK)
				return FM_ENOMEM;
			if (fm_derive_jm(base, p, NULL, &j) != FM_OK) {
				fm_tm_result_release(&t);
				return FM_ENOMEM;
			}
			int64_t flink = ch->jm ? (j.outcome == FM_DERIVED ? j.l.total_flink : 0)
					       : (t.outcome == FM_DERIVED ? t.l.total_flink : 0);
			fm_tm_result_release(&t);
			fm_jm_result_release(&j);
			if (flink > 0) {
				keys[n] = fk;
				fm_size_text(vals[n], sizeof vals[n], round_up(fm_size_add_sat(flink, ch->delta), MIB));
				vp[n] = vals[n];
				n++;
			}
		}
	}
	fm_derive_env env = {NULL, NULL};
	int rc = fm_plan_whatif(base, p, &env, keys, vp, n, out);
	if (rc || total_at == SIZE_MAX || (ch->jm ? out->after_jm.outcome : out->after_tm.outcome) != FM_FLINK_ERROR)
		return rc;
	fm_plan_release(out);
	fm_size_text(vals[total_at], sizeof vals[total_at], fm_size_add_sat(process_before, ch->delta));
	return fm_plan_whatif(base, p, &env, keys, vp, n, out);
}

static bool has_process_key(const fm_conf *c, bool jm)
{
	return fm_conf_has(c, jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size");
}

/* A configuration (a file, -D, a log's) sets key: not the shipped default
 * standing in for a layout the inputs do not show. */
static bool user_set(const fm_conf *c, const char *key)
{
	const fm_entry *e = c ? fm_conf_find(c, key) : NULL;
	return e && e->at.src != FM_SRC_BUILTIN;
}

/* Bytes the other components lost in a plan (fractions of a grown process
 * size can still take from them: overhead is a share of the process). */
static int64_t shrinkage(const fm_plan *pl, bool jm)
{
	int64_t s = 0;
	if (jm) {
		if (pl->before_jm.outcome != FM_DERIVED || pl->after_jm.outcome != FM_DERIVED)
			return 0;
		const fm_jm_layout *a = &pl->before_jm.l, *b = &pl->after_jm.l;
		int64_t d[] = {a->jvm_heap - b->jvm_heap, a->off_heap - b->off_heap, a->metaspace - b->metaspace,
			       a->overhead - b->overhead};
		for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
			s += d[i] > 0 ? d[i] : 0;
		return s;
	}
	if (pl->before_tm.outcome != FM_DERIVED || pl->after_tm.outcome != FM_DERIVED)
		return 0;
	const fm_tm_layout *a = &pl->before_tm.l, *b = &pl->after_tm.l;
	int64_t d[] = {a->framework_heap - b->framework_heap, a->task_heap - b->task_heap,
		       a->framework_off_heap - b->framework_off_heap, a->task_off_heap - b->task_off_heap,
		       a->network - b->network, a->managed - b->managed, a->metaspace - b->metaspace,
		       a->overhead - b->overhead};
	for (size_t i = 0; i < sizeof d / sizeof d[0]; i++)
		s += d[i] > 0 ? d[i] : 0;
	return s;
}

/* Every part of a layout that is sized for the job (not metaspace or
 * overhead, which follow the process size): the "nothing else shrinks"
 * test of a grown total. */
static bool none_shrank(const fm_plan *pl, bool jm, const char *goal)
{
	if (jm) {
		if (pl->after_jm.outcome != FM_DERIVED)
			return false;
		return pl->before_jm.outcome != FM_DERIVED || !strcmp(goal, "jm-off-heap") ||
		       pl->after_jm.l.off_heap >= pl->before_jm.l.off_heap;
	}
	if (pl->after_tm.outcome != FM_DERIVED)
		return false;
	if (pl->before_tm.outcome != FM_DERIVED)
		return true;
	const fm_tm_layout *a = &pl->before_tm.l, *b = &pl->after_tm.l;
	return (b->task_heap >= a->task_heap || !strcmp(goal, "task-heap")) &&
	       (b->managed >= a->managed || !strcmp(goal, "managed")) &&
	       (b->network >= a->network || !strcmp(goal, "network"));
}

/* The component keys are set, but the total the config fixes leaves them
 * no room (fractions of the grown total take their share first, and Flink
 * rejects the rest): the total grows to the smallest whole MiB (gallop,
 * then bisect) at which Flink accepts the layout and no other part
 * shrinks. The plan names the component keys and the total. */
static int grow_to_fit(fm_remedy *r, const fm_conf *base, const fm_profile *p, const change *ch, int64_t process)
{
	change c = *ch;
	int64_t lo = ch->delta > 0 ? ch->delta : 0, hi = -1;
	fm_plan best = {0};
	bool have = false;
	for (int i = 0; i < 40 && (hi < 0 || hi - lo > MIB); i++) {
		/* 4 TiB more and still rejected: no total helps (checked before
		 * doubling: a delta read from input can be near INT64_MAX) */
		if (hi < 0 && lo > INT64_C(1) << 41)
			break;
		int64_t d = hi < 0 ? (lo > 0 ? lo * 2 : 64 * MIB) : lo + (hi - lo) / 2;
		if (hi < 0 && d > INT64_C(1) << 42)
			break;
		c.delta = d;
		fm_plan t;
		if (run(base, p, &c, true, process, &t)) {
			if (have)
				fm_plan_release(&best);
			return FM_ENOMEM;
		}
		if (none_shrank(&t, c.jm, c.goal)) {
			if (have)
				fm_plan_release(&best);
			best = t;
			have = true;
			hi = d;
		} else {
			fm_plan_release(&t);
			lo = d;
		}
	}
	if (have) {
		fm_plan_release(&r->fix);
		r->fix = best;
	}
	return FM_OK;
}

/* Runs the grow plan (growing the process until nothing else shrinks) and,
 * when the base pins the process size, the pinned one. */
static int plan_change(fm_remedy *r, const fm_conf *base, const fm_profile *p, const change *ch_in, int64_t process)
{
	change ch = *ch_in;
	const change *chp = &ch;
	r->jm = ch.jm;
	if (run(base, p, chp, true, process, &r->fix))
		return FM_ENOMEM;
	r->has_fix = true;
	/* secant steps on "bytes lost" as a function of the process growth */
	int64_t prev_delta = -1, prev_lost = 0;
	for (int i = 0; i < 8 && ch.delta > 0; i++) {
		int64_t lost = shrinkage(&r->fix, ch.jm);
		if (lost <= 0)
			break;
		int64_t step = lost;
		if (prev_delta >= 0 && prev_lost > lost && ch.delta > prev_delta) {
			/* share of each extra byte that reaches the shrinking parts */
			double f = (double)(prev_lost - lost) / (double)(ch.delta - prev_delta);
			if (f > 0.05 && f <= 1.0)
				step = (int64_t)((double)lost / f);
		}
		prev_delta = ch.delta;
		prev_lost = lost;
		fm_plan next;
		ch.delta += round_up(step, MIB);
		if (run(base, p, chp, true, process, &next))
			return FM_ENOMEM;
		fm_plan_release(&r->fix);
		r->fix = next;
	}
	if ((ch.jm ? r->fix.after_jm.outcome : r->fix.after_tm.outcome) == FM_FLINK_ERROR && ch.goal && ch.n) {
		int rc = grow_to_fit(r, base, p, ch_in, process);
		if (rc)
			return rc;
		/* parts fixed to the byte (a -D layout) leave no whole-MiB total:
		 * goal-seek on the component alone finds the exact size */
		if ((ch.jm ? r->fix.after_jm.outcome : r->fix.after_tm.outcome) == FM_FLINK_ERROR) {
			fm_goal g = {ch.goal, FM_GOAL_GE, round_up(ch_in->to[0], MIB)};
			fm_derive_env env = {NULL, NULL};
			fm_plan alt;
			if (fm_plan_goals(base, p, &env, &g, 1, 0, &alt))
				return FM_ENOMEM;
			if ((ch.jm ? alt.after_jm.outcome : alt.after_tm.outcome) == FM_DERIVED) {
				fm_plan_release(&r->fix);
				r->fix = alt;
			} else {
				fm_plan_release(&alt);
			}
		}
	}
	if (ch_in->delta > 0 && has_process_key(base, ch_in->jm)) {
		if (run(base, p, ch_in, false, process, &r->pinned))
			return FM_ENOMEM;
		r->has_pinned = true;
	}
	return FM_OK;
}

/* What the pinned plan takes away, and the failure that follows from it. */
static int next_failure(fm_remedy *r)
{
	if (!r->has_pinned)
		return FM_OK;
	fm_plan *pl = &r->pinned;
	if (r->jm ? pl->after_jm.outcome == FM_FLINK_ERROR : pl->after_tm.outcome == FM_FLINK_ERROR) {
		const fm_jchain *e = r->jm ? &pl->after_jm.err : &pl->after_tm.err;
		int rc = note(r, "with the process size pinned this change is impossible: Flink rejects it (%s)",
			      e && e->n ? e->v[0].msg : "derivation failed");
		fm_plan_release(&r->pinned);
		r->has_pinned = false;
		return rc;
	}
	if (r->jm && (pl->before_jm.outcome != FM_DERIVED || pl->after_jm.outcome != FM_DERIVED))
		return FM_OK;
	const fm_tm_layout *a = &pl->before_tm.l, *b = &pl->after_tm.l;
	const fm_jm_layout *ja = &pl->before_jm.l, *jb = &pl->after_jm.l;
	typedef struct { const char *name; int64_t d; const char *next; } shrunk;
	const shrunk tc[] = {
		{"task heap", b->task_heap - a->task_heap, "heap (java.lang.OutOfMemoryError: Java heap space)"},
		{"managed memory", b->managed - a->managed, "managed-memory (RocksDB / batch operators run short)"},
		{"network memory", b->network - a->network, "network-buffers (Insufficient number of network buffers)"},
		{"JVM overhead", b->overhead - a->overhead, "a container kill (native memory outgrows the overhead)"},
		{"task off-heap", b->task_off_heap - a->task_off_heap, "direct (Direct buffer memory)"},
	}, jc[] = {
		{"the JobManager's heap", jb->jvm_heap - ja->jvm_heap, "heap (java.lang.OutOfMemoryError: Java heap space)"},
		{"the JobManager's off-heap", jb->off_heap - ja->off_heap, "direct (Direct buffer memory)"},
		{"the JobManager's JVM overhead", jb->overhead - ja->overhead,
		 "a container kill (native memory outgrows the overhead)"},
	};
	size_t nc = r->jm ? sizeof jc / sizeof jc[0] : sizeof tc / sizeof tc[0];
	const shrunk *c = r->jm ? jc : tc;
	int64_t total = r->jm ? ja->total_process : a->total_process;
	size_t worst = SIZE_MAX;
	for (size_t i = 0; i < nc; i++)
		if (c[i].d < 0 && (worst == SIZE_MAX || c[i].d < c[worst].d))
			worst = i;
	if (worst == SIZE_MAX)
		return FM_OK;
	char h[FM_SIZE_HUMAN_MAX], ph[FM_SIZE_HUMAN_MAX];
	human(h, -c[worst].d);
	human(ph, total); /* text: Flink's units (docs/output-formats.md) */
	return note(r, "if the process size must stay %s, %s shrinks by %s instead: the failure most likely to "
		    "come next is %s",
		    ph, c[worst].name, h, c[worst].next);
}


/* The kernel's OOM victim is a Python interpreter (comm "python",
 * "python3", "python3.11"; PyFlink's workers run in the TaskManager's
 * container), not the JVM. */
static bool python_victim(const fm_incident *inc)
{
	return !strncmp(inc->victim, "python", 6) || !strncmp(inc->victim, "pypy", 4);
}

/* What a kill or native failure is, in words: a kubelet eviction (the node
 * ran low; the pod is stopped and marked Evicted, no OOMKilled) is not a
 * cgroup OOM kill (the kernel kills the container at its own limit). */
static const char *kill_what(const fm_incident *inc, bool k8s)
{
	if (inc->failure == FM_F_NATIVE_THREAD)
		return "the JVM could not start a thread (threads, pids limit or native memory for stacks)";
	if (inc->failure == FM_F_NATIVE_MEMORY)
		return "the JVM's own native allocation (malloc/mmap) failed: the process is out of native memory "
		       "or address space";
	if (inc->evicted)
		return "the kubelet evicted the pod because the node ran low on memory (an eviction: the pod was stopped "
		       "and marked Evicted, not OOM-killed at its own limit); it used more than it requested, which made "
		       "it the victim";
	if (inc->node_level && inc->failure == FM_F_YARN)
		return "YARN's elastic memory control killed the container because the node's containers together filled "
		       "the memory the NodeManager offers (a node-level pick, not the container's own limit): the node is "
		       "over-committed, or another container grew";
	if (inc->node_level)
		return "the kernel OOM killer acted because the whole node ran out of memory (a system OOM, not the "
		       "container's own limit)";
	if (inc->failure == FM_F_ROCKSDB && inc->sig && (inc->sig->failure == FM_F_K8S || inc->sig->failure == FM_F_YARN))
		return "the container was killed at its memory limit while RocksDB ran outside Flink's memory budget "
		       "(managed memory off): its native memory had no bound";
	if (inc->failure == FM_F_ROCKSDB)
		return "RocksDB's native allocation failed";
	if (inc->failure == FM_F_K8S && python_victim(inc))
		return "the kernel OOM killer killed a Python worker in the container at the container's cgroup memory "
		       "limit: the container's resident memory (the JVM's and the workers') outgrew the limit";
	if (inc->failure == FM_F_K8S && !k8s && inc->sig && !strncmp(inc->sig->id, "KERNEL_", 7))
		return "the kernel OOM killer killed the process at its memory cgroup's limit (a container's, or a "
		       "systemd service's MemoryMax): its resident memory outgrew the limit";
	if (inc->failure == FM_F_K8S)
		return "the kernel OOM killer killed the container at its cgroup memory limit (OOMKilled, exit 137): "
		       "its resident memory outgrew the limit";
	return "the container was killed for exceeding its memory limit";
}

/* Kubernetes is in the picture: the input is a pod's, or the kubelet
 * reported the node's OOM. */
static bool on_k8s(const fm_incident *inc, const fm_analysis *a)
{
	if ((inc->input < a->ninputs && a->inputs[inc->input].platform == FM_PLAT_K8S) ||
	    (inc->sig && !strcmp(inc->sig->id, "NODE_SYSTEM_OOM")))
		return true;
	/* Kubernetes' own words (a pod's OOMKilled status, Flink's relay of a
	 * pod's end, the kubelet's events) or a kernel report of a pod's cgroup */
	for (size_t k = 0; k < inc->nev; k++) {
		const fm_evidence *e = &inc->ev[k];
		if ((e->sig && (!strncmp(e->sig, "K8S_", 4) || !strncmp(e->sig, "FLINK_POD_", 10) ||
				!strncmp(e->sig, "NODE_", 5))) ||
		    (e->text && strstr(e->text, "kubepods")))
			return true;
	}
	return false;
}

static const char per_machine[] = "taskmanager.memory.process.size: no larger than (the machine's memory - its OS, "
				  "daemons and JobManager) / the TaskManagers it runs (%s)";

/* A system OOM (the machine ran out, no cgroup limit involved) of a
 * TaskManager that stayed within its process size: the machine holds more
 * than it has, and a larger TaskManager would make that worse. Returns 1
 * when this is the whole remedy, 0 when the TaskManager itself outgrew its
 * size (the kill fix below applies), or an error. */
/* Who killed for a machine out of memory: the kernel, or a userspace
 * killer that acts before it (systemd-oomd, earlyoom). */
static const char *node_killer(const fm_incident *inc)
{
	for (size_t k = 0; k < inc->nev; k++) {
		if (inc->ev[k].sig && !strcmp(inc->ev[k].sig, "SYSTEMD_OOMD_KILL"))
			return "systemd-oomd";
		if (inc->ev[k].sig && !strcmp(inc->ev[k].sig, "EARLYOOM_KILL"))
			return "earlyoom";
		if (inc->ev[k].sig && !strcmp(inc->ev[k].sig, "YARN_ELASTIC_OOM"))
			return "YARN's elastic memory control";
	}
	return "the kernel OOM killer";
}

static int system_oom(fm_remedy *r, const fm_incident *inc, const fm_analysis *a, const fm_conf *base,
		      const fm_tm_layout *l)
{
	const char *killer = node_killer(inc);
	char h1[FM_SIZE_HUMAN_MAX], h2[FM_SIZE_HUMAN_MAX];
	/* a Python worker's resident size is not the TaskManager JVM's */
	bool py = python_victim(inc);
	int64_t rss = py ? 0 : inc->victim_rss;
	human(h1, rss);
	human(h2, l->total_process);
	/* the shipped default stands in for a layout the inputs do not show:
	 * the resident size says nothing against it */
	const fm_entry *ps = base ? fm_conf_find(base, "taskmanager.memory.process.size") : NULL;
	bool assumed = !ps || ps->at.src == FM_SRC_BUILTIN;
	if (rss && assumed) {
		int rc = explain(r, "%s acted because the whole machine ran out of memory (a system OOM, "
				 "not a container limit); the TaskManager held %s resident. Its configuration is not in the "
				 "inputs: above its taskmanager.memory.process.size, native memory outgrew Flink's budget "
				 "(RocksDB, glibc arenas, threads); within it, the machine is over-committed and a larger "
				 "TaskManager would make that worse", killer, h1);
		if (!rc)
			rc = extra(r, "taskmanager.memory.jvm-overhead.max: larger by what it held above its process size, "
				   "the same for .min, the process size kept (when it held more than that size)");
		if (!rc)
			rc = extra(r, per_machine, "when it stayed within it");
		if (!rc)
			rc = note(r, "pass -c with the TaskManager's config (or its log's \"Final TaskExecutor Memory "
				  "configuration\") for a fix with numbers");
		return rc ? rc : 1;
	}
	if (rss > fm_size_add_sat(l->total_process, l->total_process / 20)) {
		int rc = explain(r, "%s acted because the whole machine ran out of memory (a system OOM, "
				 "not a container limit), and the TaskManager held %s resident, above its process size %s: "
				 "native memory outside Flink's budget (RocksDB beyond its managed share, glibc arenas, "
				 "threads, JNI) made it the largest process", killer, h1, h2);
		return rc ? rc : note(r, "the machine had no room to spare: the variant with the process size pinned "
				      "keeps the machine's total where it was");
	}
	int rc = explain(r, "%s acted because the whole machine ran out of memory (a system OOM, not "
			 "a container limit)%s%s%s. The machine is over-committed: the processes placed on it need more "
			 "than it has, and a larger TaskManager would make that worse",
			 killer, rss ? "; the TaskManager held " : "", rss ? h1 : "",
			 rss ? ", within its process size, so it was the largest victim, not the excess" : "");
	char now[FM_SIZE_HUMAN_MAX + 8];
	snprintf(now, sizeof now, "now %s", h2);
	if (!rc && py)
		rc = note(r, "the victim was %s, a Python worker of the TaskManager (PyFlink's UDF runner), not its JVM",
			  inc->victim);
	if (!rc)
		rc = extra(r, per_machine, now);
	if (!rc && on_k8s(inc, a))
		rc = extra(r, "kubernetes.taskmanager.memory.limit-factor: 1.0 (limits equal to requests: the scheduler "
			   "then never places more than the node holds)");
	if (!rc)
		rc = note(r, "a YARN NodeManager must offer no more than the machine has "
			  "(yarn.nodemanager.resource.memory-mb below its RAM minus the OS and daemons)");
	return rc ? rc : 1;
}

/* An eviction printed what the pod used against its request: a process
 * smaller than that use is evicted first again, so the overhead grows at
 * least by the difference (target is the overhead the fix sets). */
static int64_t evicted_use(fm_remedy *r, const fm_incident *inc, int64_t total, int64_t overhead, int64_t target,
			   int *rc)
{
	if (!inc->evicted || inc->evict_usage <= total || *rc)
		return target;
	char hu[FM_SIZE_HUMAN_MAX], hr[FM_SIZE_HUMAN_MAX];
	human(hu, inc->evict_usage);
	human(hr, inc->evict_request);
	*rc = note(r, "the eviction says the pod used %s against a request of %s: the process size grows to cover that "
		   "use, and the pod's request (Flink requests the process size) with it",
		   hu, hr);
	return max64(target, round_up(fm_size_add_sat(overhead, inc->evict_usage - total), STEP));
}

/* YARN's virtual-memory check kills JVMs that reserve more address space
 * than they use: the NodeManager's setting, not a Flink budget. */
static int yarn_vmem_policy(fm_remedy *r)
{
	int rc = extra(r, "yarn.nodemanager.vmem-check-enabled: false (yarn-site.xml)");
	return rc ? rc : extra(r, "yarn.nodemanager.vmem-pmem-ratio: 5 (yarn-site.xml, if the check must stay)");
}

/* An operator's share of the slot's managed memory was 0. From 1.12.0 the
 * MemoryManager says so in its own words ("should not be 0"); 1.10/1.11 and
 * the 1.12 release candidates print the range check with the value, "must
 * within (0, 1], was: 0.0", as the Python runner does for its own share.
 * Where consumer weights exist (1.12+), a share of 0 can only come from a
 * consumer kind weighted 0. */
static bool zero_share(const fm_incident *inc, const fm_profile *p)
{
	if (!inc->sig)
		return false;
	if (!strcmp(inc->sig->id, "MANAGED_ZERO_FRACTION"))
		return true;
	/* the Python runner's own check of its share (1.12+) reads the same */
	bool python = !strcmp(inc->sig->id, "PYTHON_MANAGED_FRACTION");
	if (!python && (strcmp(inc->sig->id, "MANAGED_FRACTION_RANGE") || (p && !p->jm_dynamic)))
		return false;
	for (size_t i = 0; i < inc->nev; i++) {
		const char *w = inc->ev[i].text ? strstr(inc->ev[i].text, "was: ") : NULL;
		if (!w)
			continue;
		const char *n = w + 5, *e = n;
		while (*e == '0' || *e == '.')
			e++;
		if (e > n && *n == '0' && !isdigit((unsigned char)*e))
			return true;
	}
	return false;
}

/* A JVM size flag (prefix "-Xmx", "-XX:MaxDirectMemorySize=") that the
 * config's JVM options give a TaskManager: the TaskManager's own key comes
 * after env.java.opts.all (or its old name env.java.opts) on the command
 * line, and the last flag wins. -1 when none; *where names the key. */
static int64_t conf_flag(const fm_conf *c, const char *flag, const char **where)
{
	static const char *const keys[] = {"env.java.opts", "env.java.opts.all", "env.java.opts.taskmanager"};
	int64_t v = -1;
	size_t fl = strlen(flag);
	if (where)
		*where = NULL;
	for (size_t i = 0; i < 3 && c; i++) {
		const fm_entry *e = fm_conf_find(c, keys[i]);
		for (const char *q = e ? e->text : NULL; q && *q;) {
			q += strspn(q, " \t\"");
			size_t n = strcspn(q, " \t\"");
			if (n > fl && !strncmp(q, flag, fl)) {
				int64_t b = fm_jvm_size(q + fl, n - fl);
				if (b > 0) {
					v = b;
					if (where)
						*where = keys[i];
				}
			}
			q += n;
		}
	}
	return v;
}

static int64_t conf_xmx(const fm_conf *c)
{
	return conf_flag(c, "-Xmx", NULL);
}

/* Where to remove a JVM flag that overrides Flink's: the key the config
 * sets it in, else every place the start scripts read. */
static const char *flag_home(const fm_conf *c, const char *flag)
{
	const char *k;
	return conf_flag(c, flag, &k) >= 0 && k ? k : "env.java.opts.taskmanager";
}

static const char direct_leak[] = "if direct memory keeps growing after this, look for a direct-memory leak (unreleased "
				  "ByteBuffers/Netty buffers in a connector)";

/* The JVM's message names a direct limit other than the layout's: the sizes
 * alone, from that limit (the other parts of direct memory taken as the
 * layout has them), never a layout that could hold less than the process had. */
static int direct_other_limit(fm_remedy *r, const char *key, int64_t cur, int64_t lim, int64_t layout_direct,
			      int64_t delta)
{
	char h1[FM_SIZE_HUMAN_MAX], h2[FM_SIZE_HUMAN_MAX], h3[FM_SIZE_HUMAN_MAX], v[32];
	/* (lim comes from input: saturate; both terms are sizes, >= 0) */
	int64_t implied = lim >= layout_direct ? fm_size_add_sat(cur, lim - layout_direct) : cur - (layout_direct - lim);
	if (implied < 0)
		implied = 0;
	human(h1, lim);
	human(h2, layout_direct);
	human(h3, implied);
	int rc = explain(r, "direct memory ran out at the process's limit (-XX:MaxDirectMemorySize) of %s; the layout used "
			 "here has %s, so the process ran another configuration. With the other direct parts as here, its "
			 "limit left about %s for %s", h1, h2, h3, key);
	fm_size_text(v, sizeof v, round_up(fm_size_add_sat(implied, delta), MIB));
	human(h1, delta);
	if (!rc)
		rc = extra(r, "%s: %s (%s more than the process's limit left it)", key, v, h1);
	if (!rc)
		rc = note(r, "grow taskmanager.memory.process.size (or .flink.size) by %s as well, so nothing else shrinks; "
			  "pass the config the process ran with (-c) or its log for exact numbers", h1);
	return rc ? rc : note(r, "%s", direct_leak);
}

/* A network size in the keys of releases before 1.10 (their configuration
 * docs; numberOfBuffers is 1.4 and older). */
static int legacy_network(fm_remedy *r, int64_t net)
{
	char v[32];
	fm_size_text(v, sizeof v, round_up(net, MIB));
	int rc = extra(r, "taskmanager.network.memory.min: %s (releases before 1.10: the network buffer pool's bounds)", v);
	if (!rc)
		rc = extra(r, "taskmanager.network.memory.max: %s (releases before 1.10)", v);
	return rc ? rc : extra(r, "taskmanager.network.numberOfBuffers: %lld (1.4 and older: buffers of 32 KiB)",
			       (long long)(net / 32768));
}

/* A network size given alone, with no layout to change: both bounds, and the
 * older keys when the input shows a release before 1.10 (legacy_advice has
 * no fix layout to take the size from). */
/* min_only: the minimum alone (the layout here holds more than size, and
 * its own max with it: a max of size would shrink it). */
static int network_sizes(fm_remedy *r, const fm_analysis *a, int64_t size, const char *min_why, const char *max_why,
			 bool min_only)
{
	char v[32];
	fm_size_text(v, sizeof v, size);
	int rc = extra(r, "taskmanager.memory.network.min: %s (%s)", v, min_why);
	if (!rc && !min_only)
		rc = max_why ? extra(r, "taskmanager.memory.network.max: %s (%s)", v, max_why)
			     : extra(r, "taskmanager.memory.network.max: %s", v);
	return rc || !a->legacy_keys ? rc : legacy_network(r, size);
}

/* Digits at *p into *v (at most 15 of them, so no overflow); false when
 * there are none. */
static bool read_count(const char **p, int64_t *v)
{
	const char *q = *p;
	int64_t n = 0;
	int d = 0;
	for (; *q >= '0' && *q <= '9' && d < 15; q++, d++)
		n = n * 10 + (*q - '0');
	if (!d)
		return false;
	*p = q;
	*v = n;
	return true;
}

/* Both counts of NetworkBufferPool's message, "(required (MB): R,
 * allocated (MB): A" ("Mb" before 1.10), from the first evidence line that
 * holds them whole, with A below R. */
static bool pool_counts_in_evidence(const fm_incident *inc, int64_t *req_mb, int64_t *got_mb)
{
	for (size_t k = 0; k < inc->nev; k++) {
		const char *t = inc->ev[k].text;
		const char *q = t ? strstr(t, "(required (M") : NULL;
		if (!q || (strncmp(q + 12, "B): ", 4) && strncmp(q + 12, "b): ", 4)))
			continue;
		q += 16;
		if (!read_count(&q, req_mb) || strncmp(q, ", allocated (M", 14) || (strncmp(q + 14, "B): ", 4) &&
										  strncmp(q + 14, "b): ", 4)))
			continue;
		q += 18;
		if (read_count(&q, got_mb) && *got_mb < *req_mb)
			return true;
	}
	return false;
}

/* "Could not allocate enough memory segments for NetworkBufferPool
 * (required (MB): R, allocated (MB): A, ...)": the pool is direct memory and
 * the JVM's limit stopped it at A. A TaskManager Flink starts gets a limit
 * that holds its network, so the limit came from elsewhere: a JVM option,
 * or a JVM Flink did not start (MiniCluster in an IDE, tests, Beam's local
 * FlinkRunner), whose default limit is its -Xmx. More network cannot help:
 * a network that fits, or a larger limit. */
static int network_over_direct(fm_remedy *r, const fm_analysis *a, const fm_recovered *rec, int64_t req_mb,
			       int64_t got_mb)
{
	char h1[FM_SIZE_HUMAN_MAX], h2[FM_SIZE_HUMAN_MAX];
	int64_t req = fm_size_mul_sat(req_mb, MIB), got = fm_size_mul_sat(got_mb, MIB);
	human(h1, req);
	human(h2, got);
	int rc;
	if (got_mb < 0) {
		/* the message is cut before "allocated (MB)": the limit is not
		 * known, so no pool that fits it can be sized, and a larger pool
		 * only asks for more of what ran out */
		rc = explain(r, "the network buffer pool (%s) is direct memory, and the JVM's direct limit stopped it "
			     "(the message is cut before the size it got). A TaskManager that Flink (1.10+) starts gets a "
			     "limit that holds its network, so this JVM's limit came from elsewhere: -XX:MaxDirectMemorySize "
			     "in its options, or a JVM Flink did not start (a local or embedded cluster: IDE, tests, Beam's "
			     "FlinkRunner), whose default limit is its -Xmx", h1);
		human(h2, fm_size_add_sat(req, 256 * MIB));
		if (!rc && rec && rec->tm_direct_override >= 0)
			rc = extra(r, "env.java.opts.taskmanager: remove -XX:MaxDirectMemorySize (Flink sets it)");
		return rc ? rc : note(r, "give that JVM a direct limit of at least %s (-XX:MaxDirectMemorySize: the pool and "
				      "room for the off-heap parts), or a smaller pool (taskmanager.memory.network.min/max) "
				      "below its limit; the full message's \"allocated (MB)\" says how much it allows", h2);
	}
	if (rec && rec->tm_direct_override >= 0) {
		rc = explain(r, "the network buffer pool (%s) is direct memory, and the JVM stopped it at %s: a JVM option "
			     "sets -XX:MaxDirectMemorySize below what Flink computed", h1, h2);
		return rc ? rc : extra(r, "env.java.opts.taskmanager: remove -XX:MaxDirectMemorySize (Flink sets it)");
	}
	rc = explain(r, "the network buffer pool (%s) is direct memory, and the JVM's direct limit stopped it at %s. A "
		     "TaskManager that Flink (1.10+) starts gets a limit that holds its network, so this JVM's limit came from "
		     "elsewhere: -XX:MaxDirectMemorySize in its options, or a JVM Flink did not start (a local or "
		     "embedded cluster: IDE, tests, Beam's FlinkRunner), whose default limit is its -Xmx", h1, h2);
	/* three quarters of what the JVM gave: the rest for Netty and user code */
	int64_t fit = max64(got / 4 * 3 / MIB * MIB, MIB);
	if (!rc)
		rc = network_sizes(r, a, fit, "a network pool that fits the direct memory this JVM allows", NULL, false);
	human(h2, fm_size_add_sat(req, 256 * MIB));
	return rc ? rc : note(r, "or give that JVM a larger direct limit (-XX:MaxDirectMemorySize of at least %s: the "
			      "pool and room for the off-heap parts) where its options are set", h2);
}

/* The demand side of a network shortage. The per-gate read-buffer cap is a
 * 1.17 key (FLINK-30473): older releases get no key they would not know. */
static int net_demand(fm_remedy *r, const fm_profile *p)
{
	return note(r, "or reduce the demand: fewer slots per TaskManager, lower parallelism of all-to-all exchanges%s",
		    p && p->order >= 1180 ? ", or (batch) a smaller "
					    "taskmanager.network.memory.read-buffer.required-per-gate.max"
					  : "");
}

/* The JVM flag that sizes what ran out in a JVM Flink does not size (heap:
 * the given -Xmx): HotSpot's metaspace has no limit unless a flag sets one;
 * its direct limit defaults to the heap's size. */
static const char *jvm_flag(fm_failure f, const char *heap)
{
	switch (f) {
	case FM_F_METASPACE:
		return "-XX:MaxMetaspaceSize=512m (the JVM limits metaspace only when a flag does: raise it where it is set)";
	case FM_F_DIRECT:
		return "-XX:MaxDirectMemorySize=1g (without it the direct limit is the heap's size)";
	default:
		return heap;
	}
}

/* A local MiniCluster runs its TaskManager in the JVM the user started (an
 * IDE run, a test, a local environment): adjustForLocalExecution sets the
 * task heap and off-heap to their maximum, so the heap, direct and
 * metaspace limits are that JVM's flags, not taskmanager.memory.* keys.
 * 1 when this is the whole remedy. */
static int local_jvm(fm_remedy *r, const fm_incident *inc, const fm_analysis *a)
{
	if (!a->local_cluster || (inc->failure != FM_F_HEAP && inc->failure != FM_F_GC_OVERHEAD &&
				  inc->failure != FM_F_DIRECT && inc->failure != FM_F_METASPACE))
		return 0;
	const char *flag = jvm_flag(inc->failure, "-Xmx4g (the JVM's heap)");
	int rc = explain(r, "the job ran in a local MiniCluster (an IDE run, a test or a local environment): its "
			 "TaskManager shares the JVM the program started, whose own flags limit the heap, direct memory "
			 "and metaspace; taskmanager.memory.* keys do not size that JVM");
	if (!rc)
		rc = extra(r, "the program's JVM options: %s (IDE: the run configuration's VM options; Maven tests: the "
			   "surefire argLine; Gradle: jvmArgs)", flag);
	if (!rc)
		rc = note(r, "on a cluster the same job's heap is taskmanager.memory.task.heap.size per TaskManager, shared "
			  "by its slots");
	return rc ? rc : 1;
}

/* "OutOfMemoryError: Map failed": FileChannel.map's mmap got ENOMEM. The
 * kernel refused a mapping: its per-process map count (vm.max_map_count)
 * or the address space (ulimit -v) ran out, which no Flink size bounds
 * (mapped files are not in any budget). Flink maps files itself only for
 * the mmap blocking shuffle, taskmanager.network.blocking-shuffle.type
 * mmap or auto (1.10-1.20, FLINK-14952; removed in 2.0, FLINK-33750), whose
 * own description says mmap is not accounted by the memory limits. */
static int map_failed(fm_remedy *r, const fm_conf *base, const fm_profile *p)
{
	const fm_entry *e = base ? fm_conf_find(base, "taskmanager.network.blocking-shuffle.type") : NULL;
	const char *t = e ? e->text : NULL;
	bool mmap = t && (!strcasecmp(t, "mmap") || !strcasecmp(t, "auto"));
	bool has_key = p && p->order >= 1100 && p->order < 2000;
	int rc = explain(r, "mapping a file into memory failed (mmap refused by the kernel): the process ran out of "
			 "memory maps (vm.max_map_count) or address space, which no Flink memory size bounds%s",
			 mmap ? "; the config runs the blocking shuffle on mmap, whose memory no Flink limit accounts" : "");
	if (!rc && mmap && has_key)
		rc = extra(r, "taskmanager.network.blocking-shuffle.type: file (the shuffle reads its files without "
			      "mapping them)");
	if (!rc && !mmap && has_key)
		rc = note(r, "if the job is a batch job with taskmanager.network.blocking-shuffle.type: mmap (or auto), "
			  "set it to file: the mmap shuffle maps every partition file");
	return rc ? rc : note(r, "on the node: raise vm.max_map_count (sysctl; the JVM maps every region of a mapped "
			      "file) and check the process's address-space limit (ulimit -v)");
}

static int remedy_tm(fm_remedy *r, const fm_incident *inc, const fm_analysis *a, const fm_recovered *rec,
		     const fm_conf *base, const fm_profile *p, const fm_tm_layout *l)
{
	char h1[FM_SIZE_HUMAN_MAX], h2[FM_SIZE_HUMAN_MAX], h3[FM_SIZE_HUMAN_MAX], h4[FM_SIZE_HUMAN_MAX];
	change ch = {0};
	int rc = local_jvm(r, inc, a);
	if (rc)
		return rc == 1 ? FM_OK : rc;
	switch (inc->failure) {
	case FM_F_HEAP:
	case FM_F_GC_OVERHEAD: {
		if (inc->array_limit) {
			human(h1, l->task_heap);
			rc = explain(r, "a single array larger than the JVM can address was requested: a record, collection or "
				     "serializer bug in user code. More heap (task heap is %s) does not help.", h1);
			return rc ? rc : note(r, "find the operator building huge arrays (large windows, collect(), big records)");
		}
		int64_t delta = round_up(max64(256 * MIB, l->task_heap / MIB * MIB / 2), STEP);
		/* The heap that failed is the effective one: a later -Xmx in the
		 * JVM options beats Flink's, and the fix must go beyond it. */
		int64_t cx = conf_xmx(base);
		bool overridden = (rec && rec->tm_xmx_override >= 0) || cx >= 0;
		int64_t failed = rec && rec->tm_xmx_override >= 0 ? rec->tm_xmx_override : cx >= 0 ? cx : l->jvm_heap;
		/* the log's own -Xmx above the layout the fix starts from (an
		 * assumed one, or a release before 1.10 whose flags no layout of
		 * these rules gives): the heap that ran out was that large */
		bool logged = !overridden && rec && rec->tm_flink_xmx > l->jvm_heap;
		if (logged)
			failed = rec->tm_flink_xmx;
		if (failed > l->jvm_heap)
			delta = round_up(fm_size_add_sat(delta, failed - l->jvm_heap), STEP);
		human(h1, l->task_heap);
		human(h2, l->framework_heap);
		human(h3, l->managed);
		human(h4, failed);
		rc = explain(r, "%s on a TaskManager: the task heap is %s (framework heap %s) and user code, heap state "
			     "(HashMap backend) or large windows need more.%s%s%s",
			     inc->failure == FM_F_GC_OVERHEAD ? "the garbage collector could not free heap"
							      : "the JVM heap ran out",
			     h1, h2,
			     overridden ? " A JVM flag overrides Flink's -Xmx: the heap that ran out was "
			     : logged   ? " The log's JVM options show a larger heap (-Xmx): the heap that ran out was "
					: "",
			     overridden || logged ? h4 : "",
			     overridden || logged ? ", so the fix gives Flink's own keys a larger heap than that." : "");
		const char *xk = NULL;
		if (cx >= 0)
			conf_flag(base, "-Xmx", &xk);
		if (!rc && overridden && xk)
			rc = extra(r, "%s: remove -Xmx and -Xms (they override the heap Flink computes)", xk);
		else if (!rc && overridden)
			rc = extra(r, "env.java.opts.taskmanager / env.java.opts.all / FLINK_ENV_JAVA_OPTS: remove -Xmx and -Xms "
				   "(they override the heap Flink computes)");
		if (rc)
			return rc;
		ch = (change){{"taskmanager.memory.task.heap.size"}, {fm_size_add_sat(l->task_heap, delta)}, 1, delta, true, false, "task-heap"};
		/* the fix names the task heap key (what ran out) and grows the total
		 * the config sets by the same bytes, so no other part shrinks */
		if ((rc = plan_change(r, base, p, &ch, l->total_process)))
			return rc;
		/* pinned: the heap can only come from managed memory */
		if (r->has_pinned) {
			fm_plan_release(&r->pinned);
			r->has_pinned = false;
		}
		/* nothing shows a managed-memory consumer: not the log, not the
		 * config (RocksDB/ForSt on managed memory, Python, batch mode) */
		if (l->managed > 0 && has_process_key(base, false) && a->rocksdb_managed < 0 &&
		    !(rec && rec->rocksdb_backend) && !fm_health_consumers(base) && failed <= l->jvm_heap) {
			int64_t m = l->managed > delta ? (l->managed - delta) / MIB * MIB : 0;
			change pin = {{"taskmanager.memory.managed.size"}, {m}, 1, 0, true, false, NULL};
			if (run(base, p, &pin, false, l->total_process, &r->pinned))
				return FM_ENOMEM;
			r->has_pinned = true;
			rc = note(r, "no RocksDB seen: if the job keeps state on the heap (HashMap) or is stateless, managed "
				  "memory (%s) is unused and can give the heap its bytes inside the same process size",
				  h3);
		}
		if (!rc)
			rc = note(r, "if the heap fills again after growing, it is a leak: take a heap dump "
				  "(-XX:+HeapDumpOnOutOfMemoryError via env.java.opts.taskmanager)");
		return rc;
	}
	case FM_F_DIRECT: {
		bool nbp = inc->sig && !strcmp(inc->sig->id, "NBP_ALLOC_FAIL");
		if (nbp && rec && rec->tm_direct_override >= 0) {
			human(h1, rec->tm_direct_override);
			human(h2, rec->tm_flink_direct);
			rc = explain(r, "the TaskManager could not allocate its network buffers as direct memory: a JVM option "
				     "sets -XX:MaxDirectMemorySize=%s, below the %s Flink computed", h1, h2);
			return rc ? rc : extra(r, "env.java.opts.taskmanager: remove -XX:MaxDirectMemorySize (Flink sets it)");
		}
		/* the batch shuffle read pool lives in framework off-heap memory
		 * (BatchShuffleReadBufferPool: its message names that key) */
		bool bsd = inc->sig && !strcmp(inc->sig->id, "BATCH_SHUFFLE_DIRECT");
		bool framework = inc->netty_shaded || bsd || (inc->sig && !strcmp(inc->sig->id, "BATCH_SHUFFLE_READ_TIMEOUT"));
		int64_t need = 0;
		if (bsd && inc->nnum >= 2)
			need = inc->num[1]; /* "bytes still needed" */
		if (inc->sig && !strcmp(inc->sig->id, "OOM_DIRECT_JDK17") && inc->nnum >= 1)
			need = inc->num[0];
		if (inc->sig && !strcmp(inc->sig->id, "NETTY_DIRECT_OOM") && inc->nnum >= 1)
			need = inc->num[0];
		int64_t cur = framework ? l->framework_off_heap : l->task_off_heap;
		int64_t delta = round_up(max64(framework ? 128 * MIB : 256 * MIB, need), STEP);
		const char *key = framework ? "taskmanager.memory.framework.off-heap.size" : "taskmanager.memory.task.off-heap.size";
		/* JDK 17+ prints the failing process's limit: a layout with another
		 * limit is not its configuration, and a fix computed on it could
		 * set less than the process had */
		int64_t lim = inc->sig && !strcmp(inc->sig->id, "OOM_DIRECT_JDK17") && inc->nnum >= 3 ? inc->num[2] : -1;
		/* a -XX:MaxDirectMemorySize of the user's (the log's JVM options, or
		 * the config's) comes after Flink's and is the limit that ran out:
		 * the fix is to drop it, and sizes only where Flink's own limit
		 * would not hold the failed allocation either */
		const char *dk = NULL;
		int64_t dov = rec && rec->tm_direct_override >= 0 ? rec->tm_direct_override
								  : conf_flag(base, "-XX:MaxDirectMemorySize=", &dk);
		if (dov >= 0 && rec && rec->tm_direct_override >= 0)
			conf_flag(base, "-XX:MaxDirectMemorySize=", &dk);
		if (dov >= 0 && (lim < 0 || (lim > dov ? lim - dov : dov - lim) < MIB)) {
			human(h1, dov);
			human(h2, l->jvm_direct);
			rc = explain(r, "direct memory ran out at %s: a -XX:MaxDirectMemorySize in the JVM options overrides the "
				     "%s Flink computes for direct memory (framework and task off-heap and network)", h1, h2);
			if (!rc)
				rc = extra(r, "%s: remove -XX:MaxDirectMemorySize (it overrides the limit Flink sets)%s",
					   dk ? dk : "env.java.opts.taskmanager",
					   dk ? "" : "; or from env.java.opts.all, wherever it is set");
			if (rc)
				return rc;
			if (l->jvm_direct >= fm_size_add_sat(dov, max64(need, 64 * MIB)))
				return note(r, "without the flag the limit is Flink's %s, which holds what failed; %s", h2,
					    direct_leak);
			/* a flag above Flink's limit: Flink's keys go beyond the flag */
			if (dov > l->jvm_direct)
				delta = round_up(fm_size_add_sat(delta, dov - l->jvm_direct), STEP);
			ch = (change){{key}, {fm_size_add_sat(cur, delta)}, 1, delta, true, false,
				      framework ? "framework-off-heap" : "task-off-heap"};
			rc = plan_change(r, base, p, &ch, l->total_process);
			return rc ? rc : note(r, "%s", direct_leak);
		}
		if (lim > 0 && (lim > l->jvm_direct ? lim - l->jvm_direct : l->jvm_direct - lim) >= MIB &&
		    !(rec && rec->tm_direct_override == lim))
			return direct_other_limit(r, key, cur, lim, l->jvm_direct, delta);
		human(h1, l->task_off_heap);
		human(h2, l->framework_off_heap);
		human(h3, l->network);
		human(h4, l->jvm_direct);
		rc = explain(r, "direct memory ran out: the limit (-XX:MaxDirectMemorySize) is %s = framework off-heap %s + "
			     "task off-heap %s + network %s; network is allocated at start, so %s and connectors share the "
			     "off-heap parts.%s",
			     h4, h2, h1, h3,
			     bsd ? "the batch shuffle read pool" : framework ? "Flink's own (shaded) Netty" : "user code",
			     !framework && l->task_off_heap == 0 ? " Task off-heap is 0, so any direct buffer of user code "
								   "or a connector overflows it." : "");
		if (rc)
			return rc;
		ch = (change){{key}, {fm_size_add_sat(cur, delta)}, 1, delta, true, false, framework ? "framework-off-heap" : "task-off-heap"};
		if (inc->sig && !strcmp(inc->sig->id, "BATCH_SHUFFLE_READ_TIMEOUT")) {
			int64_t bs = fm_conf_bytes(base, "taskmanager.memory.framework.off-heap.batch-shuffle.size");
			ch.keys[1] = "taskmanager.memory.framework.off-heap.batch-shuffle.size";
			ch.to[1] = fm_size_add_sat(bs > 0 ? bs : 64 * MIB, delta);
			ch.n = 2;
		}
		rc = plan_change(r, base, p, &ch, l->total_process);
		return rc ? rc : note(r, "%s", direct_leak);
	}
	case FM_F_METASPACE: {
		bool leak = a->leak_hints > 0 || a->restarts >= 3 || a->submissions >= 2;
		int64_t target = l->metaspace < 512 * MIB ? 512 * MIB : round_up(fm_size_add_sat(l->metaspace, 256 * MIB), STEP);
		/* The compressed class space is the part of metaspace that holds
		 * class structures; HotSpot keeps it below MaxMetaspaceSize (JDK 8-15:
		 * that size less two boot chunks; 16+: 80% of it) and at most
		 * -XX:CompressedClassSpaceSize, 1 GiB by default. At a metaspace of a
		 * GiB or more that cap is what filled: a larger metaspace adds
		 * nothing (or a few hundred MiB on 16+). */
		if (inc->sig && !strcmp(inc->sig->id, "OOM_COMPRESSED_CLASS") && l->metaspace >= 1024 * MIB) {
			human(h1, l->metaspace);
			rc = explain(r, "the compressed class space is full: it holds class structures inside metaspace (%s) "
				     "and stops at -XX:CompressedClassSpaceSize, 1 GiB by default, so a larger "
				     "taskmanager.memory.jvm-metaspace.size alone does not reach it", h1);
			/* 2 GiB of class space needs a metaspace it fits in at 80% */
			int64_t meta = 2560 * MIB;
			if (!rc)
				rc = extra(r, "env.java.opts.taskmanager: -XX:CompressedClassSpaceSize=2g (the class space stays "
					      "below the metaspace size, so the fix grows that to 2560m too)");
			if (!rc)
				rc = note(r, "a gigabyte of classes is most often a class-loader leak (restarts or "
					  "re-submissions in a session cluster): run in application mode, put JDBC drivers and "
					  "heavy libraries in lib/, stop threads and clear static caches in close()");
			if (rc || l->metaspace >= meta)
				return rc;
			ch = (change){{"taskmanager.memory.jvm-metaspace.size"}, {meta}, 1, meta - l->metaspace, false, false,
				      "metaspace"};
			return plan_change(r, base, p, &ch, l->total_process);
		}
		/* a -XX:MaxMetaspaceSize in the log's JVM options or the config's
		 * own JVM options beats Flink's */
		int64_t mo = rec && rec->tm_meta_override >= 0 ? rec->tm_meta_override
							       : conf_flag(base, "-XX:MaxMetaspaceSize=", NULL);
		human(h1, mo >= 0 ? mo : l->metaspace);
		rc = explain(r, "JVM metaspace (%s%s) is full of loaded classes. %s", h1,
			     mo >= 0 ? ", set by a JVM option that overrides Flink's" : "",
			     leak ? "The log shows restarts/re-submissions or class-loader leak hints: a class-loader leak "
				    "is likely, so more metaspace only delays the failure."
				  : "No restart loop or leak hint in the log: the job's classes need more room.");
		if (rc)
			return rc;
		if (leak)
			rc = note(r, "class-loader leak signs: %zu restart%s, %zu submission%s, %zu leak hint%s; run in "
				  "application mode, put JDBC drivers and heavy libraries in lib/, stop threads and clear "
				  "static caches in close()",
				  a->restarts, a->restarts == 1 ? "" : "s", a->submissions, a->submissions == 1 ? "" : "s",
				  a->leak_hints, a->leak_hints == 1 ? "" : "s");
		if (!rc && mo >= 0)
			rc = extra(r, "%s: remove -XX:MaxMetaspaceSize (it overrides Flink's)%s",
				   flag_home(base, "-XX:MaxMetaspaceSize="),
				   conf_flag(base, "-XX:MaxMetaspaceSize=", NULL) >= 0 ? ""
				   : "; or from env.java.opts.all, wherever it is set");
		ch = (change){{"taskmanager.memory.jvm-metaspace.size"}, {target}, 1, target - l->metaspace, false, false, "metaspace"};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	case FM_F_NETWORK: {
		int64_t seg = rec && rec->segment_size > 0 ? rec->segment_size : 32768;
		int64_t cur = l->network, target;
		if (inc->sig && !strcmp(inc->sig->id, "NBP_ALLOC_FAIL") && inc->nnum >= 2 && inc->num[0] > inc->num[1] &&
		    inc->num[1] >= 0)
			return network_over_direct(r, a, rec, inc->num[0], inc->num[1]);
		if (inc->sig && !strcmp(inc->sig->id, "NBP_ALLOC_FAIL") && inc->nnum == 1 && inc->num[0] > 0) {
			/* the first message is cut: a whole one among the evidence
			 * (the same start retried) gives both counts */
			int64_t req_mb, got_mb;
			if (pool_counts_in_evidence(inc, &req_mb, &got_mb))
				return network_over_direct(r, a, rec, req_mb, got_mb);
			return network_over_direct(r, a, rec, inc->num[0], -1);
		}
		if (inc->sig && !strcmp(inc->sig->id, "NET_INSUFFICIENT") && inc->nnum >= 2) {
			/* numbers read from the log, signed there: counts are >= 0 */
			int64_t req = max64(inc->num[0], 0), avail = max64(inc->num[1], 0);
			int64_t total = inc->nnum >= 4 ? max64(inc->num[2], 0) : cur / seg;
			if (inc->nnum >= 4 && inc->num[3] > 0)
				seg = inc->num[3];
			int64_t pool = fm_size_mul_sat(total, seg);
			int64_t need = round_up(fm_size_mul_sat(fm_size_add_sat(total, req > avail ? req - avail : 0), seg), MIB);
			/* the exact deficit leaves nothing for the subtasks still to
			 * deploy: a tenth more (the failing one's request again when
			 * larger, but never more than a quarter: a large request would
			 * inflate the process for room no message asked for), to the
			 * next 64 MiB step; never less than the layout already has */
			target = round_up(fm_size_add_sat(need, min64(max64(need / 10, fm_size_mul_sat(req, seg)), need / 4)),
					  STEP);
			human(h1, pool);
			human(h2, need);
			rc = explain(r, "a task needed %lld network buffers but only %lld were free: the TaskManager has %lld "
				     "buffers of %lld bytes (%s). %lld more buffers make %s; the fix leaves room above that.",
				     (long long)req, (long long)avail, (long long)total, (long long)seg, h1,
				     (long long)(req - avail), h2);
			/* the pool the log reports is the failing process's: a layout
			 * that differs was not its configuration */
			if (!rc && (pool > cur ? pool - cur : cur - pool) >= MIB) {
				human(h2, cur);
				rc = note(r, "the failing TaskManager had %s of network buffers, the layout used here %s: its "
					  "configuration was not this one; pass the config it ran with (-c) or its log for exact "
					  "numbers", h1, h2);
			}
		} else {
			target = round_up(fm_size_add_sat(cur, max64(cur / 2, 64 * MIB)), MIB);
			human(h1, cur);
			rc = explain(r, "network buffers ran short (network memory %s)%s", h1,
				     a->net_usage_high ? "; the pool also reported high usage" : "");
		}
		if (rc)
			return rc;
		if (target <= cur) {
			/* the layout used here already holds that much (it is not the
			 * failing process's, see the note): a change to it would show
			 * nothing, so the sizes the failing process needs, alone. When
			 * the layout is a configuration's, the minimum alone: its max
			 * holds at least this much, and a max of that size would cut
			 * its network. The shipped default says nothing of the failing
			 * process's max: both, so no max below the minimum is left */
			static const char *const own_keys[] = {
				"taskmanager.memory.process.size", "taskmanager.memory.flink.size",
				"taskmanager.memory.network.fraction", "taskmanager.memory.network.min",
				"taskmanager.memory.network.max"};
			bool own = false;
			for (size_t k = 0; k < sizeof own_keys / sizeof own_keys[0]; k++)
				own |= user_set(base, own_keys[k]);
			char hc[FM_SIZE_HUMAN_MAX], why[96 + FM_SIZE_HUMAN_MAX];
			human(hc, cur);
			snprintf(why, sizeof why, "at least this much network memory; the layout used here has %s", hc);
			rc = network_sizes(r, a, target, own ? why : "at least this much network memory", "not below the minimum",
					   own);
			return rc ? rc : net_demand(r, p);
		}
		/* a larger max the user set stays: the min alone lifts the pool */
		int64_t user_max = -1;
		const fm_entry *mx = base ? fm_conf_find(base, "taskmanager.memory.network.max") : NULL;
		fm_jexc je = {0};
		if (mx && fm_size_parse(mx->text, mx->text_len, &user_max, &je) != 0)
			user_max = -1;
		fm_jexc_release(&je);
		ch = (change){{"taskmanager.memory.network.min", "taskmanager.memory.network.max"},
			      {target, max64(target, user_max)}, user_max > target ? 1 : 2, target - cur, true, false,
			      "network"};
		rc = plan_change(r, base, p, &ch, l->total_process);
		return rc ? rc : net_demand(r, p);
	}
	case FM_F_MANAGED: {
		int64_t need = 0;
		if (inc->sig && !strcmp(inc->sig->id, "MANAGED_RESERVE") && inc->nnum >= 2 && inc->num[1] >= 0 &&
		    inc->num[0] > inc->num[1])
			need = inc->num[0] - inc->num[1];
		else if (inc->sig && !strcmp(inc->sig->id, "ROCKSDB_SHARED_RESERVE") && inc->nnum >= 1)
			need = inc->num[0];
		int64_t slots = 1;
		const fm_entry *se = fm_conf_find(base, "taskmanager.numberOfTaskSlots");
		if (se)
			slots = strtoll(se->text, NULL, 10) > 0 ? strtoll(se->text, NULL, 10) : 1;
		int64_t half = l->managed / MIB * MIB / 2; /* whole MiB: fractions leave odd bytes */
		int64_t delta = round_up(max64(fm_size_mul_sat(need, slots), half > 128 * MIB ? half : 128 * MIB), STEP);
		human(h1, l->managed);
		rc = explain(r, "managed memory (%s for %lld slot%s) is too small for what the operators or RocksDB "
			     "reserve%s",
			     h1, (long long)slots, slots == 1 ? "" : "s",
			     l->managed == 0 ? ": it is 0, so RocksDB/batch operators get nothing" : "");
		if (rc)
			return rc;
		if (zero_share(inc, p)) {
			rc = explain(r, "an operator asked for managed memory, but its consumer type has weight 0 in "
				     "taskmanager.memory.managed.consumer-weights, so its share is 0 whatever the size (%s)", h1);
			/* 1.12 names batch operators and RocksDB together DATAPROC
			 * (OPERATOR and STATE_BACKEND from 1.13) */
			bool dataproc = p && p->jm_dynamic && !p->dyn_slots_ext;
			if (!rc)
				rc = extra(r, "taskmanager.memory.managed.consumer-weights: %s (Flink's default; every consumer "
					   "the job uses needs a weight > 0)",
					   dataproc ? "DATAPROC:70,PYTHON:30" : "OPERATOR:70,STATE_BACKEND:70,PYTHON:30");
			return rc;
		}
		if (fm_conf_has(base, "taskmanager.memory.managed.consumer-weights"))
			rc = note(r, "taskmanager.memory.managed.consumer-weights is set: consumers it leaves out "
				  "(STATE_BACKEND, OPERATOR, PYTHON) get no managed memory");
		ch = (change){{"taskmanager.memory.managed.size"}, {l->managed + delta}, 1, delta, true, false, "managed"};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	case FM_F_ROCKSDB:
	case FM_F_K8S:
	case FM_F_YARN:
	case FM_F_NATIVE_MEMORY:
	case FM_F_NATIVE_THREAD: {
		if (inc->sig && !strcmp(inc->sig->id, "JVM_MAP_FAILED"))
			return map_failed(r, base, p);
		int64_t heap = l->jvm_heap, direct = l->jvm_direct, meta = l->metaspace;
		int64_t headroom = l->total_process - heap - direct - meta;
		human(h1, l->total_process);
		human(h2, headroom);
		human(h3, l->overhead);
		human(h4, l->managed);
		/* (0: the TaskManager outgrew its size, explained: the kill fix) */
		bool outgrew = false;
		if ((inc->failure == FM_F_K8S || inc->failure == FM_F_YARN) && inc->node_level && !inc->evicted) {
			rc = system_oom(r, inc, a, base, l);
			if (rc)
				return rc == 1 ? FM_OK : rc;
			outgrew = true;
		}
		bool k8s = on_k8s(inc, a);
		const char *what = kill_what(inc, k8s);
		/* what the process held when killed (the victim's resident size,
		 * else the memory cgroup's limit the kernel printed), well above
		 * the layout's size: native memory outside every Flink budget */
		int64_t held = inc->failure == FM_F_ROCKSDB || python_victim(inc) ? 0
			       : inc->victim_rss ? inc->victim_rss : inc->container_limit;
		bool beyond = !outgrew && !inc->evicted && !inc->node_level &&
			      held > fm_size_add_sat(l->total_process, l->total_process / 20);
		char hh[FM_SIZE_HUMAN_MAX] = "", hx[FM_SIZE_HUMAN_MAX] = "";
		if (beyond) {
			human(hh, held);
			human(hx, held - l->total_process);
		}
		rc = outgrew ? FM_OK : explain(r, "%s. Native headroom = container %s - heap - direct - metaspace = %s (managed %s + JVM "
			     "overhead %s); RocksDB beyond its managed budget, glibc malloc arenas, thread stacks, JNI "
			     "and Python workers must fit there.%s%s%s%s%s",
			     what, h1, h2, h4, h3, beyond ? " The process held " : "", hh,
			     beyond ? " when killed, " : "", hx,
			     beyond ? " beyond its layout: native memory outside every Flink budget (a leak, or RocksDB/"
				      "glibc arenas unbounded); the overhead below budgets it" : "");
		if (rc)
			return rc;
		/* RocksDB (or its 2.x fork ForSt, with its own keys) unbounded:
		 * managed memory bounds it inside the budget the layout already
		 * reserves. A fixed budget is bounded: the note below. */
		bool forst = a->forst || (rec && rec->forst_backend) || (base && fm_health_forst(base));
		const char *sm = forst ? "state.backend.forst.memory." : "state.backend.rocksdb.memory.";
		char km[64], kfs[64], kft[64];
		snprintf(km, sizeof km, "%smanaged", sm);
		snprintf(kfs, sizeof kfs, "%sfixed-per-slot", sm);
		snprintf(kft, sizeof kft, "%sfixed-per-tm", sm);
		const fm_entry *rm = base ? fm_conf_find(base, km) : NULL;
		bool fixed = base && (fm_conf_has(base, kfs) || fm_conf_has(base, kft));
		if (a->rocksdb_managed == 0)
			rc = extra(r, "%s: true (%s runs outside Flink's budget: managed=false in the log)", km,
				   forst ? "ForSt" : "RocksDB");
		else if (!fixed && ((rm && !strcasecmp(rm->text, "false") && fm_health_state_memory(base)) ||
				    (rec && rec->rocksdb_unmanaged)))
			rc = extra(r, "%s: true (false in the configuration and no fixed budget: %s's write buffers and "
				   "block cache grow outside every Flink budget)", km, forst ? "ForSt" : "RocksDB");
		if (!rc && python_victim(inc))
			rc = p && p->order < 1121
				     ? note(r, "the kernel killed %s, a Python worker of the TaskManager (PyFlink's UDF "
					    "runner), not its JVM: the worker counts against the same limit; this release "
					    "budgets it from task off-heap memory (taskmanager.memory.task.off-heap.size) "
					    "unless python.fn-execution.memory.managed is true", inc->victim)
				     : note(r, "the kernel killed %s, a Python worker of the TaskManager (PyFlink's UDF "
					    "runner), not its JVM: the worker counts against the same limit, and Flink "
					    "budgets it from managed memory (python.fn-execution.memory.managed, true by "
					    "default): a larger PYTHON share (taskmanager.memory.managed.fraction or the "
					    "PYTHON weight of taskmanager.memory.managed.consumer-weights) keeps Flink's own "
					    "use out of the worker's room", inc->victim);
		if (!rc && inc->failure == FM_F_NATIVE_THREAD)
			rc = note(r, "too many threads is the other cause: check slots x connector threads, leaked "
				  "executors and the container's pids limit");
		if (!rc && inc->failure == FM_F_K8S && k8s)
			rc = note(r, "keep kubernetes.taskmanager.memory.limit-factor at 1.0 unless the gap above the "
				  "request is budgeted; with glibc, containerized.taskmanager.env.MALLOC_ARENA_MAX: 1 limits "
				  "allocator arenas (official images preload jemalloc)");
		if (!rc && inc->node_level && (!outgrew || k8s))
			rc = note(r, "node-level: give pods memory requests equal to their limits so the scheduler does not "
				  "over-commit the node");
		int64_t target = round_up(fm_size_add_sat(l->overhead, max64(256 * MIB, l->total_process / 10)), STEP);
		target = evicted_use(r, inc, l->total_process, l->overhead, target, &rc);
		/* a system OOM's victim held this much above its size: the
		 * overhead budgets it (the pinned variant keeps the machine's total) */
		if (outgrew)
			target = max64(target, round_up(fm_size_add_sat(l->overhead, inc->victim_rss - l->total_process),
							STEP));
		if (beyond) {
			/* the excess it held, with the usual room on top; the limit
			 * that killed it has to grow with the process */
			target = max64(target, round_up(fm_size_add_sat(fm_size_add_sat(l->overhead, held - l->total_process),
									 max64(256 * MIB, l->total_process / 10)),
							STEP));
			char hl[FM_SIZE_HUMAN_MAX];
			human(hl, inc->container_limit);
			if (!rc && inc->container_limit > l->total_process)
				rc = note(r, "the memory limit the kernel enforced (%s) was above the process size: the process "
					  "grew into it; whatever sets it (the pod's limit, a systemd MemoryMax, YARN's container "
					  "size) has to stay above the new process size", hl);
		}
		/* RocksDB on a fixed budget per slot takes it outside every Flink
		 * component (an external resource of the slot, FM068): the
		 * overhead has to hold all of it, not a generic step */
		int64_t outside = base ? fm_health_rocksdb_fixed(base) : 0;
		/* or one budget per TaskManager (1.17+, check's FM070) */
		bool per_tm = false;
		if (outside <= 0 && base) {
			outside = fm_health_rocksdb_fixed_tm(base, p);
			per_tm = outside > 0;
		}
		if (!rc && outside > 0) {
			char h5[FM_SIZE_HUMAN_MAX];
			human(h5, outside);
			rc = note(r, "RocksDB's %s budget (%s%s) is native memory outside Flink's components: the fix sizes the "
				  "JVM overhead to hold it; giving RocksDB managed memory instead (remove %s) keeps it inside the "
				  "budget (check's %s)",
				  per_tm ? "fixed-per-tm" : "fixed-per-slot", h5, per_tm ? "" : " for all slots",
				  per_tm ? "state.backend.rocksdb.memory.fixed-per-tm and managed: false"
					 : "state.backend.rocksdb.memory.fixed-per-slot",
				  per_tm ? "FM070" : "FM068");
			target = max64(target, round_up(fm_size_add_sat(FM_HEALTH_OVERHEAD, outside), STEP));
		}
		ch = (change){{"taskmanager.memory.jvm-overhead.min", "taskmanager.memory.jvm-overhead.max"},
			      {target, target}, 2, target - l->overhead, false, false, "overhead"};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	default:
		return FM_OK;
	}
}

static int remedy_jm(fm_remedy *r, const fm_incident *inc, const fm_analysis *a, const fm_conf *base,
		     const fm_profile *p, const fm_jm_layout *l)
{
	char h1[FM_SIZE_HUMAN_MAX], h2[FM_SIZE_HUMAN_MAX];
	change ch = {0};
	ch.jm = true;
	int rc;
	switch (inc->failure) {
	case FM_F_HEAP:
	case FM_F_GC_OVERHEAD: {
		int64_t delta = round_up(max64(256 * MIB, l->jvm_heap / MIB * MIB / 2), STEP);
		human(h1, l->jvm_heap);
		rc = explain(r, "the JobManager heap (%s) ran out: large job graphs or parallelism, many retained jobs, big "
			     "accumulators or checkpoint metadata", h1);
		if (rc)
			return rc;
		/* the key of the part that ran out, as an operator writes it; the
		 * total the config sets grows by the same bytes */
		ch = (change){{"jobmanager.memory.heap.size"}, {fm_size_add_sat(l->jvm_heap, delta)}, 1, delta, true, true, "jm-heap"};
		rc = plan_change(r, base, p, &ch, l->total_process);
		if (r->has_pinned) {
			fm_plan_release(&r->pinned);
			r->has_pinned = false;
		}
		return rc ? rc : note(r, "at a fixed JobManager process size the heap only grows by taking from off-heap, "
				      "metaspace or overhead");
	}
	case FM_F_METASPACE: {
		bool leak = a->leak_hints > 0 || a->submissions >= 2;
		int64_t target = l->metaspace < 512 * MIB ? 512 * MIB : round_up(fm_size_add_sat(l->metaspace, 256 * MIB), STEP);
		human(h1, l->metaspace);
		rc = explain(r, "JobManager metaspace (%s) is full.%s", h1,
			     leak ? " Repeated submissions or leak hints point at a class-loader leak in a session cluster." : "");
		ch = (change){{"jobmanager.memory.jvm-metaspace.size"}, {target}, 1, target - l->metaspace, false, true, "jm-metaspace"};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	case FM_F_DIRECT: {
		human(h1, l->off_heap);
		human(h2, fm_size_add_sat(l->off_heap, 128 * MIB));
		if (!l->direct_limit) {
			/* jobmanager.memory.enable-jvm-direct-memory-limit is off (its
			 * default): no -XX:MaxDirectMemorySize, so the JVM's own limit
			 * applies, the heap's maximum (jdk.internal.misc.VM), and
			 * off-heap.size limits nothing. The fix turns the limit on at
			 * a size above the one that ran out. */
			human(h2, l->jvm_heap);
			int64_t t = round_up(fm_size_add_sat(l->jvm_heap, 128 * MIB), STEP);
			rc = explain(r, "JobManager direct memory ran out at the JVM's default limit, the heap's size (%s): "
				     "jobmanager.memory.enable-jvm-direct-memory-limit is off, so jobmanager.memory.off-heap.size "
				     "(%s) sets no limit and the process used more than its budget", h2, h1);
			if (!rc)
				rc = extra(r, "jobmanager.memory.enable-jvm-direct-memory-limit: true (the limit is then "
					      "jobmanager.memory.off-heap.size)");
			ch = (change){{"jobmanager.memory.off-heap.size"}, {t}, 1, t - l->off_heap, true, true, "jm-off-heap"};
			rc = rc ? rc : plan_change(r, base, p, &ch, l->total_process);
			if (!rc && r->has_pinned) {
				fm_plan_release(&r->pinned);
				r->has_pinned = false;
			}
			return rc ? rc : note(r, "if direct memory keeps growing, it is a leak (REST uploads, user code in the "
					      "JobManager): take a heap dump and look at the DirectByteBuffer owners");
		}
		rc = explain(r, "JobManager direct memory (off-heap %s) ran out", h1);
		ch = (change){{"jobmanager.memory.off-heap.size"}, {round_up(fm_size_add_sat(l->off_heap, 128 * MIB), STEP)}, 1,
			      round_up(fm_size_add_sat(l->off_heap, 128 * MIB), STEP) - l->off_heap, true, true, "jm-off-heap"};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	case FM_F_K8S:
	case FM_F_YARN:
	case FM_F_NATIVE_MEMORY:
	case FM_F_NATIVE_THREAD: {
		human(h1, l->total_process);
		human(h2, l->overhead);
		/* the kubelet's eviction is the node's shortage, not the pod's
		 * limit: what it is, in words, before the JobManager's budget */
		rc = inc->evicted || inc->node_level || inc->failure == FM_F_NATIVE_THREAD || inc->failure == FM_F_NATIVE_MEMORY
			     ? explain(r, "%s. The JobManager process is %s with %s of JVM overhead; its direct memory is "
				       "unlimited by default, so a direct leak grows it too.", kill_what(inc, on_k8s(inc, a)),
				       h1, h2)
			     : explain(r, "the JobManager container (%s) was killed or ran out of native memory; JVM overhead "
				       "is %s. The JobManager's direct memory is unlimited by default, so a direct leak ends "
				       "here too.", h1, h2);
		int64_t target = round_up(fm_size_add_sat(l->overhead, 256 * MIB), STEP);
		target = evicted_use(r, inc, l->total_process, l->overhead, target, &rc);
		ch = (change){{"jobmanager.memory.jvm-overhead.min", "jobmanager.memory.jvm-overhead.max"},
			      {target, target}, 2, target - l->overhead, false, true, NULL};
		if (!rc && inc->failure == FM_F_NATIVE_THREAD)
			rc = note(r, "too many threads is the other cause: check the JobManager's thread count (a thread "
				  "dump), leaked executors of user code or connectors, and the container's pids limit");
		if (!rc)
			rc = note(r, "jobmanager.memory.enable-jvm-direct-memory-limit: true turns a direct leak into an "
				  "explicit error");
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	default:
		return FM_OK;
	}
}

/* config-invalid with the user's config at hand: what the check rules say.
 * The failing side's fix snippets ("key: value" lines) are applied and
 * re-derived; the other side's findings become advice. */
static int lint_advice(fm_remedy *r, const fm_conf *user, const fm_profile *p, bool jm)
{
	fm_lint_input in = {.conf = user, .profile = p};
	fm_findings f;
	if (fm_lint(&in, &f) != FM_OK)
		return FM_ENOMEM;
	int rc = FM_OK;
	char *keys[16], *vals[16];
	size_t nkv = 0;
	const char *side = jm ? "jobmanager." : "taskmanager.";
	for (size_t i = 0; i < f.n && !rc; i++) {
		const fm_finding *x = &f.v[i];
		/* (what shows only once the errors are fixed is check's to say) */
		if (x->severity != FM_SEV_ERROR || x->behind_errors)
			continue;
		if (!x->fix) {
			rc = note(r, "check %s: %s", x->rule->id, x->message);
			continue;
		}
		const char *s = x->fix;
		while (*s && !rc) {
			const char *e = strchr(s, '\n');
			size_t n = e ? (size_t)(e - s) : strlen(s);
			const char *colon = memchr(s, ':', n);
			if (colon && !strncmp(s, side, strlen(side)) && nkv < 16 && colon + 2 <= s + n) {
				keys[nkv] = strndup(s, (size_t)(colon - s));
				vals[nkv] = strndup(colon + 2, (size_t)(s + n - colon - 2));
				if (!keys[nkv] || !vals[nkv]) {
					free(keys[nkv]);
					free(vals[nkv]);
					rc = FM_ENOMEM;
					break;
				}
				nkv++;
			} else if (n) {
				rc = extra(r, "%.*s (check %s: %s)", (int)n, s, x->rule->id, x->message);
			}
			s += n + (e ? 1 : 0);
		}
	}
	if (!rc && nkv) {
		fm_derive_env env = {NULL, NULL};
		rc = fm_plan_whatif(user, p, &env, (const char *const *)keys, (const char *const *)vals, nkv, &r->fix);
		if (!rc) {
			r->has_fix = true;
			r->jm = jm;
		}
	}
	for (size_t i = 0; i < nkv; i++) {
		free(keys[i]);
		free(vals[i]);
	}
	fm_findings_release(&f);
	return rc;
}

/* A size Flink printed after `label` in an IllegalConfigurationException:
 * "(1.250gb (1342177280 bytes))" gives the exact bytes; a page that dropped
 * them ("(320.000mb)") gives the human size (MemorySize's %.3f form). -1
 * when absent. */
static int64_t printed_size(const char *text, const char *label)
{
	const char *s = text ? strstr(text, label) : NULL;
	if (!s)
		return -1;
	s += strlen(label);
	s += strspn(s, " (");
	char *end;
	double v = strtod(s, &end);
	if (end == s || v < 0)
		return -1;
	const char *b = strstr(end, " bytes)");
	const char *q = strchr(end, '(');
	if (q && b && q < b && b - q < 32) {
		long long n = strtoll(q + 1, NULL, 10);
		if (n >= 0)
			return n;
	}
	static const struct { const char *u; double m; } units[] = {
		{"tb", 1099511627776.0}, {"gb", 1073741824.0}, {"mb", 1048576.0}, {"kb", 1024.0}, {" bytes", 1.0}};
	/* MemorySize.toString of 1.10/1.11 puts a space before the unit ("256 mb") */
	const char *u = end[0] == ' ' && end[1] != 'b' ? end + 1 : end;
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strncmp(u, units[i].u, strlen(units[i].u)) && v * units[i].m < 9.0e18)
			return (int64_t)(v * units[i].m);
	return -1;
}

/* A size printed in any evidence line of the incident (a wrapper line
 * can be cut short where its cause line is whole). */
static int64_t evidence_size(const fm_incident *inc, const char *label)
{
	for (size_t k = 0; k < inc->nev; k++) {
		/* the kept text is cut short; an exception's sizes in order
		 * (events.c) stand for the labels of the incident's own row */
		int at = -1;
		const char *id = inc->sig ? inc->sig->id : "";
		static const struct { const char *id; size_t n; const char *labels[6]; } rows[] = {
			{"CFG_TM_SUM_EXCEEDS_FLINK", 6, {"Framework Heap Memory", "Framework Off-Heap Memory", "Task Off-Heap Memory",
							 "Managed Memory", "Network Memory", "exceed configured Total Flink Memory"}},
			{"CFG_JM_FLINK_LT_OFFHEAP", 2, {"The configured Total Flink Memory", "the configured Off-heap Memory"}},
			{"CFG_OVERHEAD_RANGE", 3, {"Derived JVM Overhead size", "JVM Overhead range ["}},
			{"CFG_METASPACE_OVERHEAD_EXCEED", 3, {"JVM Metaspace", "JVM Overhead", "exceed configured Total Process Memory"}},
			{"CFG_PROCESS_LESS_THAN_SUM", 3, {"The configured Total Process Memory size",
							  "the derived Total Flink Memory size", "JVM Metaspace size"}},
		};
		for (size_t i = 0; i < sizeof rows / sizeof rows[0] && at < 0; i++)
			if (!strcmp(id, rows[i].id) && inc->nnum == rows[i].n)
				for (size_t j = 0; j < rows[i].n; j++)
					if (rows[i].labels[j] && !strcmp(rows[i].labels[j], label))
						at = (int)j;
		if (at >= 0)
			return inc->num[at];
		int64_t v = printed_size(inc->ev[k].text, label);
		if (v >= 0)
			return v;
	}
	return -1;
}

/* A size option's default in profile p, or dflt when it has none. */
static int64_t option_default(const fm_profile *p, enum fm_opt_id id, int64_t dflt)
{
	fm_option o = fm_option_get(p, id);
	int64_t b = dflt;
	fm_jexc je = {0};
	if (o.def && fm_size_parse(o.def, strlen(o.def), &b, &je) != 0)
		b = dflt;
	fm_jexc_release(&je);
	return b > 0 ? b : dflt;
}

static int conf_put(fm_conf *c, const char *key, int64_t bytes)
{
	char v[32];
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	fm_size_text(v, sizeof v, bytes / MIB * MIB);
	return fm_conf_set_str(c, key, v, &at) == FM_OK ? FM_OK : FM_ENOMEM;
}

/* The smallest whole-MiB value of a total key (process size) at which
 * Flink accepts the side's layout: gallop from its current value, then
 * bisect. The plan lists the key against c. */
static int fit_total(fm_remedy *r, const fm_conf *c, const fm_profile *p, const char *key, bool jm)
{
	fm_derive_env env = {NULL, NULL};
	int64_t lo = fm_conf_bytes(c, key), hi = -1;
	if (lo <= 0)
		return FM_OK;
	fm_plan best = {0};
	bool have = false;
	for (int i = 0; i < 48 && (hi < 0 || hi - lo > MIB); i++) {
		int64_t d = hi < 0 ? lo + (64 * MIB << (i < 16 ? i : 16)) : lo + (hi - lo) / 2;
		char v[32];
		fm_size_text(v, sizeof v, round_up(d, MIB));
		const char *vp = v;
		fm_plan t;
		if (fm_plan_whatif(c, p, &env, &key, &vp, 1, &t)) {
			if (have)
				fm_plan_release(&best);
			return FM_ENOMEM;
		}
		if ((jm ? t.after_jm.outcome : t.after_tm.outcome) == FM_DERIVED) {
			if (have)
				fm_plan_release(&best);
			best = t;
			have = true;
			hi = round_up(d, MIB);
		} else {
			fm_plan_release(&t);
			lo = round_up(d, MIB);
		}
	}
	if (have) {
		r->fix = best;
		r->has_fix = true;
		r->jm = jm;
		r->from_empty = true;
	}
	return FM_OK;
}

/* The process size whose Total Flink Memory is `flink` with the side's
 * default metaspace and overhead (fixed point through the engine, so the
 * release's defaults and the overhead's fraction and range apply). */
static int64_t process_for_flink(const fm_profile *p, int64_t flink, bool jm)
{
	int64_t proc = flink + 448 * MIB;
	fm_derive_env env = {NULL, NULL};
	for (int i = 0; i < 4; i++) {
		fm_conf *c = fm_conf_new();
		if (!c || conf_put(c, jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size", proc)) {
			fm_conf_free(c);
			return -1;
		}
		int64_t other = -1;
		if (jm) {
			fm_jm_result j;
			if (fm_derive_jm(c, p, &env, &j) == FM_OK) {
				if (j.outcome == FM_DERIVED)
					other = j.l.metaspace + j.l.overhead;
				fm_jm_result_release(&j);
			}
		} else {
			fm_tm_result t;
			if (fm_derive_tm(c, p, &env, &t) == FM_OK) {
				if (t.outcome == FM_DERIVED)
					other = t.l.metaspace + t.l.overhead;
				fm_tm_result_release(&t);
			}
		}
		fm_conf_free(c);
		if (other < 0 || flink + other == proc)
			break;
		proc = flink + other;
	}
	return proc;
}

/* config-invalid with no config at hand: the sizes Flink printed in its
 * exception are the evidence. The config is rebuilt from them (a process
 * size giving the printed Total Flink Memory; a part that differs from
 * what its default would give was set by the user and stays set) and the
 * total grows until Flink accepts it; the producer's alternatives (the
 * Flink size instead of the process size, the overhead's range) become
 * advice. 0 when the message carries nothing to rebuild from. */
/* A whole number printed right after LABEL in an evidence line, or -1. */
static int64_t evidence_number(const fm_incident *inc, const char *label)
{
	for (size_t k = 0; k < inc->nev; k++) {
		const char *t = inc->ev[k].text ? strstr(inc->ev[k].text, label) : NULL;
		if (!t)
			continue;
		t += strlen(label);
		int64_t v = 0;
		bool any = false;
		while ((unsigned)(*t - '0') < 10u && v < INT64_MAX / 10 / MIB) {
			v = v * 10 + (*t++ - '0');
			any = true;
		}
		if (any)
			return v;
	}
	return -1;
}

/* Checks of the model before 1.10, all in MB: the YARN client refuses a
 * container below its minimum (-jm/-tm, heap.size), and the container
 * parameters a cut-off minimum larger than the container. The container's
 * memory is what {jobmanager,taskmanager}.heap.size set in 1.5-1.9
 * (heap.mb in 1.4 and older). */
static int legacy_config(fm_remedy *r, const fm_incident *inc, const char *id, const char *side, bool *done)
{
	int64_t want = -1, total = -1, cut = -1;
	if (!strcmp(id, "CFG_LEGACY_JM_BELOW_MIN") || !strcmp(id, "CFG_LEGACY_TM_BELOW_MIN")) {
		int64_t min = evidence_number(inc, "minimum required memory amount of ");
		if (min > 0)
			want = min > 1024 ? min : 1024;
	} else if (!strcmp(id, "CFG_LEGACY_CUTOFF_MIN")) {
		cut = evidence_number(inc, "heap-cutoff-min'='");
		total = evidence_number(inc, "larger than the total container memory ");
		if (cut > 0)
			want = 2 * cut > 1024 ? 2 * cut : 1024; /* the cut-off and as much heap */
	} else if (!strcmp(id, "CFG_LEGACY_SCRIPT_NETWORK")) {
		/* config.sh (1.4-1.9) takes the network buffers out of
		 * taskmanager.heap.size: either the heap holds them and 1 GiB
		 * more for the tasks, or the buffers are capped at a tenth */
		int64_t heap = evidence_number(inc, "Configured TaskManager memory size (");
		int64_t net = evidence_number(inc, "network buffer memory size (");
		if (heap <= 0 || net <= 0)
			return FM_OK;
		*done = true;
		int rc = extra(r, "taskmanager.heap.size: %lldm (releases 1.5-1.9: the network buffers' %lld MB and 1 GiB "
			       "for the tasks)", (long long)(net + 1024), (long long)net);
		int64_t cap = heap / 10 > 64 ? heap / 10 : 64;
		if (!rc && cap < heap)
			rc = extra(r, "taskmanager.network.memory.max: %lldm, with taskmanager.network.memory.min no larger (or "
				   "keep the heap at %lld MB and cap the network buffers at a tenth of it; jobs with many "
				   "channels may then run short of buffers)",
				   (long long)cap, (long long)heap);
		return rc;
	}
	if (want <= 0)
		return FM_OK;
	*done = true;
	int rc = extra(r, "%s.heap.size: %lldm (releases 1.5-1.9: the container's memory; on YARN also -%s)", side,
		       (long long)want, side[0] == 'j' ? "jm" : "tm");
	if (!rc)
		rc = extra(r, "%s.heap.mb: %lld (1.4 and older)", side, (long long)want);
	if (!rc && cut > 0 && total > 0)
		rc = extra(r, "containerized.heap-cutoff-min: %lld (or keep the container at %lld MB and lower the cut-off "
			   "minimum below it; default 600)",
			   (long long)(total / 4 > 0 ? total / 4 : 1), (long long)total);
	return rc;
}

/* YarnClusterDescriptor refused a process larger than YARN's largest
 * container: that container's size is the fix when it holds a healthy
 * layout (Flink accepts it and no component falls under its floor);
 * otherwise the maximum must grow. */
static int yarn_above_max(fm_remedy *r, const fm_profile *p, bool jm, int64_t max_mb, bool *done)
{
	const char *side = jm ? "jobmanager" : "taskmanager";
	fm_conf *c = fm_conf_new();
	if (!c)
		return FM_ENOMEM;
	int rc = conf_put(c, jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size", max_mb * MIB);
	fm_floors fl;
	fm_health_floors(c, p, &fl);
	int64_t have = 0;
	const fm_health_floor *v = NULL;
	bool ok = false;
	if (!rc && jm) {
		fm_jm_result j;
		if ((rc = fm_derive_jm_numbers(c, p, NULL, &j)) == FM_OK) {
			ok = j.outcome == FM_DERIVED;
			if (ok)
				v = fm_health_violation(&fl, NULL, &j.l, NULL, 0, &have);
			fm_jm_result_release(&j);
		}
	} else if (!rc) {
		fm_tm_result t;
		if ((rc = fm_derive_tm_numbers(c, p, NULL, &t)) == FM_OK) {
			ok = t.outcome == FM_DERIVED;
			if (ok)
				v = fm_health_violation(&fl, &t.l, NULL, NULL, 0, &have);
			fm_tm_result_release(&t);
		}
	}
	fm_conf_free(c);
	if (rc)
		return rc;
	*done = true;
	if (ok && !v)
		return extra(r, "%s.memory.process.size: %lldm (YARN's largest container, yarn.scheduler.maximum-allocation-mb; "
			     "or raise that maximum and yarn.nodemanager.resource.memory-mb)",
			     side, (long long)max_mb);
	return note(r, "YARN's largest container (%lld MB) is too small for a healthy %s (%s%s): raise "
		    "yarn.scheduler.maximum-allocation-mb and yarn.nodemanager.resource.memory-mb instead",
		    (long long)max_mb, jm ? "JobManager" : "TaskManager", v ? v->component : "Flink rejects it",
		    v ? " under its floor" : "");
}

/* A value Flink could not read names its key ("Could not parse value 'X'
 * for key 'K'", "Cannot read memory size from config option 'K'", 1.5-1.9's
 * "Could not read K" and start scripts' "Please set 'K'"): that key,
 * written as a size Flink reads, is the fix whatever the release. */
static int named_key(fm_remedy *r, const fm_incident *inc, bool *done)
{
	const char *id = inc->sig ? inc->sig->id : "";
	if (strcmp(id, "CFG_PARSE_VALUE") && strcmp(id, "CFG_CANNOT_READ_SIZE") && strcmp(id, "CFG_LEGACY_CANNOT_READ") &&
	    strcmp(id, "CFG_LEGACY_SCRIPT_JM_SIZE") && strcmp(id, "CFG_LEGACY_SCRIPT_TM_SIZE"))
		return FM_OK;
	for (size_t i = 0; i < inc->nev; i++) {
		const char *t = inc->ev[i].text;
		const char *k = t ? strstr(t, "taskmanager.") : NULL, *j = t ? strstr(t, "jobmanager.") : NULL;
		if (!k || (j && j < k))
			k = j;
		if (!k)
			continue;
		size_t n = 0;
		while (isalnum((unsigned char)k[n]) || k[n] == '.' || k[n] == '-')
			n++;
		while (n && k[n - 1] == '.')
			n--; /* the sentence's full stop */
		*done = true;
		return extra(r, "%.*s: a size Flink reads (a whole number and a unit: 1024m, 4g; Kubernetes units such as Gi "
			     "and decimals are refused)", (int)n, k);
	}
	return FM_OK;
}

static int config_from_message(fm_remedy *r, const fm_incident *inc, const fm_analysis *a, const fm_profile *p,
			       bool *done)
{
	*done = false;
	const char *id = inc->sig ? inc->sig->id : "";
	bool jm = inc->proc == FM_PROC_JM;
	const char *side = jm ? "jobmanager" : "taskmanager";
	char h[FM_SIZE_HUMAN_MAX];
	int rc = FM_OK;
	if (!strcmp(id, "CFG_OVERHEAD_RANGE")) {
		/* ProcessMemoryUtils: the overhead left between a fixed process
		 * size and a fixed Flink size falls outside [min, max] */
		int64_t o = evidence_size(inc, "Derived JVM Overhead size");
		int64_t lo = evidence_size(inc, "JVM Overhead range [");
		if (o <= 0)
			return FM_OK;
		fm_size_text(h, sizeof h, round_up(o, MIB));
		*done = true;
		if (lo > 0 && o < lo) {
			fm_size_text(h, sizeof h, o / MIB * MIB);
			return extra(r, "%s.memory.jvm-overhead.min: %s (the overhead left between the configured process and "
				     "Flink sizes is below the range; or set only one of the two totals)", side, h);
		}
		return extra(r, "%s.memory.jvm-overhead.max: %s (the overhead left between the configured process and Flink "
			     "sizes is above the range; or set only one of the two totals)", side, h);
	}
	if (!strncmp(id, "CFG_LEGACY_", 11))
		return legacy_config(r, inc, id, side, done);
	if ((!strcmp(id, "CFG_YARN_JM_ABOVE_MAX") || !strcmp(id, "CFG_YARN_TM_ABOVE_MAX")) && a && a->yarn_max_mb > 0)
		return yarn_above_max(r, p, !strcmp(id, "CFG_YARN_JM_ABOVE_MAX"), a->yarn_max_mb, done);
	if (!strcmp(id, "CFG_NETWORK_MIN_MAX_UNRESOLVED")) {
		/* TaskExecutorResourceUtils (1.10/1.11) wants the sizes the start
		 * scripts resolve (BashJavaUtils' -D options): a TaskManager
		 * started another way needs the network size fixed by hand */
		int64_t lo = evidence_size(inc, "The network memory min");
		if (lo <= 0)
			return FM_OK;
		fm_size_text(h, sizeof h, round_up(lo, MIB));
		*done = true;
		rc = extra(r, "taskmanager.memory.network.min: %s (min and max equal: a fixed network size)", h);
		return rc ? rc
			  : extra(r, "taskmanager.memory.network.max: %s (or start the TaskManager with Flink's scripts, "
				     "which resolve the range from the process size)",
				  h);
	}
	fm_conf *c = fm_conf_new();
	if (!c)
		return FM_ENOMEM;
	const char *pkey = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
	int64_t flink = -1;
	if (!strcmp(id, "CFG_TM_SUM_EXCEEDS_FLINK") && !jm) {
		/* TaskExecutorFlinkMemoryUtils: framework heap, framework and task
		 * off-heap, managed and network exceed the Total Flink Memory */
		flink = evidence_size(inc, "exceed configured Total Flink Memory");
		int64_t fh = evidence_size(inc, "Framework Heap Memory"), fo = evidence_size(inc, "Framework Off-Heap Memory");
		int64_t to = evidence_size(inc, "Task Off-Heap Memory"), mm = evidence_size(inc, "Managed Memory");
		int64_t nw = evidence_size(inc, "Network Memory");
		if (flink > 0) {
			int64_t frac_net = flink / 10 < 64 * MIB ? 64 * MIB : flink / 10;
			rc = conf_put(c, pkey, process_for_flink(p, flink, false));
			if (!rc && fh > 0 && fh / MIB != 128)
				rc = conf_put(c, "taskmanager.memory.framework.heap.size", fh);
			if (!rc && fo > 0 && fo / MIB != 128)
				rc = conf_put(c, "taskmanager.memory.framework.off-heap.size", fo);
			if (!rc && to > 0)
				rc = conf_put(c, "taskmanager.memory.task.off-heap.size", to);
			if (!rc && mm > 0 && (mm - flink * 2 / 5 > MIB || flink * 2 / 5 - mm > MIB))
				rc = conf_put(c, "taskmanager.memory.managed.size", mm);
			if (!rc && nw > 0 && (nw - frac_net > MIB || frac_net - nw > MIB)) {
				rc = conf_put(c, "taskmanager.memory.network.min", nw);
				if (!rc)
					rc = conf_put(c, "taskmanager.memory.network.max", nw);
			}
		}
	} else if (!strcmp(id, "CFG_JM_FLINK_LT_OFFHEAP") && jm) {
		/* JobManagerFlinkMemoryUtils: Total Flink Memory below off-heap */
		flink = evidence_size(inc, "The configured Total Flink Memory");
		int64_t off = evidence_size(inc, "the configured Off-heap Memory");
		if (flink > 0)
			rc = conf_put(c, pkey, process_for_flink(p, flink, true));
		if (!rc && flink > 0 && off > 0 && off / MIB != 128)
			rc = conf_put(c, "jobmanager.memory.off-heap.size", off);
	} else if (!strcmp(id, "CFG_PROCESS_LESS_THAN_SUM")) {
		/* ProcessMemoryUtils: the parts set derive a Flink memory that,
		 * with the metaspace, does not fit in the process size set; the
		 * overhead is then what is left, at least its minimum */
		int64_t fl = evidence_size(inc, "the derived Total Flink Memory size");
		int64_t meta = evidence_size(inc, "JVM Metaspace size");
		int64_t proc = evidence_size(inc, "The configured Total Process Memory size");
		/* (a trace cut after the Flink size: the release's default metaspace) */
		int64_t ovh = option_default(p, jm ? FM_O_JM_OVH_MIN : FM_O_TM_OVH_MIN, 192 * MIB);
		if (meta <= 0)
			meta = option_default(p, jm ? FM_O_JM_METASPACE : FM_O_TM_METASPACE, 256 * MIB);
		if (fl > 0 && proc > 0) {
			char v[32], h2[FM_SIZE_HUMAN_MAX];
			fm_size_text(v, sizeof v, round_up(fl + meta + ovh, MIB));
			const char *vp = v;
			fm_derive_env env = {NULL, NULL};
			rc = conf_put(c, pkey, proc);
			if (!rc)
				rc = fm_plan_whatif(c, p, &env, &pkey, &vp, 1, &r->fix);
			if (!rc) {
				r->has_fix = true;
				r->jm = jm;
				r->from_empty = true;
				*done = true;
				human(h, fl);
				human(h2, ovh);
				rc = note(r, "the sizes set derive %s of Total Flink Memory; the process size must hold it, the "
					  "metaspace and at least the JVM overhead's minimum (%s)", h, h2);
			}
			int64_t keep = !rc ? (jm ? (r->fix.before_jm.outcome == FM_DERIVED ? r->fix.before_jm.l.total_flink : -1)
					     : (r->fix.before_tm.outcome == FM_DERIVED ? r->fix.before_tm.l.total_flink : -1)) : -1;
			if (!rc && keep > 0) {
				fm_size_text(h, sizeof h, keep / MIB * MIB);
				rc = extra(r, "%s.memory.flink.size: %s (instead, to keep the process size: the sizes set under it "
					   "must then shrink to fit)", side, h);
			}
		}
	} else if (!strcmp(id, "CFG_METASPACE_OVERHEAD_EXCEED")) {
		/* ProcessMemoryUtils: metaspace + overhead exceed the process size */
		int64_t proc = evidence_size(inc, "exceed configured Total Process Memory");
		int64_t meta = evidence_size(inc, "JVM Metaspace");
		if (proc > 0) {
			flink = proc;
			rc = conf_put(c, pkey, proc);
			if (!rc && meta > 0 && meta / MIB != 256)
				rc = conf_put(c, jm ? "jobmanager.memory.jvm-metaspace.size" : "taskmanager.memory.jvm-metaspace.size",
					      meta);
		}
	}
	if (!rc && flink > 0 && fm_conf_has(c, pkey)) {
		*done = true;
		rc = fit_total(r, c, p, pkey, jm);
		if (!rc && r->has_fix)
			rc = heal(r, c, p);
		if (!rc && r->has_fix && strcmp(id, "CFG_METASPACE_OVERHEAD_EXCEED")) {
			int64_t f2 = jm ? (r->fix.after_jm.outcome == FM_DERIVED ? r->fix.after_jm.l.total_flink : 0)
					: (r->fix.after_tm.outcome == FM_DERIVED ? r->fix.after_tm.l.total_flink : 0);
			human(h, flink);
			rc = note(r, "the message gives only the Total Flink Memory (%s); the config is rebuilt as the process "
				  "size that yields it with the default metaspace and overhead", h);
			if (!rc && f2 > 0) {
				fm_size_text(h, sizeof h, round_up(f2, MIB));
				rc = extra(r, "%s.memory.flink.size: %s (instead, when the config sets the Total Flink Memory rather "
					   "than the process size)", side, h);
			}
		}
	}
	fm_conf_free(c);
	return rc;
}

/* Flink 1.10 computes no JobManager layout: jobmanager.sh hands
 * jobmanager.heap.size (else jobmanager.heap.mb, default 1024m) to the JVM as
 * -Xms/-Xmx, and on YARN that is the container, the heap being what the
 * cut-off leaves. The jobmanager.memory.* keys are not read before 1.11. */
static int jm_before_111(fm_remedy *r, const fm_incident *inc, const fm_recovered *rec, const fm_conf *base)
{
	char h1[FM_SIZE_HUMAN_MAX], v[32];
	/* the -Xmx the JobManager logged is the heap that ran out */
	int64_t heap = rec && rec->jm_xmx > 0 ? rec->jm_xmx : fm_conf_bytes(base, "jobmanager.heap.size");
	const fm_entry *mb = fm_conf_find(base, "jobmanager.heap.mb");
	if (heap <= 0 && mb) {
		char *end;
		long long n = strtoll(mb->text, &end, 10);
		heap = end != mb->text && *end == '\0' && n > 0 && n < INT64_MAX / MIB ? n * MIB : -1;
	}
	bool dflt = heap <= 0;
	if (dflt)
		heap = 1024 * MIB;
	human(h1, heap);
	r->jm = true;
	int rc;
	switch (inc->failure) {
	case FM_F_HEAP:
	case FM_F_GC_OVERHEAD:
		rc = explain(r, "the JobManager heap ran out; before 1.11 it is jobmanager.heap.size (%s%s), which the start "
			     "script passes as -Xms/-Xmx (on YARN it sizes the container and the heap is what the cut-off "
			     "leaves)", h1, dflt ? ", the default" : "");
		fm_size_text(v, sizeof v, round_up(fm_size_add_sat(heap, max64(256 * MIB, heap / 2)), STEP));
		return rc ? rc : extra(r, "jobmanager.heap.size: %s (Flink 1.10 reads no jobmanager.memory.* key)", v);
	case FM_F_YARN:
	case FM_F_K8S:
	case FM_F_NATIVE_MEMORY:
	case FM_F_NATIVE_THREAD: {
		rc = explain(r, "the JobManager process (jobmanager.heap.size %s%s) outgrew its container: before 1.11 "
			     "nothing but the heap is budgeted, so metaspace, threads and direct memory must fit in what the "
			     "heap leaves", h1, dflt ? ", the default" : "");
		if (!rc && inc->failure == FM_F_YARN)
			rc = extra(r, "containerized.heap-cutoff-ratio: 0.35 (the share of the JobManager's container kept "
				   "off the heap; default 0.25)");
		if (!rc && inc->failure == FM_F_YARN)
			return extra(r, "containerized.heap-cutoff-min: 1024m (at least this much off the heap; default 600m)");
		/* elsewhere the heap is all of -Xmx: it must leave room in the
		 * container's limit (a pod's, when the inputs show one) */
		int64_t lim = fm_conf_bytes(base, "jobmanager.memory.process.size");
		human(h1, lim > 0 ? lim : heap);
		fm_size_text(v, sizeof v, (lim > 0 ? lim : heap) * 7 / 10 / MIB * MIB);
		return rc ? rc : extra(r, "jobmanager.heap.size: %s (~70%% of the %s %s, leaving the rest for what is not "
				       "heap), or a larger memory limit", v, lim > 0 ? "container's limit" : "current heap,",
				       lim > 0 ? h1 : "taken as the limit");
	}
	default:
		return explain(r, "the JobManager of Flink 1.10 limits only its heap (jobmanager.heap.size, %s%s); a "
			       "metaspace or direct memory limit comes from -XX flags in env.java.opts(.jobmanager): raise "
			       "the flag there", h1, dflt ? ", the default" : "");
	}
}

/* The input names keys of the memory model before 1.10: that release has
 * none of the taskmanager.memory.* keys above, so the fix also says it in
 * its own keys (Flink 1.5-1.9 configuration docs; heap.mb and
 * numberOfBuffers are 1.4 and older). Sizes come from the fix computed
 * above, or the part's own target. */
static int legacy_advice(fm_remedy *r, const fm_incident *inc, const fm_analysis *a)
{
	if (!a->legacy_keys)
		return FM_OK;
	char v[32];
	const char *note_old = "releases before 1.10";
	int64_t proc = -1, net = -1, managed = -1;
	if (r->has_fix && r->fix.after_tm.outcome == FM_DERIVED && !r->jm) {
		proc = r->fix.after_tm.l.total_process;
		net = r->fix.after_tm.l.network;
		managed = r->fix.after_tm.l.managed;
	} else if (r->has_fix && r->fix.after_jm.outcome == FM_DERIVED && r->jm) {
		proc = r->fix.after_jm.l.total_process;
	}
	switch (inc->failure) {
	case FM_F_HEAP:
	case FM_F_GC_OVERHEAD:
		if (proc <= 0)
			return FM_OK;
		fm_size_text(v, sizeof v, round_up(proc, MIB));
		return extra(r, "%s: %s (%s: the %s's total memory, heap and cut-off included)",
			     r->jm ? "jobmanager.heap.size" : "taskmanager.heap.size", v, note_old,
			     r->jm ? "JobManager" : "TaskManager");
	case FM_F_K8S:
		/* the cut-off is read on YARN and Mesos only: a standalone
		 * Kubernetes pod of 1.5-1.9 runs -Xmx = taskmanager.heap.size, and
		 * the pod's limit must hold that plus all native memory */
		if (proc > 0 && !r->jm) {
			fm_size_text(v, sizeof v, proc * 7 / 10 / MIB * MIB);
			return extra(r, "taskmanager.heap.size: %s (%s on Kubernetes: no cut-off there; the heap must leave "
				     "~30%% of the pod's memory limit to network buffers, metaspace, threads and native "
				     "libraries)",
				     v, note_old);
		}
		return FM_OK;
	case FM_F_YARN:
	case FM_F_ROCKSDB:
	case FM_F_NATIVE_MEMORY:
	case FM_F_NATIVE_THREAD: {
		int rc = extra(r, "containerized.heap-cutoff-ratio: 0.35 (%s: the share of the container kept off the heap "
			       "for native memory; default 0.25)", note_old);
		return rc ? rc : extra(r, "containerized.heap-cutoff-min: 1024m (%s: at least this much off the heap; "
				       "default 600m)", note_old);
	}
	case FM_F_NETWORK:
		return net > 0 ? legacy_network(r, net) : FM_OK;
	case FM_F_MANAGED: {
		if (managed <= 0)
			return FM_OK;
		fm_size_text(v, sizeof v, round_up(managed, MIB));
		int rc = extra(r, "taskmanager.memory.size: %s (%s: managed memory as an absolute size)", v, note_old);
		return rc ? rc : extra(r, "taskmanager.memory.fraction: 0.8 (%s: managed share of the free heap; default "
				       "0.7)", note_old);
	}
	default:
		return FM_OK;
	}
}

/* An alternative to the fix: key=val with the total the fix sets. *ok when
 * Flink accepts it and fm_plan_heal finds it healthy and check-clean
 * without more changes; *alt is then the plan (released by the caller). */
static int verified_alt(const fm_remedy *r, const fm_conf *base, const fm_profile *p, const char *key,
			const char *val, fm_plan *alt, bool *ok)
{
	*ok = false;
	const char *keys[4];
	const char *vals[4];
	size_t n = 0;
	keys[n] = key;
	vals[n++] = val;
	for (size_t i = 0; i < r->fix.nchanges && n < 4; i++)
		if (!strcmp(r->fix.changes[i].key, "taskmanager.memory.process.size") ||
		    !strcmp(r->fix.changes[i].key, "taskmanager.memory.flink.size")) {
			keys[n] = r->fix.changes[i].key;
			vals[n++] = r->fix.changes[i].to;
		}
	fm_derive_env env = {NULL, NULL};
	if (fm_plan_whatif(base, p, &env, keys, vals, n, alt))
		return FM_ENOMEM;
	if (alt->after_tm.outcome != FM_DERIVED)
		return FM_OK;
	if (fm_plan_heal(alt, base, p, &env, false)) {
		fm_plan_release(alt);
		return FM_ENOMEM;
	}
	*ok = alt->feasible && alt->nchanges == n && alt->after_tm.outcome == FM_DERIVED;
	return FM_OK;
}

/* The keys the producer's own message names next to the one changed, as
 * healthy alternatives with the same total: NetworkBufferPool names the
 * network fraction next to min/max (the fraction that yields the fix's
 * network size, whole percent rounded up); TaskManagerExceptionUtils'
 * direct-OOM hint names framework off-heap next to task off-heap. */
static int producer_alternatives(fm_remedy *r, const fm_incident *inc, const fm_conf *base, const fm_profile *p)
{
	if (!r->has_fix || r->jm || r->fix.after_tm.outcome != FM_DERIVED)
		return FM_OK;
	const fm_tm_layout *l = &r->fix.after_tm.l, *b = &r->fix.before_tm.l;
	char v[32];
	const char *key = NULL;
	if (inc->failure == FM_F_NETWORK) {
		if (l->total_flink <= 0 || l->network <= 0 || l->network > INT64_MAX / 100)
			return FM_OK; /* (sizes past 92 PB: no fraction to propose) */
		int64_t n100 = l->network * 100;
		int64_t pct = n100 / l->total_flink + (n100 % l->total_flink != 0); /* rounded up */
		if (pct < 1 || pct >= 100)
			return FM_OK;
		snprintf(v, sizeof v, "0.%02lld", (long long)pct);
		key = "taskmanager.memory.network.fraction";
	} else if (inc->failure == FM_F_DIRECT && l->task_off_heap > b->task_off_heap &&
		   l->framework_off_heap == b->framework_off_heap) {
		fm_size_text(v, sizeof v, round_up(b->framework_off_heap + (l->task_off_heap - b->task_off_heap), MIB));
		key = "taskmanager.memory.framework.off-heap.size";
	} else {
		return FM_OK;
	}
	fm_plan alt;
	bool ok;
	if (verified_alt(r, base, p, key, v, &alt, &ok))
		return FM_ENOMEM;
	if (ok && inc->failure == FM_F_NETWORK)
		ok = alt.after_tm.l.network >= l->network / MIB * MIB;
	int rc = FM_OK;
	if (ok)
		rc = inc->failure == FM_F_NETWORK
			     ? extra(r, "%s: %s (instead of a fixed min/max, with the same total: the network share of Total "
				     "Flink Memory; Flink's message names all three keys)", key, v)
			     : extra(r, "%s: %s (instead, with the same total, when the direct memory is Flink's own: Netty "
				     "at high parallelism; Flink's direct-OOM hint names both keys)", key, v);
	fm_plan_release(&alt);
	return rc;
}

/* A process outside the cluster: its own fix, never a TaskManager's or the
 * JobManager's layout. */
static int remedy_outside(fm_remedy *r, const fm_incident *inc, const fm_profile *p)
{
	const char *k = fm_failure_name(inc->failure);
	const char *flag = jvm_flag(inc->failure, "-Xmx2g (the JVM's heap)");
	int rc = FM_OK;
	switch (inc->proc) {
	case FM_PROC_CLIENT:
		rc = explain(r, "%s in the Flink client (the CLI, SQL client or PyFlink driver that submits the job), not in "
			     "a TaskManager or the JobManager: the cluster's memory is not involved",
			     k);
		/* env.java.opts.client came with 1.11 (FLINK-9656): 1.10's bin/flink
		 * reads JVM_ARGS only */
		if (!rc)
			rc = p && p->order < 1111 ? extra(r, "JVM_ARGS in the environment of bin/flink: %s (1.10 reads no "
							 "client key)", flag)
						  : extra(r, "env.java.opts.client: %s; FLINK_ENV_JAVA_OPTS for one run", flag);
		if (!rc)
			rc = note(r, "large job graphs, many splits enumerated at submission or collect() results end up in the "
				  "client; in application mode this work moves into the JobManager");
		break;
	case FM_PROC_SQL_GATEWAY:
		rc = explain(r, "%s in the SQL gateway process, not in the cluster", k);
		/* env.java.opts.sql-gateway came with 1.19 (FLINK-33203) */
		if (!rc)
			rc = p && p->order < 1200
				     ? extra(r, "FLINK_ENV_JAVA_OPTS in the environment of sql-gateway.sh: %s (this release has "
					     "no gateway-only key; env.java.opts.all would size every Flink process)", flag)
				     : extra(r, "env.java.opts.sql-gateway: %s; or FLINK_ENV_JAVA_OPTS for the gateway's JVM", flag);
		break;
	case FM_PROC_HISTORY:
		rc = explain(r, "%s in the history server (it loads archived jobs), not in the cluster", k);
		if (!rc)
			rc = extra(r, "env.java.opts.historyserver: %s; historyserver.archive.retained-jobs limits what it holds",
				   flag);
		break;
	case FM_PROC_JOB_SERVER:
		rc = explain(r, "%s in Beam's Flink job server, not in the cluster", k);
		if (!rc)
			rc = extra(r, "the job server container's JVM: -Xmx and the pod's resources.limits.memory");
		break;
	case FM_PROC_OPERATOR:
		rc = explain(r, "%s in the Flink Kubernetes operator's pod, not in a Flink cluster", k);
		if (!rc)
			rc = extra(r, "the operator Deployment's resources.limits.memory (Helm: operatorPod.resources) and its "
				   "JVM heap (jvmArgs.operator)");
		break;
	case FM_PROC_SUBMITTER:
		rc = explain(r, "%s in the job-submitter pod (it runs the client that submits the job), not in the cluster",
			     k);
		if (!rc)
			rc = extra(r, "the submitter pod's resources.limits.memory and its client JVM heap "
				   "(env.java.opts.client: -Xmx...)");
		break;
	default:
		/* the NodeManager's policy is the same for every application */
		if (inc->failure == FM_F_YARN && inc->vmem)
			rc = yarn_vmem_policy(r);
		if (!rc && inc->sidecar)
			rc = explain(r, "%s in a sidecar container of the Flink pod (its own block in the description, not "
				     "Flink's container): that container's own memory limit was reached, so no Flink key helps; "
				     "raise the sidecar's resources.limits.memory (its injector's or the pod template's setting)",
				     k);
		else if (!rc && inc->victim[0])
			rc = explain(r, "%s killed %s, a program that is neither a JVM nor a Python worker, so no Flink key "
				     "helps: raise that program's memory limit (a sidecar's container, another service) or "
				     "find what grew in it; when the whole machine ran low, what runs on it needs more than it "
				     "has", node_killer(inc), inc->victim);
		else if (!rc && inc->sig && (!strcmp(inc->sig->id, "SYSTEMD_OOMD_KILL") ||
					     !strcmp(inc->sig->id, "SYSTEMD_UNIT_OOM")))
			rc = explain(r, "%s in a systemd unit that is not Flink's (its name says neither flink, taskmanager "
				     "nor jobmanager): that unit's memory, not Flink's", k);
		else if (!rc)
			rc = explain(r, "%s in a process that shows no sign of Flink (no Flink logger, class, entrypoint, pod "
				     "label or container name): other JVM systems print the same texts, so no Flink key is "
				     "proposed; if it was a Flink process, give its log, name the file after it "
				     "(taskmanager.log, jobmanager.log) or pass --process taskmanager and the fix follows",
				     k);
		break;
	}
	return rc;
}

/* A fix is healthy or not shown: keys it makes redundant go, a total the
 * config sets grows until every component keeps its floor, check's own
 * fixes are taken; the pinned variant may not grow, so when it stays
 * unhealthy it is dropped with the reason. */
static int heal(fm_remedy *r, const fm_conf *base, const fm_profile *p)
{
	fm_derive_env env = {NULL, NULL};
	static const char *const what[] = {"the fix", "inside the current process size, the change"};
	for (int k = 0; k < 2; k++) {
		bool *has = k ? &r->has_pinned : &r->has_fix;
		fm_plan *pl = k ? &r->pinned : &r->fix;
		if (!*has || (r->jm ? pl->after_jm.outcome == FM_FLINK_ERROR : pl->after_tm.outcome != FM_DERIVED))
			continue;
		if (fm_plan_heal(pl, base, p, &env, k == 0))
			return FM_ENOMEM;
		if (pl->feasible)
			continue;
		fm_floors fl;
		fm_health_floors(pl->after, p, &fl);
		const char *skip[FM_H_COUNT];
		size_t ns = fm_health_user_set(pl->after, skip, FM_H_COUNT);
		int64_t have = 0;
		const fm_health_floor *v =
			fm_health_violation(&fl, pl->after_tm.outcome == FM_DERIVED ? &pl->after_tm.l : NULL,
					    pl->after_jm.outcome == FM_DERIVED ? &pl->after_jm.l : NULL, skip, ns, &have);
		fm_findings bad = {0};
		if (!v && fm_health_lint(pl->after, base, p, &env, 0, &bad))
			return FM_ENOMEM;
		int rc = v ? note(r, "%s would leave %s at %lld bytes, under its floor of %lld (%s): not shown", what[k],
				  v->component, (long long)have, (long long)v->bytes, v->why)
			   : note(r, "%s would bring a new check finding (%s: %s): not shown", what[k],
				  bad.n ? bad.v[0].rule->id : "?", bad.n ? bad.v[0].message : "?");
		fm_findings_release(&bad);
		fm_plan_release(pl);
		*has = false;
		if (rc)
			return rc;
	}
	return FM_OK;
}

int fm_remedy_for(const fm_incident *inc, const fm_analysis *a, const fm_recovered *rec, const fm_conf *base,
		  const fm_conf *user, const fm_profile *p, fm_remedy *out)
{
	*out = (fm_remedy){0};
	int rc = FM_OK;
	if (fm_process_outside(inc->proc) || inc->outside) {
		rc = remedy_outside(out, inc, p);
		if (rc)
			fm_remedy_release(out);
		return rc;
	}
	if (inc->failure == FM_F_CONFIG) {
		/* check's profiles start at 1.10: a release before it gets the
		 * message's own key instead */
		bool legacy = (a && a->legacy_keys) || (inc->sig && !strncmp(inc->sig->id, "CFG_LEGACY_", 11));
		/* the shuffle service's own check at start: its message gives the
		 * least size ("... to at least N bytes") */
		bool shuffle = inc->sig && !strcmp(inc->sig->id, "CFG_BATCH_SHUFFLE_BELOW_SEGMENT");
		rc = explain(out, "Flink rejected the memory configuration at start (%s): the process never ran.%s",
			     inc->sig ? inc->sig->what : "invalid configuration",
			     legacy ? " The keys below are the model before 1.10, which `flinkmem check` does not cover."
			     : shuffle ? ""
				       : " Run `flinkmem check -c <config>` for the exact fix.");
		const char *least = shuffle && inc->nev && inc->ev[0].text ? strstr(inc->ev[0].text, "to at least ") : NULL;
		if (!rc && least) {
			int64_t b = 0;
			for (least += 12; *least >= '0' && *least <= '9' && b < (INT64_C(1) << 50); least++)
				b = b * 10 + (*least - '0');
			char v[32];
			fm_size_text(v, sizeof v, round_up(b > 64 * MIB ? b : 64 * MIB, MIB));
			rc = extra(out, "taskmanager.memory.framework.off-heap.batch-shuffle.size: %s (at least one network buffer "
				   "of taskmanager.memory.segment-size; Flink's default is 64m, within framework off-heap memory)",
				   v);
		}
		/* (a placeholder such as "(the named key)" is no key: named_key
		 * finds it in the message) */
		if (!rc && inc->sig && inc->sig->fix_keys && inc->sig->fix_keys[0] != '(') {
			/* only the failing side's keys */
			const char *other = inc->proc == FM_PROC_JM ? "taskmanager." : inc->proc == FM_PROC_TM ? "jobmanager." : NULL;
			fm_buf kb = FM_BUF_INIT;
			const char *k = inc->sig->fix_keys;
			while (*k && !rc) {
				const char *e = strchr(k, ',');
				size_t n = e ? (size_t)(e - k) : strlen(k);
				if (!other || strncmp(k, other, strlen(other)))
					rc = fm_buf_addf(&kb, "%s%.*s", kb.len ? ", " : "", (int)n, k);
				k += n + (e ? 1 : 0);
			}
			if (!rc && kb.len)
				rc = note(out, "keys involved: %s", kb.data);
			fm_buf_release(&kb);
		}
		if (!rc && user) {
			rc = lint_advice(out, user, p, inc->proc == FM_PROC_JM);
			if (!rc)
				rc = heal(out, user, p);
			goto done;
		}
		bool done = false;
		if (!rc)
			rc = named_key(out, inc, &done);
		if (!rc && !done)
			rc = config_from_message(out, inc, a, p, &done);
		if (rc || done)
			goto done;
		/* nothing configured: the size Flink ships, re-derived from an empty config */
		if (!rc && inc->sig && (!strcmp(inc->sig->id, "CFG_REQUIRED") ||
					!strcmp(inc->sig->id, "CFG_METASPACE_OVERHEAD_EXCEED"))) {
			fm_conf *empty = fm_conf_new();
			if (!empty)
				return FM_ENOMEM;
			bool jm = inc->proc == FM_PROC_JM;
			const char *key = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
			const char *val = jm ? "1600m" : p->shipped_tm_process;
			fm_derive_env env = {NULL, NULL};
			rc = fm_plan_whatif(empty, p, &env, &key, &val, 1, &out->fix);
			fm_conf_free(empty);
			if (!rc) {
				out->has_fix = true;
				out->jm = jm;
				out->from_empty = true;
				rc = note(out, "the config file was probably not read (wrong name or directory for this release) or "
					  "sets only keys of the old memory model; %s is the size Flink ships", key);
			/* the input does not say which side failed: the other side's
			 * shipped size too */
			if (!rc && inc->proc != FM_PROC_TM && inc->proc != FM_PROC_JM)
				rc = extra(out, "jobmanager.memory.process.size: 1600m (Flink's shipped JobManager size, when it was "
					   "the JobManager that failed)");
			}
		}
		goto done;
	}
	fm_derive_env env = {NULL, NULL};
	if (inc->failure == FM_F_YARN && inc->vmem) {
		/* a NodeManager policy for every process and release: no layout
		 * is involved */
		out->jm = inc->proc == FM_PROC_JM;
		rc = explain(out, "YARN killed the %scontainer for virtual memory: a NodeManager policy, not a Flink "
			     "budget (the JVM reserves far more address space than it uses)",
			     out->jm ? "JobManager's " : "");
		if (!rc)
			rc = yarn_vmem_policy(out);
	} else if (inc->proc == FM_PROC_JM && !p->has_jm) {
		rc = jm_before_111(out, inc, rec, base);
	} else if (inc->proc == FM_PROC_JM) {
		fm_jm_result j;
		if (fm_derive_jm(base, p, &env, &j) != FM_OK)
			return FM_ENOMEM;
		if (j.outcome == FM_DERIVED)
			rc = remedy_jm(out, inc, a, base, p, &j.l);
		else
			rc = explain(out, "the JobManager layout could not be derived from the available configuration");
		fm_jm_result_release(&j);
	} else {
		fm_tm_result t;
		if (fm_derive_tm(base, p, &env, &t) != FM_OK)
			return FM_ENOMEM;
		if (t.outcome == FM_DERIVED)
			rc = remedy_tm(out, inc, a, rec, base, p, &t.l);
		else
			rc = explain(out, "the TaskManager layout could not be derived from the available configuration: %s",
				     t.err.n ? t.err.v[0].msg : "unknown error");
		fm_tm_result_release(&t);
	}
	if (!rc)
		rc = next_failure(out);
	if (!rc)
		rc = heal(out, base, p);
	if (!rc)
		rc = legacy_advice(out, inc, a);
	if (!rc)
		rc = producer_alternatives(out, inc, base, p);
	/* never show a fix Flink would reject: say what was tried and why it fails */
	if (!rc && out->has_fix &&
	    (out->jm ? out->fix.after_jm.outcome == FM_FLINK_ERROR : out->fix.after_tm.outcome == FM_FLINK_ERROR)) {
		const fm_jchain *e = out->jm ? &out->fix.after_jm.err : &out->fix.after_tm.err;
		fm_buf tried = FM_BUF_INIT;
		for (size_t i = 0; i < out->fix.nchanges && !rc; i++)
			rc = fm_buf_addf(&tried, "%s%s: %s", i ? ", " : "", out->fix.changes[i].key,
					 out->fix.changes[i].to ? out->fix.changes[i].to : "(removed)");
		if (!rc)
			rc = note(out, "no fix shown: on this config the change (%s) is rejected by Flink (%s); adjust the "
				  "conflicting keys by hand or run flinkmem plan",
				  tried.data ? tried.data : "", e && e->n ? e->v[0].msg : "derivation failed");
		fm_buf_release(&tried);
		fm_plan_release(&out->fix);
		out->has_fix = false;
	}
done:
	if (!rc && out->has_fix)
		out->fix_ok = out->jm ? out->fix.after_jm.outcome != FM_FLINK_ERROR : out->fix.after_tm.outcome == FM_DERIVED;
	if (!rc && out->has_pinned)
		out->pinned_ok = out->jm ? out->pinned.after_jm.outcome != FM_FLINK_ERROR
					 : out->pinned.after_tm.outcome == FM_DERIVED;
	if (rc)
		fm_remedy_release(out);
	return rc;
}

void fm_remedy_release(fm_remedy *r)
{
	if (!r)
		return;
	free(r->explanation);
	if (r->has_fix)
		fm_plan_release(&r->fix);
	if (r->has_pinned)
		fm_plan_release(&r->pinned);
	for (size_t i = 0; i < r->nextra; i++)
		free(r->changes_extra[i]);
	free(r->changes_extra);
	for (size_t i = 0; i < r->nnotes; i++)
		free(r->notes[i]);
	free(r->notes);
	*r = (fm_remedy){0};
}
