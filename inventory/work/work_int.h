/*
 * work_int.h - what the files of layer 3 of inventory/ share and nobody
 * outside sees: staging without checks, the hash of a version at commit,
 * the checks of stored signatures, the chain judge of an item's rows, the
 * commit of staged key replacements.
 */
#ifndef SCOPEREG_WORK_INT_H
#define SCOPEREG_WORK_INT_H

#include "work.h"
#include "document_int.h"

/* Stages it as an addition without what inv_stage_add checks first: for
 * a caller inside a transaction that has checked the item (as
 * inv_item_check does) and found its id neither staged nor in scope
 * (import). */
int inv__stage_add_new(inv_register *r, const inv_item *it, inv_err *e);

/* The checks commit makes of its message and author before anything is
 * read: INV_EINPUT naming the field and the fix when one is empty, not
 * valid text, or (the author) not one line. Nothing to free. */
int inv__commit_args_check(const char *message, const char *author, inv_err *e);

/* Writes the staged additions and edits as item rows of version n, in id
 * order, each with its digest (the rows commit writes; the stage is left
 * as it was). Inside the caller's transaction; INV_EIO naming the
 * register on an SQLite error. Nothing to free. */
int inv__commit_staged_rows(inv_register *r, int64_t n, inv_err *e);

/* The stored dates of version n (date) and of version n-1 (prev_date),
 * either NULL when the column is: INV_FAIL naming the version when one is
 * not a date or when n is dated before n-1. Nothing to free. */
int inv__dates_follow(int64_t n, const char *date, const char *prev_date, inv_err *e);

/* Inserts the version row of v (its number, hash and item count), dated
 * now, by author with message, after the version whose hash is previous
 * ("none" for version 1). INV_EIO naming the register on an SQLite error.
 * Strings are the caller's; nothing to free. */
int inv__version_insert(inv_register *r, const inv_version *v, int64_t now, const char *author,
                        const char *message, const char *previous, inv_err *e);

/* Renders version v, being committed (its number, date, previous hash
 * and count set; its row not written yet), with every digest a signature
 * needs in the one rendering (cpsig.c): v->doc_hash gets its BLAKE2b-256,
 * *items the items it lists, and r keeps the prehash, the checkpoint's
 * root and the leaves, as inv_checkpoint_get keeps them, for signing v
 * through r (inv_commit_with_digests). Fails as inv__render_checkpoint,
 * r then keeping no digests; a transaction that does not land drops them
 * (inv__digests_forget). */
int inv__commit_render(inv_register *r, inv_version *v, int64_t *items, inv_err *e);

/* Renders v into BLAKE2b-256 and writes "blake2b-256:<hex>" to out. */
int inv__hash_version(inv_register *r, const inv_version *v, char out[CR_HASH_STR_LEN],
                      inv__render_stats *stats, inv_err *e);

/* Checks every stored signature of version n (dated vdate) against the
 * digests of its re-rendered document; appends "; ..." reasons to why;
 * state gets what the valid signatures establish. INV_EIO only on
 * internal errors. */
int inv__verify_signatures(inv_register *r, int64_t n, int64_t vdate,
                           const unsigned char *prehash, const char *doc_hash, inv_buf *why,
                           inv_sig_state *state, inv_err *e);

/* Checks every stored checkpoint signature of version cp->version
 * against cp (cpsig.c); each one that does not hold sets st->broken and
 * appends "; ..." to why. INV_EIO only on internal errors. */
int inv__cpsig_verify(inv_register *r, const inv_checkpoint *cp, inv_buf *why,
                      inv_cp_state *st, inv_err *e);

/* Checks a signature's trusted comment tc against version n of r (dated
 * vdate), for role, the role whose key made it: the register, the
 * version, the role, and its signed: date not before vdate. The document
 * hash is the caller's to compare. INV_FAIL naming what differs.
 */
int inv__tc_check(inv_register *r, int64_t n, int64_t vdate, const char *role,
                  const inv_tc *tc, inv_err *e);
/* INV_FAIL when tc's signed: date is after r->now + INV_CLOCK_SKEW (a
 * signature from the future): attach refuses it, verify reports it. */
