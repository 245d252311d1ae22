/*
 * cmd_feed.c - fieldschool publish and token: every feed and page at once,
 * and the personal addresses.  `ics` (one feed) is in cmd_view.c.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fieldschool/feed.h"
#include "fieldschool/file.h"
#include "fieldschool/json.h"
#include "fieldschool/url.h"

/* --- publish ------------------------------------------------------------ */

static void
show_progress(void *ctx, long done, long total)
{
	(void)ctx;
	if (total > 0)
		progress_show("publishing: %ld of %ld feed%s", done, total,
			      fs_plural(total));
}

/* What a publish did, and what the missions lack for a full one. */
static void
print_published(const fs_publish_stats *stats, const char *dir)
{
	if (stats->no_organizer)
		fprintf(stderr, "fieldschool: warning: %ld mission%s %s no "
			"contact email, so their events have no ORGANIZER "
			"(RFC 5546): set one with `mission edit CODE "
			"--contact-email ...`\n", stats->no_organizer,
			fs_plural(stats->no_organizer),
			stats->no_organizer == 1 ? "has" : "have");
	if (stats->no_base_url)
		fprintf(stderr, "fieldschool: note: %ld mission%s %s no base "
			"URL, so their pages cannot give subscribe links: "
			"publish once with --base-url https://... (the URL at "
			"which %s is served); it is remembered\n",
			stats->no_base_url, fs_plural(stats->no_base_url),
			stats->no_base_url == 1 ? "has" : "have", dir);
	if (global.json)
		printf("{\"feeds\": %ld, \"written\": %ld, \"unchanged\": %ld, "
		       "\"removed\": %ld, \"bytes\": %lld, \"pages\": %ld, "
		       "\"page_bytes\": %lld, \"page_seconds\": %.3f}\n",
		       stats->feeds, stats->written, stats->unchanged,
		       stats->removed, (long long)stats->bytes, stats->pages,
		       (long long)stats->page_bytes, stats->page_seconds);
	else
		printf("%s: %ld feed%s and %ld page%s, %ld file%s written "
		       "(%.1f MB), %ld unchanged, %ld removed\n",
		       dir, stats->feeds, fs_plural(stats->feeds),
		       stats->pages, fs_plural(stats->pages), stats->written,
		       fs_plural(stats->written),
		       (double)stats->bytes / 1e6, stats->unchanged,
		       stats->removed);
}

