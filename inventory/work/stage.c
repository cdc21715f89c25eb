/*
 * stage.c - staged changes: add, edit, remove, reset, status.
 *
 * The stage table holds, per item id, the full new state (op 'A' add,
 * 'E' edit) or a removal with its reason (op 'R'). commit turns it into a
 * version.
 */
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

/* The committed, in-scope state of id: INV_OK, INV_FAIL when absent. */
static int committed(inv_register *r, const char *id, inv_item *out, inv_err *e)
{
    sqlite3_stmt *st;
    int rc = inv__cached(r, ST_CUR_ITEM,
                         inv__has_cov(r)
                             ? "SELECT id, kind, name, attrs, coalesce(svc, 'none'),"
                               " coalesce(sla, 'none'), coalesce(own, 0) FROM item"
                               " WHERE id = ?1 AND until IS NULL AND op <> 'R'"
                             : "SELECT id, kind, name, attrs, NULL, NULL, NULL FROM item"
                               " WHERE id = ?1 AND until IS NULL AND op <> 'R'",
                         &st, e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW && out && !(rc = inv__item_from_row(out, st, 0, 0, e)) &&
        sqlite3_column_type(st, 4) != SQLITE_NULL) {
        /* its coverage in the latest version */
        out->svc = inv__strdup((const char *)sqlite3_column_text(st, 4));
        out->sla = inv__strdup((const char *)sqlite3_column_text(st, 5));
        out->own = sqlite3_column_int(st, 6);
        if (!out->svc || !out->sla)
            rc = inv_fail(e, INV_EIO, "out of memory");
    }
    if (s == SQLITE_DONE)
        rc = INV_FAIL;
    else if (s != SQLITE_ROW)
        rc = inv__sqlerr(r, e, "read item");
    sqlite3_reset(st);
    return rc;
}

