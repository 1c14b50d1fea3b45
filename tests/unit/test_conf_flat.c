/* test_conf_flat — the legacy flink-conf.yaml reader against Flink's
 * GlobalConfiguration line rules: '#' cuts anywhere, split at the first
 * ": ", Java trim, malformed lines skipped with the WARN text of the
 * release (1.17+ wording and the quoted <= 1.16 wording), last duplicate
 * wins, quotes kept, \n / \r / \r\n line ends, huge lines, NUL bytes and
 * the byte positions recorded for keys and values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/conf.h"
#include "flinkmem/conf_flat.h"
#include "flinkmem/options.h"

#define SPLIT_NEW(file, n)                                                             \
	"WARN Error while trying to split key and value in configuration file " file ":" #n \
	": Line is not a key-value pair (missing space after ':'?)"
#define EMPTY_NEW(file, n)                                                         \
	"WARN Error after splitting key and value in configuration file " file ":" #n \
	": Key or value was empty"
#define SPLIT_OLD(file, n, line) \
	"WARN Error while trying to split key and value in configuration file " file ":" #n ": \"" line "\""
#define EMPTY_OLD(file, n, line) \
	"WARN Error after splitting key and value in configuration file " file ":" #n ": \"" line "\""

typedef struct loaded {
	fm_conf *c;
	fm_logs logs;
} loaded;

/* Loads data[0..len) from an exact-size heap copy (no NUL after it, so
 * ASan sees any over-read). */
static loaded load_n(const char *data, size_t len, const char *path, const fm_profile *p)
{
	loaded r = {fm_conf_new(), FM_LOGS_INIT};
	assert_non_null(r.c);
	char *copy = malloc(len ? len : 1);
	assert_non_null(copy);
	if (len)
		memcpy(copy, data, len);
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_conf_load_flat(r.c, path, copy, len, p, &r.logs, &d), FM_OK);
	assert_null(d.msg);
	fm_diag_release(&d);
	free(copy);
	return r;
}

static loaded load(const char *data)
{
	return load_n(data, strlen(data), NULL, NULL);
}

static void unload(loaded *r)
{
	fm_conf_free(r->c);
	fm_logs_release(&r->logs);
}

static const fm_entry *must_find(const fm_conf *c, const char *key)
{
	const fm_entry *e = fm_conf_find(c, key);
	if (!e)
		fail_msg("key '%s' missing", key);
	/* the lookup with a hash computed beforehand finds the same entry */
	size_t kl = strlen(key);
	assert_ptr_equal(fm_conf_find_hashed(c, key, kl, fm_conf_key_hash(key, kl)), e);
	return e;
}

static void value_is(const fm_conf *c, const char *key, const char *want)
{
	const fm_entry *e = must_find(c, key);
	assert_string_equal(e->text, want);
	assert_int_equal(e->text_len, strlen(want));
	assert_int_equal(e->type, FM_V_STR);
	assert_int_equal(e->at.src, FM_SRC_FLAT);
}

static void pos_is(const fm_conf *c, const char *key, uint32_t kline, uint32_t kcol, uint32_t vline,
		   uint32_t vcol)
{
	const fm_entry *e = must_find(c, key);
	assert_int_equal(e->key_line, kline);
	assert_int_equal(e->key_col, kcol);
	assert_int_equal(e->at.line, vline);
	assert_int_equal(e->at.col, vcol);
}

