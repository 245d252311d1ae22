/* mission.c - missions: checking, storing and listing them. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/mission.h"
#include "domain.h"
#include "finance.h"
#include "store.h"
#include "value.h"
#include "zone.h"

static const fs_column columns[FS_MISSION__COUNT] = {
	[FS_MISSION_CODE] = { "code", true, false, false,
			      "short unique code, e.g. ph-2027", FS_TEXT_LINE },
	[FS_MISSION_TITLE] = { "title", true, false, false,
			       "title", FS_TEXT_TITLE },
	[FS_MISSION_COUNTRY] = { "country", true, false, false,
				 "ISO 3166-1 alpha-2 country, e.g. PH",
				 FS_TEXT_LINE },
	[FS_MISSION_CITY] = { "city", true, false, false,
			      "city", FS_TEXT_NAME },
	[FS_MISSION_TIMEZONE] = { "timezone", true, false, false,
				  "IANA time zone, e.g. Asia/Manila",
				  FS_TEXT_LINE },
	[FS_MISSION_START] = { "start", true, false, false,
			       "first day, YYYY-MM-DD", FS_TEXT_LINE },
	[FS_MISSION_DAYS] = { "days", true, true, false, "3 or 4", FS_TEXT_LINE },
	[FS_MISSION_VENUE] = { "venue", false, false, false,
			       "main venue", FS_TEXT_NAME },
	[FS_MISSION_ADDRESS] = { "address", false, false, false,
				 "the venue's address", FS_TEXT_ADDRESS },
	[FS_MISSION_LAT] = { "lat", false, true, false,
			     "the venue's latitude (WGS84)", FS_TEXT_LINE },
	[FS_MISSION_LON] = { "lon", false, true, false,
			     "the venue's longitude (WGS84)", FS_TEXT_LINE },
	[FS_MISSION_CAPACITY] = { "capacity", false, true, false, "seats",
				  FS_TEXT_LINE },
	[FS_MISSION_CURRENCY] = { "currency", false, false, false,
				  "ISO 4217 currency, e.g. PHP", FS_TEXT_LINE },
	[FS_MISSION_PER_DIEM] = { "per_diem", false, true, false,
				  "daily per-diem rate", FS_TEXT_LINE },
	[FS_MISSION_NIGHTLY_RATE] = { "nightly_rate", false, true, false,
				      "accommodation per night", FS_TEXT_LINE },
	[FS_MISSION_CONTACT_NAME] = { "contact_name", false, false, false,
				      "the organizer to contact",
				      FS_TEXT_NAME },
	[FS_MISSION_CONTACT_EMAIL] = { "contact_email", false, false, false,
				       "the organizer's email", FS_TEXT_NAME },
	[FS_MISSION_QUOTAS] = { "quotas", false, false, false,
				"seats per category: CODE=N;CODE=N",
				FS_TEXT_LINE },
	[FS_MISSION_TRAVEL_SHARE] = { "travel_share", false, true, false,
				      "percent of per diem paid per travel day "
				      "(default 75)", FS_TEXT_LINE },
	[FS_MISSION_MEAL_DEDUCTION] = { "meal_deduction", false, true, false,
					"deducted from per diem per day present "
					"(default 0)", FS_TEXT_LINE },
	[FS_MISSION_END] = { "end", false, false, true, "last day", FS_TEXT_LINE },
	[FS_MISSION_REGISTERED] = { "registered", false, true, true,
				    "registrations not cancelled",
				    FS_TEXT_LINE },
	[FS_MISSION_CONFIRMED] = { "confirmed", false, true, true,
				   "confirmed registrations", FS_TEXT_LINE },
	[FS_MISSION_ITEMS] = { "items", false, true, true, "agenda items",
			       FS_TEXT_LINE },
};

fs_err
mission_lookup(fs_store *store, const char *code, struct mission_info *out)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if (store->cache.has_mission && !strcmp(store->cache.mission.code, code)) {
		*out = store->cache.mission;
		return FS_OK;
	}
	if ((err = store_stmt(store, Q_MISSION_INFO, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		snprintf(out->code, sizeof(out->code), "%s", store_text(stmt, 1));
		parse_date(store_text(stmt, 2), &out->first_day);
		out->days = sqlite3_column_int(stmt, 3);
		snprintf(out->timezone, sizeof(out->timezone), "%s",
			 store_text(stmt, 4));
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_ROW) {
		store->cache.mission = *out;
		store->cache.has_mission = true;
		return FS_OK;
	}
	if (rc != SQLITE_DONE)
		return store_fail(store, "looking up a mission");
	return fs_fail(FS_ENOTFOUND, "no mission '%s'", code);
}

/* Checks "CODE=N;CODE=N" and returns the quotas as category ids. */
static fs_err
parse_quotas(fs_store *store, const char *text, long line,
	     fs_problems *problems, int64_t *cats, long *seats, int *n)
{
	char *copy = strdup(text), *save = NULL, *part;
	fs_err err = FS_OK;

	*n = 0;
	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (part = strtok_r(copy, ";", &save); part;
	     part = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(part, '=');
		const char *why;
		int64_t cat;
		long v;

		if (!*trim(part))
			continue;
		if (!eq) {
			err = fs_problems_add(problems, line, "quotas",
					      "'%s': expected CATEGORY=SEATS",
					      part);
			continue;
		}
		*eq = '\0';
		char *code = trim(part), *num = trim(eq + 1);
		if ((err = category_resolve(store, code, &cat)) == FS_ENOTFOUND) {
			err = fs_problems_add(problems, line, "quotas",
					      "unknown category '%s'", code);
			continue;
		} else if (err) {
			break;
		}
		if ((why = parse_int(num, 0, 1000000, &v))) {
			err = fs_problems_add(problems, line, "quotas",
					      "'%s': %s", num, why);
			continue;
		}
		bool twice = false;
		for (int i = 0; i < *n; i++)
			twice |= cats[i] == cat;
		if (twice) {
			err = fs_problems_add(problems, line, "quotas",
					      "category '%s' given twice", code);
			continue;
		}
		if (*n >= 64) {
			err = fs_problems_add(problems, line, "quotas",
					      "more than 64 quotas");
			break;
		}
		cats[*n] = cat;
		seats[(*n)++] = v;
	}
	free(copy);
	return err;
}

