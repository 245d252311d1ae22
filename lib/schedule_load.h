/*
 * schedule_load.h - one mission read from the store into the arrays that
 * check.c and plan.c work on (lib-internal): names interned as small
 * indexes, strings in an arena freed at once.  schedule_load.c fills it;
 * schedule.c (check, plan groups) and schedule_visits.c (plan visits) use
 * it.
 */
#ifndef FS_SCHEDULE_LOAD_H
#define FS_SCHEDULE_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fieldschool/check.h"
#include "fieldschool/plan.h"
#include "store.h"

/* An arena of strings and small arrays, freed at once. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct arena_chunk *head;
};

/* Interned names: a string's index, in order of first sight. */
struct names {
	struct strmap map;
	const char **list; /* the map's own key copies */
	size_t n, cap;
};

/* One mission, loaded. */
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

/* Reads mission code into m (zeroed first; release it even on failure). */
fs_err sched_load(fs_store *store, const char *code, struct loaded *m);
void sched_release(struct loaded *m);

/* A copy of s in the arena; NULL when out of memory. */
char *sched_strdup(struct arena *a, const char *s);
/* *out = the index of s in t, adding it when new; -1 for "". */
fs_err sched_intern(struct names *t, const char *s, int *out);
/* Grows *array (of elements of size bytes) to hold need, doubling. */
fs_err sched_grow(void **array, size_t *cap, size_t need, size_t size);

#endif
