/* test_jchain — exception chains as trees: Caused by / Suppressed / ...
 * N more, escaped traces inside one line, Python tracebacks carrying a Java
 * trace, the deepest memory cause and the process its frames name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/buf.h"
#include "flinkmem/jchain.h"

static fm_jtrace parse(const char *s)
{
	fm_jtrace t;
	assert_int_equal(fm_jchain_parse(s, strlen(s), &t), FM_OK);
	return t;
}

static void test_chain_tree(void **st)
{
	(void)st;
	fm_jtrace t = parse("2024-05-02 10:00:00,000 ERROR org.apache.flink.runtime.taskexecutor.TaskExecutor - boom\n"
			    "org.apache.flink.runtime.client.JobExecutionException: Job execution failed.\n"
			    "\tat org.apache.flink.runtime.jobmaster.JobResult.toJobExecutionResult(JobResult.java:144)\n"
			    "\tat java.util.concurrent.CompletableFuture.uniApply(CompletableFuture.java:616)\n"
			    "\tSuppressed: java.io.IOException: close failed\n"
			    "\t\tat org.apache.flink.util.IOUtils.closeAll(IOUtils.java:254)\n"
			    "Caused by: java.lang.RuntimeException: wrapped\n"
			    "\tat org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:600)\n"
			    "\t... 4 more\n"
			    "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
			    "\t... 12 more\n");
	assert_int_equal(t.n, 4);
	assert_string_equal(t.v[0].cls, "org.apache.flink.runtime.client.JobExecutionException");
	assert_string_equal(t.v[0].msg, "Job execution failed.");
	assert_int_equal(t.v[0].kind, FM_JN_TOP);
	assert_int_equal(t.v[0].nframes, 2);
	assert_int_equal(t.v[1].kind, FM_JN_SUPPRESSED);
	assert_int_equal(t.v[1].parent, 0);
	assert_int_equal(t.v[2].kind, FM_JN_CAUSE);
	assert_int_equal(t.v[2].parent, 0); /* a cause of the top, not of the suppressed one */
	assert_int_equal(t.v[2].more, 4);
	assert_int_equal(t.v[3].depth, 2);
	assert_int_equal(t.v[3].more, 12);
	int r = fm_jchain_memory_root(&t);
	assert_int_equal(r, 3);
	/* no frames of its own: the enclosing cause's StreamTask frame names the TaskManager */
	assert_int_equal(fm_jnode_process(&t, (size_t)r), FM_PROC_TM);
	/* JobResult (runtime.jobmaster) builds the client's exception: it names no process */
	assert_int_equal(fm_jnode_process(&t, 0), FM_PROC_UNKNOWN);
	fm_jtrace_release(&t);
}

static void test_deepest_memory_cause(void **st)
{
	(void)st;
	/* a memory wrapper over a deeper memory cause: the deeper one is the root */
	fm_jtrace t = parse("java.io.IOException: Insufficient number of network buffers: required 65, but only 12 available\n"
			    "\tat org.apache.flink.runtime.io.network.buffer.NetworkBufferPool.requestMemorySegments(NetworkBufferPool.java:495)\n"
			    "Caused by: java.lang.OutOfMemoryError: Direct buffer memory\n"
			    "\tat java.nio.Bits.reserveMemory(Bits.java:694)\n"
			    "Suppressed: java.lang.OutOfMemoryError: Metaspace\n");
	int r = fm_jchain_memory_root(&t);
	assert_true(r >= 0);
	assert_string_equal(t.v[r].msg, "Direct buffer memory");
	assert_int_equal(fm_jnode_process(&t, (size_t)r), FM_PROC_TM);
	fm_jtrace_release(&t);
	/* no memory cause at all */
	t = parse("java.lang.IllegalStateException: nope\n\tat a.b.C.d(C.java:1)\n");
	assert_int_equal(t.n, 1);
	assert_int_equal(fm_jchain_memory_root(&t), -1);
	fm_jtrace_release(&t);
}

