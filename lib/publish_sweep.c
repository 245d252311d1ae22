/*
 * publish_sweep.c - what a publish says DIR holds: the manifest, the
 * landing page (index.html), and the files of missions that are gone.
 *
 * The manifest and the landing page list what is in DIR, not what the
 * database remembers: DIR may have been emptied by hand, and several
 * databases (country teams sharing one web directory) may publish into it.
 * So each mission in DIR is one of:
 *
 *   - published by this run: its files are those the run wrote or found
 *     current (feed_file), already checked one by one: listed as they are;
 *   - this database's, not in this run: each file feed_file remembers is
 *     looked for (one fstatat; none when the mission's directory is gone),
 *     listed when there, forgotten otherwise;
 *   - removed from this database (feed_file, or the manifest's owner line,
 *     says it published the mission, which it no longer knows): its files
 *     are removed, once the manifest no longer lists them, and forgotten;
 *   - another database's (the manifest's owner line names another
 *     database): its paths in the old manifest are kept if there, with its
 *     owner line, which also says what the landing page shows of it;
 *   - listed by a manifest older than owner lines and unknown to this
 *     database: its paths are kept if there, and it is not on the landing
 *     page until its database publishes again.
 *
 * The old manifest is the one place that says who published what; the
 * database names itself with a random id (migration 010).  Publishes into
 * one DIR take turns (publish.c locks it), so the manifest read here is the
 * last one written.
 */
#include <dirent.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fieldschool/manifest.h"
#include "outdir.h"
#include "page.h"
#include "publish.h"
#include "store.h"
#include "strmap.h"

enum kind {
	K_PENDING,  /* not decided yet */
	K_RUN,      /* published by this run */
	K_OURS,     /* this database's, not in this run */
	K_REMOVED,  /* this database's, no longer known to it */
	K_KEEP,     /* another database's, or unknown: kept if there */
};

struct dir_mission {
	char code[65];
	enum kind kind;
	bool owner_self;     /* the old manifest says this database */
	char *owner_line;    /* another database's line, as found */
	char *title, *city, *start;
	int days;
	bool has_meta;       /* title..days known: it can be on index.html */
	bool in_files;       /* feed_file has rows of it */
	bool forget_all;     /* forget every row of it (its files are gone,
				or another database's) */
	int dir_fd, p_fd;    /* CODE/ and CODE/p/ while looked at; -1 */
	bool has_page;       /* CODE/index.html is listed */
	long listed;
	char **paths;        /* the old manifest's paths of it */
	size_t n_paths, cap_paths;
};

struct dir_state {
	struct publisher *pub;
	char self[65];
	struct dir_mission *missions;
	size_t n, cap;
	struct strmap by_code; /* code -> index in missions */
	char *old_text;        /* the manifest found, lines cut */
	FILE *paths;           /* the paths listed, in order */
	char *paths_text;
	size_t paths_len;
	char **drop;           /* feed_file rows of files not there */
	size_t n_drop, cap_drop;
};

/* --- the missions of DIR ------------------------------------------------ */

static struct dir_mission *
mission_get(struct dir_state *st, const char *code, size_t len, fs_err *err)
{
	char key[65];
	struct strmap_entry *e;

	if (len == 0 || len >= sizeof(key)) {
		*err = FS_OK; /* no mission has such a code */
		return NULL;
	}
	memcpy(key, code, len);
	key[len] = '\0';
	if ((e = strmap_get(&st->by_code, key)))
		return &st->missions[e->line];
	if (st->n == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 16;
		struct dir_mission *grown =
			realloc(st->missions, cap * sizeof(*grown));
		if (!grown) {
			*err = fs_fail(FS_ENOMEM, "out of memory");
			return NULL;
		}
		st->missions = grown;
		st->cap = cap;
	}
	if ((*err = strmap_put(&st->by_code, key, (long)st->n, 0)))
		return NULL;
	struct dir_mission *m = &st->missions[st->n++];
	*m = (struct dir_mission){ .kind = K_PENDING, .dir_fd = -1,
				   .p_fd = -1 };
	memcpy(m->code, key, len + 1);
	return m;
}

