/* json.h - minimal JSON output for --json (cli/json.c). */
#ifndef SCOPEREG_CLI_JSON_H
#define SCOPEREG_CLI_JSON_H

#include <stdint.h>
#include <stdio.h>

#include "inventory.h"

/* Writes s as a JSON string (quoted, escaped) to f; NULL writes null. */
void cli_json_str(FILE *f, const char *s);
/* Writes an item as {"id":..,"kind":..,"name":..,"attributes":{..}}. */
void cli_json_item(FILE *f, const inv_item *it);
/* Writes t as a JSON string "YYYY-MM-DDTHH:MM:SSZ". */
void cli_json_time(FILE *f, int64_t t);

#endif