int inv__tc_not_future(inv_register *r, int64_t n, const inv_tc *tc, inv_err *e);

/* ---- The chain of an item's rows (rows.c) ----
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
    inv_buf cov;                    /* scratch: attributes and coverage (inv__chain_row_cov) */
    int failed;                     /* out of memory */
} inv__chain;
/* Zero-initialises c; fn gets the faults. Cannot fail. */
void inv__chain_init(inv__chain *c, inv__chain_fn fn, void *ctx);
/* Judges the next row (attrs: attrs_len bytes; until NULL: pass
 * INT64_MAX). Returns -1 when out of memory (c->failed set). */
int inv__chain_row(inv__chain *c, const char *id, int64_t since, int64_t until, char op,
                   const char *kind, const char *name, const void *attrs, size_t attrs_len);
/* inv__chain_row for a row with coverage columns (svc, sla: NULL for
 * none; own: 0 for NULL): a modification that changes the coverage alone
 * changes the item. Returns -1 when out of memory. */
int inv__chain_row_cov(inv__chain *c, const char *id, int64_t since, int64_t until, char op,
                       const char *kind, const char *name, const void *attrs, size_t attrs_len,
                       const char *svc, const char *sla, int64_t own);
/* Judges the last row held (call once the rows are fed). */
void inv__chain_end(inv__chain *c);
/* Whether the current row of st holds the storage classes commit writes,
 * read before any value (a conversion would change them): spec has one
 * letter per column from 0, 'T' text, 't' text or NULL, 'B' blob, 'I'
 * integer, 'i' integer or NULL, '.' anything; and whether column op is
 * exactly the text A, M or R. A value of another class reads as the same
 * bytes in a document and a digest but not in every query (the blob 'A'
 * is not the text 'A'): verify takes such a row as altered (rows.c). */
int inv__row_typed(sqlite3_stmt *st, const char *spec, int op);
/* inv__row_typed on classes already read (types[c]: sqlite3_column_type
 * of column c, for every letter of spec) and the text of the op column
 * (op, oplen bytes; NULL for NULL). */
int inv__types_typed(const int *types, const char *spec, const char *op, size_t oplen);
void inv__chain_free(inv__chain *c);

/* The functional scope at the commit of version n (termcommit.c), inside
 * its transaction, before the item rows are written: checks and writes
 * the staged terms as rows of n, then gives every staged addition and
 * change its effective coverage (stage svc, sla, own) and stages a change
 * of every item of a kind whose default changes; *nterms gets the number
 * of term changes. INV_EINPUT (a staged row that does not hold, a service
 * or class used but not defined at n, named) or INV_FAIL (rows already
 * naming n); nothing to free. */
int inv__terms_commit(inv_register *r, int64_t n, int64_t *nterms, inv_err *e);
/* INV_EINPUT naming the items (first five and how many) or the kind
 * default that use service or class id in the next version (terms.c);
 * INV_OK when none does or type is neither. */
int inv__term_in_use(inv_register *r, int type, const char *id, inv_err *e);

/* verify's pass over the term rows (termverify.c): each fault (an
 * altered row, a broken chain, a row before scope-register/2) to fault
 * with the version it breaks. INV_EIO on a database error. */
int inv__scan_terms(inv_register *r, int64_t latest, inv__chain_fn fault, void *ctx,
                    inv_err *e);

/* Gives it (read from a row of st) its coverage from columns col to col+2
 * (svc, sla, own; NULL: none, inherited) when version n is a
 * scope-register/2 version and st has them; leaves it without otherwise
 * (coverage.c). INV_EIO when out of memory. */
int inv__item_cov_from_row(inv_register *r, int64_t n, inv_item *it, sqlite3_stmt *st, int col,
                           inv_err *e);

/* Key rotation staging (rekey.c): the number of staged key replacements;
 * the commit of version n writing them as party_key rows since n. */
int inv__rekey_count(inv_register *r, int64_t *count, inv_err *e);
int inv__rekey_commit(inv_register *r, int64_t n, inv_err *e);
/* Drops every staged key replacement (inside the caller's transaction). */
int inv__rekey_drop(inv_register *r, inv_err *e);

#endif
