#!/bin/bash
# fieldschool roster after review: category codes differing only by case,
# more than 64 categories, currencies without minor units, invalid UTF-8
# from the command line, sheet names that would clash, long visit headings.
. "$(dirname "$0")/lib.sh"

XLSX_CHECK="$PYTHON $FIELDSCHOOL_SRC/tests/xlsx_check.py"
xcheck() { $XLSX_CHECK "$@"; }
row() { xcheck dump "$1" "$2" | awk -F'\t' -v ref="$3" '$1 == ref'; }

new_db
add_mission t1 2027-09-13 3
ok fs mission edit --currency PHP t1

# --- 1. category codes equal ignoring case ------------------------------------------
fails 3 fs category add --name 'Officials again' LGU-OFFICIAL
expect_stderr_fixed "fieldschool: category 'LGU-OFFICIAL' exists as 'lgu-official' (codes must differ by more than case)"
expect_lines stderr . 1
eq "no LGU-OFFICIAL category" "$(sql "select count(*) from category where code = 'LGU-OFFICIAL'")" 0
# An older database may hold such codes: the workbook keeps them apart
# (EXACT, not COUNTIFS/SUMIFS, which ignore case).
sql "insert into category (number, code, name) values ((select max(number) + 1 from category), 'LGU-OFFICIAL', 'Upper')"
ok fs participant add --ref C-1 --given-name A --family-name Lower --category lgu-official \
	--mission t1 --status confirmed
ok fs participant add --ref C-2 --given-name B --family-name Upper --category LGU-OFFICIAL \
	--mission t1 --status confirmed
ok fs roster t1 -o case.xlsx
ok xcheck structure case.xlsx t1
bycat() { xcheck dump case.xlsx "By category" | awk -F'\t' -v c="$1" '$1 == c {print $3, $4; exit}'; }
eq "lgu-official: 1 registration" "$(bycat lgu-official)" "1 1"
eq "LGU-OFFICIAL: 1 registration" "$(bycat LGU-OFFICIAL)" "1 1"
ok xcheck recalc case.xlsx
expect_stdout 'LibreOffice agrees'

# --- 2. more than 64 categories -----------------------------------------------------
for i in $(seq 1 70); do
	echo "insert into category (number, code, name) values ((select max(number) + 1 from category), 'extra-$i', 'Extra $i');"
done | sql
ok fs participant add --ref C-70 --given-name Z --family-name Seventy --category extra-70 \
	--mission t1 --status confirmed
ok fs roster t1 -o many.xlsx
ok xcheck structure many.xlsx t1
eq "the 78th category is listed" \
	"$(xcheck dump many.xlsx "By category" | awk -F'\t' '$1 == "extra-70" {print $3; exit}')" 1
eq "and in the Roster" "$(row many.xlsx Roster C-70 | cut -f6)" extra-70

# --- 3. a currency without minor units ----------------------------------------------
ok fs mission add --title 'Kigali' --country RW --city Kigali --timezone Africa/Kigali \
	--start 2027-06-14 --days 3 --currency RWF --per-diem 15001 --nightly-rate 90000 \
	--travel-share 33 rw
for i in 1 2 3; do
	ok fs participant add --ref RW-$i --given-name "P$i" --family-name Rw --category 1 \
		--mission rw --status confirmed --arrival 2027-06-13 --departure 2027-06-17
done
ok fs roster rw -o rw.xlsx
eq "travel rounded to the franc" "$(row rw.xlsx Roster RW-1 | cut -f20)" 9901
ok fs roster rw t1 -o rw2.xlsx
ok xcheck structure rw2.xlsx rw,t1
ok xcheck recalc rw.xlsx
expect_stdout 'LibreOffice agrees'
check "totals are the sums of the rows as shown" "$PYTHON" -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1], data_only=True)["Roster"]
rows = [r for r in ws.iter_rows(min_row=2) if r[0].value and str(r[0].value).startswith("RW-")]
total = [r for r in ws.iter_rows(min_row=2) if r[0].value == "Total (filtered rows)"][0]
for i in (15, 16, 18, 19, 20):
    shown = sum(round(r[i].value) for r in rows)
    if total[i].value != shown or any(r[i].value != round(r[i].value) for r in rows):
        sys.exit("column %d: total %r, rows shown sum to %r" % (i, total[i].value, shown))' rw.xlsx
