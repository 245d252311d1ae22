#!/bin/bash
# fieldschool roster: the workbook read back by an independent reader
# (openpyxl), recalculated by LibreOffice, the finance rules on known cases,
# hostile names, and every way the command can fail leaving nothing behind.
. "$(dirname "$0")/lib.sh"

XLSX_CHECK="$PYTHON $FIELDSCHOOL_SRC/tests/xlsx_check.py"
xcheck() { $XLSX_CHECK "$@"; }
# row FILE SHEET REF: the stored values of the row whose first cell is REF
row() { xcheck dump "$1" "$2" | awk -F'\t' -v ref="$3" '$1 == ref'; }
# field N: the Nth tab-separated field of standard input
field() { cut -f"$1"; }

new_db
ok fs mission add --title 'Field school "Manila" & friends' --country PH \
	--city Manila --timezone Asia/Manila --start 2027-09-13 --days 4 \
	--venue 'PICC' --currency PHP --per-diem 3000 --nightly-rate 5500.50 \
	--travel-share 75 --meal-deduction 150 ph-t
ok fs mission add --title 'Kigali school' --country RW --city Kigali \
	--timezone Africa/Kigali --start 2027-06-14 --days 3 --currency RWF \
	--per-diem 60000 --nightly-rate 90000 rw-t
ok fs mission add --title 'Empty school' --country MX --city Puebla \
	--timezone America/Mexico_City --start 2027-05-10 --days 3 mx-empty

LONG=$(printf 'Wolfeschlegelsteinhausenbergerdorff%.0s' 1 2 3 4 5)
ORG=$LONG${LONG:0:25} # 200 characters: the most a name (an organization) holds
"$PYTHON" - "$LONG" "$ORG" <<'PY'
import csv, sys
long, org = sys.argv[1], sys.argv[2]
rows = [
 # ref, given, family, phone, organization, category, status, arrival, departure, funded, group
 ("T-01", "Ana", "Santos", "+63 917 000 0001", "City of Manila", "lgu-official", "confirmed", "2027-09-12", "2027-09-17", "yes", "A"),
 ("T-02", "Ben", "Reyes", "+63 917 000 0002", "Province of Cebu", "lgu-focal", "confirmed", "", "", "yes", "B"),
 ("T-03", "Carla", "Mendoza", "", "MRC Iloilo", "mrc-staff", "confirmed", "2027-09-14T10:00", "2027-09-15", "no", "A"),
 ("T-04", "Dan", "Cruz", "", "NGO", "academe-ngo-business", "cancelled", "", "", "yes", ""),
 ("T-05", "Eve", "Lim", "", "NGO", "academe-ngo-business", "waitlisted", "2027-09-12", "2027-09-17", "yes", ""),
 ("T-06", "Fe", "Garcia", "", "Agency", "agency-head", "confirmed", "2027-09-01", "2027-09-30", "yes", "B"),
 ("T-07", '=HYPERLINK("http://evil.example","click")', "+63 917 555 0101", "+63 917 000 0007", "@handle", "md-council", "confirmed", "2027-09-13", "2027-09-16", "yes", "A"),
 ("T-08", "-1+2", "=1+1", "", "=SUM(A1:A9)", "md-council", "applied", "", "", "", ""),
 ("T-09", "Zoë 🌍", "Ñúñez Peña", "", "Café Ñandú, Inc.", "migrant-association", "confirmed", "2027-09-13", "2027-09-14", "yes", "B"),
 ("T-10", "지민", "김", "", "서울시청", "lgu-official", "confirmed", "2027-09-12", "2027-09-16", "yes", "A"),
 ("T-11", long, long, "", org, "lgu-official", "confirmed", "2027-09-15", "2027-09-20", "yes", "B"),
 ("T-12", "Álvaro", "Álvarez", "", "", "lgu-official", "confirmed", "2027-09-13", "2027-09-16", "yes", "A"),
 ("T-13", "Alba", "Alvarez", "", "", "lgu-official", "confirmed", "2027-09-13", "2027-09-16", "yes", "A"),
 ("RW-1", "Jean-Pierre", "Habimana", "+250 788 000 001", "Gasabo District", "lgu-official", "confirmed", "", "", "yes", "A"),
]
with open("p.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["ref", "given_name", "family_name", "phone", "organization", "category",
                "mission", "status", "arrival", "departure", "funded", "group"])
    for r in rows:
        mission = "rw-t" if r[0].startswith("RW") else "ph-t"
        w.writerow(list(r[:5]) + [r[5], mission] + list(r[6:]))
