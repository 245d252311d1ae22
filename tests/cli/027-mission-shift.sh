#!/bin/bash
# fieldschool mission shift: a mission moves in time with its agenda, its
# participants' travel and its attendance, in one transaction; calendar
# UIDs stay and SEQUENCE rises, for agenda items and travel events alike.
. "$(dirname "$0")/lib.sh"

new_db
ok fs mission add --title "Berlin school" --country DE --city Berlin \
	--timezone Europe/Berlin --start 2027-03-15 --days 4 \
	--contact-email team@example.org be-2027
for d in 1 2 3 4; do
	ok fs agenda add be-2027 --ref s$d --day $d --start 02:30 --end 10:00 \
		--kind session --title "Day $d" --place Hall
done
ok fs agenda add be-2027 --ref gone --day 2 --start 11:00 --end 12:00 \
	--kind session --title "Gone"
ok fs participant add --ref P1 --given-name Ana --family-name Ruiz \
	--category 1 --mission be-2027 --status confirmed \
	--arrival 2027-03-14T18:30 --departure 2027-03-19
ok fs participant add --ref P2 --given-name Bo --family-name Li \
	--category 2 --mission be-2027 --status confirmed
ok fs attend mark --date 2027-03-16 --mission be-2027 P1
ok fs attend mark --date 2027-03-17 --mission be-2027 P1
ok fs publish be-2027 --out feeds
ok fs agenda remove gone --mission be-2027
token=$(sql "select feed_token from registration r join participant p on p.id = r.participant_id where p.ref = 'P1'").ics
feed_json() { # feed_json FILE OUT: what an independent reader finds
	"$PYTHON" "$FIELDSCHOOL_SRC/tests/ics_check.py" --quiet --require-libical \
		--organizer --json "$2" "$1"
}
ok fs publish be-2027 --out feeds
check "feeds before the shift are valid" feed_json feeds/be-2027/be-2027.ics before.json
check "P1's feed before the shift is valid" feed_json "feeds/be-2027/p/$token" before-p.json

# mission edit --start still refuses to strand the agenda, and says how
snapshot before
fails 3 fs mission edit be-2027 --start 2027-04-12
expect_stderr_fixed "move them first, or move the whole mission with 'fieldschool mission shift be-2027 --start DATE'"

# usage and input errors
fails 2 fs mission shift be-2027
expect_stderr '^usage: fieldschool mission shift CODE --start YYYY-MM-DD'
fails 2 fs mission shift --start 2027-04-12
fails 3 fs mission shift be-2027 --start 2027-02-30
expect_stderr_fixed "fieldschool: --start '2027-02-30': no such day in the calendar"
fails 3 fs mission shift nope --start 2027-04-12
expect_stderr_fixed "fieldschool: no mission 'nope'"
# a shift that would put an item at a time the clocks skip (Berlin,
# 28 March 2027, 02:00-03:00) is refused whole
fails 3 fs mission shift be-2027 --start 2027-03-25
expect_stderr_fixed "fieldschool: agenda item 's4' would start at 02:30 on 2027-03-28, a time that does not exist in Europe/Berlin (the clocks go forward): move it first"
unchanged_since before
ok fs mission shift be-2027 --start 2027-03-15
expect_stdout '^be-2027: unchanged'
unchanged_since before

# four weeks later
ok fs mission shift be-2027 --start 2027-04-12
expect_stdout '^be-2027: now starts on 2027-04-12 \(28 days later\): 5 agenda items, the travel of 1 registration and 2 attendance records moved$'
eq "mission start" "$(fs mission show be-2027 --json | json_field start)" 2027-04-12
eq "mission end" "$(fs mission show be-2027 --json | json_field end)" 2027-04-15
ok fs agenda export be-2027
check "every item keeps its day number and moves 28 days" "$PYTHON" -c '
import csv, sys, datetime as dt
rows = {r["ref"]: r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
assert sorted(rows) == ["s1", "s2", "s3", "s4"], sorted(rows)
for d in range(1, 5):
    r = rows[f"s{d}"]
    assert r["day"] == str(d), r
    assert r["date"] == str(dt.date(2027, 4, 11 + d)), r
    assert (r["start"], r["end"]) == ("02:30", "10:00"), r' "$LAST_OUT"
eq "P1 arrival" "$(sql "select arrival from registration r join participant p on p.id = r.participant_id where p.ref = 'P1'")" 2027-04-11T18:30
eq "P1 departure" "$(sql "select departure from registration r join participant p on p.id = r.participant_id where p.ref = 'P1'")" 2027-04-16
eq "P2 travel stays empty" "$(sql "select arrival || departure from registration r join participant p on p.id = r.participant_id where p.ref = 'P2'")" ""
ok fs attend list be-2027
expect_stdout '2027-04-13'
ok fs certificates be-2027 --all
check "attendance still counts for P1" grep -q '^P1,' "$LAST_OUT"

# the feeds: same UIDs, higher SEQUENCE, the new instants
ok fs publish be-2027 --out feeds
check "feeds after the shift are valid" feed_json feeds/be-2027/be-2027.ics after.json
check "P1's feed after the shift is valid" feed_json "feeds/be-2027/p/$token" after-p.json
check "same UIDs, SEQUENCE up by one, 28 days later" "$PYTHON" -c '
import json, sys, datetime as dt
def events(path):
    return {e["uid"]: e for e in json.load(open(path))[0]["events"]}
for a, b in ((sys.argv[1], sys.argv[2]), (sys.argv[3], sys.argv[4])):
    old, new = events(a), events(b)
    assert old.keys() == new.keys(), (old.keys(), new.keys())
    for uid, e in old.items():
        n = new[uid]
        assert n["sequence"] == e["sequence"] + 1, (uid, e["sequence"], n["sequence"])
        if e["start_utc"]:
            t = lambda s: dt.datetime.strptime(s, "%Y%m%dT%H%M%SZ")
            shift = t(n["start_utc"]) - t(e["start_utc"])
            # Berlin: March is CET, April CEST: one hour less in UTC
            assert shift in (dt.timedelta(days=28), dt.timedelta(days=28, hours=-1)), (uid, shift)
        else:
            assert e["start"] != n["start"], uid
' before.json after.json before-p.json after-p.json

# and back again, earlier
ok fs mission shift be-2027 --start 2027-03-08
expect_stdout '^be-2027: now starts on 2027-03-08 \(35 days earlier\)'
eq "P1 arrival after moving back" "$(sql "select arrival from registration r join participant p on p.id = r.participant_id where p.ref = 'P1'")" 2027-03-07T18:30
# one day on: each attendance record moves onto a day another still holds
ok fs --json mission shift be-2027 --start 2027-03-09
eq "--json days" "$(json_field days <"$LAST_OUT")" 1
eq "--json items" "$(json_field items <"$LAST_OUT")" 5
eq "--json attendance" "$(json_field attendance <"$LAST_OUT")" 2
eq "attendance days after the shifts" "$(sql "select group_concat(day_date, ' ') from (select day_date from attendance order by day_date)")" "2027-03-10 2027-03-11"

finish
