/*
 * test_plan.c - the planners of fieldschool/plan.h against checkers and
 * brute force written here, independently of lib/plan.c.
 *
 * Property tests on many random instances from fixed seeds:
 *   - every group plan has sizes and per-category counts that differ by at
 *     most one, and moves exactly as few people as the fewest found by
 *     trying every assignment (small instances);
 *   - every rotation returned obeys every constraint (checked here);
 *   - whenever trying every rotation finds one (small instances), the
 *     planner finds one too, and when it finds none, the planner says no.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/plan.h"

/* a small deterministic generator (xorshift64*) */
static uint64_t rng_state;

static void
seed(uint64_t s)
{
	rng_state = s * 2654435761u + 1;
}

static unsigned
rnd(unsigned n)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (unsigned)((rng_state * 2685821657736338717ull) >> 33) % n;
}

/* ---- groups ---- */

/* sizes and every category's counts differ by at most one */
static bool
groups_balanced(const int *group, const fs_plan_person *people, size_t n,
		int n_groups, int n_categories)
{
	long size[64] = { 0 }, count[64][16] = { { 0 } };
	for (size_t i = 0; i < n; i++) {
		if (group[i] < 0 || group[i] >= n_groups)
			return false;
		size[group[i]]++;
		count[group[i]][people[i].category]++;
	}
	for (int g = 0; g < n_groups; g++)
		for (int h = 0; h < n_groups; h++) {
			if (labs(size[g] - size[h]) > 1)
				return false;
			for (int c = 0; c < n_categories; c++)
				if (labs(count[g][c] - count[h][c]) > 1)
					return false;
		}
	return true;
}

static long
moves(const int *group, const fs_plan_person *people, size_t n)
{
	long m = 0;
	for (size_t i = 0; i < n; i++)
		m += group[i] != people[i].group;
	return m;
}

/* the fewest moves over every balanced assignment */
static long
fewest_moves(const fs_plan_person *people, size_t n, int n_groups,
	     int n_categories)
{
	int group[16] = { 0 };
	long best = LONG_MAX;
	for (;;) {
		if (groups_balanced(group, people, n, n_groups, n_categories)) {
			long m = moves(group, people, n);
			if (m < best)
				best = m;
		}
		size_t i = 0;
		while (i < n && ++group[i] == n_groups)
			group[i++] = 0;
		if (i == n)
			break;
	}
	return best;
}

static void
test_groups_fewest_moves(void **state)
{
	(void)state;
	for (uint64_t s = 1; s <= 400; s++) {
		fs_plan_person people[16];
		int group[16];
		size_t n;
		int n_groups, n_categories;
		seed(s);
		n = 2 + rnd(7);
		n_groups = 1 + (int)rnd(3);
		n_categories = 1 + (int)rnd(3);
		for (size_t i = 0; i < n; i++) {
			people[i].category = (int)rnd((unsigned)n_categories);
			people[i].organization = (int)rnd(3) - 1;
			people[i].country = (int)rnd(2);
			people[i].language = (int)rnd(2);
			/* some have a group, some none, some one that no
			 * longer exists */
			people[i].group = (int)rnd((unsigned)n_groups + 2) - 1;
			if (people[i].group >= n_groups)
				people[i].group = -1;
		}
		assert_int_equal(fs_plan_groups(group, people, n, n_groups,
						n_categories),
				 FS_OK);
		if (!groups_balanced(group, people, n, n_groups,
				     n_categories))
			fail_msg("seed %lu: unbalanced groups", (unsigned long)s);
		long want = fewest_moves(people, n, n_groups, n_categories);
		if (moves(group, people, n) != want)
			fail_msg("seed %lu: %ld moves, %ld would do",
				 (unsigned long)s, moves(group, people, n),
				 want);
	}
}

