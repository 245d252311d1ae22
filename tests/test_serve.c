/*
 * test_serve.c - the pieces of serve.c and manifest.c that decide an
 * answer: HTTP dates, entity tags, log redaction, which paths a manifest
 * may list, and fs_serve_answer() on a real directory in TMPDIR (no
 * socket: the HTTP side is tests/cli/155-serve.sh).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fieldschool/manifest.h"
#include "fieldschool/serve.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

static void
test_dates(void **state)
{
	static const struct {
		const char *text;
		time_t want; /* -1: refused */
	} cases[] = {
		{ "Sun, 06 Nov 1994 08:49:37 GMT", 784111777 },
		{ "Sunday, 06-Nov-94 08:49:37 GMT", 784111777 },
		{ "Sun Nov  6 08:49:37 1994", 784111777 },
		{ "Thu, 01 Jan 1970 00:00:00 GMT", 0 },
		{ "Sun, 06 Nov 1994 08:49:37 UTC", -1 },
		{ "Sun, 06 Nov 1994 08:49:37", -1 },
		{ "Sun, 6 Nov 1994 08:49:37 GMT", -1 },
		{ "Sun, 06 Nox 1994 08:49:37 GMT", -1 },
		{ "Sun, 06 Nov 1994 25:49:37 GMT", -1 },
		{ "Sun, 06 Nov 1994 08:49:37 GMT trailing", -1 },
		{ "yesterday", -1 },
		{ "", -1 },
		{ ",", -1 },
		{ "Sun Nov  6 08:49:37", -1 },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		time_t got = -1;
		bool ok = fs_http_date_parse(cases[i].text, &got);
		if (cases[i].want < 0 && ok)
			fail_msg("'%s' accepted", cases[i].text);
		if (cases[i].want >= 0 && (!ok || got != cases[i].want))
			fail_msg("'%s': %lld, want %lld", cases[i].text,
				 (long long)got, (long long)cases[i].want);
	}
	char text[32];
	fs_http_date_format(784111777, text);
	assert_string_equal(text, "Sun, 06 Nov 1994 08:49:37 GMT");
}

static void
test_etags(void **state)
{
	static const struct {
		const char *header;
		bool match;
	} cases[] = {
		{ "\"a-b\"", true },
		{ "W/\"a-b\"", true }, /* weak comparison for GET */
		{ "\"x\", \"a-b\"", true },
		{ "\"x\",W/\"a-b\"", true },
		{ "*", true },
		{ "\"a-b-c\"", false },
		{ "\"a-\"", false },
		{ "a-b", false },
		{ "\"a-b", false },
		{ "", false },
		{ ",,,", false },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		if (fs_http_etag_matches(cases[i].header, "\"a-b\"") !=
		    cases[i].match)
			fail_msg("If-None-Match: %s", cases[i].header);
}

static void
test_redact(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "/m/p/0123456789abcdef0123456789abcdef.ics",
		  "/m/p/[token].ics" },
		{ "/m/p/0123456789ABCDEF0123456789abcdef.html",
		  "/m/p/[token].html" },
		{ "/m/m.ics", "/m/m.ics" },
		{ "/2027/abc", "/2027/abc" },
		{ "/a\"b\\c\n", "/a\\x22b\\x5cc\\x0a" },
		{ "/\xc3\xa9", "/\\xc3\\xa9" },
	};
	char out[128];
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		fs_http_redact(cases[i].in, out, sizeof(out));
		assert_string_equal(out, cases[i].out);
	}
	/* a small buffer is cut, and terminated */
	fs_http_redact("/abcdefghijklmnopqrstuvwxyz", out, 12);
	assert_true(strlen(out) < 12);
	/* a run of hex shorter than a token, near the end of any size of
	 * buffer, stays inside it (a heap buffer: ASan sees one byte over) */
	static const char *const near_end[] = {
		"GGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGGABCDEFABCDEFABC",
		"/zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz0123456789abcde",
	};
	for (size_t k = 0; k < N_ELEMS(near_end); k++)
		for (size_t size = 1; size <= 80; size++) {
			char *buf = malloc(size);
			assert_non_null(buf);
			fs_http_redact(near_end[k], buf, size);
			assert_true(strlen(buf) < size);
			assert_memory_equal(buf, near_end[k], strlen(buf));
			free(buf);
		}
}

