/*
 * verify.c - re-render every version, recompute every hash, check every
 * link of the chain and every stored row: that each version's item list
 * is the previous one with its changes applied, and that the parties
 * never hold the same key.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

/* A row whose digest no longer matches what commit wrote. */
typedef struct bad_row {
    char *id;
    int64_t since, until; /* until 0: still open */
} bad_row;

/* A fault of the chain of rows or of the keys: the version it breaks. */
typedef struct row_fault {
    int64_t version;
    size_t seq;  /* order found, for a stable sort */
    char *what;  /* NULL past FAULT_TEXTS (counted, not described) */
} row_fault;

/* Faults described in full; past that only their versions are kept. */
#define FAULT_TEXTS 10000

typedef struct bad_rows {
    bad_row *v;
    size_t n, cap;
    int64_t stray; /* rows that begin after the latest version */
    row_fault *f;
    size_t nf, capf, next_f; /* next_f: the first fault of the version being reported */
    int oom;
} bad_rows;

static void bad_rows_free(bad_rows *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].id);
    free(b->v);
    for (size_t i = 0; i < b->nf; i++)
        free(b->f[i].what);
    free(b->f);
}

static void add_fault(void *ctx, int64_t version, const char *id, const char *what)
{
    bad_rows *b = ctx;
    (void)id;
    if (b->nf == b->capf) {
        size_t cap = b->capf ? b->capf * 2 : 16;
        row_fault *nv = realloc(b->f, cap * sizeof *nv);
        if (!nv) {
            b->oom = 1;
            return;
        }
        b->f = nv;
        b->capf = cap;
    }
    row_fault *f = &b->f[b->nf];
    f->version = version;
    f->seq = b->nf++;
    f->what = b->nf <= FAULT_TEXTS ? inv__strdup(what) : NULL;
    if (b->nf <= FAULT_TEXTS && !f->what)
        b->oom = 1;
}

