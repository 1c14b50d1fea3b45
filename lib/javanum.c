/* javanum — Java (JDK 17) floating-point printing and parsing, bit for bit.
 *
 * Owns Double.toString / Float.toString and Double.parseDouble /
 * Float.parseFloat as JDK 17 implements them in
 * jdk.internal.math.FloatingDecimal. Flink turns fractions into byte counts
 * through BigDecimal.valueOf(double), i.e. through the *printed* decimal, and
 * JDK 17 prints with the old Steele-White style digit generator, which is
 * not always the shortest round-trip string (JDK-4511638, changed in JDK 19):
 * 2^60 prints "1.15292150460684698E18", 1.0E-44f prints "9.8E-45". So this is
 * a port of that algorithm, including its int/long fast paths with Java's
 * wrap-around arithmetic, its decimal exponent estimate and its asymmetric
 * stopping tests; a small fixed-size bignum stands in for FDBigInteger.
 *
 * Parsing ports readJavaFormatString (grammar, odd exponent clamping, the
 * "multiple points" message) and the doubleValue/floatValue correction loops,
 * so that results match the JVM even where its approach is unusual.
 * No allocation, no global mutable state. */
#include "flinkmem/javanum.h"

#include <stdbool.h>
#include <string.h>

#ifdef __clang__
/* Java evaluates every double operation separately; never fuse. */
#pragma STDC FP_CONTRACT OFF
#endif

/* ---- IEEE-754 helpers ------------------------------------------------ */

#define D_SIGN_MASK UINT64_C(0x8000000000000000)
#define D_EXP_MASK UINT64_C(0x7ff0000000000000)
#define D_SIGNIF_MASK UINT64_C(0x000fffffffffffff)
#define D_EXP_SHIFT 52
#define D_FRACT_HOB (UINT64_C(1) << D_EXP_SHIFT)
#define D_EXP_BIAS 1023
#define F_SIGN_MASK UINT32_C(0x80000000)
#define F_EXP_MASK UINT32_C(0x7f800000)
#define F_SIGNIF_MASK UINT32_C(0x007fffff)
#define F_EXP_SHIFT 23
#define F_EXP_BIAS 127

static uint64_t dbl_bits(double d)
{
	uint64_t u;
	memcpy(&u, &d, sizeof u);
	return u;
}

static double bits_dbl(uint64_t u)
{
	double d;
	memcpy(&d, &u, sizeof d);
	return d;
}

static uint32_t flt_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof u);
	return u;
}

static float bits_flt(uint32_t u)
{
	float f;
	memcpy(&f, &u, sizeof f);
	return f;
}

/* Java int/long arithmetic wraps; C signed overflow is undefined, so the
 * fast paths compute in unsigned and reinterpret. */
#define I32(x) ((int32_t)(uint32_t)(x))
#define I64(x) ((int64_t)(uint64_t)(x))

static int clz64(uint64_t v)
{
	return v ? __builtin_clzll(v) : 64;
}

static int ctz64(uint64_t v)
{
	return v ? __builtin_ctzll(v) : 64;
}

static int imax(int a, int b)
{
	return a > b ? a : b;
}

static int imin(int a, int b)
{
	return a < b ? a : b;
}

/* ---- powers ----------------------------------------------------------- */

/* 5^i that fit an int (Java's SMALL_5_POW) and a long (LONG_5_POW). */
static const uint32_t small5pow[14] = {
	1u, 5u, 25u, 125u, 625u, 3125u, 15625u, 78125u, 390625u, 1953125u,
	9765625u, 48828125u, 244140625u, 1220703125u,
};

static const uint64_t long5pow[27] = {
	UINT64_C(1),
	UINT64_C(5),
	UINT64_C(25),
	UINT64_C(125),
	UINT64_C(625),
	UINT64_C(3125),
	UINT64_C(15625),
	UINT64_C(78125),
	UINT64_C(390625),
	UINT64_C(1953125),
	UINT64_C(9765625),
	UINT64_C(48828125),
	UINT64_C(244140625),
	UINT64_C(1220703125),
	UINT64_C(6103515625),
	UINT64_C(30517578125),
	UINT64_C(152587890625),
	UINT64_C(762939453125),
	UINT64_C(3814697265625),
	UINT64_C(19073486328125),
	UINT64_C(95367431640625),
	UINT64_C(476837158203125),
	UINT64_C(2384185791015625),
	UINT64_C(11920928955078125),
	UINT64_C(59604644775390625),
	UINT64_C(298023223876953125),
	UINT64_C(1490116119384765625),
};

/* JDK's rough bit length of 5^i; its estimates (not exact values) pick
 * the int, long or bignum path, so they must be the same numbers. */
static const int n5bits[27] = {
	0, 3, 5, 7, 10, 12, 14, 17, 19, 21, 24, 26, 28, 31,
	33, 35, 38, 40, 42, 45, 47, 49, 52, 54, 56, 59, 61,
};

/* Decimal digits of 2^i beyond the first: how many low digits of a large
 * power-of-two-scaled integer carry no information. */
static const int insig_pow2[64] = {
	0, 0, 0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3,
	4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7,
	8, 8, 8, 9, 9, 9, 9, 10, 10, 10, 11, 11, 11,
	12, 12, 12, 12, 13, 13, 13, 14, 14, 14,
	15, 15, 15, 15, 16, 16, 16, 17, 17, 17,
	18, 18, 18, 19,
};

static const double small10pow[23] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};
static const float single_small10pow[11] = {
	1e0f, 1e1f, 1e2f, 1e3f, 1e4f, 1e5f, 1e6f, 1e7f, 1e8f, 1e9f, 1e10f,
};
static const double big10pow[5] = {1e16, 1e32, 1e64, 1e128, 1e256};
static const double tiny10pow[5] = {1e-16, 1e-32, 1e-64, 1e-128, 1e-256};

/* ---- bignum ----------------------------------------------------------- */

/* Unsigned magnitudes, 32-bit limbs, least significant first. The largest
 * value ever formed is while parsing: up to 1101 significant digits
 * (< 2^3658) shifted by up to ~1200 bits for a subnormal candidate, plus a
 * few bits of slack; printing stays below 2^1200. 176 limbs = 5632 bits.
 * Operations clamp at the capacity instead of writing past it. */
#define BN_LIMBS 176

typedef struct {
	int n; /* limbs in use; w[n-1] != 0 unless n == 0 */
	uint32_t w[BN_LIMBS];
} bn;

static void bn_trim(bn *x)
{
	while (x->n > 0 && x->w[x->n - 1] == 0)
		x->n--;
}

static void bn_set_u64(bn *x, uint64_t v)
{
	x->w[0] = (uint32_t)v;
	x->w[1] = (uint32_t)(v >> 32);
	x->n = 2;
	bn_trim(x);
}

