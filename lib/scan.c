/* scan — the Vectorscan line scanner of include/flinkmem/scan.h.
 *
 * How it stays fast and exact:
 *  - Every pattern is translated to a Vectorscan expression that cannot match
 *    a LF (brackets become explicit byte sets without LF, `.` excludes LF and
 *    NUL as glibc's does), so one stream per input scans whole read() chunks
 *    and each match lies inside one line. Brackets follow POSIX rules (no
 *    backslash escapes inside), so both engines read them the same way.
 *  - Vectorscan reports match *ends* in increasing order; only around a match
 *    do we locate line boundaries (memchr). Elsewhere newlines are just
 *    counted (SWAR), so non-matching lines cost no per-line work.
 *  - A match is kept for its line when its end does not pass the text end:
 *    that drops exactly the matches that used the CR of a CR LF ending.
 *  - Only the first FM_SCAN_LINE_MAX bytes of a line that straddles chunks
 *    are copied (for the report); matching itself sees the whole line. */
#include "flinkmem/scan.h"

#include <errno.h>
#include <fcntl.h>
#include <hs.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "flinkmem/buf.h"

#define CHUNK ((size_t)256 * 1024) /* read() size */
#define ZIN ((size_t)64 * 1024)    /* compressed input buffer */
#define MEM_PIECE ((size_t)1 << 30) /* hs_scan_stream takes an unsigned length */

size_t fm__scan_mem_piece; /* test hook, see scan.h */

struct fm_scanner {
	const fm_pattern *pats;
	size_t n;
	hs_database_t *db;
	hs_scratch_t *scratch; /* for fm_scan_fd/fm_scan_mem; workers clone it */
};

/* ---- pattern translation (POSIX ERE subset -> Vectorscan) ---- */

static bool is_alnum(unsigned c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int emit_byte(fm_buf *b, unsigned c)
{
	if (is_alnum(c) || c == ' ')
		return fm_buf_addc(b, (char)c);
	return fm_buf_addf(b, "\\x%02x", c);
}

/* C-locale character classes, independent of the process locale. */
static bool in_class(const char *name, size_t len, unsigned c)
{
	bool up = c >= 'A' && c <= 'Z', lo = c >= 'a' && c <= 'z', dig = c >= '0' && c <= '9';
	bool graph = c > 32 && c < 127;
#define IS(s) (len == sizeof(s) - 1 && memcmp(name, s, len) == 0)
	if (IS("alpha")) return up || lo;
	if (IS("digit")) return dig;
	if (IS("alnum")) return up || lo || dig;
	if (IS("upper")) return up;
	if (IS("lower")) return lo;
	if (IS("space")) return c == ' ' || (c >= '\t' && c <= '\r');
	if (IS("blank")) return c == ' ' || c == '\t';
	if (IS("punct")) return graph && !(up || lo || dig);
	if (IS("print")) return graph || c == ' ';
	if (IS("graph")) return graph;
	if (IS("cntrl")) return c < 32 || c == 127;
	if (IS("xdigit")) return dig || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
#undef IS
	return false;
}

static bool known_class(const char *name, size_t len)
{
	static const char *const names[] = {"alpha", "digit", "alnum", "upper", "lower", "space",
					    "blank", "punct", "print", "graph", "cntrl", "xdigit"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i]) == len && memcmp(names[i], name, len) == 0)
			return true;
	return false;
}

/* Parses the bracket expression at *pp (just past '['), emits it as an
 * explicit byte set without LF. */
