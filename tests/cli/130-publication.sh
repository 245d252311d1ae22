#!/bin/bash
# The base URL a mission is published under: checked, remembered in the
# database, and used by later publishes, index.json and `token show`.
. "$(dirname "$0")/lib.sh"

export FIELDSCHOOL_DB=$TMP/fs.db
new_db
ok fs mission add --title "Kigali school" --country RW --city Kigali \
	--timezone Africa/Kigali --start 2027-06-07 --days 3 \
	--contact-name Ana --contact-email ana@example.org rw
ok fs participant add --ref P1 --given-name Ana --family-name Uwase \
	--category lgu-official --mission rw --status confirmed

# not a base URL: refused before anything is written
for bad in 'not a url' feeds ftp://example.org/x 'https://' \
	'https://example.org/feeds?x=1' 'https://example.org/#top' \
	'https://user:pw@example.org/' 'https://exa mple.org/' \
	'https://example.org/a"b' 'javascript:alert(1)'; do
	fails 2 fs publish rw --out out --base-url "$bad"
	expect_stderr_fixed "--base-url: '$bad'"
done
check "nothing was written for a refused base URL" test ! -e out

# without a base URL: published, with a note saying links need one
ok fs publish rw --out out
expect_stderr "no base URL"
check "index.json has no url without a base URL" \
	bash -c "! grep -q '\"url\"' out/rw/index.json"
ok fs token show P1 --mission rw
expect_stdout $'^P1\trw\trw/p/[0-9a-f]{32}\\.ics$'
expect_stderr "no base URL is known for 'rw'"

# with one: remembered (a final slash dropped) for later publishes
ok fs publish rw --out out --base-url https://example.org/feeds/
expect_no_stderr "base URL"
path=$(fs token show P1 --mission rw </dev/null | cut -f3)
ok fs token show P1 --mission rw
expect_stdout $'^P1\trw\trw/p/[0-9a-f]{32}\\.ics\thttps://example\\.org/feeds/rw/p/[0-9a-f]{32}\\.ics$'
eq "the URL is the base and the path" \
	"$(fs token show P1 --mission rw </dev/null | cut -f4)" \
	"https://example.org/feeds/$path"
ok fs --json token show P1 --mission rw
expect_stdout "\"webcal\": \"webcal://example.org/feeds/$path\""
expect_stdout "\"page\": \"https://example.org/feeds/${path%.ics}.html\""

ok fs publish rw --out out
expect_no_stderr "base URL"
check "index.json keeps the remembered URL" \
	grep -q "\"url\": \"https://example.org/feeds/$path\"" out/rw/index.json

# a new base URL replaces the old one, and index.json follows
ok fs publish rw --out out --base-url http://[::1]:8080
check "index.json follows a new base URL" \
	grep -q "\"url\": \"http://\\[::1\\]:8080/$path\"" out/rw/index.json
eq "token show follows a new base URL" \
	"$(fs token show P1 --mission rw </dev/null | cut -f4)" \
	"http://[::1]:8080/$path"

# a rotated token prints its new address
ok fs token rotate P1 --mission rw
expect_stdout $'^P1\trw\trw/p/[0-9a-f]{32}\\.ics\thttp://\\[::1\\]:8080/rw/p/[0-9a-f]{32}\\.ics$'

finish
