/*
 * test_value.c - the parsers and checkers of lib/value.c, table-driven.
 *
 * Each table row is one input and what must come of it: accepted with a
 * given result, or refused with a reason holding a given phrase.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "countries.h"
#include "handouts.h"
#include "value.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A refusal must come with a reason that says what was expected. */
static void
check_reason(const char *what, const char *input, const char *why,
	     const char *phrase)
{
	if (!why)
		fail_msg("%s('%s') accepted, expected a refusal", what, input);
	if (phrase && !strstr(why, phrase))
		fail_msg("%s('%s'): reason '%s' lacks '%s'", what, input, why,
			 phrase);
}

static void
check_accepted(const char *what, const char *input, const char *why)
{
	if (why)
		fail_msg("%s('%s') refused: %s", what, input, why);
}

/* ------------------------------------------------------------------ */
/* dates */

static const struct {
	const char *text;
	bool ok;
	int64_t days;       /* since 1970-01-01, when ok */
	const char *phrase; /* in the reason, when not ok */
} date_cases[] = {
	{ "1970-01-01", true, 0, NULL },
	{ "2028-02-29", true, 21243, NULL },  /* leap year */
	{ "2000-02-29", true, 11016, NULL },  /* divisible by 400: leap */
	{ "2027-05-10", true, 20948, NULL },
	{ "2024-03-01", true, 19783, NULL },
	{ "2027-12-31", true, 21183, NULL },
	{ "1900-01-01", true, -25567, NULL }, /* first year allowed */
	{ "2200-12-31", true, 84370, NULL },  /* last year allowed */
	{ "2027-02-29", false, 0, "calendar" }, /* not a leap year */
	{ "2100-02-29", false, 0, "calendar" }, /* divisible by 100 */
	{ "2027-02-30", false, 0, "calendar" },
	{ "2027-04-31", false, 0, "calendar" },
	{ "2027-13-01", false, 0, "calendar" },
	{ "2027-00-10", false, 0, "calendar" },
	{ "2027-01-00", false, 0, "calendar" },
	{ "2027-01-32", false, 0, "calendar" },
	{ "1899-12-31", false, 0, "1900-2200" },
	{ "2201-01-01", false, 0, "1900-2200" },
	{ "2027-1-01", false, 0, "YYYY-MM-DD" },
	{ "2027-01-1", false, 0, "YYYY-MM-DD" },
	{ "27-01-01", false, 0, "YYYY-MM-DD" },
	{ "2027/01/01", false, 0, "YYYY-MM-DD" },
	{ "2027-01-01x", false, 0, "YYYY-MM-DD" },
	{ "2027-01-01 ", false, 0, "YYYY-MM-DD" },
	{ "2027-01-01T10:00", false, 0, "YYYY-MM-DD" },
	{ " 2027-01-01", false, 0, "YYYY-MM-DD" },
	{ "", false, 0, "YYYY-MM-DD" },
	{ "2027", false, 0, "YYYY-MM-DD" },
	{ "2027-01-", false, 0, "YYYY-MM-DD" },
	{ "+027-01-01", false, 0, "YYYY-MM-DD" },
	{ "２０２７-01-01", false, 0, "YYYY-MM-DD" }, /* fullwidth digits */
};

static void
test_parse_date(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(date_cases); i++) {
		int64_t days = INT64_MIN;
		const char *why = parse_date(date_cases[i].text, &days);
		if (date_cases[i].ok) {
			check_accepted("parse_date", date_cases[i].text, why);
			if (days != date_cases[i].days)
				fail_msg("parse_date('%s') = %lld, expected %lld",
					 date_cases[i].text, (long long)days,
					 (long long)date_cases[i].days);
		} else {
			check_reason("parse_date", date_cases[i].text, why,
				     date_cases[i].phrase);
		}
	}
}

