/*
 * test_pdf.c - lib/pdf.c: text fitted into a box never leaves it.  Each
 * text is drawn into a cairo recording surface, whose ink extents (what
 * the glyphs really cover) must lie inside the box; and a short text is
 * drawn at its full size.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/handout.h"
#include "pdf.h"

/* A pdf whose drawing goes to a recording surface instead of a file. */
static void
recording(struct pdf *pdf, cairo_surface_t **rec)
{
	memset(pdf, 0, sizeof(*pdf));
	*rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	pdf->cr = cairo_create(*rec);
	pdf->layout = pango_cairo_create_layout(pdf->cr);
	pango_layout_set_auto_dir(pdf->layout, FALSE);
}

static void
release(struct pdf *pdf, cairo_surface_t *rec)
{
	g_object_unref(pdf->layout);
	cairo_destroy(pdf->cr);
	cairo_surface_destroy(rec);
}

static void
text_stays_in_box(void **state)
{
	(void)state;
	char longname[1024] = "";
	for (int i = 0; i < 25; i++)
		strcat(longname, "Maximiliano ");
	static const char *const texts[] = {
		"Q", "José Peña Ñúñez", "محمد العلي", "Mariam مريم Al-Farsi",
		"अनिल शर्मा", "김지민", "王小明", "Ana 🌻 Santos 👩‍👩‍👧",
		"Z\u0301\u0316\u0324\u0330\u0353\u035a\u0301\u0316\u0324\u0330"
		"\u0353\u035a\u0301\u0316\u0324\u0330\u0353\u035aalgo",
		"Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaft"
		"schaferswessenschafewarenwohlgepflegeundsorgfaltigkeit",
		"line\nbreak\ttab", NULL,
	};
	static const struct { double w, h; } boxes[] = {
		{ 150, 40 }, { 60, 20 }, { 20, 8 }, { 400, 60 },
	};
	struct pdf_style styles[] = {
		{ PDF_SANS, 24, 15, 2, PANGO_WEIGHT_BOLD, false, PDF_LEFT, 0, 0 },
		{ PDF_SERIF, 34, 22, 2, 0, true, PDF_CENTER, 0, 0 },
		{ PDF_SANS, 8, 6, 1, 0, false, PDF_RIGHT, 0, 0.5 },
	};
	for (int t = 0; t < 12; t++) {
		const char *text = t < 11 ? texts[t] : longname;
		for (size_t b = 0; b < sizeof(boxes) / sizeof(boxes[0]); b++) {
			for (size_t s = 0; s < 3; s++) {
				struct pdf pdf;
				cairo_surface_t *rec;
				double x, y, w, h, x0 = 30, y0 = 50;
				double tol = 0.5;
				recording(&pdf, &rec);
				double used = pdf_text(&pdf, text, &styles[s], x0,
						       y0, boxes[b].w,
						       boxes[b].h, PDF_MIDDLE);
				cairo_recording_surface_ink_extents(rec, &x, &y,
								    &w, &h);
				if (w > 0 && (x < x0 - tol || y < y0 - tol ||
					      x + w > x0 + boxes[b].w + tol ||
					      y + h > y0 + boxes[b].h + tol))
					fail_msg("'%s' in %gx%g (style %zu): "
						 "ink %g,%g %gx%g leaves the "
						 "box at %g,%g", text,
						 boxes[b].w, boxes[b].h, s, x,
						 y, w, h, x0, y0);
				assert_true(used <= boxes[b].h);
				assert_true(w > 0);
				release(&pdf, rec);
			}
		}
	}
}

/* A text that fits is drawn at the style's size: its height is about
 * the size's line height, not shrunk. */
static void
short_text_keeps_its_size(void **state)
{
	(void)state;
	struct pdf pdf;
	cairo_surface_t *rec;
	struct pdf_style st = { PDF_SANS, 20, 10, 2, 0, false, PDF_LEFT, 0, 0 };
	recording(&pdf, &rec);
	double used = pdf_text(&pdf, "Ana", &st, 0, 0, 300, 100, PDF_TOP);
	assert_true(used > 20 && used < 35);
	assert_true(pdf_text(&pdf, "", &st, 0, 0, 300, 100, PDF_TOP) == 0);
	release(&pdf, rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_stays_in_box),
		cmocka_unit_test(short_text_keeps_its_size),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	fs_handouts_cleanup();
	return failed;
}
