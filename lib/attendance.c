/* attendance.c - sign-in records and certificates of completion. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/attendance.h"
#include "domain.h"
#include "finance.h"
#include "store.h"
#include "value.h"

static const fs_column columns[FS_ATT__COUNT] = {
	[FS_ATT_REF] = { "ref", true, false, false, "the participant's ref",
			 FS_TEXT_LINE },
	[FS_ATT_MISSION] = { "mission", false, false, false,
			     "mission code (needed only when the date is in "
			     "two of the person's missions)", FS_TEXT_LINE },
	[FS_ATT_DATE] = { "date", true, false, false,
			  "YYYY-MM-DD, a day of the mission", FS_TEXT_LINE },
	[FS_ATT_SESSION] = { "session", false, false, false,
			     "ref of an agenda item that day (empty: the "
			     "whole day)", FS_TEXT_LINE },
	[FS_ATT_PRESENT] = { "present", false, false, false,
			     "yes or no (default yes)", FS_TEXT_LINE },
	[FS_ATT_FAMILY_NAME] = { "family_name", false, false, true,
				 "family name", FS_TEXT_LINE },
	[FS_ATT_GIVEN_NAME] = { "given_name", false, false, true,
				"given name", FS_TEXT_LINE },
	[FS_ATT_RECORDED] = { "recorded", false, false, true,
			      "when it was recorded (UTC)", FS_TEXT_LINE },
};

static bool
given(const char *v)
{
	return v && *v;
}

/* A row of attendance, found: whose record it is and where. */
struct att_row {
	int64_t registration, mission_id, item; /* item 0: the whole day */
	char mission_code[65], status[16];
	bool present;
};

