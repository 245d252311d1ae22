/* cmd_plan.c - fieldschool plan groups|visits MISSION */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/json.h"
#include "fieldschool/schedule.h"

/* A count option: a whole number from 1 to max. */
static int
parse_count(const char *usage, const char *option, const char *text, int max,
	    int *out)
{
	long v;
	int status = cmd_whole_number(usage, option, text, 1, max, "", &v);
	if (!status)
		*out = (int)v;
	return status;
}

/* The plan as JSON: the groups' sizes and every move. */
static void
print_groups_json(const fs_group_plan *plan, const char *mission,
		  bool dry_run)
{
	printf("{\"mission\": ");
	fs_json_string(stdout, mission);
	printf(", \"dry_run\": %s, \"groups\": {",
	       dry_run ? "true" : "false");
	for (int g = 0; g < plan->n_groups; g++)
		printf("%s\"%s\": %ld", g ? ", " : "", plan->labels[g],
		       plan->sizes[g]);
	printf("}, \"kept\": %zu, \"moves\": [", plan->n_kept);
	for (size_t i = 0; i < plan->n_moves; i++) {
		printf("%s\n  {\"ref\": ", i ? "," : "");
		fs_json_string(stdout, plan->moves[i].ref);
		printf(", \"from\": ");
		fs_json_string(stdout, plan->moves[i].from);
		printf(", \"to\": ");
		fs_json_string(stdout, plan->moves[i].to);
		printf("}");
	}
	printf("%s]}\n", plan->n_moves ? "\n" : "");
}

/* The moves (in a dry run), the groups' sizes, and how many kept, joined
 * or changed their group. */
static void
print_groups(const fs_group_plan *plan, const char *mission, bool dry_run)
{
	size_t joined = 0;

	if (dry_run)
		for (size_t i = 0; i < plan->n_moves; i++)
			printf("%s: %s -> %s\n", plan->moves[i].ref,
			       *plan->moves[i].from ? plan->moves[i].from
						    : "(none)",
			       plan->moves[i].to);
	for (size_t i = 0; i < plan->n_moves; i++)
		joined += !*plan->moves[i].from;
	printf("%s: %zu confirmed participant%s in %d group%s:", mission,
	       plan->n_people, fs_plural((long)plan->n_people),
	       plan->n_groups, fs_plural(plan->n_groups));
	for (int g = 0; g < plan->n_groups && g < 26; g++)
		printf(" %s %ld", plan->labels[g], plan->sizes[g]);
	if (plan->n_groups > 26)
		printf(" ... %s %ld", plan->labels[plan->n_groups - 1],
		       plan->sizes[plan->n_groups - 1]);
	printf("\n%s%zu kept their group, %zu joined one, %zu moved\n",
	       dry_run ? "dry run, nothing saved: " : "", plan->n_kept, joined,
	       plan->n_moves - joined);
}