static void test_escaped_in_one_line(void **st)
{
	(void)st;
	const char *line = "{\"root-exception\":\"java.lang.RuntimeException: task failed\\n\\tat "
			   "org.apache.flink.runtime.operators.BatchTask.run(BatchTask.java:100)\\nCaused by: "
			   "java.lang.OutOfMemoryError: Metaspace\\n\\tat java.lang.ClassLoader.defineClass1(Native Method)\\n\"}";
	assert_true(fm_jchain_escaped(line, strlen(line)));
	fm_jtrace t = parse(line);
	assert_int_equal(t.n, 2);
	assert_string_equal(t.v[0].cls, "java.lang.RuntimeException");
	assert_int_equal(t.v[1].kind, FM_JN_CAUSE);
	assert_string_equal(t.v[1].cls, "java.lang.OutOfMemoryError");
	assert_string_equal(t.v[1].frames[0], "java.lang.ClassLoader.defineClass1");
	assert_int_equal(fm_jchain_line_process(line, strlen(line)), FM_PROC_TM);
	assert_false(fm_jchain_escaped("plain text \\n here", 18));
	fm_jtrace_release(&t);
}

static void test_python_carries_java(void **st)
{
	(void)st;
	fm_jtrace t = parse("Traceback (most recent call last):\n"
			    "  File \"/home/u/job.py\", line 40, in <module>\n"
			    "    t_env.execute_sql(\"SELECT 1\").print()\n"
			    "py4j.protocol.Py4JJavaError: An error occurred while calling o12.print.\n"
			    ": java.lang.OutOfMemoryError: Java heap space\n"
			    "\tat java.util.Arrays.copyOf(Arrays.java:3332)\n"
			    "\tat org.apache.flink.client.cli.CliFrontend.main(CliFrontend.java:1161)\n");
	assert_int_equal(t.n, 2);
	assert_true(t.v[0].python);
	assert_string_equal(t.v[0].cls, "py4j.protocol.Py4JJavaError");
	assert_int_equal(t.v[0].nframes, 1);
	assert_int_equal(t.v[1].kind, FM_JN_CAUSE);
	assert_int_equal(t.v[1].parent, 0);
	assert_int_equal(fm_jchain_memory_root(&t), 1);
	assert_int_equal(fm_jnode_process(&t, 1), FM_PROC_CLIENT);
	fm_jtrace_release(&t);
	/* a Python worker's own MemoryError */
	t = parse("Traceback (most recent call last):\n  File \"w.py\", line 3, in f\n    x = [0] * 10**12\nMemoryError\n");
	assert_int_equal(t.n, 1);
	assert_true(fm_jnode_memory(&t.v[0]));
	fm_jtrace_release(&t);
}

static void test_thread_and_inline(void **st)
{
	(void)st;
	fm_jtrace t = parse("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n"
			    "\tat java.util.Arrays.copyOf(Arrays.java:3332)\n"
			    "\tat org.apache.beam.runners.flink.FlinkJobServerDriver.main(FlinkJobServerDriver.java:70)\n");
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0].thread, "main");
	assert_int_equal(fm_jnode_process(&t, 0), FM_PROC_JOB_SERVER);
	fm_jtrace_release(&t);
	/* an exception named inside a log line; the task thread names the TaskManager */
	t = parse("2024-05-02 10:05:00,123 WARN  org.apache.flink.runtime.taskmanager.Task [] - Map (2/4)#0 (8f) switched "
		  "from RUNNING to FAILED with failure cause: java.lang.OutOfMemoryError: GC overhead limit exceeded\n");
	assert_int_equal(t.n, 1);
	assert_string_equal(t.v[0].msg, "GC overhead limit exceeded");
	fm_jtrace_release(&t);
	t = parse("Exception in thread \"Map (2/4)#0\" java.lang.OutOfMemoryError: Java heap space\n");
	assert_int_equal(fm_jnode_process(&t, 0), FM_PROC_TM);
	fm_jtrace_release(&t);
	/* a jar run from the web UI: main() runs inside the JobManager */
	t = parse("java.lang.OutOfMemoryError: Java heap space\n"
		  "\tat org.apache.flink.client.program.PackagedProgram.callMainMethod(PackagedProgram.java:288)\n"
		  "\tat org.apache.flink.runtime.webmonitor.handlers.JarRunHandler.lambda$handleRequest$1(JarRunHandler.java:103)\n");
	assert_int_equal(fm_jnode_process(&t, 0), FM_PROC_JM);
	fm_jtrace_release(&t);
}

