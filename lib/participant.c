/* participant.c - people and their registrations for missions. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/participant.h"
#include "domain.h"
#include "store.h"
#include "value.h"

static const fs_column columns[FS_PART__COUNT] = {
	[FS_PART_REF] = { "ref", false, false, false,
			  "your identifier of the person", FS_TEXT_LINE },
	[FS_PART_GIVEN_NAME] = { "given_name", true, false, false,
				 "given name", FS_TEXT_NAME },
	[FS_PART_FAMILY_NAME] = { "family_name", true, false, false,
				  "family name", FS_TEXT_NAME },
	[FS_PART_EMAIL] = { "email", false, false, false,
			    "email", FS_TEXT_NAME },
	[FS_PART_PHONE] = { "phone", false, false, false,
			    "phone number", FS_TEXT_NAME },
	[FS_PART_ORGANIZATION] = { "organization", false, false, false,
				   "organization", FS_TEXT_NAME },
	[FS_PART_POSITION] = { "position", false, false, false,
			       "position", FS_TEXT_NAME },
	[FS_PART_CATEGORY] = { "category", true, false, false,
			       "category code or number 1-7", FS_TEXT_LINE },
	[FS_PART_COUNTRY] = { "country", false, false, false,
			      "ISO 3166-1 alpha-2 country", FS_TEXT_LINE },
	[FS_PART_LANGUAGE] = { "language", false, false, false,
			       "BCP 47 language tag", FS_TEXT_LINE },
	[FS_PART_DIETARY] = { "dietary", false, false, false,
			      "dietary needs", FS_TEXT_NOTE },
	[FS_PART_ACCESSIBILITY] = { "accessibility", false, false, false,
				    "accessibility needs", FS_TEXT_NOTE },
	[FS_PART_MISSION] = { "mission", false, false, false,
			      "mission code to register for", FS_TEXT_LINE },
	[FS_PART_STATUS] = { "status", false, false, false,
			     "applied, confirmed, waitlisted or cancelled",
			     FS_TEXT_LINE },
	[FS_PART_ARRIVAL] = { "arrival", false, false, false,
			      "YYYY-MM-DD or YYYY-MM-DDTHH:MM, mission time",
			      FS_TEXT_LINE },
	[FS_PART_DEPARTURE] = { "departure", false, false, false,
				"YYYY-MM-DD or YYYY-MM-DDTHH:MM",
				FS_TEXT_LINE },
	[FS_PART_FUNDED] = { "funded", false, false, false,
			     "yes or no (default yes)", FS_TEXT_LINE },
	[FS_PART_GROUP] = { "group", false, false, false,
			    "site-visit group label (A, B, ...)",
			    FS_TEXT_LINE },
};

static const char *const STATUSES[] = { "applied", "confirmed", "waitlisted",
					"cancelled", NULL };

static bool
given(const char *v)
{
	return v && *v;
}

/* An email as a key: ASCII letters folded, as SQLite's NOCASE does. */
static void
email_key(const char *email, char *buf, size_t size)
{
	snprintf(buf, size, "%s", email);
	for (char *p = buf; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
}

/* Notes that person id has this email; aux counts the people sharing it. */
static fs_err
email_note(struct strmap *map, const char *email, int64_t id)
{
	char key[512];
	struct strmap_entry *e;

	email_key(email, key, sizeof(key));
	if ((e = strmap_get(map, key))) {
		if (e->line != (long)id)
			e->aux++;
		return FS_OK;
	}
	return strmap_put(map, key, (long)id, 1);
}

/* The map of every stored email, built on first use (store.h). */
static fs_err
email_map(fs_store *store, struct strmap **out)
{
	sqlite3_stmt *stmt;
	struct strmap *map;
	fs_err err;
	int rc;

	if ((*out = store->cache.emails))
		return FS_OK;
	if (!(map = calloc(1, sizeof(*map))))
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = store_stmt(store, Q_PARTICIPANT_EMAILS, &stmt))) {
		free(map);
		return err;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		if ((err = email_note(map, store_text(stmt, 1),
				      sqlite3_column_int64(stmt, 0))))
			break;
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading emails");
	if (err) {
		strmap_release(map);
		free(map);
		return err;
	}
	*out = store->cache.emails = map;
	return FS_OK;
}