fails 3 fs mission add --title 'Kigali 2' --country RW --city Kigali --timezone Africa/Kigali \
	--start 2027-06-14 --days 3 --currency RWF --per-diem 15001.50 rw3
expect_stderr_fixed "fieldschool: --per-diem: '15001.50': RWF has no minor units, give a whole amount"

# --- 4. invalid UTF-8 from the command line ------------------------------------------
fails 3 fs participant add --given-name A --family-name $'Lat\xe9' --category 1
expect_stderr_fixed "fieldschool: --family-name: invalid UTF-8"
expect_lines stderr . 1
fails 3 fs mission edit --title $'Caf\xe9' t1
expect_stderr_fixed "fieldschool: --title: invalid UTF-8"
eq "the title is unchanged" "$(sql "select title from mission where code = 't1'")" "Field school t1"
# Text stored before the check is replaced (U+FFFD), the workbook stays valid.
sql "update mission set title = cast(x'4361666526e9' as text) where code = 't1'"
sql "update participant set family_name = cast(x'4c6174e9' as text) where ref = 'C-1'"
ok fs roster t1 -o bad.xlsx
ok xcheck structure bad.xlsx t1
eq "invalid byte replaced" "$(row bad.xlsx Roster C-1 | cut -f2)" "Lat�"

# --- 5. sheet names unique ignoring case ---------------------------------------------
add_mission T1 2027-10-04 3
add_mission a-very-long-mission-code-2027 2027-11-08 3
add_mission m2 2027-12-06 3
ok fs roster t1 T1 -o tt.xlsx
ok fs roster m2 a-very-long-mission-code-2027 -o long.xlsx
ok "$PYTHON" -c '
import openpyxl, sys
for p in sys.argv[1:]:
    names = openpyxl.load_workbook(p).sheetnames
    assert len({n.lower() for n in names}) == len(names), names
    print(" ".join(n for n in names if n.startswith("Roster")))' tt.xlsx long.xlsx
expect_stdout_fixed "Roster t1 Roster m2"
expect_stdout_fixed "Roster m2 Roster m3"

# --- 6. a visit heading longer than a cell holds -------------------------------------
# (titles are refused past 300 characters now; an older version stored
# longer ones)
LONG=$(head -c 40000 /dev/zero | tr '\0' x)
printf 'ref,mission,day,start,end,kind,title,place,audience\nV1,t1,1,09:00,11:00,visit,%s,Site,all\n' \
	"$LONG" >agenda.csv
fails 3 fs agenda import agenda.csv
expect_stderr_fixed "agenda.csv:2: title: 40000 characters: a title holds at most 300"
printf 'ref,mission,day,start,end,kind,title,place,audience\nV1,t1,1,09:00,11:00,visit,Visit,Site,all\n' \
	>agenda.csv
ok fs agenda import agenda.csv
sql "update item set title = '$LONG' where ref = 'V1'"
ok fs roster t1 -o visit.xlsx
ok xcheck structure visit.xlsx t1

# The bus of a group is the travel item for that very group: not one whose
# audience matches it as a LIKE pattern ('_' any character, case ignored).
cat >agenda2.csv <<'CSV'
ref,mission,day,start,end,kind,title,place,audience
V2,t1,2,09:00,11:00,visit,Visit: farm,Farm,group:A_
B2,t1,2,07:00,07:30,travel,Bus ab,Gate 9,group:ab
CSV
ok fs agenda import agenda2.csv
ok fs roster t1 -o bus.xlsx
ok xcheck dump bus.xlsx "Site visits"
expect_stdout '^Bus: group A_ to Visit: farm'
expect_stdout '^	Group	group A_				$'
expect_stdout '^	Departs	09:00:00				$'
check "not group ab's bus" bash -c "! grep -q 'Gate 9' '$LAST_OUT'"

finish
