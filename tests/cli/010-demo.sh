#!/bin/bash
# fieldschool demo: the three demo missions, their CSV exports, and the
# commands a new user runs against the demo database.
. "$(dirname "$0")/lib.sh"

DEMO=$TMP/demo
DATA=$FIELDSCHOOL_SRC/data/demo

ok fs demo --out "$DEMO"
expect_stdout "three missions in $DEMO/fieldschool.db"
expect_stdout 'mx-2027 +2027-05-10 to 2027-05-13 +America/Mexico_City'
expect_stdout 'rw-2027 +2027-06-14 to 2027-06-17 +Africa/Kigali'
expect_stdout 'ph-2027 +2027-09-13 to 2027-09-16 +Asia/Manila'
expect_stdout "wrote 10 files to $DEMO/"
for f in fieldschool.db missions.csv agenda-mx-2027.csv agenda-rw-2027.csv \
	agenda-ph-2027.csv participants-mx-2027.csv participants-rw-2027.csv \
	participants-ph-2027.csv; do
	check "demo wrote $f" test -s "$DEMO/$f"
done
check "no temporary files left in the demo folder" \
	test -z "$(ls -A "$DEMO" | grep -E 'tmp')"
eq "files in the demo folder (7 CSV, 3 rosters, database, feeds/)" "$(ls -A "$DEMO" | grep -cvE -- '-(wal|shm)$')" 12
check "demo published the mission feeds" test -s "$DEMO/feeds/mx-2027/mx-2027.ics" -a -s "$DEMO/feeds/ph-2027/ph-2027.ics"
# The rosters of the three missions, read back and recalculated.
for m in mx-2027 rw-2027 ph-2027; do
	ok "$PYTHON" "$FIELDSCHOOL_SRC/tests/xlsx_check.py" structure "$DEMO/roster-$m.xlsx" "$m"
done
ok "$PYTHON" "$FIELDSCHOOL_SRC/tests/xlsx_check.py" recalc "$DEMO/roster-ph-2027.xlsx"
expect_stdout 'LibreOffice agrees' 

export FIELDSCHOOL_DB=$DEMO/fieldschool.db
eq "demo database integrity" "$(sql 'pragma integrity_check')" ok

# The CSV files are the exports of that database.
ok fs mission export
same_file "missions.csv is 'mission export'" "$DEMO/missions.csv" "$LAST_OUT"
for m in mx-2027 rw-2027 ph-2027; do
	ok fs agenda export "$m"
	same_file "agenda-$m.csv is 'agenda export $m'" "$DEMO/agenda-$m.csv" "$LAST_OUT"
	ok fs participant export "$m"
	same_file "participants-$m.csv is 'participant export $m'" \
		"$DEMO/participants-$m.csv" "$LAST_OUT"
done
eq "participant rows of the three missions" \
	"$(($(csv_rows "$DEMO/participants-mx-2027.csv") + $(csv_rows "$DEMO/participants-rw-2027.csv") + $(csv_rows "$DEMO/participants-ph-2027.csv")))" \
	"$(sql 'select count(*) from registration')"

ok fs mission list
expect_stdout '^code +start +end +city +timezone'
expect_lines stdout '^(mx|rw|ph)-2027 ' 3
expect_stdout '^ph-2027 +2027-09-13 +2027-09-16 +Manila +Asia/Manila'
ok fs --json mission list
eq "missions in 'mission list --json'" "$(json_len <"$LAST_OUT")" 3

ok fs agenda list mx-2027
expect_stdout '^mx-2027 day 1, Monday 2027-05-10$'
expect_stdout '^mx-2027 day 4, Thursday 2027-05-13$'
expect_lines stdout '^mx-2027 day [0-9], ' 4
expect_lines stdout '^  [0-2][0-9]:[0-5][0-9]-[0-2][0-9]:[0-5][0-9]  ' \
	"$(csv_rows "$DEMO/agenda-mx-2027.csv")"
expect_no_stderr .
ok fs --json agenda list mx-2027
eq "items in 'agenda list mx-2027 --json'" "$(json_len <"$LAST_OUT")" \
	"$(csv_rows "$DEMO/agenda-mx-2027.csv")"

ok fs participant list ph-2027 --json
eq "objects in 'participant list ph-2027 --json'" "$(json_len <"$LAST_OUT")" 60
check "every object is a ph-2027 participant with the participants.csv keys" \
	"$PYTHON" -c '
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
keys = "ref given_name family_name email category mission status arrival departure funded group".split()
assert all(r["mission"] == "ph-2027" for r in rows), "mission"
assert all(all(k in r for k in keys) for r in rows), "keys"
assert len({r["ref"] for r in rows}) == 60, "refs"' "$LAST_OUT"
ok fs participant list ph-2027
expect_lines stdout ' ph-2027 ' 60