/*
 * An import does not write its new people one INSERT each: SQLite spends
 * about as much starting and ending a statement (a cursor on the table and
 * on each index, the largest rowid sought again for the new one) as
 * writing its row.  A new person with a ref, and the registration that
 * comes with it, are kept back with the ids SQLite would give them (the
 * largest so far plus one, read when the first of a batch is kept), and
 * NEW_BATCH of them go in one INSERT per table.  What is kept is written
 * before any row reads the tables (a ref that may be stored, a person
 * found, a person without a ref), and at the end of the import
 * (participant_finish); a rollback drops it with the rest.  Memory is
 * fixed: a row too long for the text below is written at once.
 */
#define NEW_BATCH 128 /* as TIMES_128 in queries.c */
#define NEW_TEXT (64 * 1024)
#define PERSON_VARIABLES 13 /* a row of PERSON_ROW (registrations: 8) */
#define NO_TEXT UINT32_MAX

struct new_person {
	int64_t id, category;
	int64_t reg_id, mission; /* reg_id 0: no registration */
	bool is_funded;
	char country[3];
	uint32_t text[FS_PART__COUNT]; /* offsets into the text, or NO_TEXT */
};

struct new_people {
	int n;
	int64_t next_id, next_reg_id;
	struct new_person rows[NEW_BATCH];
	size_t len;
	char text[NEW_TEXT];
};

static const char *
new_text(const struct new_people *np, const struct new_person *p, int c)
{
	return p->text[c] == NO_TEXT ? "" : np->text + p->text[c];
}

static fs_err
next_id(fs_store *store, enum query q, int64_t *out)
{
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = store_stmt(store, q, &stmt)))
		return err;
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		err = store_fail(store, "numbering participants");
		sqlite3_reset(stmt);
		return err;
	}
	*out = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return FS_OK;
}

/* Binds a person from parameter at + 1 on, in PERSON_ROW's order. */
static void
bind_new_person(sqlite3_stmt *stmt, int at, const struct new_people *np,
		const struct new_person *p)
{
	sqlite3_bind_int64(stmt, at + 1, p->id);
	for (int c = FS_PART_REF; c <= FS_PART_ACCESSIBILITY; c++) {
		if (c == FS_PART_CATEGORY)
			sqlite3_bind_int64(stmt, at + 2 + c, p->category);
		else if (c == FS_PART_COUNTRY)
			sqlite3_bind_text(stmt, at + 2 + c, p->country, -1,
					  SQLITE_STATIC);
		else
			sqlite3_bind_text(stmt, at + 2 + c, new_text(np, p, c),
					  -1, SQLITE_STATIC);
	}
}

