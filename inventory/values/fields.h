/*
 * fields.h - the table of the document's standard fields and the table of
 * kinds: what item checks, CSV mapping, the document parser, field-level
 * diffs, JSON and the annex read to know a field or a kind.
 *
 * A new document field is one entry in fields.c (plus its docs); a new kind
 * alias is one word in the kinds table.
 */
#ifndef SCOPEREG_INVENTORY_FIELDS_H
#define SCOPEREG_INVENTORY_FIELDS_H

#include <stddef.h>

typedef struct inv_err inv_err;
typedef struct inv_item inv_item;

/* Where a field sits in an item block of the document. */
typedef enum inv_field_place {
    INV_FIELD_KEY = 1, /* the item's id: the block's "item: ID" line */
    INV_FIELD_FIXED,   /* a fixed field: "  kind:", "  name:" in table order */
    INV_FIELD_ATTR,    /* a standard attribute: "  KEY: VALUE", sorted by key */
} inv_field_place;

/* What a value of the field must be (inv_field_check in item.c applies it). */
typedef enum inv_field_rule {
    INV_RULE_ID = 1, /* an item id (inv_id_check) */
    INV_RULE_KIND,   /* a canonical kind (inv_kind_canonical gives it back) */
    INV_RULE_TEXT,   /* a value (inv_value_check) */
} inv_field_rule;

typedef struct inv_field {
    const char *key;       /* the document key: "id", "kind", "serial" */
    inv_field_place place; /* a fixed field or an attribute */
    const char *json;      /* the JSON member name (under "attributes" for one) */
    const char *label;     /* label key for human outputs, in English: "Serial number" */
    inv_field_rule rule;   /* the validation rule */
    /* CSV header aliases, compared as inv_csv_header_norm folds them;
     * NULL-terminated. The key itself matches too, without being listed. */
    const char *const *aliases;
    size_t member; /* the id and fixed fields: offsetof(inv_item, MEMBER) */
} inv_field;

/* Entry i of the table (0-based): id, kind, name, then the standard
 * attributes; NULL past the end. Cannot fail. */
const inv_field *inv_field_at(size_t i);
/* The entry whose document key is key (exact bytes, as stored), or NULL
 * when key is a free attribute. Cannot fail. */
const inv_field *inv_field_get(const char *key);
/* The entry of a fixed field or of the id (key, of n bytes, exactly), or
 * NULL: a faster inv_field_get for the few fields that are not attributes.
 * Cannot fail. */
const inv_field *inv_field_fixed(const char *key, size_t n);
/* The entry a CSV header names (its key or one of its aliases, compared
 * after inv_csv_header_norm), or NULL. Cannot fail. */
const inv_field *inv_field_by_header(const char *header);
/* How well a CSV header that maps to id names the contract's item id: 2
 * an asset tag or inventory number ("Asset Tag", "N° d'inventaire"), 0 a
 * tool's internal database id ("ID", "Asset ID", "asset_id": Snipe-IT's
 * and NetBox's row numbers), 1 anything else. Cannot fail. */
int inv_csv_id_rank(const char *header);
/* Two columns, header_a before header_b, map to field: which one to keep
 * (0: a, 1: b). For id, the one inv_csv_id_rank ranks higher (the asset
 * tag rather than the database id); else, and on a tie, the first.
 * Cannot fail. */
size_t inv_csv_dup_keep(const char *field, const char *header_a, const char *header_b);
/* The English label key of a document key ("serial" -> "Serial number"),
 * or NULL for a free attribute. Cannot fail. */
const char *inv_field_label(const char *key);
/* Document order of field lines in an item block: the fixed fields' place
 * in the table (kind 0, name 1), then every attribute key, all equal.
 * key is n bytes, not NUL-terminated. Cannot fail. */
int inv_field_rank(const char *key, size_t n);
/* The number of ranks inv_field_rank gives to fixed fields (2: kind,
 * name); an attribute's rank. Cannot fail. */
int inv_field_nfixed(void);

/* The member of it that holds the id or fixed field f (&it->kind for
 * kind), NULL for an attribute (or f NULL). Cannot fail. */
char **inv_item_fixed(inv_item *it, const inv_field *f);
/* Checks value (NULL: absent) against f's rule; id names the item in the
 * messages. INV_EINPUT with a message naming the field (or the item, for a
 * kind: "item 'ID': missing or non-canonical kind"). Defined in item.c. */
int inv_field_check(const inv_field *f, const char *id, const char *value, inv_err *e);

typedef struct inv_kind {
    const char *kind;  /* canonical name, as documents hold it */
    const char *title; /* annex title, English plural: "Workstations" */
    const char *shown; /* aliases named in inv_kind_help and `help add`, as written */
    /* aliases, '|'-separated, compared after folding to [a-z0-9]: English
     * words and asset-tool vocabularies, French, then German */
    const char *en, *fr, *de;
} inv_kind;

/* Entry i of the kinds table (0-based), in the order the annex lists them;
 * NULL past the end. Cannot fail. */
const inv_kind *inv_kind_at(size_t i);
/* The annex title of a canonical kind ("workstation" -> "Workstations"),
 * kind itself when it is not one. Cannot fail; nothing to free. */
const char *inv_kind_title(const char *kind);

#endif
