/*
 * zone.c - reading TZif files (RFC 8536) and their POSIX TZ footer.
 *
 * A TZif file lists transitions (UTC instants at which the local time type
 * changes) up to some year, then ends with a POSIX TZ string such as
 * "CST6CDT,M3.2.0,M11.1.0" that generates the transitions after the last
 * listed one.  Version 1 data (32-bit times) comes first and is skipped;
 * we read the version 2+ block and its footer.  zone_state_at() answers
 * "what offset is in force at t, and since when", zone_next_change() walks
 * forward; a VTIMEZONE is the state at its first date plus every change up
 * to its last.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "zone.h"

struct zone_type {
	int32_t utoff;
	bool is_dst;
	char abbr[16];
};

/* One half of a POSIX rule: "M3.2.0/2" and the like. */
struct rule_date {
	char form;     /* 'M', 'J' (1-365, no Feb 29) or 'n' (0-365) */
	int month, week, wday, yday;
	int32_t time;  /* local seconds after midnight, may be <0 or >24h */
};

struct zone {
	int64_t *times;
	uint8_t *types_at; /* the type index of each transition */
	size_t n_times;
	struct zone_type *types;
	size_t n_types;
	/* The footer.  has_rule: DST rules follow; otherwise std is all. */
	bool has_footer, has_rule;
	struct zone_type std, dst;
	struct rule_date start, end;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static int64_t
be64(const unsigned char *p)
{
	return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

/* --- the POSIX TZ string ------------------------------------------------ */

static const char *
posix_name(const char *s, char abbr[16])
{
	size_t n = 0;
	if (*s == '<') {
		const char *close = strchr(s, '>');
		if (!close)
			return NULL;
		n = (size_t)(close - s - 1);
		if (n >= 16)
			return NULL;
		memcpy(abbr, s + 1, n);
		abbr[n] = '\0';
		return close + 1;
	}
	while (isalpha((unsigned char)s[n]))
		n++;
	if (n < 3 || n >= 16)
		return NULL;
	memcpy(abbr, s, n);
	abbr[n] = '\0';
	return s + n;
}

/* [+-]hh[:mm[:ss]], hours up to 167 (RFC 8536 allows it in rule times). */
static const char *
posix_time(const char *s, int32_t *out)
{
	int sign = 1, part = 0;
	int32_t value[3] = { 0, 0, 0 };

	if (*s == '+' || *s == '-')
		sign = *s++ == '-' ? -1 : 1;
	if (!isdigit((unsigned char)*s))
		return NULL;
	for (;;) {
		while (isdigit((unsigned char)*s))
			value[part] = value[part] * 10 + (*s++ - '0');
		if (*s != ':' || part == 2)
			break;
		s++;
		part++;
	}
	if (value[0] > 167 || value[1] > 59 || value[2] > 59)
		return NULL;
	*out = sign * (value[0] * 3600 + value[1] * 60 + value[2]);
	return s;
}

static const char *
posix_rule_date(const char *s, struct rule_date *out)
{
	char *end;
	memset(out, 0, sizeof(*out));
	out->time = 2 * 3600;
	if (*s == 'M') {
		out->form = 'M';
		out->month = (int)strtol(s + 1, &end, 10);
		if (*end != '.')
			return NULL;
		out->week = (int)strtol(end + 1, &end, 10);
		if (*end != '.')
			return NULL;
		out->wday = (int)strtol(end + 1, &end, 10);
		if (out->month < 1 || out->month > 12 || out->week < 1 ||
		    out->week > 5 || out->wday < 0 || out->wday > 6)
			return NULL;
	} else if (*s == 'J' || isdigit((unsigned char)*s)) {
		out->form = *s == 'J' ? 'J' : 'n';
		out->yday = (int)strtol(s + (*s == 'J'), &end, 10);
		if (out->yday < (out->form == 'J') || out->yday > 365)
			return NULL;
	} else {
		return NULL;
	}
	if (*end == '/')
		return posix_time(end + 1, &out->time);
	return end;
}

static bool
parse_footer(struct zone *z, const char *s)
{
	int32_t off;

	if (!*s)
		return true; /* no footer: the table is all there is */
	if (!(s = posix_name(s, z->std.abbr)) || !(s = posix_time(s, &off)))
		return false;
	z->std.utoff = -off; /* POSIX counts west as positive */
	z->has_footer = true;
	if (!*s)
		return true;
	if (!(s = posix_name(s, z->dst.abbr)))
		return false;
	z->dst.utoff = z->std.utoff + 3600;
	z->dst.is_dst = true;
	if (*s && *s != ',') {
		if (!(s = posix_time(s, &off)))
			return false;
		z->dst.utoff = -off;
	}
	if (*s++ != ',' || !(s = posix_rule_date(s, &z->start)) ||
	    *s++ != ',' || !(s = posix_rule_date(s, &z->end)))
		return false;
	z->has_rule = true;
	return *s == '\0';
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* The local day (days since 1970-01-01) a rule names in year y. */
static int64_t
rule_day(const struct rule_date *r, int y)
{
	int64_t jan1 = days_from_civil(y, 1, 1);

	if (r->form == 'J') /* 1-365, Feb 29 never counted */
		return jan1 + r->yday - 1 + (is_leap(y) && r->yday > 59);
	if (r->form == 'n')
		return jan1 + r->yday;
	/* Mm.w.d: day d (0 = Sunday) of week w (5 = the last) of month m */
	int64_t first = days_from_civil(y, r->month, 1);
	int wday_first = (int)(((first + 4) % 7 + 7) % 7); /* 1970-01-01: Thu */
	int64_t day = first + (r->wday - wday_first + 7) % 7 + 7 * (r->week - 1);
	int next_y = r->month == 12 ? y + 1 : y;
	int next_m = r->month == 12 ? 1 : r->month + 1;
	while (day >= days_from_civil(next_y, next_m, 1))
		day -= 7;
	return day;
}

/* The footer's two transitions of year y, as UTC seconds. */
static void
rule_year(const struct zone *z, int y, int64_t *to_dst, int64_t *to_std)
{
	*to_dst = rule_day(&z->start, y) * 86400 + z->start.time -
		  z->std.utoff;
	*to_std = rule_day(&z->end, y) * 86400 + z->end.time - z->dst.utoff;
}

static int
year_of(int64_t t)
{
	int y, m, d;
	int64_t days = t / 86400 - (t % 86400 < 0);
	civil_from_days(days, &y, &m, &d);
	return y;
}

/* The latest footer transition at or before t (false if none in the two
 * years looked at, which cannot happen for a rule with two dates). */
static bool
rule_last_before(const struct zone *z, int64_t t, int64_t *when,
		 bool *to_dst)
{
	bool found = false;
	for (int y = year_of(t) - 1; y <= year_of(t) + 1; y++) {
		int64_t d, s;
		rule_year(z, y, &d, &s);
		if (d <= t && (!found || d > *when))
			*when = d, *to_dst = true, found = true;
		if (s <= t && (!found || s > *when))
			*when = s, *to_dst = false, found = true;
	}
	return found;
}

/* --- loading --------------------------------------------------------------- */

fs_err
zone_load(struct zone **out, const char *name)
{
	const char *dir = getenv("TZDIR");
	unsigned char *buf = NULL, *p, *end;
	struct zone *z = NULL;
	char path[4096];
	size_t size = 0, cap = 0, got;
	fs_err err = FS_OK;
	FILE *fp;

	*out = NULL;
	snprintf(path, sizeof(path), "%s/%s",
		 dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if (!(fp = fopen(path, "rb")))
		return fs_fail(errno == ENOENT ? FS_ENOTFOUND : FS_EIO,
			       "time zone '%s': %s", name, strerror(errno));
	do {
		if (size == cap) {
			unsigned char *grown = realloc(buf, cap = cap ? 2 * cap : 4096);
			if (!grown) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				goto done;
			}
			buf = grown;
		}
		size += got = fread(buf + size, 1, cap - size, fp);
	} while (got > 0 && size < (1u << 20));

	err = fs_fail(FS_EINPUT, "time zone '%s': %s is not a TZif file of "
				 "version 2 or later", name, path);
	if (size < 44 || memcmp(buf, "TZif", 4) || buf[4] < '2')
		goto done;
	/* skip the version 1 block: 32-bit times, 8-byte leap records */
	p = buf + 44 + be32(buf + 32) * 5 + be32(buf + 36) * 6 +
	    be32(buf + 40) + be32(buf + 28) * 8 + be32(buf + 24) +
	    be32(buf + 20);
	end = buf + size;
	if (p + 44 > end || memcmp(p, "TZif", 4))
		goto done;
	uint32_t isut = be32(p + 20), isstd = be32(p + 24),
		 leap = be32(p + 28), timecnt = be32(p + 32),
		 typecnt = be32(p + 36), charcnt = be32(p + 40);
	p += 44;
	if (typecnt == 0 || typecnt > 256 || charcnt > 4096 ||
	    timecnt > 100000 ||
	    (size_t)(end - p) < (size_t)timecnt * 9 + typecnt * 6 + charcnt +
					leap * 12 + isstd + isut)
		goto done;
	if (!(z = calloc(1, sizeof(*z))) ||
	    !(z->times = malloc((timecnt + 1) * sizeof(int64_t))) ||
	    !(z->types_at = malloc(timecnt + 1)) ||
	    !(z->types = calloc(typecnt, sizeof(struct zone_type)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	z->n_times = timecnt;
	z->n_types = typecnt;
	for (uint32_t i = 0; i < timecnt; i++)
		z->times[i] = be64(p + 8 * i);
	p += 8 * timecnt;
	for (uint32_t i = 0; i < timecnt; i++)
		if ((z->types_at[i] = p[i]) >= typecnt)
			goto done;
	p += timecnt;
	const unsigned char *chars = p + typecnt * 6;
	for (uint32_t i = 0; i < typecnt; i++, p += 6) {
		uint8_t at = p[5];
		z->types[i].utoff = (int32_t)be32(p);
		z->types[i].is_dst = p[4];
		if (at >= charcnt)
			goto done;
		snprintf(z->types[i].abbr, sizeof(z->types[i].abbr), "%.*s",
			 (int)strnlen((const char *)chars + at, charcnt - at),
			 (const char *)chars + at);
	}
	p = (unsigned char *)chars + charcnt + leap * 12 + isstd + isut;
	/* the footer: "\n" TZ-string "\n" */
	if (p < end && *p == '\n') {
		unsigned char *nl = memchr(p + 1, '\n', (size_t)(end - p - 1));
		char footer[128];
		if (!nl || nl - p - 1 >= (long)sizeof(footer))
			goto done;
		memcpy(footer, p + 1, (size_t)(nl - p - 1));
		footer[nl - p - 1] = '\0';
		if (!parse_footer(z, footer))
			goto done;
	}
	err = FS_OK;
	*out = z;
	z = NULL;
done:
	fclose(fp);
	free(buf);
	zone_free(z);
	return err;
}

void
zone_free(struct zone *zone)
{
	if (!zone)
		return;
	free(zone->times);
	free(zone->types_at);
	free(zone->types);
	free(zone);
}

/* --- questions --------------------------------------------------------- */

static void
set_state(struct zone_state *out, const struct zone_type *type,
	  int64_t onset, int32_t before, bool before_dst)
{
	out->was_dst = before_dst;
	out->utoff = type->utoff;
	out->is_dst = type->is_dst;
	memcpy(out->abbr, type->abbr, sizeof(out->abbr));
	out->onset = onset;
	out->utoff_before = before;
}

void
zone_state_at(const struct zone *z, int64_t t, struct zone_state *out)
{
	size_t lo = 0, hi = z->n_times;

	/* The footer governs after the last listed transition. */
	if (z->has_rule && (!z->n_times || t >= z->times[z->n_times - 1])) {
		int64_t when = 0;
		bool to_dst = false;
		if (rule_last_before(z, t, &when, &to_dst) &&
		    (!z->n_times || when > z->times[z->n_times - 1])) {
			set_state(out, to_dst ? &z->dst : &z->std, when,
				  to_dst ? z->std.utoff : z->dst.utoff, !to_dst);
			return;
		}
	}
	if (!z->n_times || t < z->times[0]) {
		set_state(out, z->has_footer && !z->n_times ? &z->std : &z->types[0],
			  ZONE_NO_ONSET, 0, false);
		out->utoff_before = out->utoff;
		out->was_dst = out->is_dst;
		return;
	}
	while (hi - lo > 1) { /* the last transition <= t */
		size_t mid = lo + (hi - lo) / 2;
		if (z->times[mid] <= t)
			lo = mid;
		else
			hi = mid;
	}
	set_state(out, &z->types[z->types_at[lo]], z->times[lo],
		  lo ? z->types[z->types_at[lo - 1]].utoff
		     : z->types[0].utoff,
		  lo ? z->types[z->types_at[lo - 1]].is_dst
		     : z->types[0].is_dst);
}

static bool
same_type(const struct zone_state *a, const struct zone_state *b)
{
	return a->utoff == b->utoff && a->is_dst == b->is_dst &&
	       !strcmp(a->abbr, b->abbr);
}

/* The next candidate instant after t, changing anything or not. */
static bool
next_candidate(const struct zone *z, int64_t t, int64_t *next)
{
	size_t lo = 0, hi = z->n_times;

	if (z->n_times && t < z->times[z->n_times - 1]) {
		while (lo < hi) { /* the first transition > t */
			size_t mid = lo + (hi - lo) / 2;
			if (z->times[mid] <= t)
				lo = mid + 1;
			else
				hi = mid;
		}
		*next = z->times[lo];
		return true;
	}
	if (!z->has_rule)
		return false;
	bool found = false;
	for (int y = year_of(t) - 1; y <= year_of(t) + 1; y++) {
		int64_t d, s;
		rule_year(z, y, &d, &s);
		if (d > t && (!found || d < *next))
			*next = d, found = true;
		if (s > t && (!found || s < *next))
			*next = s, found = true;
	}
	return found;
}

bool
zone_next_change(const struct zone *z, int64_t t, int64_t *next)
{
	struct zone_state now, then;

	zone_state_at(z, t, &now);
	/* skip listed transitions that change nothing (a few renames) */
	for (int guard = 0; guard < 1000; guard++) {
		if (!next_candidate(z, t, next))
			return false;
		zone_state_at(z, *next, &then);
		if (!same_type(&now, &then))
			return true;
		t = *next;
	}
	return false;
}

bool
zone_local_exists(const struct zone *z, int64_t local, int32_t *shift)
{
	struct zone_state before, after, s;

	/* The offsets in force a day either side: a wall time exists if it
	 * maps to an instant whose offset is the one used to get there. */
	zone_state_at(z, local - 86400 - 14 * 3600, &before);
	zone_state_at(z, local + 86400 + 14 * 3600, &after);
	zone_state_at(z, local - before.utoff, &s);
	if (s.utoff == before.utoff)
		return true;
	zone_state_at(z, local - after.utoff, &s);
	if (s.utoff == after.utoff)
		return true;
	*shift = after.utoff - before.utoff;
	return false;
}

int64_t
zone_local_to_utc(const struct zone *z, int64_t local, int32_t *back)
{
	struct zone_state before, after, s;
	int64_t early, late;
	bool has_early, has_late;

	/* As above: the candidates are the local time read with the offset
	 * of a day before and of a day after; each holds if the instant it
	 * gives has that offset. */
	zone_state_at(z, local - 86400 - 14 * 3600, &before);
	zone_state_at(z, local + 86400 + 14 * 3600, &after);
	early = local - before.utoff;
	late = local - after.utoff;
	zone_state_at(z, early, &s);
	has_early = s.utoff == before.utoff;
	zone_state_at(z, late, &s);
	has_late = s.utoff == after.utoff;
	if (back)
		*back = has_early && has_late && early != late
				? (int32_t)(early < late ? late - early
							 : early - late)
				: 0;
	if (has_early && has_late)
		return early < late ? early : late;
	return has_late && !has_early ? late : early;
}