static bool
is_leap(int y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

static int
month_length(int y, int m)
{
	static const int lengths[] = { 31, 28, 31, 30, 31, 30,
				       31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : lengths[m - 1];
}

/* Walks the calendar one day at a time from 1200-01-01 to 2800-12-31 and
 * checks both conversions against the walk. */
static void
test_civil_round_trip(void **state)
{
	int y = 1200, m = 1, d = 1;
	int64_t z = days_from_civil(y, m, d);

	(void)state;
	while (y <= 2800) {
		int y2, m2, d2;
		if (days_from_civil(y, m, d) != z)
			fail_msg("days_from_civil(%d, %d, %d) = %lld, expected "
				 "%lld", y, m, d,
				 (long long)days_from_civil(y, m, d),
				 (long long)z);
		civil_from_days(z, &y2, &m2, &d2);
		if (y2 != y || m2 != m || d2 != d)
			fail_msg("civil_from_days(%lld) = %d-%d-%d, expected "
				 "%d-%d-%d", (long long)z, y2, m2, d2, y, m, d);
		z++;
		if (++d > month_length(y, m)) {
			d = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	/* 1600 years of 365.2425 days */
	assert_int_equal(z - days_from_civil(1200, 1, 1), 1601 * 365 + 389);
}

static void
test_civil_anchors(void **state)
{
	static const struct {
		int y, m, d;
		int64_t days;
	} anchors[] = {
		{ 1970, 1, 1, 0 },      { 1969, 12, 31, -1 },
		{ 2000, 3, 1, 11017 },  { 2028, 2, 29, 21243 },
		{ 1900, 1, 1, -25567 }, { 1, 1, 1, -719162 },
		{ 0, 3, 1, -719468 },   { -1, 12, 31, -719529 },
		{ 9999, 12, 31, 2932896 },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(anchors); i++) {
		int y, m, d;
		assert_int_equal(days_from_civil(anchors[i].y, anchors[i].m,
						 anchors[i].d),
				 anchors[i].days);
		civil_from_days(anchors[i].days, &y, &m, &d);
		assert_int_equal(y, anchors[i].y);
		assert_int_equal(m, anchors[i].m);
		assert_int_equal(d, anchors[i].d);
	}
}

static void
test_format_date(void **state)
{
	static const struct {
		int64_t days;
		const char *text;
	} cases[] = {
		{ 0, "1970-01-01" },     { 21243, "2028-02-29" },
		{ 11016, "2000-02-29" }, { -25567, "1900-01-01" },
		{ 84370, "2200-12-31" }, { 20948 + 3, "2027-05-13" },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char buf[11];
		int64_t back = -1;
		format_date(cases[i].days, buf);
		assert_string_equal(buf, cases[i].text);
		assert_null(parse_date(buf, &back));
		assert_int_equal(back, cases[i].days);
	}
}

/* ------------------------------------------------------------------ */
/* clock times */

static const struct {
	const char *text;
	int minutes; /* -1: refused */
	const char *phrase;
} clock_cases[] = {
	{ "00:00", 0, NULL },
	{ "09:05", 545, NULL },
	{ "12:30", 750, NULL },
	{ "23:59", 1439, NULL },
	{ "24:00", -1, "00:00-23:59" },
	{ "12:60", -1, "00:00-23:59" },
	{ "99:99", -1, "00:00-23:59" },
	{ "9:05", -1, "HH:MM" },
	{ "09:5", -1, "HH:MM" },
	{ "0905", -1, "HH:MM" },
	{ "09:05:00", -1, "HH:MM" },
	{ "09:05 ", -1, "HH:MM" },
	{ " 09:05", -1, "HH:MM" },
	{ "09.05", -1, "HH:MM" },
	{ "ab:cd", -1, "HH:MM" },
	{ "", -1, "HH:MM" },
	{ "-1:00", -1, "HH:MM" },
};

static void
test_parse_clock(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(clock_cases); i++) {
		int minutes = -2;
		const char *why = parse_clock(clock_cases[i].text, &minutes);
		if (clock_cases[i].minutes >= 0) {
			check_accepted("parse_clock", clock_cases[i].text, why);
			assert_int_equal(minutes, clock_cases[i].minutes);
		} else {
			check_reason("parse_clock", clock_cases[i].text, why,
				     clock_cases[i].phrase);
		}
	}
}

static const struct {
	const char *text;
	bool ok;
	int64_t days;
	int minutes; /* -1 for a date alone */
	const char *phrase;
} date_time_cases[] = {
	{ "2027-05-09", true, 20947, -1, NULL },
	{ "2027-05-09T16:55", true, 20947, 1015, NULL },
	{ "2027-05-09 16:55", true, 20947, 1015, NULL },
	{ "2027-05-10T00:00", true, 20948, 0, NULL },
	{ "2028-02-29T23:59", true, 21243, 1439, NULL },
	{ "2027-02-29T10:00", false, 0, 0, "calendar" },
	{ "2027-05-09T", false, 0, 0, "YYYY-MM-DDTHH:MM" },
	{ "2027-05-09T24:00", false, 0, 0, "YYYY-MM-DDTHH:MM" },
	{ "2027-05-09T9:00", false, 0, 0, "YYYY-MM-DDTHH:MM" },
	{ "2027-05-09X16:55", false, 0, 0, "YYYY-MM-DDTHH:MM" },
	{ "2027-05-09T16:55Z", false, 0, 0, "YYYY-MM-DDTHH:MM" },
	{ "2027-05-09T16:55:00", false, 0, 0, "YYYY-MM-DDTHH:MM" },
	{ "2027-5-09T16:55", false, 0, 0, "YYYY-MM-DDTHH:MM" },
	{ "16:55", false, 0, 0, "YYYY-MM-DDTHH:MM" },
	{ "", false, 0, 0, "YYYY-MM-DDTHH:MM" },
};

static void
test_parse_date_time(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(date_time_cases); i++) {
		int64_t days = INT64_MIN;
		int minutes = -2;
		const char *text = date_time_cases[i].text;
		const char *why = parse_date_time(text, &days, &minutes);
		if (date_time_cases[i].ok) {
			check_accepted("parse_date_time", text, why);
			if (days != date_time_cases[i].days ||
			    minutes != date_time_cases[i].minutes)
				fail_msg("parse_date_time('%s') = %lld, %d", text,
					 (long long)days, minutes);
		} else {
			check_reason("parse_date_time", text, why,
				     date_time_cases[i].phrase);
		}
	}
}

/* ------------------------------------------------------------------ */
/* numbers */

static const struct {
	const char *text;
	long min, max;
	bool ok;
	long value;
} int_cases[] = {
	{ "42", 0, 100, true, 42 },
	{ "0", 0, 0, true, 0 },
	{ "100", 0, 100, true, 100 },
	{ "007", 0, 100, true, 7 },
	{ "-5", -10, 10, true, -5 },
	{ "3", 3, 4, true, 3 },
	{ "4", 3, 4, true, 4 },
	{ "5", 3, 4, false, 0 },
	{ "2", 3, 4, false, 0 },
	{ "-5", 0, 10, false, 0 },
	{ "101", 0, 100, false, 0 },
	{ "", 0, 100, false, 0 },
	{ "-", -10, 10, false, 0 },
	{ "4x", 0, 100, false, 0 },
	{ "4.0", 0, 100, false, 0 },
	{ "+4", 0, 100, false, 0 },
	{ " 4", 0, 100, false, 0 },
	{ "4 ", 0, 100, false, 0 },
	{ "0x10", 0, 100, false, 0 },
	{ "1e3", 0, 100000, false, 0 },
	{ "99999999999999999999999", 0, LONG_MAX, false, 0 },
	{ "-99999999999999999999999", LONG_MIN, 0, false, 0 },
};

static void
test_parse_int(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(int_cases); i++) {
		long v = -12345;
		const char *why = parse_int(int_cases[i].text, int_cases[i].min,
					    int_cases[i].max, &v);
		if (int_cases[i].ok) {
			check_accepted("parse_int", int_cases[i].text, why);
			assert_int_equal(v, int_cases[i].value);
		} else {
			check_reason("parse_int", int_cases[i].text, why, NULL);
			assert_int_equal(v, -12345); /* left alone */
		}
	}
}

static const struct {
	const char *text;
	bool ok;
	int64_t cents;
} money_cases[] = {
	{ "1850", true, 185000 },
	{ "1850.5", true, 185050 },
	{ "1850.50", true, 185050 },
	{ "1850.55", true, 185055 },
	{ "1850.05", true, 185005 },
	{ "0", true, 0 },
	{ "0.01", true, 1 },
	{ "60000", true, 6000000 },
	{ "00012", true, 1200 },
	{ "92233720368547758.07", true, INT64_MAX },
	{ "1,850", false, 0 },
	{ "-5", false, 0 },
	{ "+5", false, 0 },
	{ "1.234", false, 0 },
	{ "1.", false, 0 },
	{ ".5", false, 0 },
	{ "", false, 0 },
	{ "1850 ", false, 0 },
	{ " 1850", false, 0 },
	{ "1e3", false, 0 },
	{ "1850.5x", false, 0 },
	{ "PHP 1850", false, 0 },
	{ "1 850", false, 0 },
	{ "999999999999999999999999", false, 0 },
};

static void
test_parse_money(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(money_cases); i++) {
		int64_t cents = -1;
		const char *why = parse_money(money_cases[i].text, &cents);
		if (money_cases[i].ok) {
			check_accepted("parse_money", money_cases[i].text, why);
			if (cents != money_cases[i].cents)
				fail_msg("parse_money('%s') = %lld, expected %lld",
					 money_cases[i].text, (long long)cents,
					 (long long)money_cases[i].cents);
		} else {
			check_reason("parse_money", money_cases[i].text, why,
				     "amount");
		}
	}
}

