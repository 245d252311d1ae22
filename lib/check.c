/*
 * check.c - the rules of `fieldschool check`, on arrays: the findings and
 * the order of the rules, which live in check_items.c, check_overlap.c,
 * check_travel.c, check_people.c and check_clocks.c (check.h).
 *
 * Every rule is a pass over the items or the people, and the passes that
 * look for clashes sort once and sweep, so a check costs O(n log n) in
 * agenda items plus O(people) (plus, per item with a category audience,
 * the groups that share people with the category):
 *
 * Double bookings (check_overlap.c).  Each item is expanded into one (key,
 * start, end) row per resource it holds: its place, each facilitator.
 * Sorted by key then start, a sweep keeps, per key, the item that ends
 * last so far; a row that starts before that end overlaps it.  This finds
 * every item that starts while an earlier one of the same resource is
 * still running (it names one partner, the one that ends last), which is
 * what an organizer must fix.
 *
 * People in two places (check_overlap.c).  Audiences overlap through
 * people: "all" meets everyone; group A meets group A; category c meets
 * category c; group A meets category c when some confirmed participant is
 * in both (a table of group x category counts says so).  Items sorted by
 * start are swept once keeping the latest-ending item so far for all, for
 * any audience, for each group and for each category; an item is compared
 * with the few of those its audience meets.  Same argument as above: if an
 * item overlaps any earlier one with whom it shares people, it overlaps
 * the latest-ending of that audience class.
 *
 * Travel (check_travel.c).  For each group, the items it attends (audience
 * all or naming the group) with a place that has coordinates, in order of
 * start: between two consecutive ones at different places on the same day,
 * the gap must hold the great-circle distance at the configured speed (an
 * error when it does not) plus the buffer (a warning when only the buffer
 * is missing).  Pairs of two items for all are checked once, not once per
 * group.
 *
 * Counts (check_items.c, check_people.c).  Visit audiences are sized
 * exactly by inclusion-exclusion over the group x category table;
 * capacity, quotas, missing groups and arrival/departure against each
 * person's first and last expected item are single passes over the people
 * with per-group and per-category extremes computed beforehand.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

const char *
fs_severity_name(fs_severity severity)
{
	return severity == FS_ERROR ? "error" : "warning";
}

void
fs_findings_release(fs_findings *list)
{
	for (size_t i = 0; i < list->n; i++) {
		free(list->items[i].mission);
		free(list->items[i].subject);
		free(list->items[i].message);
	}
	free(list->items);
	list->items = NULL;
	list->n = list->cap = list->n_errors = 0;
}

fs_err
check_add(struct check_ctx *c, fs_severity severity, const char *rule,
	  const char *subject, const char *fmt, ...)
{
	fs_findings *out = c->out;
	fs_finding *f;
	va_list ap;
	int n;

	if (out->n == out->cap) {
		size_t cap = out->cap ? out->cap * 2 : 16;
		fs_finding *grown = realloc(out->items, cap * sizeof(*grown));
		if (!grown)
			return fs_fail(FS_ENOMEM, "out of memory");
		out->items = grown;
		out->cap = cap;
	}
	f = &out->items[out->n];
	memset(f, 0, sizeof(*f));
	f->severity = severity;
	f->rule = rule;
	f->mission = strdup(c->in->mission ? c->in->mission : "");
	f->subject = strdup(subject ? subject : "mission");
	va_start(ap, fmt);
	n = vasprintf(&f->message, fmt, ap);
	va_end(ap);
	if (n < 0)
		f->message = NULL;
	if (!f->mission || !f->subject || !f->message) {
		free(f->mission);
		free(f->subject);
		free(f->message);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	out->n++;
	if (severity == FS_ERROR)
		out->n_errors++;
	return FS_OK;
}

const char *
check_when(const fs_check_item *it, char buf[48])
{
	snprintf(buf, 48, "day %d %02d:%02d-%02d:%02d", it->day,
		 (it->start / 60) % 100, it->start % 60, (it->end / 60) % 100,
		 it->end % 60);
	return buf;
}

int
check_item_cmp(const struct check_ctx *c, int a, int b)
{
	if (c->abs_start[a] != c->abs_start[b])
		return c->abs_start[a] < c->abs_start[b] ? -1 : 1;
	if (c->abs_end[a] != c->abs_end[b])
		return c->abs_end[a] < c->abs_end[b] ? -1 : 1;
	return a - b;
}

static int
item_start_cmp(const void *a, const void *b, void *c)
{
	return check_item_cmp(c, *(const int *)a, *(const int *)b);
}

int
fs_group_label_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

fs_err
fs_check_run(fs_findings *out, const fs_check_input *in)
{
	struct check_ctx c = { .in = in, .out = out };
	size_t n_groups = in->n_group_labels, n_cat = in->n_category_codes;
	int *order = NULL;
	fs_err err = FS_OK;

	c.speed = in->speed_kmh > 0 ? in->speed_kmh : FS_CHECK_SPEED_KMH;
	c.buffer = in->buffer_min >= 0 ? in->buffer_min : FS_CHECK_BUFFER_MIN;
	c.abs_start = malloc((in->n_items + 1) * sizeof(long));
	c.abs_end = malloc((in->n_items + 1) * sizeof(long));
	c.pairs = calloc(n_groups * n_cat + 1, sizeof(long));
	c.group_size = calloc(n_groups + 1, sizeof(long));
	c.category_size = calloc(n_cat + 1, sizeof(long));
	order = malloc((in->n_items + 1) * sizeof(int));
	if (!c.abs_start || !c.abs_end || !c.pairs || !c.group_size ||
	    !c.category_size || !order) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < in->n_items; i++) {
		const fs_check_item *it = &in->items[i];
		c.abs_start[i] = (long)(it->day - 1) * DAY_MIN + it->start;
		c.abs_end[i] = (long)(it->day - 1) * DAY_MIN + it->end;
		order[i] = (int)i;
	}
	for (size_t p = 0; p < in->n_people; p++) {
		const fs_check_person *who = &in->people[p];
		if (!who->is_confirmed)
			continue;
		c.n_confirmed++;
		if (who->category >= 0)
			c.category_size[who->category]++;
		if (who->group >= 0)
			c.group_size[who->group]++;
		if (who->group >= 0 && who->category >= 0)
			c.pairs[(size_t)who->group * n_cat +
				(size_t)who->category]++;
	}
	qsort_r(order, in->n_items, sizeof(int), item_start_cmp, &c);

	if (in->days < 3 || in->days > 4)
		err = check_add(&c, FS_ERROR, "mission-days", NULL,
				"lasts %d day%s; a field school has 3 or 4: "
				"change its days", in->days,
				fs_plural(in->days));
	if (!err)
		err = check_items(&c);
	if (!err)
		err = check_bookings(&c, false);
	if (!err)
		err = check_bookings(&c, true);
	if (!err)
		err = check_audiences(&c, order);
	if (!err)
		err = check_travel(&c, order);
	if (!err)
		err = check_people(&c);
	if (!err)
		err = check_clocks(&c);
done:
	free(c.abs_start);
	free(c.abs_end);
	free(c.pairs);
	free(c.group_size);
	free(c.category_size);
	free(order);
	return err;
}
