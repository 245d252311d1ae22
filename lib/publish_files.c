/*
 * publish_files.c - the files of a publish: written by threads, each
 * atomically, and remembered in the database (feed_file) so that the
 * next publish leaves an unchanged file untouched (publish.c says how).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "publish.h"
#include "store.h"
#include "strmap.h"

/*
 * Creating a file costs the kernel more than building its feed costs us
 * (an inode, a directory entry, page cache), so the main thread builds
 * feeds while WRITERS threads write them: a ring of SLOTS buffers, filled
 * in order, written in any order, collected in order (the database, which
 * remembers what was written, is the main thread's alone).  Memory stays
 * SLOTS feeds, whatever the number of participants.
 */
#define SLOTS 64
#define WRITERS 1

struct slot {
	const struct outdir *dir; /* open until the slot is collected */
	char name[PATH_MAX / 8];  /* in dir */
	char rel[PATH_MAX / 4];   /* from the root: the database's key */
	uint64_t digest;
	mode_t mode;
	bool compare;       /* a file of this size is there: compare first */
	struct buf content;
	bool done;
	/* the result */
	fs_err err;
	char detail[512];
	bool written;
	int64_t size, mtime;
};

struct writers {
	pthread_t threads[WRITERS];
	int n_threads;
	pthread_mutex_t lock;
	pthread_cond_t ready, done;
	struct slot slots[SLOTS];
	/* counters, slot = counter % SLOTS: submitted >= taken >= collected */
	unsigned long submitted, taken, collected;
	/* who sleeps: a signal (a futex call) only for a sleeper, and the
	 * collector only once half the ring is written, not for each slot */
	int idle_writers;
	bool collector_waits;
	unsigned long finished, wake_at;
	bool stopping;
	long files_written, kill_after;
};

/* Writes one slot's file (any thread). */
static void
write_slot(struct writers *w, struct slot *s)
{
	struct stat st;

	s->err = FS_OK;
	s->written = false;
	if (s->compare &&
	    outdir_equals(s->dir, s->name, s->content.data, s->content.len) &&
	    outdir_stat(s->dir, s->name, &st) && S_ISREG(st.st_mode)) {
		s->size = st.st_size;
		s->mtime = outdir_mtime(&st);
		return;
	}
	if ((s->err = outdir_replace(s->dir, s->name, s->content.data,
				     s->content.len, s->mode, &st))) {
		snprintf(s->detail, sizeof(s->detail), "%s", fs_errdetail());
		return;
	}
	s->written = true;
	s->size = st.st_size;
	s->mtime = outdir_mtime(&st);
	/* The test hook that kills a publish part-way, to prove the claim
	 * above: FIELDSCHOOL_TEST_KILL_AFTER=N ends the process after N
	 * files. */
	if (w->kill_after > 0) {
		pthread_mutex_lock(&w->lock);
		bool kill = ++w->files_written >= w->kill_after;
		pthread_mutex_unlock(&w->lock);
		if (kill)
			raise(SIGKILL);
	}
}

static void *
writer_main(void *arg)
{
	struct writers *w = arg;

	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->stopping && w->taken == w->submitted) {
			w->idle_writers++;
			pthread_cond_wait(&w->ready, &w->lock);
			w->idle_writers--;
		}
		if (w->taken == w->submitted)
			break; /* stopping, and nothing left */
		struct slot *s = &w->slots[w->taken++ % SLOTS];
		pthread_mutex_unlock(&w->lock);
		write_slot(w, s);
		pthread_mutex_lock(&w->lock);
		s->done = true;
		if (++w->finished >= w->wake_at && w->collector_waits)
			pthread_cond_broadcast(&w->done);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

void
publish_writers_start(struct writers *w, long kill_after)
{
	memset(w, 0, sizeof(*w));
	w->kill_after = kill_after;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->ready, NULL);
	pthread_cond_init(&w->done, NULL);
	/* without threads, slots are written as they are submitted */
	while (w->n_threads < WRITERS &&
	       pthread_create(&w->threads[w->n_threads], NULL, writer_main,
			      w) == 0)
		w->n_threads++;
}

void
publish_writers_stop(struct writers *w)
{
	pthread_mutex_lock(&w->lock);
	w->stopping = true;
	pthread_cond_broadcast(&w->ready);
	pthread_mutex_unlock(&w->lock);
	for (int i = 0; i < w->n_threads; i++)
		pthread_join(w->threads[i], NULL);
	for (int i = 0; i < SLOTS; i++)
		buf_release(&w->slots[i].content);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->ready);
	pthread_cond_destroy(&w->done);
}

