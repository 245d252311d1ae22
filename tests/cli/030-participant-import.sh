#!/bin/bash
# participant import: RFC 4180 files as spreadsheets write them, names in
# many scripts, and all-or-nothing rejection of bad files with every problem
# reported as FILE:LINE: COLUMN: reason.
. "$(dirname "$0")/lib.sh"

new_db
add_mission m1 2027-03-01 3
add_mission m2 2027-04-05 4

# --- a well-formed but awkward file ----------------------------------------------
# BOM, CRLF, header in another order and case, quoted fields holding commas,
# doubled quotes and line breaks, fields quoted that need not be, names in
# several scripts (one written with a combining accent, which must not be
# normalized), categories by code and by number.
"$PYTHON" - <<'EOF'
import json
cols = ["Family_Name", "GIVEN_NAME", "Category", "REF", "e-mail", "Organization",
        "mission", "Dietary", "accessibility", "Country", "language", "Status",
        "Arrival", "Departure", "funded"]
cols[4] = "Email"
rows = [
    ["Pérez, Jr.", "José", "1", "R-001", "jose@example.org",
     'Municipio de "San Pedro", N.L.', "m1", "no nuts\r\nno fish", "", "MX",
     "es", "confirmed", "2027-02-28", "2027-03-04T06:30", "yes"],
    ["Muñoz Ñúñez", "Begoña", "agency-head", "R-002", "", "Señorío", "m1", "",
     "", "ES", "es", "", "", "", ""],
    ["Müller-Lüdenscheidt", "Jürgen", "3", "R-003", "", "Stadt Köln", "m2", "",
     "", "DE", "de", "applied", "", "", "no"],
    ["Nyiransabimana", "Jean d'Amour", "4", "R-004", "", "Akarere ka Gasabo",
     "m1", "ntabwo arya inyama", "", "RW", "rw", "waitlisted", "", "", ""],
    ["dela Cruz", "Ma. Luningning", "5", "R-005", "", "Barangay Maligaya", "m1",
     "walang baboy", "", "PH", "fil", "", "2027-03-01T08:00", "", ""],
    ["김", "지민", "6", "R-006", "", "서울특별시", "m2", "", "", "KR", "ko", "", "",
     "", ""],
    ["العلي", "محمد", "7", "R-007", "", "وزارة الخارجية، قسم", "m2", "حلال", "",
     "EG", "ar", "", "", "", ""],
    ["Rogelio \"Jun\" Santos", "Jose\u0301", "lgu-focal", "R-008", "", "=SUM(A1)",
     "m1", "tab\there", "needs a ramp,\nand a sign-language interpreter",
     "PH", "fil-PH", "cancelled", "", "", ""],
]
def field(v, force=False):
    if force or any(c in v for c in ',"\r\n'):
        return '"' + v.replace('"', '""') + '"'
    return v
lines = [",".join(cols)]
for i, r in enumerate(rows):
    lines.append(",".join(field(v, force=(i + j) % 5 == 0) for j, v in enumerate(r)))
