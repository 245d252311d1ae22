/*
 * cmd_demo.c - fieldschool demo: a fresh database with the three demo
 * missions, and every output the tool makes written to one folder.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"

/* The address of `fieldschool serve --dir DIR/feeds` by default. */
#define DEMO_BASE_URL "http://127.0.0.1:8080"
#include "fieldschool/demo.h"
#include "fieldschool/feed.h"
#include "fieldschool/file.h"
#include "fieldschool/mission.h"
#include "fieldschool/schedule.h"
#include "fieldschool/roster.h"

struct summary {
	fs_store *store;
	const char *dir;
	int files;
	char codes[8][65];
	int n_codes;
};

/* ---- planning (plan groups, plan visits, check) ---- */

/* Groups no larger than the smallest site takes (18), each seeing three
 * sites in the three visit windows; then a check that must come out
 * clean.  The demo data has no groups and visit items for all. */
static fs_err
plan_demo(fs_store *store, const char *mission)
{
	fs_group_options groups = { 0, 18, false };
	fs_visit_options visits = { NULL, 3, false, 0, { 0, -1 } };
	fs_findings findings = FS_FINDINGS_INIT;
	fs_group_plan plan = { 0 };
	fs_visit_result rotation = { 0 };
	fs_err err;

	if ((err = fs_schedule_plan_groups(store, mission, &groups, &plan)) ||
	    (err = fs_schedule_plan_visits(store, mission, &visits,
					   &rotation)) ||
	    (err = fs_schedule_check(store, mission, NULL, &findings)))
		goto done;
	if (findings.n)
		err = fs_fail(FS_EINPUT, "%s: check after planning: %s: %s",
			      mission, findings.items[0].subject,
			      findings.items[0].message);
	else
	{
		long items = rotation.added + rotation.changed +
			     rotation.unchanged;
		printf("  %-8s %d group%s, %zu site%s x %zu window%s, %ld "
		       "visit item%s; check: clean\n", mission, plan.n_groups,
		       fs_plural(plan.n_groups), rotation.n_sites,
		       fs_plural((long)rotation.n_sites), rotation.n_windows,
		       fs_plural((long)rotation.n_windows), items,
		       fs_plural(items));
	}
done:
	fs_group_plan_release(&plan);
	fs_visit_result_release(&rotation);
	fs_findings_release(&findings);
	return err;
}

static fs_err
plan_missions(fs_store *store)
{
	char **codes = NULL;
	size_t n = 0;
	fs_err err = fs_schedule_missions(store, &codes, &n);
	for (size_t i = 0; i < n && !err; i++)
		err = plan_demo(store, codes[i]);
	for (size_t i = 0; i < n; i++)
		free(codes[i]);
	free(codes);
	return err;
}

/* ---- end of planning ---- */

static fs_err
export_mission(void *ctx, const char *const *v)
{
	struct summary *s = ctx;
	char path[4096];
	const char *code = v[FS_MISSION_CODE];
	fs_err err;

	printf("  %-8s %s to %s  %-20s %3s confirmed  %3s agenda items\n"
	       "           %s\n", v[FS_MISSION_CODE], v[FS_MISSION_START],
	       v[FS_MISSION_END], v[FS_MISSION_TIMEZONE], v[FS_MISSION_CONFIRMED],
	       v[FS_MISSION_ITEMS], v[FS_MISSION_TITLE]);
	if (s->n_codes < 8)
		snprintf(s->codes[s->n_codes++], 65, "%s", v[FS_MISSION_CODE]);
	snprintf(path, sizeof(path), "%s/agenda-%s.csv", s->dir,
		 v[FS_MISSION_CODE]);
	if ((err = fs_export_file(s->store, &fs_agenda_format, code, path)))
		return err;
	snprintf(path, sizeof(path), "%s/participants-%s.csv", s->dir,
		 v[FS_MISSION_CODE]);
	if ((err = fs_export_file(s->store, &fs_participants_format, code,
				  path)))
		return err;
	s->files += 2;
	return FS_OK;
}

/* Removes path and its SQLite companions; a stale -wal beside a new
 * database file would be replayed into it. */
static void
remove_database(const char *path)
{
	static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		char *side = NULL;
		if (asprintf(&side, "%s%s", path, suffixes[i]) >= 0)
			unlink(side);
		free(side);
	}
}

static fs_err
database_exists(const char *db)
{
	return fs_fail(FS_EEXISTS, "%s exists: the demo needs a new database "
		       "file (add --force to replace it)", db);
}

