/* test_memsize — Flink's MemorySize in C: the size grammar with Java's exact
 * exceptions, toHumanReadableString (checked against an exact decimal
 * expansion and against Double.toString digits rounded half-up), the
 * BigDecimal fraction multiply (checked against an independent base-10^9
 * big-decimal product of the bytes and Double.toString's digits), and the
 * checked add/subtract. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/buf.h"
#include "flinkmem/javanum.h"
#include "flinkmem/memsize.h"

#define ALL_UNITS                                                                      \
	"(b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / " \
	"(t | tb | tebibytes)"
#define UNIT_MSG(u) "Memory size unit '" u "' does not match any of the recognized units: " ALL_UNITS

/* ---- deterministic PRNG (xorshift64*) ---- */

static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	rng_state = x;
	return x * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, n) (n > 0; the tiny modulo bias does not matter here). */
static uint64_t rnd_below(uint64_t n)
{
	return rnd() % n;
}

/* Log-uniform over 0..2^63-1: a random bit length, then random bits. */
static int64_t rnd_bytes(void)
{
	unsigned bits = (unsigned)rnd_below(64); /* 0..63 */
	if (bits == 0)
		return 0;
	uint64_t v = rnd() >> (64 - bits);
	v |= UINT64_C(1) << (bits - 1);
	return (int64_t)v;
}

static const int64_t edge_bytes[] = {
	0,
	1,
	2,
	3,
	7,
	10,
	999,
	1023,
	1024,
	1025,
	1000000,
	(INT64_C(1) << 20) - 1,
	INT64_C(1) << 20,
	INT64_C(1) << 30,
	1342177280,
	1811939328,
	(INT64_C(1) << 53) - 1,
	INT64_C(1) << 53,
	(INT64_C(1) << 53) + 1,
	INT64_C(1000000000000000000),
	INT64_C(1) << 62,
	INT64_MAX / 10,
	INT64_MAX / 3,
	INT64_MAX / 2,
	INT64_MAX / 2 + 1,
	INT64_MAX - 1,
	INT64_MAX,
};
#define N_EDGE (sizeof(edge_bytes) / sizeof(edge_bytes[0]))

/* ---- helpers for the grammar ---- */

static void parse_ok_n(const char *s, size_t n, int64_t want)
{
	fm_jexc e = {0};
	int64_t v = -12345;
	int rc = fm_size_parse(s, n, &v, &e);
	if (rc != 0)
		fail_msg("parse of '%.*s' failed: %s: %s", (int)n, s, e.cls ? e.cls : "?",
			 e.msg ? e.msg : "?");
	assert_int_equal(v, want);
	fm_jexc_release(&e);
}

static void parse_ok(const char *s, int64_t want)
{
	parse_ok_n(s, strlen(s), want);
}

static void parse_err_n(const char *s, size_t n, const char *cls, const char *msg)
{
	fm_jexc e = {0};
	int64_t v = -12345;
	int rc = fm_size_parse(s, n, &v, &e);
	if (rc == 0)
		fail_msg("parse of '%.*s' succeeded with %lld, expected %s", (int)n, s, (long long)v,
			 cls);
	assert_int_equal(rc, -1);
	assert_int_equal(v, -12345); /* untouched on failure */
	assert_non_null(e.cls);
	assert_non_null(e.msg);
	assert_string_equal(e.cls, cls);
	assert_string_equal(e.msg, msg);
	fm_jexc_release(&e);
	assert_null(e.msg);
}

static void parse_err(const char *s, const char *cls, const char *msg)
{
	parse_err_n(s, strlen(s), cls, msg);
}

/* ---- the size grammar ---- */

static void test_parse_units(void **state)
{
	(void)state;
	static const struct {
		const char *u;
		int64_t mult;
	} units[] = {
		{"b", 1},
		{"bytes", 1},
		{"k", INT64_C(1) << 10},
		{"kb", INT64_C(1) << 10},
		{"kibibytes", INT64_C(1) << 10},
		{"m", INT64_C(1) << 20},
		{"mb", INT64_C(1) << 20},
		{"mebibytes", INT64_C(1) << 20},
		{"g", INT64_C(1) << 30},
		{"gb", INT64_C(1) << 30},
		{"gibibytes", INT64_C(1) << 30},
		{"t", INT64_C(1) << 40},
		{"tb", INT64_C(1) << 40},
		{"tebibytes", INT64_C(1) << 40},
	};
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		char lower[32], upper[32], mixed[32], buf[64];
		size_t n = strlen(units[i].u);
		for (size_t k = 0; k <= n; k++) {
			char ch = units[i].u[k];
			lower[k] = ch;
			upper[k] = (char)(ch ? ch - 32 : 0);
			mixed[k] = (char)(ch && (k % 2) ? ch - 32 : ch);
		}
		const char *forms[] = {lower, upper, mixed};
		for (size_t f = 0; f < 3; f++) {
			snprintf(buf, sizeof(buf), "7%s", forms[f]);
			parse_ok(buf, 7 * units[i].mult);
			snprintf(buf, sizeof(buf), "7 %s", forms[f]);
			parse_ok(buf, 7 * units[i].mult);
			snprintf(buf, sizeof(buf), " \t 123 \t %s \n", forms[f]);
			parse_ok(buf, 123 * units[i].mult);
			snprintf(buf, sizeof(buf), "0%s", forms[f]);
			parse_ok(buf, 0);
		}
	}
	parse_ok("1  bytes", 1);
	parse_ok("64\tM", INT64_C(64) << 20);
	parse_ok(" 128m ", INT64_C(128) << 20);
	parse_ok("1728m", INT64_C(1811939328));
	parse_ok("5 KiBiBytes", 5 * 1024);
	parse_ok("5 TeBiByTeS", INT64_C(5) << 40);
}

