/*
 * schedule_visits.c - plan visits: the rotation of groups over the site
 * visits of a mission (plan.c finds it), with the travel between sites
 * checked, written back as visit items in one transaction.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/agenda.h"
#include "fieldschool/schedule.h"
#include "schedule_load.h"
#include "value.h"

/* ---- plan visits ---- */

struct window {
	int day, start, end;
};

void
fs_visit_result_release(fs_visit_result *r)
{
	for (size_t i = 0; r->groups && i < r->n_groups; i++)
		free(r->groups[i]);
	for (size_t i = 0; r->sites && i < r->n_sites; i++)
		free(r->sites[i]);
	for (size_t i = 0; r->windows && i < r->n_windows; i++)
		free(r->windows[i]);
	free(r->groups);
	free(r->sites);
	free(r->windows);
	free(r->window_of);
	memset(r, 0, sizeof(*r));
}

static int
window_cmp(const void *a, const void *b)
{
	const struct window *x = a, *y = b;
	if (x->day != y->day)
		return x->day - y->day;
	if (x->start != y->start)
		return x->start - y->start;
	return x->end - y->end;
}

/* "2 09:15-11:45,2027-05-11 14:15-16:45" */
static fs_err
parse_slots(const struct loaded *m, const char *text, struct window **out,
	    size_t *n_out)
{
	struct window *list = NULL;
	size_t n = 0, cap = 0;
	char *copy = strdup(text), *save = NULL, *part;
	fs_err err = FS_OK;

	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (part = strtok_r(copy, ",", &save); part && !err;
	     part = strtok_r(NULL, ",", &save)) {
		char day_text[16], start[8], end[8], extra;
		struct window w;
		long day;
		int64_t date;
		part = trim(part);
		if (sscanf(part, "%15s %5[0-9:]-%5[0-9:] %c", day_text, start,
			   end, &extra) != 3 ||
		    parse_clock(start, &w.start) || parse_clock(end, &w.end)) {
			err = fs_fail(FS_EINPUT, "--slots: '%s': expected DAY "
				      "HH:MM-HH:MM, DAY being 1-%d or a date, "
				      "slots separated by ','", part,
				      m->info.days);
			break;
		}
		if (!parse_int(day_text, 1, m->info.days, &day)) {
			w.day = (int)day;
		} else if (!parse_date(day_text, &date) &&
			   date >= m->info.first_day &&
			   date < m->info.first_day + m->info.days) {
			w.day = (int)(date - m->info.first_day + 1);
		} else {
			err = fs_fail(FS_EINPUT, "--slots: '%s': %s has days 1 "
				      "to %d", day_text, m->info.code,
				      m->info.days);
			break;
		}
		if (w.end <= w.start) {
			err = fs_fail(FS_EINPUT, "--slots: '%s': ends before "
				      "it starts", part);
			break;
		}
		if ((err = sched_grow((void **)&list, &cap, n + 1, sizeof(w))))
			break;
		list[n++] = w;
	}
	free(copy);
	if (!err && !n)
		err = fs_fail(FS_EINPUT, "--slots: no slot given");
	if (err) {
		free(list);
		return err;
	}
	*out = list;
	*n_out = n;
	return FS_OK;
}

/* The windows of the visit items, each once. */
static fs_err
item_windows(const struct loaded *m, struct window **out, size_t *n_out)
{
	struct window *list = malloc((m->n_items + 1) * sizeof(*list));
	size_t n = 0;

	if (!list)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n_items; i++) {
		const fs_check_item *it = &m->items[i];
		bool seen = false;
		if (!it->is_visit)
			continue;
		for (size_t k = 0; k < n && !seen; k++)
			seen = list[k].day == it->day &&
			       list[k].start == it->start &&
			       list[k].end == it->end;
		if (!seen)
			list[n++] = (struct window){ it->day, it->start,
						     it->end };
	}
	*out = list;
	*n_out = n;
	return FS_OK;
}

