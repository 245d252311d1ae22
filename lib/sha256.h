/*
 * sha256.h - SHA-256 (FIPS 180-4), for the hashes of a page's inline style
 * and script in its Content-Security-Policy, and for the schedule's
 * name-based guids (lib-internal).
 */
#ifndef FS_SHA256_H
#define FS_SHA256_H

#include <stddef.h>

void sha256(const void *data, size_t len, unsigned char digest[32]);

/* The digest in base64 (44 characters and the NUL), as CSP wants it. */
void sha256_base64(const void *data, size_t len, char out[45]);

#endif
