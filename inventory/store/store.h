/*
 * store.h - layer 1 of inventory/: the register file. Creating and opening
 * it, transactions, its versions, its parties and the keys in force (and
 * replaced) at each version, its stored signature rows. Uses values.h only.
 */
#ifndef SCOPEREG_STORE_H
#define SCOPEREG_STORE_H

#include "values.h"

/* ---- The register (store/register.c) ---- */

typedef struct inv_register inv_register;
typedef struct inv_party {
    char *name;
    cr_pubkey key;
} inv_party;
typedef struct inv_init {
    const char *contract; /* contract reference, required */
    const char *provider_name;
    const char *client_name;
    cr_pubkey provider_key;
    cr_pubkey client_key;
    int64_t now;
} inv_init;

/* Creates a new register at path. Refuses (INV_EINPUT) when path exists.
 * On failure nothing is left at path. */
int inv_create(const char *path, const inv_init *init, inv_err *e);

/* Opens an existing register. INV_EINPUT when path is missing or is not a
 * scopereg register. The caller closes it with inv_close. */
int inv_open(const char *path, int writable, inv_register **out, inv_err *e);
void inv_close(inv_register *r);

/* Register metadata; pointers stay valid until inv_close. */
const char *inv_register_id(const inv_register *r);
const char *inv_contract(const inv_register *r);
const char *inv_path(const inv_register *r);

/* Party of role "provider" or "client" as in force at version (0 means the
 * next version to be committed). Fills out (strings owned by the caller,
 * freed with inv_party_free). */
int inv_party_get(inv_register *r, const char *role, int64_t version, inv_party *out,
                  inv_err *e);
void inv_party_free(inv_party *p);

/* Explicit transaction, for commands that make several calls (import).
 * Each mutating function below otherwise runs in its own transaction. */
int inv_begin(inv_register *r, inv_err *e);
int inv_end(inv_register *r, int commit, inv_err *e);
/* After a failure inside inv_begin ... inv_end: whether SQLite ended the
 * transaction by itself (out of memory or I/O) on the way. Then what the
 * reads after it saw was the register without this command's writes, and
 * a failure they led to is not a verdict: INV_EIO with the reason in e
 * (nothing was written; callers keep a failure already INV_EIO, whose
 * message names its cause). INV_OK when the transaction is whole, or none
 * is open. Cannot fail otherwise. */
int inv_tx_lost(inv_register *r, inv_err *e);

/* ---- Versions (store/versions.c) ---- */

typedef struct inv_version {
    int64_t number;
    int64_t date;
    char *author;
    char *message;
    char prev_hash[CR_HASH_STR_LEN]; /* "" for version 1 */
    char doc_hash[CR_HASH_STR_LEN];
    int64_t item_count;
} inv_version;
void inv_version_free(inv_version *v);

/* Latest version number, 0 when none. */
int inv_latest(inv_register *r, int64_t *number, inv_err *e);

/* Reads version n; INV_EINPUT "no version N" when absent. */
int inv_version_get(inv_register *r, int64_t n, inv_version *out, inv_err *e);

/* The latest version whose date is <= t; 0 when none. */
int inv_version_at(inv_register *r, int64_t t, int64_t *number, inv_err *e);

/* Resolves a user's version argument: a number, "latest", or a date
 * (YYYY-MM-DD = end of that day, or RFC 3339). INV_EINPUT naming it. */
int inv_version_resolve(inv_register *r, const char *arg, int64_t *number, inv_err *e);

/* What the version table holds, in one query: its number of rows and its
 * lowest and highest numbers (0 when empty). Versions 1..N hold when
 * count = max = N and min = 1. */
typedef struct inv_version_span_t {
    int64_t count, min, max;
} inv_version_span_t;
int inv_version_span(inv_register *r, inv_version_span_t *out, inv_err *e);

/* Sets *latest to the highest version number and checks that the version
 * table holds exactly the versions 1..latest (or none). INV_FAIL naming
 * the numbers when it does not (a version deleted, one numbered 0 or
 * below, or far beyond the others: the register was changed outside
 * scopereg); INV_EIO on read errors. */
