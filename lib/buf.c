/* buf — growable, capped byte buffer; see include/flinkmem/buf.h. */
#include "flinkmem/buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/diag.h"
#include "flinkmem/escape.h"

void fm_buf_init(fm_buf *b, size_t max)
{
	*b = (fm_buf)FM_BUF_INIT;
	b->max = max;
}

void fm_buf_release(fm_buf *b)
{
	size_t max = b->max;
	free(b->data);
	*b = (fm_buf)FM_BUF_INIT;
	b->max = max;
}

void fm_buf_reset(fm_buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

static int grow(fm_buf *b, size_t extra)
{
	size_t max = b->max ? b->max : FM_BUF_DEFAULT_MAX;
	if (extra > max || b->len > max - extra)
		return FM_ETOOBIG;
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return FM_OK;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return FM_ENOMEM;
	b->data = p;
	b->cap = cap;
	return FM_OK;
}

int fm_buf_add(fm_buf *b, const void *p, size_t n)
{
	int rc = grow(b, n);
	if (rc)
		return rc;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return FM_OK;
}

int fm_buf_adds(fm_buf *b, const char *s)
{
	return fm_buf_add(b, s, strlen(s));
}

int fm_buf_addc(fm_buf *b, char c)
{
	/* room for c and the NUL, and under the cap: what grow() would check */
	size_t max = b->max ? b->max : FM_BUF_DEFAULT_MAX;
	if (b->len + 1 < b->cap && b->len < max) {
		b->data[b->len++] = c;
		b->data[b->len] = '\0';
		return FM_OK;
	}
	return fm_buf_add(b, &c, 1);
}

int fm_buf_vaddf(fm_buf *b, const char *fmt, va_list ap)
{
	/* One formatting pass when the text fits the free space (the usual
	 * case once the buffer has grown); a second only after growing. */
	if (!b->data && grow(b, 0) != FM_OK)
		return FM_ENOMEM;
	size_t max = b->max ? b->max : FM_BUF_DEFAULT_MAX;
	size_t room = b->cap - b->len;
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(b->data + b->len, room, fmt, ap2);
	va_end(ap2);
	if (n < 0) {
		b->data[b->len] = '\0';
		return FM_EINVAL;
	}
	if ((size_t)n < room) {
		if ((size_t)n > max || b->len > max - (size_t)n) {
			b->data[b->len] = '\0';
			return FM_ETOOBIG;
		}
		b->len += (size_t)n;
		return FM_OK;
	}
	b->data[b->len] = '\0';
	int rc = grow(b, (size_t)n);
	if (rc)
		return rc;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return FM_OK;
}

int fm_buf_addf(fm_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int rc = fm_buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *fm_buf_detach(fm_buf *b, size_t *len)
{
	if (!b->data && grow(b, 0) != FM_OK)
		return NULL;
	char *r = b->data;
	if (len)
		*len = b->len;
	size_t max = b->max;
	*b = (fm_buf)FM_BUF_INIT;
	b->max = max;
	return r;
}

int fm_buf_add_json_str(fm_buf *b, const char *s, size_t n)
{
	return fm_esc_json(b, s, n); /* one walker for both rules: escape.c */
}

int fm_grow(void *arr, size_t n, size_t *cap, size_t each, size_t first)
{
	if (n < *cap)
		return FM_OK;
	size_t nc = *cap ? *cap * 2 : first;
	if (nc < *cap || (each && nc > SIZE_MAX / each))
		return FM_ENOMEM;
	void *nv = realloc(*(void **)arr, nc * each);
	if (!nv)
		return FM_ENOMEM;
	*(void **)arr = nv;
	*cap = nc;
	return FM_OK;
}
