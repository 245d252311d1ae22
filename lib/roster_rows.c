/*
 * roster_rows.c - a statement's rows read ahead on a second thread, so
 * that SQLite's work (the sort, the page reads, fs_fold) runs on one core
 * while the main thread feeds libxlsxwriter on the other.
 *
 * libxlsxwriter is not thread-safe, and neither is a connection opened
 * with SQLITE_OPEN_NOMUTEX: the reader thread alone steps the statement,
 * from row_pipe_start() to the end of row_pipe_finish(), and the main
 * thread alone writes the workbook; it must not touch the store between
 * the two calls.
 *
 * The rows go through a ring of a fixed number of slots: the reader
 * copies each row's columns into a free slot (a buffer per slot, grown to
 * the longest row seen and kept), the main thread reads the oldest full
 * slot and gives it back when it asks for the next.  The ring's size is
 * fixed, so memory does not grow with the number of rows.  The two
 * threads meet at a mutex once per BATCH rows, not once per row.
 *
 * The idle job stops the reader for its whole length: the main thread
 * goes on only as long as the ring holds rows, so a pipe with a job of
 * some length needs a ring of thousands of rows (PIPE_RING_LARGE).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"
#include "workbook.h"

#define BATCH 32

struct slot {
	struct pipe_row row;
	char *buf;
	size_t cap;
};

struct row_pipe {
	sqlite3_stmt *stmt;
	int n_cols;
	uint32_t int_cols;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	/* rows put in and taken out, counted from the start: slot i % ring */
	unsigned long put, taken;      /* shared, under lock */
	unsigned long my_put;   /* the reader's own, ahead of put */
	unsigned long my_taken; /* the main thread's own, ahead of taken */
	unsigned long seen_put; /* put, as the main thread last read it */
	bool done, stop, failed;       /* shared, under lock */
	int rc;                        /* the last sqlite3_step(), for finish */
	void (*idle)(void *);          /* the reader's job while it waits */
	void *idle_ctx;
	unsigned long ring; /* slots */
	struct slot *slots;
};

/* Copies the statement's current row into slot s; false when out of
 * memory. */
static bool
slot_fill(struct row_pipe *p, struct slot *s)
{
	const unsigned char *text[MAX_PIPE_COLS];
	size_t need = 0, len[MAX_PIPE_COLS];

	for (int c = 0; c < p->n_cols; c++) {
		text[c] = NULL;
		len[c] = 0;
		if (p->int_cols & (1u << c)) {
			s->row.num[c] = sqlite3_column_int64(p->stmt, c);
			continue;
		}
		/* text, then its length: the order SQLite documents */
		if ((text[c] = sqlite3_column_text(p->stmt, c)))
			len[c] = (size_t)sqlite3_column_bytes(p->stmt, c);
		need += len[c] + 1;
	}
	if (need > s->cap) {
		size_t cap = need < 64 ? 64 : need + need / 4;
		char *buf = realloc(s->buf, cap);
		if (!buf)
			return false;
		s->buf = buf;
		s->cap = cap;
	}
	char *at = s->buf;
	for (int c = 0; c < p->n_cols; c++) {
		if (p->int_cols & (1u << c)) {
			s->row.text[c] = "";
			s->row.width[c] = 0;
			continue;
		}
		if (len[c])
			memcpy(at, text[c], len[c]);
		at[len[c]] = '\0';
		s->row.text[c] = at;
		/* what put_text() checks and measures, done here */
		s->row.width[c] = len[c] <= 32767 && utf8_valid(at)
					  ? text_width(at)
					  : -1;
		at += len[c] + 1;
	}
	return true;
}

