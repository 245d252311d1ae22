/*
 * complete.c - `fieldschool __complete [WORD...]`, what the bash completion
 * (completion/fieldschool.bash) asks the program.
 *
 * With no word it prints the commands; with a group's name, the group's
 * commands; with a command, its options, read from the very table its
 * getopt_long() call parses: "--name" for a flag, "--name=" for an option
 * that takes a value, "-o=" for a short option with a value.  Nothing is
 * listed by hand, so the completion follows every command as it changes.
 *
 * The command runs as `fieldschool WORD... --help` with standard output and
 * error sent to /dev/null and the answer written to the original standard
 * output; it stops at the first getopt_long() call, at reject_options() or
 * at a group's table.  --help never opens the database (tests/cli/080), so
 * asking has no effect.  A word that is not a command prints nothing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

#undef getopt_long

static FILE *answer; /* not NULL in completion mode */

_Noreturn static void
finish(void)
{
	fflush(answer);
	exit(EXIT_OK);
}

int
cmd_getopt_long(int argc, char *const *argv, const char *shortopts,
		const struct option *longopts, int *longind)
{
	if (!answer)
		return getopt_long(argc, argv, shortopts, longopts, longind);
	for (const struct option *o = longopts; o && o->name; o++)
		fprintf(answer, "--%s%s\n", o->name,
			o->has_arg == no_argument ? "" : "=");
	for (const char *s = shortopts; *s; s++)
		if (s[1] == ':')
			fprintf(answer, "-%c=\n", *s);
	finish();
}

void
cmd_complete_table(const struct cmd *table)
{
	if (!answer)
		return;
	for (const struct cmd *c = table; c->name; c++)
		fprintf(answer, "%s\n", c->name);
	finish();
}

void
cmd_complete_no_options(void)
{
	if (!answer)
		return;
	fputs("--help\n", answer);
	finish();
}

int
cmd_complete(const struct cmd *commands, int argc, char **argv)
{
	char **words = calloc((size_t)argc + 2, sizeof(*words));
	int out = dup(STDOUT_FILENO), null = open("/dev/null", O_WRONLY);

	if (!words || out < 0 || null < 0 || !(answer = fdopen(out, "w")))
		return EXIT_SYSTEM;
	fflush(stdout);
	dup2(null, STDOUT_FILENO);
	dup2(null, STDERR_FILENO);
	close(null);
	/* argv[0] is "__complete": the words follow it */
	words[0] = "fieldschool";
	for (int i = 1; i < argc; i++)
		words[i] = argv[i];
	words[argc] = "--help";
	/* a command that handles --help before any parsing takes no option
	 * but --help; a word that is no command fails, and prints nothing */
	if (cmd_dispatch(commands, "fieldschool", argc + 1, words) == EXIT_OK)
		fputs("--help\n", answer);
	free(words);
	finish();
}
