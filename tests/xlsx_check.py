#!/usr/bin/python3
"""xlsx_check.py - reads fieldschool's rosters with independent tools.

    xlsx_check.py structure FILE.xlsx MISSION[,MISSION...] [TEXT...]
        Opens FILE with openpyxl (Debian's python3-openpyxl) and checks the
        sheets of each mission: names, header rows, which cells are text,
        formulas, numbers and dates, stored formula results (totals equal
        the sum of the rows, By category equals the roster), frozen panes,
        autofilter, print set-up of the sign-in sheets, document
        properties.  Every TEXT must appear, verbatim and as a text cell,
        on the Roster sheet (hostile names).
    xlsx_check.py recalc FILE.xlsx
        Removes every stored formula result from a copy of FILE, has
        LibreOffice (headless) recalculate and save it, and checks that
        what LibreOffice computes equals what FILE stores, with no error
        cell anywhere.
    xlsx_check.py cell FILE.xlsx SHEET CELL
        Prints a cell's kind (text, number, date, formula, empty) and its
        stored value (the formula's result for a formula), tab-separated.
    xlsx_check.py dump FILE.xlsx SHEET
        Prints the sheet's stored values, a tab-separated line per row.

Run with /usr/bin/python3 (Debian's openpyxl).  Exits 1 with one line per
failure.
"""
import datetime
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl

FAILURES = []


def fail(msg):
    FAILURES.append(msg)
    print("FAIL " + msg)


def check(cond, msg):
    if not cond:
        fail(msg)
    return cond


ROSTER_HEAD = ["Ref", "Family name", "Given name", "Organization", "Position",
               "Category", "Country", "Status", "Group", "Arrival", "Departure",
               "Nights", "Days present", "Travel days", "Per-diem rate",
               "Per diem", "Meals deducted", "Accommodation rate",
               "Accommodation", "Travel", "Total", "Funded"]
TEXT_COLS = "ABCDEFGHIV"      # typed by people, or codes: always text
NUMBER_COLS = "LMNOR"         # counts and rates: plain numbers
FORMULA_COLS = "PQSTU"        # money: formulas with stored results
DATE_COLS = "JK"
ERRORS = ("#VALUE!", "#NAME?", "#REF!", "#DIV/0!", "#N/A", "#NUM!", "#NULL!",
          "Err:")


def kind(cell):
    if cell.value is None:
        return "empty"
    if cell.data_type == "f":
        return "formula"
    if cell.data_type in ("s", "inlineStr", "str"):
        return "text"
    if cell.is_date:
        return "date"
    if cell.data_type == "n":
        return "number"
    return cell.data_type


def near(a, b):
    return a is not None and b is not None and abs(float(a) - float(b)) < 0.005


