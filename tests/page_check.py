#!/usr/bin/python3
"""page_check.py - reads the pages of a publish directory with an HTML5
parser (Debian's python3-html5lib) and checks them against the feeds
beside them (read with python3-icalendar and zoneinfo):

  page_check.py DIR [--base URL] [--text FILE] [--qr] [--json OUT]

For every mission M in DIR (every M/index.json): M/index.html against
M/M.ics, M/group-L.html against M/group-L.ics, M/p/TOKEN.html against
M/p/TOKEN.ics.  A page must parse without error (html5lib, strict), have
lang, one h1, a heading per day, a Content-Security-Policy that allows its
inline style and script by their SHA-256 and nothing else, no element or
attribute outside a fixed set (no on* attribute, no javascript: link);
personal pages noindex and no-referrer.  Every event of the feed must be
on the page, once, with its local start and end as <time datetime> with
the UTC offset, its title, and cancelled ones struck through and labelled.
With --base, the subscribe links must be exactly the webcal, Google,
Outlook.com and Microsoft 365 forms of the feed's address (percent-encoded),
and with --qr the QR code must decode (zbarimg, from a rendering of the
SVG made here) to the page's own address.  Text that can reorder the text
around it (right-to-left characters, directional controls) must be inside
a <bdi>, and directional controls paired there and in attributes.  --text FILE: each line must
come back as text on at least one page.  Exits 1 with the problems.
"""
import argparse
import base64
import datetime
import hashlib
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import urllib.parse
import zoneinfo

import html5lib
import icalendar

ALLOWED = {"html", "head", "body", "meta", "title", "style", "script", "a",
           "header", "main", "footer", "nav", "section", "div", "p", "h1",
           "h2", "h3", "ul", "ol", "li", "time", "span", "strong", "del",
           "bdi", "br", "code", "input", "label", "button", "details",
           "summary", "dl", "dt", "dd", "figure", "figcaption", "svg",
           "rect", "path"}
SCHEMES = ("https:", "http:", "webcal:")

problems = []


def problem(where, what):
    problems.append(f"{where}: {what}")


def text_of(el):
    return "".join(el.itertext())


def parse(path):
    with open(path, "rb") as f:
        data = f.read()
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(data), data
    except Exception as e:  # html5lib.html5parser.ParseError
        problem(path, f"HTML parse error: {e}")
        parser = html5lib.HTMLParser(namespaceHTMLElements=False)
        return parser.parse(data), data


def local_name(tag):
    return tag.split("}")[-1] if isinstance(tag, str) else ""


# Explicit directional controls: embeddings, overrides (closed by PDF) and
# isolates (closed by PDI).
OPENERS = {"\u202a": "e", "\u202b": "e", "\u202d": "e", "\u202e": "e",
           "\u2066": "i", "\u2067": "i", "\u2068": "i"}
CLOSERS = {"\u202c": "e", "\u2069": "i"}


def reorders(text):
    """Whether text can reorder what is around it: right-to-left
    characters or explicit directional controls."""
    return any(unicodedata.bidirectional(c) in ("R", "AL", "AN")
               or c in OPENERS or c in CLOSERS for c in text)


def balanced(text):
    """Each PDF closes an embedding and each PDI an isolate opened in text
    itself (UAX #9, X6a-X7), and nothing stays open at a line's end."""
    for line in text.split("\n"):
        stack = []
        for c in line:
            if c in OPENERS:
                stack.append(OPENERS[c])
            elif c == "\u202c":
                if not stack or stack[-1] != "e":
                    return False
                stack.pop()
            elif c == "\u2069":
                if "i" not in stack:
                    return False
                while stack.pop() != "i":
                    pass
        if stack:
            return False
    return True


def no_controls(text):
    """text without its directional controls, which pages pair."""
    return "".join(c for c in text if c not in OPENERS and c not in CLOSERS)


def check_bidi(path, doc):
    """Text that can reorder others is isolated in a <bdi> (text that
    cannot moves nothing), and its controls are paired within it."""
    def walk(el, isolated):
        tag = local_name(el.tag)
        if tag in ("style", "script"):
            return
        isolated = isolated or tag == "bdi"
        for value in el.attrib.values():
            if not balanced(value):
                problem(path, f"<{tag}> attribute {value[:40]!r}: "
                        "unpaired directional controls")
        if tag == "bdi" and not balanced(text_of(el).replace("\n", " ")):
            problem(path, f"<bdi> {text_of(el)[:40]!r}: unpaired "
                    "directional controls")
        if el.text and reorders(el.text) and not isolated and tag != "title":
            problem(path, f"<{tag}> text {el.text[:40]!r} not isolated")
        if tag == "title" and el.text and not balanced(el.text):
            problem(path, f"<title> {el.text[:40]!r}: unpaired "
                    "directional controls")
        for child in el:
            if not isinstance(child.tag, str):
                continue
            walk(child, isolated)
            if child.tail and reorders(child.tail) and not isolated:
                problem(path, f"text after <{local_name(child.tag)}> "
                        f"{child.tail[:40]!r} not isolated")
    walk(doc, False)


