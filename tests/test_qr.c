/*
 * test_qr.c - lib/qr.c read back by an independent decoder: each code is
 * drawn as a greyscale image (PGM) from fs_qr_dark() and from the SVG's
 * path, and zbarimg (zbar-tools) must give back the exact text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fieldschool/qr.h"

#define SCALE 6

/* The image of a module matrix (1 dark), with the quiet zone. */
static void
write_pgm(const char *path, int side, const unsigned char *dark)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fprintf(f, "P5 %d %d 255\n", side * SCALE, side * SCALE);
	for (int y = 0; y < side * SCALE; y++)
		for (int x = 0; x < side * SCALE; x++)
			fputc(dark[(y / SCALE) * side + x / SCALE] ? 0 : 255, f);
	assert_int_equal(fclose(f), 0);
}

/* What zbarimg reads in the image at path, without its final newline. */
static char *
decode(const char *path)
{
	char cmd[512], *text = calloc(1, 4096);
	snprintf(cmd, sizeof(cmd), "zbarimg --quiet --raw -Sdisable "
		 "-Sqrcode.enable -Sbinary '%s' 2>/dev/null", path);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	size_t n = fread(text, 1, 4095, p);
	pclose(p);
	while (n && text[n - 1] == '\n')
		text[--n] = '\0';
	return text;
}

/* The modules the SVG's path paints, one module wide along the middle of
 * each row: "M x y.5" starts a row, "m gap 0" skips light modules, "h n"
 * paints n dark ones. */
static unsigned char *
svg_modules(const char *svg, int *side_out)
{
	int side;
	assert_int_equal(sscanf(strstr(svg, "viewBox="), "viewBox=\"0 0 %d", &side), 1);
	assert_non_null(strstr(svg, "stroke=\"#000\""));
	unsigned char *dark = calloc((size_t)side * side, 1);
	const char *p = strstr(svg, " d=\"") + 4;
	int x = 0, y = 0, n, used;
	for (;;) {
		if (sscanf(p, "M%d %d.5%n", &x, &y, &used) == 2) {
		} else if (sscanf(p, "m%d 0%n", &n, &used) == 1) {
			x += n;
		} else if (sscanf(p, "h%d%n", &n, &used) == 1) {
			assert_true(y < side && x + n <= side);
			for (int i = 0; i < n; i++)
				dark[y * side + x + i] = 1;
			x += n;
		} else {
			break;
		}
		p += used;
	}
	assert_int_equal(*p, '"');
	*side_out = side;
	return dark;
}

static void
roundtrip(const char *text)
{
	char path[512];
	fs_qr qr = FS_QR_INIT;
	assert_int_equal(fs_qr_encode(&qr, text), FS_OK);
	assert_true(qr.width >= 21);

	int side = qr.width + 2 * FS_QR_QUIET;
	unsigned char *dark = calloc((size_t)side * side, 1);
	for (int y = 0; y < qr.width; y++)
		for (int x = 0; x < qr.width; x++)
			dark[(y + FS_QR_QUIET) * side + x + FS_QR_QUIET] =
				fs_qr_dark(&qr, x, y);
	snprintf(path, sizeof(path), "%s/test_qr_%d.pgm",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	write_pgm(path, side, dark);
	char *got = decode(path);
	assert_string_equal(got, text);
	free(got);

	char *svg = fs_qr_svg(&qr);
	assert_non_null(svg);
	int svg_side;
	unsigned char *painted = svg_modules(svg, &svg_side);
	assert_int_equal(svg_side, side);
	assert_memory_equal(painted, dark, (size_t)side * side);
	write_pgm(path, side, painted);
	got = decode(path);
	assert_string_equal(got, text);
	remove(path);
	free(got);
	free(painted);
	free(svg);
	free(dark);
	fs_qr_release(&qr);
}

static void
test_addresses(void **state)
{
	(void)state;
	roundtrip("https://example.org/feeds/mx-2027/p/"
		  "0123456789abcdef0123456789abcdef.html");
	roundtrip("http://[::1]:8080/rw-2027/index.html");
	roundtrip("https://example.org/f%C3%AAtes/ph-2027/group-A.html");
}

static void
test_outside_is_light(void **state)
{
	(void)state;
	fs_qr qr = FS_QR_INIT;
	assert_int_equal(fs_qr_encode(&qr, "x"), FS_OK);
	assert_false(fs_qr_dark(&qr, -1, 0));
	assert_false(fs_qr_dark(&qr, qr.width, 0));
	assert_false(fs_qr_dark(&qr, 0, qr.width));
	/* a finder pattern's corner is dark */
	assert_true(fs_qr_dark(&qr, 0, 0));
	fs_qr_release(&qr);
	fs_qr_release(&qr); /* twice is fine */
}

static void
test_too_long(void **state)
{
	(void)state;
	char *text = malloc(8001);
	memset(text, 'a', 8000);
	text[8000] = '\0';
	fs_qr qr = FS_QR_INIT;
	assert_int_equal(fs_qr_encode(&qr, text), FS_EINPUT);
	assert_null(qr.modules);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addresses),
		cmocka_unit_test(test_outside_is_light),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
