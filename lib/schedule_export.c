/*
 * schedule_export.c - a mission's agenda as the voc/frab schedule that
 * conference apps read (Giggity, EventFahrplan, ConfClerk): schedule.xml
 * (c3voc's schedule.xml.xsd) and schedule.json (its schema.json).
 *
 * Rooms are the places (an item without one is at the mission's venue),
 * tracks the curriculum modules, persons the facilitators.  Every guid is
 * a name-based UUID (SHA-256 of a fixed prefix and the name, version 8),
 * so an item keeps its guid as long as it keeps its UID, and a room or a
 * person as long as their name.  The event id is the item's row id.
 *
 * The format has no status: a cancelled item stays, its title prefixed
 * "Cancelled: " ("Removed: " for one removed from the agenda) and its
 * abstract saying so, as the feeds do.  The schedule's version is the
 * time of the agenda's last change.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/url.h"
#include "page.h"
#include "sha256.h"
#include "value.h"

struct out {
	struct buf *b;
	fs_err err;
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
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (!o->err)
		o->err = n < 0 || (size_t)n >= sizeof(line)
				 ? fs_fail(FS_EINPUT, "schedule line too long")
				 : buf_add(o->b, line, (size_t)n);
}

/* XML text or attribute value: the five entities; characters XML 1.0
 * forbids (controls other than tab and newline) dropped. */
static void
xml_text(struct out *o, const char *s)
{
	for (const char *run = s, *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		const char *rep;
		switch (c) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&apos;"; break;
		default:
			if (c == '\t' || c == '\n' || (c >= 0x20 && c != 0x7f))
				continue;
			rep = "";
		}
		if (!o->err && p > run)
			o->err = buf_add(o->b, run, (size_t)(p - run));
		if (!c)
			return;
		raw(o, rep);
		run = p + 1;
	}
}

/* A JSON string, quoted. */
static void
json_text(struct out *o, const char *s)
{
	raw(o, "\"");
	for (const char *run = s, *p = s;; p++) {
		unsigned char c = (unsigned char)*p;
		char rep[8];
		if (c && c >= 0x20 && c != '"' && c != '\\' && c != 0x7f)
			continue;
		if (!o->err && p > run)
			o->err = buf_add(o->b, run, (size_t)(p - run));
		if (!c)
			break;
		if (c == '"' || c == '\\')
			snprintf(rep, sizeof(rep), "\\%c", c);
		else if (c == '\n')
			snprintf(rep, sizeof(rep), "\\n");
		else
			snprintf(rep, sizeof(rep), "\\u%04x", c);
		raw(o, rep);
		run = p + 1;
	}
	raw(o, "\"");
}

/* A name-based UUID: SHA-256 of "fieldschool:KIND:NAME", version 8. */
static void
guid(char out[37], const char *kind, const char *name)
{
	unsigned char d[32];
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	if (f) {
		fprintf(f, "fieldschool:%s:%s", kind, name);
		fclose(f);
	}
	sha256(text ? text : name, text ? len : strlen(name), d);
	free(text);
	d[6] = (unsigned char)((d[6] & 0x0f) | 0x80);
	d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9],
		 d[10], d[11], d[12], d[13], d[14], d[15]);
}

/* The acronym: the code in lowercase, [a-z0-9_] only, 4 characters at
 * least (both schemas' patterns). */
static void
acronym(char *out, size_t size, const char *code)
{
	size_t n = 0;
	for (const char *p = code; *p && n + 1 < size; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		out[n++] = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
				   ? c
				   : '_';
	}
	while (n < 4 && n + 1 < size)
		out[n++] = '_';
	out[n] = '\0';
}

/* A slug of text: ASCII letters and digits, runs of others one '-'. */
static void
slugify(char *out, size_t size, const char *text)
{
	size_t n = 0;
	bool dash = false;
	for (const char *p = text; *p && n + 2 < size; p++) {
		char c = *p >= 'A' && *p <= 'Z' ? (char)(*p - 'A' + 'a') : *p;
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			if (dash && n)
				out[n++] = '-';
			out[n++] = c;
			dash = false;
		} else {
			dash = true;
		}
	}
	out[n] = '\0';
	if (!n)
		snprintf(out, size, "item");
}

/* --- the days ----------------------------------------------------------- */

