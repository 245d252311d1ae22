/* strmap.c - open addressing with linear probing, FNV-1a hashes. */
#include <stdlib.h>
#include <string.h>

#include "strmap.h"

uint64_t
hash_bytes(const void *data, size_t len, uint64_t seed)
{
	const unsigned char *p = data;
	uint64_t h = 1469598103934665603ULL ^ seed;
	for (size_t i = 0; i < len; i++) {
		h ^= p[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static size_t
slot_of(const struct strmap *map, const char *key)
{
	size_t mask = map->cap - 1;
	size_t i = hash_bytes(key, strlen(key), 0) & mask;
	while (map->slots[i].key && strcmp(map->slots[i].key, key) != 0)
		i = (i + 1) & mask;
	return i;
}

struct strmap_entry *
strmap_get(const struct strmap *map, const char *key)
{
	if (map->cap == 0)
		return NULL;
	size_t i = slot_of(map, key);
	return map->slots[i].key ? &map->slots[i] : NULL;
}

static fs_err
grow(struct strmap *map)
{
	struct strmap old = *map;
	size_t cap = old.cap ? old.cap * 2 : 256;

	map->slots = calloc(cap, sizeof(*map->slots));
	if (!map->slots) {
		*map = old;
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	map->cap = cap;
	for (size_t i = 0; i < old.cap; i++)
		if (old.slots[i].key)
			map->slots[slot_of(map, old.slots[i].key)] = old.slots[i];
	free(old.slots);
	return FS_OK;
}

fs_err
strmap_put(struct strmap *map, const char *key, long line, uint64_t aux)
{
	fs_err err;
	char *copy;

	if ((map->n + 1) * 2 > map->cap && (err = grow(map)))
		return err;
	if (!(copy = strdup(key)))
		return fs_fail(FS_ENOMEM, "out of memory");
	map->slots[slot_of(map, key)] = (struct strmap_entry){ copy, line, aux };
	map->n++;
	return FS_OK;
}

void
strmap_release(struct strmap *map)
{
	for (size_t i = 0; i < map->cap; i++)
		free(map->slots[i].key);
	free(map->slots);
	*map = (struct strmap)STRMAP_INIT;
}
