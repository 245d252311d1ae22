/*
 * badge.c - name badges on sheets of labels, as PDF.
 *
 * One badge, 90 x 55 mm on the default sheet:
 *
 *   +------------------------------------------+
 *   | CATEGORY NAME (coloured band)      City  |
 *   | Given name (large, bold)        | GROUP |
 *   |                                 |   B   |
 *   | Family name                     +-------+
 *   | Organization                    |  QR   |
 *   | Country                         | code  |
 *   +------------------------------------------+
 *
 * The category's colour is one of seven whose lightness differs by steps
 * of about 12 L* units, so that they stay apart on a grey printer; the band
 * also names the category in words.  Every text is fitted in its box by
 * pdf_text() (shrink, wrap, ellipsize), so a long name never runs off.
 * Pages are streamed: one badge is drawn at a time, and nothing is kept
 * past its page (a page's QR codes are drawn together as it ends, from
 * one image: pdf_qrs()).
 *
 * Encoding a QR code (libqrencode tries the eight masks and scores each)
 * costs about as much as drawing the rest of the badge, so a second
 * thread encodes the codes of the next badges while this one draws: the
 * rows read from the database wait in a ring of AHEAD badges, each with
 * its own copy of its texts, until their code is ready.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/handout.h"
#include "fieldschool/qr.h"
#include "fieldschool/url.h"
#include "handouts.h"
#include "pdf.h"
#include "store.h"

const fs_badge_layout fs_badge_layouts[] = {
	{ "a4-8", "A4, 2 x 4 badges of 90 x 55 mm", 210, 297, 90, 55, 2, 4 },
	{ "a4-10", "A4, 2 x 5 business-card labels of 85 x 55 mm", 210, 297,
	  85, 55, 2, 5 },
	{ "letter-10", "US Letter, 2 x 5 business cards of 3.5 x 2 in", 215.9,
	  279.4, 88.9, 50.8, 2, 5 },
	{ NULL, NULL, 0, 0, 0, 0, 0, 0 },
};

const fs_badge_layout *
fs_badge_layout_find(const char *name)
{
	for (const fs_badge_layout *l = fs_badge_layouts; l->name; l++)
		if (!strcmp(l->name, name))
			return l;
	return NULL;
}

/* Category colours by category number (1-7, then again), darkest first:
 * L* about 20, 30, 40, 52, 62, 74, 86.  Text on them is white up to the
 * fourth, black after. */
static const uint32_t band_colours[] = {
	0x1f2f5c, /* navy */
	0x7a1f3d, /* wine */
	0x1d6b5a, /* teal */
	0xc0562b, /* rust */
	0x3b95d3, /* sky */
	0x93c255, /* leaf */
	0xf3d45c, /* sun */
};
#define FACILITATOR_COLOUR 0x222222u

struct badge {
	const char *given, *family, *organization, *country, *group;
	const char *band;      /* the category's name, or "Facilitator" */
	uint32_t band_colour;
	bool band_dark;        /* white text on the band */
	const char *url;       /* in the QR code */
};

/* A badge read, its QR code being encoded (or encoded). */
struct pending {
	struct badge b;
	char *texts; /* the strings of b, in one allocation */
	fs_qr qr;
	fs_err err;
	char detail[256];
	bool encoded;
};

#define AHEAD 64

struct encoder {
	pthread_t thread;
	bool has_thread;
	pthread_mutex_t lock;
	pthread_cond_t queued_more, encoded_one;
	struct pending ring[AHEAD];
	/* counters, slot = counter % AHEAD: queued >= taken >= drawn;
	 * taken: by the encoding thread */
	unsigned long queued, taken, drawn;
	/* who sleeps: each thread wakes the other only then, and the
	 * encoder only once a few badges wait, not at every badge */
	bool encoder_idle, drawer_waiting;
	bool stopping;
};

/* The codes of a page, drawn together when it ends (pdf_qrs) */
#define PAGE_QRS 16

struct sheet {
	struct pdf pdf;
	const fs_badge_layout *layout;
	const struct handout_mission *mission;
	size_t on_page;
	size_t badges;
	struct encoder enc;
	fs_qr qrs[PAGE_QRS];
	struct pdf_qr_at qr_at[PAGE_QRS];
	int n_qrs;
};