def structure(path, missions, texts):
    wb = openpyxl.load_workbook(path)                   # formulas
    wv = openpyxl.load_workbook(path, data_only=True)   # stored results
    several = len(missions) > 1
    names = []
    if several:
        names.append("Summary")
    for m in missions:
        suffix = " " + m if several else ""
        ws_names = ["Roster", "By category"]
        ws_names += [n for n in wb.sheetnames
                     if n.startswith("Sign-in day ") and n.endswith(suffix)
                     and (several or " " not in n[len("Sign-in day "):])]
        ws_names += ["Site visits", "Agenda"]
        names += [n if n.startswith("Sign-in") else n + suffix
                  for n in ws_names]
    check(wb.sheetnames == names, "sheets %r, expected %r" % (wb.sheetnames, names))

    props = wb.properties
    check(bool(props.title), "document title missing")
    check(bool(props.subject), "document subject missing")
    check(bool(props.creator), "document author missing")
    check(isinstance(props.created, datetime.datetime), "no created date")

    for m in missions:
        suffix = " " + m if several else ""
        roster, values = wb["Roster" + suffix], wv["Roster" + suffix]
        head = [c.value for c in roster[1]]
        check(head == ROSTER_HEAD, "%s header %r" % (roster.title, head))
        check(roster.freeze_panes in ("A2", "C2"),
              "%s: frozen panes %r" % (roster.title, roster.freeze_panes))
        # data rows: up to the first empty row
        n = 0
        while roster.cell(row=n + 2, column=1).value is not None:
            n += 1
        check(roster.auto_filter.ref == "A1:V%d" % max(n + 1, 2),
              "%s: autofilter %r for %d rows" % (roster.title, roster.auto_filter.ref, n))
        sums = {c: 0.0 for c in "LMNPQSTU"}
        for r in range(2, n + 2):
            for col in TEXT_COLS:
                c = roster["%s%d" % (col, r)]
                check(kind(c) in ("text", "empty"),
                      "%s!%s%d is %s (%r), expected text" % (roster.title, col, r, kind(c), c.value))
            for col in NUMBER_COLS:
                c = roster["%s%d" % (col, r)]
                check(kind(c) == "number",
                      "%s!%s%d is %s, expected a number" % (roster.title, col, r, kind(c)))
            for col in DATE_COLS:
                c = roster["%s%d" % (col, r)]
                check(kind(c) in ("date", "empty"),
                      "%s!%s%d is %s (%r), expected a date" % (roster.title, col, r, kind(c), c.value))
            for col in FORMULA_COLS:
                c = roster["%s%d" % (col, r)]
                check(kind(c) == "formula",
                      "%s!%s%d is %s, expected a formula" % (roster.title, col, r, kind(c)))
                v = values["%s%d" % (col, r)].value
                check(isinstance(v, (int, float)),
                      "%s!%s%d: no stored result (%r)" % (roster.title, col, r, v))
            row = {col: values["%s%d" % (col, r)].value for col in "LMNOPQRSTU"}
            if not all(isinstance(x, (int, float)) for x in row.values()):
                continue
            funded = values["V%d" % r].value == "yes"
            check(near(row["P"], row["M"] * row["O"] if funded else 0),
                  "%s row %d: per diem %r != days x rate" % (roster.title, r, row["P"]))
            check(near(row["S"], row["L"] * row["R"]),
                  "%s row %d: accommodation %r != nights x rate" % (roster.title, r, row["S"]))
            check(near(row["U"], row["P"] - row["Q"] + row["S"] + row["T"]),
                  "%s row %d: total %r" % (roster.title, r, row["U"]))
            status = values["H%d" % r].value
            if status != "confirmed":
                check(row["U"] == 0 and row["L"] == 0 and row["M"] == 0,
                      "%s row %d: %s registration owed %r" % (roster.title, r, status, row["U"]))
            for col in sums:
                sums[col] += row[col]
        total_row = max(n, 1) + 3
        check(roster["A%d" % total_row].value == "Total (filtered rows)",
              "%s: no total row at %d" % (roster.title, total_row))
        for col in sums:
            f = roster["%s%d" % (col, total_row)].value
            check(f == "=SUBTOTAL(109,%s2:%s%d)" % (col, col, max(n + 1, 2)),
                  "%s!%s%d: %r is not a SUBTOTAL(109) of the rows" % (roster.title, col, total_row, f))
            check(near(values["%s%d" % (col, total_row)].value, sums[col]),
                  "%s!%s%d: stored total %r != sum of the rows %r"
                  % (roster.title, col, total_row, values["%s%d" % (col, total_row)].value, sums[col]))
        # money formats in the mission's currency
        fmt = roster["P2"].number_format if n else ""
        check(not n or re.search(r'#,##0(\.00)? "[A-Z]{3}"', fmt),
              "%s: money format %r" % (roster.title, fmt))
        present = [roster["%s%d" % (c, r)].value for r in range(2, n + 2) for c in "BCD"]
        for t in texts:
            check(t in present, "%s: %r not found as text" % (roster.title, t))

        # By category: formulas over the roster, stored results add up
        bycat, bycat_v = wb["By category" + suffix], wv["By category" + suffix]
        check(bycat.freeze_panes == "A2", "%s: frozen panes" % bycat.title)
        r = 2
        col_sum = {}
        while bycat["A%d" % r].value not in (None, "Total"):
            # EXACT: category codes differing only by case are distinct
            check(str(bycat["C%d" % r].value).startswith("=SUMPRODUCT(--EXACT("),
                  "%s!C%d not SUMPRODUCT(--EXACT(...))" % (bycat.title, r))
            check(str(bycat["H%d" % r].value).startswith("=SUMPRODUCT(EXACT("),
                  "%s!H%d not SUMPRODUCT(EXACT(...))" % (bycat.title, r))
            for col in "CDEFGHIJKL":
                col_sum[col] = col_sum.get(col, 0) + (bycat_v["%s%d" % (col, r)].value or 0)
            r += 1
        check(bycat["A%d" % r].value == "Total", "%s: no Total row" % bycat.title)
        check(near(bycat_v["C%d" % r].value, n), "%s: %r registrations, roster has %d"
              % (bycat.title, bycat_v["C%d" % r].value, n))
        for col, rcol in zip("EFGHIJKL", "LMNPQSTU"):
            check(near(bycat_v["%s%d" % (col, r)].value, sums[rcol]),
                  "%s!%s%d = %r, roster column %s sums to %r"
                  % (bycat.title, col, r, bycat_v["%s%d" % (col, r)].value, rcol, sums[rcol]))
            check(near(col_sum[col], sums[rcol]), "%s column %s rows" % (bycat.title, col))

        # Sign-in sheets: ready to print
        for name in wb.sheetnames:
            if not (name.startswith("Sign-in day ") and name.endswith(suffix)):
                continue
            if not several and " " in name[len("Sign-in day "):]:
                continue
            ws = wb[name]
            check(ws.page_setup.orientation == "landscape", name + ": not landscape")
            check(ws.sheet_properties.pageSetUpPr.fitToPage, name + ": not fit to page")
            check(ws.page_setup.fitToWidth in (1, None) and ws.page_setup.fitToHeight == 0,
                  name + ": fit %r x %r" % (ws.page_setup.fitToWidth, ws.page_setup.fitToHeight))
            check(ws.print_title_rows == "$1:$1", name + ": header row not repeated (%r)" % ws.print_title_rows)
            check(ws.freeze_panes == "A2", name + ": frozen panes")
            header = ws.oddHeader.left.text or ""
            footer = (ws.oddFooter.left.text or "") + (ws.oddFooter.right.text or "")
            check(len(header) > 5, name + ": no title in the page header")
            check("&P" in footer and "&N" in footer, name + ": no page number in the footer")
            check(re.search(r"\d{4}", footer), name + ": no date in the footer")
            head = [c.value for c in ws[1]]
            check(head[:3] == ["No.", "Family name", "Given name"] and head[-1] == "Signature",
                  name + ": header %r" % head)
            fam = [ws["B%d" % r].value or "" for r in range(2, ws.max_row + 1)]
            for r in range(2, ws.max_row + 1):
                check(kind(ws["B%d" % r]) == "text", "%s!B%d not text" % (name, r))

        # Site visits: a heading row per visit and group (date and time as
        # real cells), then numbered riders with text names
        visits = wb["Site visits" + suffix]
        check([c.value for c in visits[1]] == ["No.", "Family name", "Given name", "Phone", "Date", "Departs"],
              "Site visits header %r" % [c.value for c in visits[1]])
        for r in range(2, visits.max_row + 1):
            if kind(visits["A%d" % r]) == "text":
                check("bus from" in visits["A%d" % r].value, "%s!A%d heading" % (visits.title, r))
                check(kind(visits["E%d" % r]) == "date", "%s!E%d not a date" % (visits.title, r))
                check(kind(visits["F%d" % r]) == "date", "%s!F%d not a time" % (visits.title, r))
            else:
                check(kind(visits["A%d" % r]) == "number", "%s!A%d" % (visits.title, r))
                check(kind(visits["B%d" % r]) == "text", "%s!B%d not text" % (visits.title, r))
        agenda = wb["Agenda" + suffix]
        check(agenda["A1"].value == "Day" and agenda.max_row > 1 or agenda.max_row == 1,
              "Agenda sheet")
        for r in range(2, agenda.max_row + 1):
            check(kind(agenda["B%d" % r]) == "date", "%s!B%d not a date" % (agenda.title, r))
            check(kind(agenda["F%d" % r]) == "text", "%s!F%d not text" % (agenda.title, r))

    if several:
        s, sv = wb["Summary"], wv["Summary"]
        for i, m in enumerate(missions):
            check(s["A%d" % (i + 2)].value == m, "Summary row %d is %r" % (i + 2, s["A%d" % (i + 2)].value))
            check(str(s["M%d" % (i + 2)].value).startswith("='By category"),
                  "Summary!M%d %r" % (i + 2, s["M%d" % (i + 2)].value))
            check(isinstance(sv["M%d" % (i + 2)].value, (int, float)), "Summary!M%d no result" % (i + 2))


