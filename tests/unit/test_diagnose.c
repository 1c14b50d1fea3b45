/* test_diagnose — the diagnose modules: events (timestamps, numbers, safe
 * text, peers), incidents (grouping, process attribution, root vs
 * aftermath, look-alikes), logconf (layout recovery re-derived by the
 * engine), inputs (kind detection, flattening with source lines) and the
 * remedies' numbers, end to end through fm_diagnose_mem. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "flinkmem/buf.h"
#include "flinkmem/derive.h"
#include "flinkmem/diagnose.h"
#include "flinkmem/events.h"
#include "flinkmem/incidents.h"
#include "flinkmem/inputs.h"
#include "flinkmem/logconf.h"
#include "flinkmem/signatures.h"

/* ---- helpers ---- */

static int sig(const char *id)
{
	int i = fm_signature_find(id);
	assert_true(i >= 0);
	return i;
}

static fm_scanner *scanner; /* compiled once for all tests */

static fm_scanner *get_scanner(void)
{
	if (!scanner) {
		size_t np;
		const fm_pattern *p = fm_signature_patterns(&np);
		scanner = fm_scanner_new(p, np, NULL);
		assert_non_null(scanner);
	}
	return scanner;
}

/* text read as input name under profile p (NULL: the inputs' release) */
static fm_dx_result run_with(const char *text, const char *name, const fm_profile *p)
{
	fm_dx_opts o = {0};
	o.scanner = get_scanner();
	o.profile = p;
	fm_dx_result r;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_diagnose_mem(text, strlen(text), name, &o, &r, &d), FM_OK);
	fm_diag_release(&d);
	return r;
}

static fm_dx_result run(const char *text, const char *name)
{
	return run_with(text, name, NULL);
}

/* text diagnosed with a config of n key/value pairs (defined below) */
static fm_dx_result run_conf(const char *text, const char *const *kv, size_t n);

/* text read as input name has no root cause */
static void expect_no_root(const char *text, const char *name)
{
	fm_dx_result r = run(text, name);
	assert_int_equal(r.a.root, -1);
	fm_dx_result_release(&r);
}

/* text read as trace.txt has one incident, outside the cluster, in process p */
static void expect_outside(const char *text, fm_process p)
{
	fm_dx_result r = run(text, "trace.txt");
	assert_int_equal(r.a.root, -1);
	assert_true(r.a.n == 1 && r.a.v[0].outside);
	assert_int_equal(r.a.v[0].proc, p);
	fm_dx_result_release(&r);
}

/* text read as input name, checked to have its first incident, of kind
 * f, as the root; the caller asserts more and releases */
static fm_dx_result run_root(const char *text, const char *name, fm_failure f)
{
	fm_dx_result r = run(text, name);
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, f);
	return r;
}

static void expect_root(const char *text, const char *name, fm_failure f)
{
	fm_dx_result r = run_root(text, name, f);
	fm_dx_result_release(&r);
}

/* ... and the root cause is in process p */
static void expect_root_in(const char *text, const char *name, fm_failure f, fm_process p)
{
	fm_dx_result r = run_root(text, name, f);
	assert_int_equal(r.a.v[0].proc, p);
	fm_dx_result_release(&r);
}

static bool any_note(const fm_dx_result *r, const char *needle)
{
	for (size_t i = 0; i < r->a.nnotes; i++)
		if (strstr(r->a.notes[i], needle))
			return true;
	for (size_t i = 0; i < r->nnotes; i++)
		if (strstr(r->notes[i], needle))
			return true;
	return false;
}

/* A fix line ("also:") that starts with PREFIX. */
static bool any_extra(const fm_remedy *m, const char *prefix)
{
	for (size_t i = 0; i < m->nextra; i++)
		if (!strncmp(m->changes_extra[i], prefix, strlen(prefix)))
			return true;
	return false;
}

static const fm_change *change_of(const fm_plan *p, const char *key)
{
	for (size_t i = 0; i < p->nchanges; i++)
		if (!strcmp(p->changes[i].key, key))
			return &p->changes[i];
	return NULL;
}

/* ---- events ---- */

static void test_log_time(void **st)
{
	(void)st;
	int64_t ms;
	char t[24];
	struct tm tm = {.tm_year = 124, .tm_mon = 2, .tm_mday = 1, .tm_hour = 10, .tm_min = 5, .tm_sec = 0};
	int64_t want = (int64_t)timegm(&tm) * 1000 + 100;
	const char *a = "2024-03-01 10:05:00,100 INFO x";
	assert_true(fm_log_time(a, strlen(a), &ms, t));
	assert_int_equal(ms, want);
	assert_string_equal(t, "2024-03-01T10:05:00.100");
	const char *b = "2024-03-01T10:05:00.100987654Z stdout F line";
	assert_true(fm_log_time(b, strlen(b), &ms, t));
	assert_int_equal(ms, want);
	const char *c = "[2024-03-01 10:05:00.1] x"; /* inside brackets, short fraction */
	assert_true(fm_log_time(c, strlen(c), &ms, t));
	assert_int_equal(ms, want);
	const char *bad = "2024-13-01 10:05:00 month 13";
	assert_false(fm_log_time(bad, strlen(bad), &ms, t));
	const char *none = "java.lang.OutOfMemoryError: Java heap space";
	assert_false(fm_log_time(none, strlen(none), &ms, t));
	/* a truncated timestamp at the end of the buffer is not read past */
	assert_false(fm_log_time("2024-03-01 10:05", 16, &ms, t));
}

static void test_numbers(void **st)
{
	(void)st;
	int64_t v[6];
	const char *s = "required 66, but only 12 available. The total number of network buffers is currently set to "
			"4096 of 32768 bytes each.";
	assert_int_equal(fm_numbers(s, strlen(s), v, 6), 4);
	assert_int_equal(v[0], 66);
	assert_int_equal(v[1], 12);
	assert_int_equal(v[2], 4096);
	assert_int_equal(v[3], 32768);
	/* digits glued to letters or '_' are ids, not numbers */
	const char *y = "container_e05_17 Exit code:-104. usage 4.1 GB";
	assert_int_equal(fm_numbers(y, strlen(y), v, 6), 2);
	assert_int_equal(v[0], -104);
	assert_int_equal(v[1], 4);
	const char *big = "99999999999999999999999 7";
	assert_int_equal(fm_numbers(big, strlen(big), v, 6), 1);
	assert_int_equal(v[0], 7);
}

static void test_escape(void **st)
{
	(void)st;
	fm_buf b = FM_BUF_INIT;
	const char in[] = "a\x1b[31mred\x07\ttab \\ caf\xc3\xa9 \xff \xc2\x9b end";
	assert_int_equal(fm_escape_line(&b, in, sizeof in - 1, 1000), FM_OK);
	assert_string_equal(b.data, "a\\x1b[31mred\\x07\\ttab \\\\ caf\xc3\xa9 \\xff \\xc2\\x9b end");
	for (size_t i = 0; i < b.len; i++)
		assert_true((unsigned char)b.data[i] >= 0x20 && b.data[i] != 0x7f);
	fm_buf_reset(&b);
	assert_int_equal(fm_escape_line(&b, "abcdef", 6, 3), FM_OK);
	assert_string_equal(b.data, "abc...");
	fm_buf_reset(&b);
	assert_int_equal(fm_escape_line(&b, "x\0y", 3, 10), FM_OK);
	assert_string_equal(b.data, "x\\x00y");
	fm_buf_release(&b);
}

static void test_event_make(void **st)
{
	(void)st;
	size_t n;
	const fm_sig *sigs = fm_signatures(&n);
	fm_event ev;
	const char *l = "2024-01-01 00:00:00,000 INFO o.a.f.r.r.a.ActiveResourceManager - Worker flink-tm-1-1 is "
			"terminated. Diagnostics: Pod terminated, container termination statuses: "
			"[flink-main-container(exitCode=137, reason=OOMKilled, message=null)]";
	assert_int_equal(fm_event_make(sigs, (size_t)sig("FLINK_POD_OOMKILLED"), l, strlen(l), 7, &ev), FM_OK);
	assert_string_equal(ev.peer, "flink-tm-1-1");
	assert_int_equal(ev.line, 7);
	assert_true(ev.time_ms >= 0);
	fm_event_release(&ev);
	const char *y = "Container [pid=1,containerID=container_e05_1709280000000_0001_01_000001] is running beyond "
			"physical memory limits. Current usage: 4.1 GB of 4 GB physical memory used";
	assert_int_equal(fm_event_make(sigs, (size_t)sig("YARN_PMEM_KILL"), y, strlen(y), 1, &ev), FM_OK);
	assert_string_equal(ev.peer, "container_e05_1709280000000_0001_01_000001");
	assert_int_equal(ev.nnum, 2); /* 4.1 and 4 after "Current usage:" */
	assert_int_equal(ev.num[0], 4);
	assert_int_equal(ev.container_limit, INT64_C(4) << 30); /* the limit, not the usage */
	fm_event_release(&ev);
	/* the limit as Hadoop 2/3 and some distributions print it: one binary
	 * decimal, "MB" too, lower case, a vmem kill (its pmem limit is the
	 * container size all the same) */
	static const struct {
		const char *sig, *line;
		int64_t limit;
	} lim[] = {
		{"YARN_PMEM_KILL", "Container [pid=9,containerID=container_1_0001_01_000002] is running 2684354B beyond the "
				   "'PHYSICAL' memory limit. Current usage: 1.0 GB of 1.1 GB physical memory used; 3.2 GB of "
				   "2.3 GB virtual memory used. Killing container.",
		 (INT64_C(11) << 30) / 10},
		{"YARN_PMEM_KILL", "is running beyond physical memory limits. Current usage: 569.1 MB of 512 MB physical "
				   "memory used; 2.6 GB of 1.1 GB virtual memory used",
		 INT64_C(512) << 20},
		{"YARN_PMEM_KILL", "is running beyond physical memory limits. Current usage: 2.1gb of 2.0gb physical memory used",
		 INT64_C(2) << 30},
		{"YARN_VMEM_KILL", "is running beyond virtual memory limits. Current usage: 76.1 MB of 2 GB physical memory "
				   "used; 4.5 GB of 4.2 GB virtual memory used. Killing container.",
		 INT64_C(2) << 30},
		{"YARN_PMEM_KILL", "is running beyond physical memory limits. Killing container.", 0},
		/* the kernel's memory cgroup at an OOM kill: the limit, in kB; an
		 * unlimited cgroup (PAGE_COUNTER_MAX) is no limit */
		{"KERNEL_MEMCG_LIMIT", "[ 812.5] memory: usage 4194304kB, limit 4194304kB, failcnt 5931", INT64_C(4) << 30},
		{"KERNEL_MEMCG_LIMIT", "memory: usage 2096000kB, limit 2097152kB, failcnt 0", INT64_C(2) << 30},
		{"KERNEL_MEMCG_LIMIT", "memory: usage 40kB, limit 9007199254740988kB, failcnt 0", 0},
		{"KERNEL_MEMCG_LIMIT", "memory: usage 40kB, limit 99999999999999999999999999kB, failcnt 0", 0},
		{"KERNEL_MEMCG_LIMIT", "memory: usage 40kB, limit 4096", 0},
		{"YARN_PMEM_KILL", "is running beyond physical memory limits. Current usage: 4.1 GB of GB physical memory used", 0},
	};
	for (size_t i = 0; i < sizeof lim / sizeof lim[0]; i++) {
		assert_int_equal(fm_event_make(sigs, (size_t)sig(lim[i].sig), lim[i].line, strlen(lim[i].line), 1, &ev), FM_OK);
		assert_int_equal(ev.container_limit, lim[i].limit);
		fm_event_release(&ev);
	}
	/* the kill's usage alone: physical at its limit is a physical kill,
	 * well under it the virtual limit's */
	static const struct {
		const char *line;
		bool vmem;
	} use[] = {
		{"Current usage: 10.0 GB of 10 GB physical memory used; 19.1 GB of 21 GB virtual memory used.", false},
		{"Current usage: 76.1 MB of 2 GB physical memory used; 4.5 GB of 4.2 GB virtual memory used", true},
	};
	for (size_t i = 0; i < sizeof use / sizeof use[0]; i++) {
		assert_int_equal(fm_event_make(sigs, (size_t)sig("YARN_KILL_USAGE"), use[i].line, strlen(use[i].line), 1, &ev),
				 FM_OK);
		assert_true(ev.container_limit > 0);
		assert_int_equal(ev.yarn_vmem, use[i].vmem);
		fm_event_release(&ev);
	}
	/* the main classes' loggers name the process: Yarn/KubernetesTaskExecutorRunner,
	 * Yarn/StandaloneApplicationClusterEntryPoint (capital P) */
	const char *kt = "2024-01-01 11:00:00,000 ERROR org.apache.flink.kubernetes.taskmanager.KubernetesTaskExecutorRunner "
			 "[] - Fatal error java.lang.OutOfMemoryError: Java heap space";
	assert_int_equal(fm_event_make(sigs, (size_t)sig("OOM_HEAP"), kt, strlen(kt), 1, &ev), FM_OK);
	assert_int_equal(ev.proc, FM_PROC_TM);
	fm_event_release(&ev);
	const char *ya = "2024-01-01 11:00:00,000 ERROR org.apache.flink.yarn.entrypoint.YarnApplicationClusterEntryPoint "
			 "[] - Fatal error java.lang.OutOfMemoryError: Java heap space";
	assert_int_equal(fm_event_make(sigs, (size_t)sig("OOM_HEAP"), ya, strlen(ya), 1, &ev), FM_OK);
	assert_int_equal(ev.proc, FM_PROC_JM);
	fm_event_release(&ev);
	const char *j = "either Flink Master requires a larger size of JVM metaspace";
	assert_int_equal(fm_event_make(sigs, (size_t)sig("OOM_METASPACE"), j, strlen(j), 1, &ev), FM_OK);
	assert_int_equal(ev.proc, FM_PROC_JM);
	fm_event_release(&ev);
}

/* ---- signatures ---- */

static void test_signature_table(void **st)
{
	(void)st;
	size_t n, np;
	const fm_sig *s = fm_signatures(&n);
	const fm_pattern *p = fm_signature_patterns(&np);
	assert_int_equal(n, np);
	assert_true(n >= 100);
	for (size_t i = 0; i < n; i++) {
		assert_string_equal(s[i].id, p[i].id);
		/* failure kinds only on primaries, and every primary has one */
		assert_true((s[i].role == FM_ROLE_PRIMARY) == (s[i].failure != FM_F_NONE));
		for (size_t k = i + 1; k < n; k++)
			assert_true(strcmp(s[i].id, s[k].id) != 0);
	}
	/* every row of the knowledge base's table is covered */
	const char *dir = getenv("FM_TESTDATA");
	char *path = NULL;
	assert_true(asprintf(&path, "%s/unit/data/signatures.tsv", dir ? dir : "tests") > 0);
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		skip();
	char line[4096];
	size_t rows = 0;
	while (fgets(line, sizeof line, f)) {
		char *tab = strchr(line, '\t');
		if (!tab || line[0] == '#' || !strncmp(line, "id\t", 3))
			continue; /* comments and the header */
		*tab = '\0';
		if (fm_signature_find(line) < 0)
			fail_msg("signature %s of signatures.tsv is not in the table", line);
		rows++;
	}
	fclose(f);
	assert_int_equal(rows, 100);
}

/* ---- incidents ---- */

static void test_heartbeat_alone_is_not_memory(void **st)
{
	(void)st;
	fm_dx_result r = run("2024-03-01 10:00:00,000 INFO org.apache.flink.runtime.jobmaster.JobMaster - Heartbeat of "
			     "TaskManager with id tm-1 timed out.\n",
			     "jm.log");
	assert_int_equal(r.a.n, 0);
	assert_int_equal(r.a.root, -1);
	assert_true(any_note(&r, "not a memory failure"));
	fm_dx_result_release(&r);
}

static void test_root_and_aftermath(void **st)
{
	(void)st;
	fm_dx_result r = run(
		"2024-03-01 09:00:00,000 INFO x -  Starting StandaloneSessionClusterEntrypoint (Version: 1.17.2, Scala: 2.12)\n"
		"2024-03-01 10:00:00,000 INFO x - Heartbeat of TaskManager with id tm-1 timed out.\n"
		"2024-03-01 09:59:00,000 WARN x - Map (2/4)#0 (abc) switched from RUNNING to FAILED on tm-1 @ host.\n"
		"java.lang.OutOfMemoryError: Metaspace\n"
		"Caused by: java.lang.OutOfMemoryError: Metaspace\n",
		"jm.log");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_METASPACE);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM); /* the task failure names the TaskManager */
	assert_false(r.a.v[0].aftermath);
	assert_int_equal(r.a.v[0].count, 2);
	assert_int_equal(r.a.v[0].line, 4);
	assert_string_equal(r.a.v[0].time, "2024-03-01T09:59:00.000"); /* the line above the stack trace */
	assert_string_equal(r.profile->name, fm_profile_for("1.17.2")->name);
	bool after = false;
	for (size_t i = 1; i < r.a.n; i++)
		if (r.a.v[i].aftermath && r.a.v[i].failure == FM_F_METASPACE)
			after = true;
	assert_true(after);
	fm_dx_result_release(&r);
}

static void test_eperm_lookalike(void **st)
{
	(void)st;
	fm_dx_result r = run("[0.009s][warning][os,thread] Failed to start thread \"GC Thread#0\" - pthread_create failed "
			     "(EPERM) for attributes: stacksize: 1024k\n#\n"
			     "# There is insufficient memory for the Java Runtime Environment to continue.\n",
			     "jm.log");
	assert_int_equal(r.a.n, 0);
	assert_true(any_note(&r, "EPERM"));
	fm_dx_result_release(&r);
	/* without the permission error the same text is a native memory failure */
	r = run("# There is insufficient memory for the Java Runtime Environment to continue.\n", "tm.log");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_NATIVE_MEMORY); /* the JVM's own malloc/mmap failure */
	fm_dx_result_release(&r);
}

static void test_process_attribution(void **st)
{
	(void)st;
	fm_dx_result r = run("java.lang.OutOfMemoryError: Java heap space. A heap space-related out-of-memory error has "
			     "occurred.\n",
			     "trace.txt");
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	assert_false(r.a.v[0].proc_assumed);
	fm_dx_result_release(&r);
	/* a bare JDK error shows nothing of Flink: every JVM prints it, so it
	 * is not blamed on a TaskManager (DESIGN §3) ... */
	r = run("Caused by: java.lang.OutOfMemoryError: Direct buffer memory\n", "trace.txt");
	assert_int_equal(r.a.root, -1);
	assert_true(r.a.v[0].outside);
	fm_dx_result_release(&r);
	/* ... unless the input is Flink's: then a TaskManager is the assumption */
	r = run("Flink job failed\nCaused by: java.lang.OutOfMemoryError: Direct buffer memory\n", "trace.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_true(r.a.v[0].proc_assumed);
	fm_dx_result_release(&r);
	/* the file name says whose log it is: Flink's names and the short tm/jm */
	const char *names[] = {"tm.log", "job-tm-2.txt", "flink-root-taskexecutor-0-h.log", "taskmanager.log"};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		r = run("Caused by: java.lang.OutOfMemoryError: Direct buffer memory\n", names[i]);
		assert_int_equal(r.a.root, 0);
		assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
		assert_false(r.a.v[0].proc_assumed);
		fm_dx_result_release(&r);
	}
	r = run("Caused by: java.lang.OutOfMemoryError: Direct buffer memory\n", "html-jm.log");
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	fm_dx_result_release(&r);
	/* a Flink configuration check is Flink's own text: not outside */
	r = run("The configuration value 'yarn.heap-cutoff-ratio' must be between 0 and 1. Value given=1.5\n", "trace.txt");
	assert_false(r.a.v[0].outside);
	fm_dx_result_release(&r);
	/* the first YARN container of a Flink application is the JobManager */
	r = run("org.apache.flink.yarn.YarnClusterDescriptor$YarnDeploymentException: The YARN application unexpectedly "
		"switched to state FAILED during deployment.\n"
		"Container [pid=1,containerID=container_e07_1669378398064_0078_01_000001] is running beyond physical "
		"memory limits. Current usage: 4.0 GB of 4 GB physical memory used\n",
		"yarn.txt");
	assert_int_equal(r.a.v[0].failure, FM_F_YARN);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	fm_dx_result_release(&r);
	/* a job failure in the JobManager's log carries a task's exception */
	r = run("2024-01-01 10:00:00,000 INFO x -  Starting StandaloneSessionClusterEntrypoint (Version: 1.18.1)\n"
		"2024-01-01 11:00:00,000 INFO x - Job wc (abc) switched from state RUNNING to FAILING.\n"
		"org.apache.flink.runtime.JobException: Recovery is suppressed by NoRestartBackoffTimeStrategy\n"
		"Caused by: java.lang.OutOfMemoryError: Java heap space\n",
		"jm.log");
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_true(r.a.v[0].from_peer_view);
	fm_dx_result_release(&r);
	/* the checkpoint and source coordinators run in the JobManager */
	r = run("java.lang.OutOfMemoryError: Java heap space\n"
		"\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator.triggerCheckpoint(CheckpointCoordinator.java:9)\n",
		"trace.txt");
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	fm_dx_result_release(&r);
	r = run("java.lang.OutOfMemoryError: Java heap space\n"
		"\tat org.apache.flink.runtime.source.coordinator.SourceCoordinator.lambda$start$1(SourceCoordinator.java:9)\n",
		"trace.txt");
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	fm_dx_result_release(&r);
	/* frames just below an error name the process */
	r = run("java.lang.OutOfMemoryError: Java heap space\n\tat x.Y.z(Y.java:1)\n"
		"\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.run(JarRunHandler.java:9)\n",
		"trace.txt");
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	fm_dx_result_release(&r);
}

/* A guide that names errors in its own words: the JVM prints a Throwable
 * with its package, so "OutOfMemoryError: ..." without java.lang. in a
 * sentence or heading is a person's, and a text of such lines is a
 * description (no failure guessed); the printed form stays a failure. */
