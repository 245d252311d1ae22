#!/bin/bash
# place and facilitator: edit (rename keeps the agenda pointing at them, and
# raises the SEQUENCE of the items whose feeds show the change) and remove
# (refused while agenda items use them, unless --force).
. "$(dirname "$0")/lib.sh"

new_db
add_mission m1
ok fs place add "Main hall" --address "Roxas Blvd" --lat 14.55 --lon 121.02
ok fs place add "Annex"
ok fs facilitator add "Ana Reyes" --email ana@example.org
ok fs facilitator add "Ben Ola"
ok fs agenda add --ref S1 --day 1 --start 09:00 --end 10:00 --kind session \
	--title "Opening" --place "Main hall" --facilitators "Ana Reyes;Ben Ola" m1
ok fs agenda add --ref S2 --day 1 --start 11:00 --end 12:00 --kind session \
	--title "Panel" --place "Annex" m1
ok fs agenda add --ref S3 --day 2 --start 11:00 --end 12:00 --kind session \
	--title "Gone" --place "Annex" --facilitators "Ben Ola" m1
ok fs publish m1 --out feeds   # S3 seen by subscribers: removing keeps it
ok fs agenda remove S3

item() { # item REF FIELD
	"$FIELDSCHOOL" --json agenda show "$1" </dev/null | json_field "$2"
}
uid=$(item S1 uid)
seq1=$(item S1 sequence)
seq2=$(item S2 sequence)

# --- place edit ------------------------------------------------------------
ok fs place edit "Main hall" --name "Grand hall"
expect_stdout '^Grand hall: changed$'
eq "the item keeps its place under the new name" "$(item S1 place)" "Grand hall"
eq "its address is kept" "$(item S1 address)" "Roxas Blvd"
eq "its UID is kept" "$(item S1 uid)" "$uid"
eq "its SEQUENCE rises (LOCATION shows the name)" "$(item S1 sequence)" $((seq1 + 1))
eq "an item elsewhere keeps its SEQUENCE" "$(item S2 sequence)" "$seq2"
ok fs ics m1
expect_stdout_fixed "LOCATION:Grand hall\\, Roxas Blvd"
ok fs place list
expect_stdout '^Grand hall +14\.55 +121\.02 +1 +Roxas Blvd$'
expect_lines stdout '^Main hall' 0
ok fs place edit "Grand hall" --address "Roxas Blvd" --lat 14.55 --lon 121.02
expect_stdout '^Grand hall: unchanged$'
eq "no change, no new SEQUENCE" "$(item S1 sequence)" $((seq1 + 1))
ok fs place edit "Grand hall" --lat "" --lon ""
expect_stdout '^Grand hall: changed$'
eq "a position cleared: SEQUENCE rises" "$(item S1 sequence)" $((seq1 + 2))
fails 3 fs place edit "Grand hall" --lat 14.5
expect_stderr_fixed "fieldschool: --lon: give lat and lon together"
fails 3 fs place edit "Grand hall" --name Annex
expect_stderr_fixed "fieldschool: place 'Annex' exists: remove it first, or choose another name"
fails 3 fs place edit "Nowhere" --address x
expect_stderr_fixed "fieldschool: no place 'Nowhere' (see 'fieldschool place list')"
fails 3 fs place edit "Grand hall" --name ""
expect_stderr_fixed "a place needs a name"
fails 2 fs place edit "Grand hall" --colour red
fails 2 fs place edit
expect_stderr_fixed "usage: fieldschool place edit NAME"

# --- place remove ------------------------------------------------------------
snapshot before-remove
fails 3 fs place remove Annex
expect_stderr_fixed "fieldschool: place 'Annex' is used by 2 agenda items (such as 'S2'; removed items count, as feeds keep them): give --force to take it off them"
expect_lines stderr . 1
unchanged_since before-remove
ok fs place add Empty
ok fs place remove Empty
expect_stdout '^Empty: removed$'
ok fs place remove --force Annex
expect_stdout '^Annex: removed, from 2 agenda items$'
eq "the item has no place now" "$(item S2 place)" ""
eq "and a new SEQUENCE" "$(item S2 sequence)" $((seq2 + 1))
fails 3 fs place remove Annex
expect_stderr_fixed "no place 'Annex'"

# --- facilitator edit ----------------------------------------------------------
seq1=$(item S1 sequence)
ok fs facilitator edit "Ana Reyes" --email ana.reyes@example.org --organization IOM
expect_stdout '^Ana Reyes: changed$'
eq "email and organization are not in feeds: same SEQUENCE" "$(item S1 sequence)" "$seq1"
ok fs facilitator edit "Ana Reyes" --name "Ana R. Reyes"
expect_stdout '^Ana R\. Reyes: changed$'
eq "the item keeps them, in order, under the new name" "$(item S1 facilitators)" "Ana R. Reyes;Ben Ola"
eq "SEQUENCE rises with the name" "$(item S1 sequence)" $((seq1 + 1))
ok fs ics m1 --facilitator "Ana R. Reyes"
expect_stdout_fixed "SUMMARY:Opening"
ok fs facilitator list
expect_stdout '^Ana R\. Reyes +ana\.reyes@example\.org +1 +IOM$'
ok fs facilitator edit "Ana R. Reyes" --email ana.reyes@example.org
expect_stdout ': unchanged$'
fails 3 fs facilitator edit "Ana R. Reyes" --name "Ben Ola"
expect_stderr_fixed "facilitator 'Ben Ola' exists"
fails 3 fs facilitator edit "Ana R. Reyes" --name "A;B"
expect_stderr_fixed "';' separates names in agenda files"
fails 3 fs facilitator edit "Ana R. Reyes" --email nope
expect_stderr_fixed "--email 'nope'"
fails 3 fs facilitator edit Nobody --email a@b.org
expect_stderr_fixed "fieldschool: no facilitator 'Nobody' (see 'fieldschool facilitator list')"

# --- facilitator remove --------------------------------------------------------
fails 3 fs facilitator remove "Ben Ola"
expect_stderr_fixed "facilitator 'Ben Ola' is used by 2 agenda items"
ok fs facilitator remove --force "Ben Ola"
expect_stdout '^Ben Ola: removed, from 2 agenda items$'
eq "taken off the item" "$(item S1 facilitators)" "Ana R. Reyes"
eq "SEQUENCE rises" "$(item S1 sequence)" $((seq1 + 2))
ok fs facilitator add Solo
ok fs facilitator remove Solo
expect_stdout '^Solo: removed$'
fails 2 fs facilitator remove
fails 2 fs facilitator remove --hard x
ok fs agenda export m1
expect_stdout_fixed 'S1,m1,1,'
eq "integrity" "$(sql 'pragma foreign_key_check')" ""

finish
