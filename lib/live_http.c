/* live_http — see include/flinkmem/live_http.h. Every failure becomes one
 * line on its request ("GET URL: connection refused", "... HTTP 404", "...
 * response larger than 64 MiB"), so a caller can report what is missing and
 * go on with the rest. Built without libcurl (FM_HAVE_CURL unset), every
 * request fails with a line that says so. */
#include "flinkmem/live_http.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef FM_HAVE_CURL
#include "curl_dl.h"
#endif

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0)
		s = NULL;
	va_end(ap);
	return s;
}

void fm_http_req_release(fm_http_req *r)
{
	free(r->body);
	free(r->error);
	r->body = r->error = NULL;
	r->len = 0;
	r->status = 0;
}

#ifndef FM_HAVE_CURL

bool fm_http_available(void)
{
	return false;
}

int fm_http_get_many(const fm_http_opts *o, fm_http_req *reqs, size_t n)
{
	(void)o;
	for (size_t i = 0; i < n; i++)
		reqs[i].error = fmt("GET %s: this flinkmem was built without libcurl", reqs[i].path);
	return -1;
}

#else

bool fm_http_available(void)
{
	return true;
}

typedef struct xfer {
	fm_http_req *req;
	CURL *e;
	char *url;
	char *buf;
	size_t len, cap, max;
	bool too_big;
	char errbuf[CURL_ERROR_SIZE];
} xfer;

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

static CURL *make_easy(const fm_http_opts *o, xfer *x, struct curl_slist *hdrs)
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
	if (hdrs)
		curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs);
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

/* Moves a finished transfer's outcome onto its request. */
static void finish(xfer *x, CURL *e, CURLcode res, size_t max, long timeout_ms)
{
	fm_http_req *r = x->req;
	long status = 0;
	curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &status);
	r->status = status;
	if (x->too_big || res == CURLE_FILESIZE_EXCEEDED) {
		r->error = fmt("GET %s: response larger than %zu MiB", x->url, max >> 20);
	} else if (res == CURLE_OPERATION_TIMEDOUT) { /* libcurl's text has the ms it took */
		r->error = fmt("GET %s: no complete answer within %.3g s (--timeout)", x->url,
			       (double)timeout_ms / 1000.0);
	} else if (res != CURLE_OK) {
		r->error = fmt("GET %s: %s", x->url, x->errbuf[0] ? x->errbuf : curl_easy_strerror(res));
	} else if (status != 200) {
		r->error = fmt("GET %s: HTTP %ld", x->url, status);
	} else {
		r->body = x->buf ? x->buf : calloc(1, 1);
		r->len = x->len;
		x->buf = NULL;
		if (!r->body)
			r->error = fmt("GET %s: out of memory", x->url);
	}
	if (r->error) {
		/* strip a trailing newline some libcurl messages carry */
		size_t n = strlen(r->error);
		while (n && (r->error[n - 1] == '\n' || r->error[n - 1] == '\r'))
			r->error[--n] = '\0';
	}
}

int fm_http_get_many(const fm_http_opts *o, fm_http_req *reqs, size_t n)
{
	static bool inited;
	const char *why = NULL;
	if (!fm_curl_api_get(&why) || (!inited && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)) {
		for (size_t i = 0; i < n; i++)
			reqs[i].error = fmt("GET %s: cannot load libcurl: %s", reqs[i].path,
					    why ? why : "initialisation failed");
		return -1;
	}
	inited = true;
	size_t max = o->max_body ? o->max_body : (size_t)64 << 20;
	unsigned conc = o->concurrency ? o->concurrency : 16;
	size_t blen = strlen(o->base);
	while (blen && o->base[blen - 1] == '/')
		blen--;
	struct curl_slist *hdrs = NULL;
	for (size_t i = 0; i < o->nheaders; i++) {
		struct curl_slist *nh = curl_slist_append(hdrs, o->headers[i]);
		if (!nh)
			break;
		hdrs = nh;
	}
	CURLM *m = curl_multi_init();
	xfer *xs = calloc(n ? n : 1, sizeof(*xs));
	if (!m || !xs) {
		for (size_t i = 0; i < n; i++)
			reqs[i].error = fmt("GET %s: out of memory", reqs[i].path);
		curl_multi_cleanup(m);
		curl_slist_free_all(hdrs);
		free(xs);
		return -1;
	}
	curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)conc);
	curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)conc);
	size_t next = 0, active = 0;
	int running = 0;
	while (next < n || active) {
		while (next < n && active < conc) {
			xfer *x = &xs[next];
			x->req = &reqs[next];
			x->max = max;
			x->url = fmt("%.*s%s", (int)blen, o->base, reqs[next].path);
			CURL *e = x->url ? make_easy(o, x, hdrs) : NULL;
			if (!e || curl_multi_add_handle(m, e) != CURLM_OK) {
				reqs[next].error = fmt("GET %s: out of memory", reqs[next].path);
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
			finish(x, e, msg->data.result, max, o->timeout_ms > 0 ? o->timeout_ms : 10000);
			curl_multi_remove_handle(m, e);
			curl_easy_cleanup(e);
			x->e = NULL;
			active--;
		}
		if (active && curl_multi_poll(m, NULL, 0, 100, NULL) != CURLM_OK)
			break;
	}
	for (size_t i = 0; i < n; i++) {
		if (xs[i].e) { /* left in flight by a multi-level failure */
			curl_multi_remove_handle(m, xs[i].e);
			curl_easy_cleanup(xs[i].e);
		}
		if (!reqs[i].body && !reqs[i].error)
			reqs[i].error = fmt("GET %s: not performed", xs[i].url ? xs[i].url : reqs[i].path);
		free(xs[i].url);
		free(xs[i].buf);
	}
	curl_multi_cleanup(m);
	curl_slist_free_all(hdrs);
	free(xs);
	return 0;
}

#endif
