/*
 * roster_many.c - one workbook per mission in a directory, several built
 * at once (fs_roster_write_dir).
 *
 * Most of a workbook's time is libxlsxwriter: printing the sheets' XML,
 * then deflating it in workbook_close(), on the one thread that feeds it
 * (roster_rows.c reads the database on a second).  A finance officer
 * writing the rosters of several missions has as many independent
 * workbooks, so each is built from start to end by one thread, with its
 * own connection to the database (SQLite connections are opened
 * SQLITE_OPEN_NOMUTEX: one thread each) and its own read transaction, up
 * to one thread per online core.  The threads take the next mission from
 * a shared counter; after a failure they take no more.
 *
 * Two workbooks in one process share almost nothing in libxlsxwriter
 * 1.1.4: all its state hangs off the lxw_workbook (its sources have no
 * mutable static but one; in Debian's build the only stores to its .data
 * and .bss are that one and crtstuff's), and minizip and zlib keep theirs
 * in the zip and the stream.  Two things are shared, each taken care of
 * below: tmpfileplus's seed, and the C library's gmtime() buffer.
 *
 * All or nothing: every workbook is built into a file without a name
 * (fs_atomic_open_hidden) and flushed to disk on its thread; only when
 * all are complete does this thread give them their hidden temporary
 * names and rename them, one after another, over the old files.
 */
#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fieldschool/file.h"
#include "fieldschool/roster.h"
#include "value.h"
#include "workbook.h"
#include <xlsxwriter/third_party/tmpfileplus.h>

/* --- what libxlsxwriter shares between workbooks -------------------------- */

/*
 * libxlsxwriter formats a workbook's creation time (docProps/core.xml, in
 * workbook_close()) with gmtime(), whose result glibc keeps in one buffer
 * for the whole process: two workbooks closed at the same moment could
 * each print the other's time, and a lock around the call cannot help, as
 * the caller reads the buffer after it returns.  This definition takes the
 * place of the C library's in the whole program (the dynamic linker binds
 * libxlsxwriter's call to the program's own symbol, as it does malloc's)
 * and keeps one buffer per thread, which C allows.
 */
struct tm *
gmtime(const time_t *timer)
{
	static _Thread_local struct tm tm;
	return gmtime_r(timer, &tm);
}

/*
 * Every temporary file of libxlsxwriter (a sheet's rows in constant-memory
 * mode, each part of the package at workbook_close()) comes from its
 * tmpfileplus(), which reads and increments a static seed without a lock
 * and seeds the C library's one rand() sequence with it (srand): two
 * threads can draw the same name.  The file is opened O_EXCL, so a clash
 * costs a retry, not a shared file, but it is a data race all the same.
 * libxlsxwriter calls it through its exported symbol (lxw_tmpfile() jumps
 * to tmpfileplus@plt), so this definition, found first, takes each call
 * and passes it to the library's own under one lock: a few dozen calls a
 * workbook, each a few system calls.
 */
FILE *
tmpfileplus(const char *dir, const char *prefix, char **pathname, int keep)
{
	static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
	static FILE *(*next)(const char *, const char *, char **, int);
	FILE *file = NULL;

	pthread_mutex_lock(&lock);
	if (!next)
		*(void **)&next = dlsym(RTLD_NEXT, "tmpfileplus");
	if (next)
		file = next(dir, prefix, pathname, keep);
	else
		errno = ENOSYS;
	pthread_mutex_unlock(&lock);
	return file;
}

/* --- the workbooks ---------------------------------------------------------- */

struct job {
	const char *code; /* borrowed from the code list */
	char *path;       /* DIR/roster-CODE.xlsx */
	fs_atomic out;
	fs_roster_stats stats;
	fs_err err;
	char detail[1024]; /* the thread's fs_errdetail() on failure */
};

struct crew {
	struct job *jobs;
	size_t n;
	atomic_size_t next;  /* the next job to take */
	atomic_bool failed;  /* a job failed: take no more */
};

struct worker {
	struct crew *crew;
	fs_store *store;
	pthread_t thread;
};

