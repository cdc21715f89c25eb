/*
 * coverage.c - answers about coverage: an item's effective coverage in a
 * version, and whether a list holds a service.
 */
#include <stdlib.h>
#include <string.h>

#include "answer_int.h"
#include "work_int.h"

int inv_cov_has(const char *svc, const char *service)
{
    size_t n = strlen(service);
    if (!svc || !n || !strcmp(svc, INV_COV_NONE))
        return 0;
    for (const char *p = svc; *p;) {
        const char *end = strstr(p, ", ");
        size_t l = end ? (size_t)(end - p) : strlen(p);
        if (l == n && !memcmp(p, service, n))
            return 1;
        p += l + (end ? 2 : 0);
    }
    return 0;
}

int inv__item_cov_from_row(inv_register *r, int64_t n, inv_item *it, sqlite3_stmt *st,
                           int col, inv_err *e)
{
    if (inv_format_of(r, n) != 2 || sqlite3_column_count(st) < col + 3)
        return INV_OK;
    const char *svc = (const char *)sqlite3_column_text(st, col);
    const char *sla = (const char *)sqlite3_column_text(st, col + 1);
    free(it->svc);
    free(it->sla);
    it->svc = inv__strdup(svc ? svc : INV_COV_NONE);
    it->sla = inv__strdup(sla ? sla : INV_COV_NONE);
    it->own = sqlite3_column_int(st, col + 2);
    return it->svc && it->sla ? INV_OK : inv_fail(e, INV_EIO, "out of memory");
}

int inv_item_coverage(inv_register *r, int64_t n, const char *id, inv_buf *svc, inv_buf *sla,
                      int *own, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    char sql[1024];
    /* the row's digest as commit gives it (as verify computes it): a row
     * edited behind the tool's back answers nothing */
    snprintf(sql, sizeof sql,
             "SELECT %s, since, digest, %s FROM item INDEXED BY item_by_id WHERE id = ?2"
             " AND since <= ?1 AND (until IS NULL OR until > ?1)",
             INV__COV_COLS(r, ""),
             inv__has_cov(r)
                 ? "iif(svc IS NULL AND sla IS NULL AND own IS NULL,"
                   " scopereg_row_digest(id, since, op, kind, name, attrs, reason),"
                   " scopereg_cov_digest(scopereg_row_digest(id, since, op, kind, name, attrs,"
                   " reason), svc, sla, own))"
                 : "scopereg_row_digest(id, since, op, kind, name, attrs, reason)");
    int rc = inv__prepare_n(r, &st, sql, n, e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    svc->len = sla->len = 0;
    *own = 0;
    if (s == SQLITE_ROW) {
        const char *a = (const char *)sqlite3_column_text(st, 0);
        const char *b = (const char *)sqlite3_column_text(st, 1);
        int has = a || b || sqlite3_column_type(st, 2) != SQLITE_NULL;
        int64_t since = sqlite3_column_int64(st, 3);
        const char *stored = (const char *)sqlite3_column_text(st, 4);
        const char *now = (const char *)sqlite3_column_text(st, 5);
        if (!stored || !now || strcmp(stored, now))
            rc = inv_fail(e, INV_FAIL, "version %lld does not hold: item '%s' (row of version "
                          "%lld) was altered after commit; run 'scopereg verify'",
                          (long long)n, id, (long long)since);
        else if (has && inv_format_of(r, since) != 2)
            rc = inv_fail(e, INV_FAIL, "version %lld does not hold: item '%s' (row of version "
                          "%lld) has coverage in a scope-register/1 version; run 'scopereg "
                          "verify'", (long long)n, id, (long long)since);
        else if (inv_format_of(r, n) != 2) /* /1: no coverage, whatever a column holds */
            a = b = NULL;
        else
            *own = sqlite3_column_int(st, 2);
        if (!rc && (inv_buf_puts(svc, a ? a : INV_COV_NONE) < 0 ||
                    inv_buf_puts(sla, b ? b : INV_COV_NONE) < 0))
            rc = inv_fail(e, INV_EIO, "out of memory");
    } else {
        rc = s == SQLITE_DONE ? inv_fail(e, INV_FAIL, "item '%s' is not in version %lld", id,
                                         (long long)n)
                              : inv__sqlerr(r, e, "read items");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Term (type, id) as version n defines it into out (out->id NULL when
 * it does not). */
static int term_at(inv_register *r, int64_t n, int type, const char *id, inv_term *out,
                   inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_term_free(out);
    if (!inv__has_cov(r) || !id || !strcmp(id, INV_COV_NONE))
        return INV_OK;
    int rc = inv__prepare_n(r, &st,
                            "SELECT id, body FROM term WHERE type = ?2 AND id = ?3"
                            " AND since <= ?1 AND (until IS NULL OR until > ?1) AND op <> 'R'",
                            n, e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 2, inv_term_words[type], -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, id, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        rc = inv_term_decode(out, type, (const char *)sqlite3_column_text(st, 0),
                             sqlite3_column_blob(st, 1), (size_t)sqlite3_column_bytes(st, 1), e);
    else if (s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read terms");
    sqlite3_finalize(st);
    return rc;
}

int inv_cov_answer_get(inv_source *s, int64_t n, const inv_item *it, const char *service,
                       inv_cov_answer *out, inv_err *e)
{
    inv_register *r = s->documents ? NULL : s->r;
    memset(out, 0, sizeof *out);
    int rc = inv_cov_id_check("service", service, e);
    if (rc)
        return rc;
    inv_buf svc = {0}, sla = {0};
    if (r) { /* the row itself, checked, and none in a scope-register/1 version */
        rc = inv_item_coverage(r, n, it->id, &svc, &sla, &out->own, e);
    } else if (it->svc) {
        rc = inv_buf_puts(&svc, it->svc) < 0 || inv_buf_puts(&sla, it->sla) < 0
                 ? inv_fail(e, INV_EIO, "out of memory")
                 : INV_OK;
        out->own = it->own;
    } else {
        rc = inv_buf_puts(&svc, INV_COV_NONE) < 0 || inv_buf_puts(&sla, INV_COV_NONE) < 0
                 ? inv_fail(e, INV_EIO, "out of memory")
                 : INV_OK;
    }
    out->svc = svc.data;
    out->sla = sla.data;
    if (rc)
        return rc;
    out->covered = inv_cov_has(out->svc, service);
    if (!r) /* a folder: both blocks from the version's document, in one pass */
        return inv__source_terms(s, n, service, out->sla, &out->service, &out->cls, e);
    if ((rc = term_at(r, n, INV_TERM_SERVICE, service, &out->service, e)) ||
        (rc = term_at(r, n, INV_TERM_CLASS, out->sla, &out->cls, e)))
        return rc;
    return INV_OK;
}

void inv_cov_answer_free(inv_cov_answer *a)
{
    free(a->svc);
    free(a->sla);
    inv_term_free(&a->service);
    inv_term_free(&a->cls);
    memset(a, 0, sizeof *a);
}
