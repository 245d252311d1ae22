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
	/* the mission days attendance covers: bit d for the day first + d,
	 * set once anyone is marked (present or absent) on that day */
	uint64_t covered;
	bool whole;                   /* a currency without minor units */
};

/* Is currency (ISO 4217) one without minor units (RWF, JPY, ...)?  Its
 * amounts are whole units: travel is rounded to the unit. */
bool finance_whole_currency(const char *currency);

struct stay {
	long nights, days, travel_days;
	bool no_show; /* absent on every day of the stay: owed nothing */
	int64_t per_diem, meals, accommodation, travel, total; /* cents */
	/* the same amounts as the spreadsheet computes them from the cells
	 * (currency units, in doubles, in the formulas' order) */
	double v_per_diem, v_meals, v_accommodation, v_travel, v_total;
	bool funded;
};

/* The date part of an arrival or departure, or fallback when it is
 * missing (or not a date). */
int64_t finance_day_of(const char *text, int64_t fallback);

/* The mission days of a stay, as a mask (bit d: the day first + d): the
 * days from the arrival date to the departure date (missing: the day
 * before the first, the day after the last). */
uint64_t finance_stay_days(int64_t first, int64_t last, const char *arrival,
			   const char *departure);

/* Days present: the covered days the person was marked present on, plus
 * the days of the stay that attendance does not cover yet (counted from
 * arrival and departure until someone is marked on them).  *no_show: the
 * stay has days, attendance covers all of them, and the person was
 * present on none. */
long finance_days_present(int64_t first, int64_t last, uint64_t covered,
			  const char *arrival, const char *departure,
			  uint64_t present, bool *no_show);

/* One registration's nights, days and money.  present: the mission days
 * the person was marked present on (bit d: the day first + d).  A no-show
 * (see finance_days_present) is owed nothing: no nights, no travel days. */
void finance_stay(const struct finance_rules *rules, bool confirmed,
		  bool funded, const char *arrival, const char *departure,
		  uint64_t present, struct stay *out);

#endif
