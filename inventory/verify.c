/*
 * verify.c - re-render every version, recompute every hash, check every
 * link of the chain and every stored row.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A row whose digest no longer matches what commit wrote. */
typedef struct bad_row {
    char *id;
    int64_t since, until; /* until 0: still open */
} bad_row;

typedef struct bad_rows {
    bad_row *v;
    size_t n, cap;
    int64_t stray; /* rows that begin after the latest version */
} bad_rows;

static void bad_rows_free(bad_rows *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].id);
    free(b->v);
}

static int scan_rows(inv_register *r, int64_t latest, bad_rows *b, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT id, since, until, op, kind, name, attrs, reason, digest,"
                          " scopereg_row_digest(id, since, op, kind, name, attrs, reason)"
                          " FROM item ORDER BY id, since",
                          e);
    if (rc)
        return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t since = sqlite3_column_int64(st, 1);
        if (since > latest || since < 1) {
            b->stray++;
            continue;
        }
        const char *stored = (const char *)sqlite3_column_text(st, 8);
        const char *now = (const char *)sqlite3_column_text(st, 9);
        int until_ok = sqlite3_column_type(st, 2) == SQLITE_NULL ||
                       sqlite3_column_int64(st, 2) >= since;
        if (stored && now && !strcmp(stored, now) && until_ok)
            continue;
        if (b->n == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 16;
            bad_row *nv = realloc(b->v, cap * sizeof *nv);
            if (!nv) {
                rc = inv_fail(e, INV_EIO, "out of memory");
                break;
            }
            b->v = nv;
            b->cap = cap;
        }
        bad_row *row = &b->v[b->n++];
        row->id = inv__strdup((const char *)sqlite3_column_text(st, 0));
        row->since = since;
        row->until = sqlite3_column_type(st, 2) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, 2);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read items");
    sqlite3_finalize(st);
    return rc;
}

/* Appends to why the items whose rows were altered and are live in n. */
static void name_bad_rows(const bad_rows *b, int64_t n, inv_buf *why)
{
    size_t shown = 0;
    for (size_t i = 0; i < b->n; i++) {
        const bad_row *row = &b->v[i];
        if (row->since > n || (row->until && row->until < n) ||
            (row->until == n && row->since != n))
            continue;
        if (shown++ < 5)
            inv_buf_printf(why, "; item '%s' (row of version %lld) was altered after commit",
                           row->id ? row->id : "?", (long long)row->since);
    }
    if (shown > 5)
        inv_buf_printf(why, "; and %zu more altered items", shown - 5);
}

static int check_parties(inv_register *r, int64_t latest, inv_buf *why, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "SELECT role, since, key_id, public_key FROM party_key", e);
    if (rc)
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cr_pubkey pk;
        cr_err ce;
        char hex[CR_KEYID_HEX];
        const char *b64 = (const char *)sqlite3_column_text(st, 3);
        const char *kid = (const char *)sqlite3_column_text(st, 2);
        if (!b64 || cr_pubkey_parse(b64, strlen(b64), &pk, &ce) != CR_OK) {
            inv_buf_printf(why, "; stored %s key is malformed", sqlite3_column_text(st, 0));
            continue;
        }
        cr_keyid_hex(pk.keyid, hex);
        /* A key row names the version from which it is in force: version 1
         * (init) or a rotation, which a version's document records. */
        int64_t since = sqlite3_column_int64(st, 1);
        if (since < 1 || (since > latest && since > 1))
            inv_buf_printf(why, "; a stored %s key row (key %s) is in force from version "
                           "%lld, beyond the latest version %lld",
                           sqlite3_column_text(st, 0), hex, (long long)since,
                           (long long)latest);
        if (!kid || strcmp(kid, hex))
            inv_buf_printf(why, "; stored %s key id %s does not match its key (%s)",
                           sqlite3_column_text(st, 0), kid ? kid : "?", hex);
    }
    sqlite3_finalize(st);
    return INV_OK;
}

