#!/bin/bash
# fieldschool roster --out DIR: a workbook per mission, DIR/roster-MISSION.xlsx,
# several built at once (one worker process and database connection each).  Each is
# read back by openpyxl and equals, cell for cell (values and formulas), the
# workbook `roster MISSION -o FILE` writes; one is recalculated by
# LibreOffice, one by Gnumeric.  All or nothing: a failure in one mission
# (FIELDSCHOOL_TEST_FAIL_ROSTER=CODE fails that workbook once it is built;
# a full disk) replaces none of the old files and leaves no temporary;
# killed before the renames (FIELDSCHOOL_TEST_KILL_RENAME=1), or killed
# (kill -9) while its worker processes build, it leaves the old files and
# only hidden temporaries, which the next run removes; SIGTERM removes them.
. "$(dirname "$0")/lib.sh"

XLSX_CHECK="$PYTHON $FIELDSCHOOL_SRC/tests/xlsx_check.py"
xcheck() { $XLSX_CHECK "$@"; }
MISSIONS="mx-2027 rw-2027 ph-2027"

ok fs demo --out demo
export FIELDSCHOOL_DB=$TMP/demo/fieldschool.db

# listing: every entry of a directory, hidden ones too
listing() { ls -A "$1" | tr '\n' ' '; }

# same_cells A B: every sheet, every cell's formula or value, and every
# stored result, equal in the two workbooks (openpyxl)
same_cells() {
	"$PYTHON" - "$1" "$2" <<'PY'
import sys, openpyxl
a_path, b_path = sys.argv[1], sys.argv[2]
cells = 0
for data_only in (False, True):
    a = openpyxl.load_workbook(a_path, data_only=data_only)
    b = openpyxl.load_workbook(b_path, data_only=data_only)
    if a.sheetnames != b.sheetnames:
        sys.exit("sheets differ: %s / %s" % (a.sheetnames, b.sheetnames))
    for name in a.sheetnames:
        sa, sb = a[name], b[name]
        if (sa.max_row, sa.max_column) != (sb.max_row, sb.max_column):
            sys.exit("%s: %dx%d / %dx%d" % (name, sa.max_row, sa.max_column,
                                           sb.max_row, sb.max_column))
        for ra, rb in zip(sa.iter_rows(), sb.iter_rows()):
            for ca, cb in zip(ra, rb):
                if ca.value != cb.value:
                    sys.exit("%s!%s: %r / %r" % (name, ca.coordinate,
                                                 ca.value, cb.value))
                cells += ca.value is not None
if cells < 1000:
    sys.exit("only %d cells compared" % cells)
print("%d cells equal" % cells)
PY
}

# --- every mission, one workbook each -------------------------------------------
ok fs roster --all --out out
for m in $MISSIONS; do
	expect_stdout "^out/roster-$m.xlsx: 1 mission, 11 sheets, 60 registrations\$"
done
expect_lines stdout . 3
expect_no_stderr .
eq "one workbook per mission, nothing else" "$(listing out)" \
	"roster-mx-2027.xlsx roster-ph-2027.xlsx roster-rw-2027.xlsx "
for m in $MISSIONS; do
	ok xcheck structure "out/roster-$m.xlsx" "$m"
	ok fs roster "$m" -o "single-$m.xlsx"
	ok same_cells "out/roster-$m.xlsx" "single-$m.xlsx"
	expect_stdout '^[0-9]+ cells equal$'
	# the same bytes, even: the same data gives the same document
	same_file "roster-$m.xlsx is the workbook of 'roster $m -o'" \
		"out/roster-$m.xlsx" "single-$m.xlsx"
done
ok xcheck recalc out/roster-ph-2027.xlsx
expect_stdout 'LibreOffice agrees'
ok xcheck recalc out/roster-rw-2027.xlsx gnumeric
expect_stdout 'Gnumeric agrees'

# Missions by name, a trailing slash, a directory made with its parents.
ok fs roster ph-2027 mx-2027 --out deep/er/
expect_stdout '^deep/er/roster-ph-2027.xlsx: 1 mission'
expect_stdout '^deep/er/roster-mx-2027.xlsx: 1 mission'
eq "two missions, two workbooks" "$(listing deep/er)" \
	"roster-mx-2027.xlsx roster-ph-2027.xlsx "
ok fs --json roster rw-2027 --out json
expect_stdout '^\[\{"file": "json/roster-rw-2027.xlsx", "mission": "rw-2027", "missions": 1, "sheets": 11, "registrations": 60\}\]$'
# Run again over the same files: replaced, nothing left beside them.
ok fs roster --all --out out
eq "a second run leaves the same three files" "$(listing out)" \
	"roster-mx-2027.xlsx roster-ph-2027.xlsx roster-rw-2027.xlsx "
