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
    xlsx_check.py recalc FILE.xlsx [libreoffice|gnumeric]
        Removes every stored formula result from a copy of FILE, has
        LibreOffice (headless) and Gnumeric (ssconvert --recalc), or the
        one named, recalculate and save it, and checks that what each
        computes equals what FILE stores, with no error cell anywhere.
    xlsx_check.py pdf FILE.xlsx [TEXT...]
        Prints FILE to PDF with LibreOffice and checks, with pdftotext, that
        every page's text is 8 pt or more, that each bus of the Site visits
        sheets has its page naming its site, group and departure, and that
        each Payment page ends with its page total.  Every TEXT must be
        printed whole on some page (its wrapped lines joined; spaces
        ignored).
    xlsx_check.py wrapped FILE.xlsx
        Checks with openpyxl that no text is cut on paper: a text wider
        than its column (merged columns added) with a cell beside it that
        is not empty wraps, its row is tall enough for the lines it takes
        at the very least, and the row's other cells are at its top.
    xlsx_check.py money FILE.xlsx MISSION missions.csv participants.csv
                  attendance.csv
        Computes every registration's money from the exported CSV files
        (the README's finance rules, written again here) and checks the
        Roster's rows, the Payment sheet and the totals against it.
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
               "Accommodation", "Travel", "Total", "Funded", "Flag",
               "Category no."]
TEXT_COLS = "ABCDEFGHIVW"     # typed by people, or codes: always text
NUMBER_COLS = "LMNX"          # counts: plain numbers
FORMULA_COLS = "OPQRSTU"      # rates (from Finance rules) and money
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


MONEY_FORMAT = r"^\[\$[A-Z]{3}\] #,##0(\.00)?$"
# what may stand in a formula: sheet names, cell references, strings,
# SUBTOTAL's function number and IF's "else 0"
LITERAL = re.compile(r"""'[^']*'!|\$?[A-Z]{1,3}\$?[0-9]+|"[^"]*"|SUBTOTAL\(9,|,0\)""")


def no_literals(ws):
    """Every rate and share is a cell: no number inside a formula."""
    for row in ws.iter_rows():
        for c in row:
            if c.data_type == "f":
                rest = LITERAL.sub("", c.value)
                check(not re.search(r"[0-9]", rest),
                      "%s!%s: a number inside the formula %r" % (ws.title, c.coordinate, c.value))


def printed_width(ws):
    """What a sheet's columns take on paper, in points (LibreOffice's 6.5
    points a character, the larger of LibreOffice and Excel)."""
    total = 0
    for letter, dim in ws.column_dimensions.items():
        if dim.width and not dim.hidden:
            total += (dim.width * 6.5 + 3.75) * ((dim.max or dim.min or 1) - (dim.min or 1) + 1)
    return total


def print_setup(ws, landscape=True, title_rows="$1:$1"):
    """A4, header and footer, print titles, a scale that keeps 8 pt."""
    name = ws.title
    check(ws.page_setup.paperSize in (9, "9"), name + ": not A4 (%r)" % ws.page_setup.paperSize)
    if landscape is not None:
        check(ws.page_setup.orientation == ("landscape" if landscape else "portrait"),
              name + ": orientation %r" % ws.page_setup.orientation)
    header = (ws.oddHeader.left.text or "") + (ws.oddHeader.right.text or "")
    footer = "".join(x.text or "" for x in (ws.oddFooter.left, ws.oddFooter.center, ws.oddFooter.right))
    check(len(ws.oddHeader.left.text or "") > 5, name + ": no mission in the page header")
    check(len(ws.oddHeader.right.text or "") > 3, name + ": no sheet in the page header")
    check("&P" in footer and "&N" in footer, name + ": no page N of M in the footer")
    check("&D" in footer, name + ": no printed date in the footer")
    check(ws.print_title_rows == title_rows, name + ": print titles %r" % ws.print_title_rows)
    page = (841.89 if ws.page_setup.orientation == "landscape" else 595.28) - 72
    fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
    if fit:
        check(ws.page_setup.fitToWidth in (1, None), name + ": fit %r pages wide" % ws.page_setup.fitToWidth)
        scale = page / printed_width(ws)
    else:
        scale = int(ws.page_setup.scale or 100) / 100
    check(11 * min(scale, 1) >= 7.99, name + ": prints at %.1f pt" % (11 * min(scale, 1)))
    if not fit and printed_width(ws) * scale > page + 1:
        check(ws.print_title_cols is not None or name.startswith(("Agenda", "Summary")),
              name + ": wider than a page, and no columns repeated")


