/*
 * test_check.c - every rule of fs_check_run(), once made to fire and once
 * made not to, on a small mission built here as arrays.
 *
 * The base mission is clean (no finding at all); each case changes one
 * thing and says which rule, at which severity, must (or must not) appear.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/check.h"

enum { VENUE, SITE, SITE2, FAR, N_PLACES };
enum { GA, GB, GC, N_GROUPS };
enum { C0, C1, N_CATS };
enum { F0, F1, N_FACILITATORS };

static const int only_a[] = { GA }, only_b[] = { GB }, only_c[] = { GC };
static const int cat0[] = { C0 }, cat1[] = { C1 };
static const int fac0[] = { F0 }, fac1[] = { F1 };

struct scenario {
	fs_check_item items[16];
	size_t n_items;
	fs_check_person people[8];
	size_t n_people;
	long quotas[N_CATS];
	fs_check_input in;
};

static const fs_check_place places[N_PLACES] = {
	{ "Venue", true, 19.4504, -99.1373 },
	{ "Site", true, 19.4346, -99.1438 },  /* 1.9 km from the venue */
	{ "Site two", true, 19.4370, -99.1335 },
	{ "Far away", true, 20.5000, -99.1373 }, /* 117 km */
};
static const char *const facilitators[] = { "Ana", "Ben" };
static const char *const groups[] = { "A", "B", "C" };
static const char *const categories[] = { "lgu-official", "mrc-staff" };

static fs_check_item
item(const char *ref, int day, int start, int end, int place)
{
	fs_check_item it = { 0 };
	it.ref = ref;
	it.day = day;
	it.start = start;
	it.end = end;
	it.place = place;
	it.for_all = true;
	return it;
}

static void
for_group(fs_check_item *it, const int *group)
{
	it->for_all = false;
	it->groups = group;
	it->n_groups = 1;
}

#define H(h, m) ((h) * 60 + (m))

/* Day 1: plenary 09:00-10:00 at the venue (Ana); group A visits the site
 * 10:30-12:00 while B visits site two; lunch 12:30 at the venue; day 4
 * closes at 17:00.  Four confirmed people, A and B, both categories; one
 * waitlisted person without a group. */
static void
base(struct scenario *s)
{
	memset(s, 0, sizeof(*s));
	s->items[0] = item("plenary", 1, H(9, 0), H(10, 0), VENUE);
	s->items[0].facilitators = fac0;
	s->items[0].n_facilitators = 1;
	s->items[1] = item("visit-a", 1, H(10, 30), H(12, 0), SITE);
	for_group(&s->items[1], only_a);
	s->items[1].is_visit = true;
	s->items[1].capacity = 2;
	s->items[2] = item("visit-b", 1, H(10, 30), H(12, 0), SITE2);
	for_group(&s->items[2], only_b);
	s->items[2].is_visit = true;
	s->items[2].capacity = 5;
	s->items[3] = item("lunch", 1, H(12, 30), H(13, 30), VENUE);
	s->items[4] = item("closing", 4, H(16, 0), H(17, 0), VENUE);
	s->n_items = 5;
	s->people[0] = (fs_check_person){ "p0", C0, true, GA, 1, -1, 4, -1,
					  0, 0 };
	s->people[1] = (fs_check_person){ "p1", C1, true, GA, 1, -1, 4, -1,
					  0, 0 };
	s->people[2] = (fs_check_person){ "p2", C0, true, GB, 1, H(8, 0), 4,
					  H(18, 0), 0, 0 };
	s->people[3] = (fs_check_person){ "p3", C1, true, GB,
					  FS_CHECK_NO_DAY, -1,
					  FS_CHECK_NO_DAY, -1, 0, 0 };
	s->people[4] = (fs_check_person){ "p4", C0, false, -1, 3, -1, 3, -1,
					  0, 0 };
	s->n_people = 5;
	s->quotas[C0] = 2;
	s->quotas[C1] = -1;
}

