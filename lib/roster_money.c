/*
 * roster_money.c - the sheets that hold money: Roster (a row per
 * registration), Payment (what is paid in cash, to sign), By category and
 * Finance rules.
 *
 * Every rate and share is a cell of the Finance rules sheet, and every
 * money cell is a formula over those cells and the row's counts, with its
 * result stored (worksheet_write_formula_num): computed here in doubles,
 * in the formula's order, from the cells' values, so that a spreadsheet
 * that recalculates finds the very same numbers.  Only functions that
 * Excel, LibreOffice and Gnumeric compute alike are used: SUBTOTAL(9, ...)
 * (Gnumeric gives #NUM! for 109), and COUNTIF/COUNTIFS/SUMIF on the
 * category's number, an exact key (text criteria ignore case, and
 * SUMPRODUCT(EXACT(...)) came out wrong in Gnumeric).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "value.h"
#include "workbook.h"

const int SUMMED[N_SUMMED] = { C_NIGHTS, C_DAYS, C_TRAVEL_DAYS, C_PER_DIEM,
			       C_MEALS, C_ACCOMMODATION, C_TRAVEL, C_TOTAL };

static const char *const ROSTER_HEAD[C__COUNT] = {
	"Ref", "Family name", "Given name", "Organization", "Position",
	"Category", "Country", "Status", "Group", "Arrival", "Departure",
	"Nights", "Days present", "Travel days", "Per-diem rate", "Per diem",
	"Meals deducted", "Accommodation rate", "Accommodation", "Travel",
	"Total", "Funded", "Flag", "Category no.",
};

/* The cell of a rule, as formulas name it: 'Finance rules'!$B$5. */
static const char *
rule(const struct mission *m, int which)
{
	return m->rule_at[which] + 1; /* without the '=' */
}

/* --- Roster ---------------------------------------------------------------- */

void
roster_begin(struct writer *w, struct mission *m, struct sheet *s)
{
	lxw_row_t last = (lxw_row_t)(m->n_regs > 0 ? m->n_regs : 1);

	/* the rules' cells, formatted once rather than on every row */
	for (int i = 0; i < RULE__COUNT; i++)
		snprintf(m->rule_at[i], sizeof(m->rule_at[i]), "=%s$B$%d",
			 m->rules, 5 + i);
	xl(w, worksheet_set_row(s->ws, 0, 30, w->wrap));
	put_header(w, s, 0, ROSTER_HEAD, C__COUNT);
	worksheet_freeze_panes(s->ws, 1, 3);
	/* before the rows: constant-memory mode drops it otherwise */
	xl(w, worksheet_autofilter(s->ws, 0, 0, last, C__COUNT - 1));
	s->row = 1;
}

/* The widest the Roster's text columns print (roster_end()): a longer
 * text wraps, its row as tall as its longest, the other cells at the top. */
static double
roster_cap(int c)
{
	return c == C_FAMILY ? 24 : c == C_GIVEN ? 20 : MAX_WIDTH;
}