static int xlat_bracket(const char **pp, bool icase, fm_buf *b, const char **why)
{
	const unsigned char *p = (const unsigned char *)*pp;
	bool set[256] = {false};
	bool neg = *p == '^';
	p += neg;
	for (bool first = true;; first = false) {
		if (*p == '\0')
			return *why = "unterminated [", FM_EINVAL;
		if (*p == ']' && !first) {
			p++;
			break;
		}
		if (p[0] == '[' && (p[1] == '=' || p[1] == '.'))
			return *why = "collating elements are not supported", FM_EINVAL;
		if (p[0] == '[' && p[1] == ':') {
			const char *name = (const char *)p + 2;
			const char *end = strstr(name, ":]");
			if (!end || !known_class(name, (size_t)(end - name)))
				return *why = "unknown character class", FM_EINVAL;
			for (unsigned c = 0; c < 256; c++)
				set[c] |= in_class(name, (size_t)(end - name), c);
			p = (const unsigned char *)end + 2;
			continue;
		}
		unsigned lo = *p++, hi = lo;
		if (p[0] == '-' && p[1] != ']' && p[1] != '\0') {
			hi = p[1];
			if (hi == '[' && (p[2] == '.' || p[2] == '=' || p[2] == ':'))
				return *why = "class as range end", FM_EINVAL;
			if (hi < lo)
				return *why = "invalid range", FM_EINVAL;
			p += 2;
		}
		for (unsigned c = lo; c <= hi; c++)
			set[c] = true;
	}
	if (icase) /* glibc folds the set before negating it */
		for (unsigned c = 'a'; c <= 'z'; c++)
			set[c] = set[c - 32] = set[c] || set[c - 32];
	size_t count = 0;
	for (unsigned c = 0; c < 256; c++) {
		set[c] = (set[c] != neg) && c != '\n';
		count += set[c];
	}
	if (count == 0)
		return *why = "bracket expression matches nothing", FM_EINVAL;
	int rc = fm_buf_addc(b, '[');
	for (unsigned c = 0; c < 256 && rc == 0; c++) {
		if (!set[c])
			continue;
		unsigned e = c;
		while (e + 1 < 256 && set[e + 1])
			e++;
		rc = fm_buf_addf(b, e > c ? "\\x%02x-\\x%02x" : "\\x%02x", c, e);
		c = e;
	}
	*pp = (const char *)p;
	return rc ? rc : fm_buf_addc(b, ']');
}

static int xlat_regex(const char *p, bool icase, fm_buf *b, const char **why)
{
	int depth = 0, rc = 0;
	bool can_repeat = false; /* a quantifier may follow */
	while (*p && rc == 0) {
		unsigned c = (unsigned char)*p++;
		bool atom = true;
		switch (c) {
		case '\\':
			c = (unsigned char)*p++;
			if (c == '\0')
				return *why = "trailing backslash", FM_EINVAL;
			if (is_alnum(c) || c == '\n')
				return *why = "unsupported escape (only \\ + punctuation)", FM_EINVAL;
			rc = emit_byte(b, c);
			break;
		case '[':
			rc = xlat_bracket(&p, icase, b, why);
			break;
		case '.':
			rc = fm_buf_adds(b, "[^\\x00\\x0a]");
			break;
		case '$':
			return *why = "'$' is not supported", FM_EINVAL;
		case '\n':
			return *why = "pattern holds a line feed", FM_EINVAL;
		case '(':
			if (*p == '?' || *p == '*' || *p == '+' || *p == '{')
				return *why = "unsupported group", FM_EINVAL;
			depth++;
			atom = false;
			rc = fm_buf_addc(b, '(');
			break;
		case ')':
			if (depth-- == 0)
				return *why = "unmatched )", FM_EINVAL;
			rc = fm_buf_addc(b, ')');
			break;
		case '|':
		case '^':
			atom = false;
			rc = fm_buf_addc(b, (char)c);
			break;
		case '*':
		case '+':
		case '?':
		case '{': {
			if (!can_repeat)
				return *why = "quantifier without operand", FM_EINVAL;
			const char *start = p - 1;
			if (c == '{') { /* {m}, {m,}, {m,n}: digits required */
				char *end;
				if (!(*p >= '0' && *p <= '9'))
					return *why = "bad interval", FM_EINVAL;
				unsigned long m = strtoul(p, &end, 10), n = m;
				if (*end == ',' && end[1] >= '0' && end[1] <= '9')
					n = strtoul(end + 1, &end, 10);
				else if (*end == ',')
					end++, n = ULONG_MAX;
				if (*end != '}' || n < m || m > 1000 || (n != ULONG_MAX && n > 1000))
					return *why = "bad interval", FM_EINVAL;
				p = end + 1;
			}
			rc = fm_buf_add(b, start, (size_t)(p - start));
			can_repeat = false;
			continue;
		}
		default:
			rc = emit_byte(b, c);
		}
		can_repeat = atom;
	}
	if (rc == 0 && depth != 0)
		return *why = "unmatched (", FM_EINVAL;
	return rc;
}

