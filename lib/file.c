/* file.c - atomic file replacement and directory creation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fieldschool/file.h"

fs_err
fs_write_atomic(const char *path, fs_write_fn fn, void *ctx)
{
	char *tmp = NULL;
	FILE *out = NULL;
	fs_err err;
	int fd;

	if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((fd = mkstemp(tmp)) < 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		free(tmp);
		return err;
	}
	/* mkstemp makes 0600 files; outputs are meant to be shared. */
	fchmod(fd, 0644 & ~umask(umask(0)));
	if (!(out = fdopen(fd, "w"))) {
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		close(fd);
		goto fail;
	}
	if ((err = fn(out, ctx)))
		goto fail;
	if (fflush(out) != 0 || ferror(out) || fsync(fileno(out)) != 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		goto fail;
	}
	if (fclose(out) != 0) {
		out = NULL;
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		goto fail;
	}
	out = NULL;
	if (rename(tmp, path) != 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, fs_errno_text(errno));
		goto fail;
	}
	free(tmp);
	return FS_OK;
fail:
	if (out)
		fclose(out);
	unlink(tmp);
	free(tmp);
	return err;
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
