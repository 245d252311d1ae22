/*
 * plan_flow.c - flow networks for the planners (plan.h): max flow by
 * Dinic (levels by breadth-first search, then blocking flows by
 * depth-first search), and min-cost flow by primal-dual: Dijkstra on
 * reduced costs updates the potentials, then a blocking flow runs on the
 * edges of zero reduced cost.  The planners' costs are small (0/1, or a
 * site's k-th visit costing k), so there are few phases.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

void
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

fs_err
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

fs_err
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

long
net_min_cost_flow(struct network *g, int s, int t, long want)
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

long
net_max_flow(struct network *g, int s, int t, long want)
{
	return blocking_flows(g, s, t, want, false);
}
