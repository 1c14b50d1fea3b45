/* unwrap: which lines of pasted text are joined (format=flowed spaces, a
 * paragraph filled to one width) and which never are (frames, log lines,
 * config entries, short text), and the map back to source lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/unwrap.h"

/* Joined text of in, or NULL when nothing was joined. */
static char *joined(const char *in, fm_unwrapped *u)
{
	assert_int_equal(fm_unwrap(in, strlen(in), u), 0);
	return u->text;
}

/* in is undone into exactly want, one map entry per output line. */
static void undone(const char *in, const char *want, fm_unwrapped *u)
{
	assert_non_null(joined(in, u));
	assert_string_equal(u->text, want);
	size_t lines = 0;
	for (const char *q = want; *q; q++)
		lines += *q == '\n';
	assert_int_equal(u->nlines, lines);
}

static void test_flowed_quote(void **state)
{
	(void)state;
	fm_unwrapped u;
	const char *in = "hello\n"
			 "> Caused by: org.apache.flink.configuration.IllegalConfigurationException: \n"
			 "> Sum of configured Framework Heap Memory (128.000mb) exceed the total\n"
			 "thanks\n";
	/* the quote mark goes too: the reply quotes the log as printed */
	undone(in, "hello\n"
				    "Caused by: org.apache.flink.configuration.IllegalConfigurationException: "
				    "Sum of configured Framework Heap Memory (128.000mb) exceed the total\n"
				    "thanks\n", &u);
	assert_int_equal(u.map[0], 1);
	assert_int_equal(u.map[1], 2);
	assert_int_equal(u.map[2], 4);
	fm_unwrapped_release(&u);
}

/* A Throwable written as JSON fields (log4j2's JsonLayout: "message" before
 * "name"): the line a JVM prints for it follows, from the same source line. */
static void test_split_throwable(void **state)
{
	(void)state;
	fm_unwrapped u;
	const char *in = "{\"level\":\"INFO\",\"message\":\"ok\"}\n"
			 "{\"level\":\"ERROR\",\"thrown\":{\"commonElementCount\":0,\"localizedMessage\":\"Metaspace\","
			 "\"message\":\"Metaspace\",\"name\":\"java.lang.OutOfMemoryError\"}}\n";
	undone(in,
	       "{\"level\":\"INFO\",\"message\":\"ok\"}\n"
	       "{\"level\":\"ERROR\",\"thrown\":{\"commonElementCount\":0,\"localizedMessage\":\"Metaspace\","
	       "\"message\":\"Metaspace\",\"name\":\"java.lang.OutOfMemoryError\"}}\n"
	       "java.lang.OutOfMemoryError: Metaspace\n",
	       &u);
	assert_int_equal(u.nlines, 3);
	assert_int_equal(u.map[1], 2);
	assert_int_equal(u.map[2], 2);
	fm_unwrapped_release(&u);
}

/* A code block wrapped at 72 columns without trailing spaces: each line
 * stops where the next word would not have fitted. */
static void test_filled_paragraph(void **state)
{
	(void)state;
	fm_unwrapped u;
	const char *in = "The operator log says:\n"
			 "\n"
			 "IllegalConfigurationException: TaskManager memory configuration failed:\n"
			 "Sum of configured Framework Heap Memory (128.000mb), Framework Off-Heap\n"
			 "Memory (128.000mb), Task Off-Heap Memory (0 bytes), Managed Memory\n"
			 "(128.000mb) and Network Memory (64.000mb) exceed configured Total Flink\n"
			 "Memory (320.000mb).\n"
			 "\n"
			 "So I raised it.\n";
	undone(in, "The operator log says:\n"
				    "\n"
				    "IllegalConfigurationException: TaskManager memory configuration failed: Sum of "
				    "configured Framework Heap Memory (128.000mb), Framework Off-Heap Memory "
				    "(128.000mb), Task Off-Heap Memory (0 bytes), Managed Memory (128.000mb) and "
				    "Network Memory (64.000mb) exceed configured Total Flink Memory (320.000mb).\n"
				    "\n"
				    "So I raised it.\n", &u);
	assert_int_equal(u.map[2], 3);
	assert_int_equal(u.map[3], 8);
	assert_int_equal(u.map[4], 9);
	fm_unwrapped_release(&u);
}

