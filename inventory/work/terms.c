/*
 * terms.c - staging the functional scope: services, exclusions,
 * service-level classes, kind defaults (table stage_term) and an item's
 * own coverage (the svc, sla and own columns of its stage row).
 */
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

/* The type order of the document, for ORDER BY. */
#define TYPE_ORDER                                                                          \
    "CASE type WHEN 'service' THEN 0 WHEN 'exclusion' THEN 1 WHEN 'class' THEN 2 ELSE 3 END"

static int no_cov(inv_err *e)
{
    return inv_fail(e, INV_EIO, "this register has no coverage tables yet");
}

/* Fills out (when given) from columns id, body of st at col. */
static int term_from(inv_term *out, int type, sqlite3_stmt *st, int col, inv_err *e)
{
    if (!out)
        return INV_OK;
    return inv_term_decode(out, type, (const char *)sqlite3_column_text(st, col),
                           sqlite3_column_blob(st, col + 1),
                           (size_t)sqlite3_column_bytes(st, col + 1), e);
}

/* Committed (latest) state of (type, id): INV_OK, INV_FAIL when absent. */
static int committed(inv_register *r, int type, const char *id, inv_term *out, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    if (!inv__has_cov(r))
        return INV_FAIL;
    int rc = inv__prepare(r, &st,
                          "SELECT id, body FROM term WHERE type = ?1 AND id = ?2"
                          " AND until IS NULL AND op <> 'R'",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, inv_term_words[type], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    rc = s == SQLITE_ROW    ? term_from(out, type, st, 0, e)
         : s == SQLITE_DONE ? INV_FAIL
                            : inv__sqlerr(r, e, "read terms");
    sqlite3_finalize(st);
    return rc;
}

/* Staged op of (type, id) or 0; out filled for A and E when given. */
static int staged(inv_register *r, int type, const char *id, char *op, inv_term *out,
                  inv_err *e)
{
    sqlite3_stmt *st = NULL;
    *op = 0;
    if (!inv__has_cov(r))
        return INV_OK;
    int rc = inv__prepare(r, &st, "SELECT op, id, body FROM stage_term WHERE type = ?1 AND id = ?2",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, inv_term_words[type], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        *op = (char)sqlite3_column_text(st, 0)[0];
        if (*op != 'R')
            rc = term_from(out, type, st, 1, e);
    } else if (s != SQLITE_DONE) {
        rc = inv__sqlerr(r, e, "read stage");
    }
    sqlite3_finalize(st);
    return rc;
}

int inv_term_current(inv_register *r, int type, const char *id, inv_term *out, int *is_staged,
                     inv_err *e)
{
    char op;
    int rc = staged(r, type, id, &op, out, e);
    if (rc)
        return rc;
    if (is_staged)
        *is_staged = op != 0;
    if (op == 'R')
        return INV_FAIL;
    return op ? INV_OK : committed(r, type, id, out, e);
}

static int put(inv_register *r, char op, int type, const char *id, const inv_term *t,
               const char *reason, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_buf body = {0};
    if (!inv__has_cov(r))
        return no_cov(e);
    int rc = inv__prepare(r, &st,
                          "INSERT OR REPLACE INTO stage_term(type, id, op, body, reason)"
                          " VALUES (?1, ?2, ?3, ?4, ?5)",
                          e);
    if (rc)
        return rc;
    char ops[2] = {op, 0};
    sqlite3_bind_text(st, 1, inv_term_words[type], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, ops, -1, SQLITE_STATIC);
    if (t) {
        if (inv_term_encode(t, &body)) {
            sqlite3_finalize(st);
            return inv_fail(e, INV_EIO, "out of memory");
        }
        sqlite3_bind_blob(st, 4, body.data, (int)body.len, SQLITE_STATIC);
    }
    if (reason)
        sqlite3_bind_text(st, 5, reason, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "stage");
    sqlite3_finalize(st);
    inv_buf_free(&body);
    return rc;
}

static int del(inv_register *r, int type, const char *id, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "DELETE FROM stage_term WHERE type = ?1 AND id = ?2", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, inv_term_words[type], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "unstage");
    sqlite3_finalize(st);
    return rc;
}

/* INV_EINPUT naming what (the option) unless service/class id exists in
 * the next version. */
