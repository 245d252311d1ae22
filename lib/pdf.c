/* pdf.c - PDF documents with cairo and pango: streamed pages, fitted text,
 * QR codes. */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "fieldschool/handout.h"
#include "pdf.h"

static cairo_status_t
write_out(void *closure, const unsigned char *data, unsigned int length)
{
	struct pdf *pdf = closure;
	if (fwrite(data, 1, length, pdf->out) != length) {
		pdf->write_failed = true;
		return CAIRO_STATUS_WRITE_ERROR;
	}
	return CAIRO_STATUS_SUCCESS;
}

/* --- CFF fonts, one at a time --------------------------------------------- */

/*
 * cairo 1.16 reads the whole CFF table of a CFF (PostScript-flavoured
 * OpenType) font into memory, twice in each document that uses the font:
 * when a page first shows one of its glyphs (to see whether it is a CID
 * font) and when the document ends (to subset it).  For the Noto CJK
 * fonts that is 24 MB each time (Noto Serif CJK Bold, the names), the
 * other fonts we name being TrueType.  Certificates write two documents
 * at once (all.pdf and a person's own file, in two threads), and
 * sometimes three: with CJK names together (they sort last), two copies
 * were in memory at once, and the peak rose with the number of names.
 *
 * So the texts remember which CFF fonts they are drawn with, a document
 * which ones it used, and a page that brings the document a CFF font, or
 * the end of a document that used one, holds cff_lock: one such table in
 * memory at a time, in all threads.  Other pages and documents do not
 * wait.  A font is known by HarfBuzz's face (pango keeps one per font
 * file and thread); the first 63 faces get a bit of their own, the others
 * share the last one.
 */
static pthread_mutex_t cff_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t cff_faces_lock = PTHREAD_MUTEX_INITIALIZER;
static const void *cff_faces[63];
static int n_cff_faces;

/* The bit of font when it is a CFF font, else 0. */
static uint64_t
cff_bit(PangoFont *font)
{
	hb_font_t *hb = font ? pango_font_get_hb_font(font) : NULL;
	if (!hb)
		return 0;
	hb_face_t *face = hb_font_get_face(hb);
	hb_blob_t *cff = hb_face_reference_table(face, HB_TAG('C', 'F', 'F', ' '));
	hb_blob_t *cff2 = hb_face_reference_table(face,
						  HB_TAG('C', 'F', 'F', '2'));
	bool is_cff = hb_blob_get_length(cff) || hb_blob_get_length(cff2);
	hb_blob_destroy(cff);
	hb_blob_destroy(cff2);
	if (!is_cff)
		return 0;
	int i;
	pthread_mutex_lock(&cff_faces_lock);
	for (i = 0; i < n_cff_faces && cff_faces[i] != face; i++)
		;
	if (i == n_cff_faces && n_cff_faces < 63)
		cff_faces[n_cff_faces++] = face;
	pthread_mutex_unlock(&cff_faces_lock);
	return (uint64_t)1 << i;
}

/* The CFF fonts a laid-out text is drawn with. */
static uint64_t
layout_cff(PangoLayout *layout)
{
	PangoLayoutIter *iter = pango_layout_get_iter(layout);
	uint64_t fonts = 0;
	do {
		PangoLayoutRun *run = pango_layout_iter_get_run_readonly(iter);
		if (run)
			fonts |= cff_bit(run->item->analysis.font);
	} while (pango_layout_iter_next_run(iter));
	pango_layout_iter_free(iter);
	return fonts;
}

/* --- fitted texts, kept -------------------------------------------------- */

/*
 * Fitting a text shapes it several times (pdf_text); drawing the result
 * shapes nothing more.  A run of badges or certificates repeats most of
 * its texts (the category, the city, "GROUP", the group's letter, the
 * country, common names; on certificates every line but the name, the
 * hours and the number), so each fitted layout is kept in a slot chosen
 * by a hash of the text, the style and the box, and a text that comes
 * again is drawn from there.  A new text takes its slot's place: the
 * cache holds at most TEXT_SLOTS layouts (a few kilobytes each), however
 * long the run.
 */
#define TEXT_SLOTS 512

