/* codelit: which single lines are source handing a string literal to code
 * (the text a program will print) and which are a run's printed output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/codelit.h"

static bool hands(const char *line)
{
	return fm_code_hands_literal(line, line + strlen(line));
}

/* source handing a literal to code: a call given one, or a literal that
 * closes a call or is joined by "+" */
static const char *const code_lines[] = {
	"printf(\"MemoryReservationException: at %s\\n\", p);",
	"LOG.error(\"java.lang.OutOfMemoryError: Direct buffer memory. The direct \" +",
	"System.err.println(\"java.lang.OutOfMemoryError: Java heap space\");",
	"return new MemoryAllocationException(\"Could not allocate \" + n + \" pages\");",
	"raise RuntimeError(\"Java heap space\")",
	"logger->warn(\"Cannot allocate memory\");   ",
	"fmt::print(ctx, \"OOMKilled\", x) {",
	"assertThat(e).hasMessageContaining(\"java.lang.OutOfMemoryError: Metaspace\");",
	".hasMessageContaining(\"Insufficient number of network buffers: required 2, but only 0 available\");",
	"assertThatThrownBy(() -> env.execute()).hasMessage(\"Direct buffer memory\");",
	"String expected = \"Insufficient number of network buffers: required 64, but only 12 available\";",
	"private static final String MSG = \"java.lang.OutOfMemoryError: Java heap space\";",
	"OOM_TEXT = \"java.lang.OutOfMemoryError: Metaspace\"",
	"msg := \"OOMKilled\"",
	"Map<String, String> m = \"Direct buffer memory\" +",
	"if (msg.contains(\"Java heap space\")) {",
	"} else if (cause.getMessage().startsWith(\"Metaspace\")) {",
	"\"Java heap space. A heap space-related out-of-memory error has occurred.\"));",
	"\"Too few memory segments provided. Hash Join needs at least \" +",
	"\"Insufficient number of network buffers\")",
};

/* printed lines: a logger's record, the JVM's own line, a frame, JSON
 * members, and a call's literal on a line that does not end as code does */
static const char *const output_lines[] = {
	"2024-05-01 10:00:00,000 WARN  org.apache.flink.runtime.taskmanager.Task [] - Source: in (1/1) switched "
	"from RUNNING to FAILED.",
	"Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space",
	"\tat java.nio.Bits.reserveMemory(Bits.java:175)",
	"\"message\": \"java.lang.OutOfMemoryError: Java heap space\",",
	"\"java.util.concurrent.CompletionException: java.lang.OutOfMemoryError: Java heap space\",",
	"Task(sink, \"java.lang.OutOfMemoryError: Java heap space",
	"print(\"\")x",
	/* logfmt's key="value", an assignment that goes on after its literal,
	 * a chain that does not go on as calls do */
	"time=2024-05-01T10:00:00Z level=error msg=\"java.lang.OutOfMemoryError: Java heap space\"",
	"reason = \"OOMKilled\" at 10:00",
	"Exception in thread \"main\" = \"x\";",
	"Source (1/1) (e2c9) switched from RUNNING to FAILED (\"Java heap space\");",
	". \"Java heap space\");",
};

static void test_source_and_output_lines(void **st)
{
	(void)st;
	for (size_t i = 0; i < sizeof code_lines / sizeof code_lines[0]; i++)
		if (!hands(code_lines[i]))
			fail_msg("read as output: %s", code_lines[i]);
	for (size_t i = 0; i < sizeof output_lines / sizeof output_lines[0]; i++)
		if (hands(output_lines[i]))
			fail_msg("read as source: %s", output_lines[i]);
}

/* [p, e) need not end in NUL, and a NUL byte inside is no ';' or ')':
 * strchr() matches its own terminator, which once made "x(\"a\0" code. */
static void test_nul_is_never_code(void **st)
{
	(void)st;
	static const char nul_end[] = "Task(sink, \"java.lang.OutOfMemoryError: Java heap space\0";
	assert_false(fm_code_hands_literal(nul_end, nul_end + sizeof nul_end - 1));
	static const char nul_arg[] = "\"Java heap space\"\0";
	assert_false(fm_code_hands_literal(nul_arg, nul_arg + sizeof nul_arg - 1));
	/* the bound is e, not a terminator: the same call cut before its ";" */
	static const char cut[] = "System.err.println(\"Java heap space\");";
	assert_true(fm_code_hands_literal(cut, cut + sizeof cut - 1));
	assert_false(fm_code_hands_literal(cut, cut + 20));
}

/* Triple-quoted literals opened in code: the lines they span. */
static void test_triple_quoted_ranges(void **st)
{
	(void)st;
	const char *t = "LOG = \"\"\"\njava.lang.OutOfMemoryError: Java heap space\n\"\"\"\nprint(LOG)\n";
	uint64_t r[4][2];
	assert_int_equal(fm_code_literals(t, strlen(t), r, 4), 1);
	assert_int_equal(r[0][0], 1);
	assert_int_equal(r[0][1], 3);
	/* a docstring's quotes open no literal in code */
	const char *d = "\"\"\"\nThe TaskManager fails with Java heap space.\n\"\"\"\n";
	assert_int_equal(fm_code_literals(d, strlen(d), r, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_source_and_output_lines),
		cmocka_unit_test(test_nul_is_never_code),
		cmocka_unit_test(test_triple_quoted_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
