#!/usr/bin/env bash
# bench/publish.sh - the feeds benchmark: `fieldschool publish` of a bench
# data set next to ../shared/bench's peer-python and peer-node writing the
# feeds of the same data, in the same run, alternating, median of RUNS.
#
#   bench/publish.sh [SIZE] [RUNS]     SIZE: small, medium or large (default)
#
# PEERS="python node" (default) picks the peers; PEERS= runs fieldschool
# alone.  The output directory is emptied and synced before every run, as
# ../shared/bench/measure does.  Prints a Markdown table: median wall
# seconds, peak RSS, files and bytes written, and fieldschool's re-publish
# when nothing changed.  peer-node needs `npm ci --prefix ../shared/bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-large}
runs=${2:-1}
peers=${PEERS-python node}
case $size in
small) n=60 ;;
medium) n=2000 ;;
large) n=50000 ;;
*) echo "usage: bench/publish.sh [small|medium|large] [RUNS]" >&2; exit 2 ;;
esac
shared=${FIELDSCHOOL_BENCH:-../shared/bench}
work=${BENCH_WORK:-/tmp/fieldschool-bench}
data=$work/data-$size
bin=${FIELDSCHOOL:-build/fieldschool}
[ -x "$bin" ] || { echo "bench: build first (./dev build)" >&2; exit 2; }
if [ ! -f "$data/participants.csv" ]; then
	"$shared/gen-dataset" --missions 3 --participants "$n" --seed 1 --out "$data" >/dev/null
fi
run=$work/run-publish
out=$work/out
mkdir -p "$run"
rm -f "$run"/*.times

db=$run/fs.db
rm -f "$db" "$db-wal" "$db-shm"
"$bin" --db "$db" init >/dev/null
"$bin" --db "$db" mission import "$data/missions.csv" >/dev/null
"$bin" --db "$db" agenda import "$data/agenda.csv" >/dev/null
"$bin" --db "$db" participant import "$data/participants.csv" >/dev/null
missions=$(cut -d, -f1 "$data/missions.csv" | tail -n +2 | tr '\n' ' ')
# Real missions have a contact, the ORGANIZER of every event (the bench's
# missions.csv has none): without it our feeds would be smaller than real.
for m in $missions; do
	"$bin" --db "$db" mission edit "$m" --contact-name "Programme officer" \
		--contact-email "fieldschool@example.org" >/dev/null
done

fresh() { rm -rf "$out"; sync; }

# measure NAME PERSONAL CMD...: appends "wall rss_kb bytes files personal"
# to $run/NAME.times, personal being the mean bytes of the personal feeds
# (the files under $out whose path matches the find pattern PERSONAL)
measure() {
	local name=$1 personal=$2; shift 2
	/usr/bin/time -f "%e %M" -o "$run/time" "$@" >"$run/out.json" 2>"$run/$name.err" ||
		{ cat "$run/$name.err" >&2; exit 1; }
	local bytes files mean
	bytes=$(find "$out" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s}')
	files=$(find "$out" -type f | wc -l)
	mean=$(find "$out" -type f -path "$personal" -printf '%s\n' |
		awk '{s+=$1; n++} END {printf "%.0f", n ? s / n : 0}')
	echo "$(cat "$run/time") $bytes $files $mean" >>"$run/$name.times"
}

median() { # FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

for ((i = 1; i <= runs; i++)); do
	fresh
	# shellcheck disable=SC2086
	measure fieldschool "$out/*/p/*.ics" "$bin" --db "$db" --json publish $missions --out "$out"
	cp "$run/out.json" "$run/fieldschool-$i.json"
	# shellcheck disable=SC2086
	measure republish "$out/*/p/*.ics" "$bin" --db "$db" publish $missions --out "$out"
	for p in $peers; do
		fresh
		measure "peer-$p" "$out/feeds/*/*.ics" "$shared/peer-$p" "$data" "$out" --stage feeds
	done
done

printf '\nFeeds of %s (3 missions, %s participants each), median of %d runs on %s\n\n' \
	"$data" "$n" "$runs" "$(uname -n)"
printf '| tool | wall s | peak RSS MB | files | output MB | bytes per personal feed | vs fieldschool |\n'
printf '|---|---|---|---|---|---|---|\n'
ours=$(median "$run/fieldschool.times" 1)
for name in fieldschool republish $(for p in $peers; do echo "peer-$p"; done); do
	f=$run/$name.times
	label=$name
	[ "$name" = fieldschool ] && label="fieldschool publish"
	[ "$name" = republish ] && label="fieldschool re-publish (no change)"
	awk -v l="$label" -v w="$(median "$f" 1)" -v r="$(median "$f" 2)" \
		-v b="$(median "$f" 3)" -v n="$(median "$f" 4)" \
		-v pf="$(median "$f" 5)" -v o="$ours" \
		'BEGIN { printf "| %s | %s | %.1f | %d | %.0f | %d | %.1fx |\n",
			 l, w, r / 1024, n, b / 1e6, pf, w / o }'
done

# Feeds and pages apart, as publish reports them (its pages phase, timed
# inside publish, runs once every feed is written).
printf '\nFeeds and pages of one fieldschool publish (the median run):\n\n'
printf '| part | files | MB written | wall s |\n|---|---|---|---|\n'
/usr/bin/python3 - "$run" "$runs" <<'PYEOF'
import json, sys
run, runs = sys.argv[1], int(sys.argv[2])
walls = [float(l.split()[0]) for l in open(f"{run}/fieldschool.times")]
stats = [json.load(open(f"{run}/fieldschool-{i}.json")) for i in range(1, runs + 1)]
k = sorted(range(runs), key=lambda i: walls[i])[(runs - 1) // 2]
s, wall = stats[k], walls[k]
feeds_s = wall - s["page_seconds"]
print(f"| feeds | {s['feeds']} | {(s['bytes'] - s['page_bytes']) / 1e6:.0f} | {feeds_s:.1f} |")
print(f"| pages, schedules, index | {s['pages']} | {s['page_bytes'] / 1e6:.0f} | {s['page_seconds']:.1f} |")
print(f"| publish, both | {s['feeds'] + s['pages']} | {s['bytes'] / 1e6:.0f} | {wall:.1f} ({wall / feeds_s:.2f}x the feeds) |")
PYEOF
