/*
 * rows.c - the rows of an item must tell one life (the chain judge), and
 * the rows of a version must follow from the previous version's
 * (inv_version_check): what commit, signing and verify rely on.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

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
    inv_buf_free(&c->cov);
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
    vsnprintf(text, sizeof text, INV_(fmt), ap);
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
    return op == 'A' ? INV_("adds") : op == 'M' ? INV_("modifies") : INV_("removes");
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

int inv__chain_row_cov(inv__chain *c, const char *id, int64_t since, int64_t until, char op,
                       const char *kind, const char *name, const void *attrs, size_t attrs_len,
                       const char *svc, const char *sla, int64_t own)
{
    /* the attributes followed by the coverage (none, inherited for NULL),
     * behind a separator no attribute block holds */
    char o = (char)('0' + (own & 3));
    const char *s = svc ? svc : INV_COV_NONE, *k = sla ? sla : INV_COV_NONE;
    c->cov.len = 0;
    if (inv_buf_add(&c->cov, attrs ? attrs : "", attrs ? attrs_len : 0) ||
        inv_buf_add(&c->cov, "\x1d", 1) || inv_buf_add(&c->cov, s, strlen(s)) ||
        inv_buf_add(&c->cov, "\x1d", 1) || inv_buf_add(&c->cov, k, strlen(k)) ||
        inv_buf_add(&c->cov, "\x1d", 1) || inv_buf_add(&c->cov, &o, 1)) {
        c->failed = 1;
        return -1;
    }
    return inv__chain_row(c, id, since, until, op, kind, name, c->cov.data, c->cov.len);
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

/* The SQL that adds "and the same coverage" to a comparison of rows i and
 * p (a row without coverage columns has none, inherited), or nothing on a
 * register without them. */
