/*
 * queries.c - every SQL statement the library runs, by name.
 *
 * Conventions: ?1 is the row's id or key.  In UPDATEs a NULL parameter keeps
 * the stored value (coalesce), and numbers that may be cleared come as a
 * pair (value, given): CASE WHEN given THEN value ELSE column END.  UPDATEs
 * compare old and new values and touch only rows that differ, so that
 * sqlite3_changes() tells whether anything changed.  No RETURNING, no IN
 * lists in hot statements: both make SQLite build a temporary table per run.
 */
#include "queries.h"

/* The updatable columns of a table, and their new values: the parameter,
 * or the stored value where the parameter is NULL (absent). */
#define MISSION_COLUMNS                                                      \
	"title, country, city, timezone, start_date, days, venue, address, " \
	"lat, lon, capacity, currency, per_diem, nightly_rate, "              \
	"contact_name, contact_email, travel_share, meal_deduction"
#define MISSION_NEW                                                          \
	"coalesce(?2, title), coalesce(?3, country), coalesce(?4, city), "   \
	"coalesce(?5, timezone), coalesce(?6, start_date), "                  \
	"coalesce(?7, days), coalesce(?8, venue), coalesce(?9, address), "    \
	"CASE WHEN ?11 THEN ?10 ELSE lat END, "                               \
	"CASE WHEN ?13 THEN ?12 ELSE lon END, "                               \
	"CASE WHEN ?15 THEN ?14 ELSE capacity END, "                          \
	"coalesce(?16, currency), CASE WHEN ?18 THEN ?17 ELSE per_diem END, " \
	"CASE WHEN ?20 THEN ?19 ELSE nightly_rate END, "                      \
	"coalesce(?21, contact_name), coalesce(?22, contact_email), "         \
	"coalesce(?23, travel_share), coalesce(?24, meal_deduction)"
#define PARTICIPANT_COLUMNS                                                  \
	"given_name, family_name, email, phone, organization, position, "    \
	"category_id, country, language, dietary, accessibility"
#define PARTICIPANT_NEW                                                      \
	"coalesce(?3, given_name), coalesce(?4, family_name), "              \
	"coalesce(?5, email), coalesce(?6, phone), "                          \
	"coalesce(?7, organization), coalesce(?8, position), "                \
	"coalesce(?9, category_id), coalesce(?10, country), "                 \
	"coalesce(?11, language), coalesce(?12, dietary), "                   \
	"coalesce(?13, accessibility)"
#define REGISTRATION_COLUMNS "status, arrival, departure, funded, group_label"
#define REGISTRATION_NEW                                                     \
	"coalesce(?4, status), coalesce(?5, arrival), "                      \
	"coalesce(?6, departure), coalesce(?7, funded), "                     \
	"coalesce(?8, group_label)"
#define PLACE_NEW                                                            \
	"coalesce(?2, address), CASE WHEN ?4 THEN ?3 ELSE lat END, "         \
	"CASE WHEN ?6 THEN ?5 ELSE lon END"
#define ITEM_COLUMNS                                                         \
	"day_date, start_time, end_time, kind, title, module_id, place_id, " \
	"host, capacity, audience, description"
#define ITEM_NEW_SIGNIFICANT                                                 \
	"coalesce(?6, day_date), coalesce(?7, start_time), "                 \
	"coalesce(?8, end_time), coalesce(?10, title), "                      \
	"CASE WHEN ?14 THEN ?13 ELSE place_id END"
#define ITEM_NEW                                                             \
	"coalesce(?6, day_date), coalesce(?7, start_time), "                 \
	"coalesce(?8, end_time), coalesce(?9, kind), coalesce(?10, title), "  \
	"CASE WHEN ?12 THEN ?11 ELSE module_id END, "                         \
	"CASE WHEN ?14 THEN ?13 ELSE place_id END, coalesce(?15, host), "     \
	"CASE WHEN ?17 THEN ?16 ELSE capacity END, "                          \
	"coalesce(?18, audience), coalesce(?19, description)"

/* A rider who has arrived and not yet left when the bus leaves (?4) */
#define RIDER_THERE                                                      \
	"AND (arrival = '' OR arrival <= ?4) "                            \
	"AND (departure = '' OR departure >= ?4) "

/* A row's parameters, 128 times over (one INSERT of many rows) */
#define TIMES_4(row) row ", " row ", " row ", " row
#define TIMES_128(row) TIMES_4(TIMES_4(TIMES_4(row ", " row)))
/* New people and their registrations of an import, with the ids SQLite
 * would give them (participant.c).  OR ROLLBACK: a statement of many rows
 * that could fail half-way would otherwise keep a statement journal (a
 * temporary file, written for every page the statement changes: 100,000
 * writes on a large import); when a row is refused the import is rolled
 * back anyway. */
#define PERSON_ADD                                                           \
	"INSERT OR ROLLBACK INTO participant (id, ref, given_name, "          \
	"family_name, email, phone, organization, position, category_id, "    \
	"country, language, dietary, accessibility) VALUES "
#define PERSON_ROW "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define REGISTRATION_ADD                                                     \
	"INSERT OR ROLLBACK INTO registration (id, participant_id, "          \
	"mission_id, status, arrival, departure, funded, group_label) "       \
	"VALUES "
#define REGISTRATION_ROW "(?, ?, ?, ?, ?, ?, ?, ?)"

/* 128 rows of (key, line) for one INSERT */
#define KEYS_4 "(?, ?), (?, ?), (?, ?), (?, ?)"
#define KEYS_16 KEYS_4 ", " KEYS_4 ", " KEYS_4 ", " KEYS_4
#define KEYS_64 KEYS_16 ", " KEYS_16 ", " KEYS_16 ", " KEYS_16
#define KEYS_128 KEYS_64 ", " KEYS_64

