/* test_lintcfg — check's linter machinery below the CLI: which line a
 * suppression comment silences (its own, the next setting, the file),
 * rule lists, the project file's types, severity overrides moving a
 * finding to its new group; and fm_text_wrap: no wrapped line is wider
 * than asked, words survive in order, UTF-8 and colour sequences are
 * measured as a terminal shows them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/lintcfg.h"
#include "flinkmem/render.h"

static void targets(void **state)
{
	(void)state;
	const char *t = "a: 1  # flinkmem: disable=FM010\n"
			"# flinkmem: disable=FM012,FM013 because\n"
			"\n"
			"# another comment\n"
			"b: 2\n"
			"c: 3 #flinkmem:disable-file=fm060\n"
			"# flinkmem: disable=FM020\n";
	fm_suppressions s;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_suppressions_scan("f", t, strlen(t), &s, &d), FM_OK);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.v[0].at, 1);
	assert_int_equal(s.v[0].target, 1);
	assert_int_equal(s.v[1].at, 2);
	assert_int_equal(s.v[1].target, 5); /* past the blank and the comment */
	assert_string_equal(s.v[1].why, "because");
	assert_true(fm_rule_set_has(&s.v[1].rules, fm_lint_rule("FM013")));
	assert_false(fm_rule_set_has(&s.v[1].rules, fm_lint_rule("FM010")));
	assert_int_equal(s.v[2].target, 0); /* the file */
	assert_int_equal(s.v[3].target, 7); /* nothing follows: its own line */

	fm_finding v[4] = {
		{.rule = fm_lint_rule("FM012"), .file = "f", .line = 5},
		{.rule = fm_lint_rule("FM012"), .file = "f", .line = 4},
		{.rule = fm_lint_rule("FM060")},                      /* no file: about the config */
		{.rule = fm_lint_rule("FM012"), .file = "other", .line = 5},
	};
	fm_findings f = {v, 4, 4};
	assert_int_equal(fm_suppressions_apply(&s, "f", &f), FM_OK);
	assert_int_equal(v[0].suppressed_at, 2);
	assert_int_equal(v[1].suppressed_at, 0);
	assert_int_equal(v[2].suppressed_at, 6);
	assert_true(v[2].suppressed_file);
	assert_int_equal(v[3].suppressed_at, 0);
	free(v[0].suppressed_why);
	fm_suppressions_release(&s);
}

static void bad_directives(void **state)
{
	(void)state;
	const char *bad[] = {"x: 1 # flinkmem: disable=FM999\n", "# flinkmem: enable=FM010\n", "# flinkmem: disable\n",
			     "# flinkmem: disable=\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		fm_suppressions s;
		fm_diag d = FM_DIAG_INIT;
		assert_int_equal(fm_suppressions_scan("f", bad[i], strlen(bad[i]), &s, &d), FM_EINVAL);
		assert_non_null(d.msg);
		assert_int_equal(d.line, 1);
		assert_true(d.col > 1);
		fm_suppressions_release(&s);
		fm_diag_release(&d);
	}
}

static void project_file(void **state)
{
	(void)state;
	const char *t = "disable: FM010, FM012\nenable: [fm012]\nfail-on: note\nseverity: {FM020: error}\n"
			"ignore: [\"a/*\"]\nflink-version: \"1.18\"\n";
	fm_lintcfg c;
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_lintcfg_parse("p", t, strlen(t), &c, &d), FM_OK);
	assert_true(fm_rule_set_has(&c.disable, fm_lint_rule("FM010")));
	assert_true(fm_rule_set_has(&c.enable, fm_lint_rule("FM012")));
	assert_true(c.has_fail_on && c.fail_on == FM_SEV_NOTE);
	assert_int_equal(c.nsev, 1);
	assert_int_equal(c.nignore, 1);
	assert_string_equal(c.flink_version, "1.18");
	fm_lintcfg_release(&c);
	const char *bad[] = {"disable: [FM999]\n", "fail-on: [error]\n", "color: auto\n", "- a\n", "severity: {FM020: x}\n",
			     /* a key twice (YAML forbids it; the fuzzer found the second
			      * severity table leaking the first) */
			     "severity: {}\nseverity: {}\n"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(fm_lintcfg_parse("p", bad[i], strlen(bad[i]), &c, &d), FM_EINVAL);
		assert_string_equal(d.file, "p");
		assert_true(d.line >= 1);
		fm_lintcfg_release(&c);
		fm_diag_release(&d);
	}
	assert_int_equal(fm_lintcfg_parse("p", "", 0, &c, &d), FM_OK); /* empty: nothing set */
	fm_lintcfg_release(&c);
}

