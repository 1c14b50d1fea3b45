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
 *    counted (SIMD), so non-matching lines cost no per-line work. Its
 *    maintainers say late reports can happen around zero-width assertions
 *    (\b, \z: intel/hyperscan#289), which our dialect does not have; a
 *    report for a line already delivered fails the scan (FM_EINVAL) rather
 *    than break the order silently.
 *  - A match is kept for its line when its end does not pass the text end:
 *    that drops exactly the matches that used the CR of a CR LF ending.
 *  - Only the first FM_SCAN_LINE_MAX bytes of a line that straddles chunks
 *    are copied (for the report); matching itself sees the whole line. */
#include "flinkmem/scan.h"
#include "flinkmem/utf16.h"

#include <errno.h>
#include <fcntl.h>
#include <hs.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "flinkmem/buf.h"
#include "hs_dl.h"

#define CHUNK ((size_t)128 * 1024) /* read() size: the buffer stays in L2 */
#define PAGE ((size_t)4096)
/* Read buffers are page-aligned, and split-file reads start at page-aligned
 * offsets: the kernel's copy from the page cache (rep movsb) ran 5-8x slower
 * into a malloc'd buffer 16 bytes off a page boundary on the AMD EPYC we
 * measured (docs/perf.md), which made read() a third of the scan's CPU time. */
static char *chunk_alloc(void)
{
	return aligned_alloc(PAGE, CHUNK);
}
#define ZIN ((size_t)64 * 1024)    /* compressed input buffer */
#define MEM_PIECE ((size_t)1 << 30) /* hs_scan_stream takes an unsigned length */

size_t fm__scan_mem_piece; /* test hook, see scan.h */

struct fm_scanner {
	const fm_pattern *pats;
	size_t n;
	hs_database_t *db;
	hs_scratch_t *scratch; /* for fm_scan_fd/fm_scan_mem; workers clone it */
	bool prebuilt;         /* db came from a serialized blob, not a compile */
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

/* FNV-1a over everything of ours that decides the compiled database: the
 * patterns in order (id, text, flags). A prebuilt database is used only for
 * the exact pattern set it was made of; Vectorscan's serialized form carries
 * its own release, which hs_deserialize_database checks. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	for (const unsigned char *c = p; n--; c++)
		h = (h ^ *c) * 0x100000001b3ull;
	return h;
}

uint64_t fm_scanner_fingerprint(const fm_pattern *pats, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	h = fnv(h, &n, sizeof(n));
	for (size_t i = 0; i < n; i++) {
		const char *id = pats[i].id ? pats[i].id : "", *ex = pats[i].expr ? pats[i].expr : "";
		unsigned char fl = (unsigned char)((pats[i].regex ? 1 : 0) | (pats[i].icase ? 2 : 0));
		h = fnv(h, id, strlen(id) + 1);
		h = fnv(h, ex, strlen(ex) + 1);
		h = fnv(h, &fl, 1);
	}
	return h;
}

static fm_scanner *scanner_alloc(const fm_pattern *pats, size_t n, fm_diag *d)
{
	if (!pats || n == 0 || n > UINT_MAX) {
		fm_diag_set(d, FM_EUSAGE, NULL, 0, 0, NULL, "scan: no patterns");
		return NULL;
	}
	const char *missing = NULL;
	if (!fm_hs_api_get(&missing)) {
		fm_diag_set(d, FM_EIO, NULL, 0, 0, NULL, "scan: cannot load Vectorscan: %s",
			    missing ? missing : "unknown");
		return NULL;
	}
	fm_scanner *s = calloc(1, sizeof(*s));
	if (!s) {
		fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
		return NULL;
	}
	s->pats = pats;
	s->n = n;
	return s;
}

fm_scanner *fm_scanner_new(const fm_pattern *pats, size_t n, fm_diag *d)
{
	fm_scanner *s = scanner_alloc(pats, n, d);
	if (!s)
		return NULL;
	char **exprs = calloc(n, sizeof(*exprs));
	unsigned *flags = calloc(n, sizeof(*flags)), *ids = calloc(n, sizeof(*ids));
	int rc = (exprs && flags && ids) ? 0 : FM_ENOMEM;
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
	if (rc == 0)
		return s;
	fm_scanner_free(s);
	return NULL;
}

/* Blob layout: magic, fingerprint (little endian), then Vectorscan's own
 * serialized bytes (which carry its version and the platform they were
 * compiled for; hs_deserialize_database refuses a foreign version). */
static const char blob_magic[8] = {'F', 'M', 'H', 'S', 'D', 'B', '1', '\0'};
#define BLOB_HEAD (sizeof(blob_magic) + 8)

int fm_scanner_serialize(const fm_scanner *s, char **bytes, size_t *len, fm_diag *d)
{
	char *hb = NULL;
	size_t hn = 0;
	*bytes = NULL;
	*len = 0;
	if (hs_serialize_database(s->db, &hb, &hn) != HS_SUCCESS || !hb)
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "scan: cannot serialize the database");
	char *out = malloc(BLOB_HEAD + hn);
	if (!out) {
		free(hb);
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	}
	uint64_t fp = fm_scanner_fingerprint(s->pats, s->n);
	memcpy(out, blob_magic, sizeof(blob_magic));
	for (int i = 0; i < 8; i++)
		out[sizeof(blob_magic) + (size_t)i] = (char)(fp >> (8 * i));
	memcpy(out + BLOB_HEAD, hb, hn);
	free(hb); /* hs_serialize_database allocates with the default (malloc) allocator */
	*bytes = out;
	*len = BLOB_HEAD + hn;
	return 0;
}

/* The prebuilt database when it fits: same pattern set, a Vectorscan that
 * reads it, and a CPU it was built for (scratch allocation validates the
 * platform). Anything else is not an error: it costs a compile. */
static bool load_blob(fm_scanner *s, const void *blob, size_t len)
{
	const unsigned char *b = blob;
	if (!b || len <= BLOB_HEAD || memcmp(b, blob_magic, sizeof(blob_magic)) != 0)
		return false;
	uint64_t fp = 0;
	for (int i = 0; i < 8; i++)
		fp |= (uint64_t)b[sizeof(blob_magic) + (size_t)i] << (8 * i);
	if (fp != fm_scanner_fingerprint(s->pats, s->n))
		return false;
	if (hs_deserialize_database((const char *)b + BLOB_HEAD, len - BLOB_HEAD, &s->db) != HS_SUCCESS)
		return s->db = NULL, false;
	if (hs_alloc_scratch(s->db, &s->scratch) != HS_SUCCESS) {
		hs_free_database(s->db);
		s->db = NULL;
		s->scratch = NULL;
		return false;
	}
	s->prebuilt = true;
	return true;
}

fm_scanner *fm_scanner_new_prebuilt(const fm_pattern *pats, size_t n, const void *blob, size_t len,
				    fm_diag *d)
{
	fm_scanner *s = scanner_alloc(pats, n, d);
	if (!s)
		return NULL;
	if (load_blob(s, blob, len))
		return s;
	free(s);
	return fm_scanner_new(pats, n, d);
}

bool fm_scanner_is_prebuilt(const fm_scanner *s)
{
	return s && s->prebuilt;
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
	uint64_t origin;   /* absolute offset of the stream's byte 0 */
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

/* Newlines in p[0..n): per-byte 0/1 flags summed in byte lanes, flushed
 * before any lane can overflow (SSE2 on x86-64, else 8 bytes in a u64). */
static uint64_t count_nl(const char *p, size_t n)
{
	uint64_t total = 0;
	size_t i = 0;
#ifdef __SSE2__
	const __m128i nl = _mm_set1_epi8('\n'), zero = _mm_setzero_si128();
	while (i + 16 <= n) {
		__m128i acc = zero;
		for (unsigned k = 0; k < 255 && i + 16 <= n; k++, i += 16) /* eq is -1 per LF */
			acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), nl));
		__m128i sum = _mm_sad_epu8(acc, zero);
		total += (uint64_t)_mm_cvtsi128_si64(sum) +
			 (uint64_t)_mm_cvtsi128_si64(_mm_unpackhi_epi64(sum, sum));
	}
