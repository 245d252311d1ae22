/*
 * cmd_page.c - fieldschool page: one HTML page of a mission's agenda.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/file.h"
#include "fieldschool/page.h"

struct page_job {
	fs_store *store;
	const char *mission, *key;
	fs_feed_kind kind;
};

static fs_err
write_page(FILE *out, void *ctx)
{
	struct page_job *job = ctx;
	return fs_page_write(job->store, job->mission, job->kind, job->key, out);
}

int
cmd_page(int argc, char **argv)
{
	static const struct option options[] = {
		{ "participant", required_argument, NULL, 'p' },
		{ "group", required_argument, NULL, 'g' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool page MISSION [--group G | "
			    "--participant REF] [-o FILE]";
	struct page_job job = { NULL, NULL, NULL, FS_FEED_MISSION };
	const char *output = NULL;
	int c, status, picked = 0;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'p':
		case 'g':
			job.kind = c == 'p' ? FS_FEED_PARTICIPANT : FS_FEED_GROUP;
			job.key = optarg;
			picked++;
			break;
		case 'o':
			output = optarg;
			break;
		case 'h':
			printf("usage: %s\n\n"
			       "Writes one HTML page of the mission's agenda to "
			       "standard output or, atomically,\nto FILE: the "
			       "whole agenda, a group's, or a participant's (the "
			       "same items as\ntheir feed, with their arrival "
			       "and departure), as `publish` writes them\n"
			       "beside the feeds.  Subscribe links and the QR "
			       "code need the mission's base\nURL (publish "
			       "--base-url).  A participant without a feed token "
			       "gets one.\n",
			       usage);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (picked > 1)
		return cmd_usage_error(usage, "give at most one of "
				       "--participant, --group");
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one mission code");
	job.mission = argv[optind];
	if ((status = cmd_open_store(&job.store, 0)))
		return status;
	if (output && strcmp(output, "-"))
		err = fs_write_atomic(output, write_page, &job);
	else
		err = write_page(stdout, &job);
	fs_store_close(job.store);
	return err ? cmd_fail(err) : EXIT_OK;
}
