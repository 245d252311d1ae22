#!/bin/bash
# Hand-outs: badges (PDF, QR codes), links (CSV), certificates --pdf.  Read
# back with poppler (pdftotext, pdffonts, pdfinfo) and zbarimg.
. "$(dirname "$0")/lib.sh"

CHECK="$PYTHON $FIELDSCHOOL_SRC/tests/handout_check.py"
new_db
ok fs mission add --title "Field school Manila" --country PH --city Manila \
	--timezone Asia/Manila --start 2027-03-01 --days 3 \
	--contact-name "Ma. Teresa Dela Cruz" --contact-email mt@example.org ph

# people in many scripts; C is applied, X cancelled (no badge, no cert)
cat >p.csv <<'CSV'
ref,given_name,family_name,organization,category,country,language,mission,status,group,email
A1,José,Peña Ñúñez,"Municipality of San José, Batangas",lgu-official,PH,es,ph,confirmed,A,a1@example.org
A2,Françoise,Lefèvre-Dubois,Mairie,agency-head,FR,fr,ph,confirmed,B,a2@example.org
A3,Uwimana,Nyiramana,Akarere ka Gasabo,md-council,RW,rw,ph,confirmed,A,a3@example.org
A4,Ma. Luz,dela Cruz,Lungsod ng Quezon,mrc-staff,PH,fil,ph,confirmed,B,a4@example.org
A5,محمد,العلي,جمعية المهاجرين,lgu-focal,SA,ar,ph,confirmed,A,a5@example.org
A6,अनिल,शर्मा,प्रवासी संघ,migrant-association,IN,hi,ph,confirmed,B,a6@example.org
A7,지민,김,서울시청,academe-ngo-business,KR,ko,ph,confirmed,A,a7@example.org
A8,小明,王,北京大学,lgu-official,CN,zh,ph,confirmed,B,a8@example.org
A9,Ana 🌻,Santos 👩‍👩‍👧,Café ☕ Retorno,agency-head,PH,fil,ph,confirmed,A,a9@example.org
C1,Carmen,Applied,Org,lgu-official,PH,es,ph,applied,,c1@example.org
X1,Xavier,Cancelled,Org,lgu-official,PH,es,ph,cancelled,,x1@example.org
CSV
ok fs participant import p.csv

# errors before a base URL is known: nothing written
fails 3 fs badges ph -o b.pdf
expect_stderr_fixed "no base URL is known for 'ph'"
expect_stderr_fixed "publish ph --out DIR --base-url URL"
check "no badge file without a base URL" test ! -e b.pdf
check "no temporary file left" bash -c '! ls -a | grep -q tmp'
fails 3 fs links ph -o l.csv
expect_stderr_fixed "--base-url"
check "no links file without a base URL" test ! -e l.csv
fails 3 fs badges nosuch -o b.pdf
expect_stderr_fixed "no mission 'nosuch'"
fails 3 fs links nosuch
fails 2 fs badges ph --layout a5-99
expect_stderr_fixed "--layout: 'a5-99'"
fails 2 fs badges
fails 2 fs badges ph -o -

ok fs publish ph --out site --base-url https://example.org/fs/

# links: every registration not cancelled, RFC 4180 with CRLF
ok fs links ph -o l.csv
eq "links rows" "$(csv_rows l.csv)" 10
# every personal address: the owner's only, as index.json, whatever the umask
eq "links -o's mode" "$(stat -c %a l.csv)" 600
check "links header" bash -c "head -1 l.csv | grep -q \$'^ref,given_name,family_name,email,language,page_url,feed_url,webcal_url\r\$'"
check "links lines end in CRLF" bash -c '! grep -qv $'"'"'\r$'"'"' l.csv'
check "links has no cancelled registration" bash -c '! grep -q ^X1, l.csv'
token=$(fs --json token show A5 --mission ph </dev/null | json_field page)
check "links page_url is token show's page" grep -qF "$token" l.csv
check "webcal address" grep -qE ',webcal://example\.org/fs/ph/p/[0-9a-f]{32}\.ics' l.csv
ok fs links ph
eq "links to stdout = links -o" "$(last_stdout | tr -d '\r')" "$(tr -d '\r' <l.csv)"
check "every page published: no note" test ! -s "$LAST_ERR"
# someone registered after the publish: their page answers 404 until the
# next one, and links and badges say so (their output is still right)
ok fs participant add --ref N1 --given-name Nora --family-name Late \
	--category lgu-official --mission ph --status confirmed
