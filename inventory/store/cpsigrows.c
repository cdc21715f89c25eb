/*
 * cpsigrows.c - the stored checkpoint signature rows of a register (table
 * checkpoint_signature, created at the first one stored: a register made
 * before checkpoints has none). Checking them is work/cpsig.c's.
 */
#include <stdlib.h>

#include "store_int.h"

#define CPSIG_TABLE                                                                         \
    "CREATE TABLE IF NOT EXISTS checkpoint_signature(version INTEGER NOT NULL,"             \
    " role TEXT NOT NULL, key_id TEXT NOT NULL, signed_at TEXT NOT NULL,"                  \
    " minisig TEXT NOT NULL, PRIMARY KEY (version, role, key_id)) WITHOUT ROWID"

/* Whether the table exists (*yes). INV_EIO on an SQLite error. */
static int table_exists(inv_register *r, int *yes, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT 1 FROM sqlite_master WHERE type = 'table' AND"
                          " name = 'checkpoint_signature'",
                          e);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    *yes = s == SQLITE_ROW;
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read checkpoint signatures");
    sqlite3_finalize(st);
    return rc;
}

int inv_cpsig_list(inv_register *r, int64_t n, inv_sig_fn fn, void *ctx, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int yes, rc = table_exists(r, &yes, e);
    if (rc || !yes)
        return rc;
    if ((rc = inv__prepare_n(r, &st,
                             "SELECT version, role, key_id, signed_at, minisig FROM"
                             " checkpoint_signature WHERE ?1 = 0 OR version = ?1"
                             " ORDER BY version, role, key_id",
                             n, e)))
        return rc;
    return inv__sig_rows_walk(r, st, fn, ctx, "read checkpoint signatures", e);
}

int inv__cpsig_find(inv_register *r, int64_t n, const char *role, const char *key_id,
                    char **out, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    *out = NULL;
    int yes, rc = table_exists(r, &yes, e);
    if (rc || !yes)
        return rc;
    if ((rc = inv__prepare_n(r, &st,
                             "SELECT minisig FROM checkpoint_signature WHERE version = ?1"
                             " AND role = ?2 AND key_id = ?3",
                             n, e)))
        return rc;
    sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key_id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (!(*out = inv__strdup(t ? t : "")))
            rc = inv_fail(e, INV_EIO, "out of memory");
    } else if (s != SQLITE_DONE) {
        rc = inv__sqlerr(r, e, "read checkpoint signatures");
    }
    sqlite3_finalize(st);
    return rc;
}

int inv__cpsig_insert(inv_register *r, int64_t n, const char *role, const char *key_id,
                      const char *signed_at, const char *minisig, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__exec(r, CPSIG_TABLE, e);
    if (rc)
        return rc;
    if ((rc = inv__prepare_n(r, &st,
                             "INSERT INTO checkpoint_signature(version, role, key_id,"
                             " signed_at, minisig) VALUES (?1, ?2, ?3, ?4, ?5)",
                             n, e)))
        return rc;
    sqlite3_bind_text(st, 2, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, key_id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, signed_at, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, minisig, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "store checkpoint signature");
    sqlite3_finalize(st);
    return rc;
}

int inv__cpsig_strays(inv_register *r, int64_t latest, int64_t *count, int64_t *min, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    *count = *min = 0;
    int yes, rc = table_exists(r, &yes, e);
    if (rc || !yes)
        return rc;
    if ((rc = inv__prepare_n(r, &st,
                             "SELECT count(*), min(version) FROM checkpoint_signature"
                             " WHERE typeof(version) <> 'integer' OR version < 1 OR version > ?1",
                             latest, e)))
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *count = sqlite3_column_int64(st, 0);
        *min = sqlite3_column_int64(st, 1);
    } else {
        rc = inv__sqlerr(r, e, "read checkpoint signatures");
    }
    sqlite3_finalize(st);
    return rc;
}