/* What the landing page shows of m, from the database; false when the
 * database has no such mission. */
static fs_err
meta_from_db(struct dir_state *st, struct dir_mission *m, bool *found)
{
	sqlite3_stmt *stmt;
	fs_err err = store_stmt(st->pub->store, Q_SWEEP_MISSION, &stmt);
	if (err)
		return err;
	sqlite3_bind_text(stmt, 1, m->code, -1, SQLITE_STATIC);
	*found = sqlite3_step(stmt) == SQLITE_ROW;
	if (*found) {
		m->title = strdup(store_text(stmt, 0));
		m->city = strdup(store_text(stmt, 1));
		m->start = strdup(store_text(stmt, 2));
		m->days = sqlite3_column_int(stmt, 3);
		m->has_meta = true;
		if (!m->title || !m->city || !m->start)
			err = fs_fail(FS_ENOMEM, "out of memory");
	}
	sqlite3_reset(stmt);
	return err;
}

/* Decides what m is, once the old manifest is read (and, for a mission of
 * feed_file, at its first row). */
static fs_err
resolve(struct dir_state *st, struct dir_mission *m)
{
	bool found = false;
	fs_err err;

	if (m->kind != K_PENDING)
		return FS_OK;
	if (!m->in_files && !m->owner_self) {
		/* an older manifest's, unknown here: whoever published it */
		m->kind = K_KEEP;
		return FS_OK;
	}
	if ((err = meta_from_db(st, m, &found)))
		return err;
	if (!found)
		m->kind = K_REMOVED;
	else
		m->kind = m->in_files ? K_OURS : K_KEEP;
	return FS_OK;
}

/* --- the old manifest ----------------------------------------------------- */

/* Decodes a field of an owner line ("=" then percent-encoded) in place. */
static char *
field_decode(char *s)
{
	char *in, *out;

	if (!s || *s != '=')
		return NULL;
	for (in = out = ++s; *in; in++) {
		unsigned hex;
		if (*in == '%' && sscanf(in + 1, "%2x", &hex) == 1 &&
		    in[1] && in[2]) {
			*out++ = (char)hex;
			in += 2;
		} else {
			*out++ = *in;
		}
	}
	*out = '\0';
	return s;
}

static const char *
or(const char *s, const char *otherwise)
{
	return s ? s : otherwise;
}

/* "#mission CODE OWNER =START DAYS =TITLE =CITY": another database's
 * mission keeps its line; this database's is written anew. */
static fs_err
read_owner(struct dir_state *st, const char *line)
{
	char *copy = strdup(line), *fields[6], *save = NULL;
	struct dir_mission *m;
	int n = 0;
	fs_err err = FS_OK;

	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (char *f = strtok_r(copy + strlen(FS_MANIFEST_OWNER), " ", &save);
	     f && n < 6; f = strtok_r(NULL, " ", &save))
		fields[n++] = f;
	if (n < 6 || !(m = mission_get(st, fields[0], strlen(fields[0]),
				       &err)) || m->kind == K_RUN) {
		free(copy);
		return err;
	}
	if (!strcmp(fields[1], st->self)) {
		m->owner_self = true;
	} else if (!m->owner_line) {
		m->kind = K_KEEP;
		m->owner_line = strdup(line);
		m->start = strdup(or(field_decode(fields[2]), ""));
		m->days = atoi(fields[3]);
		m->title = strdup(or(field_decode(fields[4]), m->code));
		m->city = strdup(or(field_decode(fields[5]), ""));
		m->has_meta = true;
		if (!m->owner_line || !m->start || !m->title || !m->city)
			err = fs_fail(FS_ENOMEM, "out of memory");
	}
	free(copy);
	return err;
}

