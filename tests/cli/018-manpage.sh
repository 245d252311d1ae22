#!/bin/bash
# The manual page doc/fieldschool.1: groff reads it without a warning, it
# names every command and every option the program accepts (as
# `fieldschool __complete` lists them) in that command's subsection, and
# `cmake --install` puts it, the bash completion and the program in place.
. "$(dirname "$0")/lib.sh"

PAGE=$FIELDSCHOOL_SRC/doc/fieldschool.1

ok groff -man -Tutf8 -ww -z "$PAGE"
expect_no_stderr .
if command -v man >/dev/null; then
	ok env MANWIDTH=80 man -l "$PAGE"
	expect_stdout '^NAME'
	expect_stdout 'EXIT STATUS'
	expect_stdout 'FIELDSCHOOL_DB'
	expect_stdout 'TZDIR'
	expect_no_stderr .
fi
ok groff -man -Tutf8 -P-cbou "$PAGE"
for section in NAME SYNOPSIS DESCRIPTION 'GLOBAL OPTIONS' COMMANDS \
	'EXIT STATUS' ENVIRONMENT FILES EXAMPLES; do
	expect_stdout "^$section\$"
done

# section_of COMMAND...: the source of the subsection whose heading
# ".SS a b, c d" names the command, with \- as -.
section_of() {
	awk -v want="$*" '
		/^\.S[HS] / {
			inside = 0
			if ($1 == ".SS") {
				h = substr($0, 5); gsub(/"/, "", h)
				n = split(h, names, /, */)
				for (i = 1; i <= n; i++)
					if (names[i] == want) inside = 1
			}
			next
		}
		inside' "$PAGE" | sed 's/\\-/-/g'
}

COMMANDS=0
for g in $("$FIELDSCHOOL" __complete); do
	subs=$("$FIELDSCHOOL" __complete "$g")
	[[ $subs == -* ]] && subs=-
	for s in $subs; do
		cmd=("$g")
		[[ $s == - ]] || cmd+=("$s")
		COMMANDS=$((COMMANDS + 1))
		text=$(section_of "${cmd[@]}")
		if [[ -z $text ]]; then
			_fail "no subsection for '${cmd[*]}' in doc/fieldschool.1 (.SS ${cmd[*]})"
			continue
		fi
		_pass "a subsection for '${cmd[*]}'"
		for o in $("$FIELDSCHOOL" __complete "${cmd[@]}" | sed -n 's/^\(--[a-z-]*\)=\{0,1\}$/\1/p'); do
			[[ $o == --help || $o == --db || $o == --json ]] && continue
			if [[ $text =~ (^|[^a-z-])$o([^a-z-]|$) ]]; then
				_pass "'${cmd[*]}' documents $o"
			else
				_fail "doc/fieldschool.1: '${cmd[*]}' does not document $o"
			fi
		done
	done
done
check "commands found" test "$COMMANDS" -ge 30

# cmake --install, into a fresh prefix
BUILD=$(dirname "$FIELDSCHOOL")
if [[ -f $BUILD/cmake_install.cmake ]]; then
	ok cmake --install "$BUILD" --prefix "$TMP/prefix"
	check "program installed" test -x "$TMP/prefix/bin/fieldschool"
	same_file "man page installed" "$PAGE" "$TMP/prefix/share/man/man1/fieldschool.1"
	same_file "completion installed" "$FIELDSCHOOL_SRC/completion/fieldschool.bash" \
		"$TMP/prefix/share/bash-completion/completions/fieldschool"
	ok bash -c '. "$0" && COMP_WORDS=("$1" mission a) COMP_CWORD=2 &&
		_fieldschool && echo "${COMPREPLY[*]}"' \
		"$TMP/prefix/share/bash-completion/completions/fieldschool" \
		"$TMP/prefix/bin/fieldschool"
	expect_stdout '^add$'
	if command -v man >/dev/null; then
		ok env MANPATH="$TMP/prefix/share/man" MANWIDTH=80 man fieldschool
		expect_stdout '^SYNOPSIS'
	fi
else
	_fail "no CMake build directory at $BUILD"
fi

finish
