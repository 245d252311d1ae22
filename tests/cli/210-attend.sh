#!/bin/bash
# fieldschool attend import|mark|export|list and certificates: sign-in data
# in, all or nothing, and the roster's days present taken from it.
. "$(dirname "$0")/lib.sh"

XLSX_CHECK="$PYTHON $FIELDSCHOOL_SRC/tests/xlsx_check.py"
# days REF FILE: nights, days present, per diem of REF on the roster
days() { $XLSX_CHECK dump "$2" Roster | awk -F'\t' -v ref="$1" '$1 == ref {print $12, $13, $16}'; }

new_db
ok fs mission add --title 'Manila' --country PH --city Manila \
	--timezone Asia/Manila --start 2027-09-13 --days 4 --currency PHP \
	--per-diem 3000 --nightly-rate 5000 ph-a
ok fs mission add --title 'Kigali' --country RW --city Kigali \
	--timezone Africa/Kigali --start 2027-09-14 --days 3 --currency RWF \
	--per-diem 60000 --nightly-rate 90000 rw-a
cat >p.csv <<'CSV'
ref,given_name,family_name,category,mission,status,arrival,departure
A1,Ana,Santos,1,ph-a,confirmed,2027-09-12,2027-09-17
A2,Ben,Reyes,2,ph-a,confirmed,,
A3,Carla,Mendoza,3,ph-a,confirmed,2027-09-13,2027-09-14
A4,Dan,Cruz,4,ph-a,cancelled,,
CSV
ok fs participant import p.csv
printf 'ref,given_name,family_name,category,mission,status\nA2,Ben,Reyes,2,rw-a,confirmed\n' >p2.csv
ok fs participant import p2.csv
cat >agenda.csv <<'CSV'
ref,mission,day,start,end,kind,title
S1,ph-a,1,09:00,10:30,session,Opening
S2,ph-a,2,09:00,10:30,session,Module 2
CSV
ok fs agenda import agenda.csv

# Before any attendance: days present from arrival and departure.
ok fs roster ph-a -o before.xlsx
eq "A1 before attendance" "$(days A1 before.xlsx)" "5 4 12000"
eq "A3 before attendance" "$(days A3 before.xlsx)" "1 2 6000"
ok fs certificates ph-a
expect_stdout $'^\xef\xbb\xbfref,family_name,given_name,organization,category,days_present,days,percent,qualifies,basis'
expect_stdout '^A1,Santos,Ana,,lgu-official,4,4,100,yes,travel dates'
expect_lines stdout '^A3,' 0            # 2 of 4 days: 50%

# --- bad files: every bad row reported, nothing recorded --------------------------
snapshot start
cat >bad.csv <<'CSV'
ref,date,present,session
A1,2027-09-13,yes,
NOPE,2027-09-13,yes,
A1,2027-02-30,yes,
A1,2027-10-01,yes,
A1,2027-09-14,maybe,
A1,2027-09-14,yes,S9
A1,2027-09-14,yes,S1
A2,2027-09-14,yes,
,2027-09-15,yes,
A1,2027-09-13,yes,
CSV
fails 3 fs attend import bad.csv
expect_stderr_fixed "bad.csv:3: ref: unknown participant 'NOPE'"
expect_stderr_fixed "bad.csv:4: date: '2027-02-30': no such day in the calendar"
expect_stderr_fixed "bad.csv:5: date: '2027-10-01': 'A1' has no registration for a mission on that day"
expect_stderr_fixed "bad.csv:6: present: 'maybe': expected yes or no"
expect_stderr_fixed "bad.csv:7: session: no agenda item 'S9' in ph-a"
expect_stderr_fixed "bad.csv:8: session: 'S1' is on 2027-09-13, not 2027-09-14"
expect_stderr_fixed "bad.csv:9: mission: 'A2' has 2 missions on 2027-09-14: say which"
expect_stderr_fixed "bad.csv:10: ref: required"
expect_stderr "^bad.csv:11: ref: .* again: line 2"
expect_stderr_fixed "fieldschool: bad.csv: 9 problems, nothing imported"
expect_stdout_empty
unchanged_since start
check "no attendance recorded" test "$(sql 'select count(*) from attendance')" = 0
printf 'ref,date,present,mood\nA1,2027-09-13,yes,happy\n' >unknown.csv
fails 3 fs attend import unknown.csv
expect_stderr_fixed "unknown.csv:1: unknown column 'mood'"
printf 'ref,present\nA1,yes\n' >nodate.csv
fails 3 fs attend import nodate.csv
expect_stderr_fixed "nodate.csv:1: missing required column 'date'"
fails 4 fs attend import missing.csv
expect_stderr_fixed "fieldschool: missing.csv: No such file or directory"
unchanged_since start

# --- a good file -------------------------------------------------------------
cat >att.csv <<'CSV'
ref,mission,date,session,present
A1,,2027-09-13,,yes
A1,,2027-09-14,S2,yes
A1,,2027-09-15,,yes
A3,ph-a,2027-09-13,S1,yes
A3,ph-a,2027-09-14,,no
A2,ph-a,2027-09-13,,yes
A2,rw-a,2027-09-14,,yes
CSV
ok fs attend import att.csv
expect_stdout '^att.csv: 7 rows: 7 added, 0 changed, 0 unchanged$'
ok fs attend import att.csv
expect_stdout '^att.csv: 7 rows: 0 added, 0 changed, 7 unchanged$'
ok fs attend list ph-a
expect_lines stdout 'ph-a' 6
ok fs --json attend list rw-a
eq "rw-a attendance" "$(last_stdout | json_len)" 1
ok fs attend export ph-a -o out.csv
eq "exported rows" "$(csv_rows out.csv)" 6
ok fs attend import out.csv
expect_stdout '0 added, 0 changed, 6 unchanged'