static int cmp_fault(const void *a, const void *b)
{
    const row_fault *x = a, *y = b;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* One pass over every item row in (id, since) order: each row's digest,
 * and the chain of each item's rows (inv__chain). */
static int scan_rows(inv_register *r, int64_t latest, bad_rows *b, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv__chain chain;
    inv__chain_init(&chain, add_fault, b);
    int rc = inv__prepare(r, &st,
                          "SELECT id, since, until, op, kind, name, attrs, reason, digest,"
                          " scopereg_row_digest(id, since, op, kind, name, attrs, reason)"
                          " FROM item INDEXED BY item_by_id ORDER BY id, since, rev",
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
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *op = (const char *)sqlite3_column_text(st, 3);
        int open = sqlite3_column_type(st, 2) == SQLITE_NULL;
        if (inv__chain_row(&chain, id ? id : "", since,
                           open ? INT64_MAX : sqlite3_column_int64(st, 2), op ? op[0] : '?',
                           (const char *)sqlite3_column_text(st, 4),
                           (const char *)sqlite3_column_text(st, 5), sqlite3_column_blob(st, 6),
                           (size_t)sqlite3_column_bytes(st, 6))) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        const char *stored = (const char *)sqlite3_column_text(st, 8);
        const char *now = (const char *)sqlite3_column_text(st, 9);
        int until_ok = open || sqlite3_column_int64(st, 2) >= since;
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
        row->id = inv__strdup(id);
        row->since = since;
        row->until = open ? 0 : sqlite3_column_int64(st, 2);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read items");
    sqlite3_finalize(st);
    inv__chain_end(&chain);
    inv__chain_free(&chain);
    if (!rc && (b->oom || chain.failed))
        rc = inv_fail(e, INV_EIO, "out of memory");
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

/* Appends to why the faults of version n (b->f sorted by version, read
 * from b->next_f on): up to five described, then how many more. */
static void name_faults(bad_rows *b, int64_t n, inv_buf *why)
{
    size_t shown = 0, more = 0;
    while (b->next_f < b->nf && b->f[b->next_f].version < n)
        b->next_f++;
    for (; b->next_f < b->nf && b->f[b->next_f].version == n; b->next_f++) {
        const row_fault *f = &b->f[b->next_f];
        if (f->what && shown < 5) {
            inv_buf_printf(why, "; %s", f->what);
            shown++;
        } else {
            more++;
        }
    }
    if (more)
        inv_buf_printf(why, "; and %zu more rows that do not follow from the previous version",
                       more);
}

/* The faults of versions that do not exist (below 1, or past latest). */
static void name_stray_faults(const bad_rows *b, int64_t latest, inv_buf *why)
{
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < b->nf; i++) {
        const row_fault *f = &b->f[i];
        if (f->version >= 1 && f->version <= latest)
            continue;
        if (f->what && shown++ < 5)
            inv_buf_printf(why, "; %s (there is no version %lld)", f->what,
                           (long long)f->version);
        else
            more++;
    }
    if (more)
        inv_buf_printf(why, "; and %zu more rows naming versions that do not exist", more);
}

/* A stored party key row, parsed. */
typedef struct key_row {
    int role;
    int64_t since;
    cr_pubkey pk;
    char hex[CR_KEYID_HEX];
} key_row;

static int check_parties(inv_register *r, int64_t latest, inv_buf *why, bad_rows *b,
                         inv_err *e)
{
    sqlite3_stmt *st = NULL;
    key_row *k = NULL;
    size_t nk = 0, cap = 0;
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
        int role = inv_role_index((const char *)sqlite3_column_text(st, 0));
        if (role < 0)
            continue;
        if (nk == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            key_row *nv = realloc(k, ncap * sizeof *nv);
            if (!nv) {
                b->oom = 1;
                break;
            }
            k = nv;
            cap = ncap;
        }
        k[nk] = (key_row){role, since, pk, {0}};
        memcpy(k[nk].hex, hex, sizeof hex);
        nk++;
    }
    sqlite3_finalize(st);
    /* Each party needs its own key: no key (nor key id) is ever both. */
    for (size_t i = 0; i < nk; i++)
        for (size_t j = 0; j < nk; j++) {
            if (k[i].role != INV_ROLE_PROVIDER || k[j].role != INV_ROLE_CLIENT)
                continue;
            if (memcmp(k[i].pk.keyid, k[j].pk.keyid, CR_KEYID_BYTES) &&
                cr_memcmp(k[i].pk.pk, k[j].pk.pk, CR_PK_BYTES))
                continue;
            char text[512];
            int64_t v = k[i].since > k[j].since ? k[i].since : k[j].since;
            snprintf(text, sizeof text, "the provider and the client hold the same key%s %s "
                     "(the provider's from version %lld, the client's from version %lld); "
                     "each party needs its own key",
                     cr_memcmp(k[i].pk.pk, k[j].pk.pk, CR_PK_BYTES) ? " id" : "", k[i].hex,
                     (long long)k[i].since, (long long)k[j].since);
            add_fault(b, v < 1 ? 1 : v, NULL, text);
        }
    free(k);
    return b->oom ? inv_fail(e, INV_EIO, "out of memory") : INV_OK;
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
    if ((rc = scan_rows(r, latest, &bad, e)) ||
        (rc = check_parties(r, latest, &global, &bad, e)))
        goto out;
    if (bad.stray)
        inv_buf_printf(&global, "; %lld item rows belong to no version", (long long)bad.stray);
    if (bad.nf)
        qsort(bad.f, bad.nf, sizeof *bad.f, cmp_fault);
    name_stray_faults(&bad, latest, &global);

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
            name_faults(&bad, n, &why);
            prev_hash[0] = '\0';
        } else if (vrc) {
            inv_buf_printf(&why, "; %s", sub.msg);
            name_faults(&bad, n, &why);
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
            name_faults(&bad, n, &why);
            if (!hrc &&
                (rc = inv__verify_signatures(r, n, v.date, prehash, hash, &why, &sigs, e))) {
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
