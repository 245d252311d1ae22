/*
 * fieldschool/page.h - HTML pages of a mission's agenda: the mission's,
 * a group's and a participant's, as `publish` writes them beside the
 * feeds (M/index.html, M/group-L.html, M/p/TOKEN.html).
 *
 * A page holds the same items as the feed of the same name, day by day in
 * the mission's local time, with links to subscribe to that feed from each
 * calendar client and a QR code of the page's own address (both once the
 * mission has a base URL: see url.h).  One self-contained file: inline
 * style, no external resource, readable without scripts, printable.
 */
#ifndef FIELDSCHOOL_PAGE_H
#define FIELDSCHOOL_PAGE_H

#include <stdio.h>

#include "fieldschool/error.h"
#include "fieldschool/feed.h"
#include "fieldschool/store.h"

/*
 * Writes one page of mission to out: kind FS_FEED_MISSION (key NULL),
 * FS_FEED_GROUP (key: the label) or FS_FEED_PARTICIPANT (key: the ref;
 * a feed token is issued when the registration has none, since the page
 * names its feed's address).  FS_ENOTFOUND when there is no such mission,
 * group or registration (not cancelled); FS_EINPUT for a facilitator;
 * FS_EIO when out fails.
 */
fs_err fs_page_write(fs_store *store, const char *mission, fs_feed_kind kind,
		     const char *key, FILE *out);

#endif
