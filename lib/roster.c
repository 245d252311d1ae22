/*
 * roster.c - Excel rosters: the pass over the registrations and the
 * workbook (the sheets are written by roster_money.c and roster_sheets.c,
 * their cells and pages set up by roster_print.c; see workbook.h).
 *
 * The workbook is written in libxlsxwriter's constant-memory mode: each
 * sheet keeps one row in memory and streams the rest to a temporary file,
 * so rows must reach a sheet in order and memory does not grow with the
 * number of participants.  One sorted pass over a mission's registrations
 * therefore writes the Roster row, the Payment row of those paid in cash
 * and, for each day the person is expected, a row of that day's sign-in
 * sheet; By category, whose numbers are sums over the roster, is written
 * after the pass into a sheet created before it (sheets are independent
 * streams).  Two quirks of libxlsxwriter 1.1.4 in this mode shape the
 * code: an autofilter must be set before its rows are written (or it is
 * silently dropped), so the rows are counted first; and formulas need
 * their results given (worksheet_write_formula_num), so every money cell
 * is computed here exactly as the spreadsheet computes it: in doubles, in
 * the same order, from the same cell values.  The pass reads its rows
 * from a second thread (roster_rows.c): SQLite's sort and page reads run
 * on one core while this thread feeds libxlsxwriter, which is not
 * thread-safe, on the other.
 *
 * libxlsxwriter reports its failures on stderr itself ("[ERROR] ...").
 * The library never prints: while the workbook is built, stderr points to
 * a memory buffer, and the first of those lines, if any, becomes the
 * detail of our one error.
 *
 * Safety: every value a person typed goes through worksheet_write_string,
 * never worksheet_write(), so "=HYPERLINK(...)" stays text.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fieldschool/file.h"
#include "fieldschool/mission.h"
#include "fieldschool/roster.h"
#include "value.h"
#include "workbook.h"

/* --- the mission --------------------------------------------------------- */

static void
mission_release(struct mission *m)
{
	free(m->title);
	free(m->venue);
	free(m->contact);
	spans_free(m->spans);
	m->spans = NULL;
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
	m->covered = (uint64_t)sqlite3_column_int64(stmt, 12);
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
bool
is_whole(const char *currency)
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
			m->money_top = w->money[i].money_top;
			return;
		}
	char fmt[64];
	const char *number = is_whole(m->currency) ? "#,##0" : "#,##0.00";
	/* [$PHP]: the currency as a symbol, which LibreOffice, Gnumeric and
	 * xlsx2csv read as a number format ("PHP" in quotes reads as a date
	 * to xlsx2csv, whose m and h are months and hours) */
	if (*m->currency)
		snprintf(fmt, sizeof(fmt), "[$%s] %s", m->currency, number);
	else
		snprintf(fmt, sizeof(fmt), "%s", number);
	m->money = workbook_add_format(w->wb);
	format_set_num_format(m->money, fmt);
	m->money_total = workbook_add_format(w->wb);
	format_set_num_format(m->money_total, fmt);
	format_set_bold(m->money_total);
	format_set_top(m->money_total, LXW_BORDER_THIN);
	m->money_top = workbook_add_format(w->wb);
	format_set_num_format(m->money_top, fmt);
	format_set_align(m->money_top, LXW_ALIGN_VERTICAL_TOP);
	if (w->n_money < 16) {
		snprintf(w->money[w->n_money].currency, 4, "%s", m->currency);
		w->money[w->n_money].money = m->money;
		w->money[w->n_money].money_total = m->money_total;
		w->money[w->n_money].money_top = m->money_top;
		w->n_money++;
	}
}

/* --- categories ---------------------------------------------------------- */

int
category_by_id(const struct writer *w, int64_t id)
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
		w->categories[w->n_categories].number =
			sqlite3_column_int(stmt, 3);
		w->n_categories++;
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(w->store, "reading categories");
	return FS_OK;
}

/* --- one mission ---------------------------------------------------------- */

