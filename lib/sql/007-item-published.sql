-- 007-item-published: whether subscribers may have seen an agenda item.
--
-- publish and ics set published = 1 on every item of the mission they
-- write.  Removing an item that was never published deletes its row (no
-- calendar holds its UID, so nothing needs a cancelled tombstone);
-- removing a published one keeps the row as before (removed = 1), so that
-- the feeds go on showing it as cancelled.  An item with attendance keeps
-- its row too.
ALTER TABLE item ADD COLUMN published INTEGER NOT NULL DEFAULT 0
	CHECK (published BETWEEN 0 AND 1);

-- An older database does not know what it published: keep every
-- tombstone it would have kept.
UPDATE item SET published = 1;
