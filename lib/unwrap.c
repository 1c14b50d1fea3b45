/* unwrap — joins soft-broken lines of hard-wrapped text (see unwrap.h).
 * A line is soft-broken when it ends in a space and fills most of a
 * mail's width (40+ characters): a log line that ends in a space is
 * short or far longer than a wrapped paragraph's line, and a line a
 * person ended is not followed by its own continuation. */
#include "flinkmem/unwrap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/buf.h"
#include "flinkmem/diag.h"

#define FILLED 40   /* characters a wrapped line holds at least */
#define WIDE 100    /* ... and at most (wrapping columns are 72-80) */
#define MAX_JOIN 64 /* source lines joined into one at most */

/* Characters (not bytes: CJK text is 3 bytes a character) in [p, e). */
static size_t chars(const char *p, const char *e)
{
	size_t k = 0;
	for (; p < e; p++)
		k += ((unsigned char)*p & 0xC0) != 0x80;
	return k;
}

/* Length of a mail quote prefix: '>' marks with spaces between. */
static size_t quote_len(const char *p, const char *e)
{
	const char *q = p;
	while (q < e && (*q == '>' || (*q == ' ' && q > p && q[-1] == '>')))
		q++;
	return (size_t)(q - p);
}

static const char *line_end(const char *p, const char *e)
{
	const char *nl = memchr(p, '\n', (size_t)(e - p));
	return nl ? nl : e;
}

/* [p, le) without a trailing '\r' ends in a space and fills a wrapped line */
static bool soft_broken(const char *p, const char *le)
{
	if (le > p && le[-1] == '\r')
		le--;
	if (le == p || le[-1] != ' ')
		return false;
	size_t w = chars(p, le);
	return w >= FILLED && w <= WIDE;
}

int fm_unwrap(const char *t, size_t n, fm_unwrapped *u)
{
	*u = (fm_unwrapped){0};
	fm_buf b = FM_BUF_INIT;
	uint64_t *map = NULL;
	size_t nmap = 0, cap = 0, src = 0;
	bool joined = false;
	const char *p = t, *e = t + n;
	int rc = FM_OK;
	while (p < e && !rc) {
		const char *le = line_end(p, e);
		src++;
		if (nmap == cap) {
			size_t nc = cap ? cap * 2 : 256;
			uint64_t *nv = realloc(map, nc * sizeof *nv);
			if (!nv) {
				rc = FM_ENOMEM;
				break;
			}
			map = nv;
			cap = nc;
		}
		map[nmap++] = src;
		rc = fm_buf_add(&b, p, (size_t)(le - p));
		/* the continuation carries the same quote prefix (dropped) */
		size_t ql = quote_len(p, le);
		for (int k = 0; !rc && k < MAX_JOIN && le < e && soft_broken(p, le); k++) {
			const char *np = le + 1, *nle = line_end(np, e);
			size_t nql = quote_len(np, nle);
			if (nql != ql || memcmp(np, p, ql) != 0 || nle - np <= (ptrdiff_t)nql)
				break;
			if (b.len && b.data[b.len - 1] == '\r')
				b.len--;
			rc = fm_buf_add(&b, np + nql, (size_t)(nle - np - nql));
			joined = true;
			src++;
			p = np;
			le = nle;
		}
		if (!rc && le < e)
			rc = fm_buf_addc(&b, '\n');
		p = le < e ? le + 1 : e;
	}
	if (rc || !joined) {
		fm_buf_release(&b);
		free(map);
		return rc;
	}
	u->text = fm_buf_detach(&b, &u->len);
	u->map = map;
	u->nlines = nmap;
	if (!u->text) {
		free(map);
		u->map = NULL;
		return FM_ENOMEM;
	}
	return FM_OK;
}

void fm_unwrapped_release(fm_unwrapped *u)
{
	free(u->text);
	free(u->map);
	*u = (fm_unwrapped){0};
}
