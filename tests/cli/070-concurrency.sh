#!/bin/bash
# Several commands on one database at once, and imports killed half-way.
. "$(dirname "$0")/lib.sh"

# --- two inits of a new database at once ---------------------------------------------
# Each must wait for the other (busy timeout) rather than fail.  A race: a
# few rounds.
bad_rounds=0
for round in $(seq 1 20); do
	RACE_DB=$TMP/init-race-$round.db
	"$FIELDSCHOOL" --db "$RACE_DB" init >init-1.out 2>&1 </dev/null &
	p1=$!
	"$FIELDSCHOOL" --db "$RACE_DB" init >init-2.out 2>&1 </dev/null &
	p2=$!
	BACKGROUND_PIDS+=("$p1" "$p2")
	wait "$p1"
	s1=$?
	wait "$p2"
	s2=$?
	if [[ "$s1 $s2" != "0 0" ]]; then
		bad_rounds=$((bad_rounds + 1))
		[[ $bad_rounds -le 2 ]] &&
			echo "round $round: exits $s1 $s2: $(cat init-1.out init-2.out)"
	fi
	eq "categories after concurrent inits ($round)" "$(DB=$RACE_DB sql 'select count(*) from category')" 7
	eq "integrity after concurrent inits ($round)" "$(DB=$RACE_DB sql 'pragma integrity_check')" ok
done
eq "rounds of two concurrent inits where one failed" "$bad_rounds" 0