with open("rfc.csv", "wb") as f:
    f.write(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")
json.dump({"cols": [c.lower() for c in cols], "rows": rows},
          open("rfc.json", "w", encoding="utf-8"), ensure_ascii=False)
EOF
ok fs participant import rfc.csv
expect_stdout '^rfc.csv: 8 rows: 8 added, 0 changed, 0 unchanged$'
expect_no_stderr .
eq "people" "$(sql 'select count(*) from participant')" 8
eq "registrations" "$(sql 'select count(*) from registration')" 8
ok fs participant export -o export.csv
check "every imported value comes back byte for byte, categories as codes" \
	"$PYTHON" -c '
import csv, json, re, sys
def unguard(v):  # the apostrophe before what a spreadsheet would run
    s = v[1:].lstrip("\x27")
    plain = re.fullmatch(r"[+-]?[0-9]*[.]?[0-9]*", v[1:]) and re.search("[0-9]", v)
    if v.startswith("\x27") and s[:1] and s[0] in "=+-@\t\r" and (s != v[1:] or not plain):
        return v[1:]
    return v
want = json.load(open("rfc.json", encoding="utf-8"))
got = {r["ref"]: r for r in csv.DictReader(open("export.csv", newline="", encoding="utf-8-sig"))}
codes = {"1": "lgu-official", "2": "agency-head", "3": "md-council",
         "4": "mrc-staff", "5": "lgu-focal", "6": "migrant-association",
         "7": "academe-ngo-business"}
defaults = {"status": "applied", "funded": "yes"}
bad = []
for row in want["rows"]:
    w = dict(zip(want["cols"], row))
    g = got[w["ref"]]
    for k, v in w.items():
        if k == "category":
            v = codes.get(v, v)
        if not v:
            v = defaults.get(k, v)
        if unguard(g[k]) != v:
            bad.append((w["ref"], k, v, g[k]))
assert not bad, bad'
ok fs participant show R-006 --json
eq "Hangul given name from show --json" "$(json_field given_name <"$LAST_OUT")" "지민"
ok fs participant show R-008 --json
eq "combining accent kept as given" "$(json_field given_name <"$LAST_OUT")" $'Jose\u0301'
eq "multi-line field in JSON" "$(json_field accessibility <"$LAST_OUT")" \
	$'needs a ramp,\nand a sign-language interpreter'
ok fs participant list --json
eq "participant list --json is valid JSON with every row" "$(json_len <"$LAST_OUT")" 8
ok fs participant list m2
expect_lines stdout ' m2 ' 3
ok fs participant import export.csv
expect_stdout '^export.csv: 8 rows: 0 added, 0 changed, 8 unchanged$'

# Each category number 1-7 is that category.
printf 'ref,given_name,family_name,category\n' >numbers.csv
for n in 1 2 3 4 5 6 7; do printf 'N%d,Num,Ber,%d\n' "$n" "$n" >>numbers.csv; done
ok fs participant import numbers.csv
eq "categories by number" \
	"$(sql "select group_concat(c.number || '=' || c.code, ' ') from participant p join category c on c.id = p.category_id where p.ref like 'N%' order by p.ref")" \
	"1=lgu-official 2=agency-head 3=md-council 4=mrc-staff 5=lgu-focal 6=migrant-association 7=academe-ngo-business"

# --- one file, many bad rows: nothing imported, every problem reported ------------
snapshot before-bad
{
	printf 'ref,given_name,family_name,category,mission,status,email,arrival,departure\n'
	printf 'G1,Good,One,1,m1,confirmed,g1@example.org,2027-02-28,2027-03-04\n'      # 2
	printf 'B1,Bad,Category,nosuch,m1,applied,,,\n'                                # 3
	printf 'G2,Good,"Two\nlines, ""quoted""",2,m1,applied,,,\n'                     # 4-5
	printf 'B2,Bad,Date,1,m1,applied,,2027-13-01,\n'                               # 6
	printf 'B3,Bad,Order,1,m1,applied,,2027-03-02,2027-03-01T10:00\n'              # 7
	printf 'B4,Bad,Mission,1,zz-9999,applied,,,\n'                                 # 8
	printf 'B5,Bad,Status,1,m1,maybe,,,\n'                                         # 9
	printf 'B6,Bad,Email,1,m1,applied,not-an-email,,\n'                            # 10
	printf 'B7,Bad,Fields,1,m1\n'                                                  # 11
	printf 'G3,"Good\n\nThree",Person,3,m1,applied,,,\n'                                # 12-14
	printf 'B8,Bad\xff\xfe,Utf8,1,m1,applied,,,\n'                                 # 15
	printf 'G1,Dup,Ref,1,m1,applied,,,\n'                                          # 16
	printf 'G4,Good,Four,4,m2,applied,,,\n'                                        # 17
	printf 'G1,Same,Ref other mission,1,m2,applied,,,\n'                           # 18
	printf 'B9,,Many,nosuch,m1,maybe,x@,,\n'                                       # 19
	printf 'G5,Good,Five,5,m1,applied,,2027-03-01T09:00,2027-03-03\n'              # 20
} >bad.csv
fails 3 fs participant import bad.csv
expect_stderr_fixed "bad.csv:3: category: unknown category 'nosuch' (see 'fieldschool category list')"
expect_stderr_fixed "bad.csv:6: arrival: '2027-13-01': no such day in the calendar"
expect_stderr_fixed "bad.csv:7: departure: departure 2027-03-01T10:00 is before arrival 2027-03-02"
expect_stderr_fixed "bad.csv:8: mission: unknown mission 'zz-9999' (see 'fieldschool mission list')"
expect_stderr_fixed "bad.csv:9: status: 'maybe': expected applied, confirmed, waitlisted or cancelled"
expect_stderr_fixed "bad.csv:10: email: 'not-an-email': not an email address"
expect_stderr_fixed "bad.csv:11: 5 fields where the header has 9"
expect_stderr_fixed "bad.csv:15: given_name: invalid UTF-8 (save the file as UTF-8)"
# a name is one line: the quoted line breaks of rows 4-5 and 12-14 are
# refused (and the lines after them still counted right)
expect_stderr_fixed "bad.csv:4: family_name: a line break at character 4: a name is one line"
expect_stderr_fixed "bad.csv:12: given_name: a line break at character 5: a name is one line"
expect_stderr_fixed "bad.csv:16: ref: 'G1' again: line 2 has the same ref"
expect_stderr_fixed "bad.csv:19: given_name: must not be empty"
expect_stderr_fixed "bad.csv:19: category: unknown category 'nosuch'"
expect_stderr_fixed "bad.csv:19: status: 'maybe'"
expect_stderr_fixed "bad.csv:19: email: 'x@': not an email address"
expect_no_stderr '^bad.csv:(2|5|13|14|17|18|20):'
expect_lines stderr '^bad\.csv:[0-9]+: ' 15
expect_stderr_fixed "fieldschool: bad.csv: 15 problems, nothing imported"
expect_stdout_empty
unchanged_since before-bad

# The same file with --dry-run: the same verdict.
fails 3 fs participant import --dry-run bad.csv
expect_lines stderr '^bad\.csv:[0-9]+: ' 15
unchanged_since before-bad

# Header problems: unknown column, missing required column, a column twice.
printf 'ref,given_name,family_name,category,shoe_size\nU1,Ana,Cruz,1,38\n' >unknown.csv
fails 3 fs participant import unknown.csv
expect_stderr_fixed "unknown.csv:1: unknown column 'shoe_size' (use --ignore-unknown to skip it)"
unchanged_since before-bad
printf 'ref,given_name,category,Mission\nU1,Ana,1,m1\n' >missing.csv
fails 3 fs participant import missing.csv
expect_stderr_fixed "missing.csv:1: missing required column 'family_name'"
printf 'ref,given_name,family_name\nU1,Ana,Cruz\n' >missing2.csv
fails 3 fs participant import missing2.csv
expect_stderr_fixed "missing2.csv:1: missing required column 'category'"
printf 'ref,given_name,family_name,category,REF\nU1,Ana,Cruz,1,U2\n' >twice.csv
fails 3 fs participant import twice.csv
expect_stderr_fixed "twice.csv:1: column 'REF' appears twice"
printf 'ref,given_name,category,colour\nU1,Ana,1,red\n' >both.csv
fails 3 fs participant import both.csv
expect_stderr_fixed "both.csv:1: unknown column 'colour'"
expect_stderr_fixed "both.csv:1: missing required column 'family_name'"
unchanged_since before-bad
# ... --ignore-unknown skips the unknown column
ok fs participant import --ignore-unknown unknown.csv
expect_stdout '^unknown.csv: 1 row: 1 added, 0 changed, 0 unchanged$'
ok fs participant show U1 --json
eq "U1 imported with --ignore-unknown" "$(json_field family_name <"$LAST_OUT")" Cruz

# --- --dry-run ---------------------------------------------------------------------
snapshot before-dry
gen_participants dry.csv 50 m1,m2 D
ok fs participant import --dry-run dry.csv
expect_stdout '^dry.csv: 100 rows: 100 added, 0 changed, 0 unchanged \(dry run: nothing written\)$'
unchanged_since before-dry
ok fs --json participant import --dry-run dry.csv
check "--json import summary" "$PYTHON" -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert s == {"rows": 100, "added": 100, "changed": 0, "unchanged": 0, "groups_cleared": 0, "statuses_reset": 0, "items_repeated": 0, "dry_run": True}, s' "$LAST_OUT"
unchanged_since before-dry
ok fs participant import dry.csv
expect_stdout '^dry.csv: 100 rows: 100 added, 0 changed, 0 unchanged$'
eq "registrations of the D- people" "$(sql "select count(*) from registration r join participant p on p.id = r.participant_id where p.ref like 'D-%'")" 100

# --- one person, two missions in one file: not a duplicate ------------------------
printf 'ref,given_name,family_name,category,mission,status\nT1,Two,Missions,2,m1,confirmed\nT1,Two,Missions,2,m2,applied\n' >two.csv
ok fs participant import two.csv
expect_stdout '^two.csv: 2 rows: 1 added, 1 changed, 0 unchanged$'
eq "T1 is one person" "$(sql "select count(*) from participant where ref = 'T1'")" 1
eq "T1 registrations" "$(sql "select group_concat(m.code || ':' || r.status, ' ') from registration r join participant p on p.id = r.participant_id join mission m on m.id = r.mission_id where p.ref = 'T1' order by m.code")" "m1:confirmed m2:applied"

# --- standard input ----------------------------------------------------------------
printf 'ref,given_name,family_name,category\nS1,From,Stdin,3\n' >stdin.csv
STDIN=stdin.csv ok fs participant import -
expect_stdout ': 1 row: 1 added, 0 changed, 0 unchanged$'
eq "S1 imported from standard input" "$(sql "select family_name from participant where ref = 'S1'")" Stdin

# From a pipe the rows are read as they are needed (no reader thread, which
# could keep a failed import waiting on a stalled pipe): a problem far down
# still comes with its line, and nothing is written.
"$PYTHON" - <<'EOF'
with open("piped.csv", "w") as f:
    f.write("ref,given_name,family_name,category,mission\n")
    for i in range(2, 3002):
        cat = "nosuch" if i == 2900 else "3"
        f.write(f"PIPE-{i},Piped,Row {i},{cat},m1\n")
EOF
mkfifo rows.fifo
cat piped.csv >rows.fifo &
STDIN=rows.fifo fails 3 fs participant import -
wait
expect_stderr_fixed "-:2900: category: unknown category 'nosuch' (see 'fieldschool category list')"
eq "nothing from the pipe written" "$(sql "select count(*) from participant where ref like 'PIPE-%'")" 0
sed -i 's/nosuch/3/' piped.csv
cat piped.csv >rows.fifo &
STDIN=rows.fifo ok fs participant import -
wait
expect_stdout ': 3000 rows: 3000 added, 0 changed, 0 unchanged$'

# --- an empty cell that undoes planning is said, not done quietly -------------------
# Re-importing the first file of a mission (groups and statuses empty)
# after the groups were planned and people confirmed: the import does what
# the file says, and warns how many groups and statuses it cleared.
printf 'ref,given_name,family_name,category,mission,status,group\nW1,Ana,Uno,3,m1,confirmed,A\nW2,Ben,Dos,3,m1,waitlisted,B\nW3,Cy,Tres,3,m1,,\n' >planned.csv
ok fs participant import planned.csv
expect_no_stderr .
printf 'ref,given_name,family_name,category,mission,status,group\nW1,Ana,Uno,3,m1,,\nW2,Ben,Dos,3,m1,waitlisted,\nW3,Cy,Tres,3,m1,,\n' >first.csv
ok fs participant import --dry-run first.csv
expect_stderr_fixed "fieldschool: warning: first.csv: 2 registrations would have their group cleared by an empty group cell (leave the column out to keep the groups)"
expect_stderr_fixed "fieldschool: warning: first.csv: 1 registration would go back to applied by an empty status cell (leave the column out to keep the statuses)"
ok fs --json participant import first.csv
expect_stdout '"groups_cleared": 2, "statuses_reset": 1,'
expect_stderr_fixed "fieldschool: warning: first.csv: 2 registrations had their group cleared"
eq "W1 back to applied, no group" "$(sql "select status || '/' || group_label from registration r join participant p on p.id = r.participant_id where p.ref = 'W1'")" "applied/"
# without the columns, nothing is cleared and nothing said
printf 'ref,given_name,family_name,category,mission\nW2,Ben,Dos,3,m1\n' >no-group.csv
ok fs participant import no-group.csv
expect_no_stderr .

finish
