#!/bin/bash
# CSV exports that open right in a spreadsheet: a byte order mark, and an
# apostrophe before a value a spreadsheet would run as a formula (= + - @,
# tab, carriage return), taken off again on import, so that export then
# import is still a no-op; for participant, agenda, mission and attend
# export, and certificates.
. "$(dirname "$0")/lib.sh"

new_db
ok fs mission add --title '=HYPERLINK("http://evil.example")' --country PH --city Manila \
	--timezone Asia/Manila --start 2027-09-13 --days 3 --venue '@venue' m1
ok fs participant add --ref P1 --given-name '=1+1' --family-name '+63 Santos' \
	--organization '-2+3' --phone '+63 917 000 0001' --category 1 --mission m1 \
	--status confirmed --dietary "'=quoted already"
ok fs participant add --ref P2 --given-name 'Zoé' --family-name 'Ñúñez' --category 2 \
	--mission m1 --status confirmed --position "O'Brien's aide"
ok fs agenda add m1 --day 1 --start 09:00 --end 10:00 --kind session --title '@all hands' --ref S1
ok fs attend mark --mission m1 --date 2027-09-13 P1 P2

bom=$'\xef\xbb\xbf'
for what in "participant export m1" "agenda export m1" "mission export" "attend export m1" "certificates m1 --all"; do
	ok fs $what
	cp "$LAST_OUT" out.csv
	check "$what: a byte order mark first" test "$(head -c 3 out.csv)" = "$bom"
	check "$what: nothing a spreadsheet would run" "$PYTHON" -c '
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8-sig")))
bad = [v for r in rows for v in r if v[:1] in ("=", "+", "@", "\t", "\r")
       or v[:1] == "-" and not v.lstrip("-").replace(".", "", 1).isdigit()]
assert len(rows) > 1 and not bad, bad' out.csv
done
ok fs participant export m1 -o p.csv
check "the formula-like names are there, behind an apostrophe" grep -q "'=1+1,'+63 Santos" p.csv
check "a phone number too" grep -q "'+63 917 000 0001" p.csv
check "an apostrophe already there gets one more" grep -q "''=quoted already" p.csv
check "an apostrophe inside stays as it is" grep -q "O'Brien's aide" p.csv
ok fs mission export -o m.csv
ok fs agenda export m1 -o a.csv
ok fs attend export m1 -o att.csv

# export then import: a no-op, the apostrophes taken off
snapshot exported
ok fs participant import p.csv
expect_stdout '^p.csv: 2 rows: 0 added, 0 changed, 2 unchanged$'
ok fs mission import m.csv
expect_stdout ' 0 added, 0 changed, 1 unchanged$'
ok fs agenda import a.csv
expect_stdout ' 0 added, 0 changed, 1 unchanged$'
ok fs attend import att.csv
expect_stdout ' 0 added, 0 changed, 2 unchanged$'
unchanged_since exported
eq "given name as typed" "$(sql "select given_name from participant where ref = 'P1'")" "=1+1"
eq "dietary as typed" "$(sql "select dietary from participant where ref = 'P1'")" "'=quoted already"
# and a file edited in a spreadsheet, saved without the apostrophes: the
# values as they are
printf 'ref,given_name,family_name,category\nP2,=2+2,Ñúñez,2\n' >edited.csv
ok fs participant import edited.csv
eq "P2's given name" "$(sql "select given_name from participant where ref = 'P2'")" "=2+2"

# Gnumeric opens the export: accents right (the byte order mark), the
# formula-like values as text, shown without the apostrophe
ok ssconvert p.csv gnumeric.xlsx
cells() {
	"$PYTHON" -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1]).active
for row in ws.iter_rows():
    for c in row:
        if c.data_type == "f":
            sys.exit("%s is a formula: %r" % (c.coordinate, c.value))
print("\n".join("\t".join(str(c.value or "") for c in row) for row in ws.iter_rows()))' "$1"
}
ok cells gnumeric.xlsx
expect_stdout '^ref	given_name	family_name	'
expect_stdout '	Zoé	Ñúñez	'
expect_stdout '^P1	=1\+1	\+63 Santos	'
# LibreOffice, told the file is UTF-8 (it reads no byte order mark when
# converting without a dialog), runs none of them either
mkdir -p lo/profile/user
ok soffice -env:UserInstallation=file://$TMP/lo/profile --headless --norestore \
	--infilter=CSV:44,34,76 --convert-to xlsx --outdir lo p.csv
ok cells lo/p.xlsx
expect_stdout '	Zoé	Ñúñez	'

finish