ok fs links ph -o l2.csv
expect_stderr_fixed "note: 1 personal page of ph is not published yet"
ok fs badges ph -o b2.pdf
expect_stderr_fixed "note: 1 personal page of ph is not published yet"
ok fs publish ph --out site
ok fs links ph -o l2.csv
check "published again: no note" bash -c "! grep -q note: '$LAST_ERR'"
ok fs participant remove N1 --mission ph
ok fs publish ph --out site
rm -f l2.csv b2.pdf

# badges: one per confirmed participant, 8 a page
ok fs badges ph -o b.pdf
expect_stdout "b.pdf: 9 badges on 2 pages"
eq "badge pages" "$(pdfinfo b.pdf | awk '/^Pages:/ {print $2}')" 2
check "every font embedded" bash -c "pdffonts b.pdf | tail -n +3 | awk '{ if (\$(NF-4) != \"yes\") exit 1 }'"
check "fonts are the Noto fonts named" bash -c "pdffonts b.pdf | grep -q NotoSansArabic && pdffonts b.pdf | grep -q NotoSansDevanagari && pdffonts b.pdf | grep -q NotoSansCJK"
"$PYTHON" - >names.txt <<'PY'
import csv
for r in csv.DictReader(open("p.csv", encoding="utf-8")):
    if r["status"] == "confirmed":
        print(r["given_name"]); print(r["family_name"]); print(r["organization"])
PY
check "pdftotext gives back every name" $CHECK names b.pdf names.txt
"$PYTHON" - >urls.txt <<'PY'
import csv
confirmed = {r["ref"] for r in csv.DictReader(open("p.csv", encoding="utf-8")) if r["status"] == "confirmed"}
for r in csv.DictReader(open("l.csv", encoding="utf-8-sig")):
    if r["ref"] in confirmed: print(r["page_url"])
PY
check "every QR code decodes to the page URL links lists" $CHECK qr b.pdf urls.txt
check "no word leaves its badge" $CHECK bbox b.pdf a4-8
ok fs badges ph --layout a4-10 -o b-a4-10.pdf
expect_stdout "9 badges on 1 page$"
check "no word leaves its badge (a4-10)" $CHECK bbox b-a4-10.pdf a4-10
ok fs badges ph --layout letter-10 -o b-letter-10.pdf
check "no word leaves its badge (letter-10)" $CHECK bbox b-letter-10.pdf letter-10

# the default file name, and facilitators
ok fs agenda add ph --day 1 --start 09:00 --end 12:00 --kind session \
	--title "Policies" --module 1 --facilitators "Dr. Amara Okonkwo;Tomás Ayala"
ok fs agenda add ph --day 1 --start 14:00 --end 16:00 --kind visit \
	--title "Café visit" --place "Café Retorno" --audience group:A
ok fs agenda add ph --day 2 --start 09:00 --end 12:00 --kind session \
	--title "M&D 101" --module 2
ok fs agenda add ph --day 3 --start 09:00 --end 12:00 --kind session \
	--title "Resources" --module 3
ok fs agenda add ph --day 3 --start 13:00 --end 14:00 --kind meal --title Lunch
ok fs badges ph --facilitators
expect_stdout "badges-ph-facilitators.pdf: 2 badges on 1 page"
printf 'Dr. Amara Okonkwo\nTomás Ayala\n' >fac.txt
check "facilitators' names" $CHECK names badges-ph-facilitators.pdf fac.txt
ok fs publish ph --out site
for f in site/ph/facilitator-*.ics; do echo "https://example.org/fs/${f#site/}"; done >facurls.txt
check "facilitator QR codes are their feeds' addresses" $CHECK qr badges-ph-facilitators.pdf facurls.txt

