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

#include "internal.h"

/* ---- the chain of an item's rows (internal.h) ---- */

void inv__chain_init(inv__chain *c, inv__chain_fn fn, void *ctx)
{
    memset(c, 0, sizeof *c);
    c->fn = fn;
    c->ctx = ctx;
}

void inv__chain_free(inv__chain *c)
{
    inv_buf_free(&c->id);
    inv_buf_free(&c->kind);
    inv_buf_free(&c->name);
    inv_buf_free(&c->attrs);
    inv_buf_free(&c->msg);
}

static int set_buf(inv_buf *b, const void *p, size_t n)
{
    b->len = 0;
    return inv_buf_add(b, p ? p : "", p ? n : 0);
}

/* Reports a fault of version v about id, as printf would format it. */
static void fault(inv__chain *c, int64_t v, const char *id, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fault(inv__chain *c, int64_t v, const char *id, const char *fmt, ...)
{
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    c->fn(c->ctx, v, id, text);
}

/* A row that ends at version u is followed by no change of its item at u. */
static void ended_without_change(inv__chain *c, const char *id, int64_t u)
{
    fault(c, u, id, "item '%s': its row ends at version %lld but version %lld records no "
          "change of '%s'", id, (long long)u, (long long)u, id);
}

static const char *op_verb(char op)
{
    return op == 'A' ? "adds" : op == 'M' ? "modifies" : "removes";
}

void inv__chain_end(inv__chain *c)
{
    if (c->have && c->op != 'R' && c->until != INT64_MAX)
        ended_without_change(c, c->id.data, c->until);
    c->have = 0;
}

int inv__chain_row(inv__chain *c, const char *id, int64_t since, int64_t until, char op,
                   const char *kind, const char *name, const void *attrs, size_t attrs_len)
{
    if (c->have && strcmp(c->id.data, id))
        inv__chain_end(c);
    if (!c->have) {
        if (op != 'A')
            fault(c, since, id, "version %lld %s '%s', which version %lld does not list",
                  (long long)since, op_verb(op), id, (long long)since - 1);
    } else if (since == c->since) {
        fault(c, since, id, "item '%s' has two rows at version %lld", id, (long long)since);
    } else if (c->op == 'R') {
        if (op != 'A')
            fault(c, since, id, "version %lld %s '%s', which version %lld removed",
                  (long long)since, op_verb(op), id, (long long)c->since);
    } else if (c->until == INT64_MAX) {
        if (op == 'R')
            fault(c, since, id, "version %lld removes '%s' but it is still listed (its row of "
                  "version %lld stays in scope)", (long long)since, id, (long long)c->since);
        else
            fault(c, since, id, "version %lld %s '%s' but its row of version %lld stays in "
                  "scope too", (long long)since, op_verb(op), id, (long long)c->since);
    } else if (c->until < since) {
        ended_without_change(c, id, c->until);
        if (op != 'A')
            fault(c, since, id, "version %lld %s '%s', which version %lld does not list",
                  (long long)since, op_verb(op), id, (long long)since - 1);
    } else if (c->until > since) {
        fault(c, since, id, "item '%s' is listed twice in version %lld (its row of version "
              "%lld ends only at version %lld)", id, (long long)since, (long long)c->since,
              (long long)c->until);
    } else if (op == 'A') {
        fault(c, since, id, "version %lld adds '%s' but version %lld lists it (its row ends "
              "at version %lld without a removal)", (long long)since, id, (long long)since - 1,
              (long long)since);
    } else if (op == 'M' && !strcmp(c->kind.data, kind ? kind : "") &&
               !strcmp(c->name.data, name ? name : "") && c->attrs.len == attrs_len &&
               (attrs_len == 0 || !memcmp(c->attrs.data, attrs, attrs_len))) {
        fault(c, since, id, "version %lld modifies '%s' without changing it", (long long)since,
              id);
    }
    /* The row itself. */
    if (op == 'R' && until != since)
        fault(c, since, id, "item '%s': its removal row of version %lld %s", id,
              (long long)since, until == INT64_MAX ? "stays in scope" : "ends at another "
              "version");
    else if (op != 'R' && until <= since)
        fault(c, since, id, "item '%s': its row of version %lld ends at version %lld, not "
              "after it", id, (long long)since, (long long)until);
    if (set_buf(&c->id, id, strlen(id)) || set_buf(&c->kind, kind, kind ? strlen(kind) : 0) ||
        set_buf(&c->name, name, name ? strlen(name) : 0) ||
        set_buf(&c->attrs, attrs, attrs_len)) {
        c->failed = 1;
        return -1;
    }
    c->since = since;
    c->until = until;
    c->op = op;
    c->have = 1;
    return 0;
}

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

/* ---- one version: inv_version_check ---- */

/* Compares the keys that sign version n: no key of the provider (its key
 * in force, and the one n replaces) is a key of the client. */
static int check_version_keys(inv_register *r, int64_t n, inv_err *e)
{
    cr_pubkey k[2][2];
    int have[2][2] = {{0, 0}, {0, 0}};
    for (int i = 0; i < 2; i++) {
        inv_party p;
        int rotates, rc = inv_party_get(r, inv_roles[i], n, &p, e);
        if (rc)
            return rc;
        k[i][0] = p.key;
        have[i][0] = 1;
        inv_party_free(&p);
        if ((rc = inv_rotation_at(r, n, inv_roles[i], &rotates, &k[i][1], NULL, e)))
            return rc;
        have[i][1] = rotates;
    }
    for (int a = 0; a < 2; a++)
        for (int b = 0; b < 2; b++) {
            if (!have[0][a] || !have[1][b])
                continue;
            if (memcmp(k[0][a].keyid, k[1][b].keyid, CR_KEYID_BYTES) &&
                cr_memcmp(k[0][a].pk, k[1][b].pk, CR_PK_BYTES))
                continue;
            char hex[CR_KEYID_HEX];
            cr_keyid_hex(k[0][a].keyid, hex);
            return inv_fail(e, INV_FAIL, "version %lld: the provider and the client hold the "
                            "same key%s %s; each party needs its own key (run 'scopereg "
                            "verify')", (long long)n,
                            cr_memcmp(k[0][a].pk, k[1][b].pk, CR_PK_BYTES) ? " id" : "", hex);
        }
    return INV_OK;
}

/* The message of a fault found by inv_version_check. */
static int version_fault(inv_err *e, int64_t n, const char *what)
{
    if (!strncmp(what, "version ", 8))
        return inv_fail(e, INV_FAIL, "%s; run 'scopereg verify'", what);
    return inv_fail(e, INV_FAIL, "version %lld: %s; run 'scopereg verify'", (long long)n, what);
}

/* Why a modification or removal of version n (of item id) finds no row
 * ending at n: the item still listed, or not listed at all. */
static int unmatched_change(inv_register *r, int64_t n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    char what[1024];
    int rc = inv__prepare(r, &st,
                          "SELECT i.id, i.op,"
                          " (SELECT max(p.since) FROM item p WHERE p.id = i.id"
                          "  AND p.since < ?1 AND p.op <> 'R'"
                          "  AND (p.until IS NULL OR p.until > ?1)),"
                          " (SELECT count(*) FROM item p WHERE p.id = i.id AND p.since < ?1"
                          "  AND p.until = ?1)"
                          " FROM item i INDEXED BY item_by_version WHERE i.since = ?1"
                          " AND i.op <> 'A' ORDER BY i.id, i.rev",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *op = (const char *)sqlite3_column_text(st, 1);
        int64_t ends = sqlite3_column_int64(st, 3);
        if (ends == 1)
            continue;
        if (ends > 1)
            snprintf(what, sizeof what, "item '%s' has %lld rows ending at version %lld", id,
                     (long long)ends, (long long)n);
        else if (sqlite3_column_type(st, 2) != SQLITE_NULL && op[0] == 'R')
            snprintf(what, sizeof what, "version %lld removes '%s' but it is still listed "
                     "(its row of version %lld stays in scope)", (long long)n, id,
                     (long long)sqlite3_column_int64(st, 2));
        else if (sqlite3_column_type(st, 2) != SQLITE_NULL)
            snprintf(what, sizeof what, "version %lld modifies '%s' but its row of version "
                     "%lld stays in scope too", (long long)n, id,
                     (long long)sqlite3_column_int64(st, 2));
        else
            snprintf(what, sizeof what, "version %lld %s '%s', which version %lld does not "
                     "list", (long long)n, op[0] == 'R' ? "removes" : "modifies", id,
                     (long long)n - 1);
        sqlite3_finalize(st);
        return version_fault(e, n, what);
    }
    rc = s == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "read items");
    sqlite3_finalize(st);
    return rc;
}

