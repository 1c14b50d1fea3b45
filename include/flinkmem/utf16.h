/* utf16 — UTF-16 input read as UTF-8. Windows PowerShell 5's `>` and
 * Out-File write UTF-16LE with a byte-order mark, so `kubectl logs pod >
 * tm.log` there gives a log in which no UTF-8 message text can match; the
 * scanner and the collector read it transcoded instead. Pure, thread-safe. */
#ifndef FLINKMEM_UTF16_H
#define FLINKMEM_UTF16_H

#include <stdbool.h>
#include <stddef.h>

typedef enum { FM_UTF16_NONE, FM_UTF16_LE, FM_UTF16_BE } fm_utf16;

/* The encoding of a text starting with p[0..n): UTF-16 by its byte-order
 * mark, or without one when ASCII text shows as alternate zero bytes. */
fm_utf16 fm_utf16_detect(const void *p, size_t n);

/* Worst-case UTF-8 bytes for n bytes of UTF-16 (a 2-byte unit -> 3). */
#define FM_UTF16_OUT_MAX(n) ((n) / 2 * 3 + 3)

/* Converts the complete code units of in[0..n) to UTF-8 into out (room for
 * FM_UTF16_OUT_MAX(n) bytes) and returns the bytes written; *used is the
 * input consumed: an odd last byte or a high surrogate whose partner is
 * not in the chunk stays for the next call, unless last (the input's end:
 * then it becomes U+FFFD). A byte-order mark at the text's start is
 * dropped when at_start; a lone surrogate becomes U+FFFD. */
size_t fm_utf16_to_utf8(const void *in, size_t n, fm_utf16 enc, bool at_start, bool last, char *out,
			size_t *used);

#endif