# The database holds data/demo plus the plan (groups, the rotation's visit
# items): importing the shipped files into it adds back only the visit
# items the plan removed (never published, so deleted without a trace:
# 125-tombstones.sh) and changes only what the plan set (tests/cli/3NN-*.sh
# test planning itself).
ok fs mission import "$DATA/missions.csv"
expect_stdout ': 3 rows: 0 added, 0 changed, 3 unchanged$'
ok fs participant import "$DATA/participants.csv"
expect_stdout ": $(csv_rows "$DATA/participants.csv") rows: 0 added, [0-9]+ changed, [0-9]+ unchanged$"
planned_away=$("$PYTHON" -c '
import csv, sys
shipped = {(r["mission"], r["ref"]) for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))}
kept = {tuple(l.split("|")) for l in sys.stdin.read().split()}
print(len(shipped - kept))' "$DATA/agenda.csv" < <(sql "select m.code || '|' || i.ref from item i join mission m on m.id = i.mission_id"))
check "the plan removed some shipped visit items ($planned_away)" test "$planned_away" -gt 0
eq "no tombstone left by the plan" "$(sql 'select count(*) from item where removed = 1')" 0
ok fs agenda import "$DATA/agenda.csv"
expect_stdout ": $(csv_rows "$DATA/agenda.csv") rows: $planned_away added, [0-9]+ changed, [0-9]+ unchanged$"

# A second demo into the same folder would replace the database and all
# that was done in it since: refused, the database untouched, unless --force.
add_mission extra-1
eq "missions before the second demo" "$(sql 'select count(*) from mission')" 4
sum_before=$(md5sum <"$DEMO/fieldschool.db")
fails 3 fs demo --out "$DEMO"
expect_stderr_fixed "fieldschool: $DEMO/fieldschool.db exists: the demo needs a new database file (add --force to replace it)"
expect_stdout_empty
eq "database bytes after the refused demo" "$(md5sum <"$DEMO/fieldschool.db")" "$sum_before"
eq "missions after the refused demo" "$(sql 'select count(*) from mission')" 4
check "no temporary database left by the refused demo" \
	test -z "$(ls -A "$DEMO" | grep -E 'tmp')"
# --force starts afresh: what was added since is gone, the files are
# rewritten, no temporary database is left behind.
ok fs demo --out "$DEMO" --force
eq "missions after the second demo" "$(sql 'select count(*) from mission')" 3
ok fs participant list ph-2027 --json
eq "ph-2027 participants after the second demo" "$(json_len <"$LAST_OUT")" 60
check "no temporary files left after the second demo" \
	test -z "$(ls -A "$DEMO" | grep -E 'tmp')"
eq "second demo database integrity" "$(sql 'pragma integrity_check')" ok

# --db naming an existing file: refused, file untouched.
sum_before=$(md5sum <"$DEMO/fieldschool.db")
snapshot before-db-demo
fails 3 fs --db "$DEMO/fieldschool.db" demo --out "$TMP/demo2"
expect_stderr_fixed "$DEMO/fieldschool.db exists"
expect_stdout_empty
eq "existing database bytes after refused demo" "$(md5sum <"$DEMO/fieldschool.db")" "$sum_before"
unchanged_since before-db-demo
# ... also when --db comes after the command; the message is the same as
# for --out, and --force replaces the file the same way
fails 3 fs demo --db "$DEMO/fieldschool.db" --out "$TMP/demo2"
expect_stderr_fixed "fieldschool: $DEMO/fieldschool.db exists: the demo needs a new database file (add --force to replace it)"
ok fs participant add --given-name Extra --family-name Person --category 1
eq "people before --db demo --force" "$(sql "select count(*) from participant where given_name = 'Extra'")" 1
ok fs --db "$DEMO/fieldschool.db" demo --out "$TMP/demo2" --force
eq "people after --db demo --force" "$(sql "select count(*) from participant where given_name = 'Extra'")" 0
eq "missions after --db demo --force" "$(sql 'select count(*) from mission')" 3

# --db naming a new file: the database goes there, the CSV files to --out.
ok fs --db "$TMP/elsewhere.db" demo --out "$TMP/demo3"
check "demo database at --db" test -s "$TMP/elsewhere.db"
check "no database in --out when --db is given" test ! -e "$TMP/demo3/fieldschool.db"
check "CSV files in --out" test -s "$TMP/demo3/participants-ph-2027.csv"
eq "missions in the --db demo" "$(DB=$TMP/elsewhere.db sql 'select count(*) from mission')" 3

finish