static int must_exist(inv_register *r, int type, const char *id, const char *what, inv_err *e)
{
    int rc = inv_term_current(r, type, id, NULL, NULL, e);
    if (rc == INV_FAIL)
        return inv_fail(e, INV_EINPUT,
                        "%s: no %s '%s' is defined; add it first with 'scopereg %s add %s'",
                        what, type == INV_TERM_SERVICE ? "service" : "class", id,
                        type == INV_TERM_SERVICE ? "service" : "sla", id);
    return rc;
}

typedef struct exist_ctx {
    inv_register *r;
    const char *what;
    inv_err *e;
} exist_ctx;

static int exist_one(void *ctx, const char *id, size_t n)
{
    exist_ctx *x = ctx;
    char buf[40];
    snprintf(buf, sizeof buf, "%.*s", (int)n, id);
    return must_exist(x->r, INV_TERM_SERVICE, buf, x->what, x->e);
}

/* Every service of the canonical list exists, and the class (unless
 * "none" or NULL). */
static int refs_exist(inv_register *r, const char *svc, const char *sla, const char *what_svc,
                      const char *what_sla, inv_err *e)
{
    exist_ctx x = {r, what_svc, e};
    int rc = svc ? inv_service_list_walk(svc, exist_one, &x) : 0;
    if (!rc && sla && strcmp(sla, INV_COV_NONE))
        rc = must_exist(r, INV_TERM_CLASS, sla, what_sla, e);
    return rc;
}

/* What staging checks of a term's own fields. */
static int term_check(const inv_term *t, inv_err *e)
{
    int rc = t->type == INV_TERM_SERVICE ? inv_cov_id_check("service", t->id, e)
             : t->type == INV_TERM_CLASS ? inv_cov_id_check("class", t->id, e)
                                         : INV_OK;
    if (rc)
        return rc;
    if (t->type == INV_TERM_EXCLUSION) {
        if (!t->id || !*t->id || strchr(t->id, '\n') || strchr(t->id, '\t'))
            return inv_fail(e, INV_EINPUT, "an exclusion is one line of text, not empty");
        if ((rc = inv_value_check("exclusion", t->id, e)))
            return rc;
        /* blanks at either end are invisible in the document: refused */
        size_t n = strlen(t->id), a = strspn(t->id, " "), z = n;
        while (z > a && t->id[z - 1] == ' ')
            z--;
        if (a || z < n)
            return z > a ? inv_fail(e, INV_EINPUT, "exclusion '%s' begins or ends with a space; "
                                    "write '%.*s'", t->id, (int)(z - a), t->id + a)
                         : inv_fail(e, INV_EINPUT, "an exclusion is one line of text, not empty");
    }
    if ((t->type == INV_TERM_SERVICE || t->type == INV_TERM_CLASS)) {
        const char *name = inv_term_get(t, "name");
        if (!name || !*name)
            return inv_fail(e, INV_EINPUT, "%s '%s' needs a name (--name TEXT)",
                            inv_term_words[t->type], t->id);
    }
    for (size_t i = 0; i < t->nf; i++)
        if ((rc = inv_value_check(t->f[i].key, t->f[i].value, e)))
            return rc;
    return INV_OK;
}

#define IN_TX(r, e, body)                                                                    \
    do {                                                                                     \
        int rc_ = inv__tx_begin(r, e);                                                       \
        if (rc_)                                                                             \
            return rc_;                                                                      \
        rc_ = (body);                                                                        \
        int rc2_ = inv__tx_end(r, rc_ == INV_OK, e);                                         \
        return rc_ ? rc_ : rc2_;                                                             \
    } while (0)

static int default_refs(inv_register *r, const inv_term *t, inv_err *e)
{
    if (t->type != INV_TERM_DEFAULT)
        return INV_OK;
    return refs_exist(r, inv_term_get(t, "services"), inv_term_get(t, "sla"), "--service",
                      "--sla", e);
}

/* An exclusion of the next version (committed and not staged for
 * removal, or staged) that differs from text only in the case of its
 * ASCII letters: INV_EINPUT naming it, INV_OK when none does. */
