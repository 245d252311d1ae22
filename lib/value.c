/* value.c - dates, clock times, numbers, codes and text as users type them. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "countries.h"
#include "value.h"

/* Howard Hinnant's days_from_civil: exact for every Gregorian date. */
int64_t
days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 +
		       (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static bool
digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

static const char *
date_prefix(const char *s, int64_t *days)
{
	int y, m, d;
	static const int mdays[] = { 31, 29, 31, 30, 31, 30,
				     31, 31, 30, 31, 30, 31 };

	if (!digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &m) ||
	    s[7] != '-' || !digits(s + 8, 2, &d))
		return "expected a date as YYYY-MM-DD";
	if (m < 1 || m > 12 || d < 1 || d > mdays[m - 1] ||
	    (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))))
		return "no such day in the calendar";
	if (y < 1900 || y > 2200)
		return "year out of range (1900-2200)";
	*days = days_from_civil(y, m, d);
	return NULL;
}

const char *
parse_date(const char *s, int64_t *days)
{
	const char *why = date_prefix(s, days);
	if (!why && s[10] != '\0')
		return "expected a date as YYYY-MM-DD";
	return why;
}

const char *
parse_clock(const char *s, int *minutes)
{
	int h, m;
	if (!digits(s, 2, &h) || s[2] != ':' || !digits(s + 3, 2, &m) ||
	    s[5] != '\0')
		return "expected a time as HH:MM (24-hour)";
	if (h > 23 || m > 59)
		return "no such time of day (00:00-23:59)";
	*minutes = h * 60 + m;
	return NULL;
}

const char *
parse_date_time(const char *s, int64_t *days, int *minutes)
{
	const char *why = date_prefix(s, days);
	if (why)
		return strcmp(why, "expected a date as YYYY-MM-DD") == 0
			       ? "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM"
			       : why;
	*minutes = -1;
	if (s[10] == '\0')
		return NULL;
	if ((s[10] != 'T' && s[10] != ' ') || parse_clock(s + 11, minutes))
		return "expected YYYY-MM-DD or YYYY-MM-DDTHH:MM";
	return NULL;
}

const char *
parse_int(const char *s, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	if (!isdigit((unsigned char)*s) && *s != '-')
		return "expected a whole number";
	v = strtol(s, &end, 10);
	if (*end != '\0' || end == s)
		return "expected a whole number";
	if (errno == ERANGE || v < min || v > max)
		return min == 0 ? "must not be negative or that large"
				: "out of range";
	*out = v;
	return NULL;
}

const char *
parse_money(const char *s, int64_t *cents)
{
	int64_t units = 0;
	int frac = 0, nfrac = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return "expected an amount such as 1850 or 1850.50";
	for (; isdigit((unsigned char)*p); p++)
		if (__builtin_mul_overflow(units, 10, &units) ||
		    __builtin_add_overflow(units, *p - '0', &units))
			return "amount too large";
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p) && nfrac < 2; p++, nfrac++)
			frac = frac * 10 + (*p - '0');
		if (nfrac == 0)
			return "expected an amount such as 1850 or 1850.50";
		if (nfrac == 1)
			frac *= 10;
	}
	if (*p != '\0')
		return "expected an amount such as 1850 or 1850.50 (at most "
		       "two decimals, no thousands separators)";
	if (__builtin_mul_overflow(units, 100, &units) ||
	    __builtin_add_overflow(units, frac, &units))
		return "amount too large";
	*cents = units;
	return NULL;
}

const char *
parse_coordinate(const char *s, double limit, double *out)
{
	char *end;
	double v;

	errno = 0;
	if (s[strspn(s, "+-0123456789.")] != '\0')
		return "expected decimal degrees such as 14.5542";
	v = strtod(s, &end);
	if (end == s || *end != '\0' || !isfinite(v) ||
	    !(isdigit((unsigned char)*s) || *s == '-' || *s == '+'))
		return "expected decimal degrees such as 14.5542";
	if (v < -limit || v > limit)
		return limit == 90 ? "latitude must be between -90 and 90"
				   : "longitude must be between -180 and 180";
	*out = v;
	return NULL;
}

const char *
check_coordinate_pair(const char *lat, const char *lon, int *blame)
{
	bool has_lat = lat && *lat, has_lon = lon && *lon;

	if (!lat == !lon && has_lat == has_lon)
		return NULL;
	/* the one that is absent, or empty beside a value */
	*blame = !lat || (lon && !has_lat) ? 0 : 1;
	return "give lat and lon together (both empty clears the position)";
}

const char *
parse_yes_no(const char *s, bool *out)
{
	if (!strcasecmp(s, "yes") || !strcasecmp(s, "y") ||
	    !strcasecmp(s, "true") || !strcmp(s, "1"))
		*out = true;
	else if (!strcasecmp(s, "no") || !strcasecmp(s, "n") ||
		 !strcasecmp(s, "false") || !strcmp(s, "0"))
		*out = false;
	else
		return "expected yes or no";
	return NULL;
}

