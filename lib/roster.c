/*
 * roster.c - Excel rosters: the only file that includes xlsxwriter.h.
 *
 * The workbook is written in libxlsxwriter's constant-memory mode: each
 * sheet keeps one row in memory and streams the rest to a temporary file,
 * so rows must reach a sheet in order and memory does not grow with the
 * number of participants.  One sorted pass over a mission's registrations
 * therefore writes the Roster row and, for each day the person is expected,
 * a row of that day's sign-in sheet; By category, whose numbers are sums
 * over the roster, is written after the pass into a sheet created before
 * it (sheets are independent streams).  Two quirks of libxlsxwriter 1.1.4
 * in this mode shape the code: an autofilter must be set before its rows
 * are written (or it is silently dropped), so the rows are counted first;
 * and formulas need their results given (worksheet_write_formula_num), so
 * every money cell is computed here exactly as the spreadsheet computes it:
 * in doubles, in the same order, from the same cell values.
 *
 * Safety: every value a person typed goes through worksheet_write_string,
 * never worksheet_write(), so "=HYPERLINK(...)" stays text.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "fieldschool/agenda.h"
#include "fieldschool/mission.h"
#include "fieldschool/roster.h"
#include "finance.h"
#include "store.h"
#include "value.h"

#define EXCEL_EPOCH 25569 /* 1970-01-01 as an Excel serial day */
#define MAX_DAYS 4
#define MAX_SESSIONS 16
#define MAX_WIDTH 48.0

/* The Roster sheet's columns. */
enum {
	C_REF, C_FAMILY, C_GIVEN, C_ORG, C_POSITION, C_CATEGORY, C_COUNTRY,
	C_STATUS, C_GROUP, C_ARRIVAL, C_DEPARTURE, C_NIGHTS, C_DAYS,
	C_TRAVEL_DAYS, C_RATE, C_PER_DIEM, C_MEALS, C_NIGHTLY, C_ACCOMMODATION,
	C_TRAVEL, C_TOTAL, C_FUNDED, C__COUNT
};

static const char *const ROSTER_HEAD[C__COUNT] = {
	"Ref", "Family name", "Given name", "Organization", "Position",
	"Category", "Country", "Status", "Group", "Arrival", "Departure",
	"Nights", "Days present", "Travel days", "Per-diem rate", "Per diem",
	"Meals deducted", "Accommodation rate", "Accommodation", "Travel",
	"Total", "Funded",
};

/* The money columns summed by By category, in its column order. */
static const int SUMMED[] = { C_NIGHTS, C_DAYS, C_TRAVEL_DAYS, C_PER_DIEM,
			      C_MEALS, C_ACCOMMODATION, C_TRAVEL, C_TOTAL };
#define N_SUMMED (sizeof(SUMMED) / sizeof(SUMMED[0]))

struct sheet {
	lxw_worksheet *ws;
	char name[32];
	double widths[32];
	lxw_row_t row; /* the next row to write */
};

struct mission {
	int64_t id;
	char code[65], currency[4], stamp[24];
	char *title, *venue, *contact;
	int64_t first, last; /* days since the epoch */
	int days, share;
	int64_t rate, nightly, meals; /* cents */
	bool has_attendance;
	long n_regs;
	char suffix[24]; /* "" or " mx-2027" for several missions */
	lxw_format *money, *money_total;
	/* the By category sheet's total row, for Summary */
	char bycat[32];
	lxw_row_t bycat_total;
	double totals[N_SUMMED];
	long registrations, confirmed;
};

struct writer {
	fs_store *store;
	lxw_workbook *wb;
	lxw_error lerr; /* the first libxlsxwriter failure */
	const char *where;
	/* Never two equal formats: libxlsxwriter 1.1.4 gives the second no
	 * index of its own and hashes it again on every cell it formats. */
	lxw_format *head, *date, *datetime, *clock, *bold, *wrap;
	struct {
		char currency[4];
		lxw_format *money, *money_total;
	} money[16];
	int n_money;
	struct category {
		char code[65], name[128];
		int64_t id;
	} *categories; /* all of them, in number order */
	int n_categories;
	char buf[32768];
};

/* Records the first libxlsxwriter error. */
static void
xl(struct writer *w, lxw_error e)
{
	if (e != LXW_NO_ERROR && w->lerr == LXW_NO_ERROR)
		w->lerr = e;
}

/* Display width of UTF-8 text, in characters. */
static double
text_width(const char *s)
{
	double n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n += *p >= 0xE1 ? 2 : 1; /* CJK and emoji are wide */
	return n;
}

static void
note_width(struct sheet *s, lxw_col_t col, double width)
{
	if (col < 32 && width > s->widths[col])
		s->widths[col] = width > MAX_WIDTH ? MAX_WIDTH : width;
}

/* Valid UTF-8 of at most max bytes: invalid bytes (text stored before
 * input was checked) become U+FFFD, and the text is cut at a character
 * boundary.  Returns text itself when it needs neither, else out. */
static const char *
utf8_clean(const char *text, char *out, size_t max)
{
	size_t n = 0;
	const char *p = text;

	if (strlen(text) <= max && utf8_valid(text))
		return text;
	while (*p) {
		size_t len = utf8_sequence(p);
		const char *from = len ? p : "\xEF\xBF\xBD";
		size_t put = len ? len : 3;
		if (n + put > max)
			break;
		memcpy(out + n, from, put);
		n += put;
		p += len ? len : 1;
	}
	out[n] = '\0';
	return out;
}

/* Text as typed, always a string cell (never a formula); cut to Excel's
 * 32767 characters at a character boundary. */
static void
put_text(struct writer *w, struct sheet *s, lxw_row_t row, lxw_col_t col,
	 const char *text, lxw_format *format)
{
	if (!*text) {
		if (format)
			xl(w, worksheet_write_blank(s->ws, row, col, format));
		return;
	}
	text = utf8_clean(text, w->buf, 32767);
	xl(w, worksheet_write_string(s->ws, row, col, text, format));
	note_width(s, col, text_width(text) + 1);
}

static void
put_number(struct writer *w, struct sheet *s, lxw_row_t row, lxw_col_t col,
	   double value, lxw_format *format)
{
	xl(w, worksheet_write_number(s->ws, row, col, value, format));
}

static void
put_formula(struct writer *w, struct sheet *s, lxw_row_t row, lxw_col_t col,
	    const char *formula, double value, lxw_format *format)
{
	xl(w, worksheet_write_formula_num(s->ws, row, col, formula, format,
					  value));
}

static void
put_header(struct writer *w, struct sheet *s, lxw_row_t row,
	   const char *const *names, int n)
{
	for (int c = 0; c < n; c++) {
		xl(w, worksheet_write_string(s->ws, row, (lxw_col_t)c, names[c],
					     w->head));
		note_width(s, (lxw_col_t)c, text_width(names[c]) + 3);
	}
}

