#!/usr/bin/env bash
# bench/serve.sh - the HTTP benchmark: `fieldschool serve` next to Debian's
# nginx serving the same publish directory, in the same run, on 127.0.0.1.
#
#   bench/serve.sh [SIZE] [SECONDS] [RUNS]   SIZE: small, medium (default), large
#
# One personal feed of the data set, fetched by wrk with keep-alive over 50
# connections (2 threads) for SECONDS (default 10) per server, each server
# run RUNS times (default 3), alternating (fieldschool, nginx, ...); the
# median run of each is reported.  Both log every request to a file.  The
# resident memory of each server (with its worker processes) is sampled
# every 0.2 s: after its first run, after its last, and the peak over all
# (flat memory: the last equals the first).
# Prints a Markdown table.  Needs wrk and nginx-light (./dev bench serve
# installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-medium}
seconds=${2:-10}
runs=${3:-3}
case $size in
small) n=60 ;;
medium) n=2000 ;;
large) n=50000 ;;
*) echo "usage: bench/serve.sh [small|medium|large] [SECONDS]" >&2; exit 2 ;;
esac
case $seconds$runs in
*[!0-9]* | 0*) echo "bench: SECONDS and RUNS are whole numbers from 1" >&2; exit 2 ;;
esac
shared=${FIELDSCHOOL_BENCH:-../shared/bench}
work=${BENCH_WORK:-/tmp/fieldschool-bench}
data=$work/data-$size
bin=$(realpath "${FIELDSCHOOL:-build/fieldschool}")
[ -x "$bin" ] || { echo "bench: build first (./dev build)" >&2; exit 2; }
for tool in wrk nginx; do
	command -v $tool >/dev/null || [ -x /usr/sbin/$tool ] ||
		{ echo "bench: $tool is missing (apt-get install wrk nginx-light)" >&2; exit 2; }
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
if [ ! -f "$data/participants.csv" ]; then
	"$shared/gen-dataset" --missions 3 --participants "$n" --seed 1 --out "$data" >/dev/null
fi
run=$work/run-serve
out=$run/out
rm -rf "$run"
mkdir -p "$run"

db=$run/fs.db
"$bin" --db "$db" init >/dev/null
"$bin" --db "$db" mission import "$data/missions.csv" >/dev/null
"$bin" --db "$db" agenda import "$data/agenda.csv" >/dev/null
"$bin" --db "$db" participant import "$data/participants.csv" >/dev/null
missions=$(cut -d, -f1 "$data/missions.csv" | tail -n +2 | tr '\n' ' ')
for m in $missions; do
	"$bin" --db "$db" mission edit "$m" --contact-name "Programme officer" \
		--contact-email "fieldschool@example.org" >/dev/null
done
# shellcheck disable=SC2086
"$bin" --db "$db" publish $missions --out "$out" >/dev/null
first=${missions%% *}
feed=$(cd "$out" && find "$first/p" -name '*.ics' | sort | awk 'NR == 1')
bytes=$(stat -c %s "$out/$feed")

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