const char *
check_zone(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[4096], magic[4];
	FILE *fp;
	size_t got;

	/* An IANA name is Area/Location: letters, digits, - + _ and /. */
	if (!*name || name[0] == '/' || strstr(name, "..") ||
	    name[strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			      "0123456789/_-+")] != '\0')
		return "not an IANA time zone name (e.g. Asia/Manila)";
	if (!strncmp(name, "posix/", 6) || !strncmp(name, "right/", 6))
		return "not an IANA time zone name (e.g. Asia/Manila)";
	snprintf(path, sizeof(path), "%s/%s",
		 dir && *dir ? dir : "/usr/share/zoneinfo", name);
	if (!(fp = fopen(path, "rb")))
		return "unknown time zone (not in the system zone database)";
	got = fread(magic, 1, 4, fp);
	fclose(fp);
	if (got != 4 || memcmp(magic, "TZif", 4) != 0)
		return "unknown time zone (not in the system zone database)";
	return NULL;
}


/* ISO 4217 currencies in use. */
static const char CURRENCIES[] =
	"AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD "
	"BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE "
	"CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF "
	"GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS "
	"KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD "
	"MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR "
	"PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK "
	"SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD "
	"TWD TZS UAH UGX USD UYU UZS VES VND VUV WST XAF XCD XCG XOF XPF YER "
	"ZAR ZMW ZWG";

static bool
in_list(const char *list, const char *code, size_t len)
{
	if (strlen(code) != len)
		return false;
	for (const char *p = list;; p += len + 1) {
		if (!strncmp(p, code, len))
			return true;
		if (!p[len])
			return false;
	}
}

const char *
check_country(const char *code)
{
	if (strlen(code) != 2 || !country_find(code))
		return "not an ISO 3166-1 alpha-2 country code (e.g. PH, MX, RW)";
	return NULL;
}

const char *
check_currency(const char *code)
{
	if (!in_list(CURRENCIES, code, 3))
		return "not an ISO 4217 currency code (e.g. PHP, MXN, RWF, USD)";
	return NULL;
}

/* The lengths of the leading runs of ASCII letters, of letters and digits,
 * and of what a code may hold (strspn with a long set costs a table built
 * on each call: these run on every row of an import). */
static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool
is_letter_digit(char c)
{
	return is_letter(c) || (c >= '0' && c <= '9');
}

static bool
is_code_char(char c)
{
	return is_letter_digit(c) || c == '-' || c == '_' || c == '.';
}

/* The length of the leading run of characters that is() accepts. */
static size_t
span(const char *s, bool (*is)(char))
{
	size_t n = 0;
	while (is(s[n]))
		n++;
	return n;
}

const char *
check_language(const char *tag)
{
	/* language[-script][-region][-variant]: 2-3 letters, then subtags of
	 * 1-8 letters or digits (RFC 5646, by shape only). */
	const char *p = tag;
	size_t n = span(p, is_letter);
	if (n < 2 || n > 3)
		return "not a BCP 47 language tag (e.g. en, es, fil, rw)";
	for (p += n; *p; p += n) {
		if (*p++ != '-')
			return "not a BCP 47 language tag (e.g. en, es, fil, rw)";
		n = span(p, is_letter_digit);
		if (n < 1 || n > 8)
			return "not a BCP 47 language tag (e.g. en, es, fil, rw)";
	}
	return NULL;
}

const char *
check_code(const char *code)
{
	if (!*code)
		return "must not be empty";
	if (code[span(code, is_code_char)] != '\0')
		return "use only letters, digits, '-', '_' and '.'";
	if (code[0] == '.') /* codes name files: no "..", no hidden files */
		return "must not start with '.'";
	if (strlen(code) > 64)
		return "longer than 64 characters";
	return NULL;
}

const char *
check_email(const char *email)
{
	const char *at = strchr(email, '@');
	if (!at || at == email || strchr(at + 1, '@') || !strchr(at + 1, '.') ||
	    email[strcspn(email, " \t\r\n,;<>\"")] != '\0')
		return "not an email address";
	return NULL;
}

bool
utf8_valid(const char *s)
{
	size_t n;
	while (*s) {
		if (!(n = fs_utf8_next(s, NULL)))
			return false;
		s += n;
	}
	return true;
}

size_t
text_limit(fs_text_kind kind)
{
	switch (kind) {
	case FS_TEXT_NAME:
		return 200;
	case FS_TEXT_TITLE:
		return 300;
	case FS_TEXT_ADDRESS:
		return 500;
	case FS_TEXT_NOTE:
		return 10000;
	default:
		return 0;
	}
}

static const char *
kind_noun(fs_text_kind kind)
{
	switch (kind) {
	case FS_TEXT_NAME:
		return "a name";
	case FS_TEXT_TITLE:
		return "a title";
	case FS_TEXT_ADDRESS:
		return "an address";
	case FS_TEXT_NOTE:
		return "a description or note";
	default:
		return "this field";
	}
}

/*
 * One pass: UTF-8, control characters, length.  Control characters would
 * reach terminals (ESC sequences), calendars and workbooks as they are;
 * C0 (U+0000-U+001F), DEL and C1 (U+0080-U+009F, which some terminals
 * obey as ESC sequences) are refused, but for line breaks (LF, CRLF) and
 * tabs in addresses and notes.
 */
