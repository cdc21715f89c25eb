/*
 * answer.c - the answers of a dispute, once, from any source of versions:
 * the version in force at a date (the highest-numbered agreed by then, by
 * the signed dates of its signatures), whether an item was in it, and an
 * item's history with each version checked.
 */
#include <stdlib.h>
#include <string.h>

#include "answer_int.h"
#include "work_int.h"

void inv_vinfo_free(inv_vinfo *vi)
{
    inv_version_free(&vi->v);
    for (int i = 0; i < 2; i++)
        free(vi->party[i]);
    for (size_t i = 0; i < vi->nsigs; i++)
        free(vi->sigs[i].reason);
    free(vi->sigs);
    free(vi->problem);
    memset(vi, 0, sizeof *vi);
}

int inv_source_is_documents(const inv_source *s)
{
    return s->documents;
}

const char *inv_source_where(const inv_source *s)
{
    return s->where;
}

const char *inv_source_contract(const inv_source *s)
{
    return s->contract;
}

int inv_source_latest(inv_source *s, int64_t *n, inv_err *e)
{
    return s->ops->latest(s, n, e);
}

void inv_source_free(inv_source *s)
{
    if (s && s->ops->free)
        s->ops->free(s);
}

int inv_source_held(inv_source *s, inv_held *out, inv_err *e)
{
    memset(out, 0, sizeof *out);
    if (!s->documents)
        return INV_OK;
    int64_t last;
    int rc = s->ops->latest(s, &last, e);
    for (int64_t n = 1; n <= last && !rc && !out->first; n++) {
        inv__vstate v;
        if (!(rc = s->ops->state(s, n, &v, e)) && v.present)
            out->first = n;
    }
    if (rc || !last)
        return rc;
    inv__vstate v;
    if ((rc = s->ops->state(s, last, &v, e)))
        return rc;
    out->last = last;
    out->last_date = v.date;
    out->last_agreed = inv_agreed_at(&v.sigs, v.date);
    for (int i = 0; i < 2; i++)
        out->last_signed[i] = v.sigs.party[i].signed_;
    return INV_OK;
}

/* A folder: the first version after n that it holds agreed by both
 * parties and dated after t (0: none, or a version between them, dated
 * by t, lacks a signature in the folder): versions are dated in order, so
 * none after it can have been agreed by t. Without one, *open the version
 * after which one agreed by t cannot be excluded: the folder's last, or n
 * when a version after n dated by t lacks a signature in the folder. */
static int bound_after(inv_source *s, int64_t n, int64_t t, int64_t *bound, int64_t *date,
                       int64_t *open, inv_err *e)
{
    int64_t last;
    int rc = s->ops->latest(s, &last, e);
    *bound = 0;
    *open = last;
    for (int64_t k = n + 1; k <= last && !rc; k++) {
        inv__vstate v;
        if ((rc = s->ops->state(s, k, &v, e)))
            break;
        int64_t agreed = v.present ? inv_agreed_at(&v.sigs, v.date) : 0;
        if (v.present && v.date > t && agreed) {
            *bound = k;
            *date = v.date;
            break;
        }
        if (v.present && v.date <= t && !agreed)
            *open = n;
    }
    if (*open == n && n < last) /* that version may have been agreed by t elsewhere */
        *bound = 0;
    return rc;
}

/* The date of the nearest version before n that the source holds (0:
 * none): no version between them can be dated earlier. */
static int earlier_date(inv_source *s, int64_t n, int64_t *date, inv_err *e)
{
    *date = 0;
    for (int64_t k = n - 1; k >= 1; k--) {
        inv__vstate v;
        int rc = s->ops->state(s, k, &v, e);
        if (rc)
            return rc;
        if (v.present) {
            *date = v.date;
            return INV_OK;
        }
    }
    return INV_OK;
}

