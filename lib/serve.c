/*
 * serve.c - the publish directory over HTTP, with GNU libmicrohttpd.
 *
 * Why libmicrohttpd: Debian ships it (libmicrohttpd-dev), it is small, in C,
 * has kept a stable API for years, and does the parts of HTTP/1.1 that are
 * easy to get wrong (parsing, keep-alive, pipelining, chunking, limits on
 * connections and memory, sendfile) while leaving every answer to us.
 *
 * What may be answered is the manifest alone (fieldschool/manifest.h): the
 * decoded path is looked up in it, exactly, and only then opened, relative
 * to the directory's descriptor, with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS) or, where the kernel lacks it, one component at a
 * time with O_NOFOLLOW.  The response is sent from that descriptor: a
 * publish renames a new file over the old one, so a response already under
 * way keeps the old inode, whole.
 *
 * libmicrohttpd calls the access handler once when the headers are in and
 * again (and again for any body); answering on the first call would close
 * the connection, so the first only marks the request (RFC 9112 keep-alive
 * stays on).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "fieldschool/manifest.h"
#include "fieldschool/serve.h"
#include "page.h"
#include "serve_log.h"

/* Longer request headers than this (all of them, with the request line)
 * get 431: a calendar client sends under 1 KiB. */
#define MEMORY_LIMIT (32 * 1024)
#define DEFAULT_CONNECTIONS 1000
#define DEFAULT_TIMEOUT 30
/* The same few bytes for every path that is not served, whatever the
 * reason: a revoked token looks like one that never was. */
#define NOT_FOUND "not found\n"
#define NOT_ALLOWED "method not allowed\n"
/* A listed file that cannot be opened now: out of descriptors or memory
 * (503, try again: a calendar client must not take it for a deleted
 * calendar, as it may a 404), or unreadable to the server (500). */
#define BUSY "busy, try again shortly\n"
#define BROKEN "this file cannot be read\n"

struct fs_server {
	int dirfd;
	char *dir;
	struct stat dir_st; /* the directory dirfd is: DIR may be replaced */
	atomic_long dir_checked; /* the second DIR's identity was last read */
	/* the manifest in use, and the identity of the file it came from */
	pthread_rwlock_t lock;
	fs_manifest *manifest;
	struct stat manifest_st;
	pthread_mutex_t reloading;
	struct MHD_Daemon *daemon;
	int listen_fd;
	char address[INET6_ADDRSTRLEN + 16];
	struct serve_log *log; /* NULL: no access log */
	atomic_long in_flight;
	struct MHD_Response *not_found, *not_allowed, *busy, *broken;
	unsigned max_connections; /* as started: the option, or what the
				     descriptor limit allows */
};

/* --- dates and tags ---------------------------------------------------- */

static const char days[7][4] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri",
				 "Sat" };
static const char months[12][4] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
				    "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