/* The sheets of one mission, created in their order. */
struct mission_sheets {
	struct sheet roster, bycat, rules, visits, caterer, agenda;
	struct payment payment;
	struct signin signin[MAX_DAYS];
};

static fs_err
sheets_add(struct writer *w, struct mission *m, struct mission_sheets *ms)
{
	fs_err err;

	if ((err = add_sheet(w, &ms->roster, "Roster", m->suffix)) ||
	    (err = add_sheet(w, &ms->payment.sheet, "Payment", m->suffix)) ||
	    (err = add_sheet(w, &ms->bycat, "By category", m->suffix)) ||
	    (err = add_sheet(w, &ms->rules, "Finance rules", m->suffix)))
		return err;
	for (int d = 0; d < m->days; d++)
		if ((err = signin_begin(w, m, d, &ms->signin[d])))
			return err;
	if ((err = add_sheet(w, &ms->visits, "Site visits", m->suffix)) ||
	    (err = add_sheet(w, &ms->caterer, "Caterer", m->suffix)) ||
	    (err = add_sheet(w, &ms->agenda, "Agenda", m->suffix)))
		return err;
	snprintf(m->roster, sizeof(m->roster), "%s", ms->roster.name);
	snprintf(m->rules, sizeof(m->rules), "'%s'!", ms->rules.name);
	return FS_OK;
}

/* Q_ROSTER_ROWS: the Roster's columns up to the departure (the category
 * by id), then funded and the days present, a bit per day. */
enum { ROW_FUNDED = C_DEPARTURE + 1, ROW_PRESENT, ROW__COUNT };

/* One registration: its Roster row, its Payment row, its sign-in rows. */
static void
registration_rows(struct writer *w, struct mission *m,
		  struct mission_sheets *ms, const struct pipe_row *row,
		  double *sums, struct category_sums *cats)
{
	const struct finance_rules rules = {
		m->first, m->last, m->rate, m->nightly, m->meals, m->share,
		m->covered, is_whole(m->currency),
	};
	const char *v[C__COUNT] = { 0 };
	double vw[C__COUNT]; /* the texts' widths (roster_rows.c) */
	struct stay st;

	for (int c = C_REF; c <= C_DEPARTURE; c++) {
		v[c] = row->text[c];
		vw[c] = row->width[c];
	}
	/* the category by id, from the categories loaded once */
	int ci = category_by_id(w, row->num[C_CATEGORY]);
	vw[C_CATEGORY] = -1; /* a code, measured by put_text() */
	if (ci >= 0)
		v[C_CATEGORY] = w->categories[ci].code;
	bool confirmed = !strcmp(v[C_STATUS], "confirmed");
	bool funded = row->num[ROW_FUNDED] != 0;
	finance_stay(&rules, confirmed, funded, v[C_ARRIVAL], v[C_DEPARTURE],
		     (uint64_t)row->num[ROW_PRESENT], &st);
	lxw_row_t roster_row_at = ms->roster.row;
	roster_row(w, m, &ms->roster, v, vw,
		   ci >= 0 ? w->categories[ci].number : 0, &st);
	if (confirmed && funded && !st.no_show)
		payment_row(w, m, &ms->payment, v, vw, roster_row_at, &st);

	const double row_values[N_SUMMED] = {
		(double)st.nights, (double)st.days, (double)st.travel_days,
		st.v_per_diem, st.v_meals, st.v_accommodation, st.v_travel,
		st.v_total,
	};
	for (size_t k = 0; k < N_SUMMED; k++) {
		sums[k] += row_values[k];
		if (ci >= 0)
			cats[ci].sums[k] += row_values[k];
	}
	if (ci >= 0) {
		cats[ci].registrations++;
		cats[ci].confirmed += confirmed;
		cats[ci].no_shows += st.no_show;
	}

	/* the sign-in sheets of the days the person is expected */
	if (confirmed) {
		int64_t arr = finance_day_of(v[C_ARRIVAL], m->first);
		int64_t dep = finance_day_of(v[C_DEPARTURE], m->last);
		for (int d = 0; d < m->days; d++)
			if (arr <= ms->signin[d].day && ms->signin[d].day <= dep)
				signin_row(w, &ms->signin[d], v, vw);
	}
}