static int xlat(const fm_pattern *p, fm_buf *b, const char **why)
{
	if (!p->expr || !*p->expr)
		return *why = "empty pattern", FM_EINVAL;
	if (p->regex)
		return xlat_regex(p->expr, p->icase, b, why);
	int rc = 0;
	for (const unsigned char *s = (const unsigned char *)p->expr; *s && rc == 0; s++) {
		if (*s == '\n')
			return *why = "literal holds a line feed", FM_EINVAL;
		rc = emit_byte(b, *s);
	}
	return rc;
}

fm_scanner *fm_scanner_new(const fm_pattern *pats, size_t n, fm_diag *d)
{
	if (!pats || n == 0 || n > UINT_MAX) {
		fm_diag_set(d, FM_EUSAGE, NULL, 0, 0, NULL, "scan: no patterns");
		return NULL;
	}
	fm_scanner *s = calloc(1, sizeof(*s));
	char **exprs = calloc(n, sizeof(*exprs));
	unsigned *flags = calloc(n, sizeof(*flags)), *ids = calloc(n, sizeof(*ids));
	int rc = (s && exprs && flags && ids) ? 0 : FM_ENOMEM;
	for (size_t i = 0; i < n && rc == 0; i++) {
		fm_buf b;
		const char *why = NULL;
		fm_buf_init(&b, 0);
		rc = xlat(&pats[i], &b, &why);
		if (rc == FM_EINVAL)
			fm_diag_set(d, rc, NULL, 0, 0, pats[i].id, "pattern %s: %s", pats[i].id, why);
		exprs[i] = fm_buf_detach(&b, NULL);
		if (rc == 0 && !exprs[i])
			rc = FM_ENOMEM;
		fm_buf_release(&b);
		flags[i] = HS_FLAG_MULTILINE | (pats[i].icase ? HS_FLAG_CASELESS : 0);
		ids[i] = (unsigned)i;
	}
	if (rc == 0) {
		hs_compile_error_t *ce = NULL;
		if (hs_compile_multi((const char *const *)exprs, flags, ids, (unsigned)n,
				     HS_MODE_STREAM, NULL, &s->db, &ce) != HS_SUCCESS) {
			size_t at = ce && ce->expression >= 0 ? (size_t)ce->expression : 0;
			rc = fm_diag_set(d, FM_EINVAL, NULL, 0, 0, pats[at].id, "pattern %s: %s",
					 pats[at].id, ce && ce->message ? ce->message : "does not compile");
			hs_free_compile_error(ce);
		} else if (hs_alloc_scratch(s->db, &s->scratch) != HS_SUCCESS) {
			rc = FM_ENOMEM;
		}
	}
	for (size_t i = 0; exprs && i < n; i++)
		free(exprs[i]);
	free(exprs);
	free(flags);
	free(ids);
	if (rc == FM_ENOMEM)
		fm_diag_set(d, rc, NULL, 0, 0, NULL, "out of memory");
	if (rc == 0) {
		s->pats = pats;
		s->n = n;
		return s;
	}
	fm_scanner_free(s);
	return NULL;
}

void fm_scanner_free(fm_scanner *s)
{
	if (!s)
		return;
	hs_free_scratch(s->scratch);
	hs_free_database(s->db);
	free(s);
}

/* ---- the streaming run over one input ---- */

typedef struct run {
	const fm_scanner *s;
	fm_scan_cb cb;
	void *ctx;
	const char *name;
	const char *seg;   /* current segment, at absolute offset base */
	size_t seglen;
	uint64_t base;
	uint64_t cursor;   /* newlines before this offset are counted */
	uint64_t line;     /* number of the line holding cursor */
	uint64_t lstart;   /* its start offset */
	char *head;        /* its first bytes, when it began before seg */
	size_t head_len;
	unsigned char prev; /* byte at base - 1 */
	size_t *plist;     /* patterns matched on this line, npend of them */
	size_t npend;
	uint64_t *pend_end;  /* per pattern: smallest match end on this line */
	uint64_t *pend_line; /* per pattern: line of that entry (0 = none) */
	bool stopped;      /* the callback asked to stop */
	bool disorder;     /* a match came for an already reported line */
} run;

/* Newlines in p[0..n), 8 bytes at a time: per-byte 0/1 flags summed in
 * byte lanes, flushed before any lane can overflow. */