# Once attendance is recorded, the roster counts the days people signed
# in on the days it covers (13, 14, 15), and the 16th, which nobody has
# been marked for yet, from arrival and departure.
ok fs roster ph-a -o after.xlsx
eq "A1 after attendance (3 days signed, the 16th by dates)" "$(days A1 after.xlsx)" "5 4 12000"
eq "A3 (present on day 1, absent on day 2)" "$(days A3 after.xlsx)" "1 1 3000"
eq "A2 (day 1, and the 16th by dates)" "$(days A2 after.xlsx)" "5 2 6000"
ok $XLSX_CHECK structure after.xlsx ph-a
ok $XLSX_CHECK dump after.xlsx "Finance rules"
expect_stdout 'from attendance: the days people were marked present'
expect_stdout 'not recorded yet: counted from arrival and departure'

# attend mark: one transaction, every ref checked.
ok fs attend mark --date 2027-09-16 --mission ph-a A1 A2
expect_stdout '^present 2027-09-16: 2 added, 0 changed, 0 unchanged$'
ok fs attend mark --date 2027-09-16 --mission ph-a --absent A2
expect_stdout '^absent 2027-09-16: 0 added, 1 changed, 0 unchanged$'
snapshot marked
fails 3 fs attend mark --date 2027-09-15 A3 NOPE A1
expect_stderr_fixed "fieldschool: NOPE: ref: unknown participant 'NOPE'"
expect_stderr_fixed "fieldschool: 1 problem: nothing recorded"
unchanged_since marked
check "A3 not marked on the 15th" test "$(sql "select count(*) from attendance where day_date = '2027-09-15'")" = 1
fails 3 fs attend mark --date 2027-13-01 A1
expect_stderr_fixed "fieldschool: A1: date: '2027-13-01': no such day in the calendar"
fails 3 fs attend mark --date 2027-09-13 --mission nope A1
expect_stderr_fixed "unknown mission 'nope'"
fails 3 fs attend mark --date 2027-09-14 --session S9 --mission ph-a A1
expect_stderr_fixed "no agenda item 'S9' in ph-a"
fails 3 fs attend mark --date 2027-09-16 A2
expect_stderr_fixed "fieldschool: A2: mission: 'A2' has 2 missions on 2027-09-16: say which"
fails 2 fs attend mark A1
expect_stderr_fixed "--date is required"
fails 2 fs attend mark --date 2027-09-14
expect_stderr_fixed "give at least one participant ref"
unchanged_since marked

# Only confirmed registrations are marked present, unless forced; marking
# absent, or a record already there (an export brought back), is fine.
snapshot before_force
fails 3 fs attend mark --date 2027-09-16 --mission ph-a A4
expect_stderr_fixed "fieldschool: A4: ref: 'A4' is cancelled for ph-a, not confirmed: confirm the registration first ('attend mark --force' records it anyway)"
expect_stderr_fixed "fieldschool: 1 problem: nothing recorded"
expect_lines stderr . 2
printf 'ref,mission,date,present\nA4,ph-a,2027-09-15,yes\n' >cancelled.csv
fails 3 fs attend import cancelled.csv
expect_stderr_fixed "cancelled.csv:2: ref: 'A4' is cancelled for ph-a, not confirmed"
unchanged_since before_force
ok fs attend mark --date 2027-09-16 --mission ph-a --absent A4
ok fs attend mark --date 2027-09-16 --mission ph-a --force A4
expect_stdout '^present 2027-09-16: 0 added, 1 changed, 0 unchanged$'
ok fs attend export ph-a -o forced.csv
ok fs attend import forced.csv
expect_stdout ' 0 added, 0 changed, '
ok fs roster ph-a -o forced.xlsx
eq "A4 (cancelled, forced present) is owed nothing" "$(days A4 forced.xlsx)" "0 0 0"
ok fs attend mark --help
expect_stdout '[-]-force'

# Certificates from attendance: A1 4 of 4 days (100%), A2 1 of 4.
ok fs certificates ph-a
expect_stdout '^A1,Santos,Ana,,lgu-official,4,4,100,yes,attendance'
expect_lines stdout '^A[23],' 0
ok fs certificates ph-a --all --min-percent 25
expect_stdout '^A2,Reyes,Ben,,agency-head,1,4,25,yes,attendance'
expect_stdout '^A3,Mendoza,Carla,,md-council,1,4,25,yes,attendance'
expect_lines stdout '^A4,' 0            # cancelled: no certificate
ok fs --json certificates ph-a --min-percent 100
eq "JSON certificates" "$(last_stdout | json_len)" 1
check "JSON numbers" bash -c "$PYTHON -c 'import json,sys; r=json.load(sys.stdin)[0]; assert r[\"percent\"] == 100 and r[\"qualifies\"] == \"yes\"' <'$LAST_OUT'"
fails 3 fs certificates nope
expect_stderr_fixed "fieldschool: no mission 'nope'"
expect_stdout_empty
fails 2 fs certificates ph-a --min-percent 120
expect_stderr_fixed "--min-percent: '120': a whole number from 0 to 100"
fails 2 fs certificates
expect_stderr_fixed "give one mission code"

# Removing a participant's registration removes their attendance.
ok fs participant remove --mission rw-a A2
check "rw-a attendance gone" test "$(sql "select count(*) from attendance a join registration r on r.id = a.registration_id join mission m on m.id = r.mission_id where m.code = 'rw-a'")" = 0

finish
