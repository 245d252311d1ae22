/* countries.h - the countries of ISO 3166-1 (lib/countries.c). */
#ifndef FS_COUNTRIES_H
#define FS_COUNTRIES_H

#include <stddef.h>

struct country {
	char code[3]; /* alpha-2, upper case */
	const char *name; /* short English name, for badges and certificates */
};

/* Sorted by code: ISO 3166-1's assigned codes, and XK (Kosovo). */
extern const struct country countries[];
extern const size_t n_countries;

/* The country of an alpha-2 code (upper case), or NULL. */
const struct country *country_find(const char *code);

#endif
