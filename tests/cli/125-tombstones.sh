#!/bin/bash
# Cancelled tombstones are kept for what subscribers may have seen, and
# only for that: a fresh demo's feeds hold no "Cancelled:" left by the
# demo's own planning; after a publish, a re-plan that removes visits
# leaves them in the feeds, cancelled; an item removed before any feed
# held it goes without a trace.
. "$(dirname "$0")/lib.sh"

ok fs demo --out demo
export FIELDSCHOOL_DB=$TMP/demo/fieldschool.db
check "the fresh demo's feeds hold no cancelled event" \
	bash -c "! grep -rl -e 'SUMMARY:Cancelled:' -e 'STATUS:CANCELLED' demo/feeds"
eq "removed rows after the demo's planning" "$(sql 'select count(*) from item where removed = 1')" 0
eq "every item the demo published is marked" "$(sql 'select count(*) from item where published = 0')" 0

# publish, re-plan (fewer visits per group: visit items go), publish
ok fs publish mx-2027 --out feeds
uids_before=$(tr -d '\r' <feeds/mx-2027/mx-2027.ics | grep '^UID:' | sort)
ok fs plan visits mx-2027 --per-group 1
expect_stdout 'agenda: .* [1-9][0-9]* removed$'
n_removed=$(sed -n 's/.* \([0-9]*\) removed$/\1/p' "$LAST_OUT")
ok fs publish mx-2027 --out feeds
eq "removed visits stay in the feed, cancelled" \
	"$(tr -d '\r' <feeds/mx-2027/mx-2027.ics | grep -c '^SUMMARY:Cancelled: ')" "$n_removed"
eq "every UID of the first publish is still in the feed" \
	"$(tr -d '\r' <feeds/mx-2027/mx-2027.ics | grep '^UID:' | sort | comm -23 <(echo "$uids_before") - | wc -l)" 0
ok "$PYTHON" "$FIELDSCHOOL_SRC/tests/ics_check.py" --quiet --require-libical \
	feeds/mx-2027/mx-2027.ics

# An item added after the publish and removed before the next one: gone.
ok fs agenda add mx-2027 --ref late-1 --day 2 --start 20:00 --end 21:00 \
	--kind session --title "Evening talk"
ok fs agenda remove late-1 --mission mx-2027
expect_stdout '^late-1: removed$'
eq "an unpublished removed item leaves no row" "$(sql "select count(*) from item where ref = 'late-1'")" 0
fails 3 fs agenda remove late-1 --mission mx-2027
# its ref can be used again, for a new item
ok fs agenda add mx-2027 --ref late-1 --day 2 --start 20:00 --end 21:00 \
	--kind session --title "Evening talk again"

# ics counts as publishing: whoever got that file may have subscribed
ok fs ics mx-2027 -o one.ics
ok fs agenda remove late-1 --mission mx-2027
eq "an item written by ics stays as a tombstone" "$(sql "select removed from item where ref = 'late-1'")" 1
ok fs ics mx-2027
expect_stdout '^SUMMARY:Cancelled: Evening talk again'

# An unpublished item with attendance keeps its row (and the attendance).
ok fs agenda add mx-2027 --ref late-2 --day 2 --start 20:00 --end 21:00 \
	--kind session --title "Evening talk 2"
ref=$(sql "select p.ref from registration r join participant p on p.id = r.participant_id join mission m on m.id = r.mission_id where m.code = 'mx-2027' and r.status = 'confirmed' order by p.ref limit 1")
ok fs attend mark --date 2027-05-11 --mission mx-2027 --session late-2 "$ref"
ok fs agenda remove late-2 --mission mx-2027
eq "an item with attendance keeps its row" "$(sql "select removed from item where ref = 'late-2'")" 1
eq "and its attendance" "$(sql "select count(*) from attendance a join item i on i.id = a.item_id where i.ref = 'late-2'")" 1

finish
