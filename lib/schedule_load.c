/*
 * schedule_load.c - one mission read from the store for check.c and
 * plan.c (schedule_load.h): its categories and quotas, places, items with
 * their audiences and facilitators, and the people with their stays.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schedule_load.h"
#include "value.h"
#include "zone.h"

/* ---- an arena of strings and small arrays, freed at once ---- */



static void *
arena_alloc(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (!c || c->size - c->used < n) {
		size_t size = n > 65536 ? n : 65536;
		if (!(c = malloc(sizeof(*c) + size)))
			return NULL;
		c->next = a->head;
		c->used = 0;
		c->size = size;
		a->head = c;
	}
	c->used += n;
	return (char *)c->data + c->used - n;
}

char *
sched_strdup(struct arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *copy = arena_alloc(a, n);
	if (copy)
		memcpy(copy, s, n);
	return copy;
}

static void
arena_release(struct arena *a)
{
	while (a->head) {
		struct arena_chunk *next = a->head->next;
		free(a->head);
		a->head = next;
	}
}

/* ---- interned names: a string's index, in order of first sight ---- */


static void
names_release(struct names *t)
{
	strmap_release(&t->map);
	free(t->list);
	memset(t, 0, sizeof(*t));
}

/* *out = index of s, adding it when new; -1 for "" */
fs_err
sched_intern(struct names *t, const char *s, int *out)
{
	struct strmap_entry *e;
	fs_err err;

	if (!*s) {
		*out = -1;
		return FS_OK;
	}
	if ((e = strmap_get(&t->map, s))) {
		*out = (int)e->aux;
		return FS_OK;
	}
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		const char **grown = realloc(t->list, cap * sizeof(*grown));
		if (!grown)
			return fs_fail(FS_ENOMEM, "out of memory");
		t->list = grown;
		t->cap = cap;
	}
	if ((err = strmap_put(&t->map, s, 0, t->n)))
		return err;
	t->list[t->n] = strmap_get(&t->map, s)->key;
	*out = (int)t->n++;
	return FS_OK;
}

/* ---- one mission, loaded ---- */


void
sched_release(struct loaded *m)
{
	arena_release(&m->arena);
	names_release(&m->places);
	names_release(&m->facilitators);
	names_release(&m->groups);
	names_release(&m->categories);
	names_release(&m->orgs);
	names_release(&m->countries);
	names_release(&m->languages);
	free(m->category_ids);
	free(m->quotas);
	free(m->place_list);
	free(m->items);
	free(m->people);
	free(m->attrs);
	memset(m, 0, sizeof(*m));
}

fs_err
sched_grow(void **array, size_t *cap, size_t need, size_t size)
{
	void *grown;
	size_t n = *cap ? *cap : 64;
	if (need <= *cap)
		return FS_OK;
	while (n < need)
		n *= 2;
	if (!(grown = realloc(*array, n * size)))
		return fs_fail(FS_ENOMEM, "out of memory");
	*array = grown;
	*cap = n;
	return FS_OK;
}

