/* test_conf_yaml — the config.yaml reader against Flink 1.19+ behaviour
 * (snakeyaml-engine 2.6, Core schema, GlobalConfiguration flattening):
 * typing, flattening and "later wins", duplicate keys, nulls, aliases,
 * non-mapping documents, syntax errors worded as snakeyaml words them,
 * positions, and inputs that must fail cleanly. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/buf.h"
#include "flinkmem/conf.h"
#include "flinkmem/conf_yaml.h"
#include "flinkmem/health.h"

typedef struct res {
	fm_conf *c;
	fm_diag d;
	int rc;
} res;

/* Loads from an exact-size heap copy so ASan sees any over-read. */
static res load_n(const char *text, size_t n)
{
	res r = {fm_conf_new(), FM_DIAG_INIT, 0};
	assert_non_null(r.c);
	char *copy = malloc(n ? n : 1);
	assert_non_null(copy);
	memcpy(copy, text, n);
	r.rc = fm_conf_load_yaml(r.c, "config.yaml", copy, n, &r.d);
	free(copy);
	return r;
}

static res load(const char *text)
{
	return load_n(text, strlen(text));
}

static void done(res *r)
{
	fm_conf_free(r->c);
	fm_diag_release(&r->d);
}

static const fm_entry *get(const res *r, const char *key)
{
	const fm_entry *e = fm_conf_find(r->c, key);
	if (!e)
		fail_msg("key %s missing", key);
	return e;
}

static void expect(const res *r, const char *key, fm_vtype type, const char *text)
{
	const fm_entry *e = get(r, key);
	assert_int_equal(e->type, type);
	assert_string_equal(e->text, text);
}

static void test_core_types(void **state)
{
	(void)state;
	res r = load("a: 2g\n"
		     "b: 0x40000000\n"
		     "c: 0o17\n"
		     "d: +12\n"
		     "e: 007\n"
		     "f: 123456789012345678901234567890\n"
		     "g: 1e40\n"
		     "h: 0.1\n"
		     "i: .inf\n"
		     "j: -.Inf\n"
		     "k: .NaN\n"
		     "l: True\n"
		     "m: FALSE\n"
		     "n: \"12\"\n"
		     "o: '0x10'\n"
		     "p: !!str 12\n"
		     "q: 1.\n"
		     "r: -0x10\n"
		     "s: 2g # comment\n"
		     "t: 2g#no-comment\n"
		     "u: 1_000\n"
		     "v: yes\n");
	assert_int_equal(r.rc, FM_OK);
	expect(&r, "a", FM_V_STR, "2g");
	expect(&r, "b", FM_V_INT, "1073741824");
	expect(&r, "c", FM_V_INT, "15");
	expect(&r, "d", FM_V_INT, "12");
	expect(&r, "e", FM_V_INT, "7");
	expect(&r, "f", FM_V_INT, "123456789012345678901234567890");
	expect(&r, "g", FM_V_FLOAT, "1.0E40");
	expect(&r, "h", FM_V_FLOAT, "0.1");
	expect(&r, "i", FM_V_FLOAT, "Infinity");
	expect(&r, "j", FM_V_FLOAT, "-Infinity");
	expect(&r, "k", FM_V_FLOAT, "NaN");
	expect(&r, "l", FM_V_BOOL, "true");
	expect(&r, "m", FM_V_BOOL, "false");
	expect(&r, "n", FM_V_STR, "12");
	expect(&r, "o", FM_V_STR, "0x10");
	expect(&r, "p", FM_V_STR, "12");
	expect(&r, "q", FM_V_FLOAT, "1.0");
	expect(&r, "r", FM_V_STR, "-0x10"); /* the Core int has no signed hex */
	expect(&r, "s", FM_V_STR, "2g");
	expect(&r, "t", FM_V_STR, "2g#no-comment");
	expect(&r, "u", FM_V_STR, "1_000"); /* YAML 1.1 forms are strings in 1.2 Core */
	expect(&r, "v", FM_V_STR, "yes");
	assert_true(get(&r, "h")->num == 0.1);
	done(&r);
}

