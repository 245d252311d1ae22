/*
 * plan_groups.c - site-visit groups, on arrays.
 *
 * GROUPS.  n people, G groups, category c holding n_c people.  Write
 * f_c = n_c div G and r_c = n_c mod G.  "Sizes differ by at most one and
 * every category's counts per group differ by at most one" means: group g
 * gets t[g][c] = f_c + x[c][g] people of category c, with x a 0/1 matrix
 * whose row c has r_c ones (which groups get one more of c) and whose
 * column sums e_g differ by at most one (R = sum r_c extras, so q = R div G
 * per group and s = R mod G groups with q + 1).  Such an x always exists
 * (deal the people, sorted by category, round-robin).  A person of
 * category c now in group g can stay when t[g][c] leaves room, so the
 * number who stay is sum min(cur[g][c], t[g][c]); it grows by one exactly
 * when an extra of c goes to a group with cur[g][c] > f_c.  Choosing x is
 * therefore a min-cost flow: source -> category c (capacity r_c) ->
 * group g (capacity 1, cost 0 if cur[g][c] > f_c else 1) -> sink
 * (capacity q, plus 1 through a hub of capacity s).  A flow of value R of
 * least cost keeps the most people: the fewest moves, exactly.  It is
 * solved by primal-dual (Dijkstra with potentials, then a blocking flow on
 * the zero-reduced-cost edges); costs are 0/1, so there are few phases.
 * Who stays in an over-full cell is the first in input order (the caller
 * sorts by ref); everyone else (new, moved) is dealt into the remaining
 * room of their category, sorted by organization, country and language,
 * each to the group with room whose members share the least with them
 * (organization first, then country and language), looking at up to 64
 * groups from a rotating start: a greedy second aim, not an optimum.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

/* counts of (group, value) pairs, an open-addressing table */
struct pair_counts {
	uint64_t *keys;
	int *counts;
	size_t cap;
};

static uint64_t
pair_key(int group, int value)
{
	return ((uint64_t)(uint32_t)group << 32 | (uint32_t)value) + 1;
}

static int *
pair_slot(struct pair_counts *t, int group, int value)
{
	uint64_t key = pair_key(group, value);
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (t->cap - 1);
	while (t->keys[i] && t->keys[i] != key)
		i = (i + 1) & (t->cap - 1);
	if (!t->keys[i])
		t->keys[i] = key;
	return &t->counts[i];
}

/* a lookup that adds nothing: the table holds only pairs that occur */
static int
pair_get(const struct pair_counts *t, int group, int value)
{
	uint64_t key = pair_key(group, value);
	size_t i = (size_t)((key * 0x9E3779B97F4A7C15ull) >> 20) & (t->cap - 1);
	if (value < 0)
		return 0;
	while (t->keys[i] && t->keys[i] != key)
		i = (i + 1) & (t->cap - 1);
	return t->keys[i] ? t->counts[i] : 0;
}

static fs_err
pair_init(struct pair_counts *t, size_t n)
{
	t->cap = 16;
	while (t->cap < 2 * n + 16)
		t->cap *= 2;
	t->keys = calloc(t->cap, sizeof(uint64_t));
	t->counts = calloc(t->cap, sizeof(int));
	return t->keys && t->counts ? FS_OK
				    : fs_fail(FS_ENOMEM, "out of memory");
}

static void
pair_release(struct pair_counts *t)
{
	free(t->keys);
	free(t->counts);
}

static int
pool_cmp(const void *a, const void *b, void *ctx)
{
	const fs_plan_person *people = ctx;
	int x = *(const int *)a, y = *(const int *)b;
	const fs_plan_person *p = &people[x], *q = &people[y];
	if (p->category != q->category)
		return p->category < q->category ? -1 : 1;
	if (p->organization != q->organization)
		return p->organization < q->organization ? -1 : 1;
	if (p->country != q->country)
		return p->country < q->country ? -1 : 1;
	if (p->language != q->language)
		return p->language < q->language ? -1 : 1;
	return x - y;
}

/* Counts of (group, organization), (group, country), (group, language):
 * what the people dealt so far share with each group. */
struct mixing {
	struct pair_counts orgs, countries, languages;
};

