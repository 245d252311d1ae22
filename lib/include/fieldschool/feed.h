/*
 * fieldschool/feed.h - iCalendar feeds of a mission's agenda, and publishing
 * them as a directory a web server can serve as it is.
 *
 * A feed holds the items for everyone plus those its subscriber is in the
 * audience of: the mission feed holds every item; a group's feed the items
 * for everyone and for that group; a facilitator's the items they lead; a
 * participant's the items for everyone, their group and their category,
 * and their arrival and departure.  Cancelled and removed items stay in
 * every feed, marked cancelled.
 */
#ifndef FIELDSCHOOL_FEED_H
#define FIELDSCHOOL_FEED_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"

typedef enum fs_feed_kind {
	FS_FEED_MISSION,
	FS_FEED_GROUP,       /* key: the group label */
	FS_FEED_FACILITATOR, /* key: the facilitator's name */
	FS_FEED_PARTICIPANT, /* key: the participant's ref */
} fs_feed_kind;

/*
 * Writes one feed of mission to out.  FS_ENOTFOUND when there is no such
 * mission, or the group, facilitator or registration (not cancelled) is
 * not in it; FS_EIO when out fails.
 */
fs_err fs_feed_write(fs_store *store, const char *mission, fs_feed_kind kind,
		     const char *key, FILE *out);

typedef struct fs_publish_options {
	const char *dir;      /* the output directory; created if missing */
	/* The URL at which dir is served (http or https), remembered for
	 * each mission; NULL: the one remembered from the last publish */
	const char *base_url;
	/* Called now and then with the feeds done so far, for a progress bar. */
	void (*progress)(void *ctx, long done, long total);
	void *progress_ctx;
	/* Publish missions that dir holds as published from another database
	 * (a database made anew, say), replacing that database's files of
	 * them; false: refuse (FS_EINPUT). */
	bool take_over;
} fs_publish_options;

typedef struct fs_publish_stats {
	long feeds;     /* feeds published */
	long written;   /* files written because their content changed */
	long unchanged; /* files left as they were */
	long removed;   /* stale files removed */
	int64_t bytes;  /* bytes written */
	long no_organizer; /* missions without a contact email: their events
			      have no ORGANIZER, which RFC 5546 requires */
	long no_base_url;  /* missions without a base URL: no subscribe
			      links can be given for them */
	/* The pages (and schedules) among the files above: how many were
	 * published, the bytes written, and the seconds spent on them. */
	long pages;
	int64_t page_bytes;
	double page_seconds;
} fs_publish_stats;

/*
 * Publishes every feed of the missions into opts->dir:
 *
 *   MISSION/MISSION.ics           every item
 *   MISSION/group-LABEL.ics       one per group
 *   MISSION/facilitator-NAME-HASH.ics  one per facilitator (name as ASCII,
 *                                 and a hash of the exact name)
 *   MISSION/p/TOKEN.ics           one per registration not cancelled
 *   MISSION/index.json            every feed with its URL (mode 0600: it
 *                                 holds the personal addresses)
 *   .fieldschool-manifest         every file that publishes into dir
 *                                 (from any database) wrote and that is
 *                                 there, but index.json: what `serve`
 *                                 answers with (fieldschool/manifest.h)
 *
 * and, after the feeds they link to, the pages (fieldschool/page.h):
 *
 *   MISSION/index.html            the mission's agenda
 *   MISSION/group-LABEL.html      a group's
 *   MISSION/p/TOKEN.html          a participant's, beside their feed
 *   MISSION/schedule.xml, .json   the voc/frab schedule of conference apps
 *   index.html                    the missions whose pages are in dir
 *
 * Registrations without a token get one (128 bits from getrandom).  Each
 * file is written under a temporary name in its directory and renamed, and
 * only when its content changed; files of revoked tokens, gone groups and
 * facilitators are removed once the new set is in place, and so are the
 * files in dir of missions the database no longer has, once the manifest
 * no longer lists them.  A publish killed at any moment leaves every feed
 * old or new.  FS_ENOTFOUND (mission), FS_EINPUT (dir holds one of the
 * missions as published from another database), FS_EIO.  *stats may be
 * NULL.
 */
fs_err fs_publish(fs_store *store, const char *const *missions, size_t n,
		  const fs_publish_options *opts, fs_publish_stats *stats);

/*
 * Gives a participant's registrations (of mission only, when not NULL) new
 * feed tokens: the old addresses stop working at the next publish.  Calls
 * fn with each mission code and new token.  FS_ENOTFOUND.
 */
fs_err fs_token_rotate(fs_store *store, const char *ref, const char *mission,
		       void (*fn)(void *ctx, const char *mission,
				  const char *token),
		       void *ctx);

/* The feed token of a participant's registration for mission, issuing one
 * when it has none yet (33 bytes with the NUL).  FS_ENOTFOUND. */
fs_err fs_token_get(fs_store *store, const char *ref, const char *mission,
		    char token_out[33]);

/* The mission of a participant's only registration that is not cancelled
 * (65 bytes with the NUL), for commands where --mission may be left out.
 * FS_ENOTFOUND: none; FS_EINPUT: several (the message lists them). */
fs_err fs_token_mission(fs_store *store, const char *ref,
			char mission_out[65]);

/* Gives every registration of the mission that is not cancelled and has
 * no feed token one, in one transaction: before hand-outs print their
 * addresses.  FS_ENOTFOUND. */
fs_err fs_tokens_issue(fs_store *store, const char *mission);

#endif
