/*
 * serve_log.h - the access log of serve, written by a thread of its own
 * (lib-internal: serve.c).
 *
 * A request thread only copies its line into memory: when the log's
 * reader (stdout into a stalled pipe, a slow disk) does not keep up,
 * requests are still answered, and lines that do not fit are dropped and
 * counted; the next line written says how many.
 */
#ifndef FS_SERVE_LOG_H
#define FS_SERVE_LOG_H

#include "fieldschool/serve.h"

struct serve_log;

/* Starts the thread that hands each line to opts->log (and, at most once
 * a second and at the end, calls opts->log_flush).  FS_ENOMEM, FS_EIO
 * (no thread). */
fs_err serve_log_start(struct serve_log **out, const fs_serve_options *opts);

/* Queues line (no newline); never waits for the writer.  Dropped (and
 * counted) when the queue is full. */
void serve_log_put(struct serve_log *l, const char *line);

/* Writes what is queued, flushes, and stops the thread; NULL is fine.
 * When the thread has not finished within wait_seconds (the callback
 * blocked: stdout into a pipe nobody reads), the log is abandoned, its
 * thread left blocked and its memory kept until the process exits, so
 * that a stop never waits for the log's reader. */
void serve_log_stop(struct serve_log *l, unsigned wait_seconds);

#endif