void
fs_http_date_format(time_t t, char out[32])
{
	struct tm tm;
	gmtime_r(&t, &tm);
	snprintf(out, 32, "%s, %02d %s %04d %02d:%02d:%02d GMT",
		 days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12],
		 tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

static int
month_of(const char *p)
{
	for (int i = 0; i < 12; i++)
		if (!strncmp(p, months[i], 3))
			return i;
	return -1;
}

/* Reads exactly n digits at *p. */
static bool
digits(const char **p, int n, int *out)
{
	*out = 0;
	for (int i = 0; i < n; i++, (*p)++) {
		if (**p < '0' || **p > '9')
			return false;
		*out = *out * 10 + (**p - '0');
	}
	return true;
}

static bool
clock_of(const char **p, struct tm *tm)
{
	return digits(p, 2, &tm->tm_hour) && *(*p)++ == ':' &&
	       digits(p, 2, &tm->tm_min) && *(*p)++ == ':' &&
	       digits(p, 2, &tm->tm_sec);
}

/*
 * RFC 9110 section 5.6.7: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT",
 * and the obsolete "Sunday, 06-Nov-94 08:49:37 GMT" and
 * "Sun Nov  6 08:49:37 1994", which recipients must accept.
 */
bool
fs_http_date_parse(const char *text, time_t *out)
{
	struct tm tm = { 0 };
	const char *p = text, *comma = strchr(text, ',');
	int year = 0;

	if (comma && comma - text == 3) { /* IMF-fixdate */
		p = comma + 1;
		if (*p++ != ' ' || !digits(&p, 2, &tm.tm_mday) || *p++ != ' ' ||
		    (tm.tm_mon = month_of(p)) < 0)
			return false;
		p += 3;
		if (*p++ != ' ' || !digits(&p, 4, &year) || *p++ != ' ' ||
		    !clock_of(&p, &tm) || strcmp(p, " GMT"))
			return false;
	} else if (comma) { /* RFC 850 */
		p = comma + 1;
		if (*p++ != ' ' || !digits(&p, 2, &tm.tm_mday) || *p++ != '-' ||
		    (tm.tm_mon = month_of(p)) < 0)
			return false;
		p += 3;
		if (*p++ != '-' || !digits(&p, 2, &year) || *p++ != ' ' ||
		    !clock_of(&p, &tm) || strcmp(p, " GMT"))
			return false;
		/* RFC 9110: a two-digit year more than 50 years ahead is in
		 * the past century */
		year += year < 70 ? 2000 : 1900;
	} else { /* asctime */
		if (strlen(p) < 24 || p[3] != ' ' || (tm.tm_mon = month_of(p + 4)) < 0)
			return false;
		p += 7;
		if (*p++ != ' ')
			return false;
		if (*p == ' ')
			p++, tm.tm_mday = 0, digits(&p, 1, &tm.tm_mday);
		else if (!digits(&p, 2, &tm.tm_mday))
			return false;
		if (*p++ != ' ' || !clock_of(&p, &tm) || *p++ != ' ' ||
		    !digits(&p, 4, &year) || *p)
			return false;
	}
	if (tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 ||
	    tm.tm_min > 59 || tm.tm_sec > 60)
		return false;
	tm.tm_year = year - 1900;
	*out = timegm(&tm);
	return *out != (time_t)-1;
}

/* RFC 9110 section 13.1.2: If-None-Match is "*" or a list of entity tags,
 * compared weakly (W/ ignored). */
bool
fs_http_etag_matches(const char *header, const char *etag)
{
	const char *p = header;
	size_t len = strlen(etag);

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == ',')
			p++;
		if (!*p)
			return false;
		if (*p == '*')
			return true;
		if (!strncmp(p, "W/", 2))
			p += 2;
		const char *end = *p == '"' ? strchr(p + 1, '"') : NULL;
		if (!end)
			return false; /* not a list of tags */
		end++;
		if ((size_t)(end - p) == len && !memcmp(p, etag, len))
			return true;
		p = end;
	}
}

void
fs_http_redact(const char *path, char *out, size_t size)
{
	const unsigned char *p = (const unsigned char *)path;
	size_t n = 0;

	if (!size)
		return;
	while (*p && n + 8 < size) {
		size_t hex = strspn((const char *)p, "0123456789abcdefABCDEF");
		if (hex >= 16) {
			n += (size_t)snprintf(out + n, size - n, "[token]");
			p += hex;
		} else if (hex) {
			/* a short run of hex: kept, as far as out has room
			 * (the loop leaves 8 bytes, a run may be 15) */
			size_t room = size - n - 1;
			size_t k = hex < room ? hex : room;
			memcpy(out + n, p, k);
			n += k;
			p += hex;
		} else if (*p < 0x20 || *p >= 0x7f || *p == '"' || *p == '\\') {
			n += (size_t)snprintf(out + n, size - n, "\\x%02x", *p++);
		} else {
			out[n++] = (char)*p++;
		}
	}
	out[n < size ? n : size - 1] = '\0';
}

/* --- the manifest ------------------------------------------------------ */

static int open_beneath(int dirfd, const char *path);

