/* cmd_directory.c - fieldschool category|module|place|facilitator */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/directory.h"
#include "fieldschool/json.h"

/* What a list command prints: a JSON array, or a table whose cells the
 * printers add. */
struct listing {
	struct table table;
	size_t printed;
};

/* Runs fn over a freshly opened store: the body of every list command.
 * The JSON array opens with its first element, so that a failure prints
 * nothing on standard output. */
static int
with_store(fs_err (*fn)(fs_store *store, void *ctx), void *ctx,
	   size_t n_columns, const char *const *headers)
{
	struct listing *l = ctx;
	fs_store *store = NULL;
	int status;
	fs_err err;

	table_init(&l->table, n_columns, headers);
	l->printed = 0;
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fn(store, ctx);
	if (global.json && !err)
		printf("%s]\n", l->printed ? "\n" : "[");
	else if (!err)
		table_print(&l->table, stdout);
	table_release(&l->table);
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

static void
json_sep(struct listing *l)
{
	printf("%s\n  ", l->printed++ ? "," : "[");
}

/* Numbers as table cells. */
static const char *
int_cell(char buf[32], long v)
{
	snprintf(buf, 32, "%ld", v);
	return buf;
}

static const char *
degrees_cell(char buf[32], double v)
{
	snprintf(buf, 32, "%.6g", v);
	return buf;
}

/* Parses --name VALUE style options into values[] (NULL when absent);
 * returns -1 on success, else an exit status. */
static int
simple_options(int argc, char **argv, const char *usage, const char *help,
	       const char *const *names, const char **values, int n_names,
	       int *first)
{
	struct option options[8];
	int c;

	for (int i = 0; i < n_names; i++) {
		options[i] = (struct option){ names[i], required_argument, NULL,
					      100 + i };
		values[i] = NULL;
	}
	options[n_names] = (struct option){ "help", no_argument, NULL, 'h' };
	options[n_names + 1] = (struct option){ NULL, 0, NULL, 0 };
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		if (c == 'h') {
			printf("usage: %s\n\n%s\n", usage, help);
			return EXIT_OK;
		}
		if (c < 100)
			return cmd_usage_error(usage, "%s: unknown option or "
					       "missing value",
					       argv[optind - 1]);
		values[c - 100] = optarg;
	}
	*first = optind;
	return -1;
}

/* --- categories --------------------------------------------------------- */

static fs_err
print_category(void *ctx, const fs_category *c)
{
	struct listing *l = ctx;
	char number[32], count[32];

	if (global.json) {
		json_sep(l);
		printf("{\"number\": %d, \"code\": ", c->number);
		fs_json_string(stdout, c->code);
		printf(", \"name\": ");
		fs_json_string(stdout, c->name);
		printf(", \"description\": ");
		fs_json_string(stdout, c->description);
		printf(", \"participants\": %ld}", c->participants);
		return FS_OK;
	}
	const char *cells[] = { int_cell(number, c->number),
				c->code,
				int_cell(count, c->participants),
				c->name };
	return table_add(&l->table, cells);
}

static fs_err
list_categories(fs_store *store, void *ctx)
{
	return fs_category_each(store, print_category, ctx);
}

static int
category_list(int argc, char **argv)
{
	static const char *const headers[] = { "number", "code",
					       "participants", "name" };
	struct listing l;

	if (argc > 1 && is_help(argv[1])) {
		printf("usage: fieldschool category list [--json]\n\nNumber, "
		       "code, participants and name of each category.\n");
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc > 1)
		return cmd_usage_error("fieldschool category list [--json]",
				       "too many arguments");
	return with_store(list_categories, &l, 4, headers);
}

