#!/bin/bash
# init and missions: add (good and bad values), show, edit, remove, and every
# command failing clearly before init.
. "$(dirname "$0")/lib.sh"

# --- before init --------------------------------------------------------------
for cmd in "mission list" "participant list" "agenda list m1" "category list" \
	"mission show m1" "participant export" "agenda export m1"; do
	# shellcheck disable=SC2086
	fails 4 fs $cmd
	expect_stderr_fixed "no database at '$FIELDSCHOOL_DB' (run 'fieldschool init' first, or give --db)"
	expect_stdout_empty
done
printf 'given_name,family_name,category\nA,B,1\n' >p.csv
fails 4 fs participant import p.csv
expect_stderr_fixed "no database at '$FIELDSCHOOL_DB'"
fails 4 fs mission add --title T --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 m1
expect_stderr_fixed "no database at '$FIELDSCHOOL_DB'"
check "no database file was created by the failed commands" test ! -e "$FIELDSCHOOL_DB"
# --db names the database in the message too
fails 4 fs --db "$TMP/other.db" mission list
expect_stderr_fixed "no database at '$TMP/other.db'"
check "--db file not created" test ! -e "$TMP/other.db"

# --- init ----------------------------------------------------------------------
ok fs init
expect_stdout "^$FIELDSCHOOL_DB: schema [0-9]+$"
eq "integrity after init" "$(sql 'pragma integrity_check')" ok
eq "shipped categories" "$(sql 'select count(*) from category')" 7
ok fs init
expect_stdout "^$FIELDSCHOOL_DB: schema [0-9]+$"
eq "categories after a second init" "$(sql 'select count(*) from category')" 7
ok fs mission list
expect_lines stdout . 1 # the header only

# --- mission add -----------------------------------------------------------------
ok fs mission add --title "Manila field school" --country ph --city Manila \
	--timezone Asia/Manila --start 2027-09-13 --days 4 --currency php \
	--per-diem 1850.50 --lat 14.5542 --lon 121.0244 --capacity 60 m1
expect_stdout '^m1$'
ok fs mission show m1 --json
check "mission show --json: the values as given, normalized" "$PYTHON" -c '
import json, sys
m = json.load(open(sys.argv[1], encoding="utf-8"))
want = {"code": "m1", "title": "Manila field school", "country": "PH",
        "city": "Manila", "timezone": "Asia/Manila", "start": "2027-09-13",
        "days": 4, "end": "2027-09-16", "currency": "PHP", "per_diem": 1850.5,
        "lat": 14.5542, "lon": 121.0244, "capacity": 60, "registered": 0,
        "confirmed": 0, "items": 0}
bad = {k: (m.get(k), v) for k, v in want.items() if m.get(k) != v}
assert not bad, bad' "$LAST_OUT"
ok fs --json mission show m1
eq "code from '--json mission show'" "$(json_field code <"$LAST_OUT")" m1
ok fs mission show m1
expect_stdout '^timezone +Asia/Manila$'
expect_stdout '^end +2027-09-16$'

snapshot one-mission
fails 3 fs mission add --title T --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 m1
expect_stderr_fixed "mission 'm1' exists"

# Each bad value alone: exit 3, the option and the value named.
add_bad() { # OPTION VALUE MESSAGE
	local -A v=([title]=T [country]=PH [city]=Manila [timezone]=Asia/Manila
		[start]=2027-03-01 [days]=3)
	v[$1]=$2
	local args=() k
	for k in "${!v[@]}"; do args+=("--$k" "${v[$k]}"); done
	fails 3 fs mission add "${args[@]}" bad-1
	expect_stderr_fixed "fieldschool: --$1: $3"
}
add_bad timezone Asia/Nowhere "'Asia/Nowhere': unknown time zone (not in the system zone database)"
add_bad timezone ../../etc/passwd "'../../etc/passwd': not an IANA time zone name"
add_bad country XX "'XX': not an ISO 3166-1 alpha-2 country code"
add_bad country PHL "'PHL': not an ISO 3166-1 alpha-2 country code"
add_bad days 5 "'5': a field school lasts 3 or 4 days"
add_bad days 2 "'2': a field school lasts 3 or 4 days"
add_bad days three "'three': a field school lasts 3 or 4 days"
add_bad start 2027-02-30 "'2027-02-30': no such day in the calendar"
add_bad start 2027-13-01 "'2027-13-01': no such day in the calendar"
add_bad start 13/09/2027 "'13/09/2027': expected a date as YYYY-MM-DD"
add_bad title "" "required for a new mission"
unchanged_since one-mission