static bool
same_file(const struct stat *a, const struct stat *b)
{
	return a->st_ino == b->st_ino && a->st_dev == b->st_dev &&
	       a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
	       a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

/* Reads the manifest again if the file at st is not the one in use.  A
 * manifest that does not load leaves the old one in use (and is not tried
 * again until it changes). */
static void
reload(fs_server *s, const struct stat *st)
{
	fs_manifest *fresh = NULL, *old = NULL;

	pthread_mutex_lock(&s->reloading);
	pthread_rwlock_rdlock(&s->lock);
	bool stale = !same_file(st, &s->manifest_st);
	pthread_rwlock_unlock(&s->lock);
	if (stale) {
		fs_manifest_load(&fresh, s->dirfd);
		pthread_rwlock_wrlock(&s->lock);
		if (fresh) {
			old = s->manifest;
			s->manifest = fresh;
		}
		s->manifest_st = *st;
		pthread_rwlock_unlock(&s->lock);
		fs_manifest_free(old);
	}
	pthread_mutex_unlock(&s->reloading);
}

/* DIR is now another directory (removed and published anew, or a link
 * turned to a new release): serve that one, once it holds a manifest;
 * until then, the old one stays in use and this is tried again. */
static void
reopen(fs_server *s)
{
	fs_manifest *fresh = NULL;
	struct stat dir_st, st;
	int fd;

	pthread_mutex_lock(&s->reloading);
	if (stat(s->dir, &dir_st) != 0 || (dir_st.st_ino == s->dir_st.st_ino &&
					    dir_st.st_dev == s->dir_st.st_dev) ||
	    (fd = open(s->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		pthread_mutex_unlock(&s->reloading);
		return;
	}
	if (fstat(fd, &dir_st) != 0 ||
	    fstatat(fd, FS_MANIFEST_NAME, &st, AT_SYMLINK_NOFOLLOW) != 0 ||
	    fs_manifest_load(&fresh, fd) != FS_OK) {
		close(fd);
		pthread_mutex_unlock(&s->reloading);
		return;
	}
	pthread_rwlock_wrlock(&s->lock);
	int old_fd = s->dirfd;
	fs_manifest *old = s->manifest;
	s->dirfd = fd;
	s->dir_st = dir_st;
	s->manifest = fresh;
	s->manifest_st = st;
	pthread_rwlock_unlock(&s->lock);
	close(old_fd);
	fs_manifest_free(old);
	pthread_mutex_unlock(&s->reloading);
}

/* Opens path if the manifest lists it, the directory and the manifest
 * read again first if either changed: the descriptor, or -1 with errno
 * (ENOENT for a path not listed).  The lock is held while the file is
 * opened, so that the directory it is opened in is the one whose manifest
 * listed it. */
static int
open_listed(fs_server *s, const char *path, size_t len, time_t now)
{
	struct stat st;
	int fd = -1, saved;

	/* DIR by its name: at most once a second (a stat of a path costs a
	 * fifth of a request) */
	if (atomic_exchange(&s->dir_checked, (long)now) != (long)now) {
		pthread_rwlock_rdlock(&s->lock);
		ino_t ino = s->dir_st.st_ino;
		dev_t dev = s->dir_st.st_dev;
		pthread_rwlock_unlock(&s->lock);
		if (stat(s->dir, &st) == 0 &&
		    (st.st_ino != ino || st.st_dev != dev))
			reopen(s);
	}
	pthread_rwlock_rdlock(&s->lock);
	bool stale = fstatat(s->dirfd, FS_MANIFEST_NAME, &st,
			     AT_SYMLINK_NOFOLLOW) == 0 &&
		     !same_file(&st, &s->manifest_st);
	pthread_rwlock_unlock(&s->lock);
	if (stale)
		reload(s, &st);
	pthread_rwlock_rdlock(&s->lock);
	if (fs_manifest_has(s->manifest, path, len))
		fd = open_beneath(s->dirfd, path);
	else
		errno = ENOENT;
	saved = errno;
	pthread_rwlock_unlock(&s->lock);
	errno = saved;
	return fd;
}

/* --- files ------------------------------------------------------------- */

/* Opens path below dirfd, no symbolic link anywhere on the way. */
static int
open_beneath(int dirfd, const char *path)
{
	static atomic_int no_openat2;
	const int flags = O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK;

	if (!atomic_load(&no_openat2)) {
		struct open_how how = {
			.flags = flags,
			.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
				   RESOLVE_NO_MAGICLINKS,
		};
		int fd = (int)syscall(SYS_openat2, dirfd, path, &how,
				      sizeof(how));
		if (fd >= 0 || (errno != ENOSYS && errno != EPERM))
			return fd;
		atomic_store(&no_openat2, 1);
	}
	/* older kernels: a directory at a time */
	char part[1040];
	int at = dirfd, fd = -1;
	for (const char *p = path;;) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);
		if (n >= sizeof(part))
			break;
		memcpy(part, p, n);
		part[n] = '\0';
		fd = openat(at, part, slash ? O_RDONLY | O_CLOEXEC | O_DIRECTORY |
						      O_NOFOLLOW
					    : flags);
		if (at != dirfd)
			close(at);
		if (fd < 0 || !slash)
			return fd;
		at = fd;
		p = slash + 1;
	}
	if (at != dirfd)
		close(at);
	errno = ENAMETOOLONG;
	return -1;
}

static const struct {
	const char *ext, *type;
	bool is_page;
} types[] = {
	{ ".ics", "text/calendar; charset=utf-8", false },
	{ ".html", "text/html; charset=utf-8", true },
	{ ".xml", "application/xml", false },
	{ ".json", "application/json", false },
	{ ".css", "text/css; charset=utf-8", false },
	{ ".svg", "image/svg+xml", false },
	{ ".png", "image/png", false },
	{ ".pdf", "application/pdf", false },
	{ ".txt", "text/plain; charset=utf-8", false },
};

static void
type_of(const char *path, size_t len, fs_serve_reply *out)
{
	bool personal = strstr(path, "/p/") != NULL;

	out->content_type = "application/octet-stream";
	out->is_page = false;
	for (size_t i = 0; i < sizeof(types) / sizeof(*types); i++) {
		size_t n = strlen(types[i].ext);
		if (len > n && !strcmp(path + len - n, types[i].ext)) {
			out->content_type = types[i].type;
			out->is_page = types[i].is_page;
		}
	}
	/* Calendar apps poll hourly at most: a few minutes of caching
	 * costs nothing.  Pages are read by people who just changed
	 * something: a minute.  A personal address is nobody else's. */
	if (out->is_page)
		out->cache_control = personal ? "private, max-age=60"
					      : "public, max-age=60";
	else
		out->cache_control = personal ? "private, max-age=300"
					      : "public, max-age=300";
}

fs_err
fs_serve_answer(fs_server *s, const char *method, const char *path,
		const char *if_none_match, const char *if_modified_since,
		time_t now, fs_serve_reply *out)
{
	struct stat st;
	size_t len;
	int fd;

	memset(out, 0, sizeof(*out));
	out->fd = -1;
	out->status = 404;
	if (strcmp(method, "GET") && strcmp(method, "HEAD")) {
		out->status = 405;
		return FS_OK;
	}
	/* the absolute form a client may send to a server (RFC 9112
	 * section 3.2.2): the authority is the client's business */
	if (!strncasecmp(path, "http://", 7) || !strncasecmp(path, "https://", 8)) {
		const char *rest = strchr(path + (path[4] == ':' ? 7 : 8), '/');
		path = rest ? rest : "/";
	}
	if (path[0] != '/' || (len = strlen(path + 1)) > 1024)
		return FS_OK;
	memcpy(out->path, path + 1, len + 1);
	/* "/" and "/M/" are their index.html */
	if (len == 0 || out->path[len - 1] == '/') {
		memcpy(out->path + len, "index.html", 11);
		len += 10;
	}
	if (!fs_manifest_path_ok(out->path, len))
		goto not_found;
	if ((fd = open_listed(s, out->path, len, now)) < 0) {
		/* a link (ELOOP, EXDEV), or gone since the manifest was read */
		if (errno == ENOENT || errno == ENOTDIR || errno == ELOOP ||
		    errno == EXDEV)
			goto not_found;
		out->status = errno == EMFILE || errno == ENFILE ||
					      errno == ENOMEM || errno == EAGAIN
				      ? 503
				      : 500;
		out->path[0] = '\0';
		return FS_OK;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		goto not_found;
	}
	type_of(out->path, len, out);
	out->size = st.st_size;
	/* strong: publish renames a new file in for a new content, and
	 * leaves a file whose content did not change as it was */
	snprintf(out->etag, sizeof(out->etag), "\"%llx-%llx-%lx\"",
		 (unsigned long long)st.st_size,
		 (unsigned long long)st.st_mtim.tv_sec,
		 (unsigned long)st.st_mtim.tv_nsec);
	/* Last-Modified has whole seconds: a file written in this second
	 * may be written again in it, and a client holding the first
	 * version would then be told (If-Modified-Since) that it has the
	 * second.  So such a file gets no date (its ETag serves), until its
	 * second is over; publish writes files with the time of writing. */
	bool dated = st.st_mtim.tv_sec < now;
	if (dated)
		fs_http_date_format(st.st_mtim.tv_sec, out->last_modified);
	/* RFC 9110 section 13.2.2: If-None-Match first; If-Modified-Since
	 * only without it, and a date in the future is no date */
	time_t since;
	out->fd = fd;
	out->status = 200;
	if (if_none_match ? fs_http_etag_matches(if_none_match, out->etag)
			  : dated && if_modified_since &&
				    fs_http_date_parse(if_modified_since,
						       &since) &&
				    since <= now && st.st_mtim.tv_sec <= since)
		out->status = 304;
	return FS_OK;
not_found:
	out->path[0] = '\0';
	return FS_OK;
}

/* --- the server -------------------------------------------------------- */

fs_err
fs_serve_open(fs_server **out, const char *dir)
{
	fs_server *s;
	fs_err err;

	*out = NULL;
	if (!(s = calloc(1, sizeof(*s))) || !(s->dir = strdup(dir))) {
		free(s);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	s->listen_fd = -1;
	s->dirfd = -1;
	pthread_rwlock_init(&s->lock, NULL);
	pthread_mutex_init(&s->reloading, NULL);
	s->dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (s->dirfd < 0) {
		err = errno == ENOENT ? fs_fail(FS_ENOTFOUND, "%s: no such "
						"directory", dir)
				      : fs_fail(FS_EIO, "%s: %s", dir,
						strerror(errno));
		goto fail;
	}
	if (fstat(s->dirfd, &s->dir_st) != 0)
		memset(&s->dir_st, 0, sizeof(s->dir_st));
	if (fstatat(s->dirfd, FS_MANIFEST_NAME, &s->manifest_st,
		    AT_SYMLINK_NOFOLLOW) != 0)
		memset(&s->manifest_st, 0, sizeof(s->manifest_st));
	if ((err = fs_manifest_load(&s->manifest, s->dirfd))) {
		if (err == FS_ENOTFOUND || err == FS_EINPUT) {
			char why[256]; /* fs_fail() writes over the detail */
			snprintf(why, sizeof(why), "%s", fs_errdetail());
			err = fs_fail(FS_EINPUT, "%s: not a publish directory "
				      "(%s): publish into it first", dir, why);
		}
		goto fail;
	}
	*out = s;
	return FS_OK;
fail:
	fs_serve_close(s, 0);
	return err;
}

const char *
fs_serve_address(const fs_server *s)
{
	return s->address;
}

unsigned
fs_serve_max_connections(const fs_server *s)
{
	return s->max_connections;
}

/* Parses "ADDR:PORT" or "[ADDR]:PORT" and binds a listening socket. */
static fs_err
listen_on(fs_server *s, const char *spec)
{
	char host[256], port[16];
	const char *colon;
	struct addrinfo hints = { 0 }, *ai = NULL;
	int rc, one = 1;

	if (spec[0] == '[') {
		const char *close_at = strchr(spec, ']');
		if (!close_at || close_at[1] != ':')
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(close_at - spec - 1),
			 spec + 1);
		colon = close_at + 1;
	} else {
		if (!(colon = strrchr(spec, ':')) || strchr(spec, ':') != colon)
			goto bad;
		snprintf(host, sizeof(host), "%.*s", (int)(colon - spec), spec);
	}
	if (strlen(colon + 1) == 0 || strlen(colon + 1) > 5 ||
	    strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
	    atoi(colon + 1) > 65535 || !host[0])
		goto bad;
	snprintf(port, sizeof(port), "%s", colon + 1);
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
	if ((rc = getaddrinfo(host, port, &hints, &ai)) != 0)
		return fs_fail(FS_EINPUT, "--listen '%s': %s", spec,
			       gai_strerror(rc));
	s->listen_fd = socket(ai->ai_family,
			      SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (s->listen_fd < 0)
		goto fail;
	setsockopt(s->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ai->ai_family == AF_INET6)
		setsockopt(s->listen_fd, IPPROTO_IPV6, IPV6_V6ONLY, &one,
			   sizeof(one));
	if (bind(s->listen_fd, ai->ai_addr, ai->ai_addrlen) != 0 ||
	    listen(s->listen_fd, 1024) != 0)
		goto fail;
	freeaddrinfo(ai);

	struct sockaddr_storage addr;
	socklen_t addr_len = sizeof(addr);
	char text[INET6_ADDRSTRLEN];
	getsockname(s->listen_fd, (struct sockaddr *)&addr, &addr_len);
	if (addr.ss_family == AF_INET6) {
		struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&addr;
		inet_ntop(AF_INET6, &a6->sin6_addr, text, sizeof(text));
		snprintf(s->address, sizeof(s->address), "[%s]:%u", text,
			 ntohs(a6->sin6_port));
	} else {
		struct sockaddr_in *a4 = (struct sockaddr_in *)&addr;
		inet_ntop(AF_INET, &a4->sin_addr, text, sizeof(text));
		snprintf(s->address, sizeof(s->address), "%s:%u", text,
			 ntohs(a4->sin_port));
	}
	return FS_OK;
bad:
	return fs_fail(FS_EINPUT, "--listen '%s': not ADDRESS:PORT (such as "
		       "127.0.0.1:8080 or [::1]:8080)", spec);
fail:;
	int saved = errno;
	freeaddrinfo(ai);
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	s->listen_fd = -1;
	return fs_fail(FS_EIO, "%s: %s%s", spec, strerror(saved),
		       saved == EADDRINUSE ? " (is another server running "
					     "on that port?)" : "");
}

/* The Common Log Format line of a request. */
static void
log_request(fs_server *s, struct MHD_Connection *conn, const char *method,
	    const char *url, const char *version, int status, int64_t bytes)
{
	const union MHD_ConnectionInfo *info = MHD_get_connection_info(
		conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char host[INET6_ADDRSTRLEN] = "-", when[32], line[3 * 1024];
	char m[48], u[2 * 1024], v[32];
	struct tm tm;
	time_t now = time(NULL);

	if (!s->log)
		return;
	if (info && info->client_addr) {
		const struct sockaddr *sa = info->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET,
				  &((const struct sockaddr_in *)sa)->sin_addr,
				  host, sizeof(host));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6,
				  &((const struct sockaddr_in6 *)sa)->sin6_addr,
				  host, sizeof(host));
	}
	gmtime_r(&now, &tm);
	snprintf(when, sizeof(when), "%02d/%s/%04d:%02d:%02d:%02d +0000",
		 tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
		 tm.tm_hour, tm.tm_min, tm.tm_sec);
	fs_http_redact(method, m, sizeof(m));
	fs_http_redact(url, u, sizeof(u));
	fs_http_redact(version, v, sizeof(v));
	if (bytes > 0)
		snprintf(line, sizeof(line), "%s - - [%s] \"%s %s %s\" %d %lld",
			 host, when, m, u, v, status, (long long)bytes);
	else
		snprintf(line, sizeof(line), "%s - - [%s] \"%s %s %s\" %d -",
			 host, when, m, u, v, status);
	serve_log_put(s->log, line);
}

static void
common_headers(struct MHD_Response *r)
{
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
}

/* Our pages have no frame and no form; their style sheet is inline, and
 * so is their one script (page.c), allowed by its hash. */
static char page_csp[400];
static pthread_once_t page_csp_once = PTHREAD_ONCE_INIT;

static void
make_page_csp(void)
{
	char script[45];
	page_script_hash(script);
	snprintf(page_csp, sizeof(page_csp),
		 "default-src 'none'; style-src 'self' 'unsafe-inline'; "
		 "script-src 'sha256-%s'; img-src 'self' data:; "
		 "base-uri 'none'; form-action 'none'; "
		 "frame-ancestors 'none'",
		 script);
}

static void
add_page_headers(struct MHD_Response *r)
{
	pthread_once(&page_csp_once, make_page_csp);
	MHD_add_response_header(r, "Content-Security-Policy", page_csp);
	/* a page's address may hold a personal token */
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
}

static struct MHD_Response *
fixed_response(const char *body, const char *allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(
		strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!r)
		return NULL;
	MHD_add_response_header(r, "Content-Type",
				"text/plain; charset=utf-8");
	MHD_add_response_header(r, "Cache-Control", "no-cache");
	common_headers(r);
	if (allow)
		MHD_add_response_header(r, "Allow", allow);
	return r;
}

static int request_new, request_answered;

/* A request may carry a body we do not read: up to this much is drained so
 * that the connection stays usable; a larger or chunked one is answered at
 * once and the connection closed. */
#define MAX_DRAINED_BODY (64 * 1024)

static bool
has_large_body(struct MHD_Connection *conn)
{
	const char *length = MHD_lookup_connection_value(
		conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
					   MHD_HTTP_HEADER_TRANSFER_ENCODING) ||
	       (length && strtoull(length, NULL, 10) > MAX_DRAINED_BODY);
}

/* The answer to a request: a file (200 or 304), or a fixed 404, 405, 500
 * or 503. */
static enum MHD_Result
answer(fs_server *s, struct MHD_Connection *conn, const char *url,
       const char *method, const char *version)
{
	fs_serve_reply reply;
	struct MHD_Response *r;
	enum MHD_Result ret;

	if (fs_serve_answer(s, method, url,
			    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							MHD_HTTP_HEADER_IF_NONE_MATCH),
			    MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							MHD_HTTP_HEADER_IF_MODIFIED_SINCE),
			    time(NULL), &reply))
		return MHD_NO;
	if (reply.status >= 400) {
		const char *body = reply.status == 405	 ? NOT_ALLOWED
				   : reply.status == 503 ? BUSY
				   : reply.status == 500 ? BROKEN
							 : NOT_FOUND;
		r = reply.status == 405	  ? s->not_allowed
		    : reply.status == 503 ? s->busy
		    : reply.status == 500 ? s->broken
					  : s->not_found;
		ret = MHD_queue_response(conn, (unsigned)reply.status, r);
		log_request(s, conn, method, url, version, reply.status,
			    strcmp(method, "HEAD") ? (int64_t)strlen(body) : 0);
		return ret;
	}
	/* a 304 says the length a 200 would have (RFC 9110 section 8.6):
	 * libmicrohttpd 0.9.75 sends a Content-Length on every 304, and
	 * never its body */
	if (!(r = MHD_create_response_from_fd64((uint64_t)reply.size,
						reply.fd))) {
		close(reply.fd);
		return MHD_NO;
	}
	if (reply.status == 200)
		MHD_add_response_header(r, "Content-Type", reply.content_type);
	MHD_add_response_header(r, "ETag", reply.etag);
	if (*reply.last_modified)
		MHD_add_response_header(r, "Last-Modified", reply.last_modified);
	MHD_add_response_header(r, "Cache-Control", reply.cache_control);
	common_headers(r);
	if (reply.is_page)
		add_page_headers(r);
	ret = MHD_queue_response(conn, (unsigned)reply.status, r);
	MHD_destroy_response(r);
	log_request(s, conn, method, url, version, reply.status,
		    reply.status == 200 && strcmp(method, "HEAD") ? reply.size
								  : 0);
	return ret;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *conn, const char *url,
	   const char *method, const char *version, const char *upload_data,
	   size_t *upload_data_size, void **req_cls)
{
	fs_server *s = cls;

	(void)upload_data;
	if (!*req_cls) {
		*req_cls = &request_new;
		atomic_fetch_add(&s->in_flight, 1);
		if (!has_large_body(conn))
			return MHD_YES;
	} else if (*upload_data_size) {
		*upload_data_size = 0; /* a body we do not read */
		return MHD_YES;
	}
	if (*req_cls == &request_answered)
		return MHD_YES;
	*req_cls = &request_answered;
	return answer(s, conn, url, method, version);
}