#else
	const uint64_t ones = 0x0101010101010101ULL, lo7 = ones * 0x7f;
	while (i + 8 <= n) {
		uint64_t acc = 0;
		for (unsigned k = 0; k < 255 && i + 8 <= n; k++, i += 8) {
			uint64_t x;
			memcpy(&x, p + i, 8);
			x ^= ones * '\n';
			uint64_t t = ((x & lo7) + lo7) | x; /* high bit set iff byte != LF */
			acc += (~t >> 7) & ones;
		}
		total += (acc * ones) >> 56;
	}
#endif
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
	to += r->origin;
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

/* errno is that of the failed read for FM_EIO. */
static int scan_err(fm_diag *d, int rc, const char *name, const char *what)
{
	char ebuf[128];
	if (rc == FM_ENOMEM)
		return fm_diag_set(d, rc, name, 0, 0, NULL, "out of memory");
	if (rc == FM_EINVAL)
		return fm_diag_set(d, rc, name, 0, 0, NULL, "internal scanner error (match order)");
	if (rc == FM_EIO)
		return fm_diag_set(d, rc, name, 0, 0, NULL, "%s: %s", what,
				   strerror_r(errno, ebuf, sizeof(ebuf)));
	return fm_diag_set(d, rc, name, 0, 0, NULL, "%s", what);
}

