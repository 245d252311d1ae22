/*
 * roster_sheets.c - the sheets to print and hand out: a sign-in sheet per
 * day, the bus manifests (Site visits) and the Caterer sheet (meals by
 * dietary need, accessibility needs by visit); the Agenda is in
 * roster_agenda.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "workbook.h"

/* --- sign-in sheets ------------------------------------------------------ */

static const char *const SIGNIN_HEAD[] = { "No.", "Family name", "Given name",
					   "Organization", "Group" };
#define SIGNIN_FIXED 5
#define WALK_INS 8 /* blank numbered rows for people not expected */
#define SESSION_WIDTH 11 /* a session's column, to tick */

fs_err
signin_begin(struct writer *w, struct mission *m, int d, struct signin *si)
{
	char name[32];
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

	worksheet_freeze_panes(ws, 1, 0);
	/* Tall rows to sign in, gridlines printed: no per-cell borders or
	 * blank cells, which would triple the sheet. */
	worksheet_set_default_row(ws, 30, LXW_FALSE); /* two lines */
	worksheet_gridlines(ws, LXW_SHOW_ALL_GRIDLINES);
	/* a session's heading wraps in its column (SESSION_WIDTH) */
	int lines = n ? 4 : 2;
	for (int c = 0; c < n; c++) {
		int k = text_lines(sessions[c], SESSION_WIDTH);
		if (k > lines)
			lines = k;
	}
	xl(w, worksheet_set_row(ws, 0, 15.0 * lines, w->wrap));
	for (int c = 0; c < SIGNIN_FIXED + n + 1; c++)
		xl(w, worksheet_write_string(ws, 0, (lxw_col_t)c, head[c],
					     w->head));
	si->sheet.row = 1;
	return FS_OK;
}

/* The widest the name columns print (signin_end()), to keep the columns
 * to sign on the page: a longer text wraps. */
static const double SIGNIN_CAP[] = { 0, 18, 16, 24, MAX_WIDTH };

void
signin_row(struct writer *w, struct signin *si, const char *const *v,
	   const double *vw)
{
	static const int FIELD[] = { 0, C_FAMILY, C_GIVEN, C_ORG, C_GROUP };
	struct sheet *s = &si->sheet;
	lxw_row_t r = s->row++;
	int lines = 1;

	for (int c = 1; c < SIGNIN_FIXED; c++) {
		int k = FIELD[c];
		int n = capped_lines(v[k], vw[k] < 0 ? text_width(v[k]) : vw[k],
				     SIGNIN_CAP[c]);
		if (n > lines)
			lines = n;
	}
	/* the rows are two lines high (signin_begin()); a height of its own
	 * for a row with wrapped cells, which LibreOffice would fit to its
	 * text otherwise */
	row_lines(w, s, r, lines);
	put_number(w, s, r, 0, (double)++si->number,
		   lines > 1 ? w->top : NULL);
	for (int c = 1; c < SIGNIN_FIXED; c++)
		put_text_width(w, s, r, (lxw_col_t)c, v[FIELD[c]],
			       lines > 1 ? w->wrap : NULL, vw[FIELD[c]]);
}

