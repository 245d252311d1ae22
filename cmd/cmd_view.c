/*
 * cmd_view.c - fieldschool ics and page: one view of a mission (its whole
 * agenda, or what one participant, group or facilitator is expected at) as
 * a calendar feed or an HTML page, to standard output or atomically to a
 * file.  `publish` writes every view at once.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/feed.h"
#include "fieldschool/file.h"
#include "fieldschool/page.h"

typedef fs_err (*view_writer)(fs_store *store, const char *mission,
			      fs_feed_kind kind, const char *key, FILE *out);

struct view {
	const char *usage, *help;
	bool facilitator;	/* --facilitator NAME is offered */
	view_writer write;
};

struct view_job {
	const struct view *view;
	fs_store *store;
	const char *mission, *key;
	fs_feed_kind kind;
};

static fs_err
write_view(FILE *out, void *ctx)
{
	struct view_job *job = ctx;
	return job->view->write(job->store, job->mission, job->kind, job->key,
				out);
}

static int
run_view(int argc, char **argv, const struct view *view)
{
	/* the first is offered only where view->facilitator says so */
	static const struct option options[] = {
		{ "facilitator", required_argument, NULL, 'f' },
		{ "participant", required_argument, NULL, 'p' },
		{ "group", required_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct view_job job = { view, NULL, NULL, NULL, FS_FEED_MISSION };
	const char *output = NULL;
	int c, status, picked = 0;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:",
				options + !view->facilitator, NULL)) != -1) {
		switch (c) {
		case 'p':
		case 'g':
		case 'f':
			job.kind = c == 'p'   ? FS_FEED_PARTICIPANT
				   : c == 'g' ? FS_FEED_GROUP
					      : FS_FEED_FACILITATOR;
			job.key = optarg;
			picked++;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			printf("usage: %s\n\n%s", view->usage, view->help);
			return EXIT_OK;
		default:
			return cmd_usage_error(view->usage, "%s: unknown option "
					       "or missing value",
					       argv[optind - 1]);
		}
	}
	if (picked > 1)
		return cmd_usage_error(view->usage, "give at most one of "
				       "--participant, --group%s",
				       view->facilitator ? ", --facilitator"
							 : "");
	if (optind != argc - 1)
		return cmd_usage_error(view->usage, "give one mission code");
	job.mission = argv[optind];
	if ((status = cmd_open_store(&job.store, 0)))
		return status;
	if (output && strcmp(output, "-"))
		err = fs_write_atomic(output, write_view, &job);
	else
		err = write_view(stdout, &job);
	fs_store_close(job.store);
	return err ? cmd_fail(err) : EXIT_OK;
}

int
cmd_ics(int argc, char **argv)
{
	static const struct view ics = {
		"fieldschool ics MISSION [--participant REF | --group G | "
		"--facilitator NAME] [-o FILE]",
		"Writes one iCalendar feed of the mission to standard output "
		"or, atomically, to FILE:\nevery item, or what a participant, "
		"a group or a facilitator is expected at.\nCancelled and "
		"removed items stay, marked cancelled.  `publish` writes them "
		"all.\n",
		true, fs_feed_write,
	};
	return run_view(argc, argv, &ics);
}

int
cmd_page(int argc, char **argv)
{
	static const struct view page = {
		"fieldschool page MISSION [--group G | --participant REF] "
		"[-o FILE]",
		"Writes one HTML page of the mission's agenda to standard "
		"output or, atomically,\nto FILE: the whole agenda, a group's, "
		"or a participant's (the same items as\ntheir feed, with their "
		"arrival and departure), as `publish` writes them\nbeside the "
		"feeds.  Subscribe links and the QR code need the mission's "
		"base\nURL (publish --base-url).  A participant without a feed "
		"token gets one.\n",
		false, fs_page_write,
	};
	return run_view(argc, argv, &page);
}
