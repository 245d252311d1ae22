/*
 * fieldschool/store.h - the database: one SQLite file.
 *
 * The file is opened in WAL mode with foreign keys on and a busy timeout, so
 * that two fieldschool commands on one database wait for each other instead
 * of failing.  Its schema is versioned with PRAGMA user_version and migrated
 * forward when opened; a database written by a newer fieldschool is refused.
 */
#ifndef FIELDSCHOOL_STORE_H
#define FIELDSCHOOL_STORE_H

#include <stdbool.h>

#include "fieldschool/error.h"

typedef struct fs_store fs_store;

enum fs_store_flags {
	FS_STORE_CREATE = 1 << 0, /* create the file when it does not exist */
};

/*
 * Opens (and with FS_STORE_CREATE creates) the database at path, migrates it
 * to the current schema and loads the shipped categories and curricula into
 * a new one.  *out is the caller's, closed with fs_store_close().
 * A file this user cannot write (or whose directory they cannot write) is
 * opened read-only: reads work, writes fail with FS_EIO and a message that
 * says why.  FS_EIO: no file and no FS_STORE_CREATE, a directory, a file
 * that cannot be opened.  FS_EINPUT: not a fieldschool database, or one
 * from a newer version.
 */
fs_err fs_store_open(fs_store **out, const char *path, unsigned flags);
void fs_store_close(fs_store *store);

/* The path a command uses without --db: $FIELDSCHOOL_DB, else fieldschool.db. */
const char *fs_store_default_path(void);

/* The schema version this library writes (PRAGMA user_version). */
int fs_store_schema_version(void);

/*
 * Groups several changes into one transaction: all or none of them are kept.
 * Nested calls are counted; only the outermost commit writes.  A rollback at
 * any depth makes the outermost commit roll back too.
 */
fs_err fs_store_begin(fs_store *store);
fs_err fs_store_commit(fs_store *store);
void fs_store_rollback(fs_store *store);

#endif