static void test_parse_plain_numbers(void **state)
{
	(void)state;
	parse_ok("0", 0);
	parse_ok("1", 1);
	parse_ok("12345", 12345);
	parse_ok("000123", 123);
	parse_ok("000123k", 123 * 1024);
	parse_ok("\r\n\t 5 \x01\x1f", 5);
	/* Java's trim strips every char <= ' ', NUL included, also before the unit. */
	parse_ok_n("\0005\000", 3, 5);
	parse_ok_n("1\000g", 3, INT64_C(1) << 30);
	parse_ok("9223372036854775807", INT64_MAX);
	parse_ok("9223372036854775807b", INT64_MAX);
	parse_ok("9223372036854775807 bytes", INT64_MAX);
	parse_ok("8388607t", INT64_C(8388607) << 40);
	parse_ok("8589934591g", INT64_C(8589934591) << 30);
	parse_ok("9007199254740991k", INT64_C(9007199254740991) << 10);
	/* The text is s[0..n): nothing past n is read, no NUL needed. */
	static const char notnul[3] = {'1', '2', 'k'};
	parse_ok_n(notnul, 3, 12 * 1024);
	parse_ok_n(notnul, 2, 12);
	parse_ok_n("12g", 1, 1);
}

static void test_parse_empty(void **state)
{
	(void)state;
	const char *msg = "argument is an empty- or whitespace-only string";
	parse_err("", FM_JCLS_IAE, msg);
	parse_err(" ", FM_JCLS_IAE, msg);
	parse_err(" \t\r\n ", FM_JCLS_IAE, msg);
	parse_err("\x01\x1f", FM_JCLS_IAE, msg);
	parse_err_n("\000\000", 2, FM_JCLS_IAE, msg);
	parse_err_n("5", 0, FM_JCLS_IAE, msg);
}

static void test_parse_not_a_number(void **state)
{
	(void)state;
	const char *msg = "text does not start with a number";
	parse_err("abc", FM_JCLS_NFE, msg);
	parse_err("-1g", FM_JCLS_NFE, msg);
	parse_err("+1g", FM_JCLS_NFE, msg);
	parse_err("g", FM_JCLS_NFE, msg);
	parse_err(" m ", FM_JCLS_NFE, msg);
	parse_err(".5g", FM_JCLS_NFE, msg);
	parse_err("x10", FM_JCLS_NFE, msg);
	parse_err("\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93", FM_JCLS_NFE, msg); /* full-width 123 */
	parse_err("\xd9\xa1", FM_JCLS_NFE, msg);                            /* Arabic-Indic 1 */
	parse_err("\xc2\xa0" "1g", FM_JCLS_NFE, msg); /* NBSP is > ' ': not trimmed */
}

static void test_parse_bad_unit(void **state)
{
	(void)state;
	parse_err("1.5g", FM_JCLS_IAE, UNIT_MSG(".5g"));
	parse_err("1.5G", FM_JCLS_IAE, UNIT_MSG(".5g"));
	parse_err("0x10", FM_JCLS_IAE, UNIT_MSG("x10"));
	parse_err("1e3", FM_JCLS_IAE, UNIT_MSG("e3"));
	parse_err("1,000", FM_JCLS_IAE, UNIT_MSG(",000"));
	parse_err("1_000", FM_JCLS_IAE, UNIT_MSG("_000"));
	parse_err("1GiB", FM_JCLS_IAE, UNIT_MSG("gib"));
	parse_err("2 Gigabytes", FM_JCLS_IAE, UNIT_MSG("gigabytes"));
	parse_err("1 byte", FM_JCLS_IAE, UNIT_MSG("byte"));
	parse_err("1 G B", FM_JCLS_IAE, UNIT_MSG("g b"));
	parse_err("2g#comment", FM_JCLS_IAE, UNIT_MSG("g#comment"));
	parse_err("1g1", FM_JCLS_IAE, UNIT_MSG("g1"));
	parse_err("1  KB  x ", FM_JCLS_IAE, UNIT_MSG("kb  x"));
	/* Non-ASCII units: not trimmed, lower-cased (Locale.US) in the message. */
	parse_err("1\xc2\xa0g", FM_JCLS_IAE, UNIT_MSG("\xc2\xa0g"));
	parse_err("1\xef\xbc\xa7", FM_JCLS_IAE, UNIT_MSG("\xef\xbd\x87"));         /* 1Ｇ -> ｇ */
	parse_err("1 \xef\xbc\xa7\xef\xbc\xa2", FM_JCLS_IAE, UNIT_MSG("\xef\xbd\x87\xef\xbd\x82"));
	parse_err("1\xc3\x84", FM_JCLS_IAE, UNIT_MSG("\xc3\xa4"));                 /* Ä -> ä */
	parse_err("1\xd0\x93\xd0\x91", FM_JCLS_IAE, UNIT_MSG("\xd0\xb3\xd0\xb1")); /* ГБ -> гб */
	parse_err("1\xce\x9c", FM_JCLS_IAE, UNIT_MSG("\xce\xbc"));                 /* Μ -> μ */
	parse_err("5\xe2\x82\xac", FM_JCLS_IAE, UNIT_MSG("\xe2\x82\xac"));         /* € kept */
}

