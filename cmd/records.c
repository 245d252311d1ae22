/*
 * records.c - the commands missions, participants and agenda items share:
 * add and edit from options, list and show, import and export.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fieldschool/json.h"

#define MAX_COLUMNS 32

/* "given_name" -> "given-name" */
static void
option_name(const char *column, char *out, size_t size)
{
	snprintf(out, size, "%s", column);
	for (char *p = out; *p; p++)
		if (*p == '_')
			*p = '-';
}

static void
print_record_help(const fs_format *format, const char *usage)
{
	printf("usage: %s\n\noptions (values as in %s.csv; an empty value "
	       "clears a field):\n", usage, format->name);
	for (size_t c = 0; c < format->n_columns; c++) {
		char name[64];
		if (format->columns[c].is_output)
			continue;
		option_name(format->columns[c].name, name, sizeof(name));
		printf("  --%-16s %s%s\n", name, format->columns[c].help,
		       format->columns[c].required ? " (required for new)" : "");
	}
	printf("  --db FILE          database (default $FIELDSCHOOL_DB or "
	       "fieldschool.db)\n");
}

int
record_options(const fs_format *format, int argc, char **argv,
	       const char *usage, const char **values, int *first)
{
	struct option options[MAX_COLUMNS + 2];
	char names[MAX_COLUMNS][64];
	size_t n = 0;
	int c;

	for (size_t i = 0; i < format->n_columns; i++) {
		values[i] = NULL;
		if (format->columns[i].is_output)
			continue;
		option_name(format->columns[i].name, names[n], sizeof(names[n]));
		options[n] = (struct option){ names[n], required_argument, NULL,
					      (int)(1000 + i) };
		n++;
	}
	options[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	options[n] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			print_record_help(format, usage);
			return EXIT_OK;
		}
		if (c == '?' || c == ':')
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value (see --help)",
					       argv[optind - 1]);
		values[c - 1000] = optarg;
	}
	*first = optind;
	return -1;
}

int
record_put(const fs_format *format, const char **values, fs_put_mode mode)
{
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_store *store = NULL;
	fs_put_outcome outcome;
	char key[128] = "";
	int status;
	fs_err err;

	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_record_put(format, store, values, mode, &problems, &outcome,
			    key);
	if (err) {
		status = cmd_report(err, &problems, NULL);
	} else if (global.json) {
		printf("{\"key\": ");
		fs_json_string(stdout, key);
		printf(", \"outcome\": \"%s\"}\n",
		       outcome == FS_PUT_ADDED	   ? "added"
		       : outcome == FS_PUT_CHANGED ? "changed"
						   : "unchanged");
	} else if (mode == FS_PUT_CREATE) {
		printf("%s\n", key);
	} else {
		printf("%s: %s\n", key,
		       outcome == FS_PUT_UNCHANGED ? "unchanged" : "changed");
	}
	fs_problems_release(&problems);
	fs_store_close(store);
	return status;
}

/* The command that handles a format: "agenda" for agenda items, "attend"
 * for attendance, else the format's noun. */
static const char *
command_of(const fs_format *format)
{
	if (!strcmp(format->name, "agenda"))
		return "agenda";
	if (!strcmp(format->name, "attendance"))
		return "attend";
	return format->noun;
}

/* --- import ------------------------------------------------------------ */

static void
show_progress(void *ctx, long done, long total)
{
	const char *name = ctx;
	if (total > 0)
		progress_show("importing %s: %3ld%%", name,
			      (long)(done * 100.0 / total));
}

/* What identifies a row of the format's file, and where the README
 * describes the file. */
static void
format_words(const fs_format *format, const char **key, const char **where)
{
	*where = "'CSV files'";
	if (!strcmp(format->name, "missions")) {
		*key = "A row whose code is known updates that mission";
	} else if (!strcmp(format->name, "agenda")) {
		*key = "A row whose mission and ref are known updates that item";
	} else if (!strcmp(format->name, "attendance")) {
		*key = "A row with the same ref, mission, date and session as "
		       "one recorded\nupdates it";
		*where = "'Attendance and certificates'";
	} else {
		*key = "A row whose ref (or, without a ref, whose email) is "
		       "known updates\nthat person";
	}
}

static void
print_import_help(const fs_format *format, const char *usage)
{
	const char *key, *where;

	format_words(format, &key, &where);
	printf("usage: %s\n\nImports %s.csv, all or nothing: a file with any "
	       "bad row changes nothing,\nand every bad row is reported as "
	       "file:line: column: reason.\n%s.\nFILE '-' reads standard "
	       "input.  The format: README.md, %s.\n\n"
	       "  --dry-run          check the file, change nothing\n"
	       "  --ignore-unknown   skip unknown columns\n\ncolumns (a "
	       "header row names them, in any order and case):\n",
	       usage, format->name, key, where);
	for (size_t c = 0; c < format->n_columns; c++) {
		if (format->columns[c].is_output)
			continue;
		printf("  %-16s %s%s\n", format->columns[c].name,
		       format->columns[c].help,
		       format->columns[c].required ? " (required)" : "");
	}
}