/* Binds a person's registration, in REGISTRATION_ROW's order. */
static void
bind_new_registration(sqlite3_stmt *stmt, int at,
		      const struct new_people *np, const struct new_person *p)
{
	const char *status = new_text(np, p, FS_PART_STATUS);

	sqlite3_bind_int64(stmt, at + 1, p->reg_id);
	sqlite3_bind_int64(stmt, at + 2, p->id);
	sqlite3_bind_int64(stmt, at + 3, p->mission);
	sqlite3_bind_text(stmt, at + 4, *status ? status : "applied", -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(stmt, at + 5, new_text(np, p, FS_PART_ARRIVAL), -1,
			  SQLITE_STATIC);
	sqlite3_bind_text(stmt, at + 6, new_text(np, p, FS_PART_DEPARTURE), -1,
			  SQLITE_STATIC);
	sqlite3_bind_int(stmt, at + 7, p->is_funded);
	sqlite3_bind_text(stmt, at + 8, new_text(np, p, FS_PART_GROUP), -1,
			  SQLITE_STATIC);
}

/* Writes the people kept back, then their registrations: a full batch
 * in one statement per table, fewer one by one. */
static fs_err
new_flush(fs_store *store)
{
	struct new_people *np = store->import_people;
	int index[NEW_BATCH], n_regs = 0;
	sqlite3_stmt *stmt;
	fs_err err;

	if (!np || np->n == 0)
		return FS_OK;
	/* a SQLite built with fewer variables than a batch's (before 3.32,
	 * 999 by default) takes the rows one by one */
	int batch = sqlite3_limit(store->db, SQLITE_LIMIT_VARIABLE_NUMBER, -1) >=
				    PERSON_VARIABLES * NEW_BATCH
			    ? NEW_BATCH
			    : INT_MAX;
	for (int i = 0; i < np->n; i++)
		if (np->rows[i].reg_id)
			index[n_regs++] = i;
	for (int i = 0; i < np->n;) {
		int k = np->n - i >= batch ? NEW_BATCH : 1;
		if ((err = store_stmt(store, k > 1 ? Q_PARTICIPANT_ADD_MANY
						  : Q_PARTICIPANT_ADD,
				      &stmt)))
			return err;
		for (int j = 0; j < k; j++)
			bind_new_person(stmt, PERSON_VARIABLES * j, np,
					&np->rows[i + j]);
		if ((err = store_done(store, stmt, "saving participants")))
			return err;
		i += k;
	}
	for (int i = 0; i < n_regs;) {
		int k = n_regs - i >= batch ? NEW_BATCH : 1;
		if ((err = store_stmt(store, k > 1 ? Q_REGISTRATION_ADD_MANY
						  : Q_REGISTRATION_ADD,
				      &stmt)))
			return err;
		for (int j = 0; j < k; j++)
			bind_new_registration(stmt, 8 * j, np,
					      &np->rows[index[i + j]]);
		if ((err = store_done(store, stmt, "saving registrations")))
			return err;
		i += k;
	}
	np->n = 0;
	np->len = 0;
	return FS_OK;
}

static fs_err
participant_finish(fs_store *store)
{
	return new_flush(store);
}

/* The columns a new person's row keeps (category and country apart). */
static bool
is_kept_text(int c)
{
	return (c <= FS_PART_ACCESSIBILITY && c != FS_PART_CATEGORY &&
		c != FS_PART_COUNTRY) ||
	       c == FS_PART_STATUS || c == FS_PART_ARRIVAL ||
	       c == FS_PART_DEPARTURE || c == FS_PART_GROUP;
}

/* Keeps a new person back (see above), giving it its id: *id_out 0 when
 * it must be written at once instead. */
static fs_err
new_keep(fs_store *store, const char *const *v, int64_t category,
	 const char country[3], int64_t mission, bool is_funded,
	 int64_t *id_out)
{
	struct new_people *np = store->import_people;
	struct new_person *p;
	size_t size = 0;
	fs_err err;

	*id_out = 0;
	for (int c = 0; c < FS_PART__COUNT; c++)
		if (is_kept_text(c) && v[c])
			size += strlen(v[c]) + 1;
	if (size > NEW_TEXT)
		return FS_OK;
	if (!np && !(np = store->import_people = calloc(1, sizeof(*np))))
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((np->n == NEW_BATCH || np->len + size > NEW_TEXT) &&
	    (err = new_flush(store)))
		return err;
	if (np->n == 0 &&
	    ((err = next_id(store, Q_PARTICIPANT_NEXT_ID, &np->next_id)) ||
	     (err = next_id(store, Q_REGISTRATION_NEXT_ID, &np->next_reg_id))))
		return err;
	p = &np->rows[np->n++];
	p->id = np->next_id++;
	p->category = category;
	p->reg_id = mission ? np->next_reg_id++ : 0;
	p->mission = mission;
	p->is_funded = is_funded;
	if (v[FS_PART_COUNTRY])
		memcpy(p->country, country, 3);
	else
		p->country[0] = '\0';
	for (int c = 0; c < FS_PART__COUNT; c++) {
		size_t len;
		p->text[c] = NO_TEXT;
		if (!is_kept_text(c) || !v[c])
			continue;
		len = strlen(v[c]) + 1;
		memcpy(np->text + np->len, v[c], len);
		p->text[c] = (uint32_t)np->len;
		np->len += len;
	}
	*id_out = p->id;
	return FS_OK;
}

/*
 * An import of many new people would look each ref up only to find it
 * absent.  During an import (store.h) a Bloom filter of the refs in the
 * database answers first: 2^23 bits (1 MB, whatever the number of rows)
 * and two hashes; "absent" is certain, "maybe" is looked up.  Refs are
 * added as people are; a person given no ref gets one made by SQL, and
 * then the filter is dropped for the rest of the import.
 */
#define REF_BITS (1u << 23)

static void
ref_bits(const char *ref, uint32_t bit[2])
{
	uint64_t h = hash_bytes(ref, strlen(ref), 0);
	bit[0] = (uint32_t)h & (REF_BITS - 1);
	bit[1] = (uint32_t)(h >> 32) & (REF_BITS - 1);
}

static void
ref_note(unsigned char *filter, const char *ref)
{
	uint32_t bit[2];
	ref_bits(ref, bit);
	for (int i = 0; i < 2; i++)
		filter[bit[i] / 8] |= (unsigned char)(1u << (bit[i] % 8));
}

static bool
ref_maybe(const unsigned char *filter, const char *ref)
{
	uint32_t bit[2];
	ref_bits(ref, bit);
	for (int i = 0; i < 2; i++)
		if (!(filter[bit[i] / 8] & (1u << (bit[i] % 8))))
			return false;
	return true;
}

/* The import's filter, made on first use; NULL outside an import. */
static fs_err
ref_filter(fs_store *store, unsigned char **out)
{
	sqlite3_stmt *stmt;
	unsigned char *filter;
	fs_err err;
	int rc;

	*out = NULL;
	if (!store->in_import || store->has_no_refs)
		return FS_OK;
	if ((*out = store->import_refs))
		return FS_OK;
	if (!(filter = calloc(REF_BITS / 8, 1)))
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = store_stmt(store, Q_PARTICIPANT_REFS, &stmt))) {
		free(filter);
		return err;
	}
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		ref_note(filter, store_text(stmt, 0));
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE) {
		free(filter);
		return store_fail(store, "reading refs");
	}
	*out = store->import_refs = filter;
	return FS_OK;
}

