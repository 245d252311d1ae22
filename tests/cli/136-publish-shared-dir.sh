#!/bin/bash
# Two databases publishing into one directory (country teams sharing a web
# directory): each keeps the other's missions in the manifest and on the
# landing page, so serve goes on answering for both; a mission code that
# the other database published there is refused; a mission one database
# removes is swept, the other's stay.  A database made before databases had
# an id (schema 7) gets one and publishes.
. "$(dirname "$0")/lib.sh"
. "$FIELDSCHOOL_SRC/tests/cli/serve_lib.sh"

links() {
	grep -o 'href="[a-z]*-2027/index.html"' "$1/index.html" | tr '\n' ' '
}

ok fs demo --out a
ok fs demo --out b
A=$TMP/a/fieldschool.db
B=$TMP/b/fieldschool.db
ID_A=$(DB=$A sql 'select id from store_identity')
ID_B=$(DB=$B sql 'select id from store_identity')
check "each database has an id of its own" test "$ID_A" != "$ID_B"

ok fs --db "$A" publish mx-2027 --out shared
ok fs --db "$B" publish rw-2027 --out shared
MANIFEST=shared/.fieldschool-manifest
check "the first database's mission stays listed" grep -qx mx-2027/mx-2027.ics $MANIFEST
check "the second's is listed" grep -qx rw-2027/rw-2027.ics $MANIFEST
check "the manifest says who published mx-2027" grep -q "^#mission mx-2027 $ID_A " $MANIFEST
check "... and rw-2027" grep -q "^#mission rw-2027 $ID_B " $MANIFEST
eq "both on the landing page, by date" "$(links shared)" \
	'href="mx-2027/index.html" href="rw-2027/index.html" '
check "the first's title shows on the landing page" \
	grep -q 'Mexico City' shared/index.html

start_server shared
eq "serve: the first database's feed" "$(status_of /mx-2027/mx-2027.ics)" 200
eq "serve: the second's" "$(status_of /rw-2027/rw-2027.ics)" 200
PAGE=$(cd shared && ls mx-2027/p/*.html | head -1)
eq "serve: the first's personal page" "$(status_of "/$PAGE")" 200

# each publishes again: nothing of the other's is lost, nothing rewritten
ok fs --db "$A" publish mx-2027 --out shared
expect_stdout ' 0 files written'
ok fs --db "$B" publish rw-2027 --out shared
expect_stdout ' 0 files written'
eq "serve: the first's feed after the second published again" \
	"$(status_of /mx-2027/mx-2027.ics)" 200

# a code the other database published there is refused, nothing changed
cp $MANIFEST manifest.before
fails 3 fs --db "$B" publish mx-2027 --out shared
expect_stderr_fixed "fieldschool: $(realpath shared)/mx-2027: published there from another database (id $ID_A): publish mission 'mx-2027' from that database, or add --take-over to replace its files"
same_file "the manifest is unchanged" manifest.before $MANIFEST
eq "serve: the first's personal page still" "$(status_of "/$PAGE")" 200
# several such missions: one line names them all
ok fs --db "$A" publish mx-2027 ph-2027 --out two
fails 3 fs --db "$B" publish mx-2027 ph-2027 rw-2027 --out two
expect_stderr_fixed "fieldschool: $(realpath two): missions published there from another database: 'mx-2027' (id $ID_A), 'ph-2027' (id $ID_A): publish them from theirs, or add --take-over to replace their files"
expect_lines stderr . 1

# --take-over (a database made anew): the mission is the second's now
# (a copy of DIR, which the first database knows as its own too)
cp -a shared taken
DB=$A sql "insert into feed_file select '$(realpath taken)', path, digest, size, mtime from feed_file where dir = '$(realpath shared)'"
ok fs --db "$B" publish mx-2027 --out taken --take-over
check "taken over: the second database owns it" \
	grep -q "^#mission mx-2027 $ID_B " taken/.fieldschool-manifest
check "the first's personal page is gone" test ! -e "taken/$PAGE"
ok fs --db "$A" publish ph-2027 --out taken
check "the first database keeps its hands off it" \
	grep -q "^#mission mx-2027 $ID_B " taken/.fieldschool-manifest
check "its files stay" test -e taken/mx-2027/mx-2027.ics
eq "the first database forgot its files of it" \
	"$(DB=$A sql "select count(*) from feed_file where dir = '$(realpath taken)' and path like 'mx-2027/%'")" 0

# a mission the first database removes goes; the second's stays
ok fs --db "$A" mission remove --force mx-2027
ok fs --db "$A" publish ph-2027 --out shared
check "the removed mission's files are gone" test ! -e shared/mx-2027
eq "serve: the removed mission's page" "$(status_of "/$PAGE")" 404
eq "serve: the second's feed" "$(status_of /rw-2027/rw-2027.ics)" 200
eq "the landing page" "$(links shared)" \
	'href="rw-2027/index.html" href="ph-2027/index.html" '
stop_server

# a database of schema 7 (before store_identity) is migrated and publishes
ok fs demo --out old
OLD=$TMP/old/fieldschool.db
DB=$OLD sql 'drop table store_identity; pragma user_version = 7'
ok fs --db "$OLD" publish mx-2027 --out oldfeeds
eq "it has an id now" "$(DB=$OLD sql 'select length(id) from store_identity')" 32
check "its mission is listed" grep -qx mx-2027/mx-2027.ics oldfeeds/.fieldschool-manifest
finish
