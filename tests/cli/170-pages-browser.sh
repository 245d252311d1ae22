#!/bin/bash
# The demo's pages in headless Chromium (Debian's chromium, driven by
# tests/browser/page_browser.js with playwright-core): screenshots at 1280
# and 390 px are not blank and the QR code in the wide one reads (zbarimg)
# as the page's address; no horizontal scrolling on a phone; the PDF print
# has one A4 landscape page per day; no request leaves the page and the
# Content-Security-Policy refuses nothing; axe-core finds no accessibility
# violation.  A page with known faults shows the checks can fail.  Names
# with directional controls (U+202E) reorder nothing after them, and
# Arabic and Hebrew still read right to left (tests/browser/bidi_order.js).
. "$(dirname "$0")/lib.sh"

BROWSER=$FIELDSCHOOL_SRC/tests/browser
if [[ ! -d $BROWSER/node_modules/axe-core || ! -d $BROWSER/node_modules/playwright-core ]]; then
	npm ci --prefix "$BROWSER" --no-audit --no-fund >/dev/null 2>&1 ||
		_fail "npm ci --prefix $BROWSER failed"
fi
browse() { # browse PAGE...: page_browser.js, bounded in time
	timeout -k 5 600 node "$BROWSER/page_browser.js" "$TMP/shots" "$@"
}
mkdir -p "$TMP/shots"

ok fs demo --out "$TMP/demo"
FEEDS=$TMP/demo/feeds
token=$(DB=$TMP/demo/fieldschool.db sql "select r.feed_token
	from registration r join mission m on m.id = r.mission_id
	where m.code = 'ph-2027' and r.status <> 'cancelled' and r.arrival <> ''
	order by r.id limit 1")
PAGES=("$FEEDS/mx-2027/index.html" "$FEEDS/ph-2027/p/$token.html")

FS_TIMEOUT=600 ok browse "${PAGES[@]}"
cp "$LAST_OUT" "$TMP/browse.json"
for page in "${PAGES[@]}"; do
	name=$(basename "$page" .html)
	for w in 1280 390; do
		check "$name at $w px is not blank" "$PYTHON" -c '
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
sys.exit(0 if len(im.getcolors(1 << 24)) > 20 and im.size[0] == int(sys.argv[2]) else 1)' \
			"$TMP/shots/$name-$w.png" "$w"
	done
	days=$("$PYTHON" -c '
import json, sys
for line in open(sys.argv[1]):
    r = json.loads(line)
    if r["page"] == sys.argv[2]: print(r["days"])' "$TMP/browse.json" "$page")
	eq "$name: one PDF page per day" \
		"$(pdfinfo "$TMP/shots/$name.pdf" | sed -n 's/^Pages: *//p')" "$days"
	check "$name: A4 landscape" grep -q 'Page size: *841.9[0-9]* x 59[45]' \
		<(pdfinfo "$TMP/shots/$name.pdf")
done
eq "the QR code on the screen reads as the page's address" \
	"$(zbarimg --quiet --raw "$TMP/shots/index-1280.png" 2>/dev/null)" \
	"http://127.0.0.1:8080/mx-2027/index.html"

# the checks can fail: a page that scrolls, loads an image and has an
# image without text, low contrast and no language
cat >"$TMP/bad.html" <<'HTML'
<!DOCTYPE html><html><head><meta charset="utf-8"><title>x</title></head>
<body><img src="https://example.org/x.png"><p style="color:#ccc">faint</p>
<div style="width:2000px">wide</div></body></html>
HTML
FS_TIMEOUT=300 fails 1 browse "$TMP/bad.html"
expect_stdout 'horizontal scrolling at 390 px'
expect_stdout 'requests: https://example.org/x.png'
expect_stdout 'axe image-alt'
expect_stdout 'axe color-contrast'
expect_stdout 'axe html-has-lang'


# --- directional controls reorder nothing outside their own text ----------
RLO=$'\xe2\x80\xae'
new_db
ok fs mission add --title "Field school" --country PH --city "Manila${RLO}" \
	--timezone Asia/Manila --start 2027-03-01 --days 3 b1
printf '%s\n' 'ref,mission,day,start,end,kind,title,place,host,audience,facilitators,description' \
	"B1,b1,1,09:00,10:00,session,${RLO}Opening,Annex,,all,Ana${RLO};Ben Ola,مرحبا بالعالم" \
	"B2,b1,1,10:00,11:00,session,Next,,,all,," >"$TMP/bidi.csv"
ok fs agenda import "$TMP/bidi.csv"
printf '%s\n' 'given_name,family_name,category,mission,status' \
	"דוד,Cohen${RLO},1,b1,confirmed" >"$TMP/bidip.csv"
ok fs participant import "$TMP/bidip.csv"
ok fs publish b1 --out "$TMP/bidi"
order() { timeout -k 5 120 node "$BROWSER/bidi_order.js" "$@"; }
FS_TIMEOUT=150 ok order "$TMP/bidi/b1/index.html" "ltr:(Asia/Manila, UTC+08:00)" \
	"ltr:, Ben Ola" "ltr:10:00" "rtl:مرحبا بالعالم"
FS_TIMEOUT=150 ok order "$TMP/bidi/b1/p/"*.html "ltr:Agenda of" "rtl:דוד" \
	"ltr:(Asia/Manila, UTC+08:00)"
# the check can fail: an override that is not isolated
printf '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>x</title><p>in Manila%s (UTC+08:00)</p>' \
	"$RLO" >"$TMP/bidi-bad.html"
FS_TIMEOUT=150 fails 1 order "$TMP/bidi-bad.html" "ltr:(UTC+08:00)"
expect_stdout 'laid out right to left'

finish