ok fs roster --help
expect_stdout '--out DIR +one workbook per mission, DIR/roster-MISSION.xlsx'

# --- arguments -------------------------------------------------------------------
fails 3 fs roster mx-2027 zz-9999 --out bad
expect_stderr_fixed "fieldschool: no mission 'zz-9999'"
expect_lines stderr . 1
expect_stdout_empty
check "an unknown mission: no directory made" test ! -e bad
fails 3 fs roster mx-2027 mx-2027 --out bad
expect_stderr_fixed "fieldschool: mission 'mx-2027' given twice"
check "a mission twice: no directory made" test ! -e bad
fails 2 fs roster --all --out out -o x.xlsx
expect_stderr_fixed "give -o FILE.xlsx (one workbook) or --out DIR (one per mission), not both"
fails 2 fs roster --all --out rosters.xlsx
expect_stderr_fixed "--out rosters.xlsx: names a directory for a workbook per mission; for one workbook, -o rosters.xlsx"
fails 2 fs roster --all --out ''
expect_stderr_fixed "--out: give a directory"
fails 2 fs roster --all
expect_stderr_fixed "-o FILE.xlsx or --out DIR is required"
check "no argument error made a directory" test ! -e bad -a ! -e rosters.xlsx

# --- the directory ---------------------------------------------------------------
printf 'a file\n' >afile
fails 4 fs roster --all --out afile
expect_stderr_fixed "fieldschool: afile: not a directory"
expect_lines stderr . 1
fails 4 fs roster --all --out afile/sub
expect_stderr '^fieldschool: afile/sub: '
expect_lines stderr . 1
mkdir -p clash/roster-rw-2027.xlsx
fails 4 fs roster --all --out clash
expect_stderr_fixed "fieldschool: clash/roster-rw-2027.xlsx: is a directory"
expect_lines stderr . 1
eq "a directory in the way: nothing written" "$(listing clash)" "roster-rw-2027.xlsx "

# Not writable: as nobody when root (root writes anything), else chmod.
mkdir locked
as_reader=()
if [[ $(id -u) == 0 ]]; then
	if setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
		as_reader=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
		chmod 711 "$TMP"
		chmod 755 demo locked
		# a new database is its owner's only (0600): let nobody read it
		chmod 644 demo/fieldschool.db
	else
		as_reader=(skip)
	fi
else
	chmod 555 locked
fi
if [[ ${as_reader[0]:-} == skip ]]; then
	echo "skip: root without setpriv: no read-only directory case"
else
	fails 4 "${as_reader[@]}" "$FIELDSCHOOL" roster --all --out locked
	expect_stderr_fixed "fieldschool: locked: Permission denied"
	expect_lines stderr . 1
	eq "a directory not writable: nothing written" "$(listing locked)" ""
fi
chmod 755 locked

# --- all or nothing --------------------------------------------------------------
mkdir keep
for m in $MISSIONS; do
	printf 'old %s\n' "$m" >"keep/roster-$m.xlsx"
done
cp -r keep keep.before
# old_files_whole WHAT: the old files as they were, nothing beside them
old_files_whole() {
	for m in $MISSIONS; do
		same_file "$1: the old roster-$m.xlsx is whole" \
			"keep/roster-$m.xlsx" "keep.before/roster-$m.xlsx"
	done
	eq "$1: nothing beside the old files" "$(listing keep)" \
		"roster-mx-2027.xlsx roster-ph-2027.xlsx roster-rw-2027.xlsx "
}
for failing in mx-2027 rw-2027 ph-2027; do
	fails 4 env FIELDSCHOOL_TEST_FAIL_ROSTER=$failing "$FIELDSCHOOL" roster --all --out keep
	expect_stderr_fixed "fieldschool: keep/roster-$failing.xlsx (mission '$failing'): the disk is full (test); no roster in keep was replaced"
	expect_lines stderr . 1
	expect_stdout_empty
	old_files_whole "$failing failed"
done

# Killed with every workbook complete, before the first is named: nothing.
fails 137 bash -c '"$@"; exit $?' _ env FIELDSCHOOL_TEST_KILL_WRITE=1 \
	"$FIELDSCHOOL" roster --all --out keep
old_files_whole "killed before naming"
# Killed with every workbook named, none renamed: only hidden temporaries.
fails 137 bash -c '"$@"; exit $?' _ env FIELDSCHOOL_TEST_KILL_RENAME=1 \
	"$FIELDSCHOOL" roster --all --out keep
for m in $MISSIONS; do
	same_file "killed before renaming: the old roster-$m.xlsx is whole" \
		"keep/roster-$m.xlsx" "keep.before/roster-$m.xlsx"
done
eq "killed before renaming: what ls shows" "$(ls keep | tr '\n' ' ')" \
	"roster-mx-2027.xlsx roster-ph-2027.xlsx roster-rw-2027.xlsx "