/* One workbook, built and flushed to disk under no name. */
static void
job_run(struct job *job, fs_store *store)
{
	char *codes[1] = { (char *)job->code };
	const char *hook = getenv("FIELDSCHOOL_TEST_FAIL_ROSTER");
	fs_err err;

	if (!(err = fs_atomic_open_hidden(&job->out, job->path)) &&
	    !(err = roster_build(store, job->out.name, job->path, codes, 1,
				 &job->stats)))
		err = fs_atomic_sync(&job->out);
	/* the test hook of a workbook that fails once built, while the
	 * others succeed */
	if (!err && hook && !strcmp(hook, job->code))
		err = fs_fail(FS_EIO, "%s: the disk is full (test)", job->path);
	if (err)
		snprintf(job->detail, sizeof(job->detail), "%s",
			 fs_errdetail());
	job->err = err;
}

static void
crew_work(struct crew *crew, fs_store *store)
{
	size_t i;

	while (!atomic_load(&crew->failed) &&
	       (i = atomic_fetch_add(&crew->next, 1)) < crew->n) {
		job_run(&crew->jobs[i], store);
		if (crew->jobs[i].err)
			atomic_store(&crew->failed, true);
	}
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	crew_work(w->crew, w->store);
	return NULL;
}

/* How many workbooks to build at once: jobs (0: the online cores), at
 * most one per mission, and one when no other connection can see what
 * store sees (an in-memory database, an open transaction). */
static size_t
crew_size(const fs_store *store, int jobs, size_t n)
{
	long cores = jobs > 0 ? jobs : sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1 || store->depth > 0 || !store->path ||
	    !*store->path || !strcmp(store->path, ":memory:") ||
	    !strncmp(store->path, "file:", 5))
		return 1;
	return (size_t)cores < n ? (size_t)cores : n;
}

/* Runs the crew: this thread with store, the others with connections of
 * their own, all opened before any thread starts (fewer threads when one
 * cannot open or start: the work is the same). */
static void
crew_run(struct crew *crew, fs_store *store, size_t size)
{
	struct worker *workers = calloc(size, sizeof(*workers));
	size_t opened = 1, started = 1;

	while (workers && opened < size &&
	       fs_store_open(&workers[opened].store, store->path, 0) == FS_OK)
		workers[opened++].crew = crew;
	while (started < opened &&
	       pthread_create(&workers[started].thread, NULL, worker_main,
			      &workers[started]) == 0)
		started++;
	crew_work(crew, store);
	for (size_t i = 1; i < opened; i++) {
		if (i < started)
			pthread_join(workers[i].thread, NULL);
		fs_store_close(workers[i].store);
	}
	free(workers);
}

/* dir without its trailing slashes ("/" stays). */
static char *
dir_name(const char *dir)
{
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/')
		len--;
	return strndup(dir, len);
}

/* The jobs of the codes: their files' names, checked. */
static fs_err
jobs_plan(struct job **out, const char *dir, const struct code_list *list)
{
	struct job *jobs = calloc(list->n, sizeof(*jobs));
	fs_err err = FS_OK;

	*out = NULL;
	if (!jobs)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < list->n; i++) {
		const char *code = list->codes[i], *why;
		struct stat st;
		jobs[i].code = code;
		jobs[i].out = (fs_atomic)FS_ATOMIC_INIT;
		/* codes are checked when stored; they name files here */
		if ((why = check_code(code))) {
			err = fs_fail(FS_EINPUT, "mission '%s': %s", code, why);
			break;
		}
		for (size_t j = 0; j < i; j++)
			if (!strcasecmp(list->codes[j], code)) {
				err = fs_fail(FS_EINPUT, "missions '%s' and '%s' "
					      "would write files whose names "
					      "differ only in case: write "
					      "them in two runs, or with -o",
					      list->codes[j], code);
				break;
			}
		if (err)
			break;
		if (asprintf(&jobs[i].path, "%s/roster-%s.xlsx",
			     strcmp(dir, "/") ? dir : "", code) < 0) {
			jobs[i].path = NULL;
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		if (lstat(jobs[i].path, &st) == 0 && S_ISDIR(st.st_mode)) {
			err = fs_fail(FS_EIO, "%s: is a directory", jobs[i].path);
			break;
		}
	}
	if (err) {
		for (size_t i = 0; i < list->n; i++)
			free(jobs[i].path);
		free(jobs);
		return err;
	}
	*out = jobs;
	return FS_OK;
}

/* The first failed job, or NULL. */
static const struct job *
jobs_failed(const struct job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (jobs[i].err)
			return &jobs[i];
	return NULL;
}