static void
test_manifest_paths(void **state)
{
	static const struct {
		const char *path;
		bool ok;
	} cases[] = {
		{ "m/m.ics", true },
		{ "m/p/0123456789abcdef0123456789abcdef.ics", true },
		{ "index.html", true },
		{ "m/index.html", true },
		{ "m/schedule.json", true },
		{ "m/index.json", false },
		{ "index.json", false },
		{ "m/myindex.json", true },
		{ "", false },
		{ "/m/m.ics", false },
		{ "m//m.ics", false },
		{ "m/", false },
		{ "../m.ics", false },
		{ "m/../m.ics", false },
		{ "m/./m.ics", false },
		{ ".fieldschool-manifest", false },
		{ "m/.fs-tmp-1-1", false },
		{ "m\\m.ics", false },
		{ "m/m%2e.ics", false },
		{ "m/a b.ics", false },
		{ "m/a\"b.ics", false },
		{ "m/\x01.ics", false },
		{ "m/group-\xc3\x89.ics", true },
		/* the line that says which database published a mission */
		{ FS_MANIFEST_OWNER "m 0123abcd =2027-05-10 4 =Field%20school =Lima",
		  false },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++)
		if (fs_manifest_path_ok(cases[i].path, strlen(cases[i].path)) !=
		    cases[i].ok)
			fail_msg("'%s'", cases[i].path);
	char long_path[1100];
	memset(long_path, 'a', sizeof(long_path));
	assert_false(fs_manifest_path_ok(long_path, sizeof(long_path)));
}

/* --- a directory ------------------------------------------------------- */

static char dir[512];

static void
put(const char *rel, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static int
setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	char path[1024];
	(void)state;
	snprintf(dir, sizeof(dir), "%s/test_serve.XXXXXX", tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/m", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/m/p", dir);
	mkdir(path, 0755);
	put("m/m.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n");
	put("m/index.html", "<!doctype html><title>m</title>\n");
	put("m/index.json", "{}\n");
	put("m/p/0123456789abcdef0123456789abcdef.ics", "personal\n");
	put("secret", "secret\n");
	snprintf(path, sizeof(path), "%s/m/link.ics", dir);
	assert_int_equal(symlink("../secret", path), 0);
	put(FS_MANIFEST_NAME, "fieldschool-manifest 1\n"
			      "m/m.ics\n"
			      "m/index.html\n"
			      "m/index.json\n"  /* never served */
			      "m/link.ics\n"    /* a symlink */
			      "../secret\n"     /* never valid */
			      "m/gone.ics\n"    /* listed, not there */
			      FS_MANIFEST_OWNER "m 0123abcd =2027-05-10 4 "
			      "=M =Lima\n"       /* an owner line: skipped */
			      "m/p/0123456789abcdef0123456789abcdef.ics\n");
	return 0;
}

static int
teardown(void **state)
{
	char command[1100];
	(void)state;
	snprintf(command, sizeof(command), "rm -rf '%s'", dir);
	return system(command) == 0 ? 0 : -1;
}