/* Renames the new database into place: over the old one with force, else
 * only when nothing took the name meanwhile (RENAME_NOREPLACE, or a hard
 * link where the file system lacks it). */
static fs_err
install_database(const char *tmp_db, const char *db, bool force)
{
	if (force) {
		remove_database(db);
		if (rename(tmp_db, db) != 0)
			return fs_fail(FS_EIO, "%s: %s", db, strerror(errno));
		return FS_OK;
	}
	if (renameat2(AT_FDCWD, tmp_db, AT_FDCWD, db, RENAME_NOREPLACE) == 0)
		return FS_OK;
	if (errno == EINVAL || errno == ENOSYS) {
		if (link(tmp_db, db) == 0) {
			unlink(tmp_db);
			return FS_OK;
		}
	}
	if (errno == EEXIST)
		return database_exists(db);
	return fs_fail(FS_EIO, "%s: %s", db, strerror(errno));
}

/* Writes s for a POSIX shell: as it is when every byte is harmless, else
 * in single quotes. */
static void
put_shell_word(const char *s)
{
	if (*s && strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			   "0123456789_./+-:,=@%") == strlen(s)) {
		fputs(s, stdout);
		return;
	}
	putchar('\'');
	for (; *s; s++)
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	putchar('\'');
}

/* Is the file at path the program that is running? */
static bool
is_this_program(const char *path)
{
	struct stat a, b;
	return stat(path, &a) == 0 && stat("/proc/self/exe", &b) == 0 &&
	       a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* How the user can run this program again from the current directory: the
 * path it was invoked by, its bare name when the shell finds this very
 * program on PATH, else the absolute path of the running executable
 * (build/fieldschool is not on PATH after ./dev demo).  Owned by the
 * caller. */
static char *
program_to_run(void)
{
	const char *name = global.argv0, *path = getenv("PATH");
	char *self;

	if (strchr(name, '/'))
		return strdup(name);
	while (path && *path) {
		size_t len = strcspn(path, ":");
		char *candidate = NULL;
		bool found = asprintf(&candidate, "%.*s%s%s", (int)len, path,
				      len ? "/" : "", name) >= 0 &&
			     access(candidate, X_OK) == 0;
		/* the shell takes the first match on PATH */
		if (found) {
			bool same = is_this_program(candidate);
			free(candidate);
			if (same)
				return strdup(name);
			break;
		}
		free(candidate);
		path += len + (path[len] == ':');
	}
	if ((self = realpath("/proc/self/exe", NULL)))
		return self;
	return strdup(name);
}

/* The "try:" lines, each ready to paste into a shell in the directory the
 * demo ran in: the program as it can be found from there, and --db unless
 * the database is the one it opens by default. */
static void
print_try(const char *db, const char *mission)
{
	static const struct {
		const char *command, *after;
		bool has_mission;
	} tries[] = {
		{ "mission list", "", false },
		{ "agenda list", "", true },
		{ "ics", " --group A", true },
	};
	char *program = program_to_run();
	bool is_default = !strcmp(db, fs_store_default_path());

	printf("\ntry:\n");
	for (size_t i = 0; i < sizeof(tries) / sizeof(tries[0]); i++) {
		fputs("  ", stdout);
		put_shell_word(program ? program : "fieldschool");
		if (!is_default) {
			fputs(" --db ", stdout);
			put_shell_word(db);
		}
		printf(" %s", tries[i].command);
		if (tries[i].has_mission) {
			putchar(' ');
			put_shell_word(mission);
		}
		printf("%s\n", tries[i].after);
	}
	free(program);
}

/* Every output of the demo into dir: the CSV files, the feeds and pages
 * (DIR/feeds), the rosters. */
static fs_err
write_outputs(fs_store *store, const char *dir, struct summary *summary)
{
	char path[4096 + 32];
	fs_err err;

	summary->store = store;
	summary->dir = dir;
	if ((err = fs_missions_format.each(store, NULL, NULL, export_mission,
					   summary)))
		return err;
	snprintf(path, sizeof(path), "%s/missions.csv", dir);
	if ((err = fs_export_file(store, &fs_missions_format, NULL, path)))
		return err;
	summary->files++;

	/* calendar feeds and pages of the three missions, addressed as
	 * `fieldschool serve --dir DIR/feeds` serves them by default, so
	 * that their subscribe links and QR codes work on this machine */
	{
		const char *codes[8];
		fs_publish_stats stats;
		fs_publish_options opts = { 0 };
		for (int i = 0; i < summary->n_codes; i++)
			codes[i] = summary->codes[i];
		snprintf(path, sizeof(path), "%s/feeds", dir);
		opts.dir = path;
		opts.base_url = DEMO_BASE_URL;
		/* DIR/feeds is the demo's own: a demo made anew (--force)
		 * replaces what an earlier demo's database published */
		opts.take_over = true;
		if ((err = fs_publish(store, codes, (size_t)summary->n_codes,
				      &opts, &stats)))
			return err;
		printf("published %ld calendar feed%s and %ld page%s in %s/ "
		       "(for %s)\n", stats.feeds, fs_plural(stats.feeds),
		       stats.pages, fs_plural(stats.pages), path,
		       DEMO_BASE_URL);
	}
	/* rosters: DIR/roster-MISSION.xlsx, one workbook per mission */
	for (int i = 0; i < summary->n_codes; i++) {
		const char *one[1] = { summary->codes[i] };
		fs_roster_stats stats;
		snprintf(path, sizeof(path), "%s/roster-%s.xlsx", dir,
			 summary->codes[i]);
		if ((err = fs_roster_write(store, path, one, 1, &stats)))
			return err;
		summary->files++;
	}
	return FS_OK;
}

int
cmd_demo(int argc, char **argv)
{
	static const struct option options[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool demo [--out DIR] [--db FILE] [--force]";
	const char *dir = "fieldschool-demo";
	fs_problems problems = FS_PROBLEMS_INIT;
	struct summary summary = { 0 };
	char db[4096], tmp_db[4096 + 32];
	fs_store *store = NULL;
	struct stat st;
	bool force = false;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "fho:", options, NULL)) != -1) {
		if (c == 'o') {
			dir = optarg;
		} else if (c == 'f') {
			force = true;
		} else if (c == 'h') {
			printf("usage: %s\n\nBuilds a fresh database with the "
			       "three demo missions (mx-2027 Mexico City,\n"
			       "rw-2027 Kigali, ph-2027 Manila) and writes every "
			       "output into DIR (default\n./fieldschool-demo): "
			       "the database itself (DIR/fieldschool.db unless "
			       "--db\nnames a new file) and the missions, agendas "
			       "and participants as CSV.\n\nAn existing "
			       "database is never replaced unless --force is "
			       "given.\n", usage);
			return EXIT_OK;
		} else {
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (optind != argc)
		return cmd_usage_error(usage, "unexpected argument '%s'",
				       argv[optind]);
	if (global.db_given)
		snprintf(db, sizeof(db), "%s", global.db);
	else
		snprintf(db, sizeof(db), "%s/fieldschool.db", dir);
	/* never replace a database without being told to: it may hold
	 * everything the user did since the last demo */
	if (!force && stat(db, &st) == 0)
		return cmd_fail(database_exists(db));
	if ((err = fs_mkdirs(dir)))
		return cmd_fail(err);
	/* Built under a temporary name and renamed: an interrupted demo
	 * leaves the previous demo database whole. */
	snprintf(tmp_db, sizeof(tmp_db), "%s.tmp-%ld", db, (long)getpid());
	remove_database(tmp_db);
	if ((err = fs_store_open(&store, tmp_db, FS_STORE_CREATE)))
		goto done;
	if ((err = fs_demo_load(store, &problems))) {
		status = cmd_report(err, &problems, "data/demo");
		fs_store_close(store);
		remove_database(tmp_db);
		fs_problems_release(&problems);
		return status;
	}
	printf("fieldschool demo: three missions in %s\n\n", db);
	printf("planned site-visit groups and rotations:\n");
	if ((err = plan_missions(store)))
		goto done;
	printf("\n");
	if ((err = write_outputs(store, dir, &summary)))
		goto done;

	fs_store_close(store);
	store = NULL;
	if ((err = install_database(tmp_db, db, force)))
		goto done;
	printf("\nwrote %d file%s to %s/: missions.csv, agenda-MISSION.csv, "
	       "participants-MISSION.csv, roster-MISSION.xlsx\n", summary.files,
	       fs_plural(summary.files), dir);
	printf("\nopen first: %s/feeds/index.html\n", dir);
	print_try(db, summary.n_codes ? summary.codes[0] : "mx-2027");
done:
	fs_store_close(store);
	if (err)
		remove_database(tmp_db);
	fs_problems_release(&problems);
	return err ? cmd_fail(err) : EXIT_OK;
}
