/*
 * publish_pages.c - the pages and schedules of a publish (page.c writes
 * them), with the same rules as the feeds: written after the feeds they
 * link to, atomically, and only when they changed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "page.h"
#include "publish.h"
#include "store.h"
#include "strmap.h"

/* A page, or a schedule, of a mission (page.h). */
struct page_job {
	const struct cal_mission *m;
	const struct page_info *info;
	struct page_subject who;
	enum { JOB_PAGE, JOB_XML, JOB_JSON } what;
};

static fs_err
build_page_file(struct buf *out, void *ctx)
{
	struct page_job *job = ctx;
	switch (job->what) {
	case JOB_XML:
		return schedule_xml(out, job->m, job->info);
	case JOB_JSON:
		return schedule_json(out, job->m, job->info);
	default:
		return page_render(out, job->m, job->info, &job->who);
	}
}

/* Folds a sample personal page into the pages' digest, as seal_format()
 * does for feeds: a build that writes pages differently rewrites them.
 * The name holds Hebrew and an unpaired U+202E, so that how a name is
 * isolated and its directional controls paired (bidi.h) is sealed too. */
static fs_err
seal_pages(struct page_info *info, const struct cal_mission *m)
{
	struct cal_person sample = { "ref", "Given \u05d0\u202e", "Family",
				     "lgu-focal", "A", "2000-01-01T10:00",
				     "2037-12-31", "", "", 0 };
	struct page_subject who = { FS_FEED_PARTICIPANT, NULL, &sample,
				    "0123456789abcdef0123456789abcdef" };
	struct buf text = BUF_INIT;
	fs_err err = page_render(&text, m, info, &who);
	if (!err)
		info->hash = hash_bytes(text.data, text.len, info->hash);
	buf_release(&text);
	return err;
}

/* The mission's shared pages (M/index.html, M/group-L.html) and
 * schedules, by name; the sweep keeps them. */
static fs_err
page_names(const struct cal_mission *m, struct shared_names *out)
{
	size_t n = 3 + m->n_groups;
	if (!(out->rel = calloc(n, sizeof(*out->rel))))
		return fs_fail(FS_ENOMEM, "out of memory");
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		struct page_subject who = { FS_FEED_MISSION, NULL, NULL, NULL };
		char feed[PATH_MAX / 4];
		if (i > 0 && i <= m->n_groups)
			who.kind = FS_FEED_GROUP, who.group = m->groups[i - 1];
		page_paths(out->rel[i], feed, sizeof(feed), m, &who);
	}
	snprintf(out->rel[n - 2], sizeof(out->rel[0]), "%s/schedule.xml",
		 m->code);
	snprintf(out->rel[n - 1], sizeof(out->rel[0]), "%s/schedule.json",
		 m->code);
	return FS_OK;
}

static fs_err
publish_personal_pages(struct publisher *pub, const struct outdir *p_dir,
		       const struct cal_mission *m,
		       const struct page_info *info)
{
	sqlite3_stmt *stmt;
	fs_err err;
	int rc;

	if ((err = store_stmt(pub->store, Q_FEED_PEOPLE, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, m->id);
	while (!err && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct cal_person p;
		const char *token = store_text(stmt, P_TOKEN);
		char name[80];
		publish_person_of(stmt, &p);
		struct page_job job = { m, info,
					{ FS_FEED_PARTICIPANT, NULL, &p, token },
					JOB_PAGE };
		snprintf(name, sizeof(name), "%s.html", token);
		/* what the page is made of: what the feed is, the mission's
		 * details and base URL, the token (in its links) */
		uint64_t digest = hash_bytes(
			token, strlen(token),
			publish_personal_digest(m, &p) ^ info->hash);
		err = publish_file(pub, p_dir, name, digest | 1,
				   build_page_file, &job);
		pub->personal_files++;
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(pub->store, "reading registrations");
	sqlite3_reset(stmt);
	return err;
}

/*
 * The mission's pages and schedules, written once its feeds are in place
 * (so that no page links to a feed not yet there).  Shared pages are
 * compared by their bytes; personal pages by a digest, like personal
 * feeds, so that a re-publish with no change builds none of them.
 */
fs_err
publish_pages(struct publisher *pub, const struct outdir *dir,
	      const struct outdir *p_dir, const struct cal_mission *m,
	      struct shared_names *names)
{
	struct page_info *info = NULL;
	struct timespec t0, t1;
	int64_t bytes = pub->stats.bytes;
	fs_err err;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pub->pages = true;
	if ((err = page_names(m, names)) ||
	    (err = page_info_load(&info, pub->store, m, pub->base)) ||
	    (err = seal_pages(info, m)))
		goto done;
	for (size_t i = 0; !err && i < names->n; i++) {
		struct page_job job = { m, info,
					{ FS_FEED_MISSION, NULL, NULL, NULL },
					JOB_PAGE };
		if (i == names->n - 2)
			job.what = JOB_XML;
		else if (i == names->n - 1)
			job.what = JOB_JSON;
		else if (i > 0)
			job.who.kind = FS_FEED_GROUP,
			job.who.group = m->groups[i - 1];
		err = publish_file(pub, dir, strrchr(names->rel[i], '/') + 1, 0,
				   build_page_file, &job);
	}
	if (!err)
		err = publish_personal_pages(pub, p_dir, m, info);
done:
	if (publish_collect_all(pub) && !err)
		err = pub->failure;
	page_info_free(info);
	pub->pages = false;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	pub->stats.page_bytes += pub->stats.bytes - bytes;
	pub->stats.page_seconds += (double)(t1.tv_sec - t0.tv_sec) +
				   (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return err;
}

/* The top-level index.html: the missions listed in the directory. */
struct top_index {
	const struct page_listed *list;
	size_t n;
};

static fs_err
build_top_index(struct buf *out, void *ctx)
{
	const struct top_index *top = ctx;
	return page_render_index(out, top->list, top->n);
}

fs_err
publish_top_index(struct publisher *pub, const struct page_listed *list,
		  size_t n)
{
	struct top_index top = { list, n };
	fs_err err;

	if ((err = fs_store_begin(pub->store)))
		return err;
	pub->pages = true;
	err = publish_file(pub, &pub->root, "index.html", 0, build_top_index,
			   &top);
	if (publish_collect_all(pub) && !err)
		err = pub->failure;
	pub->pages = false;
	if (err) {
		fs_store_rollback(pub->store);
		return err;
	}
	return fs_store_commit(pub->store);
}
