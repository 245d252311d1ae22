/*
 * cmd_attend.c - fieldschool attend import|export|list|mark, and
 * fieldschool certificates MISSION.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/attendance.h"
#include "fieldschool/csv.h"
#include "fieldschool/handout.h"
#include "fieldschool/json.h"

static int
attend_import(int argc, char **argv)
{
	return record_import(&fs_attendance_format, argc, argv);
}

static int
attend_export(int argc, char **argv)
{
	return record_export(&fs_attendance_format, argc, argv, false);
}

static int
attend_list(int argc, char **argv)
{
	static const int columns[] = {
		FS_ATT_MISSION, FS_ATT_DATE, FS_ATT_SESSION, FS_ATT_REF,
		FS_ATT_FAMILY_NAME, FS_ATT_GIVEN_NAME, FS_ATT_PRESENT,
	};
	const char *usage = "fieldschool attend list [MISSION] [--json]";
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: %s\n\nThe attendance recorded, by day and "
		       "name.\n", usage);
		return EXIT_OK;
	}
	if (reject_options(argc, argv, usage))
		return EXIT_USAGE;
	if (argc > 2)
		return cmd_usage_error(usage, "too many arguments");
	return record_list(&fs_attendance_format, argc > 1 ? argv[1] : NULL,
			   columns, sizeof(columns) / sizeof(columns[0]));
}

/* fieldschool attend mark --date D [--mission M] [--session S] [--absent]
 * REF...: one transaction, all or nothing. */
static int
attend_mark(int argc, char **argv)
{
	static const struct option options[] = {
		{ "date", required_argument, NULL, 'd' },
		{ "mission", required_argument, NULL, 'm' },
		{ "session", required_argument, NULL, 's' },
		{ "absent", no_argument, NULL, 'a' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool attend mark --date YYYY-MM-DD "
			    "[--mission M] [--session REF] [--absent] "
			    "[--force] PARTICIPANT...";
	fs_put_mode mode = FS_PUT_UPSERT;
	const char *values[FS_ATT__COUNT] = { NULL };
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_store *store = NULL;
	fs_import_stats counts;
	int c, status;
	fs_err err;

	values[FS_ATT_PRESENT] = "yes";
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			values[FS_ATT_DATE] = optarg;
			break;
		case 'm':
			values[FS_ATT_MISSION] = optarg;
			break;
		case 's':
			values[FS_ATT_SESSION] = optarg;
			break;
		case 'a':
			values[FS_ATT_PRESENT] = "no";
			break;
		case 'f':
			mode = FS_PUT_FORCE;
			break;
		case 'h':
			printf("usage: %s\n\nMarks the participants (by ref) "
			       "present, or --absent, on a day of their\n"
			       "mission or for one session (--session, an "
			       "agenda item's ref).  All or\nnothing: one bad "
			       "ref changes nothing.  Marking again updates "
			       "the mark.\nOnly confirmed registrations can be "
			       "marked present: --force marks an\napplied, "
			       "waitlisted or cancelled one anyway (the roster "
			       "still owes them\nnothing).\n", usage);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value (see --help)",
					       argv[optind - 1]);
		}
	}
	if (!values[FS_ATT_DATE])
		return cmd_usage_error(usage, "--date is required");
	if (optind == argc)
		return cmd_usage_error(usage, "give at least one participant "
				       "ref");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_attendance_mark(store, (const char *const *)argv + optind,
				 (size_t)(argc - optind), values, mode,
				 &problems, &counts);
	/* each problem named after its ref */
	for (size_t k = 0; k < problems.n; k++)
		fprintf(stderr, "fieldschool: %s: %s: %s\n",
			argv[optind + problems.items[k].line - 1],
			problems.items[k].column ? problems.items[k].column
						 : "ref",
			problems.items[k].reason);
	if (err)
		status = cmd_fail(err);
	else if (global.json)
		printf("{\"added\": %ld, \"changed\": %ld, \"unchanged\": "
		       "%ld}\n", counts.added, counts.changed, counts.unchanged);
	else
		printf("%s %s: %ld added, %ld changed, %ld unchanged\n",
		       values[FS_ATT_PRESENT][0] == 'y' ? "present" : "absent",
		       values[FS_ATT_DATE], counts.added, counts.changed,
		       counts.unchanged);
	fs_problems_release(&problems);
	fs_store_close(store);
	return status;
}

static const struct cmd attend_commands[] = {
	{ "mark", attend_mark, "mark participants present or absent" },
	{ "import", attend_import, "import attendance.csv (sign-in data)" },
	{ "export", attend_export, "export attendance.csv" },
	{ "list", attend_list, "list the attendance recorded" },
	{ NULL, NULL, NULL },
};

int
cmd_attend(int argc, char **argv)
{
	return cmd_dispatch(attend_commands, "fieldschool attend", argc, argv);
}

/* --- certificates ------------------------------------------------------------ */

struct cert_out {
	FILE *out;
	size_t printed;
	bool started;
};

/* The CSV header or the JSON '[': printed with the first row, or at the
 * end, so that an unknown mission prints nothing on standard output. */
static void
cert_begin(struct cert_out *c)
{
	if (c->started)
		return;
	c->started = true;
	if (global.json) {
		fputc('[', c->out);
	} else {
		const char *head[FS_CERT__COUNT];
		for (int i = 0; i < FS_CERT__COUNT; i++)
			head[i] = fs_certificate_columns[i].name;
		fs_csv_write_bom(c->out);
		fs_csv_write(c->out, head, FS_CERT__COUNT);
	}
}

