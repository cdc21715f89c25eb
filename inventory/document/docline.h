/*
 * docline.h - what documents.c (the grammar) and docchain.c (one version
 * following another) share about the lines of a scope document: the
 * field lines of a modification and the order of an item's fields.
 * Private to the inventory module.
 */
#ifndef SCOPEREG_INVENTORY_DOCLINE_H
#define SCOPEREG_INVENTORY_DOCLINE_H

#include <stddef.h>

/* Longest line accepted: an escaped value of INV_VALUE_MAX bytes (each
 * byte at most two) quoted twice on a change line, plus its key. */
#define INV__DOC_LINE_MAX (4 * INV_VALUE_MAX + 1024)

/* A modification's field line "  KEY: OLD -> NEW" split up: old and nw
 * point inside the quotes of the quoted form (escapes \\ \n \t \" still
 * in place), or are NULL for (none). */
typedef struct inv__fline {
    const char *key;
    size_t klen;
    const char *old;
    size_t olen;
    const char *nw;
    size_t nlen;
} inv__fline;

/* Splits l (n bytes, the line after its two leading spaces) into f. -1
 * when it is not KEY ": " (quoted / "(none)") " -> " (quoted / "(none)")
 * exactly; 0 otherwise. The key itself is not checked. */
int inv__fline_parse(const char *l, size_t n, inv__fline *f);

/* The order of the fields of an item and of a modification: "kind",
 * "name", then attribute keys bytewise. <0, 0, >0 like memcmp. */
int inv__field_cmp(const char *a, size_t an, const char *b, size_t bn);
/* inv__field_cmp for a document of format fmt: in scope-register/2 the
 * coverage lines "services" and "sla" come right after the fixed fields,
 * in that order, before every attribute. */
int inv__field_cmp_fmt(int fmt, const char *a, size_t an, const char *b, size_t bn);

/* The order of the field lines of a /2 item block or modification when
 * each line's place tells whether it is a coverage line (acov, bcov 1) or
 * a field of that name (0: kind, name, or an attribute, "services" and
 * "sla" included): kind, name, the coverage services, the coverage sla,
 * then attributes bytewise. <0, 0, >0 like memcmp. */
int inv__field_cmp_cov(const char *a, size_t an, int acov, const char *b, size_t bn, int bcov);
/* Whether the field line f of a /2 modification is a coverage line: a
 * services: line before any attribute line and any coverage line, or an
 * sla: line before any attribute line and the coverage sla line, whose
 * two values are coverage values ("LIST (own)", "LIST (kind default)");
 * any other line (an attribute named services or sla included) is not.
 * *state, 0 at the modification's first line, is updated line by line.
 * -1 when memory ran out (no answer, *state unchanged). */
int inv__fline_cov(const inv__fline *f, int *state);

#endif