struct fitted {
	char *text; /* NULL: an empty slot; style.fonts follows it */
	uint64_t hash;
	struct pdf_style style; /* rgb unused */
	double w, h;
	enum pdf_valign valign;
	PangoLayout *layout;
	double dx, dy;     /* the layout's origin from the box's corner */
	double height;     /* what pdf_text() returns */
	bool clip;         /* clip to the box cx, cy, cw, ch (a last guard) */
	double cx, cy, cw, ch;
	uint64_t cff;      /* the CFF fonts it is drawn with (cff_bit) */
};

struct pdf_texts {
	int refs;
	PangoContext *context;
	struct fitted slots[TEXT_SLOTS];
};

static struct pdf_texts *
texts_new(cairo_t *cr)
{
	struct pdf_texts *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->refs = 1;
	t->context = pango_cairo_create_context(cr);
	if (!t->context) {
		free(t);
		return NULL;
	}
	/* Metrics as the font designs them, not snapped to a screen's
	 * pixels: the same layout whatever the output. */
	cairo_font_options_t *fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	pango_cairo_context_set_font_options(t->context, fo);
	cairo_font_options_destroy(fo);
	return t;
}

static void
fitted_clear(struct fitted *f)
{
	free(f->text);
	if (f->layout)
		g_object_unref(f->layout);
	memset(f, 0, sizeof(*f));
}

struct pdf_texts *
pdf_texts_ref(const struct pdf *pdf)
{
	if (pdf->texts)
		pdf->texts->refs++;
	return pdf->texts;
}

void
pdf_texts_unref(struct pdf_texts *t)
{
	if (!t || --t->refs > 0)
		return;
	for (int i = 0; i < TEXT_SLOTS; i++)
		fitted_clear(&t->slots[i]);
	g_object_unref(t->context);
	free(t);
}

/* --- documents -------------------------------------------------------------- */

fs_err
pdf_open(struct pdf *pdf, FILE *out, double w, double h, const char *title,
	 struct pdf_texts *texts)
{
	memset(pdf, 0, sizeof(*pdf));
	pdf->out = out;
	pdf->surface = cairo_pdf_surface_create_for_stream(write_out, pdf, w, h);
	if (cairo_surface_status(pdf->surface) != CAIRO_STATUS_SUCCESS)
		goto fail;
	cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_TITLE,
				       title);
	cairo_pdf_surface_set_metadata(pdf->surface,
				       CAIRO_PDF_METADATA_CREATOR,
				       "fieldschool");
	pdf->cr = cairo_create(pdf->surface);
	if (cairo_status(pdf->cr) != CAIRO_STATUS_SUCCESS)
		goto fail;
	if (texts) {
		pdf->texts = texts;
		pdf->texts->refs++;
	} else if (!(pdf->texts = texts_new(pdf->cr))) {
		goto fail;
	}
	return FS_OK;
fail:
	pdf_close(pdf);
	return fs_fail(FS_ENOMEM, "cannot start a PDF document");
}

fs_err
pdf_open_cr(struct pdf *pdf, cairo_t *cr)
{
	memset(pdf, 0, sizeof(*pdf));
	pdf->cr = cairo_reference(cr);
	if (!(pdf->texts = texts_new(cr))) {
		pdf_close(pdf);
		return fs_fail(FS_ENOMEM, "cannot draw text");
	}
	return FS_OK;
}

fs_err
pdf_page(struct pdf *pdf)
{
	/* the page is drawn into the PDF now, its fonts looked at */
	bool new_cff = pdf->cff_new != 0;
	if (new_cff)
		pthread_mutex_lock(&cff_lock);
	cairo_show_page(pdf->cr);
	if (new_cff)
		pthread_mutex_unlock(&cff_lock);
	pdf->cff_new = 0;
	pdf->pages++;
	if (pdf->write_failed || cairo_status(pdf->cr) != CAIRO_STATUS_SUCCESS)
		return fs_fail(FS_EIO, "writing a PDF page: %s",
			       pdf->write_failed ? "write error"
				: cairo_status_to_string(cairo_status(pdf->cr)));
	return FS_OK;
}

