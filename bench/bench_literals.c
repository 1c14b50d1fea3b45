/* bench_literals — prints diagnose's own signature patterns for the
 * bench/run_diagnose.sh comparison: `bench_literals` writes every literal
 * (case-sensitive) pattern, one a line, the list given to `rg -F -f` and
 * `grep -F -f`; `-s` prints a summary (literals, icase literals, regexes) on
 * stdout instead. Generated from fm_signature_patterns(), so rows added to
 * the signature table are benchmarked without editing the script. */
#include <stdio.h>
#include <string.h>

#include "flinkmem/scan.h"
#include "flinkmem/signatures.h"

int main(int argc, char **argv)
{
	bool summary = argc > 1 && strcmp(argv[1], "-s") == 0;
	size_t n, lit = 0, ilit = 0, re = 0;
	const fm_pattern *p = fm_signature_patterns(&n);
	for (size_t i = 0; i < n; i++) {
		if (p[i].regex) {
			re++;
		} else if (p[i].icase) {
			ilit++;
		} else {
			lit++;
			if (!summary)
				puts(p[i].expr);
		}
	}
	if (summary)
		printf("%zu patterns: %zu literals, %zu case-insensitive literals, %zu regexes\n", n, lit, ilit, re);
	return ferror(stdout) ? 1 : 0;
}
