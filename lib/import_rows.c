/*
 * import_rows.c - the rows of a CSV import, read ahead by a second thread.
 *
 * An import spends most of its time in SQLite, which runs on the
 * importing thread; reading the CSV, checking each cell's text and
 * refusing a repeated row need nothing from the database.  A reader
 * thread does that part while SQLite writes the rows before.
 *
 * The two share a ring of BATCHES batches.  The reader fills the next free
 * one with up to BATCH_ROWS rows: each row's values copied into the
 * batch's text (64 kB, grown once for a row longer than that), its line,
 * and its problems in the batch's own list.  The first thread takes the
 * batches in order and hands each back once its rows are written; the
 * reader waits when all are full, the first thread when none is.  A
 * malformed record, or the end of the file, closes the last batch, which
 * carries the error and its detail (a thread's detail is its own) to the
 * first thread after the rows before it.  Memory is the ring's, however
 * long the file.
 */
#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_rows.h"
#include "queries.h"
#include "strmap.h"
#include "value.h"

#define BATCHES 4
#define BATCH_ROWS 256
#define BATCH_TEXT (64 * 1024)
#define MAX_COLUMNS 64 /* the formats' columns (exchange.c reads at most) */
#define KEY_SIZE 512
#define NONE UINT32_MAX

/*
 * The identities of the rows read so far, to refuse a row that repeats
 * one, with the line that had it first.  The reader keeps them in a
 * private temporary database of its own, which SQLite keeps on disk past
 * its 2 MB cache, SEEN_BATCH to an INSERT (one statement a row would cost
 * a tenth of the import); the latest wait in a small array, and a Bloom
 * filter (2^24 bits, two hashes: 2 MB however long the file) spares the
 * look-up of an identity that cannot be there: in a file with no repeated
 * rows, nearly every one.  The database goes when the import ends.
 */
#define SEEN_BATCH 128 /* as KEYS_128 in queries.c */
#define SEEN_BITS (1u << 24)

struct seen {
	sqlite3 *db;
	sqlite3_stmt *add, *find;
	int n;
	long lines[SEEN_BATCH];
	char keys[SEEN_BATCH][KEY_SIZE];
	unsigned char bloom[SEEN_BITS / 8];
};

static fs_err
seen_fail(struct seen *k, const char *what)
{
	return fs_fail(FS_EIO, "%s (a temporary file): %s", what,
		       sqlite3_errmsg(k->db));
}

static void
seen_close(struct seen *k)
{
	if (!k)
		return;
	sqlite3_finalize(k->add);
	sqlite3_finalize(k->find);
	sqlite3_close(k->db); /* rolls back: nothing is ever written */
	free(k);
}