/* x = x * m + a */
static void bn_muladd_u32(bn *x, uint32_t m, uint32_t a)
{
	uint64_t carry = a;
	for (int i = 0; i < x->n; i++) {
		uint64_t p = (uint64_t)x->w[i] * m + carry;
		x->w[i] = (uint32_t)p;
		carry = p >> 32;
	}
	if (carry && x->n < BN_LIMBS)
		x->w[x->n++] = (uint32_t)carry;
}

static void bn_mul_pow5(bn *x, int p5)
{
	while (p5 >= 13) {
		bn_muladd_u32(x, small5pow[13], 0);
		p5 -= 13;
	}
	if (p5 > 0)
		bn_muladd_u32(x, small5pow[p5], 0);
}

static void bn_shl(bn *x, int shift)
{
	if (x->n == 0 || shift <= 0)
		return;
	int words = shift / 32, bits = shift % 32;
	int n = x->n + words + 1;
	if (n > BN_LIMBS)
		n = BN_LIMBS;
	for (int i = n - 1; i >= 0; i--) {
		int src = i - words;
		uint32_t hi = (src >= 0 && src < x->n) ? x->w[src] : 0;
		uint32_t lo = (src - 1 >= 0 && src - 1 < x->n) ? x->w[src - 1] : 0;
		x->w[i] = bits ? (hi << bits) | (lo >> (32 - bits)) : hi;
	}
	x->n = n;
	bn_trim(x);
}

/* value * 5^p5 * 2^p2 */
static void bn_mulpow52(bn *x, uint64_t value, int p5, int p2)
{
	bn_set_u64(x, value);
	bn_mul_pow5(x, p5);
	bn_shl(x, p2);
}

static int bn_cmp(const bn *a, const bn *b)
{
	if (a->n != b->n)
		return a->n < b->n ? -1 : 1;
	for (int i = a->n - 1; i >= 0; i--)
		if (a->w[i] != b->w[i])
			return a->w[i] < b->w[i] ? -1 : 1;
	return 0;
}

/* a -= b; requires a >= b */
static void bn_sub(bn *a, const bn *b)
{
	int64_t borrow = 0;
	for (int i = 0; i < a->n; i++) {
		int64_t d = (int64_t)a->w[i] - (i < b->n ? b->w[i] : 0) - borrow;
		borrow = d < 0;
		a->w[i] = (uint32_t)d;
	}
	bn_trim(a);
}

/* sign of (a + b) - c */
static int bn_add_cmp(const bn *a, const bn *b, const bn *c)
{
	bn s;
	uint64_t carry = 0;
	int n = imax(a->n, b->n);
	for (int i = 0; i < n; i++) {
		carry += (uint64_t)(i < a->n ? a->w[i] : 0) + (i < b->n ? b->w[i] : 0);
		s.w[i] = (uint32_t)carry;
		carry >>= 32;
	}
	s.n = n;
	if (carry) {
		if (n >= BN_LIMBS)
			return 1;
		s.w[s.n++] = (uint32_t)carry;
	}
	return bn_cmp(&s, c);
}

/* x *= v */
static void bn_mul_u64(bn *x, uint64_t v)
{
	const uint32_t m[2] = {(uint32_t)v, (uint32_t)(v >> 32)};
	if (m[1] == 0) {
		bn_muladd_u32(x, m[0], 0);
		return;
	}
	bn r;
	int rn = imin(x->n + 2, BN_LIMBS);
	memset(r.w, 0, sizeof(uint32_t) * (size_t)rn);
	for (int j = 0; j < 2; j++) {
		uint64_t carry = 0;
		for (int i = 0; i < x->n && i + j < rn; i++) {
			uint64_t t = (uint64_t)x->w[i] * m[j] + r.w[i + j] + carry;
			r.w[i + j] = (uint32_t)t;
			carry = t >> 32;
		}
		if (x->n + j < rn)
			r.w[x->n + j] = (uint32_t)carry;
	}
	r.n = rn;
	bn_trim(&r);
	*x = r;
}

/* The top limbs of x from limb `from` up, as a 128-bit integer. */
static unsigned __int128 bn_top(const bn *x, int from)
{
	unsigned __int128 v = 0;
	for (int i = x->n - 1; i >= from && i >= 0; i--)
		v = v << 32 | x->w[i];
	return v;
}

/* FDBigInteger.quoRemIteration: q = b / s, b = 10 * (b % s). q is a
 * decimal digit on every path the JDK takes; computed exactly anyway. */
static int bn_quorem10(bn *b, const bn *s)
{
	int q = 0;
	if (bn_cmp(b, s) >= 0) {
		/* A lower bound from the top bits (b has at most one limb more
		 * than s here), then at most a couple of corrections. */
		int from = imax(s->n - 2, 0);
		unsigned __int128 bt = bn_top(b, from), st = bn_top(s, from);
		unsigned __int128 est = b->n > s->n + 1 ? 0 : bt / (st + 1);
		if (est > 1000)
			est = 1000;
		if (est > 0) {
			bn t = *s;
			bn_muladd_u32(&t, (uint32_t)est, 0);
			bn_sub(b, &t);
			q = (int)est;
		}
		while (bn_cmp(b, s) >= 0 && q < 100000) {
			bn_sub(b, s);
			q++;
		}
	}
	bn_muladd_u32(b, 10, 0);
	return q;
}

/* ---- Double.toString digit generation ---------------------------------- */

typedef struct {
	char digits[32];
	int first;  /* index of the first digit */
	int ndigits;
	int dexp;   /* value = 0.d1d2d3... * 10^dexp */
	bool neg;
} jdec;

static void put_digit(jdec *r, int *nd, int q)
{
	/* Java stores (char)('0' + q); q is a digit on every reachable path. */
	if (*nd < (int)sizeof r->digits)
		r->digits[(*nd)++] = (char)('0' + q);
}

/* All significant bits are in an integer: print it, dropping
 * `insignificant` low digits with rounding (JDK developLongDigits). */
static void develop_long(jdec *r, int dexp, uint64_t v, int insignificant)
{
	if (insignificant != 0) {
		uint64_t pow10 = long5pow[insignificant] << insignificant;
		uint64_t residue = v % pow10;
		v /= pow10;
		dexp += insignificant;
		if (residue >= (pow10 >> 1))
			v++;
	}
	int at = 19;
	int c = (int)(v % 10);
	v /= 10;
	while (c == 0) {
		dexp++;
		c = (int)(v % 10);
		v /= 10;
	}
	while (v != 0) {
		r->digits[at--] = (char)('0' + c);
		dexp++;
		c = (int)(v % 10);
		v /= 10;
	}
	r->digits[at] = (char)('0' + c);
	r->dexp = dexp + 1;
	r->first = at;
	r->ndigits = 20 - at;
}

/* Add one to the last digit, carrying; a carry out of the first digit
 * turns 9...9 into 10...0 with the same digit count. */
static void roundup(jdec *r)
{
	int i = r->first + r->ndigits - 1;
	char q = r->digits[i];
	if (q == '9') {
		while (q == '9' && i > r->first) {
			r->digits[i] = '0';
			q = r->digits[--i];
		}
		if (q == '9') {
			r->dexp += 1;
			r->digits[r->first] = '1';
			return;
		}
	}
	r->digits[i] = (char)(q + 1);
}

