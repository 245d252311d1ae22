#!/bin/bash
# agenda import: days and dates, times, places, audiences; calendar UID and
# SEQUENCE across re-imports; cancel, undo, remove and bringing items back.
. "$(dirname "$0")/lib.sh"

new_db
add_mission m1 2027-03-01 3
add_mission m2 2027-04-05 4

# item REF [MISSION]: the item's JSON object (agenda show) in $TMP/item.json
item() {
	"$FIELDSCHOOL" --json agenda show ${2:+--mission "$2"} "$1" >"$TMP/item.json" </dev/null
}
field() { json_field "$1" <"$TMP/item.json"; }

# rewrite IN OUT REF COLUMN=VALUE...: a copy of an agenda export with some
# values of one row changed.
rewrite() {
	"$PYTHON" - "$@" <<'EOF'
import csv, sys
src, dst, ref = sys.argv[1:4]
rows = list(csv.DictReader(open(src, newline="", encoding="utf-8-sig")))
for r in rows:
    if r["ref"] == ref:
        for kv in sys.argv[4:]:
            k, v = kv.split("=", 1)
            r[k] = v
with open(dst, "w", newline="", encoding="utf-8") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
EOF
}

# --- a good file -------------------------------------------------------------------
cat >agenda.csv <<'EOF'
ref,mission,day,date,start,end,kind,title,module,place,address,lat,lon,host,capacity,audience,facilitators,description
A1,m1,1,,09:00,10:30,session,Opening session,1,Main hall,"Roxas Blvd, Manila",14.5542,121.0244,,,all,Dr. Ana Reyes;Prof. Jean Habimana,"Welcome, and ""why we are here"""
A2,m1,,2027-03-02,10:00,12:00,visit,Site visit,md-101,Barangay hall,,,,Barangay Maligaya,25," group:A ; group:B ",,
A3,m1,3,2027-03-03,12:00,13:00,meal,Lunch,,,,,,,,category:mrc-staff,,
A4,m1,3,,13:00,14:00,session,Side meeting,,,,,,,,category:4,,
A5,m1,2,,08:00,08:30,travel,Bus to the site,,,,,,,,,,
B1,m2,4,,16:00,17:00,ceremony,Closing,ec-6,,,,,,,,,
EOF
ok fs agenda import agenda.csv
expect_stdout '^agenda.csv: 6 rows: 6 added, 0 changed, 0 unchanged$'
item A1
eq "A1 day" "$(field day)" 1
eq "A1 date" "$(field date)" 2027-03-01
eq "A1 module (seminar number)" "$(field module)" 1
eq "A1 place" "$(field place)" "Main hall"
eq "A1 lat" "$(field lat)" 14.5542
eq "A1 lon" "$(field lon)" 121.0244
eq "A1 facilitators" "$(field facilitators)" "Dr. Ana Reyes;Prof. Jean Habimana"
eq "A1 description" "$(field description)" 'Welcome, and "why we are here"'
eq "A1 sequence" "$(field sequence)" 0
eq "A1 status" "$(field status)" active
check "A1 uid looks like a calendar UID" grep -Eq '"uid": "[0-9a-f]{32}@fieldschool"' "$TMP/item.json"
item A2
eq "A2 day from its date" "$(field day)" 2
eq "A2 module by code" "$(field module)" 2
eq "A2 audience normalized" "$(field audience)" "group:A;group:B"
eq "A2 capacity" "$(field capacity)" 25
item A3
eq "A3 audience" "$(field audience)" "category:mrc-staff"
item A4
eq "A4 audience by category number, stored as code" "$(field audience)" "category:mrc-staff"
item A5
eq "A5 audience default" "$(field audience)" all
item B1
eq "B1 module from the e-course" "$(field module)" ec-6
ok fs agenda list m1
expect_stdout '^m1 day 2, Tuesday 2027-03-02$'
expect_stdout '^  08:00-08:30  travel    Bus to the site  \(A5\)$'
expect_stdout '^  10:00-12:00  visit     Site visit @ Barangay hall \[group:A;group:B\]  \(A2\)$'
ok fs agenda export m1
eq "m1 export rows" "$(csv_rows "$LAST_OUT")" 5
cp "$LAST_OUT" export-1.csv
ok fs agenda import export-1.csv
expect_stdout '^export-1.csv: 5 rows: 0 added, 0 changed, 5 unchanged$'

