/* cmd_check.c - fieldschool check [MISSION...] */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/json.h"
#include "fieldschool/schedule.h"

static const char CHECK_HELP[] =
	"\n"
	"Checks each mission (every mission when none is named) and prints one\n"
	"line per finding:\n"
	"  MISSION: error|warning: ITEM-OR-PARTICIPANT: what is wrong, and what "
	"to do\n"
	"Errors: a facilitator, a site or a group (or a participant, through\n"
	"their group or category) in two places at once; a visit audience over\n"
	"its site's capacity; an item outside the mission's days or with "
	"hours\n"
	"that make no sense; too little time to travel between consecutive\n"
	"places of a group; capacity or a category quota exceeded by confirmed\n"
	"registrations; a confirmed participant with no group while the agenda\n"
	"has group items; a mission that is not 3 or 4 days.\n"
	"Warnings: two items at once at a venue that may have several rooms;\n"
	"travel that eats into the buffer; arrival after a participant's first\n"
	"item, departure before their last; an item for a group or category\n"
	"with no confirmed participant (often a typo in its audience).\n"
	"\n"
	"options:\n"
	"  --speed KMH    travel speed between places (default 20, city "
	"traffic)\n"
	"  --buffer MIN   whole minutes to add to every trip (default 15)\n"
	"  --json         the findings as a JSON array\n"
	"\n"
	"exit status: 0 no errors (warnings allowed), 1 errors found, 3 unknown\n"
	"mission, 4 database failure\n";

static int
parse_number(const char *usage, const char *option, const char *text,
	     double min, double max, double *out)
{
	char *end;
	double v = strtod(text, &end);
	if (!*text || *end || v < min || v > max)
		return cmd_usage_error(usage, "--%s: '%s': expected a number "
				       "from %g to %g", option, text, min, max);
	*out = v;
	return EXIT_OK;
}

int
cmd_travel_options(const char *usage, int c, const char *arg,
		   fs_travel_options *travel)
{
	double v = 0;
	int status;

	if (c == 'S') {
		if ((status = parse_number(usage, "speed", arg, 1, 1000, &v)))
			return status;
		travel->speed_kmh = v;
	} else {
		long minutes;
		if ((status = cmd_whole_number(usage, "buffer", arg, 0, 600,
					       " of minutes", &minutes)))
			return status;
		travel->buffer_min = (int)minutes;
	}
	return EXIT_OK;
}

static void
print_json(const fs_findings *findings)
{
	printf("[");
	for (size_t i = 0; i < findings->n; i++) {
		const fs_finding *f = &findings->items[i];
		printf("%s\n  {\"mission\": ", i ? "," : "");
		fs_json_string(stdout, f->mission);
		printf(", \"severity\": \"%s\", \"rule\": ",
		       fs_severity_name(f->severity));
		fs_json_string(stdout, f->rule);
		printf(", \"subject\": ");
		fs_json_string(stdout, f->subject);
		printf(", \"message\": ");
		fs_json_string(stdout, f->message);
		printf("}");
	}
	printf("%s]\n", findings->n ? "\n" : "");
}

/* FS_ENOTFOUND naming every name not among codes. */
static fs_err
known_missions(char **codes, size_t n_codes, char **names, int n_names)
{
	char list[512] = "";
	size_t len = 0;
	int unknown = 0;

	for (int i = 0; i < n_names; i++) {
		bool found = false;
		for (size_t k = 0; k < n_codes && !found; k++)
			found = !strcmp(codes[k], names[i]);
		if (found)
			continue;
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len,
						"%s'%s'", unknown ? ", " : "",
						names[i]);
		unknown++;
	}
	if (!unknown)
		return FS_OK;
	return fs_fail(FS_ENOTFOUND, "no mission%s %s%s",
		       unknown == 1 ? "" : "s", list,
		       n_names > unknown ? "; nothing was checked" : "");
}

int
cmd_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "speed", required_argument, NULL, 'S' },
		{ "buffer", required_argument, NULL, 'B' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool check [--speed KMH] [--buffer MIN] "
			    "[MISSION...]";
	fs_travel_options travel = { 0, -1 };
	fs_findings findings = FS_FINDINGS_INIT;
	fs_store *store = NULL;
	char **codes = NULL;
	size_t n_codes = 0, n_warnings;
	int c, status;
	fs_err err = FS_OK;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: %s\n%s", usage, CHECK_HELP);
			return EXIT_OK;
		} else if (c == 'S' || c == 'B') {
			if ((status = cmd_travel_options(usage, c, optarg,
							 &travel)))
				return status;
		} else {
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if ((status = cmd_open_store(&store, 0)))
		return status;
	if ((err = fs_schedule_missions(store, &codes, &n_codes)))
		goto done;
	if (optind == argc) {
		for (size_t i = 0; i < n_codes && !err; i++)
			err = fs_schedule_check(store, codes[i], &travel,
						&findings);
	} else {
		/* every name first: an unknown one is refused before any
		 * mission is checked, not after some were */
		if ((err = known_missions(codes, n_codes, argv + optind,
					  argc - optind)))
			goto done;
		for (int i = optind; i < argc && !err; i++)
			err = fs_schedule_check(store, argv[i], &travel,
						&findings);
	}
	if (err)
		goto done;
	if (global.json) {
		print_json(&findings);
	} else {
		for (size_t i = 0; i < findings.n; i++) {
			const fs_finding *f = &findings.items[i];
			printf("%s: %s: %s: %s\n", f->mission,
			       fs_severity_name(f->severity), f->subject,
			       term_text(f->message));
		}
		n_warnings = findings.n - findings.n_errors;
		fprintf(stderr, "fieldschool: %zu error%s, %zu warning%s\n",
			findings.n_errors, findings.n_errors == 1 ? "" : "s",
			n_warnings, n_warnings == 1 ? "" : "s");
	}
done:
	for (size_t i = 0; i < n_codes; i++)
		free(codes[i]);
	free(codes);
	fs_store_close(store);
	status = err ? cmd_fail(err)
		     : findings.n_errors ? EXIT_CHECK : EXIT_OK;
	fs_findings_release(&findings);
	return status;
}
