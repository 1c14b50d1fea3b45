/* unwrap — undoes what a mail, a web page or an issue tracker did to
 * pasted program output (see unwrap.h).
 * Soft-broken lines: a line is soft-broken when it ends in a space and
 * fills most of a mail's width (40+ characters): a log line that ends in
 * a space is short or far longer than a wrapped paragraph's line, and a
 * line a person ended is not followed by its own continuation.
 * Without the space (a code block, a mail client that wraps hard), a line
 * is soft-broken when it sits in a paragraph filled to one width and the
 * next line's first word would not have fitted after it: the test a
 * filling editor applies. Config lines, list items, tables and records
 * never form such a paragraph.
 * Quote marks ("> ", "> > ") are dropped: a reply quotes the log, it does
 * not change it. HTML entities are decoded: a page's text copied as its
 * markup. A terminal's colour sequences are dropped. A line that holds a
 * whole stack trace (a page that lost its line breaks) is split back
 * before its frames and causes. */
#include "flinkmem/unwrap.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "flinkmem/buf.h"
#include "flinkmem/diag.h"
#include "flinkmem/jchain.h"

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
		if (*q == '\t' || (q[0] == ' ' && q[1] == ' ' && (!q[-1] || !strchr(".!?:", q[-1]))))
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

/* ---- what a page did to the text ----------------------------------------- */

static const struct {
	const char *name;
	char c;
} entities[] = {{"lt;", '<'}, {"gt;", '>'}, {"amp;", '&'}, {"quot;", '"'}, {"apos;", '\''}, {"nbsp;", ' '}};

/* The character an HTML entity at p ('&' ... ';') stands for, its length
 * in *len; 0 when p starts none (or a numeric one outside printable
 * ASCII, kept as written: no message the catalogue knows needs it, and a
 * decoded control character would only be escaped again on output). */
static char entity(const char *p, const char *e, size_t *len)
{
	for (size_t i = 0; i < sizeof entities / sizeof entities[0]; i++) {
		size_t k = strlen(entities[i].name);
		if ((size_t)(e - p) > k && !memcmp(p + 1, entities[i].name, k)) {
			*len = k + 1;
			return entities[i].c;
		}
	}
	if (e - p < 4 || p[1] != '#')
		return 0;
	const char *q = p + 2;
	bool hex = *q == 'x' || *q == 'X';
	q += hex;
	unsigned v = 0;
	const char *d0 = q;
	for (; q < e && q - d0 < 4; q++) {
		unsigned dv = (unsigned)(*q - '0');
		if (dv > 9u && hex && (unsigned)((*q | 0x20) - 'a') < 6u)
			dv = (unsigned)((*q | 0x20) - 'a') + 10u;
		else if (dv > 9u)
			break;
		v = v * (hex ? 16u : 10u) + dv;
	}
	if (q == d0 || q >= e || *q != ';' || v < 0x20 || v > 0x7e)
		return 0;
	*len = (size_t)(q + 1 - p);
	return (char)v;
}

/* Length of a terminal's colour or cursor sequence at p (ESC '[',
 * parameters, one final byte: ECMA-48's CSI), 0 if none: a terminal's
 * copy of colourised output (stern, a console appender's %highlight). */
static size_t csi_len(const char *p, const char *e)
{
	if (e - p < 3 || p[0] != '\x1b' || p[1] != '[')
		return 0;
	for (const char *q = p + 2; q < e; q++) {
		if (*q >= 0x40 && *q <= 0x7e)
			return (size_t)(q + 1 - p);
		if (*q < 0x20 || *q > 0x3f)
			return 0;
	}
	return 0;
}

/* Appends [p, p+n) with its HTML entities decoded and terminal sequences
 * dropped. */
static int add_text(fm_buf *b, const char *p, size_t n, bool *changed)
{
	const char *e = p + n;
	while (p < e) {
		const char *amp = p;
		while (amp < e && *amp != '&' && *amp != '\x1b')
			amp++;
		if (amp == e)
			amp = NULL;
		size_t len = 0, skip = amp && *amp == '\x1b' ? csi_len(amp, e) : 0;
		char c = amp && *amp == '&' ? entity(amp, e, &len) : 0;
		const char *stop = amp ? amp + (c || skip ? 0 : 1) : e;
		int rc = fm_buf_add(b, p, (size_t)(stop - p));
		if (rc)
			return rc;
		p = stop + skip;
		*changed |= skip > 0;
		if (c) {
			if ((rc = fm_buf_addc(b, c)))
				return rc;
			p += len;
			*changed = true;
		}
	}
	return FM_OK;
}

/* " at a.b.C.m(" at p: a frame, as a page that lost the line breaks
 * leaves it (the space before "at" separated it from the last line) */