PY
ok fs participant import p.csv
cat >agenda.csv <<'CSV'
ref,mission,day,start,end,kind,title,place,audience
S1,ph-t,1,09:00,10:30,session,Opening plenary,PICC,all
S2,ph-t,1,11:00,12:30,session,"=cmd|' /C calc'!A0",PICC,all
B1,ph-t,2,08:00,08:45,travel,Buses to the sites,PICC Gate 2,all
V1,ph-t,2,09:00,11:00,visit,Visit: cooperative,Coop Tondo,group:A
V2,ph-t,2,09:00,11:00,visit,Visit: MRC,MRC Manila,group:B
L1,ph-t,2,12:00,13:00,meal,Lunch,PICC,all
V3,ph-t,3,09:00,11:00,visit,Visit: city council,City Hall,category:md-council
V4,ph-t,4,09:00,10:00,visit,Visit: museum,National Museum,all
CSV
ok fs agenda import agenda.csv

# --- one mission ------------------------------------------------------------------
ok fs roster ph-t -o ph.xlsx
expect_stdout '^ph.xlsx: 1 mission, 11 sheets, 13 registrations$'
ok xcheck structure ph.xlsx ph-t '=HYPERLINK("http://evil.example","click")' \
	'+63 917 555 0101' '@handle' '=1+1' '=SUM(A1:A9)' 'Ñúñez Peña' 'Zoë 🌍' \
	'김' "$LONG" "$ORG"
ok xcheck recalc ph.xlsx
expect_stdout 'LibreOffice agrees'

# Hostile names are text cells, never formulas, and show as typed.
line_of() { xcheck dump "$1" Roster | awk -F'\t' -v ref="$2" '$1 == ref {print NR}'; }
n7=$(line_of ph.xlsx T-07)
n8=$(line_of ph.xlsx T-08)
ok xcheck cell ph.xlsx Roster "C$n7"
expect_stdout '^text	=HYPERLINK\("http://evil.example","click"\)$'
ok xcheck cell ph.xlsx Roster "B$n7"
expect_stdout '^text	\+63 917 555 0101$'
ok xcheck cell ph.xlsx Roster "D$n7"
expect_stdout '^text	@handle$'
ok xcheck cell ph.xlsx Roster "C$n8"
expect_stdout '^text	-1\+2$'
ok xcheck cell ph.xlsx Roster "D$n8"
expect_stdout '^text	=SUM\(A1:A9\)$'
check "the formulas are ours only" "$PYTHON" -c '
import re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
for n in z.namelist():
    if n.startswith("xl/worksheets/"):
        for f in re.findall(r"<f>([^<]*)</f>", z.read(n).decode()):
            if not re.match(r"(IF\(|[A-Z]+[0-9]+[*-]|SUBTOTAL\(9,|SUMIF\(|COUNTIFS?\(|SUM\(|(\x27|&apos;)[^!]+(\x27|&apos;)!)", f):
                sys.exit("unexpected formula " + f)' ph.xlsx
ok xcheck cell ph.xlsx Roster A1
expect_stdout '^text	Ref$'

# The finance rules on known cases.  Columns: 12 nights, 13 days present,
# 14 travel days, 16 per diem, 17 meals, 19 accommodation, 20 travel,
# 21 total, 22 funded.
money() { row ph.xlsx Roster "$1" | awk -F'\t' '{print $12, $13, $14, $16, $17, $19, $20, $21, $22}'; }
# arrived the day before, left the day after: 4 days, 5 nights, 2 travel days
eq "T-01 (day before to day after)" "$(money T-01)" "5 4 2 12000 600 27502.5 4500 43402.5 yes"
# no dates: the day before and the day after, as the peer does
eq "T-02 (no dates)" "$(money T-02)" "5 4 2 12000 600 27502.5 4500 43402.5 yes"
# not funded: accommodation only
eq "T-03 (not funded, two days)" "$(money T-03)" "1 2 0 0 0 5500.5 0 5500.5 no"
# cancelled, waitlisted, applied: listed with zeros
eq "T-04 (cancelled)" "$(money T-04)" "0 0 0 0 0 0 0 0 yes"
eq "T-05 (waitlisted)" "$(money T-05)" "0 0 0 0 0 0 0 0 yes"
# weeks early and late: nights clipped to the day before .. the day after
eq "T-06 (clipped)" "$(money T-06)" "5 4 2 12000 600 27502.5 4500 43402.5 yes"
# first day to last day: no travel day, 3 nights
eq "T-07 (first to last)" "$(money T-07)" "3 4 0 12000 600 16501.5 0 27901.5 yes"
# arrives on day 3, leaves long after: 2 days, nights 15..17, one travel day
eq "T-11 (late, long)" "$(money T-11)" "2 2 1 6000 300 11001 2250 18951 yes"
# dates are real dates; a time of day is kept
eq "T-03 arrival" "$(row ph.xlsx Roster T-03 | field 10)" "2027-09-14 10:00:00"
eq "T-01 departure" "$(row ph.xlsx Roster T-01 | field 11)" "2027-09-17"
ok xcheck cell ph.xlsx Roster J2
expect_stdout '^date	'
# Sorted by family name, accents folded: Álvarez next to Alvarez.
eq "roster order" "$(xcheck dump ph.xlsx Roster | sed -n '2,4p' | cut -f2 | tr '\n' '|')" \
	"+63 917 555 0101|=1+1|Alvarez|"
