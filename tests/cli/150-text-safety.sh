#!/bin/bash
# Text on the way in: control characters (C0, DEL, C1) refused in every
# field, on every path (add/edit options, each CSV format, place,
# facilitator, category), line breaks and tabs only in addresses,
# descriptions and notes; one limit per kind of field, counted in characters (names 200,
# titles 300, addresses 500, descriptions and notes 10,000).  On the way
# out: control characters already stored (older databases) or in a file
# being reported on never reach the terminal raw.  Directional controls
# (U+202A-U+202E, U+2066-U+2069) are kept as typed, but cannot reorder
# other text: paired and isolated on the pages (tests/page_check.py),
# shown as escapes in tables.
. "$(dirname "$0")/lib.sh"

ESC=$'\x1b'
CSI=$'\xc2\x9b' # U+009B, a C1 control: some terminals obey it as ESC [
DEL=$'\x7f'
rep() { "$PYTHON" -c 'import sys; print(sys.argv[1] * int(sys.argv[2]), end="")' "$1" "$2"; }

ok fs init
add_mission m1

# --- options of add and edit --------------------------------------------------
fails 3 fs mission add --title "Bad${ESC}[2J" --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 m2
expect_stderr_fixed "fieldschool: --title: control character U+001B at character 4: not allowed in text"
fails 3 fs mission edit m1 --city "Ma${CSI}nila"
expect_stderr_fixed "fieldschool: --city: control character U+009B at character 3: not allowed in text"
fails 3 fs participant add --given-name "A${DEL}" --family-name Cruz --category 1
expect_stderr_fixed "fieldschool: --given-name: control character U+007F at character 2: not allowed in text"
fails 3 fs participant add --given-name $'Ana\nMaria' --family-name Cruz --category 1
expect_stderr_fixed "fieldschool: --given-name: a line break at character 4: a name is one line (only addresses, descriptions and notes may hold several)"
fails 3 fs participant add --given-name $'Ana\tMaria' --family-name Cruz --category 1
expect_stderr_fixed "fieldschool: --given-name: control character U+0009 at character 4"
ok fs participant add --given-name Ana --family-name Cruz --category 1 \
	--dietary $'no pork\nno nuts' --accessibility $'ramp\tplease'
ref=$(last_stdout)
fails 3 fs participant edit "$ref" --organization "Org${ESC}"
expect_stderr_fixed "fieldschool: --organization: control character U+001B"
fails 3 fs participant edit "$ref" --dietary $'bell\a'
expect_stderr_fixed "fieldschool: --dietary: control character U+0007 at character 5"
fails 3 fs participant edit "$ref" --dietary $'lone\rcarriage return'
expect_stderr_fixed "fieldschool: --dietary: a line break at character 5"
ok fs participant edit "$ref" --dietary $'CRLF\r\nline ends'
fails 3 fs agenda add m1 --day 1 --start 09:00 --end 10:00 --kind session \
	--title "Opening" --description "x${ESC}y"
expect_stderr_fixed "fieldschool: --description: control character U+001B at character 2"
fails 3 fs agenda add m1 --day 1 --start 09:00 --end 10:00 --kind session \
	--title "Opening" --facilitators "Ana${ESC}"
expect_stderr_fixed "fieldschool: --facilitators: control character U+001B"
fails 3 fs place add "Hall${ESC}"
expect_stderr_fixed "fieldschool: place name: control character U+001B"
fails 3 fs place add Hall --address $'Street 1\x1b'
expect_stderr_fixed "fieldschool: --address: control character U+001B at character 9"
ok fs place add Hall --address $'Street 1\nManila'
fails 3 fs mission edit m1 --venue $'Hall\nB'
expect_stderr_fixed "fieldschool: --venue: a line break at character 5: a name is one line (only addresses, descriptions and notes may hold several)"
fails 3 fs facilitator add "Dr${CSI}"
expect_stderr_fixed "fieldschool: facilitator name: control character U+009B"
fails 3 fs facilitator add Ana --organization "Org${ESC}"
expect_stderr_fixed "fieldschool: --organization: control character U+001B"
fails 3 fs category add extra --name "Extra${ESC}"
expect_stderr_fixed "fieldschool: --name: control character U+001B"