void
signin_end(struct writer *w, struct mission *m, struct signin *si)
{
	struct sheet *s = &si->sheet;
	int n = SIGNIN_FIXED + si->n_sessions;
	s->widths[0] = 5;
	for (int c = 1; c < SIGNIN_FIXED; c++)
		note_width(s, (lxw_col_t)c, text_width(SIGNIN_HEAD[c]) + 3);
	/* one page wide at 8 pt or more with a few sessions: long names
	 * and organizations are cut on paper, not the columns to sign */
	for (int c = 1; c < SIGNIN_FIXED; c++)
		if (s->widths[c] > SIGNIN_CAP[c])
			s->widths[c] = SIGNIN_CAP[c];
	for (int c = SIGNIN_FIXED; c < n; c++)
		s->widths[c] = SESSION_WIDTH;
	s->widths[n] = 20;
	/* room for walk-ins: numbered rows, tall and ruled like the rest */
	for (int i = 0; i < WALK_INS; i++)
		put_number(w, s, s->row++, 0, (double)++si->number, NULL);
	xl(w, worksheet_write_string(s->ws, s->row++, 1,
				     "Walk-ins: write your name on a numbered "
				     "row above.", NULL));
	set_widths(w, s, n + 1);

	char date[64], heading[100];
	long_date(si->day, date, sizeof(date));
	snprintf(heading, sizeof(heading), "%s, %s", s->name, date);
	print_setup(w, m, s, heading,
		    &(struct print){ .landscape = true, .title_rows = 1,
				     .repeat_cols = 3, .n_cols = n + 1,
				     .extra = heading });
}
/* --- Site visits ---------------------------------------------------------- */

/*
 * Bus manifests: one page per bus, that is per visit and group (a visit
 * for everyone takes a bus per group; a visit for a category one bus).
 * Each page starts with a heading block (site, address, host, group, date,
 * departure time and place, head count) and lists who rides: name, phone,
 * dietary and accessibility needs, a column to tick.  The column heads
 * are the sheet's first row, repeated on every printed page.
 */
static const char *const VISIT_HEAD[] = { "No.", "Family name", "Given name",
	"Phone", "Dietary needs", "Accessibility needs", "\xE2\x9C\x93" };
#define VISIT_COLS 7
/* The columns' widths, fixed: the heading block's texts run on over C to G
 * or wrap across them, which is reckoned as they are written; a rider's
 * name, phone or need longer than its column wraps. */
static const double VISIT_WIDTHS[VISIT_COLS] = { 5, 20, 20, 18, 24, 24, 5 };

struct visit {
	char date[11], start[6], departs[6];
	char *title, *site, *address, *host, *from, *audience;
};

/* Who rides a bus: a group (group non-NULL, "" for those without one),
 * a category, or (both NULL) everyone. */
struct bus {
	const char *group, *category;
	char who[96];
};

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
	free(v->audience);
}

struct visit_list {
	struct visit *items;
	size_t n;
	char **groups; /* of the confirmed, sorted; "" for no group */
	size_t n_groups;
};

static void
visit_list_release(struct visit_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		visit_release(&l->items[i]);
	for (size_t g = 0; g < l->n_groups; g++)
		free(l->groups[g]);
	free(l->items);
	free(l->groups);
}

/* The visits (a few dozen at most), copied, and the groups: one statement
 * open at a time. */