pids=()
cleanup() {
	local pid
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

# fieldschool, on a port it picks
"$bin" serve --dir "$out" --listen 127.0.0.1:0 --max-per-ip 0 \
	>"$run/fieldschool.log" 2>"$run/fieldschool.err" &
fs_pid=$!
pids+=("$fs_pid")
for _ in $(seq 50); do grep -q serving "$run/fieldschool.err" && break; sleep 0.1; done
fs_port=$(sed -n 's|.*at http://127\.0\.0\.1:\([0-9]*\)/$|\1|p' "$run/fieldschool.err")
[ -n "$fs_port" ] || { cat "$run/fieldschool.err" >&2; exit 1; }

# nginx, as a static server would be set up: sendfile, keep-alive, ETag
ng_port=$(free_port)
mkdir -p "$run/nginx"
cat >"$run/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $run/nginx/nginx.pid;
error_log $run/nginx/error.log;
daemon off;
events { worker_connections 1024; }
http {
	types { text/calendar ics; }
	default_type application/octet-stream;
	sendfile on;
	tcp_nopush on;
	keepalive_requests 1000000;
	access_log $run/nginx.log;
	client_body_temp_path $run/nginx;
	proxy_temp_path $run/nginx;
	fastcgi_temp_path $run/nginx;
	uwsgi_temp_path $run/nginx;
	scgi_temp_path $run/nginx;
	server {
		listen 127.0.0.1:$ng_port;
		root $out;
		location / { add_header Cache-Control "private, max-age=300"; }
	}
}
EOF
"$nginx" -c "$run/nginx/nginx.conf" -p "$run/nginx" 2>"$run/nginx.err" &
ng_pid=$!
pids+=("$ng_pid")
for _ in $(seq 50); do
	curl -sf -o /dev/null "http://127.0.0.1:$ng_port/$feed" && break
	sleep 0.1
done
for port in "$fs_port" "$ng_port"; do
	curl -sf -o "$run/check" "http://127.0.0.1:$port/$feed" ||
		{ echo "bench: no answer on port $port" >&2; exit 1; }
	cmp -s "$run/check" "$out/$feed" ||
		{ echo "bench: port $port served another body" >&2; exit 1; }
done

# the resident memory (kB) of a process and its children
rss() {
	local total=0 pid kb
	for pid in "$1" $(pgrep -P "$1" || true); do
		kb=$(awk '/^VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
		total=$((total + ${kb:-0}))
	done
	echo "$total"
}

# measure NAME PORT PID: one wrk run; appends "req/s p50 p99 rss_end
# rss_peak errors" to $run/NAME.runs
measure() {
	local name=$1 port=$2 pid=$3
	: >"$run/rss"
	( while kill -0 "$pid" 2>/dev/null; do rss "$pid"; sleep 0.2; done ) >>"$run/rss" &
	local sampler=$!
	timeout $((seconds + 30)) wrk -t2 -c50 -d"${seconds}s" --latency \
		"http://127.0.0.1:$port/$feed" >"$run/$name.wrk"
	kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
	rss "$pid" >>"$run/rss"
	awk -v f="$run/$name.wrk" -v rss="$run/rss" 'BEGIN {
		while ((getline l < f) > 0) {
			split(l, w, " ")
			if (l ~ /^Requests\/sec/) rps = w[2]
			if (w[1] == "50%") p50 = w[2]
			if (w[1] == "99%") p99 = w[2]
			if (l ~ /Non-2xx|Socket errors/) err = err l
		}
		n = 0
		while ((getline v < rss) > 0) { r[++n] = v; if (v > max) max = v }
		printf "%s %s %s %d %d %s\n", rps, p50, p99, r[n], max,
			err == "" ? "none" : "yes"
	}' >>"$run/$name.runs"
}

for ((i = 1; i <= runs; i++)); do
	measure fieldschool "$fs_port" "$fs_pid"
	measure nginx "$ng_port" "$ng_pid"
done
grep -h 'Non-2xx\|Socket errors' "$run"/*.wrk >&2 || true
fs_lines=$(wc -l <"$run/fieldschool.log")
ng_lines=$(wc -l <"$run/nginx.log")

median_run() { sort -g -k1 "$run/$1.runs" | awk -v n="$runs" 'NR == int((n + 1) / 2)'; }
printf '\nOne personal feed (%s, %d bytes) of the %s data set, wrk -t2 -c50 '\
'keep-alive, %d s per run, median of %d alternating runs, on %s (%d cores, load %s)\n\n' \
	"$feed" "$bytes" "$size" "$seconds" "$runs" "$(uname -n)" "$(nproc)" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| server | requests/s | p50 | p99 | RSS MB after run 1 / last / peak | errors |\n'
printf '|---|---|---|---|---|---|\n'
for name in fieldschool nginx; do
	median_run "$name" | awk -v l="$name" -v first="$(head -1 "$run/$name.runs" | cut -d' ' -f4)" \
		-v last="$(tail -1 "$run/$name.runs" | cut -d' ' -f4)" \
		-v peak="$(sort -n -k5 "$run/$name.runs" | tail -1 | cut -d' ' -f5)" '{
		printf "| %s | %.0f | %s | %s | %.1f / %.1f / %.1f | %s |\n",
			l, $1, $2, $3, first / 1024, last / 1024, peak / 1024, $6 }'
done
printf '\nall runs (requests/s): fieldschool %s; nginx %s\n' \
	"$(cut -d' ' -f1 "$run/fieldschool.runs" | tr '\n' ' ')" \
	"$(cut -d' ' -f1 "$run/nginx.runs" | tr '\n' ' ')"
fs_rps=$(median_run fieldschool | cut -d' ' -f1)
ng_rps=$(median_run nginx | cut -d' ' -f1)
awk -v a="$fs_rps" -v b="$ng_rps" 'BEGIN {
	printf "fieldschool / nginx: %.2f (target: at least 0.5, and 10,000 requests/s)\n", a / b }'
printf 'access log lines: fieldschool %d, nginx %d\n' "$fs_lines" "$ng_lines"
