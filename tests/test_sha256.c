/*
 * test_sha256.c - lib/sha256.c against the test vectors of FIPS 180-4's
 * examples (NIST CSRC) and lengths around the padding boundary against
 * sha256sum (coreutils), and the base64 form CSP hashes use.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sha256.h"

static void
hex(const unsigned char d[32], char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void
vectors(void **state)
{
	static const struct { const char *in, *want; } cases[] = {
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	unsigned char d[32];
	char got[65];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		sha256(cases[i].in, strlen(cases[i].in), d);
		hex(d, got);
		assert_string_equal(got, cases[i].want);
	}
}

/* Lengths each side of the padding boundaries (55/56 and 64 bytes, and
 * one block later), against sha256sum. */
static void
lengths(void **state)
{
	char data[201], got[65], want[65], cmd[64];
	unsigned char d[32];
	(void)state;
	for (int i = 0; i < 200; i++)
		data[i] = (char)('a' + i % 26);
	static const int sizes[] = { 0, 1, 54, 55, 56, 57, 63, 64, 65, 118,
				     119, 120, 121, 127, 128, 129, 200 };
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		int n = sizes[k];
		char path[] = "/tmp/test_sha256.XXXXXX";
		int fd = mkstemp(path);
		assert_true(fd >= 0);
		FILE *f = fdopen(fd, "wb");
		fwrite(data, 1, (size_t)n, f);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "sha256sum %s", path);
		FILE *p = popen(cmd, "r");
		assert_non_null(p);
		assert_int_equal(fscanf(p, "%64s", want), 1);
		pclose(p);
		remove(path);
		sha256(data, (size_t)n, d);
		hex(d, got);
		assert_string_equal(got, want);
	}
}

static void
base64_form(void **state)
{
	char b64[45];
	(void)state;
	/* printf abc | openssl dgst -sha256 -binary | base64 */
	sha256_base64("abc", 3, b64);
	assert_string_equal(b64, "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
	sha256_base64("", 0, b64);
	assert_string_equal(b64, "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vectors),
		cmocka_unit_test(lengths),
		cmocka_unit_test(base64_form),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