static int exclusion_case_twin(inv_register *r, const char *text, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT id FROM term t WHERE type = 'exclusion' AND until IS NULL"
                          " AND op <> 'R' AND lower(id) = lower(?1) AND id <> ?1"
                          " AND NOT EXISTS (SELECT 1 FROM stage_term s WHERE s.type = t.type"
                          " AND s.id = t.id AND s.op = 'R')"
                          " UNION ALL SELECT id FROM stage_term WHERE type = 'exclusion'"
                          " AND op = 'A' AND lower(id) = lower(?1) AND id <> ?1 LIMIT 1",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        rc = inv_fail(e, INV_EINPUT, "exclusion '%s' already exists as '%s' (exclusions that "
                      "differ only in case are one); remove '%s' first to change its case",
                      text, (const char *)sqlite3_column_text(st, 0),
                      (const char *)sqlite3_column_text(st, 0));
    else if (s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read terms");
    sqlite3_finalize(st);
    return rc;
}

static int do_add(inv_register *r, const inv_term *t, inv_err *e)
{
    char op;
    int rc = staged(r, t->type, t->id, &op, NULL, e);
    if (rc)
        return rc;
    if (t->type == INV_TERM_EXCLUSION && inv__has_cov(r) &&
        (rc = exclusion_case_twin(r, t->id, e)))
        return rc;
    if (op == 'R')
        return inv_fail(e, INV_EINPUT, "%s '%s' is staged for removal; run 'scopereg reset' "
                        "first", inv_term_words[t->type], t->id);
    if (op || (rc = committed(r, t->type, t->id, NULL, e)) == INV_OK)
        return t->type == INV_TERM_EXCLUSION
                   ? inv_fail(e, INV_EINPUT, "exclusion '%s' already exists", t->id)
                   : inv_fail(e, INV_EINPUT, "%s '%s' already exists (use '%s edit' to change "
                              "it)", inv_term_words[t->type], t->id,
                              t->type == INV_TERM_CLASS ? "sla" : inv_term_words[t->type]);
    if (rc != INV_FAIL)
        return rc;
    if ((rc = default_refs(r, t, e)))
        return rc;
    return put(r, 'A', t->type, t->id, t, NULL, e);
}

int inv_stage_term_add(inv_register *r, const inv_term *t, inv_err *e)
{
    int rc = term_check(t, e);
    if (rc)
        return rc;
    IN_TX(r, e, do_add(r, t, e));
}

static int do_edit(inv_register *r, const inv_term *t, inv_err *e)
{
    char op;
    inv_term cur;
    inv_term_init(&cur);
    int rc = staged(r, t->type, t->id, &op, NULL, e);
    if (rc)
        return rc;
    if (op == 'R')
        return inv_fail(e, INV_EINPUT, "%s '%s' is staged for removal; run 'scopereg reset' "
                        "first", inv_term_words[t->type], t->id);
    if ((rc = default_refs(r, t, e)))
        return rc;
    if (op == 'A')
        return put(r, 'A', t->type, t->id, t, NULL, e);
    rc = committed(r, t->type, t->id, &cur, e);
    if (rc == INV_FAIL)
        rc = inv_fail(e, INV_EINPUT, "no %s '%s' is defined", inv_term_words[t->type], t->id);
    else if (!rc)
        rc = inv_term_equal(&cur, t) ? (op ? del(r, t->type, t->id, e) : INV_OK)
                                     : put(r, 'E', t->type, t->id, t, NULL, e);
    inv_term_free(&cur);
    return rc;
}

int inv_stage_term_edit(inv_register *r, const inv_term *t, inv_err *e)
{
    int rc = term_check(t, e);
    if (rc)
        return rc;
    IN_TX(r, e, do_edit(r, t, e));
}

/* The items (first five, and how many) and kind defaults that use
 * service or class id in the next version; INV_EINPUT naming them, INV_OK
 * when none does. */
static int in_use(inv_register *r, int type, const char *id, inv_err *e)
{
    if (type != INV_TERM_SERVICE && type != INV_TERM_CLASS)
        return INV_OK;
    const char *use = type == INV_TERM_SERVICE
                          ? "instr(', ' || x.svc || ', ', ', ' || ?1 || ', ') > 0"
                          : "x.sla = ?1";
    char sql[1024];
    /* committed items the stage leaves alone, then staged additions and
     * changes (their coverage as staged, else as committed) */
    snprintf(sql, sizeof sql,
             "SELECT x.id FROM (SELECT i.id, i.svc, i.sla FROM item i WHERE i.until IS NULL"
             " AND i.op <> 'R' AND NOT EXISTS (SELECT 1 FROM stage s WHERE s.id = i.id)"
             " UNION ALL SELECT s.id, iif(s.own IS NULL, i.svc, s.svc),"
             " iif(s.own IS NULL, i.sla, s.sla) FROM stage s LEFT JOIN item i ON i.id = s.id"
             " AND i.until IS NULL AND i.op <> 'R' WHERE s.op <> 'R') x WHERE %s ORDER BY x.id",
             use);
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, sql, e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    inv_buf names = {0};
    int64_t count = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW)
        if (count++ < 5)
            inv_buf_printf(&names, "%s'%s'", count > 1 ? ", " : "", sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    if (s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read items");
    else if (count)
        rc = count == 1 ? inv_fail(e, INV_EINPUT,
                                   "cannot remove %s '%s': item %s uses it; change its "
                                   "coverage first (edit ID --%s ...)",
                                   inv_term_words[type], id, names.data,
                                   type == INV_TERM_SERVICE ? "service" : "sla")
                        : inv_fail(e, INV_EINPUT,
                                   "cannot remove %s '%s': %lld items use it (%s%s); change "
                                   "their coverage first (edit ID --%s ...)",
                                   inv_term_words[type], id, (long long)count, names.data,
                                   count > 5 ? ", ..." : "",
                                   type == INV_TERM_SERVICE ? "service" : "sla");
    inv_buf_free(&names);
    if (rc)
        return rc;
    /* kind defaults */
    const inv_kind *k;
    for (size_t i = 0; (k = inv_kind_at(i)) != NULL; i++) {
        inv_term d;
        inv_term_init(&d);
        rc = inv_term_current(r, INV_TERM_DEFAULT, k->kind, &d, NULL, e);
        if (rc == INV_FAIL) {
            rc = INV_OK;
            continue;
        }
        int used = !rc && (type == INV_TERM_SERVICE
                               ? inv_cov_has(inv_term_get(&d, "services"), id)
                               : !strcmp(inv_term_get(&d, "sla") ? inv_term_get(&d, "sla") : "",
                                         id));
        inv_term_free(&d);
        if (rc)
            return rc;
        if (used)
            return inv_fail(e, INV_EINPUT,
                            "cannot remove %s '%s': the default coverage of kind %s uses it; "
                            "change it first (coverage --kind %s ...)",
                            inv_term_words[type], id, k->kind, k->kind);
    }
    return INV_OK;
}

int inv__term_in_use(inv_register *r, int type, const char *id, inv_err *e)
{
    return in_use(r, type, id, e);
}

static int do_remove(inv_register *r, int type, const char *id, const char *reason, inv_err *e)
{
    char op;
    int rc = staged(r, type, id, &op, NULL, e);
    if (rc)
        return rc;
    if (op == 'R')
        return inv_fail(e, INV_EINPUT, "%s '%s' is already staged for removal",
                        inv_term_words[type], id);
    rc = committed(r, type, id, NULL, e);
    if (rc == INV_FAIL && !op)
        return inv_fail(e, INV_EINPUT, "no %s '%s' is defined", inv_term_words[type], id);
    if (rc && rc != INV_FAIL)
        return rc;
    if ((rc = in_use(r, type, id, e)))
        return rc;
    if (op == 'A')
        return del(r, type, id, e);
    return put(r, 'R', type, id, NULL, reason, e);
}

int inv_stage_term_remove(inv_register *r, int type, const char *id, const char *reason,
                          inv_err *e)
{
    int rc;
    if (!reason || !*reason)
        return inv_fail(e, INV_EINPUT, "a removal needs a reason (--reason TEXT)");
    if ((rc = inv_value_check("reason", reason, e)))
        return rc;
    IN_TX(r, e, do_remove(r, type, id, reason, e));
}

/* Canonical services argument into out: a list or "none"; "default" gives
 * *inherit. */
static int services_arg(const char *text, inv_buf *out, int *inherit, inv_err *e)
{
    *inherit = text && !strcmp(text, INV_COV_DEFAULT);
    if (*inherit)
        return INV_OK;
    return inv_service_list_parse(text, out, e);
}

static int sla_arg(const char *text, int *inherit, inv_err *e)
{
    *inherit = !strcmp(text, INV_COV_DEFAULT);
    if (*inherit || !strcmp(text, INV_COV_NONE))
        return INV_OK;
    return inv_cov_id_check("class", text, e);
}

/* A default the committed version does not hold: staged as an addition. */
static int do_add_or_restage(inv_register *r, const inv_term *t, char op, inv_err *e)
{
    (void)op;
    int rc = default_refs(r, t, e);
    return rc ? rc : put(r, 'A', t->type, t->id, t, NULL, e);
}

static int do_default(inv_register *r, const char *kind, const char *services, const char *sla,
                      inv_err *e)
{
    inv_term t;
    inv_buf list = {0};
    int inherit, rc;
    inv_term_init(&t);
    t.type = INV_TERM_DEFAULT;
    rc = inv_term_current(r, INV_TERM_DEFAULT, kind, &t, NULL, e);
    if (rc == INV_FAIL) {
        t.type = INV_TERM_DEFAULT;
        rc = inv_term_set(&t, "services", INV_COV_NONE, e) ||
                     inv_term_set(&t, "sla", INV_COV_NONE, e)
                 ? INV_EIO
                 : INV_OK;
    }
    if (!rc && !t.id && !(t.id = inv__strdup(kind)))
        rc = inv_fail(e, INV_EIO, "out of memory");
    if (!rc && services) {
        if (!(rc = services_arg(services, &list, &inherit, e))) {
            if (inherit)
                rc = inv_fail(e, INV_EINPUT, "--service default: a kind's default cannot "
                              "inherit; write the services, or none");
            else
                rc = inv_term_set(&t, "services", list.data, e);
        }
    }
    if (!rc && sla) {
        if (!(rc = sla_arg(sla, &inherit, e))) {
            if (inherit)
                rc = inv_fail(e, INV_EINPUT, "--sla default: a kind's default cannot "
                              "inherit; write the class, or none");
            else
                rc = inv_term_set(&t, "sla", sla, e);
        }
    }
    if (!rc) {
        char op;
        if (!(rc = staged(r, INV_TERM_DEFAULT, kind, &op, NULL, e)))
            rc = op == 'A' || committed(r, INV_TERM_DEFAULT, kind, NULL, e) == INV_FAIL
                     ? do_add_or_restage(r, &t, op, e)
                     : do_edit(r, &t, e);
    }
    inv_term_free(&t);
    inv_buf_free(&list);
    return rc;
}

int inv_stage_kind_default(inv_register *r, const char *kind, const char *services,
                           const char *sla, inv_err *e)
{
    const char *k = kind ? inv_kind_canonical(kind) : NULL;
    if (!k)
        return inv_fail(e, INV_EINPUT, "--kind: '%s' is not a kind; %s", kind ? kind : "",
                        inv_kind_help());
    IN_TX(r, e, do_default(r, k, services, sla, e));
}

/* ---- an item's own coverage ---- */

static int exec_id(inv_register *r, const char *sql, const char *id, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, sql, e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "stage");
    sqlite3_finalize(st);
    return rc;
}

static int do_coverage(inv_register *r, const char *id, const char *svc, int svc_inherit,
                       const char *sla, int sla_inherit, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "SELECT op, own IS NULL FROM stage WHERE id = ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    char op = s == SQLITE_ROW ? (char)sqlite3_column_text(st, 0)[0] : 0;
    int own_null = s == SQLITE_ROW && sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    if (s != SQLITE_ROW && s != SQLITE_DONE)
        return inv__sqlerr(r, e, "read stage");
    if (op == 'R')
        return inv_fail(e, INV_EINPUT,
                        "item '%s' is staged for removal; run 'scopereg reset %s' first", id, id);
    if (!op) {
        /* a change of the committed item, its other fields as they are */
        if ((rc = exec_id(r,
                          "INSERT INTO stage(id, op, kind, name, attrs, svc, sla, own)"
                          " SELECT id, 'E', kind, name, attrs, svc, sla, coalesce(own, 0)"
                          " FROM item WHERE id = ?1 AND until IS NULL AND op <> 'R'",
                          id, e)))
            return rc;
        if (!sqlite3_changes(r->db))
            return inv_fail(e, INV_EINPUT, "no item '%s' in scope or staged", id);
    } else if (own_null &&
               (rc = exec_id(r,
                             "UPDATE stage SET own = coalesce((SELECT coalesce(i.own, 0)"
                             " FROM item i WHERE i.id = stage.id AND i.until IS NULL"
                             " AND i.op <> 'R'), 0),"
                             " svc = (SELECT i.svc FROM item i WHERE i.id = stage.id"
                             " AND i.until IS NULL AND i.op <> 'R'),"
                             " sla = (SELECT i.sla FROM item i WHERE i.id = stage.id"
                             " AND i.until IS NULL AND i.op <> 'R') WHERE id = ?1",
                             id, e))) {
        return rc;
    }
    if ((rc = inv__prepare(r, &st,
                           "UPDATE stage SET"
                           " own = (own & ~?2 | ?3),"
                           " svc = CASE WHEN ?4 THEN ?5 WHEN ?6 THEN NULL ELSE svc END,"
                           " sla = CASE WHEN ?7 THEN ?8 WHEN ?9 THEN NULL ELSE sla END"
                           " WHERE id = ?1",
                           e)))
        return rc;
    int clear = (svc_inherit ? INV_OWN_SERVICES : 0) | (sla_inherit ? INV_OWN_SLA : 0);
    int set = (svc ? INV_OWN_SERVICES : 0) | (sla ? INV_OWN_SLA : 0);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 2, clear | set);
    sqlite3_bind_int(st, 3, set);
    sqlite3_bind_int(st, 4, svc != NULL);
    if (svc)
        sqlite3_bind_text(st, 5, svc, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 6, svc_inherit);
    sqlite3_bind_int(st, 7, sla != NULL);
    if (sla)
        sqlite3_bind_text(st, 8, sla, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, sla_inherit);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "stage");
    sqlite3_finalize(st);
    return rc;
}

