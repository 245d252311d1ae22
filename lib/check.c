/*
 * check.c - the rules of `fieldschool check`, on arrays.
 *
 * Every rule is a pass over the items or the people, and the passes that
 * look for clashes sort once and sweep, so a check costs O(n log n) in
 * agenda items plus O(people) (plus, per item with a category audience,
 * the groups that share people with the category):
 *
 * Double bookings.  Each item is expanded into one (key, start, end) row
 * per resource it holds: its place, each facilitator.  Sorted by key then
 * start, a sweep keeps, per key, the item that ends last so far; a row that
 * starts before that end overlaps it.  This finds every item that starts
 * while an earlier one of the same resource is still running (it names one
 * partner, the one that ends last), which is what an organizer must fix.
 *
 * People in two places.  Audiences overlap through people: "all" meets
 * everyone; group A meets group A; category c meets category c; group A
 * meets category c when some confirmed participant is in both (a table of
 * group x category counts says so).  Items sorted by start are swept once
 * keeping the latest-ending item so far for all, for any audience, for each
 * group and for each category; an item is compared with the few of those
 * its audience meets.  Same argument as above: if an item overlaps any
 * earlier one with whom it shares people, it overlaps the latest-ending
 * of that audience class.
 *
 * Travel.  For each group, the items it attends (audience all or naming
 * the group) with a place that has coordinates, in order of start: between
 * two consecutive ones at different places on the same day, the gap must
 * hold the great-circle distance at the configured speed (an error when it
 * does not) plus the buffer (a warning when only the buffer is missing).
 * Pairs of two items for all are checked once, not once per group.
 *
 * Counts.  Visit audiences are sized exactly by inclusion-exclusion over
 * the group x category table; capacity, quotas, missing groups and
 * arrival/departure against each person's first and last expected item are
 * single passes over the people with per-group and per-category extremes
 * computed beforehand.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/check.h"

#define DAY_MIN 1440

const char *
fs_severity_name(fs_severity severity)
{
	return severity == FS_ERROR ? "error" : "warning";
}

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

struct ctx {
	const fs_check_input *in;
	fs_findings *out;
	long *abs_start, *abs_end; /* per item, minutes since day 1 00:00 */
	long *pairs;               /* groups x categories: confirmed people */
	long *group_size, *category_size;
	long n_confirmed;
	double speed;
	int buffer;
	char groups_used[256]; /* groups_in_use(), made once when first asked */
	bool has_groups_used;
};

static fs_err __attribute__((format(printf, 5, 6)))
add(struct ctx *c, fs_severity severity, const char *rule,
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

/* "day 2 09:15-11:45" */
static const char *
when(const fs_check_item *it, char buf[48])
{
	snprintf(buf, 48, "day %d %02d:%02d-%02d:%02d", it->day,
		 (it->start / 60) % 100, it->start % 60, (it->end / 60) % 100,
		 it->end % 60);
	return buf;
}

#define TRY(expr)                                                            \
	do {                                                                 \
		fs_err try_err_ = (expr);                                    \
		if (try_err_)                                                \
			return try_err_;                                     \
	} while (0)

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

static fs_err
check_bookings(struct ctx *c, bool places)
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
		char w1[48], w2[48];
		const fs_check_item *it, *other;
		if (rows[i].key != rows[last].key) {
			last = i;
			continue;
		}
		if (rows[i].start < rows[last].end &&
		    rows[i].item != rows[last].item) {
			it = &in->items[rows[i].item];
			other = &in->items[rows[last].item];
			if (places) {
				bool both_visits = it->is_visit &&
						   other->is_visit;
				err = add(c, both_visits ? FS_ERROR : FS_WARNING,
					  "place-overlap", it->ref,
					  "'%s' is booked at %s and also for "
					  "%s at %s; %s",
					  in->places[rows[i].key].name,
					  when(it, w1), other->ref,
					  when(other, w2),
					  both_visits
						  ? "a site hosts one visit at "
						    "a time: merge their "
						    "audiences or move one"
						  : "fine if they use different "
						    "rooms, else move one");
			} else {
				err = add(c, FS_ERROR, "facilitator-overlap",
					  it->ref,
					  "facilitator '%s' is at %s (%s) and "
					  "at %s (%s) at once; give one of "
					  "them another facilitator or move it",
					  in->facilitators[rows[i].key], it->ref,
					  when(it, w1), other->ref,
					  when(other, w2));
			}
		}
		if (rows[i].end > rows[last].end)
			last = i;
	}
	free(rows);
	return err;
}