static void
set_widths(struct writer *w, struct sheet *s, int n)
{
	for (int c = 0; c < n && c < 32; c++)
		xl(w, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c,
					   s->widths[c] < 6 ? 6 : s->widths[c],
					   NULL));
}

/* "A" for 0, "V" for 21 (the sheets have fewer than 27 columns). */
static char
col_letter(int col)
{
	return (char)('A' + col);
}

static fs_err
add_sheet(struct writer *w, struct sheet *s, const char *name,
	  const char *suffix)
{
	size_t n_name = strlen(name), n_suffix = strlen(suffix);

	memset(s, 0, sizeof(*s));
	/* Sheet names hold at most 31 characters: the callers keep within
	 * it ("Sign-in day 4" and a suffix of at most 15), and a name that
	 * did not fit would be an error here, never silently cut. */
	if (n_name + n_suffix >= sizeof(s->name))
		return fs_fail(FS_EIO, "cannot add the sheet '%s%s': names "
			       "hold at most %zu characters", name, suffix,
			       sizeof(s->name) - 1);
	memcpy(s->name, name, n_name);
	memcpy(s->name + n_name, suffix, n_suffix + 1);
	if (!(s->ws = workbook_add_worksheet(w->wb, s->name)))
		return fs_fail(FS_EIO, "cannot add the sheet '%s'", s->name);
	return FS_OK;
}

/* Cuts text to at most max bytes, at a character boundary. */
static void
utf8_cut(char *text, size_t max)
{
	size_t n = strlen(text);
	if (n <= max)
		return;
	n = max;
	while (n > 0 && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	text[n] = '\0';
}

/* A header or footer text: '&' is a control character there.  Cut to
 * size (at a character boundary); invalid UTF-8 becomes U+FFFD. */
static void
hf_escape(const char *text, char *out, size_t size)
{
	size_t n = 0;
	const char *p = text;

	while (*p) {
		size_t len = utf8_sequence(p);
		const char *from = len ? p : "\xEF\xBF\xBD";
		size_t put = len ? len : 3;
		size_t need = *p == '&' ? 2 : put;
		if (n + need + 1 > size)
			break;
		if (*p == '&')
			out[n++] = '&';
		memcpy(out + n, from, put);
		n += put;
		p += len ? len : 1;
	}
	out[n] = '\0';
}

static void
long_date(int64_t day, char *out, size_t size)
{
	static const char *const WEEKDAYS[] = { "Thursday", "Friday",
		"Saturday", "Sunday", "Monday", "Tuesday", "Wednesday" };
	static const char *const MONTHS[] = { "January", "February", "March",
		"April", "May", "June", "July", "August", "September",
		"October", "November", "December" };
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, size, "%s %d %s %d", WEEKDAYS[((day % 7) + 7) % 7], d,
		 MONTHS[m - 1], y);
}

/* --- the mission --------------------------------------------------------- */

static void
mission_release(struct mission *m)
{
	free(m->title);
	free(m->venue);
	free(m->contact);
}

