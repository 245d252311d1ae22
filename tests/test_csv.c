/*
 * test_csv.c - the RFC 4180 reader and writer (fieldschool/csv.h) over
 * in-memory streams.
 *
 * Most reader tests render what fs_csv_read() returns as text, one record
 * per line: "LINE:[field][field]...", and compare it to the expected text.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/csv.h"

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* A growing string. */
struct buf {
	char *s;
	size_t len, cap;
};

static void
buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->s = realloc(b->s, cap);
		assert_non_null(b->s);
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void
buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	assert_true(n >= 0 && (size_t)n < sizeof(tmp));
	buf_add(b, tmp, (size_t)n);
}

/*
 * Reads data[0..len) to the end or to the first error, rendering the
 * records into *out; returns what the last fs_csv_read() returned.
 * *bytes gets fs_csv_bytes() at the end, when not NULL.
 */
static fs_err
read_all(const char *data, size_t len, struct buf *out, long *bytes)
{
	FILE *fp = fmemopen((void *)data, len, "r");
	fs_csv *csv = NULL;
	bool has_row;
	fs_err err;

	assert_non_null(fp);
	assert_int_equal(fs_csv_open(&csv, fp, "t.csv"), FS_OK);
	buf_add(out, "", 0);
	while (!(err = fs_csv_read(csv, &has_row)) && has_row) {
		buf_printf(out, "%ld:", fs_csv_line(csv));
		for (size_t i = 0; i < fs_csv_count(csv); i++) {
			buf_add(out, "[", 1);
			buf_add(out, fs_csv_field(csv, i),
				strlen(fs_csv_field(csv, i)));
			buf_add(out, "]", 1);
		}
		buf_add(out, "\n", 1);
	}
	if (bytes)
		*bytes = fs_csv_bytes(csv);
	fs_csv_free(csv);
	fclose(fp);
	return err;
}

static const struct {
	const char *name;
	const char *input;
	const char *records;
} good_cases[] = {
	{ "plain rows", "a,b,c\n1,2,3\n", "1:[a][b][c]\n2:[1][2][3]\n" },
	{ "one field", "x\ny\n", "1:[x]\n2:[y]\n" },
	{ "spaces kept", " a , b \n", "1:[ a ][ b ]\n" },
	{ "quoted commas", "\"a,b\",c\n\"1,2,3\"\n",
	  "1:[a,b][c]\n2:[1,2,3]\n" },
	{ "doubled quotes", "\"say \"\"hi\"\"\",x\n\"\"\"\"\n",
	  "1:[say \"hi\"][x]\n2:[\"]\n" },
	{ "quoted plain text", "\"a\",\"b\"\n", "1:[a][b]\n" },
	{ "CRLF", "a,b\r\nc,d\r\n", "1:[a][b]\n2:[c][d]\n" },
	{ "mixed CRLF and LF", "a\r\nb\nc\r\n", "1:[a]\n2:[b]\n3:[c]\n" },
	{ "LF in a quoted field", "x,\"l1\nl2\nl3\",y\nnext,1,2\n",
	  "1:[x][l1\nl2\nl3][y]\n4:[next][1][2]\n" },
	{ "CRLF in a quoted field", "\"a\r\nb\",c\r\nd,e\r\n",
	  "1:[a\r\nb][c]\n3:[d][e]\n" },
	{ "quoted line breaks only", "\"\n\n\",z\nw\n", "1:[\n\n][z]\n4:[w]\n" },
	{ "BOM skipped", "\xEF\xBB\xBF" "code,title\nph,Manila\n",
	  "1:[code][title]\n2:[ph][Manila]\n" },
	{ "BOM before a quoted field", "\xEF\xBB\xBF\"a,b\"\n", "1:[a,b]\n" },
	{ "BOM only once", "\xEF\xBB\xBF" "a\n\xEF\xBB\xBF" "b\n",
	  "1:[a]\n2:[\xEF\xBB\xBF" "b]\n" },
	{ "BOM after empty lines", "\n\r\n\xEF\xBB\xBF" "a,b\nc,d\n",
	  "3:[a][b]\n4:[c][d]\n" },
	{ "BOM, empty line, BOM", "\xEF\xBB\xBF\n\xEF\xBB\xBF" "a\n",
	  "2:[a]\n" },
	{ "empty lines skipped", "\n\na,b\n\r\n\nc,d\n\n",
	  "3:[a][b]\n6:[c][d]\n" },
	{ "only empty lines", "\n\r\n\n", "" },
	{ "last line without newline", "a,b\nc,d", "1:[a][b]\n2:[c][d]\n" },
	{ "quoted last field, no newline", "a,\"b\nc\"", "1:[a][b\nc]\n" },
	{ "empty fields", "a,,c\n,,\n\"\",x\n", "1:[a][][c]\n2:[][][]\n3:[][x]\n" },
	{ "trailing empty field", "a,\nb,\"\"\n", "1:[a][]\n2:[b][]\n" },
	{ "empty field at EOF", "a,", "1:[a][]\n" },
	{ "UTF-8 text", "Zoé,Quiñones,مرحبا,😀\n",
	  "1:[Zoé][Quiñones][مرحبا][😀]\n" },
};