/* Draws the codes kept for the page and lets them go. */
static void
draw_qrs(struct sheet *s)
{
	for (int i = 0; i < s->n_qrs; i++)
		s->qr_at[i].qr = &s->qrs[i];
	pdf_qrs(&s->pdf, s->qr_at, s->n_qrs);
	for (int i = 0; i < s->n_qrs; i++)
		fs_qr_release(&s->qrs[i]);
	s->n_qrs = 0;
}

/* Keeps qr (taken from the caller) to be drawn in its square when the
 * page ends. */
static void
keep_qr(struct sheet *s, fs_qr *qr, double x, double y, double size)
{
	if (s->n_qrs == PAGE_QRS)
		draw_qrs(s);
	s->qrs[s->n_qrs] = *qr;
	*qr = (fs_qr)FS_QR_INIT;
	s->qr_at[s->n_qrs++] = (struct pdf_qr_at){ NULL, x, y, size };
}

static void
cut_marks(struct sheet *s)
{
	const fs_badge_layout *l = s->layout;
	cairo_t *cr = s->pdf.cr;
	double gw = l->cols * l->badge_w, gh = l->rows * l->badge_h;
	double x0 = (l->page_w - gw) / 2, y0 = (l->page_h - gh) / 2;
	double gap = 2, len = fmin(6, fmin(x0, y0) - gap - 1);

	if (len < 2)
		return;
	cairo_save(cr);
	cairo_scale(cr, PDF_MM, PDF_MM);
	cairo_set_line_width(cr, 0.1);
	cairo_set_source_rgb(cr, 0, 0, 0);
	for (int c = 0; c <= l->cols; c++) {
		double x = x0 + c * l->badge_w;
		cairo_move_to(cr, x, y0 - gap);
		cairo_line_to(cr, x, y0 - gap - len);
		cairo_move_to(cr, x, y0 + gh + gap);
		cairo_line_to(cr, x, y0 + gh + gap + len);
	}
	for (int r = 0; r <= l->rows; r++) {
		double y = y0 + r * l->badge_h;
		cairo_move_to(cr, x0 - gap, y);
		cairo_line_to(cr, x0 - gap - len, y);
		cairo_move_to(cr, x0 + gw + gap, y);
		cairo_line_to(cr, x0 + gw + gap + len, y);
	}
	cairo_stroke(cr);
	cairo_restore(cr);
}

