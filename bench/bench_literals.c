/* bench_literals — prints diagnose's own signature patterns for the
 * bench/run_diagnose.sh comparison: `bench_literals` writes every literal
 * (case-sensitive) pattern, one a line, the list given to `rg -F -f` and
 * `grep -F -f`; `-a` writes all of them as regexes (literals escaped,
 * case-insensitive ones with (?i)) for `rg -f`, which then does diagnose's
 * whole job; `-s` prints a summary (literals, icase literals, regexes). Generated from fm_signature_patterns(), so rows added to
 * the signature table are benchmarked without editing the script. */
#include <stdio.h>
#include <string.h>

#include "flinkmem/scan.h"
#include "flinkmem/signatures.h"

/* A literal as a regex: the metacharacters escaped (ripgrep's syntax
 * rejects escaping other punctuation). */
static void put_escaped(const char *s)
{
	for (; *s; s++) {
		if (strchr("\\.+*?()|[]{}^$", *s))
			putchar('\\');
		putchar(*s);
	}
	putchar('\n');
}

int main(int argc, char **argv)
{
	bool summary = argc > 1 && strcmp(argv[1], "-s") == 0;
	bool all = argc > 1 && strcmp(argv[1], "-a") == 0;
	size_t n, lit = 0, ilit = 0, re = 0;
	const fm_pattern *p = fm_signature_patterns(&n);
	for (size_t i = 0; i < n; i++) {
		if (all) {
			fputs(p[i].icase ? "(?i)" : "", stdout);
			if (p[i].regex)
				puts(p[i].expr);
			else
				put_escaped(p[i].expr);
			continue;
		}
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
