/* test_javanum — javanum against JDK 17.
 *
 * The reference table unit/data/javanum.tsv was produced by the JVM
 * (its second half by unit/data/GenJavanum.java, seeded; rerun by hand)
 * (Double/Float.toString, BigDecimal.valueOf, Float.parseFloat,
 * Double.parseDouble); every line must match. A JVM-free round-trip check
 * and a few spelled-out quirks follow. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/javanum.h"

static double dbl(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static uint64_t dbits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

static float flt(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

static uint32_t fbits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static uint64_t rng_state;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += UINT64_C(0x9E3779B97F4A7C15));
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* ---- reference table ------------------------------------------------- */

/* Splits line at tabs in place; returns the field count (at most max). */
static int split_tabs(char *line, char **f, int max)
{
	int n = 0;
	f[n++] = line;
	for (char *p = line; *p && n < max; p++) {
		if (*p == '\t') {
			*p = '\0';
			f[n++] = p + 1;
		}
	}
	return n;
}

/* Undoes the table's \xHH escapes in place; returns the byte count. */
static size_t unescape(char *s)
{
	size_t o = 0;
	for (size_t i = 0; s[i];) {
		if (s[i] == '\\' && s[i + 1] == 'x' && s[i + 2] && s[i + 3]) {
			char hex[3] = {s[i + 2], s[i + 3], 0};
			s[o++] = (char)strtoul(hex, NULL, 16);
			i += 4;
		} else {
			s[o++] = s[i++];
		}
	}
	return o;
}

static const char *rc_kind(int rc)
{
	switch (rc) {
	case FM_JAVA_NFE_INPUT:
		return "NFE:INPUT";
	case FM_JAVA_NFE_EMPTY:
		return "NFE:EMPTY";
	case FM_JAVA_NFE_POINTS:
		return "NFE:POINTS";
	default:
		return "NFE:?";
	}
}

struct tally {
	unsigned long lines[4]; /* D F B P */
	unsigned long bad;
};

static void report(struct tally *t, unsigned long lineno, const char *what, const char *want,
		   const char *got)
{
	if (t->bad++ < 25)
		fprintf(stderr, "javanum.tsv:%lu: %s: want %s, got %s\n", lineno, what, want, got);
}

static void check_line(struct tally *t, unsigned long lineno, char *line)
{
	char *f[5];
	int nf = split_tabs(line, f, 5);
	char got[128];
	if (strcmp(f[0], "D") == 0 && nf == 3) {
		t->lines[0]++;
		fm_java_double_to_string(dbl(strtoull(f[1], NULL, 16)), got);
		if (strcmp(got, f[2]) != 0)
			report(t, lineno, f[1], f[2], got);
	} else if (strcmp(f[0], "F") == 0 && nf == 3) {
		t->lines[1]++;
		fm_java_float_to_string(flt((uint32_t)strtoul(f[1], NULL, 16)), got);
		if (strcmp(got, f[2]) != 0)
			report(t, lineno, f[1], f[2], got);
	} else if (strcmp(f[0], "B") == 0 && nf == 4) {
		t->lines[2]++;
		uint64_t digits;
		int e10, neg;
		fm_java_double_decimal(dbl(strtoull(f[1], NULL, 16)), &digits, &e10, &neg);
		snprintf(got, sizeof got, "%" PRIu64 "e%d", digits, e10);
		char want[128];
		snprintf(want, sizeof want, "%se%s", f[2], f[3]);
		if (strcmp(got, want) != 0)
			report(t, lineno, f[1], want, got);
	} else if (strcmp(f[0], "P") == 0 && nf == 4) {
		t->lines[3]++;
		size_t n = unescape(f[1]);
		float fv = 0;
		double dv = 0;
		int rc = fm_java_parse_float(f[1], n, &fv);
		if (rc == 0)
			snprintf(got, sizeof got, "%08" PRIx32, fbits(fv));
		else
			snprintf(got, sizeof got, "%s", rc_kind(rc));
		if (strcmp(got, f[2]) != 0)
			report(t, lineno, "parseFloat", f[2], got);
		rc = fm_java_parse_double(f[1], n, &dv);
		if (rc == 0)
			snprintf(got, sizeof got, "%016" PRIx64, dbits(dv));
		else
			snprintf(got, sizeof got, "%s", rc_kind(rc));
		if (strcmp(got, f[3]) != 0)
			report(t, lineno, "parseDouble", f[3], got);
	} else {
		report(t, lineno, "format", "D/F/B/P line", f[0]);
	}
}