/* Appends s (owned from then on) to the growing array *items of *n. */
static fs_err
push_string(char ***items, size_t *n, size_t *cap, char *s)
{
	if (*n == *cap) {
		size_t grown_cap = *cap ? 2 * *cap : 16;
		char **grown = realloc(*items, grown_cap * sizeof(*grown));
		if (!grown)
			return fs_fail(FS_ENOMEM, "out of memory");
		*items = grown;
		*cap = grown_cap;
	}
	(*items)[(*n)++] = s;
	return FS_OK;
}

static fs_err
add_path(struct dir_mission *m, char *path)
{
	return push_string(&m->paths, &m->n_paths, &m->cap_paths, path);
}

/* Reads DIR's manifest, if any: owners, and the paths of each mission. */
static fs_err
read_old_manifest(struct dir_state *st)
{
	int fd = openat(st->pub->root.fd, FS_MANIFEST_NAME,
			O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	size_t cap = 0, len = 0;
	ptrdiff_t last = -1;
	struct stat sb;
	fs_err err = FS_OK;

	if (fd < 0)
		return FS_OK; /* none, or not ours to read: nothing kept */
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return FS_OK;
	}
	cap = (size_t)sb.st_size + 1;
	if (!(st->old_text = malloc(cap + 1))) {
		close(fd);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	for (ssize_t got; len < cap; len += (size_t)got)
		if ((got = read(fd, st->old_text + len, cap - len)) <= 0) {
			if (got < 0 && errno == EINTR) {
				got = 0;
				continue;
			}
			break;
		}
	close(fd);
	st->old_text[len] = '\0';
	if (strncmp(st->old_text, FS_MANIFEST_HEADER,
		    strlen(FS_MANIFEST_HEADER)))
		return FS_OK; /* not a manifest: nothing to keep */
	for (char *line = st->old_text + strlen(FS_MANIFEST_HEADER);
	     !err && *line;) {
		char *nl = strchr(line, '\n'), *slash;
		if (!nl)
			break; /* a last line cut short */
		*nl = '\0';
		if (!strncmp(line, FS_MANIFEST_OWNER, strlen(FS_MANIFEST_OWNER))) {
			err = read_owner(st, line);
		} else if ((slash = strchr(line, '/')) &&
			   fs_manifest_path_ok(line, (size_t)(nl - line))) {
			/* a mission's paths come together: one look-up */
			size_t code = (size_t)(slash - line);
			struct dir_mission *m = last >= 0 ? &st->missions[last]
							  : NULL;
			if (!m || strncmp(m->code, line, code) || m->code[code])
				m = mission_get(st, line, code, &err);
			last = m ? m - st->missions : -1;
			if (m && m->kind != K_RUN)
				err = add_path(m, line);
		}
		line = nl + 1;
	}
	return err;
}

/* --- looking in DIR --------------------------------------------------------- */

static void
close_dirs(struct dir_mission *m)
{
	if (m->dir_fd >= 0)
		close(m->dir_fd);
	if (m->p_fd >= 0)
		close(m->p_fd);
	m->dir_fd = m->p_fd = -1;
}

/* Whether path (m's: "CODE/NAME" or "CODE/p/NAME") is a regular file in
 * DIR, reached without following a link. */
static bool
is_there(struct dir_state *st, struct dir_mission *m, const char *path)
{
	const int flags = O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
	const char *rest = path + strlen(m->code) + 1;
	struct stat sb;
	int fd;

	if (m->dir_fd == -1)
		m->dir_fd = openat(st->pub->root.fd, m->code, flags);
	if (m->dir_fd < 0) {
		m->dir_fd = -2; /* not there: nothing under it is */
		return false;
	}
	fd = m->dir_fd;
	if (!strncmp(rest, "p/", 2)) {
		if (m->p_fd == -1)
			m->p_fd = openat(m->dir_fd, "p", flags);
		if (m->p_fd < 0) {
			m->p_fd = -2;
			return false;
		}
		fd = m->p_fd;
		rest += 2;
	}
	return !strchr(rest, '/') &&
	       fstatat(fd, rest, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
	       S_ISREG(sb.st_mode);
}

static void
list_path(struct dir_state *st, struct dir_mission *m, const char *path)
{
	size_t len = strlen(path), code = strlen(m->code);

	if (!fs_manifest_path_ok(path, len))
		return;
	fprintf(st->paths, "%s\n", path);
	m->listed++;
	if (len == code + 11 && !strcmp(path + code, "/index.html"))
		m->has_page = true;
}

static fs_err
drop_row(struct dir_state *st, const char *path)
{
	char *copy = strdup(path);
	fs_err err;

	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = push_string(&st->drop, &st->n_drop, &st->cap_drop, copy)))
		free(copy);
	return err;
}