static void test_oom_shorthand_is_prose(void **st)
{
	(void)st;
	const char *guide = "Flink memory guide\n"
			    "2. OutOfMemoryError: Java heap space: the heap is too small for the job\n"
			    "When you see OutOfMemoryError: Direct buffer memory, raise task off-heap.\n";
	fm_dx_result r = run(guide, "tm.log");
	assert_int_equal(r.a.root, -1);
	fm_dx_result_release(&r);
	r = run("Flink job failed\njava.lang.OutOfMemoryError: Java heap space\n", "trace.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_HEAP);
	fm_dx_result_release(&r);
	/* a program puts ": " after the class; "IOException:Insufficient" is typed */
	r = run("Flink memory guide\nIOException:Insufficient number of network buffers\nraise network memory\n",
		"tm.log");
	assert_int_equal(r.a.root, -1);
	fm_dx_result_release(&r);
	r = run("Flink memory guide\njava.io.IOException: Insufficient number of network buffers: required 65, but only "
		"12 available\n",
		"tm.log");
	assert_int_equal(r.a.root, 0);
	fm_dx_result_release(&r);
	/* the phrase alone on its line is a title or a guide's shorthand; after
	 * its exception, a wrap cut it from its numbers */
	expect_no_root("## FAQ\n```\nInsufficient number of network buffers\n```\ntaskmanager.memory.process.size: 2048m\n",
		       "tm.log");
	expect_root("2024-03-11 08:02:14,551 WARN org.apache.flink.runtime.taskmanager.Task [] - Join (3/4)#0 switched "
		    "from DEPLOYING to FAILED with failure cause: java.io.IOException: Insufficient number of network "
		    "buffers\n: required 33, but only 9 available.\n",
		    "tm.log", FM_F_NETWORK);
}

/* A mail archive hard-wraps a message with soft breaks (a line that ends
 * in a space, RFC 3676) under "> " quotes: the lines are joined before the
 * scan, evidence keeps the source line; a line a person ended is not. */
static void test_soft_wrapped_mail(void **st)
{
	(void)st;
	const char *mail = "> Currently the chart sets the JobManager process size to 500m, which makes it\n"
			   "> crash on start with:\n"
			   "> Exception in thread \"main\" \n"
			   "> org.apache.flink.configuration.IllegalConfigurationException: The configured \n"
			   "> Total Flink Memory (52.000mb (54525952 bytes)) is less than the configured \n"
			   "> Off-heap Memory (128.000mb (134217728 bytes)).\n";
	fm_dx_result r = run(mail, "trace.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	assert_int_equal(r.a.v[0].line, 4); /* the first line of the joined message */
	fm_dx_result_release(&r);
	/* an indented quote: the continuation's indentation goes; a frame or a
	 * log line below a line that ends in a space is never joined to it */
	r = run("   Exception in thread \"main\" org.apache.flink.configuration.IllegalConfigurationException: \n"
		"   The configured Total Flink Memory (64.000mb (67108864 bytes)) is less than the configured \n"
		"   Off-heap Memory (128.000mb (134217728 bytes)).\n",
		"jm.log");
	assert_int_equal(r.a.root, 0);
	assert_true(r.a.v[0].sig && !strcmp(r.a.v[0].sig->id, "CFG_JM_FLINK_LT_OFFHEAP"));
	fm_dx_result_release(&r);
	r = run("Caused by: java.lang.OutOfMemoryError: Java heap space in a line long enough to wrap \n"
		"\tat org.apache.flink.runtime.checkpoint.CheckpointCoordinator.x(CheckpointCoordinator.java:9)\n",
		"trace.txt");
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM); /* the frame stayed a frame */
	fm_dx_result_release(&r);
	/* the same lines ended by the writer (no trailing space) stay apart */
	r = run("org.apache.flink.configuration.IllegalConfigurationException: The configured Total Flink\n"
		"Memory (52.000mb (54525952 bytes)) is less than the configured Off-heap Memory\n",
		"trace.txt");
	assert_true(r.a.n == 0 || r.a.v[0].failure != FM_F_CONFIG || r.a.v[0].line == 1);
	fm_dx_result_release(&r);
	/* YarnResourceManagerDriver's own text shows the input is Flink's */
	r = run("Container container_e07_1669378398064_0904_01_000002 marked as failed.\n Exit code:-104.\n"
		" Diagnostics:Container [pid=8296,containerID=container_e07_1669378398064_0904_01_000002] is running "
		"beyond physical memory limits. Current usage: 2.0 GB of 2 GB physical memory used. Killing container.\n",
		"yarn.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_YARN);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	fm_dx_result_release(&r);
	/* a NodeManager's kill alone is any YARN application's */
	r = run("Container [pid=8296,containerID=container_e07_1669378398064_0904_01_000002] is running beyond physical "
		"memory limits. Current usage: 2.0 GB of 2 GB physical memory used. Killing container.\n",
		"yarn.txt");
	assert_int_equal(r.a.root, -1);
	assert_true(r.a.v[0].outside);
	fm_dx_result_release(&r);
}

/* Held-out corpus gaps: pre-1.10 config checks, kills told in prose. */
static void test_legacy_config_and_prose_kill(void **st)
{
	(void)st;
	/* the frame below a config error names the process */
	fm_dx_result r = run("java.lang.IllegalArgumentException: The configuration value 'containerized.heap-cutoff-min'="
			     "'600' is larger than the total container memory 510\n"
			     "\tat org.apache.flink.runtime.clusterframework.ContaineredTaskManagerParameters.create("
			     "ContaineredTaskManagerParameters.java:131)\n",
			     "trace.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_true(any_extra(&r.fix[0], "taskmanager.heap.size: 1200m"));
	assert_true(any_extra(&r.fix[0], "containerized.heap-cutoff-min: 127 "));
	fm_dx_result_release(&r);
	/* without it a config error stays unattributed (config errors are never assumed) */
	r = run("The configuration value 'yarn.heap-cutoff-ratio' must be between 0 and 1. Value given=1.5\n", "trace.txt");
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	assert_int_equal(r.a.v[0].proc, FM_PROC_UNKNOWN);
	fm_dx_result_release(&r);
	r = run("java.lang.IllegalArgumentException: The JobManager memory (512) is below the minimum required memory "
		"amount of 768 MB\n",
		"trace.txt");
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	/* the fix comes from the message's own numbers, in that model's keys */
	assert_true(any_extra(&r.fix[0], "jobmanager.heap.size: 1024m"));
	fm_dx_result_release(&r);
	r = run("The TaskManager memory is below the minimum required memory amount of 768 MB\n", "trace.txt");
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	fm_dx_result_release(&r);
	r = run("org.apache.flink.configuration.IllegalConfigurationException: The network memory min (256 mb) and max "
		"(4 gb) mismatch, the network memory has to be resolved and set to a fixed value before task executor "
		"starts\n",
		"trace.txt");
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	assert_string_equal(r.a.v[0].sig->id, "CFG_NETWORK_MIN_MAX_UNRESOLVED");
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM); /* "task executor" in words */
	fm_dx_result_release(&r);
	/* an unknown memory wording of Flink's config exception still counts ... */
	r = run("org.apache.flink.configuration.IllegalConfigurationException: Invalid jobmanager.memory.heap.size "
		"value (-1)\n",
		"trace.txt");
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	fm_dx_result_release(&r);
	/* ... but not one about another option or a state backend's name */
	r = run("org.apache.flink.configuration.IllegalConfigurationException: Cannot use MemoryStateBackend with "
		"checkpoint storage 'x'\n"
		"org.apache.flink.configuration.IllegalConfigurationException: Invalid value for 'restart-strategy'\n",
		"trace.txt");
	assert_int_equal(r.a.root, -1);
	fm_dx_result_release(&r);
	/* a kill described in words; the process named in words */
	r = run("After some days, the Container running the JobManager will always be killed by ResourceManager.\n",
		"trace.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_YARN);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	assert_false(r.a.v[0].proc_assumed);
	fm_dx_result_release(&r);
	/* YARN's own stop/preemption texts are not memory kills */
	r = run("Container killed by the ApplicationMaster.\nContainer killed on request. Exit code is 143\n", "yarn.txt");
	assert_int_equal(r.a.root, -1);
	fm_dx_result_release(&r);
	/* a lower-case pod or host name says where a line was logged, not whose memory failed */
	r = run("flink-jobmanager-1 | Caused by: java.lang.OutOfMemoryError: Direct buffer memory\n", "trace.txt");
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_true(r.a.v[0].proc_assumed);
	fm_dx_result_release(&r);
}

/* text's root cause is failure, first seen at time ("" unknown) */
static void expect_first_time(const char *text, fm_failure failure, const char *time)
{
	fm_dx_result r = run(text, "trace.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, failure);
	assert_string_equal(r.a.v[0].inst[0].first_time, time);
	fm_dx_result_release(&r);
}

/* Interleaved container output (docker compose, kubectl logs --prefix): a
 * timestamp after the gutter is the line's, and a trace line takes the time
 * of the line above that its own container wrote, never another's. A JSON
 * log record's lines take its own time. */
static void test_log_gutters(void **st)
{
	(void)st;
	expect_first_time("[pod/flink-taskmanager-1-1/flink-main-container-with-a-long-name] 2024-03-01 10:05:07,123 "
			  "ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - Fatal error occurred while "
			  "executing the TaskManager. Shutting it down...\n"
			  "[pod/flink-taskmanager-1-1/flink-main-container-with-a-long-name] java.lang.OutOfMemoryError: "
			  "Metaspace. The metaspace out-of-memory error has occurred.\n",
			  FM_F_METASPACE, "2024-03-01T10:05:07.123");
	/* a JSON log record (ECS, JsonTemplateLayout): the stack trace field
	 * takes the record's @timestamp */
	expect_first_time("{\"@timestamp\": \"2024-03-01T10:01:00.250Z\", \"log.level\": \"ERROR\", \"log.logger\": "
			  "\"org.apache.flink.runtime.taskexecutor.TaskManagerRunner\", \"message\": \"Fatal error\", "
			  "\"error.stack_trace\": \"java.lang.OutOfMemoryError: Java heap space\\n\\tat x.Y.z(Y.java:1)\"}\n",
			  FM_F_HEAP, "2024-03-01T10:01:00.250");
	expect_first_time("taskmanager_1  | 2024-03-01 10:00:02,000 INFO  org.apache.flink.runtime.taskexecutor."
			  "TaskManagerRunner [] - Starting TaskManager with ResourceID: tm-1\n"
			  "jobmanager_1   | java.lang.OutOfMemoryError: Java heap space\n",
			  FM_F_HEAP, "");
}

static void test_one_event_per_line(void **st)
{
	(void)st;
	/* the JDK text and Flink's hint on one line: one event */
	fm_dx_result r = run("java.lang.OutOfMemoryError: Metaspace. The metaspace out-of-memory error has occurred. "
			     "This can mean two things: either the job requires a larger size of JVM metaspace to load "
			     "classes or there is a class loading leak.\n",
			     "tm.log");
	assert_int_equal(r.a.n, 1);
	assert_int_equal(r.a.v[0].count, 1);
	assert_string_equal(r.a.v[0].sig->id, "OOM_METASPACE_TM_HINT");
	fm_dx_result_release(&r);
}

static void test_rocksdb_unmanaged_kill(void **st)
{
	(void)st;
	fm_dx_result r = run("2024-03-04 06:00:41,876 INFO x - Getting shared memory for RocksDB: shareScope=SLOT, "
			     "managed=false\n"
			     "2024-03-04 14:22:40,000 INFO x - Worker tm-2-1 is terminated. Diagnostics: Pod terminated, "
			     "container termination statuses: [flink-main-container(exitCode=137, reason=OOMKilled, "
			     "message=null)]\n",
			     "jm.log");
	assert_int_equal(r.a.v[0].failure, FM_F_ROCKSDB);
	assert_string_equal(r.a.v[0].instance, "tm-2-1");
	bool managed = false;
	for (size_t i = 0; i < r.fix[0].nextra; i++)
		if (strstr(r.fix[0].changes_extra[i], "state.backend.rocksdb.memory.managed: true"))
			managed = true;
	assert_true(managed);
	fm_dx_result_release(&r);
}

/* ---- remedies ---- */

static void test_network_fix_from_message(void **st)
{
	(void)st;
	fm_dx_result r = run("java.io.IOException: Insufficient number of network buffers: required 66, but only 12 "
			     "available. The total number of network buffers is currently set to 4096 of 32768 bytes "
			     "each.\n",
			     "trace.txt");
	assert_int_equal(r.a.v[0].failure, FM_F_NETWORK);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	/* (4096 + 66 - 12) x 32 KiB, with room: up to the next 64 MiB step */
	int64_t need = (4096 + 66 - 12) * INT64_C(32768), step = INT64_C(64) << 20;
	int64_t want = (need + step - 1) / step * step;
	assert_int_equal(m->fix.after_tm.l.network, want);
	assert_true(want - need >= 54 * INT64_C(32768)); /* room for as many buffers again */
	assert_non_null(change_of(&m->fix, "taskmanager.memory.network.min"));
	assert_true(m->has_pinned);
	/* pinned: the process size does not move */
	assert_int_equal(m->pinned.after_tm.l.total_process, m->pinned.before_tm.l.total_process);
	fm_dx_result_release(&r);
	/* a pool (2048 buffers, 64 MiB) smaller than the layout used (the
	 * shipped default's 128 MiB): never a fix that shrinks the network;
	 * the sizes alone, at least the next step above the failing pool */
	r = run("java.io.IOException: Insufficient number of network buffers: required 33, but only 9 available. The "
		"total number of network buffers is currently set to 2048 of 32768 bytes each.\n",
		"trace.txt");
	m = &r.fix[0];
	assert_int_equal(r.a.v[0].failure, FM_F_NETWORK);
	assert_false(m->has_fix && m->fix_ok && m->fix.after_tm.l.network < m->fix.before_tm.l.network);
	bool min_set = false;
	for (size_t i = 0; i < m->nextra; i++)
		min_set |= !strncmp(m->changes_extra[i], "taskmanager.memory.network.min: 128m", 36);
	assert_true(min_set);
	fm_dx_result_release(&r);
	/* a layout (fraction 0.2 of a 2g process: 317.44 MiB) larger than the
	 * failing pool needs: the minimum alone, never a max that would cut it */
	const char *frac[] = {"taskmanager.memory.process.size", "2g", "taskmanager.memory.network.fraction", "0.2"};
	r = run_conf("java.io.IOException: Insufficient number of network buffers: required 3000, but only 1024 "
		     "available. The total number of network buffers is currently set to 3277 of 32768 bytes each.\n",
		     frac, 2);
	m = &r.fix[0];
	assert_int_equal(r.a.v[0].failure, FM_F_NETWORK);
	assert_true(any_extra(m, "taskmanager.memory.network.min: 256m"));
	assert_false(any_extra(m, "taskmanager.memory.network.max"));
	fm_dx_result_release(&r);
}

static bool any_fix_note(const fm_remedy *m, const char *needle)
{
	for (size_t i = 0; i < m->nnotes; i++)
		if (strstr(m->notes[i], needle))
			return true;
	return false;
}

/* NetworkBufferPool's own OutOfMemoryError, whole and cut after its first
 * count (a slide, a terminal's width): the pool is direct memory the JVM's
 * limit refused, so no fix grows the network */
static void test_network_pool_over_direct(void **st)
{
	(void)st;
	fm_dx_result r = run_root("Exception in thread \"main\" java.lang.OutOfMemoryError: Could not allocate enough "
				  "memory segments for NetworkBufferPool (required (MB): 64, allocated (MB): 20, missing "
				  "(MB): 44). Cause: Direct buffer memory\n",
				  "trace.txt", FM_F_NETWORK);
	assert_true(any_extra(&r.fix[0], "taskmanager.memory.network.min: 15m"));
	fm_dx_result_release(&r);
	r = run_root("Exception in thread \"main\" java.lang.OutOfMemoryError: Could not allocate enough memory segments "
		     "for NetworkBufferPool (required (MB): 64, allo\n",
		     "trace.txt", FM_F_NETWORK);
	const fm_remedy *m = &r.fix[0];
	assert_false(m->has_fix && m->fix.after_tm.l.network > m->fix.before_tm.l.network);
	assert_false(any_extra(m, "taskmanager.memory.network"));
	assert_true(any_fix_note(m, "direct limit of at least 320.000mb"));
	fm_dx_result_release(&r);
	/* the cut message first, a whole one of the same start retried later:
	 * the whole one's counts size the pool that fits */
	r = run_root("java.lang.OutOfMemoryError: Could not allocate enough memory segments for NetworkBufferPool (required "
		     "(Mb): 9, al\n"
		     "java.lang.OutOfMemoryError: Could not allocate enough memory segments for NetworkBufferPool (required "
		     "(Mb): 12, allocated (Mb): 8, missing (Mb): 4). Cause: Direct buffer memory\n",
		     "trace.txt", FM_F_NETWORK);
	assert_true(any_extra(&r.fix[0], "taskmanager.memory.network.min: 6m"));
	fm_dx_result_release(&r);
	/* Netty's direct OOM cut after its request: still Netty's, still direct */
	expect_root_in("2024-05-01 10:00:00,000 WARN  org.apache.flink.runtime.taskmanager.Task [] - Source: in (1/1) "
		       "switched from RUNNING to FAILED.\nio.netty.util.internal.OutOfDirectMemoryError: failed to allocate "
		       "16777216 byte(s) of direct memory (used: 1056\n",
		       "tm.log", FM_F_DIRECT, FM_PROC_TM);
	/* and the JDK 17+ direct text cut inside its fixed words */
	expect_root_in("2024-05-01 10:00:00,000 ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - Fatal "
		       "error occurred while executing the TaskManager.\njava.lang.OutOfMemoryError: Cannot reserve 32768 "
		       "bytes of direct buf\n",
		       "tm.log", FM_F_DIRECT, FM_PROC_TM);
}

/* the demand note names the per-gate read-buffer cap only where it exists
 * (1.17+, FLINK-30473): a 1.14 log's reader is not sent to a key its
 * release rejects as unknown */
static void test_network_demand_note_by_release(void **st)
{
	(void)st;
	static const char text[] = "2023-03-01 10:00:00,000 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor "
				   "[] - Flink version %s\n"
				   "java.io.IOException: Insufficient number of network buffers: required 66, but only 12 "
				   "available. The total number of network buffers is currently set to 4096 of 32768 bytes "
				   "each.\n";
	const char *vers[] = {"1.14.6", "1.18.1"};
	for (int k = 0; k < 2; k++) {
		const fm_profile *p = fm_profile_for(vers[k]);
		assert_non_null(p);
		char buf[512];
		snprintf(buf, sizeof buf, text, vers[k]);
		fm_dx_result r = run_with(buf, "tm.log", p);
		assert_int_equal(r.a.root, 0);
		assert_int_equal(r.a.v[0].failure, FM_F_NETWORK);
		assert_true(any_fix_note(&r.fix[0], "fewer slots per TaskManager"));
		assert_int_equal(any_fix_note(&r.fix[0], "read-buffer.required-per-gate.max"), k == 1);
		fm_dx_result_release(&r);
	}
}

/* a metaspace OOM after another failure of the same TaskManager stays
 * aftermath, with a note on the restart loop's class-loading leak that
 * fills it; a metaspace OOM alone gets no such note */
static void test_metaspace_after_root_note(void **st)
{
	(void)st;
	fm_dx_result r = run_root("2023-11-02 09:15:01,200 WARN  org.apache.flink.runtime.taskmanager.Task [] - Map (1/2) "
				  "switched from DEPLOYING to FAILED with failure cause: java.io.IOException: Insufficient "
				  "number of network buffers: required 33, but only 12 available. The total number of network "
				  "buffers is currently set to 2048 of 32768 bytes each.\n"
				  "2023-11-02 09:47:33,870 ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - "
				  "Fatal error occurred while executing the TaskManager. Shutting it down...\n"
				  "java.lang.OutOfMemoryError: Metaspace. The metaspace out-of-memory error has occurred.\n",
				  "tm.log", FM_F_NETWORK);
	assert_int_equal(r.a.n, 2);
	assert_true(r.a.v[1].aftermath && r.a.v[1].failure == FM_F_METASPACE);
	assert_true(any_note(&r, "metaspace filled after the network-buffers failure"));
	assert_true(any_note(&r, "taskmanager.memory.jvm-metaspace.size"));
	fm_dx_result_release(&r);
	r = run_root("2023-11-02 09:47:33,870 ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - "
		     "Fatal error occurred while executing the TaskManager. Shutting it down...\n"
		     "java.lang.OutOfMemoryError: Metaspace. The metaspace out-of-memory error has occurred.\n",
		     "tm.log", FM_F_METASPACE);
	assert_false(any_note(&r, "metaspace filled after"));
	fm_dx_result_release(&r);
}

/* Input that mixes processes (a shipper's output, a node's logs): an error
 * another system's server logs, below its log line or inside its one-line
 * JSON record, is that system's even after a Flink TaskManager's header;
 * a Flink error after the next timestamped line is Flink's again */
static void test_mixed_input_other_system_error(void **st)
{
	(void)st;
	static const char tm_head[] = "2024-05-14 09:00:01,103 INFO  org.apache.flink.runtime.taskexecutor.TaskManagerRunner "
				      "[] -  Starting TaskManager (Version: 1.17.1, Scala: 2.12)\n";
	static const char es_plain[] = "[2024-05-14T09:20:00,000][ERROR][o.e.b.ElasticsearchUncaughtExceptionHandler] "
				       "[es-0] fatal error in thread [elasticsearch[es-0][write][T#3]], exiting\n"
				       "java.lang.OutOfMemoryError: Java heap space\n"
				       "\tat org.elasticsearch.common.util.BigArrays.newByteArray(BigArrays.java:481)\n";
	static const char es_json[] = "{\"@timestamp\":\"2024-05-14T09:20:00.000Z\", \"log.level\":\"ERROR\", "
				      "\"message\":\"fatal error in thread [elasticsearch[es-0][write][T#3]], exiting\", "
				      "\"log.logger\":\"org.elasticsearch.bootstrap.ElasticsearchUncaughtExceptionHandler\", "
				      "\"error.stack_trace\":\"java.lang.OutOfMemoryError: Java heap space\\n\\tat "
				      "org.elasticsearch.common.util.BigArrays.newByteArray(BigArrays.java:481)\\n\"}\n";
	const char *es[] = {es_plain, es_json};
	for (int i = 0; i < 2; i++) {
		char buf[2048];
		snprintf(buf, sizeof buf, "%s%s", tm_head, es[i]);
		expect_outside(buf, FM_PROC_OTHER);
		/* a TaskManager's own OOM on a later log line stays its root */
		snprintf(buf, sizeof buf, "%s%s2024-05-14 09:30:00,000 ERROR org.apache.flink.runtime.taskexecutor."
			 "TaskManagerRunner [] - Fatal error occurred while executing the TaskManager.\n"
			 "java.lang.OutOfMemoryError: Java heap space\n", tm_head, es[i]);
		fm_dx_result r = run(buf, "trace.txt");
		assert_int_equal(r.a.root, 0);
		assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
		fm_dx_result_release(&r);
	}
}

/* ForSt (Flink 2.x's RocksDB fork) unbounded by its own keys: a kill is
 * its native memory's, and the fix names state.backend.forst.memory.managed
 * (ForStSharedResourcesFactory's line; the loaded configuration) */
static void test_forst_unmanaged_kill(void **st)
{
	(void)st;
	static const char *logs[] = {
		"2025-03-24 10:00:05,400 INFO  org.apache.flink.state.forst.ForStSharedResourcesFactory [] - Getting "
		"shared memory for ForSt: shareScope=SLOT, managed=false\n",
		"2025-03-24 10:00:01,302 INFO  org.apache.flink.configuration.GlobalConfiguration [] - Loading "
		"configuration property: state.backend.type, forst\n"
		"2025-03-24 10:00:01,303 INFO  org.apache.flink.configuration.GlobalConfiguration [] - Loading "
		"configuration property: state.backend.forst.memory.managed, false\n"};
	for (int i = 0; i < 2; i++) {
		char buf[1024];
		snprintf(buf, sizeof buf, "%s2025-03-24 11:00:00,000 INFO  org.apache.flink.runtime.taskexecutor."
			 "TaskExecutor [] - started\nLast State:     Terminated\n      Reason:       OOMKilled\n"
			 "      Exit Code:    137\n", logs[i]);
		fm_dx_result r = run_root(buf, "taskmanager.log", FM_F_ROCKSDB);
		assert_true(any_extra(&r.fix[0], "state.backend.forst.memory.managed: true"));
		assert_false(any_extra(&r.fix[0], "state.backend.rocksdb."));
		fm_dx_result_release(&r);
	}
}

/* A JobManager's command line that shows only some of its -D sizes gives
 * no layout Flink would derive: the fix starts from the limit the YARN kill
 * printed (2 GB) instead of giving none */
static void test_partial_jm_flags_fall_back_to_limit(void **st)
{
	(void)st;
	fm_dx_result r = run_root(
		"Diagnostics: [2024-05-14 09:12:40.481]Container [pid=21877,containerID=container_1715670000000_0042_01_000001] "
		"is running 41943040B beyond the 'PHYSICAL' memory limit. Current usage: 2.0 GB of 2 GB physical memory used; "
		"3.9 GB of 4.2 GB virtual memory used. Killing container.\n"
		"Dump of the process-tree for container_1715670000000_0042_01_000001 :\n"
		"\t|- 21877 21875 21877 21877 (java) 91234 8123 4187336704 524290 /usr/lib/jvm/jre/bin/java -Xmx1530082096 "
		"-Xms1530082096 -XX:MaxMetaspaceSize=268435456 org.apache.flink.yarn.entrypoint.YarnJobClusterEntrypoint -D "
		"jobmanager.memory.off-heap.size=134217728b\n",
		"yarn.txt", FM_F_YARN);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_int_equal(m->fix.before_jm.l.total_process, INT64_C(2) << 30);
	fm_dx_result_release(&r);
}

/* A log shipper's records name their pod (Cloud Logging's resource labels,
 * Fluent Bit's kubernetes metadata): the process is the pod's, not assumed */
static void test_shipper_record_names_pod(void **st)
{
	(void)st;
	static const char *recs[] = {
		"[{\"resource\": {\"type\": \"k8s_container\", \"labels\": {\"pod_name\": \"fraud-taskmanager-1-4\", "
		"\"container_name\": \"flink-main-container\"}}, \"textPayload\": \"java.lang.OutOfMemoryError: Java heap "
		"space\", \"timestamp\": \"2024-05-14T09:12:33.481Z\"}]\n",
		"[{\"log\": \"java.lang.OutOfMemoryError: Java heap space\\n\", \"stream\": \"stderr\", \"kubernetes\": "
		"{\"pod_name\": \"etl-jobmanager-7d9c\", \"container_name\": \"flink-main-container\"}}]\n"};
	const fm_process want[] = {FM_PROC_TM, FM_PROC_JM};
	for (int i = 0; i < 2; i++) {
		fm_dx_result r = run_root(recs[i], "logs.json", FM_F_HEAP);
		assert_int_equal(r.a.v[0].proc, want[i]);
		assert_false(r.a.v[0].proc_assumed);
		fm_dx_result_release(&r);
	}
}

/* A log tool's export of records as a Markdown table (CloudWatch Logs
 * Insights' copy: a date-and-time first cell, no backticks) is program
 * output; a person's table quoting the error stays a person's */
static void test_log_export_table(void **st)
{
	(void)st;
	fm_dx_result r = run_root("| @timestamp | @logStream | @message |\n|---|---|---|\n"
				  "| 2024-05-14 09:12:33.481 | myjob-taskmanager-1-2_flink-main-container | 2024-05-14 "
				  "09:12:33,481 WARN  org.apache.flink.runtime.taskmanager.Task [] - Source: kafka (1/4)#0 "
				  "switched from RUNNING to FAILED with failure cause: |\n"
				  "| 2024-05-14 09:12:33.481 | myjob-taskmanager-1-2_flink-main-container | "
				  "java.lang.OutOfMemoryError: Java heap space |\n",
				  "insights.md", FM_F_HEAP);
	fm_dx_result_release(&r);
	expect_no_root("| symptom | cause | fix |\n|---|---|---|\n| java.lang.OutOfMemoryError: Java heap space | state "
		       "on heap | raise taskmanager.memory.task.heap.size |\n",
		       "guide.md");
	expect_no_root("| 2026-07-17 | run-0955 | Kafka fetch `java.lang.OutOfMemoryError: Java heap space` | raise "
		       "the heap |\n",
		       "notes.md");
}

/* The operator's log relays the job's exception as a JobException event
 * (AuditUtils: ">>> Event[Job] | Warning | JOBEXCEPTION | ..."): the
 * cluster's failure, a task's unless frames below name the JobManager; the
 * operator's own OOM stays outside */
static void test_operator_relays_job_exception(void **st)
{
	(void)st;
	static const char ev[] = "2024-06-01 10:15:05,131 o.a.f.k.o.l.AuditUtils         [INFO ][streaming/orders] >>> "
				 "Event[Job]       | Warning | JOBEXCEPTION    | java.lang.OutOfMemoryError: Java heap "
				 "space\n";
	char buf[1024];
	snprintf(buf, sizeof buf, "%s\tat org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:973)\n",
		 ev);
	expect_root_in(buf, "flink-kubernetes-operator.log", FM_F_HEAP, FM_PROC_TM);
	snprintf(buf, sizeof buf, "%s\tat org.apache.flink.runtime.jobmaster.JobMaster.onStart(JobMaster.java:400)\n", ev);
	expect_root_in(buf, "flink-kubernetes-operator.log", FM_F_HEAP, FM_PROC_JM);
	expect_outside("2024-06-01 10:15:05,131 o.a.f.k.o.c.FlinkDeploymentController [ERROR][streaming/orders] "
		       "Reconcile failed\njava.lang.OutOfMemoryError: Java heap space\n",
		       FM_PROC_OPERATOR);
}

/* A log header of a release before 1.10 (FLIP-49's memory model came in
 * 1.10): the oldest profile, and the fix also in that release's keys */
static void test_pre_110_header(void **st)
{
	(void)st;
	fm_dx_result r = run_root("2024-06-01 09:00:01,002 INFO  org.apache.flink.runtime.taskexecutor.TaskManagerRunner "
				  "-  Starting TaskManager (Version: 1.9.3, Rev:6d23b2c, Date:23.04.2020 @ 17:16:53 CEST)\n"
				  "2024-06-01 10:40:00,100 INFO  org.apache.flink.runtime.taskmanager.Task - Process (1/1) "
				  "(4f6a) switched from RUNNING to FAILED.\njava.lang.OutOfMemoryError: Java heap space\n",
				  "taskmanager.log", FM_F_HEAP);
	assert_string_equal(r.profile->name, "1.10.0");
	assert_true(any_extra(&r.fix[0], "taskmanager.heap.size: "));
	assert_true(any_note(&r, "Flink 1.9.3 reads none of the taskmanager.memory.*"));
	fm_dx_result_release(&r);
}

/* YARN's virtual-memory kill of the JobManager's (AM) container is the
 * NodeManager's policy, as for a TaskManager: no larger JobManager */
static void test_jm_vmem_kill_policy(void **st)
{
	(void)st;
	fm_dx_result r = run_root("\tApplication-Type : Apache Flink\n"
				  "Diagnostics : Application application_1_0042 failed 1 times due to AM Container for "
				  "appattempt_1_0042_000001 exited with  exitCode: -103\nFailing this attempt.Diagnostics: "
				  "Container [pid=1,containerID=container_1_0042_01_000001] is running 108003328B beyond the "
				  "'VIRTUAL' memory limit. Current usage: 1.3 GB of 1.6 GB physical memory used; 3.5 GB of 3.4 "
				  "GB virtual memory used. Killing container.\n",
				  "yarn.txt", FM_F_YARN);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	assert_true(any_extra(&r.fix[0], "yarn.nodemanager.vmem-check-enabled"));
	assert_false(r.fix[0].has_fix && r.fix[0].fix.nchanges > 0);
	fm_dx_result_release(&r);
}

/* A client's metaspace or direct OOM gets the JVM flag that limits what
 * ran out, not a heap size */
static void test_outside_flag_by_kind(void **st)
{
	(void)st;
	static const char *const oom[] = {"Metaspace", "Direct buffer memory", "Java heap space"};
	static const char *const flag[] = {"-XX:MaxMetaspaceSize=", "-XX:MaxDirectMemorySize=", "-Xmx"};
	for (int i = 0; i < 3; i++) {
		char buf[512];
		snprintf(buf, sizeof buf, "Exception in thread \"main\" java.lang.OutOfMemoryError: %s\n"
			 "\tat org.apache.flink.client.cli.CliFrontend.run(CliFrontend.java:226)\n", oom[i]);
		fm_dx_result r = run(buf, "trace.txt");
		assert_int_equal(r.a.root, -1);
		assert_true(r.a.n == 1 && r.a.v[0].outside && r.a.v[0].proc == FM_PROC_CLIENT);
		char want[64];
		snprintf(want, sizeof want, "env.java.opts.client: %s", flag[i]);
		assert_true(any_extra(&r.fix[0], want));
		fm_dx_result_release(&r);
	}
}

/* A layout recovered to the byte (a WorkerResourceSpec) sets no total:
 * the fix names the process size its parts now make, so that the snippet
 * applied to the usual config (one that sets the process size) grows the
 * process instead of taking the growth from the other parts */
static void test_recovered_layout_fix_names_total(void **st)
{
	(void)st;
	fm_dx_result r = run_root(
		"2024-06-01 10:20:05,310 INFO  org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager [] - "
		"Requesting new worker with resource spec WorkerResourceSpec {cpuCores=2.0, taskHeapSize=1.325gb "
		"(1422723814 bytes), taskOffHeapSize=0 bytes, networkMemSize=343.040mb (359703515 bytes), "
		"managedMemSize=1.340gb (1438814063 bytes), numSlots=2}, current pending count: 1.\n"
		"Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n",
		"taskmanager.log", FM_F_K8S);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_non_null(change_of(&m->fix, "taskmanager.memory.process.size"));
	/* the snippet on a config that sets the process the failing one had */
	fm_conf *c = fm_conf_new();
	assert_non_null(c);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	char before[32];
	snprintf(before, sizeof before, "%lldb", (long long)m->fix.before_tm.l.total_process);
	assert_int_equal(fm_conf_set_str(c, "taskmanager.memory.process.size", before, &at), FM_OK);
	for (size_t i = 0; i < m->fix.nchanges; i++)
		assert_int_equal(fm_conf_set_str(c, m->fix.changes[i].key, m->fix.changes[i].to, &at), FM_OK);
	fm_tm_result t;
	assert_int_equal(fm_derive_tm(c, fm_profile_newest(), NULL, &t), FM_OK);
	assert_int_equal(t.outcome, FM_DERIVED);
	assert_int_equal(t.l.total_process, m->fix.after_tm.l.total_process);
	assert_true(t.l.task_heap >= m->fix.before_tm.l.task_heap - (1 << 20)); /* nothing taken from the heap */
	fm_tm_result_release(&t);
	fm_conf_free(c);
	fm_dx_result_release(&r);
}

/* A FlinkDeployment among the inputs is the layout its processes were
 * asked for: the fix starts from its resource.memory and is written there */
static void test_flinkdeployment_input_layout(void **st)
{
	(void)st;
	fm_dx_result r = run_root("apiVersion: flink.apache.org/v1beta1\nkind: FlinkDeployment\nmetadata:\n  name: orders\n"
				  "spec:\n  flinkVersion: v1_19\n  taskManager:\n    resource:\n      cpu: 2\n"
				  "      memory: 4096m\nstatus:\n  error: '{\"type\":\"java.lang.OutOfMemoryError\",\"message\":"
				  "\"Java heap space\"}'\n",
				  "orders.yaml", FM_F_HEAP);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_int_equal(m->fix.before_tm.l.total_process, INT64_C(4096) << 20);
	const fm_change *c = change_of(&m->fix, "taskmanager.memory.process.size");
	assert_non_null(c);
	assert_string_equal(c->where, "spec.taskManager.resource.memory");
	assert_string_equal(c->from, "4096m"); /* as the resource writes it */
	assert_non_null(strstr(r.layout_tm, "FlinkDeployment orders"));
	fm_dx_result_release(&r);
}

/* A local MiniCluster's heap is the user's JVM's -Xmx, not a Flink key; its
 * network buffers are still Flink's keys (the local environment's config) */
static void test_local_minicluster_jvm(void **st)
{
	(void)st;
	static const char head[] = "10:12:01,114 INFO  org.apache.flink.runtime.minicluster.MiniCluster [] - Starting Flink "
				   "Mini Cluster\n";
	char buf[512];
	snprintf(buf, sizeof buf, "%s10:14:33,870 WARN  org.apache.flink.runtime.taskmanager.Task [] - Map (3/12)#0 "
		 "switched from RUNNING to FAILED with failure cause:\njava.lang.OutOfMemoryError: Java heap space\n", head);
	fm_dx_result r = run_root(buf, "run.txt", FM_F_HEAP);
	assert_true(any_extra(&r.fix[0], "the program's JVM options: -Xmx"));
	assert_false(r.fix[0].has_fix && r.fix[0].fix.nchanges > 0);
	fm_dx_result_release(&r);
	snprintf(buf, sizeof buf, "%sjava.io.IOException: Insufficient number of network buffers: required 65, but only 12 "
		 "available. The total number of network buffers is currently set to 4096 of 32768 bytes each.\n", head);
	r = run_root(buf, "run.txt", FM_F_NETWORK);
	assert_false(any_extra(&r.fix[0], "the program's JVM options"));
	fm_dx_result_release(&r);
}

/* REST job exceptions are task failures by default, but a coordinator's
 * failure carries the JobManager's frames (split enumerators run there) */
static void test_rest_exception_coordinator_frames(void **st)
{
	(void)st;
	static const char fmt[] = "{\"exceptionHistory\":{\"entries\":[{\"exceptionName\":\"x\",\"stacktrace\":"
				  "\"org.apache.flink.util.FlinkException: failure\\n\\tat %s\\nCaused by: "
				  "java.lang.OutOfMemoryError: Java heap space\\n\\tat java.util.Arrays.copyOf(Arrays.java:3537)"
				  "\\n\\tat %s\\n\",\"taskName\":null,\"taskManagerId\":null}],\"truncated\":false}}\n";
	char buf[1024];
	snprintf(buf, sizeof buf, fmt, "java.lang.Thread.run(Thread.java:829)",
		 "org.apache.flink.runtime.source.coordinator.ExecutorNotifier.lambda$notifyReadyAsync$2(ExecutorNotifier.java:80)");
	expect_root_in(buf, "exceptions.json", FM_F_HEAP, FM_PROC_JM);
	snprintf(buf, sizeof buf, fmt, "java.lang.Thread.run(Thread.java:829)",
		 "org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:973)");
	expect_root_in(buf, "exceptions.json", FM_F_HEAP, FM_PROC_TM);
}

/* A large request leaves room of at most a quarter of the need: 4096 +
 * 3576 buffers of 32 KiB make 240 MiB; a request-sized room (144 MiB)
 * would take the pool to 384m, a quarter to the next step, 320m */
static void test_network_room_capped(void **st)
{
	(void)st;
	fm_dx_result r = run_root("java.io.IOException: Insufficient number of network buffers: required 4600, but only "
				  "1024 available. The total number of network buffers is currently set to 4096 of 32768 "
				  "bytes each.\n",
				  "tm.log", FM_F_NETWORK);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_int_equal(m->fix.after_tm.l.network, INT64_C(320) << 20);
	fm_dx_result_release(&r);
}

/* A heap fix grows the process until no other part is smaller, to the
 * byte: on 1536m the network (the remainder beside an explicit task heap)
 * lost 778 KiB at the first whole MiB that fit */
static void test_heap_fix_no_part_smaller(void **st)
{
	(void)st;
	const char *kv[] = {"taskmanager.memory.process.size", "1536m", "taskmanager.numberOfTaskSlots", "2"};
	fm_dx_result r = run_conf("java.lang.OutOfMemoryError: Java heap space\n", kv, 2);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	const fm_tm_layout *a = &m->fix.before_tm.l, *b = &m->fix.after_tm.l;
	assert_true(b->task_heap > a->task_heap);
	assert_true(b->network >= a->network);
	assert_true(b->managed >= a->managed);
	fm_dx_result_release(&r);
}

/* A JobManager's pinned fix says what it takes from, and what fails next */
static void test_jm_pinned_says_what_it_takes(void **st)
{
	(void)st;
	const char *kv[] = {"jobmanager.memory.process.size", "1600m"};
	fm_dx_result r = run_conf("2024-05-02 10:00:00,000 ERROR org.apache.flink.runtime.entrypoint.ClusterEntrypoint "
				  "[] - Fatal error occurred in the cluster entrypoint.\njava.lang.OutOfMemoryError: "
				  "Metaspace\n",
				  kv, 1);
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_pinned);
	bool said = false;
	for (size_t i = 0; i < m->pinned.nnotes; i++)
		said |= strstr(m->pinned.notes[i], "came out of JVM heap") != NULL;
	assert_true(said);
	assert_true(any_fix_note(m, "the JobManager's heap shrinks by"));
	fm_dx_result_release(&r);
}

/* Flink's SignalHandler line alone is no memory failure but says where to
 * look; after a memory failure of the process it is aftermath */
static void test_sigterm_line(void **st)
{
	(void)st;
	static const char sig[] = "2019-03-17 16:05:28,854 INFO  org.apache.flink.yarn.YarnTaskExecutorRunner - RECEIVED "
				  "SIGNAL 15: SIGTERM. Shutting down as requested.\n";
	fm_dx_result r = run(sig, "taskmanager.log");
	assert_int_equal(r.a.root, -1);
	assert_true(any_note(&r, "the process got SIGTERM"));
	fm_dx_result_release(&r);
	char buf[512];
	snprintf(buf, sizeof buf, "2019-03-17 16:05:20,000 ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner "
		 "- Fatal error\njava.lang.OutOfMemoryError: Java heap space\n%s", sig);
	r = run_root(buf, "taskmanager.log", FM_F_HEAP);
	assert_true(r.a.n == 2 && r.a.v[1].aftermath);
	fm_dx_result_release(&r);
}

/* A ConfigMap among the inputs holding Flink's config.yaml is the layout
 * the processes read; RocksDB unbounded there makes a kill RocksDB's */
static void test_configmap_input_layout(void **st)
{
	(void)st;
	fm_dx_result r = run_root(
		"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: flink-config\ndata:\n  config.yaml: |\n"
		"    taskmanager:\n      memory:\n        process:\n          size: 4g\n    state:\n      backend:\n"
		"        type: rocksdb\n        rocksdb:\n          memory:\n            managed: false\n---\n"
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: job-taskmanager-1-1\nstatus:\n  containerStatuses:\n"
		"  - name: flink-main-container\n    lastState:\n      terminated:\n        exitCode: 137\n"
		"        reason: OOMKilled\n",
		"k8s.yaml", FM_F_ROCKSDB);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_int_equal(m->fix.before_tm.l.total_process, INT64_C(4) << 30);
	assert_true(any_extra(m, "state.backend.rocksdb.memory.managed: true"));
	assert_non_null(strstr(r.layout_tm, "ConfigMap 'flink-config'"));
	fm_dx_result_release(&r);
}

static void test_direct_fix_from_jdk_limit(void **st)
{
	(void)st;
	/* JDK 17's text names the failing process's limit (2 GiB): the shipped
	 * default's 256 MiB is not its layout, so no fix from it (it would set
	 * less than the process had); the sizes alone, from the limit */
	fm_dx_result r = run("java.lang.OutOfMemoryError: Cannot reserve 1048576 bytes of direct buffer memory "
			     "(allocated: 2146435072, limit: 2147483648)\n\tat java.base/java.nio.Bits.reserveMemory(Bits.java:178)\n"
			     "\tat org.apache.flink.runtime.taskmanager.Task.doRun(Task.java:741)\n",
			     "tm.log");
	assert_int_equal(r.a.v[0].failure, FM_F_DIRECT);
	const fm_remedy *m = &r.fix[0];
	assert_false(m->has_fix);
	assert_int_equal(m->nextra, 1);
	/* 2 GiB - 128m framework off-heap - 128m network + 256m */
	assert_string_equal(m->changes_extra[0], "taskmanager.memory.task.off-heap.size: 2g (256.000mb more than the "
						 "process's limit left it)");
	fm_dx_result_release(&r);
	/* the same text at the layout's own limit: the layout's fix */
	r = run("java.lang.OutOfMemoryError: Cannot reserve 1048576 bytes of direct buffer memory (allocated: 268000000, "
		"limit: 268435458)\n\tat org.apache.flink.runtime.taskmanager.Task.doRun(Task.java:741)\n",
		"tm.log");
	m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_true(m->fix.after_tm.l.task_off_heap > m->fix.before_tm.l.task_off_heap);
	fm_dx_result_release(&r);
}

/* A kernel memory-cgroup kill with no layout in the inputs: the fix starts
 * from the cgroup limit the kernel printed, unless one input shows two
 * cgroups' kills with different limits (a node's log) */
static void test_memcg_limit_base(void **st)
{
	(void)st;
	const char *kill = "2024-05-02 10:00:00,000 INFO org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - "
			   "Starting TaskManager (Version: 1.18.1, Scala: 2.12, Rev:a8c8b1c, Date:2024-01-12T11:28:42+01:00)\n"
			   "[100.1] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=937\n"
			   "[100.1] memory: usage 3145728kB, limit 3145728kB, failcnt 77\n"
			   "[100.2] Memory cgroup out of memory: Killed process 4242 (java) total-vm:9000000kB, "
			   "anon-rss:3140000kB, file-rss:0kB, shmem-rss:0kB\n";
	fm_dx_result r = run(kill, "dmesg.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_K8S);
	assert_int_equal(r.a.v[0].container_limit, INT64_C(3) << 30);
	assert_non_null(r.layout_tm);
	assert_non_null(strstr(r.layout_tm, "memory cgroup's limit (taskmanager.memory.process.size: 3g)"));
	fm_dx_result_release(&r);
	char *two = NULL;
	assert_true(asprintf(&two, "%s[200.1] memory: usage 1048576kB, limit 1048576kB, failcnt 3\n", kill) > 0);
	r = run(two, "dmesg.txt");
	free(two);
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].container_limit, 0);
	assert_non_null(strstr(r.layout_tm, "shipped default"));
	fm_dx_result_release(&r);
}

/* KubernetesPod's termination diagnostics are the resource manager's view
 * of a worker pod: with no pod name on the line they still name a
 * TaskManager, even in the JobManager's log. Flink's own lines about a
 * TaskManager (JobMaster's "Disconnect TaskExecutor", the driver's
 * "TaskManager pod ... is terminated") name it. */
static void test_worker_pod_diagnostics(void **st)
{
	(void)st;
	expect_root_in("org.apache.flink.util.FlinkExpectedException: Pod terminated, container termination statuses: "
		       "[flink-main-container(exitCode=137, reason=OOMKilled, message=null)], pod status: "
		       "Failed(reason=null, message=null)\n",
		       "jm.log", FM_F_K8S, FM_PROC_TM);
	fm_event ev;
	const char *line = "2024-03-05 11:31:13,130 INFO org.apache.flink.runtime.jobmaster.JobMaster [] - Disconnect "
			   "TaskExecutor orders-taskmanager-1-3 because: Pod terminated, container termination statuses: "
			   "[flink-main-container(exitCode=137, reason=OOMKilled, message=null)]";
	size_t ns;
	const fm_sig *sigs = fm_signatures(&ns);
	assert_int_equal(fm_event_make(sigs, (size_t)sig("FLINK_POD_OOMKILLED"), line, strlen(line), 1, &ev), FM_OK);
	assert_string_equal(ev.peer, "orders-taskmanager-1-3");
	fm_event_release(&ev);
}

/* A JSON log (log4j2's JsonTemplateLayout) read as a document still takes
 * the process its file name gives. */
static void test_json_log_takes_file_process(void **st)
{
	(void)st;
	expect_root_in("{\"@timestamp\":\"2024-03-05T11:25:01.460Z\",\"level\":\"ERROR\",\"logger_name\":"
		       "\"org.apache.flink.runtime.util.FatalExitExceptionHandler\",\"message\":\"FATAL: Thread "
		       "'flink-pekko.actor.default-dispatcher-23' produced an uncaught exception. Stopping the "
		       "process...\",\"exception\":{\"exception_class\":\"java.lang.OutOfMemoryError\","
		       "\"exception_message\":\"Java heap space\",\"stacktrace\":\"java.lang.OutOfMemoryError: Java "
		       "heap space\\n\\tat java.util.Arrays.copyOf(Arrays.java:3332)\\n\"}}\n",
		       "flink-jobmanager.log", FM_F_HEAP, FM_PROC_JM);
}

/* HotSpot's -XX:+ExitOnOutOfMemoryError line alone (utilities/debug.cpp)
 * is the JVM's output, not a sentence. */
static void test_exit_on_oom_line_alone(void **st)
{
	(void)st;
	expect_root("Terminating due to java.lang.OutOfMemoryError: Java heap space\n", "taskmanager.out", FM_F_HEAP);
	expect_root("Aborting due to java.lang.OutOfMemoryError: Metaspace\n", "taskmanager.out", FM_F_METASPACE);
	/* a person's sentence with the same words stays one */
	expect_no_root("We saw it terminating due to java.lang.OutOfMemoryError: Java heap space last week\n",
		       "notes.txt");
}

/* Exit 137 with reason Error next to the kubelet's liveness kill is that
 * kill; with OOMKilled it stays a memory kill. */
static void test_probe_kill_explains_137(void **st)
{
	(void)st;
	static const char describe[] =
		"Name:             flink-taskmanager-1-2\n"
		"Namespace:        streaming\n"
		"Labels:           component=taskmanager\n"
		"Containers:\n"
		"  flink-main-container:\n"
		"    Last State:     Terminated\n"
		"      Reason:       %s\n"
		"      Exit Code:    137\n"
		"    Limits:\n"
		"      memory:  2Gi\n"
		"Events:\n"
		"  Warning  Unhealthy  5m (x3 over 5m)  kubelet  Liveness probe failed: dial tcp 10.0.14.202:6122: "
		"connect: connection refused\n"
		"  Normal   Killing    5m  kubelet  Container flink-main-container failed liveness probe, will be "
		"restarted\n";
	char text[1024];
	snprintf(text, sizeof text, describe, "Error");
	fm_dx_result r = run(text, "describe.txt");
	assert_int_equal(r.a.root, -1);
	assert_int_equal(r.a.n, 0);
	assert_true(any_note(&r, "the kubelet's kill after a failed probe"));
	/* no fix was computed, so no note about where fixes start */
	assert_false(any_note(&r, "fixes start from"));
	fm_dx_result_release(&r);
	snprintf(text, sizeof text, describe, "OOMKilled");
	expect_root(text, "describe.txt", FM_F_K8S);
}

/* The Python runner's share of 0 is a consumer weight, not a size. */
static void test_python_zero_share(void **st)
{
	(void)st;
	fm_dx_result r = run_root("Caused by: java.lang.IllegalArgumentException: The configured managed memory fraction for "
			     "Python worker process must be within (0, 1], was: 0.0. It may be because the consumer type "
			     "\"Python\" was missing or set to 0 for the config option "
			     "\"taskmanager.memory.managed.consumer-weights\".\n",
			     "tm.log", FM_F_MANAGED);
	assert_false(r.fix[0].has_fix);
	assert_true(any_extra(&r.fix[0], "taskmanager.memory.managed.consumer-weights: "));
	fm_dx_result_release(&r);
}

/* An eviction prints the pod's request (the process size Flink asked
 * for) and its use: the fix starts from the request and covers the use. */
static void test_eviction_request_and_use(void **st)
{
	(void)st;
	fm_dx_result r = run("12m  Warning  Evicted  pod/flink-taskmanager-1-3  The node was low on resource: memory. "
			     "Threshold quantity: 100Mi, available: 87344Ki. Container flink-main-container was using "
			     "3145728Ki, request is 2Gi, has larger consumption of memory.\n",
			     "events.txt");
	assert_int_equal(r.a.root, 0);
	assert_true(r.a.v[0].evicted);
	assert_int_equal(r.a.v[0].evict_request, INT64_C(2) << 30);
	assert_int_equal(r.a.v[0].evict_usage, INT64_C(3) << 30);
	assert_non_null(strstr(r.layout_tm, "pod's memory request (taskmanager.memory.process.size: 2g)"));
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_true(m->fix.after_tm.outcome == FM_DERIVED);
	assert_true(m->fix.after_tm.l.total_process >= INT64_C(3) << 30);
	fm_dx_result_release(&r);
}

/* The CLI builds job graphs with PackagedProgramUtils too: its frames name
 * no process, the CliFrontend frames below them name the client. */
static void test_client_job_graph_heap(void **st)
{
	(void)st;
	expect_outside("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n"
		       "\tat org.apache.flink.util.InstantiationUtil.serializeObject(InstantiationUtil.java:624)\n"
		       "\tat org.apache.flink.streaming.api.graph.StreamingJobGraphGenerator.createJobGraph("
		       "StreamingJobGraphGenerator.java:178)\n"
		       "\tat org.apache.flink.client.program.PackagedProgramUtils.createJobGraph(PackagedProgramUtils.java:110)\n"
		       "\tat org.apache.flink.client.cli.CliFrontend.run(CliFrontend.java:226)\n",
		       FM_PROC_CLIENT);
}

/* The stderr tail YARN's diagnostics quote is the failed container's own
 * output, whoever logs the diagnostics. */
static void test_yarn_stderr_tail(void **st)
{
	(void)st;
	expect_root_in("2023-08-02 13:14:15,616 INFO org.apache.flink.yarn.YarnResourceManagerDriver [] - Container "
		       "container_e31_1690000000000_2001_01_000007 marked as failed.\n"
		       " Exit code:239.\n"
		       " Diagnostics:[2023-08-02 13:14:15.201]Exception from container-launch.\n"
		       "Container id: container_e31_1690000000000_2001_01_000007\n"
		       "Exit code: 239\n"
		       "\n"
		       "[2023-08-02 13:14:15.203]Container exited with a non-zero exit code 239. Error file: prelaunch.err.\n"
		       "Last 4096 bytes of prelaunch.err :\n"
		       "Last 4096 bytes of stderr :\n"
		       "Exception in thread \"flink-metrics-scheduler-1\" java.lang.OutOfMemoryError: Metaspace\n",
		       "jm.log", FM_F_METASPACE, FM_PROC_TM);
}

/* The operator's status.error (FlinkResourceException as JSON in a string)
 * and a JSON document's Throwable fields read as the printed line. */
static void test_throwable_fields(void **st)
{
	(void)st;
	expect_root("apiVersion: flink.apache.org/v1beta1\n"
		    "kind: FlinkDeployment\n"
		    "metadata:\n"
		    "  name: orders\n"
		    "status:\n"
		    "  error: '{\"type\":\"org.apache.flink.runtime.client.JobExecutionException\",\"message\":\"Job "
		    "execution failed.\",\"throwableList\":[{\"type\":\"java.lang.OutOfMemoryError\",\"message\":\"Java "
		    "heap space\"}]}'\n",
		    "flinkdeployment.yaml", FM_F_HEAP);
	expect_root_in("{\"@timestamp\":\"2024-03-01T10:00:00.000Z\",\"log.level\":\"ERROR\",\"message\":\"Task failed\","
		       "\"log.logger\":\"org.apache.flink.runtime.taskmanager.Task\",\"error.type\":"
		       "\"java.lang.OutOfMemoryError\",\"error.message\":\"Metaspace\"}\n",
		       "tm.log", FM_F_METASPACE, FM_PROC_TM);
}

/* docker inspect: the container's name, its memory limit and its kill. */
static void test_docker_inspect(void **st)
{
	(void)st;
	fm_dx_result r = run("[{\"Name\": \"/flink-taskmanager-1\", \"State\": {\"Status\": \"exited\", \"OOMKilled\": true, "
			     "\"ExitCode\": 137}, \"HostConfig\": {\"Memory\": 2147483648}, \"Config\": {\"Image\": "
			     "\"flink:1.18.1-scala_2.12-java11\"}}]\n",
			     "inspect.json");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.n, 1); /* the exit code is the same kill, not a YARN one */
	assert_int_equal(r.a.v[0].failure, FM_F_K8S);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_false(r.a.v[0].proc_assumed);
	assert_non_null(strstr(r.layout_tm, "taskmanager.memory.process.size: 2g"));
	fm_dx_result_release(&r);
}


/* A kill with RocksDB unbounded by the config (managed: false, no fixed
 * budget) names the key; a network fix keeps headroom and a larger max. */
static void test_config_led_kill_and_network_fixes(void **st)
{
	(void)st;
	const char *rocks[] = {"taskmanager.memory.process.size", "8g", "state.backend.type", "rocksdb",
			       "state.backend.rocksdb.memory.managed", "false"};
	fm_dx_result r = run_conf("Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n",
				  rocks, 3);
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_ROCKSDB); /* the config runs RocksDB unbounded */
	assert_true(any_extra(&r.fix[0], "state.backend.rocksdb.memory.managed: true"));
	fm_dx_result_release(&r);
	const char *net[] = {"taskmanager.memory.process.size", "4g", "taskmanager.memory.network.max", "512m"};
	r = run_conf("java.io.IOException: Insufficient number of network buffers: required 129, but only 40 available. "
		     "The total number of network buffers is currently set to 11993 of 32768 bytes each.\n",
		     net, 2);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_null(change_of(&m->fix, "taskmanager.memory.network.max")); /* 512m stays */
	/* 378 MiB needed: a tenth more, to the next 64 MiB step */
	assert_int_equal(m->fix.after_tm.l.network, INT64_C(448) << 20);
	fm_dx_result_release(&r);
}