/* ---- people expected in two places at once ---- */

static int
item_start_cmp_ctx(const struct ctx *c, int a, int b)
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
	return item_start_cmp_ctx(c, *(const int *)a, *(const int *)b);
}

static fs_err
report_clash(struct ctx *c, int later, int earlier, const char *who)
{
	const fs_check_item *it = &c->in->items[later];
	const fs_check_item *other = &c->in->items[earlier];
	char w1[48], w2[48];

	return add(c, FS_ERROR, "audience-overlap", it->ref,
		   "%s expected at %s (%s) and at %s (%s) at once; move one "
		   "of them or change its audience", who, it->ref, when(it, w1),
		   other->ref, when(other, w2));
}

/* Is y (running until after x starts) a clash with x, and through whom? */
static bool
shares_people(const struct ctx *c, const fs_check_item *x,
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

static fs_err
check_audiences(struct ctx *c, const int *order)
{
	const fs_check_input *in = c->in;
	size_t n_groups = in->n_group_labels, n_cat = in->n_category_codes;
	int *last_group = malloc((n_groups + 1) * sizeof(int));
	int *last_cat = malloc((n_cat + 1) * sizeof(int));
	int *cand = NULL, *cand_of = NULL;
	/* per category, the groups that share people with it, in group order
	 * (a category item looks at those, not at every group) */
	size_t *cat_at = calloc(n_cat + 2, sizeof(size_t));
	int *cat_groups = NULL;
	size_t n_links = 0;
	int last_all = -1, last_any = -1;
	fs_err err = FS_OK;

	cand = malloc((n_groups + n_cat + 4) * 2 * sizeof(int));
	/* per item, the sweep position o of the last item that took it as a
	 * candidate: a list is deduplicated without being searched */
	cand_of = malloc((in->n_items + 1) * sizeof(int));
	if (!last_group || !last_cat || !cand || !cand_of || !cat_at) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t g = 0; g < n_groups; g++)
		for (size_t k = 0; k < n_cat; k++)
			if (c->pairs[g * n_cat + k])
				cat_at[k + 2]++, n_links++;
	for (size_t k = 0; k < n_cat; k++)
		cat_at[k + 2] += cat_at[k + 1];
	if (!(cat_groups = malloc((n_links + 1) * sizeof(int)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t g = 0; g < n_groups; g++)
		for (size_t k = 0; k < n_cat; k++)
			if (c->pairs[g * n_cat + k])
				cat_groups[cat_at[k + 1]++] = (int)g;
	/* now the groups of category k are cat_groups[cat_at[k]..cat_at[k+1]) */
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

/* ---- items: days, hours, capacity ---- */

static long
audience_size(const struct ctx *c, const fs_check_item *it)
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

int
fs_group_label_cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	size_t lx = strlen(x), ly = strlen(y);
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return strcmp(x, y);
}

/* "A, B, C" (the groups with confirmed people, in order), at most 12:
 * made once, as every empty-audience warning names them (sorting the
 * labels for each would make check quadratic) */
static fs_err
groups_in_use(struct ctx *c, const char **out)
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
check_empty_audience(struct ctx *c, const fs_check_item *it)
{
	const fs_check_input *in = c->in;
	const char *used;

	for (size_t i = 0; i < it->n_groups; i++) {
		int g = it->groups[i];
		if (c->group_size[g])
			continue;
		TRY(groups_in_use(c, &used));
		TRY(add(c, FS_WARNING, "empty-audience", it->ref,
			"is for group %s, which has no confirmed participant "
			"(groups in use: %s); correct its audience (agenda "
			"edit %s --audience group:LABEL) or put people in "
			"group %s", in->groups[g], *used ? used : "none",
			it->ref, in->groups[g]));
	}
	for (size_t i = 0; i < it->n_categories; i++) {
		int k = it->categories[i];
		if (c->category_size[k])
			continue;
		TRY(add(c, FS_WARNING, "empty-audience", it->ref,
			"is for category %s, which has no confirmed "
			"participant; correct its audience (agenda edit %s "
			"--audience category:CODE) or confirm its "
			"participants", in->categories[k], it->ref));
	}
	return FS_OK;
}

/* ---- times the clocks skip or repeat ---- */

/*
 * A wall-clock time in the hour the clocks go back happens twice; calendar
 * feeds give the first (RFC 5545), as UTC so that every client agrees,
 * but the organizer should know.  A time the clocks skip cannot be added
 * to the agenda; it can still come from a change of time zone, and an
 * arrival may hold one (feeds show the time the clocks show instead).
 */
static fs_err
clock_finding(struct ctx *c, const char *subject, const char *what, int day,
	      int minutes, int change)
{
	const char *zone = c->in->timezone ? c->in->timezone
					   : "the mission's time zone";
	int h = minutes / 60 % 24, m = minutes % 60;

	if (change < 0)
		return add(c, FS_WARNING, "clock-change", subject,
			   "%s at %02d:%02d on day %d, a time that happens twice "
			   "in %s (the clocks go back %d minutes): calendars "
			   "show the first %02d:%02d, before the change; give "
			   "a time outside that hour if the second was meant",
			   what, h, m, day, zone, -change, h, m);
	int shown = minutes + change;
	return add(c, FS_WARNING, "clock-change", subject,
		   "%s at %02d:%02d on day %d, a time that does not exist in %s "
		   "(the clocks go forward %d minutes): calendars show "
		   "%02d:%02d; give the time the clocks show", what, h, m,
		   day, zone, change, shown / 60 % 24, shown % 60);
}

static fs_err
check_clocks(struct ctx *c)
{
	const fs_check_input *in = c->in;
	fs_err err = FS_OK;

	for (size_t i = 0; !err && i < in->n_items; i++) {
		const fs_check_item *it = &in->items[i];
		if (it->start_clock)
			err = clock_finding(c, it->ref, "starts", it->day,
					    it->start, it->start_clock);
		if (!err && it->end_clock)
			err = clock_finding(c, it->ref, "ends", it->day,
					    it->end, it->end_clock);
	}
	for (size_t p = 0; !err && p < in->n_people; p++) {
		const fs_check_person *who = &in->people[p];
		if (!who->is_confirmed)
			continue;
		if (who->arrival_clock && who->arrival_min >= 0)
			err = clock_finding(c, who->ref, "arrives",
					    who->arrival_day, who->arrival_min,
					    who->arrival_clock);
		if (!err && who->departure_clock && who->departure_min >= 0)
			err = clock_finding(c, who->ref, "leaves",
					    who->departure_day,
					    who->departure_min,
					    who->departure_clock);
	}
	return err;
}

static fs_err
check_items(struct ctx *c)
{
	const fs_check_input *in = c->in;

	for (size_t i = 0; i < in->n_items; i++) {
		const fs_check_item *it = &in->items[i];
		char w[48];
		if (it->day < 1 || it->day > in->days)
			TRY(add(c, FS_ERROR, "item-outside-days", it->ref,
				"is on day %d but %s has days 1 to %d; move "
				"it into the mission", it->day, in->mission,
				in->days));
		if (it->start < 0 || it->start >= DAY_MIN)
			TRY(add(c, FS_ERROR, "item-hours", it->ref,
				"starts at minute %d of its day, which is no "
				"time of day; give a start from 00:00 to 23:59",
				it->start));
		else if (it->end == it->start)
			TRY(add(c, FS_ERROR, "item-hours", it->ref,
				"does not end after it starts (%02d:%02d-"
				"%02d:%02d); correct its end", it->start / 60,
				it->start % 60, it->start / 60,
				it->start % 60));
		else if (it->end < it->start)
			TRY(add(c, FS_ERROR, "item-hours", it->ref,
				"ends (%02d:%02d) before it starts (%02d:%02d); "
				"correct its end", (it->end / 60) % 100,
				((it->end % 60) + 60) % 60, it->start / 60,
				it->start % 60));
		else if (it->end - it->start > DAY_MIN)
			TRY(add(c, FS_ERROR, "item-hours", it->ref,
				"lasts %d hours, longer than a day; split it "
				"into one item per day",
				(it->end - it->start) / 60));
		TRY(check_empty_audience(c, it));
		if (it->capacity > 0) {
			long n = audience_size(c, it);
			if (n > it->capacity)
				TRY(add(c, FS_ERROR, "visit-capacity", it->ref,
					"%ld confirmed participant%s expected "
					"(%s) but \'%s\' takes %ld at once; split "
					"the audience into smaller groups (see "
					"\'fieldschool plan visits\')", n, fs_plural(n),
					when(it, w),
					it->place >= 0
						? in->places[it->place].name
						: "the site",
					it->capacity));
		}
	}
	return FS_OK;
}

/* ---- travel between consecutive places ---- */

static bool
has_coords(const struct ctx *c, const fs_check_item *it)
{
	return it->place >= 0 && c->in->places[it->place].has_coords;
}

static fs_err
travel_pair(struct ctx *c, int a, int b, const char *who)
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
		return add(c, FS_ERROR, "travel-time", y->ref,
			   "%s has %ld min from '%s' (%s) to '%s', %.1f km "
			   "away: about %d min at %.0f km/h; leave at least "
			   "%d min between them", who, gap, p->name, x->ref,
			   q->name, km, need, c->speed, need + c->buffer);
	if (gap < need + c->buffer)
		return add(c, FS_WARNING, "travel-time", y->ref,
			   "%s has %ld min from '%s' (%s) to '%s', %.1f km "
			   "away: %d min at %.0f km/h leaves less than the "
			   "%d min buffer; leave %d min", who, gap, p->name,
			   x->ref, q->name, km, need, c->speed, c->buffer,
			   need + c->buffer);
	return FS_OK;
}

/* The end of the run alls[from..) of items that come before item x in
 * start order (alls is in that order). */
static size_t
alls_before(const struct ctx *c, const int *alls, size_t from, size_t n_alls,
	    int x)
{
	size_t lo = from, hi = n_alls;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (item_start_cmp_ctx(c, alls[mid], x) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static fs_err
check_travel(struct ctx *c, const int *order)
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

/* ---- people ---- */

/* " at HH:MM", or "" for -1 (a date alone) */
static void
clock_text(int minutes, char buf[16])
{
	buf[0] = '\0';
	if (minutes >= 0)
		snprintf(buf, 16, " at %02d:%02d", (minutes / 60) % 100,
			 minutes % 60);
}

static fs_err
check_people(struct ctx *c)
{
	const fs_check_input *in = c->in;
	size_t n_groups = in->n_group_labels, n_cat = in->n_category_codes;
	long *cat_confirmed = c->category_size;
	int *first_g = NULL, *last_g = NULL, *first_c = NULL, *last_c = NULL;
	int first_all = -1, last_all = -1;
	bool has_group_items = false;
	fs_err err = FS_OK;

	if (in->capacity >= 0 && c->n_confirmed > in->capacity)
		TRY(add(c, FS_ERROR, "mission-capacity", NULL,
			"%ld confirmed participant%s for %ld seat%s; raise the "
			"capacity or move %ld to the waiting list",
			c->n_confirmed, fs_plural(c->n_confirmed),
			in->capacity, fs_plural(in->capacity),
			c->n_confirmed - in->capacity));
	for (size_t k = 0; in->quotas && k < n_cat; k++)
		if (in->quotas[k] >= 0 && cat_confirmed[k] > in->quotas[k])
			TRY(add(c, FS_ERROR, "category-quota", NULL,
				"%ld confirmed participant%s of category %s for "
				"a quota of %ld; raise the quota or move %ld to "
				"the waiting list", cat_confirmed[k],
				fs_plural(cat_confirmed[k]),
				in->categories[k], in->quotas[k],
				cat_confirmed[k] - in->quotas[k]));

	first_g = malloc((n_groups + 1) * sizeof(int));
	last_g = malloc((n_groups + 1) * sizeof(int));
	first_c = malloc((n_cat + 1) * sizeof(int));
	last_c = malloc((n_cat + 1) * sizeof(int));
	if (!first_g || !last_g || !first_c || !last_c) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t g = 0; g < n_groups; g++)
		first_g[g] = last_g[g] = -1;
	for (size_t k = 0; k < n_cat; k++)
		first_c[k] = last_c[k] = -1;
#define EARLIER(slot, i)                                                     \
	do {                                                                 \
		if ((slot) < 0 || c->abs_start[i] < c->abs_start[slot])      \
			(slot) = (int)(i);                                   \
	} while (0)
#define LATER(slot, i)                                                       \
	do {                                                                 \
		if ((slot) < 0 || c->abs_end[i] > c->abs_end[slot])          \
			(slot) = (int)(i);                                   \
	} while (0)
	for (size_t i = 0; i < in->n_items; i++) {
		const fs_check_item *it = &in->items[i];
		if (it->for_all) {
			EARLIER(first_all, i);
			LATER(last_all, i);
		}
		for (size_t j = 0; j < it->n_groups; j++) {
			EARLIER(first_g[it->groups[j]], i);
			LATER(last_g[it->groups[j]], i);
			has_group_items = true;
		}
		for (size_t j = 0; j < it->n_categories; j++) {
			EARLIER(first_c[it->categories[j]], i);
			LATER(last_c[it->categories[j]], i);
		}
	}
	for (size_t p = 0; p < in->n_people && !err; p++) {
		const fs_check_person *who = &in->people[p];
		int first = first_all, last = last_all;
		char w[48], at_time[16];
		if (!who->is_confirmed)
			continue;
		if (who->group < 0 && has_group_items)
			err = add(c, FS_ERROR, "no-group", who->ref,
				  "confirmed but in no group, while the agenda "
				  "has items for groups only; run 'fieldschool "
				  "plan groups %s' or give a group",
				  in->mission);
		if (who->group >= 0) {
			if (first_g[who->group] >= 0)
				EARLIER(first, first_g[who->group]);
			if (last_g[who->group] >= 0)
				LATER(last, last_g[who->group]);
		}
		if (who->category >= 0 && first_c[who->category] >= 0) {
			EARLIER(first, first_c[who->category]);
			LATER(last, last_c[who->category]);
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
				err = add(c, FS_WARNING, "late-arrival",
					  who->ref, "arrives on day %d%s, after "
					  "the start of %s (%s), their first "
					  "item; ask for an earlier arrival",
					  who->arrival_day, at_time, it->ref,
					  when(it, w));
		}
		if (!err && last >= 0 &&
		    who->departure_day != FS_CHECK_NO_DAY) {
			const fs_check_item *it = &in->items[last];
			long at = (long)(who->departure_day - 1) * DAY_MIN +
				  (who->departure_min < 0 ? DAY_MIN
							  : who->departure_min);
			bool early = who->departure_min < 0
					     ? who->departure_day < it->day
					     : at < c->abs_end[last];
			clock_text(who->departure_min, at_time);
			if (early)
				err = add(c, FS_WARNING, "early-departure",
					  who->ref, "leaves on day %d%s, before "
					  "the end of %s (%s), their last item; "
					  "ask for a later departure",
					  who->departure_day, at_time, it->ref,
					  when(it, w));
		}
	}
#undef EARLIER
#undef LATER
done:
	free(first_g);
	free(last_g);
	free(first_c);
	free(last_c);
	return err;
}

fs_err
fs_check_run(fs_findings *out, const fs_check_input *in)
{
	struct ctx c = { .in = in, .out = out };
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
		err = add(&c, FS_ERROR, "mission-days", NULL,
			  "lasts %d day%s; a field school has 3 or 4: change "
			  "its days", in->days, fs_plural(in->days));
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
