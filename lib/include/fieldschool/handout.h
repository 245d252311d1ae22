/*
 * fieldschool/handout.h - what people carry: name badges with QR codes,
 * certificates of completion (PDF), and the list of everyone's addresses
 * for mail merge.
 *
 * The addresses are those of `publish`: a participant's page is
 * BASE/M/p/TOKEN.html and their feed BASE/M/p/TOKEN.ics, BASE being the
 * base URL publish remembered for the mission (fieldschool/url.h).  Badges
 * and links need it: without one they fail with FS_EINPUT, naming
 * `publish --base-url`.  Registrations without a feed token get one first,
 * as publish would give them.
 */
#ifndef FIELDSCHOOL_HANDOUT_H
#define FIELDSCHOOL_HANDOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"

/* A sheet of labels: badge_w x badge_h millimetres, cols x rows on a page
 * of page_w x page_h, centred. */
typedef struct fs_badge_layout {
	const char *name;
	const char *summary;
	double page_w, page_h, badge_w, badge_h;
	int cols, rows;
} fs_badge_layout;

/* The layouts known, ending with a { NULL } entry; the first is the
 * default ("a4-8": 8 badges of 90 x 55 mm on A4). */
extern const fs_badge_layout fs_badge_layouts[];

/* The layout of that name; NULL when there is none. */
const fs_badge_layout *fs_badge_layout_find(const char *name);

typedef struct fs_badge_options {
	const fs_badge_layout *layout; /* NULL: the default */
	bool facilitators; /* the mission's facilitators, not participants */
} fs_badge_options;

/*
 * Writes to out a PDF of name badges for the confirmed participants of
 * mission (sorted by family name), or with opts->facilitators for the
 * facilitators of its agenda: given name large, family name,
 * organization, country, the group letter, the category as a coloured
 * band named in words, and a QR code of the person's page (a
 * facilitator's feed), with cut marks.  Pages are streamed: memory does
 * not grow with their number.  *n_badges and *n_pages (either may be
 * NULL) say how many.  FS_ENOTFOUND (mission), FS_EINPUT (no base URL),
 * FS_EIO.
 */
fs_err fs_badges_write(fs_store *store, const char *mission,
		       const fs_badge_options *opts, FILE *out,
		       size_t *n_badges, size_t *n_pages);

/* The columns of the links list. */
enum fs_link_column {
	FS_LINK_REF,
	FS_LINK_GIVEN_NAME,
	FS_LINK_FAMILY_NAME,
	FS_LINK_EMAIL,
	FS_LINK_LANGUAGE,
	FS_LINK_PAGE_URL,
	FS_LINK_FEED_URL,
	FS_LINK_WEBCAL_URL,
	FS_LINK__COUNT
};
extern const char *const fs_link_columns[FS_LINK__COUNT];

/*
 * Calls fn with FS_LINK__COUNT values for every registration of mission
 * that is not cancelled (applied, confirmed and waitlisted people all
 * have a page), sorted by family name.  FS_ENOTFOUND, FS_EINPUT (no base
 * URL), and what fn returns.
 */
fs_err fs_links(fs_store *store, const char *mission,
		fs_err (*fn)(void *ctx, const char *const *values), void *ctx);

/*
 * *out = how many of those registrations have a personal page that the
 * last publish of mission did not write (new people, or new tokens): the
 * addresses that links and badges give them answer 404 until the mission
 * is published again.  FS_ENOTFOUND.
 */
fs_err fs_handouts_unpublished(fs_store *store, const char *mission,
			       long *out);

/*
 * Writes a certificate of completion for every person who qualifies, as
 * fs_certificates() decides (min_percent of the mission's days), into dir
 * (created if needed): dir/REF.pdf each (the ref with bytes other than
 * letters, digits, '-', '_' and '.' percent-encoded) and dir/all.pdf with
 * every one, in the same order.  Every file is written under a temporary
 * name first and renamed once all are complete: a failure leaves dir as
 * it was.  Certificate numbers are issued on the first run and kept.
 * *n_out (may be NULL) gets the number of certificates.  FS_ENOTFOUND,
 * FS_EIO.
 */
fs_err fs_certificates_pdf(fs_store *store, const char *mission,
			   int min_percent, const char *dir, size_t *n_out);

/*
 * Looks up a certificate number: FS_OK and the mission code and the
 * participant's ref (caller frees both) when it is one this database
 * issued, FS_ENOTFOUND when it is not (a made-up or altered number).
 */
fs_err fs_certificate_verify(fs_store *store, const char *number,
			     char **mission_out, char **ref_out);

/* Frees the font map the PDF hand-outs loaded, and with it pango's
 * fonts, so that leak checkers see a clean exit (cairo's and
 * fontconfig's caches stay reachable from their globals).  Call at most
 * once, at the end, when no hand-out is being written. */
void fs_handouts_cleanup(void);

#endif
