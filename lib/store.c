/*
 * store.c - the SQLite handle, migrations and transactions.
 *
 * Migrations are the files of lib/sql/, compiled in by cmake/embed.cmake.
 * Each is applied in its own transaction, which also sets the new
 * user_version, so a killed migration leaves the previous version intact.
 * The version is read inside a write transaction: two commands opening a new
 * database at once cannot both apply the same migration.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "embedded.h"
#include "store.h"
#include "zone.h"
#include "value.h"

#define BUSY_TIMEOUT_MS 60000
/* SQLite's page cache (negative: in KiB), and the small one of a run that
 * streams a whole file or mission (store_import_start, store_memory_small):
 * an import touches the pages at the end of each table and index, and
 * seldom one twice once it is full; a roster or a sheet of badges reads
 * each page about once.  Memory then does not grow with the rows. */
#define CACHE_SIZE "-32768"
#define SMALL_CACHE_SIZE "-2048"

int
fs_store_schema_version(void)
{
	int n = 0;
	while (fs_migrations[n].name)
		n++;
	return n;
}

const char *
fs_store_default_path(void)
{
	const char *env = getenv("FIELDSCHOOL_DB");
	return env && *env ? env : "fieldschool.db";
}

fs_err
store_fail(fs_store *store, const char *what)
{
	int code = sqlite3_errcode(store->db);
	/* SQLite ends a transaction by itself on some errors (a full disk,
	 * an INSERT OR ROLLBACK refused): ours, still open for its callers,
	 * is marked failed, so that its commit refuses rather than meet none
	 * (and nothing after is taken for part of it). */
	if (store->depth > 0 && sqlite3_get_autocommit(store->db))
		store->failed = true;
	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return fs_fail(FS_EBUSY,
			       "%s: the database is locked by another command "
			       "(waited %d s)", what, BUSY_TIMEOUT_MS / 1000);
	/* SQLite says "disk I/O error" when a write of its log or of the
	 * file meets a full disk; the errno behind it tells. */
	if (code == SQLITE_FULL ||
	    (code == SQLITE_IOERR && sqlite3_system_errno(store->db) == ENOSPC))
		return fs_fail(FS_EIO, "%s: the disk is full (%s): nothing was "
			       "changed; free some space and try again", what,
			       store->path ? store->path : "database");
	if (store->readonly &&
	    (code == SQLITE_READONLY || code == SQLITE_CANTOPEN))
		return fs_fail(FS_EIO, "%s: %s is read-only for this user (the "
			       "file or its directory is not writable): "
			       "commands that only read work, this one "
			       "writes", what, store->path);
	if (code == SQLITE_IOERR || code == SQLITE_CANTOPEN ||
	    code == SQLITE_READONLY)
		return fs_fail(FS_EIO, "%s: %s", what, sqlite3_errmsg(store->db));
	return fs_fail(FS_EDB, "%s: %s", what, sqlite3_errmsg(store->db));
}

