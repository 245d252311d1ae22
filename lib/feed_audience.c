/*
 * feed_audience.c - who an event is for: its audience ("all",
 * "group:A;category:lgu-focal") and facilitators, read to pick the events
 * of each feed and written out in the event's description.
 */
#include <stdbool.h>
#include <string.h>

#include "calendar.h"

/* "For: group A, group B", "For: category lgu-focal"; nothing for an item
 * for everyone, the usual case: only a line that names someone says more
 * than the event's being in the feed (it was "For: everyone" on most
 * events). */
fs_err
cal_describe_audience(struct buf *out, const char *audience)
{
	if (!strcmp(audience, "all"))
		return FS_OK;
	fs_err err = buf_addf(out, "For: ");
	const char *p = audience;
	for (bool first = true; !err && *p; first = false) {
		size_t n = strcspn(p, ";");
		const char *colon = memchr(p, ':', n);
		if (colon)
			err = buf_addf(out, "%s%.*s %.*s", first ? "" : ", ",
				       (int)(colon - p), p,
				       (int)(n - (size_t)(colon - p) - 1),
				       colon + 1);
		p += n + (p[n] == ';');
	}
	return err;
}

/* Whether the audience names kind:value ("group", "A"). */
static bool
audience_has(const char *audience, const char *kind, const char *value)
{
	size_t kn = strlen(kind), vn = strlen(value);
	if (!vn)
		return false;
	for (const char *p = audience; *p;) {
		size_t n = strcspn(p, ";");
		if (n == kn + 1 + vn && !memcmp(p, kind, kn) && p[kn] == ':' &&
		    !memcmp(p + kn + 1, value, vn))
			return true;
		p += n + (p[n] == ';');
	}
	return false;
}

bool
cal_event_for_person(const struct cal_event *e, const char *group,
		     const char *category)
{
	return !strcmp(e->audience, "all") ||
	       audience_has(e->audience, "group", group) ||
	       audience_has(e->audience, "category", category);
}

bool
cal_event_for_group(const struct cal_event *e, const char *group)
{
	return !strcmp(e->audience, "all") ||
	       audience_has(e->audience, "group", group);
}

bool
cal_event_for_facilitator(const struct cal_event *e, const char *name)
{
	size_t len = strlen(name);
	for (const char *p = e->facilitators; *p;) {
		size_t n = strcspn(p, ";");
		if (n == len && !memcmp(p, name, n))
			return true;
		p += n + (p[n] == ';');
	}
	return false;
}
