#!/usr/bin/python3
"""ics_check.py - an independent checker of the iCalendar feeds fieldschool
writes, for the end-to-end tests (tests/cli/100-feeds.sh,
110-publish-crash.sh).

Run it with Debian's /usr/bin/python3 (python3-icalendar 4.0.3, pytz,
dateutil, and the standard zoneinfo module):

    ics_check.py [options] FILE...

Every FILE is checked in four independent ways, and each problem is printed
as "FILE: problem"; the exit status is 1 when any was found, 0 otherwise.

 1. Raw bytes (RFC 5545 section 3.1): every line ends with CRLF and holds no
    other CR or LF; no physical line is longer than 75 octets; every
    physical line is valid UTF-8 on its own (folding never split a
    character); no empty line; no control characters other than tab.
 2. Our own content-line parser (unfolding, parameters with quoted values,
    RFC 5545 TEXT unescaping, strict about unknown escapes): the calendar
    has VERSION:2.0, PRODID, NAME, X-WR-CALNAME (VALUE=TEXT, equal to
    NAME), X-WR-TIMEZONE, REFRESH-INTERVAL, X-PUBLISHED-TTL, DESCRIPTION,
    each once, and at most one METHOD, PUBLISH; every VEVENT has UID
    (unique in the file), DTSTAMP (UTC), SEQUENCE, DTSTART, DTEND, SUMMARY,
    STATUS:CANCELLED exactly when the SUMMARY starts "Cancelled: " (any
    other STATUS, at most one, is CONFIRMED; fieldschool writes none), and
    ORGANIZER when --organizer is given or the calendar has METHOD:PUBLISH
    (RFC 5546); CREATED and LAST-MODIFIED, each at most once, in UTC;
    DTEND after DTSTART; a GEO has an X-APPLE-STRUCTURED-LOCATION whose
    geo: URI agrees with it and whose X-TITLE is the LOCATION (Apple's
    clients show no map otherwise), with VALUE=URI and X-APPLE-RADIUS.
 3. Time zones: every TZID used names exactly one VTIMEZONE with that exact
    TZID, a plain IANA name that zoneinfo knows (an unused VTIMEZONE is
    allowed: a feed may hold only all-day events).  The UTC instant of every
    DTSTART/DTEND is computed twice - from the local time with
    zoneinfo.ZoneInfo(tzid), and from the observances of the embedded
    VTIMEZONE (our own computation: RFC 5545 onsets, RRULE/RDATE expanded, a
    local time in a gap takes the offset before it, an ambiguous one the
    first occurrence) - and both must agree.  Each observance's offsets and
    name must be zoneinfo's at its onset, and a VTIMEZONE must hold no more
    observances than the zone's changes in the feed's window need (one,
    plus one per change between the window's first and last day, with a
    margin of --margin days, 3 by default).  The window is the feed's own
    event dates unless --window FROM TO gives it.
 4. python3-icalendar parses the file without errors, and finds the same
    events (UIDs) as our parser; and, when --libical BIN is given or the
    ICS_PARSE environment variable names tests/ics_parse (built by CMake),
    libical parses it without errors (X-LIC-ERROR), finds as many VEVENTs,
    and computes the same UTC instants, SEQUENCE and STATUS from the
    embedded VTIMEZONE (except for local times in a gap, which libical
    reads with the offset after it); libical's own iTIP restriction check
    (icalrestriction_check) passes; and python3-icalendar and libical both
    read back exactly the X-WR-CALNAME that our parser reads.
    --require-libical fails when no ics_parse is available, so that a test
    cannot pass by skipping it.  python3-icalendar must also compute the
    same UTC instants (except in a gap).  A local time that happens twice
    (the hour the clocks go back) means its first occurrence (RFC 5545
    3.3.5); libical and python3-icalendar take the second, so a feed that
    writes such a time with a TZID fails here.

Other options:
    --json FILE|-        write what was read, for the shell tests to assert
                         on: one object per file (calname, name, events with
                         uid, summary, status, sequence, local and UTC start
                         and end, location, geo, description, categories...)
    --expect-observances TZID=N   the VTIMEZONE of TZID has exactly N
                         observances (repeatable)
    --organizer          every VEVENT needs an ORGANIZER (RFC 5546, PUBLISH)
    --allow-unescaped-x-text  accept unescaped ',' and ';' in the TEXT of
                         X- properties (feeds of older versions); refused
                         by default, and --strict-x-text is kept for older
                         scripts
    --quiet              print nothing when all is well
"""
import argparse
import datetime as dt
import json
import os
import re
import subprocess
import sys
import zoneinfo

