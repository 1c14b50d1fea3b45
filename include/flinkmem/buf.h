/* buf — growable memory: a byte buffer with a hard size cap (curl's
 * dynbuf, git's strbuf), always NUL-terminated after a successful append,
 * and fm_grow(), the overflow-checked doubling every growable array of the
 * library uses. Every append is checked: FM_ENOMEM on allocation failure,
 * FM_ETOOBIG past the cap. Not thread-safe per object. */
#ifndef FLINKMEM_BUF_H
#define FLINKMEM_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct fm_buf {
	char *data;   /* NULL until the first append */
	size_t len;   /* bytes used, excluding the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* hard cap on len (0 = FM_BUF_DEFAULT_MAX) */
} fm_buf;

#define FM_BUF_DEFAULT_MAX ((size_t)1 << 30)
#define FM_BUF_INIT {NULL, 0, 0, 0}

void fm_buf_init(fm_buf *b, size_t max);
void fm_buf_release(fm_buf *b);            /* frees, back to empty */
void fm_buf_reset(fm_buf *b);              /* len = 0, keeps memory */
int fm_buf_add(fm_buf *b, const void *p, size_t n);
int fm_buf_adds(fm_buf *b, const char *s);
int fm_buf_addc(fm_buf *b, char c);
int fm_buf_addf(fm_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int fm_buf_vaddf(fm_buf *b, const char *fmt, va_list ap);
/* Hands the NUL-terminated data to the caller (never NULL on success:
 * an empty buffer yields ""); the buffer is left empty. NULL on ENOMEM. */
char *fm_buf_detach(fm_buf *b, size_t *len);
/* JSON string content (no quotes around it): always valid UTF-8 - bytes
 * that are not UTF-8 become U+FFFD, controls and the characters that steer
 * a terminal \u escapes (the rule of escape.h). */
int fm_buf_add_json_str(fm_buf *b, const char *s, size_t n);

/* Makes room for one more element in the array *arr (of *cap elements of
 * each bytes): doubles *cap when *n == *cap, first when it was 0. The array
 * is untouched on failure. FM_OK or FM_ENOMEM (also on size overflow). */
int fm_grow(void *arr, size_t n, size_t *cap, size_t each, size_t first);

#endif
