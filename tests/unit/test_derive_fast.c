/* test_derive_fast — the shortcuts the derivation takes for speed give
 * exactly what the general code gives: its human sizes (a fast path that
 * skips Java's digit generation when the rounding cannot depend on it,
 * and writes digits without divisions) against fm_size_human_c, on sizes
 * near every rounding boundary, on every unit, and at random. The
 * derivation results themselves are checked by the conformance vectors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/derive.h"
#include "flinkmem/memsize.h"

/* splitmix64: a fixed sequence, so a failure repeats */
static uint64_t seq = 12345;

static uint64_t rnd(void)
{
	uint64_t z = (seq += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static int differ(int64_t b)
{
	char want[FM_SIZE_HUMAN_MAX], got[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(want, b);
	fm_derive_size_human(got, b);
	if (strcmp(want, got) == 0)
		return 0;
	print_error("%lld: derive wrote '%s', fm_size_human_c '%s'\n", (long long)b, got, want);
	return 1;
}

/* Fixed points: unit edges, whole units, the largest sizes, negatives. */
static void test_anchors(void **state)
{
	(void)state;
	static const int64_t v[] = {0, 1, 1023, 1024, 1025, 1088, (1 << 20) - 1, 1 << 20, (1 << 20) + 1,
				    (INT64_C(1) << 30) + 1, INT64_C(1) << 40, (INT64_C(1) << 40) + 1,
				    (INT64_C(1) << 53) - 1, INT64_C(1) << 53, INT64_MAX, -1, -(INT64_C(1) << 30),
				    INT64_MIN, 1811939328, 268435458, 134217728, 99999999, 100000000, 9999999999};
	int bad = 0;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		bad += differ(v[i]);
	assert_int_equal(bad, 0);
}

/* Sizes whose value in the unit is within a few bytes of a half
 * thousandth (x.xxx5): where Double.toString's digits decide. */
static void test_half_points(void **state)
{
	(void)state;
	int bad = 0;
	for (int unit = 1; unit <= 3; unit++) {
		int shift = 10 * (unit + 1);
		for (int i = 0; i < 20000 && bad < 5; i++) {
			uint64_t whole = rnd() % 5000;
			uint64_t thou = rnd() % 1000;
			/* (whole + (thou + 0.5) / 1000) units, in bytes, rounded */
			uint64_t base = (whole << shift) + (((2 * thou + 1) << shift) + 1000) / 2000;
			int64_t off = (int64_t)(rnd() % 20001) - 10000;
			bad += differ((int64_t)base + off);
		}
	}
	assert_int_equal(bad, 0);
}

/* Log-uniform sizes over the whole range, and fractions of a few
 * gigabytes as derivations produce them. */
static void test_random(void **state)
{
	(void)state;
	int bad = 0;
	for (int i = 0; i < 400000 && bad < 5; i++) {
		int64_t b = (int64_t)(rnd() >> (rnd() % 64));
		bad += differ(b);
		double f = (double)(rnd() % 1000000) / 1e6;
		bad += differ((int64_t)(f * (double)(rnd() % (UINT64_C(1) << 36))));
	}
	assert_int_equal(bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_anchors),
		cmocka_unit_test(test_half_points),
		cmocka_unit_test(test_random),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