/* Lines that a filling test would join but that are structure or records. */
/* An exception's message wrapped under its fully qualified class: the
 * class line starts the record and its message lines join it. */
static void test_filled_exception(void **state)
{
	(void)state;
	fm_unwrapped u;
	const char *in = "org.apache.flink.configuration.IllegalConfigurationException: TaskManager\n"
			 "memory configuration failed: Sum of configured Framework Heap Memory\n"
			 "(128.000mb), Framework Off-Heap Memory (128.000mb), Task Off-Heap Memory\n"
			 "(0 bytes) exceed configured Total Flink Memory (320.000mb).\n"
			 "java.lang.OutOfMemoryError: Java heap space while it was still running\n";
	undone(in, "org.apache.flink.configuration.IllegalConfigurationException: TaskManager memory "
				    "configuration failed: Sum of configured Framework Heap Memory (128.000mb), Framework "
				    "Off-Heap Memory (128.000mb), Task Off-Heap Memory (0 bytes) exceed configured Total "
				    "Flink Memory (320.000mb).\n"
				    "java.lang.OutOfMemoryError: Java heap space while it was still running\n", &u);
	fm_unwrapped_release(&u);
}

static void test_never_joined(void **state)
{
	(void)state;
	fm_unwrapped u;
	/* config entries of one file */
	assert_null(joined("taskmanager.memory.jvm-overhead.fraction: 0.1 # of the process size here\n"
			   "taskmanager.memory.managed.consumer-weights: OPERATOR:70,STATE_BACKEND:70\n"
			   "taskmanager.memory.jvm-metaspace.size: 256m  # the class metadata of jobs\n"
			   "taskmanager.memory.network.fraction: 0.1 # of the total Flink memory size\n",
			   &u));
	/* log lines without a date (BashJavaUtils' output) */
	assert_null(joined("INFO  [] - Loading configuration property: taskmanager.memory.process.size, 1728m\n"
			   "INFO  [] - Final TaskExecutor Memory configuration: printed right below this\n"
			   "INFO  [] -   Total Process Memory:          1.688gb (1811939328 bytes)\n",
			   &u));
	/* a trace: frames and causes start records */
	assert_null(joined("java.lang.OutOfMemoryError: Java heap space, while the job was still running fine\n"
			   "\tat org.apache.flink.streaming.runtime.tasks.StreamTask.invoke(StreamTask.java:1)\n"
			   "\tat org.apache.flink.runtime.taskmanager.Task.doRun(Task.java:2) and some more\n"
			   "Caused by: java.lang.OutOfMemoryError: Java heap space in the deeper cause\n",
			   &u));
	/* list items and a table */
	assert_null(joined("- the TaskManager was killed with exit code 137 after running for two days\n"
			   "- the JobManager log shows a heartbeat timeout from that TaskManager then\n"
			   "- the pod's memory limit was 4Gi while the process size was set to 4096m\n",
			   &u));
	assert_null(joined("| taskmanager.memory.process.size | 4096m | the size of the whole process |\n"
			   "| taskmanager.memory.managed.fraction | 0.4 | of the total Flink memory |\n"
			   "| taskmanager.memory.network.fraction | 0.1 | of the total Flink memory |\n",
			   &u));
	/* kubectl describe's aligned fields, pasted into a plain report */
	assert_null(joined("      State:        Terminated: the container was stopped by the kubelet after\n"
			   "      Reason:       OOMKilled because it used more than its memory limit of\n"
			   "      Exit Code:    137 and the pod was restarted by its controller right away\n",
			   &u));
	/* columns of kubectl get */
	assert_null(joined("NAME                                READY   STATUS      RESTARTS      AGE\n"
			   "flink-taskmanager-1-1               0/1     OOMKilled   5 (2m ago)    1h\n"
			   "flink-jobmanager-6c8d9b7b8-x2x4z    1/1     Running     0             1h\n",
			   &u));
	/* two lines only, and short lines: nothing says they were wrapped */
	assert_null(joined("IllegalConfigurationException: TaskManager memory configuration failed:\n"
			   "Sum of configured Framework Heap Memory (128.000mb) exceeds the total.\n",
			   &u));
	assert_null(joined("short\nlines\nthat never\nfill a width\n", &u));
}

