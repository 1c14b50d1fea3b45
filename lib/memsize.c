/* memsize — Flink's MemorySize grammar, human form and arithmetic.
 * See include/flinkmem/memsize.h. The multiply reproduces
 * BigDecimal.valueOf(bytes).multiply(BigDecimal.valueOf(d)).longValue():
 * BigDecimal.valueOf(double) is the *decimal string* Double.toString gives,
 * so 0.1f acts as 0.10000000149011612, not as its exact binary value. */
#include "flinkmem/memsize.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/javanum.h"

typedef unsigned __int128 u128;

void fm_jexc_release(fm_jexc *e)
{
	if (!e)
		return;
	free(e->msg);
	e->msg = NULL;
	e->cls = NULL;
}

int fm_jexc_set(fm_jexc *e, const char *cls, const char *fmt, ...)
{
	if (!e)
		return -1;
	free(e->msg);
	e->msg = NULL;
	e->cls = cls;
	va_list ap;
	va_start(ap, fmt);
	if (vasprintf(&e->msg, fmt, ap) < 0)
		e->msg = NULL;
	va_end(ap);
	return -1;
}

void fm_java_trim(const char **s, size_t *n)
{
	const char *p = *s;
	size_t len = *n;
	while (len && (unsigned char)p[0] <= ' ') {
		p++;
		len--;
	}
	while (len && (unsigned char)p[len - 1] <= ' ')
		len--;
	*s = p;
	*n = len;
}

/* Java's toLowerCase(Locale.US) for the unit shown in error messages:
 * ASCII and the common single-char Unicode cases (Latin-1, Greek,
 * Cyrillic, full-width Latin); other characters are kept. */
static int lower_utf8(fm_buf *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x80) {
			if (fm_buf_addc(out, (char)(c >= 'A' && c <= 'Z' ? c + 32 : c)))
				return -1;
			i++;
			continue;
		}
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
		if (i + len > n || len == 1) {
			if (fm_buf_addc(out, (char)c))
				return -1;
			i++;
			continue;
		}
		uint32_t cp = len == 2 ? c & 0x1F : len == 3 ? c & 0x0F : c & 0x07;
		int ok = 1;
		for (size_t k = 1; k < len; k++) {
			unsigned char cc = (unsigned char)s[i + k];
			if ((cc & 0xC0) != 0x80)
				ok = 0;
			cp = (cp << 6) | (cc & 0x3F);
		}
		if (!ok) {
			if (fm_buf_addc(out, (char)c))
				return -1;
			i++;
			continue;
		}
		uint32_t lc = cp;
		if ((cp >= 0xC0 && cp <= 0xDE && cp != 0xD7) || (cp >= 0x391 && cp <= 0x3AB && cp != 0x3A2) ||
		    (cp >= 0x410 && cp <= 0x42F) || (cp >= 0xFF21 && cp <= 0xFF3A))
			lc = cp + 0x20;
		else if (cp >= 0x400 && cp <= 0x40F)
			lc = cp + 0x50;
		char enc[4];
		size_t el;
		if (lc < 0x800) {
			enc[0] = (char)(0xC0 | (lc >> 6));
			enc[1] = (char)(0x80 | (lc & 0x3F));
			el = 2;
		} else if (lc < 0x10000) {
			enc[0] = (char)(0xE0 | (lc >> 12));
			enc[1] = (char)(0x80 | ((lc >> 6) & 0x3F));
			enc[2] = (char)(0x80 | (lc & 0x3F));
			el = 3;
		} else {
			enc[0] = (char)(0xF0 | (lc >> 18));
			enc[1] = (char)(0x80 | ((lc >> 12) & 0x3F));
			enc[2] = (char)(0x80 | ((lc >> 6) & 0x3F));
			enc[3] = (char)(0x80 | (lc & 0x3F));
			el = 4;
		}
		if (fm_buf_add(out, enc, el))
			return -1;
		i += len;
	}
	return 0;
}

static const struct {
	const char *names[3];
	int64_t mult;
} units[] = {
	{{"b", "bytes", NULL}, 1},
	{{"k", "kb", "kibibytes"}, 1LL << 10},
	{{"m", "mb", "mebibytes"}, 1LL << 20},
	{{"g", "gb", "gibibytes"}, 1LL << 30},
	{{"t", "tb", "tebibytes"}, 1LL << 40},
};

#define ALL_UNITS                                                                      \
	"(b | bytes) / (k | kb | kibibytes) / (m | mb | mebibytes) / (g | gb | gibibytes) / " \
	"(t | tb | tebibytes)"

