#!/bin/bash
# fieldschool plan visits: the demo's rotation is stable when re-planned
# (same items, same UIDs); more windows give more visits with the items
# updated in place; impossible rotations and bad slots say why and change
# nothing; travel time closes windows.
. "$(dirname "$0")/lib.sh"

ok fs demo --out "$TMP/demo"
export FIELDSCHOOL_DB=$TMP/demo/fieldschool.db
visits() {
	sql "select group_concat(ref || ' ' || uid || ' ' || sequence || ' ' || day_date || ' ' || start_time || ' ' || audience, ',') from (select * from item i where i.mission_id = (select id from mission where code = '$1') and i.kind = 'visit' and i.removed = 0 order by ref)"
}

# re-planning the demo changes nothing
before=$(visits mx-2027)
snapshot demo
ok fs plan visits mx-2027 --per-group 3
expect_lines stdout '^day [0-9] [0-9:]+-[0-9:]+: [A-C] at .*; [A-C] at .*; [A-C] at ' 3
expect_stdout '^mx-2027: 3 groups, 4 sites, 3 windows, by keeping the current rotation, which still holds$'
expect_stdout '^agenda: 0 added, 0 changed, 9 unchanged, 0 removed$'
eq "visit items, UIDs and SEQUENCEs after re-planning" "$(visits mx-2027)" "$before"
unchanged_since demo
ok fs --json plan visits rw-2027 --dry-run
check "JSON rotation: every group at every site once, one site per window" "$PYTHON" -c '
import json, sys, collections
rows = json.load(open(sys.argv[1], encoding="utf-8"))
assert len(rows) == 9, rows
assert len({(r["group"], r["site"]) for r in rows}) == 9
assert len({(r["group"], r["window"]) for r in rows}) == 9
assert len({(r["site"], r["window"]) for r in rows}) == 9' "$LAST_OUT"
unchanged_since demo

# impossible: every one of 4 sites in 3 windows
fails 3 fs plan visits mx-2027
expect_stderr_fixed "fieldschool: too few windows: each group visits 4 sites, one per window, but the visit items of mx-2027 are at only 3 different times; give the windows with --slots 'DAY HH:MM-HH:MM,...' or visit fewer sites with --per-group"
expect_stdout_empty
# bad slots
fails 3 fs plan visits mx-2027 --slots "tuesday 10-12"
expect_stderr_fixed "fieldschool: --slots: 'tuesday 10-12': expected DAY HH:MM-HH:MM, DAY being 1-4 or a date, slots separated by ','"
fails 3 fs plan visits mx-2027 --slots "9 10:00-11:00"
expect_stderr_fixed "fieldschool: --slots: '9': mx-2027 has days 1 to 4"
fails 3 fs plan visits mx-2027 --slots "2 10:00-11:00,2 10:30-12:00"
expect_stderr_fixed "fieldschool: visit windows overlap on day 2: 10:00-11:00 and 10:30-12:00"
fails 3 fs plan visits mx-2027 --slots "2 11:00-10:00"
expect_stderr_fixed "ends before it starts"
fails 2 fs plan visits mx-2027 --buffer 2.7
expect_stderr_fixed "fieldschool: --buffer: '2.7': expected a whole number of minutes from 0 to 600"
fails 3 fs plan visits mx-2027 --per-group 5
expect_stderr_fixed "fieldschool: --per-group 5: mx-2027 has 4 sites"
fails 3 fs plan visits nope
expect_stderr_fixed "fieldschool: no mission 'nope'"
fails 3 fs plan visits mx-2027 --slots "2 09:15-11:45,2014-01-01 10:00-11:00"
expect_stderr_fixed "--slots: '2014-01-01': mx-2027 has days 1 to 4"
fails 3 fs plan visits mx-2027 --slots "2027-05-11 09:15-11:45" --per-group 2
expect_stderr_fixed "fieldschool: too few windows: each group visits 2 sites, one per window, but only 1 window is given"
# the bounds name the site that is too small (rw-2027: three sites for
# three groups, every site for every group, two windows a site)
fails 3 fs plan visits rw-2027 --slots "2 09:00-11:30,2 13:30-16:00,3 09:45-12:15" --per-group 3 --speed 1
expect_stderr_fixed "fieldschool: too few windows: each group visits 3 sites, one per window, but only 0 of the 3 windows leave time to reach a site and come back"
unchanged_since demo

# a fourth window in the evening of day 3: 15 minutes after the last
# session is too little to reach any site with the 15-minute buffer ...
SLOTS="2 09:15-11:45,2 14:15-16:45,3 10:00-12:30,3 17:15-18:45"
fails 3 fs plan visits mx-2027 --slots "$SLOTS"
expect_stderr_fixed "fieldschool: too few windows: each group visits 4 sites, one per window, but only 3 of the 4 windows leave time to reach a site and come back"
unchanged_since demo
# ... and enough without it: every group sees the four sites
uids=$(sql "select group_concat(uid) from (select uid from item where kind = 'visit' and mission_id = (select id from mission where code = 'mx-2027') order by uid)")
sql "create table before_plan as select uid, day_date, start_time, sequence from item where kind = 'visit'" >/dev/null
ok fs plan visits mx-2027 --slots "$SLOTS" --buffer 0
expect_stdout '^mx-2027: 3 groups, 4 sites, 4 windows, by flow and edge colouring \(exact\)$'
expect_stdout '^agenda: 3 added, [0-9]+ changed, [0-9]+ unchanged, 0 removed$'
eq "visit items for 3 groups x 4 sites" "$(sql "select count(*) from item where kind = 'visit' and removed = 0 and mission_id = (select id from mission where code = 'mx-2027')")" 12
eq "the old items are still there, with their UIDs" \
	"$(sql "select count(*) from item where kind = 'visit' and removed = 0 and mission_id = (select id from mission where code = 'mx-2027') and ','||'$uids'||',' like '%,'||uid||',%'")" 9