int inv_versions_contiguous(inv_register *r, int64_t *latest, inv_err *e);

/* Sets the clock of the command using r (seconds since the epoch; the
 * system clock until set): a signature dated after it plus
 * INV_CLOCK_SKEW is refused by inv_sig_attach and reported by inv_verify.
 * Cannot fail. */
void inv_set_clock(inv_register *r, int64_t now);

/* ---- Parties and their keys (store/parties.c) ---- */

/* The role ("provider" or "client") whose key in force at version n has
 * keyid, or, when that party's key is replaced at version n (key
 * rotation), whose previous key has keyid: a rotation version is signed
 * by the old and the new key. INV_EINPUT naming the key id when neither
 * party's. pk (may be NULL) gets the matching key. */
int inv_role_of_key(inv_register *r, const unsigned char keyid[CR_KEYID_BYTES], int64_t n,
                    const char **role, cr_pubkey *pk, inv_err *e);

/* Whether version n replaces role's key (*rotates); when it does, old and
 * new_key (either may be NULL) get the key in force before n and from n
 * on. INV_FAIL when a stored key is malformed. */
int inv_rotation_at(inv_register *r, int64_t n, const char *role, int *rotates,
                    cr_pubkey *old, cr_pubkey *new_key, inv_err *e);

/* ---- Stored signature rows (store/sigrows.c) ---- */

/* One stored signature, as its row says (work/signature.c checks it). */
typedef struct inv_sig_row {
    int64_t version;
    const char *role;
    const char *key_id;
    int64_t signed_at;
    const char *minisig;
} inv_sig_row;
typedef int (*inv_sig_fn)(void *ctx, const inv_sig_row *s);

/* Walks the stored signatures of version n (all versions when n is 0), by
 * version then role. */
int inv_sig_list(inv_register *r, int64_t n, inv_sig_fn fn, void *ctx, inv_err *e);

/* Walks the stored checkpoint signatures (table checkpoint_signature,
 * store/cpsigrows.c) of version n (all versions when n is 0), by version,
 * role and key id, as inv_sig_list does. A register made before
 * checkpoints has no such table: no row, INV_OK. INV_EIO on a database
 * error; fn's non-zero result stops the walk and is returned. */
int inv_cpsig_list(inv_register *r, int64_t n, inv_sig_fn fn, void *ctx, inv_err *e);

/* ---- The contract's language (store/register.c) ---- */

/* The languages scopereg writes its outputs in, as the codes init --lang,
 * lang and --lang take: "en", "fr", "de", "it", then NULL. */
extern const char *const inv_langs[];

/* The static spelling of lang ("fr"...) when it is one of inv_langs, else
 * NULL. Cannot fail. */
const char *inv_lang_known(const char *lang);

/* The contract's language recorded in the register (meta key 'lang'): one
 * of inv_langs, a static string. "en" when none is recorded (a register
 * made before languages existed), when the value is not one scopereg
 * knows, or when reading fails. Cannot fail. */
const char *inv_lang(inv_register *r);

/* Records lang as the contract's language (in its own transaction unless
 * one is open). The language is not part of any signed document: no
 * version, no signature. INV_EINPUT naming the accepted languages when
 * lang is not one of inv_langs (nothing written); INV_EIO when the write
 * fails. */
int inv_lang_set(inv_register *r, const char *lang, inv_err *e);

/* inv_create recording lang (NULL: "en") as the contract's language, in
 * the same transaction. INV_EINPUT as inv_lang_set when lang is unknown,
 * before anything is created; otherwise fails as inv_create does. */
int inv_create_lang(const char *path, const inv_init *init, const char *lang, inv_err *e);

/* The format of version n's document: 2 (scope-register/2, with services,
 * exclusions, classes, kind defaults and each item's coverage) from the
 * first version committed with them (meta format2-from), 1 before.
 * Cannot fail. */
int inv_format_of(const inv_register *r, int64_t n);

#endif
