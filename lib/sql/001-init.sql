-- 001-init: the first schema.  CHECKs use OR rather than IN (...): SQLite
-- builds a temporary table for every IN list it checks, on every insert.
--  Never edit a migration once it has landed;
-- add 002-....sql instead.  Dates are ISO 8601 text: 'YYYY-MM-DD' for days,
-- 'HH:MM' for mission-local clock times, 'YYYY-MM-DDTHH:MM:SSZ' (UTC) for
-- change stamps.  Money is integer minor units (cents) of the mission's
-- currency.

CREATE TABLE category (
	id          INTEGER PRIMARY KEY,
	number      INTEGER NOT NULL UNIQUE CHECK (number > 0),
	code        TEXT NOT NULL UNIQUE CHECK (code <> ''),
	name        TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT ''
);

-- The curriculum templates: the seminar's four modules, the e-course's six.
CREATE TABLE module (
	id         INTEGER PRIMARY KEY,
	curriculum TEXT NOT NULL,
	number     INTEGER NOT NULL,
	code       TEXT NOT NULL UNIQUE,
	title      TEXT NOT NULL,
	topics     TEXT NOT NULL DEFAULT '',
	UNIQUE (curriculum, number)
);

CREATE TABLE mission (
	id            INTEGER PRIMARY KEY,
	code          TEXT NOT NULL UNIQUE CHECK (code <> ''),
	title         TEXT NOT NULL,
	country       TEXT NOT NULL,
	city          TEXT NOT NULL,
	timezone      TEXT NOT NULL,
	start_date    TEXT NOT NULL,
	days          INTEGER NOT NULL CHECK (days BETWEEN 3 AND 4),
	venue         TEXT NOT NULL DEFAULT '',
	address       TEXT NOT NULL DEFAULT '',
	lat           REAL,
	lon           REAL,
	capacity      INTEGER CHECK (capacity >= 0),
	currency      TEXT NOT NULL DEFAULT '',
	per_diem      INTEGER CHECK (per_diem >= 0),
	nightly_rate  INTEGER CHECK (nightly_rate >= 0),
	contact_name  TEXT NOT NULL DEFAULT '',
	contact_email TEXT NOT NULL DEFAULT ''
);

CREATE TABLE mission_quota (
	mission_id  INTEGER NOT NULL REFERENCES mission(id) ON DELETE CASCADE,
	category_id INTEGER NOT NULL REFERENCES category(id) ON DELETE RESTRICT,
	seats       INTEGER NOT NULL CHECK (seats >= 0),
	PRIMARY KEY (mission_id, category_id)
) WITHOUT ROWID;

CREATE TABLE participant (
	id            INTEGER PRIMARY KEY,
	ref           TEXT NOT NULL UNIQUE CHECK (ref <> ''),
	given_name    TEXT NOT NULL,
	family_name   TEXT NOT NULL,
	email         TEXT NOT NULL DEFAULT '',
	phone         TEXT NOT NULL DEFAULT '',
	organization  TEXT NOT NULL DEFAULT '',
	position      TEXT NOT NULL DEFAULT '',
	category_id   INTEGER NOT NULL REFERENCES category(id) ON DELETE RESTRICT,
	country       TEXT NOT NULL DEFAULT '',
	language      TEXT NOT NULL DEFAULT '',
	dietary       TEXT NOT NULL DEFAULT '',
	accessibility TEXT NOT NULL DEFAULT ''
);
-- No index on email: it is the key only of rows without a ref, and keeping
-- an index of random keys up to date costs a bulk import a third of its time.
-- participant.c builds an in-memory map of emails when it first needs one.

