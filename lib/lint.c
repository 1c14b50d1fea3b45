/* lint — rules for `flinkmem check`; see include/flinkmem/lint.h.
 *
 * Two kinds of rules. "Flink rejects": run the derivation; on failure,
 * report Flink's exception at the key responsible, search the smallest
 * change that makes the derivation succeed (re-deriving every candidate),
 * apply it and derive again, so independent problems are all reported.
 * "Traps": settings Flink accepts that hurt; each a small function over the
 * config and, where needed, the derived layout. */
#include "flinkmem/lint.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/buf.h"
#include "flinkmem/conf_k8s.h"
#include "flinkmem/health.h"
#include "flinkmem/logconf.h"
#include "flinkmem/memsize.h"
#include "flinkmem/plan.h"

static const fm_rule_doc rules[] = {
	{"FM001", "flink-rejects-taskmanager", FM_SEV_ERROR, "Flink refuses to start the TaskManager with this configuration",
	 "The TaskManager memory derivation fails: the start script (or the resource manager) throws the exception shown and "
	 "no TaskManager starts. The fix shown is the smallest change found that makes Flink's own derivation succeed, "
	 "re-derived by flinkmem with all your other settings."},
	{"FM002", "flink-rejects-jobmanager", FM_SEV_ERROR, "Flink refuses to start the JobManager with this configuration",
	 "The JobManager memory derivation fails: the JobManager does not start. The fix shown is the smallest change found "
	 "that makes Flink's own derivation succeed, re-derived with all your other settings."},
	{"FM003", "flink-cannot-load", FM_SEV_ERROR, "Flink cannot read the configuration file at all",
	 "Flink's configuration loader fails before any memory is computed (a YAML syntax error, a duplicate key, a key "
	 "with no value in config.yaml, a conf dir without the file the release reads): neither the JobManager nor a "
	 "TaskManager starts. The finding carries Flink's own exception and the position; no other rule runs on a file "
	 "Flink cannot load."},
	{"FM010", "size-without-unit", FM_SEV_WARNING, "a memory size without a unit is a number of bytes",
	 "Flink reads a size with no unit as bytes: `taskmanager.memory.process.size: 4096` is 4 KiB, not 4 GiB. Write the "
	 "unit (`4096m`, `4g`)."},
	{"FM011", "kubernetes-unit", FM_SEV_ERROR, "a Kubernetes quantity unit (Gi, Mi, ...) in a Flink size",
	 "Flink's size grammar knows b, k/kb, m/mb, g/gb, t/tb (all binary, case-insensitive); `2Gi` is rejected and `2G` "
	 "means 2 GiB (Kubernetes would read 2*10^9). Use `2g`."},
	{"FM012", "fraction-as-percentage", FM_SEV_ERROR, "a fraction written as a percentage",
	 "Memory fractions are numbers in [0, 1): `taskmanager.memory.managed.fraction: 40` or `40%` is rejected (or, where "
	 "the fraction is not read, silently ignored). Write `0.4`."},
	{"FM013", "fractional-size", FM_SEV_ERROR, "a size with a decimal point",
	 "Flink's size grammar takes whole numbers only: `1.5g` is rejected. Write `1536m`."},
	{"FM014", "line-ignored", FM_SEV_WARNING, "a flink-conf.yaml line that Flink skips",
	 "Flink's legacy flink-conf.yaml reader is not a YAML parser: a line needs `key: value` with a space after the "
	 "colon, and a line whose key or value is empty is skipped. Flink only logs a WARN and starts without the "
	 "setting, so `jobmanager.memory.process.size:1g` leaves the JobManager on its defaults (or fails for lack of "
	 "a size). Write `key: value`."},
	{"FM015", "key-set-twice", FM_SEV_WARNING, "a memory key written twice in one file: only the last counts",
	 "Flink keeps the last value a file gives a key and says nothing about the earlier one, in flink-conf.yaml and in "
	 "config.yaml alike (where `taskmanager: memory: process.size` nested and `taskmanager.memory.process.size` "
	 "flat are the same key). An edit to the earlier line, the one near the top a reader finds first, changes "
	 "nothing. The finding is on the line that does not count; delete the line you do not mean."},
	{"FM020", "unknown-memory-key", FM_SEV_WARNING, "a key Flink does not know, near its memory keys",
	 "Flink silently ignores keys it does not know, so a typo such as `taskmanager.memory.proces.size` means the setting "
	 "never applies. The closest real key is suggested: a character typo's, or the key a guide's shorthand stands for "
	 "(`taskmanager.memory.heap.size` for `taskmanager.memory.task.heap.size`, `metaspace` for `jvm-metaspace`)."},
	{"FM021", "foreign-key", FM_SEV_WARNING, "a key from another system",
	 "Keys of Spark, YARN, Kubernetes or JVM flags written as keys have no effect in Flink's configuration."},
	{"FM030", "deprecated-key", FM_SEV_WARNING, "a deprecated key",
	 "The key still works in this release as a fallback of its replacement (Flink logs a WARN), and only while the "
	 "replacement is unset. Some are gone in Flink 2.x (the message says which); the network keys "
	 "taskmanager.network.memory.min/max/fraction are still read by 2.x. Use the replacement key."},
	{"FM031", "removed-key", FM_SEV_WARNING, "a key this release no longer reads",
	 "The key has no effect in this release: the setting is silently ignored."},
	{"FM032", "legacy-heap-remapped", FM_SEV_WARNING, "the legacy heap size becomes the total Flink memory",
	 "Flink 1.x start scripts map `taskmanager.heap.size` / `.heap.mb` / FLINK_TM_HEAP to `taskmanager.memory.flink.size` "
	 "(and the JobManager ones to `jobmanager.memory.heap.size`) when that key is not set, even if a process size is set: "
	 "the old 'heap' value becomes the whole Flink memory. Set the new keys instead."},
	{"FM033", "key-newer-than-release", FM_SEV_WARNING, "a key this release does not read yet",
	 "The key was added in a later Flink release; this one silently ignores it, so the setting never applies "
	 "(a config copied from newer docs onto an older cluster). Upgrade Flink, or use what this release reads."},
	{"FM040", "ignored-fraction", FM_SEV_WARNING, "a fraction that is ignored because a size wins",
	 "An explicit size beats a fraction: `managed.size` makes `managed.fraction` unused, equal network min and max fix the "
	 "network size, and with both process and flink size the JVM overhead is the difference."},
	{"FM041", "both-totals", FM_SEV_WARNING, "both total process and total Flink memory are set",
	 "With both set, Flink derives everything from the Flink size and the JVM overhead is process - flink - metaspace, "
	 "which must lie in the overhead range. Set only one of them."},
	{"FM043", "min-greater-than-max", FM_SEV_ERROR, "a minimum larger than its maximum",
	 "A min above its max makes Flink reject the configuration whenever that range is used."},
	{"FM044", "fraction-capped", FM_SEV_NOTE, "a fraction whose size its max cuts",
	 "Flink sizes the network memory and the JVM overhead as a fraction, then clamps the result to the component's "
	 "max and only logs an INFO ('The derived from fraction ... is greater than its max value ..., max value will be "
	 "used instead', ProcessMemoryUtils). A fraction raised past that point, as troubleshooting guides advise for "
	 "network buffers, changes nothing. The fix raises the max to what the fraction gives."},
	{"FM050", "jvm-memory-flag-in-java-opts", FM_SEV_ERROR, "a JVM memory flag in env.java.opts",
	 "Flink computes -Xmx, -Xms, -XX:MaxDirectMemorySize and -XX:MaxMetaspaceSize from its memory keys; a copy in "
	 "env.java.opts* comes later on the command line, and the JVM takes the last one, so the real limits differ from "
	 "Flink's budget (heap or metaspace over budget ends in an OOM kill in containers). Set the memory keys instead."},
	{"FM051", "java-opts-replaces-defaults", FM_SEV_NOTE, "setting env.java.opts replaces the flags Flink ships",
	 "The shipped config puts Java 17 --add-opens/--add-exports flags in env.java.opts.all (1.18+), and the scripts add "
	 "-XX:+UseG1GC only when no env.java.opts* is set. Keep the shipped flags when you set your own."},
	{"FM052", "jvm-flag-refused", FM_SEV_ERROR, "a JVM flag that current JDKs refuse",
	 "HotSpot drops flags in steps (deprecated, then obsolete: ignored with a warning, then expired): an expired flag "
	 "makes the JVM exit with 'Unrecognized VM option' before Flink starts. -XX:MaxPermSize and -XX:PermSize "
	 "(permanent generation, gone since JDK 8) are refused by JDK 17, the CMS flags by JDK 15, -XX:+UseParNewGC by "
	 "JDK 10. Flink 1.18+ and 2.x run on JDK 17 or 21. Remove the flag (source: the special_jvm_flags table of "
	 "OpenJDK's arguments.cpp)."},
	{"FM053", "jvm-size-invalid", FM_SEV_ERROR, "a JVM size flag whose value the JVM cannot read",
	 "HotSpot reads a size as a whole number with at most one unit letter (k, m, g or t, either case): `-Xss512kb`, "
	 "`-Xmn1.5g`, `-XX:ReservedCodeCacheSize=256mb` or a flag glued to the next by a quote (`-Xss1m\"-XX:...`) make "
	 "it print 'Invalid thread stack size' (maximum or initial heap, initial young generation size) or 'Improperly specified VM option' and exit before "
	 "Flink starts. Flink hands env.java.opts* to the JVM unchecked. Write the unit as one letter (source: atomull / "
	 "atojulong and the -X option parsing of OpenJDK's arguments.cpp, JDK 8 to 21)."},
	{"FM060", "managed-memory-unused", FM_SEV_WARNING, "managed memory reserved but nothing uses it",
	 "With a heap state backend (hashmap) in a streaming job, nothing uses managed memory: the reserved bytes are "
	 "wasted. Set taskmanager.memory.managed.fraction: 0 (or a small size) and give the memory to task heap."},
	{"FM061", "rocksdb-unmanaged", FM_SEV_WARNING, "RocksDB memory outside Flink's budget",
	 "With state.backend.rocksdb.memory.managed: false, RocksDB allocates native memory that no Flink component "
	 "accounts for; in a container this is the usual cause of OOM kills. Keep it true, or budget the memory in "
	 "JVM overhead. The same holds for 2.x's ForSt backend with state.backend.forst.memory.managed: false."},
	{"FM062", "task-heap-small", FM_SEV_WARNING, "the task heap is implausibly small",
	 "User code, state on the heap and records all live in the task heap; under 128 MiB (the floor `plan` and the "
	 "fixes keep, docs/health.md) `Java heap space` OOMs are likely."},
	{"FM063", "jvm-overhead-small", FM_SEV_WARNING, "the JVM overhead is small",
	 "Thread stacks, code cache, GC structures and native libraries live in the JVM overhead; under 192 MiB containers "
	 "are killed for exceeding their limit."},
	{"FM064", "jobmanager-heap-small", FM_SEV_WARNING, "the JobManager heap is under 128 MiB",
	 "Flink only logs a WARN, but the JobManager keeps the execution graph, checkpoints' metadata and the web UI on "
	 "its heap; below 128 MiB it runs out quickly."},
	{"FM065", "network-too-small-for-slots", FM_SEV_WARNING, "too few network buffers for the configured slots",
	 "Each slot's tasks need network buffers even at parallelism 1; with fewer buffers than that, jobs fail with "
	 "`Insufficient number of network buffers`."},
	{"FM066", "network-takes-the-rest", FM_SEV_WARNING, "a fixed task heap leaves the network far more than it needs",
	 "With taskmanager.memory.task.heap.size and a total size set (and managed memory as a fraction), Flink makes "
	 "the network the remainder of total Flink memory. Up to 1.16 a remainder above the network max (1g) is "
	 "rejected; from 1.17 the max is unbounded and the surplus silently becomes network buffers nothing uses, "
	 "while batch operators and RocksDB could use it as managed memory. The fix sets managed.size so that the "
	 "network gets the share its fraction gives."},
	{"FM067", "managed-memory-small-for-consumer", FM_SEV_WARNING,
	 "managed memory per slot is below what its consumer needs",
	 "RocksDB (state.backend.rocksdb.memory.managed, the default; 2.x's ForSt likewise), Python UDFs and batch "
	 "operators take their memory "
	 "from the slot's managed memory. Flink accepts any size, but RocksDB's default memtable is 64 MiB and Flink gives "
	 "write buffers half of the budget, so under 128 MiB per slot a RocksDB slot flushes tiny files and thrashes its "
	 "block cache; Python workers need room for the interpreter and Arrow batches, batch operators spill early. "
	 "The fix grows the total (or managed.size) to the health floor; running fewer slots per TaskManager works too."},
	{"FM068", "rocksdb-fixed-per-slot", FM_SEV_WARNING,
	 "RocksDB's fixed-per-slot memory is outside the memory budget or too small",
	 "With state.backend.rocksdb.memory.fixed-per-slot, RocksDB's shared cache and write buffers are allocated as an "
	 "external resource of the slot, not from managed memory (RocksDBOperationUtils.allocateSharedCachesIfConfigured "
	 "asks the MemoryManager for an external shared resource), so slots x fixed-per-slot of native memory comes on top "
	 "of the process size, while the managed memory Flink reserves sits idle. Flink's docs leave it to the user to "
	 "make sure that memory exists outside the JVM; in a container the process grows past its limit and is killed. "
	 "A budget under 128 MiB per slot starves RocksDB as managed memory would (FM067). The fix lets RocksDB use "
	 "managed memory of the same size, at least 128 MiB per slot (remove fixed-per-slot, set managed.size); "
	 "budgeting the bytes in the JVM overhead (jvm-overhead.min/max) works too for a large enough budget. 2.x's ForSt "
	 "backend takes state.backend.forst.memory.fixed-per-slot by the same rules."},
	{"FM069", "managed-consumer-weight-zero", FM_SEV_WARNING,
	 "a managed-memory consumer the config uses has weight 0",
	 "taskmanager.memory.managed.consumer-weights (1.12+) splits a slot's managed memory between its kinds of "
	 "consumers by weight; a kind the map leaves out, or gives 0, gets nothing. Flink accepts the config, but a job "
	 "that needs that kind (RocksDB: STATE_BACKEND, batch operators: OPERATOR, both DATAPROC in 1.12 and as a "
	 "fallback up to 1.20; Python UDFs: PYTHON) fails when its operator asks for memory with 'The fraction of "
	 "memory to allocate should not be 0' (MemoryManager). Names are case-sensitive. The fix gives each used kind "
	 "Flink's default weight (70 for OPERATOR, STATE_BACKEND and DATAPROC, 30 for PYTHON)."},
	{"FM070", "rocksdb-fixed-per-tm", FM_SEV_WARNING,
	 "RocksDB's fixed-per-tm memory is ignored, or outside the memory budget",
	 "state.backend.rocksdb.memory.fixed-per-tm (Flink 1.17+) gives all RocksDB instances of a TaskManager one shared "
	 "budget, but RocksDBSharedResourcesFactory only takes it when fixed-per-slot is unset and "
	 "state.backend.rocksdb.memory.managed is false; managed memory is RocksDB's default, so the key is ignored unless "
	 "that is written out. When it applies, the memory comes from the TaskManager's shared resources, outside managed "
	 "memory and every other Flink component: the process grows past its size by that much unless the JVM overhead "
	 "holds it, and a container kills it. The fix gives RocksDB the same bytes as managed memory (at least 128 MiB per "
	 "slot); budgeting them in jvm-overhead.min/max works too. 2.x's ForSt backend reads "
	 "state.backend.forst.memory.fixed-per-tm by the same rules (ForStSharedResourcesFactory)."},
	{"FM072", "process-exceeds-container", FM_SEV_ERROR, "the process size exceeds the container memory limit",
	 "The JVM may grow to the whole process size; a container limit below it ends in an OOM kill (exit 137)."},
	{"FM080", "flink-properties-whitespace", FM_SEV_WARNING, "FLINK_PROPERTIES values lose their spaces",
	 "From Flink 1.19 the Docker entrypoint deletes all whitespace in each FLINK_PROPERTIES line, so multi-token values "
	 "(several JVM flags) are glued together."},
	{"FM100", "k8s-resource-memory-wins", FM_SEV_WARNING, "flinkConfiguration's process size is overridden by resource.memory",
	 "The Kubernetes operator first copies spec.flinkConfiguration, then writes spec.jobManager/taskManager.resource.memory "
	 "into jobmanager/taskmanager.memory.process.size: a process size in flinkConfiguration is silently replaced, and a "
	 "total Flink size there is combined with resource.memory as the process size. Keep the size in one place: "
	 "resource.memory."},
	{"FM101", "k8s-memory-unit", FM_SEV_WARNING, "resource.memory in a unit that means something else to Kubernetes",
	 "The operator reads resource.memory with Flink's size grammar first (every unit binary: 2G and 2g are 2 GiB, 1024k "
	 "is 1 MiB, a bare number is bytes) and only when Flink rejects it as a Kubernetes quantity (2Gi; 2e9 = 2*10^9 "
	 "bytes). Write Flink units (2048m, 2g) or binary quantities (2Gi)."},
	{"FM102", "k8s-resource-memory-rejected", FM_SEV_ERROR, "the operator refuses resource.memory",
	 "The operator's validator converts resource.memory (Flink size, else Kubernetes quantity) and parses the result as a "
	 "Flink size; when that fails (1.5G and 1.5Gi become fractional byte counts, typos) the FlinkDeployment is "
	 "rejected and nothing is deployed. Write a whole number with a unit, e.g. 1536m."},
	{"FM103", "k8s-memory-limit-factor-invalid", FM_SEV_ERROR, "a memory limit-factor Flink refuses",
	 "kubernetes.jobmanager/taskmanager.memory.limit-factor multiplies the memory request into the container limit; "
	 "Flink refuses values below 1 (the limit would be under the request) and values that are not numbers, and "
	 "no pod is created. Use 1 (limit = request) or more."},
	{"FM104", "k8s-memory-limit-above-request", FM_SEV_NOTE, "a memory limit above the request",
	 "With a limit-factor above 1 the container limit exceeds the request, but Flink's JVM is budgeted for the request "
	 "(the process size): the extra only serves memory outside Flink's budget, the pod loses the Guaranteed QoS class "
	 "and is an early candidate for eviction when the node runs short."},
	{"FM105", "k8s-template-memory-replaced", FM_SEV_WARNING, "pod template memory resources that Flink replaces",
	 "Flink sets the flink-main-container's memory request to the process size and its limit to process size x "
	 "limit-factor, replacing what a pod template says. A template limit smaller than the process size shows a "
	 "container size the JVM budget does not respect; set resource.memory to the size you mean instead."},
	{"FM106", "k8s-session-job-no-deployment", FM_SEV_NOTE, "a FlinkSessionJob whose FlinkDeployment is not in the file",
	 "A FlinkSessionJob runs on the session cluster its spec.deploymentName names and has no memory settings of its own; "
	 "check the FlinkDeployment's file for the memory the job gets."},
	{"FM107", "k8s-spec-rejected", FM_SEV_ERROR, "the operator's validator refuses the FlinkDeployment",
	 "The operator validates a FlinkDeployment before deploying it: a role without memory (neither resource.memory, "
	 "resources.requests/limits.memory nor Flink memory keys that size it), an unreadable ephemeralStorage, "
	 "resources quantities that do not parse, are zero or negative, a request above its limit, or replicas below one "
	 "(several JobManagers without high availability) are refused and nothing is deployed."},
};

const fm_rule_doc *fm_lint_rules(size_t *n)
{
	*n = sizeof rules / sizeof rules[0];
	return rules;
}

const fm_rule_doc *fm_lint_rule(const char *id)
{
	for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}

size_t fm_edit_distance(const char *a, const char *b, size_t max)
{
	size_t la = strlen(a), lb = strlen(b);
	if ((la > lb ? la - lb : lb - la) > max)
		return max + 1;
	size_t *prev = malloc((lb + 1) * sizeof(size_t)), *cur = malloc((lb + 1) * sizeof(size_t));
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return max + 1;
	}
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		size_t rowmin = cur[0];
		for (size_t j = 1; j <= lb; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
			if (c < rowmin)
				rowmin = c;
		}
		size_t *t = prev;
		prev = cur;
		cur = t;
		if (rowmin > max) {
			free(prev);
			free(cur);
			return max + 1;
		}
	}
	size_t d = prev[lb];
	free(prev);
	free(cur);
	return d > max ? max + 1 : d;
}

/* ---- findings ------------------------------------------------------------ */

typedef struct lx {
	const fm_lint_input *in;
	fm_findings *out;
	bool oom;
} lx;

static char *vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;
	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

