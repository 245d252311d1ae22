#!/bin/bash
# Round trips: a file in the export's own form comes back byte for byte;
# re-importing an export changes nothing; editing one field changes one
# record; refs are generated for people without one, and the email is the
# key when there is no ref.
. "$(dirname "$0")/lib.sh"

new_db

# --- byte for byte -----------------------------------------------------------------
# Files written exactly as fieldschool writes them (a byte order mark,
# header in format order, CRLF, quotes only where needed, values in their
# stored form, an apostrophe before what a spreadsheet would run as a
# formula: +52 ...) must come back identical from export.
"$PYTHON" - <<'EOF'
import re
def guarded(v):
    s = v.lstrip("'")
    plain = re.fullmatch(r"[+-]?[0-9]*[.]?[0-9]*", v) and re.search("[0-9]", v)
    return s[:1] != "" and s[0] in "=+-@\t\r" and (s != v or not plain)
def field(v):
    g = "'" if guarded(v) else ""
    if any(c in v for c in ',"\r\n'):
        return '"' + g + v.replace('"', '""') + '"'
    return g + v
def write(path, rows):
    with open(path, "wb") as f:
        f.write(b"\xef\xbb\xbf")
        for r in rows:
            f.write((",".join(field(v) for v in r) + "\r\n").encode("utf-8"))

write("missions.csv", [
    "code,title,country,city,timezone,start,days,venue,address,lat,lon,capacity,currency,per_diem,nightly_rate,contact_name,contact_email,quotas,travel_share,meal_deduction".split(","),
    ["mx-rt", "Field School — Ciudad de México", "MX", "Ciudad de México",
     "America/Mexico_City", "2027-05-10", "4", "Centro Cultural Tlatelolco",
     "Av. Ricardo Flores Magón 1,\nTlatelolco", "19.4504", "-99.1373", "60",
     "MXN", "1800", "2300.50", "Paulina Orozco", "paulina@example.org",
     "lgu-official=10;mrc-staff=4", "50", "120.50"],
    ["ph-rt", 'The "Manila" school', "PH", "Manila", "Asia/Manila",
     "2027-09-13", "3", "", "", "", "", "", "", "", "", "", "", "", "75",
     "0"],
])
P = "ref,given_name,family_name,email,phone,organization,position,category,country,language,dietary,accessibility,mission,status,arrival,departure,funded,group".split(",")
write("participants.csv", [P,
    ["MX-001", "Zoé", "Navarro Guzmán", "zoe@example.org", "+52 378 146 0539",
     'Municipio de "Tepatitlán", Jalisco', "Enlace", "lgu-focal", "MX", "es",
     "vegetariana", "", "mx-rt", "confirmed", "2027-05-09",
     "2027-05-14T06:05", "yes", "A"],
    ["MX-001", "Zoé", "Navarro Guzmán", "zoe@example.org", "+52 378 146 0539",
     'Municipio de "Tepatitlán", Jalisco', "Enlace", "lgu-focal", "MX", "es",
     "vegetariana", "", "ph-rt", "waitlisted", "", "", "no", ""],
    ["RW-001", "Jean d'Amour", "Nyiransabimana", "", "", "Akarere ka Gasabo",
     "", "mrc-staff", "RW", "rw", "", "needs a ramp\r\nand a quiet room",
     "mx-rt", "applied", "2027-05-10T07:00", "2027-05-13", "yes", ""],
    ["PH-001", "Ma. Luningning", "dela Cruz", "", "", "Barangay Maligaya, QC",
     "Kagawad", "lgu-official", "PH", "fil", "walang baboy", "", "ph-rt",
     "cancelled", "", "", "yes", "B"],
    ["KR-001", "지민", "김", "", "", "서울특별시", "", "agency-head", "KR", "ko",
     "", "", "", "", "", "", "", ""],
    ["EG-001", "محمد", "العلي", "", "", "وزارة الخارجية", "", "md-council",
     "EG", "ar", "حلال", "", "ph-rt", "applied", "", "", "yes", ""],
    ["DE-001", "Jose\u0301", "Müller", "", "", "=HYPERLINK(\"x\")", "",
     "academe-ngo-business", "DE", "de", "", "", "", "", "", "", "", ""],
])
A = "ref,mission,day,date,start,end,kind,title,module,place,address,lat,lon,host,capacity,audience,facilitators,description".split(",")
write("agenda.csv", [A,
    ["mx-A1", "mx-rt", "1", "2027-05-10", "08:30", "09:30", "ceremony",
     "Ceremonia de inauguración / Opening", "", "Centro Cultural Tlatelolco",
     "Av. Ricardo Flores Magón 1, Tlatelolco", "19.4504", "-99.1373", "", "",
     "all", "Dra. Mariana Téllez;Dr. Tomás Ayala", 'Welcome, "bienvenidos"\nand more'],
    ["mx-A2", "mx-rt", "2", "2027-05-11", "10:00", "12:00", "visit",
     "Visita de campo", "2", "Casa del Migrante", "", "", "",
     "Casa del Migrante A.C.", "25", "group:A;group:B", "", ""],
    ["mx-A3", "mx-rt", "4", "2027-05-13", "13:00", "14:00", "session",
     "Side meeting", "ec-3", "", "", "", "", "", "", "category:mrc-staff", "",
     ""],
])
EOF
ok fs mission import missions.csv
ok fs participant import participants.csv
expect_stdout '^participants.csv: 7 rows: 6 added, 1 changed, 0 unchanged$'
ok fs agenda import agenda.csv
ok fs mission export
same_file "missions.csv comes back byte for byte" missions.csv "$LAST_OUT"
ok fs participant export
same_file "participants.csv comes back byte for byte" participants.csv "$LAST_OUT"
ok fs agenda export mx-rt
same_file "agenda.csv comes back byte for byte" agenda.csv "$LAST_OUT"
ok fs participant export -o p-out.csv
same_file "participant export -o writes the same bytes" participants.csv p-out.csv
check "export -o makes a 0644 file (umask 022)" \
	test "$(umask 022 && "$FIELDSCHOOL" participant export -o p-mode.csv && stat -c %a p-mode.csv)" = 644