/* A Flink pod's sidecar (its own container block in the description) was
 * OOM-killed: not Flink's memory; and the sidecar's or an init container's
 * limit is not the process size. */
static void test_sidecar_kill(void **st)
{
	(void)st;
	static const char pod[] = "Name:         flink-taskmanager-1-4\n"
				  "Namespace:    flink\n"
				  "Init Containers:\n"
				  "  istio-init:\n"
				  "    Limits:\n"
				  "      memory:  1Gi\n"
				  "Containers:\n"
				  "  flink-main-container:\n"
				  "    Restart Count:  %s\n"
				  "    Limits:\n"
				  "      memory:  8Gi\n"
				  "  istio-proxy:\n"
				  "    Last State:     Terminated\n"
				  "      Reason:       %s\n"
				  "      Exit Code:    %s\n"
				  "    Limits:\n"
				  "      memory:  256Mi\n"
				  "Conditions:\n";
	char text[1024];
	snprintf(text, sizeof text, pod, "0", "OOMKilled", "137");
	fm_dx_result r = run(text, "describe.txt");
	assert_int_equal(r.a.root, -1);
	assert_int_equal(r.a.n, 1);
	assert_true(r.a.v[0].outside && r.a.v[0].sidecar);
	fm_dx_result_release(&r);
	/* the same pod with Flink's own container killed: its 8Gi is the base */
	snprintf(text, sizeof text, pod, "1\n    Last State:     Terminated\n      Reason:       OOMKilled", "Completed", "0");
	r = run(text, "describe.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_non_null(strstr(r.layout_tm, "taskmanager.memory.process.size: 8g"));
	fm_dx_result_release(&r);
}

/* "OOMKilled" in quotes is JSON's only as a value after ':' or a key
 * before one; a guide's quoted word in a sentence names no kill. */
/* A structured pod's container statuses (kubectl get pod -o yaml: keys in
 * alphabetical order, the name after lastState): a kill in a container
 * that is not Flink's is that sidecar's, as in a description's blocks. */
static void test_sidecar_kill_in_pod_object(void **st)
{
	(void)st;
	static const char pod[] =
		"apiVersion: v1\nkind: Pod\nmetadata:\n  name: flink-session-taskmanager-1-1\n  labels:\n"
		"    component: taskmanager\n    type: flink-native-kubernetes\nstatus:\n  containerStatuses:\n"
		"  - containerID: containerd://aaaa\n    lastState:\n%s    name: flink-main-container\n"
		"    restartCount: 0\n  - containerID: containerd://bbbb\n    lastState:\n%s    name: fluent-bit\n"
		"    restartCount: 7\n";
	static const char killed[] = "      terminated:\n        exitCode: 137\n        reason: OOMKilled\n";
	char buf[2048];
	snprintf(buf, sizeof buf, pod, "      {}\n", killed);
	fm_dx_result r = run(buf, "pod.yaml");
	assert_int_equal(r.a.root, -1);
	assert_true(r.a.n >= 1 && r.a.v[0].outside && r.a.v[0].sidecar);
	fm_dx_result_release(&r);
	snprintf(buf, sizeof buf, pod, killed, "      {}\n");
	r = run(buf, "pod.yaml");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	fm_dx_result_release(&r);
}

/* The batch shuffle read pool is framework off-heap memory: its direct
 * allocation failure (BatchShuffleReadBufferPool, which names that key)
 * grows framework off-heap by at least what it still needed. */
static void test_batch_shuffle_pool_framework_off_heap(void **st)
{
	(void)st;
	fm_dx_result r = run_root("java.lang.OutOfMemoryError: Can't allocate enough direct buffer for batch shuffle read "
				  "buffer pool (bytes allocated: 16777216, bytes still needed: 50331648). To avoid the "
				  "exception, you need to do one of the following adjustments: 1) If you have ever "
				  "decreased taskmanager.memory.framework.off-heap.size, you need to undo the decrement\n",
				  "tm.log", FM_F_DIRECT);
	const fm_change *c = change_of(&r.fix[0].fix, "taskmanager.memory.framework.off-heap.size");
	assert_non_null(c);
	assert_null(change_of(&r.fix[0].fix, "taskmanager.memory.task.off-heap.size"));
	assert_true(r.fix[0].fix.after_tm.l.framework_off_heap - r.fix[0].fix.before_tm.l.framework_off_heap >=
		    INT64_C(50331648));
	fm_dx_result_release(&r);
}

/* Hadoop's strict cgroups memory enforcement lets the kernel kill a YARN
 * container: the OOM report names its memory cgroup ("oom_memcg=/hadoop-
 * yarn/container_..._000003"), so the kill is that container's YARN kill,
 * one incident with the resource manager's view of it. */
static void test_kernel_kill_of_yarn_container(void **st)
{
	(void)st;
	fm_dx_result r = run(
		"[812.5] java invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0\n"
		"[812.5] memory: usage 4194304kB, limit 4194304kB, failcnt 4127\n"
		"[812.5] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/hadoop-yarn/"
		"container_e05_1712345678901_0007_01_000003,task_memcg=/hadoop-yarn/container_e05_1712345678901_0007_01_000003,"
		"task=java,pid=41231,uid=9999\n"
		"[812.5] Memory cgroup out of memory: Killed process 41231 (java) total-vm:5912340kB, anon-rss:4171000kB, "
		"file-rss:18344kB, shmem-rss:0kB, UID:9999 pgtables:4876kB oom_score_adj:0\n"
		"2025-02-11 10:20:00,000 INFO  org.apache.flink.yarn.YarnResourceManagerDriver [] - Container "
		"container_e05_1712345678901_0007_01_000003 marked as failed.\n Exit code:137.\n",
		"dmesg-and-jm.log");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_YARN);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	size_t roots = 0;
	for (size_t i = 0; i < r.a.n; i++)
		roots += !r.a.v[i].outside && !r.a.v[i].aftermath;
	assert_int_equal(roots, 1);
	assert_int_equal(r.a.v[0].container_limit, INT64_C(4194304) * 1024);
	fm_dx_result_release(&r);
}