static void test_basic(void **state)
{
	(void)state;
	loaded r = load("taskmanager.memory.process.size: 1728m\n"
			"jobmanager.memory.process.size: 1600m\n");
	assert_int_equal(fm_conf_len(r.c), 2);
	assert_string_equal(fm_conf_at(r.c, 0)->key, "taskmanager.memory.process.size");
	assert_string_equal(fm_conf_at(r.c, 1)->key, "jobmanager.memory.process.size");
	value_is(r.c, "taskmanager.memory.process.size", "1728m");
	value_is(r.c, "jobmanager.memory.process.size", "1600m");
	assert_string_equal(fm_conf_at(r.c, 0)->at.file, "flink-conf.yaml");
	pos_is(r.c, "jobmanager.memory.process.size", 2, 1, 2, 33);
	assert_null(fm_conf_find_hashed(r.c, "taskmanager.memory.flink.size", 29,
					fm_conf_key_hash("taskmanager.memory.flink.size", 29)));
	assert_int_equal(r.logs.n, 0);
	unload(&r);

	/* Empty input, blank lines and comment-only lines: nothing, no WARN. */
	r = load("");
	assert_int_equal(fm_conf_len(r.c), 0);
	assert_int_equal(r.logs.n, 0);
	unload(&r);
	r = load("\n\n  \t \n# comment: x\n   # indented: y\n#\n\r\n");
	assert_int_equal(fm_conf_len(r.c), 0);
	assert_int_equal(r.logs.n, 0);
	unload(&r);
}

static void test_comments(void **state)
{
	(void)state;
	loaded r = load("a: 2g#comment\n"
			"b: 1g # trailing\n"
			"c: 'x#y'\n"
			"d: \"p#q\"\n"
			"e: #only a comment\n"
			"f#: g\n"
			"h: 3g\t#\n"
			"i: #\n"
			"j: a: b # c: d\n");
	value_is(r.c, "a", "2g");
	value_is(r.c, "b", "1g");
	value_is(r.c, "c", "'x");   /* quotes do not protect '#' */
	value_is(r.c, "d", "\"p");
	value_is(r.c, "h", "3g");
	value_is(r.c, "j", "a: b");
	assert_false(fm_conf_has(r.c, "e"));
	assert_false(fm_conf_has(r.c, "f"));
	assert_false(fm_conf_has(r.c, "i"));
	assert_int_equal(fm_conf_len(r.c), 6);
	/* "e: #..." -> "e:" and "f#: g" -> "f" and "i: #" -> "i:": no ": " left. */
	assert_int_equal(r.logs.n, 3);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("flink-conf.yaml", 5));
	assert_string_equal(r.logs.v[1], SPLIT_NEW("flink-conf.yaml", 6));
	assert_string_equal(r.logs.v[2], SPLIT_NEW("flink-conf.yaml", 8));
	unload(&r);
}

static void test_split_and_trim(void **state)
{
	(void)state;
	loaded r = load("a: b: c\n"
			"k : v\n"
			"x:y: z\n"
			"url: http://host:8081/path\n"
			"  \t spaced  \t:   value with  spaces \t \n"
			"ctl\x01: \x1f v\x02\n"
			"nb: v\xc2\xa0\n"
			"\xc2\xa0nk: w\n"
			"multi:  : x\n");
	value_is(r.c, "a", "b: c");
	value_is(r.c, "k", "v");
	value_is(r.c, "x:y", "z");
	value_is(r.c, "url", "http://host:8081/path");
	value_is(r.c, "spaced", "value with  spaces");
	value_is(r.c, "ctl", "v"); /* \x01 \x1f \x02 are <= ' ': trimmed */
	value_is(r.c, "nb", "v\xc2\xa0"); /* NBSP is not */
	value_is(r.c, "\xc2\xa0nk", "w");
	value_is(r.c, "multi", ": x");
	assert_int_equal(fm_conf_len(r.c), 9);
	assert_int_equal(r.logs.n, 0);
	pos_is(r.c, "spaced", 5, 5, 5, 18);
	pos_is(r.c, "multi", 9, 1, 9, 9);
	unload(&r);
}