/* Byte source over an fd: plain, gzip detected from its magic, or UTF-16
 * (utf16.h) read as UTF-8. */
typedef struct src {
	int fd;
	bool gz, fd_eof, member_end;
	z_stream z;
	unsigned char *in;
	fm_utf16 u16;
	bool u16_start;     /* nothing converted yet: a byte-order mark may come */
	size_t nin, incap;  /* UTF-16 bytes held in in[] */
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

/* UTF-16 input: converts what in[] holds, topped up from the fd, into at
 * most cap bytes of UTF-8; an incomplete unit waits for the next read. */
static int src_read_u16(src *sr, char *buf, size_t cap, size_t *got, const char **why)
{
	size_t room = (cap - 3) / 3 * 2; /* input whose UTF-8 fits cap */
	for (;;) {
		if (sr->nin < room && sr->nin < sr->incap && !sr->fd_eof) {
			size_t n;
			if (read_some(sr->fd, sr->in + sr->nin, sr->incap - sr->nin, &n))
				return *why = "read error", FM_EIO;
			sr->fd_eof = n == 0;
			sr->nin += n;
		}
		size_t take = sr->nin < room ? sr->nin : room, used;
		*got = fm_utf16_to_utf8(sr->in, take, sr->u16, sr->u16_start, sr->fd_eof && take == sr->nin, buf, &used);
		if (used)
			sr->u16_start = false;
		memmove(sr->in, sr->in + used, sr->nin - used);
		sr->nin -= used;
		if (*got || (sr->fd_eof && !sr->nin))
			return 0;
	}
}

/* Fills buf with up to cap bytes; *got == 0 means end of input. */
static int src_read(src *sr, char *buf, size_t cap, size_t *got, const char **why)
{
	if (sr->u16)
		return src_read_u16(sr, buf, cap, got, why);
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
	char *buf = chunk_alloc();
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
	} else if (rc == 0 && (sr.u16 = fm_utf16_detect(buf, len)) != FM_UTF16_NONE) {
		/* what was read is converted first, then the rest */
		sr.u16_start = true;
		sr.incap = (CHUNK - 3) / 3 * 2 > len ? (CHUNK - 3) / 3 * 2 : len;
		if (!(sr.in = malloc(sr.incap))) {
			rc = FM_ENOMEM;
		} else {
			memcpy(sr.in, buf, len);
			sr.nin = len;
			rc = src_read(&sr, buf, CHUNK, &len, &why);
		}
	}
	/* a gzip file cut short (copied while written, half downloaded): what
	 * inflated before the cut is scanned to its end, then the cut reported */
	bool cut = false;
	while (rc == 0 && len) {
		rc = run_segment(&r, st, scr, buf, len);
		if (rc == 0)
			rc = src_read(&sr, buf, CHUNK, &len, &why);
		if (rc == FM_ESYNTAX && sr.gz && !strcmp(why, "truncated gzip data")) {
			cut = true;
			rc = 0;
			len = 0;
		}
	}
	int eno = errno; /* of a failed read, for the message */
	if (st) {
		int rc2 = rc == 0 ? run_finish(&r, st, scr) : (hs_close_stream(st, scr, NULL, NULL), 0);
		rc = rc ? rc : rc2;
	}
	if (sr.gz && sr.in)
		inflateEnd(&sr.z);
	free(sr.in);
	free(buf);
	run_release(&r);
	errno = eno;
	if (rc < 0)
		return scan_err(d, rc, name, why);
	if (cut)
		return fm_diag_set(d, FM_ESYNTAX, name, 0, 0, NULL, "%s", FM_SCAN_GZIP_CUT);
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

/* ---- one byte range of a big plain file (for parallel scans) ---- */

/* Scans the lines that start in [a, b) of fd (b = UINT64_MAX: to EOF) with
 * pread, line numbers counted from 1 at the first of them; *lfs gets the
 * number of LFs passed, so the caller can renumber. */
static int scan_range(const fm_scanner *s, hs_scratch_t *scr, int fd, const char *name,
		      uint64_t a, uint64_t b, fm_scan_cb cb, void *ctx, uint64_t *lfs, fm_diag *d)
{
	run r;
	char *buf = chunk_alloc();
	hs_stream_t *st = NULL;
	int rc = run_init(&r, s, name, cb, ctx);
	if (rc == 0 && !buf)
		rc = FM_ENOMEM;
	uint64_t pos = a ? a - 1 : 0;
	bool found = a == 0;
	while (rc == 0 && !found) { /* the first line starting at or after a */
		ssize_t n = pread(fd, buf, 4096, (off_t)pos);
		if (n <= 0) {
			rc = n < 0 && errno != EINTR ? FM_EIO : 0;
			if (n == 0)
				break;
			continue;
		}
		const char *nl = memchr(buf, '\n', (size_t)n);
		pos += nl ? (uint64_t)(nl - buf) + 1 : (uint64_t)n;
		found = nl != NULL;
	}
	if (b != UINT64_MAX && pos >= b)
		found = false; /* inside one long line: no line starts here */
	if (rc == 0 && found && hs_open_stream(s->db, 0, &st) != HS_SUCCESS)
		rc = FM_ENOMEM;
	r.origin = r.base = r.cursor = r.lstart = pos;
	for (bool last = false; rc == 0 && st && !last;) {
		/* from the page holding pos (see chunk_alloc); after the first
		 * read, pos stays page-aligned until the range's last chunk */
		size_t skip = (size_t)(pos % PAGE), want = CHUNK;
		if (b != UINT64_MAX && b > pos && b - pos + skip + PAGE < want) /* not far past b */
			want = (size_t)(b - pos) + skip + PAGE;
		ssize_t n = pread(fd, buf, want, (off_t)(pos - skip));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= (ssize_t)skip) {
			rc = n < 0 ? FM_EIO : 0;
			break;
		}
		const char *data = buf + skip;
		size_t use = (size_t)n - skip;
		if (b != UINT64_MAX && pos + use > b - 1) { /* stop after the LF ending the line at b-1 */
			size_t from = pos >= b - 1 ? 0 : (size_t)(b - 1 - pos);
			const char *nl = memchr(data + from, '\n', use - from);
			if (nl) {
				use = (size_t)(nl - data) + 1;
				last = true;
			}
		}
		rc = run_segment(&r, st, scr, data, use);
		pos += use;
	}
	int eno = errno; /* of a failed read, for the message */
	if (st) {
		int rc2 = rc == 0 ? run_finish(&r, st, scr) : (hs_close_stream(st, scr, NULL, NULL), 0);
		rc = rc ? rc : rc2;
	}
	*lfs = r.line - 1;
	free(buf);
	run_release(&r);
	errno = eno;
	return rc < 0 ? scan_err(d, rc, name, "read error") : 0;
}

