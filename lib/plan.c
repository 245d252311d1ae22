/*
 * plan.c - site-visit groups and rotations, on arrays.
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
 *
 * ROTATIONS.  G groups of sizes s_g, S sites of capacities c_j, W windows,
 * each group to visit K distinct sites in distinct windows, a site never
 * over capacity in a window.  First the bounds that make it impossible,
 * each with its own message: K > W, or K > the windows in which some site
 * is open (reachable in time); a group that fits in fewer than K
 * sites; when K = S, a site smaller than some group, or a site j that can
 * hold at most m_j groups at once (the most of the smallest groups that
 * fit) with m_j x W_j < G (W_j: windows the site is open in), or whose
 * capacity times W_j is less than all the groups' people; in total,
 * sum m_j W_j < G K.
 *
 * Then, when capacity is a count -- every site takes any m_j groups at
 * once and never m_j + 1 (true when group sizes differ by at most one, as
 * plan groups makes them, unless a capacity falls in between) -- and every
 * site is open in every window, the problem is exactly a bipartite edge
 * colouring: choose which sites each group visits by a max flow (group ->
 * site capacity 1, site -> sink capacity W m_j; a rotation exists iff the
 * flow reaches G K; when K < S, the k-th visit of a site costs k and the
 * flow is of least cost, which spreads the visits evenly over the
 * sites), split each site into m_j parallel slots sharing its groups
 * round-robin (a slot gets at most W), and colour the edges of the
 * groups x slots graph with W colours -- the windows.  König's theorem
 * says W colours suffice when no node has more than W edges, and the
 * alternating-path construction finds them in O(E V).  Every rotation
 * corresponds to such a flow, so this is exact: it fails only when the
 * flow does, and then no rotation exists.
 *
 * Otherwise (sizes for which capacity is not a count, sites closed in some
 * windows, such as by travel time, or limits of one group: windows it is
 * kept out of, and pairs of windows too close together for the trip
 * between two sites), it is an exact backtracking search; the group
 * limits are checked against the group's visits placed so far, and the
 * windows left to each visit are counted again for that group.
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
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/plan.h"

/* ---- flow networks: Dinic for max flow, primal-dual for min cost ---- */

struct edge {
	int to;
	long cap;
	long cost;
};

struct network {
	int n;
	struct edge *edges;  /* edge i and i ^ 1 are a pair */
	int n_edges, cap_edges;
	int *head_count;     /* adjacency in CSR form, built by finish() */
	int *adj_start, *adj;
	int *level, *it, *queue;
	long *dist, *pot;
};

static void
net_release(struct network *g)
{
	free(g->edges);
	free(g->adj_start);
	free(g->adj);
	free(g->level);
	free(g->it);
	free(g->queue);
	free(g->dist);
	free(g->pot);
	memset(g, 0, sizeof(*g));
}

static int
from_of(const struct network *g, int e)
{
	return g->edges[e ^ 1].to;
}

static fs_err
net_add(struct network *g, int from, int to, long cap, long cost, int *id)
{
	if (g->n_edges + 2 > g->cap_edges) {
		int cap_edges = g->cap_edges ? g->cap_edges * 2 : 256;
		struct edge *grown = realloc(g->edges,
					     (size_t)cap_edges * sizeof(*grown));
		if (!grown)
			return fs_fail(FS_ENOMEM, "out of memory");
		g->edges = grown;
		g->cap_edges = cap_edges;
	}
	if (id)
		*id = g->n_edges;
	g->edges[g->n_edges++] = (struct edge){ to, cap, cost };
	g->edges[g->n_edges++] = (struct edge){ from, 0, -cost };
	return FS_OK;
}

static fs_err
net_finish(struct network *g)
{
	size_t n = (size_t)g->n + 1;
	g->adj_start = calloc(n + 1, sizeof(int));
	g->adj = malloc(((size_t)g->n_edges + 1) * sizeof(int));
	g->level = malloc(n * sizeof(int));
	g->it = malloc(n * sizeof(int));
	g->queue = malloc(n * sizeof(int));
	g->dist = malloc(n * sizeof(long));
	g->pot = calloc(n, sizeof(long));
	if (!g->adj_start || !g->adj || !g->level || !g->it || !g->queue ||
	    !g->dist || !g->pot)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (int e = 0; e < g->n_edges; e++)
		g->adj_start[from_of(g, e) + 1]++;
	for (int v = 0; v < g->n; v++)
		g->adj_start[v + 1] += g->adj_start[v];
	{
		int *fill = g->it;
		for (int v = 0; v < g->n; v++)
			fill[v] = g->adj_start[v];
		for (int e = 0; e < g->n_edges; e++)
			g->adj[fill[from_of(g, e)]++] = e;
	}
	return FS_OK;
}

/* Is e usable in this phase: residual capacity, and for min cost, zero
 * reduced cost. */