/* A sequence value is stored as Flink stores it: the YAML flow dump of the
 * List (YamlParserUtils.toYAMLString), items typed and quoted as
 * snakeyaml-engine writes them -- not Java's List.toString. Expected texts
 * from Flink 2.2.1's and 1.20.0's own loader (by hand, compiled from the
 * release sources). */
static void test_list_flow_dump(void **state)
{
	(void)state;
	static const char *const want[][2] = {
		{"q", "['a: b', '- x', '', '~', 'false', 's3://b/p', it's]"},
		{"t", "[.inf, .nan, 31, 7, 1000.0, null, true]"},
		{"n", "[[], {}, {a: [c]}, {1: x, null: y}]"},
		{"m", "[\"a\\nb\", {? '' : 1}]"},
		/* a key of 128+ chars is "? key"; past column 80 ':' starts a line */
		{"k.long", "[{? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk\n    : 1}]"},
	};
	res r = load("q: ['a: b', '- x', '', '~', 'false', s3://b/p, it's]\n"
		     "t: [.inf, .NaN, 0x1F, 007, 1e3, null, True]\n"
		     "n: [[], {}, {a: [c]}, {1: x, ~: y}]\n"
		     "m: [\"a\\nb\", {\"\": 1}]\n"
		     "k.long: [{kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: 1}]\n");
	assert_int_equal(r.rc, FM_OK);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		expect(&r, want[i][0], FM_V_LIST, want[i][1]);
	done(&r);
}

static void test_nested_and_later_wins(void **state)
{
	(void)state;
	res r = load("taskmanager.memory.process.size: 1g\n"
		     "taskmanager:\n"
		     "  memory:\n"
		     "    process.size: 2g\n"
		     "    managed:\n"
		     "      fraction: 0.25\n"
		     "  numberOfTaskSlots: 4\n"
		     "jobmanager: {memory: {process.size: 3g}}\n"
		     "empty: {}\n"
		     "external-resources: [gpu, fpga]\n");
	assert_int_equal(r.rc, FM_OK);
	expect(&r, "taskmanager.memory.process.size", FM_V_STR, "2g");
	expect(&r, "taskmanager.memory.managed.fraction", FM_V_FLOAT, "0.25");
	expect(&r, "taskmanager.numberOfTaskSlots", FM_V_INT, "4");
	expect(&r, "jobmanager.memory.process.size", FM_V_STR, "3g");
	expect(&r, "external-resources", FM_V_LIST, "[gpu, fpga]");
	assert_null(fm_conf_find(r.c, "empty"));
	/* The later value wins but keeps the first position in the order. */
	assert_string_equal(fm_conf_at(r.c, 0)->key, "taskmanager.memory.process.size");
	const fm_entry *e = get(&r, "taskmanager.memory.process.size");
	assert_int_equal(e->at.line, 4);
	assert_int_equal(e->at.col, 19);
	assert_int_equal(e->key_line, 4);
	assert_int_equal(e->key_col, 5);
	assert_int_equal(e->at.src, FM_SRC_YAML);
	assert_string_equal(e->at.file, "config.yaml");
	/* the value it replaced is kept for check's FM015, and survives a copy */
	assert_int_equal(fm_conf_shadowed_len(r.c), 1);
	fm_conf *d = fm_conf_dup(r.c);
	assert_non_null(d);
	for (int i = 0; i < 2; i++) {
		const fm_entry *sh = fm_conf_shadowed_at(i ? d : r.c, 0);
		assert_string_equal(sh->key, "taskmanager.memory.process.size");
		assert_string_equal(sh->text, "1g");
		assert_int_equal(sh->key_line, 1);
		assert_int_equal(sh->at.line, 1);
		assert_string_equal(sh->at.file, "config.yaml");
	}
	assert_null(fm_conf_shadowed_at(d, 1));
	fm_conf_free(d);
	done(&r);
}

