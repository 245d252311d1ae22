#!/usr/bin/env bash
# bench/handouts.sh - badges and certificates for a whole mission of a bench
# data set: wall time and peak RSS (/usr/bin/time), pages, bytes.
#
#   bench/handouts.sh [SIZE] [RUNS]     SIZE: small, medium or large (default)
#
# The data set is made by ../shared/bench/gen-dataset under $BENCH_WORK
# (default /tmp/fieldschool-bench) and loaded once into a database, as
# bench/roster.sh does; not timed.  So that the first mission's every
# participant gets a badge and a certificate (large: 50,000), the bench
# confirms all of its registrations, and gives it a base URL directly in
# the publication table (publishing its 50,000 feeds is publish's
# benchmark, not this one).  Then, RUNS times: `badges M -o FILE` (one
# PDF) and `certificates M --pdf DIR` (a PDF per person and all.pdf).
# Prints a Markdown table with the median of the runs, and the load
# average before and after (other work on the machine makes wall times
# long; CPU times much less so).  ONLY=badges or ONLY=certificates runs
# one of the two.  Both commands use a second thread: on a machine with
# a free core, wall time is below CPU time.
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-large}
runs=${2:-1}
case $size in
small) n=60 ;;
medium) n=2000 ;;
large) n=50000 ;;
*) echo "usage: bench/handouts.sh [small|medium|large] [RUNS]" >&2; exit 2 ;;
esac
peers=${FIELDSCHOOL_BENCH:-../shared/bench}
work=${BENCH_WORK:-/tmp/fieldschool-bench}
data=$work/data-$size
bin=$(realpath "${FIELDSCHOOL:-build/fieldschool}")
[ -x "$bin" ] || { echo "bench: build first (./dev build)" >&2; exit 2; }
if [ ! -f "$data/participants.csv" ]; then
	"$peers/gen-dataset" --missions 3 --participants "$n" --seed 1 --out "$data" >/dev/null
fi
run=$work/handouts-run
mkdir -p "$run"
db=$run/fs-$size.db
if [ ! -f "$db" ]; then
	rm -f "$db"-wal "$db"-shm
	"$bin" --db "$db" init >/dev/null
	"$bin" --db "$db" mission import "$data/missions.csv" >/dev/null
	"$bin" --db "$db" agenda import "$data/agenda.csv" >/dev/null
	"$bin" --db "$db" participant import "$data/participants.csv" >/dev/null
	code=$("$bin" --db "$db" --json mission list |
		python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["code"])')
	sqlite3 "$db" "UPDATE registration SET status = 'confirmed'
		WHERE mission_id = (SELECT id FROM mission WHERE code = '$code');
		INSERT OR REPLACE INTO publication (mission_id, base_url, dir, published_at)
		SELECT id, 'https://fieldschool.example.org/feeds', '$run/site', ''
		FROM mission WHERE code = '$code';"
fi
code=$("$bin" --db "$db" --json mission list |
	python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["code"])')

# measure NAME CMD...: appends "wall rss_kb cpu_s output..." to $run/NAME
measure() {
	local name=$1; shift
	sync
	/usr/bin/time -f "%e %M %U %S" -o "$run/time" "$@" >"$run/stdout" 2>"$run/stderr" ||
		{ cat "$run/stderr" >&2; exit 1; }
	set -- $(cat "$run/time")
	echo "$1 $2 $(echo "$3 + $4" | bc) $(tr '\n' ' ' <"$run/stdout")" >>"$run/$name"
}
median() { # FILE COLUMN
	cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

rm -f "$run/badges" "$run/certificates"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((i = 0; i < runs; i++)); do
	if [ "${ONLY:-badges}" = badges ]; then
		rm -f "$run/badges.pdf"
		measure badges "$bin" --db "$db" badges "$code" -o "$run/badges.pdf"
	fi
	if [ "${ONLY:-certificates}" = certificates ]; then
		rm -rf "$run/certs"
		measure certificates "$bin" --db "$db" certificates "$code" --pdf "$run/certs"
	fi
done
echo "| command ($size, $code) | wall s | CPU s (user + sys) | peak RSS MB | output |"
echo "|---|---|---|---|---|"
[ ! -s "$run/badges" ] ||
printf '| badges | %s | %s | %.1f | %s, %s MB |\n' "$(median "$run/badges" 1)" \
	"$(median "$run/badges" 3)" \
	"$(echo "$(median "$run/badges" 2) / 1024" | bc -l)" \
	"$(cut -d' ' -f4- "$run/badges" | tail -1 | sed 's/ *$//')" \
	"$(du -m "$run/badges.pdf" | cut -f1)"
[ ! -s "$run/certificates" ] ||
printf '| certificates --pdf | %s | %s | %.1f | %s files, %s MB |\n' \
	"$(median "$run/certificates" 1)" "$(median "$run/certificates" 3)" \
	"$(echo "$(median "$run/certificates" 2) / 1024" | bc -l)" \
	"$(ls "$run/certs" | wc -l)" "$(du -sm "$run/certs" | cut -f1)"
echo
echo "load average (1, 5, 15 min): $load_before before, $(cut -d' ' -f1-3 /proc/loadavg) after"
