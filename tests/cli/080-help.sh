#!/bin/bash
# --help everywhere (no database needed), and usage errors (exit 2) for
# unknown commands, subcommands and options.
. "$(dirname "$0")/lib.sh"

# No database at all: help must not need one.
export FIELDSCHOOL_DB=$TMP/none/fieldschool.db

GROUPS_AND_COMMANDS=(
	init demo
	"mission add" "mission list" "mission show" "mission edit"
	"mission remove" "mission shift" "mission import" "mission export"
	"participant add" "participant list" "participant show" "participant edit"
	"participant remove" "participant import" "participant export"
	"agenda add" "agenda list" "agenda show" "agenda edit" "agenda cancel"
	"agenda remove" "agenda import" "agenda export"
	"category list" "category add" "module list" "place add" "place list"
	"place edit" "place remove" "facilitator add" "facilitator list"
	"facilitator edit" "facilitator remove"
	ics page publish serve "token show" "token rotate"
	check "plan groups" "plan visits"
	roster "attend mark" "attend import" "attend export" "attend list"
	certificates badges links
)
CMD_GROUPS=(mission participant agenda category module place facilitator token plan attend)

ok fs --help
expect_stdout '^usage: fieldschool \[--db FILE\] \[--json\] COMMAND \[ARGS\]$'
for g in init demo ics page publish serve check roster certificates badges links "${CMD_GROUPS[@]}"; do
	expect_stdout "^  $g +[a-z]"
done
ok fs -h
expect_stdout '^usage: fieldschool'
ok fs help
expect_stdout '^usage: fieldschool'
ok fs --version
expect_stdout '^fieldschool [0-9]+\.[0-9]+\.[0-9]+ \(schema [0-9]+\)$'

for g in "${CMD_GROUPS[@]}"; do
	for h in --help -h help; do
		ok fs "$g" "$h"
		expect_stdout "^usage: fieldschool $g COMMAND \[ARGS\]$"
	done
done
ok fs agenda --help
expect_stdout '^  cancel +cancel an item'

for c in "${GROUPS_AND_COMMANDS[@]}"; do
	for h in --help -h; do
		# shellcheck disable=SC2086
		ok fs $c "$h"
		expect_stdout "^usage: fieldschool .*${c#* }"
		expect_no_stderr .
	done
done
check "no database was created by asking for help" test ! -e "$FIELDSCHOOL_DB"
# The record commands list their options (the format's columns).
ok fs participant add --help
for o in --ref --given-name --family-name --email --category --mission \
	--status --arrival --departure --funded --group; do
	expect_stdout "^  $o "
done
ok fs agenda add --help
for o in --day --date --start --end --kind --title --module --place --lat \
	--lon --audience --facilitators --description; do
	expect_stdout "^  $o "
done
ok fs mission add --help
for o in --title --country --city --timezone --start --days --currency; do
	expect_stdout "^  $o "
done
ok fs participant import --help
expect_stdout '--dry-run'
expect_stdout '--ignore-unknown'
ok fs agenda cancel --help
expect_stdout '--undo'
ok fs check --help
for o in --speed --buffer --json; do
	expect_stdout "^  $o "
done
expect_stdout 'exit status: 0 no errors'
ok fs plan groups --help
for o in --groups --max-size --dry-run; do
	expect_stdout "^  $o "
done
ok fs plan visits --help
for o in --slots --per-group --speed --buffer --max-steps --dry-run; do
	expect_stdout "^  $o "
done

# --- usage errors: exit 2, "usage:" on stderr, nothing on stdout -------------------------
new_db_here() {
	export FIELDSCHOOL_DB=$TMP/fieldschool.db
	new_db
	add_mission m1
}
new_db_here

fails 2 fs
expect_stdout '^usage: fieldschool'
fails 2 fs frobnicate
expect_stderr_fixed "fieldschool: 'frobnicate' is not a command of 'fieldschool"
expect_stderr '^usage: '
expect_stdout_empty
for g in "${CMD_GROUPS[@]}"; do
	fails 2 fs "$g" frobnicate
	expect_stderr_fixed "fieldschool: 'frobnicate' is not a command of 'fieldschool $g'"
	expect_stderr "^usage: fieldschool $g COMMAND"
	expect_stdout_empty
	fails 2 fs "$g"
	expect_stdout "^usage: fieldschool $g COMMAND"
done

# An unknown option is a usage error for every command (and changes nothing).
snapshot start
for c in "${GROUPS_AND_COMMANDS[@]}"; do
	# shellcheck disable=SC2086
	fails 2 fs $c --frobnicate
	expect_stderr '^(usage: |fieldschool: .*--frobnicate)'
	expect_stdout_empty
done
unchanged_since start
# Missing values and stray arguments.
fails 2 fs participant import
expect_stderr_fixed "give one CSV file to import"
fails 2 fs participant import a.csv b.csv
expect_stderr_fixed "give one CSV file to import"
fails 2 fs agenda export
expect_stderr_fixed "give one mission code"
fails 2 fs agenda list
expect_stderr_fixed "give one mission code"
fails 2 fs participant export -o
expect_stderr '^usage: fieldschool participant export'
fails 2 fs demo --out
expect_stderr '^usage: fieldschool demo'
fails 2 fs init extra
expect_stderr_fixed "unexpected argument 'extra'"
fails 2 fs mission list extra
fails 2 fs participant list m1 extra
fails 2 fs participant edit --ref X P000001
expect_stderr_fixed "a participant's ref cannot change"
fails 2 fs agenda edit --ref X I1
expect_stderr_fixed "an item's ref cannot change"
fails 2 fs category add lgu-2
expect_stderr_fixed "--name is required"
fails 2 fs plan groups
expect_stderr_fixed "give one mission code"
fails 2 fs plan visits m1 m2
expect_stderr_fixed "give one mission code"
fails 2 fs plan groups m1 --groups 0
expect_stderr_fixed "--groups: '0': expected a whole number from 1"
fails 2 fs plan groups m1 --groups 2 --max-size 3
expect_stderr_fixed "give --groups or --max-size, not both"
fails 2 fs plan visits m1 --per-group x
expect_stderr_fixed "--per-group: 'x'"
fails 2 fs check --speed 0 m1
expect_stderr_fixed "--speed: '0': expected a number from 1 to 1000"
fails 2 fs check --buffer -5
unchanged_since start

finish
