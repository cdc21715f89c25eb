/*
 * history.c - the questions of a dispute: which version was in force at a
 * date, do its stored signatures hold, and when did an item enter, change
 * and leave the scope.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

static int dates_in_order(inv_register *r, const char *id, inv_err *e);

int inv_in_force_at(inv_register *r, int64_t t, inv_in_force *out, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    /* The answer walks versions by number and compares their dates: a
     * version deleted, one numbered 0 or far beyond the others, or one
     * dated before the version it follows would be read or skipped
     * silently. */
    int64_t latest;
    int rc = inv_versions_contiguous(r, &latest, e);
    if (rc || (rc = dates_in_order(r, NULL, e)) ||
        (rc = inv_version_at(r, t, &out->latest, e)))
        return rc;
    /* Newest first: the first version agreed by t is the one in force.
     * Every newer version is looked at too, whatever its stored date: its
     * signatures' signed dates (inv_sig_state_get refuses a row or a date
     * edited behind the tool's back) are what say it was not agreed by t;
     * a signature cannot be dated before its version. */
    if ((rc = inv__prepare(r, &st, "SELECT number, date FROM version ORDER BY number DESC",
                           e)))
        return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int64_t n = sqlite3_column_int64(st, 0), date;
        inv_sig_state sigs;
        if (inv_time_parse((const char *)sqlite3_column_text(st, 1), 0, &date, NULL)) {
            rc = inv_fail(e, INV_FAIL, "version %lld: stored date '%s' is malformed",
                          (long long)n, sqlite3_column_text(st, 1));
            break;
        }
        if ((rc = inv_sig_state_get(r, n, &sigs, e)))
            break;
        int64_t agreed = inv_agreed_at(&sigs, date);
        if (agreed && agreed <= t) {
            out->version = n;
            out->agreed_at = agreed;
            out->sigs = sigs;
            break;
        }
    }
    if (!rc && s != SQLITE_ROW && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read versions");
    sqlite3_finalize(st);
    return rc;
}

typedef struct sigs_ctx {
    inv_register *r;
    int64_t n;
    inv_sig_result_fn fn;
    void *ctx;
    inv_err *e;
    int rc;          /* first failure */
    int stop;        /* what fn returned, or an internal error */
} sigs_ctx;

static int sigs_one(void *ctx, const inv_sig_row *row)
{
    sigs_ctx *c = ctx;
    inv_err sub = {0};
    inv_tc tc;
    char keyid[CR_KEYID_HEX];
    cr_sig sig;
    cr_err ce;
    inv_sig_result res = {row, 0, NULL};
    int rc = inv_sig_check(c->r, c->n, row->minisig, strlen(row->minisig), &tc, &sub);
    if (rc == INV_EIO) {
        *c->e = sub;
        return c->stop = rc;
    }
    if (rc) {
        res.reason = sub.msg;
    } else {
        /* inv_sig_check parsed it already, so this cannot fail. */
        cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce);
        cr_keyid_hex(sig.keyid, keyid);
        if (strcmp(row->role, tc.role) || strcmp(row->key_id, keyid) ||
            row->signed_at != tc.signed_at)
            res.reason = "the stored row's role, key id or date differ from what the "
                         "signature's trusted comment signs";
        else
            res.ok = 1;
    }
    if (!res.ok && !c->rc)
        c->rc = inv_fail(c->e, INV_FAIL, "the stored %s signature of version %lld does not "
                         "hold: %s", row->role, (long long)c->n, res.reason);
    if (c->fn && (rc = c->fn(c->ctx, &res)))
        return c->stop = rc;
    return 0;
}

int inv_sigs_check(inv_register *r, int64_t n, inv_sig_result_fn fn, void *ctx, inv_err *e)
{
    inv_err local;
    sigs_ctx c = {r, n, fn, ctx, e ? e : &local, 0, 0};
    if (n < 1)
        return inv_fail(e, INV_EINPUT, "no version %lld", (long long)n);
    int rc = inv_sig_list(r, n, sigs_one, &c, c.e);
    if (c.stop)
        return c.stop;
    return rc ? rc : c.rc;
}

/* The first fault the chain of one item's rows shows. */
typedef struct first_fault {
    int64_t version;
    char what[1024];
} first_fault;

static void keep_first(void *ctx, int64_t version, const char *id, const char *what)
{
    first_fault *f = ctx;
    (void)id;
    if (!f->what[0] || version < f->version) {
        f->version = version;
        snprintf(f->what, sizeof f->what, "%s", what);
    }
}

/* The SQL of the rows of an item ?1 in (since, rev) order, columns COLS.
 * Rows that begin after the latest version were not committed by
 * scopereg (verify reports them); they are no part of any history. */
