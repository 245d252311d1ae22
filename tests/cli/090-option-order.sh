#!/bin/bash
# Commands typed the way their usage lines show them: the code, ref or
# mission first, then the options.  (The other scripts put options first,
# which works either way.)
. "$(dirname "$0")/lib.sh"

new_db

# usage: fieldschool mission add CODE --title T --country CC --city C
#        --timezone ZONE --start YYYY-MM-DD --days N [OPTIONS]
ok fs mission add m1 --title "Field school" --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3
expect_stdout '^m1$'
eq "mission added CODE-first" "$(sql "select count(*) from mission where code = 'm1'")" 1
# (if that failed, add it options-first so that what follows can run)
[[ $(sql "select count(*) from mission where code = 'm1'") == 1 ]] || add_mission m1
# usage: fieldschool mission edit CODE [--title T] ...
ok fs mission edit m1 --title "Renamed"
expect_stdout '^m1: changed$'
eq "title after CODE-first edit" "$(sql "select title from mission where code = 'm1'")" Renamed

# usage: fieldschool participant edit REF [--mission M] [--status S] ...
"$FIELDSCHOOL" participant add --ref R1 --given-name Ana --family-name Cruz \
	--category 1 --mission m1 >/dev/null </dev/null
ok fs participant edit R1 --status confirmed
expect_stdout '^R1: changed$'
eq "status after REF-first edit" "$(sql "select status from registration")" confirmed
# usage: fieldschool participant export [MISSION] [-o FILE]
ok fs participant export m1 -o p.csv
check "participant export MISSION -o FILE wrote the file" test -s p.csv

# usage: fieldschool agenda add MISSION (--day N | --date D) --start HH:MM
#        --end HH:MM --kind K --title T [OPTIONS]
ok fs agenda add m1 --ref A1 --day 1 --start 09:00 --end 10:00 \
	--kind session --title "Opening"
expect_stdout '^A1$'
"$FIELDSCHOOL" agenda add --ref A1 --day 1 --start 09:00 --end 10:00 \
	--kind session --title "Opening" m1 >/dev/null 2>&1 </dev/null
# usage: fieldschool agenda edit REF [--mission M] [--start HH:MM] ...
ok fs agenda edit A1 --start 08:30
expect_stdout '^A1: changed$'
# usage: fieldschool agenda show REF [--mission M] [--json]
ok fs agenda show A1 --mission m1
expect_stdout '^ref +A1$'
# usage: fieldschool agenda cancel REF [--mission M] [--undo]
ok fs agenda cancel A1 --mission m1
expect_stdout '^A1: cancelled$'
ok fs agenda cancel A1 --undo
expect_stdout '^A1: active$'
# usage: fieldschool agenda export MISSION [-o FILE]
ok fs agenda export m1 -o a.csv
check "agenda export MISSION -o FILE wrote the file" test -s a.csv
# usage: fieldschool agenda remove REF [--mission M]
ok fs agenda remove A1 --mission m1
expect_stdout '^A1: removed$'

# usage: fieldschool category add CODE --name NAME [--description TEXT]
ok fs category add ngo-staff --name "NGO staff"
expect_stdout '^8 ngo-staff$'
# usage: fieldschool place add NAME [--address A] [--lat DEG --lon DEG]
ok fs place add "Main hall" --address "Roxas Blvd" --lat 14.55 --lon 121.02
ok fs place list
expect_stdout '^name +lat +lon +items +address$'
expect_stdout '^Main hall +14\.55 +121\.02 +0 +Roxas Blvd$'
# usage: fieldschool facilitator add NAME [--email E] [--organization O]
ok fs facilitator add "Dr. Ana Reyes" --email ana@example.org
ok fs facilitator list
expect_stdout '^name +email +items +organization$'
expect_stdout '^Dr\. Ana Reyes +ana@example\.org +0$'

finish