void
roster_row(struct writer *w, struct mission *m, struct sheet *s,
	   const char *const *v, const double *vw, int catno,
	   const struct stay *st)
{
	lxw_row_t r = s->row++;
	unsigned R = (unsigned)r + 1; /* the row's number in formulas */
	char f[200];
	double rate = (double)m->rate / 100.0;
	double nightly = (double)m->nightly / 100.0;
	int lines = 1;

	for (int c = C_REF; c <= C_GROUP; c++) {
		int n = capped_lines(v[c], vw[c] < 0 ? text_width(v[c]) : vw[c],
				     roster_cap(c));
		if (n > lines)
			lines = n;
	}
	bool tall = lines > 1;
	lxw_format *top = tall ? w->top : NULL;
	lxw_format *money = tall ? m->money_top : m->money;
	row_lines(w, s, r, lines);
	for (int c = C_REF; c <= C_GROUP; c++)
		put_text_width(w, s, r, (lxw_col_t)c, v[c],
			       tall ? w->wrap : NULL, vw[c]);
	for (int c = C_ARRIVAL; c <= C_DEPARTURE; c++) {
		int64_t days;
		int minutes;
		if (!*v[c] || parse_date_time(v[c], &days, &minutes))
			continue;
		if (minutes < 0)
			put_number(w, s, r, (lxw_col_t)c,
				   (double)(days + EXCEL_EPOCH),
				   tall ? w->date_top : w->date);
		else
			put_number(w, s, r, (lxw_col_t)c,
				   (double)(days + EXCEL_EPOCH) +
					   minutes / 1440.0,
				   tall ? w->datetime_top : w->datetime);
	}
	put_number(w, s, r, C_NIGHTS, (double)st->nights, top);
	put_number(w, s, r, C_DAYS, (double)st->days, top);
	put_number(w, s, r, C_TRAVEL_DAYS, (double)st->travel_days, top);
	put_formula(w, s, r, C_RATE, m->rule_at[RULE_RATE], rate, money);
	snprintf(f, sizeof(f), "=IF(V%u=\"yes\",M%u*O%u,0)", R, R, R);
	put_formula(w, s, r, C_PER_DIEM, f, st->v_per_diem, money);
	snprintf(f, sizeof(f), "=IF(V%u=\"yes\",M%u*%s,0)", R, R,
		 rule(m, RULE_MEALS));
	put_formula(w, s, r, C_MEALS, f, st->v_meals, money);
	put_formula(w, s, r, C_NIGHTLY, m->rule_at[RULE_NIGHTLY], nightly,
		    money);
	snprintf(f, sizeof(f), "=L%u*R%u", R, R);
	put_formula(w, s, r, C_ACCOMMODATION, f, st->v_accommodation, money);
	snprintf(f, sizeof(f), "=IF(V%u=\"yes\",ROUND(N%u*O%u*%s,%s),0)", R,
		 R, R, rule(m, RULE_SHARE), rule(m, RULE_DECIMALS));
	put_formula(w, s, r, C_TRAVEL, f, st->v_travel, money);
	snprintf(f, sizeof(f), "=P%u-Q%u+S%u+T%u", R, R, R, R);
	put_formula(w, s, r, C_TOTAL, f, st->v_total, money);
	xl(w, worksheet_write_string(s->ws, r, C_FUNDED,
				     st->funded ? "yes" : "no", top));
	if (st->no_show)
		xl(w, worksheet_write_string(s->ws, r, C_FLAG, "no-show",
					     top));
	put_number(w, s, r, C_CATNO, (double)catno, top);
}

/* The totals under the roster: SUBTOTAL(9) sums the rows a filter shows,
 * so the totals follow the filter; the stored results are those of the
 * whole roster (what a viewer that does not recalculate shows). */
void
roster_end(struct writer *w, struct mission *m, struct sheet *s,
	   const double *sums)
{
	lxw_row_t last = (lxw_row_t)(m->n_regs > 0 ? m->n_regs : 1);
	lxw_row_t r = last + 2;
	char f[96];

	xl(w, worksheet_write_string(s->ws, r, C_REF, "Total (filtered rows)",
				     w->bold));
	for (size_t i = 0; i < N_SUMMED; i++) {
		int c = SUMMED[i];
		bool money = c >= C_RATE;
		snprintf(f, sizeof(f), "=SUBTOTAL(9,%c2:%c%u)", col_letter(c),
			 col_letter(c), (unsigned)last + 1);
		put_formula(w, s, r, (lxw_col_t)c, f, sums[i],
			    money ? m->money_total : w->bold);
		if (money)
			note_width(s, (lxw_col_t)c,
				   money_width(sums[i], m->currency));
	}
	s->row = r + 1;
	for (int c = C_ARRIVAL; c <= C_DEPARTURE; c++)
		note_width(s, (lxw_col_t)c, 17);
	for (int c = C_NIGHTS; c <= C_TRAVEL_DAYS; c++)
		note_width(s, (lxw_col_t)c, 9);
	for (int c = C_FAMILY; c <= C_GIVEN; c++)
		if (s->widths[c] > roster_cap(c))
			s->widths[c] = roster_cap(c);
	set_widths(w, s, C__COUNT);
	print_setup(w, m, s, s->name,
		    &(struct print){ .landscape = true, .title_rows = 1,
				     .repeat_cols = 3, .n_cols = C__COUNT });
}

