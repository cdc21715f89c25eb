/*
 * coverage.h - the values of the functional scope: service and class ids,
 * incident levels, durations, availability, service lists, the scope
 * terms beside items (services, exclusions, service-level classes, kind
 * defaults) and an item's coverage lines, as the scope document
 * `scope-register/2` writes them (docs/FORMAT.md). No register.
 */
#ifndef SCOPEREG_INVENTORY_COVERAGE_H
#define SCOPEREG_INVENTORY_COVERAGE_H

#include <stddef.h>

typedef struct inv_err inv_err;
typedef struct inv_buf inv_buf;
typedef struct inv_attr inv_attr;
typedef struct inv_item inv_item;

/* The format tag of the documents of versions committed with coverage. */
#define INV_FORMAT_TAG2 "scope-register/2"

/* The word that stands for "no service" / "no class" in the document and
 * on the command line, and the one that gives an item back its kind's
 * default: neither is ever an id. */
#define INV_COV_NONE "none"
#define INV_COV_DEFAULT "default"

/* Checks a service or class id (what: "service" or "class"):
 * [a-z0-9][a-z0-9_-]{0,31}, not "none" nor "default". INV_EINPUT naming
 * what and the id, with the rule. Nothing to free. */
int inv_cov_id_check(const char *what, const char *id, inv_err *e);

/* The incident levels, in the document's order. */
#define INV_LEVELS 4
extern const char *const inv_levels[INV_LEVELS]; /* critical, major, minor, improvement */

/* The level text names (any case, accents optional): English, French
 * (critique, majeur, mineur, amélioration), German (kritisch, hoch,
 * mittel, niedrig); its index, or -1 when none. Cannot fail. */
int inv_level_parse(const char *text);

/* A duration `N(min|h|d)`, N a positive whole number of at most 6 digits,
 * unit in any case; writes the canonical form (no leading zero, unit in
 * lower case: "04H" gives "4h") to out (at least 16 bytes). INV_EINPUT
 * naming field and the form. Nothing to free. */
int inv_duration_parse(const char *field, const char *text, char *out, inv_err *e);

/* An availability `NN(.N{1,3})?` with an optional "%", between 0 and 100;
 * writes the canonical form (no leading zero, no trailing zero in the
 * fraction, then "%": "99.90" gives "99.9%") to out (at least 16 bytes).
 * INV_EINPUT naming the form. Nothing to free. */
int inv_availability_parse(const char *text, char *out, inv_err *e);

/* The longest canonical list of services, in bytes: what input accepts
 * (inv_service_list_parse) and what a document's reader takes back
 * (inv_cov_value_parse); its coverage line stays within a document's
 * line limit. */
#define INV_COV_LIST_MAX INV_VALUE_MAX

/* A list of service ids, comma-separated (spaces around commas
 * ignored), or "none": its canonical form into out (reset first): ids
 * sorted bytewise joined by ", ", or "none". INV_EINPUT naming the id that
 * is malformed or repeated, or when the canonical list is longer than
 * INV_COV_LIST_MAX bytes; INV_EIO when out of memory. The caller frees
 * out (inv_buf_free). */
int inv_service_list_parse(const char *text, inv_buf *out, inv_err *e);

/* Calls fn once per id of a canonical list ("none": never), id being n
 * bytes (not NUL-terminated); stops and returns what fn returns when
 * non-zero. Cannot fail otherwise. */
typedef int (*inv_list_fn)(void *ctx, const char *id, size_t n);
int inv_service_list_walk(const char *list, inv_list_fn fn, void *ctx);

/* ---- scope terms: services, exclusions, classes, kind defaults ---- */

typedef enum inv_term_type {
    INV_TERM_SERVICE,
    INV_TERM_EXCLUSION,
    INV_TERM_CLASS,
    INV_TERM_DEFAULT,
    INV_TERM_TYPES
} inv_term_type;

/* The word of each type, as the document and the term table write it:
 * "service", "exclusion", "class", "default". */
extern const char *const inv_term_words[INV_TERM_TYPES];
/* The type a word names, or -1. Cannot fail. */
int inv_term_type_of(const char *word, size_t n);

/* A term: its type, its id (the service or class id, the exclusion's
 * text, the kind of a default) and its fields in the type's document
 * order (service: name, description; class: name, hours, availability,
 * "response LEVEL" x4, "resolution LEVEL" x4; default: services, sla;
 * exclusion: none). Values are canonical. */