static void
test_read_good(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(good_cases); i++) {
		struct buf out = { 0 };
		fs_err err = read_all(good_cases[i].input,
				      strlen(good_cases[i].input), &out, NULL);
		if (err != FS_OK)
			fail_msg("%s: error %d: %s", good_cases[i].name, err,
				 fs_errdetail());
		if (strcmp(out.s, good_cases[i].records) != 0)
			fail_msg("%s: read\n%s\nexpected\n%s", good_cases[i].name,
				 out.s, good_cases[i].records);
		free(out.s);
	}
}

static void
test_bytes_consumed(void **state)
{
	static const char with_bom[] = "\xEF\xBB\xBF" "a,b\r\n\"c\nd\",e\n";
	struct buf out = { 0 };
	long bytes = -1;

	(void)state;
	assert_int_equal(read_all(with_bom, strlen(with_bom), &out, &bytes),
			 FS_OK);
	assert_string_equal(out.s, "1:[a][b]\n2:[c\nd][e]\n");
	assert_int_equal(bytes, (long)strlen(with_bom));
	free(out.s);
}

/* Errors: what was read before the bad record, and where it is. */
static const struct {
	const char *name;
	const char *input;
	size_t len; /* 0: strlen(input) */
	const char *records;
	const char *where;  /* in the detail */
	const char *phrase; /* also in the detail */
} bad_cases[] = {
	{ "quote inside an unquoted field", "ok,1\nab\"c,2\n", 0, "1:[ok][1]\n",
	  "t.csv:2:", "quote inside an unquoted field" },
	{ "quote at the end of an unquoted field", "a,b\"\n", 0, "", "t.csv:1:",
	  "quote inside" },
	{ "text after the closing quote", "a,b\nc,d\n\"x\"y,z\n", 0,
	  "1:[a][b]\n2:[c][d]\n", "t.csv:3:", "after the closing quote" },
	{ "space after the closing quote", "\"x\" ,y\n", 0, "", "t.csv:1:",
	  "after the closing quote" },
	{ "text after a quote closed on a later line", "a\n\"x\ny\"z\n", 0,
	  "1:[a]\n", "t.csv:3:", "after the closing quote" },
	{ "unterminated quote", "a,b\nc,\"open\nmore\nstill\n", 0,
	  "1:[a][b]\n", "t.csv:2:", "not closed" },
	{ "unterminated quote, CRLF", "a\r\n\r\n\"x\r\ny\r\n", 0, "1:[a]\n",
	  "t.csv:3:", "not closed" },
	{ "quote opened on the last line", "a\nb,\"", 0, "1:[a]\n", "t.csv:2:",
	  "not closed" },
	{ "NUL byte", "a,b\nc\0d,e\n", 10, "1:[a][b]\n", "t.csv:2:", "NUL" },
	{ "NUL byte first", "\0a\n", 3, "", "t.csv:1:", "NUL" },
	{ "NUL byte in a quoted field", "a\n\"x\ny\0\",z\n", 11, "1:[a]\n",
	  "t.csv:3:", "NUL" },
};

