/*
 * cmd_handout.c - fieldschool badges MISSION and fieldschool links MISSION
 * (certificates --pdf is in cmd_attend.c, beside the list it prints).
 */
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/csv.h"
#include "fieldschool/file.h"
#include "fieldschool/handout.h"
#include "fieldschool/json.h"

/* --- badges ---------------------------------------------------------------- */

/* Drawing a page allocates and frees a few hundred kilobytes (cairo's
 * buffers); glibc would give them back to the kernel at every free and
 * fault them in again, which took a third of the time of 50,000 badges.
 * Keep up to 32 MB of free heap instead. */
void
cmd_keep_heap(void)
{
	mallopt(M_TRIM_THRESHOLD, 32 << 20);
	mallopt(M_TOP_PAD, 4 << 20);
	mallopt(M_MMAP_THRESHOLD, 4 << 20);
}

struct badge_job {
	fs_store *store;
	const char *mission;
	fs_badge_options opts;
	size_t badges, pages;
};

static fs_err
badge_job_run(FILE *out, void *ctx)
{
	struct badge_job *job = ctx;
	return fs_badges_write(job->store, job->mission, &job->opts, out,
			       &job->badges, &job->pages);
}

static void
badges_help(const char *usage)
{
	printf("usage: %s\n\n"
	       "Writes name badges as PDF, for the confirmed participants of "
	       "MISSION (sorted\nby family name) or, with --facilitators, for "
	       "the facilitators of its agenda:\ngiven name, family name, "
	       "organization, country, group letter, the category\nas a "
	       "coloured band that names it, and a QR code of the person's "
	       "page (a\nfacilitator's feed) under the base URL that 'publish "
	       "--base-url' remembered.\nLong names shrink, then wrap, then are "
	       "cut short: never off the badge.\n\n"
	       "  -o, --output FILE   the PDF to write (default "
	       "badges-MISSION.pdf), written\n"
	       "                      to a temporary name and renamed\n"
	       "  --facilitators      badges for the facilitators\n"
	       "  --layout NAME       the sheet of labels:\n", usage);
	for (const fs_badge_layout *l = fs_badge_layouts; l->name; l++)
		printf("                        %-10s %s%s\n", l->name, l->summary,
		       l == fs_badge_layouts ? " (default)" : "");
}

/* Pages that the QR codes or links lead to, but that no publish wrote
 * yet, answer 404: say so (the hand-out itself is right). */
static void
note_unpublished(fs_store *store, const char *mission)
{
	long n;
	if (fs_handouts_unpublished(store, mission, &n) == FS_OK && n > 0)
		fprintf(stderr, "fieldschool: note: %ld personal page%s of %s "
			"%s not published yet (new people or tokens): publish "
			"the mission before handing these out\n", n,
			n == 1 ? "" : "s", mission, n == 1 ? "is" : "are");
}

int
cmd_badges(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "facilitators", no_argument, NULL, 'f' },
		{ "layout", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool badges MISSION [-o FILE.pdf] "
			    "[--facilitators] [--layout a4-8]";
	struct badge_job job = { 0 };
	const char *output = NULL;
	char *path = NULL;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'f':
			job.opts.facilitators = true;
			break;
		case 'l':
			if (!(job.opts.layout = fs_badge_layout_find(optarg)))
				return cmd_usage_error(usage, "--layout: '%s': "
						       "not a layout (see "
						       "--help)", optarg);
			break;
		case 'h':
			badges_help(usage);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value (see --help)",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	if (output && (!*output || !strcmp(output, "-")))
		return cmd_usage_error(usage, "-o: name a file (a PDF does not "
				       "go to standard output)");
	job.mission = argv[optind];
	if (!output) {
		if (asprintf(&path, "badges-%s%s.pdf", job.mission,
			     job.opts.facilitators ? "-facilitators" : "") < 0)
			return cmd_fail(fs_fail(FS_ENOMEM, "out of memory"));
		output = path;
	}
	if ((status = cmd_open_store(&job.store, 0))) {
		free(path);
		return status;
	}
	cmd_keep_heap();
	err = fs_write_atomic(output, badge_job_run, &job);
	if (!err && !job.opts.facilitators)
		note_unpublished(job.store, job.mission);
	fs_store_close(job.store);
	fs_handouts_cleanup();
	if (err) {
		free(path);
		return cmd_fail(err);
	}
	if (global.json) {
		printf("{\"file\": ");
		fs_json_string(stdout, output);
		printf(", \"badges\": %zu, \"pages\": %zu}\n", job.badges,
		       job.pages);
	} else {
		printf("%s: %zu badge%s on %zu page%s\n", output, job.badges,
		       job.badges == 1 ? "" : "s", job.pages,
		       job.pages == 1 ? "" : "s");
	}
	free(path);
	return EXIT_OK;
}

/* --- links ----------------------------------------------------------------- */

struct links_job {
	fs_store *store;
	const char *mission;
	FILE *out;
	bool started;
	size_t rows;
};

static fs_err
links_begin(struct links_job *job)
{
	if (job->started)
		return FS_OK;
	job->started = true;
	return fs_csv_write(job->out, fs_link_columns, FS_LINK__COUNT);
}

static fs_err
links_row(void *ctx, const char *const *values)
{
	struct links_job *job = ctx;
	fs_err err = links_begin(job);
	job->rows++;
	return err ? err : fs_csv_write(job->out, values, FS_LINK__COUNT);
}

static fs_err
links_job_run(FILE *out, void *ctx)
{
	struct links_job *job = ctx;
	fs_err err;
	job->out = out;
	if ((err = fs_links(job->store, job->mission, links_row, job)))
		return err;
	return links_begin(job);
}

int
cmd_links(int argc, char **argv)
{
	static const struct option options[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool links MISSION [-o FILE.csv]";
	struct links_job job = { 0 };
	const char *output = NULL;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			output = optarg;
			break;
		case 'h':
			printf("usage: %s\n\n"
			       "Lists, as CSV for mail merge, every registration "
			       "of MISSION that is not\ncancelled (applied, "
			       "confirmed, waitlisted), sorted by family name:\n"
			       "ref, given_name, family_name, email, language, "
			       "page_url (the personal page),\nfeed_url (the "
			       "personal calendar feed) and webcal_url (the same, "
			       "for\ncalendar apps), under the base URL that "
			       "'publish --base-url' remembered.\nPeople without "
			       "a feed token get one, as publish would give "
			       "them.\n\n"
			       "  -o, --output FILE   write FILE (atomically) "
			       "instead of standard output\n", usage);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value (see --help)",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	if (output && !*output)
		return cmd_usage_error(usage, "-o: name a file");
	job.mission = argv[optind];
	if ((status = cmd_open_store(&job.store, 0)))
		return status;
	if (output && strcmp(output, "-")) {
		/* every personal address: for the organizers only */
		err = fs_write_private(output, links_job_run, &job);
	} else {
		err = links_job_run(stdout, &job);
		if (!err && (fflush(stdout) || ferror(stdout)))
			err = fs_fail(FS_EIO, "standard output: %s",
				      strerror(errno));
	}
	if (!err)
		note_unpublished(job.store, job.mission);
	fs_store_close(job.store);
	if (err)
		return cmd_fail(err);
	if (output && strcmp(output, "-"))
		fprintf(stderr, "%s: %zu participant%s\n", output, job.rows,
			job.rows == 1 ? "" : "s");
	return EXIT_OK;
}
