/*
 * check_overlap.c - the rules of check on things at once: double
 * bookings of places and facilitators, and people expected in two places
 * (check.h; the sweeps are described at the top of check.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

/* ---- double bookings of places and facilitators ---- */

struct booking {
	int key;
	int item;
	long start, end;
};

static int
booking_cmp(const void *a, const void *b)
{
	const struct booking *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->item - y->item;
}

/* Item it starts while other, which holds the same place or facilitator
 * key, is still running. */
static fs_err
report_booking(struct check_ctx *c, bool places, int key,
	       const fs_check_item *it, const fs_check_item *other)
{
	const fs_check_input *in = c->in;
	bool both_visits = it->is_visit && other->is_visit;
	char w1[48], w2[48];

	if (!places)
		return check_add(c, FS_ERROR, "facilitator-overlap", it->ref,
				 "facilitator '%s' is at %s (%s) and at %s "
				 "(%s) at once; give one of them another "
				 "facilitator or move it",
				 in->facilitators[key], it->ref,
				 check_when(it, w1), other->ref,
				 check_when(other, w2));
	return check_add(c, both_visits ? FS_ERROR : FS_WARNING,
			 "place-overlap", it->ref,
			 "'%s' is booked at %s and also for %s at %s; %s",
			 in->places[key].name, check_when(it, w1), other->ref,
			 check_when(other, w2),
			 both_visits ? "a site hosts one visit at a time: "
				       "merge their audiences or move one"
				     : "fine if they use different rooms, "
				       "else move one");
}

fs_err
check_bookings(struct check_ctx *c, bool places)
{
	const fs_check_input *in = c->in;
	struct booking *rows;
	size_t n = 0, cap = 0;
	fs_err err = FS_OK;

	for (size_t i = 0; i < in->n_items; i++)
		cap += places ? (in->items[i].place >= 0)
			      : in->items[i].n_facilitators;
	if (!cap)
		return FS_OK;
	if (!(rows = malloc(cap * sizeof(*rows))))
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < in->n_items; i++) {
		const fs_check_item *it = &in->items[i];
		if (places && it->place >= 0)
			rows[n++] = (struct booking){ it->place, (int)i,
						      c->abs_start[i],
						      c->abs_end[i] };
		for (size_t f = 0; !places && f < it->n_facilitators; f++)
			rows[n++] = (struct booking){ it->facilitators[f],
						      (int)i, c->abs_start[i],
						      c->abs_end[i] };
	}
	qsort(rows, n, sizeof(*rows), booking_cmp);
	for (size_t i = 1, last = 0; i < n && !err; i++) {
		if (rows[i].key != rows[last].key) {
			last = i;
			continue;
		}
		if (rows[i].start < rows[last].end &&
		    rows[i].item != rows[last].item)
			err = report_booking(c, places, rows[i].key,
					     &in->items[rows[i].item],
					     &in->items[rows[last].item]);
		if (rows[i].end > rows[last].end)
			last = i;
	}
	free(rows);
	return err;
}

/* ---- people expected in two places at once ---- */

static fs_err
report_clash(struct check_ctx *c, int later, int earlier, const char *who)
{
	const fs_check_item *it = &c->in->items[later];
	const fs_check_item *other = &c->in->items[earlier];
	char w1[48], w2[48];

	return check_add(c, FS_ERROR, "audience-overlap", it->ref,
			 "%s expected at %s (%s) and at %s (%s) at once; move "
			 "one of them or change its audience", who, it->ref,
			 check_when(it, w1), other->ref, check_when(other, w2));
}

/* Is y (running until after x starts) a clash with x, and through whom? */
static bool
shares_people(const struct check_ctx *c, const fs_check_item *x,
	      const fs_check_item *y, char *who, size_t size)
{
	const fs_check_input *in = c->in;
	size_t n_cat = in->n_category_codes;

	if (x->for_all || y->for_all) {
		/* name the smaller audience: the other one is everyone */
		const fs_check_item *part = x->for_all ? y : x;
		if (part->for_all)
			snprintf(who, size, "everyone is");
		else if (part->n_groups)
			snprintf(who, size, "group %s is",
				 in->groups[part->groups[0]]);
		else if (part->n_categories)
			snprintf(who, size, "category %s is",
				 in->categories[part->categories[0]]);
		else
			snprintf(who, size, "everyone is");
		return true;
	}
	for (size_t i = 0; i < x->n_groups; i++)
		for (size_t j = 0; j < y->n_groups; j++)
			if (x->groups[i] == y->groups[j]) {
				snprintf(who, size, "group %s is",
					 in->groups[x->groups[i]]);
				return true;
			}
	for (size_t i = 0; i < x->n_categories; i++)
		for (size_t j = 0; j < y->n_categories; j++)
			if (x->categories[i] == y->categories[j]) {
				snprintf(who, size, "category %s is",
					 in->categories[x->categories[i]]);
				return true;
			}
	for (int pass = 0; pass < 2; pass++) {
		const fs_check_item *g = pass ? y : x, *k = pass ? x : y;
		for (size_t i = 0; i < g->n_groups; i++)
			for (size_t j = 0; j < k->n_categories; j++) {
				long n = c->pairs[(size_t)g->groups[i] * n_cat +
						  (size_t)k->categories[j]];
				if (n > 0) {
					snprintf(who, size, "%ld confirmed "
						 "participant%s of group %s "
						 "and category %s %s", n,
						 n == 1 ? "" : "s",
						 in->groups[g->groups[i]],
						 in->categories[k->categories[j]],
						 n == 1 ? "is" : "are");
					return true;
				}
			}
	}
	return false;
}

