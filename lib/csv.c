/* csv.c - an RFC 4180 reader over a buffered FILE, and the writer. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/csv.h"

struct fs_csv {
	FILE *fp;
	const char *name;
	char buf[1 << 16];
	size_t pos, len;
	bool eof;
	long line;       /* current line of the input */
	long row_line;   /* where the last record started */
	long consumed;
	bool started;    /* a record has been read: no byte order mark now */
	char *text;      /* the record's fields, each NUL-terminated */
	size_t text_len, text_cap;
	size_t *starts;  /* offsets of the fields in text */
	size_t nfields, fields_cap;
	/* the header's names, for messages (fs_csv_keep_header) */
	char *names;
	size_t *name_starts, n_names;
};

fs_err
fs_csv_open(fs_csv **out, FILE *fp, const char *name)
{
	fs_csv *csv = calloc(1, sizeof(*csv));

	*out = NULL;
	if (!csv)
		return fs_fail(FS_ENOMEM, "out of memory");
	csv->fp = fp;
	csv->name = name;
	csv->line = 1;
	*out = csv;
	return FS_OK;
}

void
fs_csv_free(fs_csv *csv)
{
	if (!csv)
		return;
	free(csv->text);
	free(csv->starts);
	free(csv->names);
	free(csv->name_starts);
	free(csv);
}

/* The next byte, or -1 at the end; -2 on a read error. */
static int
peek(fs_csv *csv)
{
	if (csv->pos == csv->len) {
		if (csv->eof)
			return -1;
		csv->len = fread(csv->buf, 1, sizeof(csv->buf), csv->fp);
		csv->pos = 0;
		if (csv->len == 0) {
			csv->eof = true;
			return ferror(csv->fp) ? -2 : -1;
		}
	}
	return (unsigned char)csv->buf[csv->pos];
}

/* Are the next bytes mark?  Moves what is left of the buffer to its start
 * to read them all. */
static bool
at_mark(fs_csv *csv, const char *mark, size_t n)
{
	if (peek(csv) != (unsigned char)mark[0])
		return false;
	if (csv->len - csv->pos < n && !csv->eof) {
		size_t left = csv->len - csv->pos;
		memmove(csv->buf, csv->buf + csv->pos, left);
		csv->pos = 0;
		csv->len = left;
		while (csv->len < n) {
			size_t got = fread(csv->buf + csv->len, 1,
					   sizeof(csv->buf) - csv->len, csv->fp);
			if (got == 0)
				break;
			csv->len += got;
		}
	}
	return csv->len - csv->pos >= n &&
	       !memcmp(csv->buf + csv->pos, mark, n);
}

/* A UTF-8 byte order mark (as Excel writes it). */
static bool
at_bom(fs_csv *csv)
{
	return at_mark(csv, "\xEF\xBB\xBF", 3);
}

/* A UTF-16 one (Excel's "Unicode Text", Notepad's "Unicode"). */
static bool
at_utf16(fs_csv *csv)
{
	return at_mark(csv, "\xFF\xFE", 2) || at_mark(csv, "\xFE\xFF", 2);
}

static void
advance(fs_csv *csv)
{
	csv->pos++;
	csv->consumed++;
}

static bool
put(fs_csv *csv, char c)
{
	if (csv->text_len == csv->text_cap) {
		size_t cap = csv->text_cap ? csv->text_cap * 2 : 1024;
		char *text = realloc(csv->text, cap);
		if (!text)
			return false;
		csv->text = text;
		csv->text_cap = cap;
	}
	csv->text[csv->text_len++] = c;
	return true;
}

static bool
put_bytes(fs_csv *csv, const char *bytes, size_t n)
{
	if (csv->text_len + n > csv->text_cap) {
		size_t cap = csv->text_cap ? csv->text_cap : 1024;
		while (cap < csv->text_len + n)
			cap *= 2;
		char *text = realloc(csv->text, cap);
		if (!text)
			return false;
		csv->text = text;
		csv->text_cap = cap;
	}
	memcpy(csv->text + csv->text_len, bytes, n);
	csv->text_len += n;
	return true;
}

/* The bytes that end a run of plain text in an unquoted field. */
static const bool ends_plain[256] = {
	[','] = true, ['\n'] = true, ['\r'] = true, ['"'] = true, ['\0'] = true,
};