static void
on_completed(void *cls, struct MHD_Connection *conn, void **req_cls,
	     enum MHD_RequestTerminationCode why)
{
	fs_server *s = cls;
	(void)conn;
	(void)why;
	if (*req_cls) {
		atomic_fetch_sub(&s->in_flight, 1);
		*req_cls = NULL;
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Percent-decodes the path in place, as libmicrohttpd would, but leaves
 * an escape of a control byte (%00, %0a) as it came: a NUL would cut the
 * path short, and a '%' is in no manifest path, so it is a plain 404.
 */
static size_t
unescape(void *cls, struct MHD_Connection *conn, char *uri)
{
	char *in = uri, *out = uri;
	(void)cls;
	(void)conn;
	while (*in) {
		int hi, lo;
		if (in[0] == '%' && (hi = hexval(in[1])) >= 0 &&
		    (lo = hexval(in[2])) >= 0 && hi * 16 + lo >= 0x20 &&
		    hi * 16 + lo != 0x7f) {
			*out++ = (char)(hi * 16 + lo);
			in += 3;
		} else {
			*out++ = *in++;
		}
	}
	*out = '\0';
	return (size_t)(out - uri);
}

fs_err
fs_serve_start(fs_server *s, const fs_serve_options *opts)
{
	unsigned threads = opts->threads;
	fs_err err;

	if (!threads) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		threads = n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
	}
	if (opts->log && !s->log && (err = serve_log_start(&s->log, opts)))
		return err;
	if (!(s->not_found = fixed_response(NOT_FOUND, NULL)) ||
	    !(s->not_allowed = fixed_response(NOT_ALLOWED, "GET, HEAD")) ||
	    !(s->busy = fixed_response(BUSY, NULL)) ||
	    !(s->broken = fixed_response(BROKEN, NULL)))
		return fs_fail(FS_ENOMEM, "out of memory");
	MHD_add_response_header(s->busy, "Retry-After", "5");
	if ((err = listen_on(s, opts->listen)))
		return err;
	/* A connection holds its socket and, while a file goes out, the
	 * file: no more connections than the descriptors can serve, so that
	 * a crowd of idle ones cannot turn every request into a 503. */
	unsigned connections = opts->max_connections ? opts->max_connections
						     : DEFAULT_CONNECTIONS;
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
		/* kept back: standard streams, the directory, and the
		 * server's own (an epoll and a pipe per thread) */
		rlim_t keep = 16 + 4 * (rlim_t)threads;
		rlim_t fit = rl.rlim_cur > keep + 2 ? (rl.rlim_cur - keep) / 2
						    : 1;
		if (connections > fit)
			connections = (unsigned)fit;
	}
	s->max_connections = connections;
	s->daemon = MHD_start_daemon(
		MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
			MHD_USE_TURBO,
		0, NULL, NULL, on_request, s,
		MHD_OPTION_LISTEN_SOCKET, s->listen_fd,
		MHD_OPTION_THREAD_POOL_SIZE, threads,
		MHD_OPTION_CONNECTION_LIMIT, connections,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, opts->max_per_ip,
		MHD_OPTION_CONNECTION_TIMEOUT,
		opts->timeout ? opts->timeout : DEFAULT_TIMEOUT,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MEMORY_LIMIT,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_UNESCAPE_CALLBACK, unescape, s,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_END);
	if (!s->daemon)
		return fs_fail(FS_EIO, "%s: the HTTP server did not start "
			       "(too many connections or threads for this "
			       "system?)", s->address);
	return FS_OK;
}