const char *const fs_queries[Q__COUNT] = {
	/* categories and curriculum modules */
	[Q_CATEGORY_ID] =
		"SELECT id FROM category WHERE code = ?1 OR "
		"CAST(number AS TEXT) = ?1",
	[Q_CATEGORY_CODE] = "SELECT code FROM category WHERE id = ?1",
	[Q_CATEGORY_ADD] =
		"INSERT INTO category (number, code, name, description) "
		"VALUES ((SELECT ifnull(max(number), 0) + 1 FROM category), "
		"?1, ?2, ?3) RETURNING number",
	[Q_CATEGORY_LIST] =
		"SELECT c.number, c.code, c.name, c.description, "
		"(SELECT count(*) FROM participant p WHERE p.category_id = c.id) "
		"FROM category c ORDER BY c.number",
	[Q_CATEGORY_SEED] =
		"INSERT INTO category (number, code, name, description) "
		"VALUES (?1, ?2, ?3, ?4)",
	[Q_MODULE_ID] =
		"SELECT id FROM module WHERE code = ?1 OR "
		"(curriculum = 'seminar' AND CAST(number AS TEXT) = ?1)",
	[Q_MODULE_LIST] =
		"SELECT curriculum, code, title, topics, number FROM module "
		"WHERE ?1 IS NULL OR curriculum = ?1 "
		"ORDER BY curriculum DESC, number",
	[Q_MODULE_SEED] =
		"INSERT INTO module (curriculum, number, code, title, topics) "
		"VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_CURRICULA] = "SELECT DISTINCT curriculum FROM module ORDER BY 1",

	/* missions */
	[Q_MISSION_INFO] =
		"SELECT id, code, start_date, days, timezone FROM mission "
		"WHERE code = ?1",
	[Q_MISSION_ROWS] =
		"SELECT code, title, country, city, timezone, start_date, days, "
		"venue, address, lat, lon, capacity, currency, per_diem, "
		"nightly_rate, contact_name, contact_email, "
		"ifnull((SELECT group_concat(q, ';') FROM "
		"  (SELECT c.code || '=' || mq.seats AS q FROM mission_quota mq "
		"   JOIN category c ON c.id = mq.category_id "
		"   WHERE mq.mission_id = m.id ORDER BY c.number)), ''), "
		"travel_share, meal_deduction, '', "
		"(SELECT count(*) FROM registration r WHERE r.mission_id = m.id "
		" AND r.status <> 'cancelled'), "
		"(SELECT count(*) FROM registration r WHERE r.mission_id = m.id "
		" AND r.status = 'confirmed'), "
		"(SELECT count(*) FROM item i WHERE i.mission_id = m.id "
		" AND i.removed = 0) "
		"FROM mission m WHERE ?1 IS NULL OR m.code = ?1 "
		"ORDER BY m.start_date, m.code",
	[Q_MISSION_INSERT] =
		"INSERT INTO mission (code, title, country, city, timezone, "
		"start_date, days, venue, address, lat, lon, capacity, currency, "
		"per_diem, nightly_rate, contact_name, contact_email, "
		"travel_share, meal_deduction) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, ''), "
		"coalesce(?9, ''), ?10, ?12, ?14, coalesce(?16, ''), ?17, ?19, "
		"coalesce(?21, ''), coalesce(?22, ''), coalesce(?23, 75), "
		"coalesce(?24, 0))",
	[Q_MISSION_UPDATE] =
		"UPDATE mission SET (" MISSION_COLUMNS ") = (" MISSION_NEW ") "
		"WHERE code = ?1 AND (" MISSION_COLUMNS ") IS NOT (" MISSION_NEW ")",
	[Q_MISSION_MONEY] =
		"SELECT currency, ifnull(per_diem, 0), ifnull(nightly_rate, 0), "
		"meal_deduction FROM mission WHERE id = ?1",
	[Q_MISSION_ITEMS_OUTSIDE] =
		"SELECT count(*) FROM item WHERE mission_id = ?1 AND removed = 0 "
		"AND (day_date < ?2 OR day_date > ?3)",
	[Q_MISSION_ATTENDANCE_OUTSIDE] =
		"SELECT count(*) FROM attendance a JOIN registration r "
		"ON r.id = a.registration_id WHERE r.mission_id = ?1 "
		"AND (a.day_date < ?2 OR a.day_date > ?3)",
	[Q_MISSION_USAGE] =
		"SELECT (SELECT count(*) FROM registration WHERE mission_id = ?1), "
		"(SELECT count(*) FROM item WHERE mission_id = ?1 AND removed = 0)",
	[Q_MISSION_DELETE] = "DELETE FROM mission WHERE id = ?1",
	/* moving a mission in time (?2: '+N days' or '-N days') */
	[Q_SHIFT_ITEMS_LIST] =
		"SELECT ref, day_date, start_time, end_time FROM item "
		"WHERE mission_id = ?1 AND removed = 0 ORDER BY day_date, "
		"start_time, ref",
	[Q_SHIFT_MISSION] =
		"UPDATE mission SET start_date = date(start_date, ?2) "
		"WHERE id = ?1",
	[Q_SHIFT_ITEMS] =
		"UPDATE item SET day_date = date(day_date, ?2), "
		"sequence = sequence + 1, updated_at = ?3 WHERE mission_id = ?1",
	/* the date part of 'YYYY-MM-DD[THH:MM]'; the trigger of 002 raises
	 * travel_sequence */
	[Q_SHIFT_TRAVEL] =
		"UPDATE registration SET "
		"arrival = CASE WHEN arrival = '' THEN '' ELSE "
		"  date(substr(arrival, 1, 10), ?2) || substr(arrival, 11) END, "
		"departure = CASE WHEN departure = '' THEN '' ELSE "
		"  date(substr(departure, 1, 10), ?2) || substr(departure, 11) END "
		"WHERE mission_id = ?1 AND (arrival <> '' OR departure <> '')",
	/* in two steps: one row per person and day (attendance_once), and a
	 * row moved onto a day another row still holds would break it; the
	 * first step marks the new dates with a '~' no real date has */
	[Q_SHIFT_ATTENDANCE] =
		"UPDATE attendance SET day_date = '~' || date(day_date, ?2) "
		"WHERE registration_id IN "
		"(SELECT id FROM registration WHERE mission_id = ?1)",
	[Q_SHIFT_ATTENDANCE_DONE] =
		"UPDATE attendance SET day_date = substr(day_date, 2) "
		"WHERE registration_id IN "
		"(SELECT id FROM registration WHERE mission_id = ?1) "
		"AND day_date LIKE '~%'",
	[Q_QUOTA_LIST] =
		"SELECT category_id, seats FROM mission_quota "
		"WHERE mission_id = ?1",
	[Q_QUOTA_CLEAR] = "DELETE FROM mission_quota WHERE mission_id = ?1",
	[Q_QUOTA_SET] =
		"INSERT INTO mission_quota (mission_id, category_id, seats) "
		"VALUES (?1, ?2, ?3)",

	/* places and facilitators */
	[Q_PLACE_ID] = "SELECT id FROM place WHERE name = ?1",
	[Q_PLACE_ADD] = "INSERT INTO place (name) VALUES (?1)",
	[Q_PLACE_UPDATE] =
		"UPDATE place SET (address, lat, lon) = (" PLACE_NEW ") "
		"WHERE id = ?1 AND (address, lat, lon) IS NOT (" PLACE_NEW ")",
	[Q_PLACE_LIST] =
		"SELECT name, address, lat, lon, (SELECT count(*) FROM item i "
		"WHERE i.place_id = p.id AND i.removed = 0) "
		"FROM place p ORDER BY name",
	[Q_FACILITATOR_ID] = "SELECT id FROM facilitator WHERE name = ?1",
	[Q_FACILITATOR_ADD] = "INSERT INTO facilitator (name) VALUES (?1)",
	[Q_FACILITATOR_UPDATE] =
		"UPDATE facilitator SET email = coalesce(?2, email), "
		"organization = coalesce(?3, organization) WHERE id = ?1 AND "
		"(email, organization) IS NOT (coalesce(?2, email), "
		"coalesce(?3, organization))",
	[Q_FACILITATOR_LIST] =
		"SELECT name, email, organization, (SELECT count(*) "
		"FROM item_facilitator x JOIN item i ON i.id = x.item_id "
		"WHERE x.facilitator_id = f.id AND i.removed = 0) "
		"FROM facilitator f ORDER BY name",
	/* edit and remove: every item counts, removed ones too (feeds keep
	 * showing them, with their place and facilitators) */
	[Q_PLACE_RENAME] = "UPDATE place SET name = ?2 WHERE id = ?1",
	[Q_PLACE_USE] =
		"SELECT count(*), ifnull(min(ref), '') FROM item "
		"WHERE place_id = ?1",
	[Q_PLACE_CLEAR_ITEMS] =
		"UPDATE item SET place_id = NULL, sequence = sequence + 1, "
		"updated_at = ?2 WHERE place_id = ?1",
	[Q_PLACE_DELETE] = "DELETE FROM place WHERE id = ?1",
	[Q_FACILITATOR_RENAME] = "UPDATE facilitator SET name = ?2 WHERE id = ?1",
	[Q_FACILITATOR_USE] =
		"SELECT count(*), ifnull(min(i.ref), '') FROM item_facilitator x "
		"JOIN item i ON i.id = x.item_id WHERE x.facilitator_id = ?1",
	[Q_FACILITATOR_TOUCH_ITEMS] =
		"UPDATE item SET sequence = sequence + 1, updated_at = ?2 "
		"WHERE id IN (SELECT item_id FROM item_facilitator "
		"WHERE facilitator_id = ?1)",
	[Q_FACILITATOR_CLEAR_ITEMS] =
		"DELETE FROM item_facilitator WHERE facilitator_id = ?1",
	[Q_FACILITATOR_DELETE] = "DELETE FROM facilitator WHERE id = ?1",

	/* participants and registrations */
	[Q_PARTICIPANT_BY_REF] = "SELECT id FROM participant WHERE ref = ?1",
	[Q_PARTICIPANT_REFS] = "SELECT ref FROM participant",
	[Q_PARTICIPANT_EMAILS] =
		"SELECT id, email FROM participant WHERE email <> ''",
	[Q_PARTICIPANT_INSERT] =
		"INSERT INTO participant (ref, given_name, family_name, email, "
		"phone, organization, position, category_id, country, language, "
		"dietary, accessibility) VALUES (?2, ?3, ?4, coalesce(?5, ''), "
		"coalesce(?6, ''), coalesce(?7, ''), coalesce(?8, ''), ?9, "
		"coalesce(?10, ''), coalesce(?11, ''), coalesce(?12, ''), "
		"coalesce(?13, ''))",
	[Q_PARTICIPANT_NEXT_ID] =
		"SELECT coalesce(max(id), 0) + 1 FROM participant",
	[Q_PARTICIPANT_ADD] = PERSON_ADD PERSON_ROW,
	[Q_PARTICIPANT_ADD_MANY] = PERSON_ADD TIMES_128(PERSON_ROW),
	[Q_PARTICIPANT_UPDATE] =
		"UPDATE participant SET (" PARTICIPANT_COLUMNS ") = ("
		PARTICIPANT_NEW ") WHERE id = ?1 AND (" PARTICIPANT_COLUMNS
		") IS NOT (" PARTICIPANT_NEW ")",
	[Q_PARTICIPANT_ROWS] =
		"SELECT p.ref, p.given_name, p.family_name, p.email, p.phone, "
		"p.organization, p.position, c.code, p.country, p.language, "
		"p.dietary, p.accessibility, m.code, r.status, r.arrival, "
		"r.departure, CASE r.funded WHEN 1 THEN 'yes' WHEN 0 THEN 'no' "
		"END, r.group_label "
		"FROM participant p JOIN category c ON c.id = p.category_id "
		"LEFT JOIN registration r ON r.participant_id = p.id "
		"LEFT JOIN mission m ON m.id = r.mission_id "
		"WHERE (?1 IS NULL OR r.mission_id = ?1) "
		"AND (?2 IS NULL OR p.ref = ?2) "
		"ORDER BY p.id, m.start_date, m.code",
	/* A person added without a ref gets P and their id, zero-padded. */
	[Q_PARTICIPANT_NAME_REF] =
		"UPDATE participant SET ref = CASE WHEN EXISTS (SELECT 1 FROM "
		"participant WHERE ref = printf('P%06d', ?1)) THEN "
		"printf('P%06d-%s', ?1, lower(hex(randomblob(3)))) "
		"ELSE printf('P%06d', ?1) END WHERE id = ?1",
	[Q_PARTICIPANT_REF] = "SELECT ref FROM participant WHERE id = ?1",
	[Q_PLACE_TOUCH_ITEMS] =
		"UPDATE item SET sequence = sequence + 1, updated_at = ?2 "
		"WHERE place_id = ?1",
	[Q_PARTICIPANT_DELETE] = "DELETE FROM participant WHERE ref = ?1",
	[Q_REGISTRATION_FIND] =
		"SELECT id, arrival, departure, group_label <> '', "
		"status <> 'applied' FROM registration "
		"WHERE participant_id = ?1 AND (?2 IS NULL OR mission_id = ?2)",
	[Q_REGISTRATION_INSERT] =
		"INSERT INTO registration (participant_id, mission_id, status, "
		"arrival, departure, funded, group_label) VALUES (?2, ?3, "
		"coalesce(?4, 'applied'), coalesce(?5, ''), coalesce(?6, ''), "
		"coalesce(?7, 1), coalesce(?8, ''))",
	[Q_REGISTRATION_NEXT_ID] =
		"SELECT coalesce(max(id), 0) + 1 FROM registration",
	[Q_REGISTRATION_ADD] = REGISTRATION_ADD REGISTRATION_ROW,
	[Q_REGISTRATION_ADD_MANY] =
		REGISTRATION_ADD TIMES_128(REGISTRATION_ROW),
	[Q_REGISTRATION_UPDATE] =
		"UPDATE registration SET (" REGISTRATION_COLUMNS ") = ("
		REGISTRATION_NEW ") WHERE id = ?1 AND (" REGISTRATION_COLUMNS
		") IS NOT (" REGISTRATION_NEW ")",
	[Q_REGISTRATION_DELETE] =
		"DELETE FROM registration WHERE mission_id = ?2 AND "
		"participant_id = (SELECT id FROM participant WHERE ref = ?1)",

	/* agenda items */
	[Q_ITEM_FIND] =
		"SELECT id, day_date, start_time, end_time, removed, "
		"ifnull(place_id, 0) FROM item WHERE mission_id = ?1 AND ref = ?2",
	[Q_ITEM_LOCATE] =
		"SELECT m.code FROM item i JOIN mission m ON m.id = i.mission_id "
		"WHERE i.ref = ?1 AND i.removed = 0 AND (?2 IS NULL OR m.code = ?2)",
	/* an item like the one an import adds without a ref */
	[Q_ITEM_SAME] =
		"SELECT EXISTS (SELECT 1 FROM item WHERE mission_id = ?1 AND "
		"day_date = ?2 AND start_time = ?3 AND title = ?4 AND "
		"removed = 0)",
	[Q_ITEM_INSERT] =
		"INSERT INTO item (mission_id, ref, uid, created_at, updated_at, "
		"day_date, start_time, end_time, kind, title, module_id, "
		"place_id, host, capacity, audience, description) VALUES (?2, ?3, "
		"?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, coalesce(?15, ''), "
		"?16, coalesce(?18, 'all'), coalesce(?19, ''))",
	/* SEQUENCE rises when the day, times, title, place or presence
	 * change; a removed item imported again comes back active. */
	[Q_ITEM_UPDATE] =
		"UPDATE item SET (" ITEM_COLUMNS ", removed, status, sequence, "
		"updated_at) = (" ITEM_NEW ", 0, "
		"CASE WHEN removed THEN 'active' ELSE status END, "
		"sequence + ((day_date, start_time, end_time, title, place_id, "
		"removed) IS NOT (" ITEM_NEW_SIGNIFICANT ", 0)), ?5) "
		"WHERE id = ?1 AND (" ITEM_COLUMNS ", removed) IS NOT ("
		ITEM_NEW ", 0)",
	[Q_ITEM_TOUCH] = "UPDATE item SET updated_at = ?2 WHERE id = ?1",
	[Q_ITEM_SET_STATUS] =
		"UPDATE item SET status = CASE WHEN ?4 THEN 'cancelled' "
		"ELSE 'active' END, sequence = sequence + 1, updated_at = ?3 "
		"WHERE mission_id = ?1 AND ref = ?2 AND removed = 0 AND "
		"status <> CASE WHEN ?4 THEN 'cancelled' ELSE 'active' END",
	[Q_ITEM_REMOVE] =
		"UPDATE item SET removed = 1, sequence = sequence + 1, "
		"updated_at = ?3 WHERE mission_id = ?1 AND ref = ?2 "
		"AND removed = 0 AND ?4",
	/* an item no feed ever held, and no attendance names, goes whole */
	[Q_ITEM_DELETE_UNPUBLISHED] =
		"DELETE FROM item WHERE mission_id = ?1 AND ref = ?2 "
		"AND removed = 0 AND published = 0 AND NOT EXISTS "
		"(SELECT 1 FROM attendance a WHERE a.item_id = item.id)",
	[Q_ITEMS_MARK_PUBLISHED] =
		"UPDATE item SET published = 1 WHERE mission_id = ?1 "
		"AND published = 0",
	[Q_ITEM_ROWS] =
		"SELECT i.ref, m.code, CAST(julianday(i.day_date) - "
		"julianday(m.start_date) + 1 AS INTEGER), i.day_date, "
		"i.start_time, i.end_time, i.kind, i.title, "
		"CASE WHEN mo.curriculum = 'seminar' THEN CAST(mo.number AS TEXT) "
		"ELSE mo.code END, p.name, p.address, p.lat, p.lon, i.host, "
		"i.capacity, i.audience, "
		"(SELECT group_concat(name, ';') FROM (SELECT f.name "
		"  FROM item_facilitator x JOIN facilitator f "
		"  ON f.id = x.facilitator_id WHERE x.item_id = i.id "
		"  ORDER BY x.position)), "
		"i.description, i.uid, i.sequence, i.status, i.created_at, "
		"i.updated_at "
		"FROM item i JOIN mission m ON m.id = i.mission_id "
		"LEFT JOIN module mo ON mo.id = i.module_id "
		"LEFT JOIN place p ON p.id = i.place_id "
		"WHERE i.removed = 0 AND (?1 IS NULL OR i.mission_id = ?1) "
		"AND (?2 IS NULL OR i.ref = ?2) "
		"ORDER BY m.start_date, m.code, i.day_date, i.start_time, "
		"i.end_time, i.ref",
	[Q_ITEM_FACILITATORS] =
		"SELECT ifnull((SELECT group_concat(name, ';') FROM (SELECT f.name "
		"  FROM item_facilitator x JOIN facilitator f "
		"  ON f.id = x.facilitator_id WHERE x.item_id = ?1 "
		"  ORDER BY x.position)), '')",
	[Q_ITEM_FACILITATORS_CLEAR] =
		"DELETE FROM item_facilitator WHERE item_id = ?1",
	[Q_ITEM_FACILITATOR_ADD] =
		"INSERT INTO item_facilitator (item_id, facilitator_id, position) "
		"VALUES (?1, ?2, ?3)",

	/* calendar feeds (feed.c, publish.c) */
	[Q_FEED_MISSION] =
		"SELECT m.id, m.code, m.title, m.city, m.timezone, m.start_date, "
		"m.days, m.contact_name, m.contact_email, "
		"(SELECT min(day_date) FROM item WHERE mission_id = m.id), "
		"(SELECT max(day_date) FROM item WHERE mission_id = m.id), "
		"(SELECT max(updated_at) FROM item WHERE mission_id = m.id) "
		"FROM mission m WHERE m.code = ?1",
	[Q_FEED_ITEMS] =
		"SELECT i.uid, i.sequence, i.updated_at, "
		"i.day_date, i.start_time, i.end_time, i.kind, i.title, "
		"CASE WHEN mo.curriculum = 'seminar' "
		" THEN 'Module ' || mo.number ELSE mo.code END, mo.title, "
		"p.name, p.address, p.lat, p.lon, i.host, i.audience, "
		"i.description, i.status, i.removed, "
		"(SELECT group_concat(name, ';') FROM (SELECT f.name "
		"  FROM item_facilitator x JOIN facilitator f "
		"  ON f.id = x.facilitator_id WHERE x.item_id = i.id "
		"  ORDER BY x.position)), i.id "
		"FROM item i LEFT JOIN module mo ON mo.id = i.module_id "
		"LEFT JOIN place p ON p.id = i.place_id "
		"WHERE i.mission_id = ?1 "
		"ORDER BY i.day_date, i.start_time, i.end_time, i.ref",
	[Q_FEED_GROUPS] =
		"SELECT DISTINCT group_label FROM registration "
		"WHERE mission_id = ?1 AND status <> 'cancelled' "
		"AND group_label <> '' ORDER BY 1",
	[Q_FEED_PEOPLE] =
		"SELECT r.id, p.ref, p.given_name, p.family_name, c.code, "
		"r.group_label, r.arrival, r.departure, r.feed_token, "
		"r.feed_since, r.travel_sequence, r.travel_changed "
		"FROM registration r JOIN participant p ON p.id = r.participant_id "
		"JOIN category c ON c.id = p.category_id "
		"WHERE r.mission_id = ?1 AND r.status <> 'cancelled' "
		"AND (?2 IS NULL OR p.ref = ?2) ORDER BY r.id",
	[Q_FEED_PEOPLE_COUNT] =
		"SELECT count(*) FROM registration "
		"WHERE mission_id = ?1 AND status <> 'cancelled'",
	[Q_FEED_TOKENLESS] =
		"SELECT id FROM registration WHERE mission_id = ?1 "
		"AND status <> 'cancelled' AND feed_token IS NULL",
	[Q_FEED_TOKEN_SET] =
		"UPDATE registration SET feed_token = ?2, feed_since = "
		"CASE WHEN feed_since = '' THEN ?3 ELSE feed_since END "
		"WHERE id = ?1",
	[Q_FEED_TOKEN_KNOWN] =
		"SELECT 1 FROM registration WHERE feed_token = ?1 "
		"AND mission_id = ?2 AND status <> 'cancelled'",
	[Q_FEED_TOKEN_REGISTRATIONS] =
		"SELECT r.id, m.code, ifnull(r.feed_token, ''), r.status "
		"FROM registration r "
		"JOIN participant p ON p.id = r.participant_id "
		"JOIN mission m ON m.id = r.mission_id "
		"WHERE p.ref = ?1 AND (?2 IS NULL OR m.code = ?2) "
		"ORDER BY m.code",
	[Q_FEED_FILE_GET] =
		"SELECT digest, size, mtime FROM feed_file "
		"WHERE dir = ?1 AND path = ?2",
	[Q_FEED_FILE_PUT] =
		"INSERT OR REPLACE INTO feed_file (dir, path, digest, size, mtime) "
		"VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_FEED_FILE_DELETE] =
		"DELETE FROM feed_file WHERE dir = ?1 AND path = ?2",
	/* the manifest that serve answers from (manifest.c) */
	[Q_FEED_FILE_LIST] =
		"SELECT path FROM feed_file WHERE dir = ?1 ORDER BY path",
	/* what a publish finds in its directory (publish_sweep.c): this
	 * database's name, a mission by the first component of a path, and
	 * every file of a mission it removed */
	[Q_STORE_IDENTITY] = "SELECT id FROM store_identity",
	[Q_SWEEP_MISSION] =
		"SELECT title, city, start_date, days FROM mission "
		"WHERE code = ?1",
	[Q_FEED_FILE_FORGET_MISSION] =
		"DELETE FROM feed_file WHERE dir = ?1 AND path >= ?2 || '/' "
		"AND path < ?2 || '0'",
	/* the directories holding a mission's files (mission remove) */
	[Q_FEED_FILE_DIRS_OF] =
		"SELECT DISTINCT dir FROM feed_file WHERE path >= ?1 || '/' "
		"AND path < ?1 || '0' ORDER BY dir",
	/* where a mission was last published (url.c, publish.c) */
	[Q_PAGE_MISSION] =
		"SELECT country, venue, address, lat, lon, start_date, days "
		"FROM mission WHERE id = ?1",
	[Q_PAGE_MODULES] =
		"SELECT DISTINCT CASE WHEN mo.curriculum = 'seminar' "
		" THEN 'Module ' || mo.number ELSE mo.code END, mo.title, "
		"mo.topics, mo.curriculum, mo.number "
		"FROM item i JOIN module mo ON mo.id = i.module_id "
		"WHERE i.mission_id = ?1 AND i.removed = 0 "
		"ORDER BY mo.curriculum, mo.number",
	[Q_PUBLICATION_GET] =
		"SELECT p.base_url, p.dir, p.published_at FROM publication p "
		"JOIN mission m ON m.id = p.mission_id WHERE m.code = ?1",
	[Q_PUBLICATION_PUT] =
		"INSERT INTO publication (mission_id, base_url, dir, "
		"published_at) VALUES (?1, ?2, ?3, ?4) "
		"ON CONFLICT (mission_id) DO UPDATE SET "
		"base_url = CASE WHEN ?2 = '' THEN base_url ELSE ?2 END, "
		"dir = ?3, published_at = ?4",
	/* check and plan (schedule.c): a mission's plan as arrays */
	[Q_SCHED_MISSIONS] = "SELECT code FROM mission ORDER BY start_date, code",
	[Q_SCHED_MISSION] =
		"SELECT capacity, lat, lon, venue FROM mission WHERE id = ?1",
	[Q_SCHED_CATEGORIES] = "SELECT id, code FROM category ORDER BY number",
	[Q_SCHED_QUOTAS] =
		"SELECT category_id, seats FROM mission_quota "
		"WHERE mission_id = ?1",
	/* active items, in time order; their places and facilitators come
	 * from the two queries after, joined in memory (faster than a join
	 * and a subquery per item) */
	[Q_SCHED_ITEMS] =
		"SELECT i.ref, CAST(julianday(i.day_date) - julianday(?2) + 1 "
		"AS INTEGER), i.start_time, i.end_time, i.kind, i.place_id, i.id, "
		"ifnull(i.capacity, 0), i.audience "
		"FROM item i WHERE i.mission_id = ?1 AND i.removed = 0 AND "
		"i.status = 'active' "
		"ORDER BY i.day_date, i.start_time, i.end_time, i.ref",
	[Q_SCHED_PLACES] =
		"SELECT id, name, lat, lon FROM place WHERE id IN (SELECT place_id "
		"FROM item WHERE mission_id = ?1 AND removed = 0) ORDER BY id",
	[Q_SCHED_FACILITATORS] =
		"SELECT x.item_id, f.name FROM item i JOIN item_facilitator x "
		"ON x.item_id = i.id JOIN facilitator f ON f.id = x.facilitator_id "
		"WHERE i.mission_id = ?1 AND i.removed = 0 AND i.status = 'active' "
		"ORDER BY x.item_id, x.position",
	[Q_SCHED_PEOPLE] =
		"SELECT p.ref, p.category_id, r.status, r.group_label, r.arrival, "
		"r.departure, p.organization, p.country, p.language "
		"FROM registration r JOIN participant p "
		"ON p.id = r.participant_id WHERE r.mission_id = ?1 "
		"ORDER BY p.ref",
	/* rosters (roster.c): one mission's finance facts, then its
	 * registrations in the order people look names up */
	[Q_ROSTER_MISSION] =
		"SELECT m.id, m.code, m.title, m.start_date, m.days, m.currency, "
		"ifnull(m.per_diem, 0), ifnull(m.nightly_rate, 0), "
		"m.travel_share, m.meal_deduction, m.venue, m.contact_name, "
		/* the days attendance covers, a bit per mission day */
		"ifnull((SELECT sum(DISTINCT 1 << CAST(julianday(a.day_date) - "
		"  julianday(m.start_date) AS INTEGER)) FROM registration r "
		"  JOIN attendance a ON a.registration_id = r.id "
		"  WHERE r.mission_id = m.id AND a.day_date BETWEEN m.start_date "
		"  AND date(m.start_date, printf('+%d days', m.days - 1))), 0), "
		"(SELECT count(*) FROM registration r WHERE r.mission_id = m.id), "
		"max(ifnull((SELECT max(updated_at) FROM item i "
		"  WHERE i.mission_id = m.id), ''), "
		"  ifnull((SELECT max(a.recorded_at) FROM registration r JOIN "
		"  attendance a ON a.registration_id = r.id "
		"  WHERE r.mission_id = m.id), '')) "
		"FROM mission m WHERE m.code = ?1",
	/* ?2, ?3: the mission's first and last day */
	[Q_ROSTER_ROWS] =
		"SELECT p.ref, p.family_name, p.given_name, p.organization, "
		"p.position, p.category_id, p.country, r.status, r.group_label, "
		"r.arrival, r.departure, r.funded, "
		/* the days present, a bit per mission day */
		"ifnull((SELECT sum(DISTINCT 1 << CAST(julianday(a.day_date) - "
		"  julianday(?2) AS INTEGER)) FROM attendance a "
		"  WHERE a.registration_id = r.id AND a.present = 1 "
		"  AND a.day_date BETWEEN ?2 AND ?3), 0) "
		"FROM registration r JOIN participant p ON p.id = r.participant_id "
		"WHERE r.mission_id = ?1 "
		"ORDER BY fs_fold(p.family_name), fs_fold(p.given_name), p.ref",
	[Q_ROSTER_CATEGORIES] =
		"SELECT code, name, id, number FROM category ORDER BY number",
	/* the columns of a sign-in sheet: sessions and ceremonies of a day */
	[Q_ROSTER_SESSIONS] =
		"SELECT start_time, end_time, title FROM item "
		"WHERE mission_id = ?1 AND day_date = ?2 AND removed = 0 "
		"AND status = 'active' AND (kind = 'session' OR kind = 'ceremony') "
		"ORDER BY start_time, end_time, ref",
	[Q_ROSTER_VISITS] =
		"SELECT i.day_date, i.start_time, i.end_time, i.title, "
		"ifnull(p.name, ''), ifnull(p.address, ''), i.host, i.audience, "
		"i.status FROM item i LEFT JOIN place p ON p.id = i.place_id "
		"WHERE i.mission_id = ?1 AND i.kind = 'visit' AND i.removed = 0 "
		"ORDER BY i.day_date, i.start_time, i.ref",
	/* the bus a group takes to a visit: the last travel item of the day
	 * that ends by the visit's start and is meant for the group */
	[Q_ROSTER_DEPARTURE] =
		"SELECT i.start_time, ifnull(p.name, '') FROM item i "
		"LEFT JOIN place p ON p.id = i.place_id "
		"WHERE i.mission_id = ?1 AND i.day_date = ?2 AND i.kind = 'travel' "
		"AND i.removed = 0 AND i.status = 'active' AND i.end_time <= ?3 "
		"AND (i.audience = 'all' OR ?4 IS NULL OR instr(';' || i.audience "
		"  || ';', ';group:' || ?4 || ';') > 0) " /* exact, not LIKE */
		"ORDER BY i.end_time DESC, i.start_time DESC LIMIT 1",
	/* The riders of every bus of a mission, read once into a temporary
	 * table (a file: temp_store is FILE while a roster is written) in
	 * the order the bus lists show them, so that each bus reads its
	 * rows in rowid order, without a sort or a lookup per rider. */
	[Q_ROSTER_RIDERS_CLEAR] = "DROP TABLE IF EXISTS temp.roster_rider",
	[Q_ROSTER_RIDERS_LOAD] =
		"CREATE TEMP TABLE IF NOT EXISTS roster_rider AS "
		"SELECT r.group_label AS group_label, c.code AS category, "
		"p.family_name AS family_name, p.given_name AS given_name, "
		"p.phone AS phone, p.dietary AS dietary, "
		"p.accessibility AS accessibility, "
		/* when they are there, to compare with a bus's "DATETHH:MM":
		 * from the start of the day they arrive, to the end of the
		 * day they leave when no time is given */
		"ifnull(r.arrival, '') AS arrival, "
		"CASE WHEN length(r.departure) = 10 THEN r.departure || 'T24:00' "
		"ELSE ifnull(r.departure, '') END AS departure "
		"FROM registration r "
		"JOIN participant p ON p.id = r.participant_id "
		"JOIN category c ON c.id = p.category_id "
		"WHERE r.mission_id = ?1 AND r.status = 'confirmed' "
		"ORDER BY r.group_label, fs_fold(p.family_name), "
		"fs_fold(p.given_name), p.ref",
	[Q_ROSTER_RIDERS_INDEX] =
		"CREATE INDEX IF NOT EXISTS temp.roster_rider_group "
		"ON roster_rider (group_label)",
	/* one group's riders (by its index: rowid order within a group),
	 * there when the bus leaves (?4: "DATETHH:MM") */
	[Q_ROSTER_RIDERS_GROUP] =
		"SELECT family_name, given_name, phone, dietary, accessibility "
		"FROM temp.roster_rider WHERE group_label = ?2 " RIDER_THERE
		"ORDER BY rowid",
	/* everyone (?3 NULL) or a category's riders, group by group */
	[Q_ROSTER_RIDERS] =
		"SELECT family_name, given_name, phone, dietary, accessibility "
		"FROM temp.roster_rider WHERE (?3 IS NULL OR category = ?3) "
		RIDER_THERE "ORDER BY rowid",
	/* how many ride a bus: category ?3, or everyone */
	[Q_ROSTER_RIDER_COUNT] =
		"SELECT count(*) FROM temp.roster_rider "
		"WHERE (?3 IS NULL OR category = ?3) " RIDER_THERE,
	/* how many ride group ?2's bus (by the index: an OR with ?2 IS NULL
	 * read the whole table for each bus) */
	[Q_ROSTER_RIDER_COUNT_GROUP] =
		"SELECT count(*) FROM temp.roster_rider WHERE group_label = ?2 "
		RIDER_THERE,
	/* the groups of the confirmed ("" for those without one) */
	[Q_ROSTER_GROUPS] =
		"SELECT DISTINCT group_label FROM registration "
		"WHERE mission_id = ?1 AND status = 'confirmed' "
		"ORDER BY group_label",
	[Q_ROSTER_MEALS] =
		"SELECT start_time, title FROM item WHERE mission_id = ?1 "
		"AND day_date = ?2 AND kind = 'meal' AND removed = 0 "
		"AND status = 'active' ORDER BY start_time, end_time, ref",
	/* the confirmed by dietary need (ignoring case) and by the dates of
	 * their stay: few rows (needs x arrival dates x departure dates),
	 * from which roster_sheets.c counts who eats on each day, as the
	 * sign-in sheets expect them (arrival to departure) */
	[Q_ROSTER_DIETARY] =
		"SELECT min(trim(p.dietary)), lower(trim(p.dietary)) AS need, "
		"substr(r.arrival, 1, 10), substr(r.departure, 1, 10), count(*) "
		"FROM registration r "
		"JOIN participant p ON p.id = r.participant_id "
		"WHERE r.mission_id = ?1 AND r.status = 'confirmed' "
		"GROUP BY need, 3, 4 ORDER BY need <> '', need",
	/* riders of a visit (group ?2, category ?3, or everyone) with an
	 * accessibility need */
	[Q_ROSTER_ACCESS] =
		"SELECT p.family_name, p.given_name, r.group_label, "
		"p.accessibility FROM participant p "
		/* from the few with a need (partial index, 009) */
		"CROSS JOIN registration r ON r.participant_id = p.id "
		"AND r.mission_id = ?1 "
		"JOIN category c ON c.id = p.category_id "
		"WHERE p.accessibility <> '' AND r.status = 'confirmed' "
		"AND (?2 IS NULL OR r.group_label = ?2) "
		"AND (?3 IS NULL OR c.code = ?3) "
		"ORDER BY r.group_label, fs_fold(p.family_name), "
		"fs_fold(p.given_name), p.ref",

	/* attendance (attendance.c) */
	/* the registration of ref for the mission (or, ?2 NULL, the mission
	 * whose days hold the date ?3) */
	[Q_ATTEND_REGISTRATION] =
		"SELECT r.id, m.code, m.id, r.status FROM registration r "
		"JOIN participant p ON p.id = r.participant_id "
		"JOIN mission m ON m.id = r.mission_id "
		"WHERE p.ref = ?1 AND (?2 IS NULL OR m.code = ?2) "
		"AND ?3 BETWEEN m.start_date AND "
		"  date(m.start_date, printf('+%d days', m.days - 1)) "
		"ORDER BY m.start_date",
	[Q_ATTEND_ITEM] =
		"SELECT id, day_date FROM item WHERE mission_id = ?1 AND ref = ?2 "
		"AND removed = 0",
	[Q_ATTEND_FIND] =
		"SELECT id, present FROM attendance WHERE registration_id = ?1 "
		"AND day_date = ?2 AND ifnull(item_id, 0) = ifnull(?3, 0)",
	[Q_ATTEND_INSERT] =
		"INSERT INTO attendance (registration_id, day_date, item_id, "
		"present, recorded_at) VALUES (?1, ?2, ?3, ?4, ?5)",
	[Q_ATTEND_UPDATE] =
		"UPDATE attendance SET present = ?2, recorded_at = ?3 "
		"WHERE id = ?1 AND present <> ?2",
	[Q_ATTEND_ROWS] =
		"SELECT p.ref, m.code, a.day_date, ifnull(i.ref, ''), "
		"CASE a.present WHEN 1 THEN 'yes' ELSE 'no' END, "
		"p.family_name, p.given_name, a.recorded_at "
		"FROM attendance a JOIN registration r ON r.id = a.registration_id "
		"JOIN participant p ON p.id = r.participant_id "
		"JOIN mission m ON m.id = r.mission_id "
		"LEFT JOIN item i ON i.id = a.item_id "
		"WHERE (?1 IS NULL OR r.mission_id = ?1) "
		"AND (?2 IS NULL OR p.ref = ?2) "
		"ORDER BY m.start_date, m.code, a.day_date, "
		"fs_fold(p.family_name), fs_fold(p.given_name), p.ref, i.start_time",
	/* confirmed registrations with the days they were present on */
	[Q_CERTIFICATE_ROWS] =
		"SELECT p.ref, p.family_name, p.given_name, p.organization, "
		"c.code, r.arrival, r.departure, "
		"ifnull((SELECT sum(DISTINCT 1 << CAST(julianday(a.day_date) - "
		"  julianday(?2) AS INTEGER)) FROM attendance a "
		"  WHERE a.registration_id = r.id AND a.present = 1 "
		"  AND a.day_date BETWEEN ?2 AND ?3), 0) "
		"FROM registration r JOIN participant p ON p.id = r.participant_id "
		"JOIN category c ON c.id = p.category_id "
		"WHERE r.mission_id = ?1 AND r.status = 'confirmed' "
		"ORDER BY fs_fold(p.family_name), fs_fold(p.given_name), p.ref",
	/* hand-outs: badges, links, certificates (handout.c, badge.c,
	 * certificate.c) */
	[Q_HANDOUT_MISSION] =
		"SELECT m.id, m.code, m.title, m.city, m.country, m.start_date, "
		"m.days, m.contact_name, m.contact_email, m.venue "
		"FROM mission m WHERE m.code = ?1",
	/* confirmed participants, for badges, in roster order */
	[Q_HANDOUT_PEOPLE] =
		"SELECT p.ref, p.given_name, p.family_name, p.organization, "
		"p.country, c.number, c.name, r.group_label, "
		"ifnull(r.feed_token, '') "
		"FROM registration r JOIN participant p ON p.id = r.participant_id "
		"JOIN category c ON c.id = p.category_id "
		"WHERE r.mission_id = ?1 AND r.status = 'confirmed' "
		"ORDER BY fs_fold(p.family_name), fs_fold(p.given_name), p.ref",
	/* the facilitators of the mission's items (removed ones aside) */
	[Q_HANDOUT_FACILITATORS] =
		"SELECT f.name, f.organization FROM facilitator f "
		"WHERE EXISTS (SELECT 1 FROM item_facilitator x JOIN item i "
		"  ON i.id = x.item_id WHERE x.facilitator_id = f.id "
		"  AND i.mission_id = ?1 AND i.removed = 0) "
		"ORDER BY fs_fold(f.name), f.name",
	/* every registration not cancelled, for the links list */
	[Q_HANDOUT_LINKS] =
		"SELECT p.ref, p.given_name, p.family_name, p.email, p.language, "
		"ifnull(r.feed_token, '') "
		"FROM registration r JOIN participant p ON p.id = r.participant_id "
		"WHERE r.mission_id = ?1 AND r.status <> 'cancelled' "
		"ORDER BY fs_fold(p.family_name), fs_fold(p.given_name), p.ref",
	/* registrations whose personal page the last publish of the mission
	 * (into ?2) did not write: their addresses answer 404 until the next
	 * publish */
	[Q_HANDOUT_UNPUBLISHED] =
		"SELECT count(*) FROM registration r "
		"WHERE r.mission_id = ?1 AND r.status <> 'cancelled' "
		"AND NOT EXISTS (SELECT 1 FROM feed_file f WHERE f.dir = ?2 "
		"AND f.path = ?3 || '/p/' || r.feed_token || '.html')",
	[Q_CERT_PERSON] =
		"SELECT r.id, r.group_label, r.arrival, r.departure "
		"FROM registration r JOIN participant p ON p.id = r.participant_id "
		"WHERE p.ref = ?1 AND r.mission_id = ?2",
	[Q_CERT_ATTENDANCE] =
		"SELECT day_date, ifnull(item_id, 0), present FROM attendance "
		"WHERE registration_id = ?1",
	/* what a certificate counts: sessions, visits and ceremonies */
	[Q_CERT_ITEMS] =
		"SELECT i.id, i.day_date, i.start_time, i.end_time, i.audience, "
		"ifnull(mo.number, 0), ifnull(mo.title, ''), ifnull(mo.id, 0) "
		"FROM item i LEFT JOIN module mo ON mo.id = i.module_id "
		"WHERE i.mission_id = ?1 AND i.removed = 0 "
		"AND i.status = 'active' AND (i.kind = 'session' OR "
		"i.kind = 'visit' OR i.kind = 'ceremony') "
		"ORDER BY i.day_date, i.start_time, i.id",
	[Q_CERT_KEY_GET] = "SELECT key FROM certificate_key WHERE id = 1",
	[Q_CERT_KEY_PUT] =
		"INSERT OR IGNORE INTO certificate_key (id, key) VALUES (1, ?1)",
	[Q_CERT_ISSUE] =
		"INSERT OR IGNORE INTO certificate (mission_code, "
		"participant_ref, issued_at) VALUES (?1, ?2, ?3)",
	[Q_CERT_NUMBER] =
		"SELECT id, issued_at FROM certificate "
		"WHERE mission_code = ?1 AND participant_ref = ?2",
	[Q_CERT_BY_ID] =
		"SELECT mission_code, participant_ref, issued_at FROM certificate "
		"WHERE id = ?1",

	/* the identities an import has read, and the line of each: a table
	 * of the reader's own temporary database (import_rows.c), on disk
	 * past a small cache */
	[Q_IMPORT_KEY_TABLE] =
		"CREATE TEMP TABLE IF NOT EXISTS import_key (key TEXT PRIMARY "
		"KEY, line INTEGER NOT NULL) WITHOUT ROWID",
	/* SEEN_BATCH (import_rows.c) rows at once */
	[Q_IMPORT_KEY_ADD] =
		"INSERT INTO temp.import_key (key, line) VALUES " KEYS_128,
	[Q_IMPORT_KEY_LINE] = "SELECT line FROM temp.import_key WHERE key = ?1",
};