static void test_parse_overflow(void **state)
{
	(void)state;
	parse_err("9223372036854775808", FM_JCLS_IAE,
		  "The value '9223372036854775808' cannot be re represented as 64bit number "
		  "(numeric overflow).");
	/* The digits only, not the text; checked before the unit. */
	parse_err(" 9223372036854775808 g ", FM_JCLS_IAE,
		  "The value '9223372036854775808' cannot be re represented as 64bit number "
		  "(numeric overflow).");
	parse_err("99999999999999999999xyz", FM_JCLS_IAE,
		  "The value '99999999999999999999' cannot be re represented as 64bit number "
		  "(numeric overflow).");
	parse_err("10000000000000000000000", FM_JCLS_IAE,
		  "The value '10000000000000000000000' cannot be re represented as 64bit number "
		  "(numeric overflow).");
	parse_err("8388608t", FM_JCLS_IAE,
		  "The value '8388608t' cannot be re represented as 64bit number of bytes "
		  "(numeric overflow).");
	/* ...of bytes: quotes the untrimmed text. */
	parse_err(" 8388608 t\t", FM_JCLS_IAE,
		  "The value ' 8388608 t\t' cannot be re represented as 64bit number of bytes "
		  "(numeric overflow).");
	parse_err("8589934592g", FM_JCLS_IAE,
		  "The value '8589934592g' cannot be re represented as 64bit number of bytes "
		  "(numeric overflow).");
	parse_err("18014398509481983k", FM_JCLS_IAE,
		  "The value '18014398509481983k' cannot be re represented as 64bit number of bytes "
		  "(numeric overflow).");
	parse_err("9223372036854775807k", FM_JCLS_IAE,
		  "The value '9223372036854775807k' cannot be re represented as 64bit number of "
		  "bytes (numeric overflow).");
	parse_err("9007199254740992k", FM_JCLS_IAE,
		  "The value '9007199254740992k' cannot be re represented as 64bit number of bytes "
		  "(numeric overflow).");
}

static void test_parse_long_inputs(void **state)
{
	(void)state;
	const size_t n = (size_t)1 << 20;
	char *s = malloc(n + 2);
	assert_non_null(s);

	/* 1 MiB of digits: overflow, the message carries every digit. */
	memset(s, '7', n);
	fm_jexc e = {0};
	int64_t v = -1;
	assert_int_equal(fm_size_parse(s, n, &v, &e), -1);
	assert_string_equal(e.cls, FM_JCLS_IAE);
	const char *pre = "The value '";
	const char *post = "' cannot be re represented as 64bit number (numeric overflow).";
	assert_int_equal(strlen(e.msg), strlen(pre) + n + strlen(post));
	assert_memory_equal(e.msg, pre, strlen(pre));
	assert_string_equal(e.msg + strlen(pre) + n, post);
	for (size_t i = 0; i < n; i++)
		if (e.msg[strlen(pre) + i] != '7')
			fail_msg("digit %zu of the overflow message is '%c'", i, e.msg[strlen(pre) + i]);
	fm_jexc_release(&e);

	/* 1 MiB of leading zeros: Long.parseLong accepts them. */
	memset(s, '0', n);
	s[n - 1] = '7';
	s[n] = 'k';
	parse_ok_n(s, n + 1, 7 * 1024);

	/* 1 MiB of spaces around a number. */
	memset(s, ' ', n);
	s[n / 2] = '9';
	parse_ok_n(s, n, 9);

	/* 1 MiB unit. */
	memset(s, 'x', n);
	s[0] = '1';
	assert_int_equal(fm_size_parse(s, n, &v, &e), -1);
	assert_string_equal(e.cls, FM_JCLS_IAE);
	assert_int_equal(strlen(e.msg), strlen(UNIT_MSG("")) + n - 1);
	fm_jexc_release(&e);
	free(s);
}

/* ---- toHumanReadableString ---- */

static void human_is(int64_t bytes, const char *want)
{
	char out[FM_SIZE_HUMAN_MAX];
	memset(out, 'Z', sizeof(out));
	fm_size_human_c(out, bytes);
	assert_string_equal(out, want);
	fm_buf b = FM_BUF_INIT;
	assert_int_equal(fm_size_human(&b, bytes), 0);
	assert_string_equal(b.data, want);
	fm_buf_release(&b);
}

static void test_human_anchors(void **state)
{
	(void)state;
	human_is(0, "0 bytes");
	human_is(1, "1 bytes");
	human_is(1023, "1023 bytes");
	human_is(1024, "1024 bytes");
	human_is(1025, "1.001kb (1025 bytes)");
	human_is(1088, "1.063kb (1088 bytes)"); /* Java half-up; C %.3f gives 1.062 */
	human_is(1536, "1.500kb (1536 bytes)");
	human_is(1048575, "1023.999kb (1048575 bytes)");
	human_is(1048576, "1024.000kb (1048576 bytes)");
	human_is(1048577, "1.000mb (1048577 bytes)");
	human_is(INT64_C(1) << 30, "1024.000mb (1073741824 bytes)");
	human_is(1811939328, "1.688gb (1811939328 bytes)");
	human_is(INT64_C(1) << 40, "1024.000gb (1099511627776 bytes)");
	human_is((INT64_C(1) << 40) + 1, "1.000tb (1099511627777 bytes)");
	human_is(INT64_MAX, "8388608.000tb (9223372036854775807 bytes)");
	human_is(INT64_C(100) << 40, "100.000tb (109951162777600 bytes)");
}

