/*
 * certificate_page.c - one certificate of completion drawn, A4 landscape:
 * the mission, the person's name, days and hours, the modules, a line to
 * sign, the number and how to verify it.
 */
#include <stdio.h>
#include <stdlib.h>

#include "bidi.h"
#include "certificate.h"
#include "value.h"

static const char *const MONTHS[] = { "January", "February", "March",
	"April", "May", "June", "July", "August", "September", "October",
	"November", "December" };

static void
ymd(int64_t day, int *y, int *m, int *d)
{
	char buf[11];
	format_date(day, buf);
	sscanf(buf, "%d-%d-%d", y, m, d);
}

/* "13-16 September 2027", "30 September - 2 October 2027" (en dashes) */
static void
date_range(char *out, size_t size, int64_t first, int64_t last)
{
	int y1, m1, d1, y2, m2, d2;
	ymd(first, &y1, &m1, &d1);
	ymd(last, &y2, &m2, &d2);
	if (y1 == y2 && m1 == m2)
		snprintf(out, size, "%d\u2013%d %s %d", d1, d2, MONTHS[m2 - 1],
			 y2);
	else if (y1 == y2)
		snprintf(out, size, "%d %s \u2013 %d %s %d", d1, MONTHS[m1 - 1],
			 d2, MONTHS[m2 - 1], y2);
	else
		snprintf(out, size, "%d %s %d \u2013 %d %s %d", d1,
			 MONTHS[m1 - 1], y1, d2, MONTHS[m2 - 1], y2);
}

void
certificate_common(struct cert_common *out, const struct handout_mission *m)
{
	int y, mo, d;

	out->m = m;
	date_range(out->dates, sizeof(out->dates), m->first_day,
		   m->first_day + m->days - 1);
	ymd(m->first_day + m->days - 1, &y, &mo, &d);
	/* a city typed with U+202E must not reverse the date after it */
	char *city = bidi_isolated(m->city);
	snprintf(out->place_date, sizeof(out->place_date), "%s, %d %s %d",
		 city ? city : "", d, MONTHS[mo - 1], y);
	snprintf(out->city, sizeof(out->city), "%s", city ? city : "");
	free(city);
}

#define INK 0x1a1a1a
#define ACCENT 0x1d4e5f
#define GOLD 0xa8843a

static void
rule(cairo_t *cr, double x, double y, double w, double width, uint32_t rgb)
{
	cairo_save(cr);
	cairo_set_line_width(cr, width);
	pdf_rgb(cr, rgb);
	cairo_move_to(cr, x, y);
	cairo_line_to(cr, x + w, y);
	cairo_stroke(cr);
	cairo_restore(cr);
}