/* A row of missions.csv, checked: what mission_put() writes. */
struct mission_row {
	struct mission_info old; /* when it exists */
	int64_t start, per_diem, nightly, meals, cats[64];
	long days, capacity, share, seats[64];
	double lat, lon;
	int n_quotas;
	char country[3], currency[4];
};

/* Where and when: country, time zone, dates, position and capacity. */
static fs_err
check_where(const char *const *v, struct mission_row *r, long line,
	    fs_problems *problems)
{
	const char *why;
	int blame = 0;

	if (v[FS_MISSION_COUNTRY] && *v[FS_MISSION_COUNTRY]) {
		for (int i = 0; i < 2 && v[FS_MISSION_COUNTRY][i]; i++)
			r->country[i] =
				(char)toupper_ascii(v[FS_MISSION_COUNTRY][i]);
		if (strlen(v[FS_MISSION_COUNTRY]) != 2 ||
		    check_country(r->country))
			PROBLEM(FS_MISSION_COUNTRY, "'%s': %s",
				v[FS_MISSION_COUNTRY], check_country("?"));
	}
	if (v[FS_MISSION_TIMEZONE] && *v[FS_MISSION_TIMEZONE] &&
	    (why = check_zone(v[FS_MISSION_TIMEZONE])))
		PROBLEM(FS_MISSION_TIMEZONE, "'%s': %s", v[FS_MISSION_TIMEZONE],
			why);
	if (v[FS_MISSION_START] && *v[FS_MISSION_START] &&
	    (why = parse_date(v[FS_MISSION_START], &r->start)))
		PROBLEM(FS_MISSION_START, "'%s': %s", v[FS_MISSION_START], why);
	if (v[FS_MISSION_DAYS] && *v[FS_MISSION_DAYS] &&
	    (parse_int(v[FS_MISSION_DAYS], 3, 4, &r->days)))
		PROBLEM(FS_MISSION_DAYS, "'%s': a field school lasts 3 or 4 "
			"days", v[FS_MISSION_DAYS]);
	if (v[FS_MISSION_LAT] && *v[FS_MISSION_LAT] &&
	    (why = parse_coordinate(v[FS_MISSION_LAT], 90, &r->lat)))
		PROBLEM(FS_MISSION_LAT, "'%s': %s", v[FS_MISSION_LAT], why);
	if (v[FS_MISSION_LON] && *v[FS_MISSION_LON] &&
	    (why = parse_coordinate(v[FS_MISSION_LON], 180, &r->lon)))
		PROBLEM(FS_MISSION_LON, "'%s': %s", v[FS_MISSION_LON], why);
	if ((why = check_coordinate_pair(v[FS_MISSION_LAT], v[FS_MISSION_LON],
					 &blame)))
		PROBLEM(blame ? FS_MISSION_LON : FS_MISSION_LAT, "%s", why);
	if (v[FS_MISSION_CAPACITY] && *v[FS_MISSION_CAPACITY] &&
	    (why = parse_int(v[FS_MISSION_CAPACITY], 0, 100000, &r->capacity)))
		PROBLEM(FS_MISSION_CAPACITY, "'%s': %s", v[FS_MISSION_CAPACITY],
			why);
	return FS_OK;
}

