/*
 * fuzz_import.c - libFuzzer target for one CSV import format, end to end,
 * into a real SQLite database.  Built once per format (FS_FUZZ_FORMAT is
 * fs_missions_format, fs_participants_format, fs_agenda_format or
 * fs_attendance_format): fuzz_import_missions, ..._participants, ...
 *
 * At start-up the demo missions, their agendas and participants are loaded
 * into a database in a temporary directory, which is kept as a template.
 * Each input is imported into a fresh copy of it (read from memory, or
 * from a regular file when its size is odd: then the import's reader
 * thread runs), and must keep
 * the import's promises (README, "CSV files"):
 *
 *   - all or nothing: an import that fails changes no row of any table
 *     (a hash of every table's content is compared), and says why;
 *   - no other failure than rejected input (FS_EINPUT): a database error
 *     on input we accepted is a bug;
 *   - export then import is a no-op: after an import that succeeds, the
 *     format's export imported again adds and changes nothing.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fieldschool/attendance.h"
#include "fieldschool/demo.h"
#include "fieldschool/record.h"
#include "store.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char work_db[4096];
static char *template_bytes;
static size_t template_size;
static uint64_t template_hash;

static void _Noreturn
die(const char *what)
{
	fprintf(stderr, "fuzz_import: %s: %s\n", what, fs_errdetail());
	abort();
}

static uint64_t
fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211u;
	return h;
}

/* A hash of every row of every table, in a stable order. */
static uint64_t
content_hash(fs_store *store)
{
	sqlite3_stmt *tables = NULL;
	uint64_t h = 14695981039346656037u;

	if (sqlite3_prepare_v2(store->db,
			       "SELECT name FROM sqlite_schema WHERE type = "
			       "'table' ORDER BY name", -1, &tables, NULL))
		die("list tables");
	while (sqlite3_step(tables) == SQLITE_ROW) {
		const char *table = (const char *)sqlite3_column_text(tables, 0);
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\" ORDER BY "
					    "rowid", table);
		sqlite3_stmt *rows = NULL;
		/* WITHOUT ROWID tables: in their key's order */
		if (sqlite3_prepare_v2(store->db, sql, -1, &rows, NULL)) {
			sqlite3_free(sql);
			sql = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
			if (sqlite3_prepare_v2(store->db, sql, -1, &rows, NULL))
				die("read a table");
		}
		h = fnv(h, table, strlen(table) + 1);
		while (sqlite3_step(rows) == SQLITE_ROW)
			for (int c = 0; c < sqlite3_column_count(rows); c++) {
				const void *v = sqlite3_column_blob(rows, c);
				int n = sqlite3_column_bytes(rows, c);
				int type = sqlite3_column_type(rows, c);
				h = fnv(h, &type, sizeof(type));
				h = fnv(h, v, (size_t)n);
			}
		sqlite3_finalize(rows);
		sqlite3_free(sql);
	}
	sqlite3_finalize(tables);
	return h;
}

static void
remove_companions(const char *path)
{
	char side[4200];
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

static char *
read_whole(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	char *bytes = NULL;
	long n;
	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) <= 0 ||
	    fseek(fp, 0, SEEK_SET) || !(bytes = malloc((size_t)n)) ||
	    fread(bytes, 1, (size_t)n, fp) != (size_t)n)
		die(path);
	fclose(fp);
	*size = (size_t)n;
	return bytes;
}

static char work_dir[4096];

