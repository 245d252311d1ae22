/*
 * publish.c - feeds into a directory: tokens, atomic files, no needless
 * writes.
 *
 * Every file is written to a temporary name in its own directory and
 * renamed over the old one, so a reader (or a web server) sees the old
 * feed or the new one, never a part; a publish killed at any moment leaves
 * each file old or new, and its temporary files are swept by the next one.
 * Per mission: every feed first, then index.json, then the sweep: files of
 * revoked tokens and gone groups are removed only after the new set and
 * its index are in place, so whatever an index lists exists.  Directories
 * and files are reached through outdir.c, which never follows a link
 * inside the output directory.
 *
 * A file whose content did not change is not rewritten: its mtime stays,
 * so HTTP caches keep their copies.  For 150,000 personal feeds, building
 * each one only to find it unchanged would cost as much as writing it, so
 * the feed_file table remembers, per file, a digest of everything the file
 * was made from (the mission's shared digest, which covers every event's
 * text and how this build writes a feed, plus the registration's own
 * fields) and the file's size and mtime.  Same digest and same file: skip.
 * Otherwise the feed is built and compared with the file before writing.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "fieldschool/feed.h"
#include "fieldschool/file.h"
#include "fieldschool/json.h"
#include "fieldschool/manifest.h"
#include "fieldschool/url.h"
#include "outdir.h"
#include "page.h"
#include "publish.h"
#include "store.h"
#include "strmap.h"

/* Change it when index.json changes shape: every index is rewritten. */
#define INDEX_FORMAT 1
#define PERSONAL_DESCRIPTION                                                 \
	"Your agenda: the sessions for everyone, those of your group and "   \
	"category, and your arrival and departure. Your calendar app fetches " \
	"changes on its own schedule (hourly where it allows)."

/* --- names -------------------------------------------------------------- */

/* A file name from a person's name: ASCII letters and digits, accents
 * dropped from Latin letters, anything else a dash. */
static void
slug(const char *name, char *out, size_t size)
{
	static const char *const latin1 = /* U+00C0 .. U+00FF */
		"AAAAAAACEEEEIIII" "DNOOOOO-OUUUUYTs"
		"aaaaaaaceeeeiiii" "dnooooo-ouuuuyty";
	const unsigned char *p = (const unsigned char *)name;
	size_t n = 0;
	bool dash = false;

	while (*p && n + 2 < size) {
		int c = -1;
		if (*p < 0x80) {
			c = *p++;
		} else if ((*p == 0xc3) && (p[1] & 0xc0) == 0x80) {
			c = latin1[(p[1] & 0x3f) + 0x00];
			p += 2;
		} else {
			p++;
			while ((*p & 0xc0) == 0x80)
				p++;
		}
		if (c >= 'A' && c <= 'Z')
			c += 'a' - 'A';
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n)
				out[n++] = '-';
			out[n++] = (char)c;
			dash = false;
		} else {
			dash = true;
		}
	}
	out[n] = '\0';
}

/* --- building feeds ----------------------------------------------------- */

void
publish_person_of(sqlite3_stmt *row, struct cal_person *p)
{
	p->ref = store_text(row, P_REF);
	p->given = store_text(row, P_GIVEN);
	p->family = store_text(row, P_FAMILY);
	p->category = store_text(row, P_CATEGORY);
	p->group = store_text(row, P_GROUP);
	p->arrival = store_text(row, P_ARRIVAL);
	p->departure = store_text(row, P_DEPARTURE);
	p->since = store_text(row, P_SINCE);
	p->changed = store_text(row, P_CHANGED);
	p->sequence = sqlite3_column_int(row, P_SEQUENCE);
}

static fs_err
person_name(struct buf *out, const struct cal_mission *m,
	    const struct cal_person *p)
{
	out->len = 0;
	return buf_addf(out, "%s: %s%s%s", m->title, p->given,
			*p->given && *p->family ? " " : "", p->family);
}

