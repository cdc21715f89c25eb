/*
 * versions.c - reading the versions of a register: the latest, one by
 * number, the one in force at a date, a version named on the command line.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

void inv_version_free(inv_version *v)
{
    free(v->author);
    free(v->message);
    v->author = v->message = NULL;
}

int inv_latest(inv_register *r, int64_t *number, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__one_row(r, &st, "SELECT max(number) FROM version", "read versions", e);
    if (!rc)
        *number = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

int inv_version_get(inv_register *r, int64_t n, inv_version *v, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    memset(v, 0, sizeof *v);
    int rc = inv__prepare_n(r, &st,
                            "SELECT number, date, author, message, previous, hash, items"
                            " FROM version WHERE number = ?1",
                            n, e);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_DONE) {
        rc = inv_fail(e, INV_EINPUT, "no version %lld in register %s", (long long)n, r->path);
    } else if (s != SQLITE_ROW) {
        rc = inv__sqlerr(r, e, "read version");
    } else {
        /* a NULL (a schema rewritten behind scopereg's back) reads as "" */
        const char *t[6];
        for (int i = 1; i < 6; i++)
            t[i] = (const char *)sqlite3_column_text(st, i);
        for (int i = 1; i < 6; i++)
            t[i] = t[i] ? t[i] : "";
        v->number = sqlite3_column_int64(st, 0);
        const char *date = t[1], *prev = t[4], *hash = t[5];
        v->author = inv__strdup(t[2]);
        v->message = inv__strdup(t[3]);
        v->item_count = sqlite3_column_int64(st, 6);
        snprintf(v->prev_hash, sizeof v->prev_hash, "%s", strcmp(prev, "none") ? prev : "");
        snprintf(v->doc_hash, sizeof v->doc_hash, "%s", hash);
        if (!v->author || !v->message)
            rc = inv_fail(e, INV_EIO, "out of memory");
        else if (inv_time_parse(date, 0, &v->date, NULL) != INV_OK)
            rc = inv_fail(e, INV_FAIL, "version %lld: stored date '%s' is malformed",
                          (long long)n, date);
    }
    sqlite3_finalize(st);
    if (rc)
        inv_version_free(v);
    return rc;
}

int inv_version_at(inv_register *r, int64_t t, int64_t *number, inv_err *e)
{
    char date[32];
    sqlite3_stmt *st = NULL;
    inv_time_format(t, date, sizeof date);
    int rc = inv__prepare(r, &st, "SELECT max(number) FROM version WHERE date <= ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, date, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = inv__sqlerr(r, e, "read versions");
    else
        *number = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

int inv_version_resolve(inv_register *r, const char *arg, int64_t *number, inv_err *e)
{
    int64_t latest;
    int rc = inv_latest(r, &latest, e);
    if (rc)
        return rc;
    if (!strcmp(arg, "latest") || !strcmp(arg, "HEAD")) {
        if (latest == 0)
            return inv_fail(e, INV_EINPUT, "register %s has no version yet", r->path);
        *number = latest;
        return INV_OK;
    }
    const char *p = arg;
    if (*p == 'v')
        p++;
    if (*p >= '0' && *p <= '9' && strlen(p) < 19 && strspn(p, "0123456789") == strlen(p)) {
        *number = strtoll(p, NULL, 10);
        if (*number < 1 || *number > latest)
            return inv_fail(e, INV_EINPUT, "no version %s in register %s (latest is %lld)",
                            arg, r->path, (long long)latest);
        return INV_OK;
    }
    int64_t t;
    inv_err sub;
    if (inv_time_parse(arg, 1, &t, &sub) != INV_OK)
        return inv_fail(e, INV_EINPUT,
                        "'%s' is neither a version number nor a date (YYYY-MM-DD or RFC 3339)",
                        arg);
    if ((rc = inv_version_at(r, t, number, e)))
        return rc;
    if (*number == 0)
        return inv_fail(e, INV_EINPUT, "no version existed at %s", arg);
    return INV_OK;
}

int inv_version_span(inv_register *r, inv_version_span_t *out, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    int rc = inv__one_row(r, &st,
                          "SELECT count(*), coalesce(min(number), 0), coalesce(max(number), 0)"
                          " FROM version",
                          "read versions", e);
    if (!rc) {
        out->count = sqlite3_column_int64(st, 0);
        out->min = sqlite3_column_int64(st, 1);
        out->max = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    return rc;
}

int inv_versions_contiguous(inv_register *r, int64_t *latest, inv_err *e)
{
    inv_version_span_t sp;
    int rc = inv_version_span(r, &sp, e);
    if (rc)
        return rc;
    *latest = sp.max;
    /* number is the table's integer key: count rows between 1 and max
     * are exactly 1..max. */
    if (sp.count == 0 || (sp.min == 1 && sp.max == sp.count))
        return INV_OK;
    if (sp.min < 1)
        return inv_fail(e, INV_FAIL, "the register holds a version numbered %lld: versions are "
                        "numbered from 1; it was changed outside scopereg (run 'scopereg "
                        "verify')", (long long)sp.min);
    return inv_fail(e, INV_FAIL, "the register holds %lld versions numbered up to %lld: "
                    "%lld versions between 1 and %lld are missing; it was changed outside "
                    "scopereg (run 'scopereg verify')", (long long)sp.count,
                    (long long)sp.max, (long long)(sp.max - sp.count), (long long)sp.max);
}