static bool
admissible(const struct network *g, int e, bool costs)
{
	const struct edge *x = &g->edges[e];
	if (x->cap <= 0)
		return false;
	return !costs ||
	       x->cost + g->pot[from_of(g, e)] - g->pot[x->to] == 0;
}

static bool
bfs_levels(struct network *g, int s, int t, bool costs)
{
	int head = 0, tail = 0;
	for (int v = 0; v < g->n; v++)
		g->level[v] = -1;
	g->level[s] = 0;
	g->queue[tail++] = s;
	while (head < tail) {
		int v = g->queue[head++];
		for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
			int e = g->adj[i], w = g->edges[e].to;
			if (g->level[w] < 0 && admissible(g, e, costs)) {
				g->level[w] = g->level[v] + 1;
				g->queue[tail++] = w;
			}
		}
	}
	return g->level[t] >= 0;
}

static long
dfs_push(struct network *g, int v, int t, long limit, bool costs)
{
	if (v == t)
		return limit;
	for (; g->it[v] < g->adj_start[v + 1]; g->it[v]++) {
		int e = g->adj[g->it[v]], w = g->edges[e].to;
		long got;
		if (g->level[w] != g->level[v] + 1 || !admissible(g, e, costs))
			continue;
		got = dfs_push(g, w, t,
			       limit < g->edges[e].cap ? limit
						       : g->edges[e].cap,
			       costs);
		if (got > 0) {
			g->edges[e].cap -= got;
			g->edges[e ^ 1].cap += got;
			return got;
		}
	}
	return 0;
}

/* Dinic on the admissible edges; returns the flow pushed. */
static long
blocking_flows(struct network *g, int s, int t, long want, bool costs)
{
	long total = 0;
	while (total < want && bfs_levels(g, s, t, costs)) {
		long got;
		for (int v = 0; v < g->n; v++)
			g->it[v] = g->adj_start[v];
		while (total < want &&
		       (got = dfs_push(g, s, t, want - total, costs)) > 0)
			total += got;
	}
	return total;
}

/* Dijkstra on reduced costs (non-negative); updates potentials.  Returns
 * whether t is reachable. */
static bool
dijkstra(struct network *g, int s, int t)
{
	const long inf = LONG_MAX / 4;
	bool *done = calloc((size_t)g->n, sizeof(bool));
	if (!done)
		return false;
	for (int v = 0; v < g->n; v++)
		g->dist[v] = inf;
	g->dist[s] = 0;
	/* O(V^2 + E): the networks here have at most a few thousand nodes */
	for (;;) {
		int v = -1;
		for (int w = 0; w < g->n; w++)
			if (!done[w] && g->dist[w] < inf &&
			    (v < 0 || g->dist[w] < g->dist[v]))
				v = w;
		if (v < 0)
			break;
		done[v] = true;
		for (int i = g->adj_start[v]; i < g->adj_start[v + 1]; i++) {
			int e = g->adj[i], w = g->edges[e].to;
			long d;
			if (g->edges[e].cap <= 0)
				continue;
			d = g->dist[v] + g->edges[e].cost + g->pot[v] -
			    g->pot[w];
			if (d < g->dist[w])
				g->dist[w] = d;
		}
	}
	free(done);
	if (g->dist[t] >= inf)
		return false;
	/* h += min(d, d[t]): reduced costs stay non-negative and the
	 * shortest paths to t are made of zero-cost edges */
	for (int v = 0; v < g->n; v++)
		g->pot[v] += g->dist[v] < g->dist[t] ? g->dist[v] : g->dist[t];
	return true;
}

/* Min-cost flow of value want from s to t with non-negative costs; returns
 * the flow reached. */
static long
min_cost_flow(struct network *g, int s, int t, long want)
{
	long total = 0;
	while (total < want && dijkstra(g, s, t)) {
		long got = blocking_flows(g, s, t, want - total, true);
		if (got == 0)
			break;
		total += got;
	}
	return total;
}

/* ---- groups ---- */

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

