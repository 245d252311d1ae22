/*
 * test_import_rows.c - imports whose rows a second thread reads ahead
 * (lib/import_rows.c): a problem in a late row, in the last row, a
 * malformed record at the end and a row longer than a batch are each
 * reported at their line, in the order of the file, and nothing is
 * written.  And new people, which an import writes many at once
 * (participant.c), get the ids one at a time would have given them, and
 * are found by the rows after them.
 *
 * Every test gets a fresh database in its own mkdtemp() directory under
 * $TMPDIR.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fieldschool/record.h"
#include "fieldschool/store.h"
#include "store.h"

#define ROWS 120000

struct fixture {
	char dir[PATH_MAX];
	char db[PATH_MAX + 32];
	char csv[PATH_MAX + 32];
	fs_store *store;
	fs_problems problems;
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");
	static const char missions[] =
		"code,title,country,city,timezone,start,days\n"
		"ph-2027,Manila,PH,Manila,Asia/Manila,2027-07-14,4\n";
	fs_import_stats stats;
	FILE *fp;

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_import_rows.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/fieldschool.db", f->dir);
	snprintf(f->csv, sizeof(f->csv), "%s/in.csv", f->dir);
	if (fs_store_open(&f->store, f->db, FS_STORE_CREATE) != FS_OK)
		return -1;
	f->problems = (fs_problems)FS_PROBLEMS_INIT;
	if (!(fp = fmemopen((void *)missions, strlen(missions), "r")) ||
	    fs_import_stream(f->store, &fs_missions_format, fp, "m.csv", 0,
			     NULL, &f->problems, &stats) != FS_OK)
		return -1;
	fclose(fp);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	char wal[PATH_MAX + 64];

	fs_store_close(f->store);
	fs_problems_release(&f->problems);
	unlink(f->csv);
	unlink(f->db);
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	unlink(wal);
	snprintf(wal, sizeof(wal), "%s-shm", f->db);
	unlink(wal);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Writes ROWS participants; the row on each line of bad (0-terminated)
 * is replaced by its text (the line is the file's: the header is 1). */
static void
write_file(struct fixture *f, const long *bad, const char *const *texts)
{
	FILE *fp = fopen(f->csv, "w");

	assert_non_null(fp);
	fputs("ref,given_name,family_name,email,category,mission,arrival,"
	      "departure\n", fp);
	for (long line = 2; line <= ROWS + 1; line++) {
		int i = 0;
		while (bad[i] && bad[i] != line)
			i++;
		if (bad[i])
			fputs(texts[i], fp);
		else
			fprintf(fp, "P%06ld,Ana,Cruz,ana%ld@example.org,1,"
				"ph-2027,2027-07-13,2027-07-18\n", line,
				line);
	}
	assert_int_equal(fclose(fp), 0);
}

static fs_err
count_row(void *ctx, const char *const *values)
{
	(void)values;
	(*(long *)ctx)++;
	return FS_OK;
}

static long
stored(struct fixture *f)
{
	long n = 0;
	assert_int_equal(fs_participants_format.each(f->store, NULL, NULL,
						      count_row, &n),
			 FS_OK);
	return n;
}

static void
expect_problem(struct fixture *f, size_t i, long line, const char *column,
	       const char *reason_start)
{
	assert_true(i < f->problems.n);
	assert_int_equal(f->problems.items[i].line, line);
	if (column)
		assert_string_equal(f->problems.items[i].column, column);
	else
		assert_null(f->problems.items[i].column);
	if (strncmp(f->problems.items[i].reason, reason_start,
		    strlen(reason_start)))
		fail_msg("problem %zu: '%s', expected '%s...'", i,
			 f->problems.items[i].reason, reason_start);
}

/* Without a problem every row is written: the reader hands on them all. */
static void
test_all_rows(void **state)
{
	struct fixture *f = *state;
	static const long none[] = { 0 };
	fs_import_stats stats;

	write_file(f, none, NULL);
	assert_int_equal(fs_import_file(f->store, &fs_participants_format,
					f->csv, NULL, &f->problems, &stats),
			 FS_OK);
	assert_int_equal(f->problems.n, 0);
	assert_int_equal(stats.rows, ROWS);
	assert_int_equal(stats.added, ROWS);
	assert_int_equal(stored(f), ROWS);
}

/* Problems found by each thread, early, at row 100,000 and in the last
 * row, come out in the order of the file (a repeated identity too, found
 * among the latest rows or in the reader's table on disk); nothing is
 * written. */
