/* directory.c - categories, modules, places, facilitators; binding helpers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fieldschool/directory.h"
#include "domain.h"
#include "store.h"
#include "value.h"

void
bind_optional_double(sqlite3_stmt *stmt, int i, const char *text, double value)
{
	if (text && *text)
		sqlite3_bind_double(stmt, i, value);
	else
		sqlite3_bind_null(stmt, i);
	sqlite3_bind_int(stmt, i + 1, text != NULL);
}

void
bind_optional_int(sqlite3_stmt *stmt, int i, const char *text, int64_t value)
{
	if (text && *text)
		sqlite3_bind_int64(stmt, i, value);
	else
		sqlite3_bind_null(stmt, i);
	sqlite3_bind_int(stmt, i + 1, text != NULL);
}

const char *
column_double_text(sqlite3_stmt *stmt, int col, char buf[32])
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return "";
	snprintf(buf, 32, "%.15g", sqlite3_column_double(stmt, col));
	return buf;
}

const char *
column_money_text(sqlite3_stmt *stmt, int col, char buf[32])
{
	if (sqlite3_column_type(stmt, col) == SQLITE_NULL)
		return "";
	format_money(sqlite3_column_int64(stmt, col), buf);
	return buf;
}

/* FS_EINPUT, naming what, when text (NULL is fine) is not text of kind. */
static fs_err
text_ok(const char *what, const char *text, fs_text_kind kind)
{
	char buf[160];
	const char *why = text ? check_text(text, kind, buf, sizeof(buf)) : NULL;
	return why ? fs_fail(FS_EINPUT, "%s: %s", what, why) : FS_OK;
}

/* Looks up one id with a one-parameter query; FS_ENOTFOUND when no row. */
static fs_err
lookup_id(fs_store *store, enum query q, const char *key, int64_t *id_out)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(store, q, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, key, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*id_out = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return FS_OK;
	if (rc != SQLITE_DONE)
		return store_fail(store, "looking up");
	return FS_ENOTFOUND;
}

fs_err
category_resolve(fs_store *store, const char *code, int64_t *id_out)
{
	struct store_cache *cache = &store->cache;
	fs_err err;

	for (int i = 0; i < cache->n_categories; i++)
		if (!strcmp(cache->categories[i].key, code)) {
			*id_out = cache->categories[i].id;
			return FS_OK;
		}
	if ((err = lookup_id(store, Q_CATEGORY_ID, code, id_out)))
		return err;
	if (cache->n_categories < 16 &&
	    strlen(code) < sizeof(cache->categories[0].key)) {
		strcpy(cache->categories[cache->n_categories].key, code);
		cache->categories[cache->n_categories++].id = *id_out;
	}
	return FS_OK;
}

