/*
 * fieldschool/qr.h - QR codes (libqrencode) of the addresses pages and
 * hand-outs print, as a matrix of modules and as inline SVG.
 */
#ifndef FIELDSCHOOL_QR_H
#define FIELDSCHOOL_QR_H

#include <stdbool.h>

#include "fieldschool/error.h"

/* QR_QUIET modules of light margin around the code, as ISO/IEC 18004
 * asks; readers fail without it. */
#define FS_QR_QUIET 4

typedef struct fs_qr {
	int width;              /* modules per side, without the margin */
	unsigned char *modules; /* width * width, row by row: 1 dark, 0 light */
} fs_qr;

#define FS_QR_INIT { 0, NULL }

/* Encodes text (bytes, as UTF-8) at error-correction level M, the
 * smallest version that holds it.  FS_EINPUT when text is too long for a
 * QR code (over about 2,300 bytes), FS_ENOMEM. */
fs_err fs_qr_encode(fs_qr *out, const char *text);

/* Whether the module at row y, column x is dark (false outside). */
bool fs_qr_dark(const fs_qr *qr, int x, int y);

void fs_qr_release(fs_qr *qr); /* frees the contents */

/*
 * The code as an SVG element that scales to its box: a viewBox of
 * width + 2 * FS_QR_QUIET modules, a white background, one path of the
 * dark modules, role="img" and no text (the page labels it).  Malloc'd;
 * NULL when out of memory.
 */
char *fs_qr_svg(const fs_qr *qr);

#endif
