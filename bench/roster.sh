#!/usr/bin/env bash
# bench/roster.sh - the roster benchmark: fieldschool's Excel rosters of a
# bench data set next to the peers' (../shared/bench/peer-python and
# peer-node, --stage roster), measured in the same run, alternating, median
# of RUNS.
#
#   bench/roster.sh [SIZE] [RUNS]     SIZE: small, medium or large (default)
#
# The data set (3 missions x N participants; large = 3 x 50,000) is made by
# ../shared/bench/gen-dataset under $BENCH_WORK (default
# /tmp/fieldschool-bench) and loaded once into a database (missions, agenda,
# participants), as bench/import.sh does; the load is not timed.  Each tool
# then writes roster-MISSION.xlsx for the three missions: fieldschool with
# one `roster --all --out DIR` (several workbooks at once, one per core),
# the peers in one process.  Two more rows: fieldschool with one `roster
# MISSION -o FILE` per mission, one after another (run by one shell, so the
# peak RSS is the largest of the three), and `roster --all` writing the
# three missions into one workbook.
# Prints a Markdown table: median wall seconds, peak RSS, output bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-large}
runs=${2:-1}
case $size in
small) n=60 ;;
medium) n=2000 ;;
large) n=50000 ;;
*) echo "usage: bench/roster.sh [small|medium|large] [RUNS]" >&2; exit 2 ;;
esac
peers=${FIELDSCHOOL_BENCH:-../shared/bench}
work=${BENCH_WORK:-/tmp/fieldschool-bench}
data=$work/data-$size
bin=$(realpath "${FIELDSCHOOL:-build/fieldschool}")
[ -x "$bin" ] || { echo "bench: build first (./dev build)" >&2; exit 2; }
if [ ! -f "$data/participants.csv" ]; then
	"$peers/gen-dataset" --missions 3 --participants "$n" --seed 1 --out "$data" >/dev/null
fi
run=$work/roster-run
mkdir -p "$run"
db=$run/fs-$size.db
if [ ! -f "$db" ]; then
	rm -f "$db"-wal "$db"-shm
	"$bin" --db "$db" init >/dev/null
	"$bin" --db "$db" mission import "$data/missions.csv" >/dev/null
	"$bin" --db "$db" agenda import "$data/agenda.csv" >/dev/null
	"$bin" --db "$db" participant import "$data/participants.csv" >/dev/null
fi
codes=$("$bin" --db "$db" --json mission list |
	python3 -c 'import json, sys; print(" ".join(m["code"] for m in json.load(sys.stdin)))')

# measure NAME OUTDIR CMD...: appends "wall rss_kb bytes" to $run/NAME
measure() {
	local name=$1 out=$2; shift 2
	rm -rf "$out"
	mkdir -p "$out"
	sync
	/usr/bin/time -f "%e %M" -o "$run/time" "$@" >/dev/null 2>"$run/stderr" ||
		{ cat "$run/stderr" >&2; exit 1; }
	echo "$(cat "$run/time") $(du -cb "$out"/*.xlsx | tail -1 | cut -f1)" >>"$run/$name"
}

median() { # FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

fieldschool_rosters() { # OUTDIR
	for m in $codes; do
		"$bin" --db "$db" roster "$m" -o "$1/roster-$m.xlsx" || return 1
	done
}
export -f fieldschool_rosters
export bin db codes

have_node=1
[ -d "$peers/node_modules" ] || have_node=0
rm -f "$run"/fieldschool "$run"/sequential "$run"/all "$run"/peer-python "$run"/peer-node
for ((i = 1; i <= runs; i++)); do
	measure fieldschool "$run/out-fs" "$bin" --db "$db" roster --all --out "$run/out-fs"
	measure sequential "$run/out-seq" bash -c 'fieldschool_rosters "$0"' "$run/out-seq"
	measure peer-python "$run/out-py" "$peers/peer-python" "$data" "$run/out-py" --stage roster
	((have_node)) && measure peer-node "$run/out-node" "$peers/peer-node" "$data" "$run/out-node" --stage roster
	measure all "$run/out-all" "$bin" --db "$db" roster --all -o "$run/out-all/rosters.xlsx"
done

rows=$(($(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig"))))' "$data/participants.csv") - 1))
printf '\nRosters of %s (%s registrations in 3 missions), median of %d run(s) on %s (%s CPUs, load %s)\n\n' \
	"$data" "$rows" "$runs" "$(uname -n)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| tool | wall s | peak RSS MB | output MB | vs peer-python |\n|---|---|---|---|---|\n'
py=$(median "$run/peer-python" 1)
for name in fieldschool peer-python peer-node sequential all; do
	[ -s "$run/$name" ] || continue
	wall=$(median "$run/$name" 1)
	rss=$(median "$run/$name" 2)
	bytes=$(median "$run/$name" 3)
	label=$name
	[ "$name" = fieldschool ] && label="fieldschool roster --all --out (3 workbooks at once)"
	[ "$name" = sequential ] && label="fieldschool roster MISSION -o, x3 (one after another)"
	[ "$name" = all ] && label="fieldschool roster --all (1 workbook)"
	awk -v l="$label" -v w="$wall" -v r="$rss" -v b="$bytes" -v p="$py" \
		'BEGIN { printf "| %s | %s | %.1f | %.1f | %s |\n", l, w, r / 1024,
		        b / 1048576, (w > 0 ? sprintf("%.1fx faster", p / w) : "-") }'
done