struct sched {
	const struct cal_mission *m;
	const struct page_info *info;
	char acronym[80];
	int64_t *days; /* every date with an item, and the mission's */
	size_t n_days;
	char *page_url; /* the mission page's address, or NULL */
};

static int
day_cmp(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static fs_err
sched_init(struct sched *s, const struct cal_mission *m,
	   const struct page_info *info)
{
	int64_t first = 0;

	memset(s, 0, sizeof(*s));
	s->m = m;
	s->info = info;
	acronym(s->acronym, sizeof(s->acronym), m->code);
	parse_date(info->start, &first);
	if (!(s->days = calloc(m->n_events + (size_t)info->days + 1,
			       sizeof(*s->days))))
		return fs_fail(FS_ENOMEM, "out of memory");
	for (int i = 0; i < info->days; i++)
		s->days[s->n_days++] = first + i;
	for (size_t i = 0; i < m->n_events; i++)
		s->days[s->n_days++] = m->events[i].item.day;
	qsort(s->days, s->n_days, sizeof(*s->days), day_cmp);
	size_t n = 0;
	for (size_t i = 0; i < s->n_days; i++)
		if (!n || s->days[n - 1] != s->days[i])
			s->days[n++] = s->days[i];
	s->n_days = n;
	if (*info->base) {
		char rel[256];
		snprintf(rel, sizeof(rel), "%s/index.html", m->code);
		if (!(s->page_url = fs_url_join(info->base, rel)))
			return fs_fail(FS_ENOMEM, "out of memory");
	}
	return FS_OK;
}

static void
sched_release(struct sched *s)
{
	free(s->days);
	free(s->page_url);
}

/* "2027-05-10T09:30:00-06:00" */
static void
stamp(char *out, size_t size, const struct cal_mission *m, int64_t day,
      int minutes)
{
	char date[11], off[16];
	day += minutes / 1440;
	minutes %= 1440;
	format_date(day, date);
	page_format_offset(off, sizeof(off), page_offset(m->tz, day, minutes),
			   false);
	snprintf(out, size, "%sT%02d:%02d:00%s", date, minutes / 60,
		 minutes % 60, off);
}

static const char *
room_of(const struct sched *s, const struct cal_item *it)
{
	return *it->place ? it->place
	       : *s->info->venue ? s->info->venue
				 : "Venue";
}

/* The distinct rooms of one day's events, in order of first use. */
static size_t
day_rooms(const struct sched *s, int64_t day, const char **rooms)
{
	size_t n = 0;
	for (size_t i = 0; i < s->m->n_events; i++) {
		const struct cal_item *it = &s->m->events[i].item;
		if (it->day != day)
			continue;
		const char *room = room_of(s, it);
		size_t j = 0;
		while (j < n && strcmp(rooms[j], room))
			j++;
		if (j == n)
			rooms[n++] = room;
	}
	return n;
}

/* The index (from 1) of a facilitator among the mission's. */
static size_t
person_id(const struct cal_mission *m, const char *name)
{
	for (size_t i = 0; i < m->n_facilitators; i++)
		if (!strcmp(m->facilitators[i], name))
			return i + 1;
	return 0;
}

/* What an event is called and says: cancelled ones marked. */
static void
event_title(struct buf *title, struct buf *abstract, const struct cal_item *it)
{
	const char *mark = it->removed ? "Removed: "
			   : it->cancelled ? "Cancelled: "
					   : "";
	buf_addf(title, "%s%s", mark, it->title);
	if (it->cancelled)
		buf_addf(abstract, "%s%s",
			 it->removed ? "Removed from the agenda."
				     : "This item is cancelled.",
			 *it->description ? "\n\n" : "");
	buf_addf(abstract, "%s", it->description);
}

static void
track_of(char *out, size_t size, const struct cal_item *it)
{
	if (*it->module)
		snprintf(out, size, "%s%s%s", it->module,
			 *it->module_title ? ": " : "", it->module_title);
	else
		out[0] = '\0';
}

/* --- schedule.xml -------------------------------------------------------- */

static void
xml_event(struct out *o, const struct sched *s, const struct cal_event *ev)
{
	const struct cal_item *it = &ev->item;
	char id[37], start[40], track[600], slug[64], url_id[32];
	struct buf title = BUF_INIT, abstract = BUF_INIT;

	guid(id, "item", it->uid);
	stamp(start, sizeof(start), s->m, it->day, it->start);
	event_title(&title, &abstract, it);
	track_of(track, sizeof(track), it);
	slugify(slug, 41, it->title);
	int length = it->end > it->start ? it->end - it->start : 0;
	rawf(o, "      <event guid=\"%s\" id=\"%lld\">\n        <room>", id,
	     (long long)it->id);
	xml_text(o, room_of(s, it));
	raw(o, "</room>\n        <title>");
	xml_text(o, title.data ? title.data : "");
	raw(o, "</title>\n        <subtitle></subtitle>\n        <type>");
	xml_text(o, it->kind);
	rawf(o, "</type>\n        <date>%s</date>\n"
		"        <start>%02d:%02d</start>\n"
		"        <duration>%02d:%02d</duration>\n        <abstract>",
	     start, it->start / 60 % 24, it->start % 60, length / 60,
	     length % 60);
	xml_text(o, abstract.data ? abstract.data : "");
	rawf(o, "</abstract>\n        <slug>%s-%lld-%s</slug>\n"
		"        <track>", s->acronym, (long long)it->id, slug);
	xml_text(o, track);
	raw(o, "</track>\n        <persons>");
	for (const char *p = ev->facilitators; *p;) {
		size_t n = strcspn(p, ";");
		char name[512], pid[37];
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		guid(pid, "person", name);
		rawf(o, "<person id=\"%zu\" guid=\"%s\">",
		     person_id(s->m, name), pid);
		xml_text(o, name);
		raw(o, "</person>");
		p += n + (p[n] == ';');
	}
	raw(o, "</persons>\n        <links></links>\n");
	if (s->page_url) {
		snprintf(url_id, sizeof(url_id), "#i%lld", (long long)it->id);
		raw(o, "        <url>");
		xml_text(o, s->page_url);
		raw(o, url_id);
		raw(o, "</url>\n");
	}
	raw(o, "      </event>\n");
	buf_release(&title);
	buf_release(&abstract);
}

fs_err
schedule_xml(struct buf *out, const struct cal_mission *m,
	     const struct page_info *info)
{
	struct out o = { out, FS_OK };
	struct sched s;
	const char **rooms = calloc(m->n_events + 1, sizeof(*rooms));
	char a[40], b[40], date[11];
	fs_err err;

	if (!rooms)
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = sched_init(&s, m, info))) {
		free(rooms);
		sched_release(&s);
		return err;
	}
	raw(&o, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<schedule>\n"
		"  <generator name=\"fieldschool\"/>\n");
	if (s.page_url) {
		raw(&o, "  <url>");
		xml_text(&o, s.page_url);
		raw(&o, "</url>\n");
	}
	raw(&o, "  <version>");
	xml_text(&o, m->last_change);
	raw(&o, "</version>\n  <conference>\n    <title>");
	xml_text(&o, m->title);
	rawf(&o, "</title>\n    <acronym>%s</acronym>\n", s.acronym);
	format_date(s.days[0], a);
	format_date(s.days[s.n_days - 1], b);
	rawf(&o, "    <start>%s</start>\n    <end>%s</end>\n"
		 "    <days>%zu</days>\n"
		 "    <timeslot_duration>00:15</timeslot_duration>\n",
	     a, b, s.n_days);
	if (s.page_url) {
		raw(&o, "    <url>");
		xml_text(&o, s.page_url);
		raw(&o, "</url>\n");
	}
	raw(&o, "    <time_zone_name>");
	xml_text(&o, m->zone);
	raw(&o, "</time_zone_name>\n");
	for (size_t i = 0; i < info->n_modules; i++) {
		char track[600], slug[64];
		snprintf(track, sizeof(track), "%s: %s", info->modules[i].label,
			 info->modules[i].title);
		slugify(slug, sizeof(slug), info->modules[i].label);
		raw(&o, "    <track name=\"");
		xml_text(&o, track);
		rawf(&o, "\"%s%s%s/>\n", slug[0] >= 'a' ? " slug=\"" : "",
		     slug[0] >= 'a' ? slug : "", slug[0] >= 'a' ? "\"" : "");
	}
	raw(&o, "  </conference>\n");
	for (size_t d = 0; d < s.n_days; d++) {
		int64_t day = s.days[d];
		format_date(day, date);
		stamp(a, sizeof(a), m, day, 0);
		stamp(b, sizeof(b), m, day, 23 * 60 + 59);
		rawf(&o, "  <day index=\"%zu\" date=\"%s\" start=\"%s\" "
			 "end=\"%s\">\n", d + 1, date, a, b);
		size_t n_rooms = day_rooms(&s, day, rooms);
		for (size_t r = 0; r < n_rooms; r++) {
			char rid[37];
			guid(rid, "room", rooms[r]);
			raw(&o, "    <room name=\"");
			xml_text(&o, rooms[r]);
			rawf(&o, "\" guid=\"%s\">\n", rid);
			for (size_t i = 0; i < m->n_events; i++) {
				const struct cal_item *it = &m->events[i].item;
				if (it->day == day &&
				    !strcmp(room_of(&s, it), rooms[r]))
					xml_event(&o, &s, &m->events[i]);
			}
			raw(&o, "    </room>\n");
		}
		raw(&o, "  </day>\n");
	}
	raw(&o, "</schedule>\n");
	free(rooms);
	sched_release(&s);
	return o.err;
}

