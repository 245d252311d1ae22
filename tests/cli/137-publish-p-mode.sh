#!/bin/bash
# A mission's p/ holds files named by personal tokens: publish makes it
# 0711, so that nobody else on the machine can list the tokens, while a
# web server (and serve) still opens each file by name.  A p/ made 0755 by
# an older publish is changed at the next.
. "$(dirname "$0")/lib.sh"
. "$FIELDSCHOOL_SRC/tests/cli/serve_lib.sh"

ok fs demo --out d
export FIELDSCHOOL_DB=$TMP/d/fieldschool.db
ok fs publish mx-2027 --out feeds
eq "p/ cannot be listed by others" "$(stat -c %a feeds/mx-2027/p)" 711
eq "the mission's directory can" "$(stat -c %a feeds/mx-2027)" 755
chmod 0755 feeds/mx-2027/p
ok fs publish mx-2027 --out feeds
eq "an older p/ is made 0711" "$(stat -c %a feeds/mx-2027/p)" 711
chmod 0700 feeds/mx-2027/p
ok fs publish mx-2027 --out feeds
eq "a p/ closed by its owner stays closed" "$(stat -c %a feeds/mx-2027/p)" 700
chmod 0711 feeds/mx-2027/p

FEED=$(cd feeds && ls mx-2027/p/*.ics | head -1)
start_server feeds
eq "serve: a personal feed" "$(status_of "/$FEED")" 200
eq "serve: a personal page" "$(status_of "/${FEED%.ics}.html")" 200
eq "serve: p/ itself is no listing" "$(status_of /mx-2027/p/)" 404
stop_server
finish
