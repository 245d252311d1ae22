/*
 * check_clocks.c - the rule of check on times the clocks skip or repeat,
 * in items and in arrivals and departures (check.h).
 *
 * A wall-clock time in the hour the clocks go back happens twice; calendar
 * feeds give the first (RFC 5545), as UTC so that every client agrees,
 * but the organizer should know.  A time the clocks skip cannot be added
 * to the agenda; it can still come from a change of time zone, and an
 * arrival may hold one (feeds show the time the clocks show instead).
 */
#include "check.h"

static fs_err
clock_finding(struct check_ctx *c, const char *subject, const char *what,
	      int day, int minutes, int change)
{
	const char *zone = c->in->timezone ? c->in->timezone
					   : "the mission's time zone";
	int h = minutes / 60 % 24, m = minutes % 60;

	if (change < 0)
		return check_add(c, FS_WARNING, "clock-change", subject,
				 "%s at %02d:%02d on day %d, a time that "
				 "happens twice in %s (the clocks go back %d "
				 "minutes): calendars show the first "
				 "%02d:%02d, before the change; give a time "
				 "outside that hour if the second was meant",
				 what, h, m, day, zone, -change, h, m);
	int shown = minutes + change;
	return check_add(c, FS_WARNING, "clock-change", subject,
			 "%s at %02d:%02d on day %d, a time that does not "
			 "exist in %s (the clocks go forward %d minutes): "
			 "calendars show %02d:%02d; give the time the clocks "
			 "show", what, h, m, day, zone, change, shown / 60 % 24,
			 shown % 60);
}

fs_err
check_clocks(struct check_ctx *c)
{
	const fs_check_input *in = c->in;
	fs_err err = FS_OK;

	for (size_t i = 0; !err && i < in->n_items; i++) {
		const fs_check_item *it = &in->items[i];
		if (it->start_clock)
			err = clock_finding(c, it->ref, "starts", it->day,
					    it->start, it->start_clock);
		if (!err && it->end_clock)
			err = clock_finding(c, it->ref, "ends", it->day,
					    it->end, it->end_clock);
	}
	for (size_t p = 0; !err && p < in->n_people; p++) {
		const fs_check_person *who = &in->people[p];
		if (!who->is_confirmed)
			continue;
		if (who->arrival_clock && who->arrival_min >= 0)
			err = clock_finding(c, who->ref, "arrives",
					    who->arrival_day, who->arrival_min,
					    who->arrival_clock);
		if (!err && who->departure_clock && who->departure_min >= 0)
			err = clock_finding(c, who->ref, "leaves",
					    who->departure_day,
					    who->departure_min,
					    who->departure_clock);
	}
	return err;
}