/* --- schedule.json ------------------------------------------------------- */

static void
json_event(struct out *o, const struct sched *s, const struct cal_event *ev,
	   bool first)
{
	const struct cal_item *it = &ev->item;
	char id[37], start[40], end[40], track[600], slug[64];
	struct buf title = BUF_INIT, abstract = BUF_INIT;

	guid(id, "item", it->uid);
	stamp(start, sizeof(start), s->m, it->day, it->start);
	stamp(end, sizeof(end), s->m, it->day, it->end);
	event_title(&title, &abstract, it);
	track_of(track, sizeof(track), it);
	slugify(slug, 41, it->title);
	int length = it->end > it->start ? it->end - it->start : 0;
	rawf(o, "%s\n          {\"guid\": \"%s\", \"id\": %lld, "
		"\"date\": \"%s\", \"start\": \"%02d:%02d\", \"end\": \"%s\", "
		"\"duration\": \"%02d:%02d\", \"room\": ",
	     first ? "" : ",", id, (long long)it->id, start,
	     it->start / 60 % 24, it->start % 60, end, length / 60,
	     length % 60);
	json_text(o, room_of(s, it));
	rawf(o, ", \"slug\": \"%s-%lld-%s\", \"title\": ", s->acronym,
	     (long long)it->id, slug);
	json_text(o, title.data ? title.data : "");
	raw(o, ", \"subtitle\": \"\", \"track\": ");
	if (*track)
		json_text(o, track);
	else
		raw(o, "null");
	raw(o, ", \"type\": ");
	json_text(o, it->kind);
	raw(o, ", \"language\": null, \"abstract\": ");
	json_text(o, abstract.data ? abstract.data : "");
	raw(o, ", \"description\": \"\", \"persons\": [");
	for (const char *p = ev->facilitators; *p;) {
		size_t n = strcspn(p, ";");
		char name[512], pid[37];
		snprintf(name, sizeof(name), "%.*s", (int)n, p);
		guid(pid, "person", name);
		rawf(o, "%s{\"id\": %zu, \"guid\": \"%s\", \"public_name\": ",
		     p == ev->facilitators ? "" : ", ", person_id(s->m, name),
		     pid);
		json_text(o, name);
		raw(o, "}");
		p += n + (p[n] == ';');
	}
	raw(o, "], \"links\": [], \"url\": ");
	if (s->page_url) {
		char url[2048];
		snprintf(url, sizeof(url), "%s#i%lld", s->page_url,
			 (long long)it->id);
		json_text(o, url);
	} else {
		rawf(o, "\"index.html#i%lld\"", (long long)it->id);
	}
	raw(o, "}");
	buf_release(&title);
	buf_release(&abstract);
}

