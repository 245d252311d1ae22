/*
 * test_store.c - opening, migrating and refusing databases; the statements
 * of queries.c against the migrated schema; nested transactions.
 *
 * Every test works in its own directory made with mkdtemp() under $TMPDIR,
 * removed with its files afterwards.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fieldschool/directory.h"
#include "fieldschool/mission.h"
#include "fieldschool/record.h"
#include "fieldschool/store.h"
#include "queries.h"
#include "store.h"

struct fixture {
	char dir[PATH_MAX];
	char db[PATH_MAX + 32];
};

static int
setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const char *tmp = getenv("TMPDIR");

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "%s/test_store.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/fieldschool.db", f->dir);
	*state = f;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *e;

	if (d) {
		while ((e = readdir(d))) {
			char path[PATH_MAX + 256];
			if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
				continue;
			snprintf(path, sizeof(path), "%s/%s", f->dir, e->d_name);
			if (unlink(path) != 0)
				rmdir(path);
		}
		closedir(d);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* Runs SQL on the file through a connection of our own. */
static void
sql_exec(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	char *msg = NULL;

	assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("%s: %s", sql, msg ? msg : "?");
	sqlite3_free(msg);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
}

/* The first column of the first row of a query, as an integer. */
static long long
sql_int(const char *path, const char *sql)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *stmt = NULL;
	long long v;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL),
			 SQLITE_OK);
	if (sqlite3_prepare_v2(db, sql, -1, &stmt, NULL) != SQLITE_OK)
		fail_msg("%s: %s", sql, sqlite3_errmsg(db));
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	v = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	return v;
}

struct categories {
	int n;
	char codes[16][64];
	int numbers[16];
};

static fs_err
collect_category(void *ctx, const fs_category *c)
{
	struct categories *cats = ctx;
	if (cats->n < 16) {
		snprintf(cats->codes[cats->n], sizeof(cats->codes[0]), "%s",
			 c->code);
		cats->numbers[cats->n] = c->number;
	}
	cats->n++;
	return FS_OK;
}

static int
count_categories(fs_store *store)
{
	struct categories cats = { 0 };
	assert_int_equal(fs_category_each(store, collect_category, &cats), FS_OK);
	return cats.n;
}

struct modules {
	int n, seminar, ecourse;
	char first_code[64];
};

static fs_err
collect_module(void *ctx, const fs_module *m)
{
	struct modules *mods = ctx;
	if (mods->n++ == 0)
		snprintf(mods->first_code, sizeof(mods->first_code), "%s",
			 m->code);
	if (!strcmp(m->curriculum, "seminar"))
		mods->seminar++;
	else if (!strcmp(m->curriculum, "e-course"))
		mods->ecourse++;
	return FS_OK;
}

static int
count_modules(fs_store *store, const char *curriculum)
{
	struct modules mods = { 0 };
	assert_int_equal(fs_module_each(store, curriculum, collect_module, &mods),
			 FS_OK);
	return mods.n;
}

/* ------------------------------------------------------------------ */

static void
test_create_new(void **state)
{
	struct fixture *f = *state;
	struct categories cats = { 0 };
	struct modules mods = { 0 };
	fs_store *store = NULL;
	struct stat st;

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_non_null(store);
	assert_int_equal(stat(f->db, &st), 0);
	assert_true(fs_store_schema_version() >= 1);
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"),
			 fs_store_schema_version());

	assert_int_equal(fs_category_each(store, collect_category, &cats), FS_OK);
	assert_int_equal(cats.n, 7);
	for (int i = 0; i < 7; i++)
		assert_int_equal(cats.numbers[i], i + 1);
	assert_string_equal(cats.codes[0], "lgu-official");
	assert_string_equal(cats.codes[3], "mrc-staff");
	assert_string_equal(cats.codes[6], "academe-ngo-business");

	assert_int_equal(fs_module_each(store, NULL, collect_module, &mods),
			 FS_OK);
	assert_int_equal(mods.n, 10);
	assert_int_equal(mods.seminar, 4);
	assert_int_equal(mods.ecourse, 6);
	assert_string_equal(mods.first_code, "policies");
	assert_int_equal(count_modules(store, "seminar"), 4);
	assert_int_equal(count_modules(store, "e-course"), 6);
	{
		/* an unknown curriculum is refused, naming those there are */
		struct modules none = { 0 };
		assert_int_equal(fs_module_each(store, "no-such-curriculum",
						collect_module, &none),
				 FS_ENOTFOUND);
		assert_int_equal(none.n, 0);
		assert_string_equal(fs_errdetail(),
				    "no curriculum 'no-such-curriculum' (there "
				    "are: e-course, seminar)");
	}

	fs_store_close(store);
	/* WAL mode and foreign keys, as promised */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 7);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM module"), 10);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM pragma_journal_mode "
				 "WHERE journal_mode = 'wal'"), 1);
}

