/*
 * fieldschool/attendance.h - who signed in, for which day or session.
 *
 * Rows of fs_attendance_format are attendance.csv:
 *
 *   ref      the participant's ref (required)
 *   mission  mission code; may be left out when the date falls in the days
 *            of only one of the person's missions
 *   date     YYYY-MM-DD, a day of the mission (required)
 *   session  the ref of an agenda item of that day; empty: the whole day
 *   present  yes or no (default yes)
 *
 * plus, on the way out, family_name, given_name and recorded (UTC).
 * Importing a row again updates it in place (by ref, mission, date and
 * session).  Once any attendance is recorded for a mission, its roster
 * counts the days present from attendance: a day counts when the person is
 * marked present for the day or for any session of it.
 */
#ifndef FIELDSCHOOL_ATTENDANCE_H
#define FIELDSCHOOL_ATTENDANCE_H

#include <stdbool.h>

#include "fieldschool/record.h"

enum fs_attendance_column {
	FS_ATT_REF,
	FS_ATT_MISSION,
	FS_ATT_DATE,
	FS_ATT_SESSION,
	FS_ATT_PRESENT,
	FS_ATT_FAMILY_NAME, /* output */
	FS_ATT_GIVEN_NAME,  /* output */
	FS_ATT_RECORDED,    /* output */
	FS_ATT__COUNT
};

extern const fs_format fs_attendance_format;

/*
 * Marks each of refs[0..n-1] as the row values says (values[FS_ATT_REF]
 * is set to each in turn), all or nothing: one transaction, and nothing
 * recorded when any ref has a problem.  The problems of refs[i] carry the
 * line i + 1; FS_EINPUT when there are any.  counts: rows marked, and how
 * many records were added, changed or unchanged.
 */
fs_err fs_attendance_mark(fs_store *store, const char *const *refs, size_t n,
			  const char **values, fs_put_mode mode,
			  fs_problems *problems, fs_import_stats *counts);

/* The columns of a certificates list. */
enum fs_certificate_column {
	FS_CERT_REF,
	FS_CERT_FAMILY_NAME,
	FS_CERT_GIVEN_NAME,
	FS_CERT_ORGANIZATION,
	FS_CERT_CATEGORY,
	FS_CERT_DAYS_PRESENT,
	FS_CERT_DAYS,
	FS_CERT_PERCENT,
	FS_CERT_QUALIFIES,
	FS_CERT_BASIS, /* "attendance", or "travel dates" before any is recorded */
	FS_CERT__COUNT
};
extern const fs_column fs_certificate_columns[FS_CERT__COUNT];

/*
 * Calls fn with a row of FS_CERT__COUNT values for every confirmed
 * registration of the mission that attended at least min_percent of the
 * mission's days (every confirmed registration when all is true; the
 * qualifies column says which do), sorted by name.  Days present come from
 * attendance once any is recorded for the mission, else from arrival and
 * departure, as on the roster.  FS_ENOTFOUND.
 */
fs_err fs_certificates(fs_store *store, const char *mission, int min_percent,
		       bool all, fs_row_fn fn, void *ctx);

#endif