/* JSON's time zone pattern: "Area/Location" in capitalized words. */
static bool
json_zone_ok(const char *zone)
{
	const char *p = zone;
	for (int part = 0; part < 2; part++) {
		if (!(*p >= 'A' && *p <= 'Z'))
			return false;
		p++;
		if (!(*p >= 'a' && *p <= 'z'))
			return false;
		while (*p >= 'a' && *p <= 'z')
			p++;
		if (part == 0 && *p++ != '/')
			return false;
	}
	return true;
}

static void
json_day(struct out *o, const struct sched *s, size_t d, const char **rooms)
{
	int64_t day = s->days[d];
	char a[40], b[40], date[11];

	format_date(day, date);
	stamp(a, sizeof(a), s->m, day, 0);
	stamp(b, sizeof(b), s->m, day, 23 * 60 + 59);
	rawf(o, "%s\n      {\"index\": %zu, \"date\": \"%s\", "
		"\"day_start\": \"%s\", \"day_end\": \"%s\", \"rooms\": {",
	     d ? "," : "", d + 1, date, a, b);
	size_t n_rooms = day_rooms(s, day, rooms);
	for (size_t r = 0; r < n_rooms; r++) {
		raw(o, r ? ",\n        " : "\n        ");
		json_text(o, rooms[r]);
		raw(o, ": [");
		bool first = true;
		for (size_t i = 0; i < s->m->n_events; i++) {
			const struct cal_item *it = &s->m->events[i].item;
			if (it->day == day && !strcmp(room_of(s, it), rooms[r])) {
				json_event(o, s, &s->m->events[i], first);
				first = false;
			}
		}
		raw(o, "]");
	}
	raw(o, "}}");
}

