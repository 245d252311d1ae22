#!/bin/bash
# Calendar feeds after changes made elsewhere than in the agenda: a place's
# address, the mission's zone and contact, removed items outside the
# mission's (new) days, travel outside the mission's days or in a DST gap;
# and what shared feeds must not reveal.  Every feed is read back by
# tests/ics_check.py (zoneinfo against the embedded VTIMEZONE, libical).
. "$(dirname "$0")/lib.sh"

CHECKER=$FIELDSCHOOL_SRC/tests/ics_check.py
valid() {
	local desc=$1 out
	shift
	if out=$("$PYTHON" "$CHECKER" --require-libical --quiet "$@" 2>&1); then
		_pass "$desc"
	else
		_fail "$desc" "$(printf '%s\n' "$out" | head -20)"
	fi
}
# field FILE UID-PREFIX PROPERTY: the unfolded value of PROPERTY in the event
# whose UID starts with UID-PREFIX.
field() {
	"$PYTHON" - "$@" <<'EOF'
import sys
path, uid, prop = sys.argv[1:]
text = open(path, encoding="utf-8", newline="").read().replace("\r\n ", "")
for block in text.split("BEGIN:VEVENT")[1:]:
    lines = block.split("\r\n")
    if any(l.startswith("UID:" + uid) for l in lines):
        for l in lines:
            if l.split(";")[0].split(":")[0] == prop:
                print(l.split(":", 1)[1] if ";" not in l.split(":")[0] else l)
        break
EOF
}

export FIELDSCHOOL_DB=$TMP/fs.db
new_db
ok fs mission add --title "Berlin school" --country DE --city Berlin \
	--timezone Europe/Berlin --start 2027-03-26 --days 4 \
	--contact-name "Ana" --contact-email ana@example.org be-2027
ok fs agenda add be-2027 --ref d1 --day 1 --start 09:00 --end 10:00 \
	--kind session --title "Day one" --place Hall --address "Street 1"
ok fs agenda add be-2027 --ref d4 --day 4 --start 09:00 --end 10:00 \
	--kind session --title "Day four" --place Hall
ok fs participant add --ref P1 --given-name Ana --family-name Early \
	--category lgu-official --mission be-2027 --status confirmed \
	--arrival 2027-02-01T10:00 --departure 2027-11-01T10:00
ok fs participant add --ref P2 --given-name Bo --family-name Gap \
	--category lgu-official --mission be-2027 --status confirmed \
	--arrival 2027-03-28T02:30

