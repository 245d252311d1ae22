/*
 * test_zone.c - lib/zone.c against the C library's own reading of the same
 * zone files: for many zones and instants from 1990 to 2045, the offset,
 * DST flag and abbreviation must be those localtime_r() gives, and walking
 * zone_next_change() must visit exactly the instants where they change.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "value.h"
#include "zone.h"

static const char *const ZONES[] = {
	"America/Mexico_City", "Africa/Kigali",	  "Asia/Manila",
	"Europe/Chisinau",     "America/New_York", "Asia/Kathmandu",
	"Australia/Sydney",    "Australia/Lord_Howe", "Pacific/Chatham",
	"Africa/Casablanca",   "Asia/Tehran",	  "America/Sao_Paulo",
	"Europe/Dublin",       "America/Santiago", "Antarctica/Troll",
	"America/Nuuk",	       "Pacific/Apia",	  "UTC",
};

/* 1990-01-01 to 2045-01-01 */
static const int64_t FROM = 631152000, TO = 2366841600;

struct libc_state {
	long utoff;
	int is_dst;
	char abbr[16];
};

static void
libc_at(int64_t t, struct libc_state *out)
{
	time_t tt = (time_t)t;
	struct tm tm;
	localtime_r(&tt, &tm);
	out->utoff = tm.tm_gmtoff;
	out->is_dst = tm.tm_isdst > 0;
	snprintf(out->abbr, sizeof(out->abbr), "%s", tm.tm_zone);
}

static void
use_zone(const char *name)
{
	char tz[128];
	snprintf(tz, sizeof(tz), ":%s", name);
	setenv("TZ", tz, 1);
	tzset();
}

static void
test_state_matches_libc(void **state)
{
	(void)state;
	for (size_t z = 0; z < sizeof(ZONES) / sizeof(*ZONES); z++) {
		struct zone *zone = NULL;
		assert_int_equal(zone_load(&zone, ZONES[z]), FS_OK);
		use_zone(ZONES[z]);
		/* every 5 h 7 min: odd enough to land on all hours */
		for (int64_t t = FROM; t < TO; t += 5 * 3600 + 7 * 60) {
			struct zone_state ours;
			struct libc_state libc;
			zone_state_at(zone, t, &ours);
			libc_at(t, &libc);
			if (ours.utoff != libc.utoff ||
			    ours.is_dst != libc.is_dst ||
			    strcmp(ours.abbr, libc.abbr))
				fail_msg("%s at %lld: ours %d %d %s, libc %ld "
					 "%d %s", ZONES[z], (long long)t,
					 ours.utoff, ours.is_dst, ours.abbr,
					 libc.utoff, libc.is_dst, libc.abbr);
			/* the onset is a real change, before t */
			if (ours.onset != ZONE_NO_ONSET) {
				struct libc_state before;
				assert_true(ours.onset <= t);
				libc_at(ours.onset - 1, &before);
				assert_int_equal(before.utoff, ours.utoff_before);
			}
		}
		zone_free(zone);
	}
	unsetenv("TZ");
	tzset();
}

static void
test_changes_are_exact(void **state)
{
	(void)state;
	for (size_t z = 0; z < sizeof(ZONES) / sizeof(*ZONES); z++) {
		struct zone *zone = NULL;
		int64_t t = FROM, next;
		int changes = 0;
		assert_int_equal(zone_load(&zone, ZONES[z]), FS_OK);
		use_zone(ZONES[z]);
		while (zone_next_change(zone, t, &next) && next < TO) {
			struct libc_state a, b, mid;
			assert_true(next > t);
			libc_at(next - 1, &a);
			libc_at(next, &b);
			/* something changes exactly there */
			if (a.utoff == b.utoff && a.is_dst == b.is_dst &&
			    !strcmp(a.abbr, b.abbr))
				fail_msg("%s: no change at %lld", ZONES[z],
					 (long long)next);
			/* and nothing between two changes (sampled) */
			for (int64_t s = t + 1; s < next; s += 86400 * 3) {
				libc_at(s, &mid);
				libc_at(t, &a);
				if (mid.utoff != a.utoff || mid.is_dst != a.is_dst)
					fail_msg("%s: a change between %lld "
						 "and %lld was missed", ZONES[z],
						 (long long)t, (long long)next);
			}
			t = next;
			changes++;
		}
		/* zones with DST in force change twice a year */
		if (!strcmp(ZONES[z], "America/New_York"))
			assert_true(changes >= 2 * 54);
		if (!strcmp(ZONES[z], "UTC") || !strcmp(ZONES[z], "Africa/Kigali"))
			assert_int_equal(changes, 0);
		zone_free(zone);
	}
	unsetenv("TZ");
	tzset();
}