static int coverage_tx(inv_register *r, const char *id, const char *svc, int svc_inherit,
                       const char *sla, int sla_inherit, inv_err *e)
{
    int rc = refs_exist(r, svc, sla, "--service", "--sla", e);
    if (rc) {
        /* name the item too */
        char msg[sizeof e->msg];
        snprintf(msg, sizeof msg, "%s", e->msg);
        return inv_fail(e, rc, "item '%s': %s", id, msg);
    }
    return do_coverage(r, id, svc, svc_inherit, sla, sla_inherit, e);
}

int inv_stage_coverage(inv_register *r, const char *id, const char *services, const char *sla,
                       inv_err *e)
{
    inv_buf list = {0};
    int svc_inherit = 0, sla_inherit = 0, rc = INV_OK;
    if ((services && (rc = services_arg(services, &list, &svc_inherit, e))) ||
        (sla && (rc = sla_arg(sla, &sla_inherit, e)))) {
        char msg[sizeof e->msg]; /* name the item */
        snprintf(msg, sizeof msg, "%s", e->msg);
        if (rc == INV_EINPUT)
            inv_fail(e, rc, "item '%s': %s", id, msg);
        goto out;
    }
    if (!services && !sla)
        goto out;
    {
        const char *s = services && !svc_inherit ? list.data : NULL;
        const char *c = sla && !sla_inherit ? sla : NULL;
        rc = inv__tx_begin(r, e);
        if (!rc) {
            rc = coverage_tx(r, id, s, svc_inherit, c, sla_inherit, e);
            int rc2 = inv__tx_end(r, rc == INV_OK, e);
            rc = rc ? rc : rc2;
        }
    }
out:
    inv_buf_free(&list);
    return rc;
}

