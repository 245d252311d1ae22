/*
 * cmd.h - what the command files of the fieldschool program share.
 *
 * Each top-level command is one handler, int cmd_x(int argc, char **argv),
 * argv[0] being the command's own name; groups (mission add|list...) use
 * cmd_dispatch() one level down.  Handlers parse arguments, call lib/ and
 * print; they return one of the exit statuses below.
 */
#ifndef FS_CMD_H
#define FS_CMD_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "fieldschool/error.h"
#include "fieldschool/record.h"
#include "fieldschool/store.h"

enum exit_status {
	EXIT_OK = 0,
	EXIT_CHECK = 1,  /* `check` found errors */
	EXIT_USAGE = 2,  /* bad command line */
	EXIT_INPUT = 3,  /* input rejected: bad CSV, bad date, unknown code */
	EXIT_SYSTEM = 4, /* a file not openable or writable, database, memory */
};

struct cmd {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
};

/* Options every command takes, anywhere on the line. */
struct global_options {
	const char *db;   /* --db, else $FIELDSCHOOL_DB, else fieldschool.db */
	bool db_given;    /* --db was on the command line */
	bool json;        /* --json */
	const char *argv0; /* the program as it was invoked */
};
extern struct global_options global;

/* Runs the command of table named by argv[1]; prints the table for --help
 * or no command.  usage is the group's usage line ("fieldschool mission"). */
int cmd_dispatch(const struct cmd *table, const char *usage, int argc,
		 char **argv);

/* Prints "fieldschool: <detail>" for err and returns its exit status. */
int cmd_fail(fs_err err);
/* Prints "fieldschool: <message>" and returns EXIT_USAGE. */
/* Parses the value of --option as a whole number from min to max (unit,
 * "" or " of minutes", goes into the message); EXIT_USAGE when it is not. */
int cmd_whole_number(const char *usage, const char *option, const char *text,
		     long min, long max, const char *unit, long *out);
int cmd_usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int exit_status_of(fs_err err);

/*
 * Shell completion (complete.c): `fieldschool __complete [WORD...]` prints
 * the commands of a group, or the options of a command, one a line ("--out="
 * for an option that takes a value).  It runs the command as if with --help;
 * the option table is read where the command parses its options: every
 * getopt_long() of cmd/ goes through cmd_getopt_long(), which in that mode
 * prints the table and exits.  So the completion knows exactly the options
 * each command accepts, and no list can go stale.
 */
int cmd_complete(const struct cmd *commands, int argc, char **argv);
int cmd_getopt_long(int argc, char *const *argv, const char *shortopts,
		    const struct option *longopts, int *longind);
#define getopt_long cmd_getopt_long
/* In completion mode: prints the names of table (a group's commands) and
 * exits; otherwise returns. */
void cmd_complete_table(const struct cmd *table);
/* In completion mode: a command that takes no option but --help; exits. */
void cmd_complete_no_options(void);

/*
 * Text from the database or a file, safe to print (term.c): control
 * characters as visible escapes (\x1b, \u009b), invalid UTF-8 as U+FFFD;
 * term_text() makes one line (tabs and line breaks become spaces),
 * term_lines() keeps line breaks.  The result lives until 8 more calls.
 */
const char *term_text(const char *s);
const char *term_lines(const char *s);

/* Opens the database named by --db (creating it only for init and demo). */
int cmd_open_store(fs_store **out, unsigned flags);

/* Prints problems as "file:line: column: reason" (or "--option: reason"
 * when they have no line), then the detail; returns the exit status. */
int cmd_report(fs_err err, const fs_problems *problems, const char *file);

/* EXIT_USAGE (with a message) when an argument after argv[0] looks like an
 * option: for commands that take none but --help. */
int reject_options(int argc, char **argv, const char *usage);

/* Is this a --help / -h argument? */
bool is_help(const char *arg);

/*
 * The record commands shared by mission, participant and agenda (records.c).
 * A record's options are its format's columns: --given-name for given_name.
 */

/* Parses --column VALUE options into values (NULL where not given) and
 * leaves the positional arguments in argv[*first .. argc).  Returns -1 when
 * parsing went well, else the exit status (after --help, EXIT_OK). */
int record_options(const fs_format *format, int argc, char **argv,
		   const char *usage, const char **values, int *first);
/* Adds or updates one record from values and prints its key. */
int record_put(const fs_format *format, const char **values, fs_put_mode mode);
int record_import(const fs_format *format, int argc, char **argv);
/* `X export [MISSION] [-o FILE]`; the mission is required when asked. */
int record_export(const fs_format *format, int argc, char **argv,
		  bool needs_mission);
/* Prints records as a table of the given columns (or JSON with --json). */
int record_list(const fs_format *format, const char *mission,
		const int *columns, size_t n_columns);
/* Prints the values of columns from .. to-1 as JSON members ("a": 1, ...). */
void record_json_fields(const fs_format *format, const char *const *values,
			size_t from, size_t to);
/* Prints one record, a line per column (or a JSON object). */
int record_show(const fs_format *format, const char *mission, const char *key);
/* The same for a record made of parts (a participant and their
 * registrations): the columns from shared on are a part's, one per row,
 * shown once each (as a JSON array named parts). */
int record_show_parts(const fs_format *format, const char *mission,
		      const char *key, size_t shared, const char *parts);

/*
 * Text for a terminal (table.c): widths in display columns, one line per
 * cell.  A table copies its cells; headers are borrowed.
 */
struct table {
	size_t n_columns;
	const char *const *headers;
	char **cells; /* rows x n_columns, each shown on one line */
	size_t rows, cap;
};
void table_init(struct table *t, size_t n_columns, const char *const *headers);
fs_err table_add(struct table *t, const char *const *cells);
void table_print(const struct table *t, FILE *out);
void table_release(struct table *t);
/* The columns a terminal gives s (UTF-8). */
size_t display_width(const char *s);
/* s on one line, as a table shows it: line breaks as U+21B5, tabs as
 * spaces, other control characters as visible escapes like term_text()'s
 * (\x1b, \u009b) and invalid bytes as U+FFFD (the caller frees; NULL
 * when out of memory). */
char *cell_text(const char *s);

/* A progress line on standard error (shown at a terminal only): each call
 * rewrites it; progress_clear() wipes it, before any message and at the
 * end. */
void progress_show(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void progress_clear(void);

/* The command handlers, one file each. */
int cmd_init(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_mission(int argc, char **argv);
int cmd_participant(int argc, char **argv);
int cmd_agenda(int argc, char **argv);
int cmd_category(int argc, char **argv);
int cmd_module(int argc, char **argv);
int cmd_place(int argc, char **argv);
int cmd_facilitator(int argc, char **argv);
int cmd_ics(int argc, char **argv);
int cmd_page(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_serve(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_plan(int argc, char **argv);

/* --speed (c 'S') and --buffer (c 'B') of check and plan visits. */
struct fs_travel_options;
int cmd_travel_options(const char *usage, int c, const char *arg,
		       struct fs_travel_options *travel);
int cmd_roster(int argc, char **argv);
int cmd_attend(int argc, char **argv);
int cmd_certificates(int argc, char **argv);
int cmd_badges(int argc, char **argv);
/* Keeps freed heap memory for reuse (mallopt) in the PDF commands. */
void cmd_keep_heap(void);
int cmd_links(int argc, char **argv);

#endif
