/* memsize — Flink's MemorySize: the size grammar, the human-readable form
 * used in every Flink message, and the arithmetic Flink does on sizes
 * (checked add/subtract, float fractions multiplied through BigDecimal).
 * Every failure carries the Java exception Flink raises (fm_jexc), since
 * exact error text is part of the contract. Pure functions, thread-safe. */
#ifndef FLINKMEM_MEMSIZE_H
#define FLINKMEM_MEMSIZE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/buf.h"

#define FM_LONG_MAX INT64_MAX

/* A Java exception: class name (static string) and message (owned). */
typedef struct fm_jexc {
	const char *cls;
	char *msg;
} fm_jexc;

#define FM_JCLS_IAE "java.lang.IllegalArgumentException"
#define FM_JCLS_NFE "java.lang.NumberFormatException"
#define FM_JCLS_ARITH "java.lang.ArithmeticException"
#define FM_JCLS_NPE "java.lang.NullPointerException"
#define FM_JCLS_ICE "org.apache.flink.configuration.IllegalConfigurationException"
#define FM_JCLS_RUNTIME "java.lang.RuntimeException"

void fm_jexc_release(fm_jexc *e);
/* Sets e (replacing) and returns -1; msg formatted. ENOMEM leaves msg NULL. */
int fm_jexc_set(fm_jexc *e, const char *cls, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* MemorySize.parseBytes(text) on text[0..n): Java-trimmed digits, then an
 * optional case-insensitive unit (b|bytes, k|kb|kibibytes, m|mb|mebibytes,
 * g|gb|gibibytes, t|tb|tebibytes; none = bytes). Returns 0 and *bytes, or
 * -1 with e set to Flink's exception (NumberFormatException "text does not
 * start with a number", IllegalArgumentException for units and overflow). */
int fm_size_parse(const char *text, size_t n, int64_t *bytes, fm_jexc *e);

/* MemorySize.toHumanReadableString: "0 bytes", "1024 bytes",
 * "1.063kb (1088 bytes)", "1024.000mb (1073741824 bytes)". Java's %.3f
 * rounds the Double.toString digits half-up; so do we. */
int fm_size_human(fm_buf *out, int64_t bytes);
/* Same into a caller buffer of at least FM_SIZE_HUMAN_MAX bytes. */
#define FM_SIZE_HUMAN_MAX 96
void fm_size_human_c(char *out, int64_t bytes);

/* MemorySize.multiply(double): floor(bytes * BigDecimal(Double.toString(m)))
 * for m >= 0. -1 with ArithmeticException "long overflow" when the product
 * exceeds Long.MAX_VALUE; -1 with IllegalArgumentException for m < 0 or NaN. */
/* bytes the way a person writes them in a Flink config: the largest of
 * t/g/m/k that divides exactly ("2g", "1536m"), else "<n>b". Needs a
 * cap of at least 24. */
void fm_size_text(char *out, size_t cap, int64_t bytes);

int fm_size_mul(int64_t bytes, double m, int64_t *out, fm_jexc *e);

/* Math.addExact / subtractExact + MemorySize(bytes >= 0) as Flink's
 * MemorySize.add / subtract do: "long overflow" / "bytes must be >= 0". */
int fm_size_add(int64_t a, int64_t b, int64_t *out, fm_jexc *e);
int fm_size_sub(int64_t a, int64_t b, int64_t *out, fm_jexc *e);

/* bytes (>= 0) rounded up to whole MiB, for sizes shown to people and
 * searched in MiB steps; within 1 MiB of INT64_MAX (a size read from
 * input, e.g. "8Ei"), where rounding up would overflow, rounded down. */
int64_t fm_size_ceil_mib(int64_t bytes);

/* a * b for a, b >= 0, saturating at INT64_MAX: a size built from counts
 * read from input (slots x buffers x segment size) that no process can
 * hold stays "too large" instead of wrapping negative. */
int64_t fm_size_mul_sat(int64_t a, int64_t b);
/* a + b for a, b >= 0, saturating at INT64_MAX (a proposal grown from a
 * size read from input). */
int64_t fm_size_add_sat(int64_t a, int64_t b);

/* Java String.trim() bounds on s[0..n): strips chars <= ' ' at both ends. */
void fm_java_trim(const char **s, size_t *n);

#endif