/* ---- walking staged changes and terms ---- */

int inv_stage_term_walk(inv_register *r, inv_term_change_fn fn, void *ctx, inv_err *e)
{
    if (!inv__has_cov(r))
        return INV_OK;
    sqlite3_stmt *st = NULL;
    inv_term a, b;
    inv_term_init(&a);
    inv_term_init(&b);
    int rc = inv__prepare(r, &st,
                          "SELECT s.type, s.op, s.reason, s.id, s.body, t.id, t.body"
                          " FROM stage_term s LEFT JOIN term t ON t.type = s.type"
                          " AND t.id = s.id AND t.until IS NULL AND t.op <> 'R'"
                          " ORDER BY CASE s.type WHEN 'service' THEN 0 WHEN 'exclusion'"
                          " THEN 1 WHEN 'class' THEN 2 ELSE 3 END, s.id",
                          e);
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *word = (const char *)sqlite3_column_text(st, 0);
        int type = inv_term_type_of(word, strlen(word));
        char op = (char)sqlite3_column_text(st, 1)[0];
        int has_before = sqlite3_column_type(st, 5) != SQLITE_NULL;
        if (type < 0)
            continue;
        if ((has_before && (rc = term_from(&a, type, st, 5, e))) ||
            (op != 'R' && (rc = term_from(&b, type, st, 3, e))))
            break;
        inv_term_change c = {op, has_before ? &a : NULL, op != 'R' ? &b : NULL,
                             (const char *)sqlite3_column_text(st, 2), NULL, NULL, NULL,
                             NULL, NULL};
        if (op == 'R' && !has_before)
            continue;
        rc = fn(ctx, &c);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read stage");
    sqlite3_finalize(st);
    st = NULL;
    inv_term_free(&a);
    inv_term_free(&b);
    if (rc)
        return rc;
    /* items whose own coverage a staged change sets */
    if ((rc = inv__prepare(r, &st,
                           "SELECT s.id, coalesce(i.svc, 'none'), coalesce(i.sla, 'none'),"
                           " coalesce(i.own, 0), s.svc, s.sla, s.own"
                           " FROM stage s LEFT JOIN item i ON i.id = s.id AND i.until IS NULL"
                           " AND i.op <> 'R' WHERE s.op <> 'R' AND s.own IS NOT NULL"
                           " ORDER BY s.id",
                           e)))
        return rc;
    inv_buf v[4] = {{0}};
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        int old_own = sqlite3_column_int(st, 3), own = sqlite3_column_int(st, 6);
        const char *os = (const char *)sqlite3_column_text(st, 1);
        const char *oc = (const char *)sqlite3_column_text(st, 2);
        const char *ns = (const char *)sqlite3_column_text(st, 4);
        const char *nc = (const char *)sqlite3_column_text(st, 5);
        int sv = own & INV_OWN_SERVICES, sl = own & INV_OWN_SLA;
        if ((!!sv == !!(old_own & INV_OWN_SERVICES) && (!sv || !strcmp(os, ns ? ns : ""))) &&
            (!!sl == !!(old_own & INV_OWN_SLA) && (!sl || !strcmp(oc, nc ? nc : ""))))
            continue; /* the same own coverage as committed */
        inv_cov_value(&v[0], os, old_own & INV_OWN_SERVICES);
        inv_cov_value(&v[1], sv ? ns : "...", sv);
        inv_cov_value(&v[2], oc, old_own & INV_OWN_SLA);
        inv_cov_value(&v[3], sl ? nc : "...", sl);
        inv_term_change c = {'E', NULL, NULL, NULL, (const char *)sqlite3_column_text(st, 0),
                             v[0].data, v[1].data, v[2].data, v[3].data};
        rc = fn(ctx, &c);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read stage");
    sqlite3_finalize(st);
    for (int i = 0; i < 4; i++)
        inv_buf_free(&v[i]);
    return rc;
}

int inv_terms(inv_register *r, int64_t n, inv_term_fn fn, void *ctx, inv_err *e)
{
    if (!inv__has_cov(r))
        return INV_OK;
    sqlite3_stmt *st = NULL;
    inv_term t;
    inv_term_init(&t);
    int rc = inv__prepare_n(r, &st,
                            "SELECT type, id, body FROM term WHERE since <= ?1"
                            " AND (until IS NULL OR until > ?1) ORDER BY " TYPE_ORDER ", id",
                            n, e);
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *word = (const char *)sqlite3_column_text(st, 0);
        int type = inv_term_type_of(word, strlen(word));
        if (type < 0)
            continue;
        if (!(rc = term_from(&t, type, st, 1, e)))
            rc = fn(ctx, &t);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read terms");
    sqlite3_finalize(st);
    inv_term_free(&t);
    return rc;
}
