/*
 * fieldschool/mission.h - missions: one field school each.
 *
 * Missions are records of fs_missions_format (fieldschool/record.h), with
 * the columns of missions.csv in FORMATS.md plus contact_name,
 * contact_email (the organizer named in calendar feeds) and quotas
 * ("lgu-official=10;mrc-staff=4": seats per category), and the finance
 * rules of the rosters: travel_share (percent of the daily per-diem rate
 * paid per travel day, default 75) and meal_deduction (deducted from the per
 * diem per day present, default 0).
 */
#ifndef FIELDSCHOOL_MISSION_H
#define FIELDSCHOOL_MISSION_H

#include <stdbool.h>
#include <stdint.h>

#include "fieldschool/record.h"

enum fs_mission_column {
	FS_MISSION_CODE,
	FS_MISSION_TITLE,
	FS_MISSION_COUNTRY,
	FS_MISSION_CITY,
	FS_MISSION_TIMEZONE,
	FS_MISSION_START,
	FS_MISSION_DAYS,
	FS_MISSION_VENUE,
	FS_MISSION_ADDRESS,
	FS_MISSION_LAT,
	FS_MISSION_LON,
	FS_MISSION_CAPACITY,
	FS_MISSION_CURRENCY,
	FS_MISSION_PER_DIEM,
	FS_MISSION_NIGHTLY_RATE,
	FS_MISSION_CONTACT_NAME,
	FS_MISSION_CONTACT_EMAIL,
	FS_MISSION_QUOTAS,
	FS_MISSION_TRAVEL_SHARE,   /* percent of per diem per travel day */
	FS_MISSION_MEAL_DEDUCTION, /* per day present, for provided meals */
	FS_MISSION_END,          /* output: the last day */
	FS_MISSION_REGISTERED,   /* output: registrations not cancelled */
	FS_MISSION_CONFIRMED,    /* output */
	FS_MISSION_ITEMS,        /* output: agenda items not removed */
	FS_MISSION__COUNT
};

/* What a mission holds, so that removing it can ask for --force. */
typedef struct fs_mission_usage {
	long registrations, items;
} fs_mission_usage;

/* FS_ENOTFOUND when there is no mission with this code. */
fs_err fs_mission_usage_get(fs_store *store, const char *code,
			    fs_mission_usage *out);

/* Removes the mission with its registrations, agenda and attendance.
 * FS_ENOTFOUND. */
fs_err fs_mission_remove(fs_store *store, const char *code);

/* What fs_mission_shift() moved. */
typedef struct fs_mission_shift_result {
	long days;          /* new start - old start; 0: nothing moved */
	long items;         /* agenda items (removed ones too: feeds keep them) */
	long registrations; /* registrations whose arrival or departure moved */
	long attendance;    /* attendance records */
} fs_mission_shift_result;

/*
 * Moves the mission in time so that it starts on new_start (YYYY-MM-DD),
 * and everything dated in it by as many days: its agenda items (UIDs kept,
 * SEQUENCE raised), its registrations' arrivals and departures (their
 * travel events' SEQUENCE raised) and its attendance records; in one
 * transaction.  FS_ENOTFOUND; FS_EINPUT for a bad date, or when an item
 * would start or end at a time the clocks skip in the mission's zone.
 */
fs_err fs_mission_shift(fs_store *store, const char *code,
			const char *new_start, fs_mission_shift_result *out);

#endif
