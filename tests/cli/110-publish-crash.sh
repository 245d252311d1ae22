#!/bin/bash
# publish killed part-way: every feed is old or new, never a part, never
# missing; temporary files are never named as feeds and are swept by the
# next publish, which leaves exactly the new set.  The kills come from the
# test hook FIELDSCHOOL_TEST_KILL_AFTER=N (SIGKILL after N files written)
# and from outside (kill -9 at random moments of a larger publish).
. "$(dirname "$0")/lib.sh"

# Failures name the line that called the helpers below, not their own.
_where() {
	local i
	for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
		[[ ${BASH_SOURCE[i]} == */lib.sh ]] && continue
		[[ ${FUNCNAME[i]} == @(after_kill) ]] && continue
		echo "$(basename "${BASH_SOURCE[i]}"):${BASH_LINENO[i - 1]}"
		return
	done
	echo "$TEST_NAME:?"
}

CHECKER=$FIELDSCHOOL_SRC/tests/ics_check.py

ok fs init
ok fs mission add --title "Crash school" --country MD --city Chisinau \
	--timezone Europe/Chisinau --start 2027-03-26 --days 4 \
	--contact-name "Ion Popa" --contact-email ion@example.org m1
# the opening is for everyone and led by both facilitators: changing it
# changes every feed
cat >agenda.csv <<'EOF'
ref,mission,day,start,end,kind,title,audience,facilitators
O1,m1,1,09:00,10:00,session,Opening,all,Dr. Ana Reyes;Ion Ionescu
V1,m1,2,10:00,12:00,visit,Visit A,group:A,Dr. Ana Reyes
V2,m1,2,10:00,12:00,visit,Visit B,group:B,Ion Ionescu
V3,m1,3,10:00,12:00,visit,Visit C,group:C,
M1,m1,3,12:00,13:00,meal,Staff lunch,category:mrc-staff,
S9,m1,4,16:00,17:00,ceremony,Closing,all,
EOF
ok fs agenda import agenda.csv
"$PYTHON" - people.csv <<'EOF'
import csv, sys
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["ref", "given_name", "family_name", "category", "mission",
                "status", "arrival", "departure", "group"])
    cats = ["lgu-official", "mrc-staff", "agency-head"]
    for i in range(14):
        w.writerow([f"R{i:02d}", f"Given{i}", f"Family{i}", cats[i % 3], "m1",
                    "confirmed", "2027-03-25" if i % 2 else "2027-03-25T21:15",
                    "2027-03-30", "ABC"[i % 3]])
EOF
ok fs participant import people.csv

OUT=$TMP/out
ok fs publish m1 --out "$OUT"
cp -a "$OUT" old # the old state, mtimes kept
n_old=$(find old -name '*.ics' | wc -l)
eq "old state: 1 mission + 3 groups + 2 facilitators + 14 personal feeds" "$n_old" 20