static void
clean_up(void)
{
	unlink(work_db);
	remove_companions(work_db);
	rmdir(work_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	/* in memory when the machine has /dev/shm: the database's fsyncs
	 * would otherwise set the pace */
	const char *tmp = access("/dev/shm", W_OK) == 0 ? "/dev/shm"
						       : getenv("TMPDIR");
	char *dir = work_dir, template_db[4200];
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_store *store = NULL;

	(void)argc;
	(void)argv;
	snprintf(work_dir, sizeof(work_dir), "%s/fuzz-import.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		die("mkdtemp");
	atexit(clean_up);
	snprintf(template_db, sizeof(template_db), "%s/template.db", dir);
	snprintf(work_db, sizeof(work_db), "%s/work.db", dir);
	if (fs_store_open(&store, template_db, FS_STORE_CREATE) ||
	    fs_demo_load(store, &problems))
		die("the demo database");
	fs_store_close(store);
	template_bytes = read_whole(template_db, &template_size);
	unlink(template_db);
	remove_companions(template_db);
	return 0;
}

/* A fresh copy of the template at work_db, opened. */
static fs_store *
fresh_store(void)
{
	fs_store *store = NULL;
	int fd;

	remove_companions(work_db);
	fd = open(work_db, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || write(fd, template_bytes, template_size) !=
			      (ssize_t)template_size || close(fd))
		die("copy the template");
	if (fs_store_open(&store, work_db, 0))
		die("open the copy");
	if (!template_hash)
		template_hash = content_hash(store);
	return store;
}

/* The import reads rows ahead on a second thread (import_rows.c) only
 * from a regular file, never from memory or a pipe: both ways are fuzzed,
 * the file for inputs of odd size (the CSV's bytes untouched, so an input
 * replays the way it failed).  The file is one memfd for the process,
 * rewritten for each input. */
static FILE *
open_text(const char *text, size_t size, bool as_file)
{
	static int memfd = -1;

	if (!as_file)
		return fmemopen((void *)text, size, "r");
	if (memfd < 0 && (memfd = memfd_create("fuzz.csv", MFD_CLOEXEC)) < 0)
		die("memfd_create");
	if (ftruncate(memfd, 0) || (size && pwrite(memfd, text, size, 0) !=
						    (ssize_t)size) ||
	    lseek(memfd, 0, SEEK_SET))
		die("writing the memfd");
	int fd = dup(memfd); /* fclose() closes it; memfd stays */
	FILE *fp = fd >= 0 ? fdopen(fd, "r") : NULL;
	if (!fp && fd >= 0)
		close(fd);
	return fp;
}

static fs_err
import_text(fs_store *store, const char *text, size_t size,
	    fs_problems *problems, fs_import_stats *stats)
{
	FILE *fp = open_text(text, size, size & 1);
	fs_err err;
	if (!fp)
		abort();
	err = fs_import_stream(store, &FS_FUZZ_FORMAT, fp, "fuzz.csv",
			       (long)size, NULL, problems, stats);
	fclose(fp);
	return err;
}

/* Export then import: nothing added, nothing changed. */
static void
check_round_trip(fs_store *store)
{
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_import_stats stats;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);

	if (!out || fs_export(store, &FS_FUZZ_FORMAT, NULL, out))
		die("export");
	fclose(out);
	fs_err err = import_text(store, text, len, &problems, &stats);
	if (err || stats.added || stats.changed) {
		fprintf(stderr, "fuzz_import: export then import: %s, %ld "
			"added, %ld changed\n", err ? fs_errdetail() : "ok",
			stats.added, stats.changed);
		for (size_t i = 0; i < problems.n; i++)
			fprintf(stderr, "  line %ld: %s: %s\n",
				problems.items[i].line,
				problems.items[i].column
					? problems.items[i].column : "-",
				problems.items[i].reason);
		fprintf(stderr, "the export:\n%s\n", text);
		abort();
	}
	fs_problems_release(&problems);
	free(text);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_import_stats stats;
	fs_store *store;
	fs_err err;

	if (size > 64 * 1024)
		return -1; /* not worth a database round trip */
	store = fresh_store();
	err = import_text(store, (const char *)data, size, &problems, &stats);
	if (err == FS_OK) {
		if (problems.n)
			die("problems, yet the import succeeded");
		check_round_trip(store);
	} else if (err == FS_EINPUT) {
		if (!*fs_errdetail())
			die("rejected without a reason");
		if (content_hash(store) != template_hash)
			die("a rejected import changed the database");
	} else {
		die("an import failed other than for its input");
	}
	fs_problems_release(&problems);
	fs_store_close(store);
	return 0;
}