static void
run(struct scenario *s, fs_findings *out)
{
	fs_check_input *in = &s->in;
	in->mission = "m1";
	if (!in->days)
		in->days = 4;
	if (!in->capacity)
		in->capacity = 4;
	in->quotas = s->quotas;
	in->items = s->items;
	in->n_items = s->n_items;
	in->people = s->people;
	in->n_people = s->n_people;
	in->places = places;
	in->n_places = N_PLACES;
	in->facilitators = facilitators;
	in->n_facilitators = N_FACILITATORS;
	in->groups = groups;
	in->n_group_labels = N_GROUPS;
	in->categories = categories;
	in->n_category_codes = N_CATS;
	in->speed_kmh = 0;
	in->buffer_min = -1;
	assert_int_equal(fs_check_run(out, in), FS_OK);
}

/* ---- the changes ---- */

static void
facilitator_twice(struct scenario *s)
{
	/* Ana guides both visits, at the same time */
	s->items[1].facilitators = fac0;
	s->items[1].n_facilitators = 1;
	s->items[2].facilitators = fac0;
	s->items[2].n_facilitators = 1;
}

static void
facilitator_back_to_back(struct scenario *s)
{
	s->items[2].facilitators = fac0; /* Ana: 09:00-10:00, then 10:30 */
	s->items[2].n_facilitators = 1;
	s->items[1].facilitators = fac1;
	s->items[1].n_facilitators = 1;
}

static void
site_twice(struct scenario *s)
{
	s->items[2].place = SITE;
	s->items[2].capacity = 2;
}

static void
site_back_to_back(struct scenario *s)
{
	s->items[2].place = SITE;
	s->items[2].start = H(12, 0);
	s->items[2].end = H(12, 10);
	s->items[3].start = H(12, 40);
}

static void
venue_twice(struct scenario *s)
{
	/* a side meeting for group C (nobody) during a plenary for A */
	for_group(&s->items[0], only_a);
	s->items[5] = item("side", 1, H(9, 0), H(9, 45), VENUE);
	for_group(&s->items[5], only_c);
	s->n_items = 6;
}

static void
group_twice(struct scenario *s)
{
	s->items[2].groups = only_a; /* A at both sites */
}

static void
all_and_group(struct scenario *s)
{
	s->items[3].start = H(11, 30); /* lunch for all while A visits */
}

static void
category_and_group(struct scenario *s)
{
	/* for category lgu-official (p0 in A, p2 in B) during A's visit */
	s->items[5] = item("side", 1, H(11, 0), H(11, 30), VENUE);
	s->items[5].for_all = false;
	s->items[5].categories = cat0;
	s->items[5].n_categories = 1;
	s->n_items = 6;
	s->items[2].start = H(11, 45); /* B comes later */
	s->items[2].end = H(12, 0);
	s->items[3].start = H(12, 30);
}

static void
category_and_empty_group(struct scenario *s)
{
	/* group C has nobody of lgu-official: no clash */
	s->items[5] = item("side", 1, H(14, 0), H(14, 30), VENUE);
	s->items[5].for_all = false;
	s->items[5].categories = cat0;
	s->items[5].n_categories = 1;
	s->items[6] = item("c-visit", 1, H(14, 0), H(14, 30), VENUE);
	for_group(&s->items[6], only_c);
	s->items[6].place = -1;
	s->n_items = 7;
}

static void
groups_in_parallel(struct scenario *s)
{
	(void)s; /* the base has A and B at two sites at once */
}

static void
visit_too_small(struct scenario *s)
{
	s->items[1].capacity = 1;
}

static void
visit_just_fits(struct scenario *s)
{
	s->items[1].capacity = 2;
}

static void
day_five(struct scenario *s)
{
	s->items[4].day = 5;
}

static void
day_four(struct scenario *s)
{
	s->items[4].day = 4;
}

static void
ends_before_start(struct scenario *s)
{
	s->items[4].end = H(15, 0);
}

static void
ends_when_it_starts(struct scenario *s)
{
	s->items[4].end = H(16, 0);
}