static fs_err
exec(fs_store *store, const char *sql, const char *what)
{
	if (sqlite3_exec(store->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return store_fail(store, what);
	return FS_OK;
}

void
store_memory_small(fs_store *store, bool small)
{
	if (!sqlite3_get_autocommit(store->db))
		return;
	sqlite3_exec(store->db, small ? "PRAGMA cache_size=" SMALL_CACHE_SIZE
					"; PRAGMA temp_store=FILE"
				      : "PRAGMA cache_size=" CACHE_SIZE "; "
					"PRAGMA temp_store=MEMORY",
		     NULL, NULL, NULL);
}

/* Like exec, for the set-up statements that SQLite does not retry itself
 * (journal_mode when another process creates the same file). */
static fs_err
exec_patiently(fs_store *store, const char *sql, const char *what)
{
	for (int waited = 0;; waited += 10) {
		int rc = sqlite3_exec(store->db, sql, NULL, NULL, NULL);
		if (rc == SQLITE_OK)
			return FS_OK;
		if ((rc != SQLITE_BUSY && rc != SQLITE_LOCKED) ||
		    waited >= BUSY_TIMEOUT_MS)
			return store_fail(store, what);
		sqlite3_sleep(10);
	}
}

fs_err
store_stmt(fs_store *store, enum query q, sqlite3_stmt **out)
{
	sqlite3_stmt *stmt = store->stmts[q];

	if (!stmt) {
		if (sqlite3_prepare_v3(store->db, fs_queries[q], -1,
				       SQLITE_PREPARE_PERSISTENT, &stmt,
				       NULL) != SQLITE_OK)
			return store_fail(store, "preparing a query");
		store->stmts[q] = stmt;
	} else {
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
	}
	*out = stmt;
	return FS_OK;
}

fs_err
store_done(fs_store *store, sqlite3_stmt *stmt, const char *what)
{
	int rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(store, what);
	return FS_OK;
}

int
store_bind_text(sqlite3_stmt *stmt, int i, const char *text)
{
	if (!text)
		return sqlite3_bind_null(stmt, i);
	/* Not copied: every statement is run before the text it is given
	 * goes away, and store_stmt() clears the bindings before reuse. */
	return sqlite3_bind_text(stmt, i, text, -1, SQLITE_STATIC);
}

const char *
store_text(sqlite3_stmt *stmt, int col)
{
	const unsigned char *text = sqlite3_column_text(stmt, col);
	return text ? (const char *)text : "";
}

void
store_now(char buf[21])
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t now = epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10)
				     : time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(buf, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

fs_err
store_random(void *buf, size_t n)
{
	unsigned char *p = buf;

	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return fs_fail(FS_EIO, "getrandom: %s", strerror(errno));
		}
		p += got;
		n -= (size_t)got;
	}
	return FS_OK;
}

void
store_forget(fs_store *store)
{
	store->cache.has_mission = false;
	store->cache.n_categories = 0;
	if (store->cache.emails) {
		strmap_release(store->cache.emails);
		free(store->cache.emails);
		store->cache.emails = NULL;
	}
	zone_free(store->cache.zone);
	store->cache.zone = NULL;
}

fs_err
store_zone(fs_store *store, const char *name, const struct zone **out)
{
	struct store_cache *c = &store->cache;
	if (!c->zone || strcmp(c->zone_name, name)) {
		zone_free(c->zone);
		c->zone = NULL;
		fs_err err = zone_load(&c->zone, name);
		if (err)
			return err;
		snprintf(c->zone_name, sizeof(c->zone_name), "%s", name);
	}
	*out = c->zone;
	return FS_OK;
}

fs_err
store_import_start(fs_store *store, bool checks_parents)
{
	fs_err err;

	/* Changing temp_store drops the temporary tables, and SQLite refuses
	 * it inside a transaction: only an import on its own is made lean. */
	if (store->depth == 0 && !store->is_lean) {
		if ((err = exec(store, "PRAGMA temp_store=FILE; "
				"PRAGMA cache_size=" SMALL_CACHE_SIZE,
				"making the caches small")))
			return err;
		store->is_lean = true;
	}
	/* SQLite's own check of each reference looks up the parent row that
	 * put() has just looked up (a tenth of a participant import): off
	 * when put() checks them all.  Like temp_store, the pragma does
	 * nothing inside a transaction. */
	if (checks_parents && store->depth == 0 && !store->is_unchecked) {
		if ((err = exec(store, "PRAGMA foreign_keys=OFF",
				"turning foreign keys off")))
			goto fail;
		store->is_unchecked = true;
	}
	free(store->import_refs);
	store->import_refs = NULL;
	store->has_no_refs = false;
	free(store->import_people);
	store->import_people = NULL;
	memset(&store->import_notes, 0, sizeof(store->import_notes));
	store->in_import = true;
	return FS_OK;
fail:
	store_import_end(store);
	return err;
}