static fs_err
visit_list_load(struct writer *w, struct mission *m, struct visit_list *l)
{
	size_t cap = 0;
	sqlite3_stmt *stmt;
	fs_err err = FS_OK;
	int rc;

	memset(l, 0, sizeof(*l));
	if ((err = store_stmt(w->store, Q_ROSTER_VISITS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (l->n == cap) {
			size_t c = cap ? cap * 2 : 16;
			struct visit *nv = realloc(l->items, c * sizeof(*nv));
			if (!nv) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			l->items = nv;
			cap = c;
		}
		struct visit *v = &l->items[l->n++];
		memset(v, 0, sizeof(*v));
		snprintf(v->date, sizeof(v->date), "%s", store_text(stmt, 0));
		snprintf(v->start, sizeof(v->start), "%s", store_text(stmt, 1));
		/* a cell holds 32767 characters: a very long title is cut */
		char title[16100];
		snprintf(title, 16000, "%s", store_text(stmt, 3));
		utf8_cut(title, 15990);
		if (!strcmp(store_text(stmt, 8), "cancelled"))
			strcat(title, " (cancelled)");
		v->title = strdup(title);
		v->site = strdup(store_text(stmt, 4));
		v->address = strdup(store_text(stmt, 5));
		v->host = strdup(store_text(stmt, 6));
		v->audience = strdup(store_text(stmt, 7));
		if (!v->title || !v->site || !v->address || !v->host ||
		    !v->audience) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(w->store, "reading visits");
	if (err || (err = store_stmt(w->store, Q_ROSTER_GROUPS, &stmt)))
		return err;
	cap = 0;
	sqlite3_bind_int64(stmt, 1, m->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (l->n_groups == cap) {
			size_t c = cap ? cap * 2 : 16;
			char **ng = realloc(l->groups, c * sizeof(*ng));
			if (!ng) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			l->groups = ng;
			cap = c;
		}
		if (!(l->groups[l->n_groups] = strdup(store_text(stmt, 0)))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		l->n_groups++;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(w->store, "reading groups");
	return err;
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The groups an audience names ("group:A;group:B"), sorted; the caller
 * frees them. */
static fs_err
audience_groups(const char *audience, char ***out, size_t *n_out)
{
	char *copy = strdup(audience), *save = NULL, *part;
	char **groups = NULL;
	size_t n = 0;

	*out = NULL;
	*n_out = 0;
	if (!copy)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (part = strtok_r(copy, ";", &save); part;
	     part = strtok_r(NULL, ";", &save)) {
		part = trim(part);
		if (strncmp(part, "group:", 6) || !part[6])
			continue;
		char **ng = realloc(groups, (n + 1) * sizeof(*ng));
		if (!ng || !(ng[n] = strdup(part + 6))) {
			if (ng)
				groups = ng;
			for (size_t g = 0; g < n; g++)
				free(groups[g]);
			free(groups);
			free(copy);
			return fs_fail(FS_ENOMEM, "out of memory");
		}
		groups = ng;
		n++;
	}
	free(copy);
	if (n > 1)
		qsort(groups, n, sizeof(*groups), compare_strings);
	*out = groups;
	*n_out = n;
	return FS_OK;
}

/* Writes the riders of a bus, one row each (SQLite on a second thread,
 * roster_rows.c). */
/* Binds who rides bus b of visit v, as the rider queries take them. */
static void
bind_bus(sqlite3_stmt *stmt, const struct mission *m, const struct visit *v,
	 const struct bus *b)
{
	char leaves[17];

	snprintf(leaves, sizeof(leaves), "%sT%s", v->date, v->departs);
	sqlite3_bind_int64(stmt, 1, m->id);
	if (b->group)
		store_bind_text(stmt, 2, b->group);
	else
		store_bind_text(stmt, 3, b->category);
	sqlite3_bind_text(stmt, 4, leaves, -1, SQLITE_TRANSIENT);
}

static fs_err
riders_write(struct writer *w, struct mission *m, const struct visit *v,
	     const struct bus *b, struct sheet *s)
{
	sqlite3_stmt *stmt;
	struct row_pipe *pipe;
	const struct pipe_row *row;
	long n = 0;
	fs_err err;
	int rc;

	if ((err = store_stmt(w->store, b->group ? Q_ROSTER_RIDERS_GROUP
						 : Q_ROSTER_RIDERS,
			      &stmt)))
		return err;
	bind_bus(stmt, m, v, b);
	if ((err = row_pipe_start(&pipe, stmt, 5, 0, PIPE_RING, NULL,
				  NULL)))
		return err;
	while ((row = row_pipe_next(pipe))) {
		lxw_row_t r = s->row++;
		int lines = 1;
		for (int c = 0; c < 5; c++) {
			int k = capped_lines(row->text[c],
					     row->width[c] < 0
						     ? text_width(row->text[c])
						     : row->width[c],
					     VISIT_WIDTHS[c + 1]);
			if (k > lines)
				lines = k;
		}
		row_lines(w, s, r, lines);
		put_number(w, s, r, 0, (double)++n, lines > 1 ? w->top : NULL);
		/* an empty need writes no cell: its column is formatted
		 * to wrap instead (visits_write), a third of the cells */
		for (int c = 0; c < 5; c++)
			if (*row->text[c])
				put_text_width(w, s, r, (lxw_col_t)(c + 1),
					       row->text[c],
					       c >= 3 || lines > 1 ? w->wrap
								   : NULL,
					       row->width[c]);
	}
	if ((rc = row_pipe_finish(pipe)) == SQLITE_NOMEM)
		return fs_fail(FS_ENOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return store_fail(w->store, "reading a visit's riders");
	return FS_OK;
}

/* How many ride bus b (its heading says so before the list). */
static fs_err
riders_count(struct writer *w, struct mission *m, const struct visit *v,
	     const struct bus *b, long *count)
{
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = store_stmt(w->store, b->group ? Q_ROSTER_RIDER_COUNT_GROUP
						 : Q_ROSTER_RIDER_COUNT,
			      &stmt)))
		return err;
	bind_bus(stmt, m, v, b);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		return store_fail(w->store, "counting a visit's riders");
	}
	*count = sqlite3_column_int64(stmt, 0);
	sqlite3_reset(stmt);
	return FS_OK;
}

/* A text of a bus's heading block, from col to the last column, in bold
 * at size points: it runs on over the empty cells beside it when it fits
 * on the page, else it wraps across them (merged), its row as tall as
 * its lines.  Returns whether it wraps. */
static bool
heading_put(struct writer *w, struct sheet *s, lxw_row_t row, lxw_col_t col,
	    const char *text, int size)
{
	double span = 0, line = size > 11 ? 21 : 15;
	for (int c = col; c < VISIT_COLS; c++)
		span += VISIT_WIDTHS[c];
	/* size / 11 of the characters of the default font in a line */
	int lines = text_width(text) * size / 11 + 1 <= span
			    ? 1
			    : text_lines(text, span * 11 / size);
	lxw_format *plain = size > 11 ? w->title : w->bold;
	if (lines == 1) {
		if (size > 11)
			xl(w, worksheet_set_row(s->ws, row, line, NULL));
		put_text(w, s, row, col, text, plain);
		return false;
	}
	xl(w, worksheet_set_row(s->ws, row, line * lines, NULL));
	text = utf8_clean(text, w->buf, 32767);
	xl(w, worksheet_merge_range(s->ws, row, col, row, VISIT_COLS - 1, text,
				    size > 11 ? w->title_wrap : w->bold_wrap));
	return true;
}

/* One bus: its heading block, then its riders. */
static fs_err
bus_page(struct writer *w, struct mission *m, struct sheet *s,
	 struct visit *v, const struct bus *b)
{
	long count = 0;
	fs_err err;

	if ((err = visit_departure(w, m, v, b->group)) ||
	    (err = riders_count(w, m, v, b, &count)))
		return err;
	char title[16200];
	snprintf(title, sizeof(title), "Bus: %s to %s", b->who, v->title);
	/* tall enough for the 14 pt title: the default height let it run
	 * into the column headings repeated above it on paper */
	heading_put(w, s, s->row, 0, title, 14);
	s->row += 1;
	static const char *const LABEL[] = { "Site", "Address", "Host",
		"Group", "Date", "Departs", "From", "Head count" };
	const char *text[] = { v->site, v->address, v->host, b->who };
	lxw_row_t r = s->row;
	/* row by row: constant-memory mode writes rows in order */
	for (int i = 0; i < 8; i++) {
		lxw_row_t at = r + (lxw_row_t)i;
		bool wraps = false;
		if (i < 4)
			wraps = heading_put(w, s, at, 2, text[i], 11);
		else if (i == 6)
			wraps = heading_put(w, s, at, 2, v->from, 11);
		xl(w, worksheet_write_string(s->ws, at, 1, LABEL[i],
					     wraps ? w->label_top : w->label));
		if (i == 4)
			put_number(w, s, at, 2, day_value(v->date),
				   w->date_left);
		else if (i == 5)
			put_number(w, s, at, 2, clock_value(v->departs),
				   w->clock_left);
		else if (i == 7)
			put_number(w, s, at, 2, (double)count, w->box);
	}
	s->row = r + 9;
	return riders_write(w, m, v, b, s);
}

/* Reads the mission's riders into temp.roster_rider (or, m NULL, drops
 * the table). */
static fs_err
riders_load(struct writer *w, struct mission *m)
{
	sqlite3_stmt *stmt;
	fs_err err;

	if ((err = store_stmt(w->store, Q_ROSTER_RIDERS_CLEAR, &stmt)) ||
	    (err = store_done(w->store, stmt, "clearing the riders")) || !m)
		return err;
	if ((err = store_stmt(w->store, Q_ROSTER_RIDERS_LOAD, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	if ((err = store_done(w->store, stmt, "reading the riders")) ||
	    (err = store_stmt(w->store, Q_ROSTER_RIDERS_INDEX, &stmt)) ||
	    (err = store_done(w->store, stmt, "reading the riders")))
		return err;
	return FS_OK;
}

fs_err
visits_write(struct writer *w, struct mission *m, struct sheet *s)
{
	struct visit_list l;
	lxw_row_t breaks[LXW_BREAKS_MAX + 1];
	int n_breaks = 0;
	fs_err err;

	put_header(w, s, 0, VISIT_HEAD, VISIT_COLS);
	worksheet_freeze_panes(s->ws, 1, 0);
	s->row = 1;
	/* read ahead during the pass (sheets_read_ahead), else now */
	if (!m->riders_loaded && (err = riders_load(w, m)))
		return err;
	m->riders_loaded = false;
	err = visit_list_load(w, m, &l);
	for (size_t i = 0; i < l.n && !err; i++) {
		struct visit *v = &l.items[i];
		bool everyone = !*v->audience || !strcmp(v->audience, "all");
		/* a bus per group the visit is for (each group of the
		 * confirmed, for everyone), then one per category it is for */
		char **groups = everyone ? l.groups : NULL;
		size_t n_groups = everyone ? l.n_groups : 0;
		if (!everyone && (err = audience_groups(v->audience, &groups,
							&n_groups)))
			break;
		for (size_t g = 0; g < n_groups && !err; g++) {
			struct bus b = { groups[g], NULL, "" };
			if (*groups[g])
				snprintf(b.who, sizeof(b.who), "group %s",
					 groups[g]);
			else
				snprintf(b.who, sizeof(b.who), "no group");
			if (s->row > 1 && n_breaks < LXW_BREAKS_MAX)
				breaks[n_breaks++] = s->row;
			err = bus_page(w, m, s, v, &b);
		}
		if (!everyone) {
			for (size_t g = 0; g < n_groups; g++)
				free(groups[g]);
			free(groups);
		}
		for (int c = 0; c < w->n_categories && !err && !everyone; c++) {
			struct bus b = { NULL, w->categories[c].code, "" };
			if (!audience_has(v->audience, "category:", b.category))
				continue;
			snprintf(b.who, sizeof(b.who), "category %s",
				 b.category);
			if (s->row > 1 && n_breaks < LXW_BREAKS_MAX)
				breaks[n_breaks++] = s->row;
			err = bus_page(w, m, s, v, &b);
		}
	}
	visit_list_release(&l);
	fs_err cleared = riders_load(w, NULL);
	if (!err)
		err = cleared;
	breaks[n_breaks] = 0;
	if (n_breaks)
		xl(w, worksheet_set_h_pagebreaks(s->ws, breaks));
	memcpy(s->widths, VISIT_WIDTHS, sizeof(VISIT_WIDTHS));
	set_widths(w, s, VISIT_COLS);
	/* the needs wrap, empty cells included (riders_write) */
	for (lxw_col_t c = 4; c <= 5; c++)
		xl(w, worksheet_set_column(s->ws, c, c, s->widths[c], w->wrap));
	print_setup(w, m, s, s->name,
		    &(struct print){ .landscape = true, .title_rows = 1,
				     .n_cols = VISIT_COLS });
	return err;
}

/* --- Caterer ----------------------------------------------------------------- */

/*
 * For the caterer, how many people of each dietary need at each meal of
 * each day (the confirmed expected that day, as on the sign-in sheets), no
 * names; for the hosts, who needs what to get in and around, per visit.
 */
static const char *const MEAL_HEAD[] = { "Day", "Date", "Meal",
	"Dietary need", "People" };
static const char *const ACCESS_HEAD[] = { "Visit", "Date", "Site",
	"Host", "Group", "Family name", "Given name", "Accessibility need" };
/* The columns' widths: a text longer than its column wraps, its row as
 * tall as its longest text (row_lines()) and the others at the top. */
static const double CATERER_WIDTHS[] = { 26, 11, 22, 20, 8, 16, 14, 28 };
#define CATERER_COLS 8

/* The lines a text needs in column col of the Caterer sheet, width its
 * text_width() or -1 when not measured yet. */
static int
caterer_lines(lxw_col_t col, const char *text, double width)
{
	return capped_lines(text, width < 0 ? text_width(text) : width,
			    CATERER_WIDTHS[col]);
}

/* Who stays on which dates, by dietary need (Q_ROSTER_DIETARY). */
struct span {
	char *text, *key;	  /* the need as shown, and folded */
	char arrival[11], departure[11]; /* "" when not given */
	long n;
};

struct spans {
	struct span *items;
	size_t n;
};

static void
spans_release(struct spans *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].text);
		free(l->items[i].key);
	}
	free(l->items);
	*l = (struct spans){ NULL, 0 };
}

static fs_err
spans_load(struct writer *w, struct mission *m, struct spans *l)
{
	size_t cap = 0;
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	*l = (struct spans){ NULL, 0 };
	if ((err = store_stmt(w->store, Q_ROSTER_DIETARY, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (l->n == cap) {
			size_t c = cap ? cap * 2 : 16;
			struct span *nn = realloc(l->items, c * sizeof(*nn));
			if (!nn) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			l->items = nn;
			cap = c;
		}
		struct span *sp = &l->items[l->n];
		sp->text = strdup(store_text(stmt, 0));
		sp->key = strdup(store_text(stmt, 1));
		snprintf(sp->arrival, sizeof(sp->arrival), "%s",
			 store_text(stmt, 2));
		snprintf(sp->departure, sizeof(sp->departure), "%s",
			 store_text(stmt, 3));
		sp->n = sqlite3_column_int64(stmt, 4);
		l->n++;
		if (!sp->text || !sp->key) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(w->store, "counting dietary needs");
	if (err)
		spans_release(l);
	return err;
}

struct need {
	const char *key, *text; /* into a span */
	long n;
};

/* The needs of those expected on date, into out (room for every span):
 * one entry per need (a need's spans are neighbours, in the order of the
 * folded need), shown as its smallest spelling among that day's people,
 * as min(trim(dietary)) over them would. */
static size_t
day_needs(const struct spans *l, const char *date, struct need *out)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct span *sp = &l->items[i];
		if ((*sp->arrival && strcmp(sp->arrival, date) > 0) ||
		    (*sp->departure && strcmp(sp->departure, date) < 0))
			continue;
		if (n > 0 && !strcmp(out[n - 1].key, sp->key)) {
			out[n - 1].n += sp->n;
			if (strcmp(sp->text, out[n - 1].text) < 0)
				out[n - 1].text = sp->text;
		} else {
			out[n++] = (struct need){ sp->key, sp->text, sp->n };
		}
	}
	return n;
}

void
spans_free(struct spans *l)
{
	if (l)
		spans_release(l);
	free(l);
}

/* The riders' table (Site visits) and the dietary spans (Caterer), read
 * on the pass's reader thread while it waits for the main thread
 * (roster_rows.c): SQLite work that would otherwise stop libxlsxwriter's
 * thread later.  A failure leaves them to be read at their usual place,
 * where the same failure is reported. */
void
sheets_read_ahead(void *ctx)
{
	struct read_ahead *ra = ctx;
	struct spans *spans;

	if (riders_load(ra->w, ra->m) == FS_OK)
		ra->m->riders_loaded = true;
	if ((spans = calloc(1, sizeof(*spans))) &&
	    spans_load(ra->w, ra->m, spans) == FS_OK)
		ra->m->spans = spans;
	else
		free(spans);
}

static fs_err
meals_write(struct writer *w, struct mission *m, struct sheet *s)
{
	struct spans spans;
	struct need *needs;
	long n_meals = 0;
	fs_err err;

	put_header(w, s, s->row++, MEAL_HEAD, 5);
	if (m->spans) { /* read ahead during the pass */
		spans = *m->spans;
		free(m->spans);
		m->spans = NULL;
	} else if ((err = spans_load(w, m, &spans))) {
		return err;
	}
	if (!(needs = calloc(spans.n + 1, sizeof(*needs)))) {
		spans_release(&spans);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	for (int d = 0; d < m->days && !err; d++) {
		char date[11], day[16];
		sqlite3_stmt *stmt;
		int rc;

		format_date(m->first + d, date);
		snprintf(day, sizeof(day), "Day %d", d + 1);
		size_t n_needs = day_needs(&spans, date, needs);
		if ((err = store_stmt(w->store, Q_ROSTER_MEALS, &stmt)))
			break;
		sqlite3_bind_int64(stmt, 1, m->id);
		sqlite3_bind_text(stmt, 2, date, -1, SQLITE_TRANSIENT);
		while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
			char meal[200];
			double people = 0;
			lxw_row_t first = s->row;
			snprintf(meal, sizeof(meal), "%s %s",
				 store_text(stmt, 0), store_text(stmt, 1));
			utf8_cut(meal, 120);
			int meal_lines = caterer_lines(2, meal, -1);
			for (size_t k = 0; k < n_needs; k++, s->row++) {
				const char *need = *needs[k].text
							   ? needs[k].text
							   : "none";
				int lines = caterer_lines(3, need, -1);
				if (lines < meal_lines)
					lines = meal_lines;
				bool tall = lines > 1;
				row_lines(w, s, s->row, lines);
				put_text(w, s, s->row, 0, day,
					 tall ? w->top : NULL);
				put_number(w, s, s->row, 1, day_value(date),
					   tall ? w->date_top : w->date);
				put_text(w, s, s->row, 2, meal,
					 tall ? w->wrap : NULL);
				put_text(w, s, s->row, 3, need,
					 tall ? w->wrap : NULL);
				put_number(w, s, s->row, 4,
					   (double)needs[k].n,
					   tall ? w->top : NULL);
				people += (double)needs[k].n;
			}
			char f[64];
			put_text(w, s, s->row, 3, "Total", w->bold);
			snprintf(f, sizeof(f), "=SUM(E%u:E%u)",
				 (unsigned)first + 1, (unsigned)s->row);
			put_formula(w, s, s->row++, 4, f, people, w->bold);
			n_meals++;
		}
		sqlite3_reset(stmt);
		if (rc != SQLITE_DONE)
			err = store_fail(w->store, "reading meals");
	}
	free(needs);
	spans_release(&spans);
	if (!err && n_meals == 0)
		put_text(w, s, s->row++, 0, "No meal on the agenda.", NULL);
	return err;
}

static fs_err
access_rows(struct writer *w, struct mission *m, struct sheet *s,
	    const struct visit *v, const char *group, const char *category)
{
	sqlite3_stmt *stmt;
	struct row_pipe *pipe;
	const struct pipe_row *row;
	fs_err err;
	int rc;

	if ((err = store_stmt(w->store, Q_ROSTER_ACCESS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	store_bind_text(stmt, 2, group);
	store_bind_text(stmt, 3, category);
	/* the visit's texts, the same on each of its rows */
	int visit_lines = caterer_lines(0, v->title, -1);
	for (lxw_col_t c = 2; c <= 3; c++) {
		int n = caterer_lines(c, c == 2 ? v->site : v->host, -1);
		if (n > visit_lines)
			visit_lines = n;
	}
	/* SQLite on a second thread (roster_rows.c) */
	if ((err = row_pipe_start(&pipe, stmt, 4, 0, PIPE_RING, NULL,
				  NULL)))
		return err;
	while ((row = row_pipe_next(pipe))) {
		lxw_row_t r = s->row++;
		/* the person's columns, in the order of the statement's */
		static const lxw_col_t COL[] = { 5, 6, 4, 7 };
		int lines = visit_lines;
		for (int c = 0; c < 4; c++) {
			int n = caterer_lines(COL[c], row->text[c],
					      row->width[c]);
			if (n > lines)
				lines = n;
		}
		lxw_format *text = lines > 1 ? w->wrap : NULL;
		row_lines(w, s, r, lines);
		put_text(w, s, r, 0, v->title, w->wrap);
		put_number(w, s, r, 1, day_value(v->date),
			   lines > 1 ? w->date_top : w->date);
		put_text(w, s, r, 2, v->site, w->wrap);
		put_text(w, s, r, 3, v->host, w->wrap);
		for (int c = 0; c < 4; c++)
			put_text_width(w, s, r, COL[c], row->text[c],
				       c == 3 ? w->wrap : text, row->width[c]);
	}
	if ((rc = row_pipe_finish(pipe)) == SQLITE_NOMEM)
		return fs_fail(FS_ENOMEM, "out of memory");
	if (rc != SQLITE_DONE)
		return store_fail(w->store, "reading accessibility needs");
	return FS_OK;
}

fs_err
caterer_write(struct writer *w, struct mission *m, struct sheet *s)
{
	struct visit_list l;
	fs_err err;

	put_text(w, s, 0, 0, "Meals by dietary need (for the caterer), and "
		 "accessibility needs by visit (for the hosts)", w->bold);
	s->row = 2;
	worksheet_freeze_panes(s->ws, 1, 0);
	if ((err = meals_write(w, m, s)))
		return err;
	s->row++;
	put_header(w, s, s->row++, ACCESS_HEAD, 8);
	lxw_row_t first = s->row;
	err = visit_list_load(w, m, &l);
	for (size_t i = 0; i < l.n && !err; i++) {
		struct visit *v = &l.items[i];
		if (!*v->audience || !strcmp(v->audience, "all")) {
			err = access_rows(w, m, s, v, NULL, NULL);
			continue;
		}
		char **groups = NULL;
		size_t n_groups = 0;
		if ((err = audience_groups(v->audience, &groups, &n_groups)))
			break;
		for (size_t g = 0; g < n_groups; g++) {
			if (!err)
				err = access_rows(w, m, s, v, groups[g], NULL);
			free(groups[g]);
		}
		free(groups);
		for (int c = 0; c < w->n_categories && !err; c++)
			if (audience_has(v->audience, "category:",
					 w->categories[c].code))
				err = access_rows(w, m, s, v, NULL,
						  w->categories[c].code);
	}
	visit_list_release(&l);
	if (!err && s->row == first)
		put_text(w, s, s->row++, 0, "No accessibility needs on the "
			 "visits.", NULL);
	memcpy(s->widths, CATERER_WIDTHS, sizeof(CATERER_WIDTHS));
	set_widths(w, s, CATERER_COLS);
	print_setup(w, m, s, s->name,
		    &(struct print){ .landscape = true, .title_rows = 1,
				     .n_cols = 8 });
	return err;
}