# --- re-import of unchanged exports ---------------------------------------------------
snapshot exported
ok fs participant import p-out.csv
expect_stdout '^p-out.csv: 7 rows: 0 added, 0 changed, 7 unchanged$'
ok fs agenda import agenda.csv
expect_stdout '^agenda.csv: 3 rows: 0 added, 0 changed, 3 unchanged$'
ok fs mission import missions.csv
expect_stdout '^missions.csv: 2 rows: 0 added, 0 changed, 2 unchanged$'
unchanged_since exported

# --- one field edited: one change, no duplicates -------------------------------------------
persons=$(sql 'select count(*) from participant')
regs=$(sql 'select count(*) from registration')
"$PYTHON" - <<'EOF'
import csv
rows = list(csv.DictReader(open("p-out.csv", newline="", encoding="utf-8-sig")))
for r in rows:
    if r["ref"] == "RW-001":
        r["organization"] = "Umujyi wa Kigali"
w = csv.DictWriter(open("edited.csv", "w", newline="", encoding="utf-8-sig"),
                   fieldnames=list(rows[0].keys()), lineterminator="\r\n")
w.writeheader()
w.writerows(rows)
EOF
ok fs participant import edited.csv
expect_stdout '^edited.csv: 7 rows: 0 added, 1 changed, 6 unchanged$'
eq "people after the edited re-import" "$(sql 'select count(*) from participant')" "$persons"
eq "registrations after the edited re-import" "$(sql 'select count(*) from registration')" "$regs"
eq "RW-001's organization" "$(sql "select organization from participant where ref = 'RW-001'")" "Umujyi wa Kigali"
ok fs participant export
same_file "export after the edit is the edited file" edited.csv "$LAST_OUT"
# A registration field (status) of one of MX-001's two registrations.
sed 's/^\(MX-001,.*,ph-rt,\)waitlisted,/\1confirmed,/' edited.csv >status.csv
check "status.csv differs from edited.csv" bash -c '! cmp -s edited.csv status.csv'
ok fs participant import status.csv
expect_stdout '^status.csv: 7 rows: 0 added, 1 changed, 6 unchanged$'
eq "MX-001's registrations" \
	"$(sql "select group_concat(m.code || ':' || r.status, ' ') from registration r join participant p on p.id = r.participant_id join mission m on m.id = r.mission_id where p.ref = 'MX-001' order by m.code")" \
	"mx-rt:confirmed ph-rt:confirmed"