/* Exact decimal expansion of bytes / 2^(10k) (bytes < 2^53, so the double
 * is exact), rounded half-up at 3 decimals. Returns the number of
 * significant digits of the exact expansion. */
static int exact_human(int64_t bytes, int k, char *out, size_t cap)
{
	static const char *names[] = {"kb", "mb", "gb", "tb"};
	unsigned sh = 10u * (unsigned)k;
	uint64_t ip = (uint64_t)bytes >> sh, mask = (UINT64_C(1) << sh) - 1, r = (uint64_t)bytes & mask;
	int fd[48], nf = 0;
	while (r && nf < 48) {
		r *= 10;
		fd[nf++] = (int)(r >> sh);
		r &= mask;
	}
	assert_int_equal(r, 0); /* terminates within 10k digits */
	char ibuf[24];
	int il = snprintf(ibuf, sizeof(ibuf), "%llu", (unsigned long long)ip);
	int sig = il + nf;
	uint64_t three = 0;
	for (int i = 0; i < 3; i++)
		three = three * 10 + (uint64_t)(i < nf ? fd[i] : 0);
	if (nf > 3 && fd[3] >= 5) {
		three++;
		if (three == 1000) {
			three = 0;
			ip++;
		}
	}
	snprintf(out, cap, "%llu.%03llu%s (%lld bytes)", (unsigned long long)ip,
		 (unsigned long long)three, names[k - 1], (long long)bytes);
	return sig;
}

/* Java's rule on Double.toString's digits: half-up at 3 decimals. */
static void digits_human(int64_t bytes, int k, char *out, size_t cap)
{
	static const char *names[] = {"kb", "mb", "gb", "tb"};
	double x = (double)bytes / (double)(INT64_C(1) << (10 * k));
	char s[FM_JAVA_DTOA_MAX];
	fm_java_double_to_string(x, s);
	/* 1 <= x < 2^23 < 10^7: always plain "ddd.ddd" form. */
	assert_null(strchr(s, 'E'));
	const char *dot = strchr(s, '.');
	assert_non_null(dot);
	char ip[32];
	size_t il = (size_t)(dot - s);
	assert_true(il < sizeof(ip));
	memcpy(ip, s, il);
	ip[il] = '\0';
	const char *fr = dot + 1;
	size_t fl = strlen(fr);
	int d3[3];
	for (int i = 0; i < 3; i++)
		d3[i] = (size_t)i < fl ? fr[i] - '0' : 0;
	int up = fl > 3 && fr[3] >= '5';
	/* Propagate the carry through the 3 decimals, then the integer part. */
	for (int i = 2; i >= 0 && up; i--) {
		if (++d3[i] == 10)
			d3[i] = 0;
		else
			up = 0;
	}
	for (int i = (int)il - 1; i >= 0 && up; i--) {
		if (ip[i] == '9')
			ip[i] = '0';
		else {
			ip[i]++;
			up = 0;
		}
	}
	snprintf(out, cap, "%s%s.%d%d%d%s (%lld bytes)", up ? "1" : "", ip, d3[0], d3[1], d3[2],
		 names[k - 1], (long long)bytes);
}

static int unit_of(int64_t bytes)
{
	int k = 0;
	for (int i = 1; i <= 4; i++)
		if (bytes > (INT64_C(1) << (10 * i)))
			k = i;
	return k;
}

/* Whole numbers of a unit take a short path in fm_size_human_c; it must
 * agree with Double.toString's digits for every size of n. */
static void test_human_whole_units(void **state)
{
	(void)state;
	for (int iter = 0; iter < 20000; iter++) {
		int k = 1 + (int)rnd_below(4);
		unsigned bits = 1 + (unsigned)rnd_below(63 - 10 * (unsigned)k);
		uint64_t n = (rnd() >> (64 - bits)) | (UINT64_C(1) << (bits - 1));
		int64_t bytes = (int64_t)(n << (10 * k));
		if (n == 1) /* exactly one unit prints in the unit below */
			continue;
		char want[FM_SIZE_HUMAN_MAX + 32], got[FM_SIZE_HUMAN_MAX];
		/* below 10^7 Double.toString is plain "n.0"; above, n < 2^53 is
		 * still printed exactly, which is the exact expansion */
		if (n < 10000000)
			digits_human(bytes, unit_of(bytes), want, sizeof(want));
		else
			exact_human(bytes, unit_of(bytes), want, sizeof(want));
		fm_size_human_c(got, bytes);
		assert_string_equal(got, want);
	}
}

static void test_human_random_exact(void **state)
{
	(void)state;
	int compared = 0, bad = 0;
	for (int iter = 0; iter < 200000 && compared < 20000; iter++) {
		/* bytes = m * 2^s with few significant bits: short exact expansions
		 * that often land on a rounding boundary (x.xxx5). */
		unsigned mb = 1 + (unsigned)rnd_below(40);
		uint64_t m = (rnd() >> (64 - mb)) | (UINT64_C(1) << (mb - 1));
		unsigned s = (unsigned)rnd_below(53 - mb + 1);
		int64_t bytes = (int64_t)(m << s);
		if (iter % 4 == 0)
			bytes += (int64_t)rnd_below(3) - 1; /* neighbours of round values */
		if (bytes < 0 || bytes >= (INT64_C(1) << 53))
			continue;
		int k = unit_of(bytes);
		char got[FM_SIZE_HUMAN_MAX], want[128];
		fm_size_human_c(got, bytes);
		if (k == 0) {
			snprintf(want, sizeof(want), "%lld bytes", (long long)bytes);
		} else {
			/* Double.toString may pick a shorter string than the exact
			 * expansion only when that has 16+ significant digits. */
			if (exact_human(bytes, k, want, sizeof(want)) > 15)
				continue;
		}
		compared++;
		if (strcmp(got, want) != 0 && bad++ < 10)
			print_error("human(%lld): got '%s', want '%s'\n", (long long)bytes, got, want);
	}
	assert_true(compared >= 20000);
	assert_int_equal(bad, 0);
}