ok fs publish be-2027 --out out
p1=$(fs token show P1 --mission be-2027 </dev/null | cut -f3)
p2=$(fs token show P2 --mission be-2027 </dev/null | cut -f3)
valid "every feed is right by zoneinfo and libical" out/be-2027/*.ics out/be-2027/p/*.ics
# the shared feeds do not widen their VTIMEZONE for anyone's travel
eq "observances in the mission feed (26-29 March: CET, CEST)" \
	"$(grep -c '^BEGIN:\(STANDARD\|DAYLIGHT\)' out/be-2027/be-2027.ics)" 2
check "the personal feed covers an arrival in February and a departure in November" \
	test "$(grep -c '^BEGIN:\(STANDARD\|DAYLIGHT\)' "out/$p1")" -ge 3
# an arrival the clocks skip (02:30 on 28 March) is shown when the clocks
# show it: 03:30 CEST
eq "P2's arrival in the DST gap" "$(field "out/$p2" arrival DTSTART)" \
	"DTSTART;TZID=Europe/Berlin:20270328T033000"

# One participant's travel does not rewrite the shared feeds.
before=$(stat -c '%Y %s' out/be-2027/be-2027.ics; sha256sum <out/be-2027/be-2027.ics)
ok fs participant edit P1 --mission be-2027 --departure 2027-12-01
ok fs publish be-2027 --out out
expect_stdout ' 2 files written' # their feed and their page
eq "the mission feed is untouched" \
	"$(stat -c '%Y %s' out/be-2027/be-2027.ics; sha256sum <out/be-2027/be-2027.ics)" "$before"

# index.json follows a new name, and is left alone when nothing it lists
# changed (it is not rebuilt from every registration each time).
ok fs participant edit P2 --given-name Bea
ok fs publish be-2027 --out out
check "index.json has the new name" grep -q '"name": "Bea Gap"' out/be-2027/index.json
idx=$(stat -c %Y.%s out/be-2027/index.json; sha256sum <out/be-2027/index.json)
ok fs publish be-2027 --out out
eq "index.json untouched by a publish with no change" \
	"$(stat -c %Y.%s out/be-2027/index.json; sha256sum <out/be-2027/index.json)" "$idx"

# A place's new address reaches every item held there, with a new SEQUENCE.
uid=$(fs agenda show d1 --mission be-2027 --json | json_field uid)
seq0=$(field out/be-2027/be-2027.ics "$uid" SEQUENCE)
ok fs place add Hall --address "Other street 2"
ok fs publish be-2027 --out out
eq "d1's LOCATION after place add" "$(field out/be-2027/be-2027.ics "$uid" LOCATION)" "Hall\, Other street 2"
check "d1's SEQUENCE rose ($seq0)" test "$(field out/be-2027/be-2027.ics "$uid" SEQUENCE)" -gt "$seq0"

# A new zone moves every instant: every event gets a new SEQUENCE.
seq1=$(field out/be-2027/be-2027.ics "$uid" SEQUENCE)
ok fs mission edit be-2027 --timezone Europe/Lisbon
ok fs publish be-2027 --out out
check "SEQUENCE rose with the zone" test "$(field out/be-2027/be-2027.ics "$uid" SEQUENCE)" -gt "$seq1"
eq "TZID follows" "$(field out/be-2027/be-2027.ics "$uid" DTSTART)" "DTSTART;TZID=Europe/Lisbon:20270326T090000"
seq2=$(field out/be-2027/be-2027.ics "$uid" SEQUENCE)
ok fs mission edit be-2027 --contact-email bo@example.org
ok fs publish be-2027 --out out
check "SEQUENCE rose with the ORGANIZER" test "$(field out/be-2027/be-2027.ics "$uid" SEQUENCE)" -gt "$seq2"

# Removed items stay in the feeds on their own days, even when the mission
# moves away from them: the VTIMEZONE still covers them.
ok fs mission edit be-2027 --timezone Europe/Berlin
ok fs agenda remove d1 --mission be-2027
ok fs agenda remove d4 --mission be-2027
ok fs mission edit be-2027 --start 2027-01-11
ok fs publish be-2027 --out out
valid "removed items outside the new days are right by zoneinfo" out/be-2027/be-2027.ics
check "the removed item of 29 March is still there, cancelled" \
	grep -q '^SUMMARY:Cancelled: Day four' out/be-2027/be-2027.ics

# Outlook wants a STANDARD beside a DAYLIGHT, and DAYLIGHT the time the
# clocks go forward to: a summer mission gets the standard time before it,
# and Dublin's winter (the zone database's "negative DST") is STANDARD.
obs() { tr -d '\r' <"$1" | sed -n '/^BEGIN:VTIMEZONE/,/^END:VTIMEZONE/p' |
	grep -E '^(BEGIN:(STANDARD|DAYLIGHT)|TZOFFSETTO)' | tr '\n' ' '; }
ok fs mission add --title S --country DE --city Berlin --timezone Europe/Berlin \
	--start 2027-07-05 --days 3 summer
ok fs agenda add summer --day 1 --start 09:00 --end 10:00 --kind session --title S
ok fs ics summer -o summer.ics
valid "a summer mission in Berlin" summer.ics
eq "its observances" "$(obs summer.ics)" \
	"BEGIN:STANDARD TZOFFSETTO:+0100 BEGIN:DAYLIGHT TZOFFSETTO:+0200 "
# a mission without a contact publishes, with a warning: no ORGANIZER
ok fs publish summer --out out2
expect_stderr "1 mission has no contact email.*--contact-email"
check "its events have no ORGANIZER" test "$(grep -c '^ORGANIZER' out2/summer/summer.ics)" = 0
ok fs mission add --title D --country IE --city Dublin --timezone Europe/Dublin \
	--start 2027-03-26 --days 4 dublin
ok fs agenda add dublin --day 4 --start 09:00 --end 10:00 --kind session --title D
ok fs ics dublin -o dublin.ics
valid "a mission in Dublin over the change to summer time" dublin.ics
eq "Dublin: GMT is STANDARD, IST is DAYLIGHT" "$(obs dublin.ics)" \
	"BEGIN:STANDARD TZOFFSETTO:+0000 BEGIN:DAYLIGHT TZOFFSETTO:+0100 "

# A mission code that would share its feed's name with a group's is refused.
ok fs mission add --title G --country DE --city Berlin --timezone Europe/Berlin \
	--start 2027-03-26 --days 3 group-A
fails 3 fs publish group-A --out out
expect_stderr "starts with 'group-'"
check "nothing written for it" test ! -e out/group-A

finish
