/*
 * zone.h - a time zone of the system database, read from its TZif file
 * (lib-internal).
 *
 * Calendar feeds carry their own VTIMEZONE, and it must agree with the
 * zone database the rest of the machine uses for the feed's dates, no more
 * (Mexico City abolished DST in 2022: a VTIMEZONE copied from an old table
 * puts May 2027 an hour off).  So we read the zone where the C library
 * does, /usr/share/zoneinfo (or $TZDIR), including the POSIX rule at the
 * file's end that governs instants after its last listed transition.
 */
#ifndef FS_ZONE_H
#define FS_ZONE_H

#include <stdbool.h>
#include <stdint.h>

#include "fieldschool/error.h"

#define ZONE_NO_ONSET INT64_MIN

/* What a zone says about one instant. */
struct zone_state {
	int32_t utoff;       /* seconds east of UTC */
	bool is_dst;
	char abbr[16];       /* "CST", "+08" */
	int64_t onset;       /* UTC seconds it began; ZONE_NO_ONSET: always */
	int32_t utoff_before; /* the offset before onset */
	bool was_dst;         /* and whether that was summer time */
};

struct zone;

/* Loads a zone by IANA name.  FS_ENOTFOUND; FS_EINPUT for a file that is
 * not TZif version 2 or later. */
fs_err zone_load(struct zone **out, const char *name);
void zone_free(struct zone *zone);

/* The state in force at UTC second t. */
void zone_state_at(const struct zone *zone, int64_t t, struct zone_state *out);

/* The first instant after t at which the offset, DST flag or abbreviation
 * changes; false when there is none. */
bool zone_next_change(const struct zone *zone, int64_t t, int64_t *next);

/*
 * Whether a local wall-clock time (seconds since 1970-01-01 00:00 local)
 * exists: false in the hour that a change to summer time skips.  Then
 * *shift gets the size of the jump (seconds), so L + shift is the time
 * the clocks show instead.
 */
bool zone_local_exists(const struct zone *zone, int64_t local, int32_t *shift);

/*
 * The UTC instant of a local wall-clock time: its first occurrence when it
 * happens twice (the hour the clocks go back repeats; RFC 5545 3.3.5 says
 * the first), the offset before the change when it does not exist.
 * *back (may be NULL) gets how far the clocks go back, in seconds, when
 * the time happens twice, else 0.
 */
int64_t zone_local_to_utc(const struct zone *zone, int64_t local,
			  int32_t *back);

#endif