# unwritable output: refused, nothing partial left, an older file kept
fails 4 fs badges ph -o nodir/b.pdf
check "nothing in a missing directory" test ! -e nodir
cp b.pdf b.keep
: >notadir
fails 4 fs badges ph -o notadir/b.pdf
same_file "an older badge file is kept whole" b.pdf b.keep

# hostile names: nothing leaves its box
long=$("$PYTHON" -c 'print("Maximiliano" * 18 + "xy")')   # 200 bytes, the most a name holds
longorg=$("$PYTHON" -c 'print(("Asociación " * 18).strip())')   # 197 characters: a name holds 200
zalgo=$("$PYTHON" -c 'print("Z" + "\u0301\u0316\u0324\u0330\u0353\u035a" * 6 + "algo")')
cat >h.csv <<CSV
ref,given_name,family_name,organization,category,mission,status,group
H1,$long,$long,$longorg,lgu-official,ph,confirmed,A
H2,Q,X,,lgu-official,ph,confirmed,B
H3,Mariam مريم,Al-Farsi الفارسي,منظمة Migrants & Co.,md-council,ph,confirmed,A
H4,$zalgo,Ñ̃̃̃o̊̊̊,,mrc-staff,ph,confirmed,B
H5,😀😀😀😀😀😀😀😀😀😀😀😀,👩‍👩‍👧‍👦🇵🇭🇵🇭🇵🇭🇵🇭🇵🇭🇵🇭,🌻🌻🌻,lgu-focal,ph,confirmed,ZZ
H6,Wolfeschlegelsteinhausenbergerdorffvoralternwarengewissenhaftschaferswessenschafewarenwohlgepflegeundsorgfaltigkeitbeschutzen,Ng,,lgu-official,ph,confirmed,A
CSV
ok fs participant import h.csv
ok fs badges ph -o h.pdf
expect_stdout "15 badges on 2 pages"
check "hostile names stay inside their badges" $CHECK bbox h.pdf a4-8
printf 'Q\nX\nMariam مريم\nAl-Farsi الفارسي\n' >hn.txt
check "short and mixed-direction names come back" $CHECK names h.pdf hn.txt

# certificates: those who qualify, one PDF each and all.pdf
sql "delete from registration where participant_id in (select id from participant where ref like 'H%')"
ok fs certificates ph
qualify=$(last_stdout | tail -n +2 | cut -d, -f1 | sort)
eq "everyone confirmed qualifies by travel dates" "$(echo "$qualify" | wc -l)" 9
ok fs certificates ph --pdf certs
expect_stdout "certs: 9 certificates"
eq "all.pdf pages" "$(pdfinfo certs/all.pdf | awk '/^Pages:/ {print $2}')" 9
for ref in $qualify; do
	check "certs/$ref.pdf is one page" bash -c "pdfinfo certs/$ref.pdf | grep -q '^Pages: *1$'"
done
check "no temporary directory left" bash -c '! ls -a certs | grep -q fs-tmp'
"$PYTHON" - >cn.txt <<'PY'
import csv
for r in csv.DictReader(open("p.csv", encoding="utf-8")):
    if r["status"] == "confirmed":
        print(r["given_name"] + " " + r["family_name"])
