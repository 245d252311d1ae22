/*
 * term.c - text from the database or a file, made safe to print.
 *
 * Names and titles are refused with control characters on the way in, but
 * a database of an older version, or a CSV file being reported on, may
 * hold them: an ESC sequence printed raw would clear the organizer's
 * screen or rewrite what it shows.  So what the program prints for people
 * goes through term_text(): control characters (C0, DEL, C1) become
 * visible escapes (\x1b, \u009b), bytes that are not UTF-8 become U+FFFD.
 * So do directional controls (\u202e): a terminal that applies the
 * bidirectional algorithm would reverse the rest of the line after one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/text.h"

#define RING 8

static const char *
neutralise(const char *s, bool lines)
{
	static char *ring[RING];
	static unsigned next;
	const unsigned char *p = (const unsigned char *)s;
	/* at most 6 bytes out per byte in (\u009b for 2 bytes, \x1b for 1,
	 * U+FFFD's 3 for 1) */
	char *out = realloc(ring[next % RING], strlen(s) * 6 + 1), *o;

	if (!out)
		return "(out of memory)";
	ring[next++ % RING] = o = out;
	while (*p) {
		uint32_t wc = 0;
		size_t n = fs_utf8_next((const char *)p, &wc);
		if (!n) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			p++;
		} else if (*p == '\n' && lines) {
			*o++ = '\n';
			p++;
		} else if (*p == '\r' && lines && p[1] == '\n') {
			p++;
		} else if (*p == '\n' || *p == '\r' || *p == '\t') {
			*o++ = ' '; /* one line: a table row, a message */
			p++;
		} else if (*p < 0x20 || *p == 0x7F) {
			o += sprintf(o, "\\x%02x", *p);
			p++;
		} else if (n == 2 && p[0] == 0xC2 && p[1] < 0xA0) {
			o += sprintf(o, "\\u%04x", p[1]); /* C1: U+0080-U+009F */
			p += 2;
		} else if (fs_bidi_is_control(wc)) {
			o += sprintf(o, "\\u%04x", (unsigned)wc); /* U+202E */
			p += n;
		} else {
			memcpy(o, p, n);
			o += n;
			p += n;
		}
	}
	*o = '\0';
	return out;
}

const char *
term_text(const char *s)
{
	return neutralise(s ? s : "", false);
}

const char *
term_lines(const char *s)
{
	return neutralise(s ? s : "", true);
}