/* The error of a failed job, naming its mission and file: the detail
 * (its thread's, as the caller has made it this thread's) follows. */
static fs_err
job_failure(const struct job *job, fs_err err, const char *dir)
{
	char why[1024];
	/* the detail often starts with the file's name already */
	const char *detail = fs_errdetail();
	size_t len = strlen(job->path);
	if (!strncmp(detail, job->path, len) && !strncmp(detail + len, ": ", 2))
		detail += len + 2;
	snprintf(why, sizeof(why), "%s", detail);
	return fs_fail(err, "%s (mission '%s'): %s; no roster in %s was "
		       "replaced", job->path, job->code, why, dir);
}

/* Every complete workbook named, then renamed into place. */
static fs_err
jobs_commit(struct job *jobs, size_t n, const char *dir)
{
	const char *hook = getenv("FIELDSCHOOL_TEST_KILL_RENAME");
	fs_err err;

	for (size_t i = 0; i < n; i++)
		if ((err = fs_atomic_prepare(&jobs[i].out)))
			return job_failure(&jobs[i], err, dir);
	/* the test hook that kills the command with every workbook named
	 * and none renamed */
	if (hook && *hook)
		raise(SIGKILL);
	for (size_t i = 0; i < n; i++)
		if ((err = fs_atomic_commit(&jobs[i].out)))
			return fs_fail(err, "%s (mission '%s'): %s; %zu of the "
				       "%zu rosters in %s were replaced",
				       jobs[i].path, jobs[i].code,
				       fs_errdetail(), i, n, dir);
	return FS_OK;
}

/* The workbooks, into *out (which takes the paths). */
static fs_err
files_fill(fs_roster_files *out, struct job *jobs, size_t n)
{
	if (!(out->items = calloc(n, sizeof(*out->items))))
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < n; i++) {
		fs_roster_file *f = &out->items[i];
		if (!(f->code = strdup(jobs[i].code))) {
			fs_roster_files_release(out);
			return fs_fail(FS_ENOMEM, "out of memory");
		}
		f->path = jobs[i].path;
		jobs[i].path = NULL;
		f->stats = jobs[i].stats;
		out->n++;
	}
	return FS_OK;
}

fs_err
fs_roster_write_dir(fs_roster_files *out, fs_store *store, const char *dir,
		    const char *const *codes, size_t n_codes, int jobs)
{
	struct code_list list = { NULL, 0, 0 };
	struct crew crew = { NULL, 0, 0, false };
	struct stderr_catch catch;
	const struct job *failed;
	char *where = NULL;
	fs_err err;

	*out = (fs_roster_files)FS_ROSTER_FILES_INIT;
	if (!*dir)
		return fs_fail(FS_EIO, "an empty directory name");
	if ((err = roster_codes(&list, store, codes, n_codes)))
		return err;
	if (!(where = dir_name(dir))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	if ((err = fs_mkdirs(where)))
		goto done;
	if (access(where, W_OK | X_OK) != 0) {
		err = fs_fail(FS_EIO, "%s: %s", where, fs_errno_text(errno));
		goto done;
	}
	if ((err = jobs_plan(&crew.jobs, where, &list)))
		goto done;
	crew.n = list.n;

	roster_catch_start(&catch);
	crew_run(&crew, store, crew_size(store, jobs, crew.n));
	/* the failed thread's detail, with what libxlsxwriter said */
	if ((failed = jobs_failed(crew.jobs, crew.n)))
		fs_fail(failed->err, "%s", failed->detail);
	err = roster_catch_end(&catch, failed ? failed->err : FS_OK);
	if (err)
		err = job_failure(failed, err, where);
	else if (!(err = jobs_commit(crew.jobs, crew.n, where)))
		err = files_fill(out, crew.jobs, crew.n);
done:
	for (size_t i = 0; crew.jobs && i < crew.n; i++) {
		fs_atomic_abort(&crew.jobs[i].out);
		free(crew.jobs[i].path);
	}
	free(crew.jobs);
	free(where);
	code_list_release(&list);
	return err;
}

void
fs_roster_files_release(fs_roster_files *files)
{
	for (size_t i = 0; i < files->n; i++) {
		free(files->items[i].path);
		free(files->items[i].code);
	}
	free(files->items);
	*files = (fs_roster_files)FS_ROSTER_FILES_INIT;
}