int
cmd_publish(int argc, char **argv)
{
	static const struct option options[] = {
		{ "out", required_argument, NULL, 'o' },
		{ "base-url", required_argument, NULL, 'b' },
		{ "take-over", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool publish MISSION... --out DIR "
			    "[--base-url URL] [--take-over]";
	fs_publish_options opts = { 0 };
	fs_publish_stats stats;
	fs_store *store = NULL;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "ho:", options, NULL)) != -1) {
		switch (c) {
		case 'o':
			opts.dir = optarg;
			break;
		case 'b':
			opts.base_url = optarg;
			break;
		case 't':
			opts.take_over = true;
			break;
		case 'h':
			printf("usage: %s\n\n"
			       "Writes every feed of the missions into DIR:\n"
			       "  MISSION/MISSION.ics           every item\n"
			       "  MISSION/group-LABEL.ics       a group's\n"
			       "  MISSION/facilitator-NAME-HASH.ics  what a "
			       "facilitator leads\n"
			       "  MISSION/p/TOKEN.ics           a participant's "
			       "own (not cancelled)\n"
			       "  MISSION/index.json            every feed and "
			       "its URL (private: it\n"
			       "                                lists the "
			       "personal addresses)\n"
			       "then the pages: MISSION/index.html, "
			       "MISSION/group-LABEL.html,\nMISSION/p/TOKEN.html, "
			       "MISSION/schedule.xml and .json (conference apps),\n"
			       "and index.html, the missions published in DIR.\n"
			       "Each file is replaced atomically and only when "
			       "it changed; feeds of\nrevoked tokens and gone "
			       "groups are removed after the new ones are in "
			       "place.\n\n"
			       "--base-url is the http(s) address at which DIR "
			       "is served; it is remembered for\neach mission, "
			       "so later publishes, pages, badges, links and "
			       "`token show`\ngive the same addresses without "
			       "it.\n\n"
			       "A mission that another database published "
			       "into DIR is refused; --take-over\npublishes "
			       "it from this one, replacing the other's files "
			       "of it.\n",
			       usage);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (!opts.dir)
		return cmd_usage_error(usage, "give the output directory "
				       "(--out DIR)");
	if (opts.base_url && fs_url_check_base(opts.base_url))
		return cmd_usage_error(usage, "--base-url: %s", fs_errdetail());
	if (optind >= argc)
		return cmd_usage_error(usage, "give at least one mission code");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	if (isatty(STDERR_FILENO))
		opts.progress = show_progress;
	err = fs_publish(store, (const char *const *)argv + optind,
			 (size_t)(argc - optind), &opts, &stats);
	progress_clear();
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	print_published(&stats, opts.dir);
	return EXIT_OK;
}

/* --- token -------------------------------------------------------------- */

struct token_job {
	fs_store *store;
	const char *ref;
};

/* One line per registration: ref, mission, the feed's path under the
 * publish directory and, when the mission's base URL is known, its
 * address (JSON adds the webcal:// address and the personal page's). */
static void
print_token(void *ctx, const char *mission, const char *token)
{
	struct token_job *job = ctx;
	fs_publication pub = FS_PUBLICATION_INIT;
	char feed[256], page[256];
	char *url = NULL, *webcal = NULL, *page_url = NULL;

	fs_path_personal(feed, sizeof(feed), mission, token, "ics");
	fs_path_personal(page, sizeof(page), mission, token, "html");
	if (!fs_publication_get(job->store, mission, &pub) && *pub.base_url) {
		url = fs_url_join(pub.base_url, feed);
		webcal = url ? fs_url_webcal(url) : NULL;
		page_url = fs_url_join(pub.base_url, page);
	}
	if (global.json) {
		printf("{\"ref\": ");
		fs_json_string(stdout, job->ref);
		printf(", \"mission\": ");
		fs_json_string(stdout, mission);
		printf(", \"path\": ");
		fs_json_string(stdout, feed);
		const char *keys[] = { "url", "webcal", "page" };
		const char *values[] = { url, webcal, page_url };
		for (int i = 0; i < 3; i++) {
			printf(", \"%s\": ", keys[i]);
			if (values[i])
				fs_json_string(stdout, values[i]);
			else
				fputs("null", stdout);
		}
		puts("}");
	} else {
		printf("%s\t%s\t%s", job->ref, mission, feed);
		if (url)
			printf("\t%s", url);
		putchar('\n');
	}
	if (!url && !global.json)
		fprintf(stderr, "fieldschool: note: no base URL is known for "
			"'%s': publish it with --base-url URL to get the "
			"feed's address\n", mission);
	free(url);
	free(webcal);
	free(page_url);
	fs_publication_release(&pub);
}

static int
token_args(int argc, char **argv, const char *usage, const char *help,
	   const char **mission, const char **ref)
{
	static const struct option options[] = {
		{ "mission", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hm:", options, NULL)) != -1) {
		if (c == 'm') {
			*mission = optarg;
		} else if (c == 'h') {
			printf("usage: %s\n\n%s\n", usage, help);
			return EXIT_OK;
		} else {
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(usage, "give one participant ref");
	*ref = argv[optind];
	return -1;
}

static int
token_rotate(int argc, char **argv)
{
	const char *mission = NULL, *ref = NULL;
	fs_store *store = NULL;
	struct token_job job;
	int status = token_args(
		argc, argv, "fieldschool token rotate REF [--mission M]",
		"Gives the participant's registrations (or the one for mission "
		"M) a new\nfeed address and prints it.  The old address stops "
		"working: its file is\nremoved at the next publish.",
		&mission, &ref);
	if (status >= 0)
		return status;
	if ((status = cmd_open_store(&store, 0)))
		return status;
	job = (struct token_job){ store, ref };
	fs_err err = fs_token_rotate(store, ref, mission, print_token, &job);
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

static int
token_show(int argc, char **argv)
{
	const char *mission = NULL, *ref = NULL;
	fs_store *store = NULL;
	char token[33], only[65];
	fs_err err;
	int status = token_args(
		argc, argv, "fieldschool token show REF [--mission M]",
		"Prints the participant's personal feed for mission M: its path "
		"under the\ndirectory given to publish and, once the mission "
		"has been published with\n--base-url, its address (a token is "
		"issued if it has none yet).  With\n--json, also the webcal:// "
		"address and the personal page's.  --mission may be\nleft out "
		"when the person has one registration that is not cancelled.",
		&mission, &ref);
	if (status >= 0)
		return status;
	if ((status = cmd_open_store(&store, 0)))
		return status;
	if (!mission && !(err = fs_token_mission(store, ref, only)))
		mission = only;
	if (mission)
		err = fs_token_get(store, ref, mission, token);
	if (!err) {
		struct token_job job = { store, ref };
		print_token(&job, mission, token);
	}
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

int
cmd_token(int argc, char **argv)
{
	static const struct cmd commands[] = {
		{ "show", token_show, "print a participant's feed address" },
		{ "rotate", token_rotate,
		  "give a participant a new feed address, revoking the old" },
		{ NULL, NULL, NULL },
	};
	return cmd_dispatch(commands, "fieldschool token", argc, argv);
}