eq "Álvarez after Alvarez" "$(xcheck dump ph.xlsx Roster | sed -n '5p' | cut -f2)" "Álvarez"

# Sign-in sheets: confirmed people expected that day; sessions as columns.
ok xcheck dump ph.xlsx "Sign-in day 1"
expect_stdout '^No\.	Family name	Given name	Organization	Group	09:00 Opening plenary	11:00 =cmd'
expect_stdout 'Signature$'
expect_lines stdout '^[0-9]+	[^	]' 8   # T-03 arrives on day 2, T-11 on day 3
expect_lines stdout '^[0-9]+		' 8     # rows for walk-ins
expect_no_stderr .
ok xcheck dump ph.xlsx "Sign-in day 3"
expect_stdout "	$LONG	"
expect_no_stderr .
ok xcheck dump ph.xlsx "Sign-in day 1"
check "T-04 (cancelled) not on a sign-in sheet" bash -c "! grep -q Cruz '$LAST_OUT'"
check "T-03 not expected on day 1" bash -c "! grep -q Mendoza '$LAST_OUT'"

# Site visits: a page per bus: group A to the cooperative, B to the MRC,
# both to the museum; the md-council category to the city council.
ok xcheck dump ph.xlsx "Site visits"
expect_stdout '^No\.	Family name	Given name	Phone	Dietary needs	Accessibility needs	✓$'
expect_stdout '^Bus: group A to Visit: cooperative	'
expect_stdout '^	Site	Coop Tondo	'
expect_stdout '^	From	PICC Gate 2	'
expect_stdout '^	Departs	08:00:00	'
expect_stdout '^	Date	2027-09-14	'
expect_stdout '^Bus: group B to Visit: MRC	'
expect_stdout '^[0-9]+	Reyes	Ben	\+63 917 000 0002			$'
expect_stdout '^1	\+63 917 555 0101	=HYPERLINK\("http://evil.example","click"\)	\+63 917 000 0007			$'
# Only who is there when the bus leaves, as on the sign-in sheets: T-03
# arrives on day 2 at 10:00 (after group A's 08:00 bus) and leaves on day
# 3, T-11 arrives on day 3, T-09 leaves on day 2: A: 5, B: 3 (T-11 not
# yet there), md-council: 1, the museum on day 4: 5 + 3.
expect_lines stdout '^[0-9]+	' 17
check "T-03 on no bus (arrives after the first, gone by the last)" bash -c "! grep -q Mendoza '$LAST_OUT'"
expect_stdout '^Bus: category md-council to Visit: city council	'
expect_stdout '^	From	PICC	'
expect_lines stdout '^Bus: group [AB] to Visit: museum	' 2
expect_lines stdout '^Bus: ' 5
ok xcheck dump ph.xlsx Agenda
expect_stdout '^Day	Date	Start	End	Kind	Title'
expect_lines stdout '^[0-9]	2027-09-1[3-6]	' 8

# Properties: title from the mission, created from the data.
ok "$PYTHON" -c '
import openpyxl, sys
p = openpyxl.load_workbook(sys.argv[1]).properties
print(p.title); print(p.subject); print(p.creator); print(p.created.year)' ph.xlsx
expect_stdout '^Roster: Field school "Manila" & friends$'
expect_stdout '^Field school ph-t: '

# Zero-decimal currency and a mission without registrations.
ok fs roster rw-t -o rw.xlsx
ok xcheck structure rw.xlsx rw-t
ok xcheck cell rw.xlsx Roster P2
expect_stdout '^formula	180000$'
ok "$PYTHON" -c '
import openpyxl, sys
print(openpyxl.load_workbook(sys.argv[1])["Roster"]["P2"].number_format)' rw.xlsx
expect_stdout '^\[\$RWF\] #,##0$'
ok fs roster mx-empty -o empty.xlsx
expect_stdout '0 registrations'
ok xcheck structure empty.xlsx mx-empty
ok xcheck recalc empty.xlsx