static void
audience_group_nobody(struct scenario *s)
{
	s->items[1].groups = only_c; /* a typo: C has no one */
}

static void
audience_category_nobody(struct scenario *s)
{
	/* mrc-staff: p1 and p3, neither confirmed any more */
	s->people[1].is_confirmed = false;
	s->people[3].is_confirmed = false;
	s->items[5] = item("staff", 2, H(9, 0), H(10, 0), VENUE);
	s->items[5].for_all = false;
	s->items[5].categories = cat1;
	s->items[5].n_categories = 1;
	s->n_items = 6;
}

static void
longer_than_a_day(struct scenario *s)
{
	s->items[4].start = H(0, 30);
	s->items[4].end = H(25, 0);
}

static void
start_past_midnight(struct scenario *s)
{
	s->items[4].start = H(24, 10);
	s->items[4].end = H(24, 50);
}

static void
too_far(struct scenario *s)
{
	s->items[1].place = FAR; /* 117 km in 30 min */
	s->items[1].capacity = 5;
}

static void
short_buffer(struct scenario *s)
{
	s->items[1].start = H(10, 10); /* 1.9 km: 6 min, + 15 buffer > 10 */
	s->items[2].start = H(10, 40);
}

static void
enough_time(struct scenario *s)
{
	s->items[1].start = H(10, 25); /* 25 >= 6 + 15 */
	s->items[2].start = H(10, 25);
}

static void
over_capacity(struct scenario *s)
{
	s->in.capacity = 3;
}

static void
no_capacity(struct scenario *s)
{
	s->in.capacity = -1;
}

static void
over_quota(struct scenario *s)
{
	s->quotas[C0] = 1;
}

static void
waitlisted_not_counted(struct scenario *s)
{
	s->quotas[C0] = 2; /* p4 (waitlisted, C0) is not a third */
}

static void
person_without_group(struct scenario *s)
{
	s->people[1].group = -1;
	s->items[1].capacity = 5;
}

static void
no_group_items(struct scenario *s)
{
	s->people[1].group = -1;
	s->items[1].for_all = true;
	s->items[1].n_groups = 0;
	s->items[1].capacity = 0;
	s->items[2].for_all = true;
	s->items[2].n_groups = 0;
	s->items[2].start = H(12, 0);
	s->items[2].end = H(12, 10);
	s->items[3].start = H(12, 40);
}

static void
arrives_next_day(struct scenario *s)
{
	s->people[0].arrival_day = 2;
}

static void
arrives_after_start(struct scenario *s)
{
	s->people[0].arrival_min = H(9, 30);
}

static void
arrives_in_time(struct scenario *s)
{
	s->people[0].arrival_min = H(9, 0);
}

static void
first_item_is_a_group_visit(struct scenario *s)
{
	/* p0 arrives at 10:00: misses the plenary, a warning; p2 (B) arrives
	 * at 10:15 when the plenary is only for A: fine for p2 */
	s->items[0].for_all = false;
	s->items[0].groups = only_a;
	s->items[0].n_groups = 1;
	s->people[2].arrival_min = H(10, 15);
}

static void
leaves_before_end(struct scenario *s)
{
	s->people[0].departure_min = H(16, 30);
}

static void
leaves_day_before(struct scenario *s)
{
	s->people[0].departure_day = 3;
}

static void
leaves_after_end(struct scenario *s)
{
	s->people[0].departure_min = H(17, 0);
}

static void
five_days(struct scenario *s)
{
	s->in.days = 5;
}

static void
three_days(struct scenario *s)
{
	s->in.days = 3;
	s->items[4].day = 3;
}

/* the loader (schedule.c) marks times the clocks repeat or skip */
static void
starts_in_repeated_hour(struct scenario *s)
{
	s->items[4].start = H(2, 30);
	s->items[4].start_clock = -60;
}

static void
arrives_at_skipped_time(struct scenario *s)
{
	s->people[2].arrival_min = H(2, 30);
	s->people[2].arrival_clock = 60;
}

