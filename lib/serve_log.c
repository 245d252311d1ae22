/*
 * serve_log.c - the access log, off the request threads (serve_log.h).
 *
 * Two buffers of SERVE_LOG_BYTES: request threads append their line and a
 * newline to the filling one under a mutex held for a memcpy; the writer
 * thread swaps the buffers and hands the full one's lines to the
 * callback with the mutex released, so a callback that blocks (stdout
 * into a pipe nobody reads) blocks this thread alone.  A line that does
 * not fit is dropped and counted.  The writer is woken when a buffer is a
 * sixteenth full, and otherwise looks every 100 ms: at 60,000 requests a
 * second (about 6 MB of log) that is well before a buffer fills.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "serve_log.h"

#define SERVE_LOG_BYTES (1 << 20)
#define WAKE_BYTES (SERVE_LOG_BYTES / 16)

struct serve_log {
	pthread_mutex_t lock;
	pthread_cond_t more;
	pthread_t thread;
	char *filling, *spare;
	size_t len;
	unsigned long dropped;
	bool stopping;
	void (*log)(void *ctx, const char *line);
	void (*flush)(void *ctx);
	void *ctx;
};

static double
now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Hands the lines of buf[0, len) to the callback, then the count of
 * lines dropped before them. */
static void
write_lines(struct serve_log *l, char *buf, size_t len, unsigned long dropped)
{
	for (char *p = buf, *end = buf + len; p < end;) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		*nl = '\0';
		l->log(l->ctx, p);
		p = nl + 1;
	}
	if (dropped) {
		char note[128];
		snprintf(note, sizeof(note), "fieldschool: %lu access log "
			 "line%s dropped: the log's reader did not keep up",
			 dropped, dropped == 1 ? "" : "s");
		l->log(l->ctx, note);
	}
}

static void *
writer_main(void *arg)
{
	struct serve_log *l = arg;
	double flushed = now_seconds();
	bool stopping = false;

	while (!stopping) {
		struct timespec until;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 100 * 1000 * 1000;
		if (until.tv_nsec >= 1000000000) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000;
		}
		pthread_mutex_lock(&l->lock);
		while (!l->stopping && l->len < WAKE_BYTES &&
		       pthread_cond_timedwait(&l->more, &l->lock, &until) !=
			       ETIMEDOUT)
			;
		char *full = l->filling;
		size_t len = l->len;
		unsigned long dropped = l->dropped;
		l->filling = l->spare;
		l->spare = full;
		l->len = 0;
		l->dropped = 0;
		stopping = l->stopping;
		pthread_mutex_unlock(&l->lock);
		write_lines(l, full, len, dropped);
		if (l->flush && (stopping || now_seconds() - flushed >= 1)) {
			l->flush(l->ctx);
			flushed = now_seconds();
		}
	}
	return NULL;
}

fs_err
serve_log_start(struct serve_log **out, const fs_serve_options *opts)
{
	struct serve_log *l = calloc(1, sizeof(*l));

	*out = NULL;
	if (!l || !(l->filling = malloc(SERVE_LOG_BYTES)) ||
	    !(l->spare = malloc(SERVE_LOG_BYTES))) {
		if (l) {
			free(l->filling);
			free(l);
		}
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	l->log = opts->log;
	l->flush = opts->log_flush;
	l->ctx = opts->log_ctx;
	pthread_mutex_init(&l->lock, NULL);
	pthread_cond_init(&l->more, NULL);
	if (pthread_create(&l->thread, NULL, writer_main, l) != 0) {
		pthread_mutex_destroy(&l->lock);
		pthread_cond_destroy(&l->more);
		free(l->filling);
		free(l->spare);
		free(l);
		return fs_fail(FS_EIO, "the access log's thread did not start");
	}
	*out = l;
	return FS_OK;
}

void
serve_log_put(struct serve_log *l, const char *line)
{
	size_t n = strlen(line);

	pthread_mutex_lock(&l->lock);
	if (l->len + n + 1 > SERVE_LOG_BYTES) {
		l->dropped++;
	} else {
		memcpy(l->filling + l->len, line, n);
		l->filling[l->len + n] = '\n';
		bool wake = l->len < WAKE_BYTES && l->len + n + 1 >= WAKE_BYTES;
		l->len += n + 1;
		if (wake)
			pthread_cond_signal(&l->more);
	}
	pthread_mutex_unlock(&l->lock);
}

void
serve_log_stop(struct serve_log *l, unsigned wait_seconds)
{
	struct timespec until;

	if (!l)
		return;
	pthread_mutex_lock(&l->lock);
	l->stopping = true;
	pthread_cond_signal(&l->more);
	pthread_mutex_unlock(&l->lock);
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += wait_seconds;
	if (pthread_timedjoin_np(l->thread, NULL, &until) != 0)
		return; /* blocked in the callback: abandoned, see serve_log.h */
	pthread_mutex_destroy(&l->lock);
	pthread_cond_destroy(&l->more);
	free(l->filling);
	free(l->spare);
	free(l);
}