/* The stored person, found by ref or else by email: id 0 when none. */
static fs_err
find_person(fs_store *store, const char *ref, const char *email,
	    int64_t *id_out, long line, fs_problems *problems)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	*id_out = 0;
	if (given(ref)) {
		unsigned char *filter;
		if ((err = ref_filter(store, &filter)))
			return err;
		if (filter && !ref_maybe(filter, ref))
			return FS_OK;
		if ((err = new_flush(store)))
			return err;
		if ((err = store_stmt(store, Q_PARTICIPANT_BY_REF, &stmt)))
			return err;
		sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			*id_out = sqlite3_column_int64(stmt, 0);
		sqlite3_reset(stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(store, "looking up a participant");
	} else if (given(email)) {
		struct strmap *map;
		struct strmap_entry *e;
		char key[512];
		/* the map, once made, has the people kept back too */
		if ((!store->cache.emails && (err = new_flush(store))) ||
		    (err = email_map(store, &map)))
			return err;
		email_key(email, key, sizeof(key));
		if (!(e = strmap_get(map, key)))
			return FS_OK;
		if (e->aux > 1)
			return fs_problems_add(problems, line, "email",
					       "'%s' belongs to %d people: give "
					       "a ref to say which", email,
					       (int)e->aux);
		*id_out = e->line;
	}
	return FS_OK;
}

struct registration {
	int64_t id;
	char arrival[17], departure[17];
	bool has_group, has_status; /* a group; a status other than applied */
	int count; /* the person's registrations, when looked up by person */
};

static fs_err
find_registration(fs_store *store, int64_t person, int64_t mission,
		  struct registration *out)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	if (person == 0)
		return FS_OK;
	if ((err = store_stmt(store, Q_REGISTRATION_FIND, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, person);
	if (mission)
		sqlite3_bind_int64(stmt, 2, mission);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->count++;
		out->id = sqlite3_column_int64(stmt, 0);
		snprintf(out->arrival, sizeof(out->arrival), "%s",
			 store_text(stmt, 1));
		snprintf(out->departure, sizeof(out->departure), "%s",
			 store_text(stmt, 2));
		out->has_group = sqlite3_column_int(stmt, 3);
		out->has_status = sqlite3_column_int(stmt, 4);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "looking up a registration");
	return FS_OK;
}

/* Minutes since the epoch of a mission-local arrival or departure, or -1;
 * a date alone counts as its start (arrival) or its end (departure). */
static int64_t
moment(const char *text, bool is_end)
{
	int64_t days;
	int minutes;
	if (!*text || parse_date_time(text, &days, &minutes))
		return -1;
	if (minutes < 0)
		minutes = is_end ? 24 * 60 - 1 : 0;
	return days * 24 * 60 + minutes;
}

/* During an import, keeps a new person with a ref back rather than write
 * it (new_keep), noted in the filter of refs and the map of emails as a
 * written one is; *is_kept false when it must be written at once. */