static void
test_late_and_last_rows(void **state)
{
	struct fixture *f = *state;
	static const long bad[] = { 3, 100001, 100002, 100003, 110000,
				    ROWS + 1, 0 };
	static const char *const texts[] = {
		"P000003,Ana,Cruz,,9,ph-2027,,\n", /* category: put() */
		"P100001,Ana,Cruz,,1,xx-2027,,\n", /* mission: put() */
		"P100002,Ana,Cruz\x01,,1,ph-2027,,\n", /* text: the reader */
		"P100001,Ana,Cruz,,1,xx-2027,,\n", /* the same identity */
		"P000011,Ana,Cruz,,1,ph-2027,,\n", /* found on disk */
		"P120001,Ana,Cruz,,1,ph-2027\n",   /* fields: the reader */
	};
	fs_import_stats stats;

	write_file(f, bad, texts);
	assert_int_equal(fs_import_file(f->store, &fs_participants_format,
					f->csv, NULL, &f->problems, &stats),
			 FS_EINPUT);
	assert_int_equal(f->problems.n, 6);
	expect_problem(f, 0, 3, "category", "unknown category '9'");
	expect_problem(f, 1, 100001, "mission", "unknown mission 'xx-2027'");
	expect_problem(f, 2, 100002, "family_name", "control character");
	expect_problem(f, 3, 100003, "ref",
		       "'P100001' again: line 100001 has the same ref");
	expect_problem(f, 4, 110000, "ref",
		       "'P000011' again: line 11 has the same ref");
	expect_problem(f, 5, ROWS + 1, NULL,
		       "6 fields where the header has 8");
	assert_string_equal(fs_errdetail() + strlen(fs_errdetail()) -
				    strlen("6 problems, nothing imported"),
			    "6 problems, nothing imported");
	assert_int_equal(stats.rows, 0); /* nothing imported */
	assert_int_equal(stored(f), 0);
}

/* A malformed last record stops the import with its own message, after
 * the problems of the rows before it. */
static void
test_malformed_last_record(void **state)
{
	struct fixture *f = *state;
	static const long bad[] = { 50000, ROWS + 1, 0 };
	static const char *const texts[] = {
		"P050000,Ana,Cruz,,9,ph-2027,,\n",
		"P120001,\"Ana,Cruz,,1,ph-2027,,\n",
	};
	fs_import_stats stats;
	char expected[PATH_MAX + 64];

	write_file(f, bad, texts);
	assert_int_equal(fs_import_file(f->store, &fs_participants_format,
					f->csv, NULL, &f->problems, &stats),
			 FS_EINPUT);
	assert_int_equal(f->problems.n, 1);
	expect_problem(f, 0, 50000, "category", "unknown category");
	snprintf(expected, sizeof(expected), "%s:%d:", f->csv, ROWS + 1);
	if (strncmp(fs_errdetail(), expected, strlen(expected)))
		fail_msg("detail '%s', expected '%s...'", fs_errdetail(),
			 expected);
	assert_int_equal(stored(f), 0);
}

/* A row longer than a batch's text (64 kB) goes in a batch of its own;
 * the rows on both sides of it keep their lines. */
static void
test_long_row(void **state)
{
	struct fixture *f = *state;
	size_t n = 100000;
	char *row = malloc(n + 64);
	long bad[] = { 70000, 70002, 0 };
	const char *texts[] = { row, "P070002,Ana,Cruz,,9,ph-2027,,\n" };
	fs_import_stats stats;

	assert_non_null(row);
	strcpy(row, "P070000,Ana,");
	memset(row + strlen(row), 'x', n);
	strcpy(row + 12 + n, ",,1,ph-2027,,\n");
	write_file(f, bad, texts);
	free(row);
	assert_int_equal(fs_import_file(f->store, &fs_participants_format,
					f->csv, NULL, &f->problems, &stats),
			 FS_EINPUT);
	assert_int_equal(f->problems.n, 2);
	expect_problem(f, 0, 70000, "family_name", "100000 characters");
	expect_problem(f, 1, 70002, "category", "unknown category");
	assert_int_equal(stored(f), 0);
}

/* The rows of a query, one a line, "|" between columns. */
static void
expect_rows(struct fixture *f, const char *sql, const char *expected)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	char got[8192] = "";
	size_t len = 0;

	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READONLY,
					 NULL),
			 SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(stmt); c++) {
			const unsigned char *v = sqlite3_column_text(stmt, c);
			len += (size_t)snprintf(got + len, sizeof(got) - len,
						"%s%s", c ? "|" : "",
						v ? (const char *)v : "NULL");
		}
		len += (size_t)snprintf(got + len, sizeof(got) - len, "\n");
	}
	sqlite3_finalize(stmt);
	sqlite3_close(db);
	assert_string_equal(got, expected);
}

