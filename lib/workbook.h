/*
 * workbook.h - what the roster files share (lib-internal): the writer, its
 * sheets and missions, cell helpers and print set-up.  roster.c runs the
 * pass over the registrations and builds the workbook; roster_print.c
 * holds the cell and page helpers; roster_money.c writes Roster, Payment,
 * By category and Finance rules; roster_sheets.c the sign-in sheets, Site
 * visits and Caterer; roster_agenda.c the Agenda; roster_rows.c reads a
 * statement's rows on a second thread for them.  Only these files include
 * xlsxwriter.h.
 */
#ifndef FS_WORKBOOK_H
#define FS_WORKBOOK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <xlsxwriter.h>

#include "fieldschool/error.h"
#include "fieldschool/roster.h"
#include "finance.h"
#include "store.h"

#define EXCEL_EPOCH 25569 /* 1970-01-01 as an Excel serial day */
#define MAX_DAYS 4
#define MAX_SESSIONS 16
#define MAX_WIDTH 48.0
#define MAX_COLS 32
/* The smallest type, for a long text in a row that cannot grow (Payment):
 * LibreOffice prints 8 pt a little under 8 (7.8 measured) */
#define SMALL_POINTS 8.5

/* The Roster sheet's columns. */
enum {
	C_REF, C_FAMILY, C_GIVEN, C_ORG, C_POSITION, C_CATEGORY, C_COUNTRY,
	C_STATUS, C_GROUP, C_ARRIVAL, C_DEPARTURE, C_NIGHTS, C_DAYS,
	C_TRAVEL_DAYS, C_RATE, C_PER_DIEM, C_MEALS, C_NIGHTLY, C_ACCOMMODATION,
	C_TRAVEL, C_TOTAL, C_FUNDED, C_FLAG, C_CATNO, C__COUNT
};
/* values of a row beyond the columns: phone, dietary, accessibility */
enum { V_PHONE = C__COUNT, V_DIETARY, V_ACCESSIBILITY, V__COUNT };

/* The columns summed by By category, in its column order. */
extern const int SUMMED[];
#define N_SUMMED 8

/* The cells of the Finance rules sheet that the formulas refer to. */
enum { RULE_RATE, RULE_NIGHTLY, RULE_MEALS, RULE_SHARE, RULE_DECIMALS,
       RULE__COUNT };

struct sheet {
	lxw_worksheet *ws;
	char name[32];
	double widths[MAX_COLS];
	lxw_row_t row; /* the next row to write */
};

struct spans; /* roster_sheets.c */

struct mission {
	int64_t id;
	char code[65], currency[4], stamp[24];
	char *title, *venue, *contact;
	int64_t first, last; /* days since the epoch */
	int days, share;
	int64_t rate, nightly, meals; /* cents */
	uint64_t covered;             /* days attendance covers */
	long n_regs;
	char suffix[24]; /* "" or " mx-2027" for several missions */
	lxw_format *money, *money_total, *money_top;
	char rules[40];  /* "'Finance rules'!" as formulas quote it */
	char rule_at[RULE__COUNT][48]; /* "='Finance rules'!$B$5"... */
	char roster[32]; /* the Roster sheet's name */
	/* the By category sheet's total row, for Summary */
	char bycat[32];
	lxw_row_t bycat_total, bycat_money_total;
	double totals[N_SUMMED];
	long registrations, confirmed;
	/* read ahead by sheets_read_ahead() during the pass */
	bool riders_loaded;  /* temp.roster_rider holds the mission's */
	struct spans *spans; /* the Caterer's dietary spans, or NULL */
};

struct category {
	char code[65], name[128];
	int64_t id;
	int number;
};

