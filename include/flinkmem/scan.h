/* scan — TEMPORARY stand-in header for the scanner contract (/work/scan-api.md),
 * owned by the `scan` branch. Removed before `git merge scan`. */
#ifndef FLINKMEM_SCAN_H
#define FLINKMEM_SCAN_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/diag.h"

#define FM_SCAN_LINE_MAX ((size_t)64 * 1024)

typedef struct fm_pattern {
	const char *id;
	const char *expr;
	bool regex;
	bool icase;
} fm_pattern;

typedef struct fm_match {
	size_t pat;
	const char *name;
	uint64_t line;
	uint64_t offset;
	const char *text;
	size_t len;
	bool truncated;
} fm_match;

typedef int (*fm_scan_cb)(const fm_match *m, void *ctx);
typedef struct fm_scanner fm_scanner;
fm_scanner *fm_scanner_new(const fm_pattern *pats, size_t n, fm_diag *d);
void fm_scanner_free(fm_scanner *s);
int fm_scan_fd(fm_scanner *s, int fd, const char *name, fm_scan_cb cb, void *ctx, fm_diag *d);
int fm_scan_mem(fm_scanner *s, const char *data, size_t len, const char *name, fm_scan_cb cb, void *ctx, fm_diag *d);
int fm_scan_files(fm_scanner *s, const char *const *paths, size_t n, unsigned nthreads, fm_scan_cb cb, void *ctx,
		  fm_diag *d);
int fm_scan_ref_mem(const fm_pattern *pats, size_t n, const char *data, size_t len, const char *name, fm_scan_cb cb,
		    void *ctx, fm_diag *d);
#endif
