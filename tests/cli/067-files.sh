#!/bin/bash
# Files that cannot be used: one exit status (4) for every path that cannot
# be opened, read or written (missing, a directory, not allowed, disk
# full); "the disk is full" said as such; a database this user cannot write
# still read.
#
# The disk-full cases mount a small tmpfs in a private mount namespace
# (unshare -m, as root); the read-only cases run the reader as 'nobody'
# (setpriv) since root may write anything.  Where this machine allows
# neither, those parts say so and are skipped.
. "$(dirname "$0")/lib.sh"

new_db
add_mission m1
ok fs participant add --ref P1 --given-name Ana --family-name Cruz \
	--category 1 --mission m1 --status confirmed
mkdir adir

# --- a directory, a missing file: exit 4 wherever the path is ----------------------
fails 4 fs --db adir mission list
expect_stderr_fixed "fieldschool: adir: is a directory"
fails 4 fs participant import adir
expect_stderr_fixed "fieldschool: adir: is a directory"
fails 4 fs participant export -o adir
expect_stderr_fixed "adir"
fails 4 fs roster m1 -o adir
fails 4 fs ics m1 -o adir
fails 4 fs --db nosuch.db mission list
expect_stderr_fixed "no database at 'nosuch.db'"
fails 4 fs agenda import nosuch.csv
expect_stderr_fixed "fieldschool: nosuch.csv: No such file or directory"
fails 4 fs participant export -o nosuch/out.csv
expect_lines stderr . 1
# what is in a file is input: exit 3
echo "not a database" >text.db
fails 3 fs --db text.db mission list
printf 'code\n' >bad.csv
fails 3 fs mission import bad.csv

# --- a full disk ----------------------------------------------------------------------
mkdir small
if unshare -m true 2>/dev/null &&
	unshare -m mount -t tmpfs -o size=64k tmpfs small 2>/dev/null; then
	# a mount in a namespace of its own: each command below sets it up
	in_small() { # in_small SIZE SCRIPT
		unshare -m bash -c "mount -t tmpfs -o size=$1 tmpfs small && $2"
	}
	gen_participants big.csv 2000 m1 B
	cp "$FIELDSCHOOL_DB" full.db
	room=$(( $(stat -c %s full.db) / 1024 + 48 ))k
	_run in_small "$room" "cp full.db small/ && \"$FIELDSCHOOL\" --db small/full.db participant import big.csv"
	eq "an import onto a full disk exits 4" "$LAST_STATUS" 4
	expect_stderr_fixed "the disk is full (small/full.db): nothing was changed; free some space and try again"
	expect_no_stderr 'disk I/O error'
	fill="dd if=/dev/zero of=small/filler bs=1k count=64 2>/dev/null;"
	_run in_small 64k "$fill \"$FIELDSCHOOL\" participant export -o small/p.csv"
	eq "an export onto a full disk exits 4" "$LAST_STATUS" 4
	expect_stderr_fixed "fieldschool: writing CSV: the disk is full"
	_run in_small 64k "$fill \"$FIELDSCHOOL\" participant export >small/p.csv"
	eq "standard output onto a full disk exits 4" "$LAST_STATUS" 4
	expect_stderr_fixed "the disk is full"
	_run in_small 64k "$fill \"$FIELDSCHOOL\" roster m1 -o small/r.xlsx"
	eq "a roster onto a full disk exits 4" "$LAST_STATUS" 4
	expect_stderr_fixed "fieldschool: small/r.xlsx: the disk is full"
	_run in_small 64k "$fill \"$FIELDSCHOOL\" ics m1 -o small/m1.ics"
	eq "a feed onto a full disk exits 4" "$LAST_STATUS" 4
	expect_stderr_fixed "the disk is full"
else
	echo "skip: cannot mount a tmpfs here (needs root and unshare -m): no disk-full cases"
fi

# --- a database this user cannot write --------------------------------------------------
mkdir ro
cp "$FIELDSCHOOL_DB" ro/fieldschool.db
chmod 755 ro
chmod 644 ro/fieldschool.db
chmod 711 "$TMP"
as_reader=()
if [[ $(id -u) == 0 ]]; then
	if setpriv --reuid=nobody --regid=nogroup --clear-groups true 2>/dev/null; then
		as_reader=(setpriv --reuid=nobody --regid=nogroup --clear-groups)
	else
		as_reader=(skip)
	fi
