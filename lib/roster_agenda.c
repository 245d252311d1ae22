/*
 * roster_agenda.c - the Agenda sheet of the roster workbook: every item of
 * the mission, a row each, its texts wrapped in rows as tall as they need.
 */
#include <stdlib.h>

#include "fieldschool/agenda.h"
#include "value.h"
#include "workbook.h"

/* --- Agenda --------------------------------------------------------------- */

static const char *const AGENDA_HEAD[] = { "Day", "Date", "Start", "End",
	"Kind", "Title", "Module", "Place", "Address", "Host", "Capacity",
	"Audience", "Facilitators", "Status", "Ref" };
#define AGENDA_COLS 15
#define AGENDA_WRAP 30 /* the text columns' widest: longer texts wrap */

/* The text columns and the field each shows (the others are numbers). */
static const struct {
	lxw_col_t col;
	int field;
} AGENDA_TEXT[] = {
	{ 4, FS_ITEM_KIND },	      { 5, FS_ITEM_TITLE },
	{ 6, FS_ITEM_MODULE },	      { 7, FS_ITEM_PLACE },
	{ 8, FS_ITEM_ADDRESS },	      { 9, FS_ITEM_HOST },
	{ 11, FS_ITEM_AUDIENCE },     { 12, FS_ITEM_FACILITATORS },
	{ 13, FS_ITEM_STATUS },	      { 14, FS_ITEM_REF },
};
#define AGENDA_TEXTS (sizeof(AGENDA_TEXT) / sizeof(AGENDA_TEXT[0]))

struct agenda_ctx {
	struct writer *w;
	struct sheet *s;
};

/* An item's row.  A text longer than its column wraps, the row as tall as
 * its longest and the row's other cells at the top; a row of short texts
 * is written as before, without a height or formats of its own. */
static fs_err
agenda_row(void *ctx, const char *const *v)
{
	struct agenda_ctx *a = ctx;
	struct writer *w = a->w;
	struct sheet *s = a->s;
	lxw_row_t r = s->row++;
	int64_t day = 0;
	long capacity = 0;
	int lines = 1;

	for (size_t i = 0; i < AGENDA_TEXTS; i++) {
		const char *text = v[AGENDA_TEXT[i].field];
		int n = capped_lines(text, text_width(text), AGENDA_WRAP);
		if (n > lines)
			lines = n;
	}
	bool tall = lines > 1;
	row_lines(w, s, r, lines);
	put_number(w, s, r, 0, atof(v[FS_ITEM_DAY]), tall ? w->top : NULL);
	if (!parse_date(v[FS_ITEM_DATE], &day))
		put_number(w, s, r, 1, (double)(day + EXCEL_EPOCH),
			   tall ? w->date_top : w->date);
	put_number(w, s, r, 2, clock_value(v[FS_ITEM_START]),
		   tall ? w->clock_top : w->clock);
	put_number(w, s, r, 3, clock_value(v[FS_ITEM_END]),
		   tall ? w->clock_top : w->clock);
	for (size_t i = 0; i < AGENDA_TEXTS; i++)
		put_text(w, s, r, AGENDA_TEXT[i].col, v[AGENDA_TEXT[i].field],
			 tall ? w->wrap : NULL);
	if (*v[FS_ITEM_CAPACITY] &&
	    !parse_int(v[FS_ITEM_CAPACITY], 0, 1000000, &capacity))
		put_number(w, s, r, 10, (double)capacity, tall ? w->top : NULL);
	return FS_OK;
}

fs_err
agenda_write(struct writer *w, struct mission *m, struct sheet *s)
{
	struct agenda_ctx ctx = { w, s };
	fs_err err;

	put_header(w, s, 0, AGENDA_HEAD, AGENDA_COLS);
	worksheet_freeze_panes(s->ws, 1, 0);
	s->row = 1;
	err = fs_agenda_format.each(w->store, m->code, NULL, agenda_row, &ctx);
	s->widths[0] = 5;
	s->widths[1] = 12;
	s->widths[2] = s->widths[3] = 7;
	for (int c = 4; c < AGENDA_COLS; c++)
		if (s->widths[c] > AGENDA_WRAP)
			s->widths[c] = AGENDA_WRAP;
	set_widths(w, s, AGENDA_COLS);
	print_setup(w, m, s, s->name,
		    &(struct print){ .landscape = true, .title_rows = 1,
				     .repeat_cols = 2, .n_cols = AGENDA_COLS });
	return err;
}