fs_err
fs_plan_groups(int *group_out, const fs_plan_person *people, size_t n,
	       int n_groups, int n_categories)
{
	size_t G = (size_t)n_groups, C = (size_t)(n_categories + 1);
	long *n_cat = NULL, *cur = NULL, *target = NULL, *room = NULL;
	int *pool = NULL, *x_edge = NULL, *ring = NULL;
	size_t *ring_n = NULL, *ring_at = NULL, n_pool = 0;
	struct network net = { 0 };
	struct pair_counts orgs = { 0 }, countries = { 0 }, languages = { 0 };
	long R = 0;
	fs_err err = FS_OK;

	if (n_groups < 1)
		return fs_fail(FS_EINPUT, "give at least one group");
	/* category index C - 1 holds people without a category */
	n_cat = calloc(C, sizeof(long));
	cur = calloc(G * C, sizeof(long));
	target = calloc(G * C, sizeof(long));
	room = calloc(G * C, sizeof(long));
	x_edge = malloc(G * C * sizeof(int));
	pool = malloc((n + 1) * sizeof(int));
	if (!n_cat || !cur || !target || !room || !x_edge || !pool) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
#define CAT(p) ((size_t)((p)->category >= 0 && (p)->category < n_categories \
			 ? (p)->category : n_categories))
	for (size_t i = 0; i < n; i++) {
		const fs_plan_person *p = &people[i];
		n_cat[CAT(p)]++;
		if (p->group >= 0 && p->group < n_groups)
			cur[(size_t)p->group * C + CAT(p)]++;
	}
	/* the flow: 0 source, 1..C categories, C+1..C+G groups, hub, sink */
	{
		int s = 0, hub = (int)(C + G + 1), t = (int)(C + G + 2);
		long q, extra;
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
				if ((err = net_add(&net, (int)c + 1,
						   (int)(C + 1 + g), 1,
						   cur[g * C + c] >
							   n_cat[c] / (long)G
							   ? 0 : 1,
						   &x_edge[g * C + c])))
					goto done;
			}
		}
		q = R / (long)G;
		extra = R % (long)G;
		for (size_t g = 0; g < G; g++) {
			if (q && (err = net_add(&net, (int)(C + 1 + g), t, q, 0,
						NULL)))
				goto done;
			if (extra && (err = net_add(&net, (int)(C + 1 + g), hub,
						    1, 0, NULL)))
				goto done;
		}
		if (extra && (err = net_add(&net, hub, t, extra, 0, NULL)))
			goto done;
		if ((err = net_finish(&net)))
			goto done;
		if (min_cost_flow(&net, s, t, R) != R) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
	}
	for (size_t g = 0; g < G; g++)
		for (size_t c = 0; c < C; c++) {
			int e = x_edge[g * C + c];
			target[g * C + c] = n_cat[c] / (long)G +
					    (e >= 0 && net.edges[e].cap == 0);
			room[g * C + c] = target[g * C + c];
		}
	/* who stays: the first of each cell, up to its target */
	for (size_t i = 0; i < n; i++) {
		const fs_plan_person *p = &people[i];
		size_t cell = (size_t)p->group * C + CAT(p);
		if (p->group >= 0 && p->group < n_groups && room[cell] > 0) {
			room[cell]--;
			group_out[i] = p->group;
		} else {
			group_out[i] = -1;
			pool[n_pool++] = (int)i;
		}
	}
	/* the others: dealt into the room left, mixing attributes */
	if ((err = pair_init(&orgs, n)) || (err = pair_init(&countries, n)) ||
	    (err = pair_init(&languages, n)))
		goto done;
	for (size_t i = 0; i < n; i++) {
		const fs_plan_person *p = &people[i];
		int g = group_out[i];
		if (g < 0)
			continue;
		if (p->organization >= 0)
			(*pair_slot(&orgs, g, p->organization))++;
		if (p->country >= 0)
			(*pair_slot(&countries, g, p->country))++;
		if (p->language >= 0)
			(*pair_slot(&languages, g, p->language))++;
	}
	qsort_r(pool, n_pool, sizeof(int), pool_cmp, (void *)people);
	/* per category, a ring of the groups with room */
	ring = malloc((G * C + 1) * sizeof(int));
	ring_n = calloc(C, sizeof(size_t));
	ring_at = calloc(C, sizeof(size_t));
	if (!ring || !ring_n || !ring_at) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t c = 0; c < C; c++)
		for (size_t g = 0; g < G; g++)
			if (room[g * C + c] > 0)
				ring[c * G + ring_n[c]++] = (int)g;
	for (size_t k = 0; k < n_pool; k++) {
		const fs_plan_person *p = &people[pool[k]];
		size_t c = CAT(p), best = 0, look = ring_n[c];
		long best_org = LONG_MAX, best_other = LONG_MAX;
		int *r = &ring[c * G];
		if (look > 64)
			look = 64;
		for (size_t j = 0; j < look; j++) {
			size_t at = (ring_at[c] + j) % ring_n[c];
			int g = r[at];
			long org = pair_get(&orgs, g, p->organization);
			long other = pair_get(&countries, g, p->country) +
				     pair_get(&languages, g, p->language);
			if (org < best_org ||
			    (org == best_org && other < best_other)) {
				best = at;
				best_org = org;
				best_other = other;
			}
		}
		{
			int g = r[best];
			group_out[pool[k]] = g;
			if (p->organization >= 0)
				(*pair_slot(&orgs, g, p->organization))++;
			if (p->country >= 0)
				(*pair_slot(&countries, g, p->country))++;
			if (p->language >= 0)
				(*pair_slot(&languages, g, p->language))++;
			if (--room[(size_t)g * C + c] == 0) {
				/* drop g from the ring, keeping its order */
				memmove(&r[best], &r[best + 1],
					(ring_n[c] - best - 1) * sizeof(int));
				ring_n[c]--;
				ring_at[c] = ring_n[c] ? best % ring_n[c] : 0;
			} else {
				ring_at[c] = ring_n[c] ? (best + 1) % ring_n[c]
						       : 0;
			}
		}
	}