static void
waitlisted_at_repeated_time(struct scenario *s)
{
	s->people[4].arrival_min = H(2, 30);
	s->people[4].arrival_clock = -60;
}

static const struct {
	const char *name;
	void (*change)(struct scenario *);
	const char *rule;
	fs_severity severity;
	bool fires;
	const char *subject;
} cases[] = {
	{ "facilitator twice", facilitator_twice, "facilitator-overlap",
	  FS_ERROR, true, "visit-b" },
	{ "starts in the hour that repeats", starts_in_repeated_hour,
	  "clock-change", FS_WARNING, true, "closing" },
	{ "arrives at a time that is skipped", arrives_at_skipped_time,
	  "clock-change", FS_WARNING, true, "p2" },
	{ "waitlisted arrival not checked", waitlisted_at_repeated_time,
	  "clock-change", FS_WARNING, false, NULL },
	{ "no clock change", day_four, "clock-change", FS_WARNING, false,
	  NULL },
	{ "facilitator back to back", facilitator_back_to_back,
	  "facilitator-overlap", FS_ERROR, false, NULL },
	{ "site twice", site_twice, "place-overlap", FS_ERROR, true,
	  "visit-b" },
	{ "site back to back", site_back_to_back, "place-overlap", FS_ERROR,
	  false, NULL },
	{ "venue twice", venue_twice, "place-overlap", FS_WARNING, true,
	  "plenary" },
	{ "venue once", groups_in_parallel, "place-overlap", FS_WARNING,
	  false, NULL },
	{ "group twice", group_twice, "audience-overlap", FS_ERROR, true,
	  "visit-b" },
	{ "all and a group", all_and_group, "audience-overlap", FS_ERROR, true,
	  "lunch" },
	{ "category and a group", category_and_group, "audience-overlap",
	  FS_ERROR, true, "side" },
	{ "category and an empty group", category_and_empty_group,
	  "audience-overlap", FS_ERROR, false, NULL },
	{ "two groups in parallel", groups_in_parallel, "audience-overlap",
	  FS_ERROR, false, NULL },
	{ "visit too small", visit_too_small, "visit-capacity", FS_ERROR, true,
	  "visit-a" },
	{ "visit just fits", visit_just_fits, "visit-capacity", FS_ERROR,
	  false, NULL },
	{ "day five of four", day_five, "item-outside-days", FS_ERROR, true,
	  "closing" },
	{ "day four of four", day_four, "item-outside-days", FS_ERROR, false,
	  NULL },
	{ "ends before it starts", ends_before_start, "item-hours", FS_ERROR,
	  true, "closing" },
	{ "ends when it starts", ends_when_it_starts, "item-hours", FS_ERROR,
	  true, "closing" },
	{ "a group with nobody", audience_group_nobody, "empty-audience",
	  FS_WARNING, true, "visit-a" },
	{ "a category with nobody", audience_category_nobody,
	  "empty-audience", FS_WARNING, true, "staff" },
	{ "audiences with people", groups_in_parallel, "empty-audience",
	  FS_WARNING, false, NULL },
	{ "longer than a day", longer_than_a_day, "item-hours", FS_ERROR, true,
	  "closing" },
	{ "starts after midnight", start_past_midnight, "item-hours", FS_ERROR,
	  true, "closing" },
	{ "sensible hours", day_four, "item-hours", FS_ERROR, false, NULL },
	{ "too far to travel", too_far, "travel-time", FS_ERROR, true,
	  "visit-a" },
	{ "travel eats the buffer", short_buffer, "travel-time", FS_WARNING,
	  true, "visit-a" },
	{ "enough time to travel", enough_time, "travel-time", FS_WARNING,
	  false, NULL },
	{ "enough time, no error", enough_time, "travel-time", FS_ERROR,
	  false, NULL },
	{ "over capacity", over_capacity, "mission-capacity", FS_ERROR, true,
	  "mission" },
	{ "no capacity", no_capacity, "mission-capacity", FS_ERROR, false,
	  NULL },
	{ "over quota", over_quota, "category-quota", FS_ERROR, true,
	  "mission" },
	{ "waitlisted not counted", waitlisted_not_counted, "category-quota",
	  FS_ERROR, false, NULL },
	{ "confirmed without group", person_without_group, "no-group",
	  FS_ERROR, true, "p1" },
	{ "no group items", no_group_items, "no-group", FS_ERROR, false,
	  NULL },
	{ "arrives the next day", arrives_next_day, "late-arrival", FS_WARNING,
	  true, "p0" },
	{ "arrives after the start", arrives_after_start, "late-arrival",
	  FS_WARNING, true, "p0" },
	{ "arrives in time", arrives_in_time, "late-arrival", FS_WARNING,
	  false, NULL },
	{ "first item of a group", first_item_is_a_group_visit,
	  "late-arrival", FS_WARNING, false, "p2" },
	{ "leaves before the end", leaves_before_end, "early-departure",
	  FS_WARNING, true, "p0" },
	{ "leaves the day before", leaves_day_before, "early-departure",
	  FS_WARNING, true, "p0" },
	{ "leaves after the end", leaves_after_end, "early-departure",
	  FS_WARNING, false, NULL },
	{ "five days", five_days, "mission-days", FS_ERROR, true, "mission" },
	{ "three days", three_days, "mission-days", FS_ERROR, false, NULL },
};

