/* escape — terminal-safe text and the UTF-8 classification JSON shares;
 * see include/flinkmem/escape.h for the rule. */
#include "flinkmem/escape.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flinkmem/diag.h"

size_t fm_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xc2 && c <= 0xdf) {
		len = 2, v = c & 0x1f, min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3, v = c & 0x0f, min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, UTF-16 surrogates and code points past U+10FFFF are
	 * not UTF-8 (RFC 3629), and strict readers reject them */
	if (v < min || (v >= 0xd800 && v <= 0xdfff) || v > 0x10ffff)
		return 0;
	*cp = v;
	return len;
}

int fm_cp_steers(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||     /* C1: CSI, OSC, ST, NEL ... */
	       (cp >= 0x202a && cp <= 0x202e) || /* bidi embeddings, overrides */
	       (cp >= 0x2066 && cp <= 0x2069) || /* bidi isolates */
	       cp == 0x200e || cp == 0x200f || cp == 0x061c || /* direction marks */
	       cp == 0x2028 || cp == 0x2029;     /* line / paragraph separator */
}

/* \xNN or \uNNNN without printf: a value of a million control bytes
 * costs a million appends, not a million format calls. */
static int hex_escape(fm_buf *b, char kind, uint32_t v, int digits)
{
	static const char hex[] = "0123456789abcdef";
	char e[6] = {'\\', kind};
	for (int k = 0; k < digits; k++)
		e[2 + k] = hex[(v >> (4 * (digits - 1 - k))) & 15];
	return fm_buf_add(b, e, (size_t)digits + 2);
}

/* One walker, three rules. Terminal: \\, \t, and \xNN for every byte of
 * anything else that is not a printable character. JSON: the escapes JSON
 * defines, \uNNNN for controls and steering characters, U+FFFD for bytes
 * that are not UTF-8. HTML/XML: the terminal rule, but a backslash passes
 * (text already escaped for the terminal keeps its look) and the five
 * markup characters become entities. */
enum esc_mode { ESC_TEXT, ESC_JSON, ESC_HTML };

static const char *markup(unsigned char c)
{
	switch (c) {
	case '&': return "&amp;";
	case '<': return "&lt;";
	case '>': return "&gt;";
	case '"': return "&quot;";
	case '\'': return "&#39;";
	default: return NULL;
	}
}

/* Whether none of the 8 bytes at p needs the walker's attention in text or
 * JSON: no control byte, DEL or byte past ASCII, no backslash, and for JSON
 * no quote. Each test is the word trick "some byte is zero", exact as a
 * yes/no. */
static bool plain8(const unsigned char *p, bool json)
{
	const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
	uint64_t x;
	memcpy(&x, p, 8);
#define ZERO_BYTE(v) (((v) - ones) & ~(v))
	uint64_t bad = ((x - ones * 0x20) & ~x) | x | ZERO_BYTE(x ^ (ones * 0x7f)) | ZERO_BYTE(x ^ (ones * '\\'));
	if (json)
		bad |= ZERO_BYTE(x ^ (ones * '"'));
#undef ZERO_BYTE
	return (bad & highs) == 0;
}

static int walk(fm_buf *b, const char *s, size_t n, enum esc_mode mode)
{
	bool json = mode == ESC_JSON, html = mode == ESC_HTML;
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	int rc = 0;
	while (i < n && !rc) {
		size_t j = i;
		if (!html) /* eight plain bytes at a time (every output line passes here) */
			while (j + 8 <= n && plain8(u + j, json))
				j += 8;
		while (j < n && u[j] >= 0x20 && u[j] < 0x7f && (html ? !markup(u[j]) : u[j] != '\\') &&
		       !(json && u[j] == '"'))
			j++;
		if (j > i) { /* the common case: plain ASCII in one append */
			rc = fm_buf_add(b, s + i, j - i);
			i = j;
			continue;
		}
		unsigned char c = u[i];
		uint32_t cp = 0;
		size_t l = fm_utf8_decode(u + i, n - i, &cp);
		bool ctl = l && (cp < 0x20 || cp == 0x7f || fm_cp_steers(cp));
		if (html && markup(c))
			rc = fm_buf_adds(b, markup(c));
		else if (html && c == '\\')
			rc = fm_buf_addc(b, '\\');
		else if (c == '\\' || (json && c == '"'))
			rc = fm_buf_addc(b, '\\') || fm_buf_addc(b, (char)c);
		else if (c == '\t' || (json && (c == '\n' || c == '\r')))
			rc = fm_buf_adds(b, c == '\t' ? "\\t" : c == '\n' ? "\\n" : "\\r");
		else if (l && !ctl)
			rc = fm_buf_add(b, s + i, l);
		else if (json && ctl)
			rc = hex_escape(b, 'u', cp, 4);
		else if (json)
			rc = fm_buf_add(b, "\xef\xbf\xbd", 3); /* U+FFFD keeps the document UTF-8 */
		else /* every byte of a steering character, or the one bad byte */
			for (size_t k = 0; k < (l ? l : 1) && !rc; k++)
				rc = hex_escape(b, 'x', u[i + k], 2);
		i += l ? l : 1;
	}
	return rc;
}