/* Draws one badge with its top left corner at x, y (points). */
static void
draw_badge(struct sheet *s, const struct badge *b, fs_qr *qr, double x,
	   double y)
{
	struct pdf *pdf = &s->pdf;
	cairo_t *cr = pdf->cr;
	const double mm = PDF_MM;
	double w = s->layout->badge_w * mm, h = s->layout->badge_h * mm;
	double pad = 4 * mm, band = 10 * mm, col = 24 * mm;

	/* a hairline outline, for cutting by hand */
	cairo_save(cr);
	cairo_set_line_width(cr, 0.25);
	pdf_rgb(cr, 0xd0d0d0);
	cairo_rectangle(cr, x, y, w, h);
	cairo_stroke(cr);
	/* the band, to the badge's edges */
	pdf_rgb(cr, b->band_colour);
	cairo_rectangle(cr, x, y, w, band);
	cairo_fill(cr);
	cairo_restore(cr);

	uint32_t on_band = b->band_dark ? 0xffffff : 0x111111;
	struct pdf_style band_label = { PDF_SANS, 8.5, 5.5, 1,
					PANGO_WEIGHT_BOLD, false, PDF_LEFT,
					on_band, 0.4 };
	struct pdf_style band_city = { PDF_SANS, 7.5, 5, 1, 0, false,
				       PDF_RIGHT, on_band, 0 };
	double city_w = 26 * mm;
	pdf_text(pdf, b->band, &band_label, x + pad, y, w - 2 * pad - city_w -
		 2 * mm, band, PDF_MIDDLE);
	pdf_text(pdf, s->mission->city, &band_city, x + w - pad - city_w, y,
		 city_w, band, PDF_MIDDLE);

	/* the right-hand column: group, then the QR code at the bottom */
	double cx = x + w - pad - col + 1 * mm, cw = col - 1 * mm;
	double qr_size = fmin(cw, h - band - 2 * mm - 12 * mm);
	double qr_y = y + h - 2.5 * mm - qr_size;
	double top = y + band + 2.5 * mm;
	if (b->group && *b->group) {
		double gh = fmin(12 * mm, qr_y - top - 1.5 * mm);
		struct pdf_style caption = { PDF_SANS, 5.5, 4.5, 1,
					     PANGO_WEIGHT_BOLD, false,
					     PDF_CENTER, 0x555555, 0.6 };
		struct pdf_style letter = { PDF_SANS, 24, 9, 1,
					    PANGO_WEIGHT_BOLD, false,
					    PDF_CENTER, 0x111111, 0 };
		cairo_save(cr);
		cairo_set_line_width(cr, 0.8);
		pdf_rgb(cr, 0x111111);
		cairo_rectangle(cr, cx + 0.4, top + 0.4, cw - 0.8, gh - 0.8);
		cairo_stroke(cr);
		cairo_restore(cr);
		pdf_text(pdf, "GROUP", &caption, cx + 1 * mm, top + 0.8 * mm,
			 cw - 2 * mm, 2.6 * mm, PDF_TOP);
		pdf_text(pdf, b->group, &letter, cx + 1 * mm, top + 3.4 * mm,
			 cw - 2 * mm, gh - 4.2 * mm, PDF_MIDDLE);
	}
	keep_qr(s, qr, cx + (cw - qr_size) / 2, qr_y, qr_size);

	/* the left-hand column, from the bottom up */
	double lx = x + pad, lw = w - pad - col - 3 * mm - pad;
	double bottom = y + h - 3 * mm;
	double country_h = 4 * mm, org_h = 8 * mm, family_h = 9 * mm;
	double given_h = bottom - top - country_h - org_h - family_h - 2 * mm;
	struct pdf_style given = { PDF_SANS, 24, 15, 2, PANGO_WEIGHT_BOLD,
				   false, PDF_LEFT, 0x111111, 0 };
	struct pdf_style family = { PDF_SANS, 15, 10, 2, 0, false, PDF_LEFT,
				    0x111111, 0 };
	struct pdf_style org = { PDF_SANS, 8.5, 7, 2, 0, false, PDF_LEFT,
				 0x444444, 0 };
	struct pdf_style country = { PDF_SANS, 7.5, 6, 1, PANGO_WEIGHT_BOLD,
				     false, PDF_LEFT, 0x666666, 0.5 };
	double used = pdf_text(pdf, b->given, &given, lx, top, lw, given_h,
			       PDF_BOTTOM);
	(void)used;
	double fy = top + given_h + 0.5 * mm;
	pdf_text(pdf, b->family, &family, lx, fy, lw, family_h, PDF_TOP);
	pdf_text(pdf, b->organization, &org, lx, fy + family_h + 1 * mm, lw,
		 org_h, PDF_TOP);
	pdf_text(pdf, b->country, &country, lx, bottom - country_h, lw,
		 country_h, PDF_BOTTOM);
}

static fs_err
add_badge(struct sheet *s, const struct badge *b, fs_qr *qr)
{
	const fs_badge_layout *l = s->layout;
	size_t per_page = (size_t)l->cols * l->rows;

	if (s->on_page == 0)
		cut_marks(s);
	double x0 = (l->page_w - l->cols * l->badge_w) / 2;
	double y0 = (l->page_h - l->rows * l->badge_h) / 2;
	int c = (int)(s->on_page % l->cols), r = (int)(s->on_page / l->cols);
	draw_badge(s, b, qr, (x0 + c * l->badge_w) * PDF_MM,
		   (y0 + r * l->badge_h) * PDF_MM);
	s->badges++;
	if (++s->on_page == per_page) {
		s->on_page = 0;
		draw_qrs(s);
		return pdf_page(&s->pdf);
	}
	return FS_OK;
}

/* --- the badges waiting for their QR codes ------------------------------- */

static void
encode_pending(struct pending *p)
{
	if ((p->err = fs_qr_encode(&p->qr, p->b.url)))
		snprintf(p->detail, sizeof(p->detail), "%s", fs_errdetail());
}

static void
pending_clear(struct pending *p)
{
	free(p->texts);
	fs_qr_release(&p->qr);
	memset(p, 0, sizeof(*p));
}