int inv_verify(inv_register *r, inv_check_fn fn, void *ctx, inv_err *e)
{
    int64_t latest;
    bad_rows bad = {0};
    inv_buf why = {0}, global = {0};
    char prev_hash[CR_HASH_STR_LEN] = "";
    int64_t prev_date = 0, first_bad = 0;
    int rc = inv_latest(r, &latest, e);
    if (rc)
        return rc;
    /* Rows may name versions past the last version row (that row was
     * deleted): check up to the highest version anything refers to, so the
     * missing version is the one named. */
    {
        sqlite3_stmt *st = NULL;
        if ((rc = inv__prepare(r, &st,
                               "SELECT max(coalesce((SELECT max(since) FROM item), 0),"
                               " coalesce((SELECT max(version) FROM signature), 0))",
                               e)))
            return rc;
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) > latest)
            latest = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    if ((rc = scan_rows(r, latest, &bad, e)) || (rc = check_parties(r, latest, &global, e)))
        goto out;
    if (bad.stray)
        inv_buf_printf(&global, "; %lld item rows belong to no version", (long long)bad.stray);

    for (int64_t n = 1; n <= latest; n++) {
        inv_version v;
        inv_err sub;
        char hash[CR_HASH_STR_LEN] = "";
        unsigned char prehash[CR_PREHASH_BYTES];
        inv__render_stats stats = {.strict = 1};
        inv_sig_state sigs = {0};
        why.len = 0;
        inv_buf_add(&why, "", 0);
        int vrc = inv_version_get(r, n, &v, &sub);
        if (vrc == INV_EINPUT) {
            inv_buf_printf(&why, "; version %lld is missing from the register", (long long)n);
            prev_hash[0] = '\0';
        } else if (vrc) {
            inv_buf_printf(&why, "; %s", sub.msg);
            prev_hash[0] = '\0';
        } else {
            int hrc = inv__render_digests(r, &v, prehash, hash, &stats, &sub);
            if (hrc == INV_EIO) {
                rc = inv_fail(e, INV_EIO, "%s", sub.msg);
                inv_version_free(&v);
                goto out;
            }
            if (hrc) {
                inv_buf_printf(&why, "; %s", sub.msg);
                hash[0] = '\0';
            } else if (strcmp(hash, v.doc_hash)) {
                inv_buf_printf(&why, "; its document no longer matches the hash recorded at "
                                     "commit (%s, now %s)",
                               v.doc_hash, hash);
            }
            if (!hrc && stats.items != v.item_count)
                inv_buf_printf(&why, "; it records %lld items but the register holds %lld",
                               (long long)v.item_count, (long long)stats.items);
            if (n == 1 && v.prev_hash[0])
                inv_buf_printf(&why, "; version 1 names a previous document");
            if (n > 1 && prev_hash[0] && strcmp(v.prev_hash, prev_hash))
                inv_buf_printf(&why, "; its link to version %lld does not hold (records %s, "
                                     "version %lld hashes to %s)",
                               (long long)n - 1, v.prev_hash[0] ? v.prev_hash : "none",
                               (long long)n - 1, prev_hash);
            if (n > 1 && v.date < prev_date)
                inv_buf_printf(&why, "; its date is before the date of version %lld",
                               (long long)n - 1);
            if (!hrc && stats.changes == 0)
                inv_buf_printf(&why, "; it records no change");
            name_bad_rows(&bad, n, &why);
            if (!hrc && (rc = inv__verify_signatures(r, n, prehash, hash, &why, &sigs, e))) {
                inv_version_free(&v);
                goto out;
            }
            prev_date = v.date;
            snprintf(prev_hash, sizeof prev_hash, "%s", hrc ? "" : hash);
            inv_version_free(&v);
        }
        if (n == latest && global.len)
            inv_buf_add(&why, global.data, global.len);
        inv_check c = {n, why.len == 0, why.len ? why.data + 2 : NULL, &sigs, hash};
        if (!c.ok && !first_bad) {
            first_bad = n;
            inv_fail(e, INV_FAIL, "version %lld does not hold: %s", (long long)n, c.reason);
        }
        if (fn && (rc = fn(ctx, &c)))
            goto out;
    }
    /* Versions stored beyond a gap, or numbered oddly, show as a gap above;
     * an empty register with stray rows is broken too. */
    if (latest == 0 && global.len) {
        rc = inv_fail(e, INV_FAIL, "register does not hold: %s", global.data + 2);
        goto out;
    }
    rc = first_bad ? INV_FAIL : INV_OK;
out:
    bad_rows_free(&bad);
    inv_buf_free(&why);
    inv_buf_free(&global);
    return rc;
}
