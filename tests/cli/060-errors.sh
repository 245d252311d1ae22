#!/bin/bash
# Files that cannot be imported, databases that cannot be opened, things
# that are not there, and exports that must be all or nothing.
. "$(dirname "$0")/lib.sh"

new_db
add_mission m1
printf 'ref,given_name,family_name,category,mission\nR1,Ana,Cruz,1,m1\n' >good.csv
ok fs participant import good.csv
snapshot start

# --- files that are not CSV files ---------------------------------------------------
for kind in participant agenda mission; do
	fails 4 fs $kind import missing.csv
	expect_stderr_fixed "fieldschool: missing.csv: No such file or directory"
	fails 4 fs $kind import "$TMP/no/such/dir/file.csv"
	expect_stderr_fixed "$TMP/no/such/dir/file.csv: No such file or directory"
done
mkdir adir
fails 4 fs participant import adir
expect_stderr_fixed "fieldschool: adir: is a directory"
: >empty.csv
fails 3 fs participant import empty.csv
expect_stderr_fixed "fieldschool: empty.csv: empty file (expected a header row)"
fails 3 fs agenda import empty.csv
expect_stderr_fixed "empty.csv: empty file"
printf '\xef\xbb\xbf' >bom-only.csv
fails 3 fs participant import bom-only.csv
expect_stderr_fixed "bom-only.csv: empty file"
printf '\n\r\n\n' >blank.csv
fails 3 fs participant import blank.csv
expect_stderr_fixed "blank.csv: empty file"
unchanged_since start
printf 'ref,given_name,family_name,category\r\n' >header-only.csv
ok fs participant import header-only.csv
expect_stdout '^header-only.csv: 0 rows: 0 added, 0 changed, 0 unchanged$'
unchanged_since start

# --- broken CSV --------------------------------------------------------------------
printf 'ref,given_name,family_name,category\nQ1,Ana,Cruz,1\nQ2,Ana,"Cruz,1\nQ3,Ana,Cruz,1\n' >open-quote.csv
fails 3 fs participant import open-quote.csv
expect_stderr_fixed "open-quote.csv:3: family_name: quoted field not closed before the end of the file"
printf 'ref,given_name,family_name,category\nQ1,Ana,Cruz,1\nQ2,Ana,Cr"uz,1\n' >stray-quote.csv
fails 3 fs participant import stray-quote.csv
expect_stderr_fixed "stray-quote.csv:3: family_name: quote inside an unquoted field"
printf 'ref,given_name,family_name,category\nQ1,Ana,"Cruz"x,1\n' >after-quote.csv
fails 3 fs participant import after-quote.csv
expect_stderr_fixed "after-quote.csv:2: family_name: text after the closing quote of a field"
printf 'ref,given_name,family_name,category\nQ1,Ana,Cr\0uz,1\n' >nul.csv
fails 3 fs participant import nul.csv
expect_stderr_fixed "nul.csv:2: family_name: NUL byte in the text"
# a field past the header's is named by its number
printf 'ref,given_name,family_name,category\nQ1,Ana,Cruz,1,Cr"uz\n' >extra-field.csv
fails 3 fs participant import extra-field.csv
expect_stderr_fixed "extra-field.csv:2: field 5: quote inside an unquoted field"
# What a spreadsheet saves in some languages, or as "Unicode Text": one
# problem that says how to save it, not a column or NUL byte per field.
printf 'ref;given_name;family_name;category\r\nQ1;Ana;Cruz;1\r\n' >semicolons.csv
fails 3 fs participant import semicolons.csv
expect_stderr_fixed "semicolons.csv:1: the columns are separated by semicolons, not commas: save the file as CSV with commas (in Excel: CSV UTF-8 (Comma delimited); in LibreOffice: field delimiter ',')"
expect_stderr_fixed "fieldschool: semicolons.csv: 1 problem, nothing imported"
printf 'ref\tgiven_name\tfamily_name\tcategory\nQ1\tAna\tCruz\t1\n' >tabs.csv
fails 3 fs participant import tabs.csv
expect_stderr_fixed "tabs.csv:1: the columns are separated by tabs, not commas"
printf 'ref,given_name,family_name,category\nQ1,Ana,Cruz,1\n' | iconv -f UTF-8 -t UTF-16 >utf16.csv
fails 3 fs participant import utf16.csv
expect_stderr_fixed "fieldschool: utf16.csv:1: UTF-16 text: save the file as CSV in UTF-8 (in Excel: CSV UTF-8 (Comma delimited))"
printf 'ref,given_name,family_name,category\nQ1,Ana,Cruz,1\n' | iconv -f UTF-8 -t UTF-16BE | { printf '\xfe\xff'; cat; } >utf16be.csv
fails 3 fs participant import utf16be.csv
expect_stderr_fixed "utf16be.csv:1: UTF-16 text"
unchanged_since start
# A broken line after rows with bad values: the bad values and the broken
# line are all reported.
printf 'ref,given_name,family_name,category\nQ1,Ana,Cruz,nosuch\nQ2,Ana,Cr"uz,1\n' >bad-then-broken.csv
fails 3 fs participant import bad-then-broken.csv
expect_stderr_fixed "bad-then-broken.csv:2: category: unknown category 'nosuch'"
expect_stderr_fixed "bad-then-broken.csv:3: family_name: quote inside an unquoted field"
unchanged_since start

