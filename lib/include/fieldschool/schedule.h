/*
 * fieldschool/schedule.h - check and plan missions held in a store.
 *
 * The thin layer between the database and the pure rules of check.h and
 * plan.h: it loads a mission's items, places, facilitators and
 * registrations into arrays, runs them, and writes plans back through the
 * participant and agenda records (so every write is validated, and agenda
 * items keep their UIDs and get a higher SEQUENCE when they move).
 */
#ifndef FIELDSCHOOL_SCHEDULE_H
#define FIELDSCHOOL_SCHEDULE_H

#include <stdbool.h>
#include <stddef.h>

#include "fieldschool/check.h"
#include "fieldschool/plan.h"
#include "fieldschool/store.h"

typedef struct fs_travel_options {
	double speed_kmh; /* <= 0: FS_CHECK_SPEED_KMH */
	int buffer_min;   /* < 0: FS_CHECK_BUFFER_MIN */
} fs_travel_options;

/* The codes of every mission, in order of start.  *codes_out is the
 * caller's: free each code, then the array. */
fs_err fs_schedule_missions(fs_store *store, char ***codes_out, size_t *n_out);

/* Appends the findings about one mission to *out.  FS_ENOTFOUND. */
fs_err fs_schedule_check(fs_store *store, const char *mission,
			 const fs_travel_options *travel, fs_findings *out);

typedef struct fs_group_options {
	int n_groups; /* > 0: this many groups */
	int max_size; /* > 0: as few groups as keep each at most this big */
	bool dry_run; /* plan, report, change nothing */
} fs_group_options;

/* Without n_groups or max_size: as many groups as are in use, else groups
 * of at most this many people. */
#define FS_GROUP_DEFAULT_SIZE 25

typedef struct fs_group_move {
	char *ref;
	char from[17]; /* "" when the person had no group */
	char to[17];
} fs_group_move;

typedef struct fs_group_plan {
	int n_groups;
	char (*labels)[17];   /* A, B, ... Z, AA, AB ... */
	long *sizes;          /* per group, A first */
	size_t n_people;      /* confirmed participants */
	size_t n_kept;        /* who stayed in their group */
	fs_group_move *moves; /* who joins or changes group, by ref */
	size_t n_moves;
} fs_group_plan;

/*
 * Splits the confirmed participants of mission into groups A, B, C... (see
 * fs_plan_groups) and saves them, in one transaction, unless dry_run.
 * FS_ENOTFOUND; FS_EINPUT when there are no confirmed participants or the
 * options make no sense (more groups than people).
 */
fs_err fs_schedule_plan_groups(fs_store *store, const char *mission,
			       const fs_group_options *options,
			       fs_group_plan *out);
void fs_group_plan_release(fs_group_plan *plan);

typedef struct fs_visit_options {
	/* "DAY HH:MM-HH:MM,..." (DAY: 1-4 or YYYY-MM-DD); NULL: the windows
	 * of the mission's visit items */
	const char *slots;
	int per_group;        /* 0: every site */
	bool dry_run;
	long node_limit;      /* 0: default */
	fs_travel_options travel;
} fs_visit_options;

typedef struct fs_visit_result {
	size_t n_groups, n_sites, n_windows;
	char **groups;       /* labels */
	char **sites;        /* place names */
	char **windows;      /* "day 2 09:15-11:45" */
	int *window_of;      /* n_groups x n_sites: window index or -1 */
	fs_visit_method method;
	long added, changed, unchanged, removed; /* agenda items */
} fs_visit_result;

/*
 * Builds the rotation of the mission's groups through its visit sites
 * (fs_plan_visits) and writes it as visit items, one per site and window
 * used, with group audiences; existing visit items are updated in place
 * where the same site continues (their UIDs stay), new ones are added,
 * unused ones removed, all in one transaction, unless dry_run.  The sites
 * are the places of the mission's visit items, with their host, capacity
 * and title.  A window that overlaps an item for everyone is refused; an
 * item for a group keeps that group out of the windows it overlaps; a
 * group visits two sites in windows of one day only when the gap holds
 * the trip (buffer included), as check's travel-time rule wants.
 * FS_ENOTFOUND; FS_EINPUT for bad slots, no groups, no visit items, a
 * window over an item for everyone, or no possible rotation (the detail
 * says which bound fails).
 */
fs_err fs_schedule_plan_visits(fs_store *store, const char *mission,
			       const fs_visit_options *options,
			       fs_visit_result *out);
void fs_visit_result_release(fs_visit_result *result);

#endif
