/*
 * fuzz_csv.c - libFuzzer target for the RFC 4180 reader (lib/csv.c).
 *
 * The input is a CSV file.  Beyond "no crash, no undefined behaviour, no
 * leak", each record the reader accepts must come back the same after
 * fs_csv_write() and a second read, with the apostrophe that guards a
 * formula-like field taken off as an import does (fs_csv_unguard): what we
 * export, we import.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/csv.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_round_trip(const fs_csv *csv)
{
	size_t n = fs_csv_count(csv);
	const char **fields = calloc(n ? n : 1, sizeof(*fields));
	char *text = NULL;
	size_t len = 0;
	FILE *out;
	fs_csv *again = NULL;
	bool has_row = false;

	if (!fields)
		abort();
	for (size_t i = 0; i < n; i++)
		fields[i] = fs_csv_field(csv, i);
	/* A record of one empty field is an empty line, which the reader
	 * skips (RFC 4180 has no way to write it otherwise); a byte order
	 * mark at the start of a file is not data, and a UTF-16 one is
	 * refused there (those bytes are never UTF-8 text). */
	if ((n == 1 && !fields[0][0]) ||
	    !strncmp(fields[0], "\xEF\xBB\xBF", 3) ||
	    !strncmp(fields[0], "\xFE\xFF", 2) ||
	    !strncmp(fields[0], "\xFF\xFE", 2))
		goto done;
	if (!(out = open_memstream(&text, &len)))
		abort();
	if (fs_csv_write(out, fields, n) != FS_OK)
		abort();
	fclose(out);
	FILE *in = fmemopen(text, len, "r");
	if (!in || fs_csv_open(&again, in, "again") != FS_OK)
		abort();
	if (fs_csv_read(again, &has_row) != FS_OK || !has_row) {
		fprintf(stderr, "fuzz_csv: a written record does not read "
			"back: %s\n", text);
		abort();
	}
	if (fs_csv_count(again) != n)
		abort();
	for (size_t i = 0; i < n; i++) {
		const char *back = fs_csv_unguard(fs_csv_field(again, i));
		if (strcmp(back, fields[i])) {
			fprintf(stderr, "fuzz_csv: field %zu '%s' reads back "
				"as '%s'\n", i, fields[i], back);
			abort();
		}
	}
	fs_csv_free(again);
	fclose(in);
done:
	free(text);
	free(fields);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *fp;
	fs_csv *csv = NULL;
	bool has_row;
	long last_line = 0;

	if (size == 0 || !(fp = fmemopen((void *)data, size, "r")))
		return 0;
	if (fs_csv_open(&csv, fp, "fuzz.csv") != FS_OK)
		abort();
	while (fs_csv_read(csv, &has_row) == FS_OK && has_row) {
		/* lines only go forward */
		if (fs_csv_line(csv) < last_line || fs_csv_line(csv) < 1)
			abort();
		last_line = fs_csv_line(csv);
		if (fs_csv_bytes(csv) < 0 || (size_t)fs_csv_bytes(csv) > size)
			abort();
		check_round_trip(csv);
	}
	fs_csv_free(csv);
	fclose(fp);
	return 0;
}
