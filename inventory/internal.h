/*
 * internal.h - what the files of the inventory module share and nobody
 * else sees: the register handle, its prepared statements, the attribute
 * encoding used in the item and stage tables.
 */
#ifndef SCOPEREG_INVENTORY_INTERNAL_H
#define SCOPEREG_INVENTORY_INTERNAL_H

#include <sqlite3.h>

#include "inventory.h"

/* application_id of a register file: "SCRG". */
#define INV_APPLICATION_ID 0x53435247
#define INV_SCHEMA_VERSION 1

/* Attribute encoding in the attrs columns: for each attribute, sorted by
 * key, key 0x1F value 0x1E. Both separators are control characters, which
 * keys and values can never hold. */
#define INV_KEY_SEP '\x1f'
#define INV_ATTR_SEP '\x1e'

/* Slots of the prepared-statement cache of a register handle. */
enum inv_stmt_slot {
    ST_CUR_ITEM,
    ST_STAGE_GET,
    ST_STAGE_PUT,
    ST_STAGE_DEL,
    ST_SLOTS
};

struct inv_register {
    sqlite3 *db;
    sqlite3_stmt *cache[ST_SLOTS];
    char *path;
    char *register_id;
    char *contract;
    int in_tx; /* an explicit inv_begin is open */
    /* The digests inv_doc_digests computed last, so that sign, which
     * signs a version and then attaches (checks) that signature, renders
     * the document once. A committed version's document never changes
     * through this handle; verify does not use this cache. */
    int64_t digests_of; /* version number, 0: none */
    unsigned char digests_prehash[CR_PREHASH_BYTES];
    char digests_hash[CR_HASH_STR_LEN];
    int64_t digests_date; /* the date of that version */
    /* The clock of the command (inv_set_clock; the system clock when not
     * set): signatures dated after it plus INV_CLOCK_SKEW do not hold. */
    int64_t now;
};

/* Prepares (or fetches from SQLite's cache via sqlite3_prepare_v3 with
 * SQLITE_PREPARE_PERSISTENT) a statement; INV_EIO on failure. */
int inv__prepare(inv_register *r, sqlite3_stmt **st, const char *sql, inv_err *e);
/* A cached statement for a hot path: prepared once per handle, reset and
 * unbound on each call. Do not finalize it. */
int inv__cached(inv_register *r, enum inv_stmt_slot slot, const char *sql,
                sqlite3_stmt **st, inv_err *e);
/* INV_EIO with the SQLite message, prefixed by what. */
int inv__sqlerr(inv_register *r, inv_err *e, const char *what);
/* Runs SQL without results. */
int inv__exec(inv_register *r, const char *sql, inv_err *e);
/* Starts/ends a transaction unless an explicit one is open. */
int inv__tx_begin(inv_register *r, inv_err *e);
int inv__tx_end(inv_register *r, int commit, inv_err *e);

/* Stages it as an addition without what inv_stage_add checks first: for
 * a caller inside a transaction that has checked the item (as
 * inv_item_check does) and found its id neither staged nor in scope
 * (import). */
int inv__stage_add_new(inv_register *r, const inv_item *it, inv_err *e);

/* Encodes it->attrs into b (b reset first). */
int inv__attrs_encode(const inv_item *it, inv_buf *b);
/* Decodes an attrs column into it (attributes appended in stored order;
 * checked for sortedness, key validity and values when strict).
 * INV_EINPUT with a message on malformed data. */
int inv__attrs_decode(inv_item *it, const char *enc, size_t len, int strict, inv_err *e);
/* Fills it from columns (id, kind, name, attrs) of st starting at col. */
int inv__item_from_row(inv_item *it, sqlite3_stmt *st, int col, int strict, inv_err *e);
/* ASCII folding of the Latin letter whose UTF-8 encoding starts at s
 * (U+00C0..U+017F: "e" for e-acute, "oe", "ss"...; "" for the Latin-1
 * signs U+0080..U+00BF, which fold to nothing), or NULL when s holds
 * another character. *adv gets the bytes it spans. (aliases.c) */
const char *inv__fold_latin(const unsigned char *s, size_t *adv);
/* Duplicates a string; NULL on OOM. */
char *inv__strdup(const char *s);

/* Digest of one stored item row (hex, 32 chars + NUL), used by verify to
 * point at the row that was altered. */
void inv__row_digest(const char *id, int64_t since, const char *op, const char *kind,
                     const char *name, const char *attrs, size_t attrs_len,
                     const char *reason, char out[33]);

/* What a rendering saw; strict makes it check every item as verify does. */
typedef struct inv__render_stats {
    int strict;
    int64_t items, changes, added, removed, modified;
} inv__render_stats;