/* Money: the currency, the rates and the finance rules. */
static fs_err
check_money(const char *const *v, struct mission_row *r, long line,
	    fs_problems *problems)
{
	const char *why;

	if (v[FS_MISSION_CURRENCY] && *v[FS_MISSION_CURRENCY]) {
		for (int i = 0; i < 3 && v[FS_MISSION_CURRENCY][i]; i++)
			r->currency[i] =
				(char)toupper_ascii(v[FS_MISSION_CURRENCY][i]);
		if (strlen(v[FS_MISSION_CURRENCY]) != 3 ||
		    (why = check_currency(r->currency)))
			PROBLEM(FS_MISSION_CURRENCY, "'%s': %s",
				v[FS_MISSION_CURRENCY], check_currency("?"));
	}
	if (v[FS_MISSION_PER_DIEM] && *v[FS_MISSION_PER_DIEM] &&
	    (why = parse_money(v[FS_MISSION_PER_DIEM], &r->per_diem)))
		PROBLEM(FS_MISSION_PER_DIEM, "'%s': %s", v[FS_MISSION_PER_DIEM],
			why);
	if (v[FS_MISSION_NIGHTLY_RATE] && *v[FS_MISSION_NIGHTLY_RATE] &&
	    (why = parse_money(v[FS_MISSION_NIGHTLY_RATE], &r->nightly)))
		PROBLEM(FS_MISSION_NIGHTLY_RATE, "'%s': %s",
			v[FS_MISSION_NIGHTLY_RATE], why);
	if (v[FS_MISSION_TRAVEL_SHARE] && *v[FS_MISSION_TRAVEL_SHARE] &&
	    (why = parse_int(v[FS_MISSION_TRAVEL_SHARE], 0, 100, &r->share)))
		PROBLEM(FS_MISSION_TRAVEL_SHARE, "'%s': a percentage from 0 to "
			"100", v[FS_MISSION_TRAVEL_SHARE]);
	if (v[FS_MISSION_MEAL_DEDUCTION] && *v[FS_MISSION_MEAL_DEDUCTION] &&
	    (why = parse_money(v[FS_MISSION_MEAL_DEDUCTION], &r->meals)))
		PROBLEM(FS_MISSION_MEAL_DEDUCTION, "'%s': %s",
			v[FS_MISSION_MEAL_DEDUCTION], why);
	return FS_OK;
}

/*
 * A currency without minor units takes whole amounts only: the currency
 * and the amounts as they will be, given in the row or stored (an edit
 * may give one without the other).
 */