int fm_size_parse(const char *text, size_t n, int64_t *bytes, fm_jexc *e)
{
	const char *t = text;
	size_t tn = n;
	fm_java_trim(&t, &tn);
	if (tn == 0)
		return fm_jexc_set(e, FM_JCLS_IAE, "argument is an empty- or whitespace-only string");
	size_t pos = 0;
	while (pos < tn && t[pos] >= '0' && t[pos] <= '9')
		pos++;
	if (pos == 0)
		return fm_jexc_set(e, FM_JCLS_NFE, "text does not start with a number");
	/* Long.parseLong on the digits: overflow is its own message. */
	uint64_t v = 0;
	for (size_t i = 0; i < pos; i++) {
		unsigned d = (unsigned)(t[i] - '0');
		if (v >= UINT64_C(922337203685477580) && v > (UINT64_C(9223372036854775807) - d) / 10) {
			return fm_jexc_set(e, FM_JCLS_IAE,
					   "The value '%.*s' cannot be re represented as 64bit number "
					   "(numeric overflow).",
					   (int)pos, t);
		}
		v = v * 10 + d;
	}
	const char *u = t + pos;
	size_t un = tn - pos;
	fm_java_trim(&u, &un);
	int64_t mult = 1;
	if (un) {
		/* The names of one unit share their first letter, and no two units
		 * do: only that unit's names can match (ASCII case folding, as
		 * strncasecmp in the C locale). */
		int found = 0;
		char lc[10];
		if (un < sizeof lc) {
			for (size_t i = 0; i < un; i++)
				lc[i] = (char)(u[i] >= 'A' && u[i] <= 'Z' ? u[i] + ('a' - 'A') : u[i]);
			for (size_t i = 0; i < sizeof(units) / sizeof(units[0]) && !found; i++) {
				if (units[i].names[0][0] != lc[0])
					continue;
				for (int k = 0; k < 3 && units[i].names[k]; k++)
					if (strlen(units[i].names[k]) == un && memcmp(units[i].names[k], lc, un) == 0) {
						mult = units[i].mult;
						found = 1;
						break;
					}
				break;
			}
		}
		if (!found) {
			fm_buf lu = FM_BUF_INIT;
			if (lower_utf8(&lu, u, un) != 0) {
				fm_buf_release(&lu);
				return fm_jexc_set(e, FM_JCLS_IAE, "out of memory");
			}
			fm_jexc_set(e, FM_JCLS_IAE,
				    "Memory size unit '%s' does not match any of the recognized units: " ALL_UNITS,
				    lu.data ? lu.data : "");
			fm_buf_release(&lu);
			return -1;
		}
	}
	/* Java: result = value * multiplier (wrapping); overflow if result /
	 * multiplier != value. The message quotes the untrimmed text. */
	int64_t result = (int64_t)((uint64_t)v * (uint64_t)mult);
	if (result / mult != (int64_t)v) {
		return fm_jexc_set(e, FM_JCLS_IAE,
				   "The value '%.*s' cannot be re represented as 64bit number of bytes "
				   "(numeric overflow).",
				   (int)n, text);
	}
	if (result < 0)
		return fm_jexc_set(e, FM_JCLS_IAE, "bytes must be >= 0");
	*bytes = result;
	return 0;
}

/* Decimal digits of v at p, no NUL; returns the end. (printf would be
 * most of the cost of a human size, and sizes go into every message.) */
