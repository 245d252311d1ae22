/* outdir.c - the directories publish (and certificates --pdf) write into:
 * no link followed. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "fieldschool/file.h"
#include "outdir.h"

int64_t
outdir_mtime(const struct stat *st)
{
	return (int64_t)st->st_mtim.tv_sec * 1000000000 + st->st_mtim.tv_nsec;
}

fs_err
outdir_open_root(struct outdir *out, const char *path)
{
	char *real = NULL;
	fs_err err;

	*out = (struct outdir)OUTDIR_CLOSED;
	if ((err = fs_mkdirs(path)))
		return err;
	if (!(real = realpath(path, NULL)))
		return fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	if (strlen(real) >= sizeof(out->path)) {
		free(real);
		return fs_fail(FS_EIO, "%s: %s", path, strerror(ENAMETOOLONG));
	}
	strcpy(out->path, real);
	free(real);
	out->pid = (long)getpid();
	if ((out->fd = open(out->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	return FS_OK;
}

fs_err
outdir_open(struct outdir *out, const struct outdir *parent, const char *name)
{
	struct stat st;
	int n;

	*out = (struct outdir)OUTDIR_CLOSED;
	n = snprintf(out->path, sizeof(out->path), "%s/%s", parent->path, name);
	if (n < 0 || (size_t)n >= sizeof(out->path) ||
	    (size_t)snprintf(out->rel, sizeof(out->rel), "%s%s%s", parent->rel,
			     *parent->rel ? "/" : "", name) >= sizeof(out->rel))
		return fs_fail(FS_EIO, "%s/%s: %s", parent->path, name,
			       strerror(ENAMETOOLONG));
	out->pid = parent->pid;
	if (mkdirat(parent->fd, name, 0777) == 0)
		out->created = true;
	else if (errno != EEXIST)
		return fs_fail(FS_EIO, "%s: %s", out->path, strerror(errno));
	out->fd = openat(parent->fd, name,
			 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (out->fd >= 0)
		return FS_OK;
	int why = errno;
	if ((why == ELOOP || why == ENOTDIR) &&
	    fstatat(parent->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		return fs_fail(FS_EINPUT,
			       S_ISLNK(st.st_mode)
				       ? "%s: a symbolic link, not a directory: "
					 "publish never follows a link inside "
					 "the output directory (remove it)"
				       : "%s: not a directory (remove it)",
			       out->path);
	return fs_fail(FS_EIO, "%s: %s", out->path, strerror(why));
}

fs_err
outdir_unlisted(const struct outdir *d)
{
	const mode_t listing = S_IRGRP | S_IWGRP | S_IROTH | S_IWOTH;
	struct stat st;

	if (fstat(d->fd, &st) != 0)
		return fs_fail(FS_EIO, "%s: %s", d->path, strerror(errno));
	if (st.st_uid != geteuid() || !(st.st_mode & listing))
		return FS_OK;
	if (fchmod(d->fd, st.st_mode & 07777 & ~listing) != 0)
		return fs_fail(FS_EIO, "%s: %s", d->path, strerror(errno));
	return FS_OK;
}

void
outdir_close(struct outdir *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}

bool
outdir_stat(const struct outdir *d, const char *name, struct stat *st)
{
	return fstatat(d->fd, name, st, AT_SYMLINK_NOFOLLOW) == 0;
}

int
outdir_read_fd(const struct outdir *d, const char *name)
{
	struct stat st;
	/* O_NONBLOCK: a FIFO planted there must not hang the publish */
	int fd = openat(d->fd, name,
			O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) {
		close(fd);
		fd = -1;
	}
	return fd;
}

bool
outdir_equals(const struct outdir *d, const char *name, const char *data,
	      size_t len)
{
	char chunk[65536];
	size_t at = 0;
	ssize_t got;
	int fd = outdir_read_fd(d, name);

	if (fd < 0)
		return false;
	while ((got = read(fd, chunk, sizeof(chunk))) > 0) {
		if ((size_t)got > len - at || memcmp(chunk, data + at, (size_t)got))
			break;
		at += (size_t)got;
	}
	close(fd);
	return got == 0 && at == len;
}