int inv__in_force_walk(inv_source *s, int64_t t, inv_in_force *out, inv_err *e)
{
    int64_t last;
    memset(out, 0, sizeof *out);
    int rc = s->ops->latest(s, &last, e);
    if (rc || (s->ops->precheck && (rc = s->ops->precheck(s, e))))
        return rc;
    char when[32];
    inv_time_format(t, when, sizeof when);
    /* Newest first: the first version agreed by t is the one in force.
     * Every newer version is looked at too, whatever its date: its
     * signatures' signed dates are what say it was not agreed by t; a
     * signature cannot be dated before its version, so a version the
     * source lacks or doubts matters only when the version before it
     * was made by t. */
    for (int64_t n = last; n >= 1; n--) {
        inv__vstate v;
        if ((rc = s->ops->state(s, n, &v, e)))
            return rc;
        if (v.present && !out->latest && v.date <= t)
            out->latest = n;
        int64_t agreed = v.present ? inv_agreed_at(&v.sigs, v.date) : 0;
        if (agreed && agreed <= t) {
            out->version = n;
            out->agreed_at = agreed;
            out->sigs = v.sigs;
            return INV_OK;
        }
        if (v.present && v.sure)
            continue;
        int64_t before;
        if ((rc = earlier_date(s, n, &before, e)))
            return rc;
        if (before > t)
            continue;
        if (!v.present)
            return inv_fail(e, INV_FAIL, "%s lacks version %lld, which may have been agreed by "
                            "%s: the answer cannot rely on the folder; add version %lld's "
                            "document and signature files to it", s->where, (long long)n, when,
                            (long long)n);
        return inv_fail(e, INV_FAIL, "version %lld in %s does not hold (%s), and it may have "
                        "been agreed by %s: the answer cannot rely on it; run 'scopereg verify "
                        "--documents %s'", (long long)n, s->where, v.problem, when, s->where);
    }
    return INV_OK;
}

int inv_answer_at(inv_source *s, int64_t t, const char *id, inv_at_answer *a, inv_err *e)
{
    memset(a, 0, sizeof *a);
    inv_item_init(&a->item);
    int rc = inv__in_force_walk(s, t, &a->inf, e);
    int64_t n = a->inf.version;
    if (rc || (n && s->ops->link && (rc = s->ops->link(s, n, t, e))) ||
        (n && (rc = s->ops->version(s, n, 1, &a->in_force, e))) ||
        (a->inf.latest > n && (rc = s->ops->version(s, a->inf.latest, 0, &a->later, e))))
        return rc;
    if (id && n && a->in_force.hold)
        rc = s->ops->item(s, n, id, &a->item, &a->found, e);
    if (!rc && s->documents && !(rc = inv_source_held(s, &a->held, e)))
        rc = bound_after(s, n, t, &a->bound, &a->bound_date, &a->open_after, e);
    return rc;
}

void inv_at_answer_free(inv_at_answer *a)
{
    inv_vinfo_free(&a->in_force);
    inv_vinfo_free(&a->later);
    inv_item_free(&a->item);
    a->found = 0;
}

typedef struct hist_ctx {
    inv_source *s;
    inv_answer_step_fn fn;
    void *ctx;
    inv_history_answer *out;
    inv_err *e;
} hist_ctx;

static int step_one(void *ctx, const inv_history_step *st)
{
    hist_ctx *h = ctx;
    inv_vinfo vi;
    int rc = h->s->ops->version(h->s, st->version, 1, &vi, h->e);
    if (!rc) {
        h->out->steps++;
        h->out->broken += !vi.hold;
        h->out->last_version = st->version;
        h->out->removed = st->change.op == INV_OP_REMOVE;
        rc = h->fn(h->ctx, st, &vi);
    }
    inv_vinfo_free(&vi);
    return rc;
}

int inv_answer_history(inv_source *s, const char *id, inv_answer_step_fn fn, void *ctx,
                       inv_history_answer *out, inv_err *e)
{
    memset(out, 0, sizeof *out);
    hist_ctx h = {s, fn, ctx, out, e};
    int rc = s->ops->latest(s, &out->latest, e);
    if (!rc)
        rc = inv_source_held(s, &out->held, e);
    return rc ? rc : s->ops->steps(s, id, step_one, &h, out, e);
}

void inv_history_answer_free(inv_history_answer *a)
{
    free(a->doubt_why);
    a->doubt_why = NULL;
}
