#!/bin/bash
# Bash completion (completion/fieldschool.bash): commands, subcommands and
# options come from the program (`fieldschool __complete`), mission codes from
# `mission list` on the database named on the line or by $FIELDSCHOOL_DB;
# nothing, quietly, without a database.
. "$(dirname "$0")/lib.sh"

SCRIPT=$FIELDSCHOOL_SRC/completion/fieldschool.bash
mkdir -p "$TMP/bin"
ln -s "$FIELDSCHOOL" "$TMP/bin/fieldschool"
export PATH=$TMP/bin:$PATH

# complete_words WORD...: the completions bash would offer for the last
# word, one a line, sorted (as a completion function is called: COMP_WORDS,
# COMP_CWORD, in a shell that sourced the script).
complete_words() {
	bash -c '. "$0" || exit 9
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _fieldschool
		printf "%s\n" "${COMPREPLY[@]}"' "$SCRIPT" "$@" 2>"$TMP/complete.err" |
		sed '/^$/d' | sort
}
# The commands of the table that `fieldschool [GROUP] --help` prints.
help_table() {
	"$FIELDSCHOOL" "$@" --help | sed -n '/^commands:$/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' | sort
}

ok bash -c '. "$0" && complete -p fieldschool' "$SCRIPT"
expect_stdout '^complete -F _fieldschool fieldschool$'

# Commands and subcommands: exactly the tables of --help.
unset FIELDSCHOOL_DB
cd "$TMP"
eq "top-level commands" "$(complete_words fieldschool '')" "$(help_table)"
check "no message on stderr" test ! -s "$TMP/complete.err"
eq "commands starting with 'p'" "$(complete_words fieldschool p)" \
	"$(help_table | grep '^p')"
GROUPS_SEEN=0
for g in $(help_table); do
	if "$FIELDSCHOOL" "$g" --help | grep -q '^commands:$'; then
		GROUPS_SEEN=$((GROUPS_SEEN + 1))
		eq "subcommands of $g" "$(complete_words fieldschool "$g" '')" \
			"$(help_table "$g")"
	fi
done
check "groups found" test "$GROUPS_SEEN" -ge 8