/*
 * Amounts just above INT64_MAX cents must be refused, not wrap around.
 * Run in a child process: the sanitizer build aborts on the overflow, and
 * that must fail this test only.  The child exits 0 when the amount was
 * refused, 10 when it was accepted, 11 when it came out negative.
 */
static void
test_parse_money_overflow(void **state)
{
	static const char *const too_large[] = {
		"92233720368547758.08",
		"92233720368547758.99",
		"92233720368547759",
		"92233720368547759.99",
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(too_large); i++) {
		int status;
		pid_t pid;
		fflush(NULL);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			int64_t cents = 0;
			const char *why = parse_money(too_large[i], &cents);
			_exit(why ? 0 : (cents < 0 ? 11 : 10));
		}
		assert_int_equal(waitpid(pid, &status, 0), pid);
		if (!WIFEXITED(status))
			fail_msg("parse_money('%s') crashed (signal %d)",
				 too_large[i], WTERMSIG(status));
		if (WEXITSTATUS(status) == 10 || WEXITSTATUS(status) == 11)
			fail_msg("parse_money('%s') accepted%s", too_large[i],
				 WEXITSTATUS(status) == 11
					 ? ", wrapped around to a negative amount"
					 : "");
		if (WEXITSTATUS(status) != 0)
			fail_msg("parse_money('%s'): the child failed with "
				 "status %d (a sanitizer report above?)",
				 too_large[i], WEXITSTATUS(status));
	}
}