static fs_err
put_new_kept(fs_store *store, const char *const *v, int64_t category,
	     const char country[3], int64_t mission, bool funded,
	     bool *is_kept)
{
	int64_t id;
	fs_err err;

	*is_kept = false;
	if (!given(v[FS_PART_REF]) || !v[FS_PART_GIVEN_NAME] ||
	    !v[FS_PART_FAMILY_NAME] || !v[FS_PART_CATEGORY])
		return FS_OK;
	if ((err = new_keep(store, v, category, country, mission, funded,
			    &id)) ||
	    !id)
		return err;
	*is_kept = true;
	if (store->import_refs)
		ref_note(store->import_refs, v[FS_PART_REF]);
	if (store->cache.emails && given(v[FS_PART_EMAIL]))
		return email_note(store->cache.emails, v[FS_PART_EMAIL], id);
	return FS_OK;
}

/* A row of participants.csv, checked: what participant_put() writes. */
struct part_row {
	int64_t person, category; /* person 0: a new one */
	struct mission_info mission;
	struct registration reg;
	char country[3];
	bool funded, reg_given;
};

/* The person's cells: ref, names, email, category, country, language. */
static fs_err
check_person_cells(fs_store *store, const char *const *v, struct part_row *r,
		   long line, fs_problems *problems)
{
	const char *why;
	fs_err err;

	if (given(v[FS_PART_REF]) && (why = check_code(v[FS_PART_REF])))
		PROBLEM(FS_PART_REF, "'%s': %s", v[FS_PART_REF], why);
	for (int c = FS_PART_GIVEN_NAME; c <= FS_PART_FAMILY_NAME; c++) {
		if (v[c] && !*v[c])
			PROBLEM(c, "must not be empty");
	}
	if (given(v[FS_PART_EMAIL]) && (why = check_email(v[FS_PART_EMAIL])))
		PROBLEM(FS_PART_EMAIL, "'%s': %s", v[FS_PART_EMAIL], why);
	if (v[FS_PART_CATEGORY]) {
		err = category_resolve(store, v[FS_PART_CATEGORY], &r->category);
		if (err == FS_ENOTFOUND)
			PROBLEM(FS_PART_CATEGORY,
				"unknown category '%s' (see 'fieldschool "
				"category list')", v[FS_PART_CATEGORY]);
		else if (err)
			return err;
	}
	if (given(v[FS_PART_COUNTRY])) {
		r->country[0] = (char)toupper_ascii(v[FS_PART_COUNTRY][0]);
		r->country[1] = r->country[0]
					? (char)toupper_ascii(v[FS_PART_COUNTRY][1])
					: '\0';
		r->country[2] = '\0';
		if (strlen(v[FS_PART_COUNTRY]) != 2 || check_country(r->country))
			PROBLEM(FS_PART_COUNTRY, "'%s': %s", v[FS_PART_COUNTRY],
				check_country("?"));
	}
	if (given(v[FS_PART_LANGUAGE]) &&
	    (why = check_language(v[FS_PART_LANGUAGE])))
		PROBLEM(FS_PART_LANGUAGE, "'%s': %s", v[FS_PART_LANGUAGE], why);
	return FS_OK;
}

/* The registration's cells: mission, status, travel, funding, group. */
static fs_err
check_registration_cells(fs_store *store, const char *const *v,
			 struct part_row *r, long line, fs_problems *problems)
{
	const char *why;
	int64_t days;
	int minutes;
	fs_err err;

	if (given(v[FS_PART_MISSION])) {
		err = mission_lookup(store, v[FS_PART_MISSION], &r->mission);
		if (err == FS_ENOTFOUND)
			PROBLEM(FS_PART_MISSION,
				"unknown mission '%s' (see 'fieldschool "
				"mission list')", v[FS_PART_MISSION]);
		else if (err)
			return err;
	}
	if (given(v[FS_PART_STATUS])) {
		int i = 0;
		while (STATUSES[i] && strcmp(STATUSES[i], v[FS_PART_STATUS]))
			i++;
		if (!STATUSES[i])
			PROBLEM(FS_PART_STATUS,
				"'%s': expected applied, confirmed, "
				"waitlisted or cancelled", v[FS_PART_STATUS]);
	}
	for (int c = FS_PART_ARRIVAL; c <= FS_PART_DEPARTURE; c++)
		if (given(v[c]) && (why = parse_date_time(v[c], &days, &minutes)))
			PROBLEM(c, "'%s': %s", v[c], why);
	if (given(v[FS_PART_FUNDED]) &&
	    (why = parse_yes_no(v[FS_PART_FUNDED], &r->funded)))
		PROBLEM(FS_PART_FUNDED, "'%s': %s", v[FS_PART_FUNDED], why);
	if (given(v[FS_PART_GROUP]) &&
	    (strlen(v[FS_PART_GROUP]) > 16 || check_code(v[FS_PART_GROUP])))
		PROBLEM(FS_PART_GROUP, "'%s': a group label is 1-16 letters, "
			"digits or '-'", v[FS_PART_GROUP]);
	for (int c = FS_PART_STATUS; c <= FS_PART_GROUP; c++)
		r->reg_given |= given(v[c]);
	return FS_OK;
}

