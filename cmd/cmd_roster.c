/* cmd_roster.c - fieldschool roster MISSION... (-o FILE.xlsx | --out DIR) */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "fieldschool/json.h"
#include "fieldschool/roster.h"

static const char ROSTER_HELP[] =
	"\nWrites Excel workbooks for finance staff: per mission the sheets\n"
	"Roster (a row per registration, money as formulas with their results\n"
	"stored), Payment (cash to sign for), By category, Finance rules,\n"
	"Sign-in day 1..N, Site visits (a page per bus), Caterer and Agenda,\n"
	"each ready to print on A4.\n"
	"\n"
	"  -o, --output FILE   one workbook of all the missions given: with\n"
	"                      several (or --all) a Summary sheet first and the\n"
	"                      mission's code after each sheet's name\n"
	"  --out DIR           one workbook per mission, DIR/roster-MISSION.xlsx\n"
	"                      (DIR is created when missing), each the same as\n"
	"                      `roster MISSION -o FILE`; as many are built at\n"
	"                      once as the machine has cores\n"
	"  --all               every mission\n"
	"\n"
	"Each file is written to a temporary name and renamed: a failure\n"
	"leaves nothing half-written.  With --out it is all or nothing: the\n"
	"workbooks replace the old ones only when every one is complete, so a\n"
	"failure in one mission replaces none of them.\n"
	"\n"
	"Finance rules are the missions' per_diem, nightly_rate, travel_share\n"
	"(percent of per diem per travel day, default 75) and meal_deduction\n"
	"(per day present, default 0): see 'fieldschool mission edit --help'.\n";

static void
print_workbook(const char *file, const char *mission,
	       const fs_roster_stats *stats)
{
	if (global.json) {
		printf("{\"file\": ");
		fs_json_string(stdout, file);
		if (mission) {
			printf(", \"mission\": ");
			fs_json_string(stdout, mission);
		}
		printf(", \"missions\": %d, \"sheets\": %d, "
		       "\"registrations\": %ld}", stats->missions,
		       stats->sheets, stats->registrations);
	} else {
		printf("%s: %d mission%s, %d sheet%s, %ld registration%s\n",
		       file, stats->missions, stats->missions == 1 ? "" : "s",
		       stats->sheets, fs_plural(stats->sheets),
		       stats->registrations,
		       stats->registrations == 1 ? "" : "s");
	}
}

/* One line at a terminal, rewritten as each workbook is complete. */
static void
show_progress(void *ctx, size_t done, size_t n)
{
	(void)ctx;
	fprintf(stderr, "\rrosters: %zu of %zu written", done, n);
	fflush(stderr);
}

/* --out DIR: a workbook per mission, a line each (--json: an array). */
static int
roster_dir(fs_store *store, const char *dir, char **codes, size_t n)
{
	fs_roster_files files = FS_ROSTER_FILES_INIT;
	fs_err err;

	err = fs_roster_write_dir(&files, store, dir, (const char *const *)codes,
				  n, 0, isatty(STDERR_FILENO) ? show_progress : NULL,
				  NULL);
	if (isatty(STDERR_FILENO))
		fputs("\r\033[K", stderr); /* the progress line, cleared */
	if (err)
		return cmd_fail(err);
	if (global.json)
		printf("[");
	for (size_t i = 0; i < files.n; i++) {
		if (global.json)
			printf(i ? ",\n " : "");
		print_workbook(files.items[i].path, files.items[i].code,
			       &files.items[i].stats);
	}
	if (global.json)
		printf("]\n");
	fs_roster_files_release(&files);
	return EXIT_OK;
}

/* Whether --out names what looks like a workbook rather than a
 * directory (and is no directory yet). */
static bool
looks_like_workbook(const char *dir)
{
	size_t len = strlen(dir);
	struct stat st;
	return len > 5 && !strcasecmp(dir + len - 5, ".xlsx") &&
	       !(stat(dir, &st) == 0 && S_ISDIR(st.st_mode));
}

int
cmd_roster(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "out", required_argument, NULL, 'd' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool roster (MISSION... | --all) "
			    "(-o FILE.xlsx | --out DIR)";
	const char *output = NULL, *dir = NULL;
	fs_roster_stats stats;
	fs_store *store = NULL;
	bool all = false;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'a':
			all = true;
			break;
		case 'h':
			printf("usage: %s\n%s", usage, ROSTER_HELP);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value (see --help)",
					       argv[optind - 1]);
		}
	}
	if (output && dir)
		return cmd_usage_error(usage, "give -o FILE.xlsx (one workbook) "
				       "or --out DIR (one per mission), not "
				       "both");
	if (dir && !*dir)
		return cmd_usage_error(usage, "--out: give a directory");
	if (dir && looks_like_workbook(dir))
		return cmd_usage_error(usage, "--out %s: names a directory for "
				       "a workbook per mission; for one "
				       "workbook, -o %s", dir, dir);
	if (!dir && (!output || !*output))
		return cmd_usage_error(usage, "-o FILE.xlsx or --out DIR is "
				       "required");
	if (output && !strcmp(output, "-"))
		return cmd_usage_error(usage, "-o -: a workbook cannot go to "
				       "standard output; name a file");
	if (all && optind < argc)
		return cmd_usage_error(usage, "give mission codes or --all, "
				       "not both");
	if (!all && optind == argc)
		return cmd_usage_error(usage, "give at least one mission code "
				       "(or --all)");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	if (dir) {
		status = roster_dir(store, dir, argv + optind,
				    (size_t)(argc - optind));
		fs_store_close(store);
		return status;
	}
	err = fs_roster_write(store, output, (const char *const *)argv + optind,
			      (size_t)(argc - optind), &stats);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	print_workbook(output, NULL, &stats);
	if (global.json)
		printf("\n");
	return EXIT_OK;
}