eq "items that moved to another time got a higher SEQUENCE" \
	"$(sql "select count(*) from item i join before_plan b on b.uid = i.uid where (i.day_date, i.start_time) is not (b.day_date, b.start_time) and i.sequence <= b.sequence")" 0
check "some items moved" test "$(sql "select count(*) from item i join before_plan b on b.uid = i.uid where (i.day_date, i.start_time) is not (b.day_date, b.start_time)")" -gt 0
ok fs check mx-2027 --buffer 0
expect_stderr_fixed "0 errors"
# back to three windows: the fourth window's items are removed (kept as
# cancelled for the feeds), the others stay
ok fs plan visits mx-2027 --per-group 3
expect_stdout '^agenda: 0 added, [0-9]+ changed, [0-9]+ unchanged, 3 removed$'
eq "visit items after going back" "$(sql "select count(*) from item where kind = 'visit' and removed = 0 and mission_id = (select id from mission where code = 'mx-2027')")" 9
ok fs check mx-2027

# no groups, no visits, a visit without a place
add_mission m1
ok fs agenda add m1 --day 1 --start 10:00 --end 11:00 --kind session --title Talk
fails 3 fs plan visits m1
expect_stderr_fixed "fieldschool: no groups in m1: run 'fieldschool plan groups m1' first"
ok fs participant add --given-name A --family-name B --category 1 --mission m1 --status confirmed --group A
fails 3 fs plan visits m1
expect_stderr_fixed "fieldschool: no visit items in m1: add one per site"
ok fs agenda add m1 --ref V1 --day 1 --start 12:00 --end 13:00 --kind visit --title Visit
fails 3 fs plan visits m1
expect_stderr_fixed "fieldschool: visit V1 has no place: give the site it visits (agenda edit V1 --place NAME)"
ok fs agenda edit V1 --place "Site 1" --capacity 5
ok fs plan visits m1
expect_stdout '^day 1 12:00-13:00: A at Site 1$'
eq "V1 audience" "$(sql "select audience from item where ref = 'V1'")" "group:A"

# travel between windows: two sites 6.2 km apart (19 min at 20 km/h, 34
# with the buffer), two groups, windows back to back on day 2
add_mission t2
for i in 1 2 3 4; do
	ok fs participant add --given-name "P$i" --family-name T --category 1 --mission t2 --status confirmed --group "$( ((i <= 2)) && echo A || echo B)"
done
ok fs agenda add t2 --ref VX --day 2 --start 14:00 --end 15:00 --kind visit --title X --place SiteX --lat 14.55 --lon 121.0 --capacity 5
ok fs agenda add t2 --ref VY --day 2 --start 16:00 --end 17:00 --kind visit --title Y --place SiteY --lat 14.6058 --lon 121.0 --capacity 5
snapshot t2
fails 3 fs plan visits t2 --slots "2 09:30-10:30,2 10:30-11:30"
expect_stderr_fixed "too little time between windows: group A can be at a site in at most 1 of its 2 usable windows (two windows with less than 34 min between them, the shortest trip between two sites, buffer included, cannot both be used), and must visit 2 sites"
expect_stderr_fixed "a group cannot visit both 'SiteX' and 'SiteY' in day 2 09:30-10:30 and day 2 10:30-11:30: 0 min between them, and the trip takes 34 min, buffer included"
expect_stdout_empty
unchanged_since t2
# 30 minutes are not enough either (check would warn: the buffer)
fails 3 fs plan visits t2 --slots "2 09:30-10:30,2 11:00-12:00"
expect_stderr_fixed "30 min between them, and the trip takes 34 min"
unchanged_since t2
# one site each fits back to back; check agrees
ok fs plan visits t2 --slots "2 09:30-10:30,2 10:30-11:30" --per-group 1
expect_stdout '^day 2 09:30-10:30: A at Site[XY]; B at Site[XY]$'
ok fs check t2
expect_stderr_fixed "0 errors, 0 warnings"
# 45 minutes between the windows: both sites, check is clean
ok fs plan visits t2 --slots "2 09:30-10:30,2 11:15-12:15"
ok fs check t2
expect_stderr_fixed "0 errors, 0 warnings"

# items during the windows: a plenary for everyone refuses the window ...
ok fs agenda add t2 --ref PL --day 2 --start 08:30 --end 09:30 --kind session --title Plenary
snapshot t2-plenary
fails 3 fs plan visits t2 --slots "2 08:00-09:00,2 12:00-13:00"
expect_stderr_fixed "fieldschool: visit window day 2 08:00-09:00 overlaps PL (day 2 08:30-09:30), which is for everyone: choose windows outside it"
unchanged_since t2-plenary
# ... a session for group A keeps A out of that window only
ok fs agenda add t2 --ref SA --day 2 --start 12:00 --end 13:00 --kind session --title "A only" --audience group:A
ok fs plan visits t2 --slots "2 12:00-13:00,2 14:00-15:00,2 16:00-17:00" --per-group 2
expect_lines stdout '^day 2 12:00-13:00:.*A' 0
ok fs check t2
expect_stderr_fixed "0 errors, 0 warnings"
# every group at every site in two windows, one of them A's session: none
snapshot t2-session
fails 3 fs plan visits t2 --slots "2 12:00-13:00,2 14:00-15:00"
expect_stderr_fixed "no rotation exists"
unchanged_since t2-session

finish
