/*
 * main.c - the fieldschool program: global options, the command table,
 * messages and exit statuses.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

struct global_options global;

static const struct cmd commands[] = {
	{ "init", cmd_init, "create or migrate the database" },
	{ "demo", cmd_demo, "build the three demo missions and their outputs" },
	{ "mission", cmd_mission, "add, list, show, edit, import, export missions" },
	{ "participant", cmd_participant,
	  "add, list, show, edit, remove, import, export participants" },
	{ "agenda", cmd_agenda,
	  "add, list, show, edit, cancel, remove, import, export agenda items" },
	{ "category", cmd_category, "list and add participant categories" },
	{ "module", cmd_module, "list the curriculum modules" },
	{ "place", cmd_place, "add, list, edit and remove places" },
	{ "facilitator", cmd_facilitator,
	  "add, list, edit and remove facilitators" },
	{ "ics", cmd_ics, "write one calendar feed of a mission" },
	{ "page", cmd_page, "write one HTML page of a mission's agenda" },
	{ "publish", cmd_publish, "write every feed of missions into a directory" },
	{ "serve", cmd_serve, "serve a publish directory over HTTP" },
	{ "token", cmd_token, "show or rotate a participant's feed address" },
	{ "check", cmd_check, "find scheduling conflicts (exit 1 on errors)" },
	{ "plan", cmd_plan, "plan site-visit groups and their rotation" },
	{ "roster", cmd_roster, "write the Excel rosters for finance staff" },
	{ "attend", cmd_attend, "record, import, export and list attendance" },
	{ "certificates", cmd_certificates,
	  "list who qualifies for a certificate of completion, or print them" },
	{ "badges", cmd_badges, "print name badges with QR codes (PDF)" },
	{ "links", cmd_links, "list everyone's page and feed addresses (CSV)" },
	{ NULL, NULL, NULL },
};

int
reject_options(int argc, char **argv, const char *usage)
{
	cmd_complete_no_options();
	for (int i = 1; i < argc; i++)
		if (argv[i][0] == '-' && argv[i][1] != '\0')
			return cmd_usage_error(usage, "%s: unknown option (see "
					       "--help)", argv[i]);
	return EXIT_OK;
}

bool
is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h") ||
	       !strcmp(arg, "help");
}

int
exit_status_of(fs_err err)
{
	switch (err) {
	case FS_OK:
		return EXIT_OK;
	case FS_EINPUT:
	case FS_ENOTFOUND:
	case FS_EEXISTS:
		return EXIT_INPUT;
	case FS_ENOMEM:
	case FS_EIO:
	case FS_EDB:
	case FS_EBUSY:
		break;
	}
	return EXIT_SYSTEM;
}

int
cmd_fail(fs_err err)
{
	const char *detail = fs_errdetail();
	fprintf(stderr, "fieldschool: %s\n",
		term_text(*detail ? detail : fs_strerror(err)));
	return exit_status_of(err);
}

int
cmd_whole_number(const char *usage, const char *option, const char *text,
		 long min, long max, const char *unit, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (!*text || *end || errno || v < min || v > max)
		return cmd_usage_error(usage, "--%s: '%s': expected a whole "
				       "number%s from %ld to %ld", option, text,
				       unit, min, max);
	*out = v;
	return EXIT_OK;
}

int
cmd_usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fputs("fieldschool: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	if (usage)
		fprintf(stderr, "usage: %s\n", usage);
	return EXIT_USAGE;
}

int
cmd_open_store(fs_store **out, unsigned flags)
{
	fs_err err = fs_store_open(out, global.db, flags);
	return err ? cmd_fail(err) : EXIT_OK;
}

int
cmd_report(fs_err err, const fs_problems *problems, const char *file)
{
	for (size_t i = 0; i < problems->n; i++) {
		const fs_problem *p = &problems->items[i];
		if (p->line > 0) {
			fprintf(stderr, "%s:%ld: ", term_text(file ? file : "-"),
				p->line);
			if (p->column)
				fprintf(stderr, "%s: ", p->column);
			fprintf(stderr, "%s\n", term_text(p->reason));
		} else if (p->column) {
			fputs("fieldschool: --", stderr);
			for (const char *c = p->column; *c; c++)
				fputc(*c == '_' ? '-' : *c, stderr);
			fprintf(stderr, ": %s\n", term_text(p->reason));
		} else {
			fprintf(stderr, "fieldschool: %s\n",
				term_text(p->reason));
		}
	}
	/* After a file's problems, the detail sums them up. */
	if (problems->n == 0 || err != FS_EINPUT || file)
		return cmd_fail(err);
	return exit_status_of(err);
}