/* The staged op of id ('A', 'E', 'R') or 0; fills out for A/E when given. */
static int staged(inv_register *r, const char *id, char *op, inv_item *out, inv_err *e)
{
    sqlite3_stmt *st;
    int rc = inv__cached(r, ST_STAGE_GET,
                         "SELECT op, id, kind, name, attrs FROM stage WHERE id = ?1", &st, e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *op = 0;
    if (s == SQLITE_ROW) {
        *op = (char)sqlite3_column_text(st, 0)[0];
        if (out && *op != 'R')
            rc = inv__item_from_row(out, st, 1, 0, e);
    } else if (s != SQLITE_DONE) {
        rc = inv__sqlerr(r, e, "read stage");
    }
    sqlite3_reset(st);
    return rc;
}

static int stage_put(inv_register *r, char op, const inv_item *it, const char *id,
                     const char *reason, inv_err *e)
{
    sqlite3_stmt *st;
    inv_buf attrs = {0};
    int rc = inv__cached(r, ST_STAGE_PUT,
                         /* an upsert, not a replacement: a staged coverage (the
                          * svc, sla and own columns, terms.c) stays staged */
                         "INSERT INTO stage(id, op, kind, name, attrs, reason)"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(id) DO UPDATE SET"
                         " op = excluded.op, kind = excluded.kind, name = excluded.name,"
                         " attrs = excluded.attrs, reason = excluded.reason",
                         &st, e);
    if (rc)
        return rc;
    char ops[2] = {op, 0};
    sqlite3_bind_text(st, 1, it ? it->id : id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, ops, -1, SQLITE_STATIC);
    if (it) {
        if (inv__attrs_encode(it, &attrs))
            return inv_fail(e, INV_EIO, "out of memory");
        sqlite3_bind_text(st, 3, it->kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, it->name ? it->name : "", -1, SQLITE_STATIC);
        sqlite3_bind_blob(st, 5, attrs.data, (int)attrs.len, SQLITE_STATIC);
    }
    if (reason)
        sqlite3_bind_text(st, 6, reason, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "stage");
    sqlite3_reset(st);
    inv_buf_free(&attrs);
    return rc;
}

static int stage_del(inv_register *r, const char *id, inv_err *e)
{
    sqlite3_stmt *st;
    int rc = inv__cached(r, ST_STAGE_DEL, "DELETE FROM stage WHERE id = ?1", &st, e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "unstage");
    sqlite3_reset(st);
    return rc;
}

int inv_item_current(inv_register *r, const char *id, inv_item *out, int *is_staged,
                     inv_err *e)
{
    char op;
    int rc = staged(r, id, &op, out, e);
    if (rc)
        return rc;
    if (is_staged)
        *is_staged = op != 0;
    if (op == 'R')
        return INV_FAIL;
    if (op)
        return INV_OK;
    return committed(r, id, out, e);
}

/* Runs body between inv__tx_begin and inv__tx_end. */
#define IN_TX(r, e, body)                                                                    \
    do {                                                                                     \
        int rc_ = inv__tx_begin(r, e);                                                       \
        if (rc_)                                                                             \
            return rc_;                                                                      \
        rc_ = (body);                                                                        \
        int rc2_ = inv__tx_end(r, rc_ == INV_OK, e);                                         \
        return rc_ ? rc_ : rc2_;                                                             \
    } while (0)

/* Sets *op to what is staged for id (0: nothing); INV_EINPUT naming id
 * and the fix when it is staged for removal, which add and edit refuse. */
static int staged_not_removed(inv_register *r, const char *id, char *op, inv_err *e)
{
    int rc = staged(r, id, op, NULL, e);
    if (rc)
        return rc;
    if (*op == 'R')
        return inv_fail(e, INV_EINPUT,
                        "item '%s' is staged for removal; run 'scopereg reset %s' first",
                        id, id);
    return INV_OK;
}

static int do_add(inv_register *r, const inv_item *it, inv_err *e)
{
    char op;
    int rc = staged_not_removed(r, it->id, &op, e);
    if (rc)
        return rc;
    if (op)
        return inv_fail(e, INV_EINPUT, "item '%s' is already staged (use 'scopereg edit')",
                        it->id);
    rc = committed(r, it->id, NULL, e);
    if (rc == INV_OK)
        return inv_fail(e, INV_EINPUT, "item '%s' is already in scope (use 'scopereg edit')",
                        it->id);
    if (rc != INV_FAIL)
        return rc;
    return stage_put(r, 'A', it, NULL, NULL, e);
}

int inv__stage_add_new(inv_register *r, const inv_item *it, inv_err *e)
{
    return stage_put(r, 'A', it, NULL, NULL, e);
}

int inv_stage_add(inv_register *r, const inv_item *it, inv_err *e)
{
    int rc = inv_item_check(it, e);
    if (rc)
        return rc;
    IN_TX(r, e, do_add(r, it, e));
}

/* An edit back to the committed fields: unstaged, unless the stage row
 * also sets the item's coverage (terms.c), which then stays staged with
 * the committed fields. */
static int unstage_unless_coverage(inv_register *r, const inv_item *it, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "SELECT own IS NOT NULL FROM stage WHERE id = ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, it->id, -1, SQLITE_STATIC);
    int keep = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return keep ? stage_put(r, 'E', it, NULL, NULL, e) : stage_del(r, it->id, e);
}

static int do_edit(inv_register *r, const inv_item *it, inv_err *e)
{
    char op;
    inv_item cur;
    inv_item_init(&cur);
    int rc = staged_not_removed(r, it->id, &op, e);
    if (rc)
        return rc;
    if (op == 'A')
        return stage_put(r, 'A', it, NULL, NULL, e);
    rc = committed(r, it->id, &cur, e);
    if (rc == INV_FAIL)
        rc = inv_fail(e, INV_EINPUT, "no item '%s' in scope", it->id);
    else if (rc == INV_OK)
        rc = inv_item_equal(&cur, it) ? (op ? unstage_unless_coverage(r, it, e) : INV_OK)
                                      : stage_put(r, 'E', it, NULL, NULL, e);
    inv_item_free(&cur);
    return rc;
}

int inv_stage_edit(inv_register *r, const inv_item *it, inv_err *e)
{
    int rc = inv_item_check(it, e);
    if (rc)
        return rc;
    IN_TX(r, e, do_edit(r, it, e));
}

static int do_remove(inv_register *r, const char *id, const char *reason, inv_err *e)
{
    char op;
    int rc = staged(r, id, &op, NULL, e);
    if (rc)
        return rc;
    if (op == 'R')
        return inv_fail(e, INV_EINPUT, "item '%s' is already staged for removal", id);
    if (op == 'A')
        return stage_del(r, id, e);
    rc = committed(r, id, NULL, e);
    if (rc == INV_FAIL)
        return inv_fail(e, INV_EINPUT, "no item '%s' in scope", id);
    if (rc)
        return rc;
    return stage_put(r, 'R', NULL, id, reason, e);
}

int inv_stage_remove(inv_register *r, const char *id, const char *reason, inv_err *e)
{
    int rc = inv_id_check_stored(id, e);
    if (rc)
        return rc;
    if (!reason || !*reason)
        return inv_fail(e, INV_EINPUT, "a removal needs a reason (--reason TEXT)");
    if ((rc = inv_value_check("reason", reason, e)))
        return rc;
    IN_TX(r, e, do_remove(r, id, reason, e));
}

static int do_reset(inv_register *r, const char *id, inv_err *e)
{
    if (!id) { /* everything, staged key replacements (rotation.c) included */
        int rc = inv__exec(r, "DELETE FROM stage", e);
        if (!rc && inv__has_cov(r)) /* and the staged terms (terms.c) */
            rc = inv__exec(r, "DELETE FROM stage_term", e);
        return rc ? rc : inv__rekey_drop(r, e);
    }
    char op;
    int rc = staged(r, id, &op, NULL, e);
    if (rc)
        return rc;
    if (!op)
        return inv_fail(e, INV_EINPUT, "nothing is staged for item '%s'", id);
    return stage_del(r, id, e);
}

int inv_stage_reset(inv_register *r, const char *id, inv_err *e)
{
    IN_TX(r, e, do_reset(r, id, e));
}

int inv_stage_walk(inv_register *r, inv_change_fn fn, void *ctx, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_item before, after;
    inv_item_init(&before);
    inv_item_init(&after);
    int rc = inv__prepare(r, &st,
                          "SELECT s.op, s.reason, s.id, s.kind, s.name, s.attrs,"
                          " i.id, i.kind, i.name, i.attrs FROM stage s"
                          " LEFT JOIN item i ON i.id = s.id AND i.until IS NULL AND i.op <> 'R'"
                          " ORDER BY s.id",
                          e);
    if (rc)
        return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char op = (char)sqlite3_column_text(st, 0)[0];
        int has_before = sqlite3_column_type(st, 6) != SQLITE_NULL;
        inv_change c = {0};
        c.id = (const char *)sqlite3_column_text(st, 2);
        c.reason = (const char *)sqlite3_column_text(st, 1);
        if (has_before && (rc = inv__item_from_row(&before, st, 6, 0, e)))
            break;
        if (op != 'R' && (rc = inv__item_from_row(&after, st, 2, 0, e)))
            break;
        c.op = op == 'A' ? INV_OP_ADD : op == 'E' ? INV_OP_EDIT : INV_OP_REMOVE;
        c.before = has_before ? &before : NULL;
        c.after = op != 'R' ? &after : NULL;
        if (op == 'E' && has_before && inv_item_equal(&before, &after))
            continue;
        if ((rc = fn(ctx, &c)))
            break;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read stage");
    sqlite3_finalize(st);
    inv_item_free(&before);
    inv_item_free(&after);
    return rc;
}

int inv_stage_count(inv_register *r, int64_t *count, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "SELECT count(*) FROM stage", e);
    if (rc)
        return rc;
    *count = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    sqlite3_finalize(st);
    return INV_OK;
}
