/*
 * check_people.c - the rules of check on the people: the mission's
 * capacity and the categories' quotas, a confirmed participant in no
 * group, an arrival after their first expected item or a departure
 * before their last (check.h; single passes over the people, with the
 * first and last items of each group and category found beforehand).
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

/* " at HH:MM", or "" for -1 (a date alone) */
static void
clock_text(int minutes, char buf[16])
{
	buf[0] = '\0';
	if (minutes >= 0)
		snprintf(buf, 16, " at %02d:%02d", (minutes / 60) % 100,
			 minutes % 60);
}

/* More confirmed participants than the mission's seats, or than a
 * category's quota? */
static fs_err
check_seats(struct check_ctx *c)
{
	const fs_check_input *in = c->in;
	size_t n_cat = in->n_category_codes;
	long *cat_confirmed = c->category_size;

	if (in->capacity >= 0 && c->n_confirmed > in->capacity)
		TRY(check_add(c, FS_ERROR, "mission-capacity", NULL,
			      "%ld confirmed participant%s for %ld seat%s; "
			      "raise the capacity or move %ld to the waiting "
			      "list", c->n_confirmed,
			      fs_plural(c->n_confirmed), in->capacity,
			      fs_plural(in->capacity),
			      c->n_confirmed - in->capacity));
	for (size_t k = 0; in->quotas && k < n_cat; k++)
		if (in->quotas[k] >= 0 && cat_confirmed[k] > in->quotas[k])
			TRY(check_add(c, FS_ERROR, "category-quota", NULL,
				      "%ld confirmed participant%s of "
				      "category %s for a quota of %ld; raise "
				      "the quota or move %ld to the waiting "
				      "list", cat_confirmed[k],
				      fs_plural(cat_confirmed[k]),
				      in->categories[k], in->quotas[k],
				      cat_confirmed[k] - in->quotas[k]));
	return FS_OK;
}

/* The first and last items (by start, by end) for all, of each group and
 * of each category; -1 for none. */
struct extremes {
	int *first_g, *last_g, *first_c, *last_c;
	int first_all, last_all;
	bool has_group_items;
};

/* *slot = item i when it starts before *slot, or *slot is none */
static void
earlier(const struct check_ctx *c, int *slot, size_t i)
{
	if (*slot < 0 || c->abs_start[i] < c->abs_start[*slot])
		*slot = (int)i;
}

/* *slot = item i when it ends after *slot, or *slot is none */
static void
later(const struct check_ctx *c, int *slot, size_t i)
{
	if (*slot < 0 || c->abs_end[i] > c->abs_end[*slot])
		*slot = (int)i;
}

static fs_err
find_extremes(struct extremes *x, const struct check_ctx *c)
{
	const fs_check_input *in = c->in;
	size_t n_groups = in->n_group_labels, n_cat = in->n_category_codes;

	x->first_all = x->last_all = -1;
	x->has_group_items = false;
	x->first_g = malloc((n_groups + 1) * sizeof(int));
	x->last_g = malloc((n_groups + 1) * sizeof(int));
	x->first_c = malloc((n_cat + 1) * sizeof(int));
	x->last_c = malloc((n_cat + 1) * sizeof(int));
	if (!x->first_g || !x->last_g || !x->first_c || !x->last_c)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t g = 0; g < n_groups; g++)
		x->first_g[g] = x->last_g[g] = -1;
	for (size_t k = 0; k < n_cat; k++)
		x->first_c[k] = x->last_c[k] = -1;
	for (size_t i = 0; i < in->n_items; i++) {
		const fs_check_item *it = &in->items[i];
		if (it->for_all) {
			earlier(c, &x->first_all, i);
			later(c, &x->last_all, i);
		}
		for (size_t j = 0; j < it->n_groups; j++) {
			earlier(c, &x->first_g[it->groups[j]], i);
			later(c, &x->last_g[it->groups[j]], i);
			x->has_group_items = true;
		}
		for (size_t j = 0; j < it->n_categories; j++) {
			earlier(c, &x->first_c[it->categories[j]], i);
			later(c, &x->last_c[it->categories[j]], i);
		}
	}
	return FS_OK;
}

/* One confirmed participant: in a group when the agenda needs one, there
 * from their first expected item to their last. */
static fs_err
check_person(struct check_ctx *c, const struct extremes *x,
	     const fs_check_person *who)
{
	const fs_check_input *in = c->in;
	int first = x->first_all, last = x->last_all;
	char w[48], at_time[16];
	fs_err err = FS_OK;

	if (who->group < 0 && x->has_group_items)
		err = check_add(c, FS_ERROR, "no-group", who->ref,
				"confirmed but in no group, while the agenda "
				"has items for groups only; run 'fieldschool "
				"plan groups %s' or give a group",
				in->mission);
	if (who->group >= 0) {
		if (x->first_g[who->group] >= 0)
			earlier(c, &first, (size_t)x->first_g[who->group]);
		if (x->last_g[who->group] >= 0)
			later(c, &last, (size_t)x->last_g[who->group]);
	}
	if (who->category >= 0 && x->first_c[who->category] >= 0) {
		earlier(c, &first, (size_t)x->first_c[who->category]);
		later(c, &last, (size_t)x->last_c[who->category]);
	}
	if (!err && first >= 0 && who->arrival_day != FS_CHECK_NO_DAY) {
		const fs_check_item *it = &in->items[first];
		long at = (long)(who->arrival_day - 1) * DAY_MIN +
			  (who->arrival_min < 0 ? 0 : who->arrival_min);
		bool late = who->arrival_min < 0
				    ? who->arrival_day > it->day
				    : at > c->abs_start[first];
		clock_text(who->arrival_min, at_time);
		if (late)
			err = check_add(c, FS_WARNING, "late-arrival",
					who->ref, "arrives on day %d%s, after "
					"the start of %s (%s), their first "
					"item; ask for an earlier arrival",
					who->arrival_day, at_time, it->ref,
					check_when(it, w));
	}
	if (!err && last >= 0 && who->departure_day != FS_CHECK_NO_DAY) {
		const fs_check_item *it = &in->items[last];
		long at = (long)(who->departure_day - 1) * DAY_MIN +
			  (who->departure_min < 0 ? DAY_MIN
						  : who->departure_min);
		bool early = who->departure_min < 0
				     ? who->departure_day < it->day
				     : at < c->abs_end[last];
		clock_text(who->departure_min, at_time);
		if (early)
			err = check_add(c, FS_WARNING, "early-departure",
					who->ref, "leaves on day %d%s, before "
					"the end of %s (%s), their last item; "
					"ask for a later departure",
					who->departure_day, at_time, it->ref,
					check_when(it, w));
	}
	return err;
}

fs_err
check_people(struct check_ctx *c)
{
	const fs_check_input *in = c->in;
	struct extremes x = { 0 };
	fs_err err;

	TRY(check_seats(c));
	if ((err = find_extremes(&x, c)))
		goto done;
	for (size_t p = 0; p < in->n_people && !err; p++)
		if (in->people[p].is_confirmed)
			err = check_person(c, &x, &in->people[p]);
done:
	free(x.first_g);
	free(x.last_g);
	free(x.first_c);
	free(x.last_c);
	return err;
}