/* p gets b, with copies of its strings (the row's go with the next
 * step).  FS_ENOMEM. */
static fs_err
pending_copy(struct pending *p, const struct badge *b)
{
	const char *from[] = { b->given, b->family, b->organization,
			       b->country, b->group, b->band, b->url };
	const char **to[] = { &p->b.given, &p->b.family,
			      &p->b.organization, &p->b.country,
			      &p->b.group, &p->b.band, &p->b.url };
	size_t len[7], total = 0;

	for (int i = 0; i < 7; i++)
		total += (len[i] = strlen(from[i])) + 1;
	if (!(p->texts = malloc(total)))
		return fs_fail(FS_ENOMEM, "out of memory");
	p->b = *b;
	char *at = p->texts;
	for (int i = 0; i < 7; i++) {
		memcpy(at, from[i], len[i] + 1);
		*to[i] = at;
		at += len[i] + 1;
	}
	return FS_OK;
}

/* The second thread: encodes the queued badges' codes in order. */
static void *
encoder_main(void *arg)
{
	struct encoder *e = arg;

	pthread_mutex_lock(&e->lock);
	for (;;) {
		while (!e->stopping && e->taken == e->queued) {
			e->encoder_idle = true;
			pthread_cond_wait(&e->queued_more, &e->lock);
		}
		e->encoder_idle = false;
		if (e->stopping)
			break;
		struct pending *p = &e->ring[e->taken++ % AHEAD];
		pthread_mutex_unlock(&e->lock);
		encode_pending(p);
		pthread_mutex_lock(&e->lock);
		p->encoded = true;
		if (e->drawer_waiting)
			pthread_cond_signal(&e->encoded_one);
	}
	pthread_mutex_unlock(&e->lock);
	return NULL;
}

/* Starts the encoding thread; without one (none could be made), each
 * code is encoded just before its badge is drawn. */
static void
encoder_start(struct encoder *e)
{
	memset(e, 0, sizeof(*e));
	pthread_mutex_init(&e->lock, NULL);
	pthread_cond_init(&e->queued_more, NULL);
	pthread_cond_init(&e->encoded_one, NULL);
	e->has_thread = pthread_create(&e->thread, NULL, encoder_main, e) == 0;
}

/* Stops the thread and drops the badges not drawn. */
static void
encoder_stop(struct encoder *e)
{
	if (e->has_thread) {
		pthread_mutex_lock(&e->lock);
		e->stopping = true;
		pthread_cond_signal(&e->queued_more);
		pthread_mutex_unlock(&e->lock);
		pthread_join(e->thread, NULL);
	}
	for (; e->drawn < e->queued; e->drawn++)
		pending_clear(&e->ring[e->drawn % AHEAD]);
	pthread_cond_destroy(&e->encoded_one);
	pthread_cond_destroy(&e->queued_more);
	pthread_mutex_destroy(&e->lock);
}

/* Draws the oldest badge queued, once its code is ready. */
static fs_err
draw_next(struct sheet *s)
{
	struct encoder *e = &s->enc;
	struct pending *p = &e->ring[e->drawn % AHEAD];
	fs_err err;

	if (e->has_thread) {
		pthread_mutex_lock(&e->lock);
		if (!p->encoded && e->encoder_idle)
			pthread_cond_signal(&e->queued_more);
		while (!p->encoded) {
			e->drawer_waiting = true;
			pthread_cond_wait(&e->encoded_one, &e->lock);
		}
		e->drawer_waiting = false;
		pthread_mutex_unlock(&e->lock);
	} else {
		encode_pending(p);
	}
	err = p->err ? fs_fail(p->err, "%s", p->detail)
		     : add_badge(s, &p->b, &p->qr);
	pending_clear(p);
	e->drawn++;
	return err;
}

/* Queues a badge, drawing the oldest when AHEAD are waiting. */
static fs_err
queue_badge(struct sheet *s, const struct badge *b)
{
	struct encoder *e = &s->enc;
	fs_err err;

	if (e->queued - e->drawn == AHEAD && (err = draw_next(s)))
		return err;
	if ((err = pending_copy(&e->ring[e->queued % AHEAD], b)))
		return err;
	pthread_mutex_lock(&e->lock);
	e->queued++;
	if (e->encoder_idle && e->queued - e->taken >= AHEAD / 4)
		pthread_cond_signal(&e->queued_more);
	pthread_mutex_unlock(&e->lock);
	return FS_OK;
}