static int
category_add(int argc, char **argv)
{
	static const char *const names[] = { "name", "description" };
	const char *usage = "fieldschool category add CODE --name NAME "
			    "[--description TEXT]";
	const char *values[2];
	fs_store *store = NULL;
	int first = 0, status, number;
	fs_err err;

	if ((status = simple_options(argc, argv, usage,
				     "Adds a participant category; it gets the "
				     "next free number.", names, values, 2,
				     &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one category code");
	if (!values[0])
		return cmd_usage_error(usage, "--name is required");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_category_add(store, argv[first], values[0], values[1], &number);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	printf("%d %s\n", number, argv[first]);
	return EXIT_OK;
}

static const struct cmd category_commands[] = {
	{ "list", category_list, "list participant categories" },
	{ "add", category_add, "add a category" },
	{ NULL, NULL, NULL },
};

int
cmd_category(int argc, char **argv)
{
	return cmd_dispatch(category_commands, "fieldschool category", argc,
			    argv);
}

/* --- curriculum modules --------------------------------------------------- */

struct module_listing {
	struct listing l; /* first: with_store sees a listing */
	const char *curriculum;
};

static fs_err
print_module(void *ctx, const fs_module *m)
{
	struct listing *l = ctx;
	char number[32];

	if (global.json) {
		json_sep(l);
		printf("{\"curriculum\": ");
		fs_json_string(stdout, m->curriculum);
		printf(", \"number\": %d, \"code\": ", m->number);
		fs_json_string(stdout, m->code);
		printf(", \"title\": ");
		fs_json_string(stdout, m->title);
		printf(", \"topics\": ");
		fs_json_string(stdout, m->topics);
		printf("}");
		return FS_OK;
	}
	const char *cells[] = { m->curriculum,
				int_cell(number, m->number),
				m->code, m->title };
	return table_add(&l->table, cells);
}

static fs_err
list_modules(fs_store *store, void *ctx)
{
	struct module_listing *m = ctx;
	return fs_module_each(store, m->curriculum, print_module, ctx);
}

static int
module_list(int argc, char **argv)
{
	static const char *const headers[] = { "curriculum", "number", "code",
					       "title" };
	const char *usage = "fieldschool module list [seminar|e-course] [--json]";
	struct module_listing m;

	if (argc > 1 && is_help(argv[1])) {
		printf("usage: %s\n\nThe curriculum templates: the seminar's "
		       "four modules (agenda files may\nname them 1-4) and the "
		       "six-module e-course.\n", usage);
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc > 2)
		return cmd_usage_error(usage, "too many arguments");
	m.curriculum = argc > 1 ? argv[1] : NULL;
	return with_store(list_modules, &m, 4, headers);
}

static const struct cmd module_commands[] = {
	{ "list", module_list, "list curriculum modules" },
	{ NULL, NULL, NULL },
};

int
cmd_module(int argc, char **argv)
{
	return cmd_dispatch(module_commands, "fieldschool module", argc, argv);
}

/* --- places ------------------------------------------------------------- */

static fs_err
print_place(void *ctx, const fs_place *p)
{
	struct listing *l = ctx;
	char lat[32] = "", lon[32] = "", items[32];

	if (global.json) {
		json_sep(l);
		printf("{\"name\": ");
		fs_json_string(stdout, p->name);
		printf(", \"address\": ");
		fs_json_string(stdout, p->address);
		if (p->has_geo)
			printf(", \"lat\": %.15g, \"lon\": %.15g", p->lat,
			       p->lon);
		else
			printf(", \"lat\": null, \"lon\": null");
		printf(", \"items\": %ld}", p->items);
		return FS_OK;
	}
	if (p->has_geo) {
		degrees_cell(lat, p->lat);
		degrees_cell(lon, p->lon);
	}
	const char *cells[] = { p->name, lat, lon,
				int_cell(items, p->items),
				p->address };
	return table_add(&l->table, cells);
}

static fs_err
list_places(fs_store *store, void *ctx)
{
	return fs_place_each(store, print_place, ctx);
}

static int
place_list(int argc, char **argv)
{
	static const char *const headers[] = { "name", "lat", "lon", "items",
					       "address" };
	struct listing l;

	if (argc > 1 && is_help(argv[1])) {
		printf("usage: fieldschool place list [--json]\n\nName, "
		       "position, agenda items held there (not counting "
		       "removed ones)\nand address of each place.\n");
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc > 1)
		return cmd_usage_error("fieldschool place list [--json]",
				       "too many arguments");
	return with_store(list_places, &l, 5, headers);
}

static int
place_add(int argc, char **argv)
{
	static const char *const names[] = { "address", "lat", "lon" };
	const char *usage = "fieldschool place add NAME [--address A] "
			    "[--lat DEG --lon DEG]";
	const char *values[3];
	fs_store *store = NULL;
	int first = 0, status;
	fs_err err;

	if ((status = simple_options(argc, argv, usage,
				     "Adds a place, or updates the address and "
				     "coordinates (WGS84 decimal degrees)\nof "
				     "the place with this name.", names, values,
				     3, &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one place name");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_place_put(store, argv[first], values[0], values[1], values[2]);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	printf("%s\n", argv[first]);
	return EXIT_OK;
}

static int
place_edit(int argc, char **argv)
{
	static const char *const names[] = { "name", "address", "lat", "lon" };
	const char *usage = "fieldschool place edit NAME [--name NEW] "
			    "[--address A] [--lat DEG --lon DEG]";
	const char *values[4];
	fs_store *store = NULL;
	int first = 0, status;
	bool changed;
	fs_err err;

	if ((status = simple_options(
		     argc, argv, usage,
		     "Changes a place: its name (agenda items keep it), "
		     "address or position (WGS84\ndecimal degrees; an empty "
		     "value clears).  Items held there whose location\n"
		     "changes get a new SEQUENCE, so that calendars update "
		     "them.", names, values, 4, &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one place name");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_place_edit(store, argv[first], values[0], values[1],
			    values[2], values[3], &changed);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	printf("%s: %s\n", values[0] ? values[0] : argv[first],
	       changed ? "changed" : "unchanged");
	return EXIT_OK;
}

/* place remove and facilitator remove: [--force] NAME. */
struct remover {
	const char *usage, *help;
	fs_err (*remove)(fs_store *store, const char *name, bool force,
			 long *items);
};

static int
remove_named(int argc, char **argv, const struct remover *r)
{
	static const struct option options[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	fs_store *store = NULL;
	bool force = false;
	long items;
	int c, status;
	fs_err err;

	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "hf", options, NULL)) != -1) {
		if (c == 'f') {
			force = true;
		} else if (c == 'h') {
			printf("usage: %s\n\n%s\n", r->usage, r->help);
			return EXIT_OK;
		} else {
			return cmd_usage_error(r->usage, "%s: unknown option",
					       argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cmd_usage_error(r->usage, "give one name");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = r->remove(store, argv[optind], force, &items);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	if (items)
		printf("%s: removed, from %ld agenda item%s\n", argv[optind],
		       items, items == 1 ? "" : "s");
	else
		printf("%s: removed\n", argv[optind]);
	return EXIT_OK;
}

static int
place_remove(int argc, char **argv)
{
	static const struct remover r = {
		"fieldschool place remove [--force] NAME",
		"Removes a place.  One that agenda items are held at (removed "
		"items too, as\nfeeds keep them) needs --force, which leaves "
		"those items without a place.",
		fs_place_remove,
	};
	return remove_named(argc, argv, &r);
}

static const struct cmd place_commands[] = {
	{ "add", place_add, "add or update a place" },
	{ "list", place_list, "list places" },
	{ "edit", place_edit, "rename a place, change its address or position" },
	{ "remove", place_remove, "remove a place" },
	{ NULL, NULL, NULL },
};

int
cmd_place(int argc, char **argv)
{
	return cmd_dispatch(place_commands, "fieldschool place", argc, argv);
}

/* --- facilitators --------------------------------------------------------- */

static fs_err
print_facilitator(void *ctx, const fs_facilitator *f)
{
	struct listing *l = ctx;
	char items[32];

	if (global.json) {
		json_sep(l);
		printf("{\"name\": ");
		fs_json_string(stdout, f->name);
		printf(", \"email\": ");
		fs_json_string(stdout, f->email);
		printf(", \"organization\": ");
		fs_json_string(stdout, f->organization);
		printf(", \"items\": %ld}", f->items);
		return FS_OK;
	}
	const char *cells[] = { f->name, f->email,
				int_cell(items, f->items),
				f->organization };
	return table_add(&l->table, cells);
}

static fs_err
list_facilitators(fs_store *store, void *ctx)
{
	return fs_facilitator_each(store, print_facilitator, ctx);
}

static int
facilitator_list(int argc, char **argv)
{
	static const char *const headers[] = { "name", "email", "items",
					       "organization" };
	struct listing l;

	if (argc > 1 && is_help(argv[1])) {
		printf("usage: fieldschool facilitator list [--json]\n\nName, "
		       "email, agenda items they lead (not counting removed "
		       "ones)\nand organization of each facilitator.\n");
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	if (argc > 1)
		return cmd_usage_error("fieldschool facilitator list [--json]",
				       "too many arguments");
	return with_store(list_facilitators, &l, 4, headers);
}

static int
facilitator_add(int argc, char **argv)
{
	static const char *const names[] = { "email", "organization" };
	const char *usage = "fieldschool facilitator add NAME [--email E] "
			    "[--organization O]";
	const char *values[2];
	fs_store *store = NULL;
	int first = 0, status;
	fs_err err;

	if ((status = simple_options(argc, argv, usage,
				     "Adds a facilitator, or updates the one "
				     "with this name.", names, values, 2,
				     &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one facilitator name");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_facilitator_put(store, argv[first], values[0], values[1]);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	printf("%s\n", argv[first]);
	return EXIT_OK;
}

static int
facilitator_edit(int argc, char **argv)
{
	static const char *const names[] = { "name", "email", "organization" };
	const char *usage = "fieldschool facilitator edit NAME [--name NEW] "
			    "[--email E] [--organization O]";
	const char *values[3];
	fs_store *store = NULL;
	int first = 0, status;
	bool changed;
	fs_err err;

	if ((status = simple_options(
		     argc, argv, usage,
		     "Changes a facilitator: their name (agenda items keep "
		     "them, and get a new\nSEQUENCE, as the name shows in "
		     "their description), email or organization\n(an empty "
		     "value clears).", names, values, 3, &first)) >= 0)
		return status;
	if (first != argc - 1)
		return cmd_usage_error(usage, "give one facilitator name");
	if ((status = cmd_open_store(&store, 0)))
		return status;
	err = fs_facilitator_edit(store, argv[first], values[0], values[1],
				  values[2], &changed);
	fs_store_close(store);
	if (err)
		return cmd_fail(err);
	printf("%s: %s\n", values[0] ? values[0] : argv[first],
	       changed ? "changed" : "unchanged");
	return EXIT_OK;
}

static int
facilitator_remove(int argc, char **argv)
{
	static const struct remover r = {
		"fieldschool facilitator remove [--force] NAME",
		"Removes a facilitator.  One that agenda items name (removed "
		"items too, as\nfeeds keep them) needs --force, which takes "
		"them off those items.",
		fs_facilitator_remove,
	};
	return remove_named(argc, argv, &r);
}

static const struct cmd facilitator_commands[] = {
	{ "add", facilitator_add, "add or update a facilitator" },
	{ "list", facilitator_list, "list facilitators" },
	{ "edit", facilitator_edit, "rename a facilitator, change their email" },
	{ "remove", facilitator_remove, "remove a facilitator" },
	{ NULL, NULL, NULL },
};

int
cmd_facilitator(int argc, char **argv)
{
	return cmd_dispatch(facilitator_commands, "fieldschool facilitator",
			    argc, argv);
}
