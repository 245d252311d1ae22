-- 003-finance: the finance rules of a mission, for the Excel rosters.
--
-- travel_share: the share of the daily per-diem rate, in percent, paid for
--   each travel day (the day of arrival and the day of departure when they
--   fall outside the mission's days).  75 is the common rule.
-- meal_deduction: deducted from the per diem for each day present, for the
--   meals the programme provides; integer minor units (cents) like per_diem.
--
-- Attendance needs nothing new: the attendance table of 001 already keeps
-- one row per registration, day and (optionally) session.
--
-- The site-visit manifests list a mission's confirmed registrations group by
-- group; without this index each group scans the whole mission (44 scans of
-- 50,000 rows for the large benchmark).
CREATE INDEX registration_group ON registration (mission_id, group_label);
ALTER TABLE mission ADD COLUMN travel_share INTEGER NOT NULL DEFAULT 75
	CHECK (travel_share BETWEEN 0 AND 100);
ALTER TABLE mission ADD COLUMN meal_deduction INTEGER NOT NULL DEFAULT 0
	CHECK (meal_deduction >= 0);
