/*
 * bidi.h - text typed in one direction kept from reordering the text
 * around it (lib-internal: the pages and the PDFs use it).
 *
 * The Unicode bidirectional algorithm (UAX #9) lets an explicit
 * embedding, override or isolate control (U+202A-U+202E, U+2066-U+2069)
 * reorder everything after it up to the end of the paragraph, and a
 * pop (U+202C, U+2069) close one that the surrounding markup opened.  A
 * name typed with an unpaired U+202E would show the times or the next
 * name after it reversed.  Such text is balanced before it is shown,
 * and isolated where it sits among other text.
 */
#ifndef FS_BIDI_H
#define FS_BIDI_H

#include <stdbool.h>

#include "fieldschool/error.h"

/* Whether s can change the order of anything: it holds a character of a
 * right-to-left script (Hebrew, Arabic, Syriac, Thaana, N'Ko... with their
 * digits and marks, and U+200F) or an explicit directional control.  Text
 * without one resolves to the paragraph's left-to-right level and moves
 * nothing; text with one is isolated. */
bool bidi_needs_isolation(const char *s);

/* Sets *out to a copy of s (the caller frees) whose explicit controls are
 * balanced: a pop with nothing of its kind open is dropped, and what is
 * still open at a line break or at the end is closed there; more than 32
 * open at once are dropped.  *out is NULL when s needs no change (most
 * text: no control, or all paired). */
fs_err bidi_balanced(char **out, const char *s);

/* A copy of s (the caller frees; NULL when out of memory), balanced, and
 * between U+2068 FIRST STRONG ISOLATE and U+2069 POP DIRECTIONAL ISOLATE
 * when it could reorder the text it is put among: for a name set into a
 * sentence that one Pango paragraph shows. */
char *bidi_isolated(const char *s);

#endif
