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

static void test_calls_with_literal(void **st)
{
	(void)st;
	assert_true(hands("printf(\"MemoryReservationException: at %s\\n\", p);"));
	assert_true(hands("LOG.error(\"java.lang.OutOfMemoryError: Direct buffer memory. The direct \" +"));
	assert_true(hands("System.err.println(\"java.lang.OutOfMemoryError: Java heap space\");"));
	assert_true(hands("return new MemoryAllocationException(\"Could not allocate \" + n + \" pages\");"));
	assert_true(hands("raise RuntimeError(\"Java heap space\")"));
	assert_true(hands("logger->warn(\"Cannot allocate memory\");   "));
	assert_true(hands("fmt::print(ctx, \"OOMKilled\", x) {"));
}

static void test_literal_continuing_a_call(void **st)
{
	(void)st;
	assert_true(hands("\"Java heap space. A heap space-related out-of-memory error has occurred.\"));"));
	assert_true(hands("\"Too few memory segments provided. Hash Join needs at least \" +"));
	assert_true(hands("\"Insufficient number of network buffers\")"));
}

static void test_printed_lines_are_not_code(void **st)
{
	(void)st;
	/* a logger's record, the JVM's own line, a frame, JSON members */
	assert_false(hands("2024-05-01 10:00:00,000 WARN  org.apache.flink.runtime.taskmanager.Task [] - "
			   "Source: in (1/1) switched from RUNNING to FAILED."));
	assert_false(hands("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space"));
	assert_false(hands("\tat java.nio.Bits.reserveMemory(Bits.java:175)"));
	assert_false(hands("\"message\": \"java.lang.OutOfMemoryError: Java heap space\","));
	assert_false(hands("\"java.util.concurrent.CompletionException: java.lang.OutOfMemoryError: Java heap space\","));
	/* a call's literal on a line that does not end as code does */
	assert_false(hands("Task(sink, \"java.lang.OutOfMemoryError: Java heap space"));
	assert_false(hands("print(\"\")x"));
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
		cmocka_unit_test(test_calls_with_literal),
		cmocka_unit_test(test_literal_continuing_a_call),
		cmocka_unit_test(test_printed_lines_are_not_code),
		cmocka_unit_test(test_nul_is_never_code),
		cmocka_unit_test(test_triple_quoted_ranges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