/* Names the first fault of version n's rows once check_version_rows has
 * found one: a row of n whose until does not fit its op, then each row
 * ending at n with what begins at n for its id, then each change of n
 * with the rows it ends. */
static int name_version_fault(inv_register *r, int64_t n, const char *bad_id, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    char what[1024];
    if (bad_id) {
        snprintf(what, sizeof what, "item '%s': its row of version %lld ends where its kind "
                 "of change cannot (an addition or a modification ends after it begins, a "
                 "removal where it begins)", bad_id, (long long)n);
        return version_fault(e, n, what);
    }
    int rc = inv__prepare(r, &st,
                          "SELECT p.id, p.since, p.op, p.rev, i.op,"
                          " i.kind IS p.kind AND i.name IS p.name AND i.attrs IS p.attrs"
                          " FROM item p NOT INDEXED"
                          " LEFT JOIN item i INDEXED BY item_by_id"
                          " ON i.id = p.id AND i.since = ?1"
                          " WHERE p.until = ?1 AND p.since < ?1",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    int s = SQLITE_DONE;
    int64_t last_rev = -1;
    what[0] = '\0';
    while (!what[0] && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        const char *pop = (const char *)sqlite3_column_text(st, 2);
        const char *iop = (const char *)sqlite3_column_text(st, 4);
        int64_t since = sqlite3_column_int64(st, 1), rev = sqlite3_column_int64(st, 3);
        if (rev == last_rev)
            snprintf(what, sizeof what, "item '%s' has two rows at version %lld", id,
                     (long long)n);
        else if (pop && pop[0] == 'R')
            snprintf(what, sizeof what, "item '%s': its removal row of version %lld ends at "
                     "another version", id, (long long)since);
        else if (!iop)
            snprintf(what, sizeof what, "item '%s': its row ends at version %lld but version "
                     "%lld records no change of '%s'", id, (long long)n, (long long)n, id);
        else if (iop[0] == 'A')
            snprintf(what, sizeof what, "version %lld adds '%s' but version %lld lists it "
                     "(its row ends at version %lld without a removal)", (long long)n, id,
                     (long long)n - 1, (long long)n);
        else if (iop[0] == 'M' && sqlite3_column_int(st, 5))
            snprintf(what, sizeof what, "version %lld modifies '%s' without changing it",
                     (long long)n, id);
        last_rev = rev;
    }
    if (!what[0] && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read items");
    sqlite3_finalize(st);
    if (rc)
        return rc;
    if (what[0])
        return version_fault(e, n, what);
    if ((rc = unmatched_change(r, n, e)))
        return rc;
    return version_fault(e, n, "its rows do not follow from the rows of the version before");
}

/*
 * The rows of version n, without the ordered pass inv_verify makes over
 * every row (and without rendering), in one scan of the table: the rows
 * that begin or end at n. Every row ending at n (since < n, until = n)
 * must be followed by exactly one row of its id beginning at n, a
 * modification (that changes something) or a removal; every modification
 * or removal of n must end exactly one row; a row of n must end where its
 * op says (a removal where it begins, the others after it). Then the rows
 * in scope at n are those of n-1 with n's changes applied: additions are
 * in scope at n, and an addition of an id still listed shows as an id
 * listed twice, which rendering refuses. Each subquery runs only for a
 * row ending at n or a change of n, through the index on (id, since).
 */
static int check_version_rows(inv_register *r, int64_t n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t bad_changes = 0, bad_ends = 0;
    char *bad_id = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT count(*) FILTER (WHERE since = ?1 AND op <> 'A' AND"
                          "  (SELECT count(*) FROM item c WHERE c.id = p.id"
                          "   AND c.until = ?1 AND c.since < ?1) <> 1),"
                          " count(*) FILTER (WHERE until = ?1 AND since < ?1 AND (op = 'R' OR"
                          "  (SELECT count(*) FROM item i WHERE i.id = p.id AND i.since = ?1)"
                          "   <> 1 OR NOT EXISTS (SELECT 1 FROM item i WHERE i.id = p.id"
                          "   AND i.since = ?1 AND (i.op = 'R' OR i.op = 'M' AND NOT"
                          "   (i.kind IS p.kind AND i.name IS p.name AND i.attrs IS p.attrs))))),"
                          " min(CASE WHEN since = ?1 AND CASE WHEN op = 'R'"
                          "  THEN until IS NOT ?1 ELSE until <= ?1 END THEN id END)"
                          " FROM item p NOT INDEXED WHERE since = ?1 OR until = ?1",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = inv__sqlerr(r, e, "read items");
    } else {
        bad_changes = sqlite3_column_int64(st, 0);
        bad_ends = sqlite3_column_int64(st, 1);
        if (sqlite3_column_type(st, 2) != SQLITE_NULL &&
            !(bad_id = inv__strdup((const char *)sqlite3_column_text(st, 2))))
            rc = inv_fail(e, INV_EIO, "out of memory");
    }
    sqlite3_finalize(st);
    if (!rc && (bad_changes || bad_ends || bad_id))
        rc = name_version_fault(r, n, bad_id, e);
    free(bad_id);
    return rc;
}

int inv_version_check(inv_register *r, int64_t n, inv_err *e)
{
    if (n < 1)
        return inv_fail(e, INV_EINPUT, "no version %lld", (long long)n);
    int rc = check_version_rows(r, n, e);
    return rc ? rc : check_version_keys(r, n, e);
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