/* --- Payment ----------------------------------------------------------------- */

/*
 * The cash paid to each person (per diem - meals + travel; accommodation
 * goes to the hotel), to be signed for.  Pages of PAGE_ROWS people and a
 * page total each, with a page break after every page total: A4 landscape
 * at 100 %, a 20-point title row and rows of 25 points make 470 of the 487
 * points a page holds, so the pages fall there even past the 1,023 breaks
 * a sheet can have; the columns are fixed to fit the width (116
 * characters, 754 of 770 points).  The overall total adds the people's rows only (the
 * No. column holds a number on those rows alone).
 *
 * A name or organization too long for its column is printed at 8.5 pt,
 * wrapped: two lines fit the row; a longer text makes its row taller from
 * the 17 points the page has left (PAGE_SLACK), never more, so that every
 * page keeps its people and its total (a text longer still is cut there).
 */
#define PAGE_ROWS 17
#define ROW_POINTS 25
#define HEAD_POINTS 20
#define PAGE_SLACK (487.0 - HEAD_POINTS - (PAGE_ROWS + 1) * ROW_POINTS)
#define SMALL_LINE 11.6 /* points a line of SMALL_POINTS text takes */

static const char *const PAYMENT_HEAD[] = { "No.", "Family name",
	"Given name", "Organization", "Amount", "Signature", "Date" };
#define PAYMENT_COLS 7
/* the columns' widths, fixed (payment_end()) */
static const double PAYMENT_WIDTHS[PAYMENT_COLS] = { 6, 20, 16, 24, 18, 22,
						     10 };

void
payment_begin(struct writer *w, struct mission *m, struct payment *p)
{
	struct sheet *s = &p->sheet;
	/* the Amount column widens for the overall total, at the expense of
	 * Organization (payment_end()): as much as everyone paid for every
	 * day and two travel days could need */
	double most = (double)m->n_regs * (double)m->rate / 100 *
		      (m->days + 2 * m->share / 100.0);
	double amount = money_width(most, m->currency);
	p->org_width = PAYMENT_WIDTHS[3];
	if (amount > PAYMENT_WIDTHS[4])
		p->org_width -= amount - PAYMENT_WIDTHS[4];
	p->payees = p->page_rows = 0;
	p->page = 1;
	p->page_first = 1;
	p->page_sum = p->sum = 0;
	p->page_extra = 0;
	p->n_breaks = 0;
	xl(w, worksheet_set_row(s->ws, 0, HEAD_POINTS, w->wrap));
	put_header(w, s, 0, PAYMENT_HEAD, PAYMENT_COLS);
	worksheet_freeze_panes(s->ws, 1, 0);
	worksheet_set_default_row(s->ws, ROW_POINTS, LXW_FALSE);
	worksheet_gridlines(s->ws, LXW_SHOW_ALL_GRIDLINES);
	s->row = 1;
}

static void
page_total(struct writer *w, struct mission *m, struct payment *p)
{
	struct sheet *s = &p->sheet;
	lxw_row_t r = s->row++;
	char f[96], label[40];

	snprintf(label, sizeof(label), "Page %d total", p->page);
	xl(w, worksheet_write_string(s->ws, r, 3, label, w->bold));
	snprintf(f, sizeof(f), "=SUM(E%u:E%u)", (unsigned)p->page_first + 1,
		 (unsigned)r);
	put_formula(w, s, r, 4, f, p->page_sum, m->money_total);
	p->page++;
	p->page_first = s->row;
	p->page_rows = 0;
	p->page_sum = 0;
	p->page_extra = 0;
}

/* Writes a payee's name and organization (columns 1 to 3), at the top of
 * the row like its other cells.  A text that does not fit its column is
 * written smaller (SMALL_POINTS), wrapped, its row made taller if two lines
 * do not hold it and the page has room left. */
