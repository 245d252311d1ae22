/* fieldschool/json.h - writing JSON text (RFC 8259) to a stream. */
#ifndef FIELDSCHOOL_JSON_H
#define FIELDSCHOOL_JSON_H

#include <stdio.h>

/* Writes s as a JSON string, quotes included; NULL writes null. */
void fs_json_string(FILE *out, const char *s);

#endif
