/*
 * swiss.h - dates, times and numbers as people read them in Switzerland:
 * Europe/Zurich local time by a fixed rule (no time zone database, no
 * dependence on the machine's TZ) and Swiss digit grouping.
 */
#ifndef SCOPEREG_OUTPUT_SWISS_H
#define SCOPEREG_OUTPUT_SWISS_H

#include <stddef.h>
#include <stdint.h>

/* Bytes out_swiss_time needs: "DD.MM.YYYY HH:MM" and its NUL, with room
 * for a year of more than four digits. */
#define OUT_SWISS_TIME_LEN 40

/* The offset of Europe/Zurich from UTC at the instant t (seconds since
 * the epoch, UTC), in seconds: 7200 (CEST, summer time) from the last
 * Sunday of March 01:00 UTC, inclusive, to the last Sunday of October
 * 01:00 UTC, exclusive; 3600 (CET) otherwise. That is the rule of the EU
 * directive 2000/84/EC, which Switzerland follows; it is applied to every
 * year (instants before 1996 get it too). Cannot fail. */
int out_zurich_offset(int64_t t);

/* Writes t as Europe/Zurich reads it, "DD.MM.YYYY HH:MM" (24 h, seconds
 * dropped), into out (OUT_SWISS_TIME_LEN bytes). Cannot fail. */
void out_swiss_time(int64_t t, char out[OUT_SWISS_TIME_LEN]);

/* Writes n in decimal into out (outlen bytes, 48 are always enough for a
 * separator of up to 4 bytes), its digits grouped by three from the right
 * with sep between groups ("\xe2\x80\x99" U+2019 for de-CH and it-CH,
 * "\xe2\x80\xaf" U+202F for fr-CH): 1250 -> "1'250". sep NULL or "":
 * no grouping. A longer result is cut at a character boundary (always NUL-
 * terminated). Cannot
 * fail. */
void out_group(int64_t n, const char *sep, char *out, size_t outlen);

#endif
