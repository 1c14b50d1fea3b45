/* test_confwrite — the configuration writer's rules spelled out one by one
 * (the generated conformance set, tests/conformance/confwrite, checks the
 * same against the JDK and snakeyaml-engine in bulk): scalar quoting by the
 * YAML 1.2 Core resolver, literal style for multi-line strings, the typed
 * values, -D strings quoted in the nested dump, -flatten lines, the edits
 * (-repKV, -rmKV, -rmKey with its sub-keys), Flink's ClassCastException and
 * the short -repKV failure, and the legacy (flink-conf.yaml) form. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/confwrite.h"
#include "flinkmem/sources.h"

static void scalar_is(const char *text, fm_vtype type, const char *want)
{
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_cw_yaml_scalar(&b, text, strlen(text), type), FM_OK);
	if (strcmp(b.data ? b.data : "", want) != 0)
		fail_msg("scalar [%s]: got [%s], want [%s]", text, b.data ? b.data : "", want);
	fm_buf_release(&b);
}

static void test_scalars(void **state)
{
	(void)state;
	/* strings that read back as something else are quoted */
	scalar_is("4", FM_V_STR, "'4'");
	scalar_is("-4", FM_V_STR, "'-4'");
	scalar_is("1e3", FM_V_STR, "'1e3'");
	scalar_is("0x1F", FM_V_STR, "'0x1F'");
	scalar_is("0o17", FM_V_STR, "'0o17'");
	scalar_is(".inf", FM_V_STR, "'.inf'");
	scalar_is("true", FM_V_STR, "'true'");
	scalar_is("FALSE", FM_V_STR, "'FALSE'");
	scalar_is("null", FM_V_STR, "'null'");
	scalar_is("~", FM_V_STR, "'~'");
	scalar_is("NULL", FM_V_STR, "'NULL'");
	scalar_is("", FM_V_STR, "''");
	scalar_is("${HOME}", FM_V_STR, "'${HOME}'");
	/* YAML 1.1 words and look-alikes are plain strings in 1.2 */
	scalar_is("yes", FM_V_STR, "yes");
	scalar_is("1_000", FM_V_STR, "1_000");
	scalar_is("0x", FM_V_STR, "0x");
	scalar_is("1728m", FM_V_STR, "1728m");
	scalar_is("nul", FM_V_STR, "nul");
	/* indicators */
	scalar_is("*", FM_V_STR, "'*'");
	scalar_is("a: b", FM_V_STR, "'a: b'");
	scalar_is("a:b", FM_V_STR, "a:b");
	scalar_is("http://h:1/p", FM_V_STR, "http://h:1/p");
	scalar_is("a #b", FM_V_STR, "'a #b'");
	scalar_is("a#b", FM_V_STR, "a#b");
	scalar_is("- x", FM_V_STR, "'- x'");
	scalar_is("-x", FM_V_STR, "-x");
	scalar_is("[a, b]", FM_V_STR, "'[a, b]'");
	scalar_is("a,b", FM_V_STR, "a,b");
	scalar_is("---", FM_V_STR, "'---'");
	scalar_is(" lead", FM_V_STR, "' lead'");
	scalar_is("trail ", FM_V_STR, "'trail '");
	scalar_is("it's", FM_V_STR, "it's");
	scalar_is("'q'", FM_V_STR, "'''q'''");
	scalar_is("--add-opens=java.base/java.lang=ALL-UNNAMED", FM_V_STR,
		  "--add-opens=java.base/java.lang=ALL-UNNAMED");
	/* special characters: double-quoted with escapes; unicode stays */
	scalar_is("tab\there", FM_V_STR, "\"tab\\there\"");
	scalar_is("a\"b\x07", FM_V_STR, "\"a\\\"b\\a\"");
	scalar_is("\xc3\xa9t\xc3\xa9", FM_V_STR, "\xc3\xa9t\xc3\xa9");
	/* multi-line: literal block, or double-quoted when a line ends in a space */
	scalar_is("one\ntwo", FM_V_STR, "|-\n  one\n  two");
	scalar_is("one\ntwo\n", FM_V_STR, "|\n  one\n  two");
	scalar_is(" x\ny", FM_V_STR, "|2-\n   x\n  y");
	scalar_is("a \nb", FM_V_STR, "\"a \\nb\"");
	/* typed values as their representer writes them */
	scalar_is("4", FM_V_INT, "4");
	scalar_is("true", FM_V_BOOL, "true");
	scalar_is("1.0E10", FM_V_FLOAT, "1.0E10");
	scalar_is("Infinity", FM_V_FLOAT, ".inf");
	scalar_is("NaN", FM_V_FLOAT, ".nan");
}