static void
test_missing_without_create(void **state)
{
	struct fixture *f = *state;
	fs_store *store = (fs_store *)f; /* must be reset to NULL */
	struct stat st;

	assert_int_equal(fs_store_open(&store, f->db, 0), FS_EIO);
	assert_null(store);
	assert_non_null(strstr(fs_errdetail(), f->db));
	assert_int_equal(stat(f->db, &st), -1);
	assert_int_equal(errno, ENOENT);
	fs_store_close(NULL);
}

static void
test_directory_refused(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	assert_int_equal(fs_store_open(&store, f->dir, FS_STORE_CREATE),
			 FS_EIO);
	assert_null(store);
}

static void
test_other_sqlite_database(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	sql_exec(f->db, "CREATE TABLE invoices (id INTEGER PRIMARY KEY, total "
			"REAL); INSERT INTO invoices (total) VALUES (12.5)");
	assert_int_equal(fs_store_open(&store, f->db, 0), FS_EINPUT);
	assert_null(store);
	assert_non_null(strstr(fs_errdetail(), "not a fieldschool database"));
	/* and left alone */
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM sqlite_schema"), 1);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM invoices"), 1);
	/* FS_STORE_CREATE does not make it ours either */
	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE),
			 FS_EINPUT);
	assert_null(store);
}

/* A file that is no SQLite database at all is not a fieldschool database
 * (store.h: FS_EINPUT), and is not overwritten. */
static void
test_not_a_database(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "code,title\nph-2027,Manila\n";
	fs_store *store = NULL;
	char back[64] = "";
	FILE *fp = fopen(f->db, "w");

	assert_non_null(fp);
	assert_int_equal(fwrite(text, 1, strlen(text), fp), strlen(text));
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(fs_store_open(&store, f->db, 0), FS_EINPUT);
	assert_null(store);
	fp = fopen(f->db, "r");
	assert_non_null(fp);
	assert_int_equal(fread(back, 1, sizeof(back) - 1, fp), strlen(text));
	fclose(fp);
	assert_string_equal(back, text);
}

static void
test_newer_version_refused(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;
	char sql[64], number[16];

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	fs_store_close(store);
	store = NULL;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		 fs_store_schema_version() + 1);
	sql_exec(f->db, sql);

	assert_int_equal(fs_store_open(&store, f->db, 0), FS_EINPUT);
	assert_null(store);
	assert_non_null(strstr(fs_errdetail(), "newer"));
	snprintf(number, sizeof(number), "%d", fs_store_schema_version() + 1);
	assert_non_null(strstr(fs_errdetail(), number));
	/* not downgraded */
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"),
			 fs_store_schema_version() + 1);
}

static void
test_open_twice(void **state)
{
	struct fixture *f = *state;
	fs_store *a = NULL, *b = NULL;

	assert_int_equal(fs_store_open(&a, f->db, FS_STORE_CREATE), FS_OK);
	/* a second handle while the first is open */
	assert_int_equal(fs_store_open(&b, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(count_categories(a), 7);
	assert_int_equal(count_categories(b), 7);
	fs_store_close(b);
	fs_store_close(a);
	/* and again after closing both, without FS_STORE_CREATE */
	a = NULL;
	assert_int_equal(fs_store_open(&a, f->db, 0), FS_OK);
	assert_int_equal(count_categories(a), 7);
	assert_int_equal(count_modules(a, NULL), 10);
	fs_store_close(a);
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"),
			 fs_store_schema_version());
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 7);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM module"), 10);
}

/* A file left at user_version 0 and empty (as a crash before the first
 * migration would leave it) is migrated when opened. */
static void
test_empty_database_migrated(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	sql_exec(f->db, "PRAGMA user_version = 0");
	assert_int_equal(fs_store_open(&store, f->db, 0), FS_OK);
	assert_int_equal(count_categories(store), 7);
	fs_store_close(store);
	assert_int_equal(sql_int(f->db, "PRAGMA user_version"),
			 fs_store_schema_version());
}

