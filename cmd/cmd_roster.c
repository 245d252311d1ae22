/* cmd_roster.c - fieldschool roster MISSION... -o FILE.xlsx */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/json.h"
#include "fieldschool/roster.h"

static const char ROSTER_HELP[] =
	"\nWrites one Excel workbook for finance staff: per mission the sheets\n"
	"Roster (a row per registration, money as formulas with their results\n"
	"stored), Payment (cash to sign for), By category, Finance rules,\n"
	"Sign-in day 1..N, Site visits (a page per bus), Caterer and Agenda,\n"
	"each ready to print on A4; with several missions (or --all) a Summary\n"
	"sheet first and the mission's code after each sheet's name.  The file\n"
	"is written to a"
	" temporary name and renamed: a failure leaves nothing\n"
	"half-written.\n"
	"\n"
	"  -o, --output FILE   the workbook to write (.xlsx), required\n"
	"  --all               every mission\n"
	"\n"
	"Finance rules are the missions' per_diem, nightly_rate, travel_share\n"
	"(percent of per diem per travel day, default 75) and meal_deduction\n"
	"(per day present, default 0): see 'fieldschool mission edit --help'.\n";

int
cmd_roster(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "all", no_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool roster (MISSION... | --all) -o FILE.xlsx";
	const char *output = NULL;
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
	if (!output || !*output)
		return cmd_usage_error(usage, "-o FILE.xlsx is required");
	if (!strcmp(output, "-"))
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
	err = fs_roster_write(store, output, (const char *const *)argv + optind,
			      (size_t)(argc - optind), &stats);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	if (global.json) {
		printf("{\"file\": ");
		fs_json_string(stdout, output);
		printf(", \"missions\": %d, \"sheets\": %d, "
		       "\"registrations\": %ld}\n", stats.missions,
		       stats.sheets, stats.registrations);
	} else {
		printf("%s: %d mission%s, %d sheet%s, %ld registration%s\n",
		       output, stats.missions, stats.missions == 1 ? "" : "s",
		       stats.sheets, fs_plural(stats.sheets), stats.registrations,
		       stats.registrations == 1 ? "" : "s");
	}
	return EXIT_OK;
}
