/*
 * roster_many.c - one workbook per mission in a directory, several built
 * at once (fs_roster_write_dir).
 *
 * Most of a workbook's time is libxlsxwriter: printing the sheets' XML,
 * then deflating it in workbook_close(), on the one thread that feeds it
 * (roster_rows.c reads the database on a second).  A finance officer
 * writing the rosters of several missions has as many independent
 * workbooks, so each is built from start to end by a worker process of
 * its own (fork), up to one per online core; as one ends, the next
 * mission goes to a new one.  Separate processes share nothing: not
 * libxlsxwriter's static state (tmpfileplus's name seed, rand()), not the
 * C library's (gmtime()'s buffer), not SQLite's.  A child never touches
 * this process's connection (SQLite forbids carrying one across fork): it
 * opens its own from the database's path, in its own read transaction,
 * and ends with _exit(), so neither atexit handlers nor this process's
 * stdio buffers run twice.
 *
 * All or nothing: this process opens each workbook's file, without a name
 * (fs_atomic_open_hidden), before the child that fills it starts; the
 * child inherits the descriptor, builds the workbook into it, flushes it
 * to disk and reports through a pipe: success and its counts, or its
 * one-line error.  Only this process names and renames, and only when
 * every child succeeded.  Killed, it leaves files without names (or,
 * where the file system has no O_TMPFILE, hidden temporaries locked by
 * descriptors that die with it and its children, which the next write
 * sweeps); its children die with it (PR_SET_PDEATHSIG) before they could
 * do anything more.  SIGINT, SIGTERM and SIGHUP are caught while children
 * run: they are stopped, the files dropped, then the signal goes on.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fieldschool/file.h"
#include "fieldschool/roster.h"
#include "value.h"
#include "workbook.h"

struct job {
	const char *code; /* borrowed from the code list */
	char *path;       /* DIR/roster-CODE.xlsx */
	fs_atomic out;    /* opened here, filled by the child */
	fs_roster_stats stats;
	fs_err err;
	char detail[1024]; /* the child's fs_errdetail() on failure */
	pid_t pid;         /* the child's while it runs, else 0 */
	int report;        /* the read end of its pipe, or -1 */
};

/* What a child writes into its pipe, once, before _exit(). */
struct report {
	fs_err err;
	fs_roster_stats stats;
	char detail[1024];
};

struct crew {
	struct job *jobs;
	size_t n, next, running, done;
	size_t size;                /* children at once */
	const struct job *failed;   /* the first failure reported */
	const char *db;             /* the database's path */
	fs_roster_progress_fn progress;
	void *progress_ctx;
	struct sigaction saved[3]; /* CAUGHT's dispositions before */
	sigset_t mask;             /* the signal mask before */
};

/* One workbook, built with store into the job's file and flushed to disk
 * (the detail says why not). */
static fs_err
job_build(struct job *job, fs_store *store, fs_roster_stats *stats)
{
	char *codes[1] = { (char *)job->code };
	const char *hook = getenv("FIELDSCHOOL_TEST_FAIL_ROSTER");
	struct stderr_catch catch;
	fs_err err;

	roster_catch_start(&catch);
	if (!(err = roster_build(store, job->out.name, job->path, codes, 1,
				 stats)))
		err = fs_atomic_sync(&job->out);
	/* the test hook of a workbook that fails once built, while the
	 * others succeed */
	if (!err && hook && !strcmp(hook, job->code))
		err = fs_fail(FS_EIO, "%s: the disk is full (test)", job->path);
	return roster_catch_end(&catch, err);
}

static const int CAUGHT[3] = { SIGINT, SIGTERM, SIGHUP };
#define N_CAUGHT (sizeof(CAUGHT) / sizeof(CAUGHT[0]))
static volatile sig_atomic_t interrupted;

static void
on_signal(int sig)
{
	interrupted = sig;
}

