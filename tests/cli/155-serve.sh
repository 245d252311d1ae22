#!/bin/bash
# fieldschool serve: a real server on a free port of 127.0.0.1 (port 0),
# stopped by its pid, every request bounded in time.  Content types,
# validators and 304, HEAD, 404 and 405; everything that must stay
# unreachable, one request each; a revoked token; publishing while
# serving (each body is a whole old or new file); malformed requests and
# thousands of slow connections; the access log; a clean stop.
. "$(dirname "$0")/lib.sh"

command -v curl >/dev/null || { echo "FAIL: curl is missing"; exit 1; }
not() { ! "$@"; }

# --- a publish directory: the three demo missions ---------------------------
ok fs demo --out demo
export FIELDSCHOOL_DB=$TMP/demo/fieldschool.db
ok fs publish mx-2027 rw-2027 ph-2027 --out feeds
DIR=$(realpath feeds)
M=mx-2027
MANIFEST=feeds/.fieldschool-manifest
eq "the manifest is private" "$(stat -c %a $MANIFEST)" 600
eq "a line per mission says which database published it" \
	"$(grep -c '^#mission [a-z]*-2027 [0-9a-f]\{32\} ' $MANIFEST)" 3
check "the manifest lists no index.json" not grep -q 'index\.json' $MANIFEST
check "the manifest lists the mission feed" grep -qx "$M/$M.ics" $MANIFEST
# (less its first line, and the lines that say which database published
# each mission)
eq "the manifest lists every feed, page and schedule" \
	"$(($(grep -vc '^#' $MANIFEST) - 1))" \
	"$(find feeds -type f \( -name '*.ics' -o -name '*.html' -o \
		-name 'schedule.*' \) | wc -l)"
for f in index.html $M/index.html $M/group-A.html $M/schedule.xml \
	$M/schedule.json; do
	check "the manifest lists $f" grep -qx "$f" $MANIFEST
done
check "the manifest lists the personal pages" grep -Eqx "$M/p/[0-9a-f]{32}\.html" $MANIFEST
# one directory, however it is spelled: a publish of one mission into
# ./feeds/ keeps the other missions' files listed
DIRS=$(sql 'select count(distinct dir) from feed_file')
ok fs publish ph-2027 --out ./feeds/
eq "one directory key per directory in feed_file" \
	"$(sql 'select count(distinct dir) from feed_file')" "$DIRS"
check "other missions stay listed" grep -qx "rw-2027/rw-2027.ics" $MANIFEST

# Files publish recorded (feed_file) but does not sweep (only .ics and
# .html are its own there): a big one, and one made a symlink.  A stale
# .html would be swept by the next publish.
head -c 2000000 /dev/urandom | base64 >feeds/$M/big.txt
ln -s /etc/passwd feeds/$M/evil.txt
for f in $M/big.txt $M/evil.txt; do
	sql "insert or replace into feed_file values ('$DIR', '$f', 1, 0, 0)"
done
ok fs publish $M --out feeds
check "the manifest lists what publish recorded" grep -qx "$M/big.txt" $MANIFEST
check "the manifest still lists the pages" grep -qx "$M/schedule.xml" $MANIFEST

# planted things that must stay unreachable
printf 'secret\n' >feeds/.secret
printf 'half\n' >feeds/$M/.fs-tmp-1-1
ln -s $M feeds/link
ln -s /etc feeds/$M/etc

# --- the server --------------------------------------------------------------
PID=
. "$(dirname "$0")/serve_lib.sh"
LOG_TO=${LOG_TO:-$TMP/access.log}

# get PATH [CURL OPTIONS]: one request; sets CODE, and leaves the body in
# $TMP/body and the headers in $TMP/headers.
get() {
	local path=$1
	shift
	rm -f "$TMP/body" "$TMP/headers"
	CODE=$(curl -s --path-as-is --max-time 10 -o "$TMP/body" \
		-D "$TMP/headers" -w '%{http_code}' "$@" "$URL$path")
}

# header NAME: the value of header NAME in the last response.
header() {
	grep -i "^$1:" "$TMP/headers" | head -1 | cut -d: -f2- |
		sed 's/^ *//; s/\r$//'
}

# a file gets its Last-Modified once the second it was written in is over
# (it could be written again in that second): wait for it
sleep 1.1
start_server feeds
check "it says where it listens" grep -q "serving feeds at http://127.0.0.1:$PORT/" "$TMP/serve.err"

