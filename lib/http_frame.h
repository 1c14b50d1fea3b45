/* http_frame — the framed protocol between `live` (lib/live_http.c) and
 * its HTTP helper flinkmem-http (src/http/), which holds libcurl so that
 * flinkmem itself can be a static binary (a static glibc program cannot
 * load libcurl safely). A frame is a line "KEY LEN\n" and then LEN bytes.
 *
 *   flinkmem -> helper: base, timeout, ctimeout, conc, maxbody, insecure,
 *       netrc, cacert, userpwd, header*, path*, then "end 0"; the helper
 *       reads it all before it answers, so neither side waits on the other.
 *   helper -> flinkmem, per request as it finishes: "req" ("INDEX STATUS"),
 *       then "body" (the response) or "error" (one line); then "end 0".
 *
 * Every read is bounded: a header line of FM__FRAME_LINE bytes at most, a
 * payload of at most the caller's limit. Private to lib/ and the helper. */
#ifndef FLINKMEM_HTTP_FRAME_H
#define FLINKMEM_HTTP_FRAME_H

#include <stddef.h>

#include "flinkmem/buf.h"

#define FM__FRAME_LINE 64         /* "KEY LEN\n" */
#define FM__FRAME_KEY 16          /* key bytes, NUL included */
#define FM__FRAME_SMALL (1 << 20) /* any payload but a body */

/* Appends the frame KEY with n bytes of v; fm__frame_putl with a number. */
int fm__frame_put(fm_buf *b, const char *key, const char *v, size_t n);
int fm__frame_putl(fm_buf *b, const char *key, long long v);

/* Buffered reader of frames from fd; a poll of timeout_ms (-1 = none) bounds
 * every wait for bytes. */
typedef struct fm__frame_rd {
	int fd;
	int timeout_ms;
	size_t at, len;
	char buf[16384];
} fm__frame_rd;

/* Reads the next frame: key (NUL-terminated, FM__FRAME_KEY bytes) and its
 * payload in *val (malloc'd, NUL-terminated, *n bytes; free it). A payload
 * over max is an error. Returns 0, or -1 with *why a static text: "end of
 * stream", "timed out", "malformed frame", "frame too large", "out of
 * memory" or "read error". */
int fm__frame_get(fm__frame_rd *r, char key[FM__FRAME_KEY], char **val, size_t *n, size_t max,
		  const char **why);

/* Writes all of p to fd (send without SIGPIPE on a socket, else write).
 * Returns 0 or -1 (errno set). */
int fm__frame_write_all(int fd, const void *p, size_t n);

#endif