eq "people after the status change" "$(sql 'select count(*) from participant')" "$persons"

# --- people without a ref ---------------------------------------------------------------
new_db
add_mission m1
cat >noref.csv <<'EOF'
given_name,family_name,category,email,mission
Anna,Keyed,3,anna@example.org,m1
Bob,Nokey,2,,m1
Carla,Nokey,1,,
EOF
ok fs participant import noref.csv
expect_stdout '^noref.csv: 3 rows: 3 added, 0 changed, 0 unchanged$'
ok fs participant export -o gen.csv
check "generated refs P000001-P000003 in the export" "$PYTHON" -c '
import csv
refs = [r["ref"] for r in csv.DictReader(open("gen.csv", newline="", encoding="utf-8-sig"))]
assert refs == ["P000001", "P000002", "P000003"], refs'
ok fs participant show P000002 --json
eq "P000002 is Bob" "$(json_field given_name <"$LAST_OUT")" Bob
snapshot generated
ok fs participant import gen.csv
expect_stdout '^gen.csv: 3 rows: 0 added, 0 changed, 3 unchanged$'
unchanged_since generated
ok fs participant import gen.csv
unchanged_since generated

# Without a ref the email is the key (any case); without either, a new person.
printf 'given_name,family_name,category,email,organization\nAnna,Keyed,3,ANNA@Example.ORG,New org\nBob,Nokey,2,,\n' >again.csv
ok fs participant import again.csv
expect_stdout '^again.csv: 2 rows: 1 added, 1 changed, 0 unchanged$'
eq "people named Anna" "$(sql "select count(*) from participant where given_name = 'Anna'")" 1
eq "Anna's organization" "$(sql "select organization from participant where given_name = 'Anna'")" "New org"
eq "people named Bob" "$(sql "select count(*) from participant where given_name = 'Bob'")" 2
# Two rows for one email in one file (same mission): a duplicate.
printf 'given_name,family_name,category,email,mission\nX,Y,1,dup@example.org,m1\nX,Y,1,DUP@example.org,m1\n' >dupmail.csv
fails 3 fs participant import dupmail.csv
expect_stderr_fixed "dupmail.csv:3: email: 'DUP@example.org' again: line 2 has the same email"

# The key is the email as stored when the row is read: a row that clears
# P-E1's email frees that address, so a later row with it is somebody new.
"$FIELDSCHOOL" mission add --title T --country PH --city Manila --timezone Asia/Manila \
	--start 2027-03-01 --days 3 m2 >/dev/null </dev/null
printf 'ref,given_name,family_name,category,email\nP-E1,Old,Owner,1,old@example.org\n' >e1.csv
ok fs participant import e1.csv
cat >e2.csv <<'EOF2'
ref,given_name,family_name,category,email,mission
,Someone,Else,1,other@example.org,
P-E1,Old,Owner,1,,
,New,Person,2,old@example.org,m2
EOF2
ok fs participant import e2.csv
expect_stdout '^e2.csv: 3 rows: 2 added, 1 changed, 0 unchanged$'
eq "P-E1 keeps its name" "$(sql "select given_name || ' ' || family_name || '/' || email from participant where ref = 'P-E1'")" "Old Owner/"
eq "the new owner of old@example.org" "$(sql "select given_name || ' ' || family_name from participant where email = 'old@example.org'")" "New Person"

# A person added without a ref gets P + their id.  That name may already be
# somebody's own ref: the new person must still be added, under a free ref.
new_db
printf 'ref,given_name,family_name,category\nP000002,Own,Ref,1\n' >own.csv
ok fs participant import own.csv
printf 'given_name,family_name,category\nNo,Ref,1\nAlso,Noref,2\n' >gen2.csv
ok fs participant import gen2.csv
expect_stdout '^gen2.csv: 2 rows: 2 added, 0 changed, 0 unchanged$'
eq "people after importing two without ref" "$(sql 'select count(*) from participant')" 3
eq "distinct refs" "$(sql 'select count(distinct ref) from participant')" 3
ok fs participant add --given-name Third --family-name Noref --category 1
expect_stdout '^P[0-9]{6}$'

finish