#undef CAT
done:
	net_release(&net);
	pair_release(&orgs);
	pair_release(&countries);
	pair_release(&languages);
	free(n_cat);
	free(cur);
	free(target);
	free(room);
	free(x_edge);
	free(pool);
	free(ring);
	free(ring_n);
	free(ring_at);
	return err;
}

/* ---- rotations ---- */

struct visits {
	const fs_visit_problem *p;
	size_t G, S, W;
	size_t K;
	long *sorted;  /* group sizes, ascending */
	size_t *most;  /* per site: the most groups it takes at once */
};

static long
capacity_of(const fs_visit_problem *p, size_t j)
{
	return p->site_capacity && p->site_capacity[j] > 0 ? p->site_capacity[j]
							   : LONG_MAX;
}

static bool
is_open(const fs_visit_problem *p, size_t j, size_t w)
{
	return !p->allowed || p->allowed[j * p->n_windows + w];
}

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

/* Can group g be at site j in window w, with its visits placed so far in
 * placed (G x S, -1 for none): its own items, and the trips to and from
 * its other visits?  (Capacity and the site's windows aside.) */
static bool
group_can(const fs_visit_problem *p, const int *placed, size_t g, size_t j,
	  size_t w)
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

/* Does any group-specific limit (travel between windows, a group's own
 * items) bind?  Then only the search is exact. */
static bool
group_limited(const fs_visit_problem *p)
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

static size_t
open_windows(const fs_visit_problem *p, size_t j)
{
	size_t n = 0;
	for (size_t w = 0; w < p->n_windows; w++)
		n += is_open(p, j, w);
	return n;
}

