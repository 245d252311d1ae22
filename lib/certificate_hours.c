/*
 * certificate_hours.c - what a certificate counts: the hours of the
 * sessions, visits and ceremonies for the person (for everyone, their
 * group or their category) on the days they were present, and the
 * curriculum modules of those items.
 *
 * With attendance, an item marked for the session counts as marked, and
 * the others of a day count when the person was marked present for the
 * whole day; without, the days between arrival and departure count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bidi.h"
#include "certificate.h"
#include "fieldschool/attendance.h"
#include "finance.h"
#include "store.h"
#include "value.h"

void
certificate_programme_release(struct programme *p)
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

fs_err
certificate_programme_load(fs_store *store, int64_t mission_id,
			   struct programme *p)
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
		certificate_programme_release(p);
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

fs_err
certificate_hours(fs_store *store, const struct handout_mission *m,
		  const struct programme *prog, const char *const *v,
		  struct attended *a)
{
	sqlite3_stmt *stmt;
	struct marks mk;
	int64_t reg = 0, arrival = 0, departure = 0;
	char group[128] = "";
	bool by_attendance = !strcmp(v[FS_CERT_BASIS], "attendance");
	fs_err err;
	int rc;

	memset(a, 0, sizeof(*a));
	if ((err = store_stmt(store, Q_CERT_PERSON, &stmt)))
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
		return store_fail(store, "reading a registration");
	if (by_attendance &&
	    (err = load_marks(store, reg, m->first_day, m->days, &mk)))
		return err;
	for (size_t i = 0; i < prog->n; i++) {
		const struct prog_item *it = &prog->items[i];
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
			count_item(a, prog, it);
	}
	return FS_OK;
}

char *
certificate_modules(const struct programme *prog, const struct attended *a)
{
	size_t cap = 64, n = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (int i = 0; i < a->n_modules; i++) {
		const struct prog_item *it = NULL;
		for (size_t k = 0; k < prog->n && !it; k++)
			if (prog->items[k].module_id == a->modules[i])
				it = &prog->items[k];
		if (!it)
			continue;
		/* U+2028 ends a line, not the paragraph: each title is
		 * isolated from the lines after it */
		char *title = bidi_isolated(it->module_title), *grown = s;
		size_t need = n + (title ? strlen(title) : 0) + 48;
		if (title && need > cap)
			grown = realloc(s, cap = need * 2);
		if (!title || !grown) {
			free(title);
			free(s);
			return NULL;
		}
		s = grown;
		n += (size_t)snprintf(s + n, cap - n, "%sModule %d \u2014 %s",
				      n ? "\u2028" : "", it->module_number,
				      title);
		free(title);
	}
	return s;
}
