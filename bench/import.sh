#!/usr/bin/env bash
# bench/import.sh - the import benchmark: fieldschool's participant import
# of a bench data set next to the sqlite3 shell's own `.import` of the same
# file, measured in the same run, alternating, median of RUNS.
#
#   bench/import.sh [SIZE] [RUNS]     SIZE: small, medium or large (default)
#
# Data sets come from ../shared/bench/gen-dataset (3 missions x N
# participants; large = 3 x 50,000), generated once under $BENCH_WORK
# (default /tmp/fieldschool-bench).  Prints a Markdown table: median wall
# seconds and peak RSS of each tool, and fieldschool's re-import of the same
# file (every row unchanged).
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-large}
runs=${2:-3}
case $size in
small) n=60 ;;
medium) n=2000 ;;
large) n=50000 ;;
*) echo "usage: bench/import.sh [small|medium|large] [RUNS]" >&2; exit 2 ;;
esac
gen=${FIELDSCHOOL_BENCH:-../shared/bench}/gen-dataset
work=${BENCH_WORK:-/tmp/fieldschool-bench}
data=$work/data-$size
bin=${FIELDSCHOOL:-build/fieldschool}
[ -x "$bin" ] || { echo "bench: build first (./dev build)" >&2; exit 2; }
if [ ! -f "$data/participants.csv" ]; then
	[ -x "$gen" ] || { echo "bench: $gen not found" >&2; exit 2; }
	"$gen" --missions 3 --participants "$n" --seed 1 --out "$data" >/dev/null
fi
run=$work/run
mkdir -p "$run"

# measure NAME CMD...: appends "wall rss_kb" to $run/NAME
measure() {
	local name=$1; shift
	/usr/bin/time -f "%e %M" -o "$run/time" "$@" >/dev/null
	cat "$run/time" >>"$run/$name"
}

median() { # FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

rm -f "$run"/fieldschool "$run"/reimport "$run"/sqlite3
for ((i = 1; i <= runs; i++)); do
	db=$run/fs.db
	rm -f "$db" "$db-wal" "$db-shm"
	"$bin" --db "$db" init >/dev/null
	"$bin" --db "$db" mission import "$data/missions.csv" >/dev/null
	"$bin" --db "$db" agenda import "$data/agenda.csv" >/dev/null
	sync
	measure fieldschool "$bin" --db "$db" participant import "$data/participants.csv"
	measure reimport "$bin" --db "$db" participant import "$data/participants.csv"
	rm -f "$run/sq.db"
	sync
	measure sqlite3 sqlite3 "$run/sq.db" ".import --csv $data/participants.csv participants"
done

rows=$(($(python3 -c 'import csv,sys; print(sum(1 for _ in csv.reader(open(sys.argv[1], encoding="utf-8-sig"))))' "$data/participants.csv") - 1))
sq=$(median "$run/sqlite3" 1)
printf '\nImport of %s (%s rows, %s), median of %d runs on %s\n\n' \
	"$data/participants.csv" "$rows" "$(du -h "$data/participants.csv" | cut -f1)" \
	"$runs" "$(uname -n)"
printf '| tool | wall s | peak RSS MB | vs sqlite3 .import |\n|---|---|---|---|\n'
for name in fieldschool reimport sqlite3; do
	wall=$(median "$run/$name" 1)
	rss=$(median "$run/$name" 2)
	label=$name
	[ "$name" = fieldschool ] && label="fieldschool participant import"
	[ "$name" = reimport ] && label="fieldschool re-import (no change)"
	[ "$name" = sqlite3 ] && label="sqlite3 .import (no checks, no indexes)"
	awk -v l="$label" -v w="$wall" -v r="$rss" -v s="$sq" \
		'BEGIN { printf "| %s | %s | %.1f | %s |\n", l, w, r / 1024,
		        (s > 0 ? sprintf("%.2fx", w / s) : "-") }'
done