/* An empty cell clears what it stands for: say so when that undid a
 * planned group or a decided status, which re-importing the first file
 * of a mission would do quietly. */
static void
warn_cleared(const char *name, const fs_import_stats *stats, bool dry_run)
{
	if (stats->groups_cleared)
		fprintf(stderr, "fieldschool: warning: %s: %ld registration%s "
			"%s their group cleared by an empty group cell "
			"(leave the column out to keep the groups)\n",
			name, stats->groups_cleared,
			fs_plural(stats->groups_cleared),
			dry_run ? "would have" : "had");
	if (stats->statuses_reset)
		fprintf(stderr, "fieldschool: warning: %s: %ld registration%s "
			"%s back to applied by an empty status cell (leave "
			"the column out to keep the statuses)\n",
			name, stats->statuses_reset,
			fs_plural(stats->statuses_reset),
			dry_run ? "would go" : "went");
	if (stats->items_repeated)
		fprintf(stderr, "fieldschool: warning: %s: %ld agenda item%s "
			"without a ref %s added beside one of the same "
			"mission, day, start and title: a row without a ref is "
			"always new (export the agenda, which gives every item "
			"a ref, and edit that file)\n",
			name, stats->items_repeated,
			fs_plural(stats->items_repeated),
			dry_run			     ? "would be"
			: stats->items_repeated == 1 ? "was"
						     : "were");
}

