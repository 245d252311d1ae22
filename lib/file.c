/*
 * file.c - atomic file replacement and directory creation.
 *
 * An output is written into a file that has no name (O_TMPFILE), so a
 * process killed while writing leaves nothing behind; once complete it is
 * linked under a temporary name beside the target and renamed over it
 * (linkat cannot replace a file).  Where the file system has no O_TMPFILE
 * (or /proc is missing), the file is created under that temporary name
 * from the start.  Either way the named file is locked (flock) while its
 * writer lives: the next write of the same target removes those it can
 * lock, which a killed writer left.  A writer of several files that must
 * all be complete before any replaces its target (roster --out) flushes
 * each (fs_atomic_sync), names them all (fs_atomic_prepare, hidden names
 * .FILE.tmp.XXXXXX, swept alike), then renames them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fieldschool/file.h"

/* FILE.tmp.XXXXXX, or .FILE.tmp.XXXXXX (hidden): the temporary names of
 * FILE. */
#define TEMP_SUFFIX ".tmp."
#define TEMP_RANDOM 6

/* Whether name is one of base's temporary names: base.tmp. (or
 * .base.tmp.) and 6 letters or digits. */
static bool
is_temp_of(const char *name, const char *base)
{
	size_t n = strlen(base), s = strlen(TEMP_SUFFIX);
	if (name[0] == '.' && strncmp(name, base, n))
		name++;
	if (strncmp(name, base, n) || strncmp(name + n, TEMP_SUFFIX, s))
		return false;
	name += n + s;
	return strlen(name) == TEMP_RANDOM &&
	       name[strspn(name, "abcdefghijklmnopqrstuvwxyz"
				 "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")] ==
		       '\0';
}

/* Removes the temporary files of base in dir that no live writer holds
 * (left by a killed one).  Best effort: what cannot be removed stays. */