/* Adds a finding at key's location in conf (if present). */
static fm_finding *add(lx *x, const char *id, const char *key, const fm_conf *conf, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static fm_finding *add(lx *x, const char *id, const char *key, const fm_conf *conf, const char *fmt, ...)
{
	fm_findings *f = x->out;
	if (f->n == f->cap) {
		size_t nc = f->cap ? f->cap * 2 : 16;
		fm_finding *nv = realloc(f->v, nc * sizeof(*nv));
		if (!nv) {
			x->oom = true;
			return NULL;
		}
		f->v = nv;
		f->cap = nc;
	}
	fm_finding *g = &f->v[f->n];
	*g = (fm_finding){0};
	g->rule = fm_lint_rule(id);
	g->severity = g->rule ? g->rule->severity : FM_SEV_WARNING;
	if (key) {
		g->key = strdup(key);
		if (!g->key)
			x->oom = true;
		const fm_entry *e = conf ? fm_conf_find(conf, key) : NULL;
		if (e) {
			g->file = e->at.file;
			g->line = e->at.line;
			g->col = e->at.col;
		}
	}
	va_list ap;
	va_start(ap, fmt);
	g->message = vfmt(fmt, ap);
	va_end(ap);
	if (!g->message)
		x->oom = true;
	f->n++;
	return g;
}

static void set_detail(lx *x, fm_finding *g, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_detail(lx *x, fm_finding *g, const char *fmt, ...)
{
	if (!g)
		return;
	va_list ap;
	va_start(ap, fmt);
	free(g->detail);
	g->detail = vfmt(fmt, ap);
	va_end(ap);
	if (!g->detail)
		x->oom = true;
}

static void set_fix(lx *x, fm_finding *g, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_fix(lx *x, fm_finding *g, const char *fmt, ...)
{
	if (!g)
		return;
	va_list ap;
	va_start(ap, fmt);
	free(g->fix);
	g->fix = vfmt(fmt, ap);
	va_end(ap);
	if (!g->fix)
		x->oom = true;
}

void fm_findings_release(fm_findings *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->v[i].key);
		free(f->v[i].message);
		free(f->v[i].detail);
		free(f->v[i].fix);
		free(f->v[i].suppressed_why);
	}
	free(f->v);
	*f = (fm_findings){0};
}

/* ---- derivation helpers ------------------------------------------------------ */

/* Derives one side; *ok set; the error chain's top message copied to msg. */
static int derive_side(lx *x, const fm_conf *c, bool tm, bool *ok, fm_tm_result *tr, fm_jm_result *jr)
{
	int rc = tm ? fm_derive_tm(c, x->in->profile, x->in->env, tr) : fm_derive_jm(c, x->in->profile, x->in->env, jr);
	if (rc != FM_OK) {
		x->oom = true;
		*ok = false;
		return -1;
	}
	*ok = tm ? tr->outcome == FM_DERIVED : jr->outcome != FM_FLINK_ERROR;
	return 0;
}

static bool derives(lx *x, const fm_conf *c, bool tm)
{
	fm_tm_result tr;
	fm_jm_result jr;
	bool ok = false;
	if (derive_side(x, c, tm, &ok, &tr, &jr) == 0) {
		if (tm)
			fm_tm_result_release(&tr);
		else
			fm_jm_result_release(&jr);
	}
	return ok;
}

static fm_conf *with_value(lx *x, const fm_conf *c, const char *key, const char *val)
{
	fm_conf *d = fm_conf_dup(c);
	if (!d) {
		x->oom = true;
		return NULL;
	}
	if (val) {
		const fm_entry *e = fm_conf_find(c, key);
		fm_origin at = e ? e->at : (fm_origin){NULL, 0, 0, FM_SRC_BUILTIN};
		if (at.file)
			at.file = fm_conf_intern(d, at.file);
		if (fm_conf_put(d, key, strlen(key), val, strlen(val), FM_V_STR, 0, &at) != FM_OK) {
			fm_conf_free(d);
			x->oom = true;
			return NULL;
		}
	} else {
		fm_conf_remove(d, key);
	}
	return d;
}

/* Whether the side of d derives and, when heap_min > 0, gives at least
 * that much heap (the JobManager's JVM heap; the TaskManager's task heap);
 * when fl is given, also keeps every floor of the components the config
 * does not fix by a key. The JobManager heap check skips the floors. */
static bool side_ok(lx *x, const fm_conf *d, bool tm, int64_t heap_min, const fm_floors *fl)
{
	if (!tm && heap_min > 0) {
		fm_jm_result jr;
		bool ok = fm_derive_jm(d, x->in->profile, x->in->env, &jr) == FM_OK && jr.outcome == FM_DERIVED &&
			  jr.l.jvm_heap >= heap_min;
		fm_jm_result_release(&jr);
		return ok;
	}
	if (!fl && heap_min <= 0)
		return derives(x, d, tm);
	fm_tm_result tr;
	fm_jm_result jr;
	bool ok;
	if (derive_side(x, d, tm, &ok, &tr, &jr) != 0)
		return false;
	if (ok && tm && tr.l.task_heap < heap_min)
		ok = false;
	if (ok && fl) {
		const char *skip[FM_H_COUNT];
		size_t nskip = fm_health_user_set(d, skip, FM_H_COUNT);
		ok = !fm_health_violation(fl, tm ? &tr.l : NULL, !tm && jr.outcome == FM_DERIVED ? &jr.l : NULL, skip, nskip,
					  NULL);
	}
	if (tm)
		fm_tm_result_release(&tr);
	else
		fm_jm_result_release(&jr);
	return ok;
}

/* Smallest bytes in [lo, hi] for key making side_ok hold; -1 if none.
 * The derivation is monotone in the total size for the failures this
 * fixes, and so are the floors of the parts the total feeds. */
static int64_t min_total(lx *x, const fm_conf *c, bool tm, const char *key, int64_t heap_min, bool healthy)
{
	int64_t lo = 1, hi = INT64_C(1) << 50;
	char v[32];
	fm_floors fl;
	fm_health_floors(c, x->in->profile, &fl);
	const fm_floors *flp = healthy ? &fl : NULL;
	snprintf(v, sizeof v, "%lldb", (long long)hi);
	fm_conf *d = with_value(x, c, key, v);
	if (!d)
		return -1;
	bool ok = side_ok(x, d, tm, heap_min, flp);
	fm_conf_free(d);
	if (!ok)
		return -1;
	while (lo < hi) {
		int64_t mid = lo + (hi - lo) / 2;
		snprintf(v, sizeof v, "%lldb", (long long)mid);
		d = with_value(x, c, key, v);
		if (!d)
			return -1;
		ok = side_ok(x, d, tm, heap_min, flp);
		fm_conf_free(d);
		if (ok)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/* When parts are set next to a total key (a JobManager heap under a
 * process size), the valid totals are a window, not a floor: the overhead
 * is what the total leaves and must stay in its range, so min_total's
 * search from above finds nothing. The total Flink derives from the parts
 * alone (the key removed), whole MiB up, when it is larger than the one set
 * (was) and starts and keeps the floors; -1 otherwise. */
static int64_t total_from_parts(lx *x, const fm_conf *c, bool tm, const char *key, int64_t was)
{
	const fm_profile *p = x->in->profile;
	bool process = !strcmp(key, fm_option_get(p, tm ? FM_O_TM_PROCESS : FM_O_JM_PROCESS).key);
	if (!process && strcmp(key, fm_option_get(p, tm ? FM_O_TM_FLINK : FM_O_JM_FLINK).key))
		return -1;
	fm_conf *d = with_value(x, c, key, NULL);
	if (!d)
		return -1;
	fm_tm_result tr;
	fm_jm_result jr;
	bool ok;
	int64_t v = -1;
	if (derive_side(x, d, tm, &ok, &tr, &jr) == 0) {
		if (ok && tm)
			v = process ? tr.l.total_process : tr.l.total_flink;
		else if (ok)
			v = process ? jr.l.total_process : jr.l.total_flink;
		if (tm)
			fm_tm_result_release(&tr);
		else
			fm_jm_result_release(&jr);
	}
	fm_conf_free(d);
	if (v <= 0 || v <= was)
		return -1; /* a total above the window: which part is short is the user's call */
	v = fm_size_ceil_mib(v);
	char t[32];
	fm_size_text(t, sizeof t, v);
	fm_floors fl;
	fm_conf *f = with_value(x, c, key, t);
	if (!f)
		return -1;
	fm_health_floors(f, p, &fl);
	ok = side_ok(x, f, tm, 0, &fl);
	fm_conf_free(f);
	return ok ? v : -1;
}

/* The total size key c sets (process, else Flink), or NULL. */
static const char *total_key(const fm_conf *c)
{
	return fm_conf_has(c, "taskmanager.memory.process.size") ? "taskmanager.memory.process.size"
	       : fm_conf_has(c, "taskmanager.memory.flink.size") ? "taskmanager.memory.flink.size"
								 : NULL;
}

/* A fix candidate cand (c with the fix's other keys changed): the total
 * tk (NULL: none set) it needs, grown to the smallest healthy whole MiB
 * when the current one is too small, into t ("" when it stays). True when
 * cand so grown starts and keeps every floor: only then is the fix shown
 * (a fixed task heap may leave the network more than its max up to 1.16,
 * and no total may be enough). */
static bool grown_fix_ok(lx *x, const fm_conf *c, const fm_conf *cand, const char *tk, char *t, size_t cap)
{
	t[0] = '\0';
	int64_t total = tk ? fm_conf_bytes(c, tk) : -1;
	int64_t grown = tk ? min_total(x, cand, true, tk, 0, true) : -1;
	if (grown > total)
		fm_size_text(t, cap, fm_size_ceil_mib(grown));
	fm_conf *f = t[0] ? with_value(x, cand, tk, t) : NULL;
	if (t[0] && !f)
		return false;
	fm_floors ff;
	fm_health_floors(f ? f : cand, x->in->profile, &ff);
	bool ok = side_ok(x, f ? f : cand, true, 0, &ff);
	fm_conf_free(f);
	return ok;
}

/* FM067: managed memory under the floor of its consumer (health.h). The
 * fix: managed.size at the floor when the user sized it, and the smallest
 * healthy total when a total is set (it feeds the managed fraction, or
 * makes room for the larger managed.size). */
static void managed_small(lx *x, const fm_conf *c, const fm_tm_layout *l, const fm_floors *fl)
{
	int64_t floor = fl->v[FM_H_MANAGED].bytes, per = floor / fl->slots;
	bool keyed = fm_conf_has(c, "taskmanager.memory.managed.size");
	const char *tk = total_key(c);
	char have[FM_SIZE_HUMAN_MAX], each[FM_SIZE_HUMAN_MAX], need[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(have, l->managed);
	fm_size_human_c(each, l->managed / fl->slots);
	fm_size_human_c(need, per);
	int64_t fit = per > 0 ? l->managed / per : 0;
	char fits[64] = "";
	if (fit >= 1)
		snprintf(fits, sizeof fits, " (%lld slot%s would fit as is)", (long long)fit, fit == 1 ? "" : "s");
	bool zero_fraction = !keyed && l->managed == 0 && fm_conf_has(c, "taskmanager.memory.managed.fraction");
	fm_finding *g = add(x, "FM067", keyed ? "taskmanager.memory.managed.size"
				 : zero_fraction || !tk ? "taskmanager.memory.managed.fraction"
							: tk, c,
			    "managed memory is %s for %d slots, %s per slot: the floor for %s is %s per slot%s", have, (int)fl->slots,
			    each, fl->managed_consumer, need, fits);
	if (!g)
		return;
	const char *cons = fl->managed_consumer;
	if (l->managed == 0 && (!strcmp(cons, "RocksDB") || !strcmp(cons, "ForSt")))
		set_detail(x, g, "No managed memory does not stop %s from using it: it gets a 0-byte block cache and a "
			   "write-buffer manager of 0, which RocksDB reads as no limit, so its memtables grow outside "
			   "Flink's budget (Flink logs \"%sStateBackend performance will be poor\").",
			   cons, cons);
	else if (l->managed == 0 && !strcmp(cons, "batch operators"))
		set_detail(x, g, "Batch sort, hash and join operators take their pages from managed memory: with none "
			   "they fail for want of memory segments.");
	char v[32], t[32];
	fm_size_text(v, sizeof v, fm_size_ceil_mib(floor));
	if (!keyed && l->managed == 0) {
		/* a fraction of 0 (no total feeds it): Flink's default fraction
		 * back, the total grown if even that leaves too little */
		const char *fk = "taskmanager.memory.managed.fraction";
		const char *def = fm_option_get(x->in->profile, FM_O_TM_MANAGED_FRACTION).def;
		fm_conf *d = def ? with_value(x, c, fk, def) : NULL;
		bool ok = d && grown_fix_ok(x, c, d, tk, t, sizeof t);
		fm_conf_free(d);
		if (ok)
			set_fix(x, g, "%s: %s\n%s%s%s%s", fk, def, t[0] ? tk : "", t[0] ? ": " : "", t, t[0] ? "\n" : "");
		return;
	}
	if (!keyed) {
		/* the fraction feeds managed memory: the smallest healthy total */
		int64_t grown = tk ? min_total(x, c, true, tk, 0, true) : -1;
		if (grown > 0 && fm_size_ceil_mib(grown) > fm_conf_bytes(c, tk)) {
			fm_size_text(t, sizeof t, fm_size_ceil_mib(grown));
			set_fix(x, g, "%s: %s\n", tk, t);
		}
		return;
	}
	fm_conf *d = with_value(x, c, "taskmanager.memory.managed.size", v);
	bool ok = d && grown_fix_ok(x, c, d, tk, t, sizeof t);
	fm_conf_free(d);
	if (ok)
		set_fix(x, g, "taskmanager.memory.managed.size: %s\n%s%s%s%s", v, t[0] ? tk : "", t[0] ? ": " : "", t,
			t[0] ? "\n" : "");
}

/* FM068: RocksDB on a fixed budget per slot takes slots x that budget of
 * native memory the layout l does not hold, unless the JVM overhead above
 * its floor was grown to hold it; or the budget is under the RocksDB
 * floor (health.h) whatever holds it. l is NULL when Flink rejects the
 * layout: nothing holds the budget then. The fix: the same bytes as managed
 * memory (never under the RocksDB floor, FM067), the total grown when the
 * other parts no longer fit. */
/* The fix of a fixed RocksDB budget (FM068, FM070): remove the key that
 * puts it outside (and rm2, when not NULL) and give RocksDB want bytes of
 * managed memory instead, growing the total when the rest would shrink
 * under its floors; shown only when the result starts and keeps the
 * floors. */
static void rocksdb_to_managed(lx *x, const fm_conf *c, fm_finding *g, const char *rm, const char *rm2, int64_t want)
{
	char v[32], t[32];
	fm_size_text(v, sizeof v, want);
	const char *tk = total_key(c);
	fm_conf *a = with_value(x, c, rm, NULL);
	fm_conf *b = a && rm2 ? with_value(x, a, rm2, NULL) : NULL;
	fm_conf *d = a && (!rm2 || b) ? with_value(x, b ? b : a, "taskmanager.memory.managed.size", v) : NULL;
	fm_conf_free(b);
	fm_conf_free(a);
	bool frac = fm_conf_has(c, "taskmanager.memory.managed.fraction");
	fm_conf *e = d && frac ? with_value(x, d, "taskmanager.memory.managed.fraction", NULL) : NULL;
	bool ok = d && (!frac || e) && grown_fix_ok(x, c, e ? e : d, tk, t, sizeof t);
	fm_conf_free(e);
	fm_conf_free(d);
	if (ok)
		set_fix(x, g, "# remove %s\n%s%s%staskmanager.memory.managed.size: %s\n%s%s%s%s%s", rm, rm2 ? "# remove " : "",
			rm2 ? rm2 : "", rm2 ? "\n" : "", v, frac ? "# remove taskmanager.memory.managed.fraction\n" : "",
			t[0] ? tk : "", t[0] ? ": " : "", t, t[0] ? "\n" : "");
}

/* The state backend's name and the key of its memory option suffix
 * (RocksDB's, or ForSt's in 2.x: health.h) */
static const char *state_backend_key(const fm_conf *c, const char *suffix, char *key, size_t cap)
{
	const char *pre = fm_health_state_memory(c);
	snprintf(key, cap, "%s%s", pre ? pre : "state.backend.rocksdb.memory.", suffix);
	return pre && !strncmp(pre, "state.backend.forst.", 20) ? "ForSt" : "RocksDB";
}

static void rocksdb_fixed_outside(lx *x, const fm_conf *c, const fm_tm_layout *l, const fm_floors *fl)
{
	char fk[64];
	const char *db = state_backend_key(c, "fixed-per-slot", fk, sizeof fk);
	int64_t per = fm_conf_bytes(c, fk), slots = fl->slots > 0 ? fl->slots : 1;
	int64_t outside = fm_health_rocksdb_fixed(c);
	if (per <= 0 || outside <= 0 || outside == INT64_MAX)
		return;
	bool small = per < FM_HEALTH_MANAGED_ROCKSDB;
	if (l && l->overhead - FM_HEALTH_OVERHEAD >= outside && !small)
		return; /* budgeted in the JVM overhead */
	char each[FM_SIZE_HUMAN_MAX], all[FM_SIZE_HUMAN_MAX], idle[FM_SIZE_HUMAN_MAX], need[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(each, per);
	fm_size_human_c(all, outside);
	fm_size_human_c(idle, l ? l->managed : 0);
	fm_size_human_c(need, FM_HEALTH_MANAGED_ROCKSDB);
	bool wasted = l && l->managed > 0 && !fl->managed_consumer;
	fm_finding *g = small ? add(x, "FM068", fk, c,
				    "%s gets a fixed %s per slot, under the %s a slot needs (its default memtable is "
				    "64 MiB and write buffers get half the budget)%s%s%s",
				    db, each, need, wasted ? ", while " : "", wasted ? idle : "",
				    wasted ? " of managed memory sits idle" : "")
			      : add(x, "FM068", fk, c,
				    "%s takes %s per slot outside managed memory: %lld slots x %s = %s of native memory "
				    "the process size does not hold%s%s%s",
				    db, each, (long long)slots, each, all, wasted ? ", while " : "", wasted ? idle : "",
				    wasted ? " of managed memory sits idle" : "");
	if (g)
		rocksdb_to_managed(x, c, g, fk, NULL,
				   fm_size_ceil_mib((per > FM_HEALTH_MANAGED_ROCKSDB ? per : FM_HEALTH_MANAGED_ROCKSDB) * slots));
}

/* FM070: state.backend.rocksdb.memory.fixed-per-tm (1.17+, FLINK-29928).
 * RocksDBSharedResourcesFactory takes it only when neither fixed-per-slot
 * nor managed memory applies, and managed memory is RocksDB's default: so
 * it is ignored unless state.backend.rocksdb.memory.managed is written
 * false. When it applies, the TaskManager's RocksDB instances share that
 * much native memory outside every Flink component (SharedResources, not
 * the MemoryManager): the process grows past its size unless the JVM
 * overhead holds it. The fix is FM068's: the same bytes as managed memory. */
static void rocksdb_fixed_per_tm(lx *x, const fm_conf *c, const fm_tm_layout *l, const fm_floors *fl)
{
	char fk[64], sk[64], mk[64];
	const char *db = state_backend_key(c, "fixed-per-tm", fk, sizeof fk);
	state_backend_key(c, "fixed-per-slot", sk, sizeof sk);
	state_backend_key(c, "managed", mk, sizeof mk);
	int64_t tm = fm_conf_bytes(c, fk);
	if (!fm_health_has_fixed_tm(x->in->profile) || tm <= 0 || !fm_health_state_memory(c))
		return;
	char all[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(all, tm);
	if (!fm_health_rocksdb_fixed_tm(c, x->in->profile)) {
		bool slot = fm_conf_has(c, sk);
		fm_finding *g = add(x, "FM070", fk, c,
				    "fixed-per-tm (%s) has no effect: %s uses %s%s%s, and fixed-per-tm only applies with "
				    "%s: false and no fixed-per-slot",
				    all, db, slot ? sk : "the slot's managed memory (", slot ? "" : mk,
				    slot ? "" : " is true by default)", mk);
		set_fix(x, g, "# remove %s (%s does not read it with these settings)\n", fk, db);
		return;
	}
	if (l->overhead - FM_HEALTH_OVERHEAD >= tm)
		return; /* budgeted in the JVM overhead */
	char idle[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(idle, l->managed);
	bool wasted = l->managed > 0 && !fl->managed_consumer;
	fm_finding *g = add(x, "FM070", fk, c,
			    "%s takes a fixed %s per TaskManager outside managed memory: native memory the process "
			    "size does not hold%s%s%s",
			    db, all, wasted ? ", while " : "", wasted ? idle : "", wasted ? " of managed memory sits idle" : "");
	int64_t slots = fl->slots > 0 ? fl->slots : 1, floor = fm_size_mul_sat(FM_HEALTH_MANAGED_ROCKSDB, slots);
	if (g)
		rocksdb_to_managed(x, c, g, fk, mk, fm_size_ceil_mib(tm > floor ? tm : floor));
}

/* FM069: a managed-memory consumer the config uses has weight 0 in
 * taskmanager.memory.managed.consumer-weights. Names and fallbacks by
 * release, as ManagedMemoryUtils reads them: 1.12 knows DATAPROC (batch
 * operators and RocksDB) and PYTHON; 1.13-1.20 OPERATOR and STATE_BACKEND,
 * each falling back to DATAPROC; 2.x drops DATAPROC. A name the map does
 * not hold weighs 0. */
#define WEIGHTS_MAX 16
typedef struct weight {
	char name[32];
	long w;
} weight;

/* "OPERATOR:70,STATE_BACKEND:70" (a YAML map's braces and blanks allowed)
 * into v; the count, or -1 when an entry does not parse (Flink rejects
 * it: another finding's business). */
static int parse_weights(const char *t, weight *v)
{
	int n = 0;
	const char *p = t;
	while (*p == ' ' || *p == '{' || *p == '"' || *p == '\'')
		p++;
	while (*p && *p != '}') {
		const char *ne = p;
		while (*ne && *ne != ':' && *ne != ',' && *ne != '}')
			ne++;
		const char *nb = ne;
		while (nb > p && nb[-1] == ' ')
			nb--;
		if (*ne != ':' || nb == p || (size_t)(nb - p) >= sizeof v[0].name || n == WEIGHTS_MAX)
			return -1;
		char *end;
		long w = strtol(ne + 1, &end, 10);
		if (end == ne + 1)
			return -1;
		memcpy(v[n].name, p, (size_t)(nb - p));
		v[n].name[nb - p] = '\0';
		v[n++].w = w;
		p = end;
		while (*p == ' ' || *p == '"' || *p == '\'')
			p++;
		if (*p == ',')
			p++;
		while (*p == ' ')
			p++;
	}
	return n;
}

static long weight_of(const weight *v, int n, const char *name, const char *fallback)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return v[i].w;
	for (int i = 0; fallback && i < n; i++)
		if (!strcmp(v[i].name, fallback))
			return v[i].w;
	return 0;
}

static void consumer_weight_zero(lx *x, const fm_conf *c, const fm_profile *p)
{
	const char *key = "taskmanager.memory.managed.consumer-weights";
	const fm_entry *e = fm_conf_find(c, key);
	unsigned used = fm_health_consumers(c);
	if (!e || !p->jm_dynamic || !used)
		return; /* the key exists from 1.12 */
	weight v[WEIGHTS_MAX + 3];
	int n = parse_weights(e->text, v);
	if (n < 0)
		return;
	bool split = p->dyn_slots_ext, dataproc = !p->yaml_only;
	const char *fb = split && dataproc ? "DATAPROC" : NULL;
	static const struct {
		unsigned bit;
		const char *name, *name_1_12, *what;
		long def;
	} kinds[] = {{FM_CONSUMER_ROCKSDB, "STATE_BACKEND", "DATAPROC", "RocksDB", 70},
		     {FM_CONSUMER_BATCH, "OPERATOR", "DATAPROC", "batch operators", 70},
		     {FM_CONSUMER_PYTHON, "PYTHON", "PYTHON", "Python UDFs", 30}};
	char zero[160] = "";
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		const char *name = split ? kinds[k].name : kinds[k].name_1_12;
		if (!(used & kinds[k].bit) || weight_of(v, n, name, kinds[k].bit == FM_CONSUMER_PYTHON ? NULL : fb) != 0)
			continue;
		const char *what = kinds[k].bit == FM_CONSUMER_ROCKSDB && fm_health_forst(c) ? "ForSt" : kinds[k].what;
		if (!strstr(zero, name)) {
			size_t zl = strlen(zero);
			snprintf(zero + zl, sizeof zero - zl, "%s%s (%s)", zl ? ", " : "", name, what);
		}
		/* the fix: the kind at Flink's default weight */
		int i = 0;
		while (i < n && strcmp(v[i].name, name))
			i++;
		if (i == n) {
			snprintf(v[n].name, sizeof v[n].name, "%s", name);
			n++;
		}
		v[i].w = kinds[k].def;
	}
	if (!zero[0])
		return;
	fm_finding *g = add(x, "FM069", key, c,
			    "%s leaves %s weight 0: a job that uses %s fails with 'The fraction of memory to allocate "
			    "should not be 0'",
			    key, zero, strchr(zero, ',') ? "one of them" : "it");
	fm_buf b = FM_BUF_INIT;
	for (int i = 0; i < n; i++)
		if (fm_buf_addf(&b, "%s%s:%ld", i ? "," : "", v[i].name, v[i].w)) {
			fm_buf_release(&b);
			x->oom = true;
			return;
		}
	if (g && b.data)
		set_fix(x, g, "%s: %s\n", key, b.data);
	fm_buf_release(&b);
}

/* ---- "Flink rejects": find the key, propose the smallest valid change ---- */

static const char *quoted_key_after(const char *msg, const char *prefix, char *buf, size_t cap)
{
	const char *p = strstr(msg, prefix);
	if (!p)
		return NULL;
	p += strlen(prefix);
	const char *e = strchr(p, '\'');
	if (!e || (size_t)(e - p) >= cap)
		return NULL;
	memcpy(buf, p, (size_t)(e - p));
	buf[e - p] = '\0';
	return buf;
}

/* The key a Flink message is about, for messages that name one. */
static const char *error_key(const fm_jchain *ch, char *buf, size_t cap)
{
	for (size_t i = 0; i < ch->n; i++) {
		const char *m = ch->v[i].msg ? ch->v[i].msg : "";
		const char *k;
		if ((k = quoted_key_after(m, "Cannot read memory size from config option '", buf, cap)) ||
		    (k = quoted_key_after(m, "' for key '", buf, cap)) ||
		    (k = quoted_key_after(m, "Inconsistently configured Key: '", buf, cap)))
			return k;
	}
	return NULL;
}

/* The key actually present in conf for an option key (deprecated fallbacks). */
static const char *present_key(const fm_conf *c, const fm_profile *p, const char *key)
{
	if (fm_conf_has(c, key))
		return key;
	for (int id = 0; id < FM_O_COUNT; id++) {
		fm_option o = fm_option_get(p, (enum fm_opt_id)id);
		if (strcmp(o.key, key) == 0)
			for (int i = 0; i < 2 && o.fallback[i]; i++)
				if (fm_conf_has(c, o.fallback[i]))
					return o.fallback[i];
	}
	return key;
}

static bool key_known(const fm_profile *p, const char *k, const char **closest, size_t *dist);

static bool is_fraction_key(const char *k)
{
	size_t n = strlen(k);
	return n > 9 && strcmp(k + n - 9, ".fraction") == 0;
}

/* A corrected spelling of a bad value, when one is clear; NULL otherwise. */
static char *repair_value(const char *key, const char *v)
{
	char *r = NULL;
	size_t n = strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		if (asprintf(&r, "%.*s", (int)(n - 2), v + 1) < 0)
			return NULL;
		return r;
	}
	if (is_fraction_key(key)) {
		char *end;
		double d = strtod(v, &end);
		if (end != v && (*end == '%' || (*end == '\0' && d >= 1 && d < 100))) {
			if (asprintf(&r, "%g", d / 100) < 0)
				return NULL;
			return r;
		}
		if (strchr(v, ',')) {
			r = strdup(v);
			if (r)
				for (char *q = r; *q; q++)
					if (*q == ',')
						*q = '.';
			return r;
		}
		return NULL;
	}
	/* sizes: 1.5g -> 1536m; 2Gi -> 2g; 512MB fine already */
	char *end;
	double d = strtod(v, &end);
	if (end == v || d < 0)
		return NULL;
	while (*end == ' ' || *end == '\t')
		end++;
	int shift = -1;
	char u = (char)tolower((unsigned char)*end);
	if (u == 'k')
		shift = 10;
	else if (u == 'm')
		shift = 20;
	else if (u == 'g')
		shift = 30;
	else if (u == 't')
		shift = 40;
	if (shift < 0)
		return NULL;
	bool kube = end[1] == 'i' || end[1] == 'I';
	if (!kube && strchr(v, '.') == NULL)
		return NULL;
	double bytes = d * (double)(INT64_C(1) << shift);
	if (bytes > 9.0e18)
		return NULL;
	char sz[32];
	fm_size_text(sz, sizeof sz, (int64_t)bytes);
	return strdup(sz);
}

/* A copy of c with every key-level problem of this side repaired (or the
 * key removed), so a size search is not misled by an unrelated bad value
 * that the derivation happens to reach first at some sizes. */
static fm_conf *scrub_key_errors(lx *x, const fm_conf *c, bool tm, const char *total_key)
{
	/* With the total at 1 TiB, size problems step aside and the key-level
	 * ones show; the search overwrites the total afterwards anyway. */
	fm_conf *cur = with_value(x, c, total_key, "1t");
	for (int i = 0; cur && i < 16; i++) {
		fm_tm_result tr;
		fm_jm_result jr;
		bool ok;
		if (derive_side(x, cur, tm, &ok, &tr, &jr) != 0)
			break;
		char kb[256];
		const char *k = ok ? NULL : error_key(tm ? &tr.err : &jr.err, kb, sizeof kb);
		fm_conf *next = NULL;
		if (k) {
			const char *pk = present_key(cur, x->in->profile, k);
			const fm_entry *e = fm_conf_find(cur, pk);
			char *rep = e ? repair_value(pk, e->text) : NULL;
			next = with_value(x, cur, pk, rep);
			free(rep);
		}
		if (tm)
			fm_tm_result_release(&tr);
		else
			fm_jm_result_release(&jr);
		if (!next)
			break;
		fm_conf_free(cur);
		cur = next;
	}
	if (!cur)
		x->oom = true;
	return cur;
}

/* With task.heap.size and a total size set, Flink makes the network the
 * remainder of total Flink memory. The managed size (whole MiB) that puts
 * the network back at the share its fraction, min and max give, the rest
 * to managed memory: -1 when the config is not of that kind, managed.size
 * is set already, or the result does not derive with every floor kept.
 * *surplus (may be NULL) gets the network bytes above that share. */
/* A heap state backend in a streaming job with no other managed-memory
 * consumer: managed memory is wasted (FM060), so no fix gives it more. */
static bool managed_unused(const fm_conf *c, const fm_profile *p)
{
	const fm_entry *e = fm_conf_find(c, "state.backend.type");
	if (!e)
		e = fm_conf_find(c, "state.backend");
	const char *sb = e ? e->text : NULL;
	bool heap = sb && (!strcasecmp(sb, "hashmap") || !strcasecmp(sb, "filesystem") || !strcasecmp(sb, "jobmanager") ||
			   !strcasecmp(sb, "memory"));
	fm_floors fl;
	fm_health_floors(c, p, &fl);
	return heap && !fl.managed_consumer;
}

static int64_t network_rest_managed(lx *x, const fm_conf *c, int64_t *surplus)
{
	const fm_profile *p = x->in->profile;
	if (surplus)
		*surplus = 0;
	if (!fm_conf_has(c, "taskmanager.memory.task.heap.size") || fm_conf_has(c, "taskmanager.memory.managed.size") ||
	    (!fm_conf_has(c, "taskmanager.memory.process.size") && !fm_conf_has(c, "taskmanager.memory.flink.size")))
		return -1;
	int64_t heap = fm_conf_bytes(c, "taskmanager.memory.task.heap.size");
	fm_conf *d = with_value(x, c, "taskmanager.memory.task.heap.size", NULL);
	if (!d || heap < 0) {
		fm_conf_free(d);
		return -1;
	}
	fm_tm_result tr;
	int64_t rest = -1, share = -1;
	if (fm_derive_tm(d, p, x->in->env, &tr) != FM_OK) {
		x->oom = true;
	} else if (tr.outcome == FM_DERIVED) {
		const fm_tm_layout *l = &tr.l;
		share = l->network;
		rest = l->total_flink - l->framework_heap - l->framework_off_heap - l->task_off_heap - heap - l->network;
	}
	fm_tm_result_release(&tr);
	fm_conf_free(d);
	if (rest < 0)
		return -1;
	if (surplus) {
		*surplus = 0;
		if (fm_derive_tm(c, p, x->in->env, &tr) != FM_OK)
			x->oom = true;
		else if (tr.outcome == FM_DERIVED)
			*surplus = tr.l.network - share;
		fm_tm_result_release(&tr);
	}
	if (managed_unused(c, p))
		return -1; /* the surplus belongs to the heap: see network_rest_fix */
	fm_floors fl;
	fm_health_floors(c, p, &fl);
	/* a managed size under its consumer's floor would trade this finding
	 * for FM067 (a set managed.size is exempt from the floor check below) */
	if (fl.managed_consumer && rest < fl.v[FM_H_MANAGED].bytes)
		return -1;
	for (int64_t m = rest >> 20 << 20, k = 0; k < 2; k++, m += INT64_C(1) << 20) {
		char v[32];
		fm_size_text(v, sizeof v, m);
		d = with_value(x, c, "taskmanager.memory.managed.size", m ? v : "0");
		if (!d)
			return -1;
		bool ok = side_ok(x, d, true, 0, &fl);
		fm_conf_free(d);
		if (ok)
			return m;
	}
	return -1;
}

static bool chain_has(const fm_jchain *ch, const char *needle)
{
	for (size_t i = 0; i < ch->n; i++)
		if (ch->v[i].msg && strstr(ch->v[i].msg, needle))
			return true;
	return false;
}

static bool k8s_memory_refused(lx *x, bool tm);
static bool k8s_written(const lx *x, const fm_entry *e);

/* What a flink-conf.yaml line the reader skipped for want of ": " meant
 * ("taskmanager.memory.process.size:4g"): the key and value around its
 * first ':' (a '#' comment cut), read again from the file. true with
 * *k and *v allocated; false when the line holds no such pair. */
static bool skipped_pair(const char *file, unsigned long lineno, char **k, char **v)
{
	*k = *v = NULL;
	FILE *f = file ? fopen(file, "r") : NULL;
	if (!f)
		return false;
	char *buf = NULL;
	size_t cap = 0;
	ssize_t n = -1;
	for (unsigned long i = 0; i < lineno && (n = getline(&buf, &cap, f)) >= 0; i++)
		;
	fclose(f);
	bool ok = false;
	if (n > 0 && n < 65536) {
		char *h = memchr(buf, '#', (size_t)n);
		size_t len = h ? (size_t)(h - buf) : (size_t)n;
		char *c = memchr(buf, ':', len);
		if (c) {
			const char *ks = buf, *ke = c, *vs = c + 1, *ve = buf + len;
			while (ks < ke && isspace((unsigned char)*ks))
				ks++;
			while (ke > ks && isspace((unsigned char)ke[-1]))
				ke--;
			while (vs < ve && isspace((unsigned char)*vs))
				vs++;
			while (ve > vs && isspace((unsigned char)ve[-1]))
				ve--;
			if (ke > ks && ve > vs && !memchr(ks, ' ', (size_t)(ke - ks))) {
				*k = strndup(ks, (size_t)(ke - ks));
				*v = strndup(vs, (size_t)(ve - vs));
				ok = *k && *v;
			}
		}
	}
	free(buf);
	if (!ok) {
		free(*k);
		free(*v);
		*k = *v = NULL;
	}
	return ok;
}

/* "<file>:<line>: ..." (the file itself may hold ':'): the ':' before the
 * line number, and the number; NULL when the text has none. */
static const char *log_line_at(const char *rest, unsigned long *line)
{
	for (const char *c = rest; (c = strchr(c, ':')) != NULL; c++) {
		char *end;
		if (c[1] < '0' || c[1] > '9')
			continue;
		*line = strtoul(c + 1, &end, 10);
		if (end[0] == ':' && end[1] == ' ')
			return c;
	}
	return NULL;
}

/* The file name as c's provenance holds it (its pointer), NULL when no
 * entry comes from a file of that name. */
static const char *conf_file_named(const fm_conf *c, const char *name, size_t n)
{
	for (size_t k = 0; k < fm_conf_len(c); k++) {
		const char *f = fm_conf_at(c, k)->at.file;
		if (f && strlen(f) == n && !strncmp(f, name, n))
			return f;
	}
	return NULL;
}

/* The next line (from log *i on) the legacy reader skipped for a missing
 * ": " (its WARN "... configuration file FILE:LINE: ..."): its file as the
 * conf holds it and its line; false past the last. */
static bool skipped_at(const lx *x, size_t *i, const char **file, unsigned long *line)
{
	static const char pre[] = "WARN Error while trying to split key and value in configuration file ";
	const fm_logs *l = x->in->load_logs;
	for (; l && *i < l->n; (*i)++) {
		const char *m = l->v[*i];
		if (strncmp(m, pre, sizeof pre - 1))
			continue;
		const char *rest = m + sizeof pre - 1;
		unsigned long ln = 0;
		const char *c = log_line_at(rest, &ln);
		const char *f = c && ln ? conf_file_named(x->in->conf, rest, (size_t)(c - rest)) : NULL;
		if (f) {
			*file = f;
			*line = ln;
			(*i)++;
			return true;
		}
	}
	return false;
}

/* The value a skipped line meant for key (the user's "key:4g"), NULL when
 * none; allocated. */
static char *skipped_value(const lx *x, const char *key)
{
	const char *file;
	unsigned long line;
	for (size_t i = 0; skipped_at(x, &i, &file, &line);) {
		char *k, *v;
		if (skipped_pair(file, line, &k, &v)) {
			bool hit = !strcmp(k, key);
			free(k);
			if (hit)
				return v;
			free(v);
		}
	}
	return NULL;
}

/* "Derived JVM Overhead size (X (N bytes)) is not in configured JVM
 * Overhead range [MIN (A bytes), MAX (B bytes)]": the parts and the total
 * are all set, and the overhead is what they leave. Above its max, the max
 * grows to it (every size the user set stays); below its min, the total
 * grows by the shortfall. true with *key and *val set (NULL on allocation
 * failure) when the chain holds the message. */
static const char *legacy_key_of(const fm_conf *c, bool tm);

static bool overhead_out_of_range(const fm_jchain *ch, bool tm, const fm_conf *cur, const fm_profile *p, char **key,
				  char **val)
{
	/* both totals set (or the legacy heap key read as total Flink memory):
	 * one of them goes, which FM041/FM032 say; no range to widen */
	const fm_option tp = fm_option_get(p, tm ? FM_O_TM_PROCESS : FM_O_JM_PROCESS);
	const fm_option tf = fm_option_get(p, tm ? FM_O_TM_FLINK : FM_O_JM_FLINK);
	if (fm_conf_has(cur, tp.key) && (fm_conf_has(cur, tf.key) || legacy_key_of(cur, tm)))
		return false;
	int64_t b[3];
	if (!fm_derive_overhead_out_of_range(ch, &b[0], &b[1], &b[2]))
		return false;
	char v[32];
	if (b[0] > b[2]) {
		*key = strdup(tm ? "taskmanager.memory.jvm-overhead.max" : "jobmanager.memory.jvm-overhead.max");
		fm_size_text(v, sizeof v, fm_size_ceil_mib(b[0]));
	} else {
		const fm_option tot = fm_option_get(p, tm ? FM_O_TM_PROCESS : FM_O_JM_PROCESS);
		int64_t cur_total = fm_conf_bytes(cur, tot.key);
		if (cur_total <= 0)
			return false;
		*key = strdup(tot.key);
		fm_size_text(v, sizeof v, fm_size_ceil_mib(fm_size_add_sat(cur_total, b[1] - b[0])));
	}
	*val = strdup(v);
	return true;
}

/* The pre-1.10 heap key of a side c sets ("taskmanager.heap.size",
 * ".heap.mb"), or NULL. */
static const char *legacy_key_of(const fm_conf *c, bool tm)
{
	static const char *const keys[2][2] = {{"jobmanager.heap.size", "jobmanager.heap.mb"},
					       {"taskmanager.heap.size", "taskmanager.heap.mb"}};
	for (int i = 0; i < 2; i++)
		if (fm_conf_has(c, keys[tm][i]))
			return keys[tm][i];
	return NULL;
}

/* The key and value that carry a legacy heap key's size forward the way
 * 1.10-1.20's BashJavaUtils read it: true when c has one (*key, *val
 * allocated; NULL on allocation failure). A ".mb" value is a count of
 * MiB. */
static bool legacy_size(const fm_conf *c, bool tm, char **key, char **val)
{
	const char *lk = legacy_key_of(c, tm);
	const fm_entry *e = lk ? fm_conf_find(c, lk) : NULL;
	if (!e)
		return false;
	bool mb = strstr(lk, ".mb") != NULL;
	*key = strdup(tm ? "taskmanager.memory.flink.size" : "jobmanager.memory.heap.size");
	if (asprintf(val, mb ? "%.*sm" : "%.*s", (int)e->text_len, e->text) < 0)
		*val = NULL;
	return true;
}

static void reject_side(lx *x, bool tm)
{
	/* The operator refuses the CR first (FM102): what Flink would make of
	 * the rest of this side is moot. */
	if (k8s_memory_refused(x, tm))
		return;
	const fm_lint_input *in = x->in;
	const fm_profile *p = in->profile;
	const char *id = tm ? "FM001" : "FM002";
	const char *who = tm ? "TaskManager" : "JobManager";
	fm_conf *cur = fm_conf_dup(in->conf);
	if (!cur) {
		x->oom = true;
		return;
	}
	char *last = NULL;
	for (int round = 0; round < 6 && !x->oom; round++) {
		fm_tm_result tr;
		fm_jm_result jr;
		bool ok;
		if (derive_side(x, cur, tm, &ok, &tr, &jr) != 0)
			break;
		if (ok) {
			if (tm)
				fm_tm_result_release(&tr);
			else
				fm_jm_result_release(&jr);
			break;
		}
		fm_jchain *ch = tm ? &tr.err : &jr.err;
		char kbuf[256];
		const char *okey = error_key(ch, kbuf, sizeof kbuf);
		const fm_option tot_p = fm_option_get(p, tm ? FM_O_TM_PROCESS : FM_O_JM_PROCESS);
		const fm_option tot_f = fm_option_get(p, tm ? FM_O_TM_FLINK : FM_O_JM_FLINK);
		const char *key = okey ? present_key(cur, p, okey)
				  : fm_conf_has(cur, tot_p.key) ? tot_p.key
				  : fm_conf_has(cur, tot_f.key) ? tot_f.key : NULL;
		const char *top = ch->v[0].msg ? ch->v[0].msg : "";
		/* A min above its max is reported against the fraction, which need
		 * not be in the file (its default applies): the range is what to
		 * repair, so the finding points at the range's keys. */
		const char *cause0 = ch->n > 1 && ch->v[ch->n - 1].msg ? ch->v[ch->n - 1].msg : "";
		bool range = okey && is_fraction_key(okey) && strstr(top, "Inconsistently configured") &&
			     strstr(cause0, "min value must be less or equal");
		char rmin[256] = "", rmax[256] = "";
		if (range) {
			size_t stem = strlen(okey) - strlen("fraction");
			char tmin[256], tmax[256];
			snprintf(tmin, sizeof tmin, "%.*smin", (int)stem, okey);
			snprintf(tmax, sizeof tmax, "%.*smax", (int)stem, okey);
			snprintf(rmin, sizeof rmin, "%s", present_key(cur, p, tmin));
			snprintf(rmax, sizeof rmax, "%s", present_key(cur, p, tmax));
			if (!fm_conf_has(cur, key))
				key = fm_conf_has(cur, rmin) ? rmin : fm_conf_has(cur, rmax) ? rmax : key;
		}
		if (last && strcmp(last, top) == 0) {
			/* the previous fix did not help: stop rather than repeat */
			if (tm)
				fm_tm_result_release(&tr);
			else
				fm_jm_result_release(&jr);
			break;
		}
		free(last);
		last = strdup(top);
		fm_finding *g = add(x, id, key, in->conf, "%s: Flink rejects the configuration", who);
		fm_buf det = FM_BUF_INIT;
		for (size_t i = 0; i < ch->n; i++)
			fm_buf_addf(&det, "%s%s: %s\n", i ? "  caused by " : "", ch->v[i].cls, ch->v[i].msg ? ch->v[i].msg : "");
		set_detail(x, g, "%s", det.data ? det.data : "");
		fm_buf_release(&det);
		/* Candidate fix, re-derived before it is shown. */
		char *fix_key = NULL, *fix_val = NULL;
		char *skip_val = NULL;
		const char *skip_key = NULL;
		if (strstr(top, "need to be configured explicitly")) {
			skip_key = tot_p.key;
			if (!(skip_val = skipped_value(x, skip_key)))
				skip_val = skipped_value(x, skip_key = tot_f.key);
		}
		const fm_entry *e = key ? fm_conf_find(cur, key) : NULL;
		if (range) {
			/* raise max to min; with only a max set (below the default
			 * min), drop it so the default range applies */
			const fm_entry *me = fm_conf_find(cur, rmin);
			fix_key = strdup(rmax);
			fix_val = me ? strdup(me->text) : NULL;
		} else if (okey && e) {
			char *rep = repair_value(key, e->text);
			const char *cause = ch->n > 1 && ch->v[ch->n - 1].msg ? ch->v[ch->n - 1].msg : "";
			if (strstr(top, "Inconsistently configured") && strstr(cause, "min value must be less or equal")) {
				/* The range is wrong, not the fraction: raise max to min. */
				char mink[256], maxk[256];
				size_t stem = strlen(okey) - strlen("fraction");
				snprintf(mink, sizeof mink, "%.*smin", (int)stem, okey);
				snprintf(maxk, sizeof maxk, "%.*smax", (int)stem, okey);
				const fm_entry *me = fm_conf_find(cur, present_key(cur, p, mink));
				free(rep);
				rep = NULL;
				if (me) {
					fix_key = strdup(present_key(cur, p, maxk));
					fix_val = strdup(me->text);
				}
			} else if (rep) {
				fix_key = strdup(key);
				fix_val = rep;
			} else {
				fix_key = strdup(key);
				fix_val = NULL; /* remove the key: Flink's default applies */
			}
		} else if (overhead_out_of_range(ch, tm, cur, p, &fix_key, &fix_val)) {
			/* handled: the overhead's range or the total */
		} else if (skip_val) {
			/* the size the user wrote on a line Flink skipped ("key:4g"):
			 * that line repaired, not a default in its place */
			fix_key = strdup(skip_key);
			fix_val = skip_val;
			skip_val = NULL;
		} else if (strstr(top, "need to be configured explicitly") && legacy_size(cur, tm, &fix_key, &fix_val)) {
			/* a pre-1.10 heap key this release no longer reads (2.x): its
			 * size, where Flink 1.10-1.20's start scripts put it
			 * (BashJavaUtils: the TaskManager's as total Flink memory, the
			 * JobManager's as its JVM heap), and the old key removed */
			if (!fix_key || !fix_val)
				x->oom = true;
			else if (g)
				set_fix(x, g, "%s: %s\n# remove %s\n", fix_key, fix_val, legacy_key_of(cur, tm));
		} else if (strstr(top, "need to be configured explicitly")) {
			/* the shipped size, unless the other settings need more: then
			 * the smallest that starts and keeps the floors (one finding
			 * whose fix passes, not a chain of them) */
			fix_key = strdup(tot_p.key);
			fix_val = strdup(tm ? p->shipped_tm_process : "1600m");
			fm_conf *d = tm && fix_val ? with_value(x, cur, tot_p.key, fix_val) : NULL;
			fm_floors fl;
			if (d) {
				fm_health_floors(d, p, &fl);
				if (!side_ok(x, d, true, 0, &fl)) {
					int64_t lo = min_total(x, cur, true, tot_p.key, 0, true);
					if (lo < 0)
						lo = min_total(x, cur, true, tot_p.key, 0, false);
					int64_t ship = fm_conf_bytes(d, tot_p.key);
					if (lo > 0 && fm_size_ceil_mib(lo) > ship) {
						char v[32];
						fm_size_text(v, sizeof v, fm_size_ceil_mib(lo));
						free(fix_val);
						fix_val = strdup(v);
					}
				}
				fm_conf_free(d);
			}
		} else if (key) {
			bool jm_recommend = !tm;
			fm_conf *clean = scrub_key_errors(x, cur, tm, key);
			if (!clean)
				break;
			/* a JobManager heap the user set is not to be shrunk to the
			 * recommended 128m, nor its off-heap to what the total leaves:
			 * the total its parts need comes first */
			int64_t lo = !tm && fm_conf_has(clean, fm_option_get(p, FM_O_JM_HEAP).key) ? -1
				     : min_total(x, clean, tm, key, 0, false);
			if (lo > 0) {
				char a[32], b[32];
				int64_t r = fm_size_ceil_mib(lo);
				fm_size_text(a, sizeof a, r);
				fix_key = strdup(key);
				fix_val = strdup(a);
				/* the fix is the smallest size that is also healthy */
				int64_t hl = tm ? min_total(x, clean, tm, key, 0, true) : -1;
				char h[32] = "";
				if (hl > lo && fm_size_ceil_mib(hl) > r) {
					fm_size_text(h, sizeof h, fm_size_ceil_mib(hl));
					free(fix_val);
					fix_val = strdup(h);
				}
				if (jm_recommend) {
					int64_t rec = min_total(x, clean, false, key, INT64_C(128) << 20, false);
					if (rec > 0) {
						fm_size_text(b, sizeof b, fm_size_ceil_mib(rec));
						set_fix(x, g, "%s: %s\n", key, b);
						char *m2 = NULL;
						if (asprintf(&m2, "%s: Flink rejects the configuration; with your other settings it starts from %s = %s, and %s gives the recommended 128m JVM heap",
							     who, key, a, b) >= 0) {
							free(g->message);
							g->message = m2;
						}
						free(fix_val);
						fix_val = strdup(b);
					}
				} else {
					char *m2 = NULL;
					if (asprintf(&m2, "%s: Flink rejects the configuration; with your other settings it starts from %s = %s%s%s%s",
						     who, key, a, h[0] ? ", and " : "", h[0] ? h : "",
						     h[0] ? " keeps every component at or above its health floor (docs/health.md)" : "") >= 0) {
						free(g->message);
						g->message = m2;
					}
				}
			} else if ((lo = total_from_parts(x, clean, tm, key, fm_conf_bytes(cur, key))) > 0) {
				/* the parts set fix the total to a window (the JVM overhead's
				 * range): the one Flink derives from them alone */
				char a[32];
				fm_size_text(a, sizeof a, lo);
				fix_key = strdup(key);
				fix_val = strdup(a);
				char *m2 = NULL;
				if (g && asprintf(&m2, "%s: Flink rejects the configuration; the sizes you set need %s = %s",
						  who, key, a) >= 0) {
					free(g->message);
					g->message = m2;
				}
			} else if (fm_conf_has(cur, tot_p.key) && fm_conf_has(cur, tot_f.key)) {
				fix_key = strdup(tot_f.key);
				fix_val = NULL;
			} else if (tm && chain_has(ch, "Network Memory")) {
				/* a fixed task heap leaves the network the rest, above its max */
				int64_t m = network_rest_managed(x, cur, NULL);
				if (m < 0 && fm_conf_has(cur, "taskmanager.memory.task.heap.size")) {
					/* nothing uses managed memory, or no whole-MiB managed size
					 * balances the fixed parts: the heap takes the rest */
					fix_key = strdup("taskmanager.memory.task.heap.size");
					fix_val = NULL;
					set_fix(x, g, "# remove taskmanager.memory.task.heap.size (the task heap takes what the "
						      "other parts leave)\n");
				} else if (m >= 0) {
					char mv[32];
					fm_size_text(mv, sizeof mv, m);
					fix_key = strdup("taskmanager.memory.managed.size");
					fix_val = strdup(mv);
					set_fix(x, g, "taskmanager.memory.managed.size: %s\n%s", mv,
						fm_conf_has(cur, "taskmanager.memory.managed.fraction")
							? "# remove taskmanager.memory.managed.fraction\n" : "");
					char *m2 = NULL;
					if (g && asprintf(&m2, "%s: Flink rejects the configuration: with the task heap fixed, the network "
							  "is what the other parts leave, more than its maximum; managed memory takes the "
							  "surplus", who) >= 0) {
						free(g->message);
						g->message = m2;
					}
				}
			}
			fm_conf_free(clean);
		}
		free(skip_val);
		if (tm)
			fm_tm_result_release(&tr);
		else
			fm_jm_result_release(&jr);
		if (!fix_key)
			break;
		fm_conf *next = with_value(x, cur, fix_key, fix_val);
		if (!next) {
			free(fix_key);
			free(fix_val);
			break;
		}
		if (g && !g->fix) {
			if (fix_val)
				set_fix(x, g, "%s: %s\n", fix_key, fix_val);
			else
				set_fix(x, g, "# remove %s (Flink's default applies)\n", fix_key);
		}
		/* Stop when the fix does not change the outcome's message: no loop. */
		fm_conf_free(cur);
		cur = next;
		free(fix_key);
		free(fix_val);
	}
	free(last);
	fm_conf_free(cur);
}

/* ---- traps ----------------------------------------------------------------- */

static bool is_size_option_key(const fm_profile *p, const char *k)
{
	for (int id = 0; id < FM_O_COUNT; id++) {
		fm_option o = fm_option_get(p, (enum fm_opt_id)id);
		if (o.type != FM_T_SIZE)
			continue;
		if (strcmp(o.key, k) == 0)
			return true;
		for (int i = 0; i < 2 && o.fallback[i]; i++)
			if (strcmp(o.fallback[i], k) == 0)
				return true;
	}
	return false;
}

static void trap_units(lx *x)
{
	const fm_conf *c = x->in->conf;
	for (size_t i = 0; i < fm_conf_len(c); i++) {
		const fm_entry *e = fm_conf_at(c, i);
		const char *v = e->text;
		if (k8s_written(x, e) || !fm_entry_key_whole(e))
			continue; /* the operator's conversion of a spec field: FM101 speaks for it */
		if (is_size_option_key(x->in->profile, e->key)) {
			size_t n = strspn(v, "0123456789");
			if (n && v[n] == '\0' && e->type != FM_V_INT) {
				unsigned long long b = strtoull(v, NULL, 10);
				if (b > 0 && b < (1ULL << 20)) {
					fm_finding *g = add(x, "FM010", e->key, c, "%s: %s is %llu bytes, not %llu MiB", e->key, v, b, b);
					set_fix(x, g, "%s: %sm\n", e->key, v);
				}
			}
			const char *u = v + strspn(v, "0123456789. \t");
			if (*u && (u[1] == 'i' || u[1] == 'I') && strchr("kKmMgGtTpPeE", u[0]) && u[2] == '\0') {
				char *rep = repair_value(e->key, v);
				fm_finding *g = add(x, "FM011", e->key, c, "%s: '%s' is a Kubernetes quantity; Flink does not read '%s'", e->key, v, u);
				if (rep)
					set_fix(x, g, "%s: %s\n", e->key, rep);
				free(rep);
			} else if (strchr(v, '.') && v[0] >= '0' && v[0] <= '9') {
				char *rep = repair_value(e->key, v);
				fm_finding *g = add(x, "FM013", e->key, c, "%s: '%s' has a decimal point; Flink sizes are whole numbers", e->key, v);
				if (rep)
					set_fix(x, g, "%s: %s\n", e->key, rep);
				free(rep);
			}
		}
		const char *near;
		size_t dist;
		/* only a fraction Flink reads: a percentage under any other key
		 * changes nothing (FM020 names the key instead) */
		if (is_fraction_key(e->key) && (strncmp(e->key, "taskmanager.", 12) == 0 || strncmp(e->key, "jobmanager.", 11) == 0) &&
		    key_known(x->in->profile, e->key, &near, &dist)) {
			char *end;
			double d = strtod(v, &end);
			if (end != v && (*end == '%' || (*end == '\0' && d >= 1))) {
				char *rep = repair_value(e->key, v);
				fm_finding *g = add(x, "FM012", e->key, c, "%s: %s looks like a percentage; fractions are in [0, 1)", e->key, v);
				if (rep)
					set_fix(x, g, "%s: %s\n", e->key, rep);
				free(rep);
			}
		}
	}
}

/* Keys flinkmem knows besides the memory options (so they are not typos). */
static const char *const known_keys[] = {
	"taskmanager.memory.segment-size", "taskmanager.memory.min-segment-size",
	"taskmanager.memory.managed.consumer-weights", "taskmanager.memory.jvm-metaspace.size",
	"taskmanager.network.memory.buffers-per-channel", "taskmanager.network.memory.floating-buffers-per-gate",
	"taskmanager.network.memory.max-buffers-per-channel", "taskmanager.network.memory.max-overdraft-buffers-per-gate",
	"taskmanager.network.memory.exclusive-buffers-request-timeout-ms", "taskmanager.network.memory.buffers-request-timeout",
	"taskmanager.network.memory.read-buffer.required-per-gate.max", "taskmanager.network.memory.buffer-debloat.enabled",
	"taskmanager.network.memory.buffer-debloat.target", "taskmanager.network.memory.buffer-debloat.period",
	"taskmanager.network.memory.buffer-debloat.samples", "taskmanager.network.memory.buffer-debloat.threshold-percentages",
	"taskmanager.network.sort-shuffle.min-buffers", "taskmanager.network.sort-shuffle.min-parallelism",
	"taskmanager.network.blocking-shuffle.type", "taskmanager.network.blocking-shuffle.compression.enabled",
	"taskmanager.network.compression.codec", "taskmanager.network.numberOfBuffers",
	"taskmanager.memory.framework.off-heap.batch-shuffle.size", "taskmanager.numberOfTaskSlots",
	"taskmanager.cpu.cores", "taskmanager.heap.size", "taskmanager.heap.mb", "jobmanager.heap.size",
	"jobmanager.heap.mb", "taskmanager.memory.size", "taskmanager.memory.fraction",
	"taskmanager.memory.off-heap", "taskmanager.memory.preallocate",
	"jobmanager.memory.enable-jvm-direct-memory-limit", "state.backend.rocksdb.memory.managed",
	"state.backend.rocksdb.memory.fixed-per-slot", "state.backend.rocksdb.memory.fixed-per-tm",
	"state.backend.rocksdb.memory.write-buffer-ratio", "state.backend.rocksdb.memory.high-prio-pool-ratio",
	"state.backend.rocksdb.memory.partitioned-index-filters",
};

/* Memory keys a later release added, with the first profile that reads them
 * (fm_profile.order; first releases from each tag's ConfigOptions). Older
 * releases ignore them without a word. A key is flagged only on profiles
 * wholly before its release: the 1.19-1.20 profile cannot tell 1.19 from
 * 1.20. */
static const struct {
	const char *key; /* a full key, or a prefix ending in '.' */
	int order;       /* first fm_profile.order that reads it */
	const char *since, *instead;
} newer_keys[] = {
	/* FLIP-116: the JobManager's memory model */
	{"jobmanager.memory.", 1111, "1.11", "its JobManager heap is jobmanager.heap.size"},
	{"taskmanager.network.memory.max-buffers-per-channel", 1111, "1.11", NULL},
	{"taskmanager.memory.managed.consumer-weights", 1121, "1.12", NULL},
	{"taskmanager.network.sort-shuffle.", 1121, "1.12", NULL},
	{"taskmanager.memory.framework.off-heap.batch-shuffle.size", 1130, "1.13", NULL},
	{"state.backend.rocksdb.memory.partitioned-index-filters", 1130, "1.13", NULL},
	{"taskmanager.network.memory.buffer-debloat.", 1140, "1.14", NULL},
	{"taskmanager.memory.min-segment-size", 1140, "1.14", NULL},
	{"taskmanager.network.memory.max-overdraft-buffers-per-gate", 1160, "1.16", NULL},
	/* FLINK-29928 */
	{"state.backend.rocksdb.memory.fixed-per-tm", 1180, "1.17",
	 "use state.backend.rocksdb.memory.fixed-per-slot, or managed memory"},
	{"taskmanager.network.memory.read-buffer.required-per-gate.max", 1180, "1.17", NULL},
	/* FLINK-35461 (1.20): before, exclusive-buffers-request-timeout-ms */
	{"taskmanager.network.memory.buffers-request-timeout", 1200, "1.20",
	 "it reads taskmanager.network.memory.exclusive-buffers-request-timeout-ms"},
};

static void newer_key(lx *x, const fm_conf *c, const char *k)
{
	const fm_profile *p = x->in->profile;
	for (size_t i = 0; i < sizeof newer_keys / sizeof newer_keys[0]; i++) {
		const char *n = newer_keys[i].key;
		size_t len = strlen(n);
		bool match = n[len - 1] == '.' ? strncmp(k, n, len) == 0 : strcmp(k, n) == 0;
		if (!match || p->order >= newer_keys[i].order)
			continue;
		const char *in = newer_keys[i].instead;
		add(x, "FM033", k, c, "%s is read from Flink %s on; Flink %s ignores it%s%s%s", k, newer_keys[i].since,
		    p->releases, in ? " (" : "", in ? in : "", in ? ")" : "");
		return;
	}
}

/* Namespaces where an unknown key is most likely a typo of a memory key. */
static bool in_memory_namespace(const char *k)
{
	return strncmp(k, "taskmanager.memory.", 19) == 0 || strncmp(k, "jobmanager.memory.", 18) == 0 ||
	       strncmp(k, "taskmanager.network.memory.", 27) == 0 || strncmp(k, "state.backend.rocksdb.memory.", 29) == 0;
}

/* A key's dot components (start, length), at most 16. */
static size_t split_components(const char *k, const char *at[16], size_t len[16])
{
	size_t n = 0;
	for (const char *s = k; n < 16;) {
		const char *d = strchr(s, '.');
		at[n] = s;
		len[n++] = d ? (size_t)(d - s) : strlen(s);
		if (!d)
			break;
		s = d + 1;
	}
	return n;
}

/* Is `cand` the user's key `k` with one dot component the user left out, or
 * written with/without its qualifier (`metaspace` for `jvm-metaspace`)?
 * Guides write `taskmanager.memory.heap.size` or `.metaspace.size`: too far
 * for a character distance, one component away for the reader. */
static bool component_near(const char *k, const char *cand)
{
	const char *ka[16], *ca[16];
	size_t kl[16], cl[16], nk = split_components(k, ka, kl), nc = split_components(cand, ca, cl);
#define COMP_EQ(a, al, b, bl) ((al) == (bl) && memcmp((a), (b), (al)) == 0)
	if (nk == nc) {
		size_t diff = 0, at = 0;
		for (size_t i = 0; i < nk; i++)
			if (!COMP_EQ(ka[i], kl[i], ca[i], cl[i])) {
				diff++;
				at = i;
			}
		if (diff != 1)
			return false;
		/* the shorter is a hyphen-separated part of the longer */
		bool kshort = kl[at] < cl[at];
		const char *lo = kshort ? ka[at] : ca[at], *hi = kshort ? ca[at] : ka[at];
		size_t ll = kshort ? kl[at] : cl[at], hl = kshort ? cl[at] : kl[at];
		if (ll == 0 || ll >= hl)
			return false;
		return (memcmp(hi + hl - ll, lo, ll) == 0 && hi[hl - ll - 1] == '-') ||
		       (memcmp(hi, lo, ll) == 0 && hi[ll] == '-');
	}
	/* one component the user left out (not one the user added: dropping a
	 * word of theirs turns `memory.metaspace.size` into `memory.size`) */
	if (nk + 1 != nc)
		return false;
	for (size_t skip = 0; skip < nc; skip++) {
		bool same = true;
		for (size_t i = 0, j = 0; i < nc && same; i++) {
			if (i == skip)
				continue;
			same = COMP_EQ(ca[i], cl[i], ka[j], kl[j]);
			j++;
		}
		if (same)
			return true;
	}
	return false;
#undef COMP_EQ
}

/* FM020's fix: the key a typo or a guide's shorthand stands for, with the
 * value written, the unknown key removed. A `.size` meant for a ranged
 * component (network, JVM overhead) sets both ends, so it is that size.
 * The value was never in effect: where, at the user's total, Flink would
 * reject it or another component would fall under its floor, the total
 * grows until the task heap keeps what it has today (not merely its
 * floor: the smallest total that starts would leave a 128 MiB task heap). */
static void suggest_fix(lx *x, const fm_conf *c, fm_finding *g, const char *k, const char *closest, const char *val)
{
	char maxk[256] = "";
	size_t n = strlen(closest);
	const char *comp = strrchr(k, '.');
	if (n > 4 && !strcmp(closest + n - 4, ".min") && comp && !strcmp(comp, ".size") && n < sizeof maxk) {
		snprintf(maxk, sizeof maxk, "%.*smax", (int)(n - 3), closest);
		int64_t want = fm_conf_bytes(c, k), have = fm_conf_bytes(c, maxk);
		const char *cl;
		size_t dist;
		if (want <= 0 || (have >= 0 && have >= want) || !key_known(x->in->profile, maxk, &cl, &dist))
			maxk[0] = '\0';
	}
	const char *tk = total_key(c);
	fm_conf *a = with_value(x, c, k, NULL);
	fm_conf *b = a ? with_value(x, a, closest, val) : NULL;
	fm_conf *d = b && maxk[0] ? with_value(x, b, maxk, val) : NULL;
	fm_conf_free(a);
	const fm_conf *cand = d ? d : b;
	char t[32] = "";
	fm_tm_result before, after;
	if (cand && tk && !strncmp(closest, "taskmanager.memory.", 19) &&
	    fm_derive_tm(c, x->in->profile, x->in->env, &before) == FM_OK) {
		if (before.outcome == FM_DERIVED && fm_derive_tm(cand, x->in->profile, x->in->env, &after) == FM_OK) {
			bool shrinks = after.outcome != FM_DERIVED;
			if (!shrinks) {
				fm_floors fl;
				const char *skip[FM_H_COUNT];
				fm_health_floors(cand, x->in->profile, &fl);
				size_t nskip = fm_health_user_set(cand, skip, FM_H_COUNT);
				shrinks = fm_health_violation(&fl, &after.l, NULL, skip, nskip, NULL) != NULL;
			}
			int64_t grown = shrinks ? min_total(x, cand, true, tk, before.l.task_heap, true) : -1;
			if (grown > 0)
				grown = fm_size_ceil_mib(grown);
			if (grown > fm_conf_bytes(c, tk)) {
				fm_size_text(t, sizeof t, grown);
				char h[FM_SIZE_HUMAN_MAX];
				fm_size_human_c(h, before.l.task_heap);
				set_detail(x, g, "%s was never in effect: at this %s Flink would reject it or starve another "
					   "component, so the total grows to %s, where the task heap keeps today's %s (what is "
					   "a fraction of the total, managed memory by default, grows with it; set its size to "
					   "keep it)",
					   k, tk, t, h);
			}
			fm_tm_result_release(&after);
		}
		fm_tm_result_release(&before);
	}
	fm_conf_free(b);
	fm_conf_free(d);
	set_fix(x, g, "%s: %s\n%s%s%s%s# remove %s\n%s%s%s%s", closest, val, maxk, maxk[0] ? ": " : "",
		maxk[0] ? val : "", maxk[0] ? "\n" : "", k, t[0] ? tk : "", t[0] ? ": " : "", t, t[0] ? "\n" : "");
}

/* The real key one component away from `k`, when there is exactly one. A
 * `framework.` key loses a tie: Flink's docs keep those for experts, so a
 * guide's `taskmanager.memory.heap.size` means the task heap. */
static const char *component_closest(const fm_profile *p, const char *k)
{
	const char *cand[8];
	size_t n = 0, nknown = sizeof known_keys / sizeof known_keys[0];
	for (size_t id = 0; id < (size_t)FM_O_COUNT + nknown; id++) {
		const char *key = id < FM_O_COUNT ? fm_option_get(p, (enum fm_opt_id)id).key : known_keys[id - FM_O_COUNT];
		if (!key || !component_near(k, key))
			continue;
		bool dup = false;
		for (size_t j = 0; j < n; j++)
			dup = dup || strcmp(cand[j], key) == 0;
		if (!dup && n < sizeof cand / sizeof cand[0])
			cand[n++] = key;
	}
	if (n == 1)
		return cand[0];
	const char *other = NULL;
	size_t others = 0;
	for (size_t j = 0; j < n; j++)
		if (!strstr(cand[j], ".framework."))
			other = cand[j], others++;
	return others == 1 ? other : NULL;
}

static bool key_known(const fm_profile *p, const char *k, const char **closest, size_t *dist)
{
	*closest = NULL;
	*dist = 99;
	for (int id = 0; id < FM_O_COUNT; id++) {
		fm_option o = fm_option_get(p, (enum fm_opt_id)id);
		const char *cands[3] = {o.key, o.fallback[0], o.fallback[1]};
		for (int i = 0; i < 3; i++) {
			if (!cands[i])
				continue;
			if (strcmp(cands[i], k) == 0)
				return true;
			size_t d = fm_edit_distance(k, cands[i], 3);
			if (d < *dist) {
				*dist = d;
				*closest = o.key;
			}
		}
	}
	for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++) {
		if (strcmp(known_keys[i], k) == 0)
			return true;
		size_t d = fm_edit_distance(k, known_keys[i], 3);
		if (d < *dist) {
			*dist = d;
			*closest = known_keys[i];
		}
	}
	return false;
}

bool fm_lint_unknown_key(const fm_profile *p, const char *k, const char **closest)
{
	size_t dist;
	bool known = key_known(p, k, closest, &dist);
	if (dist > 3)
		*closest = NULL; /* nothing near: a guess would be noise (and its fix removes the key) */
	if (!known && !*closest && in_memory_namespace(k))
		*closest = component_closest(p, k);
	return !known && (in_memory_namespace(k) || dist <= 2);
}

static void trap_keys(lx *x)
{
	const fm_conf *c = x->in->conf;
	const fm_profile *p = x->in->profile;
	for (size_t i = 0; i < fm_conf_len(c); i++) {
		const fm_entry *e = fm_conf_at(c, i);
		const char *k = e->key;
		const char *closest;
		if (strncmp(k, "external-resource", 17) == 0 || !fm_entry_key_whole(e))
			continue;
		if (fm_lint_unknown_key(p, k, &closest)) {
			fm_finding *g = add(x, "FM020", k, c, "%s is not a Flink key%s%s%s", k, closest ? "; did you mean " : "",
					    closest ? closest : "", closest ? "?" : "");
			/* the typo goes too, or it stays a finding */
			if (closest && g && fm_conf_has(c, closest))
				set_fix(x, g, "# remove %s (%s is set)\n", k, closest);
			else if (closest && g)
				suggest_fix(x, c, g, k, closest, e->text);
		}
		if (strncmp(k, "spark.", 6) == 0 || strncmp(k, "yarn.nodemanager.", 17) == 0 ||
		    strncmp(k, "mapreduce.", 10) == 0 || strncmp(k, "-X", 2) == 0 || strncmp(k, "resources.", 10) == 0)
			add(x, "FM021", k, c, "%s belongs to another system; Flink ignores it", k);
		newer_key(x, c, k);
		/* deprecated and removed keys */
		struct {
			const char *old, *repl;
			bool removed_in_2;
			bool removed_1x;
		} dep[] = {
			{"taskmanager.network.memory.min", "taskmanager.memory.network.min", false, false},
			{"taskmanager.network.memory.max", "taskmanager.memory.network.max", false, false},
			{"taskmanager.network.memory.fraction", "taskmanager.memory.network.fraction", false, false},
			{"taskmanager.memory.size", "taskmanager.memory.managed.size", false, false},
			{"taskmanager.heap.size", "taskmanager.memory.flink.size or taskmanager.memory.process.size", true, false},
			{"taskmanager.heap.mb", "taskmanager.memory.flink.size or taskmanager.memory.process.size", true, false},
			{"jobmanager.heap.size", "jobmanager.memory.heap.size or jobmanager.memory.process.size", true, false},
			{"jobmanager.heap.mb", "jobmanager.memory.heap.size or jobmanager.memory.process.size", true, false},
			{"taskmanager.network.numberOfBuffers", "taskmanager.memory.network.min / max", true, false},
			{"taskmanager.memory.fraction", "taskmanager.memory.managed.fraction (of total Flink memory)", false, true},
			{"taskmanager.memory.off-heap", "nothing: managed memory is always off-heap", false, true},
			{"taskmanager.memory.preallocate", "nothing: managed memory is allocated lazily", false, true},
			{"containerized.heap-cutoff-ratio", "taskmanager.memory.jvm-overhead.fraction", false, true},
			{"containerized.heap-cutoff-min", "taskmanager.memory.jvm-overhead.min", false, true},
		};
		for (size_t d = 0; d < sizeof dep / sizeof dep[0]; d++) {
			if (strcmp(k, dep[d].old) != 0)
				continue;
			/* 1.10 still sizes the JobManager by its heap key (the
			 * jobmanager.memory.* model came with 1.11, FLIP-116): the
			 * key its own shipped flink-conf.yaml writes */
			if (!p->has_jm && !strncmp(k, "jobmanager.heap.", 16))
				continue;
			/* ... and its container cut-off on YARN and Kubernetes
			 * (YarnClusterDescriptor, KubernetesUtils at 1.10.0) */
			if (!p->has_jm && !strncmp(k, "containerized.heap-cutoff-", 26))
				continue;
			bool gone = dep[d].removed_1x || (dep[d].removed_in_2 && p->yaml_only);
			if (gone) {
				fm_finding *g = add(x, "FM031", k, c, "%s has no effect %s; use %s", k,
						    dep[d].removed_1x ? "since Flink 1.10" : "in Flink 2.x", dep[d].repl);
				/* a key that does nothing goes (its replacement is the
				 * user's to size: the message names it) */
				if (g)
					set_fix(x, g, "# remove %s (no effect in this release)\n", k);
			} else {
				/* The network fallbacks are still read by 2.x (2.2.1's own
				 * messages list them as deprecated fallback keys). */
				bool net = strncmp(k, "taskmanager.network.memory.", 27) == 0;
				fm_finding *g = add(x, "FM030", k, c, "%s is deprecated%s; use %s", k,
						    dep[d].removed_in_2 ? " (removed in Flink 2.x)"
						    : net ? " (still read as a fallback, Flink 2.x included, but only when the new key is unset)"
							  : "",
						    dep[d].repl);
				if (g && !strchr(dep[d].repl, ' ')) {
					const fm_entry *de = fm_conf_find(c, k);
					if (fm_conf_has(c, dep[d].repl))
						set_fix(x, g, "# remove %s (%s wins)\n", k, dep[d].repl);
					else if (de)
						set_fix(x, g, "%s: %s\n# remove %s\n", dep[d].repl, de->text, k);
				} else if (g && strstr(k, ".heap.") && legacy_key_of(c, k[0] == 't') &&
					   !strcmp(legacy_key_of(c, k[0] == 't'), k)) {
					/* a pre-1.10 heap key: the key 1.10+ maps it to
					 * (MemoryBackwardsCompatibilityUtils: the TaskManager's
					 * total Flink memory, the JobManager's heap) with its size,
					 * unless a total that wins is set (FM032 then) */
					bool tm = k[0] == 't';
					const char *tp = tm ? "taskmanager.memory.process.size" : "jobmanager.memory.process.size";
					const char *tf = tm ? "taskmanager.memory.flink.size" : "jobmanager.memory.flink.size";
					char *nk = NULL, *nv = NULL;
					if (!fm_conf_has(c, tp) && !fm_conf_has(c, tf) &&
					    !(!tm && fm_conf_has(c, "jobmanager.memory.heap.size")) && legacy_size(c, tm, &nk, &nv)) {
						if (!nk || !nv)
							x->oom = true;
						else
							set_fix(x, g, "%s: %s\n# remove %s\n", nk, nv, k);
					}
					free(nk);
					free(nv);
				}
			}
		}
	}
	/* Legacy heap remap next to a process size: the surprise of v4141. */
	if (p->legacy_heap && fm_conf_has(c, "taskmanager.memory.process.size") && !fm_conf_has(c, "taskmanager.memory.flink.size")) {
		const char *lk = fm_conf_has(c, "taskmanager.heap.size") ? "taskmanager.heap.size"
				 : fm_conf_has(c, "taskmanager.heap.mb") ? "taskmanager.heap.mb" : NULL;
		if (lk) {
			fm_finding *g = add(x, "FM032", lk, c, "%s becomes taskmanager.memory.flink.size, although taskmanager.memory.process.size is set", lk);
			set_fix(x, g, "# remove %s\n", lk);
		}
	}
}

static void trap_overrides(lx *x)
{
	const fm_conf *c = x->in->conf;
	const char *pairs[][2] = {
		{"taskmanager.memory.managed.size", "taskmanager.memory.managed.fraction"},
		{"taskmanager.memory.size", "taskmanager.memory.managed.fraction"},
	};
	for (size_t i = 0; i < 2; i++)
		if (fm_conf_has(c, pairs[i][0]) && fm_conf_has(c, pairs[i][1]))
			add(x, "FM040", pairs[i][1], c, "%s is ignored: %s is set", pairs[i][1], pairs[i][0]);
	const fm_entry *mn = fm_conf_find(c, "taskmanager.memory.network.min"), *mx = fm_conf_find(c, "taskmanager.memory.network.max");
	if (mn && mx && fm_conf_has(c, "taskmanager.memory.network.fraction")) {
		int64_t a, b;
		fm_jexc je = {0};
		if (fm_size_parse(mn->text, mn->text_len, &a, &je) == 0 && fm_size_parse(mx->text, mx->text_len, &b, &je) == 0 && a == b)
			add(x, "FM040", "taskmanager.memory.network.fraction", c,
			    "taskmanager.memory.network.fraction is ignored: network min and max are equal");
		fm_jexc_release(&je);
	}
	for (int side = 0; side < 2; side++) {
		const char *pk = side ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
		const char *fk = side ? "jobmanager.memory.flink.size" : "taskmanager.memory.flink.size";
		const char *ok = side ? "jobmanager.memory.jvm-overhead.fraction" : "taskmanager.memory.jvm-overhead.fraction";
		if (fm_conf_has(c, pk) && fm_conf_has(c, fk)) {
			add(x, "FM041", fk, c, "both %s and %s are set: JVM overhead = process - flink - metaspace", pk, fk);
			if (fm_conf_has(c, ok))
				add(x, "FM040", ok, c, "%s is ignored: both total sizes are set", ok);
		}
	}
	/* min > max (reported even where Flink does not read the range yet) */
	const char *ranges[][2] = {
		{"taskmanager.memory.network.min", "taskmanager.memory.network.max"},
		{"taskmanager.memory.jvm-overhead.min", "taskmanager.memory.jvm-overhead.max"},
		{"jobmanager.memory.jvm-overhead.min", "jobmanager.memory.jvm-overhead.max"},
	};
	for (size_t i = 0; i < 3; i++) {
		const fm_entry *a = fm_conf_find(c, ranges[i][0]), *b = fm_conf_find(c, ranges[i][1]);
		if (!a || !b)
			continue;
		int64_t va, vb;
		fm_jexc je = {0};
		if (fm_size_parse(a->text, a->text_len, &va, &je) == 0 && fm_size_parse(b->text, b->text_len, &vb, &je) == 0 && va > vb) {
			fm_finding *g = add(x, "FM043", ranges[i][0], c, "%s (%s) is larger than %s (%s)", ranges[i][0], a->text, ranges[i][1], b->text);
			set_fix(x, g, "%s: %s\n%s: %s\n", ranges[i][0], b->text, ranges[i][1], a->text);
		}
		fm_jexc_release(&je);
	}
}

/* Last occurrence of a flag in a space-separated JVM option string. */
static const char *flag_value(const char *opts, const char *flag, size_t *len)
{
	const char *found = NULL;
	size_t fl = strlen(flag);
	for (const char *p = opts; (p = strstr(p, flag)) != NULL; p += fl) {
		if (p != opts && p[-1] != ' ' && p[-1] != '\t' && p[-1] != '"')
			continue;
		found = p + fl;
	}
	if (found)
		*len = strcspn(found, " \t\"");
	return found;
}

/* HotSpot flags that JDKs Flink runs on refuse at start ("Unrecognized VM
 * option"), from the special_jvm_flags table of OpenJDK's
 * src/hotspot/share/runtime/arguments.cpp: a flag leaves the table once it
 * expires, after which the JVM does not start. PermSize/MaxPermSize are
 * obsolete since 8 (ignored with a warning; still in jdk14u's table, gone
 * from jdk17u's); the CMS flags obsolete in 14, expired in 15; UseParNewGC
 * absent from jdk10's table; UseParallelOldGC obsolete 15, expired 16;
 * UseCGroupMemoryLimitForHeap expired in 11; UseBiasedLocking obsolete 18,
 * expired 19. */
static const struct {
	const char *name;
	bool prefix;
	int refused_from, ignored_from, ignored_to; /* ignored_from 0: none (JDKs that only warn) */
	const char *instead;
} refused_flags[] = {
	{"PermSize", false, 17, 8, 14, "metaspace replaced the permanent generation in JDK 8: drop it"},
	{"MaxPermSize", false, 17, 8, 14,
	 "metaspace replaced the permanent generation in JDK 8: drop it (Flink sizes metaspace with "
	 "taskmanager.memory.jvm-metaspace.size)"},
	{"UseConcMarkSweepGC", false, 15, 14, 14, "CMS is gone (JEP 363): use -XX:+UseG1GC, Flink's default"},
	{"CMS", true, 15, 14, 14, "CMS is gone (JEP 363): drop its tuning flags"},
	{"UseParNewGC", false, 10, 0, 0, "ParNew is gone: use -XX:+UseG1GC, Flink's default"},
	{"UseParallelOldGC", false, 16, 15, 15, "use -XX:+UseParallelGC"},
	{"UseCGroupMemoryLimitForHeap", false, 11, 0, 0, "container limits are read by default since JDK 10: drop it"},
	{"UseBiasedLocking", false, 19, 18, 18, "biased locking is gone (JEP 374): drop it"},
};

/* The -XX:NAME of a token ("-XX:+UseParNewGC" -> "UseParNewGC"). */
static bool xx_name(const char *t, size_t n, const char **name, size_t *nl)
{
	if (n < 5 || strncmp(t, "-XX:", 4))
		return false;
	t += 4;
	n -= 4;
	if (*t == '+' || *t == '-') {
		t++;
		n--;
	}
	const char *eq = memchr(t, '=', n);
	*name = t;
	*nl = eq ? (size_t)(eq - t) : n;
	return *nl > 0;
}

static int refused_flag(const char *t, size_t n)
{
	const char *nm;
	size_t nl;
	if (!xx_name(t, n, &nm, &nl))
		return -1;
	for (size_t i = 0; i < sizeof refused_flags / sizeof refused_flags[0]; i++) {
		size_t fl = strlen(refused_flags[i].name);
		if (refused_flags[i].prefix ? nl > fl && !strncmp(nm, refused_flags[i].name, fl)
					    : nl == fl && !strncmp(nm, refused_flags[i].name, fl))
			return (int)i;
	}
	return -1;
}

/* JVM memory flags Flink computes itself. */
static const char *const mem_flags[] = {"-Xmx", "-Xms", "-XX:MaxDirectMemorySize=", "-XX:MaxMetaspaceSize=",
					"-XX:MaxRAMPercentage=", "-XX:MaxRAM=", "-XX:InitialRAMPercentage=",
					"-XX:MinRAMPercentage="};

static bool is_mem_flag(const char *t, size_t n)
{
	for (size_t f = 0; f < sizeof mem_flags / sizeof mem_flags[0]; f++)
		/* ">=": a bare "-Xmx" (no size; the JVM refuses it) is the flag
		 * flag_value reports, so the fix removes it too */
		if (n >= strlen(mem_flags[f]) && !strncmp(t, mem_flags[f], strlen(mem_flags[f])))
			return true;
	return false;
}

/* opts without the tokens drop() selects (whitespace-separated), the
 * quotes of a value quoted as a whole kept balanced (flink-conf.yaml's
 * legacy parser keeps them in the value); "" when nothing is left; NULL on
 * ENOMEM. */
static char *opts_without(const char *opts, bool (*drop)(const char *, size_t))
{
	fm_buf b = FM_BUF_INIT;
	size_t open = 0; /* quotes a dropped token opened: the next kept one gets them */
	bool fail = false;
	for (const char *p = opts; *p && !fail;) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t");
		if (n && drop(p, n)) {
			/* a value quoted as a whole ("-Xmx2g -XX:+UseG1GC") keeps its
			 * quotes balanced: the dropped token's unpaired ones stay */
			size_t l = 0, r = 0;
			while (l < n && p[l] == '"')
				l++;
			while (r < n - l && p[n - 1 - r] == '"')
				r++;
			if (l > r)
				open += l - r;
			for (size_t i = 0; l < r && i < r - l && !fail; i++)
				fail = open ? (open--, false) : fm_buf_addf(&b, "\"") != 0;
		} else if (n) {
			fail = b.len && fm_buf_addf(&b, " ") != 0;
			for (; open && !fail; open--)
				fail = fm_buf_addf(&b, "\"") != 0;
			fail = fail || fm_buf_addf(&b, "%.*s", (int)n, p) != 0;
		}
		p += n;
	}
	for (; open && !fail; open--)
		fail = fm_buf_addf(&b, "\"") != 0;
	if (fail) {
		fm_buf_release(&b);
		return NULL;
	}
	/* only quotes left: nothing to keep */
	if (!b.data || strspn(b.data, "\" ") == b.len) {
		fm_buf_release(&b);
		return strdup("");
	}
	return b.data;
}

/* The flag a whitespace token carries, as the start script's unquoted
 * expansion hands it to the JVM: quotes around it (a value quoted as a
 * whole) are not part of it, and one inside it glues what follows to the
 * token (`-Xss1m"-XX:+UseParNewGC` carries no -XX flag). FM052 and its fix
 * both read a token so, so every flag FM052 names is one the fix drops. */
static const char *token_flag(const char *t, size_t n, size_t *fn)
{
	while (n && *t == '"')
		t++, n--;
	size_t k = 0;
	while (k < n && t[k] != '"')
		k++;
	*fn = k;
	return t;
}

static bool drop_refused(const char *t, size_t n)
{
	size_t k;
	const char *f = token_flag(t, n, &k);
	return k && refused_flag(f, k) >= 0;
}

/* A memory flag where flag_value finds one: at the token's start or
 * right after a quote, so every flag FM050 names is one its fix drops (a
 * kept flag would bring the nested check back to the same fix). */
static bool drop_memory(const char *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((i == 0 || t[i - 1] == '"') && is_mem_flag(t + i, n - i))
			return true;
	return false;
}

/* A java-opts fix: key set to rest (taken and freed), or removed when
 * nothing is left; rest NULL is ENOMEM. */
static void set_opts_fix(lx *x, fm_finding *g, const char *key, char *rest)
{
	if (!rest)
		x->oom = true;
	else if (*rest)
		set_fix(x, g, "%s: %s\n", key, rest);
	else
		set_fix(x, g, "# remove %s\n", key);
	free(rest);
}

/* FM052: every token of key's value a modern JDK refuses. */
static void refused_jvm_flags(lx *x, const char *key, const fm_entry *e)
{
	const char *p = e->text;
	bool any = false;
	while (*p) {
		p += strspn(p, " \t");
		size_t tn = strcspn(p, " \t"), n;
		const char *tok = token_flag(p, tn, &n);
		int i = n ? refused_flag(tok, n) : -1;
		if (i >= 0) {
			char ign[64] = "";
			if (refused_flags[i].ignored_from == refused_flags[i].ignored_to && refused_flags[i].ignored_from)
				snprintf(ign, sizeof ign, "; JDK %d only warns and ignores it", refused_flags[i].ignored_from);
			else if (refused_flags[i].ignored_from)
				snprintf(ign, sizeof ign, "; JDK %d to %d only warn and ignore it", refused_flags[i].ignored_from,
					 refused_flags[i].ignored_to);
			fm_finding *g = add(x, "FM052", key, x->in->conf,
					    "%s sets %.*s: JDK %d and later refuse to start with it (Unrecognized VM option)%s", key,
					    (int)n, tok, refused_flags[i].refused_from, ign);
			set_detail(x, g, "%s. Flink 1.18+ runs on JDK 17, Flink 2.x on JDK 17 or 21: the TaskManager/JobManager "
				   "JVM exits before Flink starts.", refused_flags[i].instead);
			if (g && !any)
				set_opts_fix(x, g, key, opts_without(e->text, drop_refused));
			any = true;
		}
		p += tn;
	}
}

/* HotSpot's size grammar (atomull, later atojulong, in arguments.cpp of
 * JDK 8 to 21): digits, then at most one unit letter k, m, g or t in
 * either case. JDK 9+ also reads hex after 0x; it is accepted here, so
 * that no size a current JDK takes is reported. */
static bool jvm_size_readable(const char *s, size_t n)
{
	size_t i = 0;
	if (n >= 3 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && isxdigit((unsigned char)s[2])) {
		for (i = 2; i < n && isxdigit((unsigned char)s[i]); i++)
			;
		return i == n; /* a hex digit and a unit letter overlap: accept whole-hex only */
	}
	while (i < n && s[i] >= '0' && s[i] <= '9')
		i++;
	if (i == 0)
		return false;
	return i == n || (i + 1 == n && strchr("kKmMgGtT", s[i]));
}

/* The JVM's size options: the -X form ("-Xss" and its message) and the
 * -XX:<name>= flags of memory sizes. */
static const struct {
	const char *flag, *refusal;
} size_options[] = {
	{"-Xss", "Invalid thread stack size"},
	{"-Xmn", "Invalid initial young generation size"},
	{"-Xmx", "Invalid maximum heap size"},
	{"-Xms", "Invalid initial heap size"},
};
static const char *const size_xx_flags[] = {
	"MaxDirectMemorySize", "MaxMetaspaceSize",	 "MetaspaceSize",	 "CompressedClassSpaceSize",
	"ReservedCodeCacheSize", "InitialCodeCacheSize", "CodeCacheExpansionSize", "NonNMethodCodeHeapSize",
	"ProfiledCodeHeapSize", "NonProfiledCodeHeapSize", "NewSize",		 "MaxNewSize",
	"OldSize",		 "InitialHeapSize",	 "MaxHeapSize",		 "MinHeapSize",
	"SoftMaxHeapSize",	 "MaxRAM",		 "ThreadStackSize",	 "G1HeapRegionSize",
	"LargePageSizeInBytes",
};

/* The token (quotes at either end stripped: whether the script keeps them
 * is another question) when it is a size option the JVM cannot read: *vo is
 * set to the value's offset in the token, *why to the JVM's refusal. */
static bool size_option_unreadable(const char *t, size_t n, size_t *vo, const char **why)
{
	while (n && *t == '"')
		t++, n--;
	while (n && t[n - 1] == '"')
		n--;
	for (size_t i = 0; i < sizeof size_options / sizeof size_options[0]; i++) {
		size_t fl = strlen(size_options[i].flag);
		if (n > fl && !strncmp(t, size_options[i].flag, fl)) {
			*vo = fl;
			*why = size_options[i].refusal;
			return !jvm_size_readable(t + fl, n - fl);
		}
	}
	if (n > 4 && !strncmp(t, "-XX:", 4))
		for (size_t i = 0; i < sizeof size_xx_flags / sizeof size_xx_flags[0]; i++) {
			size_t fl = strlen(size_xx_flags[i]);
			if (n > 4 + fl + 1 && !strncmp(t + 4, size_xx_flags[i], fl) && t[4 + fl] == '=') {
				*vo = 4 + fl + 1;
				*why = "Improperly specified VM option";
				return !jvm_size_readable(t + *vo, n - *vo);
			}
		}
	return false;
}

static bool drop_unreadable_size(const char *t, size_t n)
{
	size_t vo;
	const char *why;
	return size_option_unreadable(t, n, &vo, &why);
}

/* FM053's fix: a size written with a two-letter unit ("512kb", "2GB")
 * loses the "b"; any other unreadable size option goes (it never took
 * effect: the JVM did not start). NULL on ENOMEM. */
static char *opts_sizes_repaired(const char *opts)
{
	fm_buf b = FM_BUF_INIT;
	bool fail = false;
	for (const char *p = opts; *p && !fail;) {
		size_t sp = strspn(p, " \t");
		size_t n = strcspn(p + sp, " \t"), vo;
		const char *tok = p + sp, *why;
		/* the size between the quotes a whole-value quoting leaves at either end */
		size_t l = 0, r = n;
		while (l < r && tok[l] == '"')
			l++;
		while (r > l && tok[r - 1] == '"')
			r--;
		size_t cut = r; /* the "b" of a two-letter unit, when that alone is wrong */
		if (r > l && !memchr(tok + l, '"', r - l) && size_option_unreadable(tok + l, r - l, &vo, &why) &&
		    r - l - vo >= 3 && (tok[r - 1] == 'b' || tok[r - 1] == 'B') &&
		    jvm_size_readable(tok + l + vo, r - l - vo - 1))
			cut = r - 1;
		fail = fm_buf_addf(&b, "%.*s%.*s%.*s", (int)sp, p, (int)cut, tok, (int)(n - r), tok + r) != 0;
		p = tok + n;
	}
	if (fail) {
		fm_buf_release(&b);
		return NULL;
	}
	char *r = opts_without(b.data ? b.data : "", drop_unreadable_size);
	fm_buf_release(&b);
	return r;
}

/* FM053: every size option of key's value the JVM cannot read. */
static void unreadable_jvm_sizes(lx *x, const char *key, const fm_entry *e)
{
	bool any = false;
	for (const char *p = e->text; *p;) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t"), vo;
		const char *why;
		if (n && size_option_unreadable(p, n, &vo, &why)) {
			const char *t = p;
			size_t tn = n;
			while (tn && *t == '"')
				t++, tn--;
			while (tn && t[tn - 1] == '"')
				tn--;
			fm_finding *g = add(x, "FM053", key, x->in->conf,
					    "%s sets %.*s: the JVM cannot read the size and exits before Flink starts", key, (int)tn, t);
			if (!strcmp(why, "Improperly specified VM option"))
				set_detail(x, g, "The JVM prints: %s '%.*s'. A size is a whole number with at most one unit "
					   "letter: k, m, g or t.", why, (int)(tn - 4), t + 4);
			else
				set_detail(x, g, "The JVM prints: %s: %.*s. A size is a whole number with at most one unit "
					   "letter: k, m, g or t.", why, (int)tn, t);
			if (g && !any)
				set_opts_fix(x, g, key, opts_sizes_repaired(e->text));
			any = true;
		}
		p += n;
	}
}

/* FM050's fix: the Flink keys giving the same sizes as the flags (-Xmx is
 * framework + task heap; MaxDirectMemorySize is framework + task off-heap
 * + network; MaxMetaspaceSize is metaspace), found by goal-seek on the
 * config without the flags, so that the fix is healthy and passes check. */
static void java_opts_fix(lx *x, fm_finding *g, const char *key, const fm_entry *e, const fm_tm_layout *tl)
{
	bool tm = strcmp(key, "env.java.opts.jobmanager") != 0;
	bool jm = strcmp(key, "env.java.opts.taskmanager") != 0 && x->in->profile->has_jm;
	fm_goal goals[6];
	size_t n = 0;
	size_t len;
	const char *v;
	int64_t b;
	if ((v = flag_value(e->text, "-Xmx", &len)) && (b = fm_jvm_size(v, len)) > 0) {
		if (tm && tl && b > tl->framework_heap)
			goals[n++] = (fm_goal){"task-heap", FM_GOAL_EQ, (b - tl->framework_heap) >> 20 << 20};
		if (jm)
			goals[n++] = (fm_goal){"jm-heap", FM_GOAL_EQ, b >> 20 << 20};
	}
	if ((v = flag_value(e->text, "-XX:MaxDirectMemorySize=", &len)) && (b = fm_jvm_size(v, len)) > 0) {
		if (tm && tl && b > tl->framework_off_heap + tl->network)
			goals[n++] = (fm_goal){"task-off-heap", FM_GOAL_EQ,
					       (b - tl->framework_off_heap - tl->network) >> 20 << 20};
		if (jm)
			goals[n++] = (fm_goal){"jm-off-heap", FM_GOAL_EQ, b >> 20 << 20};
	}
	if ((v = flag_value(e->text, "-XX:MaxMetaspaceSize=", &len)) && (b = fm_jvm_size(v, len)) > 0) {
		if (tm)
			goals[n++] = (fm_goal){"metaspace", FM_GOAL_EQ, b >> 20 << 20};
		if (jm)
			goals[n++] = (fm_goal){"jm-metaspace", FM_GOAL_EQ, b >> 20 << 20};
	}
	char *rest = opts_without(e->text, drop_memory);
	fm_conf *c = rest ? fm_conf_dup(x->in->conf) : NULL;
	fm_buf fix = FM_BUF_INIT;
	fm_plan pl = {0};
	bool planned = false;
	if (!c)
		goto oom;
	/* the copy carries no memory flag, so the nested check cannot come back here */
	static const char *const all[] = {"env.java.opts", "env.java.opts.all", "env.java.opts.taskmanager",
					  "env.java.opts.jobmanager"};
	for (size_t i = 0; i < 4; i++) {
		const fm_entry *o = fm_conf_find(c, all[i]);
		if (!o)
			continue;
		char *r = opts_without(o->text, drop_memory);
		fm_origin at = o->at;
		if (!r || fm_conf_set_str(c, all[i], r, &at) != FM_OK) {
			free(r);
			goto oom;
		}
		free(r);
	}
	if (*rest ? fm_buf_addf(&fix, "%s: %s\n", key, rest) : fm_buf_addf(&fix, "# remove %s\n", key))
		goto oom;
	/* goal-seek checks its answer with the lint, which can come back here
	 * for a flag the copy kept: one level only, whatever the input */
	static _Thread_local int nested;
	if (n && !nested) {
		nested++;
		int prc = fm_plan_goals(c, x->in->profile, x->in->env, goals, n, 0, &pl);
		nested--;
		if (prc != FM_OK)
			goto oom;
		planned = true;
		for (size_t i = 0; i < pl.nchanges; i++) {
			const fm_change *ch = &pl.changes[i];
			if (ch->to ? fm_buf_addf(&fix, "%s: %s\n", ch->key, ch->to)
				   : fm_buf_addf(&fix, "# remove %s\n", ch->key))
				goto oom;
		}
	}
	if (planned && !pl.feasible) {
		/* no healthy layout around them (the config has other problems):
		 * the keys alone, as the flags set them */
		static const char *const key_of[][2] = {
			{"task-heap", "taskmanager.memory.task.heap.size"}, {"jm-heap", "jobmanager.memory.heap.size"},
			{"task-off-heap", "taskmanager.memory.task.off-heap.size"},
			{"jm-off-heap", "jobmanager.memory.off-heap.size"},
			{"metaspace", "taskmanager.memory.jvm-metaspace.size"},
			{"jm-metaspace", "jobmanager.memory.jvm-metaspace.size"},
		};
		fix.len = 0;
		if (*rest ? fm_buf_addf(&fix, "%s: %s\n", key, rest) : fm_buf_addf(&fix, "# remove %s\n", key))
			goto oom;
		fm_plan_release(&pl);
		planned = false;
		for (size_t i = 0; i < n; i++)
			for (size_t k = 0; k < sizeof key_of / sizeof key_of[0]; k++) {
				char sz[32];
				fm_size_text(sz, sizeof sz, goals[i].bytes);
				if (!strcmp(goals[i].component, key_of[k][0]) && fm_buf_addf(&fix, "%s: %s\n", key_of[k][1], sz))
					goto oom;
			}
	}
	set_fix(x, g, "%s", fix.data);
	/* the message names the first Flink key and value of the same size */
	for (size_t i = 0; planned && g && i < pl.nchanges; i++) {
		const fm_change *ch = &pl.changes[i];
		bool sized = ch->to && (strstr(ch->key, "heap.size") || strstr(ch->key, "off-heap.size") ||
					strstr(ch->key, "metaspace.size"));
		char *m = NULL;
		if (sized && asprintf(&m, "%s; the same size through Flink: %s: %s", g->message, ch->key, ch->to) >= 0) {
			free(g->message);
			g->message = m;
			break;
		}
	}
	goto out;
oom:
	x->oom = true;
out:
	if (planned)
		fm_plan_release(&pl);
	fm_buf_release(&fix);
	fm_conf_free(c);
	free(rest);
}

static void trap_java_opts(lx *x)
{
	const fm_conf *c = x->in->conf;
	static const char *keys[] = {"env.java.opts", "env.java.opts.all", "env.java.opts.taskmanager", "env.java.opts.jobmanager"};
	bool any = false;
	fm_tm_result tr = {0};
	bool derived = false;
	for (size_t i = 0; i < 4; i++) {
		const fm_entry *e = fm_conf_find(c, keys[i]);
		if (!e)
			continue;
		any = true;
		refused_jvm_flags(x, keys[i], e);
		unreadable_jvm_sizes(x, keys[i], e);
		fm_finding *first = NULL;
		for (size_t f = 0; f < sizeof mem_flags / sizeof mem_flags[0]; f++) {
			size_t n;
			const char *v = flag_value(e->text, mem_flags[f], &n);
			if (!v)
				continue;
			fm_finding *g = add(x, "FM050", keys[i], c, "%s sets %s%.*s: the JVM uses it instead of the value Flink computes", keys[i],
					    mem_flags[f], (int)n, v);
			set_detail(x, g, "Effective JVM setting: %s%.*s (last flag wins). Flink's layout assumes its own value; the "
				   "fix sets the Flink keys that give the same size and removes the flag.", mem_flags[f], (int)n, v);
			if (!first)
				first = g;
		}
		if (first) {
			if (!derived) {
				if (fm_derive_tm(c, x->in->profile, x->in->env, &tr) != FM_OK) {
					x->oom = true;
					return;
				}
				derived = true;
			}
			java_opts_fix(x, first, keys[i], e, tr.outcome == FM_DERIVED ? &tr.l : NULL);
		}
	}
	if (derived)
		fm_tm_result_release(&tr);
	if (!any)
		return;
	/* The start scripts add -XX:+UseG1GC only when no env.java.opts* is set;
	 * 1.18+ ship --add-opens/--add-exports in env.java.opts.all. */
	bool gc = false;
	for (size_t i = 0; i < 4; i++) {
		const fm_entry *e = fm_conf_find(c, keys[i]);
		if (e && strstr(e->text, "-XX:+Use") && strstr(e->text, "GC"))
			gc = true;
	}
	const char *allk = fm_conf_has(c, "env.java.opts.all") ? "env.java.opts.all"
			   : fm_conf_has(c, "env.java.opts") ? "env.java.opts" : NULL;
	const fm_entry *all = allk ? fm_conf_find(c, allk) : NULL;
	bool drops_opens = all && x->in->profile->order >= 1180 && !strstr(all->text, "--add-opens");
	if (drops_opens || !gc) {
		const char *k = allk ? allk : fm_conf_has(c, keys[2]) ? keys[2] : keys[3];
		add(x, "FM051", k, c, "%s%s%s", drops_opens ? "your env.java.opts replaces the --add-opens/--add-exports flags Flink ships there" : "",
		    drops_opens && !gc ? "; and " : "", !gc ? "the start scripts no longer add -XX:+UseG1GC" : "");
	}
}

static const char *value_of(const fm_conf *c, const char *k)
{
	const fm_entry *e = fm_conf_find(c, k);
	return e ? e->text : NULL;
}

/* FM044: the derivation's own INFO that a fraction the user set was cut to
 * its max ("The derived from fraction WHAT (H (N bytes)) is greater than
 * its max value ..."): the fraction's extra has no effect. The fix raises
 * the max to the fraction's size (verify_fixes adds what that needs). */
static void fraction_capped(lx *x, const fm_conf *c, const fm_logs *logs, bool tm)
{
	struct {
		const char *what, *fraction, *legacy, *max;
	} comp[] = {
		{"network memory", "taskmanager.memory.network.fraction", "taskmanager.network.memory.fraction",
		 "taskmanager.memory.network.max"},
		{"jvm overhead memory", "taskmanager.memory.jvm-overhead.fraction", NULL, "taskmanager.memory.jvm-overhead.max"},
		{"jvm overhead memory", "jobmanager.memory.jvm-overhead.fraction", NULL, "jobmanager.memory.jvm-overhead.max"},
	};
	for (size_t k = tm ? 0 : 2; k < (tm ? 2u : 3u); k++) {
		const char *fk = fm_conf_has(c, comp[k].fraction) ? comp[k].fraction
				 : comp[k].legacy && fm_conf_has(c, comp[k].legacy) ? comp[k].legacy
										      : NULL;
		if (!fk)
			continue;
		char head[96];
		snprintf(head, sizeof head, "The derived from fraction %s (", comp[k].what);
		for (size_t i = 0; i < logs->n; i++) {
			const char *l = strstr(logs->v[i], head);
			const char *g = l ? strstr(l, " is greater than its max value ") : NULL;
			if (!g)
				continue;
			/* the first "(N bytes)" is the fraction's own size */
			const char *b = strstr(l + strlen(head), " (");
			long long want = b && b < g ? strtoll(b + 2, NULL, 10) : 0;
			if (want <= 0)
				continue;
			const char *mk = comp[k].max;
			if (strcmp(fk, "taskmanager.network.memory.fraction") == 0 && !fm_conf_has(c, mk) &&
			    fm_conf_has(c, "taskmanager.network.memory.max"))
				mk = "taskmanager.network.memory.max";
			char hw[FM_SIZE_HUMAN_MAX], v[32];
			fm_size_human_c(hw, want);
			hw[strcspn(hw, " ")] = '\0'; /* "2.085gb", without its bytes */
			const char *mx = g + strlen(" is greater than its max value ");
			size_t ml = strcspn(mx, " ,");
			fm_finding *f = add(x, "FM044", fk, c, "%s %s gives %s, but the max (%.*s%s) decides: the fraction's extra has "
							      "no effect",
					    fk, value_of(c, fk), hw, (int)ml, mx, fm_conf_has(c, mk) ? "" : ", the default");
			fm_size_text(v, sizeof v, fm_size_ceil_mib(want));
			set_fix(x, f, "%s: %s\n", mk, v);
			break;
		}
	}
}

static void trap_layout(lx *x)
{
	const fm_lint_input *in = x->in;
	const fm_conf *c = in->conf;
	fm_tm_result tr;
	if (fm_derive_tm(c, in->profile, in->env, &tr) != FM_OK) {
		x->oom = true;
		return;
	}
	if (tr.outcome == FM_DERIVED) {
		const fm_tm_layout *l = &tr.l;
		fraction_capped(x, c, &tr.logs, true);
		const char *sb = value_of(c, "state.backend.type");
		if (!sb)
			sb = value_of(c, "state.backend");
		const char *mode = value_of(c, "execution.runtime-mode");
		bool heap_backend = sb && (strcasecmp(sb, "hashmap") == 0 || strcasecmp(sb, "filesystem") == 0 ||
					   strcasecmp(sb, "jobmanager") == 0 || strcasecmp(sb, "memory") == 0);
		bool batch = mode && strcasecmp(mode, "batch") == 0;
		/* Python UDF workers and batch operators use managed memory too;
		 * an unset backend may be chosen in the job's code: no finding. */
		fm_floors fl;
		fm_health_floors(c, in->profile, &fl);
		if (heap_backend && !batch && !fl.managed_consumer && l->managed > 0) {
			char h[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(h, l->managed);
			fm_finding *g = add(x, "FM060", fm_conf_has(c, "taskmanager.memory.managed.size") ? "taskmanager.memory.managed.size"
							: "taskmanager.memory.managed.fraction", c,
					    "managed memory (%s) is reserved but the %s state backend in a streaming job never uses it", h, sb);
			/* a set size wins over the fraction: zero the key that counts */
			/* with a fixed task heap and a total the freed bytes would
			 * swell the network (the remainder): the heap takes them */
			const char *heap_rm = fm_conf_has(c, "taskmanager.memory.task.heap.size") &&
						      (fm_conf_has(c, "taskmanager.memory.process.size") ||
						       fm_conf_has(c, "taskmanager.memory.flink.size"))
						      ? "# remove taskmanager.memory.task.heap.size (the task heap takes the freed memory)\n"
						      : "";
			if (fm_conf_has(c, "taskmanager.memory.managed.size"))
				set_fix(x, g, "taskmanager.memory.managed.size: 0\n%s%s",
					fm_conf_has(c, "taskmanager.memory.managed.fraction")
						? "# remove taskmanager.memory.managed.fraction\n" : "", heap_rm);
			else
				set_fix(x, g, "taskmanager.memory.managed.fraction: 0\n%s", heap_rm);
		}
		if (fm_health_rocksdb_fixed(c) > 0)
			rocksdb_fixed_outside(x, c, l, &fl);
		rocksdb_fixed_per_tm(x, c, l, &fl);
		consumer_weight_zero(x, c, in->profile);
		if (sb && strcasecmp(sb, "rocksdb") == 0) {
			const char *m = value_of(c, "state.backend.rocksdb.memory.managed");
			/* (with a fixed-per-tm budget, FM070 says it better) */
			if (m && strcasecmp(m, "false") == 0 &&
			    !fm_health_rocksdb_fixed_tm(c, in->profile)) {
				fm_finding *g = add(x, "FM061", "state.backend.rocksdb.memory.managed", c,
						    "RocksDB memory is not limited by managed memory: native memory outside Flink's budget");
				set_fix(x, g, "state.backend.rocksdb.memory.managed: true\n");
			}
		}
		/* ForSt by the same rule (ForStSharedResourcesFactory.from): with
		 * managed memory off and neither fixed size set, every column
		 * family allocates its own caches, bounded by nothing */
		const char *fm = value_of(c, "state.backend.forst.memory.managed");
		if (fm_health_forst(c) && fm && !strcasecmp(fm, "false") &&
		    !fm_conf_has(c, "state.backend.forst.memory.fixed-per-slot") &&
		    !fm_conf_has(c, "state.backend.forst.memory.fixed-per-tm")) {
			fm_finding *g = add(x, "FM061", "state.backend.forst.memory.managed", c,
					    "ForSt memory is not limited by managed memory: native memory outside Flink's budget");
			set_fix(x, g, "state.backend.forst.memory.managed: true\n");
		}
		/* none at all is no switch for a consumer the config turns on:
		 * RocksDB then gets a 0-byte cache and a write-buffer manager of
		 * 0, which RocksDB reads as no limit (Flink logs "RocksDBStateBackend
		 * performance will be poor"), and batch operators get no pages
		 * from MemoryManager */
		if (fl.managed_consumer && fl.slots > 0 && fl.v[FM_H_MANAGED].bytes > 0 && l->managed >= 0 &&
		    l->managed < fl.v[FM_H_MANAGED].bytes)
			managed_small(x, c, l, &fl);
		int64_t surplus = 0;
		int64_t m = network_rest_managed(x, c, &surplus);
		if (surplus >= (INT64_C(256) << 20) && surplus >= l->network - surplus) {
			char h1[FM_SIZE_HUMAN_MAX], h2[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(h1, l->network);
			fm_size_human_c(h2, surplus);
			fm_finding *g = add(x, "FM066", "taskmanager.memory.task.heap.size", c,
					    "with the task heap fixed the network takes what the other parts leave: %s, of which %s "
					    "is more than its fraction gives",
					    h1, h2);
			if (m < 0) {
				set_fix(x, g, "# remove taskmanager.memory.task.heap.size (the task heap takes what the other "
					      "parts leave)\n");
			} else if (m >= 0) {
				char mv[32];
				fm_size_text(mv, sizeof mv, m);
				set_fix(x, g, "taskmanager.memory.managed.size: %s\n%s", mv,
					fm_conf_has(c, "taskmanager.memory.managed.fraction")
						? "# remove taskmanager.memory.managed.fraction\n" : "");
			}
		}
		if (l->task_heap < FM_HEALTH_TASK_HEAP) {
			char h[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(h, l->task_heap);
			bool keyed = fm_conf_has(c, "taskmanager.memory.task.heap.size");
			fm_finding *g = add(x, "FM062", keyed ? "taskmanager.memory.task.heap.size" : "taskmanager.memory.process.size",
					    c, "the task heap is only %s", h);
			/* the fix: the heap's floor, or the smallest healthy total */
			const char *tk = total_key(c);
			int64_t t = !keyed && tk ? min_total(x, c, true, tk, 0, true) : -1;
			char v[32];
			if (keyed) {
				fm_size_text(v, sizeof v, FM_HEALTH_TASK_HEAP);
				set_fix(x, g, "taskmanager.memory.task.heap.size: %s\n", v);
			} else if (t > 0) {
				fm_size_text(v, sizeof v, fm_size_ceil_mib(t));
				set_fix(x, g, "%s: %s\n", tk, v);
			}
		}
		if (l->overhead < (INT64_C(192) << 20)) {
			char h[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(h, l->overhead);
			fm_finding *g = add(x, "FM063", fm_conf_has(c, "taskmanager.memory.jvm-overhead.min") ? "taskmanager.memory.jvm-overhead.min"
					: "taskmanager.memory.process.size", c, "the TaskManager JVM overhead is only %s", h);
			int64_t mx = fm_conf_bytes(c, "taskmanager.memory.jvm-overhead.max");
			set_fix(x, g, "taskmanager.memory.jvm-overhead.min: 192m\n%s",
				mx >= 0 && mx < FM_HEALTH_OVERHEAD ? "taskmanager.memory.jvm-overhead.max: 192m\n" : "");
		}
		/* Minimum buffers at parallelism 1: a one-channel input gate needs
		 * its required buffers plus the output partition's (S + 1). */
		int64_t seg = 32768;
		const fm_entry *se = fm_conf_find(c, "taskmanager.memory.segment-size");
		fm_jexc je = {0};
		if (se && fm_size_parse(se->text, se->text_len, &seg, &je) != 0)
			seg = 32768;
		fm_jexc_release(&je);
		if (seg > 0 && l->num_slots > 0) {
			int64_t buffers = l->network / seg;
			int64_t need = (int64_t)l->num_slots * (2 + 1 + 1 + 1);
			if (buffers < need) {
				fm_finding *g = add(x, "FM065", "taskmanager.memory.network.min", c,
						    "%lld network buffers for %d slots: fewer than the %lld a job needs even at parallelism 1",
						    (long long)buffers, l->num_slots, (long long)need);
				char hs[32], hn[FM_SIZE_HUMAN_MAX];
				fm_size_text(hs, sizeof hs, seg);
				fm_size_human_c(hn, fm_size_mul_sat(need, seg));
				set_detail(x, g, "%lld buffers of %s (taskmanager.memory.segment-size) are %s; fewer slots per "
					   "TaskManager or smaller segments need less", (long long)need, hs, hn);
				/* the fix: the network floor of health.h (by this release's rules) */
				int64_t nb = fm_size_ceil_mib(fl.v[FM_H_NETWORK].bytes);
				int64_t mx = fm_conf_bytes(c, "taskmanager.memory.network.max");
				char v[32];
				fm_size_text(v, sizeof v, nb);
				set_fix(x, g, "taskmanager.memory.network.min: %s\n%s%s%s", v,
					mx >= 0 && mx < nb ? "taskmanager.memory.network.max: " : "", mx >= 0 && mx < nb ? v : "",
					mx >= 0 && mx < nb ? "\n" : "");
			}
		}
		if (in->tm_container_limit > 0 && l->total_process > in->tm_container_limit) {
			char a[FM_SIZE_HUMAN_MAX], b[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(a, l->total_process);
			fm_size_human_c(b, in->tm_container_limit);
			add(x, "FM072", "taskmanager.memory.process.size", c, "TaskManager process size %s exceeds the container limit %s", a, b);
		}
	} else {
		/* Flink rejects the layout (FM001): RocksDB's own budget is still
		 * the config's, so the finding stands before and after that fix */
		if (fm_health_rocksdb_fixed(c) > 0) {
			fm_floors fl;
			fm_health_floors(c, in->profile, &fl);
			rocksdb_fixed_outside(x, c, NULL, &fl);
		}
	}
	fm_tm_result_release(&tr);
	fm_jm_result jr;
	if (fm_derive_jm(c, in->profile, in->env, &jr) != FM_OK) {
		x->oom = true;
		return;
	}
	if (jr.outcome == FM_DERIVED) {
		fraction_capped(x, c, &jr.logs, false);
		if (jr.l.jvm_heap < (INT64_C(128) << 20)) {
			char h[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(h, jr.l.jvm_heap);
			bool keyed = fm_conf_has(c, "jobmanager.memory.heap.size");
			const char *tk = fm_conf_has(c, "jobmanager.memory.process.size") ? "jobmanager.memory.process.size"
					 : fm_conf_has(c, "jobmanager.memory.flink.size") ? "jobmanager.memory.flink.size"
											  : NULL;
			fm_finding *g = add(x, "FM064", keyed ? "jobmanager.memory.heap.size" : tk ? tk : "jobmanager.memory.process.size",
					    c, "the JobManager heap is %s", h);
			/* the fix: the heap's floor by its own key, or the smallest
			 * total the config sets that gives the heap 128 MiB */
			int64_t t = !keyed && tk ? min_total(x, c, false, tk, INT64_C(128) << 20, false) : -1;
			char v[32];
			if (g && keyed) {
				set_fix(x, g, "jobmanager.memory.heap.size: 128m\n");
			} else if (g && t > 0) {
				fm_size_text(v, sizeof v, fm_size_ceil_mib(t));
				set_fix(x, g, "%s: %s\n", tk, v);
			}
		}
		if (in->jm_container_limit > 0 && jr.l.total_process > in->jm_container_limit) {
			char a[FM_SIZE_HUMAN_MAX], b[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(a, jr.l.total_process);
			fm_size_human_c(b, in->jm_container_limit);
			add(x, "FM072", "jobmanager.memory.process.size", c, "JobManager process size %s exceeds the container limit %s", a, b);
		}
	}
	fm_jm_result_release(&jr);
}

/* FM015: a memory key a later line of the same file set again, to a
 * different value (the same value twice is untidy, not a trap). */
static void trap_set_twice(lx *x)
{
	const fm_conf *c = x->in->conf;
	for (size_t i = 0; i < fm_conf_shadowed_len(c); i++) {
		const fm_entry *old = fm_conf_shadowed_at(c, i);
		if (!fm_entry_key_whole(old))
			continue;
		const fm_entry *now = fm_conf_find(c, old->key);
		const char *closest;
		size_t dist;
		if (!now || !strcmp(old->text, now->text) || now->at.file != old->at.file ||
		    !(key_known(x->in->profile, old->key, &closest, &dist) || in_memory_namespace(old->key)))
			continue;
		fm_finding *g = add(x, "FM015", NULL, NULL, "%s is set again on line %u; Flink uses %s, not this %s",
				    old->key, now->key_line ? now->key_line : now->at.line, now->text, old->text);
		if (g) {
			g->key = strdup(old->key);
			if (!g->key)
				x->oom = true;
			g->file = old->at.file;
			g->line = old->key_line ? old->key_line : old->at.line;
			g->col = old->key_line ? old->key_col : old->at.col;
		}
	}
}

/* FM014: lines the legacy reader skipped (it logged a WARN naming
 * FILE:LINE); the file pointer is taken from the conf's provenance. */
static void trap_ignored_lines(lx *x)
{
	const fm_logs *l = x->in->load_logs;
	static const char *const prefixes[] = {
		"WARN Error while trying to split key and value in configuration file ",
		"WARN Error after splitting key and value in configuration file ",
	};
	for (size_t i = 0; l && i < l->n; i++) {
		const char *m = l->v[i], *rest = NULL;
		size_t which = 0;
		for (; which < 2 && !rest; which++)
			if (!strncmp(m, prefixes[which], strlen(prefixes[which])))
				rest = m + strlen(prefixes[which]);
		if (!rest)
			continue;
		unsigned long line = 0;
		const char *c = log_line_at(rest, &line);
		if (!c || line == 0 || line > UINT32_MAX)
			continue;
		size_t flen = (size_t)(c - rest);
		const char *file = conf_file_named(x->in->conf, rest, flen);
		const char *why = which == 1 ? "it is not a `key: value` pair (a space must follow the ':')"
					     : "its key or value is empty";
		fm_finding *g = file ? add(x, "FM014", NULL, NULL, "Flink skips this line: %s", why)
				     : add(x, "FM014", NULL, NULL, "%.*s line %lu: Flink skips it: %s",
					   (int)(flen > 300 ? 300 : flen), rest, line, why);
		if (g && file) {
			g->file = file;
			g->line = (uint32_t)line;
			g->col = 1;
			/* "key:value" meant "key: value": that line, as Flink reads it */
			char *k, *v;
			if (which == 1 && skipped_pair(file, line, &k, &v)) {
				set_fix(x, g, "%s: %s\n", k, v);
				free(k);
				free(v);
			}
		}
	}
}

static void trap_flink_properties(lx *x)
{
	const char *t = x->in->flink_properties;
	const fm_profile *p = x->in->profile;
	if (!t || !(p->yaml_fallback || p->yaml_only))
		return;
	uint32_t line = 0;
	for (const char *s = t; *s;) {
		size_t n = strcspn(s, "\n");
		line++;
		const char *colon = memchr(s, ':', n);
		if (colon) {
			const char *v = colon + 1;
			size_t vn = n - (size_t)(v - s);
			while (vn && (*v == ' ' || *v == '\t')) {
				v++;
				vn--;
			}
			while (vn && (v[vn - 1] == ' ' || v[vn - 1] == '\t' || v[vn - 1] == '\r'))
				vn--;
			if (memchr(v, ' ', vn) || memchr(v, '\t', vn)) {
				fm_finding *g = add(x, "FM080", NULL, NULL, "FLINK_PROPERTIES line %u: the entrypoint deletes the spaces in '%.*s'",
						    line, (int)(vn > 200 ? 200 : vn), v);
				if (g) {
					g->file = "FLINK_PROPERTIES";
					g->line = line;
				}
			}
		}
		s += n + (s[n] ? 1 : 0);
	}
}

/* ---- Kubernetes operator (FlinkDeployment) ------------------------------------ */

/* Places a finding at a CR value. */
static void at_val(fm_finding *g, const fm_k8s_doc *doc, const fm_k8s_val *v)
{
	if (g && v->text) {
		g->file = doc->file;
		g->line = v->line;
		g->col = v->col;
	}
}

/* Flink accepts s as written when its size grammar reads it; *unit points at
 * the unit text (after digits and blanks). */
static bool flink_size_unit(const char *s, size_t n, const char **unit, size_t *ulen)
{
	int64_t b;
	fm_jexc je = {0};
	int rc = fm_size_parse(s, n, &b, &je);
	fm_jexc_release(&je);
	if (rc != 0)
		return false;
	size_t i = 0;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	while (i < n && isdigit((unsigned char)s[i]))
		i++;
	while (i < n && isspace((unsigned char)s[i]))
		i++;
	size_t e = n;
	while (e > i && isspace((unsigned char)s[e - 1]))
		e--;
	*unit = s + i;
	*ulen = e - i;
	return true;
}

/* The operator's bytes for a memory field, or -1 when it refuses it (then
 * *why is Flink's/fabric8's message, malloc'd). Before 1.7 the text is
 * handed to Flink as written; from 1.7 MemorySize first, else a quantity. */
static int64_t k8s_memory_bytes(lx *x, const fm_k8s_val *v, char **why)
{
	fm_buf s = FM_BUF_INIT;
	fm_jexc e = {0};
	int64_t bytes = -1;
	*why = NULL;
	int op = x->in->k8s_op;
	int bad = op != FM_K8S_OP_MAIN && op < 7 ? fm_buf_add(&s, v->text, v->len) != FM_OK
						  : fm_k8s_memory_string(v->text, v->len, &s, &e);
	if (!bad)
		bad = fm_size_parse(s.data ? s.data : "", s.len, &bytes, &e);
	if (bad) {
		bytes = -1;
		*why = strdup(e.msg ? e.msg : "unreadable");
		if (!*why)
			x->oom = true;
	}
	fm_jexc_release(&e);
	fm_buf_release(&s);
	return bytes;
}

/* Whether the operator's validator leaves Flink nothing to size the role
 * with: no memory in the spec and flinkConfiguration alone does not
 * derive ("... resource memory must be defined ..."). */
static bool k8s_memory_undefined(lx *x, bool tm)
{
	const fm_k8s_doc *doc = x->in->k8s;
	int op = x->in->k8s_op;
	if (!doc || fm_k8s_memory_defined(doc, op, !tm))
		return false;
	/* up to 1.3 a resource without memory is refused outright */
	if (op != FM_K8S_OP_MAIN && op <= 3)
		return true;
	if (!tm)
		return !derives(x, doc->conf, false); /* legacy heap read as JVM heap, as derive does */
	/* TaskExecutorProcessUtils.processSpecFromConfig: no legacy heap mapping */
	fm_conf *c = with_value(x, doc->conf, "taskmanager.heap.size", NULL);
	if (!c)
		return false;
	fm_conf_remove(c, "taskmanager.heap.mb");
	bool ok = derives(x, c, true);
	fm_conf_free(c);
	return !ok;
}

static bool k8s_memory_refused(lx *x, bool tm)
{
	const fm_k8s_doc *doc = x->in->k8s;
	if (!doc)
		return false;
	if (k8s_memory_undefined(x, tm))
		return true;
	const fm_k8s_val *v;
	const char *field = fm_k8s_memory_field(doc, x->in->k8s_op, !tm, &v);
	if (!field)
		return false;
	char *why = NULL;
	int64_t b = k8s_memory_bytes(x, v, &why);
	/* in resources the validator refuses zero too (resource lets it by) */
	bool refused = b < 0 || (b == 0 && strstr(field, ".resources."));
	free(why);
	return refused;
}

/* An entry the operator wrote from the spec's fields (resource.memory,
 * resources, cpu), not one of flinkConfiguration's: the user never wrote
 * that key. */
static bool k8s_written(const lx *x, const fm_entry *e)
{
	const fm_k8s_doc *doc = x->in->k8s;
	if (!doc || e->at.src != FM_SRC_K8S)
		return false;
	const fm_entry *u = doc->conf ? fm_conf_find(doc->conf, e->key) : NULL;
	return !u || u->at.line != e->at.line || u->at.col != e->at.col;
}

/* bytes as the binary quantity Kubernetes and the operator read alike
 * ("2Gi", "1536Mi", "4Ki", else a byte count). */
static void binary_text(char *buf, size_t cap, int64_t bytes)
{
	if (bytes % (INT64_C(1) << 30) == 0)
		snprintf(buf, cap, "%lldGi", (long long)(bytes >> 30));
	else if (bytes % (INT64_C(1) << 20) == 0)
		snprintf(buf, cap, "%lldMi", (long long)(bytes >> 20));
	else if (bytes % 1024 == 0)
		snprintf(buf, cap, "%lldKi", (long long)(bytes >> 10));
	else
		snprintf(buf, cap, "%lld", (long long)bytes);
}

static void binary_fix(lx *x, fm_finding *g, const char *rkey, int64_t bytes)
{
	char t[32];
	binary_text(t, sizeof t, bytes);
	set_fix(x, g, "%s: \"%s\"\n", rkey, t);
}

/* The validator's refusals of one role: FM102 for a memory it cannot read,
 * FM107 for the rest; true when the role is refused. */
static bool k8s_validate(lx *x, const fm_k8s_doc *doc, bool jm)
{
	const char *side = jm ? "JobManager" : "TaskManager";
	const char *role = jm ? "jobManager" : "taskManager";
	if (k8s_memory_undefined(x, !jm)) {
		char key[64];
		snprintf(key, sizeof key, "spec.%s.resource.memory", role);
		const char *msg = fm_k8s_memory_undefined_msg(x->in->k8s_op, jm);
		fm_finding *g = add(x, "FM107", key, NULL, "the operator refuses the FlinkDeployment: %s", msg);
		const fm_k8s_role *r = jm ? &doc->jm : &doc->tm;
		if (g) {
			g->file = doc->file;
			g->line = r->present ? r->line : doc->line;
			g->col = r->present ? r->col : doc->col;
		}
		set_detail(x, g, "%s (DefaultValidator). flinkConfiguration alone does not size the %s for Flink; "
			   "nothing is deployed.", msg, side);
		/* the process size Flink's shipped config gives the role */
		set_fix(x, g, "%s: \"%s\"\n", key, jm ? "1600m" : "1728m");
		return true;
	}
	fm_diag d = FM_DIAG_INIT;
	int rc = fm_k8s_validate_role(doc, x->in->k8s_op, jm, &d);
	if (rc == FM_ENOMEM) {
		x->oom = true;
		return false;
	}
	if (rc == FM_OK)
		return false;
	size_t kl = d.key ? strlen(d.key) : 0;
	bool memory = kl > 7 && strcmp(d.key + kl - 7, ".memory") == 0;
	fm_finding *g = add(x, memory ? "FM102" : "FM107", d.key, NULL, "%s", d.msg ? d.msg : "refused");
	if (g) {
		g->file = doc->file;
		g->line = d.line;
		g->col = d.col;
	}
	set_detail(x, g, "The operator's validator refuses the FlinkDeployment: nothing is deployed.");
	/* A fractional or decimal-unit memory: the whole MiB below it. */
	const fm_k8s_val *mv;
	const char *field = fm_k8s_memory_field(doc, x->in->k8s_op, jm, &mv);
	int64_t q;
	if (memory && field && d.key && strcmp(d.key, field) == 0 &&
	    fm_k8s_quantity_bytes(mv->text, mv->len, &q) == FM_OK && q >= (INT64_C(1) << 20)) {
		/* a quantity stays a (binary) quantity; Flink units stay */
		const char *u;
		size_t ul;
		if (flink_size_unit(mv->text, mv->len, &u, &ul))
			set_fix(x, g, "%s: \"%lldm\"\n", field, (long long)(q >> 20));
		else
			binary_fix(x, g, field, q >> 20 << 20);
	}
	fm_diag_release(&d);
	return true;
}

/* FM101: a memory value the operator and Kubernetes read differently. */
static void k8s_units(lx *x, const fm_k8s_doc *doc, const char *rkey, const fm_k8s_val *mv, int64_t res_bytes)
{
	const char *u;
	size_t ul;
	char h[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(h, res_bytes);
	if (flink_size_unit(mv->text, mv->len, &u, &ul)) {
		if (ul == 0) {
			/* Bytes, to the operator and to Kubernetes (the autoscaler
			 * writes byte counts): only a count too small for any
			 * process is a unit forgotten. */
			if (res_bytes >= (INT64_C(1) << 20))
				return;
			fm_finding *g = add(x, "FM101", rkey, NULL, "%s: '%s' has no unit: %lld bytes, to the operator and to Kubernetes",
					    rkey, mv->text, (long long)res_bytes);
			at_val(g, doc, mv);
			set_fix(x, g, "%s: \"%lldm\"\n", rkey, (long long)res_bytes);
		} else if (strchr("KMGT", u[0]) || u[0] == 'k') {
			/* Kubernetes reads k/K, M, G, T as powers of 10; Flink as
			 * 2^10n. */
			int64_t q = 0;
			bool kq = fm_k8s_quantity_bytes(mv->text, mv->len, &q) == FM_OK;
			fm_finding *g = kq ? add(x, "FM101", rkey, NULL, "%s: '%s' is %s to the operator (Flink's units are binary); "
							"Kubernetes would read %lld bytes", rkey, mv->text, h, (long long)q)
					   : add(x, "FM101", rkey, NULL, "%s: '%s' is %s to the operator (Flink's units are binary)",
						 rkey, mv->text, h);
			at_val(g, doc, mv);
			binary_fix(x, g, rkey, res_bytes);
		}
		return;
	}
	/* Read as a Kubernetes quantity: binary suffixes mean the same to
	 * both; anything else is decimal. */
	const char *m = mv->text;
	size_t n = mv->len;
	while (n && isspace((unsigned char)m[n - 1]))
		n--;
	bool binary = n >= 2 && (m[n - 1] == 'i' || m[n - 1] == 'I') && strchr("KMGTPEkmgtpe", m[n - 2]);
	if (!binary && n >= 3 && (m[n - 1] == 'b' || m[n - 1] == 'B') && (m[n - 2] == 'i' || m[n - 2] == 'I'))
		binary = true;
	if (binary)
		return;
	/* an exact byte count written as 1e6 or 2e9: plain bytes */
	fm_finding *g = add(x, "FM101", rkey, NULL, "%s: '%s' is read as a Kubernetes quantity in decimal units: %s", rkey,
			    mv->text, h);
	at_val(g, doc, mv);
	if (res_bytes % (INT64_C(1) << 20) == 0)
		set_fix(x, g, "%s: \"%lldMi\"\n", rkey, (long long)(res_bytes >> 20));
	else
		set_fix(x, g, "%s: \"%lldMi\"\n", rkey, (long long)(fm_size_ceil_mib(res_bytes) >> 20));
}

static void k8s_role(lx *x, const fm_k8s_doc *doc, bool jm)
{
	const fm_k8s_role *r = jm ? &doc->jm : &doc->tm;
	const fm_conf *c = x->in->conf;
	const char *side = jm ? "JobManager" : "TaskManager";
	const char *pkey = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
	const char *fkey = jm ? "jobmanager.memory.flink.size" : "taskmanager.memory.flink.size";
	const char *lkey = jm ? "kubernetes.jobmanager.memory.limit-factor" : "kubernetes.taskmanager.memory.limit-factor";

	bool refused = k8s_validate(x, doc, jm);
	const fm_k8s_val *mv = NULL;
	const char *rkey = fm_k8s_memory_field(doc, x->in->k8s_op, jm, &mv);
	if (!rkey)
		rkey = jm ? "spec.jobManager.resource.memory" : "spec.taskManager.resource.memory";

	/* the spec's memory: surprising unit, overriding flinkConfiguration */
	int64_t res_bytes = -1;
	if (mv) {
		char *why = NULL;
		res_bytes = k8s_memory_bytes(x, mv, &why);
		free(why);
	}
	if (res_bytes > 0) {
		char h[FM_SIZE_HUMAN_MAX];
		fm_size_human_c(h, res_bytes);
		/* with requests and limits the operator divides the raw
		 * quantities for the limit factor: a Flink unit in the request
		 * ("2048m" is 2048 MiB to Flink, 2.048 bytes as a quantity)
		 * skews it */
		const fm_k8s_res *rq = &r->resources;
		const fm_k8s_val *other = mv == &rq->req_memory ? &rq->lim_memory : NULL;
		int64_t qb;
		if (other && other->text && fm_k8s_quantity_bytes(mv->text, mv->len, &qb) == FM_OK && qb != res_bytes) {
			fm_finding *g = add(x, "FM101", rkey, NULL,
					    "%s: '%s' is %s as the process size, but the operator computes the memory limit "
					    "factor from the quantities (%s / %s as Kubernetes reads them)", rkey, mv->text, h,
					    other->text, mv->text);
			at_val(g, doc, mv);
			binary_fix(x, g, rkey, res_bytes);
		} else {
			k8s_units(x, doc, rkey, mv, res_bytes);
		}
		const fm_entry *pe = doc->conf ? fm_conf_find(doc->conf, pkey) : NULL;
		int64_t pb = pe ? fm_conf_bytes(doc->conf, pkey) : -1;
		/* the same size in both places (as the autoscaler writes them)
		 * loses nothing */
		if (pe && pb != res_bytes) {
			fm_finding *g = add(x, "FM100", pkey, doc->conf,
					    "%s: %s in flinkConfiguration is ignored: %s '%s' sets it to %s", pkey, pe->text, rkey,
					    mv->text, h);
			set_fix(x, g, "# remove %s from flinkConfiguration\n", pkey);
		}
		const fm_entry *fe = doc->conf ? fm_conf_find(doc->conf, fkey) : NULL;
		if (fe) {
			fm_finding *g = add(x, "FM100", fkey, doc->conf,
					    "%s: %s in flinkConfiguration is combined with %s '%s' as the process size (%s): the "
					    "JVM overhead becomes the difference", fkey, fe->text, rkey, mv->text, h);
			set_fix(x, g, "# remove %s from flinkConfiguration\n", fkey);
		}
	}

	/* limit-factor and the container Flink asks Kubernetes for; a factor
	 * the operator derived from resources limits/requests is the
	 * validator's business (a request above its limit) */
	double factor = 1.0;
	fm_diag d = FM_DIAG_INIT;
	int frc = fm_k8s_memory_limit_factor(c, jm, &factor, &d);
	const fm_entry *le = fm_conf_find(c, lkey);
	bool derived = le && k8s_written(x, le);
	const char *fshow = derived ? (jm ? "spec.jobManager.resources.limits.memory" : "spec.taskManager.resources.limits.memory")
				    : lkey;
	bool factor_ok = frc == FM_OK;
	if (frc == FM_ENOMEM) {
		x->oom = true;
	} else if (frc != FM_OK) {
		fm_finding *g = add(x, "FM103", lkey, c, "%s", d.msg ? d.msg : "unreadable limit-factor");
		set_fix(x, g, "%s: \"1.0\"\n", lkey);
	} else if (!(factor >= 1)) {
		if (!derived && !refused) {
			fm_finding *g = add(x, "FM103", lkey, c,
					    "%s: %s is below 1: the container limit would be under the memory request", lkey,
					    le ? le->text : "?");
			set_detail(x, g, "java.lang.IllegalArgumentException: %s should be greater or equal to 1.", lkey);
			set_fix(x, g, "%s: \"1.0\"\n", lkey);
		}
		factor_ok = false;
	}
	fm_diag_release(&d);

	int64_t process = 0;
	if (jm) {
		fm_jm_result jr;
		if (fm_derive_jm(c, x->in->profile, x->in->env, &jr) != FM_OK) {
			x->oom = true;
			return;
		}
		if (jr.outcome == FM_DERIVED)
			process = jr.l.total_process;
		fm_jm_result_release(&jr);
	} else {
		fm_tm_result tr;
		if (fm_derive_tm(c, x->in->profile, x->in->env, &tr) != FM_OK) {
			x->oom = true;
			return;
		}
		if (tr.outcome == FM_DERIVED)
			process = tr.l.total_process;
		fm_tm_result_release(&tr);
	}
	int64_t req_mib, lim_mib;
	fm_k8s_container_mib(process, factor_ok ? factor : 1.0, &req_mib, &lim_mib);
	int64_t limit = lim_mib << 20;
	char ph[FM_SIZE_HUMAN_MAX], lh[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(ph, process);
	fm_size_human_c(lh, limit);
	if (process > 0 && factor_ok && factor > 1 && lim_mib > req_mib) {
		fm_finding *g = add(x, "FM104", derived ? fshow : lkey, derived ? NULL : c,
				    "%s container: memory request %lldMi, limit %lldMi (limit-factor %g): the "
				    "JVM is budgeted for the request only", side, (long long)req_mib, (long long)lim_mib, factor);
		if (g && derived) {
			g->file = doc->file;
			g->line = le->at.line;
			g->col = le->at.col;
		}
	}
	/* The request is the process size in whole MiB, so a process a
	 * fraction of a MiB over it is rounding, not a risk: only whole MiB
	 * beyond the limit can end in an OOM kill. */
	if (process > 0 && factor_ok && (process >> 20) > lim_mib && doc->file) {
		fm_finding *g = add(x, "FM072", pkey, c,
				    "%s process size %s exceeds the container limit %s Flink requests (the process size in whole "
				    "MiB x limit-factor)", side, ph, lh);
		char t[64];
		fm_size_text(t, sizeof t, fm_size_ceil_mib(process));
		set_fix(x, g, "%s: \"%s\"\n", rkey, t);
	}

	/* pod templates: the role's own, else the common spec.podTemplate */
	for (int lim = 1; lim >= 0; lim--) {
		const fm_k8s_val *v = lim ? &r->pod.lim_memory : &r->pod.req_memory;
		const char *where = jm ? "spec.jobManager.podTemplate" : "spec.taskManager.podTemplate";
		if (!v->text) {
			v = lim ? &doc->pod.lim_memory : &doc->pod.req_memory;
			where = "spec.podTemplate";
		}
		if (!v->text)
			continue;
		const char *what = lim ? "limits.memory" : "requests.memory";
		int64_t q;
		bool kq = fm_k8s_quantity_bytes(v->text, v->len, &q) == FM_OK;
		char wkey[160];
		snprintf(wkey, sizeof wkey, "%s flink-main-container resources.%s", where, what);
		/* Written as exactly what Flink sets: nothing changes. */
		if (process > 0 && kq && q == (lim ? limit : req_mib << 20))
			continue;
		fm_finding *g;
		if (process <= 0) {
			g = add(x, "FM105", wkey, NULL, "%s %s '%s' is replaced by Flink with the %s's %s", where, what, v->text,
				side, lim ? "process size x limit-factor" : "process size");
		} else if (lim && kq && q < process) {
			char qh[FM_SIZE_HUMAN_MAX];
			fm_size_human_c(qh, q);
			g = add(x, "FM105", wkey, NULL,
				"%s %s '%s' (%s) is smaller than the %s process size %s; Flink replaces it with %lldMi", where,
				what, v->text, qh, side, ph, (long long)lim_mib);
			char t[64];
			fm_size_text(t, sizeof t, q);
			set_fix(x, g, "%s: \"%s\"\n", rkey, t);
		} else {
			g = add(x, "FM105", wkey, NULL, "%s %s '%s' is replaced by Flink: the %s container gets %lldMi", where,
				what, v->text, side, (long long)(lim ? lim_mib : req_mib));
		}
		at_val(g, doc, v);
	}
}

/* A fix that changes a process size resource.memory decides is written as
 * the resource.memory change: editing flinkConfiguration would be
 * overridden again (FM100). */
static void k8s_fix_targets(lx *x, size_t from)
{
	const fm_k8s_doc *doc = x->in->k8s;
	for (size_t i = from; i < x->out->n && !x->oom; i++) {
		fm_finding *g = &x->out->v[i];
		for (int jm = 0; jm < 2 && g->fix; jm++) {
			const char *pkey = jm ? "jobmanager.memory.process.size" : "taskmanager.memory.process.size";
			const fm_k8s_val *mv = NULL;
			const char *field = fm_k8s_memory_field(doc, x->in->k8s_op, jm, &mv);
			const fm_entry *e = fm_conf_find(x->in->conf, pkey);
			size_t pl = strlen(pkey);
			if (!e || !field || e->at.src != FM_SRC_K8S || e->at.line != mv->line ||
			    strncmp(g->fix, pkey, pl) != 0 || strncmp(g->fix + pl, ": ", 2) != 0)
				continue;
			const char *v = g->fix + pl + 2;
			size_t vn = strcspn(v, "\n");
			const char *rest = v + vn + (v[vn] ? 1 : 0);
			/* in the user's style: a byte count stays bytes, a
			 * quantity (2Gi) stays a binary quantity, Flink units stay */
			char styled[32];
			const char *u;
			size_t ul;
			int64_t fb;
			fm_jexc je = {0};
			if (fm_size_parse(v, vn, &fb, &je) == 0) {
				if (!flink_size_unit(mv->text, mv->len, &u, &ul))
					binary_text(styled, sizeof styled, fb);
				else if (ul == 0 && e->text_len && fm_conf_bytes(x->in->conf, pkey) >= (INT64_C(1) << 20))
					/* a byte count (as the autoscaler writes); a
					 * tiny one is a unit forgotten (FM101): Flink units */
					snprintf(styled, sizeof styled, "%lld", (long long)fb);
				else
					snprintf(styled, sizeof styled, "%.*s", (int)(vn < 31 ? vn : 31), v);
				v = styled;
				vn = strlen(styled);
			}
			fm_jexc_release(&je);
			char *nf = NULL;
			if (asprintf(&nf, "%s: \"%.*s\"\n%s", field,
				     (int)vn, v, rest) < 0) {
				x->oom = true;
				return;
			}
			free(g->fix);
			g->fix = nf;
		}
	}
}

static void trap_k8s(lx *x)
{
	const fm_k8s_doc *doc = x->in->k8s;
	if (!doc)
		return;
	k8s_fix_targets(x, 0);
	k8s_role(x, doc, true);
	k8s_role(x, doc, false);
}

int fm_lint_k8s_jobs(const fm_k8s_set *set, const char *file, fm_findings *out)
{
	lx x = {NULL, out, false};
	for (size_t i = 0; i < set->njobs; i++) {
		const fm_k8s_sjob *j = &set->jobs[i];
		bool found = false;
		for (size_t k = 0; j->deployment && k < set->ndocs && !found; k++)
			found = set->docs[k].name && strcmp(set->docs[k].name, j->deployment) == 0;
		if (found)
			continue;
		fm_finding *g = j->deployment
			? add(&x, "FM106", "spec.deploymentName", NULL,
			      "FlinkSessionJob '%s' runs on FlinkDeployment '%s', which is not in this file: its memory is set there",
			      j->name ? j->name : "", j->deployment)
			: add(&x, "FM106", "spec.deploymentName", NULL, "FlinkSessionJob '%s' names no deployment (spec.deploymentName)",
			      j->name ? j->name : "");
		if (g) {
			g->file = file;
			g->line = j->line;
			g->col = j->col;
		}
	}
	return x.oom ? FM_ENOMEM : FM_OK;
}

static int cmp_finding(const void *a, const void *b)
{
	const fm_finding *x = a, *y = b;
	if (x->severity != y->severity)
		return (int)x->severity - (int)y->severity;
	int fc = strcmp(x->file ? x->file : "", y->file ? y->file : "");
	if (fc)
		return fc;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return strcmp(x->rule ? x->rule->id : "", y->rule ? y->rule->id : "");
}

static int lint_run(const fm_lint_input *in, fm_findings *out, bool verify);

int fm_lint(const fm_lint_input *in, fm_findings *out)
{
	return lint_run(in, out, true);
}

bool fm_lint_fix_line(const char *s, size_t len, const char **key, size_t *klen, const char **val, size_t *vlen)
{
	/* key and value split at the first ": ", as Flink splits a
	 * flink-conf.yaml line: a key may hold a ':' of its own */
	const char *colon = len >= 2 ? memmem(s, len, ": ", 2) : NULL;
	*val = NULL;
	*vlen = 0;
	if (len > 9 && !strncmp(s, "# remove ", 9)) {
		*key = s + 9;
		/* the key runs to the first blank (a reason follows in
		 * parentheses): Flink reads keys holding '(' or ')' as any other */
		*klen = strcspn(*key, " \n");
		return true;
	}
	if (s[0] == '#' || !colon || colon + 2 > s + len || memchr(s, ' ', (size_t)(colon - s)))
		return false;
	*key = s;
	*klen = (size_t)(colon - s);
	*val = colon + 2;
	*vlen = (size_t)(s + len - colon - 2);
	return true;
}

fm_conf *fm_lint_fix_apply(const fm_conf *c, const char *fix, bool *oom)
{
	fm_conf *t = fm_conf_dup(c);
	if (!t) {
		*oom = true;
		return NULL;
	}
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	for (const char *s = fix; *s;) {
		size_t len = strcspn(s, "\n"), kl, vl;
		const char *kp, *vp;
		if (fm_lint_fix_line(s, len, &kp, &kl, &vp, &vl)) {
			if (vp && kl >= 5 && !strncmp(kp, "spec.", 5)) {
				fm_conf_free(t);
				return NULL;
			}
			char *k = strndup(kp, kl), *v = vp ? strndup(vp, vl) : NULL;
			if (!k || (vp && !v))
				*oom = true;
			else if (!vp)
				fm_conf_remove(t, k);
			else if (fm_conf_set_str(t, k, v, &at) != FM_OK)
				*oom = true;
			free(k);
			free(v);
			if (*oom) {
				fm_conf_free(t);
				return NULL;
			}
		}
		s += len + (s[len] == '\n');
	}
	return t;
}

/* Whether fix has a line setting or removing key[0..klen). */
static bool fix_names(const char *fix, const char *key, size_t klen)
{
	for (const char *s = fix; *s;) {
		size_t len = strcspn(s, "\n"), kl, vl;
		const char *kp, *vp;
		if (fm_lint_fix_line(s, len, &kp, &kl, &vp, &vl) && kl == klen && !memcmp(kp, key, klen))
			return true;
		s += len + (s[len] == '\n');
	}
	return false;
}

/* fix followed by more, without fix's lines for keys more sets or removes:
 * a snippet names each key once (config.yaml refuses a duplicate key) and
 * the follow-up's value is the one that answers its finding. NULL on
 * ENOMEM. */
static char *fix_merge(const char *fix, const char *more)
{
	fm_buf b = FM_BUF_INIT;
	int rc = 0;
	for (const char *s = fix; *s && !rc;) {
		size_t len = strcspn(s, "\n"), kl, vl;
		const char *kp, *vp;
		if (!fm_lint_fix_line(s, len, &kp, &kl, &vp, &vl) || !fix_names(more, kp, kl))
			rc = fm_buf_add(&b, s, len) || fm_buf_adds(&b, "\n");
		s += len + (s[len] == '\n');
	}
	if (rc || fm_buf_adds(&b, more)) {
		fm_buf_release(&b);
		return NULL;
	}
	char *r = fm_buf_detach(&b, NULL);
	fm_buf_release(&b);
	return r;
}

static bool same_finding(const fm_finding *a, const fm_finding *b)
{
	if (a->rule == b->rule && a->rule && a->rule->severity == FM_SEV_ERROR && !strncmp(a->rule->id, "FM00", 4))
		return true; /* "Flink rejects this side", whichever key it names */
	return a->rule == b->rule && (a->key && b->key ? !strcmp(a->key, b->key) : a->key == b->key);
}

/* Whether fix, applied to c (which has a shorter fix applied), makes
 * Flink reject a side that c derives. */
static bool breaks_side(const fm_lint_input *in, const fm_conf *c, const char *fix, bool *oom)
{
	fm_conf *t = fm_lint_fix_apply(c, fix, oom);
	if (!t)
		return false;
	lx x = {in, NULL, false};
	bool broke = false;
	for (int tm = 1; tm >= 0 && !broke && !x.oom; tm--)
		if ((tm || in->profile->has_jm) && derives(&x, c, tm))
			broke = !derives(&x, t, tm);
	if (x.oom)
		*oom = true;
	fm_conf_free(t);
	return broke;
}

/* Every fix is checked the way a user would: applied alone, then check
 * again. A finding the fix brings that the config did not have and that
 * has a fix of its own gets that fix appended (the keys the change makes
 * redundant or out of range are adjusted in the same change), twice at
 * most. */
static void verify_fixes(const fm_lint_input *in, fm_findings *f, bool *oom)
{
	for (size_t i = 0; i < f->n && !*oom; i++) {
		fm_finding *g = &f->v[i];
		if (g->severity == FM_SEV_NOTE || !g->fix)
			continue;
		char *orig = strdup(g->fix);
		if (!orig) {
			*oom = true;
			break;
		}
		for (int round = 0; round < 2 && !*oom; round++) {
			fm_conf *t = fm_lint_fix_apply(in->conf, g->fix, oom);
			if (!t)
				break;
			fm_lint_input tin = *in;
			tin.conf = t;
			fm_findings a;
			if (lint_run(&tin, &a, false) != FM_OK) {
				*oom = true;
				fm_conf_free(t);
				break;
			}
			char *more = NULL;
			for (size_t k = 0; k < a.n && !*oom; k++) {
				const fm_finding *h = &a.v[k];
				if (h->severity == FM_SEV_NOTE || !h->fix)
					continue;
				bool old = false;
				for (size_t j = 0; j < f->n && !old; j++)
					old = j != i && same_finding(h, &f->v[j]);
				if (old || strstr(g->fix, h->fix))
					continue;
				char *m = fix_merge(more ? more : "", h->fix);
				if (!m)
					*oom = true;
				free(more);
				more = m;
			}
			fm_findings_release(&a);
			fm_conf_free(t);
			if (!more)
				break;
			char *nf = fix_merge(g->fix, more);
			free(more);
			if (!nf) {
				*oom = true;
			} else {
				free(g->fix);
				g->fix = nf;
			}
		}
		/* The follow-ups may leave a side Flink rejects where the fix alone
		 * did not (a follow-up's own rejection could not be repaired in
		 * two rounds): then the fix alone is shown. */
		if (!*oom && strcmp(orig, g->fix) != 0) {
			fm_conf *t = fm_lint_fix_apply(in->conf, orig, oom);
			if (t && breaks_side(in, t, g->fix, oom)) {
				free(g->fix);
				g->fix = orig;
				orig = NULL;
			}
			fm_conf_free(t);
		}
		free(orig);
		/* A fix Flink would refuse is no fix: say so instead (e.g. the
		 * network 65536 slots of 1g segments need). */
		if (!*oom && g->fix && breaks_side(in, in->conf, g->fix, oom)) {
			size_t l1 = strcspn(g->fix, "\n");
			char *d = NULL;
			if (asprintf(&d, "%s%sNo fix shown: what this needs (%.*s) makes Flink reject the configuration.",
				     g->detail ? g->detail : "", g->detail ? "\n" : "", (int)l1, g->fix) < 0) {
				*oom = true;
				break;
			}
			free(g->detail);
			g->detail = d;
			free(g->fix);
			g->fix = NULL;
		}
	}
}

/* A config Flink rejects gets only its rejections: the layout rules need
 * a layout. The user would apply a fix, check again and only then meet
 * the traps behind it (a managed memory nobody uses, a task heap too
 * small). So each error fix that alone makes Flink accept the config, and
 * then all of them together, is applied as the user would, and what check
 * finds on the result that is not listed yet is added, saying it shows
 * once the errors are fixed; its position is the user's line of the key,
 * where the file has it. */
static void behind_one(const fm_lint_input *in, fm_findings *f, const char *fix, bool *oom)
{
	fm_conf *t = fm_lint_fix_apply(in->conf, fix, oom);
	if (!t)
		return;
	lx x = {in, f, false};
	bool starts = true;
	for (int tm = 1; tm >= 0 && starts && !x.oom; tm--)
		starts = !(tm || in->profile->has_jm) || derives(&x, t, tm);
	fm_lint_input tin = *in;
	tin.conf = t;
	fm_findings a = {0};
	int rc = x.oom || !starts ? FM_OK : lint_run(&tin, &a, true);
	for (size_t k = 0; k < a.n && !x.oom; k++) {
		const fm_finding *h = &a.v[k];
		bool old = h->severity == FM_SEV_NOTE;
		for (size_t j = 0; j < f->n && !old; j++)
			old = same_finding(h, &f->v[j]);
		if (old)
			continue;
		fm_finding *g = add(&x, h->rule->id, h->key, in->conf, "once the errors above are fixed: %s", h->message);
		if (!g)
			break;
		g->behind_errors = true;
		if (h->detail && !(g->detail = strdup(h->detail)))
			x.oom = true;
		if (h->fix && !(g->fix = strdup(h->fix)))
			x.oom = true;
	}
	if (x.oom || rc != FM_OK)
		*oom = true;
	fm_findings_release(&a);
	fm_conf_free(t);
}

static void behind_rejection(const fm_lint_input *in, fm_findings *f, bool *oom)
{
	lx x = {in, NULL, false};
	bool rejected = false;
	for (int tm = 1; tm >= 0 && !rejected && !x.oom; tm--)
		rejected = (tm || in->profile->has_jm) && !derives(&x, in->conf, tm);
	if (x.oom)
		*oom = true;
	if (!rejected || *oom)
		return;
	size_t n0 = f->n, nfix = 0;
	char *all = NULL;
	for (size_t i = 0; i < n0 && !*oom; i++) {
		if (f->v[i].severity != FM_SEV_ERROR || !f->v[i].fix)
			continue;
		nfix++;
		char *m = fix_merge(all ? all : "", f->v[i].fix);
		if (!m)
			*oom = true;
		free(all);
		all = m;
		/* (f->v may move as findings are added; the fix string does not) */
		if (m)
			behind_one(in, f, f->v[i].fix, oom);
	}
	if (all && nfix > 1 && !*oom)
		behind_one(in, f, all, oom);
	free(all);
}

/* fix (a snippet) sets key to a value. */
static bool fix_sets_key(const char *fix, const char *k, size_t kl)
{
	for (const char *s = fix; *s;) {
		size_t len = strcspn(s, "\n"), l2, vl;
		const char *kp, *vp;
		if (fm_lint_fix_line(s, len, &kp, &l2, &vp, &vl) && vp && l2 == kl && !memcmp(kp, k, kl))
			return true;
		s += len + (s[len] == '\n');
	}
	return false;
}

/* *fix with key's line set to value; false when out of memory. */
static bool rewrite_fix_value(char **fix, const char *k, size_t kl, const char *v, size_t vl)
{
	fm_buf b = FM_BUF_INIT;
	int rc = 0;
	for (const char *s = *fix; *s && !rc;) {
		size_t len = strcspn(s, "\n"), l2, vl2;
		const char *kp, *vp;
		if (fm_lint_fix_line(s, len, &kp, &l2, &vp, &vl2) && vp && l2 == kl && !memcmp(kp, k, kl))
			rc = fm_buf_add(&b, k, kl) || fm_buf_add(&b, ": ", 2) || fm_buf_add(&b, v, vl) || fm_buf_addc(&b, '\n');
		else
			rc = fm_buf_add(&b, s, len) || fm_buf_addc(&b, '\n');
		s += len + (s[len] == '\n');
	}
	char *n = rc ? NULL : fm_buf_detach(&b, NULL);
	if (!n) {
		fm_buf_release(&b);
		return false;
	}
	free(*fix);
	*fix = n;
	return true;
}

/* The value line of k in fix ("k: v"), allocated; NULL when none (or out
 * of memory, *oom set). */
static char *fix_line_of(const char *fix, const char *k, size_t kl, bool *oom)
{
	for (const char *t = fix; *t;) {
		size_t l2 = strcspn(t, "\n"), k2, v2;
		const char *kq, *vq;
		if (fm_lint_fix_line(t, l2, &kq, &k2, &vq, &v2) && vq && k2 == kl && !memcmp(kq, k, kl)) {
			char *line = NULL;
			if (asprintf(&line, "%.*s: %.*s\n", (int)kl, k, (int)v2, vq) < 0)
				*oom = true;
			return line;
		}
		t += l2 + (t[l2] == '\n');
	}
	return NULL;
}

static bool is_rejection(const fm_finding *f)
{
	return f->rule && (!strcmp(f->rule->id, "FM001") || !strcmp(f->rule->id, "FM002"));
}

/* Fixes that set the same key agree, so a user applying all of them in
 * any order ends where Flink starts: the value a unit or format finding
 * reads the user's text as (FM013's "0.5g" as 512m, a bare number's unit)
 * when Flink starts with it alone, else the rejection chain's last value
 * (FM001/FM002 re-derive after each earlier fix: theirs starts). Keys of a
 * FlinkDeployment's spec are left as they are (not replayable here). */
static void agree_fixes(const fm_lint_input *in, fm_findings *f, bool *oom)
{
	for (size_t i = 0; i < f->n && !*oom; i++) {
		if (!f->v[i].fix || !is_rejection(&f->v[i]))
			continue;
		/* its lines, read from a copy: the loop rewrites this fix too */
		char *own = strdup(f->v[i].fix);
		if (!own) {
			*oom = true;
			break;
		}
		for (const char *s = own; *s && !*oom;) {
			size_t len = strcspn(s, "\n"), kl, vl;
			const char *kp, *vp;
			bool ok = fm_lint_fix_line(s, len, &kp, &kl, &vp, &vl) && vp && !(kl >= 5 && !strncmp(kp, "spec.", 5));
			/* the last rejection fixing this key has the chain's value */
			for (size_t j = i + 1; ok && j < f->n; j++)
				if (f->v[j].fix && is_rejection(&f->v[j]) && fix_sets_key(f->v[j].fix, kp, kl))
					ok = false;
			char *k = ok ? strndup(kp, kl) : NULL, *target = ok ? strndup(vp, vl) : NULL;
			s += len + (s[len] == '\n');
			if (!ok)
				continue;
			if (!k || !target) {
				*oom = true;
				free(k);
				free(target);
				break;
			}
			/* a reading of the user's text that starts wins over the chain */
			bool tm = !strncmp(k, "taskmanager.", 12);
			for (size_t j = 0; j < f->n && !*oom; j++) {
				if (!f->v[j].fix || is_rejection(&f->v[j]))
					continue;
				char *line = fix_line_of(f->v[j].fix, k, kl, oom);
				if (!line)
					continue;
				/* (with the rejections' other fixes applied first: the
				 * reading competes with the chain's value, nothing else) */
				fm_buf all = FM_BUF_INIT;
				for (size_t q = 0; q < f->n; q++)
					if (f->v[q].fix && is_rejection(&f->v[q]) && fm_buf_adds(&all, f->v[q].fix))
						*oom = true;
				if (fm_buf_adds(&all, line))
					*oom = true;
				fm_conf *t = *oom ? NULL : fm_lint_fix_apply(in->conf, all.data ? all.data : "", oom);
				fm_buf_release(&all);
				lx x = {in, NULL, false};
				if (t && derives(&x, t, tm)) {
					char *v = strndup(line + kl + 2, strlen(line + kl + 2) - 1);
					if (v) {
						free(target);
						target = v;
					} else {
						*oom = true;
					}
				}
				*oom |= x.oom;
				fm_conf_free(t);
				free(line);
				break;
			}
			for (size_t j = 0; j < f->n && !*oom; j++)
				if (f->v[j].fix && fix_sets_key(f->v[j].fix, k, kl))
					*oom = !rewrite_fix_value(&f->v[j].fix, k, kl, target, strlen(target));
			free(target);
			free(k);
		}
		free(own);
	}
}

static int lint_run(const fm_lint_input *in, fm_findings *out, bool verify)
{
	*out = (fm_findings){0};
	lx x = {in, out, false};
	reject_side(&x, true);
	if (in->profile->has_jm)
		reject_side(&x, false);
	trap_units(&x);
	trap_keys(&x);
	trap_overrides(&x);
	trap_java_opts(&x);
	trap_layout(&x);
	trap_k8s(&x);
	trap_flink_properties(&x);
	trap_ignored_lines(&x);
	trap_set_twice(&x);
	agree_fixes(in, out, &x.oom);
	/* a FlinkDeployment's conf is the operator's effective view: its
	 * fixes edit the CR, not these keys, so they are not replayed here */
	if (verify && !x.oom && !in->k8s)
		verify_fixes(in, out, &x.oom);
	if (verify && !x.oom && !in->k8s)
		behind_rejection(in, out, &x.oom);
	if (x.oom) {
		fm_findings_release(out);
		return FM_ENOMEM;
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), cmp_finding);
	return FM_OK;
}
