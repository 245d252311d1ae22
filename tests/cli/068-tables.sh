#!/bin/bash
# Tables at a terminal: columns line up by what a terminal shows (accents,
# combining marks, Hangul, CJK and emoji counted in display columns), a cell
# never breaks its row (a line break shows as ↵), every list has a header
# row, and agenda list shows the weekday and the facilitators.
. "$(dirname "$0")/lib.sh"

new_db
add_mission m1
names=(
	"Ana|Cruz"
	"José|Peña Ñúñez"
	$'Jose\u0301|Pen\u0303a'
	"지민|김"
	"明|王小"
	"Zoë 😀|Smith 🎉"
	"Ann|Lee"
)
i=0
for n in "${names[@]}"; do
	i=$((i + 1))
	ok fs participant add --ref "W$i" --given-name "${n%%|*}" \
		--family-name "${n#*|}" --category 1 --mission m1 \
		--organization "Org $i"
done
# a line break stored by an older version (names are one line now)
sql "update participant set organization = 'Two' || char(10) || 'lines'
	where ref = 'W7'"

# Where each column starts, in display columns, read with Python's
# unicodedata (an independent reader of widths): the same on every line.
aligned() { # aligned FILE N: the first N header words start columns
	"$PYTHON" - "$@" <<'PY'
import sys, unicodedata
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
            continue
        w += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return w
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
header, n = lines[0], int(sys.argv[2])
names = header.split()[:n]
starts = {width(header[:header.index(h)]) for h in names}
for line in lines:
    # a cell starts after two spaces of padding (no cell here holds two
    # spaces in a row): each must start where a header word does
    cols, w = [], 0
    for k, ch in enumerate(line):
        if ch != " " and (k == 0 or line[k - 2:k] == "  "):
            cols.append(w)
        w += width(ch)
    stray = [c for c in cols if c not in starts]
    if stray or not cols or cols[0] != 0:
        sys.exit(f"not aligned at display columns {stray}: {line!r}")
PY
}
ok fs participant list m1
cp "$LAST_OUT" plist.txt
check "participant list: columns line up in display columns" aligned plist.txt 9
expect_lines stdout '.' 8
expect_stdout_fixed 'Two↵lines'
check "the header first" grep -q '^ref  *family_name  *given_name' plist.txt

# mission list: a title with a line break stays on its line
sql "update mission set title = 'Field school' || char(13, 10) || 'Manila'
	where code = 'm1'"
ok fs mission list
expect_lines stdout '.' 2
expect_stdout_fixed 'Field school↵Manila'

# places, facilitators and categories: a header row, columns in line
ok fs place add "Café Tlatelolco" --address "Av. Ricardo Flores Magón 1" --lat 19.45 --lon -99.137
ok fs place add "會議廳" --address "Taipei" --lat 25.03 --lon 121.56
ok fs place add "Hall" --address $'Line one\nLine two'
ok fs place list
cp "$LAST_OUT" places.txt
check "place list: header and columns line up" aligned places.txt 5
expect_stdout '^name +lat +lon +items +address$'
expect_stdout_fixed 'Line one↵Line two'
ok fs facilitator add "Dr. Ñusta Quispe" --email n@example.org --organization "Univ."
ok fs facilitator add "박사 김" --email k@example.org
ok fs facilitator list
cp "$LAST_OUT" fac.txt
check "facilitator list: header and columns line up" aligned fac.txt 4
expect_stdout '^name +email +items +organization$'
ok fs category list
expect_stdout '^number +code +participants +name$'
expect_stdout '^1 +lgu-official +7 +LGU officials$'
ok fs module list seminar
expect_stdout '^curriculum +number +code +title$'

# agenda list: weekday, facilitators, one line per item
ok fs agenda add --ref A1 --day 1 --start 09:00 --end 10:00 --kind session \
	--title 'Opening session' --place "Café Tlatelolco" \
	--facilitators "Dr. Ñusta Quispe;박사 김" m1
# a line break stored by an older version (titles are one line now)
sql "update item set title = 'Opening' || char(10) || 'session'
	where ref = 'A1'"
ok fs agenda add --ref A2 --day 2 --start 09:00 --end 10:00 --kind session \
	--title Plain m1
ok fs agenda list m1
expect_stdout '^m1 day 1, Monday 2027-03-01$'
expect_stdout '^m1 day 2, Tuesday 2027-03-02$'
expect_stdout_fixed '  09:00-10:00  session   Opening↵session @ Café Tlatelolco  with Dr. Ñusta Quispe, 박사 김  (A1)'
expect_stdout '^  09:00-10:00  session   Plain  \(A2\)$'
expect_lines stdout '^  [0-9]' 2

finish