fs_err
replace_quotas(fs_store *store, int64_t mission_id, const int64_t *cats,
	       const long *seats, int n, bool *changed)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int same = 0, count = 0;

	/* Unchanged when every given quota is stored and nothing else is. */
	if ((err = store_stmt(store, Q_QUOTA_LIST, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, mission_id);
	while (sqlite3_step(stmt) == SQLITE_ROW) {
		count++;
		for (int i = 0; i < n; i++)
			if (cats[i] == sqlite3_column_int64(stmt, 0) &&
			    seats[i] == sqlite3_column_int64(stmt, 1))
				same++;
	}
	sqlite3_reset(stmt);
	*changed = !(same == n && count == n);
	if (!*changed)
		return FS_OK;
	if ((err = store_stmt(store, Q_QUOTA_CLEAR, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, mission_id);
	if ((err = store_done(store, stmt, "saving quotas")))
		return err;
	for (int i = 0; i < n; i++) {
		if ((err = store_stmt(store, Q_QUOTA_SET, &stmt)))
			return err;
		sqlite3_bind_int64(stmt, 1, mission_id);
		sqlite3_bind_int64(stmt, 2, cats[i]);
		sqlite3_bind_int64(stmt, 3, seats[i]);
		if ((err = store_done(store, stmt, "saving quotas")))
			return err;
	}
	return FS_OK;
}

static fs_err
ensure(fs_store *store, enum query find, enum query add, const char *name,
       int64_t *id_out, bool *created)
{
	sqlite3_stmt *stmt;
	fs_err err = lookup_id(store, find, name, id_out);

	if (created)
		*created = false;
	if (err != FS_ENOTFOUND)
		return err;
	if ((err = store_stmt(store, add, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_STATIC);
	if ((err = store_done(store, stmt, "adding")))
		return err;
	*id_out = sqlite3_last_insert_rowid(store->db);
	if (created)
		*created = true;
	return FS_OK;
}

fs_err
place_ensure(fs_store *store, const char *name, int64_t *id_out)
{
	return ensure(store, Q_PLACE_ID, Q_PLACE_ADD, name, id_out, NULL);
}

fs_err
place_ensure_new(fs_store *store, const char *name, int64_t *id_out,
		 bool *created)
{
	return ensure(store, Q_PLACE_ID, Q_PLACE_ADD, name, id_out, created);
}

fs_err
facilitator_ensure(fs_store *store, const char *name, int64_t *id_out)
{
	return ensure(store, Q_FACILITATOR_ID, Q_FACILITATOR_ADD, name, id_out,
		      NULL);
}

/* Is there a category whose code equals code ignoring case?  (Codes are
 * unique as typed, but spreadsheets compare text ignoring case.) */
struct same_code {
	const char *code;
	char found[65];
};

static fs_err
same_code_each(void *ctx, const fs_category *c)
{
	struct same_code *s = ctx;
	if (!*s->found && !strcasecmp(c->code, s->code))
		snprintf(s->found, sizeof(s->found), "%s", c->code);
	return FS_OK;
}

fs_err
fs_category_add(fs_store *store, const char *code, const char *name,
		const char *description, int *number_out)
{
	sqlite3_stmt *stmt;
	const char *why;
	int64_t id;
	fs_err err;

	if ((why = check_code(code)))
		return fs_fail(FS_EINPUT, "category code '%s': %s", code, why);
	if (code[strspn(code, "0123456789")] == '\0')
		return fs_fail(FS_EINPUT, "category code '%s': must not be a "
				      "number (numbers are assigned)", code);
	if (!name || !*name)
		return fs_fail(FS_EINPUT, "category '%s' needs a name", code);
	if ((err = text_ok("--name", name, FS_TEXT_NAME)) ||
	    (err = text_ok("--description", description, FS_TEXT_NOTE)))
		return err;
	if ((err = category_resolve(store, code, &id)) == FS_OK)
		return fs_fail(FS_EEXISTS, "category '%s' exists", code);
	if (err != FS_ENOTFOUND)
		return err;
	struct same_code same = { code, "" };
	if ((err = fs_category_each(store, same_code_each, &same)))
		return err;
	if (*same.found)
		return fs_fail(FS_EEXISTS, "category '%s' exists as '%s' "
			       "(codes must differ by more than case)", code,
			       same.found);
	if ((err = store_stmt(store, Q_CATEGORY_ADD, &stmt)))
		return err;
	store_forget(store);
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, description ? description : "", -1,
			  SQLITE_STATIC);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return store_fail(store, "adding a category");
	}
	if (number_out)
		*number_out = sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	return FS_OK;
}

fs_err
fs_category_each(fs_store *store, fs_category_fn fn, void *ctx)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(store, Q_CATEGORY_LIST, &stmt)))
		return err;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fs_category c = {
			sqlite3_column_int(stmt, 0), store_text(stmt, 1),
			store_text(stmt, 2), store_text(stmt, 3),
			sqlite3_column_int(stmt, 4),
		};
		if ((err = fn(ctx, &c)))
			break;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		return store_fail(store, "listing categories");
	return err;
}

/* FS_ENOTFOUND for an unknown curriculum, naming those there are. */
static fs_err
no_curriculum(fs_store *store, const char *curriculum)
{
	sqlite3_stmt *stmt;
	char names[256] = "";
	size_t len = 0;
	fs_err err;

	if ((err = store_stmt(store, Q_CURRICULA, &stmt)))
		return err;
	while (sqlite3_step(stmt) == SQLITE_ROW && len < sizeof(names))
		len += (size_t)snprintf(names + len, sizeof(names) - len,
					"%s%s", len ? ", " : "",
					store_text(stmt, 0));
	sqlite3_reset(stmt);
	return fs_fail(FS_ENOTFOUND, "no curriculum '%s' (there are: %s)",
		       curriculum, names);
}

