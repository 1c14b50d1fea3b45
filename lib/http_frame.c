/* http_frame — see http_frame.h. */
#include "http_frame.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int fm__frame_put(fm_buf *b, const char *key, const char *v, size_t n)
{
	return fm_buf_addf(b, "%s %zu\n", key, n) || fm_buf_add(b, v, n);
}

int fm__frame_putl(fm_buf *b, const char *key, long long v)
{
	char num[32];
	int k = snprintf(num, sizeof num, "%lld", v);
	return fm__frame_put(b, key, num, (size_t)k);
}

/* More bytes into the buffer (after moving what is left to its start).
 * Returns the count read, 0 at end of stream, -1 on error (*why set). */
static long fill(fm__frame_rd *r, const char **why)
{
	if (r->at) {
		memmove(r->buf, r->buf + r->at, r->len - r->at);
		r->len -= r->at;
		r->at = 0;
	}
	for (;;) {
		struct pollfd p = {r->fd, POLLIN, 0};
		int k = poll(&p, 1, r->timeout_ms);
		if (k < 0 && errno == EINTR)
			continue;
		if (k == 0) {
			*why = "timed out";
			return -1;
		}
		ssize_t got = k < 0 ? -1 : read(r->fd, r->buf + r->len, sizeof r->buf - r->len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == ECONNRESET)
			got = 0; /* the peer closed with our bytes unread: it ended */
		if (got < 0) {
			*why = "read error";
			return -1;
		}
		r->len += (size_t)got;
		if (got == 0)
			*why = "end of stream";
		return (long)got;
	}
}

int fm__frame_get(fm__frame_rd *r, char key[FM__FRAME_KEY], char **val, size_t *n, size_t max,
		  const char **why)
{
	*val = NULL;
	*n = 0;
	char *nl;
	while (!(nl = memchr(r->buf + r->at, '\n', r->len - r->at))) {
		if (r->len - r->at >= FM__FRAME_LINE) {
			*why = "malformed frame";
			return -1;
		}
		if (fill(r, why) <= 0)
			return -1;
	}
	char line[FM__FRAME_LINE + 1];
	size_t ll = (size_t)(nl - (r->buf + r->at));
	/* the newline may lie far past a header line's limit when the peer
	 * wrote more than one read's worth at once */
	if (ll >= FM__FRAME_LINE) {
		*why = "malformed frame";
		return -1;
	}
	memcpy(line, r->buf + r->at, ll);
	line[ll] = '\0';
	r->at += ll + 1;
	char *sp = strchr(line, ' '), *end = NULL;
	if (!sp || sp == line || (size_t)(sp - line) >= FM__FRAME_KEY || sp[1] < '0' || sp[1] > '9') {
		*why = "malformed frame";
		return -1;
	}
	errno = 0;
	unsigned long long len = strtoull(sp + 1, &end, 10);
	if (errno || *end) {
		*why = "malformed frame";
		return -1;
	}
	if (len > max) {
		*why = "frame too large";
		return -1;
	}
	memcpy(key, line, (size_t)(sp - line));
	key[sp - line] = '\0';
	char *v = malloc((size_t)len + 1);
	if (!v) {
		*why = "out of memory";
		return -1;
	}
	size_t have = 0;
	while (have < len) {
		if (r->at == r->len && fill(r, why) <= 0) {
			free(v);
			return -1;
		}
		size_t k = r->len - r->at < len - have ? r->len - r->at : (size_t)len - have;
		memcpy(v + have, r->buf + r->at, k);
		r->at += k;
		have += k;
	}
	v[len] = '\0';
	*val = v;
	*n = (size_t)len;
	return 0;
}

int fm__frame_write_all(int fd, const void *p, size_t n)
{
	const char *c = p;
	bool sock = true;
	while (n) {
		ssize_t k = sock ? send(fd, c, n, MSG_NOSIGNAL) : write(fd, c, n);
		if (k < 0 && sock && errno == ENOTSOCK) {
			sock = false;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		c += k;
		n -= (size_t)k;
	}
	return 0;
}
