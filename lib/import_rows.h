/*
 * import_rows.h - the rows of a CSV import, read and checked by a second
 * thread (import_rows.c; used by exchange.c, never installed).
 *
 * While the first thread writes rows into SQLite, the second reads the
 * file ahead: it splits each record into fields, trims them and takes off
 * an export's formula guard, checks their text (UTF-8, control
 * characters, length), and refuses a row whose identity (fs_format.identity)
 * an earlier row had.
 * Rows go from one thread to the other in a few batches of fixed size, so
 * memory does not grow with the file.  The rows come out in the order of
 * the file, and each row's problems with it.
 */
#ifndef FS_IMPORT_ROWS_H
#define FS_IMPORT_ROWS_H

#include <stdbool.h>

#include "fieldschool/csv.h"
#include "fieldschool/record.h"

struct import_rows;

/* One row of the file, valid until the next import_rows_next(). */
struct import_row {
	long line;  /* where its record starts */
	long bytes; /* bytes of the file read once it was (for progress) */
	/* by column of the format, NULL for a column the file lacks; NULL
	 * when the row cannot be used (wrong number of fields, bytes that
	 * are not UTF-8, a repeated identity): its problems say why */
	const char *const *values;
};

/* Starts reading the records after the header: map gives each of the
 * header's n_header fields its column of format (-1: ignored).  csv and
 * map are the reader's until import_rows_stop().  With ahead, a second
 * thread reads them ahead; without (or when no thread could be made) the
 * rows are read as they are asked for. */
fs_err import_rows_start(struct import_rows **out, fs_csv *csv,
			 const fs_format *format, const int *map,
			 size_t n_header, bool ahead);

/* The next row (*out NULL at the end of the file), after appending its
 * problems to problems.  A malformed record ends the rows with FS_EINPUT,
 * the detail saying where; FS_EIO (also for the temporary database of
 * identities), FS_ENOMEM. */
fs_err import_rows_next(struct import_rows *rows,
			const struct import_row **out, fs_problems *problems);

/* Stops the reader (whether it reached the end or not) and frees it.
 * NULL is fine. */
void import_rows_stop(struct import_rows *rows);

#endif