# Every feed changes: the opening moves (its SEQUENCE and times change in
# every feed), one token is rotated (its old file must go, at the end).
ok fs agenda edit O1 --start 08:30 --title "Opening plenary"
rotated_old=$(fs token show R05 --mission m1 </dev/null | cut -f3)
ok fs token rotate R05 --mission m1
rotated_new=$(fs token show R05 --mission m1 </dev/null | cut -f3)
# the clean new state: the same database published elsewhere
ok fs --json publish m1 --out "$TMP/new"
n_written_new=$(json_field written <"$LAST_OUT")
# and 21 pages: the mission's, 3 groups', 14 personal, the schedules, the top index
eq "the new state: 20 feeds, index.json and 21 pages written" "$n_written_new" 42
if "$PYTHON" "$CHECKER" --require-libical --quiet "$TMP"/new/m1/*.ics "$TMP"/new/m1/p/*.ics >check.out 2>&1; then
	_pass "the new feeds pass the checker"
else
	_fail "the new feeds pass the checker" "$(head -20 check.out)"
fi
(cd old && find . -type f | sort) >old.list
(cd new && find . -type f | sort) >new.list
check "every feed differs between old and new" bash -c '
	cd "$1" && for f in $(find . -name "*.ics"); do
		[[ -f ../new/$f ]] || continue
		cmp -s "$f" "../new/$f" && { echo "same: $f"; exit 1; }
	done; exit 0' _ "$TMP/old"

# after_kill LABEL: the state of $OUT after a killed publish is sound.
after_kill() {
	"$PYTHON" - "$OUT" "$TMP/old" "$TMP/new" "$1" >"$TMP/verdict" 2>&1 <<'EOF'
import filecmp, os, sys
out, old, new, label = sys.argv[1:5]
bad = []
def files(root):
    got = set()
    for d, _, names in os.walk(root):
        for n in names:
            got.add(os.path.relpath(os.path.join(d, n), root))
    return got
o, n, have = files(old), files(new), files(out)
temps = {f for f in have if os.path.basename(f).startswith(".fs-tmp-")}
for f in sorted(temps):
    if f.endswith(".ics") or f.endswith(".json"):
        bad.append(f"temporary file looks like a feed: {f}")
for f in sorted(have - temps):
    if f not in o and f not in n:
        bad.append(f"unknown file {f}")
        continue
    same_old = f in o and filecmp.cmp(os.path.join(out, f), os.path.join(old, f), shallow=False)
    same_new = f in n and filecmp.cmp(os.path.join(out, f), os.path.join(new, f), shallow=False)
    if not (same_old or same_new):
        bad.append(f"{f} is neither the old nor the new version "
                   f"({os.path.getsize(os.path.join(out, f))} bytes)")
for f in sorted((o & n) - have):
    bad.append(f"{f} vanished (it is in the old and the new set)")
n_new = sum(1 for f in have - temps if f in n and f.endswith(".ics") and
            filecmp.cmp(os.path.join(out, f), os.path.join(new, f), shallow=False)
            and not (f in o and filecmp.cmp(os.path.join(out, f), os.path.join(old, f), shallow=False)))
print(f"{label}: {len(have - temps)} files, {n_new} new feeds, {len(temps)} temporary files")
print("\n".join(bad))
sys.exit(1 if bad else 0)
EOF
	local status=$?
	if [[ $status == 0 ]]; then
		_pass "$(head -1 "$TMP/verdict"): every file old or new, none missing"
	else
		_fail "after $1: the directory is not sound" "$(head -20 "$TMP/verdict")"
	fi
	# every .ics parses (the checker reads each one)
	local feeds
	mapfile -t feeds < <(find "$OUT" -name '*.ics' ! -name '.fs-tmp-*')
	if "$PYTHON" "$CHECKER" --quiet "${feeds[@]}" >check.out 2>&1; then
		_pass "after $1: all ${#feeds[@]} feeds parse and pass the checker"
	else
		_fail "after $1: a feed does not pass the checker" "$(head -20 check.out)"
	fi
}

# publish_killed_after N: publish with the test hook (its status, 137 when
# the hook fired; in a child shell, so that ours does not print "Killed").
publish_killed_after() {
	bash -c '"$@"; exit $?' _ env FIELDSCHOOL_TEST_KILL_AFTER="$1" \
		"$FIELDSCHOOL" publish m1 --out "$OUT"
}

# new_feeds_in_out: how many feeds of $OUT are the new version.
new_feeds_in_out() {
	grep -Eo '[0-9]+ new feeds' "$TMP/verdict" | cut -d' ' -f1
}

# restore: $OUT as it was after the first publish (bytes and mtimes).
restore() {
	rm -rf "$OUT" && cp -a old "$OUT"
}

# --- the test hook, each N from the old state ----------------------------------
for n in 1 7 19 20; do
	restore
	fails 137 publish_killed_after "$n"
	after_kill "kill after $n files"
	# at least N (writes in flight when the hook fires may land too)
	got=$(new_feeds_in_out)
	check "kill after $n files: at least $n new feeds in place (got $got)" \
		test "${got:-0}" -ge "$n"
	check "kill after $n files: the rotated token's old feed is still there (sweep comes last)" \
		test -f "$OUT/$rotated_old"
	eq "kill after $n files: index.json is still the old one" \
		"$(cmp -s "$OUT/m1/index.json" old/m1/index.json && echo old)" old
done

# --- kills in a row, never restored, then a complete publish ------------------
restore
for n in 3 3 5; do
	fails 137 publish_killed_after "$n"
	after_kill "another kill after $n files"
done
got=$(new_feeds_in_out)
check "three kills in a row: at least 3 + 3 + 5 new feeds in place (got $got)" \
	test "${got:-0}" -ge 11
# what a publish killed in the middle of a write leaves
printf 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\n' >"$OUT/m1/.fs-tmp-AbC123"
printf 'BEGIN:VCALENDAR\r\n' >"$OUT/m1/p/.fs-tmp-XyZ789"
ok fs --json publish m1 --out "$OUT"
# (the kills came before the pages, which follow every feed: the 20 pages
# of the mission change, as the opening moved; the top index lists the
# same missions and stays)
eq "the completing publish: files written (the $((20 - got)) old feeds left, index.json, 20 pages)" \
	"$(json_field written <"$LAST_OUT")" $((20 - got + 1 + 20))
eq "the completing publish: files removed (the rotated token's feed and page)" \
	"$(json_field removed <"$LAST_OUT")" 2
eq "no temporary file left" "$(find "$OUT" -name '.fs-tmp-*' | wc -l)" 0
check "the rotated token's old feed is gone" test ! -e "$OUT/$rotated_old"
check "the rotated token's new feed is there" test -f "$OUT/$rotated_new"
(cd "$OUT" && find . -type f | sort) >out.list
same_file "exactly the new set of files" out.list new.list
check "every file identical to the clean new publish" diff -r "$OUT" new
ok fs --json publish m1 --out "$OUT"
eq "then nothing left to write" "$(json_field written <"$LAST_OUT")" 0
eq "then nothing left to remove" "$(json_field removed <"$LAST_OUT")" 0

# --- kill -9 from outside, at random moments of a larger publish -------------
# 300 more registrations; each round changes the agenda, so every feed
# changes, and kills the publish after a random delay (until 3 kills landed;
# a round whose publish finished first is checked all the same).
gen_participants many.csv 300 m1 K
ok fs participant import many.csv
ok fs publish m1 --out "$OUT"
killed=0
for round in 1 2 3 4 5 6 7 8; do
	((killed >= 3)) && break
	rm -rf old new
	cp -a "$OUT" old
	ok fs agenda edit O1 --title "Opening, round $round"
	ok fs publish m1 --out "$TMP/new"
	"$FIELDSCHOOL" publish m1 --out "$OUT" >/dev/null 2>&1 </dev/null &
	pid=$!
	BACKGROUND_PIDS+=("$pid")
	# 2-60 ms: a publish of 320 feeds takes tens of milliseconds on a
	# quiet machine, seconds on a loaded one
	sleep "0.$(printf %03d $((RANDOM % 59 + 2)))"
	kill -9 "$pid" 2>/dev/null && killed=$((killed + 1))
	wait "$pid" 2>/dev/null
	after_kill "kill -9 (round $round)"
	ok fs publish m1 --out "$OUT"
	check "round $round: after the next publish no temporary file" \
		test -z "$(find "$OUT" -name '.fs-tmp-*')"
	check "round $round: the next publish leaves the new set" diff -r "$OUT" new
done
check "at least one publish was killed from outside (got $killed)" test "$killed" -ge 1

finish
