/*
 * agenda.c - agenda items.
 *
 * Updates are done in SQL so that "did anything change?" has one answer:
 * the UPDATE only touches a row whose stored values differ from the new
 * ones, and raises SEQUENCE when the differing values include the day,
 * times, title, place or status (RFC 5545 3.8.7.4: a change a calendar
 * client must not miss).  Facilitators live in their own table and move
 * LAST-MODIFIED only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/agenda.h"
#include "domain.h"
#include "store.h"
#include "value.h"
#include "zone.h"

static const fs_column columns[FS_ITEM__COUNT] = {
	[FS_ITEM_REF] = { "ref", false, false, false,
			  "your identifier of the item", FS_TEXT_LINE },
	[FS_ITEM_MISSION] = { "mission", true, false, false, "mission code",
			      FS_TEXT_LINE },
	[FS_ITEM_DAY] = { "day", false, true, false, "day of the mission, 1-4",
			  FS_TEXT_LINE },
	[FS_ITEM_DATE] = { "date", false, false, false,
			   "YYYY-MM-DD (instead of day)", FS_TEXT_LINE },
	[FS_ITEM_START] = { "start", true, false, false, "HH:MM, local time",
			    FS_TEXT_LINE },
	[FS_ITEM_END] = { "end", true, false, false, "HH:MM, after start",
			  FS_TEXT_LINE },
	[FS_ITEM_KIND] = { "kind", true, false, false,
			   "session, visit, travel, meal, break or ceremony",
			   FS_TEXT_LINE },
	[FS_ITEM_TITLE] = { "title", true, false, false,
			    "title", FS_TEXT_TITLE },
	[FS_ITEM_MODULE] = { "module", false, false, false,
			     "curriculum module number or code", FS_TEXT_LINE },
	[FS_ITEM_PLACE] = { "place", false, false, false,
			    "venue or site name", FS_TEXT_NAME },
	[FS_ITEM_ADDRESS] = { "address", false, false, false,
			      "the place's address", FS_TEXT_ADDRESS },
	[FS_ITEM_LAT] = { "lat", false, true, false, "the place's latitude",
			  FS_TEXT_LINE },
	[FS_ITEM_LON] = { "lon", false, true, false, "the place's longitude",
			  FS_TEXT_LINE },
	[FS_ITEM_HOST] = { "host", false, false, false,
			   "host organization of a visit", FS_TEXT_NAME },
	[FS_ITEM_CAPACITY] = { "capacity", false, true, false,
			       "people the site takes at once", FS_TEXT_LINE },
	[FS_ITEM_AUDIENCE] = { "audience", false, false, false,
			       "all, group:A;group:B or category:CODE",
			       FS_TEXT_LINE },
	[FS_ITEM_FACILITATORS] = { "facilitators", false, false, false,
				   "names separated by ';'", FS_TEXT_LINE },
	[FS_ITEM_DESCRIPTION] = { "description", false, false, false,
				  "description", FS_TEXT_NOTE },
	[FS_ITEM_UID] = { "uid", false, false, true, "calendar UID", FS_TEXT_LINE },
	[FS_ITEM_SEQUENCE] = { "sequence", false, true, true,
			       "calendar SEQUENCE", FS_TEXT_LINE },
	[FS_ITEM_STATUS] = { "status", false, false, true,
			     "active or cancelled", FS_TEXT_LINE },
	[FS_ITEM_CREATED] = { "created", false, false, true, "created (UTC)",
			      FS_TEXT_LINE },
	[FS_ITEM_UPDATED] = { "updated", false, false, true,
			      "last changed (UTC)", FS_TEXT_LINE },
};

static const char *const KINDS[] = { "session", "visit", "travel", "meal",
				     "break", "ceremony", NULL };

static bool
given(const char *v)
{
	return v && *v;
}

struct stored_item {
	int64_t id;
	int64_t day;
	int start, end;
	bool removed;
	int64_t place; /* 0: none */
};

