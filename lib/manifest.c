/*
 * manifest.c - DIR/.fieldschool-manifest: what publish wrote, what serve
 * may answer with.
 *
 * Written by publish (publish_sweep.c: the files of the missions it
 * published, and those of other missions still in DIR), read by serve into
 * a hash set.  The lines that say which database published each mission
 * ("#mission CODE ..."; see fieldschool/manifest.h) hold a space, so that
 * fs_manifest_path_ok() refuses them: serve skips them as it skips any line
 * it cannot serve, and older versions of serve read the file unchanged.  The loaded manifest keeps the file's bytes, its lines cut at
 * the newlines, and a table of line offsets probed linearly.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fieldschool/manifest.h"
#include "strmap.h"

#define HEADER FS_MANIFEST_HEADER
#define TEMP_PREFIX ".fs-tmp-manifest-"
/* Longer paths are none of ours (a token path is under 100 bytes). */
#define MAX_PATH_LEN 1024

struct fs_manifest {
	char *text;      /* the file, each line's newline made a NUL */
	uint32_t *slots; /* offset + 1 of a path in text, 0 when empty */
	uint32_t *lens;
	size_t cap, n;
};

bool
fs_manifest_path_ok(const char *path, size_t len)
{
	size_t start = 0;

	if (len == 0 || len > MAX_PATH_LEN)
		return false;
	for (size_t i = 0; i <= len; i++) {
		unsigned char c = i < len ? (unsigned char)path[i] : '/';
		if (c == '/') {
			/* a component: not empty, not hidden */
			if (i == start || path[start] == '.')
				return false;
			start = i + 1;
			continue;
		}
		if (c < 0x21 || c == 0x7f || c == '\\' || c == '%' || c == '"')
			return false;
	}
	/* the organizer's list of every address stays private */
	if ((len == 10 || (len > 10 && path[len - 11] == '/')) &&
	    !memcmp(path + len - 10, "index.json", 10))
		return false;
	return true;
}

/* --- writing ------------------------------------------------------------ */

/* Removes temporary manifests whose writer is gone (killed mid-write). */
static void
sweep_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *entry;

	if (!d)
		return;
	while ((entry = readdir(d))) {
		const char *name = entry->d_name;
		if (strncmp(name, TEMP_PREFIX, strlen(TEMP_PREFIX)))
			continue;
		long pid = strtol(name + strlen(TEMP_PREFIX), NULL, 10);
		if (pid > 0 && (pid == (long)getpid() ||
				(kill((pid_t)pid, 0) != 0 && errno == ESRCH)))
			unlinkat(dirfd(d), name, 0);
	}
	closedir(d);
}

/* Whether the file at path holds exactly data. */
static bool
same_content(const char *path, const char *data, size_t len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	bool same = false;

	if (fd < 0)
		return false;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size == len && (st.st_mode & 0077) == 0) {
		char *have = malloc(len ? len : 1);
		size_t at = 0;
		ssize_t got = 1;
		while (have && at < len &&
		       ((got = read(fd, have + at, len - at)) > 0 ||
			(got < 0 && errno == EINTR)))
			at += got > 0 ? (size_t)got : 0;
		same = have && at == len && !memcmp(have, data, len);
		free(have);
	}
	close(fd);
	return same;
}