import icalendar
from dateutil import rrule as du_rrule

UTC = dt.timezone.utc
REQUIRED_CALENDAR = ["VERSION", "PRODID", "NAME", "X-WR-CALNAME",
                     "X-WR-TIMEZONE", "REFRESH-INTERVAL", "X-PUBLISHED-TTL",
                     "DESCRIPTION"]
REQUIRED_EVENT = ["UID", "DTSTAMP", "SEQUENCE", "DTSTART", "DTEND", "SUMMARY"]
# optional (RFC 5545), but never twice
AT_MOST_ONCE = ["CREATED", "LAST-MODIFIED", "STATUS", "LOCATION", "GEO",
                "DESCRIPTION", "X-APPLE-STRUCTURED-LOCATION"]
# libical 3.0.16 writes the TEXT of X- properties with only '\\' and
# newlines escaped; fieldschool escapes X-WR-CALNAME in full (VALUE=TEXT)
# because vobject cuts the name at an unescaped ',' and ical.js keeps '\\'
# doubled.  --allow-unescaped-x-text accepts the old form.
ALLOW_X = False
CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f]")


class Problems:
    def __init__(self, path):
        self.path = path
        self.list = []

    def add(self, msg):
        self.list.append(msg)


# --- 1. raw bytes -----------------------------------------------------------

def check_raw(data, pr):
    if not data:
        pr.add("empty file")
        return []
    if not data.startswith(b"BEGIN:VCALENDAR\r\n"):
        pr.add("does not start with BEGIN:VCALENDAR CRLF")
    if not data.endswith(b"END:VCALENDAR\r\n"):
        pr.add("does not end with END:VCALENDAR CRLF")
    parts = data.split(b"\r\n")
    if parts[-1] != b"":
        pr.add("last line has no CRLF")
    lines = parts[:-1] if parts[-1] == b"" else parts
    for n, line in enumerate(lines, 1):
        if b"\r" in line or b"\n" in line:
            pr.add(f"line {n}: bare CR or LF (every line must end with CRLF)")
        if len(line) > 75:
            pr.add(f"line {n}: {len(line)} octets, more than 75")
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError as e:
            pr.add(f"line {n}: not valid UTF-8 on its own ({e.reason} at "
                   f"octet {e.start}): folding split a character?")
            continue
        if not text:
            pr.add(f"line {n}: empty line")
        bad = CONTROL.search(text)
        if bad:
            pr.add(f"line {n}: control character U+{ord(bad.group()):04X}")
    return lines


# --- 2. content lines -------------------------------------------------------

class Prop:
    def __init__(self, name, params, value, lineno):
        self.name, self.params, self.value, self.lineno = \
            name, params, value, lineno

    def text(self, pr=None):
        return unescape_text(self.value, pr, self)


class Comp:
    def __init__(self, name):
        self.name = name
        self.props = []
        self.comps = []

    def all(self, name):
        return [p for p in self.props if p.name == name]

    def one(self, name):
        got = self.all(name)
        return got[0] if got else None


def unfold(lines):
    """Logical lines (str) with the number of their first physical line."""
    out = []
    for n, raw in enumerate(lines, 1):
        line = raw.decode("utf-8", errors="replace")
        if line[:1] in (" ", "\t") and out:
            out[-1][1] += line[1:]
        else:
            out.append([n, line])
    return out


def parse_line(line, lineno, pr):
    i, n = 0, len(line)
    while i < n and line[i] not in ";:":
        i += 1
    name = line[:i].upper()
    if not re.fullmatch(r"[A-Z0-9-]+", name):
        pr.add(f"line {lineno}: bad property name {line[:i]!r}")
    params = {}
    while i < n and line[i] == ";":
        i += 1
        j = line.find("=", i)
        if j < 0:
            pr.add(f"line {lineno}: parameter without '='")
            return Prop(name, params, "", lineno)
        pname = line[i:j].upper()
        i = j + 1
        values = []
        while True:
            if i < n and line[i] == '"':
                j = line.find('"', i + 1)
                if j < 0:
                    pr.add(f"line {lineno}: unterminated quoted parameter")
                    return Prop(name, params, "", lineno)
                values.append(line[i + 1:j])
                i = j + 1
            else:
                j = i
                while j < n and line[j] not in ';:,':
                    if line[j] == '"':
                        pr.add(f"line {lineno}: '\"' inside an unquoted "
                               f"parameter value")
                    j += 1
                values.append(line[i:j])
                i = j
            if i < n and line[i] == ",":
                i += 1
                continue
            break
        params[pname] = values
    if i >= n or line[i] != ":":
        pr.add(f"line {lineno}: no ':' after the name and parameters")
        return Prop(name, params, "", lineno)
    return Prop(name, params, line[i + 1:], lineno)