/* Which registration the row speaks of, and its travel in order (checked
 * only on a row without other problems, those after before). */
static fs_err
check_registration(fs_store *store, const char *const *v, struct part_row *r,
		   size_t before, long line, fs_problems *problems)
{
	fs_err err;

	memset(&r->reg, 0, sizeof(r->reg));
	if (r->mission.id) {
		if ((err = find_registration(store, r->person, r->mission.id,
					     &r->reg)))
			return err;
	} else if (r->reg_given && problems->n == before) {
		if ((err = find_registration(store, r->person, 0, &r->reg)))
			return err;
		if (r->reg.count != 1) {
			PROBLEM(FS_PART_MISSION,
				r->reg.count ? "the person has %d "
					       "registrations: say which "
					       "mission"
					     : "registration details need a "
					       "mission to register for",
				r->reg.count);
		}
	}
	if (problems->n == before) {
		const char *arr = v[FS_PART_ARRIVAL] ? v[FS_PART_ARRIVAL]
						     : r->reg.arrival;
		const char *dep = v[FS_PART_DEPARTURE] ? v[FS_PART_DEPARTURE]
						       : r->reg.departure;
		int64_t a = moment(arr, false), d = moment(dep, true);
		if (a >= 0 && d >= 0 && d < a)
			PROBLEM(v[FS_PART_DEPARTURE] ? FS_PART_DEPARTURE
						     : FS_PART_ARRIVAL,
				"departure %s is before arrival %s", dep, arr);
	}
	return FS_OK;
}

/* Saves the person (inside the caller's transaction): a new one without a
 * ref is named after its id; ref_out, when not NULL, gets the ref. */
static fs_err
save_person(fs_store *store, const char *const *v, struct part_row *r,
	    fs_put_outcome *outcome, char *ref_out)
{
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = store_stmt(store, r->person ? Q_PARTICIPANT_UPDATE
					       : Q_PARTICIPANT_INSERT,
			      &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, r->person);
	if (given(v[FS_PART_REF])) {
		sqlite3_bind_text(stmt, 2, v[FS_PART_REF], -1, SQLITE_STATIC);
	} else if (!r->person) {
		/* unique until named after the new id, below */
		unsigned char bytes[12];
		char temp[32] = "~";
		if ((err = store_random(bytes, sizeof(bytes)))) {
			sqlite3_reset(stmt);
			return err;
		}
		for (int i = 0; i < 12; i++)
			snprintf(temp + 1 + 2 * i, 3, "%02x", bytes[i]);
		sqlite3_bind_text(stmt, 2, temp, -1, SQLITE_TRANSIENT);
	}
	for (int c = FS_PART_GIVEN_NAME; c <= FS_PART_ACCESSIBILITY; c++)
		if (c != FS_PART_CATEGORY && c != FS_PART_COUNTRY)
			store_bind_text(stmt, 2 + c, v[c]);
	if (v[FS_PART_CATEGORY])
		sqlite3_bind_int64(stmt, 2 + FS_PART_CATEGORY, r->category);
	store_bind_text(stmt, 2 + FS_PART_COUNTRY,
			v[FS_PART_COUNTRY] ? r->country : NULL);
	if ((err = store_done(store, stmt, "saving a participant")))
		return err;
	if (store->cache.emails && v[FS_PART_EMAIL]) {
		/* an email moved from one person to another would leave the
		 * map wrong: drop it on updates, extend it on inserts */
		if (r->person)
			store_forget(store);
		else if (given(v[FS_PART_EMAIL]) &&
			 (err = email_note(store->cache.emails, v[FS_PART_EMAIL],
					   sqlite3_last_insert_rowid(store->db))))
			return err;
	}
	if (!r->person) {
		r->person = sqlite3_last_insert_rowid(store->db);
		*outcome = FS_PUT_ADDED;
		if (store->import_refs && given(v[FS_PART_REF])) {
			ref_note(store->import_refs, v[FS_PART_REF]);
		} else if (store->import_refs) {
			free(store->import_refs);
			store->import_refs = NULL;
			store->has_no_refs = true;
		}
		if (!given(v[FS_PART_REF])) {
			if ((err = store_stmt(store, Q_PARTICIPANT_NAME_REF,
					      &stmt)))
				return err;
			sqlite3_bind_int64(stmt, 1, r->person);
			if ((err = store_done(store, stmt,
					      "naming a participant")))
				return err;
		}
	} else if (sqlite3_changes(store->db) > 0) {
		*outcome = FS_PUT_CHANGED;
	}
	if (ref_out) {
		if ((err = store_stmt(store, Q_PARTICIPANT_REF, &stmt)))
			return err;
		sqlite3_bind_int64(stmt, 1, r->person);
		snprintf(ref_out, 128, "%s",
			 sqlite3_step(stmt) == SQLITE_ROW ? store_text(stmt, 0)
							  : "");
		sqlite3_reset(stmt);
	}
	return FS_OK;
}