/* Reads up to size bytes (fewer only at the end of the file). */
static ssize_t
read_full(int fd, char *buf, size_t size)
{
	size_t at = 0;
	while (at < size) {
		ssize_t got = read(fd, buf + at, size - at);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return -1;
		if (got == 0)
			break;
		at += (size_t)got;
	}
	return (ssize_t)at;
}

bool
outdir_same_content(const struct outdir *d, const char *a, const char *b)
{
	struct stat sa, sb;
	bool same = false;
	int fa = outdir_read_fd(d, a), fb = outdir_read_fd(d, b);

	if (fa >= 0 && fb >= 0 && fstat(fa, &sa) == 0 && fstat(fb, &sb) == 0 &&
	    sa.st_size == sb.st_size) {
		static _Thread_local char x[65536], y[65536];
		ssize_t got;
		do {
			got = read_full(fa, x, sizeof(x));
			same = got >= 0 && read_full(fb, y, sizeof(y)) == got &&
			       !memcmp(x, y, (size_t)got);
		} while (same && got == (ssize_t)sizeof(x));
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

/*
 * open(O_EXCL) with the mode, so the umask applies as it does to any file
 * we write, and no name is ever reused.
 */
fs_err
outdir_temp(const struct outdir *d, mode_t mode, int *fd_out,
	    char name_out[64])
{
	static _Atomic unsigned long counter;

	for (int attempt = 0; attempt < 100; attempt++) {
		snprintf(name_out, 64, OUTDIR_TEMP_PREFIX "%ld-%lu", d->pid,
			 counter++);
		*fd_out = openat(d->fd, name_out,
				 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					 O_CLOEXEC,
				 mode);
		if (*fd_out >= 0)
			return FS_OK;
		if (errno != EEXIST)
			break;
	}
	return fs_fail(FS_EIO, "%s: %s", d->path, strerror(errno));
}

fs_err
outdir_temp_dir(const struct outdir *d, int *fd_out, char name_out[64])
{
	static _Atomic unsigned long counter;

	*fd_out = -1;
	for (int attempt = 0; attempt < 100; attempt++) {
		snprintf(name_out, 64, OUTDIR_TEMP_PREFIX "%ld-%lu", d->pid,
			 counter++);
		if (mkdirat(d->fd, name_out, 0700) == 0)
			break;
		if (errno != EEXIST || attempt == 99)
			return fs_fail(FS_EIO, "%s: %s", d->path,
				       strerror(errno));
	}
	/* a sweep in another process leaves it: this process lives, and
	 * from here on the lock is held too */
	*fd_out = openat(d->fd, name_out,
			 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (*fd_out < 0 || flock(*fd_out, LOCK_EX) != 0) {
		fs_err err = fs_fail(FS_EIO, "%s/%s: %s", d->path, name_out,
				     strerror(errno));
		if (*fd_out >= 0)
			close(*fd_out);
		*fd_out = -1;
		unlinkat(d->fd, name_out, AT_REMOVEDIR);
		return err;
	}
	return FS_OK;
}

/* The pid in a temporary name, OUTDIR_TEMP_PREFIX<pid>-<n>; 0 for
 * another name. */
static long
temp_pid(const char *name)
{
	size_t n = strlen(OUTDIR_TEMP_PREFIX);
	char *end;
	if (strncmp(name, OUTDIR_TEMP_PREFIX, n) || name[n] < '1' ||
	    name[n] > '9')
		return 0;
	long pid = strtol(name + n, &end, 10);
	if (*end != '-' || !end[1] || end[1 + strspn(end + 1, "0123456789")])
		return 0;
	return pid;
}

/* The entries of the directory open as fd, with a position of their own;
 * NULL when it cannot be read. */
static DIR *
open_listing(int fd)
{
	int list = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *dir = list >= 0 ? fdopendir(list) : NULL;

	if (!dir && list >= 0)
		close(list);
	return dir;
}

/* Removes the temporary directory name of d, open (and locked) as fd:
 * its entries first, through fd, never through a link. */
static void
remove_temp_dir(const struct outdir *d, const char *name, int fd)
{
	DIR *dir = open_listing(fd);
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlinkat(fd, e->d_name, 0); /* a subdirectory stays */
	closedir(dir);
	unlinkat(d->fd, name, AT_REMOVEDIR); /* fails if not empty */
}

void
outdir_sweep_temp_dirs(const struct outdir *d)
{
	DIR *dir = open_listing(d->fd);
	struct dirent *e;

	if (!dir)
		return;
	while ((e = readdir(dir))) {
		long pid = temp_pid(e->d_name);
		/* our own pid: a run of this process, maybe in progress */
		if (!pid || pid == d->pid ||
		    (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN) ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		int fd = openat(d->fd, e->d_name,
				O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		struct stat st;
		if (fd < 0)
			continue; /* a link, a file */
		/* the lock: a process of the same pid on another host of a
		 * network file system, or whatever took the name since */
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode) &&
		    st.st_uid == geteuid() && flock(fd, LOCK_EX | LOCK_NB) == 0)
			remove_temp_dir(d, e->d_name, fd);
		close(fd);
	}
	closedir(dir);
}

fs_err
outdir_rename(const struct outdir *d, const char *from, const char *to)
{
	if (renameat(d->fd, from, d->fd, to) != 0)
		return fs_fail(FS_EIO, "%s/%s: %s", d->path, to,
			       strerror(errno));
	return FS_OK;
}

fs_err
outdir_remove(const struct outdir *d, const char *name)
{
	if (unlinkat(d->fd, name, 0) != 0 && errno != ENOENT)
		return fs_fail(FS_EIO, "%s/%s: %s", d->path, name,
			       strerror(errno));
	return FS_OK;
}

fs_err
outdir_replace(const struct outdir *d, const char *name, const void *data,
	       size_t len, mode_t mode, struct stat *st)
{
	char tmp[64];
	size_t at = 0;
	int fd, put_errno = 0;
	fs_err err;

	if ((err = outdir_temp(d, mode, &fd, tmp)))
		return err;
	while (at < len) {
		ssize_t put = write(fd, (const char *)data + at, len - at);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0) {
			put_errno = put < 0 ? errno : 0;
			break;
		}
		at += (size_t)put;
	}
	/* the mtime is final once the last byte is written */
	if (at < len || fstat(fd, st) != 0) {
		err = fs_fail(FS_EIO, "%s/%s: %s", d->path, name,
			      strerror(at < len ? (put_errno ? put_errno : ENOSPC)
						: errno));
		close(fd);
	} else if (close(fd) != 0) {
		err = fs_fail(FS_EIO, "%s/%s: %s", d->path, name,
			      strerror(errno));
	} else {
		err = outdir_rename(d, tmp, name);
	}
	if (err)
		unlinkat(d->fd, tmp, 0);
	return err;
}

/*
 * Preloading.  A publish with little to write asks for the status of
 * every file it would write, in the order of the registrations; when the
 * inodes are not cached each of those waits for the disk, one at a time.
 * A thread that walks the directory meanwhile, in the order its entries
 * lie on disk, asking the same, brings them into the cache ahead of the
 * publish and keeps the disk busy while the publish computes (git's
 * preload-index does the same for `git status`).  It reads nothing but
 * names and statuses, follows no link, and is only a hint: when it cannot
 * start, the publish asks for itself.
 */
struct outdir_preload {
	pthread_t thread;
	DIR *dir;
	atomic_bool stop;
};

static void *
preload_run(void *arg)
{
	struct outdir_preload *p = arg;
	struct dirent *entry;
	struct stat st;

	while (!atomic_load_explicit(&p->stop, memory_order_relaxed) &&
	       (entry = readdir(p->dir)))
		if (entry->d_name[0] != '.')
			fstatat(dirfd(p->dir), entry->d_name, &st,
				AT_SYMLINK_NOFOLLOW);
	return NULL;
}

struct outdir_preload *
outdir_preload_start(const struct outdir *d)
{
	struct outdir_preload *p;

	if (d->created || !(p = calloc(1, sizeof(*p))))
		return NULL; /* nothing there to read ahead */
	if (!(p->dir = open_listing(d->fd))) {
		free(p);
		return NULL;
	}
	atomic_init(&p->stop, false);
	if (pthread_create(&p->thread, NULL, preload_run, p) != 0) {
		closedir(p->dir);
		free(p);
		return NULL;
	}
	return p;
}

void
outdir_preload_stop(struct outdir_preload *p)
{
	if (!p)
		return;
	atomic_store(&p->stop, true);
	pthread_join(p->thread, NULL);
	closedir(p->dir);
	free(p);
}