static void *
reader_main(void *arg)
{
	struct row_pipe *p = arg;
	unsigned long room = 0; /* slots known free, ahead of my_put */
	bool stop = false, failed = false;
	int rc = SQLITE_DONE;

	while (!stop) {
		if (room == 0) {
			/* publish what is ready, then wait for free slots
			 * (the first time, after the idle job) */
			pthread_mutex_lock(&p->lock);
			p->put = p->my_put;
			pthread_cond_signal(&p->filled);
			bool full = p->my_put - p->taken == p->ring;
			pthread_mutex_unlock(&p->lock);
			if (full && p->idle) {
				p->idle(p->idle_ctx);
				p->idle = NULL;
			}
			pthread_mutex_lock(&p->lock);
			while (!p->stop && p->my_put - p->taken == p->ring)
				pthread_cond_wait(&p->emptied, &p->lock);
			stop = p->stop;
			room = p->ring - (p->my_put - p->taken);
			pthread_mutex_unlock(&p->lock);
			if (stop)
				break;
		}
		if ((rc = sqlite3_step(p->stmt)) != SQLITE_ROW)
			break;
		if (!slot_fill(p, &p->slots[p->my_put % p->ring])) {
			failed = true;
			break;
		}
		p->my_put++;
		room--;
		if (p->my_put % BATCH == 0 && room > 0) {
			pthread_mutex_lock(&p->lock);
			p->put = p->my_put;
			pthread_cond_signal(&p->filled);
			stop = p->stop;
			pthread_mutex_unlock(&p->lock);
		}
	}
	if (rc == SQLITE_DONE && !failed && p->idle) {
		pthread_mutex_lock(&p->lock);
		p->put = p->my_put; /* the last rows, read meanwhile */
		pthread_cond_signal(&p->filled);
		pthread_mutex_unlock(&p->lock);
		p->idle(p->idle_ctx);
	}
	pthread_mutex_lock(&p->lock);
	p->put = p->my_put;
	p->rc = rc;
	p->failed = failed;
	p->done = true;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

fs_err
row_pipe_start(struct row_pipe **out, sqlite3_stmt *stmt, int n_cols,
	       uint32_t int_cols, unsigned ring, void (*idle)(void *),
	       void *idle_ctx)
{
	struct row_pipe *p;

	*out = NULL;
	if (n_cols > MAX_PIPE_COLS || !(p = calloc(1, sizeof(*p))))
		return fs_fail(FS_ENOMEM, "out of memory");
	p->ring = ring > BATCH ? ring : BATCH;
	if (!(p->slots = calloc(p->ring, sizeof(*p->slots)))) {
		free(p);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	p->stmt = stmt;
	p->n_cols = n_cols;
	p->int_cols = int_cols;
	p->idle = idle;
	p->idle_ctx = idle_ctx;
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->filled, NULL);
	pthread_cond_init(&p->emptied, NULL);
	if (pthread_create(&p->thread, NULL, reader_main, p) != 0) {
		pthread_mutex_destroy(&p->lock);
		pthread_cond_destroy(&p->filled);
		pthread_cond_destroy(&p->emptied);
		free(p->slots);
		free(p);
		return fs_fail(FS_ENOMEM, "cannot start a thread");
	}
	*out = p;
	return FS_OK;
}

const struct pipe_row *
row_pipe_next(struct row_pipe *p)
{
	/* the row returned last is read: its slot is free again, said to
	 * the reader every BATCH rows or when there is nothing to read */
	bool empty = p->my_taken == p->seen_put;
	if (empty || p->my_taken % BATCH == 0) {
		pthread_mutex_lock(&p->lock);
		p->taken = p->my_taken;
		pthread_cond_signal(&p->emptied);
		while (empty && p->my_taken == p->put && !p->done)
			pthread_cond_wait(&p->filled, &p->lock);
		p->seen_put = p->put;
		pthread_mutex_unlock(&p->lock);
		if (p->my_taken == p->seen_put)
			return NULL; /* done, and every row read */
	}
	return &p->slots[p->my_taken++ % p->ring].row;
}

int
row_pipe_finish(struct row_pipe *p)
{
	int rc;

	if (!p)
		return SQLITE_DONE;
	pthread_mutex_lock(&p->lock);
	p->stop = true;
	pthread_cond_signal(&p->emptied);
	pthread_mutex_unlock(&p->lock);
	pthread_join(p->thread, NULL);
	rc = p->failed ? SQLITE_NOMEM : p->rc;
	sqlite3_reset(p->stmt);
	for (unsigned long i = 0; i < p->ring; i++)
		free(p->slots[i].buf);
	free(p->slots);
	pthread_mutex_destroy(&p->lock);
	pthread_cond_destroy(&p->filled);
	pthread_cond_destroy(&p->emptied);
	free(p);
	return rc;
}