static void test_malformed_new_wording(void **state)
{
	(void)state;
	const char *text = "taskmanager.memory.process.size:2g\n"
			   "a:\tb\n"
			   "key: \n"
			   ": 512m\n"
			   "   :  x  # c\n"
			   "just a line\n"
			   "good: 1\n";
	loaded r = load_n(text, strlen(text), "$FLINK_CONF_DIR/flink-conf.yaml",
			  fm_profile_for("1.20"));
	assert_int_equal(fm_conf_len(r.c), 1);
	value_is(r.c, "good", "1");
	assert_int_equal(r.logs.n, 6);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("$FLINK_CONF_DIR/flink-conf.yaml", 1));
	assert_string_equal(r.logs.v[1], SPLIT_NEW("$FLINK_CONF_DIR/flink-conf.yaml", 2));
	/* "key: " is trimmed to "key:" before the split: a split error. */
	assert_string_equal(r.logs.v[2], SPLIT_NEW("$FLINK_CONF_DIR/flink-conf.yaml", 3));
	assert_string_equal(r.logs.v[3], EMPTY_NEW("$FLINK_CONF_DIR/flink-conf.yaml", 4));
	assert_string_equal(r.logs.v[4], EMPTY_NEW("$FLINK_CONF_DIR/flink-conf.yaml", 5));
	assert_string_equal(r.logs.v[5], SPLIT_NEW("$FLINK_CONF_DIR/flink-conf.yaml", 6));
	assert_string_equal(fm_conf_at(r.c, 0)->at.file, "$FLINK_CONF_DIR/flink-conf.yaml");
	unload(&r);

	/* 1.17 and 2.x share the wording; NULL profile = newest. */
	const char *profiles[] = {"1.17", "1.18", "2.2"};
	for (size_t i = 0; i < 3; i++) {
		const fm_profile *p = fm_profile_for(profiles[i]);
		assert_non_null(p);
		r = load_n("k:v", 3, "f", p);
		assert_int_equal(r.logs.n, 1);
		assert_string_equal(r.logs.v[0], SPLIT_NEW("f", 1));
		unload(&r);
	}
	r = load_n("k:v", 3, NULL, NULL);
	assert_int_equal(r.logs.n, 1);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("flink-conf.yaml", 1));
	unload(&r);
}

static void test_malformed_old_wording(void **state)
{
	(void)state;
	const fm_profile *p = fm_profile_for("1.16");
	assert_non_null(p);
	assert_true(p->flat_warn_quoted);
	/* The quoted text is the raw line: comment, whitespace and all. */
	const char *text = "taskmanager.memory.process.size:2g\n"
			   "taskmanager.memory.process.size: \n"
			   ": 512m\n"
			   "  \t: x # cmt\r\n"
			   "taskmanager:\n"
			   "  memory:\n"
			   "a: 1\n";
	const char *f = "$FLINK_CONF_DIR/flink-conf.yaml";
	loaded r = load_n(text, strlen(text), f, p);
	assert_int_equal(fm_conf_len(r.c), 1);
	value_is(r.c, "a", "1");
	assert_int_equal(r.logs.n, 6);
	assert_string_equal(r.logs.v[0], SPLIT_OLD("$FLINK_CONF_DIR/flink-conf.yaml", 1,
						   "taskmanager.memory.process.size:2g"));
	assert_string_equal(r.logs.v[1], SPLIT_OLD("$FLINK_CONF_DIR/flink-conf.yaml", 2,
						   "taskmanager.memory.process.size: "));
	assert_string_equal(r.logs.v[2], EMPTY_OLD("$FLINK_CONF_DIR/flink-conf.yaml", 3, ": 512m"));
	assert_string_equal(r.logs.v[3], EMPTY_OLD("$FLINK_CONF_DIR/flink-conf.yaml", 4, "  \t: x # cmt"));
	assert_string_equal(r.logs.v[4], SPLIT_OLD("$FLINK_CONF_DIR/flink-conf.yaml", 5, "taskmanager:"));
	assert_string_equal(r.logs.v[5], SPLIT_OLD("$FLINK_CONF_DIR/flink-conf.yaml", 6, "  memory:"));
	unload(&r);

	/* Every release up to 1.16 quotes; 1.17 does not. */
	const char *old[] = {"1.10.0", "1.11", "1.12.1", "1.13", "1.14", "1.15", "1.16.3"};
	for (size_t i = 0; i < sizeof(old) / sizeof(old[0]); i++) {
		r = load_n("k:v\n", 4, "f", fm_profile_for(old[i]));
		assert_int_equal(r.logs.n, 1);
		assert_string_equal(r.logs.v[0], SPLIT_OLD("f", 1, "k:v"));
		unload(&r);
	}
}