static void
test_groups_large_random(void **state)
{
	(void)state;
	for (uint64_t s = 1; s <= 30; s++) {
		size_t n;
		int n_groups, n_categories = 7;
		seed(1000 + s);
		n = 50 + rnd(3000);
		n_groups = 2 + (int)rnd(40);
		fs_plan_person *people = calloc(n, sizeof(*people));
		int *group = calloc(n, sizeof(int)), *again = calloc(n, sizeof(int));
		assert_non_null(people);
		assert_non_null(group);
		assert_non_null(again);
		for (size_t i = 0; i < n; i++) {
			people[i].category = (int)rnd(7);
			people[i].organization = (int)rnd(200);
			people[i].country = (int)rnd(5);
			people[i].language = (int)rnd(4);
			people[i].group = -1;
		}
		assert_int_equal(fs_plan_groups(group, people, n, n_groups,
						n_categories), FS_OK);
		/* checked without the 64-group table: sizes and counts */
		long *size = calloc((size_t)n_groups, sizeof(long));
		long *count = calloc((size_t)n_groups * 7, sizeof(long));
		for (size_t i = 0; i < n; i++) {
			assert_true(group[i] >= 0 && group[i] < n_groups);
			size[group[i]]++;
			count[group[i] * 7 + people[i].category]++;
		}
		for (int g = 1; g < n_groups; g++) {
			assert_true(labs(size[g] - size[0]) <= 1 ||
				    labs(size[g] - size[g - 1]) <= 1);
			for (int h = 0; h < n_groups; h++) {
				assert_true(labs(size[g] - size[h]) <= 1);
				for (int c = 0; c < 7; c++)
					assert_true(labs(count[g * 7 + c] -
							 count[h * 7 + c]) <= 1);
			}
		}
		/* deterministic, and a second run moves nobody */
		for (size_t i = 0; i < n; i++)
			people[i].group = group[i];
		assert_int_equal(fs_plan_groups(again, people, n, n_groups,
						n_categories), FS_OK);
		assert_memory_equal(again, group, n * sizeof(int));
		/* a late registration moves nobody else */
		people[0].group = -1;
		assert_int_equal(fs_plan_groups(again, people, n, n_groups,
						n_categories), FS_OK);
		assert_true(moves(again, people, n) == 1);
		free(size);
		free(count);
		free(people);
		free(group);
		free(again);
	}
}

static void
test_groups_mix_organizations(void **state)
{
	/* 4 groups, 8 people of 4 organizations, two each, one category:
	 * no two of one organization need to share a group */
	fs_plan_person people[8];
	int group[8];
	(void)state;
	for (int i = 0; i < 8; i++)
		people[i] = (fs_plan_person){ 0, i / 2, 0, 0, -1 };
	assert_int_equal(fs_plan_groups(group, people, 8, 4, 1), FS_OK);
	for (int i = 0; i < 8; i += 2)
		assert_int_not_equal(group[i], group[i + 1]);
	assert_int_equal(fs_plan_groups(group, people, 8, 0, 1), FS_EINPUT);
}

/* ---- rotations ---- */

#define MAXG 8
#define MAXS 6
#define MAXW 6

struct instance {
	size_t G, S, W;
	long size[MAXG];
	long cap[MAXS];
	bool allowed[MAXS * MAXW];
	int K;
};

static fs_visit_problem
problem_of(const struct instance *x)
{
	fs_visit_problem p = { 0 };
	p.n_groups = x->G;
	p.n_sites = x->S;
	p.n_windows = x->W;
	p.group_size = x->size;
	p.site_capacity = x->cap;
	p.allowed = x->allowed;
	p.per_group = x->K;
	return p;
}