/* ---- many files on worker threads ---- */

/* Files of at least 2 ranges are split into ranges scanned in parallel;
 * each range buffers its reports (up to RANGE_BUF bytes, then waits) until
 * every earlier range of its file has delivered, then renumbers and
 * delivers them: reports stay in line order, memory stays bounded. A range
 * that ends before its turn parks its reports (up to PARK_MAX ranges per
 * file) for the range before it to deliver, and its thread goes on with
 * the next range instead of waiting: on a busy machine one thread may be
 * off the CPU for a while, and the other should not stall at every range
 * end meanwhile. */
#define RANGE_SIZE ((uint64_t)32 << 20)
#define RANGE_BUF ((size_t)1 << 20)
#define PARK_MAX 4
uint64_t fm__scan_range_size; /* test hook, see scan.h */
size_t fm__scan_parked;       /* test hook, see scan.h */

typedef struct held held;

typedef struct parked { /* a finished range waiting for its turn */
	held *held;
	size_t nheld;
	uint64_t lfs;
	bool ready;
} parked;

typedef struct job {  /* one file */
	const char *path;
	size_t nranges;
	uint64_t size;
	size_t done;         /* ranges [0, done) have delivered */
	uint64_t lines_done; /* LFs in those ranges */
	bool stop;           /* the callback asked to stop this file */
	parked park[PARK_MAX]; /* range k (done < k <= done + PARK_MAX) at k % PARK_MAX */
} job;

