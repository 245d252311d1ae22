#!/bin/bash
# Latitude and longitude are one value: given together, cleared together,
# never half a pair, on every path (mission add/edit, missions.csv, place
# add, agenda add/edit, agenda.csv); export then import is a no-op.  And
# agenda edit reaches the place an item already has.
. "$(dirname "$0")/lib.sh"

new_db
PAIR="give lat and lon together (both empty clears the position)"

# --- missions --------------------------------------------------------------
add() { # add CODE [OPTIONS...]
	local code=$1
	shift
	fs mission add --title "T $code" --country RW --city Kigali \
		--timezone Africa/Kigali --start 2027-06-14 --days 4 "$@" "$code"
}
ok add m0
snapshot none
fails 3 add m1 --lat -1.95
expect_stderr_fixed "fieldschool: --lon: $PAIR"
fails 3 add m1 --lon 30.06
expect_stderr_fixed "fieldschool: --lat: $PAIR"
fails 3 add m1 --lat -1.95 --lon ''
expect_stderr_fixed "fieldschool: --lon: $PAIR"
fails 3 add m1 --lat '' --lon 30.06
expect_stderr_fixed "fieldschool: --lat: $PAIR"
unchanged_since none
ok add m1 --lat -1.95 --lon 30.06
ok add m2 --lat '' --lon ''

mission_field() { fs mission show "$1" --json | json_field "$2"; }
snapshot two
fails 3 fs mission edit m1 --lat 10
expect_stderr_fixed "fieldschool: --lon: $PAIR"
fails 3 fs mission edit m1 --lon ''
expect_stderr_fixed "fieldschool: --lat: $PAIR"
fails 3 fs mission edit m2 --lat 10
expect_stderr_fixed "fieldschool: --lon: $PAIR"
unchanged_since two
eq "m1 lat after refused edits" "$(mission_field m1 lat)" -1.95
eq "m1 lon after refused edits" "$(mission_field m1 lon)" 30.06
ok fs mission edit m1 --lat -1.9441 --lon 30.0619
expect_stdout '^m1: changed$'
eq "m1 lat after an edit of both" "$(mission_field m1 lat)" -1.9441
ok fs mission edit m1 --lat '' --lon ''
expect_stdout '^m1: changed$'
eq "m1 lat after clearing both" "$(mission_field m1 lat)" ""
eq "m1 lon after clearing both" "$(mission_field m1 lon)" ""
ok fs mission edit m1 --lat -1.95 --lon 30.06

# missions.csv: a file with only a lat column, or a row with one of the two
cat >lat-only.csv <<'EOF'
code,title,country,city,timezone,start,days,lat
m3,T,RW,Kigali,Africa/Kigali,2027-06-14,4,-1.95
m1,T m1,RW,Kigali,Africa/Kigali,2027-06-14,4,-1.5
EOF
snapshot csv
fails 3 fs mission import lat-only.csv
expect_stderr_fixed "lat-only.csv:2: lon: $PAIR"
expect_stderr_fixed "lat-only.csv:3: lon: $PAIR"
cat >lon-only.csv <<'EOF'
code,title,country,city,timezone,start,days,lon
m1,T m1,RW,Kigali,Africa/Kigali,2027-06-14,4,
EOF
fails 3 fs mission import lon-only.csv
expect_stderr_fixed "lon-only.csv:2: lat: $PAIR"
cat >half.csv <<'EOF'
code,title,country,city,timezone,start,days,lat,lon
m3,T,RW,Kigali,Africa/Kigali,2027-06-14,4,-1.95,
m4,T,RW,Kigali,Africa/Kigali,2027-06-14,4,,30.06
EOF
fails 3 fs mission import half.csv
expect_stderr_fixed "half.csv:2: lon: $PAIR"
expect_stderr_fixed "half.csv:3: lat: $PAIR"
unchanged_since csv

# export then import: always a no-op
ok fs mission export -o missions.csv
ok fs mission import missions.csv
expect_stdout '^missions.csv: 3 rows: 0 added, 0 changed, 3 unchanged$'

