/*
 * queries.c - every SQL statement the library runs, by name.
 *
 * Conventions: ?1 is the row's id or key.  In UPDATEs a NULL parameter keeps
 * the stored value (coalesce), and numbers that may be cleared come as a
 * pair (value, given): CASE WHEN given THEN value ELSE column END.  UPDATEs
 * compare old and new values and touch only rows that differ, so that
 * sqlite3_changes() and RETURNING tell whether anything changed.
 */
#include "queries.h"

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
		"'', "
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
		"per_diem, nightly_rate, contact_name, contact_email) VALUES "
		"(?1, ?2, ?3, ?4, ?5, ?6, ?7, coalesce(?8, ''), "
		"coalesce(?9, ''), ?10, ?12, ?14, coalesce(?16, ''), ?17, ?19, "
		"coalesce(?21, ''), coalesce(?22, ''))",
	[Q_MISSION_UPDATE] =
		"UPDATE mission AS m SET title = n.title, country = n.country, "
		"city = n.city, timezone = n.timezone, start_date = n.start_date, "
		"days = n.days, venue = n.venue, address = n.address, "
		"lat = n.lat, lon = n.lon, capacity = n.capacity, "
		"currency = n.currency, per_diem = n.per_diem, "
		"nightly_rate = n.nightly_rate, contact_name = n.contact_name, "
		"contact_email = n.contact_email "
		"FROM (SELECT coalesce(?2, title) AS title, "
		"  coalesce(?3, country) AS country, coalesce(?4, city) AS city, "
		"  coalesce(?5, timezone) AS timezone, "
		"  coalesce(?6, start_date) AS start_date, "
		"  coalesce(?7, days) AS days, coalesce(?8, venue) AS venue, "
		"  coalesce(?9, address) AS address, "
		"  CASE WHEN ?11 THEN ?10 ELSE lat END AS lat, "
		"  CASE WHEN ?13 THEN ?12 ELSE lon END AS lon, "
		"  CASE WHEN ?15 THEN ?14 ELSE capacity END AS capacity, "
		"  coalesce(?16, currency) AS currency, "
		"  CASE WHEN ?18 THEN ?17 ELSE per_diem END AS per_diem, "
		"  CASE WHEN ?20 THEN ?19 ELSE nightly_rate END AS nightly_rate, "
		"  coalesce(?21, contact_name) AS contact_name, "
		"  coalesce(?22, contact_email) AS contact_email "
		"  FROM mission WHERE code = ?1) AS n "
		"WHERE m.code = ?1 AND (m.title, m.country, m.city, m.timezone, "
		"m.start_date, m.days, m.venue, m.address, m.lat, m.lon, "
		"m.capacity, m.currency, m.per_diem, m.nightly_rate, "
		"m.contact_name, m.contact_email) IS NOT (n.title, n.country, "
		"n.city, n.timezone, n.start_date, n.days, n.venue, n.address, "
		"n.lat, n.lon, n.capacity, n.currency, n.per_diem, "
		"n.nightly_rate, n.contact_name, n.contact_email)",
	[Q_MISSION_ITEMS_OUTSIDE] =
		"SELECT count(*) FROM item WHERE mission_id = ?1 AND removed = 0 "
		"AND (day_date < ?2 OR day_date > ?3)",
	[Q_MISSION_USAGE] =
		"SELECT (SELECT count(*) FROM registration WHERE mission_id = ?1), "
		"(SELECT count(*) FROM item WHERE mission_id = ?1 AND removed = 0)",
	[Q_MISSION_DELETE] = "DELETE FROM mission WHERE id = ?1",
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
		"UPDATE place SET address = coalesce(?2, address), "
		"lat = CASE WHEN ?4 THEN ?3 ELSE lat END, "
		"lon = CASE WHEN ?6 THEN ?5 ELSE lon END WHERE id = ?1",
	[Q_PLACE_LIST] =
		"SELECT name, address, lat, lon, (SELECT count(*) FROM item i "
		"WHERE i.place_id = p.id AND i.removed = 0) "
		"FROM place p ORDER BY name",
	[Q_FACILITATOR_ID] = "SELECT id FROM facilitator WHERE name = ?1",
	[Q_FACILITATOR_ADD] = "INSERT INTO facilitator (name) VALUES (?1)",
	[Q_FACILITATOR_UPDATE] =
		"UPDATE facilitator SET email = coalesce(?2, email), "
		"organization = coalesce(?3, organization) WHERE id = ?1",
	[Q_FACILITATOR_LIST] =
		"SELECT name, email, organization, (SELECT count(*) "
		"FROM item_facilitator x JOIN item i ON i.id = x.item_id "
		"WHERE x.facilitator_id = f.id AND i.removed = 0) "
		"FROM facilitator f ORDER BY name",

	/* participants and registrations */
	[Q_PARTICIPANT_BY_REF] = "SELECT id FROM participant WHERE ref = ?1",
	[Q_PARTICIPANT_BY_EMAIL] =
		"SELECT id FROM participant WHERE email = ?1 COLLATE NOCASE "
		"AND email <> ''",
	[Q_PARTICIPANT_INSERT] =
		"INSERT INTO participant (ref, given_name, family_name, email, "
		"phone, organization, position, category_id, country, language, "
		"dietary, accessibility) VALUES (coalesce(?2, 'P' || "
		"printf('%06d', (SELECT ifnull(max(id), 0) + 1 "
		"FROM participant))), ?3, ?4, coalesce(?5, ''), "
		"coalesce(?6, ''), coalesce(?7, ''), coalesce(?8, ''), ?9, "
		"coalesce(?10, ''), coalesce(?11, ''), coalesce(?12, ''), "
		"coalesce(?13, '')) RETURNING id, ref",
	[Q_PARTICIPANT_UPDATE] =
		"UPDATE participant AS p SET given_name = n.g, family_name = n.f, "
		"email = n.e, phone = n.ph, organization = n.o, position = n.po, "
		"category_id = n.c, country = n.co, language = n.l, "
		"dietary = n.d, accessibility = n.a "
		"FROM (SELECT coalesce(?3, given_name) AS g, "
		"  coalesce(?4, family_name) AS f, coalesce(?5, email) AS e, "
		"  coalesce(?6, phone) AS ph, coalesce(?7, organization) AS o, "
		"  coalesce(?8, position) AS po, coalesce(?9, category_id) AS c, "
		"  coalesce(?10, country) AS co, coalesce(?11, language) AS l, "
		"  coalesce(?12, dietary) AS d, coalesce(?13, accessibility) AS a "
		"  FROM participant WHERE id = ?1) AS n "
		"WHERE p.id = ?1 AND (p.given_name, p.family_name, p.email, "
		"p.phone, p.organization, p.position, p.category_id, p.country, "
		"p.language, p.dietary, p.accessibility) IS NOT (n.g, n.f, n.e, "
		"n.ph, n.o, n.po, n.c, n.co, n.l, n.d, n.a) RETURNING p.id, p.ref",
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
	[Q_PARTICIPANT_DELETE] = "DELETE FROM participant WHERE ref = ?1",
	[Q_REGISTRATION_FIND] =
		"SELECT id, arrival, departure FROM registration "
		"WHERE participant_id = ?1 AND (?2 IS NULL OR mission_id = ?2)",
	[Q_REGISTRATION_INSERT] =
		"INSERT INTO registration (participant_id, mission_id, status, "
		"arrival, departure, funded, group_label) VALUES (?2, ?3, "
		"coalesce(?4, 'applied'), coalesce(?5, ''), coalesce(?6, ''), "
		"coalesce(?7, 1), coalesce(?8, ''))",
	[Q_REGISTRATION_UPDATE] =
		"UPDATE registration AS r SET status = n.s, arrival = n.a, "
		"departure = n.d, funded = n.f, group_label = n.g "
		"FROM (SELECT coalesce(?4, status) AS s, coalesce(?5, arrival) AS a, "
		"  coalesce(?6, departure) AS d, coalesce(?7, funded) AS f, "
		"  coalesce(?8, group_label) AS g FROM registration WHERE id = ?1) "
		"  AS n "
		"WHERE r.id = ?1 AND (r.status, r.arrival, r.departure, r.funded, "
		"r.group_label) IS NOT (n.s, n.a, n.d, n.f, n.g)",
	[Q_REGISTRATION_DELETE] =
		"DELETE FROM registration WHERE mission_id = ?2 AND "
		"participant_id = (SELECT id FROM participant WHERE ref = ?1)",

	/* agenda items */
	[Q_ITEM_FIND] =
		"SELECT id, day_date, start_time, end_time, removed FROM item "
		"WHERE mission_id = ?1 AND ref = ?2",
	[Q_ITEM_LOCATE] =
		"SELECT m.code FROM item i JOIN mission m ON m.id = i.mission_id "
		"WHERE i.ref = ?1 AND i.removed = 0 AND (?2 IS NULL OR m.code = ?2)",
	[Q_ITEM_INSERT] =
		"INSERT INTO item (mission_id, ref, uid, created_at, updated_at, "
		"day_date, start_time, end_time, kind, title, module_id, "
		"place_id, host, capacity, audience, description) VALUES (?2, ?3, "
		"?4, ?5, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?13, coalesce(?15, ''), "
		"?16, coalesce(?18, 'all'), coalesce(?19, '')) RETURNING id",
	/* SEQUENCE rises when the day, times, title, place or presence
	 * change; a removed item imported again comes back active. */
	[Q_ITEM_UPDATE] =
		"UPDATE item AS i SET day_date = n.day_date, "
		"start_time = n.start_time, end_time = n.end_time, kind = n.kind, "
		"title = n.title, module_id = n.module_id, place_id = n.place_id, "
		"host = n.host, capacity = n.capacity, audience = n.audience, "
		"description = n.description, removed = 0, "
		"status = CASE WHEN i.removed THEN 'active' ELSE i.status END, "
		"sequence = i.sequence + ((i.day_date, i.start_time, i.end_time, "
		"  i.title, i.place_id, i.removed) IS NOT (n.day_date, "
		"  n.start_time, n.end_time, n.title, n.place_id, 0)), "
		"updated_at = ?5 "
		"FROM (SELECT coalesce(?6, day_date) AS day_date, "
		"  coalesce(?7, start_time) AS start_time, "
		"  coalesce(?8, end_time) AS end_time, coalesce(?9, kind) AS kind, "
		"  coalesce(?10, title) AS title, "
		"  CASE WHEN ?12 THEN ?11 ELSE module_id END AS module_id, "
		"  CASE WHEN ?14 THEN ?13 ELSE place_id END AS place_id, "
		"  coalesce(?15, host) AS host, "
		"  CASE WHEN ?17 THEN ?16 ELSE capacity END AS capacity, "
		"  coalesce(?18, audience) AS audience, "
		"  coalesce(?19, description) AS description "
		"  FROM item WHERE id = ?1) AS n "
		"WHERE i.id = ?1 AND (i.day_date, i.start_time, i.end_time, "
		"i.kind, i.title, i.module_id, i.place_id, i.host, i.capacity, "
		"i.audience, i.description, i.removed) IS NOT (n.day_date, "
		"n.start_time, n.end_time, n.kind, n.title, n.module_id, "
		"n.place_id, n.host, n.capacity, n.audience, n.description, 0) "
		"RETURNING i.id",
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
};
