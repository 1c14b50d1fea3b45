/* unwrap — joins soft-broken lines of hard-wrapped text (see unwrap.h).
 * A line is soft-broken when it ends in a space and fills most of a
 * mail's width (40+ characters): a log line that ends in a space is
 * short or far longer than a wrapped paragraph's line, and a line a
 * person ended is not followed by its own continuation.
 * Without the space (a code block, a mail client that wraps hard), a line
 * is soft-broken when it sits in a paragraph filled to one width and the
 * next line's first word would not have fitted after it: the test a
 * filling editor applies. Config lines, list items, tables and records
 * never form such a paragraph. */
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

static bool digits(const char *p, const char *e, int n)
{
	for (int i = 0; i < n; i++)
		if (p + i >= e || (unsigned)(p[i] - '0') > 9u)
			return false;
	return true;
}

/* A dotted name then ':' or '=' at the line's start: a config entry
 * ("taskmanager.memory.process.size: 4g") or, when its last part is
 * capitalised, an exception ("java.lang.OutOfMemoryError: ...").
 * Returns 1 for a config entry, 2 for an exception, 0 otherwise. */
static int dotted_head(const char *p, const char *e)
{
	const char *q = p, *seg = p;
	bool dot = false;
	for (; q < e && *q != ' ' && *q != ':' && *q != '='; q++)
		if (*q == '.') {
			dot = true;
			seg = q + 1;
		}
	if (!dot || q >= e || (*q != ':' && *q != '='))
		return 0;
	return seg < q && (unsigned)(*seg - 'A') < 26u ? 2 : 1;
}

static bool class_head(const char *p, const char *e)
{
	return dotted_head(p, e) == 2;
}

/* A line that starts a record of its own: a stack frame, a cause, a log
 * line's level, date or time (also in brackets), an exception's class;
 * never a continuation. */
static bool starts_record(const char *p, const char *e)
{
	static const char *const heads[] = {"at ",    "Caused by", "Suppressed:", "... ",  "INFO ", "WARN ",
					    "ERROR ", "DEBUG ",     "TRACE ",      "FATAL ", "SEVERE", NULL};
	for (size_t i = 0; heads[i]; i++)
		if ((size_t)(e - p) >= strlen(heads[i]) && !memcmp(p, heads[i], strlen(heads[i])))
			return true;
	if (class_head(p, e))
		return true;
	if (p < e && *p == '[')
		p++;
	return (digits(p, e, 4) && p + 4 < e && p[4] == '-') || (digits(p, e, 2) && p + 2 < e && p[2] == ':');
}

/* A line that is structure, not running text: a config entry
 * ("a.b.c: v", "a.b=v", "-Da.b=v"), an aligned field (kubectl describe),
 * columns, a list item, a table row, a heading or a fence. */
static bool structural(const char *p, const char *e)
{
	if (p == e || *p == '|' || *p == '#' || *p == '`' || *p == '>')
		return true;
	if ((*p == '-' || *p == '*' || *p == '+') && (p + 1 == e || p[1] == ' ' || p[1] == 'D'))
		return true;
	const char *q = p;
	while (q < e && (unsigned)(*q - '0') <= 9u)
		q++;
	if (q > p && q < e && (*q == '.' || *q == ')') && (q + 1 == e || q[1] == ' '))
		return true;
	if (dotted_head(p, e) == 1)
		return true;
	/* an aligned field ("Exit Code:    137", "Reason:\tOOMKilled"): a
	 * label of a few words, a colon, then a run of blanks */
	size_t spaces = 0;
	for (q = p; q < e && *q != ':'; q++)
		spaces += *q == ' ';
	if (q + 2 < e && spaces <= 3 && (q[1] == '\t' || (q[1] == ' ' && q[2] == ' ')))
		return true;
	/* columns (kubectl get, ps, a table of sizes): blanks that align,
	 * a tab or two spaces that do not follow a sentence's end */
	for (q = p + 1; q + 1 < e; q++)
		if (*q == '\t' || (q[0] == ' ' && q[1] == ' ' && !strchr(".!?:", q[-1])))
			return true;
	return false;
}

/* A paragraph filled to one width: from line p on, the lines with the
 * same quote prefix and indentation that are running text. Sets *bend to
 * the end of its last line and *width to its widest line; returns its
 * line count. */
static size_t paragraph(const char *p, const char *e, const char **bend, size_t *width)
{
	const char *first = p;
	size_t ql = quote_len(p, line_end(p, e)), n = 0, w = 0;
	const char *body0 = p + ql;
	while (body0 < e && (*body0 == ' ' || *body0 == '\t'))
		body0++;
	size_t ind = (size_t)(body0 - p);
	*bend = p;
	while (p < e) {
		const char *le = line_end(p, e), *te = le > p && le[-1] == '\r' ? le - 1 : le;
		if (quote_len(p, le) != ql || memcmp(p, first, ql) != 0)
			break;
		const char *body = p + ql;
		while (body < te && (*body == ' ' || *body == '\t'))
			body++;
		size_t lw = chars(p, te);
		/* an exception's class may head the paragraph its message fills */
		bool head = n == 0 && class_head(body, te);
		if ((size_t)(body - p) != ind || body == te || (!head && (starts_record(body, te) || structural(body, te))) ||
		    lw > WIDE)
			break;
		w = lw > w ? lw : w;
		n++;
		*bend = te;
		p = le < e ? le + 1 : e;
	}
	*width = w;
	return n;
}

/* Line [p, le) of a filled paragraph of width w is broken where the next
 * line's first word would not fit: a wrapped line, not an ended one. */
static bool fill_broken(const char *p, const char *le, const char *e, size_t w)
{
	if (le >= e)
		return false;
	const char *te = le > p && le[-1] == '\r' ? le - 1 : le;
	size_t lw = chars(p, te);
	if (lw < FILLED || lw * 4 < w * 3)
		return false;
	const char *np = le + 1, *nle = line_end(np, e);
	np += quote_len(np, nle);
	while (np < nle && (*np == ' ' || *np == '\t'))
		np++;
	const char *we = np;
	while (we < nle && *we != ' ' && *we != '\r')
		we++;
	return lw + 1 + chars(np, we) > w;
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
	bool joined = false, filled = false;
	const char *p = t, *e = t + n, *pend = NULL;
	size_t pw = 0;
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
		/* a paragraph of 3+ lines filled to 60-100 columns may wrap hard;
		 * measured once, at its first line */
		if (!pend || p > pend) {
			size_t pn = paragraph(p, e, &pend, &pw);
			filled = pn >= 3 && pw >= 60;
			if (pn == 0)
				pend = p;
		}
		for (int k = 0; !rc && k < MAX_JOIN && le < e &&
				(soft_broken(p, le) || (filled && le < pend && fill_broken(p, le, e, pw)));
		     k++) {
			const char *np = le + 1, *nle = line_end(np, e);
			size_t nql = quote_len(np, nle);
			if (nql != ql || memcmp(np, p, ql) != 0)
				break;
			/* the soft break's space separates: the continuation's own
			 * indentation goes */
			const char *body = np + nql;
			while (body < nle && (*body == ' ' || *body == '\t'))
				body++;
			if (body == nle || starts_record(body, nle))
				break;
			if (b.len && b.data[b.len - 1] == '\r')
				b.len--;
			/* a hard wrap dropped the space it broke at */
			if (b.len && b.data[b.len - 1] != ' ')
				rc = fm_buf_addc(&b, ' ');
			if (!rc)
				rc = fm_buf_add(&b, body, (size_t)(nle - body));
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
