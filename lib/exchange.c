/*
 * exchange.c - CSV import and export of any fs_format.
 *
 * An import runs in one transaction.  Every row is checked and written in
 * one pass; once a row is bad the rest are still checked (so the user sees
 * every problem at once) and the transaction is rolled back at the end.  A
 * killed import therefore leaves the database as it was, and a concurrent
 * one waits for the write lock (fs_store_begin takes it up front).  A
 * second thread reads the file and checks each row's text ahead of the
 * rows being written (import_rows.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "fieldschool/csv.h"
#include "fieldschool/file.h"
#include "fieldschool/record.h"
#include "import_rows.h"
#include "store.h"
#include "value.h"

int
fs_format_column(const fs_format *format, const char *name)
{
	for (size_t i = 0; i < format->n_columns; i++)
		if (!format->columns[i].is_output &&
		    !strcasecmp(format->columns[i].name, name))
			return (int)i;
	return -1;
}

/* ';' or a tab when the header's first field is a column's name followed
 * by one of them (a spreadsheet saved with its language's separator),
 * else 0. */
static char
other_separator(const fs_csv *csv, const fs_format *format)
{
	const char *first = fs_csv_field(csv, 0);
	size_t len = strcspn(first, ";\t");
	char name[64];

	if (!first[len] || len >= sizeof(name))
		return 0;
	memcpy(name, first, len);
	name[len] = '\0';
	return fs_format_column(format, trim(name)) >= 0 ? first[len] : 0;
}

/* Maps the header's fields to columns; -1 for an ignored column. */
static fs_err
read_header(fs_csv *csv, const fs_format *format,
	    const fs_import_options *options, int **map_out, size_t *n_out,
	    fs_problems *problems)
{
	size_t n = fs_csv_count(csv);
	int *map = calloc(n, sizeof(*map));
	bool seen[64] = { false };
	fs_err err = FS_OK;

	*map_out = NULL;
	if (!map)
		return fs_fail(FS_ENOMEM, "out of memory");
	char sep = other_separator(csv, format);
	if (sep) {
		free(map);
		return fs_problems_add(problems, fs_csv_line(csv), NULL,
				       "the columns are separated by %s, not "
				       "commas: save the file as CSV with "
				       "commas (in Excel: CSV UTF-8 (Comma "
				       "delimited); in LibreOffice: field "
				       "delimiter ',')",
				       sep == ';' ? "semicolons" : "tabs") ==
				       FS_ENOMEM
			       ? FS_ENOMEM
			       : FS_EINPUT;
	}
	for (size_t i = 0; i < n; i++) {
		char *name = strdup(fs_csv_field(csv, i));
		int col;
		if (!name) {
			free(map);
			return fs_fail(FS_ENOMEM, "out of memory");
		}
		col = fs_format_column(format, trim(name));
		if (col < 0 && !options->ignore_unknown)
			err = fs_problems_add(problems, fs_csv_line(csv), NULL,
					      "unknown column '%s' (use "
					      "--ignore-unknown to skip it)",
					      name);
		else if (col >= 0 && seen[col])
			err = fs_problems_add(problems, fs_csv_line(csv), NULL,
					      "column '%s' appears twice", name);
		if (col >= 0)
			seen[col] = true;
		map[i] = col;
		free(name);
		if (err == FS_ENOMEM)
			break;
	}
	for (size_t c = 0; c < format->n_columns && err != FS_ENOMEM; c++) {
		const fs_column *column = &format->columns[c];
		if (column->required && !seen[c])
			err = fs_problems_add(problems, fs_csv_line(csv), NULL,
					      "missing required column '%s'",
					      column->name);
	}
	if (err == FS_ENOMEM) {
		free(map);
		return err;
	}
	*map_out = map;
	*n_out = n;
	return FS_OK;
}

/* Whether fp reads a regular file (not a pipe, a terminal or a socket). */
static bool
is_regular_file(FILE *fp)
{
	struct stat st;

	return fstat(fileno(fp), &st) == 0 && S_ISREG(st.st_mode);
}

