/* fuzz_scan — differential: the input bytes are a log; the Vectorscan scanner
 * (fed whole and in segments of 1, 3, 64 and 4093 bytes, so chunk boundaries
 * fall everywhere) must report exactly what the per-line reference matcher
 * reports: same (pattern, line, offset, text, truncated) in the same order.
 * Patterns: every lit:/re: signature of tests/unit/data/signatures.tsv (found
 * from this file's path) plus short ones that random bytes hit often, with
 * CR, NUL, brackets, dots, anchors and icase. Any difference aborts. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../tests/unit/scan_tsv.h"
#include "flinkmem/scan.h"

static const fm_pattern extra[] = {
	{"X_LIT", "ab", false, false},
	{"X_LIT_ICASE", "oom", false, true},
	{"X_LIT_CR", "k\r", false, false},
	{"X_DOT", "c.d", true, false},
	{"X_NEG", "a[^ ]*b", true, false},
	{"X_ANCHOR", "^x+y", true, false},
	{"X_SPACE", "[[:space:]]+z", true, false},
	{"X_ALT", "(q|w)e{2,3}", true, false},
	{"X_NEG_ICASE", "[^a]c", true, true},
	{"X_CNTRL", "m[[:cntrl:]]n", true, false},
	{"X_STAR", "g.*h", true, true},
	{"X_EXIT", "Exit Code:[[:space:]]+1", true, false},
};

typedef struct rec {
	size_t pat;
	uint64_t line, offset;
	size_t len;
	bool truncated;
	char *text; /* a copy: the reported pointer dies with the callback */
} rec;

typedef struct recs {
	rec *v;
	size_t n, cap;
} recs;

static int collect(const fm_match *m, void *ctx)
{
	recs *r = ctx;
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		rec *nv = realloc(r->v, cap * sizeof(*nv));
		if (!nv)
			abort();
		r->v = nv;
		r->cap = cap;
	}
	char *t = malloc(m->len + 1);
	if (!t)
		abort();
	memcpy(t, m->text, m->len);
	r->v[r->n++] = (rec){m->pat, m->line, m->offset, m->len, m->truncated, t};
	return 0;
}

static fm_pattern *pats;
static size_t npats;
static fm_scanner *scanner;

static void setup(void)
{
	static scan_tsv tsv;
	char path[4096];
	const char *slash = strrchr(__FILE__, '/');
	int dl = slash ? (int)(slash - __FILE__) : 1;
	snprintf(path, sizeof(path), "%.*s/../tests/unit/data/signatures.tsv", dl,
		 slash ? __FILE__ : ".");
	if (scan_tsv_load(&tsv, path) != 0) {
		fprintf(stderr, "fuzz_scan: cannot load %s\n", path);
		abort();
	}
	npats = tsv.n + sizeof(extra) / sizeof(extra[0]);
	pats = calloc(npats, sizeof(*pats));
	if (!pats)
		abort();
	memcpy(pats, tsv.pats, tsv.n * sizeof(*pats));
	memcpy(pats + tsv.n, extra, sizeof(extra));
	fm_diag d = FM_DIAG_INIT;
	scanner = fm_scanner_new(pats, npats, &d);
	if (!scanner) {
		fprintf(stderr, "fuzz_scan: %s\n", d.msg ? d.msg : "scanner");
		abort();
	}
}

static void clear(recs *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].text);
	r->n = 0;
}

static bool same(const recs *a, const recs *b)
{
	if (a->n != b->n)
		return false;
	for (size_t i = 0; i < a->n; i++) {
		const rec *x = &a->v[i], *y = &b->v[i];
		if (x->pat != y->pat || x->line != y->line || x->offset != y->offset ||
		    x->len != y->len || x->truncated != y->truncated ||
		    memcmp(x->text, y->text, x->len) != 0)
			return false;
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!scanner)
		setup();
	const char *text = size ? (const char *)data : "";
	recs want = {0}, got = {0};
	if (fm_scan_ref_mem(pats, npats, text, size, "in", collect, &want, NULL) != 0)
		abort();
	static const size_t pieces[] = {0, 1, 3, 64, 4093};
	for (size_t k = 0; k < sizeof(pieces) / sizeof(pieces[0]); k++) {
		fm__scan_mem_piece = pieces[k];
		clear(&got);
		if (fm_scan_mem(scanner, text, size, "in", collect, &got, NULL) != 0)
			abort();
		if (!same(&want, &got)) {
			fprintf(stderr, "fuzz_scan: piece %zu: scanner %zu reports, reference %zu\n",
				pieces[k], got.n, want.n);
			for (size_t i = 0; i < want.n || i < got.n; i++)
				fprintf(stderr, "  ref %s:%llu  scan %s:%llu\n",
					i < want.n ? pats[want.v[i].pat].id : "-",
					i < want.n ? (unsigned long long)want.v[i].line : 0ULL,
					i < got.n ? pats[got.v[i].pat].id : "-",
					i < got.n ? (unsigned long long)got.v[i].line : 0ULL);
			abort();
		}
	}
	fm__scan_mem_piece = 0;
	clear(&want);
	clear(&got);
	free(want.v);
	free(got.v);
	return 0;
}
