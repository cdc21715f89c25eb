/*
 * termcommit.c - the functional scope at commit: the staged services,
 * exclusions, classes and kind defaults written as term rows of the new
 * version, and every item's effective coverage materialized in its stage
 * row (its own, else its kind's default), so that a default's change
 * writes a modification of each item whose coverage it changes.
 */
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

static int exec_n(inv_register *r, const char *sql, int64_t n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare_n(r, &st, sql, n, e);
    if (!rc)
        rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "commit");
    sqlite3_finalize(st);
    return rc;
}

/* Whether term (type, id) is in scope at version n. */
static int term_at(inv_register *r, int64_t n, const char *type, const char *id, size_t len,
                   int *yes, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare_n(r, &st,
                            "SELECT 1 FROM term WHERE type = ?2 AND id = ?3 AND since <= ?1"
                            " AND (until IS NULL OR until > ?1) AND op <> 'R'",
                            n, e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, id, (int)len, SQLITE_STATIC);
    int s = sqlite3_step(st);
    *yes = s == SQLITE_ROW;
    rc = s == SQLITE_ROW || s == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "read terms");
    sqlite3_finalize(st);
    return rc;
}

typedef struct refs {
    inv_register *r;
    int64_t n;
    const char *whose; /* "item 'ID'" or "the default of kind K" */
    inv_err *e;
} refs;

static int service_at(void *ctx, const char *id, size_t len)
{
    refs *x = ctx;
    int yes, rc = term_at(x->r, x->n, "service", id, len, &yes, x->e);
    if (!rc && !yes)
        rc = inv_fail(x->e, INV_EINPUT,
                      "refusing to commit: %s uses service '%.*s', which version %lld does "
                      "not define; add the service or change that coverage",
                      x->whose, (int)len, id, (long long)x->n);
    return rc;
}

/* Every service of svc and the class sla are defined at n. */
static int refs_at(inv_register *r, int64_t n, const char *whose, const char *svc,
                   const char *sla, inv_err *e)
{
    refs x = {r, n, whose, e};
    int rc = inv_service_list_walk(svc, service_at, &x), yes;
    if (!rc && sla && strcmp(sla, INV_COV_NONE) &&
        !(rc = term_at(r, n, "class", sla, strlen(sla), &yes, e)) && !yes)
        rc = inv_fail(e, INV_EINPUT,
                      "refusing to commit: %s uses class '%s', which version %lld does not "
                      "define; add the class or change that coverage",
                      whose, sla, (long long)n);
    return rc;
}

/* Checks every staged term row again (the stage is a table anyone can
 * write): type, a canonical body, a reason for a removal, an addition of
 * a new id, a change or removal of one in scope, a removed service or
 * class no longer in use. */
static int recheck(inv_register *r, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_term t;
    inv_term_init(&t);
    int rc = inv__prepare(r, &st,
                          "SELECT s.type, s.id, s.op, s.body, s.reason, t.id IS NOT NULL"
                          " FROM stage_term s LEFT JOIN term t ON t.type = s.type"
                          " AND t.id = s.id AND t.until IS NULL AND t.op <> 'R'"
                          " ORDER BY s.type, s.id",
                          e);
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *word = (const char *)sqlite3_column_text(st, 0);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        const char *op = (const char *)sqlite3_column_text(st, 2);
        const char *reason = (const char *)sqlite3_column_text(st, 4);
        int type = word ? inv_term_type_of(word, strlen(word)) : -1;
        int exists = sqlite3_column_int(st, 5);
        char o = op ? op[0] : '?';
        inv_err sub;
        if (type < 0 || !id)
            rc = inv_fail(e, INV_EINPUT, "refusing to commit: a staged term has no known type "
                          "or id; the stage was written outside scopereg: run 'scopereg reset'");
        else if (o != 'R' &&
                 inv_term_decode(&t, type, id, sqlite3_column_blob(st, 3),
                                 (size_t)sqlite3_column_bytes(st, 3), &sub))
            rc = inv_fail(e, INV_EINPUT, "refusing to commit: the staged %s does not hold: %s; "
                          "run 'scopereg reset' and stage it again", word, sub.msg);
        else if (o == 'R' && (!reason || !*reason || inv_value_check("reason", reason, &sub)))
            rc = inv_fail(e, INV_EINPUT, "refusing to commit: the staged removal of %s '%s' "
                          "has no valid reason; run 'scopereg reset' and stage it again",
                          word, id);
        else if ((o == 'A') == exists)
            rc = inv_fail(e, INV_EINPUT, "refusing to commit: staged %s of %s '%s' no longer "
                          "applies; run 'scopereg reset'",
                          o == 'A' ? "addition" : "change", word, id);
        else if (o == 'R' && (rc = inv__term_in_use(r, type, id, &sub)))
            rc = inv_fail(e, rc, "refusing to commit: %s", sub.msg);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read stage");
    sqlite3_finalize(st);
    inv_term_free(&t);
    return rc;
}

