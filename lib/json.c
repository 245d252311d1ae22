/* json.c - JSON string escaping. */
#include "fieldschool/json.h"

void
fs_json_string(FILE *out, const char *s)
{
	if (!s) {
		fputs("null", out);
		return;
	}
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs("\\n", out);
			break;
		case '\r':
			fputs("\\r", out);
			break;
		case '\t':
			fputs("\\t", out);
			break;
		default:
			/* control characters escaped, DEL and C1 (U+0080-
			 * U+009F) too: JSON allows them raw, terminals obey
			 * some of them */
			if (*p < 0x20 || *p == 0x7F)
				fprintf(out, "\\u%04x", *p);
			else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
				fprintf(out, "\\u%04x", *++p);
			else
				putc(*p, out);
		}
	}
	putc('"', out);
}