static void
test_format_money(void **state)
{
	static const struct {
		int64_t cents;
		const char *text;
	} cases[] = {
		{ 0, "0" },
		{ 1, "0.01" },
		{ 5, "0.05" },
		{ 50, "0.50" },
		{ 100, "1" },
		{ 185000, "1850" },
		{ 185050, "1850.50" },
		{ 185055, "1850.55" },
		{ 185005, "1850.05" },
		{ 6000000, "60000" },
		{ INT64_MAX, "92233720368547758.07" },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char buf[32];
		int64_t back = -1;
		format_money(cases[i].cents, buf);
		assert_string_equal(buf, cases[i].text);
		/* what it writes, parse_money reads back */
		assert_null(parse_money(buf, &back));
		assert_int_equal(back, cases[i].cents);
	}
}

static const struct {
	const char *text;
	double limit;
	bool ok;
	double value;
	const char *phrase;
} coordinate_cases[] = {
	{ "14.5542", 90, true, 14.5542, NULL },
	{ "-1.9547", 90, true, -1.9547, NULL },
	{ "-99.1373", 180, true, -99.1373, NULL },
	{ "+30.0939", 180, true, 30.0939, NULL },
	{ "0", 90, true, 0, NULL },
	{ "90", 90, true, 90, NULL },
	{ "-90", 90, true, -90, NULL },
	{ "180", 180, true, 180, NULL },
	{ "-180", 180, true, -180, NULL },
	{ "121", 180, true, 121, NULL },
	{ "90.0001", 90, false, 0, "latitude" },
	{ "-91", 90, false, 0, "latitude" },
	{ "121", 90, false, 0, "latitude" },
	{ "180.5", 180, false, 0, "longitude" },
	{ "-181", 180, false, 0, "longitude" },
	{ "", 90, false, 0, "decimal degrees" },
	{ "abc", 90, false, 0, "decimal degrees" },
	{ "14,5542", 90, false, 0, "decimal degrees" },
	{ "14.5542N", 90, false, 0, "decimal degrees" },
	{ " 14.5", 90, false, 0, "decimal degrees" },
	{ "14.5 ", 90, false, 0, "decimal degrees" },
	{ "nan", 90, false, 0, "decimal degrees" },
	{ "-nan", 90, false, 0, "decimal degrees" },
	{ "inf", 180, false, 0, "decimal degrees" },
	{ "-inf", 180, false, 0, "decimal degrees" },
	{ "-", 90, false, 0, "decimal degrees" },
	{ "0x10", 90, false, 0, "decimal degrees" }, /* hexadecimal */
};