static void
payee_texts(struct writer *w, struct payment *p, lxw_row_t r,
	    const char *const *v, const double *vw)
{
	static const int FIELD[] = { 0, C_FAMILY, C_GIVEN, C_ORG };
	struct sheet *s = &p->sheet;
	int lines = 1;
	bool small[4] = { false };

	for (int c = 1; c <= 3; c++) {
		int k = FIELD[c];
		double width = c == 3 ? p->org_width : PAYMENT_WIDTHS[c];
		if ((vw[k] < 0 ? text_width(v[k]) : vw[k]) + 1 <= width)
			continue;
		small[c] = true;
		/* smaller type: more characters in a line */
		int n = text_lines(v[k], width * 11 / SMALL_POINTS);
		if (n > lines)
			lines = n;
	}
	bool wraps = small[1] || small[2] || small[3];
	double points = lines * SMALL_LINE + 2;
	if (points > ROW_POINTS + PAGE_SLACK - p->page_extra)
		points = ROW_POINTS + PAGE_SLACK - p->page_extra;
	if (points < ROW_POINTS)
		points = ROW_POINTS;
	/* a height even for 25 points: LibreOffice fits a row that has
	 * wrapped cells and no height of its own to its text */
	if (wraps)
		xl(w, worksheet_set_row(s->ws, r, points, NULL));
	p->page_extra += points - ROW_POINTS;
	for (int c = 1; c <= 3; c++)
		put_text_width(w, s, r, (lxw_col_t)c, v[FIELD[c]],
			       small[c] ? w->small_wrap : w->top,
			       vw[FIELD[c]]);
}

void
payment_row(struct writer *w, struct mission *m, struct payment *p,
	    const char *const *v, const double *vw, lxw_row_t roster_row,
	    const struct stay *st)
{
	struct sheet *s = &p->sheet;
	lxw_row_t r = s->row++;
	unsigned R = (unsigned)roster_row + 1;
	double amount = st->v_per_diem - st->v_meals + st->v_travel;
	char f[160];

	/* a new page after a page total (the last total keeps the overall
	 * total on its page when there is room) */
	if (p->page_rows == 0 && p->payees > 0 && p->n_breaks < LXW_BREAKS_MAX)
		p->breaks[p->n_breaks++] = r;
	payee_texts(w, p, r, v, vw);
	put_number(w, s, r, 0, (double)++p->payees, w->top);
	snprintf(f, sizeof(f), "='%s'!P%u-'%s'!Q%u+'%s'!T%u", m->roster, R,
		 m->roster, R, m->roster, R);
	put_formula(w, s, r, 4, f, amount, m->money_top);
	p->page_sum += amount;
	p->sum += amount;
	if (++p->page_rows == PAGE_ROWS)
		page_total(w, m, p);
}

void
payment_end(struct writer *w, struct mission *m, struct payment *p)
{
	struct sheet *s = &p->sheet;
	char f[96], extra[120];

	if (p->page_rows > 0)
		page_total(w, m, p);
	lxw_row_t r = s->row++;
	xl(w, worksheet_write_string(s->ws, r, 3, "Total, all pages",
				     w->bold));
	if (r > 1) {
		snprintf(f, sizeof(f), "=SUMIF(A2:A%u,\">0\",E2:E%u)",
			 (unsigned)r, (unsigned)r);
		put_formula(w, s, r, 4, f, p->sum, m->money_total);
	} else {
		put_number(w, s, r, 4, 0, m->money_total);
	}
	p->breaks[p->n_breaks] = 0;
	if (p->n_breaks > 0)
		xl(w, worksheet_set_h_pagebreaks(s->ws, p->breaks));

	/* fixed widths: the pages must not grow wider than A4 */
	double amount = money_width(p->sum, m->currency);
	memcpy(s->widths, PAYMENT_WIDTHS, sizeof(PAYMENT_WIDTHS));
	if (amount > s->widths[4]) {
		s->widths[3] -= amount - s->widths[4];
		s->widths[4] = amount;
	}
	set_widths(w, s, PAYMENT_COLS);
	snprintf(extra, sizeof(extra), "%s: per diem - meals + travel, "
		 "in %s", m->code, *m->currency ? m->currency : "cash");
	print_setup(w, m, s, s->name,
		    &(struct print){ .landscape = true, .title_rows = 1,
				     .n_cols = PAYMENT_COLS, .extra = extra });
}

/* --- By category --------------------------------------------------------------- */