# --- databases that cannot be used ----------------------------------------------------
fails 4 fs --db "$TMP/adir" mission list
expect_stderr_fixed "fieldschool: $TMP/adir: is a directory"
echo "just some text, not a database" >text.db
sum=$(md5sum <text.db)
fails 3 fs --db text.db mission list
expect_stderr_fixed "text.db"
expect_stderr_fixed "not a fieldschool database"
eq "text file given as --db untouched" "$(md5sum <text.db)" "$sum"
sqlite3 other.db 'create table notes (t text)'
fails 3 fs --db other.db mission list
expect_stderr_fixed "fieldschool: other.db: not a fieldschool database"
eq "foreign database untouched" "$(DB=other.db sql 'select count(*) from sqlite_schema')" 1
cp "$FIELDSCHOOL_DB" newer.db
DB=newer.db sql 'pragma user_version = 999'
fails 3 fs --db newer.db mission list
expect_stderr_fixed "newer.db: schema version 999 is newer than this fieldschool knows"
fails 2 fs --db
expect_stderr_fixed "--db needs a file name"
fails 2 fs --db= mission list
expect_stderr_fixed "--db needs a file name"
# --db=FILE and --db after the command work too
ok fs mission list --db="$FIELDSCHOOL_DB"
expect_stdout '^m1 '
ok fs mission list --db "$FIELDSCHOOL_DB"
expect_stdout '^m1 '

# --- not found, already there ------------------------------------------------------------
fails 3 fs participant show nope
expect_stderr_fixed "fieldschool: no participant 'nope'"
fails 3 fs participant edit --status confirmed nope
expect_stderr_fixed "fieldschool: no participant 'nope'"
fails 3 fs participant remove nope
expect_stderr_fixed "fieldschool: no participant 'nope'"
fails 3 fs participant remove --mission m1 nope
expect_stderr_fixed "no participant 'nope' registered for m1"
fails 3 fs participant list zz
expect_stderr_fixed "fieldschool: no mission 'zz'"
fails 3 fs mission show zz
expect_stderr_fixed "fieldschool: no mission 'zz'"
fails 3 fs agenda list zz
expect_stderr_fixed "fieldschool: no mission 'zz'"
fails 3 fs agenda show nope
expect_stderr_fixed "fieldschool: no agenda item 'nope'"
fails 3 fs agenda edit --title x nope
expect_stderr_fixed "fieldschool: no agenda item 'nope'"
fails 3 fs agenda cancel nope
expect_stderr_fixed "no agenda item 'nope'"
fails 3 fs participant add --ref R1 --given-name A --family-name B --category 1
expect_stderr_fixed "fieldschool: participant 'R1' exists"
fails 3 fs participant add --given-name A --family-name B --category 99
expect_stderr_fixed "--category: unknown category '99'"
ok fs agenda add --ref I1 --day 1 --start 09:00 --end 10:00 --kind session --title T m1
fails 3 fs agenda add --ref I1 --day 2 --start 09:00 --end 10:00 --kind session --title T m1
expect_stderr_fixed "agenda item 'I1' exists in m1"
ok fs agenda remove I1
fails 3 fs category add --name "LGU officials again" lgu-official
expect_stderr lgu-official
snapshot start

# --- exports: complete or absent ----------------------------------------------------------
fails 3 fs agenda export -o out.csv zz
expect_stderr_fixed "fieldschool: no mission 'zz'"
check "no file left by a failed export" test ! -e out.csv
check "no temporary file left by a failed export" test -z "$(ls -A | grep -F out.csv)"
echo "previous contents" >kept.csv
fails 3 fs participant export -o kept.csv zz
eq "a failed export leaves the existing file alone" "$(cat kept.csv)" "previous contents"
check "no temporary file next to kept.csv" test -z "$(ls -A | grep -F kept.csv.)"
fails 4 fs participant export -o "$TMP/no/such/dir/out.csv"
expect_stderr_fixed "$TMP/no/such/dir/out.csv"
mkdir outdir
fails 4 fs participant export -o outdir
expect_stderr_fixed outdir
check "no temporary file left by an export onto a directory" test -z "$(ls -A | grep -F outdir.)"
check "the directory is left alone" test -d outdir
unchanged_since start

# -o - is standard output.
ok fs participant export
cp "$LAST_OUT" stdout-export.csv
ok fs participant export -o -
same_file "export -o - writes standard output" stdout-export.csv "$LAST_OUT"
check "no file named '-'" test ! -e ./-

# While an export -o runs, the file holds the old contents or the whole new
# ones, never a part.
gen_participants big.csv 15000 m1 B
ok fs participant import big.csv
ok fs participant export
cp "$LAST_OUT" final.csv
echo "old" >live.csv
old_sum=$(md5sum <live.csv)
new_sum=$(md5sum <final.csv)
"$FIELDSCHOOL" participant export -o live.csv </dev/null &
pid=$!
BACKGROUND_PIDS+=("$pid")
declare -A seen=()
samples=0
while kill -0 "$pid" 2>/dev/null; do
	seen[$(md5sum <live.csv)]=1
	samples=$((samples + 1))
done
wait "$pid"
eq "background export -o status" $? 0
seen[$(md5sum <live.csv)]=1
bad_versions=0
for s in "${!seen[@]}"; do
	[[ $s == "$old_sum" || $s == "$new_sum" ]] || bad_versions=$((bad_versions + 1))
done
eq "partial versions of live.csv seen in $samples reads" "$bad_versions" 0
same_file "live.csv is the whole export" final.csv live.csv
check "no temporary file left by the export" test -z "$(ls -A | grep -F live.csv.)"

finish
