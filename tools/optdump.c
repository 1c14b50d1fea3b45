/* optdump — the option tables of flinkmem's subcommands, for the shell
 * completion generator (tools/gen_completions.sh). Linked into a second
 * build of the CLI (flinkmem_optdump) with -Wl,--wrap=getopt_long, so the
 * first getopt_long call a subcommand makes lands here: the table it
 * passes is printed and the process ends before the command does any work.
 * The tables stay where they are, in each src/cmd_*.c; a command that
 * parses by hand (bash-java-utils) never calls getopt_long and prints its
 * --help instead, which the generator falls back to.
 *
 * Output: "flinkmem-options 1", "short OPTSTRING", then one line per long
 * option "long NAME HAS_ARG VAL" (VAL the short letter it maps to, or -). */
#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>

int __wrap_getopt_long(int argc, char *const argv[], const char *shortopts,
		       const struct option *longopts, int *longind);

int __wrap_getopt_long(int argc, char *const argv[], const char *shortopts,
		       const struct option *longopts, int *longind)
{
	(void)argc, (void)argv, (void)longind;
	printf("flinkmem-options 1\nshort %s\n", shortopts);
	for (const struct option *o = longopts; o && o->name; o++) {
		if (!o->flag && o->val > 0 && o->val < 128 && isalpha(o->val))
			printf("long %s %d %c\n", o->name, o->has_arg, o->val);
		else
			printf("long %s %d -\n", o->name, o->has_arg);
	}
	/* _exit: the command's own cleanup and exit checks must not run. */
	_exit(fflush(stdout) == 0 && !ferror(stdout) ? 0 : 1);
}
