/*
 * check_travel.c - the distance and travel time between two places, and
 * the rule of check on the travel between consecutive places of a group
 * (check.h; the algorithm is described at the top of check.c).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

double
fs_distance_km(double lat1, double lon1, double lat2, double lon2)
{
	const double rad = M_PI / 180.0, earth_km = 6371.0088;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) *
			   sin(dlon / 2);
	if (a > 1)
		a = 1;
	return 2 * earth_km * asin(sqrt(a));
}

int
fs_travel_minutes(double km, double speed_kmh)
{
	if (speed_kmh <= 0)
		speed_kmh = FS_CHECK_SPEED_KMH;
	return (int)ceil(km / speed_kmh * 60.0 - 1e-9);
}

/* ---- travel between consecutive places ---- */

static bool
has_coords(const struct check_ctx *c, const fs_check_item *it)
{
	return it->place >= 0 && c->in->places[it->place].has_coords;
}

static fs_err
travel_pair(struct check_ctx *c, int a, int b, const char *who)
{
	const fs_check_input *in = c->in;
	const fs_check_item *x = &in->items[a], *y = &in->items[b];
	const fs_check_place *p = &in->places[x->place],
			     *q = &in->places[y->place];
	long gap;
	double km;
	int need;

	if (x->place == y->place || x->day != y->day)
		return FS_OK;
	gap = c->abs_start[b] - c->abs_end[a];
	if (gap < 0) /* an overlap: reported as such */
		return FS_OK;
	km = fs_distance_km(p->lat, p->lon, q->lat, q->lon);
	need = fs_travel_minutes(km, c->speed);
	if (gap < need)
		return check_add(c, FS_ERROR, "travel-time", y->ref,
				 "%s has %ld min from '%s' (%s) to '%s', %.1f "
				 "km away: about %d min at %.0f km/h; leave at "
				 "least %d min between them", who, gap, p->name,
				 x->ref, q->name, km, need, c->speed,
				 need + c->buffer);
	if (gap < need + c->buffer)
		return check_add(c, FS_WARNING, "travel-time", y->ref,
				 "%s has %ld min from '%s' (%s) to '%s', %.1f "
				 "km away: %d min at %.0f km/h leaves less "
				 "than the %d min buffer; leave %d min", who,
				 gap, p->name, x->ref, q->name, km, need,
				 c->speed, c->buffer, need + c->buffer);
	return FS_OK;
}

/* The end of the run alls[from..) of items that come before item x in
 * start order (alls is in that order). */
static size_t
alls_before(const struct check_ctx *c, const int *alls, size_t from,
	    size_t n_alls, int x)
{
	size_t lo = from, hi = n_alls;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (check_item_cmp(c, alls[mid], x) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

fs_err
check_travel(struct check_ctx *c, const int *order)
{
	const fs_check_input *in = c->in;
	size_t n_groups = in->n_group_labels;
	int *alls = malloc((in->n_items + 1) * sizeof(int));
	size_t *group_n = calloc(n_groups + 1, sizeof(size_t));
	size_t *group_at = calloc(n_groups + 1, sizeof(size_t));
	int *group_items = NULL;
	size_t n_alls = 0, total = 0;
	fs_err err = FS_OK;

	if (!alls || !group_n || !group_at) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t o = 0; o < in->n_items; o++) {
		const fs_check_item *it = &in->items[order[o]];
		if (!has_coords(c, it))
			continue;
		if (it->for_all)
			alls[n_alls++] = order[o];
		else
			for (size_t i = 0; i < it->n_groups; i++)
				group_n[it->groups[i]]++, total++;
	}
	/* everyone's timeline: the items for all */
	for (size_t i = 1; i < n_alls && !err; i++)
		err = travel_pair(c, alls[i - 1], alls[i], "everyone");
	/* each group's: merged with its own items, in start order */
	if (!(group_items = malloc((total + 1) * sizeof(int)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t g = 1; g < n_groups + 1; g++)
		group_at[g] = group_at[g - 1] + group_n[g - 1];
	for (size_t o = 0; o < in->n_items; o++) {
		const fs_check_item *it = &in->items[order[o]];
		if (!has_coords(c, it) || it->for_all)
			continue;
		for (size_t i = 0; i < it->n_groups; i++)
			group_items[group_at[it->groups[i]]++] = order[o];
	}
	/* A group's timeline is its items and the items for all, merged in
	 * start order; consecutive items for all were checked above, so only
	 * the pairs that hold one of the group's items are left: each of its
	 * items with the item just before it, and with the item for all just
	 * after it when one comes before the group's next item.
	 * The items for all between two of the group's are found by binary
	 * search: a group costs O(its items x log items for all), not a walk
	 * through every item for all. */
	for (size_t g = 0; g < n_groups && !err; g++) {
		size_t end = group_at[g], begin = end - group_n[g], a = 0;
		int prev = -1;
		char who[64];
		if (!group_n[g])
			continue;
		snprintf(who, sizeof(who), "group %s", in->groups[g]);
		for (size_t b = begin; b < end && !err; b++) {
			int x = group_items[b];
			size_t until = alls_before(c, alls, a, n_alls, x);
			if (until > a) {
				if (prev >= 0)
					err = travel_pair(c, prev, alls[a], who);
				if (!err)
					err = travel_pair(c, alls[until - 1], x,
							  who);
			} else if (prev >= 0) {
				err = travel_pair(c, prev, x, who);
			}
			prev = x;
			a = until;
		}
		if (!err && prev >= 0 && a < n_alls)
			err = travel_pair(c, prev, alls[a], who);
	}
done:
	free(alls);
	free(group_n);
	free(group_at);
	free(group_items);
	return err;
}
