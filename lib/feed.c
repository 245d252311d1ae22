/*
 * feed.c - iCalendar text, through libical (with feed_head.c, which builds
 * the calendar's head and VTIMEZONE): a mission's events, and the feeds.
 *
 * What real clients need, and where it comes from:
 *  - TZID is the plain IANA name and the VTIMEZONE is built (feed_head.c)
 *    from the system zone database for the feed's dates only (zone.c), because
 *    libical's built-in zones carry a prefixed TZID and a century of rules.
 *  - UID is the item's random uid; SEQUENCE comes from the store, and so
 *    does DTSTAMP (the item's last change, not the clock), so that
 *    publishing twice gives the same bytes.  SEQUENCE, then DTSTAMP, is
 *    what orders the versions of an event (RFC 5546 2.1.5).
 *  - No CREATED and no LAST-MODIFIED (both optional, RFC 5545 3.8.7.1 and
 *    3.8.7.3; together 6.5% of a personal feed): LAST-MODIFIED would
 *    repeat DTSTAMP byte for byte, since both are the item's last change,
 *    and no client we know of shows CREATED or takes an update by it.
 *  - A cancelled or removed item stays, with STATUS:CANCELLED and
 *    "Cancelled: " before its title: some clients hide cancelled events,
 *    others show them unmarked.  Any other event has no STATUS: RFC 5545
 *    (3.8.1.11) gives STATUS no default, and calendars draw an event
 *    without one as a CONFIRMED one (only TENTATIVE and CANCELLED look
 *    different; a dialog that lists the status, as Thunderbird's can, says
 *    none instead of "confirmed").  A feed replaces the whole event, so an
 *    item no longer cancelled loses its STATUS:CANCELLED with the rest.
 *  - ORGANIZER is the mission's contact: RFC 5546 requires one in a
 *    METHOD:PUBLISH calendar, so a mission without a contact email gets
 *    no METHOD (libical's icalrestriction_check would refuse every event).
 *  - X-WR-CALNAME is TEXT (VALUE=TEXT, ',' ';' '\' and line breaks
 *    escaped) so that clients that read X- values as TEXT only when told
 *    get back the exact name.
 *  - X-APPLE-STRUCTURED-LOCATION beside GEO makes Apple's clients open the
 *    map at the place rather than geocode the address text (they ignore
 *    GEO).  See add_apple_location() for the parameters it keeps.
 * libical escapes text, quotes parameters (RFC 6868), writes CRLF and folds
 * lines at 75 octets without splitting a UTF-8 sequence.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_ical.h"
#include "store.h"
#include "strmap.h"
#include "value.h"
#include "zone.h"


/* --- buffers ----------------------------------------------------------- */

fs_err
buf_add(struct buf *b, const void *data, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->len + len + 1)
			cap *= 2;
		char *grown = realloc(b->data, cap);
		if (!grown)
			return fs_fail(FS_ENOMEM, "out of memory");
		b->data = grown;
		b->cap = cap;
	}
	memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return FS_OK;
}