static uint64_t count_nl(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ULL, lo7 = ones * 0x7f;
	uint64_t total = 0;
	size_t i = 0;
	while (i + 8 <= n) {
		uint64_t acc = 0;
		for (unsigned k = 0; k < 255 && i + 8 <= n; k++, i += 8) {
			uint64_t x;
			memcpy(&x, p + i, 8);
			x ^= ones * '\n';
			uint64_t t = ((x & lo7) + lo7) | x; /* high bit set iff byte != LF */
			acc += (~t >> 7) & ones;
		}
		total += (acc * ones) >> 56; /* per-lane sums stay < 256 */
	}
	for (; i < n; i++)
		total += p[i] == '\n';
	return total;
}

static int cmp_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	return (x > y) - (x < y);
}

/* Reports the pending patterns of the current line, which ends at `end`
 * (the LF's offset, or the end of input when lf is false). Non-zero when
 * the callback asked to stop. */
static int finish_line(run *r, uint64_t end, bool lf)
{
	uint64_t tend = end;
	if (lf && end > r->lstart) {
		unsigned char before = end - 1 >= r->base ? (unsigned char)r->seg[end - 1 - r->base] : r->prev;
		tend -= before == '\r';
	}
	uint64_t real = tend - r->lstart;
	size_t len = real < FM_SCAN_LINE_MAX ? (size_t)real : FM_SCAN_LINE_MAX;
	const char *text;
	if (r->lstart >= r->base) {
		text = r->seg + (r->lstart - r->base);
	} else { /* began in an earlier segment: complete the head copy */
		if (r->head_len < len) {
			memcpy(r->head + r->head_len, r->seg, len - r->head_len);
			r->head_len = len;
		}
		text = r->head;
	}
	if (r->npend > 1)
		qsort(r->plist, r->npend, sizeof(*r->plist), cmp_size);
	for (size_t i = 0; i < r->npend && !r->stopped; i++) {
		size_t pat = r->plist[i];
		if (r->pend_end[pat] > tend) /* needed the CR of CR LF */
			continue;
		fm_match m = {.pat = pat, .name = r->name, .line = r->line, .offset = r->lstart,
			      .text = text, .len = len, .truncated = real > len};
		r->stopped = r->cb(&m, r->ctx) != 0;
	}
	r->npend = 0;
	if (lf) {
		r->line++;
		r->lstart = end + 1;
		r->head_len = 0;
	}
	return r->stopped;
}

/* Moves cursor to target (inside the segment), counting lines; the line
 * with pending matches is reported when its LF is passed. */
static int advance(run *r, uint64_t target)
{
	const char *p = r->seg + (r->cursor - r->base);
	size_t len = (size_t)(target - r->cursor);
	if (r->npend) {
		const char *nl = memchr(p, '\n', len);
		if (!nl) {
			r->cursor = target;
			return 0;
		}
		if (finish_line(r, r->base + (uint64_t)(nl - r->seg), true))
			return 1;
		len -= (size_t)(nl + 1 - p);
		p = nl + 1;
	}
	const char *last = len ? memrchr(p, '\n', len) : NULL;
	if (last) {
		r->line += count_nl(p, (size_t)(last - p)) + 1;
		r->lstart = r->base + (uint64_t)(last - r->seg) + 1;
		r->head_len = 0;
	}
	r->cursor = target;
	return 0;
}

static int on_match(unsigned int id, unsigned long long from, unsigned long long to,
		    unsigned int flags, void *ctx)
{
	(void)from;
	(void)flags;
	run *r = ctx;
	uint64_t last = to - 1; /* empty matches are rejected at compile time */
	if (last < r->lstart) {
		r->disorder = true;
		return 1;
	}
	if (last > r->cursor && advance(r, last))
		return 1;
	if (r->pend_line[id] != r->line) {
		r->pend_line[id] = r->line;
		r->pend_end[id] = to;
		r->plist[r->npend++] = id;
	} else if (to < r->pend_end[id]) {
		r->pend_end[id] = to;
	}
	return 0;
}

