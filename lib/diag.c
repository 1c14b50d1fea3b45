/* diag — error values with detail; see include/flinkmem/diag.h. */
#include "flinkmem/diag.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *fm_strerror(int code)
{
	switch (code) {
	case FM_OK: return "success";
	case FM_ENOMEM: return "out of memory";
	case FM_EIO: return "cannot read input";
	case FM_ESYNTAX: return "syntax error";
	case FM_EINVAL: return "invalid value";
	case FM_ERANGE: return "numeric overflow";
	case FM_ETOOBIG: return "input too large";
	case FM_EUSAGE: return "usage error";
	default: return "unknown error";
	}
}

void fm_diag_release(fm_diag *d)
{
	if (!d)
		return;
	free(d->msg);
	free(d->file);
	free(d->key);
	free(d->jclass);
	free(d->jmsg);
	*d = (fm_diag)FM_DIAG_INIT;
}

static char *dup_or_null(const char *s, int *failed)
{
	if (!s)
		return NULL;
	char *r = strdup(s);
	if (!r)
		*failed = 1;
	return r;
}

int fm_diag_set(fm_diag *d, int code, const char *file, uint32_t line, uint32_t col,
		const char *key, const char *fmt, ...)
{
	if (!d)
		return code;
	/* Keep a Java exception attached earlier: it describes the same failure. */
	char *jclass = d->jclass, *jmsg = d->jmsg;
	d->jclass = d->jmsg = NULL;
	fm_diag_release(d);
	d->jclass = jclass;
	d->jmsg = jmsg;
	int failed = 0;
	d->code = code;
	d->line = line;
	d->col = col;
	d->file = dup_or_null(file, &failed);
	d->key = dup_or_null(key, &failed);
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		if (vasprintf(&d->msg, fmt, ap) < 0) {
			d->msg = NULL;
			failed = 1;
		}
		va_end(ap);
	}
	if (failed)
		d->code = FM_ENOMEM;
	return d->code;
}

int fm_diag_java(fm_diag *d, const char *jclass, const char *jmsg)
{
	if (!d)
		return FM_OK;
	free(d->jclass);
	free(d->jmsg);
	int failed = 0;
	d->jclass = dup_or_null(jclass, &failed);
	d->jmsg = dup_or_null(jmsg, &failed);
	return failed ? FM_ENOMEM : FM_OK;
}
