/*
 * test_roster.c - the finance rules of the rosters (finance.c), the name
 * sort key (fold_key), attendance through the record API, and
 * fs_roster_write()'s all-or-nothing file handling, and the lines a
 * wrapped cell takes (roster_print.c).  The workbooks' cells
 * are read back by tests/xlsx_check.py in the CLI tests (200-roster.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fieldschool/attendance.h"
#include "fieldschool/mission.h"
#include "fieldschool/participant.h"
#include "fieldschool/roster.h"
#include "fieldschool/store.h"
#include "finance.h"
#include "value.h"
#include "workbook.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* --- finance rules: a table ----------------------------------------------- */

static void
test_finance_rules(void **state)
{
	(void)state;
	/* 2027-09-13 .. 2027-09-16; 3000.00 a day, 5500.50 a night, 150 of
	 * meals a day, travel days at 75% */
	struct finance_rules rules = {
		days_from_civil(2027, 9, 13), days_from_civil(2027, 9, 16),
		300000, 550050, 15000, 75, false, false,
	};
	static const struct {
		const char *what, *arrival, *departure;
		bool confirmed, funded;
		long nights, days, travel_days;
		int64_t per_diem, meals, accommodation, travel, total;
	} cases[] = {
		{ "day before to day after", "2027-09-12", "2027-09-17", true,
		  true, 5, 4, 2, 1200000, 60000, 2750250, 450000, 4340250 },
		{ "no dates: the day before, the day after", "", "", true, true,
		  5, 4, 2, 1200000, 60000, 2750250, 450000, 4340250 },
		{ "times of day do not matter", "2027-09-12T23:50",
		  "2027-09-17T00:10", true, true, 5, 4, 2, 1200000, 60000,
		  2750250, 450000, 4340250 },
		{ "first day to last day", "2027-09-13", "2027-09-16", true,
		  true, 3, 4, 0, 1200000, 60000, 1650150, 0, 2790150 },
		{ "a week early, a week late: clipped", "2027-09-06",
		  "2027-09-23", true, true, 5, 4, 2, 1200000, 60000, 2750250,
		  450000, 4340250 },
		{ "not funded: accommodation only", "2027-09-14T10:00",
		  "2027-09-15", true, false, 1, 2, 0, 0, 0, 550050, 0, 550050 },
		{ "late arrival, one travel day", "2027-09-15", "2027-09-20",
		  true, true, 2, 2, 1, 600000, 30000, 1100100, 225000,
		  1895100 },
		{ "same day in and out", "2027-09-14", "2027-09-14", true, true,
		  0, 1, 0, 300000, 15000, 0, 0, 285000 },
		{ "came and went before the school", "2027-09-01",
		  "2027-09-05", true, true, 0, 0, 0, 0, 0, 0, 0, 0 },
		{ "cancelled: zeros", "2027-09-12", "2027-09-17", false, true, 0,
		  0, 0, 0, 0, 0, 0, 0 },
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		struct stay s;
		finance_stay(&rules, cases[i].confirmed, cases[i].funded,
			     cases[i].arrival, cases[i].departure, 0, &s);
		if (s.nights != cases[i].nights || s.days != cases[i].days ||
		    s.travel_days != cases[i].travel_days ||
		    s.per_diem != cases[i].per_diem ||
		    s.meals != cases[i].meals ||
		    s.accommodation != cases[i].accommodation ||
		    s.travel != cases[i].travel || s.total != cases[i].total)
			fail_msg("%s: nights %ld days %ld travel days %ld per "
				 "diem %lld meals %lld accommodation %lld travel "
				 "%lld total %lld", cases[i].what, s.nights,
				 s.days, s.travel_days, (long long)s.per_diem,
				 (long long)s.meals,
				 (long long)s.accommodation,
				 (long long)s.travel, (long long)s.total);
		/* the stored results agree with the cents */
		assert_true(s.v_total * 100 > (double)s.total - 0.5 &&
			    s.v_total * 100 < (double)s.total + 0.5);
	}

	/* travel rounded half up to the cent: 33.33 x 75% = 24.9975 */
	rules.rate = 3333;
	rules.meals = 0;
	struct stay s;
	finance_stay(&rules, true, true, "", "2027-09-16", 0, &s);
	assert_int_equal(s.travel_days, 1);
	assert_int_equal(s.travel, 2500);

	/* a currency without minor units: rounded half up to the unit, as
	 * ROUND(x, 0) does: 2 x 15001 x 33% = 9900.66 -> 9901 */
	rules.whole = true;
	rules.rate = 1500100;
	rules.share = 33;
	finance_stay(&rules, true, true, "2027-09-12", "2027-09-17", 0, &s);
	assert_int_equal(s.travel_days, 2);
	assert_int_equal(s.travel, 990100);
	assert_true(s.v_travel == 9901.0);
	assert_true(finance_whole_currency("RWF"));
	assert_false(finance_whole_currency("PHP"));
	rules.whole = false;
	rules.rate = 3333;
	rules.share = 75;

	/* days present: the days attendance covers (bit d: the day first +
	 * d) from the marks, the others from the stay */
	rules.covered = 0x3; /* days 1 and 2 recorded */
	finance_stay(&rules, true, true, "2027-09-12", "2027-09-17", 0x2, &s);
	assert_int_equal(s.days, 3); /* day 2, and days 3 and 4 by dates */
	assert_int_equal(s.nights, 5); /* nights follow the stay */
	assert_false(s.no_show);
	/* arrives on day 3: days 1 and 2 recorded without them is no
	 * absence from their stay */
	finance_stay(&rules, true, true, "2027-09-15", "2027-09-20", 0, &s);
	assert_int_equal(s.days, 2);
	assert_false(s.no_show);
	/* every day of the stay recorded, present on none: a no-show, owed
	 * nothing */
	rules.covered = 0xC;
	finance_stay(&rules, true, true, "2027-09-15", "2027-09-20", 0, &s);
	assert_true(s.no_show);
	assert_int_equal(s.days, 0);
	assert_int_equal(s.nights, 0);
	assert_int_equal(s.travel_days, 0);
	assert_int_equal(s.total, 0);
	assert_true(s.v_total == 0);
	rules.covered = 0xF;
	finance_stay(&rules, true, true, "", "", 0, &s);
	assert_true(s.no_show);
	assert_int_equal(s.accommodation, 0);
	/* present on a recorded day outside the stay: counted, no no-show */
	finance_stay(&rules, true, true, "2027-09-15", "2027-09-20", 0x1, &s);
	assert_int_equal(s.days, 1);
	assert_false(s.no_show);
	assert_int_equal(s.nights, 2);
	/* not confirmed: zeros, and no flag */
	finance_stay(&rules, false, true, "2027-09-12", "2027-09-17", 0x3, &s);
	assert_int_equal(s.days, 0);
	assert_false(s.no_show);
	/* the masks */
	assert_true(finance_stay_days(rules.first, rules.last, "2027-09-14",
				      "2027-09-15") == 0x6);
	assert_true(finance_stay_days(rules.first, rules.last, "", "") == 0xF);
	assert_true(finance_stay_days(rules.first, rules.last, "2027-09-01",
				      "2027-09-05") == 0);
}