static void
mixing_add(struct mixing *m, const fs_plan_person *p, int g)
{
	if (p->organization >= 0)
		(*pair_slot(&m->orgs, g, p->organization))++;
	if (p->country >= 0)
		(*pair_slot(&m->countries, g, p->country))++;
	if (p->language >= 0)
		(*pair_slot(&m->languages, g, p->language))++;
}

/* One call of fs_plan_groups(): G groups and C categories, the last for
 * the people without one; cells are group x category. */
struct grouping {
	const fs_plan_person *people;
	size_t n, G, C;
	int n_groups, n_categories;
	long *n_cat; /* per category: its people */
	long *cur;   /* per cell: the people now in it */
	long *room;  /* per cell: its target, then the room left in it */
	int *pool;   /* the people to deal: new, or moved */
	size_t n_pool;
};

/* category index C - 1 holds people without a category */
static size_t
category_of(const struct grouping *z, const fs_plan_person *p)
{
	return (size_t)(p->category >= 0 && p->category < z->n_categories
				? p->category
				: z->n_categories);
}

/* room = each cell's target t[g][c]: f_c, plus one where the min-cost
 * flow sends one of the r_c extras of c. */
static fs_err
cell_targets(struct grouping *z)
{
	size_t G = z->G, C = z->C;
	const long *n_cat = z->n_cat, *cur = z->cur;
	struct network net = { 0 };
	int *x_edge = malloc(G * C * sizeof(int));
	/* the flow: 0 source, 1..C categories, C+1..C+G groups, hub, sink */
	int s = 0, hub = (int)(C + G + 1), t = (int)(C + G + 2);
	long R = 0, q, extra;
	fs_err err = FS_OK;

	if (!x_edge) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	net.n = t + 1;
	for (size_t c = 0; c < C; c++) {
		long r = n_cat[c] % (long)G;
		R += r;
		if (r && (err = net_add(&net, s, (int)c + 1, r, 0, NULL)))
			goto done;
		for (size_t g = 0; g < G; g++) {
			x_edge[g * C + c] = -1;
			if (!r)
				continue;
			if ((err = net_add(&net, (int)c + 1, (int)(C + 1 + g),
					   1,
					   cur[g * C + c] > n_cat[c] / (long)G
						   ? 0 : 1,
					   &x_edge[g * C + c])))
				goto done;
		}
	}
	q = R / (long)G;
	extra = R % (long)G;
	for (size_t g = 0; g < G; g++) {
		if (q && (err = net_add(&net, (int)(C + 1 + g), t, q, 0, NULL)))
			goto done;
		if (extra && (err = net_add(&net, (int)(C + 1 + g), hub, 1, 0,
					    NULL)))
			goto done;
	}
	if (extra && (err = net_add(&net, hub, t, extra, 0, NULL)))
		goto done;
	if ((err = net_finish(&net)))
		goto done;
	if (net_min_cost_flow(&net, s, t, R) != R) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t g = 0; g < G; g++)
		for (size_t c = 0; c < C; c++) {
			int e = x_edge[g * C + c];
			z->room[g * C + c] = n_cat[c] / (long)G +
					     (e >= 0 && net.edges[e].cap == 0);
		}
done:
	net_release(&net);
	free(x_edge);
	return err;
}

/* The position in the ring r (n groups, looked at from at on) of the
 * group, among the next 64, whose members share the fewest organizations
 * with p, then the fewest countries and languages. */
static size_t
least_shared(const struct mixing *m, const fs_plan_person *p, const int *r,
	     size_t n, size_t at)
{
	size_t best = 0, look = n < 64 ? n : 64;
	long best_org = LONG_MAX, best_other = LONG_MAX;

	for (size_t j = 0; j < look; j++) {
		size_t pos = (at + j) % n;
		int g = r[pos];
		long org = pair_get(&m->orgs, g, p->organization);
		long other = pair_get(&m->countries, g, p->country) +
			     pair_get(&m->languages, g, p->language);
		if (org < best_org || (org == best_org && other < best_other)) {
			best = pos;
			best_org = org;
			best_other = other;
		}
	}
	return best;
}

