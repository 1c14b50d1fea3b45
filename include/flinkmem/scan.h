/* scan — streaming multi-pattern line scanner over logs (Vectorscan), plus a
 * small per-line reference matcher (POSIX regex, memmem) for differential
 * tests. Generic: it knows nothing about Flink; diagnose owns the patterns.
 *
 * Line model: LF ends a line; a CR right before the LF is not part of the
 * text (a lone CR, or a CR at end of input without LF, is). The last line
 * needs no LF. Lines may hold any byte (NUL, invalid UTF-8) and have any
 * length: memory stays constant (a read chunk + FM_SCAN_LINE_MAX per input).
 *
 * Pattern semantics are per line: a match never spans a newline. Regexes are
 * POSIX ERE in the C locale, restricted to what both engines agree on:
 * literals, `\` + punctuation escapes, `.` (any byte but LF and NUL, as in
 * glibc), bracket expressions with ranges and [:classes:], (), |, ?, *, +,
 * {m}, {m,}, {m,n}, and ^ (line start). Rejected by fm_scanner_new: `$`,
 * `\` + letter or digit (GNU extensions differ), back-references, patterns
 * that match the empty line, and literals that are empty or hold a LF.
 * icase folds ASCII letters only. */
#ifndef FLINKMEM_SCAN_H
#define FLINKMEM_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flinkmem/diag.h"

/* Reported line text is capped at this many bytes (the match itself is
 * found anywhere in the line). */
#define FM_SCAN_LINE_MAX ((size_t)64 * 1024)

typedef struct fm_pattern {
	const char *id;   /* e.g. "OOM_HEAP" (not copied; must outlive the scanner) */
	const char *expr; /* literal text, or a regex (see above) */
	bool regex;       /* false: expr is a literal */
	bool icase;       /* case-insensitive (ASCII) */
} fm_pattern;

typedef struct fm_match {
	size_t pat;        /* index into the pattern array given to fm_scanner_new */
	const char *name;  /* input name as given (path, "-" for stdin) */
	uint64_t line;     /* 1-based line number */
	uint64_t offset;   /* byte offset of the line start in the (decompressed) input */
	const char *text;  /* the line without LF/CR LF; may hold NUL, invalid UTF-8 */
	size_t len;        /* bytes at text, capped at FM_SCAN_LINE_MAX */
	bool truncated;    /* true when the real line was longer than len */
} fm_match;                /* valid only during the callback */

/* Return non-zero to stop scanning that input (the scan then returns 0).
 * Each matching (line, pattern) pair is reported once, in line order within
 * one input; several patterns on one line give several calls in
 * pattern-index order. Calls are serialized (never concurrent) even when
 * files are scanned on several threads. */
typedef int (*fm_scan_cb)(const fm_match *m, void *ctx);

typedef struct fm_scanner fm_scanner;

/* Compiles n >= 1 patterns (pats is not copied, its strings must outlive
 * the scanner). NULL on error with d filled (FM_EINVAL naming the pattern
 * id in d->key, FM_ENOMEM, FM_EUSAGE for n == 0). */
fm_scanner *fm_scanner_new(const fm_pattern *pats, size_t n, fm_diag *d);
void fm_scanner_free(fm_scanner *s); /* accepts NULL */

/* Compiling costs tens of milliseconds, so a database can be built once
 * (at build time) and loaded: fm_scanner_serialize gives a malloc'd blob
 * (free() it) keyed to the exact pattern set and Vectorscan release;
 * fm_scanner_new_prebuilt uses such a blob when it matches pats and this
 * CPU, and otherwise compiles as fm_scanner_new does (same errors). A blob
 * is trusted input: only pass one that fm_scanner_serialize wrote. */
int fm_scanner_serialize(const fm_scanner *s, char **bytes, size_t *len, fm_diag *d);
fm_scanner *fm_scanner_new_prebuilt(const fm_pattern *pats, size_t n, const void *blob, size_t len,
				    fm_diag *d);
bool fm_scanner_is_prebuilt(const fm_scanner *s); /* false for NULL */
/* The key of a pattern set (patterns in order, with their flags). */
uint64_t fm_scanner_fingerprint(const fm_pattern *pats, size_t n);

/* Streams fd with read() in chunks; gzip input (magic 1f 8b, concatenated
 * members allowed) is decompressed transparently. Does not close fd.
 * 0, or FM_EIO (read error), FM_ESYNTAX (corrupt or truncated gzip),
 * FM_ENOMEM, FM_EINVAL (Vectorscan reported out of order; see lib/scan.c),
 * with d naming the input. Uses the scanner's own scratch: one call at a
 * time per scanner, fm_scan_files included (which scans in parallel). */
int fm_scan_fd(fm_scanner *s, int fd, const char *name, fm_scan_cb cb, void *ctx, fm_diag *d);
/* The same over a buffer (no gzip detection). */
int fm_scan_mem(fm_scanner *s, const char *data, size_t len, const char *name, fm_scan_cb cb,
		void *ctx, fm_diag *d);
/* Many files across nthreads worker threads (0 = number of online CPUs);
 * "-" is stdin. With 2+ threads, a plain regular file of 64 MiB or more is
 * also split into 32 MiB byte ranges scanned in parallel; a range holds its
 * reports (at most 1 MiB, then it waits; a finished range leaves them, at
 * most 4 ranges per file, to the range before it) until the ranges before
 * it have delivered theirs, so the report order and line numbers are those of a
 * serial scan. Every
 * file is scanned even when one fails; the result is that of the first
 * failing file in array order (d names it), else 0. */
/* The error text of a gzip input cut short: everything before the cut was
 * scanned (its matches delivered), so a caller may keep the input as read. */
#define FM_SCAN_GZIP_CUT "truncated gzip data (read up to the cut)"

int fm_scan_files(fm_scanner *s, const char *const *paths, size_t n, unsigned nthreads,
		  fm_scan_cb cb, void *ctx, fm_diag *d);
/* The same, and each[i] (n entries, FM_DIAG_INIT on entry; the caller
 * releases them) receives file i's own error, so a caller can report every
 * failing file and keep what the others gave. */
int fm_scan_files_each(fm_scanner *s, const char *const *paths, size_t n, unsigned nthreads,
		       fm_scan_cb cb, void *ctx, fm_diag *each, fm_diag *d);

/* Test hook, not for production use: when non-zero, fm_scan_mem feeds the
 * stream segments of at most this many bytes, as reads of an fd would, so
 * tests can put chunk boundaries anywhere. Not thread-safe. */
extern size_t fm__scan_mem_piece;
/* Test hook: range size for splitting files in fm_scan_files (0 = 32 MiB). */
extern uint64_t fm__scan_range_size;
/* Test hook: how many ranges ended before their turn and parked their
 * reports (lib/scan.c), so a test can see that path taken. */
extern size_t fm__scan_parked;

/* The reference matcher: each line split by memchr, literals by memmem
 * (ASCII case folding for icase), regexes by regcomp(REG_EXTENDED |
 * REG_NEWLINE) and regexec with REG_STARTEND, so NUL bytes are text
 * (`.` does not match them, as everywhere in glibc). Same contract and report order as fm_scan_mem; it also accepts `$`
 * and whatever else glibc accepts. Assumes the C locale (LC_CTYPE).
 * FM_EINVAL naming the id when a regex does not compile. */
int fm_scan_ref_mem(const fm_pattern *pats, size_t n, const char *data, size_t len,
		    const char *name, fm_scan_cb cb, void *ctx, fm_diag *d);

#endif