static void
test_parse_coordinate(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(coordinate_cases); i++) {
		double v = -1000;
		const char *text = coordinate_cases[i].text;
		const char *why =
			parse_coordinate(text, coordinate_cases[i].limit, &v);
		if (coordinate_cases[i].ok) {
			check_accepted("parse_coordinate", text, why);
			assert_float_equal(v, coordinate_cases[i].value, 1e-12);
		} else {
			check_reason("parse_coordinate", text, why,
				     coordinate_cases[i].phrase);
		}
	}
}

static const struct {
	const char *text;
	int value; /* 1 yes, 0 no, -1 refused */
} yes_no_cases[] = {
	{ "yes", 1 },  { "YES", 1 },   { "Yes", 1 }, { "y", 1 },
	{ "Y", 1 },    { "true", 1 },  { "TRUE", 1 }, { "1", 1 },
	{ "no", 0 },   { "NO", 0 },    { "n", 0 },   { "N", 0 },
	{ "false", 0 }, { "False", 0 }, { "0", 0 },
	{ "", -1 },    { "maybe", -1 }, { "2", -1 }, { "yes ", -1 },
	{ " no", -1 }, { "oui", -1 },  { "sí", -1 }, { "yess", -1 },
	{ "t", -1 },   { "-1", -1 },
};

static void
test_parse_yes_no(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(yes_no_cases); i++) {
		bool v = yes_no_cases[i].value != 1;
		const char *why = parse_yes_no(yes_no_cases[i].text, &v);
		if (yes_no_cases[i].value < 0) {
			check_reason("parse_yes_no", yes_no_cases[i].text, why,
				     "yes or no");
		} else {
			check_accepted("parse_yes_no", yes_no_cases[i].text,
				       why);
			assert_int_equal(v, yes_no_cases[i].value);
		}
	}
}

/* ------------------------------------------------------------------ */
/* codes */

struct code_case {
	const char *text;
	bool ok;
};

static void
run_code_cases(const char *what, const char *(*check)(const char *),
	       const struct code_case *cases, size_t n, const char *phrase)
{
	for (size_t i = 0; i < n; i++) {
		const char *why = check(cases[i].text);
		if (cases[i].ok)
			check_accepted(what, cases[i].text, why);
		else
			check_reason(what, cases[i].text, why, phrase);
	}
}

static const struct code_case zone_cases[] = {
	{ "Asia/Manila", true },
	{ "America/Mexico_City", true },
	{ "Africa/Kigali", true },
	{ "UTC", true },
	{ "America/Argentina/Buenos_Aires", true },
	{ "Asia/Nowhere", false },
	{ "Nowhere", false },
	{ "../etc/passwd", false },
	{ "Asia/../Asia/Manila", false },
	{ "/etc/localtime", false },
	{ "/usr/share/zoneinfo/Asia/Manila", false },
	{ "", false },
	{ "posix/Asia/Manila", false },
	{ "right/Asia/Manila", false },
	{ "Asia", false },          /* a directory */
	{ "Asia/", false },
	{ "Asia/Manila/", false },
	{ "asia manila", false },
	{ "Asia/Manila\n", false },
	{ "zone1970.tab", false },  /* a file, but no zone */
	{ "tzdata.zi", false },
	{ "leapseconds", false },   /* passes the name check, no TZif */
};

static void
test_check_zone(void **state)
{
	(void)state;
	unsetenv("TZDIR");
	run_code_cases("check_zone", check_zone, zone_cases,
		       N_ELEMS(zone_cases), "zone");
}

static const struct code_case country_cases[] = {
	{ "PH", true },  { "MX", true },   { "RW", true },  { "US", true },
	{ "XK", true },  { "ZW", true },   { "AD", true },
	{ "XX", false }, { "ph", false },  { "Ph", false }, { "P", false },
	{ "PHL", false }, { "", false },   { "P1", false }, { " PH", false },
	{ "PH ", false }, { "ZZ", false }, { "UK", false }, { "É", false },
};

static void
test_check_country(void **state)
{
	(void)state;
	run_code_cases("check_country", check_country, country_cases,
		       N_ELEMS(country_cases), "ISO 3166-1");
}

/* The table is sorted (country_find searches it), and every country has a
 * name for badges and certificates, short where the standard's is not. */