def structure(path, missions, texts):
    wb = openpyxl.load_workbook(path)                   # formulas
    wv = openpyxl.load_workbook(path, data_only=True)   # stored results
    several = len(missions) > 1
    names = []
    if several:
        names.append("Summary")
    for m in missions:
        suffix = " " + m if several else ""
        ws_names = ["Roster", "Payment", "By category", "Finance rules"]
        ws_names += [n for n in wb.sheetnames
                     if n.startswith("Sign-in day ") and n.endswith(suffix)
                     and (several or " " not in n[len("Sign-in day "):])]
        ws_names += ["Site visits", "Caterer", "Agenda"]
        names += [n if n.startswith("Sign-in") else n + suffix
                  for n in ws_names]
    check(wb.sheetnames == names, "sheets %r, expected %r" % (wb.sheetnames, names))

    props = wb.properties
    check(bool(props.title), "document title missing")
    check(bool(props.subject), "document subject missing")
    check(bool(props.creator), "document author missing")
    check(isinstance(props.created, datetime.datetime), "no created date")
    for ws in wb.worksheets:
        no_literals(ws)
        print_setup(ws, None if ws.title.startswith("Finance rules") else True)

    for m in missions:
        suffix = " " + m if several else ""
        roster, values = wb["Roster" + suffix], wv["Roster" + suffix]
        head = [c.value for c in roster[1]]
        check(head == ROSTER_HEAD, "%s header %r" % (roster.title, head))
        check(roster.freeze_panes in ("A2", "C2", "D2"),
              "%s: frozen panes %r" % (roster.title, roster.freeze_panes))
        # data rows: up to the first empty row
        n = 0
        while roster.cell(row=n + 2, column=1).value is not None:
            n += 1
        check(roster.auto_filter.ref == "A1:X%d" % max(n + 1, 2),
              "%s: autofilter %r for %d rows" % (roster.title, roster.auto_filter.ref, n))
        rules = wv["Finance rules" + suffix]
        rate, nightly, meals, share, decimals = (rules["B%d" % r].value for r in range(5, 10))
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
            check(near(row["O"], rate) and near(row["R"], nightly),
                  "%s row %d: rates %r %r, Finance rules %r %r" % (roster.title, r, row["O"], row["R"], rate, nightly))
            check(near(row["P"], row["M"] * row["O"] if funded else 0),
                  "%s row %d: per diem %r != days x rate" % (roster.title, r, row["P"]))
            check(near(row["Q"], row["M"] * meals if funded else 0),
                  "%s row %d: meals %r" % (roster.title, r, row["Q"]))
            check(near(row["S"], row["L"] * row["R"]),
                  "%s row %d: accommodation %r != nights x rate" % (roster.title, r, row["S"]))
            check(near(row["T"], round(row["N"] * row["O"] * share + 1e-9, int(decimals)) if funded else 0),
                  "%s row %d: travel %r" % (roster.title, r, row["T"]))
            check(near(row["U"], row["P"] - row["Q"] + row["S"] + row["T"]),
                  "%s row %d: total %r" % (roster.title, r, row["U"]))
            status = values["H%d" % r].value
            if status != "confirmed":
                check(row["U"] == 0 and row["L"] == 0 and row["M"] == 0,
                      "%s row %d: %s registration owed %r" % (roster.title, r, status, row["U"]))
            if values["W%d" % r].value == "no-show":
                check(row["U"] == 0 and row["L"] == 0 and row["M"] == 0 and row["N"] == 0,
                      "%s row %d: a no-show owed %r" % (roster.title, r, row["U"]))
            for col in sums:
                sums[col] += row[col]
        total_row = max(n, 1) + 3
        check(roster["A%d" % total_row].value == "Total (filtered rows)",
              "%s: no total row at %d" % (roster.title, total_row))
        for col in sums:
            f = roster["%s%d" % (col, total_row)].value
            check(f == "=SUBTOTAL(9,%s2:%s%d)" % (col, col, max(n + 1, 2)),
                  "%s!%s%d: %r is not a SUBTOTAL(9) of the rows" % (roster.title, col, total_row, f))
            check(near(values["%s%d" % (col, total_row)].value, sums[col]),
                  "%s!%s%d: stored total %r != sum of the rows %r"
                  % (roster.title, col, total_row, values["%s%d" % (col, total_row)].value, sums[col]))
        # money formats in the mission's currency
        fmt = roster["P2"].number_format if n else ""
        currency = rules["B5"].number_format
        check(not n or fmt == currency, "%s: money format %r" % (roster.title, fmt))
        check(re.search(MONEY_FORMAT, currency) or currency in ("#,##0.00", "#,##0"),
              "%s: money format %r" % (rules.title, currency))
        present = [roster["%s%d" % (c, r)].value for r in range(2, n + 2) for c in "BCD"]
        for t in texts:
            check(t in present, "%s: %r not found as text" % (roster.title, t))
        check(roster.print_title_cols == "$A:$C" or
              roster.sheet_properties.pageSetUpPr.fitToPage,
              "%s: identity columns not repeated (%r)" % (roster.title, roster.print_title_cols))

        # By category: the counts, then the money, matched on the category
        # number; stored results add up to the roster's
        bycat, bycat_v = wb["By category" + suffix], wv["By category" + suffix]
        check(bycat.freeze_panes == "A2", "%s: frozen panes" % bycat.title)
        r = 2
        col_sum = {}
        while bycat["A%d" % r].value not in (None, "Total"):
            check(str(bycat["C%d" % r].value).startswith("=COUNTIF("),
                  "%s!C%d not COUNTIF(...)" % (bycat.title, r))
            check(str(bycat["E%d" % r].value).startswith("=SUMIF("),
                  "%s!E%d not SUMIF(...)" % (bycat.title, r))
            check(kind(bycat["I%d" % r]) == "number", "%s!I%d: no category number" % (bycat.title, r))
            for col in "CDEFGH":
                col_sum[col] = col_sum.get(col, 0) + (bycat_v["%s%d" % (col, r)].value or 0)
            r += 1
        t1 = r
        check(bycat["A%d" % t1].value == "Total", "%s: no Total row" % bycat.title)
        check(near(bycat_v["C%d" % t1].value, n), "%s: %r registrations, roster has %d"
              % (bycat.title, bycat_v["C%d" % t1].value, n))
        for col, rcol in zip("EFG", "LMN"):
            check(near(bycat_v["%s%d" % (col, t1)].value, sums[rcol]),
                  "%s!%s%d = %r, roster column %s sums to %r"
                  % (bycat.title, col, t1, bycat_v["%s%d" % (col, t1)].value, rcol, sums[rcol]))
            check(near(col_sum[col], sums[rcol]), "%s column %s rows" % (bycat.title, col))
        t2 = t1 + 2 + (t1 - 2) + 1
        check(bycat["C%d" % (t1 + 2)].value == "Per diem", "%s: no money table" % bycat.title)
        check(bycat["A%d" % t2].value == "Total", "%s: no money Total row at %d" % (bycat.title, t2))
        for col, rcol in zip("CDEFG", "PQSTU"):
            check(near(bycat_v["%s%d" % (col, t2)].value, sums[rcol]),
                  "%s!%s%d = %r, roster column %s sums to %r"
                  % (bycat.title, col, t2, bycat_v["%s%d" % (col, t2)].value, rcol, sums[rcol]))
            check(bycat["%s%d" % (col, t2)].number_format == currency,
                  "%s: money format %r" % (bycat.title, bycat["%s%d" % (col, t2)].number_format))
        check(bycat.sheet_properties.pageSetUpPr.fitToPage and bycat.page_setup.fitToHeight in (1, None)
              or printed_width(bycat) <= 770 and t2 <= 30 or t2 > 30,
              "%s: not on one page" % bycat.title)

        # Payment: those paid in cash, a page total every 17, the total
        pay, pay_v = wb["Payment" + suffix], wv["Payment" + suffix]
        check([c.value for c in pay[1]] == ["No.", "Family name", "Given name", "Organization",
                                           "Amount", "Signature", "Date"], "%s header" % pay.title)
        cash = {}
        for r in range(2, n + 2):
            if values["H%d" % r].value == "confirmed" and values["V%d" % r].value == "yes" \
                    and values["W%d" % r].value != "no-show":
                cash[r] = values["P%d" % r].value - values["Q%d" % r].value + values["T%d" % r].value
        r, payees, page, page_sum, total = 2, 0, 0, 0.0, 0.0
        while pay["D%d" % r].value != "Total, all pages" and r < n * 2 + 10:
            if kind(pay["A%d" % r]) == "number":
                payees += 1
                page += 1
                roster_row = int(re.search(r"P([0-9]+)-", pay["E%d" % r].value).group(1))
                check(near(pay_v["E%d" % r].value, cash.get(roster_row)),
                      "%s!E%d: %r, Roster row %d owes %r" % (pay.title, r, pay_v["E%d" % r].value, roster_row, cash.get(roster_row)))
                page_sum += pay_v["E%d" % r].value
                total += pay_v["E%d" % r].value
            else:
                check(str(pay["D%d" % r].value).startswith("Page ") and (page == 17 or pay["D%d" % (r + 1)].value == "Total, all pages"),
                      "%s!D%d: a page total after %d rows (%r)" % (pay.title, r, page, pay["D%d" % r].value))
                check(near(pay_v["E%d" % r].value, page_sum), "%s!E%d: page total %r != %r" % (pay.title, r, pay_v["E%d" % r].value, page_sum))
                page, page_sum = 0, 0.0
            r += 1
        check(payees == len(cash), "%s: %d payees, the roster pays %d in cash" % (pay.title, payees, len(cash)))
        check(near(pay_v["E%d" % r].value, total), "%s: total %r != %r" % (pay.title, pay_v["E%d" % r].value, total))
        check(len(pay.row_breaks.brk) == max(0, (payees - 1) // 17),
              "%s: %d page breaks for %d payees" % (pay.title, len(pay.row_breaks.brk), payees))

        # Sign-in sheets: ready to print, room for walk-ins
        for name in wb.sheetnames:
            if not (name.startswith("Sign-in day ") and name.endswith(suffix)):
                continue
            if not several and " " in name[len("Sign-in day "):]:
                continue
            ws = wb[name]
            check(ws.freeze_panes == "A2", name + ": frozen panes")
            check(re.search(r"\d{4}", ws.oddHeader.right.text or ""), name + ": no date in the heading")
            check(re.search(r"\d{4}", ws.oddFooter.left.text or ""), name + ": no date in the footer")
            head = [c.value for c in ws[1]]
            check(head[:3] == ["No.", "Family name", "Given name"] and head[-1] == "Signature",
                  name + ": header %r" % head)
            walk_ins = 0
            for r in range(2, ws.max_row + 1):
                if kind(ws["A%d" % r]) == "number" and ws["B%d" % r].value is None:
                    walk_ins += 1
                elif kind(ws["A%d" % r]) == "number":
                    check(kind(ws["B%d" % r]) == "text", "%s!B%d not text" % (name, r))
            check(walk_ins >= 5, name + ": %d rows for walk-ins" % walk_ins)

        # Site visits: a page per bus, a heading block, then the riders
        visits = wb["Site visits" + suffix]
        check([c.value for c in visits[1]] == ["No.", "Family name", "Given name", "Phone",
                                               "Dietary needs", "Accessibility needs", "\u2713"],
              "Site visits header %r" % [c.value for c in visits[1]])
        buses = [r for r in range(2, visits.max_row + 1)
                 if str(visits["A%d" % r].value or "").startswith("Bus: ")]
        for i, r in enumerate(buses):
            # the bus's title is set larger: its row must hold it, or it
            # runs into the column headings repeated above it on paper
            size = visits["A%d" % r].font.sz or 11
            height = visits.row_dimensions[r].height or 15
            check(height >= size * 1.4,
                  "%s!A%d: a %g pt title in a row %g pt high" % (visits.title, r, size, height))
            labels = [visits["B%d" % (r + k)].value for k in range(1, 9)]
            check(labels == ["Site", "Address", "Host", "Group", "Date", "Departs", "From", "Head count"],
                  "%s!A%d: heading block %r" % (visits.title, r, labels))
            check(kind(visits["C%d" % (r + 5)]) == "date", "%s!C%d not a date" % (visits.title, r + 5))
            check(kind(visits["C%d" % (r + 6)]) == "date", "%s!C%d not a time" % (visits.title, r + 6))
            end = buses[i + 1] if i + 1 < len(buses) else visits.max_row + 1
            riders = [k for k in range(r + 9, end) if kind(visits["A%d" % k]) == "number"]
            check(visits["C%d" % (r + 8)].value == len(riders),
                  "%s!C%d: head count %r, %d riders" % (visits.title, r + 8, visits["C%d" % (r + 8)].value, len(riders)))
            for k in riders:
                check(kind(visits["B%d" % k]) == "text", "%s!B%d not text" % (visits.title, k))
        check(sorted(b.id for b in visits.row_breaks.brk) == [r - 1 for r in buses[1:]],
              "%s: page breaks %r, buses at %r" % (visits.title, [b.id for b in visits.row_breaks.brk], buses))
        cat = wb["Caterer" + suffix]
        check([c.value for c in cat[3]][:5] == ["Day", "Date", "Meal", "Dietary need", "People"],
              "Caterer header %r" % [c.value for c in cat[3]])
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


def libreoffice(args, tmp):
    """Runs LibreOffice headless with a profile of its own in tmp that
    recalculates OOXML files on load, always, without asking."""
    profile = os.path.join(tmp, "profile")
    user = os.path.join(profile, "user")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(user, "registrymodifications.xcu"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
                'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
                'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
                '<item oor:path="/org.openoffice.Office.Calc/Formula/Load">'
                '<prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>\n'
                '</oor:items>\n')
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        fail("LibreOffice (soffice) is not installed")
        return None
    return subprocess.run(
        [soffice, "-env:UserInstallation=file://" + profile, "--headless",
         "--norestore"] + args,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=300)


def recalc_with(path, tool, tmp):
    """The workbook as tool computes it, from a copy without results."""
    bare = os.path.join(tmp, "bare.xlsx")
    strip_results(path, bare)
    outdir = os.path.join(tmp, "out-" + tool)
    os.makedirs(outdir)
    out = os.path.join(outdir, "bare.xlsx")
    if tool == "libreoffice":
        proc = libreoffice(["--convert-to", "xlsx:Calc MS Excel 2007 XML",
                            "--outdir", outdir, bare], tmp)
        said = proc.stdout if proc else b""
    else:
        if not shutil.which("ssconvert"):
            fail("Gnumeric (ssconvert) is not installed")
            return None
        proc = subprocess.run(["ssconvert", "--recalc", bare, out],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=300)
        said = proc.stdout
    if not check(os.path.exists(out), "%s wrote nothing: %s"
                 % (tool, said.decode(errors="replace")[-500:])):
        return None
    return openpyxl.load_workbook(out, data_only=True)


def recalc(path, tools):
    tmp = tempfile.mkdtemp(prefix="xlsx-recalc-")
    try:
        ours = openpyxl.load_workbook(path, data_only=True)
        forms = openpyxl.load_workbook(path)
        for tool in tools:
            theirs = recalc_with(path, tool, tmp)
            if theirs is None:
                continue
            n_formulas = 0
            before = len(FAILURES)
            for ws in forms.worksheets:
                other = theirs[ws.title]
                for row in ws.iter_rows():
                    for c in row:
                        v = other[c.coordinate].value
                        if isinstance(v, str) and v.startswith(ERRORS):
                            fail("%s!%s: %s computes %s" % (ws.title, c.coordinate, tool, v))
                        if c.data_type != "f":
                            continue
                        n_formulas += 1
                        stored = ours[ws.title][c.coordinate].value
                        if not near(stored, v):
                            fail("%s!%s %s: stored %r, %s computes %r"
                                 % (ws.title, c.coordinate, c.value, stored, tool, v))
            check(n_formulas > 0, "no formulas to recalculate")
            print("recalc: %d formulas, %s agrees" % (n_formulas, "LibreOffice" if tool == "libreoffice" else "Gnumeric")
                  if len(FAILURES) == before else "recalc: %d formulas checked" % n_formulas)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


WORD = re.compile(r'<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="([0-9.]+)" yMax="([0-9.]+)">([^<]*)</word>')


def pdf(path, texts=()):
    """Prints the workbook with LibreOffice; reads the pages back."""
    wb = openpyxl.load_workbook(path)
    tmp = tempfile.mkdtemp(prefix="xlsx-pdf-")
    try:
        outdir = os.path.join(tmp, "out")
        os.makedirs(outdir)
        proc = libreoffice(["--convert-to", "pdf", "--outdir", outdir, path], tmp)
        out = os.path.join(outdir, os.path.splitext(os.path.basename(path))[0] + ".pdf")
        if not check(os.path.exists(out), "LibreOffice printed nothing: %s"
                     % (proc.stdout.decode(errors="replace")[-500:] if proc else "")):
            return
        info = subprocess.run(["pdfinfo", out], stdout=subprocess.PIPE, check=True).stdout.decode()
        n_pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        pages = []
        for p in range(1, n_pages + 1):
            text = subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), "-layout", out, "-"],
                                  stdout=subprocess.PIPE, check=True).stdout.decode()
            pages.append(text)
        # each text whole on a page, its wrapped lines one after the
        # other in the page's text (LibreOffice draws a cell's lines
        # together, and leaves out what a cell cuts)
        flat = ["".join(subprocess.run(["pdftotext", "-raw", "-f", str(p), "-l", str(p), out, "-"],
                                       stdout=subprocess.PIPE, check=True).stdout.decode().split())
                for p in range(1, n_pages + 1)]
        for t in texts:
            check(any("".join(t.split()) in f for f in flat), "printed nowhere whole: %r" % t)
        # 8 pt or more: a word's box is 1.3 times the font size (11 pt
        # text gives 14.3 points)
        boxes = subprocess.run(["pdftotext", "-bbox", out, "-"], stdout=subprocess.PIPE,
                               check=True).stdout.decode()
        heights = [(float(m.group(4)) - float(m.group(2)), m.group(5)) for m in WORD.finditer(boxes)]
        check(heights, "no text in the PDF")
        small = [(h / 1.3, w) for h, w in heights if h / 1.3 < 7.95]
        check(not small, "text under 8 pt: %r" % small[:5])
        print("pdf: %d pages, smallest text %.2f pt" % (n_pages, min(h for h, w in heights) / 1.3))

        # each bus on its page: its site, its group, its departure
        for ws in wb.worksheets:
            if not ws.title.startswith("Site visits"):
                continue
            on_sheet = [t for t in pages if ws.title in t.split("\n", 1)[0]]
            buses = [r for r in range(2, ws.max_row + 1)
                     if str(ws["A%d" % r].value or "").startswith("Bus: ")]
            bus_pages = [t for t in on_sheet if "Bus: " in t]
            check(len(bus_pages) == len(buses), "%s: %d bus pages for %d buses"
                  % (ws.title, len(bus_pages), len(buses)))
            for r, text in zip(buses, bus_pages):
                site, group, departs = ws["C%d" % (r + 1)].value, ws["C%d" % (r + 4)].value, ws["C%d" % (r + 6)].value
                flat = " ".join(text.split())
                check(text.count("Bus: ") == 1, "%s: two buses on one page" % ws.title)
                check(" ".join(str(site).split())[:40] in flat, "%s: page of %r does not name its site" % (ws.title, site))
                check("Group " + group in flat, "%s: page of %r does not name its group" % (ws.title, group))
                check(re.search(r"Departs\s+%s" % departs.strftime("%H:%M"), text),
                      "%s: page of %r does not show its departure %s" % (ws.title, site, departs))
            print("pdf: %s: %d buses, a page each" % (ws.title, len(buses)))
        # each Payment page ends with its total
        for ws in wb.worksheets:
            if not ws.title.startswith("Payment"):
                continue
            for text in [t for t in pages if ws.title in t.split("\n", 1)[0]]:
                check(re.search(r"Page \d+ total|Total, all pages", text),
                      "%s: a page without its total" % ws.title)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def display_width(text):
    """text_width() of roster_print.c: wide (CJK) characters count two."""
    return sum(2 if ord(ch) >= 0x1000 else 1 for ch in text)