static fs_err
seen_open(struct seen **out)
{
	struct seen *k = calloc(1, sizeof(*k));

	*out = NULL;
	if (!k)
		return fs_fail(FS_ENOMEM, "out of memory");
	/* "": a temporary database, deleted when closed */
	if (sqlite3_open_v2("", &k->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
	    sqlite3_exec(k->db, "PRAGMA temp_store=FILE; "
			 "PRAGMA temp.cache_size=-2048; BEGIN", NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_exec(k->db, fs_queries[Q_IMPORT_KEY_TABLE], NULL, NULL,
			 NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(k->db, fs_queries[Q_IMPORT_KEY_ADD], -1, &k->add,
			       NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(k->db, fs_queries[Q_IMPORT_KEY_LINE], -1,
			       &k->find, NULL) != SQLITE_OK) {
		fs_err err = k->db ? seen_fail(k, "noting rows")
				   : fs_fail(FS_ENOMEM, "out of memory");
		seen_close(k);
		return err;
	}
	*out = k;
	return FS_OK;
}

static fs_err
seen_write(struct seen *k)
{
	int rc;

	for (int i = 0; i < SEEN_BATCH; i++) {
		sqlite3_bind_text(k->add, 2 * i + 1, k->keys[i], -1,
				  SQLITE_STATIC);
		sqlite3_bind_int64(k->add, 2 * i + 2, k->lines[i]);
	}
	rc = sqlite3_step(k->add);
	sqlite3_reset(k->add);
	if (rc != SQLITE_DONE)
		return seen_fail(k, "noting rows");
	k->n = 0;
	return FS_OK;
}

/* Notes that line has key: *first_out is 0 when no line had it before,
 * else the first that did (and nothing is noted). */
static fs_err
seen_note(struct seen *k, const char *key, long line, long *first_out)
{
	size_t len = strlen(key);
	uint64_t h = hash_bytes(key, len, 0);
	uint32_t bit[2] = { (uint32_t)h & (SEEN_BITS - 1),
			    (uint32_t)(h >> 32) & (SEEN_BITS - 1) };
	int rc;

	*first_out = 0;
	if ((k->bloom[bit[0] / 8] & (1u << (bit[0] % 8))) &&
	    (k->bloom[bit[1] / 8] & (1u << (bit[1] % 8)))) {
		for (int i = 0; i < k->n; i++)
			if (!strcmp(k->keys[i], key)) {
				*first_out = k->lines[i];
				return FS_OK;
			}
		sqlite3_bind_text(k->find, 1, key, -1, SQLITE_STATIC);
		if ((rc = sqlite3_step(k->find)) == SQLITE_ROW)
			*first_out = (long)sqlite3_column_int64(k->find, 0);
		sqlite3_reset(k->find);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return seen_fail(k, "looking up a row");
		if (*first_out)
			return FS_OK;
	}
	for (int i = 0; i < 2; i++)
		k->bloom[bit[i] / 8] |= (unsigned char)(1u << (bit[i] % 8));
	if (len >= KEY_SIZE)
		len = KEY_SIZE - 1;
	memcpy(k->keys[k->n], key, len);
	k->keys[k->n][len] = '\0';
	k->lines[k->n++] = line;
	return k->n == SEEN_BATCH ? seen_write(k) : FS_OK;
}

struct slot {
	long line, bytes;
	bool has_values;
	uint32_t values[MAX_COLUMNS]; /* offsets into the text, or NONE */
	size_t n_problems; /* the next ones of the batch's problems */
};

struct batch {
	int n_rows;
	struct slot rows[BATCH_ROWS];
	char *text;
	size_t len, cap;
	fs_problems problems; /* the rows' problems, in order */
	bool is_last;         /* no batch after it */
	fs_err err;           /* why it is the last: FS_OK at the end */
	char detail[1024];
};

struct import_rows {
	/* the reader's */
	fs_csv *csv;
	const fs_format *format;
	const int *map;
	size_t n_header;
	bool has_pending; /* a record read, left for the next batch */
	struct seen *seen;

	pthread_mutex_t lock;
	pthread_cond_t filled, emptied;
	pthread_t thread;
	bool has_thread;
	bool stopping;
	int n_full; /* batches filled and not yet handed back */
	int fill_at, take_at;
	struct batch ring[BATCHES];

	/* the first thread's */
	struct batch *current;
	int next_row;
	size_t next_problem;
	bool has_ended;
	const char *values[MAX_COLUMNS];
	struct import_row row;
};

/* Empties a list of problems, keeping its array. */
static void
problems_clear(fs_problems *list)
{
	for (size_t i = 0; i < list->n; i++)
		free(list->items[i].reason);
	list->n = 0;
}

/* The most text the record just read can take in a batch. */
static size_t
record_size(const struct import_rows *r)
{
	size_t size = 0;

	if (fs_csv_count(r->csv) != r->n_header)
		return 0;
	for (size_t i = 0; i < r->n_header; i++)
		if (r->map[i] >= 0)
			size += strlen(fs_csv_field(r->csv, i)) + 1;
	return size;
}

static uint32_t
text_add(struct batch *b, const char *text)
{
	size_t len = strlen(text) + 1;
	uint32_t at = (uint32_t)b->len;

	memcpy(b->text + b->len, text, len);
	b->len += len;
	return at;
}

/* Checks the record just read into the next slot of b, which has room
 * for it: its values, identity and problems, as exchange.c did when it
 * read the file itself. */
static fs_err
add_record(struct import_rows *r, struct batch *b)
{
	struct slot *s = &b->rows[b->n_rows];
	const fs_format *format = r->format;
	const char *values[MAX_COLUMNS], *blame;
	size_t first_problem = b->problems.n;
	bool bad_text = false;
	char key[KEY_SIZE];
	size_t n = fs_csv_count(r->csv);

	s->line = fs_csv_line(r->csv);
	s->bytes = fs_csv_bytes(r->csv);
	s->has_values = false;
	if (n != r->n_header) {
		if (fs_problems_add(&b->problems, s->line, NULL,
				    "%zu field%s where the header has %zu", n,
				    fs_plural((long)n), r->n_header) ==
		    FS_ENOMEM)
			return FS_ENOMEM;
		goto done;
	}
	for (size_t c = 0; c < format->n_columns; c++)
		values[c] = NULL;
	for (size_t i = 0; i < n; i++) {
		const fs_column *column;
		const char *why, *value;
		char text_why[160];
		if (r->map[i] < 0)
			continue;
		column = &format->columns[r->map[i]];
		/* an export's guard against formulas comes off */
		value = fs_csv_unguard(trim((char *)fs_csv_field(r->csv, i)));
		values[r->map[i]] = value;
		if (!(why = check_text(value, column->text, text_why,
				       sizeof(text_why))))
			continue;
		/* a control character or a length is reported, and the row
		 * still checked (rolled back anyway); bytes that are not
		 * UTF-8 stop the row */
		bad_text |= why != text_why;
		if (fs_problems_add(&b->problems, s->line, column->name, "%s%s",
				    why, why == text_why ? ""
				    : " (save the file as UTF-8)") == FS_ENOMEM)
			return FS_ENOMEM;
	}
	if (bad_text)
		goto done;
	if (format->identity &&
	    (blame = format->identity(values, key, sizeof(key)))) {
		long first;
		fs_err err;
		if ((err = seen_note(r->seen, key, s->line, &first)))
			return err;
		if (first) {
			if (fs_problems_add(
				    &b->problems, s->line, blame,
				    "'%s' again: line %ld has the same %s",
				    values[fs_format_column(format, blame)],
				    first, blame) == FS_ENOMEM)
				return FS_ENOMEM;
			goto done;
		}
	}
	s->has_values = true;
	for (size_t c = 0; c < format->n_columns; c++)
		s->values[c] = values[c] ? text_add(b, values[c]) : NONE;
done:
	s->n_problems = b->problems.n - first_problem;
	b->n_rows++;
	return FS_OK;
}

/* Fills b with the next rows of the file. */
static void
fill(struct import_rows *r, struct batch *b)
{
	fs_err err = FS_OK;

	problems_clear(&b->problems);
	b->n_rows = 0;
	b->len = 0;
	b->err = FS_OK;
	b->is_last = false;
	while (b->n_rows < BATCH_ROWS) {
		bool has_row = true;
		size_t size;
		if (!r->has_pending && (err = fs_csv_read(r->csv, &has_row)))
			break;
		r->has_pending = false;
		if (!has_row) {
			b->is_last = true;
			return;
		}
		size = record_size(r);
		if (b->n_rows > 0 && b->len + size > b->cap) {
			r->has_pending = true;
			return;
		}
		if (size > b->cap) {
			char *text = realloc(b->text, size);
			if (!text) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			b->text = text;
			b->cap = size;
		}
		if ((err = add_record(r, b)))
			break;
	}
	if (err) {
		b->is_last = true;
		b->err = err;
		snprintf(b->detail, sizeof(b->detail), "%s", fs_errdetail());
	}
}

static void *
reader_main(void *arg)
{
	struct import_rows *r = arg;
	bool is_last = false;

	pthread_mutex_lock(&r->lock);
	while (!is_last) {
		struct batch *b;
		while (!r->stopping && r->n_full == BATCHES)
			pthread_cond_wait(&r->emptied, &r->lock);
		if (r->stopping)
			break;
		b = &r->ring[r->fill_at];
		pthread_mutex_unlock(&r->lock);
		fill(r, b);
		is_last = b->is_last;
		pthread_mutex_lock(&r->lock);
		r->fill_at = (r->fill_at + 1) % BATCHES;
		r->n_full++;
		pthread_cond_signal(&r->filled);
	}
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

fs_err
import_rows_start(struct import_rows **out, fs_csv *csv,
		  const fs_format *format, const int *map, size_t n_header,
		  bool ahead)
{
	struct import_rows *r;
	fs_err err;

	*out = NULL;
	if (format->n_columns > MAX_COLUMNS)
		return fs_fail(FS_EINPUT, "%zu columns: at most %d",
			       format->n_columns, MAX_COLUMNS);
	if (!(r = calloc(1, sizeof(*r))))
		return fs_fail(FS_ENOMEM, "out of memory");
	r->csv = csv;
	r->format = format;
	r->map = map;
	r->n_header = n_header;
	if (format->identity && (err = seen_open(&r->seen))) {
		free(r);
		return err;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->filled, NULL);
	pthread_cond_init(&r->emptied, NULL);
	for (int i = 0; i < BATCHES; i++) {
		if (!(r->ring[i].text = malloc(BATCH_TEXT))) {
			import_rows_stop(r);
			return fs_fail(FS_ENOMEM, "out of memory");
		}
		r->ring[i].cap = BATCH_TEXT;
	}
	r->has_thread = ahead &&
			pthread_create(&r->thread, NULL, reader_main, r) == 0;
	*out = r;
	return FS_OK;
}

/* The next batch, filled (by this thread when there is no reader). */
static struct batch *
take(struct import_rows *r)
{
	if (!r->has_thread) {
		fill(r, &r->ring[0]);
		return &r->ring[0];
	}
	pthread_mutex_lock(&r->lock);
	while (r->n_full == 0)
		pthread_cond_wait(&r->filled, &r->lock);
	pthread_mutex_unlock(&r->lock);
	return &r->ring[r->take_at];
}

static void
hand_back(struct import_rows *r)
{
	if (!r->has_thread)
		return;
	pthread_mutex_lock(&r->lock);
	r->take_at = (r->take_at + 1) % BATCHES;
	r->n_full--;
	pthread_cond_signal(&r->emptied);
	pthread_mutex_unlock(&r->lock);
}

fs_err
import_rows_next(struct import_rows *r, const struct import_row **out,
		 fs_problems *problems)
{
	struct batch *b = r->current;
	struct slot *s;

	*out = NULL;
	while (!b || r->next_row == b->n_rows) {
		if (r->has_ended)
			return FS_OK;
		if (b && b->is_last) {
			r->has_ended = true;
			return b->err ? fs_fail(b->err, "%s", b->detail) : FS_OK;
		}
		if (b)
			hand_back(r);
		b = r->current = take(r);
		r->next_row = 0;
		r->next_problem = 0;
	}
	s = &b->rows[r->next_row++];
	for (size_t i = 0; i < s->n_problems; i++) {
		const fs_problem *p = &b->problems.items[r->next_problem++];
		if (fs_problems_add(problems, p->line, p->column, "%s",
				    p->reason) == FS_ENOMEM)
			return FS_ENOMEM;
	}
	r->row = (struct import_row){ s->line, s->bytes, NULL };
	if (s->has_values) {
		for (size_t c = 0; c < r->format->n_columns; c++)
			r->values[c] = s->values[c] == NONE
					       ? NULL
					       : b->text + s->values[c];
		r->row.values = r->values;
	}
	*out = &r->row;
	return FS_OK;
}

void
import_rows_stop(struct import_rows *r)
{
	if (!r)
		return;
	if (r->has_thread) {
		pthread_mutex_lock(&r->lock);
		r->stopping = true;
		pthread_cond_signal(&r->emptied);
		pthread_mutex_unlock(&r->lock);
		pthread_join(r->thread, NULL);
	}
	pthread_cond_destroy(&r->emptied);
	pthread_cond_destroy(&r->filled);
	pthread_mutex_destroy(&r->lock);
	for (int i = 0; i < BATCHES; i++) {
		free(r->ring[i].text);
		fs_problems_release(&r->ring[i].problems);
	}
	seen_close(r->seen);
	free(r);
}