fs_err
fs_module_each(fs_store *store, const char *curriculum, fs_module_fn fn,
	       void *ctx)
{
	sqlite3_stmt *stmt;
	fs_err err;
	long n = 0;
	int rc;

	if ((err = store_stmt(store, Q_MODULE_LIST, &stmt)))
		return err;
	store_bind_text(stmt, 1, curriculum);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		n++;
		fs_module m = {
			store_text(stmt, 0), store_text(stmt, 1),
			store_text(stmt, 2), store_text(stmt, 3),
			sqlite3_column_int(stmt, 4),
		};
		if ((err = fn(ctx, &m)))
			break;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		return store_fail(store, "listing modules");
	if (!err && curriculum && n == 0)
		return no_curriculum(store, curriculum);
	return err;
}

/* The values of a place, checked; la and lo get the coordinates. */
static fs_err
check_place(const char *name, const char *address, const char *lat,
	    const char *lon, double *la, double *lo)
{
	const char *why;
	int blame = 0;
	fs_err err;

	if (!name || !*name)
		return fs_fail(FS_EINPUT, "a place needs a name");
	if ((err = text_ok("place name", name, FS_TEXT_NAME)) ||
	    (err = text_ok("--address", address, FS_TEXT_ADDRESS)))
		return err;
	if (lat && *lat && (why = parse_coordinate(lat, 90, la)))
		return fs_fail(FS_EINPUT, "--lat '%s': %s", lat, why);
	if (lon && *lon && (why = parse_coordinate(lon, 180, lo)))
		return fs_fail(FS_EINPUT, "--lon '%s': %s", lon, why);
	if ((why = check_coordinate_pair(lat, lon, &blame)))
		return fs_fail(FS_EINPUT, "--%s: %s", blame ? "lon" : "lat", why);
	return FS_OK;
}

/* Runs a two-parameter statement (id, then text or the time now) that
 * changes rows; *changed is set when it changed any. */