static void test_jdk_table(void **state)
{
	(void)state;
	const char *dir = getenv("FM_TESTDATA");
	if (!dir)
		fail_msg("FM_TESTDATA is not set (ctest sets it to tests/)");
	char path[4096];
	snprintf(path, sizeof path, "%s/unit/data/javanum.tsv", dir);
	FILE *fp = fopen(path, "r");
	if (!fp)
		fail_msg("cannot open %s", path);
	struct tally t = {{0}, 0};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned long lineno = 0;
	while ((len = getline(&line, &cap, fp)) >= 0) {
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		check_line(&t, lineno, line);
	}
	free(line);
	fclose(fp);
	fprintf(stderr, "javanum.tsv: %lu toString, %lu Float.toString, %lu BigDecimal, %lu parse lines\n",
		t.lines[0], t.lines[1], t.lines[2], t.lines[3]);
	/* A truncated or emptied table must not pass quietly. */
	assert_true(t.lines[0] >= 10000);
	assert_true(t.lines[1] >= 1000);
	assert_true(t.lines[2] >= 1000);
	assert_true(t.lines[3] >= 5000);
	assert_int_equal(t.bad, 0);
}

/* ---- JVM-free properties ------------------------------------------------ */

/* Whatever digits JDK 17 picks, they must read back to the same value. */
static void test_round_trip(void **state)
{
	(void)state;
	char s[FM_JAVA_DTOA_MAX];
	rng_state = 12345;
	for (int i = 0; i < 100000; i++) {
		double d = dbl(rng());
		double w = (double)flt((uint32_t)(rng() % 0x3f800000u));
		if (i % 4 == 1) /* also what Flink feeds it: widened floats */
			d = w;
		else if (i % 4 == 2) /* and f / (1 - f) */
			d = w / (1.0 - w);
		size_t n = fm_java_double_to_string(d, s);
		assert_true(n > 0 && n < FM_JAVA_DTOA_MAX);
		assert_int_equal(strlen(s), n);
		double back = 0;
		assert_int_equal(fm_java_parse_double(s, n, &back), 0);
		if (isnan(d))
			assert_true(isnan(back));
		else if (dbits(back) != dbits(d))
			fail_msg("%016" PRIx64 " -> %s -> %016" PRIx64, dbits(d), s, dbits(back));

		float f = flt((uint32_t)rng());
		n = fm_java_float_to_string(f, s);
		float fb = 0;
		assert_int_equal(fm_java_parse_float(s, n, &fb), 0);
		if (isnan(f))
			assert_true(isnan(fb));
		else if (fbits(fb) != fbits(f))
			fail_msg("%08" PRIx32 " -> %s -> %08" PRIx32, fbits(f), s, fbits(fb));
	}
}

/* ---- spelled-out cases ---------------------------------------------------- */

static void expect_d(double d, const char *want)
{
	char s[FM_JAVA_DTOA_MAX];
	fm_java_double_to_string(d, s);
	assert_string_equal(s, want);
}

static void expect_f(float f, const char *want)
{
	char s[FM_JAVA_DTOA_MAX];
	fm_java_float_to_string(f, s);
	assert_string_equal(s, want);
}

static void test_to_string(void **state)
{
	(void)state;
	expect_d(0.0, "0.0");
	expect_d(-0.0, "-0.0");
	expect_d(1.0, "1.0");
	expect_d(0.001, "0.001");
	expect_d(1.0e-4, "1.0E-4");
	expect_d(1234567.0, "1234567.0");
	expect_d(12345678.0, "1.2345678E7");
	expect_d(1.0e7, "1.0E7");
	expect_d(NAN, "NaN");
	expect_d(INFINITY, "Infinity");
	expect_d(-INFINITY, "-Infinity");
	expect_d(4.9e-324, "4.9E-324");
	expect_d(1.7976931348623157e308, "1.7976931348623157E308");
	expect_d((double)0.1f, "0.10000000149011612");
	expect_d((double)0.4f, "0.4000000059604645");
	/* JDK 17 is not shortest: */
	expect_d(1e23, "9.999999999999999E22");             /* shortest 1.0E23 */
	expect_d(0x1p60, "1.15292150460684698E18");         /* 1.152921504606847E18 */
	expect_d(2.82879384806159e17, "2.82879384806159008E17");
	expect_d(dbl(UINT64_C(0x1400000000000000)), "2.3763644578689498E-212"); /* 2^-701 */
	expect_f(1.0e-44f, "9.8E-45");                       /* shortest 1.0E-44 */
	expect_f(0.33f, "0.33");
	expect_f(1.0e10f, "1.0E10");
	expect_f(-0.0f, "-0.0");
	expect_f(3.4028235e38f, "3.4028235E38");
	expect_f(1.4e-45f, "1.4E-45");
}