static int
plan_groups(int argc, char **argv)
{
	static const struct option options[] = {
		{ "groups", required_argument, NULL, 'g' },
		{ "max-size", required_argument, NULL, 'm' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool plan groups MISSION [--groups N | "
			    "--max-size N] [--dry-run]";
	fs_group_options opts = { 0, 0, false };
	fs_group_plan plan = { 0 };
	fs_store *store = NULL;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: %s\n\n"
			       "Splits the confirmed participants into site-"
			       "visit groups A, B, C...: sizes differ\n"
			       "by at most one, and so do the counts of each "
			       "category; then organizations,\n"
			       "countries and languages are mixed.  Run again "
			       "after late registrations or\n"
			       "cancellations: everyone who can stay in their "
			       "group stays, and the fewest\n"
			       "people move.\n\n"
			       "options:\n"
			       "  --groups N     this many groups\n"
			       "  --max-size N   as few groups as keep each at "
			       "most N people\n"
			       "  (neither: as many groups as are in use, else "
			       "groups of at most %d)\n"
			       "  --dry-run      show the moves, change nothing\n",
			       usage, FS_GROUP_DEFAULT_SIZE);
			return EXIT_OK;
		} else if (c == 'g') {
			if ((status = parse_count(usage, "groups", optarg,
						  100000, &opts.n_groups)))
				return status;
		} else if (c == 'm') {
			if ((status = parse_count(usage, "max-size", optarg,
						  100000, &opts.max_size)))
				return status;
		} else if (c == 'n') {
			opts.dry_run = true;
		} else {
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	if (opts.n_groups && opts.max_size)
		return cmd_usage_error(usage, "give --groups or --max-size, "
				       "not both");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_schedule_plan_groups(store, argv[optind], &opts, &plan);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	if (global.json)
		print_groups_json(&plan, argv[optind], opts.dry_run);
	else
		print_groups(&plan, argv[optind], opts.dry_run);
	fs_group_plan_release(&plan);
	return EXIT_OK;
}

static const char *
method_name(fs_visit_method method)
{
	return method == FS_VISITS_COLOURING ? "flow and edge colouring (exact)"
	       : method == FS_VISITS_SEARCH ? "exhaustive search (exact)"
					    : "keeping the current rotation, "
					      "which still holds";
}

/* The rotation as JSON: one object per visit. */
static void
print_rotation_json(const fs_visit_result *r)
{
	bool first = true;

	printf("[");
	for (size_t g = 0; g < r->n_groups; g++)
		for (size_t j = 0; j < r->n_sites; j++) {
			int w = r->window_of[g * r->n_sites + j];
			if (w < 0)
				continue;
			printf("%s\n  {\"group\": ", first ? "" : ",");
			fs_json_string(stdout, r->groups[g]);
			printf(", \"site\": ");
			fs_json_string(stdout, r->sites[j]);
			printf(", \"window\": ");
			fs_json_string(stdout, r->windows[w]);
			printf("}");
			first = false;
		}
	printf("%s]\n", first ? "" : "\n");
}

/* The rotation window by window ("day 1 09:00-10:30: A at Site; B+C at
 * Other"), then what was planned and saved. */
static void
print_rotation(const fs_visit_result *r, const char *mission, bool dry_run)
{
	for (size_t w = 0; w < r->n_windows; w++) {
		int shown = 0;
		printf("%s:", r->windows[w]);
		for (size_t j = 0; j < r->n_sites; j++) {
			bool any = false;
			for (size_t g = 0; g < r->n_groups; g++)
				if (r->window_of[g * r->n_sites + j] == (int)w) {
					printf("%s%s", any ? "+"
						: shown++ ? "; " : " ",
					       r->groups[g]);
					any = true;
				}
			if (any)
				printf(" at %s", term_text(r->sites[j]));
		}
		printf("\n");
	}
	printf("%s: %zu group%s, %zu site%s, %zu window%s, by %s\n"
	       "%sagenda: %ld added, %ld changed, %ld unchanged, "
	       "%ld removed\n", mission, r->n_groups,
	       fs_plural((long)r->n_groups), r->n_sites,
	       fs_plural((long)r->n_sites), r->n_windows,
	       fs_plural((long)r->n_windows), method_name(r->method),
	       dry_run ? "dry run, nothing saved: " : "", r->added,
	       r->changed, r->unchanged, r->removed);
}

static int
plan_visits(int argc, char **argv)
{
	static const struct option options[] = {
		{ "slots", required_argument, NULL, 's' },
		{ "per-group", required_argument, NULL, 'k' },
		{ "max-steps", required_argument, NULL, 'x' },
		{ "speed", required_argument, NULL, 'S' },
		{ "buffer", required_argument, NULL, 'B' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool plan visits MISSION [--slots "
			    "'DAY HH:MM-HH:MM,...'] [--per-group K] "
			    "[--dry-run]";
	fs_visit_options opts = { NULL, 0, false, 0, { 0, -1 } };
	fs_visit_result r = { 0 };
	fs_store *store = NULL;
	int c, status, steps;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: %s\n\n"
			       "Builds the rotation of the mission's groups "
			       "through its visit sites and writes it\n"
			       "as visit items with group audiences.  The "
			       "sites are the places of the\n"
			       "mission's visit items (with their host, "
			       "capacity and title); the windows are\n"
			       "the times of those items, or --slots.  Every "
			       "group visits every site (or K),\n"
			       "one per window; no site holds more people "
			       "than its capacity; a site is used\n"
			       "in a window only when the trip from the "
			       "previous place and back fits, and a\n"
			       "group visits two sites in windows of one day "
			       "only when the gap between them\n"
			       "holds the trip (the rule of 'fieldschool "
			       "check', buffer included).  Windows\n"
			       "must not overlap an item for everyone; an "
			       "item for a group keeps that group\n"
			       "out of the windows it overlaps.  When no "
			       "rotation exists, says which bound\n"
			       "fails and changes nothing.\n\n"
			       "options:\n"
			       "  --slots S        windows: DAY HH:MM-HH:MM, "
			       "separated by ',' (DAY 1-4 or a date)\n"
			       "  --per-group K    sites each group visits "
			       "(default: all)\n"
			       "  --speed KMH      travel speed (default 20)\n"
			       "  --buffer MIN     whole minutes added to each "
			       "trip (default 15)\n"
			       "  --max-steps N    give up the exact search "
			       "after N steps (default 5000000)\n"
			       "  --dry-run        show the rotation, change "
			       "nothing\n", usage);
			return EXIT_OK;
		} else if (c == 's') {
			opts.slots = optarg;
		} else if (c == 'k') {
			if ((status = parse_count(usage, "per-group", optarg,
						  1000, &opts.per_group)))
				return status;
		} else if (c == 'x') {
			if ((status = parse_count(usage, "max-steps", optarg,
						  2000000000, &steps)))
				return status;
			opts.node_limit = steps;
		} else if (c == 'S' || c == 'B') {
			if ((status = cmd_travel_options(usage, c, optarg,
							 &opts.travel)))
				return status;
		} else if (c == 'n') {
			opts.dry_run = true;
		} else {
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_schedule_plan_visits(store, argv[optind], &opts, &r);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	if (global.json)
		print_rotation_json(&r);
	else
		print_rotation(&r, argv[optind], opts.dry_run);
	fs_visit_result_release(&r);
	return EXIT_OK;
}

int
cmd_plan(int argc, char **argv)
{
	static const struct cmd plan_commands[] = {
		{ "groups", plan_groups,
		  "split confirmed participants into balanced groups" },
		{ "visits", plan_visits,
		  "rotate the groups through the visit sites" },
		{ NULL, NULL, NULL },
	};
	return cmd_dispatch(plan_commands, "fieldschool plan", argc, argv);
}
