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
		fprintf(stderr, "\rimporting %s: %3ld%%", name,
			(long)(done * 100.0 / total));
	if (done >= total && total > 0)
		fputs("\n", stderr);
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
			printf("usage: %s\n\nImports %s.csv (see FORMATS.md), "
			       "all or nothing: a file with any bad row changes "
			       "nothing\nand every bad row is reported as "
			       "file:line: column: reason.  Rows whose ref is\n"
			       "known update that record in place.  FILE '-' "
			       "reads standard input.\n\n"
			       "  --dry-run          check the file, change "
			       "nothing\n"
			       "  --ignore-unknown   skip unknown columns\n",
			       usage, format->name);
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
done:
	if (err) {
		status = cmd_report(err, &problems, argv[optind]);
	} else if (global.json) {
		printf("{\"rows\": %ld, \"added\": %ld, \"changed\": %ld, "
		       "\"unchanged\": %ld, \"dry_run\": %s}\n",
		       stats.rows, stats.added, stats.changed, stats.unchanged,
		       dry_run ? "true" : "false");
	} else {
		printf("%s: %ld row%s: %ld added, %ld changed, %ld unchanged%s\n",
		       argv[optind], stats.rows, stats.rows == 1 ? "" : "s",
		       stats.added, stats.changed, stats.unchanged,
		       dry_run ? " (dry run: nothing written)" : "");
	}
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
		case 'h':
			printf("usage: %s\n\nWrites %s.csv (see FORMATS.md) to "
			       "standard output or, atomically, to FILE.\n",
			       usage, format->name);
			return EXIT_OK;
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
				      strerror(errno));
	}
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

/* --- list and show ------------------------------------------------------ */

/* Display width of UTF-8 text: code points, not counting combining marks. */
static size_t
width(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80 &&
		    !(p[0] == 0xCC || (p[0] == 0xCD && p[1] < 0xB0)))
			n++;
	return n;
}

struct table {
	const fs_format *format;
	const int *columns;
	size_t n_columns;
	char **cells; /* rows x n_columns */
	size_t rows, cap;
	bool json;
	size_t printed;
};

static fs_err
json_row(const fs_format *format, const char *const *values)
{
	printf("{");
	for (size_t c = 0; c < format->n_columns; c++) {
		const char *v = values[c];
		printf("%s\"%s\": ", c ? ", " : "", format->columns[c].name);
		if (!*v)
			printf(format->columns[c].is_number ? "null" : "\"\"");
		else if (format->columns[c].is_number)
			printf("%s", v);
		else
			fs_json_string(stdout, v);
	}
	printf("}");
	return FS_OK;
}

static fs_err
collect_row(void *ctx, const char *const *values)
{
	struct table *t = ctx;

	if (t->json) {
		printf("%s\n  ", t->printed++ ? "," : "");
		return json_row(t->format, values);
	}
	if (t->rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **cells = realloc(t->cells,
				       cap * t->n_columns * sizeof(*cells));
		if (!cells)
			return fs_fail(FS_ENOMEM, "out of memory");
		t->cells = cells;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->n_columns; i++) {
		char *cell = strdup(term_text(values[t->columns[i]]));
		if (!cell)
			return fs_fail(FS_ENOMEM, "out of memory");
		t->cells[t->rows * t->n_columns + i] = cell;
	}
	t->rows++;
	return FS_OK;
}

static void
print_table(struct table *t)
{
	size_t widths[MAX_COLUMNS] = { 0 };

	for (size_t i = 0; i < t->n_columns; i++)
		widths[i] = width(t->format->columns[t->columns[i]].name);
	for (size_t r = 0; r < t->rows; r++)
		for (size_t i = 0; i < t->n_columns; i++) {
			size_t w = width(t->cells[r * t->n_columns + i]);
			if (w > widths[i])
				widths[i] = w;
		}
	for (long r = -1; r < (long)t->rows; r++) {
		for (size_t i = 0; i < t->n_columns; i++) {
			const char *cell =
				r < 0 ? t->format->columns[t->columns[i]].name
				      : t->cells[r * t->n_columns + i];
			bool last = i + 1 == t->n_columns;
			fputs(cell, stdout);
			if (!last)
				printf("%*s", (int)(widths[i] - width(cell) + 2),
				       "");
		}
		putchar('\n');
	}
}

int
record_list(const fs_format *format, const char *mission, const int *columns,
	    size_t n_columns)
{
	struct table t = { format, columns, n_columns, NULL, 0, 0, global.json,
			   0 };
	fs_store *store = NULL;
	int status;
	fs_err err;

	if ((status = cmd_open_store(&store, 0)))
		return status;
	if (t.json)
		printf("[");
	err = format->each(store, mission, NULL, collect_row, &t);
	if (t.json)
		printf("%s]\n", t.printed ? "\n" : "");
	else if (!err)
		print_table(&t);
	for (size_t i = 0; i < t.rows * t.n_columns; i++)
		free(t.cells[i]);
	free(t.cells);
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

static fs_err
show_row(void *ctx, const char *const *values)
{
	const fs_format *format = ctx;

	if (global.json) {
		json_row(format, values);
		putchar('\n');
		return FS_OK;
	}
	for (size_t c = 0; c < format->n_columns; c++) {
		printf("%-14s ", format->columns[c].name);
		for (const char *p = term_lines(values[c]); *p; p++) {
			putchar(*p);
			if (*p == '\n')
				printf("%-15s", "");
		}
		putchar('\n');
	}
	return FS_OK;
}

int
record_show(const fs_format *format, const char *mission, const char *key)
{
	fs_store *store = NULL;
	int status;
	fs_err err;

	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = format->each(store, mission, key, show_row, (void *)format);
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}