static bool frame_at(const char *p, const char *e)
{
	return e - p >= 5 && !memcmp(p, " at ", 4) && fm_jframe_shape(p + 4, e);
}

/* A record a trace starts after a frame: its cause, a suppressed one, the
 * elision ("... 12 more"). */
static bool trace_head_at(const char *p, const char *e)
{
	static const char *const heads[] = {" Caused by: ", " Suppressed: ", " ... ", NULL};
	for (size_t i = 0; heads[i]; i++)
		if ((size_t)(e - p) >= strlen(heads[i]) && !memcmp(p, heads[i], strlen(heads[i])))
			return i < 2 || (p + 5 < e && (unsigned)(p[5] - '0') <= 9u);
	return false;
}

static int map_push(uint64_t **map, size_t *n, size_t *cap, uint64_t src)
{
	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 256;
		uint64_t *nv = realloc(*map, nc * sizeof *nv);
		if (!nv)
			return FM_ENOMEM;
		*map = nv;
		*cap = nc;
	}
	(*map)[(*n)++] = src;
	return FM_OK;
}

/* The output line [from, b->len) holds two frames or more: a trace whose
 * line breaks were lost. Breaks it again before each frame and cause; the
 * new lines map to the same source line. */
static int split_trace(fm_buf *b, size_t from, uint64_t **map, size_t *nmap, size_t *cap, bool *changed)
{
	if (!b->data)
		return FM_OK;
	char *s = b->data + from, *e = b->data + b->len;
	size_t frames = 0;
	for (char *q = s; q < e && frames < 2; q++)
		frames += frame_at(q, e);
	if (frames < 2)
		return FM_OK;
	uint64_t src = (*map)[*nmap - 1];
	for (char *q = s + 1; q < e; q++)
		if (frame_at(q, e) || trace_head_at(q, e)) {
			*q = '\n';
			*changed = true;
			int rc = map_push(map, nmap, cap, src);
			if (rc)
				return rc;
		}
	return FM_OK;
}

/* The output line [from, b->len) holds a Throwable written as JSON fields
 * (jchain.h): the line a JVM prints for it follows, from the same source
 * line. */
static int split_fields(fm_buf *b, size_t from, uint64_t **map, size_t *nmap, size_t *cap, bool *changed)
{
	if (!b->data || b->len - from < 16 || !memchr(b->data + from, '"', b->len - from))
		return FM_OK;
	fm_buf t = FM_BUF_INIT;
	int k = fm_jchain_split_fields(b->data + from, b->len - from, &t);
	int rc = k < 0 ? FM_ENOMEM : FM_OK;
	uint64_t src = (*map)[*nmap - 1];
	if (k > 0 && t.len && t.data[t.len - 1] == '\n')
		t.len--; /* the caller ends the last line */
	for (size_t i = 0; k > 0 && i < t.len && !rc; i++)
		if (t.data[i] == '\n')
			rc = map_push(map, nmap, cap, src);
	if (k > 0 && !rc)
		rc = map_push(map, nmap, cap, src);
	if (k > 0 && !rc)
		rc = fm_buf_addc(b, '\n');
	if (k > 0 && !rc)
		rc = fm_buf_add(b, t.data, t.len);
	*changed |= k > 0;
	fm_buf_release(&t);
	return rc;
}

int fm_unwrap(const char *t, size_t n, fm_unwrapped *u)
{
	*u = (fm_unwrapped){0};
	fm_buf b = FM_BUF_INIT;
	uint64_t *map = NULL;
	size_t nmap = 0, cap = 0, src = 0;
	bool changed = false, filled = false; /* the text differs from t */
	const char *p = t, *e = t + n, *pend = NULL;
	size_t pw = 0;
	int rc = FM_OK;
	while (p < e && !rc) {
		const char *le = line_end(p, e);
		src++;
		if ((rc = map_push(&map, &nmap, &cap, src)))
			break;
		/* the quote prefix goes, here and on the continuations */
		size_t ql = quote_len(p, le), from = b.len;
		changed |= ql > 0;
		rc = add_text(&b, p + ql, (size_t)(le - p) - ql, &changed);
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
				rc = add_text(&b, body, (size_t)(nle - body), &changed);
			changed = true;
			src++;
			p = np;
			le = nle;
		}
		if (!rc)
			rc = split_trace(&b, from, &map, &nmap, &cap, &changed);
		if (!rc)
			rc = split_fields(&b, from, &map, &nmap, &cap, &changed);
		if (!rc && le < e)
			rc = fm_buf_addc(&b, '\n');
		p = le < e ? le + 1 : e;
	}
	if (rc || !changed) {
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
