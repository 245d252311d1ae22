/*
 * fieldschool/plan.h - site-visit groups and rotations, on arrays.
 *
 * Both planners are pure: arrays in, results out, no I/O, deterministic.
 * fieldschool/schedule.h loads their input from a store and writes their
 * results back.  The algorithms are described at the top of
 * lib/plan_groups.c (groups) and lib/plan.c (rotations).
 */
#ifndef FIELDSCHOOL_PLAN_H
#define FIELDSCHOOL_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "fieldschool/error.h"

/* One confirmed participant; attributes are small indexes, -1 for none. */
typedef struct fs_plan_person {
	int category;     /* 0 .. n_categories - 1 */
	int organization;
	int country;
	int language;
	int group;        /* current group 0 .. n_groups - 1, or -1 */
} fs_plan_person;

/*
 * Assigns each of n people to one of n_groups groups: group_out[i] is
 * person i's group.  Sizes differ by at most one; within each category,
 * the counts per group differ by at most one; among all assignments that
 * do so, one that keeps the most people in their current group (so moves
 * the fewest) is chosen; then organizations, countries and languages are
 * spread over the groups by a greedy second aim.  FS_EINPUT when n_groups
 * is less than 1.
 */
fs_err fs_plan_groups(int *group_out, const fs_plan_person *people, size_t n,
		      int n_groups, int n_categories);

typedef struct fs_visit_problem {
	size_t n_groups, n_sites, n_windows;
	const long *group_size;    /* people per group, > 0 */
	const long *site_capacity; /* people per window; <= 0: no limit */
	/* allowed[site * n_windows + window]: the site can be visited in the
	 * window (open, reachable in time); NULL: always */
	const bool *allowed;
	/* travel between windows: window_gap[w * n_windows + x] (the same
	 * for x * n_windows + w) is the minutes a group has between windows
	 * w and x when it could go straight from one to the other (same day,
	 * nothing with a place in between), else -1; site_trip[j * n_sites +
	 * k] is the minutes needed from site j to site k, buffer included.
	 * A group cannot visit j in w and k in x when the gap is shorter.
	 * NULL (either): no such limit */
	const int *window_gap;
	const int *site_trip;
	/* group_allowed[(g * n_sites + j) * n_windows + w]: group g can be at
	 * site j in window w (its own items leave it free and time to travel);
	 * NULL: as allowed says */
	const bool *group_allowed;
	int per_group;             /* sites each group visits, 1 .. n_sites */
	long node_limit;           /* of the exact search; 0: 5,000,000 */
	/* names for the messages that explain an impossible rotation */
	const char *const *group_names;
	const char *const *site_names;
} fs_visit_problem;

typedef enum fs_visit_method {
	FS_VISITS_COLOURING, /* flow, then König edge colouring */
	FS_VISITS_SEARCH,    /* exact backtracking search */
	FS_VISITS_KEPT,      /* the current rotation still holds (schedule.h) */
} fs_visit_method;

/*
 * Renumbers the windows of window_of so that as many (group, site) visits
 * as possible keep the window they have in previous (same layout, -1 for
 * none), when every site is open in every window and there is no travel
 * or group limit (otherwise it changes nothing: a renumbered rotation
 * could use a closed window).  The rotation
 * stays valid.  FS_ENOMEM only.
 */
fs_err fs_visit_align(int *window_of, const int *previous,
		      const fs_visit_problem *problem);

/* Does window_of (laid out as fs_plan_visits() gives it) obey every
 * constraint of problem?  Used to keep a rotation that still holds. */
bool fs_visit_rotation_valid(const int *window_of,
			     const fs_visit_problem *problem);

/*
 * Builds a rotation: window_out[g * n_sites + s] is the window in which
 * group g visits site s, or -1.  Every group visits exactly per_group
 * different sites, in different windows; no site takes more people than
 * its capacity in a window, nor is used in a window it is not allowed in
 * (for the group), and no group has too little time between two windows
 * for the trip between their sites.
 * FS_EINPUT when no rotation exists (the detail names the bound that
 * fails) or when the search gave up after node_limit steps (the detail
 * says so: then it is not known whether one exists).  *method_out, when
 * not NULL, says which method answered.
 */
fs_err fs_plan_visits(int *window_out, const fs_visit_problem *problem,
		      fs_visit_method *method_out);

#endif
