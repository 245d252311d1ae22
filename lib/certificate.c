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
 * too when that thread is behind.
 */
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fieldschool/attendance.h"
#include "fieldschool/file.h"
#include "fieldschool/handout.h"
#include "finance.h"
#include "handouts.h"
#include "pdf.h"
#include "store.h"
#include "value.h"

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

/* --- what a certificate counts ------------------------------------------- */

struct prog_item {
	int64_t id, day;
	int minutes;
	char *audience;
	int module_number;
	int64_t module_id;
	char *module_title;
};

struct programme {
	struct prog_item *items;
	size_t n;
};

static void
programme_release(struct programme *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->items[i].audience);
		free(p->items[i].module_title);
	}
	free(p->items);
	memset(p, 0, sizeof(*p));
}

static int
minutes_of(const char *hhmm)
{
	int h = 0, m = 0;
	if (sscanf(hhmm, "%d:%d", &h, &m) != 2)
		return 0;
	return h * 60 + m;
}

static fs_err
programme_load(fs_store *store, int64_t mission_id, struct programme *p)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	fs_err err = FS_OK;
	int rc;

	memset(p, 0, sizeof(*p));
	if ((err = store_stmt(store, Q_CERT_ITEMS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, mission_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (p->n == cap) {
			cap = cap ? 2 * cap : 64;
			void *grown = realloc(p->items, cap * sizeof(*p->items));
			if (!grown) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			p->items = grown;
		}
		struct prog_item *it = &p->items[p->n];
		it->id = sqlite3_column_int64(stmt, 0);
		if (parse_date(store_text(stmt, 1), &it->day))
			it->day = 0;
		it->minutes = minutes_of(store_text(stmt, 3)) -
			      minutes_of(store_text(stmt, 2));
		if (it->minutes < 0)
			it->minutes = 0;
		it->audience = strdup(store_text(stmt, 4));
		it->module_number = sqlite3_column_int(stmt, 5);
		it->module_title = strdup(store_text(stmt, 6));
		it->module_id = sqlite3_column_int64(stmt, 7);
		p->n++;
		if (!it->audience || !it->module_title) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading the agenda");
	sqlite3_reset(stmt);
	if (err)
		programme_release(p);
	return err;
}

/* Is the item for this person: everyone, their group, their category? */
static bool
for_person(const char *audience, const char *group, const char *category)
{
	if (!*audience || !strcmp(audience, "all"))
		return true;
	for (const char *p = audience; *p;) {
		size_t n = strcspn(p, ";");
		if (n > 6 && !strncmp(p, "group:", 6) && strlen(group) == n - 6 &&
		    !strncmp(p + 6, group, n - 6))
			return true;
		if (n > 9 && !strncmp(p, "category:", 9) &&
		    strlen(category) == n - 9 && !strncmp(p + 9, category, n - 9))
			return true;
		p += n;
		if (*p == ';')
			p++;
	}
	return false;
}

#define MAX_DAYS 8 /* missions have 3 or 4 */

struct attended {
	long minutes;
	/* modules, by id, in the order of their numbers */
	int64_t modules[32];
	int n_modules;
};

/* One person's attendance marks: per day, whether marked present for the
 * whole day, and per item, the mark (1 present, 0 absent, -1 none). */
struct marks {
	bool day_present[MAX_DAYS];
	bool any_on_day[MAX_DAYS];
	int64_t items[256];
	signed char item_mark[256];
	int n_items;
};

static fs_err
load_marks(fs_store *store, int64_t registration, int64_t first, int days,
	   struct marks *mk)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	memset(mk, 0, sizeof(*mk));
	if ((err = store_stmt(store, Q_CERT_ATTENDANCE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, registration);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t day;
		if (parse_date(store_text(stmt, 0), &day))
			continue;
		int64_t d = day - first;
		if (d < 0 || d >= days || d >= MAX_DAYS)
			continue;
		int64_t item = sqlite3_column_int64(stmt, 1);
		bool present = sqlite3_column_int(stmt, 2) != 0;
		if (present)
			mk->any_on_day[d] = true;
		if (!item) {
			mk->day_present[d] = present;
		} else if (mk->n_items < 256) {
			mk->items[mk->n_items] = item;
			mk->item_mark[mk->n_items++] = present;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "reading attendance");
	return FS_OK;
}

static int
item_mark(const struct marks *mk, int64_t item)
{
	for (int i = 0; i < mk->n_items; i++)
		if (mk->items[i] == item)
			return mk->item_mark[i];
	return -1;
}

static void
count_item(struct attended *a, const struct programme *p,
	   const struct prog_item *it)
{
	a->minutes += it->minutes;
	if (!it->module_id)
		return;
	for (int i = 0; i < a->n_modules; i++)
		if (a->modules[i] == it->module_id)
			return;
	if (a->n_modules == 32)
		return;
	/* insertion by module number */
	int at = a->n_modules;
	while (at > 0) {
		const struct prog_item *prev = NULL;
		for (size_t k = 0; k < p->n && !prev; k++)
			if (p->items[k].module_id == a->modules[at - 1])
				prev = &p->items[k];
		if (!prev || prev->module_number <= it->module_number)
			break;
		a->modules[at] = a->modules[at - 1];
		at--;
	}
	a->modules[at] = it->module_id;
	a->n_modules++;
}

/* --- drawing --------------------------------------------------------------- */

static const char *const MONTHS[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

static void
ymd(int64_t day, int *y, int *m, int *d)
{
	char buf[11];
	format_date(day, buf);
	sscanf(buf, "%d-%d-%d", y, m, d);
}

/* "13-16 September 2027", "30 September - 2 October 2027" (en dashes) */
static void
date_range(char *out, size_t size, int64_t first, int64_t last)
{
	int y1, m1, d1, y2, m2, d2;
	ymd(first, &y1, &m1, &d1);
	ymd(last, &y2, &m2, &d2);
	if (y1 == y2 && m1 == m2)
		snprintf(out, size, "%d\u2013%d %s %d", d1, d2, MONTHS[m2 - 1],
			 y2);
	else if (y1 == y2)
		snprintf(out, size, "%d %s \u2013 %d %s %d", d1, MONTHS[m1 - 1],
			 d2, MONTHS[m2 - 1], y2);
	else
		snprintf(out, size, "%d %s %d \u2013 %d %s %d", d1,
			 MONTHS[m1 - 1], y1, d2, MONTHS[m2 - 1], y2);
}

struct cert {
	const char *name, *number, *modules;
	long days_present;
	long minutes;
};

/* A person's own PDF, to be written: its strings in one allocation. */
struct person_job {
	struct cert ct;
	char *file; /* the file's name in tmpdir; the strings of ct follow */
};

/* One writing thread: with this one, two on a two-core machine.  Two
 * writing threads were faster by a fifth, but each has its own fonts (a
 * thread's pango font map): 131 MB at the peak instead of 97. */
#define WRITERS 1
#define JOBS 16

struct writers {
	pthread_t threads[WRITERS];
	int n_threads;
	pthread_mutex_t lock;
	pthread_cond_t more;
	struct person_job jobs[JOBS];
	unsigned long queued, taken; /* slot = counter % JOBS */
	bool stopping;
	fs_err err; /* the first failure; the others then drop their jobs */
	char detail[512];
	const struct certifier *c;
};

struct certifier {
	fs_store *store;
	const struct handout_mission *m;
	struct programme prog;
	unsigned char key[16];
	char *tmpdir;
	struct pdf all;
	size_t n;
	char place_date[256], dates[128];
	struct writers w;
};

#define INK 0x1a1a1a
#define ACCENT 0x1d4e5f
#define GOLD 0xa8843a

static void
rule(cairo_t *cr, double x, double y, double w, double width, uint32_t rgb)
{
	cairo_save(cr);
	cairo_set_line_width(cr, width);
	pdf_rgb(cr, rgb);
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + w, y);
	cairo_stroke(cr);
	cairo_restore(cr);
}

static void
draw_certificate(const struct certifier *c, struct pdf *pdf,
		 const struct cert *ct)
{
	const struct handout_mission *m = c->m;
	cairo_t *cr = pdf->cr;
	const double mm = PDF_MM, W = 297 * mm;
	char text[512];

	/* a double frame */
	cairo_save(cr);
	pdf_rgb(cr, ACCENT);
	cairo_set_line_width(cr, 2.4);
	cairo_rectangle(cr, 10 * mm, 10 * mm, W - 20 * mm, 190 * mm);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, 13 * mm, 13 * mm, W - 26 * mm, 184 * mm);
	cairo_stroke(cr);
	cairo_restore(cr);

	double bx = 33.5 * mm, bw = W - 67 * mm;
	struct pdf_style heading = { PDF_SANS, 12, 9, 1, PANGO_WEIGHT_BOLD,
				     false, PDF_CENTER, ACCENT, 3.2 };
	pdf_text(pdf, "CERTIFICATE OF COMPLETION", &heading, bx, 25 * mm, bw,
		 8 * mm, PDF_MIDDLE);
	rule(cr, W / 2 - 20 * mm, 36 * mm, 40 * mm, 0.9, GOLD);

	struct pdf_style title = { PDF_SERIF, 21, 14, 2, PANGO_WEIGHT_BOLD,
				   false, PDF_CENTER, INK, 0 };
	pdf_text(pdf, m->title, &title, bx, 41 * mm, bw, 20 * mm, PDF_MIDDLE);
	struct pdf_style sub = { PDF_SANS, 11, 8, 1, 0, false, PDF_CENTER,
				 0x444444, 0.3 };
	snprintf(text, sizeof(text), "%s, %s  \u00b7  %s", m->city,
		 handout_country(m->country), c->dates);
	pdf_text(pdf, text, &sub, bx, 62 * mm, bw, 7 * mm, PDF_MIDDLE);

	struct pdf_style intro = { PDF_SERIF, 13, 11, 1, 0, true, PDF_CENTER,
				   0x333333, 0 };
	pdf_text(pdf, "This is to certify that", &intro, bx, 78 * mm, bw,
		 8 * mm, PDF_MIDDLE);
	struct pdf_style name = { PDF_SERIF, 34, 22, 2, PANGO_WEIGHT_BOLD,
				  false, PDF_CENTER, INK, 0 };
	pdf_text(pdf, ct->name, &name, bx, 87 * mm, bw, 24 * mm, PDF_MIDDLE);
	rule(cr, W / 2 - 70 * mm, 113 * mm, 140 * mm, 0.6, GOLD);

	char hours[32];
	if (ct->minutes % 60)
		snprintf(hours, sizeof(hours), "%ld h %02ld min",
			 ct->minutes / 60, ct->minutes % 60);
	else
		snprintf(hours, sizeof(hours), "%ld hours", ct->minutes / 60);
	snprintf(text, sizeof(text), "attended %ld of the %d days of the "
		 "field school, %s of sessions and site visits%s",
		 ct->days_present, m->days, hours,
		 *ct->modules ? ", on the curriculum modules" : "");
	struct pdf_style body = { PDF_SERIF, 12.5, 10, 2, 0, false, PDF_CENTER,
				  0x222222, 0 };
	pdf_text(pdf, text, &body, bx, 117 * mm, bw, 8 * mm, PDF_MIDDLE);
	/* one module a line (U+2028 breaks the line, not the paragraph) */
	struct pdf_style modules = { PDF_SANS, 10, 8, 6, 0, false, PDF_CENTER,
				     0x333333, 0 };
	pdf_text(pdf, ct->modules, &modules, bx + 10 * mm, 127 * mm,
		 bw - 20 * mm, 30 * mm, PDF_TOP);

	/* ready to sign: the organizer on the left, place and date on the
	 * right */
	double sy = 168 * mm, sw = 85 * mm;
	double lx = 40 * mm, rx = W - 40 * mm - sw;
	rule(cr, lx, sy, sw, 0.6, INK);
	rule(cr, rx, sy, sw, 0.6, INK);
	struct pdf_style signer = { PDF_SERIF, 12, 9, 1, PANGO_WEIGHT_BOLD,
				    false, PDF_CENTER, INK, 0 };
	struct pdf_style role = { PDF_SANS, 8.5, 7, 1, 0, false, PDF_CENTER,
				  0x555555, 0.3 };
	pdf_text(pdf, *m->contact_name ? m->contact_name : " ", &signer, lx,
		 sy + 1.5 * mm, sw, 6 * mm, PDF_TOP);
	pdf_text(pdf, "Organizer", &role, lx, sy + 7.5 * mm, sw, 4 * mm,
		 PDF_TOP);
	struct pdf_style place = { PDF_SERIF, 12, 9, 1, 0, false, PDF_CENTER,
				   INK, 0 };
	pdf_text(pdf, c->place_date, &place, rx, sy - 8 * mm, sw, 6.5 * mm,
		 PDF_BOTTOM);
	pdf_text(pdf, "Place and date", &role, rx, sy + 1.5 * mm, sw, 4 * mm,
		 PDF_TOP);

	/* the number and how to verify it */
	struct pdf_style number = { PDF_SANS, 8, 6, 1, PANGO_WEIGHT_BOLD,
				    false, PDF_CENTER, 0x333333, 0 };
	snprintf(text, sizeof(text), "Certificate no. %s", ct->number);
	pdf_text(pdf, text, &number, bx, 181 * mm, bw, 4 * mm, PDF_MIDDLE);
	if (*m->contact_email)
		snprintf(text, sizeof(text), "To verify this certificate, "
			 "write to %s quoting its number.", m->contact_email);
	else
		snprintf(text, sizeof(text), "To verify this certificate, "
			 "ask the organizer, quoting its number.");
	struct pdf_style verify = { PDF_SANS, 7.5, 6, 1, 0, false, PDF_CENTER,
				    0x666666, 0 };
	pdf_text(pdf, text, &verify, bx, 185.5 * mm, bw, 4 * mm, PDF_MIDDLE);
}

/* --- files ------------------------------------------------------------------ */

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

static fs_err
person_hours(struct certifier *c, const char *const *v, struct attended *a)
{
	const struct handout_mission *m = c->m;
	sqlite3_stmt *stmt;
	struct marks mk;
	int64_t reg = 0, arrival = 0, departure = 0;
	char group[128] = "";
	bool by_attendance = !strcmp(v[FS_CERT_BASIS], "attendance");
	fs_err err;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((err = store_stmt(c->store, Q_CERT_PERSON, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, v[FS_CERT_REF], -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(stmt, 2, m->id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		reg = sqlite3_column_int64(stmt, 0);
		snprintf(group, sizeof(group), "%s", store_text(stmt, 1));
		int64_t last = m->first_day + m->days - 1;
		arrival = finance_day_of(store_text(stmt, 2), m->first_day - 1);
		departure = finance_day_of(store_text(stmt, 3), last + 1);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return store_fail(c->store, "reading a registration");
	if (by_attendance &&
	    (err = load_marks(c->store, reg, m->first_day, m->days, &mk)))
		return err;
	for (size_t i = 0; i < c->prog.n; i++) {
		const struct prog_item *it = &c->prog.items[i];
		int64_t d = it->day - m->first_day;
		bool counts;
		if (d < 0 || d >= m->days || d >= MAX_DAYS ||
		    !for_person(it->audience, group, v[FS_CERT_CATEGORY]))
			continue;
		if (by_attendance) {
			int mark = item_mark(&mk, it->id);
			counts = mark >= 0 ? mark == 1 : mk.day_present[d];
		} else {
			counts = it->day >= arrival && it->day <= departure;
		}
		if (counts)
			count_item(a, &c->prog, it);
	}
	return FS_OK;
}

static char *
modules_text(const struct certifier *c, const struct attended *a)
{
	size_t cap = 64, n = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < a->n_modules; i++) {
		const struct prog_item *it = NULL;
		for (size_t k = 0; k < c->prog.n && !it; k++)
			if (c->prog.items[k].module_id == a->modules[i])
				it = &c->prog.items[k];
		if (!it)
			continue;
		size_t need = n + strlen(it->module_title) + 48;
		if (need > cap) {
			char *grown = realloc(s, cap = need * 2);
			if (!grown) {
				free(s);
				return NULL;
			}
			s = grown;
		}
		n += (size_t)snprintf(s + n, cap - n, "%sModule %d \u2014 %s",
				      n ? "\u2028" : "",
				      it->module_number, it->module_title);
	}
	return s;
}

/* Writes a person's own PDF, tmpdir/file; *texts: the thread's fitted
 * texts, NULL before its first file. */
static fs_err
write_one(const struct certifier *c, struct pdf_texts **texts,
	  const struct cert *ct, const char *file)
{
	char *path = NULL;
	struct pdf pdf;
	FILE *fp;
	fs_err err;

	if (asprintf(&path, "%s/%s", c->tmpdir, file) < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	if (!(fp = fopen(path, "wx"))) {
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		free(path);
		return err;
	}
	err = pdf_open(&pdf, fp, 297 * PDF_MM, 210 * PDF_MM, c->m->title,
		       *texts);
	if (!err) {
		if (!*texts)
			*texts = pdf_texts_ref(&pdf);
		draw_certificate(c, &pdf, ct);
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
	struct writers *w = arg;
	struct pdf_texts *texts = NULL;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stopping && w->taken == w->queued)
			pthread_cond_wait(&w->more, &w->lock);
		if (w->taken == w->queued)
			break; /* stopping, and nothing left */
		struct person_job job = w->jobs[w->taken++ % JOBS];
		bool failed = w->err != FS_OK;
		pthread_mutex_unlock(&w->lock);
		fs_err err = failed ? FS_OK
				    : write_one(w->c, &texts, &job.ct, job.file);
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

static void
writers_start(struct writers *w, const struct certifier *c)
{
	memset(w, 0, sizeof(*w));
	w->c = c;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->more, NULL);
	while (w->n_threads < WRITERS &&
	       pthread_create(&w->threads[w->n_threads], NULL, writer_main,
			      w) == 0)
		w->n_threads++;
}

/* Waits for the files queued to be written; w->err and w->detail: the
 * first failure of a thread. */
static void
writers_stop(struct writers *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->more);
	pthread_mutex_unlock(&w->lock);
	for (int i = 0; i < w->n_threads; i++)
		pthread_join(w->threads[i], NULL);
	for (; w->taken < w->queued; w->taken++) /* no thread ran */
		free(w->jobs[w->taken % JOBS].file);
	pthread_cond_destroy(&w->more);
	pthread_mutex_destroy(&w->lock);
}

/* Has the person's own PDF written, by the writing thread; here when
 * there is none, or when the thread is JOBS files behind (a file takes
 * longer than a page of all.pdf: both threads then write files). */
static fs_err
queue_one(struct certifier *c, const struct cert *ct, const char *ref)
{
	struct writers *w = &c->w;
	char file[1024];
	fs_err err;

	ref_file_name(file, sizeof(file), ref);
	pthread_mutex_lock(&w->lock);
	bool here = w->n_threads == 0 || w->queued - w->taken == JOBS;
	err = w->err;
	pthread_mutex_unlock(&w->lock);
	if (err)
		return fs_fail(err, "%s", w->detail);
	if (here) {
		struct pdf_texts *texts = pdf_texts_ref(&c->all);
		err = write_one(c, &texts, ct, file);
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
	w->jobs[w->queued++ % JOBS] = job;
	pthread_cond_signal(&w->more);
	pthread_mutex_unlock(&w->lock);
	return FS_OK;
}

static fs_err
render_one(void *ctx, const char *const *v)
{
	struct certifier *c = ctx;
	struct attended a;
	sqlite3_stmt *stmt;
	char number[256] = "", *name = NULL, *modules = NULL;
	fs_err err;
	int rc;

	if ((err = person_hours(c, v, &a)))
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
	if (!(modules = modules_text(c, &a))) {
		free(name);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	struct cert ct = { name, number, modules,
			   strtol(v[FS_CERT_DAYS_PRESENT], NULL, 10),
			   a.minutes };
	draw_certificate(c, &c->all, &ct);
	err = pdf_page(&c->all);
	if (!err)
		err = queue_one(c, &ct, v[FS_CERT_REF]);
	if (!err)
		c->n++;
	free(name);
	free(modules);
	return err;
}

/* Empties and removes the temporary directory. */
static void
remove_tmpdir(const char *tmpdir)
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

/* Moves every file of the temporary directory into dir, all.pdf last. */
static fs_err
move_into(const char *tmpdir, const char *dir)
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

fs_err
fs_certificates_pdf(fs_store *store, const char *mission, int min_percent,
		    const char *dir, size_t *n_out)
{
	struct handout_mission m;
	struct certifier c = { 0 };
	FILE *all = NULL;
	char *all_path = NULL;
	fs_err err;

	if (n_out)
		*n_out = 0;
	if ((err = handout_mission_load(store, mission, &m)))
		return err;
	c.store = store;
	c.m = &m;
	date_range(c.dates, sizeof(c.dates), m.first_day,
		   m.first_day + m.days - 1);
	{
		int y, mo, d;
		ymd(m.first_day + m.days - 1, &y, &mo, &d);
		snprintf(c.place_date, sizeof(c.place_date), "%s, %d %s %d",
			 m.city, d, MONTHS[mo - 1], y);
	}
	store_memory_small(store, true);
	if ((err = issue_numbers(store, m.code, min_percent, c.key)) ||
	    (err = programme_load(store, m.id, &c.prog)) ||
	    (err = fs_mkdirs(dir)))
		goto done;
	if (asprintf(&c.tmpdir, "%s/.fs-tmp-XXXXXX", dir) < 0) {
		c.tmpdir = NULL;
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if (!mkdtemp(c.tmpdir)) {
		err = fs_fail(FS_EIO, "%s: %s", dir, strerror(errno));
		free(c.tmpdir);
		c.tmpdir = NULL;
		goto done;
	}
	if (asprintf(&all_path, "%s/all.pdf", c.tmpdir) < 0) {
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
	writers_start(&c.w, &c);
	err = fs_certificates(store, m.code, min_percent, false, render_one,
			      &c);
	writers_stop(&c.w);
	if (!err && c.w.err)
		err = fs_fail(c.w.err, "%s", c.w.detail);
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
		err = move_into(c.tmpdir, dir);
	if (!err && n_out)
		*n_out = c.n;
done:
	if (all) {
		pdf_close(&c.all);
		fclose(all);
	}
	if (c.tmpdir)
		remove_tmpdir(c.tmpdir);
	free(c.tmpdir);
	free(all_path);
	programme_release(&c.prog);
	handout_mission_release(&m);
	store_memory_small(store, false);
	return err;
}