static char *put_u64(char *p, uint64_t v)
{
	char tmp[20];
	size_t n = sizeof tmp;
	do {
		tmp[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	memcpy(p, tmp + n, sizeof tmp - n);
	return p + (sizeof tmp - n);
}

/* Java String.format("%.3f", x) for x >= 0: Double.toString's digits,
 * rounded half-up at the third decimal. */
static void format_3f(char *out, size_t cap, double x)
{
	uint64_t digits;
	int exp10, neg;
	fm_java_double_decimal_uncached(x, &digits, &exp10, &neg);
	/* value = digits * 10^exp10; we want round_half_up(value * 1000). */
	u128 scaled;
	int shift = exp10 + 3;
	if (shift >= 0) {
		scaled = digits;
		for (int i = 0; i < shift; i++)
			scaled *= 10;
	} else {
		u128 p = 1;
		int k = -shift;
		if (k > 30) {
			scaled = 0;
		} else {
			for (int i = 0; i < k; i++)
				p *= 10;
			u128 q = digits / p, r = digits % p;
			scaled = q + (r * 2 >= p ? 1 : 0);
		}
	}
	uint64_t ip = (uint64_t)(scaled / 1000), fp = (uint64_t)(scaled % 1000);
	if (cap < 26) /* 20 digits, the point, 3 decimals, NUL */
		return;
	char *p = put_u64(out, ip);
	*p++ = '.';
	*p++ = (char)('0' + fp / 100);
	*p++ = (char)('0' + fp / 10 % 10);
	*p++ = (char)('0' + fp % 10);
	*p = '\0';
}

void fm_size_human_c(char *out, int64_t bytes)
{
	static const char *names[] = {"kb", "mb", "gb", "tb"};
	int unit = -1;
	for (int i = 0; i < 4; i++)
		if (bytes > (INT64_C(1) << (10 * (i + 1))))
			unit = i;
	/* bytes may be negative in a message about an inconsistent config. */
	char *p = out;
	uint64_t mag = (uint64_t)bytes;
	if (bytes < 0) {
		mag = (uint64_t)0 - mag;
	}
	if (unit < 0) {
		if (bytes < 0)
			*p++ = '-';
		memcpy(put_u64(p, mag), " bytes", sizeof " bytes");
		return;
	}
	int shift = 10 * (unit + 1);
	if ((bytes & ((INT64_C(1) << shift) - 1)) == 0) {
		/* A whole number of units (below 2^53): Double.toString prints
		 * its exact digits, so "%.3f" is "<n>.000" (checked against the
		 * digit generator for every n < 2^25 and 20 M samples up to 2^53). */
		p = put_u64(p, (uint64_t)bytes >> shift);
		memcpy(p, ".000", 4);
		p += 4;
	} else {
		char num[48];
		format_3f(num, sizeof(num), (double)bytes / (double)(INT64_C(1) << shift));
		size_t nl = strlen(num);
		memcpy(p, num, nl);
		p += nl;
	}
	memcpy(p, names[unit], 2);
	p += 2;
	*p++ = ' ';
	*p++ = '(';
	p = put_u64(p, mag); /* unit >= 0: bytes > 1024 */
	memcpy(p, " bytes)", sizeof " bytes)");
}

int fm_size_human(fm_buf *out, int64_t bytes)
{
	char tmp[FM_SIZE_HUMAN_MAX];
	fm_size_human_c(tmp, bytes);
	return fm_buf_adds(out, tmp);
}

int fm_size_mul(int64_t bytes, double m, int64_t *out, fm_jexc *e)
{
	if (!(m >= 0))
		return fm_jexc_set(e, FM_JCLS_IAE, "multiplier must be >= 0");
	if (isinf(m)) {
		/* BigDecimal.valueOf(Infinity) throws NumberFormatException. */
		return fm_jexc_set(e, FM_JCLS_NFE, "Infinite or NaN");
	}
	uint64_t digits;
	int exp10, neg;
	fm_java_double_decimal(m, &digits, &exp10, &neg);
	u128 prod = (u128)(uint64_t)bytes * digits; /* < 2^63 * 2^64 */
	if (exp10 >= 0) {
		for (int i = 0; i < exp10 && prod; i++) {
			if (prod > (u128)FM_LONG_MAX)
				break;
			prod *= 10;
		}
		if (prod > (u128)FM_LONG_MAX)
			return fm_jexc_set(e, FM_JCLS_ARITH, "long overflow");
		*out = (int64_t)prod;
		return 0;
	}
	int k = -exp10;
	/* 10^39 > 2^127 > prod: any k >= 39 truncates to zero. */
	if (k >= 39) {
		*out = 0;
		return 0;
	}
	u128 p = 1;
	for (int i = 0; i < k; i++)
		p *= 10;
	u128 q = prod / p;
	if (q > (u128)FM_LONG_MAX || (q == (u128)FM_LONG_MAX && prod % p))
		return fm_jexc_set(e, FM_JCLS_ARITH, "long overflow");
	*out = (int64_t)q;
	return 0;
}

int fm_size_add(int64_t a, int64_t b, int64_t *out, fm_jexc *e)
{
	int64_t r;
	if (__builtin_add_overflow(a, b, &r))
		return fm_jexc_set(e, FM_JCLS_ARITH, "long overflow");
	if (r < 0)
		return fm_jexc_set(e, FM_JCLS_IAE, "bytes must be >= 0");
	*out = r;
	return 0;
}

int fm_size_sub(int64_t a, int64_t b, int64_t *out, fm_jexc *e)
{
	int64_t r;
	if (__builtin_sub_overflow(a, b, &r))
		return fm_jexc_set(e, FM_JCLS_ARITH, "long overflow");
	if (r < 0)
		return fm_jexc_set(e, FM_JCLS_IAE, "bytes must be >= 0");
	*out = r;
	return 0;
}

void fm_size_text(char *out, size_t cap, int64_t b)
{
	static const char *const unit[] = {"t", "g", "m", "k"};
	for (int i = 0; i < 4; i++) {
		int64_t m = INT64_C(1) << (10 * (4 - i));
		if (b >= m && b % m == 0) {
			snprintf(out, cap, "%lld%s", (long long)(b / m), unit[i]);
			return;
		}
	}
	snprintf(out, cap, "%lldb", (long long)b);
}

int64_t fm_size_ceil_mib(int64_t b)
{
	int64_t m = INT64_C(1) << 20, r;
	if (b % m == 0)
		return b;
	if (__builtin_mul_overflow(b / m + 1, m, &r))
		return b / m * m;
	return r;
}

int64_t fm_size_mul_sat(int64_t a, int64_t b)
{
	int64_t r;
	return __builtin_mul_overflow(a, b, &r) ? INT64_MAX : r;
}

int64_t fm_size_add_sat(int64_t a, int64_t b)
{
	int64_t r;
	return __builtin_add_overflow(a, b, &r) ? INT64_MAX : r;
}
