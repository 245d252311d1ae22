/*
 * certificate.c - certificates of completion as PDF, and their numbers.
 *
 * Who gets one is fs_certificates()' decision (attendance.c): the
 * confirmed participants present on at least min_percent of the mission's
 * days, from attendance once any is recorded, else from travel dates.
 * What it says beyond that:
 *
 * - hours: the sessions, visits and ceremonies for the person (for
 *   everyone, their group or their category) on the days they were
 *   present; with attendance, an item marked for the session counts as
 *   marked, and the others of a day count when the person was marked
 *   present for the whole day;
 * - modules: the curriculum modules of those items;
 * - the number: MISSION-NNNNNN-CCCCC, NNNNNN the row of the certificate
 *   table (AUTOINCREMENT: never given twice), issued once per mission and
 *   participant and kept, CCCCC a keyed hash (SipHash-2-4 under a random
 *   key kept in the database) of the mission, the ref and NNNNNN, in
 *   Crockford's base 32: a number cannot be made up or altered without
 *   `certificates --verify` telling.
 *
 * Each certificate is drawn twice: as a page of all.pdf, here, and as the
 * person's own PDF, by a second thread (most of a certificate's time
 * goes into its own file: subsetting and compressing its fonts), or here
 * too when that thread is behind (certificate_files.c).  What the hours
 * count is certificate_hours.c's; the page, certificate_page.c's.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "certificate.h"
#include "fieldschool/attendance.h"
#include "fieldschool/file.h"
#include "fieldschool/handout.h"
#include "outdir.h"
#include "store.h"

/* --- numbers ---------------------------------------------------------------- */

#define ROTL(x, b) (uint64_t)(((x) << (b)) | ((x) >> (64 - (b))))
#define SIPROUND                                                            \
	do {                                                                \
		v0 += v1; v1 = ROTL(v1, 13); v1 ^= v0; v0 = ROTL(v0, 32);   \
		v2 += v3; v3 = ROTL(v3, 16); v3 ^= v2;                      \
		v0 += v3; v3 = ROTL(v3, 21); v3 ^= v0;                      \
		v2 += v1; v1 = ROTL(v1, 17); v1 ^= v2; v2 = ROTL(v2, 32);   \
	} while (0)

static uint64_t
le64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

/* SipHash-2-4 (Aumasson and Bernstein, 2012) of data under a 16-byte key. */
static uint64_t
siphash(const unsigned char key[16], const unsigned char *data, size_t len)
{
	uint64_t k0 = le64(key), k1 = le64(key + 8);
	uint64_t v0 = 0x736f6d6570736575ULL ^ k0, v1 = 0x646f72616e646f6dULL ^ k1;
	uint64_t v2 = 0x6c7967656e657261ULL ^ k0, v3 = 0x7465646279746573ULL ^ k1;
	size_t full = len - len % 8;
	for (size_t i = 0; i < full; i += 8) {
		uint64_t m = le64(data + i);
		v3 ^= m;
		SIPROUND;
		SIPROUND;
		v0 ^= m;
	}
	uint64_t b = (uint64_t)len << 56;
	for (size_t i = 0; i < len % 8; i++)
		b |= (uint64_t)data[full + i] << (8 * i);
	v3 ^= b;
	SIPROUND;
	SIPROUND;
	v0 ^= b;
	v2 ^= 0xff;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	SIPROUND;
	return v0 ^ v1 ^ v2 ^ v3;
}

/* The database's key, made on first use. */
static fs_err
number_key(fs_store *store, unsigned char key[16])
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	for (int attempt = 0; attempt < 2; attempt++) {
		if ((err = store_stmt(store, Q_CERT_KEY_GET, &stmt)))
			return err;
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == 16)
			memcpy(key, sqlite3_column_blob(stmt, 0), 16);
		sqlite3_reset(stmt);
		if (rc == SQLITE_ROW)
			return FS_OK;
		if (rc != SQLITE_DONE)
			return store_fail(store, "reading the certificate key");
		unsigned char fresh[16];
		if ((err = store_random(fresh, sizeof(fresh))) ||
		    (err = store_stmt(store, Q_CERT_KEY_PUT, &stmt)))
			return err;
		sqlite3_bind_blob(stmt, 1, fresh, 16, SQLITE_TRANSIENT);
		if ((err = store_done(store, stmt, "storing the certificate key")))
			return err;
	}
	return fs_fail(FS_EDB, "no certificate key");
}