static fs_err
check_whole_amounts(fs_store *store, const char *const *v,
		    const struct mission_row *r, bool exists, long line,
		    fs_problems *problems)
{
	static const int cols[3] = { FS_MISSION_PER_DIEM,
				     FS_MISSION_NIGHTLY_RATE,
				     FS_MISSION_MEAL_DEDUCTION };
	int64_t cents[3] = { r->per_diem, r->nightly, r->meals };
	char currency[4];
	bool given_currency = v[FS_MISSION_CURRENCY] && *v[FS_MISSION_CURRENCY];
	sqlite3_stmt *stmt;
	fs_err err;

	snprintf(currency, sizeof(currency), "%s", r->currency);
	if (exists) {
		if ((err = store_stmt(store, Q_MISSION_MONEY, &stmt)))
			return err;
		sqlite3_bind_int64(stmt, 1, r->old.id);
		if (sqlite3_step(stmt) == SQLITE_ROW) {
			if (!given_currency)
				snprintf(currency, sizeof(currency), "%s",
					 store_text(stmt, 0));
			for (int i = 0; i < 3; i++)
				if (!v[cols[i]])
					cents[i] = sqlite3_column_int64(stmt,
									i + 1);
		}
		sqlite3_reset(stmt);
	}
	if (!*currency || !finance_whole_currency(currency))
		return FS_OK;
	for (int i = 0; i < 3; i++) {
		char amount[32];
		if (cents[i] <= 0 || cents[i] % 100 == 0 ||
		    (v[cols[i]] && !*v[cols[i]]))
			continue;
		if (v[cols[i]])
			PROBLEM(cols[i], "'%s': %s has no minor units, give a "
				"whole amount", v[cols[i]], currency);
		else if (given_currency)
			PROBLEM(FS_MISSION_CURRENCY, "'%s': %s has no minor "
				"units, and the %s is %s: give a whole amount "
				"with it", v[FS_MISSION_CURRENCY], currency,
				columns[cols[i]].name,
				(format_money(cents[i], amount), amount));
	}
	return FS_OK;
}