static void test_duplicate_key(void **state)
{
	(void)state;
	res r = load("taskmanager.memory.process.size: 1g\n"
		     "taskmanager.memory.process.size: 2g\n");
	assert_int_equal(r.rc, FM_EINVAL);
	assert_string_equal(r.d.jclass, "org.snakeyaml.engine.v2.exceptions.YamlEngineException");
	assert_string_equal(r.d.jmsg, "while constructing a mapping\n in reader, line 1, column 1\n"
				      "found duplicate key taskmanager.memory.process.size\n"
				      " in reader, line 2, column 1\n");
	assert_int_equal(r.d.line, 2);
	assert_int_equal(r.d.col, 1);
	done(&r);
	/* Keys compare as constructed values: 0x1 and 1 are the same Integer. */
	r = load("a:\n  1: x\n  0x1: y\n");
	assert_int_equal(r.rc, FM_EINVAL);
	assert_non_null(strstr(r.d.jmsg, "found duplicate key 1\n in reader, line 3, column 3\n"));
	assert_non_null(strstr(r.d.jmsg, "mapping\n in reader, line 2, column 3\n"));
	done(&r);
	/* A string "1" is not the Integer 1: no duplicate, but flatten's cast
	 * of the Integer key to String fails (Flink 1.20.0 and 2.2.1). */
	r = load("a: {1: x, \"1\": y}\n");
	assert_int_equal(r.rc, FM_EINVAL);
	assert_string_equal(r.d.jclass, "java.lang.ClassCastException");
	assert_non_null(strstr(r.d.jmsg, "class java.lang.Integer cannot be cast to class java.lang.String"));
	assert_int_equal(r.d.line, 1);
	assert_int_equal(r.d.col, 5);
	done(&r);
	/* The outer mapping's keys are checked before its values. */
	r = load("a: {b: 1, b: 2}\na: 3\n");
	assert_int_equal(r.rc, FM_EINVAL);
	assert_non_null(strstr(r.d.jmsg, "found duplicate key a\n"));
	done(&r);
}

static void test_null_values(void **state)
{
	(void)state;
	res r = load("taskmanager.memory.process.size: 2g\njobmanager.memory.process.size:\n");
	assert_int_equal(r.rc, FM_EINVAL);
	assert_string_equal(r.d.jclass, "java.lang.NullPointerException");
	assert_string_equal(r.d.jmsg, "Value must not be null.");
	assert_string_equal(r.d.key, "jobmanager.memory.process.size");
	assert_int_equal(fm_conf_len(r.c), 0); /* nothing applied on failure */
	done(&r);
	r = load("a: ~\n");
	assert_int_equal(r.rc, FM_EINVAL);
	done(&r);
	/* A later non-null value for the same flattened key replaces the null. */
	r = load("a.b: null\na: {b: 1}\n");
	assert_int_equal(r.rc, FM_OK);
	expect(&r, "a.b", FM_V_INT, "1");
	done(&r);
}

static void test_empty_and_non_mapping(void **state)
{
	(void)state;
	res r = load("");
	assert_int_equal(r.rc, FM_OK);
	assert_int_equal(fm_conf_len(r.c), 0);
	done(&r);
	r = load("# only a comment\n---\n");
	assert_int_equal(r.rc, FM_OK);
	done(&r);
	r = load("- a\n- b\n");
	assert_int_equal(r.rc, FM_EINVAL);
	assert_string_equal(r.d.jclass, "java.lang.ClassCastException");
	assert_non_null(strstr(r.d.jmsg, "class java.util.ArrayList cannot be cast to class java.util.Map"));
	done(&r);
	r = load("just text\n");
	assert_int_equal(r.rc, FM_EINVAL);
	assert_non_null(strstr(r.d.jmsg, "class java.lang.String cannot be cast"));
	done(&r);
	r = load("a: 1\n---\nb: 2\n");
	assert_int_equal(r.rc, FM_ESYNTAX);
	assert_string_equal(r.d.jmsg, "expected a single document in the stream\n in reader, line 1, column 1\n"
				      "but found another document\n in reader, line 2, column 1\n");
	done(&r);
}

