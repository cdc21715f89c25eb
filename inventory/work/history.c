/*
 * history.c - the questions of a dispute asked of the register: which
 * version was in force at a date, do its stored signatures hold, and when
 * did an item enter, change and leave the scope; the register as a source
 * of versions for the answers of work/answer.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_int.h"
#include "work_int.h"

static int dates_in_order(inv_register *r, const char *id, inv_err *e);

int inv_in_force_at(inv_register *r, int64_t t, inv_in_force *out, inv_err *e)
{
    inv_source s;
    inv__source_register_init(&s, r);
    return inv__in_force_walk(&s, t, out, e);
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
    int rc = prepare_id(r, &st,
                        inv__has_cov(r)
                            ? ID_ROWS("since, until, op, kind, name, attrs, svc, sla, own")
                            : ID_ROWS("since, until, op, kind, name, attrs, NULL, NULL, 0"),
                        id, e);
    if (rc)
        return rc;
    inv__chain_init(&chain, keep_first, &f);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *op = (const char *)sqlite3_column_text(st, 2);
        int64_t until = sqlite3_column_type(st, 1) == SQLITE_NULL
                            ? INT64_MAX
                            : sqlite3_column_int64(st, 1);
        if (inv__chain_row_cov(&chain, id, sqlite3_column_int64(st, 0), until, op ? op[0] : '?',
                               (const char *)sqlite3_column_text(st, 3),
                               (const char *)sqlite3_column_text(st, 4),
                               sqlite3_column_blob(st, 5), (size_t)sqlite3_column_bytes(st, 5),
                               (const char *)sqlite3_column_text(st, 6),
                               (const char *)sqlite3_column_text(st, 7),
                               sqlite3_column_int64(st, 8))) {
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
    /* with the coverage of /2 versions (work/coverage.c) */
    rc = prepare_id(r, &st,
                    inv__has_cov(r)
                        ? ID_ROWS("since, op, reason, id, kind, name, attrs, svc, sla, own")
                        : ID_ROWS("since, op, reason, id, kind, name, attrs"),
                    id, e);
    if (rc)
        return rc;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        inv_history_step step = {0};
        const char *op = (const char *)sqlite3_column_text(st, 1);
        step.version = sqlite3_column_int64(st, 0);
        step.change.id = id;
        if ((rc = inv__item_from_row(&cur, st, 3, 0, e)) ||
            (rc = inv__item_cov_from_row(r, step.version, &cur, st, 7, e)))
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

/* ---- the register as a source of versions (work/answer_int.h) ---- */

typedef struct vsigs_ctx {
    inv_vinfo *vi;
    int failed; /* out of memory */
} vsigs_ctx;

static inv_vsig *vsig_push(vsigs_ctx *c, const inv_sig_row *row)
{
    inv_vinfo *vi = c->vi;
    inv_vsig *nv = realloc(vi->sigs, (vi->nsigs + 1) * sizeof *nv);
    if (!nv) {
        c->failed = 1;
        return NULL;
    }
    vi->sigs = nv;
    inv_vsig *s = &nv[vi->nsigs++];
    memset(s, 0, sizeof *s);
    snprintf(s->role, sizeof s->role, "%s", row->role);
    snprintf(s->key_id, sizeof s->key_id, "%s", row->key_id);
    s->signed_at = row->signed_at;
    return s;
}

static int stored_one(void *ctx, const inv_sig_row *row)
{
    return vsig_push(ctx, row) ? 0 : INV_EIO;
}

static int checked_one(void *ctx, const inv_sig_result *res)
{
    inv_vsig *s = vsig_push(ctx, res->row);
    if (!s)
        return INV_EIO;
    s->ok = res->ok;
    if (!res->ok && !(s->reason = strdup(res->reason ? res->reason : "unknown reason"))) {
        ((vsigs_ctx *)ctx)->failed = 1;
        return INV_EIO;
    }
    return 0;
}

int inv_vinfo_get(inv_register *r, int64_t n, int check, inv_vinfo *vi, inv_err *e)
{
    memset(vi, 0, sizeof *vi);
    int rc = inv_version_get(r, n, &vi->v, e);
    if (rc)
        return rc;
    if ((rc = inv_sig_state_get(r, n, &vi->state, e)))
        return rc;
    vi->agreed_at = inv_agreed_at(&vi->state, vi->v.date);
    for (int i = 0; i < 2; i++) {
        inv_party p;
        if ((rc = inv_party_get(r, inv_roles[i], n, &p, e)))
            return rc;
        vi->party[i] = p.name;
        p.name = NULL;
        cr_keyid_hex(p.key.keyid, vi->party_key[i]);
        inv_party_free(&p);
    }
    vsigs_ctx c = {vi, 0};
    if (check) {
        vi->checked = 1;
        rc = inv_sigs_check(r, n, checked_one, &c, e);
        vi->hold = rc == INV_OK;
        if (rc == INV_FAIL)
            rc = INV_OK; /* recorded per signature */
    } else {
        rc = inv_sig_list(r, n, stored_one, &c, e);
    }
    if (c.failed)
        return inv_fail(e, INV_EIO, "out of memory");
    return rc;
}

