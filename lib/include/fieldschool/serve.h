/*
 * fieldschool/serve.h - the published directory over HTTP.
 *
 * A server answers GET and HEAD from the files that DIR's manifest lists
 * (fieldschool/manifest.h), never by joining a URL onto DIR: each file is
 * opened relative to DIR without following symbolic links, must be a
 * regular file, and is sent whole from the open descriptor, so a publish
 * renaming a new file over it mid-response changes nothing of this one.
 * The manifest is read again whenever it changes on disk, so a publish in
 * another process is picked up without a restart.
 */
#ifndef FIELDSCHOOL_SERVE_H
#define FIELDSCHOOL_SERVE_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "fieldschool/error.h"

typedef struct fs_server fs_server;

typedef struct fs_serve_options {
	const char *listen;       /* "ADDR:PORT" or "[IPV6]:PORT"; port 0
				     picks a free one */
	unsigned max_connections; /* at once, in all (0: 1000) */
	unsigned max_per_ip;      /* at once, from one address (0: none) */
	unsigned timeout;         /* seconds a connection may stay idle or
				     slow (0: 30) */
	unsigned threads;         /* 0: one per processor, at most 8 */
	/* Called with each access log line (Common Log Format, personal
	 * tokens redacted, no newline), from one thread of the server's
	 * own: the request threads only queue their lines, so a log that
	 * blocks never holds up a request.  Lines that find the queue full
	 * (1 MiB) are dropped; the next line after them says how many. */
	void (*log)(void *ctx, const char *line);
	/* NULL, or called from that thread at most once a second when it
	 * has written lines, and once at the end (fs_serve_close()). */
	void (*log_flush)(void *ctx);
	void *log_ctx;
} fs_serve_options;

/*
 * Opens the publish directory dir (the caller's, fs_serve_close): reads
 * its manifest.  FS_ENOTFOUND when dir does not exist, FS_EINPUT when it is
 * not a publish directory (no manifest), FS_EIO.
 */
fs_err fs_serve_open(fs_server **out, const char *dir);

/*
 * Starts answering on opts->listen, in threads of the server's own.
 * FS_EINPUT for an address that does not parse, FS_EIO when it cannot be
 * bound (the detail says why: in use, not permitted).
 */
fs_err fs_serve_start(fs_server *server, const fs_serve_options *opts);

/* The address it listens on, "127.0.0.1:8080" or "[::1]:8080" (borrowed). */
const char *fs_serve_address(const fs_server *server);

/* How many connections it takes at once: opts->max_connections, or fewer
 * when the limit of open files (RLIMIT_NOFILE) cannot hold that many, as
 * each needs its socket and the file it sends. */
unsigned fs_serve_max_connections(const fs_server *server);

/*
 * Stops accepting connections, lets requests in flight finish (for at most
 * grace seconds), closes every connection, writes the access log's last
 * lines and frees the server.  NULL is fine.  When the log callback is
 * still blocked after another grace seconds (at least one), the lines not
 * yet written are given up and that thread left blocked in the callback:
 * the stop does not wait for a log nobody reads.
 */
void fs_serve_close(fs_server *server, unsigned grace);

/* What the server answers to one request (fs_serve_answer). */
typedef struct fs_serve_reply {
	int status;               /* 200, 304, 404, 405, 500 or 503 */
	int fd;                   /* 200, 304: the open file, the caller's;
				     else -1 */
	int64_t size;             /* of the file */
	const char *content_type; /* 200 and 304 */
	const char *cache_control;
	bool is_page;             /* HTML: add the pages' security headers */
	char etag[64];            /* "\"...\"" for 200 and 304 */
	char last_modified[32];   /* an IMF-fixdate, or "" for a file
				     written in the current second */
	char path[1040];          /* the manifest path answered, or "" */
} fs_serve_reply;

/*
 * Decides the answer to a request: method, the decoded path ("/M/M.ics"),
 * and the If-None-Match and If-Modified-Since headers (NULL when absent);
 * now is the time the request arrived.  Reads the manifest again when it
 * changed.  Any bytes are safe in any argument.  Always FS_OK but for
 * FS_ENOMEM.
 */
fs_err fs_serve_answer(fs_server *server, const char *method,
		       const char *path, const char *if_none_match,
		       const char *if_modified_since, time_t now,
		       fs_serve_reply *out);

/* --- the pieces, for tests --------------------------------------------- */

/* Parses an HTTP date (IMF-fixdate, RFC 850 or asctime); false if it is
 * none of them. */
bool fs_http_date_parse(const char *text, time_t *out);

/* Writes t as an IMF-fixdate, "Sun, 06 Nov 1994 08:49:37 GMT". */
void fs_http_date_format(time_t t, char out[32]);

/* Whether an If-None-Match value matches etag (weak comparison, "*"). */
bool fs_http_etag_matches(const char *header, const char *etag);

/* Copies path into out (size bytes, always terminated) fit for a log
 * line: every run of 16 or more hexadecimal digits (a personal token)
 * becomes "[token]", and bytes outside printable ASCII, '"' and '\' become
 * \xHH. */
void fs_http_redact(const char *path, char *out, size_t size);

#endif