static void
test_country_names(void **state)
{
	(void)state;
	assert_int_equal(n_countries, 250);
	for (size_t i = 1; i < n_countries; i++)
		assert_true(strcmp(countries[i - 1].code, countries[i].code) < 0);
	for (size_t i = 0; i < n_countries; i++) {
		assert_non_null(country_find(countries[i].code));
		assert_true(*countries[i].name);
		assert_null(strchr(countries[i].name, ','));
	}
	assert_string_equal(handout_country("VN"), "Vietnam");
	assert_string_equal(handout_country("IE"), "Ireland");
	assert_string_equal(handout_country("KR"), "South Korea");
	assert_string_equal(handout_country("CD"), "DR Congo");
	assert_string_equal(handout_country("XK"), "Kosovo");
	assert_string_equal(handout_country("ZZ"), "ZZ");
	assert_null(country_find("ph"));
}

static const struct code_case currency_cases[] = {
	{ "PHP", true },  { "MXN", true },  { "RWF", true },  { "USD", true },
	{ "EUR", true },  { "JPY", true },  { "ZWG", true },  { "AED", true },
	{ "php", false }, { "Usd", false }, { "US", false },  { "USDX", false },
	{ "XXX", false }, { "ZZZ", false }, { "", false },    { "PH", false },
	{ " USD", false }, { "US$", false }, { "HP ", false }, { "D A", false },
};

/*
 * Calls check(text) in a child process, so that a memory error caught by
 * the sanitizers fails the test that found it and no other.  Returns 1
 * when the text was refused with a reason holding phrase, 0 when it was
 * accepted, 2 when the reason lacks the phrase, -1 when the child died.
 */
static int
refused_in_child(const char *(*check)(const char *), const char *text,
		 const char *phrase)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		const char *why = check(text);
		_exit(!why ? 10 : strstr(why, phrase) ? 11 : 12);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (!WIFEXITED(status) || WEXITSTATUS(status) < 10 ||
	    WEXITSTATUS(status) > 12)
		return -1;
	return WEXITSTATUS(status) - 10;
}

/* In a child process: unknown codes made check_currency() read past the
 * end of its list (an ASan global-buffer-overflow). */
static void
test_check_currency(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(currency_cases); i++) {
		const char *text = currency_cases[i].text;
		int refused = refused_in_child(check_currency, text, "ISO 4217");
		if (refused < 0)
			fail_msg("check_currency('%s') crashed (see the "
				 "sanitizer report above)", text);
		if (refused == 2)
			fail_msg("check_currency('%s'): reason without "
				 "'ISO 4217'", text);
		if (refused != !currency_cases[i].ok)
			fail_msg("check_currency('%s') %s", text,
				 refused ? "refused" : "accepted");
	}
}

static const struct code_case language_cases[] = {
	{ "en", true },         { "fil", true },      { "es-MX", true },
	{ "zh-Hant-TW", true }, { "rw", true },       { "FR", true },
	{ "de-CH-1996", true }, { "es-419", true },
	{ "e", false },         { "english", false }, { "en_US", false },
	{ "", false },          { "en-", false },     { "-en", false },
	{ "en--US", false },    { "en-abcdefghi", false }, { "12", false },
	{ "en US", false },     { "en-US ", false },  { "español", false },
};

static void
test_check_language(void **state)
{
	(void)state;
	run_code_cases("check_language", check_language, language_cases,
		       N_ELEMS(language_cases), "BCP 47");
}

static const struct code_case code_cases[] = {
	{ "ph-2027", true }, { "a_b.c", true }, { "X", true }, { "P000001", true },
	{ "", false },       { "a b", false },  { "é", false }, { "a/b", false },
	{ "a,b", false },    { "a;b", false },  { "a\"b", false },
	{ "..", false },     { ".a", false },   { "a.", true },
};

static void
test_check_code(void **state)
{
	char long_code[66];

	(void)state;
	run_code_cases("check_code", check_code, code_cases, N_ELEMS(code_cases),
		       NULL);
	memset(long_code, 'a', 64);
	long_code[64] = '\0';
	assert_null(check_code(long_code));
	long_code[64] = 'a';
	long_code[65] = '\0';
	assert_non_null(check_code(long_code));
	assert_non_null(strstr(check_code(long_code), "64"));
}

