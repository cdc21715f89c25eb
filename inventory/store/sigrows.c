/*
 * sigrows.c - the stored signature rows of a register, read back in
 * (version, role, key id) order. Checking them is work/signature.c's.
 */
#include "store_int.h"

int inv__sig_rows_walk(inv_register *r, sqlite3_stmt *st, inv_sig_fn fn, void *ctx,
                       const char *what, inv_err *e)
{
    int s, rc = INV_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        inv_sig_row row;
        row.version = sqlite3_column_int64(st, 0);
        row.role = (const char *)sqlite3_column_text(st, 1);
        row.key_id = (const char *)sqlite3_column_text(st, 2);
        row.minisig = (const char *)sqlite3_column_text(st, 4);
        if (!row.role)
            row.role = "";
        if (!row.key_id)
            row.key_id = "";
        if (!row.minisig)
            row.minisig = "";
        if (inv_time_parse((const char *)sqlite3_column_text(st, 3), 0, &row.signed_at, NULL))
            row.signed_at = 0;
        if ((rc = fn(ctx, &row)))
            break;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, what);
    sqlite3_finalize(st);
    return rc;
}

int inv_sig_list(inv_register *r, int64_t n, inv_sig_fn fn, void *ctx, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare_n(r, &st,
                            "SELECT version, role, key_id, signed_at, minisig FROM signature"
                            " WHERE ?1 = 0 OR version = ?1 ORDER BY version, role, key_id",
                            n, e);
    if (rc)
        return rc;
    return inv__sig_rows_walk(r, st, fn, ctx, "read signatures", e);
}