/* One row of feed_file (path, of mission m). */
static fs_err
walk_row(struct dir_state *st, struct dir_mission *m, const char *path)
{
	switch (m->kind) {
	case K_RUN:
		list_path(st, m, path);
		return FS_OK;
	case K_OURS:
		if (m->forget_all)
			return FS_OK;
		if (is_there(st, m, path)) {
			list_path(st, m, path);
			return FS_OK;
		}
		if (m->dir_fd == -2) { /* CODE/ is gone: all of it */
			m->forget_all = true;
			return FS_OK;
		}
		return drop_row(st, path);
	case K_KEEP: /* another database's now: its files are not ours */
		m->forget_all = true;
		return FS_OK;
	default: /* K_REMOVED: swept once the manifest is written */
		return FS_OK;
	}
}

/* Every file this database remembers in DIR, in path order (so each
 * mission's rows come together). */
static fs_err
walk_files(struct dir_state *st)
{
	struct dir_mission *m = NULL;
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(st->pub->store, Q_FEED_FILE_LIST, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, st->pub->dir, -1, SQLITE_STATIC);
	while (!err && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *path = store_text(stmt, 0), *slash = strchr(path, '/');
		if (!slash)
			continue; /* index.html: listed on its own */
		if (!m || strncmp(path, m->code, (size_t)(slash - path)) ||
		    m->code[slash - path]) {
			if (m)
				close_dirs(m);
			if (!(m = mission_get(st, path, (size_t)(slash - path),
					      &err)))
				continue;
			m->in_files = true;
			if ((err = resolve(st, m)))
				break;
		}
		err = walk_row(st, m, path);
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(st->pub->store, "reading the published files");
	sqlite3_reset(stmt);
	if (m)
		close_dirs(m);
	return err;
}

/* The paths of missions kept from the old manifest, when there. */
static fs_err
keep_others(struct dir_state *st)
{
	fs_err err;

	for (size_t i = 0; i < st->n; i++) {
		struct dir_mission *m = &st->missions[i];
		if ((err = resolve(st, m)))
			return err;
		if (m->kind != K_KEEP)
			continue;
		for (size_t k = 0; k < m->n_paths; k++)
			if (is_there(st, m, m->paths[k]))
				list_path(st, m, m->paths[k]);
		close_dirs(m);
	}
	return FS_OK;
}

/* Forgets the rows of files that are not there, or not ours. */
static fs_err
forget_rows(struct dir_state *st)
{
	fs_store *store = st->pub->store;
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = fs_store_begin(store)))
		return err;
	for (size_t i = 0; !err && i < st->n_drop; i++)
		if (!(err = store_stmt(store, Q_FEED_FILE_DELETE, &stmt))) {
			sqlite3_bind_text(stmt, 1, st->pub->dir, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(stmt, 2, st->drop[i], -1,
					  SQLITE_STATIC);
			err = store_done(store, stmt, "forgetting a file");
		}
	for (size_t i = 0; !err && i < st->n; i++) {
		struct dir_mission *m = &st->missions[i];
		if (!m->forget_all)
			continue;
		if (!(err = store_stmt(store, Q_FEED_FILE_FORGET_MISSION, &stmt))) {
			sqlite3_bind_text(stmt, 1, st->pub->dir, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(stmt, 2, m->code, -1, SQLITE_STATIC);
			err = store_done(store, stmt, "forgetting files");
		}
	}
	if (err) {
		fs_store_rollback(store);
		return err;
	}
	return fs_store_commit(store);
}

/* --- the landing page and the manifest ------------------------------------ */

static int
by_date(const void *a, const void *b)
{
	const struct page_listed *x = a, *y = b;
	int c = strcmp(x->start, y->start);
	return c ? c : strcmp(x->code, y->code);
}

/* index.html: every mission whose index.html is listed. */
static fs_err
landing_page(struct dir_state *st)
{
	struct page_listed *list = calloc(st->n ? st->n : 1, sizeof(*list));
	size_t n = 0;
	fs_err err;

	if (!list)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < st->n; i++) {
		const struct dir_mission *m = &st->missions[i];
		if (m->has_page && m->has_meta)
			list[n++] = (struct page_listed){ m->code, m->title,
							  m->city, m->start,
							  "", m->days };
	}
	qsort(list, n, sizeof(*list), by_date);
	err = publish_top_index(st->pub, list, n);
	free(list);
	return err;
}