static const struct code_case email_cases[] = {
	{ "a@b.co", true },
	{ "first.last+tag@sub.example.org", true },
	{ "paulina.orozco@fieldschool-mx.example.org", true },
	{ "", false },
	{ "a", false },
	{ "a.b.c", false },
	{ "@b.co", false },
	{ "a@b", false },
	{ "a@@b.co", false },
	{ "a@b@c.co", false },
	{ "a b@c.co", false },
	{ "a@b.co ", false },
	{ "a@b.co,c@d.co", false },
	{ "a@b.co;c@d.co", false },
	{ "<a@b.co>", false },
	{ "\"a\"@b.co", false },
	{ "a@b.co\n", false },
	{ "a\t@b.co", false },
};

static void
test_check_email(void **state)
{
	(void)state;
	run_code_cases("check_email", check_email, email_cases,
		       N_ELEMS(email_cases), "email");
}

/* ------------------------------------------------------------------ */
/* text */

static const struct {
	const char *text;
	bool valid;
} utf8_cases[] = {
	{ "", true },
	{ "plain ASCII, with punctuation!", true },
	{ "\xC3\xA9", true },                 /* é */
	{ "Quiñones Téllez", true },
	{ "\xE2\x82\xAC", true },             /* € */
	{ "\xF0\x9F\x98\x80", true },         /* 😀, four bytes */
	{ "a\xF0\x9F\x87\xB5\xF0\x9F\x87\xAD" "b", true }, /* flag PH */
	{ "مرحبا", true },
	{ "Муниципалитет", true },
	{ "\xC2\x80", true },                 /* U+0080, smallest 2-byte */
	{ "\xE0\xA0\x80", true },             /* U+0800, smallest 3-byte */
	{ "\xED\x9F\xBF", true },             /* U+D7FF, before surrogates */
	{ "\xEE\x80\x80", true },             /* U+E000, after them */
	{ "\xEF\xBF\xBF", true },             /* U+FFFF */
	{ "\xF0\x90\x80\x80", true },         /* U+10000 */
	{ "\xF4\x8F\xBF\xBF", true },         /* U+10FFFF, the last */
	{ "\x80", false },                    /* lone continuation */
	{ "a\xBF" "b", false },
	{ "\xC0\x80", false },                /* overlong NUL */
	{ "\xC1\xBF", false },                /* overlong 2-byte */
	{ "\xE0\x80\x80", false },            /* overlong 3-byte */
	{ "\xE0\x9F\xBF", false },
	{ "\xF0\x80\x80\x80", false },        /* overlong 4-byte */
	{ "\xF0\x8F\xBF\xBF", false },
	{ "\xED\xA0\x80", false },            /* surrogate U+D800 */
	{ "\xED\xBF\xBF", false },            /* surrogate U+DFFF */
	{ "\xF4\x90\x80\x80", false },        /* U+110000 */
	{ "\xF5\x80\x80\x80", false },
	{ "\xF8\x88\x80\x80\x80", false },
	{ "\xFE", false },
	{ "\xFF", false },
	{ "\xC3", false },                    /* truncated at the end */
	{ "\xE2\x82", false },
	{ "\xF0\x9F\x98", false },            /* truncated emoji */
	{ "\xE2\x82x", false },               /* truncated in the middle */
	{ "\xC3\xA9\xC3", false },
	{ "\xF0\x9F\x98\x80\x80", false },    /* one continuation too many */
	{ "caf\xE9", false },                 /* Latin-1 é */
};

static void
test_utf8_valid(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(utf8_cases); i++)
		if (utf8_valid(utf8_cases[i].text) != utf8_cases[i].valid)
			fail_msg("utf8_valid(case %zu) = %d, expected %d", i,
				 !utf8_cases[i].valid, utf8_cases[i].valid);
}

static void
test_trim(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "", "" },
		{ "a", "a" },
		{ "  a b  ", "a b" },
		{ "\tx\t", "x" },
		{ " \t mixed \t ", "mixed" },
		{ "x\r\n", "x" },
		{ "x \r", "x" },
		{ "   ", "" },
		{ "\t", "" },
		{ "inner  spaces  kept", "inner  spaces  kept" },
		{ "é ", "é" },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char buf[64];
		char *out;
		snprintf(buf, sizeof(buf), "%s", cases[i].in);
		out = trim(buf);
		assert_true(out >= buf && out <= buf + strlen(cases[i].in));
		assert_string_equal(out, cases[i].out);
	}
}

/* A string of n copies of unit. */
static char *
repeat(const char *unit, size_t n)
{
	size_t len = strlen(unit);
	char *s = malloc(len * n + 1);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		memcpy(s + i * len, unit, len);
	s[len * n] = '\0';
	return s;
}

