/* cmd_agenda.c - fieldschool agenda add|list|show|edit|cancel|remove|
 * import|export */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/agenda.h"
#include "fieldschool/json.h"

static int
agenda_add(int argc, char **argv)
{
	const char *usage = "fieldschool agenda add MISSION (--day N | --date D) "
			    "--start HH:MM --end HH:MM --kind K --title T "
			    "[OPTIONS]";
	const char *values[FS_ITEM__COUNT];
	int first = 0, status;

	if ((status = record_options(&fs_agenda_format, argc, argv, usage,
				     values, &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	values[FS_ITEM_MISSION] = argv[first];
	return record_put(&fs_agenda_format, values, FS_PUT_CREATE);
}

/* Finds the mission of ref, given or not with --mission. */
static int
locate(const char *ref, const char *mission, char out[65])
{
	fs_store *store = NULL;
	int status;
	fs_err err;

	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_agenda_locate(store, ref, mission, out);
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

static int
agenda_edit(int argc, char **argv)
{
	const char *usage = "fieldschool agenda edit REF [--mission M] "
			    "[--start HH:MM] [--title T] ... (see --help)";
	const char *values[FS_ITEM__COUNT];
	char mission[65];
	int first = 0, status;

	if ((status = record_options(&fs_agenda_format, argc, argv, usage,
				     values, &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one agenda item ref");
	if (values[FS_ITEM_REF])
		return cmd_usage_error(usage, "an item's ref cannot change");
	if ((status = locate(argv[first], values[FS_ITEM_MISSION], mission)))
		return status;
	values[FS_ITEM_REF] = argv[first];
	values[FS_ITEM_MISSION] = mission;
	return record_put(&fs_agenda_format, values, FS_PUT_UPDATE);
}

struct day_printer {
	char date[11];
};

/* "Monday" for "2027-05-10" (Gregorian; "" when the date is not one). */
static const char *
weekday(const char *date)
{
	static const char *const names[] = { "Sunday", "Monday", "Tuesday",
					     "Wednesday", "Thursday", "Friday",
					     "Saturday" };
	static const int shift[] = { 0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4 };
	int y, m, d;

	if (sscanf(date, "%4d-%2d-%2d", &y, &m, &d) != 3 || m < 1 || m > 12)
		return "";
	y -= m < 3; /* Sakamoto's method */
	return names[(y + y / 4 - y / 100 + y / 400 + shift[m - 1] + d) % 7];
}

/* Prints text on the item's line: line breaks as U+21B5, no control
 * characters (cell_text). */
static void
put_text(const char *prefix, const char *text, const char *suffix)
{
	char *shown = cell_text(text);
	printf("%s%s%s", prefix, shown ? shown : "", suffix);
	free(shown);
}

static fs_err
print_item(void *ctx, const char *const *v)
{
	struct day_printer *p = ctx;

	if (strcmp(p->date, v[FS_ITEM_DATE])) {
		printf("%s%s day %s, %s %s\n", p->date[0] ? "\n" : "",
		       v[FS_ITEM_MISSION], v[FS_ITEM_DAY],
		       weekday(v[FS_ITEM_DATE]), v[FS_ITEM_DATE]);
		snprintf(p->date, sizeof(p->date), "%s", v[FS_ITEM_DATE]);
	}
	printf("  %s-%s  %-8s  %s", v[FS_ITEM_START], v[FS_ITEM_END],
	       v[FS_ITEM_KIND],
	       strcmp(v[FS_ITEM_STATUS], "cancelled") ? "" : "CANCELLED: ");
	put_text("", v[FS_ITEM_TITLE], "");
	if (*v[FS_ITEM_PLACE])
		put_text(" @ ", v[FS_ITEM_PLACE], "");
	if (strcmp(v[FS_ITEM_AUDIENCE], "all"))
		put_text(" [", v[FS_ITEM_AUDIENCE], "]");
	if (*v[FS_ITEM_FACILITATORS]) {
		/* "A;B" as "with A, B" */
		char *names = strdup(v[FS_ITEM_FACILITATORS]), *save = NULL;
		const char *sep = "  with ";
		if (!names)
			return fs_fail(FS_ENOMEM, "out of memory");
		for (char *n = strtok_r(names, ";", &save); n;
		     n = strtok_r(NULL, ";", &save), sep = ", ")
			put_text(sep, n, "");
		free(names);
	}
	put_text("  (", v[FS_ITEM_REF], ")\n");
	return FS_OK;
}

static int
agenda_list(int argc, char **argv)
{
	const char *usage = "fieldschool agenda list MISSION [--json]";
	struct day_printer printer = { "" };
	fs_store *store = NULL;
	int status;
	fs_err err;

	if (argc > 1 && is_help(argv[1])) {
		printf("usage: %s\n\nThe mission's agenda, day by day, in its "
		       "local time.\n", usage);
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc != 2)
		return cmd_usage_error(usage, "give one mission code");
	if (global.json)
		return record_list(&fs_agenda_format, argv[1], NULL, 0);
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_agenda_format.each(store, argv[1], NULL, print_item, &printer);
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

/* Parses REF [--mission M] [extra flag] for show, cancel and remove. */
static int
item_args(int argc, char **argv, const char *usage, const char *help,
	  const char *flag, bool *flag_set, char mission[65], const char **ref)
{
	const struct option options[] = {
		{ "mission", required_argument, NULL, 'm' },
		{ flag ? flag : "help", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *given = NULL;
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hm:", options, NULL)) != -1) {
		if (c == 'm') {
			given = optarg;
		} else if (c == 'f' && flag) {
			*flag_set = true;
		} else if (c == 'h' || c == 'f') {
			printf("usage: %s\n\n%s\n", usage, help);
			return EXIT_OK;
		} else {
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one agenda item ref");
	*ref = argv[optind];
	return locate(*ref, given, mission) ?: -1;
}

static int
agenda_show(int argc, char **argv)
{
	const char *ref;
	char mission[65];
	int status = item_args(argc, argv,
			       "fieldschool agenda show REF [--mission M] "
			       "[--json]",
			       "Shows an agenda item with its calendar UID and "
			       "SEQUENCE.", NULL, NULL, mission, &ref);
	if (status >= 0)
		return status;
	return record_show(&fs_agenda_format, mission, ref);
}

static int
agenda_cancel(int argc, char **argv)
{
	const char *ref;
	char mission[65];
	bool undo = false;
	fs_store *store = NULL;
	fs_err err;
	int status = item_args(argc, argv,
			       "fieldschool agenda cancel REF [--mission M] "
			       "[--undo]",
			       "Cancels an item: it stays in the agenda and in "
			       "every feed, marked cancelled,\nso that "
			       "subscribers see it.  --undo makes it active "
			       "again.",
			       "undo", &undo, mission, &ref);
	if (status >= 0)
		return status;
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_agenda_set_cancelled(store, mission, ref, !undo);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	printf("%s: %s\n", ref, undo ? "active" : "cancelled");
	return EXIT_OK;
}

static int
agenda_remove(int argc, char **argv)
{
	const char *ref;
	char mission[65];
	fs_store *store = NULL;
	fs_err err;
	int status = item_args(argc, argv,
			       "fieldschool agenda remove REF [--mission M]",
			       "Removes an item from the agenda.  Calendar "
			       "feeds keep showing it as cancelled;\n"
			       "importing its ref again brings it back.",
			       NULL, NULL, mission, &ref);
	if (status >= 0)
		return status;
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_agenda_remove(store, mission, ref);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	printf("%s: removed\n", ref);
	return EXIT_OK;
}

static int
agenda_import(int argc, char **argv)
{
	return record_import(&fs_agenda_format, argc, argv);
}

static int
agenda_export(int argc, char **argv)
{
	return record_export(&fs_agenda_format, argc, argv, true);
}

static const struct cmd agenda_commands[] = {
	{ "add", agenda_add, "add an agenda item" },
	{ "list", agenda_list, "print a mission's agenda, day by day" },
	{ "show", agenda_show, "show an agenda item" },
	{ "edit", agenda_edit, "change an agenda item" },
	{ "cancel", agenda_cancel, "cancel an item (it stays, marked)" },
	{ "remove", agenda_remove, "remove an item" },
	{ "import", agenda_import, "import agenda.csv" },
	{ "export", agenda_export, "export a mission's agenda.csv" },
	{ NULL, NULL, NULL },
};

int
cmd_agenda(int argc, char **argv)
{
	return cmd_dispatch(agenda_commands, "fieldschool agenda", argc, argv);
}
