/*
 * plan_colour.c - a rotation by flow and edge colouring (König), exact
 * when capacity is a count and every site is open in every window (plan.h;
 * the algorithm is described at the top of plan.c).
 */
#include <stdlib.h>

#include "plan.h"

/* The visits, chosen by a flow on net: ge[g * S + j] is the edge of group
 * g to site j (-1 for none), saturated when g visits j.  FS_EINPUT when
 * the flow falls short: then no rotation exists. */
static fs_err
flow_visits(struct network *net, int *ge, const struct visits *v)
{
	size_t G = v->G, S = v->S, W = v->W;
	int s = 0, t = (int)(G + S + 1);
	long flow;
	fs_err err;

	net->n = t + 1;
	for (size_t g = 0; g < G; g++) {
		if ((err = net_add(net, s, (int)g + 1, (long)v->K, 0, NULL)))
			return err;
		for (size_t j = 0; j < S; j++) {
			ge[g * S + j] = -1;
			if (v->most[j] > 0 &&
			    (err = net_add(net, (int)g + 1, (int)(G + 1 + j),
					   1, 0, &ge[g * S + j])))
				return err;
		}
	}
	/* a site's k-th group costs k: a min-cost flow spreads the visits
	 * over the sites as evenly as their room allows */
	for (size_t j = 0; j < S; j++) {
		size_t room = W * v->most[j];
		if (room > G)
			room = G;
		for (size_t k = 0; k < room && v->K < S; k++)
			if ((err = net_add(net, (int)(G + 1 + j), t, 1,
					   (long)k, NULL)))
				return err;
		if (room && v->K == S &&
		    (err = net_add(net, (int)(G + 1 + j), t, (long)room, 0,
				   NULL)))
			return err;
	}
	if ((err = net_finish(net)))
		return err;
	flow = v->K < S ? net_min_cost_flow(net, s, t, (long)(G * v->K))
			: net_max_flow(net, s, t, (long)(G * v->K));
	if (flow < (long)(G * v->K))
		return fs_fail(FS_EINPUT, "too little capacity: at most %ld of "
			       "the %zu visits (%zu group%s x %zu site%s) fit "
			       "in %zu window%s", flow, G * v->K, G,
			       fs_plural((long)G), v->K, fs_plural((long)v->K),
			       W, fs_plural((long)W));
	return FS_OK;
}

/* The edges of a bipartite graph of n_nodes nodes, left[e] - right[e],
 * none of whose nodes has more than W edges: colour_of[e] in 0 .. W - 1,
 * no two edges of a node alike (König, by alternating paths). */
static fs_err
colour_edges(int *colour_of, const int *left, const int *right,
	     size_t n_edges, size_t n_nodes, size_t W)
{
	int *at = malloc((n_nodes * W + 1) * sizeof(int));
	int *path = malloc((n_edges + 1) * sizeof(int));
	fs_err err = FS_OK;

	if (!at || !path) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < n_nodes * W; i++)
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
done:
	free(at);
	free(path);
	return err;
}

fs_err
plan_colour(struct visits *v, int *out)
{
	size_t G = v->G, S = v->S, W = v->W, n_slots = 0, n_edges = 0;
	struct network net = { 0 };
	int *ge = NULL, *slot_base = NULL, *colour_of = NULL;
	int *left = NULL, *right = NULL, *site_of = NULL;
	size_t *used = NULL;
	fs_err err = FS_OK;

	ge = malloc(G * S * sizeof(int));
	slot_base = malloc((S + 1) * sizeof(int));
	used = calloc(S + 1, sizeof(size_t));
	if (!ge || !slot_base || !used) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if ((err = flow_visits(&net, ge, v)))
		goto done;
	/* split each site into slots, its groups dealt round-robin */
	for (size_t j = 0; j < S; j++) {
		slot_base[j] = (int)n_slots;
		n_slots += v->most[j] < G ? v->most[j] : G;
	}
	n_edges = G * v->K;
	left = malloc((n_edges + 1) * sizeof(int));
	right = malloc((n_edges + 1) * sizeof(int));
	colour_of = malloc((n_edges + 1) * sizeof(int));
	site_of = malloc((n_edges + 1) * sizeof(int));
	if (!left || !right || !colour_of || !site_of) {
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
	if ((err = colour_edges(colour_of, left, right, n_edges, G + n_slots,
				W)))
		goto done;
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
	free(site_of);
	return err;
}