static int run_init(run *r, const fm_scanner *s, const char *name, fm_scan_cb cb, void *ctx)
{
	*r = (run){.s = s, .cb = cb, .ctx = ctx, .name = name, .line = 1};
	r->head = malloc(FM_SCAN_LINE_MAX);
	r->plist = malloc(s->n * sizeof(*r->plist));
	r->pend_end = malloc(s->n * sizeof(*r->pend_end));
	r->pend_line = calloc(s->n, sizeof(*r->pend_line));
	return (r->head && r->plist && r->pend_end && r->pend_line) ? 0 : FM_ENOMEM;
}

static void run_release(run *r)
{
	free(r->head);
	free(r->plist);
	free(r->pend_end);
	free(r->pend_line);
}

/* Scans one segment; 1 when stopped, negative on error. */
static int run_segment(run *r, hs_stream_t *st, hs_scratch_t *scr, const char *data, size_t len)
{
	r->seg = data;
	r->seglen = len;
	hs_error_t e = hs_scan_stream(st, data, (unsigned)len, 0, scr, on_match, r);
	if (r->disorder)
		return FM_EINVAL;
	if (r->stopped)
		return 1;
	if (e != HS_SUCCESS)
		return e == HS_NOMEM ? FM_ENOMEM : FM_EINVAL;
	uint64_t end = r->base + len;
	if (r->cursor < end && advance(r, end))
		return 1;
	/* Keep the head of the unfinished line for its report. */
	if (r->lstart >= r->base) {
		size_t have = (size_t)(end - r->lstart);
		r->head_len = have < FM_SCAN_LINE_MAX ? have : FM_SCAN_LINE_MAX;
		memcpy(r->head, data + (r->lstart - r->base), r->head_len);
	} else if (r->head_len < FM_SCAN_LINE_MAX) {
		size_t add = FM_SCAN_LINE_MAX - r->head_len;
		add = add < len ? add : len;
		memcpy(r->head + r->head_len, data, add);
		r->head_len += add;
	}
	if (len)
		r->prev = (unsigned char)data[len - 1];
	r->base = end;
	return 0;
}

/* Ends the input: a last line without LF is reported too. */
static int run_finish(run *r, hs_stream_t *st, hs_scratch_t *scr)
{
	r->seg = NULL;
	r->seglen = 0;
	hs_error_t e = hs_close_stream(st, scr, on_match, r);
	if (r->disorder)
		return FM_EINVAL;
	if (r->stopped)
		return 1;
	if (e != HS_SUCCESS)
		return FM_EINVAL;
	if (r->npend && r->lstart < r->base)
		return finish_line(r, r->base, false);
	return 0;
}

static int scan_err(fm_diag *d, int rc, const char *name, const char *what)
{
	if (rc == FM_ENOMEM)
		return fm_diag_set(d, rc, name, 0, 0, NULL, "out of memory");
	if (rc == FM_EINVAL)
		return fm_diag_set(d, rc, name, 0, 0, NULL, "internal scanner error");
	return fm_diag_set(d, rc, name, 0, 0, NULL, "%s", what);
}

/* Byte source over an fd: plain, or gzip detected from its magic. */
typedef struct src {
	int fd;
	bool gz, fd_eof, member_end;
	z_stream z;
	unsigned char *in;
} src;

static int read_some(int fd, void *buf, size_t cap, size_t *got)
{
	for (;;) {
		ssize_t n = read(fd, buf, cap);
		if (n >= 0) {
			*got = (size_t)n;
			return 0;
		}
		if (errno != EINTR)
			return FM_EIO;
	}
}

/* Fills buf with up to cap bytes; *got == 0 means end of input. */
static int src_read(src *sr, char *buf, size_t cap, size_t *got, const char **why)
{
	if (!sr->gz)
		return read_some(sr->fd, buf, cap, got) ? (*why = "read error", FM_EIO) : 0;
	for (;;) {
		if (sr->z.avail_in == 0 && !sr->fd_eof) {
			size_t n;
			if (read_some(sr->fd, sr->in, ZIN, &n))
				return *why = "read error", FM_EIO;
			sr->fd_eof = n == 0;
			sr->z.next_in = sr->in;
			sr->z.avail_in = (uInt)n;
		}
		if (sr->z.avail_in == 0 && sr->fd_eof) {
			*got = 0;
			return sr->member_end ? 0 : (*why = "truncated gzip data", FM_ESYNTAX);
		}
		sr->z.next_out = (Bytef *)buf;
		sr->z.avail_out = (uInt)cap;
		int zr = inflate(&sr->z, Z_NO_FLUSH);
		if (zr == Z_STREAM_END) {
			sr->member_end = true; /* another member may follow */
			if (inflateReset(&sr->z) != Z_OK)
				return *why = "corrupt gzip data", FM_ESYNTAX;
		} else if (zr == Z_OK) {
			sr->member_end = false;
		} else if (zr != Z_BUF_ERROR) {
			return *why = zr == Z_MEM_ERROR ? "out of memory" : "corrupt gzip data",
			       zr == Z_MEM_ERROR ? FM_ENOMEM : FM_ESYNTAX;
		}
		*got = cap - sr->z.avail_out;
		if (*got)
			return 0;
	}
}

