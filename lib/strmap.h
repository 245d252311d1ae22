/* strmap.h - a string-keyed hash map of small values (lib-internal). */
#ifndef FS_STRMAP_H
#define FS_STRMAP_H

#include <stddef.h>
#include <stdint.h>

#include "fieldschool/error.h"

struct strmap_entry {
	char *key;
	long line;
	uint64_t aux;
};

struct strmap {
	struct strmap_entry *slots;
	size_t n, cap;
};

#define STRMAP_INIT { NULL, 0, 0 }

/* The entry for key, or NULL. */
struct strmap_entry *strmap_get(const struct strmap *map, const char *key);
/* Adds key (copied); FS_ENOMEM. The key must not be present. */
fs_err strmap_put(struct strmap *map, const char *key, long line, uint64_t aux);
void strmap_release(struct strmap *map);

uint64_t hash_bytes(const void *data, size_t len, uint64_t seed);

#endif
