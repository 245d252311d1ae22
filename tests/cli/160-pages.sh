#!/bin/bash
# HTML pages and schedules (publish, page): every page read back by an
# HTML5 parser against the feed beside it (tests/page_check.py: the same
# items with their local times and offsets, cancelled ones marked, exact
# subscribe links, QR codes decoded by zbarimg, CSP, no injected markup);
# the mission page against the imported CSV; hostile names; schedule.xml
# and schedule.json against the voc schemas (xmllint, jsonschema); no-op
# re-publish; edits, token rotation and cancelled registrations; errors.
. "$(dirname "$0")/lib.sh"

CHECKER=$FIELDSCHOOL_SRC/tests/page_check.py
SCHEMAS=${FIELDSCHOOL_SRC}/../shared/schemas/voc-schedule
[[ -d $SCHEMAS ]] || SCHEMAS=$FIELDSCHOOL_SRC/tests/schemas/voc-schedule
BASE=https://example.org/field-schools
OUT=$TMP/out

# page_check DESC ARGS...: the checker finds no problem.
page_check() {
	local desc=$1 out
	shift
	if out=$("$PYTHON" "$CHECKER" "$@" 2>&1); then
		_pass "$desc"
	else
		_fail "$desc" "$(printf '%s\n' "$out" | head -30)"
	fi
}

# page_check_fails DESC PATTERN ARGS...: the checker finds PATTERN.
page_check_fails() {
	local desc=$1 pattern=$2 out
	shift 2
	if out=$("$PYTHON" "$CHECKER" "$@" 2>&1); then
		_fail "$desc: the checker accepted it"
	elif grep -Eq -- "$pattern" <<<"$out"; then
		_pass "$desc"
	else
		_fail "$desc: the checker did not say /$pattern/" "$out"
	fi
}

tree_state() { # every page's inode, size, mtime and content
	(cd "$1" && find . -name '*.html' -printf '%P %i %s %T@ ' \
		-exec sha256sum {} \; | sort)
}

new_db
HOSTILE_TITLE='Field & "school" <i>x</i> 🎓'
ok fs mission add --title "$HOSTILE_TITLE" --country RO --city Iași \
	--timezone Europe/Bucharest --start 2027-03-27 --days 3 \
	--venue 'Hall & <b>Main</b>' --address 'javascript:alert(1)' \
	--lat 47.0105 --lon 28.8638 --contact-name Org \
	--contact-email org@example.org m1

