#!/bin/bash
# The "try:" lines that demo prints run as printed, pasted into a shell in
# the directory where demo ran: the program by the path it was invoked by,
# by name only when that name finds this program on PATH, else by its
# absolute path; --db whenever the demo database is not the default one.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/bin" "$TMP/other-bin"
ln -s "$FIELDSCHOOL" "$TMP/bin/fieldschool"
# another program called fieldschool, earlier on PATH, is never named
printf '#!/bin/sh\nexit 9\n' >"$TMP/other-bin/fieldschool"
chmod +x "$TMP/other-bin/fieldschool"

# try_lines DIR: runs every try line demo printed (in $LAST_OUT) from DIR
# with the environment of the demo run, each must exit 0 and print something.
try_lines() {
	local dir=$1 line n=0
	while IFS= read -r line; do
		n=$((n + 1))
		(cd "$dir" && bash -c "$line" </dev/null >"$TMP/try.out" 2>"$TMP/try.err")
		eq "exit status of: $line" "$?" 0
		check "output of: $line" test -s "$TMP/try.out"
	done < <(sed -n '/^try:$/,$p' "$LAST_OUT" | sed -n 's/^  //p')
	eq "try lines printed" "$n" 3
}

unset FIELDSCHOOL_DB
# 1. an absolute path, the default output directory
mkdir "$TMP/abs" && cd "$TMP/abs"
ok "$FIELDSCHOOL" demo
expect_stdout_fixed "  $FIELDSCHOOL --db fieldschool-demo/fieldschool.db mission list"
expect_no_stderr .
try_lines "$TMP/abs"
check "no database in the working directory" test ! -e fieldschool.db

# 2. a relative path (./dev demo runs build/fieldschool), an output
# directory with a space and a quote in its name
mkdir "$TMP/rel" && cd "$TMP/rel"
ok ../bin/fieldschool demo --out "it's a demo"
expect_stdout_fixed "  ../bin/fieldschool --db 'it'\\''s a demo/fieldschool.db' agenda list mx-2027"
try_lines "$TMP/rel"

# 3. found on PATH: the bare name
mkdir "$TMP/path" && cd "$TMP/path"
PATH=$TMP/bin:$PATH ok fieldschool demo --out d
expect_stdout '^  fieldschool --db d/fieldschool.db mission list$'
PATH=$TMP/bin:$PATH try_lines "$TMP/path"

# 4. invoked by a bare name that PATH does not lead to (exec -a), or that
# leads to another program: the absolute path of the running program
self=$(readlink -f "$FIELDSCHOOL")
mkdir "$TMP/nopath" && cd "$TMP/nopath"
ok bash -c 'exec -a fieldschool "$0" demo --out d' "$FIELDSCHOOL"
expect_stdout_fixed "  $self --db d/fieldschool.db ics mx-2027 --group A"
try_lines "$TMP/nopath"
mkdir "$TMP/shadow" && cd "$TMP/shadow"
PATH=$TMP/other-bin:$PATH ok bash -c 'exec -a fieldschool "$0" demo --out d' "$FIELDSCHOOL"
expect_stdout_fixed "  $self --db d/fieldschool.db mission list"
PATH=$TMP/other-bin:$PATH try_lines "$TMP/shadow"

# 5. --db naming the default database ($FIELDSCHOOL_DB): no --db needed;
# another --db file: that file
mkdir "$TMP/env" && cd "$TMP/env"
FIELDSCHOOL_DB=$TMP/env/mine.db ok "$FIELDSCHOOL" --db "$TMP/env/mine.db" demo --out d
expect_stdout "^  [^ ]+ mission list$"
FIELDSCHOOL_DB=$TMP/env/mine.db try_lines "$TMP/env"
mkdir "$TMP/db" && cd "$TMP/db"
ok "$FIELDSCHOOL" --db other.db demo --out d
expect_stdout_fixed "  $FIELDSCHOOL --db other.db agenda list mx-2027"
try_lines "$TMP/db"

finish