static fs_err
build_personal(struct buf *out, const struct cal_mission *m,
	       const struct cal_person *p)
{
	struct buf name = BUF_INIT;
	fs_err err = person_name(&name, m, p);

	if (!err)
		err = cal_feed_begin(out, m, name.data, PERSONAL_DESCRIPTION, p);
	buf_release(&name);
	for (size_t i = 0; !err && i < m->n_events; i++)
		if (cal_event_for_person(&m->events[i], p->group, p->category))
			err = buf_add(out, m->events[i].text, m->events[i].len);
	if (!err)
		err = cal_feed_travel(out, m, p);
	return err ? err : cal_feed_end(out);
}

/* A digest of everything build_personal() reads. */
uint64_t
publish_personal_digest(const struct cal_mission *m, const struct cal_person *p)
{
	const char *fields[] = { m->title, p->ref, p->given, p->family,
				 p->category, p->group, p->arrival,
				 p->departure, p->since, p->changed };
	uint64_t h = m->hash;
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		h = hash_bytes(fields[i], strlen(fields[i]) + 1, h);
	return hash_bytes(&p->sequence, sizeof(p->sequence), h);
}

/* A shared feed: the events for which keep() is true. */
static fs_err
build_shared(struct buf *out, const struct cal_mission *m, const char *name,
	     const char *description,
	     bool (*keep)(const struct cal_event *, const char *),
	     const char *key)
{
	fs_err err = cal_feed_begin(out, m, name, description, NULL);
	for (size_t i = 0; !err && i < m->n_events; i++)
		if (!keep || keep(&m->events[i], key))
			err = buf_add(out, m->events[i].text, m->events[i].len);
	return err ? err : cal_feed_end(out);
}

/* The name and description of a shared feed. */
static fs_err
shared_feed(struct buf *out, const struct cal_mission *m, fs_feed_kind kind,
	    const char *key)
{
	struct buf name = BUF_INIT, about = BUF_INIT;
	fs_err err;

	switch (kind) {
	case FS_FEED_GROUP:
		if (!(err = buf_addf(&name, "%s: group %s", m->title, key)))
			err = buf_addf(&about, "The agenda of group %s: the "
					       "sessions for everyone and the "
					       "group's site visits.", key);
		if (!err)
			err = build_shared(out, m, name.data, about.data,
					   cal_event_for_group, key);
		break;
	case FS_FEED_FACILITATOR:
		if (!(err = buf_addf(&name, "%s: %s", m->title, key)))
			err = buf_addf(&about, "What %s leads at %s.", key,
				       m->title);
		if (!err)
			err = build_shared(out, m, name.data, about.data,
					   cal_event_for_facilitator, key);
		break;
	default:
		if (!(err = buf_addf(&name, "%s", m->title)))
			err = buf_addf(&about, "The whole agenda of %s, %s. "
					       "Times are %s time.",
				       m->title, m->city, m->zone);
		if (!err)
			err = build_shared(out, m, name.data, about.data, NULL,
					   NULL);
		break;
	}
	buf_release(&name);
	buf_release(&about);
	return err;
}

static bool
has_name(char *const *list, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(list[i], name))
			return true;
	return false;
}

/* Every item of the mission is now one that subscribers may have seen
 * (after loading: an item added meanwhile is marked too, which only keeps
 * a tombstone that was not needed). */
static fs_err
mark_published(fs_store *store, int64_t mission_id)
{
	sqlite3_stmt *stmt;
	fs_err err = store_stmt(store, Q_ITEMS_MARK_PUBLISHED, &stmt);
	if (err)
		return err;
	sqlite3_bind_int64(stmt, 1, mission_id);
	return store_done(store, stmt, "marking the agenda published");
}