#define ID_ROWS(cols)                                                                        \
    "SELECT " cols " FROM item INDEXED BY item_by_id WHERE id = ?1"                          \
    " AND since <= (SELECT coalesce(max(number), 0) FROM version) ORDER BY since, rev"

/* inv__prepare of sql, with id bound to ?1 (not copied: it must outlive
 * the statement). *st is the caller's to finalize, failed or not. */
static int prepare_id(inv_register *r, sqlite3_stmt **st, const char *sql, const char *id,
                      inv_err *e)
{
    int rc = inv__prepare(r, st, sql, e);
    if (!rc)
        sqlite3_bind_text(*st, 1, id, -1, SQLITE_STATIC);
    return rc;
}

/* Checks the rows of id as inv_verify does (inv__chain), before any step
 * is reported: INV_FAIL naming the version and item when they do not
 * tell one life. */
static int history_chain(inv_register *r, const char *id, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv__chain chain;
    first_fault f = {0, ""};
    int rc = prepare_id(r, &st, ID_ROWS("since, until, op, kind, name, attrs"), id, e);
    if (rc)
        return rc;
    inv__chain_init(&chain, keep_first, &f);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(st, 2);
        int64_t until = sqlite3_column_type(st, 1) == SQLITE_NULL
                            ? INT64_MAX
                            : sqlite3_column_int64(st, 1);
        if (inv__chain_row(&chain, id, sqlite3_column_int64(st, 0), until, op ? op[0] : '?',
                           (const char *)sqlite3_column_text(st, 3),
                           (const char *)sqlite3_column_text(st, 4),
                           sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5))) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read item history");
    sqlite3_finalize(st);
    inv__chain_end(&chain);
    inv__chain_free(&chain);
    if (rc || !f.what[0])
        return rc;
    if (!strncmp(f.what, "version ", 8))
        return inv_fail(e, INV_FAIL, "%s; the register was changed outside scopereg (run "
                        "'scopereg verify')", f.what);
    return inv_fail(e, INV_FAIL, "version %lld: %s; the register was changed outside "
                    "scopereg (run 'scopereg verify')", (long long)f.version, f.what);
}

/* Each version (each where id changed, when id is given) is not dated
 * before the version it follows, as inv_version_check checks it: the
 * dates decide what was in force when, and a history shows them. INV_FAIL
 * naming both dates. One pass over the version table. */
static int dates_in_order(inv_register *r, const char *id, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT v.number, v.date, p.date FROM version v, version p"
                          " WHERE p.number = v.number - 1 AND (?1 IS NULL OR v.number IN"
                          " (SELECT since FROM item INDEXED BY item_by_id WHERE id = ?1))"
                          " ORDER BY v.number",
                          e);
    if (rc)
        return rc;
    if (id)
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        rc = inv__dates_follow(sqlite3_column_int64(st, 0),
                               (const char *)sqlite3_column_text(st, 1),
                               (const char *)sqlite3_column_text(st, 2), e);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read versions");
    sqlite3_finalize(st);
    return rc;
}

int inv_history(inv_register *r, const char *id, inv_history_fn fn, void *ctx, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_item prev, cur;
    inv_item_init(&prev);
    inv_item_init(&cur);
    int have_prev = 0, s;
    int rc = history_chain(r, id, e);
    if (rc || (rc = dates_in_order(r, id, e)))
        return rc;
    rc = prepare_id(r, &st, ID_ROWS("since, op, reason, id, kind, name, attrs"), id, e);
    if (rc)
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        inv_history_step step = {0};
        const char *op = (const char *)sqlite3_column_text(st, 1);
        step.version = sqlite3_column_int64(st, 0);
        step.change.id = id;
        if ((rc = inv__item_from_row(&cur, st, 3, 0, e)))
            goto out;
        if (op && op[0] == 'A') {
            step.change.op = INV_OP_ADD;
            step.change.after = &cur;
        } else if (op && op[0] == 'M' && have_prev) {
            step.change.op = INV_OP_EDIT;
            step.change.before = &prev;
            step.change.after = &cur;
        } else if (op && op[0] == 'R') {
            /* The removal row carries the state it withdraws. */
            step.change.op = INV_OP_REMOVE;
            step.change.before = have_prev ? &prev : &cur;
            step.change.reason = (const char *)sqlite3_column_text(st, 2);
        } else {
            rc = inv_fail(e, INV_FAIL, "item '%s': modified at version %lld but it was not in "
                          "scope before; run 'scopereg verify'", id, (long long)step.version);
            goto out;
        }
        if ((rc = fn(ctx, &step)))
            goto out;
        if (step.change.op == INV_OP_REMOVE) {
            have_prev = 0;
        } else {
            inv_item t = prev;
            prev = cur;
            cur = t;
            have_prev = 1;
        }
    }
    if (s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read item history");
out:
    sqlite3_finalize(st);
    inv_item_free(&prev);
    inv_item_free(&cur);
    return rc;
}