else
	chmod 555 ro
	chmod 444 ro/fieldschool.db
fi
# not root: the owner's own permissions stand in for nobody's
unlock_ro() { [[ -n ${as_reader[*]} ]] || chmod -R u+w ro; }
lock_ro() { [[ -n ${as_reader[*]} ]] || { chmod 444 ro/*; chmod 555 ro; }; }
if [[ ${as_reader[0]:-} == skip ]]; then
	echo "skip: root without setpriv: no read-only cases"
else
	sum=$(md5sum <ro/fieldschool.db)
	ok "${as_reader[@]}" "$FIELDSCHOOL" --db ro/fieldschool.db mission list
	expect_stdout '^m1 '
	ok "${as_reader[@]}" "$FIELDSCHOOL" --db ro/fieldschool.db participant show P1
	expect_stdout '^given_name +Ana$'
	ok "${as_reader[@]}" "$FIELDSCHOOL" --db ro/fieldschool.db participant export
	expect_stdout '^P1,Ana,Cruz,'
	# a feed is a read too (the items are marked published by the next
	# command that can write)
	ok "${as_reader[@]}" "$FIELDSCHOOL" --db ro/fieldschool.db ics m1
	expect_stdout '^BEGIN:VCALENDAR'
	fails 4 "${as_reader[@]}" "$FIELDSCHOOL" --db ro/fieldschool.db participant edit --phone 1 P1
	expect_stderr_fixed "ro/fieldschool.db is read-only for this user (the file or its directory is not writable): commands that only read work, this one writes"
	expect_lines stderr . 1
	check "no log left beside a read-only database" test ! -e ro/fieldschool.db-wal
	eq "the read-only database is untouched" "$(md5sum <ro/fieldschool.db)" "$sum"
	# a log that holds changes, with its index: read through it
	unlock_ro
	"$PYTHON" -c '
import os, sqlite3, sys
c = sqlite3.connect(sys.argv[1], isolation_level=None)
c.execute("pragma wal_autocheckpoint = 0")
c.execute("update mission set title = ? where code = ?", ("In the log", "m1"))
os._exit(0)  # leave the log and its index behind' ro/fieldschool.db
	chmod 644 ro/fieldschool.db-wal ro/fieldschool.db-shm
	lock_ro
	ok "${as_reader[@]}" "$FIELDSCHOOL" --db ro/fieldschool.db mission show m1
	expect_stdout '^title +In the log$'
	# the log without its index cannot be read: the message says why
	unlock_ro
	rm ro/fieldschool.db-shm
	lock_ro
	fails 4 "${as_reader[@]}" "$FIELDSCHOOL" --db ro/fieldschool.db mission list
	expect_stderr_fixed "ro/fieldschool.db: read-only for this user, and its write-ahead log (ro/fieldschool.db-wal) holds changes"
	expect_stdout_empty
	# a file this user cannot even read
	unlock_ro
	rm ro/fieldschool.db-wal
	if [[ -n ${as_reader[*]} ]]; then
		chmod 600 ro/fieldschool.db
	else
		chmod 555 ro
		chmod 000 ro/fieldschool.db
	fi
	fails 4 "${as_reader[@]}" "$FIELDSCHOOL" --db ro/fieldschool.db mission list
	expect_stderr_fixed "fieldschool: ro/fieldschool.db: Permission denied"
	expect_lines stderr . 1
fi
chmod 700 "$TMP"
chmod -R u+w ro

# --- secrets: the database and the list of personal addresses are the owner's ---------
# Names, phones, dietary and accessibility needs and feed tokens: a new
# database is made 0600 whatever the umask (SQLite gives its log and index
# the same mode); `links -o` too (400-handouts.sh).  An export follows
# the umask, as any file a user asks for.
saved_umask=$(umask)
umask 022
rm -f own.db own.db-wal own.db-shm
ok fs --db own.db init
eq "a new database's mode" "$(stat -c %a own.db)" 600
chmod 640 own.db
ok fs --db own.db mission list
eq "a mode the owner chose stays" "$(stat -c %a own.db)" 640
ok fs participant export -o people.csv
eq "an export's mode follows the umask" "$(stat -c %a people.csv)" 644
umask "$saved_umask"

finish