fs_err
fs_feed_write(fs_store *store, const char *mission, fs_feed_kind kind,
	      const char *key, FILE *out)
{
	struct cal_mission *m = NULL;
	struct buf text = BUF_INIT;
	sqlite3_stmt *stmt;
	fs_err err;

	/* a database this user may only read gives its feeds all the same
	 * (the items are marked by the next publish or ics that can write) */
	if ((err = cal_mission_load(&m, store, mission)) ||
	    (!store->readonly && (err = mark_published(store, m->id))))
		goto done;
	if (kind == FS_FEED_PARTICIPANT) {
		struct cal_person p;
		if ((err = store_stmt(store, Q_FEED_PEOPLE, &stmt)))
			goto done;
		sqlite3_bind_int64(stmt, 1, m->id);
		sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
		if (sqlite3_step(stmt) != SQLITE_ROW) {
			sqlite3_reset(stmt);
			err = fs_fail(FS_ENOTFOUND,
				      "participant '%s' is not registered for "
				      "mission '%s' (or cancelled)", key, mission);
			goto done;
		}
		publish_person_of(stmt, &p);
		err = build_personal(&text, m, &p);
		sqlite3_reset(stmt);
	} else if (kind == FS_FEED_GROUP &&
		   !has_name(m->groups, m->n_groups, key)) {
		err = fs_fail(FS_ENOTFOUND, "no group '%s' in mission '%s'", key,
			      mission);
	} else if (kind == FS_FEED_FACILITATOR &&
		   !has_name(m->facilitators, m->n_facilitators, key)) {
		err = fs_fail(FS_ENOTFOUND,
			      "no facilitator '%s' in the agenda of mission '%s'",
			      key, mission);
	} else {
		err = shared_feed(&text, m, kind, key);
	}
	if (!err && (fwrite(text.data, 1, text.len, out) != text.len ||
		     fflush(out) != 0))
		err = fs_fail(FS_EIO, "writing the calendar: %s",
			      fs_errno_text(errno));
done:
	buf_release(&text);
	cal_mission_free(m);
	return err;
}

/* --- publishing a mission ----------------------------------------------- */

struct shared_ctx {
	const struct cal_mission *m;
	fs_feed_kind kind;
	const char *key;
};

static fs_err
build_shared_file(struct buf *out, void *ctx)
{
	struct shared_ctx *c = ctx;
	return shared_feed(out, c->m, c->kind, c->key);
}

struct personal_ctx {
	const struct cal_mission *m;
	const struct cal_person *p;
};

static fs_err
build_personal_file(struct buf *out, void *ctx)
{
	struct personal_ctx *c = ctx;
	return build_personal(out, c->m, c->p);
}

static fs_err
shared_names(const struct cal_mission *m, struct shared_names *out)
{
	size_t n = 1 + m->n_groups + m->n_facilitators;
	if (!(out->rel = calloc(n, sizeof(*out->rel))))
		return fs_fail(FS_ENOMEM, "out of memory");
	out->n = n;
	snprintf(out->rel[0], sizeof(out->rel[0]), "%s/%s.ics", m->code,
		 m->code);
	for (size_t i = 0; i < m->n_groups; i++)
		snprintf(out->rel[1 + i], sizeof(out->rel[0]), "%s/group-%s.ics",
			 m->code, m->groups[i]);
	for (size_t i = 0; i < m->n_facilitators; i++)
		fs_path_facilitator(out->rel[1 + m->n_groups + i],
				    sizeof(out->rel[0]), m->code,
				    m->facilitators[i]);
	return FS_OK;
}

/* The name as ASCII, and a hash of the exact name: "José Pérez" and
 * "Jose Perez" get different addresses, which do not depend on who else is
 * in the agenda. */
int
fs_path_facilitator(char *out, size_t size, const char *mission,
		    const char *name)
{
	char s[81]; /* 80 characters of a name tell it apart */
	slug(name, s, sizeof(s));
	return snprintf(out, size, "%s/facilitator-%s%s%08x.ics", mission, s,
			*s ? "-" : "", (unsigned)hash_bytes(name, strlen(name), 0));
}

static void
json_pair(FILE *out, const char *key, const char *value, bool last)
{
	fprintf(out, "\"%s\": ", key);
	fs_json_string(out, value);
	fputs(last ? "" : ", ", out);
}

