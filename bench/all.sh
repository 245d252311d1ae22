#!/usr/bin/env bash
# bench/all.sh - every benchmark in one run, one Markdown table.
#
#   bench/all.sh [SIZE] [RUNS]    SIZE: small, medium (default) or large
#
# Runs each bench/*.sh that is there (import, publish, roster, plan, check and
# serve and handouts when they exist), one after the other, with SIZE and
# RUNS (default 1), so that fieldschool, its peers and the floor in the
# table all come from the same run on the same machine.  Each script's own
# table is kept under $BENCH_WORK/all-SIZE/NAME.md; this one folds them
# into a single table, one line per row of theirs:
#
#   | benchmark | measured | figures |
#
# "measured" is the first cell of the script's row (the tool or command),
# "figures" the other cells, each after its column's name.  A script that
# fails gives one line saying so (and its last error line); the others
# still run.  Peers: a benchmark's peers (peer-python, peer-node, sqlite3,
# the physical-limit floor) are rows of that benchmark's own table.
set -uo pipefail
cd "$(dirname "$0")/.."
size=${1:-medium}
runs=${2:-1}
case $size in
small | medium | large) ;;
*) echo "usage: bench/all.sh [small|medium|large] [RUNS]" >&2; exit 2 ;;
esac
case $runs in
'' | *[!0-9]* | 0) echo "bench: RUNS: '$runs': expected a whole number from 1" >&2; exit 2 ;;
esac
work=${BENCH_WORK:-/tmp/fieldschool-bench}
out=$work/all-$size
mkdir -p "$out"

fold() { # NAME FILE: the rows of FILE's Markdown table(s), as our rows
	awk -v b="$1" -F'|' '
	function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
	/^\|/ {
		if ($0 ~ /^\|[-| :]+\|$/) { next }   # the separator line
		n = NF - 2
		if (!have) {                         # a header
			for (i = 1; i <= n; i++) head[i] = trim($(i + 1))
			have = 1
			next
		}
		f = ""
		for (i = 2; i <= n; i++)
			f = f (i > 2 ? "; " : "") head[i] ": " trim($(i + 1))
		printf "| %s | %s | %s |\n", b, trim($2), f
		next
	}
	{ have = 0 }                                 # a new table follows
	' "$2"
}

names=()
for name in import publish roster plan check serve handouts; do
	[ -x "bench/$name.sh" ] && names+=("$name")
done
started=$(date -u '+%Y-%m-%d %H:%M UTC')
for name in "${names[@]}"; do
	echo "bench: $name ($size, $runs run(s))" >&2
	status=0
	args=("$size" "$runs")
	# serve.sh takes SECONDS (of load per server) before RUNS
	[ "$name" = serve ] && args=("$size" 10 "$runs")
	"bench/$name.sh" "${args[@]}" >"$out/$name.md" 2>"$out/$name.err" ||
		status=$?
	echo "$status" >"$out/$name.status"
done

printf '\nEvery benchmark, %s, %s run(s) each, %s on %s (%s cores, load %s)\n\n' \
	"$size" "$runs" "$started" "$(uname -n)" "$(nproc)" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| benchmark | measured | figures |\n|---|---|---|\n'
for name in "${names[@]}"; do
	status=$(cat "$out/$name.status")
	if [ "$status" != 0 ]; then
		printf '| %s | failed (exit %s) | %s |\n' "$name" "$status" \
			"$(tail -n 1 "$out/$name.err" | tr '|' '/')"
		continue
	fi
	fold "$name" "$out/$name.md"
done
