/* bench_derive — derivations per second in one process: the TM and JM
 * layouts of a rotating set of configs, through the whole engine
 * (option lookup, BigDecimal emulation, strings). Prints, asserts nothing.
 * `bench_derive N` runs exactly N TM+JM pairs instead of two CPU seconds,
 * so an instruction counter (valgrind --tool=callgrind) gives a figure
 * that does not depend on the machine's load. Both figures are printed:
 * full derivations (fm_derive_tm/jm: sizes, JVM args, dynamic configs,
 * log lines) and numbers-only ones (fm_derive_*_numbers, what a goal
 * search needs); `-n` runs only the numbers-only kind. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flinkmem/derive.h"
#include "flinkmem/sources.h"

/* CPU time of this (single-threaded) process: the figure stays meaningful
 * on a loaded machine, where wall time would count other processes. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef int (*tm_fn)(const fm_conf *, const fm_profile *, const fm_derive_env *, fm_tm_result *);
typedef int (*jm_fn)(const fm_conf *, const fm_profile *, const fm_derive_env *, fm_jm_result *);

/* N TM+JM pairs (or two CPU seconds when fixed <= 0); prints the rate. */
static void run(const char *what, tm_fn tm, jm_fn jm, fm_conf *const *confs, int nconf, const fm_profile *p,
		long fixed)
{
	long n = 0;
	int64_t sink = 0;
	double t0 = now(), t;
	do {
		for (int k = 0; k < 1000 && (fixed <= 0 || n < fixed); k++, n++) {
			fm_tm_result tr;
			fm_jm_result jr;
			tm(confs[n % nconf], p, NULL, &tr);
			jm(confs[n % nconf], p, NULL, &jr);
			sink += tr.l.total_process + jr.l.total_process;
			fm_tm_result_release(&tr);
			fm_jm_result_release(&jr);
		}
		t = now() - t0;
	} while (fixed > 0 ? n < fixed : t < 2.0);
	printf("%s derivations in one process: %.0f per CPU second (TM+JM pairs: %.0f/s; checksum %lld)\n", what,
	       2.0 * (double)n / t, (double)n / t, (long long)sink);
}

int main(int argc, char **argv)
{
	bool numbers_only = argc > 1 && strcmp(argv[1], "-n") == 0;
	if (numbers_only)
		argc--, argv++;
	long fixed = argc > 1 ? strtol(argv[1], NULL, 10) : 0;
	static const char *texts[] = {
		"taskmanager.memory.process.size: 1728m\njobmanager.memory.process.size: 1600m\n",
		"taskmanager.memory.flink.size: 6g\ntaskmanager.memory.managed.fraction: 0.33\n"
		"jobmanager.memory.heap.size: 2g\n",
		"taskmanager.memory.task.heap.size: 1g\ntaskmanager.memory.managed.size: 1g\n"
		"jobmanager.memory.flink.size: 3g\n",
		"taskmanager.memory.process.size: 16g\ntaskmanager.numberOfTaskSlots: 8\n"
		"taskmanager.memory.network.fraction: 0.15\njobmanager.memory.process.size: 4g\n",
	};
	enum { NCONF = sizeof texts / sizeof texts[0] };
	fm_conf *confs[NCONF];
	const fm_profile *p = fm_profile_for("1.20");
	for (int i = 0; i < NCONF; i++) {
		confs[i] = fm_conf_new();
		fm_diag d = FM_DIAG_INIT;
		if (!confs[i] || fm_conf_load_text(confs[i], FM_FMT_FLAT, "bench", texts[i], strlen(texts[i]), p, NULL, &d)) {
			fprintf(stderr, "bench_derive: setup failed\n");
			return 1;
		}
	}
	if (!numbers_only)
		run("full", fm_derive_tm, fm_derive_jm, confs, NCONF, p, fixed);
	run("numbers-only", fm_derive_tm_numbers, fm_derive_jm_numbers, confs, NCONF, p, fixed);
	for (int i = 0; i < NCONF; i++)
		fm_conf_free(confs[i]);
	return 0;
}
