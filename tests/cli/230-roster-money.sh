#!/bin/bash
# fieldschool roster, the money of issue 13: the demo's ph-2027 with one day
# recorded (the no-show example), then with every day recorded (no-shows
# owed nothing and flagged), the money computed again in Python from the
# CSV exports and attendance, every formula recalculated by LibreOffice
# and Gnumeric, the money formats read by xlsx2csv, and libxlsxwriter's
# own messages kept off stderr.
. "$(dirname "$0")/lib.sh"

XLSX_CHECK="$PYTHON $FIELDSCHOOL_SRC/tests/xlsx_check.py"
xcheck() { $XLSX_CHECK "$@"; }
# money REF FILE: nights, days present, travel days, per diem,
# accommodation, travel, total and flag of REF on the roster
money() { xcheck dump "$2" Roster | awk -F'\t' -v ref="$1" '$1 == ref {print $12, $13, $14, $16, $19, $20, $21, $23}'; }
# exports: the CSV files the money is computed from again
exports() {
	ok fs mission export -o missions.csv
	ok fs participant export ph-2027 -o participants.csv
	ok fs attend export ph-2027 -o attendance.csv
}

export FIELDSCHOOL_DB=$TMP/demo/fieldschool.db
ok fs demo --out "$TMP/demo"

# --- the issue's example: one person marked on the first day ----------------------
# Before: every other confirmed person showed 0 days present and was still
# paid 5 nights and 2 travel days.  Now the 13th counts from the marks (only
# PH-001 was there), the 14th to the 16th from arrival and departure.
ok fs attend mark --mission ph-2027 --date 2027-09-13 PH-001
ok fs roster ph-2027 -o one-day.xlsx
eq "PH-001 (marked on the 13th)" "$(money PH-001 one-day.xlsx)" "5 4 2 12000 27500 4500 44000 "
eq "PH-003 (not marked on the 13th, the rest by dates)" "$(money PH-003 one-day.xlsx)" "5 3 2 9000 27500 4500 41000 "
ok xcheck structure one-day.xlsx ph-2027
exports
ok xcheck money one-day.xlsx ph-2027 missions.csv participants.csv attendance.csv
expect_stdout '^money: 60 registrations, '
ok fs certificates ph-2027 --all
expect_stdout ',attendance and travel dates.$'

# --- every day recorded: those present on none are no-shows --------------------------
# Everyone in group A signs in every day; group B only on the 14th; the
# others are marked on no day: all four days are covered, so they were
# absent on every day of their stay.
group() { sql "select p.ref from registration r join participant p on p.id = r.participant_id join mission m on m.id = r.mission_id where m.code = 'ph-2027' and r.status = 'confirmed' and r.group_label = '$1' order by p.ref" | tr '\n' ' '; }
A=$(group A)
B=$(group B)
C=$(group C)
for d in 13 14 15 16; do
	ok fs attend mark --mission ph-2027 --date 2027-09-$d $A
done
ok fs attend mark --mission ph-2027 --date 2027-09-14 $B
ok fs roster ph-2027 -o all-days.xlsx
first_c=${C%% *}
eq "$first_c (group C, never marked) is a no-show" "$(money "$first_c" all-days.xlsx)" "0 0 0 0 0 0 0 no-show"
first_b=${B%% *}
eq "$first_b (group B, the 14th only)" "$(money "$first_b" all-days.xlsx | cut -d' ' -f2,4,8)" "1 3000 "
ok xcheck structure all-days.xlsx ph-2027
exports
ok xcheck money all-days.xlsx ph-2027 missions.csv participants.csv attendance.csv
n_c=$(wc -w <<<"$C")
ok xcheck dump all-days.xlsx "By category"
eq "no-shows counted by category" "$(awk -F'\t' '$1 == "Total" {print $8; exit}' "$LAST_OUT")" "$n_c"
check "no no-show on the Payment sheet" bash -c "! $XLSX_CHECK dump all-days.xlsx Payment | grep -q '$(xcheck dump all-days.xlsx Roster | awk -F'\t' -v r="$first_c" '$1 == r {print $2}')'"
ok fs certificates ph-2027 --all
expect_stdout ',attendance.$'
expect_stdout "^$first_c,.*,0,4,0,no,attendance"

# --- every spreadsheet gives the same numbers ------------------------------------------
ok xcheck recalc all-days.xlsx
expect_stdout 'LibreOffice agrees'
expect_stdout 'Gnumeric agrees'
ok fs roster --all -o three.xlsx
ok xcheck structure three.xlsx mx-2027,rw-2027,ph-2027
ok xcheck recalc three.xlsx gnumeric
expect_stdout 'Gnumeric agrees'
# xlsx2csv reads the money as numbers (a format such as '#,##0.00 "MXN"'
# came out as a date)
if command -v xlsx2csv >/dev/null; then
	for m in mx-2027 rw-2027 ph-2027; do
		ok xlsx2csv -n Roster "$TMP/demo/roster-$m.xlsx"
		check "$m: xlsx2csv reads per diem, accommodation and total as numbers" \
			"$PYTHON" -c '
import csv, re, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))[1:]
bad = [r[15:21] for r in rows if r and not all(re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", v) for v in (r[15], r[18], r[20]))]
assert rows and not bad, bad[:3]' "$LAST_OUT"
	done
else
	check "xlsx2csv is installed (./dev test installs it)" false
fi

# --- one message on stderr, ours -------------------------------------------------------
# Too few file descriptors: libxlsxwriter cannot open a sheet's temporary
# file.  It would print "[ERROR][worksheet.c:...]" itself; we say it once.
fails 4 bash -c 'ulimit -n 14 && exec "$0" roster ph-2027 -o fd.xlsx' "$FIELDSCHOOL"
expect_lines stderr . 1
expect_stderr "^fieldschool: fd\.xlsx: cannot add the sheet '[^']+' \(libxlsxwriter: error creating tmpfile\(\) for worksheet in 'constant_memory' mode\)$"
check "no [ERROR] line from libxlsxwriter" bash -c "! grep -q 'ERROR' '$LAST_ERR'"
check "no workbook left behind" bash -c '! ls fd.xlsx* 2>/dev/null | grep -q .'

finish
