/*
 * page_file.c - one page into a stream (`fieldschool page`), from the same
 * calendar and details that `publish` uses for its pages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/page.h"
#include "fieldschool/url.h"
#include "page.h"
#include "store.h"

/* The columns of Q_FEED_PEOPLE that a page reads. */
enum { P_REF = 1, P_GIVEN, P_FAMILY, P_CATEGORY, P_GROUP, P_ARRIVAL,
       P_DEPARTURE };

static bool
has_group(const struct cal_mission *m, const char *group)
{
	for (size_t i = 0; i < m->n_groups; i++)
		if (!strcmp(m->groups[i], group))
			return true;
	return false;
}

/* Renders the page of the person whose row stmt is on. */
static fs_err
render_person(struct buf *out, sqlite3_stmt *stmt, const struct cal_mission *m,
	      const struct page_info *info, const char *token)
{
	struct cal_person p = {
		.ref = store_text(stmt, P_REF),
		.given = store_text(stmt, P_GIVEN),
		.family = store_text(stmt, P_FAMILY),
		.category = store_text(stmt, P_CATEGORY),
		.group = store_text(stmt, P_GROUP),
		.arrival = store_text(stmt, P_ARRIVAL),
		.departure = store_text(stmt, P_DEPARTURE),
	};
	struct page_subject who = { FS_FEED_PARTICIPANT, NULL, &p, token };
	return page_render(out, m, info, &who);
}

fs_err
fs_page_write(fs_store *store, const char *mission, fs_feed_kind kind,
	      const char *key, FILE *out)
{
	struct cal_mission *m = NULL;
	struct page_info *info = NULL;
	fs_publication known = FS_PUBLICATION_INIT;
	struct buf text = BUF_INIT;
	char token[33] = "";
	sqlite3_stmt *stmt;
	fs_err err;

	if (kind == FS_FEED_FACILITATOR)
		return fs_fail(FS_EINPUT, "facilitators have feeds, not pages");
	if ((err = fs_publication_get(store, mission, &known)))
		return err;
	if (kind == FS_FEED_PARTICIPANT &&
	    (err = fs_token_get(store, key, mission, token)))
		goto done;
	if ((err = cal_mission_load(&m, store, mission)) ||
	    (err = page_info_load(&info, store, m, known.base_url)))
		goto done;
	if (kind == FS_FEED_GROUP) {
		struct page_subject who = { FS_FEED_GROUP, key, NULL, NULL };
		err = has_group(m, key) ? page_render(&text, m, info, &who)
					: fs_fail(FS_ENOTFOUND, "no group '%s' in "
						  "mission '%s'", key, mission);
	} else if (kind == FS_FEED_PARTICIPANT) {
		if ((err = store_stmt(store, Q_FEED_PEOPLE, &stmt)))
			goto done;
		sqlite3_bind_int64(stmt, 1, m->id);
		sqlite3_bind_text(stmt, 2, key, -1, SQLITE_STATIC);
		err = sqlite3_step(stmt) == SQLITE_ROW
			      ? render_person(&text, stmt, m, info, token)
			      : fs_fail(FS_ENOTFOUND, "participant '%s' is not "
					"registered for mission '%s' (or "
					"cancelled)", key, mission);
		sqlite3_reset(stmt);
	} else {
		struct page_subject who = { FS_FEED_MISSION, NULL, NULL, NULL };
		err = page_render(&text, m, info, &who);
	}
	if (!err && (fwrite(text.data, 1, text.len, out) != text.len ||
		     fflush(out) != 0))
		err = fs_fail(FS_EIO, "writing the page: %s", strerror(errno));
done:
	buf_release(&text);
	page_info_free(info);
	cal_mission_free(m);
	fs_publication_release(&known);
	return err;
}
