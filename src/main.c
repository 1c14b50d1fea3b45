/* main — flinkmem's entry point: a table of subcommands; each parses its
 * own options. Exit status like grep: 0 clean, 1 problems found in what
 * was examined, 2 usage or unreadable input. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

#ifndef FM_VERSION
#define FM_VERSION "0.0.0"
#endif

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{"show", cmd_show, "the memory layout of both processes, as Flink computes it"},
	{"check", cmd_check, "find everything Flink rejects and the memory traps it accepts"},
	{"diagnose", cmd_diagnose, "the memory failure in logs and kubectl/YARN output; its fix"},
	{"plan", cmd_plan, "what-if, goal-seek and release comparison, re-derived"},
	{"live", cmd_live, "a running cluster: configured vs used, findings, trends"},
	{"bash-java-utils", cmd_bash_java_utils,
	 "stand-in for Flink's BashJavaUtils (start scripts' helper)"},
};

static void usage(FILE *f)
{
	fprintf(f, "usage: flinkmem <command> [options]\n"
		   "       flinkmem help <command>\n"
		   "       flinkmem -h|--help | -V|--version\n\ncommands:\n");
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-16s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'flinkmem help CMD': a command's options; 'man flinkmem-CMD': all about it.\n");
}

/* Every command's output, --help and --rules included, ends here: a
 * write error that stdio kept buffered (stdout on /dev/full, a closed
 * pipe) must not end in exit 0. cli_write reports its own errors (and
 * returns 2); anything else is reported once here. */
static int finish(int rc)
{
	bool bad = fflush(stdout) != 0 || ferror(stdout);
	int err = errno;
	if (fclose(stdout) != 0 && !bad) {
		bad = true;
		err = errno;
	}
	if (bad && rc != 2) {
		cli_err("cannot write output: %s", strerror(err));
		rc = 2;
	}
	return rc;
}

static int run(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	/* `flinkmem help CMD` is `flinkmem CMD --help` (as git and kubectl do). */
	if (strcmp(argv[1], "help") == 0 && argc > 2) {
		for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
			if (strcmp(argv[2], commands[i].name) == 0)
				return commands[i].run(2, (char *[]){argv[2], "--help", NULL});
		cli_err("help: unknown command '%s' (try 'flinkmem --help')", argv[2]);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("flinkmem %s\n", FM_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	cli_err("unknown command '%s' (try 'flinkmem --help')", argv[1]);
	return 2;
}

int main(int argc, char **argv)
{
	return finish(run(argc, argv));
}
