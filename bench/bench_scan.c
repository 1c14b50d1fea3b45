/* bench_scan — stands in for `flinkmem diagnose` in bench/run_diagnose.sh
 * until that command exists: scans FILEs with every lit:/re: signature of a
 * signatures.tsv (all files in parallel) and prints each match as
 * FILE:LINE:ID:TEXT (like grep -Hn), then a count per signature on stderr.
 *
 *   bench_scan [-t SIGNATURES.tsv] [-j THREADS] [-q] FILE...
 *   -q: count only, print no lines
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../tests/unit/scan_tsv.h"
#include "flinkmem/scan.h"

typedef struct out {
	const fm_pattern *pats;
	size_t *count;
	bool quiet;
} out;

static int on_match(const fm_match *m, void *ctx)
{
	out *o = ctx;
	o->count[m->pat]++;
	if (!o->quiet) {
		printf("%s:%llu:%s:", m->name, (unsigned long long)m->line, o->pats[m->pat].id);
		fwrite(m->text, 1, m->len, stdout);
		putchar('\n');
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *tsv = NULL;
	unsigned threads = 0;
	bool quiet = false;
	int opt;
	while ((opt = getopt(argc, argv, "t:j:q")) != -1) {
		if (opt == 't')
			tsv = optarg;
		else if (opt == 'j')
			threads = (unsigned)strtoul(optarg, NULL, 10);
		else if (opt == 'q')
			quiet = true;
		else
			return 2;
	}
	if (optind >= argc) {
		fprintf(stderr, "usage: bench_scan [-t SIGNATURES.tsv] [-j THREADS] [-q] FILE...\n");
		return 2;
	}
	char def[4096];
	if (!tsv) { /* the copy next to the unit tests, found from this source's path */
		const char *slash = strrchr(__FILE__, '/');
		snprintf(def, sizeof(def), "%.*s/../tests/unit/data/signatures.tsv",
			 slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
		tsv = def;
	}
	scan_tsv t;
	if (scan_tsv_load(&t, tsv) != 0) {
		fprintf(stderr, "bench_scan: cannot load %s\n", tsv);
		return 2;
	}
	fm_diag d = FM_DIAG_INIT;
	fm_scanner *s = fm_scanner_new(t.pats, t.n, &d);
	if (!s) {
		fprintf(stderr, "bench_scan: %s\n", d.msg ? d.msg : "cannot compile");
		return 2;
	}
	out o = {t.pats, calloc(t.n, sizeof(size_t)), quiet};
	if (!o.count)
		return 2;
	int rc = fm_scan_files(s, (const char *const *)argv + optind, (size_t)(argc - optind),
			       threads, on_match, &o, &d);
	if (rc)
		fprintf(stderr, "bench_scan: %s: %s\n", d.file ? d.file : "?", d.msg ? d.msg : "error");
	size_t total = 0;
	for (size_t i = 0; i < t.n; i++) {
		if (o.count[i])
			fprintf(stderr, "%8zu %s\n", o.count[i], t.pats[i].id);
		total += o.count[i];
	}
	fprintf(stderr, "%8zu matches, %zu signatures\n", total, t.n);
	fm_diag_release(&d);
	fm_scanner_free(s);
	free(o.count);
	scan_tsv_free(&t);
	return rc ? 2 : 0;
}