# --- content types, validators, caching --------------------------------------
get /$M/$M.ics
eq "mission feed" "$CODE" 200
same_file "the body is the file" "$TMP/body" feeds/$M/$M.ics
eq "calendar type" "$(header Content-Type)" "text/calendar; charset=utf-8"
eq "nosniff" "$(header X-Content-Type-Options)" nosniff
eq "feeds cached a few minutes" "$(header Cache-Control)" "public, max-age=300"
eq "length" "$(header Content-Length)" "$(stat -c %s feeds/$M/$M.ics)"
ETAG=$(header ETag)
LASTMOD=$(header Last-Modified)
check "a strong ETag" grep -Eq '^"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+"$' <<<"$ETAG"
eq "Last-Modified is the file's mtime" "$LASTMOD" \
	"$(TZ=GMT LC_ALL=C date -r feeds/$M/$M.ics '+%a, %d %b %Y %H:%M:%S GMT')"
check "no CSP on a feed" test -z "$(header Content-Security-Policy)"

TOKEN=$(ls feeds/$M/p | grep '\.ics$' | head -1)
TOKEN=${TOKEN%.ics}
get /$M/p/$TOKEN.ics
eq "personal feed" "$CODE" 200
same_file "personal body" "$TMP/body" feeds/$M/p/$TOKEN.ics
eq "personal feeds are private to caches" "$(header Cache-Control)" \
	"private, max-age=300"
get "/$M/p/$TOKEN.ics?ts=1"
eq "a query string changes nothing" "$CODE" 200
get /$M/p/$TOKEN.ics -H 'Accept: text/html'
eq "an Accept header that omits calendars" "$CODE" 200
get /$M/p/$TOKEN.ics -H 'Accept:'
eq "no Accept header" "$CODE" 200
get /$M/p/$TOKEN.ics -H 'Accept: */*;q=0, garbage'
eq "a nonsense Accept header" "$CODE" 200

for page in / /$M/ /$M/group-A.html; do
	get "$page"
	eq "page $page" "$CODE" 200
	eq "page type" "$(header Content-Type)" "text/html; charset=utf-8"
	check "CSP on $page" grep -q "default-src 'none'" <<<"$(header Content-Security-Policy)"
	eq "no referrer from $page" "$(header Referrer-Policy)" no-referrer
	eq "pages cached a minute" "$(header Cache-Control)" "public, max-age=60"
	# the header policy allows the page's one script, as its own does
	script=$(grep -o "script-src 'sha256-[^']*'" "$TMP/body")
	check "the CSP allows the page's script ($page)" grep -qF "$script" \
		<<<"$(header Content-Security-Policy)"
done
get /$M/p/$TOKEN.html
eq "personal page" "$CODE" 200
same_file "personal page body" "$TMP/body" feeds/$M/p/$TOKEN.html
eq "personal pages are private to caches" "$(header Cache-Control)" \
	"private, max-age=60"
get /$M/schedule.xml
eq "schedule.xml type" "$(header Content-Type)" "application/xml"
get /$M/schedule.json
eq "schedule.json type" "$(header Content-Type)" "application/json"
get /
same_file "/ is index.html" "$TMP/body" feeds/index.html
get /$M/
same_file "/M/ is M/index.html" "$TMP/body" feeds/$M/index.html
get /$M/schedule.xml
eq "xml" "$CODE $(header Content-Type)" "200 application/xml"
get /$M/schedule.json
eq "json" "$CODE $(header Content-Type)" "200 application/json"

# --- conditional requests and HEAD -------------------------------------------
get /$M/$M.ics -H "If-None-Match: $ETAG"
eq "If-None-Match: 304" "$CODE" 304
check "304 has no body" test ! -s "$TMP/body"
check "a 304's Content-Length, if any, is the 200's (RFC 9110 8.6)" \
	grep -Eqx "|$(stat -c %s feeds/$M/$M.ics)" <<<"$(header Content-Length)"