/* every constraint, from the definition */
static const char *
rotation_valid(const struct instance *x, const int *w_of)
{
	long load[MAXS][MAXW] = { { 0 } };
	for (size_t g = 0; g < x->G; g++) {
		bool window_used[MAXW] = { false };
		int visits = 0;
		for (size_t j = 0; j < x->S; j++) {
			int w = w_of[g * x->S + j];
			if (w < 0)
				continue;
			if ((size_t)w >= x->W)
				return "window out of range";
			if (window_used[w])
				return "a group in two sites in one window";
			if (!x->allowed[j * x->W + (size_t)w])
				return "a site used in a closed window";
			window_used[w] = true;
			load[j][w] += x->size[g];
			visits++;
		}
		if (visits != x->K)
			return "a group with the wrong number of visits";
	}
	for (size_t j = 0; j < x->S; j++)
		for (size_t w = 0; w < x->W; w++)
			if (x->cap[j] > 0 && load[j][w] > x->cap[j])
				return "a site over capacity";
	return NULL;
}

/* does any rotation exist?  group by group, each window a site or none */
static bool
brute(const struct instance *x, size_t g, size_t w, long load[MAXS][MAXW],
      bool visited[MAXG][MAXS], int visits[MAXG])
{
	if (g == x->G)
		return true;
	if (w == x->W) {
		if (visits[g] != x->K)
			return false;
		return brute(x, g + 1, 0, load, visited, visits);
	}
	if (brute(x, g, w + 1, load, visited, visits))
		return true;
	for (size_t j = 0; j < x->S; j++) {
		if (visited[g][j] || !x->allowed[j * x->W + w] ||
		    visits[g] == x->K ||
		    (x->cap[j] > 0 && load[j][w] + x->size[g] > x->cap[j]))
			continue;
		visited[g][j] = true;
		load[j][w] += x->size[g];
		visits[g]++;
		bool found = brute(x, g, w + 1, load, visited, visits);
		visited[g][j] = false;
		load[j][w] -= x->size[g];
		visits[g]--;
		if (found)
			return true;
	}
	return false;
}

static bool
rotation_exists(const struct instance *x)
{
	long load[MAXS][MAXW] = { { 0 } };
	bool visited[MAXG][MAXS] = { { false } };
	int visits[MAXG] = { 0 };
	return brute(x, 0, 0, load, visited, visits);
}

static void
random_instance(struct instance *x, bool closed_windows, bool equal_sizes)
{
	memset(x, 0, sizeof(*x));
	x->G = 1 + rnd(4);
	x->S = 1 + rnd(3);
	x->W = 1 + rnd(4);
	x->K = 1 + (int)rnd((unsigned)x->S);
	long base = 8 + rnd(6);
	for (size_t g = 0; g < x->G; g++)
		x->size[g] = equal_sizes ? base + (long)rnd(2)
					 : 3 + (long)rnd(12);
	for (size_t j = 0; j < x->S; j++)
		x->cap[j] = rnd(8) == 0 ? 0 : 6 + (long)rnd(30);
	for (size_t i = 0; i < x->S * x->W; i++)
		x->allowed[i] = !closed_windows || rnd(5) != 0;
}

static void
compare_with_brute_force(bool closed_windows, bool equal_sizes,
			 uint64_t first_seed)
{
	int found = 0, refused = 0;
	for (uint64_t s = first_seed; s < first_seed + 1500; s++) {
		struct instance x;
		int w_of[MAXG * MAXS];
		seed(s);
		random_instance(&x, closed_windows, equal_sizes);
		fs_visit_problem p = problem_of(&x);
		fs_err err = fs_plan_visits(w_of, &p, NULL);
		bool exists = rotation_exists(&x);
		if (err == FS_OK) {
			const char *why = rotation_valid(&x, w_of);
			if (why)
				fail_msg("seed %lu: %s", (unsigned long)s, why);
			found++;
		} else {
			assert_int_equal(err, FS_EINPUT);
			refused++;
		}
		if (exists != (err == FS_OK))
			fail_msg("seed %lu: brute force says %s, planner says "
				 "%s (%s)", (unsigned long)s,
				 exists ? "a rotation exists" : "none exists",
				 err ? "none" : "found", fs_errdetail());
	}
	/* the instances hit both answers */
	assert_true(found > 100);
	assert_true(refused > 100);
}

