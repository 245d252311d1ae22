#!/usr/bin/python3
"""handout_check.py - read the hand-outs' PDFs back with poppler and zbar.

  names PDF NAMES        every line of NAMES (UTF-8) is in pdftotext's text
                         (both NFC, without whitespace, emoji and bidi
                         controls: cairo draws colour emoji as images,
                         which carry no text)
  qr PDF URLS            the QR codes of the PDF (pdftoppm -r 200, zbarimg)
                         decode to exactly the lines of URLS, as a multiset
  bbox PDF LAYOUT        every word pdftotext -bbox finds lies inside one
                         badge of LAYOUT (a4-8, a4-10, letter-10)
Prints one line per problem and exits 1 when there is any.
"""
import collections, glob, os, re, subprocess, sys, tempfile, unicodedata
import xml.etree.ElementTree as ET

BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def emoji(c):
    o = ord(c)
    return (0x1F000 <= o <= 0x1FAFF or 0x2600 <= o <= 0x27BF or
            0x2300 <= o <= 0x23FF or 0x2B00 <= o <= 0x2BFF or
            0xE0020 <= o <= 0xE007F or o in (0x200D, 0xFE0F, 0x20E3))


def norm(s):
    s = unicodedata.normalize("NFC", s)
    s = BIDI.sub("", s)
    s = "".join(c for c in s if not emoji(c))
    return " ".join(s.split())


def squeeze(s):
    return "".join(norm(s).split())


def names(pdf, names_file):
    # pdftotext's reading order (-layout off) and the content stream's
    # (-raw); spaces are compared out, as poppler puts spaces inside
    # joined Arabic words and none between some glyph runs
    texts = [squeeze(subprocess.run(["pdftotext", "-enc", "UTF-8"] + mode +
                                    [pdf, "-"], capture_output=True,
                                    check=True).stdout.decode())
             for mode in ([], ["-raw"])]
    bad = 0
    for line in open(names_file, encoding="utf-8"):
        want = squeeze(line)
        if want and not any(want in t for t in texts):
            print(f"{pdf}: name not found: {want!r}")
            bad += 1
    return bad


def qr(pdf, urls_file):
    want = collections.Counter(l.strip() for l in open(urls_file) if l.strip())
    got = collections.Counter()
    with tempfile.TemporaryDirectory() as d:
        subprocess.run(["pdftoppm", "-r", "200", "-gray", "-png", pdf,
                        os.path.join(d, "p")], check=True)
        for png in sorted(glob.glob(os.path.join(d, "p*.png"))):
            out = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sdisable",
                                  "-Sqrcode.enable", png],
                                 capture_output=True).stdout.decode()
            got.update(l for l in out.split("\n") if l)
    bad = 0
    for url in (want - got):
        print(f"{pdf}: no QR code decodes to {url}")
        bad += 1
    for url in (got - want):
        print(f"{pdf}: unexpected QR code {url}")
        bad += 1
    return bad


LAYOUTS = {  # page w, h, badge w, h (mm), cols, rows
    "a4-8": (210, 297, 90, 55, 2, 4),
    "a4-10": (210, 297, 85, 55, 2, 5),
    "letter-10": (215.9, 279.4, 88.9, 50.8, 2, 5),
}


def bbox(pdf, layout):
    pw, ph, bw, bh, cols, rows = LAYOUTS[layout]
    mm = 72 / 25.4
    x0, y0 = (pw - cols * bw) / 2 * mm, (ph - rows * bh) / 2 * mm
    out = subprocess.run(["pdftotext", "-bbox", pdf, "-"],
                         capture_output=True, check=True).stdout.decode()
    out = re.sub(r"<!DOCTYPE[^>]*>", "", out)
    root = ET.fromstring(out)
    bad = words = 0
    for page_no, page in enumerate(root.iter("{http://www.w3.org/1999/xhtml}page"), 1):
        for w in page.iter("{http://www.w3.org/1999/xhtml}word"):
            words += 1
            a = [float(w.get(k)) for k in ("xMin", "yMin", "xMax", "yMax")]
            cx, cy = (a[0] + a[2]) / 2, (a[1] + a[3]) / 2
            c, r = int((cx - x0) // (bw * mm)), int((cy - y0) // (bh * mm))
            bx, by = x0 + c * bw * mm, y0 + r * bh * mm
            tol = 0.5
            if not (0 <= c < cols and 0 <= r < rows and
                    a[0] >= bx - tol and a[2] <= bx + bw * mm + tol and
                    a[1] >= by - tol and a[3] <= by + bh * mm + tol):
                print(f"{pdf}: page {page_no}: word {w.text!r} at "
                      f"{[round(v, 1) for v in a]} leaves its badge "
                      f"(column {c}, row {r})")
                bad += 1
    if words == 0:
        print(f"{pdf}: no words found")
        bad += 1
    return bad


def main():
    what = sys.argv[1]
    n = {"names": names, "qr": qr, "bbox": bbox}[what](*sys.argv[2:])
    sys.exit(1 if n else 0)


main()