static fs_err
print_certificate(void *ctx, const char *const *v)
{
	struct cert_out *c = ctx;

	cert_begin(c);
	if (!global.json)
		return fs_csv_write(c->out, v, FS_CERT__COUNT);
	fprintf(c->out, "%s\n  {", c->printed++ ? "," : "");
	for (int i = 0; i < FS_CERT__COUNT; i++) {
		fprintf(c->out, "%s\"%s\": ", i ? ", " : "",
			fs_certificate_columns[i].name);
		if (fs_certificate_columns[i].is_number)
			fputs(v[i], c->out);
		else
			fs_json_string(c->out, v[i]);
	}
	fputc('}', c->out);
	return FS_OK;
}

static int
certificates_pdf(const char *mission, int min_percent, const char *dir)
{
	fs_store *store = NULL;
	size_t n = 0;
	int status;
	fs_err err;

	if ((status = cmd_open_store(&store, 0)))
		return status;
	cmd_keep_heap();
	err = fs_certificates_pdf(store, mission, min_percent, dir, &n);
	fs_store_close(store);
	fs_handouts_cleanup();
	if (err)
		return cmd_fail(err);
	if (global.json) {
		printf("{\"dir\": ");
		fs_json_string(stdout, dir);
		printf(", \"certificates\": %zu}\n", n);
	} else {
		printf("%s: %zu certificate%s, and all.pdf with every one\n",
		       dir, n, n == 1 ? "" : "s");
	}
	return EXIT_OK;
}

static int
certificate_verify(const char *number)
{
	char *mission = NULL, *ref = NULL;
	fs_store *store = NULL;
	int status;
	fs_err err;

	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_certificate_verify(store, number, &mission, &ref);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	if (global.json) {
		printf("{\"number\": ");
		fs_json_string(stdout, number);
		printf(", \"mission\": ");
		fs_json_string(stdout, mission);
		printf(", \"ref\": ");
		fs_json_string(stdout, ref);
		printf("}\n");
	} else {
		printf("%s\t%s\t%s\n", number, mission, ref);
	}
	free(mission);
	free(ref);
	return EXIT_OK;
}

int
cmd_certificates(int argc, char **argv)
{
	static const struct option options[] = {
		{ "min-percent", required_argument, NULL, 'p' },
		{ "all", no_argument, NULL, 'a' },
		{ "pdf", required_argument, NULL, 'P' },
		{ "verify", required_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool certificates MISSION "
			    "[--min-percent 80] [--all] [--json] [--pdf DIR]\n"
			    "       fieldschool certificates --verify NUMBER";
	const char *pdf_dir = NULL, *verify = NULL;
	struct cert_out out = { stdout, 0, false };
	fs_store *store = NULL;
	long min_percent = 80;
	bool all = false;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		char *end = NULL;
		switch (c) {
		case 'p':
			errno = 0;
			min_percent = strtol(optarg, &end, 10);
			if (!*optarg || *end || errno || min_percent < 0 ||
			    min_percent > 100)
				return cmd_usage_error(usage, "--min-percent: "
						       "'%s': a whole number "
						       "from 0 to 100", optarg);
			break;
		case 'a':
			all = true;
			break;
		case 'P':
			pdf_dir = optarg;
			break;
		case 'V':
			verify = optarg;
			break;
		case 'h':
			printf("usage: %s\n\nLists, as CSV (or JSON with "
			       "--json), the confirmed participants who\n"
			       "attended at least --min-percent of the "
			       "mission's days (default 80): the\n"
			       "certificates of completion to print.  Days "
			       "present come from attendance\nonce any is "
			       "recorded for the mission, else from arrival "
			       "and departure\n(column basis).  --all lists "
			       "every confirmed participant, with a\n"
			       "qualifies column.\n\n"
			       "  --pdf DIR        print the certificates instead: "
			       "DIR/REF.pdf for each\n"
			       "                   person who qualifies and "
			       "DIR/all.pdf with every one\n"
			       "                   (A4 landscape, ready to sign), "
			       "written whole or not at all\n"
			       "  --verify NUMBER  say whose certificate a number "
			       "is (exit 3: not one this\n"
			       "                   database issued)\n", usage);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value (see --help)",
					       argv[optind - 1]);
		}
	}
	if (verify) {
		if (optind != argc || pdf_dir || all)
			return cmd_usage_error(usage, "--verify takes a number "
					       "and nothing else");
		return certificate_verify(verify);
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	if (pdf_dir && (!*pdf_dir || all))
		return cmd_usage_error(usage, !*pdf_dir ? "--pdf: name a "
				       "directory" : "--pdf prints those who "
				       "qualify: not with --all");
	if (pdf_dir)
		return certificates_pdf(argv[optind], (int)min_percent,
					pdf_dir);
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_certificates(store, argv[optind], (int)min_percent, all,
			      print_certificate, &out);
	if (!err)
		cert_begin(&out);
	if (!err && global.json)
		printf("%s]\n", out.printed ? "\n" : "");
	fs_store_close(store);
	if (!err && (fflush(stdout) || ferror(stdout)))
		err = fs_fail(FS_EIO, "standard output: %s", fs_errno_text(errno));
	return err ? cmd_fail(err) : EXIT_OK;
}