/* floor(log10(d)) estimated from a linear fit of log10 on [1,2): the
 * decimal exponent the digit loop starts from (may be one too high). */
static int estimate_dec_exp(uint64_t fract_bits, int bin_exp)
{
	double d2 = bits_dbl(((uint64_t)D_EXP_BIAS << D_EXP_SHIFT) | (fract_bits & D_SIGNIF_MASK));
	double t = (d2 - 1.5) * 0.289529654;
	t = t + 0.176091259;
	double u = (double)bin_exp * 0.301029995663981;
	double d = t + u;
	uint64_t bits = dbl_bits(d);
	int exponent = (int)((bits & D_EXP_MASK) >> D_EXP_SHIFT) - D_EXP_BIAS;
	bool neg = (bits & D_SIGN_MASK) != 0;
	if (exponent >= 0 && exponent < 52) {
		uint64_t mask = D_SIGNIF_MASK >> exponent;
		int r = (int)(((bits & D_SIGNIF_MASK) | D_FRACT_HOB) >> (D_EXP_SHIFT - exponent));
		return neg ? (((mask & bits) == 0) ? -r : -r - 1) : r;
	} else if (exponent < 0) {
		return ((bits & ~D_SIGN_MASK) == 0) ? 0 : (neg ? -1 : 0);
	}
	return (int)d;
}

/* The JDK's dtoa for a finite nonzero value fract_bits * 2^(bin_exp-52)
 * (fract_bits normalized, hidden bit at 52) with n_sig significant bits
 * (53 for doubles, 24 for floats, fewer for subnormals). */
static void dtoa(jdec *r, int bin_exp, uint64_t fract_bits, int n_sig)
{
	const int tail_zeros = ctz64(fract_bits);
	const int n_fract_bits = D_EXP_SHIFT + 1 - tail_zeros;
	int n_tiny_bits = imax(0, n_fract_bits - bin_exp - 1);

	if (bin_exp <= 62 && bin_exp >= -21 && n_tiny_bits < 27 &&
	    n_fract_bits + n5bits[n_tiny_bits] < 64 && n_tiny_bits == 0) {
		/* An integer below 2^63: print it exactly, except that digits
		 * below the precision of the type are rounded off. */
		int insignificant = 0;
		if (bin_exp > n_sig) {
			int p2 = bin_exp - n_sig - 1;
			insignificant = (p2 > 1 && p2 < 64) ? insig_pow2[p2] : 0;
		}
		if (bin_exp >= D_EXP_SHIFT)
			fract_bits <<= (bin_exp - D_EXP_SHIFT);
		else
			fract_bits >>= (D_EXP_SHIFT - bin_exp);
		develop_long(r, 0, fract_bits, insignificant);
		return;
	}

	/* d = (B / S) * 10^dec_exp with 1 <= B/S < 10, M = half an ulp
	 * scaled like B; powers of 2 and 5 are tracked separately. */
	int dec_exp = estimate_dec_exp(fract_bits, bin_exp);
	int b5 = imax(0, -dec_exp);
	int b2 = b5 + n_tiny_bits + bin_exp;
	int s5 = imax(0, dec_exp);
	int s2 = s5 + n_tiny_bits;
	int m5 = b5;
	int m2 = b2 - n_sig;

	fract_bits >>= tail_zeros;
	b2 -= n_fract_bits - 1;
	int common2 = imin(b2, s2);
	b2 -= common2;
	s2 -= common2;
	m2 -= common2;
	/* The JDK halves M at powers of two (the ulp below is smaller) but
	 * then still uses a symmetric stopping test. */
	if (n_fract_bits == 1)
		m2 -= 1;
	if (m2 < 0) {
		b2 -= m2;
		s2 -= m2;
		m2 = 0;
	}

	int nd = 0;
	bool low, high;
	int64_t low_diff;
	int q;
	int bbits = n_fract_bits + b2 + ((b5 < 27) ? n5bits[b5] : b5 * 3);
	int tens_bits = s2 + 1 + ((s5 + 1 < 27) ? n5bits[s5 + 1] : (s5 + 1) * 3);

	if (bbits < 64 && tens_bits < 64) {
		if (bbits < 32 && tens_bits < 32) {
			/* int arithmetic, wrapping exactly like Java's. */
			int32_t b = I32(((uint32_t)fract_bits * small5pow[b5]) << (b2 & 31));
			int32_t s = I32(small5pow[s5] << (s2 & 31));
			int32_t m = I32(small5pow[m5] << (m2 & 31));
			int32_t tens = I32((uint32_t)s * 10u);
			q = b / s;
			b = I32(10u * (uint32_t)(b % s));
			m = I32((uint32_t)m * 10u);
			low = b < m;
			high = I32((uint32_t)b + (uint32_t)m) > tens;
			if (q == 0 && !high)
				dec_exp--; /* estimate was one too high */
			else
				put_digit(r, &nd, q);
			/* E-form always shows a digit after the point. */
			if (dec_exp < -3 || dec_exp >= 8)
				high = low = false;
			while (!low && !high) {
				q = b / s;
				b = I32(10u * (uint32_t)(b % s));
				m = I32((uint32_t)m * 10u);
				if (m > 0) {
					low = b < m;
					high = I32((uint32_t)b + (uint32_t)m) > tens;
				} else {
					/* m overflowed: Java takes that as "done". */
					low = high = true;
				}
				put_digit(r, &nd, q);
			}
			low_diff = I32(((uint32_t)b << 1) - (uint32_t)tens);
		} else {
			/* long arithmetic, same algorithm. */
			int64_t b = I64((fract_bits * long5pow[b5]) << (b2 & 63));
			int64_t s = I64(long5pow[s5] << (s2 & 63));
			int64_t m = I64(long5pow[m5] << (m2 & 63));
			int64_t tens = I64((uint64_t)s * 10u);
			q = (int)(b / s);
			b = I64(10u * (uint64_t)(b % s));
			m = I64((uint64_t)m * 10u);
			low = b < m;
			high = I64((uint64_t)b + (uint64_t)m) > tens;
			if (q == 0 && !high)
				dec_exp--;
			else
				put_digit(r, &nd, q);
			if (dec_exp < -3 || dec_exp >= 8)
				high = low = false;
			while (!low && !high) {
				q = (int)(b / s);
				b = I64(10u * (uint64_t)(b % s));
				m = I64((uint64_t)m * 10u);
				if (m > 0) {
					low = b < m;
					high = I64((uint64_t)b + (uint64_t)m) > tens;
				} else {
					low = high = true;
				}
				put_digit(r, &nd, q);
			}
			low_diff = I64(((uint64_t)b << 1) - (uint64_t)tens);
		}
	} else {
		/* Bignum path. S is normalized as FDBigInteger does; the values
		 * are exact, so only the comparisons below matter. Note that
		 * "high" here is B + M >= 10S, not > as in the fast paths. */
		bn S, B, M, tenS;
		bn_mulpow52(&S, 1, s5, s2);
		int zeros = __builtin_clz(S.w[S.n - 1]);
		int shift_bias = (zeros < 4) ? 28 + zeros : zeros - 4;
		bn_shl(&S, shift_bias);
		bn_mulpow52(&B, fract_bits, b5, b2 + shift_bias);
		bn_mulpow52(&M, 1, m5 + 1, m2 + shift_bias + 1);
		bn_mulpow52(&tenS, 1, s5 + 1, s2 + shift_bias + 1);
		q = bn_quorem10(&B, &S);
		low = bn_cmp(&B, &M) < 0;
		high = bn_add_cmp(&B, &M, &tenS) >= 0;
		if (q == 0 && !high)
			dec_exp--;
		else
			put_digit(r, &nd, q);
		if (dec_exp < -3 || dec_exp >= 8)
			high = low = false;
		while (!low && !high) {
			q = bn_quorem10(&B, &S);
			bn_muladd_u32(&M, 10, 0);
			low = bn_cmp(&B, &M) < 0;
			high = bn_add_cmp(&B, &M, &tenS) >= 0;
			put_digit(r, &nd, q);
		}
		if (high && low) {
			bn_shl(&B, 1);
			low_diff = bn_cmp(&B, &tenS);
		} else {
			low_diff = 0;
		}
	}
	r->dexp = dec_exp + 1;
	r->first = 0;
	r->ndigits = nd;
	if (nd == 0) {
		/* Unreachable (the first quotient is nonzero or kept); keep
		 * roundup() in bounds regardless. */
		r->digits[0] = '0';
		r->ndigits = 1;
	}
	/* Round the last digit by the stopping condition; a tie between
	 * low and high goes to an even digit. */
	if (high) {
		if (low) {
			if (low_diff == 0) {
				if ((r->digits[r->first + r->ndigits - 1] & 1) != 0)
					roundup(r);
			} else if (low_diff > 0) {
				roundup(r);
			}
		} else {
			roundup(r);
		}
	}
}

