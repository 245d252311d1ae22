/*
 * fieldschool/csv.h - RFC 4180 reading and writing.
 *
 * The reader accepts a leading UTF-8 byte order mark, LF or CRLF line ends,
 * and quoted fields holding commas, doubled quotes and line breaks; it skips
 * empty lines.  It refuses what RFC 4180 does not allow (a quote inside an
 * unquoted field, text after a closing quote, a quoted field left open, a NUL
 * byte) with the line where the problem is.  It does not judge the text
 * itself: callers check UTF-8 per field, to name the column at fault.
 */
#ifndef FIELDSCHOOL_CSV_H
#define FIELDSCHOOL_CSV_H

#include <stdbool.h>
#include <stdio.h>

#include "fieldschool/error.h"

typedef struct fs_csv fs_csv;

/* Starts reading fp (not closed by fs_csv_free); name is used in messages. */
fs_err fs_csv_open(fs_csv **out, FILE *fp, const char *name);
void fs_csv_free(fs_csv *csv);

/*
 * Reads the next record.  *has_row is false at the end of the file.
 * FS_EINPUT: malformed CSV, detail "name:line: reason".  FS_EIO: read error.
 */
fs_err fs_csv_read(fs_csv *csv, bool *has_row);

/* Keeps the record just read (the header) to name the field of a later
 * syntax error by its column ("file:line: family_name: ..."). */
fs_err fs_csv_keep_header(fs_csv *csv);
size_t fs_csv_count(const fs_csv *csv);            /* fields in the record */
const char *fs_csv_field(const fs_csv *csv, size_t i); /* borrowed */
long fs_csv_line(const fs_csv *csv);  /* line on which the record starts */
long fs_csv_bytes(const fs_csv *csv); /* bytes consumed so far */

/*
 * Writes one record, quoting the fields that need it, and ends it with CRLF
 * as RFC 4180 asks.  NULL fields are written empty.  A field that a
 * spreadsheet would run as a formula (see fs_csv_needs_guard) is written
 * with an apostrophe first, which spreadsheets show as text and an import
 * takes off (fs_csv_unguard).  FS_EIO on write error.
 */
fs_err fs_csv_write(FILE *fp, const char *const *fields, size_t n);

/* The UTF-8 byte order mark, which spreadsheets need to read UTF-8 (an
 * export's first bytes).  FS_EIO on write error. */
fs_err fs_csv_write_bom(FILE *fp);

/*
 * Does text need an apostrophe before it in a CSV file: does it start with
 * = + - @, a tab or a carriage return (a formula to a spreadsheet), other
 * than a plain number such as -1.5, or with apostrophes before such a
 * character (so that taking one apostrophe off on import is exact)?
 */
bool fs_csv_needs_guard(const char *text);

/* text without the apostrophe fs_csv_write put before it (borrowed from
 * text): "'=SUM(A1)" gives "=SUM(A1)", "'O'Brien" stays as it is. */
const char *fs_csv_unguard(const char *text);

#endif
