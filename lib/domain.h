/*
 * domain.h - what the record modules share inside lib/ (never installed):
 * lookups one module makes in another's table, and binding helpers.
 */
#ifndef FS_DOMAIN_H
#define FS_DOMAIN_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "fieldschool/store.h"

struct mission_info {
	int64_t id;
	char code[65];
	int64_t first_day; /* days since 1970-01-01 */
	int days;
	char timezone[64];
};

/* FS_ENOTFOUND with the detail "no mission 'x'". */
fs_err mission_lookup(fs_store *store, const char *code,
		      struct mission_info *out);

/* A category by code or by number ("3"); FS_ENOTFOUND. */
fs_err category_resolve(fs_store *store, const char *code_or_number,
			int64_t *id_out);

/* Replaces a mission's quotas; *changed says whether they differed. */
fs_err replace_quotas(fs_store *store, int64_t mission_id, const int64_t *cats,
		      const long *seats, int n, bool *changed);

/* Find-or-create, by name; FS_EINPUT when the name is empty. */
fs_err place_ensure(fs_store *store, const char *name, int64_t *id_out);
/* The same; *created says whether the place is new (no item is there) */
fs_err place_ensure_new(fs_store *store, const char *name, int64_t *id_out,
			bool *created);
fs_err facilitator_ensure(fs_store *store, const char *name, int64_t *id_out);

/*
 * Binds an optional number as two parameters, value at i and "given" at
 * i + 1, for statements of the form CASE WHEN ?(i+1) THEN ?i ELSE col END:
 * text NULL (column absent) keeps the stored value, "" stores NULL.
 */
void bind_optional_double(sqlite3_stmt *stmt, int i, const char *text,
			  double value);
void bind_optional_int(sqlite3_stmt *stmt, int i, const char *text,
		       int64_t value);

/* Column texts for REAL coordinates and integer cents; "" for NULL. */
const char *column_double_text(sqlite3_stmt *stmt, int col, char buf[32]);
const char *column_money_text(sqlite3_stmt *stmt, int col, char buf[32]);

/*
 * In a put() function: records a problem with column col of the record
 * (the file's `columns` table) at `line` in `problems`, and returns
 * FS_ENOMEM from the function if it could not.
 */
#define PROBLEM(col, ...)                                                    \
	do {                                                                 \
		if (fs_problems_add(problems, line, columns[col].name,       \
				    __VA_ARGS__) == FS_ENOMEM)               \
			return FS_ENOMEM;                                    \
	} while (0)

static inline int
toupper_ascii(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

#endif