/* Java's layout: plain for 1e-3 <= |d| < 1e7, else d.dddE[-]x. */
static size_t format_jdec(const jdec *r, char *out)
{
	size_t i = 0;
	const char *dg = r->digits + r->first;
	int nd = r->ndigits, de = r->dexp;
	if (r->neg)
		out[i++] = '-';
	if (de > 0 && de < 8) {
		int len = imin(nd, de);
		memcpy(out + i, dg, (size_t)len);
		i += (size_t)len;
		if (len < de) {
			memset(out + i, '0', (size_t)(de - len));
			i += (size_t)(de - len);
			out[i++] = '.';
			out[i++] = '0';
		} else {
			out[i++] = '.';
			if (len < nd) {
				memcpy(out + i, dg + len, (size_t)(nd - len));
				i += (size_t)(nd - len);
			} else {
				out[i++] = '0';
			}
		}
	} else if (de <= 0 && de > -3) {
		out[i++] = '0';
		out[i++] = '.';
		if (de != 0) {
			memset(out + i, '0', (size_t)-de);
			i += (size_t)-de;
		}
		memcpy(out + i, dg, (size_t)nd);
		i += (size_t)nd;
	} else {
		out[i++] = dg[0];
		out[i++] = '.';
		if (nd > 1) {
			memcpy(out + i, dg + 1, (size_t)(nd - 1));
			i += (size_t)(nd - 1);
		} else {
			out[i++] = '0';
		}
		out[i++] = 'E';
		int e;
		if (de <= 0) {
			out[i++] = '-';
			e = -de + 1;
		} else {
			e = de - 1;
		}
		if (e <= 9) {
			out[i++] = (char)('0' + e);
		} else if (e <= 99) {
			out[i++] = (char)('0' + e / 10);
			out[i++] = (char)('0' + e % 10);
		} else {
			out[i++] = (char)('0' + e / 100);
			e %= 100;
			out[i++] = (char)('0' + e / 10);
			out[i++] = (char)('0' + e % 10);
		}
	}
	out[i] = '\0';
	return i;
}

static size_t put_str(char *buf, const char *s)
{
	size_t n = strlen(s);
	memcpy(buf, s, n + 1);
	return n;
}

size_t fm_java_double_to_string(double d, char *buf)
{
	uint64_t bits = dbl_bits(d);
	bool neg = (bits & D_SIGN_MASK) != 0;
	uint64_t fract = bits & D_SIGNIF_MASK;
	int bin_exp = (int)((bits & D_EXP_MASK) >> D_EXP_SHIFT);
	if (bin_exp == 0x7ff)
		return put_str(buf, fract ? "NaN" : neg ? "-Infinity" : "Infinity");
	int n_sig;
	if (bin_exp == 0) {
		if (fract == 0)
			return put_str(buf, neg ? "-0.0" : "0.0");
		int lz = clz64(fract);
		int shift = lz - (63 - D_EXP_SHIFT);
		fract <<= shift;
		bin_exp = 1 - shift;
		n_sig = 64 - lz;
	} else {
		fract |= D_FRACT_HOB;
		n_sig = D_EXP_SHIFT + 1;
	}
	jdec r;
	r.neg = neg;
	dtoa(&r, bin_exp - D_EXP_BIAS, fract, n_sig);
	return format_jdec(&r, buf);
}

size_t fm_java_float_to_string(float f, char *buf)
{
	uint32_t bits = flt_bits(f);
	bool neg = (bits & F_SIGN_MASK) != 0;
	uint32_t fract = bits & F_SIGNIF_MASK;
	int bin_exp = (int)((bits & F_EXP_MASK) >> F_EXP_SHIFT);
	if (bin_exp == 0xff)
		return put_str(buf, fract ? "NaN" : neg ? "-Infinity" : "Infinity");
	int n_sig;
	if (bin_exp == 0) {
		if (fract == 0)
			return put_str(buf, neg ? "-0.0" : "0.0");
		int lz = __builtin_clz(fract);
		int shift = lz - (31 - F_EXP_SHIFT);
		fract <<= shift;
		bin_exp = 1 - shift;
		n_sig = 32 - lz;
	} else {
		fract |= UINT32_C(1) << F_EXP_SHIFT;
		n_sig = F_EXP_SHIFT + 1;
	}
	jdec r;
	r.neg = neg;
	dtoa(&r, bin_exp - F_EXP_BIAS, (uint64_t)fract << (D_EXP_SHIFT - F_EXP_SHIFT), n_sig);
	return format_jdec(&r, buf);
}

/* new BigDecimal(Double.toString(d)): the unscaled value is every printed
 * digit ("1.0" -> 10, scale 1), the exponent the printed one minus the
 * fraction digits. */