LONG=$(printf 'Long%.0s' {1..75})   # 300 characters
NAME200=$(printf 'Name%.0s' {1..50}) # the longest name a field takes
RTL='مرحبا بالعالم'
cat >"$TMP/agenda.csv" <<EOF
ref,mission,day,start,end,kind,title,module,place,address,lat,lon,host,audience,facilitators,description
A1,m1,1,09:00,10:00,session,Opening <script>alert(1)</script>,1,Hall & <b>Main</b>,javascript:alert(1),47.0105,28.8638,,all,"""onmouseover=alert(1) x=""",Line one
A2,m1,1,10:00,12:00,visit,Visit A,3,Site <one>,Str. 1,47.02,28.85,Host 'A',group:A,,
A3,m1,1,10:00,12:00,visit,Visit B,3,Site two,Str. 2,,,,group:B,,
A4,m1,1,13:00,14:00,meal,Lunch 🍲,,,,,,,all,,
A5,m1,2,04:30,05:30,session,After the change,,,,,,,all,,
A6,m1,2,09:00,10:00,session,$RTL,2,,,,,,category:lgu-focal,,
A7,m1,2,11:00,12:00,session,To cancel,,,,,,,all,,
A8,m1,3,09:00,10:00,session,To remove,,,,,,,all,,
A9,m1,3,10:00,11:00,session,$LONG,4,,,,,,group:A;group:B,,
EOF
cat >"$TMP/people.csv" <<EOF
ref,given_name,family_name,category,mission,status,arrival,departure,group
P1,<img src=x onerror=alert(1)>,"""onmouseover=",lgu-focal,m1,confirmed,2027-03-26T18:30,2027-03-29,A
P2,javascript:alert(1),محمد,mrc-staff,m1,confirmed,,,B
P3,Zoë 🎉,$NAME200,lgu-official,m1,confirmed,2027-03-28T03:30,,A
P4,Gone,Person,lgu-official,m1,confirmed,,,B
EOF
ok fs agenda import "$TMP/agenda.csv"
ok fs participant import "$TMP/people.csv"
# published once, so that a removed item stays (as cancelled) for subscribers
ok fs publish m1 --out "$OUT"
ok fs agenda cancel A7 --mission m1
ok fs agenda remove A8 --mission m1
# the hostile texts must come back as text, whole
printf '%s\n' "$HOSTILE_TITLE" 'Hall & <b>Main</b>' 'javascript:alert(1)' \
	'Opening <script>alert(1)</script>' '"onmouseover=alert(1) x="' \
	"Site <one>" "Host 'A'" "$RTL" "$LONG" "$NAME200" 'Lunch 🍲' \
	'<img src=x onerror=alert(1)>' 'محمد' 'Zoë 🎉' >"$TMP/hostile.txt"

# --- without a base URL: pages say that links need one -------------------
ok fs publish m1 --out "$OUT"
expect_stderr 'note: 1 mission has no base URL'
page_check "pages without a base URL" "$OUT" --text "$TMP/hostile.txt"
for f in "$OUT/index.html" "$OUT/m1/index.html" "$OUT/m1/group-A.html" \
	"$OUT/m1/group-B.html" "$OUT/m1/schedule.xml" "$OUT/m1/schedule.json"; do
	check "published $(basename "$f")" test -s "$f"
done
eq "personal pages" "$(ls "$OUT/m1/p/"*.html | wc -l)" 4

# --- with one: exact subscribe links, QR codes read by zbarimg ----------
ok fs --json publish m1 --out "$OUT" --base-url "$BASE/"
expect_stdout '"written": [1-9]'
page_check "pages with subscribe links and QR codes" "$OUT" --base "$BASE" \
	--qr --text "$TMP/hostile.txt"

# offsets of each instant: Bucharest moves to summer time on 28 March 2027
# (03:00 becomes 04:00, as in all of the EU)
check "day 1 at +02:00" grep -q 'datetime="2027-03-27T09:00+02:00"' "$OUT/m1/index.html"
check "day 3 at +03:00" grep -q 'datetime="2027-03-29T09:00+03:00"' "$OUT/m1/index.html"
check "the zone said once, both offsets" grep -q \
	'Europe/Bucharest, UTC+02:00 / UTC+03:00' "$OUT/m1/index.html"
check "a time the clocks skip shown as they show it" grep -q \
	'datetime="2027-03-28T04:30+03:00">04:30' "$OUT/m1/p/$(sql "select feed_token from registration r join participant p on p.id = r.participant_id where p.ref = 'P3'").html"

# the mission page against the CSV, not against the tool's feed
py_check() {
	local desc=$1 out
	shift
	if out=$("$PYTHON" - "$@" 2>&1); then _pass "$desc"; else _fail "$desc" "$out"; fi
}
py_check "mission page holds every CSV row at its local time" \
	"$TMP/agenda.csv" "$OUT/m1/index.html" <<'EOF'
import csv, datetime as dt, sys, html5lib
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
doc = html5lib.parse(open(sys.argv[2], "rb").read(), namespaceHTMLElements=False)
shown = []
for li in doc.iter("li"):
    if "it" not in (li.get("class") or "").split():
        continue
    t = [x.get("datetime")[:16] for x in li.iter("time")]
    p = [x for x in li.iter("p") if x.get("class") == "t"][0]
    d = list(p.iter("del"))
    title = "".join((d[0] if d else p).itertext())
    shown.append((title, t[0], "x" in li.get("class").split()))
start = dt.date(2027, 3, 27)
want = sorted((r["title"], f'{start + dt.timedelta(int(r["day"]) - 1)}T{r["start"]}',
               r["ref"] in ("A7", "A8")) for r in rows)
if sorted(shown) != want:
    sys.exit(f"page {sorted(shown)}\nCSV  {want}")
EOF

# --- the schedules, against the voc schemas ------------------------------
ok xmllint --noout --schema "$SCHEMAS/schedule.xml.xsd" "$OUT/m1/schedule.xml"
ok /usr/bin/jsonschema -i "$OUT/m1/schedule.json" "$SCHEMAS/schema.json"
py_check "schedule.json: every item once, cancelled ones titled so" \
	"$OUT/m1/schedule.json" <<'EOF'
import json, sys
s = json.load(open(sys.argv[1], encoding="utf-8"))["schedule"]
events = [e for d in s["conference"]["days"] for r in d["rooms"].values() for e in r]
titles = sorted(e["title"] for e in events)
assert len(events) == 9, titles
assert "Cancelled: To cancel" in titles and "Removed: To remove" in titles, titles
assert len({e["guid"] for e in events}) == 9
e = [e for e in events if e["title"].startswith("Opening")][0]
assert e["date"] == "2027-03-27T09:00:00+02:00" and e["duration"] == "01:00", e
assert e["persons"][0]["public_name"] == '"onmouseover=alert(1) x="', e
assert e["url"].startswith("https://example.org/field-schools/m1/index.html#i"), e
EOF
# guids are stable: the same after a re-publish into another directory
ok fs publish m1 --out "$TMP/other"
eq "guids stable" "$(grep -o 'guid="[^"]*"' "$TMP/other/m1/schedule.xml" | sort | md5sum)" \
	"$(grep -o 'guid="[^"]*"' "$OUT/m1/schedule.xml" | sort | md5sum)"

# --- the checker catches what it claims to ------------------------------
cp -r "$OUT" "$TMP/bad"
sed -i 's/datetime="2027-03-27T09:00+02:00"/datetime="2027-03-27T09:00+03:00"/' "$TMP/bad/m1/index.html"
page_check_fails "checker: a wrong offset" "Opening.*not on the page" "$TMP/bad" --base "$BASE"
cp "$OUT/m1/index.html" "$TMP/bad/m1/index.html"
sed -i 's/<p class="m">/<p class="m" onclick="x()">/' "$TMP/bad/m1/group-A.html"
page_check_fails "checker: an event handler" "attribute onclick" "$TMP/bad" --base "$BASE"
cp "$OUT/m1/group-A.html" "$TMP/bad/m1/group-A.html"
sed -i 's/render?cid=webcal%3A/render?cid=webcal:/' "$TMP/bad/m1/group-B.html"
page_check_fails "checker: an unencoded link" "Add to Google Calendar" "$TMP/bad" --base "$BASE"

# --- publishing again with no change rewrites no page --------------------
before=$(tree_state "$OUT")
ok fs --json publish m1 --out "$OUT"
expect_stdout '"written": 0,'
eq "no page rewritten" "$(tree_state "$OUT")" "$before"

# an edit reaches every page that shows the item
ok fs agenda edit A4 --mission m1 --title 'Lunch moved'
ok fs publish m1 --out "$OUT"
check "mission page shows the edit" grep -q 'Lunch moved' "$OUT/m1/index.html"
page_check "pages after an edit" "$OUT" --base "$BASE"

# --- a rotated token takes its page with it; so does a cancellation ------
old=$(sql "select feed_token from registration r join participant p on p.id = r.participant_id where p.ref = 'P2'")
ok fs token rotate P2
ok fs publish m1 --out "$OUT"
new=$(sql "select feed_token from registration r join participant p on p.id = r.participant_id where p.ref = 'P2'")
check "old personal page removed" test ! -e "$OUT/m1/p/$old.html"
check "old personal feed removed" test ! -e "$OUT/m1/p/$old.ics"
check "new personal page" test -s "$OUT/m1/p/$new.html"
gone=$(sql "select feed_token from registration r join participant p on p.id = r.participant_id where p.ref = 'P4'")
ok fs participant edit P4 --mission m1 --status cancelled
ok fs publish m1 --out "$OUT"
check "cancelled registration's page removed" test ! -e "$OUT/m1/p/$gone.html"
eq "pages not in the database forgotten" \
	"$(sql "select count(*) from feed_file where dir = '$(realpath "$OUT")' and (path like '%$old.html' or path like '%$gone.html')")" 0
page_check "pages after rotation and cancellation" "$OUT" --base "$BASE"

# --- page: one page, like ics -------------------------------------------
ok fs page m1
same_file "page MISSION is the published page" "$LAST_OUT" "$OUT/m1/index.html"
ok fs page m1 --group B -o "$TMP/b.html"
same_file "page --group is the published page" "$TMP/b.html" "$OUT/m1/group-B.html"
ok fs page m1 --participant P1
same_file "page --participant is the published page" "$LAST_OUT" \
	"$OUT/m1/p/$(sql "select feed_token from registration r join participant p on p.id = r.participant_id where p.ref = 'P1'").html"
fails 3 fs page m1 --group Z
expect_stderr "^fieldschool: no group 'Z' in mission 'm1'$"
fails 3 fs page nope
expect_stderr "^fieldschool: no mission 'nope'$"
fails 3 fs page m1 --participant P4
expect_stderr "cancelled their registration"
fails 3 fs page m1 --participant NOBODY
fails 2 fs page m1 --group A --participant P1
expect_stderr 'give at most one of'
fails 2 fs --json page m1
expect_stderr "--json: 'page' has no JSON output"
fails 2 fs page
expect_stderr 'give one mission code'
fails 2 fs page m1 --colour red
fails 4 fs page m1 -o "$TMP/no/such/dir/x.html"

# a mission code that would be the directory's index page is refused
ok fs mission add --title T --country PH --city Manila --timezone Asia/Manila \
	--start 2027-03-01 --days 3 index.html
fails 3 fs publish index.html --out "$OUT"
expect_stderr "mission 'index.html'"
check "the top index lists the published missions" grep -q 'href="m1/index.html"' "$OUT/index.html"

finish