def unescape_text(value, pr=None, prop=None):
    out, i = [], 0
    while i < len(value):
        c = value[i]
        if c == "\\" and i + 1 < len(value):
            d = value[i + 1]
            if d in "nN":
                out.append("\n")
            elif d in ",;\\":
                out.append(d)
            else:
                if pr:
                    pr.add(f"line {prop.lineno}: {prop.name}: bad escape "
                           f"'\\{d}' in TEXT")
                out.append(d)
            i += 2
            continue
        if c == "\\":
            if pr:
                pr.add(f"line {prop.lineno}: {prop.name}: lone backslash at "
                       f"the end of a TEXT value")
        elif c in ",;" and pr and prop.name != "CATEGORIES" and not (
                ALLOW_X and prop.name.startswith("X-")):
            pr.add(f"line {prop.lineno}: {prop.name}: unescaped '{c}' in TEXT")
        out.append(c)
        i += 1
    return "".join(out)


def parse_components(logical, pr):
    root = None
    stack = []
    for lineno, line in logical:
        prop = parse_line(line, lineno, pr)
        if prop.name == "BEGIN":
            comp = Comp(prop.value.upper())
            if stack:
                stack[-1].comps.append(comp)
            elif root is None:
                root = comp
            else:
                pr.add(f"line {lineno}: a second top-level component")
            stack.append(comp)
        elif prop.name == "END":
            if not stack or stack[-1].name != prop.value.upper():
                pr.add(f"line {lineno}: END:{prop.value} does not match")
            else:
                stack.pop()
        elif not stack:
            pr.add(f"line {lineno}: property outside any component")
        else:
            stack[-1].props.append(prop)
    if stack:
        pr.add("unterminated component " + stack[-1].name)
    return root


def parse_local(value):
    """A DATE or local DATE-TIME (no Z)."""
    if re.fullmatch(r"\d{8}", value):
        return dt.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    m = re.fullmatch(r"(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)(Z?)", value)
    if not m:
        raise ValueError(f"bad date-time {value!r}")
    t = dt.datetime(*map(int, m.groups()[:6]))
    return t.replace(tzinfo=UTC) if m.group(7) else t


def parse_offset(value):
    m = re.fullmatch(r"([+-])(\d\d)(\d\d)(\d\d)?", value)
    if not m:
        raise ValueError(f"bad UTC offset {value!r}")
    secs = int(m.group(2)) * 3600 + int(m.group(3)) * 60 + int(m.group(4) or 0)
    return secs if m.group(1) == "+" else -secs


def zulu(t):
    return t.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# --- 3. time zones ----------------------------------------------------------

class VTimezone:
    """The observances of a VTIMEZONE as (onset UTC, offset from, offset
    to, name, is_dst), sorted by onset."""

    def __init__(self, comp, pr, horizon):
        self.tzid = comp.one("TZID").value if comp.one("TZID") else None
        self.obs = []
        self.n_components = 0
        for sub in comp.comps:
            if sub.name not in ("STANDARD", "DAYLIGHT"):
                pr.add(f"VTIMEZONE {self.tzid}: unexpected {sub.name}")
                continue
            self.n_components += 1
            try:
                start = parse_local(sub.one("DTSTART").value)
                frm = parse_offset(sub.one("TZOFFSETFROM").value)
                to = parse_offset(sub.one("TZOFFSETTO").value)
            except (AttributeError, ValueError) as e:
                pr.add(f"VTIMEZONE {self.tzid}: bad observance: {e}")
                continue
            name = sub.one("TZNAME").text() if sub.one("TZNAME") else ""
            starts = [start]
            for p in sub.all("RDATE"):
                starts += [parse_local(v) for v in p.value.split(",")]
            for p in sub.all("RRULE"):
                rule = du_rrule.rrulestr(p.value, dtstart=start)
                starts += list(rule.between(start, horizon, inc=True))
            for s in sorted(set(starts)):
                onset = (s - dt.timedelta(seconds=frm)).replace(tzinfo=UTC)
                self.obs.append((onset, frm, to, name, sub.name == "DAYLIGHT"))
        self.obs.sort()

    def to_utc(self, local):
        """The UTC instant of a local wall time, by RFC 5545, or None when
        the VTIMEZONE does not reach back to it."""
        obs = self.obs
        valid = []
        for i, (onset, frm, to, _, _) in enumerate(obs):
            u = local.replace(tzinfo=UTC) - dt.timedelta(seconds=to)
            nxt = obs[i + 1][0] if i + 1 < len(obs) else None
            if u >= onset and (nxt is None or u < nxt):
                valid.append(u)
        if valid:
            return min(valid)  # ambiguous: the first occurrence
        # a gap: the offset before it
        for i in range(len(obs) - 1, -1, -1):
            onset, frm, to, _, _ = obs[i]
            if local.replace(tzinfo=UTC) - dt.timedelta(seconds=frm) >= onset:
                return local.replace(tzinfo=UTC) - dt.timedelta(seconds=frm)
        return None


