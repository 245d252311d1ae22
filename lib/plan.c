/*
 * plan.c - site-visit rotations, on arrays; groups are planned in
 * plan_groups.c, and the parts of a rotation in plan_bounds.c,
 * plan_colour.c and plan_search.c (plan.h).
 *
 * ROTATIONS.  G groups of sizes s_g, S sites of capacities c_j, W windows,
 * each group to visit K distinct sites in distinct windows, a site never
 * over capacity in a window.  First the bounds that make it impossible
 * (plan_bounds.c), each with its own message: K > W, or K > the windows
 * in which some site is open (reachable in time); a group that fits in
 * fewer than K sites; when K = S, a site smaller than some group, or a
 * site j that can hold at most m_j groups at once (the most of the
 * smallest groups that fit) with m_j x W_j < G (W_j: windows the site is
 * open in), or whose capacity times W_j is less than all the groups'
 * people; in total, sum m_j W_j < G K.
 *
 * Then, when capacity is a count -- every site takes any m_j groups at
 * once and never m_j + 1 (true when group sizes differ by at most one, as
 * plan groups makes them, unless a capacity falls in between) -- and every
 * site is open in every window, the problem is exactly a bipartite edge
 * colouring (plan_colour.c): choose which sites each group visits by a
 * max flow (group -> site capacity 1, site -> sink capacity W m_j; a
 * rotation exists iff the flow reaches G K; when K < S, the k-th visit of
 * a site costs k and the flow is of least cost, which spreads the visits
 * evenly over the sites), split each site into m_j parallel slots sharing
 * its groups round-robin (a slot gets at most W), and colour the edges of
 * the groups x slots graph with W colours -- the windows.  König's
 * theorem says W colours suffice when no node has more than W edges, and
 * the alternating-path construction finds them in O(E V).  Every rotation
 * corresponds to such a flow, so this is exact: it fails only when the
 * flow does, and then no rotation exists.
 *
 * Otherwise (sizes for which capacity is not a count, sites closed in some
 * windows, such as by travel time, or limits of one group: windows it is
 * kept out of, and pairs of windows too close together for the trip
 * between two sites), it is an exact backtracking search (plan_search.c);
 * the group limits are checked against the group's visits placed so far,
 * and the windows left to each visit are counted again for that group.
 * When every group visits every site, the variables are the visits
 * (group, site), each to get a window: the search takes the visit with
 * the fewest windows left (kept up to date incrementally) and tries them
 * tightest fit first, which finds rotations at once in all but the
 * tightest cases.  With K < S, it first tries the same search on the
 * sites a min-cost flow picks for each group (spread over the sites by
 * their room); when that fails, which proves nothing, the cells (group,
 * window), largest groups first, each get a site or nothing, pruned when
 * a group cannot place its remaining visits in its remaining windows.
 * The searches that decide are complete: they answer "no rotation" only
 * after trying everything, and give up, saying so, only after node_limit
 * steps.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* Too little time for one group to visit j in window w and k in x? */
static bool
too_far(const fs_visit_problem *p, size_t j, size_t w, size_t k, size_t x)
{
	int gap;
	if (!p->window_gap || !p->site_trip || j == k || w == x ||
	    w >= p->n_windows || x >= p->n_windows)
		return false;
	gap = p->window_gap[w * p->n_windows + x];
	return gap >= 0 && gap < p->site_trip[j * p->n_sites + k];
}

bool
plan_group_can(const fs_visit_problem *p, const int *placed, size_t g,
	       size_t j, size_t w)
{
	size_t S = p->n_sites;
	if (p->group_allowed &&
	    !p->group_allowed[(g * S + j) * p->n_windows + w])
		return false;
	if (p->window_gap && p->site_trip)
		for (size_t k = 0; k < S; k++)
			if (k != j && placed[g * S + k] >= 0 &&
			    too_far(p, j, w, k, (size_t)placed[g * S + k]))
				return false;
	return true;
}

size_t
plan_open_windows(const fs_visit_problem *p, size_t j)
{
	size_t n = 0;
	for (size_t w = 0; w < p->n_windows; w++)
		n += is_open(p, j, w);
	return n;
}

bool
plan_group_limited(const fs_visit_problem *p)
{
	size_t G = p->n_groups, S = p->n_sites, W = p->n_windows;
	for (size_t j = 0; p->window_gap && p->site_trip && j < S; j++)
		for (size_t k = 0; k < S; k++)
			for (size_t w = 0; w < W; w++)
				for (size_t x = 0; x < W; x++)
					if (too_far(p, j, w, k, x))
						return true;
	for (size_t g = 0; p->group_allowed && g < G; g++)
		for (size_t j = 0; j < S; j++)
			for (size_t w = 0; w < W; w++)
				if (!p->group_allowed[(g * S + j) * W + w] &&
				    (!p->allowed || p->allowed[j * W + w]))
					return true;
	return false;
}

static int
long_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
}