static void test_duplicates(void **state)
{
	(void)state;
	loaded r = load("a: 1\n"
			"b: 2\n"
			"  a:   3\n"
			"c: 4\n"
			"a: 5 # last\n"
			"a:6\n"); /* malformed: does not override */
	assert_int_equal(fm_conf_len(r.c), 3);
	value_is(r.c, "a", "5");
	pos_is(r.c, "a", 5, 1, 5, 4);
	value_is(r.c, "b", "2");
	value_is(r.c, "c", "4");
	assert_string_equal(fm_conf_at(r.c, 0)->key, "a"); /* keeps its first position */
	assert_int_equal(r.logs.n, 1);
	/* the replaced values, in order, for check's FM015 */
	assert_int_equal(fm_conf_shadowed_len(r.c), 2);
	assert_string_equal(fm_conf_shadowed_at(r.c, 0)->text, "1");
	assert_int_equal(fm_conf_shadowed_at(r.c, 0)->at.line, 1);
	assert_string_equal(fm_conf_shadowed_at(r.c, 1)->text, "3");
	assert_int_equal(fm_conf_shadowed_at(r.c, 1)->at.line, 3);
	unload(&r);

	/* A later load over the same conf: last wins with the new provenance. */
	fm_conf *c = fm_conf_new();
	assert_non_null(c);
	fm_logs logs = FM_LOGS_INIT;
	assert_int_equal(fm_conf_load_flat(c, "one.yaml", "k: 1\nm: x\n", 10, NULL, &logs, NULL), FM_OK);
	assert_int_equal(fm_conf_load_flat(c, "two.yaml", "\n\nk:   2\n", 9, NULL, &logs, NULL), FM_OK);
	value_is(c, "k", "2");
	pos_is(c, "k", 3, 1, 3, 6);
	assert_string_equal(must_find(c, "k")->at.file, "two.yaml");
	assert_string_equal(must_find(c, "m")->at.file, "one.yaml");
	assert_int_equal(fm_conf_shadowed_len(c), 0); /* a second file laid over: intended */
	assert_int_equal(logs.n, 0);
	fm_conf_free(c);
	fm_logs_release(&logs);
}

static void test_quotes_kept(void **state)
{
	(void)state;
	loaded r = load("a: \"2g\"\nb: '1g'\nc: \"unterminated\nd: [1, 2]\ne: {x: 1}\n");
	value_is(r.c, "a", "\"2g\"");
	value_is(r.c, "b", "'1g'");
	value_is(r.c, "c", "\"unterminated");
	value_is(r.c, "d", "[1, 2]");
	value_is(r.c, "e", "{x: 1}");
	unload(&r);
}

