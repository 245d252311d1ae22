/*
 * store.h - what lib/ files share about the database (never installed).
 *
 * Every statement lives in queries.c, named by an enum query; store_stmt()
 * hands out a prepared, reset statement from a cache, so a query is compiled
 * once per open database however many rows use it.
 */
#ifndef FS_STORE_INTERNAL_H
#define FS_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "domain.h"
#include "fieldschool/store.h"
#include "queries.h"
#include "strmap.h"

/* Lookups an import makes on every row, remembered.  Emptied when an
 * outermost transaction starts or rolls back, and by any change to the
 * tables they copy (store_forget). */
struct store_cache {
	struct mission_info mission;  /* the last mission looked up */
	bool has_mission;
	struct {
		char key[32];
		int64_t id;
	} categories[16];
	int n_categories;
	struct strmap *emails; /* lowercased email -> participant id */
	struct zone *zone;     /* the last time zone loaded, by name */
	char zone_name[64];
};

struct fs_store {
	sqlite3 *db;
	int depth;          /* fs_store_begin() nesting */
	bool failed;        /* a nested rollback happened */
	bool readonly;      /* opened read-only: this user cannot write it */
	bool is_lean;       /* an import made the caches small (store_import_*) */
	bool in_import;     /* between store_import_start() and _end() */
	bool is_unchecked;  /* an import turned foreign keys off (same) */
	/* during an import, a Bloom filter of the participants' refs
	 * (participant.c), made when first needed; has_no_refs: not made */
	unsigned char *import_refs;
	bool has_no_refs;
	/* new people kept back to be written many at once (participant.c);
	 * one allocation, freed by store_import_start() and _end() */
	struct new_people *import_people;
	/* what an import's user should hear of: planned groups and statuses
	 * its empty cells cleared (participant.c), items without a ref added
	 * again (agenda.c) */
	struct {
		long groups, statuses, same_items;
	} import_notes;
	char *path;         /* as given to fs_store_open, for messages */
	sqlite3_stmt *stmts[Q__COUNT];
	struct store_cache cache;
};

/*
 * An import (exchange.c) runs with SQLite's page cache made small and its
 * sorts spilled to a file, so that memory stays the same however many
 * rows the file has (the identities of its rows are kept by the reader,
 * import_rows.c).  store_import_start() comes before the import's
 * transaction begins, store_import_end() after it ends; an import inside
 * a larger transaction keeps the caches as they are.  checks_parents: the
 * format's put() finds every row its rows refer to (fs_format), so
 * SQLite's foreign key checks are off until _end() (again only for an
 * import on its own).  On failure, nothing is left changed.
 */
fs_err store_import_start(fs_store *store, bool checks_parents);
void store_import_end(fs_store *store);

/* Defines the SQL functions the queries use (fs_fold) on a connection. */
void store_register_functions(sqlite3 *db);

/* Empties the cache of lookups. */
void store_forget(fs_store *store);

/* For a run that streams a whole mission's rows (badges, certificates):
 * when small, a page cache of 2 MB instead of 32 and sorts that go to a
 * temporary file beyond it, so that memory does not grow with the
 * mission; else the settings fs_store_open() made.  Not in a transaction
 * (SQLite refuses to move temporary storage there; nothing changes). */
void store_memory_small(fs_store *store, bool small);

/* The time zone of that name, loaded once per transaction (zone.c).
 * Borrowed.  FS_ENOTFOUND, FS_EINPUT. */
struct zone;
fs_err store_zone(fs_store *store, const char *name, const struct zone **out);

/* The cached statement for q, reset, bindings cleared.  Borrowed. */
fs_err store_stmt(fs_store *store, enum query q, sqlite3_stmt **out);

/* Records sqlite3_errmsg() as the detail and returns FS_EDB (or FS_EBUSY). */
fs_err store_fail(fs_store *store, const char *what);

/* Runs a statement to completion that returns no rows. */
fs_err store_done(fs_store *store, sqlite3_stmt *stmt, const char *what);

/* Binds text, or NULL when text is NULL.  The text is not copied: it must
 * live until the statement has run. */
int store_bind_text(sqlite3_stmt *stmt, int i, const char *text);

/* A column as text, "" for NULL (never NULL). */
const char *store_text(sqlite3_stmt *stmt, int col);

/* The current time in UTC, as 'YYYY-MM-DDTHH:MM:SSZ'.  SOURCE_DATE_EPOCH,
 * when set, replaces the clock, for reproducible outputs and tests. */
void store_now(char buf[21]);

/* Fills buf with n random bytes from the OS (getrandom). */
fs_err store_random(void *buf, size_t n);

/* Loads the shipped categories and curricula (data.c). */
fs_err data_seed(fs_store *store);

#endif
