/*
 * pdf.h - PDF documents with cairo and pango (lib-internal): a document
 * streamed page by page to a FILE, text fitted into boxes, QR codes.
 *
 * badge.c and certificate*.c draw with these; with pdf.c they are the only
 * files that include cairo and pango.  Text is shaped by HarfBuzz through
 * pango (Arabic joins, Devanagari conjuncts), in fonts named explicitly so
 * that every machine gives the same result; cairo embeds the subsets used.
 * Lengths are in PDF points (1/72 inch); PDF_MM converts millimetres.
 */
#ifndef FS_PDF_H
#define FS_PDF_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <cairo.h>
#include <pango/pangocairo.h>

#include "fieldschool/error.h"
#include "fieldschool/qr.h"

#define PDF_MM (72.0 / 25.4)

/* Debian's fonts-noto-core and fonts-noto-cjk: Latin, Greek and Cyrillic
 * first, then Arabic, Devanagari, the CJK font (which also holds Hangul
 * and kana).  Emoji get Noto Color Emoji (fonts-noto-color-emoji) by an
 * attribute on their runs (pdf.c).  Other scripts fall back to what
 * fontconfig finds. */
#define PDF_SANS                                                             \
	"Noto Sans, Noto Sans Arabic, Noto Sans Devanagari, Noto Sans CJK SC"
#define PDF_SERIF                                                            \
	"Noto Serif, Noto Naskh Arabic, Noto Serif Devanagari, "             \
	"Noto Serif CJK SC"

/* Texts already fitted, with their layouts, shared by the documents of
 * one run (pdf.c). */
struct pdf_texts;

struct pdf {
	cairo_surface_t *surface; /* NULL when drawing to a caller's cr */
	cairo_t *cr;
	struct pdf_texts *texts;
	FILE *out;
	bool write_failed;
	size_t pages;
	/* the CFF fonts drawn with (pdf.c): in the document, new on the
	 * page */
	uint64_t cff_used, cff_new;
};

/* Starts a document of pages w x h points written to out as it goes.
 * title goes into the document's metadata.  When texts is not NULL (from
 * pdf_texts_ref() of an earlier document, in the same thread: pango's
 * fonts are the thread's), the texts fitted there are reused: the
 * certificates of a run repeat most of their lines.  FS_ENOMEM. */
fs_err pdf_open(struct pdf *pdf, FILE *out, double w, double h,
		const char *title, struct pdf_texts *texts);
/* A reference to the document's fitted texts, to open the next documents
 * with; pdf_texts_unref() lets go of it. */
struct pdf_texts *pdf_texts_ref(const struct pdf *pdf);
void pdf_texts_unref(struct pdf_texts *texts); /* NULL is fine */
/* Lets go of the thread's fonts (pango's default font map is one a
 * thread): for threads that drew, before they end. */
void pdf_thread_done(void);
/* Draws with pdf_text() and pdf_qr() to cr instead (the tests' recording
 * surfaces); pdf_close() then only lets go of cr.  FS_ENOMEM. */
fs_err pdf_open_cr(struct pdf *pdf, cairo_t *cr);
/* Ends the page drawn so far and starts the next one.  FS_EIO when
 * writing failed.  This and pdf_close() wait for one another in all
 * threads when they embed a CFF font (pdf.c: cairo reads its whole
 * table, 24 MB for Noto Serif CJK). */
fs_err pdf_page(struct pdf *pdf);
/* Finishes the document (the last page must have been ended) and frees
 * it.  FS_EIO when writing failed.  Safe on a document never opened. */
fs_err pdf_close(struct pdf *pdf);

enum pdf_align { PDF_LEFT, PDF_CENTER, PDF_RIGHT };
enum pdf_valign { PDF_TOP, PDF_MIDDLE, PDF_BOTTOM };

struct pdf_style {
	const char *fonts; /* PDF_SANS or PDF_SERIF */
	double size;       /* points, when the text fits on one line */
	double min_size;   /* smallest size on one line, before wrapping */
	int max_lines;     /* lines when wrapping (0 or 1: never wraps) */
	int weight;        /* PANGO_WEIGHT_* (0: normal) */
	bool italic;
	enum pdf_align align;
	uint32_t rgb; /* 0xRRGGBB */
	double tracking; /* letter spacing, in points (0: none) */
};

/*
 * Draws text (UTF-8) inside the box x, y, w, h: at style->size on one line
 * when it fits; else at the size that makes it fit on one line, down to
 * min_size; else wrapped on up to max_lines lines, shrinking down to
 * two-thirds of min_size; else ellipsized.  Nothing is drawn outside the
 * box, counting both the glyphs' ink and the lines' logical extents.
 * Returns the height the text takes (0 for an empty text).
 *
 * The fitting (several layouts, each shaped by HarfBuzz) is done once per
 * text, style and box: a bounded cache keeps the last few hundred fitted
 * layouts, so that a category, a city or a common name is shaped once
 * for a whole run.  The colour (style->rgb) is not part of the fitting.
 */
double pdf_text(struct pdf *pdf, const char *text,
		const struct pdf_style *style, double x, double y, double w,
		double h, enum pdf_valign valign);

/* A QR code and the square (side size, corner x, y) it goes in, its quiet
 * zone included. */
struct pdf_qr_at {
	const fs_qr *qr;
	double x, y, size;
};

/* Draws n codes, each in its square: white, the modules black.  The
 * codes are side by side in one image, each drawn clipped to its own:
 * one PDF image a page rather than one a code, which cairo keeps
 * account of until the document ends. */
void pdf_qrs(struct pdf *pdf, const struct pdf_qr_at *codes, int n);

/* The source colour 0xRRGGBB. */
void pdf_rgb(cairo_t *cr, uint32_t rgb);

#endif
