/*
 * bidi.c - explicit directional controls balanced, right-to-left text
 * found (see bidi.h).
 *
 * Balancing follows rules X1-X8 of UAX #9 for the run alone: an
 * embedding or override (LRE, RLE, LRO, RLO) is closed by PDF, an
 * isolate (LRI, RLI, FSI) by PDI, which also closes the embeddings opened
 * inside it; PDF inside an isolate cannot close what is outside it.  A
 * run balanced this way ends at the level it started at, so whatever
 * holds it (a <bdi>, a Pango paragraph) stays as it was.  Line breaks end
 * a paragraph in UAX #9: controls still open are closed before one, so a
 * line is balanced whether or not the renderer sees a paragraph there.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bidi.h"
#include "fieldschool/text.h"

#define MAX_OPEN 32

bool
fs_bidi_is_control(uint32_t cp)
{
	return (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

/* The blocks whose characters (assigned or not) are R, AL or AN by
 * default (DerivedBidiClass.txt), and RLM. */
static bool
is_rtl(uint32_t cp)
{
	return (cp >= 0x0590 && cp <= 0x08FF) || cp == 0x200F ||
	       (cp >= 0xFB1D && cp <= 0xFDFF) || (cp >= 0xFE70 && cp <= 0xFEFF) ||
	       (cp >= 0x10800 && cp <= 0x10FFF) ||
	       (cp >= 0x1E800 && cp <= 0x1EFFF);
}

bool
bidi_needs_isolation(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		uint32_t cp;
		size_t n;
		if (*p < 0xD6) { /* ASCII and up to U+057F: nothing to find */
			p++;
			continue;
		}
		if (!(n = fs_utf8_next((const char *)p, &cp))) {
			p++;
			continue;
		}
		if (is_rtl(cp) || fs_bidi_is_control(cp))
			return true;
		p += n;
	}
	return false;
}

/* UTF-8 of U+202C (PDF) and U+2069 (PDI): E2 80 AC, E2 81 A9. */
static const char PDF[] = "\xE2\x80\xAC", PDI[] = "\xE2\x81\xA9";

static bool
is_isolate(uint32_t cp)
{
	return cp >= 0x2066 && cp <= 0x2068;
}

/* Appends the closers of what is open, innermost first, at *o. */
static char *
close_all(char *o, const bool *isolate, int *depth)
{
	while (*depth > 0) {
		memcpy(o, isolate[--*depth] ? PDI : PDF, 3);
		o += 3;
	}
	return o;
}

static bool
has_control(const char *s)
{
	for (const char *p = s; (p = strchr(p, '\xE2'));) {
		uint32_t cp;
		size_t n = fs_utf8_next(p, &cp);
		if (n && fs_bidi_is_control(cp))
			return true;
		p++;
	}
	return false;
}

fs_err
bidi_balanced(char **out, const char *s)
{
	bool isolate[MAX_OPEN]; /* what is open, outermost first */
	int depth = 0, isolates = 0;
	size_t len = strlen(s);
	char *copy, *o;

	*out = NULL;
	if (!has_control(s))
		return FS_OK;
	/* every closer added closes an opener kept: at most len bytes */
	if (!(copy = malloc(2 * len + 1)))
		return fs_fail(FS_ENOMEM, "out of memory");
	o = copy;
	for (const char *p = s; *p;) {
		uint32_t cp = 0;
		size_t n = fs_utf8_next(p, &cp);
		if (!n) { /* not UTF-8: the caller shows it as it does */
			*o++ = *p++;
			continue;
		}
		if (*p == '\n' || *p == '\r') {
			o = close_all(o, isolate, &depth);
			isolates = 0;
		} else if (cp == 0x202C) { /* PDF: an embedding on top? */
			if (!depth || isolate[depth - 1]) {
				p += n;
				continue;
			}
			depth--;
		} else if (cp == 0x2069) { /* PDI: closes the last isolate */
			if (!isolates) {
				p += n;
				continue;
			}
			while (!isolate[--depth])
				;
			isolates--;
		} else if (fs_bidi_is_control(cp)) { /* an opener */
			if (depth == MAX_OPEN) {
				p += n;
				continue;
			}
			isolates += isolate[depth++] = is_isolate(cp);
		}
		memcpy(o, p, n);
		o += n;
		p += n;
	}
	o = close_all(o, isolate, &depth);
	*o = '\0';
	if ((size_t)(o - copy) == len && !memcmp(copy, s, len)) {
		free(copy);
		return FS_OK; /* paired already */
	}
	*out = copy;
	return FS_OK;
}

char *
bidi_isolated(const char *s)
{
	char *balanced = NULL, *out = NULL;
	if (bidi_balanced(&balanced, s))
		return NULL;
	const char *text = balanced ? balanced : s;
	if (!bidi_needs_isolation(text))
		out = balanced ? balanced : strdup(s);
	else if ((out = malloc(strlen(text) + 7)))
		sprintf(out, "\u2068%s\u2069", text);
	if (out != balanced)
		free(balanced);
	return out;
}
