/* cmd_directory.c - fieldschool category|module|place|facilitator */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "fieldschool/directory.h"
#include "fieldschool/json.h"

/* Runs fn over a freshly opened store: the body of every list command. */
static int
with_store(fs_err (*fn)(fs_store *store, void *ctx), void *ctx)
{
	fs_store *store = NULL;
	int status;
	fs_err err;

	if ((status = cmd_open_store(&store, 0)))
		return status;
	if (global.json)
		printf("[");
	err = fn(store, ctx);
	if (global.json && !err)
		printf("]\n");
	fs_store_close(store);
	return err ? cmd_fail(err) : EXIT_OK;
}

static int n_printed;

static void
json_sep(void)
{
	printf("%s\n  ", n_printed++ ? "," : "");
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
	(void)ctx;
	if (global.json) {
		json_sep();
		printf("{\"number\": %d, \"code\": ", c->number);
		fs_json_string(stdout, c->code);
		printf(", \"name\": ");
		fs_json_string(stdout, c->name);
		printf(", \"description\": ");
		fs_json_string(stdout, c->description);
		printf(", \"participants\": %ld}", c->participants);
	} else {
		printf("%2d  %-22s %5ld  %s\n", c->number, c->code,
		       c->participants, term_text(c->name));
	}
	return FS_OK;
}

static fs_err
list_categories(fs_store *store, void *ctx)
{
	return fs_category_each(store, print_category, ctx);
}

static int
category_list(int argc, char **argv)
{
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: fieldschool category list [--json]\n\nNumber, "
		       "code, participants and name of each category.\n");
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	return with_store(list_categories, NULL);
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

static fs_err
print_module(void *ctx, const fs_module *m)
{
	(void)ctx;
	if (global.json) {
		json_sep();
		printf("{\"curriculum\": ");
		fs_json_string(stdout, m->curriculum);
		printf(", \"number\": %d, \"code\": ", m->number);
		fs_json_string(stdout, m->code);
		printf(", \"title\": ");
		fs_json_string(stdout, m->title);
		printf(", \"topics\": ");
		fs_json_string(stdout, m->topics);
		printf("}");
	} else {
		printf("%-9s %d  %-12s %s\n", m->curriculum, m->number, m->code,
		       term_text(m->title));
	}
	return FS_OK;
}

static fs_err
list_modules(fs_store *store, void *ctx)
{
	return fs_module_each(store, ctx, print_module, NULL);
}

static int
module_list(int argc, char **argv)
{
	const char *usage = "fieldschool module list [seminar|e-course] [--json]";
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
	return with_store(list_modules, argc > 1 ? argv[1] : NULL);
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
	(void)ctx;
	if (global.json) {
		json_sep();
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
	} else {
		printf("%s\n    %s", term_text(p->name),
		       *p->address ? term_text(p->address) : "-");
		if (p->has_geo)
			printf("  (%.6g, %.6g)", p->lat, p->lon);
		printf("  %ld item%s\n", p->items, p->items == 1 ? "" : "s");
	}
	return FS_OK;
}

static fs_err
list_places(fs_store *store, void *ctx)
{
	return fs_place_each(store, print_place, ctx);
}

static int
place_list(int argc, char **argv)
{
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: fieldschool place list [--json]\n");
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	return with_store(list_places, NULL);
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

static const struct cmd place_commands[] = {
	{ "add", place_add, "add or update a place" },
	{ "list", place_list, "list places" },
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
	(void)ctx;
	if (global.json) {
		json_sep();
		printf("{\"name\": ");
		fs_json_string(stdout, f->name);
		printf(", \"email\": ");
		fs_json_string(stdout, f->email);
		printf(", \"organization\": ");
		fs_json_string(stdout, f->organization);
		printf(", \"items\": %ld}", f->items);
	} else {
		printf("%-36s %-30s %3ld  %s\n", term_text(f->name),
		       term_text(f->email), f->items,
		       term_text(f->organization));
	}
	return FS_OK;
}

static fs_err
list_facilitators(fs_store *store, void *ctx)
{
	return fs_facilitator_each(store, print_facilitator, ctx);
}

static int
facilitator_list(int argc, char **argv)
{
	if (argc > 1 && is_help(argv[1])) {
		printf("usage: fieldschool facilitator list [--json]\n");
		return EXIT_OK;
	}
	if (reject_options(argc, argv, NULL))
		return EXIT_USAGE;
	return with_store(list_facilitators, NULL);
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

static const struct cmd facilitator_commands[] = {
	{ "add", facilitator_add, "add or update a facilitator" },
	{ "list", facilitator_list, "list facilitators" },
	{ NULL, NULL, NULL },
};

int
cmd_facilitator(int argc, char **argv)
{
	return cmd_dispatch(facilitator_commands, "fieldschool facilitator",
			    argc, argv);
}