static void test_bounded(void **st)
{
	(void)st;
	size_t n = 400;
	size_t cap = n * 96 + 64; /* each cause below takes < 96 bytes */
	char *s = malloc(cap);
	assert_non_null(s);
	size_t k = (size_t)snprintf(s, cap, "java.lang.RuntimeException: top\n");
	for (size_t i = 0; i < n; i++) {
		k += (size_t)snprintf(s + k, cap - k, "Caused by: java.lang.RuntimeException: level %zu\n\tat a.B.c(B.java:1)\n", i);
		assert_true(k < cap);
	}
	fm_jtrace t;
	assert_int_equal(fm_jchain_parse(s, k, &t), FM_OK);
	assert_int_equal(t.n, FM_JNODES_MAX);
	fm_jtrace_release(&t);
	/* a long message is capped */
	memset(s, 'x', n * 64);
	memcpy(s, "java.lang.OutOfMemoryError: ", 28);
	s[n * 64] = '\0'; /* one long line, within cap */
	t = parse(s);
	assert_int_equal(t.n, 1);
	assert_true(strlen(t.v[0].msg) <= FM_JMSG_MAX);
	fm_jtrace_release(&t);
	free(s);
	/* nothing to parse */
	t = parse("");
	assert_int_equal(t.n, 0);
	fm_jtrace_release(&t);
	fm_jtrace_release(NULL);
}

/* A Throwable as JSON fields: every producer's key pair, either order,
 * escapes undone; a class that is not a Throwable, or a message under
 * another pair's key, gives nothing. */
static void test_split_fields(void **state)
{
	(void)state;
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"{\"type\":\"org.apache.flink.kubernetes.operator.exception.ReconciliationException\",\"message\":\"x\","
		 "\"throwableList\":[{\"type\":\"java.lang.OutOfMemoryError\",\"message\":\"Java heap space\"}]}",
		 "org.apache.flink.kubernetes.operator.exception.ReconciliationException: x\n"
		 "java.lang.OutOfMemoryError: Java heap space\n"},
		{"\"thrown\":{\"localizedMessage\":\"Metaspace\",\"message\":\"Metaspace\",\"name\":\"java.lang.OutOfMemoryError\"}",
		 "java.lang.OutOfMemoryError: Metaspace\n"},
		{"{\"exception\" : {\"exception_class\" : \"java.lang.OutOfMemoryError\", \"exception_message\" : "
		 "\"Direct buffer memory\\nmore\"}}",
		 "java.lang.OutOfMemoryError: Direct buffer memory more\n"},
		{"{\"message\":\"log\",\"error.type\":\"java.lang.OutOfMemoryError\",\"error.message\":\"GC overhead limit "
		 "exceeded\"}",
		 "java.lang.OutOfMemoryError: GC overhead limit exceeded\n"},
		{"{\"name\":\"flink-main-container\",\"message\":\"OOMKilled\"}", ""},
		{"{\"error.type\":\"java.lang.OutOfMemoryError\",\"message\":\"Java heap space\"}", ""},
		{"{\"type\":\"java.lang.OutOfMemoryError\",\"message\":\"unterminated", ""},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		fm_buf b = FM_BUF_INIT;
		int k = fm_jchain_split_fields(cases[i].in, strlen(cases[i].in), &b);
		assert_true(k >= 0);
		assert_int_equal(b.len, strlen(cases[i].want));
		if (b.len)
			assert_memory_equal(b.data, cases[i].want, b.len);
		fm_buf_release(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_chain_tree),       cmocka_unit_test(test_deepest_memory_cause),
		cmocka_unit_test(test_escaped_in_one_line), cmocka_unit_test(test_python_carries_java),
		cmocka_unit_test(test_thread_and_inline), cmocka_unit_test(test_bounded),
		cmocka_unit_test(test_split_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