static void test_syntax_errors(void **state)
{
	(void)state;
	/* Shapes and texts from the shared Flink vectors (v4119, v4123, v4137). */
	res r = load("taskmanager.memory.process.size:2g\njobmanager.memory.process.size:    2g   \n");
	assert_int_equal(r.rc, FM_ESYNTAX);
	assert_string_equal(r.d.jmsg, "mapping values are not allowed here\n in reader, line 2, column 31\n");
	assert_int_equal(r.d.line, 2);
	assert_int_equal(r.d.col, 31);
	done(&r);
	r = load("  taskmanager.memory.process.size: 2g # c\n# x: 1\njobmanager.memory.process.size: 3g\n");
	assert_int_equal(r.rc, FM_ESYNTAX);
	assert_string_equal(r.d.jmsg, "expected '<document start>', but found '<block mapping start>'\n"
				      " in reader, line 3, column 1\n");
	done(&r);
	r = load("a: 1\n  bad indentation: x\n");
	assert_int_equal(r.rc, FM_ESYNTAX);
	assert_string_equal(r.d.jmsg, "mapping values are not allowed here\n in reader, line 2, column 18\n");
	done(&r);
	r = load("a: [1, 2\n");
	assert_int_equal(r.rc, FM_ESYNTAX);
	assert_non_null(r.d.msg);
	assert_null(strchr(r.d.msg, '\n'));
	done(&r);
	r = load("a: @x\n");
	assert_int_equal(r.rc, FM_ESYNTAX);
	assert_non_null(strstr(r.d.jmsg, "found character '@' that cannot start any token"));
	done(&r);
}

static void test_aliases(void **state)
{
	(void)state;
	res r = load("base: &b {size: 1g}\nx: *b\ny: [1, *b]\n");
	assert_int_equal(r.rc, FM_OK);
	expect(&r, "base.size", FM_V_STR, "1g");
	expect(&r, "x.size", FM_V_STR, "1g");
	done(&r);
	/* a redefined anchor: an alias names the latest definition */
	r = load("a: &x 1g\nb: *x\nc: &x 2g\nd: *x\n");
	assert_int_equal(r.rc, FM_OK);
	expect(&r, "b", FM_V_STR, "1g");
	expect(&r, "d", FM_V_STR, "2g");
	done(&r);
	r = load("a: *nope\n");
	assert_int_equal(r.rc, FM_ESYNTAX);
	assert_string_equal(r.d.jmsg, "found undefined alias nope\n in reader, line 1, column 4\n");
	done(&r);
	/* Alias bombs are bounded (snakeyaml: at most 50 collection aliases). */
	char buf[4096];
	size_t n = (size_t)snprintf(buf, sizeof buf, "l0: &a0 {k: v}\n");
	for (int i = 1; i <= 60; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "l%d: &a%d [*a%d, *a%d]\n", i, i, i - 1, i - 1);
	r = load_n(buf, n);
	assert_int_equal(r.rc, FM_ETOOBIG);
	assert_string_equal(r.d.jmsg, "Number of aliases for non-scalar nodes exceeds the specified max=50");
	done(&r);
}

/* A file of n keys "kI: *a" after a scalar of vlen bytes anchored &a. */
static char *scalar_alias_file(size_t vlen, size_t n, size_t *len)
{
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_buf_adds(&b, "v: &a \""), 0);
	for (size_t i = 0; i < vlen; i++)
		assert_int_equal(fm_buf_addc(&b, 'x'), 0);
	assert_int_equal(fm_buf_adds(&b, "\"\n"), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fm_buf_addf(&b, "k%zu: *a\n", i), 0);
	return fm_buf_detach(&b, len);
}