static void
test_fold_key(void **state)
{
	static const struct {
		const char *name, *key;
	} cases[] = {
		{ "Álvarez", "alvarez" },      { "ÑÚÑEZ", "nunez" },
		{ "Güemes", "guemes" },        { "Łukasz Ødegård", "lukasz odegard" },
		{ "Straße", "strase" },        { "Cruz", "cruz" },
		{ "e\xcc\x81lan", "elan" },   /* e + combining acute */
		{ "김지민", "김지민" },           { "=HYPERLINK", "=hyperlink" },
	};
	char buf[64];
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		fold_key(cases[i].name, buf, sizeof(buf));
		assert_string_equal(buf, cases[i].key);
	}
	/* cut to the buffer, full length returned */
	assert_int_equal(fold_key("Wolfeschlegelstein", buf, 5), 18);
	assert_string_equal(buf, "wolf");
}

/* --- the store: attendance and the workbook file -------------------------- */

struct fixture {
	char dir[PATH_MAX];
	char db[PATH_MAX + 32];
	fs_store *store;
	fs_problems problems;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	fs_put_outcome outcome;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_roster.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir) ||
	    (snprintf(f->db, sizeof(f->db), "%s/fieldschool.db", f->dir),
	     fs_store_open(&f->store, f->db, FS_STORE_CREATE) != FS_OK)) {
		free(f);
		return -1;
	}
	f->problems = (fs_problems)FS_PROBLEMS_INIT;
	const char *m[FS_MISSION__COUNT] = { 0 };
	m[FS_MISSION_CODE] = "m1";
	m[FS_MISSION_TITLE] = "Mission & one";
	m[FS_MISSION_COUNTRY] = "PH";
	m[FS_MISSION_CITY] = "Manila";
	m[FS_MISSION_TIMEZONE] = "Asia/Manila";
	m[FS_MISSION_START] = "2027-09-13";
	m[FS_MISSION_DAYS] = "3";
	m[FS_MISSION_CURRENCY] = "PHP";
	m[FS_MISSION_PER_DIEM] = "3000";
	if (fs_missions_format.put(f->store, m, FS_PUT_CREATE, 0, &f->problems,
				   &outcome, NULL) != FS_OK)
		return -1;
	const char *p[FS_PART__COUNT] = { 0 };
	p[FS_PART_REF] = "R1";
	p[FS_PART_GIVEN_NAME] = "=1+1";
	p[FS_PART_FAMILY_NAME] = "@Cruz";
	p[FS_PART_CATEGORY] = "1";
	p[FS_PART_MISSION] = "m1";
	p[FS_PART_STATUS] = "confirmed";
	if (fs_participants_format.put(f->store, p, FS_PUT_CREATE, 0,
				       &f->problems, &outcome, NULL) != FS_OK)
		return -1;
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *e;

	fs_store_close(f->store);
	fs_problems_release(&f->problems);
	while (d && (e = readdir(d))) {
		char path[PATH_MAX + 256];
		snprintf(path, sizeof(path), "%s/%s", f->dir, e->d_name);
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

static int
count_files(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	while (d && (e = readdir(d)))
		n += e->d_name[0] != '.';
	if (d)
		closedir(d);
	return n;
}

static void
test_roster_file(void **state)
{
	struct fixture *f = *state;
	char path[PATH_MAX + 32], bad[PATH_MAX + 64];
	const char *codes[] = { "m1" }, *nope[] = { "m1", "nope" };
	fs_roster_stats stats;
	struct stat st;
	int before;

	snprintf(path, sizeof(path), "%s/r.xlsx", f->dir);
	before = count_files(f->dir);
	assert_int_equal(fs_roster_write(f->store, path, nope, 2, &stats),
			 FS_ENOTFOUND);
	assert_string_equal(fs_errdetail(), "no mission 'nope'");
	assert_int_equal(count_files(f->dir), before);

	assert_int_equal(fs_roster_write(f->store, path, codes, 1, &stats),
			 FS_OK);
	assert_int_equal(stats.missions, 1);
	assert_int_equal(stats.sheets, 10); /* 7 sheets and 3 sign-in days */
	assert_int_equal(stats.registrations, 1);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 1000);
	assert_int_equal(count_files(f->dir), before + 1);

	/* all missions when none are named */
	assert_int_equal(fs_roster_write(f->store, path, NULL, 0, &stats),
			 FS_OK);
	assert_int_equal(stats.missions, 1);

	/* a directory that does not exist: FS_EIO naming the path */
	snprintf(bad, sizeof(bad), "%s/no/r.xlsx", f->dir);
	assert_int_equal(fs_roster_write(f->store, bad, codes, 1, &stats),
			 FS_EIO);
	assert_non_null(strstr(fs_errdetail(), bad));
	assert_int_equal(count_files(f->dir), before + 1);
}