/* Saves the registration, when the row has one (inside the caller's
 * transaction). */
static fs_err
save_registration(fs_store *store, const char *const *v,
		  const struct part_row *r, fs_put_outcome *outcome)
{
	sqlite3_stmt *stmt;
	fs_err err;

	if (!r->mission.id && !r->reg.id)
		return FS_OK;
	if ((err = store_stmt(store, r->reg.id ? Q_REGISTRATION_UPDATE
					       : Q_REGISTRATION_INSERT,
			      &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, r->reg.id);
	sqlite3_bind_int64(stmt, 2, r->person);
	sqlite3_bind_int64(stmt, 3, r->mission.id);
	store_bind_text(stmt, 4, given(v[FS_PART_STATUS]) ? v[FS_PART_STATUS]
				 : v[FS_PART_STATUS]	   ? "applied"
							   : NULL);
	store_bind_text(stmt, 5, v[FS_PART_ARRIVAL]);
	store_bind_text(stmt, 6, v[FS_PART_DEPARTURE]);
	if (v[FS_PART_FUNDED])
		sqlite3_bind_int(stmt, 7, r->funded);
	store_bind_text(stmt, 8, v[FS_PART_GROUP]);
	if ((err = store_done(store, stmt, "saving a registration")))
		return err;
	if (sqlite3_changes(store->db) == 0)
		return FS_OK;
	if (*outcome == FS_PUT_UNCHANGED)
		*outcome = FS_PUT_CHANGED;
	/* an empty cell clears: an import says how often that undid a
	 * planned group or a decided status (exchange.c) */
	if (r->reg.id && v[FS_PART_GROUP] && !*v[FS_PART_GROUP] &&
	    r->reg.has_group)
		store->import_notes.groups++;
	if (r->reg.id && v[FS_PART_STATUS] && !*v[FS_PART_STATUS] &&
	    r->reg.has_status)
		store->import_notes.statuses++;
	return FS_OK;
}

static fs_err
participant_put(fs_store *store, const char *const *v, fs_put_mode mode,
		long line, fs_problems *problems, fs_put_outcome *outcome,
		char *ref_out)
{
	struct part_row r = { .funded = true };
	size_t before = problems->n;
	fs_err err;

	*outcome = FS_PUT_UNCHANGED;
	if ((err = check_person_cells(store, v, &r, line, problems)) ||
	    (err = check_registration_cells(store, v, &r, line, problems)) ||
	    (err = find_person(store, v[FS_PART_REF], v[FS_PART_EMAIL],
			       &r.person, line, problems)))
		return err;
	if (r.person && mode == FS_PUT_CREATE)
		return fs_fail(FS_EEXISTS, "participant '%s' exists",
			       given(v[FS_PART_REF]) ? v[FS_PART_REF]
						     : v[FS_PART_EMAIL]);
	if (!r.person && mode == FS_PUT_UPDATE)
		return fs_fail(FS_ENOTFOUND, "no participant '%s'",
			       v[FS_PART_REF] ? v[FS_PART_REF] : "");
	if (r.person && (err = new_flush(store)))
		return err;
	if (!r.person)
		for (int c = 0; c < FS_PART__COUNT; c++)
			if (columns[c].required && !given(v[c]) &&
			    !(v[c] && !*v[c]))
				PROBLEM(c, "required for a new participant");
	if ((err = check_registration(store, v, &r, before, line, problems)))
		return err;
	if (problems->n > before)
		return FS_EINPUT;

	if (!r.person && store->in_import && !ref_out) {
		bool is_kept;
		if ((err = put_new_kept(store, v, r.category, r.country,
					r.mission.id, r.funded, &is_kept)))
			return err;
		if (is_kept) {
			*outcome = FS_PUT_ADDED;
			return FS_OK;
		}
	}
	if ((err = new_flush(store)) || (err = fs_store_begin(store)))
		return err;
	if ((err = save_person(store, v, &r, outcome, ref_out)) ||
	    (err = save_registration(store, v, &r, outcome))) {
		fs_store_rollback(store);
		return err;
	}
	return fs_store_commit(store);
}

static fs_err
participant_each(fs_store *store, const char *mission, const char *key,
		 fs_row_fn fn, void *ctx)
{
	sqlite3_stmt *stmt;
	const char *v[FS_PART__COUNT];
	struct mission_info m;
	fs_err err;
	int rc;
	bool any = false;

	if (mission && (err = mission_lookup(store, mission, &m)))
		return err;
	if ((err = store_stmt(store, Q_PARTICIPANT_ROWS, &stmt)))
		return err;
	if (mission)
		sqlite3_bind_int64(stmt, 1, m.id);
	store_bind_text(stmt, 2, key);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		any = true;
		for (int c = 0; c < FS_PART__COUNT; c++)
			v[c] = store_text(stmt, c);
		if ((err = fn(ctx, v))) {
			sqlite3_reset(stmt);
			return err;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "listing participants");
	if (key && !any)
		return fs_fail(FS_ENOTFOUND, "no participant '%s'%s%s", key,
			       mission ? " in mission " : "",
			       mission ? mission : "");
	return FS_OK;
}

/* Writes tag, US, a, US, b to buf, cut to size (as snprintf would: this
 * runs on every row of an import). */
static void
join_key(char *buf, size_t size, char tag, const char *a, const char *b)
{
	size_t n = 0;
	const char *parts[2] = { a, b };

	if (size < 2) {
		if (size)
			buf[0] = '\0';
		return;
	}
	buf[n++] = tag;
	for (int i = 0; i < 2; i++) {
		if (n + 1 < size)
			buf[n++] = '\x1f';
		for (const char *p = parts[i]; *p && n + 1 < size; p++)
			buf[n++] = *p;
	}
	buf[n] = '\0';
}

static const char *
participant_identity(const char *const *v, char *buf, size_t size)
{
	const char *mission = v[FS_PART_MISSION] ? v[FS_PART_MISSION] : "";

	if (given(v[FS_PART_REF])) {
		join_key(buf, size, 'r', v[FS_PART_REF], mission);
		return "ref";
	}
	if (given(v[FS_PART_EMAIL])) {
		join_key(buf, size, 'e', v[FS_PART_EMAIL], mission);
		for (char *p = buf; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
		return "email";
	}
	return NULL;
}

const fs_format fs_participants_format = {
	"participants", "participant", columns, FS_PART__COUNT,
	participant_put, participant_each, participant_identity,
	true, /* category, person and mission are each looked up */
	participant_finish,
};

fs_err
fs_participant_remove(fs_store *store, const char *ref, const char *mission)
{
	struct mission_info m = { 0 };
	sqlite3_stmt *stmt;
	fs_err err;

	if (mission && (err = mission_lookup(store, mission, &m)))
		return err;
	if ((err = store_stmt(store, mission ? Q_REGISTRATION_DELETE
					     : Q_PARTICIPANT_DELETE,
			      &stmt)))
		return err;
	store_forget(store);
	sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 2, m.id);
	if ((err = store_done(store, stmt, "removing a participant")))
		return err;
	if (sqlite3_changes(store->db) == 0)
		return fs_fail(FS_ENOTFOUND, "no participant '%s'%s%s", ref,
			       mission ? " registered for " : "",
			       mission ? mission : "");
	return FS_OK;
}