/* Every statement of queries.c compiles against the migrated schema. */
static void
test_queries_prepare(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;
	sqlite3 *db = NULL;

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(sqlite3_open_v2(f->db, &db, SQLITE_OPEN_READWRITE, NULL),
			 SQLITE_OK);
	store_register_functions(db); /* as fs_store_open() does */
	/* the temporary tables, as the roster and store_import_start()
	 * make them before their other statements */
	assert_int_equal(sqlite3_exec(db, fs_queries[Q_ROSTER_RIDERS_LOAD],
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, fs_queries[Q_IMPORT_KEY_TABLE], NULL,
				      NULL, NULL),
			 SQLITE_OK);
	for (int q = 0; q < Q__COUNT; q++) {
		sqlite3_stmt *stmt = NULL;
		const char *tail = NULL;
		if (!fs_queries[q])
			fail_msg("fs_queries[%d] is NULL", q);
		if (sqlite3_prepare_v2(db, fs_queries[q], -1, &stmt, &tail) !=
		    SQLITE_OK)
			fail_msg("fs_queries[%d] does not prepare: %s\n%s", q,
				 sqlite3_errmsg(db), fs_queries[q]);
		if (!stmt)
			fail_msg("fs_queries[%d] holds no statement", q);
		/* one statement each: nothing after it would ever run */
		if (tail[strspn(tail, " \t\r\n;")] != '\0')
			fail_msg("fs_queries[%d] has text after its statement: "
				 "'%s'", q, tail);
		sqlite3_finalize(stmt);
	}
	assert_int_equal(sqlite3_close(db), SQLITE_OK);
	fs_store_close(store);
}

/* ------------------------------------------------------------------ */
/* transactions */

static bool
has_category(fs_store *store, const char *code)
{
	struct categories cats = { 0 };
	assert_int_equal(fs_category_each(store, collect_category, &cats), FS_OK);
	for (int i = 0; i < cats.n && i < 16; i++)
		if (!strcmp(cats.codes[i], code))
			return true;
	return false;
}

static void
add_category(fs_store *store, const char *code, int expected_number)
{
	int number = 0;
	assert_int_equal(fs_category_add(store, code, "Test category", "", &number),
			 FS_OK);
	assert_int_equal(number, expected_number);
}

static void
test_commit_keeps(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "test-a", 8);
	assert_int_equal(fs_store_commit(store), FS_OK);
	assert_true(has_category(store, "test-a"));
	fs_store_close(store);
	/* on disk, seen by another connection */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category WHERE "
				 "code = 'test-a'"), 1);
}

static void
test_rollback_discards(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "test-a", 8);
	assert_true(has_category(store, "test-a"));
	fs_store_rollback(store);
	assert_false(has_category(store, "test-a"));
	assert_int_equal(count_categories(store), 7);
	/* the number is free again */
	add_category(store, "test-b", 8);
	fs_store_close(store);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 8);
}

static void
test_nested_commit(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "outer", 8);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "inner", 9);
	assert_int_equal(fs_store_commit(store), FS_OK); /* inner: no write */
	/* not committed yet: another connection does not see it */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 7);
	assert_int_equal(fs_store_commit(store), FS_OK); /* outer */
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 9);
	/* a commit without a transaction does nothing, successfully */
	assert_int_equal(fs_store_commit(store), FS_OK);
	fs_store_rollback(store); /* nor does a stray rollback */
	assert_int_equal(count_categories(store), 9);
	fs_store_close(store);
}

static void
test_nested_rollback_fails_outer_commit(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "outer", 8);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "inner", 9);
	fs_store_rollback(store); /* inner */
	/* the outer transaction cannot be committed any more */
	assert_int_not_equal(fs_store_commit(store), FS_OK);
	assert_non_null(strstr(fs_errdetail(), "rolled back"));
	assert_false(has_category(store, "outer"));
	assert_false(has_category(store, "inner"));
	assert_int_equal(count_categories(store), 7);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 7);

	/* the next transaction starts clean */
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "after", 8);
	assert_int_equal(fs_store_commit(store), FS_OK);
	assert_true(has_category(store, "after"));
	fs_store_close(store);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 8);
}

static void
test_nested_rollback_three_deep(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "one", 8);
	assert_int_equal(fs_store_begin(store), FS_OK);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "three", 9);
	fs_store_rollback(store);                      /* third level */
	assert_int_equal(fs_store_commit(store), FS_OK); /* second: counted */
	assert_int_not_equal(fs_store_commit(store), FS_OK);
	assert_int_equal(count_categories(store), 7);
	fs_store_close(store);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 7);
}