static double
travel_speed(const fs_travel_options *travel)
{
	return travel && travel->speed_kmh > 0 ? travel->speed_kmh
					       : FS_CHECK_SPEED_KMH;
}

static int
travel_buffer(const fs_travel_options *travel)
{
	return travel && travel->buffer_min >= 0 ? travel->buffer_min
						 : FS_CHECK_BUFFER_MIN;
}

/* Is item it (not a visit) for group label index group (-1: for
 * everyone only)? */
static bool
item_is_for(const fs_check_item *it, int group)
{
	if (it->for_all)
		return true;
	for (size_t k = 0; group >= 0 && k < it->n_groups; k++)
		if (it->groups[k] == group)
			return true;
	return false;
}

/* Can a group leave the last place it is at before window w (same day;
 * items for everyone, and for the group when group >= 0), reach the site
 * in time, and be back for the next?  The rule of check's travel-time,
 * buffer included. */
static bool
reachable(const struct loaded *m, const fs_check_place *site,
	  const struct window *w, const fs_travel_options *travel, int group)
{
	double speed = travel_speed(travel);
	int buffer = travel_buffer(travel);
	int before = -1, after = -1;

	if (!site->has_coords)
		return true;
	for (size_t i = 0; i < m->n_items; i++) {
		const fs_check_item *it = &m->items[i];
		if (it->is_visit || !item_is_for(it, group) ||
		    it->day != w->day || it->place < 0 ||
		    !m->place_list[it->place].has_coords)
			continue;
		if (it->end <= w->start &&
		    (before < 0 || it->end > m->items[before].end))
			before = (int)i;
		if (it->start >= w->end &&
		    (after < 0 || it->start < m->items[after].start))
			after = (int)i;
	}
	for (int k = 0; k < 2; k++) {
		int i = k ? after : before;
		const fs_check_place *p;
		int gap, need;
		if (i < 0)
			continue;
		p = &m->place_list[m->items[i].place];
		if (p == site)
			continue;
		gap = k ? m->items[i].start - w->end : w->start - m->items[i].end;
		need = fs_travel_minutes(fs_distance_km(p->lat, p->lon,
							site->lat, site->lon),
					 speed) + buffer;
		if (gap < need)
			return false;
	}
	return true;
}

/* The index of a group label among m's interned groups, -1 if none. */
static int
group_index(const struct loaded *m, const char *label)
{
	for (size_t i = 0; i < m->groups.n; i++)
		if (!strcmp(m->groups.list[i], label))
			return (int)i;
	return -1;
}

/* Minutes from site a to site b, buffer included; 0 when either has no
 * coordinates or they are the same place. */
static int
trip_minutes(const fs_check_place *a, const fs_check_place *b,
	     const fs_travel_options *travel)
{
	if (a == b || !a->has_coords || !b->has_coords)
		return 0;
	return fs_travel_minutes(fs_distance_km(a->lat, a->lon, b->lat, b->lon),
				 travel_speed(travel)) +
	       travel_buffer(travel);
}

/*
 * The limits of one group (fs_visit_problem's group_allowed, window_gap
 * and site_trip), each NULL when it limits nothing beyond allowed:
 * an item for a group (not a visit) closes the windows it overlaps for
 * that group, and the trips to and from its own items must fit, as for
 * the items for everyone; two windows of a day with nothing with a place
 * for everyone between them are consecutive for a group that visits both,
 * so the gap must hold the trip between their sites, buffer included.
 */