static void test_scalar_alias_budget(void **state)
{
	(void)state;
	/* Aliases to scalars are fine while the flattened config stays small
	 * (snakeyaml has no limit on them)... */
	size_t len;
	char *text = scalar_alias_file(1000, 100, &len);
	res r = load_n(text, len);
	free(text);
	assert_int_equal(r.rc, FM_OK);
	assert_int_equal(get(&r, "k99")->text_len, 1000);
	assert_int_equal(fm_conf_len(r.c), 101);
	done(&r);
	/* ...and fail at the entry that passes the budget, before the copies
	 * are made: 100 KB x 10,000 uses would be 1 GB. */
	text = scalar_alias_file(100000, 10000, &len);
	r = load_n(text, len);
	free(text);
	assert_int_equal(r.rc, FM_ETOOBIG);
	size_t budget = FM_YAML_EXPAND_BASE + FM_YAML_EXPAND_FACTOR * len;
	/* each entry: 100,000 + key + 64 bytes (v's too); entry k<i> is on
	 * line i+2 */
	size_t fits = 0, spent = 1 + 100000 + 64;
	for (size_t i = 0;; i++) {
		size_t cost = (size_t)snprintf(NULL, 0, "k%zu", i) + 100000 + 64;
		if (spent + cost > budget)
			break;
		spent += cost;
		fits++;
	}
	assert_int_equal(r.d.line, fits + 2);
	assert_int_equal(r.d.col, 1);
	char want[128];
	snprintf(want, sizeof want, "alias expansion exceeds %zu bytes", budget);
	assert_non_null(strstr(r.d.msg, want));
	assert_null(r.d.jclass); /* our limit, not a Flink error */
	assert_int_equal(fm_conf_len(r.c), 0); /* nothing loaded */
	done(&r);
	/* Aliased lists of scalar aliases are measured without being built. */
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_buf_adds(&b, "v: &a "), 0);
	for (int i = 0; i < 50000; i++)
		assert_int_equal(fm_buf_addc(&b, 'x'), 0);
	assert_int_equal(fm_buf_adds(&b, "\nl: &l ["), 0);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(fm_buf_adds(&b, i ? ", *a" : "*a"), 0);
	assert_int_equal(fm_buf_adds(&b, "]\nm1: *l\nm2: *l\n"), 0);
	r = load_n(b.data, b.len);
	assert_int_equal(r.rc, FM_ETOOBIG);
	assert_int_equal(r.d.line, 2);
	done(&r);
	fm_buf_release(&b);
	/* Without aliases, a long key prefixed to many nested keys. */
	assert_int_equal(fm_buf_adds(&b, "? "), 0);
	for (int i = 0; i < 100000; i++)
		assert_int_equal(fm_buf_addc(&b, 'k'), 0);
	assert_int_equal(fm_buf_adds(&b, "\n:\n"), 0);
	for (int i = 0; i < 5000; i++)
		assert_int_equal(fm_buf_addf(&b, "  c%d: 1\n", i), 0);
	r = load_n(b.data, b.len);
	assert_int_equal(r.rc, FM_ETOOBIG);
	assert_non_null(strstr(r.d.msg, "nested keys expand past"));
	done(&r);
	fm_buf_release(&b);
}

static void test_long_integers(void **state)
{
	(void)state;
	/* Decimal Core ints: Java's BigInteger text, the same digits without
	 * sign noise or leading zeros; 1 MB of digits in linear time. */
	static const char *const cases[][2] = {
		{"-0", "0"}, {"+000", "0"}, {"-00120", "-120"}, {"0x00ff", "255"}, {"0o0017", "15"},
		{"0x7fffffffffffffff1", "147573952589676412913"},
	};
	res r;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char text[64];
		snprintf(text, sizeof text, "v: %s\n", cases[i][0]);
		r = load(text);
		assert_int_equal(r.rc, FM_OK);
		expect(&r, "v", FM_V_INT, cases[i][1]);
		done(&r);
	}
	size_t n = 1 << 20;
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_buf_adds(&b, "big: -0000"), 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(fm_buf_addc(&b, (char)('1' + i % 9)), 0);
	r = load_n(b.data, b.len);
	assert_int_equal(r.rc, FM_OK);
	const fm_entry *e = get(&r, "big");
	assert_int_equal(e->type, FM_V_INT);
	assert_int_equal(e->text_len, n + 1);
	assert_memory_equal(e->text, "-123456789", 10);
	done(&r);
	fm_buf_release(&b);
	/* 2^8188 in hex (2048 digits) converts; one digit more is refused. */
	for (int extra = 0; extra < 2; extra++) {
		assert_int_equal(fm_buf_adds(&b, "h: 0x1"), 0);
		for (int i = 0; i < FM_YAML_MAX_RADIX_DIGITS - 1 + extra; i++)
			assert_int_equal(fm_buf_addc(&b, '0'), 0);
		r = load_n(b.data, b.len);
		if (!extra) {
			assert_int_equal(r.rc, FM_OK);
			e = get(&r, "h");
			assert_int_equal(e->text_len, 2465); /* digits of 2^8188 */
			assert_memory_equal(e->text, "6817", 4);
		} else {
			assert_int_equal(r.rc, FM_ETOOBIG);
			assert_int_equal(r.d.line, 1);
			assert_int_equal(r.d.col, 4);
			assert_non_null(strstr(r.d.msg, "hexadecimal integer longer than 2048 digits"));
		}
		done(&r);
		fm_buf_release(&b);
	}
}