static void select_and_severity(void **state)
{
	(void)state;
	fm_findings f = {calloc(3, sizeof(fm_finding)), 3, 3};
	assert_non_null(f.v);
	f.v[0] = (fm_finding){.rule = fm_lint_rule("FM012"), .severity = FM_SEV_ERROR};
	f.v[1] = (fm_finding){.rule = fm_lint_rule("FM020"), .severity = FM_SEV_WARNING};
	f.v[2] = (fm_finding){.rule = fm_lint_rule("FM010"), .severity = FM_SEV_WARNING};
	fm_rule_set on = {0};
	assert_int_equal(fm_rule_ids_parse("all", 3, &on, NULL), FM_OK);
	fm_rule_set off = {0};
	assert_int_equal(fm_rule_ids_parse("FM012", 5, &off, NULL), FM_OK);
	for (size_t w = 0; w < FM_RULES_CAP / 64; w++)
		on.bits[w] &= ~off.bits[w];
	struct fm_lintcfg_sev sev = {fm_lint_rule("FM010"), FM_SEV_ERROR};
	fm_findings_select(&f, &on, &sev, 1);
	assert_int_equal(f.n, 2);
	assert_string_equal(f.v[0].rule->id, "FM010"); /* now an error: first */
	assert_int_equal(f.v[0].severity, FM_SEV_ERROR);
	assert_string_equal(f.v[1].rule->id, "FM020");
	fm_findings_release(&f);
}

/* Columns as a terminal shows them. */
static size_t cols(const char *s, size_t n)
{
	size_t c = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\033') {
			while (i < n && s[i] != 'm')
				i++;
			continue;
		}
		c += ((unsigned char)s[i] & 0xC0) != 0x80;
	}
	return c;
}

static void wrap(void **state)
{
	(void)state;
	const char *words[] = {"-Xmx1664299798", "-D", "taskmanager.memory.network.min=359703515b", "├─", "\033[1mErrors\033[0m",
			       "a", "verylongwordthatdoesnotfitanywhereatallinthenarrowestcolumnswetry", "Label:", "x"};
	unsigned seed = 7;
	for (int round = 0; round < 300; round++) {
		char text[2048];
		size_t n = 0;
		int nw = 1 + (int)((seed = seed * 1103515245 + 12345) >> 16) % 40;
		n += (size_t)snprintf(text + n, sizeof text - n, "%s", round % 2 ? "  Dynamic configs: " : "  ");
		for (int k = 0; k < nw && n < sizeof text - 100; k++)
			n += (size_t)snprintf(text + n, sizeof text - n, "%s ", words[((seed = seed * 1103515245 + 12345) >> 16) % 9]);
		size_t width = 20 + (size_t)round % 70;
		fm_buf b = FM_BUF_INIT;
		assert_int_equal(fm_text_wrap(&b, text, n, width), 0);
		/* every line fits; the non-blank bytes are the input's, in order */
		size_t j = 0;
		for (size_t i = 0; i < b.len;) {
			const char *nl = memchr(b.data + i, '\n', b.len - i);
			size_t e = nl ? (size_t)(nl - b.data) : b.len;
			assert_true(cols(b.data + i, e - i) <= width);
			i = e + 1;
		}
		for (size_t i = 0; i < b.len; i++) {
			if (b.data[i] == ' ' || b.data[i] == '\n')
				continue;
			while (j < n && text[j] == ' ')
				j++;
			assert_true(j < n);
			assert_int_equal(b.data[i], text[j]);
			j++;
		}
		while (j < n && text[j] == ' ')
			j++;
		assert_int_equal(j, n);
		fm_buf_release(&b);
	}
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_text_wrap(&b, "short\n", 6, 0), 0);
	assert_string_equal(b.data, "short\n");
	fm_buf_release(&b);
	assert_int_equal(fm_text_wrap(&b, "  JVM flags:       -Xmx1g -Xms1g -XX:Max=1", 42, 40), 0);
	assert_string_equal(b.data, "  JVM flags:       -Xmx1g -Xms1g\n                   -XX:Max=1");
	fm_buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(targets), cmocka_unit_test(bad_directives), cmocka_unit_test(project_file),
		cmocka_unit_test(select_and_severity), cmocka_unit_test(wrap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
