/* remedy — one fix per failure kind; see include/flinkmem/remedy.h.
 * Sizes are proposed in whole MiB (64 MiB steps for growth), every layout
 * shown comes from fm_plan_whatif, i.e. from the derivation engine. */
#include "flinkmem/remedy.h"

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

static int64_t max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
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
} change;

static int run(const fm_conf *base, const fm_profile *p, const change *ch, bool grow, int64_t process_before,
	       fm_plan *out)
{
	const char *keys[4];
	char vals[4][32];
	const char *vp[4];
	size_t n = 0;
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
	return fm_plan_whatif(base, p, &env, keys, vp, n, out);
}

static bool has_process_key(const fm_conf *c, bool jm)
{
	return fm_conf_has(c, jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size");
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
	if (r->jm)
		return FM_OK;
	const fm_tm_layout *a = &pl->before_tm.l, *b = &pl->after_tm.l;
	struct { const char *name; int64_t d; const char *next; } c[] = {
		{"task heap", b->task_heap - a->task_heap, "heap (java.lang.OutOfMemoryError: Java heap space)"},
		{"managed memory", b->managed - a->managed, "managed-memory (RocksDB / batch operators run short)"},
		{"network memory", b->network - a->network, "network-buffers (Insufficient number of network buffers)"},
		{"JVM overhead", b->overhead - a->overhead, "a container kill (native memory outgrows the overhead)"},
		{"task off-heap", b->task_off_heap - a->task_off_heap, "direct (Direct buffer memory)"},
	};
	size_t worst = SIZE_MAX;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		if (c[i].d < 0 && (worst == SIZE_MAX || c[i].d < c[worst].d))
			worst = i;
	if (worst == SIZE_MAX)
		return FM_OK;
	char h[FM_SIZE_HUMAN_MAX];
	human(h, -c[worst].d);
	return note(r, "if the process size must stay %lld bytes, %s shrinks by %s instead: the failure most likely to "
		    "come next is %s",
		    (long long)a->total_process, c[worst].name, h, c[worst].next);
}


/* What a kill or native failure is, in words: a kubelet eviction (the node
 * ran low; the pod is stopped and marked Evicted, no OOMKilled) is not a
 * cgroup OOM kill (the kernel kills the container at its own limit). */
static const char *kill_what(const fm_incident *inc)
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
	if (inc->node_level)
		return "the kernel OOM killer acted because the whole node ran out of memory (a system OOM, not the "
		       "container's own limit)";
	if (inc->failure == FM_F_ROCKSDB)
		return "RocksDB's native allocation failed";
	if (inc->failure == FM_F_K8S)
		return "the kernel OOM killer killed the container at its cgroup memory limit (OOMKilled, exit 137): "
		       "its resident memory outgrew the limit";
	return "the container was killed for exceeding its memory limit";
}

/* The -Xmx a TaskManager gets from the config's JVM options (the
 * TaskManager's own key comes after env.java.opts.all on the command line,
 * and the last flag wins); -1 when none. */
static int64_t conf_xmx(const fm_conf *c)
{
	static const char *const keys[] = {"env.java.opts", "env.java.opts.all", "env.java.opts.taskmanager"};
	int64_t v = -1;
	for (size_t i = 0; i < 3; i++) {
		const fm_entry *e = fm_conf_find(c, keys[i]);
		for (const char *p = e ? e->text : NULL; p && *p;) {
			p += strspn(p, " \t\"");
			size_t n = strcspn(p, " \t\"");
			if (n > 4 && !strncmp(p, "-Xmx", 4)) {
				int64_t b = fm_jvm_size(p + 4, n - 4);
				if (b > 0)
					v = b;
			}
			p += n;
		}
	}
	return v;
}