static int reg_latest(inv_source *s, int64_t *n, inv_err *e)
{
    return inv_latest(s->r, n, e);
}

/* The walk answers by number and compares dates: a version deleted, one
 * numbered 0 or far beyond the others, or one dated before the version it
 * follows would be read or skipped silently. */
static int reg_precheck(inv_source *s, inv_err *e)
{
    int64_t latest;
    int rc = inv_versions_contiguous(s->r, &latest, e);
    return rc ? rc : dates_in_order(s->r, NULL, e);
}

/* The state comes from the signatures' signed trusted comments
 * (inv_sig_state_get refuses a row or a date edited behind the tool's
 * back): always sure. */
static int reg_state(inv_source *s, int64_t n, inv__vstate *out, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    int rc = inv__prepare(s->r, &st, "SELECT date FROM version WHERE number = ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) {
        const char *d = (const char *)sqlite3_column_text(st, 0);
        if (inv_time_parse(d ? d : "", 0, &out->date, NULL))
            rc = inv_fail(e, INV_FAIL, "version %lld: stored date '%s' is malformed",
                          (long long)n, d ? d : "");
    } else if (step == SQLITE_DONE) {
        rc = inv_fail(e, INV_EINPUT, "no version %lld", (long long)n);
    } else {
        rc = inv__sqlerr(s->r, e, "read versions");
    }
    sqlite3_finalize(st);
    if (rc || (rc = inv_sig_state_get(s->r, n, &out->sigs, e)))
        return rc;
    out->present = out->sure = 1;
    return INV_OK;
}

/* The version answered from must list what its changes make of the
 * version before (inv_doc_digests runs inv_version_check, then renders
 * once for the signature checks). */
static int reg_link(inv_source *s, int64_t n, int64_t t, inv_err *e)
{
    unsigned char prehash[CR_PREHASH_BYTES];
    char doc_hash[CR_HASH_STR_LEN];
    (void)t;
    return inv_doc_digests(s->r, n, prehash, doc_hash, e);
}

static int reg_version(inv_source *s, int64_t n, int check, inv_vinfo *vi, inv_err *e)
{
    return inv_vinfo_get(s->r, n, check, vi, e);
}

/* Stop value of the item walk: not an INV_* code. */
#define FOUND_STOP (-1)

typedef struct find_ctx {
    const char *id;
    inv_item *it;
    int *found;
} find_ctx;

static int find_one(void *ctx, const inv_item *it)
{
    find_ctx *f = ctx;
    int c = strcmp(it->id, f->id);
    if (c < 0)
        return 0;
    if (c == 0) {
        if (inv_item_copy(f->it, it))
            return INV_EIO;
        *f->found = 1;
    }
    return FOUND_STOP; /* items come in id order: nothing further can match */
}

static int reg_item(inv_source *s, int64_t n, const char *id, inv_item *out, int *found,
                    inv_err *e)
{
    find_ctx f = {id, out, found};
    *found = 0;
    e->msg[0] = '\0';
    int rc = inv_items(s->r, n, find_one, &f, e);
    if (rc == FOUND_STOP)
        return INV_OK;
    if (rc && !e->msg[0]) /* find_one could not copy the item */
        return inv_fail(e, INV_EIO, "out of memory");
    return rc;
}

static int reg_steps(inv_source *s, const char *id, inv_history_fn fn, void *ctx,
                     inv_history_answer *out, inv_err *e)
{
    (void)out; /* a register lacks no version: inv_versions_contiguous */
    return inv_history(s->r, id, fn, ctx, e);
}

static void reg_free(inv_source *s)
{
    free(s);
}

static const inv__source_ops reg_ops = {reg_latest, reg_precheck, reg_state, reg_link,
                                        reg_version, reg_item, reg_steps, NULL};
static const inv__source_ops reg_ops_heap = {reg_latest, reg_precheck, reg_state, reg_link,
                                             reg_version, reg_item, reg_steps, reg_free};

void inv__source_register_init(inv_source *s, inv_register *r)
{
    memset(s, 0, sizeof *s);
    s->ops = &reg_ops;
    s->r = r;
    s->where = inv_path(r);
    s->contract = inv_contract(r);
}

int inv_source_register(inv_register *r, inv_source **out, inv_err *e)
{
    if (!(*out = malloc(sizeof **out)))
        return inv_fail(e, INV_EIO, "out of memory");
    inv__source_register_init(*out, r);
    (*out)->ops = &reg_ops_heap;
    return INV_OK;
}