static void
field_encode(FILE *out, const char *s)
{
	fputc('=', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p <= 0x20 || *p == 0x7f || *p == '%')
			fprintf(out, "%%%02X", *p);
		else
			fputc(*p, out);
}

static int
by_code(const void *a, const void *b)
{
	const struct dir_mission *const *x = a, *const *y = b;
	return strcmp((*x)->code, (*y)->code);
}

/* The owner line of each mission listed, in code order. */
static fs_err
owner_lines(struct dir_state *st, FILE *out)
{
	struct dir_mission **order = calloc(st->n ? st->n : 1, sizeof(*order));

	if (!order)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < st->n; i++)
		order[i] = &st->missions[i];
	qsort(order, st->n, sizeof(*order), by_code);
	for (size_t i = 0; i < st->n; i++) {
		const struct dir_mission *m = order[i];
		if (!m->listed || (m->kind == K_KEEP && !m->owner_line &&
				   !m->owner_self))
			continue; /* an older manifest's: owner unknown */
		if (m->owner_line) {
			fprintf(out, "%s\n", m->owner_line);
			continue;
		}
		if (!m->has_meta)
			continue;
		fprintf(out, FS_MANIFEST_OWNER "%s %s ", m->code, st->self);
		field_encode(out, m->start);
		fprintf(out, " %d ", m->days);
		field_encode(out, m->title);
		fputc(' ', out);
		field_encode(out, m->city);
		fputc('\n', out);
	}
	free(order);
	return FS_OK;
}

