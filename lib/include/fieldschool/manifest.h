/*
 * fieldschool/manifest.h - the list of files a publish directory serves.
 *
 * `publish` ends by writing DIR/.fieldschool-manifest: every file that
 * publishes into DIR wrote and that is there (of every database that
 * published into DIR), one path relative to DIR per line, after a first
 * line "fieldschool-manifest 1"; lines starting with '#' say which database
 * published each mission.  `serve` answers from this list only and never
 * maps a URL onto the filesystem, so whatever else lies in DIR (index.json,
 * temporary files, dotfiles, anything an operator copied in) is unreachable.
 * The file lists personal addresses: it is written with mode 0600.
 */
#ifndef FIELDSCHOOL_MANIFEST_H
#define FIELDSCHOOL_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"

#define FS_MANIFEST_NAME ".fieldschool-manifest"
#define FS_MANIFEST_HEADER "fieldschool-manifest 1\n"
/* A line that says which database published a mission, and what the
 * directory's index.html shows of it:
 *   #mission CODE DATABASE-ID START-DATE DAYS TITLE CITY
 * TITLE and CITY percent-encoded (every byte up to a space, DEL and '%').
 * A path never holds a space: serve takes no such line for a path. */
#define FS_MANIFEST_OWNER "#mission "

typedef struct fs_manifest fs_manifest;

/*
 * Whether path (len bytes, no NUL among them) may be served: relative, made
 * of non-empty components that do not start with '.' (no "..", no dotfiles,
 * no temporary files), printable ASCII or UTF-8 bytes without '\', '%' or
 * '"', and not an index.json (the organizer's list of addresses).
 */
bool fs_manifest_path_ok(const char *path, size_t len);

/*
 * Writes text (which starts with FS_MANIFEST_HEADER) as
 * dir/.fieldschool-manifest, atomically (a temporary file renamed), and only
 * when it differs from the file in place; temporary files of killed writers
 * are removed.  FS_EIO.
 */
fs_err fs_manifest_write(const char *dir, const char *text, size_t len);

/*
 * Reads the manifest of the directory open as dirfd into *out (the
 * caller's, fs_manifest_free).  FS_ENOTFOUND when there is none (not a
 * publish directory), FS_EINPUT when it is not a manifest, FS_EIO.
 */
fs_err fs_manifest_load(fs_manifest **out, int dirfd);

/* Whether the manifest lists path (len bytes). */
bool fs_manifest_has(const fs_manifest *manifest, const char *path,
		     size_t len);

/* The number of paths listed. */
size_t fs_manifest_count(const fs_manifest *manifest);

void fs_manifest_free(fs_manifest *manifest);

#endif