# --- each CSV format -------------------------------------------------------------
printf 'code,title,country,city,timezone,start,days\nm3,"Bad\x1b[2J",PH,Manila,Asia/Manila,2027-03-01,3\n' >m.csv
fails 3 fs mission import m.csv
expect_stderr_fixed "m.csv:2: title: control character U+001B at character 4: not allowed in text"
printf 'given_name,family_name,category\n"Ana\nMaria",Cruz,1\nBen,"Cruz\xc2\x85",1\nCai,Lim,1\n' >p.csv
fails 3 fs participant import p.csv
expect_stderr_fixed "p.csv:2: given_name: a line break at character 4: a name is one line"
expect_stderr_fixed "p.csv:4: family_name: control character U+0085 at character 5"
printf 'mission,day,start,end,kind,title,description,facilitators\nm1,1,09:00,10:00,session,"Tab\there","fine\non two lines",\nm1,1,10:00,11:00,session,Ok,,"Ana;Ben\x1b"\n' >a.csv
fails 3 fs agenda import a.csv
expect_stderr_fixed "a.csv:2: title: control character U+0009 at character 4"
expect_stderr_fixed "a.csv:4: facilitators: control character U+001B at character 8"
expect_no_stderr "a.csv:2: description"
printf 'ref,date,session\n%s,2027-03-01,"S\x1b"\n' "$ref" >att.csv
fails 3 fs attend import att.csv
expect_stderr_fixed "att.csv:2: session: control character U+001B at character 2"
eq "nothing imported: one participant" "$(sql 'select count(*) from participant')" 1

# --- lengths, in characters -----------------------------------------------------
ok fs mission edit m1 --title "$(rep é 300)"
fails 3 fs mission edit m1 --title "$(rep é 301)"
expect_stderr_fixed "fieldschool: --title: 301 characters: a title holds at most 300"
ok fs participant edit "$ref" --family-name "$(rep 👩 200)"
fails 3 fs participant edit "$ref" --family-name "$(rep 👩 201)"
expect_stderr_fixed "fieldschool: --family-name: 201 characters: a name holds at most 200"
fails 3 fs facilitator add "$(rep x 10000)"
expect_stderr_fixed "fieldschool: facilitator name: 10000 characters: a name holds at most 200"
fails 3 fs agenda add m1 --day 1 --start 09:00 --end 10:00 --kind session \
	--title Opening --facilitators "Ana;$(rep x 201)"
expect_stderr_fixed "fieldschool: --facilitators: 201 characters: a name holds at most 200"
fails 3 fs place add Hall --address "$(rep a 501)"
expect_stderr_fixed "fieldschool: --address: 501 characters: an address holds at most 500"
ok fs agenda add m1 --day 1 --start 09:00 --end 10:00 --kind session \
	--title "$(rep t 300)" --place Hall --address "$(rep a 500)" \
	--description "$(rep d 10000)"
item=$(last_stdout)
fails 3 fs agenda edit "$item" --description "$(rep d 10001)"
expect_stderr_fixed "fieldschool: --description: 10001 characters: a description or note holds at most 10000"
printf 'mission,day,start,end,kind,title\nm1,1,11:00,12:00,session,%s\n' "$(rep t 24000)" >long.csv
fails 3 fs agenda import long.csv
expect_stderr_fixed "long.csv:2: title: 24000 characters: a title holds at most 300"
printf 'ref,given_name,family_name,category\n%s,%s,Cruz,1\n' "$ref" "$(rep n 201)" >longp.csv
fails 3 fs participant import longp.csv
expect_stderr_fixed "longp.csv:2: given_name: 201 characters: a name holds at most 200"

# --- what an older version stored never reaches the terminal raw ---------------
sql "update participant set given_name = 'Evil' || char(27) || '[2J' || char(155) || 'x'
	where ref = '$ref'"
sql "update item set title = 'Clear' || char(27) || 'c', description = 'a' || char(7)
	where ref = '$item'"
sql "update mission set city = 'Ma' || char(27) || '[31mnila' where code = 'm1'"
no_raw_control() { # the last command printed no control character but LF
	if LC_ALL=C grep -q "[$(printf '\001-\011\013-\037\177')]" "$LAST_OUT" "$LAST_ERR" ||
		grep -q $'\xc2[\x80-\x9f]' "$LAST_OUT" "$LAST_ERR"; then
		_fail "$1: a raw control character was printed" "$(_last_output | cat -A | head -20)"
	else
		_pass "$1: no raw control character"
	fi
}
ok fs participant list
no_raw_control "participant list"
expect_stdout_fixed 'Evil\x1b[2J\u009bx'
ok fs participant show "$ref"
no_raw_control "participant show"
expect_stdout_fixed 'Evil\x1b[2J\u009bx'
expect_stdout_fixed "CRLF"
ok fs agenda list m1
no_raw_control "agenda list"
expect_stdout_fixed 'Clear\x1bc'
ok fs agenda show "$item"
no_raw_control "agenda show"
ok fs mission list
no_raw_control "mission list"
ok fs mission show m1
no_raw_control "mission show"
expect_stdout_fixed 'Ma\x1b[31mnila'
# exports and JSON stay exact: the bytes are the data
ok fs participant export
check "participant export keeps the stored bytes" grep -q "Evil${ESC}\[2J" "$LAST_OUT"
ok fs --json participant show "$ref"
expect_stdout_fixed 'Evil\u001b[2J\u009bx'
# messages quote values: a ref typed with an ESC sequence, a CSV file's
# name
fails 3 fs participant show "P${ESC}[2J"
no_raw_control "a message quoting a value"
expect_stderr_fixed "'P\x1b[2J'"
printf 'given_name,family_name,category\nAna,,1\n' >"bad${ESC}[2J.csv"
fails 3 fs participant import "bad${ESC}[2J.csv"
no_raw_control "an import's problems"

