#!/bin/bash
# What people see when things go wrong, and what scripts read: one JSON
# document per command, --json refused where it means nothing, nothing on
# standard output when a command fails, one exit status per kind of error,
# count messages in the singular and plural, a byte order mark after blank
# lines, the progress line cleared before an error.
. "$(dirname "$0")/lib.sh"

new_db
add_mission m1
add_mission m2 2027-04-01
ok fs participant add --ref P1 --given-name Ana --family-name Cruz \
	--category 1 --mission m1 --status confirmed --group A
ok fs participant edit --mission m2 --status applied P1
ok fs participant add --ref P2 --given-name Ben --family-name Ola --category 2

# --- participant show --json: one document --------------------------------------
ok fs participant show P1 --json
check "participant show --json is one JSON document with both registrations" \
	"$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ref"] == "P1" and d["given_name"] == "Ana", d
regs = d["registrations"]
assert [r["mission"] for r in regs] == ["m1", "m2"], regs
assert regs[0]["status"] == "confirmed" and regs[0]["group"] == "A", regs
assert "mission" not in d, d' "$LAST_OUT"
ok fs participant show P2 --json
check "a person without registration: an empty array" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1]))
assert d["ref"] == "P2" and d["registrations"] == [], d' "$LAST_OUT"
ok fs participant show P1
expect_lines stdout '^given_name +Ana$' 1
expect_lines stdout '^mission +m[12]$' 2

# --- --json where it means nothing ------------------------------------------------
for cmd in "participant export" "mission export" "agenda export m1" \
	"attend export" "ics m1" "participant remove P2" "category add --name X x1" \
	"place add Hall" "facilitator add Bo" "agenda cancel nope" "init"; do
	# shellcheck disable=SC2086
	fails 2 fs --json $cmd
	expect_stderr_fixed "--json: '"
	expect_stderr_fixed "has no JSON output"
	expect_stdout_empty
done
ok fs participant show P2
ok fs --json participant export --help
expect_stdout '^usage: '
# where it means something, it is honoured
ok fs --json participant list m1
eq "participant list --json" "$(json_len <"$LAST_OUT")" 1
ok fs module list seminar --json
eq "module list --json" "$(json_len <"$LAST_OUT")" 4

# --- failures print nothing on standard output --------------------------------------
for cmd in "participant export nope" "attend export nope" "agenda export nope" \
	"mission export nope" "participant list nope" "attend list nope" \
	"ics nope" "certificates nope" "module list nope"; do
	# shellcheck disable=SC2086
	fails 3 fs $cmd
	expect_stdout_empty
	expect_lines stderr . 1
done
for cmd in "participant list nope" "attend list nope" "certificates nope" \
	"module list nope" "participant show nope" "token show nope"; do
	# shellcheck disable=SC2086
	fails 3 fs --json $cmd
	expect_stdout_empty
done
fails 3 fs participant export -o out.csv nope
check "no file from a failed export" test ! -e out.csv
# an empty mission still gets its header
ok fs attend export m2
eq "attend export of a mission without attendance: the header" "$(cat "$LAST_OUT")" $'\xef\xbb\xbfref,mission,date,session,present\r'

# --- token show: --mission only when it is needed ---------------------------------
ok fs participant add --ref T1 --given-name Tess --family-name One --category 1 \
	--mission m1 --status confirmed
ok fs token show T1
expect_stdout '^T1	m1	m1/p/[0-9a-f]{32}\.ics$'
eq "the same token as with --mission" "$(fs token show T1 --mission m1 </dev/null)" "$(last_stdout)"
ok fs participant edit --mission m2 --status cancelled T1
ok fs token show T1
expect_stdout '^T1	m1	'
fails 3 fs token show P1
expect_stderr_fixed "fieldschool: participant 'P1' has 2 registrations (m1, m2): give --mission"
expect_stdout_empty
ok fs token show P1 --mission m2
expect_stdout '^P1	m2	'
fails 3 fs token show P2
expect_stderr_fixed "fieldschool: participant 'P2' has no registration (or no such participant)"
ok fs participant edit --mission m1 --status cancelled T1
fails 3 fs token show T1
expect_stderr_fixed "fieldschool: participant 'T1' has no registration that is not cancelled"