static fs_err
load_categories(fs_store *store, struct loaded *m)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	fs_err err;
	int rc, index;

	if ((err = store_stmt(store, Q_SCHED_CATEGORIES, &stmt)))
		return err;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((err = sched_intern(&m->categories, store_text(stmt, 1), &index)) ||
		    (err = sched_grow((void **)&m->category_ids, &cap,
				m->categories.n, sizeof(int64_t))))
			break;
		m->category_ids[index] = sqlite3_column_int64(stmt, 0);
		m->n_category_ids = m->categories.n;
	}
	sqlite3_reset(stmt);
	if (err)
		return err;
	if (rc != SQLITE_DONE)
		return store_fail(store, "reading categories");
	if (!(m->quotas = malloc((m->categories.n + 1) * sizeof(long))))
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t k = 0; k < m->categories.n; k++)
		m->quotas[k] = -1;
	if ((err = store_stmt(store, Q_SCHED_QUOTAS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->info.id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		for (size_t k = 0; k < m->n_category_ids; k++)
			if (m->category_ids[k] == sqlite3_column_int64(stmt, 0))
				m->quotas[k] = sqlite3_column_int64(stmt, 1);
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? FS_OK : store_fail(store, "reading quotas");
}

static int
category_index(const struct loaded *m, int64_t id)
{
	for (size_t k = 0; k < m->n_category_ids; k++)
		if (m->category_ids[k] == id)
			return (int)k;
	return -1;
}

/* Splits list on sep into interned indexes in the arena. */
static fs_err
intern_list(struct loaded *m, struct names *t, const char *list, char sep,
	    const char *prefix, const int **out, size_t *n_out)
{
	size_t n = 0, plen = prefix ? strlen(prefix) : 0;
	int *ids;
	char *copy, *p;
	fs_err err;

	*out = NULL;
	*n_out = 0;
	if (!*list)
		return FS_OK;
	for (const char *s = list; *s; s++)
		n += *s == sep;
	if (!(ids = arena_alloc(&m->arena, (n + 1) * sizeof(int))) ||
	    !(copy = sched_strdup(&m->arena, list)))
		return fs_fail(FS_ENOMEM, "out of memory");
	n = 0;
	for (p = copy; p;) {
		char *next = strchr(p, sep);
		int id;
		if (next)
			*next++ = '\0';
		if (!prefix || !strncmp(p, prefix, plen)) {
			if ((err = sched_intern(t, p + plen, &id)))
				return err;
			if (id >= 0)
				ids[n++] = id;
		}
		p = next;
	}
	*out = ids;
	*n_out = n;
	return FS_OK;
}

static int
clock_of(const char *s)
{
	int minutes = 0;
	return parse_clock(s, &minutes) ? 0 : minutes;
}

/* Places by id, for the items: sorted by id, found by bsearch. */
struct place_ref {
	int64_t id;
	int index;
};

static int
place_ref_cmp(const void *a, const void *b)
{
	int64_t x = ((const struct place_ref *)a)->id;
	int64_t y = ((const struct place_ref *)b)->id;
	return x < y ? -1 : x > y;
}

static fs_err
load_places(fs_store *store, struct loaded *m, struct place_ref **out,
	    size_t *n_out)
{
	sqlite3_stmt *stmt;
	struct place_ref *refs = NULL;
	size_t n = 0, cap = 0, cap_list = 0;
	fs_err err = FS_OK;
	int rc;

	*out = NULL;
	*n_out = 0;
	if ((err = store_stmt(store, Q_SCHED_PLACES, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->info.id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fs_check_place *p;
		int index;
		if ((err = sched_grow((void **)&refs, &cap, n + 1, sizeof(*refs))) ||
		    (err = sched_intern(&m->places, store_text(stmt, 1), &index)) ||
		    (err = sched_grow((void **)&m->place_list, &cap_list,
				m->places.n, sizeof(*p))))
			break;
		refs[n].id = sqlite3_column_int64(stmt, 0);
		refs[n++].index = index;
		p = &m->place_list[index];
		p->name = m->places.list[index];
		p->has_coords = sqlite3_column_type(stmt, 2) != SQLITE_NULL &&
				sqlite3_column_type(stmt, 3) != SQLITE_NULL;
		p->lat = sqlite3_column_double(stmt, 2);
		p->lon = sqlite3_column_double(stmt, 3);
		m->n_place_list = m->places.n;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading places");
	if (err) {
		free(refs);
		return err;
	}
	*out = refs;
	*n_out = n;
	return FS_OK;
}

static fs_err
load_facilitators(fs_store *store, struct loaded *m, const int64_t *ids)
{
	struct place_ref *by_id = malloc((m->n_items + 1) * sizeof(*by_id));
	int *run = NULL;
	size_t cap = 0, n_run = 0;
	int64_t run_item = -1;
	sqlite3_stmt *stmt;
	fs_err err = FS_OK;
	int rc;

	if (!by_id)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n_items; i++)
		by_id[i] = (struct place_ref){ ids[i], (int)i };
	qsort(by_id, m->n_items, sizeof(*by_id), place_ref_cmp);
	if ((err = store_stmt(store, Q_SCHED_FACILITATORS, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, m->info.id);
	/* rows come by item: each run of one item becomes its list */
	for (;;) {
		int64_t item = -1;
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW)
			item = sqlite3_column_int64(stmt, 0);
		if (item != run_item && n_run) {
			struct place_ref key = { run_item, 0 }, *found;
			int *list = arena_alloc(&m->arena, n_run * sizeof(int));
			if (!list) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			memcpy(list, run, n_run * sizeof(int));
			found = bsearch(&key, by_id, m->n_items, sizeof(*by_id),
					place_ref_cmp);
			if (found) {
				m->items[found->index].facilitators = list;
				m->items[found->index].n_facilitators = n_run;
			}
			n_run = 0;
		}
		if (rc != SQLITE_ROW)
			break;
		run_item = item;
		if ((err = sched_grow((void **)&run, &cap, n_run + 1, sizeof(int))) ||
		    (err = sched_intern(&m->facilitators, store_text(stmt, 1),
				  &run[n_run])))
			break;
		n_run++;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading facilitators");
done:
	free(by_id);
	free(run);
	return err;
}

/* fs_check_item's start_clock: how the clocks change at a wall-clock
 * time of a day (days since 1970). */
static int
clock_change(const struct zone *zone, int64_t day, int minutes)
{
	int64_t local = day * 86400 + (int64_t)minutes * 60;
	int32_t shift = 0, back = 0;

	if (!zone || minutes < 0)
		return 0;
	if (!zone_local_exists(zone, local, &shift))
		return shift / 60 > 0 ? shift / 60 : 1;
	zone_local_to_utc(zone, local, &back);
	return -(back / 60);
}

static fs_err
load_items(fs_store *store, struct loaded *m)
{
	struct place_ref *places = NULL;
	size_t n_places = 0, cap_ids = 0;
	int64_t *ids = NULL;
	sqlite3_stmt *stmt;
	char first[11];
	const struct zone *zone = NULL;
	fs_err err = FS_OK;
	int rc;

	/* a zone the system does not have (any more) only costs the
	 * clock-change findings */
	if (store_zone(store, m->info.timezone, &zone))
		zone = NULL;
	if ((err = load_places(store, m, &places, &n_places)) ||
	    (err = store_stmt(store, Q_SCHED_ITEMS, &stmt)))
		goto done;
	format_date(m->info.first_day, first);
	sqlite3_bind_int64(stmt, 1, m->info.id);
	sqlite3_bind_text(stmt, 2, first, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fs_check_item *it;
		const char *audience = store_text(stmt, 8);
		if ((err = sched_grow((void **)&m->items, &m->cap_items,
				m->n_items + 1, sizeof(*it))) ||
		    (err = sched_grow((void **)&ids, &cap_ids, m->n_items + 1,
				sizeof(*ids))))
			break;
		it = &m->items[m->n_items];
		memset(it, 0, sizeof(*it));
		if (!(it->ref = sched_strdup(&m->arena, store_text(stmt, 0)))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		it->day = sqlite3_column_int(stmt, 1);
		it->start = clock_of(store_text(stmt, 2));
		it->end = clock_of(store_text(stmt, 3));
		it->start_clock = clock_change(
			zone, m->info.first_day + it->day - 1, it->start);
		it->end_clock = clock_change(
			zone, m->info.first_day + it->day - 1, it->end);
		it->is_visit = !strcmp(store_text(stmt, 4), "visit");
		it->place = -1;
		if (sqlite3_column_type(stmt, 5) != SQLITE_NULL) {
			struct place_ref key = { sqlite3_column_int64(stmt, 5),
						 0 }, *found;
			found = bsearch(&key, places, n_places, sizeof(*places),
					place_ref_cmp);
			if (found)
				it->place = found->index;
		}
		ids[m->n_items] = sqlite3_column_int64(stmt, 6);
		it->capacity = sqlite3_column_int64(stmt, 7);
		it->for_all = !strcmp(audience, "all") || !*audience;
		if ((err = intern_list(m, &m->groups, audience, ';', "group:",
				       &it->groups, &it->n_groups)) ||
		    (err = intern_list(m, &m->categories, audience, ';',
				       "category:", &it->categories,
				       &it->n_categories)))
			break;
		m->n_items++;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading the agenda");
	if (!err && m->n_items)
		err = load_facilitators(store, m, ids);
done:
	free(places);
	free(ids);
	return err;
}

/* A participants.csv arrival or departure as a mission day and minutes. */
static void
day_and_time(const struct loaded *m, const struct zone *zone, const char *text,
	     int *day, int *minutes, int *clock)
{
	int64_t days;
	*day = FS_CHECK_NO_DAY;
	*minutes = -1;
	*clock = 0;
	if (*text && !parse_date_time(text, &days, minutes)) {
		*day = (int)(days - m->info.first_day + 1);
		*clock = clock_change(zone, days, *minutes);
	}
}

static fs_err
load_people(fs_store *store, struct loaded *m)
{
	sqlite3_stmt *stmt;
	const struct zone *zone = NULL;
	fs_err err = FS_OK;
	int rc;

	if (store_zone(store, m->info.timezone, &zone))
		zone = NULL;
	if ((err = store_stmt(store, Q_SCHED_PEOPLE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->info.id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fs_check_person *p;
		fs_plan_person *a;
		size_t cap = m->cap_people;
		if ((err = sched_grow((void **)&m->people, &m->cap_people,
				m->n_people + 1, sizeof(*p))) ||
		    (err = sched_grow((void **)&m->attrs, &cap, m->n_people + 1,
				sizeof(*a))))
			break;
		p = &m->people[m->n_people];
		a = &m->attrs[m->n_people];
		memset(p, 0, sizeof(*p));
		if (!(p->ref = sched_strdup(&m->arena, store_text(stmt, 0)))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		p->category = category_index(m, sqlite3_column_int64(stmt, 1));
		p->is_confirmed = !strcmp(store_text(stmt, 2), "confirmed");
		day_and_time(m, zone, store_text(stmt, 4), &p->arrival_day,
			     &p->arrival_min, &p->arrival_clock);
		day_and_time(m, zone, store_text(stmt, 5), &p->departure_day,
			     &p->departure_min, &p->departure_clock);
		a->category = p->category;
		if ((err = sched_intern(&m->groups, store_text(stmt, 3), &p->group)) ||
		    (err = sched_intern(&m->orgs, store_text(stmt, 6),
				  &a->organization)) ||
		    (err = sched_intern(&m->countries, store_text(stmt, 7),
				  &a->country)) ||
		    (err = sched_intern(&m->languages, store_text(stmt, 8),
				  &a->language)))
			break;
		a->group = p->group;
		m->n_people++;
	}
	sqlite3_reset(stmt);
	if (err)
		return err;
	return rc == SQLITE_DONE ? FS_OK
				 : store_fail(store, "reading registrations");
}

fs_err
sched_load(fs_store *store, const char *code, struct loaded *m)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((err = mission_lookup(store, code, &m->info)))
		return err;
	if ((err = store_stmt(store, Q_SCHED_MISSION, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->info.id);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		m->capacity = sqlite3_column_type(stmt, 0) == SQLITE_NULL
				      ? -1 : sqlite3_column_int64(stmt, 0);
		m->venue_has_coords =
			sqlite3_column_type(stmt, 1) != SQLITE_NULL &&
			sqlite3_column_type(stmt, 2) != SQLITE_NULL;
		m->venue_lat = sqlite3_column_double(stmt, 1);
		m->venue_lon = sqlite3_column_double(stmt, 2);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return store_fail(store, "reading a mission");
	if ((err = load_categories(store, m)) || (err = load_items(store, m)) ||
	    (err = load_people(store, m)))
		return err;
	if (m->categories.n > 0) {
		/* audiences may name categories added since: no quota */
		size_t had = m->n_category_ids;
		long *grown;
		if (!(grown = realloc(m->quotas,
				      m->categories.n * sizeof(long))))
			return fs_fail(FS_ENOMEM, "out of memory");
		m->quotas = grown;
		for (size_t k = had; k < m->categories.n; k++)
			m->quotas[k] = -1;
	}
	return FS_OK;
}
