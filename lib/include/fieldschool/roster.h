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

/* One workbook of fs_roster_write_dir(). */
typedef struct fs_roster_file {
	char *path; /* DIR/roster-CODE.xlsx */
	char *code; /* the mission's */
	fs_roster_stats stats;
} fs_roster_file;

typedef struct fs_roster_files {
	fs_roster_file *items;
	size_t n;
} fs_roster_files;

#define FS_ROSTER_FILES_INIT { NULL, 0 }

/* Called by fs_roster_write_dir() as each workbook is complete: done of
 * n (none renamed yet). */
typedef void (*fs_roster_progress_fn)(void *ctx, size_t done, size_t n);

/*
 * Writes one workbook per mission into the directory dir (created when
 * missing), DIR/roster-CODE.xlsx, for the missions named by codes (all
 * missions when n_codes is 0): each the workbook fs_roster_write() writes
 * for that mission alone.  Up to jobs workbooks are built at once (0: as
 * many as there are online cores), each by a worker process of its own
 * (fork) with its own connection to the store's file, in its own read
 * transaction; a store without a file of its own (":memory:"), or inside
 * a transaction, builds them one at a time in this process.  progress,
 * when not NULL, is called here as each is complete.  While children
 * run, SIGINT, SIGTERM and SIGHUP are caught: the children are stopped,
 * the files dropped, and the signal is raised again once the previous
 * handlers are back (if one returns: FS_EIO).  The caller must have no
 * other threads running (fork).
 *
 * All or nothing: each workbook is built into a new file without a name
 * in dir; only when every one is complete are they given hidden
 * temporary names (.roster-CODE.xlsx.tmp.XXXXXX) and renamed over the
 * old files, by this process alone.  A failure replaces none and leaves
 * no temporary file; a process killed part-way leaves the old files and
 * at most hidden temporaries, which the next write of the same file
 * removes (its children die with it).  (Only a
 * rename itself failing, after others succeeded, would leave some
 * replaced: the message says so.)
 *
 * *out lists the workbooks in the missions' order; it is the caller's,
 * released with fs_roster_files_release(), and empty on failure.
 * FS_ENOTFOUND (no such mission), FS_EINPUT (a mission given twice, two
 * codes that differ only in case, which a case-insensitive file system
 * would write into one file), FS_EIO (dir not a directory or not
 * writable; a workbook's failure names its mission and file).
 */
fs_err fs_roster_write_dir(fs_roster_files *out, fs_store *store,
			   const char *dir, const char *const *codes,
			   size_t n_codes, int jobs,
			   fs_roster_progress_fn progress, void *progress_ctx);
void fs_roster_files_release(fs_roster_files *files);

#endif
