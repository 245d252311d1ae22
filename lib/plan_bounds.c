/*
 * plan_bounds.c - the bounds that make a rotation impossible, each with
 * its own message, and whether capacity is a count, which decides between
 * colouring and search (plan.h; the algorithm is described at the top of
 * plan.c).
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "plan.h"

static const char *
group_name(const fs_visit_problem *p, size_t g, char buf[32])
{
	if (p->group_names && p->group_names[g])
		return p->group_names[g];
	snprintf(buf, 32, "%zu", g + 1);
	return buf;
}

static const char *
site_name(const fs_visit_problem *p, size_t j, char buf[32])
{
	if (p->site_names && p->site_names[j])
		return p->site_names[j];
	snprintf(buf, 32, "%zu", j + 1);
	return buf;
}

/*
 * Travel between windows as a bound: two windows whose gap is shorter than
 * the shortest trip between two different sites cannot both be used by one
 * group (its visits are at different sites).  Those windows conflict; any
 * partition of a group's usable windows into sets that all conflict
 * pairwise (cliques, built greedily in window order) bounds how many
 * windows the group can use, one per set.  Sound for any order; exact for
 * windows in time order (each clique is a run of windows too close
 * together).  FS_EINPUT naming the group when the bound is below K.
 */
static fs_err
check_travel_bound(const struct visits *v)
{
	const fs_visit_problem *p = v->p;
	size_t G = v->G, S = v->S, W = v->W, *clique = NULL;
	int shortest = INT_MAX;
	fs_err err = FS_OK;
	char b1[32];

	if (!p->window_gap || !p->site_trip)
		return FS_OK;
	for (size_t j = 0; j < S; j++)
		for (size_t k = 0; k < S; k++)
			if (j != k && p->site_trip[j * S + k] < shortest)
				shortest = p->site_trip[j * S + k];
	if (shortest <= 0 || shortest == INT_MAX)
		return FS_OK;
	if (!(clique = malloc((W + 1) * sizeof(size_t))))
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t g = 0; g < G && !err; g++) {
		size_t n_cliques = 0, usable = 0;
		for (size_t w = 0; w < W; w++)
			clique[w] = SIZE_MAX;
		for (size_t w = 0; w < W; w++) {
			bool open = false;
			for (size_t j = 0; j < S && !open; j++)
				open = is_open(p, j, w) &&
				       p->group_size[g] <= capacity_of(p, j) &&
				       (!p->group_allowed ||
					p->group_allowed[(g * S + j) * W + w]);
			if (!open)
				clique[w] = SIZE_MAX - 1; /* not usable */
			else
				usable++;
		}
		for (size_t w = 0; w < W; w++) {
			if (clique[w] != SIZE_MAX)
				continue;
			clique[w] = n_cliques;
			for (size_t x = w + 1; x < W; x++) {
				bool all = clique[x] == SIZE_MAX;
				for (size_t y = w; y < x && all; y++) {
					int gap = p->window_gap[y * W + x];
					all = clique[y] != n_cliques ||
					      (gap >= 0 && gap < shortest);
				}
				if (all)
					clique[x] = n_cliques;
			}
			n_cliques++;
		}
		if (n_cliques < v->K)
			err = fs_fail(FS_EINPUT, "too little time between "
				      "windows: group %s can be at a site in "
				      "at most %zu of its %zu usable windows "
				      "(two windows with less than %d min "
				      "between them, the shortest trip between "
				      "two sites, buffer included, cannot both "
				      "be used), and must visit %zu sites",
				      group_name(p, g, b1), n_cliques, usable,
				      shortest, v->K);
	}
	free(clique);
	return err;
}

/* Enough windows for K visits, and enough in which some site is open to
 * some group? */
static fs_err
check_windows(const struct visits *v)
{
	const fs_visit_problem *p = v->p;
	size_t usable = 0;

	if (v->K > v->W)
		return fs_fail(FS_EINPUT, "too few windows: each group visits "
			       "%zu site%s, one per window, but only %zu "
			       "window%s %s given", v->K, v->K == 1 ? "" : "s",
			       v->W, v->W == 1 ? "" : "s",
			       v->W == 1 ? "is" : "are");
	/* windows in which some site is open to some group */
	for (size_t w = 0; w < v->W; w++) {
		bool any = false;
		for (size_t j = 0; j < v->S && !any; j++)
			any = is_open(p, j, w) &&
			      capacity_of(p, j) >= v->sorted[0];
		usable += any;
	}
	if (usable < v->K)
		return fs_fail(FS_EINPUT, "too few windows: each group "
			       "visits %zu site%s, one per window, but "
			       "only %zu of the %zu windows leave time "
			       "to reach a site and come back",
			       v->K, v->K == 1 ? "" : "s", usable,
			       v->W);
	return FS_OK;
}

