# tests/cli/serve_lib.sh - a `fieldschool serve` for the publish tests
# (sourced after lib.sh; 155-serve.sh has its own, fuller helpers).
#
#   start_server DIR   serves DIR on a free port of 127.0.0.1; sets PID, URL
#   stop_server        stops it by its pid, bounded
#   status_of PATH     the HTTP status of GET PATH (000 when no answer)

command -v curl >/dev/null || { echo "FAIL: curl is missing"; exit 1; }

start_server() {
	: >"$TMP/serve.err"
	timeout -k 5 120 "$FIELDSCHOOL" serve --dir "$1" \
		--listen 127.0.0.1:0 >/dev/null 2>"$TMP/serve.err" </dev/null &
	PID=$!
	BACKGROUND_PIDS+=("$PID")
	local i port
	for ((i = 0; i < 100; i++)); do
		grep -q 'serving' "$TMP/serve.err" && break
		sleep 0.1
	done
	port=$(sed -n 's|.*at http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$TMP/serve.err")
	URL=http://127.0.0.1:$port
	[[ -n $port ]] || _fail "the server did not start" "$(cat "$TMP/serve.err")"
}

stop_server() {
	kill -TERM "$PID" 2>/dev/null
	local i
	for ((i = 0; i < 150; i++)); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$PID" 2>/dev/null
}

status_of() {
	curl -s --path-as-is --max-time 10 -o /dev/null -w '%{http_code}' \
		"$URL$1"
}
