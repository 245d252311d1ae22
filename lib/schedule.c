/*
 * schedule.c - check and plan missions held in the store.
 *
 * A thin layer: load() reads one mission into the arrays of check.h (names
 * interned as small indexes, strings in an arena), the rules and planners
 * of check.c and plan.c do the work, and plans are written back through the
 * participant and agenda records' put(), inside one transaction, so that a
 * plan is saved whole or not at all and every value goes through the same
 * validation (and SEQUENCE logic) as an import.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/agenda.h"
#include "fieldschool/participant.h"
#include "fieldschool/schedule.h"
#include "store.h"
#include "value.h"

/* ---- an arena of strings and small arrays, freed at once ---- */

struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct arena_chunk *head;
};

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

static char *
arena_strdup(struct arena *a, const char *s)
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

struct names {
	struct strmap map;
	const char **list; /* the map's own key copies */
	size_t n, cap;
};

static void
names_release(struct names *t)
{
	strmap_release(&t->map);
	free(t->list);
	memset(t, 0, sizeof(*t));
}

/* *out = index of s, adding it when new; -1 for "" */
static fs_err
intern(struct names *t, const char *s, int *out)
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

struct item_extra {
	const char *host, *title, *kind;
	int64_t day_date;
};

struct loaded {
	struct mission_info info;
	long capacity;
	bool venue_has_coords;
	double venue_lat, venue_lon;
	struct arena arena;
	struct names places, facilitators, groups, categories, orgs,
		countries, languages;
	int64_t *category_ids; /* by category index */
	size_t n_category_ids;
	long *quotas;
	fs_check_place *place_list;
	size_t n_place_list;
	fs_check_item *items;
	struct item_extra *extra;
	size_t n_items, cap_items;
	fs_check_person *people;
	fs_plan_person *attrs; /* organization, country, language of people */
	size_t n_people, cap_people;
};

static void
loaded_release(struct loaded *m)
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
	free(m->extra);
	free(m->people);
	free(m->attrs);
	memset(m, 0, sizeof(*m));
}