PY
check "certificates give back every name" $CHECK names certs/all.pdf cn.txt
check "certificate fonts embedded" bash -c "pdffonts certs/all.pdf | tail -n +3 | awk '{ if (\$(NF-4) != \"yes\") exit 1 }'"
text=$(pdftotext certs/A1.pdf - | tr '\n' ' ')
check "mission, city and dates" grep -q "Field school Manila.*Manila, Philippines · 1–3 March 2027" <<<"$text"
check "organizer" grep -q "Ma. Teresa Dela Cruz" <<<"$text"
# by travel dates every day counts: A (group A) 3+2+3+3 = 11 h, B 9 h
check "hours of group A" grep -q "attended 3 of the 3 days of the field school, 11 hours" <<<"$text"
check "modules" grep -q "Module 1 — .*Module 2 — .*Module 3 — " <<<"$text"
check "hours of group B" bash -c "pdftotext certs/A2.pdf - | tr '\n' ' ' | grep -q '3 days of the field school, 9 hours'"
numbers1=$(pdftotext certs/all.pdf - | grep -o 'Certificate no\. [^ ]*' | sort)
eq "numbers are unique" "$(echo "$numbers1" | sort -u | wc -l)" 9
ok fs certificates ph --pdf certs
numbers2=$(pdftotext certs/all.pdf - | grep -o 'Certificate no\. [^ ]*' | sort)
eq "numbers are stable across runs" "$numbers2" "$numbers1"
n=$(pdftotext certs/A1.pdf - | grep -o 'Certificate no\. [^ ]*' | cut -d' ' -f3)
ok fs certificates --verify "$n"
expect_stdout "^$n	ph	A1$"
# the last check character altered (to 1 when it is 0: the key is random)
[ "${n: -1}" = 0 ] && altered="${n%?}1" || altered="${n%?}0"
fails 3 fs certificates --verify "$altered"
fails 3 fs certificates --verify "PH-000099-ABCDE"

