#!/usr/bin/env bash
# bench/plan.sh - the scheduling benchmark: `check` and `plan groups` on the
# large bench data set (3 missions x 50,000 participants), `plan visits` for
# 100 groups x 40 sites, and `check` on agendas of 1k, 10k, 100k and 1M
# items.
#
#   bench/plan.sh [SIZE] [RUNS]   median of RUNS (default 3); SIZE: small
#                                 (data 3 x 60, agendas to 10k), medium
#                                 (3 x 2,000, to 100k) or large (default:
#                                 3 x 50,000, to 1M).  A lone number is RUNS.
#
# The large data set comes from ../shared/bench/gen-dataset (generated once
# under $BENCH_WORK, default /tmp/fieldschool-bench); the visit and agenda
# sets are made here by a small deterministic Python generator.  Prints a
# Markdown table of median wall seconds and peak RSS.  Every timed command
# runs on a copy of a prepared database, so that each run starts the same.
set -euo pipefail
cd "$(dirname "$0")/.."
size=large
case ${1:-} in
small | medium | large) size=$1; shift ;;
'' | [0-9]*) ;;
*) echo "usage: bench/plan.sh [small|medium|large] [RUNS]" >&2; exit 2 ;;
esac
runs=${1:-3}
case $size in
small) people=60; sizes="1k 10k" ;;
medium) people=2000; sizes="1k 10k 100k" ;;
large) people=50000; sizes="1k 10k 100k 1m" ;;
esac
gen=${FIELDSCHOOL_BENCH:-../shared/bench}/gen-dataset
work=${BENCH_WORK:-/tmp/fieldschool-bench}
data=$work/data-$size
run=$work/plan-run
bin=$(realpath "${FIELDSCHOOL:-build/fieldschool}")
[ -x "$bin" ] || { echo "bench: build first (./dev build)" >&2; exit 2; }
if [ ! -f "$data/participants.csv" ]; then
	[ -x "$gen" ] || { echo "bench: $gen not found" >&2; exit 2; }
	"$gen" --missions 3 --participants "$people" --seed 1 --out "$data" >/dev/null