static void
test_visits_equal_sizes_open(void **state)
{
	(void)state;
	compare_with_brute_force(false, true, 1);
}

static void
test_visits_any_sizes_open(void **state)
{
	(void)state;
	compare_with_brute_force(false, false, 5001);
}

static void
test_visits_closed_windows(void **state)
{
	(void)state;
	compare_with_brute_force(true, false, 9001);
	compare_with_brute_force(true, true, 19001);
}

/* larger instances: every answer is valid; count capacities always solve
 * when the bounds hold */
static void
test_visits_large_valid(void **state)
{
	(void)state;
	for (uint64_t s = 1; s <= 40; s++) {
		size_t G, S, W;
		seed(77 + s);
		G = 5 + rnd(100);
		S = 2 + rnd(40);
		int K = 1 + (int)rnd((unsigned)S);
		long *size = malloc(G * sizeof(long));
		long *cap = malloc(S * sizeof(long));
		int *w_of = malloc(G * S * sizeof(int));
		for (size_t g = 0; g < G; g++)
			size[g] = 20 + (long)rnd(2);
		size_t *most = malloc(S * sizeof(size_t));
		/* m groups of 21 fit, m + 1 of 20 do not: a count */
		for (size_t j = 0; j < S; j++) {
			most[j] = 1 + rnd(4);
			cap[j] = (long)most[j] * 21 + (long)rnd(15);
		}
		W = (size_t)K + rnd(10);
		/* a rotation exists iff every k groups can get their k K
		 * visits from sites taking min(W m_j, k) of them */
		bool feasible = true;
		for (size_t k = 1; k <= G; k++) {
			size_t room = 0;
			for (size_t j = 0; j < S; j++)
				room += W * most[j] < k ? W * most[j] : k;
			if (room < k * (size_t)K)
				feasible = false;
		}
		free(most);
		fs_visit_problem p = { 0 };
		p.n_groups = G;
		p.n_sites = S;
		p.n_windows = W;
		p.group_size = size;
		p.site_capacity = cap;
		p.per_group = K;
		fs_visit_method method;
		fs_err err = fs_plan_visits(w_of, &p, &method);
		if (feasible != (err == FS_OK))
			fail_msg("seed %lu: expected %s: %s", (unsigned long)s,
				 feasible ? "a rotation" : "none",
				 fs_errdetail());
		if (err == FS_OK)
			assert_int_equal(method, FS_VISITS_COLOURING);
		if (err == FS_OK) {
			long *load = calloc(S * W, sizeof(long));
			for (size_t g = 0; g < G; g++) {
				int visits = 0;
				bool *used = calloc(W, sizeof(bool));
				for (size_t j = 0; j < S; j++) {
					int w = w_of[g * S + j];
					if (w < 0)
						continue;
					assert_true((size_t)w < W);
					assert_false(used[w]);
					used[w] = true;
					load[j * W + (size_t)w] += size[g];
					visits++;
				}
				assert_int_equal(visits, K);
				free(used);
			}
			for (size_t j = 0; j < S; j++)
				for (size_t w = 0; w < W; w++)
					assert_true(load[j * W + w] <= cap[j]);
			free(load);
		} else {
			assert_int_equal(err, FS_EINPUT);
		}
		free(size);
		free(cap);
		free(w_of);
	}
}