# --- bad rows: nothing imported, every one reported --------------------------------
snapshot before-bad
cat >bad.csv <<'EOF'
ref,mission,day,date,start,end,kind,title,module,place,lat,lon,audience
OK1,m1,1,,15:00,16:00,session,Fine,,Brand new place,1.5,2.5,all
X1,m1,1,,25:00,10:00,session,Bad hour,,,,,
X2,m1,1,,9:00,10:00,session,No leading zero,,,,,
X3,m1,1,,10:00,09:00,session,Ends before start,,,,,
X4,m1,,2027-03-09,09:00,10:00,session,Date outside,,,,,
X5,m1,5,,09:00,10:00,session,Day 5 of 3,,,,,
X6,zz-9999,1,,09:00,10:00,session,Unknown mission,,,,,
X7,m1,1,,09:00,10:00,party,Unknown kind,,,,,
X8,m1,1,,09:00,10:00,session,Bad module,9,,,,
X9,m1,1,,09:00,10:00,session,Lat 91,,Place,91,0,
X10,m1,1,,09:00,10:00,session,Lat abc,,Place,abc,0,
X11,m1,1,,09:00,10:00,session,Lat without lon,,Place,10,,
X12,m1,1,,09:00,10:00,session,Bad audience,,,,,everyone
X13,m1,1,,09:00,10:00,session,Unknown audience category,,,,,category:nope
X14,m1,2,2027-03-01,09:00,10:00,session,Day and date disagree,,,,,
X15,m1,1,,09:00,10:00,session,"Multi
line title",,,,,group:
X16,m1,,,09:00,10:00,session,No day,,,,,
OK1,m1,1,,15:00,16:00,session,Twice,,,,,
X17,m1,1,,09:00,10:00,session,Lon 181,,Place,0,181,
X18,m1,1,,09:00,10:00,session,All and a group,,,,,all;group:A
EOF
fails 3 fs agenda import bad.csv
expect_stderr_fixed "bad.csv:3: start: '25:00': no such time of day (00:00-23:59)"
expect_stderr_fixed "bad.csv:4: start: '9:00': expected a time as HH:MM (24-hour)"
expect_stderr_fixed "bad.csv:5: end: ends at 09:00, not after its start 10:00"
expect_stderr_fixed "bad.csv:6: date: 2027-03-09 is outside the mission's days (2027-03-01 to 2027-03-03)"
expect_stderr_fixed "bad.csv:7: day: '5': m1 has days 1 to 3"
expect_stderr_fixed "bad.csv:8: mission: unknown mission 'zz-9999'"
expect_stderr_fixed "bad.csv:9: kind: 'party': expected session, visit, travel, meal, break or ceremony"
expect_stderr_fixed "bad.csv:10: module: unknown module '9'"
expect_stderr_fixed "bad.csv:11: lat: '91': latitude must be between -90 and 90"
expect_stderr_fixed "bad.csv:12: lat: 'abc': expected decimal degrees"
expect_stderr_fixed "bad.csv:13: lon: give lat and lon together (both empty clears the position)"
expect_stderr_fixed "bad.csv:14: audience: 'everyone': expected all, group:LABEL or category:CODE"
expect_stderr_fixed "bad.csv:15: audience: unknown category 'nope'"
expect_stderr_fixed "bad.csv:16: date: 2027-03-01 is not day 2 (2027-03-02)"
expect_stderr_fixed "bad.csv:17: title: a line break at character 6: a title is one line"
expect_stderr_fixed "bad.csv:17: audience: 'group:': a group label is 1-16 letters, digits or '-'"
expect_stderr_fixed "bad.csv:19: day: give the day (1-3) or the date"
expect_stderr_fixed "bad.csv:20: ref: 'OK1' again: line 2 has the same ref"
expect_stderr_fixed "bad.csv:21: lon: '181': longitude must be between -180 and 180"
eq "no place was created by the rejected file" "$(sql "select count(*) from place where name = 'Brand new place'")" 0
expect_stderr_fixed "bad.csv:22: audience: 'all' cannot be combined with groups or categories"
expect_no_stderr '^bad\.csv:(2|18):'
expect_lines stderr '^bad\.csv:[0-9]+: [a-z]+: ' 20
expect_stderr_fixed "fieldschool: bad.csv: 20 problems, nothing imported"
unchanged_since before-bad
fails 3 fs agenda import --dry-run bad.csv
unchanged_since before-bad
printf 'ref,mission,day,start,end,kind\nZ1,m1,1,09:00,10:00,session\n' >notitle.csv
fails 3 fs agenda import notitle.csv
expect_stderr_fixed "notitle.csv:1: missing required column 'title'"
printf 'ref,mission,day,start,end,kind,title,room\nZ1,m1,1,09:00,10:00,session,T,101\n' >room.csv
fails 3 fs agenda import room.csv
expect_stderr_fixed "room.csv:1: unknown column 'room' (use --ignore-unknown to skip it)"
unchanged_since before-bad
ok fs agenda import --dry-run --ignore-unknown room.csv
expect_stdout '^room.csv: 1 row: 1 added, 0 changed, 0 unchanged \(dry run: nothing written\)$'
unchanged_since before-bad