static void test_human_random_digits(void **state)
{
	(void)state;
	int bad = 0;
	for (int iter = 0; iter < 20000; iter++) {
		int64_t bytes = iter < (int)N_EDGE ? edge_bytes[iter] : rnd_bytes();
		int k = unit_of(bytes);
		char got[FM_SIZE_HUMAN_MAX], want[128];
		fm_size_human_c(got, bytes);
		if (k == 0)
			snprintf(want, sizeof(want), "%lld bytes", (long long)bytes);
		else
			digits_human(bytes, k, want, sizeof(want));
		assert_true(strlen(got) < FM_SIZE_HUMAN_MAX);
		if (strcmp(got, want) != 0 && bad++ < 10)
			print_error("human(%lld): got '%s', want '%s'\n", (long long)bytes, got, want);
	}
	assert_int_equal(bad, 0);
}

/* ---- independent big-decimal multiply ---- */

#define BN_LIMBS 64 /* base 10^9: up to 576 decimal digits */
#define BN_BASE 1000000000u

typedef struct bn {
	uint32_t l[BN_LIMBS]; /* little-endian base-10^9 limbs */
	int n;                /* limbs in use; 0 = zero */
} bn;

static void bn_trim(bn *a)
{
	while (a->n > 0 && a->l[a->n - 1] == 0)
		a->n--;
}

static void bn_from_u64(bn *a, uint64_t v)
{
	a->n = 0;
	while (v) {
		a->l[a->n++] = (uint32_t)(v % BN_BASE);
		v /= BN_BASE;
	}
}

/* From a string of decimal digits (most significant first). */
static void bn_from_digits(bn *a, const char *d, size_t len)
{
	a->n = 0;
	for (size_t end = len; end > 0;) {
		size_t start = end >= 9 ? end - 9 : 0;
		uint32_t limb = 0;
		for (size_t i = start; i < end; i++)
			limb = limb * 10 + (uint32_t)(d[i] - '0');
		assert_true(a->n < BN_LIMBS);
		a->l[a->n++] = limb;
		end = start;
	}
	bn_trim(a);
}

static void bn_mul(bn *r, const bn *a, const bn *b)
{
	uint64_t acc[2 * BN_LIMBS + 1];
	memset(acc, 0, sizeof(acc));
	assert_true(a->n + b->n <= BN_LIMBS);
	for (int i = 0; i < a->n; i++) {
		uint64_t carry = 0;
		for (int j = 0; j < b->n; j++) {
			uint64_t t = acc[i + j] + (uint64_t)a->l[i] * b->l[j] + carry;
			acc[i + j] = t % BN_BASE;
			carry = t / BN_BASE;
		}
		int k = i + b->n;
		while (carry) {
			uint64_t t = acc[k] + carry;
			acc[k] = t % BN_BASE;
			carry = t / BN_BASE;
			k++;
		}
	}
	r->n = a->n + b->n;
	for (int i = 0; i < r->n; i++)
		r->l[i] = (uint32_t)acc[i];
	bn_trim(r);
}

/* Decimal digits of a, no leading zeros ("0" for zero). */
static size_t bn_to_str(const bn *a, char *out, size_t cap)
{
	if (a->n == 0) {
		assert_true(cap >= 2);
		out[0] = '0';
		out[1] = '\0';
		return 1;
	}
	int w = snprintf(out, cap, "%u", a->l[a->n - 1]);
	assert_true(w > 0 && (size_t)w < cap);
	size_t len = (size_t)w;
	for (int i = a->n - 2; i >= 0; i--) {
		assert_true(len + 10 <= cap);
		snprintf(out + len, cap - len, "%09u", a->l[i]);
		len += 9;
	}
	return len;
}

/* floor(bytes * BigDecimal(Double.toString(m))) for finite m >= 0:
 * 0 and *out, or 1 when the product exceeds Long.MAX_VALUE. */