static void test_line_ends(void **state)
{
	(void)state;
	/* CRLF: no \r in values, lines counted once. */
	loaded r = load("a: 1\r\nb: 2\r\n\r\nbad\r\nc: 3\r\n");
	value_is(r.c, "a", "1");
	value_is(r.c, "b", "2");
	value_is(r.c, "c", "3");
	pos_is(r.c, "c", 5, 1, 5, 4);
	assert_int_equal(r.logs.n, 1);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("flink-conf.yaml", 4));
	unload(&r);

	/* Lone CR (old Mac) ends a line too. */
	r = load("a: 1\rb: 2\rbad\rc: 3");
	value_is(r.c, "a", "1");
	value_is(r.c, "b", "2");
	value_is(r.c, "c", "3");
	pos_is(r.c, "b", 2, 1, 2, 4);
	pos_is(r.c, "c", 4, 1, 4, 4);
	assert_int_equal(r.logs.n, 1);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("flink-conf.yaml", 3));
	unload(&r);

	/* "\r\r\n" is two line ends; "\n\r" is two as well. */
	r = load("x\r\r\ny\n\rz\n\nw: 1");
	assert_int_equal(r.logs.n, 3);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("flink-conf.yaml", 1));
	assert_string_equal(r.logs.v[1], SPLIT_NEW("flink-conf.yaml", 3));
	assert_string_equal(r.logs.v[2], SPLIT_NEW("flink-conf.yaml", 5));
	pos_is(r.c, "w", 7, 1, 7, 4);
	unload(&r);

	/* No trailing newline; trailing CR only. */
	r = load("a: 1\nb: 2");
	value_is(r.c, "b", "2");
	unload(&r);
	r = load("a: 1\r");
	value_is(r.c, "a", "1");
	assert_int_equal(fm_conf_len(r.c), 1);
	unload(&r);
	r = load("bad");
	assert_int_equal(fm_conf_len(r.c), 0);
	assert_int_equal(r.logs.n, 1);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("flink-conf.yaml", 1));
	unload(&r);
}

static void test_huge_line(void **state)
{
	(void)state;
	const size_t big = (size_t)10 << 20;
	char *s = malloc(big + 64);
	assert_non_null(s);
	/* A 10 MB value. */
	memcpy(s, "k: ", 3);
	memset(s + 3, 'v', big);
	memcpy(s + 3 + big, "\nz: 1\n", 6);
	loaded r = load_n(s, big + 9, NULL, NULL);
	const fm_entry *e = must_find(r.c, "k");
	assert_int_equal(e->text_len, big);
	assert_int_equal(strlen(e->text), big);
	assert_int_equal(e->text[0], 'v');
	assert_int_equal(e->text[big - 1], 'v');
	pos_is(r.c, "z", 2, 1, 2, 4);
	unload(&r);

	/* A 10 MB malformed line: the new WARN is short; the old one quotes it. */
	memset(s, 'x', big);
	s[big] = '\n';
	memcpy(s + big + 1, "a: 1", 4);
	r = load_n(s, big + 5, NULL, fm_profile_for("1.20"));
	assert_int_equal(r.logs.n, 1);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("flink-conf.yaml", 1));
	value_is(r.c, "a", "1");
	unload(&r);
	r = load_n(s, big + 5, NULL, fm_profile_for("1.16"));
	assert_int_equal(r.logs.n, 1);
	size_t want = strlen(SPLIT_OLD("flink-conf.yaml", 1, "")) + big;
	assert_int_equal(strlen(r.logs.v[0]), want);
	assert_int_equal(r.logs.v[0][want - 2], 'x');
	assert_int_equal(r.logs.v[0][want - 1], '"');
	unload(&r);

	/* A 10 MB comment. */
	memcpy(s, "k: 7 #", 6);
	memset(s + 6, '#', big - 6);
	r = load_n(s, big, NULL, NULL);
	value_is(r.c, "k", "7");
	unload(&r);
	free(s);
}

static void test_nul_bytes(void **state)
{
	(void)state;
	/* NUL is <= ' ': Java's trim removes it at both ends. */
	static const char t1[] = "\0a: 1\0\nb\0: \0 2";
	loaded r = load_n(t1, sizeof(t1) - 1, NULL, NULL);
	value_is(r.c, "a", "1");
	value_is(r.c, "b", "2");
	pos_is(r.c, "a", 1, 2, 1, 5);
	assert_int_equal(fm_conf_len(r.c), 2);
	unload(&r);

	/* Inside a value it stays: text_len covers it. */
	static const char t2[] = "v: 1\0x\n";
	r = load_n(t2, sizeof(t2) - 1, NULL, NULL);
	const fm_entry *e = must_find(r.c, "v");
	assert_int_equal(e->text_len, 3);
	assert_memory_equal(e->text, "1\0x", 4);
	unload(&r);

	/* A NUL line and NULs around the separator. */
	static const char t3[] = "\0\0\0\nk\0:\0v\nq:\0 w\n";
	r = load_n(t3, sizeof(t3) - 1, NULL, NULL);
	assert_int_equal(fm_conf_len(r.c), 0); /* ":\0" is not ": " */
	assert_int_equal(r.logs.n, 2);
	assert_string_equal(r.logs.v[0], SPLIT_NEW("flink-conf.yaml", 2));
	assert_string_equal(r.logs.v[1], SPLIT_NEW("flink-conf.yaml", 3));
	unload(&r);
}