struct writer {
	fs_store *store;
	lxw_workbook *wb;
	lxw_error lerr; /* the first libxlsxwriter failure */
	const char *where;
	/* Never two equal formats: libxlsxwriter 1.1.4 gives the second no
	 * index of its own and hashes it again on every cell it formats. */
	lxw_format *head, *date, *datetime, *clock, *bold, *wrap, *title,
		*percent, *label, *box, *date_left, *clock_left;
	/* the same, aligned to the top, for the other cells of a row that
	 * a wrapped text makes taller (see row_lines()) */
	lxw_format *top, *date_top, *datetime_top, *clock_top, *percent_top;
	lxw_format *bold_wrap, *title_wrap, *label_top; /* a bus's heading */
	lxw_format *small_wrap; /* SMALL_POINTS, wrapped: Payment's texts */
	struct {
		char currency[4];
		lxw_format *money, *money_total, *money_top;
	} money[16];
	int n_money;
	struct category *categories; /* all of them, in number order */
	int n_categories;
	char buf[32768];
};

/* roster_print.c: cells */
void xl(struct writer *w, lxw_error e);
double text_width(const char *s);
void note_width(struct sheet *s, lxw_col_t col, double width);
const char *utf8_clean(const char *text, char *out, size_t max);
void utf8_cut(char *text, size_t max);
void put_text(struct writer *w, struct sheet *s, lxw_row_t row,
	      lxw_col_t col, const char *text, lxw_format *format);
void put_text_width(struct writer *w, struct sheet *s, lxw_row_t row,
		    lxw_col_t col, const char *text, lxw_format *format,
		    double width);
void put_number(struct writer *w, struct sheet *s, lxw_row_t row,
		lxw_col_t col, double value, lxw_format *format);
void put_formula(struct writer *w, struct sheet *s, lxw_row_t row,
		 lxw_col_t col, const char *formula, double value,
		 lxw_format *format);
void put_wrapped(struct writer *w, struct sheet *s, lxw_row_t row,
		 lxw_col_t col, const char *text, double width);
int wrap_lines(double text_w, double width);
int text_lines(const char *text, double width);
int capped_lines(const char *text, double text_w, double cap);
void row_lines(struct writer *w, struct sheet *s, lxw_row_t row, int lines);
void put_header(struct writer *w, struct sheet *s, lxw_row_t row,
		const char *const *names, int n);
void set_widths(struct writer *w, struct sheet *s, int n);
char col_letter(int col);
fs_err add_sheet(struct writer *w, struct sheet *s, const char *name,
		 const char *suffix);
void long_date(int64_t day, char *out, size_t size);
double day_value(const char *date);
double clock_value(const char *text);
double money_width(double value, const char *currency);

/* roster_print.c: pages.  Landscape or portrait A4, header and footer
 * (the mission, the sheet, the printed date, page N of M; extra is said
 * in the footer, say a day's date), the first title_rows rows on every
 * page, and a scale that keeps text at 8 pt or more: one page wide when
 * that holds, else 73 % (8 pt) with the first repeat_cols columns on
 * every page.  one_page: fit on one page when 8 pt allows it.  Call once
 * the widths are set. */
struct print {
	bool landscape, one_page;
	int title_rows, repeat_cols, n_cols;
	const char *extra;
};
void print_setup(struct writer *w, const struct mission *m,
		 struct sheet *s, const char *label, const struct print *p);

/* roster.c */
int category_by_id(const struct writer *w, int64_t id);
bool is_whole(const char *currency);

/* roster_money.c */
void roster_begin(struct writer *w, struct mission *m, struct sheet *s);
void roster_row(struct writer *w, struct mission *m, struct sheet *s,
		const char *const *v, const double *vw, int catno,
		const struct stay *st);
void roster_end(struct writer *w, struct mission *m, struct sheet *s,
		const double *sums);

struct category_sums {
	long registrations, confirmed, no_shows;
	double sums[N_SUMMED];
};
void bycat_write(struct writer *w, struct mission *m, struct sheet *s,
		 const char *roster, const struct category_sums *cats);
void rules_write(struct writer *w, struct mission *m, struct sheet *s);

