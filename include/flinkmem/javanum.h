/* javanum — Java (JDK 17) number parsing and printing, reproduced exactly.
 *
 * Flink reads fractions with Float.parseFloat, widens them to double and
 * feeds BigDecimal.valueOf(double), which goes through Double.toString.
 * JDK 17's Double.toString (sun.misc.FloatingDecimal) is *not* always the
 * shortest round-trip string, so we port its digit generation.
 * No allocation; fm_java_double_decimal keeps a small per-thread memo;
 * thread-safe. */
#ifndef FLINKMEM_JAVANUM_H
#define FLINKMEM_JAVANUM_H

#include <stddef.h>
#include <stdint.h>

/* Longest output of fm_java_double_to_string plus NUL. */
#define FM_JAVA_DTOA_MAX 32

/* Double.toString(d) as JDK 17 prints it ("1.0", "0.1", "1.0E-9",
 * "NaN", "-Infinity", "4.9E-324"). Writes NUL-terminated text into buf
 * (at least FM_JAVA_DTOA_MAX bytes); returns its length. */
size_t fm_java_double_to_string(double d, char *buf);

/* Float.toString(f), same conventions. */
size_t fm_java_float_to_string(float f, char *buf);

/* The decimal digits and exponent Double.toString(d) prints, for
 * BigDecimal.valueOf(d): value = digits * 10^exp10, digits without
 * leading zeros (0 for zero). d must be finite. Sets *neg for negatives. */
void fm_java_double_decimal(double d, uint64_t *digits, int *exp10, int *neg);
/* The same without the per-thread memo of recent answers, for values that
 * seldom come back (human-readable sizes), which would only push the
 * fractions the memo is for out of it. */
void fm_java_double_decimal_uncached(double d, uint64_t *digits, int *exp10, int *neg);

/* Float.parseFloat / Double.parseDouble on s[0..n): Java's grammar
 * (leading/trailing chars <= ' ' trimmed, sign, NaN, Infinity, decimal
 * with exponent, hex "0x1.8p3", optional f/F/d/D suffix), rounded as
 * JDK 17 rounds (parseFloat straight to float). s may hold NUL bytes.
 * Returns 0 on success and sets *out; where Java throws
 * NumberFormatException returns, and leaves *out alone:
 *   FM_JAVA_NFE_INPUT  message `For input string: "<t>"`, t the input
 *                      *after* trimming (JDK 17 reports the trimmed text);
 *   FM_JAVA_NFE_EMPTY  message `empty String` (nothing left after trimming);
 *   FM_JAVA_NFE_POINTS message `multiple points` (a second '.' in a decimal
 *                      significand, e.g. "1.2.3"; checked while scanning, so
 *                      "1.2.3x" also gets it).
 * Callers build the message. */
#define FM_JAVA_NFE_INPUT (-1)
#define FM_JAVA_NFE_EMPTY (-2)
#define FM_JAVA_NFE_POINTS (-3)
int fm_java_parse_float(const char *s, size_t n, float *out);
int fm_java_parse_double(const char *s, size_t n, double *out);

#endif