static void
print_table(const struct cmd *table, const char *usage)
{
	printf("usage: %s COMMAND [ARGS]\n\ncommands:\n", usage);
	for (const struct cmd *c = table; c->name; c++)
		printf("  %-12s %s\n", c->name, c->summary);
	printf("\nRun '%s COMMAND --help' for a command's options.\n", usage);
}

/* The commands whose output has a JSON form; --json anywhere else is
 * refused rather than ignored, so that a script never parses text it did
 * not ask for.  Groups (their commands follow) are listed apart. */
static const char *const json_commands[] = {
	"mission add", "mission edit", "mission list", "mission show",
	"mission import", "mission shift", "participant add",
	"participant edit",
	"participant list", "participant show", "participant import",
	"agenda add", "agenda edit", "agenda list", "agenda show",
	"agenda import", "category list", "module list", "place list",
	"facilitator list", "publish", "token show", "token rotate", "check",
	"plan groups", "plan visits", "roster", "attend mark", "attend import",
	"attend list", "certificates", NULL,
};
static const char *const command_groups[] = {
	"mission", "participant", "agenda", "category", "module", "place",
	"facilitator", "token", "plan", "attend", NULL,
};

static bool
listed(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (!strcmp(*list, name))
			return true;
	return false;
}

/* EXIT_USAGE when --json was given to the command at path (after its
 * group's name) and means nothing to it; --help always works. */
static int
check_json(const char *path, int argc, char **argv)
{
	if (!global.json || listed(command_groups, path) ||
	    listed(json_commands, path))
		return EXIT_OK;
	for (int i = 1; i < argc; i++)
		if (is_help(argv[i]))
			return EXIT_OK;
	return cmd_usage_error(NULL, "--json: '%s' has no JSON output "
			       "(see 'fieldschool %s --help')", path, path);
}

int
cmd_dispatch(const struct cmd *table, const char *usage, int argc, char **argv)
{
	static char path[64];

	if (argc < 2 || is_help(argv[1])) {
		cmd_complete_table(table);
		print_table(table, usage);
		return argc < 2 ? EXIT_USAGE : EXIT_OK;
	}
	for (const struct cmd *c = table; c->name; c++)
		if (!strcmp(c->name, argv[1])) {
			int status;
			size_t n = strlen(path);
			snprintf(path + n, sizeof(path) - n, "%s%s",
				 n ? " " : "", c->name);
			if ((status = check_json(path, argc - 1, argv + 1)))
				return status;
			return c->run(argc - 1, argv + 1);
		}
	fprintf(stderr, "fieldschool: '%s' is not a command of '%s'\n", argv[1],
		usage);
	fprintf(stderr, "usage: %s COMMAND [ARGS] (see '%s --help')\n", usage,
		usage);
	return EXIT_USAGE;
}

static const char MAIN_USAGE[] = "fieldschool [--db FILE] [--json]";

/* Takes --db FILE, --db=FILE and --json out of argv, wherever they are
 * (up to a "--"), so that they work before or after the command. */
static int
take_global_options(int argc, char **argv)
{
	int out = 1;

	global.db = fs_store_default_path();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				argv[out++] = argv[i++];
			break;
		}
		if (!strcmp(argv[i], "--json")) {
			global.json = true;
		} else if (!strcmp(argv[i], "--db")) {
			if (i + 1 >= argc)
				return -1;
			global.db = argv[++i];
			global.db_given = true;
		} else if (!strncmp(argv[i], "--db=", 5)) {
			global.db = argv[i] + 5;
			global.db_given = true;
		} else {
			argv[out++] = argv[i];
		}
	}
	argv[out] = NULL;
	return out;
}

int
main(int argc, char **argv)
{
	global.argv0 = argv[0] ? argv[0] : "fieldschool";
	argc = take_global_options(argc, argv);
	if (argc < 0)
		return cmd_usage_error(MAIN_USAGE, "--db needs a file name");
	if (!global.db[0])
		return cmd_usage_error(MAIN_USAGE, "--db needs a file name");
	if (argc >= 2 && !strcmp(argv[1], "--version")) {
		printf("fieldschool 0.1.0 (schema %d)\n",
		       fs_store_schema_version());
		return EXIT_OK;
	}
	if (argc >= 2 && !strcmp(argv[1], "__complete"))
		return cmd_complete(commands, argc - 1, argv + 1);
	return cmd_dispatch(commands, MAIN_USAGE, argc, argv);
}
