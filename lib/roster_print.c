/*
 * roster_print.c - the cells and pages of the roster workbook: text that
 * people typed written as text, column widths from what the cells hold,
 * and print set-up (A4, header and footer, print titles, a scale that
 * keeps 8 pt).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "workbook.h"

/* Records the first libxlsxwriter error. */
void
xl(struct writer *w, lxw_error e)
{
	if (e != LXW_NO_ERROR && w->lerr == LXW_NO_ERROR)
		w->lerr = e;
}

/* Display width of UTF-8 text, in characters. */
double
text_width(const char *s)
{
	double n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n += *p >= 0xE1 ? 2 : 1; /* CJK and emoji are wide */
	return n;
}

void
note_width(struct sheet *s, lxw_col_t col, double width)
{
	if (col < MAX_COLS && width > s->widths[col])
		s->widths[col] = width > MAX_WIDTH ? MAX_WIDTH : width;
}

/* Valid UTF-8 of at most max bytes: invalid bytes (text stored before
 * input was checked) become U+FFFD, and the text is cut at a character
 * boundary.  Returns text itself when it needs neither, else out. */
const char *
utf8_clean(const char *text, char *out, size_t max)
{
	size_t n = 0;
	const char *p = text;

	if (strlen(text) <= max && utf8_valid(text))
		return text;
	while (*p) {
		size_t len = fs_utf8_next(p, NULL);
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
void
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

/* put_text() for text whose width the reader thread measured
 * (roster_rows.c): -1 for text that must be cleaned first. */
void
put_text_width(struct writer *w, struct sheet *s, lxw_row_t row,
	       lxw_col_t col, const char *text, lxw_format *format,
	       double width)
{
	if (width < 0 || !*text) {
		put_text(w, s, row, col, text, format);
		return;
	}
	xl(w, worksheet_write_string(s->ws, row, col, text, format));
	note_width(s, col, width + 1);
}

/*
 * Wrapped rows.  A wrapped text prints as far as its row's height and is
 * cut there, so a row holding one gets the height of its longest text
 * (LINE_POINTS a line of 11 pt text).  In constant-memory mode a row's
 * height is written with the row: it is reckoned from the row's texts
 * before or while its cells are written, never in a second pass, and
 * without allocating.  A text takes about 15 % more characters than its
 * width (the words that do not fit at a line's end), or, in a narrow
 * column, the lines its words fill one after the other; characters are
 * counted, not bytes, wide CJK ones as two (text_width()).
 */
#define LINE_POINTS 15.0
#define MAX_LINES 27 /* 405 points: Excel's rows are at most 409 high */

/* The lines a text text_w characters wide takes wrapped in a column width
 * characters wide. */
int
wrap_lines(double text_w, double width)
{
	double lines = ceil(text_w * 1.15 / (width > 1 ? width : 1));
	if (lines < 1)
		return 1;
	return lines > MAX_LINES ? MAX_LINES : (int)lines;
}

/* Adds a word of n characters to a line at *line (0: the line is empty),
 * after a space when spaced; returns the lines it starts. */
static int
place_word(double *line, double n, bool spaced, double width)
{
	int more = 0;
	double gap = *line > 0 && spaced ? 1 : 0;

	if (*line > 0 && *line + gap + n > width) {
		more++;
		*line = gap = 0;
	}
	for (; n > width; n -= width) /* a word wider than the column */
		more++;
	*line += gap + n;
	return more;
}

/* The lines text takes wrapped at spaces, as a writer of the column would:
 * a line holds width - 1 characters, a wide (CJK) character counts two and
 * may end a line. */
static int
word_lines(const char *text, double width)
{
	double line = 0, word = 0;
	bool gap = false; /* a space before the next word */
	int lines = 1;

	width = width > 2 ? width - 1 : 1;
	for (const unsigned char *p = (const unsigned char *)text;; p++) {
		bool wide = *p >= 0xE1;
		if (*p && *p != ' ' && !wide) {
			if ((*p & 0xC0) != 0x80)
				word++;
			continue;
		}
		if (word > 0) {
			lines += place_word(&line, word, gap, width);
			gap = false;
			word = 0;
		}
		if (*p == ' ') {
			gap = true;
		} else if (wide) {
			lines += place_word(&line, 2, gap, width);
			gap = false;
		}
		if (!*p)
			return lines;
	}
}

/* The lines text takes wrapped in a column width characters wide: the
 * larger of the two reckonings (a narrow column loses more to its words'
 * ends than 15 %). */
int
text_lines(const char *text, double width)
{
	int by_width = wrap_lines(text_width(text), width);
	int by_words = word_lines(text, width);
	int lines = by_width > by_words ? by_width : by_words;
	return lines > MAX_LINES ? MAX_LINES : lines;
}

/* The same in a column as wide as its longest text but at most cap (its
 * width is known after its last row only): a text that fits under cap has
 * a column at least as wide, a longer one wraps at cap.  text_w is
 * text_width(text), often measured already. */
int
capped_lines(const char *text, double text_w, double cap)
{
	return text_w + 1 <= cap ? 1 : text_lines(text, cap);
}

/* Makes row tall enough for lines of text; one line keeps the default
 * height.  Call while row is the row being written (constant memory). */
void
row_lines(struct writer *w, struct sheet *s, lxw_row_t row, int lines)
{
	if (lines > 1)
		xl(w, worksheet_set_row(s->ws, row, LINE_POINTS * lines, NULL));
}

/* Wrapped text in a column width characters wide, its row made tall
 * enough for the lines.  Call before any other cell of the row: the row's
 * height is set with it. */
void
put_wrapped(struct writer *w, struct sheet *s, lxw_row_t row, lxw_col_t col,
	    const char *text, double width)
{
	int lines = text_lines(text, width);
	xl(w, worksheet_set_row(s->ws, row, LINE_POINTS * lines, NULL));
	text = utf8_clean(text, w->buf, 32767);
	xl(w, worksheet_write_string(s->ws, row, col, text, w->wrap));
}

void
put_number(struct writer *w, struct sheet *s, lxw_row_t row, lxw_col_t col,
	   double value, lxw_format *format)
{
	xl(w, worksheet_write_number(s->ws, row, col, value, format));
}

void
put_formula(struct writer *w, struct sheet *s, lxw_row_t row, lxw_col_t col,
	    const char *formula, double value, lxw_format *format)
{
	xl(w, worksheet_write_formula_num(s->ws, row, col, formula, format,
					  value));
}

void
put_header(struct writer *w, struct sheet *s, lxw_row_t row,
	   const char *const *names, int n)
{
	for (int c = 0; c < n; c++) {
		xl(w, worksheet_write_string(s->ws, row, (lxw_col_t)c, names[c],
					     w->head));
		note_width(s, (lxw_col_t)c, text_width(names[c]) + 3);
	}
}

void
set_widths(struct writer *w, struct sheet *s, int n)
{
	for (int c = 0; c < n && c < MAX_COLS; c++) {
		if (s->widths[c] < 6)
			s->widths[c] = 6;
		xl(w, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c,
					   s->widths[c], NULL));
	}
}

/* "A" for 0, "V" for 21 (the sheets have fewer than 27 columns). */
char
col_letter(int col)
{
	return (char)('A' + col);
}

fs_err
add_sheet(struct writer *w, struct sheet *s, const char *name,
	  const char *suffix)
{
	size_t n_name = strlen(name), n_suffix = strlen(suffix);

	memset(s, 0, sizeof(*s));
	/* Sheet names hold at most 31 characters: the callers keep within
	 * it ("Sign-in day 4" and a suffix of at most 15), and a name that
	 * did not fit would be an error here, never silently cut (nor a
	 * gcc -O2 -Wformat-truncation error in a Release build). */
	if (n_name + n_suffix >= sizeof(s->name))
		return fs_fail(FS_EIO, "%s: cannot add the sheet '%s%s': names "
			       "hold at most %zu characters", w->where, name,
			       suffix, sizeof(s->name) - 1);
	memcpy(s->name, name, n_name);
	memcpy(s->name + n_name, suffix, n_suffix + 1);
	if (!(s->ws = workbook_add_worksheet(w->wb, s->name)))
		return fs_fail(FS_EIO, "%s: cannot add the sheet '%s'",
			       w->where, s->name);
	return FS_OK;
}

/* Cuts text to at most max bytes, at a character boundary. */
void
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
		size_t len = fs_utf8_next(p, NULL);
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

void
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

/* An Excel date from "YYYY-MM-DD" (0 when it is not one). */
double
day_value(const char *date)
{
	int64_t day;
	return parse_date(date, &day) ? 0 : (double)(day + EXCEL_EPOCH);
}

double
clock_value(const char *text)
{
	int minutes = 0;
	if (parse_clock(text, &minutes))
		return 0;
	return minutes / 1440.0;
}

/* The width, in characters, that a money cell needs to show value in the
 * mission's format ("PHP 1,234,567.00"). */
double
money_width(double value, const char *currency)
{
	double digits = value >= 10 ? floor(log10(fabs(value))) + 1 : 1;
	return digits + floor((digits - 1) / 3) + (is_whole(currency) ? 0 : 3) +
	       (*currency ? 4 : 0) + (value < 0) + 2;
}

/* --- pages ----------------------------------------------------------------- */

/*
 * The printed size of a sheet.  A column of width w (in characters of the
 * default font, Calibri 11) is w * 7 + 5 pixels at 96 dpi in Excel, that
 * is 5.25 w + 3.75 points, but about 6.5 w points when LibreOffice prints
 * it (measured with pdftotext), of the width the file stores, w + 0.71
 * (libxlsxwriter adds the 5 pixels of padding): the larger is taken, so
 * that what fits fits in both.  Rows are 15 points unless set taller.  A4 is
 * 595 x 842 points; the margins below leave 770 x 487 points in landscape
 * and 523 x 734 in portrait.  Text prints at 11 pt times the scale: 8 pt
 * or more needs a scale of 73 % or more.
 */
#define A4_SHORT 595.28
#define A4_LONG 841.89
#define MARGIN_SIDE 0.5     /* inches */
#define MARGIN_TOP 0.75     /* inches, the header inside */
#define MIN_SCALE (8.0 / 11.0)

static double
columns_points(const struct sheet *s, int n)
{
	double points = 0;
	for (int c = 0; c < n && c < MAX_COLS; c++)
		points += (s->widths[c] + 0.72) * 6.5 + 3.75;
	return points;
}

void
print_setup(struct writer *w, const struct mission *m, struct sheet *s,
	    const char *label, const struct print *p)
{
	lxw_worksheet *ws = s->ws;
	char title[200], text[256], extra[120];
	double page_w = (p->landscape ? A4_LONG : A4_SHORT) - 2 * 72 * MARGIN_SIDE;
	double page_h = (p->landscape ? A4_SHORT : A4_LONG) - 2 * 72 * MARGIN_TOP;
	double wide = page_w / columns_points(s, p->n_cols);
	double tall = page_h / (15.0 * (s->row ? s->row : 1));

	if (p->landscape)
		worksheet_set_landscape(ws);
	else
		worksheet_set_portrait(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_set_margins(ws, MARGIN_SIDE, MARGIN_SIDE, MARGIN_TOP,
			      MARGIN_TOP);
	if (p->one_page && (wide < 1 || tall < 1) && wide >= MIN_SCALE &&
	    tall >= MIN_SCALE) {
		worksheet_fit_to_pages(ws, 1, 1);
	} else if (wide >= MIN_SCALE) {
		if (wide < 1)
			worksheet_fit_to_pages(ws, 1, 0);
	} else {
		/* too wide to shrink onto one page: the smallest print that
		 * keeps 8 pt, the identity columns on every page, and a row's
		 * pages one after the other */
		worksheet_set_print_scale(ws, 73);
		worksheet_print_across(ws);
		if (p->repeat_cols > 0)
			xl(w, worksheet_repeat_columns(
				      ws, 0, (lxw_col_t)(p->repeat_cols - 1)));
	}
	if (p->title_rows > 0)
		xl(w, worksheet_repeat_rows(ws, 0,
					    (lxw_row_t)(p->title_rows - 1)));

	/* '&' starts a code in headers and footers; 255 bytes at most */
	hf_escape(m ? m->title : "Field school rosters", title, 120);
	snprintf(text, sizeof(text), "&L&B%s&R%s", title, label);
	xl(w, worksheet_set_header(ws, text));
	hf_escape(p->extra ? p->extra : m ? m->code : "", extra,
		  sizeof(extra) - 40);
	snprintf(text, sizeof(text), "&L%s&CPrinted &D&RPage &P of &N", extra);
	xl(w, worksheet_set_footer(ws, text));
}