# --- concurrent imports of different files -------------------------------------------------
new_db
for m in m1 m2 m3; do add_mission "$m"; done
gen_participants all.csv 10000 m1,m2,m3 C
"$PYTHON" - <<'EOF'
import csv
rows = list(csv.DictReader(open("all.csv", newline="", encoding="utf-8-sig")))
for name, missions in (("one.csv", {"m1"}), ("two.csv", {"m2", "m3"})):
    with open(name, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(r for r in rows if r["mission"] in missions)
EOF
eq "rows in one.csv" "$(csv_rows one.csv)" 10000
eq "rows in two.csv" "$(csv_rows two.csv)" 20000
"$FIELDSCHOOL" participant import one.csv >one.out 2>one.err </dev/null &
p1=$!
"$FIELDSCHOOL" participant import two.csv >two.out 2>two.err </dev/null &
p2=$!
BACKGROUND_PIDS+=("$p1" "$p2")
# A reader meanwhile sees a whole state: before, between or after the imports.
ok fs participant export
readers_rows=$(csv_rows "$LAST_OUT")
check "an export during the imports sees whole imports ($readers_rows rows)" \
	bash -c "[[ $readers_rows =~ ^(0|10000|20000|30000)$ ]]"
wait "$p1"
eq "exit of the first concurrent import" $? 0
wait "$p2"
eq "exit of the second concurrent import" $? 0
eq "first import's report" "$(cat one.out one.err)" "one.csv: 10000 rows: 10000 added, 0 changed, 0 unchanged"
eq "second import's report" "$(cat two.out two.err)" "two.csv: 20000 rows: 20000 added, 0 changed, 0 unchanged"
eq "people after the concurrent imports" "$(sql 'select count(*) from participant')" 30000
eq "registrations after the concurrent imports" "$(sql 'select count(*) from registration')" 30000
for m in m1 m2 m3; do
	eq "registrations for $m" "$(sql "select count(*) from registration r join mission m on m.id = r.mission_id where m.code = '$m'")" 10000
done
ok fs participant export -o after.csv
eq "rows exported after the concurrent imports" "$(csv_rows after.csv)" 30000
eq "integrity after the concurrent imports" "$(sql 'pragma integrity_check')" ok
# Both again, at once: nothing to do for either.
"$FIELDSCHOOL" participant import one.csv >one.out 2>&1 </dev/null &
p1=$!
"$FIELDSCHOOL" participant import two.csv >two.out 2>&1 </dev/null &
p2=$!
BACKGROUND_PIDS+=("$p1" "$p2")
wait "$p1"
eq "first concurrent re-import" "$?:$(cat one.out)" "0:one.csv: 10000 rows: 0 added, 0 changed, 10000 unchanged"
wait "$p2"
eq "second concurrent re-import" "$?:$(cat two.out)" "0:two.csv: 20000 rows: 0 added, 0 changed, 20000 unchanged"

# The same file twice at once: one adds, the other finds everything there.
new_db
add_mission m1
"$FIELDSCHOOL" participant import one.csv >one.out 2>&1 </dev/null &
p1=$!
"$FIELDSCHOOL" participant import one.csv >two.out 2>&1 </dev/null &
p2=$!
BACKGROUND_PIDS+=("$p1" "$p2")
wait "$p1"
s1=$?
wait "$p2"
s2=$?
eq "exits of the same import twice at once" "$s1 $s2" "0 0"
eq "their reports" "$(sort one.out two.out)" "one.csv: 10000 rows: 0 added, 0 changed, 10000 unchanged
one.csv: 10000 rows: 10000 added, 0 changed, 0 unchanged"
eq "people after the same import twice at once" "$(sql 'select count(*) from participant')" 10000
eq "registrations after the same import twice at once" "$(sql 'select count(*) from registration')" 10000

# The same with the shared benchmark generator, when this checkout has it.
BENCH=${FIELDSCHOOL_BENCH:-$FIELDSCHOOL_SRC/../shared/bench}
if [[ -x $BENCH/gen-dataset ]]; then
	new_db
	"$PYTHON" "$BENCH/gen-dataset" --missions 3 --participants 3000 --seed 1 \
		--out "$TMP/bench" >/dev/null </dev/null
	ok fs mission import --ignore-unknown "$TMP/bench/missions.csv"
	"$PYTHON" - "$TMP/bench/participants.csv" <<'EOF'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
codes = sorted({r["mission"] for r in rows})
for name, keep in (("bench-1.csv", codes[:1]), ("bench-2.csv", codes[1:])):
    with open(name, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
        w.writeheader()
        w.writerows(r for r in rows if r["mission"] in keep)
EOF
	"$FIELDSCHOOL" participant import bench-1.csv >b1.out 2>&1 </dev/null &
	p1=$!
	"$FIELDSCHOOL" participant import bench-2.csv >b2.out 2>&1 </dev/null &
	p2=$!
	BACKGROUND_PIDS+=("$p1" "$p2")
	wait "$p1"
	eq "bench data: first concurrent import" $? 0
	wait "$p2"
	eq "bench data: second concurrent import" $? 0
	eq "bench data: registrations" "$(sql 'select count(*) from registration')" \
		"$(csv_rows "$TMP/bench/participants.csv")"
else
	echo "note: no benchmark generator at $BENCH; own data only"
fi

# --- an import killed while it runs ---------------------------------------------------------
new_db
add_mission m1
printf 'ref,given_name,family_name,category,mission,status\nK0,Kept,Person,1,m1,confirmed\n' >kept.csv
ok fs participant import kept.csv
ok fs agenda add --ref I1 --day 1 --start 09:00 --end 10:00 --kind session --title T m1
snapshot before-kill
"$PYTHON" - <<'EOF'
with open("huge.csv", "w", encoding="utf-8", newline="") as f:
    f.write("ref,given_name,family_name,email,category,mission,status,organization\r\n")
    f.writelines(f"H{i:07d},Given {i},Família,h{i}@example.org,{i % 7 + 1},m1,"
                 f"confirmed,\"Org {i}, Inc.\"\r\n" for i in range(400000))
EOF
"$FIELDSCHOOL" participant import huge.csv >huge.out 2>&1 </dev/null &
pid=$!
BACKGROUND_PIDS+=("$pid")
sleep 0.3
check "the big import still runs after 0.3 s" kill -0 "$pid"
kill -9 "$pid"
wait "$pid" 2>/dev/null
eq "status of the killed import" $? 137
unchanged_since before-kill
eq "integrity after the killed import" "$(sql 'pragma integrity_check')" ok
eq "people after the killed import" "$(sql 'select count(*) from participant')" 1

# Deterministic variant: the import reads a pipe, has taken 200000 rows
# (written to the WAL, not committed) and waits for more when it is killed.
rm -f feed
mkfifo feed
"$FIELDSCHOOL" participant import feed >feed.out 2>&1 </dev/null &
pid=$!
"$PYTHON" - <<'EOF' &
import os, time
with open("feed", "w", encoding="utf-8", newline="") as f:
    f.write("ref,given_name,family_name,category,mission,status,organization\r\n")
    for i in range(200000):
        f.write(f"F{i:06d},Fed,Person {i},{i % 7 + 1},m1,applied,"
                f"Municipality number {i} of the province\r\n")
    f.flush()
    open("fed", "w").close()
    time.sleep(60)
EOF
writer=$!
BACKGROUND_PIDS+=("$pid" "$writer")
for ((i = 0; i < 200; i++)); do
	[[ -e fed ]] && break
	sleep 0.1
done
check "the writer fed 200000 rows" test -e fed
sleep 0.5
check "the import waits for more rows" kill -0 "$pid"
check "the import wrote uncommitted pages to the WAL" \
	test "$(stat -c %s "$FIELDSCHOOL_DB-wal" 2>/dev/null || echo 0)" -gt 0
kill -9 "$pid"
wait "$pid" 2>/dev/null
eq "status of the killed pipe import" $? 137
kill "$writer" 2>/dev/null
wait "$writer" 2>/dev/null
true
unchanged_since before-kill
eq "integrity after the killed pipe import" "$(sql 'pragma integrity_check')" ok
# The database is not left locked: the next import goes through at once.
printf 'ref,given_name,family_name,category,mission\nN1,Next,Import,2,m1\n' >next.csv
FS_TIMEOUT=10 ok fs participant import next.csv
expect_stdout '^next.csv: 1 row: 1 added, 0 changed, 0 unchanged$'
eq "people after the next import" "$(sql 'select count(*) from participant')" 2

# --- two publishes of different missions into one directory at once ---------------
# The manifest (what serve answers from) must list both missions' files:
# the second publish waits for the first.  A race: a few rounds.
DEMO_DB=$TMP/demo-race.db
"$FIELDSCHOOL" --db "$DEMO_DB" demo >/dev/null 2>&1 </dev/null
lost=0
for round in 1 2 3 4 5; do
	rm -rf race-out
	"$FIELDSCHOOL" --db "$DEMO_DB" publish mx-2027 --out race-out >/dev/null 2>&1 </dev/null &
	p1=$!
	"$FIELDSCHOOL" --db "$DEMO_DB" publish rw-2027 --out race-out >/dev/null 2>&1 </dev/null &
	p2=$!
	BACKGROUND_PIDS+=("$p1" "$p2")
	wait "$p1"; s1=$?
	wait "$p2"; s2=$?
	eq "both publishes succeed ($round)" "$s1 $s2" "0 0"
	grep -qx 'mx-2027/mx-2027.ics' race-out/.fieldschool-manifest &&
		grep -qx 'rw-2027/rw-2027.ics' race-out/.fieldschool-manifest ||
		lost=$((lost + 1))
done
eq "rounds where the manifest lost a mission's files" "$lost" 0

finish
