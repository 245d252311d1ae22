/*
 * schedule.c - check and plan missions held in the store.
 *
 * A thin layer: sched_load() (schedule_load.c) reads one mission into the
 * arrays of check.h, the rules and planners of check.c and plan.c do the
 * work, and plans are written back through the participant and agenda
 * records' put(), inside one transaction, so that a plan is saved whole or
 * not at all and every value goes through the same validation (and
 * SEQUENCE logic) as an import.  This file: check, the list of missions,
 * and group plans; schedule_visits.c: visit rotations.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fieldschool/participant.h"
#include "fieldschool/schedule.h"
#include "schedule_load.h"

static void
check_input(const struct loaded *m, const fs_travel_options *travel,
	    fs_check_input *in)
{
	memset(in, 0, sizeof(*in));
	in->mission = m->info.code;
	in->timezone = m->info.timezone;
	in->days = m->info.days;
	in->capacity = m->capacity;
	in->quotas = m->quotas;
	in->items = m->items;
	in->n_items = m->n_items;
	in->people = m->people;
	in->n_people = m->n_people;
	in->places = m->place_list;
	in->n_places = m->places.n;
	in->facilitators = m->facilitators.list;
	in->n_facilitators = m->facilitators.n;
	in->groups = m->groups.list;
	in->n_group_labels = m->groups.n;
	in->categories = m->categories.list;
	in->n_category_codes = m->categories.n;
	in->speed_kmh = travel ? travel->speed_kmh : 0;
	in->buffer_min = travel ? travel->buffer_min : -1;
}

fs_err
fs_schedule_check(fs_store *store, const char *mission,
		  const fs_travel_options *travel, fs_findings *out)
{
	struct loaded m;
	fs_check_input in;
	fs_err err;

	if (!(err = sched_load(store, mission, &m))) {
		check_input(&m, travel, &in);
		err = fs_check_run(out, &in);
	}
	sched_release(&m);
	return err;
}

fs_err
fs_schedule_missions(fs_store *store, char ***codes_out, size_t *n_out)
{
	sqlite3_stmt *stmt;
	char **codes = NULL;
	size_t n = 0, cap = 0;
	fs_err err = FS_OK;
	int rc;

	*codes_out = NULL;
	*n_out = 0;
	if ((err = store_stmt(store, Q_SCHED_MISSIONS, &stmt)))
		return err;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if ((err = sched_grow((void **)&codes, &cap, n + 1, sizeof(char *))))
			break;
		if (!(codes[n] = strdup(store_text(stmt, 0)))) {
			err = fs_fail(FS_ENOMEM, "out of memory");
			break;
		}
		n++;
	}
	sqlite3_reset(stmt);
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "listing missions");
	if (err) {
		for (size_t i = 0; i < n; i++)
			free(codes[i]);
		free(codes);
		return err;
	}
	*codes_out = codes;
	*n_out = n;
	return FS_OK;
}

/* ---- plan groups ---- */

/* A, B, ..., Z, AA, AB, ...: spreadsheet column names */
static void
group_label(size_t i, char out[17])
{
	char rev[16];
	size_t n = 0;
	i++;
	while (i > 0 && n < sizeof(rev)) {
		i--;
		rev[n++] = (char)('A' + i % 26);
		i /= 26;
	}
	for (size_t k = 0; k < n; k++)
		out[k] = rev[n - 1 - k];
	out[n] = '\0';
}

void
fs_group_plan_release(fs_group_plan *plan)
{
	for (size_t i = 0; i < plan->n_moves; i++)
		free(plan->moves[i].ref);
	free(plan->moves);
	free(plan->labels);
	free(plan->sizes);
	memset(plan, 0, sizeof(*plan));
}

static fs_err
save_group(fs_store *store, const char *mission, const fs_group_move *move)
{
	const char *v[FS_PART__COUNT] = { NULL };
	fs_problems problems = FS_PROBLEMS_INIT;
	fs_put_outcome outcome;
	fs_err err;

	v[FS_PART_REF] = move->ref;
	v[FS_PART_MISSION] = mission;
	v[FS_PART_GROUP] = move->to;
	err = fs_participants_format.put(store, v, FS_PUT_UPDATE, 0, &problems,
					 &outcome, NULL);
	if (err == FS_EINPUT && problems.n)
		err = fs_fail(FS_EINPUT, "%s: %s", move->ref,
			      problems.items[0].reason);
	fs_problems_release(&problems);
	return err;
}

/* How many groups: as asked, by the largest size asked, as many as the
 * confirmed participants (index[0..n-1] in m.people) are in now, or by
 * the default size. */
static fs_err
count_groups(const fs_group_options *options, const struct loaded *m,
	     const size_t *index, size_t n, int *n_groups_out)
{
	int n_groups = 0;

	if (options->n_groups > 0) {
		n_groups = options->n_groups;
	} else if (options->max_size > 0) {
		n_groups = (int)((n + (size_t)options->max_size - 1) /
				 (size_t)options->max_size);
	} else {
		bool *used = calloc(m->groups.n + 1, sizeof(bool));
		if (!used)
			return fs_fail(FS_ENOMEM, "out of memory");
		for (size_t k = 0; k < n; k++)
			if (m->people[index[k]].group >= 0 &&
			    !used[m->people[index[k]].group]) {
				used[m->people[index[k]].group] = true;
				n_groups++;
			}
		free(used);
		if (!n_groups)
			n_groups = (int)((n + FS_GROUP_DEFAULT_SIZE - 1) /
					 FS_GROUP_DEFAULT_SIZE);
	}
	if ((size_t)n_groups > n)
		return fs_fail(FS_EINPUT, "%d group%s for %zu confirmed "
			       "participant%s: give at most %zu", n_groups,
			       fs_plural(n_groups), n, n == 1 ? "" : "s", n);
	*n_groups_out = n_groups;
	return FS_OK;
}