/* Loads the kind defaults of version n into temp.cov_default, checking
 * that they name services and classes defined at n. */
static int load_defaults(inv_register *r, int64_t n, inv_err *e)
{
    int rc = inv__exec(r,
                       "CREATE TEMP TABLE IF NOT EXISTS cov_default(kind TEXT PRIMARY KEY,"
                       " svc TEXT NOT NULL, sla TEXT NOT NULL);"
                       "DELETE FROM temp.cov_default",
                       e);
    sqlite3_stmt *st = NULL, *ins = NULL;
    inv_term t;
    inv_term_init(&t);
    if (rc || (rc = inv__prepare_n(r, &st,
                                   "SELECT id, body FROM term WHERE type = 'default'"
                                   " AND since <= ?1 AND (until IS NULL OR until > ?1)"
                                   " AND op <> 'R' ORDER BY id",
                                   n, e)) ||
        (rc = inv__prepare(r, &ins, "INSERT INTO temp.cov_default VALUES (?1, ?2, ?3)", e)))
        goto out;
    int s;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        char whose[96];
        if ((rc = inv_term_decode(&t, INV_TERM_DEFAULT, (const char *)sqlite3_column_text(st, 0),
                                  sqlite3_column_blob(st, 1),
                                  (size_t)sqlite3_column_bytes(st, 1), e)))
            break;
        snprintf(whose, sizeof whose, "the default of kind %s", t.id);
        if ((rc = refs_at(r, n, whose, inv_term_get(&t, "services"), inv_term_get(&t, "sla"),
                          e)))
            break;
        sqlite3_reset(ins);
        sqlite3_bind_text(ins, 1, t.id, -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 2, inv_term_get(&t, "services"), -1, SQLITE_STATIC);
        sqlite3_bind_text(ins, 3, inv_term_get(&t, "sla"), -1, SQLITE_STATIC);
        if (sqlite3_step(ins) != SQLITE_DONE)
            rc = inv__sqlerr(r, e, "load defaults");
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read terms");
out:
    sqlite3_finalize(st);
    sqlite3_finalize(ins);
    inv_term_free(&t);
    return rc;
}

/* The staged coverage of every staged addition and change, checked: own
 * bits 0..3, a canonical list and class id wherever a bit says the item's
 * own, and services and classes defined at n, looked up once per
 * distinct coverage (a handful, whatever the number of items). */
static int check_stage_coverage(inv_register *r, int64_t n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT svc, sla, own, min(id) FROM stage WHERE op <> 'R'"
                          " AND (own IS NOT NULL OR svc IS NOT NULL OR sla IS NOT NULL)"
                          " GROUP BY svc, sla, own",
                          e);
    inv_buf canon = {0};
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *svc = (const char *)sqlite3_column_text(st, 0);
        const char *sla = (const char *)sqlite3_column_text(st, 1);
        int64_t own = sqlite3_column_int64(st, 2);
        const char *id = (const char *)sqlite3_column_text(st, 3);
        char whose[300];
        inv_err sub;
        snprintf(whose, sizeof whose, "item '%.200s'", id ? id : "");
        int bad = own < 0 || own > 3 || !svc || !sla ||
                  inv_service_list_parse(svc, &canon, &sub) || strcmp(canon.data, svc) ||
                  (strcmp(sla, INV_COV_NONE) && inv_cov_id_check("class", sla, &sub));
        if (bad)
            rc = inv_fail(e, INV_EINPUT, "refusing to commit: the staged coverage of %s does "
                          "not hold; the stage was written outside scopereg: run 'scopereg "
                          "reset' and stage it again", whose);
        else
            rc = refs_at(r, n, whose, svc, sla, e);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read stage");
    sqlite3_finalize(st);
    inv_buf_free(&canon);
    return rc;
}