# --- directional controls: stored as typed, isolated where shown ----------
LRE=$'\xe2\x80\xaa' RLE=$'\xe2\x80\xab' PDF=$'\xe2\x80\xac' RLO=$'\xe2\x80\xae'
LRI=$'\xe2\x81\xa6' RLI=$'\xe2\x81\xa7' PDI=$'\xe2\x81\xa9'
new_db
ok fs mission add --title "Field ${PDI}${RLO}school" --country PH \
	--city "Manila${RLO}" --timezone Asia/Manila --start 2027-03-01 --days 3 \
	--venue "Hall ${RLE}A" --address "${LRI}Street 1" b1
printf '%s\n' 'ref,mission,day,start,end,kind,title,place,host,audience,facilitators,description' \
	"B1,b1,1,09:00,10:00,session,${RLO}Opening,Annex ${LRE}x,${RLI}Host,all,Ana${RLO};Ben,one ${RLO}line${PDF}${PDF}" \
	"B2,b1,1,10:00,11:00,session,Next ${PDI}item,,,all,,مرحبا ${RLO}" >bidi.csv
ok fs agenda import bidi.csv
printf '%s\n' 'given_name,family_name,category,mission,status' \
	"Eve${RLO},${PDI}${PDF}Cruz,1,b1,confirmed" "محمد,Ali${RLE},1,b1,confirmed" >bidip.csv
ok fs participant import bidip.csv
eq "stored as typed" "$(sql "select given_name from participant where family_name like '%Cruz'")" "Eve${RLO}"
ok fs publish b1 --out pages
out=$("$PYTHON" "$FIELDSCHOOL_SRC/tests/page_check.py" pages 2>&1)
check "pages: directional controls paired, right-to-left text isolated" \
	test -z "$(grep -v '^page_check:' <<<"$out")"
[[ -z $(grep -v '^page_check:' <<<"$out") ]] || printf '%s\n' "$out" | head -20
check "the time zone line: the city isolated, the offset after it" grep -q \
	"local time in <bdi>Manila${RLO}${PDF}</bdi> (Asia/Manila, UTC+08:00)" pages/b1/index.html
check "facilitators: each name isolated" grep -q \
	"Facilitators: <bdi>Ana${RLO}${PDF}</bdi>, Ben</p>" pages/b1/index.html
check "a lone pop dropped" grep -q "<bdi>Field ${RLO}school${PDF}</bdi>" pages/b1/index.html
check "Arabic text isolated, in its own direction" grep -q \
	"<p class=\"desc\"><bdi>مرحبا ${RLO}${PDF}</bdi></p>" pages/b1/index.html
check "a name: one isolate, each part paired" grep -q \
	"Agenda of <bdi>محمد Ali${RLE}${PDF}</bdi>" pages/b1/p/*.html
check "Latin text gets no wrapper" grep -q '<p class="t">Next item</p>' pages/b1/index.html
no_raw_bidi() { # the last command printed no directional control raw
	if LC_ALL=C grep -q $'\xe2\x80[\xaa-\xae]\|\xe2\x81[\xa6-\xa9]' "$LAST_OUT"; then
		_fail "$1: a raw directional control was printed"
	else
		_pass "$1: no raw directional control"
	fi
}
ok fs participant list
no_raw_control "participant list"
expect_stdout_fixed 'Eve\u202e'
no_raw_bidi "participant list"
ok fs agenda list b1
expect_stdout_fixed 'Ana\u202e'
no_raw_bidi "agenda list"
ok fs participant export b1
check "participant export keeps the controls" grep -q "Eve${RLO}" "$LAST_OUT"

finish