typedef struct inv_term {
    int type;
    char *id;
    inv_attr *f;
    size_t nf;
} inv_term;

/* Zero-initialises / frees every string and zero-initialises again. */
void inv_term_init(inv_term *t);
void inv_term_free(inv_term *t);

/* The field keys of a type, NULL-terminated, in document order. */
const char *const *inv_term_keys(int type);

/* Sets (value NULL: removes) the field key of t, kept in document order;
 * the value is copied as given (canonical: the caller parsed it).
 * INV_EINPUT when key is not a field of t's type; INV_EIO when out of
 * memory. */
int inv_term_set(inv_term *t, const char *key, const char *value, inv_err *e);
/* The value of key, or NULL. Cannot fail. */
const char *inv_term_get(const inv_term *t, const char *key);
/* Whether two terms have the same fields (ids and types not compared). */
int inv_term_equal(const inv_term *a, const inv_term *b);

/* The stored encoding of t's fields (key 0x1F value 0x1E, in document
 * order) into b (reset first). -1 when out of memory. */
int inv_term_encode(const inv_term *t, inv_buf *b);
/* Fills t (freed first) from a stored row: its type, id and len bytes of
 * body. Checks what verify needs: an id that is a service or class id
 * (an exclusion's a one-line value, a default's a canonical kind), known
 * keys in document order, each once, and canonical values. INV_EINPUT
 * naming the term and the field; INV_EIO when out of memory. */
int inv_term_decode(inv_term *t, int type, const char *id, const void *body, size_t len,
                    inv_err *e);

/* Appends the block of t as the document writes it: "TYPE: ID" then one
 * "  KEY: VALUE" line per field. -1 when out of memory. */
int inv_term_format(inv_buf *b, const inv_term *t);
/* Appends the change entry of t: op 'A' "TYPE + ID", 'R' "TYPE - ID" and
 * "  reason: R", 'M' "TYPE ~ ID" and one "  KEY: OLD -> NEW" line per
 * field that differs (quoted, (none) when absent). -1 when out of
 * memory. */
int inv_term_change_format(inv_buf *b, char op, const inv_term *before, const inv_term *after,
                           const char *reason);

/* ---- an item's coverage ---- */

/* Bits of an item's own coverage (the item row's `own` column). */
#define INV_OWN_SERVICES 1
#define INV_OWN_SLA 2

/* Appends the two coverage lines of an item block: "  services: LIST
 * (own|kind default)" and "  sla: CLASS (own|kind default)". svc and sla
 * are canonical ("none" when NULL: a row written before coverage). -1
 * when out of memory. */
int inv_cov_lines(inv_buf *b, const char *svc, const char *sla, int own);
/* The value of a coverage line, as in the document and in change lines:
 * "LIST (own)" or "LIST (kind default)" into out (reset first). -1 when
 * out of memory. */
int inv_cov_value(inv_buf *out, const char *list, int own);
/* Splits the value of a coverage line into its list (n bytes at *list)
 * and its source (*own 1, 0); INV_EINPUT when it is not "LIST (own)" or
 * "LIST (kind default)" with a canonical LIST (what: "services" or "sla",
 * for the message); INV_EIO "out of memory", no verdict on the value. */
int inv_cov_value_parse(const char *what, const char *value, const char **list, size_t *n,
                        int *own, inv_err *e);

/* For a reader of a scope-register/2 item block: when key is "services"
 * or "sla", parses value (the line's unescaped value) into it's coverage
 * (svc, sla, own) and returns 1; returns 0 for any other key (an
 * attribute); -1 with INV_EINPUT (or INV_EIO) in e when the value is not
 * "LIST (own)" or "LIST (kind default)". */
int inv_item_cov_line(inv_item *it, const char *key, const char *value, inv_err *e);

/* Digest of an item row with coverage: the digest of the row without it
 * (base, 32 hex) combined with svc, sla and own (length-prefixed), 32 hex
 * + NUL into out. */
void inv__cov_row_digest(const char base[33], const char *svc, const char *sla, long long own,
                         char out[33]);
/* Digest of a term row (type word, id, since, op, body, reason), 32 hex +
 * NUL into out. */
void inv__term_row_digest(const char *type, const char *id, long long since, const char *op,
                          const void *body, size_t len, const char *reason, char out[33]);

#endif