static fs_err
mission_load(struct writer *w, const char *code, struct mission *m)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	memset(m, 0, sizeof(*m));
	if ((err = store_stmt(w->store, Q_ROSTER_MISSION, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		if (rc != SQLITE_DONE)
			return store_fail(w->store, "reading a mission");
		return fs_fail(FS_ENOTFOUND, "no mission '%s'", code);
	}
	m->id = sqlite3_column_int64(stmt, 0);
	snprintf(m->code, sizeof(m->code), "%s", store_text(stmt, 1));
	m->title = strdup(store_text(stmt, 2));
	parse_date(store_text(stmt, 3), &m->first);
	m->days = sqlite3_column_int(stmt, 4);
	m->last = m->first + m->days - 1;
	snprintf(m->currency, sizeof(m->currency), "%s", store_text(stmt, 5));
	m->rate = sqlite3_column_int64(stmt, 6);
	m->nightly = sqlite3_column_int64(stmt, 7);
	m->share = sqlite3_column_int(stmt, 8);
	m->meals = sqlite3_column_int64(stmt, 9);
	m->venue = strdup(store_text(stmt, 10));
	m->contact = strdup(store_text(stmt, 11));
	m->has_attendance = sqlite3_column_int(stmt, 12) != 0;
	m->n_regs = sqlite3_column_int(stmt, 13);
	snprintf(m->stamp, sizeof(m->stamp), "%s", store_text(stmt, 14));
	sqlite3_reset(stmt);
	if (!m->title || !m->venue || !m->contact) {
		mission_release(m);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	if (m->days > MAX_DAYS)
		m->days = MAX_DAYS;
	return FS_OK;
}

/* Currencies without minor units show no decimals. */
static bool
has_no_decimals(const char *currency)
{
	return finance_whole_currency(currency);
}

static void
mission_formats(struct writer *w, struct mission *m)
{
	for (int i = 0; i < w->n_money; i++)
		if (!strcmp(w->money[i].currency, m->currency)) {
			m->money = w->money[i].money;
			m->money_total = w->money[i].money_total;
			return;
		}
	char fmt[64];
	const char *number = has_no_decimals(m->currency) ? "#,##0"
							  : "#,##0.00";
	if (*m->currency)
		snprintf(fmt, sizeof(fmt), "%s \"%s\"", number, m->currency);
	else
		snprintf(fmt, sizeof(fmt), "%s", number);
	m->money = workbook_add_format(w->wb);
	format_set_num_format(m->money, fmt);
	m->money_total = workbook_add_format(w->wb);
	format_set_num_format(m->money_total, fmt);
	format_set_bold(m->money_total);
	format_set_top(m->money_total, LXW_BORDER_THIN);
	if (w->n_money < 16) {
		snprintf(w->money[w->n_money].currency, 4, "%s", m->currency);
		w->money[w->n_money].money = m->money;
		w->money[w->n_money].money_total = m->money_total;
		w->n_money++;
	}
}

/* --- one registration's numbers ------------------------------------------ */

static void
compute_stay(const struct mission *m, bool confirmed, bool funded,
	     const char *arrival, const char *departure, long attended,
	     struct stay *s)
{
	const struct finance_rules rules = {
		m->first, m->last, m->rate, m->nightly, m->meals, m->share,
		m->has_attendance, has_no_decimals(m->currency),
	};
	finance_stay(&rules, confirmed, funded, arrival, departure, attended,
		     s);
}

/* --- sign-in sheets ------------------------------------------------------ */

struct signin {
	struct sheet sheet;
	int64_t day;
	int n_sessions;
	long number;
};

static const char *const SIGNIN_HEAD[] = { "No.", "Family name", "Given name",
					   "Organization", "Group" };
#define SIGNIN_FIXED 5

static fs_err
signin_begin(struct writer *w, struct mission *m, int d, struct signin *si)
{
	char name[32], text[600], title[520], date[64];
	const char *head[SIGNIN_FIXED + MAX_SESSIONS + 1];
	char sessions[MAX_SESSIONS][96];
	sqlite3_stmt *stmt;
	char day_text[11];
	fs_err err;
	int rc, n = 0;

	memset(si, 0, sizeof(*si));
	si->day = m->first + d;
	snprintf(name, sizeof(name), "Sign-in day %d", d + 1);
	if ((err = add_sheet(w, &si->sheet, name, m->suffix)))
		return err;
	lxw_worksheet *ws = si->sheet.ws;

	format_date(si->day, day_text);
	if ((err = store_stmt(w->store, Q_ROSTER_SESSIONS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	sqlite3_bind_text(stmt, 2, day_text, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW && n < MAX_SESSIONS) {
		snprintf(sessions[n], sizeof(sessions[n]), "%s %s",
			 store_text(stmt, 0), store_text(stmt, 2));
		utf8_cut(sessions[n], 72);
		char clean[96];
		if (utf8_clean(sessions[n], clean, sizeof(clean) - 1) == clean)
			memcpy(sessions[n], clean, strlen(clean) + 1);
		n++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(w->store, "reading the sessions of a day");
	si->n_sessions = n;
	for (int c = 0; c < SIGNIN_FIXED; c++)
		head[c] = SIGNIN_HEAD[c];
	for (int c = 0; c < n; c++)
		head[SIGNIN_FIXED + c] = sessions[c];
	head[SIGNIN_FIXED + n] = "Signature";

	/* Ready to print: landscape A4, one page wide, the header row on
	 * every page, the mission, day and page numbers in the margins. */
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);
	worksheet_fit_to_pages(ws, 1, 0);
	xl(w, worksheet_repeat_rows(ws, 0, 0));
	worksheet_freeze_panes(ws, 1, 0);
	hf_escape(m->title, title, 200);
	snprintf(text, sizeof(text), "&L&B%s", title);
	xl(w, worksheet_set_header(ws, text));
	long_date(si->day, date, sizeof(date));
	snprintf(text, sizeof(text), "&LSign-in day %d, %s&RPage &P of &N",
		 d + 1, date);
	xl(w, worksheet_set_footer(ws, text));
	/* Tall rows to sign in, gridlines printed: no per-cell borders or
	 * blank cells, which would triple the sheet. */
	worksheet_set_default_row(ws, 30, LXW_FALSE);
	worksheet_gridlines(ws, LXW_SHOW_ALL_GRIDLINES);
	xl(w, worksheet_set_row(ws, 0, 30, w->wrap));
	for (int c = 0; c < SIGNIN_FIXED + n + 1; c++)
		xl(w, worksheet_write_string(ws, 0, (lxw_col_t)c, head[c],
					     w->head));
	si->sheet.row = 1;
	return FS_OK;
}

static void
signin_row(struct writer *w, struct signin *si, const char *const *v)
{
	struct sheet *s = &si->sheet;
	lxw_row_t r = s->row++;

	put_number(w, s, r, 0, (double)++si->number, NULL);
	put_text(w, s, r, 1, v[C_FAMILY], NULL);
	put_text(w, s, r, 2, v[C_GIVEN], NULL);
	put_text(w, s, r, 3, v[C_ORG], NULL);
	put_text(w, s, r, 4, v[C_GROUP], NULL);
}

static void
signin_end(struct writer *w, struct signin *si)
{
	struct sheet *s = &si->sheet;
	int n = SIGNIN_FIXED + si->n_sessions;
	s->widths[0] = 5;
	for (int c = 1; c < SIGNIN_FIXED; c++)
		note_width(s, (lxw_col_t)c, text_width(SIGNIN_HEAD[c]) + 3);
	if (s->widths[3] > 36)
		s->widths[3] = 36;
	for (int c = SIGNIN_FIXED; c < n; c++)
		s->widths[c] = 14;
	s->widths[n] = 24;
	set_widths(w, s, n + 1);
}

/* --- Roster and By category ---------------------------------------------- */

struct category_sums {
	long registrations, confirmed;
	double sums[N_SUMMED];
};

static int
category_by_id(struct writer *w, int64_t id)
{
	for (int i = 0; i < w->n_categories; i++)
		if (w->categories[i].id == id)
			return i;
	return -1;
}

static fs_err
load_categories(struct writer *w)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(w->store, Q_ROSTER_CATEGORIES, &stmt)))
		return err;
	w->n_categories = 0;
	int cap = 0;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (w->n_categories == cap) {
			int c = cap ? cap * 2 : 32;
			struct category *nc =
				realloc(w->categories, (size_t)c * sizeof(*nc));
			if (!nc) {
				sqlite3_reset(stmt);
				return fs_fail(FS_ENOMEM, "out of memory");
			}
			w->categories = nc;
			cap = c;
		}
		snprintf(w->categories[w->n_categories].code, 65, "%s",
			 store_text(stmt, 0));
		snprintf(w->categories[w->n_categories].name, 128, "%s",
			 store_text(stmt, 1));
		w->categories[w->n_categories].id = sqlite3_column_int64(stmt, 2);
		w->n_categories++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(w->store, "reading categories");
	return FS_OK;
}

static void
roster_begin(struct writer *w, struct mission *m, struct sheet *s)
{
	lxw_row_t last = (lxw_row_t)(m->n_regs > 0 ? m->n_regs : 1);

	put_header(w, s, 0, ROSTER_HEAD, C__COUNT);
	worksheet_freeze_panes(s->ws, 1, 2);
	/* before the rows: constant-memory mode drops it otherwise */
	xl(w, worksheet_autofilter(s->ws, 0, 0, last, C__COUNT - 1));
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9);
	worksheet_fit_to_pages(s->ws, 1, 0);
	xl(w, worksheet_repeat_rows(s->ws, 0, 0));
	s->row = 1;
}

static void
roster_row(struct writer *w, struct mission *m, struct sheet *s,
	   const char *const *v, const struct stay *st)
{
	lxw_row_t r = s->row++;
	unsigned R = (unsigned)r + 1; /* the row's number in formulas */
	char f[160], meals[32];
	double rate = (double)m->rate / 100.0;
	double nightly = (double)m->nightly / 100.0;

	for (int c = C_REF; c <= C_GROUP; c++)
		put_text(w, s, r, (lxw_col_t)c, v[c], NULL);
	for (int c = C_ARRIVAL; c <= C_DEPARTURE; c++) {
		int64_t days;
		int minutes;
		if (!*v[c] || parse_date_time(v[c], &days, &minutes))
			continue;
		if (minutes < 0)
			put_number(w, s, r, (lxw_col_t)c,
				   (double)(days + EXCEL_EPOCH), w->date);
		else
			put_number(w, s, r, (lxw_col_t)c,
				   (double)(days + EXCEL_EPOCH) +
					   minutes / 1440.0,
				   w->datetime);
	}
	put_number(w, s, r, C_NIGHTS, (double)st->nights, NULL);
	put_number(w, s, r, C_DAYS, (double)st->days, NULL);
	put_number(w, s, r, C_TRAVEL_DAYS, (double)st->travel_days, NULL);
	put_number(w, s, r, C_RATE, rate, m->money);
	snprintf(f, sizeof(f), "=IF(V%u=\"yes\",M%u*O%u,0)", R, R, R);
	put_formula(w, s, r, C_PER_DIEM, f, st->v_per_diem, m->money);
	format_money(m->meals, meals);
	snprintf(f, sizeof(f), "=IF(V%u=\"yes\",M%u*%s,0)", R, R, meals);
	put_formula(w, s, r, C_MEALS, f, st->v_meals, m->money);
	put_number(w, s, r, C_NIGHTLY, nightly, m->money);
	snprintf(f, sizeof(f), "=L%u*R%u", R, R);
	put_formula(w, s, r, C_ACCOMMODATION, f, st->v_accommodation,
		    m->money);
	snprintf(f, sizeof(f), "=IF(V%u=\"yes\",ROUND(N%u*O%u*%d/100,%d),0)",
		 R, R, R, m->share, has_no_decimals(m->currency) ? 0 : 2);
	put_formula(w, s, r, C_TRAVEL, f, st->v_travel, m->money);
	snprintf(f, sizeof(f), "=P%u-Q%u+S%u+T%u", R, R, R, R);
	put_formula(w, s, r, C_TOTAL, f, st->v_total, m->money);
	xl(w, worksheet_write_string(s->ws, r, C_FUNDED,
				     st->funded ? "yes" : "no", NULL));
}

/* The totals under the roster: SUBTOTAL(109) sums the rows a filter
 * shows, so the totals follow the filter; the stored results are those of
 * the whole roster (what a viewer that does not recalculate shows). */
static void
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
		snprintf(f, sizeof(f), "=SUBTOTAL(109,%c2:%c%u)", col_letter(c),
			 col_letter(c), (unsigned)last + 1);
		put_formula(w, s, r, (lxw_col_t)c, f, sums[i],
			    money ? m->money_total : w->bold);
	}
	for (int c = C_ARRIVAL; c <= C_DEPARTURE; c++)
		note_width(s, (lxw_col_t)c, 17);
	for (int c = C_NIGHTS; c < C__COUNT; c++)
		note_width(s, (lxw_col_t)c, 15);
	set_widths(w, s, C__COUNT);
}

