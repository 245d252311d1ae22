# tests/cli/serve_lib.sh - a `fieldschool serve` for the tests (sourced
# after lib.sh).
#
#   start_server DIR [OPTIONS]  serves DIR on a free port of 127.0.0.1,
#                      bounded in time; sets PID, PORT, URL.  Its access log
#                      goes to $LOG_TO (default /dev/null); KILL_AFTER: the
#                      seconds a stop may take before SIGKILL (default 5)
#   stop_server [SIGNAL]  stops it by its pid (TERM), waits (bounded);
#                      sets STOP_STATUS
#   status_of PATH     the HTTP status of GET PATH (000 when no answer)

command -v curl >/dev/null || { echo "FAIL: curl is missing"; exit 1; }

start_server() {
	local dir=$1
	shift
	: >"$TMP/serve.err"
	timeout -k "${KILL_AFTER:-5}" 300 "$FIELDSCHOOL" serve --dir "$dir" \
		--listen 127.0.0.1:0 "$@" >>"${LOG_TO:-/dev/null}" \
		2>"$TMP/serve.err" </dev/null &
	PID=$!
	BACKGROUND_PIDS+=("$PID")
	local i
	for ((i = 0; i < 100; i++)); do
		grep -q 'serving' "$TMP/serve.err" && break
		sleep 0.1
	done
	PORT=$(sed -n 's|.*at http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$TMP/serve.err")
	URL=http://127.0.0.1:$PORT
	[[ -n $PORT ]] || _fail "the server did not start" "$(cat "$TMP/serve.err")"
}

stop_server() {
	kill -"${1:-TERM}" "$PID" 2>/dev/null
	local i
	for ((i = 0; i < 150; i++)); do
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.1
	done
	wait "$PID"
	STOP_STATUS=$?
}

status_of() {
	curl -s --path-as-is --max-time 10 -o /dev/null -w '%{http_code}' \
		"$URL$1"
}