int fm_esc_json(fm_buf *b, const char *s, size_t n)
{
	return walk(b, s, n, ESC_JSON);
}

int fm_esc_text(fm_buf *b, const char *s, size_t n)
{
	int rc = walk(b, s, n, ESC_TEXT);
	if (!rc && !b->data)
		rc = fm_buf_add(b, "", 0); /* callers may use b->data as a string */
	return rc;
}

/* The largest cut <= cap that does not split a character as the walker
 * sees it (a stray continuation byte is a character of its own). */
static size_t cut_at(const char *s, size_t n, size_t cap)
{
	if (n <= cap)
		return n;
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < cap) {
		uint32_t cp;
		size_t l = fm_utf8_decode(u + i, n - i, &cp);
		if (i + (l ? l : 1) > cap)
			break;
		i += l ? l : 1;
	}
	return i;
}

int fm_esc_text_capped(fm_buf *b, const char *s, size_t n, size_t cap)
{
	size_t lim = cut_at(s, n, cap);
	int rc = fm_esc_text(b, s, lim);
	if (!rc && lim < n)
		rc = fm_buf_addf(b, "... (%zu more bytes)", n - lim);
	return rc;
}

int fm_esc_html(fm_buf *b, const char *s, size_t n)
{
	int rc = walk(b, s, n, ESC_HTML);
	if (!rc && !b->data)
		rc = fm_buf_add(b, "", 0);
	return rc;
}

int fm_esc_html_capped(fm_buf *b, const char *s, size_t n, size_t cap)
{
	size_t lim = cut_at(s, n, cap);
	return fm_esc_html(b, s, lim) || (lim < n && fm_buf_adds(b, "..."));
}

int fm_esc_htmls(fm_buf *b, const char *s)
{
	return fm_esc_html(b, s ? s : "", s ? strlen(s) : 0);
}

int fm_esc_addf(fm_buf *b, const char *fmt, ...)
{
	/* Most texts fit on the stack (a TaskManager's dynamic configs are
	 * ~700 bytes): formatted once, nothing allocated. */
	char small[4096];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return FM_EINVAL;
	if ((size_t)n < sizeof small)
		return fm_esc_text_capped(b, small, (size_t)n, FM_TEXT_CAP);
	fm_buf t = FM_BUF_INIT;
	va_start(ap, fmt);
	int rc = fm_buf_vaddf(&t, fmt, ap);
	va_end(ap);
	if (!rc)
		rc = fm_esc_text_capped(b, t.data ? t.data : "", t.len, FM_TEXT_CAP);
	fm_buf_release(&t);
	return rc;
}

int fm_esc_lines(fm_buf *b, const char *s, const char *indent)
{
	size_t n = strlen(s);
	while (n > 0 && s[n - 1] == '\n')
		n--;
	/* each line is one echo (a Flink message, a cause): capped on its own;
	 * a text of very many lines stops after FM_TEXT_LINES_CAP bytes */
	size_t start = b->len;
	int rc = 0;
	for (size_t i = 0; i <= n && !rc;) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t e = nl ? (size_t)(nl - s) : n;
		if (b->len - start > FM_TEXT_LINES_CAP) {
			size_t more = 1;
			for (const char *p = s + i; (p = memchr(p, '\n', n - (size_t)(p - s))) != NULL; p++)
				more++;
			return fm_buf_adds(b, indent) || fm_buf_addf(b, "... (%zu more lines)", more);
		}
		rc = (i && fm_buf_adds(b, indent)) || fm_esc_text_capped(b, s + i, e - i, FM_TEXT_CAP) ||
		     (nl && fm_buf_addc(b, '\n'));
		i = e + 1;
	}
	return rc;
}
