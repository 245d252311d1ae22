/*
 * certificate.h - what the certificate files share (lib-internal).
 *
 *   certificate.c        the numbers; a run (fs_certificates_pdf)
 *   certificate_hours.c  what a certificate counts: hours and modules
 *   certificate_page.c   one certificate drawn
 *   certificate_files.c  each person's own file, written by a second
 *                        thread; the temporary directory moved into place
 *
 * Who gets a certificate is fs_certificates()' decision (attendance.c).
 */
#ifndef FS_CERTIFICATE_H
#define FS_CERTIFICATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"
#include "handouts.h"
#include "pdf.h"

/* --- what a certificate counts (certificate_hours.c) --------------------- */

struct prog_item {
	int64_t id, day;
	int minutes;
	char *audience;
	int module_number;
	int64_t module_id;
	char *module_title;
};

/* The mission's agenda items, with their curriculum modules. */
struct programme {
	struct prog_item *items;
	size_t n;
};

fs_err certificate_programme_load(fs_store *store, int64_t mission_id,
				  struct programme *out);
void certificate_programme_release(struct programme *p);

struct attended {
	long minutes;
	/* modules, by id, in the order of their numbers */
	int64_t modules[32];
	int n_modules;
};

/* The minutes and modules of the items for the person of v (a row of
 * fs_certificates()) on the days they were present. */
fs_err certificate_hours(fs_store *store, const struct handout_mission *m,
			 const struct programme *prog, const char *const *v,
			 struct attended *out);
/* "Module 1 - Title", one a line (U+2028 between them), malloc'd; NULL
 * when out of memory. */
char *certificate_modules(const struct programme *prog,
			  const struct attended *a);

/* --- one certificate (certificate_page.c) --------------------------------- */

/* What a certificate says of its person. */
struct cert {
	const char *name, *number, *modules;
	long days_present;
	long minutes;
};

/* What every certificate of a run says alike. */
struct cert_common {
	const struct handout_mission *m;
	char place_date[256], dates[128];
	char city[224]; /* isolated (bidi.h) */
};

void certificate_common(struct cert_common *out,
			const struct handout_mission *m);
/* Draws one certificate on the page of pdf (A4 landscape). */
void certificate_draw(struct pdf *pdf, const struct cert_common *cc,
		      const struct cert *ct);

/* --- the person's own files (certificate_files.c) ------------------------- */

/* A person's own PDF, to be written: its strings in one allocation. */
struct person_job {
	struct cert ct;
	char *file; /* the file's name in tmpdir; the strings of ct follow */
};

/* One writing thread: with this one, two on a two-core machine.  Two
 * writing threads were faster by a fifth, but each has its own fonts (a
 * thread's pango font map): 131 MB at the peak instead of 97. */
#define CERT_WRITERS 1
#define CERT_JOBS 16

struct cert_files {
	const struct cert_common *cc;
	const char *tmpdir;
	pthread_t threads[CERT_WRITERS];
	int n_threads;
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct person_job jobs[CERT_JOBS];
	unsigned long queued, taken; /* slot = counter % CERT_JOBS */
	bool stopping;
	fs_err err; /* the first failure; the others then drop their jobs */
	char detail[512];
};

/* Starts the writing thread of the files tmpdir/REF.pdf. */
void certificate_files_start(struct cert_files *f,
			     const struct cert_common *cc, const char *tmpdir);
/* Has the person's own PDF written, by the writing thread, or here (with
 * the fitted texts of all) when that thread is behind.  FS_EIO. */
fs_err certificate_files_add(struct cert_files *f, struct pdf *all,
			     const struct cert *ct, const char *ref);
/* Waits for the files queued; returns the first failure.  FS_EIO. */
fs_err certificate_files_stop(struct cert_files *f);
/* Moves every file of tmpdir into dir, all.pdf last.  FS_EIO. */
fs_err certificate_files_move(const char *tmpdir, const char *dir);
/* Empties and removes tmpdir. */
void certificate_files_remove(const char *tmpdir);

/* The certificates of DIR (certificate_set.c): the last run's, listed in
 * DIR/.fs-certificates, and this run's, in tmpdir. */
struct outdir;
struct cert_set {
	char *old_text, **old; /* the list read, and its names sorted */
	size_t n_old;
	char *new_text; /* this run's names, a line each */
	size_t new_len;
	char *new_names, **new; /* a copy of new_text, split and sorted */
	size_t n_new;
};
/* Reads both sets and records them together, before tmpdir's files are
 * moved into root.  FS_EIO. */
fs_err certificate_set_begin(struct cert_set *s, const struct outdir *root,
			     const char *tmpdir);
/* Once the new set is in place: removes the last run's certificates not
 * in it, and records the new set alone.  FS_EIO. */
fs_err certificate_set_finish(struct cert_set *s, const struct outdir *root);
/* Frees what begin read (a zeroed s is fine). */
void certificate_set_release(struct cert_set *s);

#endif
