/* flinkmem-http — the HTTP transport of `flinkmem live`, a separate,
 * dynamically linked program because it links libcurl (with its TLS and
 * compression libraries), which the static flinkmem cannot load. flinkmem
 * starts it (lib/live_http.c) with a socket on stdin and stdout, sends the
 * options and paths (lib/http_frame.h) and reads one answer per request as
 * it finishes: libcurl's multi interface, bounded concurrency, one timeout
 * per request, bodies capped. Every failure of a request is one line on
 * it; a broken request stream is one line on stderr and exit status 2.
 * Not meant to be run by hand. */
#define CURL_DISABLE_TYPECHECK
#include <curl/curl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "http_frame.h"

typedef struct opts {
	char *base, *cacert, *userpwd;
	long timeout_ms, connect_timeout_ms;
	unsigned concurrency;
	size_t max_body;
	bool insecure, netrc;
	struct curl_slist *headers;
	char **paths;
	size_t npaths, cap;
} opts;

typedef struct xfer {
	size_t idx;
	CURL *e;
	char *url;
	char *buf;
	size_t len, cap, max;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
} xfer;

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	fm_buf b = FM_BUF_INIT;
	va_list ap;
	va_start(ap, f);
	int rc = fm_buf_vaddf(&b, f, ap);
	va_end(ap);
	if (rc) {
		fm_buf_release(&b);
		return NULL;
	}
	return fm_buf_detach(&b, NULL);
}

static void die(const char *what)
{
	fprintf(stderr, "flinkmem-http: %s\n", what);
	exit(2);
}

/* One answer: "req INDEX STATUS", then the body or the error line. */
static void answer(size_t idx, long status, const char *body, size_t len, const char *err)
{
	fm_buf b;
	fm_buf_init(&b, (size_t)-1 / 2);
	char head[64];
	int k = snprintf(head, sizeof head, "%zu %ld", idx, status);
	int rc = fm__frame_put(&b, "req", head, (size_t)k) ||
		 (err ? fm__frame_put(&b, "error", err, strlen(err)) : fm__frame_put(&b, "body", body, len));
	if (rc)
		die("out of memory");
	if (fm__frame_write_all(1, b.data, b.len) != 0)
		exit(2); /* flinkmem went away: nobody to tell */
	fm_buf_release(&b);
}

static size_t on_data(char *p, size_t size, size_t nmemb, void *ud)
{
	xfer *x = ud;
	size_t n = size * nmemb;
	if (n > x->max - x->len) {
		x->too_big = true;
		return 0; /* aborts the transfer */
	}
	if (x->len + n + 1 > x->cap) {
		size_t cap = x->cap ? x->cap : 16384;
		while (cap < x->len + n + 1)
			cap *= 2;
		char *nb = realloc(x->buf, cap);
		if (!nb)
			return 0;
		x->buf = nb;
		x->cap = cap;
	}
	memcpy(x->buf + x->len, p, n);
	x->len += n;
	x->buf[x->len] = '\0';
	return n;
}

static CURL *make_easy(const opts *o, xfer *x)
{
	CURL *e = curl_easy_init();
	if (!e)
		return NULL;
	long to = o->timeout_ms > 0 ? o->timeout_ms : 10000;
	long cto = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : (to < 5000 ? to : 5000);
	curl_easy_setopt(e, CURLOPT_URL, x->url);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, to);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, cto);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_USERAGENT, "flinkmem-live");
	if (o->max_body)
		curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)o->max_body);
	if (o->headers)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, o->headers);
	if (o->cacert)
		curl_easy_setopt(e, CURLOPT_CAINFO, o->cacert);
	if (o->insecure) {
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (o->userpwd) {
		curl_easy_setopt(e, CURLOPT_USERPWD, o->userpwd);
		curl_easy_setopt(e, CURLOPT_HTTPAUTH, (long)CURLAUTH_BASIC);
	}
	if (o->netrc)
		curl_easy_setopt(e, CURLOPT_NETRC, (long)CURL_NETRC_OPTIONAL);
	return e;
}

/* A finished transfer's outcome, answered at once (the body is then freed:
 * the helper holds at most the transfers in flight). */
static void finish(xfer *x, CURL *e, CURLcode res, size_t max, long timeout_ms)
{
	long status = 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	char *err = NULL;
	bool failed = true;
	if (x->too_big || res == CURLE_FILESIZE_EXCEEDED) {
		err = fmt("GET %s: response larger than %zu MiB", x->url, max >> 20);
	} else if (res == CURLE_OPERATION_TIMEDOUT) { /* libcurl's text has the ms it took */
		err = fmt("GET %s: no complete answer within %.3g s (--timeout)", x->url, (double)timeout_ms / 1000.0);
	} else if (res != CURLE_OK) {
		err = fmt("GET %s: %s", x->url, x->errbuf[0] ? x->errbuf : curl_easy_strerror(res));
	} else if (status != 200) {
		err = fmt("GET %s: HTTP %ld", x->url, status);
	} else {
		failed = false;
	}
	if (failed && !err)
		die("out of memory");
	if (err) {
		/* one line: strip the newline some libcurl messages carry */
		size_t n = strlen(err);
		while (n && (err[n - 1] == '\n' || err[n - 1] == '\r'))
			err[--n] = '\0';
		for (char *c = err; (c = strpbrk(c, "\r\n")) != NULL;)
			*c = ' ';
	}
	answer(x->idx, status, x->buf ? x->buf : "", x->len, err);
	free(err);
	free(x->buf);
	x->buf = NULL;
}