fs_err
pdf_close(struct pdf *pdf)
{
	cairo_status_t status = CAIRO_STATUS_SUCCESS;

	pdf_texts_unref(pdf->texts);
	if (pdf->cr) {
		status = cairo_status(pdf->cr);
		cairo_destroy(pdf->cr);
	}
	if (pdf->surface) {
		/* the fonts are subset now */
		bool cff = pdf->cff_used != 0;
		if (cff)
			pthread_mutex_lock(&cff_lock);
		cairo_surface_finish(pdf->surface);
		if (cff)
			pthread_mutex_unlock(&cff_lock);
		if (status == CAIRO_STATUS_SUCCESS)
			status = cairo_surface_status(pdf->surface);
		cairo_surface_destroy(pdf->surface);
	}
	bool failed = pdf->write_failed || status != CAIRO_STATUS_SUCCESS;
	const char *why = pdf->write_failed ? "write error"
					    : cairo_status_to_string(status);
	memset(pdf, 0, sizeof(*pdf));
	return failed ? fs_fail(FS_EIO, "writing a PDF document: %s", why)
		      : FS_OK;
}

void
pdf_thread_done(void)
{
	pango_cairo_font_map_set_default(NULL);
}

void
fs_handouts_cleanup(void)
{
	/* The font map holds the fonts, which hold cairo's scaled fonts.
	 * cairo's and fontconfig's own caches stay: they are reachable
	 * from their globals until exit, and cairo_debug_reset_static_data()
	 * asserts (and aborts) when pango still holds a scaled font. */
	pango_cairo_font_map_set_default(NULL);
}

void
pdf_rgb(cairo_t *cr, uint32_t rgb)
{
	cairo_set_source_rgb(cr, ((rgb >> 16) & 255) / 255.0,
			     ((rgb >> 8) & 255) / 255.0, (rgb & 255) / 255.0);
}

/* --- text in a box ------------------------------------------------------- */

struct extent {
	double x, y, w, h; /* from the layout's origin, points */
	int lines;
};

/* Sizes in quarter points: each size is a font instance for pango,
 * cairo and HarfBuzz, made once and cached, so sizes computed in
 * proportion would make a new one for nearly every text. */
static double
quarter(double size)
{
	return floor(size * 4) / 4;
}

