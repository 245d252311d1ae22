/* fieldschool/file.h - writing output files whole or not at all. */
#ifndef FIELDSCHOOL_FILE_H
#define FIELDSCHOOL_FILE_H

#include <stdbool.h>
#include <stdio.h>

#include "fieldschool/error.h"

typedef fs_err (*fs_write_fn)(FILE *out, void *ctx);

/*
 * Writes path through fn: into a new file without a name (O_TMPFILE) in
 * the same directory, flushed to disk, then given a temporary name
 * (PATH.tmp.XXXXXX) and renamed over path.  Readers see the old file or
 * the new one, never a part; on failure the old file stays and nothing
 * else; a process killed meanwhile leaves nothing either (or, where the
 * file system has no O_TMPFILE, a PATH.tmp.XXXXXX that the next write of
 * path removes).  FS_EIO (the detail names path).
 */
fs_err fs_write_atomic(const char *path, fs_write_fn fn, void *ctx);
/* The same, readable by its owner only (mode 0600): for secrets. */
fs_err fs_write_private(const char *path, fs_write_fn fn, void *ctx);

/*
 * The same in steps, for a writer that needs a file name (libxlsxwriter):
 * fs_atomic_open() makes the new file, whose name for open() is a->name
 * (/proc/self/fd/N, or the temporary name) while a->fd keeps it alive;
 * write it, then fs_atomic_commit() puts it in place, or
 * fs_atomic_abort() drops it.  Both release a.  FS_EIO.
 */
typedef struct fs_atomic {
	char *path;       /* the target */
	const char *base; /* its last component, in path */
	int dir;          /* its directory */
	int fd;           /* the new file */
	bool named;       /* the new file has the temporary name */
	bool hidden;      /* the temporary name is .PATH.tmp.XXXXXX */
	bool is_synced;   /* flushed to disk (fs_atomic_sync) */
	char temp[512];   /* the temporary name, in dir ("" when none) */
	char name[600];   /* how others open the new file by name */
} fs_atomic;

#define FS_ATOMIC_INIT { NULL, NULL, -1, -1, false, false, false, "", "" }

fs_err fs_atomic_open(fs_atomic *a, const char *path);
fs_err fs_atomic_commit(fs_atomic *a);
void fs_atomic_abort(fs_atomic *a);

/*
 * For a writer of several files that replaces them only when all are
 * complete (fs_roster_write_dir): fs_atomic_open_hidden() is
 * fs_atomic_open() with a hidden temporary name, .BASE.tmp.XXXXXX (a
 * killed writer's leftovers are not mistaken for outputs; the next write
 * of path removes them either way); fs_atomic_sync() flushes the complete
 * file to disk (also in a child process that inherited a: its file, and
 * its lock when named, are the opener's; the child must not prepare,
 * commit or abort);
 * fs_atomic_prepare() also gives it its temporary name, locked, beside
 * path, and fs_atomic_commit() then only renames.  After a failed
 * fs_atomic_sync() or _prepare(), a is still the caller's to
 * fs_atomic_abort().  FS_EIO.
 */
fs_err fs_atomic_open_hidden(fs_atomic *a, const char *path);
fs_err fs_atomic_sync(fs_atomic *a);
fs_err fs_atomic_prepare(fs_atomic *a);

/* Creates a directory and its parents (mkdir -p).  FS_EIO. */
fs_err fs_mkdirs(const char *path);

#endif