/* Flink names its TaskManager pods "<cluster-id>-taskmanager-<a>-<n>" and
 * runs its JobManager as the Deployment "<cluster-id>": in a `kubectl get
 * pods` table, the Deployment's pod "<cluster-id>-<hash>-<hash>" is the
 * JobManager. */
static void test_get_pods_jobmanager_by_name(void **st)
{
	(void)st;
	static const char pods[] =
		"NAME                              READY   STATUS      RESTARTS      AGE\n"
		"flink-session-5d9c7b8f6d-xq2lp    0/1     OOMKilled   2 (12s ago)   3h\n"
		"flink-session-taskmanager-1-1     1/1     Running     0             3h\n";
	fm_dx_result r = run_root(pods, "pods.txt", FM_F_K8S);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	assert_false(r.a.v[0].proc_assumed);
	fm_dx_result_release(&r);
	/* a pod of another workload with the same shape stays as it was */
	static const char other[] =
		"NAME                              READY   STATUS      RESTARTS      AGE\n"
		"redis-cache-5d9c7b8f6d-xq2lp      0/1     OOMKilled   2 (12s ago)   3h\n"
		"flink-session-taskmanager-1-1     1/1     Running     0             3h\n";
	r = run(other, "pods.txt");
	assert_false(r.a.n && r.a.v[0].proc == FM_PROC_JM);
	fm_dx_result_release(&r);
}

/* A JobManager that cannot start a thread is told as such (threads, the
 * pids limit), not as a container kill. */