/* The length of the leading run of bytes that end no unquoted field. */
static size_t
strcspn_plain(const char *p, size_t len)
{
	size_t i = 0;
	while (i < len && !ends_plain[(unsigned char)p[i]])
		i++;
	return i;
}

static bool
start_field(fs_csv *csv)
{
	if (csv->nfields == csv->fields_cap) {
		size_t cap = csv->fields_cap ? csv->fields_cap * 2 : 32;
		size_t *starts = realloc(csv->starts, cap * sizeof(*starts));
		if (!starts)
			return false;
		csv->starts = starts;
		csv->fields_cap = cap;
	}
	csv->starts[csv->nfields++] = csv->text_len;
	return true;
}

/* A problem in the field being read: named by the header's name for it
 * (fs_csv_keep_header), else by its number. */
static fs_err
bad(fs_csv *csv, long line, const char *reason)
{
	size_t i = csv->nfields - 1; /* start_field() has counted it */

	if (csv->nfields == 0)
		return fs_fail(FS_EINPUT, "%s:%ld: %s", csv->name, line, reason);
	if (i < csv->n_names && csv->names[csv->name_starts[i]])
		return fs_fail(FS_EINPUT, "%s:%ld: %s: %s", csv->name, line,
			       csv->names + csv->name_starts[i], reason);
	return fs_fail(FS_EINPUT, "%s:%ld: field %zu: %s", csv->name, line,
		       i + 1, reason);
}

/* Consumes an end of line (LF or CRLF) if there is one. */
static bool
eat_newline(fs_csv *csv)
{
	int c = peek(csv);
	if (c == '\r') {
		advance(csv);
		if (peek(csv) == '\n')
			advance(csv);
	} else if (c == '\n') {
		advance(csv);
	} else {
		return false;
	}
	csv->line++;
	return true;
}

static fs_err
read_failed(const fs_csv *csv)
{
	return fs_fail(FS_EIO, "%s: %s", csv->name, strerror(errno));
}

/* A quoted field, from its opening quote; *next: what follows it. */
static fs_err
read_quoted(fs_csv *csv, int *next)
{
	long opened = csv->line;
	int c;

	advance(csv);
	for (;;) {
		c = peek(csv);
		if (c < 0) {
			if (c == -2)
				return read_failed(csv);
			return bad(csv, opened, "quoted field not closed "
				   "before the end of the file");
		}
		advance(csv);
		if (c == '"') {
			if (peek(csv) != '"')
				break;
			advance(csv);
		} else if (c == '\n') {
			csv->line++;
		} else if (c == '\r' && peek(csv) != '\n') {
			csv->line++;
		} else if (c == 0) {
			return bad(csv, csv->line, "NUL byte in the text");
		}
		if (!put(csv, (char)c))
			return fs_fail(FS_ENOMEM, "out of memory");
	}
	if ((c = peek(csv)) == -2)
		return read_failed(csv);
	if (c != ',' && c != '\n' && c != '\r' && c != -1)
		return bad(csv, csv->line,
			   "text after the closing quote of a field (double "
			   "the quotes inside a quoted field)");
	*next = c;
	return FS_OK;
}

/* An unquoted field; *next: what follows it. */
static fs_err
read_plain(fs_csv *csv, int *next)
{
	int c;

	/* fast path: copy the run of plain bytes in the buffer */
	for (;;) {
		size_t start = csv->pos, n;
		if (start == csv->len)
			break;
		n = strcspn_plain(csv->buf + start, csv->len - start);
		if (n == 0)
			break;
		if (!put_bytes(csv, csv->buf + start, n))
			return fs_fail(FS_ENOMEM, "out of memory");
		csv->pos += n;
		csv->consumed += (long)n;
	}
	while ((c = peek(csv)) >= 0 && c != ',' && c != '\n' && c != '\r') {
		if (c == '"')
			return bad(csv, csv->line,
				   "quote inside an unquoted field (quote the "
				   "whole field and double the quote)");
		if (c == 0)
			return bad(csv, csv->line, "NUL byte in the text");
		if (!put(csv, (char)c))
			return fs_fail(FS_ENOMEM, "out of memory");
		advance(csv);
	}
	if (c == -2)
		return read_failed(csv);
	*next = c;
	return FS_OK;
}