void
store_import_end(fs_store *store)
{
	free(store->import_refs);
	store->import_refs = NULL;
	free(store->import_people);
	store->import_people = NULL;
	store->in_import = false;
	if (store->is_unchecked && store->depth == 0) {
		sqlite3_exec(store->db, "PRAGMA foreign_keys=ON", NULL, NULL,
			     NULL);
		store->is_unchecked = false;
	}
	if (store->is_lean && store->depth == 0) {
		sqlite3_exec(store->db, "PRAGMA temp_store=MEMORY; "
			     "PRAGMA cache_size=" CACHE_SIZE, NULL, NULL, NULL);
		store->is_lean = false;
	}
}

fs_err
fs_store_begin(fs_store *store)
{
	if (store->depth++ > 0)
		return FS_OK;
	store->failed = false;
	store_forget(store);
	/* IMMEDIATE takes the write lock now, so a second writer waits here
	 * (busy timeout) rather than failing half-way through its work. */
	fs_err err = exec(store, "BEGIN IMMEDIATE", "starting a transaction");
	if (err)
		store->depth = 0;
	return err;
}

fs_err
fs_store_commit(fs_store *store)
{
	if (store->depth == 0)
		return FS_OK;
	if (--store->depth > 0)
		return FS_OK;
	if (store->failed) {
		exec(store, "ROLLBACK", "rolling back");
		return fs_fail(FS_EDB, "the transaction was rolled back");
	}
	fs_err err = exec(store, "COMMIT", "committing");
	if (err) {
		sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
		return err;
	}
	return FS_OK;
}

void
fs_store_rollback(fs_store *store)
{
	if (store->depth == 0)
		return;
	store_forget(store);
	if (--store->depth > 0) {
		store->failed = true;
		return;
	}
	sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
}

static fs_err
read_version(fs_store *store, int *out)
{
	sqlite3_stmt *stmt = NULL;
	int rc;

	if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &stmt,
			       NULL) != SQLITE_OK)
		return store_fail(store, "reading the schema version");
	rc = sqlite3_step(stmt);
	*out = rc == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : 0;
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW)
		return store_fail(store, "reading the schema version");
	return FS_OK;
}

static fs_err
check_application(fs_store *store, const char *path)
{
	/* A database with tables but no user_version is somebody else's. */
	sqlite3_stmt *stmt = NULL;
	int version = 0, tables = 0;
	fs_err err;

	if ((err = read_version(store, &version))) {
		if (sqlite3_errcode(store->db) == SQLITE_NOTADB)
			return fs_fail(FS_EINPUT, "%s: not a fieldschool "
					      "database (not SQLite)", path);
		return err;
	}
	if (version > 0)
		return FS_OK;
	if (sqlite3_prepare_v2(store->db,
			       "SELECT count(*) FROM sqlite_schema", -1, &stmt,
			       NULL) != SQLITE_OK)
		return fs_fail(FS_EINPUT, "%s: not a fieldschool database (%s)",
			       path, sqlite3_errmsg(store->db));
	if (sqlite3_step(stmt) == SQLITE_ROW)
		tables = sqlite3_column_int(stmt, 0);
	sqlite3_finalize(stmt);
	/* another fieldschool may have just created it */
	if (tables > 0 && (err = read_version(store, &version)))
		return err;
	if (tables > 0 && version == 0)
		return fs_fail(FS_EINPUT, "%s: not a fieldschool database",
			       path);
	return FS_OK;
}