static void
test_answers(void **state)
{
	static const struct {
		const char *method, *path;
		int status;
		const char *type;
	} cases[] = {
		{ "GET", "/m/m.ics", 200, "text/calendar; charset=utf-8" },
		/* the absolute form (RFC 9112 section 3.2.2) */
		{ "GET", "http://example.org/m/m.ics", 200,
		  "text/calendar; charset=utf-8" },
		{ "GET", "HTTPS://example.org", 404, NULL }, /* as "/" */
		{ "GET", "http://example.org/../secret", 404, NULL },
		{ "HEAD", "/m/m.ics", 200, "text/calendar; charset=utf-8" },
		{ "GET", "/m/", 200, "text/html; charset=utf-8" },
		{ "GET", "/m/index.html", 200, "text/html; charset=utf-8" },
		{ "GET", "/m/p/0123456789abcdef0123456789abcdef.ics", 200,
		  "text/calendar; charset=utf-8" },
		{ "GET", "/m/index.json", 404, NULL },
		{ "GET", "/m/link.ics", 404, NULL },
		{ "GET", "/../secret", 404, NULL },
		{ "GET", "/secret", 404, NULL },
		{ "GET", "/m/gone.ics", 404, NULL },
		{ "GET", "/", 404, NULL },
		{ "GET", "//m/m.ics", 404, NULL },
		{ "GET", "m/m.ics", 404, NULL },
		{ "GET", "/m/p/", 404, NULL },
		{ "GET", "/" FS_MANIFEST_NAME, 404, NULL },
		{ "POST", "/m/m.ics", 405, NULL },
		{ "get", "/m/m.ics", 405, NULL },
	};
	fs_server *server = NULL;
	fs_serve_reply reply;
	(void)state;

	assert_int_equal(fs_serve_open(&server, dir), FS_OK);
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		assert_int_equal(fs_serve_answer(server, cases[i].method,
						 cases[i].path, NULL, NULL,
						 time(NULL), &reply),
				 FS_OK);
		if (reply.status != cases[i].status)
			fail_msg("%s %s: %d, want %d", cases[i].method,
				 cases[i].path, reply.status, cases[i].status);
		if (cases[i].type)
			assert_string_equal(reply.content_type, cases[i].type);
		assert_true((reply.fd >= 0) == (reply.status == 200));
		if (reply.fd >= 0)
			close(reply.fd);
	}
	/* validators, a few seconds after the files were written */
	time_t later = time(NULL) + 5;
	assert_int_equal(fs_serve_answer(server, "GET", "/m/m.ics", NULL, NULL,
					 later, &reply), FS_OK);
	close(reply.fd);
	assert_true(reply.last_modified[0] != '\0');
	fs_serve_reply again;
	fs_serve_answer(server, "GET", "/m/m.ics", reply.etag, NULL, later,
			&again);
	assert_int_equal(again.status, 304);
	close(again.fd);
	fs_serve_answer(server, "GET", "/m/m.ics", NULL, reply.last_modified,
			later, &again);
	assert_int_equal(again.status, 304);
	close(again.fd);
	fs_serve_answer(server, "GET", "/m/m.ics", "\"other\"",
			reply.last_modified, later, &again);
	assert_int_equal(again.status, 200);
	close(again.fd);
	/* in the second the file was written, it may be written again: no
	 * Last-Modified, and If-Modified-Since is no proof of freshness */
	struct stat st;
	char file[1024];
	snprintf(file, sizeof(file), "%s/m/m.ics", dir);
	assert_int_equal(stat(file, &st), 0);
	fs_serve_answer(server, "GET", "/m/m.ics", NULL, reply.last_modified,
			st.st_mtim.tv_sec, &again);
	assert_int_equal(again.status, 200);
	assert_string_equal(again.last_modified, "");
	assert_true(again.etag[0] == '"');
	close(again.fd);

	/* a new manifest is read without a restart */
	put(".fs-new", "fieldschool-manifest 1\nm/index.html\n");
	char from[1024], to[1024];
	snprintf(from, sizeof(from), "%s/.fs-new", dir);
	snprintf(to, sizeof(to), "%s/" FS_MANIFEST_NAME, dir);
	assert_int_equal(rename(from, to), 0);
	fs_serve_answer(server, "GET", "/m/m.ics", NULL, NULL, time(NULL),
			&reply);
	assert_int_equal(reply.status, 404);
	/* one that is not a manifest leaves the last good one in use */
	put(".fs-new", "something else\nm/m.ics\n");
	assert_int_equal(rename(from, to), 0);
	fs_serve_answer(server, "GET", "/m/", NULL, NULL, time(NULL), &reply);
	assert_int_equal(reply.status, 200);
	close(reply.fd);
	fs_serve_answer(server, "GET", "/m/m.ics", NULL, NULL, time(NULL),
			&reply);
	assert_int_equal(reply.status, 404);
	fs_serve_close(server, 0);

	/* a directory without a manifest is not a publish directory */
	unlink(to);
	assert_int_equal(fs_serve_open(&server, dir), FS_EINPUT);
	assert_null(server);
	assert_non_null(strstr(fs_errdetail(), "not a publish directory"));
	assert_int_equal(fs_serve_open(&server, "/nonexistent/fs"),
			 FS_ENOTFOUND);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_etags),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_manifest_paths),
		cmocka_unit_test_setup_teardown(test_answers, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
