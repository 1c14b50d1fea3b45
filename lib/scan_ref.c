/* scan_ref — the reference matcher of include/flinkmem/scan.h: obviously
 * correct and slow (one regexec/memmem per line and pattern). Exists only so
 * that tests and fuzzers can compare the Vectorscan scanner against it. */
#include "flinkmem/scan.h"

#include <regex.h>
#include <stdlib.h>
#include <string.h>

static unsigned char ascii_lower(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') ? (unsigned char)(c + 32) : c;
}

/* Case-folding (ASCII) substring search; naive is fine here. */
static bool find_icase(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
	if (nlen > hlen)
		return false;
	for (size_t i = 0; i + nlen <= hlen; i++) {
		size_t k = 0;
		while (k < nlen && ascii_lower((unsigned char)hay[i + k]) ==
					   ascii_lower((unsigned char)needle[k]))
			k++;
		if (k == nlen)
			return true;
	}
	return false;
}

/* ztext: the line copied with a NUL after it. REG_STARTEND bounds the
 * line by length, so inner NULs are text; the copy is for sanitizers'
 * regexec interceptors, which read up to a NUL regardless. */
static bool line_matches(const fm_pattern *p, regex_t *re, const char *text, size_t len,
			 const char *ztext)
{
	if (p->regex) {
		regmatch_t m = {.rm_so = 0, .rm_eo = (regoff_t)len};
		return regexec(re, ztext, 1, &m, REG_STARTEND) == 0;
	}
	size_t nlen = strlen(p->expr);
	if (p->icase)
		return find_icase(text, len, p->expr, nlen);
	return memmem(text, len, p->expr, nlen) != NULL;
}

int fm_scan_ref_mem(const fm_pattern *pats, size_t n, const char *data, size_t len,
		    const char *name, fm_scan_cb cb, void *ctx, fm_diag *d)
{
	if (!pats || n == 0 || !cb || (!data && len))
		return fm_diag_set(d, FM_EUSAGE, NULL, 0, 0, NULL, "scan: no patterns or no data");
	regex_t *re = calloc(n, sizeof(*re));
	if (!re)
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	size_t ncomp = 0;
	int rc = 0;
	for (; ncomp < n; ncomp++) {
		if (!pats[ncomp].regex)
			continue;
		int fl = REG_EXTENDED | REG_NEWLINE | (pats[ncomp].icase ? REG_ICASE : 0);
		if (regcomp(&re[ncomp], pats[ncomp].expr, fl) != 0) {
			rc = fm_diag_set(d, FM_EINVAL, NULL, 0, 0, pats[ncomp].id,
					 "pattern %s: invalid regular expression", pats[ncomp].id);
			break;
		}
	}
	uint64_t lineno = 0;
	char *z = NULL;
	size_t zcap = 0;
	for (size_t pos = 0; rc == 0 && pos < len;) {
		const char *start = data + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t tlen = nl ? (size_t)(nl - start) : len - pos;
		size_t next = pos + tlen + (nl ? 1 : 0);
		if (nl && tlen > 0 && start[tlen - 1] == '\r')
			tlen--; /* CR before LF is not text */
		lineno++;
		if (tlen + 1 > zcap) {
			char *nz = realloc(z, tlen + 1);
			if (!nz) {
				rc = fm_diag_set(d, FM_ENOMEM, name, 0, 0, NULL, "out of memory");
				break;
			}
			z = nz;
			zcap = tlen + 1;
		}
		memcpy(z, start, tlen);
		z[tlen] = '\0';
		bool stop = false;
		for (size_t i = 0; i < n && !stop; i++) {
			if (!line_matches(&pats[i], &re[i], start, tlen, z))
				continue;
			fm_match m = {
				.pat = i, .name = name, .line = lineno, .offset = pos, .text = start,
				.len = tlen < FM_SCAN_LINE_MAX ? tlen : FM_SCAN_LINE_MAX,
				.truncated = tlen > FM_SCAN_LINE_MAX,
			};
			stop = cb(&m, ctx) != 0;
		}
		if (stop)
			break;
		pos = next;
	}
	free(z);
	for (size_t i = 0; i < ncomp; i++)
		if (pats[i].regex)
			regfree(&re[i]);
	free(re);
	return rc;
}
