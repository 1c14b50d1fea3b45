/* test_catalogue — the failure-message catalogue (data/messages.tsv) against
 * the signature table: one generated test per row. Each row's sample (its
 * message embedded in a realistic log line or trace) must hold the row's
 * match text, the Vectorscan scan and the reference matcher must report the
 * same signature hits on it, and `diagnose` must name the row's failure kind
 * and process (a TM/JM row as the root cause; an outside process as an
 * `outside` incident with no root cause; `none` as no failure at all). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "flinkmem/diagnose.h"
#include "flinkmem/jchain.h"
#include "flinkmem/scan.h"
#include "flinkmem/signatures.h"

enum { C_ID, C_PRODUCER, C_RELEASES, C_MATCH, C_KIND, C_PROCESS, C_SAMPLE, C_SOURCE, NCOL };

typedef struct row {
	char *f[NCOL];
	char *sample; /* unescaped */
	size_t slen;
	unsigned line;
} row;

static row *rows;
static size_t nrows;
static char *file_text;
static fm_scanner *scanner;

/* \n, \t and \\ in the sample column; any other backslash stays. */
static char *unescape(const char *s, size_t *len)
{
	size_t n = strlen(s), k = 0;
	char *o = malloc(n + 1);
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n && (s[i + 1] == 'n' || s[i + 1] == 't' || s[i + 1] == '\\')) {
			o[k++] = s[i + 1] == 'n' ? '\n' : s[i + 1] == 't' ? '\t' : '\\';
			i++;
		} else {
			o[k++] = s[i];
		}
	}
	o[k] = '\0';
	*len = k;
	return o;
}

static int load(void)
{
	const char *td = getenv("FM_TESTDATA");
	char path[4096];
	snprintf(path, sizeof path, "%s/../data/messages.tsv", td ? td : "tests");
	FILE *fp = fopen(path, "rb");
	if (!fp) {
		fprintf(stderr, "cannot open %s\n", path);
		return -1;
	}
	size_t cap = 1 << 16, len = 0;
	file_text = malloc(cap);
	size_t r;
	while (file_text && (r = fread(file_text + len, 1, cap - len - 1, fp)) > 0) {
		len += r;
		if (len + 1 == cap) {
			char *nv = realloc(file_text, cap *= 2);
			if (!nv) {
				free(file_text);
				file_text = NULL;
			}
			file_text = nv;
		}
	}
	fclose(fp);
	if (!file_text)
		return -1;
	file_text[len] = '\0';
	size_t maxrows = 1;
	for (size_t i = 0; i < len; i++)
		maxrows += file_text[i] == '\n';
	rows = calloc(maxrows, sizeof *rows);
	if (!rows)
		return -1;
	unsigned lineno = 0;
	bool header = false;
	for (char *p = file_text; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		if (*p && *p != '#') {
			if (!header) {
				if (strncmp(p, "id\tproducer\treleases\tmatch\tkind\tprocess\tsample\tsource", 52)) {
					fprintf(stderr, "%s:%u: bad header\n", path, lineno);
					return -1;
				}
				header = true;
			} else {
				row *w = &rows[nrows];
				w->line = lineno;
				size_t c = 0;
				char *q = p;
				while (c < NCOL) {
					w->f[c++] = q;
					char *t = strchr(q, '\t');
					if (!t)
						break;
					*t = '\0';
					q = t + 1;
				}
				if (c != NCOL || strchr(q, '\t')) {
					fprintf(stderr, "%s:%u: %zu columns, want %d\n", path, lineno, c, NCOL);
					return -1;
				}
				if (!(w->sample = unescape(w->f[C_SAMPLE], &w->slen)))
					return -1;
				nrows++;
			}
		}
		p = nl ? nl + 1 : NULL;
	}
	return 0;
}

/* ---- scanner hits ---------------------------------------------------------- */

typedef struct hits {
	size_t n, cap;
	uint64_t *v; /* line << 16 | pattern */
} hits;

static int on_hit(const fm_match *m, void *ctx)
{
	hits *h = ctx;
	if (h->n == h->cap) {
		size_t nc = h->cap ? h->cap * 2 : 32;
		uint64_t *nv = realloc(h->v, nc * sizeof *nv);
		if (!nv)
			return 1;
		h->v = nv;
		h->cap = nc;
	}
	h->v[h->n++] = m->line << 16 | m->pat;
	return 0;
}

static bool kind_known(const char *k)
{
	if (!strcmp(k, "none"))
		return true;
	for (int f = 1; f < FM_F_COUNT; f++)
		if (!strcmp(k, fm_failure_name((fm_failure)f)))
			return true;
	return false;
}

static bool proc_known(const char *p)
{
	static const char *v[] = {"taskmanager", "jobmanager", "client", "sql-gateway", "history-server",
				  "job-server",  "operator",   "submitter", "unknown", "-", NULL};
	for (size_t i = 0; v[i]; i++)
		if (!strcmp(p, v[i]))
			return true;
	return false;
}

