#!/bin/bash
# The hour the clocks go back happens twice.  An agenda item or a travel
# time in it means the first occurrence (RFC 5545 3.3.5); the feeds write
# such times in UTC so that every reader agrees (python3-icalendar and
# libical take the second when given a TZID), and check warns about them,
# as about travel times the clocks skip.
. "$(dirname "$0")/lib.sh"

new_db
# Berlin, Sunday 31 October 2027: 03:00 CEST becomes 02:00 CET
ok fs mission add --title "Berlin school" --country DE --city Berlin \
	--timezone Europe/Berlin --start 2027-10-29 --days 4 \
	--contact-email team@example.org be-2027
ok fs agenda add be-2027 --ref s1 --day 3 --start 02:30 --end 03:30 \
	--kind session --title "Starts twice"
ok fs agenda add be-2027 --ref s2 --day 3 --start 01:30 --end 02:15 \
	--kind session --title "Ends twice"
ok fs agenda add be-2027 --ref s3 --day 3 --start 09:00 --end 10:00 \
	--kind session --title "Plain"
ok fs agenda add be-2027 --ref s4 --day 2 --start 02:30 --end 03:00 \
	--kind session --title "Saturday night"
ok fs participant add --ref P1 --given-name Ana --family-name Ruiz \
	--category 1 --mission be-2027 --status confirmed \
	--arrival 2027-10-31T02:30 --departure 2027-11-01T12:00
ok fs participant add --ref P2 --given-name Bo --family-name Li \
	--category 1 --mission be-2027 --status confirmed \
	--arrival 2027-10-31T01:45 --departure 2027-11-01
ok fs publish be-2027 --out feeds
token() { sql "select feed_token from registration r join participant p on p.id = r.participant_id where p.ref = '$1'"; }
P1=feeds/be-2027/p/$(token P1).ics
P2=feeds/be-2027/p/$(token P2).ics

# zoneinfo, the feed's own VTIMEZONE, python3-icalendar and libical agree
ok "$PYTHON" "$FIELDSCHOOL_SRC/tests/ics_check.py" --require-libical \
	--organizer --json all.json feeds/be-2027/be-2027.ics "$P1" "$P2"
ev() { # ev FILE-INDEX UID-OR-SUMMARY KEY
	"$PYTHON" -c '
import json, sys
feeds = json.load(open("all.json"))
for e in feeds[int(sys.argv[1])]["events"]:
    if e["summary"] == sys.argv[2] or e["uid"].startswith(sys.argv[2]):
        print(e.get(sys.argv[3]) or "")' "$@"
}
eq "02:30 (first, CEST) as UTC" "$(ev 0 'Starts twice' start_utc)" 20271031T003000Z
eq "03:30 CET" "$(ev 0 'Starts twice' end_utc)" 20271031T023000Z
eq "01:30 CEST" "$(ev 0 'Ends twice' start_utc)" 20271030T233000Z
eq "02:15, the first" "$(ev 0 'Ends twice' end_utc)" 20271031T001500Z
eq "a plain time keeps its zone" "$(ev 0 Plain tzid)" Europe/Berlin
eq "a plain time" "$(ev 0 Plain start_utc)" 20271031T080000Z
eq "02:30 on the day before is plain" "$(ev 0 'Saturday night' tzid)" Europe/Berlin
eq "arrival at 02:30: the first" "$(ev 1 arrival- start_utc)" 20271031T003000Z
eq "arrival lasts 30 minutes" "$(ev 1 arrival- end_utc)" 20271031T010000Z
eq "arrival at 01:45 ending in the repeated hour" "$(ev 2 arrival- start_utc)" 20271030T234500Z
eq "its end, 30 minutes on" "$(ev 2 arrival- end_utc)" 20271031T001500Z
eq "departure keeps its zone" "$(ev 1 departure- tzid)" Europe/Berlin
check "the raw DTSTART is UTC" grep -q $'^DTSTART:20271031T003000Z\r$' feeds/be-2027/be-2027.ics

# check: a warning for each time in the repeated hour, none for the rest
ok fs check be-2027
expect_stdout "^be-2027: warning: s1: starts at 02:30 on day 3, a time that happens twice in Europe/Berlin \(the clocks go back 60 minutes\): calendars show the first 02:30, before the change"
expect_stdout "^be-2027: warning: s2: ends at 02:15 on day 3, a time that happens twice"
expect_stdout "^be-2027: warning: P1: arrives at 02:30 on day 3, a time that happens twice"
ok fs --json check be-2027
check "three clock-change warnings, and only for s1, s2, P1" "$PYTHON" -c '
import json, sys
f = [x for x in json.load(open(sys.argv[1])) if x["rule"] == "clock-change"]
assert sorted(x["subject"] for x in f) == ["P1", "s1", "s2"], f
assert all(x["severity"] == "warning" for x in f), f' "$LAST_OUT"

# the hour the clocks skip: an arrival there is shown at the time the
# clocks show, and check says so
ok fs mission add --title "Spring school" --country DE --city Berlin \
	--timezone Europe/Berlin --start 2027-03-29 --days 3 sp-2027
ok fs participant add --ref P3 --given-name Cy --family-name Ode \
	--category 1 --mission sp-2027 --status confirmed \
	--arrival 2027-03-28T02:30
ok fs check sp-2027
expect_stdout "^sp-2027: warning: P3: arrives at 02:30 on day 0, a time that does not exist in Europe/Berlin \(the clocks go forward 60 minutes\): calendars show 03:30"

finish