/*
 * Two tables, one above the other, so that the sheet prints on one page
 * at 8 pt or more: the counts (with the category's number, the key the
 * formulas match on the Roster), then the money.
 */
static const char *const COUNT_HEAD[] = { "Category", "Name",
	"Registrations", "Confirmed", "Nights", "Days present", "Travel days",
	"No-shows", "No." };
static const char *const MONEY_HEAD[] = { "Category", "Name", "Per diem",
	"Meals deducted", "Accommodation", "Travel", "Total" };
#define BYCAT_COLS 9

static void
bycat_total_row(struct writer *w, struct sheet *s, lxw_row_t r,
		unsigned first_row, int from, int to, const double *totals,
		lxw_format *format)
{
	char f[64];
	xl(w, worksheet_write_string(s->ws, r, 0, "Total", w->bold));
	for (int c = from; c <= to; c++) {
		char col = col_letter(c);
		snprintf(f, sizeof(f), "=SUM(%c%u:%c%u)", col, first_row, col,
			 (unsigned)r);
		put_formula(w, s, r, (lxw_col_t)c, f, totals[c - from], format);
	}
}

/* The category's code and name, at most BYCAT_CODE and BYCAT_NAME
 * characters wide (bycat_write()): a longer one wraps, its row as tall.
 * Returns the format of the row's other cells: at the top of a taller
 * row. */
#define BYCAT_CODE 22
#define BYCAT_NAME 24
static lxw_format *
category_cells(struct writer *w, struct sheet *s, lxw_row_t r,
	       const struct category *cat)
{
	int lines = capped_lines(cat->code, text_width(cat->code), BYCAT_CODE);
	int n = capped_lines(cat->name, text_width(cat->name), BYCAT_NAME);
	if (n > lines)
		lines = n;
	row_lines(w, s, r, lines);
	put_text(w, s, r, 0, cat->code, lines > 1 ? w->wrap : NULL);
	put_text(w, s, r, 1, cat->name, lines > 1 ? w->wrap : NULL);
	return lines > 1 ? w->top : NULL;
}

