/*
 * page.h - HTML pages of a mission's agenda (lib-internal: page.c renders,
 * publish.c writes them beside the feeds).
 *
 * A page shows the events of the calendar (calendar.h) that its feed
 * holds, chosen by the same functions (cal_event_for_group(),
 * cal_event_for_person()), so a page and its feed never disagree.
 */
#ifndef FS_PAGE_H
#define FS_PAGE_H

#include <stdint.h>

#include "calendar.h"
#include "fieldschool/feed.h"

struct zone;

/* What pages show of a mission beyond its calendar. */
struct page_module {
	char *label, *title, *topics;
};

struct page_info {
	char *country, *venue, *address, *start; /* start: YYYY-MM-DD */
	int days;
	bool has_geo;
	double lat, lon;
	struct page_module *modules; /* of the mission's items, in order */
	size_t n_modules;
	char *base;     /* the base URL, "" when none */
	/* Each event of the calendar as an agenda line (<li>), the same on
	 * every page that shows it: written once, by the first page that
	 * needs it, then copied (n_items: the calendar's events). */
	struct buf *items;
	size_t n_items;
	/* A digest of the above and of how this build writes a page: with
	 * the calendar's digest, of everything a shared page is made of. */
	uint64_t hash;
};

/* Loads what pages show of m; base is the mission's base URL ("" when
 * none).  FS_ENOTFOUND. */
fs_err page_info_load(struct page_info **out, fs_store *store,
		      const struct cal_mission *m, const char *base);
void page_info_free(struct page_info *info);

/* Whose page: the mission's (group and person NULL), a group's, or a
 * person's (token: their feed token). */
struct page_subject {
	fs_feed_kind kind;
	const char *group;
	const struct cal_person *person;
	const char *token;
};

/* The path of the page under the publish directory ("M/index.html",
 * "M/group-A.html", "M/p/TOKEN.html"), and of the feed it offers. */
void page_paths(char *page, char *feed, size_t size,
		const struct cal_mission *m, const struct page_subject *who);

/* The SHA-256 (base64) of the one script every page carries, which a
 * Content-Security-Policy must allow (serve.c sends one). */
void page_script_hash(char out[45]);

/* The links of a subscription: the page's and the feed's addresses, the
 * feed's webcal, Google, Outlook.com and Microsoft 365 forms. */
struct page_links {
	char *page, *feed, *webcal, *google, *outlook, *office;
};

/* Fills l for the page and feed at page_rel and feed_rel under base, the
 * calendar named name; release it with page_links_release(). */
fs_err page_links_make(struct page_links *l, const char *base,
		       const char *page_rel, const char *feed_rel,
		       const char *name);
void page_links_release(struct page_links *l);

/* Appends the page of who to out. */
fs_err page_render(struct buf *out, const struct cal_mission *m,
		   const struct page_info *info, const struct page_subject *who);

/* The UTC offset (seconds) of a local wall-clock time in tz. */
int32_t page_offset(const struct zone *tz, int64_t day, int minutes);
/* "+08:00" (or, pretty, "UTC+08:00" with a real minus sign). */
void page_format_offset(char *out, size_t size, int32_t off, bool pretty);

/* schedule.xml and schedule.json (schedule_export.c): the voc/frab
 * schedule formats of conference apps, for the mission's every item. */
fs_err schedule_xml(struct buf *out, const struct cal_mission *m,
		    const struct page_info *info);
fs_err schedule_json(struct buf *out, const struct cal_mission *m,
		     const struct page_info *info);

/* One mission of the top-level index. */
struct page_listed {
	const char *code, *title, *city, *start, *base;
	int days;
};

/* Appends the top-level index.html of a publish directory: the missions
 * published there, with links. */
fs_err page_render_index(struct buf *out, const struct page_listed *missions,
			 size_t n);

#endif
