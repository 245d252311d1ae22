#!/bin/bash
# fieldschool plan groups: balanced sizes and categories, re-planning after
# late registrations and cancellations moves few people, --dry-run changes
# nothing, errors for unknown missions, no confirmed participants, too many
# groups.
. "$(dirname "$0")/lib.sh"

new_db
add_mission m1
add_mission m2
cat >p.csv <<'CSV'
ref,given_name,family_name,organization,category,country,language,mission,status
R01,Ana,Cruz,Org 1,lgu-official,PH,fil,m1,confirmed
R02,Ben,Reyes,Org 1,lgu-official,PH,fil,m1,confirmed
R03,Cora,Santos,Org 2,lgu-official,MX,es,m1,confirmed
R04,Dan,Lim,Org 2,lgu-official,PH,en,m1,confirmed
R05,Eva,Uwase,Org 3,mrc-staff,RW,rw,m1,confirmed
R06,Fe,Tan,Org 3,mrc-staff,PH,fil,m1,confirmed
R07,Gil,Go,Org 4,mrc-staff,PH,en,m1,confirmed
R08,Hana,Kim,Org 4,lgu-focal,KR,en,m1,confirmed
R09,Ian,Sy,Org 5,lgu-focal,PH,fil,m1,confirmed
R10,Jo,Ong,Org 5,lgu-focal,MX,es,m1,confirmed
R11,Kai,Waitlisted,Org 6,lgu-focal,PH,fil,m1,waitlisted
R12,Lea,Cancelled,Org 6,lgu-official,PH,fil,m1,cancelled
R13,Max,Applied,Org 7,lgu-official,PH,fil,m2,applied
CSV
ok fs participant import p.csv

# balanced: sizes and each category's counts differ by at most one
balanced() {
	"$PYTHON" - "$@" <<'PY'
import collections, csv, sys, subprocess
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["status"] == "confirmed"]
size = collections.Counter(r["group"] for r in rows)
assert "" not in size, "someone confirmed has no group"
groups = sorted(size)
assert len(groups) == int(sys.argv[2]), groups
assert max(size.values()) - min(size.values()) <= 1, size
for cat in {r["category"] for r in rows}:
    n = collections.Counter(r["group"] for r in rows if r["category"] == cat)
    counts = [n.get(g, 0) for g in groups]
    assert max(counts) - min(counts) <= 1, (cat, counts)
others = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8")) if r["status"] != "confirmed"]
assert all(r["group"] == "" for r in others), "a group for someone not confirmed"
PY
}

snapshot before
ok fs plan groups m1 --groups 3 --dry-run
expect_lines stdout '^R[0-9]+: \(none\) -> [ABC]$' 10
expect_stdout '^m1: 10 confirmed participants in 3 groups: A 4 B 3 C 3$'
expect_stdout '^dry run, nothing saved: 0 kept their group, 10 joined one, 0 moved$'
unchanged_since before

ok fs plan groups m1 --groups 3
expect_stdout '^0 kept their group, 10 joined one, 0 moved$'
ok fs participant export m1 -o g.csv
check "3 balanced groups" balanced g.csv 3
# two people of one organization are apart where possible
eq "organizations split" "$(sql "select count(*) from (select p.organization, r.group_label from registration r join participant p on p.id = r.participant_id where r.status = 'confirmed' group by 1, 2 having count(*) > 1)")" 0

# deterministic: the same plan from scratch, and a re-run moves nobody
first=$(sql "select group_concat(p.ref || r.group_label, ' ') from registration r join participant p on p.id = r.participant_id order by p.ref")
snapshot planned
ok fs plan groups m1
expect_stdout '^m1: 10 confirmed participants in 3 groups: A 4 B 3 C 3$'
expect_stdout '^10 kept their group, 0 joined one, 0 moved$'
unchanged_since planned
ok fs --json plan groups m1 --dry-run
check "JSON plan" "$PYTHON" -c '
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
assert d["groups"] == {"A": 4, "B": 3, "C": 3} and d["kept"] == 10 and d["moves"] == [], d' "$LAST_OUT"
sql "update registration set group_label = ''" >/dev/null
ok fs plan groups m1 --groups 3
eq "same plan from scratch" "$(sql "select group_concat(p.ref || r.group_label, ' ') from registration r join participant p on p.id = r.participant_id order by p.ref")" "$first"

# a late registration joins a group; nobody else moves
ok fs participant add --ref R14 --given-name Late --family-name Comer --category mrc-staff --organization "Org 8" --mission m1 --status confirmed
snapshot late
ok fs plan groups m1 --dry-run
expect_lines stdout '^R14: \(none\) -> [BC]$' 1
expect_lines stdout ' -> ' 1
expect_stdout '^dry run, nothing saved: 10 kept their group, 1 joined one, 0 moved$'
unchanged_since late
ok fs plan groups m1
ok fs participant export m1 -o g.csv
check "balanced after the late registration" balanced g.csv 3

# cancellations unbalance group A: the fewest people move back
for r in $(sql "select p.ref from registration r join participant p on p.id = r.participant_id where r.group_label = 'A' and r.status = 'confirmed' order by p.ref limit 2"); do
	ok fs participant edit "$r" --mission m1 --status cancelled --group ""
done
ok fs plan groups m1 --dry-run
moved=$(sed -n 's/.*, \([0-9]*\) moved$/\1/p' "$LAST_OUT")
check "at most two people move after two cancellations ($moved)" test "$moved" -le 2 -a "$moved" -ge 1
ok fs plan groups m1
ok fs participant export m1 -o g.csv
check "balanced after cancellations" balanced g.csv 3

# --max-size: as few groups as keep each at most N
ok fs plan groups m1 --max-size 2 --dry-run
expect_stdout '^m1: 9 confirmed participants in 5 groups: A 2 B 2 C 2 D 2 E 1$'

# errors: one line, exit 3, nothing changed
snapshot errors
fails 3 fs plan groups nope
expect_stderr_fixed "fieldschool: no mission 'nope'"
fails 3 fs plan groups m2
expect_stderr_fixed "fieldschool: no confirmed participants in m2: confirm registrations first"
fails 3 fs plan groups m1 --groups 20
expect_stderr_fixed "fieldschool: 20 groups for 9 confirmed participants: give at most 9"
expect_stdout_empty
unchanged_since errors

finish
