/*
 * certificate_files.c - each person's own certificate, DIR/REF.pdf,
 * written into a temporary directory that is moved into place once every
 * file (and all.pdf) is complete.
 *
 * Most of a certificate's time goes into its own file (subsetting and
 * compressing its fonts): a second thread writes them while the first
 * draws all.pdf, and the first writes some too when the second is behind.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "certificate.h"

/* The file name of a ref: letters, digits, '-', '_' and '.' as they are,
 * other bytes (and a leading '.') as %XX, so that names never clash, hide
 * or leave the directory; "all" is spelt %61ll, all.pdf being the book. */
static void
ref_file_name(char *out, size_t size, const char *ref)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)ref;
	     *p && n + 8 < size; p++) {
		bool plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
			     (*p == '.' && p != (const unsigned char *)ref);
		if (p == (const unsigned char *)ref && !strcmp(ref, "all"))
			plain = false;
		if (plain) {
			out[n++] = (char)*p;
		} else {
			out[n++] = '%';
			out[n++] = hex[*p >> 4];
			out[n++] = hex[*p & 15];
		}
	}
	snprintf(out + n, size - n, ".pdf");
}

/* Writes a person's own PDF, tmpdir/file; *texts: the thread's fitted
 * texts, NULL before its first file. */
static fs_err
write_one(const struct cert_files *f, struct pdf_texts **texts,
	  const struct cert *ct, const char *file)
{
	char *path = NULL;
	struct pdf pdf;
	FILE *fp;
	fs_err err;

	if (asprintf(&path, "%s/%s", f->tmpdir, file) < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	if (!(fp = fopen(path, "wx"))) {
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		free(path);
		return err;
	}
	err = pdf_open(&pdf, fp, 297 * PDF_MM, 210 * PDF_MM, f->cc->m->title,
		       *texts);
	if (!err) {
		if (!*texts)
			*texts = pdf_texts_ref(&pdf);
		certificate_draw(&pdf, f->cc, ct);
		err = pdf_page(&pdf);
		fs_err closed = pdf_close(&pdf);
		if (!err)
			err = closed;
	}
	if ((fflush(fp) || ferror(fp)) && !err)
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	if (fclose(fp) && !err)
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	free(path);
	return err;
}

/* --- the writing threads ----------------------------------------------------- */

static void *
writer_main(void *arg)
{
	struct cert_files *w = arg;
	struct pdf_texts *texts = NULL;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stopping && w->taken == w->queued)
			pthread_cond_wait(&w->more, &w->lock);
		if (w->taken == w->queued)
			break; /* stopping, and nothing left */
		struct person_job job = w->jobs[w->taken++ % CERT_JOBS];
		bool failed = w->err != FS_OK;
		pthread_mutex_unlock(&w->lock);
		fs_err err = failed ? FS_OK
				    : write_one(w, &texts, &job.ct, job.file);
		free(job.file);
		pthread_mutex_lock(&w->lock);
		if (err && !w->err) {
			w->err = err;
			snprintf(w->detail, sizeof(w->detail), "%s",
				 fs_errdetail());
		}
	}
	pthread_mutex_unlock(&w->lock);
	pdf_texts_unref(texts);
	pdf_thread_done();
	return NULL;
}

void
certificate_files_start(struct cert_files *w, const struct cert_common *cc,
			const char *tmpdir)
{
	memset(w, 0, sizeof(*w));
	w->cc = cc;
	w->tmpdir = tmpdir;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->more, NULL);
	while (w->n_threads < CERT_WRITERS &&
	       pthread_create(&w->threads[w->n_threads], NULL, writer_main,
			      w) == 0)
		w->n_threads++;
}

