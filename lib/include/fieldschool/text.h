/*
 * fieldschool/text.h - UTF-8, decoded once for the whole program.
 */
#ifndef FIELDSCHOOL_TEXT_H
#define FIELDSCHOOL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The length in bytes (1 to 4) of the valid UTF-8 character at s, with its
 * code point in *cp when cp is not NULL; 0 when there is none: the end of
 * the string, a byte that starts no character, a cut, overlong or surrogate
 * sequence, or one beyond U+10FFFF.  Never reads past a NUL. */
size_t fs_utf8_next(const char *s, uint32_t *cp);

/* Whether cp is an explicit directional control (U+202A-U+202E, U+2066-
 * U+2069: an embedding, override, isolate or their pop), which reorders
 * the text after it when shown. */
bool fs_bidi_is_control(uint32_t cp);

#endif