static void
json_feed(FILE *out, const struct publisher *pub, const char *kind,
	  const char *what, const char *value, const char *rel,
	  const char *name)
{
	fprintf(out, "    {");
	json_pair(out, "kind", kind, false);
	if (what)
		json_pair(out, what, value, false);
	if (name)
		json_pair(out, "name", name, false);
	if (*pub->base) {
		char *url = fs_url_join(pub->base, rel);
		fprintf(out, "\"url\": ");
		if (url)
			fs_json_string(out, url);
		else
			fputs("null", out);
		free(url);
		fputs(", ", out);
	}
	json_pair(out, "path", rel, true);
	fputs("}", out);
}

/* Makes an index.json that an older version wrote readable by its owner
 * only: opened without following a link, changed through the descriptor
 * (chmod would follow one). */
static void
private_index(const struct outdir *dir)
{
	int fd = outdir_read_fd(dir, "index.json");
	if (fd >= 0) {
		if (fchmod(fd, 0600) != 0) {
			/* the next publish tries again */
		}
		close(fd);
	}
}

/* index.json: streamed to a temporary file, then kept only if it differs
 * from the one in place (it lists every personal address: mode 0600). */
static fs_err
write_index(struct publisher *pub, const struct outdir *dir,
	    const struct cal_mission *m, const struct shared_names *names)
{
	char path[PATH_MAX + 16], tmp[64] = "";
	sqlite3_stmt *stmt;
	FILE *out = NULL;
	fs_err err;
	int fd, rc;

	snprintf(path, sizeof(path), "%s/index.json", dir->path);
	if ((err = outdir_temp(dir, 0600, &fd, tmp)))
		return err;
	if (!(out = fdopen(fd, "w"))) {
		close(fd);
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		goto done;
	}
	fprintf(out, "{\n  ");
	json_pair(out, "mission", m->code, false);
	json_pair(out, "title", m->title, false);
	json_pair(out, "timezone", m->zone, true);
	fprintf(out, ",\n  \"feeds\": [\n");
	json_feed(out, pub, "mission", NULL, NULL, names->rel[0], NULL);
	for (size_t i = 0; i < m->n_groups; i++) {
		fputs(",\n", out);
		json_feed(out, pub, "group", "group", m->groups[i],
			  names->rel[1 + i], NULL);
	}
	for (size_t i = 0; i < m->n_facilitators; i++) {
		fputs(",\n", out);
		json_feed(out, pub, "facilitator", NULL, NULL,
			  names->rel[1 + m->n_groups + i], m->facilitators[i]);
	}
	if ((err = store_stmt(pub->store, Q_FEED_PEOPLE, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, m->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct cal_person p;
		char rel[200], name[600];
		publish_person_of(stmt, &p);
		snprintf(rel, sizeof(rel), "%s/p/%s.ics", m->code,
			 store_text(stmt, P_TOKEN));
		snprintf(name, sizeof(name), "%s%s%s", p.given,
			 *p.given && *p.family ? " " : "", p.family);
		fputs(",\n", out);
		json_feed(out, pub, "personal", "ref", p.ref, rel, name);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		err = store_fail(pub->store, "reading registrations");
		goto done;
	}
	fprintf(out, "\n  ]\n}\n");
	if (fflush(out) != 0 || ferror(out)) {
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		goto done;
	}
	if (fclose(out) != 0) {
		out = NULL;
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		goto done;
	}
	out = NULL;
	/* keep the old file when nothing changed */
	if (outdir_same_content(dir, "index.json", tmp)) {
		private_index(dir); /* an older file may be readable */
		pub->stats.unchanged++;
	} else if (!(err = outdir_rename(dir, tmp, "index.json"))) {
		pub->stats.written++;
		*tmp = '\0';
	}
done:
	if (out)
		fclose(out);
	if (*tmp)
		unlinkat(dir->fd, tmp, 0);
	return err;
}

/* Whether an entry of a mission's directory is one a publish writes (a
 * feed or a page): its name's extension length, 0 when it is not. */
static size_t
published_ext(const char *name, size_t len)
{
	if (len > 4 && !strcmp(name + len - 4, ".ics"))
		return 4;
	if (len > 5 && !strcmp(name + len - 5, ".html"))
		return 5;
	return 0;
}

/* Whether the entry name of dir stays: in personal (p/) one of a known
 * token, elsewhere one of names or pages. */
static fs_err
sweep_keeps(struct publisher *pub, const struct outdir *dir,
	    const struct cal_mission *m, const struct shared_names *names,
	    const struct shared_names *pages, bool personal,
	    const char *name, size_t stem, bool *keep)
{
	char rel[PATH_MAX / 2];

	*keep = false;
	if (personal) {
		sqlite3_stmt *stmt;
		char token[64];
		fs_err err;
		snprintf(token, sizeof(token), "%.*s", (int)stem, name);
		if ((err = store_stmt(pub->store, Q_FEED_TOKEN_KNOWN, &stmt)))
			return err;
		sqlite3_bind_text(stmt, 1, token, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(stmt, 2, m->id);
		*keep = sqlite3_step(stmt) == SQLITE_ROW;
		sqlite3_reset(stmt);
		return FS_OK;
	}
	publish_rel_path(rel, sizeof(rel), dir, name);
	for (size_t i = 0; i < names->n && !*keep; i++)
		*keep = !strcmp(names->rel[i], rel);
	for (size_t i = 0; i < pages->n && !*keep; i++)
		*keep = !strcmp(pages->rel[i], rel);
	return FS_OK;
}

/* Removes the entry name of dir and forgets it. */
static fs_err
sweep_remove(struct publisher *pub, const struct outdir *dir,
	     const char *name)
{
	char rel[PATH_MAX / 2];
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = outdir_remove(dir, name)))
		return err;
	pub->stats.removed++;
	publish_rel_path(rel, sizeof(rel), dir, name);
	if ((err = store_stmt(pub->store, Q_FEED_FILE_DELETE, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, pub->dir, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, rel, -1, SQLITE_TRANSIENT);
	return store_done(pub->store, stmt, "forgetting a removed file");
}

/*
 * Removes what the publish did not write from dir, the mission's
 * directory or (personal) its p/: *.ics and *.html of the mission's shared
 * feeds and pages not in names or pages, personal feeds and pages of
 * unknown tokens, our temp files.  Entries are removed with unlinkat: a
 * link goes, never what it points to.
 *
 * In p/ every file this publish wrote or found current is there, under
 * distinct names: when p/ holds just as many feeds and pages as that
 * (pub->personal_files), it holds nothing else, and asking the database
 * about each entry (a fifth of a re-publish) is not needed.
 */
static fs_err
sweep(struct publisher *pub, const struct outdir *dir,
      const struct cal_mission *m, const struct shared_names *names,
      const struct shared_names *pages,
      bool personal)
{
	struct dirent *entry;
	fs_err err = FS_OK;
	long found = 0;
	bool counting = personal;
	DIR *d;
	int fd = openat(dir->fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0 || !(d = fdopendir(fd))) {
		err = fs_fail(FS_EIO, "%s: %s", dir->path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return err;
	}
	for (;;) {
		if (!(entry = readdir(d))) {
			if (!counting || found == pub->personal_files)
				break;
			counting = false; /* something else is there */
			rewinddir(d);
			continue;
		}
		const char *name = entry->d_name;
		size_t len = strlen(name), ext;
		bool keep;

		if (!strncmp(name, OUTDIR_TEMP_PREFIX,
			     strlen(OUTDIR_TEMP_PREFIX))) {
			unlinkat(dir->fd, name, 0); /* left by a killed publish */
			continue;
		}
		if (!(ext = published_ext(name, len)))
			continue; /* not ours */
		if (counting) {
			found++;
			continue;
		}
		if ((err = sweep_keeps(pub, dir, m, names, pages, personal,
				       name, len - ext, &keep)))
			break;
		if (!keep && (err = sweep_remove(pub, dir, name)))
			break;
	}
	closedir(d);
	return err;
}

/* index.json in dir, unless the file in place was made from the same
 * digest. */
static fs_err
publish_index(struct publisher *pub, const struct outdir *dir,
	      const struct cal_mission *m, const struct shared_names *names,
	      uint64_t digest)
{
	char rel[PATH_MAX / 4];
	struct stat st;
	bool current;
	int64_t size;
	fs_err err;

	publish_rel_path(rel, sizeof(rel), dir, "index.json");
	digest |= 1;
	if ((err = publish_is_current(pub, dir, "index.json", digest, &current,
				      &size)))
		return err;
	if (current) {
		private_index(dir); /* an older file may be readable */
		pub->stats.unchanged++;
		return FS_OK;
	}
	if ((err = write_index(pub, dir, m, names)))
		return err;
	if (!outdir_stat(dir, "index.json", &st))
		return fs_fail(FS_EIO, "%s/index.json: %s", dir->path,
			       strerror(errno));
	return publish_remember(pub, rel, digest, st.st_size, outdir_mtime(&st));
}

static fs_err
publish_mission(struct publisher *pub, const struct cal_mission *m)
{
	struct shared_names names = { NULL, 0 }, pages = { NULL, 0 };
	struct outdir dir = OUTDIR_CLOSED, p_dir = OUTDIR_CLOSED;
	struct outdir_preload *preload = NULL;
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	pub->personal_files = 0;
	if ((err = outdir_open(&dir, &pub->root, m->code)) ||
	    (err = outdir_open(&p_dir, &dir, "p")) ||
	    (err = outdir_unlisted(&p_dir)) ||
	    (err = shared_names(m, &names)))
		goto done;
	preload = outdir_preload_start(&p_dir);
	for (size_t i = 0; !err && i < names.n; i++) {
		struct shared_ctx c = { m, FS_FEED_MISSION, NULL };
		if (i > 0 && i <= m->n_groups)
			c.kind = FS_FEED_GROUP, c.key = m->groups[i - 1];
		else if (i > m->n_groups)
			c.kind = FS_FEED_FACILITATOR,
			c.key = m->facilitators[i - 1 - m->n_groups];
		err = publish_file(pub, &dir, strrchr(names.rel[i], '/') + 1, 0,
				   build_shared_file, &c);
		publish_progress(pub);
	}
	/* index.json is made of the shared feeds' names, the base URL and
	 * each person's ref, name and path: a digest of them decides whether
	 * it must be written again (building it means reading every
	 * registration again) */
	uint64_t index_digest = hash_bytes(m->title, strlen(m->title) + 1,
					   INDEX_FORMAT);
	index_digest = hash_bytes(pub->base, strlen(pub->base) + 1,
				  index_digest);
	for (size_t i = 0; i < names.n; i++)
		index_digest = hash_bytes(names.rel[i], strlen(names.rel[i]) + 1,
					  index_digest);
	for (size_t i = 0; i < m->n_groups; i++)
		index_digest = hash_bytes(m->groups[i], strlen(m->groups[i]) + 1,
					  index_digest);
	for (size_t i = 0; i < m->n_facilitators; i++)
		index_digest = hash_bytes(m->facilitators[i],
					  strlen(m->facilitators[i]) + 1,
					  index_digest);
	if (err || (err = store_stmt(pub->store, Q_FEED_PEOPLE, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, m->id);
	while (!err && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct cal_person p;
		struct personal_ctx c = { m, &p };
		char rel[PATH_MAX / 4], name[64];
		publish_person_of(stmt, &p);
		if (strlen(store_text(stmt, P_TOKEN)) != 32) {
			err = fs_fail(FS_EDB, "registration of '%s' has no feed "
				      "token", p.ref);
			break;
		}
		snprintf(name, sizeof(name), "%s.ics", store_text(stmt, P_TOKEN));
		publish_rel_path(rel, sizeof(rel), &p_dir, name);
		err = publish_file(pub, &p_dir, name,
				   publish_personal_digest(m, &p),
				   build_personal_file, &c);
		pub->personal_files++;
		/* what index.json lists of this person */
		const char *listed[] = { p.ref, p.given, p.family, rel };
		for (int i = 0; i < 4; i++)
			index_digest = hash_bytes(listed[i],
						  strlen(listed[i]) + 1,
						  index_digest);
		publish_progress(pub);
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(pub->store, "reading registrations");
	sqlite3_reset(stmt);
	/* every feed in place before the index, the index before the sweep
	 * (README: "What a killed publish leaves") */
	if (publish_collect_all(pub) && !err)
		err = pub->failure;
	/* the pages, once the feeds they link to are in place */
	if (!err)
		err = publish_pages(pub, &dir, &p_dir, m, &pages);
	if (!err && !(err = publish_index(pub, &dir, m, &names, index_digest)) &&
	    !(err = sweep(pub, &dir, m, &names, &pages, false)))
		err = sweep(pub, &p_dir, m, &names, &pages, true);
done:
	publish_collect_all(pub); /* the writers use the directories until then */
	outdir_preload_stop(preload);
	outdir_close(&p_dir);
	outdir_close(&dir);
	free(names.rel);
	free(pages.rel);
	return err;
}

/*
 * Folds a sample personal feed into the mission's digest, so that a build
 * that writes personal feeds differently (their name, description, travel
 * events, which events they select) rewrites them all at its first
 * publish, although their inputs did not change; its travel from 2000 to
 * 2037 brings in the zone's rules for any personal VTIMEZONE, so a new
 * system tzdata does too.
 */
static fs_err
seal_format(struct cal_mission *m)
{
	struct cal_person sample = { "ref", "Given", "Family", "lgu-focal",
				     "A", "2000-01-01T10:00", "2037-12-31",
				     "", "", 0 };
	struct buf text = BUF_INIT;
	fs_err err = build_personal(&text, m, &sample);
	if (!err)
		m->hash = hash_bytes(text.data, text.len, m->hash);
	buf_release(&text);
	return err;
}

/* The base URL of mission m's addresses: the one given to this publish
 * (without its final slashes), or the one remembered from the last. */
static fs_err
choose_base(struct publisher *pub, const struct cal_mission *m)
{
	fs_publication known;
	fs_err err;

	free(pub->base);
	pub->base = NULL;
	if (pub->opts->base_url) {
		size_t n = strlen(pub->opts->base_url);
		while (n && pub->opts->base_url[n - 1] == '/')
			n--;
		pub->base = strndup(pub->opts->base_url, n);
	} else {
		if ((err = fs_publication_get(pub->store, m->code, &known)))
			return err;
		pub->base = known.base_url;
		known.base_url = NULL;
		fs_publication_release(&known);
	}
	if (!pub->base)
		return fs_fail(FS_ENOMEM, "out of memory");
	pub->stats.no_base_url += !*pub->base;
	return FS_OK;
}

/* Remembers where and under which address m was published, in the
 * transaction of its feeds. */
static fs_err
remember_publication(struct publisher *pub, const struct cal_mission *m)
{
	sqlite3_stmt *stmt;
	char now[21];
	fs_err err = store_stmt(pub->store, Q_PUBLICATION_PUT, &stmt);
	if (err)
		return err;
	store_now(now);
	sqlite3_bind_int64(stmt, 1, m->id);
	sqlite3_bind_text(stmt, 2, pub->base, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, pub->dir, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, now, -1, SQLITE_STATIC);
	return store_done(pub->store, stmt, "remembering the publication");
}

static fs_err
count_feeds(fs_store *store, const struct cal_mission *m, long *total)
{
	sqlite3_stmt *stmt;
	fs_err err = store_stmt(store, Q_FEED_PEOPLE_COUNT, &stmt);
	if (err)
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*total += sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	*total += 1 + (long)m->n_groups + (long)m->n_facilitators;
	return FS_OK;
}

/*
 * The list serve answers from, once every mission committed: what this
 * publish wrote and what else DIR holds (publish_sweep.c).  After a
 * failure, the missions committed before it are listed as they now are.
 */
static fs_err
publish_manifest(struct publisher *pub, struct cal_mission **loaded,
		 size_t committed, fs_err err)
{
	const char **run;
	fs_err put;

	if (!pub->dir || !committed)
		return err;
	if (!(run = calloc(committed, sizeof(*run))))
		return err ? err : fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < committed; i++)
		run[i] = loaded[i]->code;
	put = publish_finish(pub, run, committed, !err);
	free(run);
	return err ? err : put;
}

fs_err
fs_publish(fs_store *store, const char *const *missions, size_t n,
	   const fs_publish_options *opts, fs_publish_stats *stats)
{
	struct publisher pub = { .store = store, .opts = opts,
				 .root = OUTDIR_CLOSED };
	struct writers *writers = publish_writers_new();
	struct cal_mission **loaded = calloc(n ? n : 1, sizeof(*loaded));
	const char *hook = getenv("FIELDSCHOOL_TEST_KILL_AFTER");
	size_t committed = 0;
	fs_err err = FS_OK;

	if (!loaded || !writers) {
		free(loaded);
		free(writers);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	if (opts->base_url && (err = fs_url_check_base(opts->base_url)))
		goto done;
	if ((err = outdir_open_root(&pub.root, opts->dir)))
		goto done;
	/* One publish at a time into a directory: the manifest is the list
	 * of what the database recorded for it, read and then renamed in,
	 * and another publish between the two would lose its files from it.
	 * A second publish waits (the lock goes with the descriptor). */
	if (flock(pub.root.fd, LOCK_EX) != 0) {
		err = fs_fail(FS_EIO, "%s: locking it: %s", pub.root.path,
			      strerror(errno));
		goto done;
	}
	pub.dir = pub.root.path;
	/* every mission first, so that an unknown code changes nothing */
	for (size_t i = 0; !err && i < n; i++) {
		struct mission_info info;
		/* M/M.ics must not be one of M's group or facilitator feeds */
		if ((err = mission_lookup(store, missions[i], &info)))
			break;
		if (!strncmp(info.code, "group-", 6) ||
		    !strncmp(info.code, "facilitator-", 12))
			err = fs_fail(FS_EINPUT, "mission '%s': a code that "
				      "starts with 'group-' or 'facilitator-' "
				      "would share its feed's file name with "
				      "a group's or facilitator's: rename it "
				      "(mission edit)", info.code);
		else if (!strcmp(info.code, "index.html"))
			err = fs_fail(FS_EINPUT, "mission 'index.html': the "
				      "directory's index page has that name: "
				      "rename it (mission edit)");
	}
	if (!err && !opts->take_over)
		err = publish_check_owners(&pub, missions, n);
	for (size_t i = 0; !err && i < n; i++) {
		struct mission_info info;
		if (!(err = mission_lookup(store, missions[i], &info)) &&
		    !(err = cal_mission_load(&loaded[i], store, missions[i])) &&
		    !(err = seal_format(loaded[i]))) {
			err = count_feeds(store, loaded[i], &pub.total);
			pub.stats.no_organizer += !*loaded[i]->contact_email;
		}
	}
	if (!err && !(err = fs_store_begin(store))) {
		for (size_t i = 0; !err && i < n; i++)
			err = mark_published(store, loaded[i]->id);
		if (err)
			fs_store_rollback(store);
		else
			err = fs_store_commit(store);
	}
	if (!err) {
		publish_writers_start(writers, hook ? atol(hook) : 0);
		pub.writers = writers;
	}
	for (size_t i = 0; !err && i < n; i++) {
		if ((err = fs_store_begin(store)))
			break;
		/* tokens in the same transaction as the feeds: a registration
		 * added meanwhile waits for the next publish */
		if ((err = choose_base(&pub, loaded[i])) ||
		    (err = publish_issue_tokens(store, loaded[i]->id)) ||
		    (err = publish_mission(&pub, loaded[i])) ||
		    (err = remember_publication(&pub, loaded[i]))) {
			fs_store_rollback(store);
			break;
		}
		if (!(err = fs_store_commit(store)))
			committed++;
	}
	/* the top-level index.html, the manifest, what else DIR holds */
	err = publish_manifest(&pub, loaded, committed, err);
done:
	for (size_t i = 0; i < n; i++)
		cal_mission_free(loaded[i]);
	free(loaded);
	if (pub.writers)
		publish_writers_stop(pub.writers);
	free(writers);
	outdir_close(&pub.root);
	free(pub.base);
	if (stats)
		*stats = pub.stats;
	return err;
}
