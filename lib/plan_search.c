/*
 * plan_search.c - a rotation by exact backtracking search, where
 * colouring is not exact: the search over visits (most constrained
 * first), the flow's first guess of the sites when K < S, and the search
 * over the cells (group, window) (plan.h; the algorithm is described at
 * the top of plan.c).
 */
#include <stdint.h>
#include <stdlib.h>

#include "plan.h"

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
	       plan_group_can(p, z->out, g, j, w);
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
	       plan_group_can(p, z->out, g, j, w);
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

/* Places the visits of required (NULL: every group at every site).
 * FS_EINPUT when it found no way; *gave_up when it stopped after limit
 * steps, not knowing whether there is one. */
static fs_err
search_visits(struct visits *v, int *out, long limit, const bool *required,
	      bool *gave_up)
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
	if (!mrv_search(&z, n)) {
		err = FS_EINPUT;
		*gave_up = z.gave_up;
	}
done:
	free(z.load);
	free(z.busy);
	free(z.domain);
	return err;
}

/* With K < S, a first guess at which sites each group visits: a min-cost
 * flow that spreads the visits over the sites by their room (as in
 * plan_colour()).  false when even that cannot be done. */
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
			    plan_open_windows(p, j) > 0 &&
			    net_add(&net, (int)g + 1, (int)(G + 1 + j), 1, 0,
				    &ge[g * S + j]))
				goto out;
		}
	}
	for (size_t j = 0; j < S; j++) {
		size_t room = plan_open_windows(p, j) * v->most[j];
		for (size_t k = 0; k < room && k < G; k++)
			if (net_add(&net, (int)(G + 1 + j), t, 1, (long)k, NULL))
				goto out;
	}
	if (net_finish(&net) ||
	    net_min_cost_flow(&net, s, t, (long)(G * v->K)) != (long)(G * v->K))
		goto out;
	for (size_t k = 0; k < G * S; k++)
		required[k] = ge[k] >= 0 && net.edges[ge[k]].cap == 0;
	done = true;
out:
	net_release(&net);
	free(ge);
	return done;
}

fs_err
plan_search_rotation(struct visits *v, int *out)
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
		fs_err found = search_visits(v, out, z.limit, NULL, &z.gave_up);
		if (found == FS_ENOMEM) {
			err = found;
			goto done;
		}
		if (found == FS_OK)
			goto done;
	} else {
		/* a quick try with the sites a flow picks; if it fails, that
		 * proves nothing, and the complete search follows */
		bool *required = calloc(v->G * v->S + 1, sizeof(bool));
		fs_err found = FS_EINPUT;
		bool quick_gave_up = false; /* proves nothing either */
		if (!required) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			goto done;
		}
		if (choose_sites(v, required))
			found = search_visits(v, out, z.limit / 10 + 1,
					      required, &quick_gave_up);
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
				      plan_group_limited(p)
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
