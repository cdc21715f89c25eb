/*
 * termverify.c - verify's pass over the term rows (services, exclusions,
 * classes, kind defaults): each row's digest, and the chain of each
 * term's rows, as for items (rows.c): an addition first, a row ended at
 * version N followed by a modification that changes it or a removal of N,
 * a removal followed only by a later addition, never two rows in scope at
 * once; and no term row before the first scope-register/2 version.
 */
#include <stdint.h>
#include <string.h>

#include "work_int.h"

typedef struct prev_row {
    int have;
    inv_buf key, body; /* "type id" and the body */
    int64_t since, until;
    char op;
} prev_row;

/* Whether the type column of the current term row is one of the four
 * words, as text (read after inv__row_typed took the classes). */
static int term_word(sqlite3_stmt *st)
{
    static const char *const types[] = {"service", "exclusion", "class", "default"};
    const char *type = (const char *)sqlite3_column_text(st, 0);
    for (size_t i = 0; type && i < sizeof types / sizeof *types; i++)
        if (!strcmp(type, types[i]) && (size_t)sqlite3_column_bytes(st, 0) == strlen(types[i]))
            return 1;
    return 0;
}

int inv__scan_terms(inv_register *r, int64_t latest, inv__chain_fn fault, void *ctx,
                    inv_err *e)
{
    if (!inv__has_cov(r))
        return INV_OK;
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT type, id, since, until, op, body, reason, digest,"
                          " scopereg_term_digest(type, id, since, op, body, reason)"
                          " FROM term ORDER BY type, id, since, rev",
                          e);
    if (rc)
        return rc;
    prev_row p = {0};
    inv_buf key = {0}, what = {0};
    int64_t from = inv__format2_from(r);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        /* type id since until op body reason digest */
        int typed = inv__row_typed(st, "TTIiTBtT", 4) && term_word(st);
        const char *type = (const char *)sqlite3_column_text(st, 0);
        const char *id = (const char *)sqlite3_column_text(st, 1);
        int64_t since = sqlite3_column_int64(st, 2);
        int open = sqlite3_column_type(st, 3) == SQLITE_NULL;
        int64_t until = open ? INT64_MAX : sqlite3_column_int64(st, 3);
        const char *ops = (const char *)sqlite3_column_text(st, 4);
        char op = ops ? ops[0] : '?';
        const void *body = sqlite3_column_blob(st, 5);
        size_t blen = (size_t)sqlite3_column_bytes(st, 5);
        const char *stored = (const char *)sqlite3_column_text(st, 7);
        const char *now = (const char *)sqlite3_column_text(st, 8);
        key.len = what.len = 0;
        if (inv_buf_printf(&key, "%s '%s'", type ? type : "?", id ? id : "") < 0) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        int64_t v = since >= 1 && since <= latest ? since : latest;
        if (since < 1 || since > latest || (from && since < from) || !from)
            inv_buf_printf(&what, "%s: a row names version %lld, which holds no terms",
                           key.data, (long long)since);
        else if (!typed || !stored || !now || strcmp(stored, now) ||
                 sqlite3_column_bytes(st, 7) != 32) /* as commit writes it: no NUL and more */
            inv_buf_printf(&what, "%s (row of version %lld) was altered after commit",
                           key.data, (long long)since);
        if (what.len) {
            fault(ctx, v, key.data, what.data);
            what.len = 0;
        }
        int same = p.have && p.key.len == key.len && !memcmp(p.key.data, key.data, key.len);
        if (!same) {
            if (p.have && p.op != 'R' && p.until != INT64_MAX)
                inv_buf_printf(&what, "%s: its row ends at version %lld but that version "
                               "records no change of it", p.key.data, (long long)p.until);
            if (what.len)
                fault(ctx, p.until, p.key.data, what.data);
            what.len = 0;
            if (op != 'A')
                inv_buf_printf(&what, "version %lld changes %s, which version %lld does not "
                               "hold", (long long)since, key.data, (long long)since - 1);
        } else if (p.op == 'R') {
            if (op != 'A')
                inv_buf_printf(&what, "version %lld changes %s, which version %lld removed",
                               (long long)since, key.data, (long long)p.since);
        } else if (p.until != since) {
            inv_buf_printf(&what, "%s: its rows of versions %lld and %lld do not follow "
                           "each other", key.data, (long long)p.since, (long long)since);
        } else if (op == 'A') {
            inv_buf_printf(&what, "version %lld adds %s but version %lld holds it",
                           (long long)since, key.data, (long long)since - 1);
        } else if (op == 'M' && p.body.len == blen && (!blen || !memcmp(p.body.data, body, blen))) {
            inv_buf_printf(&what, "version %lld modifies %s without changing it",
                           (long long)since, key.data);
        }
        if (!what.len && ((op == 'R' && until != since) || (op != 'R' && until <= since)))
            inv_buf_printf(&what, "%s: its row of version %lld ends where its kind of change "
                           "cannot", key.data, (long long)since);
        if (what.len)
            fault(ctx, v, key.data, what.data);
        p.key.len = p.body.len = 0;
        if (inv_buf_add(&p.key, key.data, key.len) ||
            inv_buf_add(&p.body, body ? body : "", blen)) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        p.have = 1;
        p.since = since;
        p.until = until;
        p.op = op;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read terms");
    if (!rc && p.have && p.op != 'R' && p.until != INT64_MAX) {
        what.len = 0;
        inv_buf_printf(&what, "%s: its row ends at version %lld but that version records no "
                       "change of it", p.key.data, (long long)p.until);
        fault(ctx, p.until, p.key.data, what.data);
    }
    sqlite3_finalize(st);
    inv_buf_free(&key);
    inv_buf_free(&what);
    inv_buf_free(&p.key);
    inv_buf_free(&p.body);
    return rc;
}