/* How many rows of query q fall outside first..last. */
static fs_err
count_outside(fs_store *store, enum query q, int64_t mission_id,
	      const char *first, const char *last, long *out)
{
	sqlite3_stmt *stmt;
	fs_err err;

	*out = 0;
	if ((err = store_stmt(store, q, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, mission_id);
	sqlite3_bind_text(stmt, 2, first, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, last, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*out = sqlite3_column_int(stmt, 0);
	else
		err = store_fail(store, "checking the mission's days");
	sqlite3_reset(stmt);
	return err;
}

/* Moving or shortening a mission must not strand its agenda, nor the
 * attendance recorded on its days. */
static fs_err
check_days_inside(fs_store *store, const char *const *v,
		  const struct mission_row *r, long line,
		  fs_problems *problems)
{
	int64_t new_start = v[FS_MISSION_START] ? r->start : r->old.first_day;
	long new_days = v[FS_MISSION_DAYS] ? r->days : r->old.days;
	long items, marks;
	char first[11], last[11];
	int blame = v[FS_MISSION_START] ? FS_MISSION_START : FS_MISSION_DAYS;
	fs_err err;

	format_date(new_start, first);
	format_date(new_start + new_days - 1, last);
	if ((err = count_outside(store, Q_MISSION_ITEMS_OUTSIDE, r->old.id,
				 first, last, &items)) ||
	    (err = count_outside(store, Q_MISSION_ATTENDANCE_OUTSIDE,
				 r->old.id, first, last, &marks)))
		return err;
	if (items > 0)
		PROBLEM(blame,
			"%ld agenda item%s would fall outside %s to %s: move "
			"them first, or move the whole mission with "
			"'fieldschool mission shift %s --start DATE'", items,
			items == 1 ? "" : "s", first, last, v[FS_MISSION_CODE]);
	if (marks > 0)
		PROBLEM(blame,
			"%ld attendance record%s would fall outside %s to %s: "
			"days already recorded stay in the mission (to move "
			"the whole mission with its attendance: 'fieldschool "
			"mission shift %s --start DATE')", marks,
			marks == 1 ? "" : "s", first, last, v[FS_MISSION_CODE]);
	return FS_OK;
}

/* Saves the mission and its quotas (inside the caller's transaction). */
static fs_err
save_mission(fs_store *store, const char *const *v,
	     const struct mission_row *r, bool exists, fs_put_outcome *outcome)
{
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = store_stmt(store, exists ? Q_MISSION_UPDATE : Q_MISSION_INSERT,
			      &stmt)))
		return err;
	/* ?1 code; a NULL parameter keeps the stored value on update. */
	store_bind_text(stmt, 1, v[FS_MISSION_CODE]);
	store_bind_text(stmt, 2, v[FS_MISSION_TITLE]);
	store_bind_text(stmt, 3, v[FS_MISSION_COUNTRY] ? r->country : NULL);
	store_bind_text(stmt, 4, v[FS_MISSION_CITY]);
	store_bind_text(stmt, 5, v[FS_MISSION_TIMEZONE]);
	store_bind_text(stmt, 6, v[FS_MISSION_START]);
	if (v[FS_MISSION_DAYS])
		sqlite3_bind_int(stmt, 7, (int)r->days);
	store_bind_text(stmt, 8, v[FS_MISSION_VENUE]);
	store_bind_text(stmt, 9, v[FS_MISSION_ADDRESS]);
	/* lat/lon/capacity/money: absent keeps (NULL + flag 0), empty clears */
	bind_optional_double(stmt, 10, v[FS_MISSION_LAT], r->lat);
	bind_optional_double(stmt, 12, v[FS_MISSION_LON], r->lon);
	bind_optional_int(stmt, 14, v[FS_MISSION_CAPACITY], r->capacity);
	store_bind_text(stmt, 16, v[FS_MISSION_CURRENCY] ? r->currency : NULL);
	bind_optional_int(stmt, 17, v[FS_MISSION_PER_DIEM], r->per_diem);
	bind_optional_int(stmt, 19, v[FS_MISSION_NIGHTLY_RATE], r->nightly);
	store_bind_text(stmt, 21, v[FS_MISSION_CONTACT_NAME]);
	store_bind_text(stmt, 22, v[FS_MISSION_CONTACT_EMAIL]);
	/* finance rules: absent keeps, empty restores the default */
	if (v[FS_MISSION_TRAVEL_SHARE])
		sqlite3_bind_int(stmt, 23, *v[FS_MISSION_TRAVEL_SHARE]
						   ? (int)r->share : 75);
	if (v[FS_MISSION_MEAL_DEDUCTION])
		sqlite3_bind_int64(stmt, 24, *v[FS_MISSION_MEAL_DEDUCTION]
						     ? r->meals : 0);
	store_forget(store);
	if ((err = store_done(store, stmt, "saving a mission")))
		return err;
	if (sqlite3_changes(store->db) > 0)
		*outcome = exists ? FS_PUT_CHANGED : FS_PUT_ADDED;
	if (v[FS_MISSION_QUOTAS]) {
		int64_t id = exists ? r->old.id
				    : sqlite3_last_insert_rowid(store->db);
		bool changed = false;
		if ((err = replace_quotas(store, id, r->cats, r->seats,
					  r->n_quotas, &changed)))
			return err;
		if (changed && *outcome == FS_PUT_UNCHANGED)
			*outcome = FS_PUT_CHANGED;
	}
	return FS_OK;
}

static fs_err
mission_put(fs_store *store, const char *const *v, fs_put_mode mode,
	    long line, fs_problems *problems, fs_put_outcome *outcome,
	    char *ref_out)
{
	struct mission_row r = { .per_diem = -1, .nightly = -1,
				 .capacity = -1, .share = 75 };
	const char *why, *code = v[FS_MISSION_CODE];
	size_t before = problems->n;
	bool exists;
	fs_err err;

	*outcome = FS_PUT_UNCHANGED;
	if (!code || !*code) {
		PROBLEM(FS_MISSION_CODE, "a mission needs a code");
		return FS_EINPUT;
	}
	if ((why = check_code(code))) {
		PROBLEM(FS_MISSION_CODE, "'%s': %s", code, why);
		return FS_EINPUT;
	}
	err = mission_lookup(store, code, &r.old);
	if (err && err != FS_ENOTFOUND)
		return err;
	exists = err == FS_OK;
	if (exists && mode == FS_PUT_CREATE)
		return fs_fail(FS_EEXISTS, "mission '%s' exists", code);
	if (!exists && mode == FS_PUT_UPDATE)
		return fs_fail(FS_ENOTFOUND, "no mission '%s'", code);
	for (int c = 0; c < FS_MISSION__COUNT; c++) {
		if (!exists && columns[c].required && (!v[c] || !*v[c]))
			PROBLEM(c, "required for a new mission");
		if (exists && columns[c].required && v[c] && !*v[c])
			PROBLEM(c, "must not be empty");
	}
	if ((err = check_where(v, &r, line, problems)) ||
	    (err = check_money(v, &r, line, problems)))
		return err;
	if (problems->n == before &&
	    (err = check_whole_amounts(store, v, &r, exists, line, problems)))
		return err;
	if (v[FS_MISSION_CONTACT_EMAIL] && *v[FS_MISSION_CONTACT_EMAIL] &&
	    (why = check_email(v[FS_MISSION_CONTACT_EMAIL])))
		PROBLEM(FS_MISSION_CONTACT_EMAIL, "'%s': %s",
			v[FS_MISSION_CONTACT_EMAIL], why);
	if (v[FS_MISSION_QUOTAS] && *v[FS_MISSION_QUOTAS]) {
		err = parse_quotas(store, v[FS_MISSION_QUOTAS], line, problems,
				   r.cats, r.seats, &r.n_quotas);
		if (err == FS_ENOMEM || err == FS_EDB)
			return err;
	}
	if (exists && (v[FS_MISSION_START] || v[FS_MISSION_DAYS]) &&
	    problems->n == before &&
	    (err = check_days_inside(store, v, &r, line, problems)))
		return err;
	if (problems->n > before)
		return FS_EINPUT;

	if ((err = fs_store_begin(store)))
		return err;
	if ((err = save_mission(store, v, &r, exists, outcome))) {
		fs_store_rollback(store);
		return err;
	}
	if ((err = fs_store_commit(store)))
		return err;
	if (ref_out)
		snprintf(ref_out, 128, "%s", code);
	return FS_OK;
}

static fs_err
mission_each(fs_store *store, const char *mission, const char *key,
	     fs_row_fn fn, void *ctx)
{
	sqlite3_stmt *stmt;
	const char *v[FS_MISSION__COUNT];
	char lat[32], lon[32], per_diem[32], nightly[32], meals[32], end[11];
	const char *code = key ? key : mission;
	fs_err err;
	int rc;
	bool any = false;

	if ((err = store_stmt(store, Q_MISSION_ROWS, &stmt)))
		return err;
	store_bind_text(stmt, 1, code);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t first = 0;
		any = true;
		for (int c = 0; c < FS_MISSION__COUNT; c++)
			v[c] = store_text(stmt, c);
		v[FS_MISSION_LAT] = column_double_text(stmt, FS_MISSION_LAT, lat);
		v[FS_MISSION_LON] = column_double_text(stmt, FS_MISSION_LON, lon);
		v[FS_MISSION_PER_DIEM] =
			column_money_text(stmt, FS_MISSION_PER_DIEM, per_diem);
		v[FS_MISSION_NIGHTLY_RATE] = column_money_text(
			stmt, FS_MISSION_NIGHTLY_RATE, nightly);
		v[FS_MISSION_MEAL_DEDUCTION] = column_money_text(
			stmt, FS_MISSION_MEAL_DEDUCTION, meals);
		parse_date(v[FS_MISSION_START], &first);
		format_date(first + sqlite3_column_int(stmt, FS_MISSION_DAYS) - 1,
			    end);
		v[FS_MISSION_END] = end;
		if ((err = fn(ctx, v))) {
			sqlite3_reset(stmt);
			return err;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "listing missions");
	if (code && !any)
		return fs_fail(FS_ENOTFOUND, "no mission '%s'", code);
	return FS_OK;
}

static const char *
mission_identity(const char *const *v, char *buf, size_t size)
{
	if (!v[FS_MISSION_CODE] || !*v[FS_MISSION_CODE])
		return NULL;
	snprintf(buf, size, "%s", v[FS_MISSION_CODE]);
	return "code";
}

const fs_format fs_missions_format = {
	"missions", "mission", columns, FS_MISSION__COUNT,
	mission_put, mission_each, mission_identity, false,
	NULL,
};

fs_err
fs_mission_usage_get(fs_store *store, const char *code, fs_mission_usage *out)
{
	struct mission_info m;
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = mission_lookup(store, code, &m)))
		return err;
	if ((err = store_stmt(store, Q_MISSION_USAGE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m.id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return store_fail(store, "counting a mission's records");
	}
	out->registrations = sqlite3_column_int(stmt, 0);
	out->items = sqlite3_column_int(stmt, 1);
	sqlite3_reset(stmt);
	return FS_OK;
}

fs_err
fs_mission_remove(fs_store *store, const char *code)
{
	struct mission_info m;
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = mission_lookup(store, code, &m)))
		return err;
	if ((err = store_stmt(store, Q_MISSION_DELETE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m.id);
	store_forget(store);
	return store_done(store, stmt, "removing a mission");
}

/* Refuses a shift that would put an item's start or end at a wall-clock
 * time the clocks skip (as adding such an item is refused). */
static fs_err
shift_check_clocks(fs_store *store, const struct mission_info *m, long delta)
{
	const struct zone *zone;
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_zone(store, m->timezone, &zone)) ||
	    (err = store_stmt(store, Q_SHIFT_ITEMS_LIST, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		int64_t day;
		int mins[2];
		if (parse_date(store_text(stmt, 1), &day) ||
		    parse_clock(store_text(stmt, 2), &mins[0]) ||
		    parse_clock(store_text(stmt, 3), &mins[1]))
			continue;
		day += delta;
		for (int k = 0; k < 2; k++) {
			int32_t shift;
			char date[11];
			if (zone_local_exists(zone, day * 86400 + mins[k] * 60,
					      &shift))
				continue;
			format_date(day, date);
			err = fs_fail(FS_EINPUT, "agenda item '%s' would %s at "
				      "%02d:%02d on %s, a time that does not "
				      "exist in %s (the clocks go forward): "
				      "move it first", store_text(stmt, 0),
				      k ? "end" : "start", mins[k] / 60,
				      mins[k] % 60, date, m->timezone);
			sqlite3_reset(stmt);
			return err;
		}
	}
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? FS_OK
				 : store_fail(store, "reading the agenda");
}

static fs_err
shift_run(fs_store *store, enum query q, int64_t mission, const char *by,
	  const char *now, long *changed)
{
	sqlite3_stmt *stmt;
	fs_err err = store_stmt(store, q, &stmt);
	if (err)
		return err;
	sqlite3_bind_int64(stmt, 1, mission);
	if (by)
		sqlite3_bind_text(stmt, 2, by, -1, SQLITE_STATIC);
	if (now)
		sqlite3_bind_text(stmt, 3, now, -1, SQLITE_STATIC);
	if ((err = store_done(store, stmt, "moving the mission")))
		return err;
	if (changed)
		*changed = sqlite3_changes(store->db);
	return FS_OK;
}

fs_err
fs_mission_shift(fs_store *store, const char *code, const char *new_start,
		 fs_mission_shift_result *out)
{
	struct mission_info m;
	const char *why;
	char by[32], now[21];
	int64_t start;
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((why = parse_date(new_start, &start)))
		return fs_fail(FS_EINPUT, "--start '%s': %s", new_start, why);
	if ((err = fs_store_begin(store)))
		return err;
	if ((err = mission_lookup(store, code, &m)))
		goto fail;
	out->days = (long)(start - m.first_day);
	if (out->days == 0)
		return fs_store_commit(store);
	snprintf(by, sizeof(by), "%+ld days", out->days);
	store_now(now);
	if ((err = shift_check_clocks(store, &m, out->days)) ||
	    (err = shift_run(store, Q_SHIFT_MISSION, m.id, by, NULL, NULL)) ||
	    (err = shift_run(store, Q_SHIFT_ITEMS, m.id, by, now,
			     &out->items)) ||
	    (err = shift_run(store, Q_SHIFT_TRAVEL, m.id, by, NULL,
			     &out->registrations)) ||
	    (err = shift_run(store, Q_SHIFT_ATTENDANCE, m.id, by, NULL,
			     &out->attendance)) ||
	    (err = shift_run(store, Q_SHIFT_ATTENDANCE_DONE, m.id, NULL,
			     NULL, NULL)))
		goto fail;
	store_forget(store);
	return fs_store_commit(store);
fail:
	fs_store_rollback(store);
	return err;
}