static void
test_visits_messages(void **state)
{
	static const char *const sites[] = { "Café Retorno", "IME" };
	long size[6] = { 22, 22, 22, 22, 22, 22 }, cap[2] = { 25, 100 };
	int w_of[12];
	fs_visit_problem p = { 0 };
	(void)state;
	p.n_groups = 6;
	p.n_sites = 2;
	p.n_windows = 4;
	p.group_size = size;
	p.site_capacity = cap;
	p.per_group = 2;
	p.site_names = sites;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_EINPUT);
	assert_string_equal(fs_errdetail(),
			    "too few windows: site 'Café Retorno' takes at "
			    "most 1 group per window (capacity 25, smallest "
			    "group 22); 6 groups need 6 windows there, only 4 "
			    "are open");
	p.n_windows = 1;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_EINPUT);
	assert_string_equal(fs_errdetail(),
			    "too few windows: each group visits 2 sites, one "
			    "per window, but only 1 window is given");
	p.n_windows = 6;
	cap[0] = 10;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_EINPUT);
	assert_string_equal(fs_errdetail(),
			    "too little capacity: site 'Café Retorno' takes "
			    "10 people at once, group 1 has 22, and every "
			    "group must visit every site");
	p.per_group = 1;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_OK);
	p.per_group = 3;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_EINPUT);
}

/* Uneven groups through every site: the search, on instances too big for
 * brute force; every rotation it returns is checked here. */
static void
test_visits_search_medium(void **state)
{
	int solved = 0;
	(void)state;
	for (uint64_t s = 1; s <= 60; s++) {
		size_t G, S, W;
		seed(90000 + s);
		G = 5 + rnd(60);
		S = 2 + rnd(12);
		W = S + rnd(6);
		long *size = malloc(G * sizeof(long));
		long *cap = malloc(S * sizeof(long));
		int *w_of = malloc(G * S * sizeof(int));
		long people = 0;
		for (size_t g = 0; g < G; g++)
			people += size[g] = 5 + (long)rnd(30);
		/* from tight to roomy: 1.0 to 1.6 times the people per
		 * window, and at least the largest group */
		for (size_t j = 0; j < S; j++)
			cap[j] = 35 + people * (10 + (long)rnd(7)) /
					      (10 * (long)W);
		fs_visit_problem p = { 0 };
		p.n_groups = G;
		p.n_sites = S;
		p.n_windows = W;
		p.group_size = size;
		p.site_capacity = cap;
		p.per_group = (int)S;
		p.node_limit = 200000;
		fs_err err = fs_plan_visits(w_of, &p, NULL);
		if (err == FS_OK) {
			long *load = calloc(S * W, sizeof(long));
			for (size_t g = 0; g < G; g++) {
				bool *used = calloc(W, sizeof(bool));
				for (size_t j = 0; j < S; j++) {
					int w = w_of[g * S + j];
					assert_true(w >= 0 && (size_t)w < W);
					assert_false(used[w]);
					used[w] = true;
					load[j * W + (size_t)w] += size[g];
				}
				free(used);
			}
			for (size_t k = 0; k < S * W; k++)
				assert_true(load[k] <= cap[k / W]);
			free(load);
			solved++;
		} else {
			assert_int_equal(err, FS_EINPUT);
		}
		free(size);
		free(cap);
		free(w_of);
	}
	assert_true(solved >= 20);
}

/* The search says when it gave up, and does not guess. */
static void
test_visits_search_limit(void **state)
{
	/* sizes that make capacity more than a count: 13 + 11 fit in 25,
	 * 13 + 13 do not, so the four groups never split in two pairs
	 * that fit, though 50 people fit in 2 x 25 */
	long size[4] = { 13, 13, 13, 11 }, cap[2] = { 25, 25 };
	int w_of[8];
	fs_visit_method method;
	fs_visit_problem p = { 0 };
	(void)state;
	p.n_groups = 4;
	p.n_sites = 2;
	p.n_windows = 2;
	p.group_size = size;
	p.site_capacity = cap;
	p.per_group = 2;
	p.node_limit = 1;
	assert_int_equal(fs_plan_visits(w_of, &p, &method), FS_EINPUT);
	assert_int_equal(method, FS_VISITS_SEARCH);
	assert_string_equal(fs_errdetail(),
			    "no rotation found in 1 search steps, and none "
			    "ruled out: add windows or capacity, or lower "
			    "--per-group");
	p.node_limit = 0;
	assert_int_equal(fs_plan_visits(w_of, &p, &method), FS_EINPUT);
	assert_string_equal(fs_errdetail(),
			    "no rotation exists: every way of placing the 4 "
			    "groups in 2 windows leaves a site over capacity, "
			    "closed, or a group short of 2 visits");
	size[2] = 10; /* 13 + 11 and 13 + 10: now one exists */
	assert_int_equal(fs_plan_visits(w_of, &p, &method), FS_OK);
	assert_int_equal(method, FS_VISITS_SEARCH);
}