_transitions_cache = {}


def zone_changes(tzid, first, last):
    """zoneinfo's offset changes (UTC instants) from the start of day first
    to the end of day last (local dates, in UTC +-14 h to be safe)."""
    key = (tzid, first, last)
    if key in _transitions_cache:
        return _transitions_cache[key]
    z = zoneinfo.ZoneInfo(tzid)
    t = dt.datetime.combine(first, dt.time(), UTC) - dt.timedelta(hours=14)
    end = dt.datetime.combine(last, dt.time(), UTC) + dt.timedelta(hours=38)
    step = dt.timedelta(minutes=15)
    out = []
    prev = t.astimezone(z).utcoffset()
    prev_name = t.astimezone(z).tzname()
    while t < end:
        t2 = t + step
        now = t2.astimezone(z)
        if now.utcoffset() != prev or now.tzname() != prev_name:
            # narrow down to the second
            lo, hi = t, t2
            while hi - lo > dt.timedelta(seconds=1):
                mid = lo + (hi - lo) / 2
                m = mid.astimezone(z)
                if m.utcoffset() == prev and m.tzname() == prev_name:
                    lo = mid
                else:
                    hi = mid
            out.append(hi.replace(microsecond=0))
            prev, prev_name = now.utcoffset(), now.tzname()
        t = t2
    _transitions_cache[key] = out
    return out


def check_vtimezone(vtz, pr, window, margin, expect):
    tzid = vtz.tzid
    try:
        z = zoneinfo.ZoneInfo(tzid)
    except Exception:
        pr.add(f"VTIMEZONE TZID {tzid!r} is not a zoneinfo name")
        return
    if not vtz.obs:
        pr.add(f"VTIMEZONE {tzid}: no observance")
        return
    for onset, frm, to, name, is_dst in vtz.obs:
        local_onset = onset + dt.timedelta(seconds=frm)
        if local_onset.replace(tzinfo=None) <= dt.datetime(1970, 1, 1):
            continue  # "in force since 1970" - no claim about the past
        after = onset.astimezone(z)
        before = (onset - dt.timedelta(seconds=1)).astimezone(z)
        if after.utcoffset().total_seconds() != to:
            pr.add(f"VTIMEZONE {tzid}: observance at {zulu(onset)} has "
                   f"TZOFFSETTO {to}, zoneinfo says "
                   f"{after.utcoffset().total_seconds():.0f}")
        if before.utcoffset().total_seconds() != frm:
            pr.add(f"VTIMEZONE {tzid}: observance at {zulu(onset)} has "
                   f"TZOFFSETFROM {frm}, zoneinfo says "
                   f"{before.utcoffset().total_seconds():.0f}")
        if name and name != after.tzname():
            pr.add(f"VTIMEZONE {tzid}: observance at {zulu(onset)} is named "
                   f"{name}, zoneinfo says {after.tzname()}")
        # DAYLIGHT is the larger offset of a summer-time pair, whichever
        # half the zone database calls DST (Dublin's winter and Morocco's
        # Ramadan time are "negative DST" there): what Outlook expects.
        pair = bool(after.dst()) or bool(before.dst())
        daylight = pair and to > frm
        if daylight != is_dst:
            pr.add(f"VTIMEZONE {tzid}: observance at {zulu(onset)} is "
                   f"{'DAYLIGHT' if is_dst else 'STANDARD'}, but it goes "
                   f"from {frm} to {to} (zoneinfo's dst() {after.dst()})")
    if tzid in expect and len(vtz.obs) != expect[tzid]:
        pr.add(f"VTIMEZONE {tzid}: {len(vtz.obs)} observances, expected "
               f"{expect[tzid]}")
    if window:
        first, last = window
        changes = zone_changes(tzid, first - dt.timedelta(days=margin),
                               last + dt.timedelta(days=margin))
        # a range in summer time may also carry the standard time before
        # it: a DAYLIGHT with no STANDARD is what Outlook mishandles
        extra = 1 if (len(vtz.obs) >= 2 and not vtz.obs[0][4]
                      and vtz.obs[1][4]) else 0
        if len(vtz.obs) > 1 + len(changes) + extra:
            pr.add(f"VTIMEZONE {tzid}: {len(vtz.obs)} observances, but "
                   f"{first}..{last} (+-{margin} days) needs at most "
                   f"{1 + len(changes)} ({len(changes)} changes)")


