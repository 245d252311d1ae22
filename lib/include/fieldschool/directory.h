/*
 * fieldschool/directory.h - the small reference tables: participant
 * categories, curriculum modules, places and facilitators.
 *
 * The seven categories and both curricula ship in data/ and are loaded into
 * every new database.  Places and facilitators are also created on the fly
 * by agenda imports, by name.
 */
#ifndef FIELDSCHOOL_DIRECTORY_H
#define FIELDSCHOOL_DIRECTORY_H

#include <stdbool.h>
#include <stdint.h>

#include "fieldschool/store.h"

typedef struct fs_category {
	int number;
	const char *code, *name, *description;
	long participants;
} fs_category;

typedef struct fs_module {
	const char *curriculum, *code, *title, *topics; /* topics: "a;b;c" */
	int number;
} fs_module;

typedef struct fs_place {
	const char *name, *address;
	bool has_geo;
	double lat, lon;
	long items; /* agenda items held there */
} fs_place;

typedef struct fs_facilitator {
	const char *name, *email, *organization;
	long items;
} fs_facilitator;

/* Callbacks get borrowed records, valid during the call only. */
typedef fs_err (*fs_category_fn)(void *ctx, const fs_category *category);
typedef fs_err (*fs_module_fn)(void *ctx, const fs_module *module);
typedef fs_err (*fs_place_fn)(void *ctx, const fs_place *place);
typedef fs_err (*fs_facilitator_fn)(void *ctx, const fs_facilitator *f);

/* Adds a category with the next free number (returned in *number_out).
 * FS_EINPUT: bad code or empty name.  FS_EEXISTS: the code is taken. */
fs_err fs_category_add(fs_store *store, const char *code, const char *name,
		       const char *description, int *number_out);
fs_err fs_category_each(fs_store *store, fs_category_fn fn, void *ctx);

/* Modules of one curriculum ("seminar", "e-course"), or all when NULL.
 * FS_ENOTFOUND: no such curriculum (fn is not called). */
fs_err fs_module_each(fs_store *store, const char *curriculum, fs_module_fn fn,
		      void *ctx);

/* Adds a place, or updates the address and coordinates of the one with this
 * name; lat and lon are text as typed ("" or NULL: none).  FS_EINPUT. */
fs_err fs_place_put(fs_store *store, const char *name, const char *address,
		    const char *lat, const char *lon);
fs_err fs_place_each(fs_store *store, fs_place_fn fn, void *ctx);

/* Changes the place called name: its name (new_name; NULL keeps it), its
 * address and position (as for fs_place_put; NULL keeps them).  Agenda
 * items keep the place under its new name; when what their LOCATION shows
 * changes (name, address, position), their SEQUENCE rises.  *changed says
 * whether anything changed.  FS_ENOTFOUND, FS_EEXISTS (the new name is
 * another place's), FS_EINPUT. */
fs_err fs_place_edit(fs_store *store, const char *name, const char *new_name,
		     const char *address, const char *lat, const char *lon,
		     bool *changed);

/* Removes a place.  FS_EINPUT when agenda items (removed ones too) are held
 * there, unless force: then they lose their place and their SEQUENCE
 * rises; *items_out gets how many.  FS_ENOTFOUND. */
fs_err fs_place_remove(fs_store *store, const char *name, bool force,
		       long *items_out);

/* Adds a facilitator, or updates the email and organization of the one with
 * this name.  FS_EINPUT: empty name, bad email. */
fs_err fs_facilitator_put(fs_store *store, const char *name, const char *email,
			  const char *organization);
fs_err fs_facilitator_each(fs_store *store, fs_facilitator_fn fn, void *ctx);

/* Changes the facilitator called name: name (new_name; NULL keeps it),
 * email, organization.  Their items keep them; a new name raises the
 * SEQUENCE of the items they lead (the name is in their DESCRIPTION).
 * FS_ENOTFOUND, FS_EEXISTS, FS_EINPUT. */
fs_err fs_facilitator_edit(fs_store *store, const char *name,
			   const char *new_name, const char *email,
			   const char *organization, bool *changed);

/* Removes a facilitator.  FS_EINPUT when agenda items (removed ones too)
 * name them, unless force: then the items lose them and their SEQUENCE
 * rises; *items_out gets how many.  FS_ENOTFOUND. */
fs_err fs_facilitator_remove(fs_store *store, const char *name, bool force,
			     long *items_out);

#endif
