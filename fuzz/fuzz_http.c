/*
 * fuzz_http.c - libFuzzer target for how serve decides an answer
 * (lib/serve.c, lib/manifest.c): the request's method, path and validators
 * against a real publish directory, and the manifest reader.
 *
 * The input is up to four fields separated by NUL bytes: method, path,
 * If-None-Match, If-Modified-Since (a missing field is an absent header).
 * A first byte 'M' instead makes the rest a manifest, written into a
 * second directory and read back.  Besides crashes, undefined behaviour
 * and leaks: an answer is 200, 304, 404 or 405; a file is served only when
 * its path is one the manifest lists and may list, and it is the regular
 * file inside the directory, never the symlink, the dotfile or index.json
 * planted next to it; the redacted log form never shows a token.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fieldschool/manifest.h"
#include "fieldschool/serve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "fuzz_http: %s\n", #cond);           \
			abort();                                             \
		}                                                            \
	} while (0)

#define TOKEN "0123456789abcdef0123456789abcdef"

static const char *const listed[] = {
	"m/m.ics", "m/index.html", "index.html", "m/schedule.xml",
	"m/p/" TOKEN ".ics",
};

static char dir[256], other[256];
static fs_server *server;

static void
put(const char *base, const char *rel, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", base, rel);
	FILE *f = fopen(path, "w");
	CHECK(f && fputs(text, f) >= 0 && fclose(f) == 0);
}

static void
setup(void)
{
	char path[512];
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/fuzz_http.XXXXXX", tmp ? tmp : "/tmp");
	snprintf(other, sizeof(other), "%s/fuzz_http.XXXXXX", tmp ? tmp : "/tmp");
	CHECK(mkdtemp(dir) && mkdtemp(other));
	snprintf(path, sizeof(path), "%s/m", dir);
	CHECK(mkdir(path, 0755) == 0);
	snprintf(path, sizeof(path), "%s/m/p", dir);
	CHECK(mkdir(path, 0755) == 0);
	for (size_t i = 0; i < sizeof(listed) / sizeof(*listed); i++)
		put(dir, listed[i], "served\n");
	put(dir, "m/index.json", "secret\n");
	put(dir, ".secret", "secret\n");
	put(dir, "m/.fs-tmp-1-1", "secret\n");
	snprintf(path, sizeof(path), "%s/m/link.ics", dir);
	CHECK(symlink("../.secret", path) == 0);
	put(dir, FS_MANIFEST_NAME, "fieldschool-manifest 1\n"
				   "m/m.ics\nm/index.html\nindex.html\n"
				   "m/schedule.xml\nm/p/" TOKEN ".ics\n"
				   "m/index.json\nm/link.ics\n.secret\n"
				   "m/.fs-tmp-1-1\n");
	CHECK(fs_serve_open(&server, dir) == FS_OK);
}

/* The next NUL-terminated field of [*p, end), or NULL past the end. */
static const char *
field(const char **p, const char *end)
{
	if (*p >= end)
		return NULL;
	const char *start = *p;
	*p += strlen(start) + 1;
	return start;
}

static void
fuzz_manifest(const uint8_t *data, size_t size)
{
	char path[512];
	fs_manifest *m = NULL;
	int fd;

	snprintf(path, sizeof(path), "%s/" FS_MANIFEST_NAME, other);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	CHECK(fd >= 0 && write(fd, data, size) == (ssize_t)size);
	close(fd);
	fd = open(other, O_RDONLY | O_DIRECTORY);
	CHECK(fd >= 0);
	if (fs_manifest_load(&m, fd) == FS_OK) {
		CHECK(m);
		/* every line it took is one a publish may list */
		const char *text = (const char *)data, *end = text + size;
		size_t n = 0;
		for (const char *line = text; line < end;) {
			const char *nl = memchr(line, '\n', (size_t)(end - line));
			size_t len = (size_t)((nl ? nl : end) - line);
			if (line != text && fs_manifest_has(m, line, len))
				CHECK(fs_manifest_path_ok(line, len));
			line += len + 1;
			n++;
		}
		CHECK(fs_manifest_count(m) <= n);
		CHECK(!fs_manifest_has(m, "index.json", 10));
		fs_manifest_free(m);
	} else {
		CHECK(!m);
	}
	close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!server)
		setup();
	if (size && data[0] == 'M') {
		fuzz_manifest(data + 1, size - 1);
		return 0;
	}
	/* a terminated copy, so that every field is a string */
	char *copy = malloc(size + 1);
	CHECK(copy);
	memcpy(copy, data, size);
	copy[size] = '\0';
	const char *p = copy, *end = copy + size;
	const char *method = field(&p, end), *path = field(&p, end);
	const char *inm = field(&p, end), *ims = field(&p, end);
	fs_serve_reply reply;

	CHECK(fs_serve_answer(server, method ? method : "GET",
			      path ? path : "/", inm, ims, 1800000000,
			      &reply) == FS_OK);
	CHECK(reply.status == 200 || reply.status == 304 ||
	      reply.status == 404 || reply.status == 405);
	if (reply.status == 200 || reply.status == 304) {
		bool known = false;
		for (size_t i = 0; i < sizeof(listed) / sizeof(*listed); i++)
			known |= !strcmp(reply.path, listed[i]);
		CHECK(known);
		struct stat st;
		CHECK(reply.fd >= 0 && fstat(reply.fd, &st) == 0 &&
		      S_ISREG(st.st_mode) && st.st_size == reply.size);
		char body[16] = "";
		CHECK(pread(reply.fd, body, sizeof(body) - 1, 0) == 7);
		CHECK(!strcmp(body, "served\n"));
		close(reply.fd);
	} else {
		CHECK(reply.fd == -1);
	}
	if (ims) {
		time_t t;
		if (fs_http_date_parse(ims, &t)) {
			char again[32];
			time_t back;
			fs_http_date_format(t, again);
			CHECK(fs_http_date_parse(again, &back) && back == t);
		}
	}
	if (inm)
		fs_http_etag_matches(inm, "\"1-2-3\"");
	char line[256];
	fs_http_redact(path ? path : "", line, sizeof(line));
	CHECK(strlen(line) < sizeof(line));
	CHECK(!strstr(line, TOKEN));
	free(copy);
	return 0;
}
