/*
 * table.c - text for a terminal: display widths and aligned tables.
 *
 * Columns are padded by what a terminal shows, not by bytes: "é" takes one
 * column, "김" and "😀" two, a combining accent none.  The width comes from
 * the C library's wcwidth() under the C.UTF-8 locale (always present on
 * Debian), set for this thread only, so that the rest of the program keeps
 * the "C" locale; where that locale is missing, each code point counts one.
 * A cell shows on one line: a line break becomes "↵", a tab a space, and
 * other control characters and invalid UTF-8 "�".
 */
#include <locale.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "cmd.h"
#include "fieldschool/text.h"

static locale_t utf8_locale;
static bool utf8_tried;

/* The width of one code point (-1 from wcwidth: not printable, shown as
 * U+FFFD by cell_text, one column). */
static int
char_width(wchar_t wc)
{
	int w;

	if (!utf8_locale)
		return 1;
	locale_t old = uselocale(utf8_locale);
	w = wcwidth(wc);
	uselocale(old);
	return w < 0 ? 1 : w;
}

static void
init_locale(void)
{
	if (utf8_tried)
		return;
	utf8_tried = true;
	utf8_locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
}

char *
cell_text(const char *s)
{
	size_t n = strlen(s), cap = n * 4 + 1, o = 0;
	const unsigned char *p = (const unsigned char *)s;
	char *out = malloc(cap);

	if (!out)
		return NULL;
	for (size_t i = 0; i < n;) {
		uint32_t wc;
		size_t len = fs_utf8_next(s + i, &wc);
		const char *show = NULL;

		if (len == 0) {
			show = "\xEF\xBF\xBD"; /* U+FFFD */
			len = 1;
		} else if (wc == '\r' && i + 1 < n && p[i + 1] == '\n') {
			show = "\xE2\x86\xB5"; /* U+21B5 */
			len = 2;
		} else if (wc == '\n' || wc == '\r') {
			show = "\xE2\x86\xB5";
		} else if (wc == '\t') {
			show = " ";
		} else if (wc < 0x20 || (wc >= 0x7F && wc < 0xA0) ||
			   fs_bidi_is_control(wc)) {
			/* as term.c shows them: \x1b, \u009b, \u202e (at
			 * most 4 bytes out for each byte in) */
			o += (size_t)snprintf(out + o, cap - o,
					      wc < 0x80 ? "\\x%02x" : "\\u%04x",
					      (unsigned)wc);
			i += len;
			continue;
		}
		if (show) {
			memcpy(out + o, show, strlen(show));
			o += strlen(show);
		} else {
			memcpy(out + o, p + i, len);
			o += len;
		}
		i += len;
	}
	out[o] = '\0';
	return out;
}

size_t
display_width(const char *s)
{
	size_t n = strlen(s), w = 0;

	init_locale();
	for (size_t i = 0; i < n;) {
		uint32_t wc;
		size_t len = fs_utf8_next(s + i, &wc);
		if (len == 0) {
			w++;
			i++;
			continue;
		}
		w += (size_t)char_width((wchar_t)wc);
		i += len;
	}
	return w;
}

void
table_init(struct table *t, size_t n_columns, const char *const *headers)
{
	*t = (struct table){ .n_columns = n_columns, .headers = headers };
}

fs_err
table_add(struct table *t, const char *const *cells)
{
	if (t->rows == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		char **more = realloc(t->cells,
				      cap * t->n_columns * sizeof(*more));
		if (!more)
			return fs_fail(FS_ENOMEM, "out of memory");
		t->cells = more;
		t->cap = cap;
	}
	for (size_t i = 0; i < t->n_columns; i++) {
		char *cell = cell_text(cells[i] ? cells[i] : "");
		if (!cell) {
			while (i-- > 0)
				free(t->cells[t->rows * t->n_columns + i]);
			return fs_fail(FS_ENOMEM, "out of memory");
		}
		t->cells[t->rows * t->n_columns + i] = cell;
	}
	t->rows++;
	return FS_OK;
}

void
table_print(const struct table *t, FILE *out)
{
	size_t *widths = calloc(t->n_columns, sizeof(*widths));

	if (!widths)
		return;
	for (size_t i = 0; i < t->n_columns; i++)
		widths[i] = display_width(t->headers[i]);
	for (size_t r = 0; r < t->rows; r++)
		for (size_t i = 0; i < t->n_columns; i++) {
			size_t w = display_width(t->cells[r * t->n_columns + i]);
			if (w > widths[i])
				widths[i] = w;
		}
	for (long r = -1; r < (long)t->rows; r++) {
		const char *const *row = r < 0 ? t->headers
				       : (const char *const *)t->cells +
						 r * t->n_columns;
		size_t last = t->n_columns; /* no padding after it */
		while (last > 1 && !*row[last - 1])
			last--;
		for (size_t i = 0; i < last; i++) {
			const char *cell = row[i];
			fputs(cell, out);
			if (i + 1 < last)
				fprintf(out, "%*s",
					(int)(widths[i] - display_width(cell) +
					      2),
					"");
		}
		fputc('\n', out);
	}
	free(widths);
}

void
table_release(struct table *t)
{
	for (size_t i = 0; i < t->rows * t->n_columns; i++)
		free(t->cells[i]);
	free(t->cells);
	t->cells = NULL;
	t->rows = t->cap = 0;
}

/* The progress line: rewritten in place, wiped before anything else goes
 * to standard error, so that a message starts a line of its own. */
static int progress_width;

void
progress_show(const char *fmt, ...)
{
	va_list ap;
	int n;

	fputc('\r', stderr);
	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	/* a shorter line leaves the end of the longer one: blank it */
	if (n < progress_width)
		fprintf(stderr, "%*s", progress_width - n, "");
	if (n > progress_width)
		progress_width = n;
}

void
progress_clear(void)
{
	if (progress_width > 0)
		fprintf(stderr, "\r%*s\r", progress_width, "");
	progress_width = 0;
}
