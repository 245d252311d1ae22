/*
 * plan.h - what the planners share (lib-internal): plan_flow.c (flow
 * networks, for both planners), plan_groups.c (groups), and the rotation
 * planner: plan.c (fs_plan_visits() and the rotation's checks),
 * plan_bounds.c (the bounds that make a rotation impossible),
 * plan_colour.c (flow and edge colouring) and plan_search.c (the exact
 * search).  The algorithms are described at the top of plan_groups.c and
 * plan.c.
 */
#ifndef FS_PLAN_H
#define FS_PLAN_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>

#include "fieldschool/plan.h"

/* --- plan_flow.c: Dinic for max flow, primal-dual for min cost */

struct edge {
	int to;
	long cap;
	long cost;
};

struct network {
	int n;
	struct edge *edges;  /* edge i and i ^ 1 are a pair */
	int n_edges, cap_edges;
	int *adj_start, *adj; /* adjacency in CSR form, built by
				 net_finish(): the edges of v are
				 adj[adj_start[v] .. adj_start[v + 1]) */
	int *level, *it, *queue;
	long *dist, *pot;
};

/* Frees g's arrays and zeroes it. */
void net_release(struct network *g);
/* Adds an edge from -> to (and its reverse); *id, when given, is its
 * index: edges[*id].cap == 0 once the flow saturates it. */
fs_err net_add(struct network *g, int from, int to, long cap, long cost,
	       int *id);
/* Builds the adjacency, after the last net_add(). */
fs_err net_finish(struct network *g);
/* Max flow of value at most want from s to t; returns the flow reached. */
long net_max_flow(struct network *g, int s, int t, long want);
/* Min-cost flow of value want from s to t with non-negative costs;
 * returns the flow reached. */
long net_min_cost_flow(struct network *g, int s, int t, long want);

/* --- rotations: plan.c and the files of its parts */

/* One rotation problem: G groups, S sites, W windows, K visits a group. */
struct visits {
	const fs_visit_problem *p;
	size_t G, S, W;
	size_t K;
	long *sorted;  /* group sizes, ascending */
	size_t *most;  /* per site: the most groups it takes at once */
};

static inline long
capacity_of(const fs_visit_problem *p, size_t j)
{
	return p->site_capacity && p->site_capacity[j] > 0 ? p->site_capacity[j]
							   : LONG_MAX;
}

static inline bool
is_open(const fs_visit_problem *p, size_t j, size_t w)
{
	return !p->allowed || p->allowed[j * p->n_windows + w];
}

/* plan.c: can group g be at site j in window w, with its visits placed so
 * far in placed (G x S, -1 for none): its own items, and the trips to and
 * from its other visits?  (Capacity and the site's windows aside.) */
bool plan_group_can(const fs_visit_problem *p, const int *placed, size_t g,
		    size_t j, size_t w);
/* plan.c: the windows site j is open in. */
size_t plan_open_windows(const fs_visit_problem *p, size_t j);
/* plan.c: does any group-specific limit (travel between windows, a
 * group's own items) bind?  Then only the search is exact. */
bool plan_group_limited(const fs_visit_problem *p);

/* plan_bounds.c: the bounds any rotation obeys, and v->most; FS_EINPUT
 * naming the first that fails. */
fs_err plan_check_bounds(struct visits *v);
/* plan_bounds.c: is capacity a count -- does every site take any most[j]
 * groups at once -- with every site open in every window and no group
 * limits?  Then colouring is exact. */
bool plan_capacity_is_count(const struct visits *v);

/* plan_colour.c: flow, split, König.  FS_EINPUT when the flow falls
 * short: then no rotation exists. */
fs_err plan_colour(struct visits *v, int *out);

/* plan_search.c: the exact search; FS_EINPUT when there is no rotation
 * or the search gave up (the message says which). */
fs_err plan_search_rotation(struct visits *v, int *out);

#endif