void fm_java_double_decimal_uncached(double d, uint64_t *digits, int *exp10, int *neg)
{
	char s[FM_JAVA_DTOA_MAX];
	size_t n = fm_java_double_to_string(d, s);
	uint64_t v = 0;
	int frac = 0, e = 0, e_sign = 1;
	bool in_frac = false, in_exp = false;
	*neg = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '-' && i == 0) {
			*neg = 1;
		} else if (in_exp) {
			if (c == '-')
				e_sign = -1;
			else
				e = e * 10 + (c - '0');
		} else if (c == '.') {
			in_frac = true;
		} else if (c == 'E') {
			in_exp = true;
		} else if (c >= '0' && c <= '9') {
			v = v * 10 + (uint64_t)(c - '0');
			if (in_frac)
				frac++;
		}
	}
	*digits = v;
	*exp10 = e_sign * e - frac;
}

void fm_java_double_decimal(double d, uint64_t *digits, int *exp10, int *neg)
{
	/* A few recent answers per thread: the same fractions come back in
	 * every derivation of a goal-seek or a plan search, and the digit
	 * generation is the costliest step of a derivation. */
	static _Thread_local struct {
		uint64_t bits, digits;
		int exp10, neg, used;
	} memo[16];
	uint64_t bits;
	memcpy(&bits, &d, sizeof bits);
	unsigned slot = (unsigned)((bits * 0x9E3779B97F4A7C15ULL) >> 60);
	if (memo[slot].used && memo[slot].bits == bits) {
		*digits = memo[slot].digits;
		*exp10 = memo[slot].exp10;
		*neg = memo[slot].neg;
		return;
	}
	fm_java_double_decimal_uncached(d, digits, exp10, neg);
	memo[slot].bits = bits;
	memo[slot].digits = *digits;
	memo[slot].exp10 = *exp10;
	memo[slot].neg = *neg;
	memo[slot].used = 1;
}

/* ---- parsing ------------------------------------------------------------ */

/* Java caps the significant digits it looks at (the rest only matter as a
 * sticky nonzero digit). */
#define MAX_NDIGITS 1100
#define SINGLE_MAX_NDIGITS 200

typedef enum { PK_NAN, PK_INF, PK_ZERO, PK_DEC, PK_HEX } pkind;

/* A scanned number. Decimal digits stay in the input: digit k is
 * s[dig + k], one further once at or past the decimal point `dot`. */
typedef struct {
	pkind kind;
	bool neg;
	const char *s;
	size_t dig;
	size_t dot;     /* SIZE_MAX: no point inside the digit run */
	int64_t ndigits; /* significant digits, trailing zeros dropped */
	int64_t dexp;    /* value = 0.d1d2... * 10^dexp */
	double hex_d;    /* PK_HEX: both results, as the JDK computes them */
	float hex_f;
	int nfe;
} pnum;

typedef struct {
	const pnum *p;
	int64_t limit; /* digits actually read; the one at `limit` is '1' */
	bool truncated;
} digsrc;