fs_err
schedule_json(struct buf *out, const struct cal_mission *m,
	      const struct page_info *info)
{
	struct out o = { out, FS_OK };
	struct sched s;
	const char **rooms = calloc(m->n_events + 1, sizeof(*rooms));
	char a[11], b[11];
	fs_err err;

	if (!rooms)
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = sched_init(&s, m, info))) {
		free(rooms);
		sched_release(&s);
		return err;
	}
	format_date(s.days[0], a);
	format_date(s.days[s.n_days - 1], b);
	raw(&o, "{\"$schema\": \"https://c3voc.de/schedule/schema.json\",\n"
		" \"generator\": {\"name\": \"fieldschool\"},\n"
		" \"schedule\": {\n  \"version\": ");
	json_text(&o, m->last_change);
	if (s.page_url) {
		raw(&o, ",\n  \"url\": ");
		json_text(&o, s.page_url);
	}
	raw(&o, ",\n  \"conference\": {\n    \"acronym\": ");
	json_text(&o, s.acronym);
	raw(&o, ", \"title\": ");
	json_text(&o, m->title);
	rawf(&o, ",\n    \"start\": \"%s\", \"end\": \"%s\", \"daysCount\": %zu, "
		 "\"timeslot_duration\": \"00:15\"",
	     a, b, s.n_days);
	if (json_zone_ok(m->zone)) {
		raw(&o, ", \"time_zone_name\": ");
		json_text(&o, m->zone);
	}
	if (s.page_url) {
		raw(&o, ",\n    \"url\": ");
		json_text(&o, s.page_url);
	}
	raw(&o, ",\n    \"tracks\": [");
	for (size_t i = 0; i < info->n_modules; i++) {
		char track[600];
		snprintf(track, sizeof(track), "%s: %s", info->modules[i].label,
			 info->modules[i].title);
		raw(&o, i ? ", {\"name\": " : "{\"name\": ");
		json_text(&o, track);
		raw(&o, "}");
	}
	raw(&o, "],\n    \"rooms\": [");
	size_t n_all = 0;
	for (size_t d = 0; d < s.n_days; d++) {
		const char **day = rooms + n_all;
		size_t n = day_rooms(&s, s.days[d], day);
		for (size_t r = 0; r < n; r++) {
			bool seen = false;
			for (size_t k = 0; k < n_all && !seen; k++)
				seen = !strcmp(rooms[k], day[r]);
			if (!seen)
				rooms[n_all++] = day[r];
		}
	}
	for (size_t r = 0; r < n_all; r++) {
		char rid[37];
		guid(rid, "room", rooms[r]);
		raw(&o, r ? ",\n      {\"name\": " : "\n      {\"name\": ");
		json_text(&o, rooms[r]);
		rawf(&o, ", \"guid\": \"%s\"}", rid);
	}
	raw(&o, "],\n    \"days\": [");
	for (size_t d = 0; d < s.n_days; d++)
		json_day(&o, &s, d, rooms);
	raw(&o, "]\n  }\n }\n}\n");
	free(rooms);
	sched_release(&s);
	return o.err;
}