# --- UID and SEQUENCE across re-imports ---------------------------------------------
item A1
uid=$(field uid)
updated0=$(field updated)

# The description is not significant: same SEQUENCE, new LAST-MODIFIED.
rewrite export-1.csv desc.csv A1 "description=A new description"
SOURCE_DATE_EPOCH=1900000000 ok fs agenda import desc.csv
expect_stdout '^desc.csv: 5 rows: 0 added, 1 changed, 4 unchanged$'
item A1
eq "uid after a description change" "$(field uid)" "$uid"
eq "sequence after a description change" "$(field sequence)" 0
eq "updated after a description change" "$(field updated)" 2030-03-17T17:46:40Z
eq "description" "$(field description)" "A new description"
item A2
eq "A2 updated untouched by A1's change" "$(field updated)" "$updated0"

# The start time is: SEQUENCE + 1.
rewrite desc.csv start.csv A1 start=08:30
SOURCE_DATE_EPOCH=1900000100 ok fs agenda import start.csv
expect_stdout '^start.csv: 5 rows: 0 added, 1 changed, 4 unchanged$'
item A1
eq "uid after a start change" "$(field uid)" "$uid"
eq "sequence after a start change" "$(field sequence)" 1
eq "updated after a start change" "$(field updated)" 2030-03-17T17:48:20Z
eq "start" "$(field start)" 08:30
# Importing the same file again changes nothing.
SOURCE_DATE_EPOCH=1900000200 ok fs agenda import start.csv
expect_stdout '^start.csv: 5 rows: 0 added, 0 changed, 5 unchanged$'
item A1
eq "sequence after an unchanged re-import" "$(field sequence)" 1
eq "updated after an unchanged re-import" "$(field updated)" 2030-03-17T17:48:20Z

# Title, place, day, end: significant.  Kind, host, facilitators: not.
seq=1
n=0
for change in title="Opening plenary" place="Other hall" date=2027-03-02 \
	end=11:00; do
	n=$((n + 1))
	# shellcheck disable=SC2046 # (nothing, or one word)
	rewrite start.csv sig-$n.csv A1 "$change" $([[ $change == date=* ]] && echo day=2)
	SOURCE_DATE_EPOCH=$((1900001000 + n)) ok fs agenda import sig-$n.csv
	expect_stdout ': 5 rows: 0 added, 1 changed, 4 unchanged$'
	seq=$((seq + 1))
	item A1
	eq "sequence after $change" "$(field sequence)" "$seq"
	eq "uid after $change" "$(field uid)" "$uid"
	ok fs agenda export -o start.csv m1
done
for change in kind=break host="City Hall" "facilitators=Dr. Ana Reyes" \
	capacity=40 audience=group:C module=3; do
	n=$((n + 1))
	rewrite start.csv nonsig-$n.csv A1 "$change"
	SOURCE_DATE_EPOCH=$((1900002000 + n)) ok fs agenda import nonsig-$n.csv
	expect_stdout ': 5 rows: 0 added, 1 changed, 4 unchanged$'
	item A1
	eq "sequence after $change" "$(field sequence)" "$seq"
	eq "updated after $change" "$(field updated)" \
		"$(date -u -d @$((1900002000 + n)) +%Y-%m-%dT%H:%M:%SZ)"
	ok fs agenda export -o start.csv m1
done

# The place's address and coordinates are data of the item too: changing
# them is a change (reported, and LAST-MODIFIED moves).
rewrite start.csv address.csv A1 "address=1 New Street, Pasay" lat=14.6 lon=121.1
SOURCE_DATE_EPOCH=1900003000 ok fs agenda import address.csv
expect_stdout '^address.csv: 5 rows: 0 added, 1 changed, 4 unchanged$'
item A1
eq "address after re-import" "$(field address)" "1 New Street, Pasay"
eq "updated after an address change" "$(field updated)" 2030-03-17T18:36:40Z
ok fs agenda export -o start.csv m1

