/* live_http — see include/flinkmem/live_http.h. The transfers run in the
 * helper program flinkmem-http (src/http/), which links libcurl: flinkmem
 * is a static binary, and a static glibc program cannot load libcurl (its
 * dlopen would bring a second libc), as git keeps its HTTP transport in
 * git-remote-http. This side starts the helper with posix_spawn, hands it
 * the options and paths over a socket pair (lib/http_frame.h) and reads
 * each answer back. Every failure becomes one line on its request ("GET
 * URL: connection refused", "... HTTP 404", "... response larger than 64
 * MiB", "... flinkmem-http ... exited with status 127"), so a caller can
 * report what is missing and go on with the rest. */
#include "flinkmem/live_http.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "http_frame.h"

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

bool fm_http_available(void)
{
#ifdef FM_HAVE_CURL
	return true;
#else
	return false;
#endif
}

/* The request stream: options, then every path. */
static int put_request(fm_buf *b, const fm_http_opts *o, const fm_http_req *reqs, size_t n)
{
	int rc = fm__frame_put(b, "base", o->base, strlen(o->base)) ||
		 fm__frame_putl(b, "timeout", o->timeout_ms) ||
		 fm__frame_putl(b, "ctimeout", o->connect_timeout_ms) ||
		 fm__frame_putl(b, "conc", o->concurrency) || fm__frame_putl(b, "maxbody", (long long)o->max_body) ||
		 fm__frame_putl(b, "insecure", o->insecure) || fm__frame_putl(b, "netrc", o->netrc) ||
		 (o->cacert && fm__frame_put(b, "cacert", o->cacert, strlen(o->cacert))) ||
		 (o->userpwd && fm__frame_put(b, "userpwd", o->userpwd, strlen(o->userpwd)));
	for (size_t i = 0; i < o->nheaders && !rc; i++)
		rc = fm__frame_put(b, "header", o->headers[i], strlen(o->headers[i]));
	for (size_t i = 0; i < n && !rc; i++)
		rc = fm__frame_put(b, "path", reqs[i].path, strlen(reqs[i].path));
	return rc || fm__frame_put(b, "end", "", 0);
}

/* Reads the answers until "end". Returns 0 when the stream ended well,
 * else -1 with *why naming what went wrong. */
static int read_answers(int fd, long idle_ms, fm_http_req *reqs, size_t n, size_t max, const char **why)
{
	fm__frame_rd *r = malloc(sizeof(*r));
	if (!r) {
		*why = "out of memory";
		return -1;
	}
	r->fd = fd;
	r->timeout_ms = idle_ms > 0x7fffffffL ? 0x7fffffff : (int)idle_ms;
	r->at = r->len = 0;
	size_t cur = (size_t)-1;
	int rc = -1;
	for (;;) {
		char key[FM__FRAME_KEY], *v;
		size_t len;
		/* a body may be as large as the cap; any other frame is small */
		if (fm__frame_get(r, key, &v, &len, max > FM__FRAME_SMALL ? max : FM__FRAME_SMALL, why) != 0)
			break;
		unsigned long long idx;
		long status;
		char tail;
		if (strcmp(key, "end") == 0) {
			free(v);
			rc = 0;
			break;
		} else if (strcmp(key, "req") == 0 && sscanf(v, "%llu %ld%c", &idx, &status, &tail) == 2 && idx < n &&
			   !reqs[idx].body && !reqs[idx].error) {
			cur = (size_t)idx;
			reqs[cur].status = status;
			free(v);
		} else if (strcmp(key, "body") == 0 && cur < n && len <= max && !reqs[cur].body) {
			reqs[cur].body = v;
			reqs[cur].len = len;
			cur = (size_t)-1;
		} else if (strcmp(key, "error") == 0 && cur < n && len < FM__FRAME_SMALL && !memchr(v, '\n', len)) {
			reqs[cur].error = v;
			cur = (size_t)-1;
		} else {
			free(v);
			*why = "malformed frame";
			break;
		}
	}
	free(r);
	return rc;
}

/* Why the helper ended: its first line on stderr (the dynamic loader's
 * when libcurl is missing), else its exit. */