/* Per category, the groups that share people with it, in group order (a
 * category item looks at those, not at every group): the groups of
 * category k are (*groups_out)[(*at_out)[k] .. (*at_out)[k + 1]). */
static fs_err
category_groups(size_t **at_out, int **groups_out, const struct check_ctx *c)
{
	size_t n_groups = c->in->n_group_labels;
	size_t n_cat = c->in->n_category_codes;
	size_t *cat_at = calloc(n_cat + 2, sizeof(size_t));
	int *cat_groups = NULL;
	size_t n_links = 0;

	*at_out = NULL;
	*groups_out = NULL;
	if (!cat_at)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t g = 0; g < n_groups; g++)
		for (size_t k = 0; k < n_cat; k++)
			if (c->pairs[g * n_cat + k])
				cat_at[k + 2]++, n_links++;
	for (size_t k = 0; k < n_cat; k++)
		cat_at[k + 2] += cat_at[k + 1];
	if (!(cat_groups = malloc((n_links + 1) * sizeof(int)))) {
		free(cat_at);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	for (size_t g = 0; g < n_groups; g++)
		for (size_t k = 0; k < n_cat; k++)
			if (c->pairs[g * n_cat + k])
				cat_groups[cat_at[k + 1]++] = (int)g;
	*at_out = cat_at;
	*groups_out = cat_groups;
	return FS_OK;
}

fs_err
check_audiences(struct check_ctx *c, const int *order)
{
	const fs_check_input *in = c->in;
	size_t n_groups = in->n_group_labels, n_cat = in->n_category_codes;
	int *last_group = malloc((n_groups + 1) * sizeof(int));
	int *last_cat = malloc((n_cat + 1) * sizeof(int));
	int *cand = NULL, *cand_of = NULL;
	size_t *cat_at = NULL;
	int *cat_groups = NULL;
	int last_all = -1, last_any = -1;
	fs_err err = FS_OK;

	cand = malloc((n_groups + n_cat + 4) * 2 * sizeof(int));
	/* per item, the sweep position o of the last item that took it as a
	 * candidate: a list is deduplicated without being searched */
	cand_of = malloc((in->n_items + 1) * sizeof(int));
	if (!last_group || !last_cat || !cand || !cand_of) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if ((err = category_groups(&cat_at, &cat_groups, c)))
		goto done;
	for (size_t i = 0; i < in->n_items; i++)
		cand_of[i] = -1;
	for (size_t g = 0; g < n_groups; g++)
		last_group[g] = -1;
	for (size_t k = 0; k < n_cat; k++)
		last_cat[k] = -1;
	for (size_t o = 0; o < in->n_items && !err; o++) {
		int x = order[o], n_cand = 0;
		const fs_check_item *it = &in->items[x];
#define CAND(i)                                                              \
	do {                                                                 \
		int ci_ = (i);                                               \
		if (ci_ >= 0 && c->abs_end[ci_] > c->abs_start[x] &&         \
		    cand_of[ci_] != (int)o) {                                \
			cand_of[ci_] = (int)o;                               \
			cand[n_cand++] = ci_;                                \
		}                                                            \
	} while (0)
		if (it->for_all) {
			CAND(last_any);
		} else {
			CAND(last_all);
			for (size_t i = 0; i < it->n_groups; i++) {
				int g = it->groups[i];
				CAND(last_group[g]);
				for (size_t k = 0; k < n_cat; k++)
					if (c->pairs[(size_t)g * n_cat + k])
						CAND(last_cat[k]);
			}
			for (size_t i = 0; i < it->n_categories; i++) {
				int k = it->categories[i];
				CAND(last_cat[k]);
				for (size_t l = cat_at[k]; l < cat_at[k + 1]; l++)
					CAND(last_group[cat_groups[l]]);
			}
		}
#undef CAND
		for (int i = 0; i < n_cand && !err; i++) {
			char who[256];
			if (shares_people(c, it, &in->items[cand[i]], who,
					  sizeof(who)))
				err = report_clash(c, x, cand[i], who);
		}
#define KEEP(slot)                                                           \
	do {                                                                 \
		if ((slot) < 0 || c->abs_end[slot] < c->abs_end[x])          \
			(slot) = x;                                          \
	} while (0)
		KEEP(last_any);
		if (it->for_all)
			KEEP(last_all);
		for (size_t i = 0; i < it->n_groups; i++)
			KEEP(last_group[it->groups[i]]);
		for (size_t i = 0; i < it->n_categories; i++)
			KEEP(last_cat[it->categories[i]]);
#undef KEEP
	}
done:
	free(last_group);
	free(last_cat);
	free(cand);
	free(cand_of);
	free(cat_at);
	free(cat_groups);
	return err;
}