/* Draws every badge still queued. */
static fs_err
draw_queued(struct sheet *s)
{
	fs_err err = FS_OK;
	while (!err && s->enc.drawn < s->enc.queued)
		err = draw_next(s);
	return err;
}

static fs_err
participant_badges(fs_store *store, struct sheet *s, const char *base)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(store, Q_HANDOUT_PEOPLE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, s->mission->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct badge b;
		char rel[256];
		int number = sqlite3_column_int(stmt, 5);
		int colour = (number > 0 ? number - 1 : 0) % 7;

		fs_path_personal(rel, sizeof(rel), s->mission->code,
				 store_text(stmt, 8), "html");
		b.given = store_text(stmt, 1);
		b.family = store_text(stmt, 2);
		b.organization = store_text(stmt, 3);
		b.country = handout_country(store_text(stmt, 4));
		b.band = store_text(stmt, 6);
		b.band_colour = band_colours[colour];
		b.band_dark = colour < 4;
		b.group = store_text(stmt, 7);
		char *url = fs_url_join(base, rel);
		if (!url) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		b.url = url;
		err = queue_badge(s, &b);
		free(url);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "listing participants");
	sqlite3_reset(stmt);
	return err;
}

static fs_err
facilitator_badges(fs_store *store, struct sheet *s, const char *base)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(store, Q_HANDOUT_FACILITATORS, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, s->mission->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct badge b = { 0 };
		char rel[512];

		fs_path_facilitator(rel, sizeof(rel), s->mission->code,
				    store_text(stmt, 0));
		b.given = store_text(stmt, 0);
		b.family = "";
		b.organization = store_text(stmt, 1);
		b.country = "";
		b.group = "";
		b.band = "Facilitator";
		b.band_colour = FACILITATOR_COLOUR;
		b.band_dark = true;
		char *url = fs_url_join(base, rel);
		if (!url) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		b.url = url;
		err = queue_badge(s, &b);
		free(url);
		if (err)
			break;
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "listing facilitators");
	sqlite3_reset(stmt);
	return err;
}

fs_err
fs_badges_write(fs_store *store, const char *mission,
		const fs_badge_options *opts, FILE *out, size_t *n_badges,
		size_t *n_pages)
{
	struct handout_mission m;
	struct sheet s = { 0 };
	char *base = NULL, *title = NULL;
	fs_err err, closed;

	if (n_badges)
		*n_badges = 0;
	if (n_pages)
		*n_pages = 0;
	if ((err = handout_mission_load(store, mission, &m)))
		return err;
	store_memory_small(store, true);
	if ((err = handout_base_url(store, mission, &base)))
		goto done;
	s.layout = opts && opts->layout ? opts->layout : &fs_badge_layouts[0];
	s.mission = &m;
	if (asprintf(&title, "Badges: %s", m.title) < 0) {
		title = NULL;
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if ((err = pdf_open(&s.pdf, out, s.layout->page_w * PDF_MM,
			    s.layout->page_h * PDF_MM, title, NULL)))
		goto done;
	encoder_start(&s.enc);
	err = opts && opts->facilitators ? facilitator_badges(store, &s, base)
					 : participant_badges(store, &s, base);
	if (!err)
		err = draw_queued(&s);
	encoder_stop(&s.enc);
	if (!err && s.badges == 0)
		err = fs_fail(FS_EINPUT, opts && opts->facilitators
				 ? "mission '%s' has no facilitators: no "
				   "badges to print"
				 : "mission '%s' has no confirmed "
				   "participants: no badges to print",
			      m.code);
	if (!err && s.on_page > 0) {
		draw_qrs(&s);
		err = pdf_page(&s.pdf);
	}
	for (int i = 0; i < s.n_qrs; i++)
		fs_qr_release(&s.qrs[i]);
	size_t pages = s.pdf.pages;
	closed = pdf_close(&s.pdf);
	if (!err)
		err = closed;
	if (!err) {
		if (n_badges)
			*n_badges = s.badges;
		if (n_pages)
			*n_pages = pages;
	}
done:
	store_memory_small(store, false);
	free(title);
	free(base);
	handout_mission_release(&m);
	return err;
}