static int
long_cmp(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;
	return x < y ? -1 : x > y;
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

/* The bounds any rotation obeys; FS_EINPUT naming the first that fails. */
static fs_err
check_bounds(struct visits *v)
{
	const fs_visit_problem *p = v->p;
	char b1[32], b2[32];
	long total = 0;
	fs_err err;

	if (v->K > v->W)
		return fs_fail(FS_EINPUT, "too few windows: each group visits "
			       "%zu site%s, one per window, but only %zu "
			       "window%s %s given", v->K, v->K == 1 ? "" : "s",
			       v->W, v->W == 1 ? "" : "s",
			       v->W == 1 ? "is" : "are");
	{
		/* windows in which some site is open to some group */
		size_t usable = 0;
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
	}
	if ((err = check_travel_bound(v)))
		return err;
	for (size_t j = 0; j < v->S; j++) {
		long cap = capacity_of(p, j), sum = 0;
		size_t m = 0;
		while (m < v->G && sum + v->sorted[m] <= cap)
			sum += v->sorted[m++];
		v->most[j] = m;
		if (v->K == v->S) {
			size_t wj = open_windows(p, j);
			for (size_t g = 0; g < v->G; g++)
				if (p->group_size[g] > cap)
					return fs_fail(FS_EINPUT, "too little "
						"capacity: site '%s' takes %ld "
						"people at once, group %s has "
						"%ld, and every group must "
						"visit every site",
						site_name(p, j, b1), cap,
						group_name(p, g, b2),
						p->group_size[g]);
			if (m * wj < v->G)
				return fs_fail(FS_EINPUT, "too few windows: "
					"site '%s' takes at most %zu group%s "
					"per window (capacity %ld, smallest "
					"group %ld); %zu group%s need %zu "
					"window%s there, only %zu %s",
					site_name(p, j, b1), m,
					m == 1 ? "" : "s", cap, v->sorted[0],
					v->G, fs_plural((long)v->G), (v->G + m - 1) / m,
					(v->G + m - 1) / m == 1 ? "" : "s", wj,
					wj == 1 ? "is open" : "are open");
			long people = 0;
			for (size_t g = 0; g < v->G; g++)
				people += p->group_size[g];
			if (cap != LONG_MAX && cap * (long)wj < people)
				return fs_fail(FS_EINPUT, "too little capacity: "
					"site '%s' takes %ld people in each of "
					"its %zu open window%s, %ld in all, and "
					"the groups hold %ld people",
					site_name(p, j, b1), cap, wj,
					wj == 1 ? "" : "s", cap * (long)wj,
					people);
		}
		total += (long)(m * open_windows(p, j));
	}
	for (size_t g = 0; g < v->G; g++) {
		size_t usable = 0;
		for (size_t j = 0; j < v->S; j++)
			usable += p->group_size[g] <= capacity_of(p, j) &&
				  open_windows(p, j) > 0;
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

/* Is capacity a count: does every site take any most[j] groups at once? */
static bool
capacity_is_count(const struct visits *v)
{
	if (group_limited(v->p))
		return false;
	for (size_t j = 0; j < v->S; j++) {
		long sum = 0;
		for (size_t k = 0; k < v->most[j]; k++)
			sum += v->sorted[v->G - 1 - k];
		if (sum > capacity_of(v->p, j))
			return false;
		if (open_windows(v->p, j) != v->W && v->most[j] > 0)
			return false;
	}
	return true;
}

/* Flow, split, König.  FS_EINPUT when the flow falls short: then no
 * rotation exists. */
static fs_err
colour(struct visits *v, int *out)
{
	size_t G = v->G, S = v->S, W = v->W, n_slots = 0, n_edges = 0;
	struct network net = { 0 };
	int *ge = NULL, *slot_base = NULL, *at = NULL, *colour_of = NULL;
	int *left = NULL, *right = NULL, *path = NULL, *site_of = NULL;
	size_t *used = NULL;
	long flow;
	fs_err err = FS_OK;
	int s = 0, t = (int)(G + S + 1);

	ge = malloc(G * S * sizeof(int));
	slot_base = malloc((S + 1) * sizeof(int));
	used = calloc(S + 1, sizeof(size_t));
	if (!ge || !slot_base || !used) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	net.n = t + 1;
	for (size_t g = 0; g < G; g++) {
		if ((err = net_add(&net, s, (int)g + 1, (long)v->K, 0, NULL)))
			goto done;
		for (size_t j = 0; j < S; j++) {
			ge[g * S + j] = -1;
			if (v->most[j] > 0 &&
			    (err = net_add(&net, (int)g + 1, (int)(G + 1 + j),
					   1, 0, &ge[g * S + j])))
				goto done;
		}
	}
	/* a site's k-th group costs k: a min-cost flow spreads the visits
	 * over the sites as evenly as their room allows */
	for (size_t j = 0; j < S; j++) {
		size_t room = W * v->most[j];
		if (room > G)
			room = G;
		for (size_t k = 0; k < room && v->K < S; k++)
			if ((err = net_add(&net, (int)(G + 1 + j), t, 1,
					   (long)k, NULL)))
				goto done;
		if (room && v->K == S &&
		    (err = net_add(&net, (int)(G + 1 + j), t, (long)room, 0,
				   NULL)))
			goto done;
	}
	if ((err = net_finish(&net)))
		goto done;
	flow = v->K < S ? min_cost_flow(&net, s, t, (long)(G * v->K))
			: blocking_flows(&net, s, t, (long)(G * v->K), false);
	if (flow < (long)(G * v->K)) {
		err = fs_fail(FS_EINPUT, "too little capacity: at most %ld of "
			      "the %zu visits (%zu group%s x %zu site%s) fit in "
			      "%zu window%s", flow, G * v->K, G,
			      fs_plural((long)G), v->K, fs_plural((long)v->K), W,
			      fs_plural((long)W));
		goto done;
	}
	/* split each site into slots, its groups dealt round-robin */
	for (size_t j = 0; j < S; j++) {
		slot_base[j] = (int)n_slots;
		n_slots += v->most[j] < G ? v->most[j] : G;
	}
	n_edges = G * v->K;
	left = malloc((n_edges + 1) * sizeof(int));
	right = malloc((n_edges + 1) * sizeof(int));
	colour_of = malloc((n_edges + 1) * sizeof(int));
	path = malloc((n_edges + 1) * sizeof(int));
	site_of = malloc((n_edges + 1) * sizeof(int));
	at = malloc(((G + n_slots) * W + 1) * sizeof(int));
	if (!left || !right || !colour_of || !path || !site_of || !at) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	n_edges = 0;
	for (size_t g = 0; g < G; g++)
		for (size_t j = 0; j < S; j++) {
			int e = ge[g * S + j];
			size_t slots = v->most[j] < G ? v->most[j] : G;
			if (e < 0 || net.edges[e].cap != 0)
				continue;
			left[n_edges] = (int)g;
			site_of[n_edges] = (int)j;
			right[n_edges] = (int)(G + (size_t)slot_base[j] +
					       used[j]++ % slots);
			n_edges++;
		}
	for (size_t i = 0; i < (G + n_slots) * W; i++)
		at[i] = -1;
	for (size_t e = 0; e < n_edges; e++) {
		size_t u = (size_t)left[e], x = (size_t)right[e];
		size_t a = 0, b = 0, n_path = 0;
		while (a < W && at[u * W + a] >= 0)
			a++;
		while (b < W && at[x * W + b] >= 0)
			b++;
		if (a == W || b == W) { /* cannot be: degrees are <= W */
			err = fs_fail(FS_EINPUT, "internal error: a node has "
				      "more than %zu edges", W);
			goto done;
		}
		if (at[x * W + a] >= 0) {
			/* flip the a/b path that starts at x */
			size_t node = x, c = a;
			int f;
			while ((f = at[node * W + c]) >= 0) {
				path[n_path++] = f;
				node = (size_t)(left[f] == (int)node ? right[f]
								     : left[f]);
				c = c == a ? b : a;
			}
			for (size_t k = 0; k < n_path; k++) {
				size_t c_old = (size_t)colour_of[path[k]];
				f = path[k];
				at[(size_t)left[f] * W + c_old] = -1;
				at[(size_t)right[f] * W + c_old] = -1;
			}
			for (size_t k = 0; k < n_path; k++) {
				size_t c_new = colour_of[path[k]] == (int)a ? b : a;
				f = path[k];
				colour_of[f] = (int)c_new;
				at[(size_t)left[f] * W + c_new] = f;
				at[(size_t)right[f] * W + c_new] = f;
			}
		}
		colour_of[e] = (int)a;
		at[u * W + a] = (int)e;
		at[x * W + a] = (int)e;
	}
	for (size_t i = 0; i < G * S; i++)
		out[i] = -1;
	for (size_t e = 0; e < n_edges; e++)
		out[(size_t)left[e] * S + (size_t)site_of[e]] = colour_of[e];
done:
	net_release(&net);
	free(ge);
	free(slot_base);
	free(used);
	free(left);
	free(right);
	free(colour_of);
	free(path);
	free(site_of);
	free(at);
	return err;
}

struct search {
	const struct visits *v;
	size_t *order;      /* groups, largest first */
	size_t *site_order; /* sites, smallest capacity first */
	long *load;         /* S x W */
	bool *visited;      /* G x S */
	size_t *n_visits;
	int *out;
	long nodes, limit;
	bool gave_up;
};

static bool
has_room(const struct search *z, size_t g, size_t j, size_t w)
{
	const fs_visit_problem *p = z->v->p;
	return is_open(p, j, w) &&
	       z->load[j * z->v->W + w] + p->group_size[g] <=
		       capacity_of(p, j) &&
	       group_can(p, z->out, g, j, w);
}

static bool
search(struct search *z, size_t gi, size_t w)
{
	const struct visits *v = z->v;
	size_t g, need, possible = 0;

	for (;;) {
		if (gi == v->G)
			return true;
		g = z->order[gi];
		need = v->K - z->n_visits[g];
		if (need > 0)
			break;
		gi++;
		w = 0;
	}
	if (w >= v->W || need > v->W - w)
		return false;
	if (++z->nodes > z->limit) {
		z->gave_up = true;
		return false;
	}
	/* forward check: the sites g can still get to in windows w.. */
	for (size_t j = 0; j < v->S; j++) {
		bool reachable = false;
		if (z->visited[g * v->S + j])
			continue;
		for (size_t x = w; x < v->W && !reachable; x++)
			reachable = has_room(z, g, j, x);
		if (reachable)
			possible++;
		else if (v->K == v->S)
			return false;
	}
	if (possible < need)
		return false;
	for (size_t k = 0; k < v->S; k++) {
		size_t j = z->site_order[k];
		if (z->visited[g * v->S + j] || !has_room(z, g, j, w))
			continue;
		z->visited[g * v->S + j] = true;
		z->load[j * v->W + w] += v->p->group_size[g];
		z->n_visits[g]++;
		z->out[g * v->S + j] = (int)w;
		if (search(z, gi, w + 1))
			return true;
		z->visited[g * v->S + j] = false;
		z->load[j * v->W + w] -= v->p->group_size[g];
		z->n_visits[g]--;
		z->out[g * v->S + j] = -1;
		if (z->gave_up)
			return false;
	}
	/* or nothing in this window, when the rest still leaves enough */
	if (need < v->W - w)
		return search(z, gi, w + 1);
	return false;
}

static int
by_size_desc(const void *a, const void *b, void *ctx)
{
	const fs_visit_problem *p = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	if (p->group_size[x] != p->group_size[y])
		return p->group_size[x] > p->group_size[y] ? -1 : 1;
	return x < y ? -1 : 1;
}

static int
by_capacity(const void *a, const void *b, void *ctx)
{
	const fs_visit_problem *p = ctx;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	long cx = capacity_of(p, x), cy = capacity_of(p, y);
	if (cx != cy)
		return cx < cy ? -1 : 1;
	return x < y ? -1 : 1;
}

/* When every group visits every site (K = S), the variables are the visits
 * (group, site), each to get a window.  The search picks the visit with
 * the fewest windows left (counts kept up to date as visits are placed
 * and undone, in the order they were placed), and tries its windows
 * tightest fit first.  Still complete: every window of every visit. */
struct mrv {
	const struct visits *v;
	long *load;   /* S x W */
	bool *busy;   /* G x W */
	int *out;     /* G x S */
	int *domain;  /* G x S: windows still possible, for unplaced visits */
	const bool *required; /* G x S: the visits to place; NULL: all */
	long nodes, limit;
	bool gave_up;
	bool limited; /* travel between windows limits a group's visits */
};

static bool
mrv_open(const struct mrv *z, size_t k)
{
	return z->out[k] < 0 && (!z->required || z->required[k]);
}

static bool
mrv_fits(const struct mrv *z, size_t g, size_t j, size_t w, long extra)
{
	const fs_visit_problem *p = z->v->p;
	return !z->busy[g * z->v->W + w] && is_open(p, j, w) &&
	       z->load[j * z->v->W + w] + extra + p->group_size[g] <=
		       capacity_of(p, j) &&
	       group_can(p, z->out, g, j, w);
}

static void
mrv_place(struct mrv *z, size_t g, size_t j, size_t w, bool undo)
{
	const struct visits *v = z->v;
	long size = v->p->group_size[g];

	if (undo) {
		z->load[j * v->W + w] -= size;
		z->busy[g * v->W + w] = false;
		z->out[g * v->S + j] = -1;
	}
	/* (the state is now without g at j in w, on both ways) */
	/* g is busy in w, or free again: its other unplaced visits */
	for (size_t k = 0; k < v->S; k++)
		if (k != j && mrv_open(z, g * v->S + k) &&
		    mrv_fits(z, g, k, w, 0))
			z->domain[g * v->S + k] += undo ? 1 : -1;
	/* site j in w holds size more, or less: the others still to come */
	for (size_t h = 0; h < v->G; h++)
		if (h != g && mrv_open(z, h * v->S + j) &&
		    mrv_fits(z, h, j, w, 0) && !mrv_fits(z, h, j, w, size))
			z->domain[h * v->S + j] += undo ? 1 : -1;
	if (!undo) {
		z->load[j * v->W + w] += size;
		z->busy[g * v->W + w] = true;
		z->out[g * v->S + j] = (int)w;
	}
	/* travel limits: g's visit at j changes which windows g's other
	 * visits can take, in any window; count them again */
	if (z->limited)
		for (size_t k = 0; k < v->S; k++) {
			if (!mrv_open(z, g * v->S + k))
				continue;
			z->domain[g * v->S + k] = 0;
			for (size_t x = 0; x < v->W; x++)
				z->domain[g * v->S + k] +=
					mrv_fits(z, g, k, x, 0);
		}
}

static bool
mrv_search(struct mrv *z, size_t remaining)
{
	const struct visits *v = z->v;
	size_t best = SIZE_MAX, g, j, n = 0;
	int *windows;
	bool found = false;

	if (!remaining)
		return true;
	if (++z->nodes > z->limit) {
		z->gave_up = true;
		return false;
	}
	for (size_t k = 0; k < v->G * v->S; k++)
		if (mrv_open(z, k) &&
		    (best == SIZE_MAX || z->domain[k] < z->domain[best]))
			best = k;
	if (z->domain[best] <= 0)
		return false;
	g = best / v->S;
	j = best % v->S;
	if (!(windows = malloc(v->W * sizeof(int)))) {
		z->gave_up = true;
		return false;
	}
	for (size_t w = 0; w < v->W; w++)
		if (mrv_fits(z, g, j, w, 0))
			windows[n++] = (int)w;
	/* tightest fit first: the window with the least room left after */
	for (size_t a = 1; a < n; a++)
		for (size_t b = a; b > 0; b--) {
			long ra = z->load[j * v->W + (size_t)windows[b]],
			     rb = z->load[j * v->W + (size_t)windows[b - 1]];
			if (ra <= rb)
				break;
			int t = windows[b];
			windows[b] = windows[b - 1];
			windows[b - 1] = t;
		}
	for (size_t k = 0; k < n && !found && !z->gave_up; k++) {
		mrv_place(z, g, j, (size_t)windows[k], false);
		found = mrv_search(z, remaining - 1);
		if (!found)
			mrv_place(z, g, j, (size_t)windows[k], true);
	}
	free(windows);
	return found;
}

/* Places the visits of required (NULL: every group at every site). */
static fs_err
search_visits(struct visits *v, int *out, long limit, const bool *required)
{
	struct mrv z = { v,	NULL,  NULL,  out,  NULL,
			 required, 0,	  limit, false, false };
	size_t n = 0;
	fs_err err = FS_OK;

	z.load = calloc(v->S * v->W + 1, sizeof(long));
	z.busy = calloc(v->G * v->W + 1, sizeof(bool));
	z.domain = calloc(v->G * v->S + 1, sizeof(int));
	z.limited = v->p->window_gap && v->p->site_trip;
	if (!z.load || !z.busy || !z.domain) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t k = 0; k < v->G * v->S; k++)
		out[k] = -1;
	for (size_t g = 0; g < v->G; g++)
		for (size_t j = 0; j < v->S; j++) {
			if (!mrv_open(&z, g * v->S + j))
				continue;
			n++;
			for (size_t w = 0; w < v->W; w++)
				z.domain[g * v->S + j] +=
					mrv_fits(&z, g, j, w, 0);
		}
	if (!mrv_search(&z, n))
		err = z.gave_up ? FS_EIO : FS_EINPUT; /* told apart below */
done:
	free(z.load);
	free(z.busy);
	free(z.domain);
	return err;
}

/* With K < S, a first guess at which sites each group visits: a min-cost
 * flow that spreads the visits over the sites by their room (as in
 * colour()).  false when even that cannot be done. */
static bool
choose_sites(const struct visits *v, bool *required)
{
	const fs_visit_problem *p = v->p;
	size_t G = v->G, S = v->S;
	struct network net = { 0 };
	int *ge = malloc((G * S + 1) * sizeof(int));
	int s = 0, t = (int)(G + S + 1);
	bool done = false;

	if (!ge)
		return false;
	net.n = t + 1;
	for (size_t g = 0; g < G; g++) {
		if (net_add(&net, s, (int)g + 1, (long)v->K, 0, NULL))
			goto out;
		for (size_t j = 0; j < S; j++) {
			ge[g * S + j] = -1;
			if (p->group_size[g] <= capacity_of(p, j) &&
			    open_windows(p, j) > 0 &&
			    net_add(&net, (int)g + 1, (int)(G + 1 + j), 1, 0,
				    &ge[g * S + j]))
				goto out;
		}
	}
	for (size_t j = 0; j < S; j++) {
		size_t room = open_windows(p, j) * v->most[j];
		for (size_t k = 0; k < room && k < G; k++)
			if (net_add(&net, (int)(G + 1 + j), t, 1, (long)k, NULL))
				goto out;
	}
	if (net_finish(&net) ||
	    min_cost_flow(&net, s, t, (long)(G * v->K)) != (long)(G * v->K))
		goto out;
	for (size_t k = 0; k < G * S; k++)
		required[k] = ge[k] >= 0 && net.edges[ge[k]].cap == 0;
	done = true;
out:
	net_release(&net);
	free(ge);
	return done;
}

static fs_err
search_rotation(struct visits *v, int *out)
{
	const fs_visit_problem *p = v->p;
	struct search z = { v, NULL, NULL, NULL, NULL, NULL, out, 0,
			    p->node_limit > 0 ? p->node_limit : 5000000L,
			    false };
	fs_err err = FS_OK;

	z.order = malloc((v->G + 1) * sizeof(size_t));
	z.site_order = malloc((v->S + 1) * sizeof(size_t));
	z.load = calloc(v->S * v->W + 1, sizeof(long));
	z.visited = calloc(v->G * v->S + 1, sizeof(bool));
	z.n_visits = calloc(v->G + 1, sizeof(size_t));
	if (!z.order || !z.site_order || !z.load || !z.visited ||
	    !z.n_visits) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t g = 0; g < v->G; g++)
		z.order[g] = g;
	for (size_t j = 0; j < v->S; j++)
		z.site_order[j] = j;
	qsort_r(z.order, v->G, sizeof(size_t), by_size_desc, (void *)p);
	qsort_r(z.site_order, v->S, sizeof(size_t), by_capacity, (void *)p);
	for (size_t i = 0; i < v->G * v->S; i++)
		out[i] = -1;
	if (v->K == v->S) {
		fs_err found = search_visits(v, out, z.limit, NULL);
		if (found == FS_ENOMEM) {
			err = found;
			goto done;
		}
		z.gave_up = found == FS_EIO;
		if (found == FS_OK)
			goto done;
	} else {
		/* a quick try with the sites a flow picks; if it fails, that
		 * proves nothing, and the complete search follows */
		bool *required = calloc(v->G * v->S + 1, sizeof(bool));
		fs_err found = FS_EINPUT;
		if (!required) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
		if (choose_sites(v, required))
			found = search_visits(v, out, z.limit / 10 + 1,
					      required);
		free(required);
		if (found == FS_ENOMEM) {
			err = found;
			goto done;
		}
		if (found == FS_OK)
			goto done;
		for (size_t i = 0; i < v->G * v->S; i++)
			out[i] = -1;
	}
	if (v->K == v->S || !search(&z, 0, 0)) {
		if (z.gave_up)
			err = fs_fail(FS_EINPUT, "no rotation found in %ld "
				      "search steps, and none ruled out: add "
				      "windows or capacity, or lower "
				      "--per-group", z.limit);
		else
			err = fs_fail(FS_EINPUT, "no rotation exists: every "
				      "way of placing the %zu group%s in %zu "
				      "window%s leaves a site over capacity, "
				      "closed, or a group short of %zu "
				      "visit%s%s", v->G, fs_plural((long)v->G),
				      v->W, fs_plural((long)v->W), v->K,
				      fs_plural((long)v->K),
				      group_limited(p)
					      ? " (with the time to travel "
						"between windows and each "
						"group's own items)"
					      : "");
	}
done:
	free(z.order);
	free(z.site_order);
	free(z.load);
	free(z.visited);
	free(z.n_visits);
	return err;
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
	if ((err = check_bounds(&v)))
		goto done;
	if (capacity_is_count(&v)) {
		if (method_out)
			*method_out = FS_VISITS_COLOURING;
		err = colour(&v, window_out);
	} else {
		if (method_out)
			*method_out = FS_VISITS_SEARCH;
		err = search_rotation(&v, window_out);
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
				group_can(p, window_of, g, j, (size_t)w);
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
		if (open_windows(p, j) != W)
			return FS_OK;
	if (group_limited(p))
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
	if (min_cost_flow(&net, s, t, (long)W) != (long)W)
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
