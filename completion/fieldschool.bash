# bash completion for fieldschool(1)
#
# Commands, their subcommands and options come from the program itself
# (`fieldschool __complete WORD...`, which reads the option table each command
# parses), so they are never out of date.  Mission codes come from
# `fieldschool mission list` on the database given on the line with --db, or
# $FIELDSCHOOL_DB, or ./fieldschool.db: nothing when there is no database.
# Installed as share/bash-completion/completions/fieldschool.

# _fieldschool_missions PROGRAM DB: the mission codes, one a line.
_fieldschool_missions()
{
	local -a db=()
	[[ -n $2 ]] && db=(--db "$2")
	"$1" "${db[@]}" mission list 2>/dev/null </dev/null |
		awk 'NR > 1 && $1 ~ /^[A-Za-z0-9][A-Za-z0-9._-]*$/ { print $1 }'
}

# _fieldschool_reply WORD CANDIDATES...: COMPREPLY from the candidates
# that start with WORD.
_fieldschool_reply()
{
	local word=$1 c
	shift
	for c in "$@"; do
		[[ $c == "$word"* ]] && COMPREPLY+=("$c")
	done
}

_fieldschool_files()
{
	local IFS=$'\n'
	COMPREPLY+=($(compgen -f -- "$1"))
	compopt -o filenames 2>/dev/null
}

# _fieldschool_value PROGRAM DB OPTION WORD: completes the value of OPTION.
_fieldschool_value()
{
	case $3 in
	--db | --out | --output | -o | --dir | --pdf)
		_fieldschool_files "$4" ;;
	--mission | -m)
		_fieldschool_reply "$4" $(_fieldschool_missions "$1" "$2") ;;
	esac
}

_fieldschool()
{
	local program=${COMP_WORDS[0]} i t cur value_of= db=${FIELDSCHOOL_DB:-}
	local -a words=() path=() options=() args=() listed
	COMPREPLY=()

	# Rejoin "--db" "=" "FILE", which bash splits at the '='.
	for ((i = 1; i < COMP_CWORD; i++)); do
		t=${COMP_WORDS[i]}
		if [[ $t == = && ${#words[@]} -gt 0 && ${words[-1]} == -* ]]; then
			words[-1]+="="
		elif [[ ${#words[@]} -gt 0 && ${words[-1]} == -*= ]]; then
			words[-1]+=$t
		else
			words+=("$t")
		fi
	done
	cur=${COMP_WORDS[COMP_CWORD]}
	if [[ $cur == = && ${#words[@]} -gt 0 && ${words[-1]} == -* ]]; then
		value_of=${words[-1]} cur=
		unset 'words[-1]'
	elif [[ ${#words[@]} -gt 0 && ${words[-1]} == -*= ]]; then
		value_of=${words[-1]%=} cur=${cur}
		unset 'words[-1]'
	fi
	[[ $program == "~/"* ]] && program=$HOME/${program#"~/"}

	# Walk the words: global options anywhere, then the command path as
	# long as each word is a command of the group before it, then the
	# command's arguments.  The last option that takes a value and has
	# none yet is what the word being completed is for.
	mapfile -t listed < <("$program" __complete 2>/dev/null </dev/null)
	local want_value= is_leaf=0
	for t in "${words[@]}"; do
		if [[ -n $want_value ]]; then
			[[ $want_value == --db ]] && db=$t
			want_value=
			continue
		fi
		case $t in
		--db) want_value=--db; continue ;;
		--db=*) db=${t#--db=}; continue ;;
		--json) continue ;;
		-*)
			# an option of the command: does it take a value?
			if [[ $t != *=* ]] && printf '%s\n' "${options[@]}" |
				grep -qxF -- "$t="; then
				want_value=$t
			fi
			continue ;;
		esac
		if ((!is_leaf)) && printf '%s\n' "${listed[@]}" | grep -qxF -- "$t"; then
			path+=("$t")
			mapfile -t listed < <("$program" __complete "${path[@]}" \
				2>/dev/null </dev/null)
			if [[ ${listed[0]:-} == -* ]]; then
				is_leaf=1
				options=("${listed[@]}")
			fi
		else
			args+=("$t")
		fi
	done
	[[ -z $value_of ]] || want_value=$value_of

	if [[ -n $want_value ]]; then
		_fieldschool_value "$program" "$db" "$want_value" "$cur"
		return 0
	fi
	if [[ $cur == -* ]]; then
		local -a long=(--db= --json)
		for t in "${options[@]}"; do
			[[ $t == --* ]] && long+=("$t")
		done
		_fieldschool_reply "$cur" "${long[@]}"
		# an option that takes a value is followed by '=', no space
		[[ ${#COMPREPLY[@]} == 1 && ${COMPREPLY[0]} == *= ]] &&
			compopt -o nospace 2>/dev/null
		return 0
	fi
	if ((!is_leaf)); then
		# after a word that is no command, nothing
		((${#args[@]})) || _fieldschool_reply "$cur" "${listed[@]}"
		return 0
	fi
	# The command's own arguments, as its usage line names them (option
	# values left out): MISSION or CODE, FILE.
	local usage
	usage=$("$program" "${path[@]}" --help 2>/dev/null </dev/null |
		sed -n '1{s/^usage: //;s/--*[a-z-]*[ =][A-Z][A-Za-z.]*//g;p;q}')
	if [[ $usage =~ MISSION|CODE ]]; then
		_fieldschool_reply "$cur" $(_fieldschool_missions "$program" "$db")
	fi
	if [[ $usage =~ FILE ]]; then
		_fieldschool_files "$cur"
	fi
	return 0
}
complete -F _fieldschool fieldschool