/* A reply's quote marks go from every line, joined or not. */
static void test_quote_marks(void **state)
{
	(void)state;
	fm_unwrapped u;
	const char *in = "On Mon, someone wrote:\n"
			 "> java.lang.OutOfMemoryError: Metaspace\n"
			 "> > \tat java.lang.ClassLoader.defineClass1(Native Method)\n"
			 ">>Caused by: x\n";
	undone(in, "On Mon, someone wrote:\n"
				    "java.lang.OutOfMemoryError: Metaspace\n"
				    "\tat java.lang.ClassLoader.defineClass1(Native Method)\n"
				    "Caused by: x\n", &u);
	assert_int_equal(u.map[3], 4);
	fm_unwrapped_release(&u);
}

/* HTML entities of a page's markup, named and numeric; an unknown or
 * unterminated one, a bare '&' and a code past ASCII stay as written. */
static void test_entities(void **state)
{
	(void)state;
	fm_unwrapped u;
	const char *in = "Container [pid=1,containerID=c_1] is running beyond &#39;PHYSICAL&#x27; memory limits.\n"
			 "at A.&lt;init&gt;(A.java:1) &quot;x&quot; &amp;amp; &bogus; &#233; a & b &lt\n";
	undone(in, "Container [pid=1,containerID=c_1] is running beyond 'PHYSICAL' memory limits.\n"
				    "at A.<init>(A.java:1) \"x\" &amp; &bogus; &#233; a & b &lt\n", &u);
	fm_unwrapped_release(&u);
}

/* A trace on one line (a page lost its breaks) is split before its frames,
 * causes and elision, every piece mapped to that line; one frame in a
 * sentence is not a lost trace. */
static void test_one_line_trace(void **state)
{
	(void)state;
	fm_unwrapped u;
	const char *in = "before\n"
			 "Exception in thread \"main\" java.lang.RuntimeException: boom at a.B.c(B.java:1) at "
			 "d.E.f(E.java:2) Caused by: java.lang.OutOfMemoryError: Java heap space at g.H.i(H.java:3) ... 4 more\n"
			 "we looked at it.Then(we) at noon\n";
	undone(in, "before\n"
				    "Exception in thread \"main\" java.lang.RuntimeException: boom\n"
				    "at a.B.c(B.java:1)\n"
				    "at d.E.f(E.java:2)\n"
				    "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
				    "at g.H.i(H.java:3)\n"
				    "... 4 more\n"
				    "we looked at it.Then(we) at noon\n", &u);
	for (size_t i = 1; i < 7; i++)
		assert_int_equal(u.map[i], 2);
	assert_int_equal(u.map[7], 3);
	fm_unwrapped_release(&u);
}

/* A terminal's colour sequences go; a lone ESC or an unfinished sequence
 * stays as written. */
static void test_terminal_colour(void **state)
{
	(void)state;
	fm_unwrapped u;
	const char *in = "\x1b[36mflink-taskmanager-1\x1b[0m \x1b[1;31mERROR\x1b[0m x\n"
			 "\x1b plain \x1b[12\n";
	undone(in, "flink-taskmanager-1 ERROR x\n"
				    "\x1b plain \x1b[12\n", &u);
	fm_unwrapped_release(&u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_flowed_quote),
		cmocka_unit_test(test_filled_paragraph),
		cmocka_unit_test(test_filled_exception),
		cmocka_unit_test(test_never_joined),
		cmocka_unit_test(test_quote_marks),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_one_line_trace),
		cmocka_unit_test(test_terminal_colour),
		cmocka_unit_test(test_split_throwable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