/* Puts each row the reader hands over; a row with problems is noted and
 * skipped, so that one import reports them all. */
static fs_err
put_rows(fs_store *store, const fs_format *format, struct import_rows *rows,
	 const fs_import_options *options, long size, fs_problems *problems,
	 fs_import_stats *stats, bool *syntax_error)
{
	long next_report = 0;
	fs_err err = FS_OK;

	for (;;) {
		const struct import_row *row;
		fs_put_outcome outcome;

		if ((err = import_rows_next(rows, &row, problems)) || !row) {
			*syntax_error = err == FS_EINPUT;
			break;
		}
		stats->rows++;
		if (options->progress && row->bytes >= next_report) {
			options->progress(options->progress_ctx, row->bytes,
					  size);
			next_report = row->bytes + (1 << 20);
		}
		if (!row->values)
			continue;
		err = format->put(store, row->values, FS_PUT_UPSERT, row->line,
				  problems, &outcome, NULL);
		if (err == FS_EINPUT)
			continue;
		if (err)
			break;
		if (outcome == FS_PUT_ADDED)
			stats->added++;
		else if (outcome == FS_PUT_CHANGED)
			stats->changed++;
		else
			stats->unchanged++;
	}
	return err;
}

fs_err
fs_import_stream(fs_store *store, const fs_format *format, FILE *fp,
		 const char *name, long size, const fs_import_options *options,
		 fs_problems *problems, fs_import_stats *stats)
{
	static const fs_import_options no_options;
	fs_csv *csv = NULL;
	struct import_rows *rows = NULL;
	int *map = NULL;
	size_t n_header = 0;
	bool has_row, began = false, syntax_error = false, keyed = false;
	size_t first_problem = problems->n;
	fs_err err;

	if (!options)
		options = &no_options;
	*stats = (fs_import_stats){ 0 };
	if ((err = fs_csv_open(&csv, fp, name)))
		return err;
	if ((err = fs_csv_read(csv, &has_row)))
		goto done;
	if (!has_row) {
		err = fs_fail(FS_EINPUT, "%s: empty file (expected a header "
				      "row)", name);
		goto done;
	}
	if ((err = read_header(csv, format, options, &map, &n_header,
			       problems)) ||
	    (err = fs_csv_keep_header(csv)))
		goto done;
	if (n_header > 256) {
		err = fs_fail(FS_EINPUT, "%s: %zu columns: at most 256", name,
			      n_header);
		goto done;
	}
	if (problems->n > first_problem) {
		err = FS_EINPUT;
		goto done;
	}
	if ((err = store_import_start(store, format->checks_parents)))
		goto done;
	keyed = true;
	if ((err = fs_store_begin(store)))
		goto done;
	began = true;
	/* a second thread reads and checks the rows ahead, and refuses a
	 * repeated one (import_rows.c); from a file only: on a pipe that
	 * stalls, it would keep a failed import waiting for more input */
	if ((err = import_rows_start(&rows, csv, format, map, n_header,
				     is_regular_file(fp))))
		goto done;
	err = put_rows(store, format, rows, options, size, problems, stats,
		       &syntax_error);
	if (!err && problems->n > first_problem)
		err = FS_EINPUT;
	if (!err && format->finish)
		err = format->finish(store);
	stats->groups_cleared = store->import_notes.groups;
	stats->statuses_reset = store->import_notes.statuses;
	stats->items_repeated = store->import_notes.same_items;
	if (!err && options->progress)
		options->progress(options->progress_ctx, size, size);
done:
	import_rows_stop(rows);
	if (began) {
		if (err) {
			fs_store_rollback(store);
		} else if ((err = fs_store_commit(store))) {
			; /* the detail says why */
		}
	}
	/* a CSV syntax error keeps its own detail: "file:line: reason" */
	if (err == FS_EINPUT && problems->n > first_problem && !syntax_error)
		fs_fail(FS_EINPUT, "%s: %zu problem%s, nothing imported", name,
			problems->n - first_problem,
			problems->n - first_problem == 1 ? "" : "s");
	if (err)
		*stats = (fs_import_stats){ 0 };
	if (keyed)
		store_import_end(store);
	free(map);
	fs_csv_free(csv);
	return err;
}