def check_structure(path, doc, personal):
    check_bidi(path, doc)
    root = doc
    if root.get("lang") != "en":
        problem(path, "no lang on <html>")
    tags = [local_name(e.tag) for e in root.iter() if isinstance(e.tag, str)]
    if tags.count("h1") != 1:
        problem(path, f"{tags.count('h1')} h1 elements")
    extra = sorted(set(tags) - ALLOWED)
    if extra:
        problem(path, f"unexpected elements: {extra}")
    for e in root.iter():
        if not isinstance(e.tag, str):
            continue
        for k, v in e.attrib.items():
            if k.lower().startswith("on") or k.lower() == "style":
                problem(path, f"attribute {k} on <{local_name(e.tag)}>")
        href = e.get("href")
        if href is not None:
            scheme = re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", href)
            if scheme and not href.startswith(SCHEMES):
                problem(path, f"link with scheme {scheme.group(0)!r}")
    ids = [e.get("id") for e in root.iter() if isinstance(e.tag, str) and e.get("id")]
    if len(ids) != len(set(ids)):
        problem(path, f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    metas = {(m.get("name") or m.get("http-equiv") or "").lower(): m.get("content")
             for m in root.iter("meta")}
    csp = metas.get("content-security-policy") or ""
    if "default-src 'none'" not in csp:
        problem(path, f"no strict Content-Security-Policy: {csp!r}")
    for tag, key in (("style", "style-src"), ("script", "script-src")):
        els = list(root.iter(tag))
        if len(els) != 1:
            problem(path, f"{len(els)} <{tag}> elements")
            continue
        digest = base64.b64encode(hashlib.sha256(
            (els[0].text or "").encode()).digest()).decode()
        if f"{key} 'sha256-{digest}'" not in csp:
            problem(path, f"the CSP does not allow the inline {tag} by its hash")
    if personal:
        if "noindex" not in (metas.get("robots") or ""):
            problem(path, "personal page without noindex")
        if metas.get("referrer") != "no-referrer":
            problem(path, "personal page without referrer no-referrer")


def event_times(ev):
    start = ev["DTSTART"].dt
    end = ev["DTEND"].dt
    if not isinstance(start, datetime.datetime):
        return start, None, None
    tz = zoneinfo.ZoneInfo(str(ev["DTSTART"].params.get("TZID")))
    start = start.replace(tzinfo=tz)
    end = end.replace(tzinfo=tz)
    return start.date(), start, end


def iso(t):
    off = t.utcoffset()
    sign = "-" if off < datetime.timedelta(0) else "+"
    minutes = abs(int(off.total_seconds())) // 60
    return t.strftime("%Y-%m-%dT%H:%M") + f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def check_events(path, doc, feed_path):
    with open(feed_path, "rb") as f:
        cal = icalendar.Calendar.from_ical(f.read())
    items = [li for li in doc.iter("li")
             if "it" in (li.get("class") or "").split()]
    seen = set()
    days = set()
    for ev in cal.walk("VEVENT"):
        summary = str(ev["SUMMARY"])
        cancelled = str(ev.get("STATUS", "")) == "CANCELLED"
        title = summary[len("Cancelled: "):] if cancelled else summary
        day, start, end = event_times(ev)
        days.add(day.isoformat())
        uid = str(ev["UID"])
        found = None
        for i, li in enumerate(items):
            times = [t.get("datetime") for t in li.iter("time")]
            ts = [p for p in li.iter("p") if "t" in (p.get("class") or "").split()]
            shown = ts[0] if ts else None
            if shown is None:
                continue
            dels = list(shown.iter("del"))
            name = text_of(dels[0]) if dels else text_of(shown)
            if uid.startswith(("arrival-", "departure-")):
                ok = li.get("id") == uid.split("-")[0] and (
                    start is None or times[:1] == [iso(start)])
            else:
                ok = times[:2] == [iso(start), iso(end)] and \
                    no_controls(name) == no_controls(title)
            if ok and i not in seen:
                found = i
                break
        if found is None:
            problem(path, f"event {uid} ({title!r} at {start or day}) is not on the page")
            continue
        seen.add(found)
        li = items[found]
        marked = "x" in (li.get("class") or "").split()
        flags = [text_of(s) for s in li.iter("span")
                 if "flag" in (s.get("class") or "").split()]
        if cancelled and not (marked and flags and list(li.iter("del"))):
            problem(path, f"cancelled event {uid} not struck through and labelled")
        if not cancelled and (marked or flags):
            problem(path, f"event {uid} marked cancelled on the page only")
    if len(items) != len(seen):
        problem(path, f"{len(items)} items on the page, {len(seen)} in the feed")
    headings = set()
    for h in doc.iter("h2"):
        for t in h.iter("time"):
            headings.add(t.get("datetime"))
    for d in days - headings:
        problem(path, f"no heading for day {d}")
    return str(cal.get("X-WR-CALNAME"))


def qr_decode(svg, where):
    """Renders the QR code's path to a PNG (8 pixels a module) and reads it
    with zbarimg."""
    from PIL import Image, ImageDraw
    box = [int(v) for v in svg.get("viewBox").split()]
    scale = 8
    img = Image.new("L", (box[2] * scale, box[3] * scale), 255)
    draw = ImageDraw.Draw(img)
    paths = [p for p in svg.iter() if local_name(p.tag) == "path"]
    # one module wide along the middle of each row: "M x y.5" starts a
    # row, "m gap 0" skips light modules, "h n" paints n dark ones
    d = paths[0].get("d")
    if paths[0].get("stroke") != "#000" or not re.fullmatch(
            r"(M\d+ \d+\.5|m\d+ 0|h\d+)*", d):
        problem(where, f"QR path not as drawn by qr.c: {d[:40]}")
        return None
    x = y = 0
    for m in re.finditer(r"M(\d+) (\d+)\.5|m(\d+) 0|h(\d+)", d):
        if m.group(1):
            x, y = int(m.group(1)), int(m.group(2))
        elif m.group(3):
            x += int(m.group(3))
        else:
            n = int(m.group(4))
            draw.rectangle([x * scale, y * scale, (x + n) * scale - 1,
                            (y + 1) * scale - 1], fill=0)
            x += n
    with tempfile.NamedTemporaryFile(suffix=".png") as f:
        img.save(f.name)
        out = subprocess.run(["zbarimg", "--quiet", "--raw", "-Sbinary", f.name],
                             capture_output=True)
    if out.returncode != 0:
        problem(where, "zbarimg could not read the QR code")
        return None
    return out.stdout.decode().rstrip("\n")


def check_subscribe(path, doc, base, rel_page, rel_feed, calname, qr):
    q = lambda s: urllib.parse.quote(s, safe="")
    anchors = {text_of(a).strip(): a.get("href") for a in doc.iter("a")}
    if not base:
        if "Subscribe links need" not in text_of(doc):
            problem(path, "no base URL, and the page does not say links need one")
        return
    url = base + "/" + urllib.parse.quote(rel_feed, safe="/")
    page_url = base + "/" + urllib.parse.quote(rel_page, safe="/")
    webcal = "webcal://" + url.split("://", 1)[1]
    want = {
        "Apple Calendar, Thunderbird": webcal,
        "Add to Google Calendar":
            "https://calendar.google.com/calendar/render?cid=" + q(webcal),
        "Add to Outlook.com":
            f"https://outlook.live.com/calendar/0/addfromweb?url={q(url)}&name={q(calname)}",
        "Add to Microsoft 365":
            f"https://outlook.office.com/calendar/0/addfromweb?url={q(url)}&name={q(calname)}",
    }
    for label, href in want.items():
        if anchors.get(label) != href:
            problem(path, f"{label}: {anchors.get(label)!r}, want {href!r}")
    field = [i for i in doc.iter("input") if i.get("id") == "feed-url"]
    if not field or field[0].get("value") != url or field[0].get("readonly") is None:
        problem(path, f"no read-only field holding {url!r}")
    svgs = [s for s in doc.iter() if local_name(s.tag) == "svg"]
    if len(svgs) != 1 or page_url not in (svgs[0].get("aria-label") or ""):
        problem(path, "no labelled QR code of the page's address")
    elif qr:
        got = qr_decode(svgs[0], path)
        if got is not None and got != page_url:
            problem(path, f"QR code reads {got!r}, want {page_url!r}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--base", default="")
    ap.add_argument("--text")
    ap.add_argument("--qr", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args()
    base = args.base.rstrip("/")
    all_text = []
    checked = []
    for mission in sorted(os.listdir(args.dir)):
        index = os.path.join(args.dir, mission, "index.json")
        if not os.path.isfile(index):
            continue
        with open(index, encoding="utf-8") as f:
            feeds = json.load(f)["feeds"]
        for feed in feeds:
            rel_feed = feed["path"]
            if feed["kind"] == "facilitator":
                continue
            if feed["kind"] == "mission":
                rel_page = f"{mission}/index.html"
            else:
                rel_page = rel_feed[:-len(".ics")] + ".html"
            path = os.path.join(args.dir, rel_page)
            if not os.path.isfile(path):
                problem(path, "missing")
                continue
            doc, data = parse(path)
            check_structure(path, doc, feed["kind"] == "personal")
            calname = check_events(path, doc, os.path.join(args.dir, rel_feed))
            check_subscribe(path, doc, base, rel_page, rel_feed, calname, args.qr)
            all_text.append(text_of(doc))
            checked.append(rel_page)
    top = os.path.join(args.dir, "index.html")
    if os.path.isfile(top):
        doc, _ = parse(top)
        check_structure(top, doc, False)
        all_text.append(text_of(doc))
    else:
        problem(top, "missing")
    if args.text:
        with open(args.text, encoding="utf-8") as f:
            for line in f.read().split("\n"):
                if line and not any(line in t for t in all_text):
                    problem(args.text, f"{line[:60]!r} is not on any page as text")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(checked, f)
    for p in problems:
        print(p)
    print(f"page_check: {len(checked)} pages, {len(problems)} problems",
          file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
