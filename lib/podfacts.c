/* podfacts — memory limit and image release from pod descriptions; see
 * include/flinkmem/podfacts.h. Both kubectl describe ("Limits:" then
 * "memory:  8Gi", "Image:  flink:1.18.1") and pod JSON/YAML
 * ("limits": {"memory": "8Gi"}, image: flink:1.18.1) put the key and the
 * value on one line or close together, so one pass of bounded look-ahead
 * reads all three shapes. */
#include "flinkmem/podfacts.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int64_t fm_k8s_quantity(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '"' || *s == '\''))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '"' || s[n - 1] == '\'' || s[n - 1] == ',' || s[n - 1] == '\r'))
		n--;
	char buf[48];
	if (!n || n >= sizeof buf)
		return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	char *end;
	double v = strtod(buf, &end);
	if (end == buf || v < 0)
		return -1;
	static const struct {
		const char *suf;
		double mul;
	} units[] = {
		{"Ki", 1024.0}, {"Mi", 1048576.0}, {"Gi", 1073741824.0}, {"Ti", 1099511627776.0},
		{"Pi", 1125899906842624.0}, {"k", 1e3}, {"M", 1e6}, {"G", 1e9}, {"T", 1e12}, {"P", 1e15}, {"", 1.0},
	};
	for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
		if (!strcmp(end, units[i].suf)) {
			double b = v * units[i].mul;
			return b < 9.0e18 ? (int64_t)(b + 0.5) : -1;
		}
	return -1;
}

/* The value after "key" at p: skips quotes, ':' and blanks; its length up
 * to the end of the line, a ',' or '}' (JSON). */
static const char *value_after(const char *p, const char *end, size_t *n)
{
	while (p < end && (*p == '"' || *p == '\'' || *p == ':' || *p == ' ' || *p == '\t'))
		p++;
	const char *q = p;
	while (q < end && *q != '\n' && *q != ',' && *q != '}')
		q++;
	*n = (size_t)(q - p);
	return p;
}

static bool word_at(const char *p, const char *end, const char *w)
{
	size_t n = strlen(w);
	return (size_t)(end - p) >= n && !strncasecmp(p, w, n);
}

static void image_version(const char *v, size_t n, fm_pod_facts *f)
{
	while (n && (v[n - 1] == '"' || v[n - 1] == '\'' || v[n - 1] == ' ' || v[n - 1] == '\r'))
		n--;
	const char *slash = NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i] == '/')
			slash = v + i;
	const char *name = slash ? slash + 1 : v;
	const char *colon = memchr(name, ':', (size_t)(v + n - name));
	if (!colon || !memmem(name, (size_t)(colon - name), "flink", 5))
		return;
	const char *t = colon + 1;
	size_t k = 0;
	while (t + k < v + n && k + 1 < sizeof f->version && (isdigit((unsigned char)t[k]) || t[k] == '.'))
		k++;
	while (k && t[k - 1] == '.')
		k--;
	if (!k || !memchr(t, '.', k))
		return;
	memcpy(f->version, t, k);
	f->version[k] = '\0';
	size_t il = n < sizeof f->image - 1 ? n : sizeof f->image - 1;
	memcpy(f->image, v, il);
	f->image[il] = '\0';
}

fm_describe_line fm_describe_walk_line(fm_describe_walk *w, const char *p, const char *le)
{
	if (le > p && le[-1] == '\r')
		le--;
	if (le > p && *p != ' ' && *p != '\t') {
		w->inside = (le - p == 11 && !memcmp(p, "Containers:", 11)) || (le - p == 16 && !memcmp(p, "Init Containers:", 16));
		return FM_DL_TOP;
	}
	if (!w->inside || le - p < 4 || p[0] != ' ' || p[1] != ' ' || p[2] == ' ' || le[-1] != ':')
		return FM_DL_BODY;
	size_t k = (size_t)(le - p - 3);
	if (memchr(p + 2, ' ', k) || memchr(p + 2, ':', k))
		return FM_DL_BODY;
	return memmem(p + 2, k, "flink", 5) || memmem(p + 2, k, "taskmanager", 11) || memmem(p + 2, k, "jobmanager", 10)
		       ? FM_DL_FLINK
		       : FM_DL_OTHER;
}

static const char *eol(const char *p, const char *end)
{
	const char *e = memchr(p, '\n', (size_t)(end - p));
	return e ? e : end;
}

void fm_pod_facts_scan(const char *data, size_t len, fm_pod_facts *f)
{
	const char *end = data + len;
	/* in a description that names a Flink container, the limits of the
	 * others (istio-proxy, an init container) are not the process's */
	bool flink_named = false;
	fm_describe_walk w = {0};
	for (const char *p = data; p < end && !flink_named; p = eol(p, end) + 1)
		flink_named = fm_describe_walk_line(&w, p, eol(p, end)) == FM_DL_FLINK;
	bool other = false; /* inside another container's block */
	w = (fm_describe_walk){0};
	for (const char *p = data; p < end; p++) {
		if (flink_named && (p == data || p[-1] == '\n')) {
			fm_describe_line h = fm_describe_walk_line(&w, p, eol(p, end));
			if (h != FM_DL_BODY)
				other = h == FM_DL_OTHER;
		}
		if (other)
			continue;
		if (!f->version[0] && (p == data || !isalnum((unsigned char)p[-1])) && word_at(p, end, "image") &&
		    p + 5 < end && (p[5] == ':' || p[5] == '"')) {
			size_t n;
			const char *v = value_after(p + 5, end, &n);
			image_version(v, n, f);
		}
		/* `docker inspect`: "HostConfig": {... "Memory": 2147483648 (bytes, 0
		 * when unlimited; the Engine API's name, capitalised) */
		if (f->mem_limit <= 0 && p + 12 < end && !memcmp(p, "\"HostConfig\"", 12)) {
			const char *stop = end - p > 800 ? p + 800 : end;
			const char *m = memmem(p, (size_t)(stop - p), "\"Memory\":", 9);
			size_t n;
			const char *v = m ? value_after(m + 9, stop, &n) : NULL;
			int64_t b = v ? fm_k8s_quantity(v, n) : -1;
			if (b >= (int64_t)1 << 20)
				f->mem_limit = b;
		}
		if (f->mem_limit <= 0 && word_at(p, end, "limits") && p + 6 < end && (p[6] == ':' || p[6] == '"')) {
			/* the memory entry of this limits block, before any requests */
			const char *stop = end - p > 400 ? p + 400 : end;
			for (const char *q = p + 6; q < stop; q++) {
				if (word_at(q, stop, "requests"))
					break;
				if (word_at(q, stop, "memory") && q + 6 < stop && (q[6] == ':' || q[6] == '"')) {
					size_t n;
					const char *v = value_after(q + 6, end, &n);
					int64_t b = fm_k8s_quantity(v, n);
					if (b > 0)
						f->mem_limit = b;
					break;
				}
			}
		}
	}
}
