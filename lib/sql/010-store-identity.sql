-- 010-store-identity: a random name for this database, made once.
--
-- Several databases may publish into one directory (country teams sharing
-- a web directory).  Each publish records in DIR/.fieldschool-manifest
-- which database published each mission, so that a publish keeps the
-- missions another database put there and sweeps only the files of
-- missions this database removed.  A copy of the file (cp a.db b.db)
-- shares the name: give the copy its own with
-- UPDATE store_identity SET id = lower(hex(randomblob(16))).
CREATE TABLE store_identity (
	id TEXT NOT NULL PRIMARY KEY
);
INSERT INTO store_identity (id) VALUES (lower(hex(randomblob(16))));