fs_err
fs_csv_read(fs_csv *csv, bool *has_row)
{
	fs_err err;
	int c;

	*has_row = false;
	/* Empty lines, and before the first record a UTF-8 byte order mark
	 * (as Excel writes it), also after empty lines some tools put first. */
	for (;;) {
		while (eat_newline(csv))
			;
		if (csv->started || !at_bom(csv))
			break;
		csv->pos += 3;
		csv->consumed += 3;
	}
	if ((c = peek(csv)) == -1)
		return FS_OK;
	if (!csv->started && at_utf16(csv))
		return bad(csv, csv->line, "UTF-16 text: save the file as "
			   "CSV in UTF-8 (in Excel: CSV UTF-8 (Comma "
			   "delimited))");
	csv->row_line = csv->line;
	csv->text_len = 0;
	csv->nfields = 0;
	for (;;) {
		if (!start_field(csv))
			return fs_fail(FS_ENOMEM, "out of memory");
		err = peek(csv) == '"' ? read_quoted(csv, &c)
				       : read_plain(csv, &c);
		if (err)
			return err;
		if (!put(csv, '\0'))
			return fs_fail(FS_ENOMEM, "out of memory");
		if (c == ',') {
			advance(csv);
			continue;
		}
		eat_newline(csv);
		break;
	}
	*has_row = true;
	csv->started = true;
	return FS_OK;
}

fs_err
fs_csv_keep_header(fs_csv *csv)
{
	free(csv->names);
	free(csv->name_starts);
	csv->n_names = 0;
	csv->names = malloc(csv->text_len + 1);
	csv->name_starts = malloc((csv->nfields + 1) * sizeof(size_t));
	if (!csv->names || !csv->name_starts)
		return fs_fail(FS_ENOMEM, "out of memory");
	memcpy(csv->names, csv->text, csv->text_len);
	csv->names[csv->text_len] = '\0';
	memcpy(csv->name_starts, csv->starts, csv->nfields * sizeof(size_t));
	csv->n_names = csv->nfields;
	return FS_OK;
}

size_t
fs_csv_count(const fs_csv *csv)
{
	return csv->nfields;
}

const char *
fs_csv_field(const fs_csv *csv, size_t i)
{
	return i < csv->nfields ? csv->text + csv->starts[i] : "";
}

long
fs_csv_line(const fs_csv *csv)
{
	return csv->row_line;
}

long
fs_csv_bytes(const fs_csv *csv)
{
	return csv->consumed;
}

/* Would a spreadsheet run text starting with c as a formula? */
static bool
is_formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	       c == '\r';
}

/* A plain number ("-1.5", "+2"): a spreadsheet reads it as a number,
 * never as a formula. */
static bool
is_plain_number(const char *f)
{
	const char *p = f + (*f == '+' || *f == '-');
	bool digits = false, point = false;
	for (; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits = true;
		else if (*p == '.' && !point)
			point = true;
		else
			return false;
	}
	return digits;
}

bool
fs_csv_needs_guard(const char *text)
{
	const char *p = text;
	while (*p == '\'')
		p++;
	return is_formula_start(*p) && (p > text || !is_plain_number(text));
}

const char *
fs_csv_unguard(const char *text)
{
	return *text == '\'' && fs_csv_needs_guard(text + 1) ? text + 1 : text;
}

fs_err
fs_csv_write_bom(FILE *fp)
{
	fputs_unlocked("\xEF\xBB\xBF", fp);
	if (ferror(fp))
		return fs_fail(FS_EIO, "writing CSV: %s", strerror(errno));
	return FS_OK;
}

fs_err
fs_csv_write(FILE *fp, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *f = fields[i] ? fields[i] : "";
		if (i > 0)
			putc_unlocked(',', fp);
		/* a formula to a spreadsheet: an apostrophe first makes it
		 * text; an import takes it off again */
		bool guard = fs_csv_needs_guard(f);
		if (f[strcspn(f, ",\"\r\n")] == '\0') {
			if (guard)
				putc_unlocked('\'', fp);
			fputs_unlocked(f, fp);
			continue;
		}
		putc_unlocked('"', fp);
		if (guard)
			putc_unlocked('\'', fp);
		for (; *f; f++) {
			if (*f == '"')
				putc_unlocked('"', fp);
			putc_unlocked(*f, fp);
		}
		putc_unlocked('"', fp);
	}
	fputs_unlocked("\r\n", fp);
	if (ferror(fp))
		return fs_fail(FS_EIO, "writing CSV: %s", fs_errno_text(errno));
	return FS_OK;
}
