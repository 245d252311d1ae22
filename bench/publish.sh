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
# seconds, peak RSS, files and bytes written, and beside the publish:
#   - re-publish with nothing changed, warm, and cold when this user may
#     drop the page cache (root: `echo 3 > /proc/sys/vm/drop_caches`);
#   - a one-item change: one plenary of the first mission moved by 5
#     minutes (`agenda edit`), then publish: every personal feed and page
#     of that mission is rewritten;
#   - the floor: the C program of ../shared/bench/physical-limit
#     (open/write/close, no rename, no fsync) writing as many files and
#     bytes as the publish did, into the same emptied directory.
# Then the feeds and pages apart, as publish reports them.  Pages carry
# subscribe links and a QR code only with a base URL: BASE_URL (default
# https://example.org/fieldschool; BASE_URL= publishes without one).
# peer-node needs `npm ci --prefix ../shared/bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-large}
runs=${2:-1}
peers=${PEERS-python node}
base_url=${BASE_URL-https://example.org/fieldschool}
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

# The floor: physical-limit's writer (the same files, the same average
# size), built here so that it runs in the same state as the publish.
floor=$run/writefiles
cat >"$floor.c" <<'CEOF'
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
/* writefiles DIR FILES BYTES: FILES files in 3 subdirectories, BYTES in all */
int main(int argc, char **argv) {
    if (argc != 4) return 2;
    long files = atol(argv[2]), bytes = atol(argv[3]);
    long each = files ? bytes / files : 0;
    char *buf = malloc(each + 1), path[4096];
    memset(buf, 'x', each + 1);
    mkdir(argv[1], 0755);
    for (int d = 0; d < 3; d++) {
        snprintf(path, sizeof path, "%s/m%d", argv[1], d);
        mkdir(path, 0755);
    }
    for (long i = 0; i < files; i++) {
        snprintf(path, sizeof path, "%s/m%ld/%08ld.ics", argv[1], i % 3, i);
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        long n = each + (i < bytes - each * files ? 1 : 0);
        if (fd < 0 || write(fd, buf, n) != n || close(fd) != 0) { perror(path); return 1; }
    }
    return 0;
}
CEOF
cc -O2 -o "$floor" "$floor.c"

# Cold cache: only where this user may drop it (it slows everyone's next
# reads on the machine for a moment).
can_drop=
[ -w /proc/sys/vm/drop_caches ] && can_drop=1
drop_caches() { sync; echo 3 >/proc/sys/vm/drop_caches; }

# The plenary moved: the first session for everyone of the first mission,
# 5 minutes later in odd runs, back in even ones.
first=${missions%% *}
read -r plenary_ref plenary_start plenary_end < <(/usr/bin/python3 -c '
import csv, sys
for r in csv.DictReader(open(sys.argv[1], newline="", encoding="utf-8")):
    if r["mission"] == sys.argv[2] and r["kind"] == "session" and r["audience"] == "all":
        print(r["ref"], r["start"], r["end"])
        break' "$data/agenda.csv" "$first")
later() { date -u -d "1970-01-01 $1 5 minutes" +%H:%M; }

# measure NAME PERSONAL CMD...: appends "wall rss_kb bytes files personal"
# to $run/NAME.times (and $run/last), personal being the mean bytes of the
# personal feeds (the files under $out whose path matches the find pattern
# PERSONAL; "-" for none)
measure() {
	local name=$1 personal=$2; shift 2
	/usr/bin/time -f "%e %M" -o "$run/time" "$@" >"$run/out.json" 2>"$run/$name.err" ||
		{ cat "$run/$name.err" >&2; exit 1; }
	local bytes files mean
	bytes=$(find "$out" -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.0f", s}')
	files=$(find "$out" -type f | wc -l)
	mean=$(find "$out" -type f -path "$personal" -printf '%s\n' |
		awk '{s+=$1; n++} END {printf "%.0f", n ? s / n : 0}')
	echo "$(cat "$run/time") $bytes $files $mean" | tee "$run/last" >>"$run/$name.times"
}

median() { # FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

for ((i = 1; i <= runs; i++)); do
	fresh
	# shellcheck disable=SC2086
	measure fieldschool "$out/*/p/*.ics" "$bin" --db "$db" --json publish $missions --out "$out" ${base_url:+--base-url "$base_url"}
	cp "$run/out.json" "$run/fieldschool-$i.json"
	read -r _ _ bytes files _ <"$run/last"
	# shellcheck disable=SC2086
	measure republish "$out/*/p/*.ics" "$bin" --db "$db" publish $missions --out "$out" ${base_url:+--base-url "$base_url"}
	if [ -n "$can_drop" ]; then
		drop_caches
		# shellcheck disable=SC2086
		measure republish-cold "$out/*/p/*.ics" "$bin" --db "$db" publish $missions --out "$out" ${base_url:+--base-url "$base_url"}
	fi
	if ((i % 2)); then
		start=$(later "$plenary_start") end=$(later "$plenary_end")
	else
		start=$plenary_start end=$plenary_end
	fi
	"$bin" --db "$db" agenda edit "$plenary_ref" --mission "$first" \
		--start "$start" --end "$end" >/dev/null
	# shellcheck disable=SC2086
	measure change "$out/*/p/*.ics" "$bin" --db "$db" --json publish $missions --out "$out" ${base_url:+--base-url "$base_url"}
	cp "$run/out.json" "$run/change-$i.json"
	fresh
	measure floor - "$floor" "$out" "$files" "$bytes"
	for p in $peers; do
		fresh
		measure "peer-$p" "$out/feeds/*/*.ics" "$shared/peer-$p" "$data" "$out" --stage feeds
	done
done
# leave the agenda as imported
"$bin" --db "$db" agenda edit "$plenary_ref" --mission "$first" \
	--start "$plenary_start" --end "$plenary_end" >/dev/null

printf '\nFeeds of %s (3 missions, %s participants each), base URL %s, median of %d runs on %s, load %s\n\n' \
	"$data" "$n" "${base_url:-(none)}" "$runs" "$(uname -n)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| tool | wall s | peak RSS MB | files | output MB | bytes per personal feed | vs fieldschool |\n'
printf '|---|---|---|---|---|---|---|\n'
ours=$(median "$run/fieldschool.times" 1)
names="fieldschool republish"
[ -z "$can_drop" ] || names="$names republish-cold"
for name in $names change floor $(for p in $peers; do echo "peer-$p"; done); do
	f=$run/$name.times
	case $name in
	fieldschool) label="fieldschool publish" ;;
	republish) label="fieldschool re-publish (no change, warm cache)" ;;
	republish-cold) label="fieldschool re-publish (no change, cold cache)" ;;
	change) label="fieldschool publish after one plenary moved" ;;
	floor) label="floor: C open/write/close, same files and bytes" ;;
	*) label=$name ;;
	esac
	awk -v l="$label" -v w="$(median "$f" 1)" -v r="$(median "$f" 2)" \
		-v b="$(median "$f" 3)" -v n="$(median "$f" 4)" \
		-v pf="$(median "$f" 5)" -v o="$ours" \
		'BEGIN { printf "| %s | %s | %.1f | %d | %.0f | %s | %.2fx |\n",
			 l, w, r / 1024, n, b / 1e6, (pf > 0 ? pf : ""), w / o }'
done
/usr/bin/python3 - "$run" "$runs" <<'PYEOF'
import json, sys
run, runs = sys.argv[1], int(sys.argv[2])
def walls(name):
    return [float(l.split()[0]) for l in open(f"{run}/{name}.times")]
pub, floor = walls("fieldschool"), walls("floor")
ratios = sorted(p / max(f, 0.01) for p, f in zip(pub, floor))
print(f"\npublish / floor, run by run: {', '.join(f'{r:.2f}' for r in ratios)}"
      f" (median {ratios[(len(ratios) - 1) // 2]:.2f})")
ch = [json.load(open(f"{run}/change-{i}.json")) for i in range(1, runs + 1)]
print(f"one plenary moved: {ch[0]['written']} files rewritten, "
      f"{ch[0]['unchanged']} unchanged")
PYEOF

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