static fs_err
group_limits(const struct loaded *m, const int *sites_place, size_t S,
	     const struct window *windows, size_t W,
	     const char *const *groups, size_t G,
	     const fs_travel_options *travel, const bool *allowed,
	     bool **group_allowed_out, int **gap_out, int **trip_out)
{
	bool *group_allowed = NULL, any_group = false, any_gap = false;
	int *gap = NULL, *trip = NULL;

	*group_allowed_out = NULL;
	*gap_out = NULL;
	*trip_out = NULL;
	for (size_t i = 0; i < m->n_items && !any_group; i++)
		any_group = !m->items[i].is_visit && !m->items[i].for_all &&
			    m->items[i].n_groups > 0;
	if (any_group) {
		any_group = false;
		if (!(group_allowed = malloc(G * S * W + 1)))
			return fs_fail(FS_ENOMEM, "out of memory");
		for (size_t g = 0; g < G; g++) {
			int gi = group_index(m, groups[g]);
			for (size_t w = 0; w < W; w++) {
				const struct window *win = &windows[w];
				bool busy = false;
				for (size_t i = 0; i < m->n_items && !busy;
				     i++) {
					const fs_check_item *it = &m->items[i];
					busy = !it->is_visit &&
					       item_is_for(it, gi) &&
					       it->day == win->day &&
					       it->start < win->end &&
					       it->end > win->start;
				}
				for (size_t j = 0; j < S; j++) {
					bool ok = allowed[j * W + w] && !busy &&
						  reachable(m,
							    &m->place_list
								    [sites_place[j]],
							    win, travel, gi);
					group_allowed[(g * S + j) * W + w] = ok;
					any_group |= ok != allowed[j * W + w];
				}
			}
		}
		if (!any_group) {
			free(group_allowed);
			group_allowed = NULL;
		}
	}
	gap = malloc((W * W + 1) * sizeof(int));
	trip = malloc((S * S + 1) * sizeof(int));
	if (!gap || !trip) {
		free(group_allowed);
		free(gap);
		free(trip);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	for (size_t j = 0; j < S; j++)
		for (size_t k = 0; k < S; k++)
			trip[j * S + k] = trip_minutes(
				&m->place_list[sites_place[j]],
				&m->place_list[sites_place[k]], travel);
	for (size_t w = 0; w < W; w++)
		for (size_t x = w; x < W; x++) {
			int minutes = -1;
			if (x > w && windows[x].day == windows[w].day) {
				bool between = false;
				for (size_t i = 0; i < m->n_items && !between;
				     i++) {
					const fs_check_item *it = &m->items[i];
					between = !it->is_visit && it->for_all &&
						  it->day == windows[w].day &&
						  it->place >= 0 &&
						  m->place_list[it->place]
							  .has_coords &&
						  it->start >= windows[w].end &&
						  it->start < windows[x].start;
				}
				if (!between)
					minutes = windows[x].start -
						  windows[w].end;
			}
			gap[w * W + x] = gap[x * W + w] = minutes;
			for (size_t j = 0; j < S && minutes >= 0 && !any_gap;
			     j++)
				for (size_t k = 0; k < S && !any_gap; k++)
					any_gap = minutes < trip[j * S + k];
		}
	*group_allowed_out = group_allowed;
	if (any_gap) {
		*gap_out = gap;
		*trip_out = trip;
	} else {
		free(gap);
		free(trip);
	}
	return FS_OK;
}

/* When travel between windows may be why no rotation exists: names the
 * closest such pair, after the planner's detail. */
static fs_err
travel_hint(fs_err err, size_t W, const int *gap, const int *trip, size_t S,
	    const fs_visit_result *out)
{
	char *detail;
	size_t best_w = 0, best_x = 0, best_j = 0, best_k = 0;
	int best = -1;

	if (err != FS_EINPUT || !gap || !trip)
		return err;
	for (size_t w = 0; w < W; w++)
		for (size_t x = w + 1; x < W; x++)
			for (size_t j = 0; j < S; j++)
				for (size_t k = 0; k < S; k++) {
					int g = gap[w * W + x],
					    need = trip[j * S + k];
					if (g >= 0 && g < need &&
					    need - g > best) {
						best = need - g;
						best_w = w, best_x = x;
						best_j = j, best_k = k;
					}
				}
	if (best < 0 || !(detail = strdup(fs_errdetail())))
		return err;
	err = fs_fail(FS_EINPUT, "%s; a group cannot visit both '%s' and "
		      "'%s' in %s and %s: %d min between them, and the trip "
		      "takes %d min, buffer included", detail, out->sites[best_j],
		      out->sites[best_k], out->windows[best_w],
		      out->windows[best_x], gap[best_w * W + best_x],
		      trip[best_j * S + best_k]);
	free(detail);
	return err;
}

/* The row of the visit item ref, copied into values (strings in arena). */
struct row_copy {
	struct arena *arena;
	const char **values;
	bool found;
};

static fs_err
copy_row(void *ctx, const char *const *v)
{
	struct row_copy *c = ctx;
	for (int i = 0; i < FS_ITEM__COUNT; i++)
		if (!(c->values[i] = sched_strdup(c->arena, v[i])))
			return fs_fail(FS_ENOMEM, "out of memory");
	c->found = true;
	return FS_OK;
}

static fs_err
put_item(fs_store *store, const char **v, fs_put_mode mode,
	 fs_visit_result *out)
{
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_put_outcome outcome;
	fs_err err = fs_agenda_format.put(store, v, mode, 0, &problems,
					  &outcome, NULL);
	if (err == FS_EINPUT && problems.n)
		err = fs_fail(FS_EINPUT, "visit %s: %s: %s",
			      v[FS_ITEM_REF] ? v[FS_ITEM_REF] : "(new)",
			      problems.items[0].column ? problems.items[0].column
						       : "",
			      problems.items[0].reason);
	fs_problems_release(&problems);
	if (!err) {
		if (outcome == FS_PUT_ADDED)
			out->added++;
		else if (outcome == FS_PUT_CHANGED)
			out->changed++;
		else
			out->unchanged++;
	}
	return err;
}

/* Which existing item carries each (site, window) used, in chosen (-1:
 * none, a new one): first the one already there, then any other of the
 * site (it moves); taken marks the items chosen. */
static void
choose_items(const struct loaded *m, const int *sites_place,
	     const struct window *windows, const fs_visit_result *out,
	     bool *taken, int *chosen)
{
	size_t G = out->n_groups, S = out->n_sites, W = out->n_windows;

	for (size_t k = 0; k < S * W; k++)
		chosen[k] = -1;
	for (int pass = 0; pass < 2; pass++)
		for (size_t j = 0; j < S; j++)
			for (size_t w = 0; w < W; w++) {
				bool used = false;
				for (size_t g = 0; g < G && !used; g++)
					used = out->window_of[g * S + j] ==
					       (int)w;
				if (!used || chosen[j * W + w] >= 0)
					continue;
				for (size_t i = 0; i < m->n_items; i++) {
					const fs_check_item *it = &m->items[i];
					if (taken[i] || !it->is_visit ||
					    it->place != sites_place[j])
						continue;
					if (pass == 0 &&
					    (it->day != windows[w].day ||
					     it->start != windows[w].start ||
					     it->end != windows[w].end))
						continue;
					taken[i] = true;
					chosen[j * W + w] = (int)i;
					break;
				}
			}
}

/* A new item of a site is like the site's first one: its fields, read
 * once per site into row (FS_ITEM__COUNT of them), copied into v without
 * what is the original's own. */
static fs_err
like_first_visit(fs_store *store, struct loaded *m, int place,
		 const char **row, const char **v)
{
	struct row_copy copy = { &m->arena, row, false };
	const char *template_ref = NULL;
	fs_err err;

	for (size_t k = 0; k < m->n_items && !row[0]; k++)
		if (m->items[k].is_visit && m->items[k].place == place) {
			template_ref = m->items[k].ref;
			break;
		}
	if (template_ref &&
	    (err = fs_agenda_format.each(store, m->info.code, template_ref,
					 copy_row, &copy)))
		return err;
	memcpy(v, row, FS_ITEM__COUNT * sizeof(*v));
	v[FS_ITEM_REF] = NULL;
	v[FS_ITEM_DATE] = NULL;
	/* facilitators stay with the original: the same person cannot be at
	 * two windows' worth of copies without a check error */
	v[FS_ITEM_FACILITATORS] = NULL;
	for (int c = FS_ITEM_UID; c < FS_ITEM__COUNT; c++)
		v[c] = NULL;
	return FS_OK;
}

/* Writes the rotation: one visit item per site and window used. */
static fs_err
write_visits(fs_store *store, struct loaded *m, const int *sites_place,
	     const struct window *windows, fs_visit_result *out)
{
	size_t G = out->n_groups, S = out->n_sites, W = out->n_windows;
	bool *taken = calloc(m->n_items + 1, sizeof(bool));
	int *chosen = malloc((S * W + 1) * sizeof(int));
	const char **templates = calloc(S * FS_ITEM__COUNT + 1, sizeof(char *));
	size_t audience_cap = G * 24 + 16;
	char *audience = malloc(audience_cap);
	fs_err err = FS_OK;

	if (!taken || !chosen || !templates || !audience) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	choose_items(m, sites_place, windows, out, taken, chosen);
	for (size_t j = 0; j < S && !err; j++)
		for (size_t w = 0; w < W && !err; w++) {
			const char *v[FS_ITEM__COUNT] = { NULL };
			char day[16], start[32], end[32];
			size_t len = 0;
			int i = chosen[j * W + w];
			audience[0] = '\0';
			for (size_t g = 0; g < G; g++)
				if (out->window_of[g * S + j] == (int)w)
					len += (size_t)snprintf(
						audience + len,
						audience_cap - len, "%sgroup:%s",
						len ? ";" : "", out->groups[g]);
			if (!len)
				continue;
			snprintf(day, sizeof(day), "%d", windows[w].day);
			snprintf(start, sizeof(start), "%02d:%02d",
				 windows[w].start / 60, windows[w].start % 60);
			snprintf(end, sizeof(end), "%02d:%02d",
				 windows[w].end / 60, windows[w].end % 60);
			if (i >= 0)
				v[FS_ITEM_REF] = m->items[i].ref;
			else if ((err = like_first_visit(
					  store, m, sites_place[j],
					  &templates[j * FS_ITEM__COUNT], v)))
				break;
			v[FS_ITEM_MISSION] = m->info.code;
			v[FS_ITEM_DAY] = day;
			v[FS_ITEM_START] = start;
			v[FS_ITEM_END] = end;
			v[FS_ITEM_AUDIENCE] = audience;
			err = put_item(store, v,
				       i < 0 ? FS_PUT_CREATE : FS_PUT_UPDATE,
				       out);
		}
	/* visit items of these sites that no (site, window) needs */
	for (size_t i = 0; i < m->n_items && !err; i++) {
		bool is_site = false;
		for (size_t j = 0; j < S; j++)
			is_site |= m->items[i].place == sites_place[j];
		if (!m->items[i].is_visit || taken[i] || !is_site)
			continue;
		if (!(err = fs_agenda_remove(store, m->info.code,
					     m->items[i].ref)))
			out->removed++;
	}
done:
	free(taken);
	free(chosen);
	free(templates);
	free(audience);
	return err;
}

/* The rotation the visit items describe now, in out->window_of; false
 * when they do not describe one (an item outside the windows or for
 * everyone, a group twice at a site): then window_of holds what they do
 * say, which is still worth keeping where possible. */
static bool
current_rotation(const struct loaded *m, const int *sites_place,
		 const struct window *windows, fs_visit_result *out)
{
	size_t S = out->n_sites, W = out->n_windows;
	bool whole = true;

	for (size_t k = 0; k < out->n_groups * S; k++)
		out->window_of[k] = -1;
	for (size_t i = 0; i < m->n_items; i++) {
		const fs_check_item *it = &m->items[i];
		size_t j = 0, w = 0;
		if (!it->is_visit)
			continue;
		while (j < S && sites_place[j] != it->place)
			j++;
		while (w < W && (windows[w].day != it->day ||
				 windows[w].start != it->start ||
				 windows[w].end != it->end))
			w++;
		if (j == S || w == W || it->for_all || it->n_categories) {
			whole = false;
			continue;
		}
		for (size_t k = 0; k < it->n_groups; k++) {
			const char *label = m->groups.list[it->groups[k]];
			size_t g = 0;
			while (g < out->n_groups && strcmp(out->groups[g], label))
				g++;
			if (g == out->n_groups || out->window_of[g * S + j] >= 0)
				whole = false;
			else
				out->window_of[g * S + j] = (int)w;
		}
	}
	return whole;
}

/* What plan_visits() works with, in the order it finds it. */
struct visit_plan {
	struct loaded m;
	size_t G, S, n_windows;
	const char **group_names; /* sorted: A B ... AA */
	long *size_by_label;      /* people by group label (m.groups) */
	int *sites_place;         /* the place of site j */
	long *capacity;           /* of site j; <= 0: no limit */
	struct window *windows;   /* sorted, not overlapping */
	long *group_size;         /* of group g, as in group_names */
	bool *allowed, *group_allowed;
	int *window_gap, *site_trip, *previous;
};

static void
visit_plan_release(struct visit_plan *p)
{
	sched_release(&p->m);
	free(p->windows);
	free(p->group_size);
	free(p->capacity);
	free(p->size_by_label);
	free(p->sites_place);
	free(p->allowed);
	free(p->group_allowed);
	free(p->window_gap);
	free(p->site_trip);
	free(p->group_names);
	free(p->previous);
}

/* The groups: labels of confirmed participants, A B ... AA */
static fs_err
find_groups(struct visit_plan *p)
{
	struct loaded *m = &p->m;

	p->size_by_label = calloc(m->groups.n + 1, sizeof(long));
	p->group_names = malloc((m->groups.n + 1) * sizeof(char *));
	if (!p->size_by_label || !p->group_names)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n_people; i++)
		if (m->people[i].is_confirmed && m->people[i].group >= 0 &&
		    p->size_by_label[m->people[i].group]++ == 0)
			p->group_names[p->G++] =
				m->groups.list[m->people[i].group];
	if (!p->G)
		return fs_fail(FS_EINPUT, "no groups in %s: run 'fieldschool "
			       "plan groups %s' first", m->info.code,
			       m->info.code);
	qsort(p->group_names, p->G, sizeof(char *), fs_group_label_cmp);
	return FS_OK;
}

