#!/bin/bash
# -o FILE outputs (roster, export, ics) killed while writing leave nothing
# behind: the file is written without a name (O_TMPFILE) and only then
# linked and renamed.  Where the file system has no O_TMPFILE
# (FIELDSCHOOL_TEST_NO_TMPFILE=1 forces that path) a killed write leaves
# FILE.tmp.XXXXXX, which the next write of FILE removes, unless a live
# writer holds it.  FIELDSCHOOL_TEST_KILL_WRITE=1 kills a write when the
# new file is complete but not in place; kill -9 from outside kills at
# random moments.
. "$(dirname "$0")/lib.sh"

ok fs init
add_mission m1
gen_participants people.csv 1500 m1
ok fs participant import people.csv
cat >agenda.csv <<'EOF'
ref,mission,day,start,end,kind,title
O1,m1,1,09:00,10:00,session,Opening
EOF
ok fs agenda import agenda.csv

# temps: the temporary files in the directory
temps() {
	find . -maxdepth 1 -name '*.tmp.*' | sort
}

# killed_write FILE ARGS...: fieldschool ARGS -o FILE killed by the hook leaves no
# temporary file and the old FILE whole
killed_write() {
	local file=$1
	shift
	"$FIELDSCHOOL" "$@" -o "$file" >/dev/null || _fail "$* -o $file failed"
	cp "$file" "$file.before"
	fails 137 bash -c '"$@"; exit $?' _ env FIELDSCHOOL_TEST_KILL_WRITE=1 \
		"$FIELDSCHOOL" "$@" -o "$file"
	eq "$* killed: no temporary file left" "$(temps)" ""
	same_file "$* killed: the old $file is whole" "$file" "$file.before"
	rm "$file.before"
}
killed_write roster.xlsx roster m1
killed_write people.out.csv participant export m1
killed_write missions.csv mission export
killed_write agenda.out.csv agenda export m1
killed_write m1.ics ics m1

# --- without O_TMPFILE: named from the start, swept by the next write ---------
export FIELDSCHOOL_TEST_NO_TMPFILE=1
fails 137 bash -c '"$@"; exit $?' _ env FIELDSCHOOL_TEST_KILL_WRITE=1 \
	"$FIELDSCHOOL" participant export m1 -o people.out.csv
check "no O_TMPFILE, killed: a people.out.csv.tmp.XXXXXX is left" \
	test "$(temps | grep -c '^./people.out.csv.tmp.[A-Za-z0-9]\{6\}$')" = 1
left=$(temps)
# another target's temporary file, and one a live writer holds (locked)
printf 'x' >other.csv.tmp.AbC123
printf 'y' >people.out.csv.tmp.Live01
flock people.out.csv.tmp.Live01 sleep 30 &
BACKGROUND_PIDS+=($!)
for _ in 1 2 3 4 5 6 7 8 9 10; do
	flock -n people.out.csv.tmp.Live01 true || break
	sleep 0.2
done
fails 137 bash -c '"$@"; exit $?' _ env FIELDSCHOOL_TEST_KILL_WRITE=1 \
	"$FIELDSCHOOL" participant export m1 -o people.out.csv
check "the next (killed) write removed the first leftover" test ! -e "$left"
ok fs participant export m1 -o people.out.csv
eq "the next write removed every leftover of people.out.csv but the locked one" \
	"$(temps)" "$(printf './other.csv.tmp.AbC123\n./people.out.csv.tmp.Live01')"
ok fs participant export m1
same_file "the file written is complete" people.out.csv "$LAST_OUT"
unset FIELDSCHOOL_TEST_NO_TMPFILE

# --- kill -9 from outside, at random moments --------------------------------------
# (until 4 kills landed during a write; a run that finished first counts
# as a check all the same)
killed=0
for round in $(seq 1 12); do
	for cmd in "roster m1 -o roster.xlsx" "participant export m1 -o people.out.csv"; do
		# shellcheck disable=SC2086
		"$FIELDSCHOOL" $cmd >/dev/null 2>&1 &
		pid=$!
		sleep "0.0$((RANDOM % 9 + 1))"
		kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
		wait "$pid" 2>/dev/null
	done
	[[ $killed -ge 4 && $round -ge 4 ]] && break
done
check "kill -9 from outside landed ($killed kills)" test "$killed" -ge 1
eq "kill -9 from outside: no temporary file left" "$(temps | grep -v -e other.csv -e Live01)" ""
check "the roster left in place opens (openpyxl)" "$PYTHON" -c \
	'import openpyxl, sys; openpyxl.load_workbook(sys.argv[1])' roster.xlsx
ok fs participant export m1
same_file "the export left in place is whole" people.out.csv "$LAST_OUT"

finish