static int digit_at(const digsrc *ds, int64_t k)
{
	if (ds->truncated && k == ds->limit)
		return 1;
	size_t pos = ds->p->dig + (size_t)k;
	if (pos >= ds->p->dot)
		pos++;
	return ds->p->s[pos] - '0';
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int hex_val(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return c - 'A' + 10;
}

/* Hex significand digits from the first nonzero one, '.' skipped. */
typedef struct {
	const char *s;
	size_t start, dot; /* dot: SIZE_MAX if not inside */
} hexsrc;

static int hex_at(const hexsrc *h, int64_t k)
{
	size_t pos = h->start + (size_t)k;
	if (pos >= h->dot)
		pos++;
	return hex_val(h->s[pos]);
}

/* parseHexString: [+-]0x(H+.?|H*.H+)[pP][+-]?D+[fFdD]? on the whole trimmed
 * string, rounded to double and to float directly from the hex bits. */
static int scan_hex(const char *t, size_t len, pnum *p)
{
	size_t i = 0;
	bool neg = false;
	if (i < len && (t[i] == '+' || t[i] == '-'))
		neg = t[i++] == '-';
	if (!(i + 1 < len && t[i] == '0' && (t[i + 1] == 'x' || t[i + 1] == 'X')))
		return FM_JAVA_NFE_INPUT;
	i += 2;
	size_t int_start = i;
	while (i < len && is_hex(t[i]))
		i++;
	size_t n_int = i - int_start;
	size_t dot = SIZE_MAX, n_frac = 0, frac_start = i;
	if (i < len && t[i] == '.') {
		dot = i++;
		frac_start = i;
		while (i < len && is_hex(t[i]))
			i++;
		n_frac = i - frac_start;
	}
	if (!((n_int >= 1 && n_frac == 0) || (dot != SIZE_MAX && n_frac >= 1)))
		return FM_JAVA_NFE_INPUT;
	if (!(i < len && (t[i] == 'p' || t[i] == 'P')))
		return FM_JAVA_NFE_INPUT;
	i++;
	bool pos_exp = true;
	if (i < len && (t[i] == '+' || t[i] == '-'))
		pos_exp = t[i++] == '+';
	size_t exp_start = i;
	while (i < len && t[i] >= '0' && t[i] <= '9')
		i++;
	size_t exp_end = i;
	if (exp_end == exp_start)
		return FM_JAVA_NFE_INPUT;
	if (i < len && (t[i] == 'f' || t[i] == 'F' || t[i] == 'd' || t[i] == 'D'))
		i++;
	if (i != len)
		return FM_JAVA_NFE_INPUT;

	p->neg = neg;
	/* Leading zeros never count; left_digits are the integer digits
	 * after them, right_digits all fraction digits. */
	size_t k = int_start;
	while (k < int_start + n_int && t[k] == '0')
		k++;
	int64_t left_digits = (int64_t)(int_start + n_int - k);
	int64_t right_digits = (int64_t)n_frac;
	hexsrc h = {t, 0, SIZE_MAX};
	int64_t sig_len;
	if (left_digits > 0) {
		h.start = k;
		h.dot = dot;
		sig_len = left_digits + right_digits;
	} else {
		size_t f = frac_start;
		while (f < frac_start + n_frac && t[f] == '0')
			f++;
		h.start = f;
		sig_len = (int64_t)(frac_start + n_frac - f);
	}
	int64_t exp_adjust = left_digits >= 1 ? 4 * (left_digits - 1)
					      : -4 * (right_digits - sig_len + 1);
	if (sig_len == 0) {
		p->kind = PK_ZERO;
		return 0;
	}

	/* Integer.parseInt of the exponent digits; overflow means the sign
	 * alone decides between infinity and zero. */
	int64_t raw = 0;
	for (size_t e = exp_start; e < exp_end; e++) {
		raw = raw * 10 + (t[e] - '0');
		if (raw > INT32_MAX) {
			p->kind = pos_exp ? PK_INF : PK_ZERO;
			return 0;
		}
	}
	int64_t exponent = (pos_exp ? raw : -raw) + exp_adjust;

	/* Gather 53 bits with the leading 1 at bit 52, then round/sticky. */
	bool round = false, sticky = false;
	int next_shift;
	uint64_t signif = 0;
	uint64_t lead = (uint64_t)hex_at(&h, 0);
	if (lead == 1) {
		signif |= lead << 52;
		next_shift = 52 - 4;
	} else if (lead <= 3) {
		signif |= lead << 51;
		next_shift = 52 - 5;
		exponent += 1;
	} else if (lead <= 7) {
		signif |= lead << 50;
		next_shift = 52 - 6;
		exponent += 2;
	} else {
		signif |= lead << 49;
		next_shift = 52 - 7;
		exponent += 3;
	}
	int64_t j;
	for (j = 1; j < sig_len && next_shift >= 0; j++) {
		signif |= (uint64_t)hex_at(&h, j) << next_shift;
		next_shift -= 4;
	}
	if (j < sig_len) {
		uint64_t cur = (uint64_t)hex_at(&h, j);
		switch (next_shift) {
		case -1:
			signif |= (cur & 0xE) >> 1;
			round = (cur & 0x1) != 0;
			break;
		case -2:
			signif |= (cur & 0xC) >> 2;
			round = (cur & 0x2) != 0;
			sticky = (cur & 0x1) != 0;
			break;
		case -3:
			signif |= (cur & 0x8) >> 3;
			round = (cur & 0x4) != 0;
			sticky = (cur & 0x3) != 0;
			break;
		default: /* -4 */
			round = (cur & 0x8) != 0;
			sticky = (cur & 0x7) != 0;
			break;
		}
		for (j++; j < sig_len && !sticky; j++)
			sticky = hex_at(&h, j) != 0;
	}

	/* float: rounded from the same bits, not via the double. */
	uint32_t fbits = neg ? F_SIGN_MASK : 0;
	if (exponent >= -126) {
		if (exponent > 127) {
			fbits |= F_EXP_MASK;
		} else {
			const int thresh = 53 - 24 - 1;
			bool fsticky = (signif & ((UINT64_C(1) << thresh) - 1)) != 0 || round || sticky;
			uint32_t iv = (uint32_t)(signif >> thresh);
			if ((iv & 3) != 1 || fsticky)
				iv++;
			fbits |= (uint32_t)((uint32_t)(exponent + (F_EXP_BIAS - 1)) << F_EXP_SHIFT) + (iv >> 1);
		}
	} else if (exponent >= -150) {
		int thresh = (int)((53 - 2 - 149) - exponent);
		bool fsticky = (signif & ((UINT64_C(1) << thresh) - 1)) != 0 || round || sticky;
		uint32_t iv = (uint32_t)(signif >> thresh);
		if ((iv & 3) != 1 || fsticky)
			iv++;
		fbits |= iv >> 1;
	}
	p->hex_f = bits_flt(fbits);

	if (exponent > 1023) {
		p->kind = PK_INF;
		return 0;
	}
	if (exponent >= -1022) {
		signif = (((uint64_t)(exponent + D_EXP_BIAS) << D_EXP_SHIFT) & D_EXP_MASK) |
			 (D_SIGNIF_MASK & signif);
	} else {
		if (exponent < -1075) {
			p->kind = PK_ZERO;
			return 0;
		}
		sticky = sticky || round;
		int discard = 53 - ((int)exponent + 1074 + 1);
		round = (signif & (UINT64_C(1) << (discard - 1))) != 0;
		if (discard > 1)
			sticky = sticky || (signif & ~(~UINT64_C(0) << (discard - 1))) != 0;
		signif >>= discard;
		signif &= D_SIGNIF_MASK;
	}
	bool least_zero = (signif & 1) == 0;
	if ((least_zero && round && sticky) || (!least_zero && round))
		signif++;
	p->hex_d = bits_dbl(signif | (neg ? D_SIGN_MASK : 0));
	p->kind = PK_HEX;
	return 0;
}

/* readJavaFormatString. Returns 0 or an FM_JAVA_NFE_* code. */
static int scan(const char *s, size_t n, pnum *p)
{
	memset(p, 0, sizeof *p);
	/* String.trim(): every char <= ' ' at either end, NUL included. */
	while (n > 0 && (unsigned char)s[0] <= ' ') {
		s++;
		n--;
	}
	while (n > 0 && (unsigned char)s[n - 1] <= ' ')
		n--;
	if (n == 0)
		return FM_JAVA_NFE_EMPTY;
	p->s = s;
	p->dot = SIZE_MAX;

	size_t i = 0;
	bool sign_seen = false;
	if (s[0] == '-' || s[0] == '+') {
		p->neg = s[0] == '-';
		sign_seen = true;
		i++;
	}
	if (i >= n)
		return FM_JAVA_NFE_INPUT;
	char c = s[i];
	if (c == 'N') {
		if (n - i == 3 && memcmp(s + i, "NaN", 3) == 0) {
			p->kind = PK_NAN;
			return 0;
		}
		return FM_JAVA_NFE_INPUT;
	}
	if (c == 'I') {
		if (n - i == 8 && memcmp(s + i, "Infinity", 8) == 0) {
			p->kind = PK_INF;
			return 0;
		}
		return FM_JAVA_NFE_INPUT;
	}
	if (c == '0' && n > i + 1 && (s[i + 1] == 'x' || s[i + 1] == 'X'))
		return scan_hex(s, n, p);

	bool dec_seen = false;
	int64_t ndig = 0, dec_pt = 0, n_lead_zero = 0, n_trail_zero = 0;
	for (; i < n; i++) {
		c = s[i];
		if (c == '0') {
			n_lead_zero++;
		} else if (c == '.') {
			if (dec_seen)
				return FM_JAVA_NFE_POINTS;
			dec_pt = (int64_t)i - (sign_seen ? 1 : 0);
			dec_seen = true;
		} else {
			break;
		}
	}
	p->dig = i;
	for (; i < n; i++) {
		c = s[i];
		if (c >= '1' && c <= '9') {
			ndig++;
			n_trail_zero = 0;
		} else if (c == '0') {
			ndig++;
			n_trail_zero++;
		} else if (c == '.') {
			if (dec_seen)
				return FM_JAVA_NFE_POINTS;
			dec_pt = (int64_t)i - (sign_seen ? 1 : 0);
			dec_seen = true;
			p->dot = i;
		} else {
			break;
		}
	}
	ndig -= n_trail_zero;
	bool is_zero = ndig == 0;
	if (is_zero && n_lead_zero == 0)
		return FM_JAVA_NFE_INPUT; /* no digit at all */
	int64_t dexp = dec_seen ? dec_pt - n_lead_zero : ndig + n_trail_zero;

	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		int exp_sign = 1;
		int32_t exp_val = 0;
		const int32_t really_big = INT32_MAX / 10;
		bool exp_overflow = false;
		if (++i >= n)
			return FM_JAVA_NFE_INPUT;
		if (s[i] == '-') {
			exp_sign = -1;
			i++;
		} else if (s[i] == '+') {
			i++;
		}
		size_t exp_at = i;
		while (i < n) {
			/* Checked before every char, even a final non-digit. */
			if (exp_val >= really_big)
				exp_overflow = true;
			c = s[i++];
			if (c >= '0' && c <= '9') {
				exp_val = I32((uint32_t)exp_val * 10u + (uint32_t)(c - '0'));
			} else {
				i--;
				break;
			}
		}
		int64_t exp_limit = 324 + ndig + n_trail_zero;
		if (exp_overflow || exp_val > exp_limit) {
			/* Clamped to a value that still ends as 0 or infinity. */
			if (!exp_overflow && exp_sign == 1 && dexp < 0 && exp_val + dexp < exp_limit)
				dexp += exp_val;
			else
				dexp = exp_sign * exp_limit;
		} else {
			dexp += exp_sign * (int64_t)exp_val;
		}
		if (i == exp_at)
			return FM_JAVA_NFE_INPUT;
	}
	if (i < n && (i != n - 1 || (s[i] != 'f' && s[i] != 'F' && s[i] != 'd' && s[i] != 'D')))
		return FM_JAVA_NFE_INPUT;
	p->kind = is_zero ? PK_ZERO : PK_DEC;
	p->ndigits = ndig;
	p->dexp = dexp;
	return 0;
}

