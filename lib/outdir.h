/*
 * outdir.h - the directories publish writes into, and the files in them
 * (lib-internal).
 *
 * Anyone who can write the published tree (a web server's user, say) can
 * put a symbolic link where publish expects a directory or a file.  So a
 * directory is opened once, relative to its parent's descriptor, with
 * O_NOFOLLOW | O_DIRECTORY, and a link there is refused, never followed;
 * files are then created, read, renamed and removed with the *at() calls
 * relative to that descriptor, never through a link: a link in place of a
 * file is replaced by the rename (the link goes, its target is untouched),
 * and is never read, compared or written through.  Only the root, the
 * directory the user names, may itself be (or lie under) a link.
 *
 * Use: outdir_open_root() once, outdir_open() for each directory below it
 * (its parent must stay open meanwhile), outdir_replace() or
 * outdir_temp() + outdir_rename() per file, outdir_close() at the end.
 */
#ifndef FS_OUTDIR_H
#define FS_OUTDIR_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "fieldschool/error.h"

/* The prefix of the temporary files: left by a killed publish, they are
 * swept by the next one. */
#define OUTDIR_TEMP_PREFIX ".fs-tmp-"

struct outdir {
	int fd;              /* -1 when closed */
	char path[PATH_MAX]; /* for messages: /srv/feeds/mx-2027/p */
	char rel[256];       /* from the root: "mx-2027/p"; "" for the root */
	long pid;            /* in the temporary files' names: asked once */
	bool created;        /* made by outdir_open(): it held nothing then */
};

#define OUTDIR_CLOSED { -1, "", "", 0, false }

/* Creates the directory at path and its parents when missing, and opens
 * it (links followed: the user chose it); out->path is its real path.
 * FS_EIO. */
fs_err outdir_open_root(struct outdir *out, const char *path);

/* Opens the directory name inside parent, creating it when missing (then
 * out->created: no file of it need be looked for), never through a
 * symbolic link.  FS_EINPUT when name is a link or not a
 * directory (the message names the path); FS_EIO. */
fs_err outdir_open(struct outdir *out, const struct outdir *parent,
		   const char *name);

/* Makes d unlistable by others (a mission's p/, whose names are the
 * personal tokens): its group and other read and write bits are cleared
 * (0755 becomes 0711; a web server reads files by name, which needs only
 * x), when d belongs to this user.  FS_EIO. */
fs_err outdir_unlisted(const struct outdir *d);

/* Closes d (closed or never opened is fine). */
void outdir_close(struct outdir *d);

/* The status of name in d, the link itself when it is one: false when
 * there is no such entry. */
bool outdir_stat(const struct outdir *d, const char *name, struct stat *st);

/* Opens the regular file name in d for reading; -1 when it is missing, a
 * link or anything but a regular file. */
int outdir_read_fd(const struct outdir *d, const char *name);

/* Whether the regular file name in d holds exactly data. */
bool outdir_equals(const struct outdir *d, const char *name, const char *data,
		   size_t len);

/* Whether the regular files a and b in d hold the same bytes. */
bool outdir_same_content(const struct outdir *d, const char *a,
			 const char *b);

/* A new file in d, named OUTDIR_TEMP_PREFIX<pid>-<n> (name_out), created
 * with mode (the umask applies) and open for writing.  FS_EIO. */
fs_err outdir_temp(const struct outdir *d, mode_t mode, int *fd_out,
		   char name_out[64]);

/*
 * Temporary directories (certificates --pdf): named as temporary files
 * are, OUTDIR_TEMP_PREFIX<pid>-<n>, and locked (flock) by their run until
 * it has moved their files out and removed them.
 */

/* Creates such a directory in d (mode 0700) and locks it: *fd_out holds
 * the lock until it is closed, after the directory is removed.  FS_EIO. */
fs_err outdir_temp_dir(const struct outdir *d, int *fd_out,
		       char name_out[64]);

/* Removes the temporary directories in d left by killed runs: a
 * directory (not a link) of this user, named OUTDIR_TEMP_PREFIX<pid>-<n>,
 * whose process is gone and whose lock nobody holds, with the files in it
 * (links themselves, never their targets).  Anything else is left alone:
 * a run in progress (its process lives, or it holds the lock), another
 * user's, a subdirectory.  Best effort: errors are ignored. */
void outdir_sweep_temp_dirs(const struct outdir *d);

/* Renames from over to, both in d (replacing a link at to, never its
 * target).  FS_EIO. */
fs_err outdir_rename(const struct outdir *d, const char *from,
		     const char *to);

/* Removes the entry name from d (a link itself, not its target); a
 * missing entry is fine.  FS_EIO. */
fs_err outdir_remove(const struct outdir *d, const char *name);

/* Makes name in d hold data: a temporary file, renamed over it; *st gets
 * the new file's status.  FS_EIO (the temporary file is removed). */
fs_err outdir_replace(const struct outdir *d, const char *name,
		      const void *data, size_t len, mode_t mode,
		      struct stat *st);

/* A thread that reads ahead the status of every entry of d into the
 * kernel's cache, while the caller goes through them in its own order
 * (see outdir.c); NULL when d was just created or no thread could start,
 * which is fine.  d stays open until outdir_preload_stop(p), which stops
 * the thread early if it is still reading, and takes NULL. */
struct outdir_preload *outdir_preload_start(const struct outdir *d);
void outdir_preload_stop(struct outdir_preload *p);

/* Nanoseconds since the epoch of a status's mtime. */
int64_t outdir_mtime(const struct stat *st);

#endif