fi
mkdir -p "$run"
rm -f "$run"/*.times

# prepare NAME: a database $run/NAME.db built by the commands that follow
fs() { "$bin" --db "$db" "$@" >/dev/null; }
fresh() {
	db=$run/$1.db
	rm -f "$db" "$db-wal" "$db-shm"
	fs init
}

echo "bench: preparing databases in $run" >&2
fresh large
fs mission import "$data/missions.csv"
fs agenda import "$data/agenda.csv"
fs participant import "$data/participants.csv"

# 100 groups of 25 (2,500 confirmed) and 40 sites near the venue with
# room for 3 groups at once; 40 one-hour windows (10 a day), and 8 for
# --per-group 4.  Then agendas of N items for groups, 30-90 minutes each,
# spread over 4 days, with about ten items per place, facilitator and
# group: busy, with some clashes to report.  (Items for everyone would
# clash with every item at their time, and the findings, not the check,
# would grow with the square of N.)
python3 - "$run" $sizes <<'EOF'
import csv, random, sys
out = sys.argv[1]
counts = {"1k": 1000, "10k": 10000, "100k": 100000, "1m": 1000000}
wanted = sys.argv[2:]
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
    for code in ["bv-visits"] + [f"bc-{n}" for n in ("1k", "10k", "100k", "1m")]:
        w.writerow([code, "Bench " + code, "PH", "Manila", "Asia/Manila",
                    "2027-09-13", 4, "PICC", "", 14.5543, 120.9826, "", "", "", ""])
rnd = random.Random(1)
with open(f"{out}/visits-agenda.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(A)
    for j in range(40):
        w.writerow([f"V{j:02d}", "bv-visits", 1 + j % 4, "08:00", "08:50",
                    "visit", f"Site {j}", f"Bench site {j}",
                    round(14.5543 + rnd.uniform(-0.02, 0.02), 4),
                    round(120.9826 + rnd.uniform(-0.02, 0.02), 4),
                    f"Host {j}", 80, "all", ""])
with open(f"{out}/visits-participants.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(P)
    for i in range(2500):
        w.writerow([f"BV{i:05d}", "Given", f"Family {i}", f"Org {i % 300}",
                    cats[i % 7], "PH", "en", "bv-visits", "confirmed",
                    label(i % 100)])
slots = [f"{d} {h:02d}:00-{h:02d}:50" for d in range(1, 5) for h in range(8, 18)]
open(f"{out}/slots-40", "w").write(",".join(slots))
open(f"{out}/slots-8", "w").write(",".join(slots[:8]))
for name, n in ((w, counts[w]) for w in wanted):
    # about ten items per place, facilitator and group over the four
    # days: a busy but plausible agenda, with some clashes to report
    places = max(4, n // 10)
    people = max(4, n // 10)
    groups = max(2, n // 10)
    with open(f"{out}/agenda-{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(A)
        for i in range(n):
            start = rnd.randrange(7 * 60, 19 * 60, 5)
            end = start + rnd.choice((30, 45, 60, 90))
            p = rnd.randrange(places)
            kind = rnd.choice(("session", "visit", "meal", "travel"))
            audience = f"group:{label(rnd.randrange(groups))}"
            w.writerow([f"I{i:06d}", f"bc-{name}", 1 + rnd.randrange(4),
                        f"{start // 60:02d}:{start % 60:02d}",
                        f"{end // 60:02d}:{end % 60:02d}", kind, f"Item {i}",
                        f"Place {p}", round(14.5 + (p % 97) * 0.001, 4),
                        round(121.0 + (p // 97) * 0.001, 4), "",
                        40 if kind == "visit" else "", audience,
                        f"Person {rnd.randrange(people)}"])
    with open(f"{out}/participants-{name}.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(P)
        for i in range(1000):
            w.writerow([f"B{name}{i:05d}", "Given", f"Family {i}", f"Org {i % 80}",
                        cats[i % 7], "PH", "en", f"bc-{name}", "confirmed",
                        label(i % groups)])
EOF
fresh visits
fs mission import "$run/missions.csv"
fs agenda import "$run/visits-agenda.csv"
fs participant import "$run/visits-participants.csv"
# the same sites with 100 groups of 5 to 35 people (whatever is left of the
# 2,500 waits): capacity is no longer a count, the exact search runs
cp "$run/visits.db" "$run/uneven.db"
python3 - "$run/uneven.db" <<'EOF'
import random, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
def label(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s
ids = [r[0] for r in db.execute("SELECT id FROM registration ORDER BY id")]
rnd = random.Random(3)
k = 0
for g in range(100):
    for _ in range(rnd.randint(5, 35)):
        if k < len(ids):
            db.execute("UPDATE registration SET group_label = ? WHERE id = ?",
                       (label(g), ids[k]))
            k += 1
db.executemany("UPDATE registration SET status = 'waitlisted', group_label = '' "
               "WHERE id = ?", [(i,) for i in ids[k:]])
db.commit()
EOF
for n in $sizes; do
	fresh "check-$n"
	fs mission import "$run/missions.csv"
	fs agenda import "$run/agenda-$n.csv"
	fs participant import "$run/participants-$n.csv"
done

# measure NAME DB CMD...: runs CMD on a fresh copy of DB; appends
# "wall rss_kb user" to $run/NAME.times.  Exit status 1 (check found
# errors) is a result, not a failure; so is 3 (input refused) when
# REFUSED=1: the planner proved the instance has no rotation.
measure() {
	local name=$1 src=$2 status=0
	shift 2
	cp "$src" "$run/copy.db"
	rm -f "$run/copy.db-wal" "$run/copy.db-shm"
	sync
	/usr/bin/time -f "%e %M %U" -o "$run/time" "$bin" --db "$run/copy.db" "$@" \
		>"$run/$name.out" 2>"$run/$name.err" || status=$?
	if [ "$status" -gt 1 ] && ! { [ "$status" = 3 ] && [ "${REFUSED:-0}" = 1 ]; }; then
		echo "bench: $name failed ($status):" >&2
		cat "$run/$name.err" >&2
		exit 1
	fi
	# time(1) puts "Command exited with non-zero status" first
	tail -1 "$run/time" >>"$run/$name.times"
}

median() { # FILE COLUMN
	sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END {print v[int((NR+1)/2)]}'
}

for ((i = 1; i <= runs; i++)); do
	echo "bench: run $i of $runs" >&2
	measure check-large "$run/large.db" check
	measure groups-replan "$run/large.db" plan groups mx-2027
	measure groups-max25 "$run/large.db" plan groups mx-2027 --max-size 25
	measure groups-max25-dry "$run/large.db" plan groups mx-2027 --max-size 25 --dry-run
	# 10 min between windows, every trip between two sites 16+ min
	# (buffer included): a group can use at most 20 of the 40 windows,
	# so the planner refuses every site for every group, and says why
	REFUSED=1 measure visits-all "$run/visits.db" plan visits bv-visits --slots "$(cat "$run/slots-40")"
	measure visits-20 "$run/visits.db" plan visits bv-visits --slots "$(cat "$run/slots-40")" --per-group 20
	measure visits-4 "$run/visits.db" plan visits bv-visits --slots "$(cat "$run/slots-8")" --per-group 4
	REFUSED=1 measure visits-uneven "$run/uneven.db" plan visits bv-visits --slots "$(cat "$run/slots-40")"
	measure visits-uneven-20 "$run/uneven.db" plan visits bv-visits --slots "$(cat "$run/slots-40")" --per-group 20
	for n in $sizes; do
		measure "check-$n" "$run/check-$n.db" check "bc-$n"
	done
done

findings() { # NAME: "N errors, M warnings" from check's summary line
	sed -n 's/^fieldschool: //p' "$run/$1.err" | tail -1
}
printf '\nScheduling benchmark, median of %d runs on %s (%s cores)\n\n' \
	"$runs" "$(uname -n)" "$(nproc)"
printf '| command | data | wall s | user CPU s | peak RSS MB | result |\n|---|---|---|---|---|---|\n'
row() { # NAME COMMAND DATA RESULT
	local wall rss user
	wall=$(median "$run/$1.times" 1)
	rss=$(median "$run/$1.times" 2)
	user=$(median "$run/$1.times" 3)
	awk -v c="$2" -v d="$3" -v w="$wall" -v r="$rss" -v u="$user" -v x="$4" \
		'BEGIN { printf "| %s | %s | %s | %s | %.1f | %s |\n", c, d, w, u, r / 1024, x }'
}
items=$(python3 -c 'import csv,sys; print(sum(1 for _ in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig"))))' "$data/agenda.csv")
row check-large "check (3 missions)" "$size: 3 x $people participants, $items agenda items" "$(findings check-large)"
row groups-replan "plan groups mx-2027" "$size, re-plan of the groups in use" "$(tail -1 "$run/groups-replan.out")"
row groups-max25 "plan groups mx-2027 --max-size 25" "$size, new groups of at most 25, saved" "$(tail -1 "$run/groups-max25.out")"
row groups-max25-dry "plan groups mx-2027 --max-size 25 --dry-run" "$size, new groups of at most 25, not saved" "$(tail -1 "$run/groups-max25-dry.out")"
refusal() { # NAME: why the planner refused, up to its first ';'
	sed -n 's/^fieldschool: //p' "$run/$1.err" | tail -1 | cut -d';' -f1
}
row visits-all "plan visits (every site)" "100 groups x 40 sites, 40 windows" "refused: $(refusal visits-all)"
row visits-20 "plan visits --per-group 20" "100 groups x 40 sites, 40 windows" "$(grep -o 'by [a-z ()]*' "$run/visits-20.out" | head -1); $(tail -1 "$run/visits-20.out")"
row visits-4 "plan visits --per-group 4" "100 groups x 40 sites, 8 windows" "$(tail -1 "$run/visits-4.out")"
row visits-uneven "plan visits (every site)" "100 groups of 5-35 people x 40 sites, 40 windows" "refused: $(refusal visits-uneven)"
row visits-uneven-20 "plan visits --per-group 20" "$(grep -o '[0-9]* groups' "$run/visits-uneven-20.out" | head -1) of 5-35 people x 40 sites, 40 windows" "$(grep -o 'by [a-z ()]*' "$run/visits-uneven-20.out" | head -1); $(tail -1 "$run/visits-uneven-20.out")"
for n in $sizes; do
	row "check-$n" "check" "$n agenda items, 1,000 participants" "$(findings "check-$n")"
done