static void test_jm_native_thread_wording(void **st)
{
	(void)st;
	fm_dx_result r = run_root(
		"2024-05-10 11:00:00,000 INFO  org.apache.flink.runtime.entrypoint.ClusterEntrypoint [] - Starting "
		"StandaloneSessionClusterEntrypoint (Version: 1.14.6, Scala: 2.12, Rev:2ad68e2, Date:2022-09-28T09:47:49+02:00)\n"
		"2024-05-10 12:00:00,000 ERROR org.apache.flink.runtime.util.FatalExitExceptionHandler [] - FATAL: Thread "
		"'flink-akka.actor.default-dispatcher-4' produced an uncaught exception. Stopping the process...\n"
		"java.lang.OutOfMemoryError: unable to create new native thread\n",
		"jobmanager.log", FM_F_NATIVE_THREAD);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	assert_non_null(strstr(r.fix[0].explanation, "could not start a thread"));
	assert_null(strstr(r.fix[0].explanation, "was killed"));
	assert_true(any_fix_note(&r.fix[0], "pids limit"));
	fm_dx_result_release(&r);
}

/* The outside processes' JVM settings per release: env.java.opts.client
 * from 1.11 (1.10's bin/flink reads JVM_ARGS), env.java.opts.sql-gateway
 * from 1.19. */
static void test_outside_flags_per_release(void **st)
{
	(void)st;
	static const char client[] =
		"2024-05-10 11:00:00,000 INFO  org.apache.flink.client.cli.CliFrontend [] - Starting Command Line Client\n"
		"java.lang.OutOfMemoryError: Java heap space\n\tat org.apache.flink.client.cli.CliFrontend.run("
		"CliFrontend.java:212)\n";
	static const char gateway[] =
		"2024-05-10 11:00:00,000 ERROR org.apache.flink.table.gateway.service.operation.OperationManager [] - Failed "
		"to execute the operation 5f8e.\njava.lang.OutOfMemoryError: Java heap space\n";
	const struct { const char *text, *ver, *want, *not; } c[] = {
		{client, "1.10.3", "JVM_ARGS", "env.java.opts.client"},
		{client, "1.17.1", "env.java.opts.client", "JVM_ARGS"},
		{gateway, "1.17.1", "FLINK_ENV_JAVA_OPTS in the environment of sql-gateway.sh", "env.java.opts.sql-gateway"},
		{gateway, "1.19.1", "env.java.opts.sql-gateway", "in the environment of sql-gateway.sh"},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		const fm_profile *p = fm_profile_for(c[i].ver);
		assert_non_null(p);
		fm_dx_result r = run_with(c[i].text, "trace.txt", p);
		assert_int_equal(r.a.root, -1);
		assert_true(r.a.n >= 1 && r.a.v[0].outside);
		assert_true(any_extra(&r.fix[0], c[i].want));
		assert_false(any_extra(&r.fix[0], c[i].not));
		fm_dx_result_release(&r);
	}
}

static void test_quoted_oomkilled_word(void **st)
{
	(void)st;
	expect_no_root("## Troubleshooting\n"
		       "4.  **Container OOMKilled:**\n"
		       "    *   If a TaskManager pod disappears, check `kubectl describe pod` or YARN logs. It might show an "
		       "\"OOMKilled\" event if the container exceeded its overall memory limit.\n",
		       "trace.txt");
	expect_root("{\"metadata\": {\"name\": \"flink-taskmanager-1-1\"}, \"status\": {\"containerStatuses\": [{\"name\": "
		    "\"flink-main-container\", \"lastState\": {\"terminated\": {\"exitCode\": 137, \"reason\": \"OOMKilled\"}}}]}}\n",
		    "pod.json", FM_F_K8S);
	expect_root("{\"log\":\"lastState={\\\"reason\\\":\\\"OOMKilled\\\"} pod flink-taskmanager-1-1\"}\n", "trace.txt",
		    FM_F_K8S);
}

/* hs_err: JDK 9+'s "Command Line:" names the JVM's main class (the report
 * may be cut before java_command); a GC worker that could not start is the
 * report's reason under its generic "insufficient memory" header, and at
 * start-up that is the OS refusing threads (pids/process limit, seccomp),
 * not a memory failure (HotSpot exits so only while it starts its workers). */
static void test_hs_err_command_line_and_gc_thread(void **st)
{
	(void)st;
	expect_root_in("#\n# There is insufficient memory for the Java Runtime Environment to continue.\n"
		       "# Native memory allocation (malloc) failed to allocate 1048576 bytes for Chunk::new\n"
		       "---------------  S U M M A R Y ------------\n\n"
		       "Command Line: -Xmx1073741824 -Xms1073741824 -cp /opt/flink/lib/flink-dist.jar "
		       "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir /opt/flink/conf\n",
		       "hs_err_pid7.log", FM_F_NATIVE_MEMORY, FM_PROC_JM);
	expect_no_root("#\n# There is insufficient memory for the Java Runtime Environment to continue.\n"
		       "# Cannot create worker GC thread. Out of system resources.\n"
		       "#  Out of Memory Error (workerManager.hpp:80), pid=1, tid=140\n"
		       "Command Line: -Xmx536870912 org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "
		       "/opt/flink/conf\n",
		       "hs_err_pid1.log");
}

/* Pasted source code: a log inside a triple-quoted literal that code
 * assigns or passes is a fixture; the same lines pasted bare are a run's. */
static void test_code_literal_fixture(void **st)
{
	(void)st;
	static const char log[] = "2024-01-15 10:30:45,001 ERROR org.apache.flink.runtime.taskmanager.Task [] - "
				  "Map (1/2) switched from RUNNING to FAILED.\n"
				  "java.lang.OutOfMemoryError: GC overhead limit exceeded\n"
				  "\tat org.apache.flink.runtime.taskmanager.Task.run(Task.java:456)\n";
	char py[1024], java[1024];
	snprintf(py, sizeof py, "def test_detects_gc():\n    fixture = f\"\"\"\n%s\"\"\"\n    assert detect(fixture)\n", log);
	snprintf(java, sizeof java, "String sample = \"\"\"\n%s    \"\"\";\n", log);
	expect_no_root(py, "test_detect.py");
	expect_no_root(java, "Sample.java");
	expect_root_in(log, "trace.txt", FM_F_GC_OVERHEAD, FM_PROC_TM);
	/* a docstring's quotes open no literal in code: what follows them is read */
	char doc[1024];
	snprintf(doc, sizeof doc, "\"\"\"Run log:\"\"\"\n%s", log);
	expect_root_in(doc, "trace.txt", FM_F_GC_OVERHEAD, FM_PROC_TM);
}

/* Pasted source code holding one-line literals with escaped traces (a log
 * generator's array, a mock REST client's struct): data. The same file with
 * a trace pasted below the code as it was printed is a run's. */
static void test_code_one_line_literals(void **st)
{
	(void)st;
	static const char java[] =
		"/** Generates log events mirroring real Flink output. */\n"
		"public class LogGenerator {\n"
		"    private static final String[] TRACES = {\n"
		"        \"java.lang.OutOfMemoryError: Java heap space\\n\\tat org.apache.flink.runtime.state.heap."
		"HeapKeyedStateBackend.put(HeapKeyedStateBackend.java:142)\",\n"
		"        \"org.apache.kafka.common.errors.TimeoutException: Failed to update metadata\"\n"
		"    };\n"
		"    private static final int N = 3;\n"
		"    // pick one\n"
		"    public String next() { return TRACES[0]; }\n"
		"}\n";
	fm_dx_result r = run(java, "trace.txt");
	assert_int_equal(r.a.root, -1);
	assert_int_equal(r.a.n, 0);
	fm_dx_result_release(&r);
	char both[2048];
	snprintf(both, sizeof both, "%s\nand the TaskManager then logged:\n"
		 "2024-05-02 10:00:00,000 WARN  org.apache.flink.runtime.taskmanager.Task [] - Map (1/2) switched from "
		 "RUNNING to FAILED.\njava.lang.OutOfMemoryError: Java heap space\n", java);
	expect_root_in(both, "trace.txt", FM_F_HEAP, FM_PROC_TM);
}

/* A frame no JVM prints ("at pkg.Class.method" with no "(File.java:N)"):
 * the error above it is a guide's illustration; with the frame as printed
 * it is a run's. */
static void test_shapeless_frame_illustration(void **st)
{
	(void)st;
	expect_no_root("### Pattern 1: OutOfMemoryError\n\njava.lang.OutOfMemoryError: Java heap space\n"
		       "    at org.apache.flink.runtime.memory.MemoryManager.allocatePages\n",
		       "trace.txt");
	expect_root_in("java.lang.OutOfMemoryError: Java heap space\n"
		       "    at org.apache.flink.runtime.memory.MemoryManager.allocatePages(MemoryManager.java:244)\n",
		       "trace.txt", FM_F_HEAP, FM_PROC_TM);
}

/* A mock message in data: the JVM's detail followed by its author's own
 * sentence inside a string; Flink's hint after the same detail is real. */
static void test_invented_oom_sentence(void **st)
{
	(void)st;
	fm_dx_result r = run("  \"timeout\": {\n    \"msg\": \"java.util.concurrent.TimeoutException: Heartbeat of TaskManager "
			     "with id container_1 timed out.\",\n  },\n"
			     "  \"oom_meta\": {\n    \"msg\": \"java.lang.OutOfMemoryError: Metaspace. The Metaspace memory pool "
			     "is full.\",\n    \"type\": \"oom_metaspace\"\n  },\n",
			     "trace.txt");
	assert_int_equal(r.a.root, -1);
	assert_int_equal(r.a.n, 0);
	fm_dx_result_release(&r);
	expect_root_in("{\"root-exception\":\"java.lang.OutOfMemoryError: Metaspace. The metaspace out-of-memory error has "
		       "occurred. This can mean two things: either the job requires a larger size of JVM metaspace to load "
		       "classes or there is a class loading leak.\\n\\tat java.lang.ClassLoader.defineClass1(Native Method)\"}\n",
		       "trace.txt", FM_F_METASPACE, FM_PROC_TM);
}

/* "Exit Code" marks program output only as kubectl labels it: a guide's
 * sentence naming the kill is a person's and gets no guessed kind. */
static void test_exit_code_in_sentence(void **st)
{
	(void)st;
	expect_no_root("## Unmanaged RocksDB\n"
		       "- 32 instances plus a 3GB heap exceed the 8GB limit and the TaskManager pod is killed with "
		       "`Exit Code 137 (OOMKilled)`.\n",
		       "trace.txt");
	expect_root_in("Name:         my-job-taskmanager-1-1\nContainers:\n  flink-main-container:\n"
		       "    Last State:     Terminated\n      Reason:       OOMKilled\n      Exit Code:    137\n",
		       "describe.txt", FM_F_K8S, FM_PROC_TM);
}

/* A short class name (never printed: Throwable.toString is qualified)
 * in inline code inside a sentence that goes on is a guide's mention; the
 * same span ending a "symptom:" line may be the pasted failure. */
static void test_inline_code_mention(void **st)
{
	(void)st;
	expect_no_root("> **WARNING**: Do not append credential properties to `flink-conf.yaml`. This breaks Flink's YAML "
		       "parser and causes `IllegalConfigurationException: JobManager memory configuration failed`. Use "
		       "environment variables instead.\n",
		       "trace.txt");
	expect_root_in("Symptom: `IllegalConfigurationException: JobManager memory configuration failed: Sum of configured "
		       "JVM Metaspace (256.000mb (268435456 bytes)) and JVM Overhead (192.000mb (201326592 bytes)) exceed "
		       "configured Total Process Memory (256.000mb (268435456 bytes)).`\n",
		       "trace.txt", FM_F_CONFIG, FM_PROC_JM);
}

/* Java source quoted in an article: a class after `throws` or in
 * `catch (` is declared, not thrown; the same class printed is a failure. */
static void test_source_line_declares(void **st)
{
	(void)st;
	expect_no_root("```java\n    public void allocatePages(Object owner, Collection<MemorySegment> target, int n)\n"
		       "            throws MemoryAllocationException {\n        try {\n"
		       "            memoryBudget.reserveMemory(n * pageSize);\n"
		       "        } catch (MemoryReservationException e) {\n",
		       "trace.txt");
	/* indented with tabs (the event's text shows a tab as "\\t") */
	expect_no_root("\t\tif (memorySegments.size() < MIN_NUM_MEMORY_SEGMENTS) {\n"
		       "\t\t\tthrow new IllegalArgumentException(\"Too few memory segments provided. Hash Join needs at "
		       "least \" + \n",
		       "trace.txt");
	/* the same lines as a pull request's diff hunk in a review thread */
	expect_no_root("```diff\n+        public ManagedMemoryOutputStream(LimitedSizeMemoryManager memoryManager, long size)\n"
		       "+                throws MemoryAllocationException {\n"
		       "-        } catch (MemoryAllocationException e) {\n",
		       "trace.txt");
	expect_no_root("    +                throws MemoryAllocationException {\n", "trace.txt"); /* indented paste */
	/* a call handing the text it will print to a function: the producer's
	 * source (C printf, a Java logger, Python print), not its output */
	expect_no_root("void THROW_MEMORY_RESERVATION_EXCEPTION(char *p) {\n"
		       "    printf(\"MemoryReservationException: at %s\\n\", p);\n    exit(EXIT_FAILURE);\n}\n",
		       "trace.txt");
	expect_no_root("        LOG.error(\"java.lang.OutOfMemoryError: Direct buffer memory. The direct out-of-memory \" +\n",
		       "trace.txt");
	expect_no_root("    System.err.println(\"java.lang.OutOfMemoryError: Java heap space\");\n", "trace.txt");
	/* a literal alone on its line, an argument the line above opened */
	expect_no_root("                        startsWith(\n"
		       "                                \"Java heap space. A heap space-related out-of-memory error has "
		       "occurred.\"));\n",
		       "trace.txt");
	/* a pretty-printed JSON member or array string is no argument: output */
	expect_root_in("{\n  \"errors\": [\n    \"java.util.concurrent.CompletionException: java.lang.OutOfMemoryError: "
		       "Java heap space\",\n    \"org.apache.flink.runtime.taskexecutor.TaskExecutor\"\n  ]\n}\n",
		       "exceptions.json", FM_F_HEAP, FM_PROC_TM);
	/* the same texts printed, a logger's record and a JSON string, stay output */
	expect_root_in("2024-05-01 10:00:00,000 WARN  org.apache.flink.runtime.taskmanager.Task [] - Source: in (1/1) "
		       "switched from RUNNING to FAILED.\njava.lang.OutOfMemoryError: Direct buffer memory\n",
		       "tm.log", FM_F_DIRECT, FM_PROC_TM);
	expect_root_in("{\"message\":\"java.lang.OutOfMemoryError: Java heap space\",\"logger\":"
		       "\"org.apache.flink.runtime.taskexecutor.TaskExecutor\"}\n",
		       "tm.log", FM_F_HEAP, FM_PROC_TM);
	expect_root_in("Caused by: org.apache.flink.runtime.memory.MemoryAllocationException: Could not allocate 64 pages\n"
		       "\tat org.apache.flink.runtime.memory.MemoryManager.allocatePages(MemoryManager.java:231)\n",
		       "trace.txt", FM_F_MANAGED, FM_PROC_TM);
	/* a NUL byte ending the line (a binary log's padding) is neither ";" nor
	 * ")": the quoted text stays an incident */
	static const char nul_end[] = "Task(sink, \"java.lang.OutOfMemoryError: Java heap space\0\n";
	fm_dx_opts o = {0};
	o.scanner = get_scanner();
	fm_dx_result r;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_diagnose_mem(nul_end, sizeof nul_end - 1, "trace.txt", &o, &r, &d), FM_OK);
	fm_diag_release(&d);
	assert_true(r.a.n == 1 && r.a.v[0].outside); /* no Flink sign: outside */
	assert_int_equal(r.a.v[0].failure, FM_F_HEAP);
	fm_dx_result_release(&r);
}

/* A person's sentence longer than the evidence's 400-byte cap (a CJK
 * paragraph reaches it in 130 characters): the words past the cap still
 * say who wrote it; a long line a program printed still counts. */
static void test_long_line_judged_whole(void **st)
{
	(void)st;
	fm_buf b = FM_BUF_INIT;
	for (int i = 0; i < 40; i++)
		assert_int_equal(fm_buf_adds(&b, "\xe5\xa0\x86\xe5\xa4\x96"), 0); /* 堆外, 6 bytes */
	assert_int_equal(fm_buf_adds(&b, "\xef\xbc\x8c jobmanager.memory.off-heap.size \xe4\xb8\x80\xe6\x97\xa6 "
					 "OutOfMemoryError: Direct buffer memory \xe5\xbc\x82\xe5\xb8\xb8\xe3\x80\x82\n"),
			 0);
	expect_no_root(b.data, "trace.txt");
	fm_buf_reset(&b);
	assert_int_equal(fm_buf_adds(&b, "{\"@timestamp\":\"2024-05-01T10:00:00.000Z\",\"logger\":"
					 "\"org.apache.flink.runtime.taskexecutor.TaskManagerRunner\",\"thread\":\"main\",\"msg\":\""), 0);
	for (int i = 0; i < 30; i++)
		assert_int_equal(fm_buf_adds(&b, "padding "), 0);
	assert_int_equal(fm_buf_adds(&b, "\",\"stack\":\"java.lang.OutOfMemoryError: Direct buffer memory\"}\n"), 0);
	expect_root_in(b.data, "tm.log", FM_F_DIRECT, FM_PROC_TM);
	fm_buf_release(&b);
}

/* bash's "config.sh: line N:" below the start script's failure: the shell
 * could not run Java, so BashJavaUtils computed no memory. */
static void test_script_shell_error(void **st)
{
	(void)st;
	expect_no_root("[ERROR] The execution result is empty.\n"
		       "[ERROR] Could not get JVM parameters and dynamic configurations properly.\n"
		       "[ERROR] Raw output from BashJavaUtils: /d/Program Files/flink/bin/config.sh: line 485: "
		       "D:\\Program: No such file or directory\n",
		       "trace.txt");
}

/* ProcessMemoryUtils' "process size less than the derived Flink memory
 * and metaspace": the process must hold both and the overhead's minimum. */
static void test_process_less_than_sum_fix(void **st)
{
	(void)st;
	fm_dx_result r = run_root("org.apache.flink.configuration.IllegalConfigurationException: TaskManager memory "
				  "configuration failed: The configured Total Process Memory size (3.000gb (3221225472 bytes)) "
				  "is less than the sum of the derived Total Flink Memory size (4.000gb (4294967296 bytes)) and "
				  "the configured or default JVM Metaspace size  (256.000mb (268435456 bytes)).\n",
				  "trace.txt", FM_F_CONFIG);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && !m->jm);
	assert_int_equal(m->fix.after_tm.outcome, FM_DERIVED);
	assert_int_equal(m->fix.after_tm.l.total_process, INT64_C(4544) << 20); /* 4g + 256m + 192m */
	fm_dx_result_release(&r);
}

/* A managed-memory failure proves managed memory is used: check's "unused
 * with the hashmap backend" (FM060) neither undoes nor blocks its fix. */
static void test_managed_fix_with_heap_backend(void **st)
{
	(void)st;
	const char *kv[] = {"taskmanager.memory.process.size", "2g", "taskmanager.numberOfTaskSlots", "1",
			    "state.backend", "hashmap"};
	fm_dx_result r = run_conf("org.apache.flink.runtime.memory.MemoryAllocationException: Could not allocate 512 pages\n",
				  kv, 3);
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_MANAGED);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_true(m->fix.after_tm.l.managed > m->fix.before_tm.l.managed);
	fm_dx_result_release(&r);
}

/* A heap OOM's pinned variant takes the heap from managed memory only when
 * nothing shows a consumer of it: a config that runs RocksDB on managed
 * memory is such evidence, as much as the log's RocksDB lines. */
static void test_heap_pinned_respects_config_consumer(void **st)
{
	(void)st;
	static const char oom[] = "java.lang.OutOfMemoryError: Java heap space\n"
				  "\tat org.apache.flink.runtime.taskmanager.Task.run(Task.java:568)\n";
	const char *rocks[] = {"taskmanager.memory.process.size", "4g", "state.backend", "rocksdb",
			       "state.backend.rocksdb.memory.managed", "true"};
	fm_dx_result r = run_conf(oom, rocks, 3);
	assert_int_equal(r.a.v[0].failure, FM_F_HEAP);
	assert_false(any_fix_note(&r.fix[0], "no RocksDB seen"));
	assert_false(r.fix[0].has_pinned &&
		     r.fix[0].pinned.after_tm.l.managed < r.fix[0].pinned.before_tm.l.managed);
	fm_dx_result_release(&r);
	const char *plain[] = {"taskmanager.memory.process.size", "4g"};
	r = run_conf(oom, plain, 1);
	assert_true(any_fix_note(&r.fix[0], "no RocksDB seen"));
	fm_dx_result_release(&r);
}

static void test_network_pool_over_direct_limit(void **st)
{
	(void)st;
	/* the pool asked 5120 MB, the JVM's direct limit stopped it at 1965 MB:
	 * more network cannot help; a pool that fits (3/4 of what the JVM gave) */
	fm_dx_result r = run("java.lang.OutOfMemoryError: Could not allocate enough memory segments for NetworkBufferPool "
			     "(required (MB): 5120, allocated (MB): 1965, missing (MB): 3155). Cause: Direct buffer memory.\n",
			     "tm.log");
	assert_int_equal(r.a.v[0].failure, FM_F_NETWORK);
	const fm_remedy *m = &r.fix[0];
	assert_false(m->has_fix);
	assert_int_equal(m->nextra, 2);
	assert_string_equal(m->changes_extra[1], "taskmanager.memory.network.max: 1473m");
	fm_dx_result_release(&r);
}

