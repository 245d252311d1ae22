/*
 * page_file.c - what pages show of a mission beyond its calendar (its
 * details, the links of a subscription), and one page into a stream
 * (`fieldschool page`), from the same calendar and details that `publish`
 * uses for its pages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/page.h"
#include "fieldschool/url.h"
#include "page.h"
#include "store.h"
#include "strmap.h"

/* --- the links of a subscription ---------------------------------------- */

void
page_links_release(struct page_links *l)
{
	free(l->page);
	free(l->feed);
	free(l->webcal);
	free(l->google);
	free(l->outlook);
	free(l->office);
}

fs_err
page_links_make(struct page_links *l, const char *base, const char *page_rel,
		const char *feed_rel, const char *name)
{
	char *webcal_q = NULL, *feed_q = NULL, *name_q = NULL;
	bool ok;

	memset(l, 0, sizeof(*l));
	l->page = fs_url_join(base, page_rel);
	l->feed = fs_url_join(base, feed_rel);
	l->webcal = l->feed ? fs_url_webcal(l->feed) : NULL;
	ok = l->page && l->webcal && (webcal_q = fs_url_encode(l->webcal)) &&
	     (feed_q = fs_url_encode(l->feed)) && (name_q = fs_url_encode(name));
	if (ok)
		ok = asprintf(&l->google, "https://calendar.google.com/calendar/"
					  "render?cid=%s", webcal_q) >= 0 &&
		     asprintf(&l->outlook, "https://outlook.live.com/calendar/0/"
					   "addfromweb?url=%s&name=%s",
			      feed_q, name_q) >= 0 &&
		     asprintf(&l->office, "https://outlook.office.com/calendar/"
					  "0/addfromweb?url=%s&name=%s",
			      feed_q, name_q) >= 0;
	free(webcal_q);
	free(feed_q);
	free(name_q);
	if (!ok) {
		page_links_release(l);
		memset(l, 0, sizeof(*l));
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	return FS_OK;
}

/* --- the mission's details ----------------------------------------------- */

/* The columns of Q_PAGE_MISSION. */
enum { PM_COUNTRY, PM_VENUE, PM_ADDRESS, PM_LAT, PM_LON, PM_START, PM_DAYS };

static char *
dup_text(sqlite3_stmt *row, int col)
{
	return strdup(store_text(row, col));
}

fs_err
page_info_load(struct page_info **out, fs_store *store,
	       const struct cal_mission *m, const char *base)
{
	struct page_info *info = calloc(1, sizeof(*info));
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	*out = NULL;
	if (!info)
		return fs_fail(FS_ENOMEM, "out of memory");
	if ((err = store_stmt(store, Q_PAGE_MISSION, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, m->id);
	if ((rc = sqlite3_step(stmt)) != SQLITE_ROW) {
		sqlite3_reset(stmt);
		err = rc == SQLITE_DONE
			      ? fs_fail(FS_ENOTFOUND, "no mission '%s'", m->code)
			      : store_fail(store, "reading the mission");
		goto done;
	}
	info->country = dup_text(stmt, PM_COUNTRY);
	info->venue = dup_text(stmt, PM_VENUE);
	info->address = dup_text(stmt, PM_ADDRESS);
	info->start = dup_text(stmt, PM_START);
	info->days = sqlite3_column_int(stmt, PM_DAYS);
	info->has_geo = sqlite3_column_type(stmt, PM_LAT) != SQLITE_NULL &&
			sqlite3_column_type(stmt, PM_LON) != SQLITE_NULL;
	info->lat = sqlite3_column_double(stmt, PM_LAT);
	info->lon = sqlite3_column_double(stmt, PM_LON);
	info->base = strdup(base);
	sqlite3_reset(stmt);
	info->n_items = m->n_events;
	info->items = calloc(m->n_events ? m->n_events : 1,
			     sizeof(*info->items));
	if (!info->country || !info->venue || !info->address || !info->start ||
	    !info->base || !info->items) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if ((err = store_stmt(store, Q_PAGE_MODULES, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, m->id);
	while (!err && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct page_module *grown = realloc(
			info->modules, (info->n_modules + 1) * sizeof(*grown));
		if (!grown) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		info->modules = grown;
		struct page_module *mod = &grown[info->n_modules++];
		mod->label = dup_text(stmt, 0);
		mod->title = dup_text(stmt, 1);
		mod->topics = dup_text(stmt, 2);
		if (!mod->label || !mod->title || !mod->topics)
			err = fs_fail(FS_ENOMEM, "out of memory");
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading the modules");
	sqlite3_reset(stmt);
	if (err)
		goto done;

	const char *texts[] = { info->country, info->venue, info->address,
				info->start, info->base };
	/* how this build writes pages: publish.c seals a sample page in */
	uint64_t h = hash_bytes(&info->days, sizeof(info->days), 0);
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++)
		h = hash_bytes(texts[i], strlen(texts[i]) + 1, h);
	double geo[2] = { info->has_geo ? info->lat : 999,
			  info->has_geo ? info->lon : 999 };
	h = hash_bytes(geo, sizeof(geo), h);
	for (size_t i = 0; i < info->n_modules; i++) {
		const struct page_module *mod = &info->modules[i];
		h = hash_bytes(mod->label, strlen(mod->label) + 1, h);
		h = hash_bytes(mod->title, strlen(mod->title) + 1, h);
		h = hash_bytes(mod->topics, strlen(mod->topics) + 1, h);
	}
	info->hash = h;
done:
	if (err)
		page_info_free(info);
	else
		*out = info;
	return err;
}

void
page_info_free(struct page_info *info)
{
	if (!info)
		return;
	for (size_t i = 0; i < info->n_modules; i++) {
		free(info->modules[i].label);
		free(info->modules[i].title);
		free(info->modules[i].topics);
	}
	free(info->modules);
	for (size_t i = 0; info->items && i < info->n_items; i++)
		buf_release(&info->items[i]);
	free(info->items);
	free(info->country);
	free(info->venue);
	free(info->address);
	free(info->start);
	free(info->base);
	free(info);
}

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