/* The sites: places of visit items, in agenda order, each with the least
 * capacity its items give. */
static fs_err
find_sites(struct visit_plan *p)
{
	struct loaded *m = &p->m;

	p->sites_place = malloc((m->n_items + 1) * sizeof(int));
	p->capacity = calloc(m->n_items + 1, sizeof(long));
	if (!p->sites_place || !p->capacity)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n_items; i++) {
		const fs_check_item *it = &m->items[i];
		size_t j = 0;
		if (!it->is_visit)
			continue;
		if (it->place < 0)
			return fs_fail(FS_EINPUT, "visit %s has no place: give "
				       "the site it visits (agenda edit %s "
				       "--place NAME)", it->ref, it->ref);
		while (j < p->S && p->sites_place[j] != it->place)
			j++;
		if (j == p->S) {
			p->sites_place[p->S] = it->place;
			p->capacity[p->S++] = it->capacity;
		} else if (it->capacity > 0 && (p->capacity[j] <= 0 ||
						it->capacity < p->capacity[j])) {
			p->capacity[j] = it->capacity;
		}
	}
	if (!p->S)
		return fs_fail(FS_EINPUT, "no visit items in %s: add one per "
			       "site (agenda add %s --kind visit --place NAME "
			       "--host H --capacity N ...)", m->info.code,
			       m->info.code);
	return FS_OK;
}