/* Aligning a rotation with a renumbered copy of itself gives the copy
 * back: every visit keeps its window.  Aligning never breaks a rotation. */
static void
test_visits_align(void **state)
{
	(void)state;
	for (uint64_t s = 1; s <= 200; s++) {
		struct instance x;
		int w_of[MAXG * MAXS], previous[MAXG * MAXS], perm[MAXW];
		seed(40000 + s);
		random_instance(&x, false, true);
		fs_visit_problem p = problem_of(&x);
		if (fs_plan_visits(w_of, &p, NULL) != FS_OK)
			continue;
		for (size_t w = 0; w < x.W; w++)
			perm[w] = (int)w;
		for (size_t w = x.W; w > 1; w--) {
			size_t k = rnd((unsigned)w);
			int t = perm[w - 1];
			perm[w - 1] = perm[k];
			perm[k] = t;
		}
		for (size_t k = 0; k < x.G * x.S; k++)
			previous[k] = w_of[k] < 0 ? -1 : perm[w_of[k]];
		assert_int_equal(fs_visit_align(w_of, previous, &p), FS_OK);
		assert_memory_equal(w_of, previous, x.G * x.S * sizeof(int));
		assert_null(rotation_valid(&x, w_of));
		/* with closed windows nothing is renumbered */
		random_instance(&x, true, false);
		p = problem_of(&x);
		if (fs_plan_visits(w_of, &p, NULL) != FS_OK)
			continue;
		memcpy(previous, w_of, sizeof(previous));
		for (size_t k = 0; k < x.G * x.S; k++)
			previous[k] = w_of[k] < 0 ? -1 : (w_of[k] + 1) % (int)x.W;
		int before[MAXG * MAXS];
		memcpy(before, w_of, sizeof(before));
		assert_int_equal(fs_visit_align(w_of, previous, &p), FS_OK);
		assert_null(rotation_valid(&x, w_of));
		bool all_open = true;
		for (size_t i = 0; i < x.S * x.W; i++)
			all_open &= x.allowed[i];
		if (!all_open)
			assert_memory_equal(w_of, before,
					    x.G * x.S * sizeof(int));
	}
}

/* ---- travel between windows and a group's own items ---- */

struct limited {
	struct instance x;
	int gap[MAXW * MAXW];
	int trip[MAXS * MAXS];
	bool group_allowed[MAXG * MAXS * MAXW];
};

static bool
limited_fits(const struct limited *l, const int *w_of, size_t g, size_t j,
	     size_t w)
{
	const struct instance *x = &l->x;
	if (!x->allowed[j * x->W + w] ||
	    !l->group_allowed[(g * x->S + j) * x->W + w])
		return false;
	for (size_t k = 0; k < x->S; k++) {
		int v = w_of[g * x->S + k];
		int gap;
		if (k == j || v < 0)
			continue;
		gap = l->gap[w * x->W + (size_t)v];
		if (gap >= 0 && gap < l->trip[j * x->S + k])
			return false;
	}
	return true;
}

