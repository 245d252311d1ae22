/* fieldschool/file.h - writing output files whole or not at all. */
#ifndef FIELDSCHOOL_FILE_H
#define FIELDSCHOOL_FILE_H

#include <stdio.h>

#include "fieldschool/error.h"

typedef fs_err (*fs_write_fn)(FILE *out, void *ctx);

/*
 * Writes path through fn: into a temporary file in the same directory,
 * flushed to disk, then renamed over path.  Readers see the old file or the
 * new one, never a part; on failure the old file stays and the temporary
 * one is removed.  FS_EIO (the detail names path).
 */
fs_err fs_write_atomic(const char *path, fs_write_fn fn, void *ctx);

/* Creates a directory and its parents (mkdir -p).  FS_EIO. */
fs_err fs_mkdirs(const char *path);

#endif
