/*
 * fieldschool/participant.h - participants and their registrations.
 *
 * A row of fs_participants_format is a person and, when its mission column
 * is set, their registration for that mission (participants.csv in
 * FORMATS.md).  A person is found by ref, else by email, else is new; a new
 * person without a ref gets one ("P000042"), so that an export names every
 * row and importing it again changes nothing.
 */
#ifndef FIELDSCHOOL_PARTICIPANT_H
#define FIELDSCHOOL_PARTICIPANT_H

#include "fieldschool/record.h"

enum fs_participant_column {
	FS_PART_REF,
	FS_PART_GIVEN_NAME,
	FS_PART_FAMILY_NAME,
	FS_PART_EMAIL,
	FS_PART_PHONE,
	FS_PART_ORGANIZATION,
	FS_PART_POSITION,
	FS_PART_CATEGORY,
	FS_PART_COUNTRY,
	FS_PART_LANGUAGE,
	FS_PART_DIETARY,
	FS_PART_ACCESSIBILITY,
	FS_PART_MISSION,
	FS_PART_STATUS,
	FS_PART_ARRIVAL,
	FS_PART_DEPARTURE,
	FS_PART_FUNDED,
	FS_PART_GROUP,
	FS_PART__COUNT
};

/* Removes a person with all their registrations, or, when mission is not
 * NULL, only their registration for that mission.  FS_ENOTFOUND. */
fs_err fs_participant_remove(fs_store *store, const char *ref,
			     const char *mission);

#endif