/* FDBigInteger(lValue, digits, kDigits, nDigits): the exact integer of
 * the first nd significant digits, the first k of them already in lv. */
static void build_digits(bn *x, uint64_t lv, const digsrc *ds, int64_t k, int64_t nd)
{
	bn_set_u64(x, lv);
	while (k < nd - 5) {
		uint32_t v = 0;
		for (int m = 0; m < 5; m++)
			v = v * 10 + (uint32_t)digit_at(ds, k++);
		bn_muladd_u32(x, 100000, v);
	}
	uint32_t factor = 1, v = 0;
	while (k < nd) {
		v = v * 10 + (uint32_t)digit_at(ds, k++);
		factor *= 10;
	}
	if (factor != 1)
		bn_muladd_u32(x, factor, v);
}

/* The JDK's correction loop shared by doubleValue and floatValue: compare
 * the candidate `ieee` (positive, finite, nonzero raw bits of a format with
 * `shift` fraction bits and exponent bias `bias`) with the exact value
 * d0 * 10^exp (d0 already times 5^d5, b5 = -exp when negative) and step it
 * one ulp at a time until within half an ulp; exact halves go to even. */
static uint64_t correct(const bn *d0, int b5, int d5, uint64_t ieee, int shift, int bias)
{
	const uint64_t exp_mask = ((UINT64_C(1) << (shift == D_EXP_SHIFT ? 11 : 8)) - 1) << shift;
	const uint64_t signif_mask = (UINT64_C(1) << shift) - 1;
	bn pow5; /* 5^b5, reused for the candidate and the half ulp */
	bn_set_u64(&pow5, 1);
	bn_mul_pow5(&pow5, b5);
	bn bd;
	bd.n = 0;
	int prev_d2 = -1; /* d2 >= 0 always: forces the first shift */
	for (;;) {
		int binexp = (int)(ieee >> shift);
		uint64_t bbits = ieee & signif_mask;
		if (binexp > 0) {
			bbits |= UINT64_C(1) << shift;
		} else {
			int sh = clz64(bbits) - (63 - shift);
			bbits <<= sh;
			binexp = 1 - sh;
		}
		binexp -= bias;
		const int low_zeros = ctz64(bbits);
		bbits >>= low_zeros;
		const int big_exp = binexp - shift + low_zeros;
		const int big_nbits = shift + 1 - low_zeros;

		int b2 = b5, d2 = d5, ulp2;
		if (big_exp >= 0)
			b2 += big_exp;
		else
			d2 -= big_exp;
		ulp2 = b2;
		/* scale so that half an ulp is an integer */
		int hulpbias = (binexp <= -bias) ? binexp + low_zeros + bias : 1 + low_zeros;
		b2 += hulpbias;
		d2 += hulpbias;
		int common2 = imin(b2, imin(d2, ulp2));
		b2 -= common2;
		d2 -= common2;
		ulp2 -= common2;

		bn bb = pow5, diff, half;
		bn_mul_u64(&bb, bbits);
		bn_shl(&bb, b2);
		if (prev_d2 != d2) {
			bd = *d0;
			bn_shl(&bd, d2);
			prev_d2 = d2;
		}

		bool over;
		int c = bn_cmp(&bb, &bd);
		if (c > 0) {
			over = true;
			diff = bb;
			bn_sub(&diff, &bd);
			if (big_nbits == 1 && big_exp > -bias + 1) {
				/* a normal power of two, too big: the ulp below is
				 * half as wide */
				ulp2 -= 1;
				if (ulp2 < 0) {
					ulp2 = 0;
					bn_shl(&diff, 1);
				}
			}
		} else if (c < 0) {
			over = false;
			diff = bd;
			bn_sub(&diff, &bb);
		} else {
			break;
		}
		half = pow5;
		bn_shl(&half, ulp2);
		c = bn_cmp(&diff, &half);
		if (c < 0)
			break;
		if (c == 0) {
			if (ieee & 1) {
				if (over)
					ieee--;
				else
					ieee++;
			}
			break;
		}
		if (over)
			ieee--;
		else
			ieee++;
		if (ieee == 0 || ieee == exp_mask)
			break; /* fell off the range */
	}
	return ieee;
}

/* Beyond these the JDK's own early outs give 0 or infinity; clamping first
 * keeps int arithmetic safe for absurd exponents. */
#define DEXP_CLAMP 100000