/* New people with a ref are written 128 at a time; a person without a
 * ref, a known ref and a known email in between are written at once,
 * after the people before them.  Ids follow the file as if each row had
 * been written on its own. */
static void
import_new_people(struct fixture *f)
{
	static const char mission[] =
		"code,title,country,city,timezone,start,days\n"
		"mx-2027,Mexico,MX,CDMX,America/Mexico_City,2027-05-10,4\n";
	fs_import_stats stats;
	FILE *fp = fopen(f->csv, "w");

	assert_non_null(fp);
	fputs(mission, fp);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(fs_import_file(f->store, &fs_missions_format, f->csv,
					NULL, &f->problems, &stats),
			 FS_OK);
	assert_non_null(fp = fopen(f->csv, "w"));
	fputs("ref,given_name,family_name,email,category,mission,status,"
	      "funded,group,country\n", fp);
	for (int i = 1; i <= 200; i++) /* lines 2-201: a batch and more */
		fprintf(fp, "P%03d,Ana,Cruz,p%03d@example.org,1,ph-2027,,,,"
			"\n", i, i);
	fputs(",No,Ref,noref@example.org,2,ph-2027,confirmed,no,B,ph\n", fp);
	fputs("P005,Ana,Cruz,p005@example.org,1,mx-2027,,,,\n", fp);
	for (int i = 1; i <= 57; i++) /* no registration */
		fprintf(fp, "Q%03d,Ben,Ruiz,q%03d@example.org,3,,,,,mx\n", i,
			i);
	fputs(",Ben,Ruiz,Q010@example.org,3,mx-2027,waitlisted,,,\n", fp);
	for (int i = 1; i <= 39; i++)
		fprintf(fp, "R%03d,Cy,Diaz,,4,mx-2027,,yes,A,\n", i);
	assert_int_equal(fclose(fp), 0);

	assert_int_equal(fs_import_file(f->store, &fs_participants_format,
					f->csv, NULL, &f->problems, &stats),
			 FS_OK);
	assert_int_equal(f->problems.n, 0);
	assert_int_equal(stats.added, 297);
	assert_int_equal(stats.changed, 2);
	expect_rows(f,
		    "SELECT id, ref, email, category_id, country FROM "
		    "participant WHERE id IN (1, 128, 129, 200, 201, 202, 258, "
		    "259, 297) OR id > 297 ORDER BY id",
		    "1|P001|p001@example.org|1|\n"
		    "128|P128|p128@example.org|1|\n"
		    "129|P129|p129@example.org|1|\n"
		    "200|P200|p200@example.org|1|\n"
		    "201|P000201|noref@example.org|2|PH\n"
		    "202|Q001|q001@example.org|3|MX\n"
		    "258|Q057|q057@example.org|3|MX\n"
		    "259|R001||4|\n"
		    "297|R039||4|\n");
	expect_rows(f,
		    "SELECT r.id, p.ref, m.code, r.status, r.funded, "
		    "r.group_label, r.arrival FROM registration r JOIN "
		    "participant p ON p.id = r.participant_id JOIN mission m "
		    "ON m.id = r.mission_id WHERE r.id IN (1, 200, 201, 202, "
		    "203, 204, 242) OR r.id > 242 ORDER BY r.id",
		    "1|P001|ph-2027|applied|1||\n"
		    "200|P200|ph-2027|applied|1||\n"
		    "201|P000201|ph-2027|confirmed|0|B|\n"
		    "202|P005|mx-2027|applied|1||\n"
		    "203|Q010|mx-2027|waitlisted|1||\n"
		    "204|R001|mx-2027|applied|1|A|\n"
		    "242|R039|mx-2027|applied|1|A|\n");
	/* the same file again adds nothing (the two rows that found a
	 * person already imported count as changed, as they always did) */
	assert_int_equal(fs_import_file(f->store, &fs_participants_format,
					f->csv, NULL, &f->problems, &stats),
			 FS_OK);
	assert_int_equal(stats.added, 0);
	assert_int_equal(stats.changed, 2);
	assert_int_equal(stats.unchanged, 297);
}

static void
test_new_people_batched(void **state)
{
	import_new_people(*state);
}

/* A SQLite that allows fewer variables than a batch's INSERT (999 before
 * 3.32) gets the same rows one by one. */
static void
test_new_people_few_variables(void **state)
{
	struct fixture *f = *state;

	sqlite3_limit(f->store->db, SQLITE_LIMIT_VARIABLE_NUMBER, 999);
	import_new_people(f);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_all_rows),
		T(test_late_and_last_rows),
		T(test_malformed_last_record),
		T(test_long_row),
		T(test_new_people_batched),
		T(test_new_people_few_variables),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
