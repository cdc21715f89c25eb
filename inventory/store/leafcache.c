/*
 * leafcache.c - the leaf cache of a register: the leaf hash of each item
 * revision, filled when a version is signed, read by prove. A cache, not
 * evidence: whoever reads it checks the root it gives against the root
 * both parties signed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

#define LEAF_CHUNK 4096

int inv__leaf_cache_newest(inv_register *r, int64_t *newest, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    *newest = 0;
    int rc = inv__one_row(r, &st, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                          " AND name = 'leaf_cache'", "read the leaf cache", e);
    int exists = rc == INV_OK && sqlite3_column_int64(st, 0) > 0;
    sqlite3_finalize(st);
    st = NULL;
    if (rc || !exists)
        return rc;
    rc = inv__one_row(r, &st, "SELECT coalesce(max(rev), 0) FROM leaf_cache",
                      "read the leaf cache", e);
    if (rc == INV_OK)
        *newest = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

int inv__leaf_cache_put(inv_register *r, FILE *f, size_t n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    unsigned char *buf = NULL;
    int rc = inv__exec(r, "CREATE TABLE IF NOT EXISTS leaf_cache(rev INTEGER PRIMARY KEY,"
                          " hash BLOB NOT NULL)", e);
    /* Revisions are numbered in the order they are written: every revision
     * up to the newest cached one was live in a version signed since the
     * table exists, so its leaf is cached already (one that is not, a
     * version signed after a later one, makes prove render it, as without
     * a cache). Only the newer ones are looked up and written: at 1M
     * items, signing a version of one change then writes one row instead
     * of probing a million. */
    int64_t newest = 0;
    if (!rc)
        rc = inv__leaf_cache_newest(r, &newest, e);
    if (rc || (rc = inv__prepare(r, &st, "INSERT OR IGNORE INTO leaf_cache(rev, hash)"
                                         " VALUES (?1, ?2)", e)))
        return rc;
    /* Out of memory or an unreadable file: the cache stays as it is. */
    if (!(buf = malloc((size_t)LEAF_CHUNK * INV__LEAF_REC)) || fseek(f, 0, SEEK_SET))
        n = 0;
    while (n > 0 && rc == INV_OK) {
        size_t want = n < LEAF_CHUNK ? n : LEAF_CHUNK;
        size_t got = fread(buf, INV__LEAF_REC, want, f);
        for (size_t i = 0; i < got; i++) {
            const unsigned char *p = buf + i * INV__LEAF_REC;
            int64_t rev;
            memcpy(&rev, p, sizeof rev);
            if (rev <= newest)
                continue;
            sqlite3_bind_int64(st, 1, rev);
            sqlite3_bind_blob(st, 2, p + 8, 32, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE) {
                rc = inv__sqlerr(r, e, "store the leaf cache");
                break;
            }
            sqlite3_reset(st);
        }
        n = got == want ? n - got : 0; /* a short read: stop there */
    }
    free(buf);
    sqlite3_finalize(st);
    return rc;
}

int inv__leaf_cache_walk(inv_register *r, int64_t n,
                         int (*fn)(void *ctx, const char *id, const unsigned char hash[32]),
                         void *ctx, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int s;
    /* no table (never signed since it exists, or a read-only handle on a
     * register made before it): nothing cached */
    if (inv__prepare(r, &st,
                     "SELECT i.id, c.hash FROM item i INDEXED BY item_by_id"
                     " LEFT JOIN leaf_cache c ON c.rev = i.rev"
                     " WHERE i.since <= ?1 AND (i.until IS NULL OR i.until > ?1)"
                     " ORDER BY i.id",
                     NULL)) {
        sqlite3_finalize(st);
        return INV_FAIL;
    }
    sqlite3_bind_int64(st, 1, n);
    int rc = INV_OK;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const void *h = sqlite3_column_blob(st, 1);
        if (!id || !h || sqlite3_column_bytes(st, 1) != 32 || fn(ctx, id, h)) {
            rc = INV_FAIL;
            break;
        }
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read the leaf cache");
    sqlite3_finalize(st);
    return rc;
}