void
certificate_draw(struct pdf *pdf, const struct cert_common *c,
		 const struct cert *ct)
{
	const struct handout_mission *m = c->m;
	cairo_t *cr = pdf->cr;
	const double mm = PDF_MM, W = 297 * mm;
	char text[512];

	/* a double frame */
	cairo_save(cr);
	pdf_rgb(cr, ACCENT);
	cairo_set_line_width(cr, 2.4);
	cairo_rectangle(cr, 10 * mm, 10 * mm, W - 20 * mm, 190 * mm);
	cairo_stroke(cr);
	cairo_set_line_width(cr, 0.6);
	cairo_rectangle(cr, 13 * mm, 13 * mm, W - 26 * mm, 184 * mm);
	cairo_stroke(cr);
	cairo_restore(cr);

	double bx = 33.5 * mm, bw = W - 67 * mm;
	struct pdf_style heading = { PDF_SANS, 12, 9, 1, PANGO_WEIGHT_BOLD,
				     false, PDF_CENTER, ACCENT, 3.2 };
	pdf_text(pdf, "CERTIFICATE OF COMPLETION", &heading, bx, 25 * mm, bw,
		 8 * mm, PDF_MIDDLE);
	rule(cr, W / 2 - 20 * mm, 36 * mm, 40 * mm, 0.9, GOLD);

	struct pdf_style title = { PDF_SERIF, 21, 14, 2, PANGO_WEIGHT_BOLD,
				   false, PDF_CENTER, INK, 0 };
	pdf_text(pdf, m->title, &title, bx, 41 * mm, bw, 20 * mm, PDF_MIDDLE);
	struct pdf_style sub = { PDF_SANS, 11, 8, 1, 0, false, PDF_CENTER,
				 0x444444, 0.3 };
	snprintf(text, sizeof(text), "%s, %s  \u00b7  %s", c->city,
		 handout_country(m->country), c->dates);
	pdf_text(pdf, text, &sub, bx, 62 * mm, bw, 7 * mm, PDF_MIDDLE);

	struct pdf_style intro = { PDF_SERIF, 13, 11, 1, 0, true, PDF_CENTER,
				   0x333333, 0 };
	pdf_text(pdf, "This is to certify that", &intro, bx, 78 * mm, bw,
		 8 * mm, PDF_MIDDLE);
	struct pdf_style name = { PDF_SERIF, 34, 22, 2, PANGO_WEIGHT_BOLD,
				  false, PDF_CENTER, INK, 0 };
	pdf_text(pdf, ct->name, &name, bx, 87 * mm, bw, 24 * mm, PDF_MIDDLE);
	rule(cr, W / 2 - 70 * mm, 113 * mm, 140 * mm, 0.6, GOLD);

	char hours[32];
	if (ct->minutes % 60)
		snprintf(hours, sizeof(hours), "%ld h %02ld min",
			 ct->minutes / 60, ct->minutes % 60);
	else
		snprintf(hours, sizeof(hours), "%ld hours", ct->minutes / 60);
	snprintf(text, sizeof(text), "attended %ld of the %d days of the "
		 "field school, %s of sessions and site visits%s",
		 ct->days_present, m->days, hours,
		 *ct->modules ? ", on the curriculum modules" : "");
	struct pdf_style body = { PDF_SERIF, 12.5, 10, 2, 0, false, PDF_CENTER,
				  0x222222, 0 };
	pdf_text(pdf, text, &body, bx, 117 * mm, bw, 8 * mm, PDF_MIDDLE);
	/* one module a line (U+2028 breaks the line, not the paragraph) */
	struct pdf_style modules = { PDF_SANS, 10, 8, 6, 0, false, PDF_CENTER,
				     0x333333, 0 };
	pdf_text(pdf, ct->modules, &modules, bx + 10 * mm, 127 * mm,
		 bw - 20 * mm, 30 * mm, PDF_TOP);

	/* ready to sign: the organizer on the left, place and date on the
	 * right */
	double sy = 168 * mm, sw = 85 * mm;
	double lx = 40 * mm, rx = W - 40 * mm - sw;
	rule(cr, lx, sy, sw, 0.6, INK);
	rule(cr, rx, sy, sw, 0.6, INK);
	struct pdf_style signer = { PDF_SERIF, 12, 9, 1, PANGO_WEIGHT_BOLD,
				    false, PDF_CENTER, INK, 0 };
	struct pdf_style role = { PDF_SANS, 8.5, 7, 1, 0, false, PDF_CENTER,
				  0x555555, 0.3 };
	pdf_text(pdf, *m->contact_name ? m->contact_name : " ", &signer, lx,
		 sy + 1.5 * mm, sw, 6 * mm, PDF_TOP);
	pdf_text(pdf, "Organizer", &role, lx, sy + 7.5 * mm, sw, 4 * mm,
		 PDF_TOP);
	struct pdf_style place = { PDF_SERIF, 12, 9, 1, 0, false, PDF_CENTER,
				   INK, 0 };
	pdf_text(pdf, c->place_date, &place, rx, sy - 8 * mm, sw, 6.5 * mm,
		 PDF_BOTTOM);
	pdf_text(pdf, "Place and date", &role, rx, sy + 1.5 * mm, sw, 4 * mm,
		 PDF_TOP);

	/* the number and how to verify it */
	struct pdf_style number = { PDF_SANS, 8, 6, 1, PANGO_WEIGHT_BOLD,
				    false, PDF_CENTER, 0x333333, 0 };
	snprintf(text, sizeof(text), "Certificate no. %s", ct->number);
	pdf_text(pdf, text, &number, bx, 181 * mm, bw, 4 * mm, PDF_MIDDLE);
	if (*m->contact_email)
		snprintf(text, sizeof(text), "To verify this certificate, "
			 "write to %s quoting its number.", m->contact_email);
	else
		snprintf(text, sizeof(text), "To verify this certificate, "
			 "ask the organizer, quoting its number.");
	struct pdf_style verify = { PDF_SANS, 7.5, 6, 1, 0, false, PDF_CENTER,
				    0x666666, 0 };
	pdf_text(pdf, text, &verify, bx, 185.5 * mm, bw, 4 * mm, PDF_MIDDLE);
}
