# tests/cli/lib.sh - shared helpers of the end-to-end CLI scripts.
#
# Sourced by every tests/cli/NNN-name.sh (it is not a test itself: CTest
# registers only the files starting with a digit).  It gives each script a
# private temporary directory (removed on exit) holding the database named by
# FIELDSCHOOL_DB, and a handful of assertions:
#
#   ok CMD...              CMD must exit 0
#   fails STATUS CMD...    CMD must exit with STATUS
#   expect_stdout RE       the last ok/fails command's stdout matches RE
#   expect_stderr RE       ... its stderr matches RE (grep -E, per line)
#   expect_stderr_fixed S  ... its stderr holds the string S
#   expect_no_stderr RE    ... its stderr does not match RE
#   expect_stdout_empty    ... it printed nothing on stdout
#   expect_lines STREAM RE N  exactly N lines of stdout|stderr match RE
#   check DESC CMD...      any shell test: CMD must succeed
#   eq DESC ACTUAL WANT    two strings must be equal
#   same_file DESC A B     two files must be byte-for-byte identical
#   snapshot NAME / unchanged_since NAME
#                          the database's contents (every export and every
#                          table's row count) must not change in between
#   finish                 prints "N passed, M failed"; exits 1 on failures
#
# Environment: FIELDSCHOOL (the binary), FIELDSCHOOL_SRC (the repository);
# both default to this checkout and its build/ directory, so a script also
# runs by hand: bash tests/cli/030-participant-import.sh
#
# Commands run with standard input from /dev/null (STDIN=FILE ok ... feeds a
# file instead) and under a time limit, so that no script can hang.

set -u
set -o pipefail

