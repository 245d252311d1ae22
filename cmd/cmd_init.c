/* cmd_init.c - fieldschool init: create or migrate the database. */
#include <stdio.h>

#include "cmd.h"

int
cmd_init(int argc, char **argv)
{
	const char *usage = "fieldschool [--db FILE] init";
	fs_store *store = NULL;
	int status;

	if (argc > 1 && is_help(argv[1])) {
		printf("usage: %s\n\nCreates the database (default "
		       "$FIELDSCHOOL_DB, else ./fieldschool.db) with the\n"
		       "shipped categories and curricula, or migrates an older "
		       "one to schema %d.\n", usage, fs_store_schema_version());
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc > 1)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[1]);
	if ((status = cmd_open_store(&store, FS_STORE_CREATE)))
		return status;
	fs_store_close(store);
	printf("%s: schema %d\n", global.db, fs_store_schema_version());
	return EXIT_OK;
}