fs_err
certificate_files_stop(struct cert_files *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->more);
	pthread_mutex_unlock(&w->lock);
	for (int i = 0; i < w->n_threads; i++)
		pthread_join(w->threads[i], NULL);
	for (; w->taken < w->queued; w->taken++) /* no thread ran */
		free(w->jobs[w->taken % CERT_JOBS].file);
	pthread_cond_destroy(&w->more);
	pthread_mutex_destroy(&w->lock);
	return w->err ? fs_fail(w->err, "%s", w->detail) : FS_OK;
}

/* Here when there is no writing thread, or when the thread is CERT_JOBS
 * files behind (a file takes longer than a page of all.pdf: both threads
 * then write files). */
fs_err
certificate_files_add(struct cert_files *w, struct pdf *all,
		      const struct cert *ct, const char *ref)
{
	char file[1024];
	fs_err err;

	ref_file_name(file, sizeof(file), ref);
	pthread_mutex_lock(&w->lock);
	bool here = w->n_threads == 0 || w->queued - w->taken == CERT_JOBS;
	err = w->err;
	pthread_mutex_unlock(&w->lock);
	if (err)
		return fs_fail(err, "%s", w->detail);
	if (here) {
		struct pdf_texts *texts = pdf_texts_ref(all);
		err = write_one(w, &texts, ct, file);
		pdf_texts_unref(texts);
		return err;
	}
	size_t lf = strlen(file) + 1, ln = strlen(ct->name) + 1;
	size_t lu = strlen(ct->number) + 1, lm = strlen(ct->modules) + 1;
	struct person_job job = { *ct, malloc(lf + ln + lu + lm) };
	if (!job.file)
		return fs_fail(FS_ENOMEM, "out of memory");
	memcpy(job.file, file, lf);
	job.ct.name = memcpy(job.file + lf, ct->name, ln);
	job.ct.number = memcpy(job.file + lf + ln, ct->number, lu);
	job.ct.modules = memcpy(job.file + lf + ln + lu, ct->modules, lm);
	pthread_mutex_lock(&w->lock);
	w->jobs[w->queued++ % CERT_JOBS] = job;
	pthread_cond_signal(&w->more);
	pthread_mutex_unlock(&w->lock);
	return FS_OK;
}

void
certificate_files_remove(const char *tmpdir)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	if (d) {
		while ((e = readdir(d))) {
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			char *p = NULL;
			if (asprintf(&p, "%s/%s", tmpdir, e->d_name) >= 0) {
				unlink(p);
				free(p);
			}
		}
		closedir(d);
	}
	rmdir(tmpdir);
}

fs_err
certificate_files_move(const char *tmpdir, const char *dir)
{
	DIR *d = opendir(tmpdir);
	struct dirent *e;
	fs_err err = FS_OK;

	if (!d)
		return fs_fail(FS_EIO, "%s: %s", tmpdir, strerror(errno));
	/* the directory is complete and flushed before the first rename */
	if (fsync(dirfd(d)) != 0)
		err = fs_fail(FS_EIO, "%s: %s", tmpdir, strerror(errno));
	while (!err && (e = readdir(d))) {
		if (e->d_name[0] == '.' || !strcmp(e->d_name, "all.pdf"))
			continue;
		char *from = NULL, *to = NULL;
		if (asprintf(&from, "%s/%s", tmpdir, e->d_name) < 0 ||
		    asprintf(&to, "%s/%s", dir, e->d_name) < 0)
			err = fs_fail(FS_ENOMEM, "out of memory");
		else if (rename(from, to) != 0)
			err = fs_fail(FS_EIO, "%s: %s", to, strerror(errno));
		free(from);
		free(to);
	}
	closedir(d);
	if (!err) {
		char *from = NULL, *to = NULL;
		if (asprintf(&from, "%s/all.pdf", tmpdir) < 0 ||
		    asprintf(&to, "%s/all.pdf", dir) < 0)
			err = fs_fail(FS_ENOMEM, "out of memory");
		else if (rename(from, to) != 0)
			err = fs_fail(FS_EIO, "%s: %s", to, strerror(errno));
		free(from);
		free(to);
	}
	return err;
}
