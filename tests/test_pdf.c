/*
 * test_pdf.c - lib/pdf.c: text fitted into a box never leaves it.  Each
 * text is drawn into a cairo recording surface, whose ink extents (what
 * the glyphs really cover) must lie inside the box; and a short text is
 * drawn at its full size; texts in CFF fonts are noticed.
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
	*rec = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(*rec);
	assert_int_equal(pdf_open_cr(pdf, cr), FS_OK);
	cairo_destroy(cr);
}

static void
release(struct pdf *pdf, cairo_surface_t *rec)
{
	assert_int_equal(pdf_close(pdf), FS_OK);
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
				/* the recording surface's ink extents are
				 * whole units, rounded out; text is placed
				 * at fractional positions (metrics are not
				 * hinted, as in a PDF) */
				double tol = 1.0;
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

/* The second drawing of a text (from pdf.c's cache) covers the same ink
 * as the first, moved with its box; another style is fitted anew, as a
 * fresh document fits it. */
static void
fitted_text_is_reused(void **state)
{
	(void)state;
	struct pdf_style st = { PDF_SANS, 24, 15, 2, PANGO_WEIGHT_BOLD, false,
				PDF_CENTER, 0, 0 };
	struct pdf_style small = st;
	small.size = 9;
	small.min_size = 6;
	static const char *const names[] = {
		"Ma. del Carmen \"Tess\" Santa Ana del Ángel", "محمد العلي",
		"王小明", "Ana 🌻 Santos",
	};
	for (int n = 0; n < 4; n++) {
		struct pdf pdf;
		cairo_surface_t *rec[2];
		double ink[2][4], used[2];
		recording(&pdf, &rec[0]);
		cairo_t *first = pdf.cr;
		for (int i = 0; i < 2; i++) {
			if (i == 1) { /* the same cache, another surface */
				rec[1] = cairo_recording_surface_create(
					CAIRO_CONTENT_COLOR_ALPHA, NULL);
				pdf.cr = cairo_create(rec[1]);
			}
			used[i] = pdf_text(&pdf, names[n], &st, 10 + 100 * i,
					   20 + 50 * i, 80, 30, PDF_BOTTOM);
			cairo_recording_surface_ink_extents(
				rec[i], &ink[i][0], &ink[i][1], &ink[i][2],
				&ink[i][3]);
		}
		assert_true(used[0] == used[1] && used[0] > 0);
		assert_true(ink[0][0] + 100 == ink[1][0]);
		assert_true(ink[0][1] + 50 == ink[1][1]);
		assert_true(ink[0][2] == ink[1][2] && ink[0][3] == ink[1][3]);
		double smaller = pdf_text(&pdf, names[n], &small, 0, 0, 80, 30,
					  PDF_TOP);
		cairo_destroy(pdf.cr);
		pdf.cr = first;
		cairo_surface_destroy(rec[1]);
		release(&pdf, rec[0]);
		/* as fitted by a document that never saw the large style */
		recording(&pdf, &rec[0]);
		assert_true(pdf_text(&pdf, names[n], &small, 0, 0, 80, 30,
				     PDF_TOP) == smaller);
		release(&pdf, rec[0]);
	}
}

/* Texts in a CFF font (Noto Serif CJK; the others we name are TrueType)
 * mark their document and the page that first used one: pdf_page() and
 * pdf_close() then subset such fonts one thread at a time. */
static void
cff_fonts_are_noticed(void **state)
{
	(void)state;
	struct pdf_style st = { PDF_SERIF, 24, 15, 2, PANGO_WEIGHT_BOLD, false,
				PDF_CENTER, 0, 0 };
	struct pdf pdf;
	cairo_surface_t *rec;

	recording(&pdf, &rec);
	pdf_text(&pdf, "Ma. del Carmen Santa Ana", &st, 0, 0, 200, 30,
		 PDF_TOP);
	pdf_text(&pdf, "محمد العلي", &st, 0, 40, 200, 30, PDF_TOP);
	assert_true(pdf.cff_used == 0 && pdf.cff_new == 0);
	pdf_text(&pdf, "王小明", &st, 0, 80, 200, 30, PDF_TOP);
	assert_true(pdf.cff_used != 0 && pdf.cff_new == pdf.cff_used);
	uint64_t cjk = pdf.cff_used;
	pdf.cff_new = 0; /* as pdf_page() leaves it */
	pdf_text(&pdf, "李小龍", &st, 0, 120, 200, 30, PDF_TOP);
	assert_true(pdf.cff_used == cjk && pdf.cff_new == 0);
	release(&pdf, rec);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_stays_in_box),
		cmocka_unit_test(short_text_keeps_its_size),
		cmocka_unit_test(fitted_text_is_reused),
		cmocka_unit_test(cff_fonts_are_noticed),
	};
	int failed = cmocka_run_group_tests(tests, NULL, NULL);
	fs_handouts_cleanup();
	return failed;
}