/* When every group visits every site (K = S): can site j, which takes at
 * most m groups at once, hold each group, and all of them in its open
 * windows? */
static fs_err
check_site_for_all(const struct visits *v, size_t j, size_t m)
{
	const fs_visit_problem *p = v->p;
	long cap = capacity_of(p, j), people = 0;
	size_t wj = plan_open_windows(p, j);
	char b1[32], b2[32];

	for (size_t g = 0; g < v->G; g++)
		if (p->group_size[g] > cap)
			return fs_fail(FS_EINPUT, "too little capacity: site "
				       "'%s' takes %ld people at once, group "
				       "%s has %ld, and every group must visit "
				       "every site", site_name(p, j, b1), cap,
				       group_name(p, g, b2), p->group_size[g]);
	if (m * wj < v->G)
		return fs_fail(FS_EINPUT, "too few windows: site '%s' takes at "
			       "most %zu group%s per window (capacity %ld, "
			       "smallest group %ld); %zu group%s need %zu "
			       "window%s there, only %zu %s",
			       site_name(p, j, b1), m, m == 1 ? "" : "s", cap,
			       v->sorted[0], v->G, fs_plural((long)v->G),
			       (v->G + m - 1) / m,
			       (v->G + m - 1) / m == 1 ? "" : "s", wj,
			       wj == 1 ? "is open" : "are open");
	for (size_t g = 0; g < v->G; g++)
		people += p->group_size[g];
	if (cap != LONG_MAX && cap * (long)wj < people)
		return fs_fail(FS_EINPUT, "too little capacity: site '%s' "
			       "takes %ld people in each of its %zu open "
			       "window%s, %ld in all, and the groups hold %ld "
			       "people", site_name(p, j, b1), cap, wj,
			       wj == 1 ? "" : "s", cap * (long)wj, people);
	return FS_OK;
}

fs_err
plan_check_bounds(struct visits *v)
{
	const fs_visit_problem *p = v->p;
	char b1[32];
	long total = 0;
	fs_err err;

	if ((err = check_windows(v)) || (err = check_travel_bound(v)))
		return err;
	for (size_t j = 0; j < v->S; j++) {
		long cap = capacity_of(p, j), sum = 0;
		size_t m = 0;
		while (m < v->G && sum + v->sorted[m] <= cap)
			sum += v->sorted[m++];
		v->most[j] = m;
		if (v->K == v->S && (err = check_site_for_all(v, j, m)))
			return err;
		total += (long)(m * plan_open_windows(p, j));
	}
	for (size_t g = 0; g < v->G; g++) {
		size_t usable = 0;
		for (size_t j = 0; j < v->S; j++)
			usable += p->group_size[g] <= capacity_of(p, j) &&
				  plan_open_windows(p, j) > 0;
		if (usable < v->K)
			return fs_fail(FS_EINPUT, "too little capacity: group "
				       "%s (%ld people) fits in %zu open "
				       "site%s, and must visit %zu",
				       group_name(p, g, b1), p->group_size[g],
				       usable, usable == 1 ? "" : "s", v->K);
	}
	if (total < (long)(v->G * v->K))
		return fs_fail(FS_EINPUT, "too little capacity: the sites take "
			       "at most %ld group visits in their open "
			       "windows; %zu group%s x %zu site%s need %zu",
			       total, v->G, fs_plural((long)v->G), v->K,
			       fs_plural((long)v->K), v->G * v->K);
	return FS_OK;
}

bool
plan_capacity_is_count(const struct visits *v)
{
	if (plan_group_limited(v->p))
		return false;
	for (size_t j = 0; j < v->S; j++) {
		long sum = 0;
		for (size_t k = 0; k < v->most[j]; k++)
			sum += v->sorted[v->G - 1 - k];
		if (sum > capacity_of(v->p, j))
			return false;
		if (plan_open_windows(v->p, j) != v->W && v->most[j] > 0)
			return false;
	}
	return true;
}