static bool
limited_brute(const struct limited *l, size_t g, size_t w,
	      long load[MAXS][MAXW], int *w_of, int visits[MAXG])
{
	const struct instance *x = &l->x;
	if (g == x->G)
		return true;
	if (w == x->W)
		return visits[g] == x->K &&
		       limited_brute(l, g + 1, 0, load, w_of, visits);
	if (limited_brute(l, g, w + 1, load, w_of, visits))
		return true;
	for (size_t j = 0; j < x->S; j++) {
		bool found;
		if (w_of[g * x->S + j] >= 0 || visits[g] == x->K ||
		    !limited_fits(l, w_of, g, j, w) ||
		    (x->cap[j] > 0 && load[j][w] + x->size[g] > x->cap[j]))
			continue;
		w_of[g * x->S + j] = (int)w;
		load[j][w] += x->size[g];
		visits[g]++;
		found = limited_brute(l, g, w + 1, load, w_of, visits);
		w_of[g * x->S + j] = -1;
		load[j][w] -= x->size[g];
		visits[g]--;
		if (found)
			return true;
	}
	return false;
}

/* Random small instances with travel limits between windows and groups
 * kept out of some windows: the planner finds a rotation exactly when
 * brute force does, and each one it returns obeys every limit. */
static void
test_visits_travel_between_windows(void **state)
{
	int found = 0, refused = 0;
	(void)state;
	for (uint64_t s = 1; s <= 1500; s++) {
		struct limited l;
		long load[MAXS][MAXW] = { { 0 } };
		int w_of[MAXG * MAXS], scratch[MAXG * MAXS], visits[MAXG] = { 0 };
		fs_visit_problem p;
		fs_err err;
		bool exists;
		seed(77000 + s);
		random_instance(&l.x, s % 3 == 0, s % 2 == 0);
		for (size_t w = 0; w < l.x.W; w++)
			for (size_t v = w; v < l.x.W; v++)
				l.gap[w * l.x.W + v] = l.gap[v * l.x.W + w] =
					v == w || rnd(3) == 0 ? -1
							      : (int)rnd(40);
		for (size_t j = 0; j < l.x.S; j++)
			for (size_t k = j; k < l.x.S; k++)
				l.trip[j * l.x.S + k] = l.trip[k * l.x.S + j] =
					j == k ? 0 : (int)rnd(40);
		for (size_t i = 0; i < l.x.G * l.x.S * l.x.W; i++)
			l.group_allowed[i] = s % 4 == 0 || rnd(6) != 0;
		for (size_t i = 0; i < MAXG * MAXS; i++)
			scratch[i] = -1;
		exists = limited_brute(&l, 0, 0, load, scratch, visits);
		p = problem_of(&l.x);
		p.window_gap = l.gap;
		p.site_trip = l.trip;
		p.group_allowed = l.group_allowed;
		err = fs_plan_visits(w_of, &p, NULL);
		if (exists != (err == FS_OK))
			fail_msg("seed %llu: brute force says %d, planner %d: "
				 "%s", (unsigned long long)s, exists, err,
				 fs_errdetail());
		if (err)
			continue;
		found++;
		assert_null(rotation_valid(&l.x, w_of));
		assert_true(fs_visit_rotation_valid(w_of, &p));
		for (size_t g = 0; g < l.x.G; g++)
			for (size_t j = 0; j < l.x.S; j++) {
				int w = w_of[g * l.x.S + j];
				if (w >= 0)
					assert_true(limited_fits(&l, w_of, g,
								 j, (size_t)w));
			}
	}
	refused = 1500 - found;
	assert_true(found > 100);
	assert_true(refused > 100);
}

/* Two sites far apart, two back-to-back windows: every group must visit
 * both, which it cannot; one each works, and a valid rotation that
 * breaks the travel limit is not valid. */
