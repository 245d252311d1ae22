/*
 * check_items.c - the rules of check on each item: its day and hours, an
 * audience with no confirmed participant, a visit's audience over its
 * site's capacity (check.h).
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"

/* The confirmed participants in the audience of it, exactly: inclusion
 * and exclusion over the group x category table. */
static long
audience_size(const struct check_ctx *c, const fs_check_item *it)
{
	size_t n_cat = c->in->n_category_codes;
	long n = 0;

	if (it->for_all)
		return c->n_confirmed;
	for (size_t i = 0; i < it->n_groups; i++)
		n += c->group_size[it->groups[i]];
	for (size_t j = 0; j < it->n_categories; j++)
		n += c->category_size[it->categories[j]];
	for (size_t i = 0; i < it->n_groups; i++)
		for (size_t j = 0; j < it->n_categories; j++)
			n -= c->pairs[(size_t)it->groups[i] * n_cat +
				      (size_t)it->categories[j]];
	return n;
}

/* "A, B, C" (the groups with confirmed people, in order), at most 12:
 * made once, as every empty-audience warning names them (sorting the
 * labels for each would make check quadratic) */
static fs_err
groups_in_use(struct check_ctx *c, const char **out)
{
	char *buf = c->groups_used;
	size_t size = sizeof(c->groups_used);
	size_t len = 0, n = 0, all = c->in->n_group_labels;
	const char **labels;

	*out = buf;
	if (c->has_groups_used)
		return FS_OK;
	if (!(labels = malloc((all + 1) * sizeof(char *))))
		return fs_fail(FS_ENOMEM, "out of memory");
	c->has_groups_used = true;
	for (size_t g = 0; g < all; g++)
		if (c->group_size[g])
			labels[n++] = c->in->groups[g];
	qsort(labels, n, sizeof(char *), fs_group_label_cmp);
	buf[0] = '\0';
	for (size_t k = 0; k < n && len < size; k++) {
		if (k == 12) {
			snprintf(buf + len, size - len, ", ...");
			break;
		}
		len += (size_t)snprintf(buf + len, size - len, "%s%s",
					k ? ", " : "", labels[k]);
	}
	free(labels);
	return FS_OK;
}

/* An audience group or category with no confirmed participant: most
 * often a typo (group:Z, group:a for A), and then the people meant miss
 * the item without any other rule noticing. */
static fs_err
check_empty_audience(struct check_ctx *c, const fs_check_item *it)
{
	const fs_check_input *in = c->in;
	const char *used;

	for (size_t i = 0; i < it->n_groups; i++) {
		int g = it->groups[i];
		if (c->group_size[g])
			continue;
		TRY(groups_in_use(c, &used));
		TRY(check_add(c, FS_WARNING, "empty-audience", it->ref,
			      "is for group %s, which has no confirmed "
			      "participant (groups in use: %s); correct its "
			      "audience (agenda edit %s --audience "
			      "group:LABEL) or put people in group %s",
			      in->groups[g], *used ? used : "none", it->ref,
			      in->groups[g]));
	}
	for (size_t i = 0; i < it->n_categories; i++) {
		int k = it->categories[i];
		if (c->category_size[k])
			continue;
		TRY(check_add(c, FS_WARNING, "empty-audience", it->ref,
			      "is for category %s, which has no confirmed "
			      "participant; correct its audience (agenda edit "
			      "%s --audience category:CODE) or confirm its "
			      "participants", in->categories[k], it->ref));
	}
	return FS_OK;
}

/* More confirmed participants expected at it than its site takes at
 * once? */
static fs_err
check_visit_capacity(struct check_ctx *c, const fs_check_item *it)
{
	const fs_check_input *in = c->in;
	long n = audience_size(c, it);
	char w[48];

	if (n <= it->capacity)
		return FS_OK;
	return check_add(c, FS_ERROR, "visit-capacity", it->ref,
			 "%ld confirmed participant%s expected (%s) but '%s' "
			 "takes %ld at once; split the audience into smaller "
			 "groups (see 'fieldschool plan visits')", n,
			 fs_plural(n), check_when(it, w),
			 it->place >= 0 ? in->places[it->place].name
					: "the site",
			 it->capacity);
}

fs_err
check_items(struct check_ctx *c)
{
	const fs_check_input *in = c->in;

	for (size_t i = 0; i < in->n_items; i++) {
		const fs_check_item *it = &in->items[i];
		if (it->day < 1 || it->day > in->days)
			TRY(check_add(c, FS_ERROR, "item-outside-days", it->ref,
				      "is on day %d but %s has days 1 to %d; "
				      "move it into the mission", it->day,
				      in->mission, in->days));
		if (it->start < 0 || it->start >= DAY_MIN)
			TRY(check_add(c, FS_ERROR, "item-hours", it->ref,
				      "starts at minute %d of its day, which "
				      "is no time of day; give a start from "
				      "00:00 to 23:59", it->start));
		else if (it->end == it->start)
			TRY(check_add(c, FS_ERROR, "item-hours", it->ref,
				      "does not end after it starts "
				      "(%02d:%02d-%02d:%02d); correct its end",
				      it->start / 60, it->start % 60,
				      it->start / 60, it->start % 60));
		else if (it->end < it->start)
			TRY(check_add(c, FS_ERROR, "item-hours", it->ref,
				      "ends (%02d:%02d) before it starts "
				      "(%02d:%02d); correct its end",
				      (it->end / 60) % 100,
				      ((it->end % 60) + 60) % 60,
				      it->start / 60, it->start % 60));
		else if (it->end - it->start > DAY_MIN)
			TRY(check_add(c, FS_ERROR, "item-hours", it->ref,
				      "lasts %d hours, longer than a day; "
				      "split it into one item per day",
				      (it->end - it->start) / 60));
		TRY(check_empty_audience(c, it));
		if (it->capacity > 0)
			TRY(check_visit_capacity(c, it));
	}
	return FS_OK;
}