static int scan_fd_scr(const fm_scanner *s, hs_scratch_t *scr, int fd, const char *name,
		       fm_scan_cb cb, void *ctx, fm_diag *d)
{
	run r;
	src sr = {.fd = fd};
	char *buf = malloc(CHUNK);
	hs_stream_t *st = NULL;
	const char *why = "read error";
	int rc = run_init(&r, s, name, cb, ctx);
	if (rc == 0 && !buf)
		rc = FM_ENOMEM;
	if (rc == 0 && hs_open_stream(s->db, 0, &st) != HS_SUCCESS)
		rc = FM_ENOMEM;
	/* Read at least 2 bytes (or all) to look for the gzip magic. */
	size_t len = 0, got = 1;
	while (rc == 0 && len < 2 && got) {
		rc = src_read(&sr, buf + len, CHUNK - len, &got, &why);
		len += got;
	}
	if (rc == 0 && len >= 2 && (unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b) {
		sr.gz = true;
		sr.in = malloc(ZIN > len ? ZIN : len);
		if (!sr.in || inflateInit2(&sr.z, 15 + 16) != Z_OK) {
			rc = FM_ENOMEM;
		} else {
			memcpy(sr.in, buf, len);
			sr.z.next_in = sr.in;
			sr.z.avail_in = (uInt)len;
			rc = src_read(&sr, buf, CHUNK, &len, &why);
		}
	}
	while (rc == 0 && len) {
		rc = run_segment(&r, st, scr, buf, len);
		if (rc == 0)
			rc = src_read(&sr, buf, CHUNK, &len, &why);
	}
	if (st) {
		int rc2 = rc == 0 ? run_finish(&r, st, scr) : (hs_close_stream(st, scr, NULL, NULL), 0);
		rc = rc ? rc : rc2;
	}
	if (sr.gz && sr.in)
		inflateEnd(&sr.z);
	free(sr.in);
	free(buf);
	run_release(&r);
	if (rc < 0)
		return scan_err(d, rc, name, why);
	return 0;
}

int fm_scan_fd(fm_scanner *s, int fd, const char *name, fm_scan_cb cb, void *ctx, fm_diag *d)
{
	if (!s || !cb)
		return fm_diag_set(d, FM_EUSAGE, name, 0, 0, NULL, "scan: no scanner or callback");
	return scan_fd_scr(s, s->scratch, fd, name, cb, ctx, d);
}

int fm_scan_mem(fm_scanner *s, const char *data, size_t len, const char *name, fm_scan_cb cb,
		void *ctx, fm_diag *d)
{
	if (!s || !cb || (!data && len))
		return fm_diag_set(d, FM_EUSAGE, name, 0, 0, NULL, "scan: no scanner, data or callback");
	run r;
	hs_stream_t *st = NULL;
	int rc = run_init(&r, s, name, cb, ctx);
	if (rc == 0 && hs_open_stream(s->db, 0, &st) != HS_SUCCESS)
		rc = FM_ENOMEM;
	for (size_t off = 0; rc == 0 && off < len;) {
		size_t max = fm__scan_mem_piece && fm__scan_mem_piece < MEM_PIECE ? fm__scan_mem_piece
									  : MEM_PIECE;
		size_t piece = len - off < max ? len - off : max;
		rc = run_segment(&r, st, s->scratch, data + off, piece);
		off += piece;
	}
	if (st) {
		int rc2 = rc == 0 ? run_finish(&r, st, s->scratch)
				  : (hs_close_stream(st, s->scratch, NULL, NULL), 0);
		rc = rc ? rc : rc2;
	}
	run_release(&r);
	return rc < 0 ? scan_err(d, rc, name, "scan error") : 0;
}

/* ---- many files on worker threads ---- */

typedef struct pool {
	const fm_scanner *s;
	const char *const *paths;
	size_t n, next;
	fm_scan_cb cb;
	void *ctx;
	bool serialize;
	pthread_mutex_t lock;    /* next, err_at, err */
	pthread_mutex_t cb_lock; /* one callback at a time */
	size_t err_at;           /* first failing file (n = none) */
	fm_diag err;
} pool;

static int serial_cb(const fm_match *m, void *ctx)
{
	pool *p = ctx;
	pthread_mutex_lock(&p->cb_lock);
	int r = p->cb(m, p->ctx);
	pthread_mutex_unlock(&p->cb_lock);
	return r;
}

static int scan_path(pool *p, hs_scratch_t *scr, const char *path, fm_diag *d)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return fm_diag_set(d, FM_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
	int rc = p->serialize ? scan_fd_scr(p->s, scr, fd, path, serial_cb, p, d)
			      : scan_fd_scr(p->s, scr, fd, path, p->cb, p->ctx, d);
	if (!is_stdin)
		close(fd);
	return rc;
}

static void pool_record(pool *p, size_t i, fm_diag *d)
{
	pthread_mutex_lock(&p->lock);
	if (i < p->err_at) {
		fm_diag_release(&p->err);
		p->err = *d;
		p->err_at = i;
	} else {
		fm_diag_release(d);
	}
	pthread_mutex_unlock(&p->lock);
	*d = (fm_diag)FM_DIAG_INIT;
}

static void *worker(void *arg)
{
	pool *p = arg;
	hs_scratch_t *scr = NULL;
	fm_diag d = FM_DIAG_INIT;
	bool ok = hs_clone_scratch(p->s->scratch, &scr) == HS_SUCCESS;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		size_t i = p->next < p->n ? p->next++ : p->n;
		pthread_mutex_unlock(&p->lock);
		if (i == p->n)
			break;
		int rc = ok ? scan_path(p, scr, p->paths[i], &d)
			    : fm_diag_set(&d, FM_ENOMEM, p->paths[i], 0, 0, NULL, "out of memory");
		if (rc)
			pool_record(p, i, &d);
	}
	hs_free_scratch(scr);
	return NULL;
}