static fs_err
mission_write(struct writer *w, struct mission *m)
{
	struct mission_sheets *ms = calloc(1, sizeof(*ms));
	struct category_sums *cats = NULL;
	double sums[N_SUMMED] = { 0 };
	char first[11], last[11];
	sqlite3_stmt *stmt;
	struct row_pipe *pipe;
	const struct pipe_row *row;
	fs_err err;
	int rc;

	if (!ms)
		return fs_fail(FS_ENOMEM, "out of memory");
	mission_formats(w, m);
	if ((err = sheets_add(w, m, ms)))
		goto done;
	if (!(cats = calloc((size_t)w->n_categories + 1, sizeof(*cats)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}

	roster_begin(w, m, &ms->roster);
	payment_begin(w, m, &ms->payment);
	format_date(m->first, first);
	format_date(m->last, last);
	if ((err = store_stmt(w->store, Q_ROSTER_ROWS, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, m->id);
	sqlite3_bind_text(stmt, 2, first, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, last, -1, SQLITE_TRANSIENT);
	/* SQLite on a second thread, libxlsxwriter on this one; the reader
	 * also reads ahead for Site visits and Caterer while it waits */
	struct read_ahead ra = { w, m };
	if ((err = row_pipe_start(&pipe, stmt, ROW__COUNT,
				  1u << C_CATEGORY | 1u << ROW_FUNDED |
					  1u << ROW_PRESENT,
				  PIPE_RING_LARGE, sheets_read_ahead, &ra)))
		goto done;
	while ((row = row_pipe_next(pipe))) {
		if ((long)ms->roster.row > m->n_regs) {
			/* a registration added since the count: the autofilter
			 * and formulas were sized for n_regs rows */
			err = fs_fail(FS_EDB, "the registrations changed while "
				      "the roster was written");
			break;
		}
		registration_rows(w, m, ms, row, sums, cats);
	}
	rc = row_pipe_finish(pipe);
	if (!err && rc == SQLITE_NOMEM)
		err = fs_fail(FS_ENOMEM, "out of memory");
	else if (!err && rc != SQLITE_DONE)
		err = store_fail(w->store, "reading the registrations");
	if (err)
		goto done;
	roster_end(w, m, &ms->roster, sums);
	payment_end(w, m, &ms->payment);
	bycat_write(w, m, &ms->bycat, ms->roster.name, cats);
	rules_write(w, m, &ms->rules);
	for (int d = 0; d < m->days; d++)
		signin_end(w, m, &ms->signin[d]);
	if (!(err = visits_write(w, m, &ms->visits)) &&
	    !(err = caterer_write(w, m, &ms->caterer)))
		err = agenda_write(w, m, &ms->agenda);
done:
	free(cats);
	free(ms);
	return err;
}

/* --- Summary of several missions ------------------------------------------ */

#define SUMMARY_TITLE MAX_WIDTH /* the Title column's widest */

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
		/* a title wider than its column wraps, its row as tall */
		int lines = capped_lines(m->title, text_width(m->title),
					 SUMMARY_TITLE);
		lxw_format *top = lines > 1 ? w->top : NULL;
		row_lines(w, s, r, lines);
		put_text(w, s, r, 0, m->code, top);
		put_text(w, s, r, 1, m->title, lines > 1 ? w->wrap : NULL);
		put_text(w, s, r, 2, m->currency, top);
		snprintf(f, sizeof(f), "='%s'!C%u", m->bycat, T);
		put_formula(w, s, r, 3, f, (double)m->registrations, top);
		snprintf(f, sizeof(f), "='%s'!D%u", m->bycat, T);
		put_formula(w, s, r, 4, f, (double)m->confirmed, top);
		/* the counts' total row, then the money's */
		for (size_t k = 0; k < N_SUMMED; k++) {
			unsigned at = k < 3 ? T : (unsigned)m->bycat_money_total + 1;
			int col = k < 3 ? 4 + (int)k : 2 + (int)k - 3;
			snprintf(f, sizeof(f), "='%s'!%c%u", m->bycat,
				 col_letter(col), at);
			put_formula(w, s, r, (lxw_col_t)(5 + k), f,
				    m->totals[k],
				    SUMMED[k] < C_RATE ? top
				    : top		 ? m->money_top
							 : m->money);
		}
	}
	xl(w, worksheet_write_string(s->ws, (lxw_row_t)n + 2, 0,
				     "Each mission in its own currency: "
				     "totals are not added across missions.",
				     NULL));
	if (s->widths[1] > SUMMARY_TITLE)
		s->widths[1] = SUMMARY_TITLE;
	for (int c = 3; c < 13; c++)
		note_width(s, (lxw_col_t)c, 16);
	set_widths(w, s, 13);
	s->row = (lxw_row_t)n + 3;
	print_setup(w, NULL, s, s->name,
		    &(struct print){ .landscape = true, .title_rows = 1,
				     .repeat_cols = 1, .n_cols = 13 });
}

/* --- the workbook ---------------------------------------------------------- */

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

/* The formats every sheet shares. */
static void
add_formats(struct writer *w)
{
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
	format_set_align(w->wrap, LXW_ALIGN_VERTICAL_TOP);
	w->title = workbook_add_format(w->wb);
	format_set_bold(w->title);
	format_set_font_size(w->title, 14);
	w->percent = workbook_add_format(w->wb);
	format_set_num_format(w->percent, "0%");
	w->label = workbook_add_format(w->wb);
	format_set_italic(w->label);
	w->date_left = workbook_add_format(w->wb);
	format_set_num_format(w->date_left, "yyyy-mm-dd");
	format_set_align(w->date_left, LXW_ALIGN_LEFT);
	format_set_bold(w->date_left);
	w->clock_left = workbook_add_format(w->wb);
	format_set_num_format(w->clock_left, "hh:mm");
	format_set_align(w->clock_left, LXW_ALIGN_LEFT);
	format_set_bold(w->clock_left);
	w->box = workbook_add_format(w->wb);
	format_set_bold(w->box);
	format_set_align(w->box, LXW_ALIGN_LEFT);
	w->top = workbook_add_format(w->wb);
	format_set_align(w->top, LXW_ALIGN_VERTICAL_TOP);
	w->date_top = workbook_add_format(w->wb);
	format_set_num_format(w->date_top, "yyyy-mm-dd");
	format_set_align(w->date_top, LXW_ALIGN_VERTICAL_TOP);
	w->datetime_top = workbook_add_format(w->wb);
	format_set_num_format(w->datetime_top, "yyyy-mm-dd hh:mm");
	format_set_align(w->datetime_top, LXW_ALIGN_VERTICAL_TOP);
	w->clock_top = workbook_add_format(w->wb);
	format_set_num_format(w->clock_top, "hh:mm");
	format_set_align(w->clock_top, LXW_ALIGN_VERTICAL_TOP);
	w->bold_wrap = workbook_add_format(w->wb);
	format_set_bold(w->bold_wrap);
	format_set_text_wrap(w->bold_wrap);
	format_set_align(w->bold_wrap, LXW_ALIGN_VERTICAL_TOP);
	w->title_wrap = workbook_add_format(w->wb);
	format_set_bold(w->title_wrap);
	format_set_font_size(w->title_wrap, 14);
	format_set_text_wrap(w->title_wrap);
	format_set_align(w->title_wrap, LXW_ALIGN_VERTICAL_TOP);
	w->label_top = workbook_add_format(w->wb);
	format_set_italic(w->label_top);
	format_set_align(w->label_top, LXW_ALIGN_VERTICAL_TOP);
	w->small_wrap = workbook_add_format(w->wb);
	format_set_font_size(w->small_wrap, SMALL_POINTS);
	format_set_text_wrap(w->small_wrap);
	format_set_align(w->small_wrap, LXW_ALIGN_VERTICAL_TOP);
	w->percent_top = workbook_add_format(w->wb);
	format_set_num_format(w->percent_top, "0%");
	format_set_align(w->percent_top, LXW_ALIGN_VERTICAL_TOP);
}

/* The suffix of mission i's sheet names in a workbook of several: sheet
 * names hold at most 31 characters and must be unique ignoring case (t1
 * and T1): a long or clashing code gives " mN", N numbered on until
 * unique. */
static void
name_suffix(struct mission *ms, size_t i)
{
	struct mission *m = &ms[i];
	size_t k = i + 1;

	if (strlen(m->code) <= 14)
		snprintf(m->suffix, sizeof(m->suffix), " %s", m->code);
	else
		snprintf(m->suffix, sizeof(m->suffix), " m%zu", k++);
	for (size_t j = 0; j < i; j++)
		if (!strcasecmp(ms[j].suffix, m->suffix)) {
			snprintf(m->suffix, sizeof(m->suffix), " m%zu", k++);
			j = (size_t)-1; /* again from the first */
		}
}

/* The workbook's document properties: title, subject, author. */
static void
set_properties(struct writer *w, const struct mission *ms, size_t n)
{
	char title[400], subject[400], author[400];
	lxw_doc_properties props = { 0 };

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
}

static fs_err
build(struct writer *w, const char *tmp, char *const *codes, size_t n,
      fs_roster_stats *stats)
{
	/* the sheets' temporary files where the user keeps them */
	const char *tmpdir = getenv("TMPDIR");
	lxw_workbook_options options = {
		.constant_memory = LXW_TRUE,
		.tmpdir = tmpdir && *tmpdir ? (char *)tmpdir : NULL,
		.use_zip64 = LXW_FALSE,
	};
	struct mission *ms = calloc(n, sizeof(*ms));
	struct sheet summary;
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
	add_formats(w);

	if (n > 1 && (err = add_sheet(w, &summary, "Summary", "")))
		goto close;
	for (size_t i = 0; i < n && !err; i++) {
		struct mission *m = &ms[i];
		if (n > 1)
			name_suffix(ms, i);
		err = mission_write(w, m);
		stats->registrations += m->n_regs;
		stats->missions++;
		stats->sheets += 7 + m->days;
	}
	if (!err && n > 1) {
		summary_write(w, &summary, ms, n);
		stats->sheets++;
	}

	set_properties(w, ms, n);
close:
	/* workbook_close() writes the file and frees the workbook */
	{
		errno = 0;
		lxw_error e = workbook_close(w->wb);
		int saved = errno;
		w->wb = NULL;
		if (!err && (e || w->lerr))
			err = fs_fail(FS_EIO, "%s: %s", w->where,
				      saved == ENOSPC || saved == EDQUOT
					      ? fs_errno_text(saved)
					      : lxw_strerror(e ? e : w->lerr));
	}
done:
	for (size_t i = 0; i < loaded; i++)
		mission_release(&ms[i]);
	free(ms);
	return err;
}

/*
 * What libxlsxwriter writes on stderr ("[ERROR] ...") is caught in memory
 * rather than printed beside our own message: its first line, tidied,
 * ends the detail of the error.  stderr is the C library's variable
 * (glibc), swapped from catch_start() to catch_end() only, on the thread
 * that starts and joins any others: the library never prints, and the
 * command-line program runs one roster at a time.
 */
void
roster_catch_start(struct stderr_catch *c)
{
	*c = (struct stderr_catch){ NULL, NULL, NULL, 0 };
	c->saved = stderr;
	if ((c->catch = open_memstream(&c->said, &c->len)))
		stderr = c->catch;
}

fs_err
roster_catch_end(struct stderr_catch *c, fs_err err)
{
	if (!c->catch)
		return err;
	stderr = c->saved;
	fclose(c->catch);
	if (err && c->said && *c->said) {
		/* "[ERROR][file.c:12]: Error creating tmpfile() for ..." or
		 * "[ERROR] workbook_close(): Error creating ..." */
		char *line = c->said, *end = strchr(line, '\n'), *colon;
		if (end)
			*end = '\0';
		if ((colon = strstr(line, "]: ")))
			line = colon + 3;
		else if ((colon = strstr(line, "): ")))
			line = colon + 3;
		size_t len = strlen(line);
		while (len > 0 && (line[len - 1] == '.' || line[len - 1] == ' '))
			line[--len] = '\0';
		if (*line)
			line[0] = (char)tolower((unsigned char)line[0]);
		char ours[1024]; /* fs_fail() writes over the detail */
		snprintf(ours, sizeof(ours), "%s", fs_errdetail());
		fs_fail(err, "%s (libxlsxwriter: %s)", ours, line);
	}
	free(c->said);
	*c = (struct stderr_catch){ NULL, NULL, NULL, 0 };
	return err;
}

fs_err
roster_codes(struct code_list *list, fs_store *store, const char *const *codes,
	     size_t n_codes)
{
	fs_err err;

	*list = (struct code_list){ NULL, 0, 0 };
	if (n_codes == 0) {
		if ((err = fs_missions_format.each(store, NULL, NULL,
						   collect_code, list)))
			goto fail;
		if (list->n == 0) {
			err = fs_fail(FS_ENOTFOUND, "no missions to write a "
				      "roster of (see 'fieldschool mission "
				      "add')");
			goto fail;
		}
		return FS_OK;
	}
	for (size_t i = 0; i < n_codes; i++) {
		struct mission_info info;
		if ((err = mission_lookup(store, codes[i], &info)))
			goto fail;
		for (size_t j = 0; j < i; j++)
			if (!strcmp(codes[j], codes[i])) {
				err = fs_fail(FS_EINPUT, "mission '%s' given "
					      "twice", codes[i]);
				goto fail;
			}
		if ((err = code_list_add(list, codes[i])))
			goto fail;
	}
	return FS_OK;
fail:
	code_list_release(list);
	return err;
}

void
code_list_release(struct code_list *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->codes[i]);
	free(list->codes);
	*list = (struct code_list){ NULL, 0, 0 };
}

fs_err
roster_build(fs_store *store, const char *tmp, const char *where,
	     char *const *codes, size_t n, fs_roster_stats *stats)
{
	struct writer *w = NULL;
	bool began = false;
	fs_err err;

	*stats = (fs_roster_stats){ 0 };
	/* A small page cache, and sorts that spill to disk: the roster reads
	 * each page about once, and memory must not grow with the number of
	 * participants (restored below). */
	store_memory_small(store, true);
	/* One read transaction: every sheet sees the same data. */
	if (store->depth == 0) {
		if (sqlite3_exec(store->db, "BEGIN", NULL, NULL, NULL) !=
		    SQLITE_OK) {
			err = store_fail(store, "starting to read");
			goto done;
		}
		began = true;
	}
	if (!(w = calloc(1, sizeof(*w)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	w->store = store;
	w->where = where;
	err = build(w, tmp, codes, n, stats);
done:
	if (began)
		sqlite3_exec(store->db, "COMMIT", NULL, NULL, NULL);
	store_memory_small(store, false);
	if (w)
		free(w->categories);
	free(w);
	return err;
}

fs_err
fs_roster_write(fs_store *store, const char *path, const char *const *codes,
		size_t n_codes, fs_roster_stats *stats)
{
	struct code_list list = { NULL, 0, 0 };
	struct stderr_catch catch;
	fs_atomic out = FS_ATOMIC_INIT;
	fs_err err;

	*stats = (fs_roster_stats){ 0 };
	if ((err = roster_codes(&list, store, codes, n_codes)))
		return err;
	/* Built in a new file beside path, without a name until it is
	 * complete (fieldschool/file.h), then renamed. */
	if ((err = fs_atomic_open(&out, path)))
		goto done;
	roster_catch_start(&catch);
	err = roster_build(store, out.name, path, list.codes, list.n, stats);
	if ((err = roster_catch_end(&catch, err))) {
		fs_atomic_abort(&out);
		goto done;
	}
	err = fs_atomic_commit(&out);
done:
	code_list_release(&list);
	return err;
}
