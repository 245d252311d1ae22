#!/usr/bin/env bash
# bench/check.sh - the conflict check on agendas of 1k, 10k, 100k and 1M
# items: seconds and peak RSS of `fieldschool check` for each size, to show
# that it grows as n log n (a quadratic part shows as 100x per 10x).
#
#   bench/check.sh [SIZE] [RUNS]   median of RUNS (default 3); SIZE: small
#                                  (agendas of 1k and 10k items), medium
#                                  (to 100k) or large (default: to 1M).
#                                  A lone number is RUNS.
#
# Each agenda is one 4-day mission of N items with N/10 confirmed
# participants in groups of about ten and the seven shipped categories,
# made by a small deterministic Python generator under $BENCH_WORK
# (default /tmp/fieldschool-bench) and imported with `agenda import` and
# `participant import` (../shared/FORMATS.md).  A plausible busy agenda:
# two plenaries for all and a session per category each day, and between
# them about ten items per group, place and facilitator (one or two groups
# each; one in a hundred for a group nobody is in, for empty-audience
# warnings).  Places have coordinates (travel-time), facilitators are
# shared (double bookings): findings grow with N, not its square.  Prints a Markdown table: median wall seconds, user CPU and
# peak RSS of `check`, and its findings.  Every run checks a fresh copy.
set -euo pipefail
cd "$(dirname "$0")/.."
size=large
case ${1:-} in
small | medium | large) size=$1; shift ;;
'' | [0-9]*) ;;
*) echo "usage: bench/check.sh [small|medium|large] [RUNS]" >&2; exit 2 ;;
esac
runs=${1:-3}
case $runs in
'' | *[!0-9]* | 0) echo "bench: RUNS: '$runs': expected a whole number from 1" >&2; exit 2 ;;
esac
case $size in
small) sizes="1k 10k" ;;
medium) sizes="1k 10k 100k" ;;
large) sizes="1k 10k 100k 1m" ;;
esac
work=${BENCH_WORK:-/tmp/fieldschool-bench}
run=$work/check-run
bin=$(realpath "${FIELDSCHOOL:-build/fieldschool}")
[ -x "$bin" ] || { echo "bench: build first (./dev build)" >&2; exit 2; }
mkdir -p "$run"
rm -f "$run"/*.times

echo "bench: making agendas of $sizes items in $run" >&2
python3 - "$run" $sizes <<'EOF'
import csv, os, random, sys
out = sys.argv[1]
counts = {"1k": 1000, "10k": 10000, "100k": 100000, "1m": 1000000}
def label(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s
M = ["code", "title", "country", "city", "timezone", "start", "days", "venue",
     "address", "lat", "lon", "capacity", "currency", "per_diem", "nightly_rate"]
A = ["ref", "mission", "day", "start", "end", "kind", "title", "place", "lat",
     "lon", "host", "capacity", "audience", "facilitators"]
P = ["ref", "given_name", "family_name", "organization", "category", "country",
     "language", "mission", "status", "group"]
cats = ["lgu-official", "agency-head", "md-council", "mrc-staff", "lgu-focal",
        "migrant-association", "academe-ngo-business"]
with open(f"{out}/missions.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(M)
    for name in counts:
        w.writerow([f"ck-{name}", "Check bench " + name, "PH", "Manila",
                    "Asia/Manila", "2027-09-13", 4, "PICC", "", 14.5543,
                    120.9826, "", "", "", ""])
for name in sys.argv[2:]:
    n = counts[name]
    path = f"{out}/agenda-{name}.csv"
    if os.path.exists(path):
        continue
    rnd = random.Random(n)
    people = max(100, n // 10)
    groups = max(2, people // 10)
    places = max(4, n // 10)
    facilitators = max(4, n // 10)
    with open(f"{out}/participants-{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(P)
        for i in range(people):
            w.writerow([f"C{name}{i:07d}", "Given", f"Family {i}",
                        f"Org {i % 80}", cats[rnd.randrange(7)], "PH", "en",
                        f"ck-{name}", "confirmed", label(i % groups)])
    with open(path + ".tmp", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(A)
        def item(i, day, start, end, kind, p, audience):
            w.writerow([f"I{i:07d}", f"ck-{name}", day,
                        f"{start // 60:02d}:{start % 60:02d}",
                        f"{end // 60:02d}:{end % 60:02d}", kind, f"Item {i}",
                        f"Place {p}", round(14.5 + (p % 997) * 0.0005, 4),
                        round(121.0 + (p // 997) * 0.0005, 4), "",
                        40 if kind == "visit" else "", audience,
                        f"Person {rnd.randrange(facilitators)}"])
        # each day: plenaries for all at 08:00 and 13:00, and a
        # session per category at 18:00, at the venue's place 0
        i = 0
        for day in range(1, 5):
            for start in (8 * 60, 13 * 60):
                item(i, day, start, start + 45, "session", 0, "all")
                i += 1
            for cat in cats:
                item(i, day, 18 * 60, 19 * 60, "session", 1 + cats.index(cat),
                     f"category:{cat}")
                i += 1
        # the rest for groups: about ten items per group, place and
        # facilitator over the four days, between the plenaries; one in
        # a hundred for a group nobody is in (empty-audience warnings)
        while i < n:
            start = rnd.randrange(9 * 60, 17 * 60, 5)
            end = start + rnd.choice((30, 45, 60, 90))
            p = 8 + rnd.randrange(places)
            kind = rnd.choice(("session", "visit", "meal", "travel"))
            r = rnd.random()
            if r < 0.85:
                audience = f"group:{label(rnd.randrange(groups))}"
            elif r < 0.99:
                audience = (f"group:{label(rnd.randrange(groups))};"
                            f"group:{label(rnd.randrange(groups))}")
            else:
                audience = f"group:{label(groups + rnd.randrange(groups))}"
            item(i, 1 + rnd.randrange(4), start, end, kind, p, audience)
            i += 1
    os.rename(path + ".tmp", path)
EOF

fs() { "$bin" --db "$db" "$@" >/dev/null; }
for n in $sizes; do
	db=$run/check-$n.db
	[ -f "$db" ] && [ "$db" -nt "$run/agenda-$n.csv" ] && continue
	echo "bench: importing the $n-item agenda" >&2
	rm -f "$db" "$db-wal" "$db-shm"
	fs init
	fs mission import "$run/missions.csv"
	fs agenda import "$run/agenda-$n.csv"
	fs participant import "$run/participants-$n.csv"
done

# measure N: `check ck-N` on a fresh copy; appends "wall rss_kb user".
# Exit status 1 (check found errors) is a result, not a failure.
measure() {
	local n=$1 status=0
	cp "$run/check-$n.db" "$run/copy.db"
	rm -f "$run/copy.db-wal" "$run/copy.db-shm"
	sync
	/usr/bin/time -f "%e %M %U" -o "$run/time" "$bin" --db "$run/copy.db" \
		check "ck-$n" >"$run/check-$n.out" 2>"$run/check-$n.err" ||
		status=$?
	if [ "$status" -gt 1 ]; then
		echo "bench: check ck-$n failed ($status):" >&2
		cat "$run/check-$n.err" >&2
		exit 1
	fi
	# time(1) puts "Command exited with non-zero status" first
	tail -1 "$run/time" >>"$run/check-$n.times"
}

median() { # FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

for ((i = 1; i <= runs; i++)); do
	echo "bench: run $i of $runs" >&2
	for n in $sizes; do
		measure "$n"
	done
done

printf '\nCheck benchmark, median of %d runs on %s (%s cores, load %s)\n\n' \
	"$runs" "$(uname -n)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| agenda items | wall s | user CPU s | peak RSS MB | findings |\n|---|---|---|---|---|\n'
for n in $sizes; do
	wall=$(median "$run/check-$n.times" 1)
	rss=$(median "$run/check-$n.times" 2)
	user=$(median "$run/check-$n.times" 3)
	found=$(sed -n 's/^fieldschool: //p' "$run/check-$n.err" | tail -1)
	awk -v n="$n" -v w="$wall" -v r="$rss" -v u="$user" -v x="$found" \
		'BEGIN { printf "| %s | %s | %s | %.1f | %s |\n", n, w, u, r / 1024, x }'
done