static void
sweep_stale(int dir, const char *base)
{
	int fd = openat(dir, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *entry;
	DIR *d;

	if (fd < 0 || !(d = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((entry = readdir(d))) {
		if (!is_temp_of(entry->d_name, base))
			continue;
		int tmp = openat(dir, entry->d_name,
				 O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
		if (tmp < 0)
			continue;
		struct stat st;
		/* a writer holds its lock until it has renamed the file */
		if (fstat(tmp, &st) == 0 && S_ISREG(st.st_mode) &&
		    flock(tmp, LOCK_EX | LOCK_NB) == 0)
			unlinkat(dir, entry->d_name, 0);
		close(tmp);
	}
	closedir(d);
}

/* base.tmp.XXXXXX with random letters into name; .base.tmp.XXXXXX when
 * hidden. */
static void
temp_name(char *name, size_t size, const char *base, bool hidden)
{
	static const char letters[] = "abcdefghijklmnopqrstuvwxyz"
				      "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	static _Atomic unsigned long counter;
	unsigned long x = (unsigned long)getpid() * 2654435761u ^
			  (unsigned long)time(NULL) ^ (counter++ * 40503u);
	char random[TEMP_RANDOM + 1];

	for (int i = 0; i < TEMP_RANDOM; i++) {
		x = x * 6364136223846793005u + 1442695040888963407u;
		random[i] = letters[(x >> 33) % (sizeof(letters) - 1)];
	}
	random[TEMP_RANDOM] = '\0';
	snprintf(name, size, "%s%s" TEMP_SUFFIX "%s", hidden ? "." : "", base,
		 random);
}

static fs_err
atomic_open(fs_atomic *a, const char *path, bool hidden)
{
	const char *slash = strrchr(path, '/');
	const char *hook = getenv("FIELDSCHOOL_TEST_NO_TMPFILE");
	char *dir;
	fs_err err;

	*a = (fs_atomic)FS_ATOMIC_INIT;
	a->hidden = hidden;
	if (!*path || (slash && !slash[1]))
		return fs_fail(FS_EIO, "%s: %s", path, strerror(EISDIR));
	if (!(a->path = strdup(path)) ||
	    !(dir = slash ? strndup(path, (size_t)(slash - path + 1))
			  : strdup(".")))
		return fs_fail(FS_ENOMEM, "out of memory");
	a->base = slash ? slash + 1 : path;
	a->base = a->path + (a->base - path);
	a->dir = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (a->dir < 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		fs_atomic_abort(a);
		return err;
	}
	sweep_stale(a->dir, a->base);
	/* The unnamed file, when the file system and /proc allow: its name
	 * for others (libxlsxwriter opens its output by name) is
	 * /proc/self/fd/N, and linkat gives it a real one. */
	if (!(hook && *hook) && access("/proc/self/fd", X_OK) == 0)
		a->fd = openat(a->dir, ".", O_TMPFILE | O_RDWR | O_CLOEXEC,
			       0644);
	if (a->fd >= 0) {
		snprintf(a->name, sizeof(a->name), "/proc/self/fd/%d", a->fd);
		return FS_OK;
	}
	/* No O_TMPFILE here (EOPNOTSUPP, EISDIR on old kernels): named from
	 * the start, and locked against the sweep of another writer. */
	for (int attempt = 0; attempt < 100 && a->fd < 0; attempt++) {
		temp_name(a->temp, sizeof(a->temp), a->base, a->hidden);
		a->fd = openat(a->dir, a->temp,
			       O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
			       0644);
		if (a->fd < 0 && errno != EEXIST)
			break;
	}
	if (a->fd < 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		a->temp[0] = '\0';
		fs_atomic_abort(a);
		return err;
	}
	flock(a->fd, LOCK_EX);
	a->named = true;
	snprintf(a->name, sizeof(a->name), "%.*s%s", (int)(a->base - a->path),
		 a->path, a->temp);
	return FS_OK;
}

fs_err
fs_atomic_open(fs_atomic *a, const char *path)
{
	return atomic_open(a, path, false);
}

fs_err
fs_atomic_open_hidden(fs_atomic *a, const char *path)
{
	return atomic_open(a, path, true);
}

fs_err
fs_atomic_sync(fs_atomic *a)
{
	if (!a->is_synced && fsync(a->fd) != 0)
		return fs_fail(FS_EIO, "%s: %s", a->path, fs_errno_text(errno));
	a->is_synced = true;
	return FS_OK;
}

fs_err
fs_atomic_prepare(fs_atomic *a)
{
	const char *hook = getenv("FIELDSCHOOL_TEST_KILL_WRITE");
	fs_err err;

	if ((err = fs_atomic_sync(a)))
		return err;
	/* The test hook that kills a write when the file is complete but
	 * not in place, to prove that nothing is left behind. */
	if (hook && *hook)
		raise(SIGKILL);
	if (a->named)
		return FS_OK;
	/* a name for the unnamed file, locked before it is seen */
	flock(a->fd, LOCK_EX);
	for (int attempt = 0; attempt < 100; attempt++) {
		temp_name(a->temp, sizeof(a->temp), a->base, a->hidden);
		if (linkat(AT_FDCWD, a->name, a->dir, a->temp,
			   AT_SYMLINK_FOLLOW) == 0) {
			a->named = true;
			return FS_OK;
		}
		if (errno != EEXIST)
			break;
	}
	a->temp[0] = '\0';
	return fs_fail(FS_EIO, "%s: %s", a->path, fs_errno_text(errno));
}

fs_err
fs_atomic_commit(fs_atomic *a)
{
	fs_err err;

	if ((err = fs_atomic_prepare(a)))
		goto done;
	if (renameat(a->dir, a->temp, a->dir, a->base) != 0) {
		err = fs_fail(FS_EIO, "%s: %s", a->path, fs_errno_text(errno));
		goto done;
	}
	a->temp[0] = '\0'; /* renamed: nothing to remove */
done:
	fs_atomic_abort(a);
	return err;
}

void
fs_atomic_abort(fs_atomic *a)
{
	if (a->temp[0] && a->dir >= 0)
		unlinkat(a->dir, a->temp, 0);
	if (a->fd >= 0)
		close(a->fd);
	if (a->dir >= 0)
		close(a->dir);
	free(a->path);
	*a = (fs_atomic)FS_ATOMIC_INIT;
}

/* mode 0: as the umask leaves it */
static fs_err
write_atomic(const char *path, mode_t mode, fs_write_fn fn, void *ctx)
{
	fs_atomic a;
	FILE *out = NULL;
	fs_err err;
	int fd = -1;

	if ((err = fs_atomic_open(&a, path)))
		return err;
	if ((mode && fchmod(a.fd, mode) != 0) || (fd = dup(a.fd)) < 0 ||
	    !(out = fdopen(fd, "w"))) {
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		if (fd >= 0)
			close(fd);
		goto fail;
	}
	if ((err = fn(out, ctx)))
		goto fail;
	if (fflush(out) != 0 || ferror(out)) {
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		goto fail;
	}
	if (fclose(out) != 0) {
		out = NULL;
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		goto fail;
	}
	return fs_atomic_commit(&a);
fail:
	if (out)
		fclose(out);
	fs_atomic_abort(&a);
	return err;
}

fs_err
fs_write_atomic(const char *path, fs_write_fn fn, void *ctx)
{
	return write_atomic(path, 0, fn, ctx);
}

fs_err
fs_write_private(const char *path, fs_write_fn fn, void *ctx)
{
	return write_atomic(path, 0600, fn, ctx);
}

fs_err
fs_mkdirs(const char *path)
{
	char *copy = strdup(path);
	fs_err err = FS_OK;

	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (char *p = copy + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char saved = *p;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST) {
			err = fs_fail(FS_EIO, "%s: %s", copy, fs_errno_text(errno));
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	if (!err) {
		struct stat st;
		if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
			err = fs_fail(FS_EIO, "%s: not a directory", path);
	}
	free(copy);
	return err;
}