static fs_err
migrate(fs_store *store, const char *path)
{
	int latest = fs_store_schema_version();
	fs_err err;
	int version;

	for (;;) {
		if ((err = read_version(store, &version)))
			return err;
		if (version > latest)
			return fs_fail(FS_EINPUT,
				       "%s: schema version %d is newer than "
				       "this fieldschool knows (%d): upgrade "
				       "fieldschool", path, version, latest);
		if (version == latest)
			return FS_OK;
		if (store->readonly)
			return fs_fail(FS_EIO, "%s: schema version %d needs "
				       "migrating to %d, but the file is "
				       "read-only for this user: run "
				       "'fieldschool init' as its owner", path,
				       version, latest);
		if ((err = fs_store_begin(store)))
			return err;
		/* Read again under the write lock: another process may have
		 * migrated while we waited for it. */
		if ((err = read_version(store, &version)))
			goto fail;
		if (version == 0 && (err = check_application(store, path)))
			goto fail;
		if (version < latest) {
			const struct fs_embedded *m = &fs_migrations[version];
			char pragma[40];

			if ((err = exec(store, m->bytes, m->name)))
				goto fail;
			snprintf(pragma, sizeof(pragma), "PRAGMA user_version=%d",
				 version + 1);
			if ((err = exec(store, pragma, m->name)))
				goto fail;
			if (version == 0 && (err = data_seed(store)))
				goto fail;
		}
		if ((err = fs_store_commit(store)))
			return err;
	}
fail:
	fs_store_rollback(store);
	return err;
}

/* fs_fold(name): the accent- and case-folded sort key of a name (value.c),
 * for lists sorted the way people look names up: rosters, sign-in sheets. */
static void
sql_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	char small[256], *buf = small;
	size_t n;

	(void)argc;
	if (!text) {
		sqlite3_result_null(ctx);
		return;
	}
	n = fold_key(text, small, sizeof(small));
	if (n >= sizeof(small)) {
		if (!(buf = sqlite3_malloc64(n + 1))) {
			sqlite3_result_error_nomem(ctx);
			return;
		}
		fold_key(text, buf, n + 1);
	}
	sqlite3_result_text(ctx, buf, (int)n, SQLITE_TRANSIENT);
	if (buf != small)
		sqlite3_free(buf);
}

void
store_register_functions(sqlite3 *db)
{
	sqlite3_create_function_v2(db, "fs_fold", 1,
				   SQLITE_UTF8 | SQLITE_DETERMINISTIC |
					   SQLITE_INNOCUOUS,
				   NULL, sql_fold, NULL, NULL, NULL);
}

/* Can this user write the database?  SQLite also writes its log and
 * shared-memory index (PATH-wal, PATH-shm) beside the file, so the
 * directory counts too, unless both exist and are writable. */
static bool
is_writable(const char *path)
{
	char *dir, *slash, side[4096];
	bool ok;

	if (access(path, W_OK) != 0)
		return false;
	if (!(dir = strdup(path)))
		return true;
	slash = strrchr(dir, '/');
	if (!slash)
		ok = access(".", W_OK) == 0;
	else if (slash == dir)
		ok = access("/", W_OK) == 0;
	else
		ok = (*slash = '\0', access(dir, W_OK) == 0);
	free(dir);
	if (ok)
		return true;
	snprintf(side, sizeof(side), "%s-wal", path);
	ok = access(side, W_OK) == 0;
	snprintf(side, sizeof(side), "%s-shm", path);
	return ok && access(side, W_OK) == 0;
}

/* A file: URI for path (RFC 3986 escapes) with the query q. */
static char *
file_uri(const char *path, const char *q)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path);
	char *uri = malloc(n * 3 + strlen(q) + 16), *o = uri;

	if (!uri)
		return NULL;
	o += sprintf(o, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p)) {
			*o++ = (char)*p;
		} else {
			*o++ = '%';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
	}
	sprintf(o, "?%s", q);
	return uri;
}

/* Is the write-ahead log beside path absent or empty (every change is in
 * the file itself)? */
static bool
log_is_empty(const char *path)
{
	char wal[4096];
	struct stat st;

	snprintf(wal, sizeof(wal), "%s-wal", path);
	return stat(wal, &st) != 0 || st.st_size == 0;
}

/*
 * Opens a database this user may read but not write: "mode=ro", which
 * needs the log's index (PATH-shm) to exist or be creatable; else, when
 * the log holds nothing, "immutable=1", which reads the file alone.
 */