/* The pool: dealt into the room left, mixing attributes.  Per category,
 * a ring of the groups with room, each person to the best of the next
 * 64, the ring then turning past it. */
static fs_err
deal_pool(struct grouping *z, int *group_out)
{
	size_t G = z->G, C = z->C;
	struct mixing mix = { 0 };
	int *ring = NULL;
	size_t *ring_n = NULL, *ring_at = NULL;
	fs_err err;

	if ((err = pair_init(&mix.orgs, z->n)) ||
	    (err = pair_init(&mix.countries, z->n)) ||
	    (err = pair_init(&mix.languages, z->n)))
		goto done;
	for (size_t i = 0; i < z->n; i++)
		if (group_out[i] >= 0)
			mixing_add(&mix, &z->people[i], group_out[i]);
	qsort_r(z->pool, z->n_pool, sizeof(int), pool_cmp, (void *)z->people);
	ring = malloc((G * C + 1) * sizeof(int));
	ring_n = calloc(C, sizeof(size_t));
	ring_at = calloc(C, sizeof(size_t));
	if (!ring || !ring_n || !ring_at) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t c = 0; c < C; c++)
		for (size_t g = 0; g < G; g++)
			if (z->room[g * C + c] > 0)
				ring[c * G + ring_n[c]++] = (int)g;
	for (size_t k = 0; k < z->n_pool; k++) {
		const fs_plan_person *p = &z->people[z->pool[k]];
		size_t c = category_of(z, p);
		int *r = &ring[c * G];
		size_t best;
		int g;

		if (!ring_n[c]) /* cannot be: the room left in c fits its pool */
			continue;
		best = least_shared(&mix, p, r, ring_n[c], ring_at[c]);
		g = r[best];
		group_out[z->pool[k]] = g;
		mixing_add(&mix, p, g);
		if (--z->room[(size_t)g * C + c] == 0) {
			/* drop g from the ring, keeping its order */
			memmove(&r[best], &r[best + 1],
				(ring_n[c] - best - 1) * sizeof(int));
			ring_n[c]--;
			ring_at[c] = ring_n[c] ? best % ring_n[c] : 0;
		} else {
			ring_at[c] = ring_n[c] ? (best + 1) % ring_n[c] : 0;
		}
	}
done:
	pair_release(&mix.orgs);
	pair_release(&mix.countries);
	pair_release(&mix.languages);
	free(ring);
	free(ring_n);
	free(ring_at);
	return err;
}

fs_err
fs_plan_groups(int *group_out, const fs_plan_person *people, size_t n,
	       int n_groups, int n_categories)
{
	struct grouping z = { .people = people,
			      .n = n,
			      .G = (size_t)n_groups,
			      .C = (size_t)(n_categories + 1),
			      .n_groups = n_groups,
			      .n_categories = n_categories };
	fs_err err = FS_OK;

	if (n_groups < 1)
		return fs_fail(FS_EINPUT, "give at least one group");
	z.n_cat = calloc(z.C, sizeof(long));
	z.cur = calloc(z.G * z.C, sizeof(long));
	z.room = calloc(z.G * z.C, sizeof(long));
	z.pool = malloc((n + 1) * sizeof(int));
	if (!z.n_cat || !z.cur || !z.room || !z.pool) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n; i++) {
		const fs_plan_person *p = &people[i];
		size_t c = category_of(&z, p);
		z.n_cat[c]++;
		if (p->group >= 0 && p->group < n_groups)
			z.cur[(size_t)p->group * z.C + c]++;
	}
	if ((err = cell_targets(&z)))
		goto done;
	/* who stays: the first of each cell, up to its target */
	for (size_t i = 0; i < n; i++) {
		const fs_plan_person *p = &people[i];
		size_t cell = (size_t)p->group * z.C + category_of(&z, p);
		if (p->group >= 0 && p->group < n_groups && z.room[cell] > 0) {
			z.room[cell]--;
			group_out[i] = p->group;
		} else {
			group_out[i] = -1;
			z.pool[z.n_pool++] = (int)i;
		}
	}
	err = deal_pool(&z, group_out);
done:
	free(z.n_cat);
	free(z.cur);
	free(z.room);
	free(z.pool);
	return err;
}