/* ASCIIToBinaryBuffer.doubleValue */
static double dbl_value(const pnum *p)
{
	const bool neg = p->neg;
	const double inf = neg ? -__builtin_inf() : __builtin_inf();
	const double zero = neg ? -0.0 : 0.0;
	if (p->dexp > DEXP_CLAMP)
		return inf;
	if (p->dexp < -DEXP_CLAMP)
		return zero;
	const int dexp = (int)p->dexp;
	int64_t nd = p->ndigits;
	digsrc ds = {p, 0, false};
	const int kdigits = (int)(nd < 16 ? nd : 16);
	int32_t iv = digit_at(&ds, 0);
	const int idig = imin(kdigits, 9);
	for (int i = 1; i < idig; i++)
		iv = iv * 10 + digit_at(&ds, i);
	int64_t lv = iv;
	for (int i = idig; i < kdigits; i++)
		lv = lv * 10 + digit_at(&ds, i);
	double dv = (double)lv;
	int exp = dexp - kdigits;

	if (nd <= 15) {
		/* exact digits: one rounding when the power of ten is exact */
		if (exp == 0 || dv == 0.0)
			return neg ? -dv : dv;
		if (exp >= 0) {
			if (exp <= 22) {
				double rv = dv * small10pow[exp];
				return neg ? -rv : rv;
			}
			int slop = 15 - kdigits;
			if (exp <= 22 + slop) {
				dv *= small10pow[slop];
				double rv = dv * small10pow[exp - slop];
				return neg ? -rv : rv;
			}
		} else if (exp >= -22) {
			double rv = dv / small10pow[-exp];
			return neg ? -rv : rv;
		}
	}

	/* A first approximation by scaling with powers of ten. */
	if (exp > 0) {
		if (dexp > 308 + 1)
			return inf;
		if ((exp & 15) != 0)
			dv *= small10pow[exp & 15];
		if ((exp >>= 4) != 0) {
			int j;
			for (j = 0; exp > 1; j++, exp >>= 1)
				if (exp & 1)
					dv *= big10pow[j];
			double t = dv * big10pow[j];
			if (__builtin_isinf(t)) {
				/* maybe only just too big: start from MAX_VALUE */
				t = dv / 2.0;
				t *= big10pow[j];
				if (__builtin_isinf(t))
					return inf;
				t = 1.7976931348623157e308;
			}
			dv = t;
		}
	} else if (exp < 0) {
		exp = -exp;
		if (dexp < -324 - 1)
			return zero;
		if ((exp & 15) != 0)
			dv /= small10pow[exp & 15];
		if ((exp >>= 4) != 0) {
			int j;
			for (j = 0; exp > 1; j++, exp >>= 1)
				if (exp & 1)
					dv *= tiny10pow[j];
			double t = dv * tiny10pow[j];
			if (t == 0.0) {
				t = dv * 2.0;
				t *= tiny10pow[j];
				if (t == 0.0)
					return zero;
				t = 4.9e-324;
			}
			dv = t;
		}
	}

	if (nd > MAX_NDIGITS) {
		nd = MAX_NDIGITS + 1;
		ds.truncated = true;
		ds.limit = MAX_NDIGITS;
	}
	bn d0;
	build_digits(&d0, (uint64_t)lv, &ds, kdigits, nd);
	exp = dexp - (int)nd;
	const int b5 = imax(0, -exp), d5 = imax(0, exp);
	bn_mul_pow5(&d0, d5);
	uint64_t ieee = correct(&d0, b5, d5, dbl_bits(dv), D_EXP_SHIFT, D_EXP_BIAS);
	if (neg)
		ieee |= D_SIGN_MASK;
	return bits_dbl(ieee);
}

/* ASCIIToBinaryBuffer.floatValue: rounds straight to float (its own
 * correction loop), never through a double result. */
static float flt_value(const pnum *p)
{
	const bool neg = p->neg;
	const float inf = neg ? -__builtin_inff() : __builtin_inff();
	const float zero = neg ? -0.0f : 0.0f;
	if (p->dexp > DEXP_CLAMP)
		return inf;
	if (p->dexp < -DEXP_CLAMP)
		return zero;
	const int dexp = (int)p->dexp;
	int64_t nd = p->ndigits;
	digsrc ds = {p, 0, false};
	const int kdigits = (int)(nd < 8 ? nd : 8);
	int32_t iv = digit_at(&ds, 0);
	for (int i = 1; i < kdigits; i++)
		iv = iv * 10 + digit_at(&ds, i);
	float fv = (float)iv;
	int exp = dexp - kdigits;

	if (nd <= 7) {
		if (exp == 0 || fv == 0.0f)
			return neg ? -fv : fv;
		if (exp >= 0) {
			if (exp <= 10) {
				fv *= single_small10pow[exp];
				return neg ? -fv : fv;
			}
			int slop = 7 - kdigits;
			if (exp <= 10 + slop) {
				fv *= single_small10pow[slop];
				fv *= single_small10pow[exp - slop];
				return neg ? -fv : fv;
			}
		} else if (exp >= -10) {
			fv /= single_small10pow[-exp];
			return neg ? -fv : fv;
		}
	} else if (dexp >= nd && nd + dexp <= 15) {
		/* an exact integer in double: one rounding to float */
		int64_t lv = iv;
		for (int64_t i = kdigits; i < nd; i++)
			lv = lv * 10 + digit_at(&ds, i);
		double dv = (double)lv;
		dv *= small10pow[dexp - nd];
		fv = (float)dv;
		return neg ? -fv : fv;
	}

	double dv = fv;
	if (exp > 0) {
		if (dexp > 38 + 1)
			return inf;
		if ((exp & 15) != 0)
			dv *= small10pow[exp & 15];
		if ((exp >>= 4) != 0)
			for (int j = 0; exp > 0 && j < 5; j++, exp >>= 1)
				if (exp & 1)
					dv *= big10pow[j];
	} else if (exp < 0) {
		exp = -exp;
		if (dexp < -45 - 1)
			return zero;
		if ((exp & 15) != 0)
			dv /= small10pow[exp & 15];
		if ((exp >>= 4) != 0)
			for (int j = 0; exp > 0 && j < 5; j++, exp >>= 1)
				if (exp & 1)
					dv *= tiny10pow[j];
	}
	/* Math.max(MIN_VALUE, Math.min(MAX_VALUE, (float)dv)) */
	fv = (float)dv;
	if (fv > 3.4028234663852886e38f)
		fv = 3.4028234663852886e38f;
	if (fv < 1.4e-45f)
		fv = 1.4e-45f;

	if (nd > SINGLE_MAX_NDIGITS) {
		nd = SINGLE_MAX_NDIGITS + 1;
		ds.truncated = true;
		ds.limit = SINGLE_MAX_NDIGITS;
	}
	bn d0;
	build_digits(&d0, (uint64_t)iv, &ds, kdigits, nd);
	exp = dexp - (int)nd;
	const int b5 = imax(0, -exp), d5 = imax(0, exp);
	bn_mul_pow5(&d0, d5);
	uint32_t ieee = (uint32_t)correct(&d0, b5, d5, flt_bits(fv), F_EXP_SHIFT, F_EXP_BIAS);
	if (neg)
		ieee |= F_SIGN_MASK;
	return bits_flt(ieee);
}

int fm_java_parse_double(const char *s, size_t n, double *out)
{
	pnum p;
	int rc = scan(s, n, &p);
	if (rc != 0)
		return rc;
	switch (p.kind) {
	case PK_NAN:
		*out = bits_dbl(UINT64_C(0x7ff8000000000000));
		break;
	case PK_INF:
		*out = p.neg ? -__builtin_inf() : __builtin_inf();
		break;
	case PK_ZERO:
		*out = p.neg ? -0.0 : 0.0;
		break;
	case PK_HEX:
		*out = p.hex_d;
		break;
	case PK_DEC:
		*out = dbl_value(&p);
		break;
	}
	return 0;
}

int fm_java_parse_float(const char *s, size_t n, float *out)
{
	pnum p;
	int rc = scan(s, n, &p);
	if (rc != 0)
		return rc;
	switch (p.kind) {
	case PK_NAN:
		*out = bits_flt(UINT32_C(0x7fc00000));
		break;
	case PK_INF:
		*out = p.neg ? -__builtin_inff() : __builtin_inff();
		break;
	case PK_ZERO:
		*out = p.neg ? -0.0f : 0.0f;
		break;
	case PK_HEX:
		*out = p.hex_f;
		break;
	case PK_DEC:
		*out = flt_value(&p);
		break;
	}
	return 0;
}