# --- the whole file ---------------------------------------------------------

def check_file(path, args, expect_obs):
    pr = Problems(path)
    with open(path, "rb") as f:
        data = f.read()
    lines = check_raw(data, pr)
    info = {"file": path, "events": [], "observances": {}, "tzids": []}
    if not lines:
        return pr, info
    root = parse_components(unfold(lines), pr)
    if root is None or root.name != "VCALENDAR":
        pr.add("no VCALENDAR")
        return pr, info

    # calendar properties
    for name in REQUIRED_CALENDAR:
        n = len(root.all(name))
        if n != 1:
            pr.add(f"calendar has {n} {name}, expected 1")
    if root.one("VERSION") and root.one("VERSION").value != "2.0":
        pr.add("VERSION is not 2.0")
    if len(root.all("METHOD")) > 1:
        pr.add("calendar has more than one METHOD")
    if root.one("METHOD") and root.one("METHOD").value != "PUBLISH":
        pr.add("METHOD is not PUBLISH")
    info["method"] = root.one("METHOD").value if root.one("METHOD") else None
    calname = root.one("X-WR-CALNAME")
    if calname and calname.params.get("VALUE") != ["TEXT"]:
        pr.add("X-WR-CALNAME without VALUE=TEXT (clients would not "
               "unescape it)")
    for name in ("NAME", "X-WR-CALNAME", "DESCRIPTION", "X-WR-TIMEZONE"):
        if root.one(name):
            info[name.lower().replace("x-wr-", "")] = root.one(name).text(pr)
    info["calname"] = info.pop("calname", None)
    if info.get("name") != info.get("calname"):
        pr.add(f"NAME {info.get('name')!r} differs from X-WR-CALNAME "
               f"{info.get('calname')!r}")
    refresh = root.one("REFRESH-INTERVAL")
    if refresh and refresh.params.get("VALUE") != ["DURATION"]:
        pr.add("REFRESH-INTERVAL without VALUE=DURATION (RFC 7986)")
    if refresh and not re.fullmatch(r"P(T\d+[HMS])+|P\d+[DW]", refresh.value):
        pr.add(f"REFRESH-INTERVAL {refresh.value!r} is not a duration")

    # time zones
    vtzs = {}
    events = []
    for comp in root.comps:
        if comp.name == "VTIMEZONE":
            vtz = VTimezone(comp, pr, dt.datetime(2100, 1, 1))
            if vtz.tzid in vtzs:
                pr.add(f"two VTIMEZONEs with TZID {vtz.tzid}")
            vtzs[vtz.tzid] = vtz
            info["observances"][vtz.tzid] = len(vtz.obs)
        elif comp.name == "VEVENT":
            events.append(comp)
        else:
            pr.add(f"unexpected component {comp.name}")
    wr = info.get("timezone")
    if wr:
        try:
            zoneinfo.ZoneInfo(wr)
        except Exception:
            pr.add(f"X-WR-TIMEZONE {wr!r} is not a zoneinfo name")

    used = set()
    uids = set()
    dates = []
    for ev in events:
        e = {}
        for name in REQUIRED_EVENT:
            n = len(ev.all(name))
            if n != 1:
                pr.add(f"event {ev.one('UID').value if ev.one('UID') else '?'}"
                       f": {n} {name}, expected 1")
        for name in AT_MOST_ONCE:
            n = len(ev.all(name))
            if n > 1:
                pr.add(f"event {ev.one('UID').value if ev.one('UID') else '?'}"
                       f": {n} {name}, expected at most 1")
        if (args.organizer or info["method"]) and not ev.one("ORGANIZER"):
            pr.add(f"event {ev.one('UID').value if ev.one('UID') else '?'}: "
                   f"no ORGANIZER (RFC 5546 requires one in PUBLISH)")
        uid = ev.one("UID").text(pr) if ev.one("UID") else None
        e["uid"] = uid
        if uid in uids:
            pr.add(f"UID {uid} twice")
        uids.add(uid)
        for name in ("SUMMARY", "LOCATION", "DESCRIPTION", "STATUS"):
            p = ev.one(name)
            e[name.lower()] = p.text(pr) if p else None
        e["categories"] = [unescape_text(v) for p in ev.all("CATEGORIES")
                           for v in re.split(r"(?<!\\),", p.value)]
        try:
            e["sequence"] = int(ev.one("SEQUENCE").value)
            if e["sequence"] < 0:
                raise ValueError
        except (AttributeError, ValueError):
            pr.add(f"event {uid}: bad SEQUENCE")
            e["sequence"] = None
        for name in ("DTSTAMP", "CREATED", "LAST-MODIFIED"):
            p = ev.one(name)
            if p is None:
                continue
            if not re.fullmatch(r"\d{8}T\d{6}Z", p.value):
                pr.add(f"event {uid}: {name} {p.value!r} is not UTC")
            e[name.lower().replace("-", "_")] = p.value
        org = ev.one("ORGANIZER")
        e["organizer"] = org.value if org else None
        e["organizer_cn"] = org.params.get("CN", [None])[0] if org else None
        e["transp"] = ev.one("TRANSP").value if ev.one("TRANSP") else None
        status = e.get("status")
        if status not in (None, "CONFIRMED", "CANCELLED"):
            pr.add(f"event {uid}: STATUS {status!r}")
        summary = e.get("summary") or ""
        if (status == "CANCELLED") != summary.startswith("Cancelled: "):
            pr.add(f"event {uid}: STATUS {status} but SUMMARY {summary!r}")
        # start and end
        for name in ("DTSTART", "DTEND"):
            p = ev.one(name)
            key = name[2:].lower()  # start / end
            if p is None:
                continue
            tzid = p.params.get("TZID", [None])[0]
            try:
                value = parse_local(p.value)
            except ValueError as err:
                pr.add(f"event {uid}: {name}: {err}")
                continue
            if isinstance(value, dt.datetime):
                if value.tzinfo is None and not tzid:
                    pr.add(f"event {uid}: {name} is a floating time")
                    continue
                if value.tzinfo is not None:
                    e[key] = p.value
                    e[key + "_utc"] = zulu(value)
                    continue
                if p.params.get("VALUE", ["DATE-TIME"]) != ["DATE-TIME"]:
                    pr.add(f"event {uid}: {name} has VALUE="
                           f"{p.params['VALUE']} but holds a date-time")
                used.add(tzid)
                e["tzid"] = tzid
                e[key] = value.strftime("%Y-%m-%dT%H:%M")
                dates.append(value.date())
                try:
                    zi = value.replace(tzinfo=zoneinfo.ZoneInfo(tzid))
                    by_zoneinfo = zulu(zi)
                except Exception:
                    pr.add(f"event {uid}: TZID {tzid!r} is not a plain IANA "
                           f"name that zoneinfo knows")
                    continue
                e[key + "_utc"] = by_zoneinfo
                back = zi.astimezone(UTC).astimezone(zi.tzinfo)
                if back.replace(tzinfo=None) != value:
                    e[key + "_gap"] = True  # a local time that does not exist
                vtz = vtzs.get(tzid)
                if vtz is None:
                    continue  # reported below
                by_vtz = vtz.to_utc(value)
                if by_vtz is None:
                    pr.add(f"event {uid}: {name} {p.value} is before the "
                           f"first observance of VTIMEZONE {tzid}")
                elif zulu(by_vtz) != by_zoneinfo:
                    pr.add(f"event {uid}: {name} {p.value} {tzid} is "
                           f"{zulu(by_vtz)} by the VTIMEZONE but "
                           f"{by_zoneinfo} by zoneinfo")
            else:
                if p.params.get("VALUE") != ["DATE"]:
                    pr.add(f"event {uid}: {name} is a DATE without VALUE=DATE")
                if tzid:
                    pr.add(f"event {uid}: {name} is a DATE with a TZID")
                e[key] = value.isoformat()
                e[key + "_utc"] = None
                dates.append(value)
        s, en = ev.one("DTSTART"), ev.one("DTEND")
        if s and en:
            try:
                a, b = parse_local(s.value), parse_local(en.value)
                if type(a) is not type(b):
                    pr.add(f"event {uid}: DTSTART and DTEND of different types")
                elif e.get("start_utc") and e.get("end_utc"):
                    if e["end_utc"] <= e["start_utc"]:
                        pr.add(f"event {uid}: DTEND not after DTSTART")
                elif not b > a:
                    pr.add(f"event {uid}: DTEND not after DTSTART")
            except ValueError:
                pass
        geo = ev.one("GEO")
        apple = ev.one("X-APPLE-STRUCTURED-LOCATION")
        e["geo"] = geo.value if geo else None
        if geo:
            try:
                lat, lon = map(float, geo.value.split(";"))
            except ValueError:
                pr.add(f"event {uid}: bad GEO {geo.value!r}")
                lat = lon = None
            if not apple:
                pr.add(f"event {uid}: GEO without X-APPLE-STRUCTURED-LOCATION")
            elif lat is not None:
                m = re.fullmatch(r"geo:(-?[\d.]+),(-?[\d.]+)", apple.value)
                if not m or abs(float(m.group(1)) - lat) > 1e-6 or \
                        abs(float(m.group(2)) - lon) > 1e-6:
                    pr.add(f"event {uid}: X-APPLE-STRUCTURED-LOCATION "
                           f"{apple.value!r} does not match GEO {geo.value}")
                e["apple_title"] = apple.params.get("X-TITLE", [None])[0]
                # a parameter holds no line break or '"' (fieldschool
                # writes a space and an apostrophe), RFC 6868 aside
                title = re.sub(r"\^(n|'|\^)",
                               lambda g: {"n": "\n", "'": '"', "^": "^"}[
                                   g.group(1)], e["apple_title"] or "")
                wanted = re.sub(r"[\x00-\x1f\x7f]", " ",
                                e.get("location") or "").replace('"', "'")
                if title != wanted:
                    pr.add(f"event {uid}: X-APPLE-STRUCTURED-LOCATION "
                           f"X-TITLE {e['apple_title']!r} is not the "
                           f"LOCATION {e.get('location')!r}")
                if apple.params.get("VALUE") != ["URI"] or \
                        not apple.params.get("X-APPLE-RADIUS"):
                    pr.add(f"event {uid}: X-APPLE-STRUCTURED-LOCATION "
                           f"without VALUE=URI and X-APPLE-RADIUS")
        info["events"].append(e)

    for tzid in sorted(used):
        if tzid not in vtzs:
            pr.add(f"TZID {tzid} has no VTIMEZONE")
        if tzid.startswith("/") or "sourceforge" in tzid:
            pr.add(f"TZID {tzid} is not a plain IANA name")
    info["tzids"] = sorted(used)
    window = args.window
    if window is None and dates:
        window = (min(dates), max(dates))
    for vtz in vtzs.values():
        check_vtimezone(vtz, pr, window, args.margin, expect_obs)

    # 4a. python3-icalendar
    try:
        cal = icalendar.Calendar.from_ical(data)
        errs = list(getattr(cal, "errors", []))
        for c in cal.walk():
            errs += getattr(c, "errors", [])
        for err in errs:
            pr.add(f"icalendar: {err}")
        theirs = sorted(str(c.get("UID")) for c in cal.walk("VEVENT"))
        if theirs != sorted(u or "" for u in uids):
            pr.add(f"icalendar finds events {theirs}, we find {sorted(uids)}")
        ours = {e["uid"]: e for e in info["events"]}
        for c in cal.walk("VEVENT"):
            e = ours.get(str(c.get("UID")), {})
            for name in ("DTSTART", "DTEND"):
                value = c.decoded(name)  # must convert
                key = name[2:].lower()
                if not isinstance(value, dt.datetime) or \
                        e.get(key + "_gap") or not e.get(key + "_utc"):
                    continue
                if value.tzinfo is None:
                    pr.add(f"event {e.get('uid')}: icalendar reads {name} "
                           f"as a floating time")
                elif zulu(value) != e[key + "_utc"]:
                    pr.add(f"event {e.get('uid')}: icalendar puts {key} at "
                           f"{zulu(value)}, we (and zoneinfo) at "
                           f"{e[key + '_utc']}")
        theirs = cal.get("X-WR-CALNAME")
        # python3-icalendar 4.0.3 unescapes "\\n" before "\\\\", so it
        # misreads a backslash followed by n or N (C:\\new): such names
        # are compared by libical and our parser only
        if theirs is not None and str(theirs) != info.get("calname") and \
                not re.search(r"\\[nN]", info.get("calname") or ""):
            pr.add(f"icalendar reads X-WR-CALNAME {str(theirs)!r}, we read "
                   f"{info.get('calname')!r}")
    except Exception as err:  # noqa: BLE001 - any failure is a problem
        pr.add(f"icalendar cannot parse: {type(err).__name__}: {err}")
    return pr, info