static void
test_visits_back_to_back(void **state)
{
	long size[2] = { 2, 2 }, cap[2] = { 5, 5 };
	int gap[4] = { -1, 0, 0, -1 }, trip[4] = { 0, 34, 34, 0 };
	int w_of[4], bad[4] = { 0, 1, 1, 0 };
	fs_visit_problem p = { 0 };
	(void)state;
	p.n_groups = 2;
	p.n_sites = 2;
	p.n_windows = 2;
	p.group_size = size;
	p.site_capacity = cap;
	p.per_group = 2;
	assert_true(fs_visit_rotation_valid(bad, &p));
	p.window_gap = gap;
	p.site_trip = trip;
	assert_false(fs_visit_rotation_valid(bad, &p));
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_EINPUT);
	p.per_group = 1;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_OK);
	assert_true(fs_visit_rotation_valid(w_of, &p));
	/* enough time between the windows: both sites again */
	gap[1] = gap[2] = 34;
	p.per_group = 2;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_OK);
	assert_true(fs_visit_rotation_valid(w_of, &p));
}

/* The shape of bench/plan.sh's `plan visits` with 40 windows: 100 groups
 * of 25 and 40 sites for 80 people, 4 days of 10 one-hour windows with 10
 * minutes between them, every trip longer than that.  No group can use
 * two windows in a row, so at most 20 of the 40: the bound refuses it
 * at once (it used to run out of search steps).  With an hour between
 * windows, the rotation exists and is found; every group can also visit
 * 20 sites, one window in two. */
static void
test_visits_bench_shape(void **state)
{
	enum { G = 100, S = 40, W = 40 };
	static long size[G], cap[S];
	static int gap[W * W], trip[S * S], w_of[G * S];
	fs_visit_problem p = { 0 };
	fs_visit_method method;
	(void)state;
	seed(4040);
	for (size_t g = 0; g < G; g++)
		size[g] = 25;
	for (size_t j = 0; j < S; j++)
		cap[j] = 80;
	for (size_t j = 0; j < S; j++)
		for (size_t k = j; k < S; k++)
			trip[j * S + k] = trip[k * S + j] =
				j == k ? 0 : 16 + (int)rnd(20);
	for (size_t w = 0; w < W; w++)
		for (size_t x = 0; x < W; x++)
			gap[w * W + x] = w == x || w / 10 != x / 10
						 ? -1
						 : 60 * abs((int)x - (int)w) - 50;
	p.n_groups = G;
	p.n_sites = S;
	p.n_windows = W;
	p.group_size = size;
	p.site_capacity = cap;
	p.window_gap = gap;
	p.site_trip = trip;
	p.per_group = S;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_EINPUT);
	assert_non_null(strstr(fs_errdetail(), "too little time between "
				"windows: group 1 can be at a site in at most "
				"20 of its 40 usable windows"));
	p.per_group = 21;
	assert_int_equal(fs_plan_visits(w_of, &p, NULL), FS_EINPUT);
	assert_non_null(strstr(fs_errdetail(), "at most 20 of its 40"));
	/* an hour between windows: every trip fits, the colouring answers */
	for (size_t w = 0; w < W; w++)
		for (size_t x = 0; x < W; x++)
			if (gap[w * W + x] >= 0)
				gap[w * W + x] += 50;
	p.per_group = S;
	assert_int_equal(fs_plan_visits(w_of, &p, &method), FS_OK);
	assert_int_equal(method, FS_VISITS_COLOURING);
	assert_true(fs_visit_rotation_valid(w_of, &p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_fewest_moves),
		cmocka_unit_test(test_groups_large_random),
		cmocka_unit_test(test_groups_mix_organizations),
		cmocka_unit_test(test_visits_equal_sizes_open),
		cmocka_unit_test(test_visits_any_sizes_open),
		cmocka_unit_test(test_visits_closed_windows),
		cmocka_unit_test(test_visits_large_valid),
		cmocka_unit_test(test_visits_messages),
		cmocka_unit_test(test_visits_search_medium),
		cmocka_unit_test(test_visits_search_limit),
		cmocka_unit_test(test_visits_align),
		cmocka_unit_test(test_visits_travel_between_windows),
		cmocka_unit_test(test_visits_back_to_back),
		cmocka_unit_test(test_visits_bench_shape),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
