#!/bin/bash
# fieldschool check: the demo is clean; conflicts made with agenda and
# participant edits are found, one line each, exit 1 on errors and 0 on
# warnings only; --json; unknown missions and bad options.
. "$(dirname "$0")/lib.sh"

ok fs demo --out "$TMP/demo"
export FIELDSCHOOL_DB=$TMP/demo/fieldschool.db

ok fs check
expect_stdout_empty
expect_stderr_fixed "fieldschool: 0 errors, 0 warnings"
ok fs check mx-2027 rw-2027
ok fs --json check ph-2027
eq "no findings as JSON" "$(json_len <"$LAST_OUT")" 0

# unknown mission: exit 3, nothing printed on stdout
fails 3 fs check nope
expect_stderr_fixed "fieldschool: no mission 'nope'"
expect_stdout_empty
# every name is looked up before any mission is checked
fails 3 fs check mx-2027 nope
expect_stderr_fixed "fieldschool: no mission 'nope'; nothing was checked"
expect_stdout_empty
fails 3 fs check nope mx-2027 nix
expect_stderr_fixed "fieldschool: no missions 'nope', 'nix'; nothing was checked"
fails 2 fs check --buffer 2.7
expect_stderr_fixed "fieldschool: --buffer: '2.7': expected a whole number of minutes from 0 to 600"

# a group expected in two places at once: A's visit moved onto lunch
visit=$(sql "select ref from item i join mission m on m.id = i.mission_id where m.code = 'mx-2027' and i.kind = 'visit' and i.removed = 0 and i.audience like '%group:A%' order by i.day_date, i.start_time limit 1")
ok fs agenda edit "$visit" --start 12:15 --end 13:00
snapshot edited
fails 1 fs check mx-2027
expect_stdout "^mx-2027: error: [^ ]+: group A is expected at .* at once; move one of them or change its audience$"
expect_stdout "^mx-2027: error: [^ ]+: group A is expected at [^ ]+ \(day 2 12:30-13:30\) and at $visit \(day 2 12:15-13:00\) at once"
expect_stderr '^fieldschool: [1-9][0-9]* errors?, [0-9]+ warnings?$'
fails 1 fs --json check mx-2027
check "JSON findings have mission, severity, rule, subject, message" "$PYTHON" -c '
import json, sys
rows = json.load(open(sys.argv[1], encoding="utf-8"))
assert rows and all(set(r) == {"mission", "severity", "rule", "subject", "message"} for r in rows)
assert {"audience-overlap"} <= {r["rule"] for r in rows}
assert all(r["severity"] in ("error", "warning") for r in rows)' "$LAST_OUT"
# the other missions are still clean; check is read-only
ok fs check rw-2027 ph-2027
fails 1 fs check
expect_lines stdout '^(rw|ph)-2027: ' 0
unchanged_since edited

# an over-full visit: one site for everyone at once
ok fs agenda edit "$visit" --start 09:15 --end 11:45 --audience all
fails 1 fs check mx-2027
expect_stdout "^mx-2027: error: $visit: 50 confirmed participants expected \(day [0-9] [0-9:-]+\) but '.*' takes [0-9]+ at once; split the audience"

# a facilitator in two places
fresh() {
	ok fs demo --force --out "$TMP/demo"
}
fresh
second=$(sql "select i.ref from item i join mission m on m.id = i.mission_id where m.code = 'rw-2027' and i.kind = 'visit' and i.removed = 0 order by i.day_date, i.start_time, i.ref limit 1 offset 1")
ok fs agenda edit "$second" --facilitators "Ms. Clarisse Umuhoza;Mr. Olivier Ndagijimana"
fails 1 fs check rw-2027
expect_stdout "^rw-2027: error: [^ ]+: facilitator '(Ms. Clarisse Umuhoza|Mr. Olivier Ndagijimana)' is at "

# a confirmed participant without a group, a late arrival (a warning)
fresh
ok fs participant edit PH-001 --mission ph-2027 --status confirmed --group "" --arrival 2027-09-14
fails 1 fs check ph-2027
expect_stdout "^ph-2027: error: PH-001: confirmed but in no group, while the agenda has items for groups only; run 'fieldschool plan groups ph-2027'"
expect_stdout "^ph-2027: warning: PH-001: arrives on day 2, after the start of "
# warnings only: exit 0
ok fs plan groups ph-2027
ok fs check ph-2027
expect_stdout "^ph-2027: warning: PH-001: arrives on day 2"
expect_stderr_fixed "0 errors, 1 warning"

# a typo in an audience: nobody is in group Z (a warning, exit 0)
fresh
visit=$(sql "select ref from item i join mission m on m.id = i.mission_id where m.code = 'mx-2027' and i.kind = 'visit' and i.removed = 0 and i.audience = 'group:A' order by i.day_date, i.start_time limit 1")
ok fs agenda edit "$visit" --audience group:Z
ok fs check mx-2027
expect_stdout "^mx-2027: warning: $visit: is for group Z, which has no confirmed participant \(groups in use: A, B, C\); correct its audience \(agenda edit $visit --audience group:LABEL\) or put people in group Z$"
expect_stderr_fixed "0 errors, 1 warning"

# arrival and departure times are shown as HH:MM
fresh
first=$(sql "select start_time from item i join mission m on m.id = i.mission_id where m.code = 'ph-2027' and i.removed = 0 order by i.day_date, i.start_time limit 1")
day1=$(sql "select start_date from mission where code = 'ph-2027'")
late=$(sql "select substr(time('$first', '+30 minutes'), 1, 5)")
ok fs participant edit PH-001 --mission ph-2027 --status confirmed --arrival "$day1 $late"
ok fs check ph-2027
expect_stdout "^ph-2027: warning: PH-001: arrives on day 1 at $late, after the start of "
expect_no_stdout_hold() { ! grep -q "that time" "$LAST_OUT"; }
check "no 'at that time'" expect_no_stdout_hold

# capacity and quotas
fresh
ok fs mission edit mx-2027 --capacity 40 --quotas lgu-official=1
fails 1 fs check mx-2027
expect_stdout "^mx-2027: error: mission: 50 confirmed participants for 40 seats; raise the capacity or move 10 to the waiting list$"
expect_stdout "^mx-2027: error: mission: [0-9]+ confirmed participants of category lgu-official for a quota of 1"

# travel: a visit straight after a session at the venue, too far to reach
fresh
ok fs agenda add mx-2027 --day 1 --start 17:35 --end 18:40 --kind visit --title "Far site" --place "Teotihuacan" --lat 19.6925 --lon -98.8438 --audience group:A --capacity 30
fails 1 fs check mx-2027
expect_stdout "^mx-2027: error: [^ ]+: group A has 5 min from 'Centro Cultural Universitario Tlatelolco' \([^)]*\) to 'Teotihuacan', [0-9.]+ km away: about [0-9]+ min at 20 km/h; leave at least [0-9]+ min between them$"
# a faster bus does not make 40 km in 5 minutes; --speed is used
fails 1 fs check mx-2027 --speed 100 --buffer 0
expect_stdout "about [0-9]+ min at 100 km/h"

finish