/* MISSION-NNNNNN-CCCCC, the mission's code in capitals. */
static void
format_number(char *out, size_t size, const unsigned char key[16],
	      const char *mission, const char *ref, int64_t id)
{
	static const char b32[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	size_t ml = strlen(mission), rl = strlen(ref);
	unsigned char *buf = malloc(ml + rl + 24);
	uint64_t h = 0;

	if (buf) {
		int n = snprintf((char *)buf + ml + rl + 2, 22, "%lld",
				 (long long)id);
		memcpy(buf, mission, ml + 1);
		memcpy(buf + ml + 1, ref, rl + 1);
		h = siphash(key, buf, ml + rl + 2 + (size_t)n);
		free(buf);
	}
	size_t n = 0;
	for (const char *p = mission; *p && n + 1 < size; p++)
		out[n++] = (*p >= 'a' && *p <= 'z') ? (char)(*p - 32) : *p;
	out[n] = '\0';
	char check[6];
	for (int i = 0; i < 5; i++)
		check[i] = b32[(h >> (5 * i)) & 31];
	check[5] = '\0';
	snprintf(out + n, size - n, "-%06lld-%s", (long long)id, check);
}

struct issuer {
	fs_store *store;
	const char *mission;
	char now[21];
};

static fs_err
issue_one(void *ctx, const char *const *v)
{
	struct issuer *is = ctx;
	sqlite3_stmt *stmt;
	fs_err err = store_stmt(is->store, Q_CERT_ISSUE, &stmt);
	if (err)
		return err;
	sqlite3_bind_text(stmt, 1, is->mission, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, v[FS_CERT_REF], -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, is->now, -1, SQLITE_STATIC);
	return store_done(is->store, stmt, "issuing a certificate number");
}

/* Gives every person who qualifies a number, once, in one transaction. */
static fs_err
issue_numbers(fs_store *store, const char *mission, int min_percent,
	      unsigned char key[16])
{
	struct issuer is = { store, mission, "" };
	fs_err err;

	store_now(is.now);
	if ((err = fs_store_begin(store)))
		return err;
	if ((err = number_key(store, key)) ||
	    (err = fs_certificates(store, mission, min_percent, false,
				   issue_one, &is))) {
		fs_store_rollback(store);
		return err;
	}
	return fs_store_commit(store);
}

fs_err
fs_certificate_verify(fs_store *store, const char *number, char **mission_out,
		      char **ref_out)
{
	unsigned char key[16];
	sqlite3_stmt *stmt;
	const char *dash1, *dash2 = strrchr(number, '-');
	char *end, expected[256];
	long long id;
	fs_err err;
	int rc;

	*mission_out = *ref_out = NULL;
	if (!dash2 || dash2 == number)
		goto unknown;
	for (dash1 = dash2 - 1; dash1 > number && *dash1 != '-'; dash1--)
		;
	if (*dash1 != '-')
		goto unknown;
	errno = 0;
	id = strtoll(dash1 + 1, &end, 10);
	if (end != dash2 || errno || id <= 0)
		goto unknown;
	if ((err = store_stmt(store, Q_CERT_KEY_GET, &stmt)))
		return err;
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW && sqlite3_column_bytes(stmt, 0) == 16)
		memcpy(key, sqlite3_column_blob(stmt, 0), 16);
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		goto unknown;
	if (rc != SQLITE_ROW)
		return store_fail(store, "reading the certificate key");
	if ((err = store_stmt(store, Q_CERT_BY_ID, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		format_number(expected, sizeof(expected), key,
			      store_text(stmt, 0), store_text(stmt, 1), id);
		if (!strcasecmp(expected, number)) {
			*mission_out = strdup(store_text(stmt, 0));
			*ref_out = strdup(store_text(stmt, 1));
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(store, "reading certificates");
	if (*mission_out && *ref_out)
		return FS_OK;
	free(*mission_out);
	free(*ref_out);
	*mission_out = *ref_out = NULL;
unknown:
	return fs_fail(FS_ENOTFOUND, "'%s' is not a certificate number this "
		       "database issued", number);
}

/* --- a run ------------------------------------------------------------------- */

struct certifier {
	fs_store *store;
	const struct handout_mission *m;
	struct programme prog;
	unsigned char key[16];
	struct cert_common common;
	struct pdf all;
	size_t n;
	struct cert_files files;
	size_t kill_after; /* FIELDSCHOOL_TEST_KILL_AFTER: a test's SIGKILL */
};

static fs_err
render_one(void *ctx, const char *const *v)
{
	struct certifier *c = ctx;
	struct attended a;
	sqlite3_stmt *stmt;
	char number[256] = "", *name = NULL, *modules = NULL;
	fs_err err;
	int rc;

	if ((err = certificate_hours(c->store, c->m, &c->prog, v, &a)))
		return err;
	if ((err = store_stmt(c->store, Q_CERT_NUMBER, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, c->m->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, v[FS_CERT_REF], -1, SQLITE_TRANSIENT);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		format_number(number, sizeof(number), c->key, c->m->code,
			      v[FS_CERT_REF], sqlite3_column_int64(stmt, 0));
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE
			       ? fs_fail(FS_EDB, "no certificate number for "
					 "'%s'", v[FS_CERT_REF])
			       : store_fail(c->store, "reading a number");
	if (asprintf(&name, "%s%s%s", v[FS_CERT_GIVEN_NAME],
		     *v[FS_CERT_GIVEN_NAME] && *v[FS_CERT_FAMILY_NAME] ? " " : "",
		     v[FS_CERT_FAMILY_NAME]) < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	if (!(modules = certificate_modules(&c->prog, &a))) {
		free(name);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	struct cert ct = { name, number, modules,
			   strtol(v[FS_CERT_DAYS_PRESENT], NULL, 10),
			   a.minutes };
	certificate_draw(&c->all, &c->common, &ct);
	err = pdf_page(&c->all);
	if (!err)
		err = certificate_files_add(&c->files, &c->all, &ct,
					    v[FS_CERT_REF]);
	if (!err)
		c->n++;
	free(name);
	free(modules);
	if (c->kill_after && c->n == c->kill_after)
		raise(SIGKILL); /* a run killed mid-way leaves its temporaries */
	return err;
}

fs_err
fs_certificates_pdf(fs_store *store, const char *mission, int min_percent,
		    const char *dir, size_t *n_out)
{
	struct handout_mission m;
	struct certifier c = { 0 };
	FILE *all = NULL;
	struct outdir root = OUTDIR_CLOSED;
	struct cert_set set = { 0 };
	char *tmpdir = NULL, *all_path = NULL, tmp_name[64];
	int tmp_lock = -1;
	fs_err err;

	if (n_out)
		*n_out = 0;
	if ((err = handout_mission_load(store, mission, &m)))
		return err;
	c.store = store;
	c.m = &m;
	const char *hook = getenv("FIELDSCHOOL_TEST_KILL_AFTER");
	c.kill_after = hook ? strtoul(hook, NULL, 10) : 0;
	certificate_common(&c.common, &m);
	store_memory_small(store, true);
	if ((err = issue_numbers(store, m.code, min_percent, c.key)) ||
	    (err = certificate_programme_load(store, m.id, &c.prog)) ||
	    (err = outdir_open_root(&root, dir)))
		goto done;
	/* what a killed run left, then our own, locked while we run */
	outdir_sweep_temp_dirs(&root);
	if ((err = outdir_temp_dir(&root, &tmp_lock, tmp_name)))
		goto done;
	if (asprintf(&tmpdir, "%s/%s", dir, tmp_name) < 0) {
		tmpdir = NULL;
		err = fs_fail(FS_ENOMEM, "out of memory");
		unlinkat(root.fd, tmp_name, AT_REMOVEDIR);
		goto done;
	}
	if (asprintf(&all_path, "%s/all.pdf", tmpdir) < 0) {
		all_path = NULL;
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if (!(all = fopen(all_path, "wx"))) {
		err = fs_fail(FS_EIO, "%s: %s", all_path, strerror(errno));
		goto done;
	}
	if ((err = pdf_open(&c.all, all, 297 * PDF_MM, 210 * PDF_MM,
			    m.title, NULL)))
		goto done;
	certificate_files_start(&c.files, &c.common, tmpdir);
	err = fs_certificates(store, m.code, min_percent, false, render_one,
			      &c);
	fs_err written = certificate_files_stop(&c.files);
	if (!err)
		err = written;
	if (!err && c.n == 0)
		err = fs_fail(FS_EINPUT, "nobody in '%s' qualifies for a "
			      "certificate (present on %d%% of the days): "
			      "nothing written", m.code, min_percent);
	fs_err closed = pdf_close(&c.all);
	if (!err)
		err = closed;
	if ((fflush(all) || ferror(all) || fsync(fileno(all))) && !err)
		err = fs_fail(FS_EIO, "%s/all.pdf: %s", dir, strerror(errno));
	if (fclose(all) && !err)
		err = fs_fail(FS_EIO, "%s/all.pdf: %s", dir, strerror(errno));
	all = NULL;
	if (!err)
		err = certificate_set_begin(&set, &root, tmpdir);
	if (!err)
		err = certificate_files_move(tmpdir, dir);
	if (!err)
		err = certificate_set_finish(&set, &root);
	if (!err && n_out)
		*n_out = c.n;
done:
	if (all) {
		pdf_close(&c.all);
		fclose(all);
	}
	if (tmpdir)
		certificate_files_remove(tmpdir);
	if (tmp_lock >= 0)
		close(tmp_lock); /* after the removal: the lock ends the run */
	outdir_close(&root);
	certificate_set_release(&set);
	free(tmpdir);
	free(all_path);
	certificate_programme_release(&c.prog);
	handout_mission_release(&m);
	store_memory_small(store, false);
	return err;
}