static fs_err
grow(void **array, size_t *cap, size_t need, size_t size)
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
		if ((err = intern(&m->categories, store_text(stmt, 1), &index)) ||
		    (err = grow((void **)&m->category_ids, &cap,
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
	    !(copy = arena_strdup(&m->arena, list)))
		return fs_fail(FS_ENOMEM, "out of memory");
	n = 0;
	for (p = copy; p;) {
		char *next = strchr(p, sep);
		int id;
		if (next)
			*next++ = '\0';
		if (!prefix || !strncmp(p, prefix, plen)) {
			if ((err = intern(t, p + plen, &id)))
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

static fs_err
load_items(fs_store *store, struct loaded *m)
{
	sqlite3_stmt *stmt;
	char first[11];
	fs_err err = FS_OK;
	int rc;

	if ((err = store_stmt(store, Q_SCHED_ITEMS, &stmt)))
		return err;
	format_date(m->info.first_day, first);
	sqlite3_bind_int64(stmt, 1, m->info.id);
	sqlite3_bind_text(stmt, 2, first, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fs_check_item *it;
		struct item_extra *x;
		const char *audience = store_text(stmt, 9);
		size_t cap = m->cap_items;
		if ((err = grow((void **)&m->items, &m->cap_items,
				m->n_items + 1, sizeof(*it))) ||
		    (err = grow((void **)&m->extra, &cap, m->n_items + 1,
				sizeof(*x))))
			break;
		it = &m->items[m->n_items];
		x = &m->extra[m->n_items];
		memset(it, 0, sizeof(*it));
		memset(x, 0, sizeof(*x));
		if (!(it->ref = arena_strdup(&m->arena, store_text(stmt, 0))) ||
		    !(x->host = arena_strdup(&m->arena, store_text(stmt, 11))) ||
		    !(x->title = arena_strdup(&m->arena, store_text(stmt, 12))) ||
		    !(x->kind = arena_strdup(&m->arena, store_text(stmt, 4)))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		it->day = sqlite3_column_int(stmt, 1);
		x->day_date = m->info.first_day + it->day - 1;
		it->start = clock_of(store_text(stmt, 2));
		it->end = clock_of(store_text(stmt, 3));
		it->is_visit = !strcmp(x->kind, "visit");
		if ((err = intern(&m->places, store_text(stmt, 5), &it->place)))
			break;
		if (it->place >= 0 && (size_t)it->place >= m->n_place_list) {
			/* first sight of this place: keep its coordinates */
			fs_check_place *grown = realloc(
				m->place_list, m->places.n * sizeof(*grown));
			if (!grown) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			m->place_list = grown;
			m->n_place_list = m->places.n;
			grown[it->place].name = m->places.list[it->place];
			grown[it->place].has_coords =
				sqlite3_column_type(stmt, 6) != SQLITE_NULL &&
				sqlite3_column_type(stmt, 7) != SQLITE_NULL;
			grown[it->place].lat = sqlite3_column_double(stmt, 6);
			grown[it->place].lon = sqlite3_column_double(stmt, 7);
		}
		it->capacity = sqlite3_column_int64(stmt, 8);
		it->for_all = !strcmp(audience, "all") || !*audience;
		if ((err = intern_list(m, &m->groups, audience, ';', "group:",
				       &it->groups, &it->n_groups)) ||
		    (err = intern_list(m, &m->categories, audience, ';',
				       "category:", &it->categories,
				       &it->n_categories)) ||
		    (err = intern_list(m, &m->facilitators, store_text(stmt, 10),
				       '\x1f', NULL, &it->facilitators,
				       &it->n_facilitators)))
			break;
		m->n_items++;
	}
	sqlite3_reset(stmt);
	if (err)
		return err;
	return rc == SQLITE_DONE ? FS_OK
				 : store_fail(store, "reading the agenda");
}

/* A participants.csv arrival or departure as a mission day and minutes. */
static void
day_and_time(const struct loaded *m, const char *text, int *day, int *minutes)
{
	int64_t days;
	*day = FS_CHECK_NO_DAY;
	*minutes = -1;
	if (*text && !parse_date_time(text, &days, minutes))
		*day = (int)(days - m->info.first_day + 1);
}

static fs_err
load_people(fs_store *store, struct loaded *m)
{
	sqlite3_stmt *stmt;
	fs_err err = FS_OK;
	int rc;

	if ((err = store_stmt(store, Q_SCHED_PEOPLE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->info.id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fs_check_person *p;
		fs_plan_person *a;
		size_t cap = m->cap_people;
		if ((err = grow((void **)&m->people, &m->cap_people,
				m->n_people + 1, sizeof(*p))) ||
		    (err = grow((void **)&m->attrs, &cap, m->n_people + 1,
				sizeof(*a))))
			break;
		p = &m->people[m->n_people];
		a = &m->attrs[m->n_people];
		memset(p, 0, sizeof(*p));
		if (!(p->ref = arena_strdup(&m->arena, store_text(stmt, 0)))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		p->category = category_index(m, sqlite3_column_int64(stmt, 1));
		p->is_confirmed = !strcmp(store_text(stmt, 2), "confirmed");
		day_and_time(m, store_text(stmt, 4), &p->arrival_day,
			     &p->arrival_min);
		day_and_time(m, store_text(stmt, 5), &p->departure_day,
			     &p->departure_min);
		a->category = p->category;
		if ((err = intern(&m->groups, store_text(stmt, 3), &p->group)) ||
		    (err = intern(&m->orgs, store_text(stmt, 6),
				  &a->organization)) ||
		    (err = intern(&m->countries, store_text(stmt, 7),
				  &a->country)) ||
		    (err = intern(&m->languages, store_text(stmt, 8),
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

static fs_err
load(fs_store *store, const char *code, struct loaded *m)
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

static void
check_input(const struct loaded *m, const fs_travel_options *travel,
	    fs_check_input *in)
{
	memset(in, 0, sizeof(*in));
	in->mission = m->info.code;
	in->days = m->info.days;
	in->capacity = m->capacity;
	in->quotas = m->quotas;
	in->items = m->items;
	in->n_items = m->n_items;
	in->people = m->people;
	in->n_people = m->n_people;
	in->places = m->place_list;
	in->n_places = m->places.n;
	in->facilitators = m->facilitators.list;
	in->n_facilitators = m->facilitators.n;
	in->groups = m->groups.list;
	in->n_group_labels = m->groups.n;
	in->categories = m->categories.list;
	in->n_category_codes = m->categories.n;
	in->speed_kmh = travel ? travel->speed_kmh : 0;
	in->buffer_min = travel ? travel->buffer_min : -1;
}

fs_err
fs_schedule_check(fs_store *store, const char *mission,
		  const fs_travel_options *travel, fs_findings *out)
{
	struct loaded m;
	fs_check_input in;
	fs_err err;

	if (!(err = load(store, mission, &m))) {
		check_input(&m, travel, &in);
		err = fs_check_run(out, &in);
	}
	loaded_release(&m);
	return err;
}

fs_err
fs_schedule_missions(fs_store *store, char ***codes_out, size_t *n_out)
{
	sqlite3_stmt *stmt;
	char **codes = NULL;
	size_t n = 0, cap = 0;
	fs_err err = FS_OK;
	int rc;

	*codes_out = NULL;
	*n_out = 0;
	if ((err = store_stmt(store, Q_SCHED_MISSIONS, &stmt)))
		return err;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((err = grow((void **)&codes, &cap, n + 1, sizeof(char *))))
			break;
		if (!(codes[n] = strdup(store_text(stmt, 0)))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		n++;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "listing missions");
	if (err) {
		for (size_t i = 0; i < n; i++)
			free(codes[i]);
		free(codes);
		return err;
	}
	*codes_out = codes;
	*n_out = n;
	return FS_OK;
}