static void
test_base_is_clean(void **state)
{
	struct scenario s;
	fs_findings out = FS_FINDINGS_INIT;
	(void)state;
	base(&s);
	run(&s, &out);
	for (size_t i = 0; i < out.n; i++)
		print_message("%s: %s\n", out.items[i].subject,
			      out.items[i].message);
	assert_int_equal(out.n, 0);
	fs_findings_release(&out);
}

static void
test_rules(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		struct scenario s;
		fs_findings out = FS_FINDINGS_INIT;
		bool seen = false;
		base(&s);
		cases[c].change(&s);
		run(&s, &out);
		for (size_t i = 0; i < out.n; i++) {
			const fs_finding *f = &out.items[i];
			assert_string_equal(f->mission, "m1");
			assert_true(strlen(f->message) > 20);
			if (strcmp(f->rule, cases[c].rule) ||
			    f->severity != cases[c].severity)
				continue;
			if (cases[c].fires && cases[c].subject &&
			    strcmp(f->subject, cases[c].subject))
				continue;
			if (!cases[c].fires && cases[c].subject &&
			    strcmp(f->subject, cases[c].subject))
				continue;
			seen = true;
		}
		if (seen != cases[c].fires) {
			for (size_t i = 0; i < out.n; i++)
				print_message("  %s %s %s: %s\n",
					      out.items[i].rule,
					      fs_severity_name(
						      out.items[i].severity),
					      out.items[i].subject,
					      out.items[i].message);
			fail_msg("%s: %s %s %s", cases[c].name, cases[c].rule,
				 fs_severity_name(cases[c].severity),
				 cases[c].fires ? "did not fire" : "fired");
		}
		if (cases[c].fires)
			assert_true(out.n_errors > 0 ||
				    cases[c].severity == FS_WARNING);
		fs_findings_release(&out);
	}
}

static void
test_distance(void **state)
{
	(void)state;
	/* Mexico City to Manila, about 14,140 km */
	double km = fs_distance_km(19.4326, -99.1332, 14.5995, 120.9842);
	assert_true(km > 14000 && km < 14300);
	assert_true(fs_distance_km(1, 2, 1, 2) == 0);
	assert_int_equal(fs_travel_minutes(10, 20), 30);
	assert_int_equal(fs_travel_minutes(10.01, 20), 31);
	assert_int_equal(fs_travel_minutes(0, 20), 0);
}

/* Many items: every overlap among random same-resource items is found
 * (compared with all pairs). */