FIELDSCHOOL_SRC=${FIELDSCHOOL_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
FIELDSCHOOL=${FIELDSCHOOL:-$FIELDSCHOOL_SRC/build/fieldschool}
if [[ ! -x $FIELDSCHOOL ]]; then
	echo "FAIL: no fieldschool binary at '$FIELDSCHOOL' (set FIELDSCHOOL)" >&2
	exit 1
fi
PYTHON=/usr/bin/python3
[[ -x $PYTHON ]] || PYTHON=python3
export PYTHONIOENCODING=utf-8
# Timestamps come from the clock unless a test sets it on purpose.
unset SOURCE_DATE_EPOCH

TEST_NAME=$(basename "$0")
TMP=$(mktemp -d "${TMPDIR:-/tmp}/fieldschool-cli.XXXXXX") || exit 1
export FIELDSCHOOL_DB=$TMP/fieldschool.db
LAST_OUT=$TMP/.last-stdout
LAST_ERR=$TMP/.last-stderr
LAST_CMD=
LAST_STATUS=
N_PASSED=0
N_FAILED=0
FINISHED=0
: >"$LAST_OUT"
: >"$LAST_ERR"

# Processes a script starts in the background register here, so that an
# early exit does not leave them running.
BACKGROUND_PIDS=()

_cleanup() {
	local status=$? pid
	for pid in "${BACKGROUND_PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null
	done
	if [[ $FINISHED == 0 ]]; then
		echo "FAIL $TEST_NAME: the script stopped before finish" \
		     "(status $status) after $N_PASSED passed, $N_FAILED failed"
		status=1
	fi
	cd / && rm -rf "$TMP"
	exit "$status"
}
trap _cleanup EXIT
cd "$TMP" || exit 1

# The test script's file:line that called into this library.
_where() {
	local i
	for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
		if [[ ${BASH_SOURCE[i]} != "${BASH_SOURCE[0]}" ]]; then
			echo "$(basename "${BASH_SOURCE[i]}"):${BASH_LINENO[i - 1]}"
			return
		fi
	done
	echo "$TEST_NAME:?"
}

_pass() {
	local what="$*"
	N_PASSED=$((N_PASSED + 1))
	echo "ok   $(_where) ${what//$'\n'/\\n}"
}

# _fail MESSAGE [DETAIL...]: each DETAIL line is printed indented.
_fail() {
	N_FAILED=$((N_FAILED + 1))
	echo "FAIL $(_where) $1"
	shift
	local line
	for line in "$@"; do
		printf '%s\n' "$line" | sed 's/^/       /'
	done
}

_last_output() {
	echo "--- command: $LAST_CMD (exit $LAST_STATUS)"
	echo "--- stdout:"
	head -c 3000 "$LAST_OUT"
	echo "--- stderr:"
	head -c 3000 "$LAST_ERR"
}

# The fieldschool binary, with a time limit (a lock that is never released
# must fail the test, not hang it).
fs() {
	timeout -k 5 "${FS_TIMEOUT:-120}" "$FIELDSCHOOL" "$@"
}

_run() {
	LAST_CMD="$*"
	"$@" <"${STDIN:-/dev/null}" >"$LAST_OUT" 2>"$LAST_ERR"
	LAST_STATUS=$?
}

ok() {
	_run "$@"
	if [[ $LAST_STATUS == 0 ]]; then
		_pass "$*"
	else
		_fail "expected exit 0: $*" "$(_last_output)"
	fi
}

fails() {
	local want=$1
	shift
	_run "$@"
	if [[ $LAST_STATUS == "$want" ]]; then
		_pass "exit $want: $*"
	else
		_fail "expected exit $want, got $LAST_STATUS: $*" "$(_last_output)"
	fi
}

expect_stdout() {
	if grep -Eq -- "$1" "$LAST_OUT"; then
		_pass "stdout ~ /$1/"
	else
		_fail "stdout does not match /$1/" "$(_last_output)"
	fi
}

expect_stderr() {
	if grep -Eq -- "$1" "$LAST_ERR"; then
		_pass "stderr ~ /$1/"
	else
		_fail "stderr does not match /$1/" "$(_last_output)"
	fi
}

expect_stderr_fixed() {
	if grep -Fq -- "$1" "$LAST_ERR"; then
		_pass "stderr holds '$1'"
	else
		_fail "stderr does not hold '$1'" "$(_last_output)"
	fi
}

expect_stdout_fixed() {
	if grep -Fq -- "$1" "$LAST_OUT"; then
		_pass "stdout holds '$1'"
	else
		_fail "stdout does not hold '$1'" "$(_last_output)"
	fi
}

expect_no_stderr() {
	if grep -Eq -- "$1" "$LAST_ERR"; then
		_fail "stderr matches /$1/ but should not" "$(_last_output)"
	else
		_pass "stderr !~ /$1/"
	fi
}

expect_stdout_empty() {
	if [[ -s $LAST_OUT ]]; then
		_fail "stdout should be empty" "$(_last_output)"
	else
		_pass "stdout empty"
	fi
}

# expect_lines stdout|stderr REGEX N: exactly N lines match.
expect_lines() {
	local file=$LAST_OUT n
	[[ $1 == stderr ]] && file=$LAST_ERR
	n=$(grep -Ec -- "$2" "$file")
	if [[ $n == "$3" ]]; then
		_pass "$3 $1 lines ~ /$2/"
	else
		_fail "expected $3 $1 lines matching /$2/, found $n" "$(_last_output)"
	fi
}

check() {
	local desc=$1
	shift
	if "$@"; then
		_pass "$desc"
	else
		_fail "$desc: failed: $*"
	fi
}

eq() {
	if [[ $2 == "$3" ]]; then
		_pass "$1 = '$3'"
	else
		_fail "$1: expected '$3', got '$2'"
	fi
}

same_file() {
	if cmp -s -- "$2" "$3"; then
		_pass "$1"
	else
		_fail "$1: $2 and $3 differ" "$(diff -- "$2" "$3" | head -20)"
	fi
}

# The last command's stdout, for $(...) use after ok/fails.
last_stdout() {
	cat "$LAST_OUT"
}

# sql QUERY: runs QUERY with the sqlite3 shell on the test database.
sql() {
	sqlite3 -batch "${DB:-$FIELDSCHOOL_DB}" "$@"
}

# The number of data rows of a CSV file (records, not lines).
csv_rows() {
	"$PYTHON" -c '
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    print(sum(1 for _ in csv.reader(f)) - 1)' "$1"
}

# The length of the JSON array on standard input.
json_len() {
	"$PYTHON" -c 'import json, sys; print(len(json.load(sys.stdin)))'
}

# json_field KEY: the value of KEY in the JSON object on standard input.
json_field() {
	"$PYTHON" -c '
import json, sys
v = json.load(sys.stdin)[sys.argv[1]]
print("" if v is None else v)' "$1"
}

# Writes the database's whole contents to $TMP/NAME.snapshot: the mission,
# participant and agenda exports (the agenda per mission, with the computed
# uid/sequence/status from --json), and each table's row count.
snapshot() {
	local file=$TMP/$1.snapshot code table
	{
		echo "== missions"
		"$FIELDSCHOOL" mission export
		echo "== participants"
		"$FIELDSCHOOL" participant export
		for code in $("$FIELDSCHOOL" --json mission list | "$PYTHON" -c '
import json, sys
for m in json.load(sys.stdin): print(m["code"])'); do
			echo "== agenda $code"
			"$FIELDSCHOOL" --json agenda list "$code"
		done
		for table in $(sql "select name from sqlite_schema where type = 'table' order by name"); do
			echo "== $table: $(sql "select count(*) from \"$table\"")"
		done
	} >"$file" 2>&1 </dev/null
}

unchanged_since() {
	local before=$TMP/$1.snapshot after=$TMP/$1.after
	cp "$before" "$TMP/.snapshot-keep"
	snapshot "$1.now"
	mv "$TMP/$1.now.snapshot" "$after"
	mv "$TMP/.snapshot-keep" "$before"
	if cmp -s "$before" "$after"; then
		_pass "database unchanged since snapshot '$1'"
	else
		_fail "database changed since snapshot '$1'" \
		      "$(diff "$before" "$after" | head -20)"
	fi
}

# new_db: a fresh, initialized database at FIELDSCHOOL_DB.
new_db() {
	rm -f "$FIELDSCHOOL_DB" "$FIELDSCHOOL_DB"-wal "$FIELDSCHOOL_DB"-shm
	"$FIELDSCHOOL" init >/dev/null </dev/null || _fail "init failed"
}

# add_mission CODE [START [DAYS]]: a mission in Manila (options first, then
# the code: see 090-option-order.sh for the order the usage line shows).
add_mission() {
	"$FIELDSCHOOL" mission add --title "Field school $1" --country PH \
		--city Manila --timezone Asia/Manila --start "${2:-2027-03-01}" \
		--days "${3:-3}" "$1" >/dev/null </dev/null ||
		_fail "could not add mission $1"
}

# gen_participants FILE N MISSION[,MISSION...] [PREFIX]: N participants per
# mission, every participants.csv column, with quoting, line breaks and
# non-Latin names sprinkled in; refs PREFIX-MISSION-NNNNNN.
gen_participants() {
	"$PYTHON" - "$@" <<'EOF'
import csv, random, sys
path, n, missions = sys.argv[1], int(sys.argv[2]), sys.argv[3].split(",")
prefix = sys.argv[4] if len(sys.argv) > 4 else "G"
rnd = random.Random(7)
given = ["Ana", "José", "Ñusta", "Jean-Pierre", "Uwase", "Ma. Luz", "지민",
         "محمد", "Zoë", 'Rogelio "Jun"', "Niño"]
family = ["dela Cruz", "Santos, Jr.", "Müller", "Nyiramana", "김", "العلي",
          "Peña Ñúñez", "Habimana"]
cats = ["lgu-official", "agency-head", "md-council", "mrc-staff",
        "lgu-focal", "migrant-association", "academe-ngo-business"]
cols = ["ref", "given_name", "family_name", "email", "phone", "organization",
        "position", "category", "country", "language", "dietary",
        "accessibility", "mission", "status", "arrival", "departure",
        "funded", "group"]
with open(path, "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(cols)
    for m in missions:
        for i in range(n):
            ref = f"{prefix}-{m}-{i:06d}"
            w.writerow([ref, rnd.choice(given), rnd.choice(family),
                        f"{ref.lower()}@example.org", "+63 2 555 %04d" % i,
                        "Municipality of X, Y", "Officer",
                        rnd.choice(cats + ["3"]), "PH", "fil", "",
                        "wheelchair\nramp" if i % 97 == 0 else "", m,
                        rnd.choice(["applied", "confirmed", "waitlisted"]),
                        "", "", rnd.choice(["yes", "no", ""]), ""])
EOF
}

finish() {
	FINISHED=1
	echo "$TEST_NAME: $N_PASSED passed, $N_FAILED failed"
	if [[ $N_FAILED -gt 0 || $N_PASSED -eq 0 ]]; then
		exit 1
	fi
	exit 0
}