static void
test_attendance_put(void **state)
{
	struct fixture *f = *state;
	const char *v[FS_ATT__COUNT] = { 0 };
	fs_put_outcome outcome;

	v[FS_ATT_REF] = "R1";
	v[FS_ATT_DATE] = "2027-09-14";
	assert_int_equal(fs_attendance_format.put(f->store, v, FS_PUT_UPSERT, 3,
						  &f->problems, &outcome, NULL),
			 FS_OK);
	assert_int_equal(outcome, FS_PUT_ADDED);
	assert_int_equal(fs_attendance_format.put(f->store, v, FS_PUT_UPSERT, 3,
						  &f->problems, &outcome, NULL),
			 FS_OK);
	assert_int_equal(outcome, FS_PUT_UNCHANGED);
	v[FS_ATT_PRESENT] = "no";
	assert_int_equal(fs_attendance_format.put(f->store, v, FS_PUT_UPSERT, 3,
						  &f->problems, &outcome, NULL),
			 FS_OK);
	assert_int_equal(outcome, FS_PUT_CHANGED);

	/* a day outside the mission: a problem on the date, line kept */
	v[FS_ATT_DATE] = "2027-09-16";
	assert_int_equal(fs_attendance_format.put(f->store, v, FS_PUT_UPSERT, 7,
						  &f->problems, &outcome, NULL),
			 FS_EINPUT);
	assert_int_equal(f->problems.n, 1);
	assert_int_equal(f->problems.items[0].line, 7);
	assert_string_equal(f->problems.items[0].column, "date");
}