static fs_err
open_readonly(fs_store *store, const char *path)
{
	int mode = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
	const char *tries[] = { "mode=ro", "immutable=1" };

	if (access(path, R_OK) != 0)
		return fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	for (int i = 0; i < 2; i++) {
		char *uri;
		int version;

		if (i == 1 && !log_is_empty(path))
			break;
		if (!(uri = file_uri(path, tries[i])))
			return fs_fail(FS_ENOMEM, "out of memory");
		sqlite3_close(store->db);
		store->db = NULL;
		int rc = sqlite3_open_v2(uri, &store->db, mode, NULL);
		free(uri);
		if (rc == SQLITE_OK && read_version(store, &version) == FS_OK)
			return FS_OK;
		if (rc == SQLITE_OK &&
		    sqlite3_errcode(store->db) == SQLITE_NOTADB)
			return FS_OK; /* check_application says so */
	}
	if (log_is_empty(path))
		return fs_fail(FS_EIO, "%s: read-only for this user and cannot "
			       "be read: %s", path,
			       store->db ? sqlite3_errmsg(store->db)
					 : "cannot open");
	return fs_fail(FS_EIO, "%s: read-only for this user, and its "
		       "write-ahead log (%s-wal) holds changes that only a "
		       "user who can write the directory can read: run any "
		       "command as the owner first", path, path);
}

fs_err
fs_store_open(fs_store **out, const char *path, unsigned flags)
{
	fs_store *store = NULL;
	struct stat st;
	fs_err err;
	int mode = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	*out = NULL;
	if (stat(path, &st) != 0) {
		if (errno != ENOENT)
			return fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		if (!(flags & FS_STORE_CREATE))
			return fs_fail(FS_EIO,
				       "no database at '%s' (run 'fieldschool "
				       "init' first, or give --db)", path);
		mode |= SQLITE_OPEN_CREATE;
		/* names, phones, needs and feed tokens: for its owner only
		 * (SQLite gives its log and index the file's mode) */
		int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
					    O_CLOEXEC,
			      0600);
		if (fd >= 0)
			close(fd);
		else if (errno != EEXIST)
			return fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
	} else if (S_ISDIR(st.st_mode)) {
		return fs_fail(FS_EIO, "%s: is a directory", path);
	}
	/* Memory statistics take a global mutex on every allocation. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	if (!(store = calloc(1, sizeof(*store))))
		return fs_fail(FS_ENOMEM, "out of memory");
	if (!(store->path = strdup(path))) {
		free(store);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	store->readonly = !(mode & SQLITE_OPEN_CREATE) && !is_writable(path);
	if (store->readonly) {
		if ((err = open_readonly(store, path)))
			goto fail;
	} else if (sqlite3_open_v2(path, &store->db, mode, NULL) != SQLITE_OK) {
		err = fs_fail(FS_EIO, "%s: %s", path,
			      store->db ? sqlite3_errmsg(store->db)
					: "cannot open");
		goto fail;
	}
	sqlite3_extended_result_codes(store->db, 0);
	store_register_functions(store->db);
	sqlite3_busy_timeout(store->db, BUSY_TIMEOUT_MS);
	if ((err = check_application(store, path)))
		goto fail;
	if ((!store->readonly &&
	     (err = exec_patiently(store, "PRAGMA journal_mode=WAL", path))) ||
	    (err = exec(store, "PRAGMA foreign_keys=ON", path)) ||
	    (err = exec(store, "PRAGMA synchronous=NORMAL", path)) ||
	    (err = exec(store, "PRAGMA cache_size=" CACHE_SIZE, path)) ||
	    (err = exec(store, "PRAGMA temp_store=MEMORY", path)))
		goto fail;
	if ((err = migrate(store, path)))
		goto fail;
	*out = store;
	return FS_OK;
fail:
	fs_store_close(store);
	return err;
}

void
fs_store_close(fs_store *store)
{
	if (!store)
		return;
	store_forget(store);
	free(store->import_refs);
	free(store->import_people);
	for (int i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(store->stmts[i]);
	sqlite3_close(store->db);
	free(store->path);
	free(store);
}
