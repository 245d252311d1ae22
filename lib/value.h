/*
 * value.h - parsing and checking the values users type (lib-internal).
 *
 * Each function returns NULL when the value is good, or a short static
 * reason ("expected YYYY-MM-DD") that the caller puts after the value.
 */
#ifndef FS_VALUE_H
#define FS_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fieldschool/record.h"
#include "fieldschool/text.h"

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t days_from_civil(int y, int m, int d);
void civil_from_days(int64_t days, int *y, int *m, int *d);

const char *parse_date(const char *s, int64_t *days);       /* YYYY-MM-DD */
const char *parse_clock(const char *s, int *minutes);       /* HH:MM */
/* YYYY-MM-DD or YYYY-MM-DDTHH:MM; *minutes is -1 for a date alone. */
const char *parse_date_time(const char *s, int64_t *days, int *minutes);
const char *parse_int(const char *s, long min, long max, long *out);
const char *parse_money(const char *s, int64_t *cents);
const char *parse_coordinate(const char *s, double limit, double *out);
/*
 * Latitude and longitude are one value: both absent (NULL: keep what is
 * stored), both empty (clear the position) or both given.  NULL when they
 * are; otherwise the reason, and *blame is 0 when lat is the one missing
 * or empty, 1 when lon is.
 */
const char *check_coordinate_pair(const char *lat, const char *lon,
				  int *blame);
const char *parse_yes_no(const char *s, bool *out);

const char *check_zone(const char *name);     /* IANA, in the system tzdb */
const char *check_country(const char *code);  /* ISO 3166-1 alpha-2 */
const char *check_currency(const char *code); /* ISO 4217 */
const char *check_language(const char *tag);  /* BCP 47, by shape */
const char *check_code(const char *code);     /* a-z 0-9 - _ . */
const char *check_email(const char *email);
bool utf8_valid(const char *s);
/* Checks text of a kind (fieldschool/record.h): NULL when it is good, else
 * the reason, written to why ("control character U+001B at character 4:
 * ..."); "invalid UTF-8" for bytes that are not UTF-8. */
const char *check_text(const char *s, fs_text_kind kind, char *why,
		       size_t size);
/* The limit in characters of a kind of text (0: none of its own). */
size_t text_limit(fs_text_kind kind);

void format_date(int64_t days, char buf[11]);
void format_money(int64_t cents, char buf[32]);

/* Writes the sort key of a name (accents and case folded) to buf, cut to
 * size; returns the key's full length. */
size_t fold_key(const char *s, char *buf, size_t size);

/* Removes leading and trailing blanks in place; returns s. */
char *trim(char *s);

#endif