struct payment {
	struct sheet sheet;
	long payees, page_rows;
	int page;
	lxw_row_t page_first;
	double page_sum, sum;
	double page_extra; /* points this page's rows take beyond 25 each */
	double org_width;  /* the narrowest the Organization column gets */
	lxw_row_t breaks[LXW_BREAKS_MAX + 1];
	int n_breaks;
};
void payment_begin(struct writer *w, struct mission *m, struct payment *p);
void payment_row(struct writer *w, struct mission *m, struct payment *p,
		 const char *const *v, const double *vw, lxw_row_t roster_row,
		 const struct stay *st);
void payment_end(struct writer *w, struct mission *m, struct payment *p);

/* roster_rows.c: a statement's rows read on a second thread.  Start with
 * the statement bound; integer columns (bits of int_cols) come as num[c],
 * the others as text[c] ("" for NULL).  A row is valid until the next
 * call; NULL after the last.  Between start and finish only the reader
 * touches the connection.  finish() stops the reader, resets the
 * statement and returns the last sqlite3_step() code (SQLITE_DONE when
 * every row was read, SQLITE_NOMEM when a copy failed).  idle, when not
 * NULL, runs once on the reader thread, when the ring is first full (the
 * main thread is behind) or after the last row: other reading for the
 * connection, done meanwhile; the main thread uses its results after
 * finish(). */
#define MAX_PIPE_COLS 13
#define PIPE_RING 256        /* rows read ahead */
#define PIPE_RING_LARGE 8192 /* with an idle job: rows for its length */
struct pipe_row {
	const char *text[MAX_PIPE_COLS];
	double width[MAX_PIPE_COLS]; /* text_width(), or -1: to clean first */
	int64_t num[MAX_PIPE_COLS];
};
struct row_pipe;
fs_err row_pipe_start(struct row_pipe **out, sqlite3_stmt *stmt, int n_cols,
		      uint32_t int_cols, unsigned ring, void (*idle)(void *),
		      void *idle_ctx);
const struct pipe_row *row_pipe_next(struct row_pipe *p);
int row_pipe_finish(struct row_pipe *p);

/* roster_sheets.c */
struct signin {
	struct sheet sheet;
	int64_t day;
	int n_sessions;
	long number;
};
fs_err signin_begin(struct writer *w, struct mission *m, int d,
		    struct signin *si);
void signin_row(struct writer *w, struct signin *si, const char *const *v,
		const double *vw);
void signin_end(struct writer *w, struct mission *m, struct signin *si);
fs_err visits_write(struct writer *w, struct mission *m, struct sheet *s);
fs_err caterer_write(struct writer *w, struct mission *m, struct sheet *s);
struct read_ahead {
	struct writer *w;
	struct mission *m;
};
void sheets_read_ahead(void *ctx); /* a struct read_ahead */
void spans_free(struct spans *l);  /* NULL is fine */

/* roster_agenda.c */
fs_err agenda_write(struct writer *w, struct mission *m, struct sheet *s);


/* roster.c: the parts of fs_roster_write() that fs_roster_write_dir()
 * (roster_many.c) shares. */
struct code_list {
	char **codes;
	size_t n, cap;
};
/* The codes of the missions named (each must exist, none twice), or of
 * every mission when n_codes is 0, into *list (released by
 * code_list_release()).  FS_ENOTFOUND, FS_EINPUT. */
fs_err roster_codes(struct code_list *list, fs_store *store,
		    const char *const *codes, size_t n_codes);
void code_list_release(struct code_list *list);
/* The workbook of the missions codes[0..n) written into the file named
 * tmp, in one read transaction of store (where names the file in
 * messages).  What libxlsxwriter says on stderr is not caught: the caller
 * wraps this in roster_catch_start() and roster_catch_end(). */
fs_err roster_build(fs_store *store, const char *tmp, const char *where,
		    char *const *codes, size_t n, fs_roster_stats *stats);
/* stderr caught in memory from _start() to _end(), which returns err with
 * libxlsxwriter's first line added to the detail when err is not FS_OK. */
struct stderr_catch {
	FILE *saved, *catch;
	char *said;
	size_t len;
};
void roster_catch_start(struct stderr_catch *c);
fs_err roster_catch_end(struct stderr_catch *c, fs_err err);

#endif
