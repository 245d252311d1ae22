/* embedded.h - files compiled into the library by cmake/embed.cmake. */
#ifndef FS_EMBEDDED_H
#define FS_EMBEDDED_H

#include <stddef.h>

struct fs_embedded {
	const char *name;  /* "001-init.sql", "data/demo/agenda.csv" */
	const char *bytes; /* NUL-terminated */
	size_t size;
};

extern const struct fs_embedded fs_migrations[]; /* in order, NULL-ended */
extern const struct fs_embedded fs_data[];       /* NULL-ended */

/* The embedded file named name, or NULL. */
const struct fs_embedded *embedded_data(const char *name);

#endif
