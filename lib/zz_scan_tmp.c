/* zz_scan_tmp — TEMPORARY reference scanner (strstr / POSIX ERE per line) so
 * diagnose can be developed before the `scan` branch lands. Deleted before
 * `git merge scan`. No gzip. */
#include "flinkmem/scan.h"

#include <ctype.h>
#include <regex.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>

struct fm_scanner {
	const fm_pattern *p;
	size_t n;
	regex_t *re;
};

fm_scanner *fm_scanner_new(const fm_pattern *pats, size_t n, fm_diag *d)
{
	fm_scanner *s = calloc(1, sizeof *s);
	if (!s || !(s->re = calloc(n ? n : 1, sizeof(regex_t)))) {
		free(s);
		fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
		return NULL;
	}
	s->p = pats;
	s->n = n;
	for (size_t i = 0; i < n; i++) {
		if (!pats[i].regex)
			continue;
		if (regcomp(&s->re[i], pats[i].expr, REG_EXTENDED | REG_NOSUB | (pats[i].icase ? REG_ICASE : 0))) {
			fm_diag_set(d, FM_EINVAL, NULL, 0, 0, pats[i].id, "bad pattern %s", pats[i].id);
			for (size_t j = 0; j < i; j++)
				if (pats[j].regex)
					regfree(&s->re[j]);
			free(s->re);
			free(s);
			return NULL;
		}
	}
	return s;
}

void fm_scanner_free(fm_scanner *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		if (s->p[i].regex)
			regfree(&s->re[i]);
	free(s->re);
	free(s);
}

static bool lit_match(const char *hay, const char *needle, bool icase)
{
	return icase ? strcasestr(hay, needle) != NULL : strstr(hay, needle) != NULL;
}

/* one line: text[0..len) NUL-terminated copy in tmp */
static int line_match(fm_scanner *s, const char *text, size_t len, bool trunc, const char *name, uint64_t lineno,
		      uint64_t off, fm_scan_cb cb, void *ctx)
{
	char *tmp = malloc(len + 1);
	if (!tmp)
		return FM_ENOMEM;
	memcpy(tmp, text, len);
	tmp[len] = '\0';
	for (size_t k = 0; k < len; k++)
		if (!tmp[k])
			tmp[k] = ' ';
	int stop = 0;
	for (size_t i = 0; i < s->n && !stop; i++) {
		bool hit = s->p[i].regex ? regexec(&s->re[i], tmp, 0, NULL, 0) == 0 : lit_match(tmp, s->p[i].expr, s->p[i].icase);
		if (hit) {
			fm_match m = {i, name, lineno, off, text, len, trunc};
			stop = cb(&m, ctx);
		}
	}
	free(tmp);
	return stop ? 1 : 0;
}

int fm_scan_mem(fm_scanner *s, const char *data, size_t len, const char *name, fm_scan_cb cb, void *ctx, fm_diag *d)
{
	size_t pos = 0;
	uint64_t ln = 0;
	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - data) : len;
		size_t l = end - pos;
		if (l && data[pos + l - 1] == '\r')
			l--;
		bool trunc = l > FM_SCAN_LINE_MAX;
		ln++;
		int r = line_match(s, data + pos, trunc ? FM_SCAN_LINE_MAX : l, trunc, name, ln, pos, cb, ctx);
		if (r < 0)
			return fm_diag_set(d, r, name, 0, 0, NULL, "out of memory");
		if (r > 0)
			break;
		pos = end + 1;
	}
	return FM_OK;
}

int fm_scan_fd(fm_scanner *s, int fd, const char *name, fm_scan_cb cb, void *ctx, fm_diag *d)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return fm_diag_set(d, FM_ENOMEM, name, 0, 0, NULL, "out of memory");
	for (;;) {
		if (n == cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				return fm_diag_set(d, FM_ENOMEM, name, 0, 0, NULL, "out of memory");
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0) {
			free(buf);
			return fm_diag_set(d, FM_EIO, name, 0, 0, NULL, "read error");
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	int rc = fm_scan_mem(s, buf, n, name, cb, ctx, d);
	free(buf);
	return rc;
}

int fm_scan_files(fm_scanner *s, const char *const *paths, size_t n, unsigned nthreads, fm_scan_cb cb, void *ctx,
		  fm_diag *d)
{
	(void)nthreads;
	for (size_t i = 0; i < n; i++) {
		int fd = open(paths[i], O_RDONLY);
		if (fd < 0)
			return fm_diag_set(d, FM_EIO, paths[i], 0, 0, NULL, "cannot open");
		int rc = fm_scan_fd(s, fd, paths[i], cb, ctx, d);
		close(fd);
		if (rc)
			return rc;
	}
	return FM_OK;
}

int fm_scan_ref_mem(const fm_pattern *pats, size_t n, const char *data, size_t len, const char *name, fm_scan_cb cb,
		    void *ctx, fm_diag *d)
{
	fm_scanner *s = fm_scanner_new(pats, n, d);
	if (!s)
		return d ? d->code : FM_ENOMEM;
	int rc = fm_scan_mem(s, data, len, name, cb, ctx, d);
	fm_scanner_free(s);
	return rc;
}