fs_err
fs_plan_visits(int *window_out, const fs_visit_problem *problem,
	       fs_visit_method *method_out)
{
	struct visits v = { problem, problem->n_groups, problem->n_sites,
			    problem->n_windows, 0, NULL, NULL };
	fs_err err;

	if (!v.G)
		return fs_fail(FS_EINPUT, "no groups to take on visits");
	if (!v.S)
		return fs_fail(FS_EINPUT, "no sites to visit");
	if (problem->per_group < 1 || (size_t)problem->per_group > v.S)
		return fs_fail(FS_EINPUT, "each group can visit 1 to %zu "
			       "sites, not %d", v.S, problem->per_group);
	for (size_t g = 0; g < v.G; g++)
		if (problem->group_size[g] <= 0)
			return fs_fail(FS_EINPUT, "a group has no people");
	v.K = (size_t)problem->per_group;
	v.sorted = malloc(v.G * sizeof(long));
	v.most = calloc(v.S, sizeof(size_t));
	if (!v.sorted || !v.most) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	memcpy(v.sorted, problem->group_size, v.G * sizeof(long));
	qsort(v.sorted, v.G, sizeof(long), long_cmp);
	if ((err = plan_check_bounds(&v)))
		goto done;
	if (plan_capacity_is_count(&v)) {
		if (method_out)
			*method_out = FS_VISITS_COLOURING;
		err = plan_colour(&v, window_out);
	} else {
		if (method_out)
			*method_out = FS_VISITS_SEARCH;
		err = plan_search_rotation(&v, window_out);
	}
done:
	free(v.sorted);
	free(v.most);
	return err;
}

bool
fs_visit_rotation_valid(const int *window_of, const fs_visit_problem *p)
{
	size_t G = p->n_groups, S = p->n_sites, W = p->n_windows;
	long *load = calloc(S * W + 1, sizeof(long));
	bool *busy = calloc(W + 1, sizeof(bool));
	bool valid = load && busy;

	for (size_t g = 0; g < G && valid; g++) {
		int visits = 0;
		memset(busy, 0, W * sizeof(bool));
		for (size_t j = 0; j < S && valid; j++) {
			int w = window_of[g * S + j];
			if (w < 0)
				continue;
			valid = (size_t)w < W && !busy[w] &&
				is_open(p, j, (size_t)w) &&
				plan_group_can(p, window_of, g, j, (size_t)w);
			if (!valid)
				break;
			busy[w] = true;
			load[j * W + (size_t)w] += p->group_size[g];
			visits++;
		}
		valid = valid && visits == p->per_group;
	}
	for (size_t k = 0; k < S * W && valid; k++)
		valid = load[k] <= capacity_of(p, k / W);
	free(load);
	free(busy);
	return valid;
}

/* An assignment problem (colours x windows, the most agreements), as a
 * min-cost flow with costs max - agreement. */
fs_err
fs_visit_align(int *window_of, const int *previous,
	       const fs_visit_problem *p)
{
	size_t G = p->n_groups, S = p->n_sites, W = p->n_windows;
	long *agree = NULL, most = 0;
	int *edge = NULL, *renamed = NULL;
	struct network net = { 0 };
	fs_err err = FS_OK;
	int s = 0, t = (int)(2 * W + 1);

	for (size_t j = 0; j < S; j++)
		if (plan_open_windows(p, j) != W)
			return FS_OK;
	if (plan_group_limited(p))
		return FS_OK;
	agree = calloc(W * W + 1, sizeof(long));
	edge = malloc((W * W + 1) * sizeof(int));
	renamed = malloc((W + 1) * sizeof(int));
	if (!agree || !edge || !renamed) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t k = 0; k < G * S; k++)
		if (window_of[k] >= 0 && previous[k] >= 0 &&
		    (size_t)previous[k] < W)
			agree[(size_t)window_of[k] * W + (size_t)previous[k]]++;
	for (size_t k = 0; k < W * W; k++)
		if (agree[k] > most)
			most = agree[k];
	if (!most)
		goto done;
	net.n = t + 1;
	for (size_t c = 0; c < W; c++) {
		if ((err = net_add(&net, s, (int)c + 1, 1, 0, NULL)) ||
		    (err = net_add(&net, (int)(W + 1 + c), t, 1, 0, NULL)))
			goto done;
		for (size_t w = 0; w < W; w++)
			if ((err = net_add(&net, (int)c + 1, (int)(W + 1 + w), 1,
					   most - agree[c * W + w],
					   &edge[c * W + w])))
				goto done;
	}
	if ((err = net_finish(&net)))
		goto done;
	if (net_min_cost_flow(&net, s, t, (long)W) != (long)W)
		goto done; /* cannot be: the graph is complete */
	for (size_t c = 0; c < W; c++)
		for (size_t w = 0; w < W; w++)
			if (net.edges[edge[c * W + w]].cap == 0)
				renamed[c] = (int)w;
	for (size_t k = 0; k < G * S; k++)
		if (window_of[k] >= 0)
			window_of[k] = renamed[window_of[k]];
done:
	net_release(&net);
	free(agree);
	free(edge);
	free(renamed);
	return err;
}
