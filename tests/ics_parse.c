/*
 * ics_parse.c - reads .ics files with libical, as a client built on it would,
 * for the end-to-end tests (tests/ics_check.py runs it; see there).
 *
 *   ics_parse FILE...
 *
 * For each file, one line per VEVENT:
 *
 *   EVENT <TAB> UID <TAB> START <TAB> END <TAB> SEQUENCE <TAB> STATUS
 *
 * START and END are UTC instants (YYYYMMDDTHHMMSSZ) that libical computes
 * from the local time and the VTIMEZONE embedded in the file (the TZID is
 * looked up in the file only, never in libical's built-in zones), or
 * DATE:YYYYMMDD for all-day values; then a summary line
 *
 *   FILE <TAB> vevents=N <TAB> errors=M
 *
 * Before it, "CALNAME <TAB> HEX" gives the X-WR-CALNAME as libical reads
 * it (its TEXT value, unescaped), the UTF-8 bytes in hexadecimal, so that
 * the caller can compare it with the name it expects.
 *
 * Errors (each printed as "ERROR <TAB> text") are: a file libical cannot
 * parse, a top component that is not a VCALENDAR, every X-LIC-ERROR
 * property libical's parser adds for what it could not read, every
 * X-LIC-ERROR that libical's own iTIP restriction check
 * (icalrestriction_check: what METHOD:PUBLISH requires of each component)
 * adds, and a TZID without a VTIMEZONE in the file.  Exit status 0 when no file had errors,
 * 1 otherwise, 2 on usage or I/O errors.
 */
#include <libical/ical.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static char *
slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *data = NULL;
	size_t len = 0, cap = 0, got;

	if (!fp)
		return NULL;
	do {
		if (len + 1 >= cap) {
			char *grown = realloc(data, cap = cap ? 2 * cap : 65536);
			if (!grown) {
				free(data);
				fclose(fp);
				return NULL;
			}
			data = grown;
		}
		len += got = fread(data + len, 1, cap - len - 1, fp);
	} while (got > 0);
	fclose(fp);
	data[len] = '\0';
	return data;
}

static int
count_errors(icalcomponent *c)
{
	int n = 0;
	for (icalproperty *p = icalcomponent_get_first_property(c, ICAL_XLICERROR_PROPERTY);
	     p; p = icalcomponent_get_next_property(c, ICAL_XLICERROR_PROPERTY)) {
		printf("ERROR\tX-LIC-ERROR in %s: %s\n",
		       icalcomponent_kind_to_string(icalcomponent_isa(c)),
		       icalproperty_get_xlicerror(p));
		n++;
	}
	for (icalcomponent *s = icalcomponent_get_first_component(c, ICAL_ANY_COMPONENT);
	     s; s = icalcomponent_get_next_component(c, ICAL_ANY_COMPONENT))
		n += count_errors(s);
	return n;
}

/* The UTC instant of a DTSTART/DTEND, computed from the file's VTIMEZONE. */
static int
instant(icalcomponent *cal, icalproperty *p, char out[32])
{
	struct icaltimetype t;
	icalparameter *tzid;

	if (!p) {
		snprintf(out, 32, "-");
		return 0;
	}
	t = icalvalue_get_datetime(icalproperty_get_value(p));
	if (icaltime_is_date(t)) {
		snprintf(out, 32, "DATE:%04d%02d%02d", t.year, t.month, t.day);
		return 0;
	}
	tzid = icalproperty_get_first_parameter(p, ICAL_TZID_PARAMETER);
	icaltimezone *zone = NULL;
	if (tzid) {
		zone = icalcomponent_get_timezone(cal, icalparameter_get_tzid(tzid));
		if (!zone) {
			printf("ERROR\tTZID '%s' has no VTIMEZONE in the file\n",
			       icalparameter_get_tzid(tzid));
			snprintf(out, 32, "?");
			return 1;
		}
	} else if (icaltime_is_utc(t)) {
		zone = icaltimezone_get_utc_timezone();
	} else {
		printf("ERROR\tfloating time in %s\n", icalproperty_get_property_name(p));
		snprintf(out, 32, "?");
		return 1;
	}
	time_t when = icaltime_as_timet_with_zone(t, zone);
	struct tm tm;
	gmtime_r(&when, &tm);
	strftime(out, 32, "%Y%m%dT%H%M%SZ", &tm);
	return 0;
}

static int
check_file(const char *path)
{
	char *text = slurp(path);
	int errors = 0, events = 0;

	if (!text) {
		fprintf(stderr, "ics_parse: %s: cannot read\n", path);
		exit(2);
	}
	icalcomponent *cal = icalparser_parse_string(text);
	free(text);
	if (!cal) {
		printf("ERROR\tlibical could not parse the file\n");
		errors++;
	} else if (icalcomponent_isa(cal) != ICAL_VCALENDAR_COMPONENT) {
		printf("ERROR\ttop component is %s, not VCALENDAR\n",
		       icalcomponent_kind_to_string(icalcomponent_isa(cal)));
		errors++;
	} else {
		/* adds an X-LIC-ERROR for every restriction a component
		 * breaks, counted below */
		icalrestriction_check(cal);
		errors += count_errors(cal);
		for (icalproperty *x = icalcomponent_get_first_property(cal, ICAL_X_PROPERTY);
		     x; x = icalcomponent_get_next_property(cal, ICAL_X_PROPERTY)) {
			const char *name = icalproperty_get_x_name(x);
			icalvalue *v = icalproperty_get_value(x);
			if (!name || strcmp(name, "X-WR-CALNAME") || !v)
				continue;
			const char *calname = icalvalue_isa(v) == ICAL_TEXT_VALUE
						      ? icalvalue_get_text(v)
						      : icalvalue_get_x(v);
			printf("CALNAME\t");
			for (const unsigned char *c = (const unsigned char *)(calname ? calname : ""); *c; c++)
				printf("%02x", *c);
			printf("\n");
		}
		for (icalcomponent *ev = icalcomponent_get_first_component(cal, ICAL_VEVENT_COMPONENT);
		     ev; ev = icalcomponent_get_next_component(cal, ICAL_VEVENT_COMPONENT)) {
			char start[32], end[32];
			events++;
			errors += instant(cal, icalcomponent_get_first_property(ev, ICAL_DTSTART_PROPERTY), start);
			errors += instant(cal, icalcomponent_get_first_property(ev, ICAL_DTEND_PROPERTY), end);
			icalproperty *seq = icalcomponent_get_first_property(ev, ICAL_SEQUENCE_PROPERTY);
			icalproperty *st = icalcomponent_get_first_property(ev, ICAL_STATUS_PROPERTY);
			const char *uid = icalcomponent_get_uid(ev);
			printf("EVENT\t%s\t%s\t%s\t%d\t%s\n", uid ? uid : "-", start, end,
			       seq ? icalproperty_get_sequence(seq) : -1,
			       st ? icalproperty_status_to_string(icalproperty_get_status(st)) : "-");
		}
	}
	if (cal)
		icalcomponent_free(cal);
	printf("%s\tvevents=%d\terrors=%d\n", path, events, errors);
	return errors;
}

int
main(int argc, char **argv)
{
	int errors = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: ics_parse FILE...\n");
		return 2;
	}
	for (int i = 1; i < argc; i++)
		errors += check_file(argv[i]);
	return errors ? 1 : 0;
}
