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

static fs_err
attendance_put(fs_store *store, const char *const *v, fs_put_mode mode,
	       long line, fs_problems *problems, fs_put_outcome *outcome,
	       char *ref_out)
{
	const char *ref = v[FS_ATT_REF], *why;
	struct mission_info mission = { 0 };
	size_t before = problems->n;
	int64_t day = 0, registration = 0, mission_id = 0, item = 0;
	char mission_code[65] = "", status[16] = "", now[21];
	bool present = true, has_mission = given(v[FS_ATT_MISSION]);
	sqlite3_stmt *stmt;
	fs_err err;
	int rc, matches = 0;

	*outcome = FS_PUT_UNCHANGED;
	if (!given(ref))
		PROBLEM(FS_ATT_REF, "required");
	if (!given(v[FS_ATT_DATE]))
		PROBLEM(FS_ATT_DATE, "required");
	else if ((why = parse_date(v[FS_ATT_DATE], &day)))
		PROBLEM(FS_ATT_DATE, "'%s': %s", v[FS_ATT_DATE], why);
	if (given(v[FS_ATT_PRESENT]) &&
	    (why = parse_yes_no(v[FS_ATT_PRESENT], &present)))
		PROBLEM(FS_ATT_PRESENT, "'%s': %s", v[FS_ATT_PRESENT], why);
	if (has_mission) {
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
	if (rc == SQLITE_DONE)
		PROBLEM(FS_ATT_REF, "unknown participant '%s'", ref);
	else if (rc != SQLITE_ROW)
		return store_fail(store, "looking up a participant");
	if (problems->n > before)
		return FS_EINPUT;

	/* the registration whose mission holds the date */
	if ((err = store_stmt(store, Q_ATTEND_REGISTRATION, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
	store_bind_text(stmt, 2, has_mission ? v[FS_ATT_MISSION] : NULL);
	sqlite3_bind_text(stmt, 3, v[FS_ATT_DATE], -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (matches++ == 0) {
			registration = sqlite3_column_int64(stmt, 0);
			snprintf(mission_code, sizeof(mission_code), "%s",
				 store_text(stmt, 1));
			mission_id = sqlite3_column_int64(stmt, 2);
			snprintf(status, sizeof(status), "%s",
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
	if (given(v[FS_ATT_SESSION])) {
		if ((err = store_stmt(store, Q_ATTEND_ITEM, &stmt)))
			return err;
		sqlite3_bind_int64(stmt, 1, mission_id);
		sqlite3_bind_text(stmt, 2, v[FS_ATT_SESSION], -1,
				  SQLITE_STATIC);
		rc = sqlite3_step(stmt);
		if (rc == SQLITE_ROW) {
			item = sqlite3_column_int64(stmt, 0);
			if (strcmp(store_text(stmt, 1), v[FS_ATT_DATE]))
				PROBLEM(FS_ATT_SESSION, "'%s' is on %s, not %s",
					v[FS_ATT_SESSION], store_text(stmt, 1),
					v[FS_ATT_DATE]);
		}
		sqlite3_reset(stmt);
		if (rc == SQLITE_DONE)
			PROBLEM(FS_ATT_SESSION, "no agenda item '%s' in %s",
				v[FS_ATT_SESSION], mission_code);
		else if (rc != SQLITE_ROW)
			return store_fail(store, "looking up a session");
		if (problems->n > before)
			return FS_EINPUT;
	}

	/* Only confirmed registrations are paid and certified: marking
	 * anyone else present is a mistake unless forced (a record already
	 * there, as an export brings back, is kept). */
	if (present && strcmp(status, "confirmed") && mode != FS_PUT_FORCE) {
		bool recorded = false;
		if ((err = store_stmt(store, Q_ATTEND_FIND, &stmt)))
			return err;
		sqlite3_bind_int64(stmt, 1, registration);
		sqlite3_bind_text(stmt, 2, v[FS_ATT_DATE], -1, SQLITE_STATIC);
		if (item)
			sqlite3_bind_int64(stmt, 3, item);
		if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
			recorded = sqlite3_column_int(stmt, 1) == 1;
		sqlite3_reset(stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return store_fail(store, "looking up attendance");
		if (!recorded) {
			PROBLEM(FS_ATT_REF, "'%s' is %s for %s, not confirmed: "
				"confirm the registration first ('attend mark "
				"--force' records it anyway)", ref, status,
				mission_code);
			return FS_EINPUT;
		}
	}

	if ((err = fs_store_begin(store)))
		return err;
	store_now(now);
	if ((err = store_stmt(store, Q_ATTEND_FIND, &stmt)))
		goto fail;
	sqlite3_bind_int64(stmt, 1, registration);
	sqlite3_bind_text(stmt, 2, v[FS_ATT_DATE], -1, SQLITE_STATIC);
	if (item)
		sqlite3_bind_int64(stmt, 3, item);
	int64_t existing = 0;
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		existing = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = store_fail(store, "looking up attendance");
		goto fail;
	}
	if (existing) {
		if ((err = store_stmt(store, Q_ATTEND_UPDATE, &stmt)))
			goto fail;
		sqlite3_bind_int64(stmt, 1, existing);
		sqlite3_bind_int(stmt, 2, present);
		sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	} else {
		if ((err = store_stmt(store, Q_ATTEND_INSERT, &stmt)))
			goto fail;
		sqlite3_bind_int64(stmt, 1, registration);
		sqlite3_bind_text(stmt, 2, v[FS_ATT_DATE], -1, SQLITE_STATIC);
		if (item)
			sqlite3_bind_int64(stmt, 3, item);
		sqlite3_bind_int(stmt, 4, present);
		sqlite3_bind_text(stmt, 5, now, -1, SQLITE_TRANSIENT);
	}
	if ((err = store_done(store, stmt, "recording attendance")))
		goto fail;
	if (sqlite3_changes(store->db) > 0)
		*outcome = existing ? FS_PUT_CHANGED : FS_PUT_ADDED;
	if (ref_out)
		snprintf(ref_out, 128, "%s %s %s%s%s", ref, mission_code,
			 v[FS_ATT_DATE], item ? " " : "",
			 item ? v[FS_ATT_SESSION] : "");
	return fs_store_commit(store);
fail:
	fs_store_rollback(store);
	return err;
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
