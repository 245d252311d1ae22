#!/bin/bash
# fieldschool roster on paper: the demo's ph-2027 workbook printed to PDF
# by LibreOffice and read back with pdftotext: text of 8 pt or more on
# every page, long texts printed whole (wrapped), a page per bus naming its
# site, group and departure, a total on every Payment page; and the print
# set-up read with openpyxl, wrapped rows tall enough.
. "$(dirname "$0")/lib.sh"

XLSX_CHECK="$PYTHON $FIELDSCHOOL_SRC/tests/xlsx_check.py"
xcheck() { $XLSX_CHECK "$@"; }

export FIELDSCHOOL_DB=$TMP/demo/fieldschool.db
ok fs demo --out "$TMP/demo"
ok fs attend mark --mission ph-2027 --date 2027-09-13 PH-001 PH-002
# Texts longer than their columns: on paper they wrap, whole, in rows as
# tall as they need (LibreOffice cut them at the column's edge, about 30
# characters on the Agenda).
TITLE="Workshop on remittance data: reconciling central bank, household survey and money transfer operator figures for local development planning"
ADDRESS="Bangko Sentral ng Pilipinas Complex, A. Mabini St. cor. P. Ocampo St., Malate, Manila 1004"
PLACE="国際会議場 第三会議室 東京都千代田区丸の内一丁目"
ORG="Commission on Filipinos Overseas, Policy, Planning and Research Division, Migration and Development Unit"
ok fs agenda add ph-2027 --ref PH-WRAP --day 2 --start 16:00 --end 17:00 \
	--kind session --title "$TITLE" --place "$PLACE" --address "$ADDRESS"
ok fs participant add --ref PH-WRAP --given-name "Maria Consolacion" \
	--family-name "Dela Cruz-Villanueva" --category lgu-focal \
	--organization "$ORG" --mission ph-2027 --status confirmed
ok fs roster ph-2027 -o ph.xlsx
ok xcheck structure ph.xlsx ph-2027
ok xcheck wrapped ph.xlsx
expect_stdout '^wrapped: [0-9]+ cells wrap, none cut$'
ok xcheck pdf ph.xlsx "$TITLE" "$ADDRESS" "$PLACE" "$ORG"
expect_stdout '^pdf: [0-9]+ pages, smallest text (7\.9[5-9]|[89])'
expect_stdout '^pdf: Site visits: 9 buses, a page each$'

# The print set-up, sheet by sheet.
cat >setup.py <<'PY'
import openpyxl, sys
wb = openpyxl.load_workbook(sys.argv[1])
for ws in wb.worksheets:
    ps, fit = ws.page_setup, ws.sheet_properties.pageSetUpPr
    print("%s\t%s\t%s\t%s\t%s\t%s" % (ws.title, ps.orientation,
          "fit %sx%s" % (ps.fitToWidth or 1, ps.fitToHeight if ps.fitToHeight is not None else 1)
          if fit is not None and fit.fitToPage else "scale %s" % (ps.scale or 100),
          ws.print_title_rows, ws.print_title_cols, len(ws.row_breaks.brk)))
PY
ok "$PYTHON" setup.py ph.xlsx
# the Roster too wide for one page at 8 pt: 73 %, its identity repeated
expect_stdout '^Roster	landscape	scale 73	\$1:\$1	\$A:\$C	0$'
# 44 people paid in cash: 3 pages of up to 17, a break before pages 2 and 3
expect_stdout '^Payment	landscape	(scale 100|fit 1x0)	\$1:\$1	None	2$'
expect_stdout '^By category	landscape	fit 1x1	'
# a page per bus: 3 groups to 3 sites, 8 breaks
expect_stdout '^Site visits	landscape	.*	\$1:\$1	None	8$'
expect_stdout '^Sign-in day 1	landscape	'
expect_stdout '^Caterer	landscape	'
expect_stdout '^Finance rules	portrait	'

# The Caterer sheet: per meal, how many of each dietary need, no names.
ok xcheck dump ph.xlsx Caterer
expect_stdout '^Day	Date	Meal	Dietary need	People'
expect_stdout '^Day 1	2027-09-13	[0-9:]+ [^	]+	none	[0-9]+'
expect_stdout '^			Total	[0-9]+'
expect_stdout '^Visit	Date	Site	Host	Group	Family name	Given name	Accessibility need'
check "no names among the meals" bash -c "! sed -n '/^Visit	/q;p' '$LAST_OUT' | grep -q Garcia"
meals=$(sql "select count(*) from item i join mission m on m.id = i.mission_id where m.code = 'ph-2027' and i.kind = 'meal' and i.removed = 0 and i.status = 'active'")
expect_lines stdout '^			Total	' "$meals"

finish
