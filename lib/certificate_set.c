/*
 * certificate_set.c - after certificates --pdf, DIR holds exactly the
 * certificates of that run: those of a person who no longer qualifies go.
 *
 * Only files this command wrote are ever removed.  DIR/.fs-certificates
 * lists the names of the last run's certificates, one a line; a name of
 * that list missing from the new set is removed once the new set is in
 * place.  Before the move the list is rewritten as old and new together,
 * so a run killed between the move and the end still leaves every file
 * it placed on the list; after the removals it is the new set alone.
 * Other files in DIR (the user's) are never on the list, and a name is
 * only taken from it when it looks like a certificate's (REF.pdf, no '/',
 * no leading '.'); unlinkat() removes a link, never its target.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certificate.h"
#include "outdir.h"

#define SET_FILE ".fs-certificates"

/* Whether name may be a certificate's file: REF.pdf as ref_file_name()
 * spells it, never all.pdf (the book, replaced by each run). */
static bool
is_cert_name(const char *name)
{
	size_t len = strlen(name);
	return len > 4 && name[0] != '.' && !strchr(name, '/') &&
	       !strcmp(name + len - 4, ".pdf") && strcmp(name, "all.pdf");
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Splits text (lines, modified in place) into a sorted array of the
 * certificate names in it. */
static fs_err
split_names(char ***out, size_t *n_out, char *text)
{
	size_t n = 0, cap = 0;
	char **v = NULL;

	*out = NULL;
	*n_out = 0;
	for (char *line = text, *next; line && *line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		if (!is_cert_name(line))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			char **grown = realloc(v, cap * sizeof(*v));
			if (!grown) {
				free(v);
				return fs_fail(FS_ENOMEM, "out of memory");
			}
			v = grown;
		}
		v[n++] = line;
	}
	if (n)
		qsort(v, n, sizeof(*v), by_name);
	*out = v;
	*n_out = n;
	return FS_OK;
}

static bool
has_name(char *const *v, size_t n, const char *name)
{
	return n && bsearch(&name, v, n, sizeof(*v), by_name);
}

/* The previous run's list; empty when there is none. */
static fs_err
read_old(struct cert_set *s, const struct outdir *root)
{
	size_t len = 0, cap = 4096;
	ssize_t got;
	int fd = outdir_read_fd(root, SET_FILE);

	if (!(s->old_text = malloc(cap))) {
		if (fd >= 0)
			close(fd);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	while (fd >= 0 &&
	       (got = read(fd, s->old_text + len, cap - len - 1)) > 0) {
		len += (size_t)got;
		if (cap - len > 1)
			continue;
		char *grown = realloc(s->old_text, cap *= 2);
		if (!grown) {
			close(fd);
			return fs_fail(FS_ENOMEM, "out of memory");
		}
		s->old_text = grown;
	}
	if (fd >= 0)
		close(fd);
	s->old_text[len] = '\0';
	return split_names(&s->old, &s->n_old, s->old_text);
}

/* The names of the certificates in tmpdir, as a list's text. */
static fs_err
read_new(struct cert_set *s, const char *tmpdir)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	size_t len = 0;
	FILE *text;

	if (!d)
		return fs_fail(FS_EIO, "%s: %s", tmpdir, strerror(errno));
	if (!(text = open_memstream(&s->new_text, &len))) {
		closedir(d);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	while ((e = readdir(d)))
		if (is_cert_name(e->d_name))
			fprintf(text, "%s\n", e->d_name);
	closedir(d);
	if (fclose(text) != 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	s->new_len = len;
	return FS_OK;
}

/* Writes the list: the new names, and with_old those of the old list not
 * among them. */
static fs_err
write_list(const struct cert_set *s, const struct outdir *root,
	   bool with_old)
{
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	FILE *out = open_memstream(&text, &len);
	fs_err err;

	if (!out)
		return fs_fail(FS_ENOMEM, "out of memory");
	fwrite(s->new_text, 1, s->new_len, out);
	for (size_t i = 0; with_old && i < s->n_old; i++)
		if (!has_name(s->new, s->n_new, s->old[i]))
			fprintf(out, "%s\n", s->old[i]);
	if (fclose(out) != 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	err = outdir_replace(root, SET_FILE, text, len, 0666, &st);
	free(text);
	return err;
}

fs_err
certificate_set_begin(struct cert_set *s, const struct outdir *root,
		      const char *tmpdir)
{
	fs_err err;

	memset(s, 0, sizeof(*s));
	if ((err = read_old(s, root)) || (err = read_new(s, tmpdir)))
		return err;
	/* split a copy: new_text is written out as it is */
	if (!(s->new_names = strdup(s->new_text)))
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = split_names(&s->new, &s->n_new, s->new_names)))
		return err;
	return write_list(s, root, true);
}

fs_err
certificate_set_finish(struct cert_set *s, const struct outdir *root)
{
	for (size_t i = 0; i < s->n_old; i++)
		if (!has_name(s->new, s->n_new, s->old[i]))
			unlinkat(root->fd, s->old[i], 0); /* gone already: fine */
	return write_list(s, root, false);
}

void
certificate_set_release(struct cert_set *s)
{
	free(s->old);
	free(s->old_text);
	free(s->new);
	free(s->new_names);
	free(s->new_text);
	memset(s, 0, sizeof(*s));
}