def run_libical(binary, paths, infos, problems):
    """Checks what libical reads against what we read."""
    out = {}
    for i in range(0, len(paths), 200):
        chunk = paths[i:i + 200]
        res = subprocess.run([binary] + chunk, capture_output=True,
                             text=True, errors="replace")
        if res.returncode not in (0, 1):
            for p in chunk:
                problems[p].add(f"ics_parse failed ({res.returncode}): "
                                f"{res.stderr.strip()}")
            continue
        pending_events, pending_errors, calname = [], [], None
        for line in res.stdout.splitlines():
            f = line.split("\t")
            if f[0] == "EVENT":
                pending_events.append(f[1:])
            elif f[0] == "ERROR":
                pending_errors.append(f[1] if len(f) > 1 else line)
            elif f[0] == "CALNAME":
                calname = bytes.fromhex(f[1]).decode("utf-8", "replace")
            else:
                out[f[0]] = (pending_events, pending_errors,
                             int(f[1].split("=")[1]), calname)
                pending_events, pending_errors, calname = [], [], None
    for p in paths:
        pr = problems[p]
        if p not in out:
            pr.add("libical: no result")
            continue
        events, errors, count, calname = out[p]
        for err in errors:
            pr.add(f"libical: {err}")
        if calname != infos[p].get("calname"):
            pr.add(f"libical reads X-WR-CALNAME {calname!r}, we read "
                   f"{infos[p].get('calname')!r}")
        ours = {e["uid"]: e for e in infos[p]["events"]}
        if count != len(infos[p]["events"]):
            pr.add(f"libical finds {count} VEVENTs, we find "
                   f"{len(infos[p]['events'])}")
        for uid, start, end, seq, status in events:
            e = ours.get(uid)
            if e is None:
                pr.add(f"libical finds event {uid} that we do not")
                continue
            for what, theirs in (("start", start), ("end", end)):
                mine = e.get(what + "_utc")
                if mine is None:
                    mine = "DATE:" + (e.get(what) or "").replace("-", "")
                if e.get(what + "_gap"):
                    continue  # libical reads a gap time with the later offset
                if theirs != mine:
                    pr.add(f"event {uid}: libical puts {what} at {theirs}, "
                           f"we (and zoneinfo) at {mine}")
            if str(e.get("sequence")) != seq:
                pr.add(f"event {uid}: libical reads SEQUENCE {seq}")
            if (e.get("status") or "-") != status:
                pr.add(f"event {uid}: libical reads STATUS {status}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--json")
    ap.add_argument("--window", nargs=2, metavar=("FROM", "TO"),
                    type=dt.date.fromisoformat)
    ap.add_argument("--margin", type=int, default=3)
    ap.add_argument("--expect-observances", action="append", default=[])
    ap.add_argument("--organizer", action="store_true")
    ap.add_argument("--libical", default=os.environ.get("ICS_PARSE"))
    ap.add_argument("--require-libical", action="store_true")
    ap.add_argument("--strict-x-text", action="store_true")
    ap.add_argument("--allow-unescaped-x-text", action="store_true",
                    help="accept feeds of older versions")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args()
    global ALLOW_X
    ALLOW_X = args.allow_unescaped_x_text and not args.strict_x_text
    expect = {}
    for item in args.expect_observances:
        k, v = item.rsplit("=", 1)
        expect[k] = int(v)

    problems, infos = {}, {}
    for path in args.files:
        pr, info = check_file(path, args, expect)
        problems[path], infos[path] = pr, info
    if args.libical and os.access(args.libical, os.X_OK):
        run_libical(args.libical, args.files, infos, problems)
    elif args.require_libical:
        print(f"ics_check: no libical parser (ICS_PARSE={args.libical!r})")
        return 1
    bad = 0
    for path in args.files:
        for msg in problems[path].list:
            print(f"{path}: {msg}")
        bad += bool(problems[path].list)
    if args.json:
        text = json.dumps([infos[p] for p in args.files], ensure_ascii=False,
                          indent=1)
        if args.json == "-":
            print(text)
        else:
            with open(args.json, "w", encoding="utf-8") as f:
                f.write(text)
    if not args.quiet or bad:
        print(f"ics_check: {len(args.files)} files, {bad} with problems",
              file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