static void
test_check_text(void **state)
{
	static const struct {
		const char *text;
		fs_text_kind kind;
		const char *why; /* the start of the reason, NULL when good */
	} cases[] = {
		{ "Ana María", FS_TEXT_NAME, NULL },
		{ "", FS_TEXT_NAME, NULL },
		{ "a\x1b[2J", FS_TEXT_NAME,
		  "control character U+001B at character 2: not allowed" },
		{ "\x1b", FS_TEXT_NOTE, "control character U+001B at character 1" },
		{ "a\x7f", FS_TEXT_TITLE, "control character U+007F at character 2" },
		{ "é\xc2\x9b", FS_TEXT_ADDRESS, "control character U+009B at character 2" },
		{ "\xc2\x80", FS_TEXT_LINE, "control character U+0080 at character 1" },
		{ "\xc2\xa0nbsp", FS_TEXT_NAME, NULL }, /* U+00A0 is no control */
		{ "a\tb", FS_TEXT_NAME, "control character U+0009 at character 2" },
		{ "a\tb", FS_TEXT_NOTE, NULL },
		{ "a\nb", FS_TEXT_TITLE,
		  "a line break at character 2: a title is one line" },
		{ "a\nb", FS_TEXT_NOTE, NULL },
		{ "a\r\nb", FS_TEXT_ADDRESS, NULL },
		{ "a\x1b", FS_TEXT_ADDRESS, "control character U+001B" },
		{ "a\r\nb", FS_TEXT_NOTE, NULL },
		{ "a\rb", FS_TEXT_NOTE, "a line break at character 2" },
		{ "a\nb", FS_TEXT_LINE, "a line break at character 2: this field" },
		{ "\xff", FS_TEXT_NAME, "invalid UTF-8" },
		{ "\xc2\x1b", FS_TEXT_NOTE, "invalid UTF-8" },
	};
	char why[160];
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *got = check_text(cases[i].text, cases[i].kind, why,
					     sizeof(why));
		if (!cases[i].why && got)
			fail_msg("case %zu: refused: %s", i, got);
		if (cases[i].why &&
		    (!got || strncmp(got, cases[i].why, strlen(cases[i].why))))
			fail_msg("case %zu: '%s', expected '%s...'", i,
				 got ? got : "(accepted)", cases[i].why);
	}
	/* the limits, in characters: 4-byte emoji count one each */
	static const struct {
		fs_text_kind kind;
		size_t limit;
	} limits[] = {
		{ FS_TEXT_NAME, 200 },
		{ FS_TEXT_TITLE, 300 },
		{ FS_TEXT_ADDRESS, 500 },
		{ FS_TEXT_NOTE, 10000 },
	};
	for (size_t i = 0; i < N_ELEMS(limits); i++) {
		char *at = repeat("\xf0\x9f\x91\xa9", limits[i].limit);
		char *over = repeat("e", limits[i].limit + 1);
		char want[64];
		assert_int_equal(text_limit(limits[i].kind), limits[i].limit);
		assert_null(check_text(at, limits[i].kind, why, sizeof(why)));
		assert_non_null(check_text(over, limits[i].kind, why, sizeof(why)));
		snprintf(want, sizeof(want), "%zu characters: ", limits[i].limit + 1);
		assert_memory_equal(why, want, strlen(want));
		free(at);
		free(over);
	}
	char *long_line = repeat("x", 100000);
	assert_null(check_text(long_line, FS_TEXT_LINE, why, sizeof(why)));
	free(long_line);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_date),
		cmocka_unit_test(test_civil_round_trip),
		cmocka_unit_test(test_civil_anchors),
		cmocka_unit_test(test_format_date),
		cmocka_unit_test(test_parse_clock),
		cmocka_unit_test(test_parse_date_time),
		cmocka_unit_test(test_parse_int),
		cmocka_unit_test(test_parse_money),
		cmocka_unit_test(test_parse_money_overflow),
		cmocka_unit_test(test_format_money),
		cmocka_unit_test(test_parse_coordinate),
		cmocka_unit_test(test_parse_yes_no),
		cmocka_unit_test(test_check_zone),
		cmocka_unit_test(test_check_country),
		cmocka_unit_test(test_country_names),
		cmocka_unit_test(test_check_currency),
		cmocka_unit_test(test_check_language),
		cmocka_unit_test(test_check_code),
		cmocka_unit_test(test_check_email),
		cmocka_unit_test(test_utf8_valid),
		cmocka_unit_test(test_trim),
		cmocka_unit_test(test_check_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