static void run(const opts *o)
{
	size_t n = o->npaths;
	size_t max = o->max_body ? o->max_body : (size_t)64 << 20;
	long to = o->timeout_ms > 0 ? o->timeout_ms : 10000;
	unsigned conc = o->concurrency ? o->concurrency : 16;
	size_t blen = strlen(o->base);
	while (blen && o->base[blen - 1] == '/')
		blen--;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		for (size_t i = 0; i < n; i++) {
			char *err = fmt("GET %.*s%s: libcurl could not start", (int)blen, o->base, o->paths[i]);
			answer(i, 0, NULL, 0, err ? err : "libcurl could not start");
			free(err);
		}
		return;
	}
	CURLM *m = curl_multi_init();
	xfer *xs = calloc(n ? n : 1, sizeof(*xs));
	if (!m || !xs)
		die("out of memory");
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)conc);
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)conc);
	size_t next = 0, active = 0;
	int running = 0;
	while (next < n || active) {
		while (next < n && active < conc) {
			xfer *x = &xs[next];
			x->idx = next;
			x->max = max;
			x->url = fmt("%.*s%s", (int)blen, o->base, o->paths[next]);
			CURL *e = x->url ? make_easy(o, x) : NULL;
			if (!e || curl_multi_add_handle(m, e) != CURLM_OK) {
				char *err = fmt("GET %s: out of memory", o->paths[next]);
				answer(next, 0, NULL, 0, err ? err : "out of memory");
				free(err);
				if (e)
					curl_easy_cleanup(e);
			} else {
				x->e = e;
				active++;
			}
			next++;
		}
		if (curl_multi_perform(m, &running) != CURLM_OK)
			break;
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(m, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			CURL *e = msg->easy_handle;
			xfer *x = NULL;
			curl_easy_getinfo(e, CURLINFO_PRIVATE, (char **)&x);
			finish(x, e, msg->data.result, max, to);
			curl_multi_remove_handle(m, e);
			curl_easy_cleanup(e);
			x->e = NULL;
			active--;
		}
		if (active && curl_multi_poll(m, NULL, 0, 100, NULL) != CURLM_OK)
			break;
	}
	for (size_t i = 0; i < n; i++) {
		if (xs[i].e) { /* left in flight by a multi-level failure: flinkmem says "not performed" */
			curl_multi_remove_handle(m, xs[i].e);
			curl_easy_cleanup(xs[i].e);
		}
		free(xs[i].url);
		free(xs[i].buf);
	}
	curl_multi_cleanup(m);
	free(xs);
}

static long num(const char *v)
{
	char *end;
	long long x = strtoll(v, &end, 10);
	if (*v == '\0' || *end || x < 0 || x > (long long)(~0UL >> 1))
		die("malformed request (a number)");
	return (long)x;
}

/* The request stream, up to "end". */
static void read_request(opts *o)
{
	fm__frame_rd *r = malloc(sizeof(*r));
	if (!r)
		die("out of memory");
	r->fd = 0;
	r->timeout_ms = -1;
	r->at = r->len = 0;
	for (;;) {
		char key[FM__FRAME_KEY], *v;
		size_t len;
		const char *why;
		if (fm__frame_get(r, key, &v, &len, FM__FRAME_SMALL, &why) != 0)
			die(why);
		if (strlen(v) != len)
			die("malformed request (a NUL byte)");
		if (strcmp(key, "end") == 0) {
			free(v);
			break;
		} else if (strcmp(key, "path") == 0) {
			if (o->npaths == o->cap) {
				size_t cap = o->cap ? 2 * o->cap : 64;
				char **np = realloc(o->paths, cap * sizeof(*np));
				if (!np)
					die("out of memory");
				o->paths = np;
				o->cap = cap;
			}
			o->paths[o->npaths++] = v;
			continue;
		} else if (strcmp(key, "header") == 0) {
			struct curl_slist *nh = curl_slist_append(o->headers, v);
			if (!nh)
				die("out of memory");
			o->headers = nh;
		} else if (strcmp(key, "base") == 0 && !o->base) {
			o->base = v;
			continue;
		} else if (strcmp(key, "cacert") == 0 && !o->cacert) {
			o->cacert = v;
			continue;
		} else if (strcmp(key, "userpwd") == 0 && !o->userpwd) {
			o->userpwd = v;
			continue;
		} else if (strcmp(key, "timeout") == 0) {
			o->timeout_ms = num(v);
		} else if (strcmp(key, "ctimeout") == 0) {
			o->connect_timeout_ms = num(v);
		} else if (strcmp(key, "conc") == 0) {
			long c = num(v);
			o->concurrency = c > 4096 ? 4096 : (unsigned)c;
		} else if (strcmp(key, "maxbody") == 0) {
			o->max_body = (size_t)num(v);
		} else if (strcmp(key, "insecure") == 0) {
			o->insecure = num(v) != 0;
		} else if (strcmp(key, "netrc") == 0) {
			o->netrc = num(v) != 0;
		} else {
			die("malformed request (an unknown frame)");
		}
		free(v);
	}
	free(r);
	if (!o->base)
		die("malformed request (no base URL)");
}

int main(int argc, char **argv)
{
	(void)argv;
	if (argc != 1 || isatty(0)) {
		fprintf(stderr, "flinkmem-http: the HTTP transport of `flinkmem live`, run by flinkmem; "
				"not meant to be run by hand\n");
		return 2;
	}
	opts o = {0};
	read_request(&o);
	run(&o);
	if (fm__frame_write_all(1, "end 0\n", 6) != 0)
		return 2;
	for (size_t i = 0; i < o.npaths; i++)
		free(o.paths[i]);
	free(o.paths);
	free(o.base);
	free(o.cacert);
	free(o.userpwd);
	curl_slist_free_all(o.headers);
	curl_global_cleanup();
	return 0;
}
