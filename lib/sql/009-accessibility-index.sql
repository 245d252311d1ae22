-- 009-accessibility-index: the few participants with an accessibility
-- need, indexed by themselves, so that the roster's list for the hosts of
-- each visit reads those few rather than every registration of the
-- mission (a partial index: the others add nothing to it).
CREATE INDEX participant_accessibility ON participant (id)
	WHERE accessibility <> '';
