/*
 * qr.c - QR codes with libqrencode: the matrix, and an SVG of it.
 */
#include <errno.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/qr.h"

#ifdef FS_HAVE_QRCODE_ENCODEMASK
/*
 * Choosing the mask, libqrencode draws the code eight times and scores
 * each (ISO/IEC 18004 7.8.3): three quarters of the time of a personal
 * page.  Every mask gives a code that any reader decodes (the format
 * information names it), so one is taken: 150,000 codes in a publish.
 * Declared in libqrencode's qrencode_inner.h, exported by its library.
 */
extern QRcode *QRcode_encodeMask(QRinput *input, int mask);
#define MASK 2

static QRcode *
encode(const char *text)
{
	QRinput *input = QRinput_new2(0, QR_ECLEVEL_M);
	QRcode *code = NULL;
	/* version 0: the smallest that holds the text, as below */
	if (input && QRinput_append(input, QR_MODE_8, (int)strlen(text),
				    (const unsigned char *)text) == 0)
		code = QRcode_encodeMask(input, MASK);
	QRinput_free(input);
	return code;
}
#else
static QRcode *
encode(const char *text)
{
	return QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
}
#endif

fs_err
fs_qr_encode(fs_qr *out, const char *text)
{
	*out = (fs_qr)FS_QR_INIT;
	errno = 0;
	QRcode *code = encode(text);
	if (!code)
		return errno == ERANGE || errno == EINVAL
			       ? fs_fail(FS_EINPUT, "'%.40s...': too long for a "
					 "QR code", text)
			       : fs_fail(FS_ENOMEM, "out of memory");
	size_t n = (size_t)code->width * (size_t)code->width;
	if (!(out->modules = malloc(n))) {
		QRcode_free(code);
		return fs_fail(FS_ENOMEM, "out of memory");
	}
	/* libqrencode's bit 0 is "dark"; the other bits say what the module
	 * is part of */
	for (size_t i = 0; i < n; i++)
		out->modules[i] = code->data[i] & 1;
	out->width = code->width;
	QRcode_free(code);
	return FS_OK;
}

bool
fs_qr_dark(const fs_qr *qr, int x, int y)
{
	return x >= 0 && y >= 0 && x < qr->width && y < qr->width &&
	       qr->modules[(size_t)y * (size_t)qr->width + (size_t)x];
}

void
fs_qr_release(fs_qr *qr)
{
	free(qr->modules);
	*qr = (fs_qr)FS_QR_INIT;
}

/* Appends n in decimal at p; returns the end. */
static char *
put_int(char *p, int n)
{
	char digits[12];
	int len = 0;
	do
		digits[len++] = (char)('0' + n % 10);
	while ((n /= 10) > 0);
	while (len)
		*p++ = digits[--len];
	return p;
}

/*
 * One path, stroked one module wide along the middle of each row: a row
 * is "M x y.5", then per run of dark modules "h n", and "m gap 0" between
 * runs, so a run costs about 6 bytes (a filled rectangle per run took
 * 14).  Written by hand: a publish draws 150,000 codes.
 */
char *
fs_qr_svg(const fs_qr *qr)
{
	static const char tail[] = "\"/></svg>";
	int side = qr->width + 2 * FS_QR_QUIET;
	/* a row: "M" 3 " " 3 ".5" and at most (width + 1) / 2 runs of
	 * "m" 3 " 0h" 3: 11 bytes */
	size_t cap = 320 + (size_t)qr->width * (10 + (size_t)(qr->width + 1) /
							  2 * 11) +
		     sizeof(tail);
	char *text = malloc(cap);
	if (!text || qr->width > 999 - 2 * FS_QR_QUIET) {
		free(text);
		return NULL;
	}
	char *p = text + snprintf(text, 320,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"shape-rendering=\"crispEdges\" role=\"img\">"
		"<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		"<path fill=\"none\" stroke=\"#000\" d=\"",
		side, side, side, side);
	for (int y = 0; y < qr->width; y++) {
		const unsigned char *row =
			qr->modules + (size_t)y * (size_t)qr->width;
		int at = -1; /* where the pen is in this row; -1: not yet */
		for (int x = 0; x < qr->width;) {
			if (!row[x]) {
				x++;
				continue;
			}
			int run = 1;
			while (x + run < qr->width && row[x + run])
				run++;
			if (at < 0) {
				*p++ = 'M';
				p = put_int(p, x + FS_QR_QUIET);
				*p++ = ' ';
				p = put_int(p, y + FS_QR_QUIET);
				memcpy(p, ".5", 2);
				p += 2;
			} else {
				*p++ = 'm';
				p = put_int(p, x - at);
				memcpy(p, " 0", 2);
				p += 2;
			}
			*p++ = 'h';
			p = put_int(p, run);
			x += run;
			at = x;
		}
	}
	memcpy(p, tail, sizeof(tail));
	return text;
}