static void test_hostile_input(void **state)
{
	(void)state;
	/* NUL bytes, invalid UTF-8, control characters: clean errors. */
	res r = load_n("a: 1\n\0b: 2\n", 11);
	assert_true(r.rc == FM_ESYNTAX);
	assert_non_null(r.d.msg);
	done(&r);
	r = load("a: \xff\xfe\n");
	assert_int_equal(r.rc, FM_ESYNTAX);
	done(&r);
	/* Deep nesting stops at the documented depth, not the C stack. */
	size_t depth = 100000;
	char *deep = malloc(depth + 8);
	assert_non_null(deep);
	memcpy(deep, "a: ", 3);
	memset(deep + 3, '[', depth);
	r = load_n(deep, depth + 3);
	assert_int_equal(r.rc, FM_ESYNTAX);
	free(deep);
	done(&r);
	/* A long value in one line is fine. */
	size_t big = 1 << 20;
	char *line = malloc(big + 8);
	assert_non_null(line);
	memcpy(line, "k: ", 3);
	memset(line + 3, 'x', big);
	line[big + 3] = '\n';
	r = load_n(line, big + 4);
	assert_int_equal(r.rc, FM_OK);
	assert_int_equal(get(&r, "k")->text_len, big);
	free(line);
	done(&r);
	/* CRLF files read like LF files. */
	r = load("a: 1g\r\nb:\r\n  c: 2\r\n");
	assert_int_equal(r.rc, FM_OK);
	expect(&r, "a", FM_V_STR, "1g");
	expect(&r, "b.c", FM_V_INT, "2");
	done(&r);
}

/* A double-quoted key may hold "\0": the entry keeps its whole length, and
 * code reading keys as C strings must not take "python.\0x" for a python.*
 * key (it would count Python UDFs as a managed-memory consumer). */
static void test_nul_in_key(void **state)
{
	(void)state;
	res r = load("\"python.\\0x\": 1\nstate.backend.type: hashmap\n");
	assert_int_equal(r.rc, FM_OK);
	const fm_entry *e = NULL;
	for (size_t i = 0; i < fm_conf_len(r.c); i++)
		if (!strncmp(fm_conf_at(r.c, i)->key, "python.", 7))
			e = fm_conf_at(r.c, i);
	assert_non_null(e);
	assert_int_equal(e->key_len, 9);
	assert_false(fm_entry_key_whole(e));
	assert_int_equal(fm_health_consumers(r.c) & FM_CONSUMER_PYTHON, 0);
	done(&r);
	r = load("python.files: a.py\n");
	assert_int_equal(r.rc, FM_OK);
	assert_true(fm_entry_key_whole(fm_conf_at(r.c, 0)));
	assert_int_not_equal(fm_health_consumers(r.c) & FM_CONSUMER_PYTHON, 0);
	done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_core_types),
		cmocka_unit_test(test_nested_and_later_wins),
		cmocka_unit_test(test_list_flow_dump),
		cmocka_unit_test(test_duplicate_key),
		cmocka_unit_test(test_null_values),
		cmocka_unit_test(test_empty_and_non_mapping),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_aliases),
		cmocka_unit_test(test_hostile_input),
		cmocka_unit_test(test_scalar_alias_budget),
		cmocka_unit_test(test_long_integers),
		cmocka_unit_test(test_nul_in_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
