/*
 * data.c - what ships in data/, compiled into the library: the categories
 * and curricula every new database starts with, and the demo missions.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embedded.h"
#include "fieldschool/csv.h"
#include "fieldschool/demo.h"
#include "store.h"

const struct fs_embedded *
embedded_data(const char *name)
{
	for (const struct fs_embedded *e = fs_data; e->name; e++)
		if (!strcmp(e->name, name))
			return e;
	return NULL;
}

static fs_err
open_data(const char *name, FILE **out)
{
	const struct fs_embedded *e = embedded_data(name);

	if (!e)
		return fs_fail(FS_EIO, "%s is not built in", name);
	if (!(*out = fmemopen((void *)e->bytes, e->size, "r")))
		return fs_fail(FS_ENOMEM, "out of memory");
	return FS_OK;
}

/* Inserts every row after the header of an embedded CSV file with q,
 * binding field i to parameter i + 1. */
static fs_err
seed_table(fs_store *store, const char *name, enum query q, size_t n_fields)
{
	FILE *fp = NULL;
	fs_csv *csv = NULL;
	sqlite3_stmt *stmt;
	bool has_row;
	fs_err err;

	if ((err = open_data(name, &fp)) || (err = fs_csv_open(&csv, fp, name)))
		goto done;
	if ((err = fs_csv_read(csv, &has_row)))
		goto done;
	while (!(err = fs_csv_read(csv, &has_row)) && has_row) {
		if (fs_csv_count(csv) != n_fields) {
			err = fs_fail(FS_EINPUT, "%s:%ld: %zu fields, expected "
					      "%zu", name, fs_csv_line(csv),
				      fs_csv_count(csv), n_fields);
			break;
		}
		if ((err = store_stmt(store, q, &stmt)))
			break;
		for (size_t i = 0; i < n_fields; i++)
			sqlite3_bind_text(stmt, (int)i + 1, fs_csv_field(csv, i),
					  -1, SQLITE_TRANSIENT);
		if ((err = store_done(store, stmt, name)))
			break;
	}
done:
	fs_csv_free(csv);
	if (fp)
		fclose(fp);
	return err;
}

fs_err
data_seed(fs_store *store)
{
	fs_err err = seed_table(store, "data/categories.csv", Q_CATEGORY_SEED, 4);
	if (!err)
		err = seed_table(store, "data/curriculum.csv", Q_MODULE_SEED, 5);
	return err;
}

fs_err
fs_demo_load(fs_store *store, fs_problems *problems)
{
	static const struct {
		const char *name;
		const fs_format *format;
	} files[] = {
		{ "data/demo/missions.csv", &fs_missions_format },
		{ "data/demo/agenda.csv", &fs_agenda_format },
		{ "data/demo/participants.csv", &fs_participants_format },
	};
	fs_import_stats stats;
	fs_err err;

	if ((err = fs_store_begin(store)))
		return err;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		FILE *fp;
		if ((err = open_data(files[i].name, &fp)))
			break;
		err = fs_import_stream(store, files[i].format, fp, files[i].name,
				       0, NULL, problems, &stats);
		fclose(fp);
		if (err)
			break;
	}
	if (err) {
		fs_store_rollback(store);
		return err;
	}
	return fs_store_commit(store);
}
