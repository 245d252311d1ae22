/*
 * handouts.h - what badge.c, certificate.c and handout.c share
 * (lib-internal).
 */
#ifndef FS_HANDOUTS_H
#define FS_HANDOUTS_H

#include <stdint.h>

#include "fieldschool/error.h"
#include "fieldschool/store.h"

struct handout_mission {
	int64_t id;
	int64_t first_day; /* days since 1970-01-01 */
	int days;
	char *code, *title, *city, *country, *contact_name, *contact_email,
		*venue;
};

/* The mission's particulars.  FS_ENOTFOUND. */
fs_err handout_mission_load(fs_store *store, const char *code,
			    struct handout_mission *out);
void handout_mission_release(struct handout_mission *m);

/* The base URL publish remembered for the mission (malloc'd), issuing
 * feed tokens to the registrations without one.  FS_EINPUT when there is
 * no base URL: the detail says to run publish --base-url. */
fs_err handout_base_url(fs_store *store, const char *mission, char **out);

/* The English name of an ISO 3166 country code when it is one the field
 * schools see often, else the code itself. */
const char *handout_country(const char *code);

#endif
