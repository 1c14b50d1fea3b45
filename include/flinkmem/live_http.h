/* live_http — GETs against a Flink REST endpoint with libcurl's multi
 * interface, run in the helper program flinkmem-http: many requests at
 * once with bounded concurrency (clusters of hundreds of TaskManagers), one
 * timeout per request, bodies capped, TLS and authentication passed through
 * to libcurl. Never prints; reads no environment (the helper gets env, and
 * libcurl there reads proxies, and .netrc when asked for). Not thread-safe
 * (one fetch at a time per process). */
#ifndef FLINKMEM_LIVE_HTTP_H
#define FLINKMEM_LIVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

typedef struct fm_http_opts {
	const char *base;            /* "http://127.0.0.1:8081" (a trailing / is fine) */
	long timeout_ms;             /* per request, whole transfer (0 = 10 s) */
	long connect_timeout_ms;     /* 0 = min(timeout, 5 s) */
	const char *cacert;          /* CA bundle for https, NULL = system */
	bool insecure;               /* skip TLS verification (explicit opt-in) */
	const char *const *headers;  /* "Name: value" lines, e.g. Authorization */
	size_t nheaders;
	const char *userpwd;         /* "user:password" for basic auth, NULL = none */
	bool netrc;                  /* credentials from ~/.netrc (libcurl) */
	unsigned concurrency;        /* requests in flight (0 = 16) */
	size_t max_body;             /* per response (0 = 64 MiB) */
	const char *helper;          /* path of flinkmem-http (src/ finds it) */
	char *const *env;            /* the helper's environment, NULL = empty */
} fm_http_opts;

typedef struct fm_http_req {
	const char *path;            /* "/overview" (appended to base); in */
	long status;                 /* HTTP status, 0 when none came */
	char *body;                  /* NUL-terminated, owned; NULL on error */
	size_t len;
	char *error;                 /* one line naming what failed, owned; NULL when status 200 */
} fm_http_req;

/* Performs every request; each gets status/body or error. Returns 0, or
 * -1 when the helper answered none (then every req has an error). */
int fm_http_get_many(const fm_http_opts *o, fm_http_req *reqs, size_t n);
void fm_http_req_release(fm_http_req *r);

/* Whether this build has libcurl (and so the helper; live needs it). */
bool fm_http_available(void);

#endif
