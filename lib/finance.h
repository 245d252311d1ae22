/*
 * finance.h - the finance rules of the rosters (lib-internal), in one place
 * for the roster, the certificates and the tests.  See
 * fieldschool/roster.h for the rules in words.
 */
#ifndef FS_FINANCE_H
#define FS_FINANCE_H

#include <stdbool.h>
#include <stdint.h>

struct finance_rules {
	int64_t first, last;          /* the mission's days, since the epoch */
	int64_t rate, nightly, meals; /* cents: per day, per night, per day */
	int share;                    /* percent of rate per travel day */
	bool has_attendance;          /* days present come from attendance */
	bool whole;                   /* a currency without minor units */
};

/* Is currency (ISO 4217) one without minor units (RWF, JPY, ...)?  Its
 * amounts are whole units: travel is rounded to the unit. */
bool finance_whole_currency(const char *currency);

struct stay {
	long nights, days, travel_days;
	int64_t per_diem, meals, accommodation, travel, total; /* cents */
	/* the same amounts as the spreadsheet computes them from the cells
	 * (currency units, in doubles, in the formulas' order) */
	double v_per_diem, v_meals, v_accommodation, v_travel, v_total;
	bool funded;
};

/* The date part of an arrival or departure, or fallback when it is
 * missing (or not a date). */
int64_t finance_day_of(const char *text, int64_t fallback);

/* Mission days from the arrival date to the departure date (missing: the
 * day before the first, the day after the last). */
long finance_days_by_dates(int64_t first, int64_t last, const char *arrival,
			   const char *departure);

/* One registration's nights, days and money.  attended: the days marked
 * present, used when rules->has_attendance. */
void finance_stay(const struct finance_rules *rules, bool confirmed,
		  bool funded, const char *arrival, const char *departure,
		  long attended, struct stay *out);

#endif
