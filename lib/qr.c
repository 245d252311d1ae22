/*
 * qr.c - QR codes with libqrencode: the matrix, and an SVG of it.
 */
#include <errno.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/qr.h"

fs_err
fs_qr_encode(fs_qr *out, const char *text)
{
	*out = (fs_qr)FS_QR_INIT;
	errno = 0;
	QRcode *code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M);
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

/* Each run of dark modules in a row is one "M x y h n v 1 h -n z", so the
 * path stays short: about a third of a byte per module. */
char *
fs_qr_svg(const fs_qr *qr)
{
	int side = qr->width + 2 * FS_QR_QUIET;
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	if (!out)
		return NULL;
	fprintf(out,
		"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
		"shape-rendering=\"crispEdges\" role=\"img\">"
		"<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
		"<path fill=\"#000\" d=\"",
		side, side, side, side);
	for (int y = 0; y < qr->width; y++) {
		for (int x = 0; x < qr->width;) {
			if (!fs_qr_dark(qr, x, y)) {
				x++;
				continue;
			}
			int run = 1;
			while (fs_qr_dark(qr, x + run, y))
				run++;
			fprintf(out, "M%d %dh%dv1h-%dz", x + FS_QR_QUIET,
				y + FS_QR_QUIET, run, run);
			x += run;
		}
	}
	fputs("\"/></svg>", out);
	if (fclose(out)) {
		free(text);
		return NULL;
	}
	return text;
}
