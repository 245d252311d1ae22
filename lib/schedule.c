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
#include "zone.h"

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
		if ((err = grow((void **)&refs, &cap, n + 1, sizeof(*refs))) ||
		    (err = intern(&m->places, store_text(stmt, 1), &index)) ||
		    (err = grow((void **)&m->place_list, &cap_list,
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
		if ((err = grow((void **)&run, &cap, n_run + 1, sizeof(int))) ||
		    (err = intern(&m->facilitators, store_text(stmt, 1),
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
		if ((err = grow((void **)&m->items, &m->cap_items,
				m->n_items + 1, sizeof(*it))) ||
		    (err = grow((void **)&ids, &cap_ids, m->n_items + 1,
				sizeof(*ids))))
			break;
		it = &m->items[m->n_items];
		memset(it, 0, sizeof(*it));
		if (!(it->ref = arena_strdup(&m->arena, store_text(stmt, 0)))) {
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
		day_and_time(m, zone, store_text(stmt, 4), &p->arrival_day,
			     &p->arrival_min, &p->arrival_clock);
		day_and_time(m, zone, store_text(stmt, 5), &p->departure_day,
			     &p->departure_min, &p->departure_clock);
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
	in->timezone = m->info.timezone;
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

/* ---- plan groups ---- */

/* A, B, ..., Z, AA, AB, ...: spreadsheet column names */
static void
group_label(size_t i, char out[17])
{
	char rev[16];
	size_t n = 0;
	i++;
	while (i > 0 && n < sizeof(rev)) {
		i--;
		rev[n++] = (char)('A' + i % 26);
		i /= 26;
	}
	for (size_t k = 0; k < n; k++)
		out[k] = rev[n - 1 - k];
	out[n] = '\0';
}

void
fs_group_plan_release(fs_group_plan *plan)
{
	for (size_t i = 0; i < plan->n_moves; i++)
		free(plan->moves[i].ref);
	free(plan->moves);
	free(plan->labels);
	free(plan->sizes);
	memset(plan, 0, sizeof(*plan));
}

static fs_err
save_group(fs_store *store, const char *mission, const fs_group_move *move)
{
	const char *v[FS_PART__COUNT] = { NULL };
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_put_outcome outcome;
	fs_err err;

	v[FS_PART_REF] = move->ref;
	v[FS_PART_MISSION] = mission;
	v[FS_PART_GROUP] = move->to;
	err = fs_participants_format.put(store, v, FS_PUT_UPDATE, 0, &problems,
					 &outcome, NULL);
	if (err == FS_EINPUT && problems.n)
		err = fs_fail(FS_EINPUT, "%s: %s", move->ref,
			      problems.items[0].reason);
	fs_problems_release(&problems);
	return err;
}

static fs_err
plan_groups(fs_store *store, const char *mission,
	    const fs_group_options *options, fs_group_plan *out)
{
	struct loaded m;
	fs_plan_person *who = NULL;
	size_t *index = NULL, n = 0, moves_cap = 0;
	int *planned = NULL, *target = NULL, n_groups = 0;
	char (*labels)[17] = NULL;
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((err = load(store, mission, &m)))
		goto done;
	who = malloc((m.n_people + 1) * sizeof(*who));
	index = malloc((m.n_people + 1) * sizeof(size_t));
	planned = malloc((m.n_people + 1) * sizeof(int));
	if (!who || !index || !planned) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < m.n_people; i++)
		if (m.people[i].is_confirmed)
			index[n++] = i;
	if (!n) {
		err = fs_fail(FS_EINPUT, "no confirmed participants in %s: "
			      "confirm registrations first (participant edit "
			      "REF --mission %s --status confirmed)",
			      m.info.code, m.info.code);
		goto done;
	}
	if (options->n_groups > 0) {
		n_groups = options->n_groups;
	} else if (options->max_size > 0) {
		n_groups = (int)((n + (size_t)options->max_size - 1) /
				 (size_t)options->max_size);
	} else {
		bool *used = calloc(m.groups.n + 1, sizeof(bool));
		if (!used) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t k = 0; k < n; k++)
			if (m.people[index[k]].group >= 0 &&
			    !used[m.people[index[k]].group]) {
				used[m.people[index[k]].group] = true;
				n_groups++;
			}
		free(used);
		if (!n_groups)
			n_groups = (int)((n + FS_GROUP_DEFAULT_SIZE - 1) /
					 FS_GROUP_DEFAULT_SIZE);
	}
	if ((size_t)n_groups > n) {
		err = fs_fail(FS_EINPUT, "%d group%s for %zu confirmed "
			      "participant%s: give at most %zu", n_groups,
			      fs_plural(n_groups), n,
			      n == 1 ? "" : "s", n);
		goto done;
	}
	if (!(labels = malloc((size_t)n_groups * sizeof(*labels))) ||
	    !(out->sizes = calloc((size_t)n_groups, sizeof(long)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (int g = 0; g < n_groups; g++)
		group_label((size_t)g, labels[g]);
	/* current groups named A, B... stay; any other label is moved */
	if (!(target = malloc((m.groups.n + 1) * sizeof(int)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < m.groups.n; i++) {
		target[i] = -1;
		for (int g = 0; g < n_groups && target[i] < 0; g++)
			if (!strcmp(labels[g], m.groups.list[i]))
				target[i] = g;
	}
	for (size_t k = 0; k < n; k++) {
		const fs_check_person *p = &m.people[index[k]];
		who[k] = m.attrs[index[k]];
		who[k].group = p->group >= 0 ? target[p->group] : -1;
	}
	if ((err = fs_plan_groups(planned, who, n, n_groups,
				  (int)m.categories.n)))
		goto done;
	out->n_groups = n_groups;
	out->n_people = n;
	out->labels = labels;
	labels = NULL;
	for (size_t k = 0; k < n; k++) {
		const fs_check_person *p = &m.people[index[k]];
		const char *now = p->group >= 0 ? m.groups.list[p->group] : "";
		fs_group_move *move;
		out->sizes[planned[k]]++;
		if (!strcmp(now, out->labels[planned[k]])) {
			out->n_kept++;
			continue;
		}
		if ((err = grow((void **)&out->moves, &moves_cap,
				out->n_moves + 1, sizeof(*move))))
			goto done;
		move = &out->moves[out->n_moves];
		if (!(move->ref = strdup(p->ref))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
		snprintf(move->from, sizeof(move->from), "%s", now);
		snprintf(move->to, sizeof(move->to), "%s",
			 out->labels[planned[k]]);
		out->n_moves++;
	}
	for (size_t i = 0; i < out->n_moves && !err && !options->dry_run; i++)
		err = save_group(store, m.info.code, &out->moves[i]);
done:
	if (err)
		fs_group_plan_release(out);
	loaded_release(&m);
	free(who);
	free(index);
	free(planned);
	free(target);
	free(labels);
	return err;
}

/* ---- plan visits ---- */

struct window {
	int day, start, end;
};

void
fs_visit_result_release(fs_visit_result *r)
{
	for (size_t i = 0; r->groups && i < r->n_groups; i++)
		free(r->groups[i]);
	for (size_t i = 0; r->sites && i < r->n_sites; i++)
		free(r->sites[i]);
	for (size_t i = 0; r->windows && i < r->n_windows; i++)
		free(r->windows[i]);
	free(r->groups);
	free(r->sites);
	free(r->windows);
	free(r->window_of);
	memset(r, 0, sizeof(*r));
}

static int
window_cmp(const void *a, const void *b)
{
	const struct window *x = a, *y = b;
	if (x->day != y->day)
		return x->day - y->day;
	if (x->start != y->start)
		return x->start - y->start;
	return x->end - y->end;
}

/* "2 09:15-11:45,2027-05-11 14:15-16:45" */
static fs_err
parse_slots(const struct loaded *m, const char *text, struct window **out,
	    size_t *n_out)
{
	struct window *list = NULL;
	size_t n = 0, cap = 0;
	char *copy = strdup(text), *save = NULL, *part;
	fs_err err = FS_OK;

	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (part = strtok_r(copy, ",", &save); part && !err;
	     part = strtok_r(NULL, ",", &save)) {
		char day_text[16], start[8], end[8], extra;
		struct window w;
		long day;
		int64_t date;
		part = trim(part);
		if (sscanf(part, "%15s %5[0-9:]-%5[0-9:] %c", day_text, start,
			   end, &extra) != 3 ||
		    parse_clock(start, &w.start) || parse_clock(end, &w.end)) {
			err = fs_fail(FS_EINPUT, "--slots: '%s': expected DAY "
				      "HH:MM-HH:MM, DAY being 1-%d or a date, "
				      "slots separated by ','", part,
				      m->info.days);
			break;
		}
		if (!parse_int(day_text, 1, m->info.days, &day)) {
			w.day = (int)day;
		} else if (!parse_date(day_text, &date) &&
			   date >= m->info.first_day &&
			   date < m->info.first_day + m->info.days) {
			w.day = (int)(date - m->info.first_day + 1);
		} else {
			err = fs_fail(FS_EINPUT, "--slots: '%s': %s has days 1 "
				      "to %d", day_text, m->info.code,
				      m->info.days);
			break;
		}
		if (w.end <= w.start) {
			err = fs_fail(FS_EINPUT, "--slots: '%s': ends before "
				      "it starts", part);
			break;
		}
		if ((err = grow((void **)&list, &cap, n + 1, sizeof(w))))
			break;
		list[n++] = w;
	}
	free(copy);
	if (!err && !n)
		err = fs_fail(FS_EINPUT, "--slots: no slot given");
	if (err) {
		free(list);
		return err;
	}
	*out = list;
	*n_out = n;
	return FS_OK;
}

/* The windows of the visit items, each once. */
static fs_err
item_windows(const struct loaded *m, struct window **out, size_t *n_out)
{
	struct window *list = malloc((m->n_items + 1) * sizeof(*list));
	size_t n = 0;

	if (!list)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n_items; i++) {
		const fs_check_item *it = &m->items[i];
		bool seen = false;
		if (!it->is_visit)
			continue;
		for (size_t k = 0; k < n && !seen; k++)
			seen = list[k].day == it->day &&
			       list[k].start == it->start &&
			       list[k].end == it->end;
		if (!seen)
			list[n++] = (struct window){ it->day, it->start,
						     it->end };
	}
	*out = list;
	*n_out = n;
	return FS_OK;
}

static double
travel_speed(const fs_travel_options *travel)
{
	return travel && travel->speed_kmh > 0 ? travel->speed_kmh
					       : FS_CHECK_SPEED_KMH;
}

static int
travel_buffer(const fs_travel_options *travel)
{
	return travel && travel->buffer_min >= 0 ? travel->buffer_min
						 : FS_CHECK_BUFFER_MIN;
}

/* Is item it (not a visit) for group label index group (-1: for
 * everyone only)? */
static bool
item_is_for(const fs_check_item *it, int group)
{
	if (it->for_all)
		return true;
	for (size_t k = 0; group >= 0 && k < it->n_groups; k++)
		if (it->groups[k] == group)
			return true;
	return false;
}

/* Can a group leave the last place it is at before window w (same day;
 * items for everyone, and for the group when group >= 0), reach the site
 * in time, and be back for the next?  The rule of check's travel-time,
 * buffer included. */
static bool
reachable(const struct loaded *m, const fs_check_place *site,
	  const struct window *w, const fs_travel_options *travel, int group)
{
	double speed = travel_speed(travel);
	int buffer = travel_buffer(travel);
	int before = -1, after = -1;

	if (!site->has_coords)
		return true;
	for (size_t i = 0; i < m->n_items; i++) {
		const fs_check_item *it = &m->items[i];
		if (it->is_visit || !item_is_for(it, group) ||
		    it->day != w->day || it->place < 0 ||
		    !m->place_list[it->place].has_coords)
			continue;
		if (it->end <= w->start &&
		    (before < 0 || it->end > m->items[before].end))
			before = (int)i;
		if (it->start >= w->end &&
		    (after < 0 || it->start < m->items[after].start))
			after = (int)i;
	}
	for (int k = 0; k < 2; k++) {
		int i = k ? after : before;
		const fs_check_place *p;
		int gap, need;
		if (i < 0)
			continue;
		p = &m->place_list[m->items[i].place];
		if (p == site)
			continue;
		gap = k ? m->items[i].start - w->end : w->start - m->items[i].end;
		need = fs_travel_minutes(fs_distance_km(p->lat, p->lon,
							site->lat, site->lon),
					 speed) + buffer;
		if (gap < need)
			return false;
	}
	return true;
}

/* The index of a group label among m's interned groups, -1 if none. */
static int
group_index(const struct loaded *m, const char *label)
{
	for (size_t i = 0; i < m->groups.n; i++)
		if (!strcmp(m->groups.list[i], label))
			return (int)i;
	return -1;
}

/* Minutes from site a to site b, buffer included; 0 when either has no
 * coordinates or they are the same place. */
static int
trip_minutes(const fs_check_place *a, const fs_check_place *b,
	     const fs_travel_options *travel)
{
	if (a == b || !a->has_coords || !b->has_coords)
		return 0;
	return fs_travel_minutes(fs_distance_km(a->lat, a->lon, b->lat, b->lon),
				 travel_speed(travel)) +
	       travel_buffer(travel);
}

/*
 * The limits of one group (fs_visit_problem's group_allowed, window_gap
 * and site_trip), each NULL when it limits nothing beyond allowed:
 * an item for a group (not a visit) closes the windows it overlaps for
 * that group, and the trips to and from its own items must fit, as for
 * the items for everyone; two windows of a day with nothing with a place
 * for everyone between them are consecutive for a group that visits both,
 * so the gap must hold the trip between their sites, buffer included.
 */
static fs_err
group_limits(const struct loaded *m, const int *sites_place, size_t S,
	     const struct window *windows, size_t W,
	     const char *const *groups, size_t G,
	     const fs_travel_options *travel, const bool *allowed,
	     bool **group_allowed_out, int **gap_out, int **trip_out)
{
	bool *group_allowed = NULL, any_group = false, any_gap = false;
	int *gap = NULL, *trip = NULL;

	*group_allowed_out = NULL;
	*gap_out = NULL;
	*trip_out = NULL;
	for (size_t i = 0; i < m->n_items && !any_group; i++)
		any_group = !m->items[i].is_visit && !m->items[i].for_all &&
			    m->items[i].n_groups > 0;
	if (any_group) {
		any_group = false;
		if (!(group_allowed = malloc(G * S * W + 1)))
			return fs_fail(FS_ENOMEM, "out of memory");
		for (size_t g = 0; g < G; g++) {
			int gi = group_index(m, groups[g]);
			for (size_t w = 0; w < W; w++) {
				const struct window *win = &windows[w];
				bool busy = false;
				for (size_t i = 0; i < m->n_items && !busy;
				     i++) {
					const fs_check_item *it = &m->items[i];
					busy = !it->is_visit &&
					       item_is_for(it, gi) &&
					       it->day == win->day &&
					       it->start < win->end &&
					       it->end > win->start;
				}
				for (size_t j = 0; j < S; j++) {
					bool ok = allowed[j * W + w] && !busy &&
						  reachable(m,
							    &m->place_list
								    [sites_place[j]],
							    win, travel, gi);
					group_allowed[(g * S + j) * W + w] = ok;
					any_group |= ok != allowed[j * W + w];
				}
			}
		}
		if (!any_group) {
			free(group_allowed);
			group_allowed = NULL;
		}
	}
	gap = malloc((W * W + 1) * sizeof(int));
	trip = malloc((S * S + 1) * sizeof(int));
	if (!gap || !trip) {
		free(group_allowed);
		free(gap);
		free(trip);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	for (size_t j = 0; j < S; j++)
		for (size_t k = 0; k < S; k++)
			trip[j * S + k] = trip_minutes(
				&m->place_list[sites_place[j]],
				&m->place_list[sites_place[k]], travel);
	for (size_t w = 0; w < W; w++)
		for (size_t x = w; x < W; x++) {
			int minutes = -1;
			if (x > w && windows[x].day == windows[w].day) {
				bool between = false;
				for (size_t i = 0; i < m->n_items && !between;
				     i++) {
					const fs_check_item *it = &m->items[i];
					between = !it->is_visit && it->for_all &&
						  it->day == windows[w].day &&
						  it->place >= 0 &&
						  m->place_list[it->place]
							  .has_coords &&
						  it->start >= windows[w].end &&
						  it->start < windows[x].start;
				}
				if (!between)
					minutes = windows[x].start -
						  windows[w].end;
			}
			gap[w * W + x] = gap[x * W + w] = minutes;
			for (size_t j = 0; j < S && minutes >= 0 && !any_gap;
			     j++)
				for (size_t k = 0; k < S && !any_gap; k++)
					any_gap = minutes < trip[j * S + k];
		}
	*group_allowed_out = group_allowed;
	if (any_gap) {
		*gap_out = gap;
		*trip_out = trip;
	} else {
		free(gap);
		free(trip);
	}
	return FS_OK;
}

/* When travel between windows may be why no rotation exists: names the
 * closest such pair, after the planner's detail. */
static fs_err
travel_hint(fs_err err, size_t W, const int *gap, const int *trip, size_t S,
	    const fs_visit_result *out)
{
	char *detail;
	size_t best_w = 0, best_x = 0, best_j = 0, best_k = 0;
	int best = -1;

	if (err != FS_EINPUT || !gap || !trip)
		return err;
	for (size_t w = 0; w < W; w++)
		for (size_t x = w + 1; x < W; x++)
			for (size_t j = 0; j < S; j++)
				for (size_t k = 0; k < S; k++) {
					int g = gap[w * W + x],
					    need = trip[j * S + k];
					if (g >= 0 && g < need &&
					    need - g > best) {
						best = need - g;
						best_w = w, best_x = x;
						best_j = j, best_k = k;
					}
				}
	if (best < 0 || !(detail = strdup(fs_errdetail())))
		return err;
	err = fs_fail(FS_EINPUT, "%s; a group cannot visit both '%s' and "
		      "'%s' in %s and %s: %d min between them, and the trip "
		      "takes %d min, buffer included", detail, out->sites[best_j],
		      out->sites[best_k], out->windows[best_w],
		      out->windows[best_x], gap[best_w * W + best_x],
		      trip[best_j * S + best_k]);
	free(detail);
	return err;
}

/* The row of the visit item ref, copied into values (strings in arena). */
struct row_copy {
	struct arena *arena;
	const char **values;
	bool found;
};

static fs_err
copy_row(void *ctx, const char *const *v)
{
	struct row_copy *c = ctx;
	for (int i = 0; i < FS_ITEM__COUNT; i++)
		if (!(c->values[i] = arena_strdup(c->arena, v[i])))
			return fs_fail(FS_ENOMEM, "out of memory");
	c->found = true;
	return FS_OK;
}

static fs_err
put_item(fs_store *store, const char **v, fs_put_mode mode,
	 fs_visit_result *out)
{
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_put_outcome outcome;
	fs_err err = fs_agenda_format.put(store, v, mode, 0, &problems,
					  &outcome, NULL);
	if (err == FS_EINPUT && problems.n)
		err = fs_fail(FS_EINPUT, "visit %s: %s: %s",
			      v[FS_ITEM_REF] ? v[FS_ITEM_REF] : "(new)",
			      problems.items[0].column ? problems.items[0].column
						       : "",
			      problems.items[0].reason);
	fs_problems_release(&problems);
	if (!err) {
		if (outcome == FS_PUT_ADDED)
			out->added++;
		else if (outcome == FS_PUT_CHANGED)
			out->changed++;
		else
			out->unchanged++;
	}
	return err;
}

/* Writes the rotation: one visit item per site and window used. */
static fs_err
write_visits(fs_store *store, struct loaded *m, const int *sites_place,
	     const struct window *windows, fs_visit_result *out)
{
	size_t G = out->n_groups, S = out->n_sites, W = out->n_windows;
	bool *taken = calloc(m->n_items + 1, sizeof(bool));
	int *chosen = malloc((S * W + 1) * sizeof(int));
	const char **templates = calloc(S * FS_ITEM__COUNT + 1, sizeof(char *));
	char *audience = NULL;
	size_t audience_cap = 0;
	fs_err err = FS_OK;

	if (!taken || !chosen || !templates) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	audience_cap = G * 24 + 16;
	if (!(audience = malloc(audience_cap))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	/* which existing item carries each (site, window) used: first the
	 * one already there, then any other of the site (it moves) */
	for (size_t k = 0; k < S * W; k++)
		chosen[k] = -1;
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < S; j++)
			for (size_t w = 0; w < W; w++) {
				bool used = false;
				for (size_t g = 0; g < G && !used; g++)
					used = out->window_of[g * S + j] ==
					       (int)w;
				if (!used || chosen[j * W + w] >= 0)
					continue;
				for (size_t i = 0; i < m->n_items; i++) {
					const fs_check_item *it = &m->items[i];
					if (taken[i] || !it->is_visit ||
					    it->place != sites_place[j])
						continue;
					if (pass == 0 &&
					    (it->day != windows[w].day ||
					     it->start != windows[w].start ||
					     it->end != windows[w].end))
						continue;
					taken[i] = true;
					chosen[j * W + w] = (int)i;
					break;
				}
			}
	for (size_t j = 0; j < S && !err; j++)
		for (size_t w = 0; w < W && !err; w++) {
			const char *v[FS_ITEM__COUNT] = { NULL };
			char day[16], start[32], end[32];
			size_t len = 0;
			int i = chosen[j * W + w];
			audience[0] = '\0';
			for (size_t g = 0; g < G; g++)
				if (out->window_of[g * S + j] == (int)w)
					len += (size_t)snprintf(
						audience + len,
						audience_cap - len, "%sgroup:%s",
						len ? ";" : "", out->groups[g]);
			if (!len)
				continue;
			snprintf(day, sizeof(day), "%d", windows[w].day);
			snprintf(start, sizeof(start), "%02d:%02d",
				 windows[w].start / 60, windows[w].start % 60);
			snprintf(end, sizeof(end), "%02d:%02d",
				 windows[w].end / 60, windows[w].end % 60);
			if (i < 0) {
				/* a new item, like the site's first one (read
				 * once per site) */
				const char **row = &templates[j * FS_ITEM__COUNT];
				struct row_copy copy = { &m->arena, row, false };
				const char *template_ref = NULL;
				for (size_t k = 0; k < m->n_items && !row[0]; k++)
					if (m->items[k].is_visit &&
					    m->items[k].place == sites_place[j]) {
						template_ref = m->items[k].ref;
						break;
					}
				if (template_ref &&
				    (err = fs_agenda_format.each(
					     store, m->info.code, template_ref,
					     copy_row, &copy)))
					break;
				memcpy(v, row, sizeof(v));
				v[FS_ITEM_REF] = NULL;
				v[FS_ITEM_DATE] = NULL;
				/* facilitators stay with the original: the
				 * same person cannot be at two windows' worth
				 * of copies without a check error */
				v[FS_ITEM_FACILITATORS] = NULL;
				for (int c = FS_ITEM_UID; c < FS_ITEM__COUNT; c++)
					v[c] = NULL;
			} else {
				v[FS_ITEM_REF] = m->items[i].ref;
			}
			v[FS_ITEM_MISSION] = m->info.code;
			v[FS_ITEM_DAY] = day;
			v[FS_ITEM_START] = start;
			v[FS_ITEM_END] = end;
			v[FS_ITEM_AUDIENCE] = audience;
			err = put_item(store, v,
				       i < 0 ? FS_PUT_CREATE : FS_PUT_UPDATE,
				       out);
		}
	/* visit items of these sites that no (site, window) needs */
	for (size_t i = 0; i < m->n_items && !err; i++) {
		bool is_site = false;
		for (size_t j = 0; j < S; j++)
			is_site |= m->items[i].place == sites_place[j];
		if (!m->items[i].is_visit || taken[i] || !is_site)
			continue;
		if (!(err = fs_agenda_remove(store, m->info.code,
					     m->items[i].ref)))
			out->removed++;
	}
done:
	free(taken);
	free(chosen);
	free(templates);
	free(audience);
	return err;
}

/* The rotation the visit items describe now, in out->window_of; false
 * when they do not describe one (an item outside the windows or for
 * everyone, a group twice at a site): then window_of holds what they do
 * say, which is still worth keeping where possible. */
static bool
current_rotation(const struct loaded *m, const int *sites_place,
		 const struct window *windows, fs_visit_result *out)
{
	size_t S = out->n_sites, W = out->n_windows;
	bool whole = true;

	for (size_t k = 0; k < out->n_groups * S; k++)
		out->window_of[k] = -1;
	for (size_t i = 0; i < m->n_items; i++) {
		const fs_check_item *it = &m->items[i];
		size_t j = 0, w = 0;
		if (!it->is_visit)
			continue;
		while (j < S && sites_place[j] != it->place)
			j++;
		while (w < W && (windows[w].day != it->day ||
				 windows[w].start != it->start ||
				 windows[w].end != it->end))
			w++;
		if (j == S || w == W || it->for_all || it->n_categories) {
			whole = false;
			continue;
		}
		for (size_t k = 0; k < it->n_groups; k++) {
			const char *label = m->groups.list[it->groups[k]];
			size_t g = 0;
			while (g < out->n_groups && strcmp(out->groups[g], label))
				g++;
			if (g == out->n_groups || out->window_of[g * S + j] >= 0)
				whole = false;
			else
				out->window_of[g * S + j] = (int)w;
		}
	}
	return whole;
}

static fs_err
plan_visits(fs_store *store, const char *mission,
	    const fs_visit_options *options, fs_visit_result *out)
{
	struct loaded m;
	struct window *windows = NULL;
	size_t n_windows = 0, G = 0, S = 0;
	long *group_size = NULL, *capacity = NULL, *size_by_label = NULL;
	int *sites_place = NULL;
	bool *allowed = NULL, *group_allowed = NULL, has_previous;
	const char **group_names = NULL;
	int *previous = NULL, *window_gap = NULL, *site_trip = NULL;
	fs_visit_problem problem = { 0 };
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((err = load(store, mission, &m)))
		goto done;
	/* the groups: labels of confirmed participants, A B ... AA */
	size_by_label = calloc(m.groups.n + 1, sizeof(long));
	group_names = malloc((m.groups.n + 1) * sizeof(char *));
	if (!size_by_label || !group_names) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < m.n_people; i++)
		if (m.people[i].is_confirmed && m.people[i].group >= 0 &&
		    size_by_label[m.people[i].group]++ == 0)
			group_names[G++] = m.groups.list[m.people[i].group];
	if (!G) {
		err = fs_fail(FS_EINPUT, "no groups in %s: run 'fieldschool "
			      "plan groups %s' first", m.info.code,
			      m.info.code);
		goto done;
	}
	qsort(group_names, G, sizeof(char *), fs_group_label_cmp);
	/* the sites: places of visit items, in agenda order */
	sites_place = malloc((m.n_items + 1) * sizeof(int));
	capacity = calloc(m.n_items + 1, sizeof(long));
	if (!sites_place || !capacity) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < m.n_items; i++) {
		const fs_check_item *it = &m.items[i];
		size_t j = 0;
		if (!it->is_visit)
			continue;
		if (it->place < 0) {
			err = fs_fail(FS_EINPUT, "visit %s has no place: give "
				      "the site it visits (agenda edit %s "
				      "--place NAME)", it->ref, it->ref);
			goto done;
		}
		while (j < S && sites_place[j] != it->place)
			j++;
		if (j == S) {
			sites_place[S] = it->place;
			capacity[S++] = it->capacity;
		} else if (it->capacity > 0 &&
			   (capacity[j] <= 0 || it->capacity < capacity[j])) {
			capacity[j] = it->capacity;
		}
	}
	if (!S) {
		err = fs_fail(FS_EINPUT, "no visit items in %s: add one per "
			      "site (agenda add %s --kind visit --place NAME "
			      "--host H --capacity N ...)", m.info.code,
			      m.info.code);
		goto done;
	}
	if (options->slots)
		err = parse_slots(&m, options->slots, &windows, &n_windows);
	else
		err = item_windows(&m, &windows, &n_windows);
	if (err)
		goto done;
	qsort(windows, n_windows, sizeof(*windows), window_cmp);
	for (size_t w = 1; w < n_windows; w++)
		if (windows[w].day == windows[w - 1].day &&
		    windows[w].start < windows[w - 1].end) {
			err = fs_fail(FS_EINPUT, "visit windows overlap on day "
				      "%d: %02d:%02d-%02d:%02d and "
				      "%02d:%02d-%02d:%02d; a group can be in "
				      "one window at a time", windows[w].day,
				      windows[w - 1].start / 60,
				      windows[w - 1].start % 60,
				      windows[w - 1].end / 60,
				      windows[w - 1].end % 60,
				      windows[w].start / 60,
				      windows[w].start % 60,
				      windows[w].end / 60, windows[w].end % 60);
			goto done;
		}
	/* an item for everyone during a window: no group is free then */
	for (size_t w = 0; w < n_windows; w++)
		for (size_t i = 0; i < m.n_items; i++) {
			const fs_check_item *it = &m.items[i];
			if (it->is_visit || !it->for_all ||
			    it->day != windows[w].day ||
			    it->start >= windows[w].end ||
			    it->end <= windows[w].start)
				continue;
			err = fs_fail(FS_EINPUT, "visit window day %d "
				      "%02d:%02d-%02d:%02d overlaps %s (day %d "
				      "%02d:%02d-%02d:%02d), which is for "
				      "everyone: choose windows outside it%s",
				      windows[w].day, windows[w].start / 60,
				      windows[w].start % 60, windows[w].end / 60,
				      windows[w].end % 60, it->ref, it->day,
				      it->start / 60, it->start % 60,
				      it->end / 60, it->end % 60,
				      options->slots ? "" : " (--slots), or move "
				      "the visit items");
			goto done;
		}
	/* the result's names, copied: m goes away */
	out->n_groups = G;
	out->n_sites = S;
	out->n_windows = n_windows;
	out->groups = calloc(G, sizeof(char *));
	out->sites = calloc(S, sizeof(char *));
	out->windows = calloc(n_windows, sizeof(char *));
	out->window_of = malloc(G * S * sizeof(int));
	group_size = malloc(G * sizeof(long));
	allowed = malloc((S * n_windows + 1) * sizeof(bool));
	if (!out->groups || !out->sites || !out->windows || !out->window_of ||
	    !group_size || !allowed) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t g = 0; g < G; g++) {
		int index = -1;
		intern(&m.groups, group_names[g], &index);
		group_size[g] = size_by_label[index];
		if (!(out->groups[g] = strdup(group_names[g]))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
	}
	for (size_t j = 0; j < S; j++)
		if (!(out->sites[j] = strdup(m.places.list[sites_place[j]]))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
	for (size_t w = 0; w < n_windows; w++) {
		if (asprintf(&out->windows[w], "day %d %02d:%02d-%02d:%02d",
			     windows[w].day, windows[w].start / 60,
			     windows[w].start % 60, windows[w].end / 60,
			     windows[w].end % 60) < 0) {
			out->windows[w] = NULL;
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
		for (size_t j = 0; j < S; j++)
			allowed[j * n_windows + w] =
				reachable(&m, &m.place_list[sites_place[j]],
					  &windows[w], &options->travel, -1);
	}
	if ((err = group_limits(&m, sites_place, S, windows, n_windows,
				(const char *const *)out->groups, G,
				&options->travel, allowed, &group_allowed,
				&window_gap, &site_trip)))
		goto done;
	problem.n_groups = G;
	problem.n_sites = S;
	problem.n_windows = n_windows;
	problem.group_size = group_size;
	problem.site_capacity = capacity;
	problem.allowed = allowed;
	problem.group_allowed = group_allowed;
	problem.window_gap = window_gap;
	problem.site_trip = site_trip;
	problem.per_group = options->per_group > 0 ? options->per_group
						   : (int)S;
	problem.node_limit = options->node_limit;
	problem.group_names = (const char *const *)out->groups;
	problem.site_names = (const char *const *)out->sites;
	if (options->per_group > 0 && (size_t)options->per_group > S) {
		err = fs_fail(FS_EINPUT, "--per-group %d: %s has %zu site%s",
			      options->per_group, m.info.code, S,
			      S == 1 ? "" : "s");
		goto done;
	}
	if (!options->slots && (size_t)problem.per_group > n_windows) {
		err = fs_fail(FS_EINPUT, "too few windows: each group visits "
			      "%d site%s, one per window, but the visit items "
			      "of %s are at only %zu different time%s; give "
			      "the windows with --slots 'DAY HH:MM-HH:MM,...' "
			      "or visit fewer sites with --per-group",
			      problem.per_group,
			      problem.per_group == 1 ? "" : "s", m.info.code,
			      n_windows, n_windows == 1 ? "" : "s");
		goto done;
	}
	/* a rotation that still holds is kept as it is: re-planning without
	 * a change changes nothing */
	if (!(previous = malloc((G * S + 1) * sizeof(int)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	has_previous = current_rotation(&m, sites_place, windows, out);
	memcpy(previous, out->window_of, G * S * sizeof(int));
	if (has_previous && fs_visit_rotation_valid(out->window_of, &problem))
		out->method = FS_VISITS_KEPT;
	else if ((err = travel_hint(fs_plan_visits(out->window_of, &problem,
						   &out->method),
				    n_windows, window_gap, site_trip,
				    S, out)) ||
		 /* a new rotation keeps what it can of the old one's
		  * windows, so fewer items move */
		 (err = fs_visit_align(out->window_of, previous, &problem)))
		goto done;
	/* the rotation obeys every limit, travel between windows included
	 * (the planners guarantee it; a rotation that does not is never
	 * written) */
	if (!fs_visit_rotation_valid(out->window_of, &problem)) {
		err = fs_fail(FS_EINPUT, "internal error: the rotation found "
			      "breaks a limit; nothing was changed");
		goto done;
	}
	err = write_visits(store, &m, sites_place, windows, out);
done:
	if (err)
		fs_visit_result_release(out);
	loaded_release(&m);
	free(windows);
	free(group_size);
	free(capacity);
	free(size_by_label);
	free(sites_place);
	free(allowed);
	free(group_allowed);
	free(window_gap);
	free(site_trip);
	free(group_names);
	free(previous);
	return err;
}

/* A plan reads and writes in one write transaction, so that nothing can
 * change between what it read and what it saves, and a failure or a dry
 * run leaves the database as it was (a dry run writes, to count exactly
 * what would change, then rolls back). */
fs_err
fs_schedule_plan_groups(fs_store *store, const char *mission,
			const fs_group_options *options, fs_group_plan *out)
{
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((err = fs_store_begin(store)))
		return err;
	err = plan_groups(store, mission, options, out);
	if (err || options->dry_run) {
		fs_store_rollback(store);
	} else if ((err = fs_store_commit(store))) {
		fs_group_plan_release(out);
	}
	return err;
}

fs_err
fs_schedule_plan_visits(fs_store *store, const char *mission,
			const fs_visit_options *options, fs_visit_result *out)
{
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((err = fs_store_begin(store)))
		return err;
	err = plan_visits(store, mission, options, out);
	if (err || options->dry_run) {
		fs_store_rollback(store);
	} else if ((err = fs_store_commit(store))) {
		fs_visit_result_release(out);
	}
	return err;
}