eq "304 repeats the ETag" "$(header ETag)" "$ETAG"
get /$M/$M.ics -H "If-None-Match: \"x\", W/$ETAG"
eq "a weak tag in a list matches" "$CODE" 304
get /$M/$M.ics -H "If-None-Match: *"
eq "If-None-Match: *" "$CODE" 304
get /$M/$M.ics -H 'If-None-Match: "other"'
eq "another tag: 200" "$CODE" 200
get /$M/$M.ics -H "If-Modified-Since: $LASTMOD"
eq "If-Modified-Since the file's date: 304" "$CODE" 304
get /$M/$M.ics -H "If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT"
eq "If-Modified-Since an older date: 200" "$CODE" 200
get /$M/$M.ics -H "If-Modified-Since: Fri, 01 Jan 2100 00:00:00 GMT"
eq "a date in the future is no date" "$CODE" 200
get /$M/$M.ics -H "If-Modified-Since: yesterday"
eq "a bad date is no date" "$CODE" 200
get /$M/$M.ics -H 'If-None-Match: "other"' -H "If-Modified-Since: $LASTMOD"
eq "If-None-Match wins over If-Modified-Since" "$CODE" 200
get /$M/$M.ics -I
eq "HEAD" "$CODE" 200
# HEAD then GET on one connection: the GET's answer follows the HEAD's
# headers at once (no body between them)
"$PYTHON" - "$PORT" "/$M/$M.ics" >"$TMP/head.out" <<'EOF'
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=5)
ask = "%s " + sys.argv[2] + " HTTP/1.1\r\nHost: x\r\n\r\n"
s.sendall((ask % "HEAD" + ask % "GET").encode())
data = b""
while data.count(b"\r\n\r\n") < 2 or len(data) < 200:
    chunk = s.recv(65536)
    if not chunk:
        break
    data += chunk
head, rest = data.split(b"\r\n\r\n", 1)
print(head.split(b"\r\n")[0].decode(), rest[:15].decode())
EOF
eq "HEAD has no body" "$(cat "$TMP/head.out")" "HTTP/1.1 200 OK HTTP/1.1 200 OK"
eq "HEAD says the length" "$(header Content-Length)" "$(stat -c %s feeds/$M/$M.ics)"
eq "HEAD gives the ETag" "$(header ETag)" "$ETAG"

# --- 404 and 405 ---------------------------------------------------------------
get /nothing-here.ics
eq "unknown path" "$CODE" 404
cp "$TMP/body" "$TMP/404.body"
grep -iv '^date:' "$TMP/headers" >"$TMP/404.headers"
# unreachable PATH DESC: 404, byte for byte the answer to an unknown path
unreachable() {
	get "$1"
	grep -iv '^date:' "$TMP/headers" >"$TMP/this.headers"
	if [[ $CODE == 404 ]] && cmp -s "$TMP/body" "$TMP/404.body" &&
		cmp -s "$TMP/this.headers" "$TMP/404.headers"; then
		_pass "unreachable: $2 ($1)"
	else
		_fail "reachable: $2 ($1): $CODE" "$(head -c 300 "$TMP/body")"
	fi
}
unreachable /$M/index.json "the organizer's index"
unreachable /$M/.fs-tmp-1-1 "a temporary file"
unreachable /.fieldschool-manifest "the manifest"
unreachable /.secret "a dotfile"
unreachable /$M/p/ "a directory listing"
unreachable /$M/p "a directory"
unreachable /$M "a mission directory without its slash"
unreachable /../../../../etc/passwd "dot-dot"
unreachable /$M/../$M/$M.ics "dot-dot back into DIR"
unreachable /%2e%2e/%2e%2e/etc/passwd "escaped dot-dot"
unreachable /$M/%2e%2e/$M/$M.ics "escaped dot-dot back into DIR"
unreachable //$M/$M.ics "a double slash"
unreachable /$M//$M.ics "a double slash inside"
unreachable "/$M\\$M.ics" "a backslash"
unreachable "/$M%5c$M.ics" "an escaped backslash"
unreachable /$M/evil.txt "a symlink in the manifest"
unreachable /link/$M.ics "a path through a symlinked directory"
unreachable /$M/etc/passwd "a symlink out of DIR"
unreachable "/$M/$M.ics%00.html" "a NUL byte"
unreachable "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd" "overlong UTF-8 dots"
unreachable /$M/p/00000000000000000000000000000000.ics "an unknown token"
unreachable "/$M/P/$TOKEN.ics" "a token path in another case"
unreachable "/$M/p/$TOKEN.ics/" "a token path with a slash"
# a file of the manifest replaced by a symlink
mv feeds/$M/schedule.json "$TMP/schedule.json"
ln -s /etc/passwd feeds/$M/schedule.json
unreachable /$M/schedule.json "a listed file made a symlink"
rm feeds/$M/schedule.json
mv "$TMP/schedule.json" feeds/$M/schedule.json

for method in POST PUT DELETE OPTIONS PATCH TRACE; do
	get /$M/$M.ics -X $method
	eq "$method: 405" "$CODE" 405
	eq "$method: Allow" "$(header Allow)" "GET, HEAD"
