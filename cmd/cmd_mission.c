/* cmd_mission.c - fieldschool mission add|list|show|edit|remove|import|export */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/mission.h"
#include "fieldschool/url.h"

static int
mission_put(int argc, char **argv, fs_put_mode mode, const char *usage)
{
	const char *values[FS_MISSION__COUNT];
	int first = 0, status;

	if ((status = record_options(&fs_missions_format, argc, argv, usage,
				     values, &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	if (values[FS_MISSION_CODE] && mode == FS_PUT_UPDATE)
		return cmd_usage_error(usage, "a mission's code cannot change");
	values[FS_MISSION_CODE] = argv[first];
	return record_put(&fs_missions_format, values, mode);
}

static int
mission_add(int argc, char **argv)
{
	return mission_put(argc, argv, FS_PUT_CREATE,
			   "fieldschool mission add CODE --title T --country CC "
			   "--city C --timezone ZONE --start YYYY-MM-DD --days N "
			   "[OPTIONS]");
}

static int
mission_edit(int argc, char **argv)
{
	return mission_put(argc, argv, FS_PUT_UPDATE,
			   "fieldschool mission edit CODE [--title T] [--start "
			   "YYYY-MM-DD] ... (see --help)");
}

static int
mission_list(int argc, char **argv)
{
	static const int columns[] = {
		FS_MISSION_CODE, FS_MISSION_START, FS_MISSION_END,
		FS_MISSION_CITY, FS_MISSION_TIMEZONE, FS_MISSION_CONFIRMED,
		FS_MISSION_ITEMS, FS_MISSION_TITLE,
	};
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: fieldschool mission list [--json]\n");
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc > 1)
		return cmd_usage_error("fieldschool mission list [--json]",
				       "too many arguments");
	return record_list(&fs_missions_format, NULL, columns,
			   sizeof(columns) / sizeof(columns[0]));
}

static int
mission_show(int argc, char **argv)
{
	const char *usage = "fieldschool mission show CODE [--json]";
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: %s\n", usage);
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc != 2)
		return cmd_usage_error(usage, "give one mission code");
	return record_show(&fs_missions_format, NULL, argv[1]);
}

static int
mission_remove(int argc, char **argv)
{
	static const struct option options[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool mission remove [--force] CODE";
	fs_mission_usage used;
	fs_store *store = NULL;
	char *dirs = NULL;
	bool force = false;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "fh", options, NULL)) != -1) {
		if (c == 'f') {
			force = true;
		} else if (c == 'h') {
			printf("usage: %s\n\nRemoves a mission with its agenda, "
			       "registrations and attendance.  A mission that\n"
			       "has any needs --force.\n", usage);
			return EXIT_OK;
		} else {
			return cmd_usage_error(usage, "%s: unknown option",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_mission_usage_get(store, argv[optind], &used);
	if (!err && !force && (used.registrations || used.items)) {
		fs_store_close(store);
		fprintf(stderr, "fieldschool: mission '%s' has %ld "
			"registration%s and %ld agenda item%s: add --force to "
			"remove them too\n", argv[optind], used.registrations,
			used.registrations == 1 ? "" : "s", used.items,
			used.items == 1 ? "" : "s");
		return EXIT_INPUT;
	}
	/* where its feeds and pages are: the next publish there removes
	 * them (the database keeps the list of its files) */
	if (!err)
		err = fs_publication_dirs(&dirs, store, argv[optind]);
	if (!err)
		err = fs_mission_remove(store, argv[optind]);
	fs_store_close(store);
	if (err) {
		free(dirs);
		return cmd_fail(err);
	}
	printf("%s: removed\n", argv[optind]);
	for (char *dir = dirs, *nl; dir && (nl = strchr(dir, '\n'));
	     dir = nl + 1)
		printf("%s: its feeds and pages in %.*s are removed at the "
		       "next publish into that directory\n", argv[optind],
		       (int)(nl - dir), dir);
	free(dirs);
	return EXIT_OK;
}

static int
mission_shift(int argc, char **argv)
{
	static const struct option options[] = {
		{ "start", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool mission shift CODE --start YYYY-MM-DD";
	const char *start = NULL;
	fs_mission_shift_result moved;
	fs_store *store = NULL;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hs:", options, NULL)) != -1) {
		if (c == 's') {
			start = optarg;
		} else if (c == 'h') {
			printf("usage: %s\n\nMoves a mission in time to start "
			       "on DATE, with everything dated in it:\nits "
			       "agenda items (same UIDs, higher SEQUENCE), its "
			       "participants' arrivals\nand departures, and "
			       "its attendance records, all by the same number "
			       "of\ndays, in one transaction.  Publish again "
			       "for subscribers to see it.\n", usage);
			return EXIT_OK;
		} else {
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	if (!start)
		return cmd_usage_error(usage, "give the new first day with "
				       "--start");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_mission_shift(store, argv[optind], start, &moved);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	if (global.json)
		printf("{\"days\": %ld, \"items\": %ld, \"registrations\": "
		       "%ld, \"attendance\": %ld}\n", moved.days, moved.items,
		       moved.registrations, moved.attendance);
	else if (moved.days == 0)
		printf("%s: unchanged (it starts on %s)\n", argv[optind],
		       start);
	else
		printf("%s: now starts on %s (%ld day%s %s): %ld agenda "
		       "item%s, the travel of %ld registration%s and %ld "
		       "attendance record%s moved\n", argv[optind], start,
		       labs(moved.days), labs(moved.days) == 1 ? "" : "s",
		       moved.days > 0 ? "later" : "earlier", moved.items,
		       moved.items == 1 ? "" : "s", moved.registrations,
		       moved.registrations == 1 ? "" : "s", moved.attendance,
		       moved.attendance == 1 ? "" : "s");
	return EXIT_OK;
}

static int
mission_import(int argc, char **argv)
{
	return record_import(&fs_missions_format, argc, argv);
}

static int
mission_export(int argc, char **argv)
{
	return record_export(&fs_missions_format, argc, argv, false);
}

static const struct cmd mission_commands[] = {
	{ "add", mission_add, "add a mission" },
	{ "list", mission_list, "list missions" },
	{ "show", mission_show, "show a mission" },
	{ "edit", mission_edit, "change a mission" },
	{ "remove", mission_remove, "remove a mission and all it holds" },
	{ "shift", mission_shift, "move a mission in time, with its agenda "
				  "and travel" },
	{ "import", mission_import, "import missions.csv" },
	{ "export", mission_export, "export missions.csv" },
	{ NULL, NULL, NULL },
};

int
cmd_mission(int argc, char **argv)
{
	return cmd_dispatch(mission_commands, "fieldschool mission", argc, argv);
}