fs_err
fs_import_file(fs_store *store, const fs_format *format, const char *path,
	       const fs_import_options *options, fs_problems *problems,
	       fs_import_stats *stats)
{
	FILE *fp;
	struct stat st;
	long size = 0;
	fs_err err;

	if (!strcmp(path, "-"))
		return fs_import_stream(store, format, stdin, "<stdin>", 0,
					options, problems, stats);
	if (!(fp = fopen(path, "rb")))
		return fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	if (fstat(fileno(fp), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fclose(fp);
			return fs_fail(FS_EIO, "%s: is a directory", path);
		}
		size = (long)st.st_size;
	}
	err = fs_import_stream(store, format, fp, path, size, options, problems,
			       stats);
	fclose(fp);
	return err;
}

struct export_ctx {
	const fs_format *format;
	FILE *out;
	const char **row;
	bool started; /* the header is written */
};

/* The header goes out with the first row (or at the end): a mission that
 * does not exist fails before anything is written. */
static fs_err
export_header(struct export_ctx *ctx)
{
	size_t n = 0;

	ctx->started = true;
	for (size_t c = 0; c < ctx->format->n_columns; c++)
		if (!ctx->format->columns[c].is_output)
			ctx->row[n++] = ctx->format->columns[c].name;
	/* a byte order mark, so that a spreadsheet reads UTF-8 */
	fs_err err = fs_csv_write_bom(ctx->out);
	return err ? err : fs_csv_write(ctx->out, ctx->row, n);
}

static fs_err
export_row(void *ctx_, const char *const *values)
{
	struct export_ctx *ctx = ctx_;
	size_t n = 0;
	fs_err err;

	if (!ctx->started && (err = export_header(ctx)))
		return err;
	for (size_t c = 0; c < ctx->format->n_columns; c++)
		if (!ctx->format->columns[c].is_output)
			ctx->row[n++] = values[c];
	return fs_csv_write(ctx->out, ctx->row, n);
}

fs_err
fs_export(fs_store *store, const fs_format *format, const char *mission,
	  FILE *out)
{
	const char *row[64];
	struct export_ctx ctx = { format, out, row, false };
	fs_err err;

	if ((err = format->each(store, mission, NULL, export_row, &ctx)))
		return err;
	if (!ctx.started && (err = export_header(&ctx)))
		return err;
	if (fflush(out) != 0 || ferror(out))
		return fs_fail(FS_EIO, "writing CSV: %s", fs_errno_text(errno));
	return FS_OK;
}

struct export_job {
	fs_store *store;
	const fs_format *format;
	const char *mission;
};

static fs_err
export_job_run(FILE *out, void *ctx)
{
	struct export_job *job = ctx;
	return fs_export(job->store, job->format, job->mission, out);
}

fs_err
fs_export_file(fs_store *store, const fs_format *format, const char *mission,
	       const char *path)
{
	struct export_job job = { store, format, mission };
	return fs_write_atomic(path, export_job_run, &job);
}

fs_err
fs_record_put(const fs_format *format, fs_store *store,
	      const char *const *values, fs_put_mode mode,
	      fs_problems *problems, fs_put_outcome *outcome, char *ref_out)
{
	size_t before = problems->n;
	char text_why[160];
	const char *why;

	for (size_t c = 0; c < format->n_columns; c++)
		if (values[c] &&
		    (why = check_text(values[c], format->columns[c].text,
				      text_why, sizeof(text_why))) &&
		    fs_problems_add(problems, 0, format->columns[c].name, "%s",
				    why) == FS_ENOMEM)
			return FS_ENOMEM;
	if (problems->n > before)
		return FS_EINPUT;
	return format->put(store, values, mode, 0, problems, outcome, ref_out);
}
