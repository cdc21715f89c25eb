/*
 * words.h - how an output fills in the strings of its words table: %1..%9
 * stand for values given as strings, "%%" for a percent sign. Shared by
 * the files of output/ only.
 */
#ifndef SCOPEREG_OUTPUT_WORDS_H
#define SCOPEREG_OUTPUT_WORDS_H

#include "inventory.h"

/* Appends fmt to b with %1..%9 replaced by the strings that follow, which
 * end with NULL (a missing one is ""). Out of memory leaves b short; the
 * caller checks b->data. */
void out_say(inv_buf *b, const char *fmt, ...);

#endif