static void run_row(void **st)
{
	const row *w = *st;
	const char *id = w->f[C_ID], *kind = w->f[C_KIND], *proc = w->f[C_PROCESS], *match = w->f[C_MATCH];
	/* 1. the sample holds the producer's text */
	size_t npat;
	const fm_pattern *pats = fm_signature_patterns(&npat);
	if (!strncmp(match, "lit:", 4)) {
		if (!memmem(w->sample, w->slen, match + 4, strlen(match + 4)))
			fail_msg("%s: sample does not hold its match text", id);
	} else if (!strncmp(match, "re:", 3)) {
		fm_pattern one = {id, match + 3, true, false};
		hits h = {0};
		fm_diag d = FM_DIAG_INIT;
		assert_int_equal(fm_scan_ref_mem(&one, 1, w->sample, w->slen, id, on_hit, &h, &d), 0);
		size_t n = h.n;
		free(h.v);
		fm_diag_release(&d);
		if (!n)
			fail_msg("%s: sample does not match its pattern", id);
	} else {
		fail_msg("%s: match must start with lit: or re:", id);
	}
	/* 2. Vectorscan and the reference matcher agree on the sample */
	hits a = {0}, b = {0};
	fm_diag d = FM_DIAG_INIT;
	assert_int_equal(fm_scan_mem(scanner, w->sample, w->slen, id, on_hit, &a, &d), 0);
	assert_int_equal(fm_scan_ref_mem(pats, npat, w->sample, w->slen, id, on_hit, &b, &d), 0);
	assert_int_equal(a.n, b.n);
	for (size_t i = 0; i < a.n; i++)
		assert_int_equal(a.v[i], b.v[i]);
	free(a.v);
	free(b.v);
	/* 3. diagnose names the kind and the process */
	fm_dx_opts o = {0};
	o.scanner = scanner;
	o.jobs = 1;
	fm_dx_result r;
	assert_int_equal(fm_diagnose_mem(w->sample, w->slen, "input.log", &o, &r, &d), 0);
	if (!strcmp(kind, "none")) {
		for (size_t i = 0; i < r.a.n; i++)
			if (!r.a.v[i].outside && !r.a.v[i].aftermath)
				fail_msg("%s: want no failure, got %s in the %s", id, fm_failure_name(r.a.v[i].failure),
					 fm_process_name(r.a.v[i].proc));
		assert_int_equal(r.a.root, -1);
	} else if (!strcmp(proc, "taskmanager") || !strcmp(proc, "jobmanager")) {
		if (r.a.root < 0)
			fail_msg("%s: want %s in the %s, got no root cause (%zu incidents%s%s)", id, kind, proc, r.a.n,
				 r.a.n ? ", first " : "", r.a.n ? fm_failure_name(r.a.v[0].failure) : "");
		const fm_incident *x = &r.a.v[r.a.root];
		if (strcmp(fm_failure_name(x->failure), kind) || strcmp(fm_process_name(x->proc), proc))
			fail_msg("%s: want %s in the %s, got %s in the %s", id, kind, proc, fm_failure_name(x->failure),
				 fm_process_name(x->proc));
	} else {
		if (r.a.root >= 0)
			fail_msg("%s: an outside failure became the root cause (%s in the %s)", id,
				 fm_failure_name(r.a.v[r.a.root].failure), fm_process_name(r.a.v[r.a.root].proc));
		bool found = false;
		for (size_t i = 0; i < r.a.n; i++)
			if (r.a.v[i].outside && !strcmp(fm_failure_name(r.a.v[i].failure), kind) &&
			    !strcmp(fm_process_name(r.a.v[i].proc), proc))
				found = true;
		if (!found)
			fail_msg("%s: want an outside %s in the %s (%zu incidents, first %s in the %s)", id, kind, proc, r.a.n,
				 r.a.n ? fm_failure_name(r.a.v[0].failure) : "-", r.a.n ? fm_process_name(r.a.v[0].proc) : "-");
	}
	fm_dx_result_release(&r);
	fm_diag_release(&d);
}

/* The table as a whole: well-formed rows, known vocabulary, unique ids,
 * a cited source, and well over the 100 rows of the seed knowledge. */
static void test_table(void **st)
{
	(void)st;
	assert_true(nrows > 120);
	for (size_t i = 0; i < nrows; i++) {
		const row *w = &rows[i];
		if (!kind_known(w->f[C_KIND]) || !proc_known(w->f[C_PROCESS]))
			fail_msg("line %u (%s): unknown kind or process", w->line, w->f[C_ID]);
		if ((!strcmp(w->f[C_KIND], "none")) != (!strcmp(w->f[C_PROCESS], "-")))
			fail_msg("line %u (%s): process '-' is for kind none only", w->line, w->f[C_ID]);
		const char *src = w->f[C_SOURCE];
		const char *at = strchr(src, '@');
		if (!at || !strchr(at, ':') || !*w->f[C_PRODUCER] || !*w->f[C_RELEASES])
			fail_msg("line %u (%s): source must be repo@commit:path", w->line, w->f[C_ID]);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(rows[j].f[C_ID], w->f[C_ID]))
				fail_msg("line %u: duplicate id %s", w->line, w->f[C_ID]);
	}
}

static int setup(void **st)
{
	(void)st;
	size_t n;
	const fm_pattern *p = fm_signature_patterns(&n);
	fm_diag d = FM_DIAG_INIT;
	scanner = fm_scanner_new(p, n, &d);
	fm_diag_release(&d);
	return scanner ? 0 : -1;
}

static int teardown(void **st)
{
	(void)st;
	fm_scanner_free(scanner);
	return 0;
}

int main(void)
{
	if (load()) {
		fprintf(stderr, "test_catalogue: cannot load data/messages.tsv\n");
		return 1;
	}
	struct CMUnitTest *t = calloc(nrows + 1, sizeof *t);
	if (!t)
		return 1;
	t[0] = (struct CMUnitTest)cmocka_unit_test(test_table);
	for (size_t i = 0; i < nrows; i++)
		t[i + 1] = (struct CMUnitTest){rows[i].f[C_ID], run_row, NULL, NULL, &rows[i]};
	int rc = _cmocka_run_group_tests("catalogue", t, nrows + 1, setup, teardown);
	for (size_t i = 0; i < nrows; i++)
		free(rows[i].sample);
	free(rows);
	free(file_text);
	free(t);
	return rc;
}