fs_err
buf_addf(struct buf *b, const char *fmt, ...)
{
	char small[512], *big = NULL;
	va_list ap;
	int n;
	fs_err err;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((size_t)n < sizeof(small))
		return buf_add(b, small, (size_t)n);
	va_start(ap, fmt);
	n = vasprintf(&big, fmt, ap);
	va_end(ap);
	if (n < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	err = buf_add(b, big, (size_t)n);
	free(big);
	return err;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* --- values into libical ---------------------------------------------- */

/* 'YYYY-MM-DD' and 'HH:MM' as a floating local time; minutes < 0: a date. */
static struct icaltimetype
local_time(int64_t day, int minutes)
{
	struct icaltimetype t = icaltime_null_time();
	civil_from_days(day, &t.year, &t.month, &t.day);
	if (minutes < 0) {
		t.is_date = 1;
	} else {
		t.hour = minutes / 60;
		t.minute = minutes % 60;
	}
	return t;
}

/* 'YYYY-MM-DDTHH:MM:SSZ' as a UTC time (the epoch when unreadable). */
static struct icaltimetype
utc_time(const char *stamp)
{
	struct icaltimetype t = icaltime_null_time();
	if (sscanf(stamp, "%4d-%2d-%2dT%2d:%2d:%2dZ", &t.year, &t.month,
		   &t.day, &t.hour, &t.minute, &t.second) != 6) {
		t = icaltime_null_time();
		t.year = 1970, t.month = 1, t.day = 1;
	}
	t.zone = icaltimezone_get_utc_timezone();
	return t;
}

/* A date-time with TZID=<IANA name>, or a DATE. */
static icalproperty *
with_zone(icalproperty *p, const char *zone, bool is_date)
{
	if (is_date)
		icalproperty_add_parameter(p,
					   icalparameter_new_value(ICAL_VALUE_DATE));
	else
		icalproperty_add_parameter(p, icalparameter_new_tzid(zone));
	return p;
}

struct icaltimetype
cal_utc_instant(int64_t t)
{
	struct icaltimetype u = icaltime_null_time();
	int64_t day = t / 86400 - (t % 86400 < 0);
	int64_t secs = t - day * 86400;
	civil_from_days(day, &u.year, &u.month, &u.day);
	u.hour = (int)(secs / 3600);
	u.minute = (int)(secs / 60 % 60);
	u.second = (int)(secs % 60);
	u.zone = icaltimezone_get_utc_timezone();
	return u;
}

/*
 * DTSTART and DTEND of a timed event.  A wall-clock time in the hour the
 * clocks go back happens twice; RFC 5545 (3.3.5) says it means the first,
 * but libical, python-icalendar, ical.js, node-ical and khal take the
 * second.  So an event that starts or ends in such an hour is written in
 * UTC, at the first occurrence, which every reader agrees on; every other
 * event keeps its local time and TZID.
 */
static void
add_times(icalcomponent *ev, const struct zone *tz, const char *zone,
	  int64_t start_day, int start, int64_t end_day, int end,
	  bool end_after_start)
{
	int32_t back_start = 0, back_end = 0;
	int64_t at = zone_local_to_utc(tz, start_day * 86400 + start * 60,
				       &back_start);
	int64_t until = zone_local_to_utc(tz, end_day * 86400 + end * 60,
					  &back_end);

	if (back_start || back_end) {
		if (end_after_start)
			until = at + (int64_t)(end - start +
					       (end_day - start_day) * 1440) * 60;
		icalcomponent_add_property(
			ev, icalproperty_new_dtstart(cal_utc_instant(at)));
		icalcomponent_add_property(
			ev, icalproperty_new_dtend(cal_utc_instant(until)));
		return;
	}
	icalcomponent_add_property(
		ev, with_zone(icalproperty_new_dtstart(local_time(start_day, start)),
			      zone, false));
	icalcomponent_add_property(
		ev, with_zone(icalproperty_new_dtend(local_time(end_day, end)),
			      zone, false));
}

/*
 * A parameter value cannot hold a control character or a double quote
 * even when quoted; RFC 6868 encodes the newline and the quote, which not
 * every client decodes, so we fold them to a space and an apostrophe.
 */
static char *
param_text(const char *s)
{
	char *copy = strdup(s);
	for (char *p = copy; p && *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
		else if (*p == '"')
			*p = '\'';
	}
	return copy;
}

static void
add_text(icalcomponent *c, icalproperty *(*make)(const char *),
	 const char *text)
{
	if (text && *text)
		icalcomponent_add_property(c, make(text));
}

void
cal_add_x(icalcomponent *c, const char *name, const char *value)
{
	icalproperty *p = icalproperty_new_x(value);
	icalproperty_set_x_name(p, name);
	icalcomponent_add_property(c, p);
}

/*
 * An X- property with a TEXT value, escaped as RFC 5545 TEXT.  libical
 * 3.0.16 escapes ',' and ';' in a TEXT value unless the value's property is
 * an X- property (then it escapes only '\\' and line breaks, and readers
 * cut the name at a ',' or keep '\\' doubled); a value without a parent is
 * escaped in full, so the value is detached while the line is written.
 * Returns the serialized line (the caller frees it).
 */
static char *
x_text_line(const char *name, const char *value)
{
	icalproperty *p = icalproperty_new(ICAL_X_PROPERTY);
	icalvalue *v = icalvalue_new_text(value);
	char *line;

	icalproperty_set_x_name(p, name);
	icalproperty_set_value(p, v); /* adds VALUE=TEXT when written */
	icalvalue_set_parent(v, NULL);
	line = icalproperty_as_ical_string_r(p);
	icalvalue_set_parent(v, p);
	icalproperty_free(p);
	return line;
}

char *
cal_serialize(icalcomponent *c, size_t *len)
{
	char *text = icalcomponent_as_ical_string_r(c);
	icalcomponent_free(c);
	if (text && len)
		*len = strlen(text);
	return text;
}

static char *
dupe(const char *s)
{
	return strdup(s ? s : "");
}

/* ORGANIZER: RFC 5546 wants one on every event of a PUBLISH calendar. */
static fs_err
add_organizer(icalcomponent *ev, const char *name, const char *email)
{
	char *mailto = NULL, *cn;

	if (!*email)
		return FS_OK;
	if (!(cn = param_text(name)) || asprintf(&mailto, "mailto:%s", email) < 0) {
		free(cn);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	icalproperty *o = icalproperty_new_organizer(mailto);
	if (*cn)
		icalproperty_add_parameter(o, icalparameter_new_cn(cn));
	icalcomponent_add_property(ev, o);
	free(mailto);
	free(cn);
	return FS_OK;
}

/* --- events ------------------------------------------------------------ */

/* The columns of Q_FEED_ITEMS. */
enum { I_UID, I_SEQUENCE, I_UPDATED, I_DAY, I_START, I_END,
       I_KIND, I_TITLE, I_MODULE, I_MODULE_TITLE, I_PLACE, I_ADDRESS, I_LAT,
       I_LON, I_HOST, I_AUDIENCE, I_DESCRIPTION, I_STATUS, I_REMOVED,
       I_FACILITATORS, I_ID };

/* The item's fields, for pages and schedules. */
static fs_err
item_of(struct cal_item *it, sqlite3_stmt *row, int64_t day, int start,
	int end)
{
	char **const fields[] = { &it->uid, &it->kind, &it->title, &it->module,
				  &it->module_title, &it->place, &it->address,
				  &it->host, &it->description };
	const int columns[] = { I_UID, I_KIND, I_TITLE, I_MODULE,
				I_MODULE_TITLE, I_PLACE, I_ADDRESS, I_HOST,
				I_DESCRIPTION };

	it->id = sqlite3_column_int64(row, I_ID);
	it->day = day;
	it->start = start;
	it->end = end;
	it->removed = sqlite3_column_int(row, I_REMOVED);
	it->cancelled = it->removed ||
			!strcmp(store_text(row, I_STATUS), "cancelled");
	it->has_geo = sqlite3_column_type(row, I_LAT) != SQLITE_NULL &&
		      sqlite3_column_type(row, I_LON) != SQLITE_NULL;
	it->lat = sqlite3_column_double(row, I_LAT);
	it->lon = sqlite3_column_double(row, I_LON);
	for (size_t i = 0; i < sizeof(columns) / sizeof(*columns); i++)
		if (!(*fields[i] = dupe(store_text(row, columns[i]))))
			return fs_fail(FS_ENOMEM, "out of memory");
	return FS_OK;
}

static void
item_release(struct cal_item *it)
{
	char *fields[] = { it->uid, it->kind, it->title, it->module,
			   it->module_title, it->place, it->address, it->host,
			   it->description };
	for (size_t i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		free(fields[i]);
}

/* A coordinate to 6 decimals (about 0.1 m) without trailing zeros, at the
 * end of out: "19.4504" (RFC 5870 wants no fixed number of decimals). */
static void
add_geo_number(char *out, size_t size, double value)
{
	size_t len = strlen(out);
	snprintf(out + len, size - len, "%.6f", value);
	char *end = out + strlen(out);
	while (end[-1] == '0')
		*--end = '\0';
	if (end[-1] == '.')
		end[-1] = '\0';
}

/*
 * Apple's structured location.  Apple documents it only as EventKit's
 * EKStructuredLocation: a title, a position and a radius in metres (0 for
 * the default); no address.  What its clients write in iCalendar is known
 * from their files, and from the libraries that copied them:
 *  - VALUE=URI, the position as a geo: URI (RFC 5870), X-APPLE-RADIUS and
 *    X-TITLE are in every structured location Calendar writes; X-ADDRESS
 *    only in some: not for a city (ical-generator issue 236), nor for an
 *    address picked as the place, where X-TITLE is the whole LOCATION text
 *    ("3140 Bay Rd\nRedwood City, CA 94063, United States"), nor in an
 *    iOS 26 location alarm (X-APPLE-RADIUS=100 and X-TITLE only).
 *  - Calendar shows the map only when LOCATION matches the structured
 *    location (collective/icalendar issue 116, ical-generator pull request
 *    170): LOCATION "title\naddress" with X-TITLE and X-ADDRESS, or
 *    LOCATION equal to X-TITLE; the latter is the fix that made the map
 *    show in ical-generator issue 236.
 * Our LOCATION is "place, address", neither "title\naddress" nor a title
 * alone; so X-TITLE is that text exactly and there is no X-ADDRESS.  The
 * property still repeats LOCATION (its share of a feed hardly changes:
 * X-TITLE and X-ADDRESS held the place and the address before), as every
 * form known to show the map does; what could go was the second
 * parameter.  The radius stays, as in every structured location known to
 * show a map (100 m: a building).  GEO keeps the coordinates for other
 * clients (Apple's ignore it).  A parameter cannot hold a line break or a
 * double quote (see param_text()), so an address written on several
 * lines makes a title with spaces instead.
 */
static fs_err
add_apple_location(icalcomponent *ev, const char *location, double lat,
		   double lon)
{
	char uri[80];
	char *title = param_text(location);

	if (!title)
		return fs_fail(FS_ENOMEM, "out of memory");
	strcpy(uri, "geo:");
	add_geo_number(uri, sizeof(uri), lat);
	strcat(uri, ",");
	add_geo_number(uri, sizeof(uri), lon);
	icalproperty *apple = icalproperty_new_x(uri);
	icalproperty_set_x_name(apple, "X-APPLE-STRUCTURED-LOCATION");
	icalproperty_add_parameter(apple,
				   icalparameter_new_value(ICAL_VALUE_URI));
	icalparameter *radius = icalparameter_new_x("100");
	icalparameter_set_xname(radius, "X-APPLE-RADIUS");
	icalproperty_add_parameter(apple, radius);
	icalparameter *t = icalparameter_new_x(title);
	icalparameter_set_xname(t, "X-TITLE");
	icalproperty_add_parameter(apple, t);
	icalcomponent_add_property(ev, apple);
	free(title);
	return FS_OK;
}

/* The module's line of a DESCRIPTION: "Module 1: Policies ..."; the name
 * alone when the item's description already gives the module's title
 * (most sessions are described by their module's title).  The name stays
 * although CATEGORIES holds it too, as most clients show no CATEGORIES. */
static fs_err
describe_module(struct buf *out, const char *module, const char *title,
		const char *description)
{
	if (!*module)
		return FS_OK;
	if (!*title || strstr(description, title))
		return buf_addf(out, "%s\n", module);
	return buf_addf(out, "%s: %s\n", module, title);
}

/* The DESCRIPTION of an event, into text: what it is, the module, who
 * leads it, the host, who is expected (when not everyone), and whether it
 * is cancelled or removed. */
static fs_err
describe_event(struct buf *text, sqlite3_stmt *row, bool removed,
	       bool cancelled)
{
	const char *facilitators = store_text(row, I_FACILITATORS);
	fs_err err = FS_OK;

	if (*store_text(row, I_DESCRIPTION))
		err = buf_addf(text, "%s\n\n", store_text(row, I_DESCRIPTION));
	if (!err)
		err = describe_module(text, store_text(row, I_MODULE),
				      store_text(row, I_MODULE_TITLE),
				      store_text(row, I_DESCRIPTION));
	if (!err && *facilitators) {
		err = buf_addf(text, "Facilitators: ");
		for (const char *p = facilitators; !err && *p;) {
			size_t n = strcspn(p, ";");
			err = buf_addf(text, "%.*s%s", (int)n, p,
				       p[n] ? ", " : "\n");
			p += n + (p[n] == ';');
		}
	}
	if (!err && *store_text(row, I_HOST))
		err = buf_addf(text, "Host: %s\n", store_text(row, I_HOST));
	if (!err)
		err = cal_describe_audience(text, store_text(row, I_AUDIENCE));
	while (text->len && text->data[text->len - 1] == '\n')
		text->data[--text->len] = '\0';
	if (!err && (removed || cancelled))
		err = buf_addf(text, "%s%s", text->len ? "\n\n" : "",
			       removed ? "Removed from the agenda."
				       : "This item is cancelled.");
	return err;
}

static fs_err
build_event(struct cal_event *out, sqlite3_stmt *row, const struct zone *tz,
	    const char *zone, const char *organizer_name,
	    const char *organizer_email)
{
	const char *title = store_text(row, I_TITLE);
	const char *place = store_text(row, I_PLACE);
	const char *address = store_text(row, I_ADDRESS);
	const char *facilitators = store_text(row, I_FACILITATORS);
	bool removed = sqlite3_column_int(row, I_REMOVED);
	bool cancelled = removed || !strcmp(store_text(row, I_STATUS),
					    "cancelled");
	struct buf text = BUF_INIT;
	int64_t day;
	int start, end;
	fs_err err = FS_OK;

	if (parse_date(store_text(row, I_DAY), &day) ||
	    parse_clock(store_text(row, I_START), &start) ||
	    parse_clock(store_text(row, I_END), &end))
		return fs_fail(FS_EINPUT, "item %s has an unreadable time",
			       store_text(row, I_UID));

	icalcomponent *ev = icalcomponent_new_vevent();
	icalcomponent_add_property(ev,
				   icalproperty_new_uid(store_text(row, I_UID)));
	icalcomponent_add_property(
		ev, icalproperty_new_dtstamp(utc_time(store_text(row, I_UPDATED))));
	icalcomponent_add_property(
		ev, icalproperty_new_sequence(sqlite3_column_int(row, I_SEQUENCE)));
	add_times(ev, tz, zone, day, start, day, end, false);

	if (cancelled)
		err = buf_addf(&text, "Cancelled: %s", title);
	else
		err = buf_addf(&text, "%s", title);
	if (!err)
		icalcomponent_add_property(ev, icalproperty_new_summary(text.data));

	/* LOCATION: the place and its address */
	text.len = 0;
	if (!err && *place)
		err = buf_addf(&text, "%s%s%s", place, *address ? ", " : "",
			       address);
	if (!err && text.len)
		icalcomponent_add_property(ev, icalproperty_new_location(text.data));
	/* GEO, and Apple's copy of it, titled with the LOCATION (coordinates
	 * are a place's, so an item with them has a LOCATION) */
	if (!err && sqlite3_column_type(row, I_LAT) != SQLITE_NULL &&
	    sqlite3_column_type(row, I_LON) != SQLITE_NULL) {
		struct icalgeotype geo = { sqlite3_column_double(row, I_LAT),
					   sqlite3_column_double(row, I_LON) };
		icalcomponent_add_property(ev, icalproperty_new_geo(geo));
		err = add_apple_location(ev, text.len ? text.data : "",
					 geo.lat, geo.lon);
	}

	/* DESCRIPTION; none when there is nothing to say */
	text.len = 0;
	if (!err)
		err = describe_event(&text, row, removed, cancelled);
	if (!err && text.len)
		icalcomponent_add_property(ev,
					   icalproperty_new_description(text.data));

	/* CATEGORIES: the kind, and the module; one property each, so that
	 * neither is split on a comma */
	icalcomponent_add_property(
		ev, icalproperty_new_categories(store_text(row, I_KIND)));
	if (*store_text(row, I_MODULE))
		icalcomponent_add_property(
			ev, icalproperty_new_categories(store_text(row, I_MODULE)));
	if (cancelled) /* and no STATUS otherwise: see the top of this file */
		icalcomponent_add_property(
			ev, icalproperty_new_status(ICAL_STATUS_CANCELLED));
	if (!err)
		err = add_organizer(ev, organizer_name, organizer_email);
	buf_release(&text);
	if (err) {
		icalcomponent_free(ev);
		return err;
	}
	if (!(out->text = cal_serialize(ev, &out->len)) ||
	    !(out->audience = dupe(store_text(row, I_AUDIENCE))) ||
	    !(out->facilitators = dupe(facilitators)))
		return fs_fail(FS_ENOMEM, "out of memory");
	out->hash = hash_bytes(out->text, out->len, 0);
	return item_of(&out->item, row, day, start, end);
}

/* --- the mission -------------------------------------------------------- */

static fs_err
add_name(char ***list, size_t *n, const char *name, size_t len)
{
	for (size_t i = 0; i < *n; i++)
		if (strlen((*list)[i]) == len && !memcmp((*list)[i], name, len))
			return FS_OK;
	char **grown = realloc(*list, (*n + 1) * sizeof(char *));
	if (!grown)
		return fs_fail(FS_ENOMEM, "out of memory");
	*list = grown;
	if (!(grown[*n] = strndup(name, len)))
		return fs_fail(FS_ENOMEM, "out of memory");
	(*n)++;
	return FS_OK;
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every group and facilitator the events name. */
static fs_err
collect_names(struct cal_mission *m)
{
	fs_err err = FS_OK;
	for (size_t i = 0; !err && i < m->n_events; i++) {
		const char *p = m->events[i].audience;
		while (!err && *p) {
			size_t n = strcspn(p, ";");
			if (n > 6 && !strncmp(p, "group:", 6))
				err = add_name(&m->groups, &m->n_groups, p + 6,
					       n - 6);
			p += n + (p[n] == ';');
		}
		p = m->events[i].facilitators;
		while (!err && *p) {
			size_t n = strcspn(p, ";");
			err = add_name(&m->facilitators, &m->n_facilitators, p,
				       n);
			p += n + (p[n] == ';');
		}
	}
	if (m->n_groups)
		qsort(m->groups, m->n_groups, sizeof(char *), compare_names);
	if (m->n_facilitators)
		qsort(m->facilitators, m->n_facilitators, sizeof(char *),
		      compare_names);
	return err;
}

/* The columns of Q_FEED_MISSION. */
enum { M_ID, M_CODE, M_TITLE, M_CITY, M_ZONE, M_START, M_DAYS,
       M_CONTACT_NAME, M_CONTACT_EMAIL, M_FIRST_ITEM, M_LAST_ITEM,
       M_LAST_CHANGE };

/* The mission's own row: names, zone, contact, and the days its
 * VTIMEZONE covers (the mission's days and every item's: removed ones stay
 * in the feeds, on whatever day they had; not the participants' travel,
 * which only personal feeds show). */
static fs_err
load_mission_row(struct cal_mission *m, fs_store *store, const char *code)
{
	sqlite3_stmt *stmt;
	int64_t first, last, day;
	fs_err err = FS_OK;
	int rc;

	if ((err = store_stmt(store, Q_FEED_MISSION, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		err = rc == SQLITE_DONE
			      ? fs_fail(FS_ENOTFOUND, "no mission '%s'", code)
			      : store_fail(store, "reading the mission");
		sqlite3_reset(stmt);
		return err;
	}
	m->id = sqlite3_column_int64(stmt, M_ID);
	if (!(m->code = dupe(store_text(stmt, M_CODE))) ||
	    !(m->title = dupe(store_text(stmt, M_TITLE))) ||
	    !(m->city = dupe(store_text(stmt, M_CITY))) ||
	    !(m->zone = dupe(store_text(stmt, M_ZONE))) ||
	    !(m->last_change = dupe(store_text(stmt, M_LAST_CHANGE))) ||
	    !(m->contact_name = dupe(store_text(stmt, M_CONTACT_NAME))) ||
	    !(m->contact_email = dupe(store_text(stmt, M_CONTACT_EMAIL))))
		err = fs_fail(FS_ENOMEM, "out of memory");
	else if (parse_date(store_text(stmt, M_START), &first))
		err = fs_fail(FS_EINPUT, "mission '%s' has no readable start",
			      code);
	if (err) {
		sqlite3_reset(stmt);
		return err;
	}
	last = first + sqlite3_column_int(stmt, M_DAYS) - 1;
	if (!parse_date(store_text(stmt, M_FIRST_ITEM), &day) && day < first)
		first = day;
	if (!parse_date(store_text(stmt, M_LAST_ITEM), &day) && day > last)
		last = day;
	sqlite3_reset(stmt);
	m->first_day = first;
	m->last_day = last;
	if (!*m->last_change) {
		free(m->last_change);
		if (!(m->last_change = strdup("1970-01-01T00:00:00Z")))
			return fs_fail(FS_ENOMEM, "out of memory");
	}
	return FS_OK;
}

/* Every item of the mission, as an event. */
static fs_err
load_events(struct cal_mission *m, fs_store *store)
{
	sqlite3_stmt *stmt;
	size_t cap = 0;
	fs_err err = FS_OK;
	int rc;

	if ((err = store_stmt(store, Q_FEED_ITEMS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (m->n_events == cap) {
			struct cal_event *grown = realloc(
				m->events, (cap = cap ? 2 * cap : 64) *
						   sizeof(*grown));
			if (!grown) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			m->events = grown;
		}
		memset(&m->events[m->n_events], 0, sizeof(struct cal_event));
		err = build_event(&m->events[m->n_events++], stmt, m->tz,
				  m->zone, m->contact_name, m->contact_email);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading the agenda");
	sqlite3_reset(stmt);
	return err;
}

/* The groups of registrations, too: a group with no visit yet still has
 * a feed of the sessions for everyone. */
static fs_err
load_groups(struct cal_mission *m, fs_store *store)
{
	sqlite3_stmt *stmt;
	fs_err err = FS_OK;
	int rc;

	if ((err = store_stmt(store, Q_FEED_GROUPS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	while (!err && (rc = sqlite3_step(stmt)) == SQLITE_ROW)
		err = add_name(&m->groups, &m->n_groups, store_text(stmt, 0),
			       strlen(store_text(stmt, 0)));
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading the groups");
	sqlite3_reset(stmt);
	if (!err && m->n_groups)
		qsort(m->groups, m->n_groups, sizeof(char *), compare_names);
	return err;
}

fs_err
cal_mission_load(struct cal_mission **out, fs_store *store, const char *code)
{
	struct cal_mission *m = calloc(1, sizeof(*m));
	fs_err err;

	*out = NULL;
	if (!m)
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = load_mission_row(m, store, code)) ||
	    (err = zone_load(&m->tz, m->zone)))
		goto done;
	if (!(m->vtimezone = cal_vtimezone(m, m->first_day, m->last_day,
					   &m->vtimezone_len)) ||
	    !(m->wide = calloc(1, sizeof(*m->wide)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if ((err = cal_head(m)) || (err = load_events(m, store)) ||
	    (err = collect_names(m)) || (err = load_groups(m, store)))
		goto done;

	/* The digest of what feeds share (publish.c adds a sample personal
	 * feed to it, for how this build writes one) */
	m->hash = hash_bytes(m->head, m->head_len, 0);
	m->hash = hash_bytes(m->vtimezone, m->vtimezone_len, m->hash);
	for (size_t i = 0; i < m->n_events; i++) {
		const struct cal_event *e = &m->events[i];
		m->hash = hash_bytes(&e->hash, sizeof(e->hash), m->hash);
		m->hash = hash_bytes(e->audience, strlen(e->audience) + 1,
				     m->hash);
	}
done:
	if (err)
		cal_mission_free(m);
	else
		*out = m;
	return err;
}

void
cal_mission_free(struct cal_mission *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_events; i++) {
		free(m->events[i].text);
		free(m->events[i].audience);
		free(m->events[i].facilitators);
		item_release(&m->events[i].item);
	}
	for (size_t i = 0; i < m->n_groups; i++)
		free(m->groups[i]);
	for (size_t i = 0; i < m->n_facilitators; i++)
		free(m->facilitators[i]);
	free(m->groups);
	free(m->facilitators);
	free(m->events);
	free(m->code);
	free(m->title);
	free(m->city);
	free(m->zone);
	zone_free(m->tz);
	if (m->wide)
		buf_release(&m->wide->text);
	free(m->wide);
	free(m->contact_name);
	free(m->contact_email);
	free(m->head);
	free(m->vtimezone);
	free(m->last_change);
	free(m);
}

/* --- feeds -------------------------------------------------------------- */

/* Appends the serialized property and frees it. */
static fs_err
add_property(struct buf *out, icalproperty *p)
{
	char *text = icalproperty_as_ical_string_r(p);
	icalproperty_free(p);
	if (!text)
		return fs_fail(FS_ENOMEM, "out of memory");
	fs_err err = buf_add(out, text, strlen(text));
	free(text);
	return err;
}

/* The first and last day of a person's travel, when known. */
static void
travel_days(const struct cal_person *p, int64_t *first, int64_t *last)
{
	int64_t day;
	int minutes;
	const char *when[2] = { p->arrival, p->departure };
	for (int i = 0; i < 2; i++) {
		if (!*when[i] || parse_date_time(when[i], &day, &minutes))
			continue;
		if (day < *first)
			*first = day;
		if (day > *last)
			*last = day;
	}
}

fs_err
cal_feed_begin(struct buf *out, const struct cal_mission *m, const char *name,
	       const char *description, const struct cal_person *person)
{
	int64_t first = m->first_day, last = m->last_day;
	char *calname;
	fs_err err;

	/* NAME is RFC 7986's, X-WR-CALNAME what most clients read */
	if ((err = buf_add(out, m->head, m->head_len)) ||
	    (err = add_property(out, icalproperty_new_name(name))))
		return err;
	if (!(calname = x_text_line("X-WR-CALNAME", name)))
		return fs_fail(FS_ENOMEM, "out of memory");
	err = buf_add(out, calname, strlen(calname));
	free(calname);
	if (err ||
	    (err = add_property(out, icalproperty_new_description(description))))
		return err;
	if (person)
		travel_days(person, &first, &last);
	if (first == m->first_day && last == m->last_day)
		return buf_add(out, m->vtimezone, m->vtimezone_len);
	struct cal_wide *w = m->wide;
	if (w->first != first || w->last != last || !w->text.len) {
		size_t len;
		char *text = cal_vtimezone(m, first, last, &len);
		if (!text)
			return fs_fail(FS_ENOMEM, "out of memory");
		w->text.len = 0;
		err = buf_add(&w->text, text, len);
		free(text);
		if (err)
			return err;
		w->first = first;
		w->last = last;
	}
	return buf_add(out, w->text.data, w->text.len);
}

/* One travel event: timed (30 minutes) when the time is known, else a
 * whole day that does not block the calendar. */
static fs_err
travel_event(struct buf *out, const struct cal_mission *m,
	     const struct cal_person *p, const char *kind, const char *when)
{
	int64_t day;
	int minutes;
	char *uid = NULL, *summary = NULL;
	const char *changed = *p->changed ? p->changed
			      : *p->since ? p->since : m->last_change;

	if (!*when || parse_date_time(when, &day, &minutes))
		return FS_OK;
	bool arriving = !strcmp(kind, "arrival");
	/* stable for the registration, whatever its dates become */
	if (asprintf(&uid, "%s-%s-%s@fieldschool", kind, m->code, p->ref) < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	if (asprintf(&summary, arriving ? "Arrival in %s" : "Departure from %s",
		     m->city) < 0) {
		free(uid);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	/* A time the clocks skip (summer time starts) is read by clients
	 * in different ways: give the time the clocks show instead. */
	int32_t shift;
	if (minutes >= 0 &&
	    !zone_local_exists(m->tz, day * 86400 + minutes * 60, &shift)) {
		minutes += shift / 60;
		day += minutes / 1440;
		minutes %= 1440;
	}
	icalcomponent *ev = icalcomponent_new_vevent();
	icalcomponent_add_property(ev, icalproperty_new_uid(uid));
	icalcomponent_add_property(ev, icalproperty_new_dtstamp(utc_time(changed)));
	icalcomponent_add_property(ev, icalproperty_new_sequence((int)p->sequence));
	if (minutes >= 0) {
		int end = minutes + 30;
		int64_t end_day = day + end / 1440;
		/* 30 minutes from the start, also across a change */
		add_times(ev, m->tz, m->zone, day, minutes, end_day, end % 1440,
			  true);
	} else {
		icalcomponent_add_property(
			ev, with_zone(icalproperty_new_dtstart(local_time(day, -1)),
				      m->zone, true));
		icalcomponent_add_property(
			ev, with_zone(icalproperty_new_dtend(local_time(day + 1, -1)),
				      m->zone, true));
		icalcomponent_add_property(
			ev, icalproperty_new_transp(ICAL_TRANSP_TRANSPARENT));
	}
	add_text(ev, icalproperty_new_summary, summary);
	icalcomponent_add_property(ev, icalproperty_new_categories("travel"));
	free(uid);
	free(summary);
	fs_err err = add_organizer(ev, m->contact_name, m->contact_email);
	if (err) {
		icalcomponent_free(ev);
		return err;
	}

	size_t len;
	char *text = cal_serialize(ev, &len);
	if (!text)
		return fs_fail(FS_ENOMEM, "out of memory");
	err = buf_add(out, text, len);
	free(text);
	return err;
}

fs_err
cal_feed_travel(struct buf *out, const struct cal_mission *m,
		const struct cal_person *p)
{
	fs_err err = travel_event(out, m, p, "arrival", p->arrival);
	return err ? err : travel_event(out, m, p, "departure", p->departure);
}

fs_err
cal_feed_end(struct buf *out)
{
	return buf_add(out, CAL_END_LINE, sizeof(CAL_END_LINE) - 1);
}