# All bad values at once: every one reported.
fails 3 fs mission add --title T --country XX --city Manila \
	--timezone Asia/Nowhere --start 2027-02-30 --days 5 --currency ABC \
	--lat 91 --lon 0 bad-2
expect_stderr_fixed "--country: 'XX': not an ISO 3166-1 alpha-2 country code"
expect_stderr_fixed "--timezone: 'Asia/Nowhere': unknown time zone"
expect_stderr_fixed "--start: '2027-02-30': no such day in the calendar"
expect_stderr_fixed "--days: '5': a field school lasts 3 or 4 days"
expect_stderr_fixed "--currency: 'ABC': not an ISO 4217 currency code"
expect_stderr_fixed "--lat: '91': latitude must be between -90 and 90"
expect_lines stderr '^fieldschool: --' 6
fails 3 fs mission add --title T --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 'bad code!'
expect_stderr_fixed "'bad code!': use only letters, digits"
fails 2 fs mission add --title T --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3
expect_stderr_fixed 'give one mission code'
expect_stderr '^usage: fieldschool mission add'
unchanged_since one-mission
eq "missions after the refused adds" "$(sql 'select count(*) from mission')" 1

# --- mission edit --------------------------------------------------------------------
ok fs mission edit --title "New title" --city "Makati" m1
expect_stdout '^m1: changed$'
ok fs mission edit --title "New title" m1
expect_stdout '^m1: unchanged$'
ok fs mission show --json m1
eq "edited title" "$(json_field title <"$LAST_OUT")" "New title"
eq "edited city" "$(json_field city <"$LAST_OUT")" "Makati"
eq "start kept by edit" "$(json_field start <"$LAST_OUT")" "2027-09-13"
snapshot edited
fails 3 fs mission edit --timezone Asia/Nowhere m1
expect_stderr_fixed "--timezone: 'Asia/Nowhere': unknown time zone"
fails 3 fs mission edit --days 7 m1
expect_stderr_fixed "--days: '7': a field school lasts 3 or 4 days"
fails 3 fs mission edit --title "" m1
expect_stderr_fixed "--title: must not be empty"
fails 3 fs mission edit --title x nope
expect_stderr_fixed "no mission 'nope'"
fails 2 fs mission edit --code m2 m1
expect_stderr_fixed "a mission's code cannot change"
unchanged_since edited

# Moving a mission may not strand its agenda.
ok fs agenda add --ref last-day --day 4 --start 09:00 --end 10:00 \
	--kind session --title "Closing" m1
snapshot with-item
fails 3 fs mission edit --days 3 m1
expect_stderr_fixed "--days: 1 agenda item would fall outside 2027-09-13 to 2027-09-15: move them first"
fails 3 fs mission edit --start 2027-10-01 m1
expect_stderr_fixed "--start: 1 agenda item would fall outside 2027-10-01 to 2027-10-04"
unchanged_since with-item
# A move that keeps every item inside the new days is fine; the item keeps
# its date, so its day number follows.
ok fs mission edit --start 2027-09-14 --days 3 m1
expect_stdout '^m1: changed$'
ok fs agenda show last-day --json
eq "item date after the move" "$(json_field date <"$LAST_OUT")" 2027-09-16
eq "item day after the move" "$(json_field day <"$LAST_OUT")" 3

# --- mission remove ---------------------------------------------------------------
add_mission empty-1
ok fs mission remove empty-1
expect_stdout '^empty-1: removed$'
eq "removed mission gone" "$(sql "select count(*) from mission where code = 'empty-1'")" 0
fails 3 fs mission remove empty-1
expect_stderr_fixed "no mission 'empty-1'"

ok fs participant add --ref R1 --given-name Ana --family-name Cruz \
	--category 1 --mission m1
