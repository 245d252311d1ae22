/*
 * url.c - the addresses of published files, and the base URL remembered
 * for each mission (the publication table of 004-publication.sql).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/url.h"
#include "store.h"

fs_err
fs_publication_get(fs_store *store, const char *mission, fs_publication *out)
{
	struct mission_info info;
	sqlite3_stmt *stmt;
	fs_err err;

	*out = (fs_publication)FS_PUBLICATION_INIT;
	if ((err = mission_lookup(store, mission, &info)) ||
	    (err = store_stmt(store, Q_PUBLICATION_GET, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, info.code, -1, SQLITE_STATIC);
	int rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		err = store_fail(store, "reading the publication");
		goto done;
	}
	bool row = rc == SQLITE_ROW;
	out->base_url = strdup(row ? store_text(stmt, 0) : "");
	out->dir = strdup(row ? store_text(stmt, 1) : "");
	out->published_at = strdup(row ? store_text(stmt, 2) : "");
	if (!out->base_url || !out->dir || !out->published_at) {
		fs_publication_release(out);
		err = fs_fail(FS_ENOMEM, "out of memory");
	}
done:
	sqlite3_reset(stmt);
	return err;
}

fs_err
fs_publication_dirs(char **out, fs_store *store, const char *mission)
{
	sqlite3_stmt *stmt;
	size_t len = 0;
	fs_err err;
	FILE *list;
	int rc;

	*out = NULL;
	if ((err = store_stmt(store, Q_FEED_FILE_DIRS_OF, &stmt)))
		return err;
	if (!(list = open_memstream(out, &len)))
		return fs_fail(FS_ENOMEM, "out of memory");
	sqlite3_bind_text(stmt, 1, mission, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		fprintf(list, "%s\n", store_text(stmt, 0));
	if (rc != SQLITE_DONE)
		err = store_fail(store, "reading where a mission was published");
	sqlite3_reset(stmt);
	if (fclose(list) != 0 && !err)
		err = fs_fail(FS_ENOMEM, "out of memory");
	if (err) {
		free(*out);
		*out = NULL;
	}
	return err;
}

void
fs_publication_release(fs_publication *p)
{
	free(p->base_url);
	free(p->dir);
	free(p->published_at);
	*p = (fs_publication)FS_PUBLICATION_INIT;
}

static bool
is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == '~';
}

fs_err
fs_url_check_base(const char *url)
{
	const char *host;
	if (!strncmp(url, "https://", 8))
		host = url + 8;
	else if (!strncmp(url, "http://", 7))
		host = url + 7;
	else
		return fs_fail(FS_EINPUT, "'%s': not an absolute http or https "
			       "URL (such as https://example.org/feeds)", url);
	size_t host_len = strcspn(host, "/");
	if (host_len == 0 || host[0] == ':' || host[0] == '.')
		return fs_fail(FS_EINPUT, "'%s': the URL names no host", url);
	for (const unsigned char *p = (const unsigned char *)url; *p; p++) {
		if (*p <= ' ' || *p == 0x7f)
			return fs_fail(FS_EINPUT, "'%s': a URL holds no space "
				       "or control character (write %%20)", url);
		if (*p == '?' || *p == '#')
			return fs_fail(FS_EINPUT, "'%s': a base URL has no "
				       "query or fragment ('%c')", url, *p);
		if (*p == '\\' || *p == '"' || *p == '<' || *p == '>')
			return fs_fail(FS_EINPUT, "'%s': '%c' is not allowed "
				       "in a URL", url, *p);
	}
	if (memchr(host, '@', host_len))
		return fs_fail(FS_EINPUT, "'%s': a base URL holds no user "
			       "name or password", url);
	for (size_t i = 0; i < host_len; i++) {
		unsigned char c = (unsigned char)host[i];
		if (!is_unreserved(c) && c != ':' && c != '[' && c != ']' &&
		    c != '%')
			return fs_fail(FS_EINPUT, "'%s': '%c' is not allowed in "
				       "a host name", url, c);
	}
	return FS_OK;
}

/* Appends s to out (which has room), percent-encoding what is not
 * unreserved; '/' is kept when keep_slash. */
static char *
encode_into(char *out, const char *s, bool keep_slash)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (is_unreserved(*p) || (keep_slash && *p == '/')) {
			*out++ = (char)*p;
		} else {
			*out++ = '%';
			*out++ = hex[*p >> 4];
			*out++ = hex[*p & 15];
		}
	}
	*out = '\0';
	return out;
}

char *
fs_url_join(const char *base, const char *rel)
{
	size_t n = strlen(base);
	while (n && base[n - 1] == '/')
		n--;
	if (!n)
		return NULL;
	while (*rel == '/')
		rel++;
	char *url = malloc(n + 1 + 3 * strlen(rel) + 1);
	if (!url)
		return NULL;
	memcpy(url, base, n);
	url[n] = '/';
	encode_into(url + n + 1, rel, true);
	return url;
}

char *
fs_url_webcal(const char *url)
{
	const char *rest;
	if (!strncmp(url, "https://", 8))
		rest = url + 8;
	else if (!strncmp(url, "http://", 7))
		rest = url + 7;
	else
		return NULL;
	char *out = NULL;
	return asprintf(&out, "webcal://%s", rest) < 0 ? NULL : out;
}

char *
fs_url_encode(const char *s)
{
	char *out = malloc(3 * strlen(s) + 1);
	if (out)
		encode_into(out, s, false);
	return out;
}

int
fs_path_personal(char *out, size_t size, const char *mission,
		 const char *token, const char *ext)
{
	return snprintf(out, size, "%s/p/%s.%s", mission, token, ext);
}
