-- 004-publication: where a mission was last published, and under which
-- address.  The base URL given to `publish --base-url` is remembered so
-- that later publishes, pages, hand-outs (badges' QR codes, the links
-- list) and `token show` all give the same addresses without repeating
-- it.  dir is the output directory as an absolute path.
CREATE TABLE publication (
	mission_id   INTEGER PRIMARY KEY REFERENCES mission (id)
	             ON DELETE CASCADE,
	base_url     TEXT NOT NULL DEFAULT '',
	dir          TEXT NOT NULL DEFAULT '',
	published_at TEXT NOT NULL DEFAULT ''
);