/* --- wrapped cells: the lines a row's height is reckoned from ------------ */

static void
test_text_lines(void **state)
{
	(void)state;
	static const struct {
		const char *text;
		double width; /* the column, in characters */
		int lines;
	} cases[] = {
		{ "", 11, 1 },
		{ "Merienda", 30, 1 },
		/* 15 % for the words' ends: 52 characters in 30 */
		{ "Philippine International Convention Center, Manila", 30, 2 },
		/* a word a line in a narrow column: more than 15 % lost */
		{ "13:00 Long title word001 word002 word003 word004", 11, 6 },
		/* a word wider than the column is broken */
		{ "Supercalifragilisticexpialidocious", 11, 4 },
		/* CJK counts two a character, and breaks anywhere */
		{ "\xE7\x94\xB0\xE4\xB8\xAD\xE7\xA0\x94\xE4\xBF\xAE"
		  "\xE3\x82\xBB\xE3\x83\xB3\xE3\x82\xBF\xE3\x83\xBC",
		  11, 2 },
		/* Arabic: a character each, wrapped at spaces */
		{ "\xD9\x85\xD8\xB1\xD9\x83\xD8\xB2 \xD8\xA7\xD9\x84"
		  "\xD8\xAA\xD8\xAF\xD8\xB1\xD9\x8A\xD8\xA8 \xD8\xA7"
		  "\xD9\x84\xD9\x85\xD9\x8A\xD8\xAF\xD8\xA7\xD9\x86"
		  "\xD9\x8A",
		  11, 3 },
	};
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		int got = text_lines(cases[i].text, cases[i].width);
		if (got != cases[i].lines)
			fail_msg("text_lines(\"%s\", %g) = %d, expected %d",
				 cases[i].text, cases[i].width, got,
				 cases[i].lines);
	}
	/* under the cap: the column will be as wide as the text */
	assert_int_equal(capped_lines("Merienda", 8, 30), 1);
	assert_int_equal(capped_lines("Philippine International Convention "
				      "Center, Manila", 50, 30),
			 2);
	/* never more than a row holds (409 points) */
	char many[2000];
	memset(many, 'x', sizeof(many) - 1);
	many[sizeof(many) - 1] = '\0';
	assert_int_equal(text_lines(many, 10), 27);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_finance_rules),
		cmocka_unit_test(test_fold_key),
		cmocka_unit_test(test_text_lines),
		cmocka_unit_test_setup_teardown(test_roster_file, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_attendance_put, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