/* The child: its own connection, the workbook, a report, _exit(). */
static _Noreturn void
child_main(const struct crew *crew, struct job *job, int report,
	   pid_t parent)
{
	struct report r;
	fs_store *store = NULL;
	const char *hook = getenv("FIELDSCHOOL_TEST_CHILD_SLEEP");

	for (size_t i = 0; i < N_CAUGHT; i++)
		sigaction(CAUGHT[i], &crew->saved[i], NULL);
	sigprocmask(SIG_SETMASK, &crew->mask, NULL);
	/* dies with the parent, which alone renames */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
		_exit(1);
	/* the test hook that keeps children busy for a parent to be killed */
	if (hook && *hook)
		sleep((unsigned)atoi(hook));
	memset(&r, 0, sizeof(r));
	if (!(r.err = fs_store_open(&store, crew->db, 0)))
		r.err = job_build(job, store, &r.stats);
	if (r.err)
		snprintf(r.detail, sizeof(r.detail), "%s", fs_errdetail());
	fs_store_close(store); /* the child's own */
	_exit(write(report, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
}

/* Starts the next job's child (false: it could not, the job failed). */
static bool
crew_start(struct crew *crew)
{
	struct job *job = &crew->jobs[crew->next++];
	int ends[2];
	fs_err err;

	if ((err = fs_atomic_open_hidden(&job->out, job->path)))
		goto fail;
	if (pipe2(ends, O_CLOEXEC) != 0) {
		err = fs_fail(FS_EIO, "cannot make a pipe: %s",
			      fs_errno_text(errno));
		goto fail;
	}
	pid_t parent = getpid();
	if ((job->pid = fork()) == 0) {
		close(ends[0]);
		child_main(crew, job, ends[1], parent);
	}
	close(ends[1]);
	if (job->pid < 0) {
		job->pid = 0;
		close(ends[0]);
		err = fs_fail(FS_EIO, "cannot start a process: %s",
			      fs_errno_text(errno));
		goto fail;
	}
	job->report = ends[0];
	crew->running++;
	return true;
fail:
	job->err = err;
	snprintf(job->detail, sizeof(job->detail), "%s", fs_errdetail());
	crew->failed = job;
	return false;
}

/* A child's end: its report (or how it died) into its job. */
static void
crew_collect(struct crew *crew, struct job *job)
{
	struct report r;
	size_t got = 0;
	ssize_t len;
	int status = 0;

	while (got < sizeof(r) &&
	       ((len = read(job->report, (char *)&r + got, sizeof(r) - got)) >
			0 ||
		(len < 0 && errno == EINTR)))
		got += len > 0 ? (size_t)len : 0;
	close(job->report);
	job->report = -1;
	while (waitpid(job->pid, &status, 0) < 0 && errno == EINTR)
		;
	job->pid = 0;
	crew->running--;
	if (got == sizeof(r)) {
		job->err = r.err;
		job->stats = r.stats;
		memcpy(job->detail, r.detail, sizeof(job->detail));
		job->detail[sizeof(job->detail) - 1] = '\0';
		job->out.is_synced = !r.err; /* by the child */
	} else {
		job->err = FS_EIO;
		if (WIFSIGNALED(status))
			snprintf(job->detail, sizeof(job->detail),
				 "%s: its process was killed (%s)", job->path,
				 strsignal(WTERMSIG(status)));
		else
			snprintf(job->detail, sizeof(job->detail),
				 "%s: its process ended without a word "
				 "(status %d)", job->path, WEXITSTATUS(status));
	}
	if (job->err && !crew->failed)
		crew->failed = job;
	if (!job->err && crew->progress)
		crew->progress(crew->progress_ctx, ++crew->done, crew->n);
}

/* Stops the children still running (a failure, a signal) and collects
 * them. */
static void
crew_stop(struct crew *crew)
{
	for (size_t i = 0; i < crew->next; i++)
		if (crew->jobs[i].pid > 0)
			kill(crew->jobs[i].pid, SIGKILL);
	for (size_t i = 0; i < crew->next; i++)
		if (crew->jobs[i].pid > 0) {
			const struct job *failed = crew->failed;
			crew_collect(crew, &crew->jobs[i]);
			crew->failed = failed; /* killed here: no failure */
		}
}

/* Waits for the next child to end; false when interrupted. */
static bool
crew_wait(struct crew *crew)
{
	struct pollfd fds[64];
	struct job *of[64];
	nfds_t n = 0;

	for (size_t i = 0; i < crew->next && n < 64; i++)
		if (crew->jobs[i].pid > 0) {
			fds[n] = (struct pollfd){ crew->jobs[i].report, POLLIN,
						  0 };
			of[n++] = &crew->jobs[i];
		}
	/* the signals caught are let in only while waiting: none is lost
	 * between the test of interrupted and the wait */
	if (ppoll(fds, n, NULL, &crew->mask) < 0)
		return errno == EINTR && !interrupted;
	for (nfds_t i = 0; i < n; i++)
		if (fds[i].revents)
			crew_collect(crew, of[i]);
	return !interrupted;
}

/* Runs the crew: up to size children at once, the next mission to a new
 * one as one ends; after a failure or a signal, no more, and those still
 * running are stopped.  Returns the signal caught, or 0. */
static int
crew_run(struct crew *crew)
{
	struct sigaction caught = { 0 };
	sigset_t blocked;
	int sig;

	caught.sa_handler = on_signal; /* no SA_RESTART: ppoll() returns */
	sigemptyset(&caught.sa_mask);
	interrupted = 0;
	sigemptyset(&blocked);
	/* a signal ignored (a background job's SIGINT, nohup) stays so */
	for (size_t i = 0; i < N_CAUGHT; i++) {
		sigaddset(&blocked, CAUGHT[i]);
		if (sigaction(CAUGHT[i], NULL, &crew->saved[i]) == 0 &&
		    crew->saved[i].sa_handler != SIG_IGN)
			sigaction(CAUGHT[i], &caught, NULL);
	}
	sigprocmask(SIG_BLOCK, &blocked, &crew->mask);
	/* nothing of ours buffered is written twice (children _exit) */
	fflush(NULL);
	while (!crew->failed && !interrupted) {
		while (!crew->failed && !interrupted &&
		       crew->running < crew->size && crew->next < crew->n)
			crew_start(crew);
		if (!crew->running || !crew_wait(crew))
			break;
	}
	crew_stop(crew);
	/* one pending comes in here, still to our handler */
	sigprocmask(SIG_SETMASK, &crew->mask, NULL);
	sig = interrupted;
	for (size_t i = 0; i < N_CAUGHT; i++)
		sigaction(CAUGHT[i], &crew->saved[i], NULL);
	return sig;
}

/* In this process, one after another (a store other connections cannot
 * see: in memory, or inside a transaction). */
static void
crew_run_here(struct crew *crew, fs_store *store)
{
	while (!crew->failed && crew->next < crew->n) {
		struct job *job = &crew->jobs[crew->next++];
		fs_err err = fs_atomic_open_hidden(&job->out, job->path);
		if (!err)
			err = job_build(job, store, &job->stats);
		if ((job->err = err)) {
			snprintf(job->detail, sizeof(job->detail), "%s",
				 fs_errdetail());
			crew->failed = job;
		} else if (crew->progress) {
			crew->progress(crew->progress_ctx, ++crew->done,
				       crew->n);
		}
	}
}

/* How many workbooks to build at once: jobs (0: the online cores), at
 * most one per mission, and 0 (here, one at a time) when no other
 * connection can see what store sees (an in-memory database, an open
 * transaction). */
static size_t
crew_size(const fs_store *store, int jobs, size_t n)
{
	long cores = jobs > 0 ? jobs : sysconf(_SC_NPROCESSORS_ONLN);
	if (store->depth > 0 || !store->path || !*store->path ||
	    !strcmp(store->path, ":memory:") ||
	    !strncmp(store->path, "file:", 5))
		return 0;
	if (cores < 1)
		cores = 1;
	if (cores > 64)
		cores = 64; /* crew_wait()'s poll set */
	return (size_t)cores < n ? (size_t)cores : n;
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
		jobs[i].report = -1;
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

/* The error of a failed job, naming its mission and file: the detail
 * (its child's, as the caller has made it this process's) follows. */
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
		    const char *const *codes, size_t n_codes, int jobs,
		    fs_roster_progress_fn progress, void *progress_ctx)
{
	struct code_list list = { NULL, 0, 0 };
	struct crew crew = { 0 };
	char *where = NULL;
	fs_err err;
	int sig = 0;

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
	crew.db = store->path;
	crew.progress = progress;
	crew.progress_ctx = progress_ctx;
	if ((crew.size = crew_size(store, jobs, crew.n)))
		sig = crew_run(&crew);
	else
		crew_run_here(&crew, store);
	if (sig) {
		err = fs_fail(FS_EIO, "interrupted (%s); no roster in %s was "
			      "replaced", strsignal(sig), where);
	} else if (crew.failed) {
		/* the failed child's detail, with what libxlsxwriter said */
		fs_fail(crew.failed->err, "%s", crew.failed->detail);
		err = job_failure(crew.failed, crew.failed->err, where);
	} else if (!(err = jobs_commit(crew.jobs, crew.n, where))) {
		err = files_fill(out, crew.jobs, crew.n);
	}
done:
	for (size_t i = 0; crew.jobs && i < crew.n; i++) {
		fs_atomic_abort(&crew.jobs[i].out);
		free(crew.jobs[i].path);
	}
	free(crew.jobs);
	free(where);
	code_list_release(&list);
	/* the files dropped, the signal goes on (to the handler before,
	 * or the default: the command ends as killed by it) */
	if (sig)
		raise(sig);
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