static fs_err
find_item(fs_store *store, int64_t mission, const char *ref,
	  struct stored_item *out)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!given(ref))
		return FS_OK;
	if ((err = store_stmt(store, Q_ITEM_FIND, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, mission);
	sqlite3_bind_text(stmt, 2, ref, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		parse_date(store_text(stmt, 1), &out->day);
		parse_clock(store_text(stmt, 2), &out->start);
		parse_clock(store_text(stmt, 3), &out->end);
		out->removed = sqlite3_column_int(stmt, 4);
		out->place = sqlite3_column_int64(stmt, 5);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(store, "looking up an agenda item");
	return FS_OK;
}

/* A growing string for normalized lists ("group:A;group:B"). */
struct text {
	char buf[4096];
	size_t len;
};

static bool
text_add(struct text *t, const char *part)
{
	size_t n = strlen(part);
	if (t->len + n + 2 > sizeof(t->buf))
		return false;
	if (t->len)
		t->buf[t->len++] = ';';
	memcpy(t->buf + t->len, part, n + 1);
	t->len += n;
	return true;
}

/* Has list (';'-separated) the entry part already? */
static bool
text_has(const struct text *t, const char *part)
{
	size_t n = strlen(part);
	for (const char *p = t->buf; *p;) {
		const char *semi = strchr(p, ';');
		size_t len = semi ? (size_t)(semi - p) : strlen(p);
		if (len == n && !memcmp(p, part, n))
			return true;
		if (!semi)
			break;
		p = semi + 1;
	}
	return false;
}

static fs_err
parse_audience(fs_store *store, const char *text, struct text *out, long line,
	       fs_problems *problems)
{
	char *copy = strdup(text), *save = NULL, *part;
	fs_err err = FS_OK;
	bool all = false;

	out->len = 0;
	out->buf[0] = '\0';
	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (part = strtok_r(copy, ";", &save); part && !err;
	     part = strtok_r(NULL, ";", &save)) {
		char entry[200];
		part = trim(part);
		if (!*part)
			continue;
		if (!strcasecmp(part, "all")) {
			all = true;
			continue;
		}
		if (!strncasecmp(part, "group:", 6)) {
			const char *label = trim(part + 6);
			if (!*label || strlen(label) > 16 || check_code(label)) {
				err = fs_problems_add(
					problems, line, "audience",
					"'%s': a group label is 1-16 letters, "
					"digits or '-'", part);
				break;
			}
			snprintf(entry, sizeof(entry), "group:%s", label);
		} else if (!strncasecmp(part, "category:", 9)) {
			const char *code = trim(part + 9);
			sqlite3_stmt *stmt;
			int64_t id;
			if ((err = category_resolve(store, code, &id)) ==
			    FS_ENOTFOUND) {
				err = fs_problems_add(problems, line, "audience",
						      "unknown category '%s'",
						      code);
				break;
			} else if (err) {
				break;
			}
			/* store the code even when given as a number */
			if ((err = store_stmt(store, Q_CATEGORY_CODE, &stmt)))
				break;
			sqlite3_bind_int64(stmt, 1, id);
			if (sqlite3_step(stmt) == SQLITE_ROW)
				snprintf(entry, sizeof(entry), "category:%s",
					 store_text(stmt, 0));
			sqlite3_reset(stmt);
		} else {
			err = fs_problems_add(problems, line, "audience",
					      "'%s': expected all, group:LABEL "
					      "or category:CODE, separated by "
					      "';'", part);
			break;
		}
		if (!text_has(out, entry) && !text_add(out, entry))
			err = fs_problems_add(problems, line, "audience",
					      "too long");
	}
	free(copy);
	if (!err && all && out->len)
		err = fs_problems_add(problems, line, "audience",
				      "'all' cannot be combined with groups "
				      "or categories");
	if (!err && !out->len)
		text_add(out, "all");
	return err;
}

static fs_err
parse_facilitators(const char *text, struct text *out, long line,
		   fs_problems *problems)
{
	char *copy = strdup(text), *save = NULL, *part;
	fs_err err = FS_OK;

	out->len = 0;
	out->buf[0] = '\0';
	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (part = strtok_r(copy, ";", &save); part;
	     part = strtok_r(NULL, ";", &save)) {
		char why_text[160];
		const char *why;
		part = trim(part);
		if (!*part || text_has(out, part))
			continue;
		if ((why = check_text(part, FS_TEXT_NAME, why_text,
				      sizeof(why_text)))) {
			err = fs_problems_add(problems, line, "facilitators",
					      "%s", why);
			break;
		}
		if (!text_add(out, part)) {
			err = fs_problems_add(problems, line, "facilitators",
					      "the names take more than %zu "
					      "bytes in all", sizeof(out->buf) - 1);
			break;
		}
	}
	free(copy);
	return err;
}

static fs_err
resolve_module(fs_store *store, const char *text, int64_t *id_out)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(store, Q_MODULE_ID, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, text, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*id_out = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW)
		return FS_OK;
	return rc == SQLITE_DONE ? FS_ENOTFOUND
				 : store_fail(store, "looking up a module");
}

/* Replaces the facilitators of an item when the list differs. */
static fs_err
set_facilitators(fs_store *store, int64_t item, const struct text *names,
		 bool *changed)
{
	sqlite3_stmt *stmt;
	fs_err err;
	char *copy, *save = NULL, *name;
	int position = 0;

	if ((err = store_stmt(store, Q_ITEM_FACILITATORS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, item);
	*changed = sqlite3_step(stmt) != SQLITE_ROW ||
		   strcmp(store_text(stmt, 0), names->buf) != 0;
	sqlite3_reset(stmt);
	if (!*changed)
		return FS_OK;
	if ((err = store_stmt(store, Q_ITEM_FACILITATORS_CLEAR, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, item);
	if ((err = store_done(store, stmt, "saving facilitators")))
		return err;
	if (!(copy = strdup(names->buf)))
		return fs_fail(FS_ENOMEM, "out of memory");
	for (name = strtok_r(copy, ";", &save); name && !err;
	     name = strtok_r(NULL, ";", &save)) {
		int64_t id;
		if ((err = facilitator_ensure(store, name, &id)) ||
		    (err = store_stmt(store, Q_ITEM_FACILITATOR_ADD, &stmt)))
			break;
		sqlite3_bind_int64(stmt, 1, item);
		sqlite3_bind_int64(stmt, 2, id);
		sqlite3_bind_int(stmt, 3, position++);
		err = store_done(store, stmt, "saving facilitators");
	}
	free(copy);
	return err;
}

/* A row of the agenda, checked: what agenda_put() writes. */
struct item_row {
	struct mission_info mission;
	struct stored_item old;
	struct text audience, facilitators;
	int64_t day_date;      /* -1: the item keeps its day */
	int64_t module, place; /* 0: none (place: not known yet) */
	int start, end;        /* minutes; -1: the item keeps its own */
	long capacity;
	double lat, lon;
	bool clears; /* an empty address or position clears the place's */
};

/* The day: by number, by date, or both if they agree. */
static fs_err
check_day(const char *const *v, struct item_row *r, long line,
	  fs_problems *problems)
{
	const struct mission_info *m = &r->mission;
	const char *why;
	long day = 0;

	if (given(v[FS_ITEM_DAY])) {
		if (parse_int(v[FS_ITEM_DAY], 1, 99, &day) || day > m->days)
			PROBLEM(FS_ITEM_DAY, "'%s': %s has days 1 to %d",
				v[FS_ITEM_DAY], m->code, m->days);
		else
			r->day_date = m->first_day + day - 1;
	}
	if (given(v[FS_ITEM_DATE])) {
		int64_t d;
		char first[11], last[11];
		format_date(m->first_day, first);
		format_date(m->first_day + m->days - 1, last);
		if ((why = parse_date(v[FS_ITEM_DATE], &d)))
			PROBLEM(FS_ITEM_DATE, "'%s': %s", v[FS_ITEM_DATE], why);
		else if (d < m->first_day || d >= m->first_day + m->days)
			PROBLEM(FS_ITEM_DATE, "%s is outside the mission's days "
				"(%s to %s)", v[FS_ITEM_DATE], first, last);
		else if (r->day_date >= 0 && d != r->day_date)
			PROBLEM(FS_ITEM_DATE, "%s is not day %ld (%s)",
				v[FS_ITEM_DATE], day,
				(format_date(r->day_date, first), first));
		else
			r->day_date = d;
	}
	return FS_OK;
}

/* Start and end: clock times, the end after the start, and neither a
 * wall-clock time that the clocks skip (the change to summer time), which
 * would make clients disagree on the instant or end an event before it
 * starts.  The last two are checked only on a row without other problems
 * (those after BEFORE). */
static fs_err
check_times(fs_store *store, const char *const *v, struct item_row *r,
	    size_t before, long line, fs_problems *problems)
{
	const struct zone *zone;
	const char *why;
	int s, e;
	int64_t d;
	fs_err err;

	if (given(v[FS_ITEM_START]) &&
	    (why = parse_clock(v[FS_ITEM_START], &r->start)))
		PROBLEM(FS_ITEM_START, "'%s': %s", v[FS_ITEM_START], why);
	if (given(v[FS_ITEM_END]) &&
	    (why = parse_clock(v[FS_ITEM_END], &r->end)))
		PROBLEM(FS_ITEM_END, "'%s': %s", v[FS_ITEM_END], why);
	if (problems->n != before)
		return FS_OK;
	s = r->start >= 0 ? r->start : r->old.start;
	e = r->end >= 0 ? r->end : r->old.end;
	if (e <= s) {
		PROBLEM(r->end >= 0 ? FS_ITEM_END : FS_ITEM_START,
			"ends at %02d:%02d, not after its start %02d:%02d",
			e / 60, e % 60, s / 60, s % 60);
		return FS_OK;
	}
	d = r->day_date >= 0 ? r->day_date : r->old.day;
	if ((err = store_zone(store, r->mission.timezone, &zone)))
		return err;
	for (int c = FS_ITEM_START; c <= FS_ITEM_END; c++) {
		int mins = c == FS_ITEM_START ? s : e;
		int32_t shift;
		char date[11];
		if (zone_local_exists(zone, d * 86400 + mins * 60, &shift))
			continue;
		format_date(d, date);
		PROBLEM(c, "%02d:%02d does not exist on %s in %s (the clocks "
			"go forward %d minutes): use %02d:%02d", mins / 60,
			mins % 60, date, r->mission.timezone, shift / 60,
			(mins + shift / 60) / 60 % 24, (mins + shift / 60) % 60);
	}
	return FS_OK;
}

/* What: kind, title and module. */
static fs_err
check_what(fs_store *store, const char *const *v, struct item_row *r,
	   long line, fs_problems *problems)
{
	fs_err err;

	if (v[FS_ITEM_KIND]) {
		int i = 0;
		while (KINDS[i] && strcmp(KINDS[i], v[FS_ITEM_KIND]))
			i++;
		if (!KINDS[i])
			PROBLEM(FS_ITEM_KIND, "'%s': expected session, visit, "
				"travel, meal, break or ceremony",
				v[FS_ITEM_KIND]);
	}
	if (v[FS_ITEM_TITLE] && !*v[FS_ITEM_TITLE])
		PROBLEM(FS_ITEM_TITLE, "must not be empty");
	if (given(v[FS_ITEM_MODULE])) {
		err = resolve_module(store, v[FS_ITEM_MODULE], &r->module);
		if (err == FS_ENOTFOUND)
			PROBLEM(FS_ITEM_MODULE, "unknown module '%s' (a seminar "
				"module 1-4 or a code from 'fieldschool "
				"module list')", v[FS_ITEM_MODULE]);
		else if (err)
			return err;
	}
	return FS_OK;
}

/* The place: its coordinates, which place the address and position
 * belong to, and how many it takes.  Editing one item (update) reaches
 * the place it already has, and there an empty value clears; in a CSV row
 * or a new item an empty cell keeps what the place has, as many rows
 * share one place. */
static fs_err
check_place(const char *const *v, fs_put_mode mode, struct item_row *r,
	    long line, fs_problems *problems)
{
	const char *why;
	int blame = 0;

	if (given(v[FS_ITEM_LAT]) &&
	    (why = parse_coordinate(v[FS_ITEM_LAT], 90, &r->lat)))
		PROBLEM(FS_ITEM_LAT, "'%s': %s", v[FS_ITEM_LAT], why);
	if (given(v[FS_ITEM_LON]) &&
	    (why = parse_coordinate(v[FS_ITEM_LON], 180, &r->lon)))
		PROBLEM(FS_ITEM_LON, "'%s': %s", v[FS_ITEM_LON], why);
	if ((why = check_coordinate_pair(v[FS_ITEM_LAT], v[FS_ITEM_LON],
					 &blame)))
		PROBLEM(blame ? FS_ITEM_LON : FS_ITEM_LAT, "%s", why);
	r->clears = mode == FS_PUT_UPDATE;
	if (!given(v[FS_ITEM_PLACE]) && !v[FS_ITEM_PLACE] && r->clears &&
	    r->old.place && (v[FS_ITEM_ADDRESS] || v[FS_ITEM_LAT]))
		r->place = r->old.place;
	else if (!given(v[FS_ITEM_PLACE]) &&
		 (given(v[FS_ITEM_ADDRESS]) || given(v[FS_ITEM_LAT])))
		PROBLEM(FS_ITEM_PLACE, "an address or coordinates need the "
			"place's name");
	if (given(v[FS_ITEM_CAPACITY]) &&
	    (why = parse_int(v[FS_ITEM_CAPACITY], 1, 100000, &r->capacity)))
		PROBLEM(FS_ITEM_CAPACITY, "'%s': must be a number of people, "
			"1 or more", v[FS_ITEM_CAPACITY]);
	return FS_OK;
}

/* Who: the audience and the facilitators. */
static fs_err
check_whom(fs_store *store, const char *const *v, struct item_row *r,
	   long line, fs_problems *problems)
{
	fs_err err;

	if (v[FS_ITEM_AUDIENCE] &&
	    (err = parse_audience(store, v[FS_ITEM_AUDIENCE], &r->audience,
				  line, problems)) &&
	    err != FS_EINPUT)
		return err;
	if (v[FS_ITEM_FACILITATORS] &&
	    (err = parse_facilitators(v[FS_ITEM_FACILITATORS],
				      &r->facilitators, line, problems)) &&
	    err != FS_EINPUT)
		return err;
	return FS_OK;
}

/* Saves the place's address and position (inside the caller's
 * transaction).  A new address or position changes the LOCATION of every
 * item held there: subscribers must get them again (none when the place
 * is new: a scan of every item, skipped). */
static fs_err
save_place(fs_store *store, const char *const *v, struct item_row *r,
	   const char *now, fs_put_outcome *outcome)
{
	sqlite3_stmt *stmt;
	bool new_place = false;
	fs_err err;

	if (!given(v[FS_ITEM_PLACE]) && !r->place)
		return FS_OK;
	if ((!r->place &&
	     (err = place_ensure_new(store, v[FS_ITEM_PLACE], &r->place,
				     &new_place))) ||
	    (err = store_stmt(store, Q_PLACE_UPDATE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, r->place);
	store_bind_text(stmt, 2, given(v[FS_ITEM_ADDRESS]) || r->clears
					 ? v[FS_ITEM_ADDRESS] : NULL);
	/* lat and lon come together (checked above) */
	bind_optional_double(stmt, 3, given(v[FS_ITEM_LAT]) || r->clears ?
		v[FS_ITEM_LAT] : NULL, r->lat);
	bind_optional_double(stmt, 5, given(v[FS_ITEM_LON]) || r->clears ?
		v[FS_ITEM_LON] : NULL, r->lon);
	if ((err = store_done(store, stmt, "saving a place")))
		return err;
	if (sqlite3_changes(store->db) == 0)
		return FS_OK;
	if (!new_place) {
		if ((err = store_stmt(store, Q_PLACE_TOUCH_ITEMS, &stmt)))
			return err;
		sqlite3_bind_int64(stmt, 1, r->place);
		sqlite3_bind_text(stmt, 2, now, -1, SQLITE_STATIC);
		if ((err = store_done(store, stmt, "saving a place")))
			return err;
	}
	if (r->old.id)
		*outcome = FS_PUT_CHANGED;
	return FS_OK;
}

/* A row without a ref is always a new item: an import notes one that is
 * already there (its file imported again), for a warning. */
static fs_err
note_same_item(fs_store *store, int64_t mission, const char *date,
	       const char *start, const char *title)
{
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = store_stmt(store, Q_ITEM_SAME, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, mission);
	sqlite3_bind_text(stmt, 2, date, -1, SQLITE_STATIC);
	store_bind_text(stmt, 3, start);
	store_bind_text(stmt, 4, title);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return store_fail(store, "looking for the same item");
	}
	store->import_notes.same_items += sqlite3_column_int(stmt, 0);
	sqlite3_reset(stmt);
	return FS_OK;
}

/* Saves the item and its facilitators (inside the caller's transaction);
 * a new one gets a UID, and a ref made of it when it has none. */
static fs_err
save_item(fs_store *store, const char *const *v, struct item_row *r,
	  const char *now, fs_put_outcome *outcome, char ref[128])
{
	char date_text[11], uid[64] = "";
	sqlite3_stmt *stmt;
	fs_err err;

	if (r->day_date >= 0)
		format_date(r->day_date, date_text);
	if (!r->old.id) {
		unsigned char bytes[16];
		if ((err = store_random(bytes, sizeof(bytes))))
			return err;
		for (int i = 0; i < 16; i++)
			snprintf(uid + 2 * i, 3, "%02x", bytes[i]);
		strcpy(uid + 32, "@fieldschool");
		if (given(v[FS_ITEM_REF]))
			snprintf(ref, 128, "%s", v[FS_ITEM_REF]);
		else
			snprintf(ref, 128, "%s-%.8s", r->mission.code, uid);
	} else {
		snprintf(ref, 128, "%s", v[FS_ITEM_REF]);
	}
	if (!r->old.id && !given(v[FS_ITEM_REF]) && store->in_import &&
	    (err = note_same_item(store, r->mission.id, date_text,
				  v[FS_ITEM_START], v[FS_ITEM_TITLE])))
		return err;
	if ((err = store_stmt(store, r->old.id ? Q_ITEM_UPDATE : Q_ITEM_INSERT,
			      &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, r->old.id);
	sqlite3_bind_int64(stmt, 2, r->mission.id);
	sqlite3_bind_text(stmt, 3, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 4, uid, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 5, now, -1, SQLITE_STATIC);
	store_bind_text(stmt, 6, r->day_date >= 0 ? date_text : NULL);
	store_bind_text(stmt, 7, v[FS_ITEM_START]);
	store_bind_text(stmt, 8, v[FS_ITEM_END]);
	store_bind_text(stmt, 9, v[FS_ITEM_KIND]);
	store_bind_text(stmt, 10, v[FS_ITEM_TITLE]);
	bind_optional_int(stmt, 11, v[FS_ITEM_MODULE], r->module);
	bind_optional_int(stmt, 13, v[FS_ITEM_PLACE], r->place);
	store_bind_text(stmt, 15, v[FS_ITEM_HOST]);
	bind_optional_int(stmt, 16, v[FS_ITEM_CAPACITY], r->capacity);
	store_bind_text(stmt, 18, v[FS_ITEM_AUDIENCE] ? r->audience.buf : NULL);
	store_bind_text(stmt, 19, v[FS_ITEM_DESCRIPTION]);
	if ((err = store_done(store, stmt, "saving an agenda item")))
		return err;
	if (!r->old.id) {
		r->old.id = sqlite3_last_insert_rowid(store->db);
		*outcome = FS_PUT_ADDED;
	} else if (sqlite3_changes(store->db) > 0) {
		*outcome = FS_PUT_CHANGED;
	}
	if (v[FS_ITEM_FACILITATORS]) {
		bool changed;
		if ((err = set_facilitators(store, r->old.id, &r->facilitators,
					    &changed)))
			return err;
		if (changed && *outcome == FS_PUT_UNCHANGED) {
			*outcome = FS_PUT_CHANGED;
			if ((err = store_stmt(store, Q_ITEM_TOUCH, &stmt)))
				return err;
			sqlite3_bind_int64(stmt, 1, r->old.id);
			sqlite3_bind_text(stmt, 2, now, -1, SQLITE_STATIC);
			if ((err = store_done(store, stmt, "saving an item")))
				return err;
		}
	}
	return FS_OK;
}

static fs_err
agenda_put(fs_store *store, const char *const *v, fs_put_mode mode, long line,
	   fs_problems *problems, fs_put_outcome *outcome, char *ref_out)
{
	struct item_row r; /* its texts are filled as they are parsed */
	size_t before = problems->n;
	const char *why;
	char now[21], ref[128];
	fs_err err;

	*outcome = FS_PUT_UNCHANGED;
	memset(&r.mission, 0, sizeof(r.mission));
	r.day_date = -1;
	r.module = r.place = 0;
	r.start = r.end = -1;
	r.capacity = 0;
	r.lat = r.lon = 0;
	if (!given(v[FS_ITEM_MISSION])) {
		PROBLEM(FS_ITEM_MISSION, "an agenda item needs a mission");
		return FS_EINPUT;
	}
	err = mission_lookup(store, v[FS_ITEM_MISSION], &r.mission);
	if (err == FS_ENOTFOUND) {
		PROBLEM(FS_ITEM_MISSION, "unknown mission '%s' (see "
			"'fieldschool mission list')", v[FS_ITEM_MISSION]);
		return FS_EINPUT;
	} else if (err) {
		return err;
	}
	if (given(v[FS_ITEM_REF]) && (why = check_code(v[FS_ITEM_REF])))
		PROBLEM(FS_ITEM_REF, "'%s': %s", v[FS_ITEM_REF], why);
	if ((err = find_item(store, r.mission.id, v[FS_ITEM_REF], &r.old)))
		return err;
	if (r.old.id && mode == FS_PUT_CREATE)
		return fs_fail(FS_EEXISTS, "agenda item '%s' exists in %s",
			       v[FS_ITEM_REF], r.mission.code);
	if (!r.old.id && mode == FS_PUT_UPDATE)
		return fs_fail(FS_ENOTFOUND, "no agenda item '%s' in %s",
			       v[FS_ITEM_REF] ? v[FS_ITEM_REF] : "",
			       r.mission.code);
	if (!r.old.id) {
		for (int c = 0; c < FS_ITEM__COUNT; c++)
			if (columns[c].required && !given(v[c]))
				PROBLEM(c, "required for a new agenda item");
		if (!given(v[FS_ITEM_DAY]) && !given(v[FS_ITEM_DATE]))
			PROBLEM(FS_ITEM_DAY, "give the day (1-%d) or the date",
				r.mission.days);
	}
	if ((err = check_day(v, &r, line, problems)) ||
	    (err = check_times(store, v, &r, before, line, problems)) ||
	    (err = check_what(store, v, &r, line, problems)) ||
	    (err = check_place(v, mode, &r, line, problems)) ||
	    (err = check_whom(store, v, &r, line, problems)))
		return err;
	if (problems->n > before)
		return FS_EINPUT;

	if ((err = fs_store_begin(store)))
		return err;
	store_now(now);
	if ((err = save_place(store, v, &r, now, outcome)) ||
	    (err = save_item(store, v, &r, now, outcome, ref))) {
		fs_store_rollback(store);
		return err;
	}
	if (ref_out)
		snprintf(ref_out, 128, "%s", ref);
	return fs_store_commit(store);
}

static fs_err
agenda_each(fs_store *store, const char *mission, const char *key,
	    fs_row_fn fn, void *ctx)
{
	sqlite3_stmt *stmt;
	const char *v[FS_ITEM__COUNT];
	struct mission_info m;
	char lat[32], lon[32];
	fs_err err;
	int rc;
	bool any = false;

	if (mission && (err = mission_lookup(store, mission, &m)))
		return err;
	if ((err = store_stmt(store, Q_ITEM_ROWS, &stmt)))
		return err;
	if (mission)
		sqlite3_bind_int64(stmt, 1, m.id);
	store_bind_text(stmt, 2, key);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		any = true;
		for (int c = 0; c < FS_ITEM__COUNT; c++)
			v[c] = store_text(stmt, c);
		v[FS_ITEM_LAT] = column_double_text(stmt, FS_ITEM_LAT, lat);
		v[FS_ITEM_LON] = column_double_text(stmt, FS_ITEM_LON, lon);
		if ((err = fn(ctx, v))) {
			sqlite3_reset(stmt);
			return err;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "listing the agenda");
	if (key && !any)
		return fs_fail(FS_ENOTFOUND, "no agenda item '%s'", key);
	return FS_OK;
}

static const char *
agenda_identity(const char *const *v, char *buf, size_t size)
{
	if (!given(v[FS_ITEM_REF]))
		return NULL;
	snprintf(buf, size, "%s\x1f%s", v[FS_ITEM_MISSION] ? v[FS_ITEM_MISSION] : "",
		 v[FS_ITEM_REF]);
	return "ref";
}

const fs_format fs_agenda_format = {
	"agenda", "agenda item", columns, FS_ITEM__COUNT,
	agenda_put, agenda_each, agenda_identity, false,
	NULL,
};

fs_err
fs_agenda_locate(fs_store *store, const char *ref, const char *mission,
		 char mission_out[65])
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc, n = 0;

	if ((err = store_stmt(store, Q_ITEM_LOCATE, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
	store_bind_text(stmt, 2, mission);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if (n++ == 0)
			snprintf(mission_out, 65, "%s", store_text(stmt, 0));
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "looking up an agenda item");
	if (n == 0)
		return fs_fail(FS_ENOTFOUND, "no agenda item '%s'%s%s", ref,
			       mission ? " in " : "", mission ? mission : "");
	if (n > 1)
		return fs_fail(FS_EINPUT, "agenda item '%s' exists in %d "
				      "missions: give --mission", ref, n);
	return FS_OK;
}

static fs_err
change_item(fs_store *store, const char *mission, const char *ref,
	    enum query q, int flag)
{
	struct mission_info m;
	sqlite3_stmt *stmt;
	char now[21];
	fs_err err;

	if ((err = mission_lookup(store, mission, &m)) ||
	    (err = store_stmt(store, q, &stmt)))
		return err;
	store_now(now);
	sqlite3_bind_int64(stmt, 1, m.id);
	sqlite3_bind_text(stmt, 2, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
	sqlite3_bind_int(stmt, 4, flag);
	if ((err = store_done(store, stmt, "changing an agenda item")))
		return err;
	if (sqlite3_changes(store->db) == 0) {
		struct stored_item old;
		if ((err = find_item(store, m.id, ref, &old)))
			return err;
		if (!old.id || old.removed)
			return fs_fail(FS_ENOTFOUND, "no agenda item '%s' in %s",
				       ref, m.code);
	}
	return FS_OK;
}

fs_err
fs_agenda_set_cancelled(fs_store *store, const char *mission, const char *ref,
			bool cancelled)
{
	return change_item(store, mission, ref, Q_ITEM_SET_STATUS, cancelled);
}

/* An item that no feed has held yet goes without a trace; a published one
 * stays as a tombstone that feeds show cancelled. */
fs_err
fs_agenda_remove(fs_store *store, const char *mission, const char *ref)
{
	struct mission_info m;
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = mission_lookup(store, mission, &m)) ||
	    (err = store_stmt(store, Q_ITEM_DELETE_UNPUBLISHED, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m.id);
	sqlite3_bind_text(stmt, 2, ref, -1, SQLITE_STATIC);
	if ((err = store_done(store, stmt, "removing an agenda item")))
		return err;
	if (sqlite3_changes(store->db) > 0)
		return FS_OK;
	return change_item(store, mission, ref, Q_ITEM_REMOVE, 1);
}