eq "killed before renaming: three hidden temporaries" \
	"$(ls -A keep | grep -c '^\.roster-[a-z]\{2\}-2027\.xlsx\.tmp\.[A-Za-z0-9]\{6\}$')" 3
# the next run removes them
ok fs roster --all --out keep
eq "the next run leaves the three workbooks only" "$(listing keep)" \
	"roster-mx-2027.xlsx roster-ph-2027.xlsx roster-rw-2027.xlsx "
for m in $MISSIONS; do
	same_file "the next run wrote roster-$m.xlsx" "keep/roster-$m.xlsx" "single-$m.xlsx"
done

# The parent killed (kill -9) while its children build: they die with it
# (PR_SET_PDEATHSIG) and rename nothing; only the parent renames.  Without
# O_TMPFILE the files are named from the start, hidden and locked; the
# children sleep first (FIELDSCHOOL_TEST_CHILD_SLEEP) so the kill lands
# mid-run.  With O_TMPFILE nothing is left at all.
# kill_mid_run SIGNAL [ENV...]: starts the command, waits for a child of
# it, sends SIGNAL to the parent alone; $killed_status is its exit status.
kill_mid_run() {
	local sig=$1 pid waited=0
	shift
	env "$@" FIELDSCHOOL_TEST_CHILD_SLEEP=20 \
		"$FIELDSCHOOL" roster --all --out keep >/dev/null 2>&1 &
	pid=$!
	while [ -z "$(pgrep -P "$pid")" ] && [ $waited -lt 100 ]; do
		sleep 0.1; waited=$((waited + 1))
	done
	kill -"$sig" "$pid"
	wait "$pid"
	killed_status=$?
}
rm -f keep/* && cp keep.before/* keep/
kill_mid_run KILL FIELDSCHOOL_TEST_NO_TMPFILE=1
eq "parent killed (no O_TMPFILE): killed" "$killed_status" 137
for m in $MISSIONS; do
	same_file "parent killed: the old roster-$m.xlsx is whole" \
		"keep/roster-$m.xlsx" "keep.before/roster-$m.xlsx"
done
check "parent killed: hidden temporaries only" bash -c \
	'[ "$(ls keep | tr "\n" " ")" = "roster-mx-2027.xlsx roster-ph-2027.xlsx roster-rw-2027.xlsx " ] &&
	 ls -A keep | grep -q "^\.roster-[a-z]\{2\}-2027\.xlsx\.tmp\.[A-Za-z0-9]\{6\}$"'
# its children are gone, so their locks are: the next write sweeps
ok fs roster --all --out keep
eq "parent killed: the next run sweeps the temporaries" "$(listing keep)" \
	"roster-mx-2027.xlsx roster-ph-2027.xlsx roster-rw-2027.xlsx "
rm -f keep/* && cp keep.before/* keep/
kill_mid_run KILL
eq "parent killed (O_TMPFILE): killed" "$killed_status" 137
old_files_whole "parent killed (O_TMPFILE)"
# SIGTERM (as SIGINT at a terminal): the parent stops its children, drops
# every file, then dies of the signal
kill_mid_run TERM FIELDSCHOOL_TEST_NO_TMPFILE=1
eq "parent terminated: killed by SIGTERM" "$killed_status" 143
old_files_whole "parent terminated"

# A full disk (a small tmpfs in a mount namespace of its own, as root): the
# workbooks that fit are not put in place either.
if unshare -m true 2>/dev/null &&
	unshare -m mount -t tmpfs -o size=64k tmpfs keep 2>/dev/null; then
	# room for the old files and about one and a half workbooks
	_run unshare -m bash -c 'mount -t tmpfs -o size=160k tmpfs keep &&
		cp keep.before/* keep/ && "$0" roster --all --out keep;
		status=$?; ls -A keep | tr "\n" " " >listing.txt
		for f in keep/*; do cmp -s "$f" "keep.before/${f#keep/}" || echo "$f changed"; done >changed.txt
		exit $status' "$FIELDSCHOOL"
	eq "a full disk exits 4" "$LAST_STATUS" 4
	expect_stderr '^fieldschool: keep/roster-[a-z]{2}-2027\.xlsx \(mission .[a-z]{2}-2027.\): the disk is full( \(libxlsxwriter: [^)]*\))?; no roster in keep was replaced$'
	expect_lines stderr . 1
	eq "a full disk: nothing beside the old files" "$(cat listing.txt)" \
		"roster-mx-2027.xlsx roster-ph-2027.xlsx roster-rw-2027.xlsx "
	eq "a full disk: no old file changed" "$(cat changed.txt)" ""
else
	echo "skip: cannot mount a tmpfs here (needs root and unshare -m): no disk-full case"
fi

finish