static void
set_font(PangoLayout *layout, const struct pdf_style *st, double size)
{
	PangoFontDescription *d = pango_font_description_new();
	pango_font_description_set_family(d, st->fonts);
	pango_font_description_set_absolute_size(d, size * PANGO_SCALE);
	pango_font_description_set_weight(d, st->weight ? st->weight
						       : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(d, st->italic ? PANGO_STYLE_ITALIC
						       : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(layout, d);
	pango_font_description_free(d);
}

/* The union of the ink and logical rectangles: what pdftotext and the eye
 * both see. */
static struct extent
measure(PangoLayout *layout)
{
	PangoRectangle ink, logical;
	struct extent e;

	pango_layout_get_extents(layout, &ink, &logical);
	double x0 = logical.x, y0 = logical.y;
	double x1 = logical.x + logical.width, y1 = logical.y + logical.height;
	if (ink.width > 0 && ink.height > 0) {
		x0 = fmin(x0, ink.x);
		y0 = fmin(y0, ink.y);
		x1 = fmax(x1, ink.x + ink.width);
		y1 = fmax(y1, ink.y + ink.height);
	}
	e.x = x0 / PANGO_SCALE;
	e.y = y0 / PANGO_SCALE;
	e.w = (x1 - x0) / PANGO_SCALE;
	e.h = (y1 - y0) / PANGO_SCALE;
	e.lines = pango_layout_get_line_count(layout);
	return e;
}

static bool
fits(const struct extent *e, double w, double h, int max_lines)
{
	return e->w <= w && e->h <= h && e->lines <= max_lines;
}

/* Line breaks and tabs typed into a name become spaces: a name is one
 * paragraph. */
static char *
one_paragraph(const char *text)
{
	if (!strpbrk(text, "\n\r\t\v\f"))
		return NULL;
	char *copy = strdup(text);
	for (char *p = copy; p && *p; p++)
		if (strchr("\n\r\t\v\f", *p))
			*p = ' ';
	return copy;
}

/* Is c drawn from the emoji font?  Pictographs, dingbats and symbols,
 * flags (regional indicators, tags), and the joiners and modifiers that
 * build sequences. */
static bool
is_emoji(gunichar c)
{
	return (c >= 0x1f000 && c <= 0x1faff) || (c >= 0x2600 && c <= 0x27bf) ||
	       (c >= 0x2300 && c <= 0x23ff) || (c >= 0x2b00 && c <= 0x2bff) ||
	       (c >= 0xe0020 && c <= 0xe007f) || c == 0x200d || c == 0xfe0f ||
	       c == 0x20e3 || c == 0x3030 || c == 0x303d || c == 0x3297 ||
	       c == 0x3299 || c == 0x00a9 || c == 0x00ae || c == 0x2122;
}

/*
 * Gives the emoji in text the emoji font, and nothing else.  Naming Noto
 * Color Emoji in the font list would be simpler, but pango then draws
 * some digits with it (digits are keycap bases), as blank boxes; and
 * fontconfig's own fallback does not pick a colour font.  A digit, '#' or
 * '*' goes with the emoji only as a keycap (followed by U+FE0F or U+20E3).
 */
static bool
emoji_runs(PangoAttrList *attrs, const char *text)
{
	const char *p = text, *run = NULL, *prev = NULL;
	bool any = false;
	for (;;) {
		gunichar c = *p ? g_utf8_get_char(p) : 0;
		bool emoji = c && is_emoji(c);
		if (emoji && !run) {
			run = p;
			if ((c == 0xfe0f || c == 0x20e3) && prev &&
			    ((*prev >= '0' && *prev <= '9') || *prev == '#' ||
			     *prev == '*'))
				run = prev;
		} else if (!emoji && run) {
			PangoAttribute *a =
				pango_attr_family_new("Noto Color Emoji");
			a->start_index = (guint)(run - text);
			a->end_index = (guint)(p - text);
			pango_attr_list_insert(attrs, a);
			run = NULL;
			any = true;
		}
		if (!c)
			break;
		prev = p;
		p = g_utf8_next_char(p);
	}
	return any;
}

/* Lays text out in l for the box w x h (its corner at 0, 0): f gets where
 * to put the layout, the height it takes and whether to clip. */
static void
fit(struct fitted *f, PangoLayout *l, const char *text,
    const struct pdf_style *st, double w, double h, enum pdf_valign valign)
{
	int max_lines = st->max_lines > 1 ? st->max_lines : 1;
	double size = st->size, min = st->min_size > 0 ? st->min_size : size;
	double x = 0, y = 0;
	struct extent e;
	char *copy;

	copy = one_paragraph(text);
	pango_layout_set_text(l, copy ? copy : text, -1);
	free(copy);
	pango_layout_set_auto_dir(l, FALSE);
	pango_layout_set_width(l, -1);
	pango_layout_set_height(l, -1);
	pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_NONE);
	pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(l, st->align == PDF_CENTER ? PANGO_ALIGN_CENTER
				      : st->align == PDF_RIGHT ? PANGO_ALIGN_RIGHT
							       : PANGO_ALIGN_LEFT);
	PangoAttrList *attrs = pango_attr_list_new();
	if (st->tracking)
		pango_attr_list_insert(attrs, pango_attr_letter_spacing_new(
					       (int)(st->tracking * PANGO_SCALE)));
	bool has_emoji = emoji_runs(attrs, pango_layout_get_text(l));
	pango_layout_set_attributes(l, attrs);
	pango_attr_list_unref(attrs);
	/* Colour emoji are bitmaps that cairo draws somewhat larger than
	 * the extents pango reports: fit such a text in a smaller box. */
	if (has_emoji) {
		double ix = fmin(0.25 * st->size, 0.08 * w);
		double iy = fmin(0.125 * st->size, 0.12 * h);
		x += ix;
		w -= 2 * ix;
		y += iy;
		h -= 2 * iy;
	}

	/* 1. one line, shrinking: the size scales the extent nearly in
	 * proportion, so the first guess is close */
	set_font(l, st, size);
	e = measure(l);
	if (!fits(&e, w, h, 1)) {
		size = fmax(min, quarter(size * fmin(w / e.w, h / e.h)));
		for (;;) {
			set_font(l, st, size);
			e = measure(l);
			if (fits(&e, w, h, 1) || size <= min)
				break;
			size = fmax(min, quarter(size * 0.95));
		}
	}
	/* 2. wrapped on up to max_lines lines, shrinking further */
	if (!fits(&e, w, h, 1) && max_lines > 1) {
		double floor = min * 2 / 3;
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
		for (size = min;; size = fmax(floor, quarter(size * 0.93))) {
			set_font(l, st, size);
			e = measure(l);
			if (fits(&e, w, h, max_lines) || size <= floor)
				break;
		}
	}
	/* 3. cut short with an ellipsis; smaller still only for what no
	 * ellipsis helps (a tower of combining marks) */
	if (!fits(&e, w, h, max_lines)) {
		pango_layout_set_width(l, (int)(w * PANGO_SCALE));
		pango_layout_set_height(l, -max_lines);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		e = measure(l);
		while (!fits(&e, w, h, max_lines) && size > 1) {
			size = quarter(size * 0.85);
			set_font(l, st, size);
			e = measure(l);
		}
	}

	f->dx = x - e.x;
	f->dy = y - e.y;
	if (st->align == PDF_CENTER)
		f->dx += (w - e.w) / 2;
	else if (st->align == PDF_RIGHT)
		f->dx += w - e.w;
	if (valign == PDF_MIDDLE)
		f->dy += (h - e.h) / 2;
	else if (valign == PDF_BOTTOM)
		f->dy += h - e.h;
	f->clip = !fits(&e, w, h, max_lines); /* never seen; a last guard */
	f->cx = x;
	f->cy = y;
	f->cw = w;
	f->ch = h;
	f->height = fmin(e.h, h);
}

/* FNV-1a */
static uint64_t
hash_bytes(uint64_t hash, const void *data, size_t len)
{
	const unsigned char *p = data;
	for (size_t i = 0; i < len; i++)
		hash = (hash ^ p[i]) * 0x100000001b3ULL;
	return hash;
}

static uint64_t
fit_hash(const char *text, const struct pdf_style *st, double w, double h,
	 enum pdf_valign valign)
{
	uint64_t hash = hash_bytes(0xcbf29ce484222325ULL, text, strlen(text));
	hash = hash_bytes(hash, st->fonts, strlen(st->fonts));
	double numbers[] = { st->size, st->min_size, st->tracking, w, h };
	int ints[] = { st->max_lines, st->weight, st->italic, (int)st->align,
		       (int)valign };
	hash = hash_bytes(hash, numbers, sizeof(numbers));
	return hash_bytes(hash, ints, sizeof(ints));
}

static bool
same_fit(const struct fitted *f, uint64_t hash, const char *text,
	 const struct pdf_style *st, double w, double h,
	 enum pdf_valign valign)
{
	const struct pdf_style *fs = &f->style;
	return f->text && f->hash == hash && f->w == w && f->h == h &&
	       f->valign == valign && fs->size == st->size &&
	       fs->min_size == st->min_size && fs->tracking == st->tracking &&
	       fs->max_lines == st->max_lines && fs->weight == st->weight &&
	       fs->italic == st->italic && fs->align == st->align &&
	       !strcmp(fs->fonts, st->fonts) && !strcmp(f->text, text);
}

/* The fitted layout of text in its slot, fitted now if it is not there
 * (NULL when out of memory). */
static const struct fitted *
fitted_text(struct pdf_texts *t, const char *text, const struct pdf_style *st,
	    double w, double h, enum pdf_valign valign)
{
	uint64_t hash = fit_hash(text, st, w, h, valign);
	struct fitted *f = &t->slots[hash % TEXT_SLOTS];

	if (same_fit(f, hash, text, st, w, h, valign))
		return f;
	fitted_clear(f);
	size_t text_len = strlen(text), fonts_len = strlen(st->fonts);
	if (!(f->text = malloc(text_len + fonts_len + 2)))
		return NULL;
	memcpy(f->text, text, text_len + 1);
	memcpy(f->text + text_len + 1, st->fonts, fonts_len + 1);
	if (!(f->layout = pango_layout_new(t->context))) {
		fitted_clear(f);
		return NULL;
	}
	f->hash = hash;
	f->style = *st;
	f->style.fonts = f->text + text_len + 1;
	f->w = w;
	f->h = h;
	f->valign = valign;
	fit(f, f->layout, text, st, w, h, valign);
	f->cff = layout_cff(f->layout);
	return f;
}

double
pdf_text(struct pdf *pdf, const char *text, const struct pdf_style *st,
	 double x, double y, double w, double h, enum pdf_valign valign)
{
	if (!text || !*text)
		return 0;
	const struct fitted *f = fitted_text(pdf->texts, text, st, w, h,
					     valign);
	if (!f)
		return 0;
	pdf->cff_new |= f->cff & ~pdf->cff_used;
	pdf->cff_used |= f->cff;
	cairo_t *cr = pdf->cr;
	cairo_save(cr);
	if (f->clip) {
		cairo_rectangle(cr, x + f->cx, y + f->cy, f->cw, f->ch);
		cairo_clip(cr);
	}
	pdf_rgb(cr, st->rgb);
	cairo_move_to(cr, x + f->dx, y + f->dy);
	pango_cairo_show_layout(cr, f->layout);
	cairo_restore(cr);
	return f->height;
}

/* --- QR codes -------------------------------------------------------------- */

void
pdf_qrs(struct pdf *pdf, const struct pdf_qr_at *codes, int n)
{
	cairo_t *cr = pdf->cr;
	int width = 0, height = 0;

	for (int i = 0; i < n; i++) {
		int side = codes[i].qr->width + 2 * FS_QR_QUIET;
		width += side;
		if (side > height)
			height = side;
	}
	if (n == 0)
		return;
	/* One image of the modules, a pixel each, scaled up without
	 * smoothing: a few hundred bytes a code where rectangles would take
	 * tens of kilobytes of path (and most of the time). */
	cairo_surface_t *img = cairo_image_surface_create(CAIRO_FORMAT_A1,
							  width, height);
	if (cairo_surface_status(img) != CAIRO_STATUS_SUCCESS) {
		cairo_surface_destroy(img);
		return;
	}
	cairo_surface_flush(img);
	unsigned char *data = cairo_image_surface_get_data(img);
	int stride = cairo_image_surface_get_stride(img);
	/* A1: a bit per pixel in 32-bit words, the first pixel in the
	 * least significant bit on little-endian machines (pixman's order);
	 * a one-bit mask with a solid source becomes a PDF stencil mask */
	memset(data, 0, (size_t)stride * height);
	for (int i = 0, left = 0; i < n; i++) {
		const fs_qr *qr = codes[i].qr;
		int side = qr->width + 2 * FS_QR_QUIET;
		for (int row = 0; row < side; row++) {
			uint32_t *words = (uint32_t *)(void *)(data + row * stride);
			for (int col = 0; col < side; col++) {
				if (!fs_qr_dark(qr, col - FS_QR_QUIET,
						row - FS_QR_QUIET))
					continue;
				int at = left + col;
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
				words[at >> 5] |= 0x80000000u >> (at & 31);
#else
				words[at >> 5] |= 1u << (at & 31);
#endif
			}
		}
		left += side;
	}
	cairo_surface_mark_dirty(img);

	for (int i = 0, left = 0; i < n; i++) {
		const struct pdf_qr_at *c = &codes[i];
		int side = c->qr->width + 2 * FS_QR_QUIET;
		cairo_matrix_t to_code;
		cairo_save(cr);
		cairo_set_source_rgb(cr, 1, 1, 1);
		cairo_rectangle(cr, c->x, c->y, c->size, c->size);
		cairo_fill_preserve(cr);
		cairo_clip(cr);
		cairo_translate(cr, c->x, c->y);
		cairo_scale(cr, c->size / side, c->size / side);
		cairo_set_source_rgb(cr, 0, 0, 0);
		cairo_pattern_t *mask = cairo_pattern_create_for_surface(img);
		cairo_pattern_set_filter(mask, CAIRO_FILTER_NEAREST);
		cairo_matrix_init_translate(&to_code, left, 0);
		cairo_pattern_set_matrix(mask, &to_code);
		cairo_mask(cr, mask);
		cairo_pattern_destroy(mask);
		cairo_restore(cr);
		left += side;
	}
	cairo_surface_destroy(img);
}
