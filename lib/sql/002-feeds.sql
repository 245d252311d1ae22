-- 002-feeds: reserved (calendar feeds); replaced on merge
SELECT 1;
