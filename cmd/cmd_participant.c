/* cmd_participant.c - fieldschool participant add|list|show|edit|remove|
 * import|export */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/participant.h"

static int
participant_add(int argc, char **argv)
{
	const char *usage = "fieldschool participant add --given-name G "
			    "--family-name F --category C [--mission M] "
			    "[OPTIONS]";
	const char *values[FS_PART__COUNT];
	int first = 0, status;

	if ((status = record_options(&fs_participants_format, argc, argv, usage,
				     values, &first)) >= 0)
		return status;
	if (first != argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[first]);
	return record_put(&fs_participants_format, values, FS_PUT_CREATE);
}

static int
participant_edit(int argc, char **argv)
{
	const char *usage = "fieldschool participant edit REF [--mission M] "
			    "[--status S] ... (see --help)";
	const char *values[FS_PART__COUNT];
	int first = 0, status;

	if ((status = record_options(&fs_participants_format, argc, argv, usage,
				     values, &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one participant ref");
	if (values[FS_PART_REF])
		return cmd_usage_error(usage, "a participant's ref cannot "
				       "change");
	values[FS_PART_REF] = argv[first];
	return record_put(&fs_participants_format, values, FS_PUT_UPDATE);
}

static int
participant_list(int argc, char **argv)
{
	static const int columns[] = {
		FS_PART_REF, FS_PART_FAMILY_NAME, FS_PART_GIVEN_NAME,
		FS_PART_CATEGORY, FS_PART_COUNTRY, FS_PART_MISSION,
		FS_PART_STATUS, FS_PART_GROUP, FS_PART_ORGANIZATION,
	};
	const char *usage = "fieldschool participant list [MISSION] [--json]";
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: %s\n\nOne line per registration (or per person "
		       "without one).\n", usage);
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc > 2)
		return cmd_usage_error(usage, "too many arguments");
	return record_list(&fs_participants_format, argc > 1 ? argv[1] : NULL,
			   columns, sizeof(columns) / sizeof(columns[0]));
}

static int
participant_show(int argc, char **argv)
{
	const char *usage = "fieldschool participant show REF [--json]";
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: %s\n\nThe person, then each of their "
		       "registrations; with --json one object\nwhose "
		       "\"registrations\" array holds them.\n", usage);
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc != 2)
		return cmd_usage_error(usage, "give one participant ref");
	return record_show_parts(&fs_participants_format, NULL, argv[1],
				 FS_PART_MISSION, "registrations");
}

static int
participant_remove(int argc, char **argv)
{
	static const struct option options[] = {
		{ "mission", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool participant remove [--mission M] REF";
	const char *mission = NULL;
	fs_store *store = NULL;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hm:", options, NULL)) != -1) {
		if (c == 'm') {
			mission = optarg;
		} else if (c == 'h') {
			printf("usage: %s\n\nRemoves the person and all their "
			       "registrations, or with --mission only\nthe "
			       "registration for that mission.\n", usage);
			return EXIT_OK;
		} else {
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one participant ref");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_participant_remove(store, argv[optind], mission);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	printf("%s: removed\n", argv[optind]);
	return EXIT_OK;
}

static int
participant_import(int argc, char **argv)
{
	return record_import(&fs_participants_format, argc, argv);
}

static int
participant_export(int argc, char **argv)
{
	return record_export(&fs_participants_format, argc, argv, false);
}

static const struct cmd participant_commands[] = {
	{ "add", participant_add, "add a participant (and register them)" },
	{ "list", participant_list, "list participants" },
	{ "show", participant_show, "show a participant" },
	{ "edit", participant_edit, "change a participant or registration" },
	{ "remove", participant_remove, "remove a participant or registration" },
	{ "import", participant_import, "import participants.csv" },
	{ "export", participant_export, "export participants.csv" },
	{ NULL, NULL, NULL },
};

int
cmd_participant(int argc, char **argv)
{
	return cmd_dispatch(participant_commands, "fieldschool participant",
			    argc, argv);
}