typedef struct pool {
	const fm_scanner *s;
	job *jobs;
	size_t n, next_file, next_range;
	fm_scan_cb cb;
	void *ctx;
	pthread_mutex_t lock;    /* queue, jobs' done/lines_done/stop, err */
	pthread_cond_t turn;     /* a range finished */
	pthread_mutex_t cb_lock; /* one callback at a time */
	size_t err_at;           /* first failing file (n = none) */
	fm_diag err;
	fm_diag *each;           /* fm_scan_files_each: every file's error, NULL */
} pool;

struct held {
	fm_match m;
	char *text;
};

typedef struct ranger { /* the reports of one range on their way out */
	pool *p;
	job *j;
	size_t range;
	bool turn;           /* earlier ranges are done: deliver directly */
	uint64_t line_base;
	held *held;
	size_t nheld, capheld, bytes;
	int err;
} ranger;

static int deliver(ranger *g, const fm_match *m)
{
	if (g->j->stop)
		return 1;
	fm_match x = *m;
	x.line += g->line_base;
	pthread_mutex_lock(&g->p->cb_lock);
	int r = g->p->cb(&x, g->p->ctx);
	pthread_mutex_unlock(&g->p->cb_lock);
	g->j->stop = r != 0;
	return r;
}

/* Delivers (unless stopped) and frees n held reports. */
static void deliver_held(ranger *g, held *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h[i].m.text = h[i].text;
		deliver(g, &h[i].m);
		free(h[i].text);
	}
}

/* Takes the turn (waiting for it when `wait`) and delivers what is held. */
static bool take_turn(ranger *g, bool wait)
{
	pool *p = g->p;
	pthread_mutex_lock(&p->lock);
	while (wait && g->j->done != g->range)
		pthread_cond_wait(&p->turn, &p->lock);
	if (g->j->done == g->range) {
		g->turn = true;
		g->line_base = g->j->lines_done;
	}
	pthread_mutex_unlock(&p->lock);
	if (g->turn) {
		deliver_held(g, g->held, g->nheld);
		g->nheld = g->bytes = 0;
	}
	return g->turn;
}

/* Ends range g->range's turn (it has delivered, or failed): the next range
 * may go; parked ranges that are next are delivered here, in order. */
static void end_turn(ranger *g, uint64_t lfs)
{
	pool *p = g->p;
	job *j = g->j;
	pthread_mutex_lock(&p->lock);
	j->done++;
	j->lines_done += lfs;
	for (;;) {
		pthread_cond_broadcast(&p->turn);
		parked *pk = &j->park[j->done % PARK_MAX];
		if (j->done >= j->nranges || !pk->ready)
			break;
		parked x = *pk;
		*pk = (parked){0};
		ranger next = {.p = p, .j = j, .range = j->done, .turn = true, .line_base = j->lines_done};
		pthread_mutex_unlock(&p->lock); /* its range cannot take the turn: done is not past it */
		deliver_held(&next, x.held, x.nheld);
		free(x.held);
		pthread_mutex_lock(&p->lock);
		j->done++;
		j->lines_done += x.lfs;
	}
	pthread_mutex_unlock(&p->lock);
}

