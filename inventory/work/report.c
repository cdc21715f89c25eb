/*
 * report.c - what a report of a version reads from the register: the check
 * that the version shows what was signed, its counts per kind and its items
 * of one kind. The page itself is written by output/annex.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

int inv_report_check(inv_register *r, int64_t n, inv_err *e)
{
    inv_version v;
    unsigned char prehash[CR_PREHASH_BYTES];
    char hash[CR_HASH_STR_LEN];
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    if ((rc = inv_doc_digests(r, n, prehash, hash, e)) == INV_OK && strcmp(hash, v.doc_hash))
        rc = inv_fail(e, INV_FAIL, "version %lld does not re-render to its recorded hash (%s, "
                      "recorded %s); run 'scopereg verify'", (long long)n, hash, v.doc_hash);
    if (!rc)
        rc = inv_sigs_check(r, n, NULL, NULL, e);
    inv_version_free(&v);
    return rc;
}

void inv_kind_counts_free(inv_kind_count *k, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(k[i].kind);
    free(k);
}

int inv_kind_counts(inv_register *r, int64_t n, inv_kind_count **out, size_t *nout, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_kind_count *v = NULL;
    size_t cnt = 0, cap = 0;
    *out = NULL;
    *nout = 0;
    int rc = inv__prepare(r, &st,
                          "SELECT kind, count(*) FROM item"
                          " WHERE since <= ?1 AND (until IS NULL OR until > ?1) GROUP BY kind",
                          e), s;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            inv_kind_count *nv = realloc(v, (cap = cap ? cap * 2 : 8) * sizeof *nv);
            if (!nv) {
                rc = inv_fail(e, INV_EIO, "out of memory");
                break;
            }
            v = nv;
        }
        inv_kind_count *k = &v[cnt];
        k->kind = inv__strdup((const char *)sqlite3_column_text(st, 0));
        k->count = sqlite3_column_int64(st, 1);
        if (!k->kind) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        cnt++;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "count items");
    sqlite3_finalize(st);
    if (rc) {
        inv_kind_counts_free(v, cnt);
        return rc;
    }
    *out = v;
    *nout = cnt;
    return INV_OK;
}

int inv_items_of_kind(inv_register *r, int64_t n, const char *kind, inv_item_fn fn, void *ctx,
                      inv_err *e)
{
    sqlite3_stmt *st = NULL;
    char sql[512];
    /* with their coverage in a /2 version, as inv_items reads them */
    snprintf(sql, sizeof sql,
             "SELECT id, kind, name, attrs, %s FROM item INDEXED BY item_by_id"
             " WHERE since <= ?1 AND (until IS NULL OR until > ?1) AND kind = ?2"
             " ORDER BY id",
             inv_format_of(r, n) == 2 && inv__has_cov(r)
                 ? "coalesce(svc, 'none'), coalesce(sla, 'none'), coalesce(own, 0)"
             : inv_format_of(r, n) == 2 ? "'none', 'none', 0"
                                        : "NULL, NULL, NULL");
    int rc = inv__prepare(r, &st, sql, e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
    return inv__items_walk(r, st, fn, ctx, e);
}