done
get /$M/$M.ics -X POST --data-binary @feeds/$M/$M.ics
eq "POST with a body: 405" "$CODE" 405

# keep-alive: curl reuses the connection for a second URL
curl -sv --max-time 10 -o /dev/null -o /dev/null "$URL/$M/$M.ics" \
	"$URL/$M/p/$TOKEN.ics" 2>"$TMP/curl.err"
check "keep-alive" grep -q 'Re-using existing connection' "$TMP/curl.err"

# --- a revoked token, picked up without a restart ----------------------------
REF=$(sql "select p.ref from participant p join registration r on
	r.participant_id = p.id where r.feed_token = '$TOKEN'")
ok fs token rotate "$REF" --mission $M
NEW=$(sql "select r.feed_token from participant p join registration r on
	r.participant_id = p.id join mission m on m.id = r.mission_id
	where p.ref = '$REF' and m.code = '$M'")
check "a new token" test "$NEW" != "$TOKEN"
get /$M/p/$TOKEN.ics
eq "the old token still works before the publish" "$CODE" 200
ok fs publish $M --out feeds
unreachable /$M/p/$TOKEN.ics "a revoked token"
get /$M/p/$NEW.ics
eq "the new token, without a restart" "$CODE" 200

# --- publishing while serving: every body whole old or whole new ---------------
PERSONAL=$M/p/$NEW.ics
: >"$TMP/versions"
record_versions() {
	sha256sum feeds/$M/$M.ics feeds/$PERSONAL | cut -d' ' -f1 >>"$TMP/versions"
}
record_versions
# a reader on one keep-alive connection, as fast as it can, until told to
# stop (or 60 s): the digest of every body it gets
"$PYTHON" - "$PORT" "/$M/$M.ics" "/$PERSONAL" "$TMP/stop-reading" \
	>"$TMP/read-digests" 2>"$TMP/reader.err" <<'EOF' &
import hashlib, http.client, os, sys, time
port, paths, stop = int(sys.argv[1]), sys.argv[2:4], sys.argv[4]
conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
end = time.time() + 60
while not os.path.exists(stop) and time.time() < end:
    for path in paths:
        conn.request("GET", path)
        reply = conn.getresponse()
        body = reply.read()
        print(reply.status, hashlib.sha256(body).hexdigest(), flush=False)
EOF
READER=$!
sleep 0.5
for round in 1 2 3 4 5; do
	ITEM=$(sql "select ref from item i join mission m on m.id = i.mission_id
		where m.code = '$M' limit 1")
	fs agenda edit "$ITEM" --mission $M --title "Edited $round $(head -c 280 /dev/zero | tr '\0' x)" \
		>/dev/null 2>&1 || _fail "agenda edit failed"
	fs publish $M --out feeds >/dev/null 2>"$TMP/publish.err" ||
		_fail "publish while serving failed" "$(cat "$TMP/publish.err")"
	record_versions
done
sleep 0.5
touch "$TMP/stop-reading"
wait $READER
eq "the reader ran without error" "$?:$(head -c 300 "$TMP/reader.err")" "0:"
READS=$(wc -l <"$TMP/read-digests")
check "many bodies read during 5 publishes ($READS)" test "$READS" -ge 100
eq "every answer a 200" "$(cut -d' ' -f1 "$TMP/read-digests" | sort -u)" 200
eq "every body a whole old or new file" \
	"$(cut -d' ' -f2 "$TMP/read-digests" | grep -cvxFf "$TMP/versions")" 0
check "the feed changed meanwhile" test "$(sort -u "$TMP/versions" | wc -l)" -ge 6
check "the reader saw several versions" \
	test "$(cut -d' ' -f2 "$TMP/read-digests" | sort -u | wc -l)" -ge 4

# --- the access log ---------------------------------------------------------------
check "Common Log Format" grep -Eq \
	"^127\.0\.0\.1 - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000\] \"GET /$M/$M.ics HTTP/1.1\" 200 [0-9]+$" \
	"$TMP/access.log"
check "a personal path, redacted" grep -Fq "\"GET /$M/p/[token].ics HTTP/1.1\" 200 " "$TMP/access.log"
check "no token in the log" not grep -Eq '[0-9a-f]{32}' "$TMP/access.log"
check "304 logged without bytes" grep -q '" 304 -$' "$TMP/access.log"
check "a control byte is escaped" not grep -qP '[\x00-\x08\x0b-\x1f]' "$TMP/access.log"

# --- malformed requests and slow connections ----------------------------------------
"$PYTHON" - "$PORT" >"$TMP/fuzz.out" 2>&1 <<'EOF'
import resource, socket, sys, time
port = int(sys.argv[1])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))

def ask(raw, wait=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=wait)
    try:
        s.sendall(raw)
        try:
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass
        out = b""
        while True:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
        return out
    except (BrokenPipeError, ConnectionResetError):
        return b""
    finally:
        s.close()

def status(reply):
    try:
        return int(reply.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0

bad = [
    b"GARBAGE\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /x HTTP/1.1 extra\r\nHost: x\r\n\r\n",
    b"GET /\x00/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /mx-2027/mx-2027.ics HTTP/1.1\r\nHost: x\r\nX: a\x00b\r\n\r\n",
    b"GET /mx-2027/index.json\x00 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /\xc0\xae\xc0\xae/etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /" + b"a" * 100000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + b"b" * 200000 + b"\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Many: y\r\n" * 20000 + b"\r\n",
    b"GET / HTTP/1.1\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    b"\r\n\r\n\r\n",
    bytes(range(256)) * 4,
]
failures = 0
for raw in bad:
    reply = ask(raw)
    code = status(reply)
    # answered with a 4xx, or the connection closed (nothing to answer)
    # (505 for an HTTP version we do not speak)
    if code and not 400 <= code < 500 and code != 505 and b"\x00" not in raw:
        print("not a 4xx:", raw[:60], reply[:80]); failures += 1
    if b"root:" in reply:
        print("leaked:", raw[:60]); failures += 1
    # libmicrohttpd 0.9.75 cuts a request target or a field at a NUL:
    # "/\0/etc/passwd" is asked as "/", a listed page

# thousands of slow connections: each sends half a request and waits
start = time.time()
slow = []
for i in range(3000):
    try:
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        slow.append(s)
    except OSError:
        break
time.sleep(0.5)
for s in slow:
    try:
        s.send(b"GET /mx-2027/mx-2027.ics HTTP/1.1\r\nHost: x\r\nX-Slow: ")
    except OSError:
        pass
time.sleep(1)
for s in slow:
    s.close()
print("opened", len(slow), "slow connections in %.1f s" % (time.time() - start))
print("failures", failures)
sys.exit(1 if failures else 0)
EOF
check "malformed requests get a 4xx or a close, nothing leaks" test $? = 0
check "fuzz report" grep -q 'opened 3000 slow' "$TMP/fuzz.out"
[[ -s $TMP/fuzz.out ]] && cat "$TMP/fuzz.out" | sed 's/^/       /'
ok_after=
for ((i = 0; i < 50; i++)); do
	get /$M/$M.ics
	[[ $CODE == 200 ]] && { ok_after=1; break; }
	sleep 0.2
done
eq "the server still answers after the fuzz" "$ok_after" 1
check "the server is still running" kill -0 "$PID"

# --- errors: port taken, not a publish directory, usage ------------------------------
fails 4 timeout 10 "$FIELDSCHOOL" serve --dir feeds --listen 127.0.0.1:$PORT
expect_stderr "127\.0\.0\.1:$PORT: Address already in use"
mkdir empty
fails 3 timeout 10 "$FIELDSCHOOL" serve --dir empty --listen 127.0.0.1:0
expect_stderr_fixed "fieldschool: empty: not a publish directory (no .fieldschool-manifest): publish into it first"
fails 3 timeout 10 "$FIELDSCHOOL" serve --dir nowhere --listen 127.0.0.1:0
expect_stderr "^fieldschool: nowhere: no such directory"
fails 2 fs serve
expect_stderr "give the publish directory"
fails 2 fs serve --dir feeds --listen 127.0.0.1
expect_stderr "--listen '127.0.0.1': not ADDRESS:PORT"
fails 2 fs serve --dir feeds --listen 127.0.0.1:99999
fails 2 fs serve --dir feeds --timeout 0
fails 2 fs serve --dir feeds extra
ok fs serve --help
expect_stdout '^usage: fieldschool serve --dir DIR'

# --- DIR replaced while serving: removed and published anew ----------------------
get /$M/$M.ics
eq "before the directory is replaced" "$CODE" 200
mv feeds feeds.old
get /$M/$M.ics
eq "moved away: still the old directory, until a new one has a manifest" "$CODE" 200
ok fs publish $M --out feeds
sleep 1.1 # DIR's identity is read again at most once a second
get /$M/$M.ics
eq "published anew into DIR: served from the new directory" "$CODE" 200
same_file "the new directory's file" "$TMP/body" feeds/$M/$M.ics
get /rw-2027/rw-2027.ics
eq "the new directory's manifest: another mission's feed is not there" "$CODE" 404
rm -rf feeds
mv feeds.old feeds
sleep 1.1
get /rw-2027/rw-2027.ics
eq "the old directory moved back: served again" "$CODE" 200

# --- a clean stop: a request in flight finishes --------------------------------------
curl -s --max-time 30 --limit-rate 700K -o "$TMP/big.body" "$URL/$M/big.txt" &
CURL=$!
sleep 1
stop_server TERM
wait $CURL
eq "a download in flight at SIGTERM finishes" "$?" 0
same_file "the download is whole" "$TMP/big.body" feeds/$M/big.txt
eq "SIGTERM: exit 0" "$STOP_STATUS" 0
check "it says it stops" grep -q 'stopping' "$TMP/serve.err"
start_server feeds
stop_server INT
eq "SIGINT: exit 0" "$STOP_STATUS" 0
check "the port is free again" not curl -s --max-time 2 -o /dev/null "$URL/"


# --- a stalled log: standard output into a pipe nobody reads ---------------
# requests are still all answered; lines beyond the log's queue (1 MiB) are
# dropped, and once the pipe is read again a line says how many
mkfifo "$TMP/log.fifo"
sleep 1000 <>"$TMP/log.fifo" & # holds the pipe open, never reads it
BACKGROUND_PIDS+=("$!")
HOLDER=$!
LOG_TO=$TMP/log.fifo start_server feeds
for ((i = 0; i < 15000; i++)); do
	printf 'url = "%s/%s/%s.ics"\noutput = "/dev/null"\n' "$URL" $M $M
done >"$TMP/urls.cfg"
codes=$(timeout -k 5 60 curl -s --max-time 60 -w '%{http_code}\n' -K "$TMP/urls.cfg" |
	sort | uniq -c | sed 's/^ *//')
eq "stdout stalled: 15,000 requests all answered" "$codes" "15000 200"
cat "$TMP/log.fifo" >"$TMP/stalled.log" &
READER=$!
BACKGROUND_PIDS+=("$READER")
stop_server TERM
eq "stalled log: exit 0" "$STOP_STATUS" 0
kill "$HOLDER"
wait "$READER"
check "a line says how many were dropped" \
	grep -Eq '^fieldschool: [0-9]+ access log lines dropped' "$TMP/stalled.log"
logged=$(grep -c '" 200 ' "$TMP/stalled.log")
dropped=$(sed -n 's/^fieldschool: \([0-9]*\) access log lines dropped.*/\1/p' "$TMP/stalled.log")
eq "every request logged or counted as dropped" "$((logged + dropped))" 15000

# --- a log never read again: a stop still ends the server -------------------
# the logging thread stays blocked in stdout; SIGTERM gives it the grace
# (10 s) and exits 0 without waiting for it, saying the lines are lost
rm -f "$TMP/log2.fifo"
mkfifo "$TMP/log2.fifo"
sleep 1000 <>"$TMP/log2.fifo" & # holds the pipe open, never reads it
HOLDER=$!
BACKGROUND_PIDS+=("$HOLDER")
# (timeout(1) would send SIGKILL 5 s after passing SIGTERM on)
KILL_AFTER=60 LOG_TO=$TMP/log2.fifo start_server feeds
for ((i = 0; i < 3000; i++)); do # 3,000 lines: the pipe fills
	printf 'url = "%s/%s/%s.ics"\noutput = "/dev/null"\n' "$URL" $M $M
done >"$TMP/urls2.cfg"
codes=$(timeout -k 5 60 curl -s --max-time 60 -w '%{http_code}\n' -K "$TMP/urls2.cfg" |
	sort | uniq -c | sed 's/^ *//')
eq "log never read: 3,000 requests all answered" "$codes" "3000 200"
sleep 0.5 # the logging thread now blocked in write(2)
kill -TERM "$PID"
for ((i = 0; i < 300; i++)); do # 30 s
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.1
done
check "log never read: SIGTERM ends the server" not kill -0 "$PID" 2>/dev/null
kill -KILL "$PID" 2>/dev/null
wait "$PID"
eq "log never read: exit 0" "$?" 0
check "log never read: stderr says the last lines are lost" \
	grep -q 'standard output is blocked' "$TMP/serve.err"
kill "$HOLDER"

finish