int inv__terms_commit(inv_register *r, int64_t n, int64_t *nterms, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc;
    *nterms = 0;
    if (!inv__has_cov(r))
        return INV_OK;
    /* drop changes that change nothing, then check what is left */
    if ((rc = inv__exec(r,
                        "DELETE FROM stage_term WHERE op = 'E' AND EXISTS (SELECT 1 FROM term t"
                        " WHERE t.type = stage_term.type AND t.id = stage_term.id"
                        " AND t.until IS NULL AND t.op <> 'R' AND t.body = stage_term.body)",
                        e)) ||
        (rc = recheck(r, e)))
        return rc;
    if ((rc = inv__prepare_n(r, &st,
                             "SELECT (SELECT count(*) FROM stage_term),"
                             " (SELECT count(*) FROM term WHERE since >= ?1)",
                             n, e)))
        return rc;
    int64_t strays = 0;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *nterms = sqlite3_column_int64(st, 0);
        strays = sqlite3_column_int64(st, 1);
    } else {
        rc = inv__sqlerr(r, e, "count");
    }
    sqlite3_finalize(st);
    if (rc)
        return rc;
    if (strays)
        return inv_fail(e, INV_FAIL, "refusing to commit: a term row already names version "
                        "%lld, which is not committed yet; the register was changed outside "
                        "scopereg (run 'scopereg verify')", (long long)n);
    /* the term rows of version n: removals, ends, new rows */
    if (*nterms &&
        ((rc = exec_n(r,
                      "INSERT INTO term(type, id, since, until, op, body, reason, digest)"
                      " SELECT t.type, t.id, ?1, ?1, 'R', t.body, s.reason,"
                      " scopereg_term_digest(t.type, t.id, ?1, 'R', t.body, s.reason)"
                      " FROM stage_term s JOIN term t ON t.type = s.type AND t.id = s.id"
                      " AND t.until IS NULL AND t.op <> 'R' WHERE s.op = 'R'",
                      n, e)) ||
         (rc = exec_n(r,
                      "UPDATE term SET until = ?1 WHERE until IS NULL AND op <> 'R'"
                      " AND EXISTS (SELECT 1 FROM stage_term s WHERE s.type = term.type"
                      " AND s.id = term.id AND s.op IN ('E', 'R'))",
                      n, e)) ||
         (rc = exec_n(r,
                      "INSERT INTO term(type, id, since, until, op, body, reason, digest)"
                      " SELECT type, id, ?1, NULL, iif(op = 'A', 'A', 'M'), body, NULL,"
                      " scopereg_term_digest(type, id, ?1, iif(op = 'A', 'A', 'M'), body, NULL)"
                      " FROM stage_term WHERE op IN ('A', 'E') ORDER BY type, id",
                      n, e))))
        return rc;
    if ((rc = load_defaults(r, n, e)))
        return rc;
    /* a default changed: every item of that kind in scope, not staged,
     * that takes some of its coverage from the default is staged as a
     * change, which the no-op test of commit drops when its effective
     * coverage stays the same */
    int64_t ndefaults = 0;
    if (*nterms && (rc = inv__prepare(r, &st, "SELECT count(*) FROM stage_term"
                                              " WHERE type = 'default'", e)) == INV_OK) {
        ndefaults = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_finalize(st);
        st = NULL;
    }
    if (rc)
        return rc;
    if (ndefaults &&
        (rc = inv__exec(r,
                        "INSERT INTO stage(id, op, kind, name, attrs, svc, sla, own)"
                        " SELECT i.id, 'E', i.kind, i.name, i.attrs, i.svc, i.sla,"
                        " coalesce(i.own, 0) FROM item i"
                        " WHERE i.until IS NULL AND i.op <> 'R' AND coalesce(i.own, 0) <> 3"
                        " AND i.kind IN (SELECT id FROM stage_term WHERE type = 'default')"
                        " AND NOT EXISTS (SELECT 1 FROM stage s WHERE s.id = i.id)",
                        e)))
        return rc;
    if (
        /* staged changes whose coverage was not staged keep the committed
         * one (NULL columns, in the stage as in item rows, mean none,
         * inherited: a staged addition without coverage needs no write) */
        (rc = inv__exec(r,
                        "UPDATE stage SET own = (SELECT coalesce(i.own, 0) FROM item i"
                        " WHERE i.id = stage.id AND i.until IS NULL AND i.op <> 'R'),"
                        " svc = (SELECT i.svc FROM item i WHERE i.id = stage.id"
                        " AND i.until IS NULL AND i.op <> 'R'),"
                        " sla = (SELECT i.sla FROM item i WHERE i.id = stage.id"
                        " AND i.until IS NULL AND i.op <> 'R')"
                        " WHERE op = 'E' AND own IS NULL AND EXISTS (SELECT 1 FROM item i"
                        " WHERE i.id = stage.id AND i.until IS NULL AND i.op <> 'R'"
                        " AND i.own IS NOT NULL)",
                        e)) ||
        /* the effective coverage: the item's own, else its kind's default;
         * rows of kinds without a default and no own coverage are left as
         * they are (none, inherited) */
        (rc = inv__exec(r,
                        "UPDATE stage SET own = coalesce(own, 0),"
                        " svc = iif(coalesce(own, 0) & 1, svc, coalesce((SELECT d.svc FROM"
                        " temp.cov_default d WHERE d.kind = stage.kind), 'none')),"
                        " sla = iif(coalesce(own, 0) & 2, sla, coalesce((SELECT d.sla FROM"
                        " temp.cov_default d WHERE d.kind = stage.kind), 'none'))"
                        " WHERE op <> 'R' AND (own IS NOT NULL OR svc IS NOT NULL"
                        " OR kind IN (SELECT kind FROM temp.cov_default))",
                        e)) ||
        (rc = check_stage_coverage(r, n, e)) ||
        (rc = inv__exec(r, "DELETE FROM stage_term", e)))
        return rc;
    return INV_OK;
}
