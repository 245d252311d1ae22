/*
 * publish.h - what the parts of publish share (lib-internal): publish.c
 * (feeds, a mission's directory, the whole publish), publish_tokens.c (the
 * tokens of personal feeds), publish_files.c (the writer threads and the
 * record of every file written) and publish_pages.c (the pages and
 * schedules).
 */
#ifndef FS_PUBLISH_H
#define FS_PUBLISH_H

#include <limits.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdint.h>

#include "calendar.h"
#include "fieldschool/feed.h"
#include "outdir.h"

struct writers;

struct publisher {
	fs_store *store;
	const fs_publish_options *opts;
	fs_publish_stats stats;
	struct outdir root; /* opts->dir */
	const char *dir;    /* its real path: the database's key */
	char *base;         /* the mission's base URL: opts->base_url, or the
			       one remembered; "" when none */
	struct writers *writers;
	fs_err failure;     /* the first failure of a writer */
	long done, total;
	long personal_files; /* feeds and pages published into the
				mission's p/ so far */
	bool pages;         /* publishing pages, not feeds: counted apart */
};

/* The file names of the mission's shared feeds (or pages), in a stable
 * order: names[0] the mission's, then groups, then facilitators. */
struct shared_names {
	char (*rel)[PATH_MAX / 4];
	size_t n;
};

/* --- publish_files.c: writing and remembering files */

/* The writer threads, idle; NULL when out of memory. */
struct writers *publish_writers_new(void);
void publish_writers_start(struct writers *w, long kill_after);
/* Joins the threads and frees the buffers (not w itself). */
void publish_writers_stop(struct writers *w);

typedef fs_err (*build_fn)(struct buf *out, void *ctx);

/* Publishes the file name in dir (which stays open until the writers are
 * collected).  When digest is 0 the file is built first and its digest is
 * a hash of its bytes; otherwise digest covers what build reads, and the
 * file is built only when it is not current. */
fs_err publish_file(struct publisher *pub, const struct outdir *dir,
		    const char *name, uint64_t digest, build_fn build,
		    void *ctx);
/* Waits for every file submitted; the first failure. */
fs_err publish_collect_all(struct publisher *pub);
/* Whether the file name in dir was made from digest and is untouched
 * since; *size gets its size (-1 when there is no such file). */
fs_err publish_is_current(struct publisher *pub, const struct outdir *dir,
			  const char *name, uint64_t digest, bool *current,
			  int64_t *size);
/* Remembers a written (or found unchanged) file in the database. */
fs_err publish_remember(struct publisher *pub, const char *rel,
			uint64_t digest, int64_t size, int64_t mtime);
/* The path of name in dir from the root ("mx-2027/p/TOKEN.ics"). */
void publish_rel_path(char *out, size_t size, const struct outdir *dir,
		      const char *name);
void publish_progress(struct publisher *pub);

/* --- publish_tokens.c */

/* Gives every registration of the mission that has none a token. */
fs_err publish_issue_tokens(fs_store *store, int64_t mission_id);

/* --- publish.c: what pages need of the feeds */

/* The columns of Q_FEED_PEOPLE. */
enum { P_ID, P_REF, P_GIVEN, P_FAMILY, P_CATEGORY, P_GROUP, P_ARRIVAL,
       P_DEPARTURE, P_TOKEN, P_SINCE, P_SEQUENCE, P_CHANGED };

void publish_person_of(sqlite3_stmt *row, struct cal_person *p);
/* A digest of everything a personal feed is made of. */
uint64_t publish_personal_digest(const struct cal_mission *m,
				 const struct cal_person *p);

/* --- publish_pages.c */

/* The mission's pages and schedules, once its feeds are in place; names
 * gets the shared pages' paths, which the sweep keeps. */
fs_err publish_pages(struct publisher *pub, const struct outdir *dir,
		     const struct outdir *p_dir, const struct cal_mission *m,
		     struct shared_names *names);
/* The top-level index.html listing missions (sorted), in a transaction
 * of its own. */
struct page_listed;
fs_err publish_top_index(struct publisher *pub, const struct page_listed *list,
			 size_t n);

/* --- publish_sweep.c */

/* Once the run's missions (run, their codes) are committed: writes the
 * landing page (when complete: no mission failed) and the manifest from
 * what DIR holds, forgets the files of DIR that are gone, and (when
 * complete) removes the files of missions this database removed. */
fs_err publish_finish(struct publisher *pub, const char *const *run,
		      size_t n_run, bool complete);
/* FS_EINPUT when DIR holds any of the missions codes (its directory is
 * there) as published from another database: publishing would replace
 * that database's files, and sweep its participants' feeds.  The one-line
 * detail names every such mission and the database that published it. */
fs_err publish_check_owners(struct publisher *pub, const char *const *codes,
			    size_t n);

#endif