# --- module list: unknown curriculum ------------------------------------------------
fails 3 fs module list foo
expect_stderr_fixed "fieldschool: no curriculum 'foo' (there are: e-course, seminar)"
expect_lines stderr . 1
ok fs module list e-course
expect_lines stdout '^e-course ' 6

# --- byte order mark after blank lines ---------------------------------------------
printf '\n\xef\xbb\xbfref,given_name,family_name,category\nB1,Ana,Cruz,1\n' >bom-late.csv
ok fs participant import bom-late.csv
expect_stdout '^bom-late.csv: 1 row: 1 added'
printf '\n\n\xef\xbb\xbfref,given_name,family_name,nosuch\nB2,Ana,Cruz,1\n' >bom-bad.csv
fails 3 fs participant import bom-bad.csv
expect_stderr_fixed "bom-bad.csv:3: unknown column 'nosuch'"
expect_stderr_fixed "bom-bad.csv:3: missing required column 'category'"

# --- one and many ---------------------------------------------------------------
add_mission solo 2027-06-01
ok fs publish solo --out feeds
expect_stdout '^feeds: 1 feed and 4 pages, 6 files written \([0-9.]+ MB\), 0 unchanged, 0 removed$'
expect_stderr_fixed "fieldschool: warning: 1 mission has no contact email"
printf 'ref,given_name,family_name,category\nQ1\n' >short.csv
fails 3 fs participant import short.csv
expect_stderr_fixed "short.csv:2: 1 field where the header has 4"
ok fs participant add --ref S1 --given-name Sol --family-name Uno --category 1 \
	--mission solo --status confirmed
ok fs plan groups solo --groups 1
expect_stdout '^solo: 1 confirmed participant in 1 group: A 1'
ok fs agenda add --ref V1 --day 1 --start 10:00 --end 12:00 --kind visit \
	--title Site --place "Site one" solo
ok fs plan visits solo --slots '1 10:00-12:00'
expect_stdout '^solo: 1 group, 1 site, 1 window, by '

# --- the progress line is wiped before messages ----------------------------------
# script(1) gives the command a terminal, where the progress line shows;
# the screen is then rendered as a terminal would (a CR goes back to the
# start of the line, text overwrites).
screen() { # screen FILE: the lines a terminal shows for FILE's bytes
	"$PYTHON" -c '
import sys
data = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
for line in data.split("\n"):
    cells, pos = [], 0
    for ch in line:
        if ch == "\r":
            pos = 0
            continue
        if pos < len(cells):
            cells[pos] = ch
        else:
            cells.append(ch)
        pos += 1
    print("".join(cells).rstrip())' "$1"
}
if script -q -c true /dev/null >/dev/null 2>&1; then
	printf 'mission,ref,day,start,end,kind,title\nnope,A1,1,09:00,10:00,session,T\n' >agenda.csv
	script -q -e -c "\"$FIELDSCHOOL\" agenda import agenda.csv" /dev/null \
		</dev/null >tty.out 2>&1
	screen tty.out >tty.screen
	check "an import at a terminal showed its progress" grep -q importing tty.out
	check "the error starts its own line" \
		grep -qx "agenda.csv:2: mission: unknown mission 'nope' (see 'fieldschool mission list')" tty.screen
	check "no progress left on the screen" bash -c '! grep -q importing "$0"' tty.screen
	printf 'mission,ref,day,start,end,kind,title\nm1,A1,1,09:00,10:00,session,T\n' >agenda.csv
	script -q -e -c "\"$FIELDSCHOOL\" agenda import agenda.csv" /dev/null \
		</dev/null >tty.out 2>&1
	screen tty.out >tty.screen
	check "a good import: the summary alone" grep -qx "agenda.csv: 1 row: 1 added, 0 changed, 0 unchanged" tty.screen
	check "no progress left on the screen" bash -c '! grep -q importing "$0"' tty.screen
	script -q -e -c "\"$FIELDSCHOOL\" publish m1 --out tty-feeds" /dev/null \
		</dev/null >tty.out 2>&1
	screen tty.out >tty.screen
	check "publish at a terminal showed its progress" grep -q 'publishing: ' tty.out
	check "publish: no progress left on the screen" bash -c '! grep -q "publishing: " "$0"' tty.screen
	check "publish: its warning on a line of its own" grep -q '^fieldschool: warning: 1 mission has no contact email' tty.screen
else
	echo "skip: no script(1): no terminal cases"
fi

finish