/* The windows: given (--slots) or those of the visit items; they must not
 * overlap each other or an item for everyone (no group is free then). */
static fs_err
find_windows(struct visit_plan *p, const fs_visit_options *options)
{
	const struct window *ws;
	fs_err err;

	if (options->slots)
		err = parse_slots(&p->m, options->slots, &p->windows,
				  &p->n_windows);
	else
		err = item_windows(&p->m, &p->windows, &p->n_windows);
	if (err)
		return err;
	qsort(p->windows, p->n_windows, sizeof(*p->windows), window_cmp);
	ws = p->windows;
	for (size_t w = 1; w < p->n_windows; w++)
		if (ws[w].day == ws[w - 1].day && ws[w].start < ws[w - 1].end)
			return fs_fail(FS_EINPUT, "visit windows overlap on "
				       "day %d: %02d:%02d-%02d:%02d and "
				       "%02d:%02d-%02d:%02d; a group can be "
				       "in one window at a time", ws[w].day,
				       ws[w - 1].start / 60,
				       ws[w - 1].start % 60,
				       ws[w - 1].end / 60, ws[w - 1].end % 60,
				       ws[w].start / 60, ws[w].start % 60,
				       ws[w].end / 60, ws[w].end % 60);
	for (size_t w = 0; w < p->n_windows; w++)
		for (size_t i = 0; i < p->m.n_items; i++) {
			const fs_check_item *it = &p->m.items[i];
			if (it->is_visit || !it->for_all ||
			    it->day != ws[w].day || it->start >= ws[w].end ||
			    it->end <= ws[w].start)
				continue;
			return fs_fail(FS_EINPUT, "visit window day %d "
				       "%02d:%02d-%02d:%02d overlaps %s (day "
				       "%d %02d:%02d-%02d:%02d), which is for "
				       "everyone: choose windows outside "
				       "it%s", ws[w].day, ws[w].start / 60,
				       ws[w].start % 60, ws[w].end / 60,
				       ws[w].end % 60, it->ref, it->day,
				       it->start / 60, it->start % 60,
				       it->end / 60, it->end % 60,
				       options->slots ? "" : " (--slots), or "
				       "move the visit items");
		}
	return FS_OK;
}

