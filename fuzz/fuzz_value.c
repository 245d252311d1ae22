/*
 * fuzz_value.c - libFuzzer target for the value parsers (lib/value.c):
 * dates, times, date-times, whole numbers, money, coordinates, yes/no,
 * time zones, countries, currencies, language tags, codes, emails, UTF-8,
 * sort keys and trimming.
 *
 * The first byte picks the parser, the rest is the text (up to a NUL).
 * Besides crashes, undefined behaviour and leaks, what a parser accepts
 * must hold its promise: a date written back is the same text, a time is
 * within the day, money survives format_money() and a second parse, a
 * coordinate is within range, a sort key does not depend on the buffer's
 * size.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz_value: '%s': %s\n", s, #cond); \
			abort();                                             \
		}                                                            \
	} while (0)

static void
check_fold_key(const char *s)
{
	size_t full = fold_key(s, NULL, 0);
	char *whole = malloc(full + 1);
	CHECK(whole && fold_key(s, whole, full + 1) == full);
	CHECK(strlen(whole) == full);
	for (size_t size = 1; size <= full && size < 40; size++) {
		char cut[40];
		CHECK(fold_key(s, cut, size) == full);
		CHECK(strlen(cut) == size - 1 && !strncmp(cut, whole, size - 1));
	}
	free(whole);
}

static void
check_utf8(const char *s)
{
	const char *p = s;
	size_t n;
	while ((n = fs_utf8_next(p, NULL)))
		p += n;
	CHECK(utf8_valid(s) == (*p == '\0'));
}

static void
parse_one(unsigned which, char *s)
{
	int64_t days, cents, again;
	int minutes;
	long number;
	double degrees;
	bool yes;
	char buf[32];

	switch (which % 16) {
	case 0:
		if (!parse_date(s, &days)) {
			format_date(days, buf);
			CHECK(!strcmp(buf, s));
		}
		break;
	case 1:
		if (!parse_clock(s, &minutes)) {
			CHECK(minutes >= 0 && minutes < 24 * 60);
			snprintf(buf, sizeof(buf), "%02d:%02d", minutes / 60,
				 minutes % 60);
			CHECK(!strcmp(buf, s));
		}
		break;
	case 2:
		if (!parse_date_time(s, &days, &minutes)) {
			CHECK(minutes >= -1 && minutes < 24 * 60);
			format_date(days, buf);
			CHECK(!strncmp(buf, s, 10));
		}
		break;
	case 3:
		if (!parse_int(s, -1000, 100000, &number))
			CHECK(number >= -1000 && number <= 100000);
		break;
	case 4:
		if (!parse_money(s, &cents)) {
			CHECK(cents >= 0);
			format_money(cents, buf);
			CHECK(!parse_money(buf, &again) && again == cents);
		}
		break;
	case 5:
	case 6:
		if (!parse_coordinate(s, which % 16 == 5 ? 90 : 180, &degrees))
			CHECK(isfinite(degrees) &&
			      fabs(degrees) <= (which % 16 == 5 ? 90 : 180));
		break;
	case 7:
		parse_yes_no(s, &yes);
		break;
	case 8:
		check_zone(s);
		break;
	case 9:
		if (!check_country(s))
			CHECK(strlen(s) == 2);
		break;
	case 10:
		if (!check_currency(s))
			CHECK(strlen(s) == 3);
		break;
	case 11:
		check_language(s);
		break;
	case 12:
		if (!check_code(s))
			CHECK(*s != '\0');
		break;
	case 13:
		check_email(s);
		break;
	case 14:
		check_utf8(s);
		check_fold_key(s);
		break;
	case 15: {
		char *t = trim(s);
		size_t n = strlen(t);
		CHECK(*t != ' ' && *t != '\t');
		CHECK(n == 0 || !strchr(" \t\r\n", t[n - 1]));
		break;
	}
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size == 0 || !(s = malloc(size)))
		return 0;
	/* the text after the selector, as a C string */
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	parse_one(data[0], s);
	free(s);
	return 0;
}