/* Renders the document of version v->number with the header fields of v
 * (which need not be stored yet: commit renders before it inserts). */
int inv__render(inv_register *r, const inv_version *v, inv_sink_fn sink, void *ctx,
                inv__render_stats *stats, inv_err *e);
/* Renders v into BLAKE2b-256 and writes "blake2b-256:<hex>" to out. */
int inv__hash_version(inv_register *r, const inv_version *v, char out[CR_HASH_STR_LEN],
                      inv__render_stats *stats, inv_err *e);
/* Renders v into both digests (BLAKE2b-512 prehash, BLAKE2b-256 hash). */
int inv__render_digests(inv_register *r, const inv_version *v,
                        unsigned char prehash[CR_PREHASH_BYTES], char doc_hash[CR_HASH_STR_LEN],
                        inv__render_stats *stats, inv_err *e);
/* Checks every stored signature of version n (dated vdate) against the
 * digests of its re-rendered document; appends "; ..." reasons to why;
 * state gets what the valid signatures establish. INV_EIO only on
 * internal errors. */
int inv__verify_signatures(inv_register *r, int64_t n, int64_t vdate,
                           const unsigned char *prehash, const char *doc_hash, inv_buf *why,
                           inv_sig_state *state, inv_err *e);
/* Checks a signature's trusted comment tc against version n of r (dated
 * vdate), for role, the role whose key made it: the register, the
 * version, the role, and its signed: date not before vdate. The document
 * hash is the caller's to compare. INV_FAIL naming what differs.
 * (signature.c) */
int inv__tc_check(inv_register *r, int64_t n, int64_t vdate, const char *role,
                  const inv_tc *tc, inv_err *e);
/* INV_FAIL when tc's signed: date is after r->now + INV_CLOCK_SKEW (a
 * signature from the future): attach refuses it, verify reports it. */
int inv__tc_not_future(inv_register *r, int64_t n, const inv_tc *tc, inv_err *e);

/* ---- The chain of an item's rows (verify.c) ----
 *
 * The rows of one id, by since, must form the life the scope documents
 * tell: an addition (A) first; a row ended at version N (until = N) is
 * followed by a modification (M, differing from it) or a removal (R,
 * since = until = N) of version N; a removal is followed only by a later
 * addition; an A or M row ends after it begins (or never); never two rows
 * in scope at once. Then items(N) = items(N-1) + changes(N) for every N.
 * inv__chain judges rows fed in (id, since, rev) order and reports each
 * fault with the version it breaks. */
typedef void (*inv__chain_fn)(void *ctx, int64_t version, const char *id, const char *what);
typedef struct inv__chain {
    inv__chain_fn fn;
    void *ctx;
    int have;                       /* a previous row is held */
    inv_buf id, kind, name, attrs;  /* the previous row */
    int64_t since, until;           /* until: INT64_MAX for NULL (never ends) */
    char op;
    inv_buf msg;                    /* scratch for messages */
    int failed;                     /* out of memory */
} inv__chain;
/* Zero-initialises c; fn gets the faults. Cannot fail. */
void inv__chain_init(inv__chain *c, inv__chain_fn fn, void *ctx);
/* Judges the next row (attrs: attrs_len bytes; until NULL: pass
 * INT64_MAX). Returns -1 when out of memory (c->failed set). */
int inv__chain_row(inv__chain *c, const char *id, int64_t since, int64_t until, char op,
                   const char *kind, const char *name, const void *attrs, size_t attrs_len);
/* Judges the last row held (call once the rows are fed). */
void inv__chain_end(inv__chain *c);
void inv__chain_free(inv__chain *c);

/* Key rotation (rotation.c): the number of staged key replacements; the
 * commit of version n writing them as party_key rows since n; the
 * "key ROLE: OLD -> NEW" change lines of version n appended to b, with
 * their number in *count. */
int inv__rekey_count(inv_register *r, int64_t *count, inv_err *e);
int inv__rekey_commit(inv_register *r, int64_t n, inv_err *e);
/* Drops every staged key replacement (inside the caller's transaction). */
int inv__rekey_drop(inv_register *r, inv_err *e);
int inv__render_rotations(inv_register *r, int64_t n, inv_buf *b, int64_t *count, inv_err *e);
/* The "  field: old -> new" lines of a modification, appended to b. */
void inv__render_modification(inv_buf *b, const inv_item *before, const inv_item *after);
/* The "item:" block of an item, appended to b. */
void inv__render_item(inv_buf *b, const inv_item *it);

#endif
