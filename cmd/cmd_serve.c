/*
 * cmd_serve.c - fieldschool serve: the publish directory over HTTP until
 * SIGINT, SIGTERM or SIGHUP.
 */
#include <getopt.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include <unistd.h>

#include "cmd.h"
#include "fieldschool/serve.h"

/* Requests in flight get this long to finish once a stop is asked. */
#define GRACE_SECONDS 10

/* Called from the server's one logging thread (fieldschool/serve.h): if
 * standard output stalls, that thread waits, not the requests. */
static atomic_bool in_stdout; /* the logging thread is writing stdout */

static void
print_line(void *ctx, const char *line)
{
	(void)ctx;
	atomic_store(&in_stdout, true);
	puts(line);
	atomic_store(&in_stdout, false);
}

static void
flush_log(void *ctx)
{
	(void)ctx;
	atomic_store(&in_stdout, true);
	fflush(stdout);
	atomic_store(&in_stdout, false);
}

/* Lets the connection cap use every descriptor the system allows. */
static void
raise_file_limit(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* --help */
static void
serve_help(const char *usage)
{
	printf("usage: %s\n\n"
	       "Serves over HTTP what `publish` wrote into DIR "
	       "(feeds, pages, schedules),\nand nothing else: "
	       "only the files DIR/.fieldschool-manifest lists, "
	       "never\nindex.json.  A publish meanwhile is "
	       "picked up without a restart.\n\n"
	       "  --listen ADDR:PORT     where to listen "
	       "(default 127.0.0.1:8080; [::1]:8080\n"
	       "                         for IPv6; port 0 picks "
	       "a free one)\n"
	       "  --max-connections N    at once, in all "
	       "(default 1000)\n"
	       "  --max-per-ip N         at once from one "
	       "address (default 100; 0: no limit,\n"
	       "                         for use behind a "
	       "reverse proxy)\n"
	       "  --timeout SECONDS      for idle or slow "
	       "clients (default 30)\n\n"
	       "Prints an access log line per request on "
	       "standard output (Common Log\nFormat, personal "
	       "tokens redacted).  SIGINT, SIGTERM or SIGHUP stops it "
	       "once the\nrequests in flight are answered.  It "
	       "speaks plain HTTP: put nginx or Caddy\nin front "
	       "for HTTPS (see the README).\n",
	       usage);
}

/* Serves until a signal says stop. */
static int
run_server(const char *dir, const fs_serve_options *opts, const char *usage)
{
	fs_server *server = NULL;
	sigset_t stop;
	int sig;
	fs_err err;

	raise_file_limit();
	/* blocked before any thread starts, so that only sigwait() below
	 * takes them; a client that hangs up must not kill us */
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGHUP); /* the terminal gone: stop as cleanly */
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	/* the log goes out a line at a time to a terminal; elsewhere in
	 * blocks, flushed every second by the logging thread: a write per
	 * request would cost more than the request */
	setvbuf(stdout, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, 1 << 16);
	if ((err = fs_serve_open(&server, dir)))
		return cmd_fail(err);
	if ((err = fs_serve_start(server, opts))) {
		fs_serve_close(server, 0);
		/* FS_EINPUT: --listen is no address */
		return err == FS_EINPUT ? cmd_usage_error(usage, "%s",
							  fs_errdetail())
					: cmd_fail(err);
	}
	fprintf(stderr, "fieldschool: serving %s at http://%s/\n", dir,
		fs_serve_address(server));
	if (fs_serve_max_connections(server) < opts->max_connections)
		fprintf(stderr, "fieldschool: note: at most %u connection%s at "
			"once: the limit of open files (ulimit -n) allows no "
			"more\n", fs_serve_max_connections(server),
			fs_serve_max_connections(server) == 1 ? "" : "s");
	while (sigwait(&stop, &sig) != 0)
		;
	fprintf(stderr, "fieldschool: %s: stopping\n", strsignal(sig));
	fs_serve_close(server, GRACE_SECONDS);
	if (atomic_load(&in_stdout)) {
		/* the logging thread is stuck writing stdout, holding its
		 * lock: exit() would flush it and wait as long */
		fprintf(stderr, "fieldschool: standard output is blocked (its "
			"reader stopped reading): the access log's last lines "
			"are lost\n");
		_exit(EXIT_OK);
	}
	return EXIT_OK;
}

int
cmd_serve(int argc, char **argv)
{
	static const struct option options[] = {
		{ "dir", required_argument, NULL, 'd' },
		{ "listen", required_argument, NULL, 'l' },
		{ "max-connections", required_argument, NULL, 'c' },
		{ "max-per-ip", required_argument, NULL, 'p' },
		{ "timeout", required_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *usage = "fieldschool serve --dir DIR [--listen ADDR:PORT] "
			    "[--max-connections N] [--max-per-ip N] "
			    "[--timeout SECONDS]";
	fs_serve_options opts = { .listen = "127.0.0.1:8080",
				  .max_connections = 1000,
				  .max_per_ip = 100,
				  .timeout = 30,
				  .log = print_line,
				  .log_flush = flush_log };
	const char *dir = NULL;
	long number;
	int c, status;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hd:l:", options, NULL)) != -1) {
		switch (c) {
		case 'd':
			dir = optarg;
			break;
		case 'l':
			opts.listen = optarg;
			break;
		case 'c':
			if ((status = cmd_whole_number(usage, "--max-connections",
						       optarg, 1, 100000, "",
						       &number)))
				return status;
			opts.max_connections = (unsigned)number;
			break;
		case 'p':
			if ((status = cmd_whole_number(usage, "--max-per-ip",
						       optarg, 0, 100000, "",
						       &number)))
				return status;
			opts.max_per_ip = (unsigned)number;
			break;
		case 't':
			if ((status = cmd_whole_number(usage, "--timeout",
						       optarg, 1, 3600,
						       " of seconds", &number)))
				return status;
			opts.timeout = (unsigned)number;
			break;
		case 'h':
			serve_help(usage);
			return EXIT_OK;
		default:
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		}
	}
	if (!dir)
		return cmd_usage_error(usage, "give the publish directory "
				       "(--dir DIR)");
	if (optind < argc)
		return cmd_usage_error(usage, "'%s': unexpected argument",
				       argv[optind]);
	return run_server(dir, &opts, usage);
}
