/* handout.c - the links list for mail merge, and what the hand-outs share:
 * the mission, its base URL, country names. */
#include <stdlib.h>
#include <string.h>

#include "fieldschool/feed.h"
#include "fieldschool/handout.h"
#include "fieldschool/url.h"
#include "countries.h"
#include "handouts.h"
#include "store.h"
#include "value.h"

fs_err
handout_mission_load(fs_store *store, const char *code,
		     struct handout_mission *out)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((err = store_stmt(store, Q_HANDOUT_MISSION, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, code, -1, SQLITE_STATIC);
	if ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->id = sqlite3_column_int64(stmt, 0);
		out->code = strdup(store_text(stmt, 1));
		out->title = strdup(store_text(stmt, 2));
		out->city = strdup(store_text(stmt, 3));
		out->country = strdup(store_text(stmt, 4));
		if (parse_date(store_text(stmt, 5), &out->first_day))
			out->first_day = 0;
		out->days = sqlite3_column_int(stmt, 6);
		out->contact_name = strdup(store_text(stmt, 7));
		out->contact_email = strdup(store_text(stmt, 8));
		out->venue = strdup(store_text(stmt, 9));
	}
	sqlite3_reset(stmt);
	if (rc == SQLITE_DONE)
		return fs_fail(FS_ENOTFOUND, "no mission '%s'", code);
	if (rc != SQLITE_ROW)
		return store_fail(store, "reading a mission");
	if (!out->code || !out->title || !out->city || !out->country ||
	    !out->contact_name || !out->contact_email || !out->venue) {
		handout_mission_release(out);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	return FS_OK;
}

void
handout_mission_release(struct handout_mission *m)
{
	free(m->code);
	free(m->title);
	free(m->city);
	free(m->country);
	free(m->contact_name);
	free(m->contact_email);
	free(m->venue);
	memset(m, 0, sizeof(*m));
}

fs_err
handout_base_url(fs_store *store, const char *mission, char **out)
{
	fs_publication pub = FS_PUBLICATION_INIT;
	fs_err err;

	*out = NULL;
	if ((err = fs_publication_get(store, mission, &pub)))
		return err;
	if (!pub.base_url[0]) {
		fs_publication_release(&pub);
		return fs_fail(FS_EINPUT, "no base URL is known for '%s': the "
			       "addresses need one; publish the mission once "
			       "with 'fieldschool publish %s --out DIR "
			       "--base-url URL'", mission, mission);
	}
	*out = pub.base_url;
	pub.base_url = NULL;
	fs_publication_release(&pub);
	if ((err = fs_tokens_issue(store, mission))) {
		free(*out);
		*out = NULL;
	}
	return err;
}

fs_err
fs_handouts_unpublished(fs_store *store, const char *mission, long *out)
{
	fs_publication pub = FS_PUBLICATION_INIT;
	sqlite3_stmt *stmt;
	struct mission_info info;
	fs_err err;

	*out = 0;
	if ((err = mission_lookup(store, mission, &info)) ||
	    (err = fs_publication_get(store, mission, &pub)))
		return err;
	if ((err = store_stmt(store, Q_HANDOUT_UNPUBLISHED, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, info.id);
	store_bind_text(stmt, 2, pub.dir ? pub.dir : "");
	store_bind_text(stmt, 3, info.code);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		*out = sqlite3_column_int64(stmt, 0);
	else
		err = store_fail(store, "counting unpublished pages");
	sqlite3_reset(stmt);
done:
	fs_publication_release(&pub);
	return err;
}

const char *
handout_country(const char *code)
{
	const struct country *c = country_find(code);
	return c ? c->name : code;
}

/* --- links --------------------------------------------------------------- */

const char *const fs_link_columns[FS_LINK__COUNT] = {
	[FS_LINK_REF] = "ref",
	[FS_LINK_GIVEN_NAME] = "given_name",
	[FS_LINK_FAMILY_NAME] = "family_name",
	[FS_LINK_EMAIL] = "email",
	[FS_LINK_LANGUAGE] = "language",
	[FS_LINK_PAGE_URL] = "page_url",
	[FS_LINK_FEED_URL] = "feed_url",
	[FS_LINK_WEBCAL_URL] = "webcal_url",
};

fs_err
fs_links(fs_store *store, const char *mission,
	 fs_err (*fn)(void *ctx, const char *const *values), void *ctx)
{
	struct handout_mission m;
	sqlite3_stmt *stmt = NULL;
	char *base = NULL;
	fs_err err;
	int rc;

	if ((err = handout_mission_load(store, mission, &m)))
		return err;
	if ((err = handout_base_url(store, mission, &base)) ||
	    (err = store_stmt(store, Q_HANDOUT_LINKS, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, m.id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *v[FS_LINK__COUNT];
		char page[256], feed[256];
		fs_path_personal(page, sizeof(page), m.code,
				 store_text(stmt, 5), "html");
		fs_path_personal(feed, sizeof(feed), m.code,
				 store_text(stmt, 5), "ics");
		char *page_url = fs_url_join(base, page);
		char *feed_url = fs_url_join(base, feed);
		char *webcal = feed_url ? fs_url_webcal(feed_url) : NULL;
		if (!page_url || !feed_url || !webcal) {
			err = fs_fail(FS_ENOMEM, "out of memory");
		} else {
			for (int i = 0; i < 5; i++)
				v[i] = store_text(stmt, i);
			v[FS_LINK_PAGE_URL] = page_url;
			v[FS_LINK_FEED_URL] = feed_url;
			v[FS_LINK_WEBCAL_URL] = webcal;
			err = fn(ctx, v);
		}
		free(page_url);
		free(feed_url);
		free(webcal);
		if (err)
			goto done;
	}
	if (rc != SQLITE_DONE)
		err = store_fail(store, "listing participants");
done:
	if (stmt)
		sqlite3_reset(stmt);
	free(base);
	handout_mission_release(&m);
	return err;
}
