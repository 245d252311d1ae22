/*
 * fieldschool/agenda.h - agenda items: sessions, visits, travel, meals,
 * breaks and ceremonies, in the mission's local time.
 *
 * Rows of fs_agenda_format are agenda.csv of FORMATS.md, plus what the tool
 * computes: uid (assigned once, at creation, from random bytes; never
 * changes), sequence (rises when the time, place, title or status changes),
 * status (active or cancelled), created and updated (UTC).  A ref names an
 * item within its mission; an item added without one gets one.
 */
#ifndef FIELDSCHOOL_AGENDA_H
#define FIELDSCHOOL_AGENDA_H

#include "fieldschool/record.h"

enum fs_agenda_column {
	FS_ITEM_REF,
	FS_ITEM_MISSION,
	FS_ITEM_DAY,
	FS_ITEM_DATE,
	FS_ITEM_START,
	FS_ITEM_END,
	FS_ITEM_KIND,
	FS_ITEM_TITLE,
	FS_ITEM_MODULE,
	FS_ITEM_PLACE,
	FS_ITEM_ADDRESS,
	FS_ITEM_LAT,
	FS_ITEM_LON,
	FS_ITEM_HOST,
	FS_ITEM_CAPACITY,
	FS_ITEM_AUDIENCE,
	FS_ITEM_FACILITATORS,
	FS_ITEM_DESCRIPTION,
	FS_ITEM_UID,      /* output */
	FS_ITEM_SEQUENCE, /* output */
	FS_ITEM_STATUS,   /* output */
	FS_ITEM_CREATED,  /* output */
	FS_ITEM_UPDATED,  /* output */
	FS_ITEM__COUNT
};

/*
 * Finds the mission of the item with this ref.  mission may be NULL when
 * the ref is used by one mission only; mission_out gets its code.
 * FS_ENOTFOUND; FS_EINPUT when several missions use the ref.
 */
fs_err fs_agenda_locate(fs_store *store, const char *ref, const char *mission,
			char mission_out[65]);

/* Cancels an item (cancelled = true) or makes it active again: it stays in
 * the agenda and the feeds, marked.  FS_ENOTFOUND. */
fs_err fs_agenda_set_cancelled(fs_store *store, const char *mission,
			       const char *ref, bool cancelled);

/* Removes an item from the agenda.  Once published (publish, ics) its row
 * is kept, so that calendar feeds go on showing it as cancelled, and
 * importing its ref again brings it back; an item no feed has held yet
 * (and no attendance names) is deleted.  FS_ENOTFOUND. */
fs_err fs_agenda_remove(fs_store *store, const char *mission, const char *ref);

#endif
