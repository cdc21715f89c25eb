/*
 * store_int.h - what the files of inventory/ share about the register
 * file and nobody outside sees: the register handle, its prepared
 * statements, transactions. Layer 1.
 */
#ifndef SCOPEREG_STORE_INT_H
#define SCOPEREG_STORE_INT_H

#include <stdio.h>
#include <sys/types.h>

#include "store.h"
#include "values_int.h"

/* application_id of a register file: "SCRG". */
#define INV_APPLICATION_ID 0x53435247
#define INV_SCHEMA_VERSION 1

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
    int read_tx; /* a read-only handle's snapshot (BEGIN at open, COMMIT at close) */
    /* The commit gate (register.c): SQLite commits a write only while
     * committing is set, i.e. inside inv__commit's explicit COMMIT. A
     * write that would commit on its own (a statement run after SQLite
     * rolled a transaction back on an error the caller missed) is turned
     * into a rollback, and gate_refused records it for the message. */
    int committing;
    int gate_refused;
    /* The version the last inv__version_insert recorded (work/commit.c),
     * for inv_last_commit; 0: none. */
    int64_t committed_number, committed_items;
    char committed_hash[CR_HASH_STR_LEN];
    /* The digests inv_doc_digests computed last, so that sign, which
     * signs a version and then attaches (checks) that signature, renders
     * the document once. A committed version's document never changes
     * through this handle; verify does not use this cache. */
    int64_t digests_of; /* version number, 0: none */
    int commit_digests; /* inv_commit_with_digests: commit fills this cache */
    unsigned char digests_prehash[CR_PREHASH_BYTES];
    char digests_hash[CR_HASH_STR_LEN];
    int64_t digests_date; /* the date of that version */
    /* The checkpoint root and leaf count of version digests_root_of,
     * derived in the same rendering (work/cpsig.c); valid only while
     * digests_of is the same version. */
    int64_t digests_root_of;
    unsigned char digests_root[32];
    int64_t digests_items;
    /* The clock of the command (inv_set_clock; the system clock when not
     * set): signatures dated after it plus INV_CLOCK_SKEW do not hold. */
    int64_t now;
    /* The (revision, leaf hash) of each item of version leaves_of, from
     * the last rendering of its checkpoint through a writable handle
     * (work/cpsig.c), for the leaf cache that signing it fills. */
    int64_t leaves_of;     /* 0: none */
    /* nleaves records of INV__LEAF_REC bytes in an unlinked temporary
     * file (memory flat in the number of items); closed by inv_close. */
    FILE *leaves;
    size_t nleaves;
    int writable;          /* opened for writing */
    int has_cov;           /* the coverage tables exist (register.c, cov_schema_sql) */
    int64_t format2_from;  /* first version rendered as scope-register/2, 0: none */
    /* The file a read-only handle reads (stat once its snapshot is taken):
     * a second reader (inv__reader_open) must read the same one. */
    dev_t dev;
    ino_t ino;
};

/* A second read-only handle on r's register for another thread, seeing the
 * same state of the file as r: r must be a read-only handle (its read
 * transaction, begun at inv_open, keeps writers from committing while
 * both are open). The new handle has its own SQLite connection and none
 * of r's caches but its register id and contract (it renders the same
 * documents as r: work/verify.c). INV_EINPUT when r is
 * writable, INV_EIO when the file cannot be opened or read (e says why);
 * *out is then NULL. Close with inv_close, before r. */
int inv__reader_open(inv_register *r, inv_register **out, inv_err *e);

/* Whether r holds the coverage tables: a register made before them and
 * opened read-only has none, and reads as holding no service, exclusion,
 * class or default, every item covered by nothing (inherited). */
int inv__has_cov(const inv_register *r);
/* Whether r's text is stored as UTF-8 (PRAGMA encoding; scopereg makes
 * no other): 0 for UTF-16, or when it cannot be read. */
int inv__utf8(inv_register *r);
/* Whether the item table's rev is its INTEGER PRIMARY KEY, as scopereg
 * declares it (so that a revision names one row): 0 for a schema
 * rewritten otherwise, or when it cannot be read. */
int inv__rev_keyed(inv_register *r);
/* The first version rendered as scope-register/2 (meta format2-from), 0
 * when none; INT64_MAX when the row is not a number. */
int64_t inv__format2_from(const inv_register *r);
/* Records that version n (being committed, inside the transaction) is
 * the first rendered as scope-register/2, unless one already is. INV_EIO
 * naming the register on an SQLite error. */
int inv__format2_start(inv_register *r, int64_t n, inv_err *e);

/* The coverage columns of an item row for a SELECT: the columns, or NULLs
 * on a register without them. */
#define INV__COV_COLS(r, p) ((r)->has_cov ? p "svc, " p "sla, " p "own" : "NULL, NULL, NULL")

/* Prepares (or fetches from SQLite's cache via sqlite3_prepare_v3 with
 * SQLITE_PREPARE_PERSISTENT) a statement; INV_EIO on failure. */
int inv__prepare(inv_register *r, sqlite3_stmt **st, const char *sql, inv_err *e);
/* inv__prepare, then binds n to the statement's ?1. *st is the caller's
 * to finalize (sqlite3_finalize), failed or not. */