static int ref_mul(int64_t bytes, double m, int64_t *out)
{
	char s[FM_JAVA_DTOA_MAX];
	fm_java_double_to_string(m, s);
	/* Mantissa digits and the decimal exponent of their last digit. */
	char dig[FM_JAVA_DTOA_MAX];
	size_t nd = 0;
	int frac = 0, seen_dot = 0;
	long exp = 0;
	const char *p = s;
	assert_true(*p != '-');
	for (; *p && *p != 'E'; p++) {
		if (*p == '.') {
			seen_dot = 1;
			continue;
		}
		assert_true(*p >= '0' && *p <= '9');
		dig[nd++] = *p;
		if (seen_dot)
			frac++;
	}
	if (*p == 'E') {
		p++;
		int neg = 0;
		if (*p == '-') {
			neg = 1;
			p++;
		}
		assert_true(*p >= '0' && *p <= '9');
		for (; *p; p++) {
			assert_true(*p >= '0' && *p <= '9');
			exp = exp * 10 + (*p - '0');
		}
		if (neg)
			exp = -exp;
	}
	long scale = exp - frac; /* value = dig * 10^scale */

	bn a, b, prod;
	bn_from_u64(&a, (uint64_t)bytes);
	bn_from_digits(&b, dig, nd);
	bn_mul(&prod, &a, &b);
	char ps[BN_LIMBS * 9 + 16];
	size_t pl = bn_to_str(&prod, ps, sizeof(ps));

	/* Integer part and whether a fraction remains. */
	char ipart[BN_LIMBS * 9 + 400];
	size_t il;
	int has_frac = 0;
	if (strcmp(ps, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (scale >= 0) {
		if (pl + (size_t)scale > 30)
			return 1; /* >= 10^30 > Long.MAX_VALUE */
		memcpy(ipart, ps, pl);
		memset(ipart + pl, '0', (size_t)scale);
		il = pl + (size_t)scale;
	} else {
		size_t drop = (size_t)-scale;
		for (size_t i = pl > drop ? pl - drop : 0; i < pl; i++)
			if (ps[i] != '0')
				has_frac = 1;
		if (drop >= pl) {
			*out = 0;
			return 0;
		}
		il = pl - drop;
		memcpy(ipart, ps, il);
	}
	ipart[il] = '\0';
	const char *maxs = "9223372036854775807";
	size_t ml = strlen(maxs);
	int cmp = il != ml ? (il < ml ? -1 : 1) : strcmp(ipart, maxs);
	if (cmp > 0 || (cmp == 0 && has_frac))
		return 1;
	int64_t v = 0;
	for (size_t i = 0; i < il; i++)
		v = v * 10 + (ipart[i] - '0');
	*out = v;
	return 0;
}

static int mul_bad;

static void check_mul(int64_t bytes, double m)
{
	int64_t want = 0, got = -7;
	int wover = ref_mul(bytes, m, &want);
	fm_jexc e = {0};
	int rc = fm_size_mul(bytes, m, &got, &e);
	int ok;
	if (wover)
		ok = rc == -1 && e.cls && strcmp(e.cls, FM_JCLS_ARITH) == 0 && e.msg &&
		     strcmp(e.msg, "long overflow") == 0;
	else
		ok = rc == 0 && got == want;
	if (!ok && mul_bad++ < 10) {
		char s[FM_JAVA_DTOA_MAX];
		fm_java_double_to_string(m, s);
		print_error("mul(%lld, %s): got rc=%d %lld %s, want %s %lld\n", (long long)bytes, s, rc,
			    (long long)got, e.msg ? e.msg : "", wover ? "overflow" : "", (long long)want);
	}
	fm_jexc_release(&e);
}

static void test_mul_reference_selfcheck(void **state)
{
	(void)state;
	/* The reference itself on hand-computed products. */
	int64_t v;
	assert_int_equal(ref_mul(10, 0.5, &v), 0);
	assert_int_equal(v, 5);
	assert_int_equal(ref_mul(7, 0.1, &v), 0); /* 0.7 */
	assert_int_equal(v, 0);
	assert_int_equal(ref_mul(INT64_MAX, 1.0, &v), 0);
	assert_int_equal(v, INT64_MAX);
	assert_int_equal(ref_mul(INT64_MAX, 1.0000000000000002, &v), 1);
	assert_int_equal(ref_mul(INT64_C(1) << 62, 2.0, &v), 1);
	assert_int_equal(ref_mul(3, 1e-5, &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(ref_mul(300000, 1e-5, &v), 0);
	assert_int_equal(v, 3);
	assert_int_equal(ref_mul(3, 1.6777215E7, &v), 0);
	assert_int_equal(v, 50331645);
	assert_int_equal(ref_mul(1, 1e300, &v), 1);
	assert_int_equal(ref_mul(0, 1e300, &v), 0);
	assert_int_equal(v, 0);
	/* 0.1f as Double.toString digits 0.10000000149011612. */
	assert_int_equal(ref_mul(INT64_C(100000000000000000), (double)0.1f, &v), 0);
	assert_int_equal(v, INT64_C(10000000149011612));
}

static void mul_is(int64_t bytes, double m, int64_t want)
{
	int64_t got = -1;
	fm_jexc e = {0};
	assert_int_equal(fm_size_mul(bytes, m, &got, &e), 0);
	assert_int_equal(got, want);
	fm_jexc_release(&e);
}

static void mul_fails(int64_t bytes, double m, const char *cls, const char *msg)
{
	int64_t got = -1;
	fm_jexc e = {0};
	assert_int_equal(fm_size_mul(bytes, m, &got, &e), -1);
	assert_int_equal(got, -1);
	assert_string_equal(e.cls, cls);
	assert_string_equal(e.msg, msg);
	fm_jexc_release(&e);
}

static void test_mul_anchors(void **state)
{
	(void)state;
	/* v4138: 1728m process -> 1280m flink; network 0.1f, managed 0.4f. */
	mul_is(1342177280, (double)0.1f, 134217730);
	mul_is(1342177280, (double)0.4f, 536870920);
	/* v4139: 32m flink, managed 0.33f (exact or double arithmetic: ...963). */
	mul_is(INT64_C(32) << 20, (double)0.33f, 11072962);
	/* v4144: task heap 1g + managed 1g; inverse fraction d/(1-d) in double. */
	double d = (double)0.1f;
	double inv = d / (1 - d);
	char s[FM_JAVA_DTOA_MAX];
	fm_java_double_to_string(inv, s);
	assert_string_equal(s, "0.11111111295076065");
	int64_t base = (INT64_C(128) << 20) + (INT64_C(1) << 30) + (INT64_C(128) << 20) + (INT64_C(1) << 30);
	mul_is(base, inv, 268435460);
	int64_t flink = base + 268435460;
	mul_is(flink + (INT64_C(256) << 20), inv, 328087785);
	/* Edges. */
	mul_is(0, 0.5, 0);
	mul_is(12345, 0.0, 0);
	mul_is(12345, -0.0, 0);
	mul_is(INT64_MAX, 1.0, INT64_MAX);
	mul_is(INT64_MAX, 0.5, INT64_MAX / 2); /* 4611686018427387903.5 truncated */
	mul_is(INT64_MAX, 4.9E-324, 0);
	mul_is(3, 2.5, 7);
	mul_fails(INT64_MAX, 1.0000000000000002, FM_JCLS_ARITH, "long overflow");
	mul_fails(INT64_C(1) << 62, 2.0, FM_JCLS_ARITH, "long overflow");
	mul_fails(2, 1e300, FM_JCLS_ARITH, "long overflow");
	mul_fails(1, 1.7976931348623157E308, FM_JCLS_ARITH, "long overflow");
	mul_is(0, 1.7976931348623157E308, 0);
	/* Product just above Long.MAX_VALUE by a fraction: overflow. */
	mul_fails(INT64_MAX, 1.5, FM_JCLS_ARITH, "long overflow");
	mul_fails(INT64_C(6148914691236517205), 1.5, FM_JCLS_ARITH, "long overflow"); /* MAX+0.5 */
	mul_is(INT64_C(6148914691236517204), 1.5, INT64_C(9223372036854775806));
	mul_fails(12345, -0.5, FM_JCLS_IAE, "multiplier must be >= 0");
	mul_fails(12345, -1e-300, FM_JCLS_IAE, "multiplier must be >= 0");
	mul_fails(12345, __builtin_nan(""), FM_JCLS_IAE, "multiplier must be >= 0");
}

static void test_mul_random_floats(void **state)
{
	(void)state;
	mul_bad = 0;
	for (int i = 0; i < 30000; i++) {
		float f = (float)(rnd() >> 40) / 16777216.0f; /* [0,1) */
		int64_t bytes = i < (int)N_EDGE ? edge_bytes[i] : rnd_bytes();
		check_mul(bytes, (double)f);
		double inv = (double)f / (1 - (double)f);
		check_mul(bytes, inv);
		check_mul(rnd_bytes(), (double)f);
		/* Tiny floats (subnormal-ish exponents) and E-notation strings. */
		float tiny = f / (float)(UINT64_C(1) << (rnd_below(60)));
		check_mul(bytes, (double)tiny);
	}
	assert_int_equal(mul_bad, 0);
}

static void test_mul_five_digit_decimals(void **state)
{
	(void)state;
	mul_bad = 0;
	for (int i = 1; i <= 99999; i++) {
		char txt[16];
		snprintf(txt, sizeof(txt), "0.%05d", i);
		float f = strtof(txt, NULL);
		double d = (double)f;
		check_mul(rnd_bytes(), d);
		check_mul(edge_bytes[(size_t)i % N_EDGE], d);
		check_mul(rnd_bytes(), d / (1 - d));
		if (i % 7 == 0)
			check_mul((int64_t)(rnd() >> 1), d / (1 - d)); /* large: overflow side */
	}
	assert_int_equal(mul_bad, 0);
}

static void test_mul_random_doubles(void **state)
{
	(void)state;
	mul_bad = 0;
	for (int i = 0; i < 20000; i++) {
		/* Random positive doubles of every magnitude that can matter. */
		uint64_t bits = (rnd() >> 12) | ((uint64_t)(1023 - 70 + rnd_below(140)) << 52);
		double m;
		memcpy(&m, &bits, sizeof(m));
		check_mul(rnd_bytes(), m);
		check_mul(edge_bytes[(size_t)i % N_EDGE], m);
	}
	assert_int_equal(mul_bad, 0);
}

/* ---- add / subtract ---- */

static void test_add_sub(void **state)
{
	(void)state;
	int64_t r = -1;
	fm_jexc e = {0};
	assert_int_equal(fm_size_add(1, 2, &r, &e), 0);
	assert_int_equal(r, 3);
	assert_int_equal(fm_size_add(INT64_MAX, 0, &r, &e), 0);
	assert_int_equal(r, INT64_MAX);
	assert_int_equal(fm_size_add(INT64_MAX - 5, 5, &r, &e), 0);
	assert_int_equal(r, INT64_MAX);
	assert_int_equal(fm_size_sub(10, 10, &r, &e), 0);
	assert_int_equal(r, 0);
	assert_int_equal(fm_size_sub(INT64_MAX, 1, &r, &e), 0);
	assert_int_equal(r, INT64_MAX - 1);
	assert_null(e.msg);

	r = -1;
	assert_int_equal(fm_size_add(INT64_MAX, 1, &r, &e), -1);
	assert_int_equal(r, -1);
	assert_string_equal(e.cls, FM_JCLS_ARITH);
	assert_string_equal(e.msg, "long overflow");
	assert_int_equal(fm_size_add(INT64_MAX / 2 + 1, INT64_MAX / 2 + 1, &r, &e), -1);
	assert_string_equal(e.cls, FM_JCLS_ARITH);
	assert_string_equal(e.msg, "long overflow");
	assert_int_equal(fm_size_sub(0, INT64_MIN, &r, &e), -1);
	assert_string_equal(e.cls, FM_JCLS_ARITH);
	assert_string_equal(e.msg, "long overflow");

	assert_int_equal(fm_size_sub(1, 2, &r, &e), -1);
	assert_string_equal(e.cls, FM_JCLS_IAE);
	assert_string_equal(e.msg, "bytes must be >= 0");
	assert_int_equal(fm_size_sub(0, INT64_MAX, &r, &e), -1);
	assert_string_equal(e.cls, FM_JCLS_IAE);
	assert_string_equal(e.msg, "bytes must be >= 0");
	assert_int_equal(fm_size_add(5, -6, &r, &e), -1);
	assert_string_equal(e.cls, FM_JCLS_IAE);
	assert_string_equal(e.msg, "bytes must be >= 0");
	assert_int_equal(r, -1);
	fm_jexc_release(&e);
	assert_null(e.msg);
	assert_null(e.cls);

	/* Random: agrees with wide arithmetic. */
	for (int i = 0; i < 20000; i++) {
		int64_t a = rnd_bytes(), b = rnd_bytes();
		__int128 s = (__int128)a + b, d = (__int128)a - b;
		assert_int_equal(fm_size_add(a, b, &r, &e), s > INT64_MAX ? -1 : 0);
		if (s > INT64_MAX)
			assert_string_equal(e.msg, "long overflow");
		else
			assert_int_equal(r, (int64_t)s);
		assert_int_equal(fm_size_sub(a, b, &r, &e), d < 0 ? -1 : 0);
		if (d < 0)
			assert_string_equal(e.msg, "bytes must be >= 0");
		else
			assert_int_equal(r, (int64_t)d);
	}
	fm_jexc_release(&e);
}

static void test_jexc(void **state)
{
	(void)state;
	fm_jexc e = {0};
	assert_int_equal(fm_jexc_set(&e, FM_JCLS_IAE, "a %d %s", 1, "b"), -1);
	assert_string_equal(e.cls, FM_JCLS_IAE);
	assert_string_equal(e.msg, "a 1 b");
	assert_int_equal(fm_jexc_set(&e, FM_JCLS_ARITH, "second"), -1); /* replaces, no leak */
	assert_string_equal(e.cls, FM_JCLS_ARITH);
	assert_string_equal(e.msg, "second");
	fm_jexc_release(&e);
	assert_null(e.msg);
	fm_jexc_release(NULL);
	assert_int_equal(fm_jexc_set(NULL, FM_JCLS_IAE, "x"), -1);
	/* The parser accepts a NULL exception slot. */
	int64_t v = 0;
	assert_int_equal(fm_size_parse("x", 1, &v, NULL), -1);
	assert_int_equal(fm_size_parse("5k", 2, &v, NULL), 0);
	assert_int_equal(v, 5120);
}

static void test_java_trim(void **state)
{
	(void)state;
	const char *s = " \t\x01 ab c\x1f\r\n";
	size_t n = strlen(s);
	fm_java_trim(&s, &n);
	assert_int_equal(n, 4);
	assert_memory_equal(s, "ab c", 4);
	const char *t = "\xc2\xa0x\xc2\xa0";
	n = strlen(t);
	fm_java_trim(&t, &n);
	assert_int_equal(n, 5); /* non-ASCII bytes are > ' ' */
	const char *u = "   ";
	n = 3;
	fm_java_trim(&u, &n);
	assert_int_equal(n, 0);
}

/* Rounding up to whole MiB: exact, and no overflow near INT64_MAX (sizes
 * read from input, "8Ei" or Long.MAX_VALUE bytes, round down there). */
static void test_ceil_mib(void **state)
{
	(void)state;
	const int64_t m = INT64_C(1) << 20;
	assert_int_equal(fm_size_ceil_mib(0), 0);
	assert_int_equal(fm_size_ceil_mib(1), m);
	assert_int_equal(fm_size_ceil_mib(m), m);
	assert_int_equal(fm_size_ceil_mib(m + 1), 2 * m);
	assert_int_equal(fm_size_ceil_mib(INT64_MAX / m * m), INT64_MAX / m * m);
	assert_int_equal(fm_size_ceil_mib(INT64_MAX / m * m - 1), INT64_MAX / m * m);
	assert_int_equal(fm_size_ceil_mib(INT64_MAX), INT64_MAX / m * m);
	assert_int_equal(fm_size_ceil_mib(INT64_MAX / m * m + 1), INT64_MAX / m * m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ceil_mib),
		cmocka_unit_test(test_parse_units),
		cmocka_unit_test(test_parse_plain_numbers),
		cmocka_unit_test(test_parse_empty),
		cmocka_unit_test(test_parse_not_a_number),
		cmocka_unit_test(test_parse_bad_unit),
		cmocka_unit_test(test_parse_overflow),
		cmocka_unit_test(test_parse_long_inputs),
		cmocka_unit_test(test_human_anchors),
		cmocka_unit_test(test_human_random_exact),
		cmocka_unit_test(test_human_whole_units),
		cmocka_unit_test(test_human_random_digits),
		cmocka_unit_test(test_mul_reference_selfcheck),
		cmocka_unit_test(test_mul_anchors),
		cmocka_unit_test(test_mul_random_floats),
		cmocka_unit_test(test_mul_five_digit_decimals),
		cmocka_unit_test(test_mul_random_doubles),
		cmocka_unit_test(test_add_sub),
		cmocka_unit_test(test_jexc),
		cmocka_unit_test(test_java_trim),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