static void test_metaspace_fix_rederived(void **st)
{
	(void)st;
	fm_dx_result r = run("java.lang.OutOfMemoryError: Metaspace\n", "tm.log");
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_int_equal(m->fix.after_tm.l.metaspace, INT64_C(512) << 20);
	/* the process grows until nothing else shrinks (overhead is a share of it) */
	const fm_tm_layout *a = &m->fix.before_tm.l, *b = &m->fix.after_tm.l;
	assert_true(b->task_heap >= a->task_heap && b->managed >= a->managed && b->network >= a->network &&
		    b->overhead >= a->overhead);
	assert_true(b->total_process - a->total_process < (INT64_C(320) << 20)); /* but not by much more */
	assert_int_equal(b->total_process % (1 << 20), 0);
	/* pinned: the task heap pays */
	assert_true(m->pinned.after_tm.l.task_heap < m->pinned.before_tm.l.task_heap);
	fm_dx_result_release(&r);
}

static fm_dx_result run_conf(const char *text, const char *const *kv, size_t n)
{
	fm_conf *c = fm_conf_new();
	assert_non_null(c);
	fm_origin at = {NULL, 0, 0, FM_SRC_DYNAMIC};
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fm_conf_set_str(c, kv[2 * i], kv[2 * i + 1], &at), FM_OK);
	fm_dx_opts o = {0};
	o.scanner = get_scanner();
	o.conf = c;
	o.conf_name = "test.yaml";
	fm_dx_result r;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_diagnose_mem(text, strlen(text), "tm.log", &o, &r, &d), FM_OK);
	fm_diag_release(&d);
	fm_conf_free(c);
	return r;
}

/* A system OOM (the kernel's "Out of memory: Killed process", no cgroup):
 * a TaskManager within its process size was the victim of an over-committed
 * machine and gets no larger size; one that held more than its size gets
 * an overhead that budgets the excess (mm/oom_kill.c prints anon-rss,
 * file-rss and shmem-rss in kB) */
static void test_system_oom_rss_against_size(void **st)
{
	(void)st;
	static const char kill[] = "[812.5] Out of memory: Killed process 4242 (java) total-vm:9876543kB, "
				   "anon-rss:6291456kB, file-rss:1024kB, shmem-rss:0kB, UID:1000 pgtables:14000kB "
				   "oom_score_adj:0\n";
	const char *big[] = {"taskmanager.memory.process.size", "8g"};
	fm_dx_result r = run_conf(kill, big, 1);
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_K8S);
	const fm_remedy *m = &r.fix[0];
	assert_false(m->has_fix && m->fix.nchanges > 0);
	assert_true(any_extra(m, "taskmanager.memory.process.size: no larger than"));
	assert_false(any_extra(m, "kubernetes.")); /* nothing says Kubernetes */
	fm_dx_result_release(&r);
	const char *small[] = {"taskmanager.memory.process.size", "4g"};
	r = run_conf(kill, small, 1);
	m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	/* 6 GiB + 1 MiB held against 4 GiB: the overhead grows by at least
	 * the 2 GiB + 1 MiB excess */
	assert_true(m->fix.after_tm.l.overhead - m->fix.before_tm.l.overhead >= (INT64_C(2049) << 20));
	fm_dx_result_release(&r);
}

/* The kernel names its OOM victim (mm/oom_kill.c "Killed process PID
 * (COMM)", the summary's "task=COMM,"): a Python interpreter is a PyFlink
 * worker, budgeted from managed memory (1.12+) or task off-heap (1.10-1.11),
 * and its resident size is not the TaskManager JVM's. */
static void test_python_oom_victim(void **st)
{
	(void)st;
	static const char memcg[] =
		"2024-05-02 10:00:00,000 INFO  org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - Starting "
		"TaskManager (Version: %s, Rev:2750d5c, Date:2023-05-19T10:45:46+02:00)\n"
		"[Thu May  2 10:41:07 2024] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=cri-containerd-3f2a"
		".scope,mems_allowed=0,oom_memcg=/kubepods.slice/pod12ab.slice,task_memcg=/kubepods.slice/pod12ab.slice/"
		"cri-containerd-3f2a.scope,task=%s,pid=4312,uid=9999\n";
	const char *vers[] = {"1.11.2", "1.17.1"};
	for (int k = 0; k < 2; k++) {
		char buf[1024];
		snprintf(buf, sizeof buf, memcg, vers[k], "python3");
		fm_dx_result r = run(buf, "tm.log");
		assert_int_equal(r.a.root, 0);
		assert_int_equal(r.a.v[0].failure, FM_F_K8S);
		assert_string_equal(r.a.v[0].victim, "python3");
		assert_non_null(strstr(r.fix[0].explanation, "killed a Python worker"));
		assert_true(any_fix_note(&r.fix[0], k ? "budgets it from managed memory" : "task off-heap memory"));
		fm_dx_result_release(&r);
	}
	char buf[1024];
	snprintf(buf, sizeof buf, memcg, "1.17.1", "java");
	fm_dx_result r = run(buf, "tm.log");
	assert_int_equal(r.a.root, 0);
	assert_string_equal(r.a.v[0].victim, "java");
	assert_false(any_fix_note(&r.fix[0], "Python worker"));
	fm_dx_result_release(&r);
	/* another program (a log shipper's sidecar) is its own kill, also
	 * with the allocating task's "invoked oom-killer" line above it */
	char two[1200];
	snprintf(buf, sizeof buf, memcg, "1.17.1", "fluent-bit");
	snprintf(two, sizeof two, "[Thu May  2 10:41:07 2024] fluent-bit invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), "
		 "order=0, oom_score_adj=-997\n%s", buf);
	r = run(two, "tm.log");
	assert_int_equal(r.a.root, -1);
	assert_true(r.a.n == 1 && r.a.v[0].outside);
	assert_non_null(strstr(r.fix[0].explanation, "killed fluent-bit"));
	fm_dx_result_release(&r);
	/* a machine-wide OOM: the worker's resident size says nothing of the
	 * TaskManager's, so no overhead is sized from it */
	static const char sys[] = "[812.5] Out of memory: Killed process 4242 (python3.11) total-vm:9876543kB, "
				  "anon-rss:6291456kB, file-rss:1024kB, shmem-rss:0kB, UID:1000 pgtables:14000kB "
				  "oom_score_adj:0\n";
	const char *small[] = {"taskmanager.memory.process.size", "4g"};
	r = run_conf(sys, small, 1);
	assert_string_equal(r.a.v[0].victim, "python3.11");
	assert_false(r.fix[0].has_fix && r.fix[0].fix.nchanges > 0);
	assert_true(any_fix_note(&r.fix[0], "the victim was python3.11"));
	fm_dx_result_release(&r);
}

/* A memory cgroup kill of a process that held far more than its layout
 * (a systemd service's MemoryMax of 4 GiB around a 1728m TaskManager):
 * the overhead budgets what it held beyond the layout, and no Kubernetes
 * advice is given where nothing says Kubernetes. */
static void test_memcg_kill_beyond_layout(void **st)
{
	(void)st;
	static const char kill[] =
		"[812.5] memory: usage 4194304kB, limit 4194304kB, failcnt 4127\n"
		"[812.5] oom-kill:constraint=CONSTRAINT_MEMCG,nodemask=(null),cpuset=/,mems_allowed=0,oom_memcg=/system.slice/"
		"flink-taskmanager.service,task_memcg=/system.slice/flink-taskmanager.service,task=java,pid=23817,uid=9999\n"
		"[812.5] Memory cgroup out of memory: Killed process 23817 (java) total-vm:5912340kB, anon-rss:4170000kB, "
		"file-rss:18344kB, shmem-rss:0kB, UID:9999 pgtables:4876kB oom_score_adj:0\n";
	const char *kv[] = {"taskmanager.memory.process.size", "1728m"};
	fm_dx_result r = run_conf(kill, kv, 1);
	assert_int_equal(r.a.root, 0);
	const fm_remedy *m = &r.fix[0];
	assert_non_null(strstr(m->explanation, "beyond its layout"));
	assert_null(strstr(m->explanation, "OOMKilled"));
	assert_true(m->has_fix && m->fix.after_tm.l.total_process > (INT64_C(4188344) << 10));
	assert_false(any_fix_note(m, "limit-factor"));
	assert_true(any_fix_note(m, "the memory limit the kernel enforced"));
	fm_dx_result_release(&r);
}

static void test_fix_with_flink_size(void **st)
{
	(void)st;
	const char *kv[] = {"taskmanager.memory.process.size", "1728m", "taskmanager.memory.flink.size", "1280m",
			    "taskmanager.memory.task.heap.size", "384m", "taskmanager.memory.managed.size", "512m"};
	fm_dx_result r = run_conf("java.lang.OutOfMemoryError: Java heap space\n", kv, 4);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	/* the heap grows by what the process grows: both set sizes move */
	assert_int_equal(m->fix.after_tm.l.task_heap - m->fix.before_tm.l.task_heap,
			 m->fix.after_tm.l.total_process - m->fix.before_tm.l.total_process);
	assert_non_null(change_of(&m->fix, "taskmanager.memory.flink.size"));
	fm_dx_result_release(&r);
}

/* Sizes near INT64_MAX from the input reach the fixes: a -Xmx override of
 * 8388607t in the config with a large process, and network buffer counts
 * and a segment size at the int64 limit in the message. The fixes grow
 * them with saturating arithmetic (UBSan aborted in remedy.c before) and
 * say what they can; no layout is shown that Flink rejects. */
static void test_fix_sizes_near_int64_max(void **st)
{
	(void)st;
	static const char *const kv[] = {"taskmanager.memory.process.size", "64t", "jobmanager.memory.process.size",
					 "2g", "env.java.opts.taskmanager", "-Xmx8388607t"};
	fm_dx_result r = run_conf("java.lang.OutOfMemoryError: Java heap space\n", kv, 3);
	assert_true(r.a.n >= 1 && r.fix);
	assert_int_equal(r.a.v[0].failure, FM_F_HEAP);
	if (r.fix[0].has_fix && r.fix[0].fix_ok)
		assert_int_equal(r.fix[0].fix.after_tm.outcome, FM_DERIVED);
	fm_dx_result_release(&r);
	r = run("java.io.IOException: Insufficient number of network buffers: required 9223372036854775806, but only "
		"-9223372036854775806 available. The total number of network buffers is currently set to "
		"9223372036854775806 of 9223372036854775806 bytes each.\n",
		"trace.txt");
	assert_true(r.a.n >= 1 && r.fix);
	assert_int_equal(r.a.v[0].failure, FM_F_NETWORK);
	if (r.fix[0].has_fix && r.fix[0].fix_ok)
		assert_int_equal(r.fix[0].fix.after_tm.outcome, FM_DERIVED);
	fm_dx_result_release(&r);
}


static void test_rejected_pinned_not_shown(void **st)
{
	(void)st;
	/* overhead pinned to 192m and a fixed Flink size: more metaspace cannot fit
	 * into the same process size, so no pinned plan is shown */
	const char *kv[] = {"taskmanager.memory.process.size", "1728m", "taskmanager.memory.flink.size", "1280m",
			    "taskmanager.memory.jvm-overhead.min", "192m", "taskmanager.memory.jvm-overhead.max", "192m"};
	fm_dx_result r = run_conf("java.lang.OutOfMemoryError: Metaspace\n", kv, 4);
	const fm_remedy *m = &r.fix[0];
	assert_false(m->has_pinned);
	bool said = false;
	for (size_t i = 0; i < m->nnotes; i++)
		if (strstr(m->notes[i], "impossible"))
			said = true;
	assert_true(said);
	/* what is shown is accepted by Flink */
	assert_true(!m->has_fix || m->fix.after_tm.outcome == FM_DERIVED);
	fm_dx_result_release(&r);
}

/* The fix names the key of the part that ran out and keeps the derivation
 * valid by growing the total the config sets (texts: HotSpot's heap OOM,
 * Flink's TaskManagerExceptionUtils direct hint). */
static void test_fix_names_component_key(void **st)
{
	(void)st;
	fm_dx_result r = run("java.lang.OutOfMemoryError: Java heap space\n", "tm.log");
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_non_null(change_of(&m->fix, "taskmanager.memory.task.heap.size"));
	assert_non_null(change_of(&m->fix, "taskmanager.memory.process.size"));
	const fm_tm_layout *a = &m->fix.before_tm.l, *b = &m->fix.after_tm.l;
	assert_true(b->task_heap > a->task_heap && b->managed >= a->managed / (1 << 20) * (1 << 20) &&
		    b->network >= a->network / (1 << 20) * (1 << 20));
	fm_dx_result_release(&r);
	/* the JobManager: its heap key, and its process size grows by as much */
	r = run("java.lang.OutOfMemoryError: Java heap space. A heap space-related out-of-memory error has occurred. "
		"This can mean two things: either Flink Master requires a larger size of JVM heap space or there is a "
		"heap space memory leak.\n",
		"trace.txt");
	m = &r.fix[0];
	assert_true(m->jm && m->has_fix && m->fix_ok);
	assert_non_null(change_of(&m->fix, "jobmanager.memory.heap.size"));
	assert_int_equal(m->fix.after_jm.l.jvm_heap - m->fix.before_jm.l.jvm_heap,
			 m->fix.after_jm.l.total_process - m->fix.before_jm.l.total_process);
	fm_dx_result_release(&r);
	/* Flink's direct hint names both off-heap keys: the second is advice */
	r = run("java.lang.OutOfMemoryError: Direct buffer memory. The direct out-of-memory error has occurred. This can "
		"mean two things: either job(s) require(s) a larger size of JVM direct memory or there is a direct "
		"memory leak.\n",
		"tm.log");
	m = &r.fix[0];
	assert_non_null(change_of(&m->fix, "taskmanager.memory.task.off-heap.size"));
	assert_true(any_extra(m, "taskmanager.memory.framework.off-heap.size: "));
	fm_dx_result_release(&r);
}

/* The input names keys of the memory model before 1.10 (Flink's 1.5-1.9
 * NetworkBufferPool message names them): the fix also says it in those keys. */
/* text read as input name is seen as a release before 1.10, and the root
 * cause's fix also speaks that model's keys (extra starts one of them) */
static void expect_legacy_advice(const char *text, const char *name, const char *extra)
{
	fm_dx_result r = run(text, name);
	assert_true(r.a.legacy_keys >= 1);
	assert_true(r.a.root >= 0 && any_extra(&r.fix[r.a.root], extra));
	fm_dx_result_release(&r);
}

static void test_legacy_model_advice(void **st)
{
	(void)st;
	fm_dx_result r = run("java.io.IOException: Insufficient number of network buffers: required 17, but only 3 "
			     "available. The total number of network buffers is currently set to 4096 of 32768 bytes "
			     "each. You can increase this number by setting the configuration keys "
			     "'taskmanager.network.memory.fraction', 'taskmanager.network.memory.min', and "
			     "'taskmanager.network.memory.max'.\n",
			     "trace.txt");
	assert_int_equal(r.a.legacy_keys, 1);
	assert_true(any_extra(&r.fix[0], "taskmanager.network.memory.max: "));
	fm_dx_result_release(&r);
	/* a release before 1.10 named in the text or a jar speaks the same model */
	expect_legacy_advice("We run Flink 1.8 on YARN\njava.lang.OutOfMemoryError: Java heap space\n"
			     "\tat x.Y.z(Y.java:1) ~[flink-dist_2.11-1.8.0.jar:1.8.0]\n",
			     "tm.log", "taskmanager.heap.size: ");
	/* on Kubernetes 1.5-1.9 has no cut-off: the heap is what to size */
	r = run("Flink 1.8 standalone on Kubernetes\n    Last State:     Terminated\n      Reason:       OOMKilled\n"
		"      Exit Code:    137\n",
		"flink-taskmanager-describe.txt");
	assert_true(r.a.legacy_keys >= 1);
	assert_int_equal(r.a.v[r.a.root].failure, FM_F_K8S);
	assert_true(any_extra(&r.fix[r.a.root], "taskmanager.heap.size: "));
	assert_false(any_extra(&r.fix[r.a.root], "containerized.heap-cutoff-ratio: "));
	fm_dx_result_release(&r);
	r = run("Flink 1.18 and flink-dist-1.15.2.jar\njava.lang.OutOfMemoryError: Java heap space\n", "tm.log");
	assert_int_equal(r.a.legacy_keys, 0);
	fm_dx_result_release(&r);
	/* the legacy runtime's client prints state changes with a US date and a
	 * tab (ExecutionGraphMessages, 1.0-1.8): its keys are the old ones */
	expect_legacy_advice("03/04/2021 21:16:20\tCHAIN Join(Join at x(A.java:179)) -> Map (Map at x(A.java:179))(6/16) "
			     "switched to FAILED\njava.lang.IllegalArgumentException: More buffers requested available "
			     "than totally available.\n\tat org.apache.flink.runtime.operators.hash.MutableHashTable."
			     "ensureNumBuffersReturned(MutableHashTable.java:1333)\n",
			     "trace.txt", "taskmanager.memory.fraction: ");
	/* 1.4-1.9's start scripts check the old keys and name the one to set */
	expect_legacy_advice("[ERROR] Configured JobManager memory size is not a valid value. Please set "
			     "'jobmanager.heap.size' in flink-conf.yaml.\n",
			     "jm.log", "jobmanager.heap.size: ");
	r = run("2021-03-04 21:16:20,000 INFO org.apache.flink.runtime.executiongraph.ExecutionGraph [] - Join (6/16) "
		"switched from RUNNING to FAILED\n", "jm.log");
	assert_int_equal(r.a.legacy_keys, 0);
	fm_dx_result_release(&r);
	/* the keys of today's model do not count */
	r = run("java.io.IOException: Insufficient number of network buffers: required 65, but only 12 available. You can "
		"increase this number by setting the configuration keys 'taskmanager.memory.network.fraction', "
		"'taskmanager.memory.network.min', and 'taskmanager.memory.network.max'.\n",
		"trace.txt");
	assert_int_equal(r.a.legacy_keys, 0);
	assert_false(any_extra(&r.fix[0], "taskmanager.network.memory.max: "));
	fm_dx_result_release(&r);
}

/* A network target the fractions of a grown total would eat: the total
 * grows until Flink accepts the layout and nothing else shrinks. */
static void test_fix_grows_total_to_fit(void **st)
{
	(void)st;
	fm_dx_result r = run("java.io.IOException: Insufficient number of network buffers: required 2, but only 1 "
			     "available. The total number of network buffers is currently set to 32768 of 32768 bytes "
			     "each.\n",
			     "trace.txt");
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok);
	assert_non_null(change_of(&m->fix, "taskmanager.memory.network.max"));
	assert_true(m->fix.after_tm.l.network >= INT64_C(1025) << 20);
	assert_true(m->fix.after_tm.l.managed >= m->fix.before_tm.l.managed / (1 << 20) * (1 << 20));
	assert_true(m->fix.after_tm.l.task_heap >= m->fix.before_tm.l.task_heap);
	/* the fraction the message also names, checked against the same total */
	assert_true(any_extra(m, "taskmanager.memory.network.fraction: 0."));
	fm_dx_result_release(&r);
}

/* config-invalid with no config: the sizes in Flink's own exception
 * (TaskExecutorFlinkMemoryUtils, JobManagerFlinkMemoryUtils,
 * ProcessMemoryUtils) rebuild the config; the fix is the smallest healthy
 * total Flink accepts. */
static void test_config_fix_from_message(void **st)
{
	(void)st;
	fm_dx_result r = run("org.apache.flink.configuration.IllegalConfigurationException: TaskManager memory "
			     "configuration failed: Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), "
			     "Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Off-Heap Memory (0 bytes), "
			     "Managed Memory (25.600mb (26843546 bytes)) and Network Memory (64.000mb (67108864 bytes)) "
			     "exceed configured Total Flink Memory (64.000mb (67108864 bytes)).\n",
			     "trace.txt");
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	const fm_remedy *m = &r.fix[0];
	assert_true(m->has_fix && m->fix_ok && !m->jm);
	const fm_change *c = change_of(&m->fix, "taskmanager.memory.process.size");
	assert_non_null(c);
	assert_non_null(c->from); /* rebuilt: the process size that gave 64 MiB of Flink memory */
	assert_true(m->fix.after_tm.outcome == FM_DERIVED && m->fix.after_tm.l.total_flink > (INT64_C(64) << 20));
	assert_true(any_extra(m, "taskmanager.memory.flink.size: "));
	fm_dx_result_release(&r);

	r = run("org.apache.flink.configuration.IllegalConfigurationException: JobManager memory configuration failed: "
		"The configured Total Flink Memory (64.000mb (67108864 bytes)) is less than the configured Off-heap "
		"Memory (128.000mb (134217728 bytes)).\n",
		"trace.txt");
	m = &r.fix[0];
	assert_true(m->has_fix && m->jm);
	assert_non_null(change_of(&m->fix, "jobmanager.memory.process.size"));
	assert_true(m->fix.after_jm.outcome == FM_DERIVED);
	fm_dx_result_release(&r);

	/* overhead left between two fixed totals: its range is the advice */
	r = run("org.apache.flink.configuration.IllegalConfigurationException: TaskManager memory configuration failed: "
		"Derived JVM Overhead size (2.500gb (2684354560 bytes)) is not in configured JVM Overhead range "
		"[192.000mb (201326592 bytes), 1024.000mb (1073741824 bytes)].\n",
		"trace.txt");
	assert_true(any_extra(&r.fix[0], "taskmanager.memory.jvm-overhead.max: 2560m"));
	fm_dx_result_release(&r);

	/* the start script's wrapper line first, Flink's cause below it: the
	 * cause describes the incident (ProcessMemoryUtils'
	 * failBecauseRequiredOptionsNotConfigured) */
	r = run("[ERROR] Could not get JVM parameters and dynamic configurations properly.\n"
		"[ERROR] Raw output from BashJavaUtils:\n"
		"Exception in thread \"main\" org.apache.flink.configuration.IllegalConfigurationException: JobManager "
		"memory configuration failed: Either required fine-grained memory (jobmanager.memory.heap.size), or Total "
		"Flink Memory size (Key: 'jobmanager.memory.flink.size' , default: null (fallback keys: [])), or Total "
		"Process Memory size (Key: 'jobmanager.memory.process.size' , default: null (fallback keys: [])) need to "
		"be configured explicitly.\n",
		"trace.txt");
	assert_string_equal(r.a.v[0].sig->id, "CFG_REQUIRED");
	assert_non_null(change_of(&r.fix[0].fix, "jobmanager.memory.process.size"));
	fm_dx_result_release(&r);

	/* the operator's status.error JSON (FlinkResourceException) is a
	 * program's output wherever it is pasted, and the sizes of a message
	 * longer than the kept evidence text still reach the fix */
	r = run("# Error {\"type\":\"org.apache.flink.kubernetes.operator.exception.ReconciliationException\",\"message\":"
		"\"org.apache.flink.configuration.IllegalConfigurationException: TaskManager memory configuration failed: Sum "
		"of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb "
		"(134217728 bytes)), Task Off-Heap Memory (0 bytes), Managed Memory (100.800mb (105696462 bytes)) and Network "
		"Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory (252.000mb (264241152 bytes)).\"}\n",
		"trace.txt");
	assert_int_equal(r.a.n, 1);
	assert_int_equal(r.a.v[0].failure, FM_F_CONFIG);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_int_equal(r.a.v[0].nnum, 6);
	assert_int_equal(r.a.v[0].num[5], 264241152);
	assert_non_null(change_of(&r.fix[0].fix, "taskmanager.memory.process.size"));
	fm_dx_result_release(&r);

	/* a quote of ProcessMemoryUtils' text without its sizes is still that row */
	r = run("IllegalConfigurationException: Sum of configured JVM Metaspace and JVM Overhead exceed configured Total "
		"Process Memory\n",
		"trace.txt");
	assert_string_equal(r.a.v[0].sig->id, "CFG_METASPACE_OVERHEAD_EXCEED");
	assert_true(r.fix[0].has_fix);
	fm_dx_result_release(&r);
}

