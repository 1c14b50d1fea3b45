/* fuzz_size — MemorySize on arbitrary bytes: fm_size_parse must not crash
 * and, when it succeeds, give a value >= 0 that re-parses identically from
 * its decimal digits + "b" (and from the k/m/g/t form when divisible);
 * failures carry a Java exception. fm_size_human_c stays inside
 * FM_SIZE_HUMAN_MAX for any int64, and fm_size_mul by a fraction in [0, 1]
 * never overflows nor grows the value. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_assert.h"
#include "flinkmem/memsize.h"


static void check_human(int64_t v)
{
	char buf[FM_SIZE_HUMAN_MAX + 32];
	memset(buf, 0x5A, sizeof(buf));
	fm_size_human_c(buf, v);
	size_t n = strnlen(buf, FM_SIZE_HUMAN_MAX);
	CHECK(n < FM_SIZE_HUMAN_MAX);
	for (size_t i = FM_SIZE_HUMAN_MAX; i < sizeof(buf); i++)
		CHECK((unsigned char)buf[i] == 0x5A);
	CHECK(n > 0);
	if (v >= 0) {
		/* "<n> bytes" or "<x.yyy><unit> (<n> bytes)": ends with the count. */
		char tail[40];
		snprintf(tail, sizeof(tail), "%lld bytes", (long long)v);
		size_t tl = strlen(tail);
		CHECK(n >= tl);
		CHECK(memcmp(buf + n - tl - (v > 1024 ? 1 : 0), tail, tl) == 0);
	}
}

static int64_t reparse(const char *s)
{
	int64_t v = -1;
	fm_jexc e = {0};
	int rc = fm_size_parse(s, strlen(s), &v, &e);
	CHECK(rc == 0);
	fm_jexc_release(&e);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	int64_t v = -1;
	fm_jexc e = {0};
	int rc = fm_size_parse(text, size, &v, &e);
	if (rc == 0) {
		CHECK(v >= 0);
		CHECK(e.msg == NULL);
		char s[48];
		snprintf(s, sizeof(s), "%lldb", (long long)v);
		CHECK(reparse(s) == v);
		static const char *units[] = {"k", "m", "g", "t"};
		for (int i = 0; i < 4; i++) {
			int64_t mult = INT64_C(1) << (10 * (i + 1));
			if (v % mult == 0) {
				snprintf(s, sizeof(s), " %lld %s ", (long long)(v / mult), units[i]);
				CHECK(reparse(s) == v);
			}
		}
		check_human(v);
	} else {
		CHECK(rc == -1);
		CHECK(e.cls != NULL);
		CHECK(e.msg != NULL);
		CHECK(strcmp(e.cls, FM_JCLS_IAE) == 0 || strcmp(e.cls, FM_JCLS_NFE) == 0);
	}
	fm_jexc_release(&e);

	/* Raw 8 bytes as any int64 for the formatter; next 8 as a double
	 * multiplier, folded into [0, 1]. */
	if (size >= 8) {
		int64_t raw;
		memcpy(&raw, data, sizeof(raw));
		check_human(raw);
		if (size >= 16 && raw >= 0) {
			double m;
			memcpy(&m, data + 8, sizeof(m));
			if (isfinite(m)) {
				m = fabs(m);
				if (m > 1)
					m = 1 / m;
				int64_t out = -1;
				fm_jexc me = {0};
				CHECK(fm_size_mul(raw, m, &out, &me) == 0);
				CHECK(out >= 0 && out <= raw);
				fm_jexc_release(&me);
			}
		}
	}
	return 0;
}
