#!/bin/bash
# What publish lists is what DIR holds: after DIR is emptied by hand and
# one mission is published again, the landing page links that mission only
# and every path of the manifest is a file of DIR (serve gives 404 only
# for what is not listed, never for a listed file); the database forgets
# the files that are gone.  Files of missions not in the publish stay
# listed while they are there.
. "$(dirname "$0")/lib.sh"
. "$FIELDSCHOOL_SRC/tests/cli/serve_lib.sh"

# every path of the manifest (not its first line, nor owner lines) that is
# not a regular file of DIR
missing_listed() {
	tail -n +2 "$1/.fieldschool-manifest" | grep -v '^#' |
		while read -r path; do
			[[ -f $1/$path && ! -L $1/$path ]] || echo "$path"
		done
}
links() {
	grep -o 'href="[a-z]*-2027/index.html"' "$1/index.html" | sort | tr '\n' ' '
}

ok fs demo --out d
export FIELDSCHOOL_DB=$TMP/d/fieldschool.db
ok fs publish mx-2027 rw-2027 ph-2027 --out feeds
DIR=$(realpath feeds)
eq "three missions linked" "$(links feeds)" \
	'href="mx-2027/index.html" href="ph-2027/index.html" href="rw-2027/index.html" '

rm -rf feeds
ok fs publish mx-2027 --out feeds
eq "after rm -rf: the landing page links what is there" "$(links feeds)" \
	'href="mx-2027/index.html" '
eq "every path listed is in DIR" "$(missing_listed feeds)" ""
check "the mission published is listed" grep -qx mx-2027/mx-2027.ics feeds/.fieldschool-manifest
eq "the database forgot the other missions' files there" \
	"$(sql "select count(*) from feed_file where dir = '$DIR' and path not like 'mx-2027/%' and path <> 'index.html'")" 0

start_server feeds
eq "serve: a feed gone with DIR is not listed" "$(status_of /rw-2027/rw-2027.ics)" 404
eq "serve: the landing page" "$(status_of /)" 200
bad=0
while read -r path; do
	[[ $(status_of "/$path") == 200 ]] || { bad=$((bad + 1)); echo "  not 200: $path"; }
done < <(tail -n +2 feeds/.fieldschool-manifest | grep -v '^#' | grep -v '/p/')
eq "serve: every shared path listed answers 200" "$bad" 0
stop_server

# a mission's directory removed by hand leaves the list at the next publish
# of another; a single file removed by hand too
ok fs publish mx-2027 rw-2027 ph-2027 --out feeds
rm -rf feeds/rw-2027
rm feeds/ph-2027/group-A.html
ok fs publish mx-2027 --out feeds
eq "rw-2027 left the landing page, ph-2027 stays" "$(links feeds)" \
	'href="mx-2027/index.html" href="ph-2027/index.html" '
eq "every path listed is in DIR" "$(missing_listed feeds)" ""
check "ph-2027's other files stay listed" grep -qx ph-2027/ph-2027.ics feeds/.fieldschool-manifest
ok fs publish mx-2027 --out feeds
expect_stdout ' 0 files written'
finish