/* ---- logconf ---- */

static const char *tm_block =
	"INFO  [] - Final TaskExecutor Memory configuration:\n"
	"INFO  [] -   Total Process Memory:          1.688gb (1811939328 bytes)\n"
	"INFO  [] -     Total Flink Memory:          1.250gb (1342177280 bytes)\n"
	"INFO  [] -       Total JVM Heap Memory:     512.000mb (536870902 bytes)\n"
	"INFO  [] -         Framework:               128.000mb (134217728 bytes)\n"
	"INFO  [] -         Task:                    384.000mb (402653174 bytes)\n"
	"INFO  [] -       Total Off-heap Memory:     768.000mb (805306378 bytes)\n"
	"INFO  [] -         Managed:                 512.000mb (536870920 bytes)\n"
	"INFO  [] -         Total JVM Direct Memory: 256.000mb (268435458 bytes)\n"
	"INFO  [] -           Framework:             128.000mb (134217728 bytes)\n"
	"INFO  [] -           Task:                  0 bytes\n"
	"INFO  [] -           Network:               128.000mb (134217730 bytes)\n"
	"INFO  [] -     JVM Metaspace:               256.000mb (268435456 bytes)\n"
	"INFO  [] -     JVM Overhead:                192.000mb (201326592 bytes)\n";

static void test_logconf_block(void **st)
{
	(void)st;
	fm_dx_result r = run(tm_block, "tm.log");
	assert_non_null(r.rec.tm);
	assert_non_null(strstr(r.rec.tm_from, "Final TaskExecutor Memory configuration"));
	fm_tm_result t;
	assert_int_equal(fm_derive_tm(r.rec.tm, fm_profile_newest(), NULL, &t), FM_OK);
	assert_int_equal(t.outcome, FM_DERIVED);
	assert_int_equal(t.l.total_process, 1811939328);
	assert_int_equal(t.l.task_heap, 402653174);
	assert_int_equal(t.l.network, 134217730);
	assert_int_equal(t.l.managed, 536870920);
	assert_int_equal(t.l.metaspace, 268435456);
	assert_int_equal(t.l.overhead, 201326592);
	fm_tm_result_release(&t);
	fm_dx_result_release(&r);
	/* a block with a line missing is not used */
	char *cut = strdup(tm_block);
	char *p = strstr(cut, "Managed:");
	memset(p, 'X', 3);
	r = run(cut, "tm.log");
	assert_null(r.rec.tm);
	fm_dx_result_release(&r);
	free(cut);
}

static void test_logconf_jvm_and_dynamic(void **st)
{
	(void)st;
	fm_logconf *lc = fm_logconf_new();
	size_t n;
	const fm_sig *s = fm_signatures(&n);
	const char *lines[] = {
		"    -Xmx536870902",
		"    -XX:MaxMetaspaceSize=268435456",
		"    -XX:MaxMetaspaceSize=128m",
		"dynamic_configs: -D taskmanager.memory.network.min=134217730b -D taskmanager.memory.task.off-heap.size=0b "
		"-D taskmanager.memory.jvm-metaspace.size=268435456b -D taskmanager.memory.jvm-overhead.min=201326592b "
		"-D taskmanager.memory.framework.off-heap.size=134217728b -D taskmanager.memory.network.max=134217730b "
		"-D taskmanager.memory.framework.heap.size=134217728b -D taskmanager.memory.managed.size=536870920b "
		"-D taskmanager.memory.task.heap.size=402653174b -D taskmanager.memory.jvm-overhead.max=201326592b",
	};
	const char *ids[] = {"LAYOUT_JVM_FLAG", "LAYOUT_JVM_FLAG", "LAYOUT_JVM_FLAG", "LAYOUT_DYNAMIC"};
	for (size_t i = 0; i < 4; i++)
		assert_int_equal(fm_logconf_feed(lc, 0, "tm.log", &s[sig(ids[i])], lines[i], strlen(lines[i]), i + 1),
				 FM_OK);
	fm_process procs[1] = {FM_PROC_TM};
	fm_recovered rec;
	assert_int_equal(fm_logconf_result(lc, procs, 1, &rec), FM_OK);
	assert_int_equal(rec.tm_meta_override, 128 << 20);
	assert_int_equal(rec.tm_flink_meta, 268435456);
	assert_int_equal(rec.tm_xmx_override, -1);
	assert_int_equal(rec.nnotes, 1);
	assert_non_null(rec.tm);
	fm_tm_result t;
	assert_int_equal(fm_derive_tm(rec.tm, fm_profile_newest(), NULL, &t), FM_OK);
	assert_int_equal(t.outcome, FM_DERIVED);
	assert_int_equal(t.l.total_process, 1811939328); /* the sum of the -D sizes */
	assert_int_equal(t.l.task_heap, 402653174);
	fm_tm_result_release(&t);
	fm_recovered_release(&rec);
	fm_logconf_free(lc);
	assert_int_equal(fm_jvm_size("512m", 4), 512 << 20);
	assert_int_equal(fm_jvm_size("x", 1), -1);
	assert_int_equal(fm_jvm_size("99999999999999999999", 20), -1);
}

/* ---- inputs ---- */

static void test_detect(void **st)
{
	(void)st;
	assert_int_equal(fm_input_detect("\x1f\x8b\x08", 3), FM_IN_GZIP);
	assert_int_equal(fm_input_detect("  {\"a\":1}", 9), FM_IN_JSON);
	assert_int_equal(fm_input_detect("[1]", 3), FM_IN_JSON);
	assert_int_equal(fm_input_detect("# c\napiVersion: v1\n", 19), FM_IN_YAML);
	const char *d = "Name:         p\nNamespace:    n\n";
	assert_int_equal(fm_input_detect(d, strlen(d)), FM_IN_DESCRIBE);
	assert_int_equal(fm_input_detect("2024-01-01 INFO x\n", 18), FM_IN_LOG);
	assert_int_equal(fm_input_detect(" \n\t", 3), FM_IN_EMPTY);
	assert_int_equal(fm_input_detect("", 0), FM_IN_EMPTY);
	/* JSON Lines are a log of records, one per line (whatever the name);
	 * a document spread over lines, one record alone, or a first line cut
	 * inside a string stay JSON */
	const char *jl[] = {"{\"a\":\"x}\\\"\"}\n{\"a\":2}\n", "[1,[2]]\r\n\n  [3]\n"};
	for (int i = 0; i < 2; i++)
		assert_int_equal(fm_input_detect(jl[i], strlen(jl[i])), FM_IN_LOG);
	const char *doc[] = {"{\n \"a\": 1\n}\n", "{\"a\":1}\n", "{\"a\":1}\n\nnext\n", "{\"a\":\"b\n{\"c\":1}\n",
			     "{\"a\":1}} \n{\"b\":2}\n", "{\"a\":1} {\"b\":2}\n{\"c\":3}\n"};
	for (int i = 0; i < 6; i++)
		assert_int_equal(fm_input_detect(doc[i], strlen(doc[i])), FM_IN_JSON);
	/* ... and read past their first record when the file is named .json */
	expect_root("{\"logger\": \"org.apache.flink.runtime.taskexecutor.TaskExecutor\", \"message\": \"started\"}\n"
		    "{\"logger\": \"org.apache.flink.runtime.taskmanager.Task\", \"message\": \"Map (1/2) switched from "
		    "RUNNING to FAILED\", \"throwableInformation\": \"java.lang.OutOfMemoryError: Java heap space\\n\\tat "
		    "java.util.Arrays.copyOf(Arrays.java:3236)\"}\n",
		    "kda-app-log.json", FM_F_HEAP);
}

static void test_flatten(void **st)
{
	(void)st;
	const char *j = "{\"kind\": \"Pod\",\n \"metadata\": {\"name\": \"job-taskmanager-1-1\"},\n"
			" \"status\": {\"msg\": \"a\\nCaused by: b\"}}\n";
	fm_units u;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_input_flatten(j, strlen(j), "p.json", &u, &d), FM_OK);
	assert_int_equal(u.n, 1);
	assert_int_equal(u.v[0].proc, FM_PROC_TM);
	assert_int_equal(u.v[0].platform, FM_PLAT_K8S);
	assert_string_equal(u.v[0].instance, "job-taskmanager-1-1");
	assert_string_equal(u.v[0].text.data, "kind: Pod\nmetadata.name: job-taskmanager-1-1\nstatus.msg: a\nCaused by: b\n");
	assert_int_equal(u.v[0].nlines, 4);
	assert_int_equal(u.v[0].src[0], 1);
	assert_int_equal(u.v[0].src[1], 2);
	assert_int_equal(u.v[0].src[2], 3);
	assert_int_equal(u.v[0].src[3], 3);
	fm_units_release(&u);
	const char *list = "apiVersion: v1\nkind: List\nitems:\n- kind: Event\n  involvedObject: {name: a}\n  reason: X\n"
			   "- kind: Event\n  involvedObject: {name: b}\n  message: |\n    one\n    two\n";
	assert_int_equal(fm_input_flatten(list, strlen(list), "e.yaml", &u, &d), FM_OK);
	assert_int_equal(u.n, 2);
	assert_string_equal(u.v[1].instance, "b");
	/* the block scalar's lines map to their own source lines */
	assert_int_equal(u.v[1].src[u.v[1].nlines - 2], 10);
	fm_units_release(&u);
	const char *rest = "{\"root-exception\": \"java.lang.OutOfMemoryError: Java heap space\"}";
	assert_int_equal(fm_input_flatten(rest, strlen(rest), "x.json", &u, &d), FM_OK);
	assert_int_equal(u.v[0].proc, FM_PROC_TM);
	fm_units_release(&u);
	const char *bad = "{\"a\": [1, 2\n";
	assert_int_equal(fm_input_flatten(bad, strlen(bad), "bad.json", &u, &d), FM_ESYNTAX);
	assert_int_equal(d.line, 2);
	assert_string_equal(d.file, "bad.json");
	fm_diag_release(&d);
}

static void test_outside_processes(void **st)
{
	(void)st;
	/* the client's own OOM: reported as such, never the root cause, the client's fix */
	fm_dx_result r = run("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n"
			     "\tat java.util.Arrays.copyOf(Arrays.java:3332)\n"
			     "\tat org.apache.flink.client.cli.CliFrontend.main(CliFrontend.java:1161)\n",
			     "submit.log");
	assert_int_equal(r.a.root, -1);
	assert_int_equal(r.a.n, 1);
	assert_true(r.a.v[0].outside);
	assert_int_equal(r.a.v[0].proc, FM_PROC_CLIENT);
	assert_string_equal(fm_process_name(r.a.v[0].proc), "client");
	assert_false(r.fix[0].has_fix);
	assert_int_equal(r.fix[0].nextra, 1);
	assert_non_null(strstr(r.fix[0].changes_extra[0], "env.java.opts.client"));
	fm_dx_result_release(&r);
	/* frames of a submission that runs only in the client (ClusterClient.run /
	 * Client.run, JobClient.submitJobAndWait): the client's heap */
	expect_outside("java.lang.OutOfMemoryError: Java heap space\n"
		       "\tat java.util.Arrays.copyOf(Arrays.java:3332)\n"
		       "\tat org.apache.flink.runtime.jobgraph.JobGraph.uploadUserJars(JobGraph.java:555)\n"
		       "\tat org.apache.flink.client.program.ClusterClient.run(ClusterClient.java:462)\n",
		       FM_PROC_CLIENT);
	/* a Hazelcast member's operation thread (SeaTunnel's Zeta engine, Jet)
	 * failing a task "(8/10) ... to FAILED": another engine's task, outside */
	expect_outside("2024-09-28 23:08:41,104 ERROR [o.a.s.e.s.d.p.PhysicalVertex  ] [hz.main.generic-operation.thread-4] - "
		       "Job j (8924), Pipeline: [(1/1)], task: [pipeline-1 [Source[0]-Jdbc]-SourceTask (8/10)] turned from "
		       "state RUNNING to FAILED with Exception: com.hazelcast.core.HazelcastException: "
		       "java.lang.OutOfMemoryError: Java heap space\n",
		       FM_PROC_OTHER);
	/* a report naming the Kubernetes operator (and no cluster process) as what
	 * was OOMKilled: the operator's own pod */
	r = run("      Exit Code:    137\nFinally, the Kubernetes Operator was OOMKilled by OS;\n", "trace.txt");
	assert_int_equal(r.a.root, -1);
	bool op = false;
	for (size_t i = 0; i < r.a.n; i++)
		op |= r.a.v[i].outside && r.a.v[i].proc == FM_PROC_OPERATOR;
	assert_true(op);
	fm_dx_result_release(&r);
	/* the same client log printing a TaskManager's failure: the frames below the cause say TaskManager */
	r = run("2024-05-02 09:00:00,000 INFO  org.apache.flink.client.cli.CliFrontend [] - Starting Command Line Client\n"
		"Caused by: java.lang.OutOfMemoryError: Java heap space\n"
		"\tat java.util.HashMap.resize(HashMap.java:704)\n"
		"\tat org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:600)\n",
		"flink-user-client-host.log");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_false(r.a.v[0].outside);
	fm_dx_result_release(&r);
	/* another system's JVM (a Spark executor) and nothing of Flink: not a TaskManager's failure */
	r = run("24/05/02 11:00:00 ERROR Executor: Exception in task 3.0\njava.lang.OutOfMemoryError: Java heap space\n"
		"\tat org.apache.spark.executor.Executor$TaskRunner.run(Executor.scala:500)\n",
		"stderr");
	assert_int_equal(r.a.root, -1);
	assert_true(r.a.n == 1 && r.a.v[0].outside);
	assert_string_equal(fm_process_name(r.a.v[0].proc), "unknown");
	fm_dx_result_release(&r);
	/* a Pulsar broker's Netty running out of direct memory: server-side
	 * packages of another system (a TaskManager runs only Pulsar's client) */
	r = run("2024-05-02 11:00:00,000 ERROR org.apache.pulsar.broker.service.ServerCnx - failed\n"
		"io.netty.util.internal.OutOfDirectMemoryError: failed to allocate 16777216 byte(s) of direct memory "
		"(used: 1056964615, max: 1073741824)\n",
		"trace.txt");
	assert_int_equal(r.a.root, -1);
	assert_true(r.a.n == 1 && r.a.v[0].outside);
	fm_dx_result_release(&r);
	/* YARN's application-master kill in input that shows another framework
	 * (a Tez task) and nothing of Flink: YARN names every framework's AM so */
	r = run("Application application_1409135750325_48141 failed 2 times due to AM Container for "
		"appattempt_1409135750325_48141_000002 exited with exitCode: 143 due to: Container "
		"[pid=4733,containerID=container_1409135750325_48141_02_000001] is running beyond physical memory limits. "
		"Current usage: 2.0 GB of 2 GB physical memory used; 6.0 GB of 4.2 GB virtual memory used. Killing "
		"container.\n"
		"java.lang.OutOfMemoryError: GC overhead limit exceeded\n"
		"\tat org.apache.tez.runtime.task.TezTaskRunner2.run(TezTaskRunner2.java:100)\n",
		"yarn.txt");
	assert_int_equal(r.a.root, -1);
	for (size_t i = 0; i < r.a.n; i++)
		assert_true(r.a.v[i].outside || r.a.v[i].aftermath);
	fm_dx_result_release(&r);
	/* a job-submitter pod by its name */
	r = run("Name:         wc-job-submitter-x7k2p\nNamespace:    default\n    Last State:     Terminated\n"
		"      Reason:       OOMKilled\n      Exit Code:    137\n",
		"describe.txt");
	assert_int_equal(r.a.root, -1);
	assert_true(r.a.n >= 1 && r.a.v[0].outside);
	assert_int_equal(r.a.v[0].proc, FM_PROC_SUBMITTER);
	fm_dx_result_release(&r);
	/* the cluster's words in a pod name win over an outside-looking part */
	r = run("Name:         shop-client-taskmanager-1-1\nNamespace:    default\n    Last State:     Terminated\n"
		"      Reason:       OOMKilled\n      Exit Code:    137\n",
		"describe.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	fm_dx_result_release(&r);
	/* the operator reporting a JobManager pod's kill: the JobManager's */
	r = run("2024-05-02 09:00:00,000 o.a.f.k.o.o.d.ApplicationObserver [WARN ][default/basic] pod "
		"basic-jobmanager-7d9f-x2 terminated with exitCode=137, reason=OOMKilled\n",
		"operator.log");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	fm_dx_result_release(&r);
}

static void test_description_only(void **st)
{
	(void)st;
	/* a person's words, no program output: no kind is guessed, the note says what to collect */
	fm_dx_result r = run("Our TaskManager keeps running out of memory after a few days.\nWe use RocksDB and 4 slots, "
			     "any idea what to change?\n",
			     "question.txt");
	assert_int_equal(r.a.root, -1);
	assert_int_equal(r.a.n, 0);
	assert_true(any_note(&r, "no program output found"));
	assert_true(any_note(&r, "kubectl describe pod"));
	assert_true(any_note(&r, "dmesg"));
	assert_true(any_note(&r, "GC log"));
	fm_dx_result_release(&r);
	/* a log with nothing in it is program output: no such note */
	r = run("2024-05-02 10:00:00,000 INFO  org.apache.flink.runtime.taskexecutor.TaskExecutor [] - all good\n", "tm.log");
	assert_false(any_note(&r, "no program output found"));
	fm_dx_result_release(&r);
}

static void test_deepest_cause_in_chain(void **st)
{
	(void)st;
	/* a managed-memory wrapper whose cause is a heap OOM: the heap is the root */
	fm_dx_result r = run("2019-03-01 10:00:00,000 ERROR org.apache.flink.runtime.taskmanager.Task - Reduce (1/2) failed\n"
			     "org.apache.flink.runtime.memory.MemoryAllocationException: Could not allocate 32 pages. Only 0 pages "
			     "are remaining.\n"
			     "\tat org.apache.flink.runtime.memory.MemoryManager.allocatePages(MemoryManager.java:300)\n"
			     "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
			     "\tat org.apache.flink.core.memory.MemorySegmentFactory.allocateUnpooledSegment(MSF.java:80)\n",
			     "tm.log");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_HEAP);
	fm_dx_result_release(&r);
	/* a memory error on a log line starts its own trace: a later cause is not below it */
	r = run("2019-03-01 10:00:00,000 WARN  org.apache.flink.runtime.taskmanager.Task - Sink (1/2) switched from RUNNING "
		"to FAILED with failure cause: java.io.IOException: Insufficient number of network buffers: required 9, but "
		"only 2 available.\n"
		"2019-03-01 10:05:00,000 ERROR org.apache.flink.runtime.taskmanager.Task - later\n"
		"java.lang.RuntimeException: x\n"
		"Caused by: java.lang.OutOfMemoryError: Java heap space\n",
		"tm.log");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_NETWORK);
	fm_dx_result_release(&r);
}

/* The wrapper's frames above a "Caused by:" name the cause's process: an
 * exception chain lives in one JVM. A new log line ends that trace. */
static void test_wrapper_frames_name_process(void **st)
{
	(void)st;
	fm_dx_result r = run("org.apache.flink.runtime.rest.handler.RestHandlerException: Could not execute application.\n"
			     "\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:103)\n"
			     "\tat java.util.concurrent.CompletableFuture.uniHandle(CompletableFuture.java:822)\n"
			     "Caused by: java.util.concurrent.CompletionException: java.lang.OutOfMemoryError: Metaspace\n"
			     "\tat java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:273)\n",
			     "trace.txt");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].failure, FM_F_METASPACE);
	assert_int_equal(r.a.v[0].proc, FM_PROC_JM);
	assert_false(r.a.v[0].proc_assumed);
	fm_dx_result_release(&r);
	r = run("2019-03-01 10:00:00,000 ERROR org.apache.flink.runtime.webmonitor.handlers.JarRunHandler - failed\n"
		"\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.handleRequest(JarRunHandler.java:103)\n"
		"2019-03-01 10:05:00,000 ERROR org.apache.flink.util.FatalExitExceptionHandler - later: "
		"java.lang.OutOfMemoryError: Metaspace\n",
		"some.log");
	assert_int_equal(r.a.root, 0);
	assert_int_not_equal(r.a.v[0].proc, FM_PROC_JM);
	fm_dx_result_release(&r);
}

