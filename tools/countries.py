#!/usr/bin/env python3
"""Writes lib/countries.c: the ISO 3166-1 alpha-2 codes and short English
names, from Debian's iso-codes (/usr/share/iso-codes/json/iso_3166-1.json),
for validation (check_country) and for badges and certificates
(handout_country).  Run it again when iso-codes changes:

    python3 tools/countries.py > lib/countries.c
"""
import json
import sys

SOURCE = "/usr/share/iso-codes/json/iso_3166-1.json"

# Shorter names where the standard's reads like an index entry
# ("Congo, The Democratic Republic of the") or iso-codes has a common one.
SHORT = {
    "CD": "DR Congo",
    "FK": "Falkland Islands",
    "FM": "Micronesia",
    "PS": "Palestine",
    "VA": "Vatican City",
    "VG": "British Virgin Islands",
    "VI": "U.S. Virgin Islands",
    "MF": "Saint Martin",
    "SX": "Sint Maarten",
    "CC": "Cocos Islands",
    "BQ": "Caribbean Netherlands",
    "SH": "Saint Helena",
}
# Not in ISO 3166-1, but used by the UN and the EU.
EXTRA = {"XK": "Kosovo"}


LOOKUP = """
static int
by_code(const void *key, const void *item)
{
\treturn strcmp(key, ((const struct country *)item)->code);
}

const struct country *
country_find(const char *code)
{
\treturn bsearch(code, countries, n_countries, sizeof(countries[0]),
\t\t       by_code);
}
"""


def main():
    entries = json.load(open(SOURCE, encoding="utf-8"))["3166-1"]
    names = {e["alpha_2"]: e.get("common_name", e["name"]) for e in entries}
    names.update(SHORT)
    names.update(EXTRA)
    out = sys.stdout
    out.write("/*\n * countries.c - ISO 3166-1 alpha-2 codes and short English "
              "names, sorted by\n * code.  Written by tools/countries.py from "
              "Debian's iso-codes: do not edit.\n */\n")
    out.write('#include <stdlib.h>\n#include <string.h>\n\n'
              '#include "countries.h"\n\n')
    out.write("const struct country countries[] = {\n")
    for code in sorted(names):
        name = names[code].replace("\\", "\\\\").replace('"', '\\"')
        out.write('\t{ "%s", "%s" },\n' % (code, name))
    out.write("};\n\n")
    out.write("const size_t n_countries = sizeof(countries) / "
              "sizeof(countries[0]);\n")
    out.write(LOOKUP)


if __name__ == "__main__":
    main()