static fs_err
write_file(const char *dir, const char *data, size_t len)
{
	static _Atomic unsigned long counter;
	char *tmp = NULL, *path = NULL;
	fs_err err = FS_OK;
	int fd = -1;

	if (asprintf(&path, "%s/" FS_MANIFEST_NAME, dir) < 0) {
		path = NULL;
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	if (same_content(path, data, len))
		goto done;
	for (int attempt = 0; fd < 0 && attempt < 100; attempt++) {
		free(tmp);
		if (asprintf(&tmp, "%s/" TEMP_PREFIX "%ld-%lu", dir,
			     (long)getpid(), counter++) < 0) {
			tmp = NULL;
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	for (size_t at = 0; at < len;) {
		ssize_t put = write(fd, data + at, len - at);
		if (put < 0 && errno == EINTR)
			continue;
		if (put <= 0) {
			err = fs_fail(FS_EIO, "%s: %s", path,
				      strerror(put < 0 ? errno : ENOSPC));
			break;
		}
		at += (size_t)put;
	}
	if (close(fd) != 0 && !err)
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	if (!err && rename(tmp, path) != 0)
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	if (err)
		unlink(tmp);
done:
	free(tmp);
	free(path);
	return err;
}

fs_err
fs_manifest_write(const char *dir, const char *text, size_t len)
{
	sweep_temps(dir);
	return write_file(dir, text, len);
}

/* --- reading ------------------------------------------------------------ */

static size_t
slot_of(const fs_manifest *m, const char *path, size_t len)
{
	size_t mask = m->cap - 1;
	size_t i = hash_bytes(path, len, 0) & mask;
	while (m->slots[i] && (m->lens[i] != len ||
			       memcmp(m->text + m->slots[i] - 1, path, len)))
		i = (i + 1) & mask;
	return i;
}

bool
fs_manifest_has(const fs_manifest *m, const char *path, size_t len)
{
	return m->cap && m->slots[slot_of(m, path, len)] != 0;
}

size_t
fs_manifest_count(const fs_manifest *m)
{
	return m->n;
}

void
fs_manifest_free(fs_manifest *m)
{
	if (!m)
		return;
	free(m->text);
	free(m->slots);
	free(m->lens);
	free(m);
}

/* Reads all of fd into *text (NUL-terminated); *len its length. */
static fs_err
read_all(int fd, char **text, size_t *len)
{
	struct stat st;
	if (fstat(fd, &st) != 0)
		return fs_fail(FS_EIO, FS_MANIFEST_NAME ": %s", strerror(errno));
	if (!S_ISREG(st.st_mode))
		return fs_fail(FS_EINPUT, FS_MANIFEST_NAME " is not a file");
	if (st.st_size >= UINT32_MAX - 1)
		return fs_fail(FS_EINPUT, FS_MANIFEST_NAME " is too large");
	size_t cap = (size_t)st.st_size + 1, n = 0;
	char *buf = malloc(cap + 1);
	if (!buf)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (;;) {
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			free(buf);
			return fs_fail(FS_EIO, FS_MANIFEST_NAME ": %s",
				       strerror(errno));
		}
		if (got == 0)
			break;
		n += (size_t)got;
		if (n == cap) { /* it grew meanwhile: not the renamed file */
			free(buf);
			return fs_fail(FS_EIO, FS_MANIFEST_NAME " changed "
				       "while read");
		}
	}
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return FS_OK;
}

fs_err
fs_manifest_load(fs_manifest **out, int dirfd)
{
	fs_manifest *m = NULL;
	size_t len = 0, lines = 0;
	fs_err err = FS_OK;
	char *text = NULL;
	int fd;

	*out = NULL;
	fd = openat(dirfd, FS_MANIFEST_NAME,
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return errno == ENOENT
			       ? fs_fail(FS_ENOTFOUND, "no " FS_MANIFEST_NAME)
			       : fs_fail(FS_EIO, FS_MANIFEST_NAME ": %s",
					 strerror(errno));
	err = read_all(fd, &text, &len);
	close(fd);
	if (err)
		return err;
	if (strncmp(text, HEADER, strlen(HEADER)) || text[len - 1] != '\n') {
		free(text);
		return fs_fail(FS_EINPUT, FS_MANIFEST_NAME " is not a "
			       "fieldschool manifest");
	}
	for (size_t i = 0; i < len; i++)
		lines += text[i] == '\n';
	if (!(m = calloc(1, sizeof(*m)))) {
		free(text);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	m->text = text;
	for (m->cap = 16; m->cap < 2 * lines; m->cap *= 2)
		;
	m->slots = calloc(m->cap, sizeof(*m->slots));
	m->lens = calloc(m->cap, sizeof(*m->lens));
	if (!m->slots || !m->lens) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t at = strlen(HEADER); at < len;) {
		char *nl = memchr(text + at, '\n', len - at);
		size_t n = (size_t)(nl - (text + at));
		*nl = '\0';
		/* what no publish writes is never served, whatever the file
		 * says; a line may come twice in a file edited by hand */
		if (fs_manifest_path_ok(text + at, n) && !memchr(text + at, 0, n)) {
			size_t i = slot_of(m, text + at, n);
			if (!m->slots[i]) {
				m->slots[i] = (uint32_t)at + 1;
				m->lens[i] = (uint32_t)n;
				m->n++;
			}
		}
		at += n + 1;
	}
done:
	if (err)
		fs_manifest_free(m);
	else
		*out = m;
	return err;
}