int fm_scan_files(fm_scanner *s, const char *const *paths, size_t n, unsigned nthreads,
		  fm_scan_cb cb, void *ctx, fm_diag *d)
{
	if (!s || !cb || (!paths && n))
		return fm_diag_set(d, FM_EUSAGE, NULL, 0, 0, NULL, "scan: no scanner, paths or callback");
	if (nthreads == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = c > 0 ? (unsigned)c : 1;
	}
	if (nthreads > n)
		nthreads = (unsigned)n;
	pool p = {.s = s, .paths = paths, .n = n, .cb = cb, .ctx = ctx, .err_at = n,
		  .serialize = nthreads > 1, .err = FM_DIAG_INIT};
	if (nthreads <= 1) { /* in the caller's thread, with the scanner's scratch */
		int first = 0;
		for (size_t i = 0; i < n; i++) {
			fm_diag di = FM_DIAG_INIT;
			int rc = scan_path(&p, s->scratch, paths[i], &di);
			if (rc && !first) {
				first = rc;
				if (d) {
					fm_diag_release(d);
					*d = di;
					continue;
				}
			}
			fm_diag_release(&di);
		}
		return first;
	}
	pthread_t *tid = calloc(nthreads, sizeof(*tid));
	if (!tid)
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	pthread_mutex_init(&p.lock, NULL);
	pthread_mutex_init(&p.cb_lock, NULL);
	unsigned started = 0;
	while (started < nthreads && pthread_create(&tid[started], NULL, worker, &p) == 0)
		started++;
	if (started == 0)
		worker(&p); /* no thread could start: do the work here */
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	pthread_mutex_destroy(&p.lock);
	pthread_mutex_destroy(&p.cb_lock);
	if (p.err_at == n)
		return 0;
	int rc = p.err.code;
	if (d) {
		fm_diag_release(d);
		*d = p.err;
	} else {
		fm_diag_release(&p.err);
	}
	return rc;
}