/* The registration whose mission holds the date: exactly one. */
static fs_err
find_registration(fs_store *store, const char *const *v, struct att_row *r,
		  long line, fs_problems *problems)
{
	const char *ref = v[FS_ATT_REF];
	bool has_mission = given(v[FS_ATT_MISSION]);
	sqlite3_stmt *stmt;
	int rc, matches = 0;
	fs_err err;

	if ((err = store_stmt(store, Q_ATTEND_REGISTRATION, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
	store_bind_text(stmt, 2, has_mission ? v[FS_ATT_MISSION] : NULL);
	sqlite3_bind_text(stmt, 3, v[FS_ATT_DATE], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (matches++ == 0) {
			r->registration = sqlite3_column_int64(stmt, 0);
			snprintf(r->mission_code, sizeof(r->mission_code),
				 "%s", store_text(stmt, 1));
			r->mission_id = sqlite3_column_int64(stmt, 2);
			snprintf(r->status, sizeof(r->status), "%s",
				 store_text(stmt, 3));
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "looking up a registration");
	if (matches == 0) {
		if (has_mission)
			PROBLEM(FS_ATT_DATE, "'%s': '%s' is not registered "
				"for %s, or the date is not one of its days",
				v[FS_ATT_DATE], ref, v[FS_ATT_MISSION]);
		else
			PROBLEM(FS_ATT_DATE, "'%s': '%s' has no registration "
				"for a mission on that day", v[FS_ATT_DATE],
				ref);
		return FS_EINPUT;
	}
	if (matches > 1) {
		PROBLEM(FS_ATT_MISSION, "'%s' has %d missions on %s: say "
			"which", ref, matches, v[FS_ATT_DATE]);
		return FS_EINPUT;
	}
	return FS_OK;
}

/* The session, when the row names one: an item of the mission that day. */
static fs_err
find_session(fs_store *store, const char *const *v, struct att_row *r,
	     long line, fs_problems *problems)
{
	size_t before = problems->n;
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if (!given(v[FS_ATT_SESSION]))
		return FS_OK;
	if ((err = store_stmt(store, Q_ATTEND_ITEM, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, r->mission_id);
	sqlite3_bind_text(stmt, 2, v[FS_ATT_SESSION], -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		r->item = sqlite3_column_int64(stmt, 0);
		if (strcmp(store_text(stmt, 1), v[FS_ATT_DATE]))
			PROBLEM(FS_ATT_SESSION, "'%s' is on %s, not %s",
				v[FS_ATT_SESSION], store_text(stmt, 1),
				v[FS_ATT_DATE]);
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		PROBLEM(FS_ATT_SESSION, "no agenda item '%s' in %s",
			v[FS_ATT_SESSION], r->mission_code);
	else if (rc != SQLITE_ROW)
		return store_fail(store, "looking up a session");
	return problems->n > before ? FS_EINPUT : FS_OK;
}

/* The record already there for this registration, day and item: its id
 * (0: none) and whether it says present. */
static fs_err
find_record(fs_store *store, const char *date, const struct att_row *r,
	    int64_t *id_out, bool *present_out)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	*id_out = 0;
	*present_out = false;
	if ((err = store_stmt(store, Q_ATTEND_FIND, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, r->registration);
	sqlite3_bind_text(stmt, 2, date, -1, SQLITE_STATIC);
	if (r->item)
		sqlite3_bind_int64(stmt, 3, r->item);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*id_out = sqlite3_column_int64(stmt, 0);
		*present_out = sqlite3_column_int(stmt, 1) == 1;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(store, "looking up attendance");
	return FS_OK;
}

/* Records the row (inside the caller's transaction). */
static fs_err
save_record(fs_store *store, const char *date, const struct att_row *r,
	    fs_put_outcome *outcome)
{
	sqlite3_stmt *stmt;
	int64_t existing;
	bool was_present;
	char now[21];
	fs_err err;

	store_now(now);
	if ((err = find_record(store, date, r, &existing, &was_present)))
		return err;
	if (existing) {
		if ((err = store_stmt(store, Q_ATTEND_UPDATE, &stmt)))
			return err;
		sqlite3_bind_int64(stmt, 1, existing);
		sqlite3_bind_int(stmt, 2, r->present);
		sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	} else {
		if ((err = store_stmt(store, Q_ATTEND_INSERT, &stmt)))
			return err;
		sqlite3_bind_int64(stmt, 1, r->registration);
		sqlite3_bind_text(stmt, 2, date, -1, SQLITE_STATIC);
		if (r->item)
			sqlite3_bind_int64(stmt, 3, r->item);
		sqlite3_bind_int(stmt, 4, r->present);
		sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
	}
	if ((err = store_done(store, stmt, "recording attendance")))
		return err;
	if (sqlite3_changes(store->db) > 0)
		*outcome = existing ? FS_PUT_CHANGED : FS_PUT_ADDED;
	return FS_OK;
}

static fs_err
attendance_put(fs_store *store, const char *const *v, fs_put_mode mode,
	       long line, fs_problems *problems, fs_put_outcome *outcome,
	       char *ref_out)
{
	const char *ref = v[FS_ATT_REF], *why;
	struct att_row r = { .present = true };
	struct mission_info mission = { 0 };
	size_t before = problems->n;
	int64_t day = 0;
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	*outcome = FS_PUT_UNCHANGED;
	if (!given(ref))
		PROBLEM(FS_ATT_REF, "required");
	if (!given(v[FS_ATT_DATE]))
		PROBLEM(FS_ATT_DATE, "required");
	else if ((why = parse_date(v[FS_ATT_DATE], &day)))
		PROBLEM(FS_ATT_DATE, "'%s': %s", v[FS_ATT_DATE], why);
	if (given(v[FS_ATT_PRESENT]) &&
	    (why = parse_yes_no(v[FS_ATT_PRESENT], &r.present)))
		PROBLEM(FS_ATT_PRESENT, "'%s': %s", v[FS_ATT_PRESENT], why);
	if (given(v[FS_ATT_MISSION])) {
		err = mission_lookup(store, v[FS_ATT_MISSION], &mission);
		if (err == FS_ENOTFOUND)
			PROBLEM(FS_ATT_MISSION, "unknown mission '%s'",
				v[FS_ATT_MISSION]);
		else if (err)
			return err;
	}
	if (problems->n > before)
		return FS_EINPUT;

	if ((err = store_stmt(store, Q_PARTICIPANT_BY_REF, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
	rc = sqlite3_step(stmt);
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE) {
		PROBLEM(FS_ATT_REF, "unknown participant '%s'", ref);
		return FS_EINPUT;
	} else if (rc != SQLITE_ROW) {
		return store_fail(store, "looking up a participant");
	}
	if ((err = find_registration(store, v, &r, line, problems)) ||
	    (err = find_session(store, v, &r, line, problems)))
		return err;

	/* Only confirmed registrations are paid and certified: marking
	 * anyone else present is a mistake unless forced (a record already
	 * there, as an export brings back, is kept). */
	if (r.present && strcmp(r.status, "confirmed") &&
	    mode != FS_PUT_FORCE) {
		int64_t id;
		bool recorded;
		if ((err = find_record(store, v[FS_ATT_DATE], &r, &id,
				       &recorded)))
			return err;
		if (!recorded) {
			PROBLEM(FS_ATT_REF, "'%s' is %s for %s, not confirmed: "
				"confirm the registration first ('attend mark "
				"--force' records it anyway)", ref, r.status,
				r.mission_code);
			return FS_EINPUT;
		}
	}

	if ((err = fs_store_begin(store)))
		return err;
	if ((err = save_record(store, v[FS_ATT_DATE], &r, outcome))) {
		fs_store_rollback(store);
		return err;
	}
	if (ref_out)
		snprintf(ref_out, 128, "%s %s %s%s%s", ref, r.mission_code,
			 v[FS_ATT_DATE], r.item ? " " : "",
			 r.item ? v[FS_ATT_SESSION] : "");
	return fs_store_commit(store);
}

static fs_err
attendance_each(fs_store *store, const char *mission, const char *key,
		fs_row_fn fn, void *ctx)
{
	struct mission_info m;
	sqlite3_stmt *stmt;
	const char *v[FS_ATT__COUNT];
	fs_err err;
	int rc;

	if (mission && (err = mission_lookup(store, mission, &m)))
		return err;
	if ((err = store_stmt(store, Q_ATTEND_ROWS, &stmt)))
		return err;
	if (mission)
		sqlite3_bind_int64(stmt, 1, m.id);
	store_bind_text(stmt, 2, key);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		for (int c = 0; c < FS_ATT__COUNT; c++)
			v[c] = store_text(stmt, c);
		if ((err = fn(ctx, v))) {
			sqlite3_reset(stmt);
			return err;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "listing attendance");
	return FS_OK;
}

static const char *
attendance_identity(const char *const *v, char *buf, size_t size)
{
	if (!given(v[FS_ATT_REF]) || !given(v[FS_ATT_DATE]))
		return NULL;
	snprintf(buf, size, "%s\x1f%s\x1f%s\x1f%s", v[FS_ATT_REF],
		 v[FS_ATT_MISSION] ? v[FS_ATT_MISSION] : "", v[FS_ATT_DATE],
		 v[FS_ATT_SESSION] ? v[FS_ATT_SESSION] : "");
	return "ref";
}

const fs_format fs_attendance_format = {
	"attendance", "attendance", columns, FS_ATT__COUNT,
	attendance_put, attendance_each, attendance_identity, false,
	NULL,
};

fs_err
fs_attendance_mark(fs_store *store, const char *const *refs, size_t n,
		   const char **values, fs_put_mode mode, fs_problems *problems,
		   fs_import_stats *counts)
{
	fs_err err;

	memset(counts, 0, sizeof(*counts));
	if ((err = fs_store_begin(store)))
		return err;
	for (size_t i = 0; i < n; i++) {
		fs_put_outcome outcome;
		fs_err one;
		values[FS_ATT_REF] = refs[i];
		one = attendance_put(store, values, mode, (long)i + 1, problems,
				     &outcome, NULL);
		if (one == FS_EINPUT) {
			err = FS_EINPUT;
			continue;
		}
		if (one) {
			err = one;
			break;
		}
		counts->rows++;
		counts->added += outcome == FS_PUT_ADDED;
		counts->changed += outcome == FS_PUT_CHANGED;
		counts->unchanged += outcome == FS_PUT_UNCHANGED;
	}
	if (err) {
		fs_store_rollback(store);
		if (err == FS_EINPUT)
			fs_fail(FS_EINPUT, "%zu problem%s: nothing recorded",
				problems->n, problems->n == 1 ? "" : "s");
		return err;
	}
	return fs_store_commit(store);
}

/* --- certificates ---------------------------------------------------------- */

const fs_column fs_certificate_columns[FS_CERT__COUNT] = {
	[FS_CERT_REF] = { "ref", false, false, false, "", FS_TEXT_LINE },
	[FS_CERT_FAMILY_NAME] = { "family_name", false, false, false, "",
				  FS_TEXT_LINE },
	[FS_CERT_GIVEN_NAME] = { "given_name", false, false, false, "", FS_TEXT_LINE },
	[FS_CERT_ORGANIZATION] = { "organization", false, false, false, "",
				   FS_TEXT_LINE },
	[FS_CERT_CATEGORY] = { "category", false, false, false, "", FS_TEXT_LINE },
	[FS_CERT_DAYS_PRESENT] = { "days_present", false, true, false, "",
				   FS_TEXT_LINE },
	[FS_CERT_DAYS] = { "days", false, true, false, "", FS_TEXT_LINE },
	[FS_CERT_PERCENT] = { "percent", false, true, false, "", FS_TEXT_LINE },
	[FS_CERT_QUALIFIES] = { "qualifies", false, false, false, "", FS_TEXT_LINE },
	[FS_CERT_BASIS] = { "basis", false, false, false, "", FS_TEXT_LINE },
};

fs_err
fs_certificates(fs_store *store, const char *mission, int min_percent,
		bool all, fs_row_fn fn, void *ctx)
{
	struct mission_info m;
	sqlite3_stmt *stmt;
	char first[11], last[11];
	uint64_t covered = 0;
	fs_err err;
	int rc;

	if ((err = mission_lookup(store, mission, &m)))
		return err;
	if ((err = store_stmt(store, Q_ROSTER_MISSION, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, mission, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		covered = (uint64_t)sqlite3_column_int64(stmt, 12);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW)
		return store_fail(store, "reading a mission");
	uint64_t all_days = m.days >= 64 ? ~(uint64_t)0
					 : ((uint64_t)1 << m.days) - 1;

	format_date(m.first_day, first);
	format_date(m.first_day + m.days - 1, last);
	if ((err = store_stmt(store, Q_CERTIFICATE_ROWS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m.id);
	sqlite3_bind_text(stmt, 2, first, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, last, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *v[FS_CERT__COUNT];
		char days_present[24], days[24], percent[24];
		long present;

		/* as on the roster: the days attendance covers, and the
		 * others from arrival and departure */
		present = finance_days_present(
			m.first_day, m.first_day + m.days - 1, covered,
			store_text(stmt, 5), store_text(stmt, 6),
			(uint64_t)sqlite3_column_int64(stmt, 7), NULL);
		/* whole percent, rounded down: 3 of 4 days is 75 */
		long pct = present * 100 / m.days;
		bool qualifies = pct >= min_percent;
		if (!qualifies && !all)
			continue;
		snprintf(days_present, sizeof(days_present), "%ld", present);
		snprintf(days, sizeof(days), "%d", m.days);
		snprintf(percent, sizeof(percent), "%ld", pct);
		v[FS_CERT_REF] = store_text(stmt, 0);
		v[FS_CERT_FAMILY_NAME] = store_text(stmt, 1);
		v[FS_CERT_GIVEN_NAME] = store_text(stmt, 2);
		v[FS_CERT_ORGANIZATION] = store_text(stmt, 3);
		v[FS_CERT_CATEGORY] = store_text(stmt, 4);
		v[FS_CERT_DAYS_PRESENT] = days_present;
		v[FS_CERT_DAYS] = days;
		v[FS_CERT_PERCENT] = percent;
		v[FS_CERT_QUALIFIES] = qualifies ? "yes" : "no";
		v[FS_CERT_BASIS] = (covered & all_days) == all_days
					   ? "attendance"
				   : covered ? "attendance and travel dates"
					     : "travel dates";
		if ((err = fn(ctx, v))) {
			sqlite3_reset(stmt);
			return err;
		}
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "listing certificates");
	return FS_OK;
}
