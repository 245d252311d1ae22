/*
 * publish_tokens.c - the unguessable tokens that name personal feeds and
 * pages: issued at a first publish, rotated on request, looked up by
 * `token show` and by serve.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "fieldschool/feed.h"
#include "publish.h"
#include "store.h"

/* A token: 16 random bytes in hex.  The bytes are asked of the kernel
 * 256 tokens at a time (a first publish issues 150,000), never reused. */
static fs_err
new_token(char token[33])
{
	static const char hex[] = "0123456789abcdef";
	static _Thread_local unsigned char pool[256 * 16];
	static _Thread_local size_t left;
	fs_err err;

	if (!left) {
		if ((err = store_random(pool, sizeof(pool))))
			return err;
		left = sizeof(pool);
	}
	const unsigned char *bytes = pool + sizeof(pool) - left;
	for (int i = 0; i < 16; i++) {
		token[2 * i] = hex[bytes[i] >> 4];
		token[2 * i + 1] = hex[bytes[i] & 15];
	}
	token[32] = '\0';
	/* used bytes are wiped: no token is left in memory for later */
	memset(pool + sizeof(pool) - left, 0, 16);
	left -= 16;
	return FS_OK;
}

static fs_err
set_token(fs_store *store, int64_t registration, char token[33])
{
	sqlite3_stmt *stmt;
	char now[21];
	fs_err err;

	store_now(now);
	if ((err = new_token(token)) ||
	    (err = store_stmt(store, Q_FEED_TOKEN_SET, &stmt)))
		return err;
	sqlite3_bind_int64(stmt, 1, registration);
	sqlite3_bind_text(stmt, 2, token, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	return store_done(store, stmt, "storing a feed token");
}

/* Gives every registration of the mission that has no token one. */
fs_err
publish_issue_tokens(fs_store *store, int64_t mission_id)
{
	sqlite3_stmt *stmt;
	int64_t *ids = NULL;
	size_t n = 0, cap = 0;
	fs_err err;
	int rc;

	if ((err = fs_store_begin(store)))
		return err;
	if ((err = store_stmt(store, Q_FEED_TOKENLESS, &stmt)))
		goto done;
	sqlite3_bind_int64(stmt, 1, mission_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		if (n == cap) {
			int64_t *grown = realloc(ids, (cap = cap ? 2 * cap : 256) *
							      sizeof(*ids));
			if (!grown) {
				err = fs_fail(FS_ENOMEM, "out of memory");
				break;
			}
			ids = grown;
		}
		ids[n++] = sqlite3_column_int64(stmt, 0);
	}
	if (!err && rc != SQLITE_DONE)
		err = store_fail(store, "reading registrations");
	sqlite3_reset(stmt);
	for (size_t i = 0; !err && i < n; i++) {
		char token[33];
		err = set_token(store, ids[i], token);
	}
done:
	free(ids);
	if (err) {
		fs_store_rollback(store);
		return err;
	}
	return fs_store_commit(store);
}

fs_err
fs_tokens_issue(fs_store *store, const char *mission)
{
	struct mission_info info;
	fs_err err = mission_lookup(store, mission, &info);
	return err ? err : publish_issue_tokens(store, info.id);
}

fs_err
fs_token_rotate(fs_store *store, const char *ref, const char *mission,
		void (*fn)(void *ctx, const char *mission, const char *token),
		void *ctx)
{
	sqlite3_stmt *stmt;
	struct { int64_t id; char code[65]; } regs[64];
	int n = 0, rc = SQLITE_DONE;
	fs_err err;

	if ((err = fs_store_begin(store)))
		return err;
	if ((err = store_stmt(store, Q_FEED_TOKEN_REGISTRATIONS, &stmt)))
		goto fail;
	sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, mission, -1, SQLITE_STATIC);
	while (n < 64 && (rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		regs[n].id = sqlite3_column_int64(stmt, 0);
		snprintf(regs[n].code, sizeof(regs[n].code), "%s",
			 store_text(stmt, 1));
		n++;
	}
	if (n == 64 && sqlite3_step(stmt) == SQLITE_ROW) {
		sqlite3_reset(stmt);
		err = fs_fail(FS_EINPUT, "participant '%s' has more than 64 "
			      "registrations: rotate one mission at a time "
			      "(--mission)", ref);
		goto fail;
	}
	(void)rc;
	sqlite3_reset(stmt);
	if (!n) {
		err = mission ? fs_fail(FS_ENOTFOUND,
					"participant '%s' is not registered "
					"for mission '%s'", ref, mission)
			      : fs_fail(FS_ENOTFOUND,
					"participant '%s' has no registration",
					ref);
		goto fail;
	}
	char tokens[64][33];
	for (int i = 0; !err && i < n; i++)
		err = set_token(store, regs[i].id, tokens[i]);
	if (err || (err = fs_store_commit(store)))
		goto fail;
	for (int i = 0; fn && i < n; i++)
		fn(ctx, regs[i].code, tokens[i]);
	return FS_OK;
fail:
	fs_store_rollback(store);
	return err;
}

fs_err
fs_token_get(fs_store *store, const char *ref, const char *mission,
	     char token_out[33])
{
	sqlite3_stmt *stmt;
	int64_t id = 0;
	bool cancelled = false;
	fs_err err;

	token_out[0] = '\0';
	if ((err = fs_store_begin(store)))
		return err;
	if ((err = store_stmt(store, Q_FEED_TOKEN_REGISTRATIONS, &stmt)))
		goto fail;
	sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_text(stmt, 2, mission, -1, SQLITE_STATIC);
	if (sqlite3_step(stmt) == SQLITE_ROW) {
		id = sqlite3_column_int64(stmt, 0);
		snprintf(token_out, 33, "%s", store_text(stmt, 2));
		cancelled = !strcmp(store_text(stmt, 3), "cancelled");
	}
	sqlite3_reset(stmt);
	if (!id || cancelled) {
		err = fs_fail(FS_ENOTFOUND,
			      cancelled ? "participant '%s' cancelled their "
					  "registration for mission '%s'"
					: "participant '%s' is not registered "
					  "for mission '%s'",
			      ref, mission);
		goto fail;
	}
	if (!token_out[0] && (err = set_token(store, id, token_out)))
		goto fail;
	return fs_store_commit(store);
fail:
	fs_store_rollback(store);
	return err;
}

fs_err
fs_token_mission(fs_store *store, const char *ref, char mission_out[65])
{
	sqlite3_stmt *stmt;
	char list[200] = "";
	size_t len = 0;
	long n = 0, all = 0;
	fs_err err;
	int rc;

	mission_out[0] = '\0';
	if ((err = store_stmt(store, Q_FEED_TOKEN_REGISTRATIONS, &stmt)))
		return err;
	sqlite3_bind_text(stmt, 1, ref, -1, SQLITE_STATIC);
	sqlite3_bind_null(stmt, 2);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		const char *code = store_text(stmt, 1);
		all++;
		if (!strcmp(store_text(stmt, 3), "cancelled"))
			continue;
		if (n++ == 0)
			snprintf(mission_out, 65, "%s", code);
		if (len < sizeof(list))
			len += (size_t)snprintf(list + len, sizeof(list) - len,
						"%s%s", len ? ", " : "", code);
	}
	sqlite3_reset(stmt);
	if (rc != SQLITE_DONE)
		return store_fail(store, "reading registrations");
	if (n == 1)
		return FS_OK;
	mission_out[0] = '\0';
	if (n > 1)
		return fs_fail(FS_EINPUT, "participant '%s' has %ld "
			       "registrations (%s): give --mission", ref, n,
			       list);
	return fs_fail(FS_ENOTFOUND, all ? "participant '%s' has no "
			       "registration that is not cancelled"
				       : "participant '%s' has no registration "
					 "(or no such participant)", ref);
}

