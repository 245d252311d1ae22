#!/bin/bash
# Calendar feeds (ics, publish, token): every feed read back by an
# independent checker (tests/ics_check.py: raw bytes, our own parser,
# zoneinfo against the embedded VTIMEZONE, python3-icalendar and libical
# through tests/ics_parse); which events each feed holds, computed here
# from the CSV files the test wrote; UID and SEQUENCE across edits;
# cancelled and removed items; no-op re-publish; hostile names; tokens;
# cancelled registrations; errors.
. "$(dirname "$0")/lib.sh"

# Failures name the line that called the helpers below, not their own.
_where() {
	local i
	for ((i = 1; i < ${#BASH_SOURCE[@]}; i++)); do
		[[ ${BASH_SOURCE[i]} == */lib.sh ]] && continue
		[[ ${FUNCNAME[i]} == @(valid|invalid|py|expect_feeds|feed_json) ]] && continue
		echo "$(basename "${BASH_SOURCE[i]}"):${BASH_LINENO[i - 1]}"
		return
	done
	echo "$TEST_NAME:?"
}

CHECKER=$FIELDSCHOOL_SRC/tests/ics_check.py
# The checker, with libical required (and its restriction check, and
# X-WR-CALNAME read back alike by us, python3-icalendar and libical).
ics_check() {
	"$PYTHON" "$CHECKER" --require-libical --quiet "$@"
}

# valid DESC [CHECKER OPTIONS] FILE...: the checker finds no problem.
valid() {
	local desc=$1 out
	shift
	if out=$(ics_check "$@" 2>&1); then
		_pass "$desc"
	else
		_fail "$desc" "$(printf '%s\n' "$out" | head -30)"
	fi
}

# invalid DESC PATTERN [CHECKER OPTIONS] FILE...: the checker rejects the
# file and says PATTERN (a grep -E regex): it can fail.
invalid() {
	local desc=$1 pattern=$2 out
	shift 2
	if out=$(ics_check "$@" 2>&1); then
		_fail "$desc: the checker accepted it"
	elif grep -Eq -- "$pattern" <<<"$out"; then
		_pass "$desc"
	else
		_fail "$desc: the checker did not say /$pattern/" "$out"
	fi
}

# feed_json OUT FILE...: what the checker read, as JSON in OUT (for the
# assertions on content; validity is asserted by valid).
feed_json() {
	local out=$1
	shift
	rm -f "$out"
	"$PYTHON" "$CHECKER" --quiet --json "$out" "$@" >/dev/null 2>&1
	[[ -s $out ]] || _fail "the checker wrote no JSON for $*"
}

# py DESC ARGS... <<'EOF' script EOF: a Python assertion; it prints what
# is wrong and exits 1, or exits 0.
py() {
	local desc=$1 out
	shift
	cat >"$TMP/.py"
	if out=$("$PYTHON" "$TMP/.py" "$@" 2>&1); then
		_pass "$desc"
	else
		_fail "$desc" "$(printf '%s\n' "$out" | head -30)"
	fi
}

# fac_path NAME: the path of NAME's facilitator feed of m1, by index.json.
fac_path() {
	"$PYTHON" -c '
import json, sys
got = [f["path"] for f in json.load(open(sys.argv[1], encoding="utf-8"))["feeds"]
       if f.get("name") == sys.argv[2]]
print(got[0] if got else "<none>")' "$OUT/m1/index.json" "$1"
}

# tree_state DIR: every file under DIR with its inode, size, mtime (ns)
# and sha256, sorted: two equal states mean no file was rewritten.
tree_state() {
	(cd "$1" && find . -type f -printf '%P %i %s %T@ ' -exec sha256sum {} \; | sort)
}

# The expected feeds, computed from the CSV files alone.
cat >"$TMP/expect.py" <<'EOF'
"""expect.py FEEDS_DIR MISSION AGENDA_CSV PARTICIPANTS_CSV MISSIONS_CSV
FEEDS_JSON [CANCELLED_KEYS]: the feeds of MISSION hold what the audience
rules say, computed from the CSV files (not from the tool)."""
import collections, csv, datetime as dt, json, os, sys

feeds_dir, mission, agenda_csv, people_csv, missions_csv, feeds_json = \
    sys.argv[1:7]
problems = []
def fail(msg):
    problems.append(msg)

def rows(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return list(csv.DictReader(f))

m = [r for r in rows(missions_csv) if r["code"] == mission][0]
title, city, start = m["title"], m["city"], dt.date.fromisoformat(m["start"])
items = [r for r in rows(agenda_csv) if r["mission"] == mission]
people = [r for r in rows(people_csv)
          if r.get("mission") == mission and r.get("status") != "cancelled"]

def item_date(r):
    if r.get("date"):
        return r["date"]
    return (start + dt.timedelta(days=int(r["day"]) - 1)).isoformat()

def key(r):
    return f'{r["title"]}|{item_date(r)}T{r["start"]}'

def audience(r):
    a = [x.strip() for x in (r.get("audience") or "all").split(";") if x.strip()]
    return a or ["all"]

def facilitators(r):
    return [x.strip() for x in (r.get("facilitators") or "").split(";") if x.strip()]

groups = set()
for r in items:
    groups |= {a[6:] for a in audience(r) if a.startswith("group:")}
groups |= {p["group"] for p in people if p.get("group")}
facs = set()
for r in items:
    facs |= set(facilitators(r))

expected = {}  # path -> (calname, Counter of keys, travel list)
expected[f"{mission}/{mission}.ics"] = (title, collections.Counter(key(r) for r in items), [])
for g in groups:
    expected[f"{mission}/group-{g}.ics"] = (
        f"{title}: group {g}",
        collections.Counter(key(r) for r in items
                            if "all" in audience(r) or f"group:{g}" in audience(r)), [])
index = json.load(open(os.path.join(feeds_dir, mission, "index.json"), encoding="utf-8"))
by_kind = collections.defaultdict(list)
for f in index["feeds"]:
    by_kind[f["kind"]].append(f)
if index.get("mission") != mission:
    fail(f"index.json mission {index.get('mission')!r}")
if sorted(f.get("group") for f in by_kind["group"]) != sorted(groups):
    fail(f"index.json groups {sorted(f.get('group') for f in by_kind['group'])}, "
         f"expected {sorted(groups)}")
if sorted(f.get("name") for f in by_kind["facilitator"]) != sorted(facs):
    fail(f"index.json facilitators {sorted(f.get('name') for f in by_kind['facilitator'])},"
         f" expected {sorted(facs)}")
for f in by_kind["facilitator"]:
    name = f.get("name")
    expected[f["path"]] = (f"{title}: {name}",
                           collections.Counter(key(r) for r in items
                                               if name in facilitators(r)), [])
personal_refs = sorted(f.get("ref") for f in by_kind["personal"])
if personal_refs != sorted(p["ref"] for p in people):
    fail(f"index.json personal refs {personal_refs}, expected "
         f"{sorted(p['ref'] for p in people)}")
person = {p["ref"]: p for p in people}
for f in by_kind["personal"]:
    p = person.get(f["ref"])
    if p is None:
        continue
    full = " ".join(x for x in (p["given_name"], p["family_name"]) if x)
    if f.get("name") != full:
        fail(f"index.json name of {p['ref']}: {f.get('name')!r}, expected {full!r}")
    if not f["path"].startswith(f"{mission}/p/") or len(os.path.basename(f["path"])) != 36:
        fail(f"personal path {f['path']} is not {mission}/p/<32 hex>.ics")
    keys = collections.Counter(
        key(r) for r in items
        if "all" in audience(r) or (p.get("group") and f"group:{p['group']}" in audience(r))
        or f"category:{p['category']}" in audience(r))
    travel = []
    for kind, what in (("arrival", "Arrival in"), ("departure", "Departure from")):
        when = p.get(kind)
        if when:
            keys[f"{what} {city}|{when}"] += 1
            travel.append((f"{what} {city}", when))
    expected[f["path"]] = (f"{title}: {full}", keys, travel)

on_disk = set()
for sub in ("", "p"):
    d = os.path.join(feeds_dir, mission, sub)
    on_disk |= {os.path.join(mission, sub, n).replace("//", "/") if sub else f"{mission}/{n}"
                for n in os.listdir(d) if n.endswith(".ics")}
listed = {f["path"] for f in index["feeds"]}
if on_disk != listed:
    fail(f"files not in index.json: {sorted(on_disk - listed)}; "
         f"listed but missing: {sorted(listed - on_disk)}")
if set(expected) != listed:
    fail(f"feeds expected but not listed: {sorted(set(expected) - listed)}; "
         f"listed but not expected: {sorted(listed - set(expected))}")
mode = os.stat(os.path.join(feeds_dir, mission, "index.json")).st_mode & 0o777
if mode != 0o600:
    fail(f"index.json has mode {mode:o}, not 600")

read = {os.path.relpath(f["file"], feeds_dir): f
        for f in json.load(open(feeds_json, encoding="utf-8"))}
uid_of = {}
for path, (calname, keys, travel) in sorted(expected.items()):
    got = read.get(path)
    if got is None:
        fail(f"{path}: not read")
        continue
    if got.get("calname") != calname:
        fail(f"{path}: X-WR-CALNAME {got.get('calname')!r}, expected {calname!r}")
    if got.get("name") != calname:
        fail(f"{path}: NAME {got.get('name')!r}, expected {calname!r}")
    have = collections.Counter()
    for e in got["events"]:
        s = e["summary"] or ""
        s = s[len("Cancelled: "):] if s.startswith("Cancelled: ") else s
        k = f'{s}|{e["start"]}'
        have[k] += 1
        if not s.startswith(("Arrival in", "Departure from")):
            if uid_of.setdefault(k, e["uid"]) != e["uid"]:
                fail(f"{path}: {k} has UID {e['uid']}, another feed {uid_of[k]}")
    if have != keys:
        fail(f"{path}: {sum(have.values())} events, expected {sum(keys.values())}; "
             f"missing {sorted((keys - have).elements())}; "
             f"unexpected {sorted((have - keys).elements())}")
    for what, when in travel:
        ev = [e for e in got["events"] if e["summary"] == what and e["start"] == when]
        if len(ev) != 1:
            continue
        e = ev[0]
        if "T" in when:
            a = dt.datetime.strptime(e["start_utc"], "%Y%m%dT%H%M%SZ")
            b = dt.datetime.strptime(e["end_utc"], "%Y%m%dT%H%M%SZ")
            if b - a != dt.timedelta(minutes=30):
                fail(f"{path}: {what} lasts {b - a}, not 30 minutes")
        else:
            nxt = (dt.date.fromisoformat(when) + dt.timedelta(days=1)).isoformat()
            if e["end"] != nxt or e["transp"] != "TRANSPARENT":
                fail(f"{path}: all-day {what} ends {e['end']} ({e['transp']}), "
                     f"expected {nxt} and TRANSPARENT")
        if e["status"] is not None:  # only a cancelled event has one
            fail(f"{path}: {what} status {e['status']}")
for msg in problems:
    print(msg)
print(f"{len(expected)} feeds of {mission} checked, {len(problems)} problems")
sys.exit(1 if problems else 0)
EOF

# expect_feeds DIR MISSION AGENDA PARTICIPANTS MISSIONS: every feed of
# MISSION in DIR holds what the CSV files imply.
# (A sixth argument: the checker's JSON of those feeds, read already.)
expect_feeds() {
	local json=${6:-$TMP/feeds.json}
	[[ -n ${6:-} ]] || feed_json "$json" "$1/$2"/*.ics "$1/$2"/p/*.ics
	py "feeds of $2 in $1 hold what the audience rules imply" \
		"$TMP/expect.py" "$1" "$2" "$3" "$4" "$5" "$json" </dev/null
}

# ============================================================================
# The checker itself can fail (each problem it looks for, on a bad copy).
# ============================================================================
new_db
ok fs mission add --title "Chisinau school" --country MD --city Chisinau \
	--timezone Europe/Chisinau --start 2027-03-26 --days 4 \
	--contact-name "Ion Popa" --contact-email ion@example.org md-2027
ok fs mission add --title "New York school" --country US --city "New York" \
	--timezone America/New_York --start 2027-03-12 --days 4 \
	--contact-name "Ann Lee" --contact-email ann@example.org ny-2027
ok fs mission add --title "Kathmandu school" --country NP --city Kathmandu \
	--timezone Asia/Kathmandu --start 2027-03-12 --days 3 \
	--contact-name "Sita Rai" --contact-email sita@example.org np-2027
ok fs mission add --title "Mexico City school" --country MX --city "Ciudad de México" \
	--timezone America/Mexico_City --start 2027-05-10 --days 4 \
	--contact-name "Paz Ortiz" --contact-email paz@example.org mx-2027
# times on both sides of each change, none in a gap or an overlap
cat >tz-agenda.csv <<'EOF'
ref,mission,day,start,end,kind,title,audience
C1,md-2027,1,09:00,10:00,session,Friday,all
C2,md-2027,2,23:30,23:59,session,Late Saturday,all
C3,md-2027,3,01:00,01:30,session,Before the change,all
C4,md-2027,3,04:00,05:00,session,After the change,all
C5,md-2027,4,09:00,10:00,session,Monday,all
N1,ny-2027,1,09:00,10:00,session,Friday NY,all
N2,ny-2027,3,01:30,01:59,session,Before the change NY,all
N3,ny-2027,3,03:00,04:00,session,After the change NY,all
N4,ny-2027,4,22:00,23:30,session,Monday night NY,all
K1,np-2027,1,00:00,00:15,session,Kathmandu midnight,all
K2,np-2027,3,23:45,23:59,session,Kathmandu late,all
X1,mx-2027,1,09:00,10:00,session,Mexico City,all
X2,mx-2027,4,18:00,19:00,session,Mexico City last,all
EOF
ok fs agenda import tz-agenda.csv
for m in md-2027 ny-2027 np-2027 mx-2027; do
	ok fs ics "$m" -o "$m.ics"
done
valid "DST crossing: Chisinau feed, 2 observances" --organizer \
	--expect-observances Europe/Chisinau=2 md-2027.ics
valid "DST crossing: New York feed, 2 observances" --organizer \
	--expect-observances America/New_York=2 ny-2027.ics
valid "+05:45: Kathmandu feed, 1 observance" --organizer \
	--expect-observances Asia/Kathmandu=1 np-2027.ics
valid "Mexico City 2027: 1 observance" --organizer \
	--expect-observances America/Mexico_City=1 mx-2027.ics
check "Mexico City 2027 is one STANDARD at -0600" \
	grep -Pzq 'BEGIN:STANDARD\r\n(?:[^\r]*\r\n)*?TZOFFSETTO:-0600\r\n(?:[^\r]*\r\n)*?END:STANDARD\r\nEND:VTIMEZONE' mx-2027.ics
eq "Mexico City: no DAYLIGHT" "$(grep -c '^BEGIN:DAYLIGHT' mx-2027.ics)" 0
check "Kathmandu: TZOFFSETTO:+0545" grep -q $'^TZOFFSETTO:+0545\r$' np-2027.ics
feed_json tz.json md-2027.ics ny-2027.ics np-2027.ics
py "UTC instants across the changes, as computed by hand" tz.json <<'EOF'
import json, sys
want = {"Before the change": "20270327T230000Z",   # 01:00 EET (+2)
        "After the change": "20270328T010000Z",    # 04:00 EEST (+3)
        "Friday": "20270326T070000Z",
        "Before the change NY": "20270314T063000Z", # 01:30 EST (-5)
        "After the change NY": "20270314T070000Z",  # 03:00 EDT (-4)
        "Kathmandu midnight": "20270311T181500Z",   # 00:00 +05:45
        "Kathmandu late": "20270314T180000Z"}
got = {e["summary"]: e["start_utc"] for f in json.load(open(sys.argv[1])) for e in f["events"]}
bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
print(bad or "all as expected")
sys.exit(1 if bad else 0)
EOF

# A local time that does not exist: New York's clocks skip 02:00-03:00 on
# 14 March 2027.  Either the agenda refuses it, or the feed still has the
# bus leave before it arrives (by RFC 5545, 02:30 is read with the offset
# before the gap: 07:30Z, while 03:15 EDT is 07:15Z).
fails 3 fs agenda add ny-2027 --ref GAP --date 2027-03-14 --start 02:30 --end 03:15 \
	--kind travel --title "Night bus"
expect_stderr_fixed '--start: 02:30 does not exist on 2027-03-14 in America/New_York (the clocks go forward 60 minutes): use 03:30'
ok fs agenda add ny-2027 --ref GAP --date 2027-03-14 --start 03:30 --end 04:15 \
	--kind travel --title "Night bus"
fails 3 fs agenda edit GAP --mission ny-2027 --start 02:00
expect_stderr 'does not exist'

# Bad copies: each must be rejected, for the right reason.
ok fs ics md-2027 -o good.ics
sed 's/\r$//' good.ics >lf.ics
invalid "checker: LF line ends" 'CRLF|bare CR or LF' lf.ics
"$PYTHON" - good.ics long.ics <<'EOF'
import sys
d = open(sys.argv[1], "rb").read().replace(b"SUMMARY:Friday", b"SUMMARY:Friday " + b"x" * 70)
open(sys.argv[2], "wb").write(d)
EOF
invalid "checker: a line of more than 75 octets" 'octets, more than 75' long.ics
"$PYTHON" - good.ics split.ics <<'EOF'
import sys
# "é" (C3 A9) split over a fold, as a byte-counting folder might do
d = open(sys.argv[1], "rb").read().replace(b"SUMMARY:Friday\r\n", b"SUMMARY:Frid\xc3\r\n \xa9y\r\n")
open(sys.argv[2], "wb").write(d)
EOF
invalid "checker: a fold splitting a UTF-8 character" 'not valid UTF-8' split.ics
sed 's/^TZOFFSETTO:+0300/TZOFFSETTO:+0400/' good.ics >offset.ics
invalid "checker: a wrong TZOFFSETTO" 'by the VTIMEZONE but|TZOFFSETTO' offset.ics
sed 's/^TZID:Europe\/Chisinau/TZID:Europe\/Kiev/' good.ics >tzid.ics
invalid "checker: a TZID without its VTIMEZONE" 'has no VTIMEZONE' tzid.ics
sed 's/TZID=Europe\/Chisinau/TZID=\/freeassociation.sourceforge.net\/Europe\/Chisinau/' good.ics >prefixed.ics
invalid "checker: a prefixed TZID" 'plain IANA|no VTIMEZONE' prefixed.ics
"$PYTHON" - good.ics extra.ics <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
extra = (b"BEGIN:STANDARD\r\nDTSTART:20251026T030000\r\nTZOFFSETFROM:+0300\r\n"
         b"TZOFFSETTO:+0200\r\nTZNAME:EET\r\nEND:STANDARD\r\n")
open(sys.argv[2], "wb").write(d.replace(b"BEGIN:STANDARD\r\n", extra + b"BEGIN:STANDARD\r\n", 1))
EOF
invalid "checker: a needless observance" 'observances, but' extra.ics
sed 's/^SUMMARY:Friday\r$/&\nSTATUS:CANCELLED\r/' good.ics >status.ics
invalid "checker: CANCELLED without the prefix" 'STATUS CANCELLED but SUMMARY' status.ics
grep -v '^X-WR-CALNAME' good.ics >noname.ics
invalid "checker: no X-WR-CALNAME" 'X-WR-CALNAME' noname.ics
sed 's/^SUMMARY:Friday/SUMMARY:Fri\\day/' good.ics >escape.ics
invalid "checker: a bad TEXT escape" 'bad escape' escape.ics
"$PYTHON" - good.ics libical.ics <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
open(sys.argv[2], "wb").write(d.replace(b"SEQUENCE:0\r\n", b"SEQUENCE:zero\r\n", 1))
EOF
invalid "checker: libical reports X-LIC-ERROR" 'libical|SEQUENCE' libical.ics

# ============================================================================
# The demo: three missions, every feed.
# ============================================================================
ok fs demo --out demo
DEMO=$TMP/demo
valid "every demo feed passes the checker (libical too)" \
	--json "$TMP/demo.json" "$DEMO"/feeds/*/*.ics "$DEMO"/feeds/*/p/*.ics
for m in mx-2027 rw-2027 ph-2027; do
	expect_feeds "$DEMO/feeds" "$m" "$DEMO/agenda-$m.csv" \
		"$DEMO/participants-$m.csv" "$DEMO/missions.csv" "$TMP/demo.json"
done
eq "demo: Mexico City 2027 needs one observance" \
	"$(sed -n '/^BEGIN:VTIMEZONE/,/^END:VTIMEZONE/p' "$DEMO/feeds/mx-2027/mx-2027.ics" | grep -c '^BEGIN:\(STANDARD\|DAYLIGHT\)')" 1
valid "demo shared feeds: every event has an ORGANIZER" --organizer \
	"$DEMO"/feeds/*/*.ics
# Apple's map needs X-TITLE to be the LOCATION (feed.c): the checker says so
"$PYTHON" - "$DEMO/feeds/mx-2027/mx-2027.ics" apple.ics <<'EOF'
import sys
d = open(sys.argv[1], "rb").read()
bad = d.replace(b'X-TITLE="Centro', b'X-TITLE="Cintro', 1)
open(sys.argv[2], "wb").write(bad)
sys.exit(bad == d)
EOF
invalid "checker: Apple's X-TITLE other than the LOCATION" \
	'X-TITLE .* is not the LOCATION' apple.ics
check "demo feeds: no CREATED, LAST-MODIFIED or STATUS:CONFIRMED" \
	bash -c "! grep -rlE '^(CREATED|LAST-MODIFIED|STATUS:CONFIRMED)' '$DEMO/feeds'"
check "demo feeds: no X-ADDRESS" \
	bash -c "! grep -rl 'X-ADDRESS' '$DEMO/feeds' --include='*.ics'"
py "demo feeds: audience only when not everyone, STATUS only when cancelled" \
	"$TMP/demo.json" <<'EOF'
import json, sys
bad = [(e["uid"], e["description"], e["status"])
       for f in json.load(open(sys.argv[1], encoding="utf-8"))
       for e in f["events"]
       if "For: everyone" in (e["description"] or "")
       or e["status"] not in (None, "CANCELLED")]
print(bad[:3] or "as expected")
sys.exit(1 if bad else 0)
EOF
# personal feeds hold arrival and departure events too: RFC 5546 wants an
# ORGANIZER in every VEVENT of a PUBLISH calendar, and feed.c says so.
p=$(grep -l '^SUMMARY:Arrival in' "$DEMO"/feeds/mx-2027/p/*.ics | head -1)
valid "demo personal feed with travel events: every event has an ORGANIZER (RFC 5546)" \
	--organizer "$p"

# publishing the demo again into its own directory: nothing to do
tree_state "$DEMO/feeds" >demo-before.state
FIELDSCHOOL_DB=$DEMO/fieldschool.db ok fs --json publish mx-2027 rw-2027 ph-2027 --out "$DEMO/feeds"
eq "demo re-publish: files written" "$(json_field written <"$LAST_OUT")" 0
eq "demo re-publish: files removed" "$(json_field removed <"$LAST_OUT")" 0
eq "demo re-publish: feeds" "$(json_field feeds <"$LAST_OUT")" \
	"$(find "$DEMO/feeds" -name '*.ics' | wc -l)"
tree_state "$DEMO/feeds" >demo-after.state
same_file "demo re-publish: every file's inode, bytes and mtime unchanged" \
	demo-before.state demo-after.state

# base URL in index.json
FIELDSCHOOL_DB=$DEMO/fieldschool.db ok fs publish rw-2027 --out "$TMP/based" \
	--base-url https://cal.example.org/feeds/
py "index.json: url = base URL (no double slash) + path, for every feed" \
	"$TMP/based/rw-2027/index.json" <<'EOF'
import json, sys
idx = json.load(open(sys.argv[1], encoding="utf-8"))
bad = [f for f in idx["feeds"] if f.get("url") != "https://cal.example.org/feeds/" + f["path"]]
print(bad[:3] or f"{len(idx['feeds'])} feeds")
sys.exit(1 if bad or not idx["feeds"] else 0)
EOF
check "the same feeds with or without a base URL (pages differ: their links)" \
	diff -r -x index.json -x '*.html' -x 'schedule.*' "$TMP/based/rw-2027" \
	"$DEMO/feeds/rw-2027"

# ============================================================================
# Hand-made data: audiences, travel, hostile names.
# ============================================================================
export FIELDSCHOOL_DB=$TMP/hand.db
new_db
ok fs mission add --title "Manila school" --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 \
	--contact-name 'Ma. Luz "Lucy" Reyes' --contact-email lucy@example.org m1
fs mission export >missions.csv </dev/null
cat >agenda.csv <<'EOF'
ref,mission,day,date,start,end,kind,title,place,address,lat,lon,host,audience,facilitators,description
S1,m1,1,,09:00,10:30,session,Opening,Main hall,"Roxas Blvd, Manila",14.5542,121.0244,,all,Dr. Ana Reyes;Prof. Jean Habimana,"Welcome, and ""why we are here"""
V1,m1,2,,10:00,12:00,visit,Visit A,Barangay hall,,14.6,121.1,Barangay Maligaya,group:A,Dr. Ana Reyes,
V2,m1,,2027-03-02,10:00,12:00,visit,Visit B,Port,,,,,group:B,,
V3,m1,2,,14:00,16:00,visit,Visit A and B,Market,,,,,group:A;group:B,,
C1,m1,3,,12:00,13:00,meal,Lunch for MRC staff,,,,,,category:mrc-staff,,
C2,m1,3,,13:00,14:00,session,LGU side meeting,,,,,,category:lgu-official,Émile Zoë Çelik,
S2,m1,3,,16:00,17:00,ceremony,Closing,Main hall,,,,,all,,
X1,m1,1,,11:00,12:00,session,To cancel,,,,,,all,,
X2,m1,1,,13:00,14:00,session,To remove,,,,,,group:A,Prof. Jean Habimana,
E1,m1,1,,15:00,16:00,session,To edit,Room 1,,,,,all,,First description
EOF
ok fs agenda import agenda.csv
# hostile names: quotes, separators, backslashes, a line break, a tab,
# emoji (a ZWJ sequence), right-to-left text, combining marks, long names
"$PYTHON" - participants.csv <<'EOF'
import csv, sys
rows = [
    ["P1", "Ana", "Cruz", "lgu-official", "confirmed", "2027-02-28", "2027-03-04", "A"],
    ["P2", "Ben", "Santos", "mrc-staff", "confirmed", "2027-02-28T18:45", "2027-03-03T23:50", "B"],
    ["P3", "Cai", "Lim", "agency-head", "applied", "", "", ""],
    ["P4", "Dee", "Tan", "lgu-official", "cancelled", "2027-02-28", "", "A"],
    ["P5", "Eve", "Go", "lgu-focal", "waitlisted", "", "2027-03-04T06:00", "C"],
    ["H1", 'Ana, María; "Nena": x', "O\\Brien C:\\new\\n", "mrc-staff", "confirmed", "", "", "A"],
    ["H2", "👩🏽‍🌾 Farmer", "مريم العلي", "mrc-staff", "confirmed", "", "", ""],
    ["H3", "שרה\u200f", "כהן (Cohen)", "lgu-official", "confirmed", "", "", "B"],
    ["H4", "Zoe\u0301 Nin\u0303o", "A\u0308\u0301\u0323", "mrc-staff", "confirmed", "", "", ""],
    ["H5", "A" * 150, "B" * 150, "mrc-staff", "confirmed", "", "", ""],
    ["H6", "é" * 100, "👩🏽‍🌾" * 13, "mrc-staff", "confirmed", "", "", ""],
    ["H7", "Line\nBreak", "Tab\there", "mrc-staff", "confirmed", "", "", ""],
]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["ref", "given_name", "family_name", "category", "mission",
                "status", "arrival", "departure", "group"])
    for r in rows:
        w.writerow(r[:4] + ["m1"] + r[4:])
EOF
# H7's line break and tab are refused on the way in now; a database of an
# older version may hold them, and its feeds must still be right
"$PYTHON" - participants.csv import.csv <<'EOF'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
for r in rows:
    if r[0] == "H7":
        r[1], r[2] = "Line Break", "Tab here"
csv.writer(open(sys.argv[2], "w", newline="", encoding="utf-8")).writerows(rows)
EOF
ok fs participant import import.csv
sql "update participant set given_name = 'Line' || char(10) || 'Break',
	family_name = 'Tab' || char(9) || 'here' where ref = 'H7'"
eq "H7 as an older version stored it" \
	"$(sql "select count(*) from participant where given_name like '%'||char(10)||'%'")" 1
OUT=$TMP/out
ok fs --json publish m1 --out "$OUT"
eq "first publish: feeds" "$(json_field feeds <"$LAST_OUT")" \
	"$(find "$OUT" -name '*.ics' | wc -l)"
valid "every hand-made feed passes the checker" --organizer \
	"$OUT"/m1/*.ics
valid "every personal feed passes the checker" "$OUT"/m1/p/*.ics
expect_feeds "$OUT" m1 agenda.csv participants.csv missions.csv
emile=$(fac_path "Émile Zoë Çelik")
check "facilitator file name: the name with accents dropped ($emile)" \
	grep -q '^m1/facilitator-emile-zoe-celik' <<<"$emile"
check "the facilitator's feed is there" test -f "$OUT/$emile"
# DESCRIPTION: the audience only when not everyone; nothing at all when
# there is nothing to say
feed_json desc.json "$OUT/m1/m1.ics"
py "DESCRIPTION of each kind of item" desc.json <<'EOF'
import json, sys
want = {"Opening": 'Welcome, and "why we are here"\n\nFacilitators: Dr. Ana '
                   'Reyes, Prof. Jean Habimana',
        "Visit A": "Facilitators: Dr. Ana Reyes\nHost: Barangay Maligaya\n"
                   "For: group A",
        "Visit B": "For: group B",
        "Lunch for MRC staff": "For: category mrc-staff",
        "Closing": None}
got = {e["summary"]: e["description"]
       for e in json.load(open(sys.argv[1], encoding="utf-8"))[0]["events"]}
bad = {k: (got.get(k, "<missing>"), v) for k, v in want.items() if got.get(k, "<missing>") != v}
print(bad or "as expected")
sys.exit(1 if bad else 0)
EOF
check "group C exists from a registration alone" test -f "$OUT/m1/group-C.ics"
eq "no feed for the cancelled registration P4 (its token is unknown)" \
	"$(grep -c '"ref": "P4"' "$OUT/m1/index.json")" 0

# The names read back exactly, in X-WR-CALNAME, NAME and index.json.
feed_json names.json "$OUT"/m1/p/*.ics
py "hostile names round-trip exactly (X-WR-CALNAME, NAME, index.json)" \
	participants.csv names.json "$OUT/m1/index.json" <<'EOF'
import csv, json, os, sys
people = {r["ref"]: r for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8-sig"))}
feeds = {os.path.basename(f["file"]): f for f in json.load(open(sys.argv[2], encoding="utf-8"))}
idx = json.load(open(sys.argv[3], encoding="utf-8"))
bad = []
for f in idx["feeds"]:
    if f["kind"] != "personal" or not f["ref"].startswith("H"):
        continue
    p = people[f["ref"]]
    want = f'Manila school: {p["given_name"]} {p["family_name"]}'
    got = feeds[os.path.basename(f["path"])]
    for what in ("calname", "name"):
        if got[what] != want:
            bad.append(f'{f["ref"]} {what}: {got[what]!r} != {want!r}')
    if f["name"] != f'{p["given_name"]} {p["family_name"]}':
        bad.append(f'{f["ref"]} index.json name {f["name"]!r}')
print("\n".join(bad) or "7 names")
sys.exit(1 if bad else 0)
EOF
# NAME and X-WR-CALNAME are TEXT with ',' ';' and '\' escaped (RFC 5545
# 3.3.11), X-WR-CALNAME with VALUE=TEXT so that ical.js unescapes it: the
# name comes back exactly (checked above, and by python3-icalendar and
# libical in the checker).
h1=$(fs token show H1 --mission m1 </dev/null | cut -f3)
valid "H1's feed is valid" "$OUT/$h1"
check "H1's NAME escapes ',' and ';'" grep -q '^NAME:.*Ana\\, María\\; ' "$OUT/$h1"
check "H1's X-WR-CALNAME escapes ',' ';' and '\\' as TEXT" \
	grep -q '^X-WR-CALNAME;VALUE=TEXT:Manila school: Ana\\, María\\; "Nena": x O\\\\Brien' "$OUT/$h1"
check "H1's X-WR-CALNAME holds no line break" \
	test "$(grep -c '^X-WR-CALNAME;VALUE=TEXT:' "$OUT/$h1")" = 1
# ics --participant writes the same bytes as publish, for everyone
for ref in P1 P2 H1 H6; do
	path=$(fs token show "$ref" --mission m1 </dev/null | cut -f3)
	ok fs ics m1 --participant "$ref" -o "ics-$ref.ics"
	same_file "ics --participant $ref = the published $path" "ics-$ref.ics" "$OUT/$path"
done
ok fs ics m1
same_file "ics MISSION (stdout) = the published mission feed" "$LAST_OUT" "$OUT/m1/m1.ics"
ok fs ics m1 --group B -o ics-group-B.ics
same_file "ics --group B = group-B.ics" ics-group-B.ics "$OUT/m1/group-B.ics"
ok fs ics m1 --facilitator "Émile Zoë Çelik"
same_file "ics --facilitator = its published feed" "$LAST_OUT" "$OUT/$emile"

# ============================================================================
# No change: no file rewritten; UIDs and SEQUENCE through edits.
# ============================================================================
tree_state "$OUT" >s0.state
ok fs --json publish m1 --out "$OUT"
eq "re-publish with no change: written" "$(json_field written <"$LAST_OUT")" 0
eq "re-publish with no change: removed" "$(json_field removed <"$LAST_OUT")" 0
tree_state "$OUT" >s1.state
same_file "re-publish with no change: every file's inode, bytes, mtime" s0.state s1.state
ok fs publish m1 --out "$OUT"
expect_stdout ': [0-9]+ feeds and [0-9]+ pages, 0 files written \(0\.0 MB\), [0-9]+ unchanged, 0 removed$'
ok fs agenda import agenda.csv
expect_stdout ' 0 added, 0 changed, 10 unchanged$'
ok fs --json publish m1 --out "$OUT"
eq "re-publish after importing the same agenda: written" "$(json_field written <"$LAST_OUT")" 0
tree_state "$OUT" >s2.state
same_file "re-publish after an unchanged import: nothing touched" s0.state s2.state
# p/ holding more than the publish writes: a feed and a page of a token
# nobody has are removed, a file not ours stays; and one of ours deleted
# at the same time (so that p/ holds as many feeds and pages as before) is
# written again, the others swept all the same
stale=0123456789abcdef0123456789abcdef
p1=$(fs token show P1 --mission m1 </dev/null | cut -f3)
echo stale >"$OUT/m1/p/$stale.ics"
echo stale >"$OUT/m1/p/$stale.html"
echo mine >"$OUT/m1/p/notes.txt"
rm "$OUT/${p1%.ics}.html"
ok fs --json publish m1 --out "$OUT"
eq "strangers in p/: removed" "$(json_field removed <"$LAST_OUT")" 2
eq "strangers in p/: the deleted page written again" "$(json_field written <"$LAST_OUT")" 1
check "strangers in p/: the unknown token's feed is gone" test ! -e "$OUT/m1/p/$stale.ics"
check "strangers in p/: the unknown token's page is gone" test ! -e "$OUT/m1/p/$stale.html"
check "strangers in p/: a file not ours stays" test -f "$OUT/m1/p/notes.txt"
check "strangers in p/: P1's page is back" test -f "$OUT/${p1%.ics}.html"
rm "$OUT/m1/p/notes.txt"
# the bytes alone decide, not the remembered digests: a file changed behind
# publish's back is restored
cp "$OUT/m1/group-A.ics" group-A.orig
printf 'garbage\r\n' >"$OUT/m1/group-A.ics"
ok fs --json publish m1 --out "$OUT"
eq "a damaged feed is rewritten" "$(json_field written <"$LAST_OUT")" 1
same_file "the damaged feed is restored" "$OUT/m1/group-A.ics" group-A.orig

feed_json v0.json "$OUT/m1/m1.ics"
# ev JSON UID FIELD: FIELD of the event UID in the first feed of JSON.
ev() {
	"$PYTHON" - "$@" <<'EOF'
import json, sys
path, uid, field = sys.argv[1:4]
for e in json.load(open(path, encoding="utf-8"))[0]["events"]:
    if e["uid"] == uid:
        print(e.get(field))  # None: the event has no such property
        break
else:
    print("<no event with uid %s>" % uid)
EOF
}
uid_by_title() {
	"$PYTHON" -c '
import json, sys
print([e["uid"] for e in json.load(open(sys.argv[1], encoding="utf-8"))[0]["events"]
       if e["summary"] == sys.argv[2]][0])' "$1" "$2"
}
E1=$(uid_by_title v0.json "To edit")
X1=$(uid_by_title v0.json "To cancel")
X2=$(uid_by_title v0.json "To remove")
S1=$(uid_by_title v0.json "Opening")
"$PYTHON" -c '
import json, sys
for e in json.load(open(sys.argv[1], encoding="utf-8"))[0]["events"]: print(e["uid"])' v0.json | sort >uids0
eq "SEQUENCE of a new item" "$(ev v0.json "$E1" sequence)" 0
stamp0=$(ev v0.json "$E1" dtstamp)

# step NAME: publish, then read the mission feed into NAME.json
step() {
	ok fs --json publish m1 --out "$OUT"
	feed_json "$1.json" "$OUT/m1/m1.ics"
}
sleep 1 # so that a new DTSTAMP differs
ok fs agenda edit E1 --description "Second description, only"
step v1
eq "description only: SEQUENCE stays" "$(ev v1.json "$E1" sequence)" 0
eq "description only: DESCRIPTION" "$(ev v1.json "$E1" description | sed -n 1p)" "Second description, only"
check "description only: DTSTAMP moves" test "$(ev v1.json "$E1" dtstamp)" '>' "$stamp0"
# no LAST-MODIFIED (it would repeat DTSTAMP) and no CREATED (feed.c says why)
eq "description only: no LAST-MODIFIED" "$(ev v1.json "$E1" last_modified)" None
eq "description only: no CREATED" "$(ev v1.json "$E1" created)" None
ok fs agenda edit E1 --start 15:30 --end 16:30
step v2
eq "moved: SEQUENCE" "$(ev v2.json "$E1" sequence)" 1
eq "moved: DTSTART" "$(ev v2.json "$E1" start)" 2027-03-01T15:30
eq "moved: DTSTART in UTC (Manila +08)" "$(ev v2.json "$E1" start_utc)" 20270301T073000Z
ok fs agenda edit E1 --title "Edited title"
step v3
eq "renamed: SEQUENCE" "$(ev v3.json "$E1" sequence)" 2
eq "renamed: SUMMARY" "$(ev v3.json "$E1" summary)" "Edited title"
ok fs agenda edit E1 --place "Room 2"
step v4
eq "relocated: SEQUENCE" "$(ev v4.json "$E1" sequence)" 3
eq "relocated: LOCATION" "$(ev v4.json "$E1" location)" "Room 2"
ok fs agenda edit E1 --description "Third"
step v5
eq "description again: SEQUENCE stays" "$(ev v5.json "$E1" sequence)" 3
ok fs agenda edit E1 --date 2027-03-02
step v6
eq "moved to another day: SEQUENCE" "$(ev v6.json "$E1" sequence)" 4
eq "moved to another day: DTSTART" "$(ev v6.json "$E1" start)" 2027-03-02T15:30
eq "the Opening untouched by all this: SEQUENCE" "$(ev v6.json "$S1" sequence)" 0
eq "the Opening untouched: DTSTAMP" "$(ev v6.json "$S1" dtstamp)" "$(ev v0.json "$S1" dtstamp)"

# cancel: stays, STATUS:CANCELLED, "Cancelled: ", SEQUENCE up, in every feed
ok fs agenda cancel X1
step v7
eq "cancelled: STATUS" "$(ev v7.json "$X1" status)" CANCELLED
eq "cancelled: SUMMARY" "$(ev v7.json "$X1" summary)" "Cancelled: To cancel"
eq "cancelled: SEQUENCE" "$(ev v7.json "$X1" sequence)" 1
for f in "$OUT"/m1/group-*.ics "$OUT/$h1"; do
	eq "cancelled item still in $(basename "$f")" \
		"$(grep -c "^UID:$X1" "$f")" 1
done
check "the cancelled item's STATUS in a personal feed" \
	grep -Pzq "UID:$X1\r\n(?:[^\r]*\r\n)*?STATUS:CANCELLED\r\n" "$OUT/$h1"
# remove: stays too, cancelled
ok fs agenda remove X2
step v8
eq "removed: STATUS" "$(ev v8.json "$X2" status)" CANCELLED
eq "removed: SUMMARY" "$(ev v8.json "$X2" summary)" "Cancelled: To remove"
check "removed: the DESCRIPTION says so" grep -q 'Removed from the agenda' <(ev v8.json "$X2" description)
check "removed: SEQUENCE rose" test "$(ev v8.json "$X2" sequence)" -ge 1
check "removed: still in group-A" grep -q "^UID:$X2" "$OUT/m1/group-A.ics"
check "removed: still in its facilitator's feed" grep -q "^UID:$X2" "$OUT/$(fac_path "Prof. Jean Habimana")"
"$PYTHON" -c '
import json, sys
for e in json.load(open(sys.argv[1], encoding="utf-8"))[0]["events"]: print(e["uid"])' v8.json | sort >uids8
same_file "the same UIDs after every edit, cancel and remove" uids0 uids8
valid "feeds after the edits pass the checker" --organizer \
	"$OUT"/m1/*.ics
# undo the cancel: confirmed again, SEQUENCE up again
ok fs agenda cancel --undo X1
step v9
# no STATUS, as every event not cancelled (the new version replaces the
# cancelled one whole, RFC 5546)
eq "un-cancelled: no STATUS" "$(ev v9.json "$X1" status)" None
eq "un-cancelled: SUMMARY" "$(ev v9.json "$X1" summary)" "To cancel"
eq "un-cancelled: SEQUENCE" "$(ev v9.json "$X1" sequence)" 2

# ============================================================================
# Tokens and cancelled registrations.
# ============================================================================
ok fs publish m1 --out "$OUT"
old=$(fs token show P1 --mission m1 </dev/null | cut -f3)
check "token show: MISSION/p/<32 hex>.ics" grep -Eq '^m1/p/[0-9a-f]{32}\.ics$' <<<"$old"
cp "$OUT/$old" p1-old.ics
# index.json and serve's manifest list the personal paths: they change
tree_state "$OUT" | grep -v -e "^$old " -e "^${old%.ics}.html " \
	-e '^m1/index.json ' -e '^\.fieldschool-manifest ' >t0.state
ok fs token rotate P1 --mission m1
expect_stdout '^P1	m1	m1/p/[0-9a-f]{32}\.ics$'
new=$(cut -f3 "$LAST_OUT")
check "rotate gives a new path" test "$new" != "$old"
eq "token show gives the new path" "$(fs token show P1 --mission m1 </dev/null | cut -f3)" "$new"
check "the old file stays until the next publish" test -f "$OUT/$old"
ok fs --json publish m1 --out "$OUT"
eq "publish after rotate: removed (old feed and page)" "$(json_field removed <"$LAST_OUT")" 2
eq "publish after rotate: written (new feed and page, index.json)" "$(json_field written <"$LAST_OUT")" 3
check "the old personal feed is gone" test ! -e "$OUT/$old"
same_file "the new personal feed holds what the old one did" "$OUT/$new" p1-old.ics
check "index.json lists the new path" grep -q "\"path\": \"$new\"" "$OUT/m1/index.json"
eq "index.json no longer lists the old path" "$(grep -c "$old" "$OUT/m1/index.json")" 0
tree_state "$OUT" | grep -v -e "^$new " -e "^${new%.ics}.html " \
	-e '^m1/index.json ' -e '^\.fieldschool-manifest ' >t1.state
same_file "rotate: every other file untouched" t0.state t1.state
check "the manifest lists the new path" grep -qx "$new" "$OUT/.fieldschool-manifest"
eq "the manifest no longer lists the old path" \
	"$(grep -c "$old" "$OUT/.fieldschool-manifest")" 0

# a registration cancelled: its feed goes at the next publish
p2=$(fs token show P2 --mission m1 </dev/null | cut -f3)
check "P2's feed is there" test -f "$OUT/$p2"
ok fs participant edit P2 --mission m1 --status cancelled
ok fs --json publish m1 --out "$OUT"
check "cancelled registration: feed removed" test ! -e "$OUT/$p2"
eq "cancelled registration: removed count (feed and page)" "$(json_field removed <"$LAST_OUT")" 2
eq "cancelled registration: not in index.json" "$(grep -c '"ref": "P2"' "$OUT/m1/index.json")" 0
fails 3 fs ics m1 --participant P2
fails 3 fs token show P2 --mission m1
# P2 was the only group B member with a travel event, but B is still in
# the agenda: its feed stays; the index matches the directory
sed -i 's/^\(P2,.*\),confirmed,/\1,cancelled,/' participants.csv
expect_feeds "$OUT" m1 agenda.csv participants.csv missions.csv

# arrival and departure: a stable UID, SEQUENCE up when the time changes
p1=$(fs token show P1 --mission m1 </dev/null | cut -f3)
feed_json p1a.json "$OUT/$p1"
ok fs participant edit P1 --mission m1 --arrival 2027-02-28T09:10
ok fs publish m1 --out "$OUT"
feed_json p1b.json "$OUT/$p1"
eq "arrival: UID" "$(ev p1b.json arrival-m1-P1@fieldschool uid)" arrival-m1-P1@fieldschool
eq "arrival: now timed" "$(ev p1b.json arrival-m1-P1@fieldschool start)" 2027-02-28T09:10
eq "arrival: in UTC" "$(ev p1b.json arrival-m1-P1@fieldschool start_utc)" 20270228T011000Z
check "arrival moved: SEQUENCE rose" test "$(ev p1b.json arrival-m1-P1@fieldschool sequence)" -gt \
	"$(ev p1a.json arrival-m1-P1@fieldschool sequence)"
eq "departure untouched: UID" "$(ev p1b.json departure-m1-P1@fieldschool uid)" departure-m1-P1@fieldschool

# a group's feed goes when its last member leaves and no item names it
check "group C's feed is there" test -f "$OUT/m1/group-C.ics"
ok fs participant edit P5 --mission m1 --status cancelled
ok fs publish m1 --out "$OUT"
check "group C's feed is removed" test ! -e "$OUT/m1/group-C.ics"
eq "group C is not in index.json" "$(grep -c '"group": "C"' "$OUT/m1/index.json")" 0

# a facilitator's feed address never passes to someone else: "Jose Perez"
# and "José Pérez" share a slug; when Jose leads nothing any more, José's
# feed must not move onto the address Jose's subscribers use.
ok fs agenda add m1 --ref J1 --day 2 --start 17:00 --end 18:00 --kind session \
	--title "By Jose" --facilitators "Jose Perez"
ok fs agenda add m1 --ref J2 --day 2 --start 18:00 --end 19:00 --kind session \
	--title "By José" --facilitators "José Pérez"
ok fs publish m1 --out "$OUT"
jose=$(fac_path "Jose Perez")
jose_accent=$(fac_path "José Pérez")
check "two facilitators, one slug: two feeds" test "$jose" != "$jose_accent"
check "José's feed holds José's session" grep -q '^SUMMARY:By José' "$OUT/$jose_accent"
ok fs agenda edit J1 --facilitators "Dr. Ana Reyes"
ok fs publish m1 --out "$OUT"
eq "José's feed keeps its address when Jose leaves" "$(fac_path "José Pérez")" "$jose_accent"
check "Jose's old address does not serve José's agenda" \
	bash -c "! grep -q '^SUMMARY:By José' '$OUT/$jose' 2>/dev/null"

# a name without Latin letters has no slug: its address must not depend on
# the other facilitators either (adding "Aaron" must not move it)
ok fs agenda add m1 --ref K1 --day 3 --start 17:00 --end 18:00 --kind session \
	--title "By Kim" --facilitators "김지민"
ok fs publish m1 --out "$OUT"
kim=$(fac_path "김지민")
ok fs agenda add m1 --ref K2 --day 3 --start 18:00 --end 19:00 --kind session \
	--title "By Aaron" --facilitators "Aaron Abad"
ok fs publish m1 --out "$OUT"
eq "김지민's feed keeps its address when another facilitator comes" "$(fac_path "김지민")" "$kim"

# the longest names: a 64-character mission code, a 200-byte facilitator
long_code=$(printf 'l%.0s' {1..64})
long_name=$(printf 'Abcdefghij%.0s' {1..20})
ok fs mission add --title "Long" --country PH --city Manila --timezone Asia/Manila \
	--start 2027-03-01 --days 3 "$long_code"
ok fs agenda add "$long_code" --day 1 --start 09:00 --end 10:00 --kind session \
	--title "Long names" --facilitators "$long_name"
ok fs publish "$long_code" --out "$OUT"
py "longest names: every feed of index.json is there, and nothing else" \
	"$OUT" "$long_code" <<'PYEOF'
import json, os, sys
out, code = sys.argv[1:3]
idx = json.load(open(os.path.join(out, code, "index.json"), encoding="utf-8"))
listed = {f["path"] for f in idx["feeds"]}
have = {os.path.relpath(os.path.join(d, n), out)
        for d, _, names in os.walk(os.path.join(out, code)) for n in names
        if n.endswith(".ics")}  # beside them: index.json and the pages
print("missing:", sorted(listed - have), "unlisted:", sorted(have - listed))
sys.exit(0 if listed == have else 1)
PYEOF
ok fs --json publish "$long_code" --out "$OUT"
eq "longest names: re-publish writes nothing" "$(json_field written <"$LAST_OUT")" 0

# a participant who arrives before a DST change: the VTIMEZONE of every feed
# covers the arrival (New York changes on 14 March 2027)
ok fs mission add --title "NY" --country US --city "New York" \
	--timezone America/New_York --start 2027-03-20 --days 3 \
	--contact-name "Ann Lee" --contact-email ann@example.org ny
ok fs agenda add ny --day 1 --start 09:00 --end 10:00 --kind session --title "NY opening"
ok fs participant add --ref EARLY --given-name Early --family-name Bird \
	--category mrc-staff --mission ny --arrival 2027-03-05T20:00 --departure 2027-03-23
ok fs publish ny --out "$OUT"
early=$(fs token show EARLY --mission ny </dev/null | cut -f3)
valid "an arrival before a DST change: the personal feed's VTIMEZONE and times" \
	--expect-observances America/New_York=2 "$OUT/$early"
feed_json early.json "$OUT/$early"
eq "the arrival (EST, -05:00) in UTC" "$(ev early.json arrival-ny-EARLY@fieldschool start_utc)" 20270306T010000Z
ok fs mission add --title "Empty" --country PH --city Manila --timezone Asia/Manila \
	--start 2027-03-01 --days 3 empty
ok fs ics empty -o empty.ics
valid "a mission with no item: a valid, empty feed" empty.ics
eq "a mission with no item: no VEVENT" "$(grep -c '^BEGIN:VEVENT' empty.ics)" 0

# after all this, the incremental publish must equal one from scratch
ok fs mission edit m1 --city "Quezon City"
ok fs participant edit P3 --given-name "Cai Jr."
ok fs publish m1 --out "$OUT"
ok fs publish m1 --out "$TMP/fresh"
check "incremental publishing gives the files a fresh publish gives" \
	diff -r "$OUT/m1" "$TMP/fresh/m1"
check "the new city is in the travel events" grep -q '^SUMMARY:Arrival in Quezon City' "$OUT/$p1"

# ============================================================================
# Errors.
# ============================================================================
fails 3 fs ics nosuch
expect_stderr_fixed "nosuch"
fails 3 fs publish nosuch --out "$TMP/err1"
fails 3 fs publish m1 nosuch --out "$TMP/err2"
eq "an unknown mission among others writes no feed" \
	"$(find "$TMP/err2" -name '*.ics' 2>/dev/null | wc -l)" 0
fails 3 fs ics m1 --group Z
expect_stderr_fixed "Z"
fails 3 fs ics m1 --facilitator "Nobody Here"
fails 3 fs ics m1 --participant NOPE
fails 3 fs ics m1 --participant P4
fails 3 fs token show NOPE --mission m1
fails 3 fs token rotate NOPE
fails 2 fs publish m1
expect_stderr_fixed "--out"
fails 2 fs ics
fails 2 fs ics m1 --group A --facilitator "Dr. Ana Reyes"
# one registration: --mission may be left out
ok fs token show P1
expect_stdout '^P1	m1	m1/p/[0-9a-f]{32}\.ics'
# -o: an error leaves an existing file as it was and no temporary file
printf 'precious\n' >keep.ics
fails 3 fs ics m1 --group Z -o keep.ics
eq "a failed ics -o leaves the old file" "$(cat keep.ics)" precious
fails 3 fs ics nosuch -o new.ics
check "a failed ics -o creates no file" test ! -e new.ics
eq "no temporary file left in the directory" \
	"$(find "$TMP" -maxdepth 1 -newer keep.ics -name '*.ics*' ! -name keep.ics | wc -l)" 0
: >not-a-dir
fails 4 fs ics m1 -o not-a-dir/feed.ics
fails 4 fs ics m1 -o "$TMP/no/such/dir/feed.ics"
check "nothing written under a missing directory" test ! -e "$TMP/no"
fails 4 fs publish m1 --out not-a-dir
eq "publish onto a file leaves the file" "$(wc -c <not-a-dir)" 0
_run fs ics m1
LAST_CMD="fs ics m1 >/dev/full"
fs ics m1 >/dev/full 2>"$LAST_ERR" </dev/null
LAST_STATUS=$?
eq "ics to a full disk (stdout on /dev/full): exit status" "$LAST_STATUS" 4

# ============================================================================
# The module's line: its title, unless the description already gives it.
# ============================================================================
export FIELDSCHOOL_DB=$TMP/modules.db
new_db
ok fs mission add --title "Modules" --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 mo
ok fs agenda add mo --ref M1 --day 1 --start 09:00 --end 10:00 \
	--kind session --title "One" --module 2 \
	--description "Migration and development 101"
ok fs agenda add mo --ref M2 --day 1 --start 10:00 --end 11:00 \
	--kind session --title "Two" --module 2 --description "Case studies"
ok fs agenda add mo --ref M3 --day 1 --start 11:00 --end 12:00 \
	--kind session --title "Three" --module 2
ok fs ics mo -o mo.ics
feed_json mo.json mo.ics
py "the module's line: its title unless the description gives it" mo.json <<'EOF'
import json, sys
want = {"One": "Migration and development 101\n\nModule 2",
        "Two": "Case studies\n\nModule 2: Migration and development 101",
        "Three": "Module 2: Migration and development 101"}
got = {e["summary"]: e["description"]
       for e in json.load(open(sys.argv[1], encoding="utf-8"))[0]["events"]}
bad = {k: (got.get(k), v) for k, v in want.items() if got.get(k) != v}
print(bad or "as expected")
sys.exit(1 if bad else 0)
EOF

finish