def wrapped(path):
    """A text that cannot run on into the next cell wraps in a row tall
    enough for it: lines of at least 1.4 characters a unit of column width
    (LibreOffice fits about 1.25), 10 points a line at 8 pt, 14 at 11."""
    wb = openpyxl.load_workbook(path)
    n_wrapped = 0
    for ws in wb.worksheets:
        spans = {}
        for rng in ws.merged_cells.ranges:
            spans[(rng.min_row, rng.min_col)] = range(rng.min_col, rng.max_col + 1)
        default = ws.sheet_format.defaultRowHeight or 15
        for row in ws.iter_rows():
            for c in row:
                if not isinstance(c.value, str) or c.data_type == "f":
                    continue
                cols = spans.get((c.row, c.column), [c.column])
                # the widths as set, without the padding the file adds
                width = sum((ws.column_dimensions[openpyxl.utils.get_column_letter(k)].width or 9.14) - 0.71
                            for k in cols)
                text_w = display_width(c.value)
                if text_w <= width:
                    continue
                beside = ws.cell(row=c.row, column=cols[-1] + 1)
                if beside.value is None and not c.alignment.wrap_text:
                    continue            # runs on over the empty cell
                where = "%s!%s" % (ws.title, c.coordinate)
                if not check(c.alignment.wrap_text,
                             "%s: %d characters in a column %g wide, cut (not wrapped)"
                             % (where, text_w, width)):
                    continue
                n_wrapped += 1
                size = c.font.sz or 11
                lines = -(-text_w * size // (11 * 1.4 * width))
                height = ws.row_dimensions[c.row].height or default
                need = lines * (10 if size <= 8 else 14 if size <= 11 else 18)
                # Payment: the page's slack runs out (roster_money.c)
                if not ws.title.startswith("Payment"):
                    check(height >= need, "%s: a row %g points high for %d lines (%d characters in %g)"
                          % (where, height, lines, text_w, width))
                if lines > 1:
                    for other in row:
                        if other.value is not None or other.coordinate in ws.merged_cells:
                            check(other.alignment.vertical == "top" or other.value is None,
                                  "%s!%s: not at the top of a wrapped row" % (ws.title, other.coordinate))
    print("wrapped: %d cells wrap, none cut" % n_wrapped if not FAILURES else "wrapped: checked")


def money(path, mission, missions_csv, participants_csv, attendance_csv):
    """The finance rules of the README, computed again from the CSV
    exports, against the workbook's stored results."""
    import csv
    from datetime import date, timedelta

    def rows(p):
        with open(p, newline="", encoding="utf-8-sig") as f:
            return list(csv.DictReader(f))

    def unguard(v):
        s = v[1:].lstrip("'")
        if v.startswith("'") and s[:1] and s[0] in "=+-@\t\r":
            return v[1:]
        return v

    m = [r for r in rows(missions_csv) if r["code"] == mission][0]
    first = date.fromisoformat(m["start"])
    days = [first + timedelta(d) for d in range(int(m["days"]))]
    last = days[-1]
    rate = float(m["per_diem"] or 0)
    nightly = float(m["nightly_rate"] or 0)
    share = float(m.get("travel_share") or 75) / 100
    meals = float(m.get("meal_deduction") or 0)
    whole = m["currency"] in ("RWF", "JPY", "KRW", "UGX", "XAF", "XOF", "BIF", "CLP")
    marks = [r for r in rows(attendance_csv) if r["mission"] == mission]
    covered = {date.fromisoformat(r["date"]) for r in marks}
    present = {}
    for r in marks:
        if r["present"] == "yes":
            present.setdefault(r["ref"], set()).add(date.fromisoformat(r["date"]))

    def day(text, default):
        return date.fromisoformat(text[:10]) if text else default

    want = {}
    for p in rows(participants_csv):
        if p["mission"] != mission:
            continue
        o = dict(nights=0, days=0, travel_days=0, per_diem=0, meals=0, accommodation=0,
                 travel=0, flag="")
        if p["status"] == "confirmed":
            arr = day(p["arrival"], first - timedelta(1))
            dep = day(p["departure"], last + timedelta(1))
            stay = {d for d in days if arr <= d <= dep}
            marked = present.get(unguard(p["ref"]), set()) & covered
            o["days"] = len(marked) + len(stay - covered)
            if o["days"] == 0 and stay and stay <= covered:
                o["flag"] = "no-show"
            else:
                o["nights"] = max(0, (min(dep, last + timedelta(1)) - max(arr, first - timedelta(1))).days)
                o["travel_days"] = (arr < first <= dep) + (dep > last >= arr)
            funded = p["funded"] != "no"
            if funded:
                o["per_diem"] = o["days"] * rate
                o["meals"] = o["days"] * meals
                o["travel"] = round(o["travel_days"] * rate * share + 1e-9, 0 if whole else 2)
            o["accommodation"] = o["nights"] * nightly
        o["total"] = o["per_diem"] - o["meals"] + o["accommodation"] + o["travel"]
        o["cash"] = o["per_diem"] - o["meals"] + o["travel"] \
            if p["status"] == "confirmed" and p["funded"] != "no" and not o["flag"] else None
        want[p["ref"]] = o

    wv = openpyxl.load_workbook(path, data_only=True)
    sheets = [n for n in wv.sheetnames if n in ("Roster", "Roster " + mission)]
    suffix = sheets[0][len("Roster"):]
    ws = wv["Roster" + suffix]
    cols = dict(nights="L", days="M", travel_days="N", per_diem="P", meals="Q",
                accommodation="S", travel="T", total="U", flag="W")
    seen, totals = 0, {k: 0.0 for k in cols if k != "flag"}
    for r in range(2, ws.max_row + 1):
        ref = ws["A%d" % r].value
        if ref not in want:
            continue
        seen += 1
        for k, col in cols.items():
            got = ws["%s%d" % (col, r)].value
            exp = want[ref][k]
            if k == "flag":
                check((got or "") == exp, "%s: flag %r, expected %r" % (ref, got, exp))
            else:
                check(near(got, exp), "%s: %s %r, expected %r" % (ref, k, got, exp))
                totals[k] += exp
    check(seen == len(want), "%s: %d rows, the CSV has %d registrations" % (ws.title, seen, len(want)))
    total_row = [r for r in range(2, ws.max_row + 1) if ws["A%d" % r].value == "Total (filtered rows)"][0]
    for k, col in cols.items():
        if k != "flag":
            check(near(ws["%s%d" % (col, total_row)].value, totals[k]),
                  "%s total %r, expected %r" % (k, ws["%s%d" % (col, total_row)].value, totals[k]))
    pay = wv["Payment" + suffix]
    cash = sum(o["cash"] for o in want.values() if o["cash"] is not None)
    payees = sum(1 for o in want.values() if o["cash"] is not None)
    end = [r for r in range(2, pay.max_row + 1) if pay["D%d" % r].value == "Total, all pages"][0]
    check(near(pay["E%d" % end].value, cash), "Payment total %r, expected %r" % (pay["E%d" % end].value, cash))
    check(sum(1 for r in range(2, end) if isinstance(pay["A%d" % r].value, (int, float))) == payees,
          "Payment: not %d payees" % payees)
    print("money: %d registrations, total %.2f, cash %.2f, as computed from the CSV"
          % (seen, totals["total"], cash))


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
    elif len(argv) in (3, 4) and argv[1] == "recalc":
        recalc(argv[2], argv[3:] or ["libreoffice", "gnumeric"])
    elif len(argv) >= 3 and argv[1] == "pdf":
        pdf(argv[2], argv[3:])
    elif len(argv) == 3 and argv[1] == "wrapped":
        wrapped(argv[2])
    elif len(argv) == 7 and argv[1] == "money":
        money(*argv[2:])
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