/* A guide's template of a message ("<pod-name>") is not the message;
 * "<init>" frames and describe's "<none>" stay program output. */
static void test_template_placeholders(void **st)
{
	(void)st;
	expect_no_root("Warning  OOMKilled  pod/<flink-taskmanager-pod>  Container flink-main-container in "
		       "taskmanager pod was OOMKilled (exit code 137) at <time-stamp>\n",
		       "events.txt");
	/* a start script's source (its variables unexpanded) and a tree a
	 * person drew */
	expect_no_root("if [[ ! ${FLINK_JM_HEAP_MB} =~ $IS_NUMBER ]]; then\n"
		       "    echo \"[ERROR] Configured JobManager memory size is not a valid value. Please set "
		       "'${KEY_JOBM_MEM_SIZE}' in ${FLINK_CONF_FILE}.\"\n",
		       "jobmanager.sh");
	expect_no_root("2024-05-02 10:00:00,000 INFO org.apache.flink.runtime.taskexecutor.TaskExecutor [] - Successful "
		       "registration at resource manager\nWhich OOM?\n"
		       "\xe2\x94\x9c\xe2\x94\x80\xe2\x94\x80 heap \xe2\x86\x92 java.lang.OutOfMemoryError: Java heap space\n"
		       "\xe2\x94\x82   \xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 raise taskmanager.memory.task.heap.size\n"
		       "\xe2\x94\x94\xe2\x94\x80\xe2\x94\x80 metaspace \xe2\x86\x92 java.lang.OutOfMemoryError: Metaspace\n",
		       "tm.log");
	/* a guide's table of problems */
	expect_no_root("| Problem | What to do |\n|---|---|\n"
		       "| TaskManagers keep restarting with `java.lang.OutOfMemoryError: Metaspace` in logs | raise the "
		       "metaspace |\n",
		       "guide.md");
	expect_root("2024-05-02 10:00:00,000 ERROR org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - Fatal\n"
		    "java.lang.OutOfMemoryError: Metaspace\n"
		    "\tat org.apache.flink.runtime.taskexecutor.TaskExecutor.<init>(TaskExecutor.java:300)\n"
		    "\tat java.util.List<none>.x(List.java:1)\n",
		    "tm.log", FM_F_METASPACE);
}

/* "ThreadPerTaskExecutor" (the JDK's) does not name Flink's TaskExecutor:
 * a trace that shows nothing of Flink is another JVM's */
static void test_flink_names_are_words(void **st)
{
	(void)st;
	expect_no_root("java.lang.OutOfMemoryError: unable to create new native thread\n"
		       "\tat java.lang.Thread.start0(Native Method)\n"
		       "\tat java.util.concurrent.CompletableFuture$ThreadPerTaskExecutor.execute(CompletableFuture.java:405)\n"
		       "\tat com.example.journal.StateMachine.apply(StateMachine.java:299)\n",
		       "trace.txt");
	expect_root("java.lang.OutOfMemoryError: unable to create new native thread\n"
		    "\tat java.lang.Thread.start0(Native Method)\n"
		    "\tat org.apache.flink.runtime.taskexecutor.TaskExecutor.start(TaskExecutor.java:1)\n",
		    "trace.txt", FM_F_NATIVE_THREAD);
}

static void test_eviction_vs_cgroup_kill(void **st)
{
	(void)st;
	fm_dx_result r = run("Name:         flink-taskmanager-1-5\nLabels:       component=taskmanager\nStatus:       Failed\n"
			     "Reason:       Evicted\nMessage:      The node was low on resource: memory. Threshold quantity: "
			     "100Mi, available: 88Mi.\n",
			     "describe.txt");
	assert_int_equal(r.a.root, 0);
	assert_true(r.a.v[0].evicted);
	assert_non_null(strstr(r.fix[0].explanation, "evicted"));
	assert_null(strstr(r.fix[0].explanation, "cgroup"));
	fm_dx_result_release(&r);
	r = run("Name:         flink-taskmanager-1-6\nLabels:       component=taskmanager\n    Last State:     Terminated\n"
		"      Reason:       OOMKilled\n      Exit Code:    137\n",
		"describe.txt");
	assert_int_equal(r.a.root, 0);
	assert_false(r.a.v[0].evicted);
	assert_non_null(strstr(r.fix[0].explanation, "cgroup memory limit"));
	fm_dx_result_release(&r);
	/* Flink's resource manager relays the pod's end in one line: an
	 * eviction for memory is an eviction (its use covered by the fix),
	 * one for disk, or a container the kubelet lost, is no memory kill */
	static const char relay[] =
		"2025-02-11 11:02:41,512 INFO  org.apache.flink.runtime.resourcemanager.active.ActiveResourceManager [] - "
		"Worker flink-session-taskmanager-1-3 is terminated. Diagnostics: Pod terminated, container termination "
		"statuses: [flink-main-container(exitCode=137, reason=ContainerStatusUnknown, message=The container could not "
		"be located when the pod was terminated)]%s\n";
	char buf[1024];
	snprintf(buf, sizeof buf, relay,
		 ", pod status: Failed(reason=Evicted, message=The node was low on resource: memory. Threshold quantity: "
		 "100Mi, available: 89236Ki. Container flink-main-container was using 2156432Ki, request is 1728Mi, has "
		 "larger consumption of memory.)");
	r = run(buf, "jobmanager.log");
	assert_int_equal(r.a.root, 0);
	assert_int_equal(r.a.v[0].proc, FM_PROC_TM);
	assert_true(r.a.v[0].evicted);
	assert_true(r.fix[0].has_fix && r.fix[0].fix.after_tm.l.total_process >= INT64_C(2156432) * 1024);
	fm_dx_result_release(&r);
	snprintf(buf, sizeof buf, relay,
		 ", pod status: Failed(reason=Evicted, message=The node was low on resource: ephemeral-storage. Threshold "
		 "quantity: 15796315985, available: 15273408Ki.)");
	expect_no_root(buf, "jobmanager.log");
	snprintf(buf, sizeof buf, relay, "");
	expect_no_root(buf, "jobmanager.log");
}

/* ---- budgets: grouping, structured inputs, partial failure (issue 11) ---- */

static char *kills_log(size_t n)
{
	fm_buf b = FM_BUF_INIT;
	for (size_t i = 0; i < n; i++) {
		char id[64];
		snprintf(id, sizeof id, "container_e10_1634010428940_125776_01_%06zu", i + 2);
		assert_int_equal(fm_buf_addf(&b, "2021-12-06 00:00:01,000 INFO  org.apache.flink.runtime.resourcemanager.active."
					     "ActiveResourceManager [] - Worker %s is terminated. Diagnostics: Container "
					     "[pid=1,containerID=%s] is running beyond physical memory limits. Current usage: "
					     "4.0 GB of 4 GB physical memory used; 6.2 GB of 8.4 GB virtual memory used. "
					     "Killing container.\n",
					     id, id),
			 FM_OK);
	}
	return fm_buf_detach(&b, NULL);
}

static void test_group_instances(void **st)
{
	(void)st;
	size_t n = FM_INSTANCES_MAX + 68;
	char *log = kills_log(n);
	fm_dx_result r = run(log, "jm.log");
	/* one incident for every container, not one each */
	assert_int_equal(r.a.n, 1);
	const fm_incident *x = &r.a.v[0];
	assert_int_equal(x->failure, FM_F_YARN);
	assert_int_equal(x->count, n);
	assert_int_equal(x->inst_total, n);
	assert_false(x->inst_capped);
	assert_int_equal(x->ninst, FM_INSTANCES_MAX);
	/* listed by where first seen, each with its own lines */
	assert_string_equal(x->instance, "container_e10_1634010428940_125776_01_000002");
	assert_string_equal(x->inst[0].name, x->instance);
	assert_string_equal(x->inst[FM_INSTANCES_MAX - 1].name, "container_e10_1634010428940_125776_01_000033");
	for (size_t k = 0; k < x->ninst; k++) {
		assert_int_equal(x->inst[k].count, 1);
		assert_int_equal(x->inst[k].first_line, k + 1);
		assert_int_equal(x->inst[k].last_line, k + 1);
	}
	assert_true(r.fix[0].has_fix); /* one fix for the group */
	fm_dx_result_release(&r);
	free(log);
}

static void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	assert_true(fputs(text, f) >= 0);
	assert_int_equal(fclose(f), 0);
}

static void test_group_merges_files(void **st)
{
	(void)st;
	/* the same failure in three TaskManager logs (two named by their
	 * header, one assumed): one incident with three instances, one fix */
	char dir[] = "/tmp/fm-groupXXXXXX";
	assert_non_null(mkdtemp(dir));
	char p[3][64];
	const char *paths[3];
	const char *hdr = "2024-03-01 10:00:00,000 INFO  org.apache.flink.runtime.taskexecutor.TaskManagerRunner [] - "
			  "Starting TaskManager (Version: 1.17.1, Scala: 2.12)\n";
	for (int i = 0; i < 3; i++) {
		snprintf(p[i], sizeof p[i], "%s/%c.log", dir, 'a' + i);
		paths[i] = p[i];
		fm_buf b = FM_BUF_INIT;
		assert_int_equal(fm_buf_addf(&b, "%sjava.lang.OutOfMemoryError: Java heap space\n", i < 2 ? hdr : ""), FM_OK);
		put_file(p[i], b.data);
		fm_buf_release(&b);
	}
	fm_dx_opts o = {0};
	o.scanner = get_scanner();
	o.jobs = 1;
	fm_dx_result r;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_diagnose(paths, 3, &o, &r, &d), FM_OK);
	assert_int_equal(r.a.n, 1);
	const fm_incident *x = &r.a.v[0];
	assert_int_equal(x->failure, FM_F_HEAP);
	assert_int_equal(x->proc, FM_PROC_TM);
	assert_false(x->proc_assumed); /* two logs name their process */
	assert_int_equal(x->count, 3);
	assert_int_equal(x->inst_total, 3);
	assert_int_equal(x->ninst, 3);
	assert_non_null(strstr(x->inst[0].name, "/a.log"));
	assert_non_null(strstr(x->inst[2].name, "/c.log"));
	assert_int_equal(x->inst[2].first_input, 2);
	fm_dx_result_release(&r);
	fm_diag_release(&d);
	for (int i = 0; i < 3; i++)
		remove(p[i]);
	rmdir(dir);
}

static void test_input_depth(void **st)
{
	(void)st;
	assert_int_equal(fm_input_depth("", 0), 0);
	assert_int_equal(fm_input_depth("[[{}]]", 6), 3);
	const char *q = "[\"[[[[\\\"[[\", 'x']";
	assert_int_equal(fm_input_depth(q, strlen(q)), 1);
	const char *y = "a: '[[ it''s [['\nb: x # [[[[\nc: [1]\n";
	assert_int_equal(fm_input_depth(y, strlen(y)), 1);
	const char *u = "]]]][";
	assert_int_equal(fm_input_depth(u, strlen(u)), 1);
}

static int count_unit(fm_unit *u, size_t chunk, void *ctx)
{
	size_t *c = ctx;
	c[0]++;
	if (chunk > c[1])
		c[1] = chunk;
	c[2] += u->text.len;
	return FM_OK;
}

static void test_flatten_budgets(void **st)
{
	(void)st;
	fm_diag d = FM_DIAG_INIT;
	fm_units u;
	/* too deep: refused before parsing, the message names the limit */
	char deep[2 * (FM_STRUCT_DEPTH_MAX + 1) + 1];
	memset(deep, '[', FM_STRUCT_DEPTH_MAX + 1);
	memset(deep + FM_STRUCT_DEPTH_MAX + 1, ']', FM_STRUCT_DEPTH_MAX + 1);
	deep[sizeof deep - 1] = '\0';
	assert_int_equal(fm_input_flatten(deep, strlen(deep), "d.json", &u, &d), FM_ETOOBIG);
	assert_non_null(strstr(d.msg, "nested deeper than 64 levels"));
	fm_diag_release(&d);
	deep[0] = ' '; /* one level less (and an unmatched bracket): parses */
	deep[sizeof deep - 2] = ' ';
	assert_int_equal(fm_input_flatten(deep, strlen(deep), "d.json", &u, &d), FM_OK);
	fm_units_release(&u);
	/* aliases are not expanded: 4^20 references stay a few lines */
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_buf_adds(&b, "a0: &a0 [x, x]\n"), FM_OK);
	for (int i = 1; i <= 20; i++)
		assert_int_equal(fm_buf_addf(&b, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d]\n", i, i, i - 1, i - 1, i - 1, i - 1), FM_OK);
	assert_int_equal(fm_input_flatten(b.data, b.len, "l.yaml", &u, &d), FM_OK);
	assert_int_equal(u.n, 1);
	assert_true(u.v[0].nlines == 2);
	fm_units_release(&u);
	fm_buf_release(&b);
	/* a large unit comes in pieces, a list in units */
	assert_int_equal(fm_buf_adds(&b, "{\"kind\": \"Pod\", \"a\": ["), FM_OK);
	for (int i = 0; i < 300000; i++)
		assert_int_equal(fm_buf_addf(&b, "%s\"line %06d of a long value\"", i ? "," : "", i), FM_OK);
	assert_int_equal(fm_buf_adds(&b, "]}"), FM_OK);
	size_t c[3] = {0, 0, 0};
	assert_int_equal(fm_input_flatten_each(b.data, b.len, "big.json", count_unit, c, &d), FM_OK);
	assert_true(c[0] >= 2 && c[1] == c[0] - 1); /* one unit, several pieces */
	assert_true(c[2] > b.len / 2 && c[2] < b.len * 2);
	fm_buf_release(&b);
	/* the expansion budget: long key paths on tiny values */
	assert_int_equal(fm_buf_adds(&b, "{\"kind\": \"Pod\", \""), FM_OK);
	for (int i = 0; i < 500; i++)
		assert_int_equal(fm_buf_addc(&b, 'k'), FM_OK);
	assert_int_equal(fm_buf_adds(&b, "\": ["), FM_OK);
	for (int i = 0; i < 20000; i++)
		assert_int_equal(fm_buf_adds(&b, i ? ",1" : "1"), FM_OK);
	assert_int_equal(fm_buf_adds(&b, "]}"), FM_OK);
	assert_int_equal(fm_input_flatten(b.data, b.len, "x.json", &u, &d), FM_ETOOBIG);
	assert_non_null(strstr(d.msg, "expands beyond"));
	fm_diag_release(&d);
	fm_buf_release(&b);
}

static void test_partial_inputs(void **st)
{
	(void)st;
	char dir[] = "/tmp/fm-partialXXXXXX";
	assert_non_null(mkdtemp(dir));
	char good[64], gz[64], missing[64];
	snprintf(good, sizeof good, "%s/tm.log", dir);
	snprintf(gz, sizeof gz, "%s/cut.gz", dir);
	snprintf(missing, sizeof missing, "%s/missing.log", dir);
	put_file(good, "java.lang.OutOfMemoryError: Java heap space\n");
	put_file(gz, "\x1f\x8b\x08\x00\x00\x00"); /* a gzip header, cut */
	fm_dx_opts o = {0};
	o.scanner = get_scanner();
	for (unsigned jobs = 1; jobs <= 2; jobs++) {
		o.jobs = jobs; /* one by one, and the parallel batch */
		const char *three[] = {good, gz, missing};
		fm_dx_result r;
		fm_diag d = FM_DIAG_INIT;
		assert_int_equal(fm_diagnose(three, 3, &o, &r, &d), FM_OK);
		assert_int_equal(r.a.root, 0);
		assert_int_equal(r.a.v[0].failure, FM_F_HEAP);
		assert_int_equal(r.ninput_errors, 2);
		fm_dx_result_release(&r);
		/* nothing readable: an error, and every failure listed */
		const char *two[] = {gz, missing};
		assert_int_not_equal(fm_diagnose(two, 2, &o, &r, &d), FM_OK);
		assert_int_equal(r.ninput_errors, 2);
		assert_int_equal(r.a.n, 0);
		fm_dx_result_release(&r);
		fm_diag_release(&d);
	}
	remove(good);
	remove(gz);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_log_time),
		cmocka_unit_test(test_group_instances),
		cmocka_unit_test(test_group_merges_files),
		cmocka_unit_test(test_input_depth),
		cmocka_unit_test(test_flatten_budgets),
		cmocka_unit_test(test_partial_inputs),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_event_make),
		cmocka_unit_test(test_signature_table),
		cmocka_unit_test(test_heartbeat_alone_is_not_memory),
		cmocka_unit_test(test_root_and_aftermath),
		cmocka_unit_test(test_eperm_lookalike),
		cmocka_unit_test(test_process_attribution),
		cmocka_unit_test(test_legacy_config_and_prose_kill),
		cmocka_unit_test(test_log_gutters),
		cmocka_unit_test(test_oom_shorthand_is_prose),
		cmocka_unit_test(test_soft_wrapped_mail),
		cmocka_unit_test(test_one_event_per_line),
		cmocka_unit_test(test_rocksdb_unmanaged_kill),
		cmocka_unit_test(test_network_fix_from_message),
		cmocka_unit_test(test_metaspace_fix_rederived),
		cmocka_unit_test(test_system_oom_rss_against_size),
		cmocka_unit_test(test_python_oom_victim),
		cmocka_unit_test(test_memcg_kill_beyond_layout),
		cmocka_unit_test(test_fix_with_flink_size),
		cmocka_unit_test(test_rejected_pinned_not_shown), cmocka_unit_test(test_fix_names_component_key),
		cmocka_unit_test(test_fix_grows_total_to_fit), cmocka_unit_test(test_legacy_model_advice), cmocka_unit_test(test_config_fix_from_message),
		cmocka_unit_test(test_fix_sizes_near_int64_max),
		cmocka_unit_test(test_logconf_block),
		cmocka_unit_test(test_logconf_jvm_and_dynamic),
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_flatten),
		cmocka_unit_test(test_outside_processes),
		cmocka_unit_test(test_description_only),
		cmocka_unit_test(test_eviction_vs_cgroup_kill),
		cmocka_unit_test(test_deepest_cause_in_chain),
		cmocka_unit_test(test_wrapper_frames_name_process),
		cmocka_unit_test(test_template_placeholders),
		cmocka_unit_test(test_flink_names_are_words),
		cmocka_unit_test(test_network_demand_note_by_release),
		cmocka_unit_test(test_metaspace_after_root_note),
		cmocka_unit_test(test_mixed_input_other_system_error),
		cmocka_unit_test(test_forst_unmanaged_kill),
		cmocka_unit_test(test_partial_jm_flags_fall_back_to_limit),
		cmocka_unit_test(test_shipper_record_names_pod),
		cmocka_unit_test(test_log_export_table),
		cmocka_unit_test(test_operator_relays_job_exception),
		cmocka_unit_test(test_pre_110_header),
		cmocka_unit_test(test_jm_vmem_kill_policy),
		cmocka_unit_test(test_outside_flag_by_kind),
		cmocka_unit_test(test_recovered_layout_fix_names_total),
		cmocka_unit_test(test_flinkdeployment_input_layout),
		cmocka_unit_test(test_local_minicluster_jvm),
		cmocka_unit_test(test_rest_exception_coordinator_frames),
		cmocka_unit_test(test_network_room_capped),
		cmocka_unit_test(test_heap_fix_no_part_smaller),
		cmocka_unit_test(test_jm_pinned_says_what_it_takes),
		cmocka_unit_test(test_sigterm_line),
		cmocka_unit_test(test_configmap_input_layout),
		cmocka_unit_test(test_direct_fix_from_jdk_limit),
		cmocka_unit_test(test_network_pool_over_direct_limit),
		cmocka_unit_test(test_memcg_limit_base),
		cmocka_unit_test(test_worker_pod_diagnostics),
		cmocka_unit_test(test_json_log_takes_file_process),
		cmocka_unit_test(test_exit_on_oom_line_alone),
		cmocka_unit_test(test_probe_kill_explains_137),
		cmocka_unit_test(test_python_zero_share),
		cmocka_unit_test(test_eviction_request_and_use),
		cmocka_unit_test(test_client_job_graph_heap),
		cmocka_unit_test(test_yarn_stderr_tail),
		cmocka_unit_test(test_throwable_fields),
		cmocka_unit_test(test_docker_inspect),
		cmocka_unit_test(test_config_led_kill_and_network_fixes),
		cmocka_unit_test(test_sidecar_kill),
		cmocka_unit_test(test_outside_flags_per_release),
		cmocka_unit_test(test_jm_native_thread_wording),
		cmocka_unit_test(test_get_pods_jobmanager_by_name),
		cmocka_unit_test(test_kernel_kill_of_yarn_container),
		cmocka_unit_test(test_batch_shuffle_pool_framework_off_heap),
		cmocka_unit_test(test_sidecar_kill_in_pod_object),
		cmocka_unit_test(test_quoted_oomkilled_word),
		cmocka_unit_test(test_hs_err_command_line_and_gc_thread),
		cmocka_unit_test(test_managed_fix_with_heap_backend),
		cmocka_unit_test(test_heap_pinned_respects_config_consumer),
		cmocka_unit_test(test_code_literal_fixture),
		cmocka_unit_test(test_invented_oom_sentence),
		cmocka_unit_test(test_exit_code_in_sentence),
		cmocka_unit_test(test_process_less_than_sum_fix),
		cmocka_unit_test(test_code_one_line_literals),
		cmocka_unit_test(test_shapeless_frame_illustration),
		cmocka_unit_test(test_inline_code_mention),
		cmocka_unit_test(test_source_line_declares),
		cmocka_unit_test(test_network_pool_over_direct),
		cmocka_unit_test(test_long_line_judged_whole),
		cmocka_unit_test(test_script_shell_error),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);
	fm_scanner_free(scanner);
	return rc;
}