static void
bycat_write(struct writer *w, struct mission *m, struct sheet *s,
	    const char *roster, const struct category_sums *cats)
{
	static const char *const HEAD[] = { "Category", "Name", "Registrations",
		"Confirmed", "Nights", "Days present", "Travel days",
		"Per diem", "Meals deducted", "Accommodation", "Travel",
		"Total" };
	unsigned last = (unsigned)(m->n_regs > 0 ? m->n_regs : 1) + 1;
	char f[320], range[80];
	double totals[N_SUMMED + 2] = { 0 };
	lxw_row_t r = 1;

	put_header(w, s, 0, HEAD, 12);
	worksheet_freeze_panes(s->ws, 1, 0);
	snprintf(range, sizeof(range), "'%s'!$F$2:$F$%u", roster, last);
	for (int i = 0; i < w->n_categories; i++, r++) {
		const struct category_sums *c = &cats[i];
		unsigned R = (unsigned)r + 1;
		put_text(w, s, r, 0, w->categories[i].code, NULL);
		put_text(w, s, r, 1, w->categories[i].name, NULL);
		/* EXACT, not COUNTIFS or SUMIFS, which ignore case: codes
		 * that differ only by case are different categories */
		snprintf(f, sizeof(f), "=SUMPRODUCT(--EXACT(%s,A%u))", range,
			 R);
		put_formula(w, s, r, 2, f, (double)c->registrations, NULL);
		snprintf(f, sizeof(f), "=SUMPRODUCT(EXACT(%s,A%u)*('%s'!$H$2:"
			 "$H$%u=\"confirmed\"))", range, R, roster, last);
		put_formula(w, s, r, 3, f, (double)c->confirmed, NULL);
		totals[0] += (double)c->registrations;
		totals[1] += (double)c->confirmed;
		for (size_t k = 0; k < N_SUMMED; k++) {
			char col = col_letter(SUMMED[k]);
			snprintf(f, sizeof(f), "=SUMPRODUCT(EXACT(%s,A%u)*"
				 "'%s'!$%c$2:$%c$%u)", range, R, roster, col,
				 col, last);
			put_formula(w, s, r, (lxw_col_t)(4 + k), f, c->sums[k],
				    SUMMED[k] >= C_RATE ? m->money : NULL);
			totals[2 + k] += c->sums[k];
		}
	}
	/* the total row: sums of the rows above */
	unsigned first_row = 2, last_row = (unsigned)r;
	xl(w, worksheet_write_string(s->ws, r, 0, "Total", w->bold));
	for (int k = 0; k < (int)N_SUMMED + 2; k++) {
		char col = col_letter(2 + k);
		bool money = k >= 2 && SUMMED[k - 2] >= C_RATE;
		snprintf(f, sizeof(f), "=SUM(%c%u:%c%u)", col, first_row, col,
			 last_row);
		put_formula(w, s, r, (lxw_col_t)(2 + k), f, totals[k],
			    money ? m->money_total : w->bold);
	}
	snprintf(m->bycat, sizeof(m->bycat), "%s", s->name);
	m->bycat_total = r;
	m->registrations = (long)totals[0];
	m->confirmed = (long)totals[1];
	for (size_t k = 0; k < N_SUMMED; k++)
		m->totals[k] = totals[2 + k];

	/* The rules the numbers follow, for the auditor. */
	char rate[32], nightly[32], meals[32];
	format_money(m->rate, rate);
	format_money(m->nightly, nightly);
	format_money(m->meals, meals);
	const char *cur = m->currency;
	char line[512];
	r += 2;
	xl(w, worksheet_write_string(s->ws, r++, 0, "Finance rules", w->bold));
	snprintf(line, sizeof(line), "Per diem: %s %s per day present, "
		 "for confirmed and funded participants.", rate, cur);
	xl(w, worksheet_write_string(s->ws, r++, 0, line, NULL));
	snprintf(line, sizeof(line), "Meals provided: %s %s deducted per day "
		 "present.", meals, cur);
	xl(w, worksheet_write_string(s->ws, r++, 0, line, NULL));
	snprintf(line, sizeof(line), "Accommodation: %s %s per night, nights "
		 "counted from the day before the first day to the day after "
		 "the last at most.", nightly, cur);
	xl(w, worksheet_write_string(s->ws, r++, 0, line, NULL));
	snprintf(line, sizeof(line), "Travel: %d%% of the per-diem rate for "
		 "the arrival day before the first day and the departure day "
		 "after the last (funded participants).", m->share);
	xl(w, worksheet_write_string(s->ws, r++, 0, line, NULL));
	snprintf(line, sizeof(line), "Days present: %s.",
		 m->has_attendance
			 ? "from the attendance recorded (sign-in sheets)"
			 : "from arrival and departure (no attendance "
			   "recorded yet)");
	xl(w, worksheet_write_string(s->ws, r++, 0, line, NULL));
	xl(w, worksheet_write_string(s->ws, r++, 0,
				     "Applied, waitlisted and cancelled "
				     "registrations are listed with zeros.",
				     NULL));
	s->widths[0] = 24;
	note_width(s, 1, 20);
	if (s->widths[1] > 40)
		s->widths[1] = 40;
	for (int c = 2; c < 12; c++)
		note_width(s, (lxw_col_t)c, 16);
	set_widths(w, s, 12);
}