static void test_positions(void **state)
{
	(void)state;
	loaded r = load("# header\n"
			"\n"
			"    key1:    v1\n"
			"\tkey2: v2 # c\n"
			"k\xd0\xbb\xd1\x8e\xd1\x87: v3\n" /* multi-byte key: columns in bytes */
			"key4 : v4\r\n"
			"key5: a: b\n");
	pos_is(r.c, "key1", 3, 5, 3, 14);
	pos_is(r.c, "key2", 4, 2, 4, 8);
	pos_is(r.c, "k\xd0\xbb\xd1\x8e\xd1\x87", 5, 1, 5, 10);
	pos_is(r.c, "key4", 6, 1, 6, 8);
	pos_is(r.c, "key5", 7, 1, 7, 7);
	/* The file name is interned once and shared. */
	assert_ptr_equal(must_find(r.c, "key1")->at.file, must_find(r.c, "key5")->at.file);
	unload(&r);
}

static void test_shipped_style(void **state)
{
	(void)state;
	const char *text =
		"################################################################################\n"
		"#  Licensed to the Apache Software Foundation (ASF) under one\n"
		"################################################################################\n"
		"\n"
		"# The total process memory size for the TaskManager.\n"
		"#\n"
		"# Note this accounts for all memory usage within the TaskManager process, including JVM metaspace and other overhead.\n"
		"\n"
		"taskmanager.memory.process.size: 1728m\n"
		"\n"
		"# taskmanager.memory.flink.size: 1280m\n"
		"jobmanager.rpc.address: localhost\n"
		"jobmanager.rpc.port: 6123\n"
		"jobmanager.memory.process.size: 1600m\n"
		"taskmanager.numberOfTaskSlots: 1\n"
		"parallelism.default: 1\n"
		"#high-availability.storageDir: hdfs:///flink/ha/\n"
		"env.java.opts.all: -Dfoo=bar -XX:+UseG1GC\n";
	loaded r = load(text);
	assert_int_equal(fm_conf_len(r.c), 7);
	value_is(r.c, "taskmanager.memory.process.size", "1728m");
	pos_is(r.c, "taskmanager.memory.process.size", 9, 1, 9, 34);
	value_is(r.c, "jobmanager.rpc.port", "6123");
	value_is(r.c, "env.java.opts.all", "-Dfoo=bar -XX:+UseG1GC");
	assert_false(fm_conf_has(r.c, "taskmanager.memory.flink.size"));
	assert_false(fm_conf_has(r.c, "high-availability.storageDir"));
	assert_int_equal(r.logs.n, 0);
	unload(&r);
}

static void test_null_logs(void **state)
{
	(void)state;
	fm_conf *c = fm_conf_new();
	assert_non_null(c);
	assert_int_equal(fm_conf_load_flat(c, NULL, "bad\nk: v\n", 9, NULL, NULL, NULL), FM_OK);
	value_is(c, "k", "v");
	assert_int_equal(fm_conf_len(c), 1);
	fm_conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_comments),
		cmocka_unit_test(test_split_and_trim),
		cmocka_unit_test(test_malformed_new_wording),
		cmocka_unit_test(test_malformed_old_wording),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_quotes_kept),
		cmocka_unit_test(test_line_ends),
		cmocka_unit_test(test_huge_line),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_positions),
		cmocka_unit_test(test_shipped_style),
		cmocka_unit_test(test_null_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