static fs_err
run_on(fs_store *store, enum query q, int64_t id, const char *text,
       bool *changed)
{
	sqlite3_stmt *stmt;
	char now[21];
	fs_err err;

	if (!text) {
		store_now(now);
		text = now;
	}
	if ((err = store_stmt(store, q, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, id);
	sqlite3_bind_text(stmt, 2, text, -1, SQLITE_TRANSIENT);
	if ((err = store_done(store, stmt, "saving")))
		return err;
	if (changed && sqlite3_changes(store->db) > 0)
		*changed = true;
	return FS_OK;
}

/* Sets address and position of place id (NULL: keep); *changed when
 * they changed.  A new address or position changes the LOCATION of every
 * item held there (removed ones too: feeds keep them): SEQUENCE rises. */
static fs_err
update_place(fs_store *store, int64_t id, const char *address,
	     const char *lat, double la, const char *lon, double lo,
	     bool renamed, bool *changed)
{
	sqlite3_stmt *stmt;
	fs_err err;

	*changed = renamed;
	if ((err = store_stmt(store, Q_PLACE_UPDATE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, address);
	bind_optional_double(stmt, 3, lat, la);
	bind_optional_double(stmt, 5, lon, lo);
	if ((err = store_done(store, stmt, "saving a place")))
		return err;
	if (sqlite3_changes(store->db) > 0)
		*changed = true;
	if (*changed)
		return run_on(store, Q_PLACE_TOUCH_ITEMS, id, NULL, NULL);
	return FS_OK;
}

fs_err
fs_place_put(fs_store *store, const char *name, const char *address,
	     const char *lat, const char *lon)
{
	double la = 0, lo = 0;
	bool changed;
	int64_t id;
	fs_err err;

	if ((err = check_place(name, address, lat, lon, &la, &lo)))
		return err;
	if ((err = fs_store_begin(store)))
		return err;
	if ((err = place_ensure(store, name, &id)) ||
	    (err = update_place(store, id, address, lat, la, lon, lo, false,
				&changed)))
		goto fail;
	return fs_store_commit(store);
fail:
	fs_store_rollback(store);
	return err;
}

/* Looks up a place or facilitator by name for edit and remove. */
static fs_err
find_named(fs_store *store, enum query q, const char *noun, const char *name,
	   int64_t *id_out)
{
	fs_err err = lookup_id(store, q, name, id_out);
	if (err == FS_ENOTFOUND)
		return fs_fail(FS_ENOTFOUND, "no %s '%s' (see 'fieldschool %s "
			       "list')", noun, name, noun);
	return err;
}

/* Gives place or facilitator id the name new_name, unless another has it;
 * *renamed when the name changed. */
static fs_err
rename_named(fs_store *store, enum query find, enum query rename,
	     const char *noun, int64_t id, const char *name,
	     const char *new_name, bool *renamed)
{
	int64_t other;
	fs_err err;

	*renamed = false;
	if (!new_name || !strcmp(new_name, name))
		return FS_OK;
	if ((err = lookup_id(store, find, new_name, &other)) == FS_OK)
		return fs_fail(FS_EEXISTS, "%s '%s' exists: remove it first, or "
			       "choose another name", noun, new_name);
	if (err != FS_ENOTFOUND)
		return err;
	*renamed = true;
	return run_on(store, rename, id, new_name, NULL);
}

fs_err
fs_place_edit(fs_store *store, const char *name, const char *new_name,
	      const char *address, const char *lat, const char *lon,
	      bool *changed)
{
	double la = 0, lo = 0;
	bool renamed;
	int64_t id;
	fs_err err;

	*changed = false;
	if ((err = check_place(new_name ? new_name : name, address, lat, lon,
			       &la, &lo)))
		return err;
	if ((err = fs_store_begin(store)))
		return err;
	if ((err = find_named(store, Q_PLACE_ID, "place", name, &id)) ||
	    (err = rename_named(store, Q_PLACE_ID, Q_PLACE_RENAME, "place", id,
				name, new_name, &renamed)) ||
	    (err = update_place(store, id, address, lat, la, lon, lo, renamed,
				changed)))
		goto fail;
	return fs_store_commit(store);
fail:
	fs_store_rollback(store);
	return err;
}

/* How many agenda items use place or facilitator id (q), and one ref. */
static fs_err
count_use(fs_store *store, enum query q, int64_t id, long *n, char ref[65])
{
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = store_stmt(store, q, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return store_fail(store, "counting agenda items");
	}
	*n = sqlite3_column_int(stmt, 0);
	snprintf(ref, 65, "%s", store_text(stmt, 1));
	sqlite3_reset(stmt);
	return FS_OK;
}

/* The shared body of place and facilitator remove. */
struct removal {
	const char *noun;
	enum query find, use, clear, delete;
	enum query touch; /* Q__COUNT: clear touches the items itself */
};

static fs_err
remove_named(fs_store *store, const struct removal *r, const char *name,
	     bool force, long *items_out)
{
	char ref[65];
	int64_t id;
	long n = 0;
	fs_err err;

	*items_out = 0;
	if ((err = fs_store_begin(store)))
		return err;
	if ((err = find_named(store, r->find, r->noun, name, &id)) ||
	    (err = count_use(store, r->use, id, &n, ref)))
		goto fail;
	if (n > 0 && !force) {
		err = fs_fail(FS_EINPUT, "%s '%s' is used by %ld agenda "
			      "item%s (such as '%s'; removed items count, as "
			      "feeds keep them): give --force to take it off "
			      "%s", r->noun, name, n, n == 1 ? "" : "s", ref,
			      n == 1 ? "it" : "them");
		goto fail;
	}
	if (n > 0 && r->touch != Q__COUNT &&
	    (err = run_on(store, r->touch, id, NULL, NULL)))
		goto fail;
	if (n > 0 && (err = run_on(store, r->clear, id, NULL, NULL)))
		goto fail;
	if ((err = run_on(store, r->delete, id, NULL, NULL)))
		goto fail;
	*items_out = n;
	return fs_store_commit(store);
fail:
	fs_store_rollback(store);
	return err;
}

fs_err
fs_place_remove(fs_store *store, const char *name, bool force,
		long *items_out)
{
	static const struct removal r = {
		"place", Q_PLACE_ID, Q_PLACE_USE,
		Q_PLACE_CLEAR_ITEMS, Q_PLACE_DELETE, Q__COUNT,
	};
	return remove_named(store, &r, name, force, items_out);
}

fs_err
fs_place_each(fs_store *store, fs_place_fn fn, void *ctx)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(store, Q_PLACE_LIST, &stmt)))
		return err;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fs_place p = {
			store_text(stmt, 0), store_text(stmt, 1),
			sqlite3_column_type(stmt, 2) != SQLITE_NULL,
			sqlite3_column_double(stmt, 2),
			sqlite3_column_double(stmt, 3),
			sqlite3_column_int(stmt, 4),
		};
		if ((err = fn(ctx, &p)))
			break;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		return store_fail(store, "listing places");
	return err;
}

static fs_err
check_facilitator(const char *name, const char *email,
		  const char *organization)
{
	const char *why;
	fs_err err;

	if (!name || !*name)
		return fs_fail(FS_EINPUT, "a facilitator needs a name");
	if (strchr(name, ';'))
		return fs_fail(FS_EINPUT, "facilitator '%s': ';' separates "
				      "names in agenda files", name);
	if ((err = text_ok("facilitator name", name, FS_TEXT_NAME)) ||
	    (err = text_ok("--email", email, FS_TEXT_NAME)) ||
	    (err = text_ok("--organization", organization, FS_TEXT_NAME)))
		return err;
	if (email && *email && (why = check_email(email)))
		return fs_fail(FS_EINPUT, "--email '%s': %s", email, why);
	return FS_OK;
}

/* Email and organization are not in the feeds: no SEQUENCE for them. */
static fs_err
update_facilitator(fs_store *store, int64_t id, const char *email,
		   const char *organization, bool *changed)
{
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = store_stmt(store, Q_FACILITATOR_UPDATE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, email);
	store_bind_text(stmt, 3, organization);
	if ((err = store_done(store, stmt, "saving a facilitator")))
		return err;
	if (sqlite3_changes(store->db) > 0)
		*changed = true;
	return FS_OK;
}

fs_err
fs_facilitator_put(fs_store *store, const char *name, const char *email,
		   const char *organization)
{
	bool changed = false;
	int64_t id;
	fs_err err;

	if ((err = check_facilitator(name, email, organization)))
		return err;
	if ((err = fs_store_begin(store)))
		return err;
	if ((err = facilitator_ensure(store, name, &id)) ||
	    (err = update_facilitator(store, id, email, organization,
				      &changed)))
		goto fail;
	return fs_store_commit(store);
fail:
	fs_store_rollback(store);
	return err;
}

fs_err
fs_facilitator_edit(fs_store *store, const char *name, const char *new_name,
		    const char *email, const char *organization, bool *changed)
{
	bool renamed;
	int64_t id;
	fs_err err;

	*changed = false;
	if ((err = check_facilitator(new_name ? new_name : name, email,
				     organization)))
		return err;
	if ((err = fs_store_begin(store)))
		return err;
	/* the name is in the DESCRIPTION of the items they lead, and in
	 * the address of their feed: a new name is a new version */
	if ((err = find_named(store, Q_FACILITATOR_ID, "facilitator", name,
			      &id)) ||
	    (err = rename_named(store, Q_FACILITATOR_ID, Q_FACILITATOR_RENAME,
				"facilitator", id, name, new_name,
				&renamed)) ||
	    (renamed && (err = run_on(store, Q_FACILITATOR_TOUCH_ITEMS, id,
				      NULL, NULL))) ||
	    (err = update_facilitator(store, id, email, organization,
				      changed)))
		goto fail;
	*changed = *changed || renamed;
	return fs_store_commit(store);
fail:
	fs_store_rollback(store);
	return err;
}

fs_err
fs_facilitator_remove(fs_store *store, const char *name, bool force,
		      long *items_out)
{
	static const struct removal r = {
		"facilitator", Q_FACILITATOR_ID, Q_FACILITATOR_USE,
		Q_FACILITATOR_CLEAR_ITEMS, Q_FACILITATOR_DELETE,
		Q_FACILITATOR_TOUCH_ITEMS,
	};
	return remove_named(store, &r, name, force, items_out);
}

fs_err
fs_facilitator_each(fs_store *store, fs_facilitator_fn fn, void *ctx)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(store, Q_FACILITATOR_LIST, &stmt)))
		return err;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		fs_facilitator f = {
			store_text(stmt, 0), store_text(stmt, 1),
			store_text(stmt, 2), sqlite3_column_int(stmt, 3),
		};
		if ((err = fn(ctx, &f)))
			break;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		return store_fail(store, "listing facilitators");
	return err;
}