CREATE TABLE registration (
	id             INTEGER PRIMARY KEY,
	participant_id INTEGER NOT NULL REFERENCES participant(id) ON DELETE CASCADE,
	mission_id     INTEGER NOT NULL REFERENCES mission(id) ON DELETE CASCADE,
	status         TEXT NOT NULL DEFAULT 'applied'
		CHECK (status = 'applied' OR status = 'confirmed' OR
		       status = 'waitlisted' OR status = 'cancelled'),
	arrival        TEXT NOT NULL DEFAULT '',
	departure      TEXT NOT NULL DEFAULT '',
	funded         INTEGER NOT NULL DEFAULT 1 CHECK (funded BETWEEN 0 AND 1),
	group_label    TEXT NOT NULL DEFAULT '',
	UNIQUE (participant_id, mission_id)
);
CREATE INDEX registration_mission ON registration (mission_id);

CREATE TABLE place (
	id      INTEGER PRIMARY KEY,
	name    TEXT NOT NULL UNIQUE CHECK (name <> ''),
	address TEXT NOT NULL DEFAULT '',
	lat     REAL CHECK (lat BETWEEN -90 AND 90),
	lon     REAL CHECK (lon BETWEEN -180 AND 180)
);

CREATE TABLE facilitator (
	id           INTEGER PRIMARY KEY,
	name         TEXT NOT NULL UNIQUE CHECK (name <> ''),
	email        TEXT NOT NULL DEFAULT '',
	organization TEXT NOT NULL DEFAULT ''
);

-- An agenda item.  uid is assigned once, at creation, from random bytes and
-- never changes; sequence rises when the time, place, title or status
-- changes (RFC 5545 3.8.7.4); updated_at moves with any change.  A removed
-- item keeps its row (removed = 1) so that feeds can go on showing it as
-- cancelled for the mission's lifetime.
CREATE TABLE item (
	id          INTEGER PRIMARY KEY,
	mission_id  INTEGER NOT NULL REFERENCES mission(id) ON DELETE CASCADE,
	ref         TEXT NOT NULL CHECK (ref <> ''),
	uid         TEXT NOT NULL UNIQUE,
	sequence    INTEGER NOT NULL DEFAULT 0,
	created_at  TEXT NOT NULL,
	updated_at  TEXT NOT NULL,
	day_date    TEXT NOT NULL,
	start_time  TEXT NOT NULL,
	end_time    TEXT NOT NULL,
	kind        TEXT NOT NULL
		CHECK (kind = 'session' OR kind = 'visit' OR kind = 'travel' OR
		       kind = 'meal' OR kind = 'break' OR kind = 'ceremony'),
	title       TEXT NOT NULL,
	module_id   INTEGER REFERENCES module(id) ON DELETE RESTRICT,
	place_id    INTEGER REFERENCES place(id) ON DELETE RESTRICT,
	host        TEXT NOT NULL DEFAULT '',
	capacity    INTEGER CHECK (capacity > 0),
	audience    TEXT NOT NULL DEFAULT 'all',
	description TEXT NOT NULL DEFAULT '',
	status      TEXT NOT NULL DEFAULT 'active'
		CHECK (status = 'active' OR status = 'cancelled'),
	removed     INTEGER NOT NULL DEFAULT 0 CHECK (removed BETWEEN 0 AND 1),
	UNIQUE (mission_id, ref)
);
CREATE INDEX item_day ON item (mission_id, day_date, start_time);

CREATE TABLE item_facilitator (
	item_id        INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
	facilitator_id INTEGER NOT NULL REFERENCES facilitator(id) ON DELETE RESTRICT,
	position       INTEGER NOT NULL,
	PRIMARY KEY (item_id, facilitator_id)
) WITHOUT ROWID;
CREATE INDEX item_facilitator_by_facilitator ON item_facilitator (facilitator_id);

-- Who signed in, for which day or session: the basis of per diem and
-- certificates.  item_id NULL means the whole day.
CREATE TABLE attendance (
	id              INTEGER PRIMARY KEY,
	registration_id INTEGER NOT NULL REFERENCES registration(id) ON DELETE CASCADE,
	day_date        TEXT NOT NULL,
	item_id         INTEGER REFERENCES item(id) ON DELETE CASCADE,
	present         INTEGER NOT NULL CHECK (present BETWEEN 0 AND 1),
	recorded_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX attendance_once
	ON attendance (registration_id, day_date, ifnull(item_id, 0));
