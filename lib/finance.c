/* finance.c - nights, days present and money of one registration. */
#include <string.h>

#include "finance.h"
#include "value.h"

static int64_t
max64(int64_t a, int64_t b)
{
	return a > b ? a : b;
}

static int64_t
min64(int64_t a, int64_t b)
{
	return a < b ? a : b;
}

bool
finance_whole_currency(const char *currency)
{
	static const char *const WHOLE[] = { "BIF", "CLP", "DJF", "GNF", "ISK",
		"JPY", "KMF", "KRW", "PYG", "RWF", "UGX", "VND", "VUV", "XAF",
		"XOF", "XPF", NULL };
	for (int i = 0; currency && WHOLE[i]; i++)
		if (!strcmp(WHOLE[i], currency))
			return true;
	return false;
}

int64_t
finance_day_of(const char *text, int64_t fallback)
{
	int64_t days;
	int minutes;
	if (!text || !*text || parse_date_time(text, &days, &minutes))
		return fallback;
	return days;
}

uint64_t
finance_stay_days(int64_t first, int64_t last, const char *arrival,
		  const char *departure)
{
	int64_t from = max64(finance_day_of(arrival, first - 1), first);
	int64_t to = min64(finance_day_of(departure, last + 1), last);
	uint64_t mask = 0;
	for (int64_t d = from; d <= to && d - first < 64; d++)
		mask |= (uint64_t)1 << (d - first);
	return mask;
}

long
finance_days_present(int64_t first, int64_t last, uint64_t covered,
		     const char *arrival, const char *departure,
		     uint64_t present, bool *no_show)
{
	uint64_t stay = finance_stay_days(first, last, arrival, departure);
	long days = __builtin_popcountll(present & covered) +
		    __builtin_popcountll(stay & ~covered);
	if (no_show)
		*no_show = days == 0 && stay != 0 && (stay & ~covered) == 0;
	return days;
}

void
finance_stay(const struct finance_rules *r, bool confirmed, bool funded,
	     const char *arrival, const char *departure, uint64_t present,
	     struct stay *s)
{
	memset(s, 0, sizeof(*s));
	s->funded = funded;
	if (confirmed) {
		/* a missing arrival is the day before, a missing departure
		 * the day after; nights are paid from the day before the
		 * first day to the day after the last at most */
		int64_t arr = finance_day_of(arrival, r->first - 1);
		int64_t dep = finance_day_of(departure, r->last + 1);
		s->days = finance_days_present(r->first, r->last, r->covered,
					       arrival, departure, present,
					       &s->no_show);
		/* nights follow the stay, whatever the days present; a
		 * no-show stayed no night and made no journey */
		if (!s->no_show) {
			s->nights = (long)max64(0, min64(dep, r->last + 1) -
						   max64(arr, r->first - 1));
			s->travel_days = (arr < r->first && dep >= r->first) +
					 (dep > r->last && arr <= r->last);
		}
	}
	if (funded) {
		s->per_diem = s->days * r->rate;
		s->meals = s->days * r->meals;
		/* rounded half up to the cent, as ROUND(x, 2) does, or to
		 * the unit for a currency without minor units (ROUND(x, 0)) */
		if (r->whole)
			s->travel = (s->travel_days * r->rate * r->share +
				     5000) / 10000 * 100;
		else
			s->travel = (s->travel_days * r->rate * r->share +
				     50) / 100;
	}
	s->accommodation = s->nights * r->nightly;
	s->total = s->per_diem - s->meals + s->accommodation + s->travel;

	/* The cells hold the rates in currency units and the spreadsheet
	 * computes in doubles: the stored results are computed the same
	 * way, so that a recalculation finds the very same numbers. */
	double rate = (double)r->rate / 100.0;
	if (funded) {
		s->v_per_diem = (double)s->days * rate;
		s->v_meals = (double)s->days * ((double)r->meals / 100.0);
		s->v_travel = (double)s->travel / 100.0;
	}
	s->v_accommodation = (double)s->nights * ((double)r->nightly / 100.0);
	s->v_total = s->v_per_diem - s->v_meals + s->v_accommodation +
		     s->v_travel;
}