int
record_import(const fs_format *format, int argc, char **argv)
{
	static const struct option options[] = {
		{ "ignore-unknown", no_argument, NULL, 'i' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char usage[160];
	fs_import_options opts = { 0 };
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_import_stats stats;
	fs_store *store = NULL;
	bool dry_run = false;
	int c, status;
	fs_err err;

	snprintf(usage, sizeof(usage),
		 "fieldschool %s import [--dry-run] [--ignore-unknown] FILE.csv",
		 command_of(format));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hn", options, NULL)) != -1) {
		switch (c) {
		case 'i':
			opts.ignore_unknown = true;
			break;
		case 'n':
			dry_run = true;
			break;
		case 'h':
			print_import_help(format, usage);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one CSV file to import");
	if (isatty(STDERR_FILENO) && strcmp(argv[optind], "-")) {
		opts.progress = show_progress;
		opts.progress_ctx = argv[optind];
	}
	if ((status = cmd_open_store(&store, 0)))
		return status;
	if (dry_run && (err = fs_store_begin(store)))
		goto done;
	err = fs_import_file(store, format, argv[optind], &opts, &problems,
			     &stats);
	if (dry_run)
		fs_store_rollback(store);
	progress_clear();
done:
	if (err) {
		status = cmd_report(err, &problems, argv[optind]);
	} else if (global.json) {
		printf("{\"rows\": %ld, \"added\": %ld, \"changed\": %ld, "
		       "\"unchanged\": %ld, \"groups_cleared\": %ld, "
		       "\"statuses_reset\": %ld, \"items_repeated\": %ld, "
		       "\"dry_run\": %s}\n",
		       stats.rows, stats.added, stats.changed, stats.unchanged,
		       stats.groups_cleared, stats.statuses_reset,
		       stats.items_repeated,
		       dry_run ? "true" : "false");
	} else {
		printf("%s: %ld row%s: %ld added, %ld changed, %ld unchanged%s\n",
		       argv[optind], stats.rows, stats.rows == 1 ? "" : "s",
		       stats.added, stats.changed, stats.unchanged,
		       dry_run ? " (dry run: nothing written)" : "");
	}
	if (!err)
		warn_cleared(argv[optind], &stats, dry_run);
	fs_problems_release(&problems);
	fs_store_close(store);
	return status;
}

/* --- export ------------------------------------------------------------ */

int
record_export(const fs_format *format, int argc, char **argv,
	      bool needs_mission)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *noun = command_of(format);
	const char *output = NULL, *mission = NULL;
	char usage[160];
	fs_store *store = NULL;
	int c, status;
	fs_err err;

	snprintf(usage, sizeof(usage), "fieldschool %s export %s [-o FILE]",
		 noun, needs_mission ? "MISSION" : "[MISSION]");
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'h': {
			const char *key, *where;
			format_words(format, &key, &where);
			printf("usage: %s\n\nWrites %s.csv (README.md, %s) to "
			       "standard output or, atomically,\nto FILE; "
			       "importing it again changes nothing.\n",
			       usage, format->name, where);
			return EXIT_OK;
		}
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (optind < argc)
		mission = argv[optind++];
	if (optind < argc || (needs_mission && !mission))
		return cmd_usage_error(usage, needs_mission
					       ? "give one mission code"
					       : "too many arguments");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	if (output && strcmp(output, "-")) {
		err = fs_export_file(store, format, mission, output);
	} else {
		err = fs_export(store, format, mission, stdout);
		if (!err && (fflush(stdout) || ferror(stdout)))
			err = fs_fail(FS_EIO, "standard output: %s",
				      fs_errno_text(errno));
	}
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

/* --- list and show ------------------------------------------------------ */

struct list {
	const fs_format *format;
	const int *columns;
	bool json;
	size_t printed;
	struct table table;
};

void
record_json_fields(const fs_format *format, const char *const *values,
		   size_t from, size_t to)
{
	for (size_t c = from; c < to; c++) {
		const char *v = values[c];
		printf("%s\"%s\": ", c > from ? ", " : "",
		       format->columns[c].name);
		if (!*v)
			printf(format->columns[c].is_number ? "null" : "\"\"");
		else if (format->columns[c].is_number)
			printf("%s", v);
		else
			fs_json_string(stdout, v);
	}
}

static fs_err
json_row(const fs_format *format, const char *const *values)
{
	printf("{");
	record_json_fields(format, values, 0, format->n_columns);
	printf("}");
	return FS_OK;
}

static fs_err
collect_row(void *ctx, const char *const *values)
{
	struct list *l = ctx;
	const char *cells[MAX_COLUMNS];

	if (l->json) {
		printf("%s\n  ", l->printed++ ? "," : "[");
		return json_row(l->format, values);
	}
	for (size_t i = 0; i < l->table.n_columns; i++)
		cells[i] = values[l->columns[i]];
	return table_add(&l->table, cells);
}

int
record_list(const fs_format *format, const char *mission, const int *columns,
	    size_t n_columns)
{
	struct list l = { format, columns, global.json, 0, { 0 } };
	const char *headers[MAX_COLUMNS];
	fs_store *store = NULL;
	int status;
	fs_err err;

	for (size_t i = 0; i < n_columns; i++)
		headers[i] = format->columns[columns[i]].name;
	table_init(&l.table, n_columns, headers);
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = format->each(store, mission, NULL, collect_row, &l);
	if (l.json && !err)
		printf("%s]\n", l.printed ? "\n" : "[");
	else if (!err)
		table_print(&l.table, stdout);
	table_release(&l.table);
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

/* record_show: the columns before `shared` describe the record, those from
 * `shared` on one of its parts (a participant's registrations), a row each. */
struct show {
	const fs_format *format;
	size_t shared;
	const char *parts;
	size_t rows;
};

static void
show_columns(const fs_format *format, const char *const *values, size_t from,
	     size_t to)
{
	for (size_t c = from; c < to; c++) {
		printf("%-14s ", format->columns[c].name);
		for (const char *p = term_lines(values[c]); *p; p++) {
			putchar(*p);
			if (*p == '\n')
				printf("%-15s", "");
		}
		putchar('\n');
	}
}

static fs_err
show_row(void *ctx, const char *const *values)
{
	struct show *s = ctx;
	size_t n = s->format->n_columns;
	/* a record without parts comes as one row of empty part columns */
	bool has_part = s->shared < n && *values[s->shared];

	if (global.json) {
		if (s->rows++ == 0) {
			printf("{");
			record_json_fields(s->format, values, 0,
					   s->parts ? s->shared : n);
			if (s->parts)
				printf(", \"%s\": [", s->parts);
		} else {
			printf(", ");
		}
		if (s->parts && has_part) {
			printf("{");
			record_json_fields(s->format, values, s->shared, n);
			printf("}");
		}
		return FS_OK;
	}
	if (s->rows++ == 0)
		show_columns(s->format, values, 0, s->parts ? s->shared : n);
	if (s->parts && has_part) {
		putchar('\n');
		show_columns(s->format, values, s->shared, n);
	}
	return FS_OK;
}

int
record_show(const fs_format *format, const char *mission, const char *key)
{
	return record_show_parts(format, mission, key, format->n_columns,
				 NULL);
}

int
record_show_parts(const fs_format *format, const char *mission,
		  const char *key, size_t shared, const char *parts)
{
	struct show show = { format, shared, parts, 0 };
	fs_store *store = NULL;
	int status;
	fs_err err;

	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = format->each(store, mission, key, show_row, &show);
	if (!err && global.json && show.rows)
		printf("%s}\n", parts ? "]" : "");
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}