int inv__prepare_n(inv_register *r, sqlite3_stmt **st, const char *sql, int64_t n, inv_err *e);
/* inv__prepare, then steps to the statement's first row, which its
 * columns then hold: INV_EIO "register PATH: WHAT: ..." (inv__sqlerr)
 * when it gives none. *st is the caller's to finalize, failed or not. */
int inv__one_row(inv_register *r, sqlite3_stmt **st, const char *sql, const char *what,
                 inv_err *e);
/* Inserts role's key from version since on (party_key: its key id and
 * base64 public key). INV_EIO naming the register on an SQLite error;
 * nothing to free. */
int inv__party_key_insert(inv_register *r, const char *role, int64_t since,
                          const cr_pubkey *key, inv_err *e);
/* A cached statement for a hot path: prepared once per handle, reset and
 * unbound on each call. Do not finalize it. */
int inv__cached(inv_register *r, enum inv_stmt_slot slot, const char *sql,
                sqlite3_stmt **st, inv_err *e);
/* Stores a checkpoint signature row (store/cpsigrows.c), creating the
 * table checkpoint_signature first when the register, made before
 * checkpoints, lacks it. Inside the caller's transaction. INV_EIO naming
 * the register on an SQLite error (a row with that version, role and key
 * id already there included). Nothing to free. */
int inv__cpsig_insert(inv_register *r, int64_t n, const char *role, const char *key_id,
                      const char *signed_at, const char *minisig, inv_err *e);
/* How many checkpoint signature rows name no version of 1..latest
 * (*count; *min the lowest such number). 0 without the table. INV_EIO on
 * an SQLite error. */
int inv__cpsig_strays(inv_register *r, int64_t latest, int64_t *count, int64_t *min,
                      inv_err *e);
/* The stored minisig of version n by role's key key_id, malloc'd into
 * *out (NULL when none, or no table). INV_EIO on an SQLite error. */
int inv__cpsig_find(inv_register *r, int64_t n, const char *role, const char *key_id,
                    char **out, inv_err *e);

/* The leaf cache (store/leafcache.c): the BLAKE2b-256 leaf hash of an
 * item revision's block. Not evidence: never signed, every use checked
 * against a signed checkpoint root. */
/* A leaf record in the temporary file of inv_register.leaves: the
 * revision (int64_t, host byte order), then its 32-byte leaf hash. */
#define INV__LEAF_REC 40
/* Stores the n records of f (read from its start in chunks of 4096) that
 * the cache lacks (INSERT OR IGNORE; a revision not newer than the newest
 * cached one is taken as cached and skipped), creating the table leaf_cache first
 * when absent. Inside the caller's transaction, on a writable handle
 * only. INV_EIO naming the register on an SQLite error; a short read of f
 * stops the filling without error (a cache: what is stored is right).
 * The caller keeps and closes f. */
int inv__leaf_cache_put(inv_register *r, FILE *f, size_t n, inv_err *e);
/* The newest revision the leaf cache holds (*newest; 0 when it holds
 * none): inv__leaf_cache_put skips every record up to it, so a rendering
 * need not keep them; 0 when the table is absent. INV_EIO naming the
 * register on an SQLite error (*newest is then 0). */
int inv__leaf_cache_newest(inv_register *r, int64_t *newest, inv_err *e);
/* Drops the digests and leaves r keeps (digests_of, leaves): called when
 * a transaction does not land, since a version rendered in it may not be
 * recorded. Cannot fail. */
void inv__digests_forget(inv_register *r);
/* Calls fn with the id and cached leaf hash of each item of version n in
 * id order (the order of its document). INV_OK when every item had a
 * cache row; INV_FAIL (no message) when the table is absent, an item has
 * none, or fn returns non-zero; INV_EIO on an SQLite error. */
int inv__leaf_cache_walk(inv_register *r, int64_t n,
                         int (*fn)(void *ctx, const char *id, const unsigned char hash[32]),
                         void *ctx, inv_err *e);

/* INV_EIO with the SQLite message, prefixed by what; busy and locked
 * named as such; a file SQLite cannot read is INV_EINPUT "not a scopereg
 * register" when what is "open", INV_EIO "cannot be read" later (no
 * verdict on damaged pages); the commit gate's refusal named. */
int inv__sqlerr(inv_register *r, inv_err *e, const char *what);
/* Runs SQL without results. */
int inv__exec(inv_register *r, const char *sql, inv_err *e);
/* Commits the open transaction: the only COMMIT SQLite lets through (the
 * commit gate). INV_EIO, and nothing written, when SQLite has already
 * ended the transaction after an error or refused a write that would
 * have committed alone. */
int inv__commit(inv_register *r, inv_err *e);
/* Starts/ends a transaction unless an explicit one is open. */
int inv__tx_begin(inv_register *r, inv_err *e);
int inv__tx_end(inv_register *r, int commit, inv_err *e);

/* Steps st (columns version, role, key_id, signed_at, minisig), calling fn
 * with each row (NULL texts as "", an unreadable date as 0), then finalizes
 * st whatever happens. Returns what fn returns when non-zero, INV_EIO
 * naming what on a database error (sigrows.c). */
int inv__sig_rows_walk(inv_register *r, sqlite3_stmt *st, inv_sig_fn fn, void *ctx,
                       const char *what, inv_err *e);

#endif