def strip_results(src, dst):
    """Copies the xlsx, removing the <v> of every formula cell."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = re.sub(r"(<f>[^<]*</f>)<v>[^<]*</v>", r"\1", text)
                data = text.encode("utf-8")
            zout.writestr(item, data)


def recalc(path):
    tmp = tempfile.mkdtemp(prefix="xlsx-recalc-")
    try:
        profile = os.path.join(tmp, "profile")
        user = os.path.join(profile, "user")
        os.makedirs(user)
        # Recalculate OOXML files on load, always (0), without asking.
        with open(os.path.join(user, "registrymodifications.xcu"), "w") as f:
            f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                    '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                    'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
                    '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
                    '</oor:items>\n')
        bare = os.path.join(tmp, "bare.xlsx")
        strip_results(path, bare)
        outdir = os.path.join(tmp, "out")
        os.makedirs(outdir)
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        if not soffice:
            fail("LibreOffice (soffice) is not installed")
            return
        proc = subprocess.run(
            [soffice, "-env:UserInstallation=file://" + profile, "--headless",
             "--norestore", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
             "--outdir", outdir, bare],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=240)
        out = os.path.join(outdir, "bare.xlsx")
        if not check(os.path.exists(out), "LibreOffice wrote nothing: %s"
                     % proc.stdout.decode(errors="replace")[-500:]):
            return
        ours = openpyxl.load_workbook(path, data_only=True)
        forms = openpyxl.load_workbook(path)
        theirs = openpyxl.load_workbook(out, data_only=True)
        n_formulas = 0
        for ws in forms.worksheets:
            lo = theirs[ws.title]
            for row in ws.iter_rows():
                for c in row:
                    v = lo[c.coordinate].value
                    if isinstance(v, str) and v.startswith(ERRORS):
                        fail("%s!%s: LibreOffice computes %s" % (ws.title, c.coordinate, v))
                    if c.data_type != "f":
                        continue
                    n_formulas += 1
                    stored = ours[ws.title][c.coordinate].value
                    if not near(stored, v):
                        fail("%s!%s %s: stored %r, LibreOffice computes %r"
                             % (ws.title, c.coordinate, c.value, stored, v))
        check(n_formulas > 0, "no formulas to recalculate")
        print("recalc: %d formulas, LibreOffice agrees" % n_formulas
              if not FAILURES else "recalc: %d formulas checked" % n_formulas)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def cell(path, sheet, ref):
    wb = openpyxl.load_workbook(path)
    wv = openpyxl.load_workbook(path, data_only=True)
    print("%s\t%s" % (kind(wb[sheet][ref]), show(wv[sheet][ref].value)))


def show(v):
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, datetime.datetime):
        v = v.isoformat(sep=" ")
        if v.endswith(" 00:00:00"):
            v = v[:-9]
    return "" if v is None else str(v)


def dump(path, sheet):
    wv = openpyxl.load_workbook(path, data_only=True)
    for row in wv[sheet].iter_rows(values_only=True):
        print("\t".join(show(v).replace("\t", " ").replace("\n", " ") for v in row))


def main(argv):
    if len(argv) >= 3 and argv[1] == "structure":
        structure(argv[2], argv[3].split(","), argv[4:])
    elif len(argv) == 3 and argv[1] == "recalc":
        recalc(argv[2])
    elif len(argv) == 5 and argv[1] == "cell":
        cell(argv[2], argv[3], argv[4])
        return 0
    elif len(argv) == 4 and argv[1] == "dump":
        dump(argv[2], argv[3])
        return 0
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