# Options: every option a command's --help names (in its usage line or its
# option lines) is offered, and the command accepts every option offered.
# (`__complete` is what the completion function asks; the cases after this
# loop drive the function itself.)
LEAVES=0
for g in $("$FIELDSCHOOL" __complete); do
	subs=$("$FIELDSCHOOL" __complete "$g")
	[[ $subs == -* ]] && subs=-
	for s in $subs; do
		cmd=("$g")
		[[ $s == - ]] || cmd+=("$s")
		LEAVES=$((LEAVES + 1))
		with_eq=$("$FIELDSCHOOL" __complete "${cmd[@]}" | grep -- '^--')
		offered=" $(tr '\n' ' ' <<<"${with_eq//=/}")"
		missing=
		for o in $("$FIELDSCHOOL" "${cmd[@]}" --help |
			sed -n '/^usage:/p; /^  *--/p' | grep -oE -- '--[a-z][a-z-]+'); do
			[[ $o == --db || $o == --json || $offered == *" $o "* ]] ||
				missing+=" $o"
		done
		eq "options of '${cmd[*]}' documented but not offered" "$missing" ""
		# every option offered, with a value when it takes one, then
		# --help: known options are parsed and help printed; an unknown
		# one is a usage error that names it
		probe=()
		for o in $with_eq; do
			[[ $o == --help ]] && continue
			[[ $o == *= ]] && o+=1
			probe+=("$o")
		done
		"$FIELDSCHOOL" "${cmd[@]}" "${probe[@]}" --help </dev/null >/dev/null 2>"$TMP/opt.err"
		if grep -q "unknown option" "$TMP/opt.err"; then
			_fail "'${cmd[*]}' offers an option it refuses" "$(cat "$TMP/opt.err")"
		else
			_pass "'${cmd[*]}' accepts the ${#probe[@]} options offered"
		fi
	done
done
check "commands checked" test "$LEAVES" -ge 30
eq "options of 'mission add' starting with --ti" \
	"$(complete_words fieldschool mission add --ti)" $'--timezone=\n--title='
eq "a flag: plan groups --dr" "$(complete_words fieldschool plan groups --dr)" "--dry-run"
eq "roster: a workbook or a directory" "$(complete_words fieldschool roster --ou)" $'--out=\n--output='
eq "global options after the command" "$(complete_words fieldschool check --j)" "--json"
eq "--db= and --help among the options" "$(complete_words fieldschool mission show --)" $'--db=\n--help\n--json'
eq "a group's commands are not options" "$(complete_words fieldschool mission --ti)" ""
eq "an unknown command: nothing" "$(complete_words fieldschool frobnicate '')" ""

# Mission codes: none without a database, and no database is created.
eq "no database: no mission code" "$(complete_words fieldschool agenda list '')" ""
check "no message on stderr without a database" test ! -s "$TMP/complete.err"
check "completion created no database" test ! -e fieldschool.db
FIELDSCHOOL_DB=$TMP/none.db
export FIELDSCHOOL_DB
eq "\$FIELDSCHOOL_DB names no file: nothing" "$(complete_words fieldschool agenda export '')" ""
check "completion created no database" test ! -e "$TMP/none.db"

export FIELDSCHOOL_DB=$TMP/env.db
new_db
add_mission env-1
add_mission env-2
DB=$TMP/other.db
FIELDSCHOOL_DB=$DB new_db
FIELDSCHOOL_DB=$DB add_mission other-1
eq "codes from \$FIELDSCHOOL_DB" "$(complete_words fieldschool agenda list '')" $'env-1\nenv-2'
eq "codes from --db FILE" "$(complete_words fieldschool --db "$DB" agenda list '')" "other-1"
eq "codes from --db FILE after the command" "$(complete_words fieldschool agenda list --db "$DB" '')" "other-1"
eq "codes from --db=FILE (split at '=' by bash)" \
	"$(complete_words fieldschool --db = "$DB" check o)" "other-1"
eq "codes by prefix" "$(complete_words fieldschool ics env-)" $'env-1\nenv-2'
eq "codes for --mission" "$(complete_words fieldschool agenda show X --mission '')" $'env-1\nenv-2'
eq "codes for --mission=" "$(complete_words fieldschool agenda show X --mission = e)" $'env-1\nenv-2'
eq "codes for mission show CODE" "$(complete_words fieldschool mission show e)" $'env-1\nenv-2'
eq "the value of an option is no mission code" \
	"$(complete_words fieldschool plan groups --groups '')" ""
# Files where a file is expected.
: >"$TMP/people.csv"
eq "a file to import" "$(complete_words fieldschool participant import peo)" "people.csv"
eq "a file for -o" "$(complete_words fieldschool ics env-1 -o peo)" "people.csv"
eq "a file for --db" "$(complete_words fieldschool --db oth)" "other.db"
mkdir "$TMP/rosters"
eq "a directory for roster --out" "$(complete_words fieldschool roster --all --out ros)" "rosters"
# A database that is not fieldschool's: nothing, quietly.
echo "not sqlite" >"$TMP/junk.db"
eq "a junk database: nothing" "$(complete_words fieldschool --db "$TMP/junk.db" agenda list '')" ""
check "no message on stderr" test ! -s "$TMP/complete.err"

# __complete itself: nothing changes, nothing is printed but the answer.
snapshot before
ok fs __complete mission add
expect_stdout '^--title=$'
expect_no_stderr .
ok fs __complete init
expect_stdout '^--help$'
ok fs __complete agenda list env-1
expect_stdout '^--help$'
ok fs __complete frobnicate
expect_stdout_empty
unchanged_since before

finish