const char *
check_text(const char *s, fs_text_kind kind, char *why, size_t size)
{
	size_t chars = 0, limit = text_limit(kind);
	bool lines = kind == FS_TEXT_NOTE || kind == FS_TEXT_ADDRESS;

	while (*s) {
		/* most text is printable ASCII: one byte, one character */
		if ((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7F) {
			chars++;
			s++;
			continue;
		}
		size_t n = fs_utf8_next(s, NULL);
		const unsigned char *p = (const unsigned char *)s;
		unsigned cp;
		if (!n)
			return "invalid UTF-8";
		cp = n == 1 ? p[0] : n == 2 ? ((p[0] & 0x1Fu) << 6) | (p[1] & 0x3Fu)
					    : 0x800;
		chars++;
		bool control = cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
		if (control && lines &&
		    (cp == '\n' || cp == '\t' || (cp == '\r' && p[1] == '\n')))
			control = false;
		if (control) {
			if (cp == '\n' || cp == '\r')
				snprintf(why, size, "a line break at character "
					 "%zu: %s is one line (only addresses, "
					 "descriptions and notes may hold "
					 "several)", chars, kind_noun(kind));
			else
				snprintf(why, size, "control character U+%04X "
					 "at character %zu: not allowed in "
					 "text", cp, chars);
			return why;
		}
		s += n;
	}
	if (limit && chars > limit) {
		snprintf(why, size, "%zu characters: %s holds at most %zu", chars,
			 kind_noun(kind), limit);
		return why;
	}
	return NULL;
}

void
format_date(int64_t days, char buf[11])
{
	int y, m, d;
	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u);
}

void
format_money(int64_t cents, char buf[32])
{
	if (cents % 100 == 0)
		snprintf(buf, 32, "%" PRId64, cents / 100);
	else
		snprintf(buf, 32, "%" PRId64 ".%02d", cents / 100,
			 (int)(cents % 100));
}

char *
trim(char *s)
{
	char *end;
	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' ||
			   end[-1] == '\r' || end[-1] == '\n'))
		end--;
	*end = '\0';
	return s;
}

/*
 * Sort keys for names: "Álvarez" files next to "Alvarez", "Ñúñez" next to
 * "Nunez".  Latin letters with diacritics (U+00C0-U+017F) become their base
 * letter, combining marks (U+0300-U+036F) are dropped, ASCII is lowercased;
 * everything else (other scripts) is kept as it is and sorts after Latin.
 */
static const char LATIN1_BASE[] = /* U+00C0-U+00FF; '*' for x and / */
	"aaaaaaaceeeeiiiidnooooo*ouuuuyts"
	"aaaaaaaceeeeiiiidnooooo*ouuuuyty";
static const char LATIN_EXT_A_BASE[] = /* U+0100-U+017F */
	"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiiijjkkklllllll"
	"lllnnnnnnnnnoooooooorrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

size_t
fold_key(const char *s, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	while (*p) {
		unsigned cp = *p, len = 1;
		if (cp >= 0xC0 && cp < 0xE0 && (p[1] & 0xC0) == 0x80) {
			cp = ((cp & 0x1F) << 6) | (p[1] & 0x3F);
			len = 2;
		} else if (cp >= 0x80) {
			/* a longer sequence (other scripts, emoji): kept */
			len = cp >= 0xF0 ? 4 : cp >= 0xE0 ? 3 : 1;
			for (unsigned i = 1; i < len; i++)
				if ((p[i] & 0xC0) != 0x80)
					len = i;
			cp = 0x110000; /* no code point of interest */
		}
		char c = 0;
		if (cp < 0x80)
			c = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		else if (cp >= 0xC0 && cp <= 0xFF && LATIN1_BASE[cp - 0xC0] != '*')
			c = LATIN1_BASE[cp - 0xC0];
		else if (cp >= 0x100 && cp <= 0x17F)
			c = LATIN_EXT_A_BASE[cp - 0x100];
		if (cp >= 0x300 && cp <= 0x36F) {
			/* combining mark: nothing */
		} else if (c) {
			if (n + 1 < size)
				buf[n] = c;
			n++;
		} else {
			for (unsigned i = 0; i < len; i++, n++)
				if (n + 1 < size)
					buf[n] = (char)p[i];
		}
		p += len;
	}
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}


size_t
fs_utf8_next(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned c = *p;
	uint32_t code;
	size_t n;

	if (c < 0x80) {
		if (cp)
			*cp = c;
		return c ? 1 : 0;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		n = 1;
		code = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 2;
		code = c & 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 3;
		code = c & 0x07;
	} else {
		return 0;
	}
	for (size_t i = 1; i <= n; i++) {
		if ((p[i] & 0xC0) != 0x80) /* a NUL stops here too */
			return 0;
		code = (code << 6) | (p[i] & 0x3F);
	}
	if ((n == 2 && code < 0x800) || (n == 3 && code < 0x10000) ||
	    (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF)
		return 0;
	if (cp)
		*cp = code;
	return n + 1;
}
