/*
 * fieldschool/url.h - the addresses of what `publish` writes.
 *
 * A publish directory is served at a base URL (https://example.org/feeds):
 * the file M/p/TOKEN.ics of the directory is then at
 * https://example.org/feeds/M/p/TOKEN.ics.  The base URL given to
 * `publish --base-url` is remembered per mission, so that later publishes,
 * pages, badges, the links list and `token show` give the same addresses
 * without it being repeated.
 */
#ifndef FIELDSCHOOL_URL_H
#define FIELDSCHOOL_URL_H

#include <stddef.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"

/* Where a mission was last published.  Every string is "" when unknown
 * (never published, or published without a base URL); never NULL after a
 * successful fs_publication_get(). */
typedef struct fs_publication {
	char *base_url;     /* without a final '/' */
	char *dir;          /* the output directory, an absolute path */
	char *published_at; /* 'YYYY-MM-DDTHH:MM:SSZ' */
} fs_publication;

#define FS_PUBLICATION_INIT { NULL, NULL, NULL }

/* FS_ENOTFOUND when there is no such mission. */
fs_err fs_publication_get(fs_store *store, const char *mission,
			  fs_publication *out);
void fs_publication_release(fs_publication *p); /* frees the contents */

/* The directories that hold files a publish of mission (a code) wrote,
 * one per line, each ending in '\n', in *out ("" when none; the caller's,
 * free()).  The mission need not exist: after `mission remove`, these are
 * the directories whose next publish removes its files. */
fs_err fs_publication_dirs(char **out, fs_store *store, const char *mission);

/*
 * FS_OK when url is an absolute http or https URL with a host and no query,
 * fragment, user name, space or control character: a base URL that
 * publish can put before a file's path.  FS_EINPUT otherwise, with the
 * reason ("'feeds': not an absolute http(s) URL ...").
 */
fs_err fs_url_check_base(const char *url);

/*
 * The address of rel (a path relative to the publish directory, such as
 * "mx-2027/p/0a1b....ics") under base: base without its final slashes,
 * '/', then rel with every byte outside RFC 3986's unreserved characters
 * and '/' percent-encoded.  NULL when out of memory, or when base is "".
 */
char *fs_url_join(const char *base, const char *rel);

/* url with its http:// or https:// scheme replaced by webcal://, the
 * address calendar apps (Apple Calendar, Thunderbird) subscribe to.  NULL
 * when out of memory or when url is not http(s). */
char *fs_url_webcal(const char *url);

/* s percent-encoded for a query component: every byte but RFC 3986's
 * unreserved characters (A-Z a-z 0-9 - . _ ~).  NULL when out of memory. */
char *fs_url_encode(const char *s);

/* The paths, relative to the publish directory, of a participant's feed
 * and page: "M/p/TOKEN.ics", "M/p/TOKEN.html".  ext is "ics" or "html".
 * Returns what snprintf returns. */
int fs_path_personal(char *out, size_t size, const char *mission,
		     const char *token, const char *ext);

/* The path of a facilitator's feed, relative to the publish directory:
 * "M/facilitator-NAME-HASH.ics" (the name as ASCII, and 8 hex digits of a
 * hash of the exact name).  Returns what snprintf returns. */
int fs_path_facilitator(char *out, size_t size, const char *mission,
			const char *name);

#endif
