#!/bin/bash
# X-WR-CALNAME is written as TEXT (VALUE=TEXT; ',' ';' '\' and line breaks
# escaped), so python3-icalendar and libical read back the exact name; a
# mission without a contact email has no ORGANIZER, so its feeds carry no
# METHOD:PUBLISH and pass libical's own restriction check
# (icalrestriction_check, run by tests/ics_parse on every feed the checker
# reads).
. "$(dirname "$0")/lib.sh"

CHECKER=$FIELDSCHOOL_SRC/tests/ics_check.py
TITLE='Field school, Manila; 2027 \ A\B'
ok fs init
ok fs mission add --title "$TITLE" --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 m1
cat >agenda.csv <<'EOF'
ref,mission,day,start,end,kind,title,audience,facilitators
O1,m1,1,09:00,10:00,session,Opening,all,"Reyes, Ana"
V1,m1,2,10:00,12:00,visit,Visit A,group:A,
EOF
ok fs agenda import agenda.csv
cat >people.csv <<'EOF'
ref,given_name,family_name,category,mission,status,group,arrival
R1,"Ana, María; ""Nena""",O\Brien,lgu-official,m1,confirmed,A,2027-02-28T18:00
EOF
ok fs participant import people.csv

# names DIR: each feed's X-WR-CALNAME as python3-icalendar reads it
names() {
	"$PYTHON" - "$@" <<'EOF'
import icalendar, sys
for path in sys.argv[1:]:
    cal = icalendar.Calendar.from_ical(open(path, "rb").read())
    print(str(cal.get("X-WR-CALNAME")))
EOF
}

OUT=$TMP/out
ok fs publish m1 --out "$OUT"
expect_stderr "warning: .*no contact"
mapfile -t feeds < <(find "$OUT" -name '*.ics' | sort)
eq "feeds written" "${#feeds[@]}" 4
if "$PYTHON" "$CHECKER" --require-libical --quiet "${feeds[@]}" >check.out 2>&1; then
	_pass "no contact: every feed passes the checker, libical's restriction check and the name round trip"
else
	_fail "no contact: a feed fails the checker" "$(head -20 check.out)"
fi
check "no contact: no METHOD in any feed" bash -c '! grep -l "^METHOD" "$@"' _ "${feeds[@]}"
check "no contact: no ORGANIZER in any feed" bash -c '! grep -l "^ORGANIZER" "$@"' _ "${feeds[@]}"
eq "python3-icalendar reads the mission feed's exact name" \
	"$(names "$OUT/m1/m1.ics")" "$TITLE"
eq "python3-icalendar reads the facilitator feed's exact name" \
	"$(names "$OUT"/m1/facilitator-*.ics)" "$TITLE: Reyes, Ana"
token=$(fs token show R1 --mission m1 </dev/null | cut -f3)
eq "python3-icalendar reads the personal feed's exact name" \
	"$(names "$OUT/$token")" "$TITLE: Ana, María; \"Nena\" O\\Brien"
"$ICS_PARSE" "$OUT/m1/m1.ics" >parse.out
eq "libical reads the mission feed's exact name" \
	"$(sed -n 's/^CALNAME\t//p' parse.out | xxd -r -p)" "$TITLE"
check "the line is TEXT, escaped" grep -q \
	'^X-WR-CALNAME;VALUE=TEXT:Field school\\, Manila\\; 2027 \\\\ A\\\\B' "$OUT/m1/m1.ics"

# the checker would notice: an unescaped X-WR-CALNAME, and METHOD:PUBLISH
# without ORGANIZER (libical's restriction check and ours)
sed 's/^X-WR-CALNAME;VALUE=TEXT:.*/X-WR-CALNAME:a, b; c/' "$OUT/m1/m1.ics" >bad-name.ics
fails 1 "$PYTHON" "$CHECKER" --require-libical bad-name.ics
expect_stdout "X-WR-CALNAME without VALUE=TEXT"
expect_stdout "unescaped ','"
awk '{ print } /^PRODID/ { printf "METHOD:PUBLISH\r\n" }' "$OUT/m1/m1.ics" >bad-method.ics
fails 1 "$PYTHON" "$CHECKER" --require-libical bad-method.ics
expect_stdout "libical: X-LIC-ERROR in VEVENT: Failed iTIP restrictions for ORGANIZER property"
expect_stdout "no ORGANIZER \(RFC 5546"

# with a contact: METHOD:PUBLISH and an ORGANIZER on every event, which
# passes the same check
ok fs mission edit m1 --contact-name "Ana Cruz" --contact-email ana@example.org
ok fs publish m1 --out "$OUT"
expect_no_stderr "warning"
if "$PYTHON" "$CHECKER" --require-libical --organizer --quiet "${feeds[@]}" >check.out 2>&1; then
	_pass "contact: every feed passes the checker and libical's restriction check"
else
	_fail "contact: a feed fails the checker" "$(head -20 check.out)"
fi
eq "contact: METHOD:PUBLISH in every feed" \
	"$(grep -l '^METHOD:PUBLISH' "${feeds[@]}" | wc -l)" 4
ok fs ics m1 --participant R1 -o r1.ics
same_file "ics -o writes what publish wrote" r1.ics "$OUT/$token"

finish
