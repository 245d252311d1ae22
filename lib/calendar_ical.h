/*
 * calendar_ical.h - the libical side of calendar.h, shared by feed.c (the
 * mission and its events, the feeds) and feed_head.c (the calendar's head
 * and VTIMEZONE).  Lib-internal; the only header that includes libical.
 */
#ifndef FS_CALENDAR_ICAL_H
#define FS_CALENDAR_ICAL_H

#include <libical/ical.h>

#include "calendar.h"

/* The line that closes every calendar. */
#define CAL_END_LINE "END:VCALENDAR\r\n"

/* Serializes a component and frees it; *len (if not NULL) gets the
 * length.  NULL when out of memory. */
char *cal_serialize(icalcomponent *c, size_t *len);

/* Seconds since 1970 as a UTC date-time ("...Z"); with its zone cleared,
 * the same fields as a floating local time. */
struct icaltimetype cal_utc_instant(int64_t t);

/* Adds the X- property name with value, as libical writes X- values. */
void cal_add_x(icalcomponent *c, const char *name, const char *value);

/* The VTIMEZONE of m's zone from first_day to last_day (days since
 * 1970-01-01), serialized; NULL when out of memory. */
char *cal_vtimezone(const struct cal_mission *m, int64_t first_day,
		    int64_t last_day, size_t *len);

/* Sets m->head: "BEGIN:VCALENDAR" and the properties every feed of the
 * mission shares. */
fs_err cal_head(struct cal_mission *m);

#endif