static void
test_read_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEMS(bad_cases); i++) {
		struct buf out = { 0 };
		size_t len = bad_cases[i].len ? bad_cases[i].len
					      : strlen(bad_cases[i].input);
		fs_err err = read_all(bad_cases[i].input, len, &out, NULL);
		if (err != FS_EINPUT)
			fail_msg("%s: got %d, expected FS_EINPUT",
				 bad_cases[i].name, err);
		if (strcmp(out.s, bad_cases[i].records) != 0)
			fail_msg("%s: read\n%s\nexpected\n%s", bad_cases[i].name,
				 out.s, bad_cases[i].records);
		if (strncmp(fs_errdetail(), bad_cases[i].where,
			    strlen(bad_cases[i].where)) != 0)
			fail_msg("%s: detail '%s' does not start with '%s'",
				 bad_cases[i].name, fs_errdetail(),
				 bad_cases[i].where);
		if (!strstr(fs_errdetail(), bad_cases[i].phrase))
			fail_msg("%s: detail '%s' lacks '%s'", bad_cases[i].name,
				 fs_errdetail(), bad_cases[i].phrase);
		free(out.s);
	}
}

/* A field of n bytes: a pattern that shows where bytes would be lost. */
static char *
make_field(size_t n, const char *alphabet)
{
	size_t k = strlen(alphabet);
	char *s = malloc(n + 1);

	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		s[i] = alphabet[(i * 7 + i / 13) % k];
	s[n] = '\0';
	return s;
}

/* Records larger than the reader's 64 KiB buffer, both plain and quoted,
 * and many records that straddle its refills. */
static void
test_large_records(void **state)
{
	char *plain = make_field(200000, "abcdefghijklmnopqrstuvwxyz0123456789");
	/* commas, quotes and line breaks inside a quoted field */
	char *quoted = make_field(150001, "xyz,\"\n\r\nAB");
	struct buf in = { 0 };
	FILE *fp;
	fs_csv *csv = NULL;
	bool has_row;
	long line = 1, quoted_lines = 0;

	(void)state;
	for (const char *p = quoted; *p; p++)
		if (*p == '\n' || (*p == '\r' && p[1] != '\n'))
			quoted_lines++;

	/* record 1: the long plain field between two short ones */
	buf_add(&in, "first,", 6);
	buf_add(&in, plain, strlen(plain));
	buf_add(&in, ",last\r\n", 7);
	/* record 2: the long quoted field, doubled quotes */
	buf_add(&in, "q,\"", 3);
	for (const char *p = quoted; *p; p++) {
		if (*p == '"')
			buf_add(&in, "\"", 1);
		buf_add(&in, p, 1);
	}
	buf_add(&in, "\",end\n", 6);
	/* records 3..: short ones, some straddling the buffer's refills */
	for (int r = 0; r < 5000; r++)
		buf_printf(&in, "row%d,\"v,%d\",%s\n", r, r,
			   r % 2 ? "odd" : "\"ev\"\"en\"");

	fp = fmemopen(in.s, in.len, "r");
	assert_non_null(fp);
	assert_int_equal(fs_csv_open(&csv, fp, "big.csv"), FS_OK);

	assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
	assert_true(has_row);
	assert_int_equal(fs_csv_line(csv), 1);
	assert_int_equal(fs_csv_count(csv), 3);
	assert_string_equal(fs_csv_field(csv, 0), "first");
	assert_int_equal(strlen(fs_csv_field(csv, 1)), 200000);
	assert_string_equal(fs_csv_field(csv, 1), plain);
	assert_string_equal(fs_csv_field(csv, 2), "last");

	assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
	assert_true(has_row);
	assert_int_equal(fs_csv_line(csv), 2);
	assert_int_equal(fs_csv_count(csv), 3);
	assert_string_equal(fs_csv_field(csv, 0), "q");
	assert_int_equal(strlen(fs_csv_field(csv, 1)), 150001);
	assert_string_equal(fs_csv_field(csv, 1), quoted);
	assert_string_equal(fs_csv_field(csv, 2), "end");
	line = 2 + quoted_lines + 1;

	for (int r = 0; r < 5000; r++) {
		char name[32], value[32];
		assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
		assert_true(has_row);
		assert_int_equal(fs_csv_line(csv), line + r);
		assert_int_equal(fs_csv_count(csv), 3);
		snprintf(name, sizeof(name), "row%d", r);
		snprintf(value, sizeof(value), "v,%d", r);
		assert_string_equal(fs_csv_field(csv, 0), name);
		assert_string_equal(fs_csv_field(csv, 1), value);
		assert_string_equal(fs_csv_field(csv, 2),
				    r % 2 ? "odd" : "ev\"en");
	}
	assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
	assert_false(has_row);
	assert_int_equal(fs_csv_bytes(csv), (long)in.len);

	fs_csv_free(csv);
	fclose(fp);
	free(in.s);
	free(plain);
	free(quoted);
}

