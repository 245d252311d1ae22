/*
 * calendar.h - a mission's calendar, serialized by libical once and
 * assembled into feeds (lib-internal; only feed.c and feed_head.c, through
 * calendar_ical.h, include libical).
 *
 * A feed is: the calendar's head (its properties), the mission's VTIMEZONE,
 * the events it selects, a participant's arrival and departure, and the
 * closing line.  Every piece is text that libical wrote; publishing 150,000
 * personal feeds then serializes each agenda item once, not once per feed.
 */
#ifndef FS_CALENDAR_H
#define FS_CALENDAR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"

/* A growing byte buffer. */
struct buf {
	char *data;
	size_t len, cap;
};
#define BUF_INIT { NULL, 0, 0 }
fs_err buf_add(struct buf *b, const void *data, size_t len);
fs_err buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void buf_release(struct buf *b);

/* What an agenda item is, field by field: what pages and schedules show.
 * Every string is set (maybe ""); the VEVENT's text carries all of it, so
 * the event's hash covers it. */
struct cal_item {
	int64_t id;         /* the item's row: stable, unique */
	int64_t day;        /* days since 1970-01-01, local */
	int start, end;     /* minutes after local midnight */
	char *uid, *kind, *title, *module, *module_title, *place, *address,
	     *host, *description;
	bool has_geo;
	double lat, lon;
	bool cancelled, removed;
};

/* One agenda item, as a VEVENT. */
struct cal_event {
	char *text;         /* "BEGIN:VEVENT\r\n...END:VEVENT\r\n" */
	size_t len;
	uint64_t hash;      /* of text */
	char *audience;     /* "all" or "group:A;category:lgu-focal" */
	char *facilitators; /* names joined by ';' */
	struct cal_item item;
};

struct cal_mission {
	int64_t id;
	char *code, *title, *city, *zone;
	char *contact_name, *contact_email; /* the ORGANIZER */
	char *head;        /* "BEGIN:VCALENDAR" and the shared properties */
	size_t head_len;
	struct zone *tz;   /* the mission's zone */
	int64_t first_day, last_day; /* of the mission and every item */
	char *vtimezone;   /* for first_day .. last_day */
	size_t vtimezone_len;
	/* A personal feed whose arrival or departure falls outside those days
	 * gets a VTIMEZONE that covers them too: the last one built. */
	struct cal_wide { int64_t first, last; struct buf text; } *wide;
	struct cal_event *events;
	size_t n_events;
	char **groups;     /* every group named by a registration or audience */
	size_t n_groups;
	char **facilitators; /* every facilitator of an item, sorted */
	size_t n_facilitators;
	char *last_change; /* the latest item change: a stable stamp */
	/* A digest of everything feeds of this mission share, including how
	 * this build writes a feed: a change of either changes it. */
	uint64_t hash;
};

/* What a personal feed adds: the registration. */
struct cal_person {
	const char *ref, *given, *family, *category, *group;
	const char *arrival, *departure; /* YYYY-MM-DD[THH:MM] or "" */
	const char *since, *changed;     /* stamps of the travel events */
	long sequence;
};

/* Loads a mission and serializes its events.  FS_ENOTFOUND. */
fs_err cal_mission_load(struct cal_mission **out, fs_store *store,
			const char *code);
void cal_mission_free(struct cal_mission *m);

/* Appends the head of a feed named name, and the VTIMEZONE: the
 * mission's, or for a person (not NULL) one that covers their travel. */
fs_err cal_feed_begin(struct buf *out, const struct cal_mission *m,
		      const char *name, const char *description,
		      const struct cal_person *person);
/* Appends the arrival and departure events of a person, when known. */
fs_err cal_feed_travel(struct buf *out, const struct cal_mission *m,
		       const struct cal_person *p);
/* Appends the closing line. */
fs_err cal_feed_end(struct buf *out);

/* Which feeds an event belongs to (feed_audience.c). */
bool cal_event_for_person(const struct cal_event *e, const char *group,
			  const char *category);
bool cal_event_for_group(const struct cal_event *e, const char *group);
bool cal_event_for_facilitator(const struct cal_event *e, const char *name);
/* Appends "For: group A, group B" for an audience that names someone;
 * nothing for "all". */
fs_err cal_describe_audience(struct buf *out, const char *audience);

#endif