snapshot before-remove
fails 3 fs mission remove m1
expect_stderr_fixed "mission 'm1' has 1 registration and 1 agenda item: add --force to remove them too"
unchanged_since before-remove
ok fs mission remove --force m1
expect_stdout '^m1: removed$'
eq "missions after remove --force" "$(sql 'select count(*) from mission')" 0
eq "registrations after remove --force" "$(sql 'select count(*) from registration')" 0
eq "agenda items after remove --force" "$(sql 'select count(*) from item')" 0
eq "the person stays" "$(sql "select count(*) from participant where ref = 'R1'")" 1
eq "integrity after remove" "$(sql 'pragma integrity_check')" ok
fails 2 fs mission remove
expect_stderr '^usage: fieldschool mission remove'

# --- missions.csv --------------------------------------------------------------------
cat >missions.csv <<'EOF2'
code,title,country,city,timezone,start,days,currency,per_diem
mx-t,Mexico,MX,Ciudad de México,America/Mexico_City,2027-05-10,4,MXN,1800
rw-t,Kigali,RW,Kigali,Africa/Kigali,2027-06-14,4,RWF,60000
EOF2
ok fs mission import missions.csv
expect_stdout '^missions.csv: 2 rows: 2 added, 0 changed, 0 unchanged$'
ok fs mission export -o export.csv
ok fs mission import export.csv
expect_stdout '^export.csv: 2 rows: 0 added, 0 changed, 2 unchanged$'
snapshot missions
cat >bad-missions.csv <<'EOF2'
code,title,country,city,timezone,start,days
ph-t,Manila,PH,Manila,Asia/Manila,2027-09-13,4
xx-t,Nowhere,XX,Nowhere,Asia/Nowhere,2027-02-30,5
EOF2
fails 3 fs mission import bad-missions.csv
expect_stderr_fixed "bad-missions.csv:3: country: 'XX': not an ISO 3166-1 alpha-2 country code"
expect_stderr_fixed "bad-missions.csv:3: timezone: 'Asia/Nowhere': unknown time zone"
expect_stderr_fixed "bad-missions.csv:3: start: '2027-02-30': no such day in the calendar"
expect_stderr_fixed "bad-missions.csv:3: days: '5': a field school lasts 3 or 4 days"
unchanged_since missions

# --- whole amounts and stranded days, also when an edit gives one part ----------
# An edit checks the currency and amounts as they will be: the stored
# currency with a new amount, a new currency with the stored amounts.
snapshot before-money
fails 3 fs mission edit rw-t --per-diem 60000.5
expect_stderr_fixed "fieldschool: --per-diem: '60000.5': RWF has no minor units, give a whole amount"
ok fs mission edit mx-t --per-diem 1800.5
snapshot before-currency
fails 3 fs mission edit mx-t --currency RWF
expect_stderr_fixed "fieldschool: --currency: 'RWF': RWF has no minor units, and the per_diem is 1800.50: give a whole amount with it"
unchanged_since before-currency
ok fs mission edit mx-t --currency RWF --per-diem 1800
cat >money.csv <<'EOF2'
code,title,country,city,timezone,start,days,nightly_rate
rw-t,Kigali,RW,Kigali,Africa/Kigali,2027-06-14,4,25000.25
EOF2
fails 3 fs mission import money.csv
expect_stderr_fixed "money.csv:2: nightly_rate: '25000.25': RWF has no minor units, give a whole amount"
eq "per diem kept" "$(sql "select per_diem from mission where code = 'rw-t'")" 6000000
# Attendance recorded on a day keeps the day in the mission: shortening
# or moving it is refused (mission shift moves the attendance with it).
fs participant add --given-name Ana --family-name Cruz --category 1 \
	--mission rw-t --status confirmed >/dev/null
ref=$(sql "select ref from participant where family_name = 'Cruz' order by id desc limit 1")
ok fs attend mark --mission rw-t --date 2027-06-17 "$ref"
snapshot attended
fails 3 fs mission edit rw-t --days 3
expect_stderr_fixed "fieldschool: --days: 1 attendance record would fall outside 2027-06-14 to 2027-06-16: days already recorded stay in the mission (to move the whole mission with its attendance: 'fieldschool mission shift rw-t --start DATE')"
fails 3 fs mission edit rw-t --start 2027-06-21
expect_stderr_fixed "fieldschool: --start: 1 attendance record would fall outside 2027-06-21 to 2027-06-24"
unchanged_since attended
ok fs mission shift rw-t --start 2027-06-21
eq "attendance moved with the mission" "$(sql "select day_date from attendance")" 2027-06-24
ok fs attend export rw-t -o attendance.csv
ok fs attend import attendance.csv

finish