# --- places ----------------------------------------------------------------
ok fs place add Hall --address "KN 3 Ave" --lat -1.95 --lon 30.06
snapshot place
fails 3 fs place add Hall --lon ''
expect_stderr_fixed "fieldschool: --lat: $PAIR"
fails 3 fs place add Hall --lat 1
expect_stderr_fixed "fieldschool: --lon: $PAIR"
unchanged_since place
ok fs --json place list
check "Hall keeps both coordinates" "$PYTHON" -c '
import json, sys
p = [p for p in json.load(open(sys.argv[1])) if p["name"] == "Hall"][0]
assert (p["lat"], p["lon"]) == (-1.95, 30.06), p' "$LAST_OUT"

# --- agenda items ----------------------------------------------------------
item() { fs agenda show "$1" --json | json_field "$2"; }
ok fs agenda add m1 --ref s1 --day 1 --start 09:00 --end 10:00 \
	--kind session --title Opening --place Hall
ok fs agenda add m1 --ref s2 --day 1 --start 11:00 --end 12:00 \
	--kind session --title Plenary
snapshot items
fails 3 fs agenda add m1 --ref s3 --day 1 --start 13:00 --end 14:00 \
	--kind session --title X --place Hall --lat 1
expect_stderr_fixed "fieldschool: --lon: $PAIR"
fails 3 fs agenda edit s1 --lat 1
expect_stderr_fixed "fieldschool: --lon: $PAIR"
fails 3 fs agenda edit s1 --lon ''
expect_stderr_fixed "fieldschool: --lat: $PAIR"
# an item without a place has no address or position to edit
fails 3 fs agenda edit s2 --address "Somewhere 1"
expect_stderr_fixed "fieldschool: --place: an address or coordinates need the place's name"
unchanged_since items

# edit reaches the item's own place without --place
seq=$(item s1 sequence)
ok fs agenda edit s1 --address "KG 7 Ave"
expect_stdout '^s1: changed$'
eq "s1 address without --place" "$(item s1 address)" "KG 7 Ave"
eq "s1 place kept" "$(item s1 place)" Hall
check "s1 SEQUENCE rose with the address" test "$(item s1 sequence)" -gt "$seq"
ok fs agenda edit s1 --lat -1.9536 --lon 30.0605
expect_stdout '^s1: changed$'
eq "s1 lat without --place" "$(item s1 lat)" -1.9536
eq "s1 lon without --place" "$(item s1 lon)" 30.0605
ok fs agenda edit s1 --lat -1.9536 --lon 30.0605
expect_stdout '^s1: unchanged$'
# empty values clear, both at once
ok fs agenda edit s1 --lat '' --lon ''
expect_stdout '^s1: changed$'
eq "s1 lat cleared" "$(item s1 lat)" ""
eq "s1 lon cleared" "$(item s1 lon)" ""
ok fs agenda edit s1 --address ''
expect_stdout '^s1: changed$'
eq "s1 address cleared" "$(item s1 address)" ""
eq "s1 keeps its place" "$(item s1 place)" Hall

# agenda.csv: one of the pair alone is refused; an empty pair in a row
# keeps what the place has (rows share a place)
ok fs agenda edit s1 --address "KG 7 Ave" --lat -1.95 --lon 30.06
cat >agenda-lat.csv <<'EOF'
ref,mission,day,start,end,kind,title,place,lat
s1,m1,1,09:00,10:00,session,Opening,Hall,-1.9
EOF
snapshot agenda-csv
fails 3 fs agenda import agenda-lat.csv
expect_stderr_fixed "agenda-lat.csv:2: lon: $PAIR"
unchanged_since agenda-csv
cat >agenda-empty.csv <<'EOF'
ref,mission,day,start,end,kind,title,place,address,lat,lon
s4,m1,2,09:00,10:00,session,Day two,Hall,,,
EOF
ok fs agenda import agenda-empty.csv
eq "s4 at Hall keeps the place's lat" "$(item s4 lat)" -1.95
eq "s4 at Hall keeps the place's address" "$(item s4 address)" "KG 7 Ave"

ok fs agenda export m1 -o agenda.csv
ok fs agenda import agenda.csv
expect_stdout '^agenda.csv: 3 rows: 0 added, 0 changed, 3 unchanged$'

finish