/* The people as the planner sees them, each in the group of the plan that
 * has their current label (current groups named A, B... stay; any other
 * label is moved). */
static fs_err
planner_people(const struct loaded *m, const size_t *index, size_t n,
	       char (*labels)[17], int n_groups, fs_plan_person *who)
{
	int *target = malloc((m->groups.n + 1) * sizeof(int));

	if (!target)
		return fs_fail(FS_ENOMEM, "out of memory");
	for (size_t i = 0; i < m->groups.n; i++) {
		target[i] = -1;
		for (int g = 0; g < n_groups && target[i] < 0; g++)
			if (!strcmp(labels[g], m->groups.list[i]))
				target[i] = g;
	}
	for (size_t k = 0; k < n; k++) {
		const fs_check_person *p = &m->people[index[k]];
		who[k] = m->attrs[index[k]];
		who[k].group = p->group >= 0 ? target[p->group] : -1;
	}
	free(target);
	return FS_OK;
}

/* The groups' sizes and who moves from one label to another. */
static fs_err
list_moves(const struct loaded *m, const size_t *index, const int *planned,
	   fs_group_plan *out)
{
	size_t moves_cap = 0;
	fs_err err;

	for (size_t k = 0; k < out->n_people; k++) {
		const fs_check_person *p = &m->people[index[k]];
		const char *now = p->group >= 0 ? m->groups.list[p->group] : "";
		fs_group_move *move;
		out->sizes[planned[k]]++;
		if (!strcmp(now, out->labels[planned[k]])) {
			out->n_kept++;
			continue;
		}
		if ((err = sched_grow((void **)&out->moves, &moves_cap,
				      out->n_moves + 1, sizeof(*move))))
			return err;
		move = &out->moves[out->n_moves];
		if (!(move->ref = strdup(p->ref)))
			return fs_fail(FS_ENOMEM, "out of memory");
		snprintf(move->from, sizeof(move->from), "%s", now);
		snprintf(move->to, sizeof(move->to), "%s",
			 out->labels[planned[k]]);
		out->n_moves++;
	}
	return FS_OK;
}

static fs_err
plan_groups(fs_store *store, const char *mission,
	    const fs_group_options *options, fs_group_plan *out)
{
	struct loaded m;
	fs_plan_person *who = NULL;
	size_t *index = NULL, n = 0;
	int *planned = NULL, n_groups = 0;
	char (*labels)[17] = NULL;
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((err = sched_load(store, mission, &m)))
		goto done;
	who = malloc((m.n_people + 1) * sizeof(*who));
	index = malloc((m.n_people + 1) * sizeof(size_t));
	planned = malloc((m.n_people + 1) * sizeof(int));
	if (!who || !index || !planned) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (size_t i = 0; i < m.n_people; i++)
		if (m.people[i].is_confirmed)
			index[n++] = i;
	if (!n) {
		err = fs_fail(FS_EINPUT, "no confirmed participants in %s: "
			      "confirm registrations first (participant edit "
			      "REF --mission %s --status confirmed)",
			      m.info.code, m.info.code);
		goto done;
	}
	if ((err = count_groups(options, &m, index, n, &n_groups)))
		goto done;
	if (!(labels = malloc((size_t)n_groups * sizeof(*labels))) ||
	    !(out->sizes = calloc((size_t)n_groups, sizeof(long)))) {
		err = fs_fail(FS_ENOMEM, "out of memory");
		goto done;
	}
	for (int g = 0; g < n_groups; g++)
		group_label((size_t)g, labels[g]);
	if ((err = planner_people(&m, index, n, labels, n_groups, who)) ||
	    (err = fs_plan_groups(planned, who, n, n_groups,
				  (int)m.categories.n)))
		goto done;
	out->n_groups = n_groups;
	out->n_people = n;
	out->labels = labels;
	labels = NULL;
	if ((err = list_moves(&m, index, planned, out)))
		goto done;
	for (size_t i = 0; i < out->n_moves && !err && !options->dry_run; i++)
		err = save_group(store, m.info.code, &out->moves[i]);
done:
	if (err)
		fs_group_plan_release(out);
	sched_release(&m);
	free(who);
	free(index);
	free(planned);
	free(labels);
	return err;
}

/* A plan reads and writes in one write transaction, so that nothing can
 * change between what it read and what it saves, and a failure or a dry
 * run leaves the database as it was (a dry run writes, to count exactly
 * what would change, then rolls back). */
fs_err
fs_schedule_plan_groups(fs_store *store, const char *mission,
			const fs_group_options *options, fs_group_plan *out)
{
	fs_err err;

	memset(out, 0, sizeof(*out));
	if ((err = fs_store_begin(store)))
		return err;
	err = plan_groups(store, mission, options, out);
	if (err || options->dry_run) {
		fs_store_rollback(store);
	} else if ((err = fs_store_commit(store))) {
		fs_group_plan_release(out);
	}
	return err;
}