/* An error far into a large file names its line. */
static void
test_large_file_error_line(void **state)
{
	struct buf in = { 0 }, out = { 0 };

	(void)state;
	for (int r = 1; r <= 9999; r++)
		buf_printf(&in, "%d,abcdefghijklmnopqrstuvwxyz\n", r);
	buf_add(&in, "10000,bad\"quote\n10001,x\n", 24);
	assert_int_equal(read_all(in.s, in.len, &out, NULL), FS_EINPUT);
	assert_non_null(strstr(fs_errdetail(), "t.csv:10000:"));
	assert_non_null(strstr(out.s, "\n9999:[9999][abcdefghijklmnopqrstuvwxyz]\n"));
	free(in.s);
	free(out.s);
}

/* ------------------------------------------------------------------ */
/* writing */

/* Writes one record with fs_csv_write() and returns the bytes. */
static char *
write_record(const char *const *fields, size_t n)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	assert_int_equal(fs_csv_write(fp, fields, n), FS_OK);
	assert_int_equal(fclose(fp), 0);
	return text;
}

static void
test_write_quoting(void **state)
{
	static const struct {
		const char *field, *written;
	} cases[] = {
		{ "plain", "plain" },
		{ "", "" },
		{ " spaced ", " spaced " },
		{ "a;b", "a;b" },
		{ "it's", "it's" },
		{ "Zoé 😀 مرحبا", "Zoé 😀 مرحبا" },
		{ "tab\there", "tab\there" },
		{ "a,b", "\"a,b\"" },
		{ "say \"hi\"", "\"say \"\"hi\"\"\"" },
		{ "\"", "\"\"\"\"" },
		{ "l1\nl2", "\"l1\nl2\"" },
		{ "cr\r", "\"cr\r\"" },
		{ "a\r\nb", "\"a\r\nb\"" },
		{ ",", "\",\"" },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		const char *fields[] = { "x", cases[i].field, "y" };
		char expected[128];
		char *text = write_record(fields, 3);
		snprintf(expected, sizeof(expected), "x,%s,y\r\n",
			 cases[i].written);
		assert_string_equal(text, expected);
		free(text);
	}
}

static void
test_write_null_and_empty(void **state)
{
	const char *fields[] = { "a", NULL, "", "c" };
	const char *nulls[] = { NULL, NULL };
	const char *one[] = { "only" };
	char *text;

	(void)state;
	text = write_record(fields, 4);
	assert_string_equal(text, "a,,,c\r\n");
	free(text);
	text = write_record(nulls, 2);
	assert_string_equal(text, ",\r\n");
	free(text);
	text = write_record(one, 1);
	assert_string_equal(text, "only\r\n");
	free(text);
}

/* Formulas to a spreadsheet get an apostrophe first, plain numbers and
 * other text nothing; taking one apostrophe off gives the text back. */
