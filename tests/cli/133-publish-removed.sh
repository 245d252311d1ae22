#!/bin/bash
# A removed mission's feeds and pages leave DIR at the next publish into
# it: its files are removed, they leave the manifest and the landing page,
# and serve answers 404 for its personal page (whose name the database no
# longer knows).  `mission remove` says where that will happen.
. "$(dirname "$0")/lib.sh"
. "$FIELDSCHOOL_SRC/tests/cli/serve_lib.sh"
not_grep() { ! grep "$@"; }

ok fs demo --out d
export FIELDSCHOOL_DB=$TMP/d/fieldschool.db
ok fs mission add tmp-2027 --title T --country PH --city Cebu \
	--timezone Asia/Manila --start 2027-04-05 --days 3
ok fs participant add --given-name Eve --family-name Secretname \
	--category 1 --mission tmp-2027 --status confirmed
ok fs publish tmp-2027 --out d/feeds
DIR=$(realpath d/feeds)
MANIFEST=d/feeds/.fieldschool-manifest
PAGE=$(cd d/feeds && ls tmp-2027/p/*.html | head -1)
check "the personal page names her" grep -q 'Eve Secretname' "d/feeds/$PAGE"
check "the manifest lists it" grep -qx "$PAGE" $MANIFEST
# an operator's own file in the mission's directory is none of ours
printf 'notes\n' >d/feeds/tmp-2027/notes.txt

ok fs mission remove --force tmp-2027
expect_stdout "^tmp-2027: its feeds and pages in $DIR are removed at the next publish into that directory$"
ok fs publish mx-2027 --out d/feeds
eq "the manifest lists none of its files" \
	"$(grep -c '^tmp-2027' $MANIFEST)" 0
check "its personal page is gone" test ! -e "d/feeds/$PAGE"
check "its p/ is gone" test ! -e d/feeds/tmp-2027/p
eq "what is left of its directory: the operator's file" \
	"$(ls -A d/feeds/tmp-2027)" notes.txt
check "no file in DIR names her" not_grep -r Secretname d/feeds
check "the landing page does not link it" not_grep -q 'tmp-2027' d/feeds/index.html
eq "the database forgot its files" \
	"$(sql "select count(*) from feed_file where path like 'tmp-2027/%'")" 0
check "other missions stay listed" grep -qx 'rw-2027/rw-2027.ics' $MANIFEST

start_server d/feeds
eq "serve: the removed mission's personal page" "$(status_of "/$PAGE")" 404
eq "serve: its feed" "$(status_of /tmp-2027/tmp-2027.ics)" 404
eq "serve: a published mission's feed" "$(status_of /mx-2027/mx-2027.ics)" 200
stop_server

# a mission removed and added again under the same code is published anew
ok fs mission add tmp-2027 --title T2 --country PH --city Cebu \
	--timezone Asia/Manila --start 2027-04-05 --days 3
ok fs publish tmp-2027 --out d/feeds
check "the new mission is listed" grep -qx 'tmp-2027/tmp-2027.ics' $MANIFEST
finish