static void
test_overlaps_match_all_pairs(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 50; seed++) {
		fs_check_item items[60];
		fs_check_input in = { 0 };
		fs_findings out = FS_FINDINGS_INIT;
		int fac[60][1];
		size_t n = 10 + seed % 50;
		unsigned x = seed * 2654435761u;
		bool clash_expected[60] = { false };
		srand(seed);
		for (size_t i = 0; i < n; i++) {
			char *ref = malloc(8);
			snprintf(ref, 8, "i%zu", i);
			x = x * 1103515245u + 12345u;
			int start = (int)((x >> 8) % 600) + 360;
			x = x * 1103515245u + 12345u;
			items[i] = item(ref, 1, start, start + 5 +
					(int)((x >> 8) % 90), -1);
			items[i].for_all = false;
			fac[i][0] = (int)((x >> 20) % 2);
			items[i].facilitators = fac[i];
			items[i].n_facilitators = 1;
		}
		for (size_t i = 0; i < n; i++)
			for (size_t j = 0; j < n; j++) {
				const fs_check_item *a = &items[i], *b = &items[j];
				if (i == j || a->facilitators[0] !=
						      b->facilitators[0])
					continue;
				/* i is reported when it starts during an
				 * earlier (or equal, lower-indexed) one */
				bool earlier = b->start < a->start ||
					       (b->start == a->start &&
						(b->end < a->end ||
						 (b->end == a->end && j < i)));
				if (earlier && a->start < b->end)
					clash_expected[i] = true;
			}
		in.mission = "m";
		in.days = 4;
		in.capacity = -1;
		in.items = items;
		in.n_items = n;
		in.facilitators = facilitators;
		in.n_facilitators = 2;
		in.buffer_min = -1;
		assert_int_equal(fs_check_run(&out, &in), FS_OK);
		for (size_t i = 0; i < n; i++) {
			bool reported = false;
			for (size_t k = 0; k < out.n; k++)
				reported |= !strcmp(out.items[k].rule,
						    "facilitator-overlap") &&
					    !strcmp(out.items[k].subject,
						    items[i].ref);
			if (reported != clash_expected[i])
				fail_msg("seed %u: item %zu %s", seed, i,
					 reported ? "reported" : "missed");
		}
		fs_findings_release(&out);
		for (size_t i = 0; i < n; i++)
			free((char *)items[i].ref);
	}
}

/* The message of the first finding of rule, or fails. */
static const char *
message_of(const fs_findings *out, const char *rule)
{
	for (size_t i = 0; i < out->n; i++)
		if (!strcmp(out->items[i].rule, rule))
			return out->items[i].message;
	fail_msg("no %s finding", rule);
	return "";
}

static void
test_messages(void **state)
{
	struct scenario s;
	fs_findings out = FS_FINDINGS_INIT;
	const char *m;
	(void)state;

	/* arrival and departure say the time, not "at that time" */
	base(&s);
	arrives_after_start(&s);
	leaves_before_end(&s);
	run(&s, &out);
	m = message_of(&out, "late-arrival");
	assert_non_null(strstr(m, "arrives on day 1 at 09:30, after"));
	m = message_of(&out, "early-departure");
	assert_non_null(strstr(m, "leaves on day 4 at 16:30, before"));
	fs_findings_release(&out);

	base(&s);
	ends_when_it_starts(&s);
	run(&s, &out);
	m = message_of(&out, "item-hours");
	assert_non_null(strstr(m, "does not end after it starts "
				  "(16:00-16:00)"));
	fs_findings_release(&out);

	base(&s);
	audience_group_nobody(&s);
	run(&s, &out);
	m = message_of(&out, "empty-audience");
	assert_non_null(strstr(m, "is for group C, which has no confirmed "
				  "participant (groups in use: A, B); correct "
				  "its audience (agenda edit visit-a"));
	assert_int_equal(out.n_errors, 0);
	fs_findings_release(&out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base_is_clean),
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_messages),
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_overlaps_match_all_pairs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