/* Runs UPDATE_AND_GET on a config.yaml text (2.2) with -D and edits. */
static char *update(const char *yaml, const char *const *dyn, size_t ndyn, bool flatten, fm_cw_input *edits,
		    int want_rc)
{
	const fm_profile *p = fm_profile_for("2.2");
	fm_conf *c = fm_conf_new();
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_conf_load_text(c, FM_FMT_YAML, "config.yaml", yaml, strlen(yaml), p, NULL, &d), FM_OK);
	fm_cw_input in = edits ? *edits : (fm_cw_input){0};
	in.profile = p;
	in.file = c;
	in.standard = true;
	in.yaml = yaml;
	in.yaml_len = strlen(yaml);
	in.dyn = dyn;
	in.ndyn = ndyn;
	in.flatten = flatten;
	fm_buf out = FM_BUF_INIT;
	fm_jchain err = {0};
	assert_int_equal(fm_cw_update_and_get(&in, "R:", &out, &err), want_rc);
	char *s;
	if (want_rc == FM_OK) {
		s = strdup(out.data ? out.data : "");
	} else {
		assert_true(err.n == 1);
		s = strdup(err.v[0].cls);
	}
	fm_jchain_release(&err);
	fm_buf_release(&out);
	fm_diag_release(&d);
	fm_conf_free(c);
	return s;
}

static void test_nested_and_flat(void **state)
{
	(void)state;
	const char *yaml = "taskmanager:\n  numberOfTaskSlots: 1\n  memory.process.size: 1728m\n";
	const char *dyn[] = {"taskmanager.numberOfTaskSlots=4", "blob.server.port=6124"};
	char *s = update(yaml, dyn, 2, false, NULL, FM_OK);
	/* -D values are strings: quoted where YAML would read a number */
	assert_non_null(strstr(s, "R:  numberOfTaskSlots: '4'\n"));
	assert_non_null(strstr(s, "R:blob:\nR:  server:\nR:    port: '6124'\n"));
	assert_non_null(strstr(s, "R:  memory:\nR:    process:\nR:      size: 1728m\n"));
	free(s);
	s = update(yaml, NULL, 0, true, NULL, FM_OK);
	/* the file's int stays an int in the flat form */
	assert_non_null(strstr(s, "R:taskmanager.numberOfTaskSlots: 1\n"));
	assert_non_null(strstr(s, "R:taskmanager.memory.process.size: 1728m\n"));
	free(s);
	s = update("{}\n", NULL, 0, false, NULL, FM_OK);
	assert_string_equal(s, "R:{}\n");
	free(s);
}

static void test_edits(void **state)
{
	(void)state;
	const char *yaml = "a:\n  b: 1\n  c: x\nd: keep\ne: gone\nrest.address: localhost\n";
	const char *rep[] = {"rest.address,localhost,0.0.0.0", "d,nomatch,y"};
	const char *rmkv[] = {"e=gone"};
	const char *rmkey[] = {"a"};
	fm_cw_input ed = {.rep_kv = rep, .nrep_kv = 2, .rm_kv = rmkv, .nrm_kv = 1, .rm_key = rmkey, .nrm_key = 1};
	char *s = update(yaml, NULL, 0, true, &ed, FM_OK);
	assert_null(strstr(s, "a.b"));   /* -rmKey a takes a.* with it */
	assert_null(strstr(s, "e: "));   /* -rmKV e=gone matched */
	assert_non_null(strstr(s, "R:d: keep\n"));
	assert_non_null(strstr(s, "R:rest.address: 0.0.0.0\n"));
	free(s);
	const char *shortrep[] = {"a,b"};
	fm_cw_input bad = {.rep_kv = shortrep, .nrep_kv = 1};
	s = update(yaml, NULL, 0, false, &bad, FM_ESYNTAX);
	assert_string_equal(s, "java.lang.ArrayIndexOutOfBoundsException");
	free(s);
}

