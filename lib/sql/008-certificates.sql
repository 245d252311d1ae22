-- 008-certificates: the numbers of certificates of completion.  A number
-- is issued once per mission and participant (by their codes, so that it
-- survives the registration being edited) and kept: the same person gets
-- the same number on every run.  id is AUTOINCREMENT so that a number is
-- never given again, even after rows are deleted.  The number printed is
-- the mission code, the id and a check code: a keyed hash (SipHash-2-4)
-- of the three under the database's own random key, so that a number
-- cannot be made up or altered without it showing.
CREATE TABLE certificate (
	id              INTEGER PRIMARY KEY AUTOINCREMENT,
	mission_code    TEXT NOT NULL,
	participant_ref TEXT NOT NULL,
	issued_at       TEXT NOT NULL,
	UNIQUE (mission_code, participant_ref)
);

CREATE TABLE certificate_key (
	id  INTEGER PRIMARY KEY CHECK (id = 1),
	key BLOB NOT NULL CHECK (length(key) = 16)
);
