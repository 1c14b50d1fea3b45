/* fuzz_javanum — javanum parsing on arbitrary bytes, and the round trip
 * parse(toString(x)) == x that Java guarantees for every finite x, on the
 * parsed values and on the input's leading bytes read as raw bit patterns.
 * Any violation aborts. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/javanum.h"

static void check(int ok)
{
	if (!ok)
		abort();
}

static void round_trip_double(double d)
{
	char s[FM_JAVA_DTOA_MAX];
	size_t n = fm_java_double_to_string(d, s);
	check(n > 0 && n < FM_JAVA_DTOA_MAX && strlen(s) == n);
	double back;
	check(fm_java_parse_double(s, n, &back) == 0);
	if (isnan(d)) {
		check(isnan(back));
		return;
	}
	uint64_t a, b;
	memcpy(&a, &d, sizeof a);
	memcpy(&b, &back, sizeof b);
	check(a == b);
	if (isinf(d))
		return;
	/* BigDecimal.valueOf(d) holds the printed value: reading its
	 * digits and exponent back gives d again (up to the sign of zero). */
	uint64_t digits;
	int e10, neg;
	fm_java_double_decimal(d, &digits, &e10, &neg);
	char t[64];
	int tn = snprintf(t, sizeof t, "%s%llue%d", neg ? "-" : "", (unsigned long long)digits, e10);
	check(tn > 0 && (size_t)tn < sizeof t);
	check(fm_java_parse_double(t, (size_t)tn, &back) == 0);
	check(back == d);
}

static void round_trip_float(float f)
{
	char s[FM_JAVA_DTOA_MAX];
	size_t n = fm_java_float_to_string(f, s);
	check(n > 0 && n < FM_JAVA_DTOA_MAX && strlen(s) == n);
	float back;
	check(fm_java_parse_float(s, n, &back) == 0);
	if (isnan(f)) {
		check(isnan(back));
		return;
	}
	uint32_t a, b;
	memcpy(&a, &f, sizeof a);
	memcpy(&b, &back, sizeof b);
	check(a == b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	double d;
	float f;
	int rd = fm_java_parse_double(s, size, &d);
	int rf = fm_java_parse_float(s, size, &f);
	/* one grammar for both */
	check(rd == rf);
	check(rd == 0 || rd == FM_JAVA_NFE_INPUT || rd == FM_JAVA_NFE_EMPTY ||
	      rd == FM_JAVA_NFE_POINTS);
	if (rd == 0) {
		round_trip_double(d);
		round_trip_double((double)f);
		round_trip_float(f);
	}
	if (size >= sizeof(uint64_t)) {
		uint64_t u;
		memcpy(&u, data, sizeof u);
		memcpy(&d, &u, sizeof d);
		round_trip_double(d);
	}
	if (size >= sizeof(uint32_t)) {
		uint32_t u;
		memcpy(&u, data, sizeof u);
		memcpy(&f, &u, sizeof f);
		round_trip_float(f);
	}
	return 0;
}