static void
test_formula_guard(void **state)
{
	static const struct {
		const char *text, *written;
	} cases[] = {
		{ "=SUM(A1:A9)", "'=SUM(A1:A9)" },
		{ "+63 917 000 0001", "'+63 917 000 0001" },
		{ "-1+2", "'-1+2" },
		{ "@handle", "'@handle" },
		{ "\t=1", "'\t=1" },
		{ "\r=1", "\"'\r=1\"" },
		{ "=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0" },
		{ "=A1,B1", "\"'=A1,B1\"" },
		{ "'=already", "''=already" }, /* exact both ways */
		{ "''+x", "'''+x" },
		{ "-1.5", "-1.5" },       /* a number, not a formula */
		{ "+2", "+2" },
		{ "-", "'-" },
		{ "O'Brien", "O'Brien" },
		{ "'quoted'", "'quoted'" },
		{ "a=b", "a=b" },
		{ "", "" },
	};
	(void)state;
	for (size_t i = 0; i < N_ELEMS(cases); i++) {
		char *text = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&text, &len);
		const char *fields[] = { cases[i].text };
		assert_non_null(fp);
		assert_int_equal(fs_csv_write(fp, fields, 1), FS_OK);
		assert_int_equal(fclose(fp), 0);
		assert_true(len >= 2);
		text[len - 2] = '\0'; /* less CRLF */
		if (strcmp(text, cases[i].written))
			fail_msg("%zu: wrote [%s], expected [%s]", i, text,
				 cases[i].written);
		free(text);

		/* what an import reads back, less the quotes */
		char read[64];
		const char *w = cases[i].written;
		size_t n = strlen(w);
		if (n >= 2 && w[0] == '"') {
			memcpy(read, w + 1, n - 2);
			read[n - 2] = '\0';
		} else {
			snprintf(read, sizeof(read), "%s", w);
		}
		assert_string_equal(fs_csv_unguard(read), cases[i].text);
	}
	/* the byte order mark */
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	assert_int_equal(fs_csv_write_bom(fp), FS_OK);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(len, 3);
	assert_memory_equal(text, "\xEF\xBB\xBF", 3);
	free(text);
}

/* What fs_csv_write() writes, fs_csv_read() reads back unchanged. */
static void
test_round_trip(void **state)
{
	static const char *const records[][6] = {
		{ ",", "\"", "\n", "a\r\nb", "😀", "مرحبا بكم" },
		{ "", "plain", "\"quoted, with comma\"", "x\ry", "Zoé", "" },
		{ "\"\"", " lead", "trail ", "tab\t", "\r\n", "last" },
		{ "1", "2", "3", "4", "5", "\xEF\xBB\xBF" "bom" },
	};
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	fs_csv *csv = NULL;
	bool has_row;
	long expected_line = 1;

	(void)state;
	assert_non_null(fp);
	for (size_t r = 0; r < N_ELEMS(records); r++)
		assert_int_equal(fs_csv_write(fp, records[r], 6), FS_OK);
	assert_int_equal(fclose(fp), 0);

	fp = fmemopen(text, len, "r");
	assert_non_null(fp);
	assert_int_equal(fs_csv_open(&csv, fp, "round.csv"), FS_OK);
	for (size_t r = 0; r < N_ELEMS(records); r++) {
		assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
		assert_true(has_row);
		assert_int_equal(fs_csv_line(csv), expected_line);
		assert_int_equal(fs_csv_count(csv), 6);
		for (size_t i = 0; i < 6; i++) {
			const char *f = records[r][i];
			/* less the apostrophe before what a spreadsheet
			 * would run as a formula ("\r\n") */
			assert_string_equal(fs_csv_unguard(fs_csv_field(csv, i)),
					    f);
			for (; *f; f++)
				if (*f == '\n' || (*f == '\r' && f[1] != '\n'))
					expected_line++;
		}
		expected_line++;
	}
	assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
	assert_false(has_row);
	assert_int_equal(fs_csv_bytes(csv), (long)len);
	fs_csv_free(csv);
	fclose(fp);
	free(text);
}

static void
test_field_out_of_range(void **state)
{
	static const char data[] = "a,b\n";
	FILE *fp = fmemopen((void *)data, strlen(data), "r");
	fs_csv *csv = NULL;
	bool has_row;

	(void)state;
	assert_non_null(fp);
	assert_int_equal(fs_csv_open(&csv, fp, "t.csv"), FS_OK);
	assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
	assert_true(has_row);
	assert_int_equal(fs_csv_count(csv), 2);
	assert_string_equal(fs_csv_field(csv, 2), "");
	assert_string_equal(fs_csv_field(csv, 1000), "");
	/* the end stays the end */
	assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
	assert_false(has_row);
	assert_int_equal(fs_csv_read(csv, &has_row), FS_OK);
	assert_false(has_row);
	fs_csv_free(csv);
	fclose(fp);
	fs_csv_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_good),
		cmocka_unit_test(test_bytes_consumed),
		cmocka_unit_test(test_read_bad),
		cmocka_unit_test(test_large_records),
		cmocka_unit_test(test_large_file_error_line),
		cmocka_unit_test(test_write_quoting),
		cmocka_unit_test(test_write_null_and_empty),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_formula_guard),
		cmocka_unit_test(test_field_out_of_range),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
