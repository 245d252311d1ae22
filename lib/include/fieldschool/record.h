/*
 * fieldschool/record.h - records as the CSV formats see them.
 *
 * Missions, participants and agenda items travel as rows of text, one value
 * per column of their FORMATS.md format.  The same row type serves every way
 * in and out: a CSV import calls put() per line, `participant add --email X`
 * builds a row from its options and calls put() once, export and --json
 * print the rows that each() hands out.  So a value is checked by one piece
 * of code, with one message, whichever way it came.
 *
 * In a row given to put(), a NULL value means "column absent: keep what is
 * stored (or the default, for a new record)"; "" means "clear it".
 */
#ifndef FIELDSCHOOL_RECORD_H
#define FIELDSCHOOL_RECORD_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"

/*
 * What text a column holds, and its limit in characters (code points),
 * documented in the README ("Text").  Every value, on every way in, must
 * be UTF-8 without control characters (C0, DEL, C1); only addresses and
 * notes may hold line breaks and tabs.
 */
typedef enum fs_text_kind {
	FS_TEXT_LINE = 0, /* codes, dates, numbers, lists: one line, limited
			     by their own rules */
	FS_TEXT_NAME,     /* names and other short text: 200 characters */
	FS_TEXT_TITLE,    /* titles: 300 characters */
	FS_TEXT_ADDRESS,  /* addresses: 500 characters, line breaks allowed */
	FS_TEXT_NOTE,     /* descriptions and notes: 10,000 characters, line
			     breaks allowed */
} fs_text_kind;

typedef struct fs_column {
	const char *name;   /* as in the CSV header: "given_name" */
	bool required;      /* must be given for a new record */
	bool is_number;     /* written as a JSON number */
	bool is_output;     /* computed (uid, sequence): exported to JSON only */
	const char *help;   /* one line for --help */
	fs_text_kind text;  /* what its text may hold */
} fs_column;

typedef enum fs_put_mode {
	FS_PUT_UPSERT, /* update the record the key names, or add it (import) */
	FS_PUT_CREATE, /* add; FS_EEXISTS when the key is taken */
	FS_PUT_UPDATE, /* update; FS_ENOTFOUND when nothing has the key */
	FS_PUT_FORCE,  /* as FS_PUT_UPSERT, and accept what only a --force
			* allows: a person not confirmed marked present */
} fs_put_mode;

typedef enum fs_put_outcome {
	FS_PUT_ADDED,
	FS_PUT_CHANGED,
	FS_PUT_UNCHANGED,
} fs_put_outcome;

/* Called once per row by each(): values[i] belongs to columns[i]. */
typedef fs_err (*fs_row_fn)(void *ctx, const char *const *values);

typedef struct fs_format {
	const char *name;        /* "participants" */
	const char *noun;        /* "participant" */
	const fs_column *columns;
	size_t n_columns;
	/* Adds or updates one record.  Bad values become problems, tied to
	 * line, and the call returns FS_EINPUT; *outcome says what happened.
	 * ref_out, when not NULL, receives the record's key (at most 127
	 * bytes), useful when it was generated. */
	fs_err (*put)(fs_store *store, const char *const *values,
		      fs_put_mode mode, long line, fs_problems *problems,
		      fs_put_outcome *outcome, char *ref_out);
	/* Calls fn for every record (of one mission when mission is not
	 * NULL; FS_ENOTFOUND if there is no such mission), in a stable order.
	 * key, when not NULL, picks one record by its ref or code. */
	fs_err (*each)(fs_store *store, const char *mission, const char *key,
		       fs_row_fn fn, void *ctx);
	/* What identifies a row within one file, for refusing duplicates:
	 * writes it to buf and returns the column to blame, or returns NULL
	 * when the row has no identity (it will always be added). */
	const char *(*identity)(const char *const *values, char *buf,
				size_t size);
	/* put() finds every row that a row it writes refers to (or refuses
	 * the row), and deletes nothing: an import of the format alone
	 * needs no foreign key checks from SQLite. */
	bool checks_parents;
	/* Writes what put() kept back during an import, before the import
	 * commits; NULL when put() writes each row at once. */
	fs_err (*finish)(fs_store *store);
} fs_format;

extern const fs_format fs_missions_format;
extern const fs_format fs_participants_format;
extern const fs_format fs_agenda_format;

/* The index of a column by its name (case-insensitive), or -1. */
int fs_format_column(const fs_format *format, const char *name);

typedef struct fs_import_stats {
	long rows, added, changed, unchanged;
	/* registrations whose planned group, or whose status other than
	 * applied, an empty cell cleared (participants) */
	long groups_cleared, statuses_reset;
	/* agenda items without a ref added beside one of the same mission,
	 * day, start and title: a file without refs imported again */
	long items_repeated;
} fs_import_stats;

typedef struct fs_import_options {
	bool ignore_unknown; /* skip unknown columns instead of refusing */
	/* Called now and then with the bytes read so far, for a progress bar. */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
} fs_import_options;

/*
 * Imports a CSV file of the given format, all or nothing: when any row is
 * bad, nothing changes and every bad row is in *problems (FS_EINPUT).  name
 * is the file's name in the problems; path "-" reads standard input.
 * FS_EIO: the file cannot be read.
 */
fs_err fs_import_file(fs_store *store, const fs_format *format,
		      const char *path, const fs_import_options *options,
		      fs_problems *problems, fs_import_stats *stats);
fs_err fs_import_stream(fs_store *store, const fs_format *format, FILE *fp,
			const char *name, long size,
			const fs_import_options *options,
			fs_problems *problems, fs_import_stats *stats);

/* Writes the records (of one mission, or all when mission is NULL) as CSV
 * with a header row.  FS_EIO on a write error. */
fs_err fs_export(fs_store *store, const fs_format *format, const char *mission,
		 FILE *out);

/* The same, into the file at path, atomically (fieldschool/file.h): the old
 * file stays whole until the new one is complete.  FS_EIO. */
fs_err fs_export_file(fs_store *store, const fs_format *format,
		      const char *mission, const char *path);

/*
 * Adds or updates one record through format->put, after refusing every
 * value that is not UTF-8, holds a control character or is longer than its
 * column's kind of text allows (a problem per column, FS_EINPUT): the way
 * in for values from anywhere but a CSV file, whose import checks its cells
 * alike, with their line.  Arguments as for put, with no line.
 */
fs_err fs_record_put(const fs_format *format, fs_store *store,
		     const char *const *values, fs_put_mode mode,
		     fs_problems *problems, fs_put_outcome *outcome,
		     char *ref_out);

#endif