/* Parks a finished range's reports when it is not its turn yet and there
 * is room; false when it must wait for its turn instead. */
static bool park(ranger *g, uint64_t lfs)
{
	pool *p = g->p;
	job *j = g->j;
	pthread_mutex_lock(&p->lock);
	bool ok = j->done != g->range && g->range <= j->done + PARK_MAX;
	if (ok) {
		j->park[g->range % PARK_MAX] = (parked){g->held, g->nheld, lfs, true};
		g->held = NULL;
		g->nheld = 0;
		fm__scan_parked++; /* under p->lock */
	}
	pthread_mutex_unlock(&p->lock);
	return ok;
}

static int range_cb(const fm_match *m, void *ctx)
{
	ranger *g = ctx;
	if (g->turn || take_turn(g, g->bytes + m->len + sizeof(held) > RANGE_BUF))
		return deliver(g, m);
	if (g->nheld == g->capheld) {
		size_t cap = g->capheld ? 2 * g->capheld : 16;
		held *nh = realloc(g->held, cap * sizeof(*nh));
		if (!nh)
			return g->err = FM_ENOMEM, 1;
		g->held = nh;
		g->capheld = cap;
	}
	char *t = malloc(m->len ? m->len : 1);
	if (!t)
		return g->err = FM_ENOMEM, 1;
	memcpy(t, m->text, m->len);
	g->held[g->nheld++] = (held){*m, t};
	g->bytes += m->len + sizeof(held);
	return 0;
}