static void test_class_cast(void **state)
{
	(void)state;
	/* env.java.opts as a value and as the parent of env.java.opts.all */
	const char *dyn[] = {"env.java.opts.all=-Dx=1"};
	char *s = update("env:\n  java:\n    opts: -Xss2m\n", dyn, 1, false, NULL, FM_ESYNTAX);
	assert_string_equal(s, "java.lang.ClassCastException");
	free(s);
	/* the flat form has no nesting, hence no failure */
	s = update("env:\n  java:\n    opts: -Xss2m\n", dyn, 1, true, NULL, FM_OK);
	assert_non_null(strstr(s, "R:env.java.opts.all: -Dx=1\n"));
	free(s);
}

static void test_legacy(void **state)
{
	(void)state;
	const fm_profile *p = fm_profile_for("1.20");
	const char *text = "taskmanager.numberOfTaskSlots: 4\nenv.java.opts.all: -Da=b\n";
	fm_conf *c = fm_conf_new();
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_conf_load_text(c, FM_FMT_FLAT, "flink-conf.yaml", text, strlen(text), p, NULL, &d), FM_OK);
	fm_cw_input in = {.profile = p, .file = c};
	fm_buf out = FM_BUF_INIT;
	fm_jchain err = {0};
	/* legacy configuration: "key: value" as the strings are, never quoted */
	assert_int_equal(fm_cw_update_and_get(&in, "", &out, &err), FM_OK);
	assert_non_null(strstr(out.data, "taskmanager.numberOfTaskSlots: 4\n"));
	fm_buf_reset(&out);
	/* migrated to config.yaml: nested, the strings quoted */
	assert_int_equal(fm_cw_migrate(&in, "", &out, &err), FM_OK);
	assert_non_null(strstr(out.data, "  numberOfTaskSlots: '4'\n"));
	fm_logs logs = FM_LOGS_INIT;
	assert_int_equal(fm_cw_load_logs(&in, &logs), FM_OK);
	assert_int_equal(logs.n, 2);
	fm_logs_release(&logs);
	fm_buf_release(&out);
	fm_diag_release(&d);
	fm_conf_free(c);
}

static void test_sensitive_logs(void **state)
{
	(void)state;
	const fm_profile *p = fm_profile_for("2.2");
	const char *yaml = "s3.secret-key: abc\nmy.Password: p\nplain: v\n";
	fm_conf *c = fm_conf_new();
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_conf_load_text(c, FM_FMT_YAML, "config.yaml", yaml, strlen(yaml), p, NULL, &d), FM_OK);
	const char *dyn[] = {"api.token=t"};
	fm_cw_input in = {.profile = p, .file = c, .standard = true, .yaml = yaml, .yaml_len = strlen(yaml),
			  .dyn = dyn, .ndyn = 1};
	fm_logs logs = FM_LOGS_INIT;
	assert_int_equal(fm_cw_load_logs(&in, &logs), FM_OK);
	assert_int_equal(logs.n, 4);
	int hidden = 0;
	for (size_t i = 0; i < logs.n; i++) {
		assert_null(strstr(logs.v[i], "abc"));
		hidden += strstr(logs.v[i], "******") != NULL;
	}
	assert_int_equal(hidden, 3);
	assert_non_null(strstr(logs.v[3], "Loading dynamic configuration property: api.token, ******"));
	fm_logs_release(&logs);
	fm_diag_release(&d);
	fm_conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_nested_and_flat),
		cmocka_unit_test(test_edits),
		cmocka_unit_test(test_class_cast),
		cmocka_unit_test(test_legacy),
		cmocka_unit_test(test_sensitive_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