# --- several missions: one workbook, a Summary first -------------------------------
ok fs roster ph-t rw-t -o two.xlsx
expect_stdout '^two.xlsx: 2 missions, 22 sheets, 14 registrations$'
ok xcheck structure two.xlsx ph-t,rw-t
ok fs --json roster --all -o all.xlsx
expect_stdout '^\{"file": "all.xlsx", "missions": 3, "sheets": 32, "registrations": 14\}$'
ok xcheck structure all.xlsx mx-empty,rw-t,ph-t
ok xcheck recalc all.xlsx
ok xcheck dump all.xlsx Summary
expect_stdout '^ph-t	Field school "Manila" & friends	PHP	13	10	'

# Finance rules are mission parameters: change them, the roster follows.
ok fs mission edit --travel-share 50 --meal-deduction '' ph-t
ok fs roster ph-t -o ph2.xlsx
eq "T-01 at 50%, no meal deduction" "$(row ph2.xlsx Roster T-01 | awk -F'\t' '{print $17, $20, $21}')" \
	"0 3000 42502.5"
ok fs mission show ph-t
expect_stdout '^travel_share +50$'
expect_stdout '^meal_deduction +0$'
fails 3 fs mission edit --travel-share 150 ph-t
expect_stderr_fixed "fieldschool: --travel-share: '150': a percentage from 0 to 100"
fails 3 fs mission edit --meal-deduction 1,50 ph-t
expect_stderr_fixed "fieldschool: --meal-deduction: '1,50': expected an amount"

# --- failures: a one-line message, exit status, nothing written ---------------------
cp ph.xlsx keep.xlsx
fails 3 fs roster nope -o ph.xlsx
expect_stderr_fixed "fieldschool: no mission 'nope'"
expect_lines stderr . 1
same_file "a failed roster leaves the old file whole" ph.xlsx keep.xlsx
fails 3 fs roster ph-t nope -o new.xlsx
check "no workbook for an unknown mission" test ! -e new.xlsx
fails 3 fs roster ph-t ph-t -o new.xlsx
expect_stderr_fixed "mission 'ph-t' given twice"
fails 4 fs roster ph-t -o "$TMP/no/such/dir/r.xlsx"
expect_stderr_fixed "fieldschool: $TMP/no/such/dir/r.xlsx: No such file or directory"
expect_lines stderr . 1
: >afile
fails 4 fs roster ph-t -o afile/r.xlsx
expect_stderr_fixed "fieldschool: afile/r.xlsx: Not a directory"
mkdir adir
fails 4 fs roster ph-t -o adir
expect_stderr_fixed "fieldschool: adir: "
check "the directory is still a directory" test -d adir
check "no temporary files left behind" bash -c '! ls "$0" | grep -q "\.tmp\."' "$TMP"
check "none in adir either" bash -c '[ -z "$(ls -A adir)" ]'
fails 2 fs roster ph-t
expect_stderr_fixed "-o FILE.xlsx or --out DIR is required"
fails 2 fs roster -o x.xlsx
expect_stderr_fixed "give at least one mission code (or --all)"
fails 2 fs roster --all ph-t -o x.xlsx
expect_stderr_fixed "give mission codes or --all, not both"
fails 2 fs roster ph-t -o -
fails 2 fs roster ph-t -o x.xlsx --frobnicate
check "no x.xlsx after usage errors" test ! -e x.xlsx
FIELDSCHOOL_DB=$TMP/none.db fails 4 fs roster ph-t -o x.xlsx
expect_stderr_fixed "no database at"
ok fs roster --help
expect_stdout '^usage: fieldschool roster'
expect_stdout 'travel_share'

# The shared benchmark generator's data (names from several scripts, about
# 1% starting with = + - @, early, late and missing travel dates), when this
# checkout has it: read back and recalculated like the rest.
BENCH=${FIELDSCHOOL_BENCH:-$FIELDSCHOOL_SRC/../shared/bench}
if [[ -x $BENCH/gen-dataset ]]; then
	new_db
	"$PYTHON" "$BENCH/gen-dataset" --missions 3 --participants 300 --seed 1 \
		--out "$TMP/bench" >/dev/null </dev/null
	ok fs mission import --ignore-unknown "$TMP/bench/missions.csv"
	ok fs agenda import "$TMP/bench/agenda.csv"
	ok fs participant import "$TMP/bench/participants.csv"
	ok fs roster --all -o bench.xlsx
	expect_stdout '3 missions, 34 sheets, 900 registrations'
	codes=$(fs --json mission list | "$PYTHON" -c 'import json, sys; print(",".join(m["code"] for m in json.load(sys.stdin)))')
	ok xcheck structure bench.xlsx "$codes"
	ok xcheck recalc bench.xlsx
	expect_stdout 'LibreOffice agrees'
	hostile=$(sql "select count(*) from participant where substr(given_name, 1, 1) in ('=', '+', '-', '@') or substr(family_name, 1, 1) in ('=', '+', '-', '@')")
	check "the bench data has formula-like names ($hostile)" test "$hostile" -gt 0
fi

finish