/* The result's names, copied (m goes away), the groups' sizes, and which
 * site each window can reach. */
static fs_err
name_result(struct visit_plan *p, const fs_visit_options *options,
	    fs_visit_result *out)
{
	size_t G = p->G, S = p->S, W = p->n_windows;

	out->n_groups = G;
	out->n_sites = S;
	out->n_windows = W;
	out->groups = calloc(G, sizeof(char *));
	out->sites = calloc(S, sizeof(char *));
	out->windows = calloc(W, sizeof(char *));
	out->window_of = malloc(G * S * sizeof(int));
	p->group_size = malloc(G * sizeof(long));
	p->allowed = malloc((S * W + 1) * sizeof(bool));
	if (!out->groups || !out->sites || !out->windows || !out->window_of ||
	    !p->group_size || !p->allowed)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t g = 0; g < G; g++) {
		int index = -1;
		sched_intern(&p->m.groups, p->group_names[g], &index);
		p->group_size[g] = p->size_by_label[index];
		if (!(out->groups[g] = strdup(p->group_names[g])))
			return fs_fail(FS_ENOMEM, "out of memory");
	}
	for (size_t j = 0; j < S; j++)
		if (!(out->sites[j] =
			      strdup(p->m.places.list[p->sites_place[j]])))
			return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t w = 0; w < W; w++) {
		const struct window *win = &p->windows[w];
		if (asprintf(&out->windows[w], "day %d %02d:%02d-%02d:%02d",
			     win->day, win->start / 60, win->start % 60,
			     win->end / 60, win->end % 60) < 0) {
			out->windows[w] = NULL;
			return fs_fail(FS_ENOMEM, "out of memory");
		}
		for (size_t j = 0; j < S; j++)
			p->allowed[j * W + w] =
				reachable(&p->m, &p->m.place_list[p->sites_place[j]],
					  win, &options->travel, -1);
	}
	return group_limits(&p->m, p->sites_place, S, p->windows, W,
			    (const char *const *)out->groups, G,
			    &options->travel, p->allowed, &p->group_allowed,
			    &p->window_gap, &p->site_trip);
}