/* --- Site visits ---------------------------------------------------------- */

/* Bus manifests.  A group rides together to each of its visits, so per
 * group: a heading row per visit (what, where, when the bus leaves and from
 * where, with the date and time as real cells in E and F), then who rides,
 * once: name and phone.  Visits for everyone or for a category follow, each
 * with its own list.  Listing every rider under every visit would make this
 * the largest sheet of the workbook. */
static const char *const VISIT_HEAD[] = { "No.", "Family name", "Given name",
	"Phone", "Date", "Departs" };
#define VISIT_COLS 6

struct visit {
	char date[11], start[6], departs[6];
	char *title, *site, *address, *host, *from;
};

/* The heading row of a visit for a group (or a category, or everyone). */
static fs_err
visit_heading(struct writer *w, struct sheet *s, const struct visit *v,
	      const char *who)
{
	lxw_row_t r = s->row++;
	char *heading = NULL;
	int64_t day = 0;
	int clock_h = 0, clock_m = 0;

	parse_date(v->date, &day);
	sscanf(v->departs, "%d:%d", &clock_h, &clock_m);
	/* a cell holds 32767 characters: a very long title is cut so that
	 * the site, the bus and who rides still show */
	int title_len = (int)strlen(v->title);
	if (title_len > 16000) {
		title_len = 16000;
		while (title_len > 0 &&
		       ((unsigned char)v->title[title_len] & 0xC0) == 0x80)
			title_len--;
	}
	if (asprintf(&heading, "%.*s, %s%s%s%s%s; bus from %s; %s", title_len,
		     v->title, v->site, *v->address ? ", " : "", v->address,
		     *v->host ? "; host: " : "", v->host, v->from, who) < 0)
		return fs_fail(FS_ENOMEM, "out of memory");
	put_text(w, s, r, 0, heading, w->bold); /* cut to 32767 */
	free(heading);
	put_number(w, s, r, 4, (double)(day + EXCEL_EPOCH), w->date);
	put_number(w, s, r, 5, (clock_h * 60 + clock_m) / 1440.0, w->clock);
	return FS_OK;
}

/* Who rides: the confirmed members of a group, of a category, or (both
 * NULL) everyone, numbered, with their phone numbers. */