/* Remembers a written (or found unchanged) file in the database. */
fs_err
publish_remember(struct publisher *pub, const char *rel, uint64_t digest,
	 int64_t size, int64_t mtime)
{
	sqlite3_stmt *stmt;
	fs_err err = store_stmt(pub->store, Q_FEED_FILE_PUT, &stmt);
	if (err)
		return err;
	sqlite3_bind_text(stmt, 1, pub->dir, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, rel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(stmt, 3, (int64_t)digest);
	sqlite3_bind_int64(stmt, 4, size);
	sqlite3_bind_int64(stmt, 5, mtime);
	return store_done(pub->store, stmt, "remembering a published file");
}

/* Collects the oldest submitted slot: waits for it, records its result.
 * The first failure is kept in pub->failure and returned. */
static fs_err
collect_one(struct publisher *pub)
{
	struct writers *w = pub->writers;
	struct slot *s = &w->slots[w->collected % SLOTS];
	fs_err err;

	pthread_mutex_lock(&w->lock);
	while (!s->done) {
		unsigned long half = w->collected + SLOTS / 2;
		w->wake_at = half < w->submitted ? half : w->submitted;
		w->collector_waits = true;
		pthread_cond_wait(&w->done, &w->lock);
		w->collector_waits = false;
	}
	pthread_mutex_unlock(&w->lock);
	w->collected++;
	if (s->err) {
		if (!pub->failure)
			pub->failure = fs_fail(s->err, "%s", s->detail);
		return pub->failure;
	}
	if (s->written) {
		pub->stats.written++;
		pub->stats.bytes += (int64_t)s->content.len;
	} else {
		pub->stats.unchanged++;
	}
	if ((err = publish_remember(pub, s->rel, s->digest, s->size,
				    s->mtime)) &&
	    !pub->failure)
		pub->failure = err;
	return pub->failure;
}

/* Collects every submitted slot. */
fs_err
publish_collect_all(struct publisher *pub)
{
	while (pub->writers->collected < pub->writers->submitted)
		collect_one(pub);
	return pub->failure;
}

/* The next slot to fill, its buffer emptied (collecting the oldest when
 * the ring is full). */
static struct slot *
next_slot(struct publisher *pub)
{
	struct writers *w = pub->writers;
	if (w->submitted - w->collected == SLOTS)
		collect_one(pub);
	struct slot *s = &w->slots[w->submitted % SLOTS];
	s->content.len = 0;
	return s;
}

/* The path of name in dir from the root ("mx-2027/p/TOKEN.ics"). */
void
publish_rel_path(char *out, size_t size, const struct outdir *dir,
		 const char *name)
{
	snprintf(out, size, "%s%s%s", dir->rel, *dir->rel ? "/" : "", name);
}

static void
submit(struct publisher *pub, struct slot *s, const struct outdir *dir,
       const char *name, uint64_t digest, mode_t mode, bool compare)
{
	struct writers *w = pub->writers;

	s->dir = dir;
	snprintf(s->name, sizeof(s->name), "%s", name);
	publish_rel_path(s->rel, sizeof(s->rel), dir, name);
	s->digest = digest;
	s->mode = mode;
	s->compare = compare;
	s->done = false;
	if (!w->n_threads) {
		write_slot(w, s);
		s->done = true;
	}
	pthread_mutex_lock(&w->lock);
	w->submitted++;
	if (!w->n_threads)
		w->taken++;
	if (w->idle_writers)
		pthread_cond_signal(&w->ready);
	pthread_mutex_unlock(&w->lock);
}

/*
 * Whether the file name in dir is current: the database says it was made
 * from digest, and it is still a regular file with the size and mtime it
 * had then.  *size gets its size (-1 when there is no such file).
 */
fs_err
publish_is_current(struct publisher *pub, const struct outdir *dir,
		   const char *name, uint64_t digest, bool *current,
		   int64_t *size)
{
	sqlite3_stmt *stmt;
	struct stat st;
	char rel[PATH_MAX / 4];
	bool known = false;
	int64_t old_size = -1, old_mtime = -1;
	uint64_t old_digest = 0;
	fs_err err;

	*current = false;
	*size = -1;
	if (dir->created)
		return FS_OK; /* a new directory: no file, nothing to ask */
	publish_rel_path(rel, sizeof(rel), dir, name);
	if ((err = store_stmt(pub->store, Q_FEED_FILE_GET, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, pub->dir, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, rel, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		known = true;
		old_digest = (uint64_t)sqlite3_column_int64(stmt, 0);
		old_size = sqlite3_column_int64(stmt, 1);
		old_mtime = sqlite3_column_int64(stmt, 2);
	}
	sqlite3_reset(stmt);
	*size = -1;
	if (outdir_stat(dir, name, &st) && S_ISREG(st.st_mode))
		*size = st.st_size;
	*current = known && *size >= 0 && old_digest == digest &&
		   st.st_size == old_size && outdir_mtime(&st) == old_mtime;
	return FS_OK;
}

/*
 * Publishes the file name in dir (which stays open until the writers are
 * collected).  When digest is 0 the file is built first and its digest is
 * a hash of its bytes; otherwise digest covers what build reads, and the
 * file is built only when it is not current.
 */
fs_err
publish_file(struct publisher *pub, const struct outdir *dir,
	     const char *name, uint64_t digest, build_fn build, void *ctx)
{
	struct slot *s = NULL;
	bool current;
	int64_t size;
	fs_err err;

	if (pub->pages)
		pub->stats.pages++;
	else
		pub->stats.feeds++;
	if (!digest) {
		s = next_slot(pub);
		if ((err = build(&s->content, ctx)))
			return err;
		digest = hash_bytes(s->content.data, s->content.len, 0) | 1;
	}
	if ((err = publish_is_current(pub, dir, name, digest, &current, &size)))
		return err;
	if (current) {
		pub->stats.unchanged++;
		return FS_OK;
	}
	if (!s) {
		s = next_slot(pub);
		if ((err = build(&s->content, ctx)))
			return err;
	}
	submit(pub, s, dir, name, digest, 0644,
	       size >= 0 && (size_t)size == s->content.len);
	return pub->failure;
}

void
publish_progress(struct publisher *pub)
{
	pub->done++;
	if (pub->opts->progress && (pub->done % 512 == 0 ||
				    pub->done == pub->total))
		pub->opts->progress(pub->opts->progress_ctx, pub->done,
				    pub->total);
}

struct writers *
publish_writers_new(void)
{
	return calloc(1, sizeof(struct writers));
}