# with attendance: A2 present days 1 and 2, on day 3 only marked for
# the session (3 h): 3 days, 3 + 3 + 3 = 9 h; A1 present day 1 only: no
# certificate (33 %)
day3=$(fs --json agenda list ph </dev/null | "$PYTHON" -c '
import json, sys
print([i["ref"] for i in json.load(sys.stdin) if i["title"] == "Resources"][0])')
ok fs attend mark --date 2027-03-01 A1 A2 A3 A4 A5 A6 A7 A8 A9
ok fs attend mark --date 2027-03-02 A2 A3 A4 A5 A6 A7 A8 A9
ok fs attend mark --date 2027-03-03 A3 A4 A5 A6 A7 A8 A9
ok fs attend mark --date 2027-03-03 --session "$day3" A2
ok fs certificates ph --pdf certs2
expect_stdout "certs2: 8 certificates"
check "no certificate for who does not qualify" test ! -e certs2/A1.pdf
check "session attendance counts" bash -c "pdftotext certs2/A2.pdf - | tr '\n' ' ' | grep -q '3 of the 3 days of the field school, 9 hours'"
check "the same number with attendance" bash -c "pdftotext certs2/A2.pdf - | grep -qF \"\$(pdftotext certs/A2.pdf - | grep 'Certificate no')\""

# refused and failing: nothing partial
fails 2 fs certificates ph --pdf certs3 --all
fails 4 fs certificates ph --pdf notadir/x
ok fs certificates ph --min-percent 100
fails 3 fs certificates nosuch --pdf certs5
check "nothing for an unknown mission" test ! -e certs5

# a ref named like the book: all.pdf stays the book
ok fs participant add --ref all --given-name Eve --family-name Ref \
	--category lgu-official --mission ph --status confirmed
for d in 01 02 03; do ok fs attend mark --date 2027-03-$d all; done
ok fs certificates ph --pdf certs6
check "the ref 'all' gets its own file" test -e "certs6/%61ll.pdf"
eq "all.pdf holds every certificate" "$(pdfinfo certs6/all.pdf | awk '/^Pages:/ {print $2}')" 9
eq "DIR holds the certificates and all.pdf" "$(ls certs6 | wc -l)" 10

# a run killed mid-way (SIGKILL after 3 certificates) leaves its temporary
# directory and the certificates already there whole; the next run removes
# that directory, and nothing that is not a killed run's own: a run in
# progress (its process alive, or its lock held), a link, a directory with a
# subdirectory, another name
for f in certs6/*.pdf; do cp "$f" "$f.before"; done
fails 137 bash -c '"$@"; exit $?' _ env FIELDSCHOOL_TEST_KILL_AFTER=3 \
	"$FIELDSCHOOL" certificates ph --pdf certs6
killed=$(cd certs6 && ls -d .fs-tmp-* 2>/dev/null)
eq "the killed run left its temporary directory" "$(wc -w <<<"$killed")" 1
check "... with certificates in it" test -n "$(ls "certs6/$killed")"
for f in certs6/*.pdf; do
	same_file "killed: $f is whole" "$f" "$f.before"
	rm "$f.before"
done
sleep 300 >/dev/null 2>&1 &
live=$!
BACKGROUND_PIDS+=("$live")
true &
dead=$!
wait "$dead"
mkdir "certs6/.fs-tmp-$live-0" "certs6/.fs-tmp-$dead-7" "certs6/.fs-tmp-$dead-9" \
	"certs6/.fs-tmp-$dead-9/sub" "certs6/.fs-tmp-x" target
touch "certs6/.fs-tmp-$live-0/a.pdf" "certs6/.fs-tmp-$dead-7/a.pdf" \
	"certs6/.fs-tmp-$dead-9/a.pdf" target/keep.pdf
ln -s ../target "certs6/.fs-tmp-$dead-8"
# the lock's holder is the process killed at the end (flock(1) would
# leave its child sleeping, holding the test's output open)
(exec 9<"certs6/.fs-tmp-$dead-7" && flock 9 && exec sleep 300) \
	>/dev/null 2>&1 &
BACKGROUND_PIDS+=("$!")
for _ in {1..50}; do # until flock holds the lock
	flock -n "certs6/.fs-tmp-$dead-7" true || break
	sleep 0.1
done
ok fs certificates ph --pdf certs6
check "the killed run's directory is gone" test ! -e "certs6/$killed"
check "a live process's directory stays" test -e "certs6/.fs-tmp-$live-0/a.pdf"
check "a locked directory stays" test -e "certs6/.fs-tmp-$dead-7/a.pdf"
check "a link stays" test -L "certs6/.fs-tmp-$dead-8"
check "... and what it points to" test -e target/keep.pdf
check "a directory holding a directory stays" test -d "certs6/.fs-tmp-$dead-9/sub"
check "another name stays" test -d "certs6/.fs-tmp-x"
eq "no other temporary left" "$(cd certs6 && ls -d .fs-tmp-* | wc -l)" 5
eq "DIR holds the certificates and all.pdf" "$(ls certs6 | wc -l)" 10
kill "${BACKGROUND_PIDS[@]}" 2>/dev/null

# who no longer qualifies loses the certificate of the last run; a user's
# own files in DIR stay, a certificate's name among them
echo notes >certs6/notes.txt
echo mine >certs6/mine.pdf
for d in 01 02 03; do ok fs attend mark --date 2027-03-$d --absent A9; done
ok fs certificates ph --pdf certs6
expect_stdout "certs6: 8 certificates"
check "A9's old certificate is gone" test ! -e certs6/A9.pdf
check "A8's stays" test -e certs6/A8.pdf
check "the user's file stays" test -e certs6/notes.txt
check "the user's PDF stays" test -e certs6/mine.pdf
eq "DIR holds the certificates, all.pdf and the user's files" "$(ls certs6 | wc -l)" 11
for d in 01 02 03; do ok fs attend mark --date 2027-03-$d A9; done
ok fs certificates ph --pdf certs6
check "A9's certificate is back" test -e certs6/A9.pdf

# a city typed with U+202E does not reverse the date after it on the
# certificate (pdftotext reads the glyphs in the order drawn)
RLO=$'\xe2\x80\xae'
ok fs mission edit ph --city "Manila${RLO}"
ok fs certificates ph --pdf certs7
text=$(pdftotext certs7/A2.pdf - | tr '\n' ' ')
check "an override in the city reverses nothing after it" \
	grep -q "Manila, Philippines · 1–3 March 2027.*Manila, 3 March 2027" <<<"$text"
ok fs mission edit ph --city Manila
finish