static const char *same_coverage(const inv_register *r)
{
    return inv__has_cov(r) ? " AND coalesce(i.svc, 'none') IS coalesce(p.svc, 'none')"
                             " AND coalesce(i.sla, 'none') IS coalesce(p.sla, 'none')"
                             " AND coalesce(i.own, 0) IS coalesce(p.own, 0)"
                           : "";
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
    int rc = inv__prepare_n(r, &st,
                            "SELECT i.id, i.op,"
                            " (SELECT max(p.since) FROM item p WHERE p.id = i.id"
                            "  AND p.since < ?1 AND p.op <> 'R'"
                            "  AND (p.until IS NULL OR p.until > ?1)),"
                            " (SELECT count(*) FROM item p WHERE p.id = i.id AND p.since < ?1"
                            "  AND p.until = ?1)"
                            " FROM item i INDEXED BY item_by_version WHERE i.since = ?1"
                            " AND i.op <> 'A' ORDER BY i.id, i.rev",
                            n, e);
    if (rc)
        return rc;
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
    char sql[1024];
    snprintf(sql, sizeof sql,
             "SELECT p.id, p.since, p.op, p.rev, i.op,"
             " i.kind IS p.kind AND i.name IS p.name AND i.attrs IS p.attrs%s"
             " FROM item p NOT INDEXED"
             " LEFT JOIN item i INDEXED BY item_by_id"
             " ON i.id = p.id AND i.since = ?1"
             " WHERE p.until = ?1 AND p.since < ?1",
             same_coverage(r));
    int rc = inv__prepare(r, &st, sql, e);
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
    char sql[2048];
    snprintf(sql, sizeof sql,
             "SELECT count(*) FILTER (WHERE since = ?1 AND op <> 'A' AND"
             "  (SELECT count(*) FROM item c WHERE c.id = p.id"
             "   AND c.until = ?1 AND c.since < ?1) <> 1),"
             " count(*) FILTER (WHERE until = ?1 AND since < ?1 AND (op = 'R' OR"
             "  (SELECT count(*) FROM item i WHERE i.id = p.id AND i.since = ?1)"
             "   <> 1 OR NOT EXISTS (SELECT 1 FROM item i WHERE i.id = p.id"
             "   AND i.since = ?1 AND (i.op = 'R' OR i.op = 'M' AND NOT"
             "   (i.kind IS p.kind AND i.name IS p.name AND i.attrs IS p.attrs%s))))),"
             " min(CASE WHEN since = ?1 AND CASE WHEN op = 'R'"
             "  THEN until IS NOT ?1 ELSE until <= ?1 END THEN id END)"
             " FROM item p NOT INDEXED WHERE since = ?1 OR until = ?1",
             same_coverage(r));
    int rc = inv__prepare_n(r, &st, sql, n, e);
    if (rc)
        return rc;
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

int inv__dates_follow(int64_t n, const char *date, const char *prev_date, inv_err *e)
{
    const char *d[2] = {date, prev_date};
    int64_t t[2];
    int rc = INV_OK;
    for (int i = 0; i < 2 && !rc; i++)
        if (!d[i] || inv_time_parse(d[i], 0, &t[i], NULL) != INV_OK)
            rc = inv_fail(e, INV_FAIL, "version %lld: stored date '%s' is malformed; run "
                          "'scopereg verify'", (long long)(n - i), d[i] ? d[i] : "");
    if (!rc && t[0] < t[1])
        rc = inv_fail(e, INV_FAIL, "version %lld: its date (%s) is before the date of "
                      "version %lld (%s): a version cannot be older than the one it "
                      "follows; run 'scopereg verify'", (long long)n, d[0],
                      (long long)n - 1, d[1]);
    return rc;
}

/* Version n, when stored, is not dated before version n-1: a version
 * names the hash of the one before, so it cannot be older, and the dates
 * decide which version was in force when. */
static int check_version_date(inv_register *r, int64_t n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT v.date, p.date FROM version v, version p"
                          " WHERE v.number = ?1 AND p.number = ?1 - 1",
                          e);
    if (rc || n < 2)
        goto out;
    sqlite3_bind_int64(st, 1, n);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        rc = inv__dates_follow(n, (const char *)sqlite3_column_text(st, 0),
                               (const char *)sqlite3_column_text(st, 1), e);
    } else if (s != SQLITE_DONE) {
        rc = inv__sqlerr(r, e, "read versions");
    }
out:
    sqlite3_finalize(st);
    return rc;
}

int inv_version_check(inv_register *r, int64_t n, inv_err *e)
{
    if (n < 1)
        return inv_fail(e, INV_EINPUT, "no version %lld", (long long)n);
    int rc = check_version_date(r, n, e);
    if (!rc)
        rc = check_version_rows(r, n, e);
    return rc ? rc : check_version_keys(r, n, e);
}

int inv__types_typed(const int *types, const char *spec, const char *op, size_t oplen)
{
    for (int c = 0; spec[c]; c++) {
        int t = types[c];
        int ok = spec[c] == '.' || (spec[c] == 'T' && t == SQLITE_TEXT) ||
                 (spec[c] == 't' && (t == SQLITE_TEXT || t == SQLITE_NULL)) ||
                 (spec[c] == 'B' && t == SQLITE_BLOB) ||
                 (spec[c] == 'I' && t == SQLITE_INTEGER) ||
                 (spec[c] == 'i' && (t == SQLITE_INTEGER || t == SQLITE_NULL));
        if (!ok)
            return 0;
    }
    return op && oplen == 1 && (op[0] == 'A' || op[0] == 'M' || op[0] == 'R');
}

int inv__row_typed(sqlite3_stmt *st, const char *spec, int op)
{
    int types[32];
    size_t n = strlen(spec);
    if (n > sizeof types / sizeof *types)
        return 0;
    for (size_t c = 0; c < n; c++)
        types[c] = sqlite3_column_type(st, (int)c);
    const char *o = (const char *)sqlite3_column_text(st, op);
    return inv__types_typed(types, spec, o, o ? (size_t)sqlite3_column_bytes(st, op) : 0);
}
