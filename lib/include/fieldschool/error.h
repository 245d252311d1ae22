/*
 * fieldschool/error.h - one error type for the whole library.
 *
 * Every fallible fs_ function returns an fs_err.  The words that explain a
 * failure ("no mission 'crete'") are kept aside, set where the failure is
 * understood, and read back with fs_errdetail().
 */
#ifndef FIELDSCHOOL_ERROR_H
#define FIELDSCHOOL_ERROR_H

#include <stddef.h>

typedef enum fs_err {
	FS_OK = 0,
	FS_ENOMEM,    /* allocation failed */
	FS_EIO,       /* a file could not be read or written */
	FS_EDB,       /* SQLite refused; the detail quotes sqlite3_errmsg() */
	FS_EBUSY,     /* another fieldschool holds the database for too long */
	FS_ENOTFOUND, /* no such mission, participant, item, category ... */
	FS_EEXISTS,   /* the code or ref is already taken */
	FS_EINPUT,    /* malformed user data: a date, a CSV row, an option */
} fs_err;

/* "not found", "input rejected"...: a fixed phrase, never NULL. */
const char *fs_strerror(fs_err err);

/* "s" unless n is 1, for counts in messages: "%ld item%s", n, fs_plural(n). */
static inline const char *
fs_plural(long n)
{
	return n == 1 ? "" : "s";
}

/* strerror(errnum), but "the disk is full" for ENOSPC and EDQUOT (the
 * C library's "No space left on device" leaves people guessing). */
const char *fs_errno_text(int errnum);

/* The detail of the last failure in this thread, or "" when none was set. */
const char *fs_errdetail(void);

/* Keeps a printf-formatted detail and returns err, for `return fs_fail(...)`. */
fs_err fs_fail(fs_err err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * Problems are the findings of validation: many may come from one file, each
 * tied to a line (0 when there is no line, as for command-line options) and a
 * column (NULL when the whole row is at fault).  They are data, not errors:
 * a function that finds any returns FS_EINPUT.
 */
typedef struct fs_problem {
	long line;
	const char *column; /* static: a column name from the format */
	char *reason;       /* owned by the list */
} fs_problem;

typedef struct fs_problems {
	fs_problem *items;
	size_t n, cap;
} fs_problems;

#define FS_PROBLEMS_INIT { NULL, 0, 0 }

/* Appends a problem; returns FS_EINPUT, or FS_ENOMEM if it could not. */
fs_err fs_problems_add(fs_problems *list, long line, const char *column,
		       const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void fs_problems_release(fs_problems *list);

#endif