static void test_decimal(void **state)
{
	(void)state;
	uint64_t dg;
	int e, neg;
	/* BigDecimal("1.0"): unscaled 10, scale 1 */
	fm_java_double_decimal(1.0, &dg, &e, &neg);
	assert_true(dg == 10 && e == -1 && !neg);
	fm_java_double_decimal((double)0.1f, &dg, &e, &neg);
	assert_true(dg == UINT64_C(10000000149011612) && e == -17 && !neg);
	fm_java_double_decimal(-1.0e-4, &dg, &e, &neg);
	assert_true(dg == 10 && e == -5 && neg);
	fm_java_double_decimal(1.0e23, &dg, &e, &neg);
	assert_true(dg == UINT64_C(9999999999999999) && e == 7);
	fm_java_double_decimal(0.0, &dg, &e, &neg);
	assert_true(dg == 0 && e == -1);
}

static int pd(const char *s, double *d)
{
	return fm_java_parse_double(s, strlen(s), d);
}

static int pf(const char *s, float *f)
{
	return fm_java_parse_float(s, strlen(s), f);
}

static void test_parse(void **state)
{
	(void)state;
	double d;
	float f;
	assert_int_equal(pf(" 0.33f ", &f), 0);
	assert_true(f == 0.33f);
	assert_int_equal(pf("+.5", &f), 0);
	assert_true(f == 0.5f);
	assert_int_equal(pd("0x1p-2", &d), 0);
	assert_true(d == 0.25);
	assert_int_equal(pd("-0X1.8P1d", &d), 0);
	assert_true(d == -3.0);
	assert_int_equal(pd(" 1e-50 ", &d), 0);
	assert_true(d == 1e-50);
	assert_int_equal(pd("NaN", &d), 0);
	assert_true(isnan(d));
	assert_int_equal(pd("-Infinity", &d), 0);
	assert_true(isinf(d) && d < 0);
	assert_int_equal(pd("1e400", &d), 0);
	assert_true(isinf(d));
	assert_int_equal(pd("-1e-400", &d), 0);
	assert_true(d == 0 && signbit(d));
	/* parseFloat rounds once, straight to float: 1 + 2^-24 + 2^-70 is
	 * above the halfway point although its double is exactly on it. */
	assert_int_equal(pf("1.00000005960464477539062500000000000000000084703", &f), 0);
	assert_true(f == 0x1.000002p0f);
	assert_true((float)0x1.000001p0 == 1.0f);

	assert_int_equal(pd("", &d), FM_JAVA_NFE_EMPTY);
	assert_int_equal(pd(" \t\n", &d), FM_JAVA_NFE_EMPTY);
	assert_int_equal(pd("1.2.3", &d), FM_JAVA_NFE_POINTS);
	const char *bad[] = {"inf", "nan", "-", "+", ".", "1e", "1e+", "0x1", "0x1.8", "0x.p1",
			     "NaNd", "1ff", "1_0", "0x1p1.5", "1e1e1", "Infinity!", "infinity", "1 0"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		d = 42;
		if (pd(bad[i], &d) != FM_JAVA_NFE_INPUT)
			fail_msg("\"%s\" should be NumberFormatException", bad[i]);
		assert_true(d == 42); /* untouched */
	}
	/* NUL bytes: trimmed at the ends like any char <= ' ', fatal inside */
	assert_int_equal(fm_java_parse_double("\0 0.5\0", 6, &d), 0);
	assert_true(d == 0.5);
	assert_int_equal(fm_java_parse_double("0.\0" "5", 4, &d), FM_JAVA_NFE_INPUT);
}

/* Long inputs are read in place, digits beyond the JDK's limit only count
 * as "something nonzero follows". */
static void test_parse_long(void **state)
{
	(void)state;
	size_t n = 200000;
	char *s = malloc(n + 8);
	assert_non_null(s);
	/* 0.5000...0001 with the 1 far beyond 1100 digits, times 2^-1074 is
	 * hard to spell; use the halfway point 1 + 2^-53 instead. */
	const char *half = "1.00000000000000011102230246251565404236316680908203125";
	size_t hl = strlen(half);
	memcpy(s, half, hl);
	memset(s + hl, '0', n - hl - 1);
	s[n - 1] = '1';
	double d;
	assert_int_equal(fm_java_parse_double(s, n, &d), 0);
	assert_true(d == 0x1.0000000000001p0); /* above the tie: up */
	s[n - 1] = '0';
	assert_int_equal(fm_java_parse_double(s, n, &d), 0);
	assert_true(d == 1.0); /* exact tie: to even */
	float f;
	assert_int_equal(fm_java_parse_float(s, n, &f), 0);
	assert_true(f == 1.0f);
	memset(s, '9', n);
	assert_int_equal(fm_java_parse_double(s, n, &d), 0);
	assert_true(isinf(d));
	s[0] = '.';
	memcpy(s + n, "e-3", 3);
	assert_int_equal(fm_java_parse_double(s, n + 3, &d), 0);
	assert_true(d == 1e-3);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_to_string),
		cmocka_unit_test(test_decimal),
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_parse_long),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_jdk_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