void
bycat_write(struct writer *w, struct mission *m, struct sheet *s,
	    const char *roster, const struct category_sums *cats)
{
	unsigned last = (unsigned)(m->n_regs > 0 ? m->n_regs : 1) + 1;
	unsigned n = (unsigned)w->n_categories;
	char f[320], key[80];
	double counts[6] = { 0 }, money[5] = { 0 };

	xl(w, worksheet_set_row(s->ws, 0, 30, w->wrap));
	put_header(w, s, 0, COUNT_HEAD, BYCAT_COLS);
	worksheet_freeze_panes(s->ws, 1, 0);
	/* the roster's Category no. column: the exact key */
	snprintf(key, sizeof(key), "'%s'!$X$2:$X$%u", roster, last);
	for (unsigned i = 0; i < n; i++) {
		const struct category_sums *c = &cats[i];
		lxw_row_t r = 1 + i;
		unsigned R = (unsigned)r + 1;
		lxw_format *top = category_cells(w, s, r, &w->categories[i]);
		snprintf(f, sizeof(f), "=COUNTIF(%s,$I%u)", key, R);
		put_formula(w, s, r, 2, f, (double)c->registrations, top);
		snprintf(f, sizeof(f), "=COUNTIFS(%s,$I%u,'%s'!$H$2:$H$%u,"
			 "\"confirmed\")", key, R, roster, last);
		put_formula(w, s, r, 3, f, (double)c->confirmed, top);
		for (int k = 0; k < 3; k++) {
			char col = col_letter(SUMMED[k]);
			snprintf(f, sizeof(f), "=SUMIF(%s,$I%u,'%s'!$%c$2:$%c$%u)",
				 key, R, roster, col, col, last);
			put_formula(w, s, r, (lxw_col_t)(4 + k), f, c->sums[k],
				    top);
			counts[2 + k] += c->sums[k];
		}
		snprintf(f, sizeof(f), "=COUNTIFS(%s,$I%u,'%s'!$W$2:$W$%u,"
			 "\"no-show\")", key, R, roster, last);
		put_formula(w, s, r, 7, f, (double)c->no_shows, top);
		put_number(w, s, r, 8, w->categories[i].number, top);
		counts[0] += (double)c->registrations;
		counts[1] += (double)c->confirmed;
		counts[5] += (double)c->no_shows;
	}
	lxw_row_t t1 = 1 + n;
	bycat_total_row(w, s, t1, 2, 2, 7, counts, w->bold);

	/* the money, matched on the key of the table above */
	lxw_row_t h2 = t1 + 2;
	put_header(w, s, h2, MONEY_HEAD, 7);
	for (unsigned i = 0; i < n; i++) {
		const struct category_sums *c = &cats[i];
		lxw_row_t r = h2 + 1 + i;
		lxw_format *top = category_cells(w, s, r, &w->categories[i]);
		for (int k = 3; k < N_SUMMED; k++) {
			char col = col_letter(SUMMED[k]);
			snprintf(f, sizeof(f), "=SUMIF(%s,$I%u,'%s'!$%c$2:$%c$%u)",
				 key, 2 + i, roster, col, col, last);
			put_formula(w, s, r, (lxw_col_t)(k - 1), f, c->sums[k],
				    top ? m->money_top : m->money);
			money[k - 3] += c->sums[k];
		}
	}
	lxw_row_t t2 = h2 + 1 + n;
	bycat_total_row(w, s, t2, (unsigned)h2 + 2, 2, 6, money,
			m->money_total);

	snprintf(m->bycat, sizeof(m->bycat), "%s", s->name);
	m->bycat_total = t1;
	m->bycat_money_total = t2;
	m->registrations = (long)counts[0];
	m->confirmed = (long)counts[1];
	for (int k = 0; k < 3; k++)
		m->totals[k] = counts[2 + k];
	for (int k = 3; k < N_SUMMED; k++)
		m->totals[k] = money[k - 3];
	s->row = t2 + 1;

	/* headers wrap at spaces: a column as wide as its longest word */
	static const double HEAD_WIDTH[BYCAT_COLS] = { 8, 8, 14, 10, 7, 8, 7,
						       9, 5 };
	if (s->widths[0] > BYCAT_CODE)
		s->widths[0] = BYCAT_CODE;
	if (s->widths[1] > BYCAT_NAME)
		s->widths[1] = BYCAT_NAME;
	for (int c = 0; c < BYCAT_COLS; c++) {
		if (c >= 2)
			s->widths[c] = 0;
		note_width(s, (lxw_col_t)c, HEAD_WIDTH[c] + 1);
	}
	for (int k = 0; k < 5; k++)
		note_width(s, (lxw_col_t)(2 + k),
			   money_width(money[k], m->currency));
	set_widths(w, s, BYCAT_COLS);
	print_setup(w, m, s, s->name,
		    &(struct print){ .landscape = true, .one_page = true,
				     .title_rows = 1, .n_cols = BYCAT_COLS });
}

#define RULES_TEXT 56 /* the width of the Meaning column */
#define RULES_WIDTH (28 + 14 + RULES_TEXT) /* the three columns, at least */

/* --- Finance rules ---------------------------------------------------------------- */

