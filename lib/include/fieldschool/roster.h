/*
 * fieldschool/roster.h - Excel rosters for finance staff (libxlsxwriter).
 *
 * One workbook holds, per mission: Roster (a row per registration, money
 * as formulas whose results are stored too), Payment (what is paid in
 * cash, to sign, with page totals), By category, Finance rules (the rates
 * as cells the formulas refer to), Sign-in day N (one per mission day),
 * Site visits (a page per bus), Caterer (meals by dietary need,
 * accessibility needs by visit) and Agenda, every sheet set up to print
 * on A4 at 8 pt or more.  With several missions each sheet name ends with
 * the mission's code and a Summary sheet comes first.
 *
 * The finance rules, for a registration of a mission whose days run from
 * FIRST to LAST (a missing arrival counts as FIRST - 1, a missing departure
 * as LAST + 1; only confirmed registrations are owed anything, the others
 * are listed with zeros):
 *
 *   days present  on a day attendance covers (anyone marked), the days the
 *                 person was marked present on; on a day not recorded yet,
 *                 the days between arrival and departure (dates)
 *   no-show       every day of the stay covered and none present: owed
 *                 nothing, flagged
 *   nights        departure - arrival, both clipped to FIRST - 1 .. LAST + 1
 *   travel days   the arrival day when before FIRST, the departure day when
 *                 after LAST (each only if the stay overlaps the mission)
 *   per diem      days present x per-diem rate        (funded only)
 *   meals         days present x meal_deduction       (funded only)
 *   accommodation nights x nightly rate
 *   travel        travel days x per-diem rate x travel_share %, rounded to
 *                 the cent                            (funded only)
 *   total         per diem - meals + accommodation + travel
 */
#ifndef FIELDSCHOOL_ROSTER_H
#define FIELDSCHOOL_ROSTER_H

#include <stddef.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"

typedef struct fs_roster_stats {
	long registrations; /* roster rows, over all missions */
	int missions;
	int sheets;
} fs_roster_stats;

/*
 * Writes the rosters of the missions named by codes (all missions when
 * n_codes is 0) into one workbook at path, atomically: the workbook is
 * built under a temporary name in path's directory and renamed, so a
 * failure leaves no partial file (and an older file at path untouched).
 * Memory does not grow with the number of participants (libxlsxwriter's
 * constant-memory mode).  FS_ENOTFOUND (no such mission), FS_EIO (path not
 * writable; the detail names it).
 */
fs_err fs_roster_write(fs_store *store, const char *path,
		       const char *const *codes, size_t n_codes,
		       fs_roster_stats *stats);

#endif