static char *helper_end(const char *path, pid_t pid, int errfd, bool kill_it)
{
	if (kill_it)
		kill(pid, SIGKILL);
	int st = 0;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	/* the helper has exited, but a child it left may still hold stderr
	 * open: take what is there now, never wait for an end */
	int fl = fcntl(errfd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(errfd, F_SETFL, fl | O_NONBLOCK);
	char line[512];
	size_t have = 0;
	ssize_t k;
	while (have < sizeof line - 1 && (k = read(errfd, line + have, sizeof line - 1 - have)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0)
			break;
		have += (size_t)k;
	}
	line[have] = '\0';
	line[strcspn(line, "\r\n")] = '\0';
	if (line[0])
		return fmt("%s", line);
	if (WIFEXITED(st))
		return fmt("%s exited with status %d", path, WEXITSTATUS(st));
	if (WIFSIGNALED(st))
		return fmt("%s was killed by signal %d", path, WTERMSIG(st));
	return fmt("%s ended early", path);
}

int fm_http_get_many(const fm_http_opts *o, fm_http_req *reqs, size_t n)
{
	size_t blen = strlen(o->base);
	while (blen && o->base[blen - 1] == '/')
		blen--;
	if (!fm_http_available() || !o->helper) {
		for (size_t i = 0; i < n; i++)
			reqs[i].error = fmt("GET %.*s%s: %s", (int)blen, o->base, reqs[i].path,
					    fm_http_available() ? "no HTTP helper (flinkmem-http) was found"
								: "this flinkmem was built without libcurl");
		return -1;
	}
	size_t max = o->max_body ? o->max_body : (size_t)64 << 20;
	long to = o->timeout_ms > 0 ? o->timeout_ms : 10000;
	int sv[2] = {-1, -1}, ep[2] = {-1, -1};
	pid_t pid = -1;
	const char *why = NULL;
	char *end = NULL;
	int started = socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0 && pipe2(ep, O_CLOEXEC) == 0;
	if (started) {
		posix_spawn_file_actions_t fa;
		char *argv[] = {(char *)o->helper, NULL};
		char *none[] = {NULL};
		/* the posix_spawn family returns its error number, errno is not set */
		int err = posix_spawn_file_actions_init(&fa);
		if (!err) {
			if (!(err = posix_spawn_file_actions_adddup2(&fa, sv[1], 0)) &&
			    !(err = posix_spawn_file_actions_adddup2(&fa, sv[1], 1)) &&
			    !(err = posix_spawn_file_actions_adddup2(&fa, ep[1], 2)))
				err = posix_spawn(&pid, o->helper, &fa, NULL, argv, o->env ? o->env : none);
			posix_spawn_file_actions_destroy(&fa);
		}
		started = err == 0;
		if (!started)
			end = fmt("cannot start %s: %s", o->helper, strerror(err));
	} else {
		end = fmt("cannot start %s: %s", o->helper, strerror(errno));
	}
	if (sv[1] >= 0)
		close(sv[1]);
	if (ep[1] >= 0)
		close(ep[1]);
	int ok = -1;
	if (started) {
		fm_buf b;
		fm_buf_init(&b, 0);
		if (put_request(&b, o, reqs, n) != 0)
			why = "out of memory";
		else if (fm__frame_write_all(sv[0], b.data, b.len) != 0)
			why = NULL; /* it went away: its exit says why */
		fm_buf_release(&b);
		/* each answer comes within a request's timeout: twice that and
		 * more without a byte means the helper is stuck */
		if (!why && (ok = read_answers(sv[0], 2 * to + 10000, reqs, n, max, &why)) != 0 &&
		    strcmp(why, "end of stream") == 0)
			why = NULL;
		close(sv[0]);
		sv[0] = -1;
		char *exit_why = helper_end(o->helper, pid, ep[0], ok != 0);
		if (ok != 0 && why) {
			end = fmt("%s: %s", o->helper, strcmp(why, "timed out") ? why : "no answer, stopped it");
			free(exit_why);
		} else if (ok != 0) {
			end = exit_why;
		} else {
			free(exit_why);
		}
	}
	if (sv[0] >= 0)
		close(sv[0]);
	if (ep[0] >= 0)
		close(ep[0]);
	bool none = true;
	for (size_t i = 0; i < n; i++) {
		if (reqs[i].body || reqs[i].error) {
			none = false;
			continue;
		}
		reqs[i].error = fmt("GET %.*s%s: %s", (int)blen, o->base, reqs[i].path,
				    end ? end : "not performed");
	}
	free(end);
	return none && n ? -1 : 0;
}
