/*
 * page.c - the HTML pages of a mission: the mission's, each group's and
 * each participant's agenda, and the index of a publish directory.  The
 * only file that writes HTML.
 *
 * Safety: every text that a user typed goes through esc(), which escapes
 * the five characters that matter in text and in (always quoted)
 * attributes, drops control characters and pairs directional ones; shown
 * among other text it is isolated (text(): right-to-left text or a
 * directional control in a <bdi>, bidi.h); the only links are those built
 * here (the feeds, the map at a place's coordinates, the calendar
 * services), so no typed text ever becomes a link or markup.  A page loads
 * nothing: the style sheet and the one script are inline, allowed by
 * their SHA-256 in a Content-Security-Policy that allows nothing else.
 * Personal pages are not indexed and send no Referer, so their token does
 * not leak to the map site or to search engines.
 *
 * Times are the mission's local times, each with the offset the zone
 * database gives for that instant, in <time datetime>.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/page.h"
#include "fieldschool/qr.h"
#include "fieldschool/url.h"
#include "bidi.h"
#include "page.h"
#include "page_style.h"
#include "sha256.h"
#include "store.h"
#include "value.h"
#include "zone.h"

/* --- writing ------------------------------------------------------------ */

/* The page being written; the first failure sticks. */
struct out {
	struct buf *b;
	fs_err err;
	const struct page_info *info; /* its items: the lines made once */
};