/* The problem for the planners (plan.h), refused when it asks for more
 * sites than a group can visit. */
static fs_err
pose_problem(const struct visit_plan *p, const fs_visit_options *options,
	     const fs_visit_result *out, fs_visit_problem *problem)
{
	size_t S = p->S, W = p->n_windows;

	problem->n_groups = p->G;
	problem->n_sites = S;
	problem->n_windows = W;
	problem->group_size = p->group_size;
	problem->site_capacity = p->capacity;
	problem->allowed = p->allowed;
	problem->group_allowed = p->group_allowed;
	problem->window_gap = p->window_gap;
	problem->site_trip = p->site_trip;
	problem->per_group = options->per_group > 0 ? options->per_group
						    : (int)S;
	problem->node_limit = options->node_limit;
	problem->group_names = (const char *const *)out->groups;
	problem->site_names = (const char *const *)out->sites;
	if (options->per_group > 0 && (size_t)options->per_group > S)
		return fs_fail(FS_EINPUT, "--per-group %d: %s has %zu site%s",
			       options->per_group, p->m.info.code, S,
			       S == 1 ? "" : "s");
	if (!options->slots && (size_t)problem->per_group > W)
		return fs_fail(FS_EINPUT, "too few windows: each group visits "
			       "%d site%s, one per window, but the visit "
			       "items of %s are at only %zu different "
			       "time%s; give the windows with --slots 'DAY "
			       "HH:MM-HH:MM,...' or visit fewer sites with "
			       "--per-group", problem->per_group,
			       problem->per_group == 1 ? "" : "s",
			       p->m.info.code, W, W == 1 ? "" : "s");
	return FS_OK;
}