static fs_err
write_manifest(struct dir_state *st)
{
	struct stat sb;
	char *text = NULL;
	size_t len = 0;
	fs_err err = FS_OK;
	FILE *out = open_memstream(&text, &len);

	if (!out)
		return fs_fail(FS_ENOMEM, "out of memory");
	fputs(FS_MANIFEST_HEADER, out);
	if (fstatat(st->pub->root.fd, "index.html", &sb,
		    AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(sb.st_mode))
		fputs("index.html\n", out);
	err = owner_lines(st, out);
	fwrite(st->paths_text, 1, st->paths_len, out);
	if (fclose(out) != 0 && !err)
		err = fs_fail(FS_ENOMEM, "out of memory");
	if (!err)
		err = fs_manifest_write(st->pub->dir, text, len);
	free(text);
	return err;
}

/* --- removed missions ---------------------------------------------------- */

/* Whether name, in a mission's directory (top) or its p/, is a file
 * publish writes there. */
static bool
is_ours(const char *name, bool top)
{
	size_t len = strlen(name);

	if (!strncmp(name, OUTDIR_TEMP_PREFIX, strlen(OUTDIR_TEMP_PREFIX)))
		return true;
	if ((len > 4 && !strcmp(name + len - 4, ".ics")) ||
	    (len > 5 && !strcmp(name + len - 5, ".html")))
		return true;
	return top && (!strcmp(name, "index.json") ||
		       !strcmp(name, "schedule.xml") ||
		       !strcmp(name, "schedule.json"));
}

/* Removes what publish writes from the directory name in parent (first
 * its p/), then the directory itself if nothing else is left in it.
 * Nothing is followed: a link in place of either directory is left. */
static void
remove_tree(struct publisher *pub, int parent, const char *name, bool top)
{
	int fd = openat(parent, name,
			O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	struct dirent *entry;
	DIR *d;

	if (fd < 0)
		return;
	if (top)
		remove_tree(pub, fd, "p", false);
	if (!(d = fdopendir(fd))) {
		close(fd);
		return;
	}
	while ((entry = readdir(d)))
		if (is_ours(entry->d_name, top) &&
		    unlinkat(dirfd(d), entry->d_name, 0) == 0)
			pub->stats.removed++;
	closedir(d);
	unlinkat(parent, name, AT_REMOVEDIR); /* kept if not empty */
}

/* The files of the missions this database removed: gone once the manifest
 * no longer lists them, then forgotten. */
static fs_err
sweep_removed(struct dir_state *st)
{
	fs_store *store = st->pub->store;
	sqlite3_stmt *stmt;
	fs_err err = FS_OK;

	for (size_t i = 0; !err && i < st->n; i++) {
		struct dir_mission *m = &st->missions[i];
		if (m->kind != K_REMOVED)
			continue;
		remove_tree(st->pub, st->pub->root.fd, m->code, true);
		if (!(err = store_stmt(store, Q_FEED_FILE_FORGET_MISSION, &stmt))) {
			sqlite3_bind_text(stmt, 1, st->pub->dir, -1,
					  SQLITE_STATIC);
			sqlite3_bind_text(stmt, 2, m->code, -1, SQLITE_STATIC);
			err = store_done(store, stmt, "forgetting removed files");
		}
	}
	return err;
}

/* --- the whole -------------------------------------------------------------- */

static fs_err
read_self(struct dir_state *st)
{
	sqlite3_stmt *stmt;
	fs_err err = store_stmt(st->pub->store, Q_STORE_IDENTITY, &stmt);
	if (err)
		return err;
	if (sqlite3_step(stmt) == SQLITE_ROW)
		snprintf(st->self, sizeof(st->self), "%s", store_text(stmt, 0));
	else
		err = store_fail(st->pub->store, "reading the database's id");
	sqlite3_reset(stmt);
	return err;
}

static void
state_release(struct dir_state *st)
{
	for (size_t i = 0; i < st->n; i++) {
		struct dir_mission *m = &st->missions[i];
		close_dirs(m);
		free(m->owner_line);
		free(m->title);
		free(m->city);
		free(m->start);
		free(m->paths);
	}
	free(st->missions);
	strmap_release(&st->by_code);
	free(st->old_text);
	if (st->paths)
		fclose(st->paths);
	free(st->paths_text);
	for (size_t i = 0; i < st->n_drop; i++)
		free(st->drop[i]);
	free(st->drop);
}

/* The code of the old manifest's owner line when it says that another
 * database published one of codes, whose directory is still there (other
 * gets its id); NULL otherwise. */
static const char *
owned_by_other(struct dir_state *st, char *line, const char *const *codes,
	       size_t n, char other[65])
{
	char *save = NULL, *code, *owner;
	struct stat sb;

	code = strtok_r(line + strlen(FS_MANIFEST_OWNER), " ", &save);
	owner = strtok_r(NULL, " ", &save);
	if (!code || !owner || !strcmp(owner, st->self))
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(codes[i], code) &&
		    fstatat(st->pub->root.fd, code, &sb,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(sb.st_mode)) {
			snprintf(other, 65, "%s", owner);
			return code;
		}
	return NULL;
}

fs_err
publish_check_owners(struct publisher *pub, const char *const *codes,
		     size_t n)
{
	struct dir_state st = { .pub = pub };
	char *line = NULL, *refused = NULL, other[65], first[65] = "";
	const char *code, *first_code = NULL;
	size_t cap = 0, refused_len = 0, n_refused = 0;
	FILE *in, *list;
	fs_err err;
	int fd;

	if ((err = read_self(&st)))
		return err;
	fd = openat(pub->root.fd, FS_MANIFEST_NAME,
		    O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 || !(in = fdopen(fd, "r"))) {
		if (fd >= 0)
			close(fd);
		return FS_OK;
	}
	if (!(list = open_memstream(&refused, &refused_len))) {
		fclose(in);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	/* owner lines come first, after the landing page; every refused
	 * mission is named, so that one message says all there is to do */
	while (getline(&line, &cap, in) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (!strcmp(line, "fieldschool-manifest 1") ||
		    !strcmp(line, "index.html"))
			continue;
		if (strncmp(line, FS_MANIFEST_OWNER, strlen(FS_MANIFEST_OWNER)))
			break;
		if (!(code = owned_by_other(&st, line, codes, n, other)))
			continue;
		fprintf(list, "%s'%s' (id %s)", n_refused ? ", " : "", code,
			other);
		/* code points into line: keep the caller's string */
		if (!n_refused++) {
			for (size_t i = 0; i < n && !first_code; i++)
				if (!strcmp(codes[i], code))
					first_code = codes[i];
			snprintf(first, sizeof(first), "%s", other);
		}
	}
	free(line);
	fclose(in);
	if (fclose(list) != 0)
		err = fs_fail(FS_ENOMEM, "out of memory");
	else if (n_refused == 1)
		err = fs_fail(FS_EINPUT, "%s/%s: published there from "
			      "another database (id %s): publish mission "
			      "'%s' from that database, or add --take-over "
			      "to replace its files", pub->root.path,
			      first_code, first, first_code);
	else if (n_refused > 1)
		err = fs_fail(FS_EINPUT, "%s: missions published there from "
			      "another database: %s: publish them from "
			      "theirs, or add --take-over to replace their "
			      "files", pub->root.path, refused);
	free(refused);
	return err;
}

fs_err
publish_finish(struct publisher *pub, const char *const *run, size_t n_run,
	       bool complete)
{
	struct dir_state st = { .pub = pub, .by_code = STRMAP_INIT };
	fs_err err;

	if (!(st.paths = open_memstream(&st.paths_text, &st.paths_len)))
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = read_self(&st)))
		goto done;
	for (size_t i = 0; !err && i < n_run; i++) {
		bool found;
		struct dir_mission *m = mission_get(&st, run[i], strlen(run[i]),
						    &err);
		if (m && m->kind != K_RUN) {
			m->kind = K_RUN;
			err = meta_from_db(&st, m, &found);
		}
	}
	if (err || (err = read_old_manifest(&st)) ||
	    (err = walk_files(&st)) || (err = keep_others(&st)))
		goto done;
	if (fflush(st.paths) != 0) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if ((err = forget_rows(&st)))
		goto done;
	/* the landing page before the manifest, which lists it; the removed
	 * missions' files once the manifest no longer lists them */
	if (complete && (err = landing_page(&st)))
		goto done;
	if ((err = write_manifest(&st)) || !complete)
		goto done;
	if (!(err = fs_store_begin(pub->store))) {
		if ((err = sweep_removed(&st)))
			fs_store_rollback(pub->store);
		else
			err = fs_store_commit(pub->store);
	}
done:
	state_release(&st);
	return err;
}