static void
raw(struct out *o, const char *s)
{
	if (!o->err)
		o->err = buf_add(o->b, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
rawf(struct out *o, const char *fmt, ...)
{
	char small[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (o->err)
		return;
	if (n >= 0 && (size_t)n < sizeof(small)) {
		o->err = buf_add(o->b, small, (size_t)n);
		return;
	}
	char *big = NULL;
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	o->err = n < 0 ? fs_fail(FS_ENOMEM, "out of memory")
		       : buf_add(o->b, big, (size_t)n);
	free(big);
}

/* Text for an element or a quoted attribute: & < > " ' escaped, control
 * characters dropped; with breaks, a newline becomes <br>. */
static void
esc_text(struct out *o, const char *s, bool breaks)
{
	char *balanced = NULL;
	if (!o->err && (o->err = bidi_balanced(&balanced, s)))
		return;
	const char *run = s = balanced ? balanced : s;
	for (const char *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		const char *rep = NULL;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\n': rep = breaks ? "<br>" : " "; break;
		case '\t': rep = " "; break;
		default:
			if (c && c >= 0x20 && c != 0x7f)
				continue;
			rep = "";
		}
		if (!o->err && p > run)
			o->err = buf_add(o->b, run, (size_t)(p - run));
		if (!c)
			break;
		raw(o, rep);
		run = p + 1;
	}
	free(balanced);
}

/* For attributes and <title>, and within a <bdi> of our own. */
static void
esc(struct out *o, const char *s)
{
	esc_text(o, s, false);
}

/* Typed text shown among other text: isolated in a <bdi> when it could
 * reorder what is around it (bidi.h), as is, escaped, when it cannot. */
static void
text_lines(struct out *o, const char *s, bool breaks)
{
	char *balanced = NULL;
	if (!o->err && (o->err = bidi_balanced(&balanced, s)))
		return;
	bool isolate = bidi_needs_isolation(balanced ? balanced : s);
	raw(o, isolate ? "<bdi>" : "");
	esc_text(o, balanced ? balanced : s, breaks);
	raw(o, isolate ? "</bdi>" : "");
	free(balanced);
}

static void
text(struct out *o, const char *s)
{
	text_lines(o, s, false);
}

/* --- dates and times ---------------------------------------------------- */

static const char *const WEEKDAYS[] = { "Sunday", "Monday", "Tuesday",
					"Wednesday", "Thursday", "Friday",
					"Saturday" };
static const char *const MONTHS[] = { "January", "February", "March",
				      "April", "May", "June", "July",
				      "August", "September", "October",
				      "November", "December" };

static const char *
weekday(int64_t day)
{
	return WEEKDAYS[((day % 7) + 7 + 4) % 7]; /* 1970-01-01: Thursday */
}

int32_t
page_offset(const struct zone *tz, int64_t day, int minutes)
{
	struct zone_state s;
	int64_t local = day * 86400 + (int64_t)minutes * 60;
	zone_state_at(tz, local, &s);
	zone_state_at(tz, local - s.utoff, &s);
	return s.utoff;
}

void
page_format_offset(char *out, size_t size, int32_t off, bool pretty)
{
	int32_t a = off < 0 ? -off : off;
	snprintf(out, size, "%s%s%02d:%02d", pretty ? "UTC" : "",
		 off < 0 ? (pretty ? "\u2212" : "-") : "+", a / 3600,
		 a / 60 % 60);
}

/* <time datetime="2027-05-10T09:30-06:00">09:30</time> */
static void
put_time(struct out *o, const struct zone *tz, int64_t day, int minutes)
{
	char date[11], off[16];
	day += minutes / 1440;
	minutes %= 1440;
	format_date(day, date);
	page_format_offset(off, sizeof(off), page_offset(tz, day, minutes), false);
	rawf(o, "<time datetime=\"%sT%02d:%02d%s\">%02d:%02d</time>", date,
	     minutes / 60, minutes % 60, off, minutes / 60, minutes % 60);
}

/* <time datetime="2027-05-10">Monday 10 May 2027</time> */
static void
put_date(struct out *o, int64_t day, bool with_weekday, bool with_year)
{
	char date[11];
	int y, mo, d;
	format_date(day, date);
	civil_from_days(day, &y, &mo, &d);
	rawf(o, "<time datetime=\"%s\">%s%s%d %s", date,
	     with_weekday ? weekday(day) : "", with_weekday ? " " : "", d,
	     MONTHS[mo - 1]);
	if (with_year)
		rawf(o, " %d", y);
	raw(o, "</time>");
}

/* --- what a page shows -------------------------------------------------- */

/* One line of the agenda: an event, or a person's arrival or departure. */
struct entry {
	const struct cal_event *ev; /* NULL for travel */
	const char *travel;         /* "arrival", "departure" */
	int64_t day;
	int start, end;             /* minutes; start < 0: the whole day */
	size_t order;
};

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

/* Whether an audience is one group ("group:A"): the activities that run
 * in parallel, one column per group.  An item for several groups spans
 * the width, as an item for everyone does. */
static bool
one_group(const char *audience)
{
	return !strncmp(audience, "group:", 6) && audience[6] &&
	       !strchr(audience, ';');
}

static bool
audience_names(const char *audience, const char *group)
{
	size_t len = strlen(group);
	for (const char *p = audience; *p;) {
		size_t n = strcspn(p, ";");
		if (n == 6 + len && !strncmp(p, "group:", 6) &&
		    !memcmp(p + 6, group, len))
			return true;
		p += n + (p[n] == ';');
	}
	return false;
}

/* The person's arrival or departure, as the feed shows it: a time the
 * clocks skip is given at the time they show instead. */
static bool
travel_entry(struct entry *e, const struct cal_mission *m, const char *kind,
	     const char *when)
{
	int64_t day;
	int minutes;
	int32_t shift;

	if (!*when || parse_date_time(when, &day, &minutes))
		return false;
	if (minutes >= 0 &&
	    !zone_local_exists(m->tz, day * 86400 + minutes * 60, &shift)) {
		minutes += shift / 60;
		day += minutes / 1440;
		minutes %= 1440;
	}
	*e = (struct entry){ NULL, kind, day, minutes,
			     minutes < 0 ? -1 : minutes + 30, 0 };
	return true;
}

/* The entries of who's page, sorted: the same events as their feed. */
static fs_err
select_entries(struct entry **out, size_t *n_out, const struct cal_mission *m,
	       const struct page_subject *who)
{
	struct entry *list = calloc(m->n_events + 2, sizeof(*list));
	size_t n = 0;

	if (!list)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->n_events; i++) {
		const struct cal_event *e = &m->events[i];
		bool keep = who->kind == FS_FEED_GROUP
				    ? cal_event_for_group(e, who->group)
			    : who->kind == FS_FEED_PARTICIPANT
				    ? cal_event_for_person(e, who->person->group,
							   who->person->category)
				    : true;
		if (keep)
			list[n++] = (struct entry){ e, NULL, e->item.day,
						    e->item.start, e->item.end,
						    0 };
	}
	if (who->kind == FS_FEED_PARTICIPANT) {
		n += travel_entry(&list[n], m, "arrival", who->person->arrival);
		n += travel_entry(&list[n], m, "departure",
				  who->person->departure);
	}
	for (size_t i = 0; i < n; i++)
		list[i].order = i;
	qsort(list, n, sizeof(*list), entry_cmp);
	*out = list;
	*n_out = n;
	return FS_OK;
}

void
page_paths(char *page, char *feed, size_t size, const struct cal_mission *m,
	   const struct page_subject *who)
{
	switch (who->kind) {
	case FS_FEED_GROUP:
		snprintf(page, size, "%s/group-%s.html", m->code, who->group);
		snprintf(feed, size, "%s/group-%s.ics", m->code, who->group);
		break;
	case FS_FEED_PARTICIPANT:
		fs_path_personal(page, size, m->code, who->token, "html");
		fs_path_personal(feed, size, m->code, who->token, "ics");
		break;
	default:
		snprintf(page, size, "%s/index.html", m->code);
		snprintf(feed, size, "%s/%s.ics", m->code, m->code);
		break;
	}
}

/* --- the parts of a page ------------------------------------------------- */

void
page_script_hash(char out[45])
{
	sha256_base64(PAGE_JS, strlen(PAGE_JS), out);
}

/* The head, up to <body>: the policy allows the inline style sheet and
 * script by their hashes, and nothing else. */
static void
page_head(struct out *o, const char *title, bool private)
{
	static char style_hash[45], script_hash[45];
	if (!style_hash[0]) { /* the same bytes every time */
		sha256_base64(PAGE_CSS, strlen(PAGE_CSS), style_hash);
		sha256_base64(PAGE_JS, strlen(PAGE_JS), script_hash);
	}
	raw(o, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	       "<meta charset=\"utf-8\">\n"
	       "<meta name=\"viewport\" content=\"width=device-width, "
	       "initial-scale=1\">\n");
	rawf(o, "<meta http-equiv=\"Content-Security-Policy\" "
		"content=\"default-src 'none'; style-src 'sha256-%s'; "
		"script-src 'sha256-%s'; img-src 'none'; base-uri 'none'; "
		"form-action 'none'\">\n",
	     style_hash, script_hash);
	if (private)
		raw(o, "<meta name=\"robots\" content=\"noindex, nofollow, "
		       "noarchive\">\n"
		       "<meta name=\"referrer\" content=\"no-referrer\">\n");
	raw(o, "<meta name=\"generator\" content=\"fieldschool\">\n<title>");
	esc(o, title);
	raw(o, "</title>\n<style>");
	raw(o, PAGE_CSS);
	raw(o, "</style>\n</head>\n<body>\n"
	       "<a class=\"skip\" href=\"#agenda\">Skip to the agenda</a>\n");
}

static void
page_end(struct out *o, const char *note)
{
	raw(o, "</main>\n<footer><div class=\"w\">");
	if (note)
		rawf(o, "<p>%s</p>", note);
	raw(o, "<p>Made with fieldschool.</p></div></footer>\n<script>");
	raw(o, PAGE_JS);
	raw(o, "</script>\n</body>\n</html>\n");
}

/* A link to a map at the coordinates (never a typed URL). */
static void
map_link(struct out *o, double lat, double lon, const char *what)
{
	rawf(o, " <a class=\"map\" href=\"https://www.openstreetmap.org/?"
		"mlat=%.5f&amp;"
		"mlon=%.5f#map=17/%.5f/%.5f\">Map<span class=\"vh\"> of ",
	     lat, lon, lat, lon);
	text(o, what);
	raw(o, "</span></a>");
}

/* Dates, place, and the time zone said once. */
static void
mission_facts(struct out *o, const struct cal_mission *m,
	      const struct page_info *info)
{
	int64_t first = 0;
	char a[24], b[24];

	parse_date(info->start, &first);
	int64_t last = first + (info->days > 0 ? info->days - 1 : 0);
	raw(o, "<p>");
	put_date(o, first, false, false);
	raw(o, " \u2013 ");
	put_date(o, last, false, true);
	raw(o, " \u00b7 ");
	text(o, m->city);
	if (*info->country) {
		raw(o, " (");
		text(o, info->country);
		raw(o, ")");
	}
	raw(o, "</p>\n");
	if (*info->venue || *info->address) {
		raw(o, "<p>Venue: ");
		text(o, info->venue);
		raw(o, *info->venue && *info->address ? ", " : "");
		text(o, info->address);
		if (info->has_geo)
			map_link(o, info->lat, info->lon,
				 *info->venue ? info->venue : info->address);
		raw(o, "</p>\n");
	}
	page_format_offset(a, sizeof(a), page_offset(m->tz, first, 720), true);
	page_format_offset(b, sizeof(b), page_offset(m->tz, last, 720), true);
	raw(o, "<p class=\"tz\">All times are local time in ");
	text(o, m->city);
	raw(o, " (");
	esc(o, m->zone);
	rawf(o, ", %s%s%s).</p>\n", a, strcmp(a, b) ? " / " : "",
	     strcmp(a, b) ? b : "");
}

/* A QR code of url, labelled for screen readers. */
static void
qr_figure(struct out *o, const char *url)
{
	fs_qr qr = FS_QR_INIT;
	char *svg = NULL;

	if (fs_qr_encode(&qr, url) || !(svg = fs_qr_svg(&qr))) {
		fs_qr_release(&qr);
		return; /* an address too long for a code: the link stays */
	}
	raw(o, "<figure class=\"qr\"><svg aria-label=\"QR code of this "
	       "page&#39;s address: ");
	esc(o, url);
	raw(o, "\"");
	raw(o, svg + 4); /* after "<svg" */
	raw(o, "<figcaption>Scan to open this page on a phone</figcaption>"
	       "</figure>\n");
	free(svg);
	fs_qr_release(&qr);
}

/* The subscribe block of the feed at feed_rel, named name. */
static void
subscribe(struct out *o, const struct page_info *info, const char *page_rel,
	  const char *feed_rel, const char *name, const char *what)
{
	struct page_links l;
	const char *slash = strrchr(feed_rel, '/');
	const char *file = slash ? slash + 1 : feed_rel;

	raw(o, "<section class=\"sub\" aria-labelledby=\"sub\">\n<div>\n"
	       "<h2 id=\"sub\">Subscribe to ");
	raw(o, what);
	raw(o, "</h2>\n<p>Add it to your calendar app once: changes the "
	       "organizers make then reach your phone and computer.</p>\n");
	if (!*info->base) {
		raw(o, "<p class=\"note\">Subscribe links need the address at "
		       "which these pages are served: the organizers give it "
		       "with <code>fieldschool publish --base-url</code>. "
		       "Meanwhile, <a href=\"");
		esc(o, file);
		raw(o, "\">download the calendar file</a> to import it once."
		       "</p>\n</div>\n</section>\n");
		return;
	}
	if ((o->err = o->err ? o->err
			     : page_links_make(&l, info->base, page_rel, feed_rel,
					  name)))
		return;
	raw(o, "<ul class=\"apps\">\n<li><a href=\"");
	esc(o, l.webcal);
	raw(o, "\">Apple Calendar, Thunderbird</a></li>\n<li><a href=\"");
	esc(o, l.google);
	raw(o, "\">Add to Google Calendar</a></li>\n<li><a href=\"");
	esc(o, l.outlook);
	raw(o, "\">Add to Outlook.com</a></li>\n<li><a href=\"");
	esc(o, l.office);
	raw(o, "\">Add to Microsoft 365</a></li>\n</ul>\n"
	       "<p class=\"copy\"><label for=\"feed-url\">Calendar address"
	       "</label> <input id=\"feed-url\" type=\"url\" readonly "
	       "value=\"");
	esc(o, l.feed);
	raw(o, "\"> <button type=\"button\" data-copy=\"feed-url\" hidden>"
	       "Copy</button></p>\n");
	raw(o, SUBSCRIBE_HELP);
	raw(o, "</div>\n");
	qr_figure(o, l.page);
	raw(o, "</section>\n");
	page_links_release(&l);
}

/* --- the agenda ---------------------------------------------------------- */

static const char *
kind_label(const char *kind)
{
	static const char *const names[][2] = {
		{ "session", "Session" }, { "visit", "Site visit" },
		{ "travel", "Travel" },   { "meal", "Meal" },
		{ "break", "Break" },     { "ceremony", "Ceremony" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(kind, names[i][0]))
			return names[i][1];
	return kind;
}

/* "everyone", "group A, category lgu-focal" */
static void
put_audience(struct out *o, const char *audience)
{
	if (!strcmp(audience, "all") || !*audience) {
		raw(o, "everyone");
		return;
	}
	for (const char *p = audience; *p;) {
		size_t n = strcspn(p, ";");
		const char *colon = memchr(p, ':', n);
		char part[256];
		snprintf(part, sizeof(part), "%.*s", (int)n, p);
		if (colon)
			part[colon - p] = ' ';
		raw(o, p == audience ? "" : ", ");
		text(o, part);
		p += n + (p[n] == ';');
	}
}

/* Names joined by ';', shown joined by sep. */
static void
put_list(struct out *o, const char *names, const char *sep)
{
	for (const char *p = names; *p;) {
		size_t n = strcspn(p, ";");
		char name[512];
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		raw(o, p == names ? "" : sep);
		text(o, name);
		p += n + (p[n] == ';');
	}
}

/* An arrival or departure of the person's page. */
static void
travel_item(struct out *o, const struct cal_mission *m, const struct entry *e)
{
	bool arriving = !strcmp(e->travel, "arrival");
	rawf(o, "<li class=\"it k-%s\" id=\"%s\">\n<p class=\"when\">",
	     e->travel, e->travel);
	if (e->start >= 0)
		put_time(o, m->tz, e->day, e->start);
	else
		raw(o, "All day");
	raw(o, arriving ? "</p>\n<div><p class=\"t\">Arrival in "
			: "</p>\n<div><p class=\"t\">Departure from ");
	text(o, m->city);
	raw(o, "</p>\n<p class=\"m\"><span class=\"kind\">Travel</span>Your ");
	raw(o, arriving ? "arrival" : "departure");
	raw(o, e->start >= 0 ? ", as registered.</p>"
			     : ", as registered (no time given).</p>");
	raw(o, "</div></li>\n");
}

static void
write_event_item(struct out *o, const struct cal_mission *m,
		 const struct entry *e, const char *venue_name)
{
	const struct cal_item *it = &e->ev->item;

	rawf(o, "<li class=\"it k-%s%s\" id=\"i%lld\"><p class=\"when\">",
	     strchr(it->kind, '"') ? "other" : it->kind,
	     it->cancelled ? " x" : "", (long long)it->id);
	put_time(o, m->tz, it->day, it->start);
	raw(o, "\u2013");
	put_time(o, m->tz, it->day, it->end);
	raw(o, "</p><div><p class=\"t\">");
	if (it->cancelled) {
		raw(o, it->removed ? "<span class=\"flag\">Removed</span><del>"
				   : "<span class=\"flag\">Cancelled</span><del>");
		text(o, it->title);
		raw(o, "</del>");
	} else {
		text(o, it->title);
	}
	raw(o, "</p><p class=\"m\"><span class=\"kind\">");
	text(o, kind_label(it->kind));
	raw(o, "</span>");
	if (*it->module) { /* its title is in the curriculum, once */
		text(o, it->module);
		raw(o, " \u00b7 ");
	}
	raw(o, "For ");
	put_audience(o, e->ev->audience);
	raw(o, "</p>");
	if (*it->place && !strcmp(it->place, venue_name)) {
		/* the venue's address and map are in the header, once */
		raw(o, "<p class=\"m\">");
		text(o, it->place);
		raw(o, " (the venue)</p>");
	} else if (*it->place || *it->address) {
		raw(o, "<p class=\"m\">");
		text(o, it->place);
		raw(o, *it->place && *it->address ? ", " : "");
		text(o, it->address);
		if (it->has_geo)
			map_link(o, it->lat, it->lon,
				 *it->place ? it->place : it->address);
		raw(o, "</p>");
	}
	if (*e->ev->facilitators) {
		raw(o, "<p class=\"m\">Facilitators: ");
		put_list(o, e->ev->facilitators, ", ");
		raw(o, "</p>");
	}
	if (*it->host) {
		raw(o, "<p class=\"m\">Host: ");
		text(o, it->host);
		raw(o, "</p>");
	}
	if (*it->description) {
		raw(o, "<p class=\"desc\">");
		text_lines(o, it->description, true);
		raw(o, "</p>");
	}
	if (it->cancelled)
		raw(o, it->removed ? "<p class=\"m\">Removed from the agenda."
				     "</p>\n"
				   : "<p class=\"m\">This item is cancelled."
				     "</p>\n");
	raw(o, "</div></li>\n");
}

/* An event's line depends on the event, the mission and its venue only:
 * 150,000 personal pages copy the lines that the first page wrote. */
static void
event_item(struct out *o, const struct cal_mission *m, const struct entry *e,
	   const char *venue_name)
{
	size_t i = (size_t)(e->ev - m->events);
	struct buf *line = o->info && i < o->info->n_items
				   ? &o->info->items[i] : NULL;
	size_t at = o->b->len;

	if (line && line->len) {
		if (!o->err)
			o->err = buf_add(o->b, line->data, line->len);
		return;
	}
	write_event_item(o, m, e, venue_name);
	if (line && !o->err)
		o->err = buf_add(line, o->b->data + at, o->b->len - at);
}

static void
entry_item(struct out *o, const struct cal_mission *m, const struct entry *e,
	   const char *venue_name)
{
	if (e->ev)
		event_item(o, m, e, venue_name);
	else
		travel_item(o, m, e);
}

/* Entries [from, to) for groups only, side by side: one column per group
 * they name, in the mission's order of groups. */
static void
parallel(struct out *o, const struct cal_mission *m, const char *venue,
	 const struct entry *list, size_t from, size_t to)
{
	raw(o, "<li class=\"par\">\n");
	for (size_t g = 0; g < m->n_groups; g++) {
		const char *group = m->groups[g];
		bool any = false;
		for (size_t i = from; i < to && !any; i++)
			any = audience_names(list[i].ev->audience, group);
		if (!any)
			continue;
		raw(o, "<section><h3>Group ");
		text(o, group);
		raw(o, "</h3>\n<ol>\n");
		for (size_t i = from; i < to; i++)
			if (audience_names(list[i].ev->audience, group))
				entry_item(o, m, &list[i], venue);
		raw(o, "</ol></section>\n");
	}
	raw(o, "</li>\n");
}

/* How many groups the entries [from, to) name. */
static size_t
count_columns(const struct cal_mission *m, const struct entry *list,
	      size_t from, size_t to)
{
	size_t n = 0;
	for (size_t g = 0; g < m->n_groups; g++) {
		bool any = false;
		for (size_t i = from; i < to && !any; i++)
			any = audience_names(list[i].ev->audience, m->groups[g]);
		n += any;
	}
	return n;
}

static bool
is_parallel(const struct entry *e)
{
	return e->ev && one_group(e->ev->audience);
}

/* One day: its heading and its entries [from, to). */
static void
one_day(struct out *o, const struct cal_mission *m, const char *venue,
	int64_t day, int64_t first, int n_days, const struct entry *list,
	size_t from, size_t to)
{
	char id[11];
	format_date(day, id);
	rawf(o, "<section class=\"day\" aria-labelledby=\"d%s\">\n"
		"<h2 id=\"d%s\">", id, id);
	if (day >= first && day < first + n_days)
		rawf(o, "Day %d: ", (int)(day - first + 1));
	put_date(o, day, true, true);
	raw(o, "</h2>\n");
	if (from == to) {
		raw(o, "<p class=\"note\">Nothing on the agenda.</p>\n"
		       "</section>\n");
		return;
	}
	raw(o, "<ol>\n");
	for (size_t i = from; i < to;) {
		size_t j = i;
		while (j < to && is_parallel(&list[j]))
			j++;
		if (j > i && count_columns(m, list, i, j) > 1) {
			parallel(o, m, venue, list, i, j);
			i = j;
			continue;
		}
		for (j = j > i ? j : i + 1; i < j; i++)
			entry_item(o, m, &list[i], venue);
	}
	raw(o, "</ol>\n</section>\n");
}

/* Every mission day, and any other day with an entry (travel, an item
 * moved outside the mission), in order. */
static void
agenda(struct out *o, const struct cal_mission *m,
       const struct page_info *info, const struct entry *list, size_t n)
{
	int64_t first = 0;
	parse_date(info->start, &first);
	int64_t day = n && list[0].day < first ? list[0].day : first;
	int64_t last = first + info->days - 1;
	size_t i = 0;

	if (n && list[n - 1].day > last)
		last = list[n - 1].day;
	raw(o, "<div id=\"agenda\">\n");
	for (; day <= last; day++) {
		size_t from = i;
		while (i < n && list[i].day == day)
			i++;
		if (i > from || (day >= first && day < first + info->days))
			one_day(o, m, info->venue, day, first, info->days,
				list, from, i);
	}
	raw(o, "</div>\n");
}

static void
modules(struct out *o, const struct page_info *info)
{
	if (!info->n_modules)
		return;
	raw(o, "<section class=\"mods\" aria-labelledby=\"mods\">\n"
	       "<h2 id=\"mods\">Curriculum</h2>\n<ul>\n");
	for (size_t i = 0; i < info->n_modules; i++) {
		const struct page_module *mod = &info->modules[i];
		raw(o, "<li><strong>");
		text(o, mod->label);
		raw(o, ":</strong> ");
		text(o, mod->title);
		if (*mod->topics) {
			raw(o, "<br><span class=\"m\">");
			put_list(o, mod->topics, " \u00b7 ");
			raw(o, "</span>");
		}
		raw(o, "</li>\n");
	}
	raw(o, "</ul>\n</section>\n");
}

/* The mission page's links to the group pages and the schedules. */
static void
mission_nav(struct out *o, const struct cal_mission *m)
{
	raw(o, "<nav aria-labelledby=\"more\">\n<h2 id=\"more\">More agendas"
	       "</h2>\n<ul>\n");
	for (size_t i = 0; i < m->n_groups; i++) {
		char *file = NULL, *href;
		if (asprintf(&file, "group-%s.html", m->groups[i]) < 0 ||
		    !(href = fs_url_encode(file))) {
			free(file);
			o->err = o->err ? o->err : fs_fail(FS_ENOMEM, "out of memory");
			return;
		}
		raw(o, "<li><a href=\"");
		esc(o, href);
		raw(o, "\">Group ");
		text(o, m->groups[i]);
		raw(o, "</a></li>\n");
		free(href);
		free(file);
	}
	raw(o, "<li><a href=\"schedule.xml\">schedule.xml</a> and "
	       "<a href=\"schedule.json\">schedule.json</a> for conference "
	       "apps (Giggity, EventFahrplan, ConfClerk)</li>\n</ul>\n</nav>\n");
}

fs_err
page_render(struct buf *out, const struct cal_mission *m,
	    const struct page_info *info, const struct page_subject *who)
{
	struct out o = { out, FS_OK, info };
	struct entry *list = NULL;
	size_t n = 0;
	char page_rel[256], feed_rel[256];
	struct buf title = BUF_INIT, name = BUF_INIT;
	const struct cal_person *p = who->person;
	bool personal = who->kind == FS_FEED_PARTICIPANT;
	fs_err err;

	page_paths(page_rel, feed_rel, sizeof(page_rel), m, who);
	if ((err = select_entries(&list, &n, m, who)))
		return err;
	/* the calendar's name, as the feed has it */
	if (personal)
		err = buf_addf(&name, "%s: %s%s%s", m->title, p->given,
			       *p->given && *p->family ? " " : "", p->family);
	else if (who->kind == FS_FEED_GROUP)
		err = buf_addf(&name, "%s: group %s", m->title, who->group);
	else
		err = buf_addf(&name, "%s", m->title);
	if (!err)
		err = buf_addf(&title, "%s", name.data);
	if (err)
		goto done;

	page_head(&o, title.data, personal);
	raw(&o, "<header class=\"top\"><div class=\"w\">\n<p class=\"kick\">");
	if (who->kind == FS_FEED_MISSION) {
		raw(&o, "Field school \u00b7 ");
		text(&o, m->city);
		raw(&o, "</p>\n<h1>");
		text(&o, m->title);
	} else {
		text(&o, m->title);
		raw(&o, "</p>\n<h1>");
		if (personal) {
			raw(&o, "Agenda of <bdi>");
			esc(&o, p->given);
			raw(&o, *p->given && *p->family ? " " : "");
			esc(&o, p->family);
			raw(&o, "</bdi>");
		} else {
			raw(&o, "Agenda of group <bdi>");
			esc(&o, who->group);
			raw(&o, "</bdi>");
		}
	}
	raw(&o, "</h1>\n");
	mission_facts(&o, m, info);
	if (personal && *p->group) {
		raw(&o, "<p>Your site-visit group: <strong>");
		text(&o, p->group);
		raw(&o, "</strong></p>\n");
	}
	if (who->kind != FS_FEED_MISSION)
		raw(&o, personal ? "<p><a href=\"../index.html\">The whole "
				   "agenda of the mission</a></p>\n"
				 : "<p><a href=\"index.html\">The whole agenda "
				   "of the mission</a></p>\n");
	raw(&o, "</div></header>\n<main class=\"w\">\n");
	subscribe(&o, info, page_rel, feed_rel, name.data,
		  personal ? "your agenda"
		  : who->kind == FS_FEED_GROUP ? "this group&#39;s agenda"
					       : "the whole agenda");
	if (who->kind == FS_FEED_MISSION)
		mission_nav(&o, m);
	agenda(&o, m, info, list, n);
	modules(&o, info);
	page_end(&o, personal ? "This page and its calendar are yours alone: "
				"their address is private. Do not share it; "
				"the organizers can give you a new one."
			      : NULL);
	err = o.err;
done:
	free(list);
	buf_release(&title);
	buf_release(&name);
	return err;
}

fs_err
page_render_index(struct buf *out, const struct page_listed *missions,
		  size_t n)
{
	struct out o = { out, FS_OK, NULL };

	page_head(&o, "Field schools", false);
	raw(&o, "<header class=\"top\"><div class=\"w\">\n<p class=\"kick\">"
		"Agendas and calendars</p>\n<h1>Field schools</h1>\n"
		"<p>Each field school\u2019s agenda, day by day, with links to "
		"subscribe to it from your calendar app.</p>\n"
		"</div></header>\n<main class=\"w\">\n<div id=\"agenda\">\n"
		"<h2>Missions</h2>\n<ul class=\"mods\">\n");
	for (size_t i = 0; i < n; i++) {
		const struct page_listed *l = &missions[i];
		int64_t first = 0;
		char *href = fs_url_encode(l->code);
		if (!href)
			return fs_fail(FS_ENOMEM, "out of memory");
		parse_date(l->start, &first);
		raw(&o, "<li><a href=\"");
		esc(&o, href);
		raw(&o, "/index.html\"><strong>");
		text(&o, l->title);
		raw(&o, "</strong></a><br><span class=\"m\">");
		put_date(&o, first, false, false);
		raw(&o, " \u2013 ");
		put_date(&o, first + (l->days > 0 ? l->days - 1 : 0), false,
			 true);
		raw(&o, " \u00b7 ");
		text(&o, l->city);
		raw(&o, "</span></li>\n");
		free(href);
	}
	if (!n)
		raw(&o, "<li>Nothing is published here yet.</li>\n");
	raw(&o, "</ul>\n</div>\n");
	page_end(&o, NULL);
	return o.err;
}
