-- 002-feeds: what calendar publishing needs.
--
-- A personal feed is addressed by a token of 128 random bits from the OS,
-- given to a registration the first time its feed is published and
-- replaced by `token rotate` (the old address then disappears).
-- feed_since is when the first token was issued: the CREATED stamp of the
-- arrival and departure events, which travel_sequence and travel_changed
-- version like an agenda item's SEQUENCE and LAST-MODIFIED.
ALTER TABLE registration ADD COLUMN feed_token TEXT;
ALTER TABLE registration ADD COLUMN feed_since TEXT NOT NULL DEFAULT '';
ALTER TABLE registration ADD COLUMN travel_sequence INTEGER NOT NULL DEFAULT 0;
ALTER TABLE registration ADD COLUMN travel_changed TEXT NOT NULL DEFAULT '';

CREATE TRIGGER registration_travel_changed
AFTER UPDATE OF arrival, departure ON registration
WHEN old.arrival IS NOT new.arrival OR old.departure IS NOT new.departure
BEGIN
	UPDATE registration
	SET travel_sequence = travel_sequence + 1,
	    travel_changed = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
	WHERE id = new.id;
END;

-- What every event of a mission shows from the mission itself: its zone
-- (the TZID of every time), its contact (the ORGANIZER), its city (the
-- arrival and departure titles).  A change must reach subscribers, so it
-- versions every event as an edit of the event would.
CREATE TRIGGER mission_feed_changed
AFTER UPDATE OF timezone, contact_name, contact_email, city ON mission
WHEN old.timezone IS NOT new.timezone
  OR old.contact_name IS NOT new.contact_name
  OR old.contact_email IS NOT new.contact_email
  OR old.city IS NOT new.city
BEGIN
	UPDATE item
	SET sequence = sequence + 1,
	    updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
	WHERE mission_id = new.id AND (old.timezone IS NOT new.timezone
	   OR old.contact_name IS NOT new.contact_name
	   OR old.contact_email IS NOT new.contact_email);
	UPDATE registration
	SET travel_sequence = travel_sequence + 1,
	    travel_changed = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
	WHERE mission_id = new.id;
END;

-- What the last publish into a directory wrote: per file (path relative
-- to dir), a digest of everything the file was made from, and its size and
-- mtime when written.  A publish skips a feed whose digest is unchanged and
-- whose file still has that size and mtime: re-publishing 150,000 personal
-- feeds then costs a stat each.  The table is a cache: losing it costs one
-- slower publish (contents are compared before anything is rewritten).
CREATE TABLE feed_file (
	dir    TEXT NOT NULL,
	path   TEXT NOT NULL,
	digest INTEGER NOT NULL,
	size   INTEGER NOT NULL,
	mtime  INTEGER NOT NULL,
	PRIMARY KEY (dir, path)
) WITHOUT ROWID;

-- Finding a registration by its feed address.  Partial: registrations get
-- a token only when their feed is first published, so imports do not pay.
CREATE UNIQUE INDEX registration_feed_token ON registration (feed_token)
	WHERE feed_token IS NOT NULL;