static void pool_record(pool *p, size_t i, fm_diag *d)
{
	pthread_mutex_lock(&p->lock);
	if (p->each && i < p->n && !p->each[i].code)
		fm_diag_set(&p->each[i], d->code, d->file, d->line, d->col, NULL, "%s", d->msg ? d->msg : fm_strerror(d->code));
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

static int open_path(const char *path, fm_diag *d)
{
	if (strcmp(path, "-") == 0)
		return STDIN_FILENO;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		fm_diag_set(d, FM_EIO, path, 0, 0, NULL, "cannot open: %s", strerror(errno));
	return fd;
}

static void run_range(pool *p, hs_scratch_t *scr, size_t f, size_t k, fm_diag *d)
{
	job *j = &p->jobs[f];
	ranger g = {.p = p, .j = j, .range = k};
	uint64_t lfs = 0;
	int fd = open_path(j->path, d), rc = fd < 0 ? FM_EIO : 0;
	if (rc == 0 && j->nranges == 1) {
		rc = scan_fd_scr(p->s, scr, fd, j->path, range_cb, &g, d);
	} else if (rc == 0) {
		uint64_t rs = j->size / j->nranges;
		rc = scan_range(p->s, scr, fd, j->path, k * rs, k + 1 == j->nranges ? UINT64_MAX : (k + 1) * rs,
				range_cb, &g, &lfs, d);
	}
	if (fd > STDIN_FILENO)
		close(fd);
	if (rc == 0 && g.err)
		rc = fm_diag_set(d, g.err, j->path, 0, 0, NULL, "out of memory");
	if (rc || g.turn || !park(&g, lfs)) {
		take_turn(&g, true);
		for (size_t i = 0; i < g.nheld; i++) /* left by a stop */
			free(g.held[i].text);
		free(g.held);
		end_turn(&g, lfs);
	}
	if (rc)
		pool_record(p, f, d);
}

static void *worker(void *arg)
{
	pool *p = arg;
	hs_scratch_t *scr = NULL;
	fm_diag d = FM_DIAG_INIT;
	bool ok = hs_clone_scratch(p->s->scratch, &scr) == HS_SUCCESS;
	for (;;) {
		pthread_mutex_lock(&p->lock);
		while (p->next_file < p->n && p->next_range == p->jobs[p->next_file].nranges) {
			p->next_file++;
			p->next_range = 0;
		}
		size_t f = p->next_file, k = p->next_range++;
		pthread_mutex_unlock(&p->lock);
		if (f == p->n)
			break;
		if (ok) {
			run_range(p, scr, f, k, &d);
		} else { /* still take part in the turn order */
			ranger g = {.p = p, .j = &p->jobs[f], .range = k};
			take_turn(&g, true);
			end_turn(&g, 0);
			fm_diag_set(&d, FM_ENOMEM, p->jobs[f].path, 0, 0, NULL, "out of memory");
			pool_record(p, f, &d);
		}
	}
	hs_free_scratch(scr);
	return NULL;
}

/* Number of ranges for a path: big plain regular files only. */
static size_t plan_ranges(const char *path, unsigned nthreads, uint64_t *size)
{
	uint64_t rs = fm__scan_range_size ? fm__scan_range_size : RANGE_SIZE;
	struct stat st;
	if (nthreads < 2 || strcmp(path, "-") == 0 || stat(path, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (uint64_t)st.st_size < 2 * rs)
		return 1;
	unsigned char magic[512] = {0};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 1;
	ssize_t n = pread(fd, magic, sizeof magic, 0);
	close(fd);
	/* gzip and UTF-16 are read from their start, whole */
	if (n < 2 || (magic[0] == 0x1f && magic[1] == 0x8b) || fm_utf16_detect(magic, (size_t)n) != FM_UTF16_NONE)
		return 1;
	*size = (uint64_t)st.st_size;
	return (size_t)(*size / rs);
}

int fm_scan_files(fm_scanner *s, const char *const *paths, size_t n, unsigned nthreads,
		  fm_scan_cb cb, void *ctx, fm_diag *d)
{
	return fm_scan_files_each(s, paths, n, nthreads, cb, ctx, NULL, d);
}

int fm_scan_files_each(fm_scanner *s, const char *const *paths, size_t n, unsigned nthreads,
		       fm_scan_cb cb, void *ctx, fm_diag *each, fm_diag *d)
{
	if (!s || !cb || (!paths && n))
		return fm_diag_set(d, FM_EUSAGE, NULL, 0, 0, NULL, "scan: no scanner, paths or callback");
	if (nthreads == 0) {
		long c = sysconf(_SC_NPROCESSORS_ONLN);
		nthreads = c > 0 ? (unsigned)c : 1;
	}
	pool p = {.s = s, .n = n, .cb = cb, .ctx = ctx, .err_at = n, .err = FM_DIAG_INIT, .each = each};
	p.jobs = calloc(n ? n : 1, sizeof(*p.jobs));
	if (!p.jobs)
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	size_t items = 0;
	for (size_t i = 0; i < n; i++) {
		p.jobs[i].path = paths[i];
		p.jobs[i].nranges = plan_ranges(paths[i], nthreads, &p.jobs[i].size);
		items += p.jobs[i].nranges;
	}
	if (nthreads > items)
		nthreads = (unsigned)items;
	pthread_t *tid = calloc(nthreads ? nthreads : 1, sizeof(*tid));
	if (!tid) {
		free(p.jobs);
		return fm_diag_set(d, FM_ENOMEM, NULL, 0, 0, NULL, "out of memory");
	}
	pthread_mutex_init(&p.lock, NULL);
	pthread_mutex_init(&p.cb_lock, NULL);
	pthread_cond_init(&p.turn, NULL);
	/* 1 MiB stacks, not glibc's 8 MiB: the workers run Vectorscan and the
	 * per-line callbacks (shallow), and under an address-space limit
	 * (prlimit --as, ulimit -v) two 8 MiB reservations leave too little
	 * for the buffers, so a run failed now and then with "out of memory" */
	pthread_attr_t attr;
	bool attr_ok = pthread_attr_init(&attr) == 0;
	if (attr_ok)
		pthread_attr_setstacksize(&attr, (size_t)1 << 20);
	unsigned started = 0;
	while (nthreads > 1 && started < nthreads &&
	       pthread_create(&tid[started], attr_ok ? &attr : NULL, worker, &p) == 0)
		started++;
	if (attr_ok)
		pthread_attr_destroy(&attr);
	if (started == 0)
		worker(&p); /* one thread (or none could start): work here */
	for (unsigned i = 0; i < started; i++)
		pthread_join(tid[i], NULL);
	free(tid);
	free(p.jobs);
	pthread_mutex_destroy(&p.lock);
	pthread_mutex_destroy(&p.cb_lock);
	pthread_cond_destroy(&p.turn);
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
