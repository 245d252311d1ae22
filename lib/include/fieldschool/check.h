/*
 * fieldschool/check.h - does a mission's plan hold together?
 *
 * fs_check_run() takes a mission as plain arrays (items, people, places;
 * names interned as small indexes) and returns findings, each an error or a
 * warning about one item, participant or the mission itself.  It does no
 * I/O; fieldschool/schedule.h loads the arrays from a store.  The rules and
 * their severities are listed in the README ("fieldschool check").
 */
#ifndef FIELDSCHOOL_CHECK_H
#define FIELDSCHOOL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "fieldschool/error.h"

/* Default travel assumptions: city traffic door to door, and time to get
 * a group out of a room and onto a bus. */
#define FS_CHECK_SPEED_KMH 20.0
#define FS_CHECK_BUFFER_MIN 15

typedef struct fs_check_place {
	const char *name;
	bool has_coords;
	double lat, lon;
} fs_check_place;

typedef struct fs_check_item {
	const char *ref;
	int day;          /* 1-based day of the mission; may be out of range */
	int start, end;   /* minutes after midnight of that day */
	bool is_visit;
	int place;        /* index into places, -1 for none */
	long capacity;    /* people the site takes at once; 0 for none */
	bool for_all;     /* audience "all" */
	const int *groups;       /* audience group:X, indexes into groups */
	size_t n_groups;
	const int *categories;   /* audience category:X */
	size_t n_categories;
	const int *facilitators; /* indexes into facilitators */
	size_t n_facilitators;
	/* Clock changes at the start and end: 0 none; > 0 the time does not
	 * exist (the clocks jump forward that many minutes); < 0 it happens
	 * twice (the clocks go back that many minutes). */
	int start_clock, end_clock;
} fs_check_item;

#define FS_CHECK_NO_DAY (-1000000)

typedef struct fs_check_person {
	const char *ref;
	int category;      /* index into categories */
	bool is_confirmed;
	int group;         /* index into groups, -1 for none */
	int arrival_day;   /* 1-based mission day, FS_CHECK_NO_DAY when unknown */
	int arrival_min;   /* minutes after midnight, -1 for a date alone */
	int departure_day;
	int departure_min;
	int arrival_clock;   /* as fs_check_item's start_clock */
	int departure_clock;
} fs_check_person;

typedef struct fs_check_input {
	const char *mission;   /* code, copied into every finding */
	const char *timezone;  /* for messages; may be NULL */
	int days;              /* the mission's length */
	long capacity;         /* seats, -1 for no limit */
	const long *quotas;    /* per category, -1 for none; NULL for none */
	const fs_check_item *items;
	size_t n_items;
	const fs_check_person *people;
	size_t n_people;
	const fs_check_place *places;
	size_t n_places;
	const char *const *facilitators;
	size_t n_facilitators;
	const char *const *groups;
	size_t n_group_labels;
	const char *const *categories;
	size_t n_category_codes;
	double speed_kmh;      /* <= 0: FS_CHECK_SPEED_KMH */
	int buffer_min;        /* < 0: FS_CHECK_BUFFER_MIN */
} fs_check_input;

typedef enum fs_severity {
	FS_WARNING,
	FS_ERROR,
} fs_severity;

typedef struct fs_finding {
	fs_severity severity;
	const char *rule;   /* static: "facilitator-overlap", ... */
	char *mission;
	char *subject;      /* item or participant ref, or "mission" */
	char *message;      /* what is wrong, and what to do */
} fs_finding;

typedef struct fs_findings {
	fs_finding *items;
	size_t n, cap;
	size_t n_errors;
} fs_findings;

#define FS_FINDINGS_INIT { NULL, 0, 0, 0 }

/*
 * Appends to *out the findings about one mission.  Nothing in the input is
 * kept.  FS_ENOMEM only: a bad plan is data, not a failure.
 */
fs_err fs_check_run(fs_findings *out, const fs_check_input *in);

void fs_findings_release(fs_findings *list);

/* "error" or "warning". */
const char *fs_severity_name(fs_severity severity);

/* Great-circle distance in kilometres (haversine, mean Earth radius). */
double fs_distance_km(double lat1, double lon1, double lat2, double lon2);

/* Minutes to cover km at speed_kmh, rounded up. */
int fs_travel_minutes(double km, double speed_kmh);

/* Orders group labels as plan groups names them: A before B before AA
 * (by length, then by bytes).  A qsort comparator of (const char *)s. */
int fs_group_label_cmp(const void *a, const void *b);

#endif
