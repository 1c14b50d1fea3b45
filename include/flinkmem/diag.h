/* diag — error values with detail (code, message, position, key), plus the
 * Java exception Flink itself would raise for the same input when there is
 * one. The library fills a caller's fm_diag; only the CLI prints it.
 * Not thread-safe per object; no global state. */
#ifndef FLINKMEM_DIAG_H
#define FLINKMEM_DIAG_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

enum fm_err {
	FM_OK = 0,
	FM_ENOMEM = -1,   /* allocation failed */
	FM_EIO = -2,      /* file missing or unreadable */
	FM_ESYNTAX = -3,  /* malformed input (YAML, JSON, key=value) */
	FM_EINVAL = -4,   /* well-formed but invalid value */
	FM_ERANGE = -5,   /* arithmetic overflow */
	FM_ETOOBIG = -6,  /* input over a size cap */
	FM_EUSAGE = -7,   /* bad arguments from the caller */
};

/* Human text for an fm_err code (static string). */
const char *fm_strerror(int code);

/* All strings are owned by the diag (NULL when absent); line/col are
 * 1-based, 0 when unknown. jclass/jmsg: the exception class and message
 * Flink raises for this input (e.g. YAML load failures), NULL if none. */
typedef struct fm_diag {
	int code;
	char *msg;
	char *file;
	uint32_t line, col;
	char *key;
	char *jclass;
	char *jmsg;
} fm_diag;

#define FM_DIAG_INIT {0, NULL, NULL, 0, 0, NULL, NULL, NULL}

/* Frees the strings and resets to FM_DIAG_INIT. Accepts NULL. */
void fm_diag_release(fm_diag *d);

/* Replaces d's content (d may be NULL: then only the code is returned).
 * Returns code, so `return fm_diag_set(d, FM_EINVAL, ...)` reads well.
 * On allocation failure inside, the code becomes FM_ENOMEM. */
int fm_diag_set(fm_diag *d, int code, const char *file, uint32_t line, uint32_t col,
		const char *key, const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* Attach the Java exception Flink would throw (copied). */
int fm_diag_java(fm_diag *d, const char *jclass, const char *jmsg);

#endif