/* Closing with a transaction open keeps nothing of it. */
static void
test_close_in_transaction(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(fs_store_begin(store), FS_OK);
	add_category(store, "lost", 8);
	fs_store_close(store);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM category"), 7);
	store = NULL;
	assert_int_equal(fs_store_open(&store, f->db, 0), FS_OK);
	assert_false(has_category(store, "lost"));
	fs_store_close(store);
}

static void
test_default_path(void **state)
{
	(void)state;
	assert_int_equal(setenv("FIELDSCHOOL_DB", "/some/where.db", 1), 0);
	assert_string_equal(fs_store_default_path(), "/some/where.db");
	assert_int_equal(setenv("FIELDSCHOOL_DB", "", 1), 0);
	assert_string_equal(fs_store_default_path(), "fieldschool.db");
	assert_int_equal(unsetenv("FIELDSCHOOL_DB"), 0);
	assert_string_equal(fs_store_default_path(), "fieldschool.db");
}

/* ------------------------------------------------------------------ */
/* imports */

static int
foreign_keys(fs_store *store)
{
	sqlite3_stmt *stmt = NULL;
	int on;

	assert_int_equal(sqlite3_prepare_v2(store->db, "PRAGMA foreign_keys",
					    -1, &stmt, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(stmt), SQLITE_ROW);
	on = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	return on;
}

static fs_err
import_text(fs_store *store, const fs_format *format, const char *text)
{
	FILE *fp = fmemopen((void *)text, strlen(text), "r");
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_import_stats stats;
	fs_err err;

	assert_non_null(fp);
	err = fs_import_stream(store, format, fp, "in.csv", (long)strlen(text),
			       NULL, &problems, &stats);
	fclose(fp);
	fs_problems_release(&problems);
	return err;
}

/* A participant import runs without SQLite's foreign key checks (it finds
 * every parent itself); they are on again after it, whether it succeeded
 * or failed, and an import inside a transaction leaves them on. */
static void
test_import_restores_foreign_keys(void **state)
{
	struct fixture *f = *state;
	fs_store *store = NULL;
	static const char missions[] =
		"code,title,country,city,timezone,start,days\n"
		"ph-2027,Manila,PH,Manila,Asia/Manila,2027-07-14,4\n";
	static const char good[] =
		"ref,given_name,family_name,category,mission\n"
		"P1,Ana,Cruz,1,ph-2027\n";
	static const char bad[] =
		"ref,given_name,family_name,category,mission\n"
		"P2,Ben,Cruz,1,ph-2027\n"
		"P3,Cy,Cruz,1,xx-2027\n";

	assert_int_equal(fs_store_open(&store, f->db, FS_STORE_CREATE), FS_OK);
	assert_int_equal(foreign_keys(store), 1);
	assert_int_equal(import_text(store, &fs_missions_format, missions),
			 FS_OK);
	assert_int_equal(foreign_keys(store), 1);
	assert_int_equal(import_text(store, &fs_participants_format, good),
			 FS_OK);
	assert_int_equal(foreign_keys(store), 1);
	assert_int_equal(import_text(store, &fs_participants_format, bad),
			 FS_EINPUT);
	assert_int_equal(foreign_keys(store), 1);
	assert_int_equal(fs_store_begin(store), FS_OK);
	assert_int_equal(import_text(store, &fs_participants_format, good),
			 FS_OK);
	assert_int_equal(foreign_keys(store), 1);
	assert_int_equal(fs_store_commit(store), FS_OK);
	/* and they act: removing the mission takes its registration */
	assert_int_equal(fs_mission_remove(store, "ph-2027"), FS_OK);
	fs_store_close(store);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM registration"), 0);
	assert_int_equal(sql_int(f->db, "SELECT count(*) FROM participant"), 1);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_create_new),
		T(test_missing_without_create),
		T(test_directory_refused),
		T(test_other_sqlite_database),
		T(test_not_a_database),
		T(test_newer_version_refused),
		T(test_open_twice),
		T(test_empty_database_migrated),
		T(test_queries_prepare),
		T(test_commit_keeps),
		T(test_rollback_discards),
		T(test_nested_commit),
		T(test_nested_rollback_fails_outer_commit),
		T(test_nested_rollback_three_deep),
		T(test_close_in_transaction),
		T(test_import_restores_foreign_keys),
		cmocka_unit_test(test_default_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
