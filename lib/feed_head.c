/*
 * feed_head.c - what every feed of a mission shares before its events: the
 * calendar's head (PRODID, METHOD, the refresh interval) and the
 * VTIMEZONE, built from the system zone database for the feed's dates
 * only (zone.c).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "calendar_ical.h"
#include "value.h"
#include "zone.h"

#define PRODID "-//fieldschool//fieldschool//EN"

/* --- the VTIMEZONE ------------------------------------------------------ */

/*
 * Whether an observance is DAYLIGHT: the larger offset of a summer-time
 * pair.  The zone database marks Dublin's winter time and Casablanca's
 * Ramadan time as the "DST" half (negative DST); clients, Outlook above all,
 * expect DAYLIGHT to be the one the clocks go forward to.  An offset change
 * that is no summer time at all (Kathmandu, 1986) is STANDARD.
 */
static bool
is_daylight(const struct zone_state *s)
{
	if (s->onset == ZONE_NO_ONSET || s->onset < 0)
		return s->is_dst && !s->was_dst;
	return (s->is_dst || s->was_dst) && s->utoff > s->utoff_before;
}

static void
add_observance(icalcomponent *vtz, const struct zone_state *s)
{
	icalcomponent *obs = is_daylight(s) ? icalcomponent_new_xdaylight()
					    : icalcomponent_new_xstandard();
	struct icaltimetype start = icaltime_null_time();
	int32_t before = s->utoff_before;
	int64_t local;

	/* An observance that began before 1970, or always was, is given as
	 * in force since 1970: clients need no older history. */
	if (s->onset == ZONE_NO_ONSET || s->onset < 0) {
		local = 0;
		before = s->utoff;
	} else {
		local = s->onset + before; /* DTSTART is in the old offset */
	}
	start = cal_utc_instant(local);
	start.zone = NULL; /* a local time, in the old offset */
	icalcomponent_add_property(obs, icalproperty_new_dtstart(start));
	icalcomponent_add_property(obs, icalproperty_new_tzoffsetfrom(before));
	icalcomponent_add_property(obs, icalproperty_new_tzoffsetto(s->utoff));
	if (s->abbr[0])
		icalcomponent_add_property(obs, icalproperty_new_tzname(s->abbr));
	icalcomponent_add_component(vtz, obs);
}

/* The zone's state on the first day and every change up to the last.  A
 * range that falls in summer time also gets the standard time before it:
 * Outlook mishandles a VTIMEZONE that has a DAYLIGHT and no STANDARD. */
char *
cal_vtimezone(const struct cal_mission *m, int64_t first_day,
		int64_t last_day, size_t *len)
{
	struct zone_state state, before;
	int64_t t = (first_day - 1) * 86400, end = (last_day + 2) * 86400;

	icalcomponent *vtz = icalcomponent_new_vtimezone();
	icalcomponent_add_property(vtz, icalproperty_new_tzid(m->zone));
	zone_state_at(m->tz, t, &state);
	if (is_daylight(&state) && state.onset != ZONE_NO_ONSET &&
	    state.onset > 0) {
		zone_state_at(m->tz, state.onset - 1, &before);
		if (!is_daylight(&before))
			add_observance(vtz, &before);
	}
	add_observance(vtz, &state);
	while (zone_next_change(m->tz, t, &t) && t < end) {
		zone_state_at(m->tz, t, &state);
		add_observance(vtz, &state);
	}
	return cal_serialize(vtz, len);
}

/* --- the head ----------------------------------------------------------- */

fs_err
cal_head(struct cal_mission *m)
{
	icalcomponent *cal = icalcomponent_new_vcalendar();
	icalcomponent_add_property(cal, icalproperty_new_prodid(PRODID));
	icalcomponent_add_property(cal, icalproperty_new_version("2.0"));
	icalcomponent_add_property(cal, icalproperty_new_calscale("GREGORIAN"));
	if (*m->contact_email)
		icalcomponent_add_property(
			cal, icalproperty_new_method(ICAL_METHOD_PUBLISH));
	cal_add_x(cal, "X-WR-TIMEZONE", m->zone);
	/* RFC 7986 and its common predecessor: ask for hourly refreshes */
	icalproperty *refresh = icalproperty_new_refreshinterval(
		icaldurationtype_from_int(3600));
	icalproperty_add_parameter(refresh,
				   icalparameter_new_value(ICAL_VALUE_DURATION));
	icalcomponent_add_property(cal, refresh);
	cal_add_x(cal, "X-PUBLISHED-TTL", "PT1H");

	size_t len;
	char *text = cal_serialize(cal, &len);
	if (!text)
		return fs_fail(FS_ENOMEM, "out of memory");
	if (len < sizeof(CAL_END_LINE) - 1 ||
	    strcmp(text + len - (sizeof(CAL_END_LINE) - 1), CAL_END_LINE)) {
		free(text);
		return fs_fail(FS_EIO, "libical wrote an unexpected calendar");
	}
	len -= sizeof(CAL_END_LINE) - 1;
	text[len] = '\0';
	m->head = text;
	m->head_len = len;
	return FS_OK;
}