void
rules_write(struct writer *w, struct mission *m, struct sheet *s)
{
	static const char *const LABEL[RULE__COUNT] = {
		"Per-diem rate", "Accommodation rate", "Meals deducted",
		"Travel share", "Travel rounded to (decimals)",
	};
	static const char *const MEANING[RULE__COUNT] = {
		"per day present; confirmed and funded participants",
		"per night of the stay; confirmed participants, funded or not "
		"(the programme books the rooms)",
		"per day present, for the meals the programme provides; funded "
		"participants",
		"of the per-diem rate per travel day: the arrival day when "
		"before the first day, the departure day when after the last; "
		"funded participants",
		"travel is rounded to this many decimals (ROUND)",
	};
	const double value[RULE__COUNT] = {
		(double)m->rate / 100.0, (double)m->nightly / 100.0,
		(double)m->meals / 100.0, m->share / 100.0,
		is_whole(m->currency) ? 0 : 2,
	};
	/* beside a wrapped meaning: at the top of the row */
	lxw_format *format[RULE__COUNT] = { m->money_top, m->money_top,
					    m->money_top, w->percent_top,
					    w->top };
	static const char *const HEAD[] = { "Rule", "Value", "Meaning" };
	char line[600];
	lxw_row_t r;

	put_text(w, s, 0, 0, "Finance rules", w->title);
	/* the mission's title runs on over the empty cells beside it, or
	 * wraps across them (merged) when wider than the three columns */
	int lines = capped_lines(m->title, text_width(m->title), RULES_WIDTH);
	if (lines > 1) {
		row_lines(w, s, 1, lines);
		xl(w, worksheet_merge_range(
			      s->ws, 1, 0, 1, 2,
			      utf8_clean(m->title, w->buf, 32767), w->wrap));
	} else {
		put_text(w, s, 1, 0, m->title, NULL);
	}
	s->widths[0] = 0;
	put_text(w, s, 2, 0, "The money cells of the Roster, Payment and By "
		 "category sheets are formulas over these values.", NULL);
	put_header(w, s, 3, HEAD, 3);
	for (int i = 0; i < RULE__COUNT; i++) {
		r = (lxw_row_t)(4 + i); /* row 5 + i, as rule() names it */
		put_wrapped(w, s, r, 2, MEANING[i], RULES_TEXT);
		put_text(w, s, r, 0, LABEL[i], w->top);
		put_number(w, s, r, 1, value[i], format[i]);
	}
	r = 4 + RULE__COUNT + 1;
	static const char *const DAYS_HEAD[] = { "Day", "Date", "Days present" };
	put_header(w, s, r++, DAYS_HEAD, 3);
	for (int d = 0; d < m->days; d++, r++) {
		char day[16];
		snprintf(day, sizeof(day), "Day %d", d + 1);
		put_wrapped(w, s, r, 2,
			    m->covered >> d & 1
				    ? "from attendance: the days people were "
				      "marked present"
				    : "not recorded yet: counted from arrival "
				      "and departure",
			    RULES_TEXT);
		put_text(w, s, r, 0, day, w->top);
		put_number(w, s, r, 1, (double)(m->first + d + EXCEL_EPOCH),
			   w->date_top);
	}
	r++;
	static const char *const WORDS[][2] = {
		{ "Who is owed", "Only confirmed registrations; applied, "
		  "waitlisted and cancelled ones are listed with zeros." },
		{ "Missing dates", "A missing arrival counts as the day before "
		  "the first day, a missing departure as the day after the "
		  "last." },
		{ "Nights", "Departure date - arrival date, both clipped to the "
		  "day before the first day .. the day after the last." },
		{ "Days present", "On a day attendance covers (anyone marked, "
		  "present or absent): the days the person was marked present "
		  "(for the day or any session of it).  On a day nobody has "
		  "been marked for yet: the days of the stay." },
		{ "No-show", "Absent (not marked present) on every day of the "
		  "stay, all of them covered by attendance: no per diem, no "
		  "accommodation, no travel; flagged on the Roster." },
		{ "Total", "Per diem - meals deducted + accommodation + travel.  "
		  "Paid in cash (Payment sheet): per diem - meals deducted + "
		  "travel." },
	};
	put_text(w, s, r++, 0, "In words", w->bold);
	for (size_t i = 0; i < sizeof(WORDS) / sizeof(WORDS[0]); i++, r++) {
		put_wrapped(w, s, r, 2, WORDS[i][1], RULES_TEXT);
		put_text(w, s, r, 0, WORDS[i][0], w->top);
	}
	snprintf(line, sizeof(line), "Amounts in %s.",
		 *m->currency ? m->currency : "the mission's currency");
	put_text(w, s, r++, 0, line, NULL);
	s->row = r;
	s->widths[0] = 28;
	s->widths[1] = 14;
	note_width(s, 1, money_width(value[RULE_NIGHTLY], m->currency));
	note_width(s, 1, money_width(value[RULE_RATE], m->currency));
	s->widths[2] = RULES_TEXT;
	set_widths(w, s, 3);
	print_setup(w, m, s, s->name,
		    &(struct print){ .landscape = false, .title_rows = 1,
				     .n_cols = 3 });
}