static fs_err
plan_visits(fs_store *store, const char *mission,
	    const fs_visit_options *options, fs_visit_result *out)
{
	struct visit_plan p = { 0 };
	fs_visit_problem problem = { 0 };
	size_t GS;
	bool has_previous;
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((err = sched_load(store, mission, &p.m)) ||
	    (err = find_groups(&p)) || (err = find_sites(&p)) ||
	    (err = find_windows(&p, options)) ||
	    (err = name_result(&p, options, out)) ||
	    (err = pose_problem(&p, options, out, &problem)))
		goto done;
	/* a rotation that still holds is kept as it is: re-planning without
	 * a change changes nothing */
	GS = p.G * p.S;
	if (!(p.previous = malloc((GS + 1) * sizeof(int)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	has_previous = current_rotation(&p.m, p.sites_place, p.windows, out);
	memcpy(p.previous, out->window_of, GS * sizeof(int));
	if (has_previous && fs_visit_rotation_valid(out->window_of, &problem))
		out->method = FS_VISITS_KEPT;
	else if ((err = travel_hint(fs_plan_visits(out->window_of, &problem,
						   &out->method),
				    p.n_windows, p.window_gap, p.site_trip,
				    p.S, out)) ||
		 /* a new rotation keeps what it can of the old one's
		  * windows, so fewer items move */
		 (err = fs_visit_align(out->window_of, p.previous, &problem)))
		goto done;
	/* the rotation obeys every limit, travel between windows included
	 * (the planners guarantee it; a rotation that does not is never
	 * written) */
	if (!fs_visit_rotation_valid(out->window_of, &problem)) {
		err = fs_fail(FS_EINPUT, "internal error: the rotation found "
			      "breaks a limit; nothing was changed");
		goto done;
	}
	err = write_visits(store, &p.m, p.sites_place, p.windows, out);
done:
	if (err)
		fs_visit_result_release(out);
	visit_plan_release(&p);
	return err;
}

/* In one write transaction, as fs_schedule_plan_groups() (schedule.c). */
fs_err
fs_schedule_plan_visits(fs_store *store, const char *mission,
			const fs_visit_options *options, fs_visit_result *out)
{
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((err = fs_store_begin(store)))
		return err;
	err = plan_visits(store, mission, options, out);
	if (err || options->dry_run) {
		fs_store_rollback(store);
	} else if ((err = fs_store_commit(store))) {
		fs_visit_result_release(out);
	}
	return err;
}
