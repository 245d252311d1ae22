/*
 * check.h - what the rules of check share (lib-internal): check.c (the
 * findings, fs_check_run() and the order of the rules), check_items.c,
 * check_overlap.c, check_travel.c, check_people.c and check_clocks.c
 * (the rules).  The algorithms are described at the top of check.c.
 */
#ifndef FS_CHECK_H
#define FS_CHECK_H

#include <stdbool.h>

#include "fieldschool/check.h"

#define DAY_MIN 1440

/* One run of fs_check_run(): its input, its findings, and what the rules
 * share about the items and the people. */
struct check_ctx {
	const fs_check_input *in;
	fs_findings *out;
	long *abs_start, *abs_end; /* per item, minutes since day 1 00:00 */
	long *pairs;               /* groups x categories: confirmed people */
	long *group_size, *category_size;
	long n_confirmed;
	double speed;
	int buffer;
	char groups_used[256]; /* groups_in_use(), made once when first asked */
	bool has_groups_used;
};

/* Adds a finding to c->out: its message formatted from fmt; subject NULL
 * for the mission. */
fs_err check_add(struct check_ctx *c, fs_severity severity, const char *rule,
		 const char *subject, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* "day 2 09:15-11:45" in buf */
const char *check_when(const fs_check_item *it, char buf[48]);
/* Items a and b in start order: by start, then end, then index. */
int check_item_cmp(const struct check_ctx *c, int a, int b);

/* Returns the failure of expr, if any. */
#define TRY(expr)                                                            \
	do {                                                                 \
		fs_err try_err_ = (expr);                                    \
		if (try_err_)                                                \
			return try_err_;                                     \
	} while (0)

/* The rules, in the order fs_check_run() runs them (order: the items
 * sorted by check_item_cmp()).  check_items.c: */
fs_err check_items(struct check_ctx *c);
/* check_overlap.c: double bookings of places (or facilitators), people
 * expected in two places at once */
fs_err check_bookings(struct check_ctx *c, bool places);
fs_err check_audiences(struct check_ctx *c, const int *order);
/* check_travel.c, check_people.c, check_clocks.c: */
fs_err check_travel(struct check_ctx *c, const int *order);
fs_err check_people(struct check_ctx *c);
fs_err check_clocks(struct check_ctx *c);

#endif
