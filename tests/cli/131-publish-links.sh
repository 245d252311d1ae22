#!/bin/bash
# publish never follows a symbolic link inside the output directory: a link
# planted in place of a mission's directory or its p/ is refused (nothing
# written or deleted where it points), a link in place of a feed file or
# index.json is replaced, never written through, read or chmod'ed, and a
# link the sweep finds is removed itself, not its target.  The output
# directory itself may be a link.
. "$(dirname "$0")/lib.sh"

ok fs init
ok fs mission add --title "Link school" --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 \
	--contact-name "Ana Cruz" --contact-email ana@example.org m1
cat >agenda.csv <<'EOF'
ref,mission,day,start,end,kind,title,audience,facilitators
O1,m1,1,09:00,10:00,session,Opening,all,Ana Reyes
V1,m1,2,10:00,12:00,visit,Visit A,group:A,
EOF
ok fs agenda import agenda.csv
cat >people.csv <<'EOF'
ref,given_name,family_name,category,mission,status,group
R1,Given1,Family1,lgu-official,m1,confirmed,A
R2,Given2,Family2,mrc-staff,m1,confirmed,A
EOF
ok fs participant import people.csv

OUT=$TMP/out
# victim: a directory elsewhere that a planted link points to; its files
# must never change
new_victim() {
	rm -rf "$TMP/victim"
	mkdir -p "$TMP/victim"
	printf 'not yours\n' >"$TMP/victim/keep.ics"
	printf 'half\n' >"$TMP/victim/.fs-tmp-1-1"
	printf 'secret\n' >"$TMP/victim/secret.txt"
	chmod 0644 "$TMP/victim/secret.txt"
	(cd "$TMP/victim" && find . -type f -printf '%p %s %m %T@\n' | sort) \
		>"$TMP/victim.before"
}
victim_untouched() {
	(cd "$TMP/victim" && find . -type f -printf '%p %s %m %T@\n' | sort) \
		>"$TMP/victim.after"
	same_file "$1: nothing written, changed or deleted where the link points" \
		"$TMP/victim.before" "$TMP/victim.after"
}

# --- p/ replaced by a link to another directory ------------------------------
ok fs publish m1 --out "$OUT"
new_victim
rm -rf "$OUT/m1/p"
ln -s "$TMP/victim" "$OUT/m1/p"
ok fs agenda edit O1 --title "Opening plenary" # every feed must change
fails 3 fs publish m1 --out "$OUT"
expect_stderr_fixed "fieldschool: $OUT/m1/p: a symbolic link, not a directory: publish never follows a link inside the output directory (remove it)"
victim_untouched "m1/p a link"
check "the link is left as it was" test -L "$OUT/m1/p"
rm "$OUT/m1/p"
ok fs publish m1 --out "$OUT"
eq "with the link removed, publish writes p/ again" \
	"$(find "$OUT/m1/p" -name '*.ics' | wc -l)" 2

# --- the mission's directory replaced by a link ------------------------------
new_victim
mv "$OUT/m1" "$TMP/m1.moved"
ln -s "$TMP/victim" "$OUT/m1"
fails 3 fs publish m1 --out "$OUT"
expect_stderr_fixed "fieldschool: $OUT/m1: a symbolic link, not a directory"
victim_untouched "m1 a link"
rm "$OUT/m1"
mv "$TMP/m1.moved" "$OUT/m1"

# --- a file where a directory belongs ------------------------------------------
mv "$OUT/m1/p" "$TMP/p.moved"
printf 'x\n' >"$OUT/m1/p"
fails 3 fs publish m1 --out "$OUT"
expect_stderr_fixed "fieldschool: $OUT/m1/p: not a directory (remove it)"
rm "$OUT/m1/p"
mv "$TMP/p.moved" "$OUT/m1/p"
ok fs publish m1 --out "$OUT"

# --- links in place of feed files and of index.json ---------------------------
new_victim
group=$OUT/m1/group-A.ics
token_file=$(find "$OUT/m1/p" -name '*.ics' | head -1)
cp "$group" "$TMP/group-A.before"
rm "$group" "$token_file" "$OUT/m1/index.json"
ln -s "$TMP/victim/secret.txt" "$group"
ln -s "$TMP/victim/keep.ics" "$token_file"
ln -s "$TMP/victim/secret.txt" "$OUT/m1/index.json"
# nothing changed in the database: the links must still be seen as not
# current and replaced
ok fs --json publish m1 --out "$OUT"
eq "three files written where the links were" "$(json_field written <"$LAST_OUT")" 3
victim_untouched "links in place of files"
check "group-A.ics is a regular file again" test -f "$group" -a ! -L "$group"
check "the personal feed is a regular file again" test -f "$token_file" -a ! -L "$token_file"
check "index.json is a regular file again" test -f "$OUT/m1/index.json" -a ! -L "$OUT/m1/index.json"
same_file "group-A.ics holds the feed" "$group" "$TMP/group-A.before"
eq "index.json is private" "$(stat -c %a "$OUT/m1/index.json")" 600

# --- a link the sweep finds ----------------------------------------------------
new_victim
ln -s "$TMP/victim/keep.ics" "$OUT/m1/p/0123456789abcdef0123456789abcdef.ics"
ln -s "$TMP/victim/keep.ics" "$OUT/m1/group-Z.ics"
ln -s "$TMP/victim/.fs-tmp-1-1" "$OUT/m1/p/.fs-tmp-99-1"
ok fs --json publish m1 --out "$OUT"
eq "the sweep removes the two links" "$(json_field removed <"$LAST_OUT")" 2
check "no link left" test -z "$(find "$OUT" -type l)"
victim_untouched "links found by the sweep"

# --- the output directory itself may be a link ---------------------------------
mkdir "$TMP/real"
ln -s "$TMP/real" "$TMP/feeds-link"
ok fs publish m1 --out "$TMP/feeds-link"
eq "publishing through a link to the output directory" \
	"$(find "$TMP/real/m1" -name '*.ics' | wc -l)" 5

finish