static int remedy_tm(fm_remedy *r, const fm_incident *inc, const fm_analysis *a, const fm_recovered *rec,
		     const fm_conf *base, const fm_profile *p, const fm_tm_layout *l)
{
	char h1[FM_SIZE_HUMAN_MAX], h2[FM_SIZE_HUMAN_MAX], h3[FM_SIZE_HUMAN_MAX], h4[FM_SIZE_HUMAN_MAX];
	change ch = {0};
	int rc = FM_OK;
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
			     overridden ? " A JVM flag overrides Flink's -Xmx: the heap that ran out was " : "",
			     overridden ? h4 : "",
			     overridden ? ", so the fix gives Flink's own keys a larger heap than that." : "");
		if (!rc && overridden)
			rc = extra(r, "env.java.opts.taskmanager / env.java.opts.all / FLINK_ENV_JAVA_OPTS: remove -Xmx and -Xms "
				   "(they override the heap Flink computes)");
		if (rc)
			return rc;
		ch = (change){{"taskmanager.memory.task.heap.size"}, {fm_size_add_sat(l->task_heap, delta)}, 1, delta, true, false};
		/* a config that derives the task heap as remainder grows it via the
		 * process size: the smallest size whose heap reaches the target */
		if (!fm_conf_has(base, "taskmanager.memory.task.heap.size") &&
		    (fm_conf_has(base, "taskmanager.memory.process.size") || fm_conf_has(base, "taskmanager.memory.flink.size"))) {
			fm_goal g = {"task-heap", FM_GOAL_GE, round_up(fm_size_add_sat(l->task_heap, delta), MIB)};
			fm_derive_env env = {NULL, NULL};
			if (fm_plan_goals(base, p, &env, &g, 1, 0, &r->fix))
				return FM_ENOMEM;
			r->has_fix = true;
			r->jm = false;
		} else if ((rc = plan_change(r, base, p, &ch, l->total_process))) {
			return rc;
		}
		/* pinned: the heap can only come from managed memory */
		if (r->has_pinned) {
			fm_plan_release(&r->pinned);
			r->has_pinned = false;
		}
		if (l->managed > 0 && has_process_key(base, false) && a->rocksdb_managed < 0 &&
		    !(rec && rec->rocksdb_backend) && failed <= l->jvm_heap) {
			int64_t m = l->managed > delta ? (l->managed - delta) / MIB * MIB : 0;
			change pin = {{"taskmanager.memory.managed.size"}, {m}, 1, 0, true, false};
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
		bool framework = inc->netty_shaded || (inc->sig && !strcmp(inc->sig->id, "BATCH_SHUFFLE_READ_TIMEOUT"));
		int64_t need = 0;
		if (inc->sig && !strcmp(inc->sig->id, "OOM_DIRECT_JDK17") && inc->nnum >= 1)
			need = inc->num[0];
		if (inc->sig && !strcmp(inc->sig->id, "NETTY_DIRECT_OOM") && inc->nnum >= 1)
			need = inc->num[0];
		int64_t cur = framework ? l->framework_off_heap : l->task_off_heap;
		int64_t delta = round_up(max64(framework ? 128 * MIB : 256 * MIB, need), STEP);
		human(h1, l->task_off_heap);
		human(h2, l->framework_off_heap);
		human(h3, l->network);
		human(h4, l->jvm_direct);
		rc = explain(r, "direct memory ran out: the limit (-XX:MaxDirectMemorySize) is %s = framework off-heap %s + "
			     "task off-heap %s + network %s; network is allocated at start, so %s and connectors share the "
			     "off-heap parts.%s",
			     h4, h2, h1, h3,
			     framework ? "Flink's own (shaded) Netty" : "user code",
			     !framework && l->task_off_heap == 0 ? " Task off-heap is 0, so any direct buffer of user code "
								   "or a connector overflows it." : "");
		if (rc)
			return rc;
		ch = (change){{framework ? "taskmanager.memory.framework.off-heap.size" : "taskmanager.memory.task.off-heap.size"},
			      {fm_size_add_sat(cur, delta)}, 1, delta, true, false};
		if (inc->sig && !strcmp(inc->sig->id, "BATCH_SHUFFLE_READ_TIMEOUT")) {
			int64_t bs = fm_conf_bytes(base, "taskmanager.memory.framework.off-heap.batch-shuffle.size");
			ch.keys[1] = "taskmanager.memory.framework.off-heap.batch-shuffle.size";
			ch.to[1] = fm_size_add_sat(bs > 0 ? bs : 64 * MIB, delta);
			ch.n = 2;
		}
		rc = plan_change(r, base, p, &ch, l->total_process);
		return rc ? rc : note(r, "if direct memory keeps growing after this, look for a direct-memory leak "
				      "(unreleased ByteBuffers/Netty buffers in a connector)");
	}
	case FM_F_METASPACE: {
		bool leak = a->leak_hints > 0 || a->restarts >= 3 || a->submissions >= 2;
		int64_t target = l->metaspace < 512 * MIB ? 512 * MIB : round_up(fm_size_add_sat(l->metaspace, 256 * MIB), STEP);
		human(h1, rec && rec->tm_meta_override >= 0 ? rec->tm_meta_override : l->metaspace);
		rc = explain(r, "JVM metaspace (%s%s) is full of loaded classes. %s", h1,
			     rec && rec->tm_meta_override >= 0 ? ", set by a JVM option that overrides Flink's" : "",
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
		if (!rc && rec && rec->tm_meta_override >= 0)
			rc = extra(r, "env.java.opts.taskmanager: remove -XX:MaxMetaspaceSize (it overrides Flink's)");
		ch = (change){{"taskmanager.memory.jvm-metaspace.size"}, {target}, 1, target - l->metaspace, false, false};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	case FM_F_NETWORK: {
		int64_t seg = rec && rec->segment_size > 0 ? rec->segment_size : 32768;
		int64_t cur = l->network, target;
		if (inc->sig && !strcmp(inc->sig->id, "NET_INSUFFICIENT") && inc->nnum >= 2) {
			/* numbers read from the log, signed there: counts are >= 0 */
			int64_t req = max64(inc->num[0], 0), avail = max64(inc->num[1], 0);
			int64_t total = inc->nnum >= 4 ? max64(inc->num[2], 0) : cur / seg;
			if (inc->nnum >= 4 && inc->num[3] > 0)
				seg = inc->num[3];
			target = round_up(fm_size_mul_sat(fm_size_add_sat(total, req > avail ? req - avail : 0), seg), MIB);
			human(h1, fm_size_mul_sat(total, seg));
			human(h2, target);
			rc = explain(r, "a task needed %lld network buffers but only %lld were free: the TaskManager has %lld "
				     "buffers of %lld bytes (%s). %lld more buffers make %s.",
				     (long long)req, (long long)avail, (long long)total, (long long)seg, h1,
				     (long long)(req - avail), h2);
		} else {
			target = round_up(fm_size_add_sat(cur, max64(cur / 2, 64 * MIB)), MIB);
			human(h1, cur);
			rc = explain(r, "network buffers ran short (network memory %s)%s", h1,
				     a->net_usage_high ? "; the pool also reported high usage" : "");
		}
		if (rc)
			return rc;
		ch = (change){{"taskmanager.memory.network.min", "taskmanager.memory.network.max"}, {target, target}, 2,
			      target - cur, true, false};
		rc = plan_change(r, base, p, &ch, l->total_process);
		return rc ? rc : note(r, "or reduce the demand: fewer slots per TaskManager, lower parallelism of "
				      "all-to-all exchanges, or (batch) a smaller "
				      "taskmanager.network.memory.read-buffer.required-per-gate.max");
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
		if (inc->sig && !strcmp(inc->sig->id, "MANAGED_ZERO_FRACTION")) {
			rc = explain(r, "an operator asked for managed memory, but its consumer type has weight 0 in "
				     "taskmanager.memory.managed.consumer-weights, so its share is 0 whatever the size (%s)", h1);
			if (!rc)
				rc = extra(r, "taskmanager.memory.managed.consumer-weights: OPERATOR:70,STATE_BACKEND:70,PYTHON:30 "
					   "(Flink's default; every consumer the job uses needs a weight > 0)");
			return rc;
		}
		if (fm_conf_has(base, "taskmanager.memory.managed.consumer-weights"))
			rc = note(r, "taskmanager.memory.managed.consumer-weights is set: consumers it leaves out "
				  "(STATE_BACKEND, OPERATOR, PYTHON) get no managed memory");
		ch = (change){{"taskmanager.memory.managed.size"}, {l->managed + delta}, 1, delta, true, false};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	case FM_F_ROCKSDB:
	case FM_F_K8S:
	case FM_F_YARN:
	case FM_F_NATIVE_MEMORY:
	case FM_F_NATIVE_THREAD: {
		if (inc->failure == FM_F_YARN && inc->vmem) {
			rc = explain(r, "YARN killed the container for virtual memory: a NodeManager policy, not a Flink "
				     "budget (the JVM reserves far more address space than it uses)");
			if (!rc)
				rc = extra(r, "yarn.nodemanager.vmem-check-enabled: false (yarn-site.xml)");
			return rc ? rc : extra(r, "yarn.nodemanager.vmem-pmem-ratio: 5 (yarn-site.xml, if the check must stay)");
		}
		int64_t heap = l->jvm_heap, direct = l->jvm_direct, meta = l->metaspace;
		int64_t headroom = l->total_process - heap - direct - meta;
		human(h1, l->total_process);
		human(h2, headroom);
		human(h3, l->overhead);
		human(h4, l->managed);
		const char *what = kill_what(inc);
		rc = explain(r, "%s. Native headroom = container %s - heap - direct - metaspace = %s (managed %s + JVM "
			     "overhead %s); RocksDB beyond its managed budget, glibc malloc arenas, thread stacks, JNI "
			     "and Python workers must fit there.",
			     what, h1, h2, h4, h3);
		if (rc)
			return rc;
		if (a->rocksdb_managed == 0)
			rc = extra(r, "state.backend.rocksdb.memory.managed: true (RocksDB runs outside Flink's budget: "
				   "managed=false in the log)");
		if (!rc && inc->failure == FM_F_NATIVE_THREAD)
			rc = note(r, "too many threads is the other cause: check slots x connector threads, leaked "
				  "executors and the container's pids limit");
		if (!rc && inc->failure == FM_F_K8S)
			rc = note(r, "keep kubernetes.taskmanager.memory.limit-factor at 1.0 unless the gap above the "
				  "request is budgeted; with glibc, containerized.taskmanager.env.MALLOC_ARENA_MAX: 1 limits "
				  "allocator arenas (official images preload jemalloc)");
		if (!rc && inc->node_level)
			rc = note(r, "node-level: give pods memory requests equal to their limits so the scheduler does not "
				  "over-commit the node");
		int64_t target = round_up(fm_size_add_sat(l->overhead, max64(256 * MIB, l->total_process / 10)), STEP);
		ch = (change){{"taskmanager.memory.jvm-overhead.min", "taskmanager.memory.jvm-overhead.max"},
			      {target, target}, 2, target - l->overhead, false, false};
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
		if (fm_conf_has(base, "jobmanager.memory.heap.size"))
			ch = (change){{"jobmanager.memory.heap.size"}, {fm_size_add_sat(l->jvm_heap, delta)}, 1, delta, true, true};
		else
			ch = (change){{0}, {0}, 0, delta, true, true};
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
		ch = (change){{"jobmanager.memory.jvm-metaspace.size"}, {target}, 1, target - l->metaspace, false, true};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	case FM_F_DIRECT: {
		human(h1, l->off_heap);
		human(h2, fm_size_add_sat(l->off_heap, 128 * MIB));
		rc = explain(r, "JobManager direct memory (off-heap %s) ran out", h1);
		ch = (change){{"jobmanager.memory.off-heap.size"}, {round_up(fm_size_add_sat(l->off_heap, 128 * MIB), STEP)}, 1,
			      round_up(fm_size_add_sat(l->off_heap, 128 * MIB), STEP) - l->off_heap, true, true};
		return rc ? rc : plan_change(r, base, p, &ch, l->total_process);
	}
	case FM_F_K8S:
	case FM_F_YARN:
	case FM_F_NATIVE_MEMORY:
	case FM_F_NATIVE_THREAD: {
		human(h1, l->total_process);
		human(h2, l->overhead);
		rc = explain(r, "the JobManager container (%s) was killed or ran out of native memory; JVM overhead is %s. "
			     "The JobManager's direct memory is unlimited by default, so a direct leak ends here too.", h1,
			     h2);
		int64_t target = round_up(fm_size_add_sat(l->overhead, 256 * MIB), STEP);
		ch = (change){{"jobmanager.memory.jvm-overhead.min", "jobmanager.memory.jvm-overhead.max"},
			      {target, target}, 2, target - l->overhead, false, true};
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
		if (x->severity != FM_SEV_ERROR)
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

/* A process outside the cluster: its own fix, never a TaskManager's or the
 * JobManager's layout. */
static int remedy_outside(fm_remedy *r, const fm_incident *inc)
{
	const char *k = fm_failure_name(inc->failure);
	int rc = FM_OK;
	switch (inc->proc) {
	case FM_PROC_CLIENT:
		rc = explain(r, "%s in the Flink client (the CLI, SQL client or PyFlink driver that submits the job), not in "
			     "a TaskManager or the JobManager: the cluster's memory is not involved",
			     k);
		if (!rc)
			rc = extra(r, "env.java.opts.client: -Xmx2g (the client JVM's heap; FLINK_ENV_JAVA_OPTS for one run)");
		if (!rc)
			rc = note(r, "large job graphs, many splits enumerated at submission or collect() results end up in the "
				  "client; in application mode this work moves into the JobManager");
		break;
	case FM_PROC_SQL_GATEWAY:
		rc = explain(r, "%s in the SQL gateway process, not in the cluster", k);
		if (!rc)
			rc = extra(r, "env.java.opts.sql-gateway: -Xmx2g (or FLINK_ENV_JAVA_OPTS for the gateway's JVM)");
		break;
	case FM_PROC_HISTORY:
		rc = explain(r, "%s in the history server (it loads archived jobs), not in the cluster", k);
		if (!rc)
			rc = extra(r, "env.java.opts.historyserver: -Xmx2g; historyserver.archive.retained-jobs limits what it holds");
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
		rc = explain(r, "%s in a process that shows no sign of Flink (no Flink logger, class, entrypoint, pod label "
			     "or container name): other JVM systems print the same texts, so no Flink key is proposed",
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
		rc = remedy_outside(out, inc);
		if (rc)
			fm_remedy_release(out);
		return rc;
	}
	if (inc->failure == FM_F_CONFIG) {
		rc = explain(out, "Flink rejected the memory configuration at start (%s): the process never ran. Run "
			     "`flinkmem check -c <config>` for the exact fix.",
			     inc->sig ? inc->sig->what : "invalid configuration");
		if (!rc && inc->sig && inc->sig->fix_keys) {
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
		/* nothing configured: the size Flink ships, re-derived from an empty config */
		if (!rc && inc->sig && !strcmp(inc->sig->id, "CFG_REQUIRED")) {
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
			}
		} else if (!rc && inc->sig && !strcmp(inc->sig->id, "CFG_FILE_MISSING")) {
			rc = extra(out, "conf/config.yaml: provide it (2.x reads only config.yaml; bin/migrate-config-file.sh "
				   "converts a flink-conf.yaml)");
		}
		goto done;
	}
	fm_derive_env env = {NULL, NULL};
	if (inc->proc == FM_PROC_JM) {
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