static void
test_mexico_city_2027_is_one_offset(void **state)
{
	struct zone *zone = NULL;
	struct zone_state s;
	int64_t next;
	(void)state;
	assert_int_equal(zone_load(&zone, "America/Mexico_City"), FS_OK);
	zone_state_at(zone, 1809907200, &s); /* 2027-05-10 */
	assert_int_equal(s.utoff, -6 * 3600);
	assert_false(s.is_dst);
	assert_int_equal(s.onset, 1667113200); /* 2022-10-30 07:00 UTC */
	assert_false(zone_next_change(zone, 1809907200, &next) &&
		     next < 1830297600); /* none before 2028 */
	zone_free(zone);
}

/* Local wall times the change to summer time skips do not exist. */
static void
test_skipped_local_times(void **state)
{
	(void)state;
	static const struct {
		const char *zone;
		int y, mo, d, h, mi;
		bool exists;
		int32_t shift;
	} cases[] = {
		{ "America/New_York", 2027, 3, 14, 2, 30, false, 3600 },
		{ "America/New_York", 2027, 3, 14, 1, 59, true, 0 },
		{ "America/New_York", 2027, 3, 14, 3, 0, true, 0 },
		{ "America/New_York", 2027, 11, 7, 1, 30, true, 0 }, /* twice */
		/* EU rules; Moldova's change moved with tzdata 2026 */
		{ "Europe/Berlin", 2027, 3, 28, 2, 0, false, 3600 },
		{ "Europe/Berlin", 2027, 3, 28, 3, 0, true, 0 },
		{ "Australia/Lord_Howe", 2026, 10, 4, 2, 15, false, 1800 },
		{ "Australia/Lord_Howe", 2026, 10, 4, 2, 30, true, 0 },
		{ "America/Mexico_City", 2027, 4, 4, 2, 30, true, 0 }, /* no DST */
		{ "Asia/Manila", 2027, 9, 13, 0, 0, true, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct zone *zone = NULL;
		int32_t shift = 0;
		assert_int_equal(zone_load(&zone, cases[i].zone), FS_OK);
		int64_t local = days_from_civil(cases[i].y, cases[i].mo,
						cases[i].d) * 86400 +
				cases[i].h * 3600 + cases[i].mi * 60;
		bool exists = zone_local_exists(zone, local, &shift);
		if (exists != cases[i].exists ||
		    (!exists && shift != cases[i].shift))
			fail_msg("%s %d-%02d-%02d %02d:%02d: exists %d shift %d",
				 cases[i].zone, cases[i].y, cases[i].mo,
				 cases[i].d, cases[i].h, cases[i].mi, exists,
				 shift);
		zone_free(zone);
	}
}

/* The wall-clock time (seconds since 1970, local) libc gives for t. */
static int64_t
libc_wall(int64_t t)
{
	struct libc_state st;
	libc_at(t, &st);
	return t + st.utoff;
}

/* A local time the clocks repeat maps to its first occurrence (RFC 5545),
 * and *back says by how much the clocks went back. */
static void
test_repeated_local_times(void **state)
{
	(void)state;
	static const struct {
		const char *zone;
		int y, mo, d, h, mi;
		int64_t utc; /* the first occurrence */
		int32_t back;
	} cases[] = {
		/* 02:30 CEST (+02:00), then again 02:30 CET */
		{ "Europe/Berlin", 2027, 10, 31, 2, 30, 1824942600, 3600 },
		{ "Europe/Berlin", 2027, 10, 31, 2, 0, 1824940800, 3600 },
		{ "Europe/Berlin", 2027, 10, 31, 1, 59, 1824940740, 0 },
		{ "Europe/Berlin", 2027, 10, 31, 3, 0, 1824948000, 0 },
		/* a skipped time: the offset before the change */
		{ "Europe/Berlin", 2027, 3, 28, 2, 30, 1806197400, 0 },
		{ "America/New_York", 2027, 11, 7, 1, 30, 1825565400, 3600 },
		{ "Australia/Lord_Howe", 2027, 4, 4, 1, 45, 1806763500, 1800 },
		{ "Asia/Manila", 2027, 9, 13, 9, 0, 1820797200, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct zone *zone = NULL;
		int32_t back = -1;
		assert_int_equal(zone_load(&zone, cases[i].zone), FS_OK);
		int64_t local = days_from_civil(cases[i].y, cases[i].mo,
						cases[i].d) * 86400 +
				cases[i].h * 3600 + cases[i].mi * 60;
		int64_t utc = zone_local_to_utc(zone, local, &back);
		if (utc != cases[i].utc || back != cases[i].back)
			fail_msg("%s %d-%02d-%02d %02d:%02d: %lld back %d, "
				 "expected %lld back %d", cases[i].zone,
				 cases[i].y, cases[i].mo, cases[i].d,
				 cases[i].h, cases[i].mi, (long long)utc,
				 (int)back, (long long)cases[i].utc,
				 (int)cases[i].back);
		zone_free(zone);
	}

	/* Around every change of 2024-2031 in every zone, each quarter hour
	 * of the local day: an existing wall time maps to an instant libc
	 * shows as that wall time, no earlier instant shows it, and back is
	 * the distance to the second instant that does. */
	for (size_t z = 0; z < sizeof(ZONES) / sizeof(*ZONES); z++) {
		struct zone *zone = NULL;
		int64_t t = 1704067200; /* 2024-01-01 */
		assert_int_equal(zone_load(&zone, ZONES[z]), FS_OK);
		use_zone(ZONES[z]);
		while (zone_next_change(zone, t, &t) && t < 1956528000) {
			int64_t day = libc_wall(t) / 86400;
			for (int64_t local = (day - 1) * 86400;
			     local < (day + 2) * 86400; local += 900) {
				int32_t back, shift;
				int64_t utc = zone_local_to_utc(zone, local, &back);
				if (!zone_local_exists(zone, local, &shift))
					continue;
				if (libc_wall(utc) != local)
					fail_msg("%s: local %lld maps to %lld, "
						 "which libc shows as %lld",
						 ZONES[z], (long long)local,
						 (long long)utc,
						 (long long)libc_wall(utc));
				for (int64_t d = 900; d <= 7200; d += 900)
					if (libc_wall(utc - d) == local)
						fail_msg("%s: local %lld: %lld is "
							 "not the first", ZONES[z],
							 (long long)local,
							 (long long)utc);
				int64_t again = utc + (back ? back : 3600);
				if ((back > 0) != (libc_wall(again) == local))
					fail_msg("%s: local %lld: back %d wrong",
						 ZONES[z], (long long)local,
						 (int)back);
			}
		}
		zone_free(zone);
	}
}

static void
test_unknown_and_foreign_files(void **state)
{
	struct zone *zone = NULL;
	(void)state;
	assert_int_equal(zone_load(&zone, "Mars/Olympus_Mons"), FS_ENOTFOUND);
	assert_null(zone);
	setenv("TZDIR", "/etc", 1); /* /etc/hostname is not TZif */
	assert_int_equal(zone_load(&zone, "hostname"), FS_EINPUT);
	assert_null(zone);
	unsetenv("TZDIR");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_state_matches_libc),
		cmocka_unit_test(test_changes_are_exact),
		cmocka_unit_test(test_mexico_city_2027_is_one_offset),
		cmocka_unit_test(test_skipped_local_times),
		cmocka_unit_test(test_repeated_local_times),
		cmocka_unit_test(test_unknown_and_foreign_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