void
fs_serve_close(fs_server *s, unsigned grace)
{
	if (!s)
		return;
	if (s->daemon) {
		MHD_socket l = MHD_quiesce_daemon(s->daemon);
		if (l != MHD_INVALID_SOCKET)
			close(l);
		/* requests in flight finish; idle keep-alive connections
		 * are closed */
		struct timespec tick = { 0, 20 * 1000 * 1000 };
		for (unsigned i = 0; i < grace * 50 &&
				     atomic_load(&s->in_flight) > 0; i++)
			nanosleep(&tick, NULL);
		MHD_stop_daemon(s->daemon);
	} else if (s->listen_fd >= 0) {
		close(s->listen_fd);
	}
	/* after the last request's line; a log whose reader stalled is
	 * given up after a second or the grace, whichever is longer */
	serve_log_stop(s->log, grace ? grace : 1);
	if (s->not_found)
		MHD_destroy_response(s->not_found);
	if (s->not_allowed)
		MHD_destroy_response(s->not_allowed);
	if (s->busy)
		MHD_destroy_response(s->busy);
	if (s->broken)
		MHD_destroy_response(s->broken);
	if (s->dirfd >= 0)
		close(s->dirfd);
	fs_manifest_free(s->manifest);
	pthread_rwlock_destroy(&s->lock);
	pthread_mutex_destroy(&s->reloading);
	free(s->dir);
	free(s);
}