# --- cancel, undo, remove -------------------------------------------------------------
item A1
seq=$(field sequence)
ok fs agenda cancel A1
expect_stdout '^A1: cancelled$'
item A1
eq "status after cancel" "$(field status)" cancelled
eq "sequence after cancel" "$(field sequence)" $((seq + 1))
eq "uid after cancel" "$(field uid)" "$uid"
ok fs agenda list m1
expect_stdout 'CANCELLED: Opening plenary'
ok fs agenda export m1
expect_stdout '^A1,m1,'
ok fs agenda cancel A1
item A1
eq "sequence after cancelling twice" "$(field sequence)" $((seq + 1))
# re-importing the export keeps the item cancelled
ok fs agenda import start.csv
expect_stdout ': 5 rows: 0 added, 0 changed, 5 unchanged$'
item A1
eq "status after re-import of a cancelled item" "$(field status)" cancelled
ok fs agenda cancel --undo A1
expect_stdout '^A1: active$'
item A1
eq "status after undo" "$(field status)" active
eq "sequence after undo" "$(field sequence)" $((seq + 2))
ok fs agenda cancel --undo A1
item A1
eq "sequence after a second undo" "$(field sequence)" $((seq + 2))

# A published item (publish or ics wrote it) keeps its row when removed.
ok fs ics m1 -o m1.ics
ok fs agenda remove A1
expect_stdout '^A1: removed$'
ok fs agenda list m1
expect_no_stderr .
check "removed item not in 'agenda list'" bash -c "! grep -q '(A1)' '$LAST_OUT'"
ok fs agenda export m1
check "removed item not in 'agenda export'" bash -c "! grep -q '^A1,' '$LAST_OUT'"
eq "rows in export after remove" "$(csv_rows "$LAST_OUT")" 4
ok fs --json agenda list m1
eq "items in --json list after remove" "$(json_len <"$LAST_OUT")" 4
ok fs mission show m1 --json
eq "mission item count after remove" "$(json_field items <"$LAST_OUT")" 4
fails 3 fs agenda show A1
expect_stderr_fixed "no agenda item 'A1'"
fails 3 fs agenda cancel A1
expect_stderr_fixed "no agenda item 'A1'"
fails 3 fs agenda remove A1
expect_stderr_fixed "no agenda item 'A1'"
# Importing its ref again brings it back, with its UID, active, SEQUENCE up.
ok fs agenda import start.csv
expect_stdout '^start.csv: 5 rows: 0 added, 1 changed, 4 unchanged$'
item A1
eq "uid of the item brought back" "$(field uid)" "$uid"
eq "status of the item brought back" "$(field status)" active
eq "sequence of the item brought back" "$(field sequence)" $((seq + 4))
ok fs agenda list m1
expect_stdout '\(A1\)$'

# --- refs: generated, and the same ref in two missions ----------------------------------
printf 'mission,day,start,end,kind,title\nm1,1,17:00,18:00,session,No ref\n' >noref.csv
ok fs agenda import noref.csv
expect_stdout '^noref.csv: 1 row: 1 added, 0 changed, 0 unchanged$'
ok fs agenda export -o noref-export.csv m1
check "an item without ref gets m1-XXXXXXXX" grep -Eq '^m1-[0-9a-f]{8},m1,1,2027-03-01,17:00,18:00,session,No ref,' noref-export.csv
ok fs agenda import noref-export.csv
expect_stdout ': 6 rows: 0 added, 0 changed, 6 unchanged$'

printf 'ref,mission,day,start,end,kind,title\nA2,m2,1,09:00,10:00,session,Same ref elsewhere\n' >same.csv
ok fs agenda import same.csv
fails 3 fs agenda show A2
expect_stderr_fixed "agenda item 'A2' exists in 2 missions: give --mission"
ok fs agenda show --mission m2 A2 --json
eq "A2 of m2" "$(json_field title <"$LAST_OUT")" "Same ref elsewhere"
ok fs agenda show --mission m1 A2 --json
eq "A2 of m1" "$(json_field title <"$LAST_OUT")" "Site visit"
fails 3 fs agenda show --mission m2 A5
expect_stderr_fixed "no agenda item 'A5' in m2"

# --- a file without refs, imported again, adds its items again: said -----------------
printf 'mission,day,start,end,kind,title\nm2,2,09:00,10:00,session,Twice\nm2,2,11:00,12:00,session,Once\n' >twice.csv
ok fs agenda import twice.csv
expect_no_stderr .
printf 'mission,day,start,end,kind,title\nm2,2,09:00,10:00,session,Twice\n' >again.csv
ok fs agenda import --dry-run again.csv
expect_stderr_fixed "fieldschool: warning: again.csv: 1 agenda item without a ref would be added beside one of the same mission, day, start and title: a row without a ref is always new (export the agenda, which gives every item a ref, and edit that file)"
ok fs --json agenda import again.csv
expect_stdout '"items_repeated": 1,'
expect_stderr_fixed "1 agenda item without a ref was added beside one"
eq "the item twice" "$(sql "select count(*) from item where title = 'Twice'")" 2

finish