static fs_err
riders(struct writer *w, struct mission *m, struct sheet *s,
       const char *group, const char *category)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;
	long n = 0;

	if ((err = store_stmt(w->store, group ? Q_ROSTER_RIDERS_GROUP
					      : Q_ROSTER_RIDERS,
			      &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	if (group)
		store_bind_text(stmt, 2, group);
	else
		store_bind_text(stmt, 3, category);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		lxw_row_t r = s->row++;
		put_number(w, s, r, 0, (double)++n, NULL);
		put_text(w, s, r, 1, store_text(stmt, 0), NULL);
		put_text(w, s, r, 2, store_text(stmt, 1), NULL);
		put_text(w, s, r, 3, store_text(stmt, 2), NULL);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(w->store, "reading a visit's riders");
	return FS_OK;
}

/* Does an audience ("group:A;group:B", "all", "category:X") name prefix
 * + value? */
static bool
audience_has(const char *audience, const char *prefix, const char *value)
{
	size_t np = strlen(prefix), nv = strlen(value);
	for (const char *p = audience; *p;) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		while (len && *p == ' ')
			p++, len--;
		while (len && p[len - 1] == ' ')
			len--;
		if (len == np + nv && !strncmp(p, prefix, np) &&
		    !strncmp(p + np, value, nv))
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* When and where the bus of a group leaves for a visit. */
static fs_err
visit_departure(struct writer *w, struct mission *m, struct visit *v,
		const char *group)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	free(v->from);
	v->from = NULL;
	snprintf(v->departs, sizeof(v->departs), "%s", v->start);
	if ((err = store_stmt(w->store, Q_ROSTER_DEPARTURE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	sqlite3_bind_text(stmt, 2, v->date, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 3, v->start, -1, SQLITE_STATIC);
	store_bind_text(stmt, 4, group);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		snprintf(v->departs, sizeof(v->departs), "%s",
			 store_text(stmt, 0));
		if (*store_text(stmt, 1))
			v->from = strdup(store_text(stmt, 1));
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(w->store, "finding a visit's bus");
	if (!v->from && !(v->from = strdup(m->venue)))
		return fs_fail(FS_ENOMEM, "out of memory");
	return FS_OK;
}

static void
visit_release(struct visit *v)
{
	free(v->title);
	free(v->site);
	free(v->address);
	free(v->host);
	free(v->from);
}

static fs_err
visits_write(struct writer *w, struct mission *m, struct sheet *s)
{
	struct visit *visits = NULL;
	char **audiences = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *stmt;
	fs_err err = FS_OK;
	int rc;

	put_header(w, s, 0, VISIT_HEAD, VISIT_COLS);
	worksheet_freeze_panes(s->ws, 1, 0);
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9);
	worksheet_fit_to_pages(s->ws, 1, 0);
	xl(w, worksheet_repeat_rows(s->ws, 0, 0));
	s->row = 1;

	/* The visits first (a few dozen at most), copied, then their riders
	 * and buses: one statement open at a time. */
	if ((err = store_stmt(w->store, Q_ROSTER_VISITS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			size_t c = cap ? cap * 2 : 16;
			struct visit *nv = realloc(visits, c * sizeof(*nv));
			char **na = nv ? realloc(audiences, c * sizeof(*na))
				       : NULL;
			if (nv)
				visits = nv;
			if (na)
				audiences = na;
			if (!nv || !na) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			cap = c;
		}
		struct visit *v = &visits[n];
		memset(v, 0, sizeof(*v));
		snprintf(v->date, sizeof(v->date), "%s", store_text(stmt, 0));
		snprintf(v->start, sizeof(v->start), "%s", store_text(stmt, 1));
		bool cancelled = !strcmp(store_text(stmt, 8), "cancelled");
		if (cancelled) {
			char *t = NULL;
			if (asprintf(&t, "%s (cancelled)", store_text(stmt, 3)) < 0)
				t = NULL;
			v->title = t;
		} else {
			v->title = strdup(store_text(stmt, 3));
		}
		v->site = strdup(store_text(stmt, 4));
		v->address = strdup(store_text(stmt, 5));
		v->host = strdup(store_text(stmt, 6));
		audiences[n] = strdup(store_text(stmt, 7));
		n++;
		if (!v->title || !v->site || !v->address || !v->host ||
		    !audiences[n - 1]) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(w->store, "reading visits");

	/* The groups named by the visits, in order. */
	char **groups = NULL;
	size_t n_groups = 0, cap_groups = 0;
	for (size_t i = 0; i < n && !err; i++) {
		char *copy = strdup(audiences[i]), *save = NULL, *part;
		if (!copy) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		for (part = strtok_r(copy, ";", &save); part && !err;
		     part = strtok_r(NULL, ";", &save)) {
			part = trim(part);
			if (strncmp(part, "group:", 6) || !part[6])
				continue;
			bool seen = false;
			for (size_t g = 0; g < n_groups && !seen; g++)
				seen = !strcmp(groups[g], part + 6);
			if (seen)
				continue;
			if (n_groups == cap_groups) {
				size_t c = cap_groups ? cap_groups * 2 : 16;
				char **ng = realloc(groups, c * sizeof(*ng));
				if (!ng) {
					err = fs_fail(FS_ENOMEM, "out of memory");
					break;
				}
				groups = ng;
				cap_groups = c;
			}
			if (!(groups[n_groups] = strdup(part + 6)))
				err = fs_fail(FS_ENOMEM, "out of memory");
			else
				n_groups++;
		}
		free(copy);
	}
	if (n_groups > 1)
		qsort(groups, n_groups, sizeof(*groups), compare_strings);

	/* A group rides together to each of its visits: its visits, then
	 * its members once. */
	for (size_t g = 0; g < n_groups && !err; g++) {
		char who[40];
		snprintf(who, sizeof(who), "group %s", groups[g]);
		for (size_t i = 0; i < n && !err; i++) {
			if (!audience_has(audiences[i], "group:", groups[g]))
				continue;
			if (!(err = visit_departure(w, m, &visits[i],
						    groups[g])))
				err = visit_heading(w, s, &visits[i], who);
		}
		if (!err)
			err = riders(w, m, s, groups[g], NULL);
	}
	/* Visits for everyone or for a category: their own lists. */
	for (size_t i = 0; i < n && !err; i++) {
		struct visit *v = &visits[i];
		const char *aud = audiences[i];
		if (!*aud || !strcmp(aud, "all")) {
			if (!(err = visit_departure(w, m, v, NULL)) &&
			    !(err = visit_heading(w, s, v, "everyone")))
				err = riders(w, m, s, NULL, NULL);
			continue;
		}
		for (int c = 0; c < w->n_categories && !err; c++) {
			char who[80];
			if (!audience_has(aud, "category:", w->categories[c].code))
				continue;
			snprintf(who, sizeof(who), "category %s",
				 w->categories[c].code);
			if (!(err = visit_departure(w, m, v, NULL)) &&
			    !(err = visit_heading(w, s, v, who)))
				err = riders(w, m, s, NULL,
					     w->categories[c].code);
		}
	}
	for (size_t g = 0; g < n_groups; g++)
		free(groups[g]);
	free(groups);
	for (size_t i = 0; i < n; i++) {
		visit_release(&visits[i]);
		free(audiences[i]);
	}
	free(visits);
	free(audiences);
	s->widths[0] = 6;
	s->widths[4] = 12;
	s->widths[5] = 9;
	set_widths(w, s, VISIT_COLS);
	return err;
}

/* --- Agenda --------------------------------------------------------------- */

static const char *const AGENDA_HEAD[] = { "Day", "Date", "Start", "End",
	"Kind", "Title", "Module", "Place", "Address", "Host", "Capacity",
	"Audience", "Facilitators", "Status", "Ref" };
#define AGENDA_COLS 15

struct agenda_ctx {
	struct writer *w;
	struct sheet *s;
};

static double
clock_value(const char *text)
{
	int minutes = 0;
	if (parse_clock(text, &minutes))
		return 0;
	return minutes / 1440.0;
}

static fs_err
agenda_row(void *ctx, const char *const *v)
{
	struct agenda_ctx *a = ctx;
	struct writer *w = a->w;
	struct sheet *s = a->s;
	lxw_row_t r = s->row++;
	int64_t day = 0;
	long capacity = 0;

	put_number(w, s, r, 0, atof(v[FS_ITEM_DAY]), NULL);
	if (!parse_date(v[FS_ITEM_DATE], &day))
		put_number(w, s, r, 1, (double)(day + EXCEL_EPOCH), w->date);
	put_number(w, s, r, 2, clock_value(v[FS_ITEM_START]), w->clock);
	put_number(w, s, r, 3, clock_value(v[FS_ITEM_END]), w->clock);
	put_text(w, s, r, 4, v[FS_ITEM_KIND], NULL);
	put_text(w, s, r, 5, v[FS_ITEM_TITLE], NULL);
	put_text(w, s, r, 6, v[FS_ITEM_MODULE], NULL);
	put_text(w, s, r, 7, v[FS_ITEM_PLACE], NULL);
	put_text(w, s, r, 8, v[FS_ITEM_ADDRESS], NULL);
	put_text(w, s, r, 9, v[FS_ITEM_HOST], NULL);
	if (*v[FS_ITEM_CAPACITY] &&
	    !parse_int(v[FS_ITEM_CAPACITY], 0, 1000000, &capacity))
		put_number(w, s, r, 10, (double)capacity, NULL);
	put_text(w, s, r, 11, v[FS_ITEM_AUDIENCE], NULL);
	put_text(w, s, r, 12, v[FS_ITEM_FACILITATORS], NULL);
	put_text(w, s, r, 13, v[FS_ITEM_STATUS], NULL);
	put_text(w, s, r, 14, v[FS_ITEM_REF], NULL);
	return FS_OK;
}

static fs_err
agenda_write(struct writer *w, struct mission *m, struct sheet *s)
{
	struct agenda_ctx ctx = { w, s };
	fs_err err;

	put_header(w, s, 0, AGENDA_HEAD, AGENDA_COLS);
	worksheet_freeze_panes(s->ws, 1, 0);
	worksheet_set_landscape(s->ws);
	worksheet_set_paper(s->ws, 9);
	worksheet_fit_to_pages(s->ws, 1, 0);
	xl(w, worksheet_repeat_rows(s->ws, 0, 0));
	s->row = 1;
	err = fs_agenda_format.each(w->store, m->code, NULL, agenda_row, &ctx);
	s->widths[0] = 5;
	s->widths[1] = 12;
	s->widths[2] = s->widths[3] = 7;
	set_widths(w, s, AGENDA_COLS);
	return err;
}

/* --- one mission ---------------------------------------------------------- */

static fs_err
mission_write(struct writer *w, struct mission *m)
{
	struct sheet roster, bycat, visits, agenda;
	struct signin signin[MAX_DAYS];
	struct category_sums *cats = NULL;
	double sums[N_SUMMED] = { 0 };
	char first[11], last[11];
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	mission_formats(w, m);
	if ((err = add_sheet(w, &roster, "Roster", m->suffix)) ||
	    (err = add_sheet(w, &bycat, "By category", m->suffix)))
		return err;
	for (int d = 0; d < m->days; d++)
		if ((err = signin_begin(w, m, d, &signin[d])))
			return err;
	if ((err = add_sheet(w, &visits, "Site visits", m->suffix)) ||
	    (err = add_sheet(w, &agenda, "Agenda", m->suffix)))
		return err;
	if (!(cats = calloc((size_t)w->n_categories + 1, sizeof(*cats))))
		return fs_fail(FS_ENOMEM, "out of memory");

	roster_begin(w, m, &roster);
	format_date(m->first, first);
	format_date(m->last, last);
	if ((err = store_stmt(w->store, Q_ROSTER_ROWS, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, m->id);
	sqlite3_bind_text(stmt, 2, first, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, last, -1, SQLITE_TRANSIENT);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *v[C__COUNT] = { 0 };
		struct stay st;
		for (int c = C_REF; c <= C_DEPARTURE; c++)
			v[c] = c == C_CATEGORY ? "" : store_text(stmt, c);
		/* the category by id, from the categories loaded once */
		int ci = category_by_id(w, sqlite3_column_int64(stmt, C_CATEGORY));
		if (ci >= 0)
			v[C_CATEGORY] = w->categories[ci].code;
		bool confirmed = !strcmp(v[C_STATUS], "confirmed");
		bool funded = sqlite3_column_int(stmt, 11) != 0;
		compute_stay(m, confirmed, funded, v[C_ARRIVAL],
			     v[C_DEPARTURE], sqlite3_column_int(stmt, 12), &st);
		if ((long)roster.row > m->n_regs) {
			/* a registration added since the count: the autofilter
			 * and formulas were sized for n_regs rows */
			err = fs_fail(FS_EDB, "the registrations changed while "
				      "the roster was written");
			break;
		}
		roster_row(w, m, &roster, v, &st);

		const double row_values[N_SUMMED] = {
			(double)st.nights, (double)st.days,
			(double)st.travel_days, st.v_per_diem, st.v_meals,
			st.v_accommodation, st.v_travel, st.v_total,
		};
		for (size_t k = 0; k < N_SUMMED; k++) {
			sums[k] += row_values[k];
			if (ci >= 0)
				cats[ci].sums[k] += row_values[k];
		}
		if (ci >= 0) {
			cats[ci].registrations++;
			cats[ci].confirmed += confirmed;
		}

		/* the sign-in sheets of the days the person is expected */
		if (confirmed) {
			int64_t arr = finance_day_of(v[C_ARRIVAL], m->first);
			int64_t dep = finance_day_of(v[C_DEPARTURE], m->last);
			for (int d = 0; d < m->days; d++)
				if (arr <= signin[d].day && signin[d].day <= dep)
					signin_row(w, &signin[d], v);
		}
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(w->store, "reading the registrations");
	if (err)
		goto done;
	roster_end(w, m, &roster, sums);
	bycat_write(w, m, &bycat, roster.name, cats);
	for (int d = 0; d < m->days; d++)
		signin_end(w, &signin[d]);
	if ((err = visits_write(w, m, &visits)))
		goto done;
	err = agenda_write(w, m, &agenda);
done:
	free(cats);
	return err;
}

/* --- Summary of several missions ------------------------------------------ */

static void
summary_write(struct writer *w, struct sheet *s, struct mission *ms, size_t n)
{
	static const char *const HEAD[] = { "Mission", "Title", "Currency",
		"Registrations", "Confirmed", "Nights", "Days present",
		"Travel days", "Per diem", "Meals deducted", "Accommodation",
		"Travel", "Total" };
	char f[128];

	put_header(w, s, 0, HEAD, 13);
	worksheet_freeze_panes(s->ws, 1, 0);
	for (size_t i = 0; i < n; i++) {
		struct mission *m = &ms[i];
		lxw_row_t r = (lxw_row_t)i + 1;
		unsigned T = (unsigned)m->bycat_total + 1;
		put_text(w, s, r, 0, m->code, NULL);
		put_text(w, s, r, 1, m->title, NULL);
		put_text(w, s, r, 2, m->currency, NULL);
		snprintf(f, sizeof(f), "='%s'!C%u", m->bycat, T);
		put_formula(w, s, r, 3, f, (double)m->registrations, NULL);
		snprintf(f, sizeof(f), "='%s'!D%u", m->bycat, T);
		put_formula(w, s, r, 4, f, (double)m->confirmed, NULL);
		for (size_t k = 0; k < N_SUMMED; k++) {
			snprintf(f, sizeof(f), "='%s'!%c%u", m->bycat,
				 col_letter(4 + (int)k), T);
			put_formula(w, s, r, (lxw_col_t)(5 + k), f,
				    m->totals[k],
				    SUMMED[k] >= C_RATE ? m->money : NULL);
		}
	}
	xl(w, worksheet_write_string(s->ws, (lxw_row_t)n + 2, 0,
				     "Each mission in its own currency: "
				     "totals are not added across missions.",
				     NULL));
	if (s->widths[1] > 60)
		s->widths[1] = 60;
	for (int c = 3; c < 13; c++)
		note_width(s, (lxw_col_t)c, 16);
	set_widths(w, s, 13);
}

/* --- the workbook ---------------------------------------------------------- */

struct code_list {
	char **codes;
	size_t n, cap;
};

static fs_err
code_list_add(struct code_list *list, const char *code)
{
	if (list->n == list->cap) {
		size_t cap = list->cap ? list->cap * 2 : 8;
		char **codes = realloc(list->codes, cap * sizeof(*codes));
		if (!codes)
			return fs_fail(FS_ENOMEM, "out of memory");
		list->codes = codes;
		list->cap = cap;
	}
	if (!(list->codes[list->n] = strdup(code)))
		return fs_fail(FS_ENOMEM, "out of memory");
	list->n++;
	return FS_OK;
}

static fs_err
collect_code(void *ctx, const char *const *v)
{
	return code_list_add(ctx, v[FS_MISSION_CODE]);
}

/* The workbook's creation time: the latest change in the data it shows
 * (agenda edits, attendance), else the first mission's first day, so that
 * the same data gives the same document properties. */
static time_t
data_time(const struct mission *ms, size_t n)
{
	const char *latest = "";
	struct tm tm = { 0 };
	for (size_t i = 0; i < n; i++)
		if (strcmp(ms[i].stamp, latest) > 0)
			latest = ms[i].stamp;
	if (*latest && sscanf(latest, "%d-%d-%dT%d:%d:%d", &tm.tm_year,
			      &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
			      &tm.tm_sec) == 6) {
		tm.tm_year -= 1900;
		tm.tm_mon -= 1;
		return timegm(&tm);
	}
	return n ? (time_t)(ms[0].first * 86400) : 0;
}

static fs_err
build(struct writer *w, const char *tmp, char **codes, size_t n,
      fs_roster_stats *stats)
{
	lxw_workbook_options options = { .constant_memory = LXW_TRUE,
					 .tmpdir = NULL,
					 .use_zip64 = LXW_FALSE };
	struct mission *ms = calloc(n, sizeof(*ms));
	struct sheet summary;
	char title[400], subject[400];
	lxw_doc_properties props = { 0 };
	fs_err err = FS_OK;
	size_t loaded = 0;

	if (!ms)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (; loaded < n; loaded++)
		if ((err = mission_load(w, codes[loaded], &ms[loaded])))
			goto done;
	if ((err = load_categories(w)))
		goto done;

	if (!(w->wb = workbook_new_opt(tmp, &options))) {
		err = fs_fail(FS_EIO, "%s: cannot create the workbook", w->where);
		goto done;
	}
	w->head = workbook_add_format(w->wb);
	format_set_bold(w->head);
	format_set_bg_color(w->head, 0xDDEBF7);
	format_set_bottom(w->head, LXW_BORDER_THIN);
	format_set_text_wrap(w->head);
	format_set_align(w->head, LXW_ALIGN_VERTICAL_TOP);
	w->bold = workbook_add_format(w->wb);
	format_set_bold(w->bold);
	w->date = workbook_add_format(w->wb);
	format_set_num_format(w->date, "yyyy-mm-dd");
	w->datetime = workbook_add_format(w->wb);
	format_set_num_format(w->datetime, "yyyy-mm-dd hh:mm");
	w->clock = workbook_add_format(w->wb);
	format_set_num_format(w->clock, "hh:mm");
	w->wrap = workbook_add_format(w->wb);
	format_set_text_wrap(w->wrap);

	if (n > 1 && (err = add_sheet(w, &summary, "Summary", "")))
		goto close;
	for (size_t i = 0; i < n && !err; i++) {
		struct mission *m = &ms[i];
		if (n > 1) {
			/* sheet names hold at most 31 characters and must be
			 * unique ignoring case (t1 and T1): a long or
			 * clashing code gives " mN", N numbered on until
			 * unique */
			size_t k = i + 1;
			if (strlen(m->code) <= 14)
				snprintf(m->suffix, sizeof(m->suffix), " %s",
					 m->code);
			else
				snprintf(m->suffix, sizeof(m->suffix), " m%zu",
					 k++);
			for (size_t j = 0; j < i; j++)
				if (!strcasecmp(ms[j].suffix, m->suffix)) {
					snprintf(m->suffix, sizeof(m->suffix),
						 " m%zu", k++);
					j = (size_t)-1; /* again from the first */
				}
		}
		err = mission_write(w, m);
		stats->registrations += m->n_regs;
		stats->missions++;
		stats->sheets += 4 + m->days;
	}
	if (!err && n > 1) {
		summary_write(w, &summary, ms, n);
		stats->sheets++;
	}

	if (n == 1) {
		snprintf(title, sizeof(title), "Roster: %s", ms[0].title);
		snprintf(subject, sizeof(subject), "Field school %s: "
			 "registrations, attendance, per diem and "
			 "accommodation", ms[0].code);
	} else {
		snprintf(title, sizeof(title), "Rosters of %zu field schools",
			 n);
		snprintf(subject, sizeof(subject), "Field schools: "
			 "registrations, attendance, per diem and "
			 "accommodation");
	}
	char author[400];
	props.title = (char *)utf8_clean(title, w->buf, 399);
	props.subject = subject;
	props.author = n >= 1 && *ms[0].contact
			       ? (char *)utf8_clean(ms[0].contact, author,
					    sizeof(author) - 1)
			       : "fieldschool";
	props.company = "fieldschool";
	props.comments = "Written by fieldschool roster. Money cells are "
			 "formulas; their results are stored too.";
	props.created = data_time(ms, n);
	xl(w, workbook_set_properties(w->wb, &props));
close:
	/* workbook_close() writes the file and frees the workbook */
	{
		lxw_error e = workbook_close(w->wb);
		w->wb = NULL;
		if (!err && (e || w->lerr))
			err = fs_fail(FS_EIO, "%s: %s", w->where,
				      lxw_strerror(e ? e : w->lerr));
	}
done:
	for (size_t i = 0; i < loaded; i++)
		mission_release(&ms[i]);
	free(ms);
	return err;
}

fs_err
fs_roster_write(fs_store *store, const char *path, const char *const *codes,
		size_t n_codes, fs_roster_stats *stats)
{
	struct code_list list = { NULL, 0, 0 };
	struct writer *w = NULL;
	char *tmp = NULL;
	bool began = false;
	fs_err err;
	int fd;

	*stats = (fs_roster_stats){ 0 };
	/* A small page cache, and sorts that spill to disk: the roster reads
	 * each page about once, and memory must not grow with the number of
	 * participants (restored below). */
	sqlite3_exec(store->db, "PRAGMA cache_size=-2048; PRAGMA temp_store=FILE",
		     NULL, NULL, NULL);
	/* One read transaction: every sheet sees the same data. */
	if (store->depth == 0) {
		if (sqlite3_exec(store->db, "BEGIN", NULL, NULL, NULL) !=
		    SQLITE_OK)
			return store_fail(store, "starting to read");
		began = true;
	}
	if (n_codes == 0) {
		if ((err = fs_missions_format.each(store, NULL, NULL,
						   collect_code, &list)))
			goto done;
		if (list.n == 0) {
			err = fs_fail(FS_ENOTFOUND, "no missions to write a "
				      "roster of (see 'fieldschool mission "
				      "add')");
			goto done;
		}
	} else {
		for (size_t i = 0; i < n_codes; i++) {
			struct mission_info info;
			if ((err = mission_lookup(store, codes[i], &info)))
				goto done;
			for (size_t j = 0; j < i; j++)
				if (!strcmp(codes[j], codes[i])) {
					err = fs_fail(FS_EINPUT, "mission '%s' "
						      "given twice", codes[i]);
					goto done;
				}
			if ((err = code_list_add(&list, codes[i])))
				goto done;
		}
	}
	if (!(w = calloc(1, sizeof(*w)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	w->store = store;
	w->where = path;

	/* Built under a temporary name beside path, then renamed. */
	if (asprintf(&tmp, "%s.tmp.XXXXXX", path) < 0) {
		tmp = NULL;
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if ((fd = mkstemp(tmp)) < 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		free(tmp);
		tmp = NULL;
		goto done;
	}
	fchmod(fd, 0644 & ~umask(umask(0)));
	close(fd);
	if ((err = build(w, tmp, list.codes, list.n, stats)))
		goto done;
	if ((fd = open(tmp, O_RDONLY)) < 0 || fsync(fd) != 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto done;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		err = fs_fail(FS_EIO, "%s: %s", path, strerror(errno));
		goto done;
	}
	free(tmp);
	tmp = NULL;
done:
	if (tmp) {
		unlink(tmp);
		free(tmp);
	}
	if (began)
		sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_exec(store->db, "PRAGMA cache_size=-32768; "
		     "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
	for (size_t i = 0; i < list.n; i++)
		free(list.codes[i]);
	free(list.codes);
	if (w)
		free(w->categories);
	free(w);
	return err;
}
